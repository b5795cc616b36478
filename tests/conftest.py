"""Every test gets its own LAYERS_JOURNAL_HOME and a fixed time zone.

Commands run in this process through run_cli; run_process starts a real one, for what
only a process shows (a terminal, signals, several at once, what start-up imports).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings
from typer._click import formatting, termui
from typer.testing import CliRunner

from layers_journal.cli import lean_app
from layers_journal.config import load_config, resolve_paths
from layers_journal.folder.entries import new_entry
from layers_journal.journal.facade import Journal

ZONE = "Europe/Berlin"

# A shared machine can take longer than Hypothesis's 200 ms per example; speed is measured
# by bench/run.py, never by a test.
settings.register_profile("layers-journal", deadline=None)
settings.load_profile("layers-journal")


def isolate_environment(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("LAYERS_JOURNAL_HOME", str(home))
    monkeypatch.setenv("TZ", ZONE)
    for name in ("VISUAL", "EDITOR", "PAGER", "LAYERS_JOURNAL_PASSPHRASE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LAYERS_JOURNAL_PASSPHRASE_FILE", "")
    time.tzset()


# scrypt (age's passphrase mode) costs a second or more each time a key is wrapped or
# opened. In the test process a passphrase wraps one real key pair, the first time it
# is used, and later journals get copies of that key file; a key opened once opens again
# from memory, while a wrong passphrase always meets the real scrypt. Processes the
# tests start (pexpect sessions, kills) do all of it for real.
KEY_FILES: dict[str, tuple[bytes, Any]] = {}
UNLOCKED: dict[tuple[bytes, str], Any] = {}


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from layers_journal.folder import crypto
    from layers_journal.folder.storage import write_atomic

    real_create, real_unlock = crypto.create_key, crypto.unlock

    def create_key(root: Path, passphrase: str) -> tuple[Any, Any]:
        if passphrase not in KEY_FILES:
            identity, recipient = real_create(root, passphrase)
            KEY_FILES[passphrase] = ((root / crypto.KEY_NAME).read_bytes(), identity)
            return identity, recipient
        crypto.refuse_empty(passphrase)
        wrapped, identity = KEY_FILES[passphrase]
        write_atomic(root / crypto.KEY_NAME, wrapped, overwrite=False)
        crypto.write_recipient(root, identity)
        return identity, identity.to_public()

    def unlock(root: Path, passphrase: str) -> Any:
        try:
            key = ((root / crypto.KEY_NAME).read_bytes(), passphrase)
        except OSError:
            return real_unlock(root, passphrase)
        if key not in UNLOCKED:
            UNLOCKED[key] = real_unlock(root, passphrase)
        return UNLOCKED[key]

    monkeypatch.setattr(crypto, "create_key", create_key)
    monkeypatch.setattr(crypto, "unlock", unlock)


@pytest.fixture(autouse=True)
def journal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    isolate_environment(monkeypatch, home)
    yield home
    time.tzset()


@pytest.fixture
def journal() -> Journal:
    paths = resolve_paths()
    return Journal(paths, load_config(paths.config_file))


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
                lean_app(args[0] if args else None),
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


def berlin(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(ZONE))


def write_entry(journal: Journal, when: datetime, text: str = "words", **fields: object) -> str:
    """Save an entry as `journal today` would at `when` (the clock passed in)."""
    day = fields.pop("day", None) or journal.clock.day_of(when)
    entry = new_entry(journal.clock, now=when, day=day, text=text, **fields)  # type: ignore[arg-type]
    journal.changes.save_new(entry)
    return entry.id


def layer_of(n: int) -> str:
    """LAYERS-MODEL.md's worked examples: the theme follows the day number."""
    return {1: "awareness", 2: "connection", 0: "compassion"}[n % 3]


ROTATION = ("awareness", "connection", "compassion")


def model_day(n: int) -> date:
    return date(2026, 3, 2) + timedelta(days=n - 1)


def example_document(
    days: list[int],
    pauses: list[tuple[int, int]] = (),  # type: ignore[assignment]
    *,
    rotation: bool = False,
) -> str:
    """A layers-journal JSON export with one entry per listed model day, written that day:
    its layer fixed by the day number, or with `rotation` in the order of the pages
    (the first awareness, the second connection, …)."""
    entries = []
    for page, n in enumerate(days):
        day = model_day(n)
        entries.append(
            {
                "id": f"{day.isoformat()}-120000-day{n:03d}",
                "created": f"{day.isoformat()}T12:00:00+01:00",
                "day": day.isoformat(),
                "tz": ZONE,
                "theme": ROTATION[page % 3] if rotation else layer_of(n),
                "prompt_id": None,
                "prompt": None,
                "mood": None,
                "tags": [],
                "text": f"Day {n}.",
            }
        )
    return json.dumps(
        {
            "format": "layers-journal",
            "version": 1,
            "entries": entries,
            "pauses": [
                {
                    "id": f"pause-{start}",
                    "start": model_day(start).isoformat(),
                    "end": model_day(end).isoformat(),
                    "note": None,
                }
                for start, end in pauses
            ],
        }
    )


