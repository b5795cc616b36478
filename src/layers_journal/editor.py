"""The $VISUAL / $EDITOR round-trip, on a file in a private 0700 folder removed afterwards.

Drafts live in the state folder's drafts/, so if the journal is killed while the editor
is open, `journal doctor` can find the draft and offer to save it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import JournalError
from .storage import PRIVATE_FILE, ensure_private_dir

DRAFT_NAME = "entry.md"
# The first line of a new draft; it is taken off again when the editor closes.
HEADER_START = "<!-- layers-journal:"
HEADER_END = "-->"


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """$VISUAL, then $EDITOR, then a gentle default found on PATH."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError:
                raise JournalError(f"${name} could not be read as a command: {value!r}.") from None
            if command:
                return command
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise JournalError("No editor found: set $EDITOR (for example EDITOR=nano) and try again.")


def draft_header(prompt: str) -> str:
    flat = " ".join(prompt.split()).replace("--", "—")
    return f"{HEADER_START} {flat} Write below; save and close to keep it. {HEADER_END}\n\n"


def strip_header(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].startswith(HEADER_START) and lines[0].rstrip().endswith(HEADER_END):
        return "\n".join(lines[1:])
    return text


def edit_text(initial: str, *, drafts: Path, environ: Mapping[str, str] | None = None) -> str:
    """Open initial text in the editor and return what it holds when the editor exits."""
    command = editor_command(environ)
    folder = Path(tempfile.mkdtemp(prefix="draft-", dir=ensure_private_dir(drafts)))
    path = folder / DRAFT_NAME
    keep = False
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        try:
            status = subprocess.run([*command, str(path)], check=False).returncode
        except OSError:
            raise JournalError(f"The editor {command[0]!r} could not be started.") from None
        text = path.read_text(encoding="utf-8", errors="replace")
        if status != 0:
            keep = text != initial
            where = f"; the draft is kept in {path}" if keep else ""
            raise JournalError(
                f"The editor exited with status {status}, so nothing was saved{where}."
            )
        return strip_header(text)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
