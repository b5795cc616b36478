"""Trust, third campaign: sync keeps every promise. No child process sees the passphrase;
a file that vanishes outside the journal is kept in the trash; nothing is sent before it
is sealed to the key the journal will have; mine and theirs follow the device; the
tree's .gitattributes is never obeyed; and the failure campaign, with deletions,
renames and hand edits outside the tool, rewritten remote history and encryption on
one device while the other writes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.campaigns import sized
from helpers.cli import cli_env, editor_script, run_cli

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(
    GIT is None, reason="git is not installed; sync runs the user's git"
)
SECRET = "a heron stands in the shallows"


@pytest.fixture(autouse=True)
def plain_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The person's own git settings (and identity) stay out of the tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


def git(where: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=check
    ).stdout.strip()


def ok(home: Path, *args: str, stdin: str | None = None, **env: str) -> str:
    result = run_cli(home, *args, stdin=stdin, **env)
    assert result.returncode == 0, (args, result.stderr)
    return result.stderr


# --- 1. no child process ever sees the passphrase -------------------------------------------


def traced(trace: Path, home: Path, *args: str, terminal: bool = False, **env: str) -> list[str]:
    """`journal ARGS` under strace -f, every execve with its full environment; returns
    the execve lines of every process it started (not its own)."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace runs this test)")
    command = [
        strace, "-f", "-qq", "-v", "-s", "65536", "-e", "trace=execve", "-o", str(trace),
        sys.executable, "-m", "layers_journal", *args,
    ]  # fmt: skip
    full_env = cli_env(home, **env)
    if terminal:
        import pexpect

        child = pexpect.spawn(
            command[0], command[1:], env=full_env, encoding="utf-8", timeout=90,
            dimensions=(6, 80),
        )  # fmt: skip
        child.expect(pexpect.EOF)
        child.close()
        code = child.exitstatus
        said = child.before
    else:
        done = subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=180)
        code, said = done.returncode, done.stderr
    if code != 0 and "ptrace" in (said or ""):
        pytest.skip("strace cannot trace here (ptrace is not permitted)")
    assert code == 0, said
    lines = [line for line in trace.read_text(errors="replace").splitlines() if "execve(" in line]
    assert lines, "the trace saw nothing"
    return lines[1:]  # the first is the journal itself, which was given the variable


