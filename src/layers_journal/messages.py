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
