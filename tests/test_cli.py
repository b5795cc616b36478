"""The command line as a whole: help, where, config, start-up, and hand-broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

from helpers.cli import cli_env, run_cli, run_process
from helpers.documents import break_one_entry, entry_files, example_document
from helpers.folder import entry_item, import_document
from helpers.hostile import (
    FEW,
    GENERIC,
    PLAUSIBLE_ID,
    any_of,
    days,
    entry_fields,
    entry_file,
    fresh_home,
    iso_day,
    run,
    texts,
    toml_value,
)
from layers_journal import cli
from layers_journal.cli import app, base


def all_commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for command in group.registered_commands:
        found.append((*prefix, command.name or command.callback.__name__))  # type: ignore[union-attr]
    for sub in group.registered_groups:
        found.append((*prefix, sub.name))  # type: ignore[arg-type]
        found.extend(all_commands(sub.typer_instance, (*prefix, sub.name)))  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("command", all_commands(app))
def test_every_command_has_help(invoke, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    summary = result.output.split("\n\n")[1].strip()
    assert len(summary) > 10, summary


def test_top_level_help_says_it_is_not_therapy(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--help")
    assert "not therapy" in result.output and "crisis line" in result.output


def test_no_arguments_shows_help_and_exits_2(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke()
    assert result.exit_code == 2


# run_cli runs a command in this process. Where that could differ from a real process
# (exit codes, help, Rich's width and colour, prompts, the time zone), it must not.
SAME_AS_A_PROCESS = [
    (["--version"], None, {}),
    ([], None, {}),
    (["today", "--mood", "9"], "x", {}),
    (["today", "--date", "2026-02-30"], "x", {}),
    (["today", "--show"], None, {}),
    (["layers", "--as-of", "2026-03-10"], None, {"COLUMNS": "60", "NO_COLOR": "1"}),
    (["history", "--json"], None, {"TZ": "XYZ-13"}),
    (["show", "1999"], None, {}),
    (["delete", "2026-03-02", "--help"], None, {}),
    (["delete", "2026-03-02"], "n\n", {}),
    (["config", "set", "day_start", "07:00"], None, {}),
]


def test_run_cli_sees_what_a_process_sees(journal_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "doc.json"
    source.write_text(example_document(list(range(1, 8)), pauses=[(9, 10)]))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    for args, stdin, env in SAME_AS_A_PROCESS:
        process = run_process(journal_home, *args, stdin=stdin, **env)
        here = run_cli(journal_home, *args, stdin=stdin, **env)
        seen = (here.returncode, here.stdout, here.stderr)
        assert seen == (process.returncode, process.stdout, process.stderr), args


def test_importing_the_cli_does_not_load_rich_or_sqlite() -> None:
    code = "import sys, layers_journal.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'sqlite3', 'pyrage', 'pydantic', 'prompt_toolkit', 'yaml')))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def test_where_names_every_path(journal_home: Path) -> None:
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["journal"] == str(journal_home / "data")
    assert places["config"] == str(journal_home / "config" / "config.toml")
    assert places["cache"] == str(journal_home / "cache")
    assert {"entries", "pauses", "trash", "prompts", "prompt_library", "drafts", "recovery"} <= set(
        places
    )
    assert "journal" in run_cli(journal_home, "where").stdout


def test_config_set_get_unset(journal_home: Path) -> None:
    assert run_cli(journal_home, "config", "get", "day_start").stdout.strip() == "04:00"
    assert run_cli(journal_home, "config", "set", "day_start", "5:30").returncode == 0
    assert run_cli(journal_home, "config", "get", "day_start").stdout.strip() == "05:30"
    assert run_cli(journal_home, "config", "set", "sync.timeout", "12").returncode == 0
    text = (journal_home / "config" / "config.toml").read_text()
    assert 'day_start = "05:30"' in text and "[sync]" in text
    assert run_cli(journal_home, "config", "unset", "day_start").returncode == 0
    assert run_cli(journal_home, "config", "get", "day_start").stdout.strip() == "04:00"
    listing = run_cli(journal_home, "config", "list").stdout
    assert "sync.timeout = 12" in listing


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("day_strat", "04:00", "Unknown config key"),
        ("day_start", "07:00", "between 00:00 and 06:00"),
        ("day_start", "four", "like 04:00"),
        ("rhythm", "7/week", "1/week to 6/week"),
        ("cadence.presence", "2/7", "Unknown config key"),
        ("timezone", "Mars/Olympus", "not a time zone"),
    ],
)
def test_config_rejects_bad_keys_and_values(
    journal_home: Path, key: str, value: str, expected: str
) -> None:
    result = run_cli(journal_home, "config", "set", key, value)
    assert result.returncode in (1, 2)
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (journal_home / "config" / "config.toml").exists()


def test_a_hand_broken_config_is_one_sentence(journal_home: Path) -> None:
    config = journal_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("day_start = \n")
    result = run_cli(journal_home, "today", "--show")
    assert result.returncode == 1 and "config.toml is not valid TOML" in result.stderr
    config.write_text('colour = "blue"\n')
    result = run_cli(journal_home, "layers")
    assert result.returncode == 1 and "unknown key 'colour'" in result.stderr


def test_exit_codes_for_a_bad_value_and_for_nothing_to_do(journal_home: Path) -> None:
    bad = run_cli(journal_home, "config", "set", "day_start", "07:00")
    assert bad.returncode == 2
    assert run_cli(journal_home, "decrypt").returncode == 1


def test_a_stray_config_key_says_how_to_remove_it_and_can_be(journal_home: Path) -> None:
    config = journal_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme_colour = "blue"\n')
    refused = run_cli(journal_home, "today", "--show")
    assert refused.returncode == 1 and "journal config unset theme_colour" in refused.stderr
    assert run_cli(journal_home, "config", "unset", "theme_colour").returncode == 0
    assert run_cli(journal_home, "today", "--show").returncode == 0


def test_journal_dir_moves_the_journal(journal_home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "synced" / "journal"
    assert run_cli(journal_home, "config", "set", "journal_dir", str(elsewhere)).returncode == 0
    run_cli(journal_home, "today", stdin="moved")
    assert len(list((elsewhere / "entries").rglob("*.md"))) == 1
    assert entry_files(journal_home) == []


def test_a_hand_broken_entry_is_reported_and_skipped_never_rewritten(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="A good entry.")
    run_cli(journal_home, "today", "--date", "yesterday", stdin="Another good one.")
    good = entry_files(journal_home)[0]
    broken = good.with_name("2026-01-01-090000-broken.md")
    broken_bytes = b'+++\nid = "2026-01-01-090000-broken"\ncreated = oops\n+++\n\nhalf'
    broken.write_bytes(broken_bytes)
    result = run_cli(journal_home, "history", "--json")
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["entries"]) == 2
    assert "Skipped entries/" in result.stderr and "2026-01-01-090000-broken.md" in result.stderr
    assert "not valid TOML" in result.stderr
    layers = run_cli(journal_home, "layers", "--json")
    assert layers.returncode == 0 and json.loads(layers.stdout)["presence"]["entries"] == 2
    assert broken.read_bytes() == broken_bytes


# --- the one door every command leaves through ------------------------------------


def registered(group: typer.Typer) -> list[tuple[str, object]]:
    found = []
    for info in group.registered_commands:
        found.append((info.name or info.callback.__name__, info.callback))  # type: ignore[union-attr]
    for sub in group.registered_groups:
        group_callback = sub.typer_instance.registered_callback  # type: ignore[union-attr]
        if group_callback is not None:  # a group that does something of its own
            found.append((str(sub.name), group_callback.callback))
        found += registered(sub.typer_instance)  # type: ignore[arg-type]
    return found


def test_every_command_goes_through_the_door() -> None:
    commands = registered(cli.app)
    assert len(commands) > 20
    unwrapped = [
        name for name, callback in commands if not getattr(callback, "through_the_door", False)
    ]
    assert unwrapped == []


def test_the_command_table_names_every_top_level_command() -> None:
    app = cli.load()
    names = [cli.command_name(info) for info in app.registered_commands]
    names += [str(info.name) for info in app.registered_groups]
    assert sorted(names) == sorted(cli.COMMANDS)


def test_a_lean_run_builds_only_the_named_command() -> None:
    lean = cli.lean_app("history")
    assert [cli.command_name(info) for info in lean.registered_commands] == ["history"]
    assert cli.lean_app("no-such-command") is base.app


def test_an_export_with_a_broken_file_names_it_and_exits_1(journal_home: Path) -> None:
    broken, readable = break_one_entry(journal_home)
    result = run_cli(journal_home, "export")
    assert result.returncode == 1
    relative = broken.relative_to(journal_home / "data").as_posix()
    assert f"Skipped {relative}" in result.stderr
    assert "could not be read and is missing from it" in result.stderr
    texts = [entry["text"] for entry in json.loads(result.stdout)["entries"]]
    assert sorted(texts) == readable


def test_an_export_to_a_file_still_writes_what_it_could(journal_home: Path, tmp_path: Path) -> None:
    break_one_entry(journal_home)  # one of three
    target = tmp_path / "backup.json"
    result = run_cli(journal_home, "export", "--output", str(target))
    assert result.returncode == 1
    assert len(json.loads(target.read_text())["entries"]) == 2


def test_skipped_files_are_said_after_any_command_that_read_the_folder(journal_home: Path) -> None:
    broken, _ = break_one_entry(journal_home)
    first = json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"][0]["id"]
    for args in (["show", first], ["pauses"], ["layers", "--json"], ["today", "--show"]):
        result = run_cli(journal_home, *args)
        assert result.returncode == 0, args
        assert (
            result.stderr.count(f"Skipped {broken.relative_to(journal_home / 'data').as_posix()}")
            == 1
        ), args


# --- hostile values: each value refused with a reason or kept whole ---------------


COMMANDS = (
    ["show", PLAUSIBLE_ID],
    ["pauses"],
    ["history"],
    ["history", "--search", "page", "--full"],
    ["layers"],
    ["layers", "--json"],
    ["export"],
    ["export", "--format", "markdown"],
    ["reindex"],
    ["doctor"],
    ["doctor", "--fix"],
)

pause_fields = st.fixed_dictionaries(
    {
        "id": any_of(st.sampled_from(["rest", "Rest", "a b", "x" * 100])),
        "start": any_of(days.map(iso_day)),
        "end": any_of(days.map(iso_day)),
        "note": any_of(texts),
    }
).map(lambda fields: {name: value for name, value in fields.items() if value is not None})


@FEW
@given(fields=entry_fields(), body=texts, pause=pause_fields)
def test_no_command_ends_in_the_generic_sentence_on_a_journal_holding_a_hostile_file(
    fields: dict[str, Any], body: str, pause: dict[str, Any]
) -> None:
    with fresh_home() as home:
        assert run("today", "--date", "2026-01-01", stdin="A good page.").exit_code == 0
        folder = home / "data" / "entries" / "2026" / "03"
        folder.mkdir(parents=True, exist_ok=True)
        hostile = folder / "2026-03-02-090000-abc123.md"
        hostile.write_text(entry_file(fields, body), encoding="utf-8", errors="surrogatepass")
        rest = home / "data" / "pauses" / "rest.toml"
        rest.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(f"{name} = {toml_value(name, value)}\n" for name, value in pause.items())
        rest.write_text(lines, encoding="utf-8", errors="surrogatepass")
        before = hostile.read_bytes()
        for args in COMMANDS:
            result = run(*args)
            assert GENERIC not in result.stderr, (args, result.stderr)
            assert result.exit_code in (0, 1), (args, result.stderr)
        saved = run("today", stdin="Words on a day with a hostile file.")
        assert saved.exit_code == 0, saved.stderr
        assert hostile.read_bytes() == before  # never rewritten


# --- promises kept under pressure -------------------------------------------------


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\r"


def test_control_characters_in_any_text_never_reach_the_terminal_but_stay_in_the_files(
    journal_home: Path, tmp_path: Path
) -> None:
    prompts = journal_home / "config" / "prompts.toml"
    prompts.parent.mkdir(parents=True)
    prompts.write_text(
        '[[prompt]]\nid = "mine-001"\ntheme = "awareness"\ndepth = 1\n'
        'text = "What did you notice?\\u001b[2J"\n'
    )
    text = f"Ordinary words{ESCAPES}and more."
    assert run_cli(journal_home, "today", "--tag", "x\x1b[31m", stdin=text).returncode == 0
    (entry,) = entry_files(journal_home)
    assert text.encode() in entry.read_bytes()  # the file keeps the text exactly
    (entry.parent / f"2026-03-02-090000-evil{ESCAPES[:4]}.md").write_text("+++\n")
    source = tmp_path / "import.json"
    source.write_text(import_document(entry_item(1, id=f"bad{ESCAPES}", text="x")))
    runs = [
        run_cli(journal_home, "history", "--full"),
        run_cli(journal_home, "history"),
        run_cli(journal_home, "show", entry.name[:24]),
        run_cli(journal_home, "today", "--show"),
        run_cli(journal_home, "prompts", "--theme", "awareness"),
        run_cli(journal_home, "import", str(source)),
        run_cli(journal_home, "export", "--format", "markdown", "--output", str(tmp_path / "x.md")),
    ]
    for result in runs:
        for channel in (result.stdout, result.stderr):
            assert not any(ch in channel for ch in "\x1b\x07\x9b\r"), repr(channel[-300:])
    assert "␛[2J" in runs[0].stdout  # shown, harmlessly
    exact = json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"][0]
    assert exact["text"] == text and exact["tags"] == ["x\x1b[31m"]
    assert text.encode() in (tmp_path / "x.md").read_bytes()  # an export file keeps it exactly


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, ünïcödé, 漢字", "plain words, ünïcödé, 漢字"),
        ("a\tb\nc", "a\tb\nc"),  # layout is kept
        ("windows\r\nline", "windows\nline"),
        ("\x1b[2J\x1b]0;title\x07", "␛[2J␛]0;title␇"),
        ("over\rwrite", "over␍write"),
        ("c1 \x9b31m and del \x7f and nul \x00", "c1 \ufffd31m and del ␡ and nul ␀"),
    ],
)
def test_what_reaches_a_terminal_shows_control_characters_as_marks(text: str, shown: str) -> None:
    from layers_journal.ui.terminal import printable

    assert printable(text) == shown


def test_words_that_cannot_be_printed_back_are_said_on_stderr_not_a_traceback(
    journal_home: Path,
) -> None:
    import resource

    assert run_cli(journal_home, "today", stdin="first, while there was room").returncode == 0

    def full_disk() -> None:  # no file can grow, so neither the journal nor recovery
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    with open("/dev/full", "w") as full:
        # A real process: no room on disk, and its stdout is full too.
        result = subprocess.run(
            [sys.executable, "-m", "layers_journal", "today"],
            input="Words with nowhere to go.",
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(journal_home),
            timeout=60,
            preexec_fn=full_disk,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert "Words with nowhere to go." in result.stderr
