"""Entries and their file format: Markdown with TOML front matter between +++ lines.

+++
id = "2026-11-23-081502-k3f9qz"
created = 2026-11-23T08:15:02+01:00
day = 2026-11-23
tz = "Europe/Berlin"
theme = "awareness"
+++

The body, exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as dt_time
from typing import Any

from layers_journal.days import (
    CALENDAR,
    Clock,
    fixed_zone_name,
    in_calendar,
    load_zone,
    zone_problem,
)
from layers_journal.errors import FileFormatError
from layers_journal.model.entry import (
    MAX_TAG_LENGTH,
    Entry,
    clean_body,
    clean_tag,
    inline_tags,
    is_tag,
    unique_tags,
)
from layers_journal.model.layers import LAYERS

from .front_matter import load_toml as load_toml
from .front_matter import plain_fields as plain_fields
from .front_matter import read_fields
from .layout import ENTRY_ID

# The value and its rules live in model/entry.py; importing them from here keeps working.
__all__ = [
    "MAX_TAG_LENGTH",
    "Entry",
    "clean_body",
    "clean_tag",
    "inline_tags",
    "is_tag",
    "unique_tags",
]

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
FENCE = "+++"
# Larger files are reported, not loaded: an entry is a few lines, not a log dump.
MAX_ENTRY_BYTES = 16 * 1024 * 1024
# The most text one entry takes, leaving room for its front matter.
MAX_TEXT_BYTES = MAX_ENTRY_BYTES - 64 * 1024
# The most a journal file is read from disk: an entry, and age's few bytes per 64 KiB.
MAX_FILE_BYTES = MAX_ENTRY_BYTES + 64 * 1024
MAX_FRONT_MATTER_CHARS = 64 * 1024


def new_entry(
    clock: Clock,
    *,
    now: datetime,
    day: date,
    text: str,
    theme: str | None = None,
    prompt_id: str | None = None,
    prompt: str | None = None,
    mood: int | None = None,
    tags: Iterable[str] = (),
    kind: str | None = None,
    covers: tuple[date, date] | None = None,
    exercise: str | None = None,
    scales: Iterable[tuple[str, int]] = (),
    private: bool = False,
) -> Entry:
    """A new entry written `now` on the clock's zone, about journal day `day`."""
    created = now.astimezone(clock.zone).replace(microsecond=0)
    return Entry(
        id=new_entry_id(created),
        created=created,
        day=day,
        tz=clock.zone_name,
        text=text,
        theme=theme,
        prompt_id=prompt_id,
        prompt=prompt,
        mood=mood,
        tags=unique_tags(tags),
        kind=kind,
        covers=covers,
        exercise=exercise,
        scales=tuple(scales),
        private=private,
    )


def new_entry_id(created_local: datetime) -> str:
    from .storage import random_word

    suffix = random_word(6, ID_ALPHABET)
    return f"{created_local:%Y-%m-%d-%H%M%S}-{suffix}"


def derived_entry_id(created_local: datetime, key: str, *, start: str = "") -> str:
    """An id drawn from what identifies an entry in another tool (its uuid, its file's
    path), so importing the same thing twice gives the same id; `start` leads the six
    characters (an order among entries of one second)."""
    import hashlib  # only importers derive ids; hashlib loads OpenSSL

    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    number = int.from_bytes(digest[:8], "big")
    suffix = start
    while len(suffix) < 6:
        number, rest = divmod(number, 36)
        suffix += ID_ALPHABET[rest]
    return f"{created_local:%Y-%m-%d-%H%M%S}-{suffix}"


def zone_name_for(instant: datetime) -> str:
    """A zone name for an aware datetime whose tzinfo may be a bare offset."""
    key = getattr(instant.tzinfo, "key", None)
    if isinstance(key, str):
        return key
    return fixed_zone_name(instant.utcoffset() or timedelta(0))


# --- writing ---------------------------------------------------------------------


def toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(name: str) -> str:
    return name if BARE_KEY.fullmatch(name) else toml_string(name)


def toml_value(value: object) -> str:
    """One value of front matter in TOML: ours (strings, numbers, days, instants,
    lists) and whatever another tool put beside them (floats, times, tables), which an
    edit writes back as it read them."""
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        return repr(value) if abs(value) != float("inf") else ("inf" if value > 0 else "-inf")
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, date | dt_time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    raise TypeError(f"cannot write {type(value).__name__} into front matter")


def front_matter(entry: Entry) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": entry.id,
        "created": entry.created,
        "day": entry.day,
        "tz": entry.tz,
        "theme": entry.theme,
        "prompt_id": entry.prompt_id,
        "prompt": entry.prompt,
        "mood": entry.mood,
        "tags": list(entry.tags) if entry.tags else None,
        "kind": entry.kind,
        "covers": list(entry.covers) if entry.covers else None,
        "exercise": entry.exercise,
        "scales": dict(entry.scales) if entry.scales else None,
        "lookback": None if entry.lookback else False,
        "private": True if entry.private else None,
    }
    return {name: value for name, value in fields.items() if value is not None}


KNOWN_FIELDS = (*Entry._fields[:4], *Entry._fields[5:])


def format_fields(fields: Mapping[str, object]) -> str:
    return "".join(f"{toml_key(name)} = {toml_value(value)}\n" for name, value in fields.items())


def format_header(fields: Mapping[str, object]) -> str:
    return f"{FENCE}\n{format_fields(fields)}{FENCE}\n"


def format_meta(entry: Entry) -> str:
    """The readable metadata kept beside an encrypted entry: id, times, day, layer, and
    whether it is a review (the layers leave reviews out, and work without the key)."""
    fields = {
        "id": entry.id,
        "created": entry.created,
        "day": entry.day,
        "theme": entry.theme,
        "kind": entry.kind,
    }
    return format_fields({name: value for name, value in fields.items() if value is not None})


def format_entry(entry: Entry) -> str:
    return format_header(front_matter(entry)) + "\n" + entry.text + "\n"


def replace_front_matter(original: str, updated: Entry) -> str:
    """The same file with the front matter of `updated`: the body is kept byte for byte,
    and fields this version does not know (another tool's, or a later version's) are
    kept after the known ones (in the same writer's words: a table comes back inline)."""
    _, toml_text, body = split_front_matter(original)
    others = {
        name: value
        for name, value in load_toml(toml_text, "its front matter").items()
        if name not in KNOWN_FIELDS
    }
    return f"{FENCE}\n{format_fields({**front_matter(updated), **others})}{FENCE}\n\n{body}\n"


def replace_body(original: str, text: str) -> str:
    """The same file with a new body: the front matter is kept byte for byte."""
    header, _, _ = split_front_matter(original)
    return header + "\n" + text + "\n"


# --- reading ---------------------------------------------------------------------


OPENING_FENCE = re.compile(r"\+\+\+\r?\n")
CLOSING_FENCE = re.compile(r"^\+\+\+\r?$", re.MULTILINE)


def split_front_matter(content: str) -> tuple[str, str, str]:
    """(header including both fences, the TOML between them, body). The body is returned
    exactly as stored, without the blank line after the header and the final newline."""
    if content.startswith("\ufeff"):
        content = content[1:]
    opening = OPENING_FENCE.match(content)
    if opening is None:
        raise FileFormatError("it does not start with a +++ front matter line")
    closing = CLOSING_FENCE.search(content, opening.end(), opening.end() + MAX_FRONT_MATTER_CHARS)
    if closing is None:
        if CLOSING_FENCE.search(content, opening.end()):
            raise FileFormatError("its front matter is too large")
        raise FileFormatError("its front matter has no closing +++ line")
    header_end = closing.end() + (1 if content.startswith("\n", closing.end()) else 0)
    header, body = content[:header_end], content[header_end:]
    if not header.endswith("\n"):
        header += "\n"
    if body.startswith("\r\n"):
        body = body[2:]
    elif body.startswith("\n"):
        body = body[1:]
    if body.endswith("\n"):
        body = body[:-1]
    return header, content[opening.end() : closing.start()], body


