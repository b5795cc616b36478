"""The `journal` command: parse, call the core, render. The only package that exits.

Each group of commands lives in its own module, imported only when its command is
named on the command line, so a run pays for the one command it runs; Rich, SQLite and
the model load inside the commands that need them.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

from .commands import COMMANDS, command_name, lean_app, load

__all__ = ["COMMANDS", "command_name", "lean_app", "load", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole app, for tests and documentation
        return load()
    raise AttributeError(name)


def main() -> None:
    # One short run: the cyclic collector would only walk, again and again, the
    # thousands of objects imports and the folder scan create, none of them garbage
    # (reference counting still frees everything else).
    gc.disable()
    show_undecodable_bytes()
    from layers_journal.ui.mode import guard_streams

    guard_streams()  # an output that cannot take UTF-8 gets stand-ins, never an error
    from layers_journal.folder.crypto import take_from_environment

    take_from_environment()  # no child of this process ever sees the passphrase
    if "_JOURNAL_COMPLETE" in os.environ:  # a shell asking what Tab could complete
        from .completing import complete

        complete()
    lean_app(command_word(sys.argv[1:]))(prog_name="journal")


def command_word(args: list[str]) -> str | None:
    """The command named on the command line, past a leading --journal NAME."""
    rest = iter(args)
    for arg in rest:
        if arg in ("-J", "--journal"):
            next(rest, None)
        elif not (arg.startswith("--journal=") or (arg.startswith("-J") and len(arg) > 2)):
            return arg
    return None


def show_undecodable_bytes() -> None:
    """Paths are bytes to the system: one that is not UTF-8 (a folder named on another
    system) reaches Python with its odd bytes held as surrogates. Printed, each shows as
    \\xNN instead of ending the command in an encoding error."""
    from layers_journal.ui.terminal import ESCAPE_BYTES, register_escape

    register_escape()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=ESCAPE_BYTES)
