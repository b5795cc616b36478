"""The writer in real terminals (tmux): a dumb one keeps only the letters typed, and
the full one wraps between words."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.cli import cli_env
from helpers.documents import entry_files
from layers_journal.folder.entries import parse_entry
from layers_journal.ui.writer import without_keys, word_breaks

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """A private tmux server; returns a function that runs tmux commands on it."""
    socket = str(tmp_path / "tmux.sock")

    def run(*args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", socket, *args], capture_output=True, text=True, timeout=30
        )
        return done.stdout

    yield run
    run("kill-server")


def start(tmux: Callable[..., str], home: Path, *, width: int, **env: str) -> None:
    variables = cli_env(home, **env)
    variables.pop("COLUMNS", None)  # the terminal's own width
    command = [
        "env",
        *(f"{key}={value}" for key, value in variables.items()),
        sys.executable,
        "-m",
        "layers_journal",
        "today",
        "--mood",
        "3",
    ]
    tmux("new-session", "-d", "-s", "w", "-x", str(width), "-y", "30", *command)


def wait_for(tmux: Callable[..., str], text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "w")
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared:\n{screen}")


def wait_for_entry(home: Path) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        files = entry_files(home)
        if files:
            return parse_entry(files[0].read_text()).text
        time.sleep(0.1)
    raise AssertionError("nothing was saved")


@needs_tmux
def test_a_dumb_terminal_saves_only_the_letters_typed_around_arrow_keys(
    tmux: Callable[..., str], journal_home: Path
) -> None:
    start(tmux, journal_home, width=50, TERM="dumb")
    screen = wait_for(tmux, "Arrow keys do not move")
    assert all(len(line) <= 50 for line in screen.splitlines())  # its real width
    tmux("send-keys", "-t", "w", "dumb terminal words", "Left", "Left", "X", "Up", "Home")
    tmux("send-keys", "-t", "w", "Enter")
    tmux("send-keys", "-t", "w", "second", "Right", "F5", " line", "Enter", "C-d")
    assert wait_for_entry(journal_home) == "dumb terminal wordsX\nsecond line"


@needs_tmux
def test_the_writer_wraps_between_words(tmux: Callable[..., str], journal_home: Path) -> None:
    start(tmux, journal_home, width=40, TERM="xterm-256color")
    wait_for(tmux, "Ctrl-D saves")
    typed = "the quick brown fox jumps over the lazy dog and keeps running to the old field"
    tmux("send-keys", "-t", "w", "-l", typed)
    screen = wait_for(tmux, "old field")
    rows = [line.rstrip() for line in screen.splitlines()]
    start_row = next(n for n, line in enumerate(rows) if line.startswith("the quick"))
    assert rows[start_row : start_row + 2] == [
        "the quick brown fox jumps over the lazy",  # not "... the lazy d" / "og and"
        "dog and keeps running to the old field",
    ]
    tmux("send-keys", "-t", "w", "C-d")
    assert wait_for_entry(journal_home) == typed


def test_word_breaks_pad_a_row_so_the_next_word_starts_the_next() -> None:
    def width(character: str) -> int:
        return 1

    assert word_breaks("aaa bbb ccc", 9, width) == [(8, 1)]
    assert word_breaks("aaa bbb ccc", 8, width) == []  # the row ends just before it
    assert word_breaks("aaa bbbb", 5, width) == [(4, 1)]
    assert word_breaks("a " + "x" * 12, 5, width) == []  # longer than a row: broken anywhere
    assert word_breaks("short", 40, width) == []


def test_key_sequences_are_no_part_of_the_words() -> None:
    assert without_keys(b"words\x1b[D\x1b[DX\x1b[A\n") == b"wordsX\n"
    assert without_keys(b"f\x1bOPive\x1b[15~\n") == b"five\n"
    assert without_keys("café\n".encode()) == "café\n".encode()
