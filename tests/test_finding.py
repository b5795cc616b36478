"""Finding your way back: search with snippets, counts and a query language; entries by
day and place; lookback; revisit; tags; the trash; output that pipes cleanly."""

from __future__ import annotations

import json
import random
import re
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.cli import cli_env, editor_script, run_cli, run_process
from helpers.documents import ZONE, entry_files
from layers_journal.folder.entries import parse_entry

VOCABULARY = (
    "breath kettle morning walk neighbour rain rainbow garden laughter silence letter stairs "
    "window coffee patience river thunder pillow bicycle market"
).split()
TAGS = ("walk", "Work", "café", "home")
START = date(2025, 1, 1)


def build_document(count: int = 400, seed: int = 5) -> dict:  # type: ignore[type-arg]
    """Entries of eight lines each (so a match is often far below the first lines),
    numbered "Day N." so that "day 1" and "day 10" differ, with tags and prompts."""
    rng = random.Random(seed)
    entries = []
    for n in range(count):
        day = START + timedelta(days=n * 300 // count)
        lines = [f"Day {n}."] + [" ".join(rng.sample(VOCABULARY, 4)) + "." for _ in range(8)]
        if n % 9 == 0:
            lines.insert(rng.randrange(2, 8), "A slow walk by the river.")
        if n % 13 == 0:
            lines.append("Café au lait with Zoë.")
        entries.append(
            {
                "id": f"{day.isoformat()}-{8 + n % 12:02d}{n % 60:02d}00-f{n:05d}",
                "created": f"{day.isoformat()}T{8 + n % 12:02d}:{n % 60:02d}:00+01:00",
                "day": day.isoformat(),
                "tz": ZONE,
                "theme": ("awareness", "connection", "compassion", None)[n % 4],
                "prompt_id": None,
                "prompt": f"What did the {rng.choice(VOCABULARY)} teach you?",
                "mood": None,
                "tags": [tag for tag in TAGS if rng.random() < 0.25],
                "text": "\n".join(lines),
            }
        )
    return {"format": "layers-journal", "version": 1, "entries": entries, "pauses": []}


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    home = tmp_path_factory.mktemp("search") / "home"
    document = build_document()
    write_files(home, document)
    return home, document


# --- the oracle: plain Python over the imported document ----------------------------


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str | None) -> list[str]:
    return re.findall(r"\w+", fold(text or ""))


Entry = dict  # type: ignore[type-arg]
Test = Callable[[Entry], bool]


def has_words(phrase: str, field: str = "text") -> Test:
    wanted = words_of(phrase)

    def test(entry: Entry) -> bool:
        found = words_of(entry[field])
        return any(
            found[i : i + len(wanted)] == wanted for i in range(len(found) - len(wanted) + 1)
        )

    return test


def has_prefix(start: str) -> Test:
    return lambda entry: any(word.startswith(fold(start)) for word in words_of(entry["text"]))


def has_tag(tag: str) -> Test:
    return lambda entry: fold(tag) in [fold(t) for t in entry["tags"]]


def every(*tests: Test) -> Test:
    return lambda entry: all(test(entry) for test in tests)


def either(*tests: Test) -> Test:
    return lambda entry: any(test(entry) for test in tests)


def without(test: Test) -> Test:
    return lambda entry: not test(entry)


QUERIES: list[tuple[str, Test]] = [
    ("rain", has_words("rain")),
    ("rain*", has_prefix("rain")),
    ("RAINBOW", has_words("rainbow")),
    ('"day 1"', has_words("day 1")),
    ('"day 1"*', lambda e: bool(re.match(r"Day 1\d*\.", e["text"]))),
    ('"slow walk"', has_words("slow walk")),
    ("kettle OR river", either(has_words("kettle"), has_words("river"))),
    ("kettle OR river OR silence", either(*(has_words(w) for w in ("kettle", "river", "silence")))),
    ("kettle -river", every(has_words("kettle"), without(has_words("river")))),
    ("kettle NOT river", every(has_words("kettle"), without(has_words("river")))),
    ("-kettle", without(has_words("kettle"))),
    ("tag:walk", has_tag("walk")),
    ("#work", has_tag("work")),
    ("tag:CAFE", has_tag("café")),
    ("tag:wo*", lambda e: any(fold(t).startswith("wo") for t in e["tags"])),
    ("prompt:garden", has_words("garden", "prompt")),
    ('prompt:"the garden"', has_words("the garden", "prompt")),
    ("garden", has_words("garden")),
    ("cafe zoe", every(has_words("café"), has_words("zoë"))),
    (
        "kettle OR river rain*",
        every(either(has_words("kettle"), has_words("river")), has_prefix("rain")),
    ),
    (
        '"slow walk" OR #home -thunder',
        every(either(has_words("slow walk"), has_tag("home")), without(has_words("thunder"))),
    ),
]


