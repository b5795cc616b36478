"""Sync across devices through git: `journal sync [init|status]`, `journal conflicts`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.ui.messages import plural

from .base import app, handled, open_journal, print_json

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal
    from layers_journal.sync.policy import Outcome

sync_app = typer.Typer(rich_markup_mode=None)
app.add_typer(sync_app, name="sync")
conflicts_app = typer.Typer(rich_markup_mode=None)
app.add_typer(conflicts_app, name="conflicts")


class Keep(StrEnum):
    mine = "mine"
    theirs = "theirs"
    both = "both"


def attended() -> bool:
    """A person at the terminal, who can answer ssh's own questions."""
    return sys.stdin.isatty() and sys.stderr.isatty()


@sync_app.callback(invoke_without_command=True)
@handled
def sync(
    ctx: typer.Context,
    background: Annotated[bool, typer.Option("--background", hidden=True)] = False,
) -> None:
    """Sync the journal with your other devices through git.

    Commits anything not yet committed, fetches, joins the two histories (an entry
    changed on two devices keeps both versions: see journal conflicts) and pushes. Exit
    0 only when the remote has everything. Example: journal sync
    """
    if ctx.invoked_subcommand is not None:
        return
    from layers_journal.sync.policy import sync as run_sync
    from layers_journal.ui.console import say

    journal = open_journal()
    outcome = run_sync(
        journal,
        now=journal.clock.now(),
        background=background,
        interactive=attended() and not background,
    )
    for note in outcome.notes:
        say(note)
    say(result_line(outcome), style="green" if not outcome.conflicts else "yellow")


def result_line(outcome: Outcome) -> str:
    if not outcome.brought and not outcome.sent:
        line = f"In step with {outcome.remote}: nothing new on either side."
    else:
        brought = plural(outcome.brought, "change", "changes") if outcome.brought else "nothing"
        sent = plural(outcome.sent, "change", "changes") if outcome.sent else "nothing"
        line = f"Synced with {outcome.remote}: brought in {brought}, sent {sent}."
    if outcome.conflicts:
        count = len(outcome.conflicts)
        line += (
            f" {plural(count, 'entry was', 'entries were')} changed on both devices, so both "
            "versions are kept: journal conflicts shows them."
        )
    return line


@sync_app.command("init")
@handled
def sync_init(
    remote: Annotated[
        str | None,
        typer.Argument(help="A private remote repository: git@host:you/journal.git or a path."),
    ] = None,
) -> None:
    """Make the journal folder a git repository, and sync it with REMOTE.

    Writes .gitignore (and, inside .git, attributes that keep every file byte for byte
    whatever a .gitattributes says), gives this repository a neutral author (your
    name and e-mail address are not published), and commits what is there; with REMOTE
    it syncs at once. Every later write is committed by itself (config sync.auto).
    Example: journal sync init git@github.com:you/journal.git
    """
    from layers_journal.sync.policy import sync as run_sync
    from layers_journal.sync.repository import init, is_set_up
    from layers_journal.ui.console import say

    journal = open_journal()
    if remote and not journal.encrypted and any(journal.store.entry_files()):
        offer_encryption(journal)
    already = is_set_up(journal.root)
    for note in init(journal, remote):
        say(note)
    where = journal.root
    if not remote:
        say(
            f"Sync is set up in {where} ({'an existing' if already else 'a new'} repository); "
            "journal sync init REMOTE adds a remote when you have one.",
            style="green",
        )
        return
    say(f"Sync is set up in {where}; every write is now committed there.")
    outcome = run_sync(journal, now=journal.clock.now(), interactive=attended())
    for note in outcome.notes:
        say(note)
    say(result_line(outcome), style="green")


def offer_encryption(journal: Journal) -> None:
    """Before a plain-text journal is first pushed: what is pushed stays in history."""
    from layers_journal.ui.console import say

    say(
        "This journal is in plain text: whatever is pushed stays in the repository's "
        "history, readable by anyone who can read the remote, even after journal encrypt. "
        "Encrypting first keeps every entry sealed there.",
        style="yellow",
    )
    if not sys.stdin.isatty():
        return
    try:
        encrypt_first = typer.confirm(
            "Encrypt the journal before it is first pushed?", default=True
        )
    except typer.Abort:
        raise typer.Exit(1) from None
    if not encrypt_first:
        return
    from layers_journal.ui.terminal import ask_passphrase

    count = journal.changes.encrypt(ask_passphrase("New passphrase: ", confirm=True))
    say(f"Encrypted {plural(count, 'entry', 'entries')}; now setting up sync.", style="green")


