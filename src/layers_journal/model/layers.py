"""The layers model (docs: LAYERS-MODEL.md): pure functions of entries, pauses, config, today.

No I/O and no clock here. Each series (presence, and one per layer) is a set of active
days; from it come strength (Loop Habit Tracker's exponential smoothing), chains with
grace, returns after time away, and the stacked view where awareness supports the rest.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

LAYERS = ("awareness", "connection", "compassion")
SERIES = ("presence", *LAYERS)
# An entry written up to this many days after the day it is about still counts.
BACKFILL_DAYS = 3


class Cadence(NamedTuple):
    """k active days per w days; grace G = ceil(w/k), slack s = G - 1."""

    k: int
    w: int

    @property
    def grace(self) -> int:
        return -(-self.w // self.k)

    @property
    def slack(self) -> int:
        return self.grace - 1

    def __str__(self) -> str:
        return f"{self.k}/{self.w}"


DEFAULT_CADENCES = {
    "presence": Cadence(1, 1),
    "awareness": Cadence(1, 7),
    "connection": Cadence(1, 7),
    "compassion": Cadence(1, 7),
}


class EntryFacts(NamedTuple):
    """What the model needs of one entry."""

    day: date
    created_day: date
    theme: str | None
    entries: int = 1  # how many entries share these facts


class Returns(NamedTuple):
    total: int = 0
    last: int | None = None
    typical: float | None = None
    previous: float | None = None
    trend: str | None = None
    last_day: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "last": self.last,
            "typical": self.typical,
            "previous": self.previous,
            "trend": self.trend,
        }


class Chapter(NamedTuple):
    """One chain of active days, kept once it rests."""

    first: date
    last: date
    active_days: int


KEPT, NOT_KEPT, PAUSED = "kept", "not_kept", "paused"


class Rhythm(NamedTuple):
    """The recent windows of w days, newest ending today (or yesterday while today is
    open): how many were kept of those counted. `marks` are the shown windows oldest to
    newest (KEPT, NOT_KEPT, PAUSED); `running` is how many windows in a row were kept back
    from the newest, paused ones skipped, looking past the shown ones to the first day."""

    kept: int = 0
    of: int = 0
    window: int = 1
    marks: tuple[str, ...] = ()
    running: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"kept": self.kept, "of": self.of, "window": self.window}


class Series(NamedTuple):
    active_days: int = 0
    entries: int = 0
    strength: float = 0.0
    streak: int = 0
    best: int = 0
    graces: int = 0
    status: str = "not_started"
    returns: Returns = Returns()
    first_day: date | None = None
    last_day: date | None = None
    chapters: tuple[Chapter, ...] = ()
    rhythm: Rhythm = Rhythm()

    def to_json(self) -> dict[str, Any]:
        return {
            "active_days": self.active_days,
            "entries": self.entries,
            "strength": self.strength,
            "streak": self.streak,
            "best": self.best,
            "graces": self.graces,
            "status": self.status,
            "returns": self.returns.to_json(),
            "rhythm": self.rhythm.to_json(),
        }


class Report(NamedTuple):
    as_of: date
    presence: Series
    layers: Mapping[str, Series]
    heights: Mapping[str, float]
    support: float
    resilience: float

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "presence": self.presence.to_json(),
            "layers": {
                name: {**series.to_json(), "height": self.heights[name]}
                for name, series in self.layers.items()
            },
            "support": self.support,
            "resilience": self.resilience,
        }


def next_layer(last_theme: str | None) -> str:
    """awareness → connection → compassion → awareness; awareness to begin with."""
    if last_theme is None:
        return LAYERS[0]
    return LAYERS[(LAYERS.index(last_theme) + 1) % len(LAYERS)]


def within_backfill(day: date, created_day: date) -> bool:
    """Written on the day it is about, or at most BACKFILL_DAYS later: the one place the
    backfill rule lives (the index stores its answer per entry)."""
    return 0 <= (created_day - day).days <= BACKFILL_DAYS


def written_day(day: date, created_day: date) -> date:
    """The day an entry counts as written on: its created_day, except for an entry about
    the day after it (a late-night entry an import keeps on its tool's calendar date,
    LAYERS-MODEL.md "Counting entries"), which counts as written on its own day."""
    return day if (day - created_day).days == 1 else created_day


def counts(facts: EntryFacts, today: date) -> bool:
    """An entry counts once today reaches it, if written within the backfill window."""
    return facts.created_day <= today and within_backfill(facts.day, facts.created_day)


def paused_days(pauses: Iterable[tuple[date, date]], today: date) -> list[date]:
    """Every declared rest day up to today, sorted, overlaps merged."""
    days: set[date] = set()
    for start, end in pauses:
        day = start
        while day <= min(end, today):
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def compute_layers(
    entries: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    today: date,
    cadences: Mapping[str, Cadence] | None = None,
) -> Report:
    """The whole model as of `today`."""
    cadences = cadences or DEFAULT_CADENCES
    presence, by_layer = active_days(entries, today)
    rest = paused_days(pauses, today)
    series = {
        layer: compute_series(days, rest, cadences[layer], today)
        for layer, days in by_layer.items()
    }
    support = 0.5 + 0.5 * series["awareness"].strength
    heights = {
        layer: item.strength * (1.0 if layer == "awareness" else support)
        for layer, item in series.items()
    }
    resilience = (
        0.5 * heights["awareness"] + 0.25 * heights["connection"] + 0.25 * heights["compassion"]
    )
    return Report(
        as_of=today,
        presence=compute_series(presence, rest, cadences["presence"], today),
        layers=series,
        heights=heights,
        support=support,
        resilience=resilience,
    )


def compute_presence(
    entries: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    today: date,
    cadence: Cadence = DEFAULT_CADENCES["presence"],
) -> Series:
    """Just the presence series (all a saved entry's closing line needs)."""
    presence, _ = active_days(entries, today)
    return compute_series(presence, paused_days(pauses, today), cadence, today)


def active_days(
    entries: Iterable[EntryFacts], today: date
) -> tuple[dict[date, int], dict[str, dict[date, int]]]:
    """Counted entries per day: for presence, and for each layer."""
    presence: dict[date, int] = {}
    by_layer: dict[str, dict[date, int]] = {layer: {} for layer in LAYERS}
    for facts in entries:
        if not counts(facts, today):
            continue
        presence[facts.day] = presence.get(facts.day, 0) + facts.entries
        if facts.theme in by_layer:
            layer_days = by_layer[facts.theme]
            layer_days[facts.day] = layer_days.get(facts.day, 0) + facts.entries
    return presence, by_layer


def compute_series(
    entries_by_day: Mapping[date, int],
    rest: Sequence[date],
    cadence: Cadence,
    today: date,
) -> Series:
    """One series from its active days (day → counted entries) and the paused days."""
    active = sorted(entries_by_day)
    if not active:
        return Series(rhythm=Rhythm(window=cadence.w))
    first, last = active[0], active[-1]
    # Timeline positions: days from the first active day to today, without paused days
    # that have no activity here, and without today while it is still unwritten.
    active_set = set(active)
    idle_rest = [day for day in rest if day >= first and day not in active_set]
    origin = first.toordinal()
    if idle_rest:
        positions = [d.toordinal() - origin - bisect.bisect_left(idle_rest, d) for d in active]
    else:
        positions = [d.toordinal() - origin for d in active]
    length = today.toordinal() - origin + 1 - len(idle_rest)
    if today not in active_set and not (idle_rest and idle_rest[-1] == today):
        length -= 1
    gaps = [b - a - 1 for a, b in itertools.pairwise(positions)]
    open_gap = length - 1 - positions[-1]
    grace, slack = cadence.grace, cadence.slack
    chains = split_chains(active, gaps, grace)
    alive = open_gap <= grace
    current = chains[-1] if alive else None
    current_gaps = gaps[len(gaps) - (current.active_days - 1) :] if current else []
    if last == today:
        status = "written"
    elif rest and rest[-1] == today:
        status = "paused"
    elif not alive:
        status = "resting"
    elif open_gap <= slack:
        status = "open"
    else:
        status = "grace"
    return Series(
        active_days=len(active),
        entries=sum(entries_by_day.values()),
        strength=strength(positions, length, cadence),
        streak=current.active_days if current else 0,
        best=max(chain.active_days for chain in chains),
        graces=sum(gap - slack for gap in current_gaps if gap > slack),
        status=status,
        returns=compute_returns(active, gaps, slack),
        first_day=first,
        last_day=last,
        chapters=tuple(chains),
        rhythm=compute_rhythm(active, idle_rest, cadence, today),
    )


def compute_rhythm(
    active: Sequence[date], idle_rest: Sequence[date], cadence: Cadence, today: date
) -> Rhythm:
    """Calendar windows of w days back from today (yesterday while today is unwritten),
    clipped at the first active day: kept, not kept, or paused when every day in it is
    a paused day without activity. `active` and `idle_rest` sorted, idle_rest only the
    paused days without activity from the first active day on."""
    k, w = cadence.k, cadence.w
    shown = 28 if w == 1 else 8
    first = active[0].toordinal()
    end = today.toordinal() if active[-1] == today else today.toordinal() - 1
    # Walk back window by window, two cursors counting the active and the idle paused
    # days inside each (both lists are sorted and every day in them is <= end).
    days, rest = active, idle_rest
    day_at, rest_at = len(days), bisect.bisect_right(rest, date.fromordinal(end))
    marks: list[str] = []
    running, still_running = 0, True
    while end >= first and (still_running or len(marks) < shown):
        if w == 1 and len(marks) >= shown and not rest_at:
            # Daily windows past the shown ones and no pause left: what remains of the
            # run is the days written one after another up to end (ordinal - index is
            # the same all along such a run), found by bisection in a long journal.
            if days[day_at - 1].toordinal() == end:
                target = end - (day_at - 1)
                running += day_at - bisect.bisect_left(
                    range(day_at), target, key=lambda i: days[i].toordinal() - i
                )
            break
        start = max(first, end - w + 1)
        written = day_at
        while day_at and days[day_at - 1].toordinal() >= start:
            day_at -= 1
        written -= day_at
        resting = rest_at
        while rest_at and rest[rest_at - 1].toordinal() >= start:
            rest_at -= 1
        counted = end - start + 1 - (resting - rest_at)
        if counted == 0:
            mark = PAUSED
        elif written >= min(k, counted):
            mark = KEPT
            running += still_running
        else:
            mark = NOT_KEPT
            still_running = False
        if len(marks) < shown:
            marks.append(mark)
        end = start - 1
    marks.reverse()
    return Rhythm(
        kept=marks.count(KEPT),
        of=len(marks) - marks.count(PAUSED),
        window=w,
        marks=tuple(marks),
        running=running,
    )


def split_chains(active: Sequence[date], gaps: Sequence[int], grace: int) -> list[Chapter]:
    chains: list[Chapter] = []
    start = 0
    for index, gap in enumerate(gaps, 1):
        if gap > grace:
            chains.append(Chapter(active[start], active[index - 1], index - start))
            start = index
    chains.append(Chapter(active[start], active[-1], len(active) - start))
    return chains


def compute_returns(active: Sequence[date], gaps: Sequence[int], slack: int) -> Returns:
    aways = [(gap - slack, day) for gap, day in zip(gaps, active[1:], strict=True) if gap > slack]
    if not aways:
        return Returns()
    values = [away for away, _ in aways]
    typical = median(values[-3:])
    previous = median(values[-6:-3]) if len(values) > 3 else None
    trend = None
    if previous is not None:
        trend = "quicker" if typical < previous else "slower" if typical > previous else "steady"
    return Returns(
        total=len(values),
        last=values[-1],
        typical=typical,
        previous=previous,
        trend=trend,
        last_day=aways[-1][1],
    )


def median(values: Sequence[int]) -> float:
    """The median of a few numbers (the statistics module is slow to import)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def strength(positions: Sequence[int], length: int, cadence: Cadence) -> float:
    """Loop Habit Tracker's score over timeline positions 0..length-1 (active ones given)."""
    multiplier = 0.5 ** (math.sqrt(cadence.k / cadence.w) / 13)
    score = 0.0
    if cadence.k == cadence.w:
        previous, gain = -1, 1 - multiplier
        for position in positions:
            if position - previous > 1:  # decay over the days between
                score *= multiplier ** (position - previous - 1)
            score = multiplier * score + gain
            previous = position
        return float(score * multiplier ** (length - 1 - previous))
    # Fewer than one a day: x = share of the last 2w positions that were active (capped).
    # x only changes where an active day enters or leaves the window, and between such
    # events n steps of s = m*s + (1-m)*x add up to s = m^n*s + (1-m^n)*x.
    window, target = 2 * cadence.w, 2 * cadence.k
    leaving = [p + window for p in positions if p + window < length]
    events = sorted([(p, 1) for p in positions] + [(p, -1) for p in leaving])
    count = 0
    step = 0
    index = positions[0] if positions else length
    while index < length:
        while step < len(events) and events[step][0] == index:
            count += events[step][1]
            step += 1
        following = events[step][0] if step < len(events) else length
        factor = multiplier ** (following - index)
        score = factor * score + (1 - factor) * min(1.0, count / target)
        index = following
    return score


def day_themes(
    entries: Iterable[EntryFacts], today: date, since: date
) -> dict[date, set[str | None]]:
    """For the calendar: the layers written on each counted day from since to today."""
    days: dict[date, set[str | None]] = {}
    for facts in entries:
        if since <= facts.day <= today and counts(facts, today):
            days.setdefault(facts.day, set()).add(facts.theme)
    return days
