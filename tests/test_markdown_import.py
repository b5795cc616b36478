"""`journal import FOLDER --format markdown`: Obsidian daily notes, Logseq journals and
plain folders of Markdown files, with YAML front matter, as those apps write them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import run_cli
from helpers.documents import entry_files

MONDAY = """---
date: 2024-01-15
tags:
  - therapy
  - "#walk"
mood: 3
aliases: [Monday]
---
# Monday 15 January

Session today. Afterwards a slow walk by the canal. #gratitude for the light.

- [ ] write to Anna
![[canal.jpg]]
"""
TUESDAY = "Woke early. #sleep\n\nNo front matter at all, just the day in the file name.\n"
WEDNESDAY = """---
created: 2024-01-17T21:45:00
tags: mood, evening
---

Late note, written in the evening.
"""
THURSDAY = "---\ndate: 2024-01-18\n---\n"  # a daily note made from a template, never written in


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An Obsidian vault's daily notes folder, with its settings and an attachment."""
    return write(
        tmp_path / "vault",
        {
            ".obsidian/app.json": "{}",
            ".obsidian/daily.md": "---\ndate: 2020-01-01\n---\nnot a note\n",
            "Daily/2024-01-15.md": MONDAY,
            "Daily/2024-01-16.md": TUESDAY,
            "Daily/2024-01-17.md": WEDNESDAY,
            "Daily/2024-01-18.md": THURSDAY,
            "attachments/canal.jpg": b"\xff\xd8\xff not really a photo",
        },
    )


def exported(home: Path) -> list[dict[str, Any]]:
    result = run_cli(home, "export")
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout)["entries"])


def test_an_obsidian_folder_comes_along(journal_home: Path, vault: Path) -> None:
    result = run_cli(journal_home, "import", str(vault), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert f"Imported 3 entries from {vault}." in said
    assert "1 note with no text after its front matter was left out." in said
    assert "1 file that is not Markdown (attachments, settings) was left as it is." in said
    entries = exported(journal_home)
    assert [(e["created"], e["day"], e["tz"]) for e in entries] == [
        ("2024-01-15T00:00:00+01:00", "2024-01-15", "Europe/Berlin"),
        ("2024-01-16T00:00:00+01:00", "2024-01-16", "Europe/Berlin"),
        ("2024-01-17T21:45:00+01:00", "2024-01-17", "Europe/Berlin"),
    ]
    monday, tuesday, wednesday = entries
    # The text after the front matter, exactly.
    assert monday["text"] == MONDAY.split("---\n", 2)[2]
    assert tuesday["text"] == TUESDAY
    assert wednesday["text"] == "\nLate note, written in the evening.\n"
    assert monday["tags"] == ["therapy", "walk", "gratitude"]
    assert tuesday["tags"] == ["sleep"]
    assert wednesday["tags"] == ["mood", "evening"]
    assert all(e["theme"] is None and e["prompt"] is None for e in entries)


def test_a_second_import_adds_nothing(journal_home: Path, vault: Path) -> None:
    assert run_cli(journal_home, "import", str(vault), "--format", "markdown").returncode == 0
    files = entry_files(journal_home)
    again = run_cli(journal_home, "import", str(vault), "--format", "markdown")
    assert again.returncode == 0
    assert again.stderr == f"Nothing new from {vault}: the 3 entries are already in the journal.\n"
    assert entry_files(journal_home) == files


def test_logseq_journals_come_along(journal_home: Path, tmp_path: Path) -> None:
    graph = write(
        tmp_path / "graph",
        {
            "journals/2024_01_15.md": "- Went for a walk #outside\n- Called [[Mum]]\n\t- she laughed\n",
            "journals/2024_01_16.md": "- tags:: rest\n- A quiet day\n",
            "logseq/bak/journals/2024_01_15/2024-01-15T10_00_00.000Z.Desktop.md": "- old copy\n",
            "logseq/config.edn": "{}",
        },
    )
    result = run_cli(journal_home, "import", str(graph), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    entries = exported(journal_home)
    assert [(e["day"], e["text"], e["tags"]) for e in entries] == [
        (
            "2024-01-15",
            "- Went for a walk #outside\n- Called [[Mum]]\n\t- she laughed\n",
            ["outside"],
        ),
        ("2024-01-16", "- tags:: rest\n- A quiet day\n", []),
    ]


def test_a_time_with_its_own_offset_is_kept(journal_home: Path, tmp_path: Path) -> None:
    folder = write(
        tmp_path / "notes",
        {
            "trip.md": "---\ncreated: 2024-03-02T08:30:00+05:30\ntitle: Pune\n---\nMorning in Pune.\n"
        },
    )
    assert run_cli(journal_home, "import", str(folder), "--format", "markdown").returncode == 0
    (entry,) = exported(journal_home)
    assert (entry["created"], entry["day"], entry["tz"]) == (
        "2024-03-02T08:30:00+05:30",
        "2024-03-02",
        "UTC+05:30",
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "2024-01-19.md",
            "---\ndate: 2024-01-19\ntags: [a, b\n---\nText\n",
            "2024-01-19.md: its front matter is not valid YAML (line 4); nothing was imported.",
        ),
        (
            "2024-01-19.md",
            "---\ndate: !!python/object/apply:os.system ['echo owned']\n---\nText\n",
            "its front matter is not valid YAML",
        ),
        ("Ideas.md", "Some thoughts, no date anywhere.\n", "Ideas.md: it has no date"),
        ("2024-01-19.md", "---\ndate: soon\n---\nText\n", "its date is not a date like 2024-01-15"),
        ("2024-01-19.md", "---\ndate: 2024-01-19\nText without an end\n", "no closing --- line"),
        ("2024-01-19.md", b"\xff\xfe not UTF-8", "it is not UTF-8 text"),
    ],
)
def test_one_bad_note_imports_nothing_and_is_named(
    journal_home: Path, vault: Path, name: str, content: str | bytes, reason: str
) -> None:
    write(vault, {f"Daily/{name}": content})
    result = run_cli(journal_home, "import", str(vault), "--format", "markdown")
    assert result.returncode == 1
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert entry_files(journal_home) == []


def test_a_file_or_an_empty_folder_is_refused(journal_home: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    empty = run_cli(journal_home, "import", str(tmp_path / "empty"), "--format", "markdown")
    assert empty.returncode == 1 and "holds no Markdown files" in empty.stderr
    note = write(tmp_path, {"2024-01-15.md": "A note.\n"}) / "2024-01-15.md"
    alone = run_cli(journal_home, "import", str(note), "--format", "markdown")
    assert alone.returncode == 1 and "reads a folder of Markdown files" in alone.stderr
