"""Several journals: named in config.toml, chosen with --journal/-J or
LAYERS_JOURNAL_JOURNAL, each with its own folder, key, remote, drafts and recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.cli import run_cli
from layers_journal.config import load_config, resolve_paths
from layers_journal.journals import journal_folder, journal_names, registry


def config_text(home: Path) -> str:
    path = home / "config" / "config.toml"
    return path.read_text() if path.exists() else ""


def listed(home: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli(home, *args, "journals", "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)["journals"]
    return rows


def write(home: Path, text: str, *args: str, **env: str) -> None:
    result = run_cli(home, *args, "today", stdin=text, **env)
    assert result.returncode == 0, result.stderr


def bodies(home: Path, *args: str, **env: str) -> list[str]:
    result = run_cli(home, *args, "history", "--json", **env)
    assert result.returncode == 0, result.stderr
    return [entry["text"].strip() for entry in json.loads(result.stdout)["entries"]]


# --- one journal: exactly as before --------------------------------------------------


def test_one_journal_is_default_at_the_usual_place(journal_home: Path) -> None:
    paths = resolve_paths()
    found = registry(paths, load_config(paths.config_file))
    assert list(found) == ["default"]
    assert found["default"].root == journal_home / "data" and found["default"].usual
    assert journal_names() == ["default"] and journal_folder("default") == journal_home / "data"
    rows = listed(journal_home)
    assert [(r["name"], r["default"], r["entries"]) for r in rows] == [("default", True, 0)]
    assert config_text(journal_home) == ""  # listing wrote nothing


def test_one_journal_keeps_every_path(journal_home: Path) -> None:
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert "journals" not in places
    assert places["drafts"] == str(journal_home / "state" / "drafts")
    assert places["recovery"] == str(journal_home / "state" / "recovery")
    assert places["journal"] == str(journal_home / "data")


def test_journal_option_in_help_without_a_clashing_short_option(invoke) -> None:  # type: ignore[no-untyped-def]
    text = invoke("--help").output
    assert "-J, --journal NAME" in text
    assert text.count("-J") == 1


# --- add, list, choose -----------------------------------------------------------------


def test_add_puts_a_journal_beside_the_first_and_writes_stay_apart(journal_home: Path) -> None:
    added = run_cli(journal_home, "journals", "add", "work")
    assert added.returncode == 0, added.stderr
    work = journal_home / "data-work"
    assert work.is_dir() and (work.stat().st_mode & 0o777) == 0o700
    write(journal_home, "words for work\n", "-J", "work")
    write(journal_home, "words for me\n")
    assert bodies(journal_home, "--journal", "work") == ["words for work"]
    assert bodies(journal_home) == ["words for me"]
    assert bodies(journal_home, LAYERS_JOURNAL_JOURNAL="work") == ["words for work"]
    # the option beats the environment
    assert bodies(journal_home, "-J", "default", LAYERS_JOURNAL_JOURNAL="work") == ["words for me"]
    rows = {row["name"]: row for row in listed(journal_home)}
    assert rows["work"]["entries"] == 1 and rows["default"]["entries"] == 1
    assert rows["work"]["folder"] == str(work) and not rows["work"]["default"]


def test_default_journal_setting_and_where(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    assert run_cli(journal_home, "config", "set", "default_journal", "work").returncode == 0
    write(journal_home, "to work by default\n")
    assert bodies(journal_home, "-J", "work") == ["to work by default"]
    assert bodies(journal_home, "-J", "default") == []
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["journal"] == str(journal_home / "data-work")
    assert places["drafts"] != str(journal_home / "state" / "drafts")
    assert places["journals"]["default"]["drafts"] == str(journal_home / "state" / "drafts")
    text = run_cli(journal_home, "where").stdout
    assert f"default.journal\t{journal_home / 'data'}" in text
    refused = run_cli(journal_home, "config", "set", "default_journal", "nope")
    assert refused.returncode != 0 and "nope" in refused.stderr


def test_rename_and_remove_never_touch_files(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    write(journal_home, "kept\n", "-J", "work")
    renamed = run_cli(journal_home, "journals", "rename", "work", "office")
    assert renamed.returncode == 0, renamed.stderr
    assert bodies(journal_home, "-J", "office") == ["kept"]
    refused = run_cli(journal_home, "journals", "remove", "default")
    assert refused.returncode != 0 and "default_journal" in refused.stderr
    removed = run_cli(journal_home, "journals", "remove", "office")
    assert removed.returncode == 0 and str(journal_home / "data-work") in removed.stderr
    assert [row["name"] for row in listed(journal_home)] == ["default"]
    assert list((journal_home / "data-work" / "entries").rglob("*.md"))


def test_renaming_the_first_journal_keeps_its_paths(journal_home: Path) -> None:
    write(journal_home, "mine\n")
    assert run_cli(journal_home, "journals", "rename", "default", "private").returncode == 0
    assert [row["name"] for row in listed(journal_home)] == ["private"]
    assert bodies(journal_home) == ["mine"] and bodies(journal_home, "-J", "private") == ["mine"]
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["drafts"] == str(journal_home / "state" / "drafts")


def test_removing_the_first_journal_once_another_is_default(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    assert run_cli(journal_home, "config", "set", "default_journal", "work").returncode == 0
    assert run_cli(journal_home, "journals", "remove", "default").returncode == 0
    assert [row["name"] for row in listed(journal_home)] == ["work"]


# --- refusals: one sentence, nothing changed -----------------------------------------


@pytest.mark.parametrize("name", ["", "a/b", "..", "x.y", "two words", "x" * 65, "é"])
def test_a_bad_name_is_refused(journal_home: Path, name: str) -> None:
    for args in (("journals", "add", name), ("-J", name, "history")):
        result = run_cli(journal_home, *args)
        assert result.returncode != 0
        assert "cannot name a journal" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert config_text(journal_home) == ""


def test_an_unknown_name_says_which_there_are(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    before = config_text(journal_home)
    result = run_cli(journal_home, "--journal", "nope", "today", stdin="text\n")
    assert result.returncode != 0
    assert "nope" in result.stderr and "default and work" in result.stderr
    assert not (journal_home / "data").exists() and config_text(journal_home) == before
    env = run_cli(journal_home, "history", LAYERS_JOURNAL_JOURNAL="nope")
    assert env.returncode != 0 and "default and work" in env.stderr


def test_a_folder_shared_by_two_journals_is_refused(journal_home: Path, tmp_path: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work", str(tmp_path / "w")).returncode == 0
    before = config_text(journal_home)
    for folder in (tmp_path / "w", journal_home / "data", tmp_path / "w" / "inner"):
        result = run_cli(journal_home, "journals", "add", "other", str(folder))
        assert result.returncode != 0 and "both keep" in result.stderr
    assert config_text(journal_home) == before
    (journal_home / "config" / "config.toml").write_text(
        before + f'\n[journals.twin]\ndir = "{tmp_path / "w"}"\n'
    )
    loaded = run_cli(journal_home, "history")
    assert loaded.returncode != 0 and "both keep" in loaded.stderr


def test_a_journal_whose_folder_is_gone(journal_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    assert run_cli(journal_home, "journals", "add", "old", str(folder)).returncode == 0
    folder.rmdir()
    result = run_cli(journal_home, "-J", "old", "today", stdin="words\n")
    assert result.returncode != 0
    assert str(folder) in result.stderr and "journal journals remove old" in result.stderr
    assert not folder.exists()
    rows = {row["name"]: row for row in listed(journal_home)}
    assert rows["old"]["present"] is False
    assert run_cli(journal_home, "journals", "remove", "old").returncode == 0
