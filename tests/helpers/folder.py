"""The journal folder in the tests: its files and their bytes, what was kept in recovery,
an entry planted by hand, an import that must land whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path


def data(home: Path) -> Path:
    return home / "data"


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file of the journal folder and its bytes (links as their target)."""
    found = {}
    for path in sorted(data(home).rglob("*")) if data(home).exists() else []:
        if path.is_symlink():
            found[str(path)] = b"link:" + os.readlink(path).encode()
        elif path.is_file():
            found[str(path)] = path.read_bytes()
    return found


def kept_in_recovery(home: Path) -> list[Path]:
    folder = home / "state" / "recovery"
    return sorted(folder.glob("*.md*")) if folder.exists() else []


def plant_entry(
    home: Path,
    *,
    created: str = "2026-03-02T09:00:00+01:00",
    day: str = "2026-03-02",
    tz: str = "Europe/Berlin",
    entry_id: str = "2026-03-02-090000-plant1",
    body: str = "A planted page.",
    extra: str = "",
) -> Path:
    """An entry file written by hand (or by a careless sync client), as it is."""
    folder = data(home) / "entries" / entry_id[:4] / entry_id[5:7]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry_id}.md"
    path.write_text(
        f'+++\nid = "{entry_id}"\ncreated = {created}\nday = {day}\ntz = "{tz}"\n{extra}+++\n\n'
        f"{body}\n"
    )
    return path


def import_document(*entries: dict[str, object], pauses: tuple[dict[str, object], ...] = ()) -> str:
    return json.dumps(
        {"format": "layers-journal", "version": 1, "entries": list(entries), "pauses": list(pauses)}
    )


def entry_item(n: int, **changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": f"2026-03-0{n}-090000-impt0{n}",
        "created": f"2026-03-0{n}T09:00:00+01:00",
        "day": f"2026-03-0{n}",
        "tz": "Europe/Berlin",
        "text": f"page {n}",
    }
    item.update(changes)
    return item


def limited_memory(size: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply
