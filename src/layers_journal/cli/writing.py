"""Writing: `journal today` and `journal edit`."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Collection
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import NothingToSave, SaveError
from layers_journal.ui.messages import MOOD_WORDS, TEXT_IN_ARGUMENTS

from .base import (
    DAY_FORMS,
    Layer,
    PlainOption,
    app,
    given_tags,
    handled,
    keeping_words,
    open_journal,
    past_day,
    print_json,
    read_stdin,
    within,
)

if TYPE_CHECKING:
    from pathlib import Path

    from layers_journal.folder.drafts import Draft, DraftAbout
    from layers_journal.journal.facade import Journal
    from layers_journal.prompts import Plan, Prompt
    from layers_journal.ui.writer import StopSignals


# Words after the command are taken only to be refused with a reason (shell history).
@app.command(context_settings={"allow_extra_args": True})
@handled
@keeping_words(unless=("show_only", "editor"))
def today(
    context: typer.Context,
    show_only: Annotated[
        bool, typer.Option("--show", help="Print the prompt only; write nothing.")
    ] = False,
    theme: Annotated[
        Layer | None,
        typer.Option(
            metavar="LAYER", help="awareness, connection or compassion, instead of the rotation."
        ),
    ] = None,
    mood: Annotated[
        int | None,
        typer.Option(
            metavar="1-5", callback=within(1, 5), help=f"{MOOD_WORDS} 1 (heavy) to 5 (light)."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", metavar="TAG", help="A tag (walk; walk,rain for two); repeat for more."
        ),
    ] = None,
    on_date: Annotated[
        str | None,
        typer.Option("--date", metavar="DAY", help=f"Write for an earlier day: {DAY_FORMS}."),
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
    another: Annotated[
        bool,
        typer.Option(
            "--another", help="A different prompt for today; it stays for the rest of the day."
        ),
    ] = False,
    plain: PlainOption = False,
    private: Annotated[
        bool,
        typer.Option(
            "--private", help="Keep this entry out of what you share (html, pdf, markdown)."
        ),
    ] = False,
) -> None:
    """Show today's prompt and keep what you write.

    In a terminal you write below the prompt: arrow keys move, Ctrl-D (or Esc then Enter)
    saves, Ctrl-C asks before leaving, and a private draft is kept as you go. Piped text
    is saved as it is. When a prompt does not suit you today, --another offers a
    different one. Example: journal today < note.txt
    """
    from layers_journal.errors import UsageError
    from layers_journal.folder.entries import clean_body
    from layers_journal.ui.console import out, show
    from layers_journal.ui.messages import EMPTY_BODY
    from layers_journal.ui.views import prompt_panel

    if context.args:
        raise UsageError(TEXT_IN_ARGUMENTS)
    journal = open_journal()
    current_day = journal.clock.today()
    day = past_day(on_date, current_day, name="--date") if on_date is not None else current_day
    tags = given_tags(tag)
    plan, changed = todays_plan(
        journal, day=day, theme=theme.value if theme else None, another=another
    )
    earlier = journal.index().practice.count_on(day)
    note = None
    if earlier:
        times = "once" if earlier == 1 else f"{earlier} times"
        note = f"written {times} " + ("today" if day == current_day else "for this day")
    interactive = sys.stdin.isatty()
    if show_only and (as_json or not out().is_terminal):
        show_plain(day, plan.layer, plan.prompt, earlier, note, as_json=as_json)
        if not as_json:
            say_looking_back(journal, current_day, plan.prompt.id)
        return
    if show_only or interactive or editor:
        introduce(journal)
        if another:
            say_another(changed)
        show(prompt_panel(day=day, layer=plan.layer, prompt=plan.prompt, note=note))
        say_looking_back(journal, current_day, plan.prompt.id)
    if show_only:
        return
    from layers_journal.folder.drafts import DraftAbout

    about = DraftAbout(day, plan.layer, plan.prompt.id, plan.prompt.text)
    draft, choice = offer_draft(journal, day) if interactive else (None, None)
    if draft is not None:
        about = continued_about(draft, about)
        from layers_journal.folder.entries import unique_tags

        # What was given for the page before it stopped comes back with its words.
        kept_tags, kept_mood = draft.details()
        tags = list(unique_tags([*kept_tags, *tags]))
        mood = mood if mood is not None else kept_mood
    details: dict[str, object] = {"tags": tags, "mood": mood}
    writing_here = interactive and not editor and choice != "save"
    # While words are being written here, a closed terminal or a stop request keeps the
    # draft and never cuts a write in half; elsewhere the signals work as they always do.
    with stop_signals() if writing_here else contextlib.nullcontext() as signals:
        draft_mood = None
        if draft is not None and choice == "save":
            raw = draft.text()
        elif editor:
            raw = write_in_editor(journal, about, draft, details)
        elif signals is not None:
            if draft is None:
                draft = start_draft(journal, about, details=details)
            raw, draft_mood = write_in_terminal(draft, signals, ask_mood=mood is None)
        else:
            raw = read_stdin(keep=keep_unreadable(journal))
        text = clean_body(raw)
        if not text.strip():
            if draft is not None:
                draft.discard()
            raise NothingToSave(EMPTY_BODY)
        if journal.config.inline_tags and not no_inline_tags:
            from layers_journal.folder.entries import inline_tags

            tags += inline_tags(text)
        try:
            save_today(
                journal,
                about,
                text=text,
                mood=mood if mood is not None else draft_mood,
                tags=tags,
                earlier=earlier,
                current_day=current_day,
                private=private,
            )
        except SaveError as error:
            if draft is not None and error.unsaved_text is None:
                draft.discard()  # the words are in the recovery folder: one copy, not two
            raise
        if draft is not None:
            draft.discard()
    if not interactive:
        note_waiting_drafts(journal, day)


def todays_plan(
    journal: Journal, *, day: date, theme: str | None = None, another: bool = False
) -> tuple[Plan, bool]:
    """The plan for `day` (today, or an earlier day being caught up on) and whether
    --another changed the prompt. Today's prompt rests on what was written before today
    began, and fits the part of the day it is now; on this device it stays put for the
    rest of the day (keep_todays_plan). A page for an earlier day follows on from
    everything written so far, and gets a prompt for a day already lived."""
    from layers_journal.prompts import keep_todays_plan, part_of_day, plan_today, prompt_history

    current_day = journal.clock.today()
    library = daily_library(journal)
    backfill = day != current_day
    # The one place the hour is read: prompt choice is handed the part of the day.
    part = (
        "evening" if backfill else part_of_day(journal.clock.now().time(), journal.config.day_start)
    )
    history = prompt_history(
        journal.index(), current_day, backfill=backfill, sealed=journal.encrypted
    )

    def plan_for(layer: str | None, declined: Collection[str]) -> Plan:
        return plan_today(
            history=history,
            library=library,
            today=current_day,
            theme=layer,
            part=part,
            declined=declined,
        )

    if theme is None and not backfill:  # a sync must not change it mid-day
        record = journal.paths.todays_prompt(journal.root)
        if not another:
            return keep_todays_plan(plan_for, library, record, today=current_day, part=part), False
        before = keep_todays_plan(plan_for, library, record, today=current_day, part=part)
        plan = keep_todays_plan(
            plan_for, library, record, today=current_day, part=part, another=True
        )
        return plan, plan.prompt.id != before.prompt.id
    plan = plan_for(theme, ())
    if not another:
        return plan, False
    other = plan_for(theme, (plan.prompt.id,))
    return other, other.prompt.id != plan.prompt.id


def say_another(changed: bool) -> None:
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import ANOTHER_PROMPT, ONLY_PROMPT

    say(ANOTHER_PROMPT if changed else ONLY_PROMPT, style="dim", fold=True)


def read_body(
    journal: Journal,
    *,
    day: date,
    layer: str | None,
    prompt_id: str | None,
    prompt_text: str,
    editor: bool,
    hint: str | None = None,
    kind: str | None = None,
) -> str:
    """The words of a new page written elsewhere than journal today (a review), by the
    same rules: $VISUAL/$EDITOR with --editor, else the writer in a terminal (with its
    draft, let go once the words are handed over to be saved), else all of stdin."""
    from layers_journal.folder.drafts import DraftAbout

    about = DraftAbout(day, layer, prompt_id, prompt_text)
    if editor:
        return write_in_editor(journal, about, None)
    if not sys.stdin.isatty():
        return read_stdin(keep=keep_unreadable(journal))
    draft = start_draft(journal, about, kind=kind)
    with stop_signals() as signals:
        raw, _ = write_in_terminal(draft, signals, ask_mood=False, hint=hint)
    draft.discard()
    return raw


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
    from layers_journal.ui.messages import day_label
    from layers_journal.ui.mode import is_plain

    parted = ", " if is_plain() else " · "  # a screen reader would say "middle dot"
    head = parted.join([day_label(day), layer, *([note] if note else [])])
    print(f"{head}\n\n{prompt.text}")


def say_looking_back(journal: Journal, today: date, prompt_id: str) -> None:
    """One line each, only when there is something: the last time today's prompt was
    answered, and a lookback (when it is on; an encrypted journal cannot tell which
    entries stay out of it without the passphrase, so it says nothing)."""
    from layers_journal.ui.console import say
    from layers_journal.ui.words import answered_before, lookback_waiting

    answered = journal.index().lookup.prompt_answers(prompt_id, today)
    if answered:
        say(answered_before(answered, today), style="dim")
    if journal.config.lookback and not journal.encrypted:
        waiting = journal.finder.lookback_waiting(today)
        if waiting:
            say(lookback_waiting(waiting), style="dim")


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


def stop_signals() -> StopSignals:
    from layers_journal.ui.writer import StopSignals

    return StopSignals()


def save_today(
    journal: Journal,
    about: DraftAbout,
    *,
    text: str,
    mood: int | None,
    tags: list[str],
    earlier: int,
    current_day: date,
    private: bool = False,
) -> None:
    from layers_journal.folder.entries import new_entry
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import after_first_page

    day = about.day
    entry = new_entry(
        journal.clock,
        now=journal.clock.now(),
        day=day,
        text=text,
        theme=about.theme,
        prompt_id=about.prompt_id,
        prompt=about.prompt,
        mood=mood,
        tags=tags,
        private=private,
    )
    path = journal.changes.save_new(entry)
    first = journal.index().lookup.count() == 1
    say_saved(
        journal,
        entry_day=day,
        today=current_day,
        created_day=current_day,
        earlier=earlier,
        first=first,
    )
    if first:
        say(after_first_page(str(path)), style="dim", fold=True)


def introduce(journal: Journal) -> None:
    """The first time a new journal shows its prompt: what the layers are and where the
    pages go. Said once."""
    from layers_journal.folder.storage import ensure_private_dir, write_atomic
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import intro

    marker = journal.paths.intro_shown
    if marker.exists() or journal.index().lookup.count():
        return
    say(intro(str(journal.root)) + "\n", style="dim", fold=True)
    with contextlib.suppress(OSError):  # saying it twice is better than not writing
        ensure_private_dir(marker.parent)
        write_atomic(marker, b"", overwrite=True)


def start_draft(
    journal: Journal,
    about: DraftAbout,
    kind: str | None = None,
    exercise: str | None = None,
    details: dict[str, object] | None = None,
) -> Draft:
    """A new draft for the writer, saying what the page is to be (and the tags and mood
    given for it, sealed in an encrypted journal)."""
    from layers_journal.folder.drafts import WRITER

    kept = about.kept(sealed=journal.encrypted)
    return journal.drafts.start(
        {**kept, "source": WRITER, "kind": kind, "exercise": exercise}, details
    )


def continued_about(draft: Draft, about: DraftAbout) -> DraftAbout:
    """What a page taken up again was written to: its own layer and prompt (a sealed
    draft keeps only its layer, so today's prompt goes with it if the layer is today's)."""
    kept = draft.about
    theme = kept.get("theme") or about.theme
    if kept.get("prompt"):
        return about._replace(theme=theme, prompt_id=kept.get("prompt_id"), prompt=kept["prompt"])
    if theme == about.theme:
        return about
    return about._replace(theme=theme, prompt_id=None, prompt=None)


def offer_draft(
    journal: Journal, day: date, *, kind: str | None = None, exercise: str | None = None
) -> tuple[Draft | None, str | None]:
    """An unsaved page of this day, left by a writer or editor that stopped: go on with
    it ("continue"), save it as it is ("save"), or set it aside (None). A draft taken up
    is this run's from now on. Only drafts of `kind` (today's page when None) are
    offered, and with `exercise`, only that exercise's."""
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import DRAFT_SET_ASIDE, draft_offer
    from layers_journal.ui.writer import ask_plain, count_lines

    drafts = journal.drafts
    drafts.tidy(time.time())
    waiting = [
        draft
        for draft in drafts.left()
        if draft.entry_id is None
        and not draft.about.get("aside")
        # a review's draft is not today's page, nor an exercise's
        and (draft.about.get("kind") or None) == kind
        and (exercise is None or draft.about.get("exercise") == exercise)
        and draft.about.get("day") == day
    ]
    lines = opening = None
    while waiting:  # the newest with words in it; empty ones are let go of
        draft = waiting.pop()
        if draft.sealed:
            break
        text = draft.text()
        lines, opening = count_lines(text), shorten(text.strip().split("\n")[0])
        if lines:
            break
        draft.discard()
    else:
        return None, None
    when = f"{draft.kept_at().astimezone(journal.clock.zone):%H:%M}"
    say(draft_offer(when=when, lines=lines, opening=opening), fold=True)
    answer = ask_plain(">")
    if answer in ("a", "aside"):
        draft.mark(aside=True)
        say(DRAFT_SET_ASIDE, style="dim", fold=True)
        return None, None
    draft.claim()
    return draft, "save" if answer in ("s", "save") else "continue"


