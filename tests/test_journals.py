"""Several journals: named in config.toml, chosen with --journal/-J or
LAYERS_JOURNAL_JOURNAL, each with its own folder, key, remote, drafts and recovery."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.cli import editor_script, run_cli
from layers_journal.config import load_config, resolve_paths
from layers_journal.journals import journal_folder, journal_names, registry


def config_text(home: Path) -> str:
    path = home / "config" / "config.toml"
    return path.read_text() if path.exists() else ""


def listed(home: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli(home, *args, "journals", "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)["journals"]
    return rows


def write(home: Path, text: str, *args: str, **env: str) -> None:
    result = run_cli(home, *args, "today", stdin=text, **env)
    assert result.returncode == 0, result.stderr


def bodies(home: Path, *args: str, **env: str) -> list[str]:
    result = run_cli(home, *args, "history", "--json", **env)
    assert result.returncode == 0, result.stderr
    return [entry["text"].strip() for entry in json.loads(result.stdout)["entries"]]


# --- one journal: exactly as before --------------------------------------------------


def test_one_journal_is_default_at_the_usual_place(journal_home: Path) -> None:
    paths = resolve_paths()
    found = registry(paths, load_config(paths.config_file))
    assert list(found) == ["default"]
    assert found["default"].root == journal_home / "data" and found["default"].usual
    assert journal_names() == ["default"] and journal_folder("default") == journal_home / "data"
    rows = listed(journal_home)
    assert [(r["name"], r["default"], r["entries"]) for r in rows] == [("default", True, 0)]
    assert rows[0]["present"] is True  # made by its first page, not missing
    assert "0 entries" in run_cli(journal_home, "journals").stdout
    assert config_text(journal_home) == ""  # listing wrote nothing


def test_one_journal_keeps_every_path(journal_home: Path) -> None:
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert "journals" not in places
    assert places["drafts"] == str(journal_home / "state" / "drafts")
    assert places["recovery"] == str(journal_home / "state" / "recovery")
    assert places["journal"] == str(journal_home / "data")


def test_journal_option_in_help_without_a_clashing_short_option(invoke) -> None:  # type: ignore[no-untyped-def]
    text = invoke("--help").output
    assert "-J, --journal NAME" in text
    assert text.count("-J") == 1


# --- add, list, choose -----------------------------------------------------------------


def test_add_puts_a_journal_beside_the_first_and_writes_stay_apart(journal_home: Path) -> None:
    added = run_cli(journal_home, "journals", "add", "work")
    assert added.returncode == 0, added.stderr
    work = journal_home / "data-work"
    assert work.is_dir() and (work.stat().st_mode & 0o777) == 0o700
    write(journal_home, "words for work\n", "-J", "work")
    write(journal_home, "words for me\n")
    assert bodies(journal_home, "--journal", "work") == ["words for work"]
    assert bodies(journal_home) == ["words for me"]
    assert bodies(journal_home, LAYERS_JOURNAL_JOURNAL="work") == ["words for work"]
    # the option beats the environment
    assert bodies(journal_home, "-J", "default", LAYERS_JOURNAL_JOURNAL="work") == ["words for me"]
    rows = {row["name"]: row for row in listed(journal_home)}
    assert rows["work"]["entries"] == 1 and rows["default"]["entries"] == 1
    assert rows["work"]["folder"] == str(work) and not rows["work"]["default"]


def test_default_journal_setting_and_where(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    assert run_cli(journal_home, "config", "set", "default_journal", "work").returncode == 0
    write(journal_home, "to work by default\n")
    assert bodies(journal_home, "-J", "work") == ["to work by default"]
    assert bodies(journal_home, "-J", "default") == []
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["journal"] == str(journal_home / "data-work")
    assert places["drafts"] != str(journal_home / "state" / "drafts")
    assert places["journals"]["default"]["drafts"] == str(journal_home / "state" / "drafts")
    text = run_cli(journal_home, "where").stdout
    assert f"default.journal\t{journal_home / 'data'}" in text
    refused = run_cli(journal_home, "config", "set", "default_journal", "nope")
    assert refused.returncode != 0 and "nope" in refused.stderr


def test_rename_and_remove_never_touch_files(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    write(journal_home, "kept\n", "-J", "work")
    renamed = run_cli(journal_home, "journals", "rename", "work", "office")
    assert renamed.returncode == 0, renamed.stderr
    assert bodies(journal_home, "-J", "office") == ["kept"]
    refused = run_cli(journal_home, "journals", "remove", "default")
    assert refused.returncode != 0 and "default_journal" in refused.stderr
    removed = run_cli(journal_home, "journals", "remove", "office")
    assert removed.returncode == 0 and str(journal_home / "data-work") in removed.stderr
    assert [row["name"] for row in listed(journal_home)] == ["default"]
    assert list((journal_home / "data-work" / "entries").rglob("*.md"))


def test_renaming_the_first_journal_keeps_its_paths(journal_home: Path) -> None:
    write(journal_home, "mine\n")
    assert run_cli(journal_home, "journals", "rename", "default", "private").returncode == 0
    assert [row["name"] for row in listed(journal_home)] == ["private"]
    assert bodies(journal_home) == ["mine"] and bodies(journal_home, "-J", "private") == ["mine"]
    places = json.loads(run_cli(journal_home, "where", "--json").stdout)
    assert places["drafts"] == str(journal_home / "state" / "drafts")


def test_removing_the_first_journal_once_another_is_default(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    assert run_cli(journal_home, "config", "set", "default_journal", "work").returncode == 0
    assert run_cli(journal_home, "journals", "remove", "default").returncode == 0
    assert [row["name"] for row in listed(journal_home)] == ["work"]


# --- refusals: one sentence, nothing changed -----------------------------------------


@pytest.mark.parametrize("name", ["", "a/b", "..", "x.y", "two words", "x" * 65, "é"])
def test_a_bad_name_is_refused(journal_home: Path, name: str) -> None:
    for args in (("journals", "add", name), ("-J", name, "history")):
        result = run_cli(journal_home, *args)
        assert result.returncode != 0
        assert "cannot name a journal" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert config_text(journal_home) == ""


def test_an_unknown_name_says_which_there_are(journal_home: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work").returncode == 0
    before = config_text(journal_home)
    result = run_cli(journal_home, "--journal", "nope", "today", stdin="text\n")
    assert result.returncode != 0
    assert "nope" in result.stderr and "default and work" in result.stderr
    assert not (journal_home / "data").exists() and config_text(journal_home) == before
    env = run_cli(journal_home, "history", LAYERS_JOURNAL_JOURNAL="nope")
    assert env.returncode != 0 and "default and work" in env.stderr


def test_a_folder_shared_by_two_journals_is_refused(journal_home: Path, tmp_path: Path) -> None:
    assert run_cli(journal_home, "journals", "add", "work", str(tmp_path / "w")).returncode == 0
    before = config_text(journal_home)
    for folder in (tmp_path / "w", journal_home / "data", tmp_path / "w" / "inner"):
        result = run_cli(journal_home, "journals", "add", "other", str(folder))
        assert result.returncode != 0 and "both keep" in result.stderr
    assert config_text(journal_home) == before
    (journal_home / "config" / "config.toml").write_text(
        before + f'\n[journals.twin]\ndir = "{tmp_path / "w"}"\n'
    )
    loaded = run_cli(journal_home, "history")
    assert loaded.returncode != 0 and "both keep" in loaded.stderr
    # Forgetting one of the two is the way out.
    assert run_cli(journal_home, "journals", "remove", "twin").returncode == 0
    assert run_cli(journal_home, "history").returncode == 0


def test_moving_a_named_journal_points_its_table_there(journal_home: Path, tmp_path: Path) -> None:
    ok(journal_home, "journals", "add", "work")
    ok(journal_home, "-J", "work", "today", stdin="work words\n")
    moved = run_cli(journal_home, "-J", "work", "move", str(tmp_path / "elsewhere"))
    assert moved.returncode == 0, moved.stderr
    assert "[journals.work] names it" in moved.stderr
    assert f'dir = "{tmp_path / "elsewhere"}"' in config_text(journal_home)
    assert "journal_dir" not in config_text(journal_home)
    assert bodies(journal_home, "-J", "work") == ["work words"]
    assert not (journal_home / "data").exists()


def test_a_journal_whose_folder_is_gone(journal_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    assert run_cli(journal_home, "journals", "add", "old", str(folder)).returncode == 0
    folder.rmdir()
    result = run_cli(journal_home, "-J", "old", "today", stdin="words\n")
    assert result.returncode != 0
    assert str(folder) in result.stderr and "journal journals remove old" in result.stderr
    assert not folder.exists()
    rows = {row["name"]: row for row in listed(journal_home)}
    assert rows["old"]["present"] is False
    assert run_cli(journal_home, "journals", "remove", "old").returncode == 0


# --- two journals, one encrypted and one synced: nothing crosses ------------------------

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed; sync runs it")
# Two passphrases: the tests' quick keys are cached by passphrase, so each journal gets a
# key pair of its own.
PRIVATE = "a passphrase for the private journal"
WORK = "another passphrase, for work alone"


@pytest.fixture
def plain_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


def git(where: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def bare_remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(path))
    return path


def ok(home: Path, *args: str, stdin: str | None = None, **env: str) -> str:
    result = run_cli(home, *args, stdin=stdin, **env)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def two_journals(home: Path, remote: Path) -> None:
    """default: encrypted with PRIVATE; work: plain, synced to remote."""
    ok(home, "journals", "add", "work")
    ok(home, "today", "--tag", "home", stdin="apple under the quilt\n")
    ok(home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PRIVATE)
    ok(home, "-J", "work", "today", "--tag", "office", stdin="banana at the desk\n")
    ok(home, "-J", "work", "sync", "init", str(remote))


@needs_git
def test_writes_history_search_layers_and_tags_never_cross(
    journal_home: Path, tmp_path: Path, plain_git: None
) -> None:
    two_journals(journal_home, bare_remote(tmp_path))
    mine = {"LAYERS_JOURNAL_PASSPHRASE": PRIVATE}
    assert bodies(journal_home, **mine) == ["apple under the quilt"]
    assert bodies(journal_home, "-J", "work") == ["banana at the desk"]
    for word, args, env in (
        ("banana", (), mine),
        ("apple", ("-J", "work"), {}),
    ):
        found = ok(journal_home, *args, "history", "--search", word, "--json", **env)
        assert json.loads(found)["entries"] == []
    tags = json.loads(ok(journal_home, "-J", "work", "tags", "--json"))["tags"]
    assert [t["tag"] for t in tags] == ["office"]
    ok(journal_home, "-J", "work", "today", stdin="a second page at work\n")
    work_layers = json.loads(ok(journal_home, "-J", "work", "layers", "--json"))
    mine_layers = json.loads(ok(journal_home, "layers", "--json", **mine))
    assert work_layers["presence"]["entries"] == 2
    assert mine_layers["presence"]["entries"] == 1
    rows = {row["name"]: row for row in listed(journal_home)}
    assert (rows["default"]["encrypted"], rows["default"]["synced"]) == (True, False)
    assert (rows["work"]["encrypted"], rows["work"]["synced"]) == (False, True)
    assert (rows["default"]["entries"], rows["work"]["entries"]) == (1, 2)
    # Each journal's own files in the cache and state folders
    places = json.loads(ok(journal_home, "where", "--json"))["journals"]
    for key in ("status", "drafts", "recovery", "journal"):
        assert places["default"][key] != places["work"][key]


@needs_git
def test_export_import_and_sync_stay_in_their_journal(
    journal_home: Path, tmp_path: Path, plain_git: None
) -> None:
    remote = bare_remote(tmp_path)
    two_journals(journal_home, remote)
    mine = {"LAYERS_JOURNAL_PASSPHRASE": PRIVATE}
    exported = json.loads(ok(journal_home, "-J", "work", "export"))
    assert [e["text"].strip() for e in exported["entries"]] == ["banana at the desk"]
    private = json.loads(ok(journal_home, "export", **mine))
    assert [e["text"].strip() for e in private["entries"]] == ["apple under the quilt"]
    document = tmp_path / "work.json"
    document.write_text(json.dumps(exported))
    # Brought into a third journal, it lands there and nowhere else.
    ok(journal_home, "journals", "add", "copy")
    ok(journal_home, "-J", "copy", "import", str(document))
    assert bodies(journal_home, "-J", "copy") == ["banana at the desk"]
    assert bodies(journal_home, **mine) == ["apple under the quilt"]
    assert bodies(journal_home, "-J", "work") == ["banana at the desk"]
    # The remote holds the work journal only: no private page, no private key.
    ok(journal_home, "-J", "work", "sync")
    tree = git(remote, "ls-tree", "-r", "--name-only", "main")
    assert "entries/" in tree and "journal-key" not in tree
    every = git(remote, "log", "-p", "--all")
    assert "banana" in every and "apple" not in every
    assert not (journal_home / "data" / ".git").exists()
    assert not (journal_home / "data-copy" / ".git").exists()
    # A sync of a journal without a remote says so, and leaves work's remote alone.
    plain = run_cli(journal_home, "sync", **mine)
    assert plain.returncode != 0


@needs_git
def test_conflicts_are_kept_and_listed_in_their_own_journal(
    tmp_path: Path, plain_git: None
) -> None:
    remote = bare_remote(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    for home in (a, b):
        ok(home, "journals", "add", "work")
        ok(home, "today", stdin=f"private page on {home.name}\n")
    ok(a, "-J", "work", "today", stdin="The first version.\n")
    ok(a, "-J", "work", "sync", "init", str(remote))
    ok(b, "-J", "work", "sync", "init", str(remote))
    (entry,) = json.loads(ok(b, "-J", "work", "history", "--json"))["entries"]
    for home, text in ((a, "changed on A"), (b, "changed on B")):
        script = editor_script(
            tmp_path, f"path.write_text({text + chr(10)!r})\n", f"{home.name}.py"
        )
        ok(home, "-J", "work", "edit", entry["id"], VISUAL=script)
    ok(a, "-J", "work", "sync")
    ok(b, "-J", "work", "sync")
    pairs = json.loads(ok(b, "-J", "work", "conflicts", "--json"))["conflicts"]
    assert [pair["id"] for pair in pairs] == [entry["id"]]
    assert json.loads(ok(b, "conflicts", "--json"))["conflicts"] == []
    assert bodies(b) == ["private page on b"]
    assert not list((b / "data").rglob("*conflict*"))


def test_each_journal_has_its_own_key_and_passphrase(journal_home: Path) -> None:
    ok(journal_home, "journals", "add", "work")
    ok(journal_home, "today", stdin="only mine\n")
    ok(journal_home, "-J", "work", "today", stdin="only work\n")
    ok(journal_home, "encrypt", LAYERS_JOURNAL_PASSPHRASE=PRIVATE)
    ok(journal_home, "-J", "work", "encrypt", LAYERS_JOURNAL_PASSPHRASE=WORK)
    first = (journal_home / "data" / "journal-key.age").read_bytes()
    second = (journal_home / "data-work" / "journal-key.age").read_bytes()
    assert first != second
    assert (journal_home / "data" / "journal-key.pub").read_text() != (
        journal_home / "data-work" / "journal-key.pub"
    ).read_text()
    assert bodies(journal_home, LAYERS_JOURNAL_PASSPHRASE=PRIVATE) == ["only mine"]
    assert bodies(journal_home, "-J", "work", LAYERS_JOURNAL_PASSPHRASE=WORK) == ["only work"]
    # work's passphrase never opens the private journal, nor the other way round
    for args, wrong in (((), WORK), (("-J", "work"), PRIVATE)):
        result = run_cli(journal_home, *args, "history", "--json", LAYERS_JOURNAL_PASSPHRASE=wrong)
        assert result.returncode != 0 and "passphrase" in result.stderr.lower()
        assert "only" not in result.stdout
    # Writing needs no passphrase in either, and lands in the right one.
    ok(journal_home, "-J", "work", "today", stdin="more work\n")
    assert sorted(bodies(journal_home, "-J", "work", LAYERS_JOURNAL_PASSPHRASE=WORK)) == [
        "more work",
        "only work",
    ]
    assert bodies(journal_home, LAYERS_JOURNAL_PASSPHRASE=PRIVATE) == ["only mine"]


# --- Day One: an export of two journals, both ways ----------------------------------------

DAYONE = Path(__file__).parent / "fixtures" / "dayone"


def two_journal_export(tmp_path: Path) -> Path:
    """Day One's archive with two journals, Journal (12 entries) and Travel (1)."""
    import zipfile

    target = tmp_path / "Export.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for name in ("Journal.json", "Travel.json"):
            archive.writestr(name, (DAYONE / name).read_bytes())
    return target


