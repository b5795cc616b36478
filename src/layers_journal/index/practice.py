"""The practice in figures, as the index answers them: the day counts the layers model
reads and the model's kept result, and the smaller questions prompt choice, the status
of today and the layers view ask, each without reading every entry.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING

from layers_journal.model.layers import LAYERS

from .counts import MASK64, DayCounts, fact_key, mix
from .schema import COUNTED, DAY_COUNTS, MODEL, MODEL_KEY, guarded, transaction

if TYPE_CHECKING:
    from layers_journal.model.layers import EntryFacts


class Practice:
    """The figures of one open index (Index.practice)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # --- what the layers model reads, and its kept result ----------------------------

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
            " WHERE kind IS NOT 'review' GROUP BY day, created_day, theme"
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
        from layers_journal.model.layers import EntryFacts

        rows = self.db.execute(
            # A review looks back on pages already counted: it is not counted again.
            "SELECT day, created_day, theme, count(*) FROM entries"
            " WHERE kind IS NOT 'review' AND day BETWEEN ? AND ? GROUP BY day, created_day, theme",
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

    # --- what prompt choice, today's status and the layers view ask ------------------

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
            "SELECT count(*) FROM entries WHERE day = ? AND kind IS NOT 'review'",
            (day.isoformat(),),
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
