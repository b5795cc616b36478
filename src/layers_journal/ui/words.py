"""The words about a person's practice: beside the layers picture and in its --detail,
in lookback, revisit and the calendars, and in a review.

Tone rules as in messages.py: a gap is time away and a return is welcomed; a resting
chain is a chapter. Never "broke", "lost", "missed", "failed", and no exclamation marks.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

from .messages import day_label, grace_words, offer_line, plural

if TYPE_CHECKING:
    from collections.abc import Sequence

    from layers_journal.model.layers import Returns, Series


# The default screen speaks in four kinds of figure, each with its unit: recent weeks
# (or days) kept, days in all, the chain with its best, and how soon you come back.
# Strength, support, grace, chapters and return counts wait for --detail.

EMPTY_LAYERS = "Your layers begin with your first page: journal today"

NO_LAYERS_YET = "no layers yet: each prompt from journal today belongs to one"

NOT_STARTED = "not started yet"

FOUNDATION = "your foundation: the other two rest on it"

STILL_HERE = (
    "Everything you have built is still here; whenever you write again, "
    "your layers carry on from where they are."
)

MORE_HINT = "journal layers --detail shows more; --help explains each figure."

MOOD_SEALED = (
    "Moods are sealed inside your encrypted entries, so there is no calendar by mood; "
    "the one by layer is just as it was."
)

MOOD_NONE = "No moods in these weeks yet; journal today --mood N (1 heavy to 5 light) adds one."


def window_units(window: int) -> tuple[str, str]:
    """What one rhythm window is called: a week, a day, or an n-day stretch."""
    if window == 7:
        return "week", "weeks"
    if window == 1:
        return "day", "days"
    return f"{window}-day stretch", f"{window}-day stretches"


def rhythm_words(series: Series) -> str:
    """A layer's recent weeks in words: '8 weeks running', 'kept 7 of the last 8 weeks'."""
    from layers_journal.model.layers import PAUSED

    rhythm = series.rhythm
    one, many = window_units(rhythm.window)
    paused = rhythm.marks.count(PAUSED)
    aside = f" ({plural(paused, 'paused ' + one, 'paused ' + many)} aside)" if paused else ""
    if rhythm.of == 0:
        return "on a pause for now"
    if rhythm.kept == 0:
        return "resting for now"
    if rhythm.kept < rhythm.of:
        return f"kept {rhythm.kept} of the last {plural(rhythm.of, one, many)}{aside}"
    if rhythm.running > rhythm.kept or len(rhythm.marks) >= (28 if rhythm.window == 1 else 8):
        return f"{plural(rhythm.running, one, many)} running{aside}"
    if len(rhythm.marks) == 1:
        if rhythm.window == 1:
            return "started today"
        return f"started last {one}" if rhythm.this_week == "open" else f"started this {one}"
    return f"every {one} since you began{aside}"


def days_in_all(series: Series) -> str:
    return "1 day so far" if series.active_days == 1 else f"{series.active_days} days in all"


def layer_phrases(series: Series) -> list[str]:
    """What stands beside a layer's strip on the default screen."""
    if series.status == "not_started":
        return [f"{NOT_STARTED}; the daily prompt comes round to it"]
    return [rhythm_words(series), days_in_all(series)]


def chain_phrase(series: Series) -> str:
    """The current chain, or the last one while the series rests, with the best, in the
    series' unit: '11 days in this chain (best 47)', '8 weeks running'."""
    unit = series.unit
    best = f" (best {series.best})" if series.best > max(series.streak, 1) else ""
    if series.streak:
        if series.active_days == 1 and series.status == "written":
            return f"your first {unit}"
        if unit == "week" and series.streak == 1 and len(series.chapters) == 1:
            return "your first week"
        if unit == "week" and not series.graces:
            return f"{plural(series.streak, 'week')} running{best}"
        return f"{plural(series.streak, unit)} in this chain{best}"
    last = series.chapters[-1].length if series.chapters else 0
    best = f" (best {series.best})" if series.best > last else ""
    return f"the last one held {plural(last, unit)}{best}"


PRESENCE_STATUS = {
    "written": "written today",
    "open": "today is still open",
    "grace": "a day off yesterday; the chain holds",
    "paused": "a rest day you set aside",
    "resting": "between chains",
}


