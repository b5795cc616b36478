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

import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal

COMPLETE_VAR = "_JOURNAL_COMPLETE"
PROG = "journal"
# With nothing typed yet, ids of this many of the newest entries (all of them match
# once a few characters are typed).
NEWEST_SHOWN = 20

# The scripts take the values as data, never as code: bash reads them NUL-separated and
# quotes each with printf %q, zsh hands them to compadd (which quotes what it inserts),
# fish splits them with string split0 and escapes them itself. Typer's own scripts
# let a value such as a tag synced from another device run as a command.
BASH_SCRIPT = """\
_journal_completion() {
    local value
    COMPREPLY=()
    while IFS= read -r -d '' value; do
        printf -v value '%q' "$value"
        COMPREPLY+=("$value")
    done < <(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \\
        _JOURNAL_COMPLETE=complete_bash "$1")
    return 0
}
complete -o default -F _journal_completion journal"""

# zsh: one function that works both when sourced (eval "$(journal completion zsh)") and
# when autoloaded from a folder on $fpath as _journal. What it evals is journal's answer:
# two arrays of single-quoted words and a compadd.
ZSH_SCRIPT = """\
#compdef journal
_journal() {
  local -a _journal_values _journal_shown
  eval "$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _JOURNAL_COMPLETE=complete_zsh journal)"
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _journal "$@"
else
  compdef _journal journal
fi"""

FISH_ASK = (
    "env _JOURNAL_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION={action} "
    "_TYPER_COMPLETE_ARGS=(commandline -cp) journal"
)
FISH_SCRIPT = (
    "complete --command journal --no-files "
    f'--arguments "({FISH_ASK.format(action="get-args")} | string split0)" '
    f'--condition "{FISH_ASK.format(action="is-args")}"'
)
SCRIPTS = {"bash": BASH_SCRIPT, "zsh": ZSH_SCRIPT, "fish": FISH_SCRIPT}
# Control characters (an escape sequence, a newline) in a value are never offered: the
# shell would show them to the terminal as they are, and no one types them.
UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f]")


def completion_script(shell: str) -> str:
    """The script for bash, zsh or fish; zsh's also works from $fpath."""
    return SCRIPTS[shell]


def complete() -> NoReturn:
    """Answer the shell's completion request and exit (Typer's machinery does both)."""
    command = completing_command()
    command.main(prog_name=PROG, complete_var=COMPLETE_VAR)
    raise SystemExit(0)  # main() exits itself; this is for the type checker


def completing_command() -> Any:
    """The whole app as a Click command, with the table's completions attached."""
    import typer
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import completion_init

    from .commands import load

    completion_init()  # Typer's parsing of what each shell has typed so far
    for shell_class in answering_classes():
        add_completion_class(shell_class, shell_class.name)
    command = typer.main.get_command(load())
    attach(command, ())
    return command


def answering_classes() -> list[Any]:
    """Typer's bash, zsh and fish classes, answering in the form the scripts above read."""
    from typer._completion_classes import BashComplete, FishComplete, ZshComplete

    class Bash(BashComplete):
        def complete(self) -> str:
            values = [value for value, _ in offered(self)]
            answer("".join(value + "\0" for value in values))

    class Zsh(ZshComplete):
        def complete(self) -> str:
            found = offered(self)
            if not found:
                answer("_files\n")
            values = " ".join(zsh_quote(value) for value, _ in found)
            shown = " ".join(
                zsh_quote(f"{value}  -- {help_text}" if help_text else value)
                for value, help_text in found
            )
            listed = "-l " if any(help_text for _, help_text in found) else ""
            answer(
                f"_journal_values=({values})\n_journal_shown=({shown})\n"
                f"compadd {listed}-d _journal_shown -a _journal_values\n"
            )

    class Fish(FishComplete):
        def complete(self) -> str:
            found = offered(self)
            if os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
                raise SystemExit(0 if found else 1)
            answer(
                "".join(
                    (f"{value}\t{help_text}" if help_text else value) + "\0"
                    for value, help_text in found
                )
            )

    return [Bash, Zsh, Fish]


def offered(shell: Any) -> list[tuple[str, str]]:
    """(value, one line of help) for what is typed so far, leaving out any value that
    holds a control character."""
    args, incomplete = shell.get_completion_args()
    found = []
    for item in shell.get_completions(args, incomplete):
        value = str(item.value)
        if UNSHOWN.search(value):
            continue
        help_text = " ".join(UNSHOWN.sub(" ", str(item.help or "")).split())
        found.append((value, help_text))
    return found


def answer(text: str) -> NoReturn:
    sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace"))
    sys.stdout.flush()
    raise SystemExit(0)


def zsh_quote(text: str) -> str:
    """zsh single quotes: nothing inside is special but the quote itself."""
    return "'" + text.replace("'", "'\\''") + "'"


def attach(command: Any, path: tuple[str, ...]) -> None:
    for param in command.params:
        if not path and param.name == "journal":
            param._custom_shell_complete = complete_journal_names
            continue
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
            found = values(Journal.open(named_journal(ctx)), incomplete)
            return list(dict.fromkeys(value for value in found if value.startswith(incomplete)))
        except Exception:
            return []

    return complete_values


def named_journal(ctx: Any) -> str | None:
    """The journal typed before the command (--journal NAME, -J NAME), else the one
    LAYERS_JOURNAL_JOURNAL names, else None: the default one."""
    from layers_journal.journals import chosen_name

    typed = ctx.find_root().params.get("journal")
    return chosen_name(typed if isinstance(typed, str) else None)


def complete_journal_names(ctx: Any, param: Any, incomplete: str) -> list[str]:
    """After --journal or -J: the person's journals (names are letters, digits, - and _,
    so none can hold anything a shell would read)."""
    from layers_journal.journals import journal_names

    try:
        return [name for name in journal_names() if name.startswith(incomplete)]
    except Exception:
        return []


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
