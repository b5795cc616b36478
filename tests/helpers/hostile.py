"""Hostile values: the edges of calendars, clocks, zones and sizes, as Hypothesis
strategies, and the files and imports built from them."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers.campaigns import sized
from helpers.documents import ZONE
from layers_journal.cli import app
from layers_journal.days import wall_clock_day
from layers_journal.folder.entries import Entry, check_entry
from layers_journal.formats.exchange import (
    export_document,
    markdown_entry,
    read_document,
)
from layers_journal.index import Query, memory_index, utc_text

GENERIC = "Something unexpected"

FEW = settings(
    max_examples=sized(12, 400),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

MANY = settings(max_examples=sized(300, 3000), deadline=None)


class Raw(str):
    """A TOML literal written as it is (a date, a number), not as a string."""


EDGE_DAYS = [
    date(1, 1, 1),
    date(1, 1, 2),
    date(999, 12, 31),
    date(1000, 1, 1),
    date(1899, 12, 31),
    date(1900, 1, 1),
    date(2026, 3, 29),  # Berlin's clocks skip 02:00 to 03:00
    date(2026, 10, 25),  # and repeat 02:00 to 03:00
    date(9998, 12, 31),
    date(9999, 12, 31),
]

days = st.sampled_from(EDGE_DAYS) | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))

clock_times = (
    st.sampled_from(
        [time(0, 0), time(0, 30), time(2, 30), time(3, 59), time(23, 30), time(23, 59, 59)]
    )
    | st.times()
)

offsets = st.sampled_from(
    [0, 60, -60, 14 * 60, -12 * 60, 23 * 60 + 59, -(23 * 60 + 59)]
) | st.integers(-(23 * 60 + 59), 23 * 60 + 59)

# Zone strings of every shape: real ones, our fixed-offset names in and out of range,
# letters where digits go, paths, empty, endless, control characters.
zone_names = st.sampled_from(
    [
        ZONE,
        "UTC",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
        "America/St_Johns",
        "UTC+05:30",
        "UTC-23:59",
        "UTC+24:00",
        "UTC+99:99",
        "UTC+ab:cd",
        "UTC+5:30",
        "UTC+05:30:15",
        "Mars/Olympus_Mons",
        "../../etc/passwd",
        "/etc/localtime",
        "",
        " ",
        "Europe/Berlin\n",
        "\x1b[2J",
        "x" * 300,
    ]
) | st.text(max_size=20)


def offset_text(minutes: int, seconds: int = 0) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}" + (f":{seconds:02d}" if seconds else "")


@st.composite
def instants(draw: st.DrawFn) -> str:
    """An ISO instant as text: any day and time, an offset (now and then with seconds,
    or none at all)."""
    day, moment = draw(days), draw(clock_times)
    stamp = f"{day.year:04d}-{day.month:02d}-{day.day:02d}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    tail = draw(st.sampled_from(["offset", "offset", "offset", "Z", "none", "seconds", "fraction"]))
    if tail == "Z":
        return stamp + "Z"
    if tail == "none":
        return stamp
    if tail == "fraction":
        return stamp + ".5" + offset_text(draw(offsets))
    return stamp + offset_text(draw(offsets), 15 if tail == "seconds" else 0)


def iso_day(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


ids = st.sampled_from(
    [
        "2026-03-02-090000-abc123",
        "2026-03-02-090000-abc123\n",
        "٢٠٢٦-03-02-090000-abc123",
        "0001-01-01-003000-early1",
        "9999-12-31-233000-late01",
        "2026-03-02-090000-ABC123",
        "../2026-03-02-090000",
        "",
    ]
) | st.text(max_size=30)

texts = st.text(max_size=60) | st.sampled_from(["x\ud800y", "\x1b[2J\x1b]0;t\x07", "\r\n", ""])

# A number of 5,000 digits: TOML and JSON allow it, Python will not turn it into an int.
HUGE = Raw("9" * 5000)

numbers = st.integers() | st.sampled_from([0, 1, 5, 6, -1, HUGE]) | st.booleans() | st.floats()


def any_of(*kinds: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(*kinds, texts, numbers, st.lists(texts, max_size=3), st.none())


# Each field, mostly well typed and often hostile, sometimes of the wrong kind.
FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": any_of(ids),
    "created": any_of(instants()),
    "day": any_of(days.map(iso_day)),
    "tz": any_of(zone_names),
    "theme": any_of(st.sampled_from(["awareness", "connection", "compassion", "courage"])),
    "prompt_id": any_of(st.sampled_from(["awareness-001", "x" * 500])),
    "prompt": any_of(texts),
    "mood": any_of(st.integers(-2, 8)),
    "tags": any_of(
        st.lists(st.sampled_from(["work", "Work", "a b", "", "x\ud800", "\x1b[31m"]), max_size=3)
    ),
}

PLAUSIBLE_ID = "2026-03-02-090000-abc123"


@st.composite
def entry_fields(draw: st.DrawFn) -> dict[str, Any]:
    """Values for an entry's fields: a few fields hostile, the rest plausible."""
    plausible = {
        "id": PLAUSIBLE_ID,
        "created": "2026-03-02T09:00:00+01:00",
        "day": "2026-03-02",
        "tz": ZONE,
        "theme": "awareness",
        "mood": 3,
        "tags": ["work"],
    }
    hostile = draw(st.sets(st.sampled_from(sorted(FIELD_VALUES)), min_size=1, max_size=3))
    fields = dict(plausible)
    for name in hostile:
        fields[name] = draw(FIELD_VALUES[name])
    return {name: value for name, value in fields.items() if value is not None}


