"""Sync across devices: the journal folder as a git repository, shared through a remote.

One file per entry with a unique name makes real conflicts rare, so the policy is
small and never merges text:

- every write is committed (settle, after each command): exactly the paths the run
  touched, with a message that names no text, prompt or tag;
- `journal sync` commits anything pending, fetches, then fast-forwards, or rebases when
  the two sides changed different files, or else builds the merge itself, file by
  file: where the same entry changed on both sides the remote's version stays at its
  path and this device's moves to conflicts/<id>.<when>.md[.age]; then it pushes;
- an encrypted file is never committed in plain text, and two different key pairs are
  never joined.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.errors import JournalError, SyncError, reason
from layers_journal.folder import layout
from layers_journal.folder.crypto import RECIPIENT_NAME
from layers_journal.ui import messages

from .device import this_device
from .git import ZERO, Git, GitFailed, GitTimeout, last_words
from .join import Plan, State, Tree, count_files, join
from .repository import (
    Setup,
    commit_paths,
    committable,
    current_setup,
    files_message,
    in_progress,
    is_set_up,
    keep_attributes_out,
    on_a_branch,
    open_git,
    pending_paths,
    remote_url,
)
from .state import remember

if TYPE_CHECKING:
    from layers_journal.folder.store import Store
    from layers_journal.journal.facade import Journal


# Left in the git folder while our own rebase runs: a sync killed part-way is ours to undo.
MARKER = "layers-journal-sync"


# A background sync after a write keeps to this, whatever sync.timeout says.
BACKGROUND_TIMEOUT = 15


class Outcome(NamedTuple):
    remote: str
    brought: int  # changes brought in (an entry, a pause, a key file...)
    sent: int  # changes sent
    conflicts: list[str]  # entry ids kept as pairs in conflicts/
    notes: list[str]


def settle(journal: Journal) -> None:
    """Commit the paths this run touched when sync.auto asks for it, and with `full`
    start a background sync. Never raises, never waits on the network."""
    touched = set(journal.store.touched)
    journal.store.touched.clear()
    mode = journal.config.sync_auto
    if not touched or mode == "off" or not is_set_up(journal.root):
        return
    try:
        git = open_git(journal)
        if in_progress(git.git_dir()) is not None or not on_a_branch(git):
            return  # someone is working in the repository; journal sync commits it later
        with journal.store.writing():
            keep_attributes_out(git)
            committed = commit_paths(
                git, touched, files_message(len(touched)), sealed=journal.encrypted
            )
    except Exception as error:  # a write that worked must not look like one that failed
        if not isinstance(error, JournalError | OSError) and os.environ.get("LAYERS_JOURNAL_DEBUG"):
            raise
        said = error.said if isinstance(error, GitFailed) else reason(error)
        journal.notes.append(messages.commit_later(said))
        return
    if committed and mode == "full":
        start_background_sync()


def start_background_sync() -> None:
    """`journal sync --background` in a session of its own, started through a shell that
    leaves at once: the write does not wait, and no child is left for this one to reap."""
    import subprocess

    script = '"$0" -m layers_journal sync --background </dev/null >/dev/null 2>&1 &'
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["/bin/sh", "-c", script, sys.executable],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            timeout=5,
            check=False,
        )


@contextlib.contextmanager
def sync_lock(journal: Journal, *, wait: float) -> Iterator[None]:
    """One sync of a journal at a time (a background one may still be running)."""
    from layers_journal.folder.storage import ensure_private_dir

    path = journal.paths.sync_lock(journal.root)
    ensure_private_dir(path.parent)
    try:
        import fcntl
    except ImportError:  # no flock here: git's own index lock still guards the repository
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SyncError(messages.SYNC_BUSY) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def sync(
    journal: Journal, *, now: datetime, background: bool = False, interactive: bool = False
) -> Outcome:
    """Commit anything pending, fetch, integrate, push. Raises SyncError (one sentence)
    when the remote does not end up with everything."""
    if not is_set_up(journal.root):
        raise SyncError(messages.SYNC_NOT_SET_UP)
    timeout = min(journal.config.sync_timeout, BACKGROUND_TIMEOUT) if background else None
    git = open_git(journal, interactive=interactive, timeout=timeout)
    with sync_lock(journal, wait=0 if background else git.timeout):
        keep_attributes_out(git)
        notes = recover(git)
        try:
            setup = current_setup(git)
            outcome = run_sync(journal, git, setup, now=now)
        except SyncError as error:
            remember(journal, now, problem=error.message)
            raise
        remember(journal, now, problem=None)
    return outcome._replace(notes=notes + outcome.notes)


def recover(git: Git) -> list[str]:
    """Undo a rebase of ours that was stopped part-way (killed, or the power went)."""
    git_dir = git.git_dir()
    marker = git_dir / MARKER
    if not marker.exists():
        return []
    notes = []
    if in_progress(git_dir) == "rebase":
        git.run("rebase", "--abort", what="git rebase --abort")
        notes.append(messages.SYNC_UNDONE)
    marker.unlink(missing_ok=True)
    return notes


def run_sync(journal: Journal, git: Git, setup: Setup, *, now: datetime) -> Outcome:
    sealed = journal.encrypted
    notes: list[str] = []
    with journal.store.writing():
        pending = pending_paths(git)
        vanished = keep_removed_outside(journal, git, pending)
        if vanished:
            notes.append(messages.removed_outside(vanished))
            pending = pending_paths(git)
        commit_paths(git, pending, "Journal: files written", sealed=sealed)
    brought = sent = 0
    conflicts: list[str] = []
    for _attempt in range(3):
        fetch(git, setup)
        with journal.store.writing():
            notes += seal_before_sending(journal, git, setup)
            step = integrate(
                git, setup, when=now.strftime("%Y-%m-%d-%H%M%S"), device=this_device(journal)
            )
        brought += step.brought
        conflicts += step.conflicts
        notes += step.notes
        if step.head is None or step.head == step.upstream:
            break  # the remote has everything already
        sent = count_files(git.changes(step.upstream, step.head))
        if push(git, setup):
            break
    else:
        raise SyncError(messages.remote_kept_changing(setup.remote))
    journal.refresh()
    if journal.encrypted and messages.KEPT_KEY not in notes:
        plain = sum(1 for path in journal.store.entry_files() if not layout.is_sealed(path.name))
        if plain:
            notes.append(messages.plain_in_sealed(plain))
    return Outcome(setup.remote, brought, sent, conflicts, notes)


def seal_before_sending(journal: Journal, git: Git, setup: Setup) -> list[str]:
    """When the remote's journal is encrypted and this device's is not yet: bring its
    key in, seal every plain file here to it, and make this device's commits that were
    not yet sent again, as one, from the sealed files, so no plain text of them is ever
    sent. Call under the write lock. Returns a note when it did."""
    from layers_journal.folder.conversion import seal_plain_files
    from layers_journal.folder.crypto import KEY_NAME
    from layers_journal.folder.storage import write_atomic

    if journal.encrypted:
        return []
    upstream = git.revision(setup.tracking)
    if upstream is None:
        return []
    head = git.revision("HEAD")
    base = git.merge_base(head, upstream) if head is not None else None
    if base is not None and git.blobs([f"{base}:{RECIPIENT_NAME}"])[0] is not None:
        return []  # encrypted before, decrypted here: the join keeps what needs the key
    names = [f"{upstream}:{RECIPIENT_NAME}", f"{upstream}:{KEY_NAME}"]
    found = git.run("cat-file", "--batch", stdin="".join(f"{name}\n" for name in names))
    public, private = batch_contents(found.raw)
    if public is None or private is None:
        return []
    store = journal.store
    write_atomic(store.path(KEY_NAME), private, overwrite=True)
    write_atomic(store.path(RECIPIENT_NAME), public, overwrite=True)
    journal.keys.forget_recipient()
    if base is not None:
        take_their_sealed_copies(git, store, base, upstream)
    sealed = seal_plain_files(store, [])
    for relative, pause in store.pauses_on_disk():
        if pause.note is not None:
            store.write_pause(pause, overwrite=True, relative=relative)
    message = "Journal: files written, sealed to the journal's key"
    if base is not None:
        git.run("reset", "-q", "--soft", base, what="git reset --soft")
        commit_paths(git, pending_paths(git), message, sealed=True)
    elif head is not None:
        # Nothing in common yet: this device's history starts again, sealed.
        listed = git.out("ls-files", "-z").split("\0") + pending_paths(git)
        git.run("update-ref", "-d", "HEAD")
        chosen = sorted({p for p in listed if p and committable(git.root, p, sealed=True)})
        git.run("read-tree", "--empty")
        present = "".join(f"{p}\0" for p in chosen if os.path.lexists(store.path(p)))
        git.run("update-index", "--add", "-z", "--stdin", stdin=present, what="git add")
        git.run("commit", "-q", "--no-verify", "--allow-empty", "-m", message)
    journal.refresh()
    return [messages.sealed_before_sending(sealed)]


def take_their_sealed_copies(git: Git, store: Store, base: str, upstream: str) -> None:
    """Plain files here that have not changed since the two devices last agreed, and
    that the remote holds sealed: the remote's sealed copy (and metadata) takes their
    place, so the same entry is not sealed twice into two versions."""
    from layers_journal.folder.storage import remove_file, write_atomic

    before = git.tree(base)
    theirs = git.tree(upstream)
    plain = [
        path
        for path, state in before.items()
        if layout.is_entry_text(path.rsplit("/", 1)[-1])
        and not layout.is_sealed(path)
        and layout.sealed_path(path) in theirs
        and path not in theirs
        and os.path.isfile(store.path(path))
        and not os.path.islink(store.path(path))
    ]
    if not plain:
        return
    here = git.run("hash-object", "--stdin-paths", stdin="".join(f"{p}\n" for p in plain))
    unchanged = [
        path for path, blob in zip(plain, here.out.split(), strict=False) if blob == before[path][1]
    ]
    if not unchanged:
        return
    wanted = [
        name
        for path in unchanged
        for name in (layout.sealed_path(path), layout.meta_path(layout.sealed_path(path)))
    ]
    found = git.run("cat-file", "--batch", stdin="".join(f"{upstream}:{n}\n" for n in wanted))
    contents = batch_contents(found.raw)
    for n, path in enumerate(unchanged):
        sealed, meta = contents[2 * n], contents[2 * n + 1]
        if sealed is None:
            continue
        target = layout.sealed_path(path)
        if meta is not None:
            write_atomic(store.path(layout.meta_path(target)), meta, overwrite=True)
        write_atomic(store.path(target), sealed, overwrite=True)
        remove_file(store.path(path))


def keep_removed_outside(journal: Journal, git: Git, pending: list[str]) -> list[str]:
    """Entries whose files went from disk other than by journal delete (rm, a file
    manager, another sync tool) since the last commit: put back from the last commit
    into the trash, as journal delete would have, before the removal is committed.
    Call under the write lock. Returns their ids."""
    from layers_journal.folder.storage import write_atomic

    store = journal.store
    removed = [
        path
        for path in pending
        if path.startswith(layout.ENTRIES + "/")
        and layout.is_entry_text(path.rsplit("/", 1)[-1])
        and not os.path.lexists(store.path(path))
    ]
    if not removed:
        return []
    trashed = {
        named[0]
        for path in pending
        if path.startswith(layout.TRASH + "/")
        and (named := layout.trash_name(path.rsplit("/", 1)[-1])) is not None
    }
    on_disk = {entry_id for entry_id, _ in store_entry_ids(journal)}
    kept = []
    for path in removed:
        entry_id = layout.entry_id_of(path.rsplit("/", 1)[-1])
        if entry_id is None or entry_id in trashed or entry_id in on_disk or entry_id in kept:
            continue
        names = [path, layout.meta_path(path)] if layout.is_sealed(path) else [path]
        found = git.run("cat-file", "--batch", stdin="".join(f"HEAD:{n}\n" for n in names))
        contents = batch_contents(found.raw)
        if contents[0] is None:
            continue  # never committed: nothing to bring back
        target = journal.trash.free_place(path)
        store.place(target)
        if len(contents) > 1 and contents[1] is not None:
            write_atomic(store.path(layout.meta_path(target)), contents[1], overwrite=False)
        write_atomic(store.path(target), contents[0], overwrite=False)
        kept.append(entry_id)
    return kept


def store_entry_ids(journal: Journal) -> list[tuple[str, str]]:
    """(id, path) of every entry text file on disk in entries/, wherever it stands."""
    entries = journal.root / layout.ENTRIES
    found = []
    for path in journal.store.entry_files():
        entry_id = layout.entry_id_of(path.name)
        if entry_id is not None and path.is_relative_to(entries):
            found.append((entry_id, str(path)))
    return found


def batch_contents(data: bytes) -> list[bytes | None]:
    """The objects `git cat-file --batch` printed, in order; None for one it lacked."""
    found: list[bytes | None] = []
    at = 0
    while at < len(data):
        end = data.index(b"\n", at)
        header = data[at:end].split(b" ")
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found.append(data[at : at + size])
            at += size + 1
        else:
            found.append(None)
    return found


def network_failure(setup: Setup, error: SyncError, git: Git) -> SyncError:
    """The sentence for a fetch or push that did not work."""
    url = remote_url(git, setup.remote)
    if isinstance(error, GitTimeout):
        return SyncError(messages.remote_silent(setup.remote, url, git.timeout))
    said = error.said if isinstance(error, GitFailed) else reason(error)
    return SyncError(messages.remote_unreachable(setup.remote, url, said))


def fetch(git: Git, setup: Setup) -> None:
    try:
        git.run("fetch", "-q", "--no-tags", setup.remote, network=True, what="git fetch")
    except GitFailed as error:
        raise network_failure(setup, error, git) from None
    except GitTimeout as error:
        raise network_failure(setup, error, git) from None


def push(git: Git, setup: Setup) -> bool:
    """Send HEAD to the remote branch; False when the remote moved on meanwhile."""
    done = git.run(
        "push", "-q", "--porcelain", setup.remote, f"HEAD:{setup.merge}",
        network=True, check=False, what="git push",
    )  # fmt: skip
    if done.code == 0:
        return True  # git moved the remote-tracking branch along with the push
    if "[rejected]" in done.out or "non-fast-forward" in done.err or "fetch first" in done.err:
        return False
    said = last_words(done.err) or last_words(done.out) or f"exit status {done.code}"
    raise network_failure(setup, GitFailed(said, said=said, code=done.code), git)


class Step(NamedTuple):
    brought: int
    conflicts: list[str]
    notes: list[str]
    head: str | None  # after the step
    upstream: str | None


def integrate(git: Git, setup: Setup, *, when: str, device: str = "") -> Step:
    """Bring the fetched remote branch into HEAD. Call under the journal's write lock."""
    head, upstream = revisions(git, "HEAD", setup.tracking)
    if head is None or upstream is None or head == upstream:
        return Step(0, [], [], head, upstream)
    base = git.merge_base(head, upstream)
    if base == upstream and not removes_entries(git.changes(upstream, head)):
        return Step(0, [], [], head, upstream)  # nothing new there
    refuse_two_keys(git, head, upstream)
    if base == head and not removes_entries(changes := git.changes(head, upstream)):
        git.run("merge", "-q", "--ff-only", upstream, what="git merge --ff-only")
        return Step(count_files(changes), [], [], upstream, upstream)
    plan = plan_join(git, base, head, upstream, when=when)
    notes = []
    if plan.kept_key:
        notes.append(messages.KEPT_KEY)
    if plan.aside:
        notes.append(messages.kept_aside(plan.aside))
    if plan.vanished:
        notes.append(messages.removed_outside(plan.vanished))
    if base in (head, upstream):
        if not plan.vanished:  # the removals were the journal's own
            if base == upstream:
                return Step(0, [], notes, head, upstream)
            git.run("merge", "-q", "--ff-only", upstream, what="git merge --ff-only")
            return Step(plan.brought, [], notes, upstream, upstream)
        # One side only moved on, and it removed entries outside the journal: the
        # joined commit keeps them in the trash, on top of the side that moved.
        tip = head if base == upstream else upstream
        message = "Journal: entries removed outside the journal kept in the trash"
        kept = commit_tree(git, plan.result, git.tree(tip), parents=(tip,), message=message)
        git.run("merge", "-q", "--ff-only", kept, what="git merge --ff-only")
        return Step(plan.brought, [], notes, kept, upstream)
    if plan.clean and rebase(git, upstream):
        return Step(plan.brought, [], notes, git.revision("HEAD"), upstream)
    if plan.result == plan.theirs:
        # Everything this device has, the remote has too: take its history as it is.
        git.run("reset", "-q", "--keep", upstream, what="git reset --keep")
        return Step(plan.brought, plan.conflicts, notes, upstream, upstream)
    message = "Journal: sync joined two devices"
    if plan.conflicts:
        record_devices(git, plan.result, head, plan.theirs, device=device, when=when)
    if plan.conflicts:
        count = len(plan.conflicts)
        message += f"; {count} entr{'y' if count == 1 else 'ies'} kept in both versions"
    joined = commit_tree(git, plan.result, plan.theirs, parents=(head, upstream), message=message)
    git.run("merge", "-q", "--ff-only", joined, what="git merge --ff-only")
    return Step(plan.brought, plan.conflicts, notes, joined, upstream)


