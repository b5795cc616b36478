"""What `journal today` offers: the layer, the prompt, and the day being written for.

Pure: the clock, the journal's past and the library come in as arguments, so the same
inputs always give the same prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .layers import EntryFacts, counts
from .prompts import Prompt, choose_prompt, last_answered, next_layer


@dataclass(frozen=True, slots=True)
class PastEntry:
    """A themed entry as prompt choice sees it."""

    theme: str
    prompt_id: str | None
    created: datetime
    day: date
    created_day: date


@dataclass(frozen=True, slots=True)
class Plan:
    today: date
    day: date
    layer: str
    prompt: Prompt
    active_days: int


def plan_today(
    *,
    past: Sequence[PastEntry],
    library: Sequence[Prompt],
    today: date,
    day: date | None = None,
    theme: str | None = None,
    prompt_ids_known: bool = True,
) -> Plan:
    """Today's layer and prompt from the themed entries created before today began.

    `past` must already be limited to that (or, for a backfill, to entries created
    before now), oldest first.
    """
    layer = theme or next_layer(past[-1].theme if past else None)
    mine = [entry for entry in past if entry.theme == layer]
    active_days = len(
        {
            entry.day
            for entry in mine
            if counts(EntryFacts(entry.day, entry.created_day, entry.theme), today)
        }
    )
    prompt = choose_prompt(
        library=library,
        layer=layer,
        active_days=active_days,
        answered=last_answered((e.prompt_id, e.created) for e in mine)
        if prompt_ids_known
        else None,
        layer_entries=len(mine),
        day=today,
    )
    return Plan(today=today, day=day or today, layer=layer, prompt=prompt, active_days=active_days)
