"""The disposable SQLite index over the journal's files, kept in the cache folder.

Before each command the journal folder is scanned and every file's stamp (size, mtime,
ctime, inode) compared with what the index saw (any difference, not just "newer");
changed files are re-read in one transaction. Deleting the index loses nothing: it is
rebuilt, in bulk when it is empty. Beside the rows it keeps what every run would
otherwise recompute: per-day entry counts for the layers model, kept current change by
change, and the model's last result with the key of everything it was computed from.
An encrypted journal's index holds only the readable metadata (id, day, creation time,
layer), never text, prompts, moods or tags.

The only package that speaks SQL: SQLite's errors leave it as CacheError. An Index is
one open database; what is asked of it lives in its parts: `practice` (the figures
the model, prompt choice and status need), `lookup` (entries and pauses by id, day or
place) and `search` (history's queries and passages). Below them: schema (the file and
its tables), catch_up (the rows in step with the folder), rows (one file as rows) and
counts (the day counts and their digest).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import time
from pathlib import Path

from layers_journal.folder.entries import Entry
from layers_journal.folder.layout import is_sealed, meta_path
from layers_journal.folder.scan import Known, Problem, Scan, Stamp, scan_journal, stamp_of
from layers_journal.folder.storage import ensure_private_dir

from .catch_up import Indexer
from .lookup import Located, Lookup
from .practice import Practice
from .rows import MISSING_META, Unseal, utc_text
from .schema import (
    COUNTED,
    DAY_COUNTS,
    MODEL,
    MODEL_KEY,
    SCHEMA,
    connect,
    guarded,
    prepare,
    remove_database,
    transaction,
)
from .search import MARK_END, MARK_START, Passage, Query, Search

__all__ = [
    "COUNTED",
    "DAY_COUNTS",
    "MARK_END",
    "MARK_START",
    "MISSING_META",
    "MODEL",
    "MODEL_KEY",
    "Index",
    "Indexer",
    "Located",
    "Passage",
    "Query",
    "memory_index",
    "open_index",
    "remove_database",
    "transaction",
    "utc_text",
]


class Index:
    """One open index database. Use `open_index` to get one that is up to date."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        root: Path,
        *,
        sealed: bool,
        day_start: time,
        unseal: Unseal | None = None,
    ) -> None:
        self.db = connection
        self.root = root
        self.sealed = sealed
        self.day_start = day_start
        # For an index of an encrypted journal's text: opens the entry files.
        self.unseal = unseal
        # What the last refresh saw of the folder (the text index catches up from it),
        # and whether it looked at every file (not a quick look at the folders).
        self.scan: Scan | None = None
        self.full = False
        self.problems: list[Problem] = []
        # Temp files a stopped writer left in the folder, for the journal to sweep.
        self.leftovers: list[str] = []
        self.practice = Practice(connection)
        self.lookup = Lookup(connection)
        self.search = Search(connection)

    # --- keeping up with the folder --------------------------------------------------

    def indexer(self) -> Indexer:
        return Indexer(
            self.db, self.root, sealed=self.sealed, day_start=self.day_start, unseal=self.unseal
        )

    @guarded
    def refresh(self, *, full: bool = True) -> list[Problem]:
        """Bring the index up to date with the folder; returns the files skipped. With
        full=False a quick look: only folders whose own stamp moved are listed, so an
        edit made in place inside a file waits for the next full look (or `current`)."""
        scan = self.rescan(None if full else self.indexer().known_folders())
        self.full = full
        self.problems = scan.problems + self.indexer().catch_up(scan)
        self.leftovers = scan.leftovers
        return self.problems

    def rescan(self, known: Known | None = None) -> Scan:
        self.scan = scan_journal(str(self.root), known)
        return self.scan

    @guarded
    def current(self, paths: Iterable[str]) -> bool:
        """Whether these files (and an encrypted entry's metadata beside it) are as the
        index last saw them: a look at just them, for a command about to show them."""
        for path in paths:
            looked = [path, meta_path(path)] if is_sealed(path) else [path]
            for one in looked:
                row = self.db.execute(
                    "SELECT size, mtime_ns, ctime_ns, inode FROM files WHERE path = ?", (one,)
                ).fetchone()
                try:
                    found: Stamp | None = stamp_of(os.stat(self.root / one, follow_symlinks=False))
                except OSError:
                    found = None
                if row is None or found is None or tuple(row) != found:
                    return False
        return True

    @guarded
    def note_written(self, paths: Iterable[str]) -> None:
        """Take in files this process has just written: their folders (and the folders
        above) are looked at again and caught up, so the next run finds them current."""
        self.scan = None  # it no longer says what the folder holds
        self.indexer().note_written(paths)

    @guarded
    def fill(self, entries: Iterable[tuple[Entry, str]]) -> None:
        """Add entries with their text (an in-memory index for an encrypted journal)."""
        indexer = self.indexer()
        with transaction(self.db):
            for entry, path in entries:
                indexer.insert_entry(path, entry, sealed=False)

    # --- health ----------------------------------------------------------------------

    def health(self) -> str | None:
        """What is wrong with the database itself, in words, or None when it is sound."""
        try:
            (result,) = self.db.execute("PRAGMA quick_check").fetchone()
            self.db.execute("INSERT INTO entry_words (entry_words) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            result = str(error)
        if result != "ok":
            return f"the index is damaged ({result})"
        files = self.db.execute(
            "SELECT count(*) FROM files WHERE problem IS NULL AND path NOT LIKE '%.meta.toml'"
            " AND path NOT LIKE 'pauses/%'"
        ).fetchone()[0]
        entries = self.db.execute("SELECT count(*) FROM entries").fetchone()[0]
        if files != entries:
            return f"the index lists {entries} entries for {files} entry files"
        kept = self.db.execute(
            "SELECT (SELECT value FROM derived WHERE key = ?),"
            " (SELECT value FROM derived WHERE key = ?)",
            (DAY_COUNTS, COUNTED),
        ).fetchone()
        if kept[0] is not None and kept[1] is not None:
            counts, digest = self.practice.count_rows()
            if (bytes(kept[0]), int(kept[1])) != (counts.pack(), digest):
                return "the index's day counts do not match its entries"
        return None

    @property
    def changed(self) -> bool:
        """Whether this run changed any row: the folder had changed since the last run
        (or the index was built, or kept a summary)."""
        return self.db.total_changes > 0

    def close(self) -> None:
        self.db.close()


@guarded
def open_index(
    path: Path, root: Path, *, sealed: bool, day_start: time, full: bool = True
) -> Index:
    """The index at path for the journal at root, created or rebuilt as needed, and
    brought up to date (with full=False, by a quick look: see Index.refresh)."""
    ensure_private_dir(path.parent)
    # Rebuilt when any of these change: they shape what the index holds.
    # The root as text SQLite can hold, whatever bytes the path has (the same for UTF-8).
    shown_root = os.fsencode(root).decode("utf-8", "backslashreplace")
    identity = {"root": shown_root, "sealed": str(int(sealed)), "day_start": str(day_start)}
    try:
        index = Index(prepare(path, identity), root, sealed=sealed, day_start=day_start)
        index.refresh(full=full)
    except sqlite3.DatabaseError:
        remove_database(path)  # damaged: it is only a cache, so build it again
        index = Index(prepare(path, identity), root, sealed=sealed, day_start=day_start)
        index.refresh(full=full)
    # Readers beside a writer (a second terminal): WAL, from the end of the first load
    # on (a no-op once it is on).
    index.db.execute("PRAGMA journal_mode = WAL")
    return index


@guarded
def memory_index(root: Path, *, day_start: time, sealed: bool = False) -> Index:
    """An index that lives only in memory: for searching an encrypted journal, and for
    carrying on when the cache folder cannot be written (a full disk)."""
    index = Index(connect(Path(":memory:")), root, sealed=sealed, day_start=day_start)
    index.db.executescript(SCHEMA)
    return index
