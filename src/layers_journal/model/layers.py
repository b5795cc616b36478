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


DAILY_PRESENCE = Cadence(1, 1)
WEEK = 7
# The rhythm's offer looks at this many complete weeks, and is said at most this often.
OFFER_WEEKS = 6
OFFER_EVERY_DAYS = 28
DAY, WEEKLY = "day", "week"  # a series' unit


class RhythmChoice(NamedTuple):
    """The person's rhythm (config `rhythm`): daily, or N pages a week (1 to 6).
    `chosen` says it was set on purpose (an explicit daily silences the offer)."""

    per_week: int | None = None  # None: daily
    chosen: bool = False

    @property
    def pages(self) -> int:
        """Pages a week the rhythm means (7 for daily)."""
        return WEEK if self.per_week is None else self.per_week

    @property
    def layer_weeks(self) -> int:
        """L: a layer is kept in a week touched in it or in the L - 1 weeks before, as the
        daily rotation brings each layer round about every 3/p weeks."""
        return max(1, -(-3 // self.pages))

    def cadence(self, series: str) -> Cadence:
        """The cadence strength uses: presence 1/1 or N/7, a layer 1/(7·L)."""
        if series == "presence":
            return DAILY_PRESENCE if self.per_week is None else Cadence(self.per_week, WEEK)
        return Cadence(1, WEEK * self.layer_weeks)

    def unit(self, series: str) -> str:
        return DAY if series == "presence" and self.per_week is None else WEEKLY

    def __str__(self) -> str:
        return "daily" if self.per_week is None else f"{self.per_week}/week"


DAILY = RhythmChoice()


def parse_rhythm(text: str, *, chosen: bool = True) -> RhythmChoice:
    """'daily' or 'N/week' (N from 1 to 6); ValueError with a sentence otherwise."""
    value = text.strip().lower()
    if value == "daily":
        return RhythmChoice(None, chosen)
    number, _, unit = value.partition("/")
    if unit == "week" and number.isdigit() and 1 <= int(number) <= 6:
        return RhythmChoice(int(number), chosen)
    raise ValueError(
        f"A rhythm is daily or a number of pages a week from 1/week to 6/week, not {text!r}."
    )


def rhythm_for_cadence(cadence: str) -> RhythmChoice | None:
    """The rhythm that says what an old cadence.presence k/w said, if one does."""
    try:
        k_text, w_text = cadence.split("/")
        k, w = int(k_text), int(w_text)
    except ValueError:
        return None
    if k == w >= 1:
        return RhythmChoice(None, True)
    if w == WEEK and 1 <= k <= 6:
        return RhythmChoice(k, True)
    return None


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
    last_day: date | None = None  # the day of the latest return (a week's first day)
    recent: tuple[int, ...] = ()  # the latest (up to) three times away, oldest first
    # The returns after a chain came to rest (time away longer than its grace), apart
    # from the single days or weeks off that grace carried: how many, and the latest
    # (up to) six times away, oldest first.
    rested_total: int = 0
    rested: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "last": self.last,
            "typical": self.typical,
            "previous": self.previous,
            "trend": self.trend,
        }


class Chapter(NamedTuple):
    """One chain, kept once it rests: its first and last day, and how many days (or
    kept weeks, for a series counted in weeks) it held."""

    first: date
    last: date
    length: int


KEPT, NOT_KEPT, PAUSED, OPEN = "kept", "not_kept", "paused", "open"


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
    # For a series counted in weeks: the week holding today, KEPT or OPEN (or PAUSED
    # when it is not kept and holds a declared rest day); "" for a series in days.
    this_week: str = ""

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
    unit: str = DAY
    # Units not kept since the last kept one, up to today (never shown as a number
    # while it goes on; the words after a save welcome someone back with it).
    open_gap: int = 0
    week_days: int = 0  # active days in the calendar week holding today
    # For a series in days: each recent complete calendar week (one to six, rest weeks
    # aside) held a page but not one every day, so its gaps are the shape of a weekly
    # practice rather than time away (the words then say so, not "welcome back").
    weekly_pattern: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
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
    rhythm: RhythmChoice = DAILY
    suggested_rhythm: RhythmChoice | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 2,
            "as_of": self.as_of.isoformat(),
            "rhythm": str(self.rhythm),
            "suggested_rhythm": str(self.suggested_rhythm) if self.suggested_rhythm else None,
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


def compute_returns(
    active: Sequence[date], gaps: Sequence[int], slack: int, grace: int = 1
) -> Returns:
    aways = [(gap - slack, day) for gap, day in zip(gaps, active[1:], strict=True) if gap > slack]
    return summarise_returns(aways, grace - slack)


def summarise_returns(aways: Sequence[tuple[int, date]], grace: int = 1) -> Returns:
    """Returns from each (time away, day of coming back), oldest first; `grace` is the
    longest time away a chain carries."""
    if not aways:
        return Returns()
    values = [away for away, _ in aways]
    rested = [away for away in values if away > grace]
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
        recent=tuple(values[-3:]),
        rested_total=len(rested),
        rested=tuple(rested[-6:]),
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
