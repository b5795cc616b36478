"""Everything drawn with Rich: consoles, panels, the layers picture, history, the pager.

The only module that imports Rich at the top; the CLI imports it when it has something
to show, so commands that print nothing pay nothing for it.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .config import LAYERS
from .entries import Entry
from .layers import Report, Series
from .messages import STATUS_WORDS, chain_words, day_label, plural, returns_sentence
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


def highlight(text: str, words: Sequence[str], style: str = "reverse") -> Text:
    rendered = Text(text)
    for word in words:
        cleaned = word.strip("\"'")
        if cleaned:
            rendered.highlight_regex(re.compile(re.escape(cleaned), re.IGNORECASE), style)
    return rendered


def entry_heading(entry: Entry) -> Text:
    local = entry.created_local
    heading = Text.assemble((f"{day_label(entry.day)}", "bold"), ("  ", ""))
    if entry.theme:
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


def history_view(entries: Sequence[Entry], *, full: bool, words: Sequence[str]) -> Group:
    """The readable list: date, layer, prompt and the first lines (or all of them)."""
    blocks: list[RenderableType] = []
    for entry in entries:
        blocks.append(entry_heading(entry))
        if entry.prompt:
            blocks.append(
                Padding(
                    highlight(entry.prompt, words, "bold reverse"), (0, 0, 0, 2), style="italic dim"
                )
            )
        lines = entry.text.split("\n")
        shown = lines if full else lines[:3]
        text = "\n".join(shown)
        if not full and len(lines) > 3:
            text += " …"
        blocks.append(Padding(highlight(text, words), (0, 0, 0, 2)))
        details = entry_details(entry)
        if details is not None:
            blocks.append(details)
        blocks.append(Text(""))
    return Group(*blocks)


def entry_view(entry: Entry) -> Group:
    parts: list[RenderableType] = [entry_heading(entry)]
    if entry.prompt:
        parts.append(Padding(Text(entry.prompt, style="italic"), (1, 2, 0, 2)))
    parts.append(Padding(Text(entry.text), (1, 2, 1, 2)))
    details = entry_details(entry)
    if details is not None:
        parts.append(details)
    return Group(*parts)


# --- the layers picture -------------------------------------------------------------


def bar(height: float, strength: float, width: int, colour: str) -> Text:
    """Solid: the height the layer stands at; shaded: the rest of its own strength."""
    solid = round(height * width)
    shaded = max(0, round(strength * width) - solid)
    text = Text("█" * solid, style=colour)
    text.append("▒" * shaded, style=f"{colour} dim")
    text.append("░" * (width - solid - shaded), style="dim")
    return text


def strength_words(series: Series, height: float, today: date) -> str:
    if series.first_day is None:
        return "not started yet"
    if (today - series.first_day).days < EARLY_DAYS:
        return f"{plural(series.active_days, 'day')} so far"
    if abs(height - series.strength) < 0.005:
        return f"{series.strength:.0%}"
    return f"{height:.0%} (own {series.strength:.0%})"


def returns_words(series: Series) -> str:
    total = series.returns.total
    return "no returns yet" if total == 0 else f"{plural(total, 'return')}"


def layers_view(
    report: Report,
    *,
    themes_by_day: Mapping[date, set[str | None]],
    paused: set[date],
    weeks: int,
    width: int,
) -> Group:
    """The stacked layers (awareness at the bottom), presence, a heat map, one sentence."""
    narrow = width < 70
    bar_width = max(8, min(24, width - 58)) if not narrow else max(6, width - 24)
    rows = Table.grid(padding=(0, 1))
    rows.add_column(no_wrap=True)
    rows.add_column(no_wrap=True)
    if not narrow:
        rows.add_column(no_wrap=True, min_width=14)
        rows.add_column(overflow="fold")
    for layer in reversed(LAYERS):
        series, height = report.layers[layer], report.heights[layer]
        label = Text(f"{GLYPHS[layer]} {layer:<10}", style=COLOURS[layer])
        graph = bar(height, series.strength, bar_width, COLOURS[layer])
        detail = f"{chain_words(series)} · {returns_words(series)}"
        amount = strength_words(series, height, report.as_of)
        if narrow:
            rows.add_row(label, graph)
            rows.add_row(Text(""), Text(f"{amount} · {detail}", style="dim", overflow="fold"))
        else:
            rows.add_row(label, graph, Text(amount), Text(detail, style="dim"))
    presence = report.presence
    foundation = Text(
        f"  awareness holds up the layers above it (support {report.support:.0%})",
        style="dim",
    )
    presence_line = Text.assemble(
        ("presence ", "bold"),
        (presence_words(presence), ""),
    )
    heat = heat_map(report.as_of, themes_by_day, paused, weeks=min(weeks, max(4, (width - 6) // 2)))
    sentence = Text(returns_sentence(presence.returns, presence), style="italic")
    title = Text(f" Your layers · {day_label(report.as_of)} ", style="bold")
    stack = Panel(
        Group(rows, foundation, Text(""), presence_line),
        title=title,
        title_align="left",
        border_style="dim",
        padding=(1, 1),
    )
    return Group(stack, Text(""), heat, Text(""), sentence)


def presence_words(series: Series) -> str:
    if series.status == "not_started":
        return "begins with your first page"
    parts = [chain_words(series), STATUS_WORDS[series.status]]
    if series.graces:
        parts.append(f"{plural(series.graces, 'grace day')} in this chain")
    parts.append(f"{plural(series.active_days, 'day')} written in all")
    return " · ".join(parts)


def heat_map(
    today: date, themes_by_day: Mapping[date, set[str | None]], paused: set[date], *, weeks: int
) -> Group:
    """Weeks as columns (oldest left), Monday to Sunday as rows, each day by its layer."""
    last_monday = today - timedelta(days=today.weekday())
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    header = Text("     ")
    month = None
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        label = f"{monday:%b}" if monday.month != month else ""
        month = monday.month
        header.append(label[:2].ljust(2) if label else "  ", style="dim")
    lines = [Text(f"Last {weeks} weeks", style="bold"), header]
    for weekday in range(7):
        line = Text(f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[weekday]}  ", style="dim")
        for week in range(weeks):
            day = first_monday + timedelta(weeks=week, days=weekday)
            glyph, style = day_cell(day, today, themes_by_day, paused)
            line.append(glyph + " ", style=style)
        lines.append(line)
    legend = Text("     ")
    for layer in LAYERS:
        legend.append(f"{GLYPHS[layer]} {layer}  ", style=COLOURS[layer])
    legend.append(f"{SEVERAL} several  {UNTHEMED} no layer  {RESTING} paused", style="dim")
    lines.append(legend)
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
    if not (page and console.is_terminal):
        console.print(renderable)
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
    capture.print(renderable)
    text = buffer.getvalue()
    height = shutil.get_terminal_size().lines
    if text.count("\n") < height - 1 or not run_pager(text):
        sys.stdout.write(text)
        sys.stdout.flush()


def run_pager(text: str) -> bool:
    """Send text through $PAGER (less -FRX by default, as git does); False if none ran."""
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
