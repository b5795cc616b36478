"""Benchmark layers-journal against jrnl 4.6 and the floor of its own stack.

    python3 bench/run.py                 # 10- and 100-year journals, table to stdout
    python3 bench/run.py --years 10      # just one size
    python3 bench/run.py --years 10 --against 456cfa2   # paired with another version

Everything happens under bench/work/ (ignored by git): three virtual environments (this
repository installed as a user would install it; jrnl 4.6 from PyPI; Typer 0.28 + Rich
for the floor), the generated journals, and jrnl's copy of the same text. Commands are
run interleaved, round after round, so a noisy machine slows them all alike; the table
gives medians of wall time, ratios to the floor in wall and in CPU time (user + system,
which waiting for a busy core does not inflate) and each command's peak memory (the
child's max RSS), and is also written to bench/results/latest.md. Besides the everyday
commands it times a save, the commands right after one (each preceded by an untimed
save), and a cold rebuild of the index at each size. With --against REV (a git revision
of this repository, or the path of another checkout) every command of ours also runs as
that version, interleaved in the same rounds on its own copy of the journal, and a
second table gives the paired ratios: for each round ours ÷ theirs, the median of those.
It is a script, not a test: nothing fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

PASSPHRASE = "a bench passphrase, not a secret"

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEARCH_WORD = "lighthouse"
AFTER_SAVE = "right after a save: "
FLOOR = "floor: Typer 0.28 + one Rich panel"
FLOOR_APP = """\
import typer

app = typer.Typer()


@app.command()
def main() -> None:
    from rich.console import Console
    from rich.panel import Panel

    Console().print(Panel("The floor: Typer and one Rich panel."))


if __name__ == "__main__":
    app()
