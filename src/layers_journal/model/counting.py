"""Which entries count, and on which days: the backfill rule, the declared rest days,
the counted entries per day for presence and for each layer. Pure, like the model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from layers_journal.model.layer_values import BACKFILL_DAYS, LAYERS, EntryFacts


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


def day_themes(
    entries: Iterable[EntryFacts], today: date, since: date
) -> dict[date, set[str | None]]:
    """For the calendar: the layers written on each counted day from since to today."""
    days: dict[date, set[str | None]] = {}
    for facts in entries:
        if since <= facts.day <= today and counts(facts, today):
            days.setdefault(facts.day, set()).add(facts.theme)
    return days
