"""Trust, third campaign: imports that cannot outgrow the machine or the journal, a key
that asks for more memory than there is, paths that are not UTF-8, drafts that keep
everything the person gave. One test per finding, named after what it protects.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from conftest import entry_files, run_cli, run_process

GENERIC = "Something unexpected"


# --- 6. a Day One zip bomb is refused before it unpacks -------------------------------------


def test_a_day_one_zip_of_many_members_each_under_the_floor_is_refused_before_it_unpacks(
    journal_home: Path, tmp_path: Path
) -> None:
    """500 members just under 1 MiB each: no member alone looks like a bomb."""
    archive = tmp_path / "Export.zip"
    tiny = b'{"uuid":"a","creationDate":"2026-03-01T09:00:00Z","text":""},'
    member = b'{"metadata":{"version":"1.0"},"entries":[' + tiny * (1_040_000 // len(tiny))
    member += b'{"uuid":"b","creationDate":"2026-03-01T09:00:00Z","text":""}]}'
    assert len(member) < 2**20
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for n in range(500):
            bomb.writestr(f"Journal {n}.json", member)
    assert archive.stat().st_size < 3_000_000
    result = run_cli(journal_home, "import", str(archive), "--format", "dayone")
    assert result.returncode == 1, result.stderr
    assert "a zip bomb" in result.stderr and "nothing was imported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert entry_files(journal_home) == []


def test_a_day_one_document_of_millions_of_tiny_entries_is_refused_before_it_is_parsed(
    journal_home: Path, tmp_path: Path
) -> None:
    """Packed loosely enough to pass the ratio, the entries themselves are counted."""
    import random

    rng = random.Random(7)
    archive = tmp_path / "Export.zip"
    parts = [b'{"metadata":{"version":"1.0"},"entries":[']
    for n in range(600_000):
        parts.append(b'{"uuid":"%d","x":"%x"},' % (n, rng.getrandbits(64)))
    parts.append(b'{"uuid":"last"}]}')
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("Journal.json", b"".join(parts))
    result = run_cli(journal_home, "import", str(archive), "--format", "dayone")
    assert result.returncode == 1, result.stderr
    assert "more entries than a Day One export would" in result.stderr
    assert GENERIC not in result.stderr
    assert entry_files(journal_home) == []


# --- 7. an import brings in only what the journal can read back ----------------------------


def test_an_imported_text_over_the_entry_limit_refuses_the_whole_import_naming_it(
    journal_home: Path, tmp_path: Path
) -> None:
    from layers_journal.entries import MAX_ENTRY_BYTES

    good = {"uuid": "A1", "creationDate": "2026-03-01T09:00:00Z", "text": "a good page"}
    huge = {"uuid": "B2", "creationDate": "2026-03-02T09:00:00Z", "text": "x" * MAX_ENTRY_BYTES}
    document = {"metadata": {"version": "1.0"}, "entries": [good, huge]}
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps(document))
    result = run_cli(journal_home, "import", str(source), "--format", "dayone")
    assert result.returncode == 1, result.stderr
    assert "entry 2" in result.stderr and "longer than one entry can hold" in result.stderr
    assert "nothing was imported" in result.stderr
    assert entry_files(journal_home) == []
    # The same from the journal's own JSON.
    exported = {
        "format": "layers-journal",
        "version": 1,
        "entries": [
            {
                "id": "2026-03-02-090000-huge01",
                "created": "2026-03-02T09:00:00+01:00",
                "day": "2026-03-02",
                "tz": "Europe/Berlin",
                "text": "y" * MAX_ENTRY_BYTES,
            }
        ],
    }
    source.write_text(json.dumps(exported))
    result = run_cli(journal_home, "import", str(source))
    assert result.returncode == 1 and "longer than one entry can hold" in result.stderr
    assert entry_files(journal_home) == []


# --- 10. a journal whose path is not UTF-8 ------------------------------------------------

COMMANDS_TO_TRY = [
    ["where"],
    ["history"],
    ["show", "last"],
    ["layers"],
    ["tags"],
    ["doctor"],
    ["export"],
    ["review", "--show"],
    ["trash"],
    ["nudge"],
    ["nudge", "--shell", "zsh"],
    ["completion", "bash"],
]


def test_every_command_works_in_a_journal_whose_path_is_not_utf8_and_shows_the_odd_bytes(
    tmp_path: Path,
) -> None:
    """A folder named on another system (Latin-1 é, a stray byte): paths are bytes."""
    import os

    folder = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9 \xff")
    home = Path(folder) / "home"
    os.makedirs(home)
    written = run_process(home, "today", stdin="A page from a strange folder.")
    assert written.returncode == 0, written.stderr
    assert "caf\\xe9 \\xff" in written.stdout + written.stderr
    for args in COMMANDS_TO_TRY:
        result = run_process(home, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert GENERIC not in result.stderr, args
    where = run_process(home, "where").stdout
    assert f"{tmp_path}/caf\\xe9 \\xff/home/data" in where
    assert "\udce9" not in where
    bare = Path(os.fsdecode(os.fsencode(tmp_path) + b"/remote \xff.git"))
    import subprocess

    subprocess.run(["git", "init", "-q", "--bare", os.fsencode(bare)], check=True)
    for args in (["sync", "init", str(bare)], ["sync"], ["sync", "status"]):
        result = run_process(home, *args)
        assert result.returncode == 0 and GENERIC not in result.stderr, (args, result.stderr)
