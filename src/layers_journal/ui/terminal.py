"""What may reach a terminal: text from files made harmless to show.

Entry text, prompts, tags, file names and import ids can hold control characters, and
an escape sequence printed as it is can clear the screen, retitle the window or worse.
Everything shown to a person passes through `printable`; the files keep the text exactly.
"""

from __future__ import annotations

import re

# C0 controls become their Unicode control pictures (ESC shows as ␛), DEL as ␡, and C1
# controls (0x9b is an escape introducer on some terminals) as the replacement mark.
# Newline and tab are kept: they are how text is laid out.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update(dict.fromkeys(range(0x80, 0xA0), "\ufffd"))
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """text with every control character but newline and tab shown as a visible mark
    (a Windows line ending is just a line ending)."""
    if _UNSAFE.search(text) is None:  # the common case: one quick scan
        return text
    return text.replace("\r\n", "\n").translate(_PICTURES)
