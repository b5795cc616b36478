"""Versions of an entry that a sync found changed on two devices, kept as pairs.

The remote's version stays at the entry's path ("theirs"); this device's was moved to
conflicts/<id>.<when>.md[.age] ("mine"). Neither the model nor the index reads that
folder. Resolving never deletes words: what is not kept goes to the trash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.folder import layout
from layers_journal.folder.storage import move_no_clobber, remove_file
from layers_journal.model.addressing import pick_by_prefix
from layers_journal.ui import messages

if TYPE_CHECKING:
    from layers_journal.journal.facade import Journal

KEEP = ("mine", "theirs", "both")


class ConflictCopy(NamedTuple):
    entry_id: str
    when: str  # the sync that kept it, YYYY-MM-DD-HHMMSS
    path: str  # the version kept aside in conflicts/, relative to the journal folder
    theirs: str | None  # the entry as it is now: in entries/, in the trash, or gone
    where: str  # "journal", "trash" or "gone"
    kept_by: str | None = None  # the device whose version is in conflicts/ (None: unknown)
    here: str | None = None  # the device this command runs on

    @property
    def name(self) -> str:
        return f"{self.entry_id}.{self.when}"

    @property
    def aside_is_mine(self) -> bool:
        """Whether the version in conflicts/ was written on this device (a pair made
        before devices were recorded counts as this device's, as it always did)."""
        return self.kept_by is None or self.kept_by == self.here

    @property
    def mine(self) -> str | None:
        return self.path if self.aside_is_mine else self.theirs

    @property
    def other(self) -> str | None:
        return self.theirs if self.aside_is_mine else self.path

    def to_json(self) -> dict[str, str | None]:
        aside = self.kept_by or self.here
        return {
            "id": self.entry_id,
            "when": self.when,
            "mine": self.mine,
            "theirs": self.other,
            "theirs_in": self.where if self.aside_is_mine else "journal",
            "mine_in": "conflicts" if self.aside_is_mine else self.where,
            "kept_aside": self.path,
            "kept_aside_by": aside,
            "this_device": self.here,
        }


def conflict_copies(journal: Journal) -> list[ConflictCopy]:
    """Every pair waiting, oldest first."""
    folder = journal.root / layout.CONFLICTS
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    from .device import this_device

    store = journal.store
    here = this_device(journal)
    trashed: dict[str, list[tuple[int, Path]]] | None = None
    found = []
    for name in names:
        named = layout.conflict_name(name)
        if named is None or named[2] == layout.META:
            continue
        entry_id, when, _ = named
        theirs, where = None, "gone"
        for sealed in (False, True):
            candidate = layout.entry_path(entry_id, sealed=sealed)
            if store.path(candidate).exists():
                theirs, where = candidate, "journal"
        if theirs is None:
            trashed = journal.trash.copies() if trashed is None else trashed
            if entry_id in trashed:
                copy = trashed[entry_id][-1][1]
                theirs, where = copy.relative_to(journal.root).as_posix(), "trash"
        kept_by = recorded_device(folder / f"{entry_id}.{when}{layout.DEVICE}")
        found.append(
            ConflictCopy(entry_id, when, f"{layout.CONFLICTS}/{name}", theirs, where, kept_by, here)
        )
    return sorted(found, key=lambda copy: (copy.when, copy.entry_id))


def recorded_device(path: Path) -> str | None:
    """The device a sync recorded as keeping a version aside, None when not recorded."""
    import tomllib

    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("kept_by")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) and value.isalnum() else None


def other_kept_files(journal: Journal) -> list[str]:
    """Files in conflicts/ that are not entry versions (a pause both devices changed)."""
    folder = journal.root / layout.CONFLICTS
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [
        f"{layout.CONFLICTS}/{name}"
        for name in names
        if layout.conflict_name(name) is None
        and not name.startswith(".")
        and not name.endswith(layout.DEVICE)
    ]


def find(journal: Journal, prefix: str) -> ConflictCopy:
    copies = {copy.name: copy for copy in conflict_copies(journal)}
    if not copies:
        from layers_journal.errors import NotFoundError

        raise NotFoundError(messages.NO_CONFLICTS)
    name = pick_by_prefix(prefix, copies, what="entry in conflicts/", many="entries in conflicts/")
    return copies[name]


def resolve(journal: Journal, copy: ConflictCopy, keep: str) -> str:
    """Settle one pair; returns what was done, in words. Nothing is deleted: what is
    not kept goes to the trash."""
    store = journal.store
    sealed = layout.is_sealed(copy.path)
    asked = keep
    if not copy.aside_is_mine and keep != "both":
        # The version in conflicts/ is the other device's: mine is the one in place.
        keep = "theirs" if keep == "mine" else "mine"
    (store.path(layout.CONFLICTS) / f"{copy.name}{layout.DEVICE}").unlink(missing_ok=True)
    if keep == "mine":
        target = layout.entry_path(copy.entry_id, sealed=sealed)
        if copy.where == "journal" and copy.theirs is not None:
            journal.trash.put(copy.theirs)  # the other device's version, kept in the trash
        with store.writing():
            if store.exists(copy.entry_id):
                from layers_journal.errors import SaveError

                raise SaveError(messages.came_back(copy.entry_id))
            move_with_meta(store.path(copy.path), store.path(target))
        done = (
            messages.kept_mine(copy.entry_id, other_trashed=copy.where == "journal")
            if asked == "mine"
            else messages.kept_theirs(copy.entry_id)
        )
    elif keep == "theirs":
        with store.writing():
            trash_copy(journal, copy)
        done = (
            messages.kept_theirs(copy.entry_id)
            if asked == "theirs"
            else messages.kept_mine(copy.entry_id, other_trashed=True)
        )
    else:
        from layers_journal.folder.entries import new_entry_id

        mine = store.read(copy.path)  # asks for the passphrase when encrypted
        with store.writing():
            written = store.write_entry(
                mine._replace(id=new_entry_id(mine.created_local)), keep_id=False
            )
            remove_file(store.path(copy.path))
            if sealed:
                remove_file(store.path(layout.meta_path(copy.path)))
        new_id = layout.entry_id_of(written[0].rsplit("/", 1)[-1])
        done = messages.kept_both(copy.entry_id, new_id, aside_is_mine=copy.aside_is_mine)
    journal.refresh()
    return done


def move_with_meta(source: Path, target: Path) -> None:
    """Move a version (and its metadata) into place, marked as changed now: both
    versions came from one git checkout, so size and time alone might not tell them
    apart, and the index looks at size and time."""
    if layout.is_sealed(source.name):
        meta = source.with_name(layout.meta_path(source.name))
        if meta.exists():
            move_no_clobber(meta, target.with_name(layout.meta_path(target.name)))
            os.utime(target.with_name(layout.meta_path(target.name)))
    move_no_clobber(source, target)
    os.utime(target)


def trash_copy(journal: Journal, copy: ConflictCopy) -> None:
    """Move this device's version into the trash as a further copy of its entry."""
    store = journal.store
    sealed = layout.is_sealed(copy.path)
    target = journal.trash.free_place(layout.entry_path(copy.entry_id, sealed=sealed))
    move_with_meta(store.path(copy.path), store.path(target))
