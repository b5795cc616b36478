"""Where things live, and config.toml: read with tomllib, written with tomli-w."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Mapping
from datetime import time
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError, UsageError
from .model.layers import DAILY, RhythmChoice, parse_rhythm, rhythm_for_cadence

APP_NAME = "layers-journal"
HOME_ENV = "LAYERS_JOURNAL_HOME"
MAX_CONFIG_BYTES = 1024 * 1024


class Paths(NamedTuple):
    """The three folders the tool uses; the journal itself may be moved by config."""

    data: Path
    config: Path
    cache: Path
    # Editor drafts and recovered text: private, and outside the disposable cache.
    state: Path
    # "" for the journal at the usual place; "-<its key>" for another named journal, so
    # its drafts and recovered words live beside, never among, the first one's.
    own: str = ""

    @property
    def config_file(self) -> Path:
        return self.config / "config.toml"

    @property
    def user_prompts(self) -> Path:
        return self.config / "prompts.toml"

    @property
    def user_exercises(self) -> Path:
        """A person's own exercises, one TOML file each."""
        return self.config / "exercises"

    @property
    def prompt_cache(self) -> Path:
        return self.cache / "prompts.cache"

    @property
    def prompt_lock(self) -> Path:
        return self.cache / "prompts.lock"

    @property
    def drafts(self) -> Path:
        return self.state / f"drafts{self.own}"

    @property
    def recovery(self) -> Path:
        return self.state / f"recovery{self.own}"

    @property
    def intro_shown(self) -> Path:
        """Marks that the first-run words about the layers were said."""
        return self.state / "intro-shown"

    @staticmethod
    def journal_key(journal: Path) -> str:
        """Names one journal's index and lock in the cache folder (several journals,
        through journal_dir, can share one cache)."""
        return f"{zlib.crc32(os.fsencode(journal)):08x}"

    def index_file(self, journal: Path) -> Path:
        return self.cache / f"index-{self.journal_key(journal)}.sqlite3"

    def key_pin(self, journal: Path) -> Path:
        """The journal's public key as this machine last proved it (see crypto.Keys)."""
        return self.state / f"journal-{self.journal_key(journal)}.pub"

    def held_key(self, journal: Path) -> str:
        """The name `journal unlock` keeps the journal's key under in the kernel keyring:
        one per journal and per home, so two homes never share an unlocked key."""
        home = zlib.crc32(os.fsencode(self.state))
        return f"layers-journal:{self.journal_key(journal)}:{home:08x}"

    def status_file(self, journal: Path) -> Path:
        """The journal's one-line status for the shell prompt (status.py)."""
        return self.cache / f"status-{self.journal_key(journal)}.txt"

    def sync_state(self, journal: Path) -> Path:
        """When this device last synced the journal, and how the last try went."""
        return self.state / f"sync-{self.journal_key(journal)}.json"

    def sync_lock(self, journal: Path) -> Path:
        """Held by the one sync of this journal running at a time."""
        return self.state / f"sync-{self.journal_key(journal)}.lock"

    def rhythm_offer(self, journal: Path) -> Path:
        """The journal day this device last offered a rhythm after a save (the journal
        folder holds only writing, so each device keeps its own)."""
        return self.state / f"rhythm-offer-{self.journal_key(journal)}.txt"

    def todays_prompt(self, journal: Path) -> Path:
        """Today's layer and prompt as first shown on this device, so a sync that brings
        in another device's entries cannot change them mid-day."""
        return self.state / f"today-{self.journal_key(journal)}.txt"

    def lock_files(self, journal: Path) -> list[Path]:
        """Where the journal's write lock may live: the cache, else the state folder."""
        name = f"journal-{self.journal_key(journal)}.lock"
        return [self.cache / name, self.state / name]


