"""A prompt, as the library holds it: its id, layer, depth and words. Pure: the library
and today's choice are prompts.py."""

from __future__ import annotations

from typing import Any, NamedTuple


class Prompt(NamedTuple):
    id: str
    theme: str
    depth: int | str  # 1-3, or REVIEW_DEPTH
    text: str
    own: bool = False
    when: str = "any"  # "any", "morning" or "evening": the part of the day it fits

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "theme": self.theme,
            "depth": self.depth,
            "when": self.when,
            "text": self.text,
            "own": self.own,
        }
