"""Every change a command makes to a journal: saving and editing entries, the trash,
pauses, imports, encrypting and decrypting.

Each happens under the journal-wide write lock. Words that could not be saved are never
just dropped: they go to the recovery folder (or are handed back) and the error says
where. After a change the rest of the run sees it (the index catches up, the model's
inputs are asked again).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.errors import JournalError, KeyFileError, SaveError, UsageError, reason
from layers_journal.folder.entries import MAX_ENTRY_BYTES, MAX_TEXT_BYTES, Entry, new_entry_id
from layers_journal.folder.pauses import Pause, new_pause_id
from layers_journal.folder.store import ChangedMeanwhile
from layers_journal.model.addressing import pick_by_prefix

if TYPE_CHECKING:
    from layers_journal.days import Clock
    from layers_journal.folder.recovery import Recovery
    from layers_journal.folder.store import Store
    from layers_journal.folder.trash import Trash
    from layers_journal.index import Located
    from layers_journal.index.lifecycle import RunIndex

    from .report import RunReport


class ImportResult(NamedTuple):
    added: int
    skipped: int
    pauses_added: int = 0
    pauses_skipped: int = 0
    added_days: tuple[date, ...] = ()  # the day of each entry added


class Changes:
    def __init__(
        self,
        store: Store,
        recovery: Recovery,
        clock: Clock,
        trash: Trash,
        index: RunIndex,
        report: RunReport,
    ) -> None:
        self.store = store
        self.recovery = recovery
        self.clock = clock
        self.trash_folder = trash
        self.index = index
        self.report = report

    # --- entries ---------------------------------------------------------------------

    def refuse_too_long(self, entry: Entry, outcome: str) -> None:
        """Text past what one entry holds is kept in recovery, never just refused."""
        if len(entry.text.encode("utf-8", "replace")) > MAX_TEXT_BYTES:
            raise self.recovery.failure(
                entry,
                f"That text is longer than one entry can hold ({MAX_ENTRY_BYTES // 2**20} MB), "
                + outcome,
            )

    def save_new(self, entry: Entry) -> Path:
        """Write a new entry file (never replacing one). On failure the text is kept in
        the recovery folder, or handed back, and SaveError says where."""
        self.refuse_too_long(entry, "so it was not saved")
        try:
            with self.store.writing():
                written = self.store.write_entry(entry, keep_id=False)
        except KeyFileError as error:  # a sentence of its own, saying what mends it
            raise self.recovery.failure(entry, error.message.rstrip(".")) from None
        except (OSError, JournalError) as error:
            raise self.recovery.failure(
                entry, f"The entry could not be saved ({reason(error)})"
            ) from None
        except KeyboardInterrupt:  # while waiting for another journal command, say
            raise self.recovery.failure(entry, "Stopped before the entry was saved") from None
        self.report.saved = True
        self.index.note_written(written)
        return self.store.path(written[0])

    def replace_text(
        self,
        located: Located,
        original: Entry,
        text: str,
        *,
        tags: tuple[str, ...] | None = None,
        scales: tuple[tuple[str, int], ...] | None = None,
    ) -> Entry:
        """Give an entry a new body (and new tags or an exercise's new scales, in the
        same write). If it changed or went missing meanwhile, or cannot be written, the
        new text is kept in the recovery folder (or handed back)."""
        updated = original._replace(
            text=text,
            tags=original.tags if tags is None else tags,
            scales=original.scales if scales is None else scales,
        )
        changed = tags is not None or scales is not None
        self.refuse_too_long(updated, "so the entry was left as it was")
        try:
            with self.store.writing():
                self.store.replace_text(
                    located.path, original, text, metadata=updated if changed else None
                )
        except ChangedMeanwhile:
            raise self.recovery.failure(
                updated, "The entry changed or went missing while you were editing"
            ) from None
        except (OSError, JournalError) as error:
            raise self.recovery.failure(
                updated, f"The new text could not be saved ({reason(error)})"
            ) from None
        except KeyboardInterrupt:  # while waiting for another journal command, say
            raise self.recovery.failure(updated, "Stopped before the new text was saved") from None
        self.index.refresh()
        return updated

    def keep_words(
        self, text: str, what_happened: str, *, words: str = "your words are"
    ) -> SaveError:
        """For words a command was given but could not save (it stopped before it got
        that far): they go to the recovery folder as an entry of now, or are handed
        back, and the SaveError says where."""
        from datetime import UTC, datetime

        from layers_journal.folder.entries import new_entry

        clock = self.clock
        try:
            entry = new_entry(clock, now=clock.now(), day=clock.today(), text=text)
        except Exception:  # whatever failed (the clock, say), the words go on
            now = datetime.now(UTC).replace(microsecond=0)
            entry = Entry(id=new_entry_id(now), created=now, day=now.date(), tz="UTC", text=text)
        return self.recovery.failure(entry, what_happened, words=words)

    def change_metadata(self, located: Located, original: Entry, updated: Entry) -> Entry:
        """Rewrite an entry's front matter under the write lock (the body untouched)."""
        if updated.day != original.day and updated.day > self.clock.day_of(original.created):
            raise UsageError(
                "An entry can be about the day it was written or an earlier one, "
                f"so not {updated.day.isoformat()}."
            )
        with self.store.writing():
            try:
                self.store.replace_metadata(located.path, original, updated)
            except ChangedMeanwhile:
                raise SaveError(
                    f"{located.id} changed or went missing just now, so it was left as it is."
                ) from None
        self.index.refresh()
        return updated

    # --- the trash -------------------------------------------------------------------

    def trash(self, located: Located) -> Path:
        target = self.trash_folder.put(located.path)
        self.index.refresh()
        return target

    def restore(self, prefix: str) -> Path:
        target = self.trash_folder.restore(prefix)
        self.index.refresh()
        return target

    def empty_trash(self, listed: Iterable[Path]) -> int:
        """Delete for good the trashed files that were listed (and asked about); returns
        how many entries went."""
        with self.store.writing():
            return self.trash_folder.empty(listed)

    # --- pauses ----------------------------------------------------------------------

    def add_pause(self, start: date, end: date, note: str | None) -> Pause:
        """A new pause; one that shares a day with a pause already declared is refused
        (rather than merged, which would change the other's id and note unasked)."""
        pause = Pause(id=new_pause_id(start), start=start, end=end, note=note)
        with self.store.writing():
            self.index.refresh()
            for other in self.index().lookup.pauses():
                if other.start <= end and start <= other.end:
                    span = f"{other.start.isoformat()} to {other.end.isoformat()}"
                    raise UsageError(
                        f"Those days overlap the pause {other.id} ({span}); journal unpause "
                        f"{other.id} and declare the whole stretch again, or choose other days."
                    )
            self.store.write_pause(pause)
        self.index.refresh()
        return pause

    def remove_pause(self, prefix: str) -> Pause:
        lookup = self.index().lookup
        found = {match.id: match for match in lookup.locate(prefix.strip(), "pauses")}
        pause_id = pick_by_prefix(prefix, found, what="pause", many="pauses")
        pause = next(p for p in lookup.pauses() if p.id == pause_id)
        with self.store.writing():
            self.store.remove_file(found[pause_id].path)
        self.index.refresh()
        return pause

    # --- the whole journal -----------------------------------------------------------

    def import_all(self, entries: Iterable[Entry], pauses: Iterable[Pause] = ()) -> ImportResult:
        """Add entries and pauses whose ids the journal does not have yet."""
        store = self.store
        known_entries = self.index().lookup.entry_ids()
        known_pauses = {pause.id for pause in self.index().lookup.pauses()}
        added = skipped = pauses_added = pauses_skipped = 0
        added_days: list[date] = []
        with store.writing():
            for entry in entries:
                if entry.id in known_entries or store.exists(entry.id):
                    skipped += 1
                    continue
                try:
                    store.write_entry(entry, keep_id=True)
                except FileExistsError:
                    skipped += 1
                    continue
                except OSError as error:
                    raise SaveError(
                        f"The import stopped after {added} entries ({error.strerror}); "
                        "running it again adds the rest."
                    ) from None
                known_entries.add(entry.id)
                added_days.append(entry.day)
                added += 1
            for pause in pauses:
                if pause.id in known_pauses:
                    pauses_skipped += 1
                    continue
                store.write_pause(pause)
                known_pauses.add(pause.id)
                pauses_added += 1
        self.index.refresh()
        return ImportResult(added, skipped, pauses_added, pauses_skipped, tuple(added_days))

    def encrypt(self, passphrase: str) -> int:
        """Encrypt every entry, the trash and pause notes; resumable. Returns the count."""
        from layers_journal.folder.conversion import encrypt_journal

        converted, notes = encrypt_journal(self.store, passphrase)
        self.report.notes += notes
        self.index.reset()
        return converted

    def decrypt(self, passphrase: str) -> int:
        """Turn every encrypted file back into plain text; resumable. Returns the count."""
        from layers_journal.folder.conversion import decrypt_journal

        converted, notes = decrypt_journal(self.store, passphrase)
        self.report.notes += notes
        self.index.reset()
        return converted
