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
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.errors import JournalError, SyncError, reason
from layers_journal.folder import layout
from layers_journal.folder.crypto import KEY_NAME, RECIPIENT_NAME

from .git import ZERO, Git, GitFailed, GitTimeout, last_words, redact

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal

GITATTRIBUTES = """\
# Entries are text with Unix line ends everywhere; encrypted files are never touched.
*.md text eol=lf
*.toml text eol=lf
*.pub text eol=lf
*.age binary
"""
GITIGNORE = """\
# Written by layers-journal: what never belongs in the journal's history.
# Temp files of a write in progress:
.*.tmp
# Editor swap and backup files:
*.swp
*.swo
.*.sw?
*~
.#*
*.orig
# Conflict copies made by other sync tools (Syncthing, Dropbox, Nextcloud...):
*sync-conflict*
*conflicted copy*
*(conflict*
*.conflict
.DS_Store
.stfolder
.stversions/
"""
# A neutral identity, set in the journal's own repository only, so a person's name and
# e-mail address are never published with their journal.
IDENTITY = {"user.name": "layers-journal", "user.email": "journal@localhost"}
SETTINGS = {
    **IDENTITY,
    "commit.gpgsign": "false",  # an automatic commit must never wait for a pinentry
    "core.autocrlf": "false",
}
# Left in the git folder while our own rebase runs: a sync killed part-way is ours to undo.
MARKER = "layers-journal-sync"
# A background sync after a write keeps to this, whatever sync.timeout says.
BACKGROUND_TIMEOUT = 15
TOP_FILES = (RECIPIENT_NAME, KEY_NAME, ".gitattributes", ".gitignore")
TOP_FOLDERS = (layout.ENTRIES, layout.PAUSES, layout.TRASH, layout.CONFLICTS)

State = tuple[str, str]  # (mode, blob) of a file in a commit
# What sync keeps aside in conflicts/: <name>.<when>.<suffix>, <when> the sync's time.
KEPT_ASIDE = re.compile(r"[^./][^/]*\.[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}(?:-[0-9]+)?\.[a-z.]+")


class Setup(NamedTuple):
    branch: str
    remote: str
    merge: str  # the branch on the remote, refs/heads/...
    tracking: str  # its remote-tracking ref here, refs/remotes/...


class Outcome(NamedTuple):
    remote: str
    brought: int  # changes brought in (an entry, a pause, a key file...)
    sent: int  # changes sent
    conflicts: list[str]  # entry ids kept as pairs in conflicts/
    notes: list[str]


# --- the repository ------------------------------------------------------------------


def is_set_up(root: Path) -> bool:
    return (root / ".git").exists()


def open_git(journal: Journal, *, interactive: bool = False, timeout: int | None = None) -> Git:
    return Git(
        journal.root, timeout=timeout or journal.config.sync_timeout, interactive=interactive
    )


