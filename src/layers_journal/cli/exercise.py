"""Structured exercises: `journal exercise`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .base import PlainOption, app, handled, open_journal, print_json, read_stdin

if TYPE_CHECKING:
    from layers_journal.exercises import Exercise
    from layers_journal.folder.drafts import Draft
    from layers_journal.folder.entries import Entry
    from layers_journal.journal.facade import Journal


@app.command()
@handled
def exercise(
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help="The exercise to walk; without it, the list."),
    ] = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history", help="Every time you did it, oldest first, its scales side by side."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The list, or with --history the entries, as JSON.")
    ] = False,
    plain: PlainOption = False,
) -> None:
    """Reflection exercises, a few steps walked one at a time and kept as a page.

    These are reflection exercises for your own noticing, not treatment. Without NAME,
    the exercises by layer. With it, its steps one at a time: Ctrl-D goes on to the next,
    Ctrl-C asks before leaving, and a private draft is kept as you go. Piped, it reads
    Markdown with one "## Step title" section per step (a scale's number in its own).
    Example: journal exercise thought-record
    """
    from layers_journal.exercises import find_exercise

    journal = open_journal()
    exercises = exercise_library(journal)
    if name is None:
        if history:
            from layers_journal.errors import UsageError

            raise UsageError("--history needs an exercise's name: journal exercise NAME --history")
        list_exercises(exercises, as_json=as_json)
        return
    chosen = find_exercise(exercises, name)
    if history:
        show_history(journal, chosen, as_json=as_json)
        return
    if as_json:
        print_json({"version": 1, "exercise": chosen.to_json()})
        return
    do_exercise(journal, chosen)


def exercise_library(journal: Journal) -> list[Exercise]:
    """The shipped exercises and the person's own; a file of theirs that cannot be used
    is named and left out, so it never stands between them and the rest."""
    from layers_journal.exercises import load_exercises

    found, problems = load_exercises(journal.paths.user_exercises)
    journal.notes.extend(problems)
    return found


def list_exercises(exercises: list[Exercise], *, as_json: bool) -> None:
    if as_json:
        print_json({"version": 1, "exercises": [e.to_json() for e in exercises]})
        return
    from layers_journal.ui.console import out, show
    from layers_journal.ui.exercise_view import exercise_list
    from layers_journal.ui.messages import NOT_TREATMENT

    console = out()
    width = console.width if console.is_terminal else None
    show(exercise_list(exercises, note=NOT_TREATMENT, width=width))


def do_exercise(journal: Journal, chosen: Exercise) -> None:
    """Walk it in the terminal, or read it piped; then keep it as the day's page."""
    from layers_journal.errors import NothingToSave
    from layers_journal.exercises import compose, read_sections, scales_of
    from layers_journal.folder.entries import clean_body
    from layers_journal.ui.messages import EMPTY_BODY

    from .writing import keep_unreadable

    day = journal.clock.today()
    earlier = journal.index().practice.count_on(day)
    draft = None
    if sys.stdin.isatty():
        from layers_journal.ui.console import say

        answers, draft = walk_in_terminal(journal, chosen, day)
        say("")
    else:
        answers = read_sections(chosen, read_stdin(keep=keep_unreadable(journal)))
    scales = scales_of(chosen, answers)
    text = clean_body(compose(chosen, answers))
    if not text.strip():
        if draft is not None:
            draft.discard()
        raise NothingToSave(EMPTY_BODY)
    save_exercise(journal, chosen, text=text, scales=scales, earlier=earlier, day=day)
    if draft is not None:
        draft.discard()


def walk_in_terminal(journal: Journal, chosen: Exercise, day: Any) -> tuple[dict[str, str], Draft]:
    from layers_journal.errors import ExerciseError
    from layers_journal.exercises import EXERCISE, compose, read_sections
    from layers_journal.ui.console import say, show
    from layers_journal.ui.exercise_view import exercise_panel
    from layers_journal.ui.messages import KEPT_AS_DRAFT, LEFT_WITHOUT_SAVING
    from layers_journal.ui.steps import walk_steps
    from layers_journal.ui.writer import Stopped

    from .writing import offer_draft, start_draft, stop_signals

    show(exercise_panel(chosen))
    draft, choice = offer_draft(journal, day, kind=EXERCISE, exercise=chosen.name)
    answers: dict[str, str] = {}
    if draft is not None and draft.has_text:
        try:
            answers = read_sections(chosen, draft.text())
        except ExerciseError:  # words that no longer fit its steps: kept in the first
            answers = {chosen.steps[0].title: draft.text().strip()}
        if choice == "save":
            return answers, draft
    if draft is None:
        from layers_journal.folder.drafts import DraftAbout

        about = DraftAbout(day, chosen.layer, None, chosen.title)
        draft = start_draft(journal, about, kind=EXERCISE, exercise=chosen.name)
    kept_draft = draft
    try:
        with stop_signals() as signals:
            walked = walk_steps(
                chosen, answers, lambda now: kept_draft.keep(compose(chosen, now)), signals
            )
    except Stopped as stop:
        say(KEPT_AS_DRAFT, fold=True)
        raise typer.Exit(128 + stop.signum) from None
    if walked is None:
        draft.discard()
        say(LEFT_WITHOUT_SAVING)
        raise typer.Exit(1)
    return walked, draft


def save_exercise(
    journal: Journal,
    chosen: Exercise,
    *,
    text: str,
    scales: dict[str, int],
    earlier: int,
    day: Any,
) -> None:
    from layers_journal.exercises import EXERCISE
    from layers_journal.folder.entries import inline_tags, new_entry
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import after_first_page

    from .writing import say_saved

    entry = new_entry(
        journal.clock,
        now=journal.clock.now(),
        day=day,
        text=text,
        theme=chosen.layer,
        prompt=chosen.title,
        tags=inline_tags(text) if journal.config.inline_tags else (),
        kind=EXERCISE,
        exercise=chosen.name,
        scales=scales.items(),
    )
    path = journal.changes.save_new(entry)
    first = journal.index().lookup.count() == 1
    say_saved(journal, entry_day=day, today=day, created_day=day, earlier=earlier, first=first)
    if first:
        say(after_first_page(str(path)), style="dim", fold=True)


def show_history(journal: Journal, chosen: Exercise, *, as_json: bool) -> None:
    """Every time it was done, oldest first."""
    from layers_journal.exercises import EXERCISE
    from layers_journal.index import Query

    done: list[Entry] = [
        entry
        for entry in journal.finder.query(Query(oldest_first=True))
        if entry.kind == EXERCISE and entry.exercise == chosen.name
    ]
    if as_json:
        print_json({"version": 1, "entries": [entry.to_json() for entry in done]})
        return
    from layers_journal.ui.console import out, say, show
    from layers_journal.ui.exercise_view import exercise_history

    if not done:
        say(
            f"{chosen.title} is not among your pages yet; journal exercise {chosen.name} begins it."
        )
        return
    console = out()
    width = console.width if console.is_terminal else None
    show(exercise_history(chosen, done, width=width), page=True)
