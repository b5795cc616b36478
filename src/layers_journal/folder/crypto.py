"""Encryption at rest with age (pyrage): the journal's own X25519 key pair.

The public key (journal-key.pub) lets any command write an entry without a passphrase;
the private key (journal-key.age) is itself an age file encrypted with the passphrase
(age's scrypt mode), so the standard `age` tool can open everything:

    age -d journal-key.age > key.txt        # asks for the passphrase
    age -d -i key.txt entries/2026/11/2026-11-23-081502-k3f9qz.md.age
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from layers_journal.errors import FileFormatError, KeyFileError, PassphraseError

from .storage import read_bounded, write_atomic

KEY_NAME = "journal-key.age"
RECIPIENT_NAME = "journal-key.pub"
PASSPHRASE_ENV = "LAYERS_JOURNAL_PASSPHRASE"  # noqa: S105 (a variable name)
PASSPHRASE_FILE_ENV = "LAYERS_JOURNAL_PASSPHRASE_FILE"  # noqa: S105
MAX_PASSPHRASE_FILE = 64 * 1024
NEEDS_PASSPHRASE = (
    f"This needs the journal's passphrase: run it in a terminal, or set "
    f"{PASSPHRASE_ENV} or {PASSPHRASE_FILE_ENV}."
)
# Inside the passphrase-protected key file, as age-keygen writes it: the public half.
PUBLIC_KEY_LINE = "# public key: "


class KeyMismatchError(KeyFileError):
    """journal-key.pub is not the public half of the journal's own key."""


def is_encrypted(root: Path) -> bool:
    return (root / RECIPIENT_NAME).exists() or (root / KEY_NAME).exists()


