"""`journal today` end to end: piped text, a real terminal, an editor, and the options."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest

from helpers.cli import cli_env, editor_script, run_cli, run_process
from helpers.documents import entry_files
from helpers.folder import kept_in_recovery, limited_memory
from helpers.hostile import GENERIC
from layers_journal.folder.entries import parse_entry


def test_piped_text_makes_exactly_one_private_entry_file(journal_home: Path) -> None:
    # A smoke test of `python -m layers_journal` as a whole: a real process, a real pipe.
    result = run_process(
        journal_home, "today", "--mood", "3", "--tag", "work", stdin="A slow walk helped.\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # nothing asked, nothing printed when piped
    assert "first page" in result.stderr
    files = entry_files(journal_home)
    assert len(files) == 1
    path = files[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (
        path.parent,
        path.parent.parent,
        journal_home / "data" / "entries",
        journal_home / "data",
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    content = path.read_text()
    entry = parse_entry(content)
    assert path.name == f"{entry.id}.md"
    assert path.parent.relative_to(journal_home / "data") == Path(
        "entries", entry.id[:4], entry.id[5:7]
    )
    front = tomllib.loads(content.split("+++")[1])
    assert list(front) == [
        "id",
        "created",
        "day",
        "tz",
        "theme",
        "prompt_id",
        "prompt",
        "mood",
        "tags",
    ]
    assert (entry.theme, entry.mood, entry.tags, entry.tz) == (
        "awareness",
        3,
        ("work",),
        "Europe/Berlin",
    )
    assert entry.text == "A slow walk helped."
    assert content.endswith("+++\n\nA slow walk helped.\n")


def test_show_prints_the_prompt_and_writes_nothing(journal_home: Path) -> None:
    first = run_cli(journal_home, "today", "--show")
    second = run_cli(journal_home, "today", "--show")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert "awareness" in first.stdout
    assert entry_files(journal_home) == []


def test_the_prompt_shown_is_the_prompt_saved(journal_home: Path) -> None:
    shown = run_cli(journal_home, "today", "--show", COLUMNS="400").stdout
    run_cli(journal_home, "today", stdin="words")
    entry = parse_entry(entry_files(journal_home)[0].read_text())
    assert entry.prompt is not None and entry.prompt in shown
    again = run_cli(journal_home, "today", "--show", COLUMNS="400").stdout
    assert entry.prompt in again and "written once today" in again


def test_an_empty_body_saves_nothing(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", stdin="  \n\n")
    assert result.returncode == 1
    assert "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert entry_files(journal_home) == []


def test_a_future_date_is_refused(journal_home: Path) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    result = run_cli(journal_home, "today", "--date", tomorrow, stdin="x")
    assert result.returncode == 2
    assert "after today" in result.stderr
    assert entry_files(journal_home) == []


def test_a_wrong_date_is_one_sentence(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "--date", "2026-02-30", stdin="x")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "2026-02-30" in result.stderr


def test_backfill_for_yesterday_and_long_ago(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="late words").returncode == 0
    old = run_cli(journal_home, "today", "--date", "2020-01-01", stdin="old words")
    assert old.returncode == 0
    assert "leave your layers as they are" in old.stderr
    days = sorted(parse_entry(p.read_text()).day for p in entry_files(journal_home))
    assert days[0] == date(2020, 1, 1)


def test_theme_override(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "--theme", "compassion", stdin="gentle")
    assert result.returncode == 0
    assert parse_entry(entry_files(journal_home)[0].read_text()).theme == "compassion"
    bad = run_cli(journal_home, "today", "--theme", "courage", stdin="x")
    assert bad.returncode == 2


def test_an_oversized_text_is_refused_before_anything_is_written(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", stdin="x" * (17 * 1024 * 1024))
    assert result.returncode == 1 and "longer than one entry can hold (16 MB)" in result.stderr
    assert entry_files(journal_home) == []


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


def fake_editor(tmp_path: Path, body: str, status: int = 0) -> str:
    """An editor that checks its draft is private, notes where it was, and adds body."""
    seen = tmp_path / "seen-draft"
    return editor_script(
        tmp_path,
        f"""\
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700", "draft folder is not private"
        assert oct(path.stat().st_mode & 0o777) == "0o600", "draft is not private"
        pathlib.Path({str(seen)!r}).write_text(str(path))
        path.write_text(path.read_text() + {body!r})
        sys.exit({status})
        """,
        name="fake-editor",
    )


def test_editor_round_trip_on_a_private_file_removed_afterwards(
    journal_home: Path, tmp_path: Path
) -> None:
    editor = fake_editor(tmp_path, "Written in the editor.\nSecond line.\n")
    result = run_cli(journal_home, "today", "--editor", stdin="", EDITOR=editor, VISUAL="")
    assert result.returncode == 0, result.stderr
    entry = parse_entry(entry_files(journal_home)[0].read_text())
    assert entry.text == "Written in the editor.\nSecond line."
    draft = Path((tmp_path / "seen-draft").read_text())
    assert not draft.exists() and not draft.parent.exists()


def test_visual_wins_over_editor(journal_home: Path, tmp_path: Path) -> None:
    visual = fake_editor(tmp_path, "from visual")
    result = run_cli(journal_home, "today", "-e", stdin="", VISUAL=visual, EDITOR="false")
    assert result.returncode == 0, result.stderr
    assert parse_entry(entry_files(journal_home)[0].read_text()).text == "from visual"


def test_a_failing_editor_saves_nothing_and_keeps_the_draft(
    journal_home: Path, tmp_path: Path
) -> None:
    editor = fake_editor(tmp_path, "half a thought", status=3)
    result = run_cli(journal_home, "today", "--editor", stdin="", EDITOR=editor)
    assert result.returncode == 1
    assert "status 3" in result.stderr
    assert entry_files(journal_home) == []
    draft = Path((tmp_path / "seen-draft").read_text())
    assert "half a thought" in draft.read_text()


def spawn_today(journal_home: Path, *args: str) -> pexpect.spawn:
    """A terminal the full writer cannot use (TERM=dumb): the plain line reader."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "today", *args],
        env=cli_env(journal_home, TERM="dumb"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )
    child.expect("Ctrl-D saves")
    return child


