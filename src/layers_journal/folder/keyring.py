"""Holding an unlocked journal key for a while, off the disk: the Linux kernel keyring.

`journal unlock` puts the journal's private key (its age identity, as text) into the
session keyring as a "user" key: the kernel keeps it in its own memory, never in a file
or swap-backed page of ours, drops it when its timeout (set in the kernel) runs out, and
drops the session keyring itself when the login session ends. Without a session
keyring of the login's own (no pam_keyinit) unlocking is refused, never put in the
user's keyring, which would outlive the session. Only processes that
possess the key, those of this login session, may read it: its permissions give the
possessor everything and other processes of the same user only the right to see that
it is there. `journal lock` invalidates it at once.

Spoken to through the raw system calls (add_key, keyctl) by ctypes, so nothing is
installed and no helper process runs. Where there is no kernel keyring (another system,
a container that forbids the calls), `available()` is False and everything works as
without it: the passphrase is asked for each command that reads.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import sys
from typing import Any

# System call numbers and keyctl operations (linux/keyctl.h).
SYSCALLS = {
    "x86_64": (248, 250),
    "aarch64": (217, 219),
    "armv7l": (309, 311),
    "i686": (286, 288),
    "riscv64": (217, 219),
    "ppc64le": (269, 271),
    "s390x": (278, 280),
}
SESSION_KEYRING, USER_SESSION_KEYRING = -3, -5
KEYCTL_GET_KEYRING_ID = 0
KEYCTL_JOIN_SESSION_KEYRING = 1
KEYCTL_SETPERM = 5
KEYCTL_READ = 11
KEYCTL_SEARCH = 10
KEYCTL_SET_TIMEOUT = 15
KEYCTL_INVALIDATE = 21
KEYCTL_REVOKE = 3
# The possessor may do everything; the same user, not possessing it, only see it.
POSSESSOR_ALL, USER_VIEW = 0x3F000000, 0x00010000
GONE = {errno.ENOKEY, errno.EKEYEXPIRED, errno.EKEYREVOKED, errno.ENOENT}
MAX_PAYLOAD = 4096

LONGEST = 24 * 3600  # at most a day


class KeyringError(OSError):
    """The kernel keyring refused (or there is none)."""


@functools.cache
def calls() -> tuple[Any, int, int] | None:
    """(libc, add_key number, keyctl number), or None without a kernel keyring."""
    if not sys.platform.startswith("linux"):
        return None
    numbers = SYSCALLS.get(platform.machine())
    if numbers is None:
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    libc.syscall.restype = ctypes.c_long
    return libc, numbers[0], numbers[1]


def keyctl(operation: int, *args: Any) -> int:
    found = calls()
    if found is None:
        raise KeyringError(errno.ENOSYS, "there is no kernel keyring here")
    libc, _, number = found
    result = int(libc.syscall(number, ctypes.c_long(operation), *args))
    if result < 0:
        code = ctypes.get_errno()
        raise KeyringError(code, os.strerror(code))
    return result


def available() -> str | None:
    """None when this process has a login session's keyring to hold a key in, else why
    not, in words."""
    try:
        session = keyctl(KEYCTL_GET_KEYRING_ID, ctypes.c_long(SESSION_KEYRING), ctypes.c_long(0))
        user = keyctl(KEYCTL_GET_KEYRING_ID, ctypes.c_long(USER_SESSION_KEYRING), ctypes.c_long(0))
    except KeyringError:
        return "needs the Linux kernel keyring, which this system does not offer"
    if session == user:
        # No keyring of its own for this login: the kernel would make one that ends
        # with this very process, or use the user's, which outlives the login.
        return (
            "needs a session keyring, which this login did not start (pam_keyinit does; "
            "`keyctl session` starts a shell with one)"
        )
    return None


def join_new_session() -> None:
    """Give this process (and what it starts) a session keyring of its own: for tests
    and the benchmark, which stand in for a login session."""
    keyctl(KEYCTL_JOIN_SESSION_KEYRING, None)


def find(name: str) -> int | None:
    """The id of the key called name in the session keyring, or None."""
    try:
        return keyctl(
            KEYCTL_SEARCH, ctypes.c_long(SESSION_KEYRING), b"user", name.encode(), ctypes.c_long(0)
        )
    except KeyringError as error:
        if error.errno in GONE or error.errno in (errno.ENOSYS, errno.EPERM, errno.EACCES):
            return None
        raise


def hold(name: str, secret: bytes, seconds: int) -> None:
    """Keep secret in the session keyring as name for seconds (replacing one held)."""
    if not 0 < seconds <= LONGEST:
        raise ValueError("a key is held for a second up to a day")
    if len(secret) > MAX_PAYLOAD:
        raise ValueError("too long for the keyring")
    found = calls()
    if found is None:
        raise KeyringError(errno.ENOSYS, "there is no kernel keyring here")
    libc, add_key, _ = found
    key = int(
        libc.syscall(
            add_key,
            b"user",
            name.encode(),
            secret,
            ctypes.c_size_t(len(secret)),
            ctypes.c_long(SESSION_KEYRING),
        )
    )
    if key < 0:
        code = ctypes.get_errno()
        raise KeyringError(code, os.strerror(code))
    try:
        # The timeout first: should the permissions fail, the key still goes in time.
        keyctl(KEYCTL_SET_TIMEOUT, ctypes.c_long(key), ctypes.c_uint(seconds))
        keyctl(KEYCTL_SETPERM, ctypes.c_long(key), ctypes.c_uint(POSSESSOR_ALL | USER_VIEW))
    except KeyringError:
        drop_id(key)
        raise


def fetch(name: str) -> bytes | None:
    """What is held as name, or None when nothing is (never held, timed out, locked)."""
    key = find(name)
    if key is None:
        return None
    buffer = ctypes.create_string_buffer(MAX_PAYLOAD)
    try:
        size = keyctl(KEYCTL_READ, ctypes.c_long(key), buffer, ctypes.c_size_t(MAX_PAYLOAD))
    except KeyringError as error:
        if error.errno in GONE or error.errno == errno.EACCES:
            return None
        raise
    data = buffer.raw[: min(size, MAX_PAYLOAD)]
    ctypes.memset(buffer, 0, MAX_PAYLOAD)
    return data


def drop(name: str) -> bool:
    """Let go of what is held as name at once; False when nothing was held."""
    key = find(name)
    if key is None:
        return False
    drop_id(key)
    return True


def drop_id(key: int) -> None:
    try:
        keyctl(KEYCTL_INVALIDATE, ctypes.c_long(key))
    except KeyringError:
        keyctl(KEYCTL_REVOKE, ctypes.c_long(key))  # kernels before 3.5
