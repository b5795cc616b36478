"""The prompt library and the choice of today's prompt.

The shipped library is one TOML file per layer (prompts/<layer>.toml in the repository,
layers_journal/prompts/ in the wheel); a person's own prompts live in prompts.toml in the
config folder, each with a `theme`, and join the rotation.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .config import LAYERS
from .errors import PromptFileError

DEPTHS = (1, 2, 3)
# Active days a layer needs before its deeper prompts join the rotation.
DEPTH_UNLOCK = {2: 5, 3: 15}
MAX_PROMPT_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    theme: str
    depth: int
    text: str
    own: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "theme": self.theme,
            "depth": self.depth,
            "text": self.text,
            "own": self.own,
        }


def shipped_prompt_dir() -> Path:
    """Inside the installed package; in a source checkout, the repository's prompts/."""
    packaged = Path(__file__).with_name("prompts")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


def load_library(user_file: Path | None = None) -> list[Prompt]:
    """Every prompt: the shipped ones, then the person's own. Raises PromptFileError."""
    folder = shipped_prompt_dir()
    prompts: list[Prompt] = []
    for layer in LAYERS:
        prompts.extend(read_prompt_file(folder / f"{layer}.toml", theme=layer))
    if user_file is not None and user_file.exists():
        prompts.extend(read_prompt_file(user_file, theme=None))
    seen: dict[str, Prompt] = {}
    for prompt in prompts:
        if prompt.id in seen:
            raise PromptFileError(f"Prompt id {prompt.id!r} appears twice in the prompt files.")
        seen[prompt.id] = prompt
    return prompts


def read_prompt_file(path: Path, *, theme: str | None) -> list[Prompt]:
    """Prompts from one file; theme None means each prompt names its own (user file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptFileError(f"The prompt file {path} is missing.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PromptFileError(f"{path} cannot be read ({error.__class__.__name__}).") from None
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
    if isinstance(depth, bool) or depth not in DEPTHS:
        raise PromptFileError(f"{where}: depth must be 1, 2 or 3.")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_PROMPT_LENGTH:
        raise PromptFileError(f"{where}: text must be a sentence of at most 500 characters.")
    own_theme = item.get("theme", theme)
    if own_theme not in LAYERS:
        raise PromptFileError(f"{where}: theme must be one of {', '.join(LAYERS)}.")
    return Prompt(id=prompt_id, theme=own_theme, depth=depth, text=text.strip(), own=theme is None)


def max_depth(active_days: int) -> int:
    """How deep a layer's prompts may go after this many active days."""
    depth = 1
    for level, needed in DEPTH_UNLOCK.items():
        if active_days >= needed:
            depth = level
    return depth


def next_layer(last_theme: str | None) -> str:
    """awareness → connection → compassion → awareness; awareness to begin with."""
    if last_theme is None:
        return LAYERS[0]
    return LAYERS[(LAYERS.index(last_theme) + 1) % len(LAYERS)]


def choose_prompt(
    *,
    library: Sequence[Prompt],
    layer: str,
    active_days: int,
    answered: Mapping[str, datetime] | None,
    layer_entries: int,
    day: date,
) -> Prompt:
    """Today's prompt for layer, deterministic for the same inputs.

    answered maps prompt ids to when they were last answered. Never-answered eligible
    prompts come first, then the least recently answered; the day seeds the pick among
    equals. answered is None when prompt ids cannot be read (an encrypted journal without
    its passphrase): then the layer's eligible prompts are walked in order, one per entry.
    """
    depth = max_depth(active_days)
    eligible = sorted(
        (p for p in library if p.theme == layer and p.depth <= depth),
        key=lambda p: (p.depth, p.id),
    )
    if not eligible:
        raise PromptFileError(f"There is no prompt for {layer} in the library.")
    if answered is None:
        return eligible[layer_entries % len(eligible)]
    fresh = [p for p in eligible if p.id not in answered]
    if not fresh:
        oldest = min(answered[p.id] for p in eligible)
        fresh = [p for p in eligible if answered[p.id] == oldest]
    seed = hashlib.sha256(f"{day.isoformat()}/{layer}".encode()).digest()
    return fresh[int.from_bytes(seed[:8], "big") % len(fresh)]


def last_answered(uses: Iterable[tuple[str | None, datetime]]) -> dict[str, datetime]:
    answered: dict[str, datetime] = {}
    for prompt_id, created in uses:
        if prompt_id is not None and (prompt_id not in answered or created > answered[prompt_id]):
            answered[prompt_id] = created
    return answered


def format_user_prompt(prompt_id: str, theme: str, depth: int, text: str) -> str:
    from .entries import toml_string

    return (
        f"\n[[prompt]]\nid = {toml_string(prompt_id)}\ntheme = {toml_string(theme)}\n"
        f"depth = {depth}\ntext = {toml_string(text)}\n"
    )


def next_user_prompt_id(library: Sequence[Prompt], theme: str) -> str:
    taken = {p.id for p in library}
    number = 1
    while f"{theme}-own-{number:03d}" in taken:
        number += 1
    return f"{theme}-own-{number:03d}"
