"""Bringing the journal out and in: `journal export` and `journal import`."""

from __future__ import annotations

import errno
import stat
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import JournalError, UsageError
from layers_journal.ui.messages import plural

from .base import Layer, app, clean_or_refuse, handled, open_journal, parse_date

if TYPE_CHECKING:
    from layers_journal.folder.entries import Entry
    from layers_journal.journal.changes import ImportResult
    from layers_journal.journal.facade import Journal

# A whole life of journaling as JSON is well under this; it bounds reading a FIFO or
# a device named by mistake.
MAX_IMPORT_BYTES = 2 * 1024**3


class ExportFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    html = "html"


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
        typer.Option("--format", help="json (complete), markdown or html (to read and print)."),
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
    since: Annotated[
        str | None, typer.Option(help="Markdown and html: entries from this day on.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Markdown and html: entries up to this day.")
    ] = None,
    theme: Annotated[Layer | None, typer.Option(help="Markdown and html: only this layer.")] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Markdown and html: only with this tag.")
    ] = None,
) -> None:
    """Export the journal, oldest first: all of it as JSON, or to read and print.

    Markdown and html take --since, --until, --theme and --tag. The html file is one
    self-contained page (nothing fetched, no scripts) that prints to PDF from any browser.
    Example: journal export --format html --since 2026-01-01 --output journal.html
    """
    from layers_journal.formats.exchange import export_document, markdown_document, markdown_months
    from layers_journal.index import Query

    journal = open_journal()
    current_day = journal.clock.today()
    first_day = parse_date(since, current_day, name="--since") if since else None
    last_day = parse_date(until, current_day, name="--until") if until else None
    if first_day and last_day and last_day < first_day:
        raise UsageError("--until is before --since, so there is nothing between them.")
    tags = [clean_or_refuse(item) for item in tag or []]
    filtered = bool(since or until or theme or tags)
    query = Query(
        theme=theme.value if theme else None,
        since=first_day,
        until=last_day,
        tags=tags,
        oldest_first=True,
    )
    entries = journal.finder.query(query)
    if fmt is ExportFormat.html:
        if split:
            raise UsageError("--split goes with --format markdown.")
        documents = {"": html_document(journal, entries, first_day, last_day, current_day)}
    elif fmt is ExportFormat.json:
        if split:
            raise UsageError("--split goes with --format markdown.")
        if filtered:
            raise UsageError(
                "The JSON export is the whole journal, a complete backup; --since, --until, "
                "--theme and --tag go with --format markdown or html."
            )
        pauses_with_notes = [(p, journal.finder.pause_note(p)) for p in journal.model.pauses()]
        documents = {"": export_document(entries, pauses_with_notes)}
    elif split:
        if output is None:
            raise UsageError("--split needs --output FOLDER.")
        documents = markdown_months(entries)
    else:
        documents = {"": markdown_document(entries, "Journal")}
    if output is None:
        text = documents[""]
        if sys.stdout.isatty():  # exact into a file or pipe; harmless on a screen
            from layers_journal.ui.terminal import printable

            text = printable(text)
        sys.stdout.write(text)
    else:
        write_documents(documents, output, split=split, force=force)
        from layers_journal.ui.console import say

        where = output if not split else f"{plural(len(documents), 'file')} in {output}"
        say(f"Exported {plural(len(entries), 'entry', 'entries')} to {where}.", style="green")
    skipped = journal.problems()
    if skipped:  # a backup must never be silently partial
        files = plural(len(skipped), "file of the journal", "files of the journal")
        verb = "is" if len(skipped) == 1 else "are"
        raise JournalError(
            f"The export holds every readable entry, but {files} could not be read and "
            f"{verb} missing from it (named above; journal doctor lists them all)."
        )


def html_document(
    journal: Journal,
    entries: list[Entry],
    since: date | None,
    until: date | None,
    today: date,
) -> str:
    """The html export, with the layers picture as of the period's last day at its top."""
    from layers_journal.formats.book import html_book
    from layers_journal.model.layers import day_themes, paused_days
    from layers_journal.ui.messages import day_label, plural
    from layers_journal.ui.picture import html_picture, layer_calendar, layers_view

    first = since or (entries[0].day if entries else today)
    last = min(until or today, today)
    span = f"{day_label(first)} to {day_label(max(first, until or last))}"
    picture = caption = None
    if first <= last:
        report = journal.model.report(last)
        weeks = (last - first).days // 7 + 1
        themes = day_themes(journal.model.facts(), last, first - timedelta(days=7))
        paused = set(paused_days(journal.model.rest_spans(), last))
        calendar = layer_calendar(
            last, first, themes, paused, weeks=weeks, width=80, title="These weeks, day by day"
        )
        view = layers_view(report, calendar=calendar, detail=False, width=80)
        picture = html_picture(view, width=80)
        counts = ", ".join(
            f"{layer} {plural(report.layers[layer].active_days, 'day')}"
            for layer in ("awareness", "connection", "compassion")
        )
        caption = (
            f"As of {day_label(last)}: {plural(report.presence.active_days, 'day')} written "
            f"in all; by layer, {counts}."
        )
    return html_book(
        entries,
        title="Journal",
        span=span,
        picture=picture,
        picture_caption=caption or "",
        exported_on=today,
    )


def write_documents(documents: dict[str, str], output: Path, *, split: bool, force: bool) -> None:
    """Write the export to a file, or with --split to one file per month in a folder."""
    from layers_journal.folder.storage import ensure_private_dir, write_atomic

    targets = {(output / name if name else output): text for name, text in documents.items()}
    if split:
        ensure_private_dir(output)
    for target in targets:
        if target.exists() and not force:
            raise UsageError(f"{target} already exists; add --force to replace it.")
    for target, text in targets.items():
        write_atomic(target, text.encode(), overwrite=True)


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
        ImportFormat, typer.Option("--format", help="What the file or folder is.")
    ] = ImportFormat.auto,
    time_format: Annotated[
        str | None, typer.Option(help="jrnl's timeformat when it is not a common one.")
    ] = None,
    journal_tag: Annotated[
        bool,
        typer.Option(
            "--journal-tag/--no-journal-tag",
            help="Day One: tag each entry with the name of the Day One journal it came from.",
        ),
    ] = True,
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
    if fmt is ImportFormat.markdown:
        import_markdown(journal, path)
        return
    if fmt is ImportFormat.dayone or (fmt is ImportFormat.auto and looks_like_dayone(path)):
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
    from layers_journal.formats.dayone import is_classic, is_dayone_document, is_zip

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


# --- a folder of Markdown files -----------------------------------------------------


def import_markdown(journal: Journal, path: Path) -> None:
    from layers_journal.formats.notes import read_notes

    imported = read_notes(path, zone=journal.clock.zone, zone_name=journal.clock.zone_name)
    result = journal.changes.import_all(imported.entries)
    report_import(journal, result, imported.notes, source=f" from {path}")
