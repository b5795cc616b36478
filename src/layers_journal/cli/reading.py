"""Reading back: `journal history`, `show`, `lookback`, `revisit`, `tags`, and the trash
(`delete`, `restore`, `trash`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import JournalError, UsageError
from layers_journal.ui.messages import plural

from .base import (
    ADDRESS_SETTINGS,
    ENTRY_ARGUMENT_HELP,
    Layer,
    PlainOption,
    app,
    clean_or_refuse,
    entry_named,
    handled,
    open_journal,
    parse_date,
    print_json,
    within,
)

if TYPE_CHECKING:
    from rich.text import Text

    from layers_journal.folder.entries import Entry
    from layers_journal.journal.facade import Journal


@app.command()
@handled
def history(
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", metavar="N", callback=within(1), help="At most this many entries."
        ),
    ] = None,
    theme: Annotated[Layer | None, typer.Option(metavar="LAYER", help="Only this layer.")] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="DAY", help="From this day on (2026-11-01, 2 weeks ago, monday)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DAY", help="Up to and including this day.")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            metavar="WORDS",
            help='Whole words, all of them; word* for a prefix, "a phrase", OR, -word, '
            "tag:x or #x, prompt:x. Accents and case do not matter.",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="Only entries with this tag; repeatable."),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Whole entries, not the first lines.")
    ] = False,
    oneline: Annotated[
        bool, typer.Option("--oneline", help="One line each: day, layer, id, first words.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never use a pager.")] = False,
    plain: PlainOption = False,
) -> None:
    """Look back over past entries, newest first.

    Dates are the day each entry is about. With --search, each entry shows where it
    matched. Example: journal history --theme compassion --since 2026-01-01 --search "slow walk"
    """
    from layers_journal.index import Query
    from layers_journal.model.query import SearchError, parse_search

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
    found = journal.finder.search(query, whole=full and not oneline)
    if as_json:
        print_json({"version": 1, "entries": [entry.to_json() for entry in found.entries]})
        return
    from layers_journal.ui.console import out, say, show
    from layers_journal.ui.views import history_view, oneline_view

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
    words = plural(total, "entry", "entries")
    line = (
        f"{words} {'matches' if total == 1 else 'match'}" if filtered else f"{words}, newest first"
    )
    if shown < total:
        line += f"; the newest {shown} here" if shown > 1 else "; the newest one here"
    return line


@app.command("show", context_settings=ADDRESS_SETTINGS)
@handled
def show_entry(
    entry_id: Annotated[str, typer.Argument(metavar="ENTRY", help=ENTRY_ARGUMENT_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """Show one entry in full.

    By id (a unique start is enough), by day (a short list to pick from when it has
    several), or by place: last (-1) is the newest, -2 the one before.
    Example: journal show yesterday
    """
    journal = open_journal()
    entry = journal.finder.read_entry(entry_named(journal, entry_id, verb="show"))
    if as_json:
        print_json(entry.to_json())
        return
    from layers_journal.ui.console import out, show
    from layers_journal.ui.views import entry_view

    console = out()
    width = console.width if console.is_terminal else None
    scales = drawn_scales(journal, entry, width or 80)
    show(entry_view(entry, width=width, scales=scales), page=True)


def drawn_scales(journal: Journal, entry: Entry, width: int) -> Text | None:
    """An exercise's scales as bars, with its steps' titles and ranges when the
    exercise is still in the library."""
    if not entry.scales:
        return None
    from layers_journal.exercises import find_exercise
    from layers_journal.ui.exercise_view import scale_bars

    from .exercise import exercise_library

    try:
        exercise = find_exercise(exercise_library(journal), entry.exercise or "")
    except JournalError:
        exercise = None
    return scale_bars(exercise, entry.scales, width=width)


@app.command(context_settings=ADDRESS_SETTINGS)
@handled
def delete(
    entry_id: Annotated[str, typer.Argument(metavar="ENTRY", help=ENTRY_ARGUMENT_HELP)],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask first (for scripts).")
    ] = False,
) -> None:
    """Move an entry to the journal's trash (restorable).

    Asks first unless --yes; journal restore brings it back.
    Example: journal delete 2026-11-23-0815 --yes
    """
    from layers_journal.ui.console import say

    journal = open_journal()
    located = entry_named(journal, entry_id, verb="delete")
    if not yes and not ask(f"Move {located.id} to the trash?"):
        say("Left as it is.")
        raise typer.Exit(1)
    target = journal.changes.trash(located)
    say(
        f"Moved to the trash: {target}. journal restore {located.id} brings it back.",
        style="green",
    )


def ask(question: str, *, default: bool = False) -> bool:
    """A yes/no question; no answer (the end of input) keeps things as they are."""
    try:
        return bool(typer.confirm(question, default=default, err=True))
    except typer.Abort:
        return False


@app.command()
@handled
def restore(
    entry_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="The id of an entry in the trash; without it, the latest."
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask first (for scripts).")
    ] = False,
) -> None:
    """Bring an entry back from the trash; without an id, offers the latest deleted.

    Example: journal restore 2026-11-23-0815
    """
    from layers_journal.ui.console import say

    journal = open_journal()
    if entry_id is None:
        contents = journal.trash.contents()
        if not contents:
            say("The trash is empty; there is nothing to bring back.")
            raise typer.Exit(1)
        latest, _, entry = contents[0]
        about = f" ({trash_summary(entry)})" if entry is not None else ""
        if not yes and not ask(f"Bring back {latest}{about}?", default=True):
            say("Left in the trash.")
            raise typer.Exit(1)
        entry_id = latest
    target = journal.changes.restore(entry_id)
    say(f"Restored {target.name}.", style="green")


def trash_summary(entry: Entry) -> str:
    first = " ".join(entry.text[:200].split())
    first = first if len(first) <= 40 else first[:39].rstrip() + "…"
    return f"for {entry.day.isoformat()}" + (f": {first}" if first else "")


trash_app = typer.Typer(
    help=(
        "List the entries in the journal's trash, the latest deleted first; journal "
        "restore brings one back, journal trash empty deletes them for good.\n\n"
        "Example: journal trash"
    ),
    rich_markup_mode=None,
    invoke_without_command=True,
)
app.add_typer(trash_app, name="trash")


@trash_app.callback()
@handled
def trash(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """List the entries in the trash, the latest deleted first.

    journal restore brings one back; journal trash empty deletes them for good.
    Example: journal trash
    """
    if ctx.invoked_subcommand is not None:
        return
    journal = open_journal()
    contents = journal.trash.contents()
    if as_json:
        print_json(
            {
                "version": 1,
                "trash": [
                    {"id": entry_id, "path": str(path), "day": e.day.isoformat() if e else None}
                    for entry_id, path, e in contents
                ],
            }
        )
        return
    from layers_journal.ui.console import out, say
    from layers_journal.ui.views import trash_view

    if not contents:
        say("The trash is empty.")
        return
    console = out()
    say(f"{plural(len(contents), 'entry', 'entries')} in the trash, the latest deleted first:")
    from layers_journal.ui.console import show

    show(trash_view(contents, width=console.width if console.is_terminal else None))


@trash_app.command("empty")
@handled
def trash_empty(
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask first (for scripts).")
    ] = False,
) -> None:
    """Delete everything in the trash for good (asks first).

    The one place entries are really deleted. Example: journal trash empty
    """
    from layers_journal.ui.console import say

    journal = open_journal()
    listed = [path for _, path, _ in journal.trash.contents()]
    if not listed:
        say("The trash is already empty.")
        return
    count = plural(len(listed), "entry", "entries")
    if not yes and not ask(f"Delete the {count} in the trash for good? This cannot be undone."):
        say("Left as it is; the trash keeps them.")
        raise typer.Exit(1)
    removed = journal.changes.empty_trash(listed)
    say(f"Deleted {plural(removed, 'entry', 'entries')} from the trash for good.")


@app.command()
@handled
def lookback(
    days: Annotated[
        int,
        typer.Option(
            "--days",
            metavar="N",
            callback=within(0, 30),
            help="Also this many days either side of each date.",
        ),
    ] = 0,
    on_date: Annotated[
        str | None,
        typer.Option("--date", metavar="DAY", help="Look back from another day than today."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never use a pager.")] = False,
    plain: PlainOption = False,
) -> None:
    """What you wrote on this day a week, a month, a year and more years ago.

    By the day each entry is about. An entry can stay out of it (journal edit ID
    --no-lookback), and journal config set lookback off turns it off.
    Example: journal lookback --days 3
    """
    from layers_journal.ui.console import say

    journal = open_journal()
    if not journal.config.lookback:
        say("Lookback is turned off; journal config set lookback on turns it back on.")
        return
    current_day = journal.clock.today()
    day = parse_date(on_date, current_day, name="--date") if on_date is not None else current_day
    found = journal.finder.lookback(day, days)
    if as_json:
        print_json(
            {
                "version": 1,
                "as_of": day.isoformat(),
                "days": days,
                "moments": [
                    {"when": words, "entries": [entry.to_json() for entry in entries]}
                    for words, entries in found
                ],
            }
        )
        return
    if not found:
        around = f" (or within {plural(days, 'day')} of it)" if days else ""
        say(f"Nothing written on this day{around} in earlier weeks, months or years yet.")
        return
    from layers_journal.ui.console import out, show
    from layers_journal.ui.views import lookback_view

    show(lookback_view(found, day=day, width=out().width), page=not no_pager)


@app.command()
@handled
def revisit(
    prompt_id: Annotated[
        str | None,
        typer.Argument(metavar="[PROMPT_ID]", help="A prompt's id; today's prompt without it."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never use a pager.")] = False,
    plain: PlainOption = False,
) -> None:
    """Every answer you gave to one prompt, oldest first: the layers of your own words.

    Example: journal revisit awareness-017
    """
    from layers_journal.index import Query
    from layers_journal.ui.console import say

    journal = open_journal()
    prompt_id, prompt_text = chosen_prompt(journal, prompt_id)
    answers = journal.finder.query(Query(prompt_id=prompt_id, oldest_first=True))
    if as_json:
        print_json(
            {
                "version": 1,
                "prompt": {"id": prompt_id, "text": prompt_text},
                "entries": [entry.to_json() for entry in answers],
            }
        )
        return
    if not answers:
        say(f"You have not answered {prompt_id} yet; it will come round in journal today.")
        return
    from layers_journal.ui.console import out, show
    from layers_journal.ui.views import revisit_view

    console = out()
    text = prompt_text or answers[-1].prompt or prompt_id
    view = revisit_view(text, answers, width=console.width if console.is_terminal else None)
    show(view, page=not no_pager)


def chosen_prompt(journal: Journal, given: str | None) -> tuple[str, str | None]:
    """(id, text) of the prompt named (a unique start of its id is enough), or of
    today's prompt."""
    from layers_journal.model.addressing import pick_by_prefix

    from .writing import daily_library, todays_plan

    if given is None:
        plan, _ = todays_plan(journal, day=journal.clock.today())
        return plan.prompt.id, plan.prompt.text
    prompts = daily_library(journal)
    # Prompts answered once but no longer in the library (an own prompt removed) too.
    known: dict[str, str | None] = dict.fromkeys(journal.index().practice.answered_prompts(None))
    known.update({prompt.id: prompt.text for prompt in prompts})
    chosen = pick_by_prefix(given, known, what="prompt", many="prompts")
    return chosen, known[chosen]


@app.command()
@handled
def tags(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """Every tag with how many entries carry it, most used first.

    Tags come from --tag and from #words in the text. Example: journal tags
    """
    journal = open_journal()
    counted = journal.finder.tag_counts()
    if as_json:
        print_json({"version": 1, "tags": [{"tag": t, "entries": n} for t, n in counted]})
        return
    from layers_journal.ui.console import say

    if not counted:
        say("No tags yet; --tag on journal today, or a #word in the text, adds one.")
        return
    wide = max(len(tag) for tag, _ in counted)
    for tag, count in counted:
        print(f"{tag:<{wide}}  {count}")
