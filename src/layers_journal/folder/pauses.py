"""Declared rest days: one small TOML file per pause in pauses/ (no shared mutable file).

    id = "2026-11-20-k3f9"
    start = 2026-11-20
    end = 2026-11-22
    note = "flu"

In an encrypted journal the note is kept as `note_age`, an ASCII-armoured age message;
start and end stay readable so `journal layers` works without the passphrase.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NamedTuple

from layers_journal.days import CALENDAR, in_calendar
from layers_journal.errors import FileFormatError, UsageError

from .entries import ID_ALPHABET, load_toml, storable, toml_string

PAUSE_ID_LENGTH = 4
MAX_PAUSE_DAYS = 3660
PAUSE_ID = re.compile(r"[0-9a-z-]{1,64}")


class Pause(NamedTuple):
    id: str
    start: date
    end: date
    note: str | None = None
    # The armoured age message of the note, when the journal is encrypted.
    sealed_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "note": self.note,
        }

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def new_pause_id(start: date) -> str:
    from .storage import random_word

    suffix = random_word(PAUSE_ID_LENGTH, ID_ALPHABET)
    return f"{start.isoformat()}-{suffix}"


def check_range(start: date, end: date) -> None:
    if end < start:
        raise UsageError(
            f"A pause ends on or after its start; {end.isoformat()} is before {start.isoformat()}."
        )
    if (end - start).days >= MAX_PAUSE_DAYS:
        raise UsageError("A pause can cover at most ten years.")
    if not (in_calendar(start) and in_calendar(end)):
        raise UsageError(f"A pause falls within {CALENDAR}.")


def pause_problem(pause: Pause) -> str | None:
    """Why a pause (from a file or an import) cannot be used, or None."""
    if not PAUSE_ID.fullmatch(pause.id):
        return "its id is not lowercase letters, digits and dashes"
    if not (in_calendar(pause.start) and in_calendar(pause.end)):
        return f"its days are outside {CALENDAR}"
    if pause.end < pause.start:
        return "it ends before it starts"
    if (pause.end - pause.start).days >= MAX_PAUSE_DAYS:
        return "it covers more than ten years"
    for name, value in (("note", pause.note), ("note_age", pause.sealed_note)):
        if value is not None and not storable(value):
            return f"its {name} holds a character that cannot be stored as UTF-8"
    return None


def check_pause(pause: Pause) -> Pause:
    """A pause about to be written, proven to read back exactly as it is."""
    problem = pause_problem(pause)
    if problem is None and parse_pause(format_pause(pause)) != pause:
        problem = "it would not read back the same"
    if problem:
        raise FileFormatError(problem)
    return pause


def format_pause(pause: Pause) -> str:
    lines = [
        f"id = {toml_string(pause.id)}",
        f"start = {pause.start.isoformat()}",
        f"end = {pause.end.isoformat()}",
    ]
    if pause.sealed_note is not None:
        lines.append(f"note_age = '''\n{pause.sealed_note}'''")
    elif pause.note is not None:
        lines.append(f"note = {toml_string(pause.note)}")
    return "\n".join(lines) + "\n"


def parse_pause(content: str) -> Pause:
    """A Pause from its file. Raises FileFormatError with the reason."""
    fields = load_toml(content, "it")
    pause_id, start, end = fields.get("id"), fields.get("start"), fields.get("end")
    if not isinstance(pause_id, str) or not pause_id:
        raise FileFormatError("its id is missing")
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise FileFormatError(f"its {name} is not a date like 2026-11-20")
    assert isinstance(start, date) and isinstance(end, date)
    note, sealed = fields.get("note"), fields.get("note_age")
    if note is not None and not isinstance(note, str):
        raise FileFormatError("its note is not text")
    if sealed is not None and not isinstance(sealed, str):
        raise FileFormatError("its note_age is not text")
    pause = Pause(id=pause_id, start=start, end=end, note=note, sealed_note=sealed)
    problem = pause_problem(pause)
    if problem:
        raise FileFormatError(problem)
    return pause
