"""The entry file format, atomic writes and private permissions."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import time
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.cli import cli_env, run_cli
from helpers.documents import entry_files
from helpers.folder import limited_memory, plant_entry
from helpers.hostile import GENERIC, MANY, entry_fields, entry_file, every_use
from helpers.hostile import texts as hostile_texts
from layers_journal.errors import FileFormatError
from layers_journal.folder.entries import (
    Entry,
    clean_body,
    format_entry,
    parse_entry,
    replace_body,
    toml_string,
)
from layers_journal.folder.storage import (
    ensure_private_dir,
    sweep_stale_temp,
    write_atomic,
    writing_atomic,
)

SAMPLE = Entry(
    id="2026-11-23-081502-k3f9qz",
    created=datetime(2026, 11, 23, 8, 15, 2, tzinfo=timezone(timedelta(hours=1))),
    day=date(2026, 11, 23),
    tz="Europe/Berlin",
    text="The body, exactly as written.",
    theme="awareness",
    prompt_id="awareness-017",
    prompt="Where did the day land in your body?",
    mood=3,
    tags=("work",),
)


def test_format_matches_the_documented_layout() -> None:
    assert format_entry(SAMPLE) == (
        "+++\n"
        'id = "2026-11-23-081502-k3f9qz"\n'
        "created = 2026-11-23T08:15:02+01:00\n"
        "day = 2026-11-23\n"
        'tz = "Europe/Berlin"\n'
        'theme = "awareness"\n'
        'prompt_id = "awareness-017"\n'
        'prompt = "Where did the day land in your body?"\n'
        "mood = 3\n"
        'tags = ["work"]\n'
        "+++\n"
        "\n"
        "The body, exactly as written.\n"
    )


def test_optional_fields_are_left_out_and_read_back_as_absent() -> None:
    bare = Entry(id=SAMPLE.id, created=SAMPLE.created, day=SAMPLE.day, tz="UTC", text="x")
    content = format_entry(bare)
    assert "theme" not in content and "tags" not in content
    assert parse_entry(content) == bare


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=500)
@given(
    text=texts | st.sampled_from(["\r\n", "a\r\nb\r\n", "\n\n+++\n", "+++", "\n"]),
    prompt=st.none() | texts,
    tags=st.lists(st.from_regex(r"[\w-]{1,12}", fullmatch=True), max_size=4),
)
def test_any_text_round_trips_exactly(text: str, prompt: str | None, tags: list[str]) -> None:
    entry = Entry(
        id=SAMPLE.id, created=SAMPLE.created, day=SAMPLE.day, tz="Europe/Berlin",
        text=text, prompt=prompt, tags=tuple(tags),
    )  # fmt: skip
    assert parse_entry(format_entry(entry)) == entry


@settings(max_examples=300)
@given(value=texts)
def test_toml_strings_are_valid_toml(value: str) -> None:
    assert tomllib.loads(f"v = {toml_string(value)}")["v"] == value


@settings(max_examples=500)
@given(content=st.text(max_size=400))
def test_the_parser_never_crashes_on_arbitrary_text(content: str) -> None:
    with contextlib.suppress(FileFormatError):
        parse_entry(content)


@settings(max_examples=300)
@given(header=st.text(st.sampled_from("+=[]{}\"'\n abcdeimnorty0123456789-:T."), max_size=200))
def test_the_parser_never_crashes_on_front_matter_like_text(header: str) -> None:
    with contextlib.suppress(FileFormatError):
        parse_entry(f"+++\n{header}\n+++\n\nbody")


BROKEN = {
    "no front matter": "just words\n",
    "unclosed": '+++\nid = "x"\n\nbody',
    "bad toml": "+++\nid = = \n+++\n\nbody",
    "duplicate key": '+++\nid = "2026-11-23-081502-k3f9qz"\nid = "2026-11-23-081502-k3f9qz"\n+++\n',
    "wrong types": '+++\nid = 5\ncreated = "yesterday"\nday = 3\n+++\n',
    "naive created": '+++\nid = "2026-11-23-081502-k3f9qz"\ncreated = 2026-11-23T08:15:02\nday = 2026-11-23\n+++\n',
    "unknown theme": format_entry(SAMPLE).replace('"awareness"', '"courage"'),
    "mood out of range": format_entry(SAMPLE).replace("mood = 3", "mood = 9"),
    "deeply nested": "+++\nx = " + "[" * 5000 + "]" * 5000 + "\n+++\n",
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_files_give_a_reason(name: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        parse_entry(BROKEN[name])
    assert caught.value.message
    assert "body" not in caught.value.message


def test_replace_body_keeps_the_front_matter_byte_for_byte() -> None:
    original = format_entry(SAMPLE).replace("mood = 3", "mood = 3  # hand-written comment")
    updated = replace_body(original, "New words.")
    assert updated.startswith(original.split("\n\n")[0])
    assert parse_entry(updated).text == "New words."


def test_clean_body_trims_only_the_edges() -> None:
    assert clean_body("\n\n  indented first\r\nsecond  \n\n\n") == "  indented first\nsecond"


def test_atomic_write_is_private_and_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.md"
    write_atomic(target, b"one", overwrite=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    with pytest.raises(FileExistsError):
        write_atomic(target, b"two", overwrite=False)
    assert target.read_bytes() == b"one"
    write_atomic(target, b"three", overwrite=True)
    assert target.read_bytes() == b"three"
    assert [p.name for p in target.parent.iterdir()] == ["file.md"]  # no temp files left


def test_a_file_written_in_pieces_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "a" / "page.html"
    with writing_atomic(target, overwrite=False) as handle:
        handle.write(b"one ")
        assert not target.exists()  # nothing at the name until the block ends
        [temp] = target.parent.iterdir()
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600
        handle.write(b"two")
    assert target.read_bytes() == b"one two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError), writing_atomic(target, overwrite=False) as handle:
        handle.write(b"never")
    with pytest.raises(KeyboardInterrupt), writing_atomic(target, overwrite=True) as handle:
        handle.write(b"half a page")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"one two"  # the old file, untouched
    with writing_atomic(target, overwrite=True) as handle:
        handle.write(b"three")
    assert target.read_bytes() == b"three"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]  # no temp files left


def test_private_dirs_ignore_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        ensure_private_dir(tmp_path / "x" / "y")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x" / "y").stat().st_mode) == 0o700


def test_only_stale_temp_files_are_swept(tmp_path: Path) -> None:
    fresh, stale = tmp_path / ".a.md.1.tmp", tmp_path / ".b.md.2.tmp"
    fresh.write_text("x")
    stale.write_text("x")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert not sweep_stale_temp(fresh)
    assert sweep_stale_temp(stale)
    assert fresh.exists() and not stale.exists()


# --- hostile values: each value refused with a reason or kept whole ---------------


@MANY
@given(fields=entry_fields(), body=hostile_texts)
def test_every_entry_file_is_read_whole_or_refused_with_a_reason(
    fields: dict[str, Any], body: str
) -> None:
    content = entry_file(fields, body)
    try:
        entry = parse_entry(content)
    except FileFormatError as error:
        assert error.message and "\n" not in error.message.strip()
        return
    every_use(entry)


# --- promises kept under pressure -------------------------------------------------


OUT_OF_RANGE = {
    "year 0001 pushed before the calendar": {
        "created": "0001-01-01T00:30:00+01:00",
        "day": "0001-01-01",
        "entry_id": "0001-01-01-003000-early1",
    },
    "year 9999 pushed past the calendar": {
        "created": "9999-12-31T23:30:00-01:00",
        "day": "9999-12-31",
        "entry_id": "9999-12-31-233000-late01",
    },
    "a zone offset of 99 hours": {"tz": "UTC+99:99"},
    "a zone offset of letters": {"tz": "UTC+ab:cd"},
}


@pytest.mark.parametrize("case", OUT_OF_RANGE)
def test_an_entry_from_year_0001_or_9999_or_an_impossible_zone_is_skipped_and_named_not_fatal(
    case: str, journal_home: Path
) -> None:
    assert (
        run_cli(journal_home, "today", "--date", "2026-03-01", stdin="A good page.").returncode == 0
    )
    planted = plant_entry(journal_home, **OUT_OF_RANGE[case])
    before = planted.read_bytes()
    for args in (
        ["history"],
        ["layers"],
        ["export"],
        ["reindex"],
        ["doctor"],
        ["doctor", "--fix"],
    ):
        result = run_cli(journal_home, *args)
        assert GENERIC not in result.stderr, (args, result.stderr)
        assert planted.name in result.stderr, (args, result.stderr)  # named, every time
    saved = run_cli(journal_home, "today", stdin="Words piped in on a day with a bad file.")
    assert saved.returncode == 0, saved.stderr
    assert planted.name in saved.stderr
    texts = [
        e["text"] for e in json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    ]
    assert "Words piped in on a day with a bad file." in texts
    assert planted.read_bytes() == before  # never rewritten


def test_a_huge_file_named_like_an_entry_is_refused_without_being_read(
    journal_home: Path,
) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    huge = entry_files(journal_home)[0].parent / "2026-01-01-000000-huge01.md"
    with open(huge, "wb") as handle:
        handle.truncate(3 * 2**30)  # sparse: 3 GB that take no room
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "history"],
        capture_output=True,
        text=True,
        env=cli_env(journal_home),
        timeout=60,
        preexec_fn=limited_memory(768 * 2**20),
    )
    assert result.returncode == 0, result.stderr
    assert "huge01" in result.stderr and "too large" in result.stderr
