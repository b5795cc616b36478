"""Words on their way to becoming an entry, kept privately until they are saved.

A draft is a 0700 folder in the state folder's drafts/ holding the text and draft.toml:
the pid of the journal writing it (so a draft whose journal stopped can be told apart)
and what the entry is to be: day, layer, prompt, or, for `journal edit`, the entry it
belongs to. Never the text. The writer keeps its text here every few seconds and on
every line; in an encrypted journal sealed to the journal's public key (entry.md.age),
which needs no passphrase, so no word of it is on disk in plain text. The $EDITOR
round-trip (editor.py) keeps its plain entry.md in a folder of the same shape.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from layers_journal.errors import FileFormatError

from .crypto import Keys
from .storage import ensure_private_dir, write_atomic

DRAFT_NAME = "entry.md"
ABOUT_NAME = "draft.toml"
# The tags and mood given for a page, sealed beside its draft in an encrypted journal
# (in a plain one they are in draft.toml).
DETAILS_NAME = "details.toml.age"
# The first line of a new editor draft; it is taken off again when the editor closes.
HEADER_START = "<!-- layers-journal:"
HEADER_END = "-->"
PREFIX = "draft-"
SEALED_NAME = DRAFT_NAME + ".age"
# Who wrote a draft: the writer in the terminal, or $EDITOR (drafts made before this
# field existed came from the editor).
WRITER = "writer"
EDITOR = "editor"
# What draft.toml may say about the entry; anything else in it is ignored.
ABOUT_KEYS = (
    "day",
    "theme",
    "prompt_id",
    "prompt",
    "entry",
    "source",
    "aside",
    "kind",
    "exercise",
    "tags",
    "mood",
)


class DraftAbout(NamedTuple):
    """What a page being written is to be: its day, layer and prompt (never its text)."""

    day: date
    theme: str | None
    prompt_id: str | None
    prompt: str | None

    def kept(self, *, sealed: bool) -> dict[str, object]:
        """What goes beside a draft so a recovered draft keeps it. An encrypted journal
        keeps to what it promises to show: the day and the layer."""
        about: dict[str, object] = {"day": self.day, "theme": self.theme}
        if not sealed:
            about |= {"prompt_id": self.prompt_id, "prompt": self.prompt}
        return about


class Draft:
    def __init__(self, folder: Path, keys: Keys) -> None:
        self.folder = folder
        self.keys = keys
        self._about: dict[str, Any] | None = None

    @property
    def about(self) -> dict[str, Any]:
        if self._about is None:
            self._about = {k: v for k, v in read_about(self.folder).items() if k in ABOUT_KEYS}
        return self._about

    @property
    def file(self) -> Path:
        """The text's file: sealed when this draft was kept sealed."""
        sealed = self.folder / SEALED_NAME
        return sealed if sealed.exists() else self.folder / DRAFT_NAME

    @property
    def sealed(self) -> bool:
        return self.file.name == SEALED_NAME

    @property
    def has_text(self) -> bool:
        return self.file.is_file()

    @property
    def entry_id(self) -> str | None:
        """The entry an edit draft belongs to; None for a new page."""
        value = self.about.get("entry")
        return value if isinstance(value, str) and value else None

    @property
    def source(self) -> str:
        return WRITER if self.about.get("source") == WRITER else EDITOR

    def details(self) -> tuple[tuple[str, ...], int | None]:
        """The tags and mood given for this page (sealed ones ask for the passphrase);
        a value no entry could hold is left out rather than lose the words."""
        import tomllib

        from .entries import is_tag

        found: dict[str, Any] = dict(self.about)
        sealed = self.folder / DETAILS_NAME
        if sealed.exists():
            try:
                found = tomllib.loads(self.keys.unseal(sealed.read_bytes()).decode("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, FileFormatError):
                found = {}
        tags = found.get("tags")
        mood = found.get("mood")
        kept_tags = tuple(tag for tag in tags if is_tag(tag)) if isinstance(tags, list) else ()
        kept_mood = (
            mood
            if isinstance(mood, int) and not isinstance(mood, bool) and 1 <= mood <= 5
            else None
        )
        return kept_tags, kept_mood

    def kept_at(self) -> datetime:
        """When the text was last kept (UTC)."""
        return datetime.fromtimestamp(self.file.stat().st_mtime, UTC)

    def keep(self, text: str) -> None:
        """Put the text in place all at once, 0600, sealed when the journal is."""
        data = text.encode("utf-8")
        if self.keys.encrypted:
            write_atomic(self.folder / SEALED_NAME, self.keys.seal(data), overwrite=True)
            # An editor's plain draft taken up in the writer is sealed from now on.
            (self.folder / DRAFT_NAME).unlink(missing_ok=True)
        else:
            write_atomic(self.folder / DRAFT_NAME, data, overwrite=True)

    def text(self) -> str:
        """The words as they were kept (a sealed draft asks for the passphrase)."""
        data = self.file.read_bytes()
        if self.sealed:
            data = self.keys.unseal(data)
        return strip_header(data.decode("utf-8", errors="replace"))

    def mark(self, **fields: object) -> None:
        """Add to what draft.toml says (aside = true: not offered again, only listed)."""
        write_about(self.folder, {**read_about(self.folder), **fields})
        self._about = None

    def claim(self) -> None:
        """Mark this draft as being written by this process from now on."""
        self.mark(pid=os.getpid())

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class Drafts:
    """The drafts folder of one journal."""

    def __init__(self, folder: Path, keys: Keys) -> None:
        self.folder = folder
        self.keys = keys

    def start(
        self, about: Mapping[str, object], details: Mapping[str, object] | None = None
    ) -> Draft:
        """A new, empty draft owned by this process, keeping the tags and mood given."""
        import tempfile  # here: a save from stdin reads DraftAbout and never starts one

        folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=ensure_private_dir(self.folder)))
        seal = self.keys.seal if self.keys.encrypted else None
        kept = keep_details(folder, details or {}, seal)
        write_about(folder, {"pid": os.getpid(), **about, **kept})
        return Draft(folder, self.keys)

    def left(self) -> list[Draft]:
        """Drafts with words in them whose journal is no longer running, oldest first.
        One that goes away while being looked at (its journal finished) is passed over."""
        found = []
        for folder in self.folder.glob(PREFIX + "*"):
            draft = Draft(folder, self.keys)
            try:
                if draft.has_text and not draft_owner_alive(folder):
                    found.append((draft.kept_at(), draft))
            except OSError:
                continue
        return [draft for _, draft in sorted(found, key=lambda pair: pair[0])]

    def tidy(self, now: float) -> None:
        """Remove folders of stopped journals that never got a word (not one just made,
        whose journal may not have written its pid yet)."""
        for folder in self.folder.glob(PREFIX + "*"):
            draft = Draft(folder, self.keys)
            try:
                young = now - folder.stat().st_mtime < 60
            except OSError:
                continue
            if not young and not draft.has_text and not draft_owner_alive(folder):
                draft.discard()


def write_about(folder: Path, about: Mapping[str, object]) -> None:
    import tomli_w

    known = {key: value for key, value in about.items() if value is not None}
    write_atomic(folder / ABOUT_NAME, tomli_w.dumps(known).encode(), overwrite=True)


def strip_header(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].startswith(HEADER_START) and lines[0].rstrip().endswith(HEADER_END):
        return "\n".join(lines[1:])
    return text


def read_about(folder: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads((folder / ABOUT_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def draft_owner_alive(folder: Path) -> bool:
    """Is the journal process that opened this draft still running?"""
    pid = read_about(folder).get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return True


def keep_details(
    folder: Path, details: Mapping[str, object], seal: Callable[[bytes], bytes] | None
) -> dict[str, object]:
    """Keep the tags and mood given for a draft: sealed in their own file when the journal
    is encrypted (and nothing returned), else returned to go into draft.toml."""
    known = {
        key: list(value) if isinstance(value, list | tuple) else value
        for key, value in details.items()
        if value not in (None, [], ())
    }
    if seal is None:
        return known
    if known:
        import tomli_w

        write_atomic(folder / DETAILS_NAME, seal(tomli_w.dumps(known).encode()), overwrite=True)
    return {}
