"""Chains and returns: a series' active days split into chains where time away
outgrew grace, and the times away summed up (typical, trend, the latest ones)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from layers_journal.model.layer_values import Chapter, Returns


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
