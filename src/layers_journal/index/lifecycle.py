"""The index of one run: opened once, when a command first asks, and brought up to date
with the folder; in memory when its file cannot be written (a full disk, a read-only
cache folder), since it is only a cache. It also counts the changes the run itself made,
so what was computed from the index (the layers model) knows when to be asked again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

from layers_journal.errors import CacheError

if TYPE_CHECKING:
    from layers_journal.folder.scan import Problem

    from . import Index


class RunIndex:
    """`run_index()` is the index, opened on the first call. `sealed` is asked at each
    opening (a run can encrypt the journal); `on_memory` hears why the index is in
    memory; `sweep` receives the temp files a stopped writer left in the folder."""

    def __init__(
        self,
        file: Path,
        root: Path,
        *,
        sealed: Callable[[], bool],
        day_start: time,
        on_memory: Callable[[BaseException], None],
        sweep: Callable[[list[str]], None],
    ) -> None:
        self.file = file
        self.root = root
        self.sealed = sealed
        self.day_start = day_start
        self.on_memory = on_memory
        self.sweep = sweep
        self.opened: Index | None = None
        self.generation = 0  # counts the changes this run saw of its own

    def __call__(self) -> Index:
        if self.opened is None:
            from . import memory_index, open_index

            sealed, day_start = self.sealed(), self.day_start
            try:
                self.opened = open_index(self.file, self.root, sealed=sealed, day_start=day_start)
            except (CacheError, OSError) as error:
                self.opened = memory_index(self.root, sealed=sealed, day_start=day_start)
                self.opened.refresh()
                self.on_memory(error)
            self.sweep(self.opened.leftovers)
        return self.opened

    @property
    def changed(self) -> bool:
        """Whether this run's index saw the folder change (another device, an edit by
        hand, this run's own writes); False when the run never opened it."""
        return self.opened is not None and self.opened.changed

    def refresh(self) -> None:
        """See changes this process made itself."""
        self.generation += 1
        if self.opened is not None:
            self.opened.refresh()

    def note_written(self, written: Iterable[str]) -> None:
        """See files this process has just written, without a whole rescan."""
        self.generation += 1
        if self.opened is not None:
            with contextlib.suppress(CacheError):  # they are safe; the next run catches up
                self.opened.note_written(written)

    def problems(self) -> list[Problem]:
        """The files the index could not use (opening it when this run had not)."""
        return self().problems

    def problems_seen(self) -> list[Problem]:
        """The same, without opening the index when this run did not need it."""
        return self.opened.problems if self.opened is not None else []

    def reset(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        from .schema import remove_database

        if self.opened is not None:
            self.opened.close()
            self.opened = None
        remove_database(self.file)
