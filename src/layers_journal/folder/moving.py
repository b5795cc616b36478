"""Moving the journal folder to a new place, with nothing lost however it is stopped.

A note of the move (from where, to where) is kept in the state folder first. On the same
file system the folder is renamed in one step. Across file systems it is copied file by
file into a hidden folder beside the new place, which is renamed into place once it is
whole; the config is pointed at the new place only then, and the old folder is removed
last. Until the config moves, the journal is the old folder, whole; after, the new one,
whole. Stopped anywhere (a kill, a full disk), `journal move DIR` again finishes the
job from the note, and copies over anything written in the old place meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from layers_journal.errors import JournalError, UsageError

from .storage import ensure_private_dir, fsync_dir, write_atomic

NOTE_NAME = "journal-move.toml"


class Move:
    """One move of the journal folder, started or resumed."""

    def __init__(self, old: Path, new: Path, note: Path) -> None:
        self.old, self.new, self.note = old, new, note

    @property
    def staging(self) -> Path:
        return self.new.parent / f".{self.new.name}.moving"

    def run(self, point_config: Callable[[Path], None], *, pointed: bool = False) -> None:
        """Every step that is left, in order; each one can be repeated safely. Once the
        config names the new place (`pointed`), the old folder is only removed: what is
        left of it is older than what the journal now holds."""
        if not pointed:
            self.write_note()
            if self.old.exists():
                if not self.new.exists() or empty_folder(self.new):
                    self.bring_whole()
                else:
                    self.copy_into(self.new)  # resumed: pages written in the old place since
            point_config(self.new)
            self.write_note(pointed=True)
        if self.old.exists():
            remove_tree(self.old)
        with contextlib.suppress(FileNotFoundError):
            self.note.unlink()

    def write_note(self, *, pointed: bool = False) -> None:
        import tomli_w

        text = tomli_w.dumps({"from": str(self.old), "to": str(self.new), "pointed": pointed})
        write_atomic(self.note, text.encode(), overwrite=True)

    def bring_whole(self) -> None:
        """The folder at the new place, whole or not at all."""
        if self.new.exists():
            self.new.rmdir()  # an empty folder made ready for it
        try:
            os.rename(self.old, self.new)  # one step on one file system
            fsync_dir(self.new.parent)
            return
        except OSError as error:
            if error.errno != 18:  # EXDEV: another file system, so copy
                raise
        self.copy_into(self.staging)
        os.rename(self.staging, self.new)
        fsync_dir(self.new.parent)

    def copy_into(self, target: Path) -> None:
        """Every file of the old folder into target, each written whole (a copy already
        there and the same is left as it is)."""
        ensure_private_dir(target)
        for relative in files_below(self.old):
            source, copy = self.old / relative, target / relative
            if source.is_symlink():
                if not copy.is_symlink():
                    ensure_private_dir(copy.parent)
                    os.symlink(os.readlink(source), copy)
                continue
            data = source.read_bytes()
            if copy.is_file() and not copy.is_symlink() and copy.read_bytes() == data:
                continue
            ensure_private_dir(copy.parent)
            write_atomic(copy, data, overwrite=True)


def files_below(root: Path) -> Iterator[Path]:
    """Every file (and link) below root, relative to it, folders before their files."""
    for folder, folders, files in os.walk(root):
        folders.sort()
        here = Path(folder).relative_to(root)
        for name in sorted(files):
            yield here / name
        for name in folders:
            if (Path(folder) / name).is_symlink():
                yield here / name


def empty_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


def remove_tree(root: Path) -> None:
    """The old folder, once the journal is elsewhere: files first, then folders."""
    shutil.rmtree(root)


def pending_move(note: Path) -> tuple[Path, Path, bool] | None:
    """The move a note says is unfinished (from, to, and whether the config already
    names the new place), or None."""
    try:
        table = tomllib.loads(note.read_text(encoding="utf-8"))
        return Path(table["from"]), Path(table["to"]), bool(table.get("pointed", False))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a note that cannot be read is no move


def check_move(old: Path, new: Path) -> None:
    """Refuse a move that cannot be made, before anything is touched."""
    if new == old:
        raise UsageError(f"The journal is already in {old}.")
    if new.is_relative_to(old):
        raise UsageError(f"{new} is inside the journal folder {old}; choose a place outside it.")
    if old.is_relative_to(new):
        raise UsageError(f"{new} holds the journal folder {old}; choose a new folder for it.")
    if not new.parent.is_dir():
        raise UsageError(
            f"{new.parent} does not exist; make it first (mkdir -p {new.parent}), as mv would ask."
        )
    if new.exists() and not empty_folder(new):
        raise UsageError(f"{new} is already there and not empty; journal move needs a new folder.")
    if not old.is_dir():
        raise JournalError(f"There is no journal folder at {old} to move.")
