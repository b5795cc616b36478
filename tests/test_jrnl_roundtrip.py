"""Round trips through the real jrnl 4.6: a journal written with jrnl, read back by jrnl's
own `--export json`, and imported here from its plain text, match entry by entry (count,
order, date and minute, text, tags, starred).

jrnl is installed from PyPI into a venv of the test session's own (built once per
session, shared by the workers under a lock); where it cannot be installed (no network,
no pip) the tests are skipped and say why.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import run_cli

JRNL_VERSION = "4.6"
# The date parsers jrnl leans on, pinned as for the fixtures (tests/fixtures/jrnl/).
REQUIREMENTS = (f"jrnl=={JRNL_VERSION}", "python-dateutil==2.9.0.post0", "parsedatetime==2.6")


@pytest.fixture(scope="session")
def jrnl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The jrnl 4.6 program in a venv under this session's temporary folder."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    venv = shared / f"jrnl-{JRNL_VERSION}-venv"
    program = venv / "bin" / "jrnl"
    with open(shared / "jrnl-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failed = shared / "jrnl-venv.failed"
        if failed.exists():
            pytest.skip(failed.read_text())
        if not program.exists():
            reason = build_venv(venv)
            if reason:
                failed.write_text(reason)
                pytest.skip(reason)
    yield program


def build_venv(venv: Path) -> str | None:
    """None when jrnl is installed, else why it could not be."""
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120
        )
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        last = detail.decode(errors="replace").strip().splitlines()[-1:] or [str(error)]
        return f"jrnl {JRNL_VERSION} could not be installed from PyPI here: {last[0][:200]}"
    return None


class Jrnl:
    """jrnl run with nothing from the caller's environment: its own home and config."""

    def __init__(self, program: Path, folder: Path, timeformat: str) -> None:
        self.program, self.folder = program, folder
        self.journal = folder / "journal.txt"
        self.config = folder / "jrnl.yaml"
        folder.mkdir(parents=True, exist_ok=True)
        # The keys jrnl 4.6 writes on its first run, so it never asks or rewrites.
        self.config.write_text(
            "colors:\n  body: none\n  date: none\n  tags: none\n  title: none\n"
            "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\n"
            "highlight: true\nindent_character: '|'\n"
            f"journals:\n  default:\n    journal: {self.journal}\n"
            f"linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '{timeformat}'\n"
            f"version: '{JRNL_VERSION}'\n"
        )

    def run(self, *args: str, stdin: str = "") -> str:
        env = {
            "HOME": str(self.folder),
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_DATA_HOME": str(self.folder / "data"),
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
        }
        result = subprocess.run(
            [str(self.program), "--config-file", str(self.config), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def write(self, entry: str) -> None:
        """An entry as a person types it: 'date: title. body' on stdin."""
        self.run(stdin=entry)

    def export(self) -> list[dict[str, Any]]:
        return list(json.loads(self.run("--export", "json"))["entries"])


def matches(home: Path, expected: list[dict[str, Any]]) -> None:
    """What was imported here, entry by entry against jrnl's own export."""
    ours = json.loads(run_cli(home, "export").stdout)["entries"]
    assert len(ours) == len(expected)
    for mine, theirs in zip(ours, expected, strict=True):
        assert mine["created"][:16] == f"{theirs['date']}T{theirs['time']}"
        assert mine["day"] == theirs["date"]
        # jrnl splits the text at its first sentence into title and body.
        text = mine["text"]
        assert text.startswith(theirs["title"]), (text, theirs)
        assert text[len(theirs["title"]) :].strip() == theirs["body"], (text, theirs)
        tags = {tag.lstrip("#@").lower() for tag in theirs["tags"]}
        assert set(mine["tags"]) - {"starred"} == tags, (mine["tags"], theirs)
        assert ("starred" in mine["tags"]) == theirs["starred"]


ENTRIES = (
    "2025-01-02 07:45am: Started a new journal.",
    "2025-01-03 12:30pm: Lunch with @alice at the café. We talked about @work-life balance.",
    "2025-01-05 09:30: Weekly review @review #weekly\nThings that went well:\n"
    "- shipped the importer @Work\n\nThings to improve:\n  - sleep earlier @health\n",
    "2025-01-06 6:00pm *: Released v1.0! Champagne all round @work",
    "2025-01-06 6:00pm: Second entry in the very same minute.",
    "2025-01-06 6:00pm: Third entry in that minute, in the order written.",
    "2025-01-07 10:15am: Booked the flights to Zürich *",
    "2025-01-09 00:05: Über-late night in München @münchen\nCrème brûlée on the menu.",
    "2025-01-13: A date without a time gets the default hour.",
)


@pytest.mark.parametrize(
    ("timeformat", "options"),
    [("%F %r", ()), ("%d.%m.%Y %H:%M", ("--time-format", "%d.%m.%Y %H:%M"))],
)
def test_a_journal_written_with_jrnl_arrives_as_jrnl_exports_it(
    jrnl: Path, journal_home: Path, tmp_path: Path, timeformat: str, options: tuple[str, ...]
) -> None:
    writer = Jrnl(jrnl, tmp_path / "jrnl", timeformat)
    for entry in ENTRIES:
        writer.write(entry)
    expected = writer.export()
    assert len(expected) == len(ENTRIES)
    result = run_cli(journal_home, "import", str(writer.journal), "--format", "jrnl", *options)
    assert result.returncode == 0, result.stderr
    matches(journal_home, expected)


def test_headers_typed_by_hand_are_entries_for_both(
    jrnl: Path, journal_home: Path, tmp_path: Path
) -> None:
    """Headers jrnl reads with its fuzzy parser, added to a jrnl journal by hand."""
    writer = Jrnl(jrnl, tmp_path / "jrnl", "%F %r")
    writer.write("2025-01-05 09:30: Written by jrnl.\nSee [1] below.")
    with writer.journal.open("a") as journal:
        journal.write(
            "\n[Note] a bracket that is no date stays text.\n"
            "[2025-01-07] Just a date, typed in by hand.\n"
            "\n[January 8, 2025 9:15 PM] A date written out.\n"
            "[1] a footnote stays with its entry.\n"
            "\n[2025-01-09 21:40] The hour and minute only.\n"
            "\n[Fri, 10 Jan 2025 07:05:00] A mail-style date.\n"
            "\n[2025-01-11T06:30:00] An ISO date.\n"
        )
    expected = writer.export()
    assert len(expected) == 6
    result = run_cli(journal_home, "import", str(writer.journal), "--format", "jrnl")
    assert result.returncode == 0, result.stderr
    assert "Imported 6 entries" in result.stderr
    matches(journal_home, expected)
