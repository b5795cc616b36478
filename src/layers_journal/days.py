"""Journal days: a day runs from day_start (04:00) to day_start, in local wall-clock time.

Working on wall-clock times in the entry's own zone keeps DST days of 23 or 25 hours one
journal day each, which "seconds // 86400" would not.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cached_property
from pathlib import Path


def journal_day(instant: datetime, zone: tzinfo, day_start: time) -> date:
    """The journal day an aware instant belongs to, seen from zone."""
    return wall_clock_day(instant.astimezone(zone), day_start)


def wall_clock_day(local: datetime, day_start: time) -> date:
    """The journal day of a wall-clock time already expressed in its own zone."""
    if local.time() < day_start:
        return local.date() - timedelta(days=1)
    return local.date()


def load_zone(name: str) -> tzinfo:
    """A tzinfo for a stored zone name; names like UTC+01:00 become fixed offsets."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        pass
    if name.startswith("UTC") and len(name) == 9:
        sign = -1 if name[3] == "-" else 1
        hours, minutes = int(name[4:6]), int(name[7:9])
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    raise KeyError(name)


def fixed_zone_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def local_zone_name(configured: str | None = None) -> str:
    """The IANA name of the zone new entries are written in.

    Order: config `timezone`, $TZ, /etc/localtime's target, /etc/timezone. When $TZ holds
    something that is not a zone name (a POSIX rule such as CET-1CEST), or the system
    names no zone, the clock's current offset is used (UTC+01:00), so the zone always
    agrees with the wall clock the journal day is read from.
    """
    if configured and is_zone_name(configured):
        return configured
    tz = os.environ.get("TZ")
    if tz is not None:
        name = tz.lstrip(":")
        return name if name and is_zone_name(name) else current_offset_name()
    candidates = []
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and is_zone_name(name):
            return name
    return current_offset_name()


def current_offset_name() -> str:
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    return "UTC" if not offset else fixed_zone_name(offset)


def is_zone_name(name: str) -> bool:
    from zoneinfo import ZoneInfo

    if name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return False
    return True


class Clock:
    """Now and today for one journal: its zone and when its days begin. The CLI asks
    the clock; the model and prompt choice are handed the day it gives."""

    def __init__(self, configured_zone: str | None, day_start: time) -> None:
        self.configured_zone = configured_zone
        self.day_start = day_start

    @cached_property
    def zone_name(self) -> str:
        return local_zone_name(self.configured_zone)

    @cached_property
    def zone(self) -> tzinfo:
        return load_zone(self.zone_name)

    def now(self) -> datetime:
        """The current instant in the journal's zone, to the second (as entries store it)."""
        return datetime.now(self.zone).replace(microsecond=0)

    def day_of(self, instant: datetime) -> date:
        return journal_day(instant, self.zone, self.day_start)

    def today(self) -> date:
        """The journal day it is now. Without a configured zone this is the system's
        wall clock, which needs no time zone database."""
        if self.configured_zone:
            return self.day_of(self.now())
        return wall_clock_day(datetime.now(), self.day_start)


# --- days as people say them --------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Years before this are refused: typos like 0226-11-23, and no one journals that far back.
FIRST_YEAR = 1900
DAY_WORDS_HELP = "like 2026-11-23, today, yesterday, 3 days ago, last monday"


def parse_day(value: str, today: date, *, future: bool = False) -> date:
    """A day as typed: ISO (2026-11-23), today, yesterday, `N days ago`, `N weeks ago`,
    a weekday name (the latest such day, today included), `last monday` (the one before
    today); with future=True also tomorrow and `next friday`.

    Raises ValueError with a sentence that says what was expected.
    """
    words = " ".join(value.lower().split())
    if not words:
        raise ValueError(f"an empty day is not a day; give one {DAY_WORDS_HELP}")
    found = spoken_day(words, today, future=future)
    if found is None and spoken_day(words, today, future=True) is not None:
        raise ValueError(f"{value.strip()!r} is after today; only a pause can be planned ahead")
    if found is None:
        try:
            found = date.fromisoformat(words)
        except ValueError:
            extra = ", tomorrow" if future else ""
            raise ValueError(f"{value.strip()!r} is not a date {DAY_WORDS_HELP}{extra}") from None
    if found.year < FIRST_YEAR:
        raise ValueError(
            f"{found.isoformat()} is before {FIRST_YEAR}; the journal keeps days from then on"
        )
    return found


def spoken_day(words: str, today: date, *, future: bool) -> date | None:
    """The day a phrase names, None when it is no phrase this knows."""
    fixed = {"today": 0, "yesterday": -1, **({"tomorrow": 1} if future else {})}
    if words in fixed:
        return today + timedelta(days=fixed[words])
    parts = words.split()
    if len(parts) == 3 and parts[2] == "ago" and parts[0].isdigit():
        unit = {"day": 1, "days": 1, "week": 7, "weeks": 7}.get(parts[1])
        if unit is not None and int(parts[0]) <= 100_000:
            return today - timedelta(days=int(parts[0]) * unit)
        return None
    which, name = ("", parts[0]) if len(parts) == 1 else (parts[0], parts[-1])
    if len(parts) > 2 or name not in WEEKDAYS or which not in ("", "last", "next"):
        return None
    if which == "next":
        if not future:
            return None
        return today + timedelta(days=(WEEKDAYS.index(name) - today.weekday() - 1) % 7 + 1)
    back = (today.weekday() - WEEKDAYS.index(name)) % 7
    if which == "last" and back == 0:
        back = 7
    return today - timedelta(days=back)