def in_progress(git_dir: Path) -> str | None:
    """The git operation left unfinished in the repository, if any, named for a person."""
    for name, what in (
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("MERGE_HEAD", "merge"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
    ):
        if (git_dir / name).exists():
            return what
    return None


def current_setup(git: Git, *, need_upstream: bool = True) -> Setup:
    """The branch and its upstream, or SyncError naming what stands in the way."""
    folder = git.root
    busy = in_progress(git.git_dir())
    if busy is not None:
        raise SyncError(
            f"A git {busy} is in progress in {folder}; finish it (or run git {busy} --abort "
            "there) and then journal sync."
        )
    done = git.run("symbolic-ref", "-q", "--short", "HEAD", check=False)
    branch = done.out.strip()
    if done.code != 0 or not branch:
        raise SyncError(
            f"The repository in {folder} is on a detached HEAD, not a branch; switch back to "
            "the journal's branch (git switch main) and then journal sync."
        )
    upstream = git.out(
        "for-each-ref",
        "--format=%(upstream:remotename)%00%(upstream:remoteref)%00%(upstream)",
        f"refs/heads/{branch}",
    )
    remote, merge, tracking = [*upstream.split("\0"), "", "", ""][:3]
    if need_upstream and (not remote or not merge or remote == "." or not tracking):
        raise SyncError(
            f"The journal's branch {branch} has no upstream to sync with; journal sync init "
            "REMOTE sets one."
        )
    return Setup(branch, remote, merge, tracking)


def remote_url(git: Git, remote: str) -> str:
    return redact(git.value(f"remote.{remote}.url") or remote)


# --- what gets committed -------------------------------------------------------------


def committable(root: Path, path: str, *, sealed: bool) -> bool:
    """A journal file sync may commit: an entry (with its metadata), a pause, a trashed
    entry, a version kept in conflicts/, the key files and our two dot files; never a
    temp file or a stray, and in an encrypted journal never a plain-text entry (its
    removal, though, is committed)."""
    if path in TOP_FILES:
        return True
    top, _, rest = path.partition("/")
    name = rest.rsplit("/", 1)[-1]
    if top == layout.ENTRIES:
        ours = layout.entry_id_of(name) is not None
    elif top == layout.TRASH:
        ours = layout.trash_name(trashed_text(name)) is not None
    elif top == layout.PAUSES:
        ours = rest == name and layout.PAUSE_FILE.fullmatch(name) is not None
    elif top == layout.CONFLICTS:
        ours = rest == name and KEPT_ASIDE.fullmatch(name) is not None
    else:
        return False
    if not ours:
        return False
    return not (sealed and name.endswith(layout.PLAIN) and os.path.lexists(root / path))


def trashed_text(name: str) -> str:
    """The trashed entry a trash file name belongs to (its metadata names its text)."""
    return name[: -len(layout.META)] + layout.SEALED if name.endswith(layout.META) else name


def commit_paths(git: Git, paths: set[str] | list[str], message: str, *, sealed: bool) -> bool:
    """Commit exactly these paths (new, changed or removed), and only when git sees a
    change. True when a commit was made."""
    chosen = sorted(p for p in set(paths) if committable(git.root, p, sealed=sealed))
    if not chosen:
        return False
    # Added when on disk, removed from the index when gone (quietly when never known).
    listed = "".join(f"{path}\0" for path in chosen)
    git.run("update-index", "--add", "--remove", "-z", "--stdin", stdin=listed, what="git add")
    staged = git.run(
        "diff", "--cached", "--no-renames", "--name-only", "-z", "HEAD", "--", *chosen
    ).out
    changed = [p for p in staged.split("\0") if p]
    if not changed:
        return False
    git.run("commit", "-q", "--no-verify", "-m", message, "--", *changed, what="git commit")
    return True


def pending_paths(git: Git) -> list[str]:
    """Journal files with changes git has not committed (new ones included)."""
    done = git.run(
        "status",
        "--porcelain=v1",
        "-z",
        "--no-renames",
        "--untracked-files=all",
        "--",
        *TOP_FILES,
        *TOP_FOLDERS,
    )
    return [item[3:] for item in done.out.split("\0") if len(item) > 3]


def files_message(count: int) -> str:
    # Never the text, a prompt or a tag: only how many files.
    return f"Journal: {count} file{'s' if count != 1 else ''} written"


# --- after every command: commit what it touched -------------------------------------


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
            committed = commit_paths(
                git, touched, files_message(len(touched)), sealed=journal.encrypted
            )
    except Exception as error:  # a write that worked must not look like one that failed
        if not isinstance(error, JournalError | OSError) and os.environ.get("LAYERS_JOURNAL_DEBUG"):
            raise
        said = error.said if isinstance(error, GitFailed) else reason(error)
        journal.notes.append(
            f"The change is saved; committing it to git did not work ({said}), so journal "
            "sync will commit it."
        )
        return
    if committed and mode == "full":
        start_background_sync()


def on_a_branch(git: Git) -> bool:
    """HEAD names a branch (read from the file when it is one, saving a git call)."""
    try:
        return (git.git_dir() / "HEAD").read_text(encoding="utf-8").startswith("ref: ")
    except (OSError, UnicodeDecodeError):
        return git.ok("symbolic-ref", "-q", "HEAD")


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


# --- journal sync init ---------------------------------------------------------------


def init(journal: Journal, remote: str | None) -> list[str]:
    """Make (or adopt) the journal folder's repository, with our attributes, ignores and
    neutral identity, and commit what is there. Returns notes for the person."""
    from layers_journal.folder.storage import ensure_private_dir, write_atomic

    root = journal.root
    ensure_private_dir(root)
    git = open_git(journal)
    notes: list[str] = []
    adopted = is_set_up(root)
    if not adopted:
        git.run("init", "-q", what="git init")
        git.run("symbolic-ref", "HEAD", "refs/heads/main")
    for key, value in SETTINGS.items():
        git.run("config", key, value)
    for name, wanted in ((".gitattributes", GITATTRIBUTES), (".gitignore", GITIGNORE)):
        path = root / name
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        missing = [
            line
            for line in wanted.splitlines()
            if line and not line.startswith("#") and line not in existing.splitlines()
        ]
        if not existing:
            write_atomic(path, wanted.encode(), overwrite=True)
        elif missing:
            text = existing.rstrip("\n") + "\n" + "\n".join(missing) + "\n"
            write_atomic(path, text.encode(), overwrite=True)
    if remote:
        known = git.value("remote.origin.url")
        if known is None:
            git.run("remote", "add", "origin", remote, what="git remote add")
        elif known != remote:
            git.run("remote", "set-url", "origin", remote, what="git remote set-url")
            notes.append(f"The remote origin now points at {redact(remote)}.")
    head = git.revision("HEAD")
    if remote and head is None:
        name_branch_like_remote(git)
    branch = git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).out.strip()
    if not branch:
        current_setup(git, need_upstream=False)  # says what stands in the way
    if remote:
        git.run("config", f"branch.{branch}.remote", "origin")
        git.run("config", f"branch.{branch}.merge", f"refs/heads/{branch}")
    paths = pending_paths(git)
    sealed = journal.encrypted
    if head is None:
        chosen = "".join(f"{p}\0" for p in paths if committable(root, p, sealed=sealed))
        git.run("update-index", "--add", "-z", "--stdin", stdin=chosen, what="git add")
        git.run(
            "commit",
            "-q",
            "--no-verify",
            "--allow-empty",
            "-m",
            "Journal: sync set up",
            what="git commit",
        )
    else:
        commit_paths(git, paths, "Journal: sync set up", sealed=sealed)
    return notes


