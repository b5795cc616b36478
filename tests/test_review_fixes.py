"""Cases a review found, each kept as a test: lost words, contract slips, races."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from conftest import editor_script, entry_files, run_cli
from layers_journal.entries import parse_entry

PASSPHRASE = "a quiet passphrase"


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


def test_a_missing_public_key_hands_the_words_back(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="first")
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    (journal_home / "data" / "journal-key.pub").unlink()
    result = run_cli(journal_home, "today", "--date", "yesterday", stdin="words that must survive")
    assert result.returncode == 1
    assert "journal encrypt" in result.stderr and "words that must survive" in result.stdout
    # journal encrypt, with the passphrase, puts the public key back.
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="again").returncode == 0


def test_an_oversized_text_is_refused_before_anything_is_written(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", stdin="x" * (17 * 1024 * 1024))
    assert result.returncode == 1 and "longer than one entry can hold (16 MB)" in result.stderr
    assert entry_files(journal_home) == []


def test_a_posix_tz_rule_keeps_day_and_zone_together(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="far east", TZ="XYZ-13").returncode == 0
    exported = json.loads(run_cli(journal_home, "export", TZ="XYZ-13").stdout)["entries"][0]
    assert exported["tz"] == "UTC+13:00"
    presence = json.loads(run_cli(journal_home, "layers", "--json", TZ="XYZ-13").stdout)["presence"]
    assert presence["active_days"] == 1 and presence["status"] == "written"


def test_an_entry_dated_after_it_was_written_still_round_trips(
    journal_home: Path, tmp_path: Path
) -> None:
    entry = {
        "id": "2026-01-01-230000-future",
        "created": "2026-01-01T23:00:00+00:00",
        "day": "2026-01-02",
        "tz": "UTC",
        "text": "tomorrow",
    }
    source = tmp_path / "doc.json"
    source.write_text(
        json.dumps({"format": "layers-journal", "version": 1, "entries": [entry], "pauses": []})
    )
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    assert json.loads(run_cli(journal_home, "export").stdout)["entries"][0]["day"] == "2026-01-02"


def test_encrypting_a_journal_with_an_unreadable_file_finishes(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="readable")
    folder = entry_files(journal_home)[0].parent
    (folder / "2026-01-01-000000-broken.md").write_text("no front matter, private words")
    conflict = folder / "2026-01-01-000000-broken.sync-conflict-1.md"
    conflict.write_text("a conflict copy")
    result = run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert "is not a readable entry; it was encrypted as it is" in result.stderr
    assert not (folder / "2026-01-01-000000-broken.md").exists()
    assert conflict.read_text() == "a conflict copy"  # not ours to touch
    assert run_cli(journal_home, "decrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    assert (folder / "2026-01-01-000000-broken.md").read_text() == "no front matter, private words"


def test_exit_codes_for_a_bad_value_and_for_nothing_to_do(journal_home: Path) -> None:
    bad = run_cli(journal_home, "config", "set", "day_start", "07:00")
    assert bad.returncode == 2
    assert run_cli(journal_home, "decrypt").returncode == 1


def test_a_stray_config_key_says_how_to_remove_it_and_can_be(journal_home: Path) -> None:
    config = journal_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme_colour = "blue"\n')
    refused = run_cli(journal_home, "today", "--show")
    assert refused.returncode == 1 and "journal config unset theme_colour" in refused.stderr
    assert run_cli(journal_home, "config", "unset", "theme_colour").returncode == 0
    assert run_cli(journal_home, "today", "--show").returncode == 0


def test_history_json_output_imports(journal_home: Path, tmp_path: Path) -> None:
    run_cli(journal_home, "today", "--tag", "kept", stdin="carried over")
    saved = tmp_path / "history.json"
    saved.write_text(run_cli(journal_home, "history", "--json").stdout)
    other = tmp_path / "other"
    assert run_cli(other, "import", str(saved)).returncode == 0
    assert json.loads(run_cli(other, "history", "--json").stdout) == json.loads(saved.read_text())


def test_prompts_added_at_once_all_land_with_their_own_ids(journal_home: Path) -> None:
    def add(n: int) -> None:
        run_cli(
            journal_home, "prompts", "add", "--theme", "compassion", stdin=f"Own prompt number {n}?"
        )

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    own = [
        p
        for p in json.loads(run_cli(journal_home, "prompts", "--json").stdout)["prompts"]
        if p["own"]
    ]
    assert len(own) == 6 and len({p["id"] for p in own}) == 6
    too_long = run_cli(journal_home, "prompts", "add", "--theme", "awareness", stdin="x" * 600)
    assert (
        too_long.returncode == 1 and "at most 500 characters; this one has 600" in too_long.stderr
    )


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


def test_a_cache_folder_that_cannot_be_used_does_not_stop_the_journal(journal_home: Path) -> None:
    journal_home.mkdir(parents=True)
    (journal_home / "cache").write_text("not a folder")
    saved = run_cli(journal_home, "today", stdin="still written")
    assert saved.returncode == 0, saved.stderr
    assert "this run read the journal files directly" in saved.stderr
    assert "still written" in run_cli(journal_home, "history").stdout


def test_tags_keep_one_spelling_and_a_typo_in_own_prompts_does_not_block_today(
    journal_home: Path,
) -> None:
    run_cli(
        journal_home, "today", "--tag", "Work", "--tag", "work", "--tag", "#home", stdin="tagged"
    )
    assert parse_entry(entry_files(journal_home)[0].read_text()).tags == ("Work", "home")
    own = journal_home / "config" / "prompts.toml"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text("[[prompt]]\nid = = 1\n")
    result = run_cli(journal_home, "today", "--show")
    assert result.returncode == 0
    assert str(own) in result.stderr and "shipped library" in result.stderr


def test_doctor_rebuilds_lost_metadata_with_the_passphrase(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="sealed page")
    run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    (meta,) = (journal_home / "data" / "entries").rglob("*.meta.toml")
    meta.unlink()
    report = run_cli(journal_home, "doctor")
    assert report.returncode == 1 and "without its .meta.toml" in report.stderr
    fixed = run_cli(journal_home, "doctor", "--fix", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert fixed.returncode == 0, fixed.stderr
    assert meta.exists()
