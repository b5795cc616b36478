"""Where words go when a save cannot land: the private recovery folder.

It lives in the state folder, outside the journal folder, in case the journal folder is
what failed; in an encrypted journal what is kept there is sealed too.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers_journal.errors import JournalError, SaveError

from .crypto import Keys
from .entries import Entry, format_entry
from .layout import PLAIN, SEALED
from .storage import ensure_private_dir, write_atomic


class Recovery:
    def __init__(self, folder: Path, keys: Keys) -> None:
        self.folder = folder
        self.keys = keys

    def keep(self, entry: Entry) -> Path:
        """Put the whole entry in the recovery folder (sealed when the journal is), under
        a name no earlier kept text has: the same entry may fail to save twice."""
        ensure_private_dir(self.folder)
        data = format_entry(entry).encode()
        sealed = self.keys.encrypted
        if sealed:
            data = self.keys.seal_to_keep(data)
        suffix = SEALED if sealed else PLAIN
        for copy in range(1, 1000):
            path = self.folder / (entry.id + (f".{copy}" if copy > 1 else "") + suffix)
            try:
                write_atomic(path, data, overwrite=False)
                return path
            except FileExistsError:
                continue
        path = self.folder / f"{entry.id}.{os.urandom(4).hex()}{suffix}"
        write_atomic(path, data, overwrite=False)
        return path

    def failure(
        self, entry: Entry, what_happened: str, *, words: str = "your words are"
    ) -> SaveError:
        """The SaveError for a failed write: the words are kept here, or, if nothing at
        all can be written, handed back to be printed."""
        try:
            kept = self.keep(entry)
        except (OSError, JournalError):
            return SaveError(
                f"{what_happened}, and no safe place was free; your words are printed below "
                "so you can copy them.",
                unsaved_text=entry.text,
            )
        return SaveError(
            f"{what_happened}; {words} safe in {kept}, and journal doctor can bring them back."
        )

    def keep_bytes(self, data: bytes, stem: str) -> Path:
        """Keep bytes exactly as they came (text that could not be read as UTF-8), sealed
        when the journal is. They are not an entry, so doctor does not put them back."""
        ensure_private_dir(self.folder)
        sealed = self.keys.encrypted
        path = self.folder / (stem + (".bin.age" if sealed else ".bin"))
        write_atomic(path, self.keys.seal(data) if sealed else data, overwrite=False)
        return path

    def files(self) -> list[Path]:
        return sorted(
            p
            for p in self.folder.glob("*.md*")
            if p.name.endswith((PLAIN, SEALED)) and not p.name.startswith(".")
        )