def name_branch_like_remote(git: Git) -> None:
    """A new repository's branch takes the name of the remote's, when it has one (main,
    or master, or its only branch)."""
    try:
        git.run("fetch", "-q", "--no-tags", "origin", network=True, what="git fetch")
    except SyncError:
        return  # the first sync says why
    names = git.out("for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/")
    branches = [name for name in names.splitlines() if name and name != "HEAD"]
    for wanted in ("main", "master"):
        if wanted in branches:
            break
    else:
        wanted = branches[0] if len(branches) == 1 else "main"
    git.run("symbolic-ref", "HEAD", f"refs/heads/{wanted}")


# --- journal sync ----------------------------------------------------------------------


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
                    raise SyncError(
                        "Another sync of this journal is still running; try again in a moment."
                    ) from None
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
        raise SyncError(
            "This journal is not set up for sync yet; journal sync init REMOTE sets it up."
        )
    timeout = min(journal.config.sync_timeout, BACKGROUND_TIMEOUT) if background else None
    git = open_git(journal, interactive=interactive, timeout=timeout)
    with sync_lock(journal, wait=0 if background else git.timeout):
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
        notes.append("An earlier sync stopped part-way; it was undone, and this one starts afresh.")
    marker.unlink(missing_ok=True)
    return notes


def run_sync(journal: Journal, git: Git, setup: Setup, *, now: datetime) -> Outcome:
    sealed = journal.encrypted
    with journal.store.writing():
        commit_paths(git, pending_paths(git), "Journal: files written", sealed=sealed)
    notes: list[str] = []
    brought = sent = 0
    conflicts: list[str] = []
    for _attempt in range(3):
        fetch(git, setup)
        with journal.store.writing():
            step = integrate(git, setup, when=now.strftime("%Y-%m-%d-%H%M%S"))
        brought += step.brought
        conflicts += step.conflicts
        notes += step.notes
        if step.head is None or step.head == step.upstream:
            break  # the remote has everything already
        sent = count_files(git.changes(step.upstream, step.head))
        if push(git, setup):
            break
    else:
        raise SyncError(
            f"The remote {setup.remote} kept changing while this sync ran; journal sync "
            "again should finish it."
        )
    journal.refresh()
    if journal.encrypted and KEPT_KEY not in notes:
        plain = sum(1 for path in journal.store.entry_files() if not layout.is_sealed(path.name))
        if plain:
            one = plain == 1
            notes.append(
                f"{plain} entr{'y is' if one else 'ies are'} in plain text in this encrypted "
                f"journal; journal doctor --fix encrypts {'it' if one else 'them'}."
            )
    return Outcome(setup.remote, brought, sent, conflicts, notes)