"""
# jrnl's own first-run config, as committed with the importer's fixtures.
JRNL_CONFIG = REPO / "tests" / "fixtures" / "jrnl" / "default-timeformat.jrnl.yaml"


def sh(*args: str | Path, **kwargs: object) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def venv(path: Path, *packages: str, refresh: tuple[str, ...] = ()) -> Path:
    """A virtual environment with packages; `refresh` ones are reinstalled each run."""
    python = path / "bin" / "python"
    if not python.exists():
        sh(sys.executable, "-m", "venv", path)
        sh(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        sh(python, "-m", "pip", "install", "--quiet", *packages)
    if refresh:
        sh(python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", *refresh)
    return path / "bin"


def prepare_size(
    work: Path, years: int, journal_bin: Path, jrnl_bin: Path
) -> dict[str, dict[str, str]]:
    """Generate the journal once, give it to both tools, and return their environments."""
    folder = work / f"{years}y"
    if not (folder / "journal.json").exists():
        sh(sys.executable, HERE / "generate.py", "--years", str(years), "--out", folder)
    ours = {"LAYERS_JOURNAL_HOME": str(folder / "home"), "TZ": "UTC", "COLUMNS": "80"}
    if not (folder / "home" / "data").exists():
        print(f"  importing the {years}-year journal into layers-journal …", flush=True)
        sh(journal_bin / "journal", "import", folder / "journal.json", env={**os.environ, **ours})
    jrnl_home = folder / "jrnl"
    (jrnl_home / "config" / "jrnl").mkdir(parents=True, exist_ok=True)
    journal_file = jrnl_home / "journal.txt"
    if not journal_file.exists():
        shutil.copy(folder / "jrnl.txt", journal_file)
    config = re.sub(r"(?m)^(\s*journal:).*$", rf"\1 {journal_file}", JRNL_CONFIG.read_text())
    (jrnl_home / "config" / "jrnl" / "jrnl.yaml").write_text(config)
    theirs = {
        "HOME": str(jrnl_home),
        "XDG_CONFIG_HOME": str(jrnl_home / "config"),
        "XDG_DATA_HOME": str(jrnl_home / "data"),
        "TZ": "UTC",
        "COLUMNS": "80",
    }
    # Warm both: our index is built, jrnl has read its file once.
    run_once([str(journal_bin / "journal"), "layers"], ours, None)
    run_once([str(jrnl_bin / "jrnl"), "-n", "1"], theirs, None)
    return {"ours": ours, "jrnl": theirs}


def prepare_encrypted(work: Path, years: int, journal_bin: Path) -> dict[str, str]:
    """A copy of the plain journal, encrypted once (its sealed text index built), and
    its environment (without the passphrase)."""
    plain = work / f"{years}y" / "home"
    folder = work / f"{years}y-encrypted"
    env = {"LAYERS_JOURNAL_HOME": str(folder / "home"), "TZ": "UTC", "COLUMNS": "80"}
    if not (folder / "home" / "data" / "journal-key.age").exists():
        print(f"  encrypting a copy of the {years}-year journal …", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for part in ("data", "config"):
            if (plain / part).exists():
                shutil.copytree(plain / part, folder / "home" / part, symlinks=True)
        sh(
            journal_bin / "journal",
            "encrypt",
            env={**os.environ, **env, "LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE},
        )
    # Warm: the metadata index and the sealed text index are built.
    with_passphrase = {**env, "LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
    run_once(
        [str(journal_bin / "journal"), "history", "--search", SEARCH_WORD], with_passphrase, None
    )
    return env


def copy_home(work: Path, years: int, env: dict[str, str], journal_bin: Path) -> dict[str, str]:
    """The encrypted journal copied whole, its indexes built, and its environment."""
    home = work / f"{years}y-unlocked" / "home"
    if not home.exists():
        shutil.copytree(env["LAYERS_JOURNAL_HOME"], home, symlinks=True)
        shutil.rmtree(home / "cache", ignore_errors=True)  # named by the journal's folder
    copied = {**env, "LAYERS_JOURNAL_HOME": str(home)}
    warm = {**copied, "LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
    run_once([str(journal_bin / "journal"), "history", "--search", SEARCH_WORD], warm, None)
    return copied


def join_session_keyring() -> bool:
    """Give this process a session keyring of its own (as a login session has), for
    `journal unlock`; False where the kernel keyring cannot be used."""
    import ctypes

    numbers = {"x86_64": 250, "aarch64": 219}
    if not sys.platform.startswith("linux") or platform.machine() not in numbers:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    keyctl, join_session_keyring = numbers[platform.machine()], 1
    return int(libc.syscall(keyctl, ctypes.c_long(join_session_keyring), None)) >= 0


UNLOCK_CODE = """\
import sys
from pathlib import Path
from layers_journal.folder.crypto import unlock
unlock(Path(sys.argv[1]), sys.argv[2])
"""


BARE_CODE = "import pyrage, layers_journal.folder.crypto"


def run_once(argv: list[str], env: dict[str, str], stdin: bytes | None) -> float:
    """Wall time in seconds of one run of argv."""
    return run_timed(argv, env, stdin)[0]


def run_timed(argv: list[str], env: dict[str, str], stdin: bytes | None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) in seconds of one run of argv. On a shared
    machine the CPU time is the steadier of the two: waiting for a core is not in it."""
    full_env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **env}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        env=full_env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, errors = process.communicate(stdin)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {errors.decode(errors='replace')}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


class Command(NamedTuple):
    name: str
    argv: list[str]
    env: dict[str, str]
    stdin: bytes | None = None
    # Run untimed just before each timed run (a save, for "the command after a save").
    before: tuple[list[str], bytes | None] | None = None


