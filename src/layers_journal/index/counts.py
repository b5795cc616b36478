"""Entries per (day, created_day, layer) group, the layers model's input, kept beside
the rows and changed with them; and a digest of the counted ones, so the model's kept
result can name exactly what it was computed from.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from layers_journal.model.layers import LAYERS

from .schema import COUNTED, DAY_COUNTS

if TYPE_CHECKING:
    import sqlite3

    from layers_journal.model.layers import EntryFacts

THEME_CODES: tuple[str | None, ...] = (None, *LAYERS)
MASK64 = (1 << 64) - 1

# Past this many changed groups, merging rebuilds the arrays instead of inserting.
FEW_CHANGES = 64


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
        from layers_journal.model.layers import EntryFacts

        day, themes, make = date.fromordinal, THEME_CODES, tuple.__new__
        # tuple.__new__ skips NamedTuple's Python-level __new__: thousands of rows.
        return [
            make(EntryFacts, (day(key >> 24), day(key >> 2 & 0x3FFFFF), themes[key & 3], n))
            for key, n in zip(self.keys, self.counts, strict=True)
        ]


class Tally:
    """Entries added (+) and removed (-) per fact_key while the rows change, and what
    that does to the counted digest: merged into the kept summaries when the change
    ends."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.changes: dict[int, int] = {}
        self.digest_change = 0

    def count(self, key: int, entries: int, *, counted: bool) -> None:
        self.changes[key] = self.changes.get(key, 0) + entries
        if counted:
            self.digest_change += entries * mix(key)

    def keep(self) -> None:
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

    def keep_all(self) -> None:
        """After a bulk load, where the tally counted every row: keep it as it is."""
        self.keep_summaries(DayCounts.of(self.changes), self.digest_change)
        self.changes, self.digest_change = {}, 0
