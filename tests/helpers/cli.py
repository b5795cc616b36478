"""Commands as the tests run them: in this process (run_cli, as a process would see it)
or in a real one (run_process), each in its own LAYERS_JOURNAL_HOME."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer._click import formatting, termui
from typer.testing import CliRunner

from layers_journal.cli import command_word, lean_app

from .documents import ZONE


def isolate_environment(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("LAYERS_JOURNAL_HOME", str(home))
    monkeypatch.setenv("TZ", ZONE)
    for name in ("VISUAL", "EDITOR", "PAGER", "LAYERS_JOURNAL_PASSPHRASE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LAYERS_JOURNAL_PASSPHRASE_FILE", "")
    time.tzset()


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LAYERS_")}
    env.update({"LAYERS_JOURNAL_HOME": str(home), "TZ": ZONE, "COLUMNS": "80"}, **extra)
    return env


def run_process(
    home: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """The installed package in a real subprocess, as a person would run it.

    For what only a process shows: a terminal, signals, several journals at once,
    what gets imported at start-up. Everything else goes through run_cli.
    """
    return subprocess.run(
        [sys.executable, "-m", "layers_journal", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(home, **env),
        timeout=120,
    )


def piped_input(prompt: str | None = None) -> str:
    """input() with stdin not a terminal, as click's prompts use it in a real process:
    the prompt is written, the answer is not echoed, the end of input is EOFError."""
    sys.stdout.write(prompt or "")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line[:-1] if line.endswith("\n") else line


class ProcessLikeRunner(CliRunner):
    """CliRunner, less two habits a real run does not share: help wrapped at a fixed 80
    columns (here click measures COLUMNS, as in a process) and a confirm() answer echoed
    onto stdout. The outer isolation puts both back on the way out."""

    @contextlib.contextmanager
    def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        with super().isolation(*args, **kwargs) as streams:
            formatting.FORCED_WIDTH = None
            termui.visible_prompt_func = piped_input
            yield streams


def environment_for(home: Path, env: Mapping[str, str]) -> dict[str, str | None]:
    """What cli_env gives a process, as changes to this one: every LAYERS_ variable
    the test did not give is removed (None).

    Plus LAYERS_JOURNAL_DEBUG=1, so that a bug (an exception no handler expects) reaches
    the test with its traceback instead of becoming a sentence and exit 1; no test asks
    for that sentence, and handled errors are the same with or without it."""
    changes: dict[str, str | None] = {key: None for key in os.environ if key.startswith("LAYERS_")}
    changes.update(
        {
            "LAYERS_JOURNAL_HOME": str(home),
            "TZ": ZONE,
            "COLUMNS": "80",
            "LAYERS_JOURNAL_DEBUG": "1",
        },
        **env,
    )
    return changes


@contextlib.contextmanager
def environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """os.environ changed for one command, TZ re-read on the way in and out."""
    saved = {key: os.environ.get(key) for key in changes}

    def apply(values: Mapping[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        time.tzset()

    apply(changes)
    try:
        yield
    finally:
        apply(saved)


def fresh_consoles() -> None:
    """render keeps its Rich consoles for the life of the process; a console made in an
    earlier command would write to that command's streams, with its COLUMNS and NO_COLOR."""
    render = sys.modules.get("layers_journal.ui.console")
    if render is not None:
        render._stdout = render._stderr = None  # type: ignore[attr-defined]


def invoke_cli(home: Path, args: Sequence[str], stdin: str | bytes | None, env: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """One command in this process, started as main() starts it (lean_app of the first
    word, prog_name journal). An exception that escapes the command fails the test
    instead of becoming exit 1."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("run_cli swaps sys.stdout and os.environ; threads need run_process")
    with environment(environment_for(home, env)):
        fresh_consoles()
        try:
            return ProcessLikeRunner().invoke(
                lean_app(command_word(list(args))),
                list(args),
                input=stdin,
                catch_exceptions=False,
                prog_name="journal",
            )
        finally:
            fresh_consoles()


def run_cli(
    home: Path, *args: str, stdin: str | bytes | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """A command run in this process, seen as run_process would see it: the exit code,
    stdout and stderr apart, the same environment. stdin is never a terminal.

    What stays a process's own: its pid (a draft left by an editor here names a journal
    that is still running), its signals, and sys.stdout, os.environ and the time zone,
    which are this process's for the length of the command (so, one thread at a time).
    """
    result = invoke_cli(home, args, stdin, env)
    return subprocess.CompletedProcess(
        ["journal", *args], result.exit_code, result.stdout, result.stderr
    )


def editor_script(folder: Path, code: str, name: str = "editor.py") -> str:
    """A stand-in for $EDITOR: Python `code` run with `path`, the file being edited."""
    script = folder / name
    script.write_text(
        f"#!{sys.executable}\nimport pathlib, sys\npath = pathlib.Path(sys.argv[-1])\n"
        + textwrap.dedent(code)
    )
    script.chmod(0o755)
    return str(script)
