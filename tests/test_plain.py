"""Plain output: linear text for screen readers, dumb terminals and narrow encodings.

Every command that draws, with ACCESSIBLE=1, with --plain, with TERM=dumb and with an
output that only takes ASCII (PYTHONIOENCODING=ascii, in a real process, where the
encoding is the process's own): no box drawing, no mark from the picture, no escape
byte, no trailing space, and the figures of the default screen said in words.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from helpers.cli import environment, environment_for, run_cli, run_process
from helpers.documents import berlin, write_entry
from layers_journal.config import load_config, resolve_paths
from layers_journal.journal.facade import Journal
from layers_journal.ui import words
from layers_journal.ui.console import plain_title
from layers_journal.ui.mode import plain_text, standin, wanted_by

AS_OF = date(2026, 11, 30)

# Box drawing, block elements and the picture's marks: nothing a reader would hear as
# "box drawings light vertical" or "black circle".
DRAWN = re.compile("[\u2500-\u259f\u25a0-\u25ff\u2580-\u259f●◆♥✱○❖·–▔▁▂▃▄▅▆▇█]")

COMMANDS = [
    ("layers", "--as-of", AS_OF.isoformat()),
    ("layers", "--as-of", AS_OF.isoformat(), "--detail"),
    ("layers", "--as-of", AS_OF.isoformat(), "--by", "mood"),
    ("review", "--show", "--as-of", AS_OF.isoformat()),
    ("review", "--show", "--month", "--as-of", AS_OF.isoformat()),
    ("review", "--show", "--year", "--as-of", AS_OF.isoformat()),
    ("today", "--show"),
    ("history",),
    ("history", "--oneline"),
    ("show", "last"),
    ("revisit", "awareness-001"),
    ("prompts", "--theme", "compassion"),
    ("pauses",),
    ("trash",),
    ("tags",),
    ("where",),
    ("exercise",),
    ("exercise", "thought-record", "--history"),
]

MODES = {
    "accessible": {"ACCESSIBLE": "1"},
    "dumb": {"TERM": "dumb"},
    "flag": {},
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight weeks of pages on every layer, with moods, tags, a pause and one entry in
    the trash; text with accents and curly quotes. Made once, copied for each test."""
    home = tmp_path_factory.mktemp("plain") / "home"
    with environment(environment_for(home, {})):
        paths = resolve_paths()
        journal = Journal(paths, load_config(paths.config_file))
        layers = ("awareness", "connection", "compassion")
        for n in range(56):
            day = date.fromordinal(AS_OF.toordinal() - 55 + n)
            if n % 5 == 4:
                continue
            write_entry(
                journal,
                berlin(day.year, day.month, day.day, 20),
                text=f"Café at dusk, the “slow” walk home; day {n}.",
                theme=layers[n % 3],
                prompt_id="awareness-001" if n % 3 == 0 else None,
                prompt="Pause for three breaths before you write.",
                mood=n % 5 + 1,
                tags=["walk"] if n % 2 else ["walk", "rain"],
            )
        journal.changes.add_pause(date(2026, 11, 14), date(2026, 11, 14), "a cold")
        gone = write_entry(journal, berlin(2026, 11, 29, 21), text="to the trash")
    run_cli(home, "delete", gone, stdin="y\n")
    return home


@pytest.fixture
def kept(prepared: Path, journal_home: Path) -> Path:
    shutil.copytree(prepared, journal_home, symlinks=True)
    return journal_home


def assert_linear(text: str, *, what: str) -> None:
    assert DRAWN.search(text) is None, f"{what}: {DRAWN.findall(text)[:5]}"
    assert "\x1b" not in text and "\x9b" not in text, what
    trailing = [line for line in text.split("\n") if line != line.rstrip()]
    assert not trailing, f"{what}: trailing spaces on {trailing[:3]}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda args: " ".join(args[:1] + args[3:]))
def test_every_drawing_command_is_linear_text(kept: Path, mode: str, command: tuple[str]) -> None:
    args = (*command, "--plain") if mode == "flag" else command
    result = run_cli(kept, *args, **MODES[mode])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() or command[0] in ("trash", "pauses", "exercise")
    assert_linear(result.stdout, what=f"{args} stdout")
    assert_linear(result.stderr, what=f"{args} stderr")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda args: " ".join(args[:1] + args[3:]))
