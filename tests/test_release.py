"""The release: one version everywhere, and an sdist and wheel that hold what they should.

The dists are built here, offline, with `python -m build --no-isolation` (build and
hatchling are in the test extras). CI builds them once itself and names the folder in
LAYERS_JOURNAL_DIST_DIR, so these tests check the very files CI checked with twine.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pytest

from layers_journal import __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "layers_journal"
DIST_ENV = "LAYERS_JOURNAL_DIST_DIR"
PROMPT_FILES = ("awareness.toml", "connection.toml", "compassion.toml")
EXERCISE_FILES = tuple(sorted(path.name for path in (ROOT / "exercises").glob("*.toml")))
STEM = f"layers_journal-{__version__}"


class Dists(NamedTuple):
    wheel: Path
    sdist: Path


def build_dists(out: Path) -> Dists:
    missing = [name for name in ("build", "hatchling") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(
            f"building the dists needs {' and '.join(missing)} (pip install '.[test]'), "
            f"or name built ones in {DIST_ENV}"
        )
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip(f"no pyproject.toml at {ROOT} to build from; name built dists in {DIST_ENV}")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return find_dists(out)


def find_dists(folder: Path) -> Dists:
    wheels = sorted(folder.glob("layers_journal-*.whl"))
    sdists = sorted(folder.glob("layers_journal-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, (
        f"{folder} should hold one wheel and one sdist, not {wheels + sdists}"
    )
    return Dists(wheels[0], sdists[0])


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    named = os.environ.get(DIST_ENV)
    if named:
        return find_dists(Path(named))
    return build_dists(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def wheel_names(dists: Dists) -> set[str]:
    with zipfile.ZipFile(dists.wheel) as wheel:
        return set(wheel.namelist())


def read_from_wheel(dists: Dists, name: str) -> str:
    with zipfile.ZipFile(dists.wheel) as wheel:
        return wheel.read(name).decode()


def sdist_members(dists: Dists) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(dists.sdist) as sdist:
        return {member.name: member for member in sdist.getmembers()}


def read_from_sdist(dists: Dists, name: str) -> str:
    with tarfile.open(dists.sdist) as sdist:
        extracted = sdist.extractfile(name)
        assert extracted is not None, name
        return extracted.read().decode()


# One version --------------------------------------------------------------------------


def test_installed_metadata_has_the_packages_version() -> None:
    assert importlib.metadata.version("layers-journal") == __version__


def test_version_flag_prints_the_same_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "layers_journal", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"layers-journal {__version__}"


def test_the_version_is_written_in_one_place() -> None:
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip(f"no pyproject.toml at {ROOT}")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.MULTILINE)
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)


def test_the_changelog_has_this_version_and_an_unreleased_section(dists: Dists) -> None:
    changelog = read_from_sdist(dists, f"{STEM}/CHANGELOG.md")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert __version__ in headings


# The wheel ----------------------------------------------------------------------------


def test_the_dists_carry_the_packages_version(dists: Dists) -> None:
    assert dists.wheel.name == f"{STEM}-py3-none-any.whl"
    assert dists.sdist.name == f"{STEM}.tar.gz"
    wheel_meta = Parser().parsestr(read_from_wheel(dists, f"{STEM}.dist-info/METADATA"))
    sdist_meta = Parser().parsestr(read_from_sdist(dists, f"{STEM}/PKG-INFO"))
    for meta in (wheel_meta, sdist_meta):
        assert meta["Name"] == "layers-journal"
        assert meta["Version"] == __version__
        assert meta["License-Expression"] == "MIT"
        assert meta["Requires-Python"] == ">=3.11"


def test_the_wheel_holds_every_module_and_the_prompt_library(
    dists: Dists, wheel_names: set[str]
) -> None:
    modules = {
        f"layers_journal/{path.relative_to(PACKAGE).as_posix()}"
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert {"layers_journal/__init__.py", "layers_journal/__main__.py"} <= modules
    assert modules <= wheel_names, sorted(modules - wheel_names)
    for name in PROMPT_FILES:
        text = read_from_wheel(dists, f"layers_journal/prompts/{name}")
        assert text.count("[[prompt]]") >= 36, name
    assert len(EXERCISE_FILES) >= 9
    for name in EXERCISE_FILES:
        text = read_from_wheel(dists, f"layers_journal/exercises/{name}")
        assert text.count("[[step]]") >= 3, name


def test_the_wheel_holds_the_license_and_the_command(dists: Dists, wheel_names: set[str]) -> None:
    info = f"{STEM}.dist-info"
    licenses = [name for name in wheel_names if name.startswith(f"{info}/") and "LICENSE" in name]
    assert licenses == [f"{info}/licenses/LICENSE"]
    text = read_from_wheel(dists, licenses[0])
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 layers-journal developers" in text
    entry_points = read_from_wheel(dists, f"{info}/entry_points.txt")
    assert "journal = layers_journal.__main__:main" in entry_points


def test_the_wheel_holds_nothing_else(dists: Dists, wheel_names: set[str]) -> None:
    info = f"{STEM}.dist-info"
    for name in wheel_names:
        path = PurePosixPath(name)
        assert path.parts[0] in {"layers_journal", info}, name
        assert not {"tests", "bench", "__pycache__"} & set(path.parts), name
        assert not path.name.startswith(("test_", "conftest")), name
        assert path.suffix not in {".pyc", ".pyo"}, name


# The sdist ----------------------------------------------------------------------------


def test_the_sdist_holds_license_changelog_and_what_builds_and_tests_it(dists: Dists) -> None:
    members = sdist_members(dists)
    for name in (
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "pyproject.toml",
        "PKG-INFO",
        "src/layers_journal/__init__.py",
        "tests/conftest.py",
        "docs/LAYERS-MODEL.md",
        *(f"prompts/{prompt}" for prompt in PROMPT_FILES),
        *(f"exercises/{exercise}" for exercise in EXERCISE_FILES),
    ):
        assert f"{STEM}/{name}" in members, name
    assert read_from_sdist(dists, f"{STEM}/LICENSE") == (ROOT / "LICENSE").read_text()
    stray = [
        name
        for name in members
        if {".venv", "__pycache__", "dist", ".git", "work"} & set(PurePosixPath(name).parts)
    ]
    assert stray == []
