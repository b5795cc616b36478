"""Everything drawn with Rich: consoles, panels, the layers picture, history, the pager.

The only module that imports Rich at the top; the CLI imports it when it has something
to show, so commands that print nothing pay nothing for it.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from .layers import LAYERS
from .messages import (
    STATUS_WORDS,
    chain_words,
    chapters_words,
    day_label,
    plural,
    returns_count,
    returns_sentence,
)

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.table import Table

    from .entries import Entry
    from .index import Passage
    from .layers import Report, Series
    from .pauses import Pause
    from .prompts import Prompt

COLOURS = {"awareness": "cyan", "connection": "yellow", "compassion": "magenta"}
GLYPHS = {"awareness": "●", "connection": "◆", "compassion": "♥"}
SEVERAL, UNTHEMED, NOTHING, RESTING, LATER = "✱", "○", "·", "–", " "
# A layer's first two weeks show counts, not a percentage that looks small.
EARLY_DAYS = 14

_stdout: Console | None = None
_stderr: Console | None = None


def out() -> Console:
    global _stdout
    if _stdout is None:
        _stdout = Console(highlight=False, soft_wrap=False)
    return _stdout


def err() -> Console:
    global _stderr
    if _stderr is None:
        _stderr = Console(stderr=True, highlight=False)
    return _stderr


def say(message: str, *, style: str | None = None) -> None:
    """A line for the person on stderr (stdout stays clean for content and pipes)."""
    err().print(Text(message, style=style or ""), soft_wrap=True)


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
    layer = (
        Text(f"{GLYPHS[entry.theme]} {entry.theme}", style=COLOURS[entry.theme])
        if entry.theme
        else Text("no layer", style="dim")
    )
    written = f"{local:%H:%M}" + (f" (written {local:%d %b})" if local.date() != entry.day else "")
    return [
        Text(day_label(entry.day), style="bold"),
        layer,
        Text(written, style="dim"),
        Text(entry.id, style="dim"),
    ]


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
        parts.append(f"arrived as {entry.mood}/5")
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
    from .index import MARK_END, MARK_START

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


def bar(height: float, strength: float, width: int, colour: str) -> Text:
    """Solid: the height the layer stands at; shaded: the rest of its own strength."""
    solid = min(width, round(height * width))
    shaded = max(0, min(width, round(strength * width)) - solid)
    text = Text("█" * solid, style=colour)
    text.append("▒" * shaded, style=f"{colour} dim")
    text.append("░" * (width - solid - shaded), style="dim")
    return text


def strength_words(series: Series, height: float, today: date) -> str:
    """A percentage, or a count of days while a series is in its first two weeks."""
    if series.first_day is None:
        return "not yet"
    if (today - series.first_day).days < EARLY_DAYS:
        return f"{plural(series.active_days, 'day')} so far"
    if round(height * 100) == round(series.strength * 100):
        return f"{series.strength:.0%}"
    return f"{height:.0%} (own {series.strength:.0%})"


def chain_detail(series: Series, today: date) -> str:
    early = series.first_day is not None and (today - series.first_day).days < EARLY_DAYS
    if early and series.streak == series.active_days:
        return ""  # "3 days so far" already says it
    return chain_words(series)


def series_detail(series: Series, today: date) -> str:
    parts = (chain_detail(series, today), returns_count(series))
    return " · ".join(part for part in parts if part)


def layers_view(
    report: Report,
    *,
    themes_by_day: Mapping[date, set[str | None]],
    paused: set[date],
    weeks: int,
    width: int,
) -> Group:
    """The stacked layers (awareness at the bottom), presence, a heat map, one sentence."""
    from rich.panel import Panel

    inner = min(width, 100) - 4
    narrow = inner < 62
    bar_width = inner - 4 if narrow else max(10, min(24, inner - 60))
    layers_rows = SeriesRows(narrow=narrow, detail_width=inner - bar_width - 30)
    for layer in reversed(LAYERS):
        series, height = report.layers[layer], report.heights[layer]
        layers_rows.add(
            Text(f"{GLYPHS[layer]} {layer}", style=COLOURS[layer]),
            bar(height, series.strength, bar_width, COLOURS[layer]),
            strength_words(series, height, report.as_of),
            [series_detail(series, report.as_of)],
        )
    foundation = Text.assemble(
        ("▔" * 12, "cyan dim"),
        (f" foundation: awareness lifts the layers above to {report.support:.0%}", "dim"),
    )
    presence = report.presence
    presence_rows = SeriesRows(narrow=narrow, detail_width=inner - bar_width - 30)
    presence_rows.add(
        Text("  presence", style="bold"),
        bar(presence.strength, presence.strength, bar_width, "green"),
        strength_words(presence, presence.strength, report.as_of),
        [chain_detail(presence, report.as_of)],
    )
    indent = 2 if narrow else SeriesRows.LABEL + 1
    notes = [
        Padding(Text(line, style="dim"), (0, 0, 0, indent))
        for line in presence_lines(presence)
        if line
    ]
    heat = heat_map(report.as_of, themes_by_day, paused, weeks=min(weeks, max(4, (width - 6) // 2)))
    sentence = Text(returns_sentence(presence.returns, presence), style="italic")
    title = Text(f" Your layers · {day_label(report.as_of)} ", style="bold")
    stack = Panel(
        Group(layers_rows.table, foundation, Text(""), presence_rows.table, *notes),
        title=title,
        title_align="left",
        border_style="dim",
        padding=(1, 1),
        width=inner + 4,
    )
    return Group(stack, Text(""), heat, Text(""), sentence)


class SeriesRows:
    """Rows of label, bar, amount and details; stacked vertically when narrow."""

    LABEL, AMOUNT = 13, 13

    def __init__(self, *, narrow: bool, detail_width: int) -> None:
        from rich.table import Table

        self.narrow = narrow
        self.table = Table.grid(padding=(0, 1))
        if narrow:
            self.table.add_column(overflow="fold")
        else:
            self.table.add_column(no_wrap=True, width=self.LABEL)
            self.table.add_column(no_wrap=True)
            self.table.add_column(no_wrap=True, width=self.AMOUNT)
            self.table.add_column(overflow="fold", min_width=max(10, detail_width))

    def add(self, label: Text, graph: Text, amount: str, details: Sequence[str]) -> None:
        lines = [line for line in details if line]
        if self.narrow:
            self.table.add_row(Text.assemble(label, f"  {amount}"))
            self.table.add_row(Text.assemble("  ", graph))
            for line in lines:
                self.table.add_row(Padding(Text(line, style="dim"), (0, 0, 0, 2)))
            return
        first, *rest = lines or [""]
        self.table.add_row(label, graph, Text(amount), Text(first, style="dim"))
        for line in rest:
            self.table.add_row("", "", "", Text(line, style="dim"))


def presence_lines(series: Series) -> list[str]:
    if series.status == "not_started":
        return ["it begins with your first page"]
    first = [STATUS_WORDS[series.status]]
    if series.graces:
        first.append(f"{plural(series.graces, 'grace day')} kept it going")
    first.append(returns_count(series))
    second = [f"{plural(series.active_days, 'day')} written in all", chapters_words(series)]
    return [" · ".join(part for part in part_list if part) for part_list in (first, second)]


def heat_map(
    today: date,
    themes_by_day: Mapping[date, set[str | None]],
    paused: set[date],
    *,
    weeks: int,
) -> Group:
    """Weeks as columns (oldest left), Monday to Sunday as rows, each day by its layer."""
    from rich.columns import Columns

    last_monday = today - timedelta(days=today.weekday())
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    months = [" "] * (weeks * 2 + 3)
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        firsts = [
            monday + timedelta(days=n) for n in range(7) if (monday + timedelta(days=n)).day == 1
        ]
        if firsts or week == 0:
            label = f"{(firsts[0] if firsts else monday):%b}"
            if week == 0 or months[week * 2 - 1] == " ":
                months[week * 2 : week * 2 + 3] = label
    lines: list[RenderableType] = [
        Text(f"Last {weeks} weeks", style="bold"),
        Text("     " + "".join(months).rstrip(), style="dim"),
    ]
    for weekday, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        line = Text(f"{name}  ", style="dim")
        for week in range(weeks):
            day = first_monday + timedelta(weeks=week, days=weekday)
            glyph, style = day_cell(day, today, themes_by_day, paused)
            line.append(glyph, style=style + (" underline" if day == today else ""))
            line.append(" ")
        lines.append(line)
    legend = [Text(f"{GLYPHS[n]} {n}", style=COLOURS[n]) for n in LAYERS]
    legend += [
        Text(f"{glyph} {name}", style="dim")
        for glyph, name in (
            (SEVERAL, "several"),
            (UNTHEMED, "no layer"),
            (RESTING, "paused"),
            (NOTHING, "quiet"),
        )
    ]
    lines.append(Padding(Columns(legend, padding=(0, 2)), (0, 0, 0, 5)))
    return Group(*lines)


def day_cell(
    day: date, today: date, themes_by_day: Mapping[date, set[str | None]], paused: set[date]
) -> tuple[str, str]:
    if day > today:
        return LATER, ""
    themes = themes_by_day.get(day)
    if themes:
        layers = {theme for theme in themes if theme is not None}
        if len(layers) > 1:
            return SEVERAL, "bold"
        if layers:
            layer = layers.pop()
            return GLYPHS[layer], COLOURS[layer]
        return UNTHEMED, ""
    if day in paused:
        return RESTING, "dim"
    return NOTHING, "dim"


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


def key_values(rows: Iterable[tuple[str, str]]) -> Table:
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, value)
    return table


# --- output with a pager ------------------------------------------------------------


def show(renderable: RenderableType, *, page: bool = False) -> None:
    """Print to stdout; through a pager when asked, stdout is a terminal and it is long."""
    console = out()
    # A Text built by add_wrapped is already wrapped: printing it as is saves a pass,
    # and off a terminal (a pipe, a file) its plain text is exactly what Rich would write.
    no_wrap = isinstance(renderable, Text)
    if isinstance(renderable, Text) and not console.is_terminal:
        sys.stdout.write(renderable.plain)
        return
    if not (page and console.is_terminal):
        console.print(renderable, no_wrap=no_wrap)
        return
    buffer = io.StringIO()
    capture = Console(
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
