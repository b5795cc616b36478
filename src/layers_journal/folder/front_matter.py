"""Front matter read back: the plain `name = value` lines this tool writes, read
directly (a rebuild reads thousands of them), and anything else through tomllib."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from layers_journal.errors import FileFormatError


def read_fields(text: str, what: str) -> dict[str, Any]:
    """Front matter's fields: the plain lines this tool writes directly, anything else
    through tomllib (whose FileFormatError then says what is wrong with `what`)."""
    fields = plain_fields(text)
    return load_toml(text, what) if fields is None else fields


# The front matter this tool writes, read without tomllib (a rebuild reads thousands):
# one `name = value` line each, the values as format_fields writes them. Anything else,
# or anything odd, goes to tomllib, so what a file means never depends on this path.
PLAIN_STRING = r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:["\\nt]|u[0-9A-Fa-f]{4}))*"'
UNESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
# Names already seen to be bare keys, and the zones of offsets already met.
BARE_NAMES: set[str] = set()
OFFSETS: dict[str, timezone] = {}


@functools.cache
def plain_patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: most runs read no entry file at all."""
    return (
        re.compile(r"[A-Za-z0-9_-]+"),
        re.compile(PLAIN_STRING),
        re.compile(rf"\[(?:{PLAIN_STRING}(?:, {PLAIN_STRING})*)?\]"),
        re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"),
        re.compile(r'\\(["\\nt]|u[0-9A-Fa-f]{4})'),
    )


def plain_fields(text: str) -> dict[str, Any] | None:
    """The fields of front matter exactly as tomllib would read them, for the plain
    lines this tool writes; None for anything else (tomllib then decides)."""
    if not text.endswith("\n"):
        return None
    fields: dict[str, Any] = {}
    try:
        for line in text[:-1].split("\n"):
            name, equals, value = line.partition(" = ")
            if not equals or name in fields or not plain_name(name):
                return None
            found = plain_value(value)
            if found is None:
                return None
            fields[name] = found
    except ValueError:  # a date that does not exist, an offset out of range
        return None
    return fields


def plain_name(name: str) -> bool:
    if name in BARE_NAMES:
        return True
    if plain_patterns()[0].fullmatch(name) is None:
        return False
    BARE_NAMES.add(name)
    return True


def plain_value(value: str) -> Any:
    """A value as tomllib reads it, or None when it is not one of the plain forms."""
    _, string, strings, stamp, _ = plain_patterns()
    head = value[:1]
    if head == '"':
        inner = value[1:-1]
        # The common case: nothing escaped, no control characters (isprintable is
        # stricter than TOML, which only sends more to the full check).
        if value[-1:] == '"' and '"' not in inner and "\\" not in inner and inner.isprintable():
            return inner
        return plain_string(value) if string.fullmatch(value) else None
    if head == "[":
        if strings.fullmatch(value) is None:
            return None
        return [plain_string(item) for item in string.findall(value)]
    if not value.isascii():
        return None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        digits = value[:4] + value[5:7] + value[8:]
        return date(int(value[:4]), int(value[5:7]), int(value[8:])) if digits.isdigit() else None
    if len(value) == 25 and stamp.fullmatch(value):
        zone = OFFSETS.get(value[19:])
        if zone is None:
            sign = -1 if value[19] == "-" else 1
            hours, minutes = sign * int(value[20:22]), sign * int(value[23:25])
            zone = OFFSETS[value[19:]] = timezone(timedelta(hours=hours, minutes=minutes))
        numbers = (value[:4], value[5:7], value[8:10], value[11:13], value[14:16], value[17:19])
        year, month, day, hour, minute, second = map(int, numbers)
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    if value.isdigit() and len(value) <= 18 and (value == "0" or value[0] != "0"):
        return int(value)
    return None


def plain_string(quoted: str) -> str:
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    return plain_patterns()[4].sub(unescape, inner)


def unescape(match: re.Match[str]) -> str:
    escaped = match[1]
    if escaped[0] != "u":
        return UNESCAPED[escaped]
    code = int(escaped[1:], 16)
    if 0xD800 <= code <= 0xDFFF:  # not a character: tomllib refuses it
        raise ValueError(escaped)
    return chr(code)


def load_toml(text: str, what: str) -> dict[str, Any]:
    """TOML from a journal file; FileFormatError says what is wrong with `what`."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FileFormatError(f"{what} is not valid TOML ({error})") from None
    except RecursionError:
        raise FileFormatError(f"{what} is nested too deeply") from None
    except ValueError as error:  # a number or date TOML reads but Python cannot hold
        raise FileFormatError(f"{what} holds a value out of range ({error})") from None
