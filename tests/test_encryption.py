"""Encryption at rest: nothing readable on disk, writing stays passphrase-free."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pyrage
import pytest

from helpers.cli import cli_env, editor_script, isolate_environment, run_cli
from helpers.documents import entry_files
from helpers.folder import data, kept_in_recovery
from helpers.hostile import GENERIC

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


def write_the_journal(home: Path) -> None:
    """A journal with the marker in entries, a tag, a pause note and the trash."""
    for n, (text, extra) in enumerate(
        [
            (f"First page about {MARKER.decode()} and the rain.", ["--tag", MARKER.decode()]),
            ("Second page, nothing special.", []),
            (f"Third page, {MARKER.decode()} again.", ["--theme", "compassion"]),
        ]
    ):
        date = ["--date", ("2026-11-20", "2026-11-21", "2026-11-22")[n]] if n < 3 else []
        assert run(home, "today", *date, *extra, stdin=text, passphrase=None).returncode == 0
    run(
        home,
        "pause",
        "2026-11-01",
        "2026-11-03",
        "--note",
        f"{MARKER.decode()} trip",
        passphrase=None,
    )
    run(
        home,
        "today",
        "--date",
        "2026-11-19",
        stdin=f"to be trashed {MARKER.decode()}",
        passphrase=None,
    )
    doomed = json.loads(run(home, "history", "--json", "--search", "trashed").stdout)["entries"][0][
        "id"
    ]
    assert run(home, "delete", doomed, "--yes").returncode == 0


# The module encrypts one journal and each test works on a copy of it (conftest's
# quick_keys keeps scrypt to once per passphrase in this process).


class Encrypted(NamedTuple):
    home: Path
    layers_before: dict  # type: ignore[type-arg]
    export_before: dict  # type: ignore[type-arg]
    result: subprocess.CompletedProcess[str]  # what `journal encrypt` said


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Encrypted]:
    """The written journal, encrypted once for the module (in home/, with tmp/ beside it)."""
    home = tmp_path_factory.mktemp("encrypted") / "home"
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_environment(monkeypatch, home)
        write_the_journal(home)
        layers_before = json.loads(run(home, "layers", "--json", "--as-of", "2026-11-22").stdout)
        export_before = json.loads(run(home, "export").stdout)
        result = run(home, "encrypt")
    time.tzset()
    yield Encrypted(home, layers_before, export_before, result)


@pytest.fixture
def encrypted(encrypted_template: Encrypted, journal_home: Path) -> Encrypted:
    """A copy of the encrypted journal (modes kept) in this test's own home."""
    shutil.copytree(
        encrypted_template.home.parent, journal_home.parent, symlinks=True, dirs_exist_ok=True
    )
    return encrypted_template._replace(home=journal_home)


def test_encrypting_leaves_no_plaintext_and_writing_needs_no_passphrase(
    encrypted: Encrypted,
) -> None:
    # encrypted_template wrote the journal, read it, then encrypted it: this is a copy.
    home = encrypted.home
    layers_before = encrypted.layers_before
    export_before = encrypted.export_before
    result = encrypted.result
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


def test_the_standard_age_format_opens_with_the_passphrase(encrypted: Encrypted) -> None:
    home = encrypted.home
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
    encrypted: Encrypted, tmp_path: Path
) -> None:
    home = encrypted.home
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


