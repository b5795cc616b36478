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
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from layers_journal.ui.messages import plural

from .folder import layout
from .folder.storage import remove_file

if TYPE_CHECKING:
    from .folder.drafts import Draft
    from .folder.entries import Entry
    from .journal.facade import Journal


class Finding(NamedTuple):
    kind: str
    path: str
    message: str
    fixable: bool = False


def examine(journal: Journal) -> list[Finding]:
    """Everything that needs attention; an empty list means all is well."""
    findings: list[Finding] = []
    findings += permission_findings(journal)
    from .index import MISSING_META

    findings += [
        Finding("file", problem.path, problem.reason, problem.reason == MISSING_META)
        for problem in journal.problems()
    ]
    findings += encryption_findings(journal)
    findings += key_findings(journal)
    findings += sealed_findings(journal)
    findings += conflict_findings(journal)
    findings += index_findings(journal)
    findings += [
        Finding("draft", str(draft.file), draft_words(draft), True)
        for draft in journal.drafts.left()
    ]
    findings += recovery_findings(journal)
    return findings


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
    """Every folder and regular file below top (top included), never through links."""
    try:
        top_mode = os.lstat(top).st_mode
    except OSError:
        return
    if not stat.S_ISDIR(top_mode):
        return
    yield top, top_mode
    for folder, dirs, files in os.walk(top):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
                yield path, mode


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


def encryption_findings(journal: Journal) -> list[Finding]:
    from .folder import crypto

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
    for path in journal.store.entry_files():
        if layout.is_sealed(path.name):
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
    from .folder.store import walk

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
    from .errors import JournalError
    from .folder.crypto import KEY_NAME, passphrase_from_env

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
    from .errors import KeyFileError
    from .folder.crypto import RECIPIENT_NAME, read_recipient

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
    from .folder.storage import write_atomic

    done = []
    for finding in findings:
        if finding.kind == "key" and finding.fixable:
            right = journal.keys.known_recipient()
            write_atomic(Path(finding.path), f"{right}\n".encode("ascii"), overwrite=True)
            journal.keys.forget_recipient()
            done.append(f"wrote the journal's own public key to {Path(finding.path).name}")
    return done


AGE_HEADERS = (b"age-encryption.org/v1\n", b"-----BEGIN AGE ENCRYPTED FILE-----")


def sealed_findings(journal: Journal) -> list[Finding]:
    """Encrypted entries that cannot be opened: without the passphrase, those that are
    not age files at all; with it (in the environment), every one is opened."""
    from .errors import FileFormatError
    from .folder.crypto import unseal
    from .folder.entries import MAX_FILE_BYTES
    from .folder.storage import read_bounded

    sealed = [path for path in journal.store.entry_files() if layout.is_sealed(path.name)]
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
    from .errors import KeyFileError

    try:
        journal.keys.recipient()
    except KeyFileError:
        return False
    return True


def seal_plain(journal: Journal, findings: list[Finding]) -> list[str]:
    """Encrypt plain entries in an encrypted journal with its public key."""
    from .folder.conversion import seal_plain_files

    if not any(finding.kind == "unsealed" for finding in findings):
        return []
    with journal.store.writing():
        count = seal_plain_files(journal.store, journal.notes)
    journal.reset_index()
    return [f"encrypted {plural(count, 'plain-text entry', 'plain-text entries')}"]


# --- versions kept by sync ---------------------------------------------------------------------


def conflict_findings(journal: Journal) -> list[Finding]:
    from .sync.conflicts import conflict_copies, other_kept_files

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


# --- drafts and recovered text ----------------------------------------------------------------


def draft_words(draft: Draft) -> str:
    from .folder.drafts import WRITER

    if draft.entry_id:
        return f"changes to {draft.entry_id} left when its editor stopped; --fix applies them"
    if draft.about.get("aside"):
        return "a page set aside in journal today; --fix saves it as an entry"
    if draft.source == WRITER:
        return "a page left unsaved when the writer closed; --fix saves it as an entry"
    return "an editor draft left when the journal stopped"


def mend(journal: Journal, findings: list[Finding], *, now: datetime) -> list[str]:
    """Everything --fix does, in a safe order; returns what was done. Recovered words
    become entries written `now`."""
    done = fix_permissions(findings)
    done += fix_keys(journal, findings)
    done += recover(journal, findings, now=now)
    for finding in findings:
        if finding.kind == "encryption" and layout.is_meta(finding.path):
            remove_file(Path(finding.path))
            done.append(f"removed the leftover {Path(finding.path).name}")
    done += rebuild_metadata(journal, findings)
    done += seal_plain(journal, findings)
    if any(finding.kind == "index" for finding in findings):
        journal.reset_index()
        journal.index()
        done.append("rebuilt the index from the files")
    journal.refresh()
    return done


def rebuild_metadata(journal: Journal, findings: list[Finding]) -> list[str]:
    """Write the readable metadata of encrypted entries that lost it (needs the key)."""
    from .folder.entries import format_meta
    from .folder.storage import write_atomic

    done = []
    for finding in findings:
        if finding.kind != "file" or not finding.fixable:
            continue
        entry = journal.store.read(finding.path)
        meta = journal.store.path(layout.meta_path(finding.path))
        write_atomic(meta, format_meta(entry).encode(), overwrite=False)
        done.append(f"rebuilt the metadata of {meta.name[: -len(layout.META)]}{layout.SEALED}")
    return done