def network_failure(setup: Setup, error: SyncError, git: Git) -> SyncError:
    """The sentence for a fetch or push that did not work."""
    where = f"the remote {setup.remote} ({remote_url(git, setup.remote)})"
    if isinstance(error, GitTimeout):
        return SyncError(
            f"{where[0].upper()}{where[1:]} did not answer within {git.timeout} seconds; "
            "everything is safe here, and journal sync can try again later."
        )
    said = error.said if isinstance(error, GitFailed) else reason(error)
    return SyncError(
        f"Could not reach {where}: {said}; everything is safe here, and journal sync can try "
        "again later."
    )


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


def count_files(changes: dict[str, State | None]) -> int:
    """Changed files as a person counts them: an entry with its metadata, or moved to
    the trash, is one; the repository's own dot files are none."""
    counted: set[str] = set()
    for path in changes:
        name = path.rsplit("/", 1)[-1]
        if path in (".gitattributes", ".gitignore"):
            continue
        named = layout.trash_name(name) or layout.conflict_name(name)
        counted.add(layout.entry_id_of(name) or (named[0] if named else path))
    return len(counted)


# --- integrating what the remote has ---------------------------------------------------


class Step(NamedTuple):
    brought: int
    conflicts: list[str]
    notes: list[str]
    head: str | None  # after the step
    upstream: str | None


class Plan(NamedTuple):
    result: dict[str, State]  # the joined tree, path by path
    theirs: dict[str, State]  # the remote's tree
    brought: int
    conflicts: list[str]  # entry ids kept as pairs
    aside: int  # other files of this device's kept aside in conflicts/ or the trash
    clean: bool  # the two sides changed different files: a rebase does it
    kept_key: bool  # decrypted on one side while the other wrote encrypted entries


def integrate(git: Git, setup: Setup, *, when: str) -> Step:
    """Bring the fetched remote branch into HEAD. Call under the journal's write lock."""
    head, upstream = revisions(git, "HEAD", setup.tracking)
    if head is None or upstream is None or head == upstream:
        return Step(0, [], [], head, upstream)
    base = git.merge_base(head, upstream)
    if base == upstream:
        return Step(0, [], [], head, upstream)  # nothing new there
    refuse_two_keys(git, head, upstream)
    if base == head:
        brought = count_files(git.changes(head, upstream))
        git.run("merge", "-q", "--ff-only", upstream, what="git merge --ff-only")
        return Step(brought, [], [], upstream, upstream)
    plan = plan_join(git, base, head, upstream, when=when)
    notes = []
    if plan.kept_key:
        notes.append(KEPT_KEY)
    if plan.aside:
        notes.append(
            f"{plan.aside} other file{'s' if plan.aside != 1 else ''} changed on both devices; "
            "this device's version is kept in conflicts/ or the trash."
        )
    if plan.clean and rebase(git, upstream):
        return Step(plan.brought, [], notes, git.revision("HEAD"), upstream)
    if plan.result == plan.theirs:
        # Everything this device has, the remote has too: take its history as it is.
        git.run("reset", "-q", "--keep", upstream, what="git reset --keep")
        return Step(plan.brought, plan.conflicts, notes, upstream, upstream)
    message = "Journal: sync joined two devices"
    if plan.conflicts:
        count = len(plan.conflicts)
        message += f"; {count} entr{'y' if count == 1 else 'ies'} kept in both versions"
    joined = commit_tree(git, plan.result, plan.theirs, parents=(head, upstream), message=message)
    git.run("merge", "-q", "--ff-only", joined, what="git merge --ff-only")
    return Step(plan.brought, plan.conflicts, notes, joined, upstream)


KEPT_KEY = (
    "The journal was decrypted on one device while another wrote encrypted entries; the "
    "key stays so they can be read: journal decrypt finishes decrypting, or journal "
    "doctor --fix encrypts it all again."
)


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
        raise SyncError(
            "The journal on the remote is encrypted with a different key pair than this one "
            "(journal encrypt ran on two devices); nothing was changed. Run journal decrypt "
            "here, then journal sync brings in the remote's key."
        )


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