def test_a_terminal_session_saves_on_ctrl_d(journal_home: Path) -> None:
    child = spawn_today(journal_home, "--mood", "3")
    child.sendline("My jaw was tight in the meeting.")
    child.sendline("")
    child.sendline("It eased on the walk home.")
    child.sendeof()
    child.expect("first page")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    entry = parse_entry(entry_files(journal_home)[0].read_text())
    assert entry.text == "My jaw was tight in the meeting.\n\nIt eased on the walk home."


def test_a_terminal_session_left_with_ctrl_c_saves_nothing(journal_home: Path) -> None:
    child = spawn_today(journal_home)
    child.sendline("Something I'd rather not keep.")
    time.sleep(0.3)  # the terminal drops unread input on Ctrl-C
    child.sendintr()
    child.expect("Leave without saving 1 line")
    child.sendline("y")
    child.expect("Left without saving")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert entry_files(journal_home) == []
    assert list((journal_home / "state" / "drafts").glob("draft-*")) == []


@pytest.mark.parametrize("args", [["today", "--mood", "9"], ["history", "--limit", "0"]])
def test_usage_errors_exit_2(journal_home: Path, args: list[str]) -> None:
    result = run_cli(journal_home, *args, stdin="x")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- promises kept under pressure -------------------------------------------------


