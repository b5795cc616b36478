"""Looking back: `journal review`."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated

import typer

from .base import PlainOption, app, handled, open_journal, past_day, print_json


@app.command()
@handled
def review(
    week: Annotated[bool, typer.Option("--week", help="This calendar week (the default).")] = False,
    month: Annotated[bool, typer.Option("--month", help="This calendar month.")] = False,
    year: Annotated[bool, typer.Option("--year", help="This calendar year.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="DAY", help="Look at the period holding this day (e.g. yesterday)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="The figures, machine-readable; writes nothing.")
    ] = False,
    show_only: Annotated[
        bool, typer.Option("--show", help="Show the look back only; write nothing.")
    ] = False,
    editor: Annotated[
        bool, typer.Option("--editor", "-e", help="Write in $VISUAL / $EDITOR.")
    ] = False,
    plain: PlainOption = False,
) -> None:
    """Look back over a week, a month or a year, and write about it if you like.

    Pages and days per layer, the period's stretch of the calendar, mood when you noted
    it, words written, returns and recurring tags; then one prompt per layer. What you
    write is kept as a review (kind = "review"), which leaves your layers as they are.
    Piped text is saved as it is. Example: journal review --month --as-of yesterday
    """
    from layers_journal.errors import NothingToSave, UsageError
    from layers_journal.index import Query
    from layers_journal.model.review import period_of, review_figures

    chosen = [name for name, flag in (("week", week), ("month", month), ("year", year)) if flag]
    if len(chosen) > 1:
        raise UsageError("Choose one of --week, --month or --year.")
    journal = open_journal()
    current_day = journal.clock.today()
    day = past_day(as_of, current_day, name="--as-of") if as_of is not None else current_day
    period = period_of(chosen[0] if chosen else "week", day)
    figures = review_figures(
        journal.finder.query(Query(since=period.first, oldest_first=True)),
        period=period,
        day_start=journal.config.day_start,
        facts=journal.model.facts(),
        pauses=journal.model.rest_spans(),
        rhythm=journal.config.rhythm,
    )
    if as_json:
        print_json(figures.to_json())
        return
    from layers_journal.folder.entries import clean_body, new_entry
    from layers_journal.model.layers import day_themes, paused_days
    from layers_journal.model.review import REVIEW, prompt_block, review_prompts
    from layers_journal.ui.calendars import layer_calendar
    from layers_journal.ui.console import out, say, show
    from layers_journal.ui.messages import EMPTY_BODY
    from layers_journal.ui.review_screen import review_view
    from layers_journal.ui.words import REVIEW_SAVED, REVIEW_WRITE_HINT

    from .writing import daily_library, read_body

    prompts = review_prompts(daily_library(journal), period)
    since = period.first - timedelta(days=period.first.weekday())
    themes = day_themes(journal.model.facts(), period.end, since)
    paused = set(paused_days(journal.model.rest_spans(), period.end))
    interactive = sys.stdin.isatty()
    if show_only or interactive or editor:
        width = out().width
        weeks = (period.end - since).days // 7 + 1
        calendar = layer_calendar(
            period.end,
            period.first,
            themes,
            paused,
            weeks=weeks,
            width=width,
            title=f"This {period.name}, day by day",
            compact=True,
        )
        show(review_view(figures, prompts=prompts, calendar=calendar, width=width))
    if show_only:
        return
    block = prompt_block(prompts)
    raw = read_body(
        journal,
        day=current_day,
        layer=None,
        prompt_id=None,
        prompt_text=block,
        editor=editor,
        hint=REVIEW_WRITE_HINT.format(period=period.name),
    )
    text = clean_body(raw)
    if not text.strip():
        raise NothingToSave(EMPTY_BODY)
    entry = new_entry(
        journal.clock,
        now=journal.clock.now(),
        day=current_day,
        text=text,
        prompt=block or None,
        kind=REVIEW,
        covers=(period.first, period.last),
    )
    journal.changes.save_new(entry)
    say(REVIEW_SAVED.format(period=period.name), style="green")