def test_no_child_of_sync_the_editor_or_the_pager_sees_the_passphrase(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    # A local remote's hook runs as a child too (a USB stick, an NFS share).
    hook = remote / "hooks" / "post-receive"
    hook.write_text(f"#!/bin/sh\nenv > {tmp_path}/hook-env.txt\n")
    hook.chmod(0o755)
    secret_file = tmp_path / "passphrase-file.txt"
    secret_file.write_text(SECRET + "\n")
    for n in range(8):
        ok(home, "today", "--date", f"2026-03-{n + 1:02d}", stdin=f"Page {n} of many.\n" * 3)
    ok(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=SECRET)
    ok(home, "sync", "init", str(remote))
    ok(home, "config", "set", "sync.auto", "full")
    editor = editor_script(tmp_path, "path.write_text(path.read_text() + 'More.\\n')\n")
    pager = editor_script(tmp_path, "sys.stdin.read()\n", name="pager.py")
    children: list[str] = []
    for name, given in (
        ("env", {"LAYERS_JOURNAL_PASSPHRASE": SECRET}),
        ("file", {"LAYERS_JOURNAL_PASSPHRASE_FILE": str(secret_file)}),
    ):
        children += traced(tmp_path / f"sync-{name}.txt", home, "sync", **given)
        children += traced(
            tmp_path / f"edit-{name}.txt", home, "edit", "last", VISUAL=editor, **given
        )
        children += traced(
            tmp_path / f"history-{name}.txt", home, "history", "--full", terminal=True,
            PAGER=pager, **given,
        )  # fmt: skip
    started = " ".join(children)
    for program in ("git", "editor.py", "pager.py", "receive-pack"):
        assert program in started, f"{program} never ran, so the test proved nothing"
    for line in children:
        assert SECRET not in line, line[:300]
        assert str(secret_file) not in line, line[:300]
        assert "LAYERS_JOURNAL_PASSPHRASE" not in line, line[:300]
    hook_env = (tmp_path / "hook-env.txt").read_text()
    assert SECRET not in hook_env and "LAYERS_JOURNAL_PASSPHRASE" not in hook_env


def test_the_background_sync_after_a_write_never_sees_the_passphrase(tmp_path: Path) -> None:
    home = tmp_path / "home"
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    ok(home, "today", stdin="A first page.")
    ok(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=SECRET)
    ok(home, "sync", "init", str(remote))
    ok(home, "sync")
    ok(home, "config", "set", "sync.auto", "full")
    trace = tmp_path / "trace.txt"
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace runs this test)")
    command = [
        strace, "-f", "-qq", "-v", "-s", "65536", "-e", "trace=execve", "-o", str(trace),
        sys.executable, "-m", "layers_journal", "today", "--date", "yesterday",
    ]  # fmt: skip
    done = subprocess.run(
        command,
        input="Written while the sync runs behind.",
        capture_output=True,
        text=True,
        env=cli_env(home, LAYERS_JOURNAL_PASSPHRASE=SECRET),
        timeout=120,
    )
    if done.returncode != 0 and "ptrace" in done.stderr:
        pytest.skip("strace cannot trace here (ptrace is not permitted)")
    assert done.returncode == 0, done.stderr
    import time

    deadline = time.monotonic() + 30
    while "--background" not in trace.read_text(errors="replace") or (
        git(remote, "rev-list", "--count", "--all", check=False) in ("", "0", "1")
    ):
        assert time.monotonic() < deadline, "the background sync never ran"
        time.sleep(0.2)
    lines = [line for line in trace.read_text(errors="replace").splitlines() if "execve(" in line]
    assert any("--background" in line for line in lines)
    for line in lines[1:]:
        assert SECRET not in line and "LAYERS_JOURNAL_PASSPHRASE" not in line, line[:300]


def test_a_passphrase_read_once_still_opens_the_journal_for_every_read(tmp_path: Path) -> None:
    """Taken out of the environment at start-up, the passphrase is still there for the
    command itself, from the variable or from the file."""
    home = tmp_path / "home"
    ok(home, "today", stdin="Sealed words.")
    ok(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=SECRET)
    secret_file = tmp_path / "passphrase.txt"
    secret_file.write_text(SECRET + "\n")
    for given in (
        {"LAYERS_JOURNAL_PASSPHRASE": SECRET},
        {"LAYERS_JOURNAL_PASSPHRASE_FILE": str(secret_file)},
    ):
        done = subprocess.run(
            [sys.executable, "-m", "layers_journal", "show", "last"],
            capture_output=True,
            text=True,
            env=cli_env(home, **given),
            timeout=120,
        )
        assert done.returncode == 0 and "Sealed words." in done.stdout, done.stderr


# --- 11. a .gitattributes from the remote is never obeyed ------------------------------------


def history_texts(home: Path) -> list[str]:
    import json

    result = run_cli(home, "history", "--json")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return sorted(str(entry["text"]) for entry in json.loads(result.stdout)["entries"])


