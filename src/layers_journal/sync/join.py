"""How two devices' histories join, as a pure function of three trees: the common
ancestor's, this device's and the remote's, each a mapping of path to (mode, blob).

Decided file by file and never merged as text: a file changed on one side takes that
side's version; an entry both sides changed keeps the remote's at its path and this
device's in conflicts/<id>.<when>.md[.age]; any other file both changed keeps this
device's in conflicts/ (or in the trash, for a trashed entry); encrypted entries never
lose the key that opens them. No git, no I/O: git.py reads the trees, policy.py writes
the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.folder import layout
from layers_journal.folder.crypto import KEY_NAME, RECIPIENT_NAME

if TYPE_CHECKING:
    pass


State = tuple[str, str]  # (mode, blob) of a file in a commit

Tree = Mapping[str, State]  # a commit's files, path by path


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


class Plan(NamedTuple):
    result: dict[str, State]  # the joined tree, path by path
    theirs: Tree  # the remote's tree
    brought: int
    conflicts: list[str]  # entry ids kept as pairs
    aside: int  # other files of this device's kept aside in conflicts/ or the trash
    clean: bool  # the two sides changed different files: a rebase does it
    kept_key: bool  # decrypted on one side while the other wrote encrypted entries
    vanished: tuple[str, ...] = ()  # entries removed outside the journal, now in the trash


def entry_id_in(path: str) -> str | None:
    """The entry id of a file in entries/ (text or metadata)."""
    if not path.startswith(layout.ENTRIES + "/"):
        return None
    return layout.entry_id_of(path.rsplit("/", 1)[-1])


def changes(old: Tree, new: Tree) -> dict[str, State | None]:
    """Every path that differs from old to new, with its state in new (None: gone)."""
    paths = old.keys() | new.keys()
    return {path: new.get(path) for path in paths if old.get(path) != new.get(path)}


def join(base: Tree | None, head: Tree, theirs: Tree, *, when: str) -> Plan:
    """The tree that holds both sides, decided file by file and never merged as text:
    base is the two sides' common ancestor (None when they share none), head this
    device's tree, theirs the remote's; `when` names the copies kept aside."""
    mine = changes(base or {}, head)
    theirs_changed = changes(base or {}, theirs)
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
    conflicts = []
    for entry_id in sorted(conflicted):
        text = next(
            (
                path
                for path in (
                    layout.entry_path(entry_id, sealed=False),
                    layout.entry_path(entry_id, sealed=True),
                )
                if path in head
            ),
            None,
        )
        if text is None:
            continue  # trashed or removed here, changed there: theirs stays, the trash keeps ours
        if result.get(text) == head[text]:
            continue
        meta = layout.meta_path(text) if layout.is_sealed(text) else None
        set_aside(result, text, head[text], meta, head.get(meta or ""), when=when)
        conflicts.append(entry_id)
    restored = keep_keys(result, head, theirs)
    brought = count_files(theirs_changed)
    vanished = keep_vanished(result, base or {}, mine, theirs_changed)
    clean = clean and not restored and not vanished
    return Plan(result, theirs, brought, conflicts, aside, clean, restored, tuple(vanished))


def vanished_ids(changed: Mapping[str, State | None], tree: Tree) -> set[str]:
    """Entries one side removed other than by journal delete: the entry's text gone
    from entries/ with no copy of it put in the trash, and no other file of that id left
    in entries/ (a file encrypted or decrypted changes its name, not its id)."""
    removed = {
        entry_id_in(path)
        for path, state in changed.items()
        if state is None and layout.is_entry_text(path.rsplit("/", 1)[-1])
    }
    trashed = set()
    for path, state in changed.items():
        named = layout.trash_name(path.rsplit("/", 1)[-1])
        if state is not None and path.startswith(layout.TRASH + "/") and named is not None:
            trashed.add(named[0])
    present = {entry_id_in(path) for path in tree if layout.is_entry_text(path.rsplit("/", 1)[-1])}
    return {entry_id for entry_id in removed if entry_id and entry_id not in trashed | present}


def keep_vanished(
    result: dict[str, State],
    base: Tree,
    mine: Mapping[str, State | None],
    theirs_changed: Mapping[str, State | None],
) -> list[str]:
    """Put into the trash (as journal delete would) every entry that one side removed
    outside the journal and the joined tree no longer has. Returns their ids."""
    gone = set()
    for changed in (mine, theirs_changed):
        side = {path: state for path, state in {**base, **changed}.items() if state is not None}
        gone |= vanished_ids(changed, side)
    present = {
        entry_id_in(path) for path in result if layout.is_entry_text(path.rsplit("/", 1)[-1])
    }
    kept = []
    for entry_id in sorted(gone - present):
        for sealed in (False, True):
            text = layout.entry_path(entry_id, sealed=sealed)
            state = base.get(text)
            if state is None:
                continue
            copy = 1
            while layout.trash_path(text, copy) in result:
                copy += 1
            target = layout.trash_path(text, copy)
            result[target] = state
            meta = base.get(layout.meta_path(text)) if sealed else None
            if meta is not None:
                result[layout.meta_path(target)] = meta
            kept.append(entry_id)
            break
    return kept


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


def keep_keys(result: dict[str, State], head: Tree, theirs: Tree) -> bool:
    """Encrypted entries are never left without the key that opens them: when the joined
    tree has them but lost a key file (decrypted on one side while the other wrote), the
    key comes back from whichever side still has it. True when that was needed."""
    if not any(layout.is_sealed(path) for path in result):
        return False
    needed = False
    for name in (RECIPIENT_NAME, KEY_NAME):
        if name in result:
            continue
        found = theirs.get(name) or head.get(name)
        if found is not None:
            result[name] = found
            needed = True
    return needed