class Keys:
    """One journal's key pair: the public half to seal with (no passphrase needed) and
    the private half, unlocked at most once per process when something must be read."""

    def __init__(self, root: Path, pin: Path | None = None, held: str | None = None) -> None:
        self.root = root
        # The name under which `journal unlock` keeps the private key in the kernel
        # keyring for a while (see keyring.py); None never looks there.
        self.held = held
        # Outside the journal folder: the public key this machine last proved to belong
        # to the journal's key, so a journal-key.pub swapped by a sync is noticed even
        # when writing, which needs no passphrase.
        self.pin = pin
        # How the passphrase is asked for when a key must be opened: the CLI hands in a
        # prompt on the terminal; without one, only the environment can give it.
        self.ask: Callable[[], str] = passphrase_or_refuse
        self._recipient: Any = None
        self._identity: Any = None

    @property
    def encrypted(self) -> bool:
        return is_encrypted(self.root)

    @property
    def has_key(self) -> bool:
        return (self.root / KEY_NAME).exists()

    def recipient(self) -> Any:
        """The public key new files are sealed to; KeyMismatchError when it is not the
        half of the journal's key this machine knows."""
        if self._recipient is None:
            found = read_recipient(self.root)
            right = self.known_recipient()
            if right is not None and str(right) != str(found):
                raise KeyMismatchError(
                    f"{self.root / RECIPIENT_NAME} is not the public half of this journal's "
                    "key, so nothing was sealed to it (journal doctor --fix, with the "
                    "passphrase, puts the right one back)"
                )
            self._recipient = found
        return self._recipient

    @property
    def unlocked(self) -> Any:
        """The private key when this run has opened it, else None (never asks)."""
        return self._identity

    def forget_recipient(self) -> None:
        self._recipient = None

    def known_recipient(self) -> Any:
        """The public half of the journal's key as this machine knows it: from the
        unlocked private key, else as last proved (the pin); None when unknown."""
        if self._identity is not None:
            return self._identity.to_public()
        return read_pin(self.pin)

    def identity(self, passphrase: str | None = None) -> Any:
        """The private key: held by `journal unlock`, else opened with the passphrase
        (asked for when none is given)."""
        if self._identity is None and passphrase is None:
            held = self.held_identity()
            if held is not None:
                self._identity, self._recipient = held, None
                return held
        if self._identity is None:
            secret = passphrase if passphrase is not None else self.ask()
            self._identity = unlock(self.root, secret)
            self._recipient = None  # checked again against the key just opened
            self.remember()
        return self._identity

    def held_identity(self) -> Any:
        """The private key `journal unlock` holds for this journal, when it still does
        and it is this journal's (its public half the one this machine knows)."""
        if self.held is None:
            return None
        from . import keyring

        try:
            data = keyring.fetch(self.held)
        except OSError:
            return None
        if data is None:
            return None
        import pyrage

        try:
            _, _, text = data.decode("ascii").partition("\n")
            identity = pyrage.x25519.Identity.from_str(text.strip())
        except (UnicodeDecodeError, pyrage.IdentityError):
            return None
        known = read_pin(self.pin)
        if known is None:
            try:
                known = read_recipient(self.root)
            except KeyFileError:
                return None
        if str(identity.to_public()) != str(known):
            return None  # held for another key (the journal was encrypted anew)
        return identity

    def hold(self, seconds: int, passphrase: str | None = None) -> float:
        """Keep the private key in the kernel keyring for seconds (unlocking it with the
        passphrase when this run has not); returns when it will be let go (epoch)."""
        import time

        from . import keyring

        identity = self._identity if self._identity is not None else self.identity(passphrase)
        until = time.time() + seconds
        assert self.held is not None
        keyring.hold(self.held, f"{until:.0f}\n{identity}".encode("ascii"), seconds)
        return until

    def held_until(self) -> float | None:
        """When the key `journal unlock` holds will be let go (epoch), or None."""
        if self.held is None or self.held_identity() is None:
            return None
        from . import keyring

        data = keyring.fetch(self.held) or b""
        try:
            return float(data.split(b"\n", 1)[0])
        except ValueError:
            return None

    def let_go(self) -> bool:
        """Drop the key `journal unlock` holds, at once; False when none was held."""
        if self.held is None:
            return False
        from . import keyring

        try:
            return keyring.drop(self.held)
        except OSError:
            return False

    def remember(self) -> None:
        """Pin the public half of the unlocked key (best effort: it is a safeguard)."""
        if self.pin is None or self._identity is None:
            return
        text = f"{self._identity.to_public()}\n"
        try:
            if self.pin.exists() and self.pin.read_text(encoding="ascii") == text:
                return
            write_atomic(self.pin, text.encode("ascii"), overwrite=True)
        except (OSError, UnicodeDecodeError):
            pass

    def adopt(self, identity: Any) -> None:
        """Use a key pair just made or unlocked (encrypt), writing its public half."""
        write_recipient(self.root, identity)
        self._identity, self._recipient = identity, None
        self.remember()

    def forget(self) -> None:
        self._identity = self._recipient = None
        if self.pin is not None:
            self.pin.unlink(missing_ok=True)

    def seal(self, data: bytes, *, armored: bool = False) -> bytes:
        return seal(data, self.recipient(), armored=armored)

    def seal_to_keep(self, data: bytes) -> bytes:
        """Seal words that could not be saved: to the journal's own key when this machine
        knows it, even when journal-key.pub is wrong (then nothing else is written)."""
        right = self.known_recipient()
        return seal(data, right if right is not None else self.recipient())

    def unseal(self, data: bytes) -> bytes:
        return unseal(data, self.identity())


def read_recipient(root: Path) -> Any:
    import pyrage

    try:
        text = read_bounded(root / RECIPIENT_NAME, 4096).decode("ascii").strip()
        return pyrage.x25519.Recipient.from_str(text)
    except (OSError, UnicodeDecodeError, pyrage.RecipientError):
        raise KeyFileError(
            f"The journal's public key {root / RECIPIENT_NAME} is missing or damaged; "
            "journal encrypt, with the passphrase, writes it again."
        ) from None


def read_pin(pin: Path | None) -> Any:
    import pyrage

    if pin is None:
        return None
    try:
        return pyrage.x25519.Recipient.from_str(pin.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, pyrage.RecipientError):
        return None


def create_key(root: Path, passphrase: str) -> tuple[Any, Any]:
    """A new key pair, the private half wrapped by the passphrase. Refuses to replace one."""
    import pyrage

    refuse_empty(passphrase)
    identity = pyrage.x25519.Identity.generate()
    recipient = identity.to_public()
    # As age-keygen writes a key file: the public half as a comment, then the key.
    key_file = f"{PUBLIC_KEY_LINE}{recipient}\n{identity}\n"
    wrapped = pyrage.passphrase.encrypt(key_file.encode("ascii"), passphrase, armored=True)
    write_atomic(root / KEY_NAME, wrapped, overwrite=False)
    write_atomic(root / RECIPIENT_NAME, f"{recipient}\n".encode("ascii"), overwrite=True)
    return identity, recipient


