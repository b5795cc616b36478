"""The third version of the layers model (LAYERS-MODEL.md, "A rhythm of your own"): every
worked value of its tables, through the model and through import plus layers --json,
and the invariants a rhythm promises."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.cli import run_cli
from helpers.documents import ROTATION, example_document, layer_of, model_day
from layers_journal.model.layers import (
    DAILY,
    LAYERS,
    EntryFacts,
    RhythmChoice,
    compute_layers,
    median,
    parse_rhythm,
    rhythm_for_cadence,
)

TOLERANCE = 1e-6
P5_DAYS = [*range(1, 11), 18, 19, 20]
P6_DAYS = [*range(1, 71), 92, 93]
# P7: a page every Saturday and Sunday for eight weeks; P8: Wednesdays, three weeks without.
P7_DAYS = [day for week in range(8) for day in (6 + 7 * week, 7 + 7 * week)]
P8_DAYS = [3, 10, 17, 24, 38, 45, 66, 73]
EXAMPLES = {
    # name: (days, pauses, layers by day number (False) or in the pages' order (True))
    "P1": (list(range(1, 8)), [], False),
    "P2": ([1, 2, 3, 4, 5, 7, 8, 9, 10], [], False),
    "P3": ([1, 2, 3, 4, 5, 8, 9, 10], [], False),
    "P4": (list(range(1, 22)), [], False),
    "P5": (P5_DAYS, [(11, 17)], False),
    "P6": (P6_DAYS, [], False),
    "P7": (P7_DAYS, [], True),
    "P8": (P8_DAYS, [], True),
}

# "Layers in P1–P6": example, as of, layer, streak, best, graces, status, returns
# total/last, rhythm kept/of.
LAYER_ROWS = [
    ("P1", 7, "awareness", 1, 1, 0, "written", 0, None, 1, 1),
    ("P1", 7, "connection", 1, 1, 0, "open", 0, None, 1, 1),
    ("P1", 7, "compassion", 1, 1, 0, "open", 0, None, 1, 1),
    ("P1", 8, "awareness", 1, 1, 0, "open", 0, None, 1, 1),
    ("P1", 8, "connection", 1, 1, 0, "open", 0, None, 1, 1),
    ("P1", 8, "compassion", 1, 1, 0, "open", 0, None, 1, 1),
    ("P2", 10, "awareness", 2, 2, 0, "written", 0, None, 2, 2),
    ("P2", 10, "connection", 2, 2, 0, "open", 0, None, 2, 2),
    ("P2", 10, "compassion", 2, 2, 0, "open", 0, None, 2, 2),
    ("P3", 10, "awareness", 2, 2, 0, "written", 0, None, 2, 2),
    ("P3", 10, "connection", 2, 2, 0, "open", 0, None, 2, 2),
    ("P3", 10, "compassion", 2, 2, 0, "open", 0, None, 2, 2),
    ("P4", 21, "awareness", 3, 3, 0, "open", 0, None, 3, 3),
    ("P4", 21, "connection", 3, 3, 0, "open", 0, None, 3, 3),
    ("P4", 21, "compassion", 3, 3, 0, "written", 0, None, 3, 3),
    ("P5", 20, "awareness", 3, 3, 0, "open", 0, None, 3, 3),
    ("P5", 20, "connection", 3, 3, 0, "written", 0, None, 3, 3),
    ("P5", 20, "compassion", 3, 3, 0, "open", 0, None, 3, 3),
    ("P6", 93, "awareness", 0, 10, 0, "resting", 0, None, 5, 8),
    ("P6", 93, "connection", 1, 10, 0, "open", 1, 3, 5, 8),
    ("P6", 93, "compassion", 1, 10, 0, "written", 1, 3, 5, 8),
]

# P7 and P8: example, rhythm (None: never set), as of, series, unit, strength, streak,
# best, graces, status, returns total/last/typical, rhythm kept/of, suggested ("-" for a
# layer, where the table leaves it empty).
SERIES_ROWS = [
    ("P7", None, 56, "presence", "day", 0.308324, 2, 2, 0, "written", 7, 5, 5, 8, 28, "2/week"),
    ("P7", None, 56, "awareness", "week", 0.413394, 6, 6, 2, "written", 2, 1, 1, 6, 8, "-"),
    ("P7", None, 56, "connection", "week", 0.418556, 5, 5, 2, "open", 2, 1, 1, 5, 7, "-"),
    ("P7", None, 56, "compassion", "week", 0.386522, 5, 5, 2, "open", 2, 1, 1, 5, 7, "-"),
    ("P7", None, 58, "presence", "day", 0.292315, 2, 2, 0, "grace", 7, 5, 5, 8, 28, "2/week"),
    ("P7", None, 58, "awareness", "week", 0.425098, 6, 6, 2, "open", 2, 1, 1, 6, 8, "-"),
    ("P7", None, 58, "connection", "week", 0.421773, 5, 5, 2, "grace", 2, 1, 1, 5, 8, "-"),
    ("P7", None, 58, "compassion", "week", 0.391005, 5, 5, 2, "open", 2, 1, 1, 5, 7, "-"),
    ("P7", "2/week", 56, "presence", "week", 0.736695, 8, 8, 0, "written", 0, None, None, 8, 8, None),
    ("P7", "2/week", 56, "awareness", "week", 0.487334, 8, 8, 0, "written", 0, None, None, 8, 8, "-"),
    ("P7", "2/week", 56, "connection", "week", 0.451926, 8, 8, 0, "open", 0, None, None, 8, 8, "-"),
    ("P7", "2/week", 56, "compassion", "week", 0.425428, 7, 7, 0, "open", 0, None, None, 7, 7, "-"),
    ("P7", "2/week", 59, "presence", "week", 0.751284, 8, 8, 0, "open", 0, None, None, 8, 8, None),
    ("P7", "2/week", 59, "awareness", "week", 0.501739, 9, 9, 0, "open", 0, None, None, 8, 8, "-"),
    ("P7", "2/week", 59, "connection", "week", 0.474863, 8, 8, 0, "open", 0, None, None, 8, 8, "-"),
    ("P7", "2/week", 59, "compassion", "week", 0.449474, 8, 8, 0, "open", 0, None, None, 8, 8, "-"),
    ("P8", "1/week", 73, "presence", "week", 0.449187, 2, 6, 0, "written", 2, 2, 1.5, 5, 8, None),
    ("P8", "1/week", 73, "awareness", "week", 0.356814, 2, 6, 0, "open", 1, 3, 3, 5, 8, "-"),
    ("P8", "1/week", 73, "connection", "week", 0.326519, 1, 6, 0, "written", 2, 2, 1.5, 5, 8, "-"),
    ("P8", "1/week", 73, "compassion", "week", 0.303247, 6, 6, 1, "grace", 1, 1, 1, 6, 8, "-"),
    ("P8", "1/week", 59, "presence", "week", 0.493508, 6, 6, 1, "grace", 1, 1, 1, 6, 8, None),
    ("P8", "1/week", 59, "awareness", "week", 0.331482, 0, 6, 0, "resting", 0, None, None, 6, 8, "-"),
    ("P8", "1/week", 59, "connection", "week", 0.286552, 6, 6, 1, "open", 1, 1, 1, 6, 7, "-"),
    ("P8", "1/week", 59, "compassion", "week", 0.268440, 6, 6, 1, "open", 1, 1, 1, 6, 7, "-"),
]  # fmt: skip


def example_facts(name: str) -> tuple[list[EntryFacts], list[tuple[date, date]]]:
    days, pauses, rotation = EXAMPLES[name]
    facts = [
        EntryFacts(model_day(n), model_day(n), ROTATION[page % 3] if rotation else layer_of(n))
        for page, n in enumerate(days)
    ]
    return facts, [(model_day(a), model_day(b)) for a, b in pauses]


def modelled(name: str, as_of: int, rhythm: str | None = None):  # type: ignore[no-untyped-def]
    facts, pauses = example_facts(name)
    choice = parse_rhythm(rhythm) if rhythm else DAILY
    return compute_layers(facts, pauses, model_day(as_of), choice)


def series_json(series) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return series.to_json()  # type: ignore[no-any-return]


def check_layer_row(found: dict, row: tuple) -> None:  # type: ignore[type-arg]
    *_, streak, best, graces, status, total, last, kept, of = row
    assert found["unit"] == "week"
    assert (found["streak"], found["best"], found["graces"], found["status"]) == (
        streak, best, graces, status,
    )  # fmt: skip
    assert (found["returns"]["total"], found["returns"]["last"]) == (total, last)
    assert (found["rhythm"]["kept"], found["rhythm"]["of"], found["rhythm"]["window"]) == (
        kept, of, 7,
    )  # fmt: skip


def check_series_row(document: dict, row: tuple) -> None:  # type: ignore[type-arg]
    _, rhythm, _, name, unit, strength, streak, best, graces, status = row[:10]
    total, last, typical, kept, of, suggested = row[10:]
    found = document["presence"] if name == "presence" else document["layers"][name]
    assert found["unit"] == unit
    assert found["strength"] == pytest.approx(strength, abs=TOLERANCE)
    assert (found["streak"], found["best"], found["graces"], found["status"]) == (
        streak, best, graces, status,
    )  # fmt: skip
    returns = found["returns"]
    assert (returns["total"], returns["last"], returns["typical"]) == (total, last, typical)
    assert (found["rhythm"]["kept"], found["rhythm"]["of"]) == (kept, of)
    assert document["rhythm"] == (rhythm or "daily")
    if suggested != "-":
        assert document["suggested_rhythm"] == suggested


def row_id(row: tuple) -> str:  # type: ignore[type-arg]
    return " ".join(str(part) for part in row[:4] if part is not None)


# --- through the model -------------------------------------------------------------------


@pytest.mark.parametrize("row", LAYER_ROWS, ids=[f"{r[0]} day {r[1]} {r[2]}" for r in LAYER_ROWS])
def test_layers_in_p1_to_p6_count_in_weeks(row: tuple) -> None:  # type: ignore[type-arg]
    name, as_of, layer = row[:3]
    check_layer_row(series_json(modelled(name, as_of).layers[layer]), row)


@pytest.mark.parametrize("row", SERIES_ROWS, ids=[row_id(r) for r in SERIES_ROWS])
def test_p7_and_p8_through_the_model(row: tuple) -> None:  # type: ignore[type-arg]
    name, rhythm, as_of = row[:3]
    check_series_row(modelled(name, as_of, rhythm).to_json(), row)


@pytest.mark.parametrize("name", ["P1", "P2", "P3", "P4", "P5", "P6"])
def test_under_daily_presence_and_every_strength_are_the_second_versions(name: str) -> None:
    # The second version's figures, kept by tests/test_layers.py, are what any daily
    # rhythm gives: chosen or not, the same presence and strengths.
    days, _, _ = EXAMPLES[name]
    as_of = days[-1]
    default, chosen = modelled(name, as_of), modelled(name, as_of, "daily")
    assert default.presence == chosen.presence
    assert default.presence.unit == "day"
    for layer in LAYERS:
        assert default.layers[layer].strength == chosen.layers[layer].strength
    assert (default.support, default.resilience) == (chosen.support, chosen.resilience)


def test_an_explicit_daily_never_offers_another() -> None:
    assert modelled("P7", 56).suggested_rhythm == RhythmChoice(2)
    assert modelled("P7", 56, "daily").suggested_rhythm is None
    assert modelled("P7", 56, "daily").to_json()["suggested_rhythm"] is None


def test_no_offer_without_six_steady_weeks_or_three_returns() -> None:
    # A daily writer, a newcomer, and a weekend writer now resting: no offer.
    assert modelled("P4", 21).suggested_rhythm is None
    facts, _ = example_facts("P7")
    assert compute_layers(facts[:8], [], model_day(28)).suggested_rhythm is None
    assert compute_layers(facts, [], model_day(70)).suggested_rhythm is None
    # A pause in the six weeks: the offer waits.
    paused = [(model_day(30), model_day(30))]
    assert compute_layers(facts, paused, model_day(56)).suggested_rhythm is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("daily", "daily"), (" Daily ", "daily"), ("1/week", "1/week"), ("6/WEEK", "6/week")],
)
def test_rhythms_read_and_say_themselves(text: str, expected: str) -> None:
    assert str(parse_rhythm(text)) == expected
    assert parse_rhythm(text).chosen


@pytest.mark.parametrize("text", ["7/week", "0/week", "weekly", "2/7", "2 / week", ""])
def test_other_rhythms_are_one_sentence(text: str) -> None:
    with pytest.raises(ValueError, match="daily or a number of pages a week"):
        parse_rhythm(text)


@pytest.mark.parametrize(
    ("cadence", "rhythm"),
    [("1/1", "daily"), ("2/2", "daily"), ("1/7", "1/week"), ("6/7", "6/week"),
     ("7/7", "daily"), ("2/14", None), ("3/10", None), ("x", None)],
)  # fmt: skip
def test_old_cadences_and_the_rhythm_that_says_the_same(cadence: str, rhythm: str | None) -> None:
    found = rhythm_for_cadence(cadence)
    assert (str(found) if found else None) == rhythm


# --- through import plus layers --json --as-of --------------------------------------------


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str | None], Path]:
    """One imported journal per example and rhythm, shared by the table's rows."""
    made: dict[tuple[str, str | None], Path] = {}
    wanted = {(r[0], None) for r in LAYER_ROWS} | {(r[0], r[1]) for r in SERIES_ROWS}
    for name, rhythm in sorted(wanted, key=str):
        home = tmp_path_factory.mktemp(f"{name}-{(rhythm or 'default').replace('/', '-')}")
        days, pauses, rotation = EXAMPLES[name]
        source = home / "journal.json"
        source.write_text(example_document(days, pauses, rotation=rotation))
        assert run_cli(home, "import", str(source)).returncode == 0
        if rhythm:
            result = run_cli(home, "config", "set", "rhythm", rhythm)
            assert result.returncode == 0, result.stderr
        made[name, rhythm] = home
    return made


