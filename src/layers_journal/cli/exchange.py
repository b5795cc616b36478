"""Bringing the journal out and in: `journal export` and `journal import`."""

from __future__ import annotations

import errno
import stat
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import JournalError, UsageError
from layers_journal.ui.messages import into_journals_only_dayone, plural

from .base import Layer, app, clean_or_refuse, handled, open_journal, parse_date

if TYPE_CHECKING:
    from layers_journal.folder.entries import Entry
    from layers_journal.formats.book import Write
    from layers_journal.journal.changes import ImportResult
    from layers_journal.journal.facade import Journal

# A whole life of journaling as JSON is well under this; it bounds reading a FIFO or
# a device named by mistake.
MAX_IMPORT_BYTES = 2 * 1024**3


class ExportFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"


# What a --note file may hold: a few paragraphs, not a book.
MAX_NOTE_BYTES = 1024**2
NOTE_QUESTION = "Anything you want to bring up? Enter skips:"


class ImportFormat(StrEnum):
    auto = "auto"
    json = "json"
    jrnl = "jrnl"
    jrnl_json = "jrnl-json"
    dayone = "dayone"
    markdown = "markdown"


@app.command("export")
@handled
def export_journal(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="json (complete), or markdown, html or pdf (to read and share).",
        ),
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH", help="Write here instead of stdout."),
    ] = None,
    split: Annotated[
        bool, typer.Option("--split", help="Markdown: one file per month in the --output folder.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(metavar="DAY", help="Markdown, html, pdf: entries from this day on."),
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DAY", help="Markdown, html, pdf: entries up to this day.")
    ] = None,
    theme: Annotated[
        Layer | None, typer.Option(metavar="LAYER", help="Markdown, html, pdf: only this layer.")
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="Markdown, html, pdf: only with this tag."),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private", help="Markdown, html, pdf: put private entries and passages in."
        ),
    ] = False,
    note: Annotated[
        Path | None,
        typer.Option(
            "--note", metavar="FILE", help="Html, pdf: your words for the first page (Markdown)."
        ),
    ] = None,
) -> None:
    """Export the journal, oldest first: all of it as JSON, or to read and share.

    Markdown, html and pdf take --since, --until, --theme and --tag, and leave private
    entries and passages out unless --include-private; the JSON export is the complete
    backup and holds everything. The html file is one self-contained page (nothing
    fetched, no scripts) with a first page for a session; pdf prints it through
    Chromium, Chrome or Edge when one is installed.
    Example: journal export --format pdf --since "4 weeks ago" --output session.pdf
    """
    from layers_journal.formats.exchange import export_document, markdown_document, markdown_months
    from layers_journal.formats.sharing import for_sharing
    from layers_journal.index import Query

    journal = open_journal()
    current_day = journal.clock.today()
    if output is not None:
        check_output_folder(output, split=split)
    first_day = parse_date(since, current_day, name="--since") if since is not None else None
    last_day = parse_date(until, current_day, name="--until") if until is not None else None
    if first_day and last_day and last_day < first_day:
        raise UsageError("--until is before --since, so there is nothing between them.")
    tags = [clean_or_refuse(item) for item in tag or []]
    filtered = bool(since or until or theme or tags)
    if split and fmt is not ExportFormat.markdown:
        raise UsageError("--split goes with --format markdown.")
    if note is not None and fmt not in (ExportFormat.html, ExportFormat.pdf):
        raise UsageError("--note goes with --format html or pdf.")
    browser = None
    if fmt is ExportFormat.pdf:
        from layers_journal.formats.pdf import NO_BROWSER, find_browser

        if output is None and sys.stdout.isatty():
            raise UsageError("A PDF goes into a file: add --output FILE, like session.pdf.")
        browser = find_browser()
        if browser is None:
            raise JournalError(NO_BROWSER)
    if fmt is ExportFormat.json and filtered:
        raise UsageError(
            "The JSON export is the whole journal, a complete backup; --since, --until, "
            "--theme and --tag go with --format markdown, html or pdf."
        )
    if output is not None and not split and output.exists() and not force:
        raise UsageError(f"{output} already exists; add --force to replace it.")
    note_text = read_note(note) if note is not None else None
    query = Query(
        theme=theme.value if theme else None,
        since=first_day,
        until=last_day,
        tags=tags,
        oldest_first=True,
    )
    if fmt in (ExportFormat.html, ExportFormat.pdf):
        from . import book

        gathered = book.gather(journal, query, include_private=include_private, whole=not filtered)
        if note is None:
            note_text = ask_for_note()
        session = book.first_page(journal, gathered, first_day, last_day, current_day, note_text)

        def fill(write: Write) -> None:
            book.write_page(
                write,
                journal,
                query,
                session,
                gathered.summary,
                include_private=include_private,
                today=current_day,
            )

        book.deliver(fill, output, browser=browser, force=force)
        if output is not None:
            exported(gathered.summary.entries, output)
        left_out = left_out_words(gathered.private_entries, gathered.private_passages)
    else:
        entries = journal.finder.query(query)
        shared = for_sharing(entries, include_private=include_private or fmt is ExportFormat.json)
        documents: dict[str, str]
        if fmt is ExportFormat.json:
            pauses_with_notes = [(p, journal.finder.pause_note(p)) for p in journal.model.pauses()]
            documents = {"": export_document(entries, pauses_with_notes)}
        elif split:
            if output is None:
                raise UsageError("--split needs --output FOLDER.")
            documents = dict(markdown_months(shared.entries))
        else:
            documents = {"": markdown_document(shared.entries, "Journal")}
        if output is None:
            content = documents[""]
            if sys.stdout.isatty():  # exact into a file or pipe; harmless on a screen
                from layers_journal.ui.terminal import printable

                content = printable(content)
            sys.stdout.write(content)
        else:
            write_documents(documents, output, split=split, force=force)
            where = output if not split else f"{plural(len(documents), 'file')} in {output}"
            exported(len(shared.entries), where)
        left_out = left_out_words(shared.private_entries, shared.private_passages)
    if left_out:
        from layers_journal.ui.console import say

        say(left_out)
    skipped = journal.problems()
    if skipped:  # a backup must never be silently partial
        files = plural(len(skipped), "file of the journal", "files of the journal")
        verb = "is" if len(skipped) == 1 else "are"
        raise JournalError(
            f"The export holds every readable entry, but {files} could not be read and "
            f"{verb} missing from it (named above; journal doctor lists them all)."
        )


