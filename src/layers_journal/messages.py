"""What the journal says about a person's practice: saving, chains, returns, rest.

Tone rules: say what happened, plainly and kindly. A gap is time away and a return is
welcomed; a resting chain is a chapter. Never "broke", "lost", "missed", "failed", and no
exclamation marks.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layers import Returns, Series

NOT_THERAPY = (
    "layers-journal is a reflection practice, not therapy or medical care; if you are in "
    "danger or thinking of harming yourself, please contact your local emergency services "
    "or a crisis line now."
)

EMPTY_BODY = (
    "Nothing was written, so nothing was saved. The prompt will be here when you are ready."
)
LEFT_WITHOUT_SAVING = "Left without saving. Come back whenever you like."
WRITE_HINT = "Write as much or as little as you like. Ctrl-D saves; Ctrl-C leaves without saving."
EDIT_UNCHANGED = "No changes, so the entry is as it was."
EDIT_EMPTIED = (
    "The text came back empty, so the entry was left as it was; journal delete moves an "
    "entry to the trash if that is what you want."
)

STATUS_WORDS = {
    "not_started": "not started yet",
    "written": "written today",
    "open": "open today",
    "grace": "in grace: a page today keeps the chain",
    "resting": "resting between chapters",
    "paused": "paused",
}


def plural(count: int | float, word: str, many: str | None = None) -> str:
    """'1 day', '3 days', '2 entries' (pass the plural when it is not word + s)."""
    number = int(count) if float(count).is_integer() else count
    return f"{number} {word}" if number == 1 else f"{number} {many or word + 's'}"


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def saved_line(presence: Series, *, day: date, today: date, counted: bool) -> str:
    """The calm line after an entry is saved."""
    if day != today:
        if not counted:
            return (
                f"Saved for {day_label(day)}. Pages written more than three days later are "
                "kept like any other, though they leave your layers as they are."
            )
        return f"Saved for {day_label(day)}; your layers include it."
    returns = presence.returns
    if returns.last_day == today and returns.last is not None:
        away = f"Welcome back, after {plural(returns.last, 'day')} away"
        if presence.streak > 1:
            grace = "a day" if presence.graces == 1 else "days"
            return (
                f"{away}; {grace} of grace kept your chain going, and it now holds "
                f"{plural(presence.streak, 'day')}."
            )
        return f"{away}. Coming back is the practice."
    if presence.active_days == 1:
        return "Your first page is written. Layers build from here, one day at a time."
    if presence.streak == 0:  # written, but not counted today (another zone, say)
        return "Saved."
    chain = f"Saved. This chain now holds {plural(presence.streak, 'day')}"
    if presence.graces:
        chain += f", with {plural(presence.graces, 'day')} of grace along the way"
    return chain + "."


def returns_sentence(returns: Returns, series: Series) -> str:
    """One gentle sentence about coming back, spoken only of returns already made."""
    if series.status == "not_started":
        return "Your layers begin with your first page."
    if returns.total == 0:
        return "No time away so far; whenever there is, coming back is part of it."
    if returns.total == 1 or returns.typical is None:
        return (
            f"You have come back once, after {plural(returns.last or 1, 'day')} away; "
            "returning is part of the practice."
        )
    typical = math.ceil(returns.typical)
    sentence = f"You usually come back within {plural(typical, 'day')}"
    if returns.trend == "quicker":
        return sentence + "; lately a little sooner."
    if returns.trend == "slower":
        return sentence + "; lately it has taken a little longer, and that is all right."
    if returns.trend == "steady":
        return sentence + ", steady as ever."
    return sentence + "."


def chain_words(series: Series) -> str:
    """A series' chain in words: the current one, or the last chapter while it rests."""
    if series.status == "not_started":
        return "not started yet"
    if series.streak:
        text = f"{plural(series.streak, 'day')} in this chain"
        if series.best > series.streak:
            text += f" (best {series.best})"
        return text
    last = series.chapters[-1].active_days if series.chapters else 0
    return f"resting after a chapter of {plural(last, 'day')}"


def returns_count(series: Series) -> str:
    """How often a series has been come back to; nothing to say before the first time."""
    total = series.returns.total
    if total == 0:
        return ""
    return "came back once" if total == 1 else f"came back {total} times"


def chapters_words(series: Series, shown: int = 6) -> str:
    """Past chains as chapters of one story, oldest first."""
    if len(series.chapters) < 2:
        return ""
    lengths = [str(chapter.active_days) for chapter in series.chapters]
    if len(lengths) > shown:
        lengths = ["…", *lengths[-shown:]]
    return f"chapters so far: {' · '.join(lengths)} days"


# --- journal review ---------------------------------------------------------------

REVIEW_QUIET = (
    "No pages in this {period}. Quiet stretches are part of the story too; "
    "the page is here whenever you want it."
)
REVIEW_WRITE_HINT = (
    "\nWrite about any of these, or whatever this {period} leaves with you.\n"
    "Ctrl-D saves; Ctrl-C leaves without saving."
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


def returns_in_period(returns: list[tuple[date, int]], period: str) -> str:
    """Comings back inside a period, welcomed; nothing when there were none."""
    if not returns:
        return ""
    aways = [away for _, away in returns]
    if len(aways) == 1:
        return (
            f"You came back to the page once this {period}, after "
            f"{plural(aways[0], 'day')} away. Welcome back; returning is the practice."
        )
    listed = ", ".join(str(away) for away in aways[:-1]) + f" and {aways[-1]} days away"
    if len(aways) > 6:
        low, high = min(aways), max(aways)
        listed = (
            f"{plural(low, 'day')} away each time"
            if low == high
            else (f"{low} to {high} days away each time")
        )
    return (
        f"You came back to the page {len(aways)} times this {period}, after {listed}; "
        "each return is part of the practice."
    )
