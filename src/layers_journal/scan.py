"""A walk over the journal folder: which journal files are there, as they are now.

Runs before every command, so it keeps to one fstatat per name (cheaper than
DirEntry.stat here), plain strings and one short regex per name. It only looks:
symbolic links are never followed, and nothing is changed or removed.
"""

from __future__ import annotations

import errno
import os
import zlib
from collections.abc import Callable
from functools import cached_property
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import NamedTuple

from .errors import reason
from .layout import ENTRIES, ENTRY_FILE, PAUSE_FILE, PAUSES
from .storage import is_temp_name

CONFLICT_MARKS = ("sync-conflict", "conflicted copy", "(conflict", ".orig", "~")


class Problem(NamedTuple):
    """A file in the journal folder that was skipped, and why (never its content)."""

    path: str
    reason: str


class Scan:
    """What a walk over the journal folder found: (path, size, mtime) of each journal
    file, the problems met on the way, and temp files a stopped writer left behind."""

    def __init__(self) -> None:
        self.found: list[tuple[str, int, int]] = []
        self.problems: list[Problem] = []
        self.leftovers: list[str] = []
        # Per folder, a digest of its own mtime and its files' sizes and mtimes: when
        # it matches what the index stored, none of that folder's rows need comparing.
        self.folders: dict[str, int] = {}

    @cached_property
    def files(self) -> dict[str, tuple[int, int]]:
        return {path: (size, mtime) for path, size, mtime in self.found}


def scan_journal(root: str) -> Scan:
    """Every entry, metadata and pause file below root with its size and mtime."""
    scan = Scan()
    base = os.path.join(root, "")
    for top, pattern in (
        (ENTRIES + "/", ENTRY_FILE.fullmatch),
        (PAUSES + "/", PAUSE_FILE.fullmatch),
    ):
        stack = [top]
        while stack:
            folder = stack.pop()
            scan_folder(scan, base, folder, pattern, stack)
    return scan


def scan_folder(
    scan: Scan, base: str, folder: str, is_ours: Callable[[str], object], stack: list[str]
) -> None:
    """One folder (relative, ending in /): its journal files, subfolders and strays."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(base + folder, flags)
    except FileNotFoundError:
        return
    except OSError as error:
        # entries/ or pauses/ itself a link: what is behind it is not the journal's.
        why = "a symbolic link; not followed" if error.errno == errno.ELOOP else reason(error)
        scan.problems.append(Problem(folder.rstrip("/"), why))
        return
    ours: list[tuple[str, int, int]] = []
    try:
        for name in os.listdir(fd):
            try:
                stat = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed while we looked
            except OSError as error:
                scan.problems.append(Problem(folder + name, reason(error)))
                continue
            mode = stat.st_mode
            if S_ISREG(mode) and is_ours(name):
                ours.append((name, stat.st_size, stat.st_mtime_ns))
            elif S_ISDIR(mode):
                if not name.startswith(".") and folder != PAUSES + "/":
                    stack.append(folder + name + "/")
            else:
                note_stray(scan, folder + name, symlink=S_ISLNK(mode))
        ours.sort()
        # Only integers are hashed, so the digest is the same in every process (string
        # hashes are salted per process): the names go in as a CRC.
        names = zlib.crc32("/".join(name for name, _, _ in ours).encode())
        sizes = tuple((size, mtime) for _, size, mtime in ours)
        scan.folders[folder] = hash((os.fstat(fd).st_mtime_ns, names, sizes))
    finally:
        os.close(fd)
    scan.found.extend((folder + name, size, mtime) for name, size, mtime in ours)


def folder_of(path: str) -> str:
    return path[: path.rfind("/") + 1]


def note_stray(scan: Scan, path: str, *, symlink: bool) -> None:
    """A file that is not a journal file: a leftover temp file, reported, or ignored."""
    name = path.rsplit("/", 1)[-1]
    if symlink:
        scan.problems.append(Problem(path, "a symbolic link; not followed"))
    elif is_temp_name(name):
        scan.leftovers.append(path)
    elif looks_like_conflict(name):
        scan.problems.append(
            Problem(
                path,
                "a backup or sync conflict copy; compare it with the original and keep what "
                "you need",
            )
        )
    elif not name.startswith(".") and name.endswith((".md", ".age", ".toml")):
        scan.problems.append(Problem(path, "not named like a journal file; skipped"))


def looks_like_conflict(name: str) -> bool:
    lowered = name.lower()
    return any(mark in lowered for mark in CONFLICT_MARKS)
