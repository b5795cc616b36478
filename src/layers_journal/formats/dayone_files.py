"""Reading a Day One export from disk: its .zip, one of its JSON files, or a Day One
Classic folder, each within limits.

Only the JSON files are read; media stay where they are. The archive is never unpacked
to disk, and its sizes are checked before anything is read, so a crafted archive (a
zip bomb, names leading out of the folder) is refused with a sentence.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from layers_journal.errors import ImportFormatError
from layers_journal.folder.storage import read_bounded
from layers_journal.formats.dayone_entries import bad

# Limits for reading an archive: generous for a life's journal, far below a bomb.
MAX_JSON_BYTES = 512 * 1024 * 1024  # all the JSON files together, unpacked
MAX_RATIO = 200  # unpacked / packed, for a member larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 200_000
# Day One writes one JSON file per journal, and a life's journal is far below these.
MAX_JSON_MEMBERS = 1000
MAX_ENTRIES = 500_000


class Source(NamedTuple):
    """One Day One journal: its name and its entries in the export's JSON shape."""

    name: str  # where it was read from, to name it in a message
    journal: str
    entries: list[Any]


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


def export_source(name: str, document: Any) -> Source:
    if not is_dayone_document(document):
        raise ImportFormatError(
            f'{name} is not a Day One export (no "metadata" and "entries" with uuids); '
            "nothing was imported."
        )
    return Source(name, PurePosixPath(name).stem or "Day One", document["entries"])


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


# --- Day One Classic: a .dayone folder of .doentry files ---------------------------


def is_classic(path: Path) -> bool:
    """A Day One Classic journal: a folder (Journal.dayone) holding entries/*.doentry."""
    entries = path / "entries"
    try:
        return entries.is_dir() and any(name.endswith(".doentry") for name in os.listdir(entries))
    except OSError:
        return False


def read_classic(path: Path) -> Source:
    """The .doentry files (Apple property lists) of a Day One Classic folder, in the
    shape of Day One's JSON export; a photo is photos/<UUID>.jpg beside them."""
    folder = path / "entries"
    if not is_classic(path):
        raise ImportFormatError(
            f"{path} is a folder without Day One Classic entries (entries/*.doentry); "
            "nothing was imported."
        )
    names = sorted(name for name in os.listdir(folder) if name.endswith(".doentry"))
    if len(names) > MAX_MEMBERS:
        raise ImportFormatError(
            f"{path} holds {len(names)} entries, more than a Day One journal would; "
            "nothing was imported."
        )
    photos = set(os.listdir(path / "photos")) if (path / "photos").is_dir() else set()
    entries = [classic_entry(folder / name, photos) for name in names]
    journal = path.name.removesuffix(".dayone") or "Day One"
    return Source(path.name, journal, entries)


def classic_entry(path: Path, photos: set[str]) -> dict[str, Any]:
    import plistlib

    where = f"Day One Classic entry {path.name}"
    try:
        data = read_bounded(path, MAX_JSON_BYTES)
        plist = plistlib.loads(data)
    except OSError as error:
        raise bad(where, f"it cannot be read ({(error.strerror or 'error').lower()})") from None
    except Exception:  # plistlib raises several kinds for a damaged file
        raise bad(where, "it is not a readable property list") from None
    if not isinstance(plist, dict):
        raise bad(where, "it is not a property list of an entry")
    created = plist.get("Creation Date")
    uuid = plist.get("UUID", path.stem)
    item: dict[str, Any] = {
        "uuid": uuid,
        # plistlib gives a naive datetime in UTC
        "creationDate": f"{created:%Y-%m-%dT%H:%M:%S}Z" if isinstance(created, datetime) else None,
        "text": plist.get("Entry Text", ""),
        "tags": plist.get("Tags", []),
        "starred": plist.get("Starred", False),
    }
    if plist.get("Time Zone") is not None:
        item["timeZone"] = plist["Time Zone"]
    location = plist.get("Location")
    if isinstance(location, dict):
        item["location"] = {
            new: location.get(old)
            for old, new in (
                ("Place Name", "placeName"),
                ("Locality", "localityName"),
                ("Administrative Area", "administrativeArea"),
                ("Country", "country"),
                ("Latitude", "latitude"),
            )
        }
    weather = plist.get("Weather")
    if isinstance(weather, dict):
        celsius = weather.get("Celsius")
        try:
            degrees = float(celsius) if celsius is not None else None
        except (TypeError, ValueError):
            degrees = None
        item["weather"] = {
            "conditionsDescription": weather.get("Description"),
            "temperatureCelsius": degrees,
        }
    if isinstance(uuid, str) and any(name.startswith(uuid + ".") for name in photos):
        item["photos"] = [{"identifier": f"classic-{uuid}"}]
    if plist.get("Music") is not None:
        item["music"] = plist["Music"]
    return item
