"""Dates as people write them by hand in a jrnl header: `[15 January 2024 9:30 pm]`.

jrnl reads an entry's header with its own time format first, and then with a fuzzy
date parser (python-dateutil, then parsedatetime), so a header typed in another shape
still starts an entry. This module reads the unambiguous part of that: a full date
(with its year) in the common written shapes, with or without a time. What it cannot
read for certain (`03/04/2024`, which is March or April, a date without its year,
`yesterday`) it says is a date it cannot read, so the importer refuses it by line
instead of guessing or joining two entries.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
WEEKDAYS = {
    "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu",
    "thur", "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun",
}  # fmt: skip
# Words that make a header a date relative to the day it is read.
RELATIVE = {
    "today", "yesterday", "tomorrow", "now", "ago", "last", "next", "noon", "midnight",
    "tonight", "morning", "afternoon", "evening", "night", "week", "weeks", "day", "days",
    "month", "months", "year", "years", "hour", "hours", "minutes",
}  # fmt: skip
TIME = re.compile(
    r"(?<![\d:])(?P<hour>\d{1,2})(?:[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<half>[ap]\.?m\.?)?(?![\w:])",
    re.IGNORECASE,
)
ZONE = re.compile(r"(?:\s*(?:z|utc|gmt)?\s*[+-]\d{2}:?\d{2}|\s*(?:z|utc|gmt))$", re.IGNORECASE)
ISO_DAY = re.compile(r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})")
NUMERIC_DAY = re.compile(r"(?P<first>\d{1,2})[-/.](?P<second>\d{1,2})[-/.](?P<year>\d{4}|\d{2})")
DATE_LIKE = re.compile(r"\d{1,4}\s*[-/.:]\s*\d{1,2}|\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)


class Reading(NamedTuple):
    """What a header's date says: a time, or why it cannot be read (None when the
    header does not look like a date at all, so it is ordinary text)."""

    when: datetime | None
    problem: str | None


def read_loose_date(blob: str) -> Reading:
    """A header's date written by hand, read only where it is certain."""
    text = blob.strip()
    words = {word.strip(",.").lower() for word in text.split()}
    date_like = bool(DATE_LIKE.search(text)) or bool(words & (set(MONTHS) | WEEKDAYS | RELATIVE))
    if not date_like:
        return Reading(None, None)
    if words & RELATIVE:
        return Reading(None, "it is a date relative to the day it is read")
    reading = absolute(text)
    if reading is None:
        return Reading(None, "it is not a full date this importer can read for certain")
    return reading


def absolute(text: str) -> Reading | None:
    rest = ZONE.sub("", text.replace("T", " ", 1) if ISO_DAY.match(text) else text)
    rest = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", rest)
    day = find_day(rest)
    if day is None:
        return None
    (year, month, number), rest = day
    hour = minute = second = 0
    found = TIME.search(rest)
    if found and (found.group("minute") or found.group("half")):
        hour, minute = int(found.group("hour")), int(found.group("minute") or 0)
        second = int(found.group("second") or 0)
        half = (found.group("half") or "").replace(".", "").lower()
        if half:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if half == "pm" else 0)
        rest = rest[: found.start()] + rest[found.end() :]
    leftover = [w for w in re.split(r"[\s,]+", rest) if w and w.lower().strip(".") not in WEEKDAYS]
    if leftover and leftover != ["at"]:
        return None
    try:
        return Reading(datetime(year, month, number, hour, minute, second), None)
    except ValueError:
        return None


def find_day(text: str) -> tuple[tuple[int, int, int], str] | None:
    """(year, month, day) and the text around it, from 2024-01-15, 15.01.2024 (when
    only one reading is possible), 15 January 2024 or January 15, 2024."""
    iso = ISO_DAY.search(text)
    if iso:
        found = (int(iso["year"]), int(iso["month"]), int(iso["day"]))
        return found, text[: iso.start()] + " " + text[iso.end() :]
    numeric = NUMERIC_DAY.search(text)
    if numeric:
        first, second = int(numeric["first"]), int(numeric["second"])
        if first <= 12 and second <= 12 and first != second:
            return None  # March or April: only the journal's time format can say
        month, number = (second, first) if first > 12 else (first, second)
        found = (full_year(numeric["year"]), month, number)
        return found, text[: numeric.start()] + " " + text[numeric.end() :]
    tokens = re.split(r"[\s,]+", text.strip())
    month_at = [i for i, token in enumerate(tokens) if token.lower().strip(".") in MONTHS]
    if len(month_at) != 1:
        return None
    at = month_at[0]
    month = MONTHS[tokens[at].lower().strip(".")]
    numbers = [
        (i, token) for i, token in enumerate(tokens) if re.fullmatch(r"\d{1,4}", token) and i != at
    ]
    years = [(i, token) for i, token in numbers if len(token) == 4]
    days = [(i, token) for i, token in numbers if len(token) <= 2 and abs(i - at) == 1]
    if len(years) != 1 or not days:
        return None
    used = {years[0][0], days[0][0], at}
    rest = " ".join(token for i, token in enumerate(tokens) if i not in used)
    return (int(years[0][1]), month, int(days[0][1])), rest


def full_year(digits: str) -> int:
    """A two-digit year as strptime's %y reads it: 69-99 are the 1900s."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return year + (1900 if year >= 69 else 2000)
