"""Tab completion, through Typer's own protocol: the script `journal completion SHELL`
prints runs `journal` with _JOURNAL_COMPLETE=complete_bash (or zsh, fish) and the words
typed so far, and main() hands such a run here instead of to a command.

Typer completes commands, options and choices (layers, formats, shells) by itself; the
values it cannot know come from the table below, attached only in a completing run, so
no ordinary command pays for them. They are read from the index, which holds ids, days
and pause ids for an encrypted journal too (tags only when it is not encrypted):
nothing is decrypted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal

COMPLETE_VAR = "_JOURNAL_COMPLETE"
PROG = "journal"
# With nothing typed yet, ids of this many of the newest entries (all of them match
# once a few characters are typed).
NEWEST_SHOWN = 20

# zsh: one function that works both when sourced (eval "$(journal completion zsh)") and
# when autoloaded from a folder on $fpath as _journal.
ZSH_SCRIPT = """\
#compdef journal
_journal() {
  eval "$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _JOURNAL_COMPLETE=complete_zsh journal)"
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _journal "$@"
else
  compdef _journal journal
fi"""


def completion_script(shell: str) -> str:
    """The script for bash or fish as Typer writes it; for zsh, one that also works from
    $fpath."""
    if shell == "zsh":
        return ZSH_SCRIPT
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def complete() -> NoReturn:
    """Answer the shell's completion request and exit (Typer's machinery does both)."""
    command = completing_command()
    command.main(prog_name=PROG, complete_var=COMPLETE_VAR)
    raise SystemExit(0)  # main() exits itself; this is for the type checker


def completing_command() -> Any:
    """The whole app as a Click command, with the table's completions attached."""
    import typer
    from typer._completion_classes import completion_init

    from .commands import load

    completion_init()  # Typer's bash, zsh and fish formats (add_completion=False skips it)
    command = typer.main.get_command(load())
    attach(command, ())
    return command


def attach(command: Any, path: tuple[str, ...]) -> None:
    for param in command.params:
        values = COMPLETIONS.get((*path, param.name))
        if values is not None:
            # Click keeps a parameter's completion function here (shell_complete=).
            param._custom_shell_complete = completer(values)
    for name, sub in getattr(command, "commands", {}).items():
        attach(sub, (*path, name))


def completer(values: Callable[[Journal, str], Iterable[str]]) -> Callable[..., list[str]]:
    """A Click completion function: the values starting with what is typed, and nothing
    at all when the journal cannot be read (a Tab never prints an error)."""

    def complete_values(ctx: Any, param: Any, incomplete: str) -> list[str]:
        from layers_journal.journal.facade import Journal

        try:
            found = values(Journal.open(), incomplete)
            return list(dict.fromkeys(value for value in found if value.startswith(incomplete)))
        except Exception:
            return []

    return complete_values


def entry_addresses(journal: Journal, typed: str) -> Iterable[str]:
    """`last`, the days with entries and the entries' ids, newest first."""
    ids = sorted(journal.index().lookup.entry_ids(), reverse=True)
    if not typed:
        ids = ids[:NEWEST_SHOWN]
    yield "last"
    yield from (entry_id[:10] for entry_id in ids)
    yield from ids


def trashed_ids(journal: Journal, typed: str) -> Iterable[str]:
    return sorted(journal.trash.copies(), reverse=True)


def pause_ids(journal: Journal, typed: str) -> Iterable[str]:
    return [pause.id for pause in reversed(journal.model.pauses())]


def tag_names(journal: Journal, typed: str) -> Iterable[str]:
    return [tag for tag, _ in journal.index().lookup.tag_counts()]


def prompt_ids(journal: Journal, typed: str) -> Iterable[str]:
    from layers_journal.prompts import load_library

    library = load_library(journal.paths.user_prompts, cache=journal.paths.prompt_cache)
    return sorted(prompt.id for prompt in library)


def config_keys(journal: Journal, typed: str) -> Iterable[str]:
    from layers_journal.config import KEYS

    return list(KEYS)


# (command, ..., parameter name) -> where its values come from.
COMPLETIONS: dict[tuple[str, ...], Callable[[Journal, str], Iterable[str]]] = {
    ("show", "entry_id"): entry_addresses,
    ("edit", "entry_id"): entry_addresses,
    ("delete", "entry_id"): entry_addresses,
    ("restore", "entry_id"): trashed_ids,
    ("unpause", "pause_id"): pause_ids,
    ("revisit", "prompt_id"): prompt_ids,
    ("today", "tag"): tag_names,
    ("edit", "tag"): tag_names,
    ("edit", "untag"): tag_names,
    ("history", "tag"): tag_names,
    ("export", "tag"): tag_names,
    ("config", "get", "key"): config_keys,
    ("config", "set", "key"): config_keys,
    ("config", "unset", "key"): config_keys,
}
