"""This device's name in the journal, for telling the devices' versions apart."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal


def this_device(journal: Journal) -> str:
    """This device's name in the journal: six random letters and digits, made once and
    kept in the state folder (never the host name, which could name its owner)."""
    from layers_journal.folder.storage import ensure_private_dir, random_word, write_atomic

    path = journal.paths.state / "device-id"
    try:
        found = path.read_text(encoding="ascii").strip()
        if found.isalnum() and len(found) == 6:
            return found
    except (OSError, UnicodeDecodeError):
        pass
    made = random_word(6, "abcdefghijklmnopqrstuvwxyz0123456789")
    with contextlib.suppress(OSError):
        ensure_private_dir(path.parent)
        write_atomic(path, f"{made}\n".encode(), overwrite=True)
    return made
