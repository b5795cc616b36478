"""An entry, the journal's one value: what was written, when, about which day, on which
layer, with its prompt, mood and tags; and the rules for its text and tags. Pure: its
file format is folder/entries.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from layers_journal.days import load_zone

MAX_TAG_LENGTH = 64


class Entry(NamedTuple):
    id: str
    created: datetime
    day: date
    tz: str
    text: str
    theme: str | None = None
    prompt_id: str | None = None
    prompt: str | None = None
    mood: int | None = None
    tags: tuple[str, ...] = ()
    # A written review: kind "review" and the days it looks back on (inclusive).
    kind: str | None = None
    covers: tuple[date, date] | None = None
    # False keeps the entry out of journal lookback (`lookback = false` in front matter).
    lookback: bool = True
    # A walked exercise: kind "exercise", its name, and its scales (name, number) in
    # the order of its steps.
    exercise: str | None = None
    scales: tuple[tuple[str, int], ...] = ()
    # True keeps the entry out of what is shared (html, pdf and markdown exports).
    private: bool = False

    @property
    def created_local(self) -> datetime:
        """The creation instant on the wall clock of the entry's own zone."""
        try:
            return self.created.astimezone(load_zone(self.tz))
        except KeyError:
            return self.created

    def to_json(self) -> dict[str, Any]:
        kept_out: dict[str, bool] = {} if self.lookback else {"lookback": False}
        if self.private:  # only when true, so ordinary entries keep their shape
            kept_out["private"] = True
        document: dict[str, Any] = {
            "id": self.id,
            "created": self.created.isoformat(timespec="seconds"),
            "day": self.day.isoformat(),
            "tz": self.tz,
            "theme": self.theme,
            "prompt_id": self.prompt_id,
            "prompt": self.prompt,
            "mood": self.mood,
            "tags": list(self.tags),
            **kept_out,
            "text": self.text,
        }
        # Only a review or an exercise carries these, so ordinary entries keep the shape
        # older exports have.
        if self.kind is not None:
            document["kind"] = self.kind
        if self.kind == "review" or self.covers:
            document["covers"] = [day.isoformat() for day in self.covers] if self.covers else None
        if self.exercise is not None:
            document["exercise"] = self.exercise
        if self.scales:
            document["scales"] = dict(self.scales)
        return document


def clean_body(text: str) -> str:
    """Typed or edited text as it is kept: line endings unified, trailing blank space and
    leading blank lines dropped, everything else exactly as written."""
    text = text.replace("\r\n", "\n").rstrip()
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def is_tag(value: object) -> bool:
    """The one rule for tags, wherever they come from: one word of at most 64
    characters, without spaces."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TAG_LENGTH
        and not any(ch.isspace() for ch in value)
    )


def clean_tag(tag: str) -> str:
    """A tag as typed (#work, @work, work) as it is stored; ValueError when it is none."""
    cleaned = tag.strip().lstrip("@#")
    if not is_tag(cleaned):
        raise ValueError(f"{tag!r} is not a tag: use one word without spaces, like work.")
    return cleaned


# #word in the text: a letter first, then letters, digits, _ or -; not inside a word or
# a link (page#part), not a Markdown heading (# Title) and not a number (#2).
INLINE_TAG = re.compile(r"(?<![\w#&/])#([^\W\d_][\w-]*)")


def inline_tags(text: str) -> list[str]:
    """The #words of a text, as tags (without the #), in the order they appear."""
    found = (match.rstrip("-") for match in INLINE_TAG.findall(text))
    return list(unique_tags(tag for tag in found if is_tag(tag)))


def unique_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """One spelling per tag, whatever its case: the first one given."""
    kept: dict[str, str] = {}
    for tag in tags:
        kept.setdefault(tag.lower(), tag)
    return tuple(kept.values())
