"""Encryption at rest with age (pyrage): the journal's own X25519 key pair.

The public key (journal-key.pub) lets any command write an entry without a passphrase;
the private key (journal-key.age) is itself an age file encrypted with the passphrase
(age's scrypt mode), so the standard `age` tool can open everything:

    age -d journal-key.age > key.txt        # asks for the passphrase
    age -d -i key.txt entries/2026/11/2026-11-23-081502-k3f9qz.md.age
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import FileFormatError, KeyFileError, PassphraseError
from .storage import write_atomic

KEY_NAME = "journal-key.age"
RECIPIENT_NAME = "journal-key.pub"
PASSPHRASE_ENV = "LAYERS_JOURNAL_PASSPHRASE"  # noqa: S105 (a variable name)
PASSPHRASE_FILE_ENV = "LAYERS_JOURNAL_PASSPHRASE_FILE"  # noqa: S105


def is_encrypted(root: Path) -> bool:
    return (root / RECIPIENT_NAME).exists() or (root / KEY_NAME).exists()


class Keys:
    """One journal's key pair: the public half to seal with (no passphrase needed) and
    the private half, unlocked at most once per process when something must be read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._recipient: Any = None
        self._identity: Any = None

    @property
    def encrypted(self) -> bool:
        return is_encrypted(self.root)

    @property
    def has_key(self) -> bool:
        return (self.root / KEY_NAME).exists()

    def recipient(self) -> Any:
        if self._recipient is None:
            self._recipient = read_recipient(self.root)
        return self._recipient

    def identity(self, passphrase: str | None = None) -> Any:
        """The private key, asking for the passphrase when none is given."""
        if self._identity is None:
            secret = passphrase if passphrase is not None else ask_passphrase()
            self._identity = unlock(self.root, secret)
        return self._identity

    def adopt(self, identity: Any) -> None:
        """Use a key pair just made or unlocked (encrypt), writing its public half."""
        write_recipient(self.root, identity)
        self._identity, self._recipient = identity, None

    def forget(self) -> None:
        self._identity = self._recipient = None

    def seal(self, data: bytes, *, armored: bool = False) -> bytes:
        return seal(data, self.recipient(), armored=armored)

    def unseal(self, data: bytes) -> bytes:
        return unseal(data, self.identity())


def read_recipient(root: Path) -> Any:
    import pyrage

    try:
        text = (root / RECIPIENT_NAME).read_text(encoding="ascii").strip()
        return pyrage.x25519.Recipient.from_str(text)
    except (OSError, UnicodeDecodeError, pyrage.RecipientError):
        raise KeyFileError(
            f"The journal's public key {root / RECIPIENT_NAME} is missing or damaged; "
            "journal encrypt, with the passphrase, writes it again."
        ) from None


def create_key(root: Path, passphrase: str) -> tuple[Any, Any]:
    """A new key pair, the private half wrapped by the passphrase. Refuses to replace one."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    recipient = identity.to_public()
    wrapped = pyrage.passphrase.encrypt(str(identity).encode("ascii"), passphrase, armored=True)
    write_atomic(root / KEY_NAME, wrapped, overwrite=False)
    write_atomic(root / RECIPIENT_NAME, f"{recipient}\n".encode("ascii"), overwrite=True)
    return identity, recipient


def unlock(root: Path, passphrase: str) -> Any:
    """The journal's private key, opened with the passphrase."""
    import pyrage

    try:
        wrapped = (root / KEY_NAME).read_bytes()
    except OSError:
        raise KeyFileError(f"The journal key {root / KEY_NAME} cannot be read.") from None
    try:
        secret = pyrage.passphrase.decrypt(wrapped, passphrase)
        return pyrage.x25519.Identity.from_str(secret.decode("ascii").strip())
    except (pyrage.DecryptError, pyrage.IdentityError, UnicodeDecodeError):
        raise PassphraseError("That passphrase does not unlock this journal.") from None


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


def passphrase_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """For scripts, as restic does: the variable itself, or a file named by one."""
    env = os.environ if environ is None else environ
    if env.get(PASSPHRASE_ENV):
        return env[PASSPHRASE_ENV]
    file_name = env.get(PASSPHRASE_FILE_ENV)
    if file_name:
        try:
            text = Path(file_name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise PassphraseError(
                f"{PASSPHRASE_FILE_ENV} names a file that cannot be read."
            ) from None
        return text.rstrip("\r\n")
    return None


def ask_passphrase(prompt: str = "Passphrase: ", *, confirm: bool = False) -> str:
    """From the environment, else a hidden prompt on the terminal."""
    found = passphrase_from_env()
    if found is not None:
        return found
    import getpass

    if not terminal_available():
        raise PassphraseError(
            f"This needs the journal's passphrase: run it in a terminal, or set "
            f"{PASSPHRASE_ENV} or {PASSPHRASE_FILE_ENV}."
        )
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Once more, to be sure: ") != first:
            raise PassphraseError("The two passphrases differ; nothing was changed.")
    except (EOFError, KeyboardInterrupt):
        raise PassphraseError("No passphrase given; nothing was changed.") from None
    if not first:
        raise PassphraseError("An empty passphrase cannot protect a journal.")
    return first


def terminal_available() -> bool:
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return False
    os.close(fd)
    return True
