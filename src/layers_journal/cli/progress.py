"""Progress and rest: `journal layers`, `pause`, `pauses`, `unpause`."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated

import typer

from .base import app, handled, not_after_today, open_journal, parse_date, print_json


@app.command()
@handled
def layers(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate as if this day were today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    weeks: Annotated[int, typer.Option(min=1, max=104, help="Weeks in the calendar.")] = 12,
) -> None:
    """Your progress as layers; a gap is a return, never a reset.

    Awareness at the bottom, connection and compassion resting on it, the presence chain,
    a calendar of recent weeks and how quickly you usually come back.
    Example: journal layers --as-of 2026-03-31
    """
    journal = open_journal()
    current_day = journal.clock.today()
    day = (
        not_after_today(parse_date(as_of, current_day), current_day, "--as-of")
        if as_of
        else current_day
    )
    report = journal.report(day)
    if as_json:
        print_json(report.to_json())
        return
    from layers_journal.layers import day_themes, paused_days
    from layers_journal.render import layers_view, out, show

    since = day - timedelta(weeks=weeks + 1)
    themes = day_themes(journal.facts(), day, since)
    paused = set(paused_days(journal.rest_spans(), day))
    show(layers_view(report, themes_by_day=themes, paused=paused, weeks=weeks, width=out().width))


@app.command()
@handled
def pause(
    start: Annotated[str, typer.Argument(help="First rest day (YYYY-MM-DD, today, yesterday).")],
    end: Annotated[
        str | None, typer.Argument(help="Last rest day; the start day when left out.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A few words for yourself, e.g. flu.")] = None,
) -> None:
    """Declare rest days (illness, travel) that pause every chain.

    Rest days neither end a chain nor count as time away.
    Example: journal pause 2026-12-20 2027-01-02 --note "family visit"
    """
    from layers_journal.pauses import check_range
    from layers_journal.render import say

    journal = open_journal()
    current_day = journal.clock.today()
    first = parse_date(start, current_day, future=True)
    last = parse_date(end, current_day, future=True) if end else first
    check_range(first, last)
    made = journal.add_pause(first, last, note.strip() if note and note.strip() else None)
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    say(f"Rest declared for {span} ({made.id}). Take the time you need.", style="green")


@app.command()
@handled
def pauses(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List declared rest days.  Example: journal pauses --json"""
    journal = open_journal()
    found = journal.pauses()
    needs_key = any(p.sealed_note for p in found) and (as_json or sys.stdout.isatty())
    items = [
        (p, journal.pause_note(p) if needs_key or p.sealed_note is None else "(encrypted)")
        for p in found
    ]
    if as_json:
        print_json({"version": 1, "pauses": [{**p.to_json(), "note": n} for p, n in items]})
        return
    from layers_journal.render import out, pauses_table, say

    if not items:
        say("No rest days declared.")
        return
    out().print(pauses_table(items))


@app.command()
@handled
def unpause(
    pause_id: Annotated[
        str, typer.Argument(metavar="ID", help="A pause id or its first characters.")
    ],
) -> None:
    """Remove a declared pause.  Example: journal unpause 2026-12-20"""
    from layers_journal.render import say

    removed = open_journal().remove_pause(pause_id)
    span = f"{removed.start.isoformat()} to {removed.end.isoformat()}"
    say(f"Removed the pause {removed.id} ({span}).")
