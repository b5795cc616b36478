"""The html export written as it goes: the very bytes the page had when it was built
whole in memory (the golden pages in tests/fixtures/book/ were made by that code), for a
plain and an encrypted journal, into a file or to stdout; and memory that stays small
beside the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.book import EXPORTED_ON, EXPORTS, NOTE, varied_json
from helpers.cli import run_cli

GOLDEN = Path(__file__).parent / "fixtures" / "book"
PASSPHRASE = "a passphrase for the book"


def export_args(args: tuple[str, ...], note: Path) -> list[str]:
    return [str(note) if arg == "NOTE" else arg for arg in args]


@pytest.fixture
def varied_home(
    tmp_path: Path, journal_home: Path, clock_at: Callable[..., None]
) -> tuple[Path, Path]:
    clock_at(EXPORTED_ON)
    source, note = tmp_path / "varied.json", tmp_path / "note.md"
    source.write_text(varied_json(), encoding="utf-8")
    note.write_text(NOTE, encoding="utf-8")
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 0, result.stderr
    return journal_home, note


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_page_is_byte_for_byte_the_page_built_whole(
    varied_home: tuple[Path, Path], tmp_path: Path, name: str
) -> None:
    home, note = varied_home
    target = tmp_path / name
    args = export_args(EXPORTS[name], note)
    result = run_cli(home, "export", "--format", "html", "--output", str(target), *args)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == (GOLDEN / name).read_bytes()
    # To stdout it is the same page.
    piped = run_cli(home, "export", "--format", "html", *args)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == (GOLDEN / name).read_text(encoding="utf-8")


def test_an_encrypted_journal_exports_the_same_page(
    varied_home: tuple[Path, Path], tmp_path: Path
) -> None:
    home, note = varied_home
    env = {"LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
    assert run_cli(home, "encrypt", **env).returncode == 0
    for name in ("shared.html", "everything.html", "compassion-tagged.html"):
        target = tmp_path / name
        args = export_args(EXPORTS[name], note)
        result = run_cli(home, "export", "--format", "html", "-o", str(target), *args, **env)
        assert result.returncode == 0, result.stderr
        assert target.read_bytes() == (GOLDEN / name).read_bytes(), name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
