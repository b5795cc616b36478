"""Export and import: the layers-journal JSON document, Markdown, and jrnl's formats.

Importers read and check the whole input before anything is written; a malformed
document raises ImportFormatError naming the entry, and the journal is left untouched.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

from layers_journal.days import CALENDAR, in_calendar, load_zone
from layers_journal.errors import FileFormatError, ImportFormatError
from layers_journal.folder.entries import (
    ID_ALPHABET,
    Entry,
    check_entry,
    derived_entry_id,
    entry_from_fields,
    is_tag,
    unique_tags,
)
from layers_journal.folder.pauses import Pause, check_pause
from layers_journal.formats.loose_dates import read_loose_date

FORMAT_NAME = "layers-journal"
FORMAT_VERSION = 1
JRNL_TIME_FORMATS = (
    "%Y-%m-%d %I:%M:%S %p",  # jrnl's install default, "%F %r"
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %I:%M %p",
)
JRNL_HEADER = re.compile(r"^\[([^\]\n]+)\] (.*)$")
# Where jrnl itself begins an entry: "[", anything but "]", then "] " at a line's start
# (on one line: jrnl's own pattern may run across lines, and so swallow a header).
JRNL_HEADER_AT = re.compile(r"(?:^|\n)\[([^\]\n]+)\] ")
JRNL_BARE_HEADER = re.compile(r"^\[([^\]\n]{7,})\]$")
# jrnl 1.x: "2013-04-09 15:39 Title", its default time format with no brackets.
JRNL_ONE_HEADER = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} ")
# ID_ALPHABET in the order ids sort, so an id's start can carry an order.
SORTED_ALPHABET = "".join(sorted(ID_ALPHABET))
# jrnl's own tag pattern for its default tag symbols (# and @).
JRNL_TAG = re.compile(r"(?<!\S)[#@][-+*#/\w]+")


class Imported(NamedTuple):
    entries: list[Entry]
    pauses: list[Pause]
    # What the person should know about how it was read (zones, for one).
    notes: tuple[str, ...] = ()


def load_json(text: str, source: str) -> Any:
    """JSON, or ImportFormatError saying why not (nesting and numbers included: JSON
    allows what Python will not hold)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}); "
            "nothing was imported."
        ) from None
    except RecursionError:
        raise ImportFormatError(
            f"{source} is nested too deeply to be a journal; nothing was imported."
        ) from None
    except ValueError as error:  # a number of thousands of digits
        raise ImportFormatError(
            f"{source} holds a value out of range ({error}); nothing was imported."
        ) from None


# --- the layers-journal JSON document -----------------------------------------------


def export_document(entries: Iterable[Entry], pauses: Iterable[tuple[Pause, str | None]]) -> str:
    """The JSON export, entries oldest first; pauses come with their (opened) notes."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "entries": [entry.to_json() for entry in entries],
        "pauses": [{**pause.to_json(), "note": note} for pause, note in pauses],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_document(text: str, source: str) -> Imported:
    document = load_json(text, source)
    if not isinstance(document, dict) or (
        document.get("format") != FORMAT_NAME and not is_history_output(document)
    ):
        raise ImportFormatError(
            f'{source} is not a layers-journal export (its "format" is not {FORMAT_NAME!r}); '
            "nothing was imported."
        )
    if document.get("version") != FORMAT_VERSION:
        raise ImportFormatError(
            f"{source} is version {document.get('version')!r} of the format, and this "
            f"journal reads version {FORMAT_VERSION}; nothing was imported."
        )
    raw_entries, raw_pauses = document.get("entries"), document.get("pauses", [])
    if not isinstance(raw_entries, list) or not isinstance(raw_pauses, list):
        raise ImportFormatError(
            f'{source}: "entries" and "pauses" must be lists; nothing was imported.'
        )
    entries = [entry_from_json(item, number) for number, item in enumerate(raw_entries, 1)]
    pauses = [pause_from_json(item, number) for number, item in enumerate(raw_pauses, 1)]
    for kind, ids in (("entry", [e.id for e in entries]), ("pause", [p.id for p in pauses])):
        seen: set[str] = set()
        for item_id in ids:
            if item_id in seen:
                raise ImportFormatError(
                    f"The {kind} id {item_id} appears twice in {source}; nothing was imported."
                )
            seen.add(item_id)
    unknown = sorted({entry.tz for entry in entries if not knows_zone(entry.tz)})
    notes: tuple[str, ...] = ()
    if unknown:
        notes = (
            f"This system does not know the time zone {', '.join(map(repr, unknown[:3]))}"
            f"{' and others' if len(unknown) > 3 else ''}; those entries keep it, and "
            "their times are shown with their own UTC offsets.",
        )
    return Imported(entries, pauses, notes)


def knows_zone(name: str) -> bool:
    try:
        load_zone(name)
    except KeyError:
        return False
    return True


def is_history_output(document: dict[str, Any]) -> bool:
    """`journal history --json` output: entries in the export's shape, no pauses."""
    entries = document.get("entries")
    return (
        "format" not in document
        and "version" in document
        and isinstance(entries, list)
        and all(isinstance(item, dict) and "id" in item and "created" in item for item in entries)
    )