def resolve_paths(environ: Mapping[str, str] | None = None) -> Paths:
    """Folders from LAYERS_JOURNAL_HOME when set, else the platform's user folders."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV)
    if home is not None and not home.strip():
        # Most likely a script's unset variable: the person's real journal is not meant.
        raise ConfigError(
            f"{HOME_ENV} is set but empty; give it a folder, or unset it to use the usual places."
        )
    if home and "\0" in home:
        raise ConfigError(f"{HOME_ENV} holds a NUL character, which no folder name can.")
    if home:
        root = Path(home).expanduser().absolute()
        return Paths(
            data=root / "data", config=root / "config", cache=root / "cache", state=root / "state"
        )
    import platformdirs

    return Paths(
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        state=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
    )


class Config(NamedTuple):
    journal_dir: Path | None = None
    day_start: time = time(4, 0)
    timezone: str | None = None
    rhythm: RhythmChoice = DAILY
    # Old cadence.* keys still in config.toml (read once, then told: config.migrate).
    legacy: Mapping[str, str] = {}
    lookback: bool = True
    inline_tags: bool = True
    sync_auto: str = "commit"
    sync_timeout: int = 30
    output: str = "auto"
    # [journals.NAME] tables: each journal's folder, None where one was forgotten
    # (journals.py reads them; a config without them has one journal, "default").
    journals: Mapping[str, Path | None] = {}
    default_journal: str | None = None

    def journal_root(self, paths: Paths) -> Path:
        """The journal folder: journal_dir when set, else the data folder."""
        return (self.journal_dir or paths.data).absolute()


def parse_day_start(value: str) -> time:
    try:
        hours, minutes = value.split(":")
        parsed = time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(f"day_start must look like 04:00, not {value!r}.") from None
    if parsed > time(6, 0):
        raise ConfigError("day_start must be between 00:00 and 06:00.")
    return parsed


def parse_rhythm_value(value: str) -> RhythmChoice:
    try:
        return parse_rhythm(value)
    except ValueError as error:
        raise ConfigError(str(error)) from None


# The second version's keys, replaced by `rhythm`: a config that still sets them is read
# once, rewritten without them, and told in one sentence what they now are.
LEGACY_KEYS = ("cadence.presence", "cadence.awareness", "cadence.connection", "cadence.compassion")


def parse_timezone(value: str) -> str:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise ConfigError(f"{value!r} is not a time zone name like Europe/Berlin.") from None
    return value


SWITCHES = {"on": True, "off": False}


def parse_switch(value: str) -> str:
    if value.strip().lower() not in SWITCHES:
        raise ConfigError(f"This setting is on or off, not {value!r}.")
    return value.strip().lower()


def parse_journal_dir(value: str) -> str:
    if not value.strip():
        raise ConfigError("journal_dir needs a folder path.")
    if "\0" in value:
        raise ConfigError("journal_dir holds a NUL character, which no folder name can.")
    return str(Path(value).expanduser().absolute())


JOURNAL_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def parse_journal_name(value: str) -> str:
    """A journal's name: letters, digits, - and _, at most 64, not starting with -."""
    if not value or len(value) > 64 or not set(value) <= JOURNAL_NAME_CHARS or value[0] == "-":
        shown = value if len(value) <= 64 else value[:60] + "…"
        raise ConfigError(
            f"{shown!r} cannot name a journal; a name is letters, digits, - and _, "
            "like work or private-2026."
        )
    return value


