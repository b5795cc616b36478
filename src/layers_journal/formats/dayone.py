"""Importing from Day One: its JSON export, alone or in the .zip Day One makes.

The export holds one JSON file per journal, `{"metadata": {"version": "1.0"}, "entries":
[...]}`, with photos and other media in folders beside it. Each entry has a `uuid`,
`creationDate` (UTC, like 2024-03-31T00:30:00Z), usually a `timeZone` (an IANA name),
`text` (Markdown), and maybe `tags`, `starred`, `location`, `weather`, `photos`.

Only the JSON files are read; media stay where they are. The archive is never unpacked
to disk, and its sizes are checked before anything is read, so a crafted archive (a
zip bomb, names leading out of the folder) is refused with a sentence. As with the
other importers, everything is checked before anything is written.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from layers_journal.folder.entries import Entry, is_tag
from layers_journal.formats.dayone_entries import (
    LEFT_OUT,
    MEDIA_ORDER,
    MEDIA_PLURALS,
    Tally,
    as_tag,
    dayone_entry,
    dayone_id,
    entry_time,
)
from layers_journal.formats.dayone_files import (
    Source,
    export_source,
    is_zip,
    read_archive,
    read_classic,
    read_json_file,
)


class DayOneImport(NamedTuple):
    entries: list[Entry]
    # entry id → the Day One journal it came from (its JSON file's or folder's name)
    journals: dict[str, str]
    # What came along and what was left out, a sentence each, with counts.
    summary: tuple[str, ...]


def read_dayone(
    path: Path, *, zone: tzinfo, zone_name: str, journal_tags: bool = True
) -> DayOneImport:
    """Every entry of a Day One export (.zip or .json) or of a Day One Classic folder,
    each on the calendar date Day One showed it on, in its own zone. Raises
    ImportFormatError naming the first entry that cannot be read; writes nothing."""
    if path.is_dir():
        sources = [read_classic(path)]
    elif is_zip(path):
        sources = [export_source(name, document) for name, document in read_archive(path)]
    else:
        sources = [export_source(path.name, read_json_file(path))]
    tally = Tally()
    read: list[tuple[Source, str, Any, datetime, str, bool]] = []
    ids: dict[str, str] = {}  # Day One uuid (upper case) → entry id
    for source in sources:
        for number, item in enumerate(source.entries, 1):
            where = f"Day One entry {number} of {source.name}"
            uuid, local, zone_named, guessed = entry_time(item, where, zone, zone_name)
            where = f"{where} ({uuid})"
            entry_id = dayone_id(local, uuid)
            ids.setdefault(uuid.upper(), entry_id)
            read.append((source, where, item, local, zone_named, guessed))
    entries: list[Entry] = []
    journals: dict[str, str] = {}
    for source, where, item, local, zone_named, guessed in read:
        tally.guessed += guessed
        tag = as_tag(source.journal) if journal_tags else ""
        entry = dayone_entry(
            item, where=where, local=local, zone_name=zone_named, ids=ids, tally=tally,
            journal_tag=tag if is_tag(tag) else None,
        )  # fmt: skip
        entries.append(entry)
        journals[entry.id] = source.journal
    return DayOneImport(entries, journals, summary(journals, tally, zone_name, journal_tags))


def summary(
    journals: dict[str, str], tally: Tally, zone_name: str, journal_tags: bool
) -> tuple[str, ...]:
    """The import's account, a sentence each: what came along, then what stays in the
    export or was left out, with counts."""
    said = []
    names = Counter(journals.values())
    which = ", ".join(f"{count} from {name}" for name, count in names.items())
    journal_word = "journal" if len(names) == 1 else "journals"
    tagged = ", each tagged with its journal's name" if journal_tags else ""
    said.append(
        f"Came along: {plural_of(len(journals), 'entry', 'entries')} from {len(names)} Day One "
        f"{journal_word} ({which}){tagged}, with their tags and stars."
    )
    kept = []
    if tally.places:
        kept.append(f"the place of {plural_of(tally.places, 'entry', 'entries')}")
    if tally.weather:
        kept.append(f"the weather of {tally.weather}")
    if kept:
        said.append(f"Came along as a last line of the text: {join_words(kept)}.")
    if tally.all_day:
        all_day = plural_of(tally.all_day, "all-day entry", "all-day entries")
        said.append(f"Came along on their date: {all_day}, at midnight.")
    if tally.links:
        said.append(
            f"Came along as links to the imported entry: {plural_of(tally.links, 'link', 'links')} "
            "between Day One entries."
        )
    if tally.media:
        kinds = [
            plural_of(tally.media[kind], kind, MEDIA_PLURALS[kind])
            for kind in MEDIA_ORDER
            if tally.media[kind]
        ]
        markers = ", ".join(f"[{kind}]" for kind in MEDIA_ORDER if tally.media[kind])
        unplaced = (
            f", or at its end for the {tally.unlinked} it did not show" if tally.unlinked else ""
        )
        said.append(
            f"Stay in the Day One export: {join_words(kinds)}; the text marks where each one "
            f"was ({markers}){unplaced}."
        )
    if tally.dead_links:
        said.append(
            f"Stay dayone2:// links: {plural_of(tally.dead_links, 'link', 'links')} to Day One "
            "entries not in this export."
        )
    if tally.left_out:
        first = True
        parts = []
        for what in LEFT_OUT.values():
            if tally.left_out[what]:
                count = tally.left_out[what]
                parts.append(
                    f"{what} of {plural_of(count, 'entry', 'entries') if first else count}"
                )
                first = False
        said.append(f"Left out: {join_words(parts)}.")
    if tally.guessed:
        had = "entry had" if tally.guessed == 1 else "entries had"
        was = "was" if tally.guessed == 1 else "were"
        said.append(f"{tally.guessed} {had} no time zone and {was} read as {zone_name}.")
    return tuple(said)


def plural_of(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def join_words(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
