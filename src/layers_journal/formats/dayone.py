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
import json
import os
import re
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from layers_journal.days import CALENDAR, in_calendar, load_zone
from layers_journal.errors import FileFormatError, ImportFormatError
from layers_journal.folder.entries import (
    MAX_TAG_LENGTH,
    Entry,
    check_entry,
    derived_entry_id,
    is_tag,
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
MOMENT_LINK = re.compile(r"!\[[^\]\n]*\]\(dayone-moment:/*(?:([a-zA-Z]+)/)?[^)\s]*\)")
MEDIA_KINDS = {
    "video": "video",
    "audio": "audio recording",
    "pdfattachment": "PDF",
    "sketch": "drawing",
}
MEDIA_LISTS = {
    "photos": "photo",
    "videos": "video",
    "audios": "audio recording",
    "pdfAttachments": "PDF",
}
MEDIA_ORDER = ("photo", "video", "audio recording", "PDF", "drawing")
MEDIA_PLURALS = {
    "photo": "photos",
    "video": "videos",
    "audio recording": "audio recordings",
    "PDF": "PDFs",
    "drawing": "drawings",
}
# A link to another Day One entry: dayone2://view?entryId=UUID (maybe more parameters).
ENTRY_LINK = re.compile(r"dayone2:/+view\?(?:[^)\s]*?&)?entryId=([0-9A-Za-z-]+)[^)\s]*")
# What an entry may hold that does not come along, by the words the summary names it.
LEFT_OUT = {
    "coordinates": "the coordinates",
    "userActivity": "the steps and activity",
    "music": "the music",
    "isPinned": "the pinned mark",
}
# Day One escapes Markdown's punctuation in its exports (\. \- \! \( ...).
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>,:;='\"&/])")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


class DayOneImport(NamedTuple):
    entries: list[Entry]
    # entry id → the Day One journal it came from (its JSON file's or folder's name)
    journals: dict[str, str]
    # What came along and what was left out, a sentence each, with counts.
    summary: tuple[str, ...]


class Source(NamedTuple):
    """One Day One journal: its name and its entries in the export's JSON shape."""

    name: str  # where it was read from, to name it in a message
    journal: str
    entries: list[Any]


@dataclass
class Tally:
    """What the import did with the parts of Day One entries, counted."""

    media: Counter[str] = field(default_factory=Counter)  # kind → kept in the export
    unlinked: int = 0  # media the text did not place, marked at the entry's end
    places: int = 0
    weather: int = 0
    all_day: int = 0
    guessed: int = 0  # entries without a time zone, read in the journal's
    left_out: Counter[str] = field(default_factory=Counter)  # what → in how many entries
    links: int = 0  # dayone2:// links now pointing at the imported entry
    dead_links: int = 0  # to entries not in this export


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


def read_dayone(
    path: Path, *, zone: tzinfo, zone_name: str, journal_tags: bool = True
) -> DayOneImport:
    """Every entry of a Day One export (.zip or .json) or of a Day One Classic folder,
    each on the calendar date Day One showed it on, in its own zone. Raises
    ImportFormatError naming the first entry that cannot be read; writes nothing."""
    if path.is_dir():
        sources = [read_classic(path)]
    elif is_zip(path):
        sources = [export_source(name, document) for name, document in read_archive(path)]
    else:
        sources = [export_source(path.name, read_json_file(path))]
    tally = Tally()
    read: list[tuple[Source, str, Any, datetime, str, bool]] = []
    ids: dict[str, str] = {}  # Day One uuid (upper case) → entry id
    for source in sources:
        for number, item in enumerate(source.entries, 1):
            where = f"Day One entry {number} of {source.name}"
            uuid, local, zone_named, guessed = entry_time(item, where, zone, zone_name)
            where = f"{where} ({uuid})"
            entry_id = dayone_id(local, uuid)
            ids.setdefault(uuid.upper(), entry_id)
            read.append((source, where, item, local, zone_named, guessed))
    entries: list[Entry] = []
    journals: dict[str, str] = {}
    for source, where, item, local, zone_named, guessed in read:
        tally.guessed += guessed
        tag = as_tag(source.journal) if journal_tags else ""
        entry = dayone_entry(
            item, where=where, local=local, zone_name=zone_named, ids=ids, tally=tally,
            journal_tag=tag if is_tag(tag) else None,
        )  # fmt: skip
        entries.append(entry)
        journals[entry.id] = source.journal
    return DayOneImport(entries, journals, summary(journals, tally, zone_name, journal_tags))


def export_source(name: str, document: Any) -> Source:
    if not is_dayone_document(document):
        raise ImportFormatError(
            f'{name} is not a Day One export (no "metadata" and "entries" with uuids); '
            "nothing was imported."
        )
    return Source(name, PurePosixPath(name).stem or "Day One", document["entries"])


def summary(
    journals: dict[str, str], tally: Tally, zone_name: str, journal_tags: bool
) -> tuple[str, ...]:
    """The import's account, a sentence each: what came along, then what stays in the
    export or was left out, with counts."""
    said = []
    names = Counter(journals.values())
    which = ", ".join(f"{count} from {name}" for name, count in names.items())
    journal_word = "journal" if len(names) == 1 else "journals"
    tagged = ", each tagged with its journal's name" if journal_tags else ""
    said.append(
        f"Came along: {plural_of(len(journals), 'entry', 'entries')} from {len(names)} Day One "
        f"{journal_word} ({which}){tagged}, with their tags and stars."
    )
    kept = []
    if tally.places:
        kept.append(f"the place of {plural_of(tally.places, 'entry', 'entries')}")
    if tally.weather:
        kept.append(f"the weather of {tally.weather}")
    if kept:
        said.append(f"Came along as a last line of the text: {join_words(kept)}.")
    if tally.all_day:
        all_day = plural_of(tally.all_day, "all-day entry", "all-day entries")
        said.append(f"Came along on their date: {all_day}, at midnight.")
    if tally.links:
        said.append(
            f"Came along as links to the imported entry: {plural_of(tally.links, 'link', 'links')} "
            "between Day One entries."
        )
    if tally.media:
        kinds = [
            plural_of(tally.media[kind], kind, MEDIA_PLURALS[kind])
            for kind in MEDIA_ORDER
            if tally.media[kind]
        ]
        markers = ", ".join(f"[{kind}]" for kind in MEDIA_ORDER if tally.media[kind])
        unplaced = (
            f", or at its end for the {tally.unlinked} it did not show" if tally.unlinked else ""
        )
        said.append(
            f"Stay in the Day One export: {join_words(kinds)}; the text marks where each one "
            f"was ({markers}){unplaced}."
        )
    if tally.dead_links:
        said.append(
            f"Stay dayone2:// links: {plural_of(tally.dead_links, 'link', 'links')} to Day One "
            "entries not in this export."
        )
    if tally.left_out:
        first = True
        parts = []
        for what in LEFT_OUT.values():
            if tally.left_out[what]:
                count = tally.left_out[what]
                parts.append(
                    f"{what} of {plural_of(count, 'entry', 'entries') if first else count}"
                )
                first = False
        said.append(f"Left out: {join_words(parts)}.")
    if tally.guessed:
        had = "entry had" if tally.guessed == 1 else "entries had"
        was = "was" if tally.guessed == 1 else "were"
        said.append(f"{tally.guessed} {had} no time zone and {was} read as {zone_name}.")
    return tuple(said)


def plural_of(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def join_words(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


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


def entry_time(
    item: Any, where: str, zone: tzinfo, zone_name: str
) -> tuple[str, datetime, str, bool]:
    """(uuid, the creation time on its own zone's wall clock, that zone's name, whether
    the zone was guessed): what the entry's id and date come from."""
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
    return uuid, local, entry_zone_name, guessed


def dayone_entry(
    item: dict[str, Any],
    *,
    where: str,
    local: datetime,
    zone_name: str,
    ids: dict[str, str],
    tally: Tally,
    journal_tag: str | None,
) -> Entry:
    """One Day One entry as an entry here, on the date Day One showed it on (its local
    calendar date: an all-day entry sits at local midnight)."""
    entry_id = dayone_id(local, str(item["uuid"]))
    text = clean_text(item.get("text", ""), where, tally)
    text = point_links(text, entry_id, ids, tally)
    linked = set(
        re.findall(r"dayone-moment:/*(?:[a-zA-Z]+/)?([0-9A-Za-z-]+)", str(item.get("text") or ""))
    )
    unlinked = unlinked_media(item, linked, where)
    tally.unlinked += len(unlinked)
    for kind in unlinked:
        tally.media[kind] += 1
    lines = [f"[{kind}]" for kind in unlinked]
    place = place_line(item.get("location"), where)
    weather = weather_line(item.get("weather"))
    tally.places += place is not None
    tally.weather += weather is not None
    lines += [line for line in (place, weather) if line]
    if lines:
        text = (text + "\n\n" if text else "") + "\n".join(lines)
    if item.get("isAllDay") is True:
        tally.all_day += 1
    for key, what in LEFT_OUT.items():
        if left_out(item, key):
            tally.left_out[what] += 1
    tags = dayone_tags(item, where)
    if journal_tag:
        tags = unique_tags([*tags, journal_tag])
    entry = Entry(
        id=entry_id,
        created=local,
        day=local.date(),
        tz=zone_name,
        text=text,
        tags=tags,
    )
    try:
        check_entry(entry)  # as every importer: nothing that would not read back
    except FileFormatError as error:
        raise bad(where, error.message) from None
    return entry


def left_out(item: dict[str, Any], key: str) -> bool:
    value = item.get(key)
    if key == "coordinates":
        location = item.get("location")
        return isinstance(location, dict) and location.get("latitude") is not None
    if key == "isPinned":
        return value is True
    return value not in (None, {}, [], "")


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
    return derived_entry_id(local, uuid.upper())


def clean_text(value: object, where: str, tally: Tally) -> str:
    """Day One's Markdown as it reads: each photo, video or recording a quiet marker
    where it was ([photo], [video]…, counted), its backslash escapes and zero-width
    spaces gone, line endings unified, no runs of blank lines left."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise bad(where, "its text is not text")

    def marker(match: re.Match[str]) -> str:
        kind = MEDIA_KINDS.get((match.group(1) or "").lower(), "photo")
        tally.media[kind] += 1
        return f"[{kind}]"

    text = MOMENT_LINK.sub(marker, value.replace("\r\n", "\n"))
    text = ZERO_WIDTH.sub("", text)
    text = ESCAPED.sub(r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def point_links(text: str, entry_id: str, ids: dict[str, str], tally: Tally) -> str:
    """dayone2://view?entryId=… links at the imported entry's file, as a path from this
    entry's file (both are entries/YYYY/MM/<id>.md); those to entries not in this export
    stay as they are, and are counted."""

    def relink(match: re.Match[str]) -> str:
        target = ids.get(match.group(1).upper())
        if target is None:
            tally.dead_links += 1
            return match.group(0)
        tally.links += 1
        return f"../../{target[:4]}/{target[5:7]}/{target}.md"

    return ENTRY_LINK.sub(relink, text)


def unlinked_media(item: dict[str, Any], linked: set[str], where: str) -> list[str]:
    """The kinds of the media an entry holds that its text does not show."""
    found = []
    for key, kind in MEDIA_LISTS.items():
        listed = item.get(key)
        if listed is None:
            continue
        if not isinstance(listed, list):
            raise bad(where, f"its {key} is not a list")
        for medium in listed:
            identifier = medium.get("identifier") if isinstance(medium, dict) else None
            if identifier not in linked:
                found.append(kind)
    return found


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
    """A Day One tag or journal name (which may hold spaces) as one word: "New York" →
    "New-York"."""
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


def weather_line(weather: object) -> str | None:
    """'Weather: Mostly cloudy, 6 °C': the sky and the temperature, in a few words."""
    if not isinstance(weather, dict):
        return None
    words = []
    described = weather.get("conditionsDescription")
    if isinstance(described, str) and described.strip():
        words.append(described.strip())
    degrees = weather.get("temperatureCelsius")
    if isinstance(degrees, int | float) and not isinstance(degrees, bool) and abs(degrees) < 100:
        words.append(f"{round(degrees)} °C")
    return "Weather: " + ", ".join(words) if words else None


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
