"""What `journal today` offers: the layer, the prompt, and the day being written for.

Pure: the clock, a summary of the journal's past and the library come in as arguments,
so the same inputs always give the same prompt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from .prompts import Prompt, choose_prompt, next_layer


class PromptHistory(NamedTuple):
    """What prompt choice needs of the entries written before today began."""

    last_theme: str | None
    active_days: Mapping[str, int]  # per layer, counted as the layers model counts (capped)
    entries: Mapping[str, int]  # per layer, every themed entry (encrypted journals only)
    answered: Mapping[str, datetime] | None  # None when prompt ids cannot be read


class Plan(NamedTuple):
    today: date
    layer: str
    prompt: Prompt
    active_days: int


def plan_today(
    *,
    history: PromptHistory,
    library: Sequence[Prompt],
    today: date,
    theme: str | None = None,
) -> Plan:
    """Today's layer and prompt: the layer after the last one written (or `theme`), and
    that layer's prompt as choose_prompt picks it."""
    layer = theme or next_layer(history.last_theme)
    active_days = history.active_days.get(layer, 0)
    prompt = choose_prompt(
        library=library,
        layer=layer,
        active_days=active_days,
        answered=history.answered,
        layer_entries=history.entries.get(layer, 0),
        day=today,
    )
    return Plan(today=today, layer=layer, prompt=prompt, active_days=active_days)
