"""Structured exercises: the library, walking one in a real terminal, piping one in, and
the page it becomes (counted, searched, exported, sealed)."""

from __future__ import annotations

import json
import re
import signal
import sys
import time
import tomllib
from pathlib import Path

import pexpect
import pytest

from helpers.cli import cli_env, editor_script, run_cli
from helpers.documents import entry_files
from layers_journal.errors import ExerciseError
from layers_journal.exercises import (
    compose,
    load_exercises,
    read_exercise_file,
    read_sections,
    scales_of,
    shipped_exercise_dir,
)
from layers_journal.model.layers import LAYERS

PASSPHRASE = "correct horse battery staple"
CTRL_C, CTRL_D, ENTER = "\x03", "\x04", "\r"

# An exercise of the person's own, so these tests do not hang on the shipped wording.
OWN = """\
name = "tea-pause"
title = "Tea pause"
layer = "awareness"
description = "A cup of tea, noticed; a reflection exercise for your own noticing, not treatment."

[[step]]
title = "Before the first sip"
guide = "What does the cup feel like in your hands?"
kind = "text"

[[step]]
title = "How tense you were"
name = "tense"
guide = "0 not at all, 100 very."
kind = "scale"
min = 0
max = 100

[[step]]
title = "After the last sip"
guide = "What changed, if anything?"
kind = "text"

[[step]]
title = "How tense you are now"
name = "tense-now"
guide = "0 not at all, 100 very."
kind = "scale"
min = 0
max = 100
"""

PIPED = """\
## Before the first sip

Warm in both hands, a chip on the rim. #tea

## How tense you were

80

## After the last sip

The kettle clicked off and my shoulders dropped.

## How tense you are now

40
"""


@pytest.fixture
def own_exercise(journal_home: Path) -> Path:
    folder = journal_home / "config" / "exercises"
    folder.mkdir(parents=True)
    path = folder / "tea-pause.toml"
    path.write_text(OWN)
    return path


def entry_of(home: Path) -> tuple[str, dict[str, object]]:
    [path] = entry_files(home)
    content = path.read_text()
    return content, tomllib.loads(content.split("+++")[1])


# --- the library --------------------------------------------------------------------


def test_every_shipped_exercise_is_valid_and_kind_about_what_it_is() -> None:
    exercises, problems = load_exercises()
    assert problems == []
    assert len(exercises) >= 9
    for layer in LAYERS:
        assert len([e for e in exercises if e.layer == layer]) >= 3, layer
    for exercise in exercises:
        path = shipped_exercise_dir() / f"{exercise.name}.toml"
        assert read_exercise_file(path, own=False) == exercise
        assert 3 <= len(exercise.steps) <= 8, exercise.name
        assert re.search(r"\bnot (a )?treatment\b", exercise.description), exercise.name
        for step in exercise.steps:
            if step.scale:
                assert (step.low, step.high) in ((0, 100), (1, 5)), (exercise.name, step)
        words = [exercise.title, exercise.description] + [
            part for step in exercise.steps for part in (step.title, step.guide)
        ]
        assert not any("!" in text or re.search(r"\bshould\b", text, re.I) for text in words)


def test_the_list_by_layer_and_the_help_say_these_are_not_treatment(
    journal_home: Path, own_exercise: Path
) -> None:
    listed = run_cli(journal_home, "exercise")
    assert listed.returncode == 0, listed.stderr
    assert "not treatment" in listed.stdout
    assert listed.stdout.index("● awareness") < listed.stdout.index("♥ compassion")
    assert "tea-pause" in listed.stdout and "yours" in listed.stdout
    shown = json.loads(run_cli(journal_home, "exercise", "--json").stdout)["exercises"]
    assert {e["name"] for e in shown} >= {"tea-pause"}
    helped = run_cli(journal_home, "exercise", "--help")
    assert "reflection exercises" in helped.stdout and "not treatment" in helped.stdout


def test_where_names_both_exercise_folders(journal_home: Path) -> None:
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["exercises"] == str(journal_home / "config" / "exercises")
    assert Path(places["exercise_library"]) == shipped_exercise_dir()


