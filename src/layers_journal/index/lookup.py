"""Entries and pauses as the index lists them: found by id prefix, by day or by place in
history; how many there are, their ids and files, and the tags they carry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from layers_journal.folder.pauses import Pause

from .schema import guarded


class Located(NamedTuple):
    id: str
    path: str
    sealed: bool


class Lookup:
    """Entries and pauses of one open index (Index.lookup)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

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
    def pauses(self) -> list[Pause]:
        rows = self.db.execute(
            'SELECT id, start, "end", note, sealed_note FROM pauses ORDER BY start, id'
        )
        return [
            Pause(pid, date.fromisoformat(start), date.fromisoformat(end), note, sealed)
            for pid, start, end, note, sealed in rows
        ]
