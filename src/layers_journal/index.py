"""The disposable SQLite index over the journal's files, kept in the cache folder.

Before each command the journal folder is scanned and every file's stamp (size, mtime,
ctime, inode) compared with what the index saw (any difference, not just "newer");
changed files are re-read in one transaction. Deleting the index loses nothing: it is
rebuilt, in bulk when it is empty. Beside the rows it keeps what every run would
otherwise recompute: per-day entry counts for the layers model, kept current change by
change, and the model's last result with the key of everything it was computed from.
An encrypted journal's index holds only the readable metadata (id, day, creation time,
layer), never text, prompts, moods or tags.

The only module that speaks SQL: SQLite's errors leave it as CacheError.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from .layers import EntryFacts
    from .search import All, Node, Term

from .days import wall_clock_day
from .entries import (
    MAX_FILE_BYTES,
    Entry,
    decode_entry_bytes,
    entry_from_fields,
    parse_entry,
    read_fields,
)
from .errors import CacheError, FileFormatError, reason
from .layers import LAYERS, within_backfill
from .layout import PAUSES, entry_id_of, is_meta, is_sealed, meta_path, sealed_path
from .pauses import Pause, parse_pause
from .scan import Problem, Scan, Stamp, folder_of, folders_above, scan_folders, scan_journal
from .storage import ensure_private_dir, exclusive_lock, megabytes, read_bounded

F = TypeVar("F", bound=Callable[..., Any])

SCHEMA_VERSION = 15

THEME_CODES: tuple[str | None, ...] = (None, *LAYERS)
MISSING_META = (
    "an encrypted entry without its .meta.toml; journal doctor --fix rebuilds it with the "
    "passphrase"
)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    problem TEXT
);
CREATE INDEX IF NOT EXISTS files_by_folder ON files (folder);
CREATE INDEX IF NOT EXISTS files_with_problems ON files (problem) WHERE problem IS NOT NULL;
CREATE TABLE IF NOT EXISTS folders (folder TEXT PRIMARY KEY, signature INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    created_local TEXT NOT NULL,
    created_day TEXT NOT NULL,
    day TEXT NOT NULL,
    tz TEXT NOT NULL,
    theme TEXT,
    prompt_id TEXT,
    prompt TEXT,
    mood INTEGER,
    tags TEXT NOT NULL DEFAULT '',
    text TEXT,
    sealed INTEGER NOT NULL DEFAULT 0,
    in_window INTEGER NOT NULL,
    kind TEXT,
    covers TEXT,
    lookback INTEGER
);
CREATE INDEX IF NOT EXISTS entries_by_day ON entries (day DESC, created_utc DESC);
CREATE INDEX IF NOT EXISTS entries_facts ON entries (day, created_day, theme);
CREATE INDEX IF NOT EXISTS entries_by_creation ON entries (created_utc, id);
CREATE INDEX IF NOT EXISTS entries_by_prompt ON entries (prompt_id, created_utc, created_day);
CREATE INDEX IF NOT EXISTS entries_by_created_day ON entries (created_day);
CREATE INDEX IF NOT EXISTS entries_by_theme ON entries (theme, created_day, day);
CREATE VIRTUAL TABLE IF NOT EXISTS entry_words USING fts5(
    text, prompt, content='entries', content_rowid='rowid',
    tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entry_words (rowid, text, prompt) VALUES (new.rowid, new.text, new.prompt);
END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entry_words (entry_words, rowid, text, prompt)
    VALUES ('delete', old.rowid, old.text, old.prompt);
END;
CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pauses (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    note TEXT,
    sealed_note TEXT
);
"""


# Derived summaries kept in the `derived` table, beside the rows they summarise.
DAY_COUNTS, COUNTED, MODEL_KEY, MODEL = "day_counts", "counted", "model_key", "model"
MASK64 = (1 << 64) - 1
# Past this many changed groups, merging rebuilds the arrays instead of inserting.
FEW_CHANGES = 64
# Rows per executemany in a bulk load: fast, and memory stays flat for any journal size.
BATCH = 512


def fact_key(day: str, created_day: str, theme: str | None) -> int:
    """One (day, created_day, layer) group as one integer: ordinals fit in 22 bits."""
    return (
        date.fromisoformat(day).toordinal() << 24
        | date.fromisoformat(created_day).toordinal() << 2
        | THEME_CODES.index(theme)
    )


