"""Writing: `journal today` and `journal edit`."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import NothingToSave

from .base import (
    Layer,
    app,
    clean_or_refuse,
    handled,
    not_after_today,
    open_journal,
    parse_date,
    read_stdin,
)

if TYPE_CHECKING:
    from layers_journal.journal import Journal
    from layers_journal.prompts import Prompt


@app.command()
@handled
def today(
    show_only: Annotated[
        bool, typer.Option("--show", help="Print the prompt only; write nothing.")
    ] = False,
    theme: Annotated[
        Layer | None, typer.Option(help="Write on this layer instead of the rotation.")
    ] = None,
    mood: Annotated[
        int | None,
        typer.Option(min=1, max=5, help="How are you arriving today? 1 (heavy) to 5 (light)."),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag; repeat for more.")] = None,
    on_date: Annotated[
        str | None,
        typer.Option("--date", help="Write for an earlier day (YYYY-MM-DD or yesterday)."),
    ] = None,
    editor: Annotated[
        bool, typer.Option("--editor", "-e", help="Write in $VISUAL / $EDITOR.")
    ] = False,
) -> None:
    """Show today's prompt and keep what you write.

    In a terminal you write below the prompt (Ctrl-D saves, Ctrl-C leaves); piped text
    is saved as it is. Example: echo "A slow walk helped." | journal today --mood 3
    """
    from layers_journal.entries import clean_body, new_entry
    from layers_journal.messages import EMPTY_BODY, LEFT_WITHOUT_SAVING
    from layers_journal.prompts import keep_todays_plan, plan_today, prompt_history
    from layers_journal.render import out, prompt_panel, say

    journal = open_journal()
    current_day = journal.clock.today()
    day = (
        not_after_today(parse_date(on_date, current_day), current_day, "--date")
        if on_date
        else current_day
    )
    tags = [clean_or_refuse(item) for item in tag or []]
    # Today's prompt rests on what was written before today began; a backfill follows on
    # from everything written so far.
    library = daily_library(journal)
    plan = plan_today(
        history=prompt_history(
            journal.index(), current_day, backfill=day != current_day, sealed=journal.encrypted
        ),
        library=library,
        today=current_day,
        theme=theme.value if theme else None,
    )
    if theme is None and day == current_day:  # a sync must not change it mid-day
        plan = keep_todays_plan(plan, library, journal.paths.todays_prompt(journal.root))
    written = journal.index().written_on(current_day)
    note = (
        "written once today"
        if written == 1
        else f"written {written} times today"
        if written
        else None
    )
    interactive = sys.stdin.isatty()
    if show_only or interactive or editor:
        out().print(prompt_panel(day=day, layer=plan.layer, prompt=plan.prompt, note=note))
    if show_only:
        return
    if editor:
        from layers_journal.editor import draft_about, draft_header, edit_text

        about = draft_about(
            day, plan.layer, plan.prompt.id, plan.prompt.text, sealed=journal.encrypted
        )
        raw = edit_text(draft_header(plan.prompt.text), drafts=journal.paths.drafts, about=about)
    elif interactive:
        typed = read_from_terminal()
        if typed is None:
            say(LEFT_WITHOUT_SAVING)
            raise typer.Exit(1)
        raw = typed
    else:
        raw = read_stdin()
    text = clean_body(raw)
    if not text.strip():
        raise NothingToSave(EMPTY_BODY)
    entry = new_entry(
        journal.clock,
        now=journal.clock.now(),
        day=day,
        text=text,
        theme=plan.layer,
        prompt_id=plan.prompt.id,
        prompt=plan.prompt.text,
        mood=mood,
        tags=tags,
    )
    journal.save_new(entry)
    say_saved(journal, entry_day=day, today=current_day, created_day=current_day)


def daily_library(journal: Journal) -> list[Prompt]:
    """The prompts for today. A mistake in the person's own prompts.toml is said, and
    the shipped prompts carry on, so a typo never stands between them and writing."""
    from layers_journal.errors import PromptFileError
    from layers_journal.prompts import load_library

    cache = journal.paths.prompt_cache
    try:
        return load_library(journal.paths.user_prompts, cache=cache)
    except PromptFileError as error:
        journal.notes.append(f"{error.message} Today's prompt comes from the shipped library.")
        return load_library(None, cache=cache)


def read_from_terminal() -> str | None:
    """Everything typed until Ctrl-D on a new line (the terminal's own line editing, as
    jrnl and cat use); None when the person leaves with Ctrl-C."""
    from layers_journal.messages import WRITE_HINT
    from layers_journal.render import say

    say(WRITE_HINT, style="dim")
    try:
        return read_stdin()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return None


def say_saved(journal: Journal, *, entry_day: date, today: date, created_day: date) -> None:
    from layers_journal.layers import EntryFacts, counts
    from layers_journal.messages import saved_line
    from layers_journal.render import say

    counted = counts(EntryFacts(entry_day, created_day, None), today)
    say(
        saved_line(journal.presence(today), day=entry_day, today=today, counted=counted),
        style="green",
    )


@app.command()
@handled
def edit(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id or its first characters.")
    ],
) -> None:
    """Change an entry's text in your editor.

    Opens $VISUAL or $EDITOR; the front matter stays exactly as it is.
    Example: journal edit 2026-11-23-0815
    """
    from layers_journal.editor import draft_about, edit_text
    from layers_journal.entries import clean_body
    from layers_journal.messages import EDIT_EMPTIED, EDIT_UNCHANGED
    from layers_journal.render import say

    journal = open_journal()
    located = journal.locate(entry_id)
    original = journal.read_entry(located)
    about = draft_about(
        original.day,
        original.theme,
        original.prompt_id,
        original.prompt,
        sealed=journal.encrypted,
    )
    buffer = edit_text(original.text + "\n", drafts=journal.paths.drafts, about=about)
    # Unchanged means the buffer as it was handed over, not as a new entry would be
    # trimmed: an entry's own spacing is left alone.
    edited = (
        original.text if buffer in (original.text + "\n", original.text) else clean_body(buffer)
    )
    if edited == original.text:
        say(EDIT_UNCHANGED)
        return
    if not edited.strip():
        raise NothingToSave(EDIT_EMPTIED)
    journal.replace_text(located, original, edited)
    say(f"Saved the new text of {located.id}.", style="green")
