"""Importing a folder of Markdown notes: Obsidian daily notes, Logseq journals, any app
that keeps one Markdown file per day or per note.

A note's date comes from its YAML front matter (`date`, else `created`) or else from its
file name (`2024-01-15.md`, Logseq's `2024_01_15.md`); a time there is kept, a date alone
is read as that day's midnight. Tags come from the front matter (`tags`, or `tag`) and
from `#tags` in the text; the text after the front matter is kept exactly. YAML is read
with PyYAML's safe loader, which builds plain values only. Every file is read and checked
before anything is written: a note without a date or with broken front matter imports
nothing and is named.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from layers_journal.days import CALENDAR, in_calendar, load_zone
from layers_journal.errors import FileFormatError, ImportFormatError
from layers_journal.folder.entries import (
    MAX_TAG_LENGTH,
    MAX_TEXT_BYTES,
    Entry,
    check_entry,
    derived_entry_id,
    inline_tags,
    is_tag,
    unique_tags,
)
from layers_journal.folder.storage import read_bounded

MAX_NOTES = 200_000
NOTE_SUFFIXES = (".md", ".markdown")
# 2024-01-15.md, 2024_01_15.md, 2024.01.15.md, maybe followed by a word or two.
DATED_NAME = re.compile(r"(\d{4})([-_.])(\d{2})\2(\d{2})(?![\d])")
FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


class NotesImport(NamedTuple):
    entries: list[Entry]
    notes: tuple[str, ...]


class Note(NamedTuple):
    relative: str  # the file's path inside the folder, with /
    meta: dict[str, Any]
    body: str


def read_notes(folder: Path, *, zone: tzinfo, zone_name: str) -> NotesImport:
    """Every Markdown note of a folder (and its subfolders) as an entry. Raises
    ImportFormatError naming the first note that cannot be read; writes nothing."""
    if not folder.is_dir():
        raise ImportFormatError(
            f"{folder} is not a folder; --format markdown reads a folder of Markdown files. "
            "Nothing was imported."
        )
    files, others = note_files(folder)
    if not files:
        raise ImportFormatError(f"{folder} holds no Markdown files; nothing was imported.")
    entries: list[Entry] = []
    empty = 0
    for relative in files:
        note = read_note(folder, relative)
        if not note.body.strip():
            empty += 1
            continue
        entries.append(note_entry(note, zone=zone, zone_name=zone_name))
    said = []
    if empty:
        one = empty == 1
        said.append(
            f"{plural(empty, 'note')} with no text after {'its' if one else 'their'} front "
            f"matter {'was' if one else 'were'} left out."
        )
    if others:
        said.append(
            f"{plural(others, 'file')} that {'is' if others == 1 else 'are'} not Markdown "
            f"(attachments, settings) {'was' if others == 1 else 'were'} left as "
            f"{'it is' if others == 1 else 'they are'}."
        )
    return NotesImport(entries, tuple(said))


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def note_files(folder: Path) -> tuple[list[str], int]:
    """The Markdown files under the folder, sorted, and how many other files there are.
    Hidden folders (.obsidian, .git, .trash) and Logseq's own logseq/ folder (its
    backups) are passed by; links are never followed."""
    found: list[str] = []
    others = 0
    for root, folders, names in os.walk(folder):
        at_top = Path(root) == folder
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".") and not (at_top and name == "logseq")
        )
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root) / name
            if name.lower().endswith(NOTE_SUFFIXES) and not path.is_symlink():
                found.append(path.relative_to(folder).as_posix())
            else:
                others += 1
            if len(found) > MAX_NOTES:
                raise ImportFormatError(
                    f"{folder} holds more than {MAX_NOTES} Markdown files; nothing was imported."
                )
    return sorted(found), others


def read_note(folder: Path, relative: str) -> Note:
    try:
        data = read_bounded(folder / relative, MAX_TEXT_BYTES)
    except OSError as error:
        raise bad(relative, f"it cannot be read ({(error.strerror or 'error').lower()})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad(relative, "it is not UTF-8 text") from None
    meta, body = split_front_matter(text, relative)
    return Note(relative, meta, body)


def bad(relative: str, reason: str) -> ImportFormatError:
    return ImportFormatError(f"{relative}: {reason}; nothing was imported.")


def split_front_matter(text: str, relative: str) -> tuple[dict[str, Any], str]:
    """(the YAML front matter as a mapping, the text after it exactly)."""
    first, newline, rest = text.partition("\n")
    if first.rstrip("\r") != "---" or not newline:
        return {}, text
    end = FRONT_MATTER_END.search(rest)
    if end is None:
        raise bad(relative, "its front matter (from a --- line) has no closing --- line")
    import yaml  # PyYAML: only this importer needs it

    try:
        meta = yaml.safe_load(rest[: end.start()])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise bad(relative, f"its front matter is not valid YAML{where}") from None
    except RecursionError:
        raise bad(relative, "its front matter is nested too deeply") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise bad(relative, "its front matter is not a list of key: value lines")
    body = rest[end.end() :]
    return meta, body[1:] if body.startswith("\n") else body


def note_entry(note: Note, *, zone: tzinfo, zone_name: str) -> Entry:
    created, tz = note_time(note, zone, zone_name)
    tags = unique_tags([*front_matter_tags(note), *inline_tags(note.body)])
    entry = Entry(
        id=note_id(created, note.relative),
        created=created,
        day=created.date(),
        tz=tz,
        text=note.body,
        tags=tags,
    )
    try:
        return check_entry(entry)
    except FileFormatError as error:
        raise bad(note.relative, error.message) from None


def note_time(note: Note, zone: tzinfo, zone_name: str) -> tuple[datetime, str]:
    """The note's time on its own wall clock, and its zone's name: from the front
    matter's date or created, else from the file name."""
    for key in ("date", "created"):
        if note.meta.get(key) is not None:
            when = as_datetime(note.meta[key], note.relative, key)
            break
    else:
        match = DATED_NAME.match(Path(note.relative).name)
        day = None
        if match:
            try:
                day = date(int(match[1]), int(match[3]), int(match[4]))
            except ValueError:
                day = None
        if day is None:
            raise bad(
                note.relative,
                "it has no date (no date: or created: in its front matter, and its name is "
                "not like 2024-01-15.md); import the folder of daily notes, or give the note "
                "a date: line",
            )
        when = datetime.combine(day, time())
    if not in_calendar(when.date()):
        raise bad(note.relative, f"its date is outside {CALENDAR}")
    if when.tzinfo is None:
        return when.replace(tzinfo=zone), zone_name
    offset = when.utcoffset() or timedelta()
    if when.astimezone(zone).utcoffset() == offset:
        return when.astimezone(zone), zone_name
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    name = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return when.astimezone(load_zone(name)), name


