"""An encrypted journal's index of its text, kept sealed.

The index in the cache folder holds an encrypted journal's readable metadata only. Its
text, prompts, moods and tags are indexed in a database that lives in memory and is
kept, between runs, as one file sealed to the journal's own key (an age file beside the
index, `index-….text.age`): after an unlock it is opened, deserialized into memory,
caught up with what changed in the folder (the same scan and the same per-folder
digests as the index on disk, so only changed files are decrypted again) and, when
anything changed, sealed and written back whole.

Plaintext never reaches the disk: the database is SQLite's in-memory one, its rollback
journal in memory and its temp storage in memory (checked by `plaintext_settings`); only
the sealed bytes are written. A file that cannot be opened with the key, or that holds
an index for another journal, key or schema, is thrown away and the index built again
from the entry files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from layers_journal.errors import FileFormatError
from layers_journal.folder.storage import write_atomic

from .schema import SCHEMA, SCHEMA_VERSION

Seal = Callable[[bytes], bytes]
Unseal = Callable[[bytes], bytes]


def text_index_file(index_file: Path) -> Path:
    """Where the sealed text index of the journal with this index file is kept."""
    return index_file.with_name(index_file.stem + ".text.age")


def memory_connection() -> sqlite3.Connection:
    """A database in memory that never spills to a file: no temp files, and its
    rollback journal in memory too."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    keep_in_memory(connection)
    return connection


def keep_in_memory(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA journal_mode = MEMORY")


def plaintext_settings(connection: sqlite3.Connection) -> tuple[str, int, str]:
    """(file, temp_store, journal_mode) of a connection: ('', 2, 'memory') for one that
    can hold plaintext, as the tests check on every such connection."""
    file = connection.execute("PRAGMA database_list").fetchone()[2]
    (temp_store,) = connection.execute("PRAGMA temp_store").fetchone()
    (journal_mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    return str(file), int(temp_store), str(journal_mode)


class TextIndex:
    """Opening, catching up and keeping the sealed text index of one journal."""

    def __init__(self, path: Path, identity: dict[str, str], seal: Seal, unseal: Unseal) -> None:
        self.path = path
        self.identity = identity
        self.seal = seal
        self.unseal = unseal
        self.rebuilt = False  # this run found none it could use, and built it again

    def load(self) -> sqlite3.Connection:
        """The database from the sealed file, or a new empty one when there is none
        this key can open for this journal."""
        try:
            with open(self.path, "rb") as file:
                sealed = file.read()
        except FileNotFoundError:
            return self.empty()
        except OSError:
            return self.empty()
        try:
            data = self.unseal(sealed)
        except FileFormatError:
            return self.discard()  # sealed to another key: of no use to this one
        del sealed
        connection = memory_connection()
        try:
            connection.deserialize(data)
            del data
            keep_in_memory(connection)
            if (
                connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
                and dict(connection.execute("SELECT key, value FROM meta").fetchall())
                == self.identity
            ):
                return connection
        except sqlite3.DatabaseError:
            pass
        connection.close()
        return self.discard()

    def discard(self) -> sqlite3.Connection:
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        return self.empty()

    def empty(self) -> sqlite3.Connection:
        self.rebuilt = True
        connection = memory_connection()
        connection.executescript(SCHEMA)
        connection.executemany("INSERT INTO meta VALUES (?, ?)", self.identity.items())
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return connection

    def keep(self, connection: sqlite3.Connection) -> None:
        """Seal the database and write it over the last one (best effort: it is a
        cache, and the next run builds what it cannot find)."""
        with contextlib.suppress(OSError):
            write_atomic(self.path, self.seal(connection.serialize()), overwrite=True)


def remove_text_index(index_file: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(text_index_file(index_file))