def test_a_broken_exercise_file_is_named_and_the_rest_carry_on(
    journal_home: Path, own_exercise: Path
) -> None:
    broken = own_exercise.with_name("broken.toml")
    broken.write_text(
        OWN.replace('kind = "scale"', 'kind = "slider"').replace("tea-pause", "broken")
    )
    result = run_cli(journal_home, "exercise")
    assert result.returncode == 0
    assert f'{broken}, line 11: a step\'s kind must be "text" or "scale".' in result.stderr
    assert "tea-pause" in result.stdout
    with pytest.raises(ExerciseError):
        read_exercise_file(broken, own=True)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('name = "tea-pause"', 'name = "other"'), "must match the file's name"),
        (('layer = "awareness"', 'layer = "kindness"'), "layer must be one of"),
        (("min = 0\n", "min = 100\n"), "min must be below its max"),
        (('name = "tense"\n', ""), "a scale needs a name"),
        (('"After the last sip"', '"Before the first sip"'), "two steps have the title"),
    ],
)
def test_what_is_wrong_with_an_exercise_file_is_said(
    tmp_path: Path, change: tuple[str, str], says: str
) -> None:
    path = tmp_path / "tea-pause.toml"
    path.write_text(OWN.replace(*change, 1))
    with pytest.raises(ExerciseError) as caught:
        read_exercise_file(path, own=True)
    assert says in caught.value.message and str(path) in caught.value.message


def test_markdown_sections_in_and_out(own_exercise: Path) -> None:
    exercise = read_exercise_file(own_exercise, own=True)
    answers = read_sections(
        exercise, PIPED.replace("## How tense you were", "##  how TENSE you were")
    )
    assert scales_of(exercise, answers) == {"tense": 80, "tense-now": 40}
    assert compose(exercise, answers) == PIPED.rstrip("\n")
    with pytest.raises(ExerciseError, match="is not a step of tea-pause"):
        read_sections(exercise, "## Something else\n\nwords\n")
    with pytest.raises(ExerciseError, match="starts with a step's heading"):
        read_sections(exercise, "words first\n## Before the first sip\n")
    with pytest.raises(ExerciseError, match="whole number from 0 to 100"):
        scales_of(exercise, read_sections(exercise, "## How tense you were\n\nvery\n"))


def test_scales_side_by_side_and_as_bars(own_exercise: Path) -> None:
    from layers_journal.ui.exercise_view import scale_bars, scale_words

    exercise = read_exercise_file(own_exercise, own=True)
    assert scale_words(exercise, [("tense", 80), ("tense-now", 40)]) == ["tense 80 → 40"]
    assert scale_words(None, [("believed", 80), ("feeling", 70), ("believed-after", 30)]) == [
        "believed 80 → 30",
        "feeling 70",
    ]
    assert scale_words(exercise, [("tense-now", 40)]) == ["tense-now 40"]
    for width in (40, 80, 120):
        bars = scale_bars(exercise, [("tense", 80), ("tense-now", 40)], width=width).plain
        lines = bars.splitlines()
        assert all(len(line) <= width for line in lines) and len(lines) == 2
        assert lines[0].endswith("80 of 100") and lines[1].endswith("40 of 100")
    wide = scale_bars(exercise, [("tense", 80)], width=120).plain
    assert "How tense you were" in wide and "████████████████░░░░" in wide


# --- piped, and the page it becomes -------------------------------------------------------


def test_a_piped_exercise_is_kept_counted_found_and_shown(
    journal_home: Path, own_exercise: Path
) -> None:
    saved = run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED)
    assert saved.returncode == 0, saved.stderr
    content, front = entry_of(journal_home)
    assert front["kind"] == "exercise" and front["exercise"] == "tea-pause"
    assert front["scales"] == {"tense": 80, "tense-now": 40}
    assert front["theme"] == "awareness" and front["prompt"] == "Tea pause"
    assert front["tags"] == ["tea"]
    assert content.endswith("+++\n\n" + PIPED)
    # It counts toward its layer on its day.
    layers = json.loads(run_cli(journal_home, "layers", "--json").stdout)
    assert layers["layers"]["awareness"]["active_days"] == 1
    # History marks it, search finds it.
    history = run_cli(journal_home, "history", "--search", "kettle").stdout
    assert "awareness · exercise" in history and "Tea pause" in history
    # show, piped, is the page exactly; its JSON carries the three keys.
    shown = run_cli(journal_home, "show", "last").stdout
    assert PIPED.rstrip("\n") in shown
    document = json.loads(run_cli(journal_home, "show", "last", "--json").stdout)
    assert (document["kind"], document["exercise"], document["scales"]) == (
        "exercise",
        "tea-pause",
        {"tense": 80, "tense-now": 40},
    )
    time.sleep(1.1)  # a second apart, so oldest first has one answer
    again = run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED.replace("80", "60"))
    assert again.returncode == 0
    walked = run_cli(journal_home, "exercise", "tea-pause", "--history").stdout
    assert walked.index("tense 80 → 40") < walked.index("tense 60 → 40")  # oldest first
    review = json.loads(run_cli(journal_home, "review", "--json").stdout)
    assert review["exercises"] == {"tea-pause": 2}
    assert review["layers"]["awareness"]["entries"] == 2


