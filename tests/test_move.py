"""journal move: the journal folder to a new place, whole, however it is stopped."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers.cli import cli_env, environment, environment_for, run_cli, run_process
from helpers.documents import berlin, write_entry
from layers_journal.config import load_config, resolve_paths
from layers_journal.journal.facade import Journal

ENTRIES = 160


def ids_in(folder: Path) -> list[str]:
    """The entry ids of a journal folder, one per entry file found."""
    if not folder.is_dir():
        return []
    return sorted(path.name.split(".")[0] for path in (folder / "entries").rglob("*.md"))


def journal_place(home: Path) -> Path:
    config = home / "config" / "config.toml"
    if config.exists():
        place = tomllib.loads(config.read_text()).get("journal_dir")
        if place:
            return Path(place)
    return home / "data"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    home = tmp_path_factory.mktemp("move") / "home"
    with environment(environment_for(home, {})):
        paths = resolve_paths()
        journal = Journal(paths, load_config(paths.config_file))
        first = date(2026, 6, 1)
        for n in range(ENTRIES):
            day = first + timedelta(days=n)
            write_entry(journal, berlin(day.year, day.month, day.day, 20), text=f"page {n}")
        journal.changes.add_pause(date(2026, 12, 1), date(2026, 12, 2), "rest")
    return home, ids_in(home / "data")


def copy_of(prepared: tuple[Path, list[str]], where: Path) -> Path:
    home = where / "home"
    shutil.copytree(prepared[0], home, symlinks=True)
    return home


def another_file_system(near: Path) -> Path | None:
    """A folder on another file system than `near` (tmpfs), where a move must copy."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != near.stat().st_dev:
        return shm
    return None


def test_a_move_takes_everything_and_names_the_new_place(
    prepared: tuple[Path, list[str]], tmp_path: Path
) -> None:
    home = copy_of(prepared, tmp_path)
    new = tmp_path / "elsewhere" / "journal"
    (tmp_path / "elsewhere").mkdir()
    result = run_cli(home, "move", str(new))
    assert result.returncode == 0, result.stderr
    assert f"now in {new}" in " ".join(result.stderr.split())
    assert ids_in(new) == prepared[1] and not (home / "data").exists()
    assert journal_place(home) == new
    listed = run_cli(home, "history", "--oneline").stdout.splitlines()
    assert len(listed) == ENTRIES
    assert run_cli(home, "pauses", "--json").stdout.count('"id"') == 1


@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("data/inside", "inside the journal folder"),
        ("missing/parent/journal", "does not exist"),
        ("full", "not empty"),
    ],
)
def test_a_move_that_cannot_be_made_changes_nothing(
    prepared: tuple[Path, list[str]], tmp_path: Path, target: str, refusal: str
) -> None:
    home = copy_of(prepared, tmp_path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    place = home / target if target.startswith("data") else tmp_path / target
    result = run_cli(home, "move", str(place))
    assert result.returncode == 2 and refusal in result.stderr
    assert ids_in(home / "data") == prepared[1] and journal_place(home) == home / "data"


def wait_for(note: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the move has written its note (it has begun), or the process has ended."""
    while not note.exists() and process.poll() is None:
        time.sleep(0.0005)


def start_move(home: Path, new: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "layers_journal", "move", str(new)],
        env=cli_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("across", [True, False], ids=["another-file-system", "same-file-system"])
def test_a_move_killed_anywhere_loses_nothing_and_finishes_next_time(
    prepared: tuple[Path, list[str]], tmp_path: Path, across: bool
) -> None:
    base = another_file_system(tmp_path) if across else tmp_path
    if base is None:
        pytest.skip("no second file system (/dev/shm) to move across")
    all_ids = prepared[1]
    scratch = Path(base) / f"layers-move-{os.getpid()}-{int(across)}"
    scratch.mkdir(exist_ok=True)
    try:
        # How long the move itself takes here (from its note to the end), so that most
        # kills fall inside it; a few fall before it starts.
        home = copy_of(prepared, tmp_path / "timing")
        process = start_move(home, scratch / "timing")
        note = home / "state" / "journal-move.toml"
        wait_for(note, process)
        began = time.monotonic()
        process.wait(timeout=120)
        moving = time.monotonic() - began
        chance = random.Random(28)
        kills = 20 if across else 6
        unfinished = 0
        for n in range(kills):
            home = copy_of(prepared, tmp_path / f"kill-{n}")
            new = scratch / f"journal-{n}"
            note = home / "state" / "journal-move.toml"
            process = start_move(home, new)
            if n % 5 == 4:
                time.sleep(chance.uniform(0.0, 0.3))  # somewhere in starting up
            else:
                wait_for(note, process)
                time.sleep(chance.uniform(0.0, moving * 1.1))
            process.kill()  # SIGKILL: no handler, no cleanup
            process.wait(timeout=60)
            old_ids, new_ids = ids_in(home / "data"), ids_in(new)
            # Nothing lost: every entry is in the old place or the new one...
            assert set(old_ids) | set(new_ids) == set(all_ids), n
            # ...and the journal (the place the config names) holds each exactly once.
            assert ids_in(journal_place(home)) == all_ids, n
            if n % 5 == 0:
                listed = run_process(home, "history", "--oneline").stdout.splitlines()
                assert len(listed) == ENTRIES, n
            if note.exists():
                unfinished += 1
            # The next journal move finishes the job (or, killed before it began, does it).
            again = run_process(home, "move", str(new))
            assert again.returncode == 0, (n, again.stderr)
            assert journal_place(home) == new and ids_in(new) == all_ids, n
            assert not (home / "data").exists(), n
            assert not note.exists(), n
            assert not any(path.name.endswith(".moving") for path in scratch.iterdir()), n
        print(f"{unfinished} of {kills} kills stopped the move part way")
        if across:
            assert unfinished >= 2  # some kills really fell inside the move
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_an_unfinished_move_is_finished_before_another(
    prepared: tuple[Path, list[str]], tmp_path: Path
) -> None:
    home = copy_of(prepared, tmp_path)
    note = home / "state" / "journal-move.toml"
    note.parent.mkdir(parents=True, exist_ok=True)
    new = tmp_path / "first"
    note.write_text(f'from = "{home / "data"}"\nto = "{new}"\n')
    other = run_cli(home, "move", str(tmp_path / "second"))
    assert other.returncode == 2 and f"journal move {new} finishes it" in other.stderr
    assert run_cli(home, "move", str(new)).returncode == 0
    assert ids_in(new) == prepared[1]
