"""The layers model (docs: LAYERS-MODEL.md): pure functions of entries, pauses, config, today.

No I/O and no clock here. Each series (presence, and one per layer) is a set of active
days; from it come strength (Loop Habit Tracker's exponential smoothing), chains with
grace, returns after time away, and the stacked view where awareness supports the rest.

Here the model is put together and a series counted in days; its parts stand beside
it: layer_values.py (the names and values), counting.py (which entries count),
returns.py (chains and returns), weeks.py (a series counted in calendar weeks, and the
offer of a rhythm). Every name of theirs can be imported from here too.
"""

from __future__ import annotations

import bisect
import itertools
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import ModuleType

from layers_journal.model import counting, layer_values, returns, weeks
from layers_journal.model.counting import (
    active_days,
    counts,
    day_themes,
    paused_days,
    within_backfill,
    written_day,
)
from layers_journal.model.layer_values import (
    BACKFILL_DAYS,
    DAILY,
    DAILY_PRESENCE,
    DAY,
    KEPT,
    LAYERS,
    NOT_KEPT,
    OFFER_EVERY_DAYS,
    OFFER_WEEKS,
    OPEN,
    PAUSED,
    SERIES,
    WEEK,
    WEEKLY,
    Cadence,
    Chapter,
    EntryFacts,
    Report,
    Returns,
    Rhythm,
    RhythmChoice,
    Series,
    next_layer,
    parse_rhythm,
    rhythm_for_cadence,
)
from layers_journal.model.returns import (
    compute_returns,
    median,
    split_chains,
    summarise_returns,
)
from layers_journal.model.weeks import (
    WeekRule,
    days_this_week,
    first_in_week,
    suggest_rhythm,
    walk_weeks,
    week_end,
    week_returns,
    week_rhythm,
    week_series,
    week_start,
    week_states,
    weekly_pattern,
)

__all__ = [
    "BACKFILL_DAYS",
    "DAILY",
    "DAILY_PRESENCE",
    "DAY",
    "KEPT",
    "LAYERS",
    "NOT_KEPT",
    "OFFER_EVERY_DAYS",
    "OFFER_WEEKS",
    "OPEN",
    "PAUSED",
    "SERIES",
    "WEEK",
    "WEEKLY",
    "Cadence",
    "Chapter",
    "EntryFacts",
    "Report",
    "Returns",
    "Rhythm",
    "RhythmChoice",
    "Series",
    "WeekRule",
    "active_days",
    "code_modules",
    "compute_layers",
    "compute_presence",
    "compute_returns",
    "compute_rhythm",
    "compute_series",
    "counts",
    "day_themes",
    "days_this_week",
    "first_in_week",
    "median",
    "next_layer",
    "parse_rhythm",
    "paused_days",
    "presence_and_offer",
    "rhythm_for_cadence",
    "series_of",
    "split_chains",
    "strength",
    "suggest_rhythm",
    "summarise_returns",
    "walk_weeks",
    "week_end",
    "week_returns",
    "week_rhythm",
    "week_series",
    "week_start",
    "week_states",
    "weekly_pattern",
    "within_backfill",
    "written_day",
]


def code_modules() -> tuple[ModuleType, ...]:
    """Every module the model's result is computed by: this one and its parts. A kept
    result is keyed by the code of all of them (journal/progress.py), so a change to any
    one computes it afresh; a test checks that this list misses none."""
    return (sys.modules[__name__], layer_values, counting, returns, weeks)


def compute_layers(
    entries: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    today: date,
    rhythm: RhythmChoice = DAILY,
) -> Report:
    """The whole model as of `today`, in the units of the person's rhythm."""
    spans = list(pauses)
    presence_days, by_layer = active_days(entries, today)
    rest = paused_days(spans, today)
    # The current week's declared rest days ahead of today leave its days uncounted too.
    ahead = paused_days(spans, week_end(today))
    series = {
        layer: series_of(days, rest, ahead, rhythm, layer, today)
        for layer, days in by_layer.items()
    }
    presence = series_of(presence_days, rest, ahead, rhythm, "presence", today)
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
        presence=presence,
        layers=series,
        heights=heights,
        support=support,
        resilience=resilience,
        rhythm=rhythm,
        suggested_rhythm=None
        if rhythm.chosen
        else suggest_rhythm(presence_days, presence, rest, today),
    )


