"""Journal days: a day runs from day_start (04:00) to day_start, in local wall-clock time.

Working on wall-clock times in the entry's own zone keeps DST days of 23 or 25 hours one
journal day each, which "seconds // 86400" would not.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cached_property, lru_cache
from pathlib import Path

# The years the journal keeps, in files as when typed: from 1900 (before it, typos like
# 0226-11-23, and zones whose local mean time no UTC offset in whole minutes can write)
# to a year clear of the calendar's end, so moving a time across zones or a day back
# can never overflow.
FIRST_YEAR, LAST_YEAR = 1900, 9998
CALENDAR = f"the years {FIRST_YEAR} to {LAST_YEAR}"
# A zone named by its fixed offset, as the journal writes one: UTC+05:30.
FIXED_ZONE = re.compile(r"UTC([+-])([0-9]{2}):([0-9]{2})")


def journal_day(instant: datetime, zone: tzinfo, day_start: time) -> date:
    """The journal day an aware instant belongs to, seen from zone."""
    return wall_clock_day(instant.astimezone(zone), day_start)


def wall_clock_day(local: datetime, day_start: time) -> date:
    """The journal day of a wall-clock time already expressed in its own zone."""
    if local.time() < day_start:
        return local.date() - timedelta(days=1)
    return local.date()


def in_calendar(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


@lru_cache(maxsize=1024)  # a rebuild asks for the same few zones for every entry
def load_zone(name: str) -> tzinfo:
    """A tzinfo for a stored zone name; names like UTC+01:00 become fixed offsets.
    KeyError for anything else (an unknown name, an offset of a day or more)."""
    from zoneinfo import ZoneInfo

    fixed = fixed_offset(name)
    if fixed is not None:
        return timezone(fixed)
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        pass
    raise KeyError(name)


def fixed_offset(name: str) -> timedelta | None:
    """The offset a name like UTC+05:30 stands for; None for other names or an offset
    no clock has (24 hours or more, 60 minutes or more)."""
    match = FIXED_ZONE.fullmatch(name)
    if match is None:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if hours > 23 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if sign == "-" else offset


def zone_problem(name: str) -> str | None:
    """Why a stored zone name cannot be used, or None. A name this system does not know
    is fine (the entry's own UTC offset is used); a broken offset name is not."""
    if not name or len(name) > 64 or not name.isprintable() or " " in name:
        return f"its tz {name!r} is not a time zone name"
    if name.startswith(("UTC+", "UTC-")) and fixed_offset(name) is None:
        return f"its tz {name!r} is not a UTC offset between -23:59 and +23:59"
    return None


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
        return name if name and is_zone_name(name) else current_offset_name() or "UTC"
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
    return current_offset_name() or "UTC"


def current_offset_name() -> str | None:
    """The system clock's offset as a zone name; None when the system's zone is broken
    (TZ=UTC+99:99 gives an offset no datetime can hold)."""
    try:
        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    except (ValueError, OverflowError):
        return None
    return "UTC" if not offset else fixed_zone_name(offset)


def is_zone_name(name: str) -> bool:
    from zoneinfo import ZoneInfo

    if name.startswith("/") or ".." in name or not name.isprintable():
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return False
    return True


class Clock:
    """Now and today for one journal: its zone and when its days begin. The CLI asks
    the clock; the model and prompt choice are handed the day it gives."""

    def __init__(
        self, configured_zone: str | None, day_start: time, notes: list[str] | None = None
    ) -> None:
        self.configured_zone = configured_zone
        self.day_start = day_start
        # Where to say that the system's zone could not be used.
        self.notes = notes if notes is not None else []

    @cached_property
    def zone_name(self) -> str:
        name = local_zone_name(self.configured_zone)
        if not self.system_clock_usable:
            self.notes.append(
                "The system's time zone (TZ) cannot be used, so times are kept in UTC; "
                "journal config set timezone Europe/Berlin (or yours) sets one."
            )
        return name

    @cached_property
    def system_clock_usable(self) -> bool:
        return self.configured_zone is not None or current_offset_name() is not None

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
        if self.configured_zone or not self.system_clock_usable:
            return self.day_of(self.now())
        return wall_clock_day(datetime.now(), self.day_start)


# --- days as people say them --------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str) -> int:
    """Seconds in a duration such as 15m, 2h, 1h30m, 90s or 1d (a bare number is
    minutes). Raises ValueError naming what it could not read."""
    import re

    text = value.strip().lower().replace(" ", "")
    if text.isdigit():
        text += "m"
    parts = re.findall(r"(\d+)([smhd])", text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise ValueError(f"{value.strip()!r} is not a duration like 15m, 2h or 1h30m")
    return sum(int(number) * DURATION_UNITS[unit] for number, unit in parts)
