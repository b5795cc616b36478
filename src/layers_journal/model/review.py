"""`journal review`: a period at a glance, and the prompts that look back on it.

Pure: the entries, the model's facts, the pauses and the day come in as arguments, and
nothing here reads a clock or a file. A period is a calendar week (Monday to Sunday), a
calendar month or a calendar year holding the as-of day; days after it wait.

What a period's figures count is what the layers count (LAYERS-MODEL.md): pages about a
day in the period, written by the as-of day and within the backfill window. A written
review is never counted: it looks back on pages that already were.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from layers_journal.days import wall_clock_day

from .layers import (
    DAILY,
    LAYERS,
    EntryFacts,
    RhythmChoice,
    active_days,
    compute_presence,
    counts,
    paused_days,
    week_returns,
    written_day,
)

if TYPE_CHECKING:
    from .entry import Entry
    from .prompt import Prompt

PERIODS = ("week", "month", "year")
REVIEW = "review"
# How many recurring tags a review names.
SHOWN_TAGS = 8


class Period(NamedTuple):
    name: str  # week, month or year
    first: date
    last: date  # the period's own last day, perhaps after as_of
    as_of: date

    @property
    def end(self) -> date:
        """The last day looked at: the period's end, or the as-of day within it."""
        return min(self.last, self.as_of)

    @property
    def days(self) -> int:
        return (self.end - self.first).days + 1

    @property
    def complete(self) -> bool:
        return self.as_of >= self.last

    def number(self) -> int:
        """Consecutive periods of a kind get consecutive numbers."""
        if self.name == "week":
            return self.first.toordinal() // 7
        if self.name == "month":
            return self.first.year * 12 + self.first.month - 1
        return self.first.year


def period_of(name: str, as_of: date) -> Period:
    """The calendar week, month or year holding as_of."""
    if name == "week":
        first = as_of - timedelta(days=as_of.weekday())
        return Period(name, first, first + timedelta(days=6), as_of)
    if name == "month":
        first = as_of.replace(day=1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return Period(name, first, following - timedelta(days=1), as_of)
    if name == "year":
        return Period(name, date(as_of.year, 1, 1), date(as_of.year, 12, 31), as_of)
    raise ValueError(f"unknown period {name!r}")


class Tally(NamedTuple):
    entries: int = 0
    days: int = 0

    def to_json(self) -> dict[str, int]:
        return {"entries": self.entries, "days": self.days}


class MoodPoint(NamedTuple):
    label: str  # 2026-11-23 for a day, 2026-11 for a month
    mood: float | None  # the mean of the moods noted then, or None


class Figures(NamedTuple):
    period: Period
    presence: Tally
    layers: Mapping[str, Tally]
    no_layer: Tally
    words: int
    moods: Sequence[MoodPoint]  # empty when no mood was noted in the period
    returns: Sequence[tuple[date, int]]  # (the day of coming back, time away in `unit`s)
    tags: Sequence[tuple[str, int]]  # tags on two or more pages, most used first
    reviews: int  # reviews written about this period before
    unit: str = "day"  # what returns are counted in: days, or weeks under N/week
    # Under the daily rhythm, pages on some days of each week: their gaps are the shape
    # of the practice, not time away, so the words leave them out (the JSON keeps them).
    weekly: bool = False
    exercises: Mapping[str, int] = {}  # counted exercise pages, by exercise, most first

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.name,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "as_of": self.period.as_of.isoformat(),
            "days": self.period.days,
            "presence": self.presence.to_json(),
            "layers": {layer: self.layers[layer].to_json() for layer in LAYERS},
            "no_layer": self.no_layer.to_json(),
            "words": self.words,
            "moods": [{"when": point.label, "mood": point.mood} for point in self.moods],
            "returns": [
                {"day": day.isoformat(), "away": away, "unit": self.unit}
                for day, away in self.returns
            ],
            "tags": [{"tag": tag, "entries": n} for tag, n in self.tags],
            "reviews": self.reviews,
            "exercises": dict(self.exercises),
        }


def counted_in(entry: Entry, period: Period, day_start: time) -> bool:
    """Whether a page counts in the period's figures (see the module's docstring)."""
    # An exercise is a page of its layer; a review looks back on pages already counted.
    if entry.kind not in (None, "exercise") or not period.first <= entry.day <= period.end:
        return False
    created_day = written_day(entry.day, wall_clock_day(entry.created_local, day_start))
    return counts(EntryFacts(entry.day, created_day, entry.theme), period.as_of)