def test_a_passphrase_file_works_for_scripts(encrypted: Encrypted) -> None:
    home = encrypted.home
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
    entries_folder = journal_home / "data" / "entries"

    def sealed() -> int:
        return sum(1 for _ in entries_folder.rglob("*.md.age"))

    halfway = 0
    for _ in range(3):
        # Kill it while it converts: once the key is made and a few entries are sealed.
        target = sealed() + rng.randrange(1, 20)
        process = subprocess.Popen(
            [sys.executable, "-m", "layers_journal", "encrypt"],
            env=cli_env(journal_home, LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while process.poll() is None and sealed() < target and time.monotonic() < deadline:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        halfway += 0 < sealed() < 60
        # However far it got, every entry is readable as plain or encrypted.
        assert len(json.loads(run(journal_home, "history", "--json").stdout)["entries"]) == 60
    assert halfway, "no kill landed while the entries were being converted"
    assert run(journal_home, "encrypt").returncode == 0
    assert plaintext_hits(journal_home / "data", journal_home / "cache") == []
    assert json.loads(run(journal_home, "export").stdout) == before
    healthy = run(journal_home, "doctor")
    assert healthy.returncode == 0, healthy.stderr


def test_a_missing_public_key_hands_the_words_back(
    journal_home: Path, encrypted: Encrypted
) -> None:
    # encrypted_template wrote to this journal and encrypted it.
    assert encrypted.result.returncode == 0
    (journal_home / "data" / "journal-key.pub").unlink()
    result = run_cli(journal_home, "today", "--date", "yesterday", stdin="words that must survive")
    assert result.returncode == 1
    assert "journal encrypt" in result.stderr and "words that must survive" in result.stdout
    # journal encrypt, with the passphrase, puts the public key back.
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    assert run_cli(journal_home, "today", "--date", "yesterday", stdin="again").returncode == 0


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


def test_search_shows_passages_and_edit_changes_the_sealed_file_and_its_metadata_together(
    encrypted: Encrypted,
) -> None:
    home = encrypted.home
    folders = (home / "data", home / "config", home / "cache", home.parent / "tmp", home / "state")
    screen = run(home, "history", "--search", f"{MARKER.decode()} -rain", COLUMNS="100")
    assert screen.returncode == 0, screen.stderr
    assert "1 entry matches" in screen.stderr and f"Third page, {MARKER.decode()}" in screen.stdout
    tagged = json.loads(run(home, "history", "--json", "--search", f"tag:{MARKER.decode()}").stdout)
    assert [e["text"] for e in tagged["entries"]] == [
        f"First page about {MARKER.decode()} and the rain."
    ]
    entry_id = tagged["entries"][0]["id"]
    (sealed,) = [p for p in entry_files(home) if p.name.startswith(entry_id)]
    meta = sealed.with_name(entry_id + ".meta.toml")
    before = (sealed.read_bytes(), meta.read_text())
    changed = run(home, "edit", entry_id, "--theme", "connection", "--day", "2026-11-19",
                  "--tag", "sea", "--no-lookback")  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert sealed.read_bytes() != before[0] and meta.read_text() != before[1]
    assert 'theme = "connection"' in meta.read_text() and "day = 2026-11-19" in meta.read_text()
    assert "sea" not in meta.read_text() and "lookback" not in meta.read_text()
    shown = json.loads(run(home, "show", entry_id, "--json").stdout)
    assert shown["theme"] == "connection" and shown["day"] == "2026-11-19"
    assert shown["tags"] == [MARKER.decode(), "sea"] and shown["lookback"] is False
    assert shown["text"] == f"First page about {MARKER.decode()} and the rain."
    # The index, without the passphrase, sees the new day and layer.
    facts = json.loads(run(home, "history", "--json", "--since", "2026-11-19", "--until",
                           "2026-11-19").stdout)["entries"]  # fmt: skip
    assert entry_id in [e["id"] for e in facts]
    assert plaintext_hits(*folders) == []


def test_the_calendar_by_mood_of_an_encrypted_journal_says_why_it_is_not_there(
    encrypted: Encrypted,
) -> None:
    home = encrypted.home
    assert run(home, "today", "--mood", "4", stdin="A page.", passphrase=None).returncode == 0
    result = run(home, "layers", "--by", "mood", passphrase=None, NO_COLOR="1")
    assert result.returncode == 0, result.stderr
    assert "Moods are sealed inside your encrypted entries" in " ".join(result.stdout.split())
    assert "\nMon " not in result.stdout  # no empty calendar
    assert "your first day" in result.stdout  # the layers themselves are there


def test_a_review_in_an_encrypted_journal_stays_out_of_the_layers(encrypted: Encrypted) -> None:
    home = encrypted.home
    before = run(home, "layers", "--json", "--as-of", "2026-11-22").stdout
    # The figures need the text (words, moods, tags): without the passphrase, one sentence.
    refused = run(home, "review", "--json", passphrase=None)
    assert refused.returncode == 1 and "passphrase" in refused.stderr.lower()
    figures = run(home, "review", "--json")
    assert figures.returncode == 0, figures.stderr
    written = run(home, "review", stdin="Looking back, gently.")
    assert written.returncode == 0, written.stderr
    (meta,) = [p for p in (home / "data").rglob("*.meta.toml") if "review" in p.read_text()]
    assert 'kind = "review"' in meta.read_text() and "Looking back" not in meta.read_text()
    sealed = meta.with_name(meta.name.replace(".meta.toml", ".md.age"))
    assert b"Looking back" not in sealed.read_bytes()
    # The layers leave the review out without the passphrase.
    after = run(home, "layers", "--json", "--as-of", "2026-11-22", passphrase=None)
    assert after.returncode == 0 and after.stdout == before


def test_a_missing_public_key_keeps_the_words_sealed_to_the_key_this_machine_knows(
    encrypted: Encrypted,
) -> None:
    home = encrypted.home
    assert run(home, "history").returncode == 0  # the key opened here once, so it is known
    (home / "data" / "journal-key.pub").unlink()
    result = run(home, "today", "--date", "yesterday", stdin="words that must survive")
    assert result.returncode == 1
    assert "journal encrypt" in result.stderr and "safe in" in result.stderr
    assert "words that must survive" not in result.stdout
    (kept,) = (home / "state" / "recovery").glob("*.md.age")
    assert b"words that must survive" not in kept.read_bytes()
    # journal encrypt, with the passphrase, puts the public key back; doctor the words.
    assert run(home, "encrypt").returncode == 0
    mended = run(home, "doctor", "--fix")
    assert "back into the journal" in mended.stderr, mended.stderr
    texts = [entry["text"] for entry in json.loads(run(home, "export").stdout)["entries"]]
    assert "words that must survive" in texts


def test_every_file_this_tool_seals_opens_with_the_reference_age_tool(
    encrypted: Encrypted, tmp_path: Path
) -> None:
    """The promise that any standard age tool opens everything, kept with age itself
    (Debian's `age`, the Go reference implementation; .ci/run installs it)."""
    import re

    import pexpect

    age = shutil.which("age")
    if age is None:
        pytest.skip("the reference age tool is not installed (apt-get install age)")
    home = encrypted.home
    # Text kept in the recovery folder is sealed too: a save that cannot land.
    assert run(home, "history").returncode == 0  # the key opened here, so it is known
    pub = home / "data" / "journal-key.pub"
    public_key = pub.read_bytes()
    pub.unlink()
    kept = run(home, "today", stdin=f"kept words {MARKER.decode()}", passphrase=None)
    assert kept.returncode == 1 and "safe in" in kept.stderr
    pub.write_bytes(public_key)

    # The key file, by the README's own command, with the passphrase typed at age's own
    # prompt on a terminal, under the usual umask: it must be readable by its owner alone.
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Read it without this tool", 1)[1]
    command = next(
        line.split("#", 1)[0].strip()
        for line in section.splitlines()
        if "age -d -o key.txt journal-key.age" in line
    )
    child = pexpect.spawn(
        "sh",
        [
            "-c",
            f"umask 022 && cd {tmp_path} && cp {home / 'data' / 'journal-key.age'} . && {command}",
        ],
        timeout=60,
    )
    key = tmp_path / "key.txt"
    child.expect("passphrase")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "AGE-SECRET-KEY-" in key.read_text()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

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


def test_keys_opened_outside_the_cli_never_ask_on_a_terminal(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder's keys do no terminal I/O: only the CLI hands in a prompt. Without one,
    a key that must be opened comes from the environment, or one sentence says how."""
    from layers_journal.errors import PassphraseError
    from layers_journal.folder.crypto import NEEDS_PASSPHRASE
    from layers_journal.journal.facade import Journal

    assert run_cli(journal_home, "today", stdin="a sealed page").returncode == 0
    assert run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PASSPHRASE).returncode == 0
    monkeypatch.delenv("LAYERS_JOURNAL_PASSPHRASE", raising=False)
    journal = Journal.open()
    with pytest.raises(PassphraseError) as refused:
        journal.keys.identity()
    assert refused.value.message == NEEDS_PASSPHRASE
    asked: list[str] = []
    journal.keys.ask = lambda: asked.append("asked") or PASSPHRASE  # type: ignore[func-returns-value]
    assert journal.keys.identity() is not None and asked == ["asked"]


# --- promises kept under pressure -------------------------------------------------


RIVER_PASSPHRASE = "a slow walk by the river"


def encrypted_journal(home: Path, texts: list[str]) -> None:
    for n, text in enumerate(texts):
        day = f"2026-03-{n + 2:02d}"
        assert run_cli(home, "today", "--date", day, stdin=text).returncode == 0
    assert run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=RIVER_PASSPHRASE).returncode == 0


def journal_identity(home: Path) -> Any:
    """The journal's private key, opened as the journal opens it (memoised in the tests
    that ask for it: scrypt takes seconds)."""
    from layers_journal.folder import crypto

    return crypto.unlock(data(home), RIVER_PASSPHRASE)


def many_entries_document(count: int, size: int) -> str:
    filler = ("We walked along the river and talked about the week. " * (size // 54 + 1))[:size]
    entries = [
        {
            "id": f"2020-01-01-{n // 3600 % 24:02d}{n // 60 % 60:02d}{n % 60:02d}-m{n:05d}",
            "created": f"2020-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}+01:00",
            "day": "2020-01-01",
            "tz": "Europe/Berlin",
            "text": f"walk {n} {filler}",
        }
        for n in range(count)
    ]
    return json.dumps({"format": "layers-journal", "version": 1, "entries": entries})


def search_leaves_no_temp_file(home: Path, tmp_path: Path, count: int, size: int) -> None:
    source = tmp_path / "many.json"
    source.write_text(many_entries_document(count, size))
    # Encrypted first, so the import writes each entry sealed straight away.
    assert run_cli(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=RIVER_PASSPHRASE).returncode == 0
    assert run_cli(home, "import", str(source)).returncode == 0
    # SQLite puts its temp files in SQLITE_TMPDIR and unlinks them at once: creating one
    # still changes the folder's modification time, which is what is watched here.
    temp = tmp_path / "sqlite-temp"
    temp.mkdir(mode=0o700)
    os.utime(temp, ns=(0, 0))
    env = cli_env(
        home, LAYERS_JOURNAL_PASSPHRASE=RIVER_PASSPHRASE, SQLITE_TMPDIR=str(temp), TMPDIR=str(temp)
    )
    command = [sys.executable, "-m", "layers_journal", "history", "--search", "walk", "--json"]
    trace = tmp_path / "openat.txt"
    strace = shutil.which("strace")
    if strace:  # on Linux, also every file the process creates, seen by the kernel
        command = [strace, "-f", "-qq", "-e", "trace=open,openat,creat", "-o", str(trace), *command]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if strace and "ptrace" in result.stderr and result.returncode != 0:
        pytest.skip("strace cannot trace here (ptrace not permitted)")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["entries"]) == count
    assert os.stat(temp).st_mtime_ns == 0, "SQLite created a temp file for the search"
    assert list(temp.iterdir()) == []
    if strace:
        created = [
            line.split('"')[1]
            for line in trace.read_text().splitlines()
            if "O_CREAT" in line and '"' in line and "ENOENT" not in line
        ]
        # Only the index (metadata only) and lock in the cache folder, never a temp file.
        outside = [path for path in created if not path.startswith(str(home / "cache"))]
        assert outside == [], outside
        assert created, "the trace saw nothing: it did not work"


def test_searching_an_encrypted_journal_puts_no_plaintext_in_temp_files(
    journal_home: Path, tmp_path: Path
) -> None:
    # 16 long entries, 4 MB: past SQLite's 2 MB of sort memory, so without
    # temp_store=MEMORY the sort spills the decrypted text into a temp file.
    search_leaves_no_temp_file(journal_home, tmp_path, count=16, size=256_000)


def test_the_connection_holding_decrypted_text_keeps_its_temp_storage_in_memory(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from layers_journal.index import Query
    from layers_journal.index import search as index_search
    from layers_journal.journal.facade import Journal
    from layers_journal.model.query import parse_search

    encrypted_journal(journal_home, ["walk one", "walk two"])
    settings: list[int] = []
    real_query = index_search.run_query

    def watched(db: sqlite3.Connection, query: Query) -> sqlite3.Cursor:
        settings.append(db.execute("PRAGMA temp_store").fetchone()[0])
        return real_query(db, query)

    monkeypatch.setattr(index_search, "run_query", watched)
    monkeypatch.setenv("LAYERS_JOURNAL_PASSPHRASE", RIVER_PASSPHRASE)
    assert len(Journal.open().finder.query(Query(search=parse_search("walk")))) == 2
    assert settings == [2]  # 2 is MEMORY: the in-memory search spills nothing to disk


@pytest.mark.slow
def test_searching_ten_years_of_an_encrypted_journal_puts_no_plaintext_in_temp_files(
    journal_home: Path, tmp_path: Path
) -> None:
    search_leaves_no_temp_file(journal_home, tmp_path, count=3650, size=1_000)


def test_encrypt_never_follows_a_link_or_waits_on_a_fifo_named_like_an_entry(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="A real page.").returncode == 0
    folder = entry_files(journal_home)[0].parent
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:not the journal's:/root:/bin/sh\n")
    (folder / "2026-01-01-000000-linkd1.md").symlink_to(secret)
    os.mkfifo(folder / "2026-01-01-000000-fifo01.md")
    # A real process: on a FIFO the old encrypt hung forever, holding the journal lock.
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "encrypt"],
        capture_output=True,
        text=True,
        env=cli_env(journal_home, LAYERS_JOURNAL_PASSPHRASE=RIVER_PASSPHRASE),
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "Encrypted 1 entry" in result.stderr
    assert "linkd1" in result.stderr and "fifo01" in result.stderr  # named, left alone
    assert (folder / "2026-01-01-000000-linkd1.md").is_symlink()
    assert stat.S_ISFIFO(os.lstat(folder / "2026-01-01-000000-fifo01.md").st_mode)
    # Only the real page was sealed: nothing of what the link points at is in the journal.
    (sealed,) = data(journal_home).rglob("*.md.age")
    assert (sealed.parent / sealed.name.replace(".md.age", ".meta.toml")).exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            sealed.name,
            sealed.name.replace(".md.age", ".meta.toml"),
            "2026-01-01-000000-fifo01.md",
            "2026-01-01-000000-linkd1.md",
        ]
    )


def test_a_public_key_that_is_not_the_journals_own_stops_writing_and_doctor_says_so(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["A first page."])
    pub = data(journal_home) / "journal-key.pub"
    stranger = pyrage.x25519.Identity.generate()
    pub.write_text(f"{stranger.to_public()}\n")  # a sync client brought someone else's
    before = {p.name for p in entry_files(journal_home)}

    result = run_cli(journal_home, "today", stdin="Words for my eyes only.")
    assert result.returncode == 1
    assert "journal-key.pub" in result.stderr and "safe in" in result.stderr
    assert {p.name for p in entry_files(journal_home)} == before  # nothing sealed to it
    (kept,) = kept_in_recovery(journal_home)
    own = journal_identity(journal_home)
    opened = pyrage.decrypt(kept.read_bytes(), [own])
    assert b"Words for my eyes only." in opened  # sealed to the journal's own key
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(kept.read_bytes(), [stranger])

    doctor = run_cli(journal_home, "doctor")
    assert doctor.returncode == 1 and "does not belong to the journal's own key" in doctor.stderr
    mended = run_cli(journal_home, "doctor", "--fix", LAYERS_JOURNAL_PASSPHRASE=RIVER_PASSPHRASE)
    assert "public key" in mended.stderr, mended.stderr
    assert pub.read_text().strip() == str(own.to_public())  # type: ignore[attr-defined]
    assert run_cli(journal_home, "today", stdin="And now it lands.").returncode == 0


def test_doctor_with_the_passphrase_finds_a_foreign_public_key_on_any_machine(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["A first page."])
    for pin in (journal_home / "state").glob("journal-*.pub"):
        pin.unlink()  # a machine that never opened this journal's key
    pub = data(journal_home) / "journal-key.pub"
    pub.write_text(f"{pyrage.x25519.Identity.generate().to_public()}\n")
    doctor = run_cli(journal_home, "doctor", LAYERS_JOURNAL_PASSPHRASE=RIVER_PASSPHRASE)
    assert doctor.returncode == 1, doctor.stderr
    assert "does not belong to the journal's own key" in doctor.stderr


def test_one_damaged_encrypted_entry_is_named_and_skipped_by_every_command(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["walk one", "walk two", "walk three"])
    damaged = sorted(p for p in entry_files(journal_home) if p.name.endswith(".md.age"))[1]
    content = bytearray(damaged.read_bytes())
    content[-5] ^= 1  # one flipped bit, as a failing disk or sync leaves it
    damaged.write_bytes(bytes(content))
    env = {"LAYERS_JOURNAL_PASSPHRASE": RIVER_PASSPHRASE}

    searched = run_cli(journal_home, "history", "--search", "walk", "--json", **env)
    assert searched.returncode == 0, searched.stderr
    assert len(json.loads(searched.stdout)["entries"]) == 2
    assert damaged.name in searched.stderr and GENERIC not in searched.stderr
    shown = run_cli(journal_home, "show", damaged.name[:24], **env)
    assert shown.returncode == 1 and damaged.name in shown.stderr and GENERIC not in shown.stderr
    exported = run_cli(journal_home, "export", **env)
    assert exported.returncode == 1 and damaged.name in exported.stderr
    assert len(json.loads(exported.stdout)["entries"]) == 2
    doctor = run_cli(journal_home, "doctor", **env)
    assert doctor.returncode == 1 and damaged.name in doctor.stderr, doctor.stderr

    decrypted = run_cli(journal_home, "decrypt", **env)
    assert decrypted.returncode == 1 and damaged.name in decrypted.stderr, decrypted.stderr
    assert "Decrypted 2 entries" in decrypted.stderr
    assert damaged.read_bytes() == bytes(content)  # left exactly as it was
    assert (data(journal_home) / "journal-key.age").exists()  # so it can still be opened
    assert len([p for p in entry_files(journal_home) if p.name.endswith(".md")]) == 2


def test_doctor_without_the_passphrase_finds_an_encrypted_entry_that_is_no_age_file(
    journal_home: Path,
) -> None:
    encrypted_journal(journal_home, ["a page"])
    (sealed,) = (p for p in entry_files(journal_home) if p.name.endswith(".md.age"))
    sealed.write_bytes(b"\0" * 64)
    doctor = run_cli(journal_home, "doctor")
    assert doctor.returncode == 1 and sealed.name in doctor.stderr


def test_an_empty_passphrase_file_is_refused_on_every_path(
    journal_home: Path, tmp_path: Path
) -> None:
    assert run_cli(journal_home, "today", stdin="A page.").returncode == 0
    secrets = []
    for n, content in enumerate(["", "\n", "\r\n"]):
        secrets.append(tmp_path / f"passphrase-{n}")
        secrets[-1].write_text(content)
    for secret in secrets:
        result = run_cli(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE_FILE=str(secret))
        assert result.returncode == 1 and "empty passphrase" in result.stderr
        assert not (data(journal_home) / "journal-key.age").exists()
    encrypted_journal(journal_home, [])
    for secret in secrets:
        reading = run_cli(journal_home, "history", LAYERS_JOURNAL_PASSPHRASE_FILE=str(secret))
        assert reading.returncode == 1 and "empty passphrase" in reading.stderr
    # Nor is a device read until memory runs out: it is refused unread.
    device = run_cli(journal_home, "history", LAYERS_JOURNAL_PASSPHRASE_FILE="/dev/zero")
    assert device.returncode == 1 and "not a regular file" in device.stderr
