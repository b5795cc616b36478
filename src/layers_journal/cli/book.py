"""The html and pdf exports, written as they go: one pass over the entries gathers what
the first page says of them (counts, layers, moods, exercises) and what is kept back,
then a second pass reads, renders and writes them one by one. Neither pass holds more
than one entry's text: a hundred years of pages take little more memory than one."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from layers_journal.folder.entries import Entry
    from layers_journal.formats.book import Session, Summary, Write
    from layers_journal.index import Query
    from layers_journal.journal.facade import Journal


class Gathered(NamedTuple):
    """What the first pass found: the first page's summary, each day's moods as
    [sum, count], what was left out, and the private entries (their text dropped)
    that the picture of the practice leaves out too."""

    summary: Summary
    moods: dict[date, list[int]]
    private_entries: int
    private_passages: int
    kept_back: list[Entry]


def gather(journal: Journal, query: Query, *, include_private: bool, whole: bool) -> Gathered:
    """The first pass. whole says the query is the whole journal, so its private entries
    are those it meets; otherwise they are looked for in a pass of their own."""
    from layers_journal.formats.book import Summary
    from layers_journal.formats.sharing import shared_entry
    from layers_journal.index import Query

    summary, moods = Summary(), dict[date, list[int]]()
    left_entries = left_passages = 0
    kept_back: list[Entry] = []
    for entry in journal.finder.each(query):
        shown: Entry | None = entry
        if not include_private:
            if entry.private and whole:
                kept_back.append(entry._replace(text=""))
            shown, passages = shared_entry(entry)
            left_entries += entry.private
            left_passages += passages
        if shown is None:
            continue
        summary.add(shown)
        if shown.mood is not None:
            noted = moods.setdefault(shown.day, [0, 0])
            noted[0] += shown.mood
            noted[1] += 1
    if not include_private and not whole:
        kept_back = [
            entry._replace(text="")
            for entry in journal.finder.each(Query(oldest_first=True))
            if entry.private
        ]
    return Gathered(summary, moods, left_entries, left_passages, kept_back)


def shown_entries(journal: Journal, query: Query, *, include_private: bool) -> Iterator[Entry]:
    """The second pass: the entries as the page shows them, one at a time."""
    from layers_journal.formats.sharing import shared_entry

    for entry in journal.finder.each(query, note_problems=False):
        shown = entry if include_private else shared_entry(entry)[0]
        if shown is not None:
            yield shown


def first_page(
    journal: Journal,
    gathered: Gathered,
    since: date | None,
    until: date | None,
    today: date,
    note: str | None,
) -> Session:
    """The first page for a session: the period, the mood, the layers as of its last
    day (without what is kept back), the person's note."""
    from layers_journal.formats.book import Session
    from layers_journal.ui.paper import layers_svg, mood_svg

    summary = gathered.summary
    first = since or (summary.first_day if summary.first_day is not None else today)
    last = max(first, min(until or today, today))
    report = journal.model.report_without(gathered.kept_back, last) if first <= today else None
    moods = day_moods(gathered.moods, first, last)
    session = Session(
        first=first,
        last=max(first, until or last),
        note=note,
        layers_svg=layers_svg(report) if report is not None else None,
        mood_svg=mood_svg(moods) if any(mood is not None for _, mood in moods) else None,
    )
    if summary.exercises:
        from layers_journal.exercises import load_exercises

        known, _ = load_exercises(journal.paths.user_exercises)
        session = session._replace(exercise_titles={e.name: e.title for e in known})
    return session


def day_moods(
    noted: dict[date, list[int]], first: date, last: date
) -> list[tuple[date, float | None]]:
    """Each day of the period with the average of the moods noted on it, or None."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [(day, noted[day][0] / noted[day][1] if day in noted else None) for day in days]


def write_page(
    write: Write,
    journal: Journal,
    query: Query,
    session: Session,
    summary: Summary,
    *,
    include_private: bool,
    today: date,
) -> None:
    from layers_journal.formats.book import write_book

    entries = shown_entries(journal, query, include_private=include_private)
    write_book(write, entries, title="Journal", session=session, summary=summary, exported_on=today)


def deliver(
    fill: Callable[[Write], object], output: Path | None, *, browser: str | None, force: bool
) -> None:
    """The page (fill writes it) into output, as it goes, or to stdout; with a browser,
    printed to PDF first."""
    if browser is not None:
        from layers_journal.formats.pdf import print_pdf

        data = print_pdf(fill, browser)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        from layers_journal.folder.storage import write_atomic

        refuse_existing(output, force=force)
        write_atomic(output, data, overwrite=True)
        return
    if output is None:
        if sys.stdout.isatty():  # exact into a file or pipe; harmless on a screen
            from layers_journal.ui.terminal import printable

            fill(lambda piece: sys.stdout.write(printable(piece)))
        else:
            fill(sys.stdout.write)
        return
    from layers_journal.folder.storage import writing_atomic

    refuse_existing(output, force=force)
    with writing_atomic(output, overwrite=True) as handle:
        fill(lambda piece: handle.write(piece.encode()))


def refuse_existing(output: Path, *, force: bool) -> None:
    from layers_journal.errors import UsageError

    if output.exists() and not force:
        raise UsageError(f"{output} already exists; add --force to replace it.")
