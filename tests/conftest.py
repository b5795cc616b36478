"""The fixtures: every test gets its own LAYERS_JOURNAL_HOME, a fixed time zone and
quick keys. The builders the test files share are in helpers/ (commands in cli.py,
journals and documents in documents.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from helpers.campaigns import LONG, SKIPPED
from helpers.cli import invoke_cli, isolate_environment
from layers_journal.config import load_config, resolve_paths
from layers_journal.journal.facade import Journal

# A shared machine can take longer than Hypothesis's 200 ms per example; speed is measured
# by bench/run.py, never by a test.
settings.register_profile("layers-journal", deadline=None)
settings.load_profile("layers-journal")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The one switch: tests marked slow run only with LAYERS_JOURNAL_LONG=1."""
    if LONG:
        return
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.skip(reason=SKIPPED))


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


@pytest.fixture
def invoke(journal_home: Path):  # type: ignore[no-untyped-def]
    """run_cli's typer Result, for tests that read the mixed output (help)."""

    def call(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return invoke_cli(journal_home, args, input, {})

    return call


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
