"""What a command loads before it answers: a ceiling on the package's own modules (each
one is a file found, read and run at every start) and the standard library's heavier
ones, for the commands run most. Not a timing: a list that only grows on purpose."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from helpers.cli import cli_env, run_cli

REPORT = """\
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["journal", *sys.argv[1:]]
from layers_journal.cli import main
main()
"""

# What `journal today --show` may load of the package. The model (pure functions, split
# into modules as it grows) is allowed whole.
TODAY_SHOW = {
    "cli",
    "cli.base",
    "cli.commands",
    "cli.writing",
    "config",
    "days",
    "errors",
    "folder",
    "folder.crypto",
    "folder.entries",
    "folder.front_matter",
    "folder.layout",
    "folder.pauses",
    "folder.recovery",
    "folder.scan",
    "folder.storage",
    "folder.store",
    "index",
    "index.catch_up",
    "index.counts",
    "index.lifecycle",
    "index.lookup",
    "index.practice",
    "index.rows",
    "index.schema",
    "index.search",
    "journal",
    "journal.facade",
    "journal.finder",
    "journal.progress",  # the layers model, when the words of the day need it
    "journal.report",
    "journals",
    "prompts",
    "status",
    "ui",
    "ui.console",
    "ui.messages",
    "ui.mode",
    "ui.terminal",
    "ui.views",
    "ui.words",
}
# Loaded by none of these commands: OpenSSL behind hashlib, tempfile (drafts only).
NEVER = {"hashlib", "_hashlib", "tempfile", "pyrage", "prompt_toolkit", "yaml", "markdown_it"}


def loaded(home: Path, *args: str, stdin: str | None = None) -> tuple[set[str], set[str]]:
    """The package's own modules (without the prefix) and every module, after one run."""
    process = subprocess.run(
        [sys.executable, "-c", REPORT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(home),
        timeout=120,
    )
    assert process.returncode == 0, process.stderr
    modules = set(json.loads(process.stderr.strip().splitlines()[-1]))
    ours = {m.removeprefix("layers_journal.") for m in modules if m.startswith("layers_journal.")}
    return ours, modules


def ours_beyond_the_ceiling(ours: set[str], ceiling: set[str]) -> set[str]:
    return {m for m in ours - ceiling if m.split(".")[0] != "model"}


def test_today_show_loads_no_more_of_the_package_than_it_needs(
    journal_home: Path, clock_at
) -> None:  # type: ignore[no-untyped-def]
    clock_at(date(2026, 3, 7))
    assert run_cli(journal_home, "today", stdin="A first page.").returncode == 0
    ours, modules = loaded(journal_home, "today", "--show")
    assert ours_beyond_the_ceiling(ours, TODAY_SHOW) == set()
    assert modules & NEVER == set()
    assert "rich.console" in modules  # (the panel is drawn: the run went all the way)


def test_history_and_a_save_leave_openssl_and_tempfile_out(journal_home: Path, clock_at) -> None:  # type: ignore[no-untyped-def]
    clock_at(date(2026, 3, 7))
    assert run_cli(journal_home, "today", stdin="A page about a lighthouse.").returncode == 0
    for args, stdin in (
        (("history", "-n", "10"), None),
        (("history", "--search", "lighthouse"), None),
        (("layers",), None),
        (("today",), "Another page, piped in."),
    ):
        ours, modules = loaded(journal_home, *args, stdin=stdin)
        assert modules & NEVER == set(), args
        assert not {m for m in ours if m.split(".")[0] in ("formats", "sync", "doctor")}, args
