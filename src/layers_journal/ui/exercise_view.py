"""What `journal exercise` draws: the list by layer, an exercise's opening panel, its
history with the scales side by side, and the scales of one walked exercise as bars.
Rich is imported inside each function, as everywhere outside render.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.panel import Panel
    from rich.text import Text

    from layers_journal.exercises import Exercise
    from layers_journal.folder.entries import Entry

# A scale named like this pairs with the one before it: "believed 80 → 40".
LATER = ("-now", "-after", "-later")
EARLIER = ("-before", "-first", "-then")
BAR = 20


def exercise_list(exercises: Sequence[Exercise], *, note: str, width: int | None) -> Text:
    """The exercises by layer, awareness first: name, title, how many steps, and the
    one-line description."""
    from rich.text import Text

    from layers_journal.exercises import by_layer

    from .console import COLOURS, add_wrapped, layer_label
    from .mode import is_plain

    wide = width or 10_000
    dot = ", " if is_plain() else " · "
    view = Text()
    add_wrapped(view, note, width=wide, style="dim", indent=0)
    for layer, mine in by_layer(exercises).items():
        if not mine:
            continue
        view.append("\n")
        view.append(f"{layer_label(layer)}\n", style=f"bold {COLOURS[layer]}")
        for exercise in mine:
            steps = f"{len(exercise.steps)} steps"
            view.append(f"  {exercise.name}", style="bold")
            view.append(f"  {exercise.title}{dot}{steps}" + (f"{dot}yours" if exercise.own else ""))
            view.append("\n")
            add_wrapped(view, exercise.description, width=wide, style="dim", indent=4)
    view.append("\n")
    add_wrapped(
        view,
        "journal exercise NAME walks one, a step at a time.",
        width=wide,
        style="dim",
        indent=0,
    )
    return view


def exercise_panel(exercise: Exercise) -> Panel | Text:
    """The opening of a walk: its title and layer, its description, how many steps."""
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    from .console import COLOURS, GLYPHS, add_wrapped, out
    from .mode import is_plain

    if is_plain():  # no frame: the title, the layer, then the words
        view = Text()
        width = out().width
        add_wrapped(view, f"{exercise.title}, {exercise.layer}", width=width, indent=0)
        add_wrapped(view, exercise.description, width=width, indent=0)
        view.append(f"{len(exercise.steps)} steps, one at a time.\n")
        return view

    title = Text.assemble(
        (f" {exercise.title} ", "bold"),
        ("· ", "dim"),
        (f"{GLYPHS[exercise.layer]} {exercise.layer} ", COLOURS[exercise.layer]),
    )
    body = Text(exercise.description)
    body.append(f"\n\n{len(exercise.steps)} steps, one at a time.", style="dim")
    return Panel(
        Padding(body, (1, 2)),
        title=title,
        title_align="left",
        border_style=COLOURS[exercise.layer],
    )


def scale_words(exercise: Exercise | None, scales: Sequence[tuple[str, int]]) -> list[str]:
    """The scales in words, a later one beside its earlier one: "believed 80 → 40",
    "feeling 70". A scale named NAME-now (or -after, -later) pairs with NAME (or
    NAME-before, -first, -then)."""
    values = dict(scales)
    order = [step.name for step in exercise.steps if step.name] if exercise else []
    names = [name for name in order if name in values] + [n for n in values if n not in order]
    words, used = [], set()
    for name in names:
        if name in used:
            continue
        base = earlier_of(name)
        later = next(
            (other for other in names if other != name and earlier_of(other) == base), None
        )
        if later is not None and ending(later) in LATER and ending(name) not in LATER:
            words.append(f"{base} {values[name]}{arrow()}{values[later]}")
            used |= {name, later}
        else:
            words.append(f"{name} {values[name]}")
            used.add(name)
    return words


def arrow() -> str:
    """Between a scale's earlier and later number; in plain output, said in words."""
    from .mode import is_plain

    return ", then " if is_plain() else " → "


def ending(name: str) -> str:
    return next((end for end in (*LATER, *EARLIER) if name.endswith(end)), "")


def earlier_of(name: str) -> str:
    end = ending(name)
    return name[: -len(end)] if end else name


def scale_bars(
    exercise: Exercise | None, scales: Sequence[tuple[str, int]], *, width: int = 80
) -> Text:
    """One line per scale: its step's title, a bar, the number of its range, within
    width (a long title is cut with …, the bar shrinks). Without the exercise's
    definition (an exercise no longer there), the names and numbers."""
    from rich.text import Text

    from .mode import is_plain

    view = Text()
    steps = {step.name: step for step in exercise.steps if step.name} if exercise else {}
    if is_plain():  # each scale in words: no bar to read across
        for name, value in scales:
            step = steps.get(name)
            label = step.title if step is not None else name
            high = f" of {step.high}" if step is not None and step.high is not None else ""
            view.append(f"{label}: {value}{high}\n")
        return view
    labels = {name: steps[name].title if name in steps else name for name, _ in scales}
    if max((len(label) for label in labels.values()), default=0) > width // 2:
        labels = {name: name for name, _ in scales}  # a narrow screen: the short names
    wide = min(max((len(label) for label in labels.values()), default=0), max(8, width // 2))
    bar = max(5, min(BAR, width - wide - 16))
    for name, value in scales:
        step = steps.get(name)
        label = labels[name]
        if len(label) > wide:
            label = label[: wide - 1].rstrip() + "…"
        view.append(f"  {label:<{wide}}  ")
        if step is None or step.low is None or step.high is None:
            view.append(f"{value}\n", style="bold")
            continue
        filled = round(bar * (value - step.low) / (step.high - step.low))
        filled = max(0, min(bar, filled))
        view.append("█" * filled, style="cyan")
        view.append("░" * (bar - filled), style="dim")
        view.append(f" {value}", style="bold")
        view.append(f" of {step.high}\n", style="dim")
    return view


def written_words(exercise: Exercise, text: str) -> str:
    """What was written in its text steps, without the headings (the scales are shown
    beside it already); the text as it is when it no longer fits the steps."""
    from layers_journal.errors import ExerciseError
    from layers_journal.exercises import read_sections

    try:
        answers = read_sections(exercise, text)
    except ExerciseError:
        return text
    return "\n".join(
        answers[step.title] for step in exercise.steps if not step.scale and step.title in answers
    )


def exercise_history(exercise: Exercise, done: Sequence[Entry], *, width: int | None) -> Text:
    """Every time it was done, oldest first: the day and time, the scales side by side,
    and the first lines of what was written."""
    from rich.text import Text

    from layers_journal.ui.messages import day_label, plural

    from .console import add_wrapped
    from .mode import is_plain
    from .views import preview

    wide = width or 10_000
    dot = ", " if is_plain() else " · "
    view = Text()
    view.append(f"{exercise.title}", style="bold")
    view.append(f"{dot}{plural(len(done), 'time')}, oldest first\n\n", style="dim")
    for entry in done:
        local = entry.created_local
        view.append(f"{day_label(entry.day)}", style="bold")
        view.append(f"  {local:%H:%M}  {entry.id}\n", style="dim")
        words = scale_words(exercise, entry.scales)
        if words:
            add_wrapped(view, dot.join(words), width=wide)
        text = written_words(exercise, entry.text)
        if width is None:
            view.append("  " + " ".join(text.split())[:200] + "\n")
        else:
            add_wrapped(view, preview(text, max(10, width - 2)), width=wide)
        view.append("\n")
    return view