def oracle(document: dict, test: Test) -> list[str]:  # type: ignore[type-arg]
    found = [e for e in document["entries"] if test(e)]
    found.sort(key=lambda e: (e["day"], e["created"], e["id"]), reverse=True)
    return [e["id"] for e in found]


def searched(home: Path, *args: str) -> list[str]:
    result = run_cli(home, "history", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [entry["id"] for entry in json.loads(result.stdout)["entries"]]


@pytest.mark.parametrize(("query", "test"), QUERIES, ids=[q for q, _ in QUERIES])
def test_each_kind_of_query_matches_the_oracle(searchable, query: str, test: Test) -> None:  # type: ignore[no-untyped-def]
    home, document = searchable
    expected = oracle(document, test)
    assert expected, "the document should give every query something to find"
    assert len(expected) < len(document["entries"]) or query == "-kettle"
    assert searched(home, "--search", query) == expected


def test_whole_words_by_default_and_prefixes_only_with_a_star(searchable) -> None:  # type: ignore[no-untyped-def]
    home, document = searchable
    day_one = searched(home, "--search", "day 1")
    assert day_one == oracle(document, every(has_words("day"), has_words("1")))
    assert "2025-01-01-080000-f00001" not in searched(home, "--search", '"day 10"')
    assert set(searched(home, "--search", "rain")) < set(searched(home, "--search", "rain*"))


def test_the_prompt_is_searched_only_when_asked(searchable) -> None:  # type: ignore[no-untyped-def]
    home, document = searchable
    only_in_prompt = [
        e["id"]
        for e in document["entries"]
        if has_words("garden", "prompt")(e) and not has_words("garden")(e)
    ]
    assert only_in_prompt
    plain = set(searched(home, "--search", "garden"))
    asked = set(searched(home, "--search", "prompt:garden"))
    assert not plain & set(only_in_prompt) and set(only_in_prompt) <= asked


@pytest.mark.parametrize(
    ("query", "test"),
    [
        ("kettle", has_words("kettle")),
        ("tag:walk", has_tag("walk")),
        ('"slow walk"', has_words("slow walk")),
    ],
)
def test_the_count_line_says_how_many_match(searchable, query: str, test: Test) -> None:  # type: ignore[no-untyped-def]
    home, document = searchable
    total = len(oracle(document, test))
    every_one = run_cli(home, "history", "--search", query)
    assert every_one.stderr.splitlines()[0] == f"{total} entries match"
    some = run_cli(home, "history", "--search", query, "-n", "5")
    assert some.stderr.splitlines()[0] == f"{total} entries match; the newest 5 here"
    unfiltered = run_cli(home, "history", "-n", "2")
    assert unfiltered.stderr.startswith(f"{len(document['entries'])} entries, newest first")


def blocks(screen: str) -> list[str]:
    """The readable history cut into one block per entry."""
    return [block for block in screen.split("\n\n") if block.strip()]


def test_each_result_shows_the_passage_with_the_match(searchable) -> None:  # type: ignore[no-untyped-def]
    home, document = searchable
    for query, word in (("thunder", "thunder"), ('"slow walk"', "slow walk"), ("zoe", "Zoë")):
        screen = run_cli(home, "history", "--search", query, COLUMNS="100").stdout
        found = blocks(screen)
        assert len(found) == len(oracle(document, has_words(word)))
        for block in found:
            _heading, _prompt, *passage = block.split("\n")
            assert word.lower() in " ".join(line.strip() for line in passage).lower(), block
            assert len(passage) <= 4  # a passage, not the entry
        assert "\ue000" not in screen and "\ue001" not in screen


def test_a_match_deep_in_an_entry_is_shown_not_its_first_lines(searchable) -> None:  # type: ignore[no-untyped-def]
    home, _ = searchable
    text = "\n".join(["An ordinary line about nothing much."] * 5 + ["Then a zebra crossed."])
    assert run_cli(home, "today", "--date", "2025-12-01", stdin=text).returncode == 0
    screen = run_cli(home, "history", "--search", "zebra").stdout
    assert "zebra crossed" in screen and "ordinary" not in screen.split("zebra")[0].split("\n")[-1]
    full = run_cli(home, "history", "--search", "zebra", "--full").stdout
    assert full.count("An ordinary line") == 5 and "zebra" in full


def test_a_search_that_asks_for_nothing_is_a_usage_error(searchable) -> None:  # type: ignore[no-untyped-def]
    home, _ = searchable
    for query in ("!!!", "-", "OR", ""):
        result = run_cli(home, "history", "--search", query)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, query


# --- previews, --oneline and headings ----------------------------------------------


def test_previews_are_capped_by_screen_lines_even_for_one_huge_line(journal_home: Path) -> None:
    huge = "word " * 600_000 + "end"  # 3 MB on one line
    assert run_cli(journal_home, "today", stdin=huge).returncode == 0
    assert run_cli(journal_home, "today", stdin="short\n\n\nand sweet").returncode == 0
    for columns in ("40", "80", "120"):
        screen = run_cli(journal_home, "history", COLUMNS=columns).stdout
        lines = screen.splitlines()
        # two entries, each under a prompt of up to 35 words (five lines at 40 columns);
        # uncapped it was 38,000
        assert len(lines) < 30, columns
        assert all(len(line) <= int(columns) for line in lines), columns
        assert any(line.rstrip().endswith("…") for line in lines)
    full = run_cli(journal_home, "history", "--full", "--search", "sweet").stdout
    assert "  short\n\n\n  and sweet\n" in full


def test_oneline_and_narrow_headings_keep_the_id_whole(journal_home: Path) -> None:
    from layers_journal.index import Query
    from layers_journal.journal.facade import Journal
    from layers_journal.ui.views import entry_heading, oneline_view

    run_cli(journal_home, "today", "--date", "yesterday", stdin="Written for yesterday " * 20)
    ids = searched(journal_home)
    lines = run_cli(journal_home, "history", "--oneline").stdout.splitlines()
    assert [line.split()[2] for line in lines] == ids
    entry = Journal.open().finder.query(Query())[0]
    for width in (30, 40, 60, 80):
        heading = entry_heading(entry, width).plain.splitlines()
        assert all(len(line) <= width for line in heading), heading
        assert any(entry.id in line for line in heading)
        (line,) = oneline_view([entry], width=width).plain.splitlines()
        assert entry.id in line and len(line) <= max(width, 36)


# --- dates as people say them -------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2026-11-28", date(2026, 11, 28)),
        ("today", date(2026, 11, 25)),
        ("Yesterday", date(2026, 11, 24)),
        ("3 days ago", date(2026, 11, 22)),
        ("1 day ago", date(2026, 11, 24)),
        ("2 weeks ago", date(2026, 11, 11)),
        ("wednesday", date(2026, 11, 25)),
        ("monday", date(2026, 11, 23)),
        ("last wednesday", date(2026, 11, 18)),
        ("last  Monday", date(2026, 11, 23)),
        ("sunday", date(2026, 11, 22)),
    ],
)
def test_day_words(words: str, expected: date) -> None:
    from layers_journal.days import parse_day

    assert parse_day(words, date(2026, 11, 25)) == expected  # a Wednesday