def entry_id_in(path: str) -> str | None:
    """The entry id of a file in entries/ (text or metadata)."""
    if not path.startswith(layout.ENTRIES + "/"):
        return None
    return layout.entry_id_of(path.rsplit("/", 1)[-1])


def plan_join(git: Git, base: str | None, head: str, upstream: str, *, when: str) -> Plan:
    """The tree that holds both sides, decided file by file and never merged as text."""
    mine = git.changes(base, head)
    theirs_changed = git.changes(base, upstream)
    theirs = git.tree(upstream)
    result = dict(theirs)
    clean = base is not None and not (mine.keys() & theirs_changed.keys())
    both = {p for p in mine if p in theirs_changed and mine[p] != theirs_changed[p]}
    conflicted = {entry_id for entry_id in map(entry_id_in, both) if entry_id}
    aside = 0
    for path, state in sorted(mine.items()):
        if path in theirs_changed and theirs_changed[path] == state:
            continue  # the same change on both sides
        if entry_id_in(path) in conflicted:
            continue  # decided as a pair below
        if path not in theirs_changed:
            if state is None:
                result.pop(path, None)
            else:
                result[path] = state
            continue
        if state is None or path in (".gitattributes", ".gitignore"):
            continue  # removed here and changed there, or our own dot files: theirs stays
        aside += keep_aside(result, path, state, mine, when=when)
    head_files = git.tree(head, entry_paths(conflicted)) if conflicted else {}
    conflicts = []
    for entry_id in sorted(conflicted):
        text = next(
            (
                path
                for path in (
                    layout.entry_path(entry_id, sealed=False),
                    layout.entry_path(entry_id, sealed=True),
                )
                if path in head_files
            ),
            None,
        )
        if text is None:
            continue  # trashed or removed here, changed there: theirs stays, the trash keeps ours
        if result.get(text) == head_files[text]:
            continue
        meta = layout.meta_path(text) if layout.is_sealed(text) else None
        set_aside(result, text, head_files[text], meta, head_files.get(meta or ""), when=when)
        conflicts.append(entry_id)
    restored = keep_keys(result, git, head, upstream)
    brought = count_files(theirs_changed)
    return Plan(result, theirs, brought, conflicts, aside, clean and not restored, restored)


def entry_paths(entry_ids: set[str]) -> list[str]:
    paths = []
    for entry_id in sorted(entry_ids):
        sealed = layout.entry_path(entry_id, sealed=True)
        paths += [layout.entry_path(entry_id, sealed=False), sealed, layout.meta_path(sealed)]
    return paths


def keep_aside(
    result: dict[str, State], path: str, state: State, mine: dict[str, State | None], *, when: str
) -> int:
    """This device's version of a file (not an entry) both sides changed: into the trash
    as a further copy when it is a trashed entry, else into conflicts/. Returns 1 when
    something was kept aside."""
    name = path.rsplit("/", 1)[-1]
    top = path.split("/", 1)[0]
    if top == layout.CONFLICTS:
        # Two devices kept versions under one name (their syncs ran in the same second):
        # this device's takes the next free name.
        kept = layout.conflict_name(name)
        if kept is None or kept[2] == layout.META:
            return 0  # a kept version's metadata moves with its text
        entry_id, stamp, suffix = kept
        text = layout.entry_path(entry_id, sealed=suffix == layout.SEALED)
        meta = layout.meta_path(text) if suffix == layout.SEALED else None
        meta_state = mine.get(layout.meta_path(path)) if meta else None
        set_aside(result, text, state, meta, meta_state, when=stamp[:17])  # less any -N
        return 0
    if top == layout.TRASH:
        named = layout.trash_name(name)
        if named is None:
            return 0  # a trashed entry's metadata moves with its text below
        entry_id, _, sealed = named
        copy = 1
        while True:
            target = layout.trash_path(layout.entry_path(entry_id, sealed=sealed), copy)
            if target not in result:
                break
            copy += 1
        result[target] = state
        trashed_meta = mine.get(layout.meta_path(path)) if sealed else None
        if trashed_meta is not None:
            result[layout.meta_path(target)] = trashed_meta
        return 1
    stem, dot, rest = name.partition(".")
    number = 1
    while True:
        stamp = when if number == 1 else f"{when}-{number}"
        target = f"{layout.CONFLICTS}/{stem}.{stamp}{dot}{rest}"
        if result.get(target, state) == state:
            break
        number += 1
    result[target] = state
    return 1


