"""`journal review`: a period's figures against a plain oracle, written reviews, the words."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files, year_document
from layers_journal.model.review import period_of, review_prompts
from layers_journal.prompts import DEPTHS, load_library

LAYER_NAMES = ("awareness", "connection", "compassion")
# A whole generated year, a year before the real one, so every page has been reached.
YEAR = date.today().year - 1


@pytest.fixture(scope="module")
def year_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    home = tmp_path_factory.mktemp("review") / "home"
    document = year_document(YEAR)
    source = home.parent / "year.json"
    source.write_text(json.dumps(document))
    result = run_cli(home, "import", str(source))
    assert result.returncode == 0, result.stderr
    return home, document


def oracle(document: dict[str, Any], name: str, as_of: date) -> dict[str, Any]:
    """The review's figures computed plainly from the generated document."""
    period = period_of(name, as_of)
    end = min(period.last, as_of)
    paused: set[date] = set()
    for pause in document["pauses"]:
        day = date.fromisoformat(pause["start"])
        while day <= date.fromisoformat(pause["end"]):
            paused.add(day)
            day += timedelta(days=1)

    def counted(entry: dict[str, Any]) -> bool:
        day = date.fromisoformat(entry["day"])
        # Every generated page is written at 07:00 or later, so its journal day is the
        # date of its creation time.
        written = date.fromisoformat(entry["created"][:10])
        return written <= as_of and 0 <= (written - day).days <= 3

    everything = [e for e in document["entries"] if counted(e)]
    pages = [e for e in everything if period.first <= date.fromisoformat(e["day"]) <= end]

    def tally(items: list[dict[str, Any]]) -> dict[str, int]:
        return {"entries": len(items), "days": len({e["day"] for e in items})}

    moods: list[dict[str, Any]] = []
    if any(e["mood"] for e in pages):
        if name == "year":
            labels = [f"{period.first.year}-{m:02d}" for m in range(1, end.month + 1)]
        else:
            labels = [
                (period.first + timedelta(days=n)).isoformat()
                for n in range((end - period.first).days + 1)
            ]
        for label in labels:
            noted = [e["mood"] for e in pages if e["mood"] and e["day"].startswith(label)]
            moods.append({"when": label, "mood": sum(noted) / len(noted) if noted else None})
    tags = Counter(tag.lower() for e in pages for tag in {t.lower() for t in e["tags"]})
    spelled = {tag.lower(): tag for e in reversed(pages) for tag in e["tags"]}
    recurring = sorted(
        ((spelled[tag], n) for tag, n in tags.items() if n >= 2), key=lambda t: (-t[1], t[0])
    )
    written_days = sorted({date.fromisoformat(e["day"]) for e in everything})
    returns = []
    for before, after in itertools.pairwise(written_days):
        if period.first <= after <= end:
            away = sum(
                1
                for n in range(1, (after - before).days)
                if before + timedelta(days=n) not in paused
            )
            if away:
                returns.append({"day": after.isoformat(), "away": away, "unit": "day"})
    return {
        "period": name,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "as_of": as_of.isoformat(),
        "days": (end - period.first).days + 1,
        "presence": tally(pages),
        "layers": {
            layer: tally([e for e in pages if e["theme"] == layer]) for layer in LAYER_NAMES
        },
        "no_layer": tally([e for e in pages if e["theme"] is None]),
        "words": sum(len(e["text"].split()) for e in pages),
        "moods": moods,
        "returns": returns,
        "tags": [{"tag": tag, "entries": n} for tag, n in recurring[:8]],
        "reviews": 0,
        "exercises": {},  # the generated year has no exercise pages
    }


