"""`journal doctor`: look the journal over and say plainly what needs care.

Checks permissions, files that cannot be read or should not be there, conflict copies,
editor drafts left by a journal that stopped, text kept in the recovery folder, the
index's health and the state of encryption. With --fix it mends what it safely can:
permissions, drafts and recovered text (saved as entries, nothing deleted first), and
a damaged index (rebuilt).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.folder import layout
from layers_journal.folder.storage import remove_file
from layers_journal.ui.messages import plural

from .findings import Finding
from .kept import kept_words_findings, recover

__all__ = ["Check", "Finding", "examine", "mend"]

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal


Find = Callable[["Journal"], list[Finding]]
# A fix is handed every finding --fix may act on and mends those of its own kinds.
Fix = Callable[["Journal", list[Finding], datetime], list[str]]


class Check(NamedTuple):
    """What doctor looks for, and what --fix does about it: each fix with its place in
    the order --fix works in (the folder private first, then the key, then words put
    back, and the index rebuilt last)."""

    find: Find
    fixes: tuple[tuple[int, Fix], ...] = ()


def examine(journal: Journal) -> list[Finding]:
    """Everything that needs attention; an empty list means all is well."""
    return [finding for check in checks() for finding in check.find(journal)]


def mend(journal: Journal, findings: list[Finding], *, now: datetime) -> list[str]:
    """Everything --fix does, in a safe order; returns what was done. Recovered words
    become entries written `now`."""
    fixes = sorted(
        ((step, fix) for check in checks() for step, fix in check.fixes), key=lambda pair: pair[0]
    )
    done = [line for _, fix in fixes for line in fix(journal, findings, now)]
    journal.refresh()
    return done


def checks() -> tuple[Check, ...]:
    """Every check, in the order doctor says what it found."""
    return (
        Check(permission_findings, ((0, lambda _journal, found, _now: fix_permissions(found)),)),
        Check(file_findings, ((4, lambda journal, found, _now: rebuild_metadata(journal, found)),)),
        Check(
            encryption_findings,
            (
                (3, lambda _journal, found, _now: remove_leftovers(found)),
                (5, lambda journal, found, _now: seal_plain(journal, found)),
            ),
        ),
        Check(key_findings, ((1, lambda journal, found, _now: fix_keys(journal, found)),)),
        Check(sealed_findings),
        Check(conflict_findings),
        Check(index_findings, ((6, lambda journal, found, _now: rebuild_index(journal, found)),)),
        Check(kept_words_findings, ((2, recover),)),
    )


def file_findings(journal: Journal) -> list[Finding]:
    """Files the index could not use; an encrypted entry that lost its readable
    metadata can have it rebuilt."""
    from layers_journal.index import MISSING_META

    return [
        Finding("file", problem.path, problem.reason, problem.reason == MISSING_META)
        for problem in journal.problems()
    ]


# --- permissions ------------------------------------------------------------------------


def private_places(journal: Journal) -> list[Path]:
    paths = journal.paths
    return [journal.root, paths.config, paths.cache, paths.state]


def permission_findings(journal: Journal) -> list[Finding]:
    found = []
    # Inside a sync repository git sets its own files' modes (a `git status` run by hand
    # rewrites its index with the shell's umask); the private .git folder guards them.
    repository = journal.root / ".git"
    for top in private_places(journal):
        for path, mode in walk_modes(top):
            if path.parent != journal.root and path.is_relative_to(repository):
                continue
            wanted = 0o700 if stat.S_ISDIR(mode) else 0o600
            kind = "folder" if stat.S_ISDIR(mode) else "file"
            # What the journal itself needs: to read its files, and to open and write
            # in its folders (a chmod 000 hides a whole month).
            needed = 0o700 if stat.S_ISDIR(mode) else 0o400
            if stat.S_IMODE(mode) & 0o077:
                problem = "can be read by others"
            elif stat.S_IMODE(mode) & needed != needed:
                problem = (
                    "cannot be opened by you" if stat.S_ISDIR(mode) else "cannot be read by you"
                )
            else:
                continue
            found.append(
                Finding(
                    "permissions",
                    str(path),
                    f"this {kind} {problem} (mode {stat.S_IMODE(mode):03o}, should be {wanted:o})",
                    True,
                )
            )
    return found


def walk_modes(top: Path) -> Iterator[tuple[Path, int]]:
    """The folders and regular files below top whose mode needs a look (top itself
    always), never through links: one scandir per folder."""
    try:
        top_mode = os.lstat(top).st_mode
    except OSError:
        return
    if not stat.S_ISDIR(top_mode):
        return
    yield top, top_mode
    stack = [str(top)]
    while stack:
        try:
            names = os.scandir(stack.pop())
        except OSError:
            continue
        with names:
            for entry in names:
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError:
                    continue
                if stat.S_ISDIR(mode):
                    stack.append(entry.path)
                elif not stat.S_ISREG(mode):
                    continue
                if (
                    mode & 0o077
                    or mode & 0o400 != 0o400
                    or (stat.S_ISDIR(mode) and mode & 0o700 != 0o700)
                ):
                    yield Path(entry.path), mode


def fix_permissions(findings: list[Finding]) -> list[str]:
    done = []
    for finding in findings:
        if finding.kind != "permissions":
            continue
        path = Path(finding.path)
        mode = os.lstat(path).st_mode
        os.chmod(path, 0o700 if stat.S_ISDIR(mode) else 0o600)
        done.append(f"made {path} private")
    return done


# --- encryption ----------------------------------------------------------------------------


def encryption_findings(journal: Journal, files: list[str] | None = None) -> list[Finding]:
    from layers_journal.folder import crypto

    root = journal.root
    has_key = (root / crypto.KEY_NAME).exists()
    has_recipient = (root / crypto.RECIPIENT_NAME).exists()
    found = []
    if has_key != has_recipient:
        missing = crypto.RECIPIENT_NAME if has_key else crypto.KEY_NAME
        found.append(
            Finding(
                "encryption",
                str(root / missing),
                "one half of the journal key is missing; run journal encrypt (or decrypt) "
                "again with the passphrase to finish",
            )
        )
    plain = sealed = 0
    for path in journal.store.entry_paths() if files is None else files:
        if layout.is_sealed(path):
            sealed += 1
        else:
            plain += 1
    encrypted = has_key or has_recipient
    if encrypted and plain:
        # Sealing needs only the public key: --fix does it without the passphrase (a plain
        # entry can arrive by sync from a device that wrote before it learnt of the key).
        sealable = has_recipient and can_seal(journal)
        found.append(
            Finding(
                "unsealed" if sealable else "encryption",
                str(root),
                f"{plural(plain, 'entry is', 'entries are')} still in plain text in this "
                "encrypted journal; "
                + (
                    f"--fix encrypts {'it' if plain == 1 else 'them'}"
                    if sealable
                    else "run journal encrypt again to finish"
                ),
                sealable,
            )
        )
    if not encrypted and sealed:
        found.append(
            Finding(
                "encryption",
                str(root),
                f"{plural(sealed, 'entry is', 'entries are')} encrypted but the journal key is "
                "gone; they cannot be "
                "read without it",
            )
        )
    for meta in leftover_metadata(root):
        found.append(
            Finding(
                "encryption",
                str(meta),
                "metadata of an encrypted entry that is no longer there",
                True,
            )
        )
    return found


def leftover_metadata(root: Path) -> list[Path]:
    """The journal's own metadata files (named exactly as it names them, regular files)
    whose encrypted entry is gone. Anything else is the person's, and left alone."""
    from layers_journal.folder.store import walk

    found = []
    for folder, _dirs, names in walk(root / layout.ENTRIES):
        for name in names:
            meta = Path(folder) / name
            if layout.entry_id_of(name) is None or not layout.is_meta(name):
                continue
            if stat.S_ISREG(os.lstat(meta).st_mode) and not os.path.lexists(
                meta.with_name(layout.sealed_path(name))
            ):
                found.append(meta)
    return sorted(found)


