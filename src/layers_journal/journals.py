"""Several journals: which ones there are, and which one a run uses.

A journal is a folder with its own entries, practice, key and remote; the config,
prompts and exercises are shared. Without [journals.NAME] tables in config.toml there
is one, `default`, at the usual place (journal_dir, else the data folder), with every
path exactly as before. Each table adds one (`dir = "FOLDER"`); a table naming the usual
place gives that journal its name (a rename), and `[journals.default] forgotten = true`
is the default one removed.

For other parts (completion, the nudge): `journal_names()` lists the names,
`journal_folder(name)` resolves one to its folder, `open_paths(name)` gives a run's
Paths and Config for it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .config import (
    JOURNAL_NAME_CHARS,
    Config,
    Paths,
    load_config,
    parse_journal_name,
    read_config_table,
    resolve_paths,
    write_config_table,
)
from .errors import ConfigError, UsageError

DEFAULT = "default"
NAME_ENV = "LAYERS_JOURNAL_JOURNAL"


class Named(NamedTuple):
    """One journal of the person's: its name, its folder, and whether it is the one at
    the usual place (whose drafts and recovery keep their first paths)."""

    name: str
    root: Path
    usual: bool


def registry(paths: Paths, config: Config, *, check: bool = True) -> dict[str, Named]:
    """Every journal, by name, the usual one first; a folder two journals name is refused
    (unless check is False: forgetting one of them is the way out)."""
    usual = config.journal_root(paths)
    found: dict[str, Named] = {}
    claimed = any(folder == usual for folder in config.journals.values())
    if DEFAULT not in config.journals and not claimed:
        found[DEFAULT] = Named(DEFAULT, usual, usual=True)
    for name, folder in config.journals.items():
        if folder is not None:
            found[name] = Named(name, folder, usual=folder == usual)
    if check:
        check_shared(found.values())
    return dict(sorted(found.items(), key=lambda item: (not item[1].usual, item[0])))


def check_shared(journals: Any) -> None:
    seen: dict[Path, str] = {}
    for named in journals:
        for folder, other in seen.items():
            if folder == named.root or folder in named.root.parents or named.root in folder.parents:
                raise ConfigError(
                    f"The journals {other} and {named.name} both keep {named.root}; give "
                    "one of them a folder of its own in config.toml ([journals.NAME] dir)."
                )
        seen[named.root] = named.name


def default_name(config: Config, journals: Mapping[str, Named]) -> str:
    """The journal a run uses when none is named: default_journal, else `default`, else
    the first one there is."""
    if config.default_journal:
        return config.default_journal
    if DEFAULT in journals or not journals:
        return DEFAULT
    return next(iter(journals))


def chosen_name(option: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The name a person gave: --journal first, then LAYERS_JOURNAL_JOURNAL (None: neither)."""
    env = os.environ if environ is None else environ
    name = option if option is not None else (env.get(NAME_ENV) or None)
    if name is None:
        return None
    try:
        return parse_journal_name(name)
    except ConfigError as error:
        raise UsageError(error.message) from None


def pick(paths: Paths, config: Config, name: str | None, *, present: bool = True) -> Named:
    """The journal named (or the default one), known and (present) with its folder in
    place."""
    journals = registry(paths, config)
    wanted = name or default_name(config, journals)
    named = journals.get(wanted)
    if named is None:
        sentence = (
            f"default_journal names {wanted!r}, which is not one of your journals "
            f"({listed(journals)}); journal config set default_journal NAME picks another."
            if name is None
            else unknown(wanted, journals)
        )
        raise (ConfigError if name is None else UsageError)(sentence)
    if present and not named.usual and not named.root.is_dir():
        raise ConfigError(
            f"The journal {named.name} keeps its pages in {named.root}, which is not there "
            f"now; bring the folder back or create it, or journal journals remove "
            f"{named.name} forgets it."
        )
    return named


def own_paths(paths: Paths, config: Config, named: Named) -> tuple[Paths, Config]:
    """The Paths and Config a run of this journal uses: the usual one's unchanged."""
    if named.usual and config.journal_root(paths) == named.root:
        return paths, config
    own = "" if named.usual else f"-{Paths.journal_key(named.root)}"
    return paths._replace(own=own), config._replace(journal_dir=named.root)


def open_paths(name: str | None = None) -> tuple[Paths, Config, Named]:
    """The paths, config and journal a run of the named (or default) journal uses."""
    paths = resolve_paths()
    config = load_config(paths.config_file)
    named = pick(paths, config, name)
    own, config = own_paths(paths, config, named)
    return own, config, named


def journal_names() -> list[str]:
    """The names of the person's journals, the usual one first (for completion)."""
    paths = resolve_paths()
    return list(registry(paths, load_config(paths.config_file)))


def journal_folder(name: str) -> Path:
    """The folder of the journal called name; ConfigError/UsageError when unknown."""
    paths = resolve_paths()
    return pick(paths, load_config(paths.config_file), name).root


# --- changing the list: config.toml's [journals] tables -------------------------------


def suggested_folder(paths: Paths, config: Config, name: str) -> Path:
    """Where `journals add NAME` puts a journal given no folder: beside the usual one,
    named after it (~/Documents/journal-work beside ~/Documents/journal)."""
    usual = config.journal_root(paths)
    return usual.with_name(f"{usual.name}-{name}")


