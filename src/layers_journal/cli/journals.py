"""Several journals: `journal journals` lists them; add, rename and remove change the
list in config.toml (journals.py), never a file in a journal's folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .base import PlainOption, app, handled, print_json

if TYPE_CHECKING:
    from layers_journal.journals import Named

journals_app = typer.Typer(
    help="Your journals: each a folder with its own entries, key and remote.",
    rich_markup_mode=None,
)
app.add_typer(journals_app, name="journals")


def count_entries(root: Path) -> int:
    from layers_journal.folder.layout import ENTRIES

    try:
        found = [*(root / ENTRIES).rglob("*.md"), *(root / ENTRIES).rglob("*.md.age")]
        return sum(1 for path in found if path.is_file())
    except OSError:
        return 0


def described(named: Named, default: str) -> dict[str, Any]:
    """One journal as `journal journals --json` shows it."""
    from layers_journal.folder.crypto import is_encrypted

    # The usual journal's folder is made by its first page, so it is never "gone".
    present = named.usual or named.root.is_dir()
    return {
        "name": named.name,
        "folder": str(named.root),
        "default": named.name == default,
        "present": present,
        "entries": count_entries(named.root) if present else 0,
        "encrypted": present and is_encrypted(named.root),
        "synced": present and (named.root / ".git").exists(),
    }


@journals_app.callback(invoke_without_command=True)
@handled
def journals(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """List your journals: folder, entries, and whether each is encrypted or synced.

    The default one (marked *) is what commands use without --journal NAME; journal
    config set default_journal NAME changes it. Example: journal journals
    """
    if ctx.invoked_subcommand is not None:
        return
    from layers_journal.config import load_config, resolve_paths
    from layers_journal.journals import default_name, registry
    from layers_journal.ui import mode
    from layers_journal.ui.messages import journal_line
    from layers_journal.ui.terminal import printable

    paths = resolve_paths()
    config = load_config(paths.config_file)
    mode.choose_plain(config.output == "plain")
    found = registry(paths, config)
    default = default_name(config, found)
    rows = [described(named, default) for named in found.values()]
    if as_json:
        print_json({"version": 1, "journals": rows})
        return
    wide = max(len(row["name"]) for row in rows)
    for row in rows:
        print(printable(journal_line(row, wide)))


@journals_app.command("add")
@handled
def journals_add(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Its name: letters, digits, - and _.")
    ],
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="Its folder (made if missing); by default one beside the default "
            "journal's, named after it.",
        ),
    ] = None,
) -> None:
    """Add a journal: a folder of its own, with its own entries, key and remote.

    Without DIR it goes beside your first journal's folder, as FOLDER-NAME (next to
    ~/Documents/journal, ~/Documents/journal-work). An existing journal's folder (an old
    LAYERS_JOURNAL_HOME's data, say) can be named as DIR to keep it here.
    Example: journal journals add work
    """
    from layers_journal.config import load_config, resolve_paths
    from layers_journal.journals import add_journal, suggested_folder, valid
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import journal_added
    from layers_journal.ui.terminal import printable

    paths = resolve_paths()
    name = valid(name)
    place = folder or suggested_folder(paths, load_config(paths.config_file), name)
    named = add_journal(paths, name, place)
    say(printable(journal_added(named.name, named.root)), style="green", fold=True)


@journals_app.command("rename")
@handled
def journals_rename(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The journal's name now.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name.")],
) -> None:
    """Give a journal a new name; its folder stays where it is.

    Example: journal journals rename default private
    """
    from layers_journal.config import resolve_paths
    from layers_journal.journals import rename_journal
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import journal_renamed
    from layers_journal.ui.terminal import printable

    named = rename_journal(resolve_paths(), old, new)
    say(printable(journal_renamed(old, named.name, named.root)), fold=True)


@journals_app.command("remove")
@handled
def journals_remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The journal to forget.")],
) -> None:
    """Forget a journal; no file is deleted, and its folder stays where it is.

    journal journals add NAME DIR brings it back. Example: journal journals remove work
    """
    from layers_journal.config import resolve_paths
    from layers_journal.journals import remove_journal
    from layers_journal.ui.console import say
    from layers_journal.ui.messages import journal_removed
    from layers_journal.ui.terminal import printable

    named = remove_journal(resolve_paths(), name)
    say(printable(journal_removed(named.name, named.root)), fold=True)
