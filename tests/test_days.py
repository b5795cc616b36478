"""Journal days: the 04:00 boundary, day_start, and DST days of 23 and 25 hours."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from helpers.cli import run_cli
from layers_journal.days import journal_day, load_zone, local_zone_name

BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)


def day_begins(day: date, zone: ZoneInfo, start: time) -> datetime:
    return datetime.combine(day, start, tzinfo=zone)


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        (datetime(2026, 11, 23, 3, 59, 59), date(2026, 11, 22)),
        (datetime(2026, 11, 23, 4, 0, 0), date(2026, 11, 23)),
        (datetime(2026, 11, 23, 23, 59), date(2026, 11, 23)),
        (datetime(2026, 11, 24, 0, 30), date(2026, 11, 23)),
    ],
)
def test_the_day_turns_at_four_in_the_morning(wall: datetime, expected: date) -> None:
    assert journal_day(wall.replace(tzinfo=BERLIN), BERLIN, FOUR) == expected


def test_day_start_is_configurable() -> None:
    late = datetime(2026, 11, 23, 5, 30, tzinfo=BERLIN)
    assert journal_day(late, BERLIN, time(6, 0)) == date(2026, 11, 22)
    assert journal_day(late, BERLIN, time(0, 0)) == date(2026, 11, 23)


def test_the_same_instant_belongs_to_the_zone_it_is_seen_from() -> None:
    instant = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 03:00 Berlin, 21:00 New York
    assert journal_day(instant, BERLIN, FOUR) == date(2026, 11, 22)
    assert journal_day(instant, ZoneInfo("America/New_York"), FOUR) == date(2026, 11, 22)
    assert journal_day(instant, ZoneInfo("Asia/Tokyo"), FOUR) == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("day", "start", "hours"),
    [
        # Berlin springs forward at 02:00 on 29 March and falls back at 03:00 on 25
        # October 2026; with a 04:00 day start those hours belong to the day before.
        (date(2026, 3, 28), FOUR, 23),
        (date(2026, 10, 24), FOUR, 25),
        (date(2026, 3, 29), time(0, 0), 23),
        (date(2026, 10, 25), time(0, 0), 25),
        (date(2026, 6, 1), FOUR, 24),
    ],
)
def test_dst_days_are_one_journal_day_each(day: date, start: time, hours: int) -> None:
    """Walk a DST day in real (UTC) time: every instant between its day start and the
    next belongs to it, however long the day is."""
    begins = day_begins(day, BERLIN, start)
    ends = day_begins(day + timedelta(days=1), BERLIN, start)
    length = ends.astimezone(UTC) - begins.astimezone(UTC)
    assert length == timedelta(hours=hours)
    instant = begins.astimezone(UTC)
    while instant < ends.astimezone(UTC):
        assert journal_day(instant, BERLIN, start) == day
        instant += timedelta(minutes=7)
    assert journal_day(ends, BERLIN, start) == day + timedelta(days=1)
    assert journal_day(begins - timedelta(seconds=1), BERLIN, start) == day - timedelta(days=1)


def test_the_repeated_hour_of_autumn_stays_on_its_day() -> None:
    # 2026-10-25 02:30 happens twice in Berlin; both belong to the 24th (before 04:00).
    first = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0)
    second = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1)
    assert first.astimezone(UTC) != second.astimezone(UTC)
    assert (
        journal_day(first, BERLIN, FOUR) == journal_day(second, BERLIN, FOUR) == date(2026, 10, 24)
    )


def test_zone_names(monkeypatch: pytest.MonkeyPatch) -> None:
    assert local_zone_name("Asia/Tokyo") == "Asia/Tokyo"
    monkeypatch.setenv("TZ", ":America/Chicago")
    assert local_zone_name(None) == "America/Chicago"
    assert load_zone("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    with pytest.raises(KeyError):
        load_zone("Not/AZone")


def test_a_posix_tz_rule_keeps_day_and_zone_together(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="far east", TZ="XYZ-13").returncode == 0
    exported = json.loads(run_cli(journal_home, "export", TZ="XYZ-13").stdout)["entries"][0]
    assert exported["tz"] == "UTC+13:00"
    presence = json.loads(run_cli(journal_home, "layers", "--json", TZ="XYZ-13").stdout)["presence"]
    assert presence["active_days"] == 1 and presence["status"] == "written"
