"""What is shared and what is kept back: private entries, and private passages in an entry.

An entry is private with `private = true` in its front matter. A passage inside any
entry is private between a line `::: private` and a line `:::` (the fenced "div" of
Pandoc and markdown-it, which any editor types and any reader of the plain file
understands). A `::: private` line that is never closed keeps the rest of the entry
private: when in doubt, words stay back. Exports meant for someone else (html, pdf,
markdown) leave both out unless asked; the JSON export, the backup, keeps everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from layers_journal.folder.entries import Entry

PASSAGE_OPENS = re.compile(r"^ {0,3}:{3,}[ \t]*private[ \t]*$", re.IGNORECASE)
PASSAGE_CLOSES = re.compile(r"^ {0,3}:{3,}[ \t]*$")


class Part(NamedTuple):
    text: str
    private: bool


def entry_parts(text: str) -> list[Part]:
    """The text cut at its private passages, in order; the marker lines themselves
    belong to no part. Empty parts are left out."""
    parts: list[Part] = []
    lines: list[str] = []
    private = False
    for line in text.split("\n"):
        if not private and PASSAGE_OPENS.match(line):
            parts.append(Part("\n".join(lines), False))
            lines, private = [], True
        elif private and PASSAGE_CLOSES.match(line):
            parts.append(Part("\n".join(lines), True))
            lines, private = [], False
        else:
            lines.append(line)
    parts.append(Part("\n".join(lines), private))
    return [part for part in parts if part.text.strip()]


def has_private_passage(text: str) -> bool:
    return any(PASSAGE_OPENS.match(line) for line in text.split("\n"))


def shared_text(text: str) -> str:
    """The text without its private passages, the paragraphs around them kept apart."""
    return "\n\n".join(part.text.strip("\n") for part in entry_parts(text) if not part.private)


class Shared(NamedTuple):
    """The entries an export shows, and how much it left out."""

    entries: list[Entry]
    private_entries: int
    private_passages: int


def for_sharing(entries: Iterable[Entry], *, include_private: bool) -> Shared:
    """Entries as an export for someone else shows them: without private entries and
    passages, or (include_private) all of them as written. An entry whose every word
    is in private passages is left out whole, counted with the passages."""
    entries = list(entries)
    if include_private:
        return Shared(entries, 0, 0)
    kept: list[Entry] = []
    left_entries = left_passages = 0
    for entry in entries:
        shown, passages = shared_entry(entry)
        left_entries += entry.private
        left_passages += passages
        if shown is not None:
            kept.append(shown)
    return Shared(kept, left_entries, left_passages)


def shared_entry(entry: Entry) -> tuple[Entry | None, int]:
    """One entry as an export for someone else shows it (None: left out whole) and how
    many private passages it left out of it; a private entry counts no passages."""
    if entry.private:
        return None, 0
    if not has_private_passage(entry.text):
        return entry, 0
    passages = sum(part.private for part in entry_parts(entry.text)) or 1
    text = shared_text(entry.text)
    return (entry._replace(text=text) if text.strip() else None), passages
