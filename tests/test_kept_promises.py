"""Trust, third campaign: imports that cannot outgrow the machine or the journal, a key
that asks for more memory than there is, paths that are not UTF-8, drafts that keep
everything the person gave. One test per finding, named after what it protects.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from helpers.cli import run_cli, run_process
from helpers.documents import entry_files

GENERIC = "Something unexpected"


# --- 6. a Day One zip bomb is refused before it unpacks -------------------------------------


def test_a_day_one_zip_of_many_members_each_under_the_floor_is_refused_before_it_unpacks(
    journal_home: Path, tmp_path: Path
) -> None:
    """500 members just under 1 MiB each: no member alone looks like a bomb."""
    archive = tmp_path / "Export.zip"
    tiny = b'{"uuid":"a","creationDate":"2026-03-01T09:00:00Z","text":""},'
    member = b'{"metadata":{"version":"1.0"},"entries":[' + tiny * (1_040_000 // len(tiny))
    member += b'{"uuid":"b","creationDate":"2026-03-01T09:00:00Z","text":""}]}'
    assert len(member) < 2**20
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for n in range(500):
            bomb.writestr(f"Journal {n}.json", member)
    assert archive.stat().st_size < 3_000_000
    result = run_cli(journal_home, "import", str(archive), "--format", "dayone")
    assert result.returncode == 1, result.stderr
    assert "a zip bomb" in result.stderr and "nothing was imported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert entry_files(journal_home) == []


def test_a_day_one_document_of_millions_of_tiny_entries_is_refused_before_it_is_parsed(
    journal_home: Path, tmp_path: Path
) -> None:
    """Packed loosely enough to pass the ratio, the entries themselves are counted."""
    import random

    rng = random.Random(7)
    archive = tmp_path / "Export.zip"
    parts = [b'{"metadata":{"version":"1.0"},"entries":[']
    for n in range(600_000):
        parts.append(b'{"uuid":"%d","x":"%x"},' % (n, rng.getrandbits(64)))
    parts.append(b'{"uuid":"last"}]}')
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("Journal.json", b"".join(parts))
    result = run_cli(journal_home, "import", str(archive), "--format", "dayone")
    assert result.returncode == 1, result.stderr
    assert "more entries than a Day One export would" in result.stderr
    assert GENERIC not in result.stderr
    assert entry_files(journal_home) == []


# --- 7. an import brings in only what the journal can read back ----------------------------


def test_an_imported_text_over_the_entry_limit_refuses_the_whole_import_naming_it(
    journal_home: Path, tmp_path: Path
) -> None:
    from layers_journal.folder.entries import MAX_ENTRY_BYTES

    good = {"uuid": "A1", "creationDate": "2026-03-01T09:00:00Z", "text": "a good page"}
    huge = {"uuid": "B2", "creationDate": "2026-03-02T09:00:00Z", "text": "x" * MAX_ENTRY_BYTES}
    document = {"metadata": {"version": "1.0"}, "entries": [good, huge]}
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps(document))
    result = run_cli(journal_home, "import", str(source), "--format", "dayone")
    assert result.returncode == 1, result.stderr
    assert "entry 2" in result.stderr and "longer than one entry can hold" in result.stderr
    assert "nothing was imported" in result.stderr
    assert entry_files(journal_home) == []
    # The same from the journal's own JSON.
    exported = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {
                "id": "2026-03-02-090000-huge01",
                "created": "2026-03-02T09:00:00+01:00",
                "day": "2026-03-02",
                "tz": "Europe/Berlin",
                "text": "y" * MAX_ENTRY_BYTES,
            }
        ],
    }
    source.write_text(json.dumps(exported))
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1 and "longer than one entry can hold" in result.stderr
    assert entry_files(journal_home) == []


# --- 10. a journal whose path is not UTF-8 ------------------------------------------------

COMMANDS_TO_TRY = [
    ["where"],
    ["history"],
    ["show", "last"],
    ["layers"],
    ["tags"],
    ["doctor"],
    ["export"],
    ["review", "--show"],
    ["trash"],
    ["nudge"],
    ["nudge", "--shell", "zsh"],
    ["completion", "bash"],
]


def test_every_command_works_in_a_journal_whose_path_is_not_utf8_and_shows_the_odd_bytes(
    tmp_path: Path,
) -> None:
    """A folder named on another system (Latin-1 é, a stray byte): paths are bytes."""
    import os

    folder = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9 \xff")
    home = Path(folder) / "home"
    os.makedirs(home)
    written = run_process(home, "today", stdin="A page from a strange folder.")
    assert written.returncode == 0, written.stderr
    assert "caf\\xe9 \\xff" in written.stdout + written.stderr
    for args in COMMANDS_TO_TRY:
        result = run_process(home, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert GENERIC not in result.stderr, args
    where = run_process(home, "where").stdout
    assert f"{tmp_path}/caf\\xe9 \\xff/home/data" in where
    assert "\udce9" not in where
    bare = Path(os.fsdecode(os.fsencode(tmp_path) + b"/remote \xff.git"))
    import subprocess

    subprocess.run(["git", "init", "-q", "--bare", os.fsencode(bare)], check=True)
    for args in (["sync", "init", str(bare)], ["sync"], ["sync", "status"]):
        result = run_process(home, *args)
        assert result.returncode == 0 and GENERIC not in result.stderr, (args, result.stderr)


# --- 9. a key that needs more memory than the process may have ----------------------------


def work_factor(wrapped: bytes) -> int:
    """The log2 N of an age passphrase file's scrypt stanza, read here independently."""
    import base64
    import re

    if wrapped.startswith(b"-----BEGIN"):
        wrapped = base64.b64decode(b"".join(wrapped.splitlines()[1:-1]))
    found = re.search(rb"^-> scrypt \S+ (\d+)$", wrapped, re.MULTILINE)
    assert found, wrapped[:100]
    return int(found.group(1))


