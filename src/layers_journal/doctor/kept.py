"""Words waiting outside the journal: drafts a journal that stopped left behind, and text
kept in the recovery folder when a save could not finish. --fix saves them as entries
(nothing is deleted first); one that cannot be put back is named and left where it is.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers_journal.folder.drafts import Draft
    from layers_journal.folder.entries import Entry
    from layers_journal.journal.facade import Journal


from layers_journal.folder import layout

from .findings import Finding


def kept_words_findings(journal: Journal) -> list[Finding]:
    """Drafts a stopped journal left, then words kept when a save could not finish."""
    drafts = [
        Finding("draft", str(draft.file), draft_words(draft), True)
        for draft in journal.drafts.left()
    ]
    return drafts + recovery_findings(journal)


def draft_words(draft: Draft) -> str:
    from layers_journal.folder.drafts import WRITER

    if draft.entry_id:
        return f"changes to {draft.entry_id} left when its editor stopped; --fix applies them"
    if draft.about.get("aside"):
        return "a page set aside in journal today; --fix saves it as an entry"
    if draft.source == WRITER:
        return "a page left unsaved when the writer closed; --fix saves it as an entry"
    return "an editor draft left when the journal stopped"


def recover(journal: Journal, findings: list[Finding], now: datetime) -> list[str]:
    """Save drafts and recovered text into the journal, then tidy them away. One that
    cannot be put back is named and left where it is; the others carry on."""
    from layers_journal.errors import JournalError, reason
    from layers_journal.folder.drafts import Draft

    done = []
    for finding in findings:
        path = Path(finding.path)
        try:
            if finding.kind == "draft":
                done += recover_draft(journal, Draft(path.parent, journal.keys), now=now)
            elif finding.kind == "recovery":
                done += recover_kept(journal, path, now=now)
        except (OSError, JournalError) as error:
            done.append(f"left {path} as it is, since it could not be put back ({reason(error)})")
    return done


def recover_draft(journal: Journal, draft: Draft, *, now: datetime) -> list[str]:
    """A draft of an edit goes back to its entry; a new page becomes an entry tagged
    recovered. Then the draft is tidied away."""
    from layers_journal.errors import JournalError
    from layers_journal.folder.entries import clean_body, new_entry

    raw = draft.text()
    text = clean_body(raw)
    done = []
    if draft.entry_id:
        try:
            located = journal.finder.locate(draft.entry_id)
        except JournalError:
            located = None
        if located is not None:
            original = journal.finder.read_entry(located)
            if raw in (original.text + "\n", original.text) or text == original.text:
                done.append(f"removed a draft of {located.id} that held no changes")
            elif text.strip():
                journal.changes.replace_text(located, original, text)
                done.append(f"applied the draft {draft.file} to {located.id}")
            draft.discard()
            return done
    if text.strip():
        from layers_journal.folder.entries import unique_tags

        tags, mood = draft.details()
        entry = new_entry(
            journal.clock,
            now=now,
            text=text,
            mood=mood,
            tags=list(unique_tags([*tags, "recovered"])),
            **usable_about(journal, draft.about, now),
        )
        saved = journal.changes.save_new(entry)
        gone = f" ({draft.entry_id} is no longer there)" if draft.entry_id else ""
        done.append(f"saved the draft {draft.file} as {saved.name}{gone}")
    draft.discard()
    return done


def usable_about(journal: Journal, about: dict[str, object], now: datetime) -> dict[str, Any]:
    """What a draft was to be (from its draft.toml), keeping only values an entry can
    hold: a broken one is dropped rather than standing between the words and the journal."""
    from datetime import date

    from layers_journal.days import in_calendar
    from layers_journal.folder.entries import storable
    from layers_journal.model.layers import LAYERS

    day = about.get("day")
    if not isinstance(day, date) or isinstance(day, datetime) or not in_calendar(day):
        day = journal.clock.day_of(now)
    usable: dict[str, Any] = {"day": day, "theme": about.get("theme")}
    if usable["theme"] not in LAYERS:
        usable["theme"] = None
    for name in ("prompt_id", "prompt"):
        value = about.get(name)
        usable[name] = value if isinstance(value, str) and storable(value) else None
    return usable


def recover_kept(journal: Journal, path: Path, *, now: datetime) -> list[str]:
    from layers_journal.folder.entries import new_entry

    entry = read_kept(journal, path)
    if journal.store.exists(entry.id):
        # A newer text of an entry that is still there: keep both, side by side.
        entry = new_entry(
            journal.clock,
            now=now,
            day=entry.day,
            text=entry.text,
            theme=entry.theme,
            prompt_id=entry.prompt_id,
            prompt=entry.prompt,
            mood=entry.mood,
            tags=[*entry.tags, "recovered"],
        )
        journal.changes.save_new(entry)
    else:
        journal.changes.import_all([entry])
    path.unlink()
    return [f"put {path.name} back into the journal as {entry.id}"]


def read_kept(journal: Journal, path: Path, *, unseal: bool = True) -> Entry:
    """An entry kept in the recovery folder. FileFormatError says why it cannot be read;
    with unseal=False a sealed one is only checked to be a file (no passphrase asked)."""
    from layers_journal.errors import FileFormatError
    from layers_journal.folder.entries import MAX_FILE_BYTES, decode_entry_bytes, parse_entry
    from layers_journal.folder.storage import read_bounded

    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except OSError as error:
        raise FileFormatError(error.strerror or "it cannot be opened") from None
    if layout.is_sealed(path.name):
        if not unseal:
            raise LookupError  # cannot tell without the key
        data = journal.keys.unseal(data)
    return parse_entry(decode_entry_bytes(data))


def recovery_findings(journal: Journal) -> list[Finding]:
    """Text kept after a failed save: --fix puts it back, unless it cannot be read (then
    it says why and leaves it for the person to open)."""
    from layers_journal.errors import FileFormatError

    found = []
    for path in journal.recovery.files():
        try:
            read_kept(journal, path, unseal=journal.keys.unlocked is not None)
        except LookupError:
            pass
        except FileFormatError as error:
            found.append(
                Finding(
                    "recovery",
                    str(path),
                    "words kept here when a save could not finish, which --fix cannot put back "
                    f"({error.message.rstrip('.')}); open the file to copy them",
                )
            )
            continue
        found.append(
            Finding("recovery", str(path), "words kept here when a save could not finish", True)
        )
    return found
