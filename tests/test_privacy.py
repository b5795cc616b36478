"""Private by construction: no network, private files, entry text never in argv."""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path

from helpers.cli import cli_env, run_cli

PACKAGE = Path(__file__).parents[1] / "src" / "layers_journal"
NETWORK_MODULES = (
    "socket",
    "ssl",
    "http",
    "urllib",
    "requests",
    "httpx",
    "asyncio",
    "smtplib",
    "ftplib",
)

# Runs the CLI with every way of opening a socket replaced by a refusal.
GUARD = """
import socket, sys, runpy
def refuse(*args, **kwargs):
    raise SystemExit("network use attempted")
socket.socket = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.argv = ["journal", *sys.argv[1:]]
runpy.run_module("layers_journal", run_name="__main__")
"""


def test_the_package_imports_no_network_module() -> None:
    pattern = re.compile(rf"^\s*(?:import|from)\s+({'|'.join(NETWORK_MODULES)})\b", re.MULTILINE)
    for source in PACKAGE.rglob("*.py"):
        assert not pattern.search(source.read_text()), source


def test_every_command_runs_with_the_network_blocked(journal_home: Path, tmp_path: Path) -> None:
    import subprocess

    def guarded(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", GUARD, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=cli_env(journal_home),
        )

    export = tmp_path / "export.json"
    steps = [
        (["today"], "A page written offline."),
        (["today", "--show"], None),
        (["history", "--search", "offline"], None),
        (["layers"], None),
        (["pause", "2026-01-01"], None),
        (["export", "--output", str(export)], None),
        (["import", str(export)], None),
        (["prompts", "--json"], None),
        (["where"], None),
        (["doctor"], None),
    ]
    for args, stdin in steps:
        result = guarded(*args, stdin=stdin)
        assert result.returncode == 0, (args, result.stderr)
        assert "network use attempted" not in result.stderr


def test_entry_text_is_never_taken_from_the_command_line(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "my private words")
    assert result.returncode == 2
    assert not (journal_home / "data" / "entries").exists()


def test_everything_written_is_private(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "today", "--tag", "x", stdin="words")
    run_cli(journal_home, "pause", "2026-01-01")
    run_cli(journal_home, "config", "set", "day_start", "05:00")
    run_cli(
        journal_home,
        "prompts",
        "add",
        "--theme",
        "awareness",
        stdin="What did your hands do today?",
    )
    run_cli(journal_home, "layers")
    checked = 0
    for path in journal_home.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
        checked += 1
    assert checked > 10
