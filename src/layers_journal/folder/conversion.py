"""Turning encryption at rest on and off for a whole journal, file by file.

Each file is converted atomically and the original removed only once its converted copy
is on disk, so an interrupted run loses nothing and running it again finishes the job.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers_journal.errors import FileFormatError

from . import crypto, layout
from .entries import MAX_FILE_BYTES, decode_entry_bytes, format_meta, parse_entry
from .pauses import format_pause
from .storage import ensure_private_dir, kind_of, read_bounded, remove_file, write_atomic
from .store import Store


def files_to_convert(store: Store, notes: list[str]) -> list[Path]:
    """The journal's entry files, and a note for each name like theirs that is not a
    regular file (a link, a FIFO, a device): left as it is, never opened."""
    strays: list[Path] = []
    found = store.entry_files(strays)
    for path in strays:
        try:
            what = kind_of(os.lstat(path).st_mode)
        except OSError:
            continue
        notes.append(f"{path} was left as it is ({what}, not an entry file).")
    return found


def read_for_conversion(store: Store, path: Path, notes: list[str]) -> bytes | None:
    """A journal file's bytes for converting; None (and a note naming it) when it is not
    a plain regular file of a sane size: a link is never followed, a FIFO never waited
    on, a device never read."""
    try:
        store.place(path.relative_to(store.root).as_posix())  # never through a link
        return read_bounded(path, MAX_FILE_BYTES)
    except OSError as error:
        notes.append(f"{path} was left as it is ({error.strerror}).")
        return None


def encrypt_journal(store: Store, passphrase: str) -> tuple[int, list[str]]:
    """Encrypt every entry, the trash and pause notes. Returns (entries converted,
    notes about files that are not readable entries)."""
    keys, root = store.keys, store.root
    notes: list[str] = []
    with store.writing():
        if keys.has_key:
            identity = keys.identity(passphrase)  # finishing an interrupted run
        else:
            ensure_private_dir(root)
            identity, _ = crypto.create_key(root, passphrase)
        keys.adopt(identity)
        converted = seal_plain_files(store, notes)
        for relative, pause in store.pauses_on_disk():
            if pause.note is not None:
                store.write_pause(pause, overwrite=True, relative=relative)
    return converted, notes


def seal_plain_files(store: Store, notes: list[str]) -> int:
    """Encrypt every plain entry file (entries, trash, conflict copies) to the journal's
    public key, which needs no passphrase: also for plain entries that arrived in an
    encrypted journal by sync. Call under the write lock. Returns the count."""
    converted = 0
    for path in files_to_convert(store, notes):
        if layout.is_sealed(path.name):
            continue
        data = read_for_conversion(store, path, notes)
        if data is None:
            continue
        try:
            meta = format_meta(parse_entry(decode_entry_bytes(data))).encode()
        except FileFormatError:
            # Not readable as an entry: encrypted all the same (it may hold words),
            # without metadata; the index and journal doctor name it.
            meta = None
            notes.append(f"{path} is not a readable entry; it was encrypted as it is.")
        sealed = path.with_name(layout.sealed_path(path.name))
        if meta is not None:
            write_atomic(sealed.with_name(layout.meta_path(sealed.name)), meta, overwrite=True)
        write_atomic(sealed, store.keys.seal(data), overwrite=True)
        remove_file(path)  # only once the encrypted copy is safely on disk
        converted += 1
    return converted


def decrypt_journal(store: Store, passphrase: str) -> tuple[int, list[str]]:
    """Turn every encrypted file back into plain text. Returns (entries converted, notes
    about files left as they are). A file that cannot be opened is left encrypted, and
    so is the journal, with its key, so nothing becomes unreadable for good."""
    keys, root = store.keys, store.root
    notes: list[str] = []
    with store.writing():
        identity = keys.identity(passphrase)
        converted = still_sealed = 0
        for path in files_to_convert(store, notes):
            if not layout.is_sealed(path.name):
                continue
            data = read_for_conversion(store, path, notes)
            if data is None:
                still_sealed += 1
                continue
            try:
                plain = crypto.unseal(data, identity)
            except FileFormatError as error:
                notes.append(f"{path} was left as it is: {error.message}.")
                still_sealed += 1
                continue
            write_atomic(path.with_name(layout.plain_path(path.name)), plain, overwrite=True)
            remove_file(path)
            remove_file(path.with_name(layout.meta_path(path.name)))
            converted += 1
        for relative, pause in store.pauses_on_disk():
            if pause.sealed_note is not None:
                try:
                    note = crypto.unseal(pause.sealed_note.encode("ascii"), identity).decode()
                except (FileFormatError, UnicodeError) as error:
                    notes.append(f"{store.path(relative)} was left as it is ({error}).")
                    still_sealed += 1
                    continue
                plain_pause = pause._replace(note=note, sealed_note=None)
                write_atomic(
                    store.place(relative), format_pause(plain_pause).encode(), overwrite=True
                )
        if still_sealed:
            return converted, notes  # the key stays for what is still sealed
        # The public key goes first so new entries are written in plain text; the
        # private key goes last, once nothing needs it any more.
        for name in (crypto.RECIPIENT_NAME, crypto.KEY_NAME):
            remove_file(root / name)
        keys.forget()
    return converted, notes
