"""What sync remembers on this device (the last try and the last good sync, in the state
folder, never the journal) and where this device stands, from what it knows."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.errors import SyncError
from layers_journal.ui import messages

from .join import count_files
from .repository import (
    committable,
    current_setup,
    is_set_up,
    open_git,
    pending_paths,
    remote_url,
)

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal


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
        raise SyncError(messages.SYNC_NOT_SET_UP)
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
