"""The calendars: which layers were written on each day, and the mood of each day, as a
grid of weeks (or, plain, a list of days), with the months along the top."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text

from layers_journal.model.layers import LAYERS
from layers_journal.ui.words import (
    MOOD_NONE,
    MOOD_SCALE,
    MOOD_SEALED,
    calendar_title,
    mood_calendar_title,
)

from .console import (
    COLOURS,
    GLYPHS,
    NOTHING,
    RESTING,
    SEVERAL,
    UNTHEMED,
    indent,
    pack,
    plain_title,
    wrapped,
)
from .mode import is_plain

if TYPE_CHECKING:
    pass

MOOD_COLOURS = {1: "blue", 2: "cyan", 3: "green", 4: "yellow", 5: "bright_yellow"}


def layer_calendar(
    today: date,
    first: date,
    themes_by_day: Mapping[date, set[str | None]],
    paused: set[date],
    *,
    weeks: int,
    width: int,
    title: str | None = None,
    compact: bool = False,
) -> list[Text]:
    """Recent weeks, each day marked by the layer written on it; compact, with no space
    between weeks when they would not fit otherwise (a whole year in 80 columns)."""

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

    if is_plain():

        def said(day: date) -> str | None:
            themes = themes_by_day.get(day)
            if themes:
                layers = sorted(theme for theme in themes if theme is not None)
                return " and ".join(layers) if layers else "a page with no layer"
            return "paused" if day in paused else None

        return day_list(today, first, said, weeks=weeks, width=width, title=title)
    grid, used, heading = day_grid(today, first, cell, weeks=weeks, width=width, compact=compact)
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

    if is_plain():

        def said(day: date) -> str | None:
            if day in moods:
                return f"mood {min(5, max(1, int(moods[day] + 0.5)))}"
            if day in written:
                return "no mood given"
            return "paused" if day in paused else None

        lines = day_list(today, first, said, weeks=weeks, width=width, mood=True)
        if not moods:
            lines += wrapped(MOOD_NONE, width)
        return lines
    grid, used, title = day_grid(today, first, cell, weeks=weeks, width=width)
    scale = Text()
    for mood, colour in MOOD_COLOURS.items():
        scale.append(str(mood), style=colour)
        scale.append(" ")
    scale.append(MOOD_SCALE, style="dim")
    legend = [scale] + [
        Text(f"{glyph} {name}", style="dim")
        for glyph, name in ((UNTHEMED, "no mood given"), (RESTING, "paused"), (NOTHING, "quiet"))
        if glyph in used
    ]
    lines = [Text(mood_calendar_title(title), style="bold"), *grid]
    lines += indent(pack(legend, width - 5), 5)
    if not any(str(mood) in used for mood in MOOD_COLOURS):
        lines += [Text(""), *wrapped(MOOD_NONE, width, style="dim")]
    return lines


def sealed_moods(width: int) -> list[Text]:
    return wrapped(MOOD_SEALED, width, style="dim")


def day_grid(
    today: date,
    first: date,
    cell: Callable[[date], tuple[str, str]],
    *,
    weeks: int,
    width: int,
    compact: bool = False,
) -> tuple[list[Text], set[str], str]:
    """Weeks as columns (oldest left, from the week of the first entry at most), Monday
    to Sunday as rows; days before the first entry and after today are blank. Returns
    the month row and the day rows, the marks used, and a title."""
    last_monday = today - timedelta(days=today.weekday())
    since_start = (last_monday - (first - timedelta(days=first.weekday()))).days // 7 + 1
    step = 1 if compact and min(weeks, since_start) * 2 > width - 6 else 2
    shown = max(1, min(weeks, since_start, (width - 6) // step))
    title = calendar_title(shown, since_start=since_start, weeks=weeks)
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
            if step == 2:
                line.append(" ")
        line.rstrip()
        rows.append(line)
    return [month_row(first_monday, shown, today, step), *rows], used, title


def day_list(
    today: date,
    first: date,
    said: Callable[[date], str | None],
    *,
    weeks: int,
    width: int,
    title: str | None = None,
    mood: bool = False,
) -> list[Text]:
    """The calendar for plain output: a list of weeks, oldest first, each naming its
    days that have something (a week with none says so), so nothing is a grid to read."""
    last_monday = today - timedelta(days=today.weekday())
    since_start = (last_monday - (first - timedelta(days=first.weekday()))).days // 7 + 1
    shown = max(1, min(weeks, since_start))
    heading = title or calendar_title(shown, since_start=since_start, weeks=weeks)
    heading = mood_calendar_title(heading) if mood else heading
    order = "the oldest week first" if title else "week by week, the oldest first"
    lines = [Text(plain_title(f"{heading}, {order}:"), style="bold")]
    first_monday = last_monday - timedelta(weeks=shown - 1)
    for week in range(shown):
        monday = first_monday + timedelta(weeks=week)
        days = [monday + timedelta(days=offset) for offset in range(7)]
        told = [
            f"{day:%A} {day.day}{f' {day:%B}' if day.month != monday.month else ''}, {words}"
            for day in days
            if first <= day <= today and (words := said(day))
        ]
        words = "; ".join(told) if told else "nothing written"
        lines += wrapped(f"Week of {monday.day} {monday:%B}: {words}.", width)
    return lines


def month_row(first_monday: date, weeks: int, today: date, step: int = 2) -> Text:
    """Each month's name over the week it starts in; the first week's month too when
    there is room before the next name."""
    starts = {}
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if day.day == 1 and day <= today:
                starts[week] = f"{day:%b}"
    if 0 not in starts and (not starts or min(starts) * step >= 4):
        starts[0] = f"{first_monday:%b}"
    row = [" "] * (weeks * step + 3)
    for week, name in sorted(starts.items()):
        row[week * step : week * step + 3] = name
    return Text("     " + "".join(row).rstrip(), style="dim")
