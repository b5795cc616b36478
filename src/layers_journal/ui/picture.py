"""The layers picture: the panel, its strips and the --detail words. The calendars are
in calendars.py, the review screen in review_screen.py, the picture for documents (SVG,
HTML) in paper.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import (
    Group,
    RenderableType,
)
from rich.text import Text

from layers_journal.model.layers import LAYERS
from layers_journal.ui.words import (
    DETAIL_CHAINS,
    DETAIL_RETURNS,
    DETAIL_SETTLED,
    EMPTY_LAYERS,
    FOUNDATION,
    MORE_HINT,
    NO_LAYERS_YET,
    NOT_STARTED,
    SETTLED_HOW,
    STILL_HERE,
    chain_details,
    closing_sentence,
    layer_phrases,
    layers_title,
    presence_lines,
    returns_details,
    settled_words,
    spoken_returns,
    standing_words,
    strip_meanings,
    support_words,
    window_units,
)

from .console import (
    COLOURS,
    indent,
    layer_label,
    pack,
    plain_title,
    wrap_lines,
    wrapped,
)
from .mode import is_plain

if TYPE_CHECKING:
    from rich.panel import Panel

    from layers_journal.model.layers import Report

STRIP = {"kept": ("■", ""), "not_kept": ("□", "dim"), "paused": ("–", "dim")}

LABEL = 14  # "♥ compassion" and two spaces; the strip and presence's words start here


def layers_view(report: Report, *, calendar: Sequence[Text], detail: bool, width: int) -> Group:
    """The picture: the three layers stacked on awareness, presence, the calendar below,
    and one closing sentence. With detail, the model's deeper figures in words too."""
    presence = report.presence
    parts: list[RenderableType] = [layers_panel(report, width=width)]
    if presence.status == "not_started":
        return Group(*parts)
    if detail:
        parts += [Text(""), *detail_lines(report, width=width)]
    parts += [Text(""), *calendar]
    sentence = STILL_HERE if detail and presence.status == "resting" else None
    suggested = str(report.suggested_rhythm) if report.suggested_rhythm else None
    sentence = sentence if detail else closing_sentence(presence, suggested)
    if sentence:
        parts += [Text(""), *wrapped(sentence, width, style="italic")]
    if not detail:
        parts += [Text(""), *wrapped(MORE_HINT, width, style="dim")]
    return Group(*parts)


def layers_panel(report: Report, *, width: int) -> Panel | Group:
    from rich.panel import Panel

    if is_plain():  # the title, then the same lines, said one after another
        heading = Text(plain_title(layers_title(report.as_of)), style="bold")
        return Group(heading, *panel_lines(report, width))
    inner = max(20, width - 4)  # the border and one space of padding either side
    lines = panel_lines(report, inner)
    title = Text(layers_title(report.as_of), style="bold")
    widest = max([line.cell_len for line in lines] + [title.cell_len + 2])
    return Panel(
        Group(*lines),
        title=title,
        title_align="left",
        border_style="dim",
        padding=(0, 1),
        width=min(width, widest + 4),
    )


def panel_lines(report: Report, inner: int) -> list[Text]:
    """Compassion, connection, awareness (the foundation, at the bottom), then presence,
    then what the strips' marks mean."""
    presence = report.presence
    if presence.status == "not_started":
        return wrapped(EMPTY_LAYERS, inner)
    plain = is_plain()
    wide = inner >= LABEL + 15 + 2 + 28
    lines: list[Text] = []
    started = [layer for layer in LAYERS if report.layers[layer].status != "not_started"]
    if not started:
        lines += wrapped(NO_LAYERS_YET, inner, style="dim")
    # Strips are as long as the longest one: full from the first day for someone who
    # writes as intended, never a row of empty slots waiting to be filled.
    slots = max([len(report.layers[layer].rhythm.marks[-8:]) for layer in started] + [0])
    for layer in reversed(LAYERS) if started else ():
        series = report.layers[layer]
        label = Text(layer_label(layer), style=COLOURS[layer])
        phrases = layer_phrases(series)
        if series.status == "not_started" or plain:
            lines += labelled(label, Text(""), phrases, inner, wide=wide)
            continue
        strip = Text()
        marks = series.rhythm.marks[-8:]
        for mark in marks:
            glyph, style = STRIP[mark]
            strip.append(glyph + " ", style=style or COLOURS[layer])
        strip.append("  " * (slots - len(marks)))
        lines += labelled(label, strip, phrases, inner, wide=wide)
    if started:
        rule = Text("▔" * 12 + "  ", style="cyan dim") if wide and not plain else Text("  ")
        lines += [
            Text.assemble(rule, line) for line in wrapped(FOUNDATION, inner - rule.cell_len, "dim")
        ]
    lines.append(Text(""))
    for n, words in enumerate(presence_lines(presence)):
        label = Text("  presence" if n == 0 else "", style="bold")
        lines += labelled(label, None, words, inner, wide=wide)
    if started and not plain:  # plain output has no marks to explain
        lines += [Text(""), *strip_legend(report, inner)]
    return lines


