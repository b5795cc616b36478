"""A walk over the journal folder: which journal files are there, as they are now.

Runs before every command, so it keeps to one listdir per folder and one fstatat per
name, relative to an open folder (a short path walk for the kernel), and builds as
little per file as it can. It only looks: symbolic links are never followed, and
nothing is changed or removed.

Each file is known by its stamp: size, mtime, ctime and inode. An edit that keeps the
size and puts the old mtime back (rsync --times, touch -r, some sync clients) still
moves the ctime, which no one can set by hand, and a file replaced by a rename has a
new inode.

A quick look (`known` given: each folder's own stamp as last seen) stats the folders
only, and lists and stats the files of just those whose own stamp moved: a file
added, removed or renamed into place (every save, sync and rsync without --inplace)
moves its folder's stamp. An edit made inside a file, in place, does not: the full
look, which stats every file, sees it. Commands that read entry text take the full
look (or check the very files they show); a folder holding strays is always looked
at fully, so they are named every time.
"""

from __future__ import annotations

import errno
import os
import zlib
from collections.abc import Callable, Iterable
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import NamedTuple

from layers_journal.errors import reason

from .layout import ENTRIES, ENTRY_FILE, PAUSE_FILE, PAUSES
from .storage import is_temp_name

CONFLICT_MARKS = ("sync-conflict", "conflicted copy", "(conflict", ".orig", "~")
TOPS = (ENTRIES + "/", PAUSES + "/")
OPEN_ROOT = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
# Inside the journal folder a link is never followed, entries/ and pauses/ included.
OPEN_FOLDER = OPEN_ROOT | getattr(os, "O_NOFOLLOW", 0)

# (size, mtime_ns, ctime_ns, inode): any difference means the file is read again.
Stamp = tuple[int, int, int, int]


class Problem(NamedTuple):
    """A file in the journal folder that was skipped, and why (never its content)."""

    path: str
    reason: str


