"""Drawn or plain: the one switch every screen consults.

Plain output is linear text for people who listen to their terminal (a screen reader
says "vertical line" at every box edge) and for terminals that cannot draw: no boxes,
no glyph grids, no sparkline, no colour, no redraw, every figure said in words. It is
on with ACCESSIBLE (any value but empty or 0), with --plain on a command, or with
`journal config set output plain`; and on by itself on TERM=dumb or when the output
cannot take UTF-8, which then gets ASCII stand-ins instead of an encoding error.

No Rich here: the CLI consults it before deciding what to import.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import unicodedata
from collections.abc import Mapping
from typing import TextIO

_chosen = False  # --plain or output = plain, for this run

STANDIN_ERRORS = "layers-journal-standin"

# What a character no encoding of the output can hold becomes: punctuation as its ASCII
# look-alike, the picture's marks as letters, control pictures in caret notation.
STANDINS = {
    "·": "-",
    "–": "-",
    "—": "--",
    "‒": "-",
    "−": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "×": "x",
    "≤": "<=",
    "≥": ">=",
    "→": "->",
    "←": "<-",
    "•": "*",
    "●": "*",
    "◆": "+",
    "♥": "v",
    "■": "#",
    "□": "o",
    "○": "o",
    "✱": "*",
    "❖": "#",
    "▔": "-",
    "\u2421": "^?",
    "\ufffd": "?",
    "\ufeff": "",
    "\u00a0": " ",
}
STANDINS.update({chr(0x2400 + code): "^" + chr(0x40 + code) for code in range(0x20)})


def utf8(stream: TextIO | None) -> bool:
    """Does this stream's encoding hold every character (UTF-8 or UTF-16/32)?"""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith("utf")


def wanted_by(environ: Mapping[str, str], *, stdout: TextIO | None) -> bool:
    """Does the environment ask for plain output, or leave no other choice?"""
    accessible = environ.get("ACCESSIBLE", "").strip()
    if accessible and accessible != "0":
        return True
    if environ.get("TERM", "") == "dumb":
        return True
    return not utf8(stdout)


def choose_plain(on: bool = True) -> None:
    """--plain on a command or `output = plain` in the config: plain for this run."""
    global _chosen
    _chosen = _chosen or on


def reset() -> None:
    global _chosen
    _chosen = False


def is_plain() -> bool:
    """Plain output for this run: chosen, or asked for or needed by the environment."""
    return _chosen or wanted_by(os.environ, stdout=sys.stdout)


def standin(character: str) -> str:
    """An ASCII stand-in: a known look-alike, else the letter without its accent, else ?."""
    if character in STANDINS:
        return STANDINS[character]
    if 0xDC80 <= ord(character) <= 0xDCFF:  # a byte of a path that is not UTF-8
        return f"\\x{ord(character) - 0xDC00:02x}"
    bare = "".join(
        part for part in unicodedata.normalize("NFKD", character) if not unicodedata.combining(part)
    )
    return bare if bare.isascii() and bare else "?"


def _standins(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(standin(character) for character in text), error.end


codecs.register_error(STANDIN_ERRORS, _standins)


def guard_streams() -> None:
    """stdout and stderr that cannot take UTF-8 write stand-ins instead of failing, so
    no character from an entry or a picture can end a command with an encoding error."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or utf8(stream):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # one that cannot change
                reconfigure(errors=STANDIN_ERRORS)


def plain_text(text: str) -> str:
    """Text for an output that cannot take UTF-8, with stand-ins (for tests and the
    few places that write bytes)."""
    return "".join(character if character.isascii() else standin(character) for character in text)
