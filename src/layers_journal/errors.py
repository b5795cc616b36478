"""Errors a person can cause or fix. Each carries one plain sentence and an exit code.

The CLI turns any of these into that sentence on stderr and the exit code; nothing else
in the package prints or exits. Messages never contain entry text.
"""

from __future__ import annotations


class JournalError(Exception):
    """A handled problem: one sentence for the user, exit code 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(JournalError):
    """The command line itself was wrong (a bad date, an unknown layer): exit code 2."""

    exit_code = 2


class ConfigError(JournalError):
    """config.toml or a config value is not usable."""


class FileFormatError(JournalError):
    """A journal file (entry, pause, metadata) cannot be read; the message says why."""


class UnreadableFileError(FileFormatError):
    """A journal file that cannot be read, named: `reason` is why, without the name."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path} cannot be read: {reason}.")
        self.path = path
        self.reason = reason


class PromptFileError(JournalError):
    """A prompt library file is malformed; the message names the file and line."""


class ExerciseError(JournalError):
    """An exercise file is malformed, or what was written does not fit its steps."""


class ImportFormatError(JournalError):
    """An import document is malformed; nothing was imported."""


class NotFoundError(JournalError):
    """No entry or pause matches the given id."""


class PassphraseError(JournalError):
    """The passphrase is missing or does not unlock the journal key."""


class SaveError(JournalError):
    """Writing failed; the message says where the typed text was kept. When it could not
    be kept anywhere, unsaved_text holds it, to be printed back at the door."""

    def __init__(self, message: str, *, unsaved_text: str | None = None) -> None:
        super().__init__(message)
        self.unsaved_text = unsaved_text


class NothingToSave(JournalError):
    """The body was empty: nothing saved, exit 1, said gently."""


class NothingChosen(JournalError):
    """Asked to pick one of several, the person picked none: nothing done, exit 1."""


class CacheError(JournalError):
    """The disposable index in the cache folder cannot be used."""


class KeyFileError(JournalError):
    """The journal's key files are missing or damaged."""


class SyncError(JournalError):
    """Syncing through git could not start or finish; the journal files are unharmed."""


def reason(error: BaseException) -> str:
    """A short lower-case reason for an error, for the middle of a sentence."""
    if isinstance(error, JournalError):
        return error.message.rstrip(".")
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return error.__class__.__name__