def set_aside(
    result: dict[str, State],
    text: str,
    state: State,
    meta: str | None,
    meta_state: State | None,
    *,
    when: str,
) -> None:
    """Put this device's version of an entry (and its metadata) into conflicts/, under
    the first name that is free or holds this very version already."""
    number = 1
    while True:
        stamp = when if number == 1 else f"{when}-{number}"
        target = layout.conflict_path(text, stamp)
        if result.get(target, state) == state:
            break
        number += 1
    result[target] = state
    if meta is not None and meta_state is not None:
        result[layout.conflict_path(meta, stamp)] = meta_state


def keep_keys(result: dict[str, State], git: Git, head: str, upstream: str) -> bool:
    """Encrypted entries are never left without the key that opens them: when the joined
    tree has them but lost a key file (decrypted on one side while the other wrote), the
    key comes back from whichever side still has it. True when that was needed."""
    if not any(layout.is_sealed(path) for path in result):
        return False
    needed = False
    for name in (RECIPIENT_NAME, KEY_NAME):
        if name in result:
            continue
        found = git.tree(upstream, [name]).get(name) or git.tree(head, [name]).get(name)
        if found is not None:
            result[name] = found
            needed = True
    return needed


def commit_tree(
    git: Git,
    result: dict[str, State],
    start: dict[str, State],
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


# --- what sync remembers on this device ----------------------------------------------


def remember(journal: Journal, now: datetime, *, problem: str | None) -> None:
    """The last try, and the last good sync, in the state folder (never the journal)."""
    from layers_journal.folder.storage import write_atomic

    path = journal.paths.sync_state(journal.root)
    state = recalled(journal)
    state["last_try"] = now.isoformat(timespec="seconds")
    state["problem"] = problem
    if problem is None:
        state["last_good"] = state["last_try"]
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(state).encode(), overwrite=True)


def recalled(journal: Journal) -> dict[str, str | None]:
    try:
        data = json.loads(journal.paths.sync_state(journal.root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(v, str | None)}
        if isinstance(data, dict)
        else {}
    )


class Status(NamedTuple):
    remote: str | None
    url: str | None
    branch: str | None
    ahead: int
    behind: int
    pending: int
    last_good: str | None
    last_try: str | None
    problem: str | None
    conflicts: int
    auto: str
    fetched: bool  # the remote branch has been seen at least once


def status(journal: Journal) -> Status:
    """Where this device stands, from what it knows (no network)."""
    from .conflicts import conflict_copies

    if not is_set_up(journal.root):
        raise SyncError(
            "This journal is not set up for sync yet; journal sync init REMOTE sets it up."
        )
    git = open_git(journal)
    setup = current_setup(git, need_upstream=False)
    ahead = behind = 0
    upstream = git.revision(setup.tracking) if setup.tracking else None
    if upstream is not None:
        counts = git.out("rev-list", "--left-right", "--count", f"HEAD...{upstream}")
        ahead, behind = (int(part) for part in counts.split())
    elif git.revision("HEAD"):
        ahead = int(git.out("rev-list", "--count", "HEAD"))
    pending = [
        p for p in pending_paths(git) if committable(journal.root, p, sealed=journal.encrypted)
    ]
    remembered = recalled(journal)
    return Status(
        remote=setup.remote or None,
        url=remote_url(git, setup.remote) if setup.remote else None,
        branch=setup.branch,
        ahead=ahead,
        behind=behind,
        pending=count_files(dict.fromkeys(pending)),
        last_good=remembered.get("last_good"),
        last_try=remembered.get("last_try"),
        problem=remembered.get("problem"),
        conflicts=len(conflict_copies(journal)),
        auto=journal.config.sync_auto,
        fetched=upstream is not None,
    )


def has_upstream(journal: Journal) -> bool:
    """Sync is set up here with a remote to sync with."""
    if not is_set_up(journal.root):
        return False
    try:
        current_setup(open_git(journal))
    except SyncError:
        return False
    return True