def shorten(line: str, width: int = 40) -> str:
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def write_in_terminal(
    draft: Draft, signals: StopSignals, *, ask_mood: bool, hint: str | None = None
) -> tuple[str, int | None]:
    """The writer (or the plain reader where it cannot run), keeping the draft as it goes."""
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import KEPT_AS_DRAFT, LEFT_WITHOUT_SAVING, PLAIN_WRITE_HINT
    from layers_journal.ui.writer import Keeper, Stopped, can_edit_here, read_plain, write

    initial = draft.text() if draft.has_text else ""
    keeper = Keeper(draft.keep)
    keeper.kept = initial
    try:
        if can_edit_here():
            if hint:
                say(hint, style="dim", fold=True)
            written = write(initial, keeper, signals, ask_mood=ask_mood)
        else:
            if hint:
                say(hint, style="dim", fold=True)
            say(PLAIN_WRITE_HINT, style="dim", fold=True)  # the keys, once, in words
            written = read_plain(initial, keeper, signals, ask_mood=ask_mood)
    except Stopped as stop:
        with contextlib.suppress(OSError):
            say(KEPT_AS_DRAFT, fold=True)
        raise typer.Exit(128 + stop.signum) from None
    if written is None:
        draft.discard()
        say(LEFT_WITHOUT_SAVING)
        raise typer.Exit(1)
    return written.text, written.mood


