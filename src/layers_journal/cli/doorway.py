"""Where people already are: `journal nudge` for the prompt, and `journal completion`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from layers_journal.nudge import Shell

from .base import app, handled, open_journal


class CompletionShell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@app.command()
@handled
def nudge(
    shell: Annotated[
        Shell | None,
        typer.Option(
            "--shell",
            help="Print lines for bash, zsh, fish, starship or tmux that show it there.",
        ),
    ] = None,
    notify: Annotated[
        bool,
        typer.Option("--notify", help="Say it as a desktop notification (notify-send), if any."),
    ] = False,
) -> None:
    """One quiet line while today's page is open; nothing once it is written or paused.

    For a shell prompt, a login message or a tmux status line. It never counts days or
    mentions what was not written, and it exits 0 either way.

    --shell prints lines to add yourself: they read a small status file with the
    shell's own built-ins, so the prompt never waits for Python.
    Example: journal nudge --shell bash >> ~/.bashrc
    """
    from layers_journal.status import OPEN, current_status
    from layers_journal.ui.messages import nudge_line

    journal = open_journal()
    if shell is not None:
        from layers_journal.nudge import snippet

        print(snippet(shell, journal.paths.status_file(journal.root)), end="")
        return
    status = current_status(journal, journal.clock.today())
    if status.state != OPEN:
        return
    line = nudge_line(layer=status.layer, welcome=status.welcome)
    if notify:
        from layers_journal.nudge import send_notification

        send_notification(line)
    else:
        print(line)


@app.command()
@handled
def completion(
    shell: Annotated[CompletionShell, typer.Argument(metavar="SHELL", help="bash, zsh or fish.")],
) -> None:
    """Print a Tab completion script for your shell; it is never installed for you.

    It completes commands, options, layers, tags, entry ids and days, from the index and
    without decrypting anything. The README shows where each shell keeps it.
    Example: source <(journal completion bash)
    """
    from .completing import completion_script

    print(completion_script(shell.value))
