"""Finding one thing by the start of its id, like git's short hashes: entries, pauses and
the trash all answer the same way."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import NotFoundError, UsageError


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
