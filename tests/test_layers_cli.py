"""`journal layers`, pauses and the closing line, through the real command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import ZONE, example_document, model_day, run_cli, run_process, three_month_document


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
    day8 = layers_json(journal_home, 8, run=run_process)
    assert day8["presence"]["status"] == "open"
    assert day8["layers"]["connection"]["strength"] == pytest.approx(0.086279, abs=1e-6)


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


@pytest.mark.parametrize("width", [80, 120])
def test_the_picture_of_three_months(journal_home: Path, tmp_path: Path, width: int) -> None:
    imported(journal_home, tmp_path, three_month_document(date.today()))
    result = run_cli(journal_home, "layers", COLUMNS=str(width))
    assert result.returncode == 0, result.stderr
    screen = result.stdout
    lines = screen.splitlines()
    assert all(len(line) <= width for line in lines)
    # The layers stand stacked with awareness at the bottom, under its foundation line.
    order = [
        next(i for i, line in enumerate(lines) if name in line and "█" in line)
        for name in ("compassion", "connection", "awareness")
    ]
    assert order == sorted(order)
    assert "foundation" in lines[order[-1] + 1]
    assert "presence" in screen and "days in this chain" in screen
    assert "Last 12 weeks" in screen
    heat_rows = [
        line for line in lines if line[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    ]
    assert len(heat_rows) == 7
    assert any("●" in row and "◆" in row and "♥" in row for row in heat_rows)
    assert any("–" in row for row in heat_rows)  # the declared pause
    assert "You usually come back within" in screen
    for harsh in ("broke", "lost", "missed", "failed", "!"):
        assert harsh not in screen.lower()


def test_the_picture_degrades_gracefully(journal_home: Path, tmp_path: Path) -> None:
    imported(journal_home, tmp_path, three_month_document(date.today()))
    narrow = run_cli(journal_home, "layers", COLUMNS="40", NO_COLOR="1")
    assert narrow.returncode == 0
    assert all(len(line) <= 40 for line in narrow.stdout.splitlines())
    assert "\x1b[" not in narrow.stdout
    assert "awareness" in narrow.stdout and "Mon" in narrow.stdout


def test_a_new_journal_speaks_in_days_not_percentages(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="first")
    screen = run_cli(journal_home, "layers").stdout
    assert "1 day so far" in screen and "%" not in screen.split("foundation")[0]
    assert "not yet" in screen


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
    home = tmp_path / "home"
    imported(home, tmp_path, example_document([1, 2, 3, 9, 10]))
    run_cli(home, "pause", model_day(4).isoformat(), model_day(6).isoformat())
    run_cli(home, "pause", model_day(5).isoformat(), model_day(8).isoformat())
    assert run_cli(home, "pause", model_day(8).isoformat()).returncode == 0
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


def past_days(tmp_path: Path, home: Path, *ago: int) -> date:
    """Entries written some journal days ago; returns today's journal day."""
    today = date.today()  # the tests set day_start to 00:00, so journal days are dates
    document = {
        "format": "layers-journal",
        "version": 1,
        "pauses": [],
        "entries": [entry_on(today - timedelta(days=n), n) for n in ago],
    }
    imported(home, tmp_path, json.dumps(document))
    return today


def test_welcome_back_after_days_away(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "config", "set", "day_start", "00:00")
    past_days(tmp_path, journal_home, 5, 4)
    result = run_cli(journal_home, "today", stdin="back again")
    assert result.returncode == 0, result.stderr
    assert "Welcome back, after 3 days away" in result.stderr


def test_the_chain_grows_day_by_day(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "config", "set", "day_start", "00:00")
    past_days(tmp_path, journal_home, 3, 2, 1)
    result = run_cli(journal_home, "today", stdin="and today")
    assert "This chain now holds 4 days." in result.stderr


def test_one_missed_day_is_grace(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "config", "set", "day_start", "00:00")
    past_days(tmp_path, journal_home, 4, 3, 2)
    result = run_cli(journal_home, "today", stdin="after a day off")
    assert "Welcome back, after 1 day away; a day of grace kept your chain going" in result.stderr
    assert "it now holds 4 days" in result.stderr
    screen = run_cli(journal_home, "layers").stdout
    assert "1 grace day kept it going" in screen
