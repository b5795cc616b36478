"""Day One entries arrive as Day One showed them: on their date, with their media named,
their place and weather, their journal, their links, and a summary of what stayed behind.

The exports are built here in the shape Day One 2024 writes (one JSON file per journal in
the .zip, media in photos/, videos/ and audios/ beside them, `isAllDay` entries stored at
local midnight in UTC, `dayone2://view?entryId=` links), and a Day One Classic folder
(`Journal.dayone/entries/<UUID>.doentry` property lists, `photos/<UUID>.jpg`).
"""

from __future__ import annotations

import json
import plistlib
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files

ALL_DAY = "1A1A1A1A1A1A4A1A8A1A1A1A1A1A1A1A"
NEW_YEAR = "2B2B2B2B2B2B4B2B8B2B2B2B2B2B2B2B"
MEDIA = "3C3C3C3C3C3C4C3C8C3C3C3C3C3C3C3C"
WALK = "4D4D4D4D4D4D4D4D8D4D4D4D4D4D4D4D"
LINKING = "5E5E5E5E5E5E4E5E8E5E5E5E5E5E5E5E"
FUTURE = "6F6F6F6F6F6F4F6F8F6F6F6F6F6F6F6F"
TRAVEL = "7A7A7A7A7A7A4A7A8A7A7A7A7A7A7A7A"
MISSING = "DEADDEADDEADDEADDEADDEADDEADDEAD"


def entry(uuid: str, created: str, text: str, **more: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "creationDate": created,
        "modifiedDate": created,
        "timeZone": "Europe/Berlin",
        "starred": False,
        "duration": 0,
        "creationDevice": "iPhone",
        "text": text,
        **more,
    }


def export_2024() -> dict[str, list[dict[str, Any]]]:
    """Two journals, as Day One 2024 exports them."""
    journal = [
        # An all-day entry: Day One keeps it at local midnight (22:00 UTC in summer).
        entry(ALL_DAY, "2024-06-14T22:00:00Z", "Sophie's birthday, the whole day.", isAllDay=True),
        # One minute into the new year in Berlin is 23:01 UTC in the old one.
        entry(NEW_YEAR, "2024-12-31T23:01:00Z", "A new year, quietly."),
        # Only a video and a recording, as the iOS app writes them.
        entry(
            MEDIA,
            "2024-06-20T18:00:00Z",
            "![](dayone-moment:/video/AAAA0001)\n\n![](dayone-moment:/audio/BBBB0002)",
            videos=[{"identifier": "AAAA0001", "md5": "a" * 32, "type": "mov", "duration": 9.5}],
            audios=[{"identifier": "BBBB0002", "md5": "b" * 32, "format": "m4a", "duration": 41}],
        ),
        entry(
            WALK,
            "2024-06-21T07:30:00Z",
            "A long walk before work.",
            location={
                "placeName": "Tempelhofer Feld",
                "localityName": "Berlin",
                "country": "Germany",
                "latitude": 52.4731,
                "longitude": 13.4039,
            },
            weather={
                "conditionsDescription": "Partly Cloudy",
                "temperatureCelsius": 17.6,
                "relativeHumidity": 60,
                "weatherCode": "partly-cloudy",
            },
            userActivity={"activityName": "Walking", "stepCount": 5230},
            music={"artist": "Nils Frahm", "track": "Says"},
            isPinned=True,
            # A photo the text does not show.
            photos=[{"identifier": "CCCC0003", "md5": "c" * 32, "type": "jpeg"}],
        ),
        entry(
            LINKING,
            "2024-06-22T08:00:00Z",
            f"Still thinking of [the walk](dayone2://view?entryId={WALK}) and of "
            f"[something older](dayone2://view?entryId={MISSING}).",
        ),
        entry(FUTURE, "2031-05-01T08:00:00Z", "A letter to myself, for later."),
    ]
    travel = [entry(TRAVEL, "2024-06-23T10:00:00Z", "Lisbon at last.", tags=["City Trip"])]
    return {"Journal": journal, "Travel": travel}


def write_export(target: Path, journals: dict[str, list[dict[str, Any]]]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, items in journals.items():
            document = {"metadata": {"version": "1.0"}, "entries": items}
            archive.writestr(f"{name}.json", json.dumps(document, indent=2))
        archive.writestr(f"videos/{'a' * 32}.mov", b"not really a film")
        archive.writestr(f"audios/{'b' * 32}.m4a", b"not really a recording")
        archive.writestr(f"photos/{'c' * 32}.jpeg", b"not really a photo")
    return target


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "Export.zip", export_2024())


