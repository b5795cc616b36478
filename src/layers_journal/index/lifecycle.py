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

from .schema import guarded

if TYPE_CHECKING:
    from layers_journal.folder.scan import Problem

    from . import Index
    from .sealed import Seal, Unseal


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
        self.opened_text: Index | None = None  # an encrypted journal's, when asked
        self.generation = 0  # counts the changes this run saw of its own

    def __call__(self, *, full: bool = False) -> Index:
        if self.opened is None:
            from . import memory_index, open_index

            sealed, day_start = self.sealed(), self.day_start
            try:
                # A quick look at the folders, unless the first to ask reads entry text
                # (`verified`): then the full look at once, not both one after the other.
                self.opened = open_index(
                    self.file, self.root, sealed=sealed, day_start=day_start, full=full
                )
            except (CacheError, OSError) as error:
                self.opened = memory_index(self.root, sealed=sealed, day_start=day_start)
                self.opened.refresh()
                self.on_memory(error)
            self.sweep(self.opened.leftovers)
        return self.opened

    def verified(self) -> Index:
        """The index after a full look at every file, once per run: for what reads
        entry text, so an edit made in place inside a file (same size, its time put
        back) is seen at the latest by the next command that reads text."""
        index = self(full=True)
        if not index.full:
            index.refresh(full=True)
        return index

    def shown(self, paths: list[str]) -> Index:
        """The index, checked against the very files a command is about to show; when
        any of them changed, after a full look."""
        index = self()
        if not index.full and not index.current(paths):
            index.refresh(full=True)
        return index

    @guarded
    def text(self, key: str, *, seal: Seal, unseal: Unseal) -> Index:
        """An encrypted journal's index of its text, in memory only: opened from its
        sealed copy beside the index file (unseal needs the journal's key, whose public
        half is key), caught up with what changed; once per run, until the run changes
        the journal itself."""
        if self.opened_text is None:
            from . import Index
            from .sealed import TextIndex, text_index_file

            identity = {
                "root": str(self.root),
                "text": "1",
                "day_start": str(self.day_start),
                "key": key,
            }
            kept = TextIndex(text_index_file(self.file), identity, seal=seal, unseal=unseal)
            metadata = self.verified()
            text = Index(
                kept.load(), self.root, sealed=False, day_start=self.day_start, unseal=unseal
            )
            scan = metadata.scan if metadata.scan is not None else metadata.rescan()
            text.problems = text.indexer().catch_up(scan)
            if text.changed:
                kept.keep(text.db)
            self.opened_text = text
        return self.opened_text

    def forget_text(self) -> None:
        if self.opened_text is not None:
            self.opened_text.close()
            self.opened_text = None

    @property
    def changed(self) -> bool:
        """Whether this run's index saw the folder change (another device, an edit by
        hand, this run's own writes); False when the run never opened it."""
        return self.opened is not None and self.opened.changed

    def refresh(self) -> None:
        """See changes this process made itself."""
        self.generation += 1
        self.forget_text()
        if self.opened is not None:
            self.opened.refresh()

    def note_written(self, written: Iterable[str]) -> None:
        """See files this process has just written, without a whole rescan."""
        self.generation += 1
        self.forget_text()
        if self.opened is not None:
            with contextlib.suppress(CacheError):  # they are safe; the next run catches up
                self.opened.note_written(written)

    def problems(self) -> list[Problem]:
        """The files the index could not use (opening it when this run had not, and
        looking at every file)."""
        return self.verified().problems

    def problems_seen(self) -> list[Problem]:
        """The same, without opening the index when this run did not need it."""
        return self.opened.problems if self.opened is not None else []

    def reset(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        from .schema import remove_database
        from .sealed import remove_text_index

        self.forget_text()
        if self.opened is not None:
            self.opened.close()
            self.opened = None
        remove_database(self.file)
        remove_text_index(self.file)
