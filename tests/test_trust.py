"""Trust, second campaign: one bad file never takes the journal down, no plaintext on
disk, no escape from the folder. One test per finding of the campaign, named after what
it protects; the hostile-value fuzzing is in test_hostile_values.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyrage
import pytest

from conftest import cli_env, editor_script, entry_files, run_cli

PASSPHRASE = "a slow walk by the river"
GENERIC = "Something unexpected"


def data(home: Path) -> Path:
    return home / "data"


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file of the journal folder and its bytes (links as their target)."""
    found = {}
    for path in sorted(data(home).rglob("*")) if data(home).exists() else []:
        if path.is_symlink():
            found[str(path)] = b"link:" + os.readlink(path).encode()
        elif path.is_file():
            found[str(path)] = path.read_bytes()
    return found


def kept_in_recovery(home: Path) -> list[Path]:
    folder = home / "state" / "recovery"
    return sorted(folder.glob("*.md*")) if folder.exists() else []


def plant_entry(
    home: Path,
    *,
    created: str = "2026-03-02T09:00:00+01:00",
    day: str = "2026-03-02",
    tz: str = "Europe/Berlin",
    entry_id: str = "2026-03-02-090000-plant1",
    body: str = "A planted page.",
    extra: str = "",
) -> Path:
    """An entry file written by hand (or by a careless sync client), as it is."""
    folder = data(home) / "entries" / entry_id[:4] / entry_id[5:7]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry_id}.md"
    path.write_text(
        f'+++\nid = "{entry_id}"\ncreated = {created}\nday = {day}\ntz = "{tz}"\n{extra}+++\n\n'
        f"{body}\n"
    )
    return path


def encrypted_journal(home: Path, texts: list[str]) -> None:
    for n, text in enumerate(texts):
        day = f"2026-03-{n + 2:02d}"
        assert run_cli(home, "today", "--date", day, stdin=text).returncode == 0
    assert run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0


def journal_identity(home: Path) -> Any:
    """The journal's private key, opened as the journal opens it (memoised in the tests
    that ask for it: scrypt takes seconds)."""
    from layers_journal.folder import crypto

    return crypto.unlock(data(home), PASSPHRASE)


# --- 1. one out-of-range value never breaks every command ------------------------------

OUT_OF_RANGE = {
    "year 0001 pushed before the calendar": {
        "created": "0001-01-01T00:30:00+01:00",
        "day": "0001-01-01",
        "entry_id": "0001-01-01-003000-early1",
    },
    "year 9999 pushed past the calendar": {
        "created": "9999-12-31T23:30:00-01:00",
        "day": "9999-12-31",
        "entry_id": "9999-12-31-233000-late01",
    },
    "a zone offset of 99 hours": {"tz": "UTC+99:99"},
    "a zone offset of letters": {"tz": "UTC+ab:cd"},
}


@pytest.mark.parametrize("case", OUT_OF_RANGE)
def test_an_entry_from_year_0001_or_9999_or_an_impossible_zone_is_skipped_and_named_not_fatal(
    case: str, journal_home: Path
) -> None:
    assert (
        run_cli(journal_home, "today", "--date", "2026-03-01", stdin="A good page.").returncode == 0
    )
    planted = plant_entry(journal_home, **OUT_OF_RANGE[case])
    before = planted.read_bytes()
    for args in (
        ["history"],
        ["layers"],
        ["export"],
        ["reindex"],
        ["doctor"],
        ["doctor", "--fix"],
    ):
        result = run_cli(journal_home, *args)
        assert GENERIC not in result.stderr, (args, result.stderr)
        assert planted.name in result.stderr, (args, result.stderr)  # named, every time
    saved = run_cli(journal_home, "today", stdin="Words piped in on a day with a bad file.")
    assert saved.returncode == 0, saved.stderr
    assert planted.name in saved.stderr
    texts = [
        e["text"] for e in json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    ]
    assert "Words piped in on a day with a bad file." in texts
    assert planted.read_bytes() == before  # never rewritten


