"""The prompt library: `journal prompts` and `journal prompts add`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from layers_journal.errors import NothingToSave

from .base import Layer, PlainOption, app, handled, print_json, read_stdin, within


class When(StrEnum):
    any = "any"
    morning = "morning"
    evening = "evening"


# No help= here: the callback's docstring, example included, is the group's help.
prompts_app = typer.Typer(invoke_without_command=True, rich_markup_mode=None)
app.add_typer(prompts_app, name="prompts")


@prompts_app.callback(invoke_without_command=True)
@handled
def prompts_list(
    ctx: typer.Context,
    theme: Annotated[Layer | None, typer.Option(metavar="LAYER", help="Only this layer.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """The prompt library: list it, or add prompts of your own.

    Lists the shipped prompts and yours, with their layer and depth.
    Example: journal prompts --theme compassion
    """
    if ctx.invoked_subcommand is not None:
        return
    from layers_journal.config import load_config, resolve_paths
    from layers_journal.prompts import load_library
    from layers_journal.ui import mode

    paths = resolve_paths()
    mode.choose_plain(load_config(paths.config_file).output == "plain")
    library = load_library(paths.user_prompts)
    chosen = [p for p in library if theme is None or p.theme == theme.value]
    if as_json:
        print_json({"version": 1, "prompts": [p.to_json() for p in chosen]})
        return
    from layers_journal.ui.console import out, show
    from layers_journal.ui.views import prompts_table

    console = out()
    show(prompts_table(chosen, width=console.width if console.is_terminal else None), page=True)


@prompts_app.command("add")
@handled
def prompts_add(
    theme: Annotated[Layer, typer.Option(metavar="LAYER", help="The layer it belongs to.")],
    depth: Annotated[
        int,
        typer.Option(metavar="1-3", callback=within(1, 3), help="1 gentle, 2 reflective, 3 deep."),
    ] = 1,
    when: Annotated[
        When, typer.Option(help="When it fits: any time, the morning or the evening.")
    ] = When.any,
) -> None:
    """Add a prompt of your own; its text comes from stdin or is asked for.

    Example: echo "What did your shoulders do today?" | journal prompts add --theme awareness
    """
    from layers_journal.config import resolve_paths
    from layers_journal.prompts import add_user_prompt
    from layers_journal.ui.console import say

    paths = resolve_paths()
    text = typer.prompt("Prompt text") if sys.stdin.isatty() else read_stdin()
    if not text.strip():
        raise NothingToSave("No prompt text was given, so nothing was added.")
    prompt_id = add_user_prompt(
        paths.user_prompts,
        theme=theme.value,
        depth=depth,
        text=text,
        lock=paths.prompt_lock,
        when=when.value,
    )
    say(f"Added {prompt_id} to {paths.user_prompts}.", style="green")


@prompts_app.command("remove")
@handled
def prompts_remove(
    prompt_id: Annotated[str, typer.Argument(metavar="ID", help="One of your own prompts' ids.")],
) -> None:
    """Remove a prompt of your own (the shipped ones stay); entries keep their prompt.

    Example: journal prompts remove awareness-own-001
    """
    from layers_journal.config import resolve_paths
    from layers_journal.prompts import remove_user_prompt
    from layers_journal.ui.console import say

    paths = resolve_paths()
    removed = remove_user_prompt(paths.user_prompts, prompt_id, lock=paths.prompt_lock)
    say(f"Removed {removed.id} from {paths.user_prompts}; entries that answered it keep its words.")
