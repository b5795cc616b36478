"""The disposable SQLite index over the journal's files, kept in the cache folder.

Before each command the journal folder is scanned and every file's path, size and
mtime compared with what the index saw (any difference, not just "newer"); changed
files are re-read in one transaction. Deleting the index loses nothing: it is rebuilt.
An encrypted journal's index holds only the readable metadata (id, day, creation time,
layer), never text, prompts, moods or tags.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from functools import cached_property
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .layers import EntryFacts

from .config import LAYERS
from .days import wall_clock_day
from .entries import Entry, decode_entry_bytes, entry_from_fields, load_toml, parse_entry
from .errors import FileFormatError, reason
from .pauses import Pause, parse_pause
from .storage import ensure_private_dir, exclusive_lock, is_temp_name, sweep_stale_temp

SCHEMA_VERSION = 11
CONFLICT_MARKS = ("sync-conflict", "conflicted copy", "(conflict", ".orig", "~")

THEME_CODES: tuple[str | None, ...] = (None, *LAYERS)
MISSING_META = (
    "an encrypted entry without its .meta.toml; journal doctor --fix rebuilds it with the "
    "passphrase"
)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    problem TEXT
);
CREATE INDEX IF NOT EXISTS files_by_folder ON files (folder);
CREATE INDEX IF NOT EXISTS files_with_problems ON files (problem) WHERE problem IS NOT NULL;
CREATE TABLE IF NOT EXISTS folders (folder TEXT PRIMARY KEY, signature INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    created_local TEXT NOT NULL,
    created_day TEXT NOT NULL,
    day TEXT NOT NULL,
    tz TEXT NOT NULL,
    theme TEXT,
    prompt_id TEXT,
    prompt TEXT,
    mood INTEGER,
    tags TEXT NOT NULL DEFAULT '',
    text TEXT,
    sealed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entries_by_day ON entries (day DESC, created_utc DESC);
CREATE INDEX IF NOT EXISTS entries_facts ON entries (day, created_day, theme);
CREATE INDEX IF NOT EXISTS entries_by_creation ON entries (created_utc, id);
CREATE INDEX IF NOT EXISTS entries_by_prompt ON entries (prompt_id, created_day, created_utc);
CREATE INDEX IF NOT EXISTS entries_by_created_day ON entries (created_day);
CREATE INDEX IF NOT EXISTS entries_by_theme ON entries (theme, created_day, day);
CREATE VIRTUAL TABLE IF NOT EXISTS entry_words USING fts5(
    text, prompt, content='entries', content_rowid='rowid',
    tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entry_words (rowid, text, prompt) VALUES (new.rowid, new.text, new.prompt);
END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entry_words (entry_words, rowid, text, prompt)
    VALUES ('delete', old.rowid, old.text, old.prompt);
END;
CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pauses (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    note TEXT,
    sealed_note TEXT
);
"""


class Problem(NamedTuple):
    """A file in the journal folder that was skipped, and why (never its content)."""

    path: str
    reason: str


class Located(NamedTuple):
    id: str
    path: str
    sealed: bool


class Query(NamedTuple):
    """Filters for history; dates are journal days, words all must match."""

    limit: int | None = None
    theme: str | None = None
    since: date | None = None
    until: date | None = None
    words: Sequence[str] = ()
    tags: Sequence[str] = ()
    oldest_first: bool = False


class Scan:
    """What a walk over the journal folder found: (path, size, mtime) of each journal
    file, and the problems met on the way."""

    def __init__(self) -> None:
        self.found: list[tuple[str, int, int]] = []
        self.problems: list[Problem] = []
        # Per folder, a digest of its own mtime and its files' sizes and mtimes: when
        # it matches what the index stored, none of that folder's rows need comparing.
        self.folders: dict[str, int] = {}

    @cached_property
    def files(self) -> dict[str, tuple[int, int]]:
        return {path: (size, mtime) for path, size, mtime in self.found}


ENTRY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}-\d{6}-[a-z0-9]{6}\.(?:md|md\.age|meta\.toml)")
PAUSE_FILE = re.compile(r"[0-9a-z-]+\.toml")