def test_a_key_needing_more_memory_than_allowed_is_refused_in_one_sentence_not_an_abort(
    journal_home: Path,
) -> None:
    import resource
    import subprocess
    import sys

    from helpers.cli import cli_env

    passphrase = "a lantern in the fog"
    assert run_cli(journal_home, "today", stdin="Sealed words.").returncode == 0
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=passphrase).returncode == 0
    factor = work_factor((journal_home / "data" / "journal-key.age").read_bytes())
    needed = 1024 << factor  # scrypt's 128 r N bytes, r = 8
    # Half of what scrypt needs, yet enough for Python and the journal to start.
    limit = max(needed // 2, 160 * 2**20)

    def low_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "show", "last"],
        capture_output=True,
        text=True,
        env=cli_env(journal_home, LAYERS_JOURNAL_PASSPHRASE=passphrase),
        preexec_fn=low_memory,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert result.stderr.startswith("Opening the journal's key takes about")
    assert f"scrypt work factor {factor}" in result.stderr and "nothing was opened" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Sealed words." not in result.stdout


def test_the_scrypt_work_factor_is_read_from_armored_and_binary_key_files() -> None:
    import pyrage

    from layers_journal.folder.crypto import scrypt_work_factor

    armored = pyrage.passphrase.encrypt(b"key", "pass", armored=True)
    binary = pyrage.passphrase.encrypt(b"key", "pass")
    assert scrypt_work_factor(armored) == work_factor(armored)
    assert scrypt_work_factor(binary) == work_factor(binary)
    assert scrypt_work_factor(b"not an age file") is None
    assert scrypt_work_factor(b"-----BEGIN AGE ENCRYPTED FILE-----\n!!!\n") is None


# --- 12. a recovered draft keeps its --tag and --mood ---------------------------------------


def killed_writer(home: Path, *args: str, signum: int, **env: str) -> None:
    """`journal today ARGS` in a terminal, a line typed, then stopped by signum."""
    import signal

    import pexpect

    from helpers.waiting import wait_for
    from test_writer import draft_holds, ready, type_keys, writer

    child = ready(writer(home, *args, **env))
    type_keys(child, "Words after the session.", "\r")
    if signum == signal.SIGKILL:
        if "LAYERS_JOURNAL_PASSPHRASE" in env:  # sealed: wait for the sealed file instead
            wait_for(lambda: any((home / "state" / "drafts").glob("draft-*/entry.md.age")))
            time.sleep(1)
        else:
            wait_for(draft_holds(home, "Words after the session.\n"))
    else:
        child.expect("Words after the session.")
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()