def test_a_gitattributes_from_the_remote_is_never_obeyed(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    a, b = tmp_path / "a", tmp_path / "b"
    ok(a, "today", "--date", "2026-03-01", stdin="Caf\u00e9 au lait, first light.")
    ok(a, "sync", "init", str(remote))
    ok(a, "sync")
    # Someone (or something) with the remote adds attributes to the tree.
    hostile = tmp_path / "hostile"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(hostile))
    (hostile / ".gitattributes").write_text(
        "*.md working-tree-encoding=UTF-16LE eol=crlf filter=evil\n* text=auto ident\n"
    )
    git(hostile, "add", ".gitattributes")
    git(hostile, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "attributes")
    git(hostile, "push", "-q", "origin", "HEAD:main")
    # A filter the person has configured (as git-lfs is): a tree must not switch it on.
    (tmp_path / "no-global-gitconfig").write_text(
        f'[filter "evil"]\n\tsmudge = touch {tmp_path}/pwned-smudge; cat\n'
        f"\tclean = touch {tmp_path}/pwned-clean; cat\n"
    )
    ok(b, "sync", "init", str(remote))
    ok(b, "today", "--date", "2026-03-02", stdin="Na\u00efve hope, second page.\nTwo lines.")
    ok(b, "sync")
    ok(a, "sync")
    ok(a, "today", "--date", "2026-03-03", stdin="A third, after the attributes came.")
    ok(a, "sync")
    ok(b, "sync")
    expected = [
        "A third, after the attributes came.",
        "Caf\u00e9 au lait, first light.",
        "Na\u00efve hope, second page.\nTwo lines.",
    ]
    for home in (a, b):
        assert history_texts(home) == expected
        folder = home / "data"
        for path in sorted(folder.rglob("*.md")):
            name = path.relative_to(folder).as_posix()
            blob = subprocess.run(
                ["git", "-C", str(remote), "cat-file", "blob", f"main:{name}"],
                capture_output=True,
                check=True,
            ).stdout
            assert blob == path.read_bytes(), name  # committed and checked out as they are
        assert git(folder, "status", "--porcelain") == ""
    assert not list(tmp_path.glob("pwned*"))
    # The journal never commits a .gitattributes of its own making.
    log = git(remote, "log", "--format=%s", "main", "--", ".gitattributes")
    assert log.splitlines() == ["attributes"]


# --- 3. an entry removed outside the journal is kept in the trash ------------------------------


def entry_file(home: Path, text: str) -> Path:
    for path in (home / "data" / "entries").rglob("*.md*"):
        if not path.name.endswith(".meta.toml") and text in path.read_bytes().decode(
            errors="replace"
        ):
            return path
    raise AssertionError(f"no entry holds {text!r}")


def trashed_texts(home: Path) -> list[str]:
    folder = home / "data" / "trash"
    return sorted(p.read_text() for p in folder.rglob("*.md")) if folder.exists() else []


def two_synced_devices(tmp_path: Path) -> tuple[Path, Path, Path]:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    a, b = tmp_path / "a", tmp_path / "b"
    for n, text in enumerate(["Kept on both.", "Removed by hand.", "Also kept."]):
        ok(a, "today", "--date", f"2026-03-{n + 1:02d}", stdin=text)
    ok(a, "sync", "init", str(remote))
    ok(a, "sync")
    ok(b, "sync", "init", str(remote))
    return remote, a, b


@pytest.mark.parametrize("where", ["here", "there"])
def test_an_entry_removed_outside_the_journal_is_kept_in_the_trash_on_every_device(
    tmp_path: Path, where: str
) -> None:
    _remote, a, b = two_synced_devices(tmp_path)
    gone = entry_file(a if where == "here" else b, "Removed by hand.")
    entry_id = gone.name.split(".")[0]
    gone.unlink()  # rm, a file manager, another sync tool
    first = run_cli(a if where == "here" else b, "sync")
    assert first.returncode == 0, first.stderr
    said = (
        f"1 entry was removed outside the journal; it is in the trash: journal restore {entry_id}"
    )
    assert said in " ".join(first.stderr.split())
    for _ in range(2):
        ok(a, "sync")
        ok(b, "sync")
    for home in (a, b):
        assert any("Removed by hand." in text for text in trashed_texts(home)), home
        assert history_texts(home) == ["Also kept.", "Kept on both."]
    restored = run_cli(a, "restore", entry_id)
    assert restored.returncode == 0, restored.stderr
    assert "Removed by hand." in history_texts(a)


