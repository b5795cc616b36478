"""Keeping the index's rows, and the day counts beside them, in step with the journal
folder's files: catching up with what changed since the index last looked, taking in
what this process has just written, and filling an empty index in bulk.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import time
from pathlib import Path

from layers_journal.folder.entries import Entry
from layers_journal.folder.layout import is_meta, sealed_path
from layers_journal.folder.pauses import Pause
from layers_journal.folder.scan import (
    Known,
    Problem,
    Scan,
    Stamp,
    folder_of,
    folders_above,
    scan_folders,
)

from .counts import Tally, fact_key
from .rows import (
    INSERT_ENTRY,
    INSERT_FILE,
    INSERT_PAUSE,
    UNUSABLE,
    Unseal,
    entry_row,
    pause_row,
    problem_with,
    read_file,
    row_fact,
)
from .schema import SCHEMA, transaction

# Rows per executemany in a bulk load: fast, and memory stays flat for any journal size.
BATCH = 512


class Indexer:
    """Keeps an index's rows, and the day counts beside them, in step with the journal
    folder's files."""

    def __init__(
        self,
        db: sqlite3.Connection,
        root: Path,
        *,
        sealed: bool,
        day_start: time,
        unseal: Unseal | None = None,
    ) -> None:
        self.db = db
        self.root = root
        self.sealed = sealed
        self.day_start = day_start
        self.unseal = unseal  # for an index of an encrypted journal's text
        self.tally = Tally(db)

    def catch_up(self, scan: Scan) -> list[Problem]:
        """Re-read what changed since the index last looked; returns the files whose
        problems it has stored."""
        if self.stored_folders() != scan.folders:
            with transaction(self.db):
                # Look again inside the write lock: another process may have done it.
                stored = self.stored_folders()
                if not stored and self.db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None:
                    self.load_all(scan)
                else:
                    dirty = {f for f, digest in scan.folders.items() if stored.get(f) != digest}
                    self.reconcile(scan, dirty | (stored.keys() - scan.folders.keys()))
        stored_problems = self.db.execute(
            "SELECT path, problem FROM files WHERE problem IS NOT NULL"
        )
        return [Problem(path, reason) for path, reason in stored_problems]

    def note_written(self, paths: Iterable[str]) -> None:
        folders = set()
        for path in paths:
            folders.update(folders_above(path))
        scan = scan_folders(str(self.root), sorted(folders))
        with transaction(self.db):
            self.reconcile(scan, folders)

    def stored_folders(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT folder, signature FROM folders"))

    def known_folders(self) -> Known:
        """For a quick look: each folder's own stamp (None for one holding strays,
        which is always listed again) and contents, as last seen."""
        rows = self.db.execute("SELECT folder, own, signature FROM folders")
        return {folder: (own, signature) for folder, own, signature in rows}

    def reconcile(self, scan: Scan, folders: set[str]) -> None:
        """Bring the rows of these folders in line with what the scan found in them,
        and remember each folder's digest (or forget the folders that are gone)."""
        changed, removed = self.differences(scan, folders)
        self.apply(scan.files_in(folders), changed, removed)
        self.db.executemany(
            "DELETE FROM folders WHERE folder = ?",
            [(f,) for f in folders - scan.folders.keys()],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO folders VALUES (?, ?, ?)",
            [(f, scan.folders[f], scan.own.get(f)) for f in folders & scan.folders.keys()],
        )

    def differences(self, scan: Scan, folders: set[str]) -> tuple[list[str], list[str]]:
        """(paths new or with another stamp, paths gone) in the given folders, compared
        file by file with what the index saw (any difference, not "newer")."""
        known: dict[str, Stamp] = {}
        for folder in folders:
            rows = self.db.execute(
                "SELECT path, size, mtime_ns, ctime_ns, inode FROM files WHERE folder = ?",
                (folder,),
            )
            known.update((path, tuple(stamp)) for path, *stamp in rows)
        found = scan.files_in(folders)
        changed = [path for path, stamp in found.items() if known.get(path) != stamp]
        removed = [path for path in known if path not in found]
        return changed, removed

    def apply(self, files: Mapping[str, Stamp], changed: list[str], removed: list[str]) -> None:
        touched = set(changed) | set(removed)
        # An encrypted entry is its .md.age plus its readable .meta.toml: re-read the
        # pair when either changes.
        for path in list(touched):
            if is_meta(path):
                touched.add(sealed_path(path))
        for path in sorted(touched):
            self.forget(path)
        for path in sorted(touched):
            if path not in files:
                continue
            if is_meta(path):
                self.record_file(path, files[path], None)
            else:
                self.learn(path, files)
        self.tally.keep()

    def forget(self, path: str) -> None:
        gone = self.db.execute(
            "DELETE FROM entries WHERE path = ?"
            " RETURNING day, created_day, theme, in_window, kind IS NOT 'review'",
            (path,),
        ).fetchall()
        for day, created, theme, in_window, page in gone:
            if page:  # a review is not counted
                self.tally.count(fact_key(day, created, theme), -1, counted=bool(in_window))
        self.db.execute("DELETE FROM pauses WHERE path = ?", (path,))
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))

    def record_file(self, path: str, stamp: Stamp, problem: str | None) -> None:
        self.db.execute(INSERT_FILE, (path, folder_of(path), *stamp, problem))

    def learn(self, path: str, files: Mapping[str, Stamp]) -> None:
        problem = None
        try:
            found = read_file(self.root, path, files, self.unseal)
            if isinstance(found, Pause):
                self.insert_pause(path, found)
            else:
                self.insert_entry(path, found, sealed=self.sealed)
        except UNUSABLE as error:
            problem = problem_with(self.db, path, error)
        self.record_file(path, files[path], problem)

    def load_all(self, scan: Scan) -> None:
        """Fill an empty index in bulk: rows go in batches, and each full-text table and
        secondary index is built once at the end instead of row by row. The rows are
        the same as learning the files one by one would give (a test holds it to that)."""
        indexes = re.findall(r"CREATE INDEX IF NOT EXISTS \w+ ON [^;]*", SCHEMA)
        triggers = re.findall(r"CREATE TRIGGER IF NOT EXISTS \w+ .*?\bEND", SCHEMA, re.S)
        for statement in indexes:
            self.db.execute(f"DROP INDEX IF EXISTS {statement.split()[5]}")
        for statement in triggers:
            self.db.execute(f"DROP TRIGGER IF EXISTS {statement.split()[5]}")
        for table in ("entries", "pauses", "folders"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608
        files = scan.files
        batch = Batch(self.db)
        entry_ids: set[str] = set()
        pause_ids: set[str] = set()
        for path in sorted(files):
            if is_meta(path):
                batch.add_file(path, files[path], None)
                continue
            problem = None
            try:
                found = read_file(self.root, path, files, self.unseal)
                if isinstance(found, Pause):
                    if found.id in pause_ids:
                        batch.flush()
                        raise sqlite3.IntegrityError
                    batch.add_pause(pause_row(path, found))
                    pause_ids.add(found.id)
                else:
                    row = entry_row(path, found, sealed=self.sealed, day_start=self.day_start)
                    if found.id in entry_ids:
                        batch.flush()
                        raise sqlite3.IntegrityError
                    batch.add_entry(row)
                    entry_ids.add(found.id)
                    self.count_row(row)
            except UNUSABLE as error:
                problem = problem_with(self.db, path, error)
            batch.add_file(path, files[path], problem)
        batch.flush()
        for table in re.findall(r"CREATE VIRTUAL TABLE IF NOT EXISTS (\w+) USING fts5", SCHEMA):
            self.db.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")  # noqa: S608
        for statement in indexes + triggers:
            self.db.execute(statement)
        self.db.executemany(
            "INSERT INTO folders VALUES (?, ?, ?)",
            [(f, digest, scan.own.get(f)) for f, digest in scan.folders.items()],
        )
        self.tally.keep_all()

    def count_row(self, row: tuple[object, ...]) -> None:
        fact = row_fact(row)
        if fact is not None:
            self.tally.count(fact[0], 1, counted=fact[1])

    def insert_entry(self, path: str, entry: Entry, *, sealed: bool) -> None:
        """Add an entry row; with sealed=True only the readable metadata is kept."""
        row = entry_row(path, entry, sealed=sealed, day_start=self.day_start)
        self.db.execute(INSERT_ENTRY, row)
        self.count_row(row)

    def insert_pause(self, path: str, pause: Pause) -> None:
        self.db.execute(INSERT_PAUSE, pause_row(path, pause))


class Batch:
    """Rows waiting to go in with one executemany each, in the order they were added."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.entries: list[tuple[object, ...]] = []
        self.pauses: list[tuple[object, ...]] = []
        self.files: list[tuple[object, ...]] = []

    def add_entry(self, row: tuple[object, ...]) -> None:
        self.entries.append(row)
        if len(self.entries) >= BATCH:
            self.flush()

    def add_pause(self, row: tuple[object, ...]) -> None:
        self.pauses.append(row)

    def add_file(self, path: str, stamp: Stamp, problem: str | None) -> None:
        self.files.append((path, folder_of(path), *stamp, problem))
        if len(self.files) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.db.executemany(INSERT_ENTRY, self.entries)
        self.db.executemany(INSERT_PAUSE, self.pauses)
        self.db.executemany(INSERT_FILE, self.files)
        self.entries, self.pauses, self.files = [], [], []
