"""Writing: `journal today` and `journal edit`."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import NothingToSave

from .base import (
    ADDRESS_SETTINGS,
    ENTRY_ARGUMENT_HELP,
    Layer,
    app,
    clean_or_refuse,
    entry_named,
    handled,
    not_after_today,
    open_journal,
    parse_date,
    print_json,
    read_stdin,
)

if TYPE_CHECKING:
    from layers_journal.entries import Entry
    from layers_journal.index import Located
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
    as_json: Annotated[
        bool, typer.Option("--json", help="With --show: the prompt as machine-readable output.")
    ] = False,
    no_inline_tags: Annotated[
        bool, typer.Option("--no-inline-tags", help="Do not turn #words in the text into tags.")
    ] = False,
) -> None:
    """Show today's prompt and keep what you write.

    In a terminal you write below the prompt (Ctrl-D saves, Ctrl-C leaves); piped text
    is saved as it is. Example: echo "A slow walk helped." | journal today --mood 3
    """
    from layers_journal.entries import clean_body, new_entry
    from layers_journal.messages import EMPTY_BODY
    from layers_journal.prompts import plan_today, prompt_history
    from layers_journal.render import out, prompt_panel

    journal = open_journal()
    current_day = journal.clock.today()
    day = (
        not_after_today(parse_date(on_date, current_day, name="--date"), current_day, "--date")
        if on_date
        else current_day
    )
    tags = [clean_or_refuse(item) for item in tag or []]
    # Today's prompt rests on what was written before today began; a backfill follows on
    # from everything written so far.
    plan = plan_today(
        history=prompt_history(
            journal.index(), current_day, backfill=day != current_day, sealed=journal.encrypted
        ),
        library=daily_library(journal),
        today=current_day,
        theme=theme.value if theme else None,
    )
    written = journal.index().written_on(current_day)
    note = (
        "written once today"
        if written == 1
        else f"written {written} times today"
        if written
        else None
    )
    interactive = sys.stdin.isatty()
    if show_only and (as_json or not out().is_terminal):
        show_plain(day, plan.layer, plan.prompt, written, note, as_json=as_json)
        if not as_json:
            say_looking_back(journal, current_day, plan.prompt.id)
        return
    if show_only or interactive or editor:
        out().print(prompt_panel(day=day, layer=plan.layer, prompt=plan.prompt, note=note))
        say_looking_back(journal, current_day, plan.prompt.id)
    if show_only:
        return
    raw = read_body(
        journal,
        day=day,
        layer=plan.layer,
        prompt_id=plan.prompt.id,
        prompt_text=plan.prompt.text,
        editor=editor,
    )
    text = clean_body(raw)
    if not text.strip():
        raise NothingToSave(EMPTY_BODY)
    if journal.config.inline_tags and not no_inline_tags:
        from layers_journal.entries import inline_tags

        tags += inline_tags(text)
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


def read_body(
    journal: Journal,
    *,
    day: date,
    layer: str | None,
    prompt_id: str | None,
    prompt_text: str,
    editor: bool,
    hint: str | None = None,
) -> str:
    """The words of a new page, by journal today's input rules: $VISUAL/$EDITOR with
    --editor, else typed in the terminal, else all of stdin. Ctrl-C in the terminal
    leaves without saving (exit 1)."""
    from layers_journal.messages import LEFT_WITHOUT_SAVING
    from layers_journal.render import say

    if editor:
        from layers_journal.editor import draft_about, draft_header, edit_text

        about = draft_about(day, layer, prompt_id, prompt_text, sealed=journal.encrypted)
        return edit_text(draft_header(prompt_text), drafts=journal.paths.drafts, about=about)
    if sys.stdin.isatty():
        typed = read_from_terminal(hint)
        if typed is None:
            say(LEFT_WITHOUT_SAVING)
            raise typer.Exit(1)
        return typed
    return read_stdin()


def show_plain(
    day: date, layer: str, prompt: Prompt, written: int, note: str | None, *, as_json: bool
) -> None:
    """Today's prompt for a pipe or a script: plain lines, or JSON."""
    if as_json:
        print_json(
            {
                "day": day.isoformat(),
                "layer": layer,
                "prompt": {"id": prompt.id, "depth": prompt.depth, "text": prompt.text},
                "written_today": written,
            }
        )
        return
    from layers_journal.messages import day_label

    print(f"{day_label(day)} · {layer}" + (f" · {note}" if note else "") + f"\n\n{prompt.text}")


def say_looking_back(journal: Journal, today: date, prompt_id: str) -> None:
    """One line each, only when there is something: the last time today's prompt was
    answered, and a lookback (when it is on; an encrypted journal cannot tell which
    entries stay out of it without the passphrase, so it says nothing)."""
    from layers_journal.messages import answered_before, lookback_waiting
    from layers_journal.render import say

    answered = journal.index().prompt_answers(prompt_id, today)
    if answered:
        say(answered_before(answered, today), style="dim")
    if journal.config.lookback and not journal.encrypted:
        found = journal.lookback(today, first_only=True)
        if found:
            say(lookback_waiting(found[0][0]), style="dim")


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


def read_from_terminal(hint: str | None = None) -> str | None:
    """Everything typed until Ctrl-D on a new line (the terminal's own line editing, as
    jrnl and cat use); None when the person leaves with Ctrl-C."""
    from layers_journal.messages import WRITE_HINT
    from layers_journal.render import say

    say(hint or WRITE_HINT, style="dim")
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


