"""Calendar weeks in the layers model: a series counted in weeks (kept weeks, chains
that survive one week not kept, returns and rhythm in weeks), and the shape of a
practice in weeks (a weekly pattern, the offer of an N/week rhythm)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from layers_journal.model.counting import active_days, paused_days
from layers_journal.model.layer_values import (
    DAY,
    KEPT,
    NOT_KEPT,
    OFFER_WEEKS,
    OPEN,
    PAUSED,
    WEEK,
    WEEKLY,
    Chapter,
    EntryFacts,
    Rhythm,
    RhythmChoice,
    Series,
)
from layers_journal.model.returns import summarise_returns


class WeekRule(NamedTuple):
    """When a calendar week is kept: presence under N/week, `pages` active days (or all
    its counted days, when fewer); a layer, touched in it or in the `reach` - 1
    non-paused weeks before it."""

    pages: int = 0
    reach: int = 1


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_end(day: date) -> date:
    return week_start(day) + timedelta(days=WEEK - 1)


def days_this_week(active: Sequence[date], today: date) -> int:
    """Active days (sorted) in the calendar week holding today, up to today."""
    start = bisect.bisect_left(active, week_start(today))
    return bisect.bisect_right(active, today) - start


def weekly_pattern(active: Sequence[date], rest: Sequence[date], today: date) -> bool:
    """Whether the last (one to six) complete calendar weeks from the first active day's,
    those holding rest days aside, each held between 1 and 6 active days, and every time
    away since the first of them ended with the first page of a week: pages on some days
    of each week, their gaps falling between the weeks (a weekend writer, Monday to
    Friday, once a week), not days away inside a week."""
    this_monday = week_start(today)
    monday = this_monday - timedelta(weeks=1)
    first_monday = week_start(active[0])
    held, since = 0, this_monday
    while monday >= first_monday and held < OFFER_WEEKS:
        sunday = monday + timedelta(days=WEEK - 1)
        if bisect.bisect_right(rest, sunday) == bisect.bisect_left(rest, monday):
            days = bisect.bisect_right(active, sunday) - bisect.bisect_left(active, monday)
            if not 1 <= days <= 6:
                return False
            held, since = held + 1, monday
        monday -= timedelta(weeks=1)
    if not held:
        return False
    # Time away going on inside this week is days away, whatever came before.
    last = active[-1]
    if last < today and week_start(last) == this_monday:
        between = bisect.bisect_right(rest, today) - bisect.bisect_right(rest, last)
        if (today - last).days - between > 1:
            return False
    start = max(1, bisect.bisect_left(active, since))
    for before, after in zip(active[start - 1 :], active[start:], strict=False):
        between = bisect.bisect_left(rest, after) - bisect.bisect_right(rest, before)
        away = (after - before).days - 1 - between > 0
        if away and week_start(before) == week_start(after):
            return False
    return True


def week_states(
    active: Sequence[date], idle_rest: Sequence[date], rule: WeekRule, today: date
) -> list[str]:
    """Each calendar week from the one holding the first active day to the one holding
    today: KEPT, NOT_KEPT, PAUSED (not kept, and holding a rest day without activity),
    and for the current week KEPT or OPEN. The first week is always kept."""
    first = active[0]
    origin = week_start(first).toordinal()
    count = (week_start(today).toordinal() - origin) // WEEK + 1
    written, resting = [0] * count, [0] * count
    for ordinal in map(date.toordinal, active):
        written[(ordinal - origin) // WEEK] += 1
    for day in idle_rest:
        at = (day.toordinal() - origin) // WEEK
        if at < count:
            resting[at] += 1
    states = [KEPT] * count
    # For the reach rule: the place, among the non-paused weeks so far, of the last
    # one touched.
    seen, touched_at = 1, 1  # the first week: kept, and touched
    last = count - 1
    for at in range(1, count):
        if rule.pages:
            counted = WEEK - resting[at]
            meets = counted > 0 and written[at] >= min(rule.pages, counted)
        else:  # touched in it, or in one of the reach - 1 non-paused weeks before
            meets = written[at] > 0 or seen - touched_at < rule.reach - 1
        if not meets:
            # Today stays open, and so does this week.
            states[at] = OPEN if at == last else PAUSED if resting[at] else NOT_KEPT
        if states[at] != PAUSED:
            seen += 1
            if written[at]:
                touched_at = seen
    return states


def week_series(
    active: Sequence[date],
    *,
    entries: int,
    strength: float,
    idle_rest: Sequence[date],
    rule: WeekRule,
    today: date,
    paused_today: bool,
) -> Series:
    """A series counted in calendar weeks: chains of kept weeks that survive one week
    not kept (never miss twice, a week at a time), returns in weeks, rhythm in weeks."""
    states = week_states(active, idle_rest, rule, today)
    first = active[0]
    origin = week_start(first)

    def start_of(at: int) -> date:
        return max(first, origin + timedelta(weeks=at))

    def end_of(at: int) -> date:
        return min(today, origin + timedelta(weeks=at, days=WEEK - 1))

    chains, comings_back, gap = walk_weeks(states)
    aways = [(away, first_in_week(active, at)) for at, away in comings_back]
    alive = gap <= 1
    if active[-1] == today:
        status = "written"
    elif paused_today:
        status = "paused"
    elif not alive:
        status = "resting"
    elif gap == 1:
        status = "grace"
    else:
        status = "open"
    current = chains[-1] if alive else None
    return Series(
        active_days=len(active),
        entries=entries,
        strength=strength,
        streak=current[2] if current else 0,
        best=max(chain[2] for chain in chains),
        graces=current[3] if current else 0,
        status=status,
        returns=summarise_returns(aways),
        first_day=first,
        last_day=active[-1],
        chapters=tuple(Chapter(start_of(a), end_of(b), n) for a, b, n, _ in chains),
        rhythm=week_rhythm(states),
        unit=WEEKLY,
        open_gap=gap,
        week_days=days_this_week(active, today),
    )


def walk_weeks(states: Sequence[str]) -> tuple[list[list[int]], list[tuple[int, int]], int]:
    """Chains of kept weeks, paused weeks left out, with at most one week not kept
    between two of them: [first week, last week, kept weeks, graces] each; the returns
    as (week, weeks away); and the weeks not kept since the last kept one."""
    chains: list[list[int]] = []
    comings_back: list[tuple[int, int]] = []
    gap = 0
    for at, state in enumerate(states):
        if state == KEPT:
            if chains and gap <= 1:
                chains[-1][1], chains[-1][2] = at, chains[-1][2] + 1
                chains[-1][3] += gap
            else:
                chains.append([at, at, 1, 0])
            if gap:
                comings_back.append((at, gap))
            gap = 0
        elif state == NOT_KEPT:
            gap += 1
    return chains, comings_back, gap


def week_returns(
    entries: Iterable[EntryFacts],
    pauses: Iterable[tuple[date, date]],
    today: date,
    rhythm: RhythmChoice,
) -> list[tuple[date, int]]:
    """Each return of presence counted in weeks: (the first day of the week of coming
    back, weeks away), oldest first (a review lists those in its period)."""
    spans = list(pauses)
    presence, _ = active_days(entries, today)
    if not presence:
        return []
    active = sorted(presence)
    ahead = set(active)
    idle = [day for day in paused_days(spans, week_end(today)) if day not in ahead]
    states = week_states(active, idle, WeekRule(pages=rhythm.pages), today)
    return [(first_in_week(active, at), away) for at, away in walk_weeks(states)[1]]


def first_in_week(active: Sequence[date], at: int) -> date:
    """The first active day in the series' week number `at` (its first day when none)."""
    start = max(active[0], week_start(active[0]) + timedelta(weeks=at))
    found = bisect.bisect_left(active, start)
    if found < len(active) and week_start(active[found]) == week_start(start):
        return active[found]
    return start


