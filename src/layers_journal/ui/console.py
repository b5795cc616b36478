"""The consoles and what every view shares: the palette, the one way out (every
character made harmless, see terminal.py), wrapping, the pager and Rich's exports.

With views.py and picture.py, the only modules that import Rich at the top; the CLI
imports them when it has something to show, so commands that print nothing pay nothing.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Sequence

from rich.console import (
    Console,
    ConsoleOptions,
    ConsoleRenderable,
    RenderableType,
    RenderHook,
    RenderResult,
)
from rich.segment import Segment
from rich.text import Text

from .mode import is_plain
from .terminal import printable

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
    if is_plain():  # linear text: no colour, no emoji codes, nothing redrawn
        options = {"color_system": None, "emoji": False, **options}
    if "width" not in options and "file" not in options:
        size = dumb_terminal_size(sys.stderr if options.get("stderr") else sys.stdout)
        if size:  # Rich takes width and height together, or 80 by 25 for a dumb one
            options["width"], options["height"] = size
    made = Console(**options)  # type: ignore[arg-type]
    made.push_render_hook(ShowPrintable())
    return made


def dumb_terminal_size(stream: object) -> tuple[int, int] | None:
    """Rich takes a dumb terminal to be 80 columns; it has a real width like any other."""
    if os.environ.get("TERM") not in ("dumb", "unknown") or os.environ.get("COLUMNS"):
        return None
    try:
        size = os.get_terminal_size(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return size.columns, size.lines


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


def layer_label(layer: str) -> str:
    """A layer as its screens name it: its mark and its name, or in plain output the
    name alone (a screen reader would say "black circle")."""
    return layer if is_plain() else f"{GLYPHS[layer]} {layer}"


def plain_title(title: str) -> str:
    """A title as plain output says it: its pieces parted by commas, not middle dots,
    and a span of days from one to the other, not with a dash."""
    said = title.replace(" · ", ", ").replace(" – ", " to ")
    return SHORT_NAMES.sub(lambda short: FULL_NAMES[short.group()], said)


# Day and month names in full for plain output: a screen reader says "Mon" as "mon".
FULL_NAMES = {
    **{day[:3]: day for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")},
    "Sat": "Saturday",
    "Sun": "Sunday",
    **{
        month[:3]: month
        for month in (
            "January February March April June July August September October November December"
        ).split()
    },
}
SHORT_NAMES = re.compile(r"\b(" + "|".join(FULL_NAMES) + r")\b")


def say(message: str, *, style: str | None = None, fold: bool = False) -> None:
    """A line for the person on stderr (stdout stays clean for content and pipes); with
    fold, a longer explanation folded between words at a terminal's width (piped, it
    stays one line per sentence group, as it always does)."""
    console = err()
    console.print(Text(message, style=style or ""), soft_wrap=not (fold and console.is_terminal))


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


def wrapped(text: str, width: int, style: str = "") -> list[Text]:
    return [Text(line, style=style) for line in wrap_lines(text, max(10, width))]


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


def indent(lines: Iterable[Text], by: int) -> list[Text]:
    return [Text.assemble(" " * by, line) for line in lines]


def show_key_values(rows: Iterable[tuple[str, str]]) -> None:
    """Names and values in two columns; for a pipe, a name, a tab and the value whole
    on each line, never wrapped or padded, ready for awk and cut."""
    from rich.table import Table

    console = out()
    if not console.is_terminal:
        for key, value in rows:
            print(f"{key}\t{value}")
        return
    if is_plain():
        for key, value in rows:
            print(f"{key}: {value}")
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)


def show(renderable: RenderableType, *, page: bool = False) -> None:
    """Print to stdout; through a pager when asked, stdout is a terminal and it is long."""
    console = out()
    # A Text built by add_wrapped is already wrapped: printing it as is saves a pass,
    # and off a terminal (a pipe, a file) its plain text is exactly what Rich would write.
    no_wrap = isinstance(renderable, Text)
    if isinstance(renderable, Text) and not console.is_terminal:
        sys.stdout.write(unpadded(printable(renderable.plain)))
        return
    if not console.is_terminal or is_plain():
        # Linear text: drawn off screen, then every line without the spaces a table
        # pads it with (a pipe, a file and a screen reader have no use for them).
        with console.capture() as captured:
            console.print(renderable, no_wrap=no_wrap)
        text = unpadded(captured.get())
        long = text.count("\n") >= console.size.height - 1
        if page and console.is_terminal and long and run_pager(text):
            return
        sys.stdout.write(text)
        sys.stdout.flush()
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


def unpadded(text: str) -> str:
    """Every line without trailing spaces."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


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