def scan_journal(root: Path) -> Scan:
    """Every entry, metadata and pause file below root with its size and mtime.

    Symbolic links are never followed; conflict copies and stray names are reported.
    This stats every file before every command, so it keeps to one fstatat per name
    (cheaper than DirEntry.stat here), plain strings and one short regex per name.
    """
    scan = Scan()
    base = os.path.join(str(root), "")
    for top, pattern in (("entries/", ENTRY_FILE.fullmatch), ("pauses/", PAUSE_FILE.fullmatch)):
        stack = [top]
        while stack:
            folder = stack.pop()
            scan_folder(scan, base, folder, pattern, stack)
    return scan


def scan_folder(
    scan: Scan, base: str, folder: str, is_ours: Callable[[str], object], stack: list[str]
) -> None:
    """One folder (relative, ending in /): its journal files, subfolders and strays."""
    try:
        fd = os.open(base + folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:
        return
    except OSError as error:
        scan.problems.append(Problem(folder.rstrip("/"), reason(error)))
        return
    ours: list[tuple[str, int, int]] = []
    try:
        for name in os.listdir(fd):
            try:
                stat = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed while we looked
            except OSError as error:
                scan.problems.append(Problem(folder + name, reason(error)))
                continue
            mode = stat.st_mode
            if S_ISREG(mode) and is_ours(name):
                ours.append((name, stat.st_size, stat.st_mtime_ns))
            elif S_ISDIR(mode):
                if not name.startswith(".") and folder != "pauses/":
                    stack.append(folder + name + "/")
            else:
                note_stray(scan, base, folder + name, symlink=S_ISLNK(mode))
        ours.sort()
        # Only integers are hashed, so the digest is the same in every process (string
        # hashes are salted per process): the names go in as a CRC.
        names = zlib.crc32("/".join(name for name, _, _ in ours).encode())
        sizes = tuple((size, mtime) for _, size, mtime in ours)
        scan.folders[folder] = hash((os.fstat(fd).st_mtime_ns, names, sizes))
    finally:
        os.close(fd)
    scan.found.extend((folder + name, size, mtime) for name, size, mtime in ours)


def folder_of(path: str) -> str:
    return path[: path.rfind("/") + 1]


def note_stray(scan: Scan, base: str, path: str, *, symlink: bool) -> None:
    """A file that is not a journal file: swept (stale temp), reported, or ignored."""
    name = path.rsplit("/", 1)[-1]
    if symlink:
        scan.problems.append(Problem(path, "a symbolic link; not followed"))
    elif is_temp_name(name):
        sweep_stale_temp(Path(base + path))
    elif looks_like_conflict(name):
        scan.problems.append(
            Problem(
                path,
                "a backup or sync conflict copy; compare it with the original and keep what "
                "you need",
            )
        )
    elif not name.startswith(".") and name.endswith((".md", ".age", ".toml")):
        scan.problems.append(Problem(path, "not named like a journal file; skipped"))


def looks_like_conflict(name: str) -> bool:
    lowered = name.lower()
    return any(mark in lowered for mark in CONFLICT_MARKS)


def utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Index:
    """One open index database. Use `open_index` to get one that is up to date."""

    def __init__(
        self, connection: sqlite3.Connection, root: Path, *, sealed: bool, day_start: time
    ) -> None:
        self.db = connection
        self.root = root
        self.sealed = sealed
        self.day_start = day_start
        self.problems: list[Problem] = []

    # --- keeping up with the folder --------------------------------------------------

    def refresh(self) -> list[Problem]:
        """Bring the index up to date with the folder; returns the files skipped."""
        scan = scan_journal(self.root)
        if self.stored_folders() != scan.folders:
            with self.transaction():
                # Look again inside the write lock: another process may have done it.
                stored = self.stored_folders()
                dirty = {f for f, digest in scan.folders.items() if stored.get(f) != digest}
                dirty |= stored.keys() - scan.folders.keys()
                self.apply(scan, *self.differences(scan, dirty))
                self.db.executemany(
                    "DELETE FROM folders WHERE folder = ?",
                    [(f,) for f in dirty - scan.folders.keys()],
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO folders VALUES (?, ?)",
                    [(f, scan.folders[f]) for f in dirty & scan.folders.keys()],
                )
        stored_problems = self.db.execute(
            "SELECT path, problem FROM files WHERE problem IS NOT NULL"
        )
        self.problems = scan.problems + [Problem(path, reason) for path, reason in stored_problems]
        return self.problems

    def stored_folders(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT folder, signature FROM folders"))

    def differences(self, scan: Scan, folders: set[str]) -> tuple[list[str], list[str]]:
        """(paths new or changed in size or mtime, paths gone) in the given folders,
        compared file by file with what the index saw (any difference, not "newer")."""
        known: set[tuple[str, int, int]] = set()
        for folder in folders:
            known.update(
                self.db.execute(
                    "SELECT path, size, mtime_ns FROM files WHERE folder = ?", (folder,)
                )
            )
        found = {item for item in scan.found if folder_of(item[0]) in folders}
        changed = [path for path, _, _ in found - known]
        removed = [path for path, _, _ in known if path not in scan.files]
        return changed, removed

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def apply(self, scan: Scan, changed: list[str], removed: list[str]) -> None:
        self.db.execute("DELETE FROM derived")  # summaries of the old state
        touched = set(changed) | set(removed)
        # An encrypted entry is its .md.age plus its readable .meta.toml: re-read the
        # pair when either changes.
        for path in list(touched):
            if path.endswith(".meta.toml"):
                touched.add(path[: -len(".meta.toml")] + ".md.age")
        for path in sorted(touched):
            self.forget(path)
        for path in sorted(touched):
            if path not in scan.files:
                continue
            if path.endswith(".meta.toml"):
                self.record_file(path, *scan.files[path], None)
            else:
                self.learn(path, scan)

    def forget(self, path: str) -> None:
        self.db.execute("DELETE FROM entries WHERE path = ?", (path,))
        self.db.execute("DELETE FROM pauses WHERE path = ?", (path,))
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))

    def record_file(self, path: str, size: int, mtime: int, problem: str | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, folder, size, mtime_ns, problem)"
            " VALUES (?, ?, ?, ?, ?)",
            (path, folder_of(path), size, mtime, problem),
        )

    def learn(self, path: str, scan: Scan) -> None:
        size, mtime = scan.files[path]
        problem = None
        try:
            if path.startswith("pauses/"):
                self.insert_pause(path, parse_pause(self.read_text(path)))
            elif path.endswith(".md.age"):
                meta = path[: -len(".md.age")] + ".meta.toml"
                if meta not in scan.files:
                    raise FileFormatError(MISSING_META)
                self.insert_entry(path, parse_meta(self.read_text(meta)), sealed=True)
            else:
                self.insert_entry(path, parse_entry(self.read_text(path)), sealed=self.sealed)
        except FileFormatError as error:
            problem = error.message
        except sqlite3.IntegrityError:
            problem = self.duplicate_reason(path)
        except OSError as error:
            problem = reason(error)
        self.record_file(path, size, mtime, problem)

    def note_written(self, paths: Iterable[str]) -> None:
        """Take in files this process has just written, without rescanning the folder."""
        scan = Scan()
        for path in paths:
            stat = os.stat(self.root / path)
            scan.found.append((path, stat.st_size, stat.st_mtime_ns))
        with self.transaction():
            self.apply(scan, [path for path, _, _ in scan.found], [])

    def read_text(self, path: str) -> str:
        with open(self.root / path, "rb") as handle:
            return decode_entry_bytes(handle.read())

    def duplicate_reason(self, path: str) -> str:
        stem = Path(path).name.split(".", 1)[0]
        row = self.db.execute(
            "SELECT path FROM entries WHERE id = ? UNION SELECT path FROM pauses WHERE id = ?",
            (stem, stem),
        ).fetchone()
        other = row[0] if row else "another file"
        if other.split(".", 1)[0] == path.split(".", 1)[0]:
            return (
                "left by an interrupted encrypt or decrypt next to "
                f"{other}; run that command again to finish"
            )
        return f"it has the same id as {other}; skipped"

    def insert_entry(self, path: str, entry: Entry, *, sealed: bool) -> None:
        """Add an entry row; with sealed=True only the readable metadata is kept."""
        if not path.endswith(entry.id + (".md.age" if path.endswith(".age") else ".md")):
            raise FileFormatError(f"its id {entry.id!r} does not match its file name")
        self.db.execute(
            "INSERT INTO entries (id, path, created, created_utc, created_local, created_day,"
            " day, tz, theme, prompt_id, prompt, mood, tags, text, sealed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.id,
                path,
                entry.created.isoformat(timespec="seconds"),
                utc_text(entry.created),
                entry.created_local.strftime("%Y-%m-%dT%H:%M:%S"),
                wall_clock_day(entry.created_local, self.day_start).isoformat(),
                entry.day.isoformat(),
                entry.tz,
                entry.theme,
                None if sealed else entry.prompt_id,
                None if sealed else entry.prompt,
                None if sealed else entry.mood,
                "" if sealed else "\n".join(entry.tags),
                None if sealed else entry.text,
                int(sealed),
            ),
        )

    def insert_pause(self, path: str, pause: Pause) -> None:
        self.db.execute(
            'INSERT INTO pauses (id, path, start, "end", note, sealed_note)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                pause.id,
                path,
                pause.start.isoformat(),
                pause.end.isoformat(),
                pause.note,
                pause.sealed_note,
            ),
        )

    # --- questions -------------------------------------------------------------------

    def day_counts(self) -> list[EntryFacts]:
        """(day, created_day, theme, entries) groups: what the layers model needs.

        Kept as a packed summary beside the rows until the next change, since every
        today and layers run needs all of it: unpacking is several times cheaper than
        grouping and converting thousands of rows each time.
        """
        row = self.db.execute("SELECT value FROM derived WHERE key = 'day_counts'").fetchone()
        if row is None:
            try:
                with self.transaction():  # so a concurrent change cannot slip in between
                    packed = self.pack_day_counts()
                    self.db.execute(
                        "INSERT OR REPLACE INTO derived VALUES ('day_counts', ?)", (packed,)
                    )
            except sqlite3.OperationalError:  # cannot keep it (a full disk): just use it
                packed = self.pack_day_counts()
        else:
            packed = row[0]
        from .layers import EntryFacts

        numbers = array("q")
        numbers.frombytes(packed)
        # tuple.__new__ skips NamedTuple's Python-level __new__: thousands of rows.
        day, themes, make = date.fromordinal, THEME_CODES, tuple.__new__
        return [
            make(EntryFacts, (day(n[0]), day(n[1]), themes[n[2]], n[3]))
            for n in zip(*(iter(numbers),) * 4, strict=True)
        ]

    def pack_day_counts(self) -> bytes:
        rows = self.db.execute(
            "SELECT day, created_day, theme, count(*) FROM entries GROUP BY day, created_day, theme"
        )
        parse, code = date.fromisoformat, THEME_CODES.index
        numbers = array("q")
        for day, created, theme, n in rows:
            numbers.extend((parse(day).toordinal(), parse(created).toordinal(), code(theme), n))
        return numbers.tobytes()

    def last_theme(self, before: date | None) -> str | None:
        """The layer of the most recently created themed entry, among those written
        before journal day `before` (all of them when None)."""
        # Walk back from the newest (the unary + keeps SQLite from choosing the
        # created_day index and sorting everything): it stops at the first match.
        row = self.db.execute(
            "SELECT theme FROM entries WHERE +theme IS NOT NULL AND +created_day < ?"
            " ORDER BY created_utc DESC, id DESC LIMIT 1",
            (before.isoformat() if before else "9999",),
        ).fetchone()
        return str(row[0]) if row else None

    def layer_days(self, before: date | None, *, window: int, cap: int) -> dict[str, int]:
        """Per layer, its active days among entries written before journal day `before`
        (all when None), counting no further than `cap` (all prompt choice needs to
        know). An entry counts when written on its day or up to `window` days later:
        the layers model's backfill rule (layers.counts), asked of the index so today's
        prompt need not read every entry."""
        found = {}
        for layer in LAYERS:
            row = self.db.execute(
                "SELECT count(*) FROM (SELECT DISTINCT day FROM entries"
                " WHERE theme = ? AND created_day < ? AND day <= created_day"
                " AND julianday(created_day) - julianday(day) <= ? LIMIT ?)",
                (layer, before.isoformat() if before else "9999", window, cap),
            ).fetchone()
            found[layer] = int(row[0])
        return found

    def layer_entries(self, before: date | None) -> dict[str, int]:
        """Per layer, how many entries were written before journal day `before`."""
        rows = self.db.execute(
            "SELECT theme, count(*) FROM entries WHERE theme IS NOT NULL AND created_day < ?"
            " GROUP BY theme",
            (before.isoformat() if before else "9999",),
        )
        return {str(theme): int(n) for theme, n in rows}

    def answered_prompts(self, before: date | None) -> dict[str, datetime]:
        """When each prompt was last answered, by entries written before journal day
        `before` (all of them when None)."""
        rows = self.db.execute(
            "SELECT prompt_id, max(created_utc) FROM entries"
            " WHERE prompt_id IS NOT NULL AND created_day < ? GROUP BY prompt_id",
            (before.isoformat() if before else "9999",),
        )
        return {str(pid): datetime.fromisoformat(when) for pid, when in rows}

    def written_on(self, day: date) -> int:
        """How many entries were written on journal day `day` (whatever day they are for)."""
        row = self.db.execute(
            "SELECT count(*) FROM entries WHERE created_day = ?", (day.isoformat(),)
        ).fetchone()
        return int(row[0])

    def pauses(self) -> list[Pause]:
        rows = self.db.execute(
            'SELECT id, start, "end", note, sealed_note FROM pauses ORDER BY start, id'
        )
        return [
            Pause(pid, date.fromisoformat(start), date.fromisoformat(end), note, sealed)
            for pid, start, end, note, sealed in rows
        ]

    def locate(self, prefix: str, table: str = "entries") -> list[Located]:
        """Entries (or pauses) whose id starts with prefix; several when ambiguous."""
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sealed = "sealed" if table == "entries" else "0"
        rows = self.db.execute(
            f"SELECT id, path, {sealed} FROM {table} WHERE id LIKE ? ESCAPE '\\'"  # noqa: S608
            " ORDER BY id LIMIT 20",
            (pattern,),
        )
        return [Located(entry_id, path, bool(flag)) for entry_id, path, flag in rows]

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def query(self, query: Query) -> list[Entry]:
        """Entries matching the filters, newest day first (oldest with oldest_first)."""
        return list(rows_to_entries(run_query(self.db, query)))

    def close(self) -> None:
        self.db.close()


