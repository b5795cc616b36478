"""Sync across devices through git: journal homes standing for devices, a local bare
repository standing for the remote."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
import pytest

from helpers.cli import cli_env, editor_script, run_cli
from helpers.waiting import wait_for
from layers_journal.errors import PassphraseError
from layers_journal.folder import crypto
from layers_journal.folder.storage import write_atomic

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(
    GIT is None, reason="git is not installed; sync runs the user's git"
)
PASSPHRASE = "a passphrase for two devices"


@pytest.fixture(autouse=True)
def plain_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The person's own git settings (and identity) stay out of the tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


# The passphrase wrapping of the journal key (age's scrypt) costs seconds per use and is
# tested in test_encryption; here a key pair is made and sealed with for real, but its
# private half is "wrapped" by a lookup, so that devices can share it without scrypt.
WRAPPED: dict[bytes, tuple[str, Any]] = {}


@pytest.fixture(autouse=True)
def quick_passphrases(monkeypatch: pytest.MonkeyPatch) -> None:
    def create_key(root: Path, passphrase: str) -> tuple[Any, Any]:
        identity = pyrage.x25519.Identity.generate()
        wrapped = f"test key {os.urandom(6).hex()}\n".encode()
        WRAPPED[wrapped] = (passphrase, identity)
        write_atomic(root / crypto.KEY_NAME, wrapped, overwrite=False)
        crypto.write_recipient(root, identity)
        return identity, identity.to_public()

    def unlock(root: Path, passphrase: str) -> Any:
        secret, identity = WRAPPED[(root / crypto.KEY_NAME).read_bytes()]
        if secret != passphrase:
            raise PassphraseError("That passphrase does not unlock this journal.")
        return identity

    monkeypatch.setattr(crypto, "create_key", create_key)
    monkeypatch.setattr(crypto, "unlock", unlock)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository whose HEAD names main, as on most git hosts (one made with a plain
    `git init --bare` is tested on its own below)."""
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(path))
    return path