def test_an_import_refuses_dates_past_the_calendar_before_writing_anything(
    journal_home: Path, tmp_path: Path
) -> None:
    good = {"created": "2026-03-02T09:00:00+01:00", "day": "2026-03-02", "tz": "Europe/Berlin"}
    document = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {"id": "2026-03-02-090000-first1", "text": "first", **good},
            {
                "id": "9999-12-31-233000-late01",
                "created": "9999-12-31T23:30:00-01:00",
                "day": "9999-12-31",
                "tz": "UTC",
                "text": "from the end of time",
            },
        ],
        "pauses": [],
    }
    sources = {
        "json": json.dumps(document),
        "jrnl, year 9999": "[2026-03-02 09:00] first\n\n[9999-12-31 23:30] the end of time\n",
        "jrnl, year 0001": "[2026-03-02 09:00] first\n\n[0001-01-01 10:00] the start of time\n",
    }
    for name, text in sources.items():
        source = tmp_path / "import.txt"
        source.write_text(text)
        result = run_cli(journal_home, "import", str(source))
        assert result.returncode == 1, (name, result.stderr)
        assert GENERIC not in result.stderr and "nothing was imported" in result.stderr, name
        assert snapshot(journal_home) == {}, name


def test_entries_in_the_hour_a_clock_change_repeats_or_skips_import_whole(
    journal_home: Path, tmp_path: Path
) -> None:
    """Proving what is written reads back must compare moments, not wall clocks: Python
    says two datetimes of a repeated or skipped hour in different zones are never equal."""
    source = tmp_path / "journal.txt"
    source.write_text(
        "[2026-10-25 02:30] the repeated hour\n\n[2026-03-29 02:30] the skipped hour\n"
    )
    result = run_cli(journal_home, "import", str(source), "--format", "jrnl")
    assert result.returncode == 0, result.stderr
    assert "Imported 2 entries" in result.stderr


@pytest.mark.parametrize(
    "item",
    [
        {"creationDate": "9999-12-31T23:30:00Z", "timeZone": "Pacific/Kiritimati"},
        {"creationDate": "0001-01-01T00:10:00Z", "timeZone": "America/New_York"},
        {"creationDate": "2026-03-02T09:00:00Z", "text": "x\ud800y"},
    ],
    ids=["past 9999", "before the calendar", "a lone surrogate"],
)
def test_a_day_one_import_with_values_the_journal_cannot_keep_changes_nothing(
    item: dict[str, str], journal_home: Path, tmp_path: Path
) -> None:
    """The Day One importer, like the others: checked whole before anything is written."""
    good = {"uuid": "A1", "creationDate": "2026-03-01T09:00:00Z", "text": "a good page"}
    document = {"metadata": {"version": "1.0"}, "entries": [good, {"uuid": "B2", **item}]}
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps(document))
    result = run_cli(journal_home, "import", str(source), "--format", "dayone")
    assert result.returncode == 1 and GENERIC not in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert snapshot(journal_home) == {}


# --- 2. no plaintext in temp files while searching an encrypted journal -----------------