def entry_files(home: Path) -> list[Path]:
    """Entry files (.md and .md.age), not temp files a killed writer may have left."""
    found = (home / "data" / "entries").rglob("*.md*")
    return sorted(
        p for p in found if not p.name.startswith(".") and p.name.endswith((".md", ".age"))
    )


@pytest.fixture
def invoke(journal_home: Path):  # type: ignore[no-untyped-def]
    """run_cli's typer Result, for tests that read the mixed output (help)."""

    def call(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return invoke_cli(journal_home, args, input, {})

    return call


def three_month_document(today: date) -> str:
    """About three months of writing ending on `today`: mostly daily, some days away, one
    declared pause, and each day's layer in rotation."""
    entries, day, n = [], today - timedelta(days=90), 0
    away = {5, 6, 17, 30, 31, 32, 50, 71, 72}
    while day <= today:
        offset = (day - (today - timedelta(days=90))).days
        if offset not in away and not 40 <= offset <= 45:
            n += 1
            entries.append(
                {
                    "id": f"{day.isoformat()}-203000-{n:06d}",
                    "created": f"{day.isoformat()}T20:30:00+01:00",
                    "day": day.isoformat(),
                    "tz": ZONE,
                    "theme": ("awareness", "connection", "compassion")[n % 3],
                    "prompt_id": None,
                    "prompt": None,
                    "mood": None,
                    "tags": [],
                    "text": f"Entry {n}.",
                }
            )
        day += timedelta(days=1)
    pause = {
        "id": "three-month-pause",
        "start": (today - timedelta(days=50)).isoformat(),
        "end": (today - timedelta(days=45)).isoformat(),
        "note": "a week at the sea",
    }
    return json.dumps(
        {"format": "layers-journal", "version": 1, "entries": entries, "pauses": [pause]}
    )


YEAR_TAGS = ("work", "walk", "Family", "sleep", "garden")
YEAR_WORDS = "slow breath tea window rain shoulders friend kitchen quiet light walk".split()


def year_document(year: int = 2026, seed: int = 17) -> dict:  # type: ignore[type-arg]
    """A generated year of writing, for the review and the book: most days one or two
    pages, stretches away, a pause, moods on some pages, tags, a few pages written a day
    or two later and a few written too late to count, and each layer in turn."""
    import random

    rng = random.Random(seed)
    entries = []
    day = date(year, 1, 1)
    n = 0
    while day.year == year:
        away = rng.random() < 0.22 or date(year, 7, 10) <= day <= date(year, 7, 24)
        if not away:
            for _ in range(rng.choice((1, 1, 1, 2))):
                n += 1
                late = rng.choice((0,) * 12 + (1, 2, 5))
                written = day + timedelta(days=late)
                hour = rng.choice((7, 12, 20, 23))
                words = " ".join(rng.choice(YEAR_WORDS) for _ in range(rng.randint(3, 40)))
                entries.append(
                    {
                        "id": f"{written.isoformat()}-{hour:02d}{n % 60:02d}00-y{n:05d}",
                        "created": f"{written.isoformat()}T{hour:02d}:{n % 60:02d}:00+01:00",
                        "day": day.isoformat(),
                        "tz": "Europe/Berlin",
                        "theme": rng.choice(("awareness", "connection", "compassion", None)),
                        "prompt_id": None,
                        "prompt": None,
                        "mood": rng.choice((None, None, 1, 2, 3, 4, 5)),
                        "tags": rng.sample(YEAR_TAGS, rng.choice((0, 0, 1, 2))),
                        "text": words.capitalize() + ".",
                    }
                )
        day += timedelta(days=1)
    pause = {
        "id": "summer-rest",
        "start": f"{year}-07-10",
        "end": f"{year}-07-20",
        "note": "the sea",
    }
    return {"format": "layers-journal", "version": 1, "entries": entries, "pauses": [pause]}


@pytest.fixture
def clock_at(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the journal's clock to noon of a day (in the journal's zone) for the commands
    run in this process after it: clock_at(date(2026, 3, 7))."""
    from layers_journal.days import Clock

    def set_day(day: date, hour: int = 12) -> None:
        moment = datetime(day.year, day.month, day.day, hour)
        monkeypatch.setattr(Clock, "now", lambda self: moment.replace(tzinfo=self.zone))
        monkeypatch.setattr(Clock, "today", lambda self: self.day_of(self.now()))

    return set_day
