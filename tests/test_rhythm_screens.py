"""A rhythm of your own, as a person meets it: journal rhythm, the offer after a save, and
the words of every screen in the rhythm's unit, over weeks of saves on a pinned clock."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers.cli import run_cli

MONDAY = date(2026, 3, 2)
GENTLE = ("broke", "lost", "missed", "failed", "!", "streak")


def week_day(week: int, weekday: int) -> date:
    """Weekday 0 (Monday) to 6 (Sunday) of week 1, 2, … from MONDAY."""
    return MONDAY + timedelta(weeks=week - 1, days=weekday)


def save(home: Path, clock_at, day: date) -> str:  # type: ignore[no-untyped-def]
    clock_at(day)
    result = run_cli(home, "today", stdin=f"A page for {day}.")
    assert result.returncode == 0, result.stderr
    for harsh in GENTLE:
        assert harsh not in result.stderr.lower()
    return result.stderr


def screen(home: Path, clock_at, day: date, *args: str) -> str:  # type: ignore[no-untyped-def]
    clock_at(day)
    result = run_cli(home, *args, COLUMNS="100", NO_COLOR="1")
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


def test_a_weekend_writer_is_never_told_a_steady_weekend_is_a_return(
    journal_home: Path,
    clock_at,  # type: ignore[no-untyped-def]
) -> None:
    said = {}
    for week in range(1, 9):
        if week > 2:  # a steady weekend ahead: the page is open, no welcome back
            nudge = screen(journal_home, clock_at, week_day(week, 5), "nudge")
            assert nudge.startswith("today's page is open")
        for weekday in (5, 6):
            said[week, weekday] = save(journal_home, clock_at, week_day(week, weekday))
    everything = " ".join(said.values())
    assert "Welcome back" not in everything and "away" not in everything
    assert said[2, 5].startswith("Saved. You have written on 1 day this week.")
    # The offer, after a save, once the last six complete weeks are steady (week 7) …
    offers = [key for key, words in said.items() if "journal rhythm 2/week" in words]
    assert offers == [(7, 5)]
    # … and on the layers screen while it stands, in place of any sentence on returns.
    layers = screen(journal_home, clock_at, week_day(8, 6), "layers")
    assert "journal rhythm 2/week would count your practice in weeks" in layers
    assert "come back" not in layers and "came back" not in layers
    detail = screen(journal_home, clock_at, week_day(8, 6), "layers", "--detail")
    assert "came back" not in detail and "days away" not in detail
    review = screen(journal_home, clock_at, week_day(8, 6), "review", "--month", "--show")
    assert "came back" not in review

    clock_at(week_day(8, 6))
    chosen = run_cli(journal_home, "rhythm", "2/week")
    assert chosen.returncode == 0 and "Your rhythm is now 2/week" in chosen.stderr
    layers = screen(journal_home, clock_at, week_day(8, 6), "layers")
    assert "this week is kept · 8 weeks running" in layers
    assert "journal rhythm" not in layers

    for week in range(9, 13):
        saturday = save(journal_home, clock_at, week_day(week, 5))
        assert f"Your chain holds {week - 1} weeks; this week is still open." in saturday
        sunday = save(journal_home, clock_at, week_day(week, 6))
        assert f"This week is kept · {week} weeks running." in sunday
    # A weekend without a page: a week of grace, never a welcome back.
    assert screen(journal_home, clock_at, week_day(14, 2), "nudge").startswith("today's page")
    quiet = screen(journal_home, clock_at, week_day(14, 2), "layers")
    assert "a week off last week; the chain holds" in quiet and "12 weeks running" in quiet
    saturday = save(journal_home, clock_at, week_day(14, 5))
    assert saturday.startswith("Saved. A week of grace keeps your chain of 12 weeks going.")
    sunday = save(journal_home, clock_at, week_day(14, 6))
    assert "a week of grace kept your chain going, and it now holds 13 weeks" in sunday
    # Three weeks away, then a weekend: the return, in weeks.
    assert screen(journal_home, clock_at, week_day(18, 2), "nudge").startswith("good to see you")
    away = screen(journal_home, clock_at, week_day(18, 2), "layers")
    assert "Everything you have built is still here" in away and "away" not in away
    back = save(journal_home, clock_at, week_day(18, 5))
    assert back.startswith("Welcome back, after 3 weeks away.")
    kept = save(journal_home, clock_at, week_day(18, 6))
    assert "This week is kept; coming back is the practice." in kept
    layers = screen(journal_home, clock_at, week_day(18, 6), "layers")
    assert "this week is kept · your first week" not in layers
    # The week of grace is grace; only the three weeks away are a return.
    assert "You came back once, after 3 weeks away" in layers
    assert "days away" not in layers
    clock_at(week_day(18, 6))
    document = json.loads(run_cli(journal_home, "layers", "--json").stdout)
    presence = document["presence"]
    assert (document["rhythm"], document["suggested_rhythm"], presence["unit"]) == (
        "2/week", None, "week",
    )  # fmt: skip
    assert (presence["returns"]["total"], presence["returns"]["last"], presence["best"]) == (
        2, 3, 13,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rhythm", "weekdays"),
    [("5/week", (0, 1, 2, 3, 4)), ("1/week", (2,))],
    ids=["Monday to Friday", "once a week"],
)
def test_steady_weekly_writers_on_the_default_and_on_their_rhythm(
    journal_home: Path,
    clock_at,  # type: ignore[no-untyped-def]
    rhythm: str,
    weekdays: tuple[int, ...],
) -> None:
    said = [save(journal_home, clock_at, week_day(w, d)) for w in range(1, 8) for d in weekdays]
    assert not any("Welcome back" in words or "away" in words for words in said)
    assert any(f"journal rhythm {rhythm}" in words for words in said)
    clock_at(week_day(7, weekdays[-1]))
    assert run_cli(journal_home, "rhythm", rhythm).returncode == 0
    said = [save(journal_home, clock_at, week_day(w, d)) for w in range(8, 11) for d in weekdays]
    assert not any("Welcome back" in words or "journal rhythm" in words for words in said)
    assert "This week is kept · 10 weeks running." in said[-1]
    layers = screen(journal_home, clock_at, week_day(10, 6), "layers")
    assert "this week is kept · 10 weeks running" in layers
    assert "every week since you began" not in layers  # eight weeks shown: the last eight
    assert "every one of the last 8 weeks" in layers


def test_journal_rhythm_shows_sets_and_refuses(journal_home: Path) -> None:
    shown = run_cli(journal_home, "rhythm")
    assert shown.returncode == 0 and "Your rhythm is daily, the default" in shown.stdout
    for bad in ("7/week", "weekly", "2/7"):
        refused = run_cli(journal_home, "rhythm", bad)
        assert refused.returncode == 2
        assert refused.stderr.count("\n") == 1 and "1/week to 6/week" in refused.stderr
    config = journal_home / "config" / "config.toml"
    assert not config.exists() or "rhythm" not in config.read_text()
    assert run_cli(journal_home, "rhythm", "3/week").returncode == 0
    assert run_cli(journal_home, "config", "get", "rhythm").stdout.strip() == "3/week"
    assert "Your rhythm is 3/week" in run_cli(journal_home, "rhythm").stdout
    daily = run_cli(journal_home, "rhythm", "daily")
    assert "no other rhythm will be offered" in daily.stderr
    assert "as you chose" in run_cli(journal_home, "rhythm").stdout


def test_the_offer_is_said_at_most_every_28_days_and_never_after_choosing_daily(
    journal_home: Path,
    clock_at,  # type: ignore[no-untyped-def]
) -> None:
    offered = []
    for week in range(1, 16):
        for weekday in (5, 6):
            words = save(journal_home, clock_at, week_day(week, weekday))
            if "journal rhythm 2/week" in words:
                offered.append(week_day(week, weekday))
    assert offered == [week_day(7, 5), week_day(11, 5), week_day(15, 5)]
    assert all(b - a >= timedelta(days=28) for a, b in itertools.pairwise(offered))
    clock_at(week_day(15, 6))
    assert run_cli(journal_home, "rhythm", "daily").returncode == 0
    later = [save(journal_home, clock_at, week_day(w, d)) for w in range(16, 21) for d in (5, 6)]
    assert not any("journal rhythm" in words for words in later)


def test_two_returns_are_named_and_usually_waits_for_three() -> None:
    from layers_journal.model.layers import Returns
    from layers_journal.ui.words import returns_sentence

    two = Returns(total=2, last=1, typical=3.0, recent=(5, 1))
    assert returns_sentence(two) == (
        "You came back after 5 days and after 1 day; coming back is part of the practice."
    )
    three = Returns(total=3, last=2, typical=2.0, recent=(5, 1, 2))
    assert returns_sentence(three, "week") == "You usually come back within 2 weeks."