def write_in_editor(
    journal: Journal,
    about: DraftAbout,
    draft: Draft | None,
    details: dict[str, object] | None = None,
) -> str:
    from layers_journal.ui.editor import draft_header, edit_text

    initial = draft_header(about.prompt or "") + (draft.text() if draft is not None else "")
    return edit_text(
        initial,
        drafts=journal.paths.drafts,
        about=about.kept(sealed=journal.encrypted),
        details=details,
        seal=sealer(journal),
    )


def sealer(journal: Journal) -> Callable[[bytes], bytes] | None:
    """How a kept editor draft is sealed: with the journal's key, when it has one."""
    return journal.keys.seal if journal.encrypted else None


def keep_unreadable(journal: Journal) -> Callable[[bytes], Path]:
    def keep(data: bytes) -> Path:
        stamp = f"{journal.clock.now():%Y-%m-%d-%H%M%S}"
        return journal.recovery.keep_bytes(data, f"{stamp}-not-utf8")

    return keep


def note_waiting_drafts(journal: Journal, day: date) -> None:
    """Piped text cannot be asked about a waiting page; say it is there."""
    from layers_journal.ui.messages import DRAFT_WAITING

    if not any(journal.paths.drafts.glob("draft-*")):
        return  # the usual case, without loading the drafts machinery
    with contextlib.suppress(OSError):  # a word about drafts never stands in a save's way
        if any(
            draft.entry_id is None
            and draft.about.get("day") == day
            and not draft.about.get("aside")
            and not draft.about.get("kind")
            for draft in journal.drafts.left()
        ):
            journal.notes.append(DRAFT_WAITING)


