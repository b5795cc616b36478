"""A year of daily prompts through `journal today`: what the morning and the evening
writer meet, that nothing repeats within a year, and that the next year is another order.

Each day is a real `journal today` run in this process, with the clock pinned to that
day's hour, and a real save. The year and the hours run on the shipped library; the
choosing itself (another prompt, a prompt kept for the day) on a generated one, so
those tests say what they mean whatever the prompts' words.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from helpers.campaigns import sized
from helpers.cli import run_cli
from helpers.documents import berlin
from layers_journal import prompts
from layers_journal.model.layers import LAYERS

Pin = Callable[[datetime], None]
# The second year in full with LAYERS_JOURNAL_LONG=1; its first 90 days otherwise (enough
# to see its order is not the first year's).
SECOND_YEAR = sized(90, 366)


@pytest.fixture
def pin_clock(monkeypatch: pytest.MonkeyPatch) -> Pin:
    """The journal's clock stopped at a moment the test sets (only the CLI reads it)."""
    from layers_journal.days import Clock

    moment: dict[str, datetime] = {}

    def now(self: Clock) -> datetime:
        return moment["now"].astimezone(self.zone).replace(microsecond=0)

    monkeypatch.setattr(Clock, "now", now)
    monkeypatch.setattr(Clock, "today", lambda self: self.day_of(self.now()))
    return lambda when: moment.update(now=when)


def write_fixture_library(folder: Path, *, any_time: int, morning: int, evening: int) -> None:
    """Prompt files shaped like the shipped ones: per layer `any_time` prompts for any
    hour and `morning` and `evening` ones, spread over the three depths."""
    folder.mkdir(parents=True, exist_ok=True)
    for layer in LAYERS:
        lines = [f"# {layer}, generated for a test\n"]
        number = 0
        for when, count in (("any", any_time), ("morning", morning), ("evening", evening)):
            for n in range(count):
                number += 1
                lines.append(
                    f'\n[[prompt]]\nid = "{layer}-{number:03d}"\ndepth = {1 + n % 3}\n'
                    f'when = "{when}"\ntext = "Prompt {number} of {layer}, for {when}?"\n'
                )
        lines.append(f'\n[[prompt]]\nid = "{layer}-review-1"\ndepth = "review"\ntext = "R?"\n')
        (folder / f"{layer}.toml").write_text("".join(lines))


@pytest.fixture
def fixture_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "library"
    write_fixture_library(folder, any_time=100, morning=25, evening=25)
    monkeypatch.setattr(prompts, "shipped_prompt_dir", lambda: folder)
    return folder


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of saves: what is counted here is the prompts, not the disk's patience."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def write_daily(home: Path, pin: Pin, first: datetime, days: int) -> list[str]:
    """`journal today` once a day at first's hour, each day's page saved: the prompt
    ids the pages were written to, day by day."""
    for offset in range(days):
        pin(first + timedelta(days=offset))
        saved = run_cli(home, "today", stdin=f"Day {offset}.")
        assert saved.returncode == 0, saved.stderr
    listed = json.loads(
        run_cli(home, "history", "--json", "--since", first.date().isoformat()).stdout
    )
    pages = sorted(listed["entries"], key=lambda entry: entry["created"])
    assert [p["day"] for p in pages] == [
        (first + timedelta(days=n)).date().isoformat() for n in range(days)
    ]
    return [p["prompt_id"] for p in pages]


def library_when(home: Path) -> dict[str, str]:
    listed = json.loads(run_cli(home, "prompts", "--json").stdout)["prompts"]
    return {p["id"]: p["when"] for p in listed}


@pytest.mark.parametrize(("hour", "minute", "never"), [(7, 30, "evening"), (21, 30, "morning")])
def test_sixty_days_at_one_hour_never_meet_the_other_end_of_the_day(
    journal_home: Path, pin_clock: Pin, hour: int, minute: int, never: str
) -> None:
    when = library_when(journal_home)
    met = write_daily(journal_home, pin_clock, berlin(2026, 3, 1, hour, minute), 60)
    assert not [p for p in met if when[p] == never]
    other = "morning" if never == "evening" else "evening"
    assert any(when[p] == other for p in met)  # its own end of the day comes up


