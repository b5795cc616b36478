"""The person's own git, run as a child process that can never hang or prompt.

Their keys, credential helpers and hosts just work, and the journal process itself
opens no socket. Every call runs with no terminal prompt (GIT_TERMINAL_PROMPT=0, an
askpass that always fails, ssh in batch mode unless a person is at the terminal), a
private umask, a timeout, and its exit status checked.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from layers_journal.errors import SyncError

NO_GIT = "Sync uses git, and git is not installed on this machine (or not on PATH)."
# Local work (commit, rebase) on a journal is quick; this only stops a stuck git.
LOCAL_TIMEOUT = 60
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
ZERO = "0" * 40
# Variables that could point git at another repository than the journal's.
REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
)
# Never handed to git, ssh, a credential helper or a hook (the journal process itself
# takes them out of its environment at start-up; this is for every other way in).
SECRET_VARIABLES = ("LAYERS_JOURNAL_PASSPHRASE", "LAYERS_JOURNAL_PASSPHRASE_FILE")


class GitTimeout(SyncError):
    """git did not finish within its time."""


class GitFailed(SyncError):
    """git ran and said no; `said` is its own last line, for the end of a sentence."""

    def __init__(self, message: str, *, said: str, code: int) -> None:
        super().__init__(message)
        self.said = said
        self.code = code


class Done(NamedTuple):
    code: int
    out: str
    err: str
    raw: bytes = b""  # what git printed, as bytes (a blob, which may be sealed)


class Git:
    """git, run in one journal folder (and never in a repository above it)."""

    def __init__(self, root: Path, *, timeout: int, interactive: bool = False) -> None:
        self.root = root
        self.timeout = timeout  # for the network
        self.interactive = interactive
        self._git_dir: Path | None = None
        self._ssh: tuple[str | None] | None = None

    # --- running ---------------------------------------------------------------------

    def environment(
        self, *, network: bool, extra: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in REPOSITORY_VARIABLES and key not in SECRET_VARIABLES
        }
        env.update(
            {
                "GIT_TERMINAL_PROMPT": "0",
                "GIT_ASKPASS": "false",  # any password prompt fails at once
                "SSH_ASKPASS": "false",
                "SSH_ASKPASS_REQUIRE": "never",
                "GCM_INTERACTIVE": "never",
                "GIT_EDITOR": "true",
                "GIT_MERGE_AUTOEDIT": "no",
                "GIT_CEILING_DIRECTORIES": str(self.root.parent),
                "LC_ALL": "C",
                "LANGUAGE": "",
            }
        )
        if network and not self.interactive:
            command = self.ssh_command()
            if command is not None:
                env["GIT_SSH_COMMAND"] = command
        env.update(extra or {})
        return env

    def ssh_command(self) -> str | None:
        """The person's ssh command with BatchMode on, so ssh never waits for a
        passphrase or a host-key question nobody can answer."""
        if self._ssh is None:
            self._ssh = (self.batch_ssh(),)
        return self._ssh[0]

    def batch_ssh(self) -> str | None:
        chosen = os.environ.get("GIT_SSH_COMMAND")
        if not chosen and os.environ.get("GIT_SSH"):
            return None  # a program of their own; its options are its business
        if not chosen:
            chosen = self.value("core.sshCommand") or "ssh"
        return f"{chosen} -o BatchMode=yes"

    def run(
        self,
        *args: str,
        network: bool = False,
        check: bool = True,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
        what: str = "git",
    ) -> Done:
        """git ARGS in the journal folder; a non-zero exit raises GitFailed unless
        check is False. `what` names the step in the sentence a failure becomes."""
        timeout = self.timeout if network else max(self.timeout, LOCAL_TIMEOUT)
        # A person at the terminal may answer ssh there; otherwise git gets a session
        # of its own, with no terminal to wait on, and all of it can be stopped at once.
        attended = network and self.interactive
        try:
            process = subprocess.Popen(
                ["git", *args],
                cwd=self.root,
                env=self.environment(network=network, extra=env),
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                umask=0o077,
                start_new_session=not attended,
            )
        except FileNotFoundError:
            raise SyncError(NO_GIT) from None
        try:
            out, err = process.communicate(
                stdin.encode() if stdin is not None else None, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            stop(process, group=not attended)
            raise GitTimeout(f"{what} did not finish within {timeout} seconds") from None
        except BaseException:  # Ctrl-C included: git never outlives the journal
            stop(process, group=not attended)
            raise
        done = Done(
            process.returncode,
            out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"),
            out,
        )
        if check and done.code != 0:
            said = last_words(done.err) or last_words(done.out) or f"exit status {done.code}"
            raise GitFailed(f"{what} did not work ({said})", said=said, code=done.code)
        return done

    def out(self, *args: str, **options: object) -> str:
        return self.run(*args, **options).out.strip()  # type: ignore[arg-type]

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).code == 0

    # --- questions -------------------------------------------------------------------

    def value(self, key: str) -> str | None:
        done = self.run("config", "--get", key, check=False)
        return done.out.strip() or None if done.code == 0 else None

    def revision(self, name: str) -> str | None:
        done = self.run("rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False)
        return done.out.strip() or None if done.code == 0 else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.ok("merge-base", "--is-ancestor", older, newer)

    def merge_base(self, one: str, other: str) -> str | None:
        done = self.run("merge-base", one, other, check=False)
        return done.out.strip() or None if done.code == 0 else None

    def changes(self, old: str | None, new: str) -> dict[str, tuple[str, str] | None]:
        """Every path that differs from old to new (None: the empty tree), with its
        (mode, blob) in new, or None where new no longer has it. Renames are seen as
        what they are on disk: one path gone, another new."""
        done = self.run("diff-tree", "-r", "-z", "--no-renames", old or EMPTY_TREE, new)
        fields = done.out.split("\0")
        found: dict[str, tuple[str, str] | None] = {}
        for header, path in zip(fields[0::2], fields[1::2], strict=False):
            if not header.startswith(":"):
                continue
            _, mode, _, blob, status = header[1:].split(" ")
            found[path] = None if status == "D" else (mode, blob)
        return found

    def tree(self, commit: str, paths: Sequence[str] = ()) -> dict[str, tuple[str, str]]:
        """(mode, blob) of every file in a commit (or only of `paths`)."""
        done = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths)
        found = {}
        for line in done.out.split("\0"):
            if not line:
                continue
            header, path = line.split("\t", 1)
            mode, kind, blob = header.split(" ")
            if kind == "blob":
                found[path] = (mode, blob)
        return found

    def blobs(self, names: Sequence[str]) -> list[str | None]:
        """The blob id of each REV:PATH, None where there is none (one git call)."""
        done = self.run("cat-file", "--batch-check", stdin="".join(f"{n}\n" for n in names))
        found: list[str | None] = []
        for line in done.out.splitlines():
            parts = line.split(" ")
            found.append(parts[0] if len(parts) == 3 and parts[1] == "blob" else None)
        return found

    def git_dir(self) -> Path:
        if self._git_dir is None:
            plain = self.root / ".git"  # the usual case, without asking git
            self._git_dir = (
                plain if plain.is_dir() else Path(self.out("rev-parse", "--absolute-git-dir"))
            )
        return self._git_dir


def stop(process: subprocess.Popen[bytes], *, group: bool) -> None:
    """Stop git and whatever it started (ssh, a credential helper), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
    try:
        process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.wait()


CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


def redact(text: str) -> str:
    """A URL's user name and password are nobody's business in a message."""
    return CREDENTIALS.sub(r"\1…@", text)


def last_words(text: str) -> str:
    """git's own explanation, in a line: the first 'fatal:' or 'error:' line, else the
    last line, without its prefix, trailing full stop or credentials."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    said = [n for n, line in enumerate(lines) if line.lower().startswith(("fatal:", "error:"))]
    chosen = lines[said[0]] if said else lines[-1]  # git names the cause first
    if said and "could not read from remote repository" in lines[said[0]].lower() and said[0]:
        chosen = lines[said[0] - 1]  # what ssh said just before (permission, host) is the news
    for prefix in ("fatal:", "error:", "remote:", "hint:"):
        if chosen.lower().startswith(prefix):
            chosen = chosen[len(prefix) :].strip()
    chosen = redact(chosen).rstrip(".")
    return chosen if len(chosen) <= 160 else chosen[:157] + "…"


def paths_argument(paths: Iterable[str]) -> str:
    """Paths for --pathspec-from-file on stdin, NUL-separated."""
    return "".join(f"{path}\0" for path in paths)