def run_query(db: sqlite3.Connection, query: Query) -> sqlite3.Cursor:
    where: list[str] = []
    params: list[str | int] = []
    if query.theme:
        where.append("e.theme = ?")
        params.append(query.theme)
    if query.since:
        where.append("e.day >= ?")
        params.append(query.since.isoformat())
    if query.until:
        where.append("e.day <= ?")
        params.append(query.until.isoformat())
    for tag in query.tags:
        # Tags are stored one per line (a tag never holds white space).
        where.append(
            "instr(char(10) || lower(e.tags) || char(10), char(10) || lower(?) || char(10))"
        )
        params.append(tag)
    tokenized = [word for word in query.words if not unspaced_script(word)]
    if tokenized:
        where.append("e.rowid IN (SELECT rowid FROM entry_words WHERE entry_words MATCH ?)")
        params.append(fts_expression(tokenized))
    for word in query.words:
        if unspaced_script(word):  # no spaces between words: match anywhere in the text
            where.append("(instr(lower(e.text), lower(?)) OR instr(lower(e.prompt), lower(?)))")
            params.extend([word, word])
    order = "ASC" if query.oldest_first else "DESC"
    # Only fixed SQL fragments are joined here; every value is a parameter.
    sql = (
        "SELECT e.id, e.created, e.day, e.tz, e.text, e.theme, e.prompt_id, e.prompt, e.mood,"  # noqa: S608
        " e.tags FROM entries e"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY e.day {order}, e.created_utc {order}, e.id {order}"
    )
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return db.execute(sql, params)


