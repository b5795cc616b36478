"""A value of the layers model as bytes and back, for keeping its result in the index.

marshal rather than pickle: reading a kept value builds nothing but plain values and
the model module's own NamedTuples, so whatever the cache file holds, loading it can
never run code. Anything else (a set, an enum, a class from elsewhere) is refused when
freezing, and the result is then simply not kept.
"""

from __future__ import annotations

import marshal
import zlib
from datetime import date
from types import ModuleType
from typing import Any

# Bumped when the encoding below changes, so values frozen the old way are not read.
FORMAT = 1
PLAIN = (type(None), bool, int, float, str)


def freeze(value: Any, kinds: ModuleType) -> bytes:
    """value as bytes; TypeError for anything but plain values, dates, lists, tuples,
    dicts and NamedTuples defined in the module `kinds`."""
    return marshal.dumps(encode(value, kinds))


def thaw(data: bytes, kinds: ModuleType) -> Any:
    """The value freeze was given; ValueError when data is not such a value."""
    try:
        return decode(marshal.loads(data), kinds)  # noqa: S302 (decode takes only plain values)
    except (EOFError, TypeError, IndexError, KeyError) as error:
        raise ValueError(f"not a frozen value ({error.__class__.__name__})") from None


def encode(value: Any, kinds: ModuleType) -> Any:
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is date:
        return ("d", value.toordinal())
    if kind is list:
        return [encode(item, kinds) for item in value]
    if kind is dict:
        return {encode(key, kinds): encode(item, kinds) for key, item in value.items()}
    if kind is tuple:
        return ("t", tuple(encode(item, kinds) for item in value))
    if hasattr(kind, "_fields") and getattr(kinds, kind.__name__, None) is kind:
        return ("n", kind.__name__, tuple(encode(item, kinds) for item in value))
    raise TypeError(f"cannot freeze {kind.__name__}")


def decode(value: Any, kinds: ModuleType) -> Any:
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is list:
        return [decode(item, kinds) for item in value]
    if kind is dict:
        return {decode(key, kinds): decode(item, kinds) for key, item in value.items()}
    if kind is tuple and value[0] == "d":
        return date.fromordinal(value[1])
    if kind is tuple and value[0] == "t":
        return tuple(decode(item, kinds) for item in value[1])
    if kind is tuple and value[0] == "n":
        cls = getattr(kinds, value[1], None)
        fields = getattr(cls, "_fields", None)
        if not isinstance(cls, type) or not issubclass(cls, tuple) or fields is None:
            raise ValueError(f"{value[1]!r} is not a kind of value here")
        if len(fields) != len(value[2]):
            raise ValueError(f"{value[1]} has other fields now")
        return cls(*(decode(item, kinds) for item in value[2]))
    raise ValueError(f"unexpected {kind.__name__} in a frozen value")


def fingerprint(module: ModuleType) -> str | None:
    """Names the code of a module (its source's CRC and length) and this encoding, so
    a kept result is used only by the code that computed it; None when the source
    cannot be read (then nothing is kept)."""
    try:
        with open(str(module.__file__), "rb") as handle:
            source = handle.read()
    except (OSError, TypeError):
        return None
    return f"{FORMAT}:{zlib.crc32(source):08x}:{len(source)}"
