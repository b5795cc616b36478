"""What doctor found: one thing that needs care, where, and whether --fix can mend it."""

from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    kind: str
    path: str
    message: str
    fixable: bool = False
