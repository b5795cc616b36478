"""Hostile and hand-broken files, and `journal doctor` finding each planted problem."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.cli import cli_env, editor_script, run_cli
from helpers.documents import ZONE, break_one_entry, entry_files
from helpers.hostile import GENERIC
from layers_journal.errors import ImportFormatError
from layers_journal.formats.exchange import read_import

PASSPHRASE = "a quiet passphrase"
GOOD_ID = "2026-11-20-080000-good01"


def good_entry(home: Path) -> Path:
    assert run_cli(home, "today", "--date", "yesterday", stdin="A good page.").returncode == 0
    return entry_files(home)[0]


def plant(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


HOSTILE = {
    "2026-01-01-000000-trunc1.md": b'+++\nid = "2026-01-01-000000-trunc1"\ncreated = 2026-01-01T00:00',
    "2026-01-01-000000-nofrm1.md": b"Just some words, no front matter at all.\n",
    "2026-01-01-000000-types1.md": b'+++\nid = "2026-01-01-000000-types1"\ncreated = "today"\nday = 5\nmood = "ok"\n+++\n\nx',
    "2026-01-01-000000-dupkey.md": b'+++\nid = "2026-01-01-000000-dupkey"\nid = "2026-01-01-000000-dupkey"\n+++\n\nx',
    "2026-01-01-000000-nested.md": b"+++\nx = " + b"[" * 20000 + b"]" * 20000 + b"\n+++\n\nx",
    "2026-01-01-000000-bytes1.md": b'+++\nid = "\xff\xfe"\n+++\n\n\x80\x81 not utf-8',
    "2026-01-01-000000-wrongd.md": b'+++\nid = "2026-01-01-000000-other1"\ncreated = 2026-01-01T00:00:00+01:00\nday = 2026-01-01\n+++\n\nid and file name differ',
}


@pytest.fixture
def hostile(journal_home: Path, tmp_path: Path) -> Path:
    """A journal with one good entry and every kind of trouble planted beside it."""
    good = good_entry(journal_home)
    folder = good.parent
    for name, content in HOSTILE.items():
        plant(folder, name, content)
    big = folder / "2026-01-01-000000-bigone.md"
    with open(big, "wb") as handle:
        handle.write(
            b'+++\nid = "2026-01-01-000000-bigone"\ncreated = 2026-01-01T00:00:00+01:00\nday = 2026-01-01\n+++\n\n'
        )
        handle.write(b"a long, long page " * (50 * 1024 * 1024 // 18))
    outside = tmp_path / "outside-secret.md"
    outside.write_text(good.read_text().replace("A good page.", "Outside the journal."))
    (folder / "2026-01-01-000000-linked.md").symlink_to(outside)
    (folder / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    plant(folder, good.stem + ".sync-conflict-20261120-101010-ABCDEF.md", good.read_bytes())
    plant(folder, good.stem + " (conflicted copy 2026-11-20).md", good.read_bytes())
    return journal_home


def test_hostile_files_never_crash_a_command_and_are_never_rewritten(hostile: Path) -> None:
    folder = entry_files(hostile)[0].parent
    before = {
        p.name: p.read_bytes() if not p.is_symlink() else b"link"
        for p in folder.iterdir()
        if p.name != "2026-01-01-000000-bigone.md"
    }
    for args in (
        ["history", "--json"],
        ["layers", "--json"],
        ["today", "--show"],
        ["export"],
        ["history", "--search", "outside"],
        ["reindex"],
    ):
        result = run_cli(hostile, *args)
        # An export that had to leave files out says so: a backup is never silently partial.
        assert result.returncode == (1 if args == ["export"] else 0), (args, result.stderr)
        assert "Traceback" not in result.stderr
    entries = json.loads(run_cli(hostile, "history", "--json").stdout)["entries"]
    assert [e["text"] for e in entries] == ["A good page."]  # the symlink was not followed
    warnings = run_cli(hostile, "history").stderr
    assert "Skipped" in warnings and "journal doctor lists them all" in warnings
    after = {
        p.name: p.read_bytes() if not p.is_symlink() else b"link"
        for p in folder.iterdir()
        if p.name != "2026-01-01-000000-bigone.md"
    }
    assert after == before


def test_doctor_finds_each_planted_problem(hostile: Path) -> None:
    result = run_cli(hostile, "doctor")
    assert result.returncode == 1
    report = result.stderr
    expectations = {
        "trunc1": "no closing +++",
        "nofrm1": "does not start with a +++",
        "types1": "created time",
        "dupkey": "not valid TOML",
        "nested": "nested too deeply",
        "bytes1": "not UTF-8",
        "wrongd": "does not match its file name",
        "bigone": "too large to be an entry",
        "linked.md": "symbolic link",
        "linked-folder": "symbolic link",
        "sync-conflict": "sync conflict copy",
        "conflicted copy": "sync conflict copy",
    }
    lines = report.splitlines()
    for name, reason in expectations.items():
        assert any(name in line and reason in line for line in lines), (name, report)


def test_doctor_is_quiet_on_a_healthy_journal(journal_home: Path) -> None:
    good_entry(journal_home)
    result = run_cli(journal_home, "doctor")
    assert result.returncode == 0 and "All is well: 1 entry" in result.stderr


def test_doctor_finds_and_mends_loose_permissions(journal_home: Path) -> None:
    path = good_entry(journal_home)
    path.chmod(0o644)
    path.parent.chmod(0o755)
    result = run_cli(journal_home, "doctor")
    assert (
        result.returncode == 1
        and "can be read by others (mode 644, should be 600)" in result.stderr
    )
    assert "mode 755, should be 700" in result.stderr
    fixed = run_cli(journal_home, "doctor", "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert (
        oct(path.stat().st_mode & 0o777) == "0o600"
        and oct(path.parent.stat().st_mode & 0o777) == "0o700"
    )


def test_doctor_recovers_a_draft_left_by_a_killed_journal(
    journal_home: Path, tmp_path: Path
) -> None:
    good_entry(journal_home)
    editor = editor_script(
        tmp_path,
        """\
        import os, signal
        path.write_text(path.read_text() + "Half an hour of careful writing.\\n")
        os.kill(os.getppid(), signal.SIGKILL)  # the journal dies while the editor is open
        """,
    )
    subprocess.run(
        [sys.executable, "-m", "layers_journal", "today", "--editor"],
        env=cli_env(journal_home, EDITOR=editor),
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    result = run_cli(journal_home, "doctor")
    assert (
        result.returncode == 1 and "an editor draft left when the journal stopped" in result.stderr
    )
    fixed = run_cli(journal_home, "doctor", "--fix")
    assert fixed.returncode == 0, fixed.stderr
    saved = json.loads(run_cli(journal_home, "history", "--json", "--tag", "recovered").stdout)[
        "entries"
    ]
    assert [e["text"] for e in saved] == ["Half an hour of careful writing."]
    assert saved[0]["theme"] == "awareness" and saved[0]["prompt"]  # what it was to be
    assert not list((journal_home / "state" / "drafts").glob("draft-*"))


def test_a_draft_whose_journal_still_runs_is_left_alone(journal_home: Path) -> None:
    folder = journal_home / "state" / "drafts" / "draft-live"
    folder.mkdir(parents=True, mode=0o700)
    for place in (journal_home / "state", folder.parent):
        place.chmod(0o700)
    (folder / "entry.md").write_text("still being written")
    (folder / "draft.toml").write_text(f"pid = {os.getpid()}\n")
    for made in folder.iterdir():
        made.chmod(0o600)
    result = run_cli(journal_home, "doctor")
    assert result.returncode == 0, result.stderr


def test_doctor_finds_a_damaged_index_and_rebuilds_it(journal_home: Path) -> None:
    good_entry(journal_home)
    (database,) = (journal_home / "cache").glob("index-*.sqlite3")
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM entries")
    result = run_cli(journal_home, "doctor")
    assert result.returncode == 1 and "the index lists 0 entries for 1 entry files" in result.stderr
    assert run_cli(journal_home, "doctor", "--fix").returncode == 0


def test_doctor_finds_an_interrupted_encryption_and_leftover_metadata(journal_home: Path) -> None:
    good = good_entry(journal_home)
    (journal_home / "data" / "journal-key.pub").write_text("age1qqqq\n")
    plant(good.parent, "2026-01-02-000000-orphan.meta.toml", b'id = "2026-01-02-000000-orphan"\n')
    report = run_cli(journal_home, "doctor").stderr
    assert "one half of the journal key is missing" in report
    assert "still in plain text in this encrypted journal" in report
    assert "metadata of an encrypted entry that is no longer there" in report


def test_doctor_rebuilds_lost_metadata_with_the_passphrase(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="sealed page")
    run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    (meta,) = (journal_home / "data" / "entries").rglob("*.meta.toml")
    meta.unlink()
    report = run_cli(journal_home, "doctor")
    assert report.returncode == 1 and "without its .meta.toml" in report.stderr
    fixed = run_cli(journal_home, "doctor", "--fix", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert fixed.returncode == 0, fixed.stderr
    assert meta.exists()


# --- fuzzing the importers ---------------------------------------------------------------

fields = st.dictionaries(
    st.sampled_from(
        ["id", "created", "day", "tz", "theme", "prompt_id", "prompt", "mood", "tags", "text"]
    ),
    st.none()
    | st.booleans()
    | st.integers(-3, 9)
    | st.text(max_size=30)
    | st.lists(st.text(max_size=5), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    entries=st.lists(fields, max_size=4),
    extra=st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
def test_the_json_importer_accepts_or_refuses_but_never_crashes(
    entries: list[dict], extra: dict
) -> None:  # type: ignore[type-arg]
    document = json.dumps(
        {"format": "layers-journal", "version": 1, "entries": entries, "pauses": [], **extra}
    )
    try:
        read_import(
            document,
            source="fuzz.json",
            kind="json",
            zone=__import__("zoneinfo").ZoneInfo(ZONE),
            zone_name=ZONE,
        )
    except ImportFormatError as error:
        assert "nothing was imported" in error.message.lower()


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            [
                "[2025-01-05 09:30:00 AM] Title.",
                "[2025-01-05 09:30] x *",
                "body @tag",
                "",
                "[x] no",
                "[2025-13-45 99:99] bad",
            ]
        ),
        max_size=8,
    ).map("\n".join)
)
def test_the_jrnl_importers_accept_or_refuse_but_never_crash(text: str) -> None:
    for kind in ("auto", "jrnl", "jrnl-json"):
        try:
            imported = read_import(
                text,
                source="fuzz.txt",
                kind=kind,
                zone=__import__("zoneinfo").ZoneInfo(ZONE),
                zone_name=ZONE,
            )
        except ImportFormatError:
            continue
        for entry in imported.entries:
            assert entry.text and entry.id


# --- the one door every command leaves through ------------------------------------


def test_doctor_lists_skipped_files_once_as_findings(journal_home: Path) -> None:
    broken, _ = break_one_entry(journal_home)
    result = run_cli(journal_home, "doctor")
    assert result.returncode == 1
    assert "Skipped" not in result.stderr
    assert result.stderr.count(broken.name) == 1


# --- promises kept under pressure -------------------------------------------------


def test_doctor_fix_leaves_a_users_own_meta_toml_alone(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    mine = entry_files(journal_home)[0].parent / "my-notes.meta.toml"
    mine.write_text("mine = true\n")
    mine.chmod(0o600)
    run_cli(journal_home, "doctor", "--fix")
    assert mine.read_text() == "mine = true\n"


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


def test_a_month_folder_nobody_can_read_is_reported_by_doctor(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    month = entry_files(journal_home)[0].parent
    month.chmod(0o000)
    try:
        result = run_cli(journal_home, "doctor")
    finally:
        month.chmod(0o700)
    assert result.returncode == 1 and str(month) in result.stderr, result.stderr
