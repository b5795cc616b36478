"""One journal as the commands see it: its clock, folder, keys and index, wired together.

Each concern lives in its own module (days.Clock, store.Store, trash.Trash, crypto.Keys,
recovery.Recovery, index.lifecycle.RunIndex; finder.Finder reads entries back,
progress.Progress asks the layers model, changes.Changes makes every change, and
report.RunReport keeps what one run had to work around, for the CLI to say once at its
door). This facade only builds them, each from the narrow pieces it uses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from layers_journal.config import Config, Paths, load_config, resolve_paths
from layers_journal.days import Clock
from layers_journal.errors import reason
from layers_journal.folder.crypto import Keys
from layers_journal.folder.recovery import Recovery
from layers_journal.folder.store import Store
from layers_journal.index.lifecycle import RunIndex

from .report import RunReport

if TYPE_CHECKING:
    from layers_journal.folder.drafts import Drafts
    from layers_journal.folder.scan import Problem
    from layers_journal.folder.trash import Trash
    from layers_journal.index import Index

    from .changes import Changes
    from .finder import Finder
    from .progress import Progress


class Journal:
    def __init__(self, paths: Paths, config: Config, name: str = "default") -> None:
        self.name = name  # which of the person's journals (journals.py)
        self.paths = paths
        self.config = config
        self.root = config.journal_root(paths)
        self.report = RunReport()
        self.clock = Clock(config.timezone, config.day_start, self.report.notes)
        self.keys = Keys(self.root, pin=paths.key_pin(self.root), held=paths.held_key(self.root))
        self.recovery = Recovery(paths.recovery, self.keys)
        self.store = Store(self.root, self.keys, paths.lock_files(self.root))
        self.run_index = RunIndex(
            paths.index_file(self.root),
            self.root,
            sealed=lambda: self.keys.encrypted,
            day_start=config.day_start,
            on_memory=self.index_in_memory,
            sweep=self.store.sweep,
        )
        self._model: Progress | None = None

    @classmethod
    def open(cls, name: str | None = None) -> Journal:
        """The journal called name, else the default one (journals.py)."""
        paths = resolve_paths()
        config = load_config(paths.config_file)
        told = None
        if config.legacy:
            from layers_journal.config import migrate_cadences
            from layers_journal.errors import JournalError

            try:
                config, told = migrate_cadences(paths.config_file, config)
            except (
                OSError,
                JournalError,
            ):  # cannot rewrite it now: read as it is, and told next time
                config = config._replace(legacy={})
        from layers_journal.journals import chosen_name, own_paths, pick

        named = pick(paths, config, name if name is not None else chosen_name(None))
        paths, config = own_paths(paths, config, named)
        journal = cls(paths, config, named.name)
        if told:
            journal.notes.append(told)
        return journal

    @property
    def encrypted(self) -> bool:
        return self.keys.encrypted

    @property
    def notes(self) -> list[str]:
        """What this run worked around, said once by the CLI's door (see report.py)."""
        return self.report.notes

    @property
    def drafts(self) -> Drafts:
        from layers_journal.folder.drafts import Drafts

        return Drafts(self.paths.drafts, self.keys)

    # --- its parts, each loaded when a command first needs it --------------------------

    @functools.cached_property
    def finder(self) -> Finder:
        from .finder import Finder

        return Finder(
            self.run_index,
            self.store,
            self.keys,
            self.clock,
            self.report,
            day_start=self.config.day_start,
        )

    @property
    def model(self) -> Progress:
        """The layers model's inputs and result, as of the last change this run saw."""
        if self._model is None or self._model.generation != self.run_index.generation:
            from .progress import Progress

            self._model = Progress(self.run_index, self.config)
        return self._model

    @functools.cached_property
    def changes(self) -> Changes:
        from .changes import Changes

        return Changes(
            self.store, self.recovery, self.clock, self.trash, self.run_index, self.report
        )

    @functools.cached_property
    def trash(self) -> Trash:
        from layers_journal.folder.trash import Trash

        return Trash(self.store)

    # --- the index -------------------------------------------------------------------

    def index(self) -> Index:
        """The index, brought up to date with the folder once per process (in memory
        when its file cannot be written; see index/lifecycle.py)."""
        return self.run_index()

    def index_in_memory(self, error: BaseException) -> None:
        self.report.notes.append(
            f"The search index in {self.paths.cache} could not be written "
            f"({reason(error)}); this run read the journal files directly."
        )

    def refresh(self) -> None:
        """See changes this process made itself."""
        self.run_index.refresh()

    def note_written(self, written: Iterable[str]) -> None:
        """See files this process has just written, without a whole rescan."""
        self.run_index.note_written(written)

    def problems(self) -> list[Problem]:
        """Files skipped so far: unreadable in the folder, or when read for their text."""
        return self.run_index.problems() + self.report.skipped

    def reset_index(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        self.run_index.reset()