def exported(count: int, where: object) -> None:
    from layers_journal.ui.console import say

    say(f"Exported {plural(count, 'entry', 'entries')} to {where}.", style="green")


def left_out_words(entries: int, passages: int) -> str | None:
    """'Left out 2 private entries and 1 private passage; …', or None when nothing was."""
    said = []
    if entries:
        said.append(plural(entries, "private entry", "private entries"))
    if passages:
        said.append(plural(passages, "private passage", "private passages"))
    if not said:
        return None
    return f"Left out {' and '.join(said)}; --include-private puts them in."


def read_note(path: Path) -> str:
    """The --note file's text, or a usage error saying why it cannot be used."""
    from layers_journal.folder.storage import megabytes, read_bounded

    try:
        data = read_bounded(path, MAX_NOTE_BYTES, follow_links=True, pipes=True)
    except OSError as error:
        why = (error.strerror or "error").lower()
        if error.errno == errno.EFBIG:
            why = f"it is larger than the {megabytes(MAX_NOTE_BYTES)} a note can be"
        raise UsageError(f"--note {path} cannot be read ({why}); nothing was exported.") from None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").strip()
    except UnicodeDecodeError:
        raise UsageError(f"--note {path} is not UTF-8 text; nothing was exported.") from None


def ask_for_note() -> str | None:
    """One question, only in a terminal: a line for the first page, or None."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    sys.stderr.write(NOTE_QUESTION + " ")
    sys.stderr.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise
    return line.strip() or None


def check_output_folder(output: Path, *, split: bool) -> None:
    """The folder an export goes into must be there already, as cp and tar expect: a
    mistyped path is said, never quietly made into new folders."""
    folder = output.expanduser().absolute().parent
    if not folder.is_dir():
        what = "folder for --split" if split else "file"
        raise UsageError(
            f"{folder} does not exist, so the {what} {output} has nowhere to go; make the "
            f"folder first (mkdir -p {folder}) or choose another --output."
        )


def write_documents(
    documents: Mapping[str, str | bytes], output: Path, *, split: bool, force: bool
) -> None:
    """Write the export to a file, or with --split to one file per month in a folder."""
    from layers_journal.folder.storage import ensure_private_dir, write_atomic

    targets = {(output / name if name else output): text for name, text in documents.items()}
    if split:
        ensure_private_dir(output)
    for target in targets:
        if target.exists() and not force:
            raise UsageError(f"{target} already exists; add --force to replace it.")
    for target, text in targets.items():
        data = text if isinstance(text, bytes) else text.encode()
        write_atomic(target, data, overwrite=True)


@app.command("import")
@handled
def import_journal(
    path: Annotated[
        Path,
        typer.Argument(
            help="A layers-journal JSON export, a jrnl journal, a Day One export or "
            "Classic folder, or a folder of Markdown files."
        ),
    ],
    fmt: Annotated[
        ImportFormat, typer.Option("--format", metavar="FORMAT", help="What the file or folder is.")
    ] = ImportFormat.auto,
    time_format: Annotated[
        str | None,
        typer.Option(metavar="FORMAT", help="jrnl's timeformat when it is not a common one."),
    ] = None,
    journal_tag: Annotated[
        bool,
        typer.Option(
            "--journal-tag/--no-journal-tag",
            help="Day One: tag each entry with the name of the Day One journal it came from.",
        ),
    ] = True,
    into_journals: Annotated[
        bool,
        typer.Option(
            "--into-journals",
            help="Day One: each of its journals into a journal of the same name here "
            "(made beside your first when missing), instead of all into one.",
        ),
    ] = False,
) -> None:
    """Bring entries in from a JSON export, jrnl, Day One or a folder of Markdown files.

    Each entry keeps the calendar date its tool showed. The whole input is checked first:
    a malformed one imports nothing. Ids already in the journal are skipped, so importing
    twice adds nothing twice.
    Example: journal import ~/journal.txt --format jrnl
    """
    from layers_journal.folder.storage import megabytes, read_bounded
    from layers_journal.formats.exchange import read_import, refuse_old_encrypted

    journal = open_journal()
    dayone = fmt is ImportFormat.dayone or (fmt is ImportFormat.auto and looks_like_dayone(path))
    if into_journals:
        if not dayone:
            raise UsageError(into_journals_only_dayone(path))
        import_dayone_into_journals(journal, path)
        return
    if fmt is ImportFormat.markdown:
        import_markdown(journal, path)
        return
    if dayone:
        import_dayone(journal, path, journal_tags=journal_tag)
        return
    if path.is_dir():
        raise UsageError(
            f"{path} is a folder; for a folder of Markdown files say --format markdown."
        )
    try:
        data = read_bounded(path, MAX_IMPORT_BYTES, follow_links=True, pipes=True)
    except OSError as error:
        why = (error.strerror or "error").lower()
        if error.errno == errno.EFBIG:
            why = f"it is larger than the {megabytes(MAX_IMPORT_BYTES)} an import can be"
        raise UsageError(f"{path} cannot be read ({why}); nothing was imported.") from None
    if fmt in (ImportFormat.auto, ImportFormat.jrnl):
        refuse_old_encrypted(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text; nothing was imported.") from None
    imported = read_import(
        text,
        source=str(path),
        kind=fmt.value,
        zone=journal.clock.zone,
        zone_name=journal.clock.zone_name,
        time_format=time_format,
    )
    result = journal.changes.import_all(imported.entries, imported.pauses)
    report_import(journal, result, imported.notes, pauses=bool(imported.pauses))


def say(text: str, style: str | None = None) -> None:
    """A line of an import's account, folded at a terminal's width."""
    from layers_journal.ui.console import say as render_say

    render_say(text, style=style, fold=True)


def report_import(
    journal: Journal,
    result: ImportResult,
    notes: Sequence[str],
    *,
    source: str = "",
    pauses: bool = False,
) -> None:
    """What an import did, then its account of what came along and what did not; a
    second import that adds nothing says only that."""
    if report_nothing_new(result, source):
        return
    parts = [f"Imported {plural(result.added, 'entry', 'entries')}{source}"]
    if result.skipped:
        parts.append(f"skipped {result.skipped} already in the journal")
    if pauses:
        parts.append(f"{plural(result.pauses_added, 'pause', 'pauses')} added")
        if result.pauses_skipped:
            parts.append(f"{result.pauses_skipped} already there")
    say(", ".join(parts) + ".", style="green")
    for note in notes:
        say(note)
    report_future(journal, result)


def report_nothing_new(result: ImportResult, source: str = "") -> bool:
    """A second import that adds nothing says so, once, and nothing else."""
    if result.added or result.pauses_added or not (result.skipped or result.pauses_skipped):
        return False
    things = []
    for count, one, many in (
        (result.skipped, "entry", "entries"),
        (result.pauses_skipped, "pause", "pauses"),
    ):
        if count:
            things.append(f"the {one}" if count == 1 else f"the {count} {many}")
    verb = "is" if result.skipped + result.pauses_skipped == 1 else "are"
    say(
        f"Nothing new{source}: {' and '.join(things)} {verb} already in the journal.", style="green"
    )
    return True


def report_future(journal: Journal, result: ImportResult) -> None:
    """Entries dated after today are kept; the layers meet them on their day."""
    today = journal.clock.today()
    later = sum(1 for day in result.added_days if day > today)
    if later:
        are = "entry is" if later == 1 else "entries are"
        they = "it waits" if later == 1 else "they wait"
        their = "its" if later == 1 else "their"
        say(f"{later} {are} dated after today; {they} until {their} day comes.")


# --- Day One ------------------------------------------------------------------------


def looks_like_dayone(path: Path) -> bool:
    """A .zip (only Day One's are read), a Day One Classic folder, or JSON shaped like a
    Day One export."""
    from layers_journal.formats.dayone_files import is_classic, is_dayone_document, is_zip

    if is_zip(path) or is_classic(path):
        return True
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # a pipe is read once, by the importer it names
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if b'"metadata"' not in head and b'"uuid"' not in head:
        return False
    import json

    try:
        return is_dayone_document(json.loads(path.read_bytes().decode("utf-8-sig")))
    except (OSError, ValueError, RecursionError):
        return False


def import_dayone(journal: Journal, path: Path, *, journal_tags: bool) -> None:
    from layers_journal.formats.dayone import read_dayone

    if not path.exists():
        raise UsageError(f"{path} cannot be read (no such file or folder).")
    imported = read_dayone(
        path,
        zone=journal.clock.zone,
        zone_name=journal.clock.zone_name,
        journal_tags=journal_tags,
    )
    result = journal.changes.import_all(imported.entries)
    report_import(journal, result, imported.summary, source=" from Day One")


def import_dayone_into_journals(first: Journal, path: Path) -> None:
    """Each Day One journal into the journal of its name here, made when missing; the
    whole export is read and checked before any journal is made or written."""
    from layers_journal.config import resolve_paths
    from layers_journal.formats.dayone import read_dayone
    from layers_journal.journals import as_journal_name, ensure_journals
    from layers_journal.ui.messages import journal_added

    if not path.exists():
        raise UsageError(f"{path} cannot be read (no such file or folder).")
    imported = read_dayone(
        path, zone=first.clock.zone, zone_name=first.clock.zone_name, journal_tags=False
    )
    groups: dict[str, list[Entry]] = {}
    for entry in imported.entries:
        groups.setdefault(as_journal_name(imported.journals[entry.id]), []).append(entry)
    for named in ensure_journals(resolve_paths(), list(groups)):
        say(journal_added(named.name, named.root))
    for name, entries in groups.items():
        journal = open_journal(name)
        result = journal.changes.import_all(entries)
        report_import(journal, result, (), source=f" from Day One into the journal {name}")
    for note in imported.summary:
        say(note)


# --- a folder of Markdown files -----------------------------------------------------


def import_markdown(journal: Journal, path: Path) -> None:
    from layers_journal.formats.notes import read_notes

    imported = read_notes(path, zone=journal.clock.zone, zone_name=journal.clock.zone_name)
    result = journal.changes.import_all(imported.entries)
    report_import(journal, result, imported.notes, source=f" from {path}")
