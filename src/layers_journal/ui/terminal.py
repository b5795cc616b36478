"""What may reach a terminal: text from files made harmless to show.

Entry text, prompts, tags, file names and import ids can hold control characters, and
an escape sequence printed as it is can clear the screen, retitle the window or worse.
Everything shown to a person passes through `printable`; the files keep the text exactly.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

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


def shown_path(path: PurePath | str) -> str:
    """A path to show on one line: bytes that are not UTF-8 as \\xNN and control
    characters (newline too) as their escapes, so the path is seen as it is on disk and
    no byte of it reaches the terminal or a shell file as anything but text."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if _UNSAFE.search(text) is None and "\n" not in text and "\t" not in text:
        return text
    return "".join(ascii(ch)[1:-1] if _UNSAFE.match(ch) or ch in "\n\t" else ch for ch in text)


# An encoding error handler: a surrogate standing for an undecodable byte is written as
# \\xNN, and any other character the stream cannot encode as \\uNNNN.
ESCAPE_BYTES = "layers-journal-escape"


def register_escape() -> None:
    import codecs

    def escape(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        shown = []
        for ch in error.object[error.start : error.end]:
            code = ord(ch)
            shown.append(f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else ascii(ch)[1:-1])
        return "".join(shown), error.end

    codecs.register_error(ESCAPE_BYTES, escape)


def ask_passphrase(prompt: str = "Passphrase: ", *, confirm: bool = False) -> str:
    """From the environment, else a hidden prompt on the terminal."""
    from layers_journal.errors import PassphraseError
    from layers_journal.folder.crypto import NEEDS_PASSPHRASE, passphrase_from_env, refuse_empty

    found = passphrase_from_env()
    if found is not None:
        return found
    import getpass

    if not terminal_available():
        raise PassphraseError(NEEDS_PASSPHRASE)
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Once more, to be sure: ") != first:
            raise PassphraseError("The two passphrases differ; nothing was changed.")
    except (EOFError, KeyboardInterrupt):
        raise PassphraseError("No passphrase given; nothing was changed.") from None
    refuse_empty(first)
    return first


def terminal_available() -> bool:
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return False
    os.close(fd)
    return True
