"""`journal edit` never loses changes and never duplicates an entry: a draft left by a
failing or killed editor goes back to the entry it came from."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pexpect

from helpers.cli import cli_env, editor_script, run_cli, run_process
from helpers.documents import entry_files
from helpers.folder import kept_in_recovery


def one_entry(home: Path) -> str:
    assert run_cli(home, "today", stdin="The first version.").returncode == 0
    return json.loads(run_cli(home, "history", "--json").stdout)["entries"][0]["id"]


def all_texts(home: Path) -> list[str]:
    return [e["text"] for e in json.loads(run_cli(home, "history", "--json").stdout)["entries"]]


def drafts(home: Path) -> list[Path]:
    return sorted((home / "state" / "drafts").glob("draft-*"))


def test_an_aborted_edit_leaves_nothing_behind(journal_home: Path, tmp_path: Path) -> None:
    entry_id = one_entry(journal_home)
    editor = editor_script(tmp_path, "sys.exit(1)\n")  # :cq in vim
    result = run_cli(journal_home, "edit", entry_id, EDITOR=editor)
    assert result.returncode == 1 and "status 1" in result.stderr
    assert "kept" not in result.stderr
    assert drafts(journal_home) == []
    assert all_texts(journal_home) == ["The first version."]


def test_a_failed_edit_is_applied_to_its_entry_by_doctor_never_duplicated(
    journal_home: Path, tmp_path: Path
) -> None:
    entry_id = one_entry(journal_home)
    editor = editor_script(tmp_path, "path.write_text('The second version.\\n')\nsys.exit(2)\n")
    # A process of its own: the draft names its pid, which must be gone for doctor.
    result = run_process(journal_home, "edit", entry_id, EDITOR=editor)
    said = " ".join(result.stderr.split())
    assert result.returncode == 1
    assert f"journal edit {entry_id}" in said and "doctor --fix" in said
    assert all_texts(journal_home) == ["The first version."]
    found = run_cli(journal_home, "doctor")
    assert found.returncode == 1 and f"changes to {entry_id}" in found.stderr
    fixed = run_cli(journal_home, "doctor", "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert f"to {entry_id}" in fixed.stderr
    assert all_texts(journal_home) == ["The second version."]
    assert len(entry_files(journal_home)) == 1
    assert drafts(journal_home) == []


def test_a_killed_edit_is_offered_back_by_the_next_edit(journal_home: Path, tmp_path: Path) -> None:
    entry_id = one_entry(journal_home)
    killer = editor_script(
        tmp_path,
        """\
        import os, signal
        path.write_text("Changed, then the journal was killed.\\n")
        os.kill(os.getppid(), signal.SIGKILL)
        """,
        name="killer.py",
    )
    subprocess.run(
        [sys.executable, "-m", "layers_journal", "edit", entry_id],
        env=cli_env(journal_home, EDITOR=killer),
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    assert all_texts(journal_home) == ["The first version."]
    assert len(drafts(journal_home)) == 1
    # The next edit offers the kept changes; the editor opens on them and saves.
    keep = editor_script(tmp_path, "pass\n", name="keep.py")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "edit", entry_id[:12]],
        env=cli_env(journal_home, EDITOR=keep, TERM="dumb"),
        encoding="utf-8",
        timeout=30,
    )
    child.expect(r"Apply\s+them\s+to\s+entry")
    child.sendline("")
    child.expect("Saved the new text")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert all_texts(journal_home) == ["Changed, then the journal was killed."]
    assert len(entry_files(journal_home)) == 1
    assert drafts(journal_home) == []


def test_a_killed_edit_of_a_deleted_entry_is_saved_as_new(
    journal_home: Path, tmp_path: Path
) -> None:
    entry_id = one_entry(journal_home)
    killer = editor_script(
        tmp_path,
        """\
        import os, signal
        path.write_text("Words worth keeping.\\n")
        os.kill(os.getppid(), signal.SIGKILL)
        """,
    )
    subprocess.run(
        [sys.executable, "-m", "layers_journal", "edit", entry_id],
        env=cli_env(journal_home, EDITOR=killer),
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    assert run_cli(journal_home, "delete", entry_id, "--yes").returncode == 0
    fixed = run_cli(journal_home, "doctor", "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert "no longer there" in fixed.stderr
    assert all_texts(journal_home) == ["Words worth keeping."]


def test_a_failed_new_page_in_the_editor_is_offered_by_the_next_today(
    journal_home: Path, tmp_path: Path
) -> None:
    editor = editor_script(
        tmp_path, "path.write_text(path.read_text() + 'Half a thought.\\n')\nsys.exit(3)\n"
    )
    result = run_process(journal_home, "today", "--editor", stdin="", EDITOR=editor)
    assert result.returncode == 1
    assert "next journal today offers them back" in " ".join(result.stderr.split())
    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "today"],
        env=cli_env(journal_home, TERM="dumb"),
        encoding="utf-8",
        timeout=30,
    )
    child.expect(r"unsaved\s+page")
    child.sendline("s")
    child.expect("first page")
    child.expect(pexpect.EOF)
    child.close()
    assert all_texts(journal_home) == ["Half a thought."]
    assert drafts(journal_home) == []


def test_an_encrypted_journal_seals_the_changes_a_failed_edit_keeps(
    journal_home: Path, tmp_path: Path
) -> None:
    passphrase = "a quiet passphrase"
    entry_id = one_entry(journal_home)
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=passphrase).returncode == 0
    editor = editor_script(
        tmp_path, "path.write_text('A lighthouse of a secret.\\n')\nsys.exit(1)\n"
    )
    result = run_process(
        journal_home, "edit", entry_id, EDITOR=editor, LAYERS_JOURNAL_PASSPHRASE=passphrase
    )
    assert result.returncode == 1
    (folder,) = drafts(journal_home)
    assert sorted(p.name for p in folder.iterdir()) == ["draft.toml", "entry.md.age"]
    for path in (journal_home / "state").rglob("*"):
        assert not path.is_file() or b"lighthouse" not in path.read_bytes(), path
    fixed = run_cli(journal_home, "doctor", "--fix", LAYERS_JOURNAL_PASSPHRASE=passphrase)
    assert fixed.returncode == 0, fixed.stderr
    shown = run_cli(journal_home, "show", entry_id, LAYERS_JOURNAL_PASSPHRASE=passphrase)
    assert "A lighthouse of a secret." in shown.stdout
    assert len(entry_files(journal_home)) == 1


# --- promises kept under pressure -------------------------------------------------


def test_text_over_the_entry_limit_from_the_editor_is_kept_whole_in_recovery(
    journal_home: Path, tmp_path: Path
) -> None:
    editor = editor_script(tmp_path, 'path.write_text("long " * (17 * 1024 * 1024 // 5))\n')
    result = run_cli(journal_home, "today", "--editor", EDITOR=editor)
    assert result.returncode == 1 and "longer than one entry can hold" in result.stderr
    assert "safe in" in result.stderr
    (kept,) = kept_in_recovery(journal_home)
    assert kept.stat().st_size > 17 * 1024 * 1024 - 100
    assert entry_files(journal_home) == []


def test_an_edit_past_the_entry_limit_leaves_the_entry_readable_and_keeps_the_text(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="A short page.").returncode == 0
    (entry,) = entry_files(journal_home)
    before = entry.read_bytes()
    editor = editor_script(tmp_path, 'path.write_text("long " * (17 * 1024 * 1024 // 5))\n')
    result = run_cli(journal_home, "edit", entry.name[:24], EDITOR=editor)
    assert result.returncode == 1 and "longer than one entry can hold" in result.stderr
    assert entry.read_bytes() == before  # still a readable entry, not an oversized file
    (kept,) = kept_in_recovery(journal_home)
    assert kept.stat().st_size > 17 * 1024 * 1024 - 100