def measure(commands: list[Command], runs: int, warmup: int) -> dict[str, dict[str, float]]:
    """Interleaved rounds: every command once per round, the first `warmup` discarded.

    Peak memory: RUSAGE_CHILDREN only ever grows within a process, so each command is
    run once more in a fresh helper process that reports its one child's max RSS.
    """
    times: dict[str, list[float]] = {command.name: [] for command in commands}
    cpu: dict[str, list[float]] = {command.name: [] for command in commands}
    for round_number in range(warmup + runs):
        for command in commands:
            if command.before is not None:
                run_once(command.before[0], command.env, command.before[1])
            elapsed, used = run_timed(command.argv, command.env, command.stdin)
            if round_number >= warmup:
                times[command.name].append(elapsed)
                cpu[command.name].append(used)
        print(f"  round {round_number + 1}/{warmup + runs}", end="\r", flush=True)
    print(" " * 30, end="\r")
    results = {}
    for command in commands:
        if command.before is not None:
            run_once(command.before[0], command.env, command.before[1])
        results[command.name] = {
            "times": times[command.name],
            "cpus": cpu[command.name],
            "median": statistics.median(times[command.name]),
            "cpu": statistics.median(cpu[command.name]),
            "peak_kib": peak_memory(command.argv, command.env, command.stdin),
        }
    return results


def peak_memory(argv: list[str], env: dict[str, str], stdin: bytes | None) -> float:
    """Peak resident memory (KiB) of one run of argv."""
    code = (
        "import resource, subprocess, sys, os, json;"
        "p = subprocess.run(json.loads(sys.argv[1]), input=sys.stdin.buffer.read() or None,"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=json.loads(sys.argv[2]));"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    full_env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **env}
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(argv), json.dumps(full_env)],
        input=stdin or b"",
        capture_output=True,
        check=True,
    )
    return float(result.stdout.strip())


