"""What the journal says about a run: writing, drafts, edits, saves, nudges and sync.
The words about the practice itself (layers, lookback, review) are in words.py.

Tone rules: say what happened, plainly and kindly. A gap is time away and a return is
welcomed; a resting chain is a chapter. Never "broke", "lost", "missed", "failed", and no
exclamation marks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers_journal.model.layers import Series


NOT_THERAPY = (
    "layers-journal is a reflection practice, not therapy or medical care; if you are in "
    "danger or thinking of harming yourself, please contact your local emergency services "
    "or a crisis line now."
)

EMPTY_BODY = (
    "Nothing was written, so nothing was saved. The prompt will be here when you are ready."
)
ANOTHER_PROMPT = (
    "Here is another prompt for today; it stays for the rest of the day. "
    "Not every prompt suits every day."
)
ONLY_PROMPT = "This is the only prompt that fits this layer just now; it is fine to leave it be."

LEFT_WITHOUT_SAVING = "Left without saving. Come back whenever you like."

PLAIN_WRITE_HINT = (
    "Write as much or as little as you like; Enter starts a new line. Ctrl-D saves "
    "(the Control key and D), also in the middle of a line; Ctrl-C asks before leaving. "
    "Arrow keys do not move in this terminal: Backspace mends the line you are on. "
    "A private draft is kept as you go."
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


# --- journal sync and conflicts ------------------------------------------------------

SYNC_NOT_SET_UP = "This journal is not set up for sync yet; journal sync init REMOTE sets it up."
SYNC_BUSY = "Another sync of this journal is still running; try again in a moment."
SYNC_UNDONE = "An earlier sync stopped part-way; it was undone, and this one starts afresh."
KEPT_KEY = (
    "The journal was decrypted on one device while another wrote encrypted entries; the "
    "key stays so they can be read: journal decrypt finishes decrypting, or journal "
    "doctor --fix encrypts it all again."
)
TWO_KEY_PAIRS = (
    "The journal on the remote is encrypted with a different key pair than this one "
    "(journal encrypt ran on two devices); nothing was changed. Run journal decrypt "
    "here, then journal sync brings in the remote's key."
)
NO_CONFLICTS = "No entry is waiting in conflicts/; there is nothing to resolve."


def commit_later(said: str) -> str:
    return (
        f"The change is saved; committing it to git did not work ({said}), so journal "
        "sync will commit it."
    )


def git_busy(busy: str, folder: object) -> str:
    return (
        f"A git {busy} is in progress in {folder}; finish it (or run git {busy} --abort "
        "there) and then journal sync."
    )


def detached_head(folder: object) -> str:
    return (
        f"The repository in {folder} is on a detached HEAD, not a branch; switch back to "
        "the journal's branch (git switch main) and then journal sync."
    )


def no_upstream(branch: str) -> str:
    return (
        f"The journal's branch {branch} has no upstream to sync with; journal sync init "
        "REMOTE sets one."
    )


def remote_moved(url: str) -> str:
    return f"The remote origin now points at {url}."


def remote_kept_changing(remote: str) -> str:
    return (
        f"The remote {remote} kept changing while this sync ran; journal sync "
        "again should finish it."
    )


def plain_in_sealed(count: int) -> str:
    one = count == 1
    return (
        f"{count} entr{'y is' if one else 'ies are'} in plain text in this encrypted "
        f"journal; journal doctor --fix encrypts {'it' if one else 'them'}."
    )


def remote_silent(remote: str, url: str, seconds: int) -> str:
    return (
        f"The remote {remote} ({url}) did not answer within {seconds} seconds; "
        "everything is safe here, and journal sync can try again later."
    )


def remote_unreachable(remote: str, url: str, said: str) -> str:
    return (
        f"Could not reach the remote {remote} ({url}): {said}; everything is safe here, "
        "and journal sync can try again later."
    )


def kept_aside(count: int) -> str:
    return (
        f"{count} other file{'s' if count != 1 else ''} changed on both devices; "
        "this device's version is kept in conflicts/ or the trash."
    )


def came_back(entry_id: str) -> str:
    return f"The entry {entry_id} came back meanwhile; nothing was changed."


def kept_mine(entry_id: str, *, other_trashed: bool) -> str:
    done = f"Kept this device's version of {entry_id}"
    return done + ("; the other is in the trash." if other_trashed else ".")


def kept_theirs(entry_id: str) -> str:
    return f"Kept the other device's version of {entry_id}; this device's is in the trash."


def kept_both(entry_id: str, new_id: str | None, *, aside_is_mine: bool = True) -> str:
    if not aside_is_mine:
        return (
            f"Kept both: this device's version stays {entry_id}, the other device's is now "
            f"{new_id}."
        )
    return f"Kept both: the other device's version stays {entry_id}, this device's is now {new_id}."


def removed_outside(entry_ids: Sequence[str]) -> str:
    """Entries that went from the journal other than by journal delete (rm, another sync
    tool, a remote whose history was rewritten), kept in the trash."""
    if len(entry_ids) == 1:
        return (
            "1 entry was removed outside the journal; it is in the trash: "
            f"journal restore {entry_ids[0]}"
        )
    named = ", ".join(f"journal restore {entry_id}" for entry_id in entry_ids)
    return (
        f"{len(entry_ids)} entries were removed outside the journal; they are in the trash: {named}"
    )


def sealed_before_sending(count: int) -> str:
    """This device's journal was plain and the remote's is encrypted: its key came in."""
    if count == 0:
        return "This journal is encrypted on another device; its key came in here."
    one = count == 1
    return (
        "This journal is encrypted on another device: its key came in, and the "
        f"{count} entr{'y' if one else 'ies'} written here in plain text "
        f"{'was' if one else 'were'} sealed to it before anything was sent."
    )


# --- exercises ---------------------------------------------------------------------

NOT_TREATMENT = (
    "These are reflection exercises for your own noticing, not treatment; if something "
    "feels too heavy, it is fine to stop, and to bring it to someone you trust."
)
SCALE_AGAIN = "A whole number from {low} to {high}, please; Enter leaves it blank."
STILL_HERE_STEP = "Still here, every word kept."


def step_heading(number: int, total: int, title: str) -> str:
    return f"Step {number} of {total} · {title}"


def step_hint(last: bool) -> str:
    then = "keeps the exercise" if last else "goes on to the next step"
    return f"Ctrl-D {then} · Ctrl-C asks before leaving · a draft is kept as you write"


def scale_question(low: int, high: int, earlier: str) -> str:
    keep = f", Enter keeps {earlier}" if earlier else ", Enter leaves it blank"
    return f"A number from {low} to {high}{keep} >"


# --- several journals -------------------------------------------------------------------


def journal_line(row: Mapping[str, Any], wide: int) -> str:
    """One journal in `journal journals`: the default marked *, then what it holds."""
    mark = "*" if row["default"] else " "
    if not row["present"]:
        about = "its folder is not there"
    else:
        about = " · ".join(
            [
                plural(row["entries"], "entry", "entries"),
                "encrypted" if row["encrypted"] else "not encrypted",
                "synced" if row["synced"] else "not synced",
            ]
        )
    return f"{mark} {row['name']:<{wide}}  {row['folder']}  ({about})"


def journal_added(name: str, folder: object) -> str:
    return f"Added the journal {name}, kept in {folder}; journal -J {name} today writes in it."


def journal_renamed(old: str, new: str, folder: object) -> str:
    return f"The journal {old} is now called {new}; its folder is still {folder}."


def journal_removed(name: str, folder: object) -> str:
    return (
        f"Forgot the journal {name}; nothing was deleted, and its folder is still "
        f"{folder} (journal journals add {name} with that folder brings it back)."
    )


def into_journals_only_dayone(path: object) -> str:
    return (
        f"--into-journals is for Day One exports, and {path} does not look like one; "
        "without it the entries all go into one journal."
    )
