"""One journal as the commands see it: its clock, folder, keys and index, wired together.

Each concern lives in its own module (days.Clock, store.Store, crypto.Keys,
recovery.Recovery, index.Index, layers); this facade only connects them and keeps what
one run had to work around, for the CLI to say once at its door.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .addressing import parse_address, pick_by_prefix
from .config import Config, Paths, load_config, resolve_paths
from .crypto import Keys
from .days import Clock
from .entries import MAX_ENTRY_BYTES, MAX_TEXT_BYTES, Entry, new_entry_id
from .errors import (
    CacheError,
    FileFormatError,
    JournalError,
    KeyFileError,
    NotFoundError,
    SaveError,
    UnreadableFileError,
    UsageError,
    reason,
)
from .pauses import Pause, new_pause_id
from .recovery import Recovery
from .scan import Problem
from .store import ChangedMeanwhile, ImportResult, Store

if TYPE_CHECKING:
    from .drafts import Drafts
    from .index import Index, Located, Passage, Query
    from .layers import EntryFacts, Report, Series


class Found(NamedTuple):
    entries: list[Entry]
    total: int  # matching entries, whatever the limit
    passages: dict[str, Passage]


class Journal:
    def __init__(self, paths: Paths, config: Config) -> None:
        self.paths = paths
        self.config = config
        self.root = config.journal_root(paths)
        # What this run worked around or had to skip, said once by the CLI's door.
        self.notes: list[str] = []
        self.skipped: list[Problem] = []
        self.problems_shown = False  # set by a command that lists them itself (doctor)
        self.saved = False  # this run has put a new entry in the journal
        self.clock = Clock(config.timezone, config.day_start, self.notes)
        self.keys = Keys(self.root, pin=paths.key_pin(self.root))
        self.recovery = Recovery(paths.recovery, self.keys)
        self.store = Store(self.root, self.keys, paths.lock_files(self.root))
        self._index: Index | None = None
        self._facts: list[EntryFacts] | None = None
        self._pauses: list[Pause] | None = None

    @classmethod
    def open(cls) -> Journal:
        paths = resolve_paths()
        return cls(paths, load_config(paths.config_file))

    @property
    def encrypted(self) -> bool:
        return self.keys.encrypted

    @property
    def drafts(self) -> Drafts:
        from .drafts import Drafts

        return Drafts(self.paths.drafts, self.keys)

    # --- the index -------------------------------------------------------------------

    def index(self) -> Index:
        """The index, brought up to date with the folder once per process.

        It is only a cache: when it cannot be written (a full disk, a read-only cache
        folder) this run reads the files into an index in memory instead.
        """
        if self._index is None:
            from .index import memory_index, open_index

            sealed, day_start = self.encrypted, self.config.day_start
            try:
                self._index = open_index(
                    self.paths.index_file(self.root), self.root, sealed=sealed, day_start=day_start
                )
            except (CacheError, OSError) as error:
                self._index = memory_index(self.root, sealed=sealed, day_start=day_start)
                self._index.refresh()
                self.notes.append(
                    f"The search index in {self.paths.cache} could not be written "
                    f"({reason(error)}); this run read the journal files directly."
                )
            self.store.sweep(self._index.leftovers)
        return self._index

    def refresh(self) -> None:
        """See changes this process made itself."""
        self._facts = self._pauses = None
        if self._index is not None:
            self._index.refresh()

    def problems(self) -> list[Problem]:
        """Files skipped so far: unreadable in the folder, or when read for their text."""
        return self.index().problems + self.skipped

    def problems_seen(self) -> list[Problem]:
        """The same, without opening the index when this run did not need it."""
        return (self._index.problems if self._index is not None else []) + self.skipped

    def reset_index(self) -> None:
        """Throw the index away; the next question rebuilds it from the files."""
        from .index import remove_database

        if self._index is not None:
            self._index.close()
            self._index = None
        remove_database(self.paths.index_file(self.root))

    def settle(self) -> None:
        """After a command: bring what is kept beside the journal up to date. The CLI's
        door calls it for every journal a run opened, whether the command succeeded or
        not, and ignores its failures (all of this is convenience, never the journal)."""
        from .status import settle_status

        if self.store.touched and (self.root / ".git").exists():
            from .sync import settle

            settle(self)  # commits what this run changed; never waits on the network
        seen_changes = self._index is not None and self._index.changed
        settle_status(self, look=seen_changes or self.store.changed)

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

    def rest_spans(self) -> list[tuple[date, date]]:
        return [(pause.start, pause.end) for pause in self.pauses()]

    def report(self, today: date) -> Report:
        """The whole layers model as of `today`. Its result is kept in the index under
        the key of everything it is computed from, and computed again only when any
        of that changes."""
        from . import layers
        from .snapshot import freeze, thaw

        index, rest = self.index(), self.rest_spans()
        key = self.model_key(index.counted_digest(), rest, today)
        kept = index.cached_model(key) if key is not None else None
        if kept is not None:
            with contextlib.suppress(ValueError):
                report = thaw(kept, layers)
                if isinstance(report, layers.Report):
                    return report
        facts, digest = index.counted_facts()
        self._facts = facts
        report = layers.compute_layers(facts, rest, today, self.config.cadences)
        key = self.model_key(digest, rest, today)
        if key is not None:
            with contextlib.suppress(TypeError):
                index.keep_model(key, freeze(report, layers))
        return report

    def model_key(self, digest: int, rest: list[tuple[date, date]], today: date) -> str | None:
        """Everything the model's result depends on: the model's own code, the counted
        entries (as the index's digest of their days, creation days and layers), the
        rest days, the config it reads, and today. None when the code cannot be named."""
        from . import layers
        from .snapshot import fingerprint

        code = fingerprint(layers)
        if code is None:
            return None
        cadences = ",".join(f"{n}={c}" for n, c in sorted(self.config.cadences.items()))
        spans = ",".join(f"{start}/{end}" for start, end in rest)
        return f"{code}|{digest:x}|{today}|{self.config.day_start}|{cadences}|{spans}"

    def presence(self, today: date) -> Series:
        """Just the presence series as of `today` (from the whole model, which is then
        kept for the next `journal layers`)."""
        return self.report(today).presence

    def facts_between(self, first: date, last: date) -> list[EntryFacts]:
        """What the model needs of the entries about days first to last."""
        if self._facts is not None:
            return [facts for facts in self._facts if first <= facts.day <= last]
        return self.index().facts_between(first, last)

    # --- reading ---------------------------------------------------------------------

    def locate(self, prefix: str) -> Located:
        """The one entry whose id starts with prefix."""
        found = {match.id: match for match in self.index().locate(prefix.strip())}
        return found[pick_by_prefix(prefix, found, what="entry", many="entries")]

    def address(self, text: str) -> list[Located]:
        """The entries a person named by id prefix, day or place (last, -2): one, or all
        of a day's entries when it has several, in the order they were written."""
        from .messages import day_label

        today = self.clock.today()
        address = parse_address(text, today)
        index = self.index()
        if address.newest is not None:
            found = index.newest(address.newest)
            if found is None:
                count = index.count()
                raise NotFoundError(
                    "There are no entries yet."
                    if not count
                    else f"There are only {count} entries, so there is no {text.strip()}."
                )
            return [found]
        if address.day is not None:
            on_day = [located for _, located in index.entries_on([address.day])]
            if on_day:
                return on_day
            if address.prefix and index.locate(address.prefix):
                return [self.locate(address.prefix)]  # written that day, about an earlier one
            when = "today" if address.day == today else day_label(address.day)
            raise NotFoundError(f"Nothing is written for {when}.")
        assert address.prefix is not None
        return [self.locate(address.prefix)]

    def read_entry(self, located: Located) -> Entry:
        return self.store.read(located.path)

    def query(self, query: Query) -> list[Entry]:
        """Entries matching a history query, with their text (decrypted when sealed)."""
        with self.readable_index() as index:
            return index.query(query)

    def search(self, query: Query, *, whole: bool = False) -> Found:
        """Entries matching a history query, how many match without the limit, and where
        a --search matched each of them."""
        with self.readable_index() as index:
            entries = index.query(query)
            total = len(entries) if query.limit is None else index.count_matching(query)
            passages = (
                index.passages(query.search, [e.id for e in entries], whole=whole)
                if query.search is not None
                else {}
            )
        return Found(entries, total, passages)

    def tag_counts(self) -> list[tuple[str, int]]:
        with self.readable_index() as index:
            return index.tag_counts()

    @contextlib.contextmanager
    def readable_index(self) -> Iterator[Index]:
        """The index with the entries' text: the cached one, or for an encrypted journal
        one in memory only, so no plaintext reaches the disk."""
        if not self.encrypted:
            yield self.index()
            return
        from .index import memory_index

        memory = memory_index(self.root, day_start=self.config.day_start)
        try:
            memory.fill(self.all_entries())
            yield memory
        finally:
            memory.close()

    def all_entries(self) -> Iterator[tuple[Entry, str]]:
        """Every readable entry with its relative path, oldest first, decrypting when
        needed; one that cannot be read is named among the problems and skipped."""
        for path in self.index().entry_paths():
            try:
                yield self.store.read(path), path
            except UnreadableFileError as error:
                self.skipped.append(Problem(path, error.reason))
            except FileFormatError as error:
                self.skipped.append(Problem(path, error.message.rstrip(".")))

    def pause_note(self, pause: Pause) -> str | None:
        if pause.sealed_note is None:
            return pause.note
        return self.keys.unseal(pause.sealed_note.encode("ascii")).decode()

    # --- writing ---------------------------------------------------------------------

    def refuse_too_long(self, entry: Entry, outcome: str) -> None:
        """Text past what one entry holds is kept in recovery, never just refused."""
        if len(entry.text.encode("utf-8", "replace")) > MAX_TEXT_BYTES:
            raise self.recovery.failure(
                entry,
                f"That text is longer than one entry can hold ({MAX_ENTRY_BYTES // 2**20} MB), "
                + outcome,
            )

    def save_new(self, entry: Entry) -> Path:
        """Write a new entry file (never replacing one). On failure the text is kept in
        the recovery folder, or handed back, and SaveError says where."""
        self.refuse_too_long(entry, "so it was not saved")
        try:
            with self.store.writing():
                written = self.store.write_entry(entry, keep_id=False)
        except KeyFileError as error:  # a sentence of its own, saying what mends it
            raise self.recovery.failure(entry, error.message.rstrip(".")) from None
        except (OSError, JournalError) as error:
            raise self.recovery.failure(
                entry, f"The entry could not be saved ({reason(error)})"
            ) from None
        except KeyboardInterrupt:  # while waiting for another journal command, say
            raise self.recovery.failure(entry, "Stopped before the entry was saved") from None
        self.saved = True
        self._facts = self._pauses = None
        if self._index is not None:  # a whole rescan is not needed for one new file
            with contextlib.suppress(CacheError):  # the entry is safe; the next run catches up
                self._index.note_written(written)
        return self.store.path(written[0])

    def replace_text(
        self, located: Located, original: Entry, text: str, *, tags: tuple[str, ...] | None = None
    ) -> Entry:
        """Give an entry a new body (and new tags, in the same write). If it changed or
        went missing meanwhile, or cannot be written, the new text is kept in the
        recovery folder (or handed back)."""
        updated = original._replace(text=text, tags=original.tags if tags is None else tags)
        self.refuse_too_long(updated, "so the entry was left as it was")
        try:
            with self.store.writing():
                self.store.replace_text(
                    located.path, original, text, metadata=updated if tags is not None else None
                )
        except ChangedMeanwhile:
            raise self.recovery.failure(
                updated, "The entry changed or went missing while you were editing"
            ) from None
        except (OSError, JournalError) as error:
            raise self.recovery.failure(
                updated, f"The new text could not be saved ({reason(error)})"
            ) from None
        except KeyboardInterrupt:  # while waiting for another journal command, say
            raise self.recovery.failure(updated, "Stopped before the new text was saved") from None
        self.refresh()
        return updated

    def keep_words(
        self, text: str, what_happened: str, *, words: str = "your words are"
    ) -> SaveError:
        """For words a command was given but could not save (it stopped before it got
        that far): they go to the recovery folder as an entry of now, or are handed
        back, and the SaveError says where."""
        from datetime import UTC, datetime

        from .entries import new_entry

        try:
            entry = new_entry(self.clock, now=self.clock.now(), day=self.clock.today(), text=text)
        except Exception:  # whatever failed (the clock, say), the words go on
            now = datetime.now(UTC).replace(microsecond=0)
            entry = Entry(id=new_entry_id(now), created=now, day=now.date(), tz="UTC", text=text)
        return self.recovery.failure(entry, what_happened, words=words)

    def change_metadata(self, located: Located, original: Entry, updated: Entry) -> Entry:
        """Rewrite an entry's front matter under the write lock (the body untouched)."""
        if updated.day != original.day and updated.day > self.clock.day_of(original.created):
            raise UsageError(
                "An entry can be about the day it was written or an earlier one, "
                f"so not {updated.day.isoformat()}."
            )
        with self.store.writing():
            try:
                self.store.replace_metadata(located.path, original, updated)
            except ChangedMeanwhile:
                raise SaveError(
                    f"{located.id} changed or went missing just now, so it was left as it is."
                ) from None
        self.refresh()
        return updated

    def lookback(self, today: date, reach: int = 0) -> list[tuple[str, list[Entry]]]:
        """What was written about this day a week, a month, a year and more years ago
        (within reach days), nearest first, leaving out entries marked to stay out of it."""
        from .lookback import around, moments

        spans = [(moment.words, around(moment.days, reach)) for moment in moments(today)]
        by_moment: dict[str, list[Entry]] = {words: [] for words, _ in spans}
        candidates = self.index().entries_on(set().union(*(days for _, days in spans)))
        for day, located in candidates:
            words = next(words for words, days in spans if day in days)  # the nearest
            try:
                entry = self.read_entry(located)
            except UnreadableFileError as error:
                self.skipped.append(Problem(located.path, error.reason))
                continue
            except FileFormatError as error:
                self.skipped.append(Problem(located.path, error.message.rstrip(".")))
                continue
            if entry.lookback:
                by_moment[words].append(entry)
        return [(words, entries) for words, entries in by_moment.items() if entries]

    def lookback_waiting(self, today: date) -> str | None:
        """How long ago the nearest page open to lookback was about (a week ago, a year
        ago…), or None: from the index alone, so journal today stays quick."""
        from .lookback import moments

        spans = [(moment.words, set(moment.days)) for moment in moments(today)]
        day = self.index().newest_lookback_day(set().union(*(days for _, days in spans)))
        return None if day is None else next(words for words, days in spans if day in days)

    def trash(self, located: Located) -> Path:
        from .trash import Trash

        target = Trash(self.store).put(located.path)
        self.refresh()
        return target

    def restore(self, prefix: str) -> Path:
        from .trash import Trash

        target = Trash(self.store).restore(prefix)
        self.refresh()
        return target

    def empty_trash(self, listed: Iterable[Path]) -> int:
        """Delete for good the trashed files that were listed (and asked about); returns
        how many entries went."""
        with self.store.writing():
            from .trash import Trash

            return Trash(self.store).empty(listed)

    def add_pause(self, start: date, end: date, note: str | None) -> Pause:
        pause = Pause(id=new_pause_id(start), start=start, end=end, note=note)
        with self.store.writing():
            self.store.write_pause(pause)
        self.refresh()
        return pause

    def remove_pause(self, prefix: str) -> Pause:
        found = {match.id: match for match in self.index().locate(prefix.strip(), "pauses")}
        pause_id = pick_by_prefix(prefix, found, what="pause", many="pauses")
        pause = next(p for p in self.pauses() if p.id == pause_id)
        with self.store.writing():
            self.store.remove_file(found[pause_id].path)
        self.refresh()
        return pause

    def import_all(self, entries: Iterable[Entry], pauses: Iterable[Pause] = ()) -> ImportResult:
        """Add entries and pauses whose ids the journal does not have yet."""
        result = self.store.import_all(
            entries,
            pauses,
            known_entries=self.index().entry_ids(),
            known_pauses={pause.id for pause in self.pauses()},
        )
        self.refresh()
        return result

    def encrypt(self, passphrase: str) -> int:
        """Encrypt every entry, the trash and pause notes; resumable. Returns the count."""
        from .conversion import encrypt_journal

        converted, notes = encrypt_journal(self.store, passphrase)
        self.notes += notes
        self.reset_index()
        return converted

    def decrypt(self, passphrase: str) -> int:
        """Turn every encrypted file back into plain text; resumable. Returns the count."""
        from .conversion import decrypt_journal

        converted, notes = decrypt_journal(self.store, passphrase)
        self.notes += notes
        self.reset_index()
        return converted

    # --- after the command -------------------------------------------------------------