BROKEN_SETTINGS = {
    "deeply nested config.toml": ("config", "a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "NUL in journal_dir": ("config", 'journal_dir = "/tmp/a\\u0000b"\n'),
    "a config typo": ("config", 'day_strat = "04:00"\n'),
    "LAYERS_JOURNAL_HOME pointing at a file": ("home-file", ""),
    "LAYERS_JOURNAL_HOME set but empty": ("home-empty", ""),
}


def test_today_refuses_to_write_through_a_symlinked_month_folder_and_keeps_the_words(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="Before the link.").returncode == 0
    month = entry_files(journal_home)[0].parent
    month.rename(month.with_name("moved-away"))
    outside = tmp_path / "outside"
    outside.mkdir()
    month.symlink_to(outside, target_is_directory=True)
    result = run_cli(journal_home, "today", stdin="Words that must not leave the journal.")
    assert result.returncode == 1
    assert "symbolic link" in result.stderr and "safe in" in result.stderr
    assert "Saved" not in result.stderr and list(outside.iterdir()) == []
    (kept,) = kept_in_recovery(journal_home)
    assert "Words that must not leave the journal." in kept.read_text()


def test_endless_input_is_cut_at_the_entry_limit_and_what_was_read_is_kept(
    journal_home: Path,
) -> None:
    # A real process: `yes | journal today` used to grow until memory ran out.
    producer = subprocess.Popen(["yes", "more and more"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "layers_journal", "today"],
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            env=cli_env(journal_home),
            timeout=60,
            preexec_fn=limited_memory(1024 * 2**20),
        )
    finally:
        producer.kill()
        producer.wait()
    assert result.returncode == 1, result.stderr
    assert "longer than one entry can hold" in result.stderr and "safe in" in result.stderr
    assert entry_files(journal_home) == []
    (kept,) = kept_in_recovery(journal_home)
    assert 15 * 2**20 < kept.stat().st_size < 17 * 2**20


@pytest.mark.parametrize("case", BROKEN_SETTINGS)
def test_piped_words_survive_a_setting_that_stops_the_journal_early(
    case: str, journal_home: Path, tmp_path: Path
) -> None:
    kind, content = BROKEN_SETTINGS[case]
    home, env = journal_home, {}
    if kind == "config":
        (journal_home / "config").mkdir(parents=True)
        (journal_home / "config" / "config.toml").write_text(content)
    elif kind == "home-file":
        home = tmp_path / "a-file"
        home.write_text("")
    else:
        # Where the usual places would be, kept inside the test: an empty variable once
        # meant the person's real journal.
        fake = tmp_path / "real-home"
        env = {"LAYERS_JOURNAL_HOME": "", "HOME": str(fake), "XDG_DATA_HOME": str(fake)}
        env |= {
            "XDG_CONFIG_HOME": str(fake),
            "XDG_CACHE_HOME": str(fake),
            "XDG_STATE_HOME": str(fake),
        }
    words = "Words written on a day the settings were broken."
    result = run_cli(home, "today", stdin=words, **env)
    assert result.returncode == 1 and GENERIC not in result.stderr, result.stderr
    assert words in result.stdout  # printed back: no journal could be opened to keep them


def test_an_unexpected_failure_after_the_words_are_read_still_keeps_them(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch, invoke: Any
) -> None:
    from layers_journal.folder import entries

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr(entries, "new_entry", broken)  # fails once the words are in hand
    result = invoke("today", input="Words that met a bug.")
    assert result.exit_code == 1
    assert "unexpected" in result.stderr and "safe in" in result.stderr
    (kept,) = kept_in_recovery(journal_home)
    assert "Words that met a bug." in kept.read_text()


def test_a_broken_tz_variable_still_saves_todays_words(journal_home: Path) -> None:
    # A real process: TZ is read by the C library, once per process.
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "today"],
        input="Written under TZ=UTC+99:99.",
        capture_output=True,
        text=True,
        env=cli_env(journal_home, TZ="UTC+99:99"),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "time zone" in result.stderr  # said once, gently
    texts = [
        e["text"] for e in json.loads(run_cli(journal_home, "history", "--json").stdout)["entries"]
    ]
    assert texts == ["Written under TZ=UTC+99:99."]