def many_entries_document(count: int, size: int) -> str:
    filler = ("We walked along the river and talked about the week. " * (size // 54 + 1))[:size]
    entries = [
        {
            "id": f"2020-01-01-{n // 3600 % 24:02d}{n // 60 % 60:02d}{n % 60:02d}-m{n:05d}",
            "created": f"2020-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}+01:00",
            "day": "2020-01-01",
            "tz": "Europe/Berlin",
            "text": f"walk {n} {filler}",
        }
        for n in range(count)
    ]
    return json.dumps({"format": "layers-journal", "version": 1, "entries": entries})


def search_leaves_no_temp_file(home: Path, tmp_path: Path, count: int, size: int) -> None:
    source = tmp_path / "many.json"
    source.write_text(many_entries_document(count, size))
    # Encrypted first, so the import writes each entry sealed straight away.
    assert run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    assert run_cli(home, "import", str(source)).returncode == 0
    # SQLite puts its temp files in SQLITE_TMPDIR and unlinks them at once: creating one
    # still changes the folder's modification time, which is what is watched here.
    temp = tmp_path / "sqlite-temp"
    temp.mkdir(mode=0o700)
    os.utime(temp, ns=(0, 0))
    env = cli_env(
        home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE, SQLITE_TMPDIR=str(temp), TMPDIR=str(temp)
    )
    command = [sys.executable, "-m", "layers_journal", "history", "--search", "walk", "--json"]
    trace = tmp_path / "openat.txt"
    strace = shutil.which("strace")
    if strace:  # on Linux, also every file the process creates, seen by the kernel
        command = [strace, "-f", "-qq", "-e", "trace=open,openat,creat", "-o", str(trace), *command]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if strace and "ptrace" in result.stderr and result.returncode != 0:
        pytest.skip("strace cannot trace here (ptrace not permitted)")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["entries"]) == count
    assert os.stat(temp).st_mtime_ns == 0, "SQLite created a temp file for the search"
    assert list(temp.iterdir()) == []
    if strace:
        created = [
            line.split('"')[1]
            for line in trace.read_text().splitlines()
            if "O_CREAT" in line and '"' in line and "ENOENT" not in line
        ]
        # Only the index (metadata only) and lock in the cache folder, never a temp file.
        outside = [path for path in created if not path.startswith(str(home / "cache"))]
        assert outside == [], outside
        assert created, "the trace saw nothing: it did not work"


def test_searching_an_encrypted_journal_puts_no_plaintext_in_temp_files(
    journal_home: Path, tmp_path: Path
) -> None:
    # 16 long entries, 4 MB: past SQLite's 2 MB of sort memory, so without
    # temp_store=MEMORY the sort spills the decrypted text into a temp file.
    search_leaves_no_temp_file(journal_home, tmp_path, count=16, size=256_000)


def test_the_connection_holding_decrypted_text_keeps_its_temp_storage_in_memory(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from layers_journal.index import Query
    from layers_journal.index import search as index_search
    from layers_journal.journal.facade import Journal
    from layers_journal.model.query import parse_search

    encrypted_journal(journal_home, ["walk one", "walk two"])
    settings: list[int] = []
    real_query = index_search.run_query

    def watched(db: sqlite3.Connection, query: Query) -> sqlite3.Cursor:
        settings.append(db.execute("PRAGMA temp_store").fetchone()[0])
        return real_query(db, query)

    monkeypatch.setattr(index_search, "run_query", watched)
    monkeypatch.setenv("LAYERS_JOURNAL_PASSPHRASE", PASSPHRASE)
    assert len(Journal.open().finder.query(Query(search=parse_search("walk")))) == 2
    assert settings == [2]  # 2 is MEMORY: the in-memory search spills nothing to disk


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("LAYERS_JOURNAL_LONG") != "1", reason="LAYERS_JOURNAL_LONG=1")
def test_searching_ten_years_of_an_encrypted_journal_puts_no_plaintext_in_temp_files(
    journal_home: Path, tmp_path: Path
) -> None:
    search_leaves_no_temp_file(journal_home, tmp_path, count=3650, size=1_000)


# --- 3. encrypt, trash and restore act on regular files only ----------------------------


def test_encrypt_never_follows_a_link_or_waits_on_a_fifo_named_like_an_entry(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="A real page.").returncode == 0
    folder = entry_files(journal_home)[0].parent
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:not the journal's:/root:/bin/sh\n")
    (folder / "2026-01-01-000000-linkd1.md").symlink_to(secret)
    os.mkfifo(folder / "2026-01-01-000000-fifo01.md")
    # A real process: on a FIFO the old encrypt hung forever, holding the journal lock.
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "encrypt"],
        capture_output=True,
        text=True,
        env=cli_env(journal_home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE),
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "Encrypted 1 entry" in result.stderr
    assert "linkd1" in result.stderr and "fifo01" in result.stderr  # named, left alone
    assert (folder / "2026-01-01-000000-linkd1.md").is_symlink()
    assert stat.S_ISFIFO(os.lstat(folder / "2026-01-01-000000-fifo01.md").st_mode)
    # Only the real page was sealed: nothing of what the link points at is in the journal.
    (sealed,) = data(journal_home).rglob("*.md.age")
    assert (sealed.parent / sealed.name.replace(".md.age", ".meta.toml")).exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            sealed.name,
            sealed.name.replace(".md.age", ".meta.toml"),
            "2026-01-01-000000-fifo01.md",
            "2026-01-01-000000-linkd1.md",
        ]
    )