def rows_to_entries(rows: Iterable[tuple[object, ...]]) -> Iterator[Entry]:
    for entry_id, created, day, tz, text, theme, prompt_id, prompt, mood, tags in rows:
        yield Entry(
            id=str(entry_id),
            created=datetime.fromisoformat(str(created)),
            day=date.fromisoformat(str(day)),
            tz=str(tz),
            text=str(text or ""),
            theme=theme if isinstance(theme, str) else None,
            prompt_id=prompt_id if isinstance(prompt_id, str) else None,
            prompt=prompt if isinstance(prompt, str) else None,
            mood=mood if isinstance(mood, int) else None,
            tags=tuple(str(tags).split("\n")) if tags else (),
        )


def search_words(text: str) -> list[str]:
    """The words of a --search: whitespace-separated, quotes and punctuation kept inside."""
    return [word for word in text.split() if any(ch.isalnum() for ch in word)]


def unspaced_script(word: str) -> bool:
    """Chinese, Japanese, Thai and similar scripts do not put spaces between words, so the
    full-text tokenizer sees whole phrases; such words are matched as substrings."""
    return any(
        0x0E00 <= ord(ch) <= 0x0EFF  # Thai, Lao
        or 0x3040 <= ord(ch) <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= ord(ch) <= 0x9FFF  # CJK ideographs
        or 0xF900 <= ord(ch) <= 0xFAFF
        for ch in word
    )


