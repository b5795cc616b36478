"""The command line as a whole: help, where, config, start-up, and hand-broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from conftest import entry_files, example_document, run_cli, run_process
from layers_journal.cli import app


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
