"""The one switch for the long campaigns: LAYERS_JOURNAL_LONG=1.

Without it the campaigns run short (a few kills, a few examples) and the tests marked
`slow` are skipped (conftest.py); with it, every campaign runs at full length."""

from __future__ import annotations

import os

LONG = os.environ.get("LAYERS_JOURNAL_LONG") == "1"
SKIPPED = "a long campaign; LAYERS_JOURNAL_LONG=1 runs it"


def sized(short: int, long: int) -> int:
    """How many (kills, examples, days) a campaign runs: short, or long with the switch."""
    return long if LONG else short
