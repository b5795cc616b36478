"""The index database itself: its tables and their version, opening the file (built
again when its schema or the journal it was built for is not this one), transactions,
and SQLite's errors, which leave the index as CacheError.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from layers_journal.errors import CacheError
from layers_journal.folder.storage import exclusive_lock

F = TypeVar("F", bound=Callable[..., Any])

SCHEMA_VERSION = 18

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    problem TEXT
);
CREATE INDEX IF NOT EXISTS files_by_folder ON files (folder);
CREATE INDEX IF NOT EXISTS files_with_problems ON files (problem) WHERE problem IS NOT NULL;
CREATE TABLE IF NOT EXISTS folders (
    folder TEXT PRIMARY KEY,
    signature INTEGER NOT NULL,
    own INTEGER
);
CREATE TABLE IF NOT EXISTS entries (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    created_local TEXT NOT NULL,
    created_day TEXT NOT NULL,
    day TEXT NOT NULL,
    tz TEXT NOT NULL,
    theme TEXT,
    prompt_id TEXT,
    prompt TEXT,
    mood INTEGER,
    tags TEXT NOT NULL DEFAULT '',
    text TEXT,
    sealed INTEGER NOT NULL DEFAULT 0,
    in_window INTEGER NOT NULL,
    kind TEXT,
    covers TEXT,
    lookback INTEGER,
    exercise TEXT,
    scales TEXT,
    private INTEGER
);
CREATE INDEX IF NOT EXISTS entries_by_day ON entries (day DESC, created_utc DESC);
CREATE INDEX IF NOT EXISTS entries_facts ON entries (day, created_day, theme);
CREATE INDEX IF NOT EXISTS entries_by_creation ON entries (created_utc, id);
CREATE INDEX IF NOT EXISTS entries_by_prompt ON entries (prompt_id, created_utc, created_day);
CREATE INDEX IF NOT EXISTS entries_by_created_day ON entries (created_day);
CREATE INDEX IF NOT EXISTS entries_by_theme ON entries (theme, created_day, day);
CREATE VIRTUAL TABLE IF NOT EXISTS entry_words USING fts5(
    text, prompt, content='entries', content_rowid='rowid',
    tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entry_words (rowid, text, prompt) VALUES (new.rowid, new.text, new.prompt);
END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entry_words (entry_words, rowid, text, prompt)
    VALUES ('delete', old.rowid, old.text, old.prompt);
END;
CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pauses (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    note TEXT,
    sealed_note TEXT
);
"""


# Derived summaries kept in the `derived` table, beside the rows they summarise.
DAY_COUNTS, COUNTED, MODEL_KEY, MODEL = "day_counts", "counted", "model_key", "model"


def guarded(method: F) -> F:
    """SQLite's errors stay inside the index: callers get a CacheError sentence."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            raise cache_error(error) from None

    return wrapper  # type: ignore[return-value]


def cache_error(error: sqlite3.Error) -> CacheError:
    return CacheError(f"The search index could not be used ({error}); journal reindex rebuilds it.")


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA synchronous = NORMAL")  # a cache: speed over durability
    # Sorts and merges stay in memory: SQLite would otherwise spill rows past a few
    # megabytes into temp files in /var/tmp, outside the private folders, and an
    # index can hold entry text (in memory, an encrypted journal's too).
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


def prepare(path: Path, identity: dict[str, str]) -> sqlite3.Connection:
    """Open the database, (re)building it when its schema or identity is not ours."""
    db = open_if_current(path, identity)
    if db is not None:
        return db
    with exclusive_lock(path.with_suffix(".lock")):
        db = open_if_current(path, identity)  # another process may have just built it
        if db is not None:
            return db
        remove_database(path)
        # Create it private before SQLite does, so the text index is never world-readable.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = connect(path)
        # Built with a rollback journal, which for pages the file never had writes
        # nothing: the first load goes to disk once instead of through the WAL and a
        # checkpoint. `open_index` turns WAL on once the load is committed.
        db.executescript(SCHEMA)
        # Nothing indexed yet: nothing counted. The first refresh loads it all in bulk.
        db.executemany(
            "INSERT OR REPLACE INTO derived VALUES (?, ?)", [(DAY_COUNTS, b""), (COUNTED, "0")]
        )
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", identity.items())
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db


def open_if_current(path: Path, identity: dict[str, str]) -> sqlite3.Connection | None:
    """The open database when it exists with our schema for this journal, else None."""
    if not path.exists():
        return None
    db = connect(path)
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION and (
            dict(db.execute("SELECT key, value FROM meta").fetchall()) == identity
        ):
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
