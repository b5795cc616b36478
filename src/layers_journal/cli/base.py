"""The app every command module registers on, the one door out, and shared helpers.

The door (`handled`) wraps every command: it turns each handled error into one sentence
on stderr and its exit code, and says once, after the command, what the run had to skip
or work around, so no command can forget to; then it lets each journal settle (keep the
prompt's status file current), quietly.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from layers_journal import __version__
from layers_journal.errors import (
    JournalError,
    NothingChosen,
    NothingToSave,
    SaveError,
    UsageError,
    reason,
)
from layers_journal.ui import mode
from layers_journal.ui.messages import NOT_THERAPY
from layers_journal.ui.terminal import printable

if TYPE_CHECKING:
    from pathlib import Path

    from layers_journal.index import Located
    from layers_journal.journal.facade import Journal

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


class Layer(StrEnum):
    awareness = "awareness"
    connection = "connection"
    compassion = "compassion"


PlainOption = Annotated[
    bool,
    typer.Option(
        "--plain",
        help="Linear text for screen readers and plain terminals: no boxes, marks or "
        "colour, every figure in words (also ACCESSIBLE=1, or config set output plain).",
    ),
]


# --- the one door out ---------------------------------------------------------------

# The journals this run opened, so the door can say what each had to skip.
opened: list[Journal] = []


def handled(command: F) -> F:
    """Run a command; whatever happens, say its warnings, and turn a failure into one
    sentence on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opened.clear()
        mode.reset()
        mode.choose_plain(bool(kwargs.get("plain")))  # --plain, on every command that draws
        try:
            result = command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            finish()
            raise
        except (Exception, KeyboardInterrupt) as error:
            finish()
            raise typer.Exit(report_failure(error)) from None
        finish()
        return result

    wrapper.through_the_door = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def report_failure(error: BaseException) -> int:
    """Say what went wrong in one sentence (never a traceback that could hold entry
    text) and return the exit code."""
    if isinstance(error, JournalError):
        tell(error.message)
        if isinstance(error, SaveError) and error.unsaved_text:
            print_back(error.unsaved_text)
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        tell("\nStopped; nothing is left half-written.")
        return 1
    if isinstance(error, BrokenPipeError):
        # The reader went away (journal history | head): leave quietly.
        quiet_stdout()
        return 0
    if not isinstance(error, OSError) and os.environ.get("LAYERS_JOURNAL_DEBUG"):
        raise error
    tell(sentence(error) + ".")
    return 1


def sentence(error: BaseException) -> str:
    """What went wrong, as the door says it, without the final full stop."""
    if isinstance(error, JournalError):
        return error.message.rstrip(".")
    if isinstance(error, KeyboardInterrupt):
        return "Stopped before the entry was saved"
    if isinstance(error, OSError):
        place = error.filename or "a file it needs"
        return f"The journal could not use {place} ({reason(error)})"
    return (
        f"Something unexpected went wrong inside layers-journal "
        f"({error.__class__.__name__}); journal doctor can look the journal over, and "
        "LAYERS_JOURNAL_DEBUG=1 shows the details"
    )


def tell(message: str) -> None:
    """One line on stderr, made harmless for the terminal (file names and ids in it
    come from files)."""
    with contextlib.suppress(OSError):
        print(printable(message), file=sys.stderr, flush=True)


def print_back(text: str) -> None:
    """Words that could not be kept anywhere, on stdout to copy (exact into a pipe or
    file); should stdout fail too (a full disk), on stderr."""
    tell("\n----- your words, not saved -----")
    try:
        sys.stdout.write((printable(text) if sys.stdout.isatty() else text) + "\n")
        sys.stdout.flush()
    except (OSError, ValueError) as error:
        quiet_stdout()
        tell(f"(Standard output could not take them ({reason(error)}), so here they are.)")
        tell(text)
    tell("----- end -----")