def bad(where: str, reason: str) -> ImportFormatError:
    return ImportFormatError(f"{where}: {reason}; nothing was imported.")


def entry_from_json(item: Any, number: int) -> Entry:
    """An entry of the JSON document, checked as an entry file is, plus what only an
    import can get wrong (text dates, an unknown zone, tags with spaces)."""
    where = f"Entry {number}"
    if not isinstance(item, dict):
        raise bad(where, "it is not an object")
    if isinstance(item.get("id"), str):
        where = f"Entry {number} ({item['id']})"
    # JSON carries times and days as text and absent values as null.
    fields = {name: value for name, value in item.items() if value is not None}
    fields["created"] = parse_instant(item.get("created"), where)
    fields["day"] = parse_day(item.get("day"), where, "day")
    if item.get("covers") is not None:
        fields["covers"] = parse_covers(item["covers"], where)
    text = item.get("text")
    if not isinstance(text, str):
        raise bad(where, "it has no text")
    if "tz" not in fields:
        raise bad(where, "it has no tz")
    # An unknown zone name is kept (the import notes it): an export must always import
    # back, and a zone this system lacks may be one another system has.
    try:
        return check_entry(entry_from_fields(fields, text))
    except FileFormatError as error:
        raise bad(where, error.message) from None


def parse_instant(value: object, where: str) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.replace(microsecond=0)  # entries keep whole seconds
    raise bad(where, "its created time is missing or not like 2026-11-23T08:15:02+01:00")


def parse_day(value: object, where: str, name: str) -> date:
    # ASCII digits only: \d would take other scripts' digits too.
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise bad(where, f"its {name} is missing or not like 2026-11-23")


def parse_covers(value: object, where: str) -> list[date]:
    """A review's period as JSON carries it: two days as text."""
    if not isinstance(value, list) or len(value) != 2:
        raise bad(where, "its covers is not two days like 2026-11-16")
    return [parse_day(day, where, "covers") for day in value]


def pause_from_json(item: Any, number: int) -> Pause:
    where = f"Pause {number}"
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise bad(where, "it has no id")
    if not re.fullmatch(r"[0-9a-z-]{1,64}", item["id"]):
        raise bad(where, "its id is not lowercase letters, digits and dashes")
    where = f"Pause {number} ({item['id']})"
    start = parse_day(item.get("start"), where, "start")
    end = parse_day(item.get("end"), where, "end")
    if end < start:
        raise bad(where, "it ends before it starts")
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise bad(where, "its note is not text")
    try:
        return check_pause(Pause(id=item["id"], start=start, end=end, note=note))
    except FileFormatError as error:
        raise bad(where, error.message) from None


# --- Markdown -------------------------------------------------------------------------