def saved(home: Path, **env: str) -> list[dict[str, object]]:
    listed = run_cli(home, "history", "--json", **env)
    assert listed.returncode == 0, listed.stderr
    return [
        {"text": entry["text"], "tags": entry["tags"], "mood": entry["mood"]}
        for entry in json.loads(listed.stdout)["entries"]
    ]


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "encrypted"])
@pytest.mark.parametrize("signum", ["SIGKILL", "SIGHUP"])
def test_a_recovered_draft_keeps_its_tags_and_mood_through_doctor_fix(
    journal_home: Path, sealed: bool, signum: str
) -> None:
    import signal

    env = {}
    if sealed:
        assert run_cli(journal_home, "today", "--date", "yesterday", stdin="First.").returncode == 0
        env = {"LAYERS_JOURNAL_PASSPHRASE": "the tide comes in"}
        assert run_cli(journal_home, "encrypt", **env).returncode == 0
    killed_writer(
        journal_home, "--tag", "session", "--mood", "2", signum=getattr(signal, signum), **env
    )
    drafts = list((journal_home / "state" / "drafts").glob("draft-*"))
    assert len(drafts) == 1
    if sealed:  # nothing of the tag or the mood on disk in plain text
        for path in drafts[0].iterdir():
            assert b"session" not in path.read_bytes() and b"mood" not in path.read_bytes()
    for _ in range(2):
        fixed = run_cli(journal_home, "doctor", "--fix", **env)
        assert fixed.returncode == 0, fixed.stderr
    found = [entry for entry in saved(journal_home, **env) if entry["text"] != "First."]
    assert found == [
        {"text": "Words after the session.", "tags": ["session", "recovered"], "mood": 2}
    ]


def test_a_draft_offered_back_by_the_next_today_keeps_its_tags_and_mood(
    journal_home: Path,
) -> None:
    import signal

    from test_writer import finish, type_keys, writer

    killed_writer(journal_home, "--tag", "session", "--mood", "2", signum=signal.SIGHUP)
    again = writer(journal_home, "--tag", "evening")
    again.expect("unsaved page")
    type_keys(again, "s", "\r")  # save it as it is
    finish(again)
    assert saved(journal_home) == [
        {"text": "Words after the session.", "tags": ["session", "evening"], "mood": 2}
    ]


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "encrypted"])
def test_a_failed_editor_page_keeps_its_tags_and_mood_through_doctor_fix(
    journal_home: Path, tmp_path: Path, sealed: bool
) -> None:
    from helpers.cli import editor_script

    env = {}
    if sealed:
        assert run_cli(journal_home, "today", "--date", "yesterday", stdin="First.").returncode == 0
        env = {"LAYERS_JOURNAL_PASSPHRASE": "the tide comes in"}
        assert run_cli(journal_home, "encrypt", **env).returncode == 0
    editor = editor_script(
        tmp_path, "path.write_text(path.read_text() + 'Half a thought.\\n')\nsys.exit(3)\n"
    )
    args = ("today", "--editor", "--tag", "session", "--mood", "4")
    result = run_process(journal_home, *args, stdin="", EDITOR=editor, **env)
    assert result.returncode == 1, result.stderr
    if sealed:
        for path in (journal_home / "state" / "drafts").rglob("*"):
            assert not path.is_file() or b"session" not in path.read_bytes(), path
    for _ in range(2):
        assert run_cli(journal_home, "doctor", "--fix", **env).returncode == 0
    found = [entry for entry in saved(journal_home, **env) if entry["text"] != "First."]
    assert found == [{"text": "Half a thought.", "tags": ["session", "recovered"], "mood": 4}]


# --- must show 5: an encrypted review draft comes back once, sealed throughout -------------------


