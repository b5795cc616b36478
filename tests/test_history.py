"""`journal history`, search, show/edit/delete and the index, over a journal of hundreds."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest

from helpers.cli import cli_env, editor_script, run_cli
from helpers.documents import ZONE, entry_files
from helpers.folder import data
from helpers.hostile import GENERIC
from layers_journal.folder.entries import parse_entry

LAYER_NAMES = ("awareness", "connection", "compassion", None)
VOCABULARY = [
    "breath",
    "shoulders",
    "kettle",
    "morning",
    "walk",
    "neighbour",
    "rain",
    "garden",
    "laughter",
    "silence",
    "letter",
    "stairs",
    "window",
    "coffee",
    "patience",
    "river",
    "thunder",
    "pillow",
    "bicycle",
    "market",
]
SPECIAL_TEXTS = [
    'She said "slow down" and I did.',
    "Don't rush; it's fine — really (mostly).",
    "Café au lait in München with Zoë, naïve plans.",
    "今日は寒かった。明日は晴れるといいな",
    "ÜBERRASCHUNG: a surprise walk",
    "Percent 50% & <tags> and a back\\slash",
]


def build_document(count: int = 420, seed: int = 11) -> dict:  # type: ignore[type-arg]
    """Several hundred entries over two years, with themes, tags, moods and odd text."""
    rng = random.Random(seed)
    start = date(2024, 11, 1)
    entries = []
    for n in range(count):
        day = start + timedelta(days=n * 730 // count)
        words = rng.sample(VOCABULARY, 6)
        text = " ".join(words).capitalize() + "."
        if n % 37 == 0:
            text = SPECIAL_TEXTS[(n // 37) % len(SPECIAL_TEXTS)]
        if n % 5 == 0:
            text += "\nA second line about the " + rng.choice(VOCABULARY) + "."
        entries.append(
            {
                "id": f"{day.isoformat()}-{7 + n % 12:02d}{n % 60:02d}00-e{n:05d}",
                "created": f"{day.isoformat()}T{7 + n % 12:02d}:{n % 60:02d}:00+01:00",
                "day": day.isoformat(),
                "tz": ZONE,
                "theme": LAYER_NAMES[n % 4],
                "prompt_id": None,
                "prompt": f"What did the {rng.choice(VOCABULARY)} teach you?",
                "mood": (n % 5) + 1 if n % 3 else None,
                "tags": [t for t in ("work", "home", "Walk") if rng.random() < 0.3],
                "text": text,
            }
        )
    return {"format": "layers-journal", "version": 1, "entries": entries, "pauses": []}


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    home = tmp_path_factory.mktemp("big") / "home"
    document = build_document()
    source = home.parent / "doc.json"
    source.write_text(json.dumps(document))
    result = run_cli(home, "import", str(source))
    assert result.returncode == 0, result.stderr
    return home, document


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def word_found(entry: dict, word: str) -> bool:  # type: ignore[type-arg]
    """A --search word: whole, in the text; word* a prefix; prompt:word in the prompt."""
    field = "text"
    if word.lower().startswith("prompt:"):
        field, word = "prompt", word[len("prompt:") :]
    haystack = tokens(entry[field] or "")
    if word.endswith("*"):
        return any(token.startswith(word[:-1].lower()) for token in haystack)
    return word.lower() in haystack


def expected_ids(
    document: dict, *, theme=None, since=None, until=None, words=(), tag=None, limit=None
) -> list[str]:  # type: ignore[no-untyped-def,type-arg]
    """The oracle: a plain Python filter over the imported document."""
    found = []
    for entry in document["entries"]:
        if theme and entry["theme"] != theme:
            continue
        if (since and entry["day"] < since) or (until and entry["day"] > until):
            continue
        if tag and tag.lower() not in [t.lower() for t in entry["tags"]]:
            continue
        if not all(word_found(entry, word) for word in words):
            continue
        found.append(entry)
    found.sort(key=lambda e: (e["day"], e["created"], e["id"]), reverse=True)
    ids = [e["id"] for e in found]
    return ids[:limit] if limit else ids


def history_ids(home: Path, *args: str) -> list[str]:
    result = run_cli(home, "history", "--json", *args)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 1
    return [entry["id"] for entry in document["entries"]]


FILTERS = {
    "theme": (["--theme", "compassion"], {"theme": "compassion"}),
    "since": (["--since", "2025-01-15"], {"since": "2025-01-15"}),
    "until": (["--until", "2025-09-30"], {"until": "2025-09-30"}),
    "tag": (["--tag", "work"], {"tag": "work"}),
    "search": (["--search", "kettle"], {"words": ["kettle"]}),
    "limit": (["-n", "7"], {"limit": 7}),
}


@pytest.mark.parametrize(
    "names",
    [combo for size in (1, 2, 3) for combo in itertools.combinations(FILTERS, size)],
    ids=lambda combo: "+".join(combo),
)
def test_every_filter_and_combination_matches_the_oracle(big_journal, names) -> None:  # type: ignore[no-untyped-def]
    home, document = big_journal
    args: list[str] = []
    expected: dict = {}  # type: ignore[type-arg]
    for name in names:
        args += FILTERS[name][0]
        expected.update(FILTERS[name][1])
    assert history_ids(home, *args) == expected_ids(document, **expected)


def test_no_filter_lists_everything_newest_first(big_journal) -> None:  # type: ignore[no-untyped-def]
    home, document = big_journal
    ids = history_ids(home)
    assert len(ids) == 420 and ids == expected_ids(document)


@pytest.mark.parametrize(
    "words",
    [
        ["kettle", "rain"],
        ["KETTLE", "Rain", "breath"],
        ["walk"],
        ["neigh*"],
        ["prompt:teach", "river"],
        ["prompt:Teach*", "Wal*"],
    ],
)
def test_every_word_must_match_case_insensitively(big_journal, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    home, document = big_journal
    found = history_ids(home, "--search", " ".join(words))
    assert found == expected_ids(document, words=words)
    assert found  # the vocabulary guarantees matches


@pytest.mark.parametrize(
    ("query", "special"),
    [
        ('"slow down"', 0),
        ("don't rush", 1),
        ("café münchen", 2),
        ("CAFE zoe", 2),
        ("寒かった", 3),
        ("晴れる", 3),
        ("überraschung", 4),
        ("50% <tags>", 5),
        ("back\\slash", 5),
    ],
)
def test_search_with_punctuation_quotes_and_non_ascii(
    big_journal, query: str, special: int
) -> None:  # type: ignore[no-untyped-def]
    home, document = big_journal
    found = history_ids(home, "--search", query)
    wanted = {
        e["id"]
        for e in document["entries"]
        if e["text"].startswith(SPECIAL_TEXTS[special].split("\n")[0])
    }
    assert wanted and wanted <= set(found)
    assert all(
        next(e for e in document["entries"] if e["id"] == i)["text"].split("\n")[0]
        == SPECIAL_TEXTS[special]
        for i in found
    )


def test_search_that_finds_nothing(big_journal) -> None:  # type: ignore[no-untyped-def]
    home, _ = big_journal
    assert history_ids(home, "--search", "kettle zeppelin") == []
    readable = run_cli(home, "history", "--search", "zeppelin")
    assert readable.returncode == 0 and "No entries match" in readable.stderr
    assert run_cli(home, "history", "--search", "!!!").returncode == 2


def test_the_readable_view_shows_date_layer_prompt_and_first_lines(big_journal) -> None:  # type: ignore[no-untyped-def]
    home, document = big_journal
    screen = run_cli(home, "history", "-n", "3", COLUMNS="200").stdout
    newest = document["entries"][-1]
    day = date.fromisoformat(newest["day"])
    assert f"{day:%a} {day.day} {day:%b %Y}" in screen
    assert newest["prompt"] in screen and newest["id"] in screen
    assert newest["text"].split("\n")[0] in screen
    full = run_cli(
        home, "history", "--full", "--search", "second line", "-n", "1", COLUMNS="200"
    ).stdout
    assert "A second line about the" in full


def test_search_matches_are_highlighted_in_a_terminal(big_journal) -> None:  # type: ignore[no-untyped-def]
    home, _ = big_journal
    child = pexpect.spawn(
        sys.executable, ["-m", "layers_journal", "history", "--search", "kettle", "-n", "2", "--no-pager"],
        env=cli_env(home), encoding="utf-8", timeout=30, dimensions=(50, 120),
    )  # fmt: skip
    output = child.read()
    child.close()
    assert re.search(r"\x1b\[[0-9;]*7m[Kk]ettle", output), output[:400]


def test_long_output_goes_through_the_pager_in_a_terminal(big_journal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home, _ = big_journal
    seen = tmp_path / "paged.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f'#!/bin/sh\necho "LESS=$LESS" > {seen}\ncat >> {seen}\n')
    pager.chmod(0o755)
    child = pexpect.spawn(
        sys.executable, ["-m", "layers_journal", "history"],
        env={**cli_env(home), "PAGER": str(pager)}, encoding="utf-8", timeout=60, dimensions=(30, 100),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    paged = seen.read_text()
    assert paged.startswith("LESS=FRX")
    assert paged.count("e00419") == 1 and paged.count("e00000") == 1
    # A short result is printed directly; with PAGER=cat there is no pager at all.
    seen.unlink()
    child = pexpect.spawn(
        sys.executable, ["-m", "layers_journal", "history", "-n", "1"],
        env={**cli_env(home), "PAGER": str(pager)}, encoding="utf-8", timeout=30, dimensions=(30, 100),
    )  # fmt: skip
    assert "e00419" in child.read()
    assert not seen.exists()


# --- single entries --------------------------------------------------------------------


def test_show_by_unique_prefix_and_refuse_an_ambiguous_one(big_journal) -> None:  # type: ignore[no-untyped-def]
    home, document = big_journal
    entry = document["entries"][100]
    shown = run_cli(home, "show", entry["id"][:22], "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == entry
    readable = run_cli(home, "show", entry["id"], COLUMNS="200").stdout
    assert entry["text"].split("\n")[0] in readable
    ambiguous = run_cli(home, "show", entry["id"][:7])
    assert ambiguous.returncode == 2 and "matches several entries" in ambiguous.stderr
    missing = run_cli(home, "show", "1999-01")
    assert missing.returncode == 1 and "No entry" in missing.stderr


def one_entry(home: Path, text: str = "Original words.") -> Path:
    assert run_cli(home, "today", "--tag", "keep", stdin=text).returncode == 0
    (path,) = entry_files(home)
    return path


def test_edit_replaces_the_body_and_keeps_the_front_matter(
    journal_home: Path, tmp_path: Path
) -> None:
    path = one_entry(journal_home)
    original = path.read_text()
    path.write_text(original.replace("tags = [", "# a note the person added\ntags = ["))
    header = path.read_text().split("+++\n\n")[0]
    editor = editor_script(
        tmp_path, 'path.write_text(path.read_text().replace("Original", "Better"))\n'
    )
    entry_id = parse_entry(original).id
    result = run_cli(journal_home, "edit", entry_id[:20], EDITOR=editor)
    assert result.returncode == 0, result.stderr
    updated = path.read_text()
    assert updated.startswith(header + "+++\n\n")
    assert parse_entry(updated).text == "Better words."
    assert (
        run_cli(journal_home, "history", "--search", "better", "--json").stdout.count(entry_id) == 1
    )
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("program", "message", "code"),
    [("pass\n", "No changes", 0), ('path.write_text("\\n  \\n")\n', "came back empty", 1)],
)
def test_an_unchanged_or_emptied_buffer_changes_nothing(
    journal_home: Path, tmp_path: Path, program: str, message: str, code: int
) -> None:
    path = one_entry(journal_home)
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    result = run_cli(
        journal_home,
        "edit",
        parse_entry(before.decode()).id,
        EDITOR=editor_script(tmp_path, program),
    )
    assert result.returncode == code and message in result.stderr
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_delete_moves_to_the_trash_and_restore_brings_it_back(journal_home: Path) -> None:
    path = one_entry(journal_home)
    entry_id = parse_entry(path.read_text()).id
    content = path.read_bytes()
    declined = run_cli(journal_home, "delete", entry_id, stdin="n\n")
    assert declined.returncode == 1 and path.exists()
    no_answer = run_cli(journal_home, "delete", entry_id, stdin="")
    assert no_answer.returncode == 1 and path.exists()
    result = run_cli(journal_home, "delete", entry_id[:20], stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert "journal restore" in result.stderr
    assert not path.exists()
    trashed = journal_home / "data" / "trash" / path.relative_to(journal_home / "data" / "entries")
    assert trashed.read_bytes() == content
    assert history_ids(journal_home) == []
    assert run_cli(journal_home, "restore", entry_id).returncode == 0
    assert path.read_bytes() == content and history_ids(journal_home) == [entry_id]
    assert run_cli(journal_home, "delete", entry_id, "--yes").returncode == 0
    assert history_ids(journal_home) == []


def test_an_entry_that_vanishes_while_being_edited_keeps_the_new_words(
    journal_home: Path, tmp_path: Path
) -> None:
    run_cli(journal_home, "today", stdin="old words")
    (entry,) = entry_files(journal_home)
    editor = editor_script(
        tmp_path, f'pathlib.Path({str(entry)!r}).unlink()\npath.write_text("Precious new words")\n'
    )
    result = run_cli(journal_home, "edit", entry.name[:24], EDITOR=editor)
    assert result.returncode == 1
    assert "changed or went missing while you were editing" in result.stderr
    kept = list((journal_home / "state" / "recovery").glob("*.md"))
    assert len(kept) == 1 and "Precious new words" in kept[0].read_text()


def test_an_untouched_edit_leaves_an_entry_with_unusual_spacing_alone(
    journal_home: Path, tmp_path: Path
) -> None:
    entry = {
        "id": "2026-01-01-090000-spaces",
        "created": "2026-01-01T09:00:00+01:00",
        "day": "2026-01-01",
        "tz": "Europe/Berlin",
        "text": "\n  indented, with trailing spaces   \n",
    }
    source = tmp_path / "doc.json"
    source.write_text(
        json.dumps({"format": "layers-journal", "version": 1, "entries": [entry], "pauses": []})
    )
    run_cli(journal_home, "import", str(source))
    before = entry_files(journal_home)[0].read_bytes()
    result = run_cli(journal_home, "edit", "2026-01-01-090000-spaces", EDITOR="true")
    assert result.returncode == 0 and "No changes" in result.stderr
    assert entry_files(journal_home)[0].read_bytes() == before


def test_restore_brings_back_the_copy_just_deleted(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "today", stdin="first version")
    entry_id = entry_files(journal_home)[0].name[:-3]
    exported = tmp_path / "e.json"
    exported.write_text(run_cli(journal_home, "export").stdout)
    run_cli(journal_home, "delete", entry_id, "--yes")
    run_cli(journal_home, "import", str(exported))
    entry_files(journal_home)[0].write_text(
        entry_files(journal_home)[0].read_text().replace("first version", "second version")
    )
    run_cli(journal_home, "delete", entry_id, "--yes")
    result = run_cli(journal_home, "restore", entry_id)
    assert result.returncode == 0, result.stderr
    assert parse_entry(entry_files(journal_home)[0].read_text()).text == "second version"


# --- the index ----------------------------------------------------------------------------


def index_file(home: Path) -> Path:
    (found,) = (home / "cache").glob("index-*.sqlite3")
    return found


def test_the_index_lives_in_the_cache_and_rebuilds_when_deleted(journal_home: Path) -> None:
    one_entry(journal_home)
    assert not list((journal_home / "data").rglob("*.sqlite3"))
    database = index_file(journal_home)
    assert oct(database.stat().st_mode & 0o777) == "0o600"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert len(history_ids(journal_home)) == 1
    assert index_file(journal_home).exists()


def test_the_index_follows_files_changed_added_and_removed_behind_its_back(
    journal_home: Path,
) -> None:
    path = one_entry(journal_home, "Kettle singing.")
    run_cli(journal_home, "today", "--date", "yesterday", stdin="Second entry.")
    assert history_ids(journal_home, "--search", "kettle")
    # Changed by hand, even with an older modification time: inequality, not "newer".
    stamp = path.stat()
    path.write_text(path.read_text().replace("Kettle singing.", "Teapot humming, louder."))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns - 10**9))
    assert history_ids(journal_home, "--search", "kettle") == []
    assert len(history_ids(journal_home, "--search", "teapot")) == 1
    # Added by hand (as a sync tool would).
    copy = path.with_name("2026-01-02-030405-synced.md")
    copy.write_text(
        path.read_text().replace(parse_entry(path.read_text()).id, "2026-01-02-030405-synced")
    )
    assert "2026-01-02-030405-synced" in history_ids(journal_home)
    # Removed by hand.
    path.unlink()
    assert history_ids(journal_home, "--search", "teapot") == ["2026-01-02-030405-synced"]
    assert len(history_ids(journal_home)) == 2


def test_a_newer_schema_or_a_damaged_index_is_rebuilt_not_trusted(journal_home: Path) -> None:
    one_entry(journal_home)
    database = index_file(journal_home)
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA user_version = 99")
        db.execute("DELETE FROM entries")
    assert len(history_ids(journal_home)) == 1
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"this is not a database" * 100)
    assert len(history_ids(journal_home)) == 1


def test_reindex_rebuilds(journal_home: Path) -> None:
    one_entry(journal_home)
    result = run_cli(journal_home, "reindex")
    assert result.returncode == 0 and "1 entry" in result.stderr


def test_since_after_until_is_a_usage_error(big_journal) -> None:  # type: ignore[no-untyped-def]
    home, _ = big_journal
    result = run_cli(home, "history", "--since", "2025-06-01", "--until", "2025-01-01")
    assert result.returncode == 2 and "--since is after --until" in result.stderr


def test_a_cache_folder_that_cannot_be_used_does_not_stop_the_journal(journal_home: Path) -> None:
    journal_home.mkdir(parents=True)
    (journal_home / "cache").write_text("not a folder")
    saved = run_cli(journal_home, "today", stdin="still written")
    assert saved.returncode == 0, saved.stderr
    assert "this run read the journal files directly" in saved.stderr
    assert "still written" in run_cli(journal_home, "history").stdout


# --- promises kept under pressure -------------------------------------------------


def test_restore_never_brings_back_a_link_planted_in_the_trash(
    journal_home: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("+++\nnot an entry of this journal\n+++\n")
    trash = data(journal_home) / "trash" / "2026" / "03"
    trash.mkdir(parents=True)
    (trash / "2026-03-02-090000-linked.md").symlink_to(outside)
    result = run_cli(journal_home, "restore", "2026-03-02-090000-linked")
    assert result.returncode == 1 and GENERIC not in result.stderr
    assert not (
        data(journal_home) / "entries" / "2026" / "03" / "2026-03-02-090000-linked.md"
    ).exists()
    assert (trash / "2026-03-02-090000-linked.md").is_symlink()
