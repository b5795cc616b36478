"""Names inside the journal folder, spelled in this one place.

    entries/YYYY/MM/<id>.md           a plain entry
    entries/YYYY/MM/<id>.md.age       an encrypted entry
    entries/YYYY/MM/<id>.meta.toml    the readable metadata beside an encrypted entry
    pauses/<id>.toml                  a declared pause
    trash/YYYY/MM/<id>[.N].md[.age]   a deleted entry (N counts copies trashed again)
    conflicts/<id>.<when>.md[.age]    this device's version of an entry that a sync found
                                      changed on another device too (with .meta.toml
                                      beside it when encrypted); <when> is the sync's time

Paths here are relative to the journal folder, with forward slashes.
"""

from __future__ import annotations

import re

ENTRIES, PAUSES, TRASH, CONFLICTS = "entries", "pauses", "trash", "conflicts"
PLAIN, SEALED, META = ".md", ".md.age", ".meta.toml"
# The one spelling of an entry's id, composed into every file name below. ASCII classes
# on purpose: \d would also take other scripts' digits.
STAMP = r"[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}"  # a moment: YYYY-MM-DD-HHMMSS
ID = STAMP + r"-[a-z0-9]{6}"  # when the entry was begun, and six letters or digits
TEXT_SUFFIX = r"\.md(?:\.age)?"  # PLAIN or SEALED
META_SUFFIX = r"\.meta\.toml"
ENTRY_ID = re.compile(ID)
ENTRY_FILE = re.compile(rf"({ID})({TEXT_SUFFIX}|{META_SUFFIX})")
PAUSE_FILE = re.compile(r"[0-9a-z-]+\.toml")
TRASH_FILE = re.compile(rf"({ID})(?:\.([0-9]+))?({TEXT_SUFFIX})")


def entry_path(entry_id: str, *, sealed: bool, top: str = ENTRIES) -> str:
    """entries/YYYY/MM/<id>.md (or .md.age), folders from the creation date in the id."""
    return f"{top}/{entry_id[:4]}/{entry_id[5:7]}/{entry_id}{SEALED if sealed else PLAIN}"


def is_sealed(path: str) -> bool:
    return path.endswith(SEALED)


def is_meta(path: str) -> bool:
    return path.endswith(META)


def meta_path(sealed_path: str) -> str:
    """The metadata file beside an encrypted entry (or trashed copy)."""
    return sealed_path[: -len(SEALED)] + META


def sealed_path(path: str) -> str:
    """The encrypted twin of a plain entry file, or the entry a metadata file belongs to."""
    if is_meta(path):
        return path[: -len(META)] + SEALED
    return path[: -len(PLAIN)] + SEALED


def plain_path(sealed: str) -> str:
    return sealed[: -len(SEALED)] + PLAIN


def entry_id_of(name: str) -> str | None:
    """The entry id a journal file name carries, None for any other name."""
    match = ENTRY_FILE.fullmatch(name)
    return match.group(1) if match else None


def is_entry_text(name: str) -> bool:
    """An entry's own file (plain or encrypted), not its metadata."""
    match = ENTRY_FILE.fullmatch(name)
    return match is not None and match.group(2) != META


def trash_path(entry_path_: str, copy: int) -> str:
    """Where an entry goes in the trash; copy 1 keeps its name, later copies get .N."""
    folder, name = entry_path_.split("/", 1)[1].rsplit("/", 1)
    suffix = SEALED if is_sealed(name) else PLAIN
    stem = name[: -len(suffix)]
    return f"{TRASH}/{folder}/{stem}{suffix if copy == 1 else f'.{copy}{suffix}'}"


def trash_name(name: str) -> tuple[str, int, bool] | None:
    """(entry id, copy number, sealed) of a file in the trash, None for other names."""
    match = TRASH_FILE.fullmatch(name)
    if match is None:
        return None
    return match.group(1), int(match.group(2) or 1), match.group(3) == SEALED


CONFLICT_FILE = re.compile(rf"({ID})\.({STAMP}(?:-[0-9]+)?)({TEXT_SUFFIX}|{META_SUFFIX})")


# Beside a version in conflicts/: which device kept it there, and when.
DEVICE = ".device.toml"


def conflict_path(entry_path_: str, when: str) -> str:
    """Where this device's version of an entry goes when a sync finds it changed on both
    sides: conflicts/<id>.<when>.md[.age] (or .meta.toml)."""
    name = entry_path_.rsplit("/", 1)[-1]
    match = ENTRY_FILE.fullmatch(name)
    if match is None:
        raise ValueError(f"not an entry file: {entry_path_}")
    return f"{CONFLICTS}/{match.group(1)}.{when}{match.group(2)}"


def conflict_name(name: str) -> tuple[str, str, str] | None:
    """(entry id, when, suffix) of a conflict copy's file name, None for other names."""
    match = CONFLICT_FILE.fullmatch(name)
    return (match.group(1), match.group(2), match.group(3)) if match else None
