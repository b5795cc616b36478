"""Encryption at rest: nothing readable on disk, writing stays passphrase-free."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyrage
import pytest

from conftest import cli_env, editor_script, entry_files, run_cli

MARKER = b"zephyrquill"
PASSPHRASE = "correct horse battery staple"


def run(
    home: Path,
    *args: str,
    stdin: str | None = None,
    passphrase: str | None = PASSPHRASE,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    extra = {"TMPDIR": str(home.parent / "tmp"), **env}
    if passphrase is not None:
        extra["LAYERS_JOURNAL_PASSPHRASE"] = passphrase
    (home.parent / "tmp").mkdir(exist_ok=True)
    return run_cli(home, *args, stdin=stdin, **extra)


def plaintext_hits(*folders: Path, needle: bytes = MARKER) -> list[Path]:
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and (needle in path.read_bytes() or needle.decode() in path.name):
                hits.append(path)
    return hits


@pytest.fixture
def written(journal_home: Path) -> Path:
    """A journal with the marker in entries, a tag, a pause note and the trash."""
    for n, (text, extra) in enumerate(
        [
            (f"First page about {MARKER.decode()} and the rain.", ["--tag", MARKER.decode()]),
            ("Second page, nothing special.", []),
            (f"Third page, {MARKER.decode()} again.", ["--theme", "compassion"]),
        ]
    ):
        date = ["--date", ("2026-11-20", "2026-11-21", "2026-11-22")[n]] if n < 3 else []
        assert (
            run(journal_home, "today", *date, *extra, stdin=text, passphrase=None).returncode == 0
        )
    run(
        journal_home,
        "pause",
        "2026-11-01",
        "2026-11-03",
        "--note",
        f"{MARKER.decode()} trip",
        passphrase=None,
    )
    run(
        journal_home,
        "today",
        "--date",
        "2026-11-19",
        stdin=f"to be trashed {MARKER.decode()}",
        passphrase=None,
    )
    doomed = json.loads(run(journal_home, "history", "--json", "--search", "trashed").stdout)[
        "entries"
    ][0]["id"]
    assert run(journal_home, "delete", doomed, "--yes").returncode == 0
    return journal_home


def test_encrypting_leaves_no_plaintext_and_writing_needs_no_passphrase(written: Path) -> None:
    home = written
    layers_before = json.loads(run(home, "layers", "--json", "--as-of", "2026-11-22").stdout)
    export_before = json.loads(run(home, "export").stdout)
    result = run(home, "encrypt")
    assert result.returncode == 0, result.stderr
    assert "Encrypted 4 entries" in result.stderr
    folders = (home / "data", home / "config", home / "cache", home.parent / "tmp", home / "state")
    assert plaintext_hits(*folders) == []
    assert all(
        p.name.endswith((".md.age", ".meta.toml"))
        for p in entry_files(home) + list((home / "data" / "entries").rglob("*.toml"))
    )

    # Writing needs no passphrase, and what it writes is encrypted too.
    saved = run(home, "today", stdin="A new page: silvercrane.", passphrase=None)
    assert saved.returncode == 0, saved.stderr
    assert plaintext_hits(*folders, needle=b"silvercrane") == []
    assert run(home, "today", "--show", passphrase=None).returncode == 0

    # The progress view needs no passphrase and has not changed.
    layers_after = json.loads(
        run(home, "layers", "--json", "--as-of", "2026-11-22", passphrase=None).stdout
    )
    assert layers_after == layers_before

    # Reading asks for it: the right one finds the words, a wrong one is one sentence.
    found = json.loads(run(home, "history", "--json", "--search", MARKER.decode()).stdout)[
        "entries"
    ]
    assert len(found) == 2 and all(MARKER.decode() in e["text"] for e in found)
    wrong = run(home, "history", "--search", MARKER.decode(), passphrase="not it")
    assert (
        wrong.returncode == 1
        and wrong.stderr.strip() == "That passphrase does not unlock this journal."
    )
    missing = run(home, "history", passphrase=None)
    assert missing.returncode == 1 and "needs the journal's passphrase" in missing.stderr
    assert "Traceback" not in wrong.stderr + missing.stderr

    # Everything is still there, pause note and tags included.
    export_after = json.loads(run(home, "export").stdout)
    assert export_after["pauses"] == export_before["pauses"]
    assert [e for e in export_after["entries"] if "silvercrane" not in e["text"]] == export_before[
        "entries"
    ]
    assert plaintext_hits(*folders) == []

    # And it can all be turned back into plain text.
    back = run(home, "decrypt")
    assert back.returncode == 0, back.stderr
    assert json.loads(run(home, "export", passphrase=None).stdout) == export_after
    assert not (home / "data" / "journal-key.age").exists()
    assert all(p.name.endswith(".md") for p in entry_files(home))


def test_the_standard_age_format_opens_with_the_passphrase(written: Path) -> None:
    home = written
    run(home, "encrypt")
    key = pyrage.passphrase.decrypt((home / "data" / "journal-key.age").read_bytes(), PASSPHRASE)
    # As age-keygen writes it: a comment with the public key, then the key.
    comment, secret = key.decode().splitlines()
    identity = pyrage.x25519.Identity.from_str(secret)
    assert comment == f"# public key: {identity.to_public()}"
    sealed = [p for p in entry_files(home) if p.name.endswith(".md.age")]
    texts = [pyrage.decrypt(p.read_bytes(), [identity]).decode() for p in sealed]
    assert any(MARKER.decode() in text and text.startswith("+++\n") for text in texts)
    age = __import__("shutil").which("age")
    if age:  # the age tool itself, when installed, reads the same files
        key_file = home.parent / "key.txt"
        key_file.write_bytes(key)
        shown = subprocess.run(
            [age, "-d", "-i", str(key_file), str(sealed[0])], capture_output=True, check=True
        )
        assert shown.stdout.startswith(b"+++\n")


def test_the_editor_keeps_plaintext_only_in_a_private_folder_it_removes(
    written: Path, tmp_path: Path
) -> None:
    home = written
    run(home, "encrypt")
    seen = tmp_path / "seen"
    editor = editor_script(
        tmp_path,
        f"""\
        mode = oct(path.parent.stat().st_mode & 0o777)
        pathlib.Path({str(seen)!r}).write_text(str(path) + "\\n" + mode)
        path.write_text(path.read_text().replace("Second page", "Second page, edited: emberfinch"))
        """,
    )
    target = json.loads(run(home, "history", "--json", "--search", "second").stdout)["entries"][0][
        "id"
    ]
    result = run(home, "edit", target, EDITOR=editor)
    assert result.returncode == 0, result.stderr
    draft, mode = seen.read_text().splitlines()
    assert mode == "0o700" and not Path(draft).exists() and not Path(draft).parent.exists()
    assert (
        plaintext_hits(
            home / "data", home / "cache", home / "state", home.parent / "tmp", needle=b"emberfinch"
        )
        == []
    )
    assert "emberfinch" in run(home, "show", target, "--json").stdout


def test_a_passphrase_file_works_for_scripts(written: Path) -> None:
    home = written
    run(home, "encrypt")
    secret = home.parent / "secret"
    secret.write_text(PASSPHRASE + "\n")
    result = run(
        home, "history", "--json", passphrase=None, LAYERS_JOURNAL_PASSPHRASE_FILE=str(secret)
    )
    assert result.returncode == 0 and len(json.loads(result.stdout)["entries"]) == 3


def test_an_interrupted_encryption_finishes_when_run_again(
    journal_home: Path, tmp_path: Path
) -> None:
    entries = [
        {
            "id": f"2025-03-01-1000{n:02d}-enc{n:03d}",
            "created": f"2025-03-01T10:00:{n:02d}+01:00",
            "day": "2025-03-01",
            "tz": "Europe/Berlin",
            "text": f"page {n} {MARKER.decode()}",
        }
        for n in range(60)
    ]
    source = tmp_path / "doc.json"
    source.write_text(
        json.dumps({"format": "layers-journal", "version": 1, "entries": entries, "pauses": []})
    )
    run(journal_home, "import", str(source), passphrase=None)
    before = json.loads(run(journal_home, "export", passphrase=None).stdout)
    rng = random.Random(5)
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-m", "layers_journal", "encrypt"],
            env=cli_env(journal_home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.8, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        # However far it got, every entry is readable as plain or encrypted.
        assert len(json.loads(run(journal_home, "history", "--json").stdout)["entries"]) == 60
    assert run(journal_home, "encrypt").returncode == 0
    assert plaintext_hits(journal_home / "data", journal_home / "cache") == []
    assert json.loads(run(journal_home, "export").stdout) == before
    healthy = run(journal_home, "doctor")
    assert healthy.returncode == 0, healthy.stderr


def test_every_file_this_tool_seals_opens_with_the_reference_age_tool(
    written: Path, tmp_path: Path
) -> None:
    """The promise that any standard age tool opens everything, kept with age itself
    (Debian's `age`, the Go reference implementation; .ci/run installs it)."""
    import re
    import shutil

    import pexpect

    age = shutil.which("age")
    if age is None:
        pytest.skip("the reference age tool is not installed (apt-get install age)")
    home = written
    assert run(home, "encrypt").returncode == 0
    # Text kept in the recovery folder is sealed too: a save that cannot land.
    pub = home / "data" / "journal-key.pub"
    public_key = pub.read_bytes()
    pub.unlink()
    kept = run(home, "today", stdin=f"kept words {MARKER.decode()}", passphrase=None)
    assert kept.returncode == 1 and "safe in" in kept.stderr
    pub.write_bytes(public_key)

    # The key file, with the passphrase typed at age's own prompt on a terminal.
    key = tmp_path / "key.txt"
    child = pexpect.spawn(
        age, ["-d", "-o", str(key), str(home / "data" / "journal-key.age")], timeout=60
    )
    child.expect("passphrase")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "AGE-SECRET-KEY-" in key.read_text()

    sealed = [
        *entry_files(home),
        *(home / "data" / "trash").rglob("*.md.age"),
        *(home / "state" / "recovery").glob("*.md.age"),
    ]
    assert any("/trash/" in str(p) for p in sealed) and any("recovery" in str(p) for p in sealed)
    opened = []
    for path in sealed:
        shown = subprocess.run(
            [age, "-d", "-i", str(key), str(path)], capture_output=True, check=True
        )
        assert shown.stdout.startswith(b"+++\n"), path
        opened.append(shown.stdout)
    assert sum(MARKER in text for text in opened) == 4  # two pages, the trash, recovery
    (pause,) = (home / "data" / "pauses").glob("*.toml")
    armored = re.search(r"'''\n(.*?)'''", pause.read_text(), re.S)
    assert armored is not None
    note = subprocess.run(
        [age, "-d", "-i", str(key)],
        input=armored.group(1).encode(),
        capture_output=True,
        check=True,
    )
    assert note.stdout == f"{MARKER.decode()} trip".encode()
