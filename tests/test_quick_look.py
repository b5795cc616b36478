"""The quick look before a command: folders only, unless one changed; the full look, or
a look at the very files shown, before anything that reads entry text. And the save's
closing line from presence alone."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files, year_document
from layers_journal.folder import scan as scan_module
from layers_journal.journal.facade import Journal


def write_three_months(home: Path) -> None:
    for day in ("2026-09-10", "2026-10-10", "2026-11-10"):
        result = run_cli(home, "today", "--date", day, stdin=f"Kettle on {day}.")
        assert result.returncode == 0, result.stderr


def looks(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The folders each kind of look went over, as this process makes them."""
    seen: dict[str, list[str]] = {"listed": [], "glanced": []}
    real_look, real_glance = scan_module.look_at_folder, scan_module.glance_at_folder

    def look(scan, root_fd, folder, *rest):  # type: ignore[no-untyped-def]
        seen["listed"].append(folder)
        return real_look(scan, root_fd, folder, *rest)

    def glance(scan, root_fd, folder, *rest):  # type: ignore[no-untyped-def]
        seen["glanced"].append(folder)
        return real_glance(scan, root_fd, folder, *rest)

    monkeypatch.setattr(scan_module, "look_at_folder", look)
    monkeypatch.setattr(scan_module, "glance_at_folder", glance)
    return seen


def test_the_quick_look_lists_only_the_folders_that_changed(journal_home: Path) -> None:
    write_three_months(journal_home)
    with pytest.MonkeyPatch.context() as patch:
        seen = looks(patch)
        Journal.open().index()
    assert seen["listed"] == []  # nothing changed: no file was looked at
    assert len(seen["glanced"]) >= 3  # entries/, the year's and the month's folders

    # A page written by another process lands in a month folder: that one is listed.
    write = run_cli(journal_home, "today", "--date", "2026-10-11", stdin="Another.")
    assert write.returncode == 0
    (folder,) = {p.parent for p in entry_files(journal_home) if "Another." in p.read_text()}
    os.utime(folder, ns=(0, 0))  # (this process took it in: as if another had written it)
    with pytest.MonkeyPatch.context() as patch:
        seen = looks(patch)
        Journal.open().index()
    assert seen["listed"] == [str(folder.relative_to(journal_home / "data")) + "/"]


def in_place_edit(path: Path, old: bytes, new: bytes) -> None:
    """Same size, same inode, the modification time put back (rsync --inplace --times)."""
    before = path.stat()
    time.sleep(0.05)
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    with open(path, "r+b") as handle:
        handle.write(data.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("reader", ["history -n", "history --search", "show", "export"])
def test_an_edit_in_place_is_seen_by_the_next_command_that_reads_text(
    journal_home: Path, reader: str
) -> None:
    write_three_months(journal_home)
    assert run_cli(journal_home, "layers").returncode == 0
    (path,) = [p for p in entry_files(journal_home) if "2026-10-10" in p.read_text()]
    in_place_edit(path, b"Kettle", b"Teapot")
    # What does not read text may not see it yet (it looks at folders only)...
    assert run_cli(journal_home, "layers").returncode == 0
    # ...the next command that reads text does.
    if reader == "history -n":
        result = run_cli(journal_home, "history", "-n", "3", "--json")
        texts = [entry["text"] for entry in json.loads(result.stdout)["entries"]]
        assert "Teapot on 2026-10-10." in texts
    elif reader == "history --search":
        result = run_cli(journal_home, "history", "--search", "teapot", "--json")
        assert len(json.loads(result.stdout)["entries"]) == 1
    elif reader == "show":
        result = run_cli(journal_home, "show", "2026-10-10")
        assert "Teapot" in result.stdout
    else:
        result = run_cli(journal_home, "export")
        texts = [entry["text"] for entry in json.loads(result.stdout)["entries"]]
        assert "Teapot on 2026-10-10." in texts
    assert result.returncode == 0, result.stderr
    # And the index has taken it in: a search finds the new word, not the old one.
    found = run_cli(journal_home, "history", "--search", "kettle", "--json")
    assert "2026-10-10" not in found.stdout


def test_a_command_reading_text_looks_at_the_folder_once(journal_home: Path) -> None:
    """Asked first for the full look, the index takes it at once, not a quick look
    followed by the full one."""
    write_three_months(journal_home)
    with pytest.MonkeyPatch.context() as patch:
        seen = looks(patch)
        Journal.open().run_index.verified()
    assert seen["glanced"] == []
    assert len(seen["listed"]) == len(set(seen["listed"])) >= 3


def test_an_index_built_from_nothing_ends_in_wal_mode(journal_home: Path) -> None:
    """The first load is written with a rollback journal (once to disk, not through the
    WAL), and then the index turns to WAL, so a reader beside a writer is not kept
    waiting."""
    write_three_months(journal_home)
    journal = Journal.open()
    shutil.rmtree(journal.paths.cache)
    index = Journal.open().index()
    (mode,) = index.db.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
    assert index.db.execute("SELECT count(*) FROM entries").fetchone() == (3,)


def test_a_stray_file_is_named_by_every_command(journal_home: Path) -> None:
    write_three_months(journal_home)
    folder = entry_files(journal_home)[0].parent
    (folder / "notes.md").write_text("Not an entry.")
    for _ in range(3):  # (a folder holding a stray is always listed again)
        result = run_cli(journal_home, "history", "-n", "1")
        assert "notes.md" in result.stderr, result.stderr


def test_the_closing_line_of_a_save_needs_presence_alone() -> None:
    from layers_journal.index.counts import DayCounts  # noqa: F401  (the facts' shape)
    from layers_journal.model.layers import (
        DAILY,
        EntryFacts,
        compute_layers,
        parse_rhythm,
        presence_and_offer,
    )

    document = year_document()
    facts = [
        EntryFacts(
            date.fromisoformat(entry["day"]),
            date.fromisoformat(entry["day"]),
            entry.get("theme"),
        )
        for entry in document["entries"]
    ]
    for today in (date(2026, 6, 30), date(2026, 12, 31), date(2027, 2, 14)):
        for rhythm in (DAILY, parse_rhythm("3/week")):
            whole = compute_layers(facts, [(date(2026, 3, 1), date(2026, 3, 9))], today, rhythm)
            presence, offer = presence_and_offer(
                facts, [(date(2026, 3, 1), date(2026, 3, 9))], today, rhythm
            )
            assert presence == whole.presence
            assert offer == whole.suggested_rhythm