def recover(journal: Journal, findings: list[Finding], *, now: datetime) -> list[str]:
    """Save drafts and recovered text into the journal, then tidy them away. One that
    cannot be put back is named and left where it is; the others carry on."""
    from .errors import JournalError, reason
    from .folder.drafts import Draft

    done = []
    for finding in findings:
        path = Path(finding.path)
        try:
            if finding.kind == "draft":
                done += recover_draft(journal, Draft(path.parent, journal.keys), now=now)
            elif finding.kind == "recovery":
                done += recover_kept(journal, path, now=now)
        except (OSError, JournalError) as error:
            done.append(f"left {path} as it is, since it could not be put back ({reason(error)})")
    return done


def recover_draft(journal: Journal, draft: Draft, *, now: datetime) -> list[str]:
    """A draft of an edit goes back to its entry; a new page becomes an entry tagged
    recovered. Then the draft is tidied away."""
    from .errors import JournalError
    from .folder.entries import clean_body, new_entry

    raw = draft.text()
    text = clean_body(raw)
    done = []
    if draft.entry_id:
        try:
            located = journal.finder.locate(draft.entry_id)
        except JournalError:
            located = None
        if located is not None:
            original = journal.finder.read_entry(located)
            if raw in (original.text + "\n", original.text) or text == original.text:
                done.append(f"removed a draft of {located.id} that held no changes")
            elif text.strip():
                journal.changes.replace_text(located, original, text)
                done.append(f"applied the draft {draft.file} to {located.id}")
            draft.discard()
            return done
    if text.strip():
        entry = new_entry(
            journal.clock,
            now=now,
            text=text,
            tags=["recovered"],
            **usable_about(journal, draft.about, now),
        )
        saved = journal.changes.save_new(entry)
        gone = f" ({draft.entry_id} is no longer there)" if draft.entry_id else ""
        done.append(f"saved the draft {draft.file} as {saved.name}{gone}")
    draft.discard()
    return done


def usable_about(journal: Journal, about: dict[str, object], now: datetime) -> dict[str, Any]:
    """What a draft was to be (from its draft.toml), keeping only values an entry can
    hold: a broken one is dropped rather than standing between the words and the journal."""
    from datetime import date

    from .days import in_calendar
    from .folder.entries import storable
    from .model.layers import LAYERS

    day = about.get("day")
    if not isinstance(day, date) or isinstance(day, datetime) or not in_calendar(day):
        day = journal.clock.day_of(now)
    usable: dict[str, Any] = {"day": day, "theme": about.get("theme")}
    if usable["theme"] not in LAYERS:
        usable["theme"] = None
    for name in ("prompt_id", "prompt"):
        value = about.get(name)
        usable[name] = value if isinstance(value, str) and storable(value) else None
    return usable


def recover_kept(journal: Journal, path: Path, *, now: datetime) -> list[str]:
    from .folder.entries import new_entry

    entry = read_kept(journal, path)
    if journal.store.exists(entry.id):
        # A newer text of an entry that is still there: keep both, side by side.
        entry = new_entry(
            journal.clock,
            now=now,
            day=entry.day,
            text=entry.text,
            theme=entry.theme,
            prompt_id=entry.prompt_id,
            prompt=entry.prompt,
            mood=entry.mood,
            tags=[*entry.tags, "recovered"],
        )
        journal.changes.save_new(entry)
    else:
        journal.changes.import_all([entry])
    path.unlink()
    return [f"put {path.name} back into the journal as {entry.id}"]


def read_kept(journal: Journal, path: Path, *, unseal: bool = True) -> Entry:
    """An entry kept in the recovery folder. FileFormatError says why it cannot be read;
    with unseal=False a sealed one is only checked to be a file (no passphrase asked)."""
    from .errors import FileFormatError
    from .folder.entries import MAX_FILE_BYTES, decode_entry_bytes, parse_entry
    from .folder.storage import read_bounded

    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except OSError as error:
        raise FileFormatError(error.strerror or "it cannot be opened") from None
    if layout.is_sealed(path.name):
        if not unseal:
            raise LookupError  # cannot tell without the key
        data = journal.keys.unseal(data)
    return parse_entry(decode_entry_bytes(data))


def recovery_findings(journal: Journal) -> list[Finding]:
    """Text kept after a failed save: --fix puts it back, unless it cannot be read (then
    it says why and leaves it for the person to open)."""
    from .errors import FileFormatError

    found = []
    for path in journal.recovery.files():
        try:
            read_kept(journal, path, unseal=journal.keys.unlocked is not None)
        except LookupError:
            pass
        except FileFormatError as error:
            found.append(
                Finding(
                    "recovery",
                    str(path),
                    "words kept here when a save could not finish, which --fix cannot put back "
                    f"({error.message.rstrip('.')}); open the file to copy them",
                )
            )
            continue
        found.append(
            Finding("recovery", str(path), "words kept here when a save could not finish", True)
        )
    return found
