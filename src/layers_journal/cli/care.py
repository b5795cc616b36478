"""Looking after the journal: `where`, `config`, `reindex`, `encrypt`, `decrypt`, `unlock`,
`lock`, `doctor`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from layers_journal.errors import NothingToSave
from layers_journal.ui import mode
from layers_journal.ui.messages import plural

from .base import PlainOption, app, chosen, handled, open_journal, print_json

if TYPE_CHECKING:
    from layers_journal.config import Paths
    from layers_journal.journal.facade import Journal

config_app = typer.Typer(help="Read and change settings in config.toml.", rich_markup_mode=None)
app.add_typer(config_app, name="config")


@app.command()
@handled
def where(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    plain: PlainOption = False,
) -> None:
    """Every folder and file the journal uses.  Example: journal where --json

    With several journals, the one in use comes first, then each other's own folders.
    """
    from layers_journal.config import load_config, resolve_paths
    from layers_journal.exercises import shipped_exercise_dir
    from layers_journal.journals import chosen_name, own_paths, pick, registry
    from layers_journal.prompts import shipped_prompt_dir

    person = resolve_paths()
    settings = load_config(person.config_file)
    named = pick(person, settings, chosen.name or chosen_name(None), present=False)
    paths, config = own_paths(person, settings, named)
    mode.choose_plain(config.output == "plain")
    root = config.journal_root(paths)
    own = journal_places(paths, root)
    places = {
        **{name: own[name] for name in ("journal", "entries", "pauses", "trash")},
        "config": paths.config_file,
        "prompts": paths.user_prompts,
        "prompt_library": shipped_prompt_dir(),
        "exercises": paths.user_exercises,
        "exercise_library": shipped_exercise_dir(),
        "cache": paths.cache,
        **{name: own[name] for name in ("status", "drafts", "recovery")},
    }
    journals = registry(person, settings)
    others: dict[str, dict[str, Path]] = {}
    if len(journals) > 1:
        for other in journals.values():
            others[other.name] = journal_places(own_paths(person, settings, other)[0], other.root)
    if as_json:
        document: dict[str, object] = {name: str(place) for name, place in places.items()}
        if others:
            document["journals"] = {
                name: {key: str(place) for key, place in rows.items()}
                for name, rows in others.items()
            }
        print_json(document)
        return
    from layers_journal.ui.console import show_key_values

    rows = [(name, str(place)) for name, place in places.items()]
    for name, mine in others.items():
        if name != named.name:
            rows += [(f"{name}.{key}", str(place)) for key, place in mine.items()]
    show_key_values(rows)


def journal_places(paths: Paths, root: Path) -> dict[str, Path]:
    """The folders and files one journal has to itself."""
    from layers_journal.folder import layout

    return {
        "journal": root,
        "entries": root / layout.ENTRIES,
        "pauses": root / layout.PAUSES,
        "trash": root / layout.TRASH,
        "status": paths.status_file(root),
        "drafts": paths.drafts,
        "recovery": paths.recovery,
    }


@config_app.command("get")
@handled
def config_get(key: Annotated[str, typer.Argument(help="A setting, e.g. day_start.")]) -> None:
    """Print one setting (its default when unset).  Example: journal config get day_start"""
    from layers_journal.config import get_value, resolve_paths
    from layers_journal.ui.terminal import printable

    print(printable(get_value(resolve_paths().config_file, key)))


@config_app.command("set")
@handled
def config_set(
    key: Annotated[str, typer.Argument(help="A setting, e.g. day_start.")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
) -> None:
    """Change one setting.  Example: journal config set day_start 05:00"""
    from layers_journal.config import get_value, load_config, resolve_paths, set_value
    from layers_journal.ui.console import say
    from layers_journal.ui.terminal import printable

    paths = resolve_paths()
    before = load_config(paths.config_file).journal_root(paths) if key == "journal_dir" else None
    if key == "default_journal":
        from layers_journal.journals import known_journal

        known_journal(paths, value)
    set_value(paths.config_file, key, value)
    now = get_value(paths.config_file, key)
    say(printable(f"{key} is now {now}."))
    if before is not None:
        say_where_entries_are(before, load_config(paths.config_file).journal_root(paths))


def say_where_entries_are(before: Path, after: Path) -> None:
    """After journal_dir changed: where the pages are, when they did not come along."""
    from layers_journal.folder.layout import ENTRIES
    from layers_journal.ui.console import say
    from layers_journal.ui.terminal import printable

    def pages(root: Path) -> int:
        try:
            found = [*(root / ENTRIES).rglob("*.md"), *(root / ENTRIES).rglob("*.md.age")]
            return sum(1 for path in found if path.is_file())
        except OSError:
            return 0

    left = pages(before) if before != after else 0
    if left and not pages(after):
        say(
            printable(
                f"Your {plural(left, 'entry', 'entries')} {'is' if left == 1 else 'are'} "
                f"still in {before}, so this "
                f"journal looks empty for now; journal move {after} brings them there "
                "(journal config unset journal_dir goes back)."
            ),
            style="yellow",
            fold=True,
        )


@config_app.command("unset")
@handled
def config_unset(key: Annotated[str, typer.Argument(help="A setting, e.g. day_start.")]) -> None:
    """Return a setting to its default.  Example: journal config unset day_start"""
    from layers_journal.config import resolve_paths, set_value

    set_value(resolve_paths().config_file, key, None)


@config_app.command("list")
@handled
def config_list() -> None:
    """Every setting with its current value.  Example: journal config list"""
    from layers_journal.config import KEYS, get_value, read_config_table, resolve_paths
    from layers_journal.ui.terminal import printable

    path = resolve_paths().config_file
    # default_journal only means something once there is more than one journal.
    several = "journals" in read_config_table(path)
    rows = [
        (name, get_value(path, name) or "(unset)", key.help)
        for name, key in KEYS.items()
        if several or name != "default_journal"
    ]
    named = max(len(name) for name, _, _ in rows)
    valued = max(len(value) for _, value, _ in rows)
    for name, value, about in rows:
        print(printable(f"{name:<{named}} = {value:<{valued}}  # {about}"))


@app.command()
@handled
def move(
    folder: Annotated[
        Path,
        typer.Argument(metavar="FOLDER", help="The new place: a folder not there yet, or empty."),
    ],
) -> None:
    """Move the journal folder to a new place; safe to stop, and run again to finish.

    Entries, pauses, the trash, the key and sync's history go along, and journal_dir
    then names the new place. Interrupted, nothing is lost: the journal is whole in the
    old place or the new, and journal move FOLDER again finishes the job.
    Example: journal move ~/Documents/journal
    """
    from layers_journal.config import load_config, resolve_paths, set_value
    from layers_journal.errors import UsageError
    from layers_journal.folder.moving import NOTE_NAME, Move, check_move, pending_move
    from layers_journal.folder.storage import ensure_private_dir, exclusive_lock
    from layers_journal.journals import chosen_name, moved_to, own_paths, pick
    from layers_journal.ui.console import say
    from layers_journal.ui.terminal import printable

    person = resolve_paths()
    named = pick(person, load_config(person.config_file), chosen.name or chosen_name(None))
    paths, config = own_paths(person, load_config(person.config_file), named)
    # The usual journal's note keeps its first name; another's carries its name.
    note = paths.state / (NOTE_NAME if named.usual else f"{named.name}-{NOTE_NAME}")
    target = folder.expanduser().absolute()
    pending = pending_move(note)
    pointed = False
    if pending is not None:
        old, new, pointed = pending
        if new != target:
            raise UsageError(
                printable(
                    f"Moving the journal from {old} to {new} is not finished yet; "
                    f"journal move {new} finishes it first."
                )
            )
    else:
        old, new = config.journal_root(paths), target
        if old == new:  # asked again after it finished: nothing left to do
            say(printable(f"The journal is already in {new}; there is nothing left to move."))
            return
        check_move(old, new)
    lock = paths.lock_files(old)[0]
    ensure_private_dir(lock.parent)
    with exclusive_lock(lock, on_wait=lambda: say("Waiting for another journal command…")):

        def point_config(place: Path) -> None:
            if named.usual and named.name not in load_config(paths.config_file).journals:
                set_value(paths.config_file, "journal_dir", str(place))
            else:
                moved_to(paths, named.name, place)

        Move(old, new, note).run(point_config, pointed=pointed)
    say(
        printable(
            f"The journal is now in {new}, and "
            f"{'journal_dir' if named.usual else f'[journals.{named.name}]'} names it. "
            "If you keep a snippet "
            "from journal nudge --shell, print it again so it looks there."
        ),
        style="green",
        fold=True,
    )


@app.command()
@handled
def reindex() -> None:
    """Rebuild the search index from the files.  Example: journal reindex"""
    from layers_journal.ui.console import say

    journal = open_journal()
    journal.reset_index()
    count = journal.index().lookup.count()
    say(f"Rebuilt the index: {plural(count, 'entry', 'entries')}.")


@app.command()
@handled
def encrypt() -> None:
    """Encrypt the journal at rest with age; writing needs no passphrase.

    Asks for a new passphrase (or reads LAYERS_JOURNAL_PASSPHRASE[_FILE]); running it
    again finishes an interrupted run. Example: journal encrypt
    """
    from layers_journal.ui.console import say
    from layers_journal.ui.terminal import ask_passphrase

    journal = open_journal()
    # With a remote, sync first: a key pair another device made arrives before this one
    # could make a second (two key pairs cannot be joined).
    synced = sync_around(journal, "encrypt", required=not journal.keys.has_key)
    if journal.keys.has_key:  # finishing an interrupted run, or the key came by sync
        passphrase = ask_passphrase("Passphrase: ")
    else:
        passphrase = ask_passphrase("New passphrase: ", confirm=True)
        weigh_passphrase(passphrase)
    count = journal.changes.encrypt(passphrase)
    if synced:
        sync_around(journal, "encrypt", required=False)
    say(
        f"Encrypted {plural(count, 'entry', 'entries')}. New entries need no passphrase; "
        "reading them does. Keep the passphrase somewhere safe: without it the text cannot "
        "be recovered.",
        style="green",
    )


def weigh_passphrase(passphrase: str) -> None:
    """Say how weak a new passphrase is, and let the person choose: in a terminal, go on
    or stop; from the environment (a script), go on, having said it."""
    from layers_journal.folder.crypto import passphrase_weakness
    from layers_journal.ui.console import say

    weakness = passphrase_weakness(passphrase)
    if weakness is None:
        return
    say(
        f"This passphrase is {weakness}: someone who has a copy of your files could try "
        "guesses against it for as long as they like. Four or five unrelated words make "
        "a strong one that is still easy to remember.",
        style="yellow",
        fold=True,
    )
    if sys.stdin.isatty():
        from .reading import ask

        if not ask("Use it anyway?"):
            raise NothingToSave("Nothing was encrypted; journal encrypt asks again.")


@app.command()
@handled
def unlock(
    for_: Annotated[
        str,
        typer.Option("--for", metavar="DURATION", help="How long, up to a day: 15m, 2h, 1h30m."),
    ] = "15m",
) -> None:
    """Keep an encrypted journal unlocked for a while, so reading asks no passphrase.

    The key is held by the kernel (Linux's keyring, for this login session only), never
    on disk, and let go when the time is up or at journal lock.  Example: journal unlock --for 1h
    """
    from layers_journal.days import parse_duration
    from layers_journal.errors import JournalError, UsageError
    from layers_journal.folder import keyring
    from layers_journal.ui.console import say
    from layers_journal.ui.terminal import ask_passphrase

    try:
        seconds = parse_duration(for_)
    except ValueError as error:
        raise UsageError(f"--for: {error}.") from None
    if not 0 < seconds <= keyring.LONGEST:
        raise UsageError("--for: a journal stays unlocked for a second up to a day.")
    journal = open_journal()
    if not journal.encrypted:
        raise JournalError("This journal is not encrypted, so there is nothing to unlock.")
    missing = keyring.available()
    if missing is not None:
        raise JournalError(
            f"Unlocking for a while {missing}; each command that reads asks for the "
            "passphrase instead."
        )
    identity = journal.keys.held_identity()
    passphrase = None if identity is not None else ask_passphrase("Passphrase: ")
    until = journal.keys.hold(seconds, passphrase)
    say(
        f"Unlocked until {clock_time(journal, until)}: reading asks no passphrase until then. "
        "journal lock locks it again now.",
        style="green",
    )


@app.command()
@handled
def lock() -> None:
    """Lock an unlocked journal again at once.  Example: journal lock"""
    from layers_journal.ui.console import say

    journal = open_journal()
    if journal.keys.let_go():
        say("Locked: reading asks for the passphrase again.", style="green")
    else:
        say("The journal was already locked.")


def clock_time(journal: Journal, epoch: float) -> str:
    from datetime import datetime

    local = datetime.fromtimestamp(epoch, journal.clock.zone)
    today = journal.clock.now().date()
    shown = local.strftime("%H:%M")
    return shown if local.date() == today else f"{shown} tomorrow"


def sync_around(journal: Journal, verb: str, *, required: bool) -> bool:
    """Sync before (or after) converting a journal that has a remote. True when it
    synced; when it did not and `required`, a SyncError says why nothing was done."""
    from layers_journal.errors import SyncError, reason
    from layers_journal.sync.policy import sync
    from layers_journal.sync.state import has_upstream

    if not has_upstream(journal):
        return False
    try:
        sync(journal, now=journal.clock.now(), interactive=sys.stdin.isatty())
    except SyncError as error:
        if required:
            raise SyncError(
                f"journal {verb} syncs first, so that two devices never make two different "
                f"keys, and that sync did not finish ({reason(error)}); nothing was changed."
            ) from None
        journal.notes.append(
            f"The sync around journal {verb} did not finish ({reason(error)}); journal sync "
            "sends the change when the remote can be reached."
        )
        return False
    return True


@app.command()
@handled
def decrypt() -> None:
    """Turn an encrypted journal back into plain Markdown files.  Example: journal decrypt"""
    from layers_journal.ui.console import say
    from layers_journal.ui.terminal import ask_passphrase

    journal = open_journal()
    if not journal.encrypted:
        raise NothingToSave("This journal is not encrypted, so there was nothing to decrypt.")
    passphrase = ask_passphrase()
    synced = sync_around(journal, "decrypt", required=False)
    count = journal.changes.decrypt(passphrase)
    if synced:
        sync_around(journal, "decrypt", required=False)
    if journal.encrypted:  # something could not be opened: its key stays with it
        say(
            f"Decrypted {plural(count, 'entry', 'entries')}, but what is named below could "
            "not be opened and is left as it is, so the journal and its key stay encrypted. "
            "Once it is restored from a backup or moved out of the journal, journal decrypt "
            "finishes.",
            style="yellow",
        )
        raise typer.Exit(1)
    say(
        f"Decrypted {plural(count, 'entry', 'entries')}; the journal is plain text again.",
        style="green",
    )


@app.command()
@handled
def doctor(
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Mend what is safe to mend: permissions, drafts, kept text, the index."
        ),
    ] = False,
) -> None:
    """Look the journal over and say what needs care (exit 1 when something does).

    Checks permissions, unreadable or stray files, sync conflict copies, editor drafts
    left behind, text kept after a failed save, the index and encryption. With the
    passphrase in LAYERS_JOURNAL_PASSPHRASE[_FILE] it also opens every encrypted entry
    and checks the journal's key pair. Example: journal doctor --fix
    """
    from layers_journal.doctor import examine, mend
    from layers_journal.ui.console import say

    journal = open_journal()
    journal.report.problems_shown = True  # skipped files are among the findings below
    findings = examine(journal)
    fixable = [finding for finding in findings if finding.fixable]
    if fixable and not fix and sys.stdin.isatty():
        for finding in findings:
            say(f"{finding.path}: {finding.message}.")
        try:
            fix = typer.confirm(f"Mend the {len(fixable)} that can be mended now?", default=True)
        except typer.Abort:
            fix = False
        findings = [] if fix else findings
    if fix and fixable:
        for line in mend(journal, fixable, now=journal.clock.now()):
            say(
                line[0].upper() + line[1:] + ".",
                style="yellow" if line.startswith("left") else "green",
            )
        findings = examine(journal)
    if not findings:
        count = plural(journal.index().lookup.count(), "entry", "entries")
        say(f"All is well: {count}, nothing needs care.")
        return
    for finding in findings:
        say(f"{finding.path}: {finding.message}.", style="yellow")
    if any(finding.fixable for finding in findings):
        say("journal doctor --fix mends the ones it can.")
    raise typer.Exit(1)
