"""The index keeping up with the folder: change detection, saves that leave it current,
the bulk rebuild, and the layers model's kept result."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from helpers.cli import run_cli
from helpers.documents import berlin, write_entry
from layers_journal.config import Config, resolve_paths
from layers_journal.folder.entries import format_meta, new_entry, parse_entry
from layers_journal.folder.scan import scan_journal
from layers_journal.index import (
    COUNTED,
    DAY_COUNTS,
    MODEL,
    MODEL_KEY,
    Index,
    memory_index,
    open_index,
    transaction,
)
from layers_journal.journal.facade import Journal
from layers_journal.model.layers import DAILY, RhythmChoice, compute_layers


def history_ids(home: Path, *args: str) -> list[str]:
    result = run_cli(home, "history", "--json", *args)
    assert result.returncode == 0, result.stderr
    import json

    return [entry["id"] for entry in json.loads(result.stdout)["entries"]]


def open_journal(**config: object) -> Journal:
    return Journal(resolve_paths(), Config(**config))  # type: ignore[arg-type]


# --- change detection -----------------------------------------------------------------


@pytest.mark.parametrize("how", ["in place", "replaced by a rename"])
def test_an_edit_that_keeps_the_size_and_restores_the_mtime_is_seen(
    journal_home: Path, how: str
) -> None:
    """rsync --times, touch -r and some sync clients put the old mtime back: the ctime
    (which no one can set) and the inode still tell."""
    run_cli(journal_home, "today", stdin="Kettle singing.")
    (path,) = (journal_home / "data" / "entries").rglob("*.md")
    assert len(history_ids(journal_home, "--search", "kettle")) == 1
    before = path.stat()
    time.sleep(0.05)  # past the coarsest file-system clock tick
    edited = path.read_bytes().replace(b"Kettle", b"Teapot")
    if how == "in place":
        with open(path, "r+b") as handle:
            handle.write(edited)
    else:
        temp = path.with_name(".rsync-temp")
        temp.write_bytes(edited)
        os.replace(temp, path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert history_ids(journal_home, "--search", "kettle") == []
    assert len(history_ids(journal_home, "--search", "teapot")) == 1


def test_a_save_leaves_the_folder_state_and_the_counts_current(journal_home: Path) -> None:
    """Neither the save nor the command after it redoes work: the folders the save
    wrote into are recorded as they now are, and the day counts follow the new entry."""
    run_cli(journal_home, "today", "--date", "yesterday", stdin="First.")
    run_cli(journal_home, "layers")
    saved = run_cli(journal_home, "today", stdin="A new month folder, maybe.")
    assert saved.returncode == 0, saved.stderr
    journal = open_journal()
    path = journal.paths.index_file(journal.root)
    db = sqlite3.connect(path)
    stored = dict(db.execute("SELECT folder, signature FROM folders"))
    assert stored == scan_journal(str(journal.root)).folders
    kept = dict(db.execute("SELECT key, value FROM derived"))
    index = Index(db, journal.root, sealed=False, day_start=journal.config.day_start)
    counts, digest = index.practice.count_rows()
    assert (bytes(kept[DAY_COUNTS]), int(kept[COUNTED])) == (counts.pack(), digest)
    # The save's closing line needs presence alone: the whole model is computed, and
    # kept, by the next `journal layers`.
    today = journal.clock.today()
    assert kept[MODEL_KEY] != journal.model.model_key(digest, [], today)
    assert run_cli(journal_home, "layers").returncode == 0
    kept = dict(db.execute("SELECT key, value FROM derived"))
    assert kept[MODEL_KEY] == journal.model.model_key(digest, [], today)
    db.close()


# --- the bulk rebuild -----------------------------------------------------------------


def varied_journal(journal: Journal) -> None:
    """Entries over a few months (backfilled, unthemed, tagged), a pause, and the odd
    files the index must name: a broken one, a duplicate id, a conflict copy, an
    encrypted pair and an encrypted entry without its metadata."""
    rng = random.Random(7)
    for n in range(60):
        when = berlin(2026, 1, 1) + timedelta(days=n, hours=rng.randint(0, 20))
        write_entry(
            journal,
            when,
            text=f"Entry {n}: lighthouse kettle {rng.choice(['rain', 'sun', 'fog'])}",
            day=journal.clock.day_of(when) - timedelta(days=rng.choice([0, 0, 0, 2, 5])),
            theme=rng.choice(["awareness", "connection", "compassion", None]),
            mood=rng.choice([None, 1, 3, 5]),
            tags=rng.sample(["work", "home", "walk"], rng.randint(0, 2)),
        )
    journal.changes.add_pause(date(2026, 2, 3), date(2026, 2, 9), "flu")
    folder = journal.root / "entries" / "2026" / "02"
    some = sorted(folder.glob("*.md"))
    (folder / "2026-02-28-120000-broken.md").write_text("+++\nid = \n+++\n")
    earlier = journal.root / "entries" / "2025" / "12"
    earlier.mkdir(parents=True)
    (earlier / some[0].name).write_text(some[0].read_text())  # the same id twice
    (folder / "2026-02-01-090000-aaaaaa sync-conflict.md").write_text(some[1].read_text())
    sealed = new_entry(journal.clock, now=berlin(2026, 2, 20), day=date(2026, 2, 20), text="x")
    (folder / f"{sealed.id}.md.age").write_bytes(os.urandom(200))
    (folder / f"{sealed.id}.meta.toml").write_text(format_meta(sealed))
    lonely = new_entry(journal.clock, now=berlin(2026, 2, 21), day=date(2026, 2, 21), text="y")
    (folder / f"{lonely.id}.md.age").write_bytes(os.urandom(200))


def index_contents(db: sqlite3.Connection) -> dict[str, object]:
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.words USING fts5vocab(main, entry_words, instance)"
    )
    return {
        "files": db.execute("SELECT * FROM files ORDER BY path").fetchall(),
        "folders": db.execute("SELECT * FROM folders ORDER BY folder").fetchall(),
        "entries": db.execute("SELECT rowid, * FROM entries ORDER BY path").fetchall(),
        "pauses": db.execute("SELECT * FROM pauses ORDER BY path").fetchall(),
        "derived": db.execute(
            "SELECT key, value FROM derived WHERE key IN (?, ?) ORDER BY key", (DAY_COUNTS, COUNTED)
        ).fetchall(),
        "words": db.execute("SELECT * FROM temp.words ORDER BY 1, 2, 3, 4").fetchall(),
        "indexes": db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
            " ORDER BY name"
        ).fetchall(),
    }


@pytest.mark.parametrize("sealed", [False, True])
def test_the_bulk_rebuild_equals_learning_the_files_one_by_one(
    journal: Journal, tmp_path: Path, sealed: bool
) -> None:
    varied_journal(journal)
    root = journal.root
    bulk = open_index(
        tmp_path / "bulk.sqlite3", root, sealed=sealed, day_start=journal.config.day_start
    )
    # The slow path: the same schema, every folder caught up file by file.
    slow = open_index(
        tmp_path / "slow.sqlite3",
        root / "nothing",
        sealed=sealed,
        day_start=journal.config.day_start,
    )
    slow.root = root
    scan = scan_journal(str(root))
    with transaction(slow.db):
        slow.indexer().reconcile(scan, set(scan.folders))
    got, expected = index_contents(bulk.db), index_contents(slow.db)
    assert got == expected
    assert len(got["entries"]) == 61  # type: ignore[arg-type]
    problems = [path for path, *_, problem in got["files"] if problem]  # type: ignore[attr-defined]
    assert len(problems) == 3 and some_duplicate(got["files"])  # type: ignore[arg-type]
    assert bulk.health() is None and slow.health() is None
    if sealed:
        # No prompt, mood, tags or text (rowid comes twice: the alias and the column).
        assert {row[12:16] for row in got["entries"]} == {(None, None, "", None)}  # type: ignore[attr-defined]


def some_duplicate(files: list[tuple[object, ...]]) -> bool:
    return any("it has the same id as" in str(row[-1]) for row in files)


# --- the kept model -------------------------------------------------------------------


def fresh_report(journal: Journal, today: date):  # type: ignore[no-untyped-def]
    """The model computed from the rows as they are, nothing kept."""
    counts, _ = journal.index().practice.count_rows()
    return compute_layers(counts.facts(), journal.model.rest_spans(), today, journal.config.rhythm)


def test_the_kept_model_equals_a_fresh_one_over_random_edits(journal_home: Path) -> None:
    rng = random.Random(2026)
    start = datetime(2026, 1, 1, 9, tzinfo=berlin(2026, 1, 1).tzinfo)
    rhythm = DAILY
    hits = 0
    today = date(2026, 2, 1)
    for step in range(100):
        journal = open_journal(rhythm=rhythm)
        if rng.random() < 0.15:
            today = date(2026, 1, 1) + timedelta(days=rng.randint(0, 70))
        files = sorted((journal.root / "entries").rglob("*.md")) if journal.root.exists() else []
        action = rng.random()
        if action < 0.45 or not files:
            when = start + timedelta(days=rng.randint(0, 70), hours=rng.randint(0, 14))
            write_entry(
                journal,
                when,
                day=journal.clock.day_of(when) - timedelta(days=rng.choice([0, 0, 1, 3, 6])),
                theme=rng.choice(["awareness", "connection", "compassion", None]),
            )
        elif action < 0.6:
            rng.choice(files).unlink()
        elif action < 0.7:
            path = rng.choice(files)
            path.write_text(path.read_text().rstrip("\n") + " more words\n")
        elif action < 0.78:
            path = rng.choice(files)
            theme = rng.choice(["awareness", "connection", "compassion"])
            entry = parse_entry(path.read_text())
            text = path.read_text()
            if entry.theme:
                path.write_text(text.replace(f'theme = "{entry.theme}"', f'theme = "{theme}"'))
        elif action < 0.86:
            first = date(2026, 1, 1) + timedelta(days=rng.randint(0, 70))
            journal.changes.add_pause(first, first + timedelta(days=rng.randint(0, 6)), None)
        elif action < 0.9 and journal.model.pauses():
            journal.changes.remove_pause(rng.choice(journal.model.pauses()).id)
        elif action < 0.95:
            rhythm = rng.choice(
                [DAILY, RhythmChoice(None, True), *(RhythmChoice(n, True) for n in (1, 2, 3, 6))]
            )
            journal = open_journal(rhythm=rhythm)
        # else: nothing changed, only (perhaps) today
        journal.refresh()
        index = journal.index()
        key = journal.model.model_key(
            index.practice.counted_digest(), journal.model.rest_spans(), today
        )
        hits += index.practice.cached_model(key) is not None  # type: ignore[arg-type]
        assert journal.model.report(today) == fresh_report(journal, today), f"step {step}"
        # Asked again, it comes from the index, and is still the same.
        assert index.practice.cached_model(key) is not None  # type: ignore[arg-type]
        assert journal.model.report(today) == fresh_report(journal, today), f"step {step}"
        index.close()
    assert hits > 5  # the kept result was used, not just recomputed each time


@pytest.mark.parametrize(
    "change",
    ["entry", "pause", "rhythm", "rhythm chosen", "today", "text only", "code"],
)
def test_the_kept_model_follows_each_of_its_inputs(
    journal_home: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = open_journal()
    for n in range(5):
        write_entry(journal, berlin(2026, 3, 1 + n), theme="awareness")
    today = date(2026, 3, 6)
    first = journal.model.report(today)
    index = journal.index()
    key = journal.model.model_key(
        index.practice.counted_digest(), journal.model.rest_spans(), today
    )
    assert index.practice.cached_model(key) is not None
    rhythm = journal.config.rhythm
    if change == "entry":
        write_entry(journal, berlin(2026, 3, 6), theme="connection")
    elif change == "pause":
        journal.changes.add_pause(date(2026, 3, 6), date(2026, 3, 6), None)
    elif change == "rhythm":
        rhythm = RhythmChoice(2, True)
    elif change == "rhythm chosen":  # an explicit daily: the same figures, and no offer
        rhythm = RhythmChoice(None, True)
    elif change == "today":
        today = date(2026, 3, 20)
    elif change == "text only":
        (path,) = [p for p in (journal.root / "entries").rglob("*.md") if "03-02" in p.name]
        path.write_text(path.read_text().replace("words", "other words"))
    else:
        import layers_journal.model.snapshot as snapshot

        monkeypatch.setattr(snapshot, "fingerprint", lambda module: "another version")
    journal = open_journal(rhythm=rhythm)
    index = journal.index()
    key = journal.model.model_key(
        index.practice.counted_digest(), journal.model.rest_spans(), today
    )
    kept = index.practice.cached_model(key)
    assert (kept is not None) == (change == "text only")
    report = journal.model.report(today)
    assert report == fresh_report(journal, today)
    assert (report == first) == (change in ("text only", "code"))
    assert report.rhythm == rhythm


def package_imports(module: str) -> set[str]:
    """The package's modules (as layers_journal.x.y) that `module` imports, wherever the
    import stands."""
    import ast

    source = Path(__file__).resolve().parent.parent / "src"

    def is_module(name: str) -> bool:
        return (source / Path(*name.split("."))).with_suffix(".py").is_file()

    path = (source / Path(*module.split("."))).with_suffix(".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{module} imports relatively, which this walk cannot follow"
            assert node.module is not None
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {name for name in names if is_module(name)}
    return found


def test_the_kept_models_key_names_every_module_the_model_is_computed_by() -> None:
    """The key covers the code of layers.py and of every module of the package it draws
    on, however deep: one left out would let a result of older code be used."""
    from layers_journal.model.layers import code_modules

    reached: set[str] = set()
    waiting = ["layers_journal.model.layers"]
    while waiting:
        module = waiting.pop()
        if module not in reached:
            reached.add(module)
            waiting.extend(package_imports(module))
    assert {module.__name__ for module in code_modules()} == reached
    assert len(reached) > 1  # the model is in several modules, so the walk is not idle


def test_a_change_to_any_module_of_the_model_changes_the_kept_models_key(
    journal_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from layers_journal.model.layers import code_modules

    journal = open_journal()
    today = date(2026, 3, 6)
    index = journal.index()

    def key() -> str | None:
        return journal.model.model_key(
            index.practice.counted_digest(), journal.model.rest_spans(), today
        )

    before = key()
    assert before is not None
    for module in code_modules():
        changed = tmp_path / Path(str(module.__file__)).name
        changed.write_bytes(Path(str(module.__file__)).read_bytes() + b"# changed\n")
        with monkeypatch.context() as patch:
            patch.setattr(module, "__file__", str(changed))
            assert key() not in (before, None), module.__name__
        assert key() == before
    index.close()


def test_a_damaged_kept_model_is_computed_again(journal_home: Path) -> None:
    journal = open_journal()
    write_entry(journal, berlin(2026, 3, 1), theme="awareness")
    today = date(2026, 3, 2)
    expected = journal.model.report(today)
    journal.index().db.execute("UPDATE derived SET value = ? WHERE key = ?", (b"\x00junk", MODEL))
    assert open_journal().model.report(today) == expected


def test_the_memory_index_counts_from_its_rows(journal: Journal) -> None:
    write_entry(journal, berlin(2026, 3, 1), theme="awareness")
    memory = memory_index(journal.root, day_start=journal.config.day_start)
    memory.refresh()
    facts, digest = memory.practice.counted_facts()
    assert [(f.day, f.theme, f.entries) for f in facts] == [(date(2026, 3, 1), "awareness", 1)]
    assert digest == journal.index().practice.counted_digest()


def test_answered_prompts_walks_back_to_the_same_answer_as_grouping_every_row(
    journal: Journal,
) -> None:
    """The prompt-by-prompt walk must agree with max() over every row, also when zones
    make creation days and instants disagree on order."""
    from zoneinfo import ZoneInfo

    rng = random.Random(5)
    zones = [ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("UTC")]
    for _ in range(120):
        when = datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")) + timedelta(
            hours=rng.randint(0, 24 * 40)
        )
        entry = new_entry(
            journal.clock,
            now=when,
            day=when.astimezone(rng.choice(zones)).date(),
            text="words",
            prompt_id=rng.choice(["awareness-001", "awareness-002", "connection-001", None]),
            prompt="A question?",
        )
        zone = rng.choice(zones)
        journal.changes.save_new(entry._replace(created=when.astimezone(zone), tz=zone.key))
    index = journal.index()
    index.refresh()
    for before in [None, *(date(2026, 3, 1) + timedelta(days=n) for n in range(0, 42, 3))]:
        grouped = index.db.execute(
            "SELECT prompt_id, max(created_utc) FROM entries"
            " WHERE prompt_id IS NOT NULL AND created_day < ? GROUP BY prompt_id",
            (before.isoformat() if before else "9999",),
        )
        expected = {pid: datetime.fromisoformat(when) for pid, when in grouped}
        assert index.practice.answered_prompts(before) == expected, before


def test_doctor_finds_day_counts_that_do_not_match_the_entries(journal_home: Path) -> None:
    run_cli(journal_home, "today", stdin="One page.")
    journal = open_journal()
    index = journal.index()
    assert index.health() is None
    counts, _ = index.practice.count_rows()
    counts.counts[0] += 1
    index.db.execute("UPDATE derived SET value = ? WHERE key = ?", (counts.pack(), DAY_COUNTS))
    assert index.health() == "the index's day counts do not match its entries"
    index.close()
    result = run_cli(journal_home, "doctor", "--fix")
    assert "Rebuilt the index from the files." in result.stderr
    assert open_journal().index().health() is None
