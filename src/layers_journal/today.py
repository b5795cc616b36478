"""What `journal today` offers: the layer, the prompt, and the day being written for.

Pure: the clock, a summary of the journal's past and the library come in as arguments,
so the same inputs always give the same prompt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from .layers import EntryFacts, counts
from .prompts import Prompt, choose_prompt, next_layer


class PromptHistory(NamedTuple):
    """What prompt choice needs of the entries written before today began."""

    last_theme: str | None
    active_days: Mapping[str, int]  # per layer, counted as the layers model counts
    entries: Mapping[str, int]  # per layer, every themed entry
    answered: Mapping[str, datetime] | None  # None when prompt ids cannot be read


class Plan(NamedTuple):
    today: date
    day: date
    layer: str
    prompt: Prompt
    active_days: int


def summarize_history(
    facts: Iterable[EntryFacts],
    last_theme: str | None,
    answered: Mapping[str, datetime] | None,
    today: date,
) -> PromptHistory:
    """From the facts of the earlier entries."""
    days: dict[str, set[date]] = {}
    entries: dict[str, int] = {}
    for fact in facts:
        theme = fact.theme
        if theme is None:
            continue
        entries[theme] = entries.get(theme, 0) + fact.entries
        if counts(fact, today):
            days.setdefault(theme, set()).add(fact.day)
    active = {theme: len(found) for theme, found in days.items()}
    return PromptHistory(last_theme, active, entries, answered)


def plan_today(
    *,
    history: PromptHistory,
    library: Sequence[Prompt],
    today: date,
    day: date | None = None,
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
    return Plan(today=today, day=day or today, layer=layer, prompt=prompt, active_days=active_days)
