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
    from layers_journal.model.layers import Returns, Series

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
WRITING_ON = "Still here, every word kept. Ctrl-D saves when you are ready."
# The mood question, in one wording wherever it is asked (the writer, --mood's help).
MOOD_WORDS = "How are you now?"
MOOD_QUESTION = f"{MOOD_WORDS} 1 heavy · 2 · 3 · 4 · 5 light · Enter skips"
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

# journal nudge: one quiet line while today's page is open, and silence once it is written
# or the day is paused. The shell snippets print the same words (nudge.py).
NUDGE_OPEN = "today's page is open"
NUDGE_WELCOME = "good to see you; today's page is open"
NUDGE_SEPARATOR = " · "


def nudge_line(*, layer: str, welcome: bool) -> str:
    """What journal nudge says while today is open: after time away, a welcome."""
    return (NUDGE_WELCOME if welcome else NUDGE_OPEN) + NUDGE_SEPARATOR + layer


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
    `first` says it is the journal's very first. Spoken in the rhythm's unit."""
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
    if first:
        unit = "week" if presence.unit == "week" else "day"
        return f"Your first page is written. Layers build from here, one {unit} at a time."
    if presence.unit == "week":
        return saved_in_weeks(presence, today)
    returns = presence.returns
    if returns.last_day == today and returns.last is not None:
        if presence.weekly_pattern and presence.streak <= 1:
            # A page on some days of each week: its gaps are the shape of the practice.
            return f"Saved. You have written on {plural(presence.week_days, 'day')} this week."
        away = f"Welcome back, after {plural(returns.last, 'day')} away"
        if presence.streak > 1:
            return (
                f"{away}; {grace_words(presence.graces, 'day')} kept your chain going, and it "
                f"now holds {plural(presence.streak, 'day')}."
            )
        return f"{away}. Coming back is the practice."
    if presence.streak == 0:  # written, but not counted today (another zone, say)
        return "Saved."
    chain = f"Saved. This chain now holds {plural(presence.streak, 'day')}"
    if presence.graces:
        chain += f", with {plural(presence.graces, 'day')} of grace along the way"
    return chain + "."


def grace_words(count: int, unit: str) -> str:
    """'a day of grace', '2 weeks of grace'."""
    return f"a {unit} of grace" if count == 1 else f"{plural(count, unit)} of grace"


def saved_in_weeks(presence: Series, today: date) -> str:
    """After a save, for a rhythm counted in weeks: whether this week is kept, the chain
    in weeks, and a welcome only after two or more weeks away (one is grace)."""
    from layers_journal.model.layers import KEPT, week_start

    returns, streak = presence.returns, presence.streak
    opening = presence.week_days == 1  # today's is this week's first page
    if presence.rhythm.this_week == KEPT:
        back = returns.last_day is not None and week_start(returns.last_day) == week_start(today)
        if back and returns.last and streak > 1:
            return (
                f"Saved. This week is kept; {grace_words(presence.graces, 'week')} kept your "
                f"chain going, and it now holds {plural(streak, 'week')}."
            )
        if back and returns.last:
            lead = f"Welcome back, after {plural(returns.last, 'week')} away. " if opening else ""
            return f"{lead or 'Saved. '}This week is kept; coming back is the practice."
        if streak <= 1:
            return "Saved. This week is kept."
        if presence.graces:
            return (
                f"Saved. This week is kept · {plural(streak, 'week')} in this chain, with "
                f"{grace_words(presence.graces, 'week')} along the way."
            )
        return f"Saved. This week is kept · {plural(streak, 'week')} running."
    if (opening and presence.open_gap >= 2) or not streak:
        if opening and presence.open_gap >= 1:
            return (
                f"Welcome back, after {plural(presence.open_gap, 'week')} away. "
                "Coming back is the practice."
            )
        return "Saved. This week is still open."
    if presence.open_gap == 1:
        return f"Saved. A week of grace keeps your chain of {plural(streak, 'week')} going."
    return f"Saved. Your chain holds {plural(streak, 'week')}; this week is still open."


def rhythm_now(rhythm: str, *, chosen: bool) -> str:
    """What journal rhythm says of the rhythm as it is."""
    if rhythm == "daily":
        how = "presence counts days; your layers count calendar weeks"
        if chosen:
            return f"Your rhythm is daily, as you chose: {how}."
        return (
            f"Your rhythm is daily, the default: {how}. journal rhythm 2/week (1/week to "
            "6/week) counts your practice in weeks instead."
        )
    pages = rhythm.split("/")[0]
    return (
        f"Your rhythm is {rhythm}: a calendar week (Monday to Sunday) with "
        f"{plural(int(pages), 'page')} is kept, and presence and your layers count in "
        "weeks. journal rhythm daily counts days again."
    )


def rhythm_chosen(rhythm: str) -> str:
    """After journal rhythm sets one."""
    if rhythm == "daily":
        return (
            "Your rhythm is now daily: presence counts days, and no other rhythm will be "
            "offered. Your entries are just as they were."
        )
    pages = int(rhythm.split("/")[0])
    return (
        f"Your rhythm is now {rhythm}: each calendar week with {plural(pages, 'page')} is "
        "kept, and your chains count in weeks. Your entries are just as they were; journal "
        "rhythm daily goes back."
    )


def offer_line(suggested: str) -> str:
    """Said after a save, at most every four weeks, while the rhythm is the default and
    the last six weeks were steady but not daily."""
    return (
        f"Your pages come on some days of each week. journal rhythm {suggested} would count "
        "your practice in weeks, so steady weeks read as steady; nothing changes unless you "
        "choose it."
    )


# --- journal layers: the words beside the picture ------------------------------------------
#
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


WEEK_STATUS = {
    "paused": "a rest day you set aside",
    "grace": "a week off last week; the chain holds",
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
    return returns_sentence(series.returns, series.unit)


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


# --- journal layers --detail ---------------------------------------------------------------

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
    chapters = chapters_words(series)
    if chapters:
        parts.append(chapters)
    return parts


def returns_details(series: Series) -> str:
    """Every return in words: those after a chain came to rest apart from the single
    days off that grace carried (a raw total would count each of those)."""
    returns, unit = series.returns, series.unit
    if unit == "day" and series.weekly_pattern:
        return (
            "Your pages come on some days of each week, so under the daily rhythm each "
            "week begins a new chain of days; journal rhythm can count them in weeks instead."
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


# --- journal review ---------------------------------------------------------------

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