def test_an_entry_removed_by_a_commit_of_another_tool_arrives_in_the_trash(
    tmp_path: Path,
) -> None:
    remote, a, b = two_synced_devices(tmp_path)
    # Another tool (or an old version of this one) removes it with git itself.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(other))
    found = [p for p in other.rglob("*.md") if "Removed by hand." in p.read_text()]
    assert len(found) == 1
    git(other, "rm", "-q", str(found[0].relative_to(other)))
    git(other, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "tidy")
    git(other, "push", "-q", "origin", "HEAD:main")
    result = run_cli(b, "sync")
    assert result.returncode == 0, result.stderr
    assert "removed outside the journal; it is in the trash" in " ".join(result.stderr.split())
    ok(a, "sync")
    for home in (a, b):
        assert any("Removed by hand." in text for text in trashed_texts(home))
        assert history_texts(home) == ["Also kept.", "Kept on both."]


def test_a_remote_whose_history_was_rewritten_loses_no_entry(tmp_path: Path) -> None:
    remote, a, b = two_synced_devices(tmp_path)
    ok(b, "today", "--date", "2026-03-05", stdin="Written on B, then the remote was rewritten.")
    ok(b, "sync")
    ok(a, "sync")
    # The remote is forced back to a history without B's page and one of A's.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(other))
    for path in other.rglob("*.md"):
        if "Also kept." in path.read_text() or "Written on B" in path.read_text():
            git(other, "rm", "-q", str(path.relative_to(other)))
    git(other, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "--amend", "-m", "x")
    git(other, "push", "-q", "--force", "origin", "HEAD:main")
    for home in (a, b, a, b):
        ok(home, "sync")
    for home in (a, b):
        everything = history_texts(home) + trashed_texts(home)
        for text in ("Kept on both.", "Removed by hand.", "Also kept.", "Written on B"):
            assert any(text in found for found in everything), (home, text)


# --- 4. nothing is sent before it is sealed to the key the journal will have ---------------------


def remote_blobs(remote: Path) -> bytes:
    """Every object the remote holds, whatever refers to it: what it was ever sent."""
    return subprocess.run(
        ["git", "-C", str(remote), "cat-file", "--batch-all-objects", "--batch"],
        capture_output=True,
        check=True,
    ).stdout


