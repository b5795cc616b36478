"""The layers model against LAYERS-MODEL.md's worked examples and its invariants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.documents import layer_of, model_day
from layers_journal.model.layers import (
    DAILY_PRESENCE,
    Cadence,
    EntryFacts,
    compute_layers,
    compute_series,
    counts,
    written_day,
)

TOLERANCE = 1e-6


def facts(days: list[int]) -> list[EntryFacts]:
    return [EntryFacts(model_day(n), model_day(n), layer_of(n)) for n in days]


def report(days: list[int], as_of: int, pauses: list[tuple[int, int]] = ()):  # type: ignore[assignment,no-untyped-def]
    spans = [(model_day(a), model_day(b)) for a, b in pauses]
    return compute_layers(facts(days), spans, model_day(as_of))


# Loop Habit Tracker's ScoreList test (test_getAll), reversed to run day 1..20.
LOOP_DAILY = list(reversed([
    0.655747, 0.636894, 0.617008, 0.596033, 0.573910, 0.550574, 0.525961, 0.500000,
    0.472617, 0.443734, 0.413270, 0.381137, 0.347244, 0.311495, 0.273788, 0.234017,
    0.192067, 0.147820, 0.101149, 0.051922,
]))  # fmt: skip


@pytest.mark.parametrize("n", range(1, 21))
def test_presence_strength_follows_loop_habit_trackers_published_values(n: int) -> None:
    assert report(list(range(1, n + 1)), n).presence.strength == pytest.approx(
        LOOP_DAILY[n - 1], abs=TOLERANCE
    )


P1 = [
    # as of, series, active, strength, streak, best, graces, status (a layer's chain is
    # in weeks since the third version: one week, the first, so far)
    (7, "presence", 7, 0.311495, 7, 7, 0, "written"),
    (7, "awareness", 3, 0.104509, 1, 1, 0, "written"),
    (7, "connection", 2, 0.067679, 1, 1, 0, "open"),
    (7, "compassion", 2, 0.048699, 1, 1, 0, "open"),
    (8, "presence", 7, 0.311495, 7, 7, 0, "open"),
    (8, "connection", 2, 0.086279, 1, 1, 0, "open"),
]


@pytest.mark.parametrize(
    ("as_of", "name", "active", "strength", "streak", "best", "graces", "status"), P1
)
def test_p1_first_week(
    as_of: int,
    name: str,
    active: int,
    strength: float,
    streak: int,
    best: int,
    graces: int,
    status: str,
) -> None:
    result = report(list(range(1, 8)), as_of)
    series = result.presence if name == "presence" else result.layers[name]
    assert series.active_days == active
    assert series.strength == pytest.approx(strength, abs=TOLERANCE)
    assert (series.streak, series.best, series.graces, series.status) == (
        streak,
        best,
        graces,
        status,
    )


def test_p1_support_and_resilience_on_day_7() -> None:
    result = report(list(range(1, 8)), 7)
    assert result.support == pytest.approx(0.552254, abs=TOLERANCE)
    assert result.resilience == pytest.approx(0.068322, abs=TOLERANCE)


def test_p2_one_missed_day_keeps_the_chain() -> None:
    presence = report([1, 2, 3, 4, 5, 7, 8, 9, 10], 10).presence
    assert (presence.streak, presence.best, presence.graces) == (9, 9, 1)
    assert presence.strength == pytest.approx(0.371320, abs=TOLERANCE)
    returns = presence.returns
    assert (returns.total, returns.last, returns.typical, returns.trend) == (1, 1, 1, None)


def test_p3_two_missed_days_end_the_chain_and_the_return_counts() -> None:
    presence = report([1, 2, 3, 4, 5, 8, 9, 10], 10).presence
    assert (presence.streak, presence.best, presence.graces) == (3, 5, 0)
    assert presence.strength == pytest.approx(0.327073, abs=TOLERANCE)
    assert (presence.returns.total, presence.returns.last) == (1, 2)


def test_p4_three_weeks_of_daily_writing() -> None:
    result = report(list(range(1, 22)), 21)
    assert result.presence.strength == pytest.approx(0.673622, abs=TOLERANCE)
    assert result.presence.streak == 21
    awareness, connection, compassion = (
        result.layers[n] for n in ("awareness", "connection", "compassion")
    )
    assert awareness.strength == pytest.approx(0.310899, abs=TOLERANCE)
    assert awareness.status == "open"
    assert connection.strength == pytest.approx(0.296871, abs=TOLERANCE)
    assert result.heights["connection"] == pytest.approx(0.194584, abs=TOLERANCE)
    assert compassion.strength == pytest.approx(0.296871, abs=TOLERANCE)
    assert compassion.status == "written"
    assert result.support == pytest.approx(0.655450, abs=TOLERANCE)
    assert result.resilience == pytest.approx(0.252742, abs=TOLERANCE)


P5_DAYS = [*range(1, 11), 18, 19, 20]


def test_p5_a_declared_pause() -> None:
    presence = report(P5_DAYS, 20, pauses=[(11, 17)]).presence
    assert (presence.streak, presence.best) == (13, 13)
    assert presence.strength == pytest.approx(0.5, abs=TOLERANCE)
    assert presence.returns.total == 0


def test_p5_without_the_pause() -> None:
    presence = report(P5_DAYS, 20).presence
    assert (presence.streak, presence.best) == (3, 10)
    assert presence.strength == pytest.approx(0.390297, abs=TOLERANCE)
    assert (presence.returns.total, presence.returns.last) == (1, 7)


def test_json_shape_matches_the_contract() -> None:
    document = report(list(range(1, 8)), 7).to_json()
    assert set(document) == {
        "version", "as_of", "rhythm", "suggested_rhythm", "presence", "layers", "support",
        "resilience",
    }  # fmt: skip
    assert (document["version"], document["rhythm"], document["suggested_rhythm"]) == (
        2, "daily", None,
    )  # fmt: skip
    series_keys = {
        "unit",
        "active_days",
        "entries",
        "strength",
        "streak",
        "best",
        "graces",
        "status",
        "returns",
        "rhythm",
    }
    assert set(document["presence"]) == series_keys
    assert set(document["layers"]) == {"awareness", "connection", "compassion"}
    for layer in document["layers"].values():
        assert set(layer) == series_keys | {"height"}
    assert set(document["presence"]["returns"]) == {"total", "last", "typical", "previous", "trend"}
    assert document["presence"]["rhythm"] == {"kept": 7, "of": 7, "window": 1}
    assert document["layers"]["awareness"]["rhythm"] == {"kept": 1, "of": 1, "window": 7}
    assert document["presence"]["unit"] == "day"
    assert {layer["unit"] for layer in document["layers"].values()} == {"week"}
    assert isinstance(document["presence"]["active_days"], int)
    assert isinstance(document["presence"]["strength"], float)


def test_not_started_series() -> None:
    series = compute_series({}, [], DAILY_PRESENCE, date(2026, 1, 1))
    assert (series.status, series.strength, series.streak, series.returns.total) == (
        "not_started", 0.0, 0, 0,
    )  # fmt: skip
    assert series.rhythm.to_json() == {"kept": 0, "of": 0, "window": 1}


# --- rhythm: LAYERS-MODEL.md's "Rhythm in the examples", layers as the third version
# counts them (calendar weeks: P2, P3 and P6 differ from the second version's table) ------

P6_DAYS = [*range(1, 71), 92, 93]
RHYTHMS = [
    # example, days, as of, pauses, (kept, of) for presence, awareness, connection, compassion
    ("P1 day 7", list(range(1, 8)), 7, [], [(7, 7), (1, 1), (1, 1), (1, 1)]),
    ("P1 day 8", list(range(1, 8)), 8, [], [(7, 7), (1, 1), (1, 1), (1, 1)]),
    ("P2", [1, 2, 3, 4, 5, 7, 8, 9, 10], 10, [], [(9, 10), (2, 2), (2, 2), (2, 2)]),
    ("P3", [1, 2, 3, 4, 5, 8, 9, 10], 10, [], [(8, 10), (2, 2), (2, 2), (2, 2)]),
    ("P4", list(range(1, 22)), 21, [], [(21, 21), (3, 3), (3, 3), (3, 3)]),
    ("P5", P5_DAYS, 20, [(11, 17)], [(13, 13), (3, 3), (3, 3), (3, 3)]),
    ("P5 without the pause", P5_DAYS, 20, [], [(13, 20), (3, 3), (3, 3), (3, 3)]),
    ("P6", P6_DAYS, 93, [], [(7, 28), (5, 8), (5, 8), (5, 8)]),
]


@pytest.mark.parametrize(
    ("days", "as_of", "pauses", "expected"), [r[1:] for r in RHYTHMS], ids=[r[0] for r in RHYTHMS]
)
def test_rhythm_in_the_worked_examples(
    days: list[int], as_of: int, pauses: list[tuple[int, int]], expected: list[tuple[int, int]]
) -> None:
    result = report(days, as_of, pauses=pauses)
    found = [
        (s.rhythm.kept, s.rhythm.of)
        for s in (
            result.presence,
            *(result.layers[n] for n in ("awareness", "connection", "compassion")),
        )
    ]
    assert found == expected
    assert result.presence.rhythm.window == 1
    assert {s.rhythm.window for s in result.layers.values()} == {7}


def test_rhythm_marks_show_the_weeks_oldest_first() -> None:
    result = report(P6_DAYS, 93)
    # Awareness as of day 93: five weeks kept, then three without (days 72 to 92).
    assert result.layers["awareness"].rhythm.marks == ("kept",) * 5 + ("not_kept",) * 3
    presence = result.presence.rhythm
    assert presence.marks == ("kept",) * 5 + ("not_kept",) * 21 + ("kept",) * 2
    assert presence.running == 2
    paused = report(P5_DAYS, 20, pauses=[(11, 17)]).presence.rhythm
    assert paused.marks == ("kept",) * 10 + ("paused",) * 7 + ("kept",) * 3
    assert paused.running == 13  # a pause neither ends a run nor adds to it


def test_running_looks_past_the_shown_windows() -> None:
    daily = report(list(range(1, 101)), 100)
    assert (daily.presence.rhythm.of, daily.presence.rhythm.running) == (28, 100)
    assert (daily.layers["awareness"].rhythm.of, daily.layers["awareness"].rhythm.running) == (
        8,
        15,
    )


def test_grace_then_resting_statuses() -> None:
    days = {model_day(1): 1}
    cadence = DAILY_PRESENCE
    assert compute_series(days, [], cadence, model_day(2)).status == "open"
    assert compute_series(days, [], cadence, model_day(3)).status == "grace"
    resting = compute_series(days, [], cadence, model_day(4))
    assert (resting.status, resting.streak, resting.best) == ("resting", 0, 1)
    paused = compute_series(days, [model_day(4)], cadence, model_day(4))
    assert paused.status == "paused"


def test_returns_trend_compares_the_last_three_with_the_three_before() -> None:
    # Gaps away of 4, 4, 4 then 1, 1, 1 days: coming back sooner lately.
    active, day = [], 1
    for away in (4, 4, 4, 1, 1, 1):
        active.append(day)
        day += away + 1
    active.append(day)
    returns = report(active, day).presence.returns
    assert (returns.total, returns.typical, returns.previous, returns.trend) == (6, 1, 4, "quicker")


def test_backfill_window_and_future_entries() -> None:
    today = date(2026, 3, 10)
    assert counts(EntryFacts(date(2026, 3, 7), today, None), today)
    assert not counts(EntryFacts(date(2026, 3, 6), today, None), today)  # four days late
    assert not counts(EntryFacts(date(2026, 3, 11), date(2026, 3, 11), None), today)
    assert not counts(EntryFacts(date(2026, 3, 9), date(2026, 3, 8), None), today)


def test_a_custom_cadence_changes_grace() -> None:
    days = {model_day(1): 1, model_day(4): 1}
    loose = compute_series(days, [], Cadence(1, 3), model_day(4))
    assert (loose.streak, loose.graces, loose.returns.total) == (2, 0, 0)
    strict = compute_series(days, [], Cadence(1, 1), model_day(4))
    assert (strict.streak, strict.returns.total) == (1, 1)


# --- invariants --------------------------------------------------------------------------

START = date(2026, 1, 1)
day_numbers = st.lists(st.integers(0, 120), max_size=60)
span = st.tuples(st.integers(0, 120), st.integers(0, 10))


def random_facts(days: list[int], themes: list[int]) -> list[EntryFacts]:
    names = ("awareness", "connection", "compassion", None)
    return [
        EntryFacts(
            START + timedelta(days=n), START + timedelta(days=n), names[themes[i % len(themes)]]
        )
        for i, n in enumerate(days)
    ]


@settings(max_examples=200, deadline=None)
@given(
    days=day_numbers,
    themes=st.lists(st.integers(0, 3), min_size=1),
    pauses=st.lists(span, max_size=3),
    as_of=st.integers(0, 130),
)
def test_strength_stays_between_zero_and_one(days, themes, pauses, as_of) -> None:  # type: ignore[no-untyped-def]
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    result = compute_layers(random_facts(days, themes), spans, START + timedelta(days=as_of))
    for series in (result.presence, *result.layers.values()):
        assert 0.0 <= series.strength <= 1.0
        assert series.best >= series.streak >= 0
    for layer in result.layers.values():
        assert result.presence.active_days >= layer.active_days
    assert 0.0 <= result.resilience <= 1.0


@settings(max_examples=200, deadline=None)
@given(days=day_numbers, extra=st.integers(0, 120), theme=st.integers(0, 3))
def test_adding_a_counted_entry_never_lowers_active_days_or_best(days, extra, theme) -> None:  # type: ignore[no-untyped-def]
    today = START + timedelta(days=125)
    before = compute_layers(random_facts(days, [theme]), [], today)
    after = compute_layers(random_facts([*days, extra], [theme]), [], today)
    for name in ("presence", "awareness", "connection", "compassion"):
        old = before.presence if name == "presence" else before.layers[name]
        new = after.presence if name == "presence" else after.layers[name]
        assert new.active_days >= old.active_days
        assert new.best >= old.best


@settings(max_examples=200, deadline=None)
@given(days=day_numbers, pauses=st.lists(span, max_size=3))
def test_a_pause_never_creates_a_return(days, pauses) -> None:  # type: ignore[no-untyped-def]
    today = START + timedelta(days=130)
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    plain = compute_layers(random_facts(days, [0]), [], today)
    paused = compute_layers(random_facts(days, [0]), spans, today)
    assert paused.presence.returns.total <= plain.presence.returns.total


@settings(max_examples=200, deadline=None)
@given(days=day_numbers.filter(bool), later=st.integers(1, 60))
def test_without_new_entries_presence_strength_never_rises(days, later) -> None:  # type: ignore[no-untyped-def]
    first = START + timedelta(days=max(days))
    then = compute_layers(random_facts(days, [0]), [], first)
    after = compute_layers(random_facts(days, [0]), [], first + timedelta(days=later))
    assert after.presence.strength <= then.presence.strength + 1e-12
    # Totals never drop with time.
    assert after.presence.active_days == then.presence.active_days
    assert after.presence.returns.total == then.presence.returns.total


@settings(max_examples=200, deadline=None)
@given(
    days=day_numbers,
    themes=st.lists(st.integers(0, 3), min_size=1),
    pauses=st.lists(span, max_size=3),
    as_of=st.integers(0, 130),
)
def test_rhythm_kept_never_exceeds_of(days, themes, pauses, as_of) -> None:  # type: ignore[no-untyped-def]
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    result = compute_layers(random_facts(days, themes), spans, START + timedelta(days=as_of))
    for series in (result.presence, *result.layers.values()):
        rhythm = series.rhythm
        assert (
            0 <= rhythm.kept <= rhythm.of <= len(rhythm.marks) <= (28 if rhythm.window == 1 else 8)
        )
        assert rhythm.kept == rhythm.marks.count("kept")
        assert rhythm.running >= (rhythm.kept if rhythm.kept == rhythm.of else 0)
        assert (series.status == "not_started") == (rhythm.marks == ())


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, 60),
    length=st.integers(1, 150),
    rotation=st.integers(0, 2),
    today_open=st.booleans(),
    pauses=st.lists(span, max_size=3),
)
def test_writing_every_day_keeps_every_window_from_the_first_day(  # type: ignore[no-untyped-def]
    start, length, rotation, today_open, pauses
) -> None:
    # As intended: a page every day, the prompt's layer in rotation; seen on the last
    # day written or on the next, while it is still open.
    names = ("awareness", "connection", "compassion")
    days = [START + timedelta(days=start + n) for n in range(length)]
    entries = [EntryFacts(d, d, names[(n + rotation) % 3]) for n, d in enumerate(days)]
    today = days[-1] + timedelta(days=int(today_open))
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    result = compute_layers(entries, spans, today)
    presence = result.presence.rhythm
    assert presence.kept == presence.of == min(length, 28)
    for series in result.layers.values():
        if series.status != "not_started":
            assert series.rhythm.kept == series.rhythm.of >= 1
            assert "not_kept" not in series.rhythm.marks


@settings(max_examples=200, deadline=None)
@given(
    days=day_numbers,
    themes=st.lists(st.integers(0, 3), min_size=1),
    pauses=st.lists(span, min_size=1, max_size=3),
    as_of=st.integers(0, 130),
)
def test_a_pause_never_lowers_kept(days, themes, pauses, as_of) -> None:  # type: ignore[no-untyped-def]
    today = START + timedelta(days=as_of)
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    plain = compute_layers(random_facts(days, themes), [], today)
    paused = compute_layers(random_facts(days, themes), spans, today)
    for before, after in zip(
        (plain.presence, *plain.layers.values()),
        (paused.presence, *paused.layers.values()),
        strict=True,
    ):
        assert after.rhythm.kept >= before.rhythm.kept
        assert after.rhythm.of <= before.rhythm.of


@pytest.mark.parametrize(
    ("day", "created_day", "today", "counted"),
    [
        # 00:01 on 1 January, kept on that date by an import: its journal day is 31
        # December, and it counts as written on 1 January.
        (date(2025, 1, 1), date(2024, 12, 31), date(2025, 1, 1), True),
        (date(2025, 1, 1), date(2024, 12, 31), date(2024, 12, 31), False),  # waits for its day
        (date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 1), True),
        (date(2025, 1, 2), date(2024, 12, 31), date(2025, 1, 5), False),  # two days ahead: never
        (date(2024, 12, 28), date(2024, 12, 31), date(2024, 12, 31), True),  # a backfill
    ],
)
def test_an_entry_about_the_day_after_its_journal_day_counts_on_its_day(
    day: date, created_day: date, today: date, counted: bool
) -> None:
    assert counts(EntryFacts(day, written_day(day, created_day), None), today) is counted