@pytest.mark.parametrize(
    ("name", "as_of"),
    [
        ("week", date(YEAR, 3, 11)),
        ("week", date(YEAR, 7, 22)),  # inside the summer pause
        ("week", date(YEAR, 12, 31)),
        ("month", date(YEAR, 2, 28)),
        ("month", date(YEAR, 7, 31)),
        ("month", date(YEAR, 10, 9)),  # a month so far
        ("year", date(YEAR, 12, 31)),
        ("year", date(YEAR, 6, 15)),
    ],
)
def test_the_figures_match_a_plain_oracle(
    year_home: tuple[Path, dict[str, Any]], name: str, as_of: date
) -> None:
    home, document = year_home
    result = run_cli(home, "review", f"--{name}", "--as-of", as_of.isoformat(), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    expected = oracle(document, name, as_of)
    assert figures == expected
    if name != "week":  # a week may be all time away
        assert figures["presence"]["entries"] > 0 and figures["moods"]


@pytest.mark.parametrize(
    ("name", "as_of", "first", "last"),
    [
        ("week", date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29)),
        ("week", date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 29)),
        ("week", date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),
        ("month", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        ("year", date(2026, 3, 1), date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods_are_calendar_weeks_months_and_years(
    name: str, as_of: date, first: date, last: date
) -> None:
    period = period_of(name, as_of)
    assert (period.first, period.last) == (first, last)
    assert period.end == min(last, as_of)


def test_a_written_review_round_trips_and_leaves_the_layers_alone(
    year_home: tuple[Path, dict[str, Any]], journal_home: Path, tmp_path: Path
) -> None:
    _home, document = year_home
    source = tmp_path / "year.json"
    source.write_text(json.dumps(document))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    as_of = f"{YEAR}-12-31"
    before = run_cli(journal_home, "layers", "--json", "--as-of", as_of).stdout
    today_before = run_cli(journal_home, "layers", "--json").stdout
    written = run_cli(
        journal_home,
        "review",
        "--month",
        "--as-of",
        f"{YEAR}-11-30",
        stdin="A month of small returns.\nI kept coming back.",
    )
    assert written.returncode == 0, written.stderr
    assert "leaves your layers as they are" in written.stderr
    assert run_cli(journal_home, "layers", "--json", "--as-of", as_of).stdout == before
    assert run_cli(journal_home, "layers", "--json").stdout == today_before

    exported = json.loads(run_cli(journal_home, "export").stdout)
    (review,) = [e for e in exported["entries"] if e.get("kind") == "review"]
    assert review["covers"] == [f"{YEAR}-11-01", f"{YEAR}-11-30"]
    assert (
        review["theme"] is None
        and review["text"] == "A month of small returns.\nI kept coming back."
    )
    assert review["prompt"].count("\n") == 2  # one review prompt per layer
    front = next(p for p in entry_files(journal_home) if review["id"] in p.name).read_text()
    assert 'kind = "review"' in front and f"covers = [{YEAR}-11-01, {YEAR}-11-30]" in front

    # Into a fresh journal and out again: the same document, the same layers.
    again = tmp_path / "again"
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported))
    assert run_cli(again, "import", str(backup)).returncode == 0
    assert json.loads(run_cli(again, "export").stdout) == exported
    assert run_cli(again, "layers", "--json", "--as-of", as_of).stdout == before

    # The review knows it was written, and history marks it.
    figures = json.loads(
        run_cli(again, "review", "--month", "--as-of", f"{YEAR}-11-30", "--json").stdout
    )
    assert figures["reviews"] == 1
    assert figures == {**oracle(document, "month", date(YEAR, 11, 30)), "reviews": 1}
    history = run_cli(again, "history", "-n", "400", "--since", review["day"]).stdout
    from layers_journal.ui.words import period_span

    assert f"❖ review · {period_span(date(YEAR, 11, 1), date(YEAR, 11, 30))}" in history
    assert history.count("❖") == 1


def test_a_quiet_week_is_met_gently(journal_home: Path) -> None:
    result = run_cli(journal_home, "review", "--show")
    assert result.returncode == 0, result.stderr
    screen = result.stdout
    assert "No pages in this week. Quiet stretches are part of the story too" in screen
    assert "Looking back" in screen and "Mood" not in screen
    for word in ("missed", "failed", "lost", "broke", "streak", "goal", "!"):
        assert word not in screen.lower()


def test_the_screen_names_each_layer_mood_returns_and_tags(
    year_home: tuple[Path, dict[str, Any]],
) -> None:
    home, document = year_home
    result = run_cli(home, "review", "--month", "--as-of", f"{YEAR}-10-31", "--show")
    assert result.returncode == 0, result.stderr
    figures = oracle(document, "month", date(YEAR, 10, 31))
    screen = result.stdout
    for layer in LAYER_NAMES:
        tally = figures["layers"][layer]
        assert f"{tally['entries']} pages on {tally['days']} days" in screen
    assert f"{figures['words']} words written" in screen
    assert "Mood when you noted it" in screen
    if figures["returns"]:
        assert "You came back to the page" in screen
    assert "Tags that came up more than once: #" in screen
    for word in ("missed", "failed", "lost", "broke", "!"):
        assert word not in screen.lower()


def test_an_empty_review_saves_nothing(journal_home: Path) -> None:
    result = run_cli(journal_home, "review", stdin="   \n")
    assert result.returncode == 1 and "nothing was saved" in result.stderr.lower()
    assert entry_files(journal_home) == []


def test_one_period_at_a_time(journal_home: Path) -> None:
    result = run_cli(journal_home, "review", "--week", "--year")
    assert result.returncode == 2 and "Choose one of --week, --month or --year." in result.stderr


def test_review_prompts_are_their_own_depth() -> None:
    library = load_library()
    for layer in LAYER_NAMES:
        mine = [p for p in library if p.theme == layer and p.depth == "review"]
        assert len(mine) >= 8
        assert all(p.id.startswith(f"{layer}-review-") for p in mine)
    # The daily rotation never offers a review prompt.
    assert all(p.depth in DEPTHS for p in library if p.depth != "review")
    # Each period keeps its prompts; the next one walks on, until all were offered.
    weeks = [period_of("week", date(2026, 1, 5) + timedelta(weeks=n)) for n in range(9)]
    chosen = [review_prompts(library, week)["awareness"].id for week in weeks]
    assert len(set(chosen)) == 9
    assert review_prompts(library, weeks[0]) == review_prompts(
        library, period_of("week", date(2026, 1, 11))
    )


def test_the_daily_prompt_is_never_a_review_prompt(journal_home: Path) -> None:
    for _ in range(3):
        shown = run_cli(journal_home, "today", "--show").stdout
        assert "this stretch" not in shown and "this period" not in shown


def test_a_review_can_be_written_in_the_editor(journal_home: Path, tmp_path: Path) -> None:
    from helpers.cli import editor_script

    seen = tmp_path / "seen.txt"
    editor = editor_script(
        tmp_path,
        f"""\
        pathlib.Path({str(seen)!r}).write_text(path.read_text())
        path.write_text(path.read_text() + "Looking back from the editor.")
        """,
    )
    result = run_cli(journal_home, "review", "--editor", EDITOR=editor, VISUAL="")
    assert result.returncode == 0, result.stderr
    assert "looking back" in seen.read_text().lower() or "stretch" in seen.read_text().lower()
    (entry,) = entry_files(journal_home)
    content = entry.read_text()
    assert 'kind = "review"' in content and content.rstrip().endswith(
        "Looking back from the editor."
    )
    assert "layers-journal:" not in content.split("+++")[-1]  # the header was taken off