def parse_journals(path: Path, table: Any) -> dict[str, Path | None]:
    """The [journals.NAME] tables: dir = "FOLDER", or forgotten = true."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: journals must be tables like [journals.work].")
    found: dict[str, Path | None] = {}
    for name, body in table.items():
        try:
            parse_journal_name(name)
        except ConfigError as error:
            raise ConfigError(f"{path}: {error.message}") from None
        if isinstance(body, dict) and body.get("forgotten") is True and "dir" not in body:
            found[name] = None
            continue
        folder = body.get("dir") if isinstance(body, dict) else None
        if not isinstance(folder, str) or not folder.strip() or "\0" in folder:
            raise ConfigError(
                f'{path}: [journals.{name}] needs dir = "FOLDER", the folder it keeps.'
            )
        found[name] = Path(folder).expanduser().absolute()
    return found


OUTPUTS = ("auto", "plain")


def parse_output(value: str) -> str:
    if value.strip().lower() not in OUTPUTS:
        raise ConfigError(f"output must be auto or plain, not {value!r}.")
    return value.strip().lower()


SYNC_AUTO = ("off", "commit", "full")


def parse_sync_auto(value: str) -> str:
    if value.strip().lower() not in SYNC_AUTO:
        raise ConfigError(f"sync.auto must be off, commit or full, not {value!r}.")
    return value.strip().lower()


def parse_seconds(value: str) -> int:
    try:
        seconds = int(value.strip())
    except ValueError:
        raise ConfigError(f"A timeout is a whole number of seconds, not {value!r}.") from None
    if not 1 <= seconds <= 3600:
        raise ConfigError("A timeout must be between 1 and 3600 seconds.")
    return seconds


class Key(NamedTuple):
    name: str
    parse: Callable[[str], Any]
    default: str
    help: str


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key("journal_dir", parse_journal_dir, "", "folder holding entries, pauses and trash"),
        Key("day_start", parse_day_start, "04:00", "when a journal day begins (00:00–06:00)"),
        Key("timezone", parse_timezone, "", "zone for new entries (default: the system's)"),
        Key("lookback", parse_switch, "on", "journal lookback and today's mention of it"),
        Key("inline_tags", parse_switch, "on", "#words in the text become tags on save"),
        Key(
            "output",
            parse_output,
            "auto",
            "plain: linear text for screen readers, no boxes or marks; auto: drawn",
        ),
        Key(
            "rhythm",
            parse_rhythm_value,
            "daily",
            "daily, or 1/week to 6/week: pages a week your practice is counted by",
        ),
        Key(
            "sync.auto",
            parse_sync_auto,
            "commit",
            "once sync is set up: off, commit (each write to git) or full (and sync after)",
        ),
        Key("sync.timeout", parse_seconds, "30", "seconds a sync waits for the remote"),
        Key(
            "default_journal",
            parse_journal_name,
            "default",
            "the journal commands use without --journal (journal journals lists them)",
        ),
    )
}


def read_config_table(path: Path) -> dict[str, Any]:
    """The raw TOML table, {} when the file does not exist."""
    from .folder.storage import read_bounded

    try:
        data = read_bounded(path, MAX_CONFIG_BYTES, follow_links=True)
    except FileNotFoundError:
        return {}
    except OSError as error:
        why = error.strerror or error.__class__.__name__
        raise ConfigError(f"{path} cannot be read ({why}).") from None
    import tomllib  # only when there is a config file to read

    try:
        return tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error}).") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text.") from None
    except RecursionError:
        raise ConfigError(f"{path} is nested too deeply to be a config file.") from None
    except ValueError as error:
        raise ConfigError(f"{path} holds a value out of range ({error}).") from None


def flatten(table: Mapping[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Dotted names for nested tables; no config key is more than one level deep, so
    deeper nesting is a mistake said as such, not followed down."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, dict) and depth < 8:
            flat.update(flatten(value, f"{prefix}{name}.", depth + 1))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def load_config(path: Path) -> Config:
    """Read config.toml; an unknown key or a bad value is one ConfigError naming it."""
    values: dict[str, Any] = {}
    legacy: dict[str, str] = {}
    table = read_config_table(path)
    journals = parse_journals(path, table.pop("journals")) if "journals" in table else {}
    for name, raw in flatten(table).items():
        if name in LEGACY_KEYS:
            legacy[name] = str(raw)
            continue
        key = KEYS.get(name)
        if key is None:
            raise ConfigError(
                f"{path} has an unknown key {name!r} (journal config unset {name} removes it)."
            )
        if not isinstance(raw, str):
            raise ConfigError(f"{path}: {name} must be a string like {key.default or '...'!r}.")
        values[name] = key.parse(raw)
    journal_dir = values.get("journal_dir")
    return Config(
        journal_dir=Path(journal_dir) if journal_dir else None,
        day_start=values.get("day_start", time(4, 0)),
        timezone=values.get("timezone"),
        rhythm=values.get("rhythm", DAILY),
        legacy=legacy,
        lookback=SWITCHES[values.get("lookback", "on")],
        inline_tags=SWITCHES[values.get("inline_tags", "on")],
        sync_auto=values.get("sync.auto", "commit"),
        sync_timeout=values.get("sync.timeout", 30),
        output=values.get("output", "auto"),
        journals=journals,
        default_journal=values.get("default_journal"),
    )


def check_key(name: str) -> Key:
    key = KEYS.get(name)
    if key is None:
        known = ", ".join(KEYS)
        raise UsageError(f"Unknown config key {name!r}; known keys: {known}.")
    return key


def get_value(path: Path, name: str) -> str:
    """The value as written in config.toml, or the default."""
    key = check_key(name)
    value = flatten(read_config_table(path)).get(name)
    return str(value) if value is not None else key.default


def canonical(parsed: Any) -> str:
    """The string stored in config.toml for a parsed value (04:00, 1/7, a path)."""
    if isinstance(parsed, time):
        return parsed.strftime("%H:%M")
    return str(parsed)


def set_value(path: Path, name: str, value: str | None) -> None:
    """Validate and store one key (None removes it), rewriting config.toml atomically."""
    flat = flatten(read_config_table(path))
    if value is None:
        if name not in flat:
            check_key(name)  # a typo of a known key is worth saying; a stray key just goes
        flat.pop(name, None)
    else:
        key = check_key(name)
        try:
            flat[name] = canonical(key.parse(value))
        except ConfigError as error:  # a value typed on the command line: a usage error
            raise UsageError(error.message) from None
    table: dict[str, Any] = {}
    for dotted, item in flat.items():
        *parents, leaf = dotted.split(".")
        node = table
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = item
    write_config_table(path, table)


def write_config_table(path: Path, table: Mapping[str, Any]) -> None:
    """Rewrite config.toml atomically with the whole table."""
    import tomli_w

    from .folder.storage import write_atomic

    write_atomic(path, tomli_w.dumps(table).encode(), overwrite=True)


def migrate_cadences(path: Path, config: Config) -> tuple[Config, str]:
    """Rewrite config.toml without the old cadence.* keys, as the rhythm that says the
    same when there is one; the config as it now is, and the one sentence to tell."""
    said = config.legacy.get("cadence.presence")
    rhythm = rhythm_for_cadence(said) if said is not None else None
    layers_as_before = all(
        config.legacy.get(f"cadence.{layer}", "1/7") == "1/7"
        for layer in ("awareness", "connection", "compassion")
    )
    keep = (
        rhythm is not None and layers_as_before and "rhythm" not in flatten(read_config_table(path))
    )
    for name in config.legacy:
        set_value(path, name, None)
    if keep and rhythm is not None:
        set_value(path, "rhythm", str(rhythm))
        return (
            config._replace(rhythm=rhythm, legacy={}),
            f"config.toml's cadence settings are now rhythm = {str(rhythm)!r}, which counts "
            "the same way (journal rhythm shows it).",
        )
    return (
        config._replace(legacy={}),
        "config.toml's cadence settings were set aside: a rhythm is now daily or 1/week to "
        f"6/week (journal rhythm 2/week, say), and yours stays {config.rhythm} until you choose.",
    )
