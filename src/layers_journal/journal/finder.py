"""Finding a journal's entries and reading them back: by id, day or place in history,
history's queries and searches, what lookback brings up, and a pause's note.

The index says where an entry is; its text comes from its file, decrypted when sealed.
Searching an encrypted journal's text happens in an index in memory only (kept sealed
between runs), so no plaintext reaches the disk; history without a search decrypts only
the entries it shows. A file that cannot be read is skipped and named among the
journal's problems.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.errors import FileFormatError, NotFoundError
from layers_journal.folder.entries import Entry
from layers_journal.model.addressing import parse_address, pick_by_prefix

if TYPE_CHECKING:
    from datetime import time

    from layers_journal.days import Clock
    from layers_journal.folder.crypto import Keys
    from layers_journal.folder.pauses import Pause
    from layers_journal.folder.store import Store
    from layers_journal.index import Index, Located, Passage, Query
    from layers_journal.index.lifecycle import RunIndex

    from .report import RunReport


# SQLite's lower(), which the index's tag filter uses: ASCII letters only.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def tag_key(tag: str) -> str:
    return tag.translate(ASCII_LOWER)


class Found(NamedTuple):
    entries: list[Entry]
    total: int  # matching entries, whatever the limit
    passages: dict[str, Passage]


def lists_only(query: Query) -> bool:
    """Whether a query lists entries by what the index holds of every journal (day,
    layer), with no search, tag or prompt: an encrypted journal answers it from the
    readable metadata, decrypting only the entries it shows."""
    return query.search is None and not query.tags and query.prompt_id is None


class Finder:
    def __init__(
        self,
        index: RunIndex,
        store: Store,
        keys: Keys,
        clock: Clock,
        report: RunReport,
        *,
        day_start: time,
    ) -> None:
        self.index = index
        self.store = store
        self.keys = keys
        self.clock = clock
        self.report = report
        self.day_start = day_start

    def locate(self, prefix: str) -> Located:
        """The one entry whose id starts with prefix."""
        found = {match.id: match for match in self.index().lookup.locate(prefix.strip())}
        return found[pick_by_prefix(prefix, found, what="entry", many="entries")]

    def address(self, text: str) -> list[Located]:
        """The entries a person named by id prefix, day or place (last, -2): one, or all
        of a day's entries when it has several, in the order they were written."""
        from layers_journal.ui.messages import day_label

        today = self.clock.today()
        address = parse_address(text, today)
        lookup = self.index().lookup
        if address.newest is not None:
            found = lookup.newest(address.newest)
            if found is None:
                count = lookup.count()
                raise NotFoundError(
                    "There are no entries yet."
                    if not count
                    else f"There are only {count} entries, so there is no {text.strip()}."
                )
            return [found]
        if address.day is not None:
            on_day = [located for _, located in lookup.entries_on([address.day])]
            if on_day:
                return on_day
            when = "today" if address.day == today else day_label(address.day)
            # A day means the journal day an entry is about, never the start of an id:
            # a page written after midnight belongs to the evening before, and is named so.
            written = lookup.locate(address.prefix) if address.prefix else []
            if written:
                ids = ", ".join(match.id for match in written[:3])
                raise NotFoundError(
                    f"Nothing is written for {when}; written on that date but about an "
                    f"earlier day: {ids} (journal show with the id shows it)."
                )
            raise NotFoundError(f"Nothing is written for {when}.")
        assert address.prefix is not None
        return [self.locate(address.prefix)]

    def read_entry(self, located: Located) -> Entry:
        """An entry's text from its file; when the file is not as the index last saw it
        (an edit made in place), the index takes a full look first."""
        self.index.shown([located.path])
        return self.store.read(located.path)

    def query(self, query: Query) -> list[Entry]:
        """Entries matching a history query, with their text (decrypted when sealed)."""
        if lists_only(query):
            return self.listed(query)
        with self.readable_index() as index:
            return index.search.query(query)

    def listed(self, query: Query) -> list[Entry]:
        """What a query without a search lists: from the index's rows, or for an
        encrypted journal from the very files it shows, decrypted."""
        located = self.located(query)
        if self.keys.encrypted:
            return self.open_shown(located)
        return self.index().search.query(query)

    def located(self, query: Query) -> list[Located]:
        """Where the entries a query without a search lists are, checked first against
        those very files (all of them when there is no limit): an edit made in place
        to any of them is taken in before they are shown."""
        if query.limit is None:
            return self.index.verified().search.located(query)
        index = self.index()
        located = index.search.located(query)
        if not index.full:
            index = self.index.shown([place.path for place in located])
            if index.full:  # something had changed: the list again, as it is now
                located = index.search.located(query)
        return located

    def open_shown(self, located: list[Located]) -> list[Entry]:
        """These entries read from their files (decrypted), in this order; one that
        cannot be read is named among the problems and skipped. The key is asked for
        even when there is nothing to show: a command reading text always needs it."""
        self.keys.identity()
        entries = []
        for place in located:
            try:
                entries.append(self.store.read(place.path))
            except FileFormatError as error:  # UnreadableFileError among them
                self.report.skip(place.path, error)
        return entries

    def each(self, query: Query, *, note_problems: bool = True) -> Iterator[Entry]:
        """Entries matching a query without a search, one at a time and never all at
        once: the plain journal's from the index's rows, an encrypted journal's decrypted
        from their files one by one (its tags are sealed, so they are matched here, as
        the index matches them). A file that cannot be read is skipped, and named among
        the problems unless note_problems is False (a second pass over the same files)."""
        if query.search is not None or query.prompt_id is not None:
            raise ValueError("Finder.each takes no search and no prompt")
        if not self.keys.encrypted:
            yield from self.index.verified().search.each(query)
            return
        self.keys.identity()
        wanted = [tag_key(tag) for tag in query.tags]
        for place in self.located(query._replace(tags=())):
            try:
                entry = self.store.read(place.path)
            except FileFormatError as error:  # UnreadableFileError among them
                if note_problems:
                    self.report.skip(place.path, error)
                continue
            if wanted:
                has = {tag_key(tag) for tag in entry.tags}
                if not all(tag in has for tag in wanted):
                    continue
            yield entry

    def search(self, query: Query, *, whole: bool = False) -> Found:
        """Entries matching a history query, how many match without the limit, and where
        a --search matched each of them."""
        if lists_only(query):
            entries = self.listed(query)
            index = self.index()
            total = len(entries) if query.limit is None else index.search.count_matching(query)
            return Found(entries, total, {})
        with self.readable_index() as index:
            entries = index.search.query(query)
            total = len(entries) if query.limit is None else index.search.count_matching(query)
            passages = (
                index.search.passages(query.search, [e.id for e in entries], whole=whole)
                if query.search is not None
                else {}
            )
        return Found(entries, total, passages)

    def tag_counts(self) -> list[tuple[str, int]]:
        with self.readable_index() as index:
            return index.lookup.tag_counts()

    @contextlib.contextmanager
    def readable_index(self) -> Iterator[Index]:
        """The index with the entries' text: the cached one, or for an encrypted journal
        its text index, in memory only, so no plaintext reaches the disk."""
        yield self.text_index() if self.keys.encrypted else self.index.verified()

    def text_index(self) -> Index:
        """An encrypted journal's index of its text (see index/sealed.py), opened with
        the journal's key; the files it could not use are named among the problems."""
        identity = self.keys.identity()
        index = self.index.text(
            str(identity.to_public()), seal=self.keys.seal_to_keep, unseal=self.keys.unseal
        )
        known = {problem.path for problem in self.index().problems}
        for problem in index.problems:
            if problem.path not in known and problem not in self.report.skipped:
                self.report.skipped.append(problem)
        return index

    def all_entries(self) -> Iterator[tuple[Entry, str]]:
        """Every readable entry with its relative path, oldest first, decrypting when
        needed; one that cannot be read is named among the problems and skipped."""
        for path in self.index.verified().lookup.entry_paths():
            try:
                yield self.store.read(path), path
            except FileFormatError as error:  # UnreadableFileError among them
                self.report.skip(path, error)

    def lookback(self, today: date, reach: int = 0) -> list[tuple[str, list[Entry]]]:
        """What was written about this day a week, a month, a year and more years ago
        (within reach days), nearest first, leaving out entries marked to stay out of it."""
        from layers_journal.model.lookback import around, moments

        spans = [(moment.words, around(moment.days, reach)) for moment in moments(today)]
        by_moment: dict[str, list[Entry]] = {words: [] for words, _ in spans}
        candidates = self.index().lookup.entries_on(set().union(*(days for _, days in spans)))
        for day, located in candidates:
            words = next(words for words, days in spans if day in days)  # the nearest
            try:
                entry = self.read_entry(located)
            except FileFormatError as error:  # UnreadableFileError among them
                self.report.skip(located.path, error)
                continue
            if entry.lookback:
                by_moment[words].append(entry)
        return [(words, entries) for words, entries in by_moment.items() if entries]

    def lookback_waiting(self, today: date) -> str | None:
        """How long ago the nearest page open to lookback was about (a week ago, a year
        ago…), or None: from the index alone, so journal today stays quick."""
        from layers_journal.model.lookback import moments

        spans = [(moment.words, set(moment.days)) for moment in moments(today)]
        day = self.index().lookup.newest_lookback_day(set().union(*(days for _, days in spans)))
        return None if day is None else next(words for words, days in spans if day in days)

    def pause_note(self, pause: Pause) -> str | None:
        if pause.sealed_note is None:
            return pause.note
        return self.keys.unseal(pause.sealed_note.encode("ascii")).decode()
