"""The layers picture and the mood chart drawn for paper and screen, as SVG.

Real vector drawings, not a terminal's screenshot: text as text, sized in the drawing's
own units so it scales with the page, narrow enough to read on a phone without zooming,
marks that differ by shape as well as colour (filled, open, a dash) so a black-and-white
printout still tells them apart, and only words that mean something on paper. The words
are the ones `journal layers` says, from ui.words.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from layers_journal.model.layers import KEPT, LAYERS, PAUSED
from layers_journal.ui.messages import day_label
from layers_journal.ui.words import (
    FOUNDATION,
    NOT_STARTED,
    layer_phrases,
    presence_lines,
    window_units,
)

if TYPE_CHECKING:
    from layers_journal.model.layers import Report, Series

WIDTH = 360  # user units; the page shows the drawing at most about this many CSS px wide
PAD = 12
FONT = "font-family=\"system-ui, 'DejaVu Sans', Arial, sans-serif\""
INK, SOFT, RULE = "#1f1f1f", "#4a4a4a", "#8a8a8a"
# Dark enough to stay distinct greys in print; the same as the page's layer colours.
INKS = {"awareness": "#006d7a", "connection": "#8a5a00", "compassion": "#9c1f63"}
TINTS = {"awareness": "#eef6f7", "connection": "#f8f3ea", "compassion": "#f8eef3"}
GLYPHS = {"awareness": "●", "connection": "◆", "compassion": "♥"}
LINE = 17  # the height of a line of 13-unit text
CHARS = 44  # about what fits across the drawing at 13 units


class Drawing:
    """SVG elements one under the other, with the height they took."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.y = PAD

    def text(
        self,
        words: str,
        *,
        x: float = PAD,
        size: float = 13,
        fill: str = INK,
        weight: str = "400",
        italic: bool = False,
    ) -> None:
        style = ' font-style="italic"' if italic else ""
        self.parts.append(
            f'<text x="{x:g}" y="{self.y + size:g}" font-size="{size:g}" '
            f'font-weight="{weight}" fill="{fill}"{style}>{escape(words)}</text>'
        )

    def wrapped(self, words: str, *, x: float = PAD, chars: int = CHARS, **style: object) -> None:
        for line in textwrap.wrap(words, chars) or [""]:
            self.text(line, x=x, **style)  # type: ignore[arg-type]
            self.y += LINE

    def svg(self, label: str) -> str:
        height = self.y + PAD
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:g}" '
            f'width="{WIDTH}" height="{height:g}" role="img" aria-label="{escape(label)}" '
            f"{FONT}>"
            f"<title>{escape(label)}</title>" + "".join(self.parts) + "</svg>"
        )


def mark(kind: str, x: float, y: float, ink: str, size: float = 13) -> str:
    """A strip mark: filled for a kept week, open for one without, a dash when paused."""
    if kind == KEPT:
        return f'<rect x="{x:g}" y="{y:g}" width="{size:g}" height="{size:g}" rx="2" fill="{ink}"/>'
    if kind == PAUSED:
        middle = y + size / 2
        return (
            f'<line x1="{x + 2:g}" y1="{middle:g}" x2="{x + size - 2:g}" y2="{middle:g}" '
            f'stroke="{SOFT}" stroke-width="2"/>'
        )
    return (
        f'<rect x="{x + 0.75:g}" y="{y + 0.75:g}" width="{size - 1.5:g}" '
        f'height="{size - 1.5:g}" rx="2" fill="#fff" stroke="{ink}" stroke-width="1.5"/>'
    )


def layers_svg(report: Report) -> str:
    """The layers as of the report's day: compassion, connection, then awareness, the
    foundation, at the bottom; presence under them; what the marks mean."""
    drawing = Drawing()
    drawing.text("Your layers", size=17, weight="700")
    drawing.y += 22
    drawing.text(f"as of {day_label(report.as_of)}", size=12, fill=SOFT)
    drawing.y += 24
    presence = report.presence
    if presence.status == "not_started":
        drawing.wrapped("No pages yet by this day.", fill=SOFT)
        return drawing.svg("Your layers: no pages yet")
    started = [layer for layer in LAYERS if report.layers[layer].status != "not_started"]
    used: set[str] = set()
    for layer in reversed(LAYERS) if started else ():
        series = report.layers[layer]
        band(drawing, layer, series)
        used.update(series.rhythm.marks[-8:])
    if started:
        drawing.parts.append(
            f'<line x1="{PAD}" y1="{drawing.y + 1:g}" x2="{WIDTH - PAD}" y2="{drawing.y + 1:g}" '
            f'stroke="{INKS["awareness"]}" stroke-width="3"/>'
        )
        drawing.y += 6
        drawing.wrapped(FOUNDATION, size=12, fill=SOFT, italic=True)
        drawing.y += 8
    drawing.text("presence", size=14, weight="700")
    drawing.y += LINE + 2
    for words in presence_lines(presence):
        drawing.wrapped(" · ".join(w for w in words if w), x=PAD + 8, chars=CHARS - 2)
    if used:
        drawing.y += 8
        legend(drawing, report, used)
    return drawing.svg(f"Your layers as of {day_label(report.as_of)}")


