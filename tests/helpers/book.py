"""A varied journal for the html export: every kind of page the book draws, and the
exports of it the golden pages in tests/fixtures/book/ were made from."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from .documents import year_document

# The clock of every export of it: the footer and the picture are of this day.
EXPORTED_ON = date(2026, 6, 30)

# Each golden page: its file in tests/fixtures/book/ and the export's arguments.
EXPORTS: dict[str, tuple[str, ...]] = {
    "shared.html": (),
    "everything.html": ("--include-private",),
    "spring-with-note.html": ("--since", "2026-03-01", "--until", "2026-04-30", "--note", "NOTE"),
    "compassion-tagged.html": ("--theme", "compassion", "--tag", "walk"),
    "nothing.html": ("--since", "2026-06-25", "--until", "2026-06-26"),
}

NOTE = """# Before the session

I want to talk about **sleep** and the week of the move.

- the dream
- <script>alert(1)</script>
"""

MARKDOWN = """# A heading of my own

Some *emphasis*, **strong**, ~~struck~~ and `code`; a [link](https://example.org) and a
[sly one](javascript:alert(1)) and <b>raw html</b>.
A line break kept.

> quoted words
> over two lines

1. first
2. second
   - nested

```
a fence <with> & marks
```

| left | right |
| --- | --- |
| a | b |

---

###### deepest"""

TRICKY = (
    '<script>alert("x")</script> & <img src=x onerror=alert(1)> '
    "</p></article><a href='https://example.org'>link</a> 日本語 🎉"
)


def page(entry_id: str, created: str, day: str, text: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": entry_id,
        "created": created,
        "day": day,
        "tz": "Europe/Berlin",
        "theme": None,
        "prompt_id": None,
        "prompt": None,
        "mood": None,
        "tags": [],
        "text": text,
    }
    return base | fields


def varied_document() -> dict[str, Any]:
    """Half a year of pages (ordinary ones from year_document, days with two pages, pages
    written later) and beside them: Markdown of every kind, markup that must stay text,
    private pages and passages, reviews and exercises known and unknown."""
    document = year_document(2026, seed=23)
    document["entries"] = [e for e in document["entries"] if e["day"] <= "2026-06-20"][::2]
    extra = [
        page(
            "2026-02-03-081500-mdown1",
            "2026-02-03T08:15:00+01:00",
            "2026-02-03",
            MARKDOWN,
            theme="awareness",
            prompt="What did you notice?",
            prompt_id="awareness-001",
            mood=3,
            tags=["x<y", "work"],
        ),
        page(
            "2026-02-04-221000-trick1",
            "2026-02-04T22:10:00+01:00",
            "2026-02-04",
            TRICKY,
            theme="connection",
            prompt='A prompt with "quotes" & <b>tags</b>',
        ),
        page(
            "2026-02-05-070000-priv01",
            "2026-02-05T07:00:00+01:00",
            "2026-02-05",
            "A page only for me.",
            theme="compassion",
            private=True,
            mood=1,
        ),
        page(
            "2026-02-06-070000-pass01",
            "2026-02-06T07:00:00+01:00",
            "2026-02-06",
            "Before.\n\n::: private\nThe hidden part.\n:::\n\nAfter, shared.",
            theme="awareness",
            tags=["walk"],
        ),
        page(
            "2026-02-07-070000-pass02",
            "2026-02-07T07:00:00+01:00",
            "2026-02-07",
            "::: private\nEvery word of it kept back.\n:::",
            theme="compassion",
            tags=["walk"],
        ),
        page(
            "2026-02-08-070000-pass03",
            "2026-02-08T07:00:00+01:00",
            "2026-02-08",
            "Shared first.\n\n::: private\nNever closed, so the rest stays back.",
            theme="compassion",
            tags=["walk"],
        ),
        page(
            "2026-03-08-200000-revw01",
            "2026-03-08T20:00:00+01:00",
            "2026-03-08",
            "A week of rain and of coming back.",
            kind="review",
            covers=["2026-03-02", "2026-03-08"],
            prompt="What helped?\nWhat was heavy?",
        ),
        page(
            "2026-04-01-200000-revw02",
            "2026-04-01T20:00:00+02:00",
            "2026-04-01",
            "A review without its period.",
            kind="review",
        ),
        page(
            "2026-03-10-090000-exer01",
            "2026-03-10T09:00:00+01:00",
            "2026-03-10",
            "## The situation\n\nThe meeting.\n\n## The thought\n\nI always get it wrong.",
            theme="awareness",
            kind="exercise",
            exercise="thought-record",
            scales={"belief-before": 4},
        ),
        page(
            "2026-03-10-210000-exer02",
            "2026-03-10T21:00:00+01:00",
            "2026-03-10",
            "## Only step\n\nDone.",
            kind="exercise",
            exercise="thought-record",
        ),
        page(
            "2026-04-12-090000-exer03",
            "2026-04-12T09:00:00+02:00",
            "2026-04-12",
            "## A step\n\nMine.",
            theme="compassion",
            kind="exercise",
            exercise="my-own-exercise",
        ),
        page(
            "2026-05-02-013000-late01",
            "2026-05-02T01:30:00+02:00",
            "2026-05-01",
            "Written after midnight, about the evening before.",
            theme="compassion",
            tags=["walk"],
            mood=5,
        ),
    ]
    document["entries"] += extra
    return document


def varied_json() -> str:
    return json.dumps(varied_document())


def long_json(entries: int = 300, paragraphs: int = 60) -> str:
    """A journal of long pages (each some 25 KB of Markdown), a few private, a few with
    a private passage, tagged in turn: its html export is several megabytes."""
    import random

    rng = random.Random(7)
    words = "slow breath tea window rain shoulders friend kitchen quiet light walk".split()
    items = []
    for n in range(entries):
        day = date(2025, 1, 1) + timedelta(days=n)
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(60)).capitalize() + "."
            for _ in range(paragraphs)
        )
        if n % 7 == 3:
            body += "\n\n::: private\nKept back.\n:::"
        items.append(
            page(
                f"{day.isoformat()}-200000-l{n:05d}",
                f"{day.isoformat()}T20:00:00+01:00",
                day.isoformat(),
                body,
                theme=("awareness", "connection", "compassion")[n % 3],
                tags=["walk"] if n % 2 else [],
                mood=n % 5 + 1,
                private=n % 11 == 5,
            )
        )
    return json.dumps({"format": "layers-journal", "version": 1, "entries": items, "pauses": []})
