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
WRITE_HINT = (
    "Write as much or as little as you like. Ctrl-D saves, also in the middle of a line; "
    "Ctrl-C asks before leaving. A private draft is kept as you go."
)
STILL_HERE = "Still here, every word kept. Ctrl-D saves when you are ready."
MOOD_QUESTION = "How are you now? 1 heavy · 2 · 3 · 4 · 5 light · Enter skips"
KEPT_AS_DRAFT = "Your words are kept in a private draft; the next journal today offers them back."
TEXT_IN_ARGUMENTS = (
    "Nothing was saved: words typed after journal today would stay in your shell history, "
    "outside your private journal. Write below the prompt with journal "
    "today, in your editor with journal today --editor, or from a file: journal today < "
    "note.txt"
)


def writer_hint(width: int) -> str:
    """The keys, on one line as wide as the terminal allows."""
    if width >= 78:
        return "Ctrl-D or Esc then Enter saves · Ctrl-C leaves · a draft is kept as you write"
    if width >= 52:
        return "Ctrl-D or Esc then Enter saves · Ctrl-C leaves"
    return "Ctrl-D saves · Ctrl-C leaves"


def leave_question(lines: int) -> str:
    return f"Leave without saving {plural(lines, 'line')}? (y/N)"


def draft_trouble(why: str) -> str:
    return f"The draft could not be kept just now ({why}); your words are still here."


def draft_offer(*, when: str, lines: int | None, opening: str | None) -> str:
    """The question when an unsaved page of this day is waiting."""
    what = f"an unsaved page from {when}"
    if lines is not None:
        what += f" ({plural(lines, 'line')}"
        what += f': "{opening}")' if opening else ")"
    else:
        what += " (sealed; opening it asks for your passphrase)"
    return (
        f"There is {what}.\n"
        "Go on with it (Enter), save it as it is (s), or set it aside for now (a)?"
    )


def editor_stopped(status: int, kept: object | None, entry: str | None) -> str:
    """The editor closed with an error: nothing saved, and where the words are."""
    said = f"The editor exited with status {status}, so nothing was saved"
    if kept is None:
        return said + "."
    if entry:
        return (
            f"{said}; your changes are kept in {kept}, and journal edit {entry} (or journal "
            "doctor --fix) puts them back into the entry."
        )
    return f"{said}; your words are kept in {kept}, and the next journal today offers them back."


def edit_draft_offer(when: str, entry: str) -> str:
    return (
        f"Changes to this entry from {when} were kept when the editor stopped before "
        f"saving. Apply them to entry {entry}? They open in the editor, so you can look "
        "them over first."
    )


DRAFT_STAYS = "The kept changes stay where they are; journal doctor lists them."
DRAFT_WAITING = (
    "An unsaved page for this day is waiting in a private draft; journal today in a "
    "terminal offers it back, and journal doctor lists it."
)
DRAFT_SET_ASIDE = "Set aside; journal doctor lists it whenever you want it back."


def intro(folder: str) -> str:
    """What a newcomer reads before their very first prompt."""
    return (
        "Each day brings one prompt on one of three layers: awareness (noticing what is "
        "happening in you), connection (how you reach the people around you) and compassion "
        "(meeting a hard moment gently, yours or someone else's).\n"
        f"What you write stays on this computer, as plain files in {folder}."
    )


def after_first_page(path: str) -> str:
    return (
        f"Your page is in {path}. journal layers shows how your layers grow; "
        "journal history brings back what you wrote."
    )


def not_utf8(kept: str | None) -> str:
    where = f"; it is kept byte for byte in {kept}" if kept else ""
    return (
        "The text that came in is not UTF-8. Rather than change any of it, nothing was "
        f"saved{where}. Converting it first (for example with iconv -f latin1 -t utf-8) "
        "and piping it in again saves it."
    )


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


def saved_line(
    presence: Series, *, day: date, today: date, counted: bool, earlier: int, first: bool
) -> str:
    """The calm line after an entry is saved; `earlier` entries were on that day already,
    `first` says it is the journal's very first."""
    if earlier:
        if day == today:
            return "Added to today's page."
        return f"Added to the page for {day_label(day)}."
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
    if first:
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
