"""Trust, third campaign: what the shell is given stays text. The nudge snippets and the
Tab completion, in real bash, zsh, fish, sh and tmux, with hostile paths, tags and ids:
command substitutions, backticks, semicolons, quotes, newlines, glob characters and
bytes that are not UTF-8. Nothing runs, and every value arrives exactly as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import run_cli
from helpers.documents import ZONE

# Each would leave a file named pwned* behind if any byte of it ran.
HOSTILE_NAMES = {
    "a newline then a command": "a\ntouch pwned-newline\n#",
    "three single quotes": "x'''\ntouch pwned-toml\n'''",
    "a command substitution": "$(touch pwned-dollar)",
    "backticks": "`touch pwned-tick`",
    "a semicolon": "a;touch pwned-semi;b",
    "quotes of both kinds": "q\"u'o\\te",
    "glob characters": "g*l?o[b]{c,d}~",
    "bytes that are not UTF-8": os.fsdecode(b"\xff\xfe la\xe9 $(touch pwned-bytes)"),
    "a percent and a hash": "100% #{pwned} ##",
}


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed (apt-get install {program} runs this test)")
    return found


def nothing_ran(folder: Path) -> None:
    planted = list(folder.rglob("pwned*"))
    assert planted == [], planted


def hostile_home(tmp_path: Path, name: str) -> Path:
    home = tmp_path / name / "home"
    home.mkdir(parents=True)
    return home


def open_status(home: Path) -> Path:
    """The status file, written by a command, then set to an open day that is now."""
    assert run_cli(home, "nudge").returncode == 0
    (path,) = (home / "cache").glob("status-*.txt")
    now = int(time.time())
    path.write_text(f"v1 2026-03-10 open compassion {now - 3600} {now + 3600} -\n")
    return path


def shell_run(argv: list[str], code: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "TZ": ZONE, "LANG": "C.UTF-8"}
    return subprocess.run(
        [*argv, code], capture_output=True, env=env, cwd=cwd, timeout=60, check=False
    )


SHELLS = {
    "bash": (["--norc", "--noprofile", "-c"], 'printf "%s" "$__journal_nudge_file"'),
    "zsh": (["-f", "-c"], 'printf "%s" "$__journal_nudge_file"'),
    "fish": (["--no-config", "-c"], 'printf "%s" "$__journal_nudge_file"'),
}


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_nudge_snippet_holds_any_cache_path_as_text(
    shell: str, name: str, tmp_path: Path
) -> None:
    program = need(shell)
    home = hostile_home(tmp_path, HOSTILE_NAMES[name])
    result = run_cli(home, "nudge", "--shell", shell)
    assert result.returncode == 0, result.stderr
    status = open_status(home)
    snippet = tmp_path / f"nudge.{shell}"
    snippet.write_text(result.stdout)
    flags, show = SHELLS[shell]
    code = f"source {snippet}; {show}; echo @@END@@; __journal_nudge"
    ran = shell_run([program, *flags], code, tmp_path)
    nothing_ran(tmp_path)
    assert ran.stderr == b"", ran.stderr
    path, line = ran.stdout.split(b"@@END@@\n", 1)
    assert path == os.fsencode(status)
    assert line.decode() == "today's page is open · compassion\n"


def posix_scripts(home: Path) -> dict[str, str]:
    starship = run_cli(home, "nudge", "--shell", "starship")
    assert starship.returncode == 0, starship.stderr
    table = tomllib.loads(starship.stdout)["custom"]["journal"]
    tmux = run_cli(home, "nudge", "--shell", "tmux")
    assert tmux.returncode == 0, tmux.stderr
    line = next(line for line in tmux.stdout.splitlines() if line.startswith("set -ag"))
    match = re.fullmatch(r"set -ag status-right ' #\((.*)\)'", line)
    assert match, line
    # tmux reads %% as % (strftime) and ## as # (its formats) before running it.
    return {
        "starship": str(table["command"]),
        "tmux": match.group(1).replace("%%", "%").replace("##", "#"),
    }


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_starship_block_is_valid_toml_and_both_posix_scripts_hold_any_path(
    name: str, tmp_path: Path
) -> None:
    home = hostile_home(tmp_path, HOSTILE_NAMES[name])
    scripts = posix_scripts(home)
    open_status(home)
    for which, script in scripts.items():
        for sh in ("sh", "dash", "bash"):
            if shutil.which(sh) is None:
                continue
            ran = shell_run([sh, "-c"], script, tmp_path)
            nothing_ran(tmp_path)
            assert (ran.stdout.decode(), ran.stderr) == (
                "today's page is open · compassion\n",
                b"",
            ), (which, sh)
    # Every line of the snippets is a comment or belongs to the block: a path with a
    # newline never starts a line of its own.
    for shell in ("bash", "zsh", "fish", "starship", "tmux"):
        header = run_cli(home, "nudge", "--shell", shell).stdout.splitlines()[:3]
        assert all(line.startswith("# ") for line in header), (shell, header)


def test_tmux_reads_the_snippet_of_a_hostile_cache_path_as_one_option(tmp_path: Path) -> None:
    tmux = need("tmux")
    home = hostile_home(tmp_path, HOSTILE_NAMES["a newline then a command"] + "'")
    conf = tmp_path / "tmux.conf"
    conf.write_text(run_cli(home, "nudge", "--shell", "tmux").stdout)
    socket = f"hostile-{os.getpid()}"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TZ": ZONE, "LANG": "C.UTF-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tmux, "-L", socket, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=30,
            check=False,
        )

    try:
        started = run("-f", str(conf), "new-session", "-d", "sh")
        assert (started.returncode, started.stderr) == (0, "")
        shown = run("show-options", "-gv", "status-right").stdout
        assert shown.count("#(") == 1 and "pwned" in shown  # the path, inside the one script
    finally:
        run("kill-server")
    nothing_ran(tmp_path)


# --- 2. completion values reach bash, zsh and fish as inert text ---------------------------

# Tags as another device or an import could bring them (one word each, as tags are):
# each starts with its own letter, so typing that letter and Tab completes just it.
HOSTILE_TAGS = [
    "a$(touch${IFS}pwned-dollar)",
    "b`touch${IFS}pwned-tick`",
    "c;touch${IFS}pwned-semi",
    "d'q\"u'oquote",
    "e*?[g]{h,i}~glob",
    "f|touch${IFS}pwned-pipe&&touch${IFS}pwned-and",
    "g>pwned-redirect",
    "h\\$HOME!!bang",
    "~i$((1+1))tilde",
]
# The last word of each, which shows on the line once Tab has put the tag there.
LAST_WORDS = [re.findall(r"[a-z]+", tag)[-1] for tag in HOSTILE_TAGS]


def journal_program() -> Path:
    import sys

    program = Path(sys.executable).parent / "journal"
    if not program.exists():
        pytest.skip("the journal console script is not installed beside this Python")
    return program


def plant_tagged_entries(home: Path, tags: list[str]) -> None:
    """Entries as a sync from another device leaves them: files with these tags."""
    import tomli_w

    folder = home / "data" / "entries" / "2026" / "03"
    folder.mkdir(parents=True)
    for n, tag in enumerate(tags):
        entry_id = f"2026-03-{n + 1:02d}-090000-host{n:02d}"
        front = tomli_w.dumps(
            {"id": entry_id, "day": date(2026, 3, n + 1), "tz": ZONE, "tags": [tag]}
        )
        created = f"created = 2026-03-{n + 1:02d}T09:00:00+01:00\n"
        (folder / f"{entry_id}.md").write_text(f"+++\n{front}{created}+++\n\nA page.\n")
    listed = run_cli(home, "tags")
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr


INTERACTIVE = {
    "bash": (
        ["--norc", "--noprofile", "-i"],
        "source {script}; journal() {{ printf '<%s>\\n' \"$@\"; }}",
    ),
    "zsh": (
        ["-f", "-i"],
        "autoload -Uz compinit; compinit -u -D; source {script}; "
        "journal() {{ printf '<%s>\\n' \"$@\"; }}",
    ),
    "fish": (
        ["--no-config", "-i"],
        "source {script}; function journal; printf '<%s>\\n' $argv; end",
    ),
}


def interactive_shell(shell: str, home: Path, cwd: Path) -> object:
    """A real interactive shell in a terminal, with the completion script sourced and
    `journal` itself a function that prints the words it was given (the completion still
    asks the real program, through env)."""
    pexpect = pytest.importorskip("pexpect")
    program = need(shell)
    script = cwd / f"completion.{shell}"
    made = run_cli(home, "completion", shell)
    assert made.returncode == 0, made.stderr
    script.write_text(made.stdout)
    flags, setup = INTERACTIVE[shell]
    env = {
        "PATH": os.pathsep.join([str(journal_program().parent), "/usr/bin", "/bin"]),
        "HOME": str(cwd),
        "LAYERS_JOURNAL_HOME": str(home),
        "TZ": ZONE,
        "LANG": "C.UTF-8",
        "TERM": "xterm",
        "PS1": "$ ",
        # So the same test can be pointed at another checkout of the code.
        **{key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ},
    }
    child = pexpect.spawn(
        program, flags, env=env, cwd=str(cwd), encoding="utf-8", timeout=30, dimensions=(40, 200)
    )
    ready = "echo READY-(math 6 \\* 7)" if shell == "fish" else "echo READY-$((6*7))"
    child.sendline(setup.format(script=script) + "; " + ready)
    child.expect("READY-42")
    return child


@pytest.mark.parametrize("shell", INTERACTIVE)
def test_a_hostile_tag_completed_by_tab_runs_nothing_and_arrives_exactly(
    shell: str, journal_home: Path, tmp_path: Path
) -> None:
    plant_tagged_entries(journal_home, HOSTILE_TAGS)
    child: Any = interactive_shell(shell, journal_home, tmp_path)
    try:
        # Tab Tab lists them all first: listing runs nothing either.
        child.send("journal today --tag \t\t")
        child.expect("redirect", timeout=60)
        time.sleep(0.5)
        child.send("\x03")  # Ctrl-C: the line is dropped
        child.sendline(
            "echo CLEARED-$((6*7))" if shell != "fish" else "echo CLEARED-(math 6 \\* 7)"
        )
        child.expect("CLEARED-42", timeout=60)
        for n, tag in enumerate(HOSTILE_TAGS):
            typed = "\\~" if tag[0] == "~" else tag[0]
            child.send(f"journal today --tag {typed}\t")
            child.expect(LAST_WORDS[n], timeout=60)  # Tab has put the tag on the line
            time.sleep(0.3)
            child.send("\r")
            child.expect(r"<--tag>\r?\n<(.*?)>\r?\n", timeout=60)
            assert child.match.group(1) == tag, (n, child.before)
        child.sendline("exit")
    finally:
        child.close(force=True)
    nothing_ran(tmp_path)
    nothing_ran(journal_home)


def test_completion_answers_leave_out_values_with_control_characters(
    journal_home: Path,
) -> None:
    plant_tagged_entries(journal_home, ["plain", "esc\x1b]0;title\x07"])
    env = {
        "PATH": "/usr/bin:/bin",
        "LAYERS_JOURNAL_HOME": str(journal_home),
        "TZ": ZONE,
        "_JOURNAL_COMPLETE": "complete_bash",
        "COMP_WORDS": "journal history --tag ",
        "COMP_CWORD": "3",
        **{key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ},
    }
    result = subprocess.run(
        [str(journal_program())], capture_output=True, env=env, timeout=60, check=False
    )
    assert result.stdout == b"plain\0"
