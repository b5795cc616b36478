"""Generate a realistic journal: one entry a day for N years, ~150 words each.

Writes the same entries twice: as a layers-journal JSON export (for `journal import`)
and as a jrnl plain-text journal (for `jrnl`), so both tools hold the same text.

    python bench/generate.py --years 10 --out bench/work/10y
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

WORDS = (
    "morning kettle breath shoulders walk window rain light quiet tired slow steady "
    "friend neighbour call message letter kitchen garden river bus train stairs desk "
    "meeting lunch evening dinner pillow sleep dream noticed felt wanted needed asked "
    "listened laughed waited rested softened tightened eased warm cold heavy light "
    "chest belly jaw hands feet back throat heart patience worry calm anger grief joy "
    "gratitude doubt courage kindness gentle honest careful small enough today again"
).split()
SEARCH_WORD = "lighthouse"  # in about one entry in a hundred, as a searched-for word is
TAGS = ("work", "home", "family", "walk", "sleep", "friends")
LAYERS = ("awareness", "connection", "compassion")


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 14))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", " —"))


def entry_text(rng: random.Random, words: int = 150) -> str:
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    if rng.random() < 0.01:
        paragraphs[-1] += f" The {SEARCH_WORD} on the postcard again."
    return "\n\n".join(paragraphs)


def generate(years: int, out: Path, seed: int = 2026) -> int:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    end = date(2026, 11, 23)
    start = end - timedelta(days=365 * years - 1)
    entries, jrnl_lines = [], []
    day = start
    number = 0
    while day <= end:
        number += 1
        created = datetime(
            day.year, day.month, day.day, rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)
        )
        text = entry_text(rng)
        tags = sorted(rng.sample(TAGS, rng.randint(0, 2)))
        layer = LAYERS[number % 3]
        suffix = f"{number:06d}"[-6:]
        entries.append(
            {
                "id": f"{created:%Y-%m-%d-%H%M%S}-b{suffix[1:]}",
                "created": created.isoformat() + "+00:00",
                "day": day.isoformat(),
                "tz": "UTC",
                "theme": layer,
                "prompt_id": f"{layer}-{rng.randint(1, 12):03d}",
                "prompt": "What did today ask of you?",
                "mood": rng.randint(1, 5),
                "tags": tags,
                "text": text,
            }
        )
        title, _, body = text.partition(". ")
        tag_words = " ".join(f"@{tag}" for tag in tags)
        jrnl_lines.append(
            f"[{created:%Y-%m-%d %I:%M:%S %p}] {title}.\n{body} {tag_words}".rstrip() + "\n"
        )
        day += timedelta(days=1)
    document = {"format": "layers-journal", "version": 1, "entries": entries, "pauses": []}
    (out / "journal.json").write_text(json.dumps(document), encoding="utf-8")
    (out / "jrnl.txt").write_text("\n".join(jrnl_lines), encoding="utf-8")
    return len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    count = generate(args.years, args.out)
    print(f"{count} entries in {args.out}")


if __name__ == "__main__":
    main()
