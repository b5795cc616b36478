"""The failure campaign: real processes, real files, real signals.

The commands that are killed, limited or run side by side are real processes
(start, run_process); the checks before and after them run in this one (run_cli).

Short by default, so CI stays quick; LAYERS_JOURNAL_LONG=1 runs the long campaign
(hundreds of kills, 8 x 25 concurrent saves). Each test prints what it did; run with
`-s` to see the counts.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import resource
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers.campaigns import sized
from helpers.cli import cli_env, editor_script, run_cli, run_process
from helpers.documents import entry_files
from helpers.folder import kept_in_recovery
from layers_journal.folder.entries import parse_entry

KILLS = sized(12, 300)
WORKERS, SAVES = sized(4, 8), sized(4, 25)


def start(home: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "layers_journal", *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(home, **env),
    )
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    return process


def kill_at_random(process: subprocess.Popen[str], rng: random.Random, latest: float) -> bool:
    """SIGKILL after a random moment; True when the process had already finished."""
    time.sleep(rng.uniform(0.0, latest))
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    if process.stdout:
        process.stdout.close()
    if process.stderr:
        process.stderr.close()
    return finished and process.returncode == 0


def assert_every_file_is_whole(home: Path) -> list[str]:
    """Each entry file parses completely; returns the texts found."""
    texts = []
    for path in entry_files(home):
        texts.append(parse_entry(path.read_text(encoding="utf-8")).text)
    return texts


def assert_journal_works(home: Path) -> list[dict]:  # type: ignore[type-arg]
    result = run_cli(home, "history", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # nothing skipped, nothing broken
    entries = json.loads(result.stdout)["entries"]
    assert len(entries) == len(entry_files(home))
    return entries


# --- kill -9 ------------------------------------------------------------------------------


def test_kill_during_saves_loses_no_acknowledged_entry(journal_home: Path) -> None:
    rng = random.Random(1)
    acknowledged, outcomes = (
        [],
        {"finished": 0, "killed, nothing written": 0, "killed, entry whole": 0},
    )
    for n in range(KILLS):
        text = f"save number {n} with the word kiwi{n}x"
        before = len(entry_files(journal_home))
        if kill_at_random(start(journal_home, "today", stdin=text), rng, 0.35):
            acknowledged.append(text)
            outcomes["finished"] += 1
        elif len(entry_files(journal_home)) > before:
            outcomes["killed, entry whole"] += 1
        else:
            outcomes["killed, nothing written"] += 1
        texts = assert_every_file_is_whole(journal_home)
    texts = assert_every_file_is_whole(journal_home)
    for text in acknowledged:
        assert texts.count(text) == 1
    assert len(texts) == len(set(texts))
    assert_journal_works(journal_home)
    print(f"\nkill -9 during saves: {KILLS} runs, {outcomes}, 0 lost or corrupted")


def write_fake_editor(tmp_path: Path, replacement: str) -> str:
    return editor_script(
        tmp_path, f"path.write_text({replacement!r})\n", name=f"editor-{abs(hash(replacement))}.py"
    )


def test_kill_during_edits_leaves_the_old_or_the_new_text(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="version 0").returncode == 0
    (path,) = entry_files(journal_home)
    entry_id = parse_entry(path.read_text()).id
    rng = random.Random(2)
    current, outcomes = "version 0", {"edited": 0, "killed": 0}
    for n in range(1, KILLS + 1):
        editor = write_fake_editor(tmp_path, f"version {n}\n")
        process = start(journal_home, "edit", entry_id, EDITOR=editor)
        kill_at_random(process, rng, 0.4)
        text = parse_entry(path.read_text()).text
        assert text in (current, f"version {n}"), text
        outcomes["edited" if text != current else "killed"] += 1
        current = text
    assert_journal_works(journal_home)
    # The drafts of killed edits are left for doctor, who can save them.
    print(f"\nkill -9 during edits: {KILLS} runs, {outcomes}, every file whole")


def import_document(count: int) -> str:
    entries = [
        {
            "id": f"2025-01-01-{n // 60 % 24:02d}{n % 60:02d}00-imp{n:03d}",
            "created": f"2025-01-01T{n // 60 % 24:02d}:{n % 60:02d}:00+01:00",
            "day": "2025-01-01",
            "tz": "Europe/Berlin",
            "text": f"imported entry {n}",
        }
        for n in range(count)
    ]
    return json.dumps({"format": "layers-journal", "version": 1, "entries": entries, "pauses": []})


def test_kill_during_imports_then_finishing_adds_each_entry_once(
    journal_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "import.json"
    source.write_text(import_document(300))
    rng = random.Random(3)
    runs = max(3, KILLS // 10)
    for _ in range(runs):
        kill_at_random(start(journal_home, "import", str(source)), rng, 1.5)
        assert_every_file_is_whole(journal_home)
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    texts = assert_every_file_is_whole(journal_home)
    assert sorted(texts) == sorted(f"imported entry {n}" for n in range(300))
    assert_journal_works(journal_home)
    print(f"\nkill -9 during imports: {runs} runs of a 300-entry import, then all 300 once")


def test_kill_during_index_rebuilds(journal_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "import.json"
    source.write_text(import_document(300))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    rng = random.Random(4)
    runs = max(3, KILLS // 10)
    for _ in range(runs):
        kill_at_random(start(journal_home, "reindex"), rng, 0.8)
        entries = assert_journal_works(journal_home)
        assert len(entries) == 300
        assert (
            len(
                json.loads(
                    run_cli(journal_home, "history", "--json", "--search", "imported").stdout
                )["entries"]
            )
            == 300
        )
    print(f"\nkill -9 during index rebuilds: {runs} runs, index whole after each")


# --- several at once -----------------------------------------------------------------------


def test_concurrent_saves_imports_and_edits(journal_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "import.json"
    source.write_text(import_document(40))
    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="edit me").returncode == 0
    (edited_path,) = entry_files(journal_home)
    edited_id = parse_entry(edited_path.read_text()).id
    failures: list[str] = []

    def saver(worker: int) -> None:
        for n in range(SAVES):
            result = run_process(
                journal_home, "today", stdin=f"worker {worker} save {n} marker w{worker}s{n}z"
            )
            if result.returncode != 0:
                failures.append(result.stderr)

    def importer() -> None:
        for _ in range(3):
            result = run_process(journal_home, "import", str(source))
            if result.returncode != 0:
                failures.append(result.stderr)

    def editor() -> None:
        for n in range(SAVES):
            script = write_fake_editor(tmp_path, f"edit me, version {n}\n")
            result = run_process(journal_home, "edit", edited_id, EDITOR=script)
            if result.returncode != 0:
                failures.append(result.stderr)

    threads = [threading.Thread(target=saver, args=(w,)) for w in range(WORKERS)]
    threads += [threading.Thread(target=importer) for _ in range(2)]
    threads.append(threading.Thread(target=editor))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    texts = assert_every_file_is_whole(journal_home)
    saved = [t for t in texts if t.startswith("worker")]
    assert len(saved) == WORKERS * SAVES == len(set(saved))
    assert sum(t.startswith("imported entry") for t in texts) == 40
    assert parse_entry(edited_path.read_text()).text == f"edit me, version {SAVES - 1}"
    entries = assert_journal_works(journal_home)
    assert len(entries) == WORKERS * SAVES + 40 + 1
    for worker in range(WORKERS):
        found = json.loads(
            run_cli(journal_home, "history", "--json", "--search", f"w{worker}s0z").stdout
        )["entries"]
        assert len(found) == 1
    print(
        f"\nconcurrent: {WORKERS} x {SAVES} saves, 2 x 3 imports and {SAVES} edits at once, "
        "every entry once, index consistent"
    )


# --- no room, no permission ------------------------------------------------------------------


def limit_file_size(size: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def test_a_full_disk_prints_the_words_back(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="first, while there was room").returncode == 0
    text = "Words written when the disk was full; they must not be lost."
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "today"],
        input=text,
        capture_output=True,
        text=True,
        env=cli_env(journal_home),
        preexec_fn=limit_file_size(64),
    )
    assert result.returncode == 1
    assert "could not be saved" in result.stderr and "Traceback" not in result.stderr
    assert text in result.stdout  # handed back, to copy somewhere safe
    assert assert_every_file_is_whole(journal_home) == ["first, while there was room"]
    temps = [p for p in (journal_home / "data").rglob("*") if p.name.endswith(".tmp")]
    assert temps == []
    assert_journal_works(journal_home)


def without_write_permission() -> list[str]:
    """A prefix that makes even root respect permission bits, or [] when not root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv to drop the override")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_a_read_only_journal_keeps_the_words_in_the_recovery_folder(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="before").returncode == 0
    entries = journal_home / "data" / "entries"
    folders = [entries, *[p for p in entries.rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o500)
    text = "Written while the journal folder was read-only."
    try:
        result = subprocess.run(
            [
                *without_write_permission(),
                sys.executable,
                "-m",
                "layers_journal",
                "today",
                "--date",
                "yesterday",
            ],
            input=text,
            capture_output=True,
            text=True,
            env=cli_env(journal_home),
        )
    finally:
        for folder in folders:
            folder.chmod(0o700)
    assert result.returncode == 1, result.stderr
    assert "your words are safe in" in result.stderr and "journal doctor" in result.stderr
    kept = list((journal_home / "state" / "recovery").glob("*.md"))
    assert len(kept) == 1 and text in kept[0].read_text()
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert oct(kept[0].parent.stat().st_mode & 0o777) == "0o700"
    assert assert_every_file_is_whole(journal_home) == ["before"]
    # Once the folder is writable again, doctor puts the words where they belong.
    healed = run_cli(journal_home, "doctor", "--fix")
    assert "back into the journal" in healed.stderr, healed.stderr
    assert sorted(assert_every_file_is_whole(journal_home)) == sorted(["before", text])
    assert not kept[0].exists()


# --- promises kept under pressure -------------------------------------------------


def test_ctrl_c_while_waiting_for_the_journal_lock_keeps_the_words(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="first").returncode == 0
    (lock,) = (journal_home / "cache").glob("journal-*.lock")
    holder = os.open(lock, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another journal command, mid-import
    try:
        writer = subprocess.Popen(
            [sys.executable, "-m", "layers_journal", "today"],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            env=cli_env(journal_home),
        )
        assert writer.stdin is not None and writer.stderr is not None
        writer.stdin.write(b"Words typed while another command held the journal.")
        writer.stdin.close()
        ready, _, _ = select.select([writer.stderr], [], [], 20)
        said = os.read(writer.stderr.fileno(), 4096).decode() if ready else ""
        assert "Waiting for another journal command" in said
        writer.send_signal(signal.SIGINT)
        said += writer.stderr.read().decode()
        assert writer.wait(timeout=20) == 1
    finally:
        os.close(holder)
    assert "safe in" in said, said
    (kept,) = kept_in_recovery(journal_home)
    assert "Words typed while another command held the journal." in kept.read_text()


def test_ctrl_c_while_a_page_typed_in_the_terminal_waits_for_the_lock_keeps_one_copy(
    journal_home: Path,
) -> None:
    import pexpect

    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="first").returncode == 0
    (lock,) = (journal_home / "cache").glob("journal-*.lock")
    holder = os.open(lock, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        # A real terminal (the plain line reader, TERM=dumb), its page kept in a draft.
        child = pexpect.spawn(
            sys.executable,
            ["-m", "layers_journal", "today", "--mood", "3"],
            env=cli_env(journal_home, TERM="dumb"),
            encoding="utf-8",
            timeout=30,
        )
        child.expect("Ctrl-D saves")
        child.sendline("A page typed while another command held the journal.")
        child.sendeof()
        child.expect("Waiting for another journal command")
        child.sendintr()
        child.expect("safe in")
        child.expect(pexpect.EOF)
        child.close()
    finally:
        os.close(holder)
    assert child.exitstatus == 1
    (kept,) = kept_in_recovery(journal_home)
    assert "A page typed while another command held the journal." in kept.read_text()
    assert list((journal_home / "state" / "drafts").glob("draft-*")) == []  # not twice


def test_a_second_failed_save_of_the_same_entry_gets_its_own_recovery_file(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="The original words.").returncode == 0
    (entry,) = entry_files(journal_home)
    for attempt in ("first", "second"):
        # Meanwhile a sync client touches the entry, so the edit cannot land.
        editor = editor_script(
            tmp_path,
            f"""\
            target = pathlib.Path({str(entry)!r})
            target.write_text(target.read_text() + "touched by a sync client\\n")
            path.write_text("The {attempt} new words.")
            """,
            name=f"{attempt}.py",
        )
        result = run_cli(journal_home, "edit", entry.name[:24], EDITOR=editor)
        assert result.returncode == 1 and "safe in" in result.stderr, result.stderr
    kept = kept_in_recovery(journal_home)
    assert len(kept) == 2
    assert sorted(p.read_text().split("\n")[-2] for p in kept) == [
        "The first new words.",
        "The second new words.",
    ]