def test_an_ascii_output_gets_stand_ins_never_an_encoding_error(
    kept: Path, command: tuple[str]
) -> None:
    result = run_process(kept, *command, PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and result.stderr.isascii()
    assert "UnicodeEncodeError" not in result.stderr
    assert_linear(result.stdout, what=f"{command} stdout")
    assert_linear(result.stderr, what=f"{command} stderr")


def test_an_ascii_history_keeps_the_words_readable(kept: Path) -> None:
    result = run_process(kept, "history", "-n", "1", PYTHONIOENCODING="ascii")
    assert 'Cafe at dusk, the "slow" walk home' in result.stdout
    assert result.stderr.startswith("45 entries")  # the count line, said first


def test_every_figure_of_the_default_screen_is_in_words(kept: Path, journal: Journal) -> None:
    report = journal.model.report(AS_OF)
    result = run_cli(kept, "layers", "--as-of", AS_OF.isoformat(), ACCESSIBLE="1")
    text = " ".join(result.stdout.split())
    expected = [plain_title(words.layers_title(AS_OF)), words.FOUNDATION]
    for layer in ("awareness", "connection", "compassion"):
        phrases = words.layer_phrases(report.layers[layer])
        expected.append(f"{layer}: " + "; ".join(phrases))
    expected += ["; ".join(line) for line in words.presence_lines(report.presence)]
    sentence = words.closing_sentence(report.presence)
    expected += [sentence] if sentence else []
    # The calendar: every week, and each day with a page, its layer said.
    expected += ["Week of 5 October:", "Week of 30 November:", "Monday 30, connection"]
    expected += ["Saturday 14, paused", "Saturday 28, compassion"]
    for phrase in expected:
        assert phrase in text, phrase
    assert "Wednesday 4," not in text  # a quiet day is left out of its week, not drawn empty


def test_the_review_says_its_mood_and_calendar_in_words(kept: Path) -> None:
    args = ("review", "--show", "--month", "--as-of", AS_OF.isoformat())
    result = run_cli(kept, *args, ACCESSIBLE="1")
    text = " ".join(result.stdout.split())
    assert text.startswith("Your month, November 2026")
    assert "Mood when you noted it, 1 heavy to 5 light: Sunday 1 November, " in text
    assert "This month, day by day, the oldest week first:" in text
    assert "awareness: " in text and "pages on" in text
    assert "Looking back, one prompt per layer:" in text
    week = run_cli(kept, "review", "--show", "--as-of", AS_OF.isoformat(), ACCESSIBLE="1")
    assert week.stdout.startswith("Your week, Monday 30 November to Sunday 6 December 2026")


def test_accessible_is_any_value_but_empty_or_zero() -> None:
    assert wanted_by({"ACCESSIBLE": "1"}, stdout=None)
    assert wanted_by({"ACCESSIBLE": "yes"}, stdout=None)
    assert not wanted_by({"ACCESSIBLE": "0"}, stdout=None)
    assert not wanted_by({"ACCESSIBLE": ""}, stdout=None)
    assert not wanted_by({}, stdout=None)
    assert wanted_by({"TERM": "dumb"}, stdout=None)


def test_config_output_plain_is_the_same_switch(kept: Path) -> None:
    run_cli(kept, "config", "set", "output", "plain")
    result = run_cli(kept, "layers", "--as-of", AS_OF.isoformat())
    assert_linear(result.stdout, what="output = plain")
    assert "week by week" in result.stdout
    refused = run_cli(kept, "config", "set", "output", "loud")
    assert refused.returncode == 2 and "auto or plain" in refused.stderr


def test_stand_ins_are_ascii_look_alikes() -> None:
    assert plain_text("“Café” — 1–2 · ♥ …") == '"Cafe" -- 1-2 - v ...'
    assert standin("\u241b") == "^["  # an escape byte, shown as its picture, in caret form
    assert standin("漢") == "?"


def test_narrow_terminals_stack_the_prompt_library(kept: Path) -> None:
    from layers_journal.prompts import load_library
    from layers_journal.ui.console import out
    from layers_journal.ui.views import prompts_table

    library = [p for p in load_library(None) if p.theme == "compassion"][:3]
    stacked = prompts_table(library, width=40)
    console = out()
    with console.capture() as captured:
        console.print(stacked, width=40)
    lines = captured.get().splitlines()
    assert lines[0] == f"{library[0].id}, compassion, depth {library[0].depth}"
    assert all(len(line) <= 40 for line in lines)
    assert lines[1].startswith("  ") and len(lines[1].split()) > 3  # words, not a 3-wide column
