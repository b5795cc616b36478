"""`journal import --format dayone`: Day One's .zip or JSON, checked whole, read safely."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files
from helpers.folder import snapshot
from helpers.hostile import GENERIC

FIXTURES = Path(__file__).parent / "fixtures" / "dayone"


def build_zip(target: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


@pytest.fixture
def export_zip(tmp_path: Path) -> Path:
    """Day One's archive: a JSON file per journal, photos in a folder beside them."""
    return build_zip(
        tmp_path / "Export.zip",
        {
            "Journal.json": (FIXTURES / "Journal.json").read_bytes(),
            "Travel.json": (FIXTURES / "Travel.json").read_bytes(),
            "photos/0d3c7a5c1c9e0f8a1b2c3d4e5f607182.jpeg": b"\xff\xd8\xff not really a photo",
        },
    )


def exported(home: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run_cli(home, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return {entry["text"].split("\n")[0]: entry for entry in json.loads(result.stdout)["entries"]}


def test_the_archive_imports_with_days_tags_and_text(journal_home: Path, export_zip: Path) -> None:
    result = run_cli(journal_home, "import", str(export_zip), "--format", "dayone")
    assert result.returncode == 0, result.stderr
    assert "Imported 13 entries from Day One." in result.stderr
    assert "Stay in the Day One export: 2 photos; the text marks where each one was ([photo])." in (
        result.stderr
    )
    assert "1 entry had no time zone and was read as Europe/Berlin" in result.stderr
    entries = exported(journal_home)
    morning = entries["# Morning pages"]
    assert morning["text"] == (
        "# Morning pages\n\n[photo]\n\nSlept badly. Shoulders tight - noticed it before the coffee!\n"
        "Then a slow walk (twenty minutes).\n\nPlace: Café Luna, Berlin, Germany\n"
        "Weather: Mostly Cloudy, 6 °C"
    )
    assert morning["tags"] == ["morning-pages", "walk", "starred", "Journal"]
    assert (morning["day"], morning["created"], morning["tz"]) == (
        "2024-03-12",
        "2024-03-12T08:15:00+01:00",
        "Europe/Berlin",
    )
    assert all(entry["theme"] is None and entry["prompt"] is None for entry in entries.values())
    days = {first.split(".")[0]: entry["day"] for first, entry in entries.items()}
    # 01:30 local stays on the date Day One showed, though the journal day starts at 04:00.
    assert days["Awake at half past one"] == "2024-03-14"
    assert entries["Awake at half past one. The house is quiet; my chest less so."]["tags"] == [
        "night",
        "Journal",
    ]
    # Across the spring change: 01:30 CET and 03:30 CEST are 31 March, as on the clock.
    assert days["Clocks go forward tonight"] == "2024-03-31"
    assert entries["An hour later by the sun, 03:30 by the clock, after the change."][
        "created"
    ] == ("2024-03-31T03:30:00+02:00")
    assert days["An hour later by the sun, 03:30 by the clock, after the change"] == "2024-03-31"
    assert days["04:30, and a new journal day has begun"] == "2024-03-31"
    # Across the autumn change 02:30 happens twice; both are on 27 October.
    first, second = (
        entries["02:30 summer time, the first time round."],
        entries["02:30 winter time, the second time round."],
    )
    assert (first["created"], second["created"]) == (
        "2024-10-27T02:30:00+02:00",
        "2024-10-27T02:30:00+01:00",
    )
    assert first["day"] == second["day"] == "2024-10-27" and first["id"] != second["id"]
    # Two entries in the same second are two entries.
    same = [e for text, e in entries.items() if text.startswith("Two thoughts")]
    assert len(same) == 2 and same[0]["created"] == same[1]["created"]
    sister = entries["Visiting my sister. 11 pm here, and still talking."]
    assert (sister["day"], sister["tz"]) == ("2024-04-01", "America/New_York")
    assert sister["text"].endswith("Place: Brooklyn, NY, United States")
    assert entries["[photo]"]["text"] == "[photo]"
    # The journal's name is a tag already there, in other letters.
    assert entries["Lisbon. The light on the river made me breathe out."]["tags"] == ["travel"]


def test_importing_twice_adds_nothing(journal_home: Path, export_zip: Path) -> None:
    assert run_cli(journal_home, "import", str(export_zip)).returncode == 0  # found by itself
    files = entry_files(journal_home)
    again = run_cli(journal_home, "import", str(export_zip), "--format", "dayone")
    assert again.returncode == 0, again.stderr
    assert again.stderr == "Nothing new from Day One: the 13 entries are already in the journal.\n"
    assert entry_files(journal_home) == files
    # The JSON file alone gives the same ids as the archive did.
    alone = run_cli(journal_home, "import", str(FIXTURES / "Journal.json"))
    assert "Nothing new" in alone.stderr and entry_files(journal_home) == files


def test_a_malformed_file_changes_nothing_and_names_the_entry(journal_home: Path) -> None:
    result = run_cli(journal_home, "import", str(FIXTURES / "malformed.json"), "--format", "dayone")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Day One entry 3 of malformed.json (81F0F3CA693F484792F76359E9E2ACE8): its creationDate "
        "is missing or not like 2024-03-31T00:30:00Z; nothing was imported."
    )
    assert entry_files(journal_home) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"uuid": None}, "its uuid is missing"),
        ({"timeZone": "Mars/Olympus"}, "its timeZone 'Mars/Olympus' is not one this system knows"),
        ({"tags": "walk"}, "its tags are not a list of text"),
        ({"starred": "yes"}, "its starred is not true or false"),
        ({"text": 42}, "its text is not text"),
        ({"location": "Berlin"}, "its location is not an object"),
    ],
)
def test_each_field_is_checked(
    journal_home: Path, tmp_path: Path, change: dict, reason: str
) -> None:  # type: ignore[type-arg]
    document = json.loads((FIXTURES / "Journal.json").read_text())
    document["entries"][1].update(change)
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps(document))
    result = run_cli(journal_home, "import", str(source), "--format", "dayone")
    assert result.returncode == 1 and reason in result.stderr, result.stderr
    assert "Day One entry 2 of Journal.json" in result.stderr
    assert entry_files(journal_home) == []


