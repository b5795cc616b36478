"""Safe file primitives: private folders, atomic writes, a journal-wide lock.

Every write goes to a temp file in the destination folder, is flushed and fsynced, then
renamed into place (or linked, when an existing file must never be clobbered), and the
folder is fsynced so the rename itself survives a crash.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

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


def read_bounded(
    path: Path | str, limit: int, *, follow_links: bool = False, pipes: bool = False
) -> bytes:
    """The bytes of a regular file, refusing one larger than limit before and while
    reading. A symbolic link (unless follow_links), a device or a socket is refused
    without reading it; a FIFO or pipe only with pipes, and then read to limit only.
    Refusals are OSErrors whose strerror says why, for the middle of a sentence."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: opening a FIFO cannot hang
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise OSError(errno.ELOOP, "a symbolic link; not followed", str(path)) from None
        raise
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if stat.S_ISFIFO(mode) and pipes:
            os.close(fd)  # wait for the writer, as reading any pipe does
            fd = os.open(path, flags & ~getattr(os, "O_NONBLOCK", 0))
        elif not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{kind_of(mode)}, not a regular file", str(path))
        else:
            too_large_if(status.st_size > limit, status.st_size, limit, path)
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            total += len(chunk)
            too_large_if(total > limit, total, limit, path)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def too_large_if(condition: bool, size: int, limit: int, path: Path | str) -> None:
    if condition:
        raise OSError(errno.EFBIG, f"more than the {megabytes(limit)} it may be", str(path))


def megabytes(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.0f} MB"
    return f"{size / 2**10:.0f} KB" if size >= 2**10 else f"{size} bytes"


def kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def check_real_folders(root: Path, relative: str) -> None:
    """Refuse to write relative (a path inside root) through a folder below root that is
    a symbolic link or not a folder: what is written there would land outside the journal,
    where it cannot be seen. Folders that do not exist yet are fine (they are made)."""
    current = root
    for part in relative.split("/")[:-1]:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(mode):
            what = "a symbolic link" if stat.S_ISLNK(mode) else kind_of(mode)
            raise OSError(
                errno.ELOOP if stat.S_ISLNK(mode) else errno.ENOTDIR,
                f"{current} is {what}, and the journal does not write through links "
                "or into anything but its own folders",
                str(current),
            )


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


@contextlib.contextmanager
def writing_atomic(path: Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    """A file written a piece at a time, appearing at path all at once when the block
    ends: the pieces go to a 0600 temp file beside it, fsynced, then renamed into place
    (with overwrite=False an existing path raises FileExistsError). Whatever stops the
    block removes the temp file and leaves path as it was."""
    ensure_private_dir(path.parent)
    temp = temp_name(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
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
def exclusive_lock(path: Path, *, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an advisory lock on path (created if needed) for the duration of the block.
    When another process holds it, on_wait is called once before waiting for it."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        _lock(fd, on_wait)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _lock(fd: int, on_wait: Callable[[], None] | None) -> None:
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
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        if on_wait is not None:
            on_wait()
    fcntl.flock(fd, fcntl.LOCK_EX)