def fts_expression(words: Sequence[str]) -> str:
    """Every word must match, as a prefix ("walk" finds "walking"), case-insensitive."""
    return " AND ".join('"' + word.replace('"', '""') + '"*' for word in words)


def parse_meta(content: str) -> Entry:
    """The readable metadata of an encrypted entry, as an Entry without text."""
    return entry_from_fields(load_toml(content, "its metadata"), "")


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA synchronous = NORMAL")  # a cache: speed over durability
    return connection


def open_index(path: Path, root: Path, *, sealed: bool, day_start: time) -> Index:
    """The index at path for the journal at root, created or rebuilt as needed, and
    brought up to date."""
    ensure_private_dir(path.parent)
    # Rebuilt when any of these change: they shape what the index holds.
    identity = {"root": str(root), "sealed": str(int(sealed)), "day_start": str(day_start)}
    try:
        index = Index(prepare(path, identity), root, sealed=sealed, day_start=day_start)
        index.refresh()
    except sqlite3.DatabaseError:
        remove_database(path)  # damaged: it is only a cache, so build it again
        index = Index(prepare(path, identity), root, sealed=sealed, day_start=day_start)
        index.refresh()
    return index


def memory_index(root: Path, *, day_start: time, sealed: bool = False) -> Index:
    """An index that lives only in memory: for searching an encrypted journal, and for
    carrying on when the cache folder cannot be written (a full disk)."""
    index = Index(connect(Path(":memory:")), root, sealed=sealed, day_start=day_start)
    index.db.executescript(SCHEMA)
    return index


def prepare(path: Path, identity: dict[str, str]) -> sqlite3.Connection:
    """Open the database, (re)building it when its schema or identity is not ours."""
    db = open_if_current(path, identity)
    if db is not None:
        return db
    with exclusive_lock(path.with_suffix(".lock")):
        db = open_if_current(path, identity)  # another process may have just built it
        if db is not None:
            return db
        remove_database(path)
        # Create it private before SQLite does, so the text index is never world-readable.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = connect(path)
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(SCHEMA)
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", identity.items())
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db


def open_if_current(path: Path, identity: dict[str, str]) -> sqlite3.Connection | None:
    """The open database when it exists with our schema for this journal, else None."""
    if not path.exists():
        return None
    db = connect(path)
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION and (
            dict(db.execute("SELECT key, value FROM meta").fetchall()) == identity
        ):
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
