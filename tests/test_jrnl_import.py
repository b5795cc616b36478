"""Coming from jrnl: its plain-text journal and its JSON export, as jrnl 4.6 wrote them.

The fixtures in tests/fixtures/jrnl/ were made by jrnl 4.6 itself (see make_fixtures.sh).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.cli import run_cli
from helpers.documents import ZONE, entry_files
from helpers.hostile import (
    FEW,
    MANY,
    clock_times,
    days,
    every_use,
    fresh_home,
    imports_fully_or_not_at_all,
    iso_day,
    texts,
)
from layers_journal.errors import ImportFormatError
from layers_journal.folder.entries import check_entry
from layers_journal.formats.exchange import (
    read_import,
)
from layers_journal.formats.loose_dates import read_loose_date

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
    # jrnl shows it on 9 January, so it stays there (and counts as written that day).
    assert late["created"].startswith("2025-01-09T00:05") and late["day"] == "2025-01-09"


def test_importing_the_same_jrnl_journal_twice_adds_nothing(journal_home: Path) -> None:
    run_cli(journal_home, "import", str(FIXTURES / "default-timeformat.txt"))
    again = run_cli(journal_home, "import", str(FIXTURES / "default-timeformat.txt"))
    assert again.stderr == "Nothing new: the 18 entries are already in the journal.\n"
    assert len(entry_files(journal_home)) == 18


def test_jrnl_entries_have_no_layer_but_count_as_presence(journal_home: Path) -> None:
    run_cli(journal_home, "import", str(FIXTURES / "short-timeformat.txt"))
    report = json.loads(run_cli(journal_home, "layers", "--json", "--as-of", "2025-02-05").stdout)
    # Six entries on five dates; 00:30 on 4 February stays on the 4th, as jrnl shows it,
    # and counts there although the journal day (from 04:00) would be the 3rd.
    assert (report["presence"]["entries"], report["presence"]["active_days"]) == (6, 5)
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


# --- headers as jrnl reads them, order, and older jrnl files --------------------------


def test_every_header_jrnl_reads_is_an_entry(journal_home: Path, tmp_path: Path) -> None:
    """jrnl reads a header with its time format and, failing that, as a date typed by
    hand; a bracket it would not read as a date ([1] , [Note] ) stays text."""
    journal = tmp_path / "journal.txt"
    journal.write_text(
        "[2025-01-05 09:30:00 AM] Written by jrnl.\n"
        "See [1] below, and:\n"
        "[Note] a bracket at a line's start that is no date.\n"
        "\n"
        "[2025-01-07] Just a date, typed in by hand.\n"
        "\n"
        "[January 8, 2025 9:15 PM] A date written out.\n"
        "[1] a footnote stays with its entry.\n"
    )
    result = run_cli(journal_home, "import", str(journal), "--format", "jrnl")
    assert result.returncode == 0, result.stderr
    assert "Imported 3 entries" in result.stderr
    entries = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    assert [(e["created"][:16], e["day"], e["text"]) for e in entries] == [
        (
            "2025-01-05T09:30",
            "2025-01-05",
            "Written by jrnl.\nSee [1] below, and:\n[Note] a bracket at a line's start that is "
            "no date.",
        ),
        ("2025-01-07T00:00", "2025-01-07", "Just a date, typed in by hand."),
        (
            "2025-01-08T21:15",
            "2025-01-08",
            "A date written out.\n[1] a footnote stays with its entry.",
        ),
    ]


@pytest.mark.parametrize(
    ("header", "line", "why"),
    [
        ("[03/04/2025 10:00] March or April?", 4, "not a full date this importer can read"),
        ("[yesterday 9am] Relative.", 4, "relative to the day it is read"),
    ],
)
def test_a_header_that_cannot_be_read_for_certain_is_named_not_joined(
    journal_home: Path, tmp_path: Path, header: str, line: int, why: str
) -> None:
    journal = tmp_path / "journal.txt"
    journal.write_text(f"[2025-01-05 09:30:00 AM] One.\nBody.\n\n{header}\nIts body.\n")
    result = run_cli(journal_home, "import", str(journal), "--format", "jrnl")
    assert result.returncode == 1
    assert result.stderr.startswith(f"Line {line} starts an entry dated [")
    assert why in result.stderr and "(2025-01-05 09:30:00 AM)" in result.stderr
    assert entry_files(journal_home) == []


def test_a_bracket_left_open_never_swallows_the_next_header(
    journal_home: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "journal.txt"
    journal.write_text(
        "[2025-01-05 09:30:00 AM] One.\n[an aside left open\n[2025-01-06 08:00:00 AM] Two.\n"
    )
    result = run_cli(journal_home, "import", str(journal), "--format", "jrnl")
    assert result.returncode == 0, result.stderr
    entries = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    assert [e["text"] for e in entries] == ["One.\n[an aside left open", "Two."]


def test_a_date_without_the_space_jrnl_needs_is_named(journal_home: Path, tmp_path: Path) -> None:
    journal = tmp_path / "journal.txt"
    journal.write_text("[2025-01-05 09:30:00 AM] One.\n[2025-01-06 08:00:00 AM]\nTwo?\n")
    result = run_cli(journal_home, "import", str(journal), "--format", "jrnl")
    assert result.returncode == 1
    assert result.stderr.startswith("Line 2 is a date in brackets with no space or title")
    assert entry_files(journal_home) == []


SAME_MINUTE = (
    "[2025-01-06 18:00] First of three.\n\n"
    "[2025-01-06 18:00] Second of three.\n\n"
    "[2025-01-06 18:00] Third of three.\n\n"
    "[2025-01-06 18:01] A minute later.\n"
)


def same_minute_json() -> str:
    entries = [
        {
            "title": title,
            "body": "",
            "date": "2025-01-06",
            "time": when,
            "tags": [],
            "starred": False,
        }
        for title, when in (
            ("First of three.", "18:00"),
            ("Second of three.", "18:00"),
            ("Third of three.", "18:00"),
            ("A minute later.", "18:01"),
        )
    ]
    return json.dumps({"tags": {}, "entries": entries}, indent=2)


@pytest.mark.parametrize(("content", "fmt"), [(SAME_MINUTE, "jrnl"), (None, "jrnl-json")])
def test_entries_of_one_minute_keep_the_order_they_had(
    journal_home: Path, tmp_path: Path, content: str | None, fmt: str
) -> None:
    source = tmp_path / "journal.txt"
    source.write_text(content if content is not None else same_minute_json())
    assert run_cli(journal_home, "import", str(source), "--format", fmt).returncode == 0
    order = ["First of three.", "Second of three.", "Third of three.", "A minute later."]
    exported = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    assert [e["text"] for e in exported] == order
    history = json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    assert [e["text"] for e in history] == order[::-1]  # newest first
    markdown = run_cli(journal_home, "export", "--format", "markdown").stdout
    assert [markdown.index(text) for text in order] == sorted(markdown.index(t) for t in order)


def test_a_jrnl_1_journal_is_named_with_the_command_that_converts_it(
    journal_home: Path, tmp_path: Path
) -> None:
    old = tmp_path / "journal.txt"
    old.write_text("2013-04-09 15:39 Started using jrnl.\nIt is nice.\n\n2013-04-10 09:00 Again.\n")
    for fmt in ("jrnl", "auto"):
        result = run_cli(journal_home, "import", str(old), "--format", fmt)
        assert result.returncode == 1
        assert result.stderr.startswith("This is a jrnl 1.x journal (its dates have no [brackets])")
        assert "(run jrnl once)" in result.stderr and "is this a jrnl journal" not in result.stderr
    assert entry_files(journal_home) == []


def test_an_old_encrypted_jrnl_journal_is_named_with_the_command_that_decrypts_it(
    journal_home: Path, tmp_path: Path
) -> None:
    # jrnl 1.x: a 16-byte IV, then AES-CBC blocks; bytes, not text.
    encrypted = tmp_path / "journal.txt"
    encrypted.write_bytes(bytes(range(200, 216)) + bytes((n * 37 + 129) % 256 for n in range(64)))
    for fmt in ("jrnl", "auto"):
        result = run_cli(journal_home, "import", str(encrypted), "--format", fmt)
        assert result.returncode == 1
        assert "encrypted by jrnl 1.x" in result.stderr and "jrnl --decrypt" in result.stderr
        assert "UTF-8" not in result.stderr


@given(st.text(max_size=40))
def test_a_hand_typed_date_is_read_or_declined_never_a_crash(blob: str) -> None:
    reading = read_loose_date(blob)
    assert reading.when is None or reading.problem is None


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9998, 12, 31)),
    st.sampled_from(
        [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %I:%M %p",
            "%d %B %Y %H:%M",
            "%B %d, %Y %I:%M %p",
            "%a, %d %b %Y %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
        ]
    ),
)
def test_a_full_date_written_out_reads_back_to_its_minute(when: datetime, fmt: str) -> None:
    when = when.replace(microsecond=0, second=when.second if "%S" in fmt else 0)
    reading = read_loose_date(when.strftime(fmt))
    assert reading == (when, None)


# --- hostile values: each value refused with a reason or kept whole ---------------


jrnl_dates = st.sampled_from(
    [
        "2026-10-25 02:30",  # an hour Berlin's clocks repeat
        "2026-03-29 02:30",  # an hour they skip
        "0001-01-01 00:00",
        "0999-12-31 23:59",
        "1000-01-01 00:30",
        "1900-01-01 00:30",
        "9998-12-31 23:59",
        "9999-12-31 23:30",
    ]
) | st.builds(
    lambda day, moment: f"{iso_day(day)} {moment.hour:02d}:{moment.minute:02d}", days, clock_times
)


def header_dates(text: str) -> list[str]:
    """The dates of the lines jrnl would take for entry headers."""
    found = []
    for line in text.split("\n"):
        match = re.match(r"\[([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2})\] ", line)
        if match:
            found.append(match.group(1))
    return found


@FEW
@given(
    records=st.lists(
        st.tuples(jrnl_dates, texts.filter(lambda t: "\n[" not in t)), min_size=1, max_size=3
    )
)
def test_a_jrnl_import_of_dates_at_the_calendars_ends_brings_in_everything_or_nothing(
    records: list[tuple[str, str]],
) -> None:
    text = "".join(
        f"[{when}] {title.splitlines()[0] if title.strip() else 'a title'}\n\n"
        for when, title in records
    )
    with fresh_home() as home:
        source = home.parent / "journal.txt"
        source.write_text(text, errors="surrogatepass")  # a lone surrogate: not UTF-8
        imports_fully_or_not_at_all(home, source, None)


@MANY
@given(
    records=st.lists(
        # Text a jrnl file can hold: UTF-8, so no lone surrogate; and no NUL, for which
        # the file is taken for an encrypted jrnl and refused.
        st.tuples(
            jrnl_dates,
            st.text(
                st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=20,
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_jrnl_reader_turns_any_date_into_entries_that_read_back_or_refuses(
    records: list[tuple[str, str]],
) -> None:
    text = "".join(f"[{when}] title {n}\n{body}\n" for n, (when, body) in enumerate(records))
    try:
        imported = read_import(
            text,
            source="fuzz.txt",
            kind="jrnl",
            zone=ZoneInfo(ZONE),
            zone_name=ZONE,
            time_format="%Y-%m-%d %H:%M",
        )
    except ImportFormatError as error:
        assert "nothing was imported" in error.message.lower()
        # Refusing is right only for a date the journal cannot keep (and nothing else
        # can go wrong with these titles), never for an hour a clock change repeats.
        assert not all(1901 <= int(when[:4]) <= 9997 for when in header_dates(text)), error
        return
    for entry in imported.entries:
        check_entry(entry)
        every_use(entry)
