"""The journal folder's own git repository: setting it up (attributes, ignores, a neutral
identity), the branch and upstream it syncs with, and exactly which files are committed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.errors import SyncError
from layers_journal.folder import layout
from layers_journal.folder.crypto import KEY_NAME, RECIPIENT_NAME
from layers_journal.ui import messages

from .git import Git, redact

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal


# In .git/info/attributes, which no commit carries and which outranks every
# .gitattributes in the tree (and core.attributesFile): the journal's files are committed
# and checked out byte for byte, so a .gitattributes arriving from a remote (an encoding,
# a filter, line-end conversion) can neither garble an entry nor run a filter program.
ATTRIBUTES = """\
# Written by layers-journal: every file byte for byte, whatever a .gitattributes says.
* -text -crlf -eol -filter -ident -working-tree-encoding -diff -merge
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

TOP_FILES = (RECIPIENT_NAME, KEY_NAME, ".gitignore")

TOP_FOLDERS = (layout.ENTRIES, layout.PAUSES, layout.TRASH, layout.CONFLICTS)


# What sync keeps aside in conflicts/: <name>.<when>.<suffix>, <when> the sync's time.
KEPT_ASIDE = re.compile(rf"[^./][^/]*\.{layout.STAMP}(?:-[0-9]+)?\.[a-z.]+")


class Setup(NamedTuple):
    branch: str
    remote: str
    merge: str  # the branch on the remote, refs/heads/...
    tracking: str  # its remote-tracking ref here, refs/remotes/...


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
        raise SyncError(messages.git_busy(busy, folder))
    done = git.run("symbolic-ref", "-q", "--short", "HEAD", check=False)
    branch = done.out.strip()
    if done.code != 0 or not branch:
        raise SyncError(messages.detached_head(folder))
    upstream = git.out(
        "for-each-ref",
        "--format=%(upstream:remotename)%00%(upstream:remoteref)%00%(upstream)",
        f"refs/heads/{branch}",
    )
    remote, merge, tracking = [*upstream.split("\0"), "", "", ""][:3]
    if need_upstream and (not remote or not merge or remote == "." or not tracking):
        raise SyncError(messages.no_upstream(branch))
    return Setup(branch, remote, merge, tracking)


def remote_url(git: Git, remote: str) -> str:
    return redact(git.value(f"remote.{remote}.url") or remote)


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


def keep_attributes_out(git: Git) -> None:
    """Write the attributes that turn off every .gitattributes of the tree, when they
    are not there yet (a journal set up before them, or a repository adopted)."""
    from layers_journal.folder.storage import ensure_private_dir, write_atomic

    path = git.git_dir() / "info" / "attributes"
    try:
        if path.read_text(encoding="utf-8") == ATTRIBUTES:
            return
    except (OSError, UnicodeDecodeError):
        pass
    ensure_private_dir(path.parent)
    write_atomic(path, ATTRIBUTES.encode(), overwrite=True)


def on_a_branch(git: Git) -> bool:
    """HEAD names a branch (read from the file when it is one, saving a git call)."""
    try:
        return (git.git_dir() / "HEAD").read_text(encoding="utf-8").startswith("ref: ")
    except (OSError, UnicodeDecodeError):
        return git.ok("symbolic-ref", "-q", "HEAD")


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
    keep_attributes_out(git)
    for name, wanted in ((".gitignore", GITIGNORE),):
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
            notes.append(messages.remote_moved(redact(remote)))
    head = git.revision("HEAD")
    branch = git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).out.strip()
    target = remote_branch(git, branch or "main") if remote else branch
    if remote and head is None:
        git.run("symbolic-ref", "HEAD", f"refs/heads/{target}")
        branch = target
    if not branch:
        current_setup(git, need_upstream=False)  # says what stands in the way
    if remote:
        git.run("config", f"branch.{branch}.remote", "origin")
        git.run("config", f"branch.{branch}.merge", f"refs/heads/{target}")
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


def remote_branch(git: Git, local: str) -> str:
    """The remote's branch to sync with: main, or master, or its only branch; on an empty
    remote the branch its HEAD names (a plain `git init --bare` names master), so that a
    plain `git clone` of it checks the journal out. `local` when the remote cannot say."""
    try:
        git.run("fetch", "-q", "--no-tags", "origin", network=True, what="git fetch")
    except SyncError:
        return local  # the first sync says why
    names = git.out("for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/")
    branches = [name for name in names.splitlines() if name and name != "HEAD"]
    for wanted in ("main", "master"):
        if wanted in branches:
            return wanted
    if len(branches) == 1:
        return branches[0]
    return (unborn_head(git) if not branches else None) or local


def unborn_head(git: Git) -> str | None:
    """The branch an empty remote's HEAD names. Only a clone is told it (fetch and
    ls-remote see no HEAD while it has no commit); the clone of an empty repository holds
    nothing, and is removed at once."""
    url = git.value("remote.origin.url")
    if not url:
        return None
    probe = git.git_dir() / "layers-journal-head-probe"
    shutil.rmtree(probe, ignore_errors=True)
    try:
        cloned = git.run(
            "clone", "-q", "--bare", "--no-tags", "--", url, str(probe),
            network=True, check=False, what="git clone",
        )  # fmt: skip
        if cloned.code != 0:
            return None
        head = git.run("--git-dir", str(probe), "symbolic-ref", "-q", "HEAD", check=False)
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    name = head.out.strip().removeprefix("refs/heads/")
    return name if head.code == 0 and git.ok("check-ref-format", "--branch", name) else None
