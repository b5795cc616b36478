"""`journal layers`, pauses and the closing line, through the real command."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers.cli import run_cli, run_process
from helpers.documents import ZONE, example_document, model_day
from helpers.folder import data
from test_layers import RHYTHMS


def imported(home: Path, tmp_path: Path, document: str, run=run_cli) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "journal.json"
    source.write_text(document)
    result = run(home, "import", str(source))
    assert result.returncode == 0, result.stderr


def layers_json(home: Path, as_of: int, run=run_cli) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = run(home, "layers", "--json", "--as-of", model_day(as_of).isoformat())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_p1_through_the_installed_cli(journal_home: Path, tmp_path: Path) -> None:
    # A smoke test of `python -m layers_journal`: import and the model in real processes.
    imported(journal_home, tmp_path, example_document(list(range(1, 8))), run=run_process)
    day7 = layers_json(journal_home, 7, run=run_process)
    assert day7["as_of"] == "2026-03-08"
    assert day7["presence"]["strength"] == pytest.approx(0.311495, abs=1e-6)
    assert day7["layers"]["awareness"]["strength"] == pytest.approx(0.104509, abs=1e-6)
    assert day7["layers"]["connection"]["status"] == "open"
    assert day7["support"] == pytest.approx(0.552254, abs=1e-6)
    assert day7["resilience"] == pytest.approx(0.068322, abs=1e-6)
    assert day7["presence"]["rhythm"] == {"kept": 7, "of": 7, "window": 1}
    assert {layer["rhythm"]["kept"] for layer in day7["layers"].values()} == {1}
    day8 = layers_json(journal_home, 8, run=run_process)
    assert day8["presence"]["status"] == "open"
    assert day8["layers"]["connection"]["strength"] == pytest.approx(0.086279, abs=1e-6)
    assert day8["presence"]["rhythm"] == {"kept": 7, "of": 7, "window": 1}  # today stays open


def test_p2_p3_p4_through_the_installed_cli(tmp_path: Path) -> None:
    p2 = tmp_path / "p2"
    imported(p2, tmp_path, example_document([1, 2, 3, 4, 5, 7, 8, 9, 10]))
    presence = layers_json(p2, 10)["presence"]
    assert (presence["streak"], presence["best"], presence["graces"]) == (9, 9, 1)
    assert presence["strength"] == pytest.approx(0.371320, abs=1e-6)
    assert presence["returns"] == {
        "total": 1,
        "last": 1,
        "typical": 1.0,
        "previous": None,
        "trend": None,
    }

    p3 = tmp_path / "p3"
    imported(p3, tmp_path, example_document([1, 2, 3, 4, 5, 8, 9, 10]))
    presence = layers_json(p3, 10)["presence"]
    assert (presence["streak"], presence["best"], presence["graces"]) == (3, 5, 0)
    assert presence["strength"] == pytest.approx(0.327073, abs=1e-6)
    assert (presence["returns"]["total"], presence["returns"]["last"]) == (1, 2)

    p4 = tmp_path / "p4"
    imported(p4, tmp_path, example_document(list(range(1, 22))))
    day21 = layers_json(p4, 21)
    assert day21["presence"]["strength"] == pytest.approx(0.673622, abs=1e-6)
    assert day21["layers"]["connection"]["height"] == pytest.approx(0.194584, abs=1e-6)
    assert day21["layers"]["awareness"]["status"] == "open"
    assert day21["resilience"] == pytest.approx(0.252742, abs=1e-6)


def test_p5_with_and_without_the_pause_through_the_cli(tmp_path: Path) -> None:
    days = [*range(1, 11), 18, 19, 20]
    with_pause, without = tmp_path / "with", tmp_path / "without"
    imported(with_pause, tmp_path, example_document(days, pauses=[(11, 17)]))
    presence = layers_json(with_pause, 20)["presence"]
    assert (presence["streak"], presence["best"], presence["returns"]["total"]) == (13, 13, 0)
    assert presence["strength"] == pytest.approx(0.5, abs=1e-6)
    imported(without, tmp_path, example_document(days))
    presence = layers_json(without, 20)["presence"]
    assert (presence["streak"], presence["best"]) == (3, 10)
    assert presence["strength"] == pytest.approx(0.390297, abs=1e-6)
    assert presence["returns"]["last"] == 7
    # Declaring the same pause by hand gives the same answer as the imported one.
    run_cli(without, "pause", model_day(11).isoformat(), model_day(17).isoformat())
    assert layers_json(without, 20)["presence"]["streak"] == 13


def test_as_of_ignores_later_entries_and_refuses_the_future(
    journal_home: Path, tmp_path: Path
) -> None:
    imported(journal_home, tmp_path, example_document(list(range(1, 22))))
    assert layers_json(journal_home, 7)["presence"]["active_days"] == 7
    future = (date.today() + timedelta(days=3)).isoformat()
    result = run_cli(journal_home, "layers", "--as-of", future)
    assert result.returncode == 2 and "after today" in result.stderr


# --- the picture ---------------------------------------------------------------------------

GENTLE = ("broke", "lost", "missed", "failed", "!", "streak")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def screen(home: Path, as_of: int, *args: str, width: int = 80, **env: str) -> str:
    result = run_cli(
        home, "layers", "--as-of", model_day(as_of).isoformat(), *args,
        COLUMNS=str(width), NO_COLOR="1", **env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines), result.stdout
    assert "\x1b[" not in result.stdout
    for harsh in GENTLE:
        assert harsh not in result.stdout.lower()
    return result.stdout


def heat_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:3] in WEEKDAYS]


def row_of(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if name in line and "■" in line)


def test_rhythm_of_every_worked_example_through_the_cli(tmp_path: Path) -> None:
    for name, days, as_of, pauses, expected in RHYTHMS:
        home = tmp_path / name.replace(" ", "-")
        imported(home, tmp_path, example_document(days, pauses=pauses))
        document = layers_json(home, as_of)
        series = [document["presence"], *(document["layers"][n] for n in LAYER_ORDER)]
        assert [(s["rhythm"]["kept"], s["rhythm"]["of"]) for s in series] == expected, name
        assert [s["rhythm"]["window"] for s in series] == [1, 7, 7, 7]


LAYER_ORDER = ("awareness", "connection", "compassion")


@pytest.mark.parametrize("width", [80, 40])
def test_perfect_practice_is_full_from_the_first_day(tmp_path: Path, width: int) -> None:
    home = tmp_path / "home"
    imported(home, tmp_path, example_document(list(range(1, 21))))
    day1, day3, day20 = (screen(home, n, width=width) for n in (1, 3, 20))
    for text in (day1, day3, day20):
        assert "%" not in text
        assert "□" not in text and "a week without" not in text  # every strip full
        assert "come back" not in text and "came back" not in text  # no return yet
        legend = text.splitlines()[-3]
        for unused in ("quiet", "paused", "several", "no layer"):
            assert unused not in legend
    # Day 1: awareness started, the others say so once each; presence is a first day.
    assert day1.count("not started yet") == 2
    assert "not yet" not in day1.replace("not started yet", "")
    assert "your first day" in day1 and "started this week" in day1
    assert "your foundation" in day1
    # Day 3: every layer has its mark; presence speaks of every day since the start.
    assert day3.count("■ ") >= 3 and "not started" not in day3
    assert "3 days in this chain" in day3 and "every day since you began" in day3
    # Day 20: three weeks in, each layer kept every week.
    assert day20.count("every week since you began") == 3
    assert "20 days in this chain" in day20


def test_the_stack_reads_top_down_with_awareness_as_the_foundation(tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported(home, tmp_path, example_document(list(range(1, 71))))
    text = screen(home, 70)
    lines = text.splitlines()
    order = [lines.index(row_of(text, name)) for name in ("compassion", "connection", "awareness")]
    assert order == sorted(order) and order[2] - order[0] == 2
    assert "your foundation" in lines[order[2] + 1]
    assert "10 weeks running · 23 days in all" in row_of(text, "compassion")
    assert "10 weeks running · 24 days in all" in row_of(text, "awareness")
    assert "70 days in this chain" in text and "every one of the last 28 days" in text
    assert row_of(text, "awareness").count("■") == 8


GAP_DAYS = [*range(1, 56), *range(77, 92)]  # three weeks away, then two weeks back


@pytest.mark.parametrize("width", [80, 40])
def test_three_months_with_a_three_week_gap(tmp_path: Path, width: int) -> None:
    home = tmp_path / "home"
    imported(home, tmp_path, example_document(GAP_DAYS))
    text = screen(home, 91, width=width)
    assert "%" not in text
    assert "kept 5 of the last 8 weeks" in " ".join(text.split())
    assert "15 days in this chain (best 55)" in " ".join(text.split())
    assert "15 of the last 28 days" in text
    assert "You came back once, after 21 days away" in " ".join(text.split())
    assert "□ a week without" in text and "· quiet" in text
    detail = screen(home, 91, "--detail", width=width)
    flat = " ".join(detail.split())
    for words in ("settled", "on your foundation it stands at", "carries the layers above",
                  "chapters so far: 55 · 15 days", "Coming back",
                  "You came back once after a chain came to rest"):  # fmt: skip
        assert words in flat
    assert "journal layers --help" not in detail


def test_while_time_away_goes_on_there_is_a_welcome_not_a_return_figure(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # Returns before (days 11, 13 and 21), then time away from day 31 on.
    imported(home, tmp_path, example_document([*range(1, 10), 11, *range(13, 18), *range(21, 31)]))
    back = screen(home, 30)
    assert "You usually come back within" in back
    away = screen(home, 50)
    assert "come back within" not in away and "came back" not in away
    assert "Everything you have built is still here" in away
    assert "between chains · the last one held 10 days" in away
    grace = screen(home, 32)  # one day off: the chain holds, nothing is said of returns
    assert "a day off yesterday; the chain holds" in grace and "come back" not in grace
    assert "came back" in screen(home, 50, "--detail")


def test_the_default_screen_never_counts_returns(tmp_path: Path) -> None:
    home = tmp_path / "home"
    every_other_day = list(range(1, 60, 2))
    imported(home, tmp_path, example_document(every_other_day))
    text = screen(home, 59)
    assert "times" not in text and "came back" not in text
    assert "You usually come back within 1 day" in text
    detail = " ".join(screen(home, 59, "--detail").split())
    assert "You came back 29 times after a day off that grace carried" in detail


def test_the_calendar_starts_at_the_first_entry_and_names_only_its_marks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported(home, tmp_path, example_document([3, 4, 5], pauses=[(6, 6)]))
    # Model day 3 is a Wednesday; day 6 paused, day 7 quiet, day 8 (Monday) still open.
    text = screen(home, 8)
    rows = heat_rows(text)
    assert rows[1] == "Tue" and rows[2].startswith("Wed  ♥")  # before the first: blank
    assert rows[5].endswith("–") and rows[6].endswith("·")
    assert rows[0] == "Mon"  # today, still open, is blank as the days to come are
    assert "Since you began" in text
    legend = text.splitlines()[text.splitlines().index(rows[-1]) + 1]
    assert "– paused" in legend and "· quiet" in legend and "several" not in legend


def test_a_month_name_sits_over_the_week_it_starts_in() -> None:
    from layers_journal.ui.calendars import month_row

    # 2026-03-23 is a Monday: April starts in the second week shown, so March is not named
    # over the first week (no room) and April sits over the second.
    assert month_row(date(2026, 3, 23), 4, date(2026, 4, 19)).plain == "       Apr"
    # Room before the next month: the first week is named by its month.
    assert month_row(date(2026, 3, 9), 6, date(2026, 4, 19)).plain == "     Mar   Apr"
    # A month that starts after today is not named.
    assert month_row(date(2026, 3, 9), 4, date(2026, 3, 30)).plain == "     Mar"


@pytest.mark.parametrize("width", [100, 200])
def test_wide_terminals_keep_each_row_on_one_line(tmp_path: Path, width: int) -> None:
    home = tmp_path / "home"
    imported(home, tmp_path, example_document(GAP_DAYS))
    text = screen(home, 91, "--detail", width=width)
    lines = text.splitlines()
    for name in ("compassion", "connection", "awareness"):
        chain = next(line for line in lines if name in line and "weeks running (best" in line)
        assert "chapters so far" in chain and chain.endswith("weeks")
    assert any("kept 5 of the last 8 weeks · 23 days in all" in line for line in lines)


def test_a_journal_without_layers_or_entries(tmp_path: Path) -> None:
    empty = screen(tmp_path / "empty", 1)
    assert (
        "Your layers begin with your first page" in empty
        and "foundation" not in empty
        and "%" not in empty
    )
    assert not heat_rows(empty)  # no calendar of nothing
    # Pages without a layer (a jrnl import): presence, and the layers said once.
    home = tmp_path / "plain"
    document = json.loads(example_document([1, 2, 3]))
    for entry in document["entries"]:
        entry["theme"] = None
    imported(home, tmp_path, json.dumps(document))
    text = screen(home, 3)
    assert text.count("no layers yet") == 1 and "not started" not in text
    assert "3 days in this chain" in text and "○ no layer" in text


@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"NO_COLOR": "1"}, {}])
def test_the_picture_reads_at_forty_columns_however_it_is_shown(tmp_path: Path, env: dict) -> None:  # type: ignore[type-arg]
    home = tmp_path / "home"
    imported(home, tmp_path, example_document(GAP_DAYS, pauses=[(60, 62)]))
    result = run_cli(home, "layers", "--as-of", model_day(91).isoformat(), COLUMNS="40", **env)
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout  # piped: plain text
    assert all(len(line) <= 40 for line in result.stdout.splitlines())
    assert "awareness" in result.stdout and "your foundation" in result.stdout
    if env.get("TERM") == "dumb":  # a dumb terminal gets plain output: weeks in words
        assert "week by week" in result.stdout and "●" not in result.stdout
        return
    assert len(heat_rows(result.stdout)) == 7


def mood_document(days: list[int], moods: dict[int, list[int]]) -> str:
    """example_document, with a second entry on some days so a day's moods average."""
    document = json.loads(example_document(days))
    by_day = {entry["day"]: entry for entry in document["entries"]}
    for n, values in moods.items():
        first = by_day[model_day(n).isoformat()]
        first["mood"] = values[0]
        for extra, value in enumerate(values[1:], 1):
            document["entries"].append(
                {
                    **first,
                    "id": first["id"].replace("120000", f"1{extra}0000"),
                    "mood": value,
                    "created": first["created"].replace("T12", f"T1{extra}"),
                }
            )
    return json.dumps(document)