def layers_json(home: Path, as_of: int) -> dict:  # type: ignore[type-arg]
    result = run_cli(home, "layers", "--json", "--as-of", model_day(as_of).isoformat())
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 2
    return document  # type: ignore[no-any-return]


@pytest.mark.parametrize("row", LAYER_ROWS, ids=[f"{r[0]} day {r[1]} {r[2]}" for r in LAYER_ROWS])
def test_layers_in_p1_to_p6_through_import_and_the_cli(row: tuple, homes: dict) -> None:  # type: ignore[type-arg]
    name, as_of, layer = row[:3]
    check_layer_row(layers_json(homes[name, None], as_of)["layers"][layer], row)


@pytest.mark.parametrize("row", SERIES_ROWS, ids=[row_id(r) for r in SERIES_ROWS])
def test_p7_and_p8_through_import_and_the_cli(row: tuple, homes: dict) -> None:  # type: ignore[type-arg]
    name, rhythm, as_of = row[:3]
    check_series_row(layers_json(homes[name, rhythm], as_of), row)


# --- invariants ----------------------------------------------------------------------------

START = date(2026, 1, 5)  # a Monday
RHYTHMS = [DAILY, *(RhythmChoice(n, True) for n in range(1, 7))]


@st.composite
def steady_weeks(draw: st.DrawFn) -> tuple[RhythmChoice, list[date], date]:
    """Someone writing N pages every calendar week (on any N days of each), the layers
    in rotation, seen on any day from their first page to a week after their last."""
    n = draw(st.integers(1, 6))
    weeks = draw(st.integers(1, 30))
    lead = draw(st.integers(0, 6))  # the first week may begin on any day
    days = []
    for week in range(weeks):
        if week == 0:  # a beginning: any pages at all
            chosen = draw(st.sets(st.integers(lead, 6), min_size=1, max_size=min(n, 7 - lead)))
        else:
            chosen = draw(st.sets(st.integers(0, 6), min_size=n, max_size=n))
        days += [START + timedelta(weeks=week, days=d) for d in sorted(chosen)]
    last_sunday = START + timedelta(weeks=weeks, days=-1)
    today = draw(st.integers(0, (last_sunday - days[0]).days + 7))
    return RhythmChoice(n, True), days, days[0] + timedelta(days=today)


