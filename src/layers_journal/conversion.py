"""Turning encryption at rest on and off for a whole journal, file by file.

Each file is converted atomically and the original removed only once its converted copy
is on disk, so an interrupted run loses nothing and running it again finishes the job.
"""

from __future__ import annotations

from . import crypto, layout
from .entries import decode_entry_bytes, format_meta, parse_entry
from .errors import FileFormatError
from .pauses import format_pause
from .storage import ensure_private_dir, remove_file, write_atomic
from .store import Store


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
        for pause in store.pauses_on_disk():
            if pause.note is not None:
                store.write_pause(pause, overwrite=True)
    return converted, notes


def seal_plain_files(store: Store, notes: list[str]) -> int:
    """Encrypt every plain entry file (entries, trash, conflict copies) to the journal's
    public key, which needs no passphrase: also for plain entries that arrived in an
    encrypted journal by sync. Call under the write lock. Returns the count."""
    converted = 0
    for path in store.entry_files():
        if layout.is_sealed(path.name):
            continue
        data = path.read_bytes()
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


def decrypt_journal(store: Store, passphrase: str) -> int:
    """Turn every encrypted file back into plain text. Returns the entries converted."""
    keys, root = store.keys, store.root
    with store.writing():
        identity = keys.identity(passphrase)
        converted = 0
        for path in store.entry_files():
            if not layout.is_sealed(path.name):
                continue
            plain = crypto.unseal(path.read_bytes(), identity)
            write_atomic(path.with_name(layout.plain_path(path.name)), plain, overwrite=True)
            remove_file(path)
            remove_file(path.with_name(layout.meta_path(path.name)))
            converted += 1
        for pause in store.pauses_on_disk():
            if pause.sealed_note is not None:
                note = crypto.unseal(pause.sealed_note.encode("ascii"), identity).decode()
                path = root / layout.PAUSES / f"{pause.id}.toml"
                plain_pause = pause._replace(note=note, sealed_note=None)
                write_atomic(path, format_pause(plain_pause).encode(), overwrite=True)
        # The public key goes first so new entries are written in plain text; the
        # private key goes last, once nothing needs it any more.
        for name in (crypto.RECIPIENT_NAME, crypto.KEY_NAME):
            remove_file(root / name)
        keys.forget()
    return converted
