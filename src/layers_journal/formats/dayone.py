"""Importing from Day One: its JSON export, alone or in the .zip Day One makes.

The export holds one JSON file per journal, `{"metadata": {"version": "1.0"}, "entries":
[...]}`, with photos and other media in folders beside it. Each entry has a `uuid`,
`creationDate` (UTC, like 2024-03-31T00:30:00Z), usually a `timeZone` (an IANA name),
`text` (Markdown), and maybe `tags`, `starred`, `location`, `weather`, `photos`.

Only the JSON files are read; media stay where they are. The archive is never unpacked
to disk, and its sizes are checked before anything is read, so a crafted archive (a
zip bomb, names leading out of the folder) is refused with a sentence. As with the
other importers, everything is checked before anything is written.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import zipfile
from datetime import datetime, time, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from layers_journal.days import CALENDAR, in_calendar, journal_day, load_zone
from layers_journal.errors import FileFormatError, ImportFormatError
from layers_journal.folder.entries import (
    ID_ALPHABET,
    MAX_TAG_LENGTH,
    Entry,
    check_entry,
    unique_tags,
)
from layers_journal.folder.storage import read_bounded

# Limits for reading an archive: generous for a life's journal, far below a bomb.
MAX_JSON_BYTES = 512 * 1024 * 1024  # all the JSON files together, unpacked
MAX_RATIO = 200  # unpacked / packed, for a member larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 200_000
# Day One writes one JSON file per journal, and a life's journal is far below these.
MAX_JSON_MEMBERS = 1000
MAX_ENTRIES = 500_000
# Day One's photo (and other media) links: ![](dayone-moment://ID), dayone-moment:/video/ID.
MOMENT_LINK = re.compile(r"!\[[^\]\n]*\]\(dayone-moment:[^)\s]*\)")
# Day One escapes Markdown's punctuation in its exports (\. \- \! \( ...).
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>,:;='\"&/])")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
PHOTOS_ONLY = "(Only photos in Day One; they stay in the Day One export.)"


class DayOneImport(NamedTuple):
    entries: list[Entry]
    note: str | None


def is_dayone_document(document: object) -> bool:
    """A Day One export: metadata with a version, and entries with uuids."""
    if not isinstance(document, dict) or not isinstance(document.get("metadata"), dict):
        return False
    entries = document.get("entries")
    return isinstance(entries, list) and all(
        isinstance(item, dict) and "uuid" in item for item in entries[:5]
    )


def is_zip(path: Path) -> bool:
    """A zip archive: a regular file starting PK (a FIFO or device is never opened)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def read_dayone(path: Path, *, zone: tzinfo, zone_name: str, day_start: time) -> DayOneImport:
    """Every entry of a Day One export (.zip or .json). Raises ImportFormatError."""
    documents = read_archive(path) if is_zip(path) else [(path.name, read_json_file(path))]
    records: list[tuple[str, Any, int]] = []
    for name, document in documents:
        if not is_dayone_document(document):
            raise ImportFormatError(
                f'{name} is not a Day One export (no "metadata" and "entries" with uuids); '
                "nothing was imported."
            )
        records += [(name, item, n) for n, item in enumerate(document["entries"], 1)]
    entries: list[Entry] = []
    dropped = guessed = 0
    for name, item, number in records:
        entry, links, zone_guessed = dayone_entry(
            item,
            where=f"Day One entry {number} of {name}",
            zone=zone,
            zone_name=zone_name,
            day_start=day_start,
        )
        entries.append(entry)
        dropped += links
        guessed += zone_guessed
    return DayOneImport(entries, import_note(dropped, guessed, zone_name))


def import_note(dropped: int, guessed: int, zone_name: str) -> str | None:
    parts = []
    if dropped:
        links = "photo link was" if dropped == 1 else "photo links were"
        parts.append(f"{dropped} Day One {links} left out; the photos stay in the Day One export.")
    if guessed:
        had = "entry had" if guessed == 1 else "entries had"
        was = "was" if guessed == 1 else "were"
        parts.append(f"{guessed} {had} no time zone and {was} read as {zone_name}.")
    return " ".join(parts) or None


# --- reading the files ----------------------------------------------------------------


