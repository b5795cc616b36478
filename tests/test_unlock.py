"""`journal unlock` and `journal lock`: the journal's key held by the kernel keyring for
a while, never on disk, let go when the time is up or at once by `journal lock`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import cli_env, run_cli

PASSPHRASE = "tea by the open window"


@pytest.fixture(scope="module", autouse=True)
def session_keyring() -> Iterator[None]:
    """A session keyring of this test process's own, standing in for a login session:
    whatever the tests hold goes with it, and nothing touches the machine's."""
    from layers_journal.folder import keyring

    if keyring.calls() is None:
        pytest.skip("no Linux kernel keyring here")
    try:
        keyring.join_new_session()
    except OSError as error:
        pytest.skip(f"the kernel keyring cannot be used here ({error.strerror})")
    yield


def journal(home: Path, *args: str, stdin: str | None = None, **env: str) -> Any:
    """A real process (the keyring is the process's), stdin never a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "layers_journal", *args],
        input=stdin or "",
        capture_output=True,
        text=True,
        env=cli_env(home, TMPDIR=str(home.parent / "tmp"), **env),
        timeout=120,
    )


def encrypted_journal(home: Path) -> Any:
    (home.parent / "tmp").mkdir(exist_ok=True)
    for n, text in enumerate(["A page about the heron.", "A page about the willow."]):
        result = run_cli(home, "today", "--date", f"2026-11-1{n}", stdin=text)
        assert result.returncode == 0, result.stderr
    assert run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    from layers_journal.folder import crypto

    return crypto.unlock(home / "data", PASSPHRASE)


def texts(result: Any) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [entry["text"] for entry in json.loads(result.stdout)["entries"]]


def test_unlock_holds_the_key_off_the_disk_and_lock_ends_it(
    journal_home: Path, tmp_path: Path
) -> None:
    identity = encrypted_journal(journal_home)
    locked = journal(journal_home, "history", "--json")
    assert locked.returncode == 1 and "passphrase" in locked.stderr

    unlocked = journal(journal_home, "unlock", "--for", "10m", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert unlocked.returncode == 0, unlocked.stderr
    assert unlocked.stderr.startswith("Unlocked until ")
    # No passphrase from here on: reading, searching, showing.
    assert texts(journal(journal_home, "history", "--json")) == [
        "A page about the willow.",
        "A page about the heron.",
    ]
    assert texts(journal(journal_home, "history", "--search", "heron", "--json")) == [
        "A page about the heron."
    ]
    assert "willow" in journal(journal_home, "show", "last").stdout
    # A wrong passphrase in the environment does not matter while it is unlocked.
    assert journal(journal_home, "show", "last", LAYERS_JOURNAL_PASSPHRASE="wrong").returncode == 0

    # The key's bytes are nowhere on disk: not in the home, not in the temp folder.
    secret = str(identity).encode()
    from layers_journal.folder.keyring import fetch  # the kernel has it, as text

    assert any(secret in line for line in [fetch(held_name(journal_home)) or b""])
    # (The processes' temp folder is home/../tmp, inside tmp_path.)
    for folder in (journal_home, tmp_path):
        for place, _, names in os.walk(folder):
            for name in names:
                path = Path(place) / name
                if path.is_file() and not path.is_symlink():
                    data = path.read_bytes()
                    assert secret not in data and secret.lower() not in data, path

    ended = journal(journal_home, "lock")
    assert ended.returncode == 0 and ended.stderr.startswith("Locked")
    again = journal(journal_home, "history", "--json")
    assert again.returncode == 1 and "passphrase" in again.stderr
    assert journal(journal_home, "lock").stderr.startswith("The journal was already locked")


def held_name(home: Path) -> str:
    from layers_journal.config import load_config, resolve_paths

    paths = resolve_paths()
    assert paths.cache.parent == home
    return paths.held_key(load_config(paths.config_file).journal_root(paths))


def test_the_kernel_lets_go_of_the_key_when_its_time_is_up(journal_home: Path) -> None:
    encrypted_journal(journal_home)
    before = time.monotonic()
    result = journal(journal_home, "unlock", "--for", "6s", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    after = time.monotonic()  # the kernel's 6 seconds began between before and after
    assert result.returncode == 0, result.stderr
    shown = journal(journal_home, "show", "last")
    if time.monotonic() - before < 6:  # a loaded machine may take longer than that
        assert shown.returncode == 0, shown.stderr
    time.sleep(max(0.0, after + 7 - time.monotonic()))
    gone = journal(journal_home, "show", "last")
    assert gone.returncode == 1 and "passphrase" in gone.stderr


def test_unlock_refuses_what_it_cannot_do(journal_home: Path) -> None:
    # A plain journal has nothing to unlock.
    assert run_cli(journal_home, "today", stdin="Plain words.").returncode == 0
    plain = journal(journal_home, "unlock")
    assert plain.returncode == 1 and "not encrypted" in plain.stderr
    encrypted = journal_home.parent / "other" / "home"
    encrypted.parent.mkdir()
    encrypted_journal(encrypted)
    for duration, words in [("2d", "up to a day"), ("0m", "up to a day"), ("soon", "15m")]:
        result = journal(
            encrypted, "unlock", "--for", duration, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE
        )
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1  # one sentence
    wrong = journal(encrypted, "unlock", LAYERS_JOURNAL_PASSPHRASE="not it")
    assert wrong.returncode == 1 and "does not unlock" in wrong.stderr
    assert journal(encrypted, "show", "last").returncode == 1


def test_a_key_held_for_another_key_pair_is_not_used(journal_home: Path) -> None:
    import pyrage

    from layers_journal.folder import keyring

    encrypted_journal(journal_home)
    stranger = pyrage.x25519.Identity.generate()
    keyring.hold(held_name(journal_home), f"0\n{stranger}".encode(), 60)
    try:
        result = journal(journal_home, "show", "last")
        assert result.returncode == 1 and "passphrase" in result.stderr
    finally:
        keyring.drop(held_name(journal_home))


def test_without_a_session_keyring_unlock_says_so(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layers_journal.folder import keyring

    encrypted_journal(journal_home)
    monkeypatch.setattr(
        keyring, "available", lambda: "needs a session keyring, which this login did not start"
    )
    result = run_cli(journal_home, "unlock", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 1
    assert "session keyring" in result.stderr and "asks for the passphrase" in result.stderr


def test_durations() -> None:
    from layers_journal.days import parse_duration

    assert parse_duration("15m") == 900
    assert parse_duration("1h30m") == 5400
    assert parse_duration(" 2H ") == 7200
    assert parse_duration("90s") == 90
    assert parse_duration("1d") == 86400
    assert parse_duration("20") == 1200  # minutes
    for bad in ("", "m", "1x", "1h 30", "-5m", "1.5h"):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)