@settings(max_examples=300, deadline=None)
@given(steady=steady_weeks(), rotation=st.integers(0, 2))
def test_a_steady_weekly_writer_keeps_every_week_of_every_series(steady, rotation) -> None:  # type: ignore[no-untyped-def]
    rhythm, days, today = steady
    facts = [EntryFacts(d, d, LAYERS[(i + rotation) % 3]) for i, d in enumerate(days)]
    report = compute_layers(facts, [], today, rhythm)
    for series in (report.presence, *report.layers.values()):
        if series.status == "not_started":
            continue
        assert series.rhythm.kept == series.rhythm.of >= 1, (series, today)
        assert series.returns.total == 0
        assert series.status in ("written", "open")
    assert report.presence.unit == "week"


day_numbers = st.lists(st.integers(0, 120), max_size=60)
span = st.tuples(st.integers(0, 120), st.integers(0, 10))


def random_facts(days: list[int], themes: list[int]) -> list[EntryFacts]:
    names = (*LAYERS, None)
    return [
        EntryFacts(
            START + timedelta(days=n), START + timedelta(days=n), names[themes[i % len(themes)]]
        )
        for i, n in enumerate(days)
    ]


@settings(max_examples=300, deadline=None)
@given(
    days=day_numbers,
    themes=st.lists(st.integers(0, 3), min_size=1),
    pauses=st.lists(span, min_size=1, max_size=3),
    as_of=st.integers(0, 130),
    rhythm=st.sampled_from(RHYTHMS),
)
def test_a_pause_never_lowers_kept_in_any_rhythm(days, themes, pauses, as_of, rhythm) -> None:  # type: ignore[no-untyped-def]
    today = START + timedelta(days=as_of)
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    plain = compute_layers(random_facts(days, themes), [], today, rhythm)
    paused = compute_layers(random_facts(days, themes), spans, today, rhythm)
    for before, after in zip(
        (plain.presence, *plain.layers.values()),
        (paused.presence, *paused.layers.values()),
        strict=True,
    ):
        assert after.rhythm.kept >= before.rhythm.kept
        assert after.best >= before.best


