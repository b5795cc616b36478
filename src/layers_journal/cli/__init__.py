"""The `journal` command: parse, call the core, render. The only package that exits.

Each group of commands lives in its own module, imported only when its command is
named on the command line, so a run pays for the one command it runs; Rich, SQLite and
the model load inside the commands that need them.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

# Every command, and the module of this package that defines it.
COMMANDS = {
    "today": "writing",
    "edit": "writing",
    "history": "reading",
    "show": "reading",
    "delete": "reading",
    "restore": "reading",
    "trash": "reading",
    "lookback": "reading",
    "revisit": "reading",
    "tags": "reading",
    "layers": "progress",
    "pause": "progress",
    "pauses": "progress",
    "unpause": "progress",
    "review": "review",
    "prompts": "library",
    "export": "exchange",
    "import": "exchange",
    "where": "care",
    "config": "care",
    "reindex": "care",
    "encrypt": "care",
    "decrypt": "care",
    "doctor": "care",
    "nudge": "doorway",
    "completion": "doorway",
    "sync": "sync",
    "conflicts": "sync",
}


def load(modules: Any = None) -> Any:
    """The app with the commands of the given modules (all of them by default), listed
    in the order of COMMANDS whatever order they were imported in."""
    for module in dict.fromkeys(COMMANDS.values()) if modules is None else modules:
        importlib.import_module(f"{__name__}.{module}")
    from .base import app

    order = list(COMMANDS)
    app.registered_commands.sort(key=lambda info: order.index(command_name(info)))
    app.registered_groups.sort(key=lambda info: order.index(info.name or ""))
    return app


def command_name(info: Any) -> str:
    return str(info.name or getattr(info.callback, "__name__", "").replace("_", "-"))


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole app, for tests and documentation
        return load()
    raise AttributeError(name)


def lean_app(name: str | None) -> Any:
    """An app holding only the command named on the command line.

    Typer inspects every command's signature on each run, so a run builds just the one
    it needs. Anything else (no command, --help, --version, a typo) gets the full app
    and its help.
    """
    import typer

    from .base import APP_SETTINGS

    module = COMMANDS.get(name or "")
    app = load([module] if module else None)
    if module is None:
        return app
    lean = typer.Typer(**APP_SETTINGS)
    lean.registered_callback = app.registered_callback
    lean.registered_commands = [
        info for info in app.registered_commands if command_name(info) == name
    ]
    lean.registered_groups = [info for info in app.registered_groups if info.name == name]
    return lean


def main() -> None:
    # One short run: the cyclic collector would only walk, again and again, the
    # thousands of objects imports and the folder scan create, none of them garbage
    # (reference counting still frees everything else).
    gc.disable()
    show_undecodable_bytes()
    from layers_journal.folder.crypto import take_from_environment

    take_from_environment()  # no child of this process ever sees the passphrase
    if "_JOURNAL_COMPLETE" in os.environ:  # a shell asking what Tab could complete
        from .completing import complete

        complete()
    lean_app(sys.argv[1] if len(sys.argv) > 1 else None)(prog_name="journal")


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