@pytest.mark.parametrize(
    ("words", "future", "expected"),
    [("tomorrow", True, date(2026, 11, 26)), ("next monday", True, date(2026, 11, 30))],
)
def test_days_ahead_only_where_asked(words: str, future: bool, expected: date) -> None:
    from layers_journal.days import parse_day

    assert parse_day(words, date(2026, 11, 25), future=True) == expected
    with pytest.raises(ValueError, match="only a pause"):
        parse_day(words, date(2026, 11, 25))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["history", "--since", ""], "empty"),
        (["history", "--until", "   "], "empty"),
        (["history", "--since", "1899-12-31"], "before 1900"),
        (["history", "--since", "soon"], "not a date"),
        (["history", "--since", "tomorrow"], "only a pause"),
        (["today", "--date", "0026-11-23"], "before 1900"),
        (["pause", ""], "empty"),
    ],
)
def test_dates_that_are_no_day_are_refused_in_one_sentence(
    journal_home: Path, args: list[str], says: str
) -> None:
    result = run_cli(journal_home, *args, stdin="words")
    assert result.returncode == 2 and says in result.stderr and result.stderr.count("\n") == 1


def test_pauses_may_start_tomorrow(journal_home: Path) -> None:
    result = run_cli(journal_home, "pause", "tomorrow", "next friday")
    assert result.returncode == 0, result.stderr


# --- entries by day and by place -----------------------------------------------------


