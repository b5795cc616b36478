"""Safe file primitives: private folders, atomic writes, a journal-wide lock.

Every write goes to a temp file in the destination folder, is flushed and fsynced, then
renamed into place (or linked, when an existing file must never be clobbered), and the
folder is fsynced so the rename itself survives a crash.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
TEMP_SUFFIX = ".tmp"
# A temp file this old was left by a process that died mid-write.
STALE_TEMP_SECONDS = 600


class Recorder:
    """The paths written, moved or removed below one folder while it lives, relative
    with forward slashes: what a run changed in the journal, for sync to commit exactly
    that. Every write below goes through note_change, so no caller has to remember."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: set[str] = set()


_recorders: weakref.WeakSet[Recorder] = weakref.WeakSet()


def record_changes(root: Path) -> Recorder:
    """Start recording changes below root (until the Recorder is dropped)."""
    recorder = Recorder(root)
    _recorders.add(recorder)
    return recorder


def note_change(path: Path) -> None:
    for recorder in list(_recorders):
        try:
            relative = path.relative_to(recorder.root)
        except ValueError:
            continue
        recorder.paths.add(relative.as_posix())


def ensure_private_dir(path: Path) -> Path:
    """Create path and any missing parents as 0700 folders; existing ones are left alone."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR)
            os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def random_word(length: int, alphabet: str) -> str:
    """Random lowercase letters and digits (os.urandom: the secrets module is slow to load)."""
    return "".join(alphabet[byte % len(alphabet)] for byte in os.urandom(length))


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some platforms cannot open folders; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write data to path all at once, 0600. With overwrite=False an existing path raises
    FileExistsError and is left untouched."""
    ensure_private_dir(path.parent)
    temp = temp_name(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, path)
        else:
            link_no_clobber(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    fsync_dir(path.parent)
    note_change(path)


def replace_together(files: list[tuple[Path, bytes]]) -> None:
    """Replace several existing files as nearly at once as files allow: every new
    content is written and fsynced first, then all are renamed into place in a row."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            temp = temp_name(path)
            temps.append((temp, path))
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
        for temp, path in temps:
            os.replace(temp, path)
    except BaseException:
        for temp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        raise
    for folder in dict.fromkeys(path.parent for path, _ in files):
        fsync_dir(folder)
    for path, _ in files:
        note_change(path)


def link_no_clobber(temp: Path, path: Path) -> None:
    """Move temp to path unless path exists (then FileExistsError), atomically where the
    file system has hard links."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # No hard links here (some synced or FAT folders): check, then rename.
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.rename(temp, path)
        return
    os.unlink(temp)


def move_no_clobber(source: Path, target: Path) -> None:
    """Rename source to target, refusing to replace an existing target."""
    ensure_private_dir(target.parent)
    link_no_clobber(source, target)
    fsync_dir(target.parent)
    fsync_dir(source.parent)
    note_change(source)
    note_change(target)


def remove_file(path: Path) -> None:
    """Remove a file (gone already is fine), durably."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    fsync_dir(path.parent)
    note_change(path)


def sweep_stale_temp(path: Path, now: float | None = None) -> bool:
    """Remove a temp file left by a dead writer; True when it was removed."""
    try:
        age = (now or time.time()) - path.stat().st_mtime
    except FileNotFoundError:
        return False
    if age < STALE_TEMP_SECONDS:
        return False
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        return True
    return False


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an advisory lock on path (created if needed) for the duration of the block."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:
                continue
    fcntl.flock(fd, fcntl.LOCK_EX)