def tags_of(home: Path, *args: str) -> list[list[str]]:
    result = run_cli(home, *args, "export")
    assert result.returncode == 0, result.stderr
    return [entry["tags"] for entry in json.loads(result.stdout)["entries"]]


def test_a_day_one_export_of_two_journals_goes_into_one_by_default(
    journal_home: Path, tmp_path: Path
) -> None:
    result = run_cli(journal_home, "import", str(two_journal_export(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "Imported 13 entries from Day One." in result.stderr
    tags = tags_of(journal_home)
    assert len(tags) == 13
    assert sum("Journal" in t for t in tags) == 12 and sum("travel" in t for t in tags) == 1
    assert [row["name"] for row in listed(journal_home)] == ["default"]
    assert config_text(journal_home) == ""


def test_a_day_one_export_of_two_journals_into_journals_of_their_names(
    journal_home: Path, tmp_path: Path
) -> None:
    export = two_journal_export(tmp_path)
    result = run_cli(journal_home, "import", str(export), "--into-journals")
    assert result.returncode == 0, result.stderr
    assert "Imported 12 entries from Day One into the journal journal." in result.stderr
    assert "Imported 1 entry from Day One into the journal travel." in result.stderr
    assert "Added the journal travel" in result.stderr
    rows = {row["name"]: row for row in listed(journal_home)}
    assert set(rows) == {"default", "journal", "travel"}
    assert rows["travel"]["folder"] == str(journal_home / "data-travel")
    assert (rows["default"]["entries"], rows["journal"]["entries"]) == (0, 12)
    assert rows["travel"]["entries"] == 1
    # No journal's name as a tag, the journal says it (travel was the entry's own tag).
    assert tags_of(journal_home, "-J", "travel") == [["travel"]]
    assert not any("Journal" in t for t in tags_of(journal_home, "-J", "journal"))
    # Again: nothing new anywhere, no journal made twice.
    again = run_cli(journal_home, "import", str(export), "--into-journals")
    assert again.returncode == 0 and "Nothing new" in again.stderr
    assert "Added" not in again.stderr
    assert len(listed(journal_home)) == 3


def test_into_journals_uses_a_journal_already_there(journal_home: Path, tmp_path: Path) -> None:
    ok(journal_home, "journals", "add", "travel", str(tmp_path / "trips"))
    result = run_cli(journal_home, "import", str(two_journal_export(tmp_path)), "--into-journals")
    assert result.returncode == 0, result.stderr
    assert "Added the journal travel" not in result.stderr
    assert bodies(journal_home, "-J", "travel")[0].startswith("Lisbon")


def test_into_journals_is_for_day_one_only(journal_home: Path, tmp_path: Path) -> None:
    document = tmp_path / "plain.json"
    document.write_text('{"version": 1, "entries": []}')
    result = run_cli(journal_home, "import", str(document), "--into-journals")
    assert result.returncode == 2 and "Day One" in result.stderr
    assert config_text(journal_home) == ""


@pytest.mark.parametrize(
    ("given", "made"),
    [("Work Notes", "work-notes"), ("../etc", "etc"), ("Ünïcode", "n-code"), ("", "imported")],
)
def test_day_one_names_are_made_valid(given: str, made: str) -> None:
    from layers_journal.journals import as_journal_name

    assert as_journal_name(given) == made