def week_rhythm(states: Sequence[str]) -> Rhythm:
    """The current week if kept, then the complete weeks before it, newest first, up to
    eight positions; paused positions are shown but not counted."""
    current = states[-1]
    positions = list(states if current == KEPT else states[:-1])
    marks = tuple(positions[-8:])
    running = 0
    for state in reversed(positions):
        if state == NOT_KEPT:
            break
        running += state == KEPT
    return Rhythm(
        kept=marks.count(KEPT),
        of=len(marks) - marks.count(PAUSED),
        window=WEEK,
        marks=marks,
        running=running,
        this_week=current,
    )


def suggest_rhythm(
    presence: Mapping[date, int], series: Series, rest: Sequence[date], today: date
) -> RhythmChoice | None:
    """The offer: `M/week` when each of the last six complete calendar weeks is free of
    pauses and holds 1 to 6 active days, presence (in days) came back at least three
    times in them and is not resting; M is the fewest days any of them held."""
    this_monday = week_start(today)
    since = this_monday - timedelta(weeks=OFFER_WEEKS)
    if series.unit != DAY or series.status in ("resting", "not_started"):
        return None
    if bisect.bisect_left(rest, this_monday) != bisect.bisect_left(rest, since):
        return None  # a rest day in the six weeks
    written = sorted(presence)
    held = [
        bisect.bisect_left(written, since + timedelta(weeks=n + 1))
        - bisect.bisect_left(written, since + timedelta(weeks=n))
        for n in range(OFFER_WEEKS)
    ]
    if not all(1 <= n <= 6 for n in held):
        return None
    comings_back = 0
    start = max(1, bisect.bisect_left(written, since))
    end = bisect.bisect_left(written, this_monday)
    for before, after in zip(written[start - 1 : end - 1], written[start:end], strict=True):
        # Days between that are not rest days (only those before the six weeks can be).
        between = bisect.bisect_left(rest, after) - bisect.bisect_right(rest, before)
        comings_back += (after - before).days - 1 - between > 0
    if comings_back < 3:
        return None
    return RhythmChoice(min(held))
