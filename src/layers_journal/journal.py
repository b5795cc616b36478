"""The journal folder: entries, pauses and trash on disk, and the index over them.

Every change goes through here, under one journal-wide lock, as atomic file writes.
Reading the index needs no lock: SQLite and the rename-into-place writes keep readers
consistent.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import crypto
from .config import Config, Paths
from .days import journal_day, load_zone, local_zone_name, wall_clock_day
from .entries import (
    MAX_ENTRY_BYTES,
    META_SUFFIX,
    SEALED_SUFFIX,
    Entry,
    decode_entry_bytes,
    entry_relative_path,
    format_entry,
    format_meta,
    new_entry_id,
    parse_entry,
    replace_body,
)
from .errors import (
    FileFormatError,
    JournalError,
    NotFoundError,
    SaveError,
    UsageError,
    reason,
)
from .pauses import Pause, format_pause, new_pause_id
from .storage import (
    ensure_private_dir,
    exclusive_lock,
    fsync_dir,
    move_no_clobber,
    write_atomic,
)

if TYPE_CHECKING:
    from .index import Index, Located, Problem, Query
    from .layers import EntryFacts, Report, Series
    from .today import PromptHistory


class ImportResult(NamedTuple):
    added: int
    skipped: int
    pauses_added: int = 0
    pauses_skipped: int = 0


class Journal:
    """One journal: its folder, its config, its index and (when needed) its key."""

    def __init__(self, paths: Paths, config: Config) -> None:
        self.paths = paths
        self.config = config
        self.root = (config.journal_dir or paths.data).absolute()
        self._index: Index | None = None
        self._identity: Any = None
        self._facts: list[EntryFacts] | None = None
        # Things this run had to work around, said once on stderr by the CLI.
        self.notes: list[str] = []
        self._pauses: list[Pause] | None = None

    # --- time ------------------------------------------------------------------------

    @cached_property
    def zone_name(self) -> str:
        return local_zone_name(self.config.timezone)

    @cached_property
    def zone(self) -> tzinfo:
        return load_zone(self.zone_name)

    def now(self) -> datetime:
        """The current instant in the journal's zone, to the second (as entries store it)."""
        return datetime.now(self.zone).replace(microsecond=0)

    def day_of(self, instant: datetime) -> date:
        return journal_day(instant, self.zone, self.config.day_start)

    def today(self) -> date:
        """The journal day it is now. Without a configured zone this is the system's
        wall clock, which needs no time zone database."""
        if self.config.timezone:
            return self.day_of(self.now())
        return wall_clock_day(datetime.now(), self.config.day_start)

    # --- folders and the index -------------------------------------------------------

    @cached_property
    def cache_key(self) -> str:
        """Names this journal's index and lock in the cache folder (several journals,
        through journal_dir, can share one cache)."""
        return f"{zlib.crc32(str(self.root).encode()):08x}"

    @property
    def index_path(self) -> Path:
        return self.paths.cache / f"index-{self.cache_key}.sqlite3"

    @property
    def encrypted(self) -> bool:
        return crypto.is_encrypted(self.root)

    def index(self) -> Index:
        """The index, brought up to date with the folder once per process.

        It is only a cache: when it cannot be written (a full disk, a read-only cache
        folder) this run reads the files into an index in memory instead.
        """
        if self._index is None:
            import sqlite3

            from .index import memory_index, open_index

            sealed, day_start = self.encrypted, self.config.day_start
            try:
                self._index = open_index(
                    self.index_path, self.root, sealed=sealed, day_start=day_start
                )
            except (sqlite3.OperationalError, OSError) as error:
                self._index = memory_index(self.root, sealed=sealed, day_start=day_start)
                self._index.refresh()
                self.notes.append(
                    f"The search index in {self.paths.cache} could not be written "
                    f"({reason(error)}); this run read the journal files directly."
                )
        return self._index

    def refresh(self) -> None:
        """See changes this process made itself."""
        self._facts = self._pauses = None
        if self._index is not None:
            self._index.refresh()

    def problems(self) -> list[Problem]:
        return self.index().problems

    def reset_index(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        from .index import remove_database

        if self._index is not None:
            self._index.close()
            self._index = None
        remove_database(self.index_path)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The journal-wide write lock, kept outside the journal folder: in the cache, or
        in the state folder when the cache cannot be used."""
        with contextlib.ExitStack() as stack:
            for folder in (self.paths.cache, self.paths.state):
                try:
                    stack.enter_context(exclusive_lock(folder / f"journal-{self.cache_key}.lock"))
                    break
                except OSError:
                    continue
            else:
                raise SaveError(
                    f"Neither {self.paths.cache} nor {self.paths.state} can be written, so the "
                    "journal cannot take the lock it writes under."
                )
            yield

    def entry_file(self, entry_id: str, *, sealed: bool) -> Path:
        suffix = SEALED_SUFFIX if sealed else ".md"
        return self.root / entry_relative_path(entry_id, suffix)

    # --- the model -------------------------------------------------------------------

    def facts(self) -> list[EntryFacts]:
        """What the layers model needs of every entry (asked once per run)."""
        if self._facts is None:
            self._facts = self.index().day_counts()
        return self._facts

    def pauses(self) -> list[Pause]:
        if self._pauses is None:
            self._pauses = self.index().pauses()
        return self._pauses

    def prompt_history(self, today: date, *, backfill: bool = False) -> PromptHistory:
        """What prompt choice needs of the entries written before today began (so the
        prompt stays put all day), or of every entry so far for a backfill."""
        from .layers import BACKFILL_DAYS
        from .prompts import DEPTH_UNLOCK
        from .today import PromptHistory

        index = self.index()
        before = None if backfill else today
        return PromptHistory(
            last_theme=index.last_theme(before),
            active_days=index.layer_days(
                before, window=BACKFILL_DAYS, cap=max(DEPTH_UNLOCK.values())
            ),
            # Prompt ids are sealed in an encrypted journal: it walks the prompts in order.
            entries=index.layer_entries(before) if self.encrypted else {},
            answered=None if self.encrypted else index.answered_prompts(before),
        )

    def rest_spans(self) -> list[tuple[date, date]]:
        return [(pause.start, pause.end) for pause in self.pauses()]

    def report(self, today: date) -> Report:
        """The whole layers model as of `today`."""
        from .layers import compute_layers

        return compute_layers(self.facts(), self.rest_spans(), today, self.config.cadences)

    def presence(self, today: date) -> Series:
        """Just the presence series as of `today`."""
        from .layers import compute_presence

        cadence = self.config.cadences["presence"]
        return compute_presence(self.facts(), self.rest_spans(), today, cadence)

    # --- keys ------------------------------------------------------------------------

    def identity(self, passphrase: str | None = None) -> Any:
        """The private key, asking for the passphrase at most once per process."""
        if self._identity is None:
            secret = passphrase if passphrase is not None else crypto.ask_passphrase()
            self._identity = crypto.unlock(self.root, secret)
        return self._identity

    # --- reading ---------------------------------------------------------------------

    def locate(self, prefix: str) -> Located:
        """The one entry whose id starts with prefix (like git's short hashes)."""
        prefix = prefix.strip()
        if not prefix:
            raise UsageError("Give an entry id, or the first few characters of one.")
        matches = self.index().locate(prefix)
        exact = [match for match in matches if match.id == prefix]
        if exact:
            return exact[0]
        if not matches:
            raise NotFoundError(f"No entry has an id starting with {prefix!r}.")
        if len(matches) > 1:
            shown = ", ".join(match.id for match in matches[:5])
            raise UsageError(f"{prefix!r} matches several entries ({shown}); give more of the id.")
        return matches[0]

    def read_entry(self, located: Located) -> Entry:
        return self.read_file(self.root / located.path)

    def read_file(self, path: Path) -> Entry:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise FileFormatError(f"{path} cannot be read ({error.strerror}).") from None
        if path.name.endswith(".age"):
            data = crypto.unseal(data, self.identity())
        try:
            return parse_entry(decode_entry_bytes(data))
        except FileFormatError as error:
            raise FileFormatError(f"{path} cannot be read: {error.message}.") from None

    def query(self, query: Query) -> list[Entry]:
        """Entries matching a history query, with their text (decrypted when sealed)."""
        if not self.encrypted:
            return self.index().query(query)
        from .index import memory_index

        # Search an encrypted journal in memory only: no plaintext reaches the disk.
        memory = memory_index(self.root, day_start=self.config.day_start)
        with memory.transaction():
            for entry, path in self.all_entries():
                memory.insert_entry(path, entry, sealed=False)
        found = memory.query(query)
        memory.close()
        return found

    def all_entries(self) -> Iterator[tuple[Entry, str]]:
        """Every readable entry with its relative path, decrypting when needed."""
        rows = self.index().db.execute("SELECT path FROM entries ORDER BY created_utc")
        for (path,) in rows.fetchall():
            yield self.read_file(self.root / path), path

    def draft_about(
        self, day: date, theme: str | None, prompt_id: str | None, prompt: str | None
    ) -> dict[str, object]:
        """What goes beside an editor draft so a recovered draft keeps it. An encrypted
        journal keeps to what it promises to show: the day and the layer."""
        about: dict[str, object] = {"day": day, "theme": theme}
        if not self.encrypted:
            about |= {"prompt_id": prompt_id, "prompt": prompt}
        return about

    # --- writing ---------------------------------------------------------------------

    def save_new(self, entry: Entry) -> Path:
        """Write a new entry file (never replacing one). On failure the text is kept in
        a recovery file, or handed back, and SaveError says where."""
        if len(entry.text.encode("utf-8")) > MAX_ENTRY_BYTES - 65536:
            raise SaveError(
                f"That text is longer than one entry can hold ({MAX_ENTRY_BYTES // 2**20} MB), "
                "so it was not saved."
            )
        try:
            with self.writing():
                path = self.write_entry_file(entry, keep_id=False)
        except (OSError, JournalError) as error:
            raise self.kept_elsewhere(
                entry, f"The entry could not be saved ({reason(error)})"
            ) from None
        written = [path]
        if path.name.endswith(SEALED_SUFFIX):
            written.append(path.with_name(path.name.replace(SEALED_SUFFIX, META_SUFFIX)))
        self._facts = self._pauses = None
        if self._index is not None:  # a whole rescan is not needed for one new file
            import sqlite3

            with contextlib.suppress(sqlite3.Error):  # the entry is safe; the next run catches up
                self._index.note_written(p.relative_to(self.root).as_posix() for p in written)
        return path

    def write_entry_file(self, entry: Entry, *, keep_id: bool) -> Path:
        """Write one entry, never over another. A taken id gets a new random suffix, or,
        with keep_id (imports), raises FileExistsError. Call under the write lock."""
        sealed = self.encrypted
        recipient = crypto.read_recipient(self.root) if sealed else None
        for _ in range(5):
            path = self.entry_file(entry.id, sealed=sealed)
            try:
                if recipient is None:
                    write_atomic(path, format_entry(entry).encode(), overwrite=False)
                    return path
                # The readable metadata first and exclusively: it claims the id. Should
                # the encrypted file exist already, the claim is withdrawn.
                meta = path.with_name(entry.id + META_SUFFIX)
                write_atomic(meta, format_meta(entry).encode(), overwrite=False)
                try:
                    sealed_text = crypto.seal(format_entry(entry).encode(), recipient)
                    write_atomic(path, sealed_text, overwrite=False)
                except BaseException:
                    meta.unlink(missing_ok=True)
                    raise
                return path
            except FileExistsError:
                if keep_id:
                    raise
                entry = entry._replace(id=new_entry_id(entry.created_local))
        raise SaveError("Could not find a free file name for the entry.")

    def kept_elsewhere(self, entry: Entry, what_happened: str) -> SaveError:
        """The SaveError for a failed write: the words go to the recovery folder, or, if
        nothing at all can be written, are handed back to be printed."""
        try:
            kept = self.keep_for_recovery(entry)
        except (OSError, JournalError):
            failure = SaveError(
                f"{what_happened}, and no safe place was free; your words are printed below "
                "so you can copy them."
            )
            failure.unsaved_text = entry.text  # type: ignore[attr-defined]
            return failure
        return SaveError(
            f"{what_happened}; your words are safe in {kept}, and journal doctor can bring "
            "them back."
        )

    def keep_for_recovery(self, entry: Entry) -> Path:
        """Put the whole entry in the private recovery folder (encrypted when the journal
        is), outside the journal folder in case that is what failed."""
        folder = ensure_private_dir(self.paths.state / "recovery")
        data = format_entry(entry).encode()
        name = entry.id + ".md"
        if self.encrypted:
            data = crypto.seal(data, crypto.read_recipient(self.root))
            name += ".age"
        path = folder / name
        write_atomic(path, data, overwrite=False)
        return path

    def replace_text(self, located: Located, original: Entry, text: str) -> Entry:
        """Give an entry a new body, keeping its front matter as it was. If the entry
        changed or went missing meanwhile, or cannot be written, the new text is kept in
        the recovery folder (or handed back) and SaveError says so."""
        path = self.root / located.path
        updated = original._replace(text=text)
        with self.writing():
            try:
                current: Entry | None = self.read_file(path)
                raw = path.read_bytes()
                if located.sealed:
                    raw = crypto.unseal(raw, self.identity())
                content = replace_body(decode_entry_bytes(raw), text).encode()
                if located.sealed:
                    content = crypto.seal(content, crypto.read_recipient(self.root))
            except (OSError, JournalError):
                current = None
            if current != original:
                raise self.kept_elsewhere(
                    updated, "The entry changed or went missing while you were editing"
                )
            try:
                write_atomic(path, content, overwrite=True)
            except OSError as error:
                raise self.kept_elsewhere(
                    updated, f"The new text could not be saved ({reason(error)})"
                ) from None
        self.refresh()
        return updated

    def trash(self, located: Located) -> Path:
        """Move an entry (and its metadata) into trash/, never deleting it."""
        source = self.root / located.path
        target = self.root / "trash" / Path(located.path).relative_to("entries")
        suffix = SEALED_SUFFIX if located.sealed else ".md"
        copies = 1
        while target.exists():  # the same id trashed before: keep both
            copies += 1
            target = target.with_name(f"{located.id}.{copies}{suffix}")
        with self.writing():
            move_no_clobber(source, target)
            meta = source.with_name(located.id + META_SUFFIX)
            if meta.exists():
                move_no_clobber(meta, target.with_name(target.name.replace(suffix, META_SUFFIX)))
        self.refresh()
        return target

    def restore(self, prefix: str) -> Path:
        """Bring an entry back from the trash (the latest copy, if it was trashed twice)."""
        prefix = prefix.strip()
        matches = sorted(
            path
            for path in (self.root / "trash").rglob("*")
            if prefix
            and path.name.startswith(prefix)
            and path.name.endswith((".md", SEALED_SUFFIX))
        )
        if not matches:
            raise NotFoundError(f"Nothing in the trash has an id starting with {prefix!r}.")
        ids = {path.name.split(".", 1)[0] for path in matches}
        if len(ids) > 1:
            shown = ", ".join(sorted(ids)[:5])
            raise UsageError(f"{prefix!r} matches several entries in the trash ({shown}).")
        matches.sort(key=trash_copy_number)
        source = matches[-1]
        entry_id = source.name.split(".", 1)[0]
        sealed = source.name.endswith(SEALED_SUFFIX)
        target = self.entry_file(entry_id, sealed=sealed)
        suffix = SEALED_SUFFIX if sealed else ".md"
        with self.writing():
            if self.exists_anywhere(entry_id):
                raise UsageError(f"An entry with id {entry_id} is already in the journal.")
            meta = source.with_name(source.name.replace(suffix, META_SUFFIX))
            if meta.exists():
                move_no_clobber(meta, target.with_name(entry_id + META_SUFFIX))
            move_no_clobber(source, target)
        self.refresh()
        return target

    # --- pauses ----------------------------------------------------------------------

    def add_pause(self, start: date, end: date, note: str | None) -> Pause:
        pause = Pause(id=new_pause_id(start), start=start, end=end, note=note)
        with self.writing():
            self.write_pause(pause)
        self.refresh()
        return pause

    def write_pause(self, pause: Pause, *, overwrite: bool = False) -> None:
        if self.encrypted and pause.note is not None:
            armored = crypto.seal(
                pause.note.encode(), crypto.read_recipient(self.root), armored=True
            )
            pause = pause._replace(note=None, sealed_note=armored.decode("ascii"))
        path = self.root / "pauses" / f"{pause.id}.toml"
        write_atomic(path, format_pause(pause).encode(), overwrite=overwrite)

    def remove_pause(self, prefix: str) -> Pause:
        matches = self.index().locate(prefix.strip(), table="pauses") if prefix.strip() else []
        exact = [match for match in matches if match.id == prefix.strip()]
        if exact:
            matches = exact
        if not matches:
            raise NotFoundError(f"No pause has an id starting with {prefix!r}.")
        if len(matches) > 1:
            raise UsageError(f"{prefix!r} matches several pauses; give more of the id.")
        pause = next(p for p in self.pauses() if p.id == matches[0].id)
        with self.writing():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.root / matches[0].path)
            fsync_dir(self.root / "pauses")
        self.refresh()
        return pause

    def pause_note(self, pause: Pause) -> str | None:
        if pause.sealed_note is None:
            return pause.note
        return crypto.unseal(pause.sealed_note.encode("ascii"), self.identity()).decode()

    # --- import ----------------------------------------------------------------------

    def import_all(self, entries: Iterable[Entry], pauses: Iterable[Pause] = ()) -> ImportResult:
        """Add entries and pauses whose ids the journal does not have yet."""
        added = skipped = pauses_added = pauses_skipped = 0
        with self.writing():
            known = {row[0] for row in self.index().db.execute("SELECT id FROM entries")}
            for entry in entries:
                if entry.id in known or self.exists_anywhere(entry.id):
                    skipped += 1
                    continue
                try:
                    self.write_entry_file(entry, keep_id=True)
                except FileExistsError:
                    skipped += 1
                    continue
                except OSError as error:
                    raise SaveError(
                        f"The import stopped after {added} entries ({error.strerror}); "
                        "running it again adds the rest."
                    ) from None
                known.add(entry.id)
                added += 1
            known_pauses = {pause.id for pause in self.pauses()}
            for pause in pauses:
                if pause.id in known_pauses:
                    pauses_skipped += 1
                    continue
                self.write_pause(pause)
                known_pauses.add(pause.id)
                pauses_added += 1
        self.refresh()
        return ImportResult(added, skipped, pauses_added, pauses_skipped)

    def exists_anywhere(self, entry_id: str) -> bool:
        return (
            self.entry_file(entry_id, sealed=False).exists()
            or self.entry_file(entry_id, sealed=True).exists()
        )

    # --- encryption ------------------------------------------------------------------

    def journal_files(self) -> list[Path]:
        """Entry files in entries/ and trash/, plain and encrypted, named as the journal
        names them (not metadata, conflict copies or anything else)."""
        from .index import ENTRY_FILE

        found: list[Path] = []
        for top in ("entries", "trash"):
            for folder, _dirs, names in os.walk(self.root / top):
                for name in names:
                    stem = name.replace(SEALED_SUFFIX, ".md")
                    if name.endswith((".md", SEALED_SUFFIX)) and ENTRY_FILE.fullmatch(stem):
                        found.append(Path(folder) / name)
        return sorted(found)

    def encrypt(self, passphrase: str) -> int:
        """Encrypt every entry, the trash and pause notes; resumable. Returns the count."""
        with self.writing():
            if (self.root / crypto.KEY_NAME).exists():
                identity = self.identity(passphrase)  # finishing an interrupted run
                crypto.write_recipient(self.root, identity)
            else:
                ensure_private_dir(self.root)
                identity, _ = crypto.create_key(self.root, passphrase)
            self._identity = identity
            recipient = crypto.read_recipient(self.root)
            converted = 0
            for path in self.journal_files():
                if path.name.endswith(SEALED_SUFFIX):
                    continue
                data = path.read_bytes()
                try:
                    meta = format_meta(parse_entry(decode_entry_bytes(data))).encode()
                except FileFormatError:
                    # Not readable as an entry: encrypted all the same (it may hold
                    # words), without metadata; the index and journal doctor name it.
                    meta = None
                    self.notes.append(f"{path} is not a readable entry; it was encrypted as it is.")
                if meta is not None:
                    write_atomic(path.with_name(path.name[:-3] + META_SUFFIX), meta, overwrite=True)
                sealed_path = path.with_name(path.name + ".age")
                write_atomic(sealed_path, crypto.seal(data, recipient), overwrite=True)
                os.unlink(path)  # only once the encrypted copy is safely on disk
                fsync_dir(path.parent)
                converted += 1
            for pause in self.pauses_on_disk():
                if pause.note is not None:
                    self.write_pause(pause, overwrite=True)
        self.reset_index()
        return converted

    def decrypt(self, passphrase: str) -> int:
        """Turn every encrypted file back into plain text; resumable. Returns the count."""
        with self.writing():
            identity = self.identity(passphrase)
            converted = 0
            for path in self.journal_files():
                if not path.name.endswith(SEALED_SUFFIX):
                    continue
                plain = crypto.unseal(path.read_bytes(), identity)
                write_atomic(path.with_name(path.name[: -len(".age")]), plain, overwrite=True)
                os.unlink(path)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path.with_name(path.name.replace(SEALED_SUFFIX, META_SUFFIX)))
                fsync_dir(path.parent)
                converted += 1
            for pause in self.pauses_on_disk():
                if pause.sealed_note is not None:
                    note = crypto.unseal(pause.sealed_note.encode("ascii"), identity).decode()
                    path = self.root / "pauses" / f"{pause.id}.toml"
                    plain_pause = pause._replace(note=note, sealed_note=None)
                    write_atomic(path, format_pause(plain_pause).encode(), overwrite=True)
            # The public key goes first so new entries are written in plain text; the
            # private key goes last, once nothing needs it any more.
            for name in (crypto.RECIPIENT_NAME, crypto.KEY_NAME):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.root / name)
            fsync_dir(self.root)
        self.reset_index()
        return converted

    def pauses_on_disk(self) -> list[Pause]:
        from .pauses import parse_pause

        found = []
        for path in sorted((self.root / "pauses").glob("*.toml")):
            with contextlib.suppress(FileFormatError, OSError, UnicodeDecodeError):
                found.append(parse_pause(path.read_text(encoding="utf-8")))
        return found


def trash_copy_number(path: Path) -> int:
    """<id>.md is the first copy in the trash, <id>.2.md the second, and so on."""
    parts = path.name.split(".")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 1


def new_entry(
    journal: Journal,
    *,
    now: datetime,
    day: date,
    text: str,
    theme: str | None = None,
    prompt_id: str | None = None,
    prompt: str | None = None,
    mood: int | None = None,
    tags: Iterable[str] = (),
) -> Entry:
    created = now.astimezone(journal.zone).replace(microsecond=0)
    kept: dict[str, str] = {}
    for tag in tags:  # one spelling per tag, the first one given
        kept.setdefault(tag.lower(), tag)
    return Entry(
        id=new_entry_id(created),
        created=created,
        day=day,
        tz=journal.zone_name,
        text=text,
        theme=theme,
        prompt_id=prompt_id,
        prompt=prompt,
        mood=mood,
        tags=tuple(kept.values()),
    )
