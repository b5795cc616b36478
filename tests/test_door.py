"""The one door out: every command goes through it, and it says what a run skipped."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from helpers.cli import run_cli
from helpers.documents import entry_files
from layers_journal import cli
from layers_journal.cli import base


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


PAGES = ["A first page.", "A second page.", "A third page."]


def break_one_entry(home: Path) -> tuple[Path, list[str]]:
    """Three entries, one of them then broken by hand: the broken file, and the texts
    of the two still readable."""
    for text in PAGES:
        assert run_cli(home, "today", stdin=text).returncode == 0
    broken = entry_files(home)[1]
    readable = [page for page in PAGES if page not in broken.read_text()]
    broken.write_text("+++\nid = \n+++\nthe front matter is broken\n")
    return broken, readable


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


def test_doctor_lists_skipped_files_once_as_findings(journal_home: Path) -> None:
    broken, _ = break_one_entry(journal_home)
    result = run_cli(journal_home, "doctor")
    assert result.returncode == 1
    assert "Skipped" not in result.stderr
    assert result.stderr.count(broken.name) == 1
