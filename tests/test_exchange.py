"""Export and import of the layers-journal JSON document: complete, exact, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import entry_files, example_document, run_cli


def snapshot(home: Path) -> dict[str, bytes]:
    data = home / "data"
    return {
        str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()
    }


def test_export_shows_every_field(journal_home: Path) -> None:
    run_cli(journal_home, "today", "--mood", "4", "--tag", "evening", stdin="Tea with a neighbour.")
    document = json.loads(run_cli(journal_home, "export", "--format", "json").stdout)
    assert document["format"] == "layers-journal" and document["version"] == 1
    (entry,) = document["entries"]
    assert set(entry) == {
        "id",
        "created",
        "day",
        "tz",
        "theme",
        "prompt_id",
        "prompt",
        "mood",
        "tags",
        "text",
    }
    assert (
        entry["mood"] == 4
        and entry["tags"] == ["evening"]
        and entry["text"] == "Tea with a neighbour."
    )
    assert entry["prompt_id"].startswith("awareness-") and entry["prompt"]
    assert document["pauses"] == []


def test_export_import_export_gives_the_identical_document(
    journal_home: Path, tmp_path: Path
) -> None:
    run_cli(
        journal_home,
        "today",
        "--tag",
        "a",
        stdin='First, with "quotes" and\nтекст 日本語 🎉\n\n  indented',
    )
    run_cli(journal_home, "today", "--theme", "compassion", "--date", "yesterday", stdin="Second.")
    run_cli(journal_home, "pause", "2026-01-01", "2026-01-03", "--note", "flu")
    first = run_cli(journal_home, "export", "--format", "json").stdout
    exported = tmp_path / "export.json"
    exported.write_text(first)
    other = tmp_path / "other-home"
    result = run_cli(other, "import", str(exported))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 entries" in result.stderr
    assert run_cli(other, "export", "--format", "json").stdout == first
    # Importing the same document again adds nothing.
    again = run_cli(other, "import", str(exported))
    assert again.stderr == "Nothing new: the 2 entries and the pause are already in the journal.\n"
    assert len(entry_files(other)) == 2


def test_the_example_document_round_trips(tmp_path: Path, journal_home: Path) -> None:
    source = tmp_path / "doc.json"
    source.write_text(example_document([1, 2, 3], pauses=[(5, 6)]))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    exported = json.loads(run_cli(journal_home, "export").stdout)
    assert exported == json.loads(source.read_text())


def test_an_entry_dated_after_it_was_written_still_round_trips(
    journal_home: Path, tmp_path: Path
) -> None:
    entry = {
        "id": "2026-01-01-230000-future",
        "created": "2026-01-01T23:00:00+00:00",
        "day": "2026-01-02",
        "tz": "UTC",
        "text": "tomorrow",
    }
    source = tmp_path / "doc.json"
    source.write_text(
        json.dumps({"format": "layers-journal", "version": 1, "entries": [entry], "pauses": []})
    )
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    assert json.loads(run_cli(journal_home, "export").stdout)["entries"][0]["day"] == "2026-01-02"


def test_history_json_output_imports(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "today", "--tag", "kept", stdin="carried over")
    saved = tmp_path / "history.json"
    saved.write_text(run_cli(journal_home, "history", "--json").stdout)
    other = tmp_path / "other"
    assert run_cli(other, "import", str(saved)).returncode == 0
    assert json.loads(run_cli(other, "history", "--json").stdout) == json.loads(saved.read_text())


def valid_document() -> dict:  # type: ignore[type-arg]
    return json.loads(example_document([1, 2, 3]))


def broken(change) -> str:  # type: ignore[no-untyped-def]
    document = valid_document()
    change(document)
    return json.dumps(document)


MALFORMED = {
    "not json": ("{ this is not json", "not valid JSON"),
    "not ours": (json.dumps({"entries": []}), "not a layers-journal export"),
    "newer version": (broken(lambda d: d.update(version=2)), "version 2"),
    "wrong type": (broken(lambda d: d["entries"][1].update(mood="three")), "Entry 2"),
    "unknown theme": (
        broken(lambda d: d["entries"][2].update(theme="courage")),
        "theme 'courage' is not one of",
    ),
    "bad day": (broken(lambda d: d["entries"][1].update(day="2026-02-30")), "Entry 2"),
    "naive created": (
        broken(lambda d: d["entries"][0].update(created="2026-03-02T12:00:00")),
        "Entry 1",
    ),
    "bad id": (broken(lambda d: d["entries"][0].update(id="../../etc/passwd")), "Entry 1"),
    "tags not a list": (broken(lambda d: d["entries"][0].update(tags="work")), "tags"),
    "duplicate ids": (broken(lambda d: d["entries"].append(d["entries"][0])), "appears twice"),
    "pause backwards": (
        broken(
            lambda d: d["pauses"].append(
                {"id": "p1", "start": "2026-03-05", "end": "2026-03-01", "note": None}
            )
        ),
        "ends before",
    ),
    # An unknown zone name is imported with a note (an export must always import back);
    # an offset no clock has is refused.
    "impossible offset": (broken(lambda d: d["entries"][0].update(tz="UTC+99:99")), "UTC offset"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_import_changes_nothing_and_says_which_entry(
    name: str, journal_home: Path, tmp_path: Path
) -> None:
    run_cli(journal_home, "today", stdin="Already here.")
    before = snapshot(journal_home)
    text, expected = MALFORMED[name]
    source = tmp_path / "bad.json"
    source.write_text(text)
    result = run_cli(journal_home, "import", str(source), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    assert "nothing was imported" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert snapshot(journal_home) == before


def test_a_missing_or_binary_file_is_one_sentence(journal_home: Path, tmp_path: Path) -> None:
    missing = run_cli(journal_home, "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr
    binary = tmp_path / "blob"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage")
    result = run_cli(journal_home, "import", str(binary))
    assert result.returncode == 2 and "not UTF-8" in result.stderr
    assert entry_files(journal_home) == []


def test_export_refuses_to_overwrite_without_force(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "today", stdin="words")
    target = tmp_path / "out.json"
    target.write_text("precious")
    refused = run_cli(journal_home, "export", "--output", str(target))
    assert refused.returncode == 2 and target.read_text() == "precious"
    assert run_cli(journal_home, "export", "--output", str(target), "--force").returncode == 0
    assert json.loads(target.read_text())["entries"][0]["text"] == "words"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_markdown_export_reads_like_a_printed_journal(journal_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "doc.json"
    source.write_text(example_document([1, 2, 40]))
    # The journal day starts at midnight, so a save at any hour lands on the day it is.
    assert run_cli(journal_home, "config", "set", "day_start", "00:00").returncode == 0
    run_cli(journal_home, "import", str(source))
    run_cli(
        journal_home,
        "today",
        "--mood",
        "2",
        "--tag",
        "rain",
        stdin="Rain on the window.\n\nA second paragraph.",
    )
    markdown = run_cli(journal_home, "export", "--format", "markdown").stdout
    assert markdown.startswith("# Journal\n")
    assert "## Monday 2 March 2026" in markdown and "## Tuesday 3 March 2026" in markdown
    assert markdown.index("Day 1.") < markdown.index("Day 2.") < markdown.index("Day 40.")
    assert "### 12:00 · awareness" in markdown
    assert "Rain on the window.\n\nA second paragraph." in markdown
    assert "*mood 2/5 · tags: rain*" in markdown
    assert "> " in markdown  # today's prompt, quoted above the text


def test_markdown_split_writes_one_private_file_per_month(
    journal_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "doc.json"
    source.write_text(example_document([1, 2, 40]))
    run_cli(journal_home, "import", str(source))
    folder = tmp_path / "printed"
    result = run_cli(
        journal_home, "export", "--format", "markdown", "--split", "--output", str(folder)
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["2026-03.md", "2026-04.md"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in folder.iterdir())
    assert "Day 40." in (folder / "2026-04.md").read_text()
    assert run_cli(journal_home, "export", "--format", "markdown", "--split").returncode == 2
