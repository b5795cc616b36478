"""Reading back: `journal history`, `show`, and the trash (`delete`, `restore`)."""

from __future__ import annotations

from typing import Annotated

import typer

from layers_journal.errors import UsageError

from .base import Layer, app, clean_or_refuse, handled, open_journal, parse_date, print_json


@app.command()
@handled
def history(
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="At most this many entries.")
    ] = None,
    theme: Annotated[Layer | None, typer.Option(help="Only this layer.")] = None,
    since: Annotated[
        str | None, typer.Option(help="From this day on (2026-11-01, 2 weeks ago, monday).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Up to and including this day.")] = None,
    search: Annotated[
        str | None,
        typer.Option(
            help='Whole words, all of them; word* for a prefix, "a phrase", OR, -word, '
            "tag:x or #x, prompt:x. Accents and case do not matter."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only entries with this tag; repeatable.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Whole entries, not the first lines.")
    ] = False,
    oneline: Annotated[
        bool, typer.Option("--oneline", help="One line each: day, layer, id, first words.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never use a pager.")] = False,
) -> None:
    """Look back over past entries, newest first.

    Dates are the day each entry is about. With --search, each entry shows where it
    matched. Example: journal history --theme compassion --since 2026-01-01 --search "slow walk"
    """
    from layers_journal.index import Query
    from layers_journal.search import SearchError, parse_search

    journal = open_journal()
    current_day = journal.clock.today()
    try:
        parsed = parse_search(search) if search is not None else None
    except SearchError as error:
        raise UsageError(str(error)) from None
    query = Query(
        limit=limit,
        theme=theme.value if theme else None,
        since=parse_date(since, current_day, name="--since") if since is not None else None,
        until=parse_date(until, current_day, name="--until") if until is not None else None,
        search=parsed,
        tags=[clean_or_refuse(item) for item in tag or []],
    )
    if query.since and query.until and query.since > query.until:
        raise UsageError("--since is after --until, so nothing could match.")
    found = journal.search(query, whole=full and not oneline)
    if as_json:
        print_json({"version": 1, "entries": [entry.to_json() for entry in found.entries]})
        return
    from layers_journal.render import history_view, oneline_view, out, say, show

    filtered = any(value is not None for value in (search, tag, theme, since, until))
    if not found.entries:
        say("No entries match." if filtered else "No entries yet; journal today starts the first.")
        return
    count = count_line(found.total, len(found.entries), filtered=filtered)
    console = out()
    # The count heads the view in a terminal; off one it goes to stderr, so what is piped
    # holds only entries (journal history --oneline | wc -l counts them).
    if not console.is_terminal:
        say(count)
    shown = count if console.is_terminal else None
    if oneline:
        view = oneline_view(
            found.entries, width=console.width if console.is_terminal else None, count=shown
        )
    else:
        view = history_view(
            found.entries, full=full, width=console.width, passages=found.passages, count=shown
        )
    show(view, page=not no_pager)


def count_line(total: int, shown: int, *, filtered: bool) -> str:
    """12 entries match · 420 entries, newest first · 12 entries match; the newest 5 here."""
    from layers_journal.messages import plural

    words = plural(total, "entry", "entries")
    line = (
        f"{words} {'matches' if total == 1 else 'match'}" if filtered else f"{words}, newest first"
    )
    if shown < total:
        line += f"; the newest {shown} here" if shown > 1 else "; the newest here"
    return line


@app.command("show")
@handled
def show_entry(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id or its first characters.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show one entry in full.  Example: journal show 2026-11-23-0815"""
    journal = open_journal()
    entry = journal.read_entry(journal.locate(entry_id))
    if as_json:
        print_json(entry.to_json())
        return
    from layers_journal.render import entry_view, out, show

    console = out()
    show(entry_view(entry, width=console.width if console.is_terminal else None), page=True)


@app.command()
@handled
def delete(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id or its first characters.")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask first (for scripts).")
    ] = False,
) -> None:
    """Move an entry to the journal's trash (restorable).

    Asks first unless --yes; journal restore brings it back.
    Example: journal delete 2026-11-23-0815 --yes
    """
    from layers_journal.render import say

    journal = open_journal()
    located = journal.locate(entry_id)
    if not yes:
        try:
            agreed = typer.confirm(f"Move {located.id} to the trash?", default=False)
        except typer.Abort:  # no answer (end of input): keep it
            agreed = False
        if not agreed:
            say("Left as it is.")
            raise typer.Exit(1)
    target = journal.trash(located)
    say(
        f"Moved to the trash: {target}. journal restore {located.id} brings it back.",
        style="green",
    )


@app.command()
@handled
def restore(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The id of an entry in the trash.")],
) -> None:
    """Bring an entry back from the trash.  Example: journal restore 2026-11-23-0815"""
    from layers_journal.render import say

    journal = open_journal()
    target = journal.restore(entry_id)
    say(f"Restored {target.name}.", style="green")