def markdown_entry(entry: Entry) -> str:
    local = entry.created_local
    heading = f"### {local:%H:%M}" + (f" · {entry.theme}" if entry.theme else "")
    if entry.kind == "review":
        heading += " · review" + (
            f" of {entry.covers[0]} to {entry.covers[1]}" if entry.covers else ""
        )
    if entry.kind == "exercise":
        heading += " · exercise"
    if entry.private:  # only there when the export was asked to --include-private
        heading += " · private"
    parts = [heading, ""]
    if entry.prompt:
        # A review's prompts are one a line: each its own paragraph of the quote.
        parts += ["\n>\n".join(f"> {line}" for line in entry.prompt.split("\n")), ""]
    text = entry.text.rstrip()
    if entry.kind == "exercise":
        # Its steps sit under the entry's own ### heading, not beside the days' ##.
        text = re.sub(r"(?m)^## ", "#### ", text)
    parts += [text, ""]
    details = []
    if entry.mood is not None:
        details.append(f"mood {entry.mood}/5")
    if entry.tags:
        details.append("tags: " + ", ".join(entry.tags))
    if local.date() != entry.day:
        details.append(f"written {local:%Y-%m-%d}")
    if details:
        parts += ["*" + " · ".join(details) + "*", ""]
    return "\n".join(parts)


def markdown_document(entries: Sequence[Entry], title: str) -> str:
    """A printable document: entries oldest first, one heading per day."""
    lines = [f"# {title}", ""]
    current: date | None = None
    for entry in entries:
        if entry.day != current:
            current = entry.day
            lines += [f"## {current:%A} {current.day} {current:%B %Y}", ""]
        lines.append(markdown_entry(entry))
    if not entries:
        lines.append("*No entries yet.*\n")
    return "\n".join(lines).rstrip() + "\n"


def markdown_months(entries: Sequence[Entry]) -> dict[str, str]:
    """--split: one document per month, named YYYY-MM.md."""
    months: dict[str, list[Entry]] = {}
    for entry in entries:
        months.setdefault(f"{entry.day:%Y-%m}", []).append(entry)
    return {
        f"{month}.md": markdown_document(items, f"Journal, {items[0].day:%B %Y}")
        for month, items in months.items()
    }


# --- jrnl -------------------------------------------------------------------------------


def jrnl_tags(text: str) -> list[str]:
    """Tags as jrnl finds them (@word and #word), lowercased, without the symbol."""
    found = (match.lstrip("#@").lower() for match in JRNL_TAG.findall(text))
    return list(unique_tags(tag for tag in found if is_tag(tag)))


def jrnl_entry_id(created: datetime, text: str, ordinal: int, place: int | None = None) -> str:
    """Deterministic ids, so importing the same jrnl journal twice adds nothing twice.
    Entries sharing their time (place = their order among them) get ids that sort in
    the order of the source, as jrnl keeps them: entries of one time sort by id."""
    start = ""
    if place is not None and place < len(SORTED_ALPHABET) ** 2:
        high, low = divmod(place, len(SORTED_ALPHABET))
        start = SORTED_ALPHABET[high] + SORTED_ALPHABET[low]
    # surrogatepass: text from JSON may hold a lone surrogate, refused later with a reason
    return derived_entry_id(created, f"{created.isoformat()}\n{ordinal}\n{text}", start=start)


def jrnl_entries(
    records: Sequence[tuple[datetime, str, list[str], bool]],
    *,
    zone: tzinfo,
    zone_name: str,
) -> list[Entry]:
    """Entries from (naive local time, text, tags, starred) in the current zone, each
    on the calendar date jrnl showed it on, and checked to read back as it is
    (ImportFormatError names the first that would not)."""
    entries: list[Entry] = []
    seen: dict[tuple[datetime, str], int] = {}
    sharing = Counter(naive for naive, _, _, _ in records)
    places: Counter[datetime] = Counter()
    for number, (naive, text, tags, starred) in enumerate(records, 1):
        where = f"jrnl entry {number} ({naive:%Y-%m-%d %H:%M})"
        if not in_calendar(naive.date()):
            raise bad(f"jrnl entry {number}", f"its date is outside {CALENDAR}")
        created = naive.replace(tzinfo=zone)
        ordinal = seen.get((naive, text), 0)
        seen[(naive, text)] = ordinal + 1
        place = places[naive] if sharing[naive] > 1 else None
        places[naive] += 1
        if starred and "starred" not in tags:
            tags = [*tags, "starred"]
        entry = Entry(
            id=jrnl_entry_id(created, text, ordinal, place),
            created=created,
            day=naive.date(),
            tz=zone_name,
            text=text,
            tags=tuple(tags),
        )
        try:
            entries.append(check_entry(entry))
        except FileFormatError as error:
            raise bad(where, error.message) from None
    return entries