def band(drawing: Drawing, layer: str, series: Series) -> None:
    """One layer: its name and strip on a line, its words under them, on a light tint
    with a dark edge (the tint may vanish in print; the edge and the words stay)."""
    top = drawing.y
    ink = INKS[layer]
    start = len(drawing.parts)
    drawing.y += 8
    drawing.text(f"{GLYPHS[layer]} {layer}", x=PAD + 10, size=15, weight="700", fill=ink)
    marks = series.rhythm.marks[-8:] if series.status != "not_started" else ()
    for n, kind in enumerate(marks):
        x = WIDTH - PAD - 8 - (len(marks) - n) * 17
        drawing.parts.append(mark(kind, x, drawing.y + 2, ink))
    drawing.y += 24
    # A layer not begun is said in two words: on paper, no prompt comes round.
    phrases = [NOT_STARTED] if series.status == "not_started" else layer_phrases(series)
    for phrase in phrases:
        drawing.wrapped(phrase, x=PAD + 10, chars=CHARS - 2)
    drawing.y += 6
    height = drawing.y - top
    drawing.parts.insert(
        start,
        f'<rect x="{PAD}" y="{top:g}" width="{WIDTH - 2 * PAD}" height="{height:g}" '
        f'fill="{TINTS[layer]}"/><rect x="{PAD}" y="{top:g}" width="4" height="{height:g}" '
        f'fill="{ink}"/>',
    )
    drawing.y += 6


def legend(drawing: Drawing, report: Report, used: set[str]) -> None:
    windows = {s.rhythm.window for s in report.layers.values() if s.status != "not_started"}
    one = window_units(windows.pop())[0] if len(windows) == 1 else "stretch"
    meanings = {KEPT: f"a {one} with that layer", "not_kept": f"a {one} without"}
    meanings[PAUSED] = f"a paused {one}"
    for kind in (KEPT, "not_kept", PAUSED):
        if kind in used:
            drawing.parts.append(mark(kind, PAD, drawing.y + 2, SOFT, size=11))
            drawing.text(meanings[kind], x=PAD + 18, size=12, fill=SOFT)
            drawing.y += LINE


def mood_svg(days: Sequence[tuple[date, float | None]]) -> str:
    """Mood across the period, one column a day: taller is lighter (1 heavy to 5 light);
    a day without a mood noted is a small dot on the baseline."""
    drawing = Drawing()
    left, chart = PAD + 52, 64
    right = WIDTH - PAD
    top = drawing.y + 4
    base = top + chart
    step = (right - left) / max(1, len(days))
    bar = max(1.0, min(14.0, step * 0.7))
    drawing.parts.append(
        f'<line x1="{left}" y1="{base:g}" x2="{right}" y2="{base:g}" stroke="{RULE}" '
        f'stroke-width="1"/>'
    )
    for label, y in (("5 light", top), ("1 heavy", base - 10)):
        drawing.parts.append(
            f'<text x="{PAD}" y="{y + 9:g}" font-size="11" fill="{SOFT}">{label}</text>'
        )
    for n, (_, mood) in enumerate(days):
        x = left + n * step + (step - bar) / 2
        if mood is None:
            drawing.parts.append(
                f'<circle cx="{x + bar / 2:g}" cy="{base - 2:g}" r="1" fill="{RULE}"/>'
            )
            continue
        height = 8 + (mood - 1) / 4 * (chart - 8)
        drawing.parts.append(
            f'<rect x="{x:g}" y="{base - height:g}" width="{bar:g}" height="{height:g}" '
            f'fill="{INK}" fill-opacity="0.75"/>'
        )
    drawing.y = base + 4
    if days:
        first, last = days[0][0], days[-1][0]
        drawing.text(f"{first.day} {first:%b}", x=left, size=11, fill=SOFT)
        if last != first:
            drawing.parts.append(
                f'<text x="{right}" y="{drawing.y + 11:g}" font-size="11" fill="{SOFT}" '
                f'text-anchor="end">{last.day} {last:%b}</text>'
            )
        drawing.y += 16
    return drawing.svg("Mood on the days you noted it, 1 heavy to 5 light")