def add_journal(paths: Paths, name: str, folder: Path) -> Named:
    """Add a journal at folder (made when missing, 0700); nothing changes on refusal."""
    from .folder.storage import ensure_private_dir

    name = valid(name)
    config = load_config(paths.config_file)
    journals = registry(paths, config)
    if name in journals:
        raise UsageError(f"There is already a journal called {name}, in {journals[name].root}.")
    folder = folder.expanduser().absolute()
    named = Named(name, folder, usual=folder == config.journal_root(paths))
    try:
        check_shared([*journals.values(), named])
    except ConfigError as error:
        raise UsageError(error.message) from None
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, so it cannot hold a journal.")
    ensure_private_dir(folder)
    change(paths, lambda tables: tables.__setitem__(name, {"dir": str(folder)}))
    return named


def as_journal_name(text: str) -> str:
    """A valid journal name made from another tool's ("Work Notes" → work-notes)."""
    kept = "".join(c if c in JOURNAL_NAME_CHARS else "-" for c in text.strip().lower())
    name = "-".join(part for part in kept.split("-") if part)[:64].strip("-")
    return name or "imported"


def ensure_journals(paths: Paths, names: list[str]) -> list[Named]:
    """Add, beside the usual one, each named journal not there yet: all checked first,
    then made, in one config write; the ones made."""
    from .folder.storage import ensure_private_dir

    config = load_config(paths.config_file)
    journals = registry(paths, config)
    made = [
        Named(name, suggested_folder(paths, config, name), usual=False)
        for name in dict.fromkeys(valid(name) for name in names)
        if name not in journals
    ]
    try:
        check_shared([*journals.values(), *made])
    except ConfigError as error:
        raise UsageError(error.message) from None
    for named in made:
        if named.root.exists() and not named.root.is_dir():
            raise UsageError(f"{named.root} is a file, so it cannot hold a journal.")
    for named in made:
        ensure_private_dir(named.root)

    def edit(tables: dict[str, Any]) -> None:
        for named in made:
            tables[named.name] = {"dir": str(named.root)}

    if made:
        change(paths, edit)
    return made


def rename_journal(paths: Paths, old: str, new: str) -> Named:
    """Give a journal a new name; default_journal follows it."""
    old, new = valid(old), valid(new)
    config = load_config(paths.config_file)
    journals = registry(paths, config)
    if old not in journals:
        raise UsageError(unknown(old, journals))
    if new in journals:
        raise UsageError(f"There is already a journal called {new}; choose another name.")
    named = journals[old]

    def edit(tables: dict[str, Any]) -> None:
        forget(tables, old)
        tables[new] = {"dir": str(named.root)}

    change(paths, edit, default=new if default_name(config, journals) == old else None)
    return named._replace(name=new)


def remove_journal(paths: Paths, name: str) -> Named:
    """Forget a journal; its folder and files stay where they are."""
    name = valid(name)
    config = load_config(paths.config_file)
    journals = registry(paths, config, check=False)
    if name not in journals:
        raise UsageError(unknown(name, journals))
    if default_name(config, journals) == name:
        raise UsageError(
            f"{name} is the default journal; journal config set default_journal NAME makes "
            "another the default first."
        )
    change(paths, lambda tables: forget(tables, name))
    return journals[name]


def known_journal(paths: Paths, name: str) -> Named:
    """The journal called name, or a usage error naming the ones there are."""
    name = valid(name)
    journals = registry(paths, load_config(paths.config_file))
    if name not in journals:
        raise UsageError(unknown(name, journals))
    return journals[name]


def moved_to(paths: Paths, name: str, folder: Path) -> None:
    """After `journal move`: the journal's table names its new folder."""
    change(paths, lambda tables: tables.__setitem__(name, {"dir": str(folder)}))


def valid(name: str) -> str:
    try:
        return parse_journal_name(name)
    except ConfigError as error:
        raise UsageError(error.message) from None


def listed(journals: Mapping[str, Named]) -> str:
    names = list(journals)
    if len(names) < 2:
        return "".join(names) or "none yet"
    return ", ".join(names[:-1]) + " and " + names[-1]


def unknown(name: str, journals: Mapping[str, Named]) -> str:
    if len(journals) == 1:
        return (
            f"There is no journal called {name!r}; your one journal is {listed(journals)}, "
            f"and journal journals add {name} makes another."
        )
    return f"There is no journal called {name!r}; yours are {listed(journals)}."


def forget(tables: dict[str, Any], name: str) -> None:
    """Drop a journal's table; `default` leaves a mark, or the usual place would come
    back under that name."""
    if name == DEFAULT:
        tables[name] = {"forgotten": True}
    else:
        tables.pop(name, None)


def change(paths: Paths, edit: Any, *, default: str | None = None) -> None:
    """Rewrite config.toml's [journals] tables (and default_journal) in one write."""
    table = read_config_table(paths.config_file)
    tables = dict(table.get("journals") or {})
    edit(tables)
    table["journals"] = tables
    if default is not None:
        table["default_journal"] = default
    write_config_table(paths.config_file, table)