def parse_entry(content: str) -> Entry:
    """An Entry from file text. Raises FileFormatError with the reason."""
    _, toml_text, body = split_front_matter(content)
    return entry_from_fields(read_fields(toml_text, "its front matter"), body)


def entry_from_fields(fields: Mapping[str, Any], text: str) -> Entry:
    """Validate front matter values (native TOML types). Raises FileFormatError."""
    entry_id = fields.get("id")
    if not isinstance(entry_id, str) or not ENTRY_ID.fullmatch(entry_id):
        raise FileFormatError("its id is missing or not like 2026-11-23-081502-k3f9qz")
    created = fields.get("created")
    if not isinstance(created, datetime) or created.utcoffset() is None:
        raise FileFormatError("its created time is missing or has no UTC offset")
    day = fields.get("day")
    if not isinstance(day, date) or isinstance(day, datetime):
        raise FileFormatError("its day is missing or not a date like 2026-11-23")
    if not in_calendar(day):
        raise FileFormatError(f"its day {day.isoformat()} is outside {CALENDAR}")
    tz = fields["tz"] if "tz" in fields else zone_name_for(created)
    if not isinstance(tz, str):
        raise FileFormatError("its tz is not a time zone name")
    problem = zone_problem(tz) or instant_problem(created, tz)
    if problem:
        raise FileFormatError(problem)
    theme = optional(fields, "theme", str)
    if theme is not None and theme not in LAYERS:
        raise FileFormatError(f"its theme {theme!r} is not one of {', '.join(LAYERS)}")
    mood = optional(fields, "mood", int)
    if mood is not None and (isinstance(mood, bool) or not 1 <= mood <= 5):
        raise FileFormatError("its mood is not a number from 1 to 5")
    tags = fields.get("tags", [])
    if not isinstance(tags, list) or not all(is_tag(tag) for tag in tags):
        raise FileFormatError("its tags are not a list of words")
    for name in ("prompt_id", "prompt", "text"):
        value = text if name == "text" else fields.get(name)
        if isinstance(value, str) and not storable(value):
            raise FileFormatError(f"its {name} holds a character that cannot be stored as UTF-8")
    if not all(storable(tag) for tag in tags):
        raise FileFormatError("its tags hold a character that cannot be stored as UTF-8")
    kind = optional(fields, "kind", str)
    if kind is not None and kind not in KINDS:
        raise FileFormatError(f"its kind {kind!r} is not one this journal knows (review, exercise)")
    exercise = optional(fields, "exercise", str)
    if exercise is not None and not SCALE_NAME.fullmatch(exercise):
        raise FileFormatError("its exercise is not a name of lowercase letters, digits and dashes")
    lookback = fields.get("lookback", True)
    if not isinstance(lookback, bool):
        raise FileFormatError("its lookback is not true or false")
    private = fields.get("private", False)
    if not isinstance(private, bool):
        raise FileFormatError("its private is not true or false")
    return Entry(
        id=entry_id,
        created=created,
        day=day,
        tz=tz,
        text=text,
        theme=theme,
        prompt_id=optional(fields, "prompt_id", str),
        prompt=optional(fields, "prompt", str),
        mood=mood,
        tags=tuple(tags),
        kind=kind,
        covers=read_covers(fields.get("covers")),
        lookback=lookback,
        exercise=exercise,
        scales=read_scales(fields.get("scales")),
        private=private,
    )


