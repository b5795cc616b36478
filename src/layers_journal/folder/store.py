"""The journal folder's files: reading and writing one entry or pause at a time, and
listing the entry files there are.

Every change happens under one journal-wide lock, as atomic file writes that never
replace another entry. Reading needs no lock: the rename-into-place writes keep readers
consistent.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from layers_journal.errors import FileFormatError, SaveError, UnreadableFileError

from . import layout
from .crypto import Keys
from .entries import (
    MAX_FILE_BYTES,
    Entry,
    check_entry,
    decode_entry_bytes,
    format_entry,
    format_meta,
    new_entry_id,
    parse_entry,
    replace_body,
    replace_front_matter,
)
from .pauses import Pause, format_pause, parse_pause
from .storage import (
    check_real_folders,
    exclusive_lock,
    read_bounded,
    record_changes,
    remove_file,
    replace_together,
    sweep_stale_temp,
    write_atomic,
)


class ChangedMeanwhile(Exception):
    """The entry being edited changed or went away while the editor was open."""


class Store:
    def __init__(self, root: Path, keys: Keys, lock_files: Iterable[Path]) -> None:
        self.root = root
        self.keys = keys
        self.lock_files = list(lock_files)
        # Called once when another journal command holds the lock, before waiting for it.
        self.on_wait: Callable[[], None] | None = None
        # Whether this run took the write lock: what it derives may need a fresh look.
        self.changed = False
        # Every path this run writes, moves or removes below root (storage records them
        # all), so the journal can commit exactly those when sync is set up.
        self._recorder = record_changes(root)
        self.touched: set[str] = self._recorder.paths

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The journal-wide write lock, kept outside the journal folder: in the first of
        lock_files whose folder can be written."""
        with contextlib.ExitStack() as stack:
            for lock_file in self.lock_files:
                try:
                    stack.enter_context(exclusive_lock(lock_file, on_wait=self.on_wait))
                    self.changed = True
                    break
                except OSError:
                    continue
            else:
                folders = " nor ".join(str(lock.parent) for lock in self.lock_files)
                raise SaveError(
                    f"Neither {folders} can be written, so the journal cannot take the lock "
                    "it writes under."
                )
            yield

    def path(self, relative: str) -> Path:
        return self.root / relative

    def place(self, relative: str) -> Path:
        """Where to write relative: refused (OSError) through a symbolic link or anything
        but the journal's own folders, where it would land outside the journal."""
        check_real_folders(self.root, relative)
        return self.root / relative

    # --- entries ---------------------------------------------------------------------

    def read(self, relative: str) -> Entry:
        """An entry file, decrypted when sealed. Raises FileFormatError naming it."""
        path = self.path(relative)
        try:
            return parse_entry(decode_entry_bytes(self.read_plain(relative)))
        except UnreadableFileError:
            raise
        except FileFormatError as error:
            raise UnreadableFileError(path, error.message.rstrip(".")) from None

    def read_plain(self, relative: str) -> bytes:
        """An entry file's bytes, decrypted when sealed: a regular file only (never
        through a link, never a FIFO or device), bounded in size."""
        path = self.path(relative)
        try:
            data = read_bounded(path, MAX_FILE_BYTES)
        except OSError as error:
            raise UnreadableFileError(path, error.strerror or "it cannot be opened") from None
        return self.keys.unseal(data) if layout.is_sealed(relative) else data

    def write_entry(self, entry: Entry, *, keep_id: bool) -> list[str]:
        """Write one entry, never over another; returns the files written. A taken id gets
        a new random suffix, or, with keep_id (imports), raises FileExistsError. Call
        under the write lock."""
        sealed = self.keys.encrypted
        check_entry(entry)  # nothing is written that would not read back the same
        for _ in range(5):
            relative = layout.entry_path(entry.id, sealed=sealed)
            try:
                if not sealed:
                    write_atomic(
                        self.place(relative), format_entry(entry).encode(), overwrite=False
                    )
                    return [relative]
                # The readable metadata first and exclusively: it claims the id. Should
                # the encrypted file exist already, the claim is withdrawn.
                meta = self.place(layout.meta_path(relative))
                write_atomic(meta, format_meta(entry).encode(), overwrite=False)
                try:
                    data = self.keys.seal(format_entry(entry).encode())
                    write_atomic(self.path(relative), data, overwrite=False)
                except BaseException:
                    meta.unlink(missing_ok=True)
                    raise
                return [relative, layout.meta_path(relative)]
            except FileExistsError:
                if keep_id:
                    raise
                entry = entry._replace(id=new_entry_id(entry.created_local))
        raise SaveError("Could not find a free file name for the entry.")

    def checked_content(self, relative: str, original: Entry) -> str:
        """The entry file's text, when it still holds `original`; else ChangedMeanwhile."""
        try:
            content = decode_entry_bytes(self.read_plain(relative))
            current: Entry | None = parse_entry(content)
        except (OSError, FileFormatError):
            raise ChangedMeanwhile from None
        if current != original:
            raise ChangedMeanwhile
        return content

    def replace_text(
        self, relative: str, original: Entry, text: str, *, metadata: Entry | None = None
    ) -> Entry:
        """Give an entry a new body, keeping its front matter byte for byte (or, given
        metadata, writing that front matter in the same write). Raises ChangedMeanwhile
        when the file is no longer `original`, OSError when it cannot be written. Call
        under the write lock."""
        content = self.checked_content(relative, original)
        if text == original.text and metadata is None:
            # Sealing again would give different bytes (age is not deterministic): a
            # needless rewrite is a needless sync conflict.
            return original
        new_content = replace_body(content, text)
        if metadata is not None:
            return self.replace_metadata(relative, original, metadata, content=new_content)
        data = new_content.encode()
        if layout.is_sealed(relative):
            data = self.keys.seal(data)
        write_atomic(self.place(relative), data, overwrite=True)
        return original._replace(text=text)

    def replace_metadata(
        self, relative: str, original: Entry, updated: Entry, *, content: str | None = None
    ) -> Entry:
        """Give an entry new front matter (tags, mood, layer, day, lookback), its body
        kept byte for byte. In an encrypted journal the sealed file and its readable
        .meta.toml change together. Raises ChangedMeanwhile when the file is no longer
        `original` (content: the file's new text, already checked by the caller)."""
        if content is None:
            content = self.checked_content(relative, original)
        check_entry(updated)  # new front matter must read back, as any written entry must
        data = replace_front_matter(content, updated).encode()
        if not layout.is_sealed(relative):
            write_atomic(self.place(relative), data, overwrite=True)
            return updated
        replace_together(
            [
                (self.place(relative), self.keys.seal(data)),
                (self.place(layout.meta_path(relative)), format_meta(updated).encode()),
            ]
        )
        return updated

    def exists(self, entry_id: str) -> bool:
        return any(
            os.path.lexists(self.path(layout.entry_path(entry_id, sealed=sealed)))
            for sealed in (False, True)
        )

    # --- pauses ----------------------------------------------------------------------

    def write_pause(
        self, pause: Pause, *, overwrite: bool = False, relative: str | None = None
    ) -> None:
        """Write a pause file (at relative, when it is rewritten where it was found); in
        an encrypted journal its note is sealed."""
        if self.keys.encrypted and pause.note is not None:
            armored = self.keys.seal(pause.note.encode(), armored=True)
            pause = pause._replace(note=None, sealed_note=armored.decode("ascii"))
        path = self.place(relative or f"{layout.PAUSES}/{pause.id}.toml")
        write_atomic(path, format_pause(pause).encode(), overwrite=overwrite)

    def remove_file(self, relative: str) -> None:
        remove_file(self.path(relative))

    def pauses_on_disk(self) -> list[tuple[str, Pause]]:
        """Every readable pause file (regular files only), with where it is."""
        found = []
        folder = self.root / layout.PAUSES
        for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
            relative = f"{layout.PAUSES}/{name}"
            if not layout.PAUSE_FILE.fullmatch(name):
                continue
            with contextlib.suppress(FileFormatError, OSError, UnicodeDecodeError):
                data = read_bounded(self.path(relative), MAX_FILE_BYTES)
                found.append((relative, parse_pause(data.decode("utf-8"))))
        return found

    # --- the whole folder ------------------------------------------------------------

    def entry_files(self, strays: list[Path] | None = None) -> list[Path]:
        """As entry_paths, as Paths."""
        return [Path(path) for path in self.entry_paths(strays)]

    def entry_paths(self, strays: list[Path] | None = None) -> list[str]:
        """Entry files in entries/, trash/ and conflicts/ (versions a sync kept), plain
        and encrypted, named as the journal names them (not metadata, other tools'
        conflict copies or anything else). Names like theirs that are not regular files
        are left out, and listed in strays when given."""
        regular: list[str] = []
        others: list[str] = []
        wanted = (
            (layout.ENTRIES, layout.is_entry_text),
            (layout.TRASH, layout.trash_name),
            (layout.CONFLICTS, is_conflict_text),
        )
        for top, named in wanted:
            # One scandir per folder; a name's type comes with it (no stat per file).
            for entry in scan_tree(str(self.root / top)):
                if named(entry.name):
                    # Regular files only: a link named like an entry is never followed
                    # (it could pull /etc/passwd into the journal), a FIFO never opened.
                    (regular if entry.is_file(follow_symlinks=False) else others).append(entry.path)
        if strays is not None:
            strays += [Path(path) for path in sorted(others)]
        regular.sort()
        return regular

    def sweep(self, leftovers: Iterable[str]) -> None:
        """Remove temp files that writers which stopped long ago left behind."""
        for relative in leftovers:
            sweep_stale_temp(self.path(relative))


def walk(top: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk that follows no link, not even when top itself is one (entries/ made a
    link to somewhere else is not the journal's)."""
    if os.path.islink(top):
        return iter(())
    return os.walk(top)


def scan_tree(top: str) -> Iterator[os.DirEntry[str]]:
    """Every name below top that is not a folder (links included, never followed; top
    itself a link yields nothing)."""
    if os.path.islink(top):
        return
    stack = [top]
    while stack:
        try:
            with os.scandir(stack.pop()) as names:
                for entry in names:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        yield entry
        except OSError:
            continue


def is_regular(path: Path) -> bool:
    """A regular file itself, not a link to one (lstat)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def is_conflict_text(name: str) -> bool:
    named = layout.conflict_name(name)
    return named is not None and named[2] != layout.META
