"""History's queries over the index: its filters, --search through the full-text index
(words and phrases) and the tags, and the passages where a search matched each entry,
marked for the renderer to highlight.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.folder.entries import Entry

from .rows import unpack_scales
from .schema import cache_error, guarded

if TYPE_CHECKING:
    from layers_journal.model.query import All, Node, Term

    from .lookup import Located


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


class Search:
    """History's queries on one open index (Index.search)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @guarded
    def query(self, query: Query) -> list[Entry]:
        """Entries matching the filters, newest day first (oldest with oldest_first)."""
        return list(rows_to_entries(run_query(self.db, query)))

    def each(self, query: Query) -> Iterator[Entry]:
        """Entries matching the filters, in query's order, each read from the index only
        when it is asked for: a whole journal goes by without being held at once."""
        try:
            yield from rows_to_entries(run_query(self.db, query))
        except sqlite3.Error as error:
            raise cache_error(error) from None

    @guarded
    def located(self, query: Query) -> list[Located]:
        """Where the entries matching the filters are, in the order query gives them."""
        from .lookup import Located

        rows = run_query(self.db, query, "e.id, e.path, e.sealed")
        return [Located(str(entry_id), str(path), bool(sealed)) for entry_id, path, sealed in rows]

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
        from layers_journal.model.query import positive_terms, unspaced_script

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
        from layers_journal.model.query import tag_matches

        db.create_function("has_tag", 3, tag_matches, deterministic=True)
        where.append(search_condition(query.search, params))
    return where, params


def search_condition(node: Node, params: list[str | int]) -> str:
    """A parsed search as one SQL condition: words and phrases through the full-text
    index, tags through has_tag; only fixed fragments are joined, values are parameters."""
    from layers_journal.model.query import All, Any_, Term, unspaced_script

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


ENTRY_COLUMNS = (
    "e.id, e.created, e.day, e.tz, e.text, e.theme, e.prompt_id, e.prompt, e.mood,"
    " e.tags, e.kind, e.covers, e.exercise, e.scales, e.lookback, e.private"
)


def run_query(db: sqlite3.Connection, query: Query, columns: str = ENTRY_COLUMNS) -> sqlite3.Cursor:
    where, params = conditions(db, query)
    order = "ASC" if query.oldest_first else "DESC"
    # Only fixed SQL fragments are joined here; every value is a parameter.
    sql = (
        f"SELECT {columns} FROM entries e"  # noqa: S608
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY e.day {order}, e.created_utc {order}, e.id {order}"
    )
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return db.execute(sql, params)


def rows_to_entries(rows: Iterable[tuple[object, ...]]) -> Iterator[Entry]:
    for entry_id, created, day, tz, text, theme, prompt_id, prompt, mood, tags, *rest in rows:
        kind, covers, exercise, scales, lookback, private = (*rest, *(None,) * 6)[:6]
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
            exercise=exercise if isinstance(exercise, str) else None,
            scales=unpack_scales(scales),
            lookback=lookback != 0,
            private=bool(private),
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