def toml_value(name: str, value: Any) -> str:
    """A field as an entry file holds it: dates as TOML dates when they look like one."""
    if isinstance(value, Raw):
        return str(value)
    if (
        isinstance(value, str)
        and name in ("created", "day", "start", "end")
        and value[:1].isdigit()
    ):
        return value  # a bare TOML date or datetime, valid or not
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value("", item) for item in value) + "]"
    # A TOML basic string; JSON's escapes are TOML's, a lone surrogate's included
    # (which TOML refuses, as it should).
    return json.dumps(value)


def entry_file(fields: dict[str, Any], body: str) -> str:
    lines = "".join(f"{name} = {toml_value(name, value)}\n" for name, value in fields.items())
    return f"+++\n{lines}+++\n\n{body}\n"


def every_use(entry: Entry) -> None:
    """Everything the journal does with a readable entry, which must never fail."""
    entry.created_local.isoformat()
    utc_text(entry.created)
    wall_clock_day(entry.created_local, time(4))
    markdown_entry(entry)
    index = memory_index(Path("/nonexistent"), day_start=time(4))
    index.fill([(entry, f"entries/{entry.id[:4]}/{entry.id[5:7]}/{entry.id}.md")])
    assert [found.id for found in index.search.query(Query())] == [entry.id]
    index.practice.day_counts()
    index.close()
    # An export of it always imports back, to the same document.
    document = export_document([entry], [])
    again = read_document(document, "export.json").entries
    assert export_document(again, []) == document
    # What the journal can read, it can write (recovery and imports write it again).
    if entry.created.microsecond == 0:
        check_entry(entry)


@contextlib.contextmanager
def fresh_home() -> Iterator[Path]:
    """A journal home of its own for one example (hypothesis runs many per test)."""
    saved = {name: os.environ.get(name) for name in ("LAYERS_JOURNAL_HOME", "TZ")}
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        os.environ["LAYERS_JOURNAL_HOME"] = str(home)
        os.environ["TZ"] = ZONE
        try:
            yield home
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def journal_files(home: Path) -> dict[str, bytes]:
    folder = home / "data"
    return (
        {
            str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
        if folder.exists()
        else {}
    )


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


def imports_fully_or_not_at_all(home: Path, source: Path, expected: int | None) -> None:
    run("today", "--date", "2026-01-01", stdin="Already here.")
    before = journal_files(home)
    result = run("import", str(source))
    assert GENERIC not in result.stderr, result.stderr
    if result.exit_code != 0:
        assert result.exit_code in (1, 2)
        assert journal_files(home) == before, result.stderr  # nothing changed
        return
    listed = run("history", "--json")
    assert listed.exit_code == 0 and "Skipped" not in listed.stderr, listed.stderr
    entries = json.loads(listed.stdout)["entries"]
    if expected is not None:
        assert len(entries) == expected + 1  # every one of them, readable
