"""The review screen: a period at a glance (pages per layer, its calendar, mood, words,
returns, tags, a prompt per layer), drawn in a panel or, plain, one sentence after
another."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import (
    Group,
    RenderableType,
)
from rich.padding import Padding
from rich.text import Text

from layers_journal.model.layers import LAYERS
from layers_journal.ui.words import (
    MOOD_CHART_TITLE,
    REVIEW_LOOKING_BACK,
    REVIEW_QUIET,
    mood_chart_legend,
    pages_words,
    recurring_tags,
    returns_in_period,
    review_summary,
    review_title,
)

from .console import (
    COLOURS,
    GLYPHS,
    NOTHING,
    plain_title,
    wrapped,
)
from .mode import is_plain

if TYPE_CHECKING:
    from layers_journal.model.review import Figures, MoodPoint
    from layers_journal.prompts import Prompt

MOOD_BLOCKS = "▁▂▃▄▅▆▇█"


def review_view(
    figures: Figures,
    *,
    prompts: Mapping[str, Prompt],
    calendar: Sequence[Text],
    width: int,
) -> Group:
    """A period at a glance: pages per layer, its stretch of the calendar, mood, words,
    returns and tags, then one prompt per layer to look back with."""
    from rich.panel import Panel
    from rich.table import Table

    period = figures.period
    name = period.name
    if is_plain():
        return plain_review(figures, prompts=prompts, calendar=calendar, width=width)
    inner = min(width, 100) - 4
    rows = Table.grid(padding=(0, 2))
    rows.add_column(no_wrap=True)
    rows.add_column(overflow="fold")
    for layer in reversed(LAYERS):
        tally = figures.layers[layer]
        label = Text(f"{GLYPHS[layer]} {layer}", style=COLOURS[layer])
        rows.add_row(label, pages_words(tally.entries, tally.days))
    if figures.no_layer.entries:
        tally = figures.no_layer
        rows.add_row(Text("  no layer"), pages_words(tally.entries, tally.days))
    summary = review_summary(
        days=None if period.complete else period.days,
        with_a_page=figures.presence.days,
        pages=figures.presence.entries,
        words=figures.words,
    )
    body: list[RenderableType] = [Text(summary), Text(""), rows]
    if figures.presence.entries == 0:
        body = [Text(REVIEW_QUIET.format(period=name))]
    title = Text(f" {review_title(name, period.first, period.last)} ", style="bold")
    if title.cell_len > inner:  # a narrow screen: the title whole above the panel, not cut
        body = [Text(title.plain.strip(), style="bold"), Text(""), *body]
        title = Text("")
    parts: list[RenderableType] = [
        Panel(
            Group(*body),
            title=title,
            title_align="left",
            border_style="dim",
            padding=(1, 1),
            width=inner + 4,
        )
    ]
    parts += [Text(""), *calendar]
    if figures.moods:
        parts += [Text(""), mood_chart(figures.moods, yearly=name == "year")]
    returns = [] if figures.weekly else list(figures.returns)
    sentences = [returns_in_period(returns, name, figures.unit)]
    if figures.tags:
        sentences.append(recurring_tags(figures.tags))
    if figures.exercises:
        done = ", ".join(f"{name} ({n})" for name, n in figures.exercises.items())
        sentences.append(f"Exercises among the pages: {done}.")
    for sentence in sentences:
        if sentence:
            parts += [Text(""), Text(sentence, style="italic")]
    if prompts:
        asked = Table.grid(padding=(0, 2))
        asked.add_column(no_wrap=True)
        asked.add_column(overflow="fold")
        for layer in LAYERS:
            if layer in prompts:
                label = Text(f"{GLYPHS[layer]} {layer}", style=COLOURS[layer])
                asked.add_row(label, prompts[layer].text)
        parts += [Text(""), Text(REVIEW_LOOKING_BACK, style="bold"), Padding(asked, (0, 0, 0, 2))]
    return Group(*parts)


def plain_review(
    figures: Figures,
    *,
    prompts: Mapping[str, Prompt],
    calendar: Sequence[Text],
    width: int,
) -> Group:
    """The review for plain output: the same figures, one sentence after another."""
    period = figures.period
    title = plain_title(review_title(period.name, period.first, period.last))
    lines = [Text(title, style="bold")]
    if figures.presence.entries == 0:
        lines += wrapped(REVIEW_QUIET.format(period=period.name), width)
    else:
        summary = review_summary(
            days=None if period.complete else period.days,
            with_a_page=figures.presence.days,
            pages=figures.presence.entries,
            words=figures.words,
        )
        lines += wrapped(summary.replace(" · ", "; ") + ".", width)
        for layer in reversed(LAYERS):
            tally = figures.layers[layer]
            lines += wrapped(f"{layer}: {pages_words(tally.entries, tally.days)}.", width)
        if figures.no_layer.entries:
            tally = figures.no_layer
            lines += wrapped(f"no layer: {pages_words(tally.entries, tally.days)}.", width)
    lines += [Text(""), *calendar]
    if figures.moods:
        lines += [Text(""), *plain_moods(figures.moods, yearly=period.name == "year", width=width)]
    returns = [] if figures.weekly else list(figures.returns)
    sentences = [returns_in_period(returns, period.name, figures.unit)]
    if figures.tags:
        sentences.append(recurring_tags(figures.tags))
    for sentence in sentences:
        if sentence:
            lines += [Text(""), *wrapped(sentence, width)]
    if prompts:
        lines += [Text(""), Text(f"{REVIEW_LOOKING_BACK}, one prompt per layer:", style="bold")]
        for layer in LAYERS:
            if layer in prompts:
                lines += wrapped(f"{layer}: {prompts[layer].text}", width)
    return Group(*lines)


def plain_moods(points: Sequence[MoodPoint], *, yearly: bool, width: int) -> list[Text]:
    """Mood across the period in words: each day (or month) that has one, and its mood."""
    said = []
    for point in points:
        if point.mood is None:
            continue
        when = date.fromisoformat(point.label + ("-01" if yearly else ""))
        name = f"{when:%B}" if yearly else f"{when:%A} {when.day} {when:%B}"
        mood = f"{point.mood:.1f}".removesuffix(".0")
        said.append(f"{name}, {mood}")
    rest = "no mood noted on the other days" if len(said) < len(points) else ""
    words = "; ".join(said) + (f"; {rest}" if rest else "")
    return wrapped(f"{MOOD_CHART_TITLE}, 1 heavy to 5 light: {words}.", width)


def mood_chart(points: Sequence[MoodPoint], *, yearly: bool) -> Group:
    """Mood across the period, one column per day (or month): taller is lighter."""
    spaced = len(points) <= 12  # a week or a year: a space between columns
    step = 2 if spaced else 1
    marks = Text("  ")
    labels = [" "] * (len(points) * step + 2)
    for n, point in enumerate(points):
        if point.mood is None:
            marks.append(NOTHING, style="dim")
        else:
            level = round((point.mood - 1) / 4 * (len(MOOD_BLOCKS) - 1))
            marks.append(MOOD_BLOCKS[level])
        if spaced:
            marks.append(" ")
        when = date.fromisoformat(point.label + ("-01" if yearly else ""))
        if yearly or len(points) <= 7:
            label = f"{when:%b}"[0] if yearly else f"{when:%a}"[0]
        else:
            label = str(when.day) if n % 7 == 0 else ""
        labels[n * step : n * step + len(label)] = label
    words = mood_chart_legend(
        "month" if yearly else "day", MOOD_BLOCKS[0], MOOD_BLOCKS[-1], NOTHING
    )
    legend = Text("  " + words, style="dim")
    axis = Text("  " + "".join(labels).rstrip(), style="dim")
    return Group(Text(MOOD_CHART_TITLE, style="bold"), marks, axis, legend)
