"""The trash: where a deleted entry waits, restorable, until the trash is emptied.

An entry (and, when encrypted, its readable metadata) moves into trash/ under the
journal-wide lock and keeps its id; an id trashed again is kept beside as a further
copy. Only regular files are moved or read, and no link is followed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from layers_journal.errors import FileFormatError, UsageError
from layers_journal.model.addressing import pick_by_prefix

from . import layout
from .entries import (
    MAX_FILE_BYTES,
    Entry,
    decode_entry_bytes,
    entry_from_fields,
    load_toml,
    parse_entry,
)
from .storage import move_no_clobber, read_bounded, remove_file
from .store import Store, is_regular, walk


class Trash:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = store.root / layout.TRASH

    def put(self, relative: str) -> Path:
        """Move an entry (and its metadata) into trash/, never deleting it; an id
        trashed before is kept beside as a further copy."""
        store = self.store
        target = self.free_place(relative)
        with store.writing():
            require_regular(store.path(relative))
            move_no_clobber(store.path(relative), store.place(target))
            if layout.is_sealed(relative):
                meta = store.path(layout.meta_path(relative))
                if is_regular(meta):
                    move_no_clobber(meta, store.place(layout.meta_path(target)))
        return store.path(target)

    def free_place(self, relative: str) -> str:
        """Where an entry goes in the trash: its own name, or the next free copy number
        when that id was trashed before."""
        copy = 1
        while os.path.lexists(self.store.path(layout.trash_path(relative, copy))):
            copy += 1
        return layout.trash_path(relative, copy)

    def copies(self) -> dict[str, list[tuple[int, Path]]]:
        """Entry ids in the trash, each with its (copy number, file), oldest copy first:
        regular files only, found without following links."""
        found: dict[str, list[tuple[int, Path]]] = {}
        for folder, _dirs, names in walk(self.folder):
            for name in names:
                named = layout.trash_name(name)
                if named is not None and is_regular(Path(folder) / name):
                    found.setdefault(named[0], []).append((named[1], Path(folder) / name))
        return {entry_id: sorted(copies) for entry_id, copies in found.items()}

    def contents(self) -> list[tuple[str, Path, Entry | None]]:
        """Every copy in the trash, the most recently trashed first: (id, file, the entry
        when it can be read without the passphrase, else its readable metadata)."""
        found = []
        for entry_id, copies in self.copies().items():
            for _copy, path in copies:
                try:
                    if layout.is_sealed(path.name):
                        meta = Path(layout.meta_path(str(path)))
                        text = read_bounded(meta, MAX_FILE_BYTES).decode("utf-8")
                        entry: Entry | None = entry_from_fields(load_toml(text, "its metadata"), "")
                    else:
                        entry = parse_entry(decode_entry_bytes(read_bounded(path, MAX_FILE_BYTES)))
                    when = path.stat().st_ctime  # a move into the trash changes it
                except (OSError, FileFormatError, UnicodeDecodeError):
                    entry, when = None, 0.0
                found.append((when, entry_id, path, entry))
        found.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [(entry_id, path, entry) for _, entry_id, path, entry in found]

    def empty(self, listed: Iterable[Path]) -> int:
        """Delete trashed copies for good (and their metadata); only those listed, so
        what was trashed after the person was asked stays. Call under the write lock."""
        removed = 0
        for path in listed:
            if layout.trash_name(path.name) is None or not path.exists():
                continue
            remove_file(path)
            removed += 1
            if layout.is_sealed(path.name):
                remove_file(Path(layout.meta_path(str(path))))
        for folder, _dirs, _names in sorted(os.walk(self.folder), reverse=True):
            if Path(folder) != self.folder:
                with contextlib.suppress(OSError):
                    os.rmdir(folder)  # only when empty
        return removed

    def restore(self, prefix: str) -> Path:
        """Bring an entry back from the trash (the latest copy, if it was trashed twice)."""
        store = self.store
        trashed = self.copies()
        entry_id = pick_by_prefix(
            prefix, trashed, what="entry in the trash", many="entries in the trash"
        )
        source = trashed[entry_id][-1][1]
        sealed = layout.is_sealed(source.name)
        relative = layout.entry_path(entry_id, sealed=sealed)
        with store.writing():
            if store.exists(entry_id):
                raise UsageError(f"An entry with id {entry_id} is already in the journal.")
            target = store.place(relative)
            require_regular(source)
            if sealed:
                meta = Path(layout.meta_path(str(source)))
                if is_regular(meta):
                    move_no_clobber(meta, Path(layout.meta_path(str(target))))
            move_no_clobber(source, target)
        return target


def require_regular(path: Path) -> None:
    if not is_regular(path):
        raise UsageError(f"{path} is not a plain file (a link, a FIFO or a device); left as it is.")
