"""What a person reads back: today's prompt, history, one entry, lookback, revisit, the
trash, and the tables of prompts and pauses, as Rich renderables."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import (
    Console,
    Group,
    RenderableType,
)
from rich.padding import Padding
from rich.text import Text

from layers_journal.ui.messages import day_label
from layers_journal.ui.words import later_words, review_words, revisit_about

from .console import (
    COLOURS,
    GLYPHS,
    REVIEW_MARK,
    add_wrapped,
    layer_label,
    plain_title,
    wrap_lines,
)
from .mode import is_plain

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.table import Table

    from layers_journal.folder.entries import Entry
    from layers_journal.folder.pauses import Pause
    from layers_journal.index import Passage
    from layers_journal.prompts import Prompt


def prompt_panel(*, day: date, layer: str, prompt: Prompt, note: str | None = None) -> Panel | Text:
    from rich.panel import Panel

    if is_plain():  # the day and layer, then the prompt: no frame to read around
        view = Text()
        head = plain_title(f"{day_label(day)}, {layer}") + (f", {note}" if note else "")
        add_wrapped(view, head, width=plain_width(), style="bold", indent=0)
        view.append("\n")
        add_wrapped(view, prompt.text, width=plain_width(), indent=0)
        return view

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


def plain_width() -> int:
    from .console import out

    return out().width


def heading_parts(entry: Entry) -> list[Text]:
    """Day (the entry's own), layer, time written (and on which day, when another),
    id: the pieces of an entry's heading, each kept whole."""
    local = entry.created_local
    if entry.kind == "review":
        mark = "" if is_plain() else f"{REVIEW_MARK} "
        layer = Text(f"{mark}{review_words(entry.covers)}", style="bold")
    elif entry.theme:
        layer = Text(layer_label(entry.theme), style=COLOURS[entry.theme])
        if entry.kind == "exercise":
            layer.append(", exercise" if is_plain() else " · exercise", style="bold")
    else:
        layer = Text("no layer", style="dim")
    on = f" (written {local.day} {local:%b})" if local.date() != entry.day else ""
    written = f"{local:%H:%M}{on}"
    return [
        Text(
            plain_title(day_label(entry.day)) if is_plain() else day_label(entry.day), style="bold"
        ),
        layer,
        Text(written, style="dim"),
        *([Text("private", style="dim italic")] if entry.private else []),
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
        parts.append(f"mood {entry.mood}/5")
    if entry.tags:
        parts.append(" ".join(f"#{tag}" for tag in entry.tags))
    joined = "; ".join(parts) if is_plain() else " · ".join(parts)
    return Text("  " + joined, style="dim") if parts else None


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
    about = revisit_about(len(answers), first)
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
    if is_plain():
        per_row = 1  # one answer after another: columns are read across, not down
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


def entry_view(entry: Entry, *, width: int | None, scales: Text | None = None) -> Text:
    """One entry in full. With a width (a terminal) wrapped and indented; without one
    (a pipe, a file) the text exactly as written, never wrapped or padded. An exercise's
    `scales`, drawn, come under its title in a terminal."""
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
        if scales is not None:
            view.append_text(scales)
            view.append("\n")
        add_wrapped(view, entry.text, width=width)
    details = entry_details(entry)
    if details is not None:
        view.append("\n")
        view.append_text(details if width is not None else Text(details.plain.strip()))
        view.append("\n")
    return view


# Narrower than this, a table's last column is too thin to read: rows are stacked.
STACK_BELOW = 60


def stacked(rows: Iterable[tuple[str, str]], *, width: int) -> Text:
    """Rows as a heading line and its text under it, indented: for narrow terminals and
    plain output, where columns would squeeze or be read across."""
    view = Text()
    for head, text in rows:
        view.append(head + "\n", style="bold")
        if text:
            add_wrapped(view, text, width=width)
    return view


def prompts_table(prompts: Iterable[Prompt], *, width: int | None = None) -> Table | Text:
    """The library: a table in a wide terminal; stacked (each prompt under its id) when
    narrow or plain; a tab between id, layer, depth and text for a pipe."""
    from rich.table import Table

    if width is None:
        return Text("".join(f"{p.id}\t{p.theme}\t{p.depth}\t{p.text}\n" for p in prompts))
    if width < STACK_BELOW or is_plain():
        return stacked(
            (
                (f"{p.id}{' (yours)' if p.own else ''}, {p.theme}, depth {p.depth}", p.text)
                for p in prompts
            ),
            width=width,
        )

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("layer", no_wrap=True)
    table.add_column("depth", justify="right")
    table.add_column("when", no_wrap=True)
    table.add_column("prompt", overflow="fold")
    for prompt in prompts:
        table.add_row(
            prompt.id + (" (yours)" if prompt.own else ""),
            Text(prompt.theme, style=COLOURS[prompt.theme]),
            str(prompt.depth),
            prompt.when,
            prompt.text,
        )
    return table


def pauses_table(pauses: Iterable[tuple[Pause, str | None]], *, width: int = 80) -> Table | Text:
    from rich.table import Table

    if width < STACK_BELOW or is_plain():
        return stacked(
            (
                (f"{p.id}: {p.start.isoformat()} to {p.end.isoformat()}, {p.days} days", note or "")
                for p, note in pauses
            ),
            width=width,
        )

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
