"""The prompt library and what `journal today` offers: the layer and the prompt.

Choosing is pure: the clock, a summary of the journal's past and the library come in as
arguments, so the same inputs always give the same prompt.

The shipped library is one TOML file per layer (prompts/<layer>.toml in the repository,
layers_journal/prompts/ in the wheel); a person's own prompts live in prompts.toml in the
config folder, each with a `theme`, and join the rotation.

Each daily prompt says when it fits (`when`): "any" time, the "morning" (it looks ahead,
or at the moment) or the "evening" (it looks back on a day lived). The hour of writing
comes in as an argument; part_of_day says which prompts fit it.
"""

from __future__ import annotations

import contextlib
import marshal
import re
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

# hashlib's blake2b is this very function; importing hashlib itself would load OpenSSL
# (a few milliseconds of every `today`) for nothing.
try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b

from .errors import PromptFileError
from .model.layers import LAYERS, next_layer
from .model.prompt import Prompt

if TYPE_CHECKING:
    from .index import Index

# The value lives in model/prompt.py; importing it from here keeps working.
__all__ = ["Prompt"]

DEPTHS = (1, 2, 3)
# Prompts of this depth are for `journal review`, never for a day's page.
REVIEW_DEPTH = "review"
# Active days a layer needs before its deeper prompts join the rotation.
DEPTH_UNLOCK = {2: 5, 3: 15}
MAX_PROMPT_LENGTH = 500
WHENS = ("any", "morning", "evening")
# Bumped when Prompt changes shape, so a cache from an older version is parsed again.
CACHE_FORMAT = 2


def shipped_prompt_dir() -> Path:
    """Inside the installed package; in a source checkout, the repository's prompts/."""
    packaged = Path(__file__).with_name("prompts")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


def load_library(user_file: Path | None = None, *, cache: Path | None = None) -> list[Prompt]:
    """Every prompt: the shipped ones, then the person's own. Raises PromptFileError.

    With `cache`, the parsed library is kept there and reused while the files keep
    their size and mtime (parsing 100-odd TOML prompts is a visible share of start-up).
    """
    folder = shipped_prompt_dir()
    sources: list[tuple[Path, str | None]] = [(folder / f"{layer}.toml", layer) for layer in LAYERS]
    if user_file is not None and user_file.exists():
        sources.append((user_file, None))
    stamp = cache_stamp(path for path, _ in sources)
    if cache is not None and stamp is not None:
        cached = read_cache(cache, stamp)
        if cached is not None:
            return cached
    prompts: list[Prompt] = []
    for path, theme in sources:
        prompts.extend(read_prompt_file(path, theme=theme))
    seen: set[str] = set()
    for prompt in prompts:
        if prompt.id in seen:
            raise PromptFileError(f"Prompt id {prompt.id!r} appears twice in the prompt files.")
        seen.add(prompt.id)
    if cache is not None and stamp is not None:
        write_cache(cache, stamp, prompts)
    return prompts


def cache_stamp(paths: Iterable[Path]) -> tuple[object, ...] | None:
    """What the cached library was parsed from: Python's version, each file's size and
    mtime. None when a file cannot be looked at (then nothing is cached)."""
    stats: list[object] = [sys.version_info[:2], CACHE_FORMAT]
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            return None
        stats.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stats)


def read_cache(cache: Path, stamp: tuple[object, ...]) -> list[Prompt] | None:
    try:
        # Our own 0600 file in the private cache folder; marshal builds data, runs nothing.
        cached_stamp, rows = marshal.loads(cache.read_bytes())  # noqa: S302
        if cached_stamp == stamp:
            return [Prompt(*row) for row in rows]
    except (OSError, ValueError, EOFError, TypeError):
        pass  # missing or unreadable: parse again
    return None


def write_cache(cache: Path, stamp: tuple[object, ...], prompts: Sequence[Prompt]) -> None:
    from .folder.storage import write_atomic

    with contextlib.suppress(OSError):
        data: Any = (stamp, [tuple(prompt) for prompt in prompts])
        write_atomic(cache, marshal.dumps(data), overwrite=True)