def test_the_calendar_by_mood(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # Days 1-7 (Mon-Sun): moods on days 1, 2 (two entries: 2 and 5, average 3.5 -> 4), 4.
    imported(home, tmp_path, mood_document(list(range(1, 8)), {1: [1], 2: [2, 5], 4: [5]}))
    text = screen(home, 7, "--by", "mood")
    rows = heat_rows(text)
    assert [row.split()[1] for row in rows] == ["1", "4", "○", "5", "○", "○", "○"]
    assert "Mood, since you began" in text and "from heavy to light" in text
    assert "○ no mood given" in text and "quiet" not in text and "paused" not in text
    assert "awareness" in text  # the layers stay above it
    none = tmp_path / "none"
    imported(none, tmp_path, example_document([1, 2]))
    assert "No moods in these weeks yet" in screen(none, 2, "--by", "mood")
    assert run_cli(home, "layers", "--by", "weather").returncode == 2


def test_the_index_answers_each_days_mood(journal_home: Path, tmp_path: Path, journal) -> None:  # type: ignore[no-untyped-def]
    imported(journal_home, tmp_path, mood_document([1, 2, 3], {1: [2, 3], 3: [4]}))
    index = journal.index()
    assert index.practice.day_moods(model_day(1), model_day(3)) == {
        model_day(1): 2.5,
        model_day(3): 4.0,
    }
    assert index.practice.day_moods(model_day(2), model_day(3)) == {model_day(3): 4.0}
    # An entry written after the day asked about waits, as the model's do.
    assert index.practice.day_moods(model_day(1), model_day(2)) == {model_day(1): 2.5}


def test_the_picture_saved_as_svg_and_html(journal_home: Path, tmp_path: Path) -> None:
    imported(journal_home, tmp_path, example_document(list(range(1, 15))))
    svg, html = tmp_path / "out" / "layers.svg", tmp_path / "out" / "layers.html"
    svg.parent.mkdir()
    svg.write_text("an older picture")
    result = run_cli(journal_home, "layers", "--as-of", model_day(14).isoformat(),
                     "--svg", str(svg), "--html", str(html))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "every week since you began" in result.stdout  # shown as well as saved
    assert f"Saved the picture to {svg}." in result.stderr
    assert svg.read_text().startswith("<svg") and "Your" in svg.read_text()
    assert "<html" in html.read_text().lower() and "14 days in this chain" in html.read_text()
    for path in (svg, html):
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in svg.parent.iterdir()] == sorted(["layers.svg", "layers.html"]) or (
        sorted(p.name for p in svg.parent.iterdir()) == ["layers.html", "layers.svg"]
    )