@pytest.mark.parametrize("hour", [7, 21])
def test_a_year_of_daily_writing_repeats_nothing_and_the_next_year_is_another_order(
    journal_home: Path, pin_clock: Pin, hour: int
) -> None:
    """The shipped library, written to every day for a year at one hour (07:40 or
    21:40): no prompt twice, and the next year begins in another order."""
    ids = write_daily(journal_home, pin_clock, berlin(2026, 1, 1, hour, 40), 366)
    assert len(set(ids)) == 366, "a prompt came back within the year"
    later = write_daily(journal_home, pin_clock, berlin(2027, 1, 2, hour, 40), SECOND_YEAR)
    assert len(set(later)) == len(later)
    for layer in LAYERS:
        this = [i for i in ids if i.startswith(layer)]
        next_year = [i for i in later if i.startswith(layer)]
        assert next_year != this[: len(next_year)], f"{layer} replayed last year's order"


def test_another_prompt_stays_for_the_rest_of_the_day(
    journal_home: Path, pin_clock: Pin, fixture_library: Path
) -> None:
    def shown() -> str:
        result = run_cli(journal_home, "today", "--show", "--json")
        assert result.returncode == 0, result.stderr
        return str(json.loads(result.stdout)["prompt"]["id"])

    pin_clock(berlin(2026, 5, 4, 9, 15))
    first = shown()
    other = run_cli(journal_home, "today", "--another", "--show", "--json")
    second = str(json.loads(other.stdout)["prompt"]["id"])
    assert second != first and second.startswith("awareness")
    pin_clock(berlin(2026, 5, 4, 11, 0))
    assert shown() == second  # it is today's prompt now
    third = json.loads(run_cli(journal_home, "today", "--another", "--show", "--json").stdout)
    assert third["prompt"]["id"] not in (first, second)  # and passed over prompts stay so
    run_cli(journal_home, "today", stdin="Words.")
    listed = json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    assert [e["prompt_id"] for e in listed] == [third["prompt"]["id"]]
    pin_clock(berlin(2026, 5, 5, 9, 15))
    assert shown().startswith("connection")  # a new day, a new plan


def test_a_morning_prompt_kept_for_the_day_gives_way_in_the_evening(
    journal_home: Path, pin_clock: Pin, fixture_library: Path
) -> None:
    when = library_when(journal_home)
    pin_clock(berlin(2026, 5, 4, 8, 0))
    morning = json.loads(run_cli(journal_home, "today", "--show", "--json").stdout)["prompt"]
    while when[morning["id"]] != "morning":
        passed = run_cli(journal_home, "today", "--another", "--show", "--json")
        morning = json.loads(passed.stdout)["prompt"]
    pin_clock(berlin(2026, 5, 4, 13, 0))  # midday: it still fits, and stays
    midday = json.loads(run_cli(journal_home, "today", "--show", "--json").stdout)["prompt"]
    assert midday["id"] == morning["id"]
    pin_clock(berlin(2026, 5, 5, 1, 30))  # still 4 May, and night: evening now
    night = json.loads(run_cli(journal_home, "today", "--show", "--json").stdout)
    assert night["day"] == "2026-05-04" and when[night["prompt"]["id"]] != "morning"


def test_another_works_on_a_layer_of_ones_choosing_and_on_an_earlier_day(
    journal_home: Path, pin_clock: Pin, fixture_library: Path
) -> None:
    pin_clock(berlin(2026, 5, 4, 9, 15))
    for extra in (["--theme", "compassion"], ["--date", "yesterday"]):
        plain = json.loads(run_cli(journal_home, "today", "--show", "--json", *extra).stdout)
        other = run_cli(journal_home, "today", "--another", "--show", "--json", *extra)
        assert other.returncode == 0, other.stderr
        assert json.loads(other.stdout)["prompt"]["id"] != plain["prompt"]["id"]