class Scan:
    """What a look at (part of) the journal folder found: each folder's journal files
    with their stamps, the problems met on the way, and temp files a stopped writer
    left behind."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.leftovers: list[str] = []
        # Per folder looked at (relative, ending in /), a digest of its own stamp and
        # its journal files' names and stamps: when it matches what the index stored,
        # none of that folder's rows need comparing.
        self.folders: dict[str, int] = {}
        # Per folder looked at, a digest of its own stamp; None for a folder holding
        # strays (always listed again, so they are named every time).
        self.own: dict[str, int | None] = {}
        self.listings: dict[str, tuple[list[str], list[Stamp]]] = {}

    def files_in(self, folders: Iterable[str]) -> dict[str, Stamp]:
        """The journal files of the given folders (those looked at), by relative path."""
        found: dict[str, Stamp] = {}
        for folder in folders:
            if folder in self.listings:
                names, stamps = self.listings[folder]
                found.update(zip([folder + name for name in names], stamps, strict=True))
        return found

    @property
    def files(self) -> dict[str, Stamp]:
        return self.files_in(self.listings)


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


# Per folder, (digest of its own stamp, digest of its contents) as last seen; no own
# digest for a folder that held strays (it is listed every time).
Known = dict[str, tuple[int | None, int]]


def scan_journal(root: str, known: Known | None = None) -> Scan:
    """Every entry, metadata and pause file below root with its stamp; with known, only
    the folders whose own stamp moved are listed (the others keep their digest)."""
    scan = Scan()
    below: dict[str, list[str]] | None = None
    if known is not None:
        below = {}
        for folder in known:
            below.setdefault(folder[: folder.rstrip("/").rfind("/") + 1], []).append(folder)
    try:
        root_fd = os.open(root, OPEN_ROOT)
    except FileNotFoundError:
        return scan
    except OSError as error:
        scan.problems += [Problem(top.rstrip("/"), reason(error)) for top in TOPS]
        return scan
    try:
        for top in TOPS:
            try:
                stack = [(top, stamp_of(os.stat(top, dir_fd=root_fd, follow_symlinks=False)))]
            except FileNotFoundError:
                continue
            except OSError as error:
                scan.problems.append(Problem(top.rstrip("/"), reason(error)))
                continue
            while stack:
                folder, stamp = stack.pop()
                if known is not None and below is not None:
                    own = known.get(folder)
                    if own is not None and own[0] is not None and own[0] == own_digest(stamp):
                        glance_at_folder(scan, root_fd, folder, own, below.get(folder, []), stack)
                        continue
                look_at_folder(scan, root_fd, folder, stamp, stack)
    finally:
        os.close(root_fd)
    return scan


def scan_folders(root: str, folders: Iterable[str]) -> Scan:
    """Just the given folders (not what is below them), looked at exactly as
    scan_journal looks at them: for catching up after this process wrote a file."""
    scan = Scan()
    root_fd = os.open(root, OPEN_ROOT)
    try:
        for folder in folders:
            try:
                stat = os.stat(folder, dir_fd=root_fd, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if S_ISDIR(stat.st_mode):
                look_at_folder(scan, root_fd, folder, stamp_of(stat), None)
    finally:
        os.close(root_fd)
    return scan


def own_digest(stamp: Stamp) -> int:
    return hash(stamp)


def glance_at_folder(
    scan: Scan,
    root_fd: int,
    folder: str,
    own: tuple[int | None, int],
    subfolders: list[str],
    stack: list[tuple[str, Stamp]],
) -> None:
    """A folder whose own stamp has not moved: the same files as last seen (its digest
    is kept); only its subfolders, as last seen, are looked at."""
    scan.own[folder], scan.folders[folder] = own
    for sub in subfolders:
        try:
            found = os.stat(sub, dir_fd=root_fd, follow_symlinks=False)
        except OSError:
            continue  # gone meanwhile: the folder's stamp moved, the next look sees it
        if S_ISDIR(found.st_mode):
            stack.append((sub, stamp_of(found)))


def look_at_folder(
    scan: Scan,
    root_fd: int,
    folder: str,
    folder_stamp: Stamp,
    stack: list[tuple[str, Stamp]] | None,
) -> None:
    """One folder (relative, ending in /): its journal files, subfolders (onto stack,
    when given) and strays."""
    try:
        fd = os.open(folder, OPEN_FOLDER, dir_fd=root_fd)
    except FileNotFoundError:
        return
    except OSError as error:
        # entries/ or pauses/ itself a link: what is behind it is not the journal's.
        why = "a symbolic link; not followed" if error.errno == errno.ELOOP else reason(error)
        scan.problems.append(Problem(folder.rstrip("/"), why))
        return
    is_ours: Callable[[str], object] = (
        PAUSE_FILE.fullmatch if folder == PAUSES + "/" else ENTRY_FILE.fullmatch
    )
    stat = os.stat
    strays = len(scan.problems) + len(scan.leftovers)
    names: list[str] = []
    stamps: list[Stamp] = []
    try:
        listing = os.listdir(fd)
        listing.sort()
        for name in listing:
            try:
                found = stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed while we looked
            except OSError as error:
                scan.problems.append(Problem(folder + name, reason(error)))
                continue
            mode = found.st_mode
            if S_ISREG(mode) and is_ours(name):
                names.append(name)
                stamps.append((found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino))
            elif S_ISDIR(mode):
                if stack is not None and not name.startswith(".") and folder != PAUSES + "/":
                    stack.append((folder + name + "/", stamp_of(found)))
            else:
                note_stray(scan, folder + name, symlink=S_ISLNK(mode))
    finally:
        os.close(fd)
    # Only integers are hashed, so the digest is the same in every process (string
    # hashes are salted per process): the names go in as a CRC.
    crc = zlib.crc32("/".join(names).encode())
    scan.folders[folder] = hash((folder_stamp, crc, tuple(stamps)))
    clean = len(scan.problems) + len(scan.leftovers) == strays
    scan.own[folder] = own_digest(folder_stamp) if clean else None
    scan.listings[folder] = (names, stamps)


def folder_of(path: str) -> str:
    return path[: path.rfind("/") + 1]


def folders_above(path: str) -> list[str]:
    """The folder of a relative path and each folder above it, up to its top folder."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:end]) + "/" for end in range(len(parts), 0, -1)]


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