def test_a_malformed_journal_inside_the_archive_changes_nothing(
    journal_home: Path, tmp_path: Path
) -> None:
    archive = build_zip(
        tmp_path / "Export.zip",
        {
            "Travel.json": (FIXTURES / "Travel.json").read_bytes(),
            "Journal.json": (FIXTURES / "malformed.json").read_bytes(),
        },
    )
    result = run_cli(journal_home, "import", str(archive))
    assert result.returncode == 1 and "Day One entry 3 of Journal.json" in result.stderr
    assert entry_files(journal_home) == []


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({"../outside.json": b"{}"}, "names a file outside itself"),
        ({"/etc/journal.json": b"{}"}, "names a file outside itself"),
        ({"photos/a.jpeg": b"x"}, "holds no Day One JSON file"),
        ({"Journal.json": b"{not json"}, "Journal.json is not valid JSON"),
        ({"Journal.json": b'{"entries": []}'}, "is not a Day One export"),
        ({"Journal.json": b"\xff\xfe"}, "is not UTF-8 text"),
    ],
)
def test_unsafe_or_strange_archives_are_refused(
    journal_home: Path, tmp_path: Path, members: dict[str, bytes], words: str
) -> None:
    archive = build_zip(tmp_path / "Export.zip", members)
    result = run_cli(journal_home, "import", str(archive), "--format", "dayone")
    assert result.returncode == 1 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert entry_files(journal_home) == []
    assert not (tmp_path / "outside.json").exists()


def test_a_zip_bomb_is_refused_before_it_unpacks(journal_home: Path, tmp_path: Path) -> None:
    archive = tmp_path / "Export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("Journal.json", b'{"metadata": {}, "entries": [' + b" " * 40_000_000 + b"]}")
    assert archive.stat().st_size < 200_000
    result = run_cli(journal_home, "import", str(archive))
    assert result.returncode == 1
    assert "would unpack to far more than it holds (a zip bomb" in result.stderr
    assert entry_files(journal_home) == []


def test_json_files_together_larger_than_the_limit_are_refused(
    journal_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layers_journal.formats import dayone_files

    monkeypatch.setattr(dayone_files, "MAX_JSON_BYTES", 1000)
    archive = build_zip(
        tmp_path / "Export.zip", {"Journal.json": (FIXTURES / "Journal.json").read_bytes()}
    )
    result = run_cli(journal_home, "import", str(archive))
    assert result.returncode == 1 and "more than this journal reads" in result.stderr
    assert entry_files(journal_home) == []


def test_text_cleaning_keeps_a_typed_backslash() -> None:
    from layers_journal.formats.dayone_entries import Tally, clean_text

    tally = Tally()
    text = clean_text(
        "A\\\\\\. path \\- C:\\\\Users\u200b\n\n\n\n![](dayone-moment:/video/ABC)done",
        "here",
        tally,
    )
    assert (text, tally.media) == ("A\\. path - C:\\Users\n\n[video]done", {"video": 1})


# --- promises kept under pressure -------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        {"creationDate": "9999-12-31T23:30:00Z", "timeZone": "Pacific/Kiritimati"},
        {"creationDate": "0001-01-01T00:10:00Z", "timeZone": "America/New_York"},
        {"creationDate": "2026-03-02T09:00:00Z", "text": "x\ud800y"},
    ],
    ids=["past 9999", "before the calendar", "a lone surrogate"],
)
def test_a_day_one_import_with_values_the_journal_cannot_keep_changes_nothing(
    item: dict[str, str], journal_home: Path, tmp_path: Path
) -> None:
    """The Day One importer, like the others: checked whole before anything is written."""
    good = {"uuid": "A1", "creationDate": "2026-03-01T09:00:00Z", "text": "a good page"}
    document = {"metadata": {"version": "1.0"}, "entries": [good, {"uuid": "B2", **item}]}
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps(document))
    result = run_cli(journal_home, "import", str(source), "--format", "dayone")
    assert result.returncode == 1 and GENERIC not in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert snapshot(journal_home) == {}
