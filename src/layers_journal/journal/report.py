"""What one run noticed, for the CLI's door to say once when the command ends: notes
about what it worked around, files it skipped while reading, and whether it saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers_journal.folder.scan import Problem

if TYPE_CHECKING:
    from layers_journal.errors import FileFormatError, UnreadableFileError

# How many skipped files are named after a command before pointing at journal doctor.
SHOWN_PROBLEMS = 5


class RunReport:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self.skipped: list[Problem] = []  # files that could not be read for their text
        self.problems_shown = False  # set by a command that lists them itself (doctor)
        self.saved = False  # this run has put a new entry in the journal

    def skip(self, path: str, error: UnreadableFileError | FileFormatError) -> None:
        """A file read for its text that could not be used: named, then left out."""
        from layers_journal.errors import UnreadableFileError

        if isinstance(error, UnreadableFileError):
            self.skipped.append(Problem(path, error.reason))
        else:
            self.skipped.append(Problem(path, error.message.rstrip(".")))

    def said(self, index_problems: list[Problem]) -> list[str]:
        """The door's lines: the notes, then the files skipped (a few by name: those
        the index could not use, then those read for their text), unless the command
        listed them itself."""
        problems = [] if self.problems_shown else index_problems + self.skipped
        lines = list(self.notes)
        lines += [f"Skipped {p.path}: {p.reason}." for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            more = len(problems) - SHOWN_PROBLEMS
            lines.append(f"…and {more} more; journal doctor lists them all.")
        return lines
