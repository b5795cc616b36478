"""The layers picture (the panel, its strips, the --detail words), the calendars of
layers and moods, and the review screen; and the picture for documents (SVG, HTML)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import (
    Group,
    RenderableType,
)
from rich.padding import Padding
from rich.text import Text

from layers_journal.model.layers import LAYERS
from layers_journal.ui.words import (
    DETAIL_CHAINS,
    DETAIL_RETURNS,
    DETAIL_SETTLED,
    EMPTY_LAYERS,
    FOUNDATION,
    MOOD_CHART_TITLE,
    MOOD_NONE,
    MOOD_SCALE,
    MOOD_SEALED,
    MORE_HINT,
    NO_LAYERS_YET,
    NOT_STARTED,
    SETTLED_HOW,
    STILL_HERE,
    calendar_title,
    chain_details,
    closing_sentence,
    layer_phrases,
    layers_title,
    mood_calendar_title,
    mood_chart_legend,
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
    GLYPHS,
    NOTHING,
    RESTING,
    SEVERAL,
    UNTHEMED,
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
    from layers_journal.model.review import Figures, MoodPoint
    from layers_journal.prompts import Prompt

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

    from layers_journal.ui.words import (
        REVIEW_LOOKING_BACK,
        REVIEW_QUIET,
        pages_words,
        recurring_tags,
        returns_in_period,
        review_summary,
        review_title,
    )

    period = figures.period
    name = period.name
    if is_plain():
        return plain_review(figures, prompts=prompts, calendar=calendar, width=width)
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
    summary = review_summary(
        days=None if period.complete else period.days,
        with_a_page=figures.presence.days,
        pages=figures.presence.entries,
        words=figures.words,
    )
    body: list[RenderableType] = [Text(summary), Text(""), rows]
    if figures.presence.entries == 0:
        body = [Text(REVIEW_QUIET.format(period=name))]
    title = Text(f" {review_title(name, period.first, period.last)} ", style="bold")
    if title.cell_len > inner:  # a narrow screen: the title whole above the panel, not cut
        body = [Text(title.plain.strip(), style="bold"), Text(""), *body]
        title = Text("")
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
    returns = [] if figures.weekly else list(figures.returns)
    sentences = [returns_in_period(returns, name, figures.unit)]
    if figures.tags:
        sentences.append(recurring_tags(figures.tags))
    if figures.exercises:
        done = ", ".join(f"{name} ({n})" for name, n in figures.exercises.items())
        sentences.append(f"Exercises among the pages: {done}.")
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
        parts += [Text(""), Text(REVIEW_LOOKING_BACK, style="bold"), Padding(asked, (0, 0, 0, 2))]
    return Group(*parts)


def plain_review(
    figures: Figures,
    *,
    prompts: Mapping[str, Prompt],
    calendar: Sequence[Text],
    width: int,
) -> Group:
    """The review for plain output: the same figures, one sentence after another."""
    from layers_journal.ui.words import (
        REVIEW_LOOKING_BACK,
        REVIEW_QUIET,
        pages_words,
        recurring_tags,
        returns_in_period,
        review_summary,
        review_title,
    )

    period = figures.period
    title = plain_title(review_title(period.name, period.first, period.last))
    lines = [Text(title, style="bold")]
    if figures.presence.entries == 0:
        lines += wrapped(REVIEW_QUIET.format(period=period.name), width)
    else:
        summary = review_summary(
            days=None if period.complete else period.days,
            with_a_page=figures.presence.days,
            pages=figures.presence.entries,
            words=figures.words,
        )
        lines += wrapped(summary.replace(" · ", "; ") + ".", width)
        for layer in reversed(LAYERS):
            tally = figures.layers[layer]
            lines += wrapped(f"{layer}: {pages_words(tally.entries, tally.days)}.", width)
        if figures.no_layer.entries:
            tally = figures.no_layer
            lines += wrapped(f"no layer: {pages_words(tally.entries, tally.days)}.", width)
    lines += [Text(""), *calendar]
    if figures.moods:
        lines += [Text(""), *plain_moods(figures.moods, yearly=period.name == "year", width=width)]
    returns = [] if figures.weekly else list(figures.returns)
    sentences = [returns_in_period(returns, period.name, figures.unit)]
    if figures.tags:
        sentences.append(recurring_tags(figures.tags))
    for sentence in sentences:
        if sentence:
            lines += [Text(""), *wrapped(sentence, width)]
    if prompts:
        lines += [Text(""), Text(f"{REVIEW_LOOKING_BACK}, one prompt per layer:", style="bold")]
        for layer in LAYERS:
            if layer in prompts:
                lines += wrapped(f"{layer}: {prompts[layer].text}", width)
    return Group(*lines)


def plain_moods(points: Sequence[MoodPoint], *, yearly: bool, width: int) -> list[Text]:
    """Mood across the period in words: each day (or month) that has one, and its mood."""
    said = []
    for point in points:
        if point.mood is None:
            continue
        when = date.fromisoformat(point.label + ("-01" if yearly else ""))
        name = f"{when:%B}" if yearly else f"{when:%A} {when.day} {when:%B}"
        mood = f"{point.mood:.1f}".removesuffix(".0")
        said.append(f"{name}, {mood}")
    rest = "no mood noted on the other days" if len(said) < len(points) else ""
    words = "; ".join(said) + (f"; {rest}" if rest else "")
    return wrapped(f"{MOOD_CHART_TITLE}, 1 heavy to 5 light: {words}.", width)


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
    words = mood_chart_legend(
        "month" if yearly else "day", MOOD_BLOCKS[0], MOOD_BLOCKS[-1], NOTHING
    )
    legend = Text("  " + words, style="dim")
    axis = Text("  " + "".join(labels).rstrip(), style="dim")
    return Group(Text(MOOD_CHART_TITLE, style="bold"), marks, axis, legend)