def quiet_stdout() -> None:
    """Point stdout at nowhere, so what is still buffered cannot fail again at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# --- words in hand --------------------------------------------------------------------


class Given:
    """The words a writing command has read, so they are kept whatever stops it."""

    text: str | None = None


given = Given()


def keeping_words(*, unless: tuple[str, ...] = ()) -> Callable[[F], F]:
    """For a command that saves words it is given (journal today): whatever stops it
    before they are saved, they are kept in the recovery folder, or printed back when
    no journal could be opened. Words still waiting in a pipe are read first, so an
    early mistake (a config typo) does not lose them; a usage error (exit 2, a mistyped
    option, as Click's own) leaves them unread for the corrected command. Options named
    in `unless` (--show) mean the command was not given words to save."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given.text = None
            try:
                return command(*args, **kwargs)
            except (typer.Exit, typer.Abort, NothingToSave, SaveError):
                raise
            except (Exception, KeyboardInterrupt) as error:
                if any(kwargs.get(name) for name in unless) or any(j.report.saved for j in opened):
                    raise
                if isinstance(error, UsageError) and given.text is None:
                    raise  # a mistyped option, as Click's own: the words wait, unread
                words = getattr(error, "words", None) or given.text or piped_words()
                if not words or not words.strip():
                    raise
                raise keep_words(words, error) from None

        return wrapper  # type: ignore[return-value]

    return decorate


def piped_words() -> str | None:
    """Whatever is waiting on stdin when it is a pipe or file (never a terminal)."""
    try:
        if sys.stdin is None or sys.stdin.closed or sys.stdin.isatty():
            return None
        return read_stdin()
    except InputTooLong as error:
        return error.words
    except (OSError, ValueError):
        return None


def keep_words(words: str, error: BaseException) -> SaveError:
    what, which = sentence(error), "your words are"
    if isinstance(error, InputTooLong):
        what, which = what + ", and nothing was saved", "the part read is"
    if opened:
        kept = opened[-1].changes.keep_words(words, what, words=which)
    else:  # no journal to keep them in (its config, say, is what failed)
        kept = SaveError(
            f"{what}; your words were not saved, so they are printed below for you to copy.",
            unsaved_text=words,
        )
    kept.exit_code = error.exit_code if isinstance(error, JournalError) else 1
    return kept


class InputTooLong(JournalError):
    """stdin went on past what one entry can hold; `words` is the part read."""

    def __init__(self, message: str, words: str) -> None:
        super().__init__(message)
        self.words = words


def finish() -> None:
    """After any command: each journal settles (what it settles may add a note), then
    what the run worked around is said."""
    settle()
    say_warnings()


def say_warnings() -> None:
    """What each journal of this run worked around, and the files it skipped."""
    for journal in opened:
        lines = journal.report.said(journal.run_index.problems_seen())
        if not lines:
            continue
        from layers_journal.ui.console import say

        for line in lines:
            say(line, style="yellow")


def settle() -> None:
    """Let each journal of this run bring what it keeps beside itself up to date (the
    prompt's status file, a commit when sync is set up), whether the command succeeded
    or not. Only a convenience: it can never change how a command ends."""
    for journal in opened:
        with contextlib.suppress(Exception, KeyboardInterrupt):
            settle_journal(journal)


def settle_journal(journal: Journal) -> None:
    """Commit what this run changed when sync is set up (never waiting on the network),
    then look at the status file again if the journal may have changed."""
    from layers_journal.status import settle_status

    if journal.store.touched and (journal.root / ".git").exists():
        from layers_journal.sync.policy import settle as commit_touched

        commit_touched(journal)
    settle_status(journal, look=journal.run_index.changed or journal.store.changed)


# --- shared helpers -----------------------------------------------------------------


def open_journal(name: str | None = None) -> Journal:
    """The journal named (else the one this run was pointed at, else the default)."""
    from layers_journal.journal.facade import Journal
    from layers_journal.ui.terminal import ask_passphrase

    journal = Journal.open(name or chosen.name)
    journal.store.on_wait = say_waiting
    journal.keys.ask = ask_passphrase
    mode.choose_plain(journal.config.output == "plain")
    opened.append(journal)
    return journal


def say_waiting() -> None:
    from layers_journal.ui.console import say

    say("Waiting for another journal command to finish…")


def parse_date(value: str, today: date, *, name: str = "", future: bool = False) -> date:
    """A day as people type it: 2026-11-23, today, yesterday, 3 days ago, last monday,
    friday (days.parse_day); tomorrow and next friday only with future=True (pauses)."""
    from layers_journal.days import parse_day

    try:
        return parse_day(value, today, future=future)
    except ValueError as error:
        sentence = f"{name}: {error}." if name else f"{error}."
        raise UsageError(sentence[0].upper() + sentence[1:]) from None


ENTRY_ARGUMENT_HELP = (
    "An id or its first characters, a day (2026-11-28, yesterday, monday), or last, -1, -2."
)
# Lets -1 and -2 through as the entry argument instead of being taken for options.
ADDRESS_SETTINGS: dict[str, Any] = {"ignore_unknown_options": True}


def entry_named(journal: Journal, text: str, *, verb: str = "show") -> Located:
    """The one entry a person named; when a day has several, a short numbered list on
    stderr to pick from (end of input picks none)."""
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import day_label

    if text.startswith("--"):
        raise UsageError(f"No such option: {text}")
    found = journal.finder.address(text)
    if len(found) == 1:
        return found[0]
    entries = [journal.finder.read_entry(located) for located in found]
    say(f"{day_label(entries[0].day)} has {len(entries)} entries:")
    from layers_journal.ui.console import err

    for number, entry in enumerate(entries, 1):
        line = (
            f"  {number}  {entry.created_local:%H:%M}  {entry.theme or 'no layer':<10}  {entry.id}"
        )
        room = err().width - len(line) - 2
        first = " ".join(entry.text[:200].split())
        if room >= 8:  # the id stays whole; the first words fill what is left of the line
            line += "  " + (first if len(first) <= room else first[: room - 1].rstrip() + "…")
        say(line)
    # Asked and answered on stderr and stdin, so stdout holds only the entry (--json).
    print(f"Which one to {verb} (1–{len(entries)})? ", end="", file=sys.stderr, flush=True)
    choice = sys.stdin.readline()
    if not choice.endswith("\n"):
        print(file=sys.stderr)
    if not choice.strip():
        raise NothingChosen(
            f"None chosen; journal {verb} with one of the ids above picks it directly."
        )
    if not choice.strip().isdigit() or not 1 <= int(choice) <= len(entries):
        raise UsageError(f"{choice.strip()!r} is not one of the numbers 1 to {len(entries)}.")
    return found[int(choice) - 1]


def past_day(value: str, today: date, *, name: str) -> date:
    """A day option that looks back (--date, --as-of, --day): parsed, today at the
    latest, and inside the calendar the journal keeps."""
    from layers_journal.days import CALENDAR, in_calendar

    day = parse_date(value, today, name=name)
    if day > today:
        raise UsageError(f"{day.isoformat()} is after today; {name} can only look back.")
    if not in_calendar(day):
        raise UsageError(f"{day.isoformat()} is outside {CALENDAR}, which the journal keeps.")
    return day


def within(low: int, high: int | None = None) -> Callable[[Any], Any]:
    """An option's check for a whole number in a range, said in words (Click's own
    range check would print [1<=x<=5] in the help)."""

    def check(value: Any) -> Any:
        if value is not None and (value < low or (high is not None and value > high)):
            span = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise typer.BadParameter(f"it goes {span}, not {value}.")
        return value

    return check


DAY_FORMS = "2026-11-23, today, yesterday, 3 days ago, monday or last friday"


def given_tags(values: list[str] | None) -> list[str]:
    """Tags as given to --tag: each repeat one or more, commas between them (--tag
    "walk,rain" is two tags, as many tools take them), each cleaned or refused."""
    return [
        clean_or_refuse(piece)
        for value in values or []
        for piece in (value.split(",") if "," in value else [value])
        if piece.strip() or "," not in value
    ]


def clean_or_refuse(tag: str) -> str:
    """A --tag as stored, or a usage error saying what a tag looks like."""
    from layers_journal.folder.entries import clean_tag

    try:
        return clean_tag(tag)
    except ValueError as error:
        raise UsageError(str(error)) from None


def print_json(document: Any) -> None:
    import json

    print(json.dumps(document, ensure_ascii=False, indent=2))


def read_stdin(keep: Callable[[bytes], Path] | None = None) -> str:
    """All of stdin as UTF-8 text, a byte-order mark dropped. Anything else is refused
    rather than changed: `keep` puts the bytes somewhere safe and the sentence says where.

    Reading stops past what one entry can hold (`yes | journal today` never ends):
    InputTooLong then carries the part read."""
    from layers_journal.folder.entries import MAX_ENTRY_BYTES, MAX_TEXT_BYTES

    data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        data = data[:MAX_TEXT_BYTES]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:  # the cut fell inside a character
            if error.reason == "unexpected end of data":
                data = data[: error.start]
        raise InputTooLong(
            f"That text is longer than one entry can hold ({MAX_ENTRY_BYTES // 2**20} MB), "
            "so reading stopped there",
            data.decode("utf-8", errors="replace").removeprefix("\ufeff"),
        )
    try:
        given.text = data.decode("utf-8").removeprefix("\ufeff")
        return given.text
    except UnicodeDecodeError:
        pass
    from layers_journal.ui.messages import not_utf8

    kept = keep(data) if keep else None
    raise JournalError(not_utf8(str(kept) if kept else None))


def version_callback(value: bool) -> None:
    if value:
        print(f"layers-journal {__version__}")
        raise typer.Exit()


class Chosen:
    """The journal this run was pointed at (--journal, else LAYERS_JOURNAL_JOURNAL);
    None means the default one."""

    name: str | None = None


chosen = Chosen()


def choose_journal(name: str | None) -> None:
    """Take --journal (or the environment's name) for this run, refusing a bad or unknown
    name before any command starts."""
    chosen.name = None
    try:
        from layers_journal.journals import chosen_name

        chosen.name = chosen_name(name)
        if chosen.name is not None:
            from layers_journal.config import load_config, resolve_paths
            from layers_journal.journals import pick

            paths = resolve_paths()
            pick(paths, load_config(paths.config_file), chosen.name, present=False)
    except JournalError as error:
        raise typer.Exit(report_failure(error)) from None


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
    journal: Annotated[
        str | None,
        typer.Option(
            "--journal",
            "-J",
            metavar="NAME",
            help="The journal to use (journal journals lists them).",
        ),
    ] = None,
) -> None:
    """A guided reflection journal for the terminal."""
    choose_journal(journal)
