"""Sharing with someone else: private entries and passages, and the first page."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers.cli import cli_env, run_cli
from helpers.documents import berlin, entry_files, write_entry
from layers_journal.folder.entries import Entry
from layers_journal.formats.book import session_facts
from layers_journal.formats.sharing import entry_parts, for_sharing, shared_text
from layers_journal.journal.facade import Journal

WITH_PASSAGE = (
    "A slow morning by the lake.\n\n::: private\nWhat Sam said, word for word.\n:::\n\n"
    "After that, calm."
)


def test_a_passage_between_the_markers_is_private() -> None:
    parts = entry_parts(WITH_PASSAGE)
    assert [(p.text.strip(), p.private) for p in parts] == [
        ("A slow morning by the lake.", False),
        ("What Sam said, word for word.", True),
        ("After that, calm.", False),
    ]
    assert shared_text(WITH_PASSAGE) == "A slow morning by the lake.\n\nAfter that, calm."


@pytest.mark.parametrize(
    ("text", "shared"),
    [
        ("before\n::: PRIVATE\nhidden\n:::\nafter", "before\n\nafter"),
        ("before\n   :::private  \nhidden\n  :::\nafter", "before\n\nafter"),
        ("before\n:::: private\nhidden\n::::\nafter", "before\n\nafter"),
        # Never closed: the rest of the entry stays back.
        ("before\n::: private\nhidden\nand this too", "before"),
        # A closing line alone, or a marker inside a line, is just text.
        ("a\n:::\nb", "a\n:::\nb"),
        ("say ::: private here", "say ::: private here"),
        ("    ::: private\nindented four is code", "    ::: private\nindented four is code"),
    ],
)
def test_the_markers_as_a_person_types_them(text: str, shared: str) -> None:
    assert shared_text(text) == shared


def entry(text: str, **fields: object) -> Entry:
    base = Entry(id="2026-03-02-090000-aaaaaa", created=berlin(2026, 3, 2), day=berlin(2026, 3, 2).date(), tz="Europe/Berlin", text=text)  # fmt: skip
    return base._replace(**fields)


def test_for_sharing_counts_what_it_leaves_out() -> None:
    entries = [
        entry("open words"),
        entry("kept back", private=True),
        entry(WITH_PASSAGE),
        entry("::: private\nall of it\n:::"),
    ]
    shared = for_sharing(entries, include_private=False)
    assert [e.text for e in shared.entries] == ["open words", shared_text(WITH_PASSAGE)]
    assert (shared.private_entries, shared.private_passages) == (1, 2)
    everything = for_sharing(entries, include_private=True)
    assert everything.entries == entries and everything.private_entries == 0


# --- the command line -------------------------------------------------------------------


def front_matter(path: Path) -> str:
    return path.read_text().split("+++")[1]


def test_today_private_and_edit_private_no_private(journal_home: Path) -> None:
    result = run_cli(journal_home, "today", "--private", stdin="Only for me.\n")
    assert result.returncode == 0, result.stderr
    (path,) = entry_files(journal_home)
    assert "private = true" in front_matter(path)
    body = path.read_text().split("+++", 2)[2]
    exported = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    assert exported[0]["private"] is True
    entry_id = exported[0]["id"]
    shared = run_cli(journal_home, "edit", entry_id, "--no-private")
    assert shared.returncode == 0 and "shared in exports" in shared.stderr, shared.stderr
    assert "private" not in front_matter(path) and path.read_text().endswith(body)
    again = run_cli(journal_home, "edit", entry_id, "--private")
    assert again.returncode == 0 and f"Saved {entry_id}: private." in again.stderr
    assert "private = true" in front_matter(path) and path.read_text().endswith(body)
    same = run_cli(journal_home, "edit", entry_id, "--private")
    assert "It already was so; nothing changed." in same.stderr


def test_history_marks_private_entries_quietly(journal_home: Path, journal: Journal) -> None:
    write_entry(journal, berlin(2026, 3, 2), "An open page.", theme="awareness")
    write_entry(journal, berlin(2026, 3, 3), "A page of my own.", theme="awareness", private=True)
    result = run_cli(journal_home, "history")
    assert result.returncode == 0, result.stderr
    own, open_page = result.stdout.split("\n\n")[:2]
    assert "A page of my own." in own and re.search(r"\bprivate\b", own.split("\n")[0])
    assert "An open page." in open_page and "private" not in open_page


def test_json_gains_private_only_when_true(journal_home: Path, journal: Journal) -> None:
    write_entry(journal, berlin(2026, 3, 2), "Open.", theme="awareness")
    write_entry(journal, berlin(2026, 3, 3), "Mine.", private=True)
    entries = json.loads(run_cli(journal_home, "export").stdout)["entries"]
    assert list(entries[0]) == [
        "id", "created", "day", "tz", "theme", "prompt_id", "prompt", "mood", "tags", "text",
    ]  # fmt: skip
    assert entries[1]["private"] is True and entries[1]["text"] == "Mine."


def test_the_json_export_keeps_everything_and_imports_back(
    journal_home: Path, journal: Journal, tmp_path: Path
) -> None:
    write_entry(journal, berlin(2026, 3, 2), WITH_PASSAGE, theme="awareness")
    write_entry(journal, berlin(2026, 3, 3), "Mine.", private=True)
    first_id = write_entry(journal, berlin(2026, 3, 4), "Not for lookback.")
    run_cli(journal_home, "edit", first_id, "--no-lookback")
    backup = run_cli(journal_home, "export")
    assert backup.returncode == 0 and "Left out" not in backup.stderr
    document = json.loads(backup.stdout)
    assert document["entries"][0]["text"] == WITH_PASSAGE
    assert document["entries"][2]["lookback"] is False
    source = tmp_path / "backup.json"
    source.write_text(backup.stdout)
    elsewhere = tmp_path / "elsewhere"
    assert run_cli(elsewhere, "import", str(source)).returncode == 0
    assert run_cli(elsewhere, "export").stdout == backup.stdout


@pytest.fixture
def shared_journal(journal_home: Path, journal: Journal) -> Path:
    write_entry(journal, berlin(2026, 3, 2), "Open words on Monday.", theme="awareness", mood=2)
    write_entry(journal, berlin(2026, 3, 3), WITH_PASSAGE, theme="connection", mood=4)
    write_entry(journal, berlin(2026, 3, 4), "A page of my own.", theme="compassion", private=True)
    return journal_home


PERIOD = ("--since", "2026-03-01", "--until", "2026-03-07")


def test_markdown_leaves_private_words_out_and_says_so(shared_journal: Path) -> None:
    result = run_cli(shared_journal, "export", "--format", "markdown", *PERIOD)
    assert result.returncode == 0, result.stderr
    assert "Open words on Monday." in result.stdout and "After that, calm." in result.stdout
    assert "Sam said" not in result.stdout and "my own" not in result.stdout
    assert "::: private" not in result.stdout
    assert (
        "Left out 1 private entry and 1 private passage; --include-private puts them in."
        in result.stderr
    )
    everything = run_cli(
        shared_journal, "export", "--format", "markdown", "--include-private", *PERIOD
    )
    assert "Sam said" in everything.stdout and "A page of my own." in everything.stdout
    assert "### 09:00 · compassion · private" in everything.stdout
    assert "Left out" not in everything.stderr


def test_html_leaves_private_words_out_and_marks_them_when_in(
    shared_journal: Path, tmp_path: Path
) -> None:
    page = tmp_path / "shared.html"
    result = run_cli(shared_journal, "export", "--format", "html", "-o", str(page), *PERIOD)
    assert result.returncode == 0, result.stderr
    assert "Left out 1 private entry and 1 private passage" in result.stderr
    text = html.unescape(page.read_text())
    assert "Open words on Monday." in text and "After that, calm." in text
    assert "Sam said" not in text and "my own" not in text
    assert "private" not in text.split("<main>")[1].split("<footer>")[0].lower()
    # The first page speaks of what is shared: compassion was written only in private.
    assert "By layer: awareness on 1 day, connection on 1 day." in text
    assert "compassion on" not in text
    assert "1 day so far" in text and "♥ compassion" in text
    compassion = text.split("♥ compassion")[1].split("◆ connection")[0]
    assert "not started yet" in compassion
    full = tmp_path / "full.html"
    run_cli(shared_journal, "export", "--format", "html", "-o", str(full), "--include-private", *PERIOD)  # fmt: skip
    everything = html.unescape(full.read_text())
    assert "What Sam said" in everything and "A page of my own." in everything
    assert '<div class="private-passage"><p class="passage-mark">private passage</p>' in (
        full.read_text()
    )
    assert '<span class="private-mark">private</span>' in full.read_text()
    assert "compassion on 1 day" in everything


# --- the first page ---------------------------------------------------------------------


def test_an_imported_journal_first_page_has_no_zeros(journal_home: Path, tmp_path: Path) -> None:
    document = {
        "format": "layers-journal",
        "version": 1,
        "pauses": [],
        "entries": [
            {"id": f"2026-03-0{n}-090000-imprt{n}", "created": f"2026-03-0{n}T09:00:00+01:00",
             "day": f"2026-03-0{n}", "tz": "Europe/Berlin", "theme": None, "prompt_id": None,
             "prompt": None, "mood": None, "tags": [], "text": f"Imported page {n}."}
            for n in (2, 3, 5)
        ],
    }  # fmt: skip
    source = tmp_path / "old.json"
    source.write_text(json.dumps(document))
    assert run_cli(journal_home, "import", str(source)).returncode == 0
    page = tmp_path / "imported.html"
    result = run_cli(journal_home, "export", "--format", "html", "-o", str(page), *PERIOD)
    assert result.returncode == 0, result.stderr
    text = html.unescape(page.read_text())
    first = text.split("<main>")[0]
    assert "3 days written, 3 entries." in first
    assert not re.search(r"\b0 days?\b", first) and "By layer" not in first
    assert '<figure class="moods">' not in first  # no moods were noted
    assert "journal today" not in first and "--detail" not in first


def test_the_mood_chart_comes_with_moods(shared_journal: Path, tmp_path: Path) -> None:
    page = tmp_path / "moods.html"
    run_cli(shared_journal, "export", "--format", "html", "-o", str(page), *PERIOD)
    content = page.read_text()
    chart = content.split('<figure class="moods">')[1].split("</figure>")[0]
    # Seven days, two with a mood (2 and 4; the private entry's is left out with it).
    assert chart.count("<rect") == 2 and chart.count("<circle") == 5
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', chart)]
    assert heights[0] < heights[1]
    assert "1 Mar" in chart and "7 Mar" in chart and "8 Mar" not in chart


def test_exercises_are_named_on_the_first_page() -> None:
    day = berlin(2026, 3, 2).date()

    def page(**fields: object) -> object:
        return SimpleNamespace(**({"day": day, "theme": None, "kind": None} | fields))

    entries = [
        page(theme="awareness", kind="exercise", exercise="thought-record"),
        page(kind="exercise", exercise="thought-record"),
        page(kind="exercise", exercise="body-check-in"),
        page(theme="awareness"),
    ]
    facts = session_facts(entries)  # type: ignore[arg-type]
    assert facts == [
        "1 day written, 4 entries",
        "By layer: awareness on 1 day",
        "Exercises: thought record twice, body check in",
    ]
    titled = session_facts(entries, {"thought-record": "Thought record"})  # type: ignore[arg-type]
    assert titled[-1] == "Exercises: Thought record twice, body check in"
    assert session_facts([page(theme="connection")]) == [  # type: ignore[list-item]
        "1 day written, 1 entry",
        "By layer: connection on 1 day",
    ]


def test_a_note_from_a_file_opens_the_first_page(shared_journal: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("The dream about **water**.\n\n<script>alert(1)</script>\n")
    page = tmp_path / "noted.html"
    args = ("--note", str(note), "-o", str(page), *PERIOD)
    result = run_cli(shared_journal, "export", "--format", "html", *args)
    assert result.returncode == 0, result.stderr
    first = page.read_text().split("<main>")[0]
    assert "What I want to bring up" in first
    assert "The dream about <strong>water</strong>." in first
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first and "<script" not in first


def test_the_note_is_asked_once_in_a_terminal(shared_journal: Path, tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")

    for answer, expected in (("Sleep, and the lake.", True), ("", False)):
        page = tmp_path / f"asked-{expected}.html"
        child = pexpect.spawn(
            sys.executable,
            ["-m", "layers_journal", "export", "--format", "html", "-o", str(page), *PERIOD],
            env=cli_env(shared_journal),
            encoding="utf-8",
            timeout=60,
        )
        child.expect_exact("Anything you want to bring up? Enter skips:")
        child.sendline(answer)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        content = page.read_text()
        assert ("What I want to bring up" in content) is expected
        assert ("Sleep, and the lake." in content) is expected


def test_no_question_when_not_in_a_terminal(shared_journal: Path, tmp_path: Path) -> None:
    page = tmp_path / "piped.html"
    result = run_cli(shared_journal, "export", "--format", "html", "-o", str(page), stdin="x\n")
    assert result.returncode == 0 and "Anything" not in result.stderr


def test_the_layers_picture_as_svg_and_html_is_drawn_for_paper(
    shared_journal: Path, tmp_path: Path
) -> None:
    svg, page = tmp_path / "layers.svg", tmp_path / "layers.html"
    result = run_cli(
        shared_journal, "layers", "--as-of", "2026-03-07", "--svg", str(svg), "--html", str(page)
    )
    assert result.returncode == 0, result.stderr
    drawing = svg.read_text()
    assert drawing.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 ')
    words = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", drawing))
    assert "Your layers" in words and "awareness" in words and "presence" in words
    assert "journal" not in words and "--" not in words  # no advice for a terminal
    assert "foreignObject" not in drawing and "<style" not in drawing
    assert all(float(size) >= 11 for size in re.findall(r'font-size="([0-9.]+)"', drawing))
    assert drawing.strip() in page.read_text() and "Content-Security-Policy" in page.read_text()


def test_exercises_done_are_named_by_their_title(
    journal_home: Path, journal: Journal, tmp_path: Path
) -> None:
    for day in (2, 4):
        write_entry(
            journal,
            berlin(2026, 3, day),
            "## The situation\n\nThe meeting.",
            theme="awareness",
            kind="exercise",
            exercise="thought-record",
        )
    page = tmp_path / "exercises.html"
    result = run_cli(journal_home, "export", "--format", "html", "-o", str(page), *PERIOD)
    assert result.returncode == 0, result.stderr
    content = page.read_text()
    assert "<li>Exercises: Thought record twice.</li>" in content
    assert '<span class="exercise">exercise: Thought record</span>' in content
    assert "<h4>The situation</h4>" in content  # a step sits right under the entry