def instant_problem(created: datetime, tz: str) -> str | None:
    """Why a creation time cannot be used, or None: it must sit inside the calendar the
    journal works with as written, in UTC and on its own zone's clock, and its offset
    must be whole minutes (all TOML can write)."""
    offset = created.utcoffset()
    if offset is None or offset % timedelta(minutes=1):
        return "its created time has a UTC offset that is not whole minutes"
    try:
        zone: tzinfo | None = load_zone(tz)
    except KeyError:
        zone = created.tzinfo  # a zone this system does not know: its own offset
    try:
        moments = [created, created.astimezone(UTC), created.astimezone(zone)]
    except (OverflowError, ValueError):
        moments = []
    if not moments or not all(in_calendar(moment.date()) for moment in moments):
        return f"its created time {created.isoformat()} is outside {CALENDAR}"
    return None


def storable(text: str) -> bool:
    """Text that can be written as UTF-8 (a lone surrogate, from JSON's \\ud800, cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_entry(entry: Entry) -> Entry:
    """An entry about to be written, proven to read back exactly as it is: every value
    checked as a file's would be, then written out and read in. FileFormatError says
    what would not survive."""
    for name in ("text", "prompt", "prompt_id"):
        value = getattr(entry, name)
        if isinstance(value, str) and not storable(value):
            raise FileFormatError(f"its {name} holds a character that cannot be stored as UTF-8")
    try:
        content = format_entry(entry)
        size = len(content.encode("utf-8"))
        back = parse_entry(content)
    except (TypeError, ValueError) as error:  # UnicodeEncodeError is a ValueError
        raise FileFormatError(
            f"it cannot be written as an entry file ({error.__class__.__name__})"
        ) from None
    if size > MAX_ENTRY_BYTES:  # every command would pass such a file over as too large
        raise FileFormatError(
            f"its text is longer than one entry can hold ({MAX_ENTRY_BYTES // 2**20} MB)"
        )
    different = [name for name in Entry._fields if not same(name, back, entry)]
    if different:
        raise FileFormatError(f"its {', '.join(different)} would not read back the same")
    return entry


def same(name: str, one: Entry, other: Entry) -> bool:
    """One field of two entries alike. Creation times are compared as instants with
    their offsets: == says no across zones for a wall-clock time that a DST change
    repeats or skips (PEP 495), though it is the very same moment."""
    if name != "created":
        return bool(getattr(one, name) == getattr(other, name))
    return (one.created.astimezone(UTC), one.created.utcoffset()) == (
        other.created.astimezone(UTC),
        other.created.utcoffset(),
    )


KINDS = ("review", "exercise")
SCALE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MAX_SCALE = 1000


def read_scales(value: object) -> tuple[tuple[str, int], ...]:
    """An exercise's scales: a table of step name to a whole number from 0 to 1000."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(name, str)
        and SCALE_NAME.fullmatch(name)
        and isinstance(number, int)
        and not isinstance(number, bool)
        and 0 <= number <= MAX_SCALE
        for name, number in value.items()
    ):
        raise FileFormatError(
            "its scales are not a table of names and whole numbers from 0 to 1000"
        )
    return tuple(value.items())


def read_covers(value: object) -> tuple[date, date] | None:
    """A review's period: two dates, the first not after the second."""
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(day, date) and not isinstance(day, datetime) for day in value)
        and value[0] <= value[1]
    ):
        if not (in_calendar(value[0]) and in_calendar(value[1])):
            raise FileFormatError(f"its covers is outside {CALENDAR}")
        return (value[0], value[1])
    raise FileFormatError("its covers is not two dates like [2026-11-16, 2026-11-22]")


def optional(fields: Mapping[str, Any], name: str, kind: type) -> Any:
    value = fields.get(name)
    if value is not None and not isinstance(value, kind):
        raise FileFormatError(f"its {name} has the wrong type")
    return value


def decode_entry_bytes(data: bytes) -> str:
    if len(data) > MAX_ENTRY_BYTES:
        raise FileFormatError(f"it is too large to be an entry ({len(data) // 2**20} MB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileFormatError(f"it is not UTF-8 text (byte {error.start})") from None