def test_restore_never_brings_back_a_link_planted_in_the_trash(
    journal_home: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("+++\nnot an entry of this journal\n+++\n")
    trash = data(journal_home) / "trash" / "2026" / "03"
    trash.mkdir(parents=True)
    (trash / "2026-03-02-090000-linked.md").symlink_to(outside)
    result = run_cli(journal_home, "restore", "2026-03-02-090000-linked")
    assert result.returncode == 1 and GENERIC not in result.stderr
    assert not (
        data(journal_home) / "entries" / "2026" / "03" / "2026-03-02-090000-linked.md"
    ).exists()
    assert (trash / "2026-03-02-090000-linked.md").is_symlink()


# --- 4. never write through a symlinked folder under the journal ------------------------


def test_today_refuses_to_write_through_a_symlinked_month_folder_and_keeps_the_words(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="Before the link.").returncode == 0
    month = entry_files(journal_home)[0].parent
    month.rename(month.with_name("moved-away"))
    outside = tmp_path / "outside"
    outside.mkdir()
    month.symlink_to(outside, target_is_directory=True)
    result = run_cli(journal_home, "today", stdin="Words that must not leave the journal.")
    assert result.returncode == 1
    assert "symbolic link" in result.stderr and "safe in" in result.stderr
    assert "Saved" not in result.stderr and list(outside.iterdir()) == []
    (kept,) = kept_in_recovery(journal_home)
    assert "Words that must not leave the journal." in kept.read_text()


# --- 5. Ctrl-C while waiting for the journal lock keeps the words -----------------------


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


# --- 6. a journal-key.pub that is not the journal's own ---------------------------------


def test_a_public_key_that_is_not_the_journals_own_stops_writing_and_doctor_says_so(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["A first page."])
    pub = data(journal_home) / "journal-key.pub"
    stranger = pyrage.x25519.Identity.generate()
    pub.write_text(f"{stranger.to_public()}\n")  # a sync client brought someone else's
    before = {p.name for p in entry_files(journal_home)}

    result = run_cli(journal_home, "today", stdin="Words for my eyes only.")
    assert result.returncode == 1
    assert "journal-key.pub" in result.stderr and "safe in" in result.stderr
    assert {p.name for p in entry_files(journal_home)} == before  # nothing sealed to it
    (kept,) = kept_in_recovery(journal_home)
    own = journal_identity(journal_home)
    opened = pyrage.decrypt(kept.read_bytes(), [own])
    assert b"Words for my eyes only." in opened  # sealed to the journal's own key
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(kept.read_bytes(), [stranger])

    doctor = run_cli(journal_home, "doctor")
    assert doctor.returncode == 1 and "does not belong to the journal's own key" in doctor.stderr
    mended = run_cli(journal_home, "doctor", "--fix", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert "public key" in mended.stderr, mended.stderr
    assert pub.read_text().strip() == str(own.to_public())  # type: ignore[attr-defined]
    assert run_cli(journal_home, "today", stdin="And now it lands.").returncode == 0


def test_doctor_with_the_passphrase_finds_a_foreign_public_key_on_any_machine(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["A first page."])
    for pin in (journal_home / "state").glob("journal-*.pub"):
        pin.unlink()  # a machine that never opened this journal's key
    pub = data(journal_home) / "journal-key.pub"
    pub.write_text(f"{pyrage.x25519.Identity.generate().to_public()}\n")
    doctor = run_cli(journal_home, "doctor", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert doctor.returncode == 1, doctor.stderr
    assert "does not belong to the journal's own key" in doctor.stderr


# --- 7. one damaged .md.age is named and skipped everywhere -----------------------------


def test_one_damaged_encrypted_entry_is_named_and_skipped_by_every_command(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["walk one", "walk two", "walk three"])
    damaged = sorted(p for p in entry_files(journal_home) if p.name.endswith(".md.age"))[1]
    content = bytearray(damaged.read_bytes())
    content[-5] ^= 1  # one flipped bit, as a failing disk or sync leaves it
    damaged.write_bytes(bytes(content))
    env = {"LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}

    searched = run_cli(journal_home, "history", "--search", "walk", "--json", **env)
    assert searched.returncode == 0, searched.stderr
    assert len(json.loads(searched.stdout)["entries"]) == 2
    assert damaged.name in searched.stderr and GENERIC not in searched.stderr
    shown = run_cli(journal_home, "show", damaged.name[:24], **env)
    assert shown.returncode == 1 and damaged.name in shown.stderr and GENERIC not in shown.stderr
    exported = run_cli(journal_home, "export", **env)
    assert exported.returncode == 1 and damaged.name in exported.stderr
    assert len(json.loads(exported.stdout)["entries"]) == 2
    doctor = run_cli(journal_home, "doctor", **env)
    assert doctor.returncode == 1 and damaged.name in doctor.stderr, doctor.stderr

    decrypted = run_cli(journal_home, "decrypt", **env)
    assert decrypted.returncode == 1 and damaged.name in decrypted.stderr, decrypted.stderr
    assert "Decrypted 2 entries" in decrypted.stderr
    assert damaged.read_bytes() == bytes(content)  # left exactly as it was
    assert (data(journal_home) / "journal-key.age").exists()  # so it can still be opened
    assert len([p for p in entry_files(journal_home) if p.name.endswith(".md")]) == 2


def test_doctor_without_the_passphrase_finds_an_encrypted_entry_that_is_no_age_file(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["a page"])
    (sealed,) = (p for p in entry_files(journal_home) if p.name.endswith(".md.age"))
    sealed.write_bytes(b"\0" * 64)
    doctor = run_cli(journal_home, "doctor")
    assert doctor.returncode == 1 and sealed.name in doctor.stderr


# --- 8. an empty passphrase is refused on every path -----------------------------------


def test_an_empty_passphrase_file_is_refused_on_every_path(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    secrets = []
    for n, content in enumerate(["", "\n", "\r\n"]):
        secrets.append(tmp_path / f"passphrase-{n}")
        secrets[-1].write_text(content)
    for secret in secrets:
        result = run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE_FILE=str(secret))
        assert result.returncode == 1 and "empty passphrase" in result.stderr
        assert not (data(journal_home) / "journal-key.age").exists()
    encrypted_journal(journal_home, [])
    for secret in secrets:
        reading = run_cli(journal_home, "history", LAYERS_JOURNAL_PASSPHRASE_FILE=str(secret))
        assert reading.returncode == 1 and "empty passphrase" in reading.stderr
    # Nor is a device read until memory runs out: it is refused unread.
    device = run_cli(journal_home, "history", LAYERS_JOURNAL_PASSPHRASE_FILE="/dev/zero")
    assert device.returncode == 1 and "not a regular file" in device.stderr


# --- 9 and 10. imports are all or nothing, and only what reads back ---------------------


def import_document(*entries: dict[str, object], pauses: tuple[dict[str, object], ...] = ()) -> str:
    return json.dumps(
        {"format": "layers-journal", "version": 1, "entries": list(entries), "pauses": list(pauses)}
    )


def entry_item(n: int, **changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": f"2026-03-0{n}-090000-impt0{n}",
        "created": f"2026-03-0{n}T09:00:00+01:00",
        "day": f"2026-03-0{n}",
        "tz": "Europe/Berlin",
        "text": f"page {n}",
    }
    item.update(changes)
    return item


LONE_SURROGATE = "x\ud800y"
UNREADABLE_IMPORTS = {
    "a lone surrogate in the text": import_document(
        entry_item(1), entry_item(2), entry_item(3, text=LONE_SURROGATE)
    ),
    "a lone surrogate in the prompt": import_document(
        entry_item(1), entry_item(2, prompt=LONE_SURROGATE)
    ),
    "a lone surrogate in a pause note": import_document(
        entry_item(1),
        pauses=({"id": "p1", "start": "2026-03-05", "end": "2026-03-06", "note": LONE_SURROGATE},),
    ),
    "an id ending in a newline": import_document(
        entry_item(1), entry_item(2, id="2026-03-02-090000-impt02\n")
    ),
    "an offset with seconds": import_document(
        entry_item(1), entry_item(2, created="2026-03-02T09:00:00+05:30:15")
    ),
    "an id with other scripts' digits": import_document(
        entry_item(1), entry_item(2, id="٢٠٢٦-03-02-090000-impt02")
    ),
    "a pause of eight thousand years": import_document(
        entry_item(1),
        pauses=({"id": "p1", "start": "1001-01-01", "end": "9998-01-01", "note": None},),
    ),
}


@pytest.mark.parametrize("case", UNREADABLE_IMPORTS)
def test_an_import_the_journal_could_not_read_back_changes_nothing(
    case: str, journal_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "import.json"
    source.write_text(UNREADABLE_IMPORTS[case])
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1, result.stderr
    assert "nothing was imported" in result.stderr and GENERIC not in result.stderr
    assert snapshot(journal_home) == {}


# --- 11. an export always imports back ---------------------------------------------------


def test_an_export_imports_back_even_with_a_zone_this_system_does_not_know(
    journal_home: Path, tmp_path: Path
) -> None:
    plant_entry(journal_home, tz="Mars/Olympus_Mons")
    assert (
        run_cli(journal_home, "today", "--date", "2026-03-01", stdin="Earth page.").returncode == 0
    )
    exported = run_cli(journal_home, "export")
    assert exported.returncode == 0, exported.stderr
    source = tmp_path / "export.json"
    source.write_text(exported.stdout)
    other = tmp_path / "elsewhere"
    imported = run_cli(other, "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 entries" in imported.stderr and "Mars/Olympus_Mons" in imported.stderr
    assert json.loads(run_cli(other, "export").stdout) == json.loads(exported.stdout)


# --- 12. escape sequences never reach the terminal ----------------------------------------

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\r"


def test_control_characters_in_any_text_never_reach_the_terminal_but_stay_in_the_files(
    journal_home: Path, tmp_path: Path
) -> None:
    prompts = journal_home / "config" / "prompts.toml"
    prompts.parent.mkdir(parents=True)
    prompts.write_text(
        '[[prompt]]\nid = "mine-001"\ntheme = "awareness"\ndepth = 1\n'
        'text = "What did you notice?\\u001b[2J"\n'
    )
    text = f"Ordinary words{ESCAPES}and more."
    assert run_cli(journal_home, "today", "--tag", "x\x1b[31m", stdin=text).returncode == 0
    (entry,) = entry_files(journal_home)
    assert text.encode() in entry.read_bytes()  # the file keeps the text exactly
    (entry.parent / f"2026-03-02-090000-evil{ESCAPES[:4]}.md").write_text("+++\n")
    source = tmp_path / "import.json"
    source.write_text(import_document(entry_item(1, id=f"bad{ESCAPES}", text="x")))
    runs = [
        run_cli(journal_home, "history", "--full"),
        run_cli(journal_home, "history"),
        run_cli(journal_home, "show", entry.name[:24]),
        run_cli(journal_home, "today", "--show"),
        run_cli(journal_home, "prompts", "--theme", "awareness"),
        run_cli(journal_home, "import", str(source)),
        run_cli(journal_home, "export", "--format", "markdown", "--output", str(tmp_path / "x.md")),
    ]
    for result in runs:
        for channel in (result.stdout, result.stderr):
            assert not any(ch in channel for ch in "\x1b\x07\x9b\r"), repr(channel[-300:])
    assert "␛[2J" in runs[0].stdout  # shown, harmlessly
    exact = json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"][0]
    assert exact["text"] == text and exact["tags"] == ["x\x1b[31m"]
    assert text.encode() in (tmp_path / "x.md").read_bytes()  # an export file keeps it exactly


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, ünïcödé, 漢字", "plain words, ünïcödé, 漢字"),
        ("a\tb\nc", "a\tb\nc"),  # layout is kept
        ("windows\r\nline", "windows\nline"),
        ("\x1b[2J\x1b]0;title\x07", "␛[2J␛]0;title␇"),
        ("over\rwrite", "over␍write"),
        ("c1 \x9b31m and del \x7f and nul \x00", "c1 \ufffd31m and del ␡ and nul ␀"),
    ],
)
def test_what_reaches_a_terminal_shows_control_characters_as_marks(text: str, shown: str) -> None:
    from layers_journal.ui.terminal import printable

    assert printable(text) == shown


# --- 13. bounded reads -------------------------------------------------------------------


def limited_memory(size: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply


def test_endless_input_is_cut_at_the_entry_limit_and_what_was_read_is_kept(
    journal_home: Path,
) -> None:
    # A real process: `yes | journal today` used to grow until memory ran out.
    producer = subprocess.Popen(["yes", "more and more"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "layers_journal", "today"],
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            env=cli_env(journal_home),
            timeout=60,
            preexec_fn=limited_memory(1024 * 2**20),
        )
    finally:
        producer.kill()
        producer.wait()
    assert result.returncode == 1, result.stderr
    assert "longer than one entry can hold" in result.stderr and "safe in" in result.stderr
    assert entry_files(journal_home) == []
    (kept,) = kept_in_recovery(journal_home)
    assert 15 * 2**20 < kept.stat().st_size < 17 * 2**20


def test_a_huge_file_named_like_an_entry_is_refused_without_being_read(
    journal_home: Path,
) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    huge = entry_files(journal_home)[0].parent / "2026-01-01-000000-huge01.md"
    with open(huge, "wb") as handle:
        handle.truncate(3 * 2**30)  # sparse: 3 GB that take no room
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "history"],
        capture_output=True,
        text=True,
        env=cli_env(journal_home),
        timeout=60,
        preexec_fn=limited_memory(768 * 2**20),
    )
    assert result.returncode == 0, result.stderr
    assert "huge01" in result.stderr and "too large" in result.stderr


# --- 14. doctor --fix only touches the journal's own files ---------------------------------


def test_doctor_fix_leaves_a_users_own_meta_toml_alone(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    mine = entry_files(journal_home)[0].parent / "my-notes.meta.toml"
    mine.write_text("mine = true\n")
    mine.chmod(0o600)
    run_cli(journal_home, "doctor", "--fix")
    assert mine.read_text() == "mine = true\n"


# --- 15 and 16. recovery never collides and takes any size ---------------------------------


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


def test_text_over_the_entry_limit_from_the_editor_is_kept_whole_in_recovery(
    journal_home: Path, tmp_path: Path
) -> None:
    editor = editor_script(tmp_path, 'path.write_text("long " * (17 * 1024 * 1024 // 5))\n')
    result = run_cli(journal_home, "today", "--editor", EDITOR=editor)
    assert result.returncode == 1 and "longer than one entry can hold" in result.stderr
    assert "safe in" in result.stderr
    (kept,) = kept_in_recovery(journal_home)
    assert kept.stat().st_size > 17 * 1024 * 1024 - 100
    assert entry_files(journal_home) == []


def test_an_edit_past_the_entry_limit_leaves_the_entry_readable_and_keeps_the_text(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="A short page.").returncode == 0
    (entry,) = entry_files(journal_home)
    before = entry.read_bytes()
    editor = editor_script(tmp_path, 'path.write_text("long " * (17 * 1024 * 1024 // 5))\n')
    result = run_cli(journal_home, "edit", entry.name[:24], EDITOR=editor)
    assert result.returncode == 1 and "longer than one entry can hold" in result.stderr
    assert entry.read_bytes() == before  # still a readable entry, not an oversized file
    (kept,) = kept_in_recovery(journal_home)
    assert kept.stat().st_size > 17 * 1024 * 1024 - 100


# --- 17. the smaller crashes ----------------------------------------------------------------


def nested_json(depth: int) -> str:
    return (
        '{"format": "layers-journal", "version": 1, "entries": ' + "[" * depth + "]" * depth + "}"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(nested_json(100_000), id="JSON nested 100,000 deep"),
        pytest.param(
            import_document(entry_item(1, mood=0)).replace('"mood": 0', '"mood": ' + "9" * 5000),
            id="a 5,000-digit mood",
        ),
        pytest.param("[0001-01-01 10:00] the start of time\n", id="jrnl with year 0001"),
    ],
)
def test_a_hostile_import_is_one_sentence_not_a_crash(
    text: str, journal_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "import.txt"
    source.write_text(text)
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1 and GENERIC not in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert snapshot(journal_home) == {}


BROKEN_SETTINGS = {
    "deeply nested config.toml": ("config", "a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "NUL in journal_dir": ("config", 'journal_dir = "/tmp/a\\u0000b"\n'),
    "a config typo": ("config", 'day_strat = "04:00"\n'),
    "LAYERS_JOURNAL_HOME pointing at a file": ("home-file", ""),
    "LAYERS_JOURNAL_HOME set but empty": ("home-empty", ""),
}


@pytest.mark.parametrize("case", BROKEN_SETTINGS)
def test_piped_words_survive_a_setting_that_stops_the_journal_early(
    case: str, journal_home: Path, tmp_path: Path
) -> None:
    kind, content = BROKEN_SETTINGS[case]
    home, env = journal_home, {}
    if kind == "config":
        (journal_home / "config").mkdir(parents=True)
        (journal_home / "config" / "config.toml").write_text(content)
    elif kind == "home-file":
        home = tmp_path / "a-file"
        home.write_text("")
    else:
        # Where the usual places would be, kept inside the test: an empty variable once
        # meant the person's real journal.
        fake = tmp_path / "real-home"
        env = {"LAYERS_JOURNAL_HOME": "", "HOME": str(fake), "XDG_DATA_HOME": str(fake)}
        env |= {
            "XDG_CONFIG_HOME": str(fake),
            "XDG_CACHE_HOME": str(fake),
            "XDG_STATE_HOME": str(fake),
        }
    words = "Words written on a day the settings were broken."
    result = run_cli(home, "today", stdin=words, **env)
    assert result.returncode == 1 and GENERIC not in result.stderr, result.stderr
    assert words in result.stdout  # printed back: no journal could be opened to keep them


def test_an_unexpected_failure_after_the_words_are_read_still_keeps_them(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch, invoke: Any
) -> None:
    from layers_journal.folder import entries

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr(entries, "new_entry", broken)  # fails once the words are in hand
    result = invoke("today", input="Words that met a bug.")
    assert result.exit_code == 1
    assert "unexpected" in result.stderr and "safe in" in result.stderr
    (kept,) = kept_in_recovery(journal_home)
    assert "Words that met a bug." in kept.read_text()


def test_a_broken_tz_variable_still_saves_todays_words(journal_home: Path) -> None:
    # A real process: TZ is read by the C library, once per process.
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "today"],
        input="Written under TZ=UTC+99:99.",
        capture_output=True,
        text=True,
        env=cli_env(journal_home, TZ="UTC+99:99"),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "time zone" in result.stderr  # said once, gently
    texts = [
        e["text"] for e in json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    ]
    assert texts == ["Written under TZ=UTC+99:99."]


def test_an_unreadable_recovery_file_is_named_and_doctor_fix_carries_on(
    journal_home: Path,
) -> None:
    recovery = journal_home / "state" / "recovery"
    recovery.mkdir(parents=True)
    broken = recovery / "2026-03-02-090000-broke1.md"
    broken.write_text("not an entry at all\n")
    good = recovery / "2026-03-02-100000-fine01.md"
    good.write_text(
        '+++\nid = "2026-03-02-100000-fine01"\ncreated = 2026-03-02T10:00:00+01:00\n'
        'day = 2026-03-02\ntz = "Europe/Berlin"\n+++\n\nKept words.\n'
    )
    for path in (recovery, broken, good):
        path.chmod(0o700 if path.is_dir() else 0o600)
    result = run_cli(journal_home, "doctor", "--fix")
    assert GENERIC not in result.stderr and broken.name in result.stderr, result.stderr
    assert broken.exists() and not good.exists()
    texts = [
        e["text"] for e in json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    ]
    assert texts == ["Kept words."]


def test_words_that_cannot_be_printed_back_are_said_on_stderr_not_a_traceback(
    journal_home: Path,
) -> None:
    import resource

    assert run_cli(journal_home, "today", stdin="first, while there was room").returncode == 0

    def full_disk() -> None:  # no file can grow, so neither the journal nor recovery
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    with open("/dev/full", "w") as full:
        # A real process: no room on disk, and its stdout is full too.
        result = subprocess.run(
            [sys.executable, "-m", "layers_journal", "today"],
            input="Words with nowhere to go.",
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(journal_home),
            timeout=60,
            preexec_fn=full_disk,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert "Words with nowhere to go." in result.stderr


def test_a_month_folder_nobody_can_read_is_reported_by_doctor(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    month = entry_files(journal_home)[0].parent
    month.chmod(0o000)
    try:
        result = run_cli(journal_home, "doctor")
    finally:
        month.chmod(0o700)
    assert result.returncode == 1 and str(month) in result.stderr, result.stderr


def test_a_pause_file_of_eight_thousand_years_is_skipped_and_layers_stays_quick(
    journal_home: Path,
) -> None:
    pauses = data(journal_home) / "pauses"
    pauses.mkdir(parents=True)
    (pauses / "forever.toml").write_text('id = "forever"\nstart = 1001-01-01\nend = 9998-12-31\n')
    started = time.monotonic()
    result = run_cli(journal_home, "layers")
    assert result.returncode == 0 and "forever.toml" in result.stderr
    assert time.monotonic() - started < 10