@pytest.fixture
def three_days(journal_home: Path) -> dict[str, list[str]]:
    """One entry yesterday, three today (ids in writing order), via the CLI."""
    assert (
        run_cli(journal_home, "today", "--date", "yesterday", stdin="Yesterday's page.").returncode
        == 0
    )
    for n in (1, 2, 3):
        assert run_cli(journal_home, "today", stdin=f"Today, page {n}.").returncode == 0
    found = json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    return {
        "today": [e["id"] for e in reversed(found) if e["text"].startswith("Today")],
        "yesterday": [e["id"] for e in found if e["text"].startswith("Yesterday")],
        "newest_first": [e["id"] for e in found],
    }


def shown_id(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["id"])


def test_show_by_day_and_by_place(journal_home: Path, three_days) -> None:  # type: ignore[no-untyped-def]
    (yesterday,) = three_days["yesterday"]
    newest = three_days["newest_first"]
    assert shown_id(run_cli(journal_home, "show", "yesterday", "--json")) == yesterday
    assert shown_id(run_cli(journal_home, "show", "1 day ago", "--json")) == yesterday
    assert shown_id(run_cli(journal_home, "show", "last", "--json")) == newest[0]
    assert shown_id(run_cli(journal_home, "show", "-1", "--json")) == newest[0]
    assert shown_id(run_cli(journal_home, "show", "-2", "--json")) == newest[1]
    assert shown_id(run_cli(journal_home, "show", "-4", "--json")) == yesterday
    too_far = run_cli(journal_home, "show", "-5")
    assert too_far.returncode == 1 and "only 4 entries" in too_far.stderr
    assert run_cli(journal_home, "show", "--nonsense").returncode == 2
    assert shown_id(run_cli(journal_home, "show", yesterday[:-3], "--json")) == yesterday


def test_a_day_with_three_entries_offers_a_pick_list(journal_home: Path, three_days) -> None:  # type: ignore[no-untyped-def]
    today = three_days["today"]
    picked = run_cli(journal_home, "show", "today", "--json", stdin="2\n")
    assert shown_id(picked) == today[1]
    listed = picked.stderr.splitlines()
    assert "has 3 entries" in listed[0]
    assert [today[n] in listed[n + 1] for n in range(3)] == [True] * 3
    assert all("Today, page" in line for line in listed[1:4])
    none = run_cli(journal_home, "show", "today", stdin="")
    assert none.returncode == 1 and "None chosen" in none.stderr and none.stdout == ""
    wrong = run_cli(journal_home, "show", "today", stdin="7\n")
    assert wrong.returncode == 2
    day = date.fromisoformat(json.loads(picked.stdout)["day"])
    by_iso = run_cli(journal_home, "delete", day.isoformat(), "--yes", stdin="3\n")
    assert by_iso.returncode == 0 and today[2] in by_iso.stderr


def test_show_a_day_finds_an_entry_written_after_midnight(journal_home: Path) -> None:
    document = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {
                "id": "2026-11-29-003000-late01",
                "created": "2026-11-29T00:30:00+01:00",
                "day": "2026-11-28",
                "tz": ZONE,
                "text": "Late on Saturday.",
            }
        ],
    }
    source = journal_home.parent / "late.json"
    source.write_text(json.dumps(document))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    assert (
        shown_id(run_cli(journal_home, "show", "2026-11-28", "--json"))
        == "2026-11-29-003000-late01"
    )
    # Nothing is about the 29th: a day is a journal day, never the start of an id, and
    # the sentence names the entry written on that date (about the evening before).
    about_none = run_cli(journal_home, "show", "2026-11-29", "--json")
    assert about_none.returncode == 1 and "2026-11-29-003000-late01" in about_none.stderr
    assert "Nothing is written for Sun 29 Nov 2026" in about_none.stderr
    missing = run_cli(journal_home, "show", "2026-11-27")
    assert missing.returncode == 1 and "Nothing is written for Fri 27 Nov 2026" in missing.stderr


def test_edit_without_an_argument_opens_todays_latest(
    journal_home: Path, tmp_path: Path, three_days
) -> None:  # type: ignore[no-untyped-def]
    editor = editor_script(tmp_path, "path.write_text(path.read_text() + 'More. #evening')")
    result = run_cli(journal_home, "edit", EDITOR=editor)
    assert result.returncode == 0, result.stderr
    latest = three_days["today"][-1]
    assert latest in result.stderr and "#evening" in result.stderr
    entry = json.loads(run_cli(journal_home, "show", latest, "--json").stdout)
    assert entry["text"].endswith("More. #evening") and entry["tags"] == ["evening"]