def unlock(root: Path, passphrase: str) -> Any:
    """The journal's private key, opened with the passphrase."""
    import pyrage

    try:
        wrapped = read_bounded(root / KEY_NAME, MAX_PASSPHRASE_FILE)
    except OSError as error:
        raise KeyFileError(
            f"The journal key {root / KEY_NAME} cannot be read ({error.strerror})."
        ) from None
    refuse_without_memory(root / KEY_NAME, wrapped)
    try:
        secret = pyrage.passphrase.decrypt(wrapped, passphrase)
        lines = secret.decode("ascii").splitlines()
        key = next(line.strip() for line in lines if line.strip() and not line.startswith("#"))
        return pyrage.x25519.Identity.from_str(key)
    except (pyrage.DecryptError, pyrage.IdentityError, UnicodeDecodeError, StopIteration):
        raise PassphraseError("That passphrase does not unlock this journal.") from None


# age's own tools wrap a passphrase file at this scrypt work factor (rage and pyrage tune
# it to the machine, often higher); unwrapping takes 1 KiB of memory per 2**factor (128 r N, r = 8).
AGE_WORK_FACTOR = 18
SCRYPT_BYTES_PER_N = 1024
MEMORY_MARGIN = 32 * 2**20


def scrypt_work_factor(wrapped: bytes) -> int | None:
    """The scrypt work factor (log2 N) in the header of an age passphrase file, armored
    or not; None when there is none to read."""
    import base64
    import binascii

    data = wrapped.strip()
    if data.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----"):
        lines = data.splitlines()[1:]
        body = b"".join(line.strip() for line in lines if not line.startswith(b"-----"))
        try:
            data = base64.b64decode(body)
        except (binascii.Error, ValueError):
            return None
    header = data.split(b"\n---", 1)[0]
    for line in header.split(b"\n"):
        parts = line.split()
        if len(parts) == 4 and parts[:2] == [b"->", b"scrypt"] and parts[3].isdigit():
            return int(parts[3])
    return None


def memory_available() -> int | None:
    """Bytes this process could still allocate: the least of its address-space limit
    (less what it already maps), its cgroup's memory.max (less what the group uses) and
    the system's available memory with free swap. None when nothing can be read."""
    import resource

    found = []
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        try:
            pages = int(Path("/proc/self/statm").read_text().split()[0])
            found.append(soft - pages * os.sysconf("SC_PAGE_SIZE"))
        except (OSError, ValueError, IndexError):
            found.append(soft)
    try:
        group = Path("/proc/self/cgroup").read_text().splitlines()
        relative = next(line[3:] for line in group if line.startswith("0::"))
        folder = Path("/sys/fs/cgroup") / relative.lstrip("/")
        most = (folder / "memory.max").read_text().strip()
        if most != "max":
            used = int((folder / "memory.current").read_text().strip())
            found.append(int(most) - used)
    except (OSError, ValueError, StopIteration):
        pass
    try:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        free = int(info["MemAvailable"].split()[0]) + int(info.get("SwapFree", "0 kB").split()[0])
        found.append(free * 1024)
    except (OSError, ValueError, KeyError, IndexError):
        pass
    return min(found) if found else None


def refuse_without_memory(key_file: Path, wrapped: bytes) -> None:
    """Say so, before pyrage aborts the process, when unwrapping the key needs more memory
    than this process can have."""
    factor = scrypt_work_factor(wrapped)
    if factor is None or factor > 40:
        return
    needed = SCRYPT_BYTES_PER_N << factor
    available = memory_available()
    if available is None or needed + MEMORY_MARGIN <= available:
        return
    how = (
        f"; on a machine with more, age's own tool rewraps it at factor {AGE_WORK_FACTOR} "
        f"({(SCRYPT_BYTES_PER_N << AGE_WORK_FACTOR) // 2**20} MB): "
        f"age -d {key_file} | age -p -a -o {key_file}.new, then put that file in its place"
        if factor > AGE_WORK_FACTOR
        else ", so open it where more memory is allowed"
    )
    raise KeyFileError(
        f"Opening the journal's key takes about {needed // 2**20} MB of memory (scrypt work "
        f"factor {factor}) and this process can have only about "
        f"{max(0, available) // 2**20} MB, so nothing was opened{how}."
    )


