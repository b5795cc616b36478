"""Finding one thing by the start of its id, like git's short hashes: entries, pauses and
the trash all answer the same way; an entry also by its day or its place in history."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from layers_journal.days import parse_day, spoken_day
from layers_journal.errors import NotFoundError, UsageError

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def pick_by_prefix(prefix: str, ids: Iterable[str], *, what: str, many: str) -> str:
    """The one id starting with prefix (an exact id always wins). `what` names one
    ("entry", "pause", "entry in the trash"), `many` several ("entries", …)."""
    prefix = prefix.strip()
    if not prefix:
        raise UsageError(f"Give the id of the {what}, or the first few characters of it.")
    matches = sorted({found for found in ids if found.startswith(prefix)})
    if prefix in matches:
        return prefix
    if not matches:
        raise NotFoundError(f"No {what} has an id starting with {prefix!r}.")
    if len(matches) > 1:
        shown = ", ".join(matches[:5])
        raise UsageError(f"{prefix!r} matches several {many} ({shown}); give more of the id.")
    return matches[0]


class Address(NamedTuple):
    """What a person named an entry by: the start of its id, a day it is about, or its
    place in history (1 = the newest, as `journal history` lists them)."""

    prefix: str | None = None
    day: date | None = None
    newest: int | None = None
    # A day typed as 2026-11-28 may also be the start of an id (written that day).
    iso: bool = False


def parse_address(text: str, today: date) -> Address:
    """An id prefix, a day (2026-11-28, today, yesterday, 3 days ago, monday), or
    last / -1 / -2 (the newest, the one before it)."""
    words = " ".join(text.lower().split())
    if not words:
        raise UsageError("Give an id, a day such as yesterday, or last.")
    if words == "last":
        return Address(newest=1)
    if words.startswith("-") and words[1:].isdigit() and int(words[1:]) >= 1:
        return Address(newest=int(words[1:]))
    if words.startswith("-"):
        raise UsageError(f"No such option: {text.strip()}")
    if ISO_DAY.fullmatch(words):
        try:
            return Address(day=parse_day(words, today), iso=True, prefix=words)
        except ValueError as error:
            raise UsageError(f"{error}.") from None
    spoken = spoken_day(words, today, future=False)
    if spoken is not None:
        return Address(day=spoken)
    return Address(prefix=text.strip())