def test_help_explains_each_figure(invoke) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(invoke("layers", "--help").output.split())
    for figure in ("weeks running", "kept 7 of the last 8 weeks", "days in all",
                   "your foundation", "chain (best)", "24 of the last 28 days",
                   "come back within", "settled", "Loop Habit Tracker", "grace",
                   "chapters", "--by", "--svg", "LAYERS-MODEL.md"):  # fmt: skip
        assert figure in text, figure


# --- pauses ----------------------------------------------------------------------------


def test_pause_list_and_unpause(journal_home: Path) -> None:
    made = run_cli(journal_home, "pause", "2026-12-20", "2027-01-02", "--note", "family visit")
    assert made.returncode == 0, made.stderr
    assert "Take the time you need" in made.stderr
    listed = json.loads(run_cli(journal_home, "pauses", "--json").stdout)["pauses"]
    assert [(p["start"], p["end"], p["note"]) for p in listed] == [
        ("2026-12-20", "2027-01-02", "family visit")
    ]
    files = list((journal_home / "data" / "pauses").glob("*.toml"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"
    assert "family visit" in run_cli(journal_home, "pauses").stdout
    pause_id = listed[0]["id"]
    removed = run_cli(journal_home, "unpause", pause_id[:12])
    assert removed.returncode == 0, removed.stderr
    assert json.loads(run_cli(journal_home, "pauses", "--json").stdout)["pauses"] == []


def test_a_single_day_pause_and_overlaps_merge(tmp_path: Path) -> None:
    # journal pause refuses a new pause that overlaps one (test_frictions); overlaps that
    # arrive another way (an import, a sync) still merge in the model.
    home = tmp_path / "home"
    imported(home, tmp_path, example_document([1, 2, 3, 9, 10], pauses=[(4, 6), (5, 8)]))
    refused = run_cli(home, "pause", model_day(8).isoformat())
    assert refused.returncode == 2 and "overlap" in refused.stderr
    presence = layers_json(home, 10)["presence"]
    assert (presence["streak"], presence["returns"]["total"]) == (5, 0)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["2026-12-20", "2026-12-01"], "is before"),
        (["2026-13-01"], "not a date"),
        (["soon"], "not a date"),
    ],
)
def test_bad_pauses_are_one_sentence(journal_home: Path, args: list[str], expected: str) -> None:
    result = run_cli(journal_home, "pause", *args)
    assert result.returncode == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert not (journal_home / "data" / "pauses").exists()