def imported(home: Path) -> dict[str, dict[str, Any]]:
    """The journal's entries by the uuid-derived id's end is not known here: by text."""
    result = run_cli(home, "export")
    assert result.returncode == 0, result.stderr
    return {e["text"].split("\n")[0]: e for e in json.loads(result.stdout)["entries"]}


def test_an_all_day_entry_keeps_its_date(journal_home: Path, export: Path) -> None:
    assert run_cli(journal_home, "import", str(export)).returncode == 0
    birthday = imported(journal_home)["Sophie's birthday, the whole day."]
    assert birthday["day"] == "2024-06-15"
    assert birthday["created"] == "2024-06-15T00:00:00+02:00"


def test_a_new_years_entry_stays_in_the_new_year_and_counts_there(
    journal_home: Path, export: Path
) -> None:
    result = run_cli(journal_home, "import", str(export))
    assert "Came along on their date: 1 all-day entry, at midnight." in result.stderr
    new_year = imported(journal_home)["A new year, quietly."]
    assert (new_year["day"], new_year["created"]) == ("2025-01-01", "2025-01-01T00:01:00+01:00")
    report = json.loads(run_cli(journal_home, "layers", "--json", "--as-of", "2025-01-01").stdout)
    assert report["presence"]["streak"] >= 1  # written on 1 January, as Day One showed it
    shown = json.loads(
        run_cli(
            journal_home, "history", "--json", "--since", "2025-01-01", "--until", "2025-01-01"
        ).stdout
    )["entries"]
    assert [e["text"] for e in shown] == ["A new year, quietly."]


def test_videos_and_recordings_are_named_for_what_they_are(
    journal_home: Path, export: Path
) -> None:
    result = run_cli(journal_home, "import", str(export))
    entries = imported(journal_home)
    assert entries["[video]"]["text"] == "[video]\n\n[audio recording]"
    assert (
        "Stay in the Day One export: 1 photo, 1 video and 1 audio recording; the text marks "
        "where each one was ([photo], [video], [audio recording]), or at its end for the 1 it "
        "did not show."
    ) in " ".join(result.stderr.split())
    assert "photo link" not in result.stderr


def test_place_weather_and_journal_come_along_and_the_rest_is_named(
    journal_home: Path, export: Path
) -> None:
    result = run_cli(journal_home, "import", str(export))
    said = " ".join(result.stderr.split())
    walk = imported(journal_home)["A long walk before work."]
    assert walk["text"] == (
        "A long walk before work.\n\n[photo]\nPlace: Tempelhofer Feld, Berlin, Germany\n"
        "Weather: Partly Cloudy, 18 °C"
    )
    assert walk["tags"] == ["Journal"]
    assert "the place of 1 entry and the weather of 1" in said
    assert (
        "Left out: the coordinates of 1 entry, the steps and activity of 1, the music of 1 "
        "and the pinned mark of 1."
    ) in said


def test_two_journals_stay_apart_by_their_names(journal_home: Path, export: Path) -> None:
    result = run_cli(journal_home, "import", str(export))
    said = " ".join(result.stderr.split())
    assert "Came along: 7 entries from 2 Day One journals (6 from Journal, 1 from Travel)" in said
    entries = imported(journal_home)
    assert entries["Lisbon at last."]["tags"] == ["City-Trip", "Travel"]
    assert entries["A new year, quietly."]["tags"] == ["Journal"]
    tagged = run_cli(journal_home, "history", "--json", "--search", "tag:Travel").stdout
    assert [e["text"] for e in json.loads(tagged)["entries"]] == ["Lisbon at last."]


def test_without_journal_tags_the_names_stay_out(journal_home: Path, export: Path) -> None:
    result = run_cli(journal_home, "import", str(export), "--no-journal-tag")
    assert result.returncode == 0, result.stderr
    assert imported(journal_home)["Lisbon at last."]["tags"] == ["City-Trip"]
    assert "each tagged" not in result.stderr


def test_links_between_entries_point_at_the_imported_entry(
    journal_home: Path, export: Path
) -> None:
    result = run_cli(journal_home, "import", str(export))
    said = " ".join(result.stderr.split())
    entries = imported(journal_home)
    walk = entries["A long walk before work."]
    linking = next(e for text, e in entries.items() if text.startswith("Still thinking"))
    target = f"../../2024/06/{walk['id']}.md"
    assert linking["text"] == (
        f"Still thinking of [the walk]({target}) and of "
        f"[something older](dayone2://view?entryId={MISSING})."
    )
    linking_file = next(p for p in entry_files(journal_home) if p.stem == linking["id"])
    assert (linking_file.parent / target).resolve().is_file()  # the link really leads there
    assert "Came along as links to the imported entry: 1 link between Day One entries." in said
    assert "Stay dayone2:// links: 1 link to Day One entries not in this export." in said