@sync_app.command("status")
@handled
def sync_status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Where this device stands: what is not yet sent, the last sync, conflicts.

    Changes not yet sent or brought in (as of the last fetch), the last good sync and
    conflicts waiting; asks no one over the network. Example: journal sync status
    """
    from layers_journal.sync.state import status

    journal = open_journal()
    found = status(journal)
    if as_json:
        print_json({"version": 1, **found._asdict()})
        return
    from layers_journal.ui.console import show_key_values

    if found.remote is None:
        remote = "none yet (journal sync init REMOTE adds one)"
    else:
        remote = f"{found.remote} · {found.url}"
    here = [
        f"{plural(found.ahead, 'commit', 'commits')} not yet sent" if found.ahead else "all sent",
        f"{plural(found.behind, 'commit', 'commits')} to bring in"
        if found.behind
        else "nothing to bring in",
    ]
    if found.remote is None:
        here = [f"{plural(found.ahead, 'commit', 'commits')}, kept on this device only"]
    elif not found.fetched:
        here[-1] = "the remote not reached yet"
    if found.pending:
        here.append(f"{plural(found.pending, 'file', 'files')} not yet committed")
    last = moment(found.last_good) if found.last_good else "not yet"
    rows = [
        ("remote", remote),
        ("branch", found.branch or "?"),
        ("here", " · ".join(here)),
        ("last sync", last),
    ]
    if found.problem and found.last_try != found.last_good:
        rows.append(("last try", f"{moment(found.last_try)}: {found.problem}"))
    rows.append(
        (
            "conflicts",
            f"{plural(found.conflicts, 'entry', 'entries')} in two versions (journal conflicts)"
            if found.conflicts
            else "none waiting",
        )
    )
    rows.append(("sync.auto", found.auto))
    show_key_values(rows)


def moment(iso: str | None) -> str:
    from datetime import datetime

    if not iso:
        return "?"
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


@conflicts_app.callback(invoke_without_command=True)
@handled
def conflicts(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Entries two devices changed, kept in both versions by a sync.

    "mine" is always the version written on this device and "theirs" the other one,
    whichever of them the sync kept at the entry's place and which in conflicts/; each
    pair says which device kept it aside, and when. Settle each with journal conflicts
    resolve.
    Example: journal conflicts
    """
    if ctx.invoked_subcommand is not None:
        return
    from layers_journal.sync.conflicts import conflict_copies, other_kept_files

    journal = open_journal()
    copies = conflict_copies(journal)
    others = other_kept_files(journal)
    if as_json:
        print_json(
            {
                "version": 1,
                "conflicts": [copy.to_json() for copy in copies],
                "other_files": others,
            }
        )
        return
    from layers_journal.ui.console import say

    if not copies and not others:
        say("No entry is waiting in conflicts/: every device agrees.")
        return
    root = journal.root
    for copy in copies:
        aside = "this device" if copy.aside_is_mine else f"device {copy.kept_by}"
        print(f"{copy.entry_id}   kept in two versions {moment_of(copy.when)}, by {aside}")
        place = " (in the trash)" if copy.where == "trash" else ""
        in_place = (
            "(no longer in the journal or its trash)"
            if copy.theirs is None
            else f"{root / copy.theirs}{place}"
        )
        if copy.aside_is_mine:
            print(f"  mine    {root / copy.path}   written on this device")
            print(f"  theirs  {in_place}   from another device")
        else:
            print(f"  mine    {in_place}   written on this device")
            print(f"  theirs  {root / copy.path}   written on device {copy.kept_by}")
    for other in others:
        print(f"{root / other}   (not an entry: compare it with the original by hand)")
    if copies:
        say(
            "journal conflicts resolve ID --keep mine|theirs|both settles one; whatever is "
            "not kept goes to the trash."
        )


def moment_of(when: str) -> str:
    """2026-11-24-091500 as 2026-11-24 09:15."""
    return f"{when[:10]} {when[11:13]}:{when[13:15]}" if len(when) >= 15 else when


@conflicts_app.command("resolve")
@handled
def resolve(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The entry's id or its first characters.")
    ],
    keep: Annotated[
        Keep,
        typer.Option(
            "--keep",
            help="mine: this device's version; theirs: the other device's; both: two entries.",
        ),
    ],
) -> None:
    """Settle an entry kept in two versions; the one not kept goes to the trash.

    --keep both makes this device's version an entry of its own (an encrypted journal
    asks for the passphrase). Example: journal conflicts resolve 2026-11-23-0815 --keep mine
    """
    from layers_journal.sync.conflicts import find
    from layers_journal.sync.conflicts import resolve as settle_pair
    from layers_journal.ui.console import say

    journal = open_journal()
    copy = find(journal, entry_id)
    say(settle_pair(journal, copy, keep.value), style="green")