def removes_entries(changes: dict[str, State | None]) -> bool:
    """Whether an entry's own file is among the paths these changes remove."""
    return any(
        state is None and layout.is_entry_text(path.rsplit("/", 1)[-1])
        for path, state in changes.items()
    )


def record_devices(
    git: Git, result: dict[str, State], head: str, theirs: Tree, *, device: str, when: str
) -> None:
    """Beside each version this sync keeps aside, which device it was written on (this
    one) and when, so every device can tell its own version from the other's."""
    for path in sorted(result):
        top, _, name = path.partition("/")
        named = layout.conflict_name(name) if top == layout.CONFLICTS else None
        if named is None or named[2] == layout.META or path in theirs:
            continue
        record = f"{layout.CONFLICTS}/{named[0]}.{named[1]}{layout.DEVICE}"
        if record in result:
            continue
        text = f'kept_by = "{device}"\nkept_at = "{when}"\n'
        blob = git.out("hash-object", "-w", "--stdin", stdin=text)
        result[record] = ("100644", blob)


def revisions(git: Git, *names: str) -> list[str | None]:
    """The commits these names point at (None where there is none), in one call when
    they all exist."""
    done = git.run("rev-parse", *names, "--", check=False)
    found = [line for line in done.out.split() if line != "--"]
    if done.code == 0 and len(found) == len(names):
        return list(found)
    return [git.revision(name) for name in names]


