"""The $VISUAL / $EDITOR round-trip, on a file in a private 0700 folder removed afterwards.

Drafts live in the state folder's drafts/, so if the journal is killed while the editor
is open, `journal doctor` can find the draft and offer to save it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from layers_journal.errors import JournalError
from layers_journal.folder.drafts import (
    ABOUT_NAME,
    DRAFT_NAME,
    HEADER_END,
    HEADER_START,
    keep_details,
    strip_header,
)
from layers_journal.folder.entries import format_fields
from layers_journal.folder.storage import PRIVATE_FILE, ensure_private_dir, write_atomic


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


def edit_text(
    initial: str,
    *,
    drafts: Path,
    about: Mapping[str, object] | None = None,
    details: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    seal: Callable[[bytes], bytes] | None = None,
) -> str:
    """Open initial text in the editor and return what it holds when the editor exits.

    Beside the draft goes draft.toml: this process's pid (so `journal doctor` can tell a
    draft whose journal stopped) and `about`, what the entry was to be (day, layer,
    prompt), so a recovered draft keeps them, with the `details` given (tags, mood),
    sealed apart when `seal` is given. Never the text. A draft kept after the
    editor fails is sealed with `seal` (an encrypted journal's), its plain copy removed.
    """
    command = editor_command(environ)
    folder = Path(tempfile.mkdtemp(prefix="draft-", dir=ensure_private_dir(drafts)))
    path = folder / DRAFT_NAME
    keep = False
    try:
        known = {key: value for key, value in (about or {}).items() if value is not None}
        known |= keep_details(folder, details or {}, seal)
        write_private(folder / ABOUT_NAME, format_fields({"pid": os.getpid(), **known}))
        write_private(path, initial)
        try:
            with stopping_seals():
                status = subprocess.run([*command, str(path)], check=False).returncode
        except OSError:
            raise JournalError(f"The editor {command[0]!r} could not be started.") from None
        except EditorStopped as stop:
            # A closed window or a stop request while the editor is open: what it saved
            # stays as a draft, sealed first in an encrypted journal.
            text = path.read_text(encoding="utf-8", errors="replace")
            keep = text != initial
            if keep and seal is not None:
                write_atomic(folder / (DRAFT_NAME + ".age"), seal(text.encode()), overwrite=False)
                path.unlink()
            raise SystemExit(128 + stop.signum) from None
        text = path.read_text(encoding="utf-8", errors="replace")
        if status != 0:
            from layers_journal.ui.messages import editor_stopped

            # An aborted edit (nothing changed) leaves nothing behind.
            keep = text != initial
            if keep and seal is not None:
                sealed = folder / (DRAFT_NAME + ".age")
                write_atomic(sealed, seal(text.encode("utf-8")), overwrite=False)
                path.unlink()
                path = sealed
            entry = (about or {}).get("entry")
            raise JournalError(
                editor_stopped(
                    status, path if keep else None, entry if isinstance(entry, str) else None
                )
            )
        return strip_header(text)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


class EditorStopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stopping_seals() -> Iterator[None]:
    """While the editor is open, a hang-up or a stop request (SIGHUP, SIGTERM) ends the
    wait with EditorStopped, so its draft can be kept (and sealed) on the way out."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise EditorStopped(signum)

    before = {number: signal.signal(number, stop) for number in (signal.SIGHUP, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