def test_exports_to_read_keep_the_steps_under_the_page(
    journal_home: Path, own_exercise: Path, tmp_path: Path
) -> None:
    run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED)
    markdown = run_cli(journal_home, "export", "--format", "markdown").stdout
    assert "· awareness · exercise" in markdown
    assert "#### Before the first sip\n\nWarm in both hands" in markdown
    assert "\n## Before" not in markdown  # the days keep the ## headings to themselves
    book = tmp_path / "book.html"
    run_cli(journal_home, "export", "--format", "html", "--output", str(book))
    html = book.read_text()
    assert "<h4>How tense you were</h4>\n<p>80</p>" in html  # each step under the entry
    assert "## " not in html


def test_editing_the_words_of_an_exercise_keeps_its_scales_true(
    journal_home: Path, own_exercise: Path, tmp_path: Path
) -> None:
    run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED)
    lower = editor_script(tmp_path, "path.write_text(path.read_text().replace('80', '55'))")
    edited = run_cli(journal_home, "edit", "last", VISUAL=lower)
    assert edited.returncode == 0, edited.stderr
    content, front = entry_of(journal_home)
    assert front["scales"] == {"tense": 55, "tense-now": 40} and "\n55\n" in content
    broken = editor_script(tmp_path, "path.write_text('No sections now.\\n')", name="b.py")
    again = run_cli(journal_home, "edit", "last", VISUAL=broken)
    assert again.returncode == 0 and "Its scales stay as they were" in again.stderr
    assert entry_of(journal_home)[1]["scales"] == {"tense": 55, "tense-now": 40}


def test_an_ordinary_page_keeps_its_json_shape(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="Just a page.")
    document = json.loads(run_cli(journal_home, "show", "last", "--json").stdout)
    assert not {"kind", "exercise", "scales", "covers"} & set(document)


@pytest.mark.parametrize(
    ("piped", "says"),
    [
        ("## Tea\n\nwords\n", "is not a step of tea-pause"),
        ("## How tense you were\n\n180\n", "takes a whole number from 0 to 100"),
        ("Some words\n", "starts with a step's heading"),
        ("\n\n", "Nothing was written"),
    ],
)
def test_piped_text_that_does_not_fit_saves_nothing(
    journal_home: Path, own_exercise: Path, piped: str, says: str
) -> None:
    result = run_cli(journal_home, "exercise", "tea-pause", stdin=piped)
    assert result.returncode == 1 and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert entry_files(journal_home) == []


def test_an_unknown_exercise_is_one_sentence(journal_home: Path) -> None:
    result = run_cli(journal_home, "exercise", "no-such-thing", stdin=PIPED)
    assert result.returncode == 1 and "There is no exercise called no-such-thing" in result.stderr


def test_an_exercise_round_trips_through_export_and_import(
    journal_home: Path, own_exercise: Path, tmp_path: Path
) -> None:
    run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED)
    run_cli(journal_home, "today", stdin="An ordinary page.")
    exported = run_cli(journal_home, "export", "--format", "json").stdout
    backup = tmp_path / "backup.json"
    backup.write_text(exported)
    other = tmp_path / "other"
    imported = run_cli(other, "import", str(backup))
    assert imported.returncode == 0, imported.stderr
    assert run_cli(other, "export", "--format", "json").stdout == exported
    entries = json.loads(exported)["entries"]
    shapes = sorted((e["text"][:2], "kind" in e, "exercise" in e, "scales" in e) for e in entries)
    assert shapes == [("##", True, True, True), ("An", False, False, False)]


