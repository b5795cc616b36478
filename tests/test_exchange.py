"""Export and import of the layers-journal JSON document: complete, exact, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.cli import run_cli
from helpers.documents import entry_files, example_document
from helpers.folder import entry_item, import_document, plant_entry
from helpers.folder import snapshot as folder_snapshot
from helpers.hostile import (
    FEW,
    GENERIC,
    PLAUSIBLE_ID,
    days,
    entry_fields,
    fresh_home,
    imports_fully_or_not_at_all,
    iso_day,
    texts,
)


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


# --- hostile values: each value refused with a reason or kept whole ---------------


@st.composite
def json_documents(draw: st.DrawFn) -> tuple[str, int]:
    items = []
    for n in range(draw(st.integers(1, 3))):
        fields = draw(entry_fields())
        if fields.get("id") == PLAUSIBLE_ID:  # a distinct id each, unless drawn hostile
            fields["id"] = f"2026-03-02-09000{n}-abc12{n}"
        fields["text"] = draw(texts)
        items.append(fields)
    pauses = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.sampled_from(["p1", "P1", "p 1", "p\n"]),
                    "start": days.map(iso_day),
                    "end": days.map(iso_day),
                    "note": st.none() | texts,
                }
            ),
            max_size=1,
        )
    )
    document = {"format": "layers-journal", "version": 1, "entries": items, "pauses": pauses}
    return json.dumps(document), len(items)


@FEW
@given(document=json_documents())
def test_a_json_import_of_hostile_values_brings_in_everything_or_changes_nothing(
    document: tuple[str, int],
) -> None:
    text, count = document
    with fresh_home() as home:
        source = home.parent / "import.json"
        source.write_text(text)
        imports_fully_or_not_at_all(home, source, count)


# --- promises kept under pressure -------------------------------------------------


LONE_SURROGATE = "x\ud800y"

UNREADABLE_IMPORTS = {
    "a lone surrogate in the text": import_document(
        entry_item(1), entry_item(2), entry_item(3, text=LONE_SURROGATE)
    ),
    "a lone surrogate in the prompt": import_document(
        entry_item(1), entry_item(2, prompt=LONE_SURROGATE)
    ),
    "a lone surrogate in a pause note": import_document(
        entry_item(1),
        pauses=({"id": "p1", "start": "2026-03-05", "end": "2026-03-06", "note": LONE_SURROGATE},),
    ),
    "an id ending in a newline": import_document(
        entry_item(1), entry_item(2, id="2026-03-02-090000-impt02\n")
    ),
    "an offset with seconds": import_document(
        entry_item(1), entry_item(2, created="2026-03-02T09:00:00+05:30:15")
    ),
    "an id with other scripts' digits": import_document(
        entry_item(1), entry_item(2, id="٢٠٢٦-03-02-090000-impt02")
    ),
    "a pause of eight thousand years": import_document(
        entry_item(1),
        pauses=({"id": "p1", "start": "1001-01-01", "end": "9998-01-01", "note": None},),
    ),
}


def nested_json(depth: int) -> str:
    return (
        '{"format": "layers-journal", "version": 1, "entries": ' + "[" * depth + "]" * depth + "}"
    )


def test_an_import_refuses_dates_past_the_calendar_before_writing_anything(
    journal_home: Path, tmp_path: Path
) -> None:
    good = {"created": "2026-03-02T09:00:00+01:00", "day": "2026-03-02", "tz": "Europe/Berlin"}
    document = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {"id": "2026-03-02-090000-first1", "text": "first", **good},
            {
                "id": "9999-12-31-233000-late01",
                "created": "9999-12-31T23:30:00-01:00",
                "day": "9999-12-31",
                "tz": "UTC",
                "text": "from the end of time",
            },
        ],
        "pauses": [],
    }
    sources = {
        "json": json.dumps(document),
        "jrnl, year 9999": "[2026-03-02 09:00] first\n\n[9999-12-31 23:30] the end of time\n",
        "jrnl, year 0001": "[2026-03-02 09:00] first\n\n[0001-01-01 10:00] the start of time\n",
    }
    for name, text in sources.items():
        source = tmp_path / "import.txt"
        source.write_text(text)
        result = run_cli(journal_home, "import", str(source))
        assert result.returncode == 1, (name, result.stderr)
        assert GENERIC not in result.stderr and "nothing was imported" in result.stderr, name
        assert folder_snapshot(journal_home) == {}, name


def test_entries_in_the_hour_a_clock_change_repeats_or_skips_import_whole(
    journal_home: Path, tmp_path: Path
) -> None:
    """Proving what is written reads back must compare moments, not wall clocks: Python
    says two datetimes of a repeated or skipped hour in different zones are never equal."""
    source = tmp_path / "journal.txt"
    source.write_text(
        "[2026-10-25 02:30] the repeated hour\n\n[2026-03-29 02:30] the skipped hour\n"
    )
    result = run_cli(journal_home, "import", str(source), "--format", "jrnl")
    assert result.returncode == 0, result.stderr
    assert "Imported 2 entries" in result.stderr


@pytest.mark.parametrize("case", UNREADABLE_IMPORTS)
def test_an_import_the_journal_could_not_read_back_changes_nothing(
    case: str, journal_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "import.json"
    source.write_text(UNREADABLE_IMPORTS[case])
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1, result.stderr
    assert "nothing was imported" in result.stderr and GENERIC not in result.stderr
    assert folder_snapshot(journal_home) == {}


def test_an_export_imports_back_even_with_a_zone_this_system_does_not_know(
    journal_home: Path, tmp_path: Path
) -> None:
    plant_entry(journal_home, tz="Mars/Olympus_Mons")
    assert (
        run_cli(journal_home, "today", "--date", "2026-03-01", stdin="Earth page.").returncode == 0
    )
    exported = run_cli(journal_home, "export")
    assert exported.returncode == 0, exported.stderr
    source = tmp_path / "export.json"
    source.write_text(exported.stdout)
    other = tmp_path / "elsewhere"
    imported = run_cli(other, "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 entries" in imported.stderr and "Mars/Olympus_Mons" in imported.stderr
    assert json.loads(run_cli(other, "export").stdout) == json.loads(exported.stdout)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(nested_json(100_000), id="JSON nested 100,000 deep"),
        pytest.param(
            import_document(entry_item(1, mood=0)).replace('"mood": 0', '"mood": ' + "9" * 5000),
            id="a 5,000-digit mood",
        ),
        pytest.param("[0001-01-01 10:00] the start of time\n", id="jrnl with year 0001"),
    ],
)
def test_a_hostile_import_is_one_sentence_not_a_crash(
    text: str, journal_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "import.txt"
    source.write_text(text)
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1 and GENERIC not in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert folder_snapshot(journal_home) == {}