def test_a_plain_entry_written_while_the_other_device_encrypted_is_sealed_before_it_is_sent(
    tmp_path: Path,
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    a, b = tmp_path / "a", tmp_path / "b"
    ok(a, "today", "--date", "2026-03-01", stdin="First, on A.")
    ok(a, "sync", "init", str(remote))
    ok(a, "sync")
    ok(b, "sync", "init", str(remote))
    ok(a, "encrypt", LAYERS_JOURNAL_PASSPHRASE=SECRET)
    ok(a, "sync")
    # B does not know yet: its new page is plain, and committed here as plain.
    ok(b, "today", "--date", "2026-03-02", stdin="Written on B while A sealed everything.")
    ok(b, "pause", "2026-04-01", "2026-04-02", "--note", "a quiet pause note")
    synced = run_cli(b, "sync")
    assert synced.returncode == 0, synced.stderr
    sent = remote_blobs(remote)
    assert b"Written on B while A sealed" not in sent
    assert b"a quiet pause note" not in sent
    assert "sealed to it before anything was sent" in " ".join(synced.stderr.split())
    assert not list((b / "data" / "entries").rglob("*.md"))
    ok(a, "sync")
    for home in (a, b):
        listed = run_cli(home, "history", "--json", LAYERS_JOURNAL_PASSPHRASE=SECRET)
        assert listed.returncode == 0, listed.stderr
        import json

        found = sorted(entry["text"] for entry in json.loads(listed.stdout)["entries"])
        assert found == ["First, on A.", "Written on B while A sealed everything."]


# --- the failure campaign, grown: what happens outside the tool ---------------------------------


def decrypted(home: Path, path: Path) -> str:
    data = path.read_bytes()
    if path.name.endswith(".age"):
        import pyrage

        from layers_journal.folder import crypto

        identity = crypto.unlock(home / "data", SECRET)
        data = pyrage.decrypt(data, [identity])
    return data.decode("utf-8", "replace")


def where_tokens_are(home: Path) -> dict[str, dict[str, int]]:
    """token -> how many files hold it in entries/, and in the trash or conflicts/."""
    found: dict[str, dict[str, int]] = {}
    for top in ("entries", "trash", "conflicts"):
        folder = home / "data" / top
        for path in sorted(folder.rglob("*.md*")) if folder.exists() else []:
            if path.name.endswith(".meta.toml") or not path.is_file():
                continue
            for token in set(re.findall(r"token-[0-9]+", decrypted(home, path))):
                place = "entries" if top == "entries" else "kept"
                found.setdefault(token, {"entries": 0, "kept": 0})[place] += 1
    return found


def plain_entry_files(home: Path) -> list[Path]:
    folder = home / "data" / "entries"
    return sorted(p for p in folder.rglob("*.md") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("seed", range(3, 3 + sized(1, 6)), ids=lambda seed: f"seed {seed}")
def test_two_devices_with_hands_outside_the_tool_keep_every_entry_once_and_sealed(
    tmp_path: Path, seed: int
) -> None:
    """Random rounds on two devices: writes, journal deletes, files removed, renamed and
    edited by hand, the remote's history rewritten, encryption turned on and off on one
    device while the other writes. After every round, once both have synced, every
    entry the journal acknowledged is in entries/ exactly once on each device, or kept
    in its trash (or conflicts/), and no text written while the journal was encrypted is
    anywhere in the remote in plain text."""
    import random

    rng = random.Random(seed)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    homes = [tmp_path / "a", tmp_path / "b"]
    secret = {"LAYERS_JOURNAL_PASSPHRASE": SECRET}
    ok(homes[0], "today", "--date", "2026-03-01", stdin="token-0")
    ok(homes[0], "sync", "init", str(remote))
    ok(homes[0], "sync")
    ok(homes[1], "sync", "init", str(remote))
    tokens = {"token-0"}
    sealed_tokens: set[str] = set()
    encrypted = False
    rounds = sized(6, 30)
    done: dict[str, int] = {}
    for n in range(1, rounds + 1):
        home = rng.choice(homes)
        other = homes[1] if home == homes[0] else homes[0]
        action = rng.choice(
            ["write", "delete", "rm", "rename", "hand edit", "rewrite", "crypt", "sync"]
        )
        done[action] = done.get(action, 0) + 1
        token = f"token-{n}"
        plain = plain_entry_files(home)
        if action == "write":
            ok(home, "today", "--date", f"2026-03-{rng.randint(1, 28):02d}", stdin=token)
            tokens.add(token)
            sealed_tokens |= {token} if encrypted else set()
        elif action == "delete":
            listed = run_cli(home, "history", "--json", **secret).stdout
            import json

            ids = [entry["id"] for entry in json.loads(listed)["entries"]] if listed else []
            if ids:
                ok(home, "delete", "--yes", rng.choice(ids), **secret)
        elif action == "rm" and plain:
            rng.choice(plain).unlink()
        elif action == "rename" and plain:
            victim = rng.choice(plain)
            victim.rename(victim.with_name(victim.name + ".bak"))
        elif action == "hand edit" and plain:
            victim = rng.choice(plain)
            victim.write_text(victim.read_text().rstrip("\n") + f" {token}\n")
            tokens.add(token)
        elif action == "rewrite":
            clone = tmp_path / f"rewrite-{n}"
            git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(clone))
            files = (
                sorted((clone / "entries").rglob("*.md*")) if (clone / "entries").exists() else []
            )
            files = [f for f in files if not f.name.endswith(".meta.toml")]
            if files:
                git(clone, "rm", "-q", str(rng.choice(files).relative_to(clone)))
                git(
                    clone,
                    "-c",
                    "user.name=x",
                    "-c",
                    "user.email=x@x",
                    "commit",
                    "-q",
                    "--amend",
                    "-m",
                    "rewritten",
                )
                git(clone, "push", "-q", "--force", "origin", "HEAD:main")
        elif action == "crypt":
            # One device changes the journal's encryption while the other writes.
            ok(home, "decrypt" if encrypted else "encrypt", **secret)
            if encrypted:
                sealed_tokens.clear()  # the person chose plain text again
            encrypted = not encrypted
            ok(other, "today", "--date", "2026-03-15", stdin=token)
            tokens.add(token)
            if encrypted and (other / "data" / "journal-key.pub").exists():
                sealed_tokens.add(token)
            ok(other, "sync", **secret)
            encrypted = (home / "data" / "journal-key.pub").exists()
        for device in [*homes, *homes]:
            ok(device, "sync", **secret)
        if (homes[0] / "data" / "journal-key.pub").exists():
            # A device that met the key seals what is still plain (as sync says to).
            for device in homes:
                ok(device, "doctor", "--fix", **secret)
                ok(device, "sync", **secret)
        for device in homes:
            found = where_tokens_are(device)
            for token in sorted(tokens):
                places = found.get(token, {"entries": 0, "kept": 0})
                assert places["entries"] == 1 or places["kept"] >= 1, (
                    n,
                    action,
                    device.name,
                    token,
                    places,
                    done,
                )
                # Exactly once: never two entries holding the same acknowledged words.
                assert places["entries"] <= 1, (n, action, device.name, token, places)
        everything = remote_blobs(remote)
        for token in sorted(sealed_tokens):
            assert re.search(rb"\b" + token.encode() + rb"\b", everything) is None, (n, token)
    print(
        f"\ncampaign seed {seed}: {rounds} rounds, {done}, every entry kept once, sealed stayed sealed"
    )


# --- 5. mine and theirs follow the device where the command runs ----------------------------------


def edited_on(home: Path, entry_id: str, text: str) -> None:
    script = editor_script(
        home.parent, f"path.write_text({text + chr(10)!r})\n", name=f"ed-{home.name}.py"
    )
    ok(home, "edit", entry_id, VISUAL=script)


@pytest.mark.parametrize("device", ["the one that kept the pair", "the other one"])
def test_mine_is_always_this_devices_version_wherever_the_pair_was_made(
    tmp_path: Path, device: str
) -> None:
    import json

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    a, b = tmp_path / "a", tmp_path / "b"
    ok(a, "today", "--date", "2026-03-01", stdin="The first version.")
    ok(a, "sync", "init", str(remote))
    ok(a, "sync")
    ok(b, "sync", "init", str(remote))
    entry_id = json.loads(run_cli(b, "history", "--json").stdout)["entries"][0]["id"]
    edited_on(a, entry_id, "A's own words.")
    edited_on(b, entry_id, "B's own words.")
    ok(a, "sync")
    ok(b, "sync")  # B finds both changed: its version goes aside, by B
    ok(a, "sync")
    home, own, others = (
        (b, "B's", "A's") if device == "the one that kept the pair" else (a, "A's", "B's")
    )
    (pair,) = json.loads(run_cli(home, "conflicts", "--json").stdout)["conflicts"]
    root = home / "data"
    assert (root / pair["mine"]).read_text().endswith(f"{own} own words.\n")
    assert (root / pair["theirs"]).read_text().endswith(f"{others} own words.\n")
    assert pair["this_device"] and pair["kept_aside_by"]
    listed = run_cli(home, "conflicts").stdout
    assert "written on this device" in listed and "kept in two versions" in listed
    said = ok(home, "conflicts", "resolve", entry_id, "--keep", "mine")
    assert "Kept this device's version" in said
    texts = [e["text"] for e in json.loads(run_cli(home, "history", "--json").stdout)["entries"]]
    assert texts == [f"{own} own words."]
    trash = "\n".join(p.read_text() for p in (root / "trash").rglob("*.md"))
    assert f"{others} own words." in trash  # nothing is lost
    ok(home, "sync")
    other_home = a if home == b else b
    ok(other_home, "sync")
    assert json.loads(run_cli(other_home, "conflicts", "--json").stdout)["conflicts"] == []
