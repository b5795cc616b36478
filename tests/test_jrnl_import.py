"""Coming from jrnl: its plain-text journal and its JSON export, as jrnl 4.6 wrote them.

The fixtures in tests/fixtures/jrnl/ were made by jrnl 4.6 itself (see make_fixtures.sh).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files

FIXTURES = Path(__file__).parent / "fixtures" / "jrnl"


def jrnl_expectations(name: str) -> list[tuple[str, str, set[str]]]:
    """(minute, text, tags) of every entry, from jrnl's own JSON export."""
    document = json.loads((FIXTURES / f"{name}.json").read_text())
    expected = []
    for item in document["entries"]:
        text = item["title"] + ("\n" + item["body"] if item["body"] else "")
        tags = {tag.lstrip("#@").lower() for tag in item["tags"] if tag.lstrip("#@")}
        if item["starred"]:
            tags.add("starred")
        expected.append((f"{item['date']}T{item['time']}", text, tags))
    return sorted(expected)


def imported_entries(home: Path) -> list[tuple[str, str, set[str]]]:
    exported = json.loads(run_cli(home, "export").stdout)["entries"]
    found = []
    for entry in exported:
        assert entry["theme"] is None and entry["prompt"] is None and entry["tz"] == "Europe/Berlin"
        created = datetime.fromisoformat(entry["created"])
        found.append((created.strftime("%Y-%m-%dT%H:%M"), entry["text"], set(entry["tags"])))
    return sorted(found)


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("default-timeformat.txt", "jrnl"),
        ("default-timeformat.txt", "auto"),
        ("default-timeformat.json", "jrnl-json"),
        ("default-timeformat.json", "auto"),
        ("short-timeformat.txt", "jrnl"),
        ("short-timeformat.json", "jrnl-json"),
    ],
)
def test_every_entry_arrives_with_its_text_date_and_tags(
    journal_home: Path, source: str, fmt: str
) -> None:
    result = run_cli(journal_home, "import", str(FIXTURES / source), "--format", fmt)
    assert result.returncode == 0, result.stderr
    expected = jrnl_expectations(source.rsplit(".", 1)[0])
    assert f"Imported {len(expected)} entries" in result.stderr
    assert "times were read as Europe/Berlin" in result.stderr
    assert imported_entries(journal_home) == expected


def test_the_plain_text_keeps_seconds_stars_and_same_minute_entries(journal_home: Path) -> None:
    run_cli(journal_home, "import", str(FIXTURES / "default-timeformat.txt"))
    entries = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    same_minute = [e for e in entries if e["created"].startswith("2025-01-06T18:00")]
    assert len(same_minute) == 3
    assert {e["created"][11:19] for e in same_minute} == {"18:00:00", "18:00:42"}
    released = next(e for e in entries if e["text"].startswith("Released v1.0!"))
    assert "starred" in released["tags"] and not released["text"].split("\n")[0].endswith("*")
    weekly = next(e for e in entries if e["text"].startswith("Weekly review"))
    assert "This line ends with three spaces.   \n" in weekly["text"]
    assert "\n\nThings to improve:\n  - this bullet" in weekly["text"]
    assert set(weekly["tags"]) == {"review", "weekly", "work", "health", "running"}
    late = next(e for e in entries if e["text"].startswith("Über-late night"))
    assert late["created"].startswith("2025-01-09T00:05") and late["day"] == "2025-01-08"


def test_importing_the_same_jrnl_journal_twice_adds_nothing(journal_home: Path) -> None:
    run_cli(journal_home, "import", str(FIXTURES / "default-timeformat.txt"))
    again = run_cli(journal_home, "import", str(FIXTURES / "default-timeformat.txt"))
    assert "Imported 0 entries, skipped 18 already in the journal" in again.stderr
    assert len(entry_files(journal_home)) == 18


def test_jrnl_entries_have_no_layer_but_count_as_presence(journal_home: Path) -> None:
    run_cli(journal_home, "import", str(FIXTURES / "short-timeformat.txt"))
    report = json.loads(run_cli(journal_home, "layers", "--json", "--as-of", "2025-02-05").stdout)
    # Six entries on five dates, but 00:30 on 4 February belongs to the journal day of
    # the 3rd (the day starts at 04:00), which already has two.
    assert (report["presence"]["entries"], report["presence"]["active_days"]) == (6, 4)
    assert all(layer["active_days"] == 0 for layer in report["layers"].values())


def test_a_custom_time_format(journal_home: Path, tmp_path: Path) -> None:
    journal = tmp_path / "custom.txt"
    journal.write_text(
        "[05.01.2025 21:10] Abend. @ruhe\nZweite Zeile.\n\n[06.01.2025 07:00] Morgen *\n"
    )
    refused = run_cli(journal_home, "import", str(journal), "--format", "jrnl")
    assert refused.returncode == 1 and "--time-format" in refused.stderr
    result = run_cli(
        journal_home, "import", str(journal), "--format", "jrnl", "--time-format", "%d.%m.%Y %H:%M"
    )
    assert result.returncode == 0, result.stderr
    entries = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    assert [(e["created"][:16], e["text"], e["tags"]) for e in entries] == [
        ("2025-01-05T21:10", "Abend. @ruhe\nZweite Zeile.", ["ruhe"]),
        ("2025-01-06T07:00", "Morgen", ["starred"]),
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "Some notes before any entry\n[2025-01-05 09:30:00 AM] Title.\n",
            "before the first jrnl entry",
        ),
        ("gAAAAABk-encrypted-looking-data", "looks encrypted"),
        ("plain words, no dates at all\n", "Cannot tell what kind of file"),
        (
            '{"entries": [{"title": "x", "body": "", "date": "2025-13-01", "time": "09:00"}]}',
            "jrnl entry 1",
        ),
    ],
)
def test_malformed_jrnl_input_changes_nothing(
    journal_home: Path, tmp_path: Path, content: str, expected: str
) -> None:
    source = tmp_path / "bad.txt"
    source.write_text(content)
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert entry_files(journal_home) == []