def read_prompt_file(path: Path, *, theme: str | None) -> list[Prompt]:
    """Prompts from one file; theme None means each prompt names its own (user file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptFileError(f"The prompt file {path} is missing.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PromptFileError(f"{path} cannot be read ({error.__class__.__name__}).") from None
    return parse_prompt_text(text, path=path, theme=theme)


def parse_prompt_text(text: str, *, path: Path, theme: str | None) -> list[Prompt]:
    """Prompts from a file's text; errors name `path` and the line."""
    import tomllib

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PromptFileError(f"{path} is not valid TOML: {error}.") from None
    items = table.get("prompt", [])
    if not isinstance(items, list):
        raise PromptFileError(f"{path}: prompts must be [[prompt]] tables.")
    lines = prompt_table_lines(text)
    return [
        check_prompt(item, path=path, line=lines[n] if n < len(lines) else 1, theme=theme)
        for n, item in enumerate(items)
    ]


def prompt_table_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[prompt]]"]


def check_prompt(item: Any, *, path: Path, line: int, theme: str | None) -> Prompt:
    where = f"{path}, line {line}"
    if not isinstance(item, dict):
        raise PromptFileError(f"{where}: a prompt must be a table.")
    prompt_id, depth, text = item.get("id"), item.get("depth"), item.get("text")
    if not isinstance(prompt_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", prompt_id):
        raise PromptFileError(f"{where}: id must be lowercase letters, digits and dashes.")
    if isinstance(depth, bool) or (depth not in DEPTHS and depth != REVIEW_DEPTH):
        raise PromptFileError(f'{where}: depth must be 1, 2, 3 or "review".')
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_PROMPT_LENGTH:
        raise PromptFileError(f"{where}: text must be a sentence of at most 500 characters.")
    own_theme = item.get("theme", theme)
    if own_theme not in LAYERS:
        raise PromptFileError(f"{where}: theme must be one of {', '.join(LAYERS)}.")
    when = item.get("when", "any")
    if when not in WHENS:
        raise PromptFileError(f'{where}: when must be "any", "morning" or "evening".')
    return Prompt(
        id=prompt_id,
        theme=own_theme,
        depth=depth,
        text=text.strip(),
        own=theme is None,
        when=when,
    )


def max_depth(active_days: int) -> int:
    """How deep a layer's prompts may go after this many active days."""
    depth = 1
    for level, needed in DEPTH_UNLOCK.items():
        if active_days >= needed:
            depth = level
    return depth


# The parts of a journal day, for the prompts that fit them: from the day's start until
# noon it is morning; from 17:00 until the next day starts it is evening (so at 01:30,
# with days starting at 04:00, it is still the evening of the day before); in between,
# every prompt fits.
NOON = time(12)
EVENING = time(17)
PARTS = ("morning", "midday", "evening")


def part_of_day(moment: time, day_start: time) -> str:
    """Which part of its journal day a wall-clock time is in: morning, midday, evening."""
    if moment < day_start or moment >= EVENING:
        return "evening"
    return "morning" if moment < NOON else "midday"


def fits(prompt: Prompt, part: str) -> bool:
    """Whether a prompt may be offered in this part of the day: never an evening prompt
    (one about a day already lived) in the morning, nor a morning one in the evening."""
    if part == "morning":
        return prompt.when != "evening"
    if part == "evening":
        return prompt.when != "morning"
    return True


# A layer's days in a year of daily writing (366 / 3): how far apart a prompt's answers
# stay when the library has prompts enough for the hour.
YEAR_TURNS = 122


def choose_prompt(
    *,
    library: Sequence[Prompt],
    layer: str,
    active_days: int,
    answered: Mapping[str, datetime] | None,
    layer_entries: int,
    part: str = "midday",
    declined: Collection[str] = (),
) -> Prompt:
    """Today's prompt for layer, deterministic for the same inputs.

    Only prompts that fit `part` of the day are offered, and none of `declined` (those
    asked to be passed over today) while another is left. answered maps prompt ids to
    when they were last answered. Never-answered prompts come first, then the least
    recently answered; the pick among equals, and among the few oldest, follows an order
    of the round (a year's worth of the layer's entries), so the next year is not the
    last one replayed, while a prompt still waits for a year of others (YEAR_TURNS)
    before it comes back, when the library has that many for the hour.

    answered is None when prompt ids cannot be read (an encrypted journal without its
    passphrase): then the layer's prompts are walked one per entry, in an order that
    changes from round to round.
    """
    eligible = eligible_prompts(library, layer, active_days)
    if answered is None:
        turn = layer_entries // len(eligible)
        walk = sorted(eligible, key=lambda p: shuffle_key(layer, turn, p.id))
        start = layer_entries % len(eligible)
        eligible = walk[start:] + walk[:start]
    fitting = [p for p in eligible if fits(p, part)] or eligible
    left = [p for p in fitting if p.id not in declined] or fitting
    if answered is None:
        return left[0]
    turn = layer_entries // YEAR_TURNS  # a new order each year of daily writing
    fresh = [p for p in left if p.id not in answered]
    if fresh:
        return min(fresh, key=lambda p: shuffle_key(layer, turn, p.id))
    oldest = sorted(left, key=lambda p: (answered[p.id], p.id))
    return min(oldest[: spread(len(fitting))], key=lambda p: shuffle_key(layer, turn, p.id))


def eligible_prompts(library: Sequence[Prompt], layer: str, active_days: int) -> list[Prompt]:
    """The layer's daily prompts its active days have opened."""
    depth = max_depth(active_days)
    eligible = [
        p for p in library if p.theme == layer and isinstance(p.depth, int) and p.depth <= depth
    ]
    if not eligible:
        raise PromptFileError(f"There is no prompt for {layer} in the library.")
    return eligible


def spread(fitting: int) -> int:
    """Among how many of the least recently answered the pick is free: as many as keep
    a year between a prompt's answers, and at least one."""
    return max(1, fitting - YEAR_TURNS + 1) if fitting > YEAR_TURNS else max(1, fitting // 8)


def shuffle_key(layer: str, turn: int, prompt_id: str) -> int:
    """A prompt's place among its equals in one round: the same on every machine, and
    different from one round to the next (a real hash: CRC-32's linearity keeps the
    order of ids of one length the same from round to round)."""
    digest = blake2b(f"{layer}/{turn}/{prompt_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class PromptHistory(NamedTuple):
    """What prompt choice needs of the entries written before today began."""

    last_theme: str | None
    active_days: Mapping[str, int]  # per layer, counted as the layers model counts (capped)
    entries: Mapping[str, int]  # per layer, every themed entry
    answered: Mapping[str, datetime] | None  # None when prompt ids cannot be read


def prompt_history(index: Index, today: date, *, backfill: bool, sealed: bool) -> PromptHistory:
    """What prompt choice needs of the entries written before today began (so the
    prompt stays put all day), or of every entry so far for a backfill."""
    before = None if backfill else today
    return PromptHistory(
        last_theme=index.practice.last_theme(before),
        active_days=index.practice.layer_days(before, cap=max(DEPTH_UNLOCK.values())),
        entries=index.practice.layer_entries(before),
        # Prompt ids are sealed in an encrypted journal: it walks the prompts in order.
        answered=None if sealed else index.practice.answered_prompts(before),
    )


class Plan(NamedTuple):
    today: date
    layer: str
    prompt: Prompt
    active_days: int


def plan_today(
    *,
    history: PromptHistory,
    library: Sequence[Prompt],
    today: date,
    theme: str | None = None,
    part: str = "midday",
    declined: Collection[str] = (),
) -> Plan:
    """Today's layer and prompt: the layer after the last one written (or `theme`), and
    that layer's prompt as choose_prompt picks it for this part of the day."""
    layer = theme or next_layer(history.last_theme)
    active_days = history.active_days.get(layer, 0)
    prompt = choose_prompt(
        library=library,
        layer=layer,
        active_days=active_days,
        answered=history.answered,
        layer_entries=history.entries.get(layer, 0),
        part=part,
        declined=declined,
    )
    return Plan(today=today, layer=layer, prompt=prompt, active_days=active_days)


class Record(NamedTuple):
    """Today's prompt as kept on this device: its id, and those passed over today."""

    prompt_id: str
    declined: tuple[str, ...]


def read_record(record: Path, day: date) -> Record | None:
    """The record of `day`, or None (another day's, missing or unreadable)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        words = record.read_text(encoding="utf-8").split()
        if len(words) >= 2 and words[0] == day.isoformat():
            return Record(words[1], tuple(words[2:]))
    return None


def write_record(record: Path, day: date, kept: Record) -> None:
    from .folder.storage import write_atomic

    line = " ".join((day.isoformat(), kept.prompt_id, *kept.declined))
    with contextlib.suppress(OSError):
        write_atomic(record, f"{line}\n".encode(), overwrite=True)


def keep_todays_plan(
    plan_for: Callable[[str | None, Collection[str]], Plan],
    library: Sequence[Prompt],
    record: Path,
    *,
    today: date,
    part: str,
    another: bool = False,
) -> Plan:
    """Today's plan as first shown on this device, so it stays put all day even when a
    sync brings in another device's entries from before today began.

    `plan_for(layer, declined)` plans the day (on that layer, or the rotation's when
    None), passing over the declined prompts. The first plan of a day is written to
    `record` (in the local state folder, never the synced journal); later the same day
    the recorded prompt (and so its layer) comes back, while it fits the part of the
    day. `another` passes over today's prompt for the next one, which is recorded in
    its place for the rest of the day; when every prompt has been passed over, they
    come round again. The record is one line: the day, the prompt's id, and the ids
    passed over today."""
    kept = read_record(record, today)
    by_id = {prompt.id: prompt for prompt in library}
    layer: str | None = None
    declined: tuple[str, ...] = ()
    if kept is not None and kept.prompt_id in by_id:
        recorded = by_id[kept.prompt_id]
        layer, declined = recorded.theme, kept.declined
        first = plan_for(layer, declined)
        if fits(recorded, part):
            first = first._replace(prompt=recorded)
    else:
        first = plan_for(None, declined)
        layer = first.layer
    plan = first
    if another:
        declined = (*[d for d in declined if d != first.prompt.id], first.prompt.id)
        plan = plan_for(layer, declined)
        if plan.prompt.id in declined:  # every one was passed over: a new round
            declined = (first.prompt.id,)
            plan = plan_for(layer, declined)
    if kept != Record(plan.prompt.id, tuple(declined)):
        write_record(record, today, Record(plan.prompt.id, tuple(declined)))
    return plan


USER_FILE_HEADER = (
    "# Your own prompts. Same format as the shipped library, plus a theme for each.\n"
)


def add_user_prompt(
    user_file: Path, *, theme: str, depth: int, text: str, lock: Path, when: str = "any"
) -> str:
    """Append a prompt to the person's own file; returns its new id. Under a lock, so
    two at once both land, each with its own id."""
    from .folder.storage import exclusive_lock, write_atomic

    text = " ".join(text.split())
    if len(text) > MAX_PROMPT_LENGTH:
        raise PromptFileError(
            f"A prompt can be at most {MAX_PROMPT_LENGTH} characters; this one has {len(text)}."
        )
    with exclusive_lock(lock):
        library = load_library(user_file)
        same = [p for p in library if " ".join(p.text.split()).casefold() == text.casefold()]
        if same:
            raise PromptFileError(
                f"That prompt is already in the library as {same[0].id}, so nothing was added."
            )
        prompt_id = next_user_prompt_id(library, theme)
        existing = user_file.read_text(encoding="utf-8") if user_file.exists() else USER_FILE_HEADER
        updated = (
            existing.rstrip("\n") + "\n" + format_user_prompt(prompt_id, theme, depth, text, when)
        )
        parse_prompt_text(updated, path=user_file, theme=None)  # never store what will not load
        write_atomic(user_file, updated.encode(), overwrite=True)
    return prompt_id


def remove_user_prompt(user_file: Path, prompt_id: str, *, lock: Path) -> Prompt:
    """Take one of the person's own prompts out of their file (entries that answered it
    keep its text in their own front matter). The shipped prompts stay as they are."""
    from .errors import NotFoundError
    from .folder.storage import exclusive_lock, write_atomic

    wanted = prompt_id.strip()
    with exclusive_lock(lock):
        library = load_library(user_file)
        found = next((p for p in library if p.id == wanted), None)
        if found is None:
            raise NotFoundError(f"No prompt has the id {wanted!r}; journal prompts lists them.")
        if not found.own:
            raise PromptFileError(
                f"{wanted} is one of the shipped prompts; only your own can be removed "
                "(journal prompts marks them as yours)."
            )
        kept = [p for p in library if p.own and p.id != wanted]
        updated = (
            USER_FILE_HEADER.rstrip("\n")
            + "\n"
            + "".join(format_user_prompt(p.id, p.theme, int(p.depth), p.text, p.when) for p in kept)
        )
        parse_prompt_text(updated, path=user_file, theme=None)
        write_atomic(user_file, updated.encode(), overwrite=True)
    return found


def format_user_prompt(prompt_id: str, theme: str, depth: int, text: str, when: str) -> str:
    from .folder.entries import toml_string

    return (
        f"\n[[prompt]]\nid = {toml_string(prompt_id)}\ntheme = {toml_string(theme)}\n"
        f"depth = {depth}\nwhen = {toml_string(when)}\ntext = {toml_string(text)}\n"
    )


def next_user_prompt_id(library: Sequence[Prompt], theme: str) -> str:
    taken = {p.id for p in library}
    number = 1
    while f"{theme}-own-{number:03d}" in taken:
        number += 1
    return f"{theme}-own-{number:03d}"