# --- the key pair and what it sealed -----------------------------------------------------------


def given_passphrase(journal: Journal) -> tuple[object | None, list[Finding]]:
    """The journal's private key when a passphrase is given in the environment (doctor
    never asks), and a finding when the one given does not open it."""
    from layers_journal.errors import JournalError
    from layers_journal.folder.crypto import KEY_NAME, passphrase_from_env

    if not journal.keys.has_key:
        return None, []
    try:
        passphrase = passphrase_from_env()
        if passphrase is None:
            return None, []
        return journal.keys.identity(passphrase), []
    except JournalError as error:
        where = str(journal.root / KEY_NAME)
        message = error.message.rstrip(".")
        if message[1:2].islower():  # "That passphrase…", not "LAYERS_JOURNAL_…"
            message = message[:1].lower() + message[1:]
        return None, [Finding("key", where, message)]


def key_findings(journal: Journal) -> list[Finding]:
    """journal-key.pub must be the public half of the journal's own key: checked against
    the key itself when the passphrase is given, else against the one this machine last
    proved. New entries are sealed to it, so a wrong one seals them to someone else."""
    from layers_journal.errors import KeyFileError
    from layers_journal.folder.crypto import RECIPIENT_NAME, read_recipient

    identity, found = given_passphrase(journal)
    pub = journal.root / RECIPIENT_NAME
    right = journal.keys.known_recipient()
    if right is None or not os.path.lexists(pub):
        return found
    try:
        current = read_recipient(journal.root)
    except KeyFileError:
        current = None
    if current is None or str(current) != str(right):
        how = "the key itself" if identity is not None else "the key this machine last opened"
        found.append(
            Finding(
                "key",
                str(pub),
                "this public key does not belong to the journal's own key, so new entries "
                f"would be sealed to someone else's; --fix writes the right one (from {how})",
                True,
            )
        )
    return found


