"""A journal file as the index's rows: what is read from it (of an encrypted entry only
its readable metadata, never text, prompts, moods or tags), the columns it fills, and,
for a file that cannot be used, why it was skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time
from pathlib import Path

from layers_journal.days import wall_clock_day
from layers_journal.errors import FileFormatError, reason
from layers_journal.folder.entries import (
    MAX_FILE_BYTES,
    Entry,
    decode_entry_bytes,
    entry_from_fields,
    parse_entry,
)
from layers_journal.folder.front_matter import read_fields
from layers_journal.folder.layout import PAUSES, entry_id_of, is_sealed, meta_path
from layers_journal.folder.pauses import Pause, parse_pause
from layers_journal.folder.scan import Stamp
from layers_journal.folder.storage import megabytes, read_bounded
from layers_journal.model.layers import within_backfill, written_day

from .counts import fact_key

MISSING_META = (
    "an encrypted entry without its .meta.toml; journal doctor --fix rebuilds it with the "
    "passphrase"
)

# What reading or storing one journal file may raise: it is then skipped, and named.
UNUSABLE = (FileFormatError, sqlite3.IntegrityError, OSError, ValueError, OverflowError)
INSERT_ENTRY = (
    "INSERT INTO entries (id, path, created, created_utc, created_local, created_day,"
    " day, tz, theme, prompt_id, prompt, mood, tags, text, sealed, in_window, kind, covers,"
    " lookback, exercise, scales, private)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_PAUSE = (
    'INSERT INTO pauses (id, path, start, "end", note, sealed_note) VALUES (?, ?, ?, ?, ?, ?)'
)
INSERT_FILE = (
    "INSERT OR REPLACE INTO files (path, folder, size, mtime_ns, ctime_ns, inode, problem)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


# Opens an encrypted entry file's bytes (the journal's key), for an index of its text.
Unseal = Callable[[bytes], bytes]


def read_file(
    root: Path, path: str, files: Mapping[str, Stamp], unseal: Unseal | None = None
) -> Pause | Entry:
    """What a journal file holds: a pause, or an entry. Raises what UNUSABLE names."""
    size = files[path][0]
    if size > MAX_FILE_BYTES:  # said without reading it
        what = "a pause" if path.startswith(PAUSES + "/") else "an entry"
        raise FileFormatError(f"it is too large to be {what} ({megabytes(size)})")
    if path.startswith(PAUSES + "/"):
        return parse_pause(read_text(root, path))
    return read_entry(root, path, files, unseal)


def read_entry(
    root: Path, path: str, files: Mapping[str, Stamp], unseal: Unseal | None = None
) -> Entry:
    """An entry file's Entry: from its readable metadata when it is encrypted, or
    opened whole with unseal (for the sealed index of an encrypted journal's text)."""
    if is_sealed(path):
        meta = meta_path(path)
        if meta not in files:
            raise FileFormatError(MISSING_META)
        if unseal is not None:
            data = unseal(read_bounded(f"{root}/{path}", MAX_FILE_BYTES))
            return parse_entry(decode_entry_bytes(data))
        return parse_meta(read_text(root, meta))
    return parse_entry(read_text(root, path))


def read_text(root: Path, path: str) -> str:
    return decode_entry_bytes(read_bounded(f"{root}/{path}", MAX_FILE_BYTES))


def parse_meta(content: str) -> Entry:
    """The readable metadata of an encrypted entry, as an Entry without text."""
    return entry_from_fields(read_fields(content, "its metadata"), "")


def problem_with(db: sqlite3.Connection, path: str, error: BaseException) -> str:
    """Why a file was skipped, in words, from what reading or storing it raised."""
    if isinstance(error, FileFormatError):
        return error.message
    if isinstance(error, sqlite3.IntegrityError):
        return duplicate_reason(db, path)
    if isinstance(error, OSError):
        return reason(error)
    # A value validation did not foresee (ValueError, OverflowError).
    return f"it holds a value the journal cannot use ({error.__class__.__name__})"


def duplicate_reason(db: sqlite3.Connection, path: str) -> str:
    stem = path.rsplit("/", 1)[-1].split(".", 1)[0]
    row = db.execute(
        "SELECT path FROM entries WHERE id = ? UNION SELECT path FROM pauses WHERE id = ?",
        (stem, stem),
    ).fetchone()
    other = row[0] if row else "another file"
    if other.split(".", 1)[0] == path.split(".", 1)[0]:
        return (
            "left by an interrupted encrypt or decrypt next to "
            f"{other}; run that command again to finish"
        )
    return f"it has the same id as {other}; skipped"


def entry_row(path: str, entry: Entry, *, sealed: bool, day_start: time) -> tuple[object, ...]:
    """An entries row; with sealed=True only the readable metadata is kept."""
    if entry_id_of(path.rsplit("/", 1)[-1]) != entry.id:
        raise FileFormatError(f"its id {entry.id!r} does not match its file name")
    local = entry.created_local  # a zone looked up and applied: once per row
    created_day = written_day(entry.day, wall_clock_day(local, day_start))
    return (
        entry.id,
        path,
        entry.created.isoformat(timespec="seconds"),
        utc_text(entry.created),
        local.strftime("%Y-%m-%dT%H:%M:%S"),
        created_day.isoformat(),
        entry.day.isoformat(),
        entry.tz,
        entry.theme,
        None if sealed else entry.prompt_id,
        None if sealed else entry.prompt,
        None if sealed else entry.mood,
        "" if sealed else "\n".join(entry.tags),
        None if sealed else entry.text,
        int(sealed),
        int(within_backfill(entry.day, created_day)),
        entry.kind,
        None if sealed or not entry.covers else "/".join(d.isoformat() for d in entry.covers),
        None if sealed else int(entry.lookback),  # an encrypted entry keeps it sealed
        None if sealed else entry.exercise,
        None if sealed or not entry.scales else pack_scales(entry.scales),
        None if sealed else int(entry.private),
    )


def pack_scales(scales: tuple[tuple[str, int], ...]) -> str:
    """An exercise's scales in one column: name=number, one a line."""
    return "\n".join(f"{name}={number}" for name, number in scales)


def unpack_scales(value: object) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, str) or not value:
        return ()
    pairs = (line.partition("=") for line in value.split("\n"))
    return tuple((name, int(number)) for name, _, number in pairs)


def row_fact(row: tuple[object, ...]) -> tuple[int, bool] | None:
    """The (fact_key, counted) an entries row adds to the day counts; None for a review,
    which looks back on pages already counted."""
    day, created, theme, in_window, kind = row[6], row[5], row[8], row[15], row[16]
    if kind == "review":
        return None
    assert isinstance(day, str) and isinstance(created, str)
    assert theme is None or isinstance(theme, str)
    return fact_key(day, created, theme), bool(in_window)


def pause_row(path: str, pause: Pause) -> tuple[object, ...]:
    return (
        pause.id,
        path,
        pause.start.isoformat(),
        pause.end.isoformat(),
        pause.note,
        pause.sealed_note,
    )


def utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