def cold_rebuild(journal_bin: Path, env: dict[str, str], runs: int = 3) -> tuple[float, float]:
    """Seconds to rebuild the index from nothing (the cache folder emptied first), and
    the peak memory (KiB) of one such rebuild."""
    cache = Path(env["LAYERS_JOURNAL_HOME"]) / "cache"
    argv = [str(journal_bin / "journal"), "history", "-n", "1"]
    times = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        times.append(run_once(argv, env, None))
    shutil.rmtree(cache, ignore_errors=True)
    return statistics.median(times), peak_memory(argv, env, None)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark layers-journal against jrnl and the floor."
    )
    parser.add_argument("--years", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.md")
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also run every command as this version (a git revision or a checkout's path)",
    )
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    print("Preparing environments …", flush=True)
    journal_bin = venv(work / "venv-journal", str(REPO), refresh=(str(REPO),))
    against_bin = None
    if args.against:
        source = other_version(work, args.against)
        against = work / f"venv-against-{source.name}"
        against_bin = venv(against, str(source), refresh=(str(source),))
    jrnl_bin = venv(work / "venv-jrnl", "jrnl==4.6")
    floor_bin = venv(work / "venv-floor", "typer==0.28.0", "rich")
    floor_app = work / "floor.py"
    floor_app.write_text(FLOOR_APP)
    python = str(floor_bin / "python")
    floor = [
        Command(FLOOR, [python, str(floor_app)], {}),
        Command("floor: python -c pass", [python, "-c", "pass"], {}),
    ]

    keyring = join_session_keyring()
    if not keyring:
        print("  (no kernel keyring here: the rows after journal unlock are left out)")
    sections = []
    for years in args.years:
        print(f"{years}-year journal:", flush=True)
        envs = prepare_size(work, years, journal_bin, jrnl_bin)
        ours, theirs = envs["ours"], envs["jrnl"]
        other = against_home(ours, against_bin) if against_bin is not None else None
        journal = str(journal_bin / "journal")
        jrnl = str(jrnl_bin / "jrnl")
        text = b"A short walk before work; the air was cold and my shoulders dropped."
        save = [journal, "today"]
        pairs: list[Pair] = [
            ("today --show", [journal, "today", "--show"], None, None),
            ("layers", [journal, "layers"], None, None),
            (
                "history -n 10",
                [journal, "history", "-n", "10"],
                ("jrnl -n 10", [jrnl, "-n", "10"]),
                None,
            ),
            (
                f"history --search {SEARCH_WORD}",
                [journal, "history", "--search", SEARCH_WORD],
                (f"jrnl -contains {SEARCH_WORD}", [jrnl, "-contains", SEARCH_WORD]),
                None,
            ),
            (
                "save an entry from stdin",
                save,
                ("jrnl: add an entry from stdin", [jrnl]),
                text,
            ),
            (AFTER_SAVE + "today --show", [journal, "today", "--show"], None, None),
            (AFTER_SAVE + "layers", [journal, "layers"], None, None),
        ]
        commands = list(floor)
        for name, argv, rival, stdin in pairs:
            before = (save, text) if name.startswith(AFTER_SAVE) else None
            commands.append(Command(name, argv, ours, stdin, before))
            if other is not None and against_bin is not None:
                twin = [str(against_bin / "journal"), *argv[1:]]
                twin_before = ([str(against_bin / "journal"), *save[1:]], text) if before else None
                commands.append(Command(AGAINST + name, twin, other, stdin, twin_before))
            if rival is not None:
                commands.append(Command(rival[0], rival[1], theirs, stdin))
        locked = prepare_encrypted(work, years, journal_bin)
        with_passphrase = {**locked, "LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
        # A second copy for `journal unlock`: a held key is the journal's (by its folder),
        # so the copy read with the passphrase keeps paying the unlock.
        unlocked = copy_home(work, years, locked, journal_bin) if keyring else None
        key_file = Path(locked["LAYERS_JOURNAL_HOME"]) / "data"
        python_journal = str(journal_bin / "python")
        commands += [
            Command(ONE_UNLOCK, [python_journal, "-c", UNLOCK_CODE, str(key_file), PASSPHRASE], {}),
            Command(BARE_IMPORT, [python_journal, "-c", BARE_CODE], {}),
        ]
        for name, argv in encrypted_pairs(journal):
            commands.append(Command(PLAIN + name, argv, ours))
            commands.append(Command(WITH_PASSPHRASE + name, argv, with_passphrase))
            if unlocked is not None:
                commands.append(Command(UNLOCKED + name, argv, unlocked))
        if unlocked is not None:
            with_key = {**unlocked, "LAYERS_JOURNAL_PASSPHRASE": PASSPHRASE}
            run_once([journal, "unlock", "--for", "1d"], with_key, None)
        try:
            results = measure(commands, args.runs, args.warmup)
        finally:
            if unlocked is not None:
                run_once([journal, "lock"], unlocked, None)
        rebuild = cold_rebuild(journal_bin, ours)
        sections.append(table(years, pairs, results, rebuild))
        first = len(sections) - 1
        if other is not None and against_bin is not None:
            other_rebuild = cold_rebuild(against_bin, other)
            paired = paired_table(years, args.against, pairs, results, rebuild, other_rebuild)
            sections.append(paired)
        sections.append(encrypted_table(years, journal, results, unlocked is not None))
        sections.append(targets_table(years, results, rebuild, unlocked is not None))
        print("\n".join(sections[first:]), flush=True)

    header = (
        f"Benchmark of layers-journal, {time.strftime('%Y-%m-%d')}, on {platform.platform()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; medians of "
        f"{args.runs} interleaved rounds after {args.warmup} warm-up rounds.\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + "\n" + "\n".join(sections))
    print(f"Written to {args.out}")


Pair = tuple[str, list[str], tuple[str, list[str]] | None, bytes | None]
AGAINST = "against: "


def other_version(work: Path, against: str) -> Path:
    """The other version's source tree: a checkout's path as it is, or a revision of
    this repository exported (git archive) under the work folder, once."""
    path = Path(against)
    if (path / "pyproject.toml").exists():
        return path.resolve()
    revision = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", f"{against}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = work / f"source-{revision}"
    if not (target / "pyproject.toml").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", revision],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def against_home(ours: dict[str, str], against_bin: Path) -> dict[str, str]:
    """The other version's own copy of the journal (its index and kept results are its
    own), made fresh from ours for each run of the script, and warmed."""
    home = Path(ours["LAYERS_JOURNAL_HOME"])
    copy = home.with_name(home.name + "-against")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home / "data", copy / "data", symlinks=True)
    if (home / "config").exists():
        shutil.copytree(home / "config", copy / "config", symlinks=True)
    env = {**ours, "LAYERS_JOURNAL_HOME": str(copy)}
    run_once([str(against_bin / "journal"), "layers"], env, None)
    return env


def paired_table(
    years: int,
    against: str,
    pairs: list[Pair],
    results: dict[str, dict[str, float]],
    rebuild: tuple[float, float],
    other_rebuild: tuple[float, float],
) -> str:
    """Ours against the other version, round by round: the median of the per-round
    ratios (below 1.00× is faster than before)."""
    lines = [
        f"#### {years}-year journal: this version against {against}",
        "",
        "| command | ours | theirs | wall ours ÷ theirs | CPU ours ÷ theirs |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, *_ in pairs:
        mine, theirs = results[name], results[AGAINST + name]
        wall = statistics.median(a / b for a, b in zip(mine["times"], theirs["times"], strict=True))
        cpu = statistics.median(
            a / b if b else 1.0 for a, b in zip(mine["cpus"], theirs["cpus"], strict=True)
        )
        lines.append(
            f"| {name} | {ms(mine['median'])} | {ms(theirs['median'])} | {wall:.2f}× | {cpu:.2f}× |"
        )
    lines += [
        "",
        f"Cold index rebuild: {rebuild[0]:.2f} s here, {other_rebuild[0]:.2f} s there.",
        "",
    ]
    return "\n".join(lines)


ONE_UNLOCK = "one unlock: scrypt opens the key (child process)"
BARE_IMPORT = "the same child without the unlock"
PLAIN, WITH_PASSPHRASE, UNLOCKED = "plain: ", "encrypted, passphrase: ", "encrypted, unlocked: "


def encrypted_pairs(journal: str) -> list[tuple[str, list[str]]]:
    return [
        ("history -n 10", [journal, "history", "-n", "10"]),
        ("show last", [journal, "show", "last"]),
        (f"history --search {SEARCH_WORD}", [journal, "history", "--search", SEARCH_WORD]),
    ]


def unlock_cpu(results: dict[str, dict[str, float]]) -> float:
    """CPU seconds of one scrypt unlock: the child that unlocks less the same child
    without it, measured in the same rounds."""
    return max(0.0, results[ONE_UNLOCK]["cpu"] - results[BARE_IMPORT]["cpu"])


def encrypted_table(
    years: int, journal: str, results: dict[str, dict[str, float]], unlocked: bool
) -> str:
    unlock = unlock_cpu(results)
    lines = [
        f"### {years}-year journal, encrypted (the same entries, `journal encrypt`ed)",
        "",
        f"One unlock (age's scrypt, as pyrage chose it): {unlock * 1000:.0f} ms of CPU,"
        f" peak memory {mb(results[ONE_UNLOCK]['peak_kib'])}.",
        "",
        "| command | plain CPU | passphrase CPU | (passphrase − one unlock) ÷ plain | unlocked CPU"
        " | unlocked ÷ plain | peak memory (passphrase / unlocked) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, _argv in encrypted_pairs(journal):
        plain, env = results[PLAIN + name], results[WITH_PASSPHRASE + name]
        cells = [
            f"`journal {name}`",
            ms(plain["cpu"]),
            ms(env["cpu"]),
            f"{(env['cpu'] - unlock) / plain['cpu']:.2f}×",
        ]
        peaks = mb(env["peak_kib"])
        if unlocked:
            held = results[UNLOCKED + name]
            cells += [ms(held["cpu"]), f"{held['cpu'] / plain['cpu']:.2f}×"]
            peaks += f" / {mb(held['peak_kib'])}"
        else:
            cells += ["", ""]
        lines.append("| " + " | ".join([*cells, peaks]) + " |")
    return "\n".join([*lines, ""])


def targets_table(
    years: int,
    results: dict[str, dict[str, float]],
    rebuild: tuple[float, float],
    unlocked: bool,
) -> str:
    """Each target against what this run measured (CPU-time ratios)."""
    floor = results[FLOOR]["cpu"]
    unlock = unlock_cpu(results)
    rows: list[tuple[str, str, float, float]] = []
    plain_limit = {10: (1.2, 1.3)}.get(years, (2.5, 2.5))
    for name in ("today --show", "history -n 10", f"history --search {SEARCH_WORD}"):
        rows.append((f"plain: `{name}`", "× floor", results[name]["cpu"] / floor, plain_limit[0]))
    for name in ("layers", "save an entry from stdin"):
        label = f"plain: `{name}`" if name == "layers" else f"plain: {name}"
        rows.append((label, "× floor", results[name]["cpu"] / floor, plain_limit[1]))
    if years >= 100:
        rows.append(("plain: cold rebuild", "s", rebuild[0], 3.0))
    for name in ("history -n 10", "show last", f"history --search {SEARCH_WORD}"):
        plain = results[PLAIN + name]["cpu"]
        env = (results[WITH_PASSPHRASE + name]["cpu"] - unlock) / plain
        rows.append(
            (
                f"encrypted, passphrase: `{name}`",
                "× plain after one unlock",
                env,
                1.3 if years <= 10 else 2.0,
            )
        )
        if unlocked and years <= 10:
            held = results[UNLOCKED + name]["cpu"] / plain
            rows.append((f"encrypted, unlocked: `{name}`", "× plain", held, 1.5))
    lines = [
        f"### Targets at {years} years (CPU time, this run)",
        "",
        "| what | measured | target | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, unit, value, limit in rows:
        shown = f"{value:.2f} s" if unit == "s" else f"{value:.2f}{unit}"
        goal = f"≤ {limit:.1f} s" if unit == "s" else f"≤ {limit:.1f}{unit}"
        lines.append(f"| {label} | {shown} | {goal} | {'yes' if value <= limit else 'no'} |")
    return "\n".join([*lines, ""])


def table(
    years: int,
    pairs: list[Pair],
    results: dict[str, dict[str, float]],
    rebuild: tuple[float, float],
) -> str:
    floor = results[FLOOR]
    lines = [
        f"### {years}-year journal ({years * 365:,} entries)",
        "",
        "| command | median | ÷ floor | CPU ÷ floor | jrnl's nearest | jrnl median | jrnl ÷ ours"
        " | peak memory |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for name in (FLOOR, "floor: python -c pass"):
        row = results[name]
        lines.append(
            f"| {name} | {ms(row['median'])} | {row['median'] / floor['median']:.2f}×"
            f" | {row['cpu'] / floor['cpu']:.2f}× | | | | {mb(row['peak_kib'])} |"
        )
    for name, _argv, rival, _stdin in pairs:
        row = results[name]
        command = name.removeprefix(AFTER_SAVE)
        cells = [
            (name[: len(name) - len(command)] + f"`journal {command}`")
            if not name.startswith("save")
            else name,
            ms(row["median"]),
            f"{row['median'] / floor['median']:.2f}×",
            f"{row['cpu'] / floor['cpu']:.2f}×",
        ]
        if rival is not None:
            theirs = results[rival[0]]
            cells += [
                f"`{rival[0]}`" if not rival[0].startswith("jrnl:") else rival[0][6:],
                ms(theirs["median"]),
                f"{theirs['median'] / row['median']:.1f}×",
            ]
        else:
            cells += ["", "", ""]
        peak = mb(row["peak_kib"]) + (
            f" (jrnl {mb(results[rival[0]]['peak_kib'])})" if rival else ""
        )
        lines.append("| " + " | ".join([*cells, peak]) + " |")
    lines += [
        "",
        "Cold index rebuild (cache folder emptied, then `journal history -n 1`): "
        f"{rebuild[0]:.2f} s, peak memory {mb(rebuild[1])}",
        "",
    ]
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def mb(kib: float) -> str:
    return f"{kib / 1024:.0f} MB"


if __name__ == "__main__":
    main()