def presence_lines(series: Series) -> list[list[str]]:
    """Presence on the default screen: today (or this week) and the chain, then its
    recent days (or weeks)."""
    if series.unit == "week":
        if series.rhythm.this_week == "kept":
            now = "this week is kept"
        else:
            now = WEEK_STATUS.get(series.status, "this week is open")
        recent = weeks_words(series)
        return [[now, chain_phrase(series)], [recent]] if recent else [[now, chain_phrase(series)]]
    first = [PRESENCE_STATUS[series.status], chain_phrase(series)]
    return [first, [days_words(series)]] if days_words(series) else [first]


WEEK_STATUS = {
    "paused": "a rest day you set aside",
    "grace": "a week off last week; the chain holds",
    "resting": "between chains",
}


def weeks_words(series: Series) -> str:
    """'every week since you began', '7 of the last 8 weeks'; nothing in the first week."""
    from layers_journal.model.layers import PAUSED

    rhythm = series.rhythm
    paused = rhythm.marks.count(PAUSED)
    aside = f" ({plural(paused, 'paused week')} aside)" if paused else ""
    if rhythm.of <= 1 and rhythm.kept == rhythm.of:
        return ""
    if len(rhythm.marks) < 8:
        if rhythm.kept == rhythm.of:
            return f"every week since you began{aside}"
        return f"{rhythm.kept} of the {rhythm.of} weeks since you began{aside}"
    if rhythm.kept == rhythm.of:
        return f"every one of the last {plural(rhythm.of, 'week')}{aside}"
    return f"{rhythm.kept} of the last {plural(rhythm.of, 'week')}{aside}"


def days_words(series: Series) -> str:
    """'24 of the last 28 days', 'every day since you began'; nothing on the first day."""
    from layers_journal.model.layers import PAUSED

    rhythm = series.rhythm
    paused = rhythm.marks.count(PAUSED)
    aside = f" ({plural(paused, 'paused day')} aside)" if paused else ""
    if rhythm.of == 0 or (series.active_days == 1 and rhythm.kept == rhythm.of):
        return ""
    if len(rhythm.marks) < 28:
        if rhythm.kept == rhythm.of:
            return f"every day since you began{aside}"
        return f"{rhythm.kept} of the {rhythm.of} days since you began{aside}"
    if rhythm.kept == rhythm.of:
        return f"every one of the last {plural(rhythm.of, 'day')}{aside}"
    return f"{rhythm.kept} of the last {plural(rhythm.of, 'day')}{aside}"


def closing_sentence(series: Series, suggested: str | None = None) -> str | None:
    """One gentle sentence under the picture: how soon you come back, said only after
    a return and never while time away is still going on; a welcome while it is. For
    someone writing on some days of each week under the daily rhythm, their gaps are
    not time away: the rhythm that fits them instead, once the model offers one."""
    if series.unit == "day" and series.weekly_pattern:
        return offer_line(suggested) if suggested else None
    if series.status == "resting":
        return STILL_HERE
    if series.status not in ("written", "open"):
        return None
    return returns_sentence(spoken_returns(series), series.unit)


def spoken_returns(series: Series) -> Returns:
    """The returns the words speak of: in days, every one (a day off is time away that
    grace carried); in weeks, only those after a chain came to rest, since a single week
    off is grace, not time away."""
    from layers_journal.model.layers import Returns, median

    returns = series.returns
    if series.unit != "week":
        return returns
    rested = returns.rested
    if not rested:
        return Returns()
    typical = median(rested[-3:])
    previous = median(rested[-6:-3]) if returns.rested_total > 3 and len(rested) > 3 else None
    trend = None
    if previous is not None:
        trend = "quicker" if typical < previous else "slower" if typical > previous else "steady"
    return Returns(
        total=returns.rested_total,
        last=rested[-1],
        typical=typical,
        previous=previous,
        trend=trend,
        recent=rested[-3:],
    )


