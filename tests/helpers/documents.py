"""Journals to test with: entries as `journal today` saves them, and export documents
of the shapes the tests read (the worked examples of LAYERS-MODEL.md, a few months, a
year)."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from layers_journal.folder.entries import new_entry
from layers_journal.journal.facade import Journal

ZONE = "Europe/Berlin"


def berlin(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(ZONE))


def write_entry(journal: Journal, when: datetime, text: str = "words", **fields: object) -> str:
    """Save an entry as `journal today` would at `when` (the clock passed in)."""
    day = fields.pop("day", None) or journal.clock.day_of(when)
    entry = new_entry(journal.clock, now=when, day=day, text=text, **fields)  # type: ignore[arg-type]
    journal.changes.save_new(entry)
    return entry.id


def layer_of(n: int) -> str:
    """LAYERS-MODEL.md's worked examples: the theme follows the day number."""
    return {1: "awareness", 2: "connection", 0: "compassion"}[n % 3]


def model_day(n: int) -> date:
    return date(2026, 3, 2) + timedelta(days=n - 1)


ROTATION = ("awareness", "connection", "compassion")


def example_document(
    days: list[int],
    pauses: list[tuple[int, int]] = (),  # type: ignore[assignment]
    *,
    rotation: bool = False,
) -> str:
    """A layers-journal JSON export with one entry per listed model day, written that day:
    its layer fixed by the day number, or with `rotation` in the order of the pages
    (the first awareness, the second connection, …)."""
    entries = []
    for page, n in enumerate(days):
        day = model_day(n)
        entries.append(
            {
                "id": f"{day.isoformat()}-120000-day{n:03d}",
                "created": f"{day.isoformat()}T12:00:00+01:00",
                "day": day.isoformat(),
                "tz": ZONE,
                "theme": ROTATION[page % 3] if rotation else layer_of(n),
                "prompt_id": None,
                "prompt": None,
                "mood": None,
                "tags": [],
                "text": f"Day {n}.",
            }
        )
    return json.dumps(
        {
            "format": "layers-journal",
            "version": 1,
            "entries": entries,
            "pauses": [
                {
                    "id": f"pause-{start}",
                    "start": model_day(start).isoformat(),
                    "end": model_day(end).isoformat(),
                    "note": None,
                }
                for start, end in pauses
            ],
        }
    )


def entry_files(home: Path) -> list[Path]:
    """Entry files (.md and .md.age), not temp files a killed writer may have left."""
    found = (home / "data" / "entries").rglob("*.md*")
    return sorted(
        p for p in found if not p.name.startswith(".") and p.name.endswith((".md", ".age"))
    )


def three_month_document(today: date) -> str:
    """About three months of writing ending on `today`: mostly daily, some days away, one
    declared pause, and each day's layer in rotation."""
    entries, day, n = [], today - timedelta(days=90), 0
    away = {5, 6, 17, 30, 31, 32, 50, 71, 72}
    while day <= today:
        offset = (day - (today - timedelta(days=90))).days
        if offset not in away and not 40 <= offset <= 45:
            n += 1
            entries.append(
                {
                    "id": f"{day.isoformat()}-203000-{n:06d}",
                    "created": f"{day.isoformat()}T20:30:00+01:00",
                    "day": day.isoformat(),
                    "tz": ZONE,
                    "theme": ("awareness", "connection", "compassion")[n % 3],
                    "prompt_id": None,
                    "prompt": None,
                    "mood": None,
                    "tags": [],
                    "text": f"Entry {n}.",
                }
            )
        day += timedelta(days=1)
    pause = {
        "id": "three-month-pause",
        "start": (today - timedelta(days=50)).isoformat(),
        "end": (today - timedelta(days=45)).isoformat(),
        "note": "a week at the sea",
    }
    return json.dumps(
        {"format": "layers-journal", "version": 1, "entries": entries, "pauses": [pause]}
    )


YEAR_TAGS = ("work", "walk", "Family", "sleep", "garden")

YEAR_WORDS = "slow breath tea window rain shoulders friend kitchen quiet light walk".split()


def year_document(year: int = 2026, seed: int = 17) -> dict:  # type: ignore[type-arg]
    """A generated year of writing, for the review and the book: most days one or two
    pages, stretches away, a pause, moods on some pages, tags, a few pages written a day
    or two later and a few written too late to count, and each layer in turn."""

    rng = random.Random(seed)
    entries = []
    day = date(year, 1, 1)
    n = 0
    while day.year == year:
        away = rng.random() < 0.22 or date(year, 7, 10) <= day <= date(year, 7, 24)
        if not away:
            for _ in range(rng.choice((1, 1, 1, 2))):
                n += 1
                late = rng.choice((0,) * 12 + (1, 2, 5))
                written = day + timedelta(days=late)
                hour = rng.choice((7, 12, 20, 23))
                words = " ".join(rng.choice(YEAR_WORDS) for _ in range(rng.randint(3, 40)))
                entries.append(
                    {
                        "id": f"{written.isoformat()}-{hour:02d}{n % 60:02d}00-y{n:05d}",
                        "created": f"{written.isoformat()}T{hour:02d}:{n % 60:02d}:00+01:00",
                        "day": day.isoformat(),
                        "tz": "Europe/Berlin",
                        "theme": rng.choice(("awareness", "connection", "compassion", None)),
                        "prompt_id": None,
                        "prompt": None,
                        "mood": rng.choice((None, None, 1, 2, 3, 4, 5)),
                        "tags": rng.sample(YEAR_TAGS, rng.choice((0, 0, 1, 2))),
                        "text": words.capitalize() + ".",
                    }
                )
        day += timedelta(days=1)
    pause = {
        "id": "summer-rest",
        "start": f"{year}-07-10",
        "end": f"{year}-07-20",
        "note": "the sea",
    }
    return {"format": "layers-journal", "version": 1, "entries": entries, "pauses": [pause]}


PAGES = ["A first page.", "A second page.", "A third page."]


def break_one_entry(home: Path) -> tuple[Path, list[str]]:
    """Three entries, one of them then broken by hand: the broken file, and the texts
    of the two still readable."""
    from helpers.cli import run_cli  # helpers.cli reads ZONE from here

    for text in PAGES:
        assert run_cli(home, "today", stdin=text).returncode == 0
    broken = entry_files(home)[1]
    readable = [page for page in PAGES if page not in broken.read_text()]
    broken.write_text("+++\nid = \n+++\nthe front matter is broken\n")
    return broken, readable
