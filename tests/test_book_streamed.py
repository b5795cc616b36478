"""The html export written as it goes: the very bytes the page had when it was built
whole in memory (the golden pages in tests/fixtures/book/ were made by that code), for a
plain and an encrypted journal, into a file or to stdout; and memory that stays small
beside the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers.book import EXPORTED_ON, EXPORTS, NOTE, long_json, varied_json
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


def export_peak(home: Path, target: Path, *args: str, **env: str) -> int:
    """The most memory Python held at once during one export (tracemalloc's peak)."""
    import gc
    import tracemalloc

    gc.collect()  # what earlier commands of this process left, gone before measuring
    tracemalloc.start()
    try:
        result = run_cli(home, "export", "--format", "html", "-o", str(target), *args, **env)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.returncode == 0, result.stderr
    return peak


@pytest.fixture
def long_home(tmp_path: Path, journal_home: Path, clock_at: Callable[..., None]) -> Path:
    clock_at(date(2026, 1, 10))
    source = tmp_path / "long.json"
    source.write_text(long_json(), encoding="utf-8")
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 0, result.stderr
    return journal_home


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_memory_stays_small_beside_the_page(
    long_home: Path, tmp_path: Path, encrypted: bool
) -> None:
    env = {"LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE} if encrypted else {}
    if encrypted:
        assert run_cli(long_home, "encrypt", **env).returncode == 0
    target = tmp_path / "page.html"
    warm = run_cli(long_home, "export", "--format", "html", "-o", str(target), **env)
    assert warm.returncode == 0, warm.stderr  # the modules it needs, imported before
    for args in [(), ("--include-private",), ("--tag", "walk")]:
        # The first hundred days, then all three hundred.
        part = export_peak(long_home, target, "--force", "--until", "2025-04-10", *args, **env)
        part_size = target.stat().st_size
        whole = export_peak(long_home, target, "--force", *args, **env)
        size = target.stat().st_size
        assert size > 3 * 2**20 and size > 2.5 * part_size
        # Built whole, the page was held three times over (its pieces, the page, its
        # bytes) beside every entry's text: the peak was seven times the page, and grew
        # seven times as fast. Written as it goes, it hardly grows with the page at all
        # (an encrypted journal's: by one file read's buffer, a megabyte, and little
        # more, in a process that ran a plain journal's exports before).
        assert whole < size * (0.7 if encrypted else 0.33), (args, whole, size)
        if not encrypted:
            assert whole - part < (size - part_size) / 10, (args, part, whole, part_size, size)


def test_an_encrypted_export_decrypts_one_entry_at_a_time(
    long_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layers_journal.folder.store import Store
    from layers_journal.formats import book

    env = {"LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
    assert run_cli(long_home, "encrypt", **env).returncode == 0
    events: list[str] = []
    read, render = Store.read, book.html_entry

    def reading(self: Store, relative: str) -> object:
        events.append("read")
        return read(self, relative)

    def rendering(*args: Any, **kwargs: Any) -> str:
        events.append("page")
        return render(*args, **kwargs)

    monkeypatch.setattr(Store, "read", reading)
    monkeypatch.setattr(book, "html_entry", rendering)
    target = tmp_path / "page.html"
    result = run_cli(long_home, "export", "--format", "html", "-o", str(target), **env)
    assert result.returncode == 0, result.stderr
    first = events.index("page")
    assert events[:first].count("read") >= 300  # the first pass: what the first page says
    # The second: each entry decrypted just before it is written, none read ahead (a
    # private entry, left out, is read and passed by).
    between = "".join("r" if event == "read" else "p" for event in events[first:]).split("p")
    assert max(len(reads) for reads in between) <= 2
    assert events.count("page") == target.read_text().count('<article class="entry">')