def returns_sentence(returns: Returns, unit: str = "day") -> str | None:
    """How quickly you come back, from returns already made (None before the first):
    'usually' only from three returns on; one or two are named."""
    if returns.total == 0:
        return None
    if returns.total == 1 or returns.typical is None:
        return (
            f"You came back once, after {plural(returns.last or 1, unit)} away; "
            "coming back is part of the practice."
        )
    if returns.total == 2 and len(returns.recent) == 2:
        first, second = returns.recent
        return (
            f"You came back after {plural(first, unit)} and after {plural(second, unit)}; "
            "coming back is part of the practice."
        )
    typical = math.ceil(returns.typical)
    sentence = f"You usually come back within {plural(typical, unit)}"
    if returns.trend == "quicker":
        return sentence + "; lately a little sooner."
    if returns.trend == "slower":
        return sentence + "; lately it has taken a little longer, and that is all right."
    if returns.trend == "steady":
        return sentence + ", steadily."
    return sentence + "."


def layers_title(as_of: date) -> str:
    return f"Your layers · {day_label(as_of)}"


def strip_meanings(one: str) -> dict[str, str]:
    """What each mark of a strip means, for a strip of `one` (week, fortnight, stretch)."""
    return {
        "kept": f"a {one} with that layer",
        "not_kept": f"a {one} without",
        "paused": f"a paused {one}",
    }


DETAIL_SETTLED = "How settled each habit is"

DETAIL_CHAINS = "Chains, grace and chapters"

DETAIL_RETURNS = "Coming back"

SETTLED_HOW = (
    "As Loop Habit Tracker scores a habit: it grows with every day written and fades "
    "slowly in time away, so it takes months to come near 100%."
)


def settled_words(strength: float) -> str:
    return f"{strength:.0%} settled"


def standing_words(strength: float, height: float) -> str:
    """An upper layer: its own figure, and what it stands at on the foundation."""
    own = settled_words(strength)
    if round(height * 100) == round(strength * 100):
        return own
    return f"{own}; on your foundation it stands at {height:.0%}"


def support_words(support: float) -> str:
    return f"it carries the layers above at {support:.0%} of their own"


def chain_details(series: Series) -> list[str]:
    """A series' chain, the grace it used and its chapters, in words."""
    if series.status == "not_started":
        return [NOT_STARTED]
    parts = [chain_phrase(series) if series.streak else "resting: " + chain_phrase(series)]
    if series.graces:
        parts.append(f"{grace_words(series.graces, series.unit)} kept it going")
    # Under daily, a weekly practice's chains of days are its weeks: no ledger of them.
    chapters = "" if series.weekly_pattern else chapters_words(series)
    if chapters:
        parts.append(chapters)
    return parts


def returns_details(series: Series, suggested: str | None = None) -> str:
    """Every return in words: those after a chain came to rest apart from the single
    days off that grace carried (a raw total would count each of those)."""
    returns, unit = series.returns, series.unit
    if unit == "day" and series.weekly_pattern:
        if suggested:  # the offer follows, saying the rest
            return "Under the daily rhythm, each of your weeks begins a new chain of days."
        return (
            "Your pages come on some days of each week, so under the daily rhythm each "
            "week begins a new chain of days; journal rhythm can count them in weeks."
        )
    if returns.total == 0:
        return "No time away so far."
    after_rest = max(0, len(series.chapters) - 1)
    within = returns.total - after_rest
    parts = []
    if after_rest:
        parts.append(f"{times(after_rest)} after a chain came to rest")
    if within:
        parts.append(f"{times(within)} after a {unit} off that grace carried")
    last = f"; most recently after {plural(returns.last, unit)} away" if returns.last else ""
    return f"You came back {' and '.join(parts)}{last}."


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def chapters_words(series: Series, shown: int = 6) -> str:
    """Past chains as chapters of one story, oldest first."""
    if len(series.chapters) < 2:
        return ""
    lengths = [str(chapter.length) for chapter in series.chapters]
    if len(lengths) > shown:
        lengths = ["…", *lengths[-shown:]]
    return f"chapters so far: {' · '.join(lengths)} {series.unit}s"


def short_day(day: date, today: date) -> str:
    """12 March, or 12 March 2025 when it is not this year."""
    return f"{day.day} {day:%B}" + ("" if day.year == today.year else f" {day.year}")


def answered_before(days: list[date], today: date) -> str:
    """Today's prompt met again: when it was answered before."""
    if len(days) == 1:
        return f"You answered this on {short_day(days[0], today)}; journal revisit shows it."
    return (
        f"You answered this {len(days)} times, last on {short_day(days[-1], today)}; "
        "journal revisit shows them side by side."
    )


