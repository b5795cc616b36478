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
    review_words,
)

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.table import Table

    from .entries import Entry
    from .layers import Report, Series
    from .pauses import Pause
    from .prompts import Prompt
    from .review import Figures, MoodPoint

COLOURS = {"awareness": "cyan", "connection": "yellow", "compassion": "magenta"}
GLYPHS = {"awareness": "●", "connection": "◆", "compassion": "♥"}
SEVERAL, UNTHEMED, NOTHING, RESTING, LATER = "✱", "○", "·", "–", " "
REVIEW_MARK = "❖"
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


def entry_heading(entry: Entry) -> Text:
    local = entry.created_local
    heading = Text.assemble((f"{day_label(entry.day)}", "bold"), ("  ", ""))
    if entry.kind == "review":
        heading.append(f"{REVIEW_MARK} {review_words(entry.covers)}", style="bold")
    elif entry.theme:
        heading.append(f"{GLYPHS[entry.theme]} {entry.theme}", style=COLOURS[entry.theme])
    else:
        heading.append("no layer", style="dim")
    heading.append(f"  {local:%H:%M}", style="dim")
    if local.date() != entry.day:
        heading.append(f" (written {local:%d %b})", style="dim")
    heading.append(f"  {entry.id}", style="dim")
    return heading


def entry_details(entry: Entry) -> Text | None:
    parts = []
    if entry.mood is not None:
        parts.append(f"arrived as {entry.mood}/5")
    if entry.tags:
        parts.append(" ".join(f"#{tag}" for tag in entry.tags))
    return Text("  " + " · ".join(parts), style="dim") if parts else None


def preview(text: str, lines: int = 3) -> str:
    """The first few non-blank lines, with … when there is more."""
    filled = [line for line in text.split("\n") if line.strip()]
    shown = "\n".join(filled[:lines])
    return shown + " …" if len(filled) > lines else shown


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
        out.append(" " * indent + line + "\n", style=style)


def history_view(entries: Sequence[Entry], *, full: bool, words: Sequence[str], width: int) -> Text:
    """The readable list: date, layer, prompt and the first lines (or all of them)."""
    view = Text()
    for entry in entries:
        view.append_text(entry_heading(entry))
        view.append("\n")
        if entry.prompt:
            add_wrapped(view, entry.prompt, width=width, style="italic dim")
        add_wrapped(view, entry.text if full else preview(entry.text), width=width)
        details = entry_details(entry)
        if details is not None:
            view.append_text(details)
            view.append("\n")
        view.append("\n")
    for word in words:
        cleaned = word.strip("\"'")
        if cleaned:
            view.highlight_regex(re.compile(re.escape(cleaned), re.IGNORECASE), "reverse")
    return view


def entry_view(entry: Entry) -> Group:
    parts: list[RenderableType] = [entry_heading(entry)]
    if entry.prompt:
        parts.append(Padding(Text(entry.prompt, style="italic"), (1, 2, 0, 2)))
    parts.append(Padding(Text(entry.text), (1, 2, 1, 2)))
    details = entry_details(entry)
    if details is not None:
        parts.append(details)
    return Group(*parts)


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


# --- journal review -----------------------------------------------------------------

# Mood 1 (heavy) to 5 (light) as the height of a block; a day without one as NOTHING.
MOOD_BLOCKS = "▁▂▃▄▅▆▇█"


def review_view(
    figures: Figures,
    *,
    prompts: Mapping[str, Prompt],
    themes_by_day: Mapping[date, set[str | None]],
    paused: set[date],
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
    monday = period.first - timedelta(days=period.first.weekday())
    weeks = min((period.end - monday).days // 7 + 1, max(4, (width - 6) // 2))
    parts += [Text(""), heat_map(period.end, themes_by_day, paused, weeks=weeks)]
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
    return console.export_html(inline_styles=True, code_format="{code}").rstrip("\n")
