"""layers-journal: a guided reflection journal for the terminal."""

__version__ = "0.1.0"
