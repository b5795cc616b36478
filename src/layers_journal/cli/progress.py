"""Progress and rest: `journal layers`, `pause`, `pauses`, `unpause`."""

from __future__ import annotations

import sys
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .base import PlainOption, app, handled, open_journal, parse_date, past_day, print_json, within

if TYPE_CHECKING:
    from layers_journal.model.layers import Report


class ColourBy(StrEnum):
    layer = "layer"
    mood = "mood"


@app.command()
@handled
def layers(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DAY", help="Evaluate as if this day were today."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    detail: Annotated[
        bool, typer.Option("--detail", help="Add how settled each habit is, grace, chapters.")
    ] = False,
    by: Annotated[
        ColourBy,
        typer.Option("--by", metavar="layer|mood", help="Colour the calendar by layer or by mood."),
    ] = ColourBy.layer,
    weeks: Annotated[
        int, typer.Option(metavar="N", callback=within(1, 104), help="Weeks in the calendar.")
    ] = 12,
    svg: Annotated[
        Path | None, typer.Option("--svg", metavar="PATH", help="Also save the picture as SVG.")
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="PATH", help="Also save the picture as HTML."),
    ] = None,
    plain: PlainOption = False,
) -> None:
    """Your progress as layers; time away is a return, never a reset.

    Awareness at the bottom, connection and compassion resting on it, then presence
    (any page at all), a calendar of recent weeks, and how soon you usually come back.

    Your rhythm (journal rhythm) is the unit your practice is counted in: daily, the
    default, counts presence in days, and 2/week (any of 1/week to 6/week) counts it in
    calendar weeks, so a steady weekend is a kept week rather than time away. Layers
    always count calendar weeks, Monday to Sunday.

    \b
    What each figure means:
      ■ □ –           one mark per calendar week of a layer: kept, not, or paused.
      weeks running   weeks in a row, up to this one, kept on that layer (a single
                      page keeps a week; at 1 or 2 pages a week, one in the week or
                      two before it does too).
      kept 7 of the last 8 weeks
                      the same, when some weeks went without.
      days in all     every day you ever wrote on that layer; it never goes down.
      your foundation awareness: noticing comes first, the other two rest on it.
      chain (best)    days written one after another (weeks kept, under N/week);
                      a single day (or week) off is grace and keeps it; best is
                      your longest chain so far.
      24 of the last 28 days
                      how many of the last four weeks' days had a page (under
                      N/week: how many of the last eight weeks were kept).
      come back within 2 days
                      how long your recent times away lasted, once you returned.
    With --detail:
      settled         how settled a habit is (Loop Habit Tracker's score): it grows
                      with every day written and fades slowly in time away.
      standing on your foundation
                      an upper layer's figure as the foundation carries it.
      grace           days off a chain carried without ending.
      chapters        earlier chains, kept as parts of one story.

    The maths, with worked examples: docs/LAYERS-MODEL.md in the source.
    Example: journal layers --detail --as-of 2026-03-31
    """
    journal = open_journal()
    current_day = journal.clock.today()
    day = past_day(as_of, current_day, name="--as-of") if as_of is not None else current_day
    report = journal.model.report(day)
    if as_json:
        print_json(report.to_json())
        return
    from layers_journal.model.layers import day_themes, paused_days
    from layers_journal.ui.calendars import layer_calendar, mood_calendar, sealed_moods
    from layers_journal.ui.console import out, show
    from layers_journal.ui.picture import layers_view

    width = out().width
    first = report.presence.first_day or day
    since = max(first, day - timedelta(weeks=weeks + 1))
    themes = day_themes(journal.model.facts_between(since, day), day, since)
    paused = set(paused_days(journal.model.rest_spans(), day))
    if by is ColourBy.layer:
        calendar = layer_calendar(day, first, themes, paused, weeks=weeks, width=width)
    elif journal.encrypted:
        calendar = sealed_moods(width)
    else:
        moods = journal.index().practice.day_moods(since, day)
        calendar = mood_calendar(day, first, moods, themes, paused, weeks=weeks, width=width)
    picture = layers_view(report, calendar=calendar, detail=detail, width=width)
    show(picture)
    if svg or html:
        save_pictures(report, svg=svg, html=html)