def lookback_waiting(words: str) -> str:
    """A lookback is there (words: a week ago, a year ago, …)."""
    return f"You wrote on this day {words}; journal lookback shows it."


def revisit_about(count: int, first: date) -> str:
    return f"answered {plural(count, 'time')}, first on {day_label(first)}"


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


MOOD_SCALE = "from heavy to light"


def calendar_title(shown: int, *, since_start: int, weeks: int) -> str:
    """The calendar's heading: since the first week, or how many weeks it shows."""
    return "Since you began" if shown == since_start < weeks else f"Last {plural(shown, 'week')}"


def mood_calendar_title(title: str) -> str:
    return f"Mood, {title[0].lower()}{title[1:]}"


REVIEW_QUIET = (
    "No pages in this {period}. Quiet stretches are part of the story too; "
    "the page is here whenever you want it."
)

REVIEW_WRITE_HINT = (
    "\nWrite about any of these, or whatever this {period} leaves with you.\n"
    "Ctrl-D saves; Ctrl-C asks before leaving."
)

REVIEW_SAVED = "Your look back at this {period} is kept; it leaves your layers as they are."


def period_span(first: date, last: date) -> str:
    """'Mon 16 – Sun 22 Nov 2026', 'Sun 1 – Mon 30 Nov 2026', 'Thu 1 Jan – Thu 31 Dec 2026'."""
    if first.year != last.year:
        return f"{day_label(first)} – {day_label(last)}"
    if first.month != last.month:
        return f"{first:%a} {first.day} {first:%b} – {day_label(last)}"
    return f"{first:%a} {first.day} – {day_label(last)}"


def review_title(name: str, first: date, last: date) -> str:
    """'Your week · Mon 16 – Sun 22 Nov 2026', 'Your month · November 2026', 'Your year · 2026'."""
    if name == "month":
        return f"Your month · {first:%B %Y}"
    if name == "year":
        return f"Your year · {first.year}"
    return f"Your week · {period_span(first, last)}"


def review_words(covers: tuple[date, date] | None) -> str:
    """How history names a written review: 'review · 16 – 22 Nov 2026'."""
    if covers is None:
        return "review"
    return f"review · {period_span(*covers)}"


def pages_words(entries: int, days: int) -> str:
    if entries == 0:
        return "quiet"
    return f"{plural(entries, 'page')} on {plural(days, 'day')}"


def returns_in_period(returns: list[tuple[date, int]], period: str, unit: str = "day") -> str:
    """Comings back inside a period, welcomed, in the rhythm's unit; nothing when there
    were none."""
    if not returns:
        return ""
    aways = [away for _, away in returns]
    if len(aways) == 1:
        return (
            f"You came back to the page once this {period}, after "
            f"{plural(aways[0], unit)} away. Welcome back; returning is the practice."
        )
    listed = ", ".join(str(away) for away in aways[:-1]) + f" and {aways[-1]} {unit}s away"
    if len(aways) > 6:
        low, high = min(aways), max(aways)
        listed = (
            f"{plural(low, unit)} away each time"
            if low == high
            else (f"{low} to {high} {unit}s away each time")
        )
    return (
        f"You came back to the page {len(aways)} times this {period}, after {listed}; "
        "each return is part of the practice."
    )


REVIEW_LOOKING_BACK = "Looking back"

MOOD_CHART_TITLE = "Mood when you noted it"


def review_summary(*, days: int | None, with_a_page: int, pages: int, words: int) -> str:
    """The period in one line; `days` (the days so far) only while it is still going."""
    parts = [
        f"{plural(days, 'day')} so far" if days is not None else "",
        f"{plural(with_a_page, 'day')} with a page",
        plural(pages, "page"),
        plural(words, "word") + " written",
    ]
    return " · ".join(part for part in parts if part)


def recurring_tags(tags: Sequence[tuple[str, int]]) -> str:
    listed = ", ".join(f"#{tag} ({n})" for tag, n in tags)
    return f"Tags that came up more than once: {listed}."


def mood_chart_legend(per: str, heavy: str, light: str, none: str) -> str:
    return f"one mark a {per}: {heavy} heavy (1) to {light} light (5), {none} none noted"