def refuse_two_keys(git: Git, head: str, upstream: str) -> None:
    mine, theirs = git.blobs([f"{head}:{RECIPIENT_NAME}", f"{upstream}:{RECIPIENT_NAME}"])
    if mine and theirs and mine != theirs:
        raise SyncError(messages.TWO_KEY_PAIRS)


def rebase(git: Git, upstream: str) -> bool:
    """Replay this device's commits on the remote's; on any trouble, leave things as
    they were and return False."""
    git_dir = git.git_dir()
    marker = git_dir / MARKER
    os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        done = git.run("rebase", "-q", "--no-autostash", upstream, check=False)
        if done.code != 0:
            if in_progress(git_dir) == "rebase":
                git.run("rebase", "--abort", what="git rebase --abort")
            return False
        return True
    except BaseException:
        # Stopped part-way (Ctrl-C, a timeout): put everything back as it was.
        if in_progress(git_dir) == "rebase":
            git.run("rebase", "--abort", check=False)
        raise
    finally:
        if in_progress(git_dir) is None:
            marker.unlink(missing_ok=True)


def plan_join(git: Git, base: str | None, head: str, upstream: str, *, when: str) -> Plan:
    """The join of the three commits' trees (see join)."""
    base_tree = git.tree(base) if base is not None else None
    return join(base_tree, git.tree(head), git.tree(upstream), when=when)


def commit_tree(
    git: Git,
    result: dict[str, State],
    start: Tree,
    *,
    parents: tuple[str, ...],
    message: str,
) -> str:
    """A commit of `result`, built in a private index from `start` (the remote's tree)."""
    index = git.git_dir() / "layers-journal-index"
    env = {"GIT_INDEX_FILE": str(index)}
    try:
        git.run("read-tree", parents[-1], env=env)
        lines = [f"0 {ZERO}\t{path}\n" for path in start if path not in result]
        lines += [
            f"{mode} {blob}\t{path}\n"
            for path, (mode, blob) in result.items()
            if start.get(path) != (mode, blob)
        ]
        if lines:
            git.run("update-index", "--index-info", stdin="".join(lines), env=env)
        tree = git.out("write-tree", env=env)
        arguments = [item for parent in parents for item in ("-p", parent)]
        return git.out("commit-tree", tree, *arguments, "-m", message)
    finally:
        index.unlink(missing_ok=True)