def compute_presence(
    entries: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    today: date,
    rhythm: RhythmChoice = DAILY,
) -> Series:
    """Just the presence series (all a saved entry's closing line needs)."""
    return presence_and_offer(entries, pauses, today, rhythm)[0]


def presence_and_offer(
    entries: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    today: date,
    rhythm: RhythmChoice = DAILY,
) -> tuple[Series, RhythmChoice | None]:
    """The presence series and the rhythm the model would offer (as compute_layers
    gives them), without the three layers' series."""
    spans = list(pauses)
    presence_days, _ = active_days(entries, today)
    rest, ahead = paused_days(spans, today), paused_days(spans, week_end(today))
    presence = series_of(presence_days, rest, ahead, rhythm, "presence", today)
    offer = None if rhythm.chosen else suggest_rhythm(presence_days, presence, rest, today)
    return presence, offer


def series_of(
    entries_by_day: Mapping[date, int],
    rest: Sequence[date],
    ahead: Sequence[date],
    rhythm: RhythmChoice,
    name: str,
    today: date,
) -> Series:
    """One series in the unit its rhythm counts it in."""
    cadence = rhythm.cadence(name)
    if rhythm.unit(name) == DAY:
        return compute_series(entries_by_day, rest, cadence, today)
    rule = (
        WeekRule(pages=rhythm.pages) if name == "presence" else WeekRule(reach=rhythm.layer_weeks)
    )
    return compute_series(entries_by_day, rest, cadence, today, weeks=rule, ahead=ahead)


def compute_series(
    entries_by_day: Mapping[date, int],
    rest: Sequence[date],
    cadence: Cadence,
    today: date,
    *,
    weeks: WeekRule | None = None,
    ahead: Sequence[date] = (),
) -> Series:
    """One series from its active days (day → counted entries) and the paused days
    (`ahead`: those up to the end of this week, for a series counted in weeks)."""
    unit = DAY if weeks is None else WEEKLY
    active = sorted(entries_by_day)
    if not active:
        return Series(rhythm=Rhythm(window=WEEK if weeks else cadence.w), unit=unit)
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
    settled = strength(positions, length, cadence)
    paused_today = bool(rest) and rest[-1] == today
    if weeks is not None:
        idle_ahead = [day for day in ahead if day >= first and day not in active_set]
        return week_series(
            active,
            entries=sum(entries_by_day.values()),
            strength=settled,
            idle_rest=idle_ahead,
            rule=weeks,
            today=today,
            paused_today=paused_today,
        )
    gaps = [b - a - 1 for a, b in itertools.pairwise(positions)]
    open_gap = length - 1 - positions[-1]
    grace, slack = cadence.grace, cadence.slack
    chains = split_chains(active, gaps, grace)
    alive = open_gap <= grace
    current = chains[-1] if alive else None
    current_gaps = gaps[len(gaps) - (current.length - 1) :] if current else []
    if last == today:
        status = "written"
    elif paused_today:
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
        strength=settled,
        streak=current.length if current else 0,
        best=max(chain.length for chain in chains),
        graces=sum(gap - slack for gap in current_gaps if gap > slack),
        status=status,
        returns=compute_returns(active, gaps, slack, grace),
        first_day=first,
        last_day=last,
        chapters=tuple(chains),
        rhythm=compute_rhythm(active, idle_rest, cadence, today),
        unit=DAY,
        open_gap=max(0, open_gap),
        week_days=days_this_week(active, today),
        weekly_pattern=weekly_pattern(active, rest, today),
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
