"""One journal as the commands see it: its clock, folder, keys and index, wired together.

Each concern lives in its own module (days.Clock, store.Store, crypto.Keys,
recovery.Recovery, index.Index, layers); this facade only connects them and keeps what
one run had to work around, for the CLI to say once at its door.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .addressing import pick_by_prefix
from .config import Config, Paths, load_config, resolve_paths
from .crypto import Keys
from .days import Clock
from .entries import MAX_ENTRY_BYTES, Entry
from .errors import CacheError, FileFormatError, JournalError, SaveError, reason
from .pauses import Pause, new_pause_id
from .recovery import Recovery
from .scan import Problem
from .store import ChangedMeanwhile, ImportResult, Store

if TYPE_CHECKING:
    from .index import Index, Located, Query
    from .layers import EntryFacts, Report, Series


class Journal:
    def __init__(self, paths: Paths, config: Config) -> None:
        self.paths = paths
        self.config = config
        self.root = config.journal_root(paths)
        self.clock = Clock(config.timezone, config.day_start)
        self.keys = Keys(self.root)
        self.recovery = Recovery(paths.recovery, self.keys)
        self.store = Store(self.root, self.keys, paths.lock_files(self.root))
        self._index: Index | None = None
        self._facts: list[EntryFacts] | None = None
        self._pauses: list[Pause] | None = None
        # What this run worked around or had to skip, said once by the CLI's door.
        self.notes: list[str] = []
        self.skipped: list[Problem] = []
        self.problems_shown = False  # set by a command that lists them itself (doctor)

    @classmethod
    def open(cls) -> Journal:
        paths = resolve_paths()
        return cls(paths, load_config(paths.config_file))

    @property
    def encrypted(self) -> bool:
        return self.keys.encrypted

    # --- the index -------------------------------------------------------------------

    def index(self) -> Index:
        """The index, brought up to date with the folder once per process.

        It is only a cache: when it cannot be written (a full disk, a read-only cache
        folder) this run reads the files into an index in memory instead.
        """
        if self._index is None:
            from .index import memory_index, open_index

            sealed, day_start = self.encrypted, self.config.day_start
            try:
                self._index = open_index(
                    self.paths.index_file(self.root), self.root, sealed=sealed, day_start=day_start
                )
            except (CacheError, OSError) as error:
                self._index = memory_index(self.root, sealed=sealed, day_start=day_start)
                self._index.refresh()
                self.notes.append(
                    f"The search index in {self.paths.cache} could not be written "
                    f"({reason(error)}); this run read the journal files directly."
                )
            self.store.sweep(self._index.leftovers)
        return self._index

    def refresh(self) -> None:
        """See changes this process made itself."""
        self._facts = self._pauses = None
        if self._index is not None:
            self._index.refresh()

    def problems(self) -> list[Problem]:
        """Files skipped so far: unreadable in the folder, or when read for their text."""
        return self.index().problems + self.skipped

    def problems_seen(self) -> list[Problem]:
        """The same, without opening the index when this run did not need it."""
        return (self._index.problems if self._index is not None else []) + self.skipped

    def reset_index(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        from .index import remove_database

        if self._index is not None:
            self._index.close()
            self._index = None
        remove_database(self.paths.index_file(self.root))

    # --- the model -------------------------------------------------------------------

    def facts(self) -> list[EntryFacts]:
        """What the layers model needs of every entry (asked once per run)."""
        if self._facts is None:
            self._facts = self.index().day_counts()
        return self._facts

    def pauses(self) -> list[Pause]:
        if self._pauses is None:
            self._pauses = self.index().pauses()
        return self._pauses

    def rest_spans(self) -> list[tuple[date, date]]:
        return [(pause.start, pause.end) for pause in self.pauses()]

    def report(self, today: date) -> Report:
        """The whole layers model as of `today`."""
        from .layers import compute_layers

        return compute_layers(self.facts(), self.rest_spans(), today, self.config.cadences)

    def presence(self, today: date) -> Series:
        """Just the presence series as of `today`."""
        from .layers import compute_presence

        cadence = self.config.cadences["presence"]
        return compute_presence(self.facts(), self.rest_spans(), today, cadence)

    # --- reading ---------------------------------------------------------------------

    def locate(self, prefix: str) -> Located:
        """The one entry whose id starts with prefix."""
        found = {match.id: match for match in self.index().locate(prefix.strip())}
        return found[pick_by_prefix(prefix, found, what="entry", many="entries")]

    def read_entry(self, located: Located) -> Entry:
        return self.store.read(located.path)

    def query(self, query: Query) -> list[Entry]:
        """Entries matching a history query, with their text (decrypted when sealed)."""
        if not self.encrypted:
            return self.index().query(query)
        from .index import memory_index

        # Search an encrypted journal in memory only: no plaintext reaches the disk.
        memory = memory_index(self.root, day_start=self.config.day_start)
        memory.fill(self.all_entries())
        found = memory.query(query)
        memory.close()
        return found

    def all_entries(self) -> Iterator[tuple[Entry, str]]:
        """Every readable entry with its relative path, oldest first, decrypting when
        needed; one that cannot be read is named among the problems and skipped."""
        for path in self.index().entry_paths():
            try:
                yield self.store.read(path), path
            except FileFormatError as error:
                self.skipped.append(Problem(path, error.message.rstrip(".")))

    def pause_note(self, pause: Pause) -> str | None:
        if pause.sealed_note is None:
            return pause.note
        return self.keys.unseal(pause.sealed_note.encode("ascii")).decode()

    # --- writing ---------------------------------------------------------------------

    def save_new(self, entry: Entry) -> Path:
        """Write a new entry file (never replacing one). On failure the text is kept in
        the recovery folder, or handed back, and SaveError says where."""
        if len(entry.text.encode("utf-8")) > MAX_ENTRY_BYTES - 65536:
            raise SaveError(
                f"That text is longer than one entry can hold ({MAX_ENTRY_BYTES // 2**20} MB), "
                "so it was not saved."
            )
        try:
            with self.store.writing():
                written = self.store.write_entry(entry, keep_id=False)
        except (OSError, JournalError) as error:
            raise self.recovery.failure(
                entry, f"The entry could not be saved ({reason(error)})"
            ) from None
        self._facts = self._pauses = None
        if self._index is not None:  # a whole rescan is not needed for one new file
            with contextlib.suppress(CacheError):  # the entry is safe; the next run catches up
                self._index.note_written(written)
        return self.store.path(written[0])

    def replace_text(self, located: Located, original: Entry, text: str) -> Entry:
        """Give an entry a new body. If it changed or went missing meanwhile, or cannot
        be written, the new text is kept in the recovery folder (or handed back)."""
        updated = original._replace(text=text)
        with self.store.writing():
            try:
                self.store.replace_text(located.path, original, text)
            except ChangedMeanwhile:
                raise self.recovery.failure(
                    updated, "The entry changed or went missing while you were editing"
                ) from None
            except OSError as error:
                raise self.recovery.failure(
                    updated, f"The new text could not be saved ({reason(error)})"
                ) from None
        self.refresh()
        return updated

    def trash(self, located: Located) -> Path:
        target = self.store.trash(located.path)
        self.refresh()
        return target

    def restore(self, prefix: str) -> Path:
        target = self.store.restore(prefix)
        self.refresh()
        return target

    def add_pause(self, start: date, end: date, note: str | None) -> Pause:
        pause = Pause(id=new_pause_id(start), start=start, end=end, note=note)
        with self.store.writing():
            self.store.write_pause(pause)
        self.refresh()
        return pause

    def remove_pause(self, prefix: str) -> Pause:
        found = {match.id: match for match in self.index().locate(prefix.strip(), "pauses")}
        pause_id = pick_by_prefix(prefix, found, what="pause", many="pauses")
        pause = next(p for p in self.pauses() if p.id == pause_id)
        with self.store.writing():
            self.store.remove_file(found[pause_id].path)
        self.refresh()
        return pause

    def import_all(self, entries: Iterable[Entry], pauses: Iterable[Pause] = ()) -> ImportResult:
        """Add entries and pauses whose ids the journal does not have yet."""
        result = self.store.import_all(
            entries,
            pauses,
            known_entries=self.index().entry_ids(),
            known_pauses={pause.id for pause in self.pauses()},
        )
        self.refresh()
        return result

    def encrypt(self, passphrase: str) -> int:
        """Encrypt every entry, the trash and pause notes; resumable. Returns the count."""
        from .conversion import encrypt_journal

        converted, notes = encrypt_journal(self.store, passphrase)
        self.notes += notes
        self.reset_index()
        return converted

    def decrypt(self, passphrase: str) -> int:
        """Turn every encrypted file back into plain text; resumable. Returns the count."""
        from .conversion import decrypt_journal

        converted = decrypt_journal(self.store, passphrase)
        self.reset_index()
        return converted

    # --- after the command -------------------------------------------------------------

    def settle(self) -> None:
        """After every command, whatever happened (the CLI's door calls it): commit what
        this run changed when sync is set up. Never raises, never waits on the network."""
        if self.store.touched and (self.root / ".git").exists():
            from .sync import settle

            settle(self)
