"""The daily doorway: the status file, journal nudge, and its snippets in real shells."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from helpers.cli import editor_script, run_cli
from helpers.documents import ZONE, berlin, write_entry
from layers_journal.journal.facade import Journal
from layers_journal.status import day_span, parse_status, settle_status
from layers_journal.ui.messages import NUDGE_OPEN, NUDGE_WELCOME

PASSPHRASE = "a quiet harbour at dusk"
# Words a calm nudge never uses, whatever the state.
PRESSURE = re.compile(
    r"\b(streaks?|missed|lost|lose|broke|broken|risk|fail\w*|forget|forgot)\b|!", re.IGNORECASE
)


def status_file(home: Path) -> Path:
    found = list((home / "cache").glob("status-*.txt"))
    assert len(found) == 1, found
    return found[0]


def status_line(home: Path) -> str:
    return status_file(home).read_text()


def fields(home: Path) -> list[str]:
    return status_line(home).split()


def today_in_berlin() -> date:
    """The journal day now, as commands run in this process see it (TZ=Europe/Berlin)."""
    from layers_journal.config import load_config, resolve_paths

    paths = resolve_paths()
    return Journal(paths, load_config(paths.config_file)).clock.today()


def plant(home: Path, state: str, *, day: date | None = None, welcome: bool = False) -> None:
    """A wrong line that still looks current (today's day and times), so only a command
    that takes a fresh look corrects it."""
    from layers_journal.config import load_config, resolve_paths

    paths = resolve_paths()
    journal = Journal(paths, load_config(paths.config_file))
    day = day or journal.clock.today()
    begins, ends = day_span(journal.clock, day)
    greeting = "welcome" if welcome else "-"
    path = paths.status_file(journal.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"v1 {day.isoformat()} {state} connection {begins} {ends} {greeting}\n")


def export_with(days: list[date]) -> str:
    return json.dumps(
        {
            "format": "layers-journal",
            "version": 1,
            "entries": [
                {
                    "id": f"{day.isoformat()}-120000-imp{n:03d}",
                    "created": f"{day.isoformat()}T12:00:00+01:00",
                    "day": day.isoformat(),
                    "tz": ZONE,
                    "theme": "awareness",
                    "prompt_id": None,
                    "prompt": None,
                    "mood": None,
                    "tags": [],
                    "text": f"Imported page {n}.",
                }
                for n, day in enumerate(days)
            ],
            "pauses": [],
        }
    )


# --- the status file after each kind of write -------------------------------------------


def test_a_first_look_writes_the_line_and_a_save_makes_it_written(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", "--show").returncode == 0
    version, day, state, layer, begins, ends, greeting = fields(journal_home)
    assert (version, day, state, layer, greeting) == (
        "v1",
        today_in_berlin().isoformat(),
        "open",
        "awareness",
        "-",
    )
    assert int(begins) <= time.time() < int(ends)
    assert status_file(journal_home).stat().st_mode & 0o777 == 0o600

    assert run_cli(journal_home, "today", stdin="A slow walk.").returncode == 0
    assert fields(journal_home)[2] == "written"
    # The layer is the one today's prompt is on all day, also once written.
    assert fields(journal_home)[3] == "awareness"


def test_every_kind_of_write_settles_the_line(journal_home: Path, tmp_path: Path) -> None:
    """Before each command a wrong but current-looking line is planted; the write must
    take a fresh look and correct it."""
    assert run_cli(journal_home, "today", stdin="First words.").returncode == 0
    entry_id = run_cli(journal_home, "history", "--json").stdout
    entry_id = json.loads(entry_id)["entries"][0]["id"]

    plant(journal_home, "open")
    editor = editor_script(tmp_path, 'path.write_text("Changed words.\\n")')
    assert run_cli(journal_home, "edit", entry_id, EDITOR=editor).returncode == 0
    assert fields(journal_home)[2] == "written"

    plant(journal_home, "written")
    assert run_cli(journal_home, "delete", entry_id, "--yes").returncode == 0
    assert fields(journal_home)[2] == "open"

    plant(journal_home, "open")
    assert run_cli(journal_home, "restore", entry_id).returncode == 0
    assert fields(journal_home)[2] == "written"

    assert run_cli(journal_home, "delete", entry_id, "--yes").returncode == 0
    plant(journal_home, "open")
    assert run_cli(journal_home, "pause", "today").returncode == 0
    assert fields(journal_home)[2] == "paused"

    pause_id = json.loads(run_cli(journal_home, "pauses", "--json").stdout)["pauses"][0]["id"]
    plant(journal_home, "paused")
    assert run_cli(journal_home, "unpause", pause_id).returncode == 0
    assert fields(journal_home)[2] == "open"

    source = tmp_path / "export.json"
    source.write_text(export_with([today_in_berlin()]))
    plant(journal_home, "open")
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    assert fields(journal_home)[2] == "written"


def test_a_failed_command_still_settles(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", "--show").returncode == 0
    plant(journal_home, "written", day=today_in_berlin() - timedelta(days=1))
    result = run_cli(journal_home, "show", "no-such-entry")
    assert result.returncode == 1
    assert fields(journal_home)[1:3] == [today_in_berlin().isoformat(), "open"]


def test_a_reading_run_looks_again_only_when_the_folder_changed(
    journal_home: Path, tmp_path: Path
) -> None:
    """Nothing changed: the line stands (no work for history). A page that arrives by
    hand or from another device is noticed by the next command that reads the index."""
    assert run_cli(journal_home, "today", "--show").returncode == 0
    plant(journal_home, "paused")
    assert run_cli(journal_home, "history", "--no-pager").returncode == 0
    assert fields(journal_home)[2] == "paused"

    other = tmp_path / "other-device"
    assert run_cli(other, "today", stdin="Written on the laptop.").returncode == 0
    arrived = next((other / "data" / "entries").rglob("*.md"))
    target = journal_home / "data" / arrived.relative_to(other / "data")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(arrived.read_bytes())
    assert run_cli(journal_home, "history", "--no-pager").returncode == 0
    assert fields(journal_home)[2] == "written"


def test_a_look_that_reads_nothing_trusts_a_current_line(journal_home: Path) -> None:
    """journal nudge --shell opens the journal but not its index: a line about today is
    left as it is (one small read), a line about another day is looked at again."""
    plant(journal_home, "paused")
    assert run_cli(journal_home, "nudge", "--shell", "bash").returncode == 0
    assert fields(journal_home)[2] == "paused"

    plant(journal_home, "paused", day=today_in_berlin() - timedelta(days=1))
    assert run_cli(journal_home, "nudge", "--shell", "bash").returncode == 0
    assert fields(journal_home)[1:3] == [today_in_berlin().isoformat(), "open"]


def test_the_line_is_rewritten_only_when_it_changes(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", stdin="Words.").returncode == 0
    path = status_file(journal_home)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert run_cli(journal_home, "history", "-n", "1", "--no-pager").returncode == 0
    assert path.stat().st_mtime == 1_000_000_000


def test_journals_sharing_a_cache_keep_a_line_each(journal_home: Path, tmp_path: Path) -> None:
    assert run_cli(journal_home, "today", stdin="In the first journal.").returncode == 0
    second = tmp_path / "second-journal"
    assert run_cli(journal_home, "config", "set", "journal_dir", str(second)).returncode == 0
    assert run_cli(journal_home, "today", "--show").returncode == 0
    lines = sorted(p.read_text().split()[2] for p in (journal_home / "cache").glob("status-*"))
    assert lines == ["open", "written"]


# --- the day turning, paused days, time away (the clock passed in) ---------------------


def settled(journal: Journal, now: datetime, *, look: bool = True) -> list[str]:
    settle_status(journal, look=look, now=now)
    return journal.paths.status_file(journal.root).read_text().split()


def test_the_line_follows_the_journal_day_not_the_calendar(journal: Journal) -> None:
    write_entry(journal, berlin(2026, 3, 10, 21), theme="awareness")
    assert settled(journal, berlin(2026, 3, 10, 22))[1:4] == ["2026-03-10", "written", "awareness"]
    # 01:00 still belongs to the evening before (day_start 04:00): nothing changes.
    assert settled(journal, berlin(2026, 3, 11, 1))[1:3] == ["2026-03-10", "written"]
    # At 05:00 a new journal day has begun, and even a run that read nothing notices.
    glance = Journal(journal.paths, journal.config)
    line = settled(glance, berlin(2026, 3, 11, 5), look=False)
    assert line[1:4] == ["2026-03-11", "open", "connection"]
    begins, ends = int(line[4]), int(line[5])
    assert begins == int(berlin(2026, 3, 11, 4).timestamp())
    assert ends == int(berlin(2026, 3, 12, 4).timestamp())


def test_a_day_of_23_hours_ends_when_the_wall_clock_says(journal: Journal) -> None:
    line = settled(journal, berlin(2026, 3, 28, 12))  # summer time begins that night
    assert int(line[5]) - int(line[4]) == 23 * 3600


def test_a_paused_day_says_paused_and_a_written_one_written(journal: Journal) -> None:
    journal.changes.add_pause(date(2026, 3, 10), date(2026, 3, 12), None)
    assert settled(journal, berlin(2026, 3, 11, 9))[2] == "paused"
    write_entry(journal, berlin(2026, 3, 11, 10))
    assert settled(journal, berlin(2026, 3, 11, 11))[2] == "written"
    assert settled(journal, berlin(2026, 3, 13, 9))[2] == "open"


def test_after_time_away_the_line_welcomes(journal: Journal) -> None:
    write_entry(journal, berlin(2026, 3, 1, 9), theme="awareness")
    write_entry(journal, berlin(2026, 3, 2, 9), theme="connection")
    assert settled(journal, berlin(2026, 3, 3, 9))[6] == "-"  # the very next day
    line = settled(journal, berlin(2026, 3, 8, 9))
    assert (line[2], line[3], line[6]) == ("open", "compassion", "welcome")
    # Rest days are not time away.
    journal.changes.add_pause(date(2026, 3, 3), date(2026, 3, 7), None)
    assert settled(journal, berlin(2026, 3, 8, 9))[6] == "-"


def test_a_page_written_today_for_another_day_quiets_it_too(journal: Journal) -> None:
    write_entry(journal, berlin(2026, 3, 11, 9), day=date(2026, 3, 10))
    assert settled(journal, berlin(2026, 3, 11, 10))[2] == "written"


def test_an_encrypted_journal_keeps_a_line_without_any_of_its_words(journal_home: Path) -> None:
    secret = "zephyrquill"
    env = {"LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
    assert run_cli(journal_home, "encrypt", **env).returncode == 0
    saved = run_cli(journal_home, "today", "--mood", "2", "--tag", secret, stdin=f"{secret} text")
    assert saved.returncode == 0, saved.stderr
    line = status_line(journal_home)
    assert secret not in line
    version, day, state, layer, begins, ends, greeting = line.split()
    assert (version, day, state, layer, greeting) == (
        "v1",
        today_in_berlin().isoformat(),
        "written",
        "awareness",
        "-",
    )
    assert begins.isdigit() and ends.isdigit()
    # No prompt, mood or tag either: the line is only these seven fields.
    assert re.fullmatch(r"v1 \d{4}-\d\d-\d\d written [a-z]+ \d+ \d+ -\n", line)


def test_parse_status_refuses_what_it_did_not_write() -> None:
    assert parse_status("v1 2026-03-10 open awareness 1 2 -\n") is not None
    for text in ("", "v2 2026-03-10 open awareness 1 2 -", "v1 2026-03-10 open awareness x 2 -"):
        assert parse_status(text) is None


# --- journal nudge -----------------------------------------------------------------------


def test_nudge_says_one_calm_line_while_today_is_open(journal_home: Path) -> None:
    result = run_cli(journal_home, "nudge")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"{NUDGE_OPEN} · awareness\n",
        "",
    )
    assert result.stdout == "today's page is open · awareness\n"


@pytest.mark.parametrize("how", ["written", "paused"])
def test_nudge_is_silent_once_written_or_paused(journal_home: Path, how: str) -> None:
    if how == "written":
        assert run_cli(journal_home, "today", stdin="Written.").returncode == 0
    else:
        assert run_cli(journal_home, "pause", "today").returncode == 0
    for args in (["nudge"], ["nudge", "--notify"]):
        result = run_cli(journal_home, *args)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_nudge_welcomes_after_time_away(
    journal_home: Path,
    tmp_path: Path,
    clock_at,  # type: ignore[no-untyped-def]
) -> None:
    # A Saturday, five days after a Monday page: days away inside one calendar week, never
    # the shape of a weekly practice (which the words leave unwelcomed), whatever the date.
    saturday = date(2026, 11, 28)
    clock_at(saturday)
    source = tmp_path / "export.json"
    source.write_text(export_with([saturday - timedelta(days=5)]))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    result = run_cli(journal_home, "nudge")
    assert result.stdout == f"{NUDGE_WELCOME} · connection\n"
    assert result.stdout == "good to see you; today's page is open · connection\n"


def test_no_line_talks_of_loss_or_pressure() -> None:
    from layers_journal import nudge

    for words in (NUDGE_OPEN, NUDGE_WELCOME, nudge.HEADER, nudge.__doc__ or ""):
        assert not PRESSURE.search(words), words


def fake_program(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n" + body)
    program.chmod(0o755)
    return program


def test_notify_uses_notify_send_and_is_silent_without_it(
    journal_home: Path, tmp_path: Path
) -> None:
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "bin"
    fake_program(bin_dir, "notify-send", f'printf "%s|" "$@" >> "{calls}"\n')
    result = run_cli(journal_home, "nudge", "--notify", PATH=str(bin_dir))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert calls.read_text().endswith("|layers-journal|today's page is open · awareness|")

    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(journal_home, "nudge", "--notify", PATH=str(empty))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_where_names_the_status_file(journal_home: Path) -> None:
    assert run_cli(journal_home, "today", "--show").returncode == 0
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["status"] == str(status_file(journal_home))


# --- the snippets in their real shells ---------------------------------------------------

SHELLS = ["bash", "zsh", "fish"]


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed (apt-get install {program} runs this test)")
    return found


def snippet_file(home: Path, tmp_path: Path, shell: str) -> Path:
    result = run_cli(home, "nudge", "--shell", shell)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"nudge.{shell}"
    path.write_text(result.stdout)
    return path


def write_status(home: Path, state: str, *, offset: int = 0, greeting: str = "-") -> Path:
    """A status line whose day is now (offset moves it: -1 yesterday, +1 tomorrow)."""
    now = int(time.time())
    day = 86400
    begins, ends = now - 3600 + offset * day, now + 3600 + offset * day
    path = next((home / "cache").glob("status-*.txt"))
    path.write_text(f"v1 2026-03-10 {state} compassion {begins} {ends} {greeting}\n")
    return path


def run_shell(
    shell: str, script: Path, code: str, path_dirs: list[Path] | None = None
) -> subprocess.CompletedProcess[str]:
    """`code` in a clean, non-interactive shell that has sourced the snippet."""
    program = need(shell)
    argv = {
        "bash": [program, "--norc", "--noprofile", "-c"],
        "zsh": [program, "-f", "-c"],
        "fish": [program, "--no-config", "-c"],
    }[shell]
    env = {
        "PATH": os.pathsep.join([*(str(d) for d in path_dirs or []), "/usr/bin", "/bin"]),
        "HOME": str(script.parent),
        "TZ": ZONE,
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [*argv, f"source {script}; {code}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize("shell", SHELLS)
def test_each_shell_says_the_line_only_while_today_is_open(
    journal_home: Path, tmp_path: Path, shell: str
) -> None:
    need(shell)
    script = snippet_file(journal_home, tmp_path, shell)
    cases = [
        (("open", 0, "-"), "today's page is open · compassion\n"),
        (("open", 0, "welcome"), "good to see you; today's page is open · compassion\n"),
        (("written", 0, "-"), ""),
        (("paused", 0, "-"), ""),
        (("open", -1, "-"), ""),  # about yesterday: stale, so not said
        (("open", 1, "-"), ""),  # from a clock that ran ahead
    ]
    for (state, offset, greeting), expected in cases:
        status = write_status(journal_home, state, offset=offset, greeting=greeting)
        Path(f"{status}.tried").unlink(missing_ok=True)
        result = run_shell(shell, script, "__journal_nudge")
        assert (result.stdout, result.stderr) == (expected, ""), (state, offset, greeting)


@pytest.mark.parametrize("shell", SHELLS)
def test_each_shell_says_it_once_and_keeps_the_exit_status(
    journal_home: Path, tmp_path: Path, shell: str
) -> None:
    need(shell)
    script = snippet_file(journal_home, tmp_path, shell)
    write_status(journal_home, "open")
    # fish keeps the status of a prompt's command itself; bash and zsh need the hook to.
    code = "false; __journal_nudge; echo status=$?; __journal_nudge"
    expected = "today's page is open · compassion\nstatus=1\n"
    if shell == "fish":
        code, expected = "__journal_nudge; __journal_nudge", expected.replace("status=1\n", "")
    result = run_shell(shell, script, code)
    assert result.stdout == expected
    assert result.stderr == ""


@pytest.mark.parametrize("shell", SHELLS)
def test_a_missing_or_stale_file_asks_journal_once_a_day(
    journal_home: Path, tmp_path: Path, shell: str
) -> None:
    """The fallback runs `journal nudge` (here a stand-in that records its calls and
    writes an open line for today) at most once a day, then reads the file again."""
    need(shell)
    script = snippet_file(journal_home, tmp_path, shell)
    status = write_status(journal_home, "open", offset=-1)
    calls = tmp_path / "calls"
    fresh = "v1 2026-03-10 open awareness $(($(date +%s) - 60)) $(($(date +%s) + 60)) -"
    bin_dir = tmp_path / "bin"
    fake_program(bin_dir, "journal", f'echo "$@" >> "{calls}"\necho "{fresh}" > "{status}"\n')

    result = run_shell(shell, script, "__journal_nudge", [bin_dir])
    assert (result.stdout, result.stderr) == ("today's page is open · awareness\n", "")
    assert calls.read_text() == "nudge\n"
    assert status.with_name(status.name + ".tried").stat().st_mode & 0o777 == 0o600

    # A stand-in that cannot bring the file up to date is asked once, not at each prompt.
    fake_program(bin_dir, "journal", f'echo "$@" >> "{calls}"\n')
    status.unlink()
    for _ in range(3):
        result = run_shell(shell, script, "__journal_nudge; __journal_nudge", [bin_dir])
        assert (result.stdout, result.stderr) == ("", "")
    assert calls.read_text() == "nudge\nnudge\n"


@pytest.mark.parametrize("shell", SHELLS)
def test_without_journal_on_the_path_a_missing_file_is_silent(
    journal_home: Path, tmp_path: Path, shell: str
) -> None:
    need(shell)
    script = snippet_file(journal_home, tmp_path, shell)
    next((journal_home / "cache").glob("status-*.txt")).unlink()
    result = run_shell(shell, script, "__journal_nudge; __journal_nudge")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_bash_snippet_costs_microseconds(journal_home: Path, tmp_path: Path) -> None:
    script = snippet_file(journal_home, tmp_path, "bash")
    write_status(journal_home, "written")
    code = (
        "s=$EPOCHREALTIME; for i in {1..500}; do __journal_nudge; done; e=$EPOCHREALTIME; "
        "echo $(( (${e/./} - ${s/./}) / 500 ))"
    )
    result = run_shell("bash", script, code)
    per_call_us = int(result.stdout)
    assert per_call_us < 5000, per_call_us


def posix_script_of_starship(home: Path) -> tuple[dict[str, object], str]:
    result = run_cli(home, "nudge", "--shell", "starship")
    assert result.returncode == 0
    table = tomllib.loads(result.stdout)["custom"]["journal"]
    return table, str(table["command"])


def posix_script_of_tmux(home: Path) -> tuple[str, str]:
    result = run_cli(home, "nudge", "--shell", "tmux")
    assert result.returncode == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("set -ag"))
    match = re.fullmatch(r"set -ag status-right ' #\((.*)\)'", line)
    assert match, line
    # tmux reads %% as % (strftime) and ## as # (its formats) before running it.
    return line, match.group(1).replace("%%", "%").replace("##", "#")


@pytest.mark.parametrize("which", ["starship", "tmux"])
def test_the_starship_and_tmux_scripts_in_sh(
    journal_home: Path, tmp_path: Path, which: str
) -> None:
    """Both start `sh -c SCRIPT` for each look, as starship (shell = ["sh"]) and tmux's
    #() do; the script is POSIX, so it runs in dash as well as bash."""
    if which == "starship":
        table, script = posix_script_of_starship(journal_home)
        assert (table["when"], table["shell"]) == (True, ["sh"])
    else:
        _, script = posix_script_of_tmux(journal_home)
    env = {"PATH": "/usr/bin:/bin", "TZ": ZONE, "LANG": "C.UTF-8"}
    for state, offset, expected in [
        ("open", 0, "today's page is open · compassion\n"),
        ("written", 0, ""),
        ("paused", 0, ""),
        ("open", -1, ""),
    ]:
        write_status(journal_home, state, offset=offset)
        result = subprocess.run(
            ["sh", "-c", script], capture_output=True, text=True, env=env, timeout=30
        )
        assert (result.stdout, result.stderr) == (expected, ""), (state, offset)


def test_tmux_shows_it_in_its_status_line(journal_home: Path, tmp_path: Path) -> None:
    """A real tmux with the snippet, seen from the outside: an outer tmux runs it and
    captures its screen, status line included."""
    tmux = need("tmux")
    snippet = run_cli(journal_home, "nudge", "--shell", "tmux").stdout
    write_status(journal_home, "open")
    conf = tmp_path / "tmux.conf"
    conf.write_text("set -g status-interval 1\n" + snippet)
    inner, outer = f"nudge-inner-{os.getpid()}", f"nudge-outer-{os.getpid()}"
    env = {**os.environ, "PATH": "/usr/bin:/bin", "TZ": ZONE, "LANG": "C.UTF-8"}
    env.pop("TMUX", None)

    def run(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tmux, "-L", socket, *args], capture_output=True, text=True, env=env, timeout=30
        )

    inner_client = f"{tmux} -L {inner} -f {conf} new-session"
    try:
        # A plain sh in the outer pane: a login shell's start-up files can be slow.
        started = run(outer, "-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "6", "sh")
        assert started.returncode == 0, started.stderr
        assert run(outer, "send-keys", inner_client, "Enter").returncode == 0
        screen = ""
        for _ in range(100):  # #() runs in the background; its output shows once done
            screen = run(outer, "capture-pane", "-p").stdout
            if "page is open" in screen:
                break
            time.sleep(0.1)
        assert "today's page is open · compassion" in screen
        assert run(inner, "show-options", "-gv", "status-right-length").stdout == "90\n"
    finally:
        run(inner, "kill-server")
        run(outer, "kill-server")


def test_the_bash_hook_is_added_once_and_minds_set_u(journal_home: Path, tmp_path: Path) -> None:
    script = snippet_file(journal_home, tmp_path, "bash")
    write_status(journal_home, "open")
    code = (
        f'set -u; PROMPT_COMMAND="history -a"; source {script}; '
        'echo "$PROMPT_COMMAND"; eval "$PROMPT_COMMAND"'
    )
    result = run_shell("bash", script, code)
    assert result.stdout == ("__journal_nudge;history -a\ntoday's page is open · compassion\n"), (
        result.stderr
    )
    assert result.stderr == ""
