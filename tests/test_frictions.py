"""The small frictions a new user meets, each smoothed: every test here fails on the
code before this change (checked against it) and passes after."""

from __future__ import annotations

import re
from pathlib import Path

from helpers.cli import run_cli
from helpers.documents import berlin, entry_files, write_entry
from layers_journal.folder.entries import parse_entry
from layers_journal.journal.facade import Journal


def test_an_empty_date_is_refused_not_taken_for_today(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "--date", "", stdin="words\n")
    assert result.returncode == 2
    assert "empty day" in result.stderr and entry_files(journal_home) == []
    for args in (("layers", "--as-of", ""), ("review", "--as-of", ""), ("history", "--since", "")):
        refused = run_cli(journal_home, *args)
        assert refused.returncode == 2, args


def test_overlapping_pauses_are_refused_with_the_one_they_overlap(journal_home: Path) -> None:
    assert run_cli(journal_home, "pause", "2026-12-20", "2027-01-02").returncode == 0
    result = run_cli(journal_home, "pause", "2026-12-30", "2027-01-05")
    assert result.returncode == 2
    assert "overlap the pause 2026-12-20" in result.stderr and "unpause" in result.stderr
    assert len(list((journal_home / "data" / "pauses").rglob("*.toml"))) == 1
    assert run_cli(journal_home, "pause", "2027-01-03", "2027-01-05").returncode == 0  # beside it


def test_a_comma_in_a_tag_gives_two_tags(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "--tag", "walk,rain", "--tag", "tea", stdin="w\n")
    assert result.returncode == 0, result.stderr
    (path,) = entry_files(journal_home)
    assert parse_entry(path.read_text()).tags == ("walk", "rain", "tea")
    edited = run_cli(journal_home, "edit", "last", "--untag", "walk,tea", "--tag", "sun,")
    assert edited.returncode == 0, edited.stderr
    assert parse_entry(path.read_text()).tags == ("rain", "sun")


def test_prompts_add_refuses_an_exact_duplicate(journal_home: Path) -> None:
    text = "What did your shoulders do today?"
    first = run_cli(journal_home, "prompts", "add", "--theme", "awareness", stdin=text)
    assert first.returncode == 0
    again = run_cli(journal_home, "prompts", "add", "--theme", "awareness", stdin=f"  {text}\n")
    assert again.returncode == 1 and "already in the library as awareness-own-001" in again.stderr
    shipped = run_cli(journal_home, "prompts", "--json").stdout
    one = re.search(r'"id": "(compassion-0\d\d)",\s*"theme": "compassion",', shipped)
    assert one is not None
    listed = run_cli(journal_home, "prompts", "--theme", "compassion").stdout.splitlines()
    shipped_text = next(line for line in listed if line.startswith(one.group(1))).split("\t")[-1]
    copy = run_cli(journal_home, "prompts", "add", "--theme", "connection", stdin=shipped_text)
    assert copy.returncode == 1 and one.group(1) in copy.stderr


def test_prompts_remove_takes_out_only_your_own(journal_home: Path) -> None:
    for text in ("First own prompt?", "Second own prompt?"):
        run_cli(journal_home, "prompts", "add", "--theme", "awareness", stdin=text)
    removed = run_cli(journal_home, "prompts", "remove", "awareness-own-001")
    assert removed.returncode == 0 and "keep its words" in removed.stderr
    listed = run_cli(journal_home, "prompts", "--theme", "awareness").stdout
    assert "First own prompt?" not in listed and "Second own prompt?" in listed
    shipped = run_cli(journal_home, "prompts", "remove", "awareness-001")
    assert shipped.returncode == 1 and "only your own" in shipped.stderr
    missing = run_cli(journal_home, "prompts", "remove", "awareness-own-009")
    assert missing.returncode == 1 and "No prompt has the id" in missing.stderr


def test_encrypt_says_how_weak_a_passphrase_is_and_goes_on(
    journal: Journal, journal_home: Path
) -> None:
    write_entry(journal, berlin(2026, 11, 3, 20), text="kept", theme="awareness")
    result = run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE="abc")
    assert result.returncode == 0, result.stderr
    assert "This passphrase is very weak (3 characters)" in result.stderr
    assert "unrelated words" in result.stderr and "Encrypted 1 entry" in result.stderr


def test_a_strong_passphrase_is_not_remarked_on(journal: Journal, journal_home: Path) -> None:
    write_entry(journal, berlin(2026, 11, 3, 20), text="kept", theme="awareness")
    phrase = "kettle orchard velvet lantern"
    result = run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=phrase)
    assert result.returncode == 0 and "weak" not in result.stderr


def test_a_day_names_that_journal_day_never_an_id_prefix(
    journal: Journal, journal_home: Path
) -> None:
    late = write_entry(
        journal, berlin(2026, 11, 5, 1, 30), text="after midnight", theme="awareness"
    )
    result = run_cli(journal_home, "show", "2026-11-05")
    assert result.returncode == 1
    assert "Nothing is written for Thu 5 Nov 2026" in result.stderr and late in result.stderr
    shown = run_cli(journal_home, "show", "2026-11-04")
    assert "after midnight" in shown.stdout
    assert "(written 5 Nov)" in shown.stdout  # the heading's own way of writing a day


def test_help_speaks_in_words_not_click_metavars(journal_home: Path) -> None:
    today = " ".join(run_cli(journal_home, "today", "--help", COLUMNS="80").stdout.split())
    assert "--mood 1-5" in today and "--date DAY" in today and "3 days ago" in today
    for command in ("today", "edit", "history", "layers", "review", "export", "lookback"):
        text = run_cli(journal_home, command, "--help", COLUMNS="80").stdout
        for jargon in ("<int", "<str>", "<path>", "<=x", "x>=", "{", "<awareness"):
            assert jargon not in text, (command, jargon)
    summaries = run_cli(journal_home, "--help", COLUMNS="80").stdout
    assert "..." not in summaries.split("Commands:")[1]
    assert all(len(line) <= 80 for line in summaries.splitlines())


def test_a_range_is_checked_in_words(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "--mood", "7", stdin="w\n")
    assert result.returncode == 2 and "goes from 1 to 5, not 7" in result.stderr


def test_config_set_confirms_and_config_list_is_aligned(journal_home: Path) -> None:
    result = run_cli(journal_home, "config", "set", "day_start", "5:00")
    assert result.returncode == 0 and result.stderr.strip() == "day_start is now 05:00."
    rows = run_cli(journal_home, "config", "list").stdout.splitlines()
    assert len({row.index(" = ") for row in rows}) == 1
    assert len({row.index("  # ") for row in rows}) == 1
    assert all(row == row.rstrip() for row in rows)


def test_config_set_journal_dir_says_where_the_entries_are(
    journal: Journal, journal_home: Path, tmp_path: Path
) -> None:
    write_entry(journal, berlin(2026, 11, 3, 20), text="kept", theme="awareness")
    elsewhere = tmp_path / "elsewhere"
    result = run_cli(journal_home, "config", "set", "journal_dir", str(elsewhere), COLUMNS="300")
    assert result.returncode == 0
    said = " ".join(result.stderr.split())
    assert "Your 1 entry is still in" in said
    assert f"still in {journal_home / 'data'}" in said and f"journal move {elsewhere}" in said


def test_export_refuses_a_folder_that_is_not_there(journal_home: Path, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "dir" / "x.json"
    result = run_cli(journal_home, "export", "-o", str(target))
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_a_piped_prompt_library_is_one_line_each_never_padded(journal_home: Path) -> None:
    out = run_cli(journal_home, "prompts").stdout
    lines = out.splitlines()
    assert lines and all(line == line.rstrip() for line in lines)
    assert all(len(line.split("\t")) == 4 for line in lines)


def test_the_year_calendar_is_whole_at_80_columns(journal: Journal, journal_home: Path) -> None:
    for month, day in ((1, 5), (6, 10), (11, 20)):
        write_entry(journal, berlin(2026, month, day, 20), text="w", theme="awareness")
    result = run_cli(journal_home, "review", "--year", "--show", "--as-of", "2026-11-30")
    lines = result.stdout.splitlines()
    months = next(line for line in lines if "Jan" in line and "Nov" in line)
    assert months.split() == "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov".split()
    rows = [line for line in lines if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")]
    assert len(rows) == 6 and all(len(line) <= 80 for line in lines)


def test_a_narrow_review_keeps_its_title_whole(journal: Journal, journal_home: Path) -> None:
    write_entry(journal, berlin(2026, 10, 14, 20), text="w", theme="awareness")
    result = run_cli(journal_home, "review", "--show", "--as-of", "2026-10-14", COLUMNS="40")
    said = " ".join(result.stdout.replace("│", " ").split())
    assert "Your week · Mon 12 – Sun 18 Oct 2026" in said
    assert all(len(line) <= 40 for line in result.stdout.splitlines())