@pytest.mark.parametrize("how", ["killed", "hung up", "window closed"])
def test_an_encrypted_review_draft_comes_back_once_after_doctor_fix_twice_sealed_throughout(
    journal_home: Path, how: str
) -> None:
    import signal
    import sys

    import pexpect

    from helpers.cli import cli_env

    env = {"LAYERS_JOURNAL_PASSPHRASE": "the tide comes in"}
    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="First.").returncode == 0
    assert run_cli(journal_home, "encrypt", **env).returncode == 0
    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "review"],
        env=cli_env(journal_home, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", **env),
        encoding="utf-8",
        timeout=60,
        dimensions=(30, 100),
    )
    child.expect("Ctrl-C")
    for key in "A harbour of a week, looking back.":
        child.send(key)
        time.sleep(0.02)
    child.send("\r")
    folder = journal_home / "state" / "drafts"
    deadline = time.monotonic() + 30
    while not list(folder.glob("draft-*/entry.md.age")):
        assert time.monotonic() < deadline, "the draft was never kept"
        time.sleep(0.1)
    time.sleep(6)  # past the writer's autosave, so the whole line is kept
    if how == "killed":
        child.kill(signal.SIGKILL)
    elif how == "hung up":
        child.kill(signal.SIGHUP)
    child.close(force=how != "window closed")  # closing the terminal hangs it up

    def nothing_plain() -> None:
        for path in (journal_home / "state").rglob("*"):
            assert not path.is_file() or b"harbour" not in path.read_bytes(), path
        for path in (journal_home / "data").rglob("*"):
            assert not path.is_file() or b"harbour" not in path.read_bytes(), path

    nothing_plain()
    for _ in range(2):
        fixed = run_cli(journal_home, "doctor", "--fix", **env)
        assert fixed.returncode == 0, fixed.stderr
        nothing_plain()
    listed = run_cli(journal_home, "history", "--json", **env)
    found = [e for e in json.loads(listed.stdout)["entries"] if "harbour" in e["text"]]
    assert len(found) == 1 and found[0]["text"].startswith("A harbour of a week")
    assert not list(folder.glob("draft-*"))


# --- must show 5: an encrypted edit's draft comes back once -----------------------------------


@pytest.mark.parametrize("how", ["killed", "hung up", "window closed"])
def test_an_encrypted_edit_draft_comes_back_once_after_doctor_fix_twice(
    journal_home: Path, tmp_path: Path, how: str
) -> None:
    """Killed (SIGKILL), hung up (SIGHUP) or its window closed (SIGTERM from the
    terminal's end) while the editor is open: the changes come back once. A hang-up or a
    stop seals the draft on the way out; only a kill -9, which nothing can answer,
    leaves the editor's own plain draft in its private folder until doctor --fix."""
    import signal
    import subprocess
    import sys

    from helpers.cli import cli_env, editor_script

    env = {"LAYERS_JOURNAL_PASSPHRASE": "the tide comes in"}
    assert run_cli(journal_home, "today", stdin="The first version.").returncode == 0
    assert run_cli(journal_home, "encrypt", **env).returncode == 0
    number = {"killed": signal.SIGKILL, "hung up": signal.SIGHUP, "window closed": signal.SIGTERM}
    editor = editor_script(
        tmp_path,
        "import os, signal, time\n"
        "path.write_text('A lantern of a change.\\n')\n"
        f"os.kill(os.getppid(), {int(number[how])})\n"
        "time.sleep(5)\n",
        name="stopper.py",
    )
    subprocess.run(
        [sys.executable, "-m", "layers_journal", "edit", "last"],
        env=cli_env(journal_home, EDITOR=editor, **env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    drafts = list((journal_home / "state" / "drafts").glob("draft-*"))
    assert len(drafts) == 1
    if how != "killed":
        names = sorted(p.name for p in drafts[0].iterdir())
        assert names == ["draft.toml", "entry.md.age"], names
        for path in (journal_home / "state").rglob("*"):
            assert not path.is_file() or b"lantern" not in path.read_bytes(), path
    for _ in range(2):
        fixed = run_cli(journal_home, "doctor", "--fix", **env)
        assert fixed.returncode == 0, fixed.stderr
    listed = run_cli(journal_home, "history", "--json", **env)
    texts = [e["text"] for e in json.loads(listed.stdout)["entries"]]
    assert texts == ["A lantern of a change."]
    assert not list((journal_home / "state" / "drafts").glob("draft-*"))
    for path in (journal_home / "state").rglob("*"):
        assert not path.is_file() or b"lantern" not in path.read_bytes(), path
