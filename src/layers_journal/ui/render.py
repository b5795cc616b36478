"""Everything drawn with Rich: consoles, panels, the layers picture, history, the pager.

The only module that imports Rich at the top; the CLI imports it when it has something
to show, so commands that print nothing pay nothing for it.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import (
    Console,
    ConsoleOptions,
    ConsoleRenderable,
    Group,
    RenderableType,
    RenderHook,
    RenderResult,
)
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text

from layers_journal.model.layers import LAYERS

from .messages import (
    EMPTY_LAYERS,
    FOUNDATION,
    MOOD_NONE,
    MOOD_SEALED,
    MORE_HINT,
    NO_LAYERS_YET,
    NOT_STARTED,
    SETTLED_HOW,
    STILL_HERE,
    chain_details,
    closing_sentence,
    day_label,
    layer_phrases,
    plural,
    presence_lines,
    returns_details,
    review_words,
    settled_words,
    standing_words,
    support_words,
    window_units,
)
from .terminal import printable

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.table import Table

    from layers_journal.folder.entries import Entry
    from layers_journal.folder.pauses import Pause
    from layers_journal.index import Passage
    from layers_journal.model.layers import Report
    from layers_journal.model.review import Figures, MoodPoint
    from layers_journal.prompts import Prompt

COLOURS = {"awareness": "cyan", "connection": "yellow", "compassion": "magenta"}
GLYPHS = {"awareness": "●", "connection": "◆", "compassion": "♥"}
SEVERAL, UNTHEMED, NOTHING, RESTING = "✱", "○", "·", "–"
REVIEW_MARK = "❖"

_stdout: Console | None = None
_stderr: Console | None = None


class Printable:
    """A renderable whose text is made harmless on the way out (see terminal.py): entry
    text, prompts, tags and file names may hold escape sequences."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control is None and segment.text:
                yield Segment(printable(segment.text), segment.style)
            else:
                yield segment  # Rich's own cursor and style codes


