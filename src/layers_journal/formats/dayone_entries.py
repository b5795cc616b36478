"""One Day One entry turned into an entry here: its date in its own zone, its text as
it reads (media as quiet markers, links between entries pointing at the imported file),
its tags, place and weather, and a tally of what came along and what was left out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from layers_journal.days import CALENDAR, in_calendar, load_zone
from layers_journal.errors import FileFormatError, ImportFormatError
from layers_journal.folder.entries import (
    MAX_TAG_LENGTH,
    Entry,
    check_entry,
    derived_entry_id,
    unique_tags,
)

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