def labelled(
    label: Text, strip: Text | None, phrases: Sequence[str], inner: int, *, wide: bool
) -> list[Text]:
    """A row: the label, the strip (if any) and the words, which wrap between phrases.
    Narrow, the words go under the label, indented; plain, one sentence, the label first."""
    if is_plain():
        name = label.plain.strip()
        return wrapped((f"{name}: " if name else "") + "; ".join(p for p in phrases if p), inner)
    if not wide:
        head = Text(label.plain.strip(), style=label.style)
        if strip is not None and strip.plain:
            head = Text.assemble(head, " " * (LABEL - head.cell_len), strip)
        rows = [head] if head.plain else []
        return rows + [Text.assemble("  ", line) for line in fit_phrases(phrases, inner - 2)]
    lead = Text.assemble(label, " " * (LABEL - label.cell_len))
    if strip is not None and strip.plain:
        lead.append_text(strip)
        lead.append(" ")
    words = fit_phrases(phrases, inner - lead.cell_len)
    return [
        Text.assemble(lead if n == 0 else " " * lead.cell_len, line) for n, line in enumerate(words)
    ]


def fit_phrases(phrases: Sequence[str], width: int) -> list[Text]:
    """Phrases joined by ' · ', a new line between phrases rather than inside one."""
    lines: list[str] = []
    for phrase in (p for p in phrases if p):
        if lines and len(lines[-1]) + 3 + len(phrase) <= width:
            lines[-1] += " · " + phrase
        else:
            lines.append(phrase)
    return [Text(line) for text in lines for line in wrap_lines(text, max(10, width))]


def strip_legend(report: Report, inner: int) -> list[Text]:
    """What the strips' marks mean, naming only the marks in use."""
    used = {mark for series in report.layers.values() for mark in series.rhythm.marks}
    windows = {s.rhythm.window for s in report.layers.values() if s.status != "not_started"}
    meanings = strip_meanings(window_units(windows.pop())[0] if len(windows) == 1 else "stretch")
    items = [
        Text(f"{STRIP[mark][0]} {meanings[mark]}", style="dim") for mark in STRIP if mark in used
    ]
    return pack(items, inner)


def detail_lines(report: Report, *, width: int) -> list[Text]:
    """--detail: how settled each habit is, the foundation's support, chains with their
    grace and chapters, and coming back, each in words."""
    wide = width >= LABEL + 40
    rows: list[tuple[Text, list[str]]] = []

    def label(name: str) -> Text:
        if name == "presence":
            return Text("  presence", style="bold")
        return Text(layer_label(name), style=COLOURS[name])

    lines = [Text(DETAIL_SETTLED, style="bold")]
    lines += indent(wrapped(SETTLED_HOW, width - 2, style="dim"), 2)
    for layer in reversed(LAYERS):
        series = report.layers[layer]
        if series.status == "not_started":
            words = [NOT_STARTED]
        elif layer == "awareness":
            words = [f"{settled_words(series.strength)}; {support_words(report.support)}"]
        else:
            words = [standing_words(series.strength, report.heights[layer])]
        rows.append((label(layer), words))
    rows.append((label("presence"), [settled_words(report.presence.strength)]))
    for name, words in rows:
        lines += indent(labelled(name, None, words, width - 2, wide=wide), 2)
    lines += [Text(""), Text(DETAIL_CHAINS, style="bold")]
    for layer in (*reversed(LAYERS), "presence"):
        series = report.presence if layer == "presence" else report.layers[layer]
        chains = labelled(label(layer), None, chain_details(series), width - 2, wide=wide)
        lines += indent(chains, 2)
    lines += [Text(""), Text(DETAIL_RETURNS, style="bold")]
    presence = report.presence
    suggested = str(report.suggested_rhythm) if report.suggested_rhythm else None
    said = [returns_details(presence, suggested)]
    # The closing sentence adds the offer, or how soon you usually come back: said by
    # the details already with one or two returns.
    weekly = presence.weekly_pattern and presence.unit == "day"
    usually = spoken_returns(presence).total >= 3 and presence.status in ("written", "open")
    if weekly or usually:
        said.append(closing_sentence(presence, suggested) or "")
    lines += indent(wrapped(" ".join(said).strip(), width - 2), 2)
    return lines
