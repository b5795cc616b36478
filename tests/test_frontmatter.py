"""The plain front-matter reader agrees with tomllib on everything it accepts, and hands
everything else to tomllib: what a file means never depends on which one read it."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers_journal.errors import FileFormatError
from layers_journal.folder.entries import (
    Entry,
    format_entry,
    format_meta,
    parse_entry,
    plain_fields,
    read_fields,
    split_front_matter,
)


def tomllib_fields(text: str) -> dict[str, object] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=40)
tags = st.lists(
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]),
        min_size=1,
        max_size=10,
    ),
    max_size=3,
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
entries = st.builds(
    lambda created, zone, theme, prompt, mood, tag_list, text: Entry(
        id=f"{created:%Y-%m-%d-%H%M%S}-abc123",
        created=created.replace(tzinfo=zone),
        day=created.date(),
        tz="Europe/Berlin",
        text=text,
        theme=theme,
        prompt_id=None if prompt is None else "awareness-001",
        prompt=prompt,
        mood=mood,
        tags=tuple(tag_list),
    ),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
        lambda moment: moment.replace(microsecond=0)
    ),
    offsets,
    st.sampled_from([None, "awareness", "connection", "compassion"]),
    st.none() | words,
    st.none() | st.integers(min_value=0, max_value=9),
    tags,
    words,
)


@given(entries)
@settings(max_examples=300)
def test_what_the_tool_writes_is_read_without_tomllib_and_means_the_same(entry: Entry) -> None:
    _, header, _ = split_front_matter(format_entry(entry))
    plain = plain_fields(header)
    assert plain is not None
    assert plain == tomllib.loads(header)
    assert plain_fields(format_meta(entry)) == tomllib.loads(format_meta(entry))


@given(entries, st.data())
@settings(max_examples=400)
def test_any_changed_front_matter_is_read_as_tomllib_reads_it(
    entry: Entry, data: st.DataObject
) -> None:
    _, header, _ = split_front_matter(format_entry(entry))
    position = data.draw(st.integers(min_value=0, max_value=len(header)))
    insert = data.draw(
        st.sampled_from(
            [
                '"',
                "\\",
                "\\u0041",
                "\\uD800",
                "\\u00",
                "\\x",
                "\n",
                "\r",
                "\t",
                " ",
                "#",
                "=",
                "[",
                "]",
                ",",
                "0",
                "-",
                "+",
                "T",
                "Z",
                ".5",
                "'",
                "\x00",
                "\x7f",
                "x = 1\n",
                "é",
                "true",
            ]
        )
    )
    cut = data.draw(st.integers(min_value=0, max_value=3))
    text = header[:position] + insert + header[position + cut :]
    plain = plain_fields(text)
    if plain is not None:
        assert plain == tomllib_fields(text)
        assert all(type(plain[key]) is type(value) for key, value in tomllib.loads(text).items())


@pytest.mark.parametrize(
    "text",
    [
        'id = "a"\nid = "b"\n',  # duplicate keys: tomllib's error, not ours
        "mood = 03\n",  # leading zero
        "day = 2026-02-30\n",  # no such day
        "created = 2026-01-01T10:00:00+24:00\n",  # no such offset
        "created = 2026-01-01T10:00:00Z\n",
        "created = 2026-01-01 10:00:00+01:00\n",
        'tags = ["a",]\n',
        'prompt = "tab\\bhere"\n',
        'prompt = "\\ud800"\n',  # not a character
        "# a comment\n",
        "",
        'id = "a"',  # no final newline
    ],
)
def test_odd_lines_go_to_tomllib(text: str) -> None:
    assert plain_fields(text) is None
    expected = tomllib_fields(text)
    if expected is None:
        with pytest.raises(FileFormatError, match="its front matter is not valid TOML"):
            read_fields(text, "its front matter")
    else:
        assert read_fields(text, "its front matter") == expected


def test_offsets_are_the_same_zones_tomllib_gives() -> None:
    text = "created = 2026-01-01T10:00:00+00:00\nother = 2026-01-01T10:00:00-00:30\n"
    plain = plain_fields(text)
    assert plain == tomllib.loads(text)
    assert plain is not None and plain["created"].tzinfo is UTC
    assert plain["other"].utcoffset() == timedelta(minutes=-30)


def test_errors_read_exactly_as_before() -> None:
    broken = '+++\nid = "2026-01-01-100000-abc123"\ncreated = 2026-01-01T10:00:00+01:00\n+++\n\nx\n'
    with pytest.raises(FileFormatError) as caught:
        parse_entry(broken)
    assert caught.value.message == "its day is missing or not a date like 2026-11-23"


def test_an_edit_writes_every_kind_of_field_another_tool_left_through_the_one_writer() -> None:
    """Fields this version does not know come back after its own, in the same writer's
    words (a table inline), and read back as exactly what they were."""
    from layers_journal.folder.entries import replace_front_matter

    created = datetime(2026, 3, 2, 8, 15, 2, tzinfo=timezone(timedelta(hours=1)))
    entry = Entry(
        id="2026-03-02-081502-k3f9qz",
        created=created,
        day=created.date(),
        tz="Europe/Berlin",
        text="The body, exactly as written.",
        theme="awareness",
    )
    others = (
        'score = 1.5\nat = 07:30:00\n"my key" = "v"\nlinks = [{ url = "a" }, { url = "b" }]\n'
        "[extra]\nnested = { depth = [1, 2] }\nwhen = 2020-01-02T03:04:05.000678\n"
    )
    original = format_entry(entry).replace("+++\n\n", others + "+++\n\n", 1)
    edited = replace_front_matter(original, entry._replace(mood=2))
    header = edited.split("+++")[1]
    assert "[extra]" not in header and "extra = { nested = " in header
    assert header.index("mood = 2") < header.index("score = 1.5")
    read = tomllib.loads(header)
    before = tomllib.loads(original.split("+++")[1])
    assert {k: v for k, v in read.items() if k != "mood"} == {
        k: v for k, v in before.items() if k != "mood"
    }
    assert edited.endswith("\n\n" + entry.text + "\n")
