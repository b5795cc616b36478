"""One journal as the commands see it: its clock, folder, keys and index, wired together.

Each concern lives in its own module (days.Clock, store.Store, trash.Trash, crypto.Keys,
recovery.Recovery, index.Index; finder.Finder reads entries back, progress.Model asks the
layers model, changes.Changes makes every change); this facade only connects them and
keeps what one run had to work around, for the CLI to say once at its door.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from layers_journal.config import Config, Paths, load_config, resolve_paths
from layers_journal.days import Clock
from layers_journal.errors import CacheError, reason
from layers_journal.folder.crypto import Keys
from layers_journal.folder.recovery import Recovery
from layers_journal.folder.scan import Problem
from layers_journal.folder.store import Store

if TYPE_CHECKING:
    from layers_journal.folder.drafts import Drafts
    from layers_journal.folder.trash import Trash
    from layers_journal.index import Index

    from .changes import Changes
    from .finder import Finder
    from .progress import Model


class Journal:
    def __init__(self, paths: Paths, config: Config) -> None:
        self.paths = paths
        self.config = config
        self.root = config.journal_root(paths)
        # What this run worked around or had to skip, said once by the CLI's door.
        self.notes: list[str] = []
        self.skipped: list[Problem] = []
        self.problems_shown = False  # set by a command that lists them itself (doctor)
        self.saved = False  # this run has put a new entry in the journal
        self.clock = Clock(config.timezone, config.day_start, self.notes)
        self.keys = Keys(self.root, pin=paths.key_pin(self.root))
        self.recovery = Recovery(paths.recovery, self.keys)
        self.store = Store(self.root, self.keys, paths.lock_files(self.root))
        self._index: Index | None = None
        self._model: Model | None = None

    @classmethod
    def open(cls) -> Journal:
        paths = resolve_paths()
        return cls(paths, load_config(paths.config_file))

    @property
    def encrypted(self) -> bool:
        return self.keys.encrypted

    @property
    def drafts(self) -> Drafts:
        from layers_journal.folder.drafts import Drafts

        return Drafts(self.paths.drafts, self.keys)

    # --- its parts, each loaded when a command first needs it --------------------------

    @functools.cached_property
    def finder(self) -> Finder:
        from .finder import Finder

        return Finder(self)

    @property
    def model(self) -> Model:
        """The layers model's inputs and result, as of the last change this run saw."""
        if self._model is None:
            from .progress import Model

            self._model = Model(self)
        return self._model

    @functools.cached_property
    def changes(self) -> Changes:
        from .changes import Changes

        return Changes(self)

    @functools.cached_property
    def trash(self) -> Trash:
        from layers_journal.folder.trash import Trash

        return Trash(self.store)

    # --- the index -------------------------------------------------------------------

    def index(self) -> Index:
        """The index, brought up to date with the folder once per process.

        It is only a cache: when it cannot be written (a full disk, a read-only cache
        folder) this run reads the files into an index in memory instead.
        """
        if self._index is None:
            from layers_journal.index import memory_index, open_index

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
        self._model = None
        if self._index is not None:
            self._index.refresh()

    def note_written(self, written: Iterable[str]) -> None:
        """See files this process has just written, without a whole rescan."""
        self._model = None
        if self._index is not None:
            with contextlib.suppress(CacheError):  # they are safe; the next run catches up
                self._index.note_written(written)

    def problems(self) -> list[Problem]:
        """Files skipped so far: unreadable in the folder, or when read for their text."""
        return self.index().problems + self.skipped

    def problems_seen(self) -> list[Problem]:
        """The same, without opening the index when this run did not need it."""
        return (self._index.problems if self._index is not None else []) + self.skipped

    def reset_index(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        from layers_journal.index import remove_database

        if self._index is not None:
            self._index.close()
            self._index = None
        remove_database(self.paths.index_file(self.root))

    def settle(self) -> None:
        """After a command: bring what is kept beside the journal up to date. The CLI's
        door calls it for every journal a run opened, whether the command succeeded or
        not, and ignores its failures (all of this is convenience, never the journal)."""
        from layers_journal.status import settle_status

        if self.store.touched and (self.root / ".git").exists():
            from layers_journal.sync.policy import settle

            settle(self)  # commits what this run changed; never waits on the network
        seen_changes = self._index is not None and self._index.changed
        settle_status(self, look=seen_changes or self.store.changed)