def mix(key: int) -> int:
    """splitmix64's finaliser, a bijection on 64 bits: summed over the counted entries'
    keys it gives a digest that follows each entry added or removed."""
    key = (key + 0x9E3779B97F4A7C15) & MASK64
    key = ((key ^ (key >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    key = ((key ^ (key >> 27)) * 0x94D049BB133111EB) & MASK64
    return key ^ (key >> 31)


class DayCounts:
    """Entries per (day, created_day, layer) group, as two arrays sorted by fact_key:
    what the layers model reads, unpacked in one go instead of grouping every row."""

    def __init__(self, keys: array[int] | None = None, counts: array[int] | None = None):
        self.keys = keys if keys is not None else array("q")
        self.counts = counts if counts is not None else array("q")

    @classmethod
    def unpack(cls, data: bytes) -> DayCounts:
        half = len(data) // 2
        keys, counts = array("q"), array("q")
        keys.frombytes(data[:half])
        counts.frombytes(data[half:])
        return cls(keys, counts)

    @classmethod
    def of(cls, table: Mapping[int, int]) -> DayCounts:
        keys = sorted(key for key, n in table.items() if n)
        return cls(array("q", keys), array("q", [table[key] for key in keys]))

    def pack(self) -> bytes:
        return self.keys.tobytes() + self.counts.tobytes()

    def change(self, changes: Mapping[int, int]) -> bool:
        """Add (or take away) entries per group; False when that would leave a count
        below zero (the summary no longer matches the rows)."""
        if len(changes) > FEW_CHANGES:
            table = dict(zip(self.keys, self.counts, strict=True))
            for key, n in changes.items():
                table[key] = table.get(key, 0) + n
            if any(n < 0 for n in table.values()):
                return False
            merged = DayCounts.of(table)
            self.keys, self.counts = merged.keys, merged.counts
            return True
        keys, counts = self.keys, self.counts
        for key, n in changes.items():
            at = bisect_left(keys, key)
            present = at < len(keys) and keys[at] == key
            total = (counts[at] if present else 0) + n
            if total < 0:
                return False
            if present and total:
                counts[at] = total
            elif present:
                del keys[at], counts[at]
            elif total:
                keys.insert(at, key)
                counts.insert(at, total)
        return True

    def facts(self) -> list[EntryFacts]:
        from .layers import EntryFacts

        day, themes, make = date.fromordinal, THEME_CODES, tuple.__new__
        # tuple.__new__ skips NamedTuple's Python-level __new__: thousands of rows.
        return [
            make(EntryFacts, (day(key >> 24), day(key >> 2 & 0x3FFFFF), themes[key & 3], n))
            for key, n in zip(self.keys, self.counts, strict=True)
        ]


class Located(NamedTuple):
    id: str
    path: str
    sealed: bool


class Query(NamedTuple):
    """Filters for history; dates are journal days; search is a parsed --search."""

    limit: int | None = None
    theme: str | None = None
    since: date | None = None
    until: date | None = None
    search: All | None = None
    tags: Sequence[str] = ()
    oldest_first: bool = False
    prompt_id: str | None = None


# Around a highlighted match in a passage (private-use characters: never typed).
MARK_START, MARK_END = "\ue000", "\ue001"
PASSAGE_TOKENS = 24


class Passage(NamedTuple):
    """Where a search matched one entry: a short passage of its text (… where cut),
    the whole text and the prompt, each with MARK_START/MARK_END around the matches;
    None where nothing in that part matched."""

    snippet: str | None
    text: str | None
    prompt: str | None


def utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def guarded(method: F) -> F:
    """SQLite's errors stay inside this module: callers get a CacheError sentence."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            raise CacheError(
                f"The search index could not be used ({error}); journal reindex rebuilds it."
            ) from None

    return wrapper  # type: ignore[return-value]


class Index:
    """One open index database. Use `open_index` to get one that is up to date."""

    def __init__(
        self, connection: sqlite3.Connection, root: Path, *, sealed: bool, day_start: time
    ) -> None:
        self.db = connection
        self.root = root
        self.sealed = sealed
        self.day_start = day_start
        self.problems: list[Problem] = []
        # Temp files a stopped writer left in the folder, for the journal to sweep.
        self.leftovers: list[str] = []

    # --- keeping up with the folder --------------------------------------------------

    @guarded
    def refresh(self) -> list[Problem]:
        """Bring the index up to date with the folder; returns the files skipped."""
        scan = scan_journal(str(self.root))
        self.problems = scan.problems + Indexer(self).catch_up(scan)
        self.leftovers = scan.leftovers
        return self.problems

    @guarded
    def note_written(self, paths: Iterable[str]) -> None:
        """Take in files this process has just written: their folders (and the folders
        above) are looked at again and caught up, so the next run finds them current."""
        Indexer(self).note_written(paths)

    @guarded
    def fill(self, entries: Iterable[tuple[Entry, str]]) -> None:
        """Add entries with their text (an in-memory index for an encrypted journal)."""
        indexer = Indexer(self)
        with transaction(self.db):
            for entry, path in entries:
                indexer.insert_entry(path, entry, sealed=False)

    # --- what the layers model reads -------------------------------------------------

    @guarded
    def day_counts(self) -> list[EntryFacts]:
        """(day, created_day, theme, entries) groups: what the layers model needs."""
        return self.counted_facts()[0]

    @guarded
    def counted_facts(self) -> tuple[list[EntryFacts], int]:
        """The day counts with the digest of the counted ones, read together so they
        always belong to the same state of the index."""
        row = self.db.execute(
            "SELECT (SELECT value FROM derived WHERE key = ?),"
            " (SELECT value FROM derived WHERE key = ?)",
            (DAY_COUNTS, COUNTED),
        ).fetchone()
        if row[0] is None or row[1] is None:
            return self.recount()
        return DayCounts.unpack(row[0]).facts(), int(row[1])

    @guarded
    def counted_digest(self) -> int:
        """A digest of the entries counted within the backfill window, by (day,
        created_day, layer): it changes whenever one of them is added, removed or moved,
        and stays put for edits to text, tags or mood."""
        row = self.db.execute("SELECT value FROM derived WHERE key = ?", (COUNTED,)).fetchone()
        return int(row[0]) if row is not None else self.recount()[1]

    def recount(self) -> tuple[list[EntryFacts], int]:
        """Count from the rows (the summary is missing): kept when it can be."""
        try:
            with transaction(self.db):  # so a concurrent change cannot slip in between
                counts, digest = self.count_rows()
                self.db.executemany(
                    "INSERT OR REPLACE INTO derived VALUES (?, ?)",
                    [(DAY_COUNTS, counts.pack()), (COUNTED, str(digest))],
                )
        except sqlite3.OperationalError:  # cannot keep it (a full disk): just use it
            counts, digest = self.count_rows()
        return counts.facts(), digest

    def count_rows(self) -> tuple[DayCounts, int]:
        rows = self.db.execute(
            # A review looks back on pages already counted: it is not counted again.
            "SELECT day, created_day, theme, max(in_window), count(*) FROM entries"
            " WHERE kind IS NULL GROUP BY day, created_day, theme"
        )
        table, digest = {}, 0
        for day, created, theme, in_window, n in rows:
            key = fact_key(day, created, theme)
            table[key] = n
            if in_window:
                digest += mix(key) * n
        return DayCounts.of(table), digest & MASK64

    @guarded
    def facts_between(self, first: date, last: date) -> list[EntryFacts]:
        """The groups of entries about days first to last (for a calendar of recent
        weeks, without unpacking every day there is)."""
        from .layers import EntryFacts

        rows = self.db.execute(
            # A review looks back on pages already counted: it is not counted again.
            "SELECT day, created_day, theme, count(*) FROM entries"
            " WHERE kind IS NULL AND day BETWEEN ? AND ? GROUP BY day, created_day, theme",
            (first.isoformat(), last.isoformat()),
        )
        parse = date.fromisoformat
        return [EntryFacts(parse(day), parse(created), theme, n) for day, created, theme, n in rows]

    @guarded
    def cached_model(self, key: str) -> bytes | None:
        """The model's result kept under key, if the last one kept has that key."""
        row = self.db.execute(
            "SELECT (SELECT value FROM derived WHERE key = ?),"
            " (SELECT value FROM derived WHERE key = ?)",
            (MODEL_KEY, MODEL),
        ).fetchone()
        return bytes(row[1]) if row[0] == key and row[1] is not None else None

    def keep_model(self, key: str, value: bytes) -> None:
        """Keep the model's result for the next run; skipped when it cannot be written."""
        with contextlib.suppress(sqlite3.Error), transaction(self.db):
            self.db.executemany(
                "INSERT OR REPLACE INTO derived VALUES (?, ?)",
                [(MODEL_KEY, key), (MODEL, value)],
            )

    # --- questions -------------------------------------------------------------------

    @guarded
    def last_theme(self, before: date | None) -> str | None:
        """The layer of the most recently created themed entry, among those written
        before journal day `before` (all of them when None)."""
        # Walk back from the newest (the unary + keeps SQLite from choosing the
        # created_day index and sorting everything): it stops at the first match.
        row = self.db.execute(
            "SELECT theme FROM entries WHERE +theme IS NOT NULL AND +created_day < ?"
            " ORDER BY created_utc DESC, id DESC LIMIT 1",
            (before.isoformat() if before else "9999",),
        ).fetchone()
        return str(row[0]) if row else None

    @guarded
    def layer_days(self, before: date | None, *, cap: int) -> dict[str, int]:
        """Per layer, its active days among the counted entries written before journal
        day `before` (all when None), counting no further than `cap` (all prompt choice
        needs to know), so today's prompt need not read every entry."""
        found = {}
        for layer in LAYERS:
            row = self.db.execute(
                "SELECT count(*) FROM (SELECT DISTINCT day FROM entries"
                " WHERE theme = ? AND created_day < ? AND in_window LIMIT ?)",
                (layer, before.isoformat() if before else "9999", cap),
            ).fetchone()
            found[layer] = int(row[0])
        return found

    @guarded
    def layer_entries(self, before: date | None) -> dict[str, int]:
        """Per layer, how many entries were written before journal day `before`."""
        rows = self.db.execute(
            "SELECT theme, count(*) FROM entries WHERE theme IS NOT NULL AND created_day < ?"
            " GROUP BY theme",
            (before.isoformat() if before else "9999",),
        )
        return {str(theme): int(n) for theme, n in rows}

    @guarded
    def answered_prompts(self, before: date | None) -> dict[str, datetime]:
        """When each prompt was last answered, by entries written before journal day
        `before` (all of them when None)."""
        # Skip from one prompt id to the next along entries_by_prompt, and for each walk
        # back from its newest answer: a few steps per prompt, not one per entry.
        rows = self.db.execute(
            "WITH RECURSIVE prompts(pid) AS (SELECT min(prompt_id) FROM entries UNION ALL"
            " SELECT (SELECT min(e.prompt_id) FROM entries e WHERE e.prompt_id > prompts.pid)"
            " FROM prompts WHERE prompts.pid IS NOT NULL)"
            " SELECT pid, (SELECT e.created_utc FROM entries e WHERE e.prompt_id = prompts.pid"
            " AND e.created_day < ? ORDER BY e.created_utc DESC LIMIT 1) FROM prompts"
            " WHERE pid IS NOT NULL",
            (before.isoformat() if before else "9999",),
        )
        return {str(pid): datetime.fromisoformat(when) for pid, when in rows if when}

    @guarded
    def count_on(self, day: date) -> int:
        """How many entries are for journal day `day` (whenever they were written)."""
        row = self.db.execute(
            "SELECT count(*) FROM entries WHERE day = ? AND kind IS NULL", (day.isoformat(),)
        ).fetchone()
        return int(row[0])

    @guarded
    def day_summary(self, day: date) -> tuple[bool, date | None]:
        """Whether any entry is about journal day `day` or was written on it, and the
        latest day that a counted entry written by then is about (the prompt's status
        line needs no more, so it need not read every entry)."""
        text = day.isoformat()
        touched = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM entries WHERE day = ?)"
            " OR EXISTS (SELECT 1 FROM entries WHERE created_day = ?)",
            (text, text),
        ).fetchone()[0]
        last = self.db.execute(
            "SELECT day FROM entries WHERE in_window AND +created_day <= ?"
            " ORDER BY day DESC LIMIT 1",
            (text,),
        ).fetchone()
        return bool(touched), date.fromisoformat(last[0]) if last else None

    @guarded
    def day_moods(self, since: date, until: date) -> dict[date, float]:
        """Each journal day's mood from since to until: the average of its entries'
        moods (1 heavy to 5 light), among entries written by until. Days without a
        mood are left out; an encrypted journal's index keeps no moods, so it is empty."""
        rows = self.db.execute(
            "SELECT day, avg(mood) FROM entries WHERE mood IS NOT NULL AND day BETWEEN ? AND ?"
            " AND created_day <= ? GROUP BY day",
            (since.isoformat(), until.isoformat(), until.isoformat()),
        )
        return {date.fromisoformat(day): float(mood) for day, mood in rows}

    @guarded
    def pauses(self) -> list[Pause]:
        rows = self.db.execute(
            'SELECT id, start, "end", note, sealed_note FROM pauses ORDER BY start, id'
        )
        return [
            Pause(pid, date.fromisoformat(start), date.fromisoformat(end), note, sealed)
            for pid, start, end, note, sealed in rows
        ]

    @guarded
    def locate(self, prefix: str, table: str = "entries") -> list[Located]:
        """Entries (or pauses) whose id starts with prefix; several when ambiguous."""
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sealed = "sealed" if table == "entries" else "0"
        rows = self.db.execute(
            f"SELECT id, path, {sealed} FROM {table} WHERE id LIKE ? ESCAPE '\\'"  # noqa: S608
            " ORDER BY id LIMIT 20",
            (pattern,),
        )
        return [Located(entry_id, path, bool(flag)) for entry_id, path, flag in rows]

    @guarded
    def entries_on(self, days: Iterable[date]) -> list[tuple[date, Located]]:
        """The entries about these days, by day, then in the order they were written."""
        wanted = sorted({day.isoformat() for day in days})
        found: list[tuple[date, Located]] = []
        for first in range(0, len(wanted), 500):
            some = wanted[first : first + 500]
            rows = self.db.execute(
                "SELECT day, id, path, sealed FROM entries"  # noqa: S608
                f" WHERE day IN ({', '.join('?' * len(some))}) ORDER BY day, created_utc, id",
                some,
            )
            found += [
                (date.fromisoformat(day), Located(entry_id, path, bool(flag)))
                for day, entry_id, path, flag in rows
            ]
        return found

    @guarded
    def newest_lookback_day(self, days: Iterable[date]) -> date | None:
        """The latest of these days with an entry open to lookback (plain entries only:
        an encrypted one keeps its mark sealed)."""
        wanted = sorted({day.isoformat() for day in days})
        found = [
            self.db.execute(
                "SELECT max(day) FROM entries WHERE lookback = 1"  # noqa: S608
                f" AND day IN ({', '.join('?' * len(some))})",
                some,
            ).fetchone()[0]
            for some in (wanted[first : first + 500] for first in range(0, len(wanted), 500))
        ]
        latest = max((day for day in found if day), default=None)
        return date.fromisoformat(latest) if latest else None

    @guarded
    def newest(self, place: int) -> Located | None:
        """The entry at this place in history (1: the newest), as history orders them."""
        row = self.db.execute(
            "SELECT id, path, sealed FROM entries ORDER BY day DESC, created_utc DESC, id DESC"
            " LIMIT 1 OFFSET ?",
            (place - 1,),
        ).fetchone()
        return Located(row[0], row[1], bool(row[2])) if row else None

    @guarded
    def prompt_answers(self, prompt_id: str, before: date) -> list[date]:
        """The days of the entries that answered a prompt, written before journal day
        `before`, oldest first (none in an encrypted journal: prompt ids are sealed)."""
        rows = self.db.execute(
            "SELECT day FROM entries WHERE prompt_id = ? AND created_day < ?"
            " ORDER BY day, created_utc",
            (prompt_id, before.isoformat()),
        )
        return [date.fromisoformat(day) for (day,) in rows]

    @guarded
    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many entries carry it, most used first; tags that differ
        only in case are one, under their most used spelling."""
        from collections import Counter

        spellings: dict[str, Counter[str]] = {}
        for (tags,) in self.db.execute("SELECT tags FROM entries WHERE tags != ''"):
            for tag in str(tags).split("\n"):
                spellings.setdefault(tag.lower(), Counter())[tag] += 1
        counted = [
            (spelled.most_common(1)[0][0], spelled.total()) for spelled in spellings.values()
        ]
        return sorted(counted, key=lambda item: (-item[1], item[0].lower()))

    @guarded
    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    @guarded
    def entry_paths(self) -> list[str]:
        """Every indexed entry file, oldest first."""
        rows = self.db.execute("SELECT path FROM entries ORDER BY created_utc, id")
        return [str(path) for (path,) in rows]

    @guarded
    def entry_ids(self) -> set[str]:
        return {str(entry_id) for (entry_id,) in self.db.execute("SELECT id FROM entries")}

    @guarded
    def query(self, query: Query) -> list[Entry]:
        """Entries matching the filters, newest day first (oldest with oldest_first)."""
        return list(rows_to_entries(run_query(self.db, query)))

    @guarded
    def count_matching(self, query: Query) -> int:
        """How many entries match the filters, whatever the limit."""
        where, params = conditions(self.db, query)
        # Only fixed SQL fragments are joined here; every value is a parameter.
        sql = "SELECT count(*) FROM entries e" + (  # noqa: S608
            " WHERE " + " AND ".join(where) if where else ""
        )
        return int(self.db.execute(sql, params).fetchone()[0])

    @guarded
    def passages(self, search: All, ids: Sequence[str], *, whole: bool) -> dict[str, Passage]:
        """Where the search matched each of these entries (FTS5's snippet and highlight;
        substring matches for unspaced scripts); whole=True also marks the whole text."""
        from .search import positive_terms, unspaced_script

        found: dict[str, Passage] = {}
        texts, prompts = positive_terms(search, "text"), positive_terms(search, "prompt")
        spaced = [term for term in texts if not unspaced_script(term.text)]
        expression = " OR ".join(
            [fts_term(term) for term in spaced]
            + [fts_term(term) for term in prompts if not unspaced_script(term.text)]
        )
        if expression:
            text_part = (
                f"snippet(entry_words, 0, '{MARK_START}', '{MARK_END}', '…', {PASSAGE_TOKENS})"
            )
            whole_part = f"highlight(entry_words, 0, '{MARK_START}', '{MARK_END}')"
            prompt_part = f"highlight(entry_words, 1, '{MARK_START}', '{MARK_END}')"
            chunk = 500
            for first in range(0, len(ids), chunk):
                some = list(ids[first : first + chunk])
                marks = ", ".join("?" * len(some))
                rows = self.db.execute(
                    f"SELECT e.id, {text_part}, {whole_part if whole else 'NULL'},"  # noqa: S608
                    f" {prompt_part if prompts else 'NULL'}"
                    " FROM entry_words JOIN entries e ON e.rowid = entry_words.rowid"
                    f" WHERE entry_words MATCH ? AND e.id IN ({marks})",
                    [expression, *some],
                )
                for entry_id, snippet, text, prompt in rows:
                    found[entry_id] = Passage(
                        snippet if spaced and MARK_START in snippet else None,
                        text if text and MARK_START in text else None,
                        prompt if prompt and MARK_START in prompt else None,
                    )
        unspaced = [term.text for term in texts if unspaced_script(term.text)]
        if unspaced:
            for entry_id, text in self.db.execute(
                f"SELECT id, text FROM entries WHERE id IN ({', '.join('?' * len(ids))})",  # noqa: S608
                list(ids),
            ):
                if entry_id not in found or found[entry_id].snippet is None:
                    marked = mark_substrings(text or "", unspaced)
                    if marked is not None:
                        prompt = found[entry_id].prompt if entry_id in found else None
                        found[entry_id] = Passage(
                            cut_around_mark(marked), marked if whole else None, prompt
                        )
        return found

    # --- health ----------------------------------------------------------------------

    def health(self) -> str | None:
        """What is wrong with the database itself, in words, or None when it is sound."""
        try:
            (result,) = self.db.execute("PRAGMA quick_check").fetchone()
            self.db.execute("INSERT INTO entry_words (entry_words) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            result = str(error)
        if result != "ok":
            return f"the index is damaged ({result})"
        files = self.db.execute(
            "SELECT count(*) FROM files WHERE problem IS NULL AND path NOT LIKE '%.meta.toml'"
            " AND path NOT LIKE 'pauses/%'"
        ).fetchone()[0]
        entries = self.db.execute("SELECT count(*) FROM entries").fetchone()[0]
        if files != entries:
            return f"the index lists {entries} entries for {files} entry files"
        kept = self.db.execute(
            "SELECT (SELECT value FROM derived WHERE key = ?),"
            " (SELECT value FROM derived WHERE key = ?)",
            (DAY_COUNTS, COUNTED),
        ).fetchone()
        if kept[0] is not None and kept[1] is not None:
            counts, digest = self.count_rows()
            if (bytes(kept[0]), int(kept[1])) != (counts.pack(), digest):
                return "the index's day counts do not match its entries"
        return None

    @property
    def changed(self) -> bool:
        """Whether this run changed any row: the folder had changed since the last run
        (or the index was built, or kept a summary)."""
        return self.db.total_changes > 0

    def close(self) -> None:
        self.db.close()


class Indexer:
    """Keeps an index's rows, and the day counts beside them, in step with the journal
    folder's files."""

    def __init__(self, index: Index) -> None:
        self.db = index.db
        self.root = index.root
        self.sealed = index.sealed
        self.day_start = index.day_start
        # Entries added (+) and removed (-) per fact_key, and what that does to the
        # counted digest: merged into the kept summaries at the end of each change.
        self.changes: dict[int, int] = {}
        self.digest_change = 0

    def catch_up(self, scan: Scan) -> list[Problem]:
        """Re-read what changed since the index last looked; returns the files whose
        problems it has stored."""
        if self.stored_folders() != scan.folders:
            with transaction(self.db):
                # Look again inside the write lock: another process may have done it.
                stored = self.stored_folders()
                if not stored and self.db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None:
                    self.load_all(scan)
                else:
                    dirty = {f for f, digest in scan.folders.items() if stored.get(f) != digest}
                    self.reconcile(scan, dirty | (stored.keys() - scan.folders.keys()))
        stored_problems = self.db.execute(
            "SELECT path, problem FROM files WHERE problem IS NOT NULL"
        )
        return [Problem(path, reason) for path, reason in stored_problems]

    def note_written(self, paths: Iterable[str]) -> None:
        folders = set()
        for path in paths:
            folders.update(folders_above(path))
        scan = scan_folders(str(self.root), sorted(folders))
        with transaction(self.db):
            self.reconcile(scan, folders)

    def stored_folders(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT folder, signature FROM folders"))

    def reconcile(self, scan: Scan, folders: set[str]) -> None:
        """Bring the rows of these folders in line with what the scan found in them,
        and remember each folder's digest (or forget the folders that are gone)."""
        changed, removed = self.differences(scan, folders)
        self.apply(scan.files_in(folders), changed, removed)
        self.db.executemany(
            "DELETE FROM folders WHERE folder = ?",
            [(f,) for f in folders - scan.folders.keys()],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO folders VALUES (?, ?)",
            [(f, scan.folders[f]) for f in folders & scan.folders.keys()],
        )

    def differences(self, scan: Scan, folders: set[str]) -> tuple[list[str], list[str]]:
        """(paths new or with another stamp, paths gone) in the given folders, compared
        file by file with what the index saw (any difference, not "newer")."""
        known: dict[str, Stamp] = {}
        for folder in folders:
            rows = self.db.execute(
                "SELECT path, size, mtime_ns, ctime_ns, inode FROM files WHERE folder = ?",
                (folder,),
            )
            known.update((path, tuple(stamp)) for path, *stamp in rows)
        found = scan.files_in(folders)
        changed = [path for path, stamp in found.items() if known.get(path) != stamp]
        removed = [path for path in known if path not in found]
        return changed, removed

    def apply(self, files: Mapping[str, Stamp], changed: list[str], removed: list[str]) -> None:
        touched = set(changed) | set(removed)
        # An encrypted entry is its .md.age plus its readable .meta.toml: re-read the
        # pair when either changes.
        for path in list(touched):
            if is_meta(path):
                touched.add(sealed_path(path))
        for path in sorted(touched):
            self.forget(path)
        for path in sorted(touched):
            if path not in files:
                continue
            if is_meta(path):
                self.record_file(path, files[path], None)
            else:
                self.learn(path, files)
        self.keep_counts()

    def forget(self, path: str) -> None:
        gone = self.db.execute(
            "DELETE FROM entries WHERE path = ?"
            " RETURNING day, created_day, theme, in_window, kind IS NULL",
            (path,),
        ).fetchall()
        for day, created, theme, in_window, page in gone:
            if page:  # a review is not counted
                self.count(fact_key(day, created, theme), -1, counted=bool(in_window))
        self.db.execute("DELETE FROM pauses WHERE path = ?", (path,))
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))

    def count(self, key: int, entries: int, *, counted: bool) -> None:
        self.changes[key] = self.changes.get(key, 0) + entries
        if counted:
            self.digest_change += entries * mix(key)

    def keep_counts(self) -> None:
        """Merge this change into the kept day counts and digest. When they are missing
        or no longer add up they are dropped, to be counted from the rows when asked."""
        changes = {key: n for key, n in self.changes.items() if n}
        digest_change = self.digest_change
        self.changes, self.digest_change = {}, 0
        if not changes:
            return
        packed, digest = self.db.execute(
            "SELECT (SELECT value FROM derived WHERE key = ?),"
            " (SELECT value FROM derived WHERE key = ?)",
            (DAY_COUNTS, COUNTED),
        ).fetchone()
        counts = DayCounts.unpack(packed) if packed is not None else None
        if counts is None or digest is None or not counts.change(changes):
            self.db.execute("DELETE FROM derived WHERE key IN (?, ?)", (DAY_COUNTS, COUNTED))
            return
        self.keep_summaries(counts, int(digest) + digest_change)

    def keep_summaries(self, counts: DayCounts, digest: int) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO derived VALUES (?, ?)",
            [(DAY_COUNTS, counts.pack()), (COUNTED, str(digest & MASK64))],
        )

    def record_file(self, path: str, stamp: Stamp, problem: str | None) -> None:
        self.db.execute(INSERT_FILE, (path, folder_of(path), *stamp, problem))

    def learn(self, path: str, files: Mapping[str, Stamp]) -> None:
        problem = None
        try:
            found = self.read_file(path, files)
            if isinstance(found, Pause):
                self.insert_pause(path, found)
            else:
                self.insert_entry(path, found, sealed=self.sealed)
        except UNUSABLE as error:
            problem = self.problem_with(path, error)
        self.record_file(path, files[path], problem)

    def read_file(self, path: str, files: Mapping[str, Stamp]) -> Pause | Entry:
        """What a journal file holds: a pause, or an entry. Raises what UNUSABLE names."""
        size = files[path][0]
        if size > MAX_FILE_BYTES:  # said without reading it
            what = "a pause" if path.startswith(PAUSES + "/") else "an entry"
            raise FileFormatError(f"it is too large to be {what} ({megabytes(size)})")
        if path.startswith(PAUSES + "/"):
            return parse_pause(self.read_text(path))
        return self.read_entry(path, files)

    def problem_with(self, path: str, error: BaseException) -> str:
        """Why a file was skipped, in words, from what reading or storing it raised."""
        if isinstance(error, FileFormatError):
            return error.message
        if isinstance(error, sqlite3.IntegrityError):
            return self.duplicate_reason(path)
        if isinstance(error, OSError):
            return reason(error)
        # A value validation did not foresee (ValueError, OverflowError).
        return f"it holds a value the journal cannot use ({error.__class__.__name__})"

    def read_entry(self, path: str, files: Mapping[str, Stamp]) -> Entry:
        """An entry file's Entry: from its readable metadata when it is encrypted."""
        if is_sealed(path):
            meta = meta_path(path)
            if meta not in files:
                raise FileFormatError(MISSING_META)
            return parse_meta(self.read_text(meta))
        return parse_entry(self.read_text(path))

    def load_all(self, scan: Scan) -> None:
        """Fill an empty index in bulk: rows go in batches, and each full-text table and
        secondary index is built once at the end instead of row by row. The rows are
        the same as learning the files one by one would give (a test holds it to that)."""
        indexes = re.findall(r"CREATE INDEX IF NOT EXISTS \w+ ON [^;]*", SCHEMA)
        triggers = re.findall(r"CREATE TRIGGER IF NOT EXISTS \w+ .*?\bEND", SCHEMA, re.S)
        for statement in indexes:
            self.db.execute(f"DROP INDEX IF EXISTS {statement.split()[5]}")
        for statement in triggers:
            self.db.execute(f"DROP TRIGGER IF EXISTS {statement.split()[5]}")
        for table in ("entries", "pauses", "folders"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608
        files = scan.files
        batch = Batch(self.db)
        entry_ids: set[str] = set()
        pause_ids: set[str] = set()
        for path in sorted(files):
            if is_meta(path):
                batch.add_file(path, files[path], None)
                continue
            problem = None
            try:
                found = self.read_file(path, files)
                if isinstance(found, Pause):
                    if found.id in pause_ids:
                        batch.flush()
                        raise sqlite3.IntegrityError
                    batch.add_pause(pause_row(path, found))
                    pause_ids.add(found.id)
                else:
                    row = self.entry_row(path, found, sealed=self.sealed)
                    if found.id in entry_ids:
                        batch.flush()
                        raise sqlite3.IntegrityError
                    batch.add_entry(row)
                    entry_ids.add(found.id)
                    self.count_row(row)
            except UNUSABLE as error:
                problem = self.problem_with(path, error)
            batch.add_file(path, files[path], problem)
        batch.flush()
        for table in re.findall(r"CREATE VIRTUAL TABLE IF NOT EXISTS (\w+) USING fts5", SCHEMA):
            self.db.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")  # noqa: S608
        for statement in indexes + triggers:
            self.db.execute(statement)
        self.db.executemany("INSERT INTO folders VALUES (?, ?)", scan.folders.items())
        self.keep_summaries(DayCounts.of(self.changes), self.digest_change)
        self.changes, self.digest_change = {}, 0

    def read_text(self, path: str) -> str:
        return decode_entry_bytes(read_bounded(f"{self.root}/{path}", MAX_FILE_BYTES))

    def duplicate_reason(self, path: str) -> str:
        stem = path.rsplit("/", 1)[-1].split(".", 1)[0]
        row = self.db.execute(
            "SELECT path FROM entries WHERE id = ? UNION SELECT path FROM pauses WHERE id = ?",
            (stem, stem),
        ).fetchone()
        other = row[0] if row else "another file"
        if other.split(".", 1)[0] == path.split(".", 1)[0]:
            return (
                "left by an interrupted encrypt or decrypt next to "
                f"{other}; run that command again to finish"
            )
        return f"it has the same id as {other}; skipped"

    def entry_row(self, path: str, entry: Entry, *, sealed: bool) -> tuple[object, ...]:
        """An entries row; with sealed=True only the readable metadata is kept."""
        if entry_id_of(path.rsplit("/", 1)[-1]) != entry.id:
            raise FileFormatError(f"its id {entry.id!r} does not match its file name")
        created_day = wall_clock_day(entry.created_local, self.day_start)
        return (
            entry.id,
            path,
            entry.created.isoformat(timespec="seconds"),
            utc_text(entry.created),
            entry.created_local.strftime("%Y-%m-%dT%H:%M:%S"),
            created_day.isoformat(),
            entry.day.isoformat(),
            entry.tz,
            entry.theme,
            None if sealed else entry.prompt_id,
            None if sealed else entry.prompt,
            None if sealed else entry.mood,
            "" if sealed else "\n".join(entry.tags),
            None if sealed else entry.text,
            int(sealed),
            int(within_backfill(entry.day, created_day)),
            entry.kind,
            None if sealed or not entry.covers else "/".join(d.isoformat() for d in entry.covers),
            None if sealed else int(entry.lookback),  # an encrypted entry keeps it sealed
        )

    def count_row(self, row: tuple[object, ...]) -> None:
        day, created, theme, in_window, kind = row[6], row[5], row[8], row[15], row[16]
        if kind is not None:
            return  # a review looks back on pages already counted
        assert isinstance(day, str) and isinstance(created, str)
        assert theme is None or isinstance(theme, str)
        self.count(fact_key(day, created, theme), 1, counted=bool(in_window))

    def insert_entry(self, path: str, entry: Entry, *, sealed: bool) -> None:
        """Add an entry row; with sealed=True only the readable metadata is kept."""
        row = self.entry_row(path, entry, sealed=sealed)
        self.db.execute(INSERT_ENTRY, row)
        self.count_row(row)

    def insert_pause(self, path: str, pause: Pause) -> None:
        self.db.execute(INSERT_PAUSE, pause_row(path, pause))


# What reading or storing one journal file may raise: it is then skipped, and named.
UNUSABLE = (FileFormatError, sqlite3.IntegrityError, OSError, ValueError, OverflowError)
INSERT_ENTRY = (
    "INSERT INTO entries (id, path, created, created_utc, created_local, created_day,"
    " day, tz, theme, prompt_id, prompt, mood, tags, text, sealed, in_window, kind, covers,"
    " lookback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_PAUSE = (
    'INSERT INTO pauses (id, path, start, "end", note, sealed_note) VALUES (?, ?, ?, ?, ?, ?)'
)
INSERT_FILE = (
    "INSERT OR REPLACE INTO files (path, folder, size, mtime_ns, ctime_ns, inode, problem)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def pause_row(path: str, pause: Pause) -> tuple[object, ...]:
    return (
        pause.id,
        path,
        pause.start.isoformat(),
        pause.end.isoformat(),
        pause.note,
        pause.sealed_note,
    )


class Batch:
    """Rows waiting to go in with one executemany each, in the order they were added."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.entries: list[tuple[object, ...]] = []
        self.pauses: list[tuple[object, ...]] = []
        self.files: list[tuple[object, ...]] = []

    def add_entry(self, row: tuple[object, ...]) -> None:
        self.entries.append(row)
        if len(self.entries) >= BATCH:
            self.flush()

    def add_pause(self, row: tuple[object, ...]) -> None:
        self.pauses.append(row)

    def add_file(self, path: str, stamp: Stamp, problem: str | None) -> None:
        self.files.append((path, folder_of(path), *stamp, problem))
        if len(self.files) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.db.executemany(INSERT_ENTRY, self.entries)
        self.db.executemany(INSERT_PAUSE, self.pauses)
        self.db.executemany(INSERT_FILE, self.files)
        self.entries, self.pauses, self.files = [], [], []


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def conditions(db: sqlite3.Connection, query: Query) -> tuple[list[str], list[str | int]]:
    """The WHERE conditions of a query and their parameters."""
    where: list[str] = []
    params: list[str | int] = []
    if query.theme:
        where.append("e.theme = ?")
        params.append(query.theme)
    if query.since:
        where.append("e.day >= ?")
        params.append(query.since.isoformat())
    if query.until:
        where.append("e.day <= ?")
        params.append(query.until.isoformat())
    for tag in query.tags:
        # Tags are stored one per line (a tag never holds white space).
        where.append(
            "instr(char(10) || lower(e.tags) || char(10), char(10) || lower(?) || char(10))"
        )
        params.append(tag)
    if query.prompt_id is not None:
        where.append("e.prompt_id = ?")
        params.append(query.prompt_id)
    if query.search is not None:
        from .search import tag_matches

        db.create_function("has_tag", 3, tag_matches, deterministic=True)
        where.append(search_condition(query.search, params))
    return where, params


def search_condition(node: Node, params: list[str | int]) -> str:
    """A parsed search as one SQL condition: words and phrases through the full-text
    index, tags through has_tag; only fixed fragments are joined, values are parameters."""
    from .search import All, Any_, Term, unspaced_script

    if isinstance(node, Term):
        if node.field == "tag":
            params.extend([node.text, int(node.prefix)])
            return "has_tag(e.tags, ?, ?)"
        if unspaced_script(node.text):  # no spaces between words: match anywhere
            params.append(node.text)
            return f"instr(lower(coalesce(e.{node.field}, '')), lower(?)) > 0"
        params.append(fts_term(node))
        return "e.rowid IN (SELECT rowid FROM entry_words WHERE entry_words MATCH ?)"
    if isinstance(node, All | Any_):
        joiner = " AND " if isinstance(node, All) else " OR "
        return "(" + joiner.join(search_condition(child, params) for child in node.nodes) + ")"
    return f"NOT {search_condition(node.node, params)}"


def run_query(db: sqlite3.Connection, query: Query) -> sqlite3.Cursor:
    where, params = conditions(db, query)
    order = "ASC" if query.oldest_first else "DESC"
    # Only fixed SQL fragments are joined here; every value is a parameter.
    sql = (
        "SELECT e.id, e.created, e.day, e.tz, e.text, e.theme, e.prompt_id, e.prompt, e.mood,"  # noqa: S608
        " e.tags, e.kind, e.covers FROM entries e"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY e.day {order}, e.created_utc {order}, e.id {order}"
    )
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return db.execute(sql, params)


def rows_to_entries(rows: Iterable[tuple[object, ...]]) -> Iterator[Entry]:
    for entry_id, created, day, tz, text, theme, prompt_id, prompt, mood, tags, *rest in rows:
        kind, covers = rest or (None, None)
        first, _, last = str(covers or "").partition("/")
        yield Entry(
            id=str(entry_id),
            created=datetime.fromisoformat(str(created)),
            day=date.fromisoformat(str(day)),
            tz=str(tz),
            text=str(text or ""),
            theme=theme if isinstance(theme, str) else None,
            prompt_id=prompt_id if isinstance(prompt_id, str) else None,
            prompt=prompt if isinstance(prompt, str) else None,
            mood=mood if isinstance(mood, int) else None,
            tags=tuple(str(tags).split("\n")) if tags else (),
            kind=kind if isinstance(kind, str) else None,
            covers=(date.fromisoformat(first), date.fromisoformat(last)) if last else None,
        )


def fts_term(term: Term) -> str:
    """One term as an FTS5 expression: a phrase in its column, with * for a prefix."""
    # SQLite ends a string at a NUL, which would leave the quote open.
    text = term.text.replace("\x00", " ").replace('"', '""')
    return f'{term.field} : "{text}"' + ("*" if term.prefix else "")


def mark_substrings(text: str, words: Sequence[str]) -> str | None:
    """text with every case-insensitive occurrence of the words marked; None if none."""
    import re

    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda found: MARK_START + found.group(0) + MARK_END, text)
    return marked if marked != text else None


def cut_around_mark(marked: str, reach: int = 60) -> str:
    """A passage of marked text around its first mark, with … where it was cut."""
    at = marked.index(MARK_START)
    start, end = max(0, at - reach), min(len(marked), at + reach)
    while MARK_START in marked[start:end] and marked.rfind(MARK_START, start, end) > marked.rfind(
        MARK_END, start, end
    ):
        end = marked.index(MARK_END, end) + 1  # never cut a mark in two
    return ("…" if start else "") + marked[start:end] + ("…" if end < len(marked) else "")


def parse_meta(content: str) -> Entry:
    """The readable metadata of an encrypted entry, as an Entry without text."""
    return entry_from_fields(read_fields(content, "its metadata"), "")


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA synchronous = NORMAL")  # a cache: speed over durability
    # Sorts and merges stay in memory: SQLite would otherwise spill rows past a few
    # megabytes into temp files in /var/tmp, outside the private folders, and an
    # index can hold entry text (in memory, an encrypted journal's too).
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


@guarded
def open_index(path: Path, root: Path, *, sealed: bool, day_start: time) -> Index:
    """The index at path for the journal at root, created or rebuilt as needed, and
    brought up to date."""
    ensure_private_dir(path.parent)
    # Rebuilt when any of these change: they shape what the index holds.
    identity = {"root": str(root), "sealed": str(int(sealed)), "day_start": str(day_start)}
    try:
        index = Index(prepare(path, identity), root, sealed=sealed, day_start=day_start)
        index.refresh()
    except sqlite3.DatabaseError:
        remove_database(path)  # damaged: it is only a cache, so build it again
        index = Index(prepare(path, identity), root, sealed=sealed, day_start=day_start)
        index.refresh()
    return index


@guarded
def memory_index(root: Path, *, day_start: time, sealed: bool = False) -> Index:
    """An index that lives only in memory: for searching an encrypted journal, and for
    carrying on when the cache folder cannot be written (a full disk)."""
    index = Index(connect(Path(":memory:")), root, sealed=sealed, day_start=day_start)
    index.db.executescript(SCHEMA)
    return index


def prepare(path: Path, identity: dict[str, str]) -> sqlite3.Connection:
    """Open the database, (re)building it when its schema or identity is not ours."""
    db = open_if_current(path, identity)
    if db is not None:
        return db
    with exclusive_lock(path.with_suffix(".lock")):
        db = open_if_current(path, identity)  # another process may have just built it
        if db is not None:
            return db
        remove_database(path)
        # Create it private before SQLite does, so the text index is never world-readable.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = connect(path)
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(SCHEMA)
        # Nothing indexed yet: nothing counted. The first refresh loads it all in bulk.
        db.executemany(
            "INSERT OR REPLACE INTO derived VALUES (?, ?)", [(DAY_COUNTS, b""), (COUNTED, "0")]
        )
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", identity.items())
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db


def open_if_current(path: Path, identity: dict[str, str]) -> sqlite3.Connection | None:
    """The open database when it exists with our schema for this journal, else None."""
    if not path.exists():
        return None
    db = connect(path)
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION and (
            dict(db.execute("SELECT key, value FROM meta").fetchall()) == identity
        ):
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