def detect_time_format(text: str, given: str | None) -> str:
    candidates = (given,) if given else JRNL_TIME_FORMATS
    for line in text.splitlines():
        match = JRNL_HEADER.match(line)
        if not match:
            continue
        for fmt in candidates:
            if fmt and parses(match.group(1), fmt):
                return fmt
        break
    if given:
        raise ImportFormatError(
            f"The first entry's date does not match the time format {given!r}; "
            "nothing was imported."
        )
    raise ImportFormatError(
        "The first entry's date is in a format this importer does not know; give it with "
        "--time-format (jrnl's timeformat setting, e.g. '%Y-%m-%d %H:%M'). Nothing was imported."
    )


def parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def header_time(blob: str, fmt: str, line: int) -> datetime | None:
    """The time of a `[date] ` header as jrnl reads it: with the journal's time format,
    else as a date written by hand; None when jrnl would take it for text (a short
    `[1] ` footnote, `[Note] `). A date that cannot be read for certain is refused by
    its line, never folded into the entry before it."""
    try:
        return datetime.strptime(blob, fmt)
    except ValueError:
        pass
    if len(blob) <= 6:  # jrnl, too, reads these as text (a footnote's [1] )
        return None
    reading = read_loose_date(blob)
    if reading.problem:
        raise ImportFormatError(
            f"Line {line} starts an entry dated [{blob}], and {reading.problem}; write it "
            f"as the other entries are ({datetime(2025, 1, 5, 9, 30).strftime(fmt)}). "
            "Nothing was imported."
        )
    return reading.when


def read_jrnl_text(
    text: str, time_format: str | None
) -> list[tuple[datetime, str, list[str], bool]]:
    """jrnl's plain-text journal: a `[date] ` at the start of a line begins an entry,
    wherever jrnl itself would begin one; its first line is the title."""
    refuse_encrypted(text)
    refuse_jrnl_one(text)
    fmt = detect_time_format(text, time_format)
    starts: list[tuple[int, int, datetime]] = []  # (header start, text start, time)
    line = 1
    last = 0
    for match in JRNL_HEADER_AT.finditer(text):
        begin = match.start() + (1 if text[match.start()] == "\n" else 0)
        line += text.count("\n", last, begin)
        last = begin
        when = header_time(match.group(1), fmt, line)
        if when is not None:
            starts.append((match.start(), match.end(), when))
    if not starts:
        raise ImportFormatError("No jrnl entries were found in that file; nothing was imported.")
    before = text[: starts[0][0]]
    if before.strip():
        number = before.count("\n", 0, len(before) - len(before.lstrip())) + 1
        raise ImportFormatError(
            f"Line {number} comes before the first jrnl entry header "
            "([date] title); is this a jrnl journal? Nothing was imported."
        )
    refuse_unspaced_headers(text, fmt)
    records: list[tuple[datetime, str, list[str], bool]] = []
    for number, (_, begin, when) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(text)
        title, _, body = text[begin:end].partition("\n")
        starred = title.strip().endswith("*")
        if starred:
            title = title.strip(" *")
        full = title + ("\n" + body.rstrip() if body.strip() else "")
        records.append((when, full, jrnl_tags(full), starred))
    return records


def refuse_unspaced_headers(text: str, fmt: str) -> None:
    """A line that is only `[date]` (no space, no title) is text to jrnl, which joins it
    to the entry before; here it is named, so no two entries are joined unseen."""
    for number, line in enumerate(text.split("\n"), 1):
        match = JRNL_BARE_HEADER.match(line)
        if match and (parses(match.group(1), fmt) or read_loose_date(match.group(1)).when):
            raise ImportFormatError(
                f"Line {number} is a date in brackets with no space or title after it, so jrnl "
                "reads it as part of the entry before; add a space after the ] to make it an "
                "entry of its own. Nothing was imported."
            )