def test_edit_without_an_argument_on_a_quiet_day(journal_home: Path) -> None:
    result = run_cli(journal_home, "edit")
    assert result.returncode == 1 and "Nothing is written for today yet" in result.stderr


def front_matter_of(home: Path, entry_id: str) -> tuple[str, str]:
    (path,) = [p for p in entry_files(home) if p.name.startswith(entry_id)]
    header, _, body = path.read_text().partition("+++\n\n")
    return header, body


def test_edit_changes_metadata_and_keeps_the_body_and_id(journal_home: Path, three_days) -> None:  # type: ignore[no-untyped-def]
    first = three_days["today"][0]
    _, body_before = front_matter_of(journal_home, first)
    result = run_cli(
        journal_home, "edit", first, "--tag", "calm", "--tag", "#sea", "--mood", "4",
        "--theme", "compassion", "--day", "yesterday", "--no-lookback",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "kept out of lookback" in result.stderr
    header, body = front_matter_of(journal_home, first)
    assert body == body_before
    entry = parse_entry(header + "+++\n\n" + body)
    assert entry.id == first and entry.tags == ("calm", "sea") and entry.mood == 4
    assert entry.theme == "compassion" and not entry.lookback and "lookback = false" in header
    assert entry.day == date.fromisoformat(
        json.loads(run_cli(journal_home, "show", three_days["yesterday"][0], "--json").stdout)[
            "day"
        ]
    )
    assert run_cli(journal_home, "edit", first, "--untag", "CALM", "--lookback").returncode == 0
    entry = parse_entry(
        Path(*[p for p in entry_files(journal_home) if p.name.startswith(first)]).read_text()
    )
    assert entry.tags == ("sea",) and entry.lookback
    later = run_cli(journal_home, "edit", first, "--day", "tomorrow")
    assert later.returncode == 2


def test_edit_day_outside_the_backfill_window_is_kept_and_said(
    journal_home: Path, three_days
) -> None:  # type: ignore[no-untyped-def]
    first = three_days["today"][0]
    result = run_cli(journal_home, "edit", first, "--day", "10 days ago")
    assert result.returncode == 0 and "leaves your layers as they are" in result.stderr


def test_edit_keeps_front_matter_fields_it_does_not_know(journal_home: Path, three_days) -> None:  # type: ignore[no-untyped-def]
    first = three_days["today"][0]
    (path,) = [p for p in entry_files(journal_home) if p.name.startswith(first)]
    path.write_text(path.read_text().replace("+++\n\n", 'kind = "review"\nscore = 1.5\n+++\n\n', 1))
    assert run_cli(journal_home, "edit", first, "--mood", "2").returncode == 0
    text = path.read_text()
    assert 'kind = "review"' in text and "score = 1.5" in text and "mood = 2" in text


# --- lookback ------------------------------------------------------------------------


def five_years() -> dict:  # type: ignore[type-arg]
    """An entry every day from 2021-03-01 to 2026-02-28 (so one 29 February, 2024), two
    on each 10th, and every 7th entry kept out of lookback."""
    entries, day, n = [], date(2021, 3, 1), 0
    while day <= date(2026, 2, 28):
        for hour in (9, 21) if day.day == 10 else (9,):
            n += 1
            entry = {
                "id": f"{day.isoformat()}-{hour:02d}0000-{n:06d}",
                "created": f"{day.isoformat()}T{hour:02d}:00:00+01:00",
                "day": day.isoformat(),
                "tz": ZONE,
                "text": f"Page {n}.",
            }
            if n % 7 == 0:
                entry["lookback"] = False
            entries.append(entry)
        day += timedelta(days=1)
    return {"format": "layers-journal", "version": 1, "entries": entries, "pauses": []}


def write_files(home: Path, document: dict) -> None:  # type: ignore[type-arg]
    """A document's entries written straight into the folder as entry files (an import
    fsyncs each one: seconds for hundreds), for the first command to read."""
    from layers_journal.folder.entries import entry_from_fields, format_entry
    from layers_journal.folder.layout import entry_path
    from layers_journal.formats.exchange import parse_day, parse_instant

    for item in document["entries"]:
        fields = {
            **item,
            "created": parse_instant(item["created"], "test"),
            "day": parse_day(item["day"], "test", "day"),
        }
        path = home / "data" / entry_path(item["id"], sealed=False)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(format_entry(entry_from_fields(fields, item["text"])))


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    home = tmp_path_factory.mktemp("years") / "home"
    document = five_years()
    write_files(home, document)
    return home, document


def same_day_rule(entry_day: date, on: date) -> bool:
    """The stated rule: the same month and day in an earlier year; 29 February looks
    back to 28 February in years without one, and 28 February (in a year without a
    29th) also to the 29ths of leap years."""
    if entry_day.year >= on.year:
        return False
    if (entry_day.month, entry_day.day) == (on.month, on.day):
        return True
    leap = date(entry_day.year, 3, 1) - timedelta(days=1)
    if (on.month, on.day) == (2, 29) and leap.day == 28:
        return (entry_day.month, entry_day.day) == (2, 28)
    on_leap = (date(on.year, 3, 1) - timedelta(days=1)).day == 29
    return (
        (on.month, on.day) == (2, 28)
        and not on_leap
        and (entry_day.month, entry_day.day) == (2, 29)
    )


@pytest.mark.parametrize(
    "on",
    ["2026-02-28", "2026-03-01", "2025-12-31", "2028-02-29", "2026-02-10", "2027-01-10"],
)
def test_lookback_returns_exactly_the_same_month_day_in_other_years(years, on: str) -> None:  # type: ignore[no-untyped-def]
    home, document = years
    day = date.fromisoformat(on)
    result = run_cli(home, "lookback", "--date", on, "--json")
    assert result.returncode == 0, result.stderr
    moments = json.loads(result.stdout)["moments"]
    by_years = [
        entry
        for m in moments
        if m["when"].endswith(("year ago", "years ago"))
        for entry in m["entries"]
    ]
    expected = [
        e
        for e in document["entries"]
        if same_day_rule(date.fromisoformat(e["day"]), day)
        and e.get("lookback", True)
        and (day - date.fromisoformat(e["day"])).days > 40  # not the week's or month's
    ]
    assert sorted(e["id"] for e in by_years) == sorted(e["id"] for e in expected)
    assert all("lookback" not in e for m in moments for e in m["entries"])
    week = [m for m in moments if m["when"] == "a week ago"]
    wanted_week = [
        e["id"] for e in document["entries"]
        if e["day"] == (day - timedelta(days=7)).isoformat() and e.get("lookback", True)
    ]  # fmt: skip
    assert [e["id"] for m in week for e in m["entries"]] == wanted_week


def test_lookback_on_29_february_reaches_28_february_in_other_years(years) -> None:  # type: ignore[no-untyped-def]
    home, _ = years
    moments = json.loads(run_cli(home, "lookback", "--date", "2028-02-29", "--json").stdout)[
        "moments"
    ]
    days = {e["day"] for m in moments for e in m["entries"] if "year" in m["when"]}
    assert days <= {
        "2027-02-28",
        "2026-02-28",
        "2025-02-28",
        "2024-02-29",
        "2023-02-28",
        "2022-02-28",
    }
    assert "2024-02-29" in days or "2025-02-28" in days


def test_lookback_with_days_around(years) -> None:  # type: ignore[no-untyped-def]
    home, document = years
    moments = json.loads(
        run_cli(home, "lookback", "--date", "2025-06-15", "--days", "2", "--json").stdout
    )["moments"]
    year_ago = next(m for m in moments if m["when"] == "a year ago")
    wanted = [
        e["id"] for e in document["entries"]
        if "2024-06-13" <= e["day"] <= "2024-06-17" and e.get("lookback", True)
    ]  # fmt: skip
    assert [e["id"] for e in year_ago["entries"]] == wanted


def test_lookback_is_quiet_when_there_is_nothing_and_can_be_turned_off(journal_home: Path) -> None:
    quiet = run_cli(journal_home, "lookback")
    assert quiet.returncode == 0 and quiet.stdout == "" and "Nothing written" in quiet.stderr
    assert run_cli(journal_home, "config", "set", "lookback", "off").returncode == 0
    off = run_cli(journal_home, "lookback")
    assert off.returncode == 0 and "turned off" in off.stderr
    assert run_cli(journal_home, "config", "set", "lookback", "maybe").returncode == 2


def test_today_mentions_a_lookback_only_when_there_is_one_and_it_is_on(journal_home: Path) -> None:
    from layers_journal.model.lookback import same_day_in

    assert "lookback" not in run_cli(journal_home, "today", "--show").stderr
    shown = json.loads(run_cli(journal_home, "today", "--show", "--json").stdout)
    today = date.fromisoformat(shown["day"])  # the journal's day (before 04:00, yesterday)
    year_ago = same_day_in(today.year - 1, today).isoformat()
    entry = {
        "id": f"{year_ago}-090000-aaaaaa", "created": f"{year_ago}T09:00:00+01:00",
        "day": year_ago, "tz": ZONE, "text": "A year back.",
    }  # fmt: skip
    source = journal_home.parent / "one.json"
    source.write_text(json.dumps({"format": "layers-journal", "version": 1, "entries": [entry]}))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    mention = run_cli(journal_home, "today", "--show").stderr
    assert "You wrote on this day a year ago; journal lookback shows it." in mention
    assert run_cli(journal_home, "edit", entry["id"], "--no-lookback").returncode == 0
    assert "journal lookback" not in run_cli(journal_home, "today", "--show").stderr
    assert run_cli(journal_home, "edit", entry["id"], "--lookback").returncode == 0
    assert "journal lookback" in run_cli(journal_home, "today", "--show").stderr
    run_cli(journal_home, "config", "set", "lookback", "off")
    assert "journal lookback" not in run_cli(journal_home, "today", "--show").stderr


# --- revisit -------------------------------------------------------------------------


def awareness_prompts() -> list[tuple[str, str]]:
    import tomllib

    from layers_journal.prompts import shipped_prompt_dir

    table = tomllib.loads((shipped_prompt_dir() / "awareness.toml").read_text())
    return [(p["id"], p["text"]) for p in table["prompt"] if p["depth"] == 1]


def test_revisit_shows_every_answer_oldest_first_and_today_says_when(journal_home: Path) -> None:
    prompts = awareness_prompts()
    entries = []
    for n, (pid, text) in enumerate(prompts * 2):
        day = date(2025, 1, 1) + timedelta(days=n * 3)
        entries.append(
            {
                "id": f"{day.isoformat()}-090000-r{n:05d}", "created": f"{day.isoformat()}T09:00:00+01:00",
                "day": day.isoformat(), "tz": ZONE, "prompt_id": pid, "prompt": text,
                "text": f"Answer {n} to {pid}.",
            }
        )  # fmt: skip
    source = journal_home.parent / "answers.json"
    source.write_text(json.dumps({"format": "layers-journal", "version": 1, "entries": entries}))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    todays = json.loads(run_cli(journal_home, "today", "--show", "--json").stdout)["prompt"]["id"]
    mention = run_cli(journal_home, "today", "--show").stderr
    assert "You answered this 2 times, last on " in mention
    assert "journal revisit shows them side by side." in mention
    revisit = json.loads(run_cli(journal_home, "revisit", "--json").stdout)
    assert revisit["prompt"]["id"] == todays
    answers = [e for e in entries if e["prompt_id"] == todays]
    assert [e["id"] for e in revisit["entries"]] == [e["id"] for e in answers]
    screen = run_cli(journal_home, "revisit", todays).stdout
    assert screen.index(answers[0]["text"]) < screen.index(answers[1]["text"])
    other = prompts[-1][0]
    assert [
        e["id"]
        for e in json.loads(run_cli(journal_home, "revisit", other, "--json").stdout)["entries"]
    ] == [e["id"] for e in entries if e["prompt_id"] == other]
    assert run_cli(journal_home, "revisit", "no-such-prompt").returncode == 1


# --- tags and the trash ----------------------------------------------------------------


def test_inline_tags_join_the_tags_and_journal_tags_counts_them(journal_home: Path) -> None:
    run_cli(journal_home, "today", "--tag", "Walk", stdin="A #walk, then #tea. # Heading, #1, a#b.")
    run_cli(journal_home, "today", stdin="More #tea please.")
    run_cli(journal_home, "today", "--no-inline-tags", stdin="No #tags here.")
    run_cli(journal_home, "config", "set", "inline_tags", "off")
    run_cli(journal_home, "today", stdin="And #none here.")
    counted = json.loads(run_cli(journal_home, "tags", "--json").stdout)["tags"]
    assert counted == [{"tag": "tea", "entries": 2}, {"tag": "Walk", "entries": 1}]
    assert run_cli(journal_home, "tags").stdout.splitlines() == ["tea   2", "Walk  1"]
    assert searched(journal_home, "--search", "#tea") == searched(journal_home, "--tag", "tea")


def test_the_trash_lists_restores_the_latest_and_empties_when_asked(journal_home: Path) -> None:
    for n in (1, 2, 3):
        run_cli(journal_home, "today", stdin=f"Page {n}.")
    ids = searched(journal_home)
    for entry_id in ids:
        assert run_cli(journal_home, "delete", entry_id, "--yes").returncode == 0
    listed = run_cli(journal_home, "trash")
    assert {line.split()[2] for line in listed.stdout.splitlines()} == set(ids)
    assert "3 entries in the trash" in listed.stderr
    restored = run_cli(journal_home, "restore", stdin="y\n")
    assert restored.returncode == 0 and searched(journal_home) == [ids[-1]]
    kept = run_cli(journal_home, "trash", "empty", stdin="n\n")
    assert kept.returncode == 1 and len(run_cli(journal_home, "trash").stdout.splitlines()) == 2
    emptied = run_cli(journal_home, "trash", "empty", stdin="y\n")
    assert emptied.returncode == 0 and "Deleted 2 entries" in emptied.stderr
    assert "The trash is empty" in run_cli(journal_home, "trash").stderr
    assert not list((journal_home / "data" / "trash").rglob("*.md"))
    assert len(searched(journal_home)) == 1
    assert run_cli(journal_home, "restore").returncode == 1


# --- output for pipes -----------------------------------------------------------------


def test_where_through_awk_finds_every_path_whole(tmp_path: Path) -> None:
    home = tmp_path / ("a folder with spaces " + "and a long name " * 6) / "home"
    env = cli_env(home)
    paths = json.loads(run_process(home, "where", "--json").stdout)
    import sys

    found = subprocess.run(
        f"{sys.executable} -m layers_journal where | awk -F '\\t' '{{print $2}}'",
        shell=True, capture_output=True, text=True, env=env, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert found == [str(p) for p in paths.values()]
    plain = run_cli(home, "where").stdout.splitlines()
    assert all(line == line.rstrip() and "\t" in line for line in plain)


def test_show_through_cat_has_no_padding_and_no_breaks(journal_home: Path) -> None:
    url = "https://example.org/" + "a-very-long-path/" * 8 + "end"
    text = f"See {url} for it.\n\n{'Word ' * 60}end."
    assert run_cli(journal_home, "today", "--tag", "link", stdin=text).returncode == 0
    shown = run_cli(journal_home, "show", "last", COLUMNS="40").stdout
    assert url in shown and ("Word " * 60 + "end.").strip() in shown
    assert all(line == line.rstrip() for line in shown.splitlines())
    assert shown.endswith("#link\n")


def test_today_show_is_plain_text_or_json_when_piped(journal_home: Path) -> None:
    plain = run_cli(journal_home, "today", "--show", COLUMNS="40")
    assert not any(ch in plain.stdout for ch in "╭╮│╰")
    head, blank, prompt = plain.stdout.rstrip("\n").split("\n", 2)
    assert " · " in head and blank == "" and "\n" not in prompt
    document = json.loads(run_cli(journal_home, "today", "--show", "--json").stdout)
    assert document["prompt"]["text"] == prompt and document["written_today"] == 0
    assert document["layer"] == "awareness"


def test_the_real_command_shows_the_last_entry(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="Smoke test words.").returncode == 0
    result = run_process(journal_home, "show", "-1")
    assert result.returncode == 0 and "Smoke test words." in result.stdout


# --- parsers never trip -------------------------------------------------------------


QUERY_PIECES = st.lists(
    st.one_of(
        st.text(min_size=0, max_size=12),
        st.sampled_from(['"', "-", "*", "OR", "NOT", "AND", "tag:", "#", "prompt:", "(", ")", ":"]),
    ),
    max_size=8,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(QUERY_PIECES)
def test_any_search_text_is_a_query_or_one_sentence(text: str) -> None:
    """Whatever is typed, the parser gives terms the index can run (never an FTS5
    syntax error), or a SearchError."""
    from layers_journal.folder.entries import Entry
    from layers_journal.index import Query, memory_index
    from layers_journal.model.query import SearchError, parse_search

    try:
        parsed = parse_search(text)
    except SearchError:
        return
    index = memory_index(Path("/nonexistent"), day_start=time(4))
    try:
        created = datetime(2026, 1, 1, 9, tzinfo=UTC)
        entry = Entry("2026-01-01-090000-aaaaaa", created, date(2026, 1, 1), "UTC", "Some words.")
        index.fill([(entry, "entries/2026/01/2026-01-01-090000-aaaaaa.md")])
        found = index.search.query(Query(search=parsed))
        index.search.passages(parsed, [e.id for e in found], whole=True)
    finally:
        index.close()


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_every_iso_day_reads_back_as_itself(day: date) -> None:
    from layers_journal.days import parse_day

    assert parse_day(f"  {day.isoformat()} ", date(2026, 11, 25)) == day


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_day_words_are_a_day_or_a_sentence(text: str) -> None:
    from layers_journal.days import parse_day

    try:
        found = parse_day(text, date(2026, 11, 25))
    except ValueError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert found.year >= 1900
