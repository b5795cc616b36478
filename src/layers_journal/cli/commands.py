"""The command table: every command, the module of this package that defines it, and
the app built from only the modules a run needs."""

from __future__ import annotations

import importlib
from typing import Any

PACKAGE = __name__.rpartition(".")[0]

# Every command, and the module of this package that defines it.
COMMANDS = {
    "today": "writing",
    "edit": "editing",
    "history": "reading",
    "show": "reading",
    "delete": "reading",
    "restore": "reading",
    "trash": "reading",
    "lookback": "reading",
    "revisit": "reading",
    "tags": "reading",
    "layers": "progress",
    "rhythm": "progress",
    "pause": "progress",
    "pauses": "progress",
    "unpause": "progress",
    "review": "review",
    "exercise": "exercise",
    "prompts": "library",
    "export": "exchange",
    "import": "exchange",
    "where": "care",
    "config": "care",
    "move": "care",
    "reindex": "care",
    "encrypt": "care",
    "decrypt": "care",
    "unlock": "care",
    "lock": "care",
    "doctor": "care",
    "nudge": "doorway",
    "completion": "doorway",
    "sync": "sync",
    "conflicts": "sync",
    "journals": "journals",
}


# Each command's line in `journal --help`, whole within 80 columns (Click would cut a
# longer first sentence with "...").
SUMMARIES = {
    "edit": "Change an entry's text, or its tags, mood, layer or day.",
    "delete": "Move an entry to the trash (journal restore brings it back).",
    "restore": "Bring an entry back from the trash; the latest by default.",
    "lookback": "What you wrote on this day a week, a month, a year ago.",
    "revisit": "Every answer you gave to one prompt, oldest first.",
    "tags": "Every tag, with how many entries carry it.",
    "rhythm": "Show your rhythm, or choose the pages a week it counts.",
    "review": "Look back over a week, a month or a year; write if you like.",
    "exercise": "Reflection exercises, walked a few steps at a time.",
    "export": "Export the journal: JSON (all of it), Markdown or HTML.",
    "import": "Bring entries in from JSON, jrnl, Day One or Markdown files.",
    "encrypt": "Encrypt the journal at rest; writing needs no passphrase.",
    "doctor": "Look the journal over and say what needs care.",
    "nudge": "One quiet line while today's page is open, else nothing.",
    "completion": "Print a Tab completion script for your shell.",
    "trash": "List the entries in the trash, the latest deleted first.",
    "conflicts": "Entries two devices changed, kept in both versions by a sync.",
    "move": "Move the journal folder to a new place; safe to stop.",
    "unlock": "Keep an encrypted journal unlocked for a while (15m by default).",
    "journals": "Your journals; add, rename or remove one (no file is deleted).",
}


def load(modules: Any = None) -> Any:
    """The app with the commands of the given modules (all of them by default), listed
    in the order of COMMANDS whatever order they were imported in."""
    for module in dict.fromkeys(COMMANDS.values()) if modules is None else modules:
        importlib.import_module(f"{PACKAGE}.{module}")
    from .base import app

    order = list(COMMANDS)
    infos: list[Any] = [*app.registered_commands, *app.registered_groups]
    for info in infos:
        name = command_name(info)
        if name in SUMMARIES and not info.short_help:
            info.short_help = SUMMARIES[name]
    app.registered_commands.sort(key=lambda info: order.index(command_name(info)))
    app.registered_groups.sort(key=lambda info: order.index(info.name or ""))
    return app


def command_name(info: Any) -> str:
    return str(info.name or getattr(info.callback, "__name__", "").replace("_", "-"))


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