@app.command()
@handled
def rhythm(
    value: Annotated[
        str | None,
        typer.Argument(metavar="[daily|N/week]", help="daily, or 1/week to 6/week."),
    ] = None,
) -> None:
    """Show your rhythm, or choose one: the pages a week your practice is counted by.

    daily (the default) counts presence in days, a chain of days one after another.
    2/week (any of 1/week to 6/week) counts it in calendar weeks, Monday to Sunday: a
    week with two pages is kept, so writing every weekend is one steady chain of weeks.
    Layers count in weeks either way. Choosing daily also means no other rhythm is
    offered. Example: journal rhythm 2/week
    """
    from layers_journal.config import set_value
    from layers_journal.model.layers import parse_rhythm
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import offer_line, rhythm_chosen, rhythm_now

    journal = open_journal()
    if value is None:
        from rich.text import Text

        from layers_journal.ui.console import out

        current = journal.config.rhythm
        said = [rhythm_now(str(current), chosen=current.chosen)]
        suggested = journal.model.report(journal.clock.today()).suggested_rhythm
        if suggested is not None:
            said.append(offer_line(str(suggested)))
        for sentence in said:  # folded between words in a terminal, one line to a pipe
            out().print(Text(sentence), soft_wrap=not out().is_terminal)
        return
    try:
        chosen = parse_rhythm(value)
    except ValueError as error:
        from layers_journal.errors import UsageError

        raise UsageError(str(error)) from None
    if journal.paths.own:  # another named journal keeps its own in its table
        from layers_journal.journals import set_rhythm

        set_rhythm(journal.paths, journal.name, str(chosen))
    else:
        set_value(journal.paths.config_file, "rhythm", str(chosen))
    say(rhythm_chosen(str(chosen)), style="green", fold=True)


def save_pictures(report: Report, *, svg: Path | None, html: Path | None) -> None:
    """The picture drawn for paper and screen, as SVG and as an HTML page, private
    (0600) and written atomically."""
    from layers_journal.folder.storage import write_atomic
    from layers_journal.formats.book import picture_page
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import day_label
    from layers_journal.ui.paper import layers_svg

    drawing = layers_svg(report)
    as_svg = drawing + "\n"
    as_html = picture_page(drawing, title=f"Your layers · {day_label(report.as_of)}")
    for path, text in ((svg, as_svg), (html, as_html)):
        if path is not None:
            target = path.expanduser()
            write_atomic(target, text.encode("utf-8"), overwrite=True)
            say(f"Saved the picture to {target}.")


@app.command()
@handled
def pause(
    start: Annotated[str, typer.Argument(help="First rest day (YYYY-MM-DD, today, yesterday).")],
    end: Annotated[
        str | None, typer.Argument(help="Last rest day; the start day when left out.")
    ] = None,
    note: Annotated[
        str | None, typer.Option(metavar="WORDS", help="A few words for yourself, e.g. flu.")
    ] = None,
) -> None:
    """Declare rest days (illness, travel) that pause every chain.

    Rest days neither end a chain nor count as time away.
    Example: journal pause 2026-12-20 2027-01-02 --note "family visit"
    """
    from layers_journal.folder.pauses import check_range
    from layers_journal.ui.console import say

    journal = open_journal()
    current_day = journal.clock.today()
    first = parse_date(start, current_day, future=True)
    last = parse_date(end, current_day, future=True) if end else first
    check_range(first, last)
    made = journal.changes.add_pause(first, last, note.strip() if note and note.strip() else None)
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    say(f"Rest declared for {span} ({made.id}). Take the time you need.", style="green")


@app.command()
@handled
def pauses(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """List declared rest days.  Example: journal pauses --json"""
    journal = open_journal()
    found = journal.model.pauses()
    needs_key = any(p.sealed_note for p in found) and (as_json or sys.stdout.isatty())
    items = [
        (p, journal.finder.pause_note(p) if needs_key or p.sealed_note is None else "(encrypted)")
        for p in found
    ]
    if as_json:
        print_json({"version": 1, "pauses": [{**p.to_json(), "note": n} for p, n in items]})
        return
    from layers_journal.ui.console import out, say, show
    from layers_journal.ui.views import pauses_table

    if not items:
        say("No rest days declared.")
        return
    show(pauses_table(items, width=out().width))


@app.command()
@handled
def unpause(
    pause_id: Annotated[
        str, typer.Argument(metavar="ID", help="A pause id or its first characters.")
    ],
) -> None:
    """Remove a declared pause.  Example: journal unpause 2026-12-20"""
    from layers_journal.ui.console import say

    removed = open_journal().changes.remove_pause(pause_id)
    span = f"{removed.start.isoformat()} to {removed.end.isoformat()}"
    say(f"Removed the pause {removed.id} ({span}).")