def git(where: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def ok(home: Path, *args: str, stdin: str | None = None, **env: str) -> str:
    """Run a command that must succeed; its stderr."""
    result = run_cli(home, *args, stdin=stdin, **env)
    assert result.returncode == 0, (args, result.stderr)
    return result.stderr


def write(home: Path, text: str, *args: str) -> None:
    ok(home, "today", *args, stdin=text)


def history(home: Path, **env: str) -> list[dict[str, object]]:
    result = run_cli(home, "history", "--json", **env)
    assert result.returncode == 0, result.stderr
    entries: list[dict[str, object]] = json.loads(result.stdout)["entries"]
    return entries


def texts(home: Path, **env: str) -> list[str]:
    return sorted(str(entry["text"]) for entry in history(home, **env))


def data(home: Path) -> Path:
    return home / "data"


def edit(home: Path, entry_id: str, text: str | None, **env: str) -> str:
    """journal edit with an editor that writes `text` (None: changes nothing)."""
    code = "pass\n" if text is None else f"path.write_text({text + chr(10)!r})\n"
    script = editor_script(home.parent, code, name=f"editor-{os.urandom(3).hex()}.py")
    return ok(home, "edit", entry_id, VISUAL=script, **env)


def files_under(folder: Path) -> dict[str, str]:
    """Relative path -> text of every entry-like file below folder."""
    return {
        path.relative_to(folder).as_posix(): path.read_text()
        for path in sorted(folder.rglob("*.md"))
        if path.is_file()
    }


def every_text(home: Path) -> str:
    """Everything written in the journal folder, wherever it now is (entries, trash,
    conflicts), as one string: to check that nothing was lost."""
    return "\n".join(files_under(data(home)).values())


# --- 1. writing on two (and three) devices -------------------------------------------------


@pytest.mark.parametrize("first", ["a", "b"])
def test_two_devices_writing_offline_on_the_same_days_end_with_every_entry_once(
    tmp_path: Path, remote: Path, first: str
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for home, name in ((a, "A"), (b, "B")):
        write(home, f"{name} wrote about yesterday.", "--date", "yesterday")
        write(home, f"{name} wrote today.")
    order = [a, b] if first == "a" else [b, a]
    for home in order:
        ok(home, "sync", "init", str(remote))
    for home, name in ((a, "A"), (b, "B")):  # offline again, then written and committed
        write(home, f"{name} wrote once more today.")
    for home in [*order, order[0]]:
        ok(home, "sync")
    expected = sorted(
        f"{name} wrote {what}"
        for name in "AB"
        for what in ("about yesterday.", "today.", "once more today.")
    )
    assert texts(a) == texts(b) == expected
    ids = [entry["id"] for entry in history(a)]
    assert len(ids) == len(set(ids)) == 6
    layers_a = run_cli(a, "layers", "--json").stdout
    assert layers_a == run_cli(b, "layers", "--json").stdout
    presence = json.loads(layers_a)["presence"]
    assert presence["entries"] == 6 and presence["active_days"] == 2  # a day on both counts once
    assert git(data(a), "rev-parse", "HEAD") == git(data(b), "rev-parse", "HEAD")
    assert git(data(a), "status", "--porcelain") == ""


@pytest.mark.slow
def test_three_devices_in_any_order(tmp_path: Path, remote: Path) -> None:
    homes = [tmp_path / name for name in "abc"]
    for n, home in enumerate(homes):
        write(home, f"Device {n} before sync.")
        ok(home, "sync", "init", str(remote))
    for n, home in enumerate(reversed(homes)):
        write(home, f"Device {2 - n} after sync.", "--date", "yesterday")
        ok(home, "sync")
    for home in homes[1:]:
        ok(home, "sync")
    expected = sorted(f"Device {n} {when} sync." for n in range(3) for when in ("before", "after"))
    assert texts(homes[0]) == texts(homes[1]) == texts(homes[2]) == expected
    reports = {run_cli(home, "layers", "--json").stdout for home in homes}
    assert len(reports) == 1


def test_every_write_is_committed_alone_with_a_message_that_says_nothing(
    tmp_path: Path, remote: Path
) -> None:
    home = tmp_path / "a"
    ok(home, "sync", "init", str(remote))
    (data(home) / "notes-of-my-own.txt").write_text("not the journal's business")
    write(home, "The heron stood very still.", "--tag", "heron", "--mood", "2")
    changed = git(data(home), "show", "--name-only", "--format=", "HEAD").splitlines()
    assert len(changed) == 1 and changed[0].startswith("entries/") and changed[0].endswith(".md")
    log = git(data(home), "log", "--format=%an <%ae> %B")
    assert "heron" not in log and "still" not in log
    prompt = str(history(home)[0]["prompt"])
    assert prompt not in log
    assert set(git(data(home), "log", "--format=%an <%ae>").splitlines()) == {
        "layers-journal <journal@localhost>"
    }
    attributes = (data(home) / ".git" / "info" / "attributes").read_text()
    assert "* -text -crlf -eol -filter" in attributes
    assert not (data(home) / ".gitattributes").exists()
    ignored = (data(home) / ".gitignore").read_text()
    assert ".*.tmp" in ignored and "*.swp" in ignored and "*sync-conflict*" in ignored
    # The stray file stays out of every commit; a write and its commit, one for one.
    assert "notes-of-my-own.txt" not in git(data(home), "log", "--name-only", "--format=")
    before = git(data(home), "rev-list", "--count", "HEAD")
    ok(home, "pause", "2026-01-01", "2026-01-02")
    assert int(git(data(home), "rev-list", "--count", "HEAD")) == int(before) + 1
    ok(home, "delete", "--yes", str(history(home)[0]["id"]))
    moved = git(data(home), "show", "--name-status", "--format=", "HEAD")
    assert "entries/" in moved and "trash/" in moved
    ok(home, "config", "set", "sync.auto", "off")
    write(home, "Not committed by itself.")
    assert int(git(data(home), "rev-list", "--count", "HEAD")) == int(before) + 2


def test_a_commit_git_cannot_make_never_fails_the_write(tmp_path: Path, remote: Path) -> None:
    home = tmp_path / "a"
    ok(home, "sync", "init", str(remote))
    lock = data(home) / ".git" / "index.lock"
    lock.write_text("")  # another git at work in the repository
    said = ok(home, "today", stdin="Written while git was busy.")
    assert "committing it to git did not work" in said and "journal sync" in said
    assert texts(home) == ["Written while git was busy."]
    lock.unlink()
    ok(home, "sync")
    assert git(data(home), "status", "--porcelain") == ""
    assert git(remote, "rev-parse", "main") == git(data(home), "rev-parse", "HEAD")


def test_sync_init_in_a_plain_journal_warns_what_the_remote_keeps(
    tmp_path: Path, remote: Path
) -> None:
    home = tmp_path / "a"
    write(home, "A page.")
    said = ok(home, "sync", "init", str(remote))
    assert "stays in the repository's history" in said and "ncrypt" in said
    assert "Synced with origin" in said


# --- 2. the same entry changed on two devices --------------------------------------------


def two_devices(
    tmp_path: Path, remote: Path, text: str = "The first version."
) -> tuple[Path, Path, str]:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, text)
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    (entry,) = history(b)
    return a, b, str(entry["id"])


def conflicts(home: Path) -> list[dict[str, str]]:
    result = run_cli(home, "conflicts", "--json")
    assert result.returncode == 0, result.stderr
    found: list[dict[str, str]] = json.loads(result.stdout)["conflicts"]
    return found


def test_entries_edited_on_both_devices_keep_both_versions_and_resolve_each_way(
    tmp_path: Path, remote: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for keep in ("mine", "theirs", "both"):
        write(a, f"The first version, to keep {keep}.")
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    ids = {str(entry["text"]).split()[-1].rstrip("."): str(entry["id"]) for entry in history(b)}
    for keep, entry_id in ids.items():
        edit(a, entry_id, f"{keep}: changed on A.")
    ok(a, "sync")
    for keep, entry_id in ids.items():
        edit(b, entry_id, f"{keep}: changed on B.")
    said = ok(b, "sync")
    assert "3 entries were changed on both devices" in said and "journal conflicts" in said
    # The remote's versions stay at the entries' places; this device's wait in conflicts/.
    assert texts(b) == sorted(f"{keep}: changed on A." for keep in ids)
    pairs = {pair["id"]: pair for pair in conflicts(b)}
    assert set(pairs) == set(ids.values())
    for keep, entry_id in ids.items():
        pair = pairs[entry_id]
        assert pair["theirs_in"] == "journal"
        assert (data(b) / pair["mine"]).read_text().endswith(f"{keep}: changed on B.\n")
        assert f"{keep}: changed on A." in (data(b) / str(pair["theirs"])).read_text()
    listing = run_cli(b, "conflicts").stdout
    assert all(entry_id in listing for entry_id in ids.values()) and "theirs" in listing
    doctor = run_cli(b, "doctor")
    assert doctor.returncode == 1 and f"journal conflicts resolve {ids['mine']}" in doctor.stderr
    # The pairs travel, so either device can settle them; b does.
    ok(b, "sync")
    ok(a, "sync")
    assert {pair["id"] for pair in conflicts(a)} == set(ids.values())
    for keep, entry_id in ids.items():
        ok(b, "conflicts", "resolve", entry_id[:20], "--keep", keep)
    kept = sorted(
        [
            "mine: changed on B.",
            "theirs: changed on A.",
            "both: changed on A.",
            "both: changed on B.",
        ]
    )
    assert texts(b) == kept and conflicts(b) == []
    for keep in ids:  # what was not kept is in the trash
        assert f"{keep}: changed on A." in every_text(b) and f"{keep}: changed on B." in every_text(
            b
        )
    ok(b, "sync")
    ok(a, "sync")
    assert texts(a) == kept and conflicts(a) == []
    assert run_cli(a, "doctor").returncode == 0
    assert files_under(data(a)) == files_under(data(b))


def sync_at(home: Path, when: datetime) -> None:
    """journal sync, with the clock at `when` (it names the versions a sync keeps)."""
    from layers_journal.config import load_config, resolve_paths
    from layers_journal.journal.facade import Journal
    from layers_journal.sync.policy import sync

    paths = resolve_paths({"LAYERS_JOURNAL_HOME": str(home)})
    sync(Journal(paths, load_config(paths.config_file)), now=when)


def test_three_versions_kept_in_the_same_second_all_stay(tmp_path: Path, remote: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write(a, "The first version.")
    for home in (a, b, c):
        ok(home, "sync", "init", str(remote))
    (entry,) = history(a)
    moment = datetime(2026, 11, 23, 8, 15, 2, tzinfo=UTC)
    for home in (a, b, c):
        edit(home, str(entry["id"]), f"Changed on {home.name}.")
        sync_at(home, moment)
    for home in (a, b):
        sync_at(home, moment)
    for home in (a, b, c):
        assert texts(home) == ["Changed on a."]
        kept = sorted((data(home) / pair["kept_aside"]).read_text() for pair in conflicts(home))
        assert [text.rsplit("\n", 2)[-2] for text in kept] == ["Changed on b.", "Changed on c."]
    assert sorted(pair["when"] for pair in conflicts(c)) == [
        "2026-11-23-081502",
        "2026-11-23-081502-2",
    ]


def test_edited_here_and_trashed_there_loses_nothing(tmp_path: Path, remote: Path) -> None:
    a, b, entry_id = two_devices(tmp_path, remote)
    ok(a, "delete", "--yes", entry_id)
    ok(a, "sync")
    edit(b, entry_id, "Edited on B while A let it go.")
    ok(b, "sync")
    assert texts(b) == []  # the remote's version: in the trash
    (pair,) = conflicts(b)
    assert pair["theirs_in"] == "trash"
    assert "The first version." in every_text(b)
    assert "Edited on B while A let it go." in every_text(b)
    ok(b, "conflicts", "resolve", entry_id, "--keep", "mine")
    assert texts(b) == ["Edited on B while A let it go."]
    ok(b, "sync")
    ok(a, "sync")
    assert texts(a) == ["Edited on B while A let it go."]


def test_trashed_here_and_edited_there_loses_nothing(tmp_path: Path, remote: Path) -> None:
    a, b, entry_id = two_devices(tmp_path, remote)
    edit(a, entry_id, "Edited on A.")
    ok(a, "sync")
    ok(b, "delete", "--yes", entry_id)
    ok(b, "sync")
    assert texts(b) == ["Edited on A."]  # the other device's edit stays
    assert "The first version." in every_text(b)  # and the trash keeps what was deleted
    ok(a, "sync")
    assert texts(a) == ["Edited on A."]
    assert files_under(data(a)) == files_under(data(b))


def test_resolving_names_a_missing_conflict_in_one_sentence(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "a", "conflicts", "resolve", "2026", "--keep", "mine")
    assert result.returncode == 1 and "nothing to resolve" in result.stderr
    assert "every device agrees" in run_cli(tmp_path / "a", "conflicts").stderr


# --- 3. encryption --------------------------------------------------------------------------


def test_an_encrypted_journal_edited_without_change_makes_no_commit(
    tmp_path: Path, remote: Path
) -> None:
    home = tmp_path / "a"
    write(home, "A sealed page.")
    ok(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    ok(home, "sync", "init", str(remote))
    entry_id = str(history(home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)[0]["id"])
    (sealed,) = data(home).rglob("*.md.age")
    before = (git(data(home), "rev-parse", "HEAD"), sealed.read_bytes())
    edit(home, entry_id, None, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    edit(home, entry_id, "A sealed page.", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert (git(data(home), "rev-parse", "HEAD"), sealed.read_bytes()) == before
    assert git(data(home), "status", "--porcelain") == ""
    edit(home, entry_id, "A sealed page, changed.", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert git(data(home), "rev-parse", "HEAD") != before[0]
    assert b"changed" not in git_objects(data(home))


def test_the_store_never_reseals_an_unchanged_text(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layers_journal.journal.facade import Journal

    write(journal_home, "Sealed once.")
    ok(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    monkeypatch.setenv("LAYERS_JOURNAL_PASSPHRASE", PASSPHRASE)
    journal = Journal.open()
    (located,) = [
        journal.finder.locate(str(entry["id"]))
        for entry in history(journal_home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    ]
    original = journal.finder.read_entry(located)
    sealed = journal.store.path(located.path)
    before = sealed.read_bytes()
    journal.store.touched.clear()
    journal.changes.replace_text(located, original, original.text)
    assert sealed.read_bytes() == before and journal.store.touched == set()
    journal.changes.replace_text(located, original, "Sealed twice.")
    assert sealed.read_bytes() != before and journal.store.touched == {located.path}


def git_objects(folder: Path) -> bytes:
    """Every blob in the repository, as stored: what the remote would hold."""
    blobs = git(folder, "rev-list", "--objects", "--all").splitlines()
    found = b""
    for line in blobs:
        sha = line.split(" ")[0]
        if git(folder, "cat-file", "-t", sha) == "blob":
            found += subprocess.run(
                ["git", "-C", str(folder), "cat-file", "-p", sha], capture_output=True, check=True
            ).stdout
    return found


def test_the_key_travels_so_every_device_writes_without_the_passphrase(
    tmp_path: Path, remote: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "Sealed on A.")
    ok(a, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    ok(a, "sync", "init", str(remote))
    said = ok(b, "sync", "init", str(remote))
    assert "plain text" not in said  # b's empty journal joined an encrypted one
    assert (data(b) / "journal-key.pub").exists() and (data(b) / "journal-key.age").exists()
    write(b, "Sealed on B, no passphrase asked.")
    assert not list(data(b).rglob("*.md")) and len(list(data(b).rglob("*.md.age"))) == 2
    ok(b, "sync")
    ok(a, "sync")
    assert texts(a, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE) == [
        "Sealed on A.",
        "Sealed on B, no passphrase asked.",
    ]
    assert b"no passphrase asked" not in git_objects(data(a))


def test_two_devices_encrypting_on_their_own_the_second_is_refused(
    tmp_path: Path, remote: Path
) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write(a, "Page on A.")
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    ok(a, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)  # syncs before and after
    # b cannot reach the remote: it refuses to make a second key pair.
    away = remote.with_name("away.git")
    remote.rename(away)
    refused = run_cli(b, "encrypt", LAYERS_JOURNAL_PASSPHRASE="another passphrase")
    assert refused.returncode == 1 and "syncs first" in refused.stderr
    assert not (data(b) / "journal-key.pub").exists()
    away.rename(remote)
    # Reachable again, b's encrypt brings in a's key and finishes with a's passphrase.
    ok(b, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert (data(b) / "journal-key.pub").read_text() == (data(a) / "journal-key.pub").read_text()
    # c encrypted before it ever synced: its key pair cannot join the remote's.
    write(c, "Page on C.")
    ok(c, "encrypt", LAYERS_JOURNAL_PASSPHRASE="c's own passphrase")
    before = (git(remote, "rev-parse", "main"), files_under(data(c)))
    refused = run_cli(c, "sync", "init", str(remote))
    assert refused.returncode == 1 and "different key pair" in refused.stderr
    assert refused.stderr.count("\n") <= 2
    assert (git(remote, "rev-parse", "main"), files_under(data(c))) == before
    assert [str(e["text"]) for e in history(c, LAYERS_JOURNAL_PASSPHRASE="c's own passphrase")] == [
        "Page on C."
    ]


def test_a_plain_entry_arriving_in_an_encrypted_journal_is_found_and_sealed(
    tmp_path: Path, remote: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "First, on A.")
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    ok(a, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    write(b, "Written on B before it knew.")  # b is still plain here
    ok(b, "sync")  # seals it to the key that came in, before sending anything
    ok(a, "sync")
    assert not list((data(a) / "entries").rglob("*.md"))
    assert run_cli(a, "doctor").returncode == 0
    # Plain text arriving otherwise (another sync tool) is found, and sealed without
    # the passphrase: the public key seals.
    (data(a) / "entries" / "2026" / "03").mkdir(parents=True, exist_ok=True)
    planted = data(a) / "entries" / "2026" / "03" / "2026-03-09-090000-other1.md"
    planted.write_text(
        '+++\nid = "2026-03-09-090000-other1"\ncreated = 2026-03-09T09:00:00+01:00\n'
        'day = 2026-03-09\ntz = "Europe/Berlin"\n+++\n\nFrom another tool.\n'
    )
    report = run_cli(a, "doctor")
    assert report.returncode == 1 and "still in plain text" in report.stderr
    ok(a, "doctor", "--fix")
    assert not list((data(a) / "entries").rglob("*.md"))
    assert run_cli(a, "doctor").returncode == 0
    ok(a, "sync")
    ok(b, "sync")
    assert not list((data(b) / "entries").rglob("*.md"))
    assert texts(b, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE) == [
        "First, on A.",
        "From another tool.",
        "Written on B before it knew.",
    ]


def test_decrypted_on_one_device_while_the_other_wrote_sealed_loses_nothing(
    tmp_path: Path, remote: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "Sealed on A.")
    ok(a, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    ok(b, "decrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)  # syncs before and after
    assert not (data(b) / "journal-key.age").exists()
    write(a, "Sealed on A, offline.")  # a has not heard of the decryption yet
    said = ok(a, "sync")
    assert "the key stays so they can be read" in said
    assert texts(a, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE) == [
        "Sealed on A, offline.",
        "Sealed on A.",
    ]
    ok(a, "decrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    ok(b, "sync")
    for home in (a, b):
        assert not list(data(home).rglob("*.age"))
        assert texts(home) == ["Sealed on A, offline.", "Sealed on A."]


# --- 4. remotes that cannot be reached, and interruptions -----------------------------------


def fake_remote_helper(folder: Path) -> dict[str, str]:
    """A git remote helper (git-remote-needspassword) that asks for a password the way
    https does: through git credential, so through askpass or the terminal."""
    folder.mkdir(exist_ok=True)
    helper = folder / "git-remote-needspassword"
    helper.write_text(
        "#!/bin/sh\n"
        'printf "protocol=https\\nhost=journal.example\\n\\n" | git credential fill >/dev/null'
        " || exit 1\n"
    )
    helper.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize("kind", ["password", "missing"])
def test_an_unreachable_remote_never_holds_up_writing(
    tmp_path: Path, remote: Path, kind: str
) -> None:
    home = tmp_path / "a"
    env = fake_remote_helper(tmp_path / "bin")
    url = (
        "needspassword::https://journal.example/me"
        if kind == "password"
        else str(tmp_path / "no-such-remote.git")
    )
    write(home, "Before.")
    refused = run_cli(home, "sync", "init", url, **env)
    assert refused.returncode == 1
    ok(home, "config", "set", "sync.timeout", "5")
    ok(home, "config", "set", "sync.auto", "full")  # a sync after each write, in the background
    began = time.monotonic()
    write(home, "Saved at once.")
    assert time.monotonic() - began < 3
    assert texts(home) == ["Before.", "Saved at once."]
    assert git(data(home), "status", "--porcelain") == ""  # and committed
    began = time.monotonic()
    result = run_cli(home, "sync", **env)
    assert time.monotonic() - began < 5
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Could not reach the remote origin" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    status = json.loads(run_cli(home, "sync", "status", "--json").stdout)
    assert status["problem"] and status["last_good"] is None and status["ahead"] == 2


def test_a_remote_that_does_not_answer_is_given_up_on_within_the_timeout(
    tmp_path: Path, remote: Path
) -> None:
    home = tmp_path / "a"
    ok(home, "sync", "init", str(remote))
    git(data(home), "remote", "set-url", "origin", "ssh://journal.example/me.git")
    hanging = editor_script(tmp_path, "import time; time.sleep(60)\n", name="slow-ssh.py")
    ok(home, "config", "set", "sync.timeout", "1")
    began = time.monotonic()
    result = run_cli(home, "sync", GIT_SSH_COMMAND=hanging)
    assert time.monotonic() - began < 6
    assert result.returncode == 1 and "did not answer within 1 seconds" in result.stderr


def test_ssh_runs_in_batch_mode_so_it_never_waits_for_a_password(
    tmp_path: Path, remote: Path
) -> None:
    home = tmp_path / "a"
    ok(home, "sync", "init", str(remote))
    git(data(home), "remote", "set-url", "origin", "ssh://journal.example/me.git")
    seen = tmp_path / "ssh-arguments"
    fake = editor_script(
        tmp_path,
        f"pathlib.Path({str(seen)!r}).write_text(' '.join(sys.argv[1:]))\n"
        "print('Permission denied (publickey,password).', file=sys.stderr)\nsys.exit(255)\n",
        name="fake-ssh.py",
    )
    result = run_cli(home, "sync", GIT_SSH_COMMAND=fake)
    assert result.returncode == 1 and "Permission denied" in result.stderr
    assert "BatchMode=yes" in seen.read_text()


def test_missing_git_is_one_sentence(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = run_cli(tmp_path / "a", "sync", "init", PATH=str(empty))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Sync uses git, and git is not installed on this machine (or not on PATH)."
    )


@pytest.mark.parametrize("trouble", ["rebase", "merge", "detached", "no upstream", "not set up"])
def test_sync_refuses_to_start_and_names_what_is_in_the_way(
    tmp_path: Path, remote: Path, trouble: str
) -> None:
    home = tmp_path / "a"
    write(home, "A page.")
    if trouble != "not set up":
        ok(home, "sync", "init", *([] if trouble == "no upstream" else [str(remote)]))
    folder = data(home)
    if trouble == "rebase":
        (folder / ".git" / "rebase-merge").mkdir()
    elif trouble == "merge":
        (folder / ".git" / "MERGE_HEAD").write_text(git(folder, "rev-parse", "HEAD") + "\n")
    elif trouble == "detached":
        git(folder, "checkout", "-q", "--detach")
    result = run_cli(home, "sync")
    assert result.returncode == 1
    expected = {
        "rebase": "A git rebase is in progress",
        "merge": "A git merge is in progress",
        "detached": "detached HEAD",
        "no upstream": "has no upstream",
        "not set up": "not set up for sync yet",
    }[trouble]
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


def diverged(tmp_path: Path, remote: Path) -> tuple[Path, Path]:
    """a and b share a history, then each writes one more entry: b must rebase."""
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "Shared.")
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    write(a, "Only on A.")
    ok(a, "sync")
    write(b, "Only on B.")
    return a, b


def test_ctrl_c_during_a_rebase_leaves_nothing_half_done(tmp_path: Path, remote: Path) -> None:
    _, b = diverged(tmp_path, remote)
    hook = data(b) / ".git" / "hooks" / "post-checkout"
    hook.write_text("#!/bin/sh\nsleep 30\n")  # git runs it mid-rebase
    hook.chmod(0o700)
    process = subprocess.Popen(
        [sys.executable, "-m", "layers_journal", "sync"],
        env=cli_env(b),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: (data(b) / ".git" / "rebase-merge").exists())
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 1 and "Stopped" in stderr
    assert not (data(b) / ".git" / "rebase-merge").exists()
    assert git(data(b), "symbolic-ref", "--short", "HEAD") == "main"
    assert texts(b) == ["Only on B.", "Shared."]
    hook.unlink()
    ok(b, "sync")
    assert texts(b) == ["Only on A.", "Only on B.", "Shared."]
    assert git(data(b), "log", "--merges", "--format=%H") == ""  # rebased, no merge commit


def test_a_sync_killed_mid_rebase_is_undone_by_the_next(tmp_path: Path, remote: Path) -> None:
    a, b = diverged(tmp_path, remote)
    folder = data(b)
    git(folder, "fetch", "-q", "origin")
    # What a sync killed with its git leaves: a rebase stopped part-way, and our marker.
    subprocess.run(
        ["git", "-C", str(folder), "rebase", "-q", "--exec", "false", "origin/main"],
        capture_output=True,
        env={**os.environ, "GIT_EDITOR": "true"},
    )
    assert (folder / ".git" / "rebase-merge").exists()
    (folder / ".git" / "layers-journal-sync").write_text("12345\n")
    said = ok(b, "sync")
    assert "stopped part-way" in said
    assert texts(b) == ["Only on A.", "Only on B.", "Shared."]
    ok(a, "sync")
    assert texts(a) == texts(b)


# --- 5. privacy of what arrives --------------------------------------------------------------


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_pulled_files_are_private(tmp_path: Path, remote: Path, loose_umask: None) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "A page.")
    write(a, "Another, on another day.", "--date", "yesterday")
    ok(a, "delete", "--yes", str(history(a)[0]["id"]))
    ok(a, "pause", "2026-01-01", "2026-01-03")
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    assert len(list((data(b) / "trash").rglob("*.md"))) == 1
    loose = []
    for path in [data(b), *data(b).rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            loose.append(f"{path} {mode:o}")
    assert loose == []
    assert run_cli(b, "doctor").returncode == 0


# --- sync.auto = full, status, and today's prompt ---------------------------------------------


def test_full_sends_each_write_in_the_background(tmp_path: Path, remote: Path) -> None:
    home = tmp_path / "a"
    ok(home, "sync", "init", str(remote))
    ok(home, "config", "set", "sync.auto", "full")
    write(home, "Sent by itself.")
    head = git(data(home), "rev-parse", "HEAD")
    wait_for(lambda: git(remote, "rev-parse", "main") == head)
    wait_for(lambda: json.loads(run_cli(home, "sync", "status", "--json").stdout)["last_good"])


def test_status_says_where_this_device_stands(tmp_path: Path, remote: Path) -> None:
    home = tmp_path / "a"
    not_yet = run_cli(home, "sync", "status")
    assert not_yet.returncode == 1 and "not set up for sync yet" in not_yet.stderr
    ok(home, "sync", "init", str(remote))
    ok(home, "config", "set", "sync.auto", "off")
    write(home, "Pending.")
    found = json.loads(run_cli(home, "sync", "status", "--json").stdout)
    assert found["ahead"] == 0 and found["behind"] == 0 and found["pending"] == 1
    assert found["last_good"] and found["conflicts"] == 0 and found["auto"] == "off"
    ok(home, "config", "set", "sync.auto", "commit")
    write(home, "Committed.")
    shown = run_cli(home, "sync", "status", COLUMNS="200").stdout
    assert "1 commit not yet sent" in shown and "1 file not yet committed" in shown
    assert "last sync" in shown and "none waiting" in shown


def test_todays_prompt_stays_put_when_a_sync_brings_in_yesterday(
    tmp_path: Path, remote: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    ok(a, "sync", "init", str(remote))
    ok(b, "sync", "init", str(remote))
    shown = run_cli(a, "today", "--show").stdout
    assert "awareness" in shown.lower()
    yesterday = json.loads(run_cli(b, "layers", "--json").stdout)["as_of"]
    from datetime import date, timedelta

    day = (date.fromisoformat(yesterday) - timedelta(days=1)).isoformat()
    document = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {
                "id": f"{day}-200000-fromb1",
                "created": f"{day}T20:00:00+01:00",
                "day": day,
                "tz": "Europe/Berlin",
                "theme": "awareness",
                "prompt_id": None,
                "prompt": None,
                "mood": None,
                "tags": [],
                "text": "Written on B last night.",
            }
        ],
        "pauses": [],
    }
    (tmp_path / "from-b.json").write_text(json.dumps(document))
    ok(b, "import", str(tmp_path / "from-b.json"))
    ok(b, "sync")
    ok(a, "sync")
    assert texts(a) == ["Written on B last night."]
    assert run_cli(a, "today", "--show").stdout == shown
    # Without the record of this morning's choice, the day would have moved on a layer.
    for record in (a / "state").glob("today-*.txt"):
        record.unlink()
    assert "connection" in run_cli(a, "today", "--show").stdout.lower()


# --- a long campaign: three devices doing anything in any order ------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "sealed"), [(seed, seed % 2 == 1) for seed in range(8)])
def test_three_devices_doing_anything_lose_nothing_and_agree(
    tmp_path: Path, remote: Path, seed: int, sealed: bool
) -> None:
    import random

    rng = random.Random(seed)
    homes = [tmp_path / name for name in "abc"]
    tokens: set[str] = set()
    write(homes[0], "token-0")
    tokens.add("token-0")
    secret = {"LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE} if sealed else {}
    if sealed:
        ok(homes[0], "encrypt", **secret)
    for home in homes:
        ok(home, "sync", "init", str(remote))
    for n in range(1, 41):
        home = rng.choice(homes)
        token = f"token-{n}"
        entries = [str(entry["id"]) for entry in history(home, **secret)]
        action = rng.choice(["write", "edit", "edit", "delete", "sync", "sync", "resolve"])
        pairs = conflicts(home) if action == "resolve" else []
        if pairs:
            pair = rng.choice(pairs)
            keep = rng.choice(["mine", "theirs", "both"])
            ok(
                home,
                "conflicts",
                "resolve",
                f"{pair['id']}.{pair['when']}",
                "--keep",
                keep,
                **secret,
            )
        elif action == "resolve":
            ok(home, "pause", "2026-01-01", "2026-01-02")
        elif action == "write" or (action in ("edit", "delete") and not entries):
            write(home, token, *rng.choice([[], ["--date", "yesterday"]]))
            tokens.add(token)
        elif action == "edit":
            script = editor_script(
                tmp_path,
                f"path.write_text(path.read_text().rstrip() + ' {token}\\n')\n",
                name=f"append-{n}.py",
            )
            ok(home, "edit", rng.choice(entries), VISUAL=script, **secret)
            tokens.add(token)
        elif action == "delete":
            ok(home, "delete", "--yes", rng.choice(entries))
        else:
            ok(home, "sync")
    for home in [*homes, *homes]:
        ok(home, "sync")
    first = files_under(data(homes[0]))
    for home in homes:
        assert files_under(data(home)) == first
        everything = every_text(home) + every_sealed_text(home)
        if sealed:
            assert not list(data(home).rglob("*.md"))
        found = set(re.findall(r"token-[0-9]+", everything))
        assert sorted(tokens - found) == []
        assert git(data(home), "status", "--porcelain") == ""
        report = run_cli(home, "doctor").stderr.strip().splitlines()
        assert all(
            "changed on another device" in line or "All is well" in line for line in report
        ), report
    assert len({run_cli(home, "layers", "--json").stdout for home in homes}) == 1
    assert len({json.dumps(conflicts(home)) for home in homes}) == 1


def every_sealed_text(home: Path) -> str:
    """The text of every encrypted file in the journal folder, decrypted."""
    key = data(home) / crypto.KEY_NAME
    if not key.exists():
        return ""
    _, identity = WRAPPED[key.read_bytes()]
    return "\n".join(
        pyrage.decrypt(path.read_bytes(), [identity]).decode()
        for path in sorted(data(home).rglob("*.md.age"))
    )


@pytest.mark.parametrize(("head", "local_first"), [(None, False), ("trunk", False), (None, True)])
def test_a_plain_clone_of_the_remote_holds_every_entry(
    tmp_path: Path, head: str | None, local_first: bool
) -> None:
    """A remote made with a plain `git init --bare` names master (or init.defaultBranch)
    as its HEAD; the journal goes there, so git alone shows it."""
    remote = tmp_path / "plain.git"
    git(tmp_path, "-c", "init.defaultBranch=master", "init", "-q", "--bare", str(remote))
    if head:
        git(remote, "symbolic-ref", "HEAD", f"refs/heads/{head}")
    named = git(remote, "symbolic-ref", "--short", "HEAD")
    home = tmp_path / "device"
    write(home, "Before sync was set up.")
    if local_first:  # a repository of its own first, the remote later
        ok(home, "sync", "init")
    ok(home, "sync", "init", str(remote))
    write(home, "First page after sync.")
    write(home, "Second page after sync.")
    ok(home, "sync")
    assert git(remote, "for-each-ref", "--format=%(refname:short)", "refs/heads/") == named
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True, capture_output=True)
    mine = sorted(p.relative_to(data(home)) for p in (data(home) / "entries").rglob("*.md"))
    cloned = sorted(p.relative_to(clone) for p in (clone / "entries").rglob("*.md"))
    assert len(mine) == 3 and cloned == mine
    assert not (data(home) / ".git" / "layers-journal-head-probe").exists()
    # A second device joins the same branch.
    other = tmp_path / "other"
    ok(other, "sync", "init", str(remote))
    assert git(data(other), "symbolic-ref", "--short", "HEAD") == named
    assert sorted(texts(other)) == sorted(texts(home))