class ShowPrintable(RenderHook):
    """Every console's one way out: whatever it prints passes through Printable."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [Printable(renderable) for renderable in renderables]


def make_console(**options: object) -> Console:
    made = Console(**options)  # type: ignore[arg-type]
    made.push_render_hook(ShowPrintable())
    return made


def out() -> Console:
    global _stdout
    if _stdout is None:
        _stdout = make_console(highlight=False, soft_wrap=False)
    return _stdout


def err() -> Console:
    global _stderr
    if _stderr is None:
        _stderr = make_console(stderr=True, highlight=False)
    return _stderr


def say(message: str, *, style: str | None = None, fold: bool = False) -> None:
    """A line for the person on stderr (stdout stays clean for content and pipes); with
    fold, a longer explanation folded between words at a terminal's width (piped, it
    stays one line per sentence group, as it always does)."""
    console = err()
    console.print(Text(message, style=style or ""), soft_wrap=not (fold and console.is_terminal))


# --- today --------------------------------------------------------------------------


def prompt_panel(*, day: date, layer: str, prompt: Prompt, note: str | None = None) -> Panel:
    from rich.panel import Panel

    title = Text.assemble(
        (f" {day_label(day)} ", "bold"),
        ("· ", "dim"),
        (f"{GLYPHS[layer]} {layer} ", COLOURS[layer]),
    )
    body = Text(prompt.text)
    subtitle = Text(f" {note} ", style="dim") if note else None
    return Panel(
        Padding(body, (1, 2)),
        title=title,
        title_align="left",
        subtitle=subtitle,
        subtitle_align="right",
        border_style=COLOURS[layer],
    )


# --- history ------------------------------------------------------------------------


def heading_parts(entry: Entry) -> list[Text]:
    """Day (the entry's own), layer, time written (and on which day, when another),
    id: the pieces of an entry's heading, each kept whole."""
    local = entry.created_local
    if entry.kind == "review":
        layer = Text(f"{REVIEW_MARK} {review_words(entry.covers)}", style="bold")
    elif entry.theme:
        layer = Text(f"{GLYPHS[entry.theme]} {entry.theme}", style=COLOURS[entry.theme])
    else:
        layer = Text("no layer", style="dim")
    written = f"{local:%H:%M}" + (f" (written {local:%d %b})" if local.date() != entry.day else "")
    parts = [Text(day_label(entry.day), style="bold"), layer, Text(written, style="dim")]
    if entry.private:  # kept out of what is shared: said quietly, in words
        parts.append(Text("private", style="dim italic"))
    return [*parts, Text(entry.id, style="dim")]


def entry_heading(entry: Entry, width: int | None = None) -> Text:
    """The heading on as many lines as the width needs; a piece (the id above all) is
    never cut: what does not fit goes to the next line, indented."""
    return packed(heading_parts(entry), width)


def packed(parts: Sequence[Text], width: int | None) -> Text:
    """Pieces two spaces apart, each kept whole, on as many lines as the width needs."""
    heading, used = Text(), 0
    for part in parts:
        if used and width is not None and used + 2 + part.cell_len > width:
            heading.append("\n  ")
            used = 2
        elif used:
            heading.append("  ")
            used += 2
        heading.append_text(part)
        used += part.cell_len
    return heading


def entry_details(entry: Entry) -> Text | None:
    parts = []
    if entry.mood is not None:
        parts.append(f"mood {entry.mood}/5")
    if entry.tags:
        parts.append(" ".join(f"#{tag}" for tag in entry.tags))
    return Text("  " + " · ".join(parts), style="dim") if parts else None


PREVIEW_LINES = 3


def preview(text: str, width: int, lines: int = PREVIEW_LINES) -> str:
    """The first few screen lines of the non-blank lines, wrapped at width, ending in …
    when there is more. Only a budget of characters is wrapped, so a huge one-line entry
    costs no more than a short one."""
    budget = max(lines * width * 2, 200)
    filled = "\n".join(line for line in text[:budget].split("\n") if line.strip())
    wrapped = wrap_lines(filled, width)
    if len(wrapped) <= lines and len(text) <= budget:
        return "\n".join(wrapped)
    shown = wrapped[:lines]
    last = shown[-1] if shown else ""
    if len(last) + 2 > width:
        cut = last.rfind(" ", 0, width - 2)
        last = last[: cut if cut > 0 else width - 2].rstrip()
    shown[-1:] = [last + " …"]
    return "\n".join(shown)


# Characters one terminal cell wide each: Latin, Greek, Cyrillic, common punctuation
# (dashes, curly quotes), currency, arrows, maths, box drawing.
SINGLE_WIDTH = re.compile(
    "[\n\x20-\x7e\xa0-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e"
    "\u20a0-\u20bf\u2100-\u214f\u2190-\u22ff\u2500-\u25ff]*"
).fullmatch


def wrap_lines(text: str, width: int) -> list[str]:
    """Lines no wider than width. Text of single-width characters is wrapped by a plain
    greedy loop (ten times cheaper than Rich's cell-aware wrap); other text (wide CJK,
    emoji, combining marks, tabs) goes through Rich."""
    if not SINGLE_WIDTH(text):
        console = Console(width=width + 1, file=io.StringIO())
        return [line.plain.rstrip() for line in Text(text).wrap(console, width)]
    lines = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", 0, width + 1)
            if cut <= 0:
                cut = width  # one long word: break it
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip(" ")
        lines.append(line)
    return lines


def add_wrapped(out: Text, text: str, *, width: int, style: str = "", indent: int = 2) -> None:
    """Append text to out, wrapped and indented: one Text renders far faster than a
    tree of Padding renderables."""
    for line in wrap_lines(text, max(10, width - indent)):
        out.append((" " * indent + line if line else "") + "\n", style=style)


def marked(text: str, style: str = "") -> Text:
    """Text whose search matches (between MARK_START and MARK_END) are highlighted."""
    from layers_journal.index import MARK_END, MARK_START

    out = Text(style=style)
    for piece in text.split(MARK_START):
        match, _, rest = piece.rpartition(MARK_END)
        if match or _:
            out.append(match, style="reverse bold")
        out.append(rest)
    return out


def add_marked(out: Text, text: Text, *, width: int, indent: int = 2) -> None:
    """Append highlighted text, wrapped by Rich (which keeps the highlights) and indented."""
    console = Console(width=width + 1, file=io.StringIO())
    for line in text.wrap(console, max(10, width - indent)):
        line.rstrip()
        if line.plain:
            out.append(" " * indent)
        out.append_text(line)
        out.append("\n")


# Whole texts longer than this are shown without highlights (Rich's wrap is slow).
MARKED_WHOLE_LIMIT = 200_000


def history_view(
    entries: Sequence[Entry],
    *,
    full: bool,
    width: int,
    passages: Mapping[str, Passage] | None = None,
    count: str | None = None,
) -> Text:
    """The readable list: heading, prompt, and the first screen lines (or all of them,
    or where a search matched, highlighted)."""
    passages = passages or {}
    view = Text()
    if count:
        add_wrapped(view, count, width=width, style="dim", indent=0)
        view.append("\n")
    for entry in entries:
        found = passages.get(entry.id)
        view.append_text(entry_heading(entry, width))
        view.append("\n")
        if found is not None and found.prompt is not None:
            add_marked(view, marked(" ".join(found.prompt.split()), "italic dim"), width=width)
        elif entry.prompt:
            add_wrapped(view, entry.prompt, width=width, style="italic dim")
        if full and found is not None and found.text and len(found.text) < MARKED_WHOLE_LIMIT:
            add_marked(view, marked(found.text), width=width)
        elif full:
            add_wrapped(view, entry.text, width=width)
        elif found is not None and found.snippet is not None:
            add_marked(view, marked(" ".join(found.snippet.split())), width=width)
        else:
            add_wrapped(view, preview(entry.text, max(10, width - 2)), width=width)
        details = entry_details(entry)
        if details is not None:
            view.append_text(details)
            view.append("\n")
        view.append("\n")
    return view


ONELINE_WORDS = 72  # characters of the first words on a line, off a terminal


def oneline_view(entries: Sequence[Entry], *, width: int | None, count: str | None = None) -> Text:
    """One line each: day, layer, id, first words. The id is never cut; the words are
    (with …) to fit a terminal's width."""
    view = Text()
    if count:
        add_wrapped(view, count, width=width or len(count), style="dim", indent=0)
    with_layer = width is None or width >= 56
    for entry in entries:
        line = Text(entry.day.isoformat(), style="bold")
        if with_layer:
            layer = entry.theme or "-"
            line.append(f"  {layer:<10}", style=COLOURS.get(layer, "dim"))
        line.append(f"  {entry.id}", style="dim")
        words = " ".join(entry.text[: ONELINE_WORDS * 4].split())
        room = ONELINE_WORDS if width is None else min(ONELINE_WORDS, width - line.cell_len - 2)
        if room >= 4:
            if len(words) > room:
                words = words[: room - 1].rstrip() + "…"
            line.append("  " + words)
        view.append_text(line)
        view.append("\n")
    return view


def trash_view(contents: Sequence[tuple[str, object, Entry | None]], *, width: int | None) -> Text:
    """The trash, one line each like history --oneline (an entry that cannot be read
    without the passphrase shows its day and layer only)."""
    view = Text()
    for entry_id, _path, entry in contents:
        if entry is None:
            view.append(f"{'?':<10}  {'-':<10}  {entry_id}\n")
        else:
            view.append_text(oneline_view([entry], width=width))
    return view


def lookback_view(found: Sequence[tuple[str, Sequence[Entry]]], *, day: date, width: int) -> Text:
    """Each time ago with what was written then, nearest first."""
    view = Text()
    for words, entries in found:
        view.append(f"{words[0].upper()}{words[1:]}", style="bold underline")
        view.append("\n\n")
        view.append_text(history_view(entries, full=False, width=width))
    return view


REVISIT_COLUMN = 36  # narrowest answer column worth setting side by side


def revisit_view(prompt: str, answers: Sequence[Entry], *, width: int | None) -> RenderableType:
    """Every answer to one prompt, oldest first; side by side when the terminal is wide
    enough, one after another otherwise (and off a terminal)."""
    first = answers[0].day
    header = Text()
    about = f"answered {plural(len(answers), 'time')}, first on {day_label(first)}"
    if width is None:
        header.append(prompt + "\n", style="italic")
        header.append(about + "\n", style="dim")
    else:
        add_wrapped(header, prompt, width=width, style="italic", indent=0)
        add_wrapped(header, about, width=width, style="dim", indent=0)

    def heading(entry: Entry, column: int | None) -> Text:
        parts = [Text(day_label(entry.day), style="bold")]
        if entry.day != first:
            parts.append(Text(later_words(first, entry.day), style="dim"))
        return packed([*parts, Text(entry.id, style="dim")], column)

    per_row = 1 if width is None else max(1, min(len(answers), 3, width // REVISIT_COLUMN))
    if per_row == 1:
        view = header.copy()
        view.append("\n")
        for entry in answers:
            view.append_text(heading(entry, width))
            view.append("\n")
            if width is None:
                view.append(entry.text + "\n\n")
            else:
                add_wrapped(view, entry.text, width=width)
                view.append("\n")
        return view
    from rich.table import Table

    grid = Table.grid(padding=(0, 3), expand=True)
    for _ in range(per_row):
        grid.add_column(ratio=1, overflow="fold")
    for start in range(0, len(answers), per_row):
        row: list[RenderableType] = []
        for entry in answers[start : start + per_row]:
            cell = heading(entry, (width or 0) // per_row - 3)
            cell.append("\n\n")
            cell.append(entry.text + "\n")
            row.append(cell)
        grid.add_row(*row, *([""] * (per_row - len(row))))
    return Group(header, grid)


def later_words(first: date, day: date) -> str:
    """How long after the first answer: 5 days later, 3 weeks later, a year later."""
    days = (day - first).days
    if days < 14:
        amount = plural(days, "day")
    elif days < 60:
        amount = plural(days // 7, "week")
    elif days < 730:
        amount = plural(days // 30, "month")
    else:
        amount = plural(days // 365, "year")
    return ("a " + amount[2:] if amount.startswith("1 ") else amount) + " later"


def entry_view(entry: Entry, *, width: int | None) -> Text:
    """One entry in full. With a width (a terminal) wrapped and indented; without one
    (a pipe, a file) the text exactly as written, never wrapped or padded."""
    view = entry_heading(entry, width)
    view.append("\n\n")
    if width is None:
        if entry.prompt:
            view.append(entry.prompt + "\n\n", style="italic")
        view.append(entry.text + "\n")
    else:
        if entry.prompt:
            add_wrapped(view, entry.prompt, width=width, style="italic")
            view.append("\n")
        add_wrapped(view, entry.text, width=width)
    details = entry_details(entry)
    if details is not None:
        view.append("\n")
        view.append_text(details if width is not None else Text(details.plain.strip()))
        view.append("\n")
    return view


# --- the layers picture ----------------------------------------------------------

STRIP = {"kept": ("■", ""), "not_kept": ("□", "dim"), "paused": ("–", "dim")}
LABEL = 14  # "♥ compassion" and two spaces; the strip and presence's words start here
MOOD_COLOURS = {1: "blue", 2: "cyan", 3: "green", 4: "yellow", 5: "bright_yellow"}


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
    sentence = sentence if detail else closing_sentence(presence)
    if sentence:
        parts += [Text(""), *wrapped(sentence, width, style="italic")]
    if not detail:
        parts += [Text(""), *wrapped(MORE_HINT, width, style="dim")]
    return Group(*parts)


def layers_panel(report: Report, *, width: int) -> Panel:
    from rich.panel import Panel

    inner = max(20, width - 4)  # the border and one space of padding either side
    lines = panel_lines(report, inner)
    title = Text(f"Your layers · {day_label(report.as_of)}", style="bold")
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
        label = Text(f"{GLYPHS[layer]} {layer}", style=COLOURS[layer])
        phrases = layer_phrases(series)
        if series.status == "not_started":
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
        rule = Text("▔" * 12 + "  ", style="cyan dim") if wide else Text("  ")
        lines += [
            Text.assemble(rule, line) for line in wrapped(FOUNDATION, inner - rule.cell_len, "dim")
        ]
    lines.append(Text(""))
    for n, words in enumerate(presence_lines(presence)):
        label = Text("  presence" if n == 0 else "", style="bold")
        lines += labelled(label, None, words, inner, wide=wide)
    if started:
        lines += [Text(""), *strip_legend(report, inner)]
    return lines


def labelled(
    label: Text, strip: Text | None, phrases: Sequence[str], inner: int, *, wide: bool
) -> list[Text]:
    """A row: the label, the strip (if any) and the words, which wrap between phrases.
    Narrow, the words go under the label, indented."""
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


def wrapped(text: str, width: int, style: str = "") -> list[Text]:
    return [Text(line, style=style) for line in wrap_lines(text, max(10, width))]


def strip_legend(report: Report, inner: int) -> list[Text]:
    """What the strips' marks mean, naming only the marks in use."""
    used = {mark for series in report.layers.values() for mark in series.rhythm.marks}
    windows = {s.rhythm.window for s in report.layers.values() if s.status != "not_started"}
    one = window_units(windows.pop())[0] if len(windows) == 1 else "stretch"
    meanings = {
        "kept": f"a {one} with that layer",
        "not_kept": f"a {one} without",
        "paused": f"a paused {one}",
    }
    items = [
        Text(f"{STRIP[mark][0]} {meanings[mark]}", style="dim") for mark in STRIP if mark in used
    ]
    return pack(items, inner)


def pack(items: Sequence[Text], width: int, gap: int = 2) -> list[Text]:
    """Items on as few lines as fit, two spaces apart."""
    lines: list[Text] = []
    for item in items:
        if lines and lines[-1].cell_len + gap + item.cell_len <= width:
            lines[-1].append(" " * gap)
            lines[-1].append_text(item)
        else:
            lines.append(item.copy())
    return lines


def detail_lines(report: Report, *, width: int) -> list[Text]:
    """--detail: how settled each habit is, the foundation's support, chains with their
    grace and chapters, and coming back, each in words."""
    wide = width >= LABEL + 40
    rows: list[tuple[Text, list[str]]] = []

    def label(name: str) -> Text:
        if name == "presence":
            return Text("  presence", style="bold")
        return Text(f"{GLYPHS[name]} {name}", style=COLOURS[name])

    lines = [Text("How settled each habit is", style="bold")]
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
    lines += [Text(""), Text("Chains, grace and chapters", style="bold")]
    for layer in (*reversed(LAYERS), "presence"):
        series = report.presence if layer == "presence" else report.layers[layer]
        chains = labelled(label(layer), None, chain_details(series), width - 2, wide=wide)
        lines += indent(chains, 2)
    lines += [Text(""), Text("Coming back", style="bold")]
    presence = report.presence
    said = [returns_details(presence)]
    if presence.returns.total > 1 and presence.status in ("written", "open"):
        said.append(closing_sentence(presence) or "")
    lines += indent(wrapped(" ".join(said).strip(), width - 2), 2)
    return lines


def layer_calendar(
    today: date,
    first: date,
    themes_by_day: Mapping[date, set[str | None]],
    paused: set[date],
    *,
    weeks: int,
    width: int,
    title: str | None = None,
) -> list[Text]:
    """Recent weeks, each day marked by the layer written on it."""

    def cell(day: date) -> tuple[str, str]:
        themes = themes_by_day.get(day)
        if themes:
            layers = {theme for theme in themes if theme is not None}
            if len(layers) > 1:
                return SEVERAL, "bold"
            if layers:
                layer = layers.pop()
                return GLYPHS[layer], COLOURS[layer]
            return UNTHEMED, ""
        return (RESTING, "dim") if day in paused else (NOTHING, "dim")

    grid, used, heading = day_grid(today, first, cell, weeks=weeks, width=width)
    legend = [Text(f"{GLYPHS[n]} {n}", style=COLOURS[n]) for n in LAYERS if GLYPHS[n] in used]
    legend += [
        Text(f"{glyph} {name}", style="dim")
        for glyph, name in (
            (SEVERAL, "several"),
            (UNTHEMED, "no layer"),
            (RESTING, "paused"),
            (NOTHING, "quiet"),
        )
        if glyph in used
    ]
    return [Text(title or heading, style="bold"), *grid, *indent(pack(legend, width - 5), 5)]


def mood_calendar(
    today: date,
    first: date,
    moods: Mapping[date, float],
    written: Iterable[date],
    paused: set[date],
    *,
    weeks: int,
    width: int,
) -> list[Text]:
    """Recent weeks, each day marked by its mood (the day's average, 1 heavy to 5 light)."""
    written = set(written)

    def cell(day: date) -> tuple[str, str]:
        if day in moods:
            mood = min(5, max(1, int(moods[day] + 0.5)))
            return str(mood), MOOD_COLOURS[mood]
        if day in written:
            return UNTHEMED, ""
        return (RESTING, "dim") if day in paused else (NOTHING, "dim")

    grid, used, title = day_grid(today, first, cell, weeks=weeks, width=width)
    scale = Text()
    for mood, colour in MOOD_COLOURS.items():
        scale.append(str(mood), style=colour)
        scale.append(" ")
    scale.append("from heavy to light", style="dim")
    legend = [scale] + [
        Text(f"{glyph} {name}", style="dim")
        for glyph, name in ((UNTHEMED, "no mood given"), (RESTING, "paused"), (NOTHING, "quiet"))
        if glyph in used
    ]
    lines = [Text(f"Mood, {title[0].lower()}{title[1:]}", style="bold"), *grid]
    lines += indent(pack(legend, width - 5), 5)
    if not any(str(mood) in used for mood in MOOD_COLOURS):
        lines += [Text(""), *wrapped(MOOD_NONE, width, style="dim")]
    return lines


def sealed_moods(width: int) -> list[Text]:
    return wrapped(MOOD_SEALED, width, style="dim")


def indent(lines: Iterable[Text], by: int) -> list[Text]:
    return [Text.assemble(" " * by, line) for line in lines]


def day_grid(
    today: date,
    first: date,
    cell: Callable[[date], tuple[str, str]],
    *,
    weeks: int,
    width: int,
) -> tuple[list[Text], set[str], str]:
    """Weeks as columns (oldest left, from the week of the first entry at most), Monday
    to Sunday as rows; days before the first entry and after today are blank. Returns
    the month row and the day rows, the marks used, and a title."""
    last_monday = today - timedelta(days=today.weekday())
    since_start = (last_monday - (first - timedelta(days=first.weekday()))).days // 7 + 1
    shown = max(1, min(weeks, since_start, (width - 6) // 2))
    title = "Since you began" if shown == since_start < weeks else f"Last {plural(shown, 'week')}"
    first_monday = last_monday - timedelta(weeks=shown - 1)
    rows: list[Text] = []
    used: set[str] = set()
    for weekday, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        line = Text(f"{name}  ", style="dim")
        for week in range(shown):
            day = first_monday + timedelta(weeks=week, days=weekday)
            glyph, style = cell(day) if first <= day <= today else (" ", "")
            if day == today and glyph == NOTHING:
                glyph = " "  # today stays open until it ends
            used.add(glyph)
            line.append(glyph, style=style + (" underline" if day == today else ""))
            line.append(" ")
        line.rstrip()
        rows.append(line)
    return [month_row(first_monday, shown, today), *rows], used, title


def month_row(first_monday: date, weeks: int, today: date) -> Text:
    """Each month's name over the week it starts in; the first week's month too when
    there is room before the next name."""
    starts = {}
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if day.day == 1 and day <= today:
                starts[week] = f"{day:%b}"
    if 0 not in starts and (not starts or min(starts) >= 2):
        starts[0] = f"{first_monday:%b}"
    row = [" "] * (weeks * 2 + 2)
    for week, name in sorted(starts.items()):
        row[week * 2 : week * 2 + 3] = name
    return Text("     " + "".join(row).rstrip(), style="dim")


def recorded(renderable: RenderableType, *, width: int) -> Console:
    """A console that drew the renderable in colour, off screen, for Rich's exports."""
    console = Console(
        record=True,
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        no_color=False,
        highlight=False,
    )
    console.print(renderable)
    return console


def picture_files(renderable: RenderableType, *, width: int) -> tuple[str, str]:
    """The picture as SVG and as HTML, through Rich's own export, in colour."""
    console = recorded(renderable, width=width)
    svg = console.export_svg(title="Your layers", clear=False)
    html = console.export_html(inline_styles=True, clear=False)
    return svg, html


# --- lists --------------------------------------------------------------------------


def prompts_table(prompts: Iterable[Prompt]) -> Table:
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("layer", no_wrap=True)
    table.add_column("depth", justify="right")
    table.add_column("prompt", overflow="fold")
    for prompt in prompts:
        table.add_row(
            prompt.id + (" (yours)" if prompt.own else ""),
            Text(prompt.theme, style=COLOURS[prompt.theme]),
            str(prompt.depth),
            prompt.text,
        )
    return table


def pauses_table(pauses: Iterable[tuple[Pause, str | None]]) -> Table:
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("from", no_wrap=True)
    table.add_column("to", no_wrap=True)
    table.add_column("days", justify="right")
    table.add_column("note", overflow="fold")
    for pause, note in pauses:
        table.add_row(
            pause.id, pause.start.isoformat(), pause.end.isoformat(), str(pause.days), note or ""
        )
    return table


def show_key_values(rows: Iterable[tuple[str, str]]) -> None:
    """Names and values in two columns; for a pipe, a name, a tab and the value whole
    on each line, never wrapped or padded, ready for awk and cut."""
    from rich.table import Table

    console = out()
    if not console.is_terminal:
        for key, value in rows:
            print(f"{key}\t{value}")
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)


# --- output with a pager ------------------------------------------------------------


def show(renderable: RenderableType, *, page: bool = False) -> None:
    """Print to stdout; through a pager when asked, stdout is a terminal and it is long."""
    console = out()
    # A Text built by add_wrapped is already wrapped: printing it as is saves a pass,
    # and off a terminal (a pipe, a file) its plain text is exactly what Rich would write.
    no_wrap = isinstance(renderable, Text)
    if isinstance(renderable, Text) and not console.is_terminal:
        sys.stdout.write(printable(renderable.plain))
        return
    if not (page and console.is_terminal):
        console.print(renderable, no_wrap=no_wrap)
        return
    buffer = io.StringIO()
    capture = make_console(
        file=buffer,
        width=console.width,
        force_terminal=True,
        color_system="truecolor" if console.color_system == "truecolor" else "auto",
        no_color=console.no_color,
        highlight=False,
    )
    capture.print(renderable, no_wrap=no_wrap)
    text = buffer.getvalue()
    height = console.size.height
    if text.count("\n") < height - 1 or not run_pager(text):
        sys.stdout.write(text)
        sys.stdout.flush()


def run_pager(text: str) -> bool:
    """Send text through $PAGER (less -FRX by default, as git does); False if none ran."""
    import shlex
    import subprocess

    command = os.environ.get("LAYERS_JOURNAL_PAGER") or os.environ.get("PAGER") or "less"
    if command.strip() in ("", "cat"):
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        pager = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, env=env)
    except (OSError, ValueError):
        return False
    assert pager.stdin is not None
    try:
        pager.stdin.write(text.encode("utf-8", "replace"))
        pager.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit early, as with q in less
    try:
        pager.wait()
    except KeyboardInterrupt:
        pager.wait()
    return True


# --- journal review -----------------------------------------------------------------

# Mood 1 (heavy) to 5 (light) as the height of a block; a day without one as NOTHING.
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

    from .messages import REVIEW_QUIET, pages_words, returns_in_period, review_title

    period = figures.period
    name = period.name
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
    looked = f"{plural(period.days, 'day')} so far" if not period.complete else ""
    summary = [
        part
        for part in (
            looked,
            f"{plural(figures.presence.days, 'day')} with a page",
            plural(figures.presence.entries, "page"),
            plural(figures.words, "word") + " written",
        )
        if part
    ]
    body: list[RenderableType] = [Text(" · ".join(summary)), Text(""), rows]
    if figures.presence.entries == 0:
        body = [Text(REVIEW_QUIET.format(period=name))]
    title = Text(f" {review_title(name, period.first, period.last)} ", style="bold")
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
    sentences = [returns_in_period(list(figures.returns), name)]
    if figures.tags:
        listed = ", ".join(f"#{tag} ({n})" for tag, n in figures.tags)
        sentences.append(f"Tags that came up more than once: {listed}.")
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
        parts += [Text(""), Text("Looking back", style="bold"), Padding(asked, (0, 0, 0, 2))]
    return Group(*parts)


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
    per = "month" if yearly else "day"
    legend = Text(
        f"  one mark a {per}: {MOOD_BLOCKS[0]} heavy (1) to {MOOD_BLOCKS[-1]} light (5),"
        f" {NOTHING} none noted",
        style="dim",
    )
    axis = Text("  " + "".join(labels).rstrip(), style="dim")
    return Group(Text("Mood when you noted it", style="bold"), marks, axis, legend)


# --- pictures for documents -----------------------------------------------------------


def html_picture(renderable: RenderableType, *, width: int = 80) -> str:
    """A renderable as escaped HTML spans with inline colours, for inside a <pre>."""
    console = recorded(renderable, width=width)
    return console.export_html(inline_styles=True, code_format="{code}").rstrip("\n")