@settings(max_examples=300, deadline=None)
@given(
    days=day_numbers,
    themes=st.lists(st.integers(0, 3), min_size=1),
    pauses=st.lists(span, max_size=3),
    as_of=st.integers(0, 130),
    rhythm=st.sampled_from(RHYTHMS),
)
def test_week_figures_hold_together(days, themes, pauses, as_of, rhythm) -> None:  # type: ignore[no-untyped-def]
    today = START + timedelta(days=as_of)
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    report = compute_layers(random_facts(days, themes), spans, today, rhythm)
    for series in (report.presence, *report.layers.values()):
        figures = series.rhythm
        assert (
            0
            <= figures.kept
            <= figures.of
            <= len(figures.marks)
            <= (28 if series.unit == "day" else 8)
        )
        assert 0.0 <= series.strength <= 1.0
        assert series.best >= series.streak >= 0
        if series.unit == "week" and series.status != "not_started":
            assert figures.this_week in ("kept", "open")
            assert "open" not in figures.marks  # only the current week is ever open
            assert series.streak == 0 or series.streak >= min(1, figures.kept)
    if rhythm.chosen:
        assert report.suggested_rhythm is None


def second_version_presence(active: set[date], rest: set[date], today: date) -> tuple:  # type: ignore[type-arg]
    """LAYERS-MODEL.md's presence in days, walked one day at a time: (strength, streak,
    best, graces, status, returns total, last, typical, rhythm kept, of)."""
    first = min(active)
    timeline = []
    day = first
    while day <= today:
        if day in active or day not in rest:
            timeline.append(day)
        day += timedelta(days=1)
    if today not in active and timeline and timeline[-1] == today:
        timeline.pop()
    multiplier = 0.5 ** (1 / 13)
    score = 0.0
    for day in timeline:
        score = multiplier * score + (1 - multiplier) * (day in active)
    on = [i for i, day in enumerate(timeline) if day in active]
    gaps = [b - a - 1 for a, b in itertools.pairwise(on)]
    open_gap = len(timeline) - 1 - on[-1]
    chains, run = [], 1
    for gap in gaps:
        if gap > 1:
            chains.append(run)
            run = 1
        else:
            run += 1
    chains.append(run)
    alive = open_gap <= 1
    tail = gaps[len(gaps) - (chains[-1] - 1) :] if alive else []
    status = (
        "written" if max(active) == today
        else "paused" if today in rest
        else "resting" if not alive
        else "open" if open_gap == 0
        else "grace"
    )  # fmt: skip
    aways = [gap for gap in gaps if gap > 0]
    windows, end = [], today if today in active else today - timedelta(days=1)
    while end >= first and len(windows) < 28:
        windows.append(end)
        end -= timedelta(days=1)
    counted = [day for day in windows if day in active or day not in rest]
    return (
        score, chains[-1] if alive else 0, max(chains), sum(tail),
        status, len(aways), aways[-1] if aways else None,
        median(aways[-3:]) if aways else None,
        sum(day in active for day in counted), len(counted),
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    days=day_numbers.filter(bool),
    pauses=st.lists(span, max_size=3),
    as_of=st.integers(0, 130),
    chosen=st.booleans(),
)
def test_the_daily_rhythms_presence_is_exactly_the_second_versions(  # type: ignore[no-untyped-def]
    days, pauses, as_of, chosen
) -> None:
    today = START + timedelta(days=as_of)
    spans = [(START + timedelta(days=a), START + timedelta(days=a + b)) for a, b in pauses]
    facts = random_facts(days, [0])
    active = {fact.day for fact in facts if fact.day <= today}
    if not active:
        return
    rest = set()
    for a, b in spans:
        rest |= {
            a + timedelta(days=n) for n in range((b - a).days + 1) if a + timedelta(days=n) <= today
        }
    presence = compute_layers(facts, spans, today, RhythmChoice(None, chosen)).presence
    found = (
        presence.strength, presence.streak, presence.best, presence.graces,
        presence.status, presence.returns.total, presence.returns.last,
        presence.returns.typical, presence.rhythm.kept, presence.rhythm.of,
    )  # fmt: skip
    expected = second_version_presence(active, rest, today)
    assert found[0] == pytest.approx(expected[0], abs=1e-9)
    assert found[1:] == expected[1:]