def refuse_jrnl_one(text: str) -> None:
    """jrnl 1.x wrote its dates without brackets; jrnl 2 and later convert such a
    journal when they first open it with its old configuration."""
    if any(JRNL_HEADER.match(line) for line in text.splitlines()[:200]):
        return
    first = next((line for line in text.splitlines() if line.strip()), "")
    if JRNL_ONE_HEADER.match(first):
        raise ImportFormatError(
            "This is a jrnl 1.x journal (its dates have no [brackets]); jrnl 2 or later "
            "converts it the first time it runs with its old configuration (run jrnl once), "
            "and the converted file imports. Nothing was imported."
        )


def read_jrnl_json(document: Any, source: str) -> list[tuple[datetime, str, list[str], bool]]:
    """`jrnl --format json` output."""
    items = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ImportFormatError(f'{source} has no "entries" list; nothing was imported.')
    records = []
    for number, item in enumerate(items, 1):
        where = f"jrnl entry {number}"
        if not isinstance(item, dict):
            raise bad(where, "it is not an object")
        title, body = item.get("title"), item.get("body", "")
        if not isinstance(title, str) or not isinstance(body, str):
            raise bad(where, "it has no title and body text")
        try:
            when = datetime.strptime(f"{item.get('date')} {item.get('time')}", "%Y-%m-%d %H:%M")
        except ValueError:
            raise bad(where, "its date and time are not like 2025-01-05 and 09:30") from None
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise bad(where, "its tags are not a list of text")
        cleaned = unique_tags(t.lstrip("#@").lower() for t in tags if is_tag(t.lstrip("#@")))
        text = title + ("\n" + body if body.strip() else "")
        records.append((when, text, list(cleaned), bool(item.get("starred"))))
    return records


def refuse_old_encrypted(data: bytes) -> None:
    """jrnl 1.x encrypted a journal as raw AES blocks (16 bytes of IV, then whole
    16-byte blocks): no text at all, so it is named before it is read as text."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if len(data) >= 32 and len(data) % 16 == 0:
            raise ImportFormatError(
                "This looks like a journal encrypted by jrnl 1.x; jrnl 2 or later decrypts "
                "it (jrnl --decrypt, with this file as the journal in jrnl's configuration), "
                "and the decrypted file imports. Nothing was imported."
            ) from None


def refuse_encrypted(text: str) -> None:
    if text.startswith(("gAAAAA", "JRNLv3")) or "\x00" in text:
        raise ImportFormatError(
            "This jrnl journal looks encrypted; decrypt it with jrnl first (jrnl --decrypt). "
            "Nothing was imported."
        )


def detect_format(text: str) -> str:
    refuse_encrypted(text)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
            return "json"  # let the JSON reader explain what is wrong
        if isinstance(document, dict) and (
            document.get("format") == FORMAT_NAME or is_history_output(document)
        ):
            return "json"
        if isinstance(document, dict) and "entries" in document:
            return "jrnl-json"
        return "json"
    if any(JRNL_HEADER.match(line) for line in text.splitlines()[:50]):
        return "jrnl"
    refuse_jrnl_one(text)
    raise ImportFormatError(
        "Cannot tell what kind of file this is; say with --format json, jrnl or jrnl-json. "
        "Nothing was imported."
    )


def read_import(
    text: str,
    *,
    source: str,
    kind: str,
    zone: tzinfo,
    zone_name: str,
    time_format: str | None = None,
) -> Imported:
    """Parse and check a whole import file. Raises ImportFormatError, writes nothing."""
    if kind == "auto":
        kind = detect_format(text)
    if kind == "json":
        return read_document(text, source)
    if kind == "jrnl":
        records = read_jrnl_text(text, time_format)
    elif kind == "jrnl-json":
        records = read_jrnl_json(load_json(text, source), source)
    else:
        raise ImportFormatError(f"Unknown import format {kind!r}.")
    entries = jrnl_entries(records, zone=zone, zone_name=zone_name)
    note = f"jrnl stores no time zone; times were read as {zone_name}."
    return Imported(entries, [], (note,))