def say_saved(
    journal: Journal,
    *,
    entry_day: date,
    today: date,
    created_day: date,
    earlier: int,
    first: bool,
) -> None:
    from layers_journal.model.layers import EntryFacts, counts
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import saved_line

    counted = counts(EntryFacts(entry_day, created_day, None), today)
    # The closing line and the rhythm's offer need presence alone, not the whole model.
    presence, suggested = journal.model.presence_and_offer(today)
    line = saved_line(
        presence,
        day=entry_day,
        today=today,
        counted=counted,
        earlier=earlier,
        first=first,
    )
    say(line, style="green", fold=True)
    if suggested is not None and counted:
        offer_rhythm(journal, str(suggested), today)


def offer_rhythm(journal: Journal, suggested: str, today: date) -> None:
    """The offer of a rhythm in weeks, said after a save at most every 28 days (this
    device remembers when it last said it, in its state folder)."""
    from layers_journal.folder.storage import write_atomic
    from layers_journal.model.layers import OFFER_EVERY_DAYS
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import offer_line

    path = journal.paths.rhythm_offer(journal.root)
    with contextlib.suppress(OSError, ValueError):
        said = date.fromisoformat(path.read_text(encoding="utf-8").strip())
        if 0 <= (today - said).days < OFFER_EVERY_DAYS:
            return
    say(offer_line(suggested), fold=True)
    with contextlib.suppress(OSError):  # not remembered: said again next time, no harm
        write_atomic(path, f"{today.isoformat()}\n".encode(), overwrite=True)
