"""Tab completion: the printed scripts driven in real shells, answered from the index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.documents import ZONE

PASSPHRASE = "a quiet harbour at dusk"


def journal_program() -> Path:
    """The installed console script beside this Python (pip install -e . puts it there)."""
    program = Path(sys.executable).parent / "journal"
    if not program.exists():
        pytest.skip("the journal console script is not installed beside this Python")
    return program


def shell_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.pathsep.join([str(journal_program().parent), "/usr/bin", "/bin"]),
        "HOME": str(home.parent),
        "LAYERS_JOURNAL_HOME": str(home),
        "TZ": ZONE,
        "LANG": "C.UTF-8",
    }


def script_file(home: Path, shell: str) -> Path:
    result = run_cli(home, "completion", shell)
    assert result.returncode == 0, result.stderr
    path = home.parent / f"journal-completion.{shell}"
    path.write_text(result.stdout)
    return path


def bash_complete(home: Path, *words: str) -> list[str]:
    """What bash offers for Tab after `words` (the last one the word being completed),
    with COMP_WORDS and COMP_CWORD set as bash sets them."""
    script = script_file(home, "bash")
    array = " ".join("'" + word.replace("'", "'\\''") + "'" for word in words)
    code = (
        f"source {script}; COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; "
        "_journal_completion journal; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", code],
        capture_output=True,
        text=True,
        env=shell_env(home),
        timeout=60,
    )
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def write_pages(home: Path) -> list[str]:
    for text, tag in (("A slow walk.", "walk"), ("Tea with a friend.", "friends")):
        assert run_cli(home, "today", "--tag", tag, stdin=text).returncode == 0
    listed = run_cli(home, "history", "--json").stdout
    import json

    return [entry["id"] for entry in json.loads(listed)["entries"]]


def test_bash_completes_entry_ids_last_and_days_for_show(journal_home: Path) -> None:
    ids = write_pages(journal_home)
    offered = bash_complete(journal_home, "journal", "show", "")
    assert set(ids) <= set(offered)
    assert "last" in offered
    assert ids[0][:10] in offered  # the day, which names that day's entries
    # Typing narrows it, as a prefix of the id.
    assert bash_complete(journal_home, "journal", "show", ids[0][:-1]) == [ids[0]]


def test_bash_completes_the_layers_for_history_theme(journal_home: Path) -> None:
    assert bash_complete(journal_home, "journal", "history", "--theme", "") == [
        "awareness",
        "connection",
        "compassion",
    ]
    assert bash_complete(journal_home, "journal", "history", "--theme", "co") == [
        "connection",
        "compassion",
    ]


def test_bash_completes_commands_options_tags_and_shells(journal_home: Path) -> None:
    write_pages(journal_home)
    commands = bash_complete(journal_home, "journal", "")
    assert {"today", "history", "show", "nudge", "completion"} <= set(commands)
    assert "--theme" in bash_complete(journal_home, "journal", "history", "--")
    assert bash_complete(journal_home, "journal", "history", "--tag", "") == ["friends", "walk"]
    assert bash_complete(journal_home, "journal", "nudge", "--shell", "") == [
        "bash",
        "zsh",
        "fish",
        "starship",
        "tmux",
    ]
    assert bash_complete(journal_home, "journal", "config", "get", "day") == ["day_start"]


def test_a_tab_in_an_encrypted_journal_needs_no_passphrase_and_shows_no_words(
    journal_home: Path,
) -> None:
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    assert run_cli(journal_home, "today", "--tag", "zephyrquill", stdin="Words.").returncode == 0
    offered = bash_complete(journal_home, "journal", "show", "")
    assert len([word for word in offered if len(word) > 10 and word != "last"]) == 1
    # Tags are sealed inside the entries: there is nothing to offer, and nothing is asked.
    assert bash_complete(journal_home, "journal", "history", "--tag", "") == []


def test_a_tab_with_no_journal_yet_offers_what_it_can_and_never_an_error(
    journal_home: Path,
) -> None:
    assert bash_complete(journal_home, "journal", "show", "") == ["last"]
    assert bash_complete(journal_home, "journal", "today", "--theme", "aw") == ["awareness"]


def test_fish_completes_from_the_same_protocol(journal_home: Path) -> None:
    fish = shutil.which("fish")
    if fish is None:
        pytest.skip("fish is not installed (apt-get install fish runs this test)")
    ids = write_pages(journal_home)
    script = script_file(journal_home, "fish")
    code = (
        f"source {script}; complete -C 'journal history --theme '; "
        f"complete -C 'journal show {ids[0][:-1]}'"
    )
    result = subprocess.run(
        [fish, "--no-config", "-c", code],
        capture_output=True,
        text=True,
        env=shell_env(journal_home),
        timeout=60,
    )
    offered = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert sorted(offered) == sorted(["awareness", "connection", "compassion", ids[0]]), (
        result.stderr
    )


def test_the_zsh_script_registers_itself_both_ways(journal_home: Path) -> None:
    zsh = shutil.which("zsh")
    if zsh is None:
        pytest.skip("zsh is not installed (apt-get install zsh runs this test)")
    script = script_file(journal_home, "zsh")
    functions = journal_home.parent / "zfunc"
    functions.mkdir()
    shutil.copy(script, functions / "_journal")
    env = shell_env(journal_home)
    sourced = (
        f"autoload -Uz compinit; compinit -u -D; source {script}; print -r -- $_comps[journal]"
    )
    from_fpath = f"fpath=({functions} $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[journal]"
    for code in (sourced, from_fpath):
        result = subprocess.run(
            [zsh, "-f", "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
        assert (result.stdout, result.stderr) == ("_journal\n", ""), code


def test_zsh_is_answered_with_the_ids(journal_home: Path) -> None:
    ids = write_pages(journal_home)
    env = {
        **shell_env(journal_home),
        "_JOURNAL_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": "journal show ",
    }
    result = subprocess.run(
        [str(journal_program())], capture_output=True, text=True, env=env, timeout=60
    )
    # Single-quoted words for compadd, which quotes what it inserts: data, never code.
    assert result.stdout.startswith("_journal_values=('last' ")
    assert all(f"'{entry_id}'" in result.stdout for entry_id in ids)
    assert result.stdout.endswith("compadd -d _journal_shown -a _journal_values\n")


def test_every_completion_in_the_table_belongs_to_a_real_parameter() -> None:
    from layers_journal.cli.completing import COMPLETIONS, completing_command

    found: set[tuple[str, ...]] = set()

    def walk(command: object, path: tuple[str, ...]) -> None:
        for param in command.params:  # type: ignore[attr-defined]
            if (*path, param.name) in COMPLETIONS:
                assert param._custom_shell_complete is not None
                found.add((*path, param.name))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(completing_command(), ())
    assert found == set(COMPLETIONS)


def test_revisit_completes_prompt_ids(journal_home: Path) -> None:
    offered = bash_complete(journal_home, "journal", "revisit", "compassion-00")
    assert offered and all(word.startswith("compassion-00") for word in offered)


def test_bash_completes_journal_names_and_that_journals_own_ids(journal_home: Path) -> None:
    default_ids = write_pages(journal_home)
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    assert (
        run_cli(journal_home, "-J", "work", "today", "--tag", "desk", stdin="Notes.").returncode
        == 0
    )
    listed = run_cli(journal_home, "-J", "work", "history", "--json").stdout
    import json

    work_ids = [entry["id"] for entry in json.loads(listed)["entries"]]
    assert bash_complete(journal_home, "journal", "-J", "wo") == ["work"]
    assert bash_complete(journal_home, "journal", "--journal", "") == ["default", "work"]
    offered = bash_complete(journal_home, "journal", "-J", "work", "show", "")
    assert set(work_ids) <= set(offered)
    assert not set(default_ids) & set(offered)
    assert bash_complete(journal_home, "journal", "-J", "work", "history", "--tag", "") == ["desk"]
