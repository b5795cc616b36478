"""The layers model's names and values: the three layers and their order, the rhythm a
person chose, what the model needs of an entry, and what it gives back (a Series for
presence and for each layer, the Report holding them). No I/O and no clock here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
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