def fix_keys(journal: Journal, findings: list[Finding]) -> list[str]:
    from layers_journal.folder.storage import write_atomic

    done = []
    for finding in findings:
        if finding.kind == "key" and finding.fixable:
            right = journal.keys.known_recipient()
            write_atomic(Path(finding.path), f"{right}\n".encode("ascii"), overwrite=True)
            journal.keys.forget_recipient()
            done.append(f"wrote the journal's own public key to {Path(finding.path).name}")
    return done


AGE_HEADERS = (b"age-encryption.org/v1\n", b"-----BEGIN AGE ENCRYPTED FILE-----")


def sealed_findings(journal: Journal, files: list[str] | None = None) -> list[Finding]:
    """Encrypted entries that cannot be opened: without the passphrase, those that are
    not age files at all; with it (in the environment), every one is opened."""
    from layers_journal.errors import FileFormatError
    from layers_journal.folder.crypto import unseal
    from layers_journal.folder.entries import MAX_FILE_BYTES
    from layers_journal.folder.storage import read_bounded

    files = journal.store.entry_paths() if files is None else files
    sealed = [path for path in files if layout.is_sealed(path)]
    if not sealed:
        return []
    identity = journal.keys.unlocked
    found = []
    for path in sealed:
        try:
            data = read_bounded(path, MAX_FILE_BYTES)
            if not data.startswith(AGE_HEADERS):
                raise FileFormatError("it is not an age file")
            if identity is not None:
                unseal(data, identity)
        except (OSError, FileFormatError) as error:
            why = error.message if isinstance(error, FileFormatError) else error.strerror
            found.append(
                Finding(
                    "sealed",
                    str(path),
                    f"this encrypted entry cannot be opened ({why}); it is left as it is: "
                    "a backup copy, if you have one, can take its place",
                )
            )
    return found


def can_seal(journal: Journal) -> bool:
    from layers_journal.errors import KeyFileError

    try:
        journal.keys.recipient()
    except KeyFileError:
        return False
    return True


def seal_plain(journal: Journal, findings: list[Finding]) -> list[str]:
    """Encrypt plain entries in an encrypted journal with its public key."""
    from layers_journal.folder.conversion import seal_plain_files

    if not any(finding.kind == "unsealed" for finding in findings):
        return []
    with journal.store.writing():
        count = seal_plain_files(journal.store, journal.notes)
    journal.reset_index()
    return [f"encrypted {plural(count, 'plain-text entry', 'plain-text entries')}"]


# --- versions kept by sync ---------------------------------------------------------------------


def conflict_findings(journal: Journal) -> list[Finding]:
    from layers_journal.sync.conflicts import conflict_copies, other_kept_files

    found = [
        Finding(
            "conflict",
            str(journal.root / copy.path),
            f"this device's version of {copy.entry_id}, kept when a sync found it changed on "
            f"another device too; journal conflicts resolve {copy.entry_id} "
            "--keep mine|theirs|both settles it",
        )
        for copy in conflict_copies(journal)
    ]
    found += [
        Finding(
            "conflict",
            str(journal.root / path),
            "this device's version of a file a sync found changed on another device too; "
            "compare it with the original and remove it when you are done",
        )
        for path in other_kept_files(journal)
    ]
    return found


# --- the index -------------------------------------------------------------------------------


def index_findings(journal: Journal) -> list[Finding]:
    trouble = journal.index().health()
    if trouble is None:
        return []
    where = str(journal.paths.index_file(journal.root))
    return [Finding("index", where, trouble, True)]


def remove_leftovers(findings: list[Finding]) -> list[str]:
    """Readable metadata whose encrypted entry is gone."""
    done = []
    for finding in findings:
        if finding.kind == "encryption" and layout.is_meta(finding.path):
            remove_file(Path(finding.path))
            done.append(f"removed the leftover {Path(finding.path).name}")
    return done


def rebuild_index(journal: Journal, findings: list[Finding]) -> list[str]:
    if not any(finding.kind == "index" for finding in findings):
        return []
    journal.reset_index()
    journal.index()
    return ["rebuilt the index from the files"]


def rebuild_metadata(journal: Journal, findings: list[Finding]) -> list[str]:
    """Write the readable metadata of encrypted entries that lost it (needs the key)."""
    from layers_journal.folder.entries import format_meta
    from layers_journal.folder.storage import write_atomic

    done = []
    for finding in findings:
        if finding.kind != "file" or not finding.fixable:
            continue
        entry = journal.store.read(finding.path)
        meta = journal.store.path(layout.meta_path(finding.path))
        write_atomic(meta, format_meta(entry).encode(), overwrite=False)
        done.append(f"rebuilt the metadata of {meta.name[: -len(layout.META)]}{layout.SEALED}")
    return done