def test_in_an_encrypted_journal_the_scales_are_sealed_with_the_text(
    journal_home: Path, own_exercise: Path
) -> None:
    run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED)
    [plain] = entry_files(journal_home)
    original = plain.read_bytes()
    sealed = run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert sealed.returncode == 0, sealed.stderr
    [encrypted] = entry_files(journal_home)
    assert encrypted.name.endswith(".md.age") and b"tense" not in encrypted.read_bytes()
    meta = tomllib.loads(
        encrypted.with_name(encrypted.name[: -len(".md.age")] + ".meta.toml").read_text()
    )
    assert set(meta) <= {"id", "created", "day", "theme", "kind"} and meta["kind"] == "exercise"
    layers = json.loads(run_cli(journal_home, "layers", "--json").stdout)  # no passphrase
    assert layers["layers"]["awareness"]["active_days"] == 1
    found = run_cli(
        journal_home, "history", "--search", "kettle", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE
    )
    assert "Tea pause" in found.stdout
    history = run_cli(
        journal_home, "exercise", "tea-pause", "--history", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE
    )
    assert "tense 80 → 40" in history.stdout
    # A new exercise is sealed from the start, without the passphrase.
    assert run_cli(journal_home, "exercise", "tea-pause", stdin=PIPED).returncode == 0
    assert all(b"tense" not in path.read_bytes() for path in entry_files(journal_home))
    opened = run_cli(journal_home, "decrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert opened.returncode == 0, opened.stderr
    assert (plain.parent / plain.name).read_bytes() == original


# --- walked in a real terminal ------------------------------------------------------------


def walker(home: Path, name: str = "tea-pause") -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "exercise", name],
        env=cli_env(home, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )


def type_keys(child: pexpect.spawn, *keys: str) -> None:
    for key in keys:
        child.send(key)
        time.sleep(0.05)


def test_walking_an_exercise_step_by_step_in_a_terminal(
    journal_home: Path, own_exercise: Path
) -> None:
    child = walker(journal_home)
    child.expect("Step 1 of 4")
    child.expect("goes on to the next step")
    type_keys(child, "Warm cup.", CTRL_D)
    child.expect("Step 2 of 4")
    child.expect("A number from 0 to 100")
    type_keys(child, "170", ENTER)
    child.expect("A whole number from 0 to 100, please")
    type_keys(child, "70", ENTER)
    child.expect("Step 3 of 4")
    child.expect("goes on to the next step")
    type_keys(child, CTRL_C)  # an empty step, and words before it: it asks
    child.expect(r"Leave without saving 2 lines\? \(y/N\)")
    type_keys(child, "n", ENTER)
    child.expect("goes on to the next step")
    type_keys(child, "Calmer.", CTRL_D)
    child.expect("Step 4 of 4")
    type_keys(child, "30", ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    _, front = entry_of(journal_home)
    assert front["scales"] == {"tense": 70, "tense-now": 30}
    assert not list((journal_home / "state" / "drafts").glob("draft-*"))


def test_a_closed_window_keeps_the_walk_and_the_next_one_offers_it(
    journal_home: Path, own_exercise: Path
) -> None:
    child = walker(journal_home)
    child.expect("goes on to the next step")
    type_keys(child, "Warm cup.", CTRL_D)
    child.expect("A number from 0 to 100")
    type_keys(child, "65", ENTER)
    child.expect("Step 3 of 4")
    child.expect("goes on to the next step")
    type_keys(child, "Half ", "way")
    time.sleep(2.5)  # kept every few seconds
    child.kill(signal.SIGHUP)
    child.expect(pexpect.EOF)
    child.close()
    assert entry_files(journal_home) == []
    child = walker(journal_home)
    child.expect("unsaved page")
    type_keys(child, ENTER)  # go on with it
    child.expect("goes on to the next step")
    type_keys(child, CTRL_D)  # step 1 as it was
    child.expect("Enter keeps 65")
    type_keys(child, ENTER)
    child.expect("goes on to the next step")
    type_keys(child, " there.", CTRL_D)
    child.expect("Step 4 of 4")
    type_keys(child, ENTER)  # left blank
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    content, front = entry_of(journal_home)
    assert front["scales"] == {"tense": 65}
    assert "## After the last sip\n\nHalf way there.\n" in content