def test_unpause_of_an_unknown_id(journal_home: Path) -> None:
    result = run_cli(journal_home, "unpause", "nothing-like-this")
    assert result.returncode == 1 and "No pause" in result.stderr


# --- the closing line after saving --------------------------------------------------------


def entry_on(day: date, n: int) -> dict:  # type: ignore[type-arg]
    return {
        "id": f"{day.isoformat()}-200000-past{n:02d}",
        "created": f"{day.isoformat()}T20:00:00+01:00",
        "day": day.isoformat(),
        "tz": ZONE,
        "theme": "awareness",
        "text": "earlier",
    }


# A Saturday: the days before it here are all in its own calendar week, so these are
# days away inside a week, as a daily rhythm counts them (not the gaps between the
# weeks of someone writing on some days of each week).
SATURDAY = date(2026, 3, 14)


def past_days(tmp_path: Path, home: Path, *ago: int) -> date:
    """Entries written some journal days before SATURDAY; returns it."""
    today = SATURDAY
    document = {
        "format": "layers-journal",
        "version": 1,
        "pauses": [],
        "entries": [entry_on(today - timedelta(days=n), n) for n in ago],
    }
    imported(home, tmp_path, json.dumps(document))
    return today


def test_welcome_back_after_days_away(journal_home: Path, tmp_path: Path, clock_at) -> None:  # type: ignore[no-untyped-def]
    clock_at(SATURDAY)
    run_cli(journal_home, "config", "set", "day_start", "00:00")
    past_days(tmp_path, journal_home, 5, 4)
    result = run_cli(journal_home, "today", stdin="back again")
    assert result.returncode == 0, result.stderr
    assert "Welcome back, after 3 days away" in result.stderr


