"""The package's folders are its layers: each module imports only from its own layer or
the ones below, and no import ever closes a circle. Type-only imports count too.

The order, top to bottom, is written once, here: a new module or folder must find its
place in it before this test passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = "layers_journal"
SOURCE = Path(__file__).resolve().parent.parent / "src" / PACKAGE
# Top to bottom. A name is a folder (every module in it) or a top-level module; "" is
# the package itself (its __init__, which holds the version).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),
    ("cli",),  # Typer: the command table, the door, settling after each command
    ("doctor", "nudge"),
    ("sync", "status"),
    ("journal",),  # the facade and its services
    ("formats",),
    ("ui",),  # everything drawn and every sentence; knows values, never services
    ("prompts", "exercises", "config", "journals"),
    ("index",),
    ("folder",),
    ("model",),  # pure
    ("days", "errors"),
    ("",),
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Every module of the package (named without the package) and the modules it
    imports, wherever the import stands: at the top, in a function, under TYPE_CHECKING."""
    paths = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [(alias.name, []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if name else []
                    if not is_package:
                        base = base[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                    module = f"{PACKAGE}.{module}" if module else PACKAGE
                else:
                    module = node.module or ""
                targets = [(module, [alias.name for alias in node.names])]
            else:
                continue
            for module, names in targets:
                if module != PACKAGE and not module.startswith(PACKAGE + "."):
                    continue
                inside = module.removeprefix(PACKAGE).removeprefix(".")
                submodules = [f"{inside}.{n}".lstrip(".") for n in names]
                found = [sub for sub in submodules if sub in paths]
                imported.update(found or [inside])
        imported.discard(name)
        graph[name] = imported
    return graph


def layer_of(module: str, layers: Iterable[tuple[str, ...]] = LAYERS) -> int | None:
    top = module.split(".")[0]
    for number, names in enumerate(layers):
        if top in names:
            return number
    return None


def upward(graph: Mapping[str, set[str]], layers: tuple[tuple[str, ...], ...]) -> list[str]:
    """Each import from a lower layer into a higher one, as 'a -> b'."""
    return [
        f"{module} -> {target}"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if (layer_of(module, layers) or 0) > (layer_of(target, layers) or 0)
    ]


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The import circles: each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_imports_run_down_the_layers_without_a_circle() -> None:
    graph = import_graph(SOURCE)
    assert len(graph) > 40  # the walk found the package
    unplaced = sorted(module for module in graph if layer_of(module) is None)
    assert unplaced == [], "give these a place in LAYERS"
    assert upward(graph, LAYERS) == []
    assert circles(graph) == []


def test_the_layering_check_sees_a_circle_and_an_upward_import() -> None:
    layers = (("cli",), ("journal",), ("model",))
    graph = {
        "cli.base": {"journal.facade"},
        "journal.facade": {"journal.finder", "model.layers"},
        "journal.finder": {"journal.facade"},
        "model.layers": {"cli.base"},
    }
    assert upward(graph, layers) == ["model.layers -> cli.base"]
    assert circles(graph) == [["cli.base", "journal.facade", "journal.finder", "model.layers"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_walk_reads_relative_and_type_only_imports(tmp_path: Path) -> None:
    root = tmp_path / PACKAGE
    (root / "journal").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "journal" / "__init__.py").write_text("")
    (root / "errors.py").write_text("")
    (root / "journal" / "finder.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from .. import errors\n"
        "if TYPE_CHECKING:\n"
        "    from .facade import Journal\n"
    )
    (root / "journal" / "facade.py").write_text(
        "def later():\n    from layers_journal.journal import finder\n"
    )
    graph = import_graph(root)
    assert graph["journal.finder"] == {"errors", "journal.facade"}
    assert graph["journal.facade"] == {"journal.finder"}
    assert circles(graph) == [["journal.facade", "journal.finder"]]


# One owner per module and per class: past these, a file or a class holds several concerns.
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 250


def oversized(root: Path) -> list[str]:
    """Each module over MAX_MODULE_LINES lines (as wc -l counts them) and each class over
    MAX_CLASS_LINES (its first line to its last, as ast gives them), with its size."""
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = module_name(path, root) or "__init__"
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            found.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    found.append(f"{name}.{node.name}: a class of {size} lines")
    return found


def test_no_module_is_over_600_lines_and_no_class_over_250() -> None:
    assert oversized(SOURCE) == []


def test_the_size_check_sees_a_long_module_and_a_long_class(tmp_path: Path) -> None:
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "long.py").write_text("x = 1\n" * 601)
    (root / "fits.py").write_text("x = 1\n" * 600)
    body = "    x = 1\n"
    (root / "classes.py").write_text("class Big:\n" + body * 250 + "class Fits:\n" + body * 249)
    assert oversized(root) == ["classes.Big: a class of 251 lines", "long: 601 lines"]
