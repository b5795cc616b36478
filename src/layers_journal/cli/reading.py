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
    since: Annotated[str | None, typer.Option(help="From this day on (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to and including this day.")] = None,
    search: Annotated[
        str | None, typer.Option(help="Words that must all appear (case-insensitive).")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only entries with this tag; repeatable.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Whole entries, not the first lines.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never use a pager.")] = False,
) -> None:
    """Look back over past entries, newest first.

    Example: journal history --theme compassion --since 2026-01-01 --search "slow walk"
    """
    from layers_journal.index import Query, search_words

    journal = open_journal()
    current_day = journal.clock.today()
    words = search_words(search) if search else []
    if search and not words:
        raise UsageError("--search needs at least one word with a letter or digit.")
    query = Query(
        limit=limit,
        theme=theme.value if theme else None,
        since=parse_date(since, current_day) if since else None,
        until=parse_date(until, current_day) if until else None,
        words=words,
        tags=[clean_or_refuse(item) for item in tag or []],
    )
    if query.since and query.until and query.since > query.until:
        raise UsageError("--since is after --until, so nothing could match.")
    entries = journal.query(query)
    if as_json:
        print_json({"version": 1, "entries": [entry.to_json() for entry in entries]})
        return
    from layers_journal.render import history_view, out, say, show

    if not entries:
        say(
            "No entries match."
            if (search or tag or theme or since or until)
            else "No entries yet; journal today starts the first."
        )
        return
    view = history_view(entries, full=full, words=words, width=out().width)
    show(view, page=not no_pager)


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
    from layers_journal.render import entry_view, show

    show(entry_view(entry), page=True)


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