def read_json_file(path: Path) -> Any:
    try:
        data = read_bounded(path, MAX_JSON_BYTES, follow_links=True, pipes=True)
    except OSError as error:
        if error.errno == errno.EFBIG:
            raise ImportFormatError(
                f"{path} is larger than a Day One export this journal reads "
                f"({MAX_JSON_BYTES // 2**20} MB); nothing was imported."
            ) from None
        raise ImportFormatError(
            f"{path} cannot be read ({(error.strerror or 'error').lower()}); nothing was imported."
        ) from None
    count_entries(data, path.name)
    return parse_json(data, path.name)


def parse_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name} is not UTF-8 text; nothing was imported.") from None
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            f"{name} is not valid JSON (line {error.lineno}, column {error.colno}); "
            "nothing was imported."
        ) from None
    except RecursionError:
        raise ImportFormatError(f"{name} is nested too deeply; nothing was imported.") from None
    except ValueError as error:  # a number of thousands of digits
        raise ImportFormatError(
            f"{name} holds a value out of range ({error}); nothing was imported."
        ) from None


def read_archive(path: Path) -> list[tuple[str, Any]]:
    """The JSON files of a Day One .zip, checked for size before they are read."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFormatError(
            f"{path} is not a readable zip archive ({error}); nothing was imported."
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportFormatError(
                f"{path} holds {len(members)} files, more than a Day One export would; "
                "nothing was imported."
            )
        chosen = [member for member in members if wanted(member)]
        if len(chosen) > MAX_JSON_MEMBERS:
            raise ImportFormatError(
                f"{path} holds {len(chosen)} JSON files, more than a Day One export would "
                f"({MAX_JSON_MEMBERS}); nothing was imported."
            )
        total = sum(member.file_size for member in chosen)
        for member in chosen:
            if member.file_size > RATIO_FLOOR and (
                member.file_size > MAX_RATIO * max(1, member.compress_size)
            ):
                raise ImportFormatError(
                    f"{member.filename} in {path} would unpack to far more than it holds "
                    "(a zip bomb, or a damaged archive); nothing was imported."
                )
        packed = sum(member.compress_size for member in chosen)
        # Many members each just under the floor still make a bomb together.
        if total > RATIO_FLOOR and total > MAX_RATIO * max(1, packed):
            raise ImportFormatError(
                f"The JSON files in {path} would unpack to far more than they hold "
                "(a zip bomb, or a damaged archive); nothing was imported."
            )
        if total > MAX_JSON_BYTES:
            raise ImportFormatError(
                f"The JSON files in {path} would unpack to {total // 2**20} MB, more than this "
                f"journal reads ({MAX_JSON_BYTES // 2**20} MB); nothing was imported."
            )
        if not chosen:
            raise ImportFormatError(f"{path} holds no Day One JSON file; nothing was imported.")
        documents = []
        entries = 0
        for member in chosen:
            data = read_member(archive, member)
            entries += count_entries(data, member.filename, already=entries)
            documents.append((member.filename, parse_json(data, member.filename)))
    return documents


def count_entries(data: bytes, name: str, *, already: int = 0) -> int:
    """How many entries a document can hold at most (every entry has a uuid), counted in
    its bytes before they are parsed, so millions of tiny entries never reach memory."""
    found = data.count(b'"uuid"')
    if already + found > MAX_ENTRIES:
        raise ImportFormatError(
            f"{name} holds more entries than a Day One export would ({MAX_ENTRIES:,} in all); "
            "nothing was imported."
        )
    return found


def wanted(member: zipfile.ZipInfo) -> bool:
    """A JSON file to read: not a folder, not hidden, not macOS's resource forks. A name
    that would lead outside the archive's folder is refused outright."""
    name = member.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"[A-Za-z]:", name):
        raise ImportFormatError(
            f"The archive names a file outside itself ({name!r}); nothing was imported."
        )
    if member.is_dir() or not name.lower().endswith(".json"):
        return False
    return not any(part.startswith((".", "__MACOSX")) for part in parts)


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its header promised (a lying header cannot
    make it unpack without end)."""
    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise ImportFormatError(
            f"{member.filename} cannot be read from the archive ({error}); nothing was imported."
        ) from None
    if len(data) > member.file_size:
        raise ImportFormatError(
            f"{member.filename} unpacks to more than the archive says; nothing was imported."
        )
    return data


# --- one entry --------------------------------------------------------------------------


def bad(where: str, reason: str) -> ImportFormatError:
    return ImportFormatError(f"{where}: {reason}; nothing was imported.")


def dayone_entry(
    item: Any, *, where: str, zone: tzinfo, zone_name: str, day_start: time
) -> tuple[Entry, int, bool]:
    """(the entry, photo links dropped, whether the time zone was guessed)."""
    if not isinstance(item, dict):
        raise bad(where, "it is not an object")
    uuid = item.get("uuid")
    if not isinstance(uuid, str) or not re.fullmatch(r"[0-9A-Za-z-]{1,64}", uuid):
        raise bad(where, "its uuid is missing or not letters and digits")
    where = f"{where} ({uuid})"
    created = parse_creation(item.get("creationDate"), where)
    entry_zone, entry_zone_name, guessed = zone, zone_name, True
    named = item.get("timeZone")
    if named is not None:
        if not isinstance(named, str):
            raise bad(where, "its timeZone is not a name like Europe/Berlin")
        try:
            entry_zone, entry_zone_name, guessed = load_zone(named), named, False
        except KeyError:
            raise bad(where, f"its timeZone {named!r} is not one this system knows") from None
    try:
        local = created.astimezone(entry_zone)
        if not (in_calendar(created.date()) and in_calendar(local.date())):
            raise ValueError
    except (OverflowError, ValueError):
        raise bad(where, f"its creationDate is outside {CALENDAR}") from None
    text, dropped = clean_text(item.get("text", ""), where)
    place = place_line(item.get("location"), where)
    if place:
        text = f"{text}\n\n{place}" if text else place
    if not text:
        text = PHOTOS_ONLY
    entry = Entry(
        id=dayone_id(local, uuid),
        created=local,
        day=journal_day(created, entry_zone, day_start),
        tz=entry_zone_name,
        text=text,
        tags=dayone_tags(item, where),
    )
    try:
        check_entry(entry)  # as every importer: nothing that would not read back
    except FileFormatError as error:
        raise bad(where, error.message) from None
    return entry, dropped, guessed


def parse_creation(value: object, where: str) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.replace(microsecond=0)
    raise bad(where, "its creationDate is missing or not like 2024-03-31T00:30:00Z")


def dayone_id(local: datetime, uuid: str) -> str:
    """The same id each time the same Day One entry is imported: its local creation
    time, then six characters drawn from its uuid."""
    number = int.from_bytes(hashlib.sha256(uuid.upper().encode()).digest()[:8], "big")
    suffix = ""
    for _ in range(6):
        number, rest = divmod(number, 36)
        suffix += ID_ALPHABET[rest]
    return f"{local:%Y-%m-%d-%H%M%S}-{suffix}"


def clean_text(value: object, where: str) -> tuple[str, int]:
    """Day One's Markdown as it reads: photo links out (counted), its backslash escapes
    and zero-width spaces gone, line endings unified, no runs of blank lines left."""
    if value is None:
        return "", 0
    if not isinstance(value, str):
        raise bad(where, "its text is not text")
    text, dropped = MOMENT_LINK.subn("", value.replace("\r\n", "\n"))
    text = ZERO_WIDTH.sub("", text)
    text = ESCAPED.sub(r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip(), dropped


def dayone_tags(item: dict[str, Any], where: str) -> tuple[str, ...]:
    tags = item.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise bad(where, "its tags are not a list of text")
    starred = item.get("starred", False)
    if not isinstance(starred, bool):
        raise bad(where, "its starred is not true or false")
    words = [as_tag(tag) for tag in tags]
    if starred:
        words.append("starred")
    return unique_tags(word for word in words if word)


def as_tag(tag: str) -> str:
    """A Day One tag (which may hold spaces) as one word: "New York" → "New-York"."""
    return "-".join(tag.strip().lstrip("#@").split())[:MAX_TAG_LENGTH]


def place_line(location: object, where: str) -> str | None:
    """'Place: Café Luna, Berlin, Germany' from the location's names, when it has any."""
    if location is None:
        return None
    if not isinstance(location, dict):
        raise bad(where, "its location is not an object")
    names = []
    for key in ("placeName", "localityName", "administrativeArea", "country"):
        value = location.get(key)
        if isinstance(value, str) and value.strip() and value.strip() not in names:
            names.append(value.strip())
    return "Place: " + ", ".join(names) if names else None