def test_the_chain_grows_day_by_day(journal_home: Path, tmp_path: Path, clock_at) -> None:  # type: ignore[no-untyped-def]
    clock_at(SATURDAY)
    run_cli(journal_home, "config", "set", "day_start", "00:00")
    past_days(tmp_path, journal_home, 3, 2, 1)
    result = run_cli(journal_home, "today", stdin="and today")
    assert "This chain now holds 4 days." in result.stderr


def test_one_missed_day_is_grace(journal_home: Path, tmp_path: Path, clock_at) -> None:  # type: ignore[no-untyped-def]
    clock_at(SATURDAY)
    run_cli(journal_home, "config", "set", "day_start", "00:00")
    past_days(tmp_path, journal_home, 4, 3, 2)
    result = run_cli(journal_home, "today", stdin="after a day off")
    assert "Welcome back, after 1 day away; a day of grace kept your chain going" in result.stderr
    assert "it now holds 4 days" in result.stderr
    layers = run_cli(journal_home, "layers").stdout
    assert "a day off yesterday" not in layers and "4 days in this chain" in layers
    assert "a day of grace kept it going" in run_cli(journal_home, "layers", "--detail").stdout


# --- promises kept under pressure -------------------------------------------------


def test_a_pause_file_of_eight_thousand_years_is_skipped_and_layers_stays_quick(
    journal_home: Path,
) -> None:
    pauses = data(journal_home) / "pauses"
    pauses.mkdir(parents=True)
    (pauses / "forever.toml").write_text('id = "forever"\nstart = 1001-01-01\nend = 9998-12-31\n')
    started = time.monotonic()
    result = run_cli(journal_home, "layers")
    assert result.returncode == 0 and "forever.toml" in result.stderr
    assert time.monotonic() - started < 10