# --- the old cadence keys ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "said", "rhythm"),
    [
        ('[cadence]\npresence = "2/7"\n', "now rhythm = '2/week'", "2/week"),
        ('[cadence]\npresence = "1/1"\nawareness = "1/7"\n', "now rhythm = 'daily'", "daily"),
        ('[cadence]\npresence = "3/10"\n', "only", None),
        ('[cadence]\nawareness = "2/7"\n', "set aside", None),
    ],
)
def test_old_cadence_keys_are_read_once_and_told_in_one_sentence(
    journal_home: Path, old: str, said: str, rhythm: str | None
) -> None:
    config = journal_home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('day_start = "05:00"\n' + old)
    first = run_cli(journal_home, "layers", "--json")
    assert first.returncode == 0, first.stderr
    told = [line for line in first.stderr.splitlines() if "cadence" in line]
    assert len(told) == 1 and said.replace("only", "daily or 1/week to 6/week") in told[0]
    assert json.loads(first.stdout)["rhythm"] == (rhythm or "daily")
    text = config.read_text()
    assert "cadence" not in text and 'day_start = "05:00"' in text
    assert (f'rhythm = "{rhythm}"' in text) == (rhythm is not None)
    again = run_cli(journal_home, "layers", "--json")
    assert "cadence" not in again.stderr
    assert json.loads(again.stdout)["rhythm"] == (rhythm or "daily")
