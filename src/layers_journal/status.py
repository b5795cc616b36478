"""The status file: one line in the cache folder saying whether today's page is open.

A shell prompt, a tmux status line or starship reads it with its own built-ins (journal
nudge --shell prints how), so it learns the answer without starting Python. After every
command the CLI's door settles it (settle_journal in cli/base.py): it is looked at again
when the run wrote to the journal or its index saw the folder change (another device, an
edit by hand), or when the file is missing or from another journal day, and rewritten
atomically only when its line changes. For example:

    v1 2026-11-24 open awareness 1763953200 1764039600 -

The format version; the journal day; written, open or paused; the layer today's prompt
is on; when that journal day begins and ends, in seconds since 1970 (what `date +%s`
prints), so a shell can tell whether the line is about the day it is now without knowing
day_start or time zones; and `welcome` when today follows time away (else `-`). Never
any text, prompt, mood or tag, so an encrypted journal keeps one too.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .days import Clock
    from .journal.facade import Journal

FORMAT = "v1"
WRITTEN, OPEN, PAUSED = "written", "open", "paused"
WELCOME = "welcome"
# Presence statuses that mean today follows time away (layers.compute_series).
AFTER_TIME_AWAY = ("grace", "resting")


class Status:
    """One day's line. A plain class: a NamedTuple would cost every command that opens a
    journal a tenth of a millisecond at import, for a value built once."""

    __slots__ = ("begins", "day", "ends", "layer", "state", "welcome")

    def __init__(
        self, day: date, state: str, layer: str, begins: int, ends: int, welcome: bool = False
    ) -> None:
        self.day = day
        self.state = state  # WRITTEN, OPEN or PAUSED
        self.layer = layer
        self.begins = begins  # the journal day's first second, since 1970
        self.ends = ends  # the first second of the next journal day
        self.welcome = welcome

    def line(self) -> str:
        greeting = WELCOME if self.welcome else "-"
        return (
            f"{FORMAT} {self.day.isoformat()} {self.state} {self.layer} "
            f"{self.begins} {self.ends} {greeting}\n"
        )


def parse_status(text: str) -> Status | None:
    """The status a line describes, or None when it is not one this version wrote."""
    fields = text.split()
    if len(fields) != 7 or fields[0] != FORMAT:
        return None
    _, day, state, layer, begins, ends, greeting = fields
    if state not in (WRITTEN, OPEN, PAUSED) or not (begins.isdigit() and ends.isdigit()):
        return None
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return None
    return Status(parsed, state, layer, int(begins), int(ends), greeting == WELCOME)


def day_span(clock: Clock, day: date) -> tuple[int, int]:
    """When journal day `day` begins and ends on the clock's wall clock, in seconds since
    1970. Without a configured zone the clock follows the system's local time, and so
    does this (a naive datetime's timestamp is local time)."""

    def start_of(each: date) -> int:
        moment = datetime.combine(each, clock.day_start)
        if clock.configured_zone:
            moment = moment.replace(tzinfo=clock.zone)
        return int(moment.timestamp())

    return start_of(day), start_of(day + timedelta(days=1))


def current_status(journal: Journal, today: date) -> Status:
    """Today as the index sees it (opening it if this run has not yet)."""
    from .model.layers import EntryFacts, compute_presence, next_layer

    index = journal.index()
    # Written means any page about today or written today: once someone has written,
    # the nudge stays quiet, whichever day the page was for.
    written, last_day = index.practice.day_summary(today)
    rest = journal.model.rest_spans()
    paused = any(start <= today <= end for start, end in rest)
    state = WRITTEN if written else PAUSED if paused else OPEN
    welcome = False
    if state == OPEN and last_day is not None:
        # Presence's status rests on its latest day alone (with the pauses and today),
        # so the model is asked about that one day instead of every entry.
        rhythm = journal.config.rhythm
        if rhythm.per_week is None:
            latest = [EntryFacts(last_day, last_day, None)]
            welcome = compute_presence(latest, rest, today, rhythm).status in AFTER_TIME_AWAY
            # Pages on some days of each week: their gaps are not time away. That needs
            # the weeks before, so the whole model is asked only when it could matter.
            welcome = welcome and not journal.model.presence(today).weekly_pattern
        else:  # in weeks: a week off is grace; only a chain come to rest is time away
            welcome = journal.model.presence(today).status == "resting"
    begins, ends = day_span(journal.clock, today)
    return Status(today, state, next_layer(index.practice.last_theme(today)), begins, ends, welcome)


def settle_status(journal: Journal, *, look: bool, now: datetime | None = None) -> None:
    """Keep the journal's status file current. `look` says the run wrote to the journal
    or saw it change, so today may have changed; otherwise the file is trusted while it
    is about today. `now` is for tests; commands use the journal's clock."""
    from .folder.storage import write_atomic

    path = journal.paths.status_file(journal.root)
    today = journal.clock.today() if now is None else journal.clock.day_of(now)
    existing = read_status_text(path)
    if not look and existing is not None:
        known = parse_status(existing)
        if known is not None and (known.day, known.begins, known.ends) == (
            today,
            *day_span(journal.clock, today),
        ):
            return
    line = current_status(journal, today).line()
    if line != existing:
        write_atomic(path, line.encode(), overwrite=True)


def read_status_text(path: Path) -> str | None:
    """The file's line, or None when it is missing or unreadable (then it is rewritten)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return path.read_text(encoding="utf-8")
    return None
