"""The writer of `journal today` in a real terminal (pexpect): keys, saving, Ctrl-C, and
drafts that survive a closed window, a stop request and a hard kill."""

from __future__ import annotations

import signal
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from helpers.cli import cli_env, run_cli
from helpers.documents import entry_files
from helpers.waiting import wait_for
from layers_journal.folder.entries import parse_entry
from layers_journal.ui.writer import AUTOSAVE_SECONDS, Keeper

LEFT, HOME, END, UP, DOWN = "\x1b[D", "\x1b[H", "\x1b[F", "\x1b[A", "\x1b[B"
BACKSPACE, CTRL_C, CTRL_D, ENTER, ESC = "\x7f", "\x03", "\x04", "\r", "\x1b"
PASSPHRASE = "correct horse battery staple"


def writer(home: Path, *args: str, columns: int = 80, **env: str) -> pexpect.spawn:
    """`journal today` in a pseudo-terminal that can run the full writer."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "today", *args],
        env=cli_env(home, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", **env),
        encoding="utf-8",
        timeout=30,
        dimensions=(30, columns),
    )
    return child


def ready(child: pexpect.spawn) -> pexpect.spawn:
    child.expect("Ctrl-C leaves")
    return child


def type_keys(child: pexpect.spawn, *keys: str) -> None:
    for key in keys:
        child.send(key)
        time.sleep(0.05)


def finish(child: pexpect.spawn, status: int = 0) -> None:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == status, child.before


def saved_entries(home: Path) -> list[str]:
    return [parse_entry(path.read_text()).text for path in entry_files(home)]


def drafts(home: Path) -> list[Path]:
    return sorted((home / "state" / "drafts").glob("draft-*"))


def draft_holds(home: Path, text: str) -> Callable[[], bool]:
    def check() -> bool:
        return any(
            (folder / "entry.md").is_file() and (folder / "entry.md").read_text() == text
            for folder in drafts(home)
        )

    return check


# --- keys ----------------------------------------------------------------------------


def test_arrow_keys_edit_the_page_and_no_escape_byte_is_saved(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "Helo", BACKSPACE, BACKSPACE, "llo wrld", LEFT, LEFT, LEFT, "o", END)
    type_keys(child, ENTER, "line two", HOME, "oops ", CTRL_D)
    child.expect("How are you now")
    type_keys(child, ENTER)  # no mood
    child.expect("first page")
    finish(child)
    (path,) = entry_files(journal_home)
    content = path.read_text()
    assert parse_entry(content).text == "Hello world\noops line two"
    assert "\x1b" not in content and "^[" not in content
    assert parse_entry(content).mood is None
    assert drafts(journal_home) == []  # the draft goes once the entry is saved


def test_up_and_down_move_between_lines(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "one", ENTER, "two", UP, "A", DOWN, "B", ENTER, "three", CTRL_D, "4")
    finish(child)
    (entry,) = [parse_entry(p.read_text()) for p in entry_files(journal_home)]
    assert entry.text == "oneA\ntwoB\nthree"
    assert entry.mood == 4


def test_escape_then_enter_saves_and_mood_option_skips_the_question(journal_home: Path) -> None:
    child = ready(writer(journal_home, "--mood", "2"))
    type_keys(child, "Quiet morning.", ESC, ENTER)
    child.expect("first page")
    finish(child)
    (entry,) = [parse_entry(p.read_text()) for p in entry_files(journal_home)]
    assert (entry.text, entry.mood) == ("Quiet morning.", 2)


def test_a_long_paste_arrives_whole(journal_home: Path) -> None:
    pasted = " ".join(f"word{n}" for n in range(400)) + "\nsecond paragraph"
    child = ready(writer(journal_home, columns=40))
    child.send("\x1b[200~" + pasted.replace("\n", "\r") + "\x1b[201~")
    time.sleep(0.3)
    type_keys(child, CTRL_D, ENTER)
    finish(child)
    assert saved_entries(journal_home) == [pasted]


def test_ctrl_d_on_an_empty_page_saves_nothing(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, CTRL_D)
    child.expect("nothing was saved")
    finish(child, 1)
    assert entry_files(journal_home) == [] and drafts(journal_home) == []


# --- Ctrl-C ----------------------------------------------------------------------------


def test_ctrl_c_with_words_asks_and_no_keeps_them(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "Ten minutes of this.", ENTER, "Still going.", CTRL_C)
    child.expect(r"Leave without saving 2 lines\? \(y/N\)")
    type_keys(child, "n")
    child.expect("Still here")
    type_keys(child, " Done.", CTRL_D, ENTER)
    finish(child)
    assert saved_entries(journal_home) == ["Ten minutes of this.\nStill going. Done."]


def test_ctrl_c_then_yes_leaves_and_keeps_no_draft(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "Not today.", CTRL_C)
    child.expect("Leave without saving 1 line")
    type_keys(child, CTRL_C, "y")  # a second Ctrl-C leaves the question standing
    child.expect("Left without saving")
    finish(child, 1)
    assert entry_files(journal_home) == [] and drafts(journal_home) == []


def test_ctrl_c_on_an_empty_page_leaves_at_once(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, CTRL_C)
    child.expect("Left without saving")
    finish(child, 1)
    assert drafts(journal_home) == []


# --- drafts that survive -----------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_closed_window_or_stop_keeps_a_private_draft_offered_back(
    journal_home: Path, signum: int
) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "What I did not say.", ENTER, "And half a line")
    child.expect("And half a line")  # on screen, so in the writer
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus is None and child.exitstatus == 128 + signum
    (folder,) = drafts(journal_home)
    draft = folder / "entry.md"
    assert draft.read_text() == "What I did not say.\nAnd half a line"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temp left
    assert entry_files(journal_home) == []

    again = writer(journal_home)
    again.expect(r"unsaved\s+page\s+from\s+\d\d:\d\d\s+\(2\s+lines")
    type_keys(again, ENTER)  # go on with it
    ready(again)
    type_keys(again, ".", CTRL_D, ENTER)
    finish(again)
    assert saved_entries(journal_home) == ["What I did not say.\nAnd half a line."]
    assert drafts(journal_home) == []


def test_kill_9_leaves_the_last_autosaved_draft(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "first line", ENTER, "second")
    wait_for(draft_holds(journal_home, "first line\nsecond"), AUTOSAVE_SECONDS * 5)
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    result = run_cli(journal_home, "doctor")
    assert "a page left unsaved when the writer closed" in result.stderr
    again = writer(journal_home)
    again.expect("unsaved page")
    type_keys(again, "s", ENTER)  # save it as it is
    again.expect("first page")
    finish(again)
    assert saved_entries(journal_home) == ["first line\nsecond"]
    assert drafts(journal_home) == []


def test_a_draft_set_aside_is_not_offered_again_and_doctor_saves_it(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "Maybe later.", ENTER)
    wait_for(draft_holds(journal_home, "Maybe later.\n"))
    child.kill(signal.SIGTERM)
    finish(child, 128 + signal.SIGTERM)
    again = writer(journal_home)
    again.expect("unsaved page")
    type_keys(again, "a", ENTER)
    again.expect("Set aside")
    ready(again)
    type_keys(again, CTRL_C)
    finish(again, 1)
    third = ready(writer(journal_home))  # straight to the writer, no question
    assert "unsaved page" not in (third.before or "")
    type_keys(third, CTRL_C)
    finish(third, 1)
    assert "a page set aside" in run_cli(journal_home, "doctor").stderr
    assert run_cli(journal_home, "doctor", "--fix").returncode == 0
    assert saved_entries(journal_home) == ["Maybe later."]


def test_piped_text_says_a_draft_is_waiting(journal_home: Path) -> None:
    child = ready(writer(journal_home))
    type_keys(child, "Unfinished.", ENTER)
    wait_for(draft_holds(journal_home, "Unfinished.\n"))
    child.kill(signal.SIGHUP)
    finish(child, 128 + signal.SIGHUP)
    result = run_cli(journal_home, "today", stdin="From a script.")
    assert result.returncode == 0
    assert "unsaved page for this day is waiting" in result.stderr
    assert len(drafts(journal_home)) == 1


def encrypted_journal(home: Path) -> None:
    assert run_cli(home, "today", stdin="a first page").returncode == 0
    result = run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr


def test_an_encrypted_journal_keeps_its_draft_sealed(journal_home: Path) -> None:
    encrypted_journal(journal_home)
    child = ready(writer(journal_home))
    type_keys(child, "lighthouse secret", ENTER, "more")

    def sealed() -> list[Path]:
        return list(journal_home.rglob("draft-*/entry.md.age"))

    wait_for(lambda: bool(sealed()))
    time.sleep(AUTOSAVE_SECONDS + 0.5)  # "more" is kept too
    child.kill(signal.SIGTERM)
    finish(child, 128 + signal.SIGTERM)
    (draft,) = sealed()
    assert not list(journal_home.rglob("draft-*/entry.md"))
    for path in (journal_home / "state").rglob("*"):
        if path.is_file():
            assert b"lighthouse" not in path.read_bytes(), path
    assert draft.read_bytes().startswith(b"age-encryption.org/v1")
    # The next run offers it, naming no words, and the passphrase opens it.
    again = writer(journal_home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE)
    again.expect(r"sealed;\s+opening\s+it\s+asks\s+for\s+your\s+passphrase")
    type_keys(again, ENTER)
    ready(again)
    type_keys(again, CTRL_D, ENTER)
    finish(again)
    texts = run_cli(
        journal_home,
        "history",
        "--search",
        "lighthouse",
        "--full",
        LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE,
    ).stdout
    assert "lighthouse secret" in texts and "more" in texts


# --- terminals the writer cannot use -------------------------------------------------------


def plain(home: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "layers_journal", "today"],
        env=cli_env(home, TERM="dumb"),
        encoding="utf-8",
        timeout=30,
        dimensions=(30, 80),
    )
    child.expect("Ctrl-D saves")
    return child


def test_a_dumb_terminal_gets_the_plain_reader_and_one_ctrl_d_mid_line_saves(
    journal_home: Path,
) -> None:
    child = plain(journal_home)
    child.sendline("First line.")
    child.send("Last words")
    time.sleep(0.2)
    child.sendeof()  # once, in the middle of a line
    child.expect("How are you now")
    child.sendline("5")
    child.expect(r"\r\n[^\r\n]*first page")  # the closing line starts on its own line
    finish(child)
    (entry,) = [parse_entry(p.read_text()) for p in entry_files(journal_home)]
    assert (entry.text, entry.mood) == ("First line.\nLast words", 5)


def test_the_plain_reader_asks_before_ctrl_c_lets_go(journal_home: Path) -> None:
    child = plain(journal_home)
    child.sendline("Something to keep.")
    time.sleep(0.2)
    child.sendintr()
    child.expect(r"Leave without saving 1 line\? \(y/N\)")
    child.sendline("n")
    child.expect("Still here")
    child.sendline("More.")
    child.sendeof()
    child.expect("How are you now")
    child.sendline("")
    finish(child)
    assert saved_entries(journal_home) == ["Something to keep.\nMore."]


# --- the keeper's rhythm -----------------------------------------------------------------


def test_the_keeper_keeps_on_each_new_line_and_every_few_seconds() -> None:
    kept: list[str] = []
    now = [0.0]
    keeper = Keeper(kept.append, clock=lambda: now[0])
    keeper.changed("a")
    keeper.changed("ab")
    assert kept == []  # the same line, too soon
    keeper.changed("ab\n")
    assert kept == ["ab\n"]  # a new line: at once
    keeper.changed("ab\nc")
    now[0] += AUTOSAVE_SECONDS
    keeper.changed("ab\ncd")
    assert kept[-1] == "ab\ncd"  # a few seconds later
    now[0] += AUTOSAVE_SECONDS
    keeper.changed("ab\ncd")
    assert len(kept) == 2  # unchanged text is not written again


def test_the_keeper_says_when_the_draft_cannot_be_written() -> None:
    def full(_: str) -> None:
        raise OSError(28, "No space left on device")

    keeper = Keeper(full)
    keeper.now("words")
    assert keeper.trouble is not None and "No space left on device" in keeper.trouble
    assert "still here" in keeper.trouble


def test_importing_the_writer_leaves_prompt_toolkit_out() -> None:
    import subprocess

    code = "import sys, layers_journal.ui.writer, layers_journal.folder.drafts; print('prompt_toolkit' in sys.modules)"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )
