"""The `journal` command: parse, call the core, render. The only place that exits.

Heavy modules (Rich, SQLite, the model) load inside the commands that need them, so
start-up stays close to the floor of Typer itself.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import JournalError, NothingToSave, UsageError, reason
from .messages import NOT_THERAPY, plural

if TYPE_CHECKING:
    from .journal import Journal
    from .prompts import Prompt

F = TypeVar("F", bound=Callable[..., Any])

APP_SETTINGS: dict[str, Any] = {
    "name": "journal",
    "help": (
        "A guided reflection journal for the terminal: one prompt a day on awareness, "
        "connection or compassion, kept as private plain-text files on your own disk.\n\n"
        + NOT_THERAPY
    ),
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "pretty_exceptions_show_locals": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**APP_SETTINGS)
prompts_app = typer.Typer(
    help="The prompt library: list it, or add prompts of your own.",
    invoke_without_command=True,
    rich_markup_mode=None,
)
config_app = typer.Typer(help="Read and change settings in config.toml.", rich_markup_mode=None)
app.add_typer(prompts_app, name="prompts")
app.add_typer(config_app, name="config")


class Layer(StrEnum):
    awareness = "awareness"
    connection = "connection"
    compassion = "compassion"


class ExportFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class ImportFormat(StrEnum):
    auto = "auto"
    json = "json"
    jrnl = "jrnl"
    jrnl_json = "jrnl-json"


# --- the one door out ---------------------------------------------------------------


def handled(command: F) -> F:
    """Turn every handled error into one sentence on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except JournalError as error:
            report_error(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            print("\nStopped; nothing is left half-written.", file=sys.stderr)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # The reader went away (journal history | head): leave quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as error:
            place = error.filename or "a file it needs"
            print(f"The journal could not use {place} ({reason(error)}).", file=sys.stderr)
            raise typer.Exit(1) from None
        except typer.Exit:
            raise
        except Exception as error:  # a bug: never a traceback that could hold entry text
            if os.environ.get("LAYERS_JOURNAL_DEBUG"):
                raise
            print(
                f"Something unexpected went wrong inside layers-journal "
                f"({error.__class__.__name__}); journal doctor can look the journal over, and "
                "LAYERS_JOURNAL_DEBUG=1 shows the details.",
                file=sys.stderr,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def report_error(error: JournalError) -> None:
    print(error.message, file=sys.stderr)
    unsaved = getattr(error, "unsaved_text", None)
    if unsaved:
        print("\n----- your words, not saved -----", file=sys.stderr)
        print(unsaved)
        print("----- end -----", file=sys.stderr)


# --- shared helpers -----------------------------------------------------------------


def open_journal() -> Journal:
    from .config import load_config, resolve_paths
    from .journal import Journal

    paths = resolve_paths()
    return Journal(paths, load_config(paths.config_file))


def parse_date(value: str, today: date, *, name: str = "date") -> date:
    """YYYY-MM-DD, or today / yesterday."""
    words = {"today": today, "yesterday": today - timedelta(days=1)}
    if value.strip().lower() in words:
        return words[value.strip().lower()]
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{value!r} is not a {name} like 2026-11-23 (or today, yesterday)."
        ) from None


def not_after_today(day: date, today: date, what: str) -> date:
    if day > today:
        raise UsageError(f"{day.isoformat()} is after today; {what} can only look back.")
    return day


def clean_or_refuse(tag: str) -> str:
    """A --tag as stored, or a usage error saying what a tag looks like."""
    from .entries import clean_tag

    try:
        return clean_tag(tag)
    except ValueError as error:
        raise UsageError(str(error)) from None


def print_json(document: Any) -> None:
    import json

    print(json.dumps(document, ensure_ascii=False, indent=2))


def warn_about_problems(journal: Journal) -> None:
    """Skipped files are named on stderr every time, so nothing is silently ignored."""
    problems = journal.problems()
    if not problems and not journal.notes:
        return
    from .render import say

    for note in journal.notes:
        say(note, style="yellow")
    for problem in problems[:5]:
        say(f"Skipped {problem.path}: {problem.reason}.", style="yellow")
    if len(problems) > 5:
        say(f"…and {len(problems) - 5} more; journal doctor lists them all.", style="yellow")


def version_callback(value: bool) -> None:
    if value:
        print(f"layers-journal {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """A guided reflection journal for the terminal."""


# --- today --------------------------------------------------------------------------


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
    from .entries import clean_body
    from .journal import new_entry
    from .messages import EMPTY_BODY, LEFT_WITHOUT_SAVING
    from .render import out, prompt_panel, say
    from .today import plan_today

    journal = open_journal()
    current_day = journal.today()
    day = (
        not_after_today(parse_date(on_date, current_day), current_day, "--date")
        if on_date
        else current_day
    )
    tags = [clean_or_refuse(item) for item in tag or []]
    # Today's prompt rests on what was written before today began; a backfill follows on
    # from everything written so far.
    plan = plan_today(
        history=journal.prompt_history(current_day, backfill=day != current_day),
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
    warn_about_problems(journal)
    interactive = sys.stdin.isatty()
    if show_only or interactive or editor:
        out().print(prompt_panel(day=day, layer=plan.layer, prompt=plan.prompt, note=note))
    if show_only:
        return
    if editor:
        from .editor import draft_header, edit_text

        about = journal.draft_about(day, plan.layer, plan.prompt.id, plan.prompt.text)
        raw = edit_text(
            draft_header(plan.prompt.text), drafts=journal.paths.state / "drafts", about=about
        )
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
        journal,
        now=journal.now(),
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
    from .errors import PromptFileError
    from .prompts import load_library
    from .render import say

    cache = journal.paths.cache / "prompts.cache"
    try:
        return load_library(journal.paths.user_prompts, cache=cache)
    except PromptFileError as error:
        say(f"{error.message} Today's prompt comes from the shipped library.", style="yellow")
        return load_library(None, cache=cache)


def read_from_terminal() -> str | None:
    """Everything typed until Ctrl-D on a new line (the terminal's own line editing, as
    jrnl and cat use); None when the person leaves with Ctrl-C."""
    from .messages import WRITE_HINT
    from .render import say

    say(WRITE_HINT, style="dim")
    try:
        return read_stdin()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return None


def read_stdin() -> str:
    """All of stdin as text: UTF-8, else the locale's encoding, else UTF-8 with the bytes
    that cannot be read shown as � (and said), so typed words are never refused."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import locale

    with contextlib.suppress(UnicodeDecodeError, LookupError):
        return data.decode(locale.getpreferredencoding(False))
    from .render import say

    say("Some of the text was not UTF-8; the characters that could not be read are kept as �.")
    return data.decode("utf-8", errors="replace")


def say_saved(journal: Journal, *, entry_day: date, today: date, created_day: date) -> None:
    from .layers import EntryFacts, counts
    from .messages import saved_line
    from .render import say

    counted = counts(EntryFacts(entry_day, created_day, None), today)
    say(
        saved_line(journal.presence(today), day=entry_day, today=today, counted=counted),
        style="green",
    )


# --- history and single entries -----------------------------------------------------


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
    from .index import Query, search_words

    journal = open_journal()
    current_day = journal.today()
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
    warn_about_problems(journal)
    if as_json:
        print_json({"version": 1, "entries": [entry.to_json() for entry in entries]})
        return
    from .render import history_view, out, say, show

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
    from .render import entry_view, show

    show(entry_view(entry), page=True)


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
    from .editor import edit_text
    from .entries import clean_body
    from .messages import EDIT_EMPTIED, EDIT_UNCHANGED
    from .render import say

    journal = open_journal()
    located = journal.locate(entry_id)
    original = journal.read_entry(located)
    about = journal.draft_about(original.day, original.theme, original.prompt_id, original.prompt)
    buffer = edit_text(original.text + "\n", drafts=journal.paths.state / "drafts", about=about)
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
    from .render import say

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
    from .render import say

    journal = open_journal()
    target = journal.restore(entry_id)
    say(f"Restored {target.name}.", style="green")


# --- layers and pauses --------------------------------------------------------------


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
    current_day = journal.today()
    day = (
        not_after_today(parse_date(as_of, current_day), current_day, "--as-of")
        if as_of
        else current_day
    )
    report = journal.report(day)
    warn_about_problems(journal)
    if as_json:
        print_json(report.to_json())
        return
    from .layers import day_themes, paused_days
    from .render import layers_view, out, show

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
    from .pauses import check_range
    from .render import say

    journal = open_journal()
    current_day = journal.today()
    first = parse_date(start, current_day)
    last = parse_date(end, current_day) if end else first
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
    from .render import out, pauses_table, say

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
    from .render import say

    removed = open_journal().remove_pause(pause_id)
    span = f"{removed.start.isoformat()} to {removed.end.isoformat()}"
    say(f"Removed the pause {removed.id} ({span}).")


# --- prompts ------------------------------------------------------------------------


@prompts_app.callback(invoke_without_command=True)
@handled
def prompts_list(
    ctx: typer.Context,
    theme: Annotated[Layer | None, typer.Option(help="Only this layer.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the prompt library (shipped prompts and your own).

    Example: journal prompts --theme compassion
    """
    if ctx.invoked_subcommand is not None:
        return
    from .config import resolve_paths
    from .prompts import load_library

    library = load_library(resolve_paths().user_prompts)
    chosen = [p for p in library if theme is None or p.theme == theme.value]
    if as_json:
        print_json({"version": 1, "prompts": [p.to_json() for p in chosen]})
        return
    from .render import prompts_table, show

    show(prompts_table(chosen), page=True)


@prompts_app.command("add")
@handled
def prompts_add(
    theme: Annotated[Layer, typer.Option(help="The layer it belongs to.")],
    depth: Annotated[int, typer.Option(min=1, max=3, help="1 gentle, 2 reflective, 3 deep.")] = 1,
) -> None:
    """Add a prompt of your own; its text comes from stdin or is asked for.

    Example: echo "What did your shoulders do today?" | journal prompts add --theme awareness
    """
    from .config import resolve_paths
    from .prompts import add_user_prompt
    from .render import say

    paths = resolve_paths()
    text = typer.prompt("Prompt text") if sys.stdin.isatty() else read_stdin()
    if not text.strip():
        raise NothingToSave("No prompt text was given, so nothing was added.")
    prompt_id = add_user_prompt(
        paths.user_prompts,
        theme=theme.value,
        depth=depth,
        text=text,
        lock=paths.cache / "prompts.lock",
    )
    say(f"Added {prompt_id} to {paths.user_prompts}.", style="green")


# --- export and import --------------------------------------------------------------


@app.command("export")
@handled
def export_journal(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="json (complete) or markdown (to read).")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    split: Annotated[
        bool, typer.Option("--split", help="Markdown: one file per month in the --output folder.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
) -> None:
    """Export the whole journal, oldest first.

    Example: journal export --format markdown --output journal.md
    """
    from .exchange import export_document, markdown_document, markdown_months
    from .index import Query
    from .storage import ensure_private_dir, write_atomic

    journal = open_journal()
    entries = journal.query(Query(oldest_first=True))
    if fmt is ExportFormat.json:
        if split:
            raise UsageError("--split goes with --format markdown.")
        pauses_with_notes = [(p, journal.pause_note(p)) for p in journal.pauses()]
        documents = {"": export_document(entries, pauses_with_notes)}
    elif split:
        if output is None:
            raise UsageError("--split needs --output FOLDER.")
        documents = markdown_months(entries)
    else:
        documents = {"": markdown_document(entries, "Journal")}
    if output is None:
        sys.stdout.write(documents[""])
        return
    targets = {(output / name if name else output): text for name, text in documents.items()}
    if split:
        ensure_private_dir(output)
    for target in targets:
        if target.exists() and not force:
            raise UsageError(f"{target} already exists; add --force to replace it.")
    for target, text in targets.items():
        write_atomic(target, text.encode(), overwrite=True)
    from .render import say

    where = output if not split else f"{plural(len(targets), 'file')} in {output}"
    say(f"Exported {plural(len(entries), 'entry', 'entries')} to {where}.", style="green")


@app.command("import")
@handled
def import_journal(
    path: Annotated[Path, typer.Argument(help="A layers-journal JSON export, or a jrnl journal.")],
    fmt: Annotated[
        ImportFormat, typer.Option("--format", help="What the file is.")
    ] = ImportFormat.auto,
    time_format: Annotated[
        str | None, typer.Option(help="jrnl's timeformat when it is not a common one.")
    ] = None,
) -> None:
    """Bring entries in from a JSON export or jrnl.

    The whole file is checked first: a malformed one imports nothing. Ids already in
    the journal are skipped, so importing twice adds nothing twice.
    Example: journal import ~/journal.txt --format jrnl
    """
    from .exchange import read_import
    from .render import say

    journal = open_journal()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(
            f"{path} cannot be read ({(error.strerror or 'error').lower()})."
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text; nothing was imported.") from None
    imported = read_import(
        text,
        source=str(path),
        kind=fmt.value,
        zone=journal.zone,
        zone_name=journal.zone_name,
        day_start=journal.config.day_start,
        time_format=time_format,
    )
    result = journal.import_all(imported.entries, imported.pauses)
    parts = [f"Imported {plural(result.added, 'entry', 'entries')}"]
    if result.skipped:
        parts.append(f"skipped {result.skipped} already in the journal")
    if imported.pauses:
        parts.append(f"{plural(result.pauses_added, 'pause', 'pauses')} added")
        if result.pauses_skipped:
            parts.append(f"{result.pauses_skipped} already there")
    say(", ".join(parts) + ".", style="green")
    if imported.zone_note:
        say(imported.zone_note)


# --- housekeeping -------------------------------------------------------------------


@app.command()
@handled
def where(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Every folder and file the journal uses.  Example: journal where --json"""
    from .config import load_config, resolve_paths
    from .prompts import shipped_prompt_dir

    paths = resolve_paths()
    config = load_config(paths.config_file)
    root = (config.journal_dir or paths.data).absolute()
    places = {
        "journal": root,
        "entries": root / "entries",
        "pauses": root / "pauses",
        "trash": root / "trash",
        "config": paths.config_file,
        "prompts": paths.user_prompts,
        "prompt_library": shipped_prompt_dir(),
        "cache": paths.cache,
        "drafts": paths.state / "drafts",
        "recovery": paths.state / "recovery",
    }
    if as_json:
        print_json({name: str(place) for name, place in places.items()})
        return
    from .render import key_values, out

    out().print(key_values((name, str(place)) for name, place in places.items()))


@config_app.command("get")
@handled
def config_get(key: Annotated[str, typer.Argument(help="A setting, e.g. day_start.")]) -> None:
    """Print one setting (its default when unset).  Example: journal config get day_start"""
    from .config import get_value, resolve_paths

    print(get_value(resolve_paths().config_file, key))


@config_app.command("set")
@handled
def config_set(
    key: Annotated[str, typer.Argument(help="A setting, e.g. day_start.")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
) -> None:
    """Change one setting.  Example: journal config set day_start 05:00"""
    from .config import resolve_paths, set_value

    set_value(resolve_paths().config_file, key, value)


@config_app.command("unset")
@handled
def config_unset(key: Annotated[str, typer.Argument(help="A setting, e.g. day_start.")]) -> None:
    """Return a setting to its default.  Example: journal config unset day_start"""
    from .config import resolve_paths, set_value

    set_value(resolve_paths().config_file, key, None)


@config_app.command("list")
@handled
def config_list() -> None:
    """Every setting with its current value.  Example: journal config list"""
    from .config import KEYS, get_value, resolve_paths

    path = resolve_paths().config_file
    for name, key in KEYS.items():
        print(f"{name} = {get_value(path, name) or '(unset)'}    # {key.help}")


@app.command()
@handled
def reindex() -> None:
    """Rebuild the search index from the files.  Example: journal reindex"""
    from .render import say

    journal = open_journal()
    journal.reset_index()
    count = journal.index().count()
    say(f"Rebuilt the index: {plural(count, 'entry', 'entries')}.")
    warn_about_problems(journal)


@app.command()
@handled
def encrypt() -> None:
    """Encrypt the journal at rest with age; writing needs no passphrase.

    Asks for a new passphrase (or reads LAYERS_JOURNAL_PASSPHRASE[_FILE]); running it
    again finishes an interrupted run. Example: journal encrypt
    """
    from .crypto import KEY_NAME, ask_passphrase
    from .render import say

    journal = open_journal()
    resuming = (journal.root / KEY_NAME).exists()
    if resuming:
        passphrase = ask_passphrase("Passphrase: ")
    else:
        passphrase = ask_passphrase("New passphrase: ", confirm=True)
    count = journal.encrypt(passphrase)
    for note in journal.notes:
        say(note, style="yellow")
    say(
        f"Encrypted {plural(count, 'entry', 'entries')}. New entries need no passphrase; "
        "reading them does. Keep the passphrase somewhere safe: without it the text cannot "
        "be recovered.",
        style="green",
    )


@app.command()
@handled
def decrypt() -> None:
    """Turn an encrypted journal back into plain Markdown files.  Example: journal decrypt"""
    from .crypto import ask_passphrase, is_encrypted
    from .render import say

    journal = open_journal()
    if not is_encrypted(journal.root):
        raise NothingToSave("This journal is not encrypted, so there was nothing to decrypt.")
    count = journal.decrypt(ask_passphrase())
    say(
        f"Decrypted {plural(count, 'entry', 'entries')}; the journal is plain text again.",
        style="green",
    )


@app.command()
@handled
def doctor(
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Mend what is safe to mend: permissions, drafts, kept text, the index."
        ),
    ] = False,
) -> None:
    """Look the journal over and say what needs care (exit 1 when something does).

    Checks permissions, unreadable or stray files, sync conflict copies, editor drafts
    left behind, text kept after a failed save, the index and encryption.
    Example: journal doctor --fix
    """
    from .doctor import examine, mend
    from .render import say

    journal = open_journal()
    findings = examine(journal)
    fixable = [finding for finding in findings if finding.fixable]
    if fixable and not fix and sys.stdin.isatty():
        for finding in findings:
            say(f"{finding.path}: {finding.message}.")
        try:
            fix = typer.confirm(f"Mend the {len(fixable)} that can be mended now?", default=True)
        except typer.Abort:
            fix = False
        findings = [] if fix else findings
    if fix and fixable:
        for line in mend(journal, fixable, now=journal.now()):
            say(line.capitalize() + ".", style="green")
        findings = examine(journal)
    if not findings:
        count = plural(journal.index().count(), "entry", "entries")
        say(f"All is well: {count}, nothing needs care.")
        return
    for finding in findings:
        say(f"{finding.path}: {finding.message}.", style="yellow")
    if any(finding.fixable for finding in findings):
        say("journal doctor --fix mends the ones it can.")
    raise typer.Exit(1)


def lean_app(name: str | None) -> typer.Typer:
    """An app holding only the command named on the command line.

    Typer inspects every command's signature on each run; with twenty commands that is
    a noticeable share of start-up, so a run builds just the one it needs. Anything
    else (no command, --help, --version, a typo) gets the full app and its help.
    """
    commands = [
        info
        for info in app.registered_commands
        if (info.name or getattr(info.callback, "__name__", "").replace("_", "-")) == name
    ]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    lean = typer.Typer(**APP_SETTINGS)
    lean.registered_callback = app.registered_callback
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def main() -> None:
    lean_app(sys.argv[1] if len(sys.argv) > 1 else None)(prog_name="journal")
