"""Which days `journal lookback` looks back to: this day a week, a month, a year and
every further year ago, by the day an entry is about. Pure: no I/O, no clock.

29 February: in a year that has none, the look back from 29 February lands on 28
February; and on 28 February of a year without a 29th, the 29ths of earlier leap years
are looked back to as well, so an entry from 29 February comes back every year.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from layers_journal.days import FIRST_YEAR


class Moment(NamedTuple):
    """One time ago: its words, its days (more than one only around 29 February), and
    how far from them an entry may be (--days)."""

    words: str
    days: tuple[date, ...]


def moments(today: date, *, first_year: int = FIRST_YEAR) -> list[Moment]:
    """A week ago, a month ago, then a year, two years… back to first_year."""
    found = [
        Moment("a week ago", (today - timedelta(days=7),)),
        Moment("a month ago", (month_before(today),)),
    ]
    for back in range(1, today.year - first_year + 1):
        year = today.year - back
        days = [same_day_in(year, today)]
        if (today.month, today.day) == (2, 28) and is_leap(year) and not is_leap(today.year):
            days.append(date(year, 2, 29))
        found.append(Moment("a year ago" if back == 1 else f"{back} years ago", tuple(days)))
    return found


def same_day_in(year: int, today: date) -> date:
    """This month and day in another year; 28 February for a 29th that year lacks."""
    if today.month == 2 and today.day == 29 and not is_leap(year):
        return date(year, 2, 28)
    return today.replace(year=year)


def month_before(today: date) -> date:
    """The same day a month earlier, or that month's last day when it is shorter."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(today.day, last_day))


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def around(days: tuple[date, ...], reach: int) -> set[date]:
    """The days within reach of any of days."""
    return {day + timedelta(days=n) for day in days for n in range(-reach, reach + 1)}
