"""The app every command module registers on, the one door out, and shared helpers.

The door (`handled`) wraps every command: it turns each handled error into one sentence
on stderr and its exit code, and says once, after the command, what the run had to skip
or work around, so no command can forget to.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from layers_journal import __version__
from layers_journal.errors import JournalError, SaveError, UsageError, reason
from layers_journal.messages import NOT_THERAPY

if TYPE_CHECKING:
    from layers_journal.journal import Journal

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
# How many skipped files are named after a command before pointing at journal doctor.
SHOWN_PROBLEMS = 5


class Layer(StrEnum):
    awareness = "awareness"
    connection = "connection"
    compassion = "compassion"


# --- the one door out ---------------------------------------------------------------

# The journals this run opened, so the door can say what each had to skip.
opened: list[Journal] = []


def handled(command: F) -> F:
    """Run a command; whatever happens, say its warnings, and turn a failure into one
    sentence on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opened.clear()
        try:
            result = command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            settle_opened()
            say_warnings()
            raise
        except (Exception, KeyboardInterrupt) as error:
            settle_opened()
            say_warnings()
            raise typer.Exit(report_failure(error)) from None
        settle_opened()
        say_warnings()
        return result

    wrapper.through_the_door = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def report_failure(error: BaseException) -> int:
    """Say what went wrong in one sentence (never a traceback that could hold entry
    text) and return the exit code."""
    if isinstance(error, JournalError):
        print(error.message, file=sys.stderr)
        if isinstance(error, SaveError) and error.unsaved_text:
            print("\n----- your words, not saved -----", file=sys.stderr)
            print(error.unsaved_text)
            print("----- end -----", file=sys.stderr)
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        print("\nStopped; nothing is left half-written.", file=sys.stderr)
        return 1
    if isinstance(error, BrokenPipeError):
        # The reader went away (journal history | head): leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if isinstance(error, OSError):
        place = error.filename or "a file it needs"
        print(f"The journal could not use {place} ({reason(error)}).", file=sys.stderr)
        return 1
    if os.environ.get("LAYERS_JOURNAL_DEBUG"):
        raise error
    print(
        f"Something unexpected went wrong inside layers-journal "
        f"({error.__class__.__name__}); journal doctor can look the journal over, and "
        "LAYERS_JOURNAL_DEBUG=1 shows the details.",
        file=sys.stderr,
    )
    return 1


def settle_opened() -> None:
    """Let each journal this run opened finish its own business (commit what was
    written, when sync is set up); Journal.settle never raises."""
    for journal in opened:
        journal.settle()


def say_warnings() -> None:
    """What each journal of this run worked around, and the files it skipped."""
    for journal in opened:
        problems = [] if journal.problems_shown else journal.problems_seen()
        if not problems and not journal.notes:
            continue
        from layers_journal.render import say

        for note in journal.notes:
            say(note, style="yellow")
        for problem in problems[:SHOWN_PROBLEMS]:
            say(f"Skipped {problem.path}: {problem.reason}.", style="yellow")
        if len(problems) > SHOWN_PROBLEMS:
            more = len(problems) - SHOWN_PROBLEMS
            say(f"…and {more} more; journal doctor lists them all.", style="yellow")


# --- shared helpers -----------------------------------------------------------------


def open_journal() -> Journal:
    from layers_journal.journal import Journal

    journal = Journal.open()
    opened.append(journal)
    return journal


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
    from layers_journal.entries import clean_tag

    try:
        return clean_tag(tag)
    except ValueError as error:
        raise UsageError(str(error)) from None


def print_json(document: Any) -> None:
    import json

    print(json.dumps(document, ensure_ascii=False, indent=2))


def read_stdin() -> str:
    """All of stdin as text: UTF-8, else the locale's encoding, else UTF-8 with the bytes
    that cannot be read shown as � (and said), so typed words are never refused."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import contextlib
    import locale

    with contextlib.suppress(UnicodeDecodeError, LookupError):
        return data.decode(locale.getpreferredencoding(False))
    from layers_journal.render import say

    say("Some of the text was not UTF-8; the characters that could not be read are kept as �.")
    return data.decode("utf-8", errors="replace")


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
