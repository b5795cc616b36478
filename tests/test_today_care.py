"""What `journal today` says and refuses: text in arguments, input that is not UTF-8, the
first run, and the closing line after a save."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files
from layers_journal.folder.entries import parse_entry


def texts(home: Path) -> list[str]:
    return [parse_entry(path.read_text()).text for path in entry_files(home)]


def test_text_in_arguments_is_refused_kindly_and_nothing_is_saved(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "I", "feel", "awful", stdin="")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert "shell history" in message
    assert "journal today --editor" in message and "journal today < note.txt" in message
    assert "awful" not in result.stderr and "Traceback" not in result.stderr
    assert entry_files(journal_home) == []


def test_a_byte_order_mark_is_dropped(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", stdin="\ufeffFrom a Windows editor.")
    assert result.returncode == 0, result.stderr
    assert texts(journal_home) == ["From a Windows editor."]


def test_text_that_is_not_utf8_is_refused_and_kept_byte_for_byte(journal_home: Path) -> None:
    import subprocess
    import sys

    from helpers.cli import cli_env

    data = "Café au lait, déjà vu.\n".encode("latin-1")
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "today"],
        input=data,
        capture_output=True,
        env=cli_env(journal_home),
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "not UTF-8" in stderr and "iconv" in stderr
    assert entry_files(journal_home) == []
    (kept,) = (journal_home / "state" / "recovery").iterdir()
    assert kept.read_bytes() == data and str(kept) in " ".join(stderr.split())
    assert oct(kept.stat().st_mode & 0o777) == "0o600"


def show_in_a_terminal(home: Path) -> str:
    import sys

    import pexpect

    from helpers.cli import cli_env

    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "today", "--show"],
        env=cli_env(home),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    child.expect(pexpect.EOF)
    return " ".join((child.before or "").split())


def test_the_first_run_explains_the_layers_once(journal_home: Path) -> None:
    shown = show_in_a_terminal(journal_home)
    assert "three layers" in shown and "awareness" in shown
    # The folder's path may be folded across lines (a long temp path): compare it whole.
    unfolded = re.sub(r"\x1b\[[0-9;]*m", "", shown).replace(" ", "")
    assert str(journal_home / "data") in unfolded
    assert "three layers" not in show_in_a_terminal(journal_home)
    first = run_cli(journal_home, "today", stdin="One.")
    assert "first page" in first.stderr
    after = " ".join(first.stderr.split())
    assert "journal layers" in after and "journal history" in after
    second = run_cli(journal_home, "today", stdin="Two.")
    assert "first page" not in second.stderr and "journal layers" not in second.stderr


def test_an_imported_journal_is_not_new(journal_home: Path) -> None:
    document = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {
                "id": "2025-01-01-090000-abcdef",
                "created": "2025-01-01T09:00:00+01:00",
                "day": "2025-01-01",
                "tz": "Europe/Berlin",
                "text": "old",
            }
        ],
        "pauses": [],
    }
    source = journal_home.parent / "import.json"
    source.write_text(json.dumps(document))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    assert "three layers" not in run_cli(journal_home, "today", "--show").stderr
    assert "first page" not in run_cli(journal_home, "today", stdin="new").stderr


def test_a_second_save_on_a_day_says_it_was_added(journal_home: Path) -> None:
    first = run_cli(journal_home, "today", stdin="Morning.")
    second = run_cli(journal_home, "today", stdin="Evening.")
    assert "first page" in first.stderr
    assert "Added to today's page." in second.stderr
    assert "Welcome back" not in second.stderr and "first page" not in second.stderr
    assert "written 2 times today" in run_cli(journal_home, "today", "--show").stdout


@pytest.mark.parametrize(
    ("writes", "caption"),
    [
        ([["--date", "yesterday"]], None),  # written today, but for yesterday
        ([[], []], "written 2 times today"),
        ([[]], "written once today"),
    ],
)
def test_the_caption_counts_entries_for_the_day_shown(
    journal_home: Path, writes: list[list[str]], caption: str | None
) -> None:
    for args in writes:
        assert run_cli(journal_home, "today", *args, stdin="words").returncode == 0
    shown = run_cli(journal_home, "today", "--show").stdout
    if caption is None:
        assert "written" not in shown
    else:
        assert caption in shown


def test_the_caption_for_a_backfill_counts_that_day(journal_home: Path) -> None:
    run_cli(journal_home, "today", "--date", "yesterday", stdin="late")
    shown = run_cli(journal_home, "today", "--show", "--date", "yesterday").stdout
    assert "written once for this day" in shown
    added = run_cli(journal_home, "today", "--date", "yesterday", stdin="later")
    assert "Added to the page for" in added.stderr