def test_future_entries_wait_and_a_second_import_says_only_that_it_added_nothing(
    journal_home: Path, export: Path
) -> None:
    first = run_cli(journal_home, "import", str(export))
    assert "1 entry is dated after today; it waits until its day comes." in first.stderr
    assert imported(journal_home)["A letter to myself, for later."]["day"] == "2031-05-01"
    again = run_cli(journal_home, "import", str(export))
    assert again.returncode == 0
    assert again.stderr == "Nothing new from Day One: the 7 entries are already in the journal.\n"


# --- Day One Classic ---------------------------------------------------------------


def write_classic(folder: Path) -> Path:
    """A Journal.dayone folder as Day One Classic (and jrnl) write it."""
    (folder / "entries").mkdir(parents=True)
    (folder / "photos").mkdir()
    entries = [
        {
            "Creation Date": datetime(2013, 5, 17, 18, 39, 20, tzinfo=UTC).replace(tzinfo=None),
            "Entry Text": "This entry has tags! #garden",
            "Starred": False,
            "Tags": ["work", "PLaY"],
            "Time Zone": "America/Los_Angeles",
            "UUID": "044F3747A38546168B572C2E3F217FA2",
            "Creator": {"Device Agent": "Macintosh/MacBookAir5,2", "Host Name": "Egeria"},
        },
        {
            "Creation Date": datetime(2013, 6, 1, 22, 30),  # 00:30 in Berlin on 2 June
            "Entry Text": "Late, and a photo of the moon.",
            "Starred": True,
            "Time Zone": "Europe/Berlin",
            "UUID": "0BDDD6CDA43C4A9AA2681517CC35AD9D",
            "Location": {
                "Place Name": "Balcony",
                "Locality": "Berlin",
                "Country": "Germany",
                "Latitude": 52.5,
                "Longitude": 13.4,
            },
            "Weather": {"Celsius": "12", "Description": "Clear", "Fahrenheit": "54"},
        },
    ]
    for item in entries:
        path = folder / "entries" / f"{item['UUID']}.doentry"
        path.write_bytes(plistlib.dumps(item, fmt=plistlib.FMT_XML))
    (folder / "photos" / "0BDDD6CDA43C4A9AA2681517CC35AD9D.jpg").write_bytes(b"moon")
    return folder


@pytest.mark.parametrize("fmt", ["dayone", "auto"])
def test_a_day_one_classic_folder_is_read(journal_home: Path, tmp_path: Path, fmt: str) -> None:
    folder = write_classic(tmp_path / "Journal.dayone")
    result = run_cli(journal_home, "import", str(folder), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "Imported 2 entries from Day One." in result.stderr
    entries = imported(journal_home)
    tagged = entries["This entry has tags! #garden"]
    assert (tagged["created"], tagged["day"], tagged["tz"]) == (
        "2013-05-17T11:39:20-07:00",
        "2013-05-17",
        "America/Los_Angeles",
    )
    assert tagged["tags"] == ["work", "PLaY", "Journal"]
    moon = entries["Late, and a photo of the moon."]
    assert moon["day"] == "2013-06-02" and moon["tags"] == ["starred", "Journal"]
    assert moon["text"] == (
        "Late, and a photo of the moon.\n\n[photo]\nPlace: Balcony, Berlin, Germany\n"
        "Weather: Clear, 12 °C"
    )
    again = run_cli(journal_home, "import", str(folder), "--format", fmt)
    assert again.stderr.startswith("Nothing new from Day One")


def test_a_damaged_classic_entry_imports_nothing_and_is_named(
    journal_home: Path, tmp_path: Path
) -> None:
    folder = write_classic(tmp_path / "Journal.dayone")
    (folder / "entries" / "FFFF.doentry").write_text("<plist><dict><key>oops")
    result = run_cli(journal_home, "import", str(folder), "--format", "dayone")
    assert result.returncode == 1
    assert result.stderr == (
        "Day One Classic entry FFFF.doentry: it is not a readable property list; "
        "nothing was imported.\n"
    )
    assert entry_files(journal_home) == []


def test_a_folder_that_is_not_day_one_is_told_apart(journal_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    result = run_cli(journal_home, "import", str(folder), "--format", "dayone")
    assert result.returncode == 1
    assert "without Day One Classic entries" in result.stderr and "no such" not in result.stderr
    auto = run_cli(journal_home, "import", str(folder))
    assert auto.returncode == 2 and "--format markdown" in auto.stderr
