"""Editing: `journal edit`, of an entry's text in $EDITOR or of its front matter."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import NothingToSave

from .base import (
    ADDRESS_SETTINGS,
    ENTRY_ARGUMENT_HELP,
    Layer,
    app,
    entry_named,
    given_tags,
    handled,
    open_journal,
    past_day,
    within,
)

if TYPE_CHECKING:
    from layers_journal.folder.drafts import Draft
    from layers_journal.folder.entries import Entry
    from layers_journal.index import Located
    from layers_journal.journal.facade import Journal


@app.command(context_settings=ADDRESS_SETTINGS)
@handled
def edit(
    entry_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ENTRY]", help=ENTRY_ARGUMENT_HELP + " Without it: today's latest entry."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="Add a tag (walk,rain adds two); repeatable."),
    ] = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", metavar="TAG", help="Remove a tag; repeatable.")
    ] = None,
    mood: Annotated[
        int | None,
        typer.Option(metavar="1-5", callback=within(1, 5), help="Change the mood (1 to 5)."),
    ] = None,
    theme: Annotated[
        Layer | None,
        typer.Option(
            metavar="LAYER",
            help="Move the entry to this layer: awareness, connection or compassion.",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--day", metavar="DAY", help="The day the entry is about (the id stays the same)."
        ),
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
    private: Annotated[
        bool | None,
        typer.Option(
            "--private/--no-private",
            help="Keep it out of what you share (html, pdf, markdown), or let it in.",
        ),
    ] = None,
) -> None:
    """Change an entry's text in your editor, or its tags, mood, layer, day, privacy.

    Without options it opens $VISUAL or $EDITOR and the front matter stays as it is;
    with them it changes just those, without an editor.
    Example: journal edit yesterday --tag walk --no-lookback
    """
    journal = open_journal()
    if entry_id is None:
        located = todays_latest(journal)
    else:
        located = entry_named(journal, entry_id, verb="edit")
    original = journal.finder.read_entry(located)
    if any(item is not None for item in (tag, untag, mood, theme, day, in_lookback, private)):
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
            private=private,
        )
        return
    edit_text_of(
        journal, located, original, inline=journal.config.inline_tags and not no_inline_tags
    )


def todays_latest(journal: Journal) -> Located:
    from layers_journal.errors import NotFoundError

    try:
        return journal.finder.address("today")[-1]
    except NotFoundError:
        raise NothingToSave(
            "Nothing is written for today yet; journal today begins it, and "
            "journal edit last opens your newest entry."
        ) from None


def edit_text_of(journal: Journal, located: Located, original: Entry, *, inline: bool) -> None:
    from layers_journal.folder.drafts import DraftAbout
    from layers_journal.folder.entries import clean_body, inline_tags, unique_tags
    from layers_journal.ui.console import say
    from layers_journal.ui.editor import edit_text
    from layers_journal.ui.messages import EDIT_EMPTIED, EDIT_UNCHANGED

    from .writing import sealer

    about = DraftAbout(original.day, original.theme, original.prompt_id, original.prompt)
    kept = about.kept(sealed=journal.encrypted) | {"entry": located.id}
    left = [draft for draft in journal.drafts.left() if draft.entry_id == located.id]
    start = original.text + "\n"
    if left and take_back(journal, left[-1]):
        start = left[-1].text()
    buffer = edit_text(start, drafts=journal.paths.drafts, about=kept, seal=sealer(journal))
    if start != original.text + "\n":
        for draft in left:
            draft.discard()
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
    scales = edited_scales(journal, original, edited)
    journal.changes.replace_text(
        located,
        original,
        edited,
        tags=tags if tags != original.tags else None,
        scales=scales if scales != original.scales else None,
    )
    added = tags[len(original.tags) :]
    also = f" and tagged it {' '.join('#' + t for t in added)}" if added else ""
    say(f"Saved the new text of {located.id}{also}.", style="green")


def edited_scales(journal: Journal, original: Entry, edited: str) -> tuple[tuple[str, int], ...]:
    """An exercise's scales as its edited text now gives them, so the front matter says
    what the page says; as they were when the text no longer has its steps' sections."""
    if original.kind != "exercise" or not original.exercise:
        return original.scales
    from layers_journal.errors import JournalError
    from layers_journal.exercises import find_exercise, load_exercises, read_sections, scales_of

    try:
        exercises, _ = load_exercises(journal.paths.user_exercises)
        exercise = find_exercise(exercises, original.exercise)
        return tuple(scales_of(exercise, read_sections(exercise, edited)).items())
    except JournalError as error:
        journal.notes.append(f"Its scales stay as they were: {error.message}")
        return original.scales


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
    private: bool | None = None,
) -> None:
    """Change what the flags ask and say what changed."""
    from layers_journal.folder.entries import unique_tags
    from layers_journal.model.layers import BACKFILL_DAYS, within_backfill
    from layers_journal.ui.console import say

    current_day = journal.clock.today()
    removing = {item.lower() for item in given_tags(untag)}
    absent = removing - {t.lower() for t in original.tags}
    tags = tuple(
        t for t in unique_tags([*original.tags, *given_tags(tag)]) if t.lower() not in removing
    )
    new_day = past_day(day, current_day, name="--day") if day is not None else original.day
    updated = original._replace(
        tags=tags,
        mood=original.mood if mood is None else mood,
        theme=original.theme if theme is None else theme,
        day=new_day,
        lookback=original.lookback if in_lookback is None else in_lookback,
        private=original.private if private is None else private,
    )
    for name in sorted(absent):
        say(f"{located.id} had no tag {name}.")
    if updated == original:
        say("It already was so; nothing changed.")
        return
    journal.changes.change_metadata(located, original, updated)
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
    if updated.private != original.private:
        said.append("private" if updated.private else "shared in exports")
    return said


def take_back(journal: Journal, draft: Draft) -> bool:
    """Offer changes a stopped editor left for this entry; they open in the editor."""
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import DRAFT_STAYS, edit_draft_offer
    from layers_journal.ui.writer import ask_plain

    if not sys.stdin.isatty():
        journal.notes.append(DRAFT_STAYS)
        return False
    when = f"{draft.kept_at().astimezone(journal.clock.zone):%a %d %b %H:%M}"
    say(edit_draft_offer(when, draft.entry_id or ""), fold=True)
    if ask_plain("(Y/n)") in ("n", "no"):
        say(DRAFT_STAYS, style="dim", fold=True)
        return False
    return True
