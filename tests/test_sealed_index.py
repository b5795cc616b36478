"""An encrypted journal's text index, kept sealed to the journal's key in the cache:
opened after an unlock, caught up with only what changed, rebuilt when the key does not
open it, and never a byte of plaintext on disk. Hand edits are seen, the same-size one
with its time put back included, plain and encrypted."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest

from helpers.cli import cli_env, run_cli

PASSPHRASE = "a long walk by the river"
SECRET = "quillwhisper"


def encrypt(home: Path) -> None:
    result = run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr


def write_pages(home: Path, count: int = 6) -> None:
    for n in range(count):
        word = SECRET if n == 2 else f"page{n}"
        day = f"2026-11-{10 + n:02d}"
        result = run_cli(home, "today", "--date", day, stdin=f"A quiet {word} morning.")
        assert result.returncode == 0, result.stderr


def search(home: Path, word: str, **env: str) -> list[str]:
    result = run_cli(
        home, "history", "--search", word, "--json", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE, **env
    )
    assert result.returncode == 0, result.stderr
    return [entry["text"] for entry in json.loads(result.stdout)["entries"]]


def sealed_files(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("index-*.text.age"))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The sizes of what this process decrypts with the journal's key, one per unseal."""
    from layers_journal.folder import crypto

    sizes: list[int] = []
    real = crypto.unseal

    def counting(data: bytes, identity: Any) -> bytes:
        sizes.append(len(data))
        return real(data, identity)

    monkeypatch.setattr(crypto, "unseal", counting)
    yield sizes


def the_identity(home: Path) -> Any:
    from layers_journal.folder import crypto

    return crypto.unlock(home / "data", PASSPHRASE)


def test_the_text_index_is_kept_sealed_and_only_changes_are_decrypted(
    journal_home: Path, opened: list[int]
) -> None:
    write_pages(journal_home)
    encrypt(journal_home)
    opened.clear()
    assert search(journal_home, SECRET) == [f"A quiet {SECRET} morning."]
    assert len(opened) == 6  # built: every entry decrypted once
    (kept,) = sealed_files(journal_home)
    data = kept.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert SECRET.encode() not in data and b"quiet" not in data
    assert kept.stat().st_mode & 0o777 == 0o600

    # Opened with the journal's key, it is the index of the text.
    database = sqlite3.connect(":memory:")
    database.deserialize(pyrage.decrypt(data, [the_identity(journal_home)]))
    texts = [text for (text,) in database.execute("SELECT text FROM entries ORDER BY day")]
    assert texts[2] == f"A quiet {SECRET} morning."

    opened.clear()
    assert search(journal_home, "morning") != []
    assert len(opened) == 1  # the sealed index alone
    assert kept.read_bytes() == data  # nothing changed, nothing written

    result = run_cli(journal_home, "today", "--date", "2026-11-30", stdin="A new lantern day.")
    assert result.returncode == 0
    opened.clear()
    assert search(journal_home, "lantern") == ["A new lantern day."]
    assert len(opened) == 2  # the sealed index and the one new entry
    assert kept.read_bytes() != data