def review_figures(
    entries: Iterable[Entry],
    *,
    period: Period,
    day_start: time,
    facts: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    rhythm: RhythmChoice = DAILY,
) -> Figures:
    """The figures of a period from its entries (with text) and the whole journal's
    facts and pauses (for the returns, which need the days before the period too)."""
    facts, pauses = list(facts), list(pauses)
    pages: list[Entry] = []
    reviews = 0
    for entry in entries:
        if entry.kind == REVIEW and entry.covers == (period.first, period.last):
            reviews += 1
        elif counted_in(entry, period, day_start):
            pages.append(entry)
    by_layer = {layer: tally(e for e in pages if e.theme == layer) for layer in LAYERS}
    return Figures(
        period=period,
        presence=tally(pages),
        layers=by_layer,
        no_layer=tally(e for e in pages if e.theme is None),
        words=sum(len(entry.text.split()) for entry in pages),
        moods=mood_points(pages, period),
        returns=returns_in(facts, pauses, period, rhythm),
        tags=recurring_tags(pages),
        reviews=reviews,
        unit=rhythm.unit("presence"),
        weekly=rhythm.per_week is None
        and compute_presence(facts, pauses, period.as_of, rhythm).weekly_pattern,
        exercises=exercise_counts(pages),
    )


def exercise_counts(pages: Iterable[Entry]) -> dict[str, int]:
    """How many of the pages were each exercise, the most done first."""
    found = Counter(entry.exercise for entry in pages if entry.exercise is not None)
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def tally(pages: Iterable[Entry]) -> Tally:
    found = list(pages)
    return Tally(len(found), len({entry.day for entry in found}))


def mood_points(pages: Sequence[Entry], period: Period) -> list[MoodPoint]:
    """Mood across the period: per day for a week or a month, per month for a year."""
    if not any(entry.mood is not None for entry in pages):
        return []
    monthly = period.name == "year"
    noted: dict[str, list[int]] = {}
    for entry in pages:
        if entry.mood is not None:
            key = f"{entry.day:%Y-%m}" if monthly else entry.day.isoformat()
            noted.setdefault(key, []).append(entry.mood)
    if monthly:
        labels = [f"{period.first.year}-{month:02d}" for month in range(1, period.end.month + 1)]
    else:
        labels = [(period.first + timedelta(days=n)).isoformat() for n in range(period.days)]
    return [
        MoodPoint(label, sum(noted[label]) / len(noted[label]) if label in noted else None)
        for label in labels
    ]


def recurring_tags(pages: Iterable[Entry]) -> list[tuple[str, int]]:
    """Tags on two or more pages (whatever their case), most used first."""
    spelling: dict[str, str] = {}
    seen: dict[str, int] = {}
    for entry in pages:
        for tag in {tag.lower(): tag for tag in entry.tags}.values():
            spelling.setdefault(tag.lower(), tag)
            seen[tag.lower()] = seen.get(tag.lower(), 0) + 1
    ranked = sorted(
        ((spelling[key], n) for key, n in seen.items() if n >= 2),
        key=lambda item: (-item[1], item[0].lower()),
    )
    return ranked[:SHOWN_TAGS]


def returns_in(
    facts: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    period: Period,
    rhythm: RhythmChoice = DAILY,
) -> list[tuple[date, int]]:
    """Each coming back to the page inside the period, with the time away before it,
    as the layers model counts returns for presence (paused days are not time away):
    in days, or under N/week in weeks (dated by the week's first day)."""
    if rhythm.per_week is not None:
        found = week_returns(facts, pauses, period.as_of, rhythm)
        return [(day, away) for day, away in found if period.first <= day <= period.end]
    slack = 0
    presence, _ = active_days(facts, period.as_of)
    rest = set(paused_days(pauses, period.as_of))
    written = sorted(presence)
    found = []
    for before, after in itertools.pairwise(written):
        if not period.first <= after <= period.end:
            continue
        between = (after - before).days - 1
        gap = between - sum(1 for n in range(1, between + 1) if before + timedelta(days=n) in rest)
        if gap > slack:
            found.append((after, gap - slack))
    return found


def review_prompts(library: Iterable[Prompt], period: Period) -> dict[str, Prompt]:
    """One review prompt per layer, the same all through a period; consecutive periods
    walk on through each layer's list, so none repeats until all have been offered."""
    chosen = {}
    for layer in LAYERS:
        mine = sorted((p for p in library if p.theme == layer and p.depth == REVIEW), key=id_of)
        if mine:
            chosen[layer] = mine[period.number() % len(mine)]
    return chosen


def id_of(prompt: Prompt) -> str:
    return prompt.id


def prompt_block(prompts: Mapping[str, Prompt]) -> str:
    """The review's prompts as kept in its front matter: one line per layer."""
    return "\n".join(f"{layer}: {prompts[layer].text}" for layer in LAYERS if layer in prompts)