def as_datetime(value: object, relative: str, key: str) -> datetime:
    """A front matter date: YAML's own date or timestamp, or text like 2024-01-15,
    2024-01-15 09:30 or 2024-01-15T09:30:00+01:00."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str) and re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).replace(
                microsecond=0
            )
        except ValueError:
            pass
    raise bad(relative, f"its {key} is not a date like 2024-01-15 or 2024-01-15 09:30")


def front_matter_tags(note: Note) -> list[str]:
    """tags: as a list or as words separated by commas or spaces; #s and spaces in a
    tag are dropped or joined as the other importers do."""
    value = note.meta.get("tags", note.meta.get("tag"))
    if value is None:
        return []
    if isinstance(value, str):
        items: list[object] = re.split(r"[,\s]+", value)
    elif isinstance(value, list):
        items = value
    else:
        raise bad(note.relative, "its tags are not a list or words")
    tags = []
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise bad(note.relative, "its tags are not a list or words")
        tag = "-".join(str(item).strip().lstrip("#").split())[:MAX_TAG_LENGTH]
        if is_tag(tag):
            tags.append(tag)
    return tags


def note_id(created: datetime, relative: str) -> str:
    """The same id each time the same note is imported: its time, then six
    characters drawn from its path in the folder."""
    return derived_entry_id(created, relative)