@app.command(context_settings=ADDRESS_SETTINGS)
@handled
def edit(
    entry_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ENTRY]", help=ENTRY_ARGUMENT_HELP + " Without it: today's latest entry."
        ),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag; repeatable.")] = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag; repeatable.")
    ] = None,
    mood: Annotated[
        int | None, typer.Option(min=1, max=5, help="Change the mood (1 to 5).")
    ] = None,
    theme: Annotated[Layer | None, typer.Option(help="Move the entry to this layer.")] = None,
    day: Annotated[
        str | None,
        typer.Option("--day", help="The day the entry is about (the id stays the same)."),
    ] = None,
    in_lookback: Annotated[
        bool | None,
        typer.Option(
            "--lookback/--no-lookback", help="Let journal lookback show it, or keep it out."
        ),
    ] = None,
    no_inline_tags: Annotated[
        bool, typer.Option("--no-inline-tags", help="Do not turn #words in the text into tags.")
    ] = False,
) -> None:
    """Change an entry's text in your editor, or its tags, mood, layer, day.

    Without options it opens $VISUAL or $EDITOR and the front matter stays as it is;
    with them it changes just those, without an editor.
    Example: journal edit yesterday --tag walk --no-lookback
    """
    journal = open_journal()
    if entry_id is None:
        located = todays_latest(journal)
    else:
        located = entry_named(journal, entry_id, verb="edit")
    original = journal.read_entry(located)
    if any(item is not None for item in (tag, untag, mood, theme, day, in_lookback)):
        change_metadata(
            journal,
            located,
            original,
            tag=tag or [],
            untag=untag or [],
            mood=mood,
            theme=theme.value if theme else None,
            day=day,
            in_lookback=in_lookback,
        )
        return
    edit_text_of(
        journal, located, original, inline=journal.config.inline_tags and not no_inline_tags
    )


def todays_latest(journal: Journal) -> Located:
    from layers_journal.errors import NotFoundError

    try:
        return journal.address("today")[-1]
    except NotFoundError:
        raise NothingToSave(
            "Nothing is written for today yet; journal today begins it, and "
            "journal edit last opens your newest entry."
        ) from None


def edit_text_of(journal: Journal, located: Located, original: Entry, *, inline: bool) -> None:
    from layers_journal.editor import draft_about, edit_text
    from layers_journal.entries import clean_body, inline_tags, unique_tags
    from layers_journal.messages import EDIT_EMPTIED, EDIT_UNCHANGED
    from layers_journal.render import say

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
    tags = unique_tags([*original.tags, *inline_tags(edited)]) if inline else original.tags
    journal.replace_text(located, original, edited, tags=tags if tags != original.tags else None)
    added = tags[len(original.tags) :]
    also = f" and tagged it {' '.join('#' + t for t in added)}" if added else ""
    say(f"Saved the new text of {located.id}{also}.", style="green")


def change_metadata(
    journal: Journal,
    located: Located,
    original: Entry,
    *,
    tag: list[str],
    untag: list[str],
    mood: int | None,
    theme: str | None,
    day: str | None,
    in_lookback: bool | None,
) -> None:
    """Change what the flags ask and say what changed."""
    from layers_journal.entries import unique_tags
    from layers_journal.layers import BACKFILL_DAYS, within_backfill
    from layers_journal.render import say

    current_day = journal.clock.today()
    removing = {clean_or_refuse(item).lower() for item in untag}
    absent = removing - {t.lower() for t in original.tags}
    tags = tuple(
        t
        for t in unique_tags([*original.tags, *(clean_or_refuse(item) for item in tag)])
        if t.lower() not in removing
    )
    new_day = (
        not_after_today(parse_date(day, current_day, name="--day"), current_day, "--day")
        if day is not None
        else original.day
    )
    updated = original._replace(
        tags=tags,
        mood=original.mood if mood is None else mood,
        theme=original.theme if theme is None else theme,
        day=new_day,
        lookback=original.lookback if in_lookback is None else in_lookback,
    )
    for name in sorted(absent):
        say(f"{located.id} had no tag {name}.")
    if updated == original:
        say("It already was so; nothing changed.")
        return
    journal.change_metadata(located, original, updated)
    say(f"Saved {located.id}: {', '.join(changes(original, updated))}.", style="green")
    created_day = journal.clock.day_of(original.created)
    if new_day != original.day and not within_backfill(new_day, created_day):
        say(
            f"It is kept for {new_day.isoformat()}; written more than {BACKFILL_DAYS} days "
            "after that day, it leaves your layers as they are."
        )


def changes(original: Entry, updated: Entry) -> list[str]:
    said = []
    if updated.tags != original.tags:
        said.append("tags " + (" ".join(f"#{t}" for t in updated.tags) or "none"))
    if updated.mood != original.mood:
        said.append(f"mood {updated.mood}/5")
    if updated.theme != original.theme:
        said.append(f"layer {updated.theme}")
    if updated.day != original.day:
        said.append(f"about {updated.day.isoformat()}")
    if updated.lookback != original.lookback:
        said.append("shown in lookback" if updated.lookback else "kept out of lookback")
    return said
