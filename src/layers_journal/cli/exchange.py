"""Bringing the journal out and in: `journal export` and `journal import`."""

from __future__ import annotations

import errno
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from layers_journal.errors import JournalError, UsageError
from layers_journal.messages import plural

from .base import app, handled, open_journal

# A whole life of journaling as JSON is well under this; it bounds reading a FIFO or
# a device named by mistake.
MAX_IMPORT_BYTES = 2 * 1024**3


class ExportFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class ImportFormat(StrEnum):
    auto = "auto"
    json = "json"
    jrnl = "jrnl"
    jrnl_json = "jrnl-json"


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
    from layers_journal.exchange import export_document, markdown_document, markdown_months
    from layers_journal.index import Query

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
        text = documents[""]
        if sys.stdout.isatty():  # exact into a file or pipe; harmless on a screen
            from layers_journal.terminal import printable

            text = printable(text)
        sys.stdout.write(text)
    else:
        write_documents(documents, output, split=split, force=force)
        from layers_journal.render import say

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


def write_documents(documents: dict[str, str], output: Path, *, split: bool, force: bool) -> None:
    """Write the export to a file, or with --split to one file per month in a folder."""
    from layers_journal.storage import ensure_private_dir, write_atomic

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
    from layers_journal.exchange import read_import
    from layers_journal.render import say
    from layers_journal.storage import megabytes, read_bounded

    journal = open_journal()
    try:
        data = read_bounded(path, MAX_IMPORT_BYTES, follow_links=True, pipes=True)
    except OSError as error:
        why = (error.strerror or "error").lower()
        if error.errno == errno.EFBIG:
            why = f"it is larger than the {megabytes(MAX_IMPORT_BYTES)} an import can be"
        raise UsageError(f"{path} cannot be read ({why}); nothing was imported.") from None
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
    for note in imported.notes:
        say(note)