def write_recipient(root: Path, identity: Any) -> None:
    write_atomic(root / RECIPIENT_NAME, f"{identity.to_public()}\n".encode("ascii"), overwrite=True)


def seal(data: bytes, recipient: Any, *, armored: bool = False) -> bytes:
    import pyrage

    sealed: bytes = pyrage.encrypt(data, [recipient], armored=armored)
    return sealed


def unseal(data: bytes, identity: Any) -> bytes:
    import pyrage

    try:
        opened: bytes = pyrage.decrypt(data, [identity])
    except pyrage.DecryptError:
        raise FileFormatError("it cannot be decrypted with this journal's key") from None
    return opened


# The two variables, once taken out of this process's environment (take_from_environment):
# no child (git, ssh, a hook, the editor, the pager, the background sync) inherits them.
_TAKEN: dict[str, str] | None = None


def take_from_environment() -> None:
    """Move the passphrase variables from the environment into memory, at start-up, so
    no program this process starts ever sees the passphrase or the file holding it."""
    global _TAKEN
    taken = {
        name: os.environ.pop(name)
        for name in (PASSPHRASE_ENV, PASSPHRASE_FILE_ENV)
        if name in os.environ
    }
    _TAKEN = {**(_TAKEN or {}), **taken}


def passphrase_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """For scripts, as restic does: the variable itself, or a file named by one (as
    given at start-up, when the variables were taken into memory)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if environ is None and _TAKEN is not None:
        env = {**_TAKEN, **env}  # one set again since (a test in this process) wins
    if env.get(PASSPHRASE_ENV):
        return env[PASSPHRASE_ENV]
    file_name = env.get(PASSPHRASE_FILE_ENV)
    if file_name:
        try:
            # Bounded, and a pipe is fine (a passphrase manager's <(...)), a device is not.
            data = read_bounded(file_name, MAX_PASSPHRASE_FILE, follow_links=True, pipes=True)
            text = data.decode("utf-8")
        except OSError as error:
            raise PassphraseError(
                f"{PASSPHRASE_FILE_ENV} names a file that cannot be read ({error.strerror})."
            ) from None
        except (UnicodeDecodeError, ValueError):
            raise PassphraseError(
                f"{PASSPHRASE_FILE_ENV} names a file that cannot be read (it is not UTF-8 text)."
            ) from None
        passphrase = text.rstrip("\r\n")
        if not passphrase:
            raise PassphraseError(
                f"{PASSPHRASE_FILE_ENV} names a file with an empty passphrase, and an empty "
                "passphrase cannot protect a journal."
            )
        return passphrase
    return None


def refuse_empty(passphrase: str) -> None:
    if not passphrase:
        raise PassphraseError("An empty passphrase cannot protect a journal.")


def passphrase_or_refuse() -> str:
    """The passphrase from the environment, or PassphraseError: how keys are opened
    where no one can be asked (the CLI hands in a prompt on the terminal)."""
    found = passphrase_from_env()
    if found is None:
        raise PassphraseError(NEEDS_PASSPHRASE)
    return found


COMMON_PASSPHRASES = frozenset(
    "password passw0rd 123456 12345678 123456789 qwerty abc123 letmein iloveyou "
    "admin welcome monkey dragon sunshine journal secret".split()
)


def passphrase_weakness(passphrase: str) -> str | None:
    """How weak a passphrase is, in a few words, or None when it is strong enough: a
    rough count of the guesses it would take (length times the kinds of character),
    as password managers estimate it. Someone with the files can guess offline."""
    import math

    kinds = [
        (26, any(c.islower() for c in passphrase)),
        (26, any(c.isupper() for c in passphrase)),
        (10, any(c.isdigit() for c in passphrase)),
        (33, any(not c.isalnum() for c in passphrase)),
    ]
    pool = sum(size for size, present in kinds if present) or 1
    distinct = len(set(passphrase))
    bits = min(len(passphrase), distinct * 2) * math.log2(pool)
    if passphrase.lower() in COMMON_PASSPHRASES or bits < 40:
        strength = "very weak"
    elif bits < 60:
        strength = "weak"
    else:
        return None
    return f"{strength} ({len(passphrase)} characters)"