def test_history_and_show_decrypt_only_what_they_show(
    journal_home: Path, opened: list[int]
) -> None:
    write_pages(journal_home)
    encrypt(journal_home)
    opened.clear()
    result = run_cli(
        journal_home, "history", "-n", "2", "--json", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [e["text"] for e in shown["entries"]] == [
        "A quiet page5 morning.",
        "A quiet page4 morning.",
    ]
    assert len(opened) == 2 and sealed_files(journal_home) == []
    opened.clear()
    result = run_cli(journal_home, "show", "-4", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0 and SECRET in result.stdout
    assert len(opened) == 1
    # Without the passphrase they ask for it, even when nothing would be shown.
    result = run_cli(journal_home, "history", "-n", "2", "--since", "2030-01-01")
    assert result.returncode == 1 and "passphrase" in result.stderr


def test_a_sealed_index_the_key_cannot_open_or_for_another_key_is_rebuilt(
    journal_home: Path, opened: list[int]
) -> None:
    write_pages(journal_home)
    encrypt(journal_home)
    assert search(journal_home, SECRET) != []
    (kept,) = sealed_files(journal_home)

    # Sealed to another key (a journal whose key changed): thrown away and built again.
    stranger = pyrage.x25519.Identity.generate()
    kept.write_bytes(pyrage.encrypt(b"not an index", [stranger.to_public()]))
    opened.clear()
    assert search(journal_home, SECRET) == [f"A quiet {SECRET} morning."]
    assert len(opened) == 1 + 6  # the attempt, then every entry
    assert pyrage.decrypt(kept.read_bytes(), [the_identity(journal_home)]).startswith(
        b"SQLite format 3"
    )

    # Opened by the key but made for another one (its identity says so): rebuilt too.
    database = sqlite3.connect(":memory:")
    database.deserialize(pyrage.decrypt(kept.read_bytes(), [the_identity(journal_home)]))
    database.execute("UPDATE meta SET value = 'age1other' WHERE key = 'key'")
    database.execute("UPDATE entries SET text = 'stale words'")
    database.commit()
    kept.write_bytes(pyrage.encrypt(database.serialize(), [the_identity(journal_home).to_public()]))
    opened.clear()
    assert search(journal_home, SECRET) == [f"A quiet {SECRET} morning."]
    assert len(opened) == 1 + 6

    # Damaged bytes: the same.
    kept.write_bytes(b"age-encryption.org/v1\n-> X25519 garbage\n")
    assert search(journal_home, SECRET) == [f"A quiet {SECRET} morning."]


def test_reindex_and_decrypt_remove_the_sealed_index(journal_home: Path) -> None:
    write_pages(journal_home, 2)
    encrypt(journal_home)
    assert search(journal_home, "page1") != []
    assert sealed_files(journal_home)
    assert run_cli(journal_home, "reindex").returncode == 0
    assert sealed_files(journal_home) == []
    assert search(journal_home, "page1") != []
    result = run_cli(journal_home, "decrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert sealed_files(journal_home) == []


def entry_file_for(home: Path, day: str) -> Path:
    """The entry file (.md or .md.age) about that day."""
    for path in (home / "data" / "entries").rglob("*"):
        if path.name.endswith((".md", ".meta.toml")) and f"day = {day}\n" in path.read_text():
            return path.with_name(path.name.replace(".meta.toml", ".md.age"))
    raise AssertionError(f"no entry about {day}")


def age_tool() -> str:
    found = shutil.which("age")
    if found is None:
        pytest.skip("the age tool is not installed")
    return found


def test_a_hand_edit_resealed_with_the_age_tool_is_seen(journal_home: Path, tmp_path: Path) -> None:
    age = age_tool()
    write_pages(journal_home, 3)
    encrypt(journal_home)
    assert search(journal_home, SECRET) != []
    key = tmp_path / "key.txt"
    key.write_text(f"{the_identity(journal_home)}\n")
    key.chmod(0o600)
    sealed = entry_file_for(journal_home, "2026-11-12")
    plain = subprocess.run(
        [age, "-d", "-i", str(key), str(sealed)], capture_output=True, check=True
    ).stdout
    assert SECRET.encode() in plain
    changed = plain.replace(SECRET.encode(), b"harbourbell")
    recipient = (journal_home / "data" / "journal-key.pub").read_text().strip()
    subprocess.run([age, "-r", recipient, "-o", str(sealed) + ".new"], input=changed, check=True)
    os.replace(str(sealed) + ".new", sealed)
    assert search(journal_home, SECRET) == []
    assert search(journal_home, "harbourbell") == ["A quiet harbourbell morning."]


def same_size_edit(path: Path, old: bytes, new: bytes, *, reseal: Any = None) -> None:
    """Edit a file in place, same size, and put its times back (as rsync --inplace
    --times or touch -r would)."""
    before = path.stat()
    data = path.read_bytes()
    if reseal is not None:
        plain = pyrage.decrypt(data, [reseal])
        armored = data.startswith(b"-----BEGIN")
        for _ in range(50_000):  # age's header varies in length (a random grease stanza)
            data = pyrage.encrypt(plain.replace(old, new), [reseal.to_public()], armored=armored)
            if len(data) == before.st_size:
                break
    else:
        data = data.replace(old, new)
    assert len(data) == before.st_size
    with open(path, "r+b") as file:  # in place: same inode
        file.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_same_size_edit_with_its_time_put_back_is_seen(
    journal_home: Path, *, encrypted: bool
) -> None:
    write_pages(journal_home, 3)
    if encrypted:
        encrypt(journal_home)
    assert search(journal_home, SECRET) != []
    assert run_cli(journal_home, "layers").returncode == 0  # every kind of command has run
    path = entry_file_for(journal_home, "2026-11-12")
    reseal = the_identity(journal_home) if encrypted else None
    same_size_edit(path, SECRET.encode(), b"harbourlight", reseal=reseal)
    assert search(journal_home, SECRET) == []
    assert search(journal_home, "harbourlight") == ["A quiet harbourlight morning."]
    result = run_cli(journal_home, "show", "2026-11-12", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert "harbourlight" in result.stdout


# A new database in memory has no file name; one deserialized into memory is SQLite's
# memdb "x" (no file: the strace test below sees none made).
IN_MEMORY = [("", 2, "memory"), ("x", 2, "memory")]


def test_every_connection_that_holds_decrypted_text_stays_in_memory(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layers_journal.index import Query
    from layers_journal.index import sealed as sealed_module
    from layers_journal.index.sealed import plaintext_settings
    from layers_journal.journal.facade import Journal
    from layers_journal.model.query import parse_search

    write_pages(journal_home, 3)
    encrypt(journal_home)
    made: list[sqlite3.Connection] = []
    real = sealed_module.memory_connection

    def watched() -> sqlite3.Connection:
        made.append(real())
        return made[-1]

    monkeypatch.setattr(sealed_module, "memory_connection", watched)
    monkeypatch.setenv("LAYERS_JOURNAL_PASSPHRASE", PASSPHRASE)
    for _ in range(2):  # built, then opened from its sealed copy
        journal = Journal.open()
        assert len(journal.finder.query(Query(search=parse_search(SECRET)))) == 1
        assert plaintext_settings(journal.finder.text_index().db) in IN_MEMORY
    assert len(made) == 2
    for connection in made:
        # No file behind it, sorts in memory, and its rollback journal in memory.
        assert plaintext_settings(connection) in IN_MEMORY


def test_a_search_writes_nothing_but_sealed_bytes(journal_home: Path, tmp_path: Path) -> None:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    write_pages(journal_home, 4)
    encrypt(journal_home)
    temp = tmp_path / "tmp"
    temp.mkdir(mode=0o700)
    env = cli_env(
        journal_home,
        LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE,
        TMPDIR=str(temp),
        SQLITE_TMPDIR=str(temp),
    )
    trace = tmp_path / "trace.txt"
    for word in (SECRET, "page1"):  # built, then opened and caught up
        command = [strace, "-f", "-qq", "-e", "trace=open,openat,creat,rename,renameat,renameat2"]
        command += ["-o", str(trace), sys.executable, "-m", "layers_journal"]
        result = subprocess.run(
            [*command, "history", "--search", word, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        if "ptrace" in result.stderr and result.returncode != 0:
            pytest.skip("strace cannot trace here (ptrace not permitted)")
        assert result.returncode == 0, result.stderr
        created = [
            line.split('"')[1]
            for line in trace.read_text().splitlines()
            if "O_CREAT" in line and '"' in line and "ENOENT" not in line
        ]
        assert created, "the trace saw nothing: it did not work"
        assert all(path.startswith(str(journal_home / "cache")) for path in created), created
        assert list(temp.iterdir()) == []
    # And no file anywhere in the home or the temp folder holds a word of the text.
    for folder in (journal_home, tmp_path):
        for path in folder.rglob("*"):
            if path.is_file() and path != trace:
                assert SECRET.encode() not in path.read_bytes(), path
