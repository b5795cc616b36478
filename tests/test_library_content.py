"""The shipped library's words: enough prompts for a year at any hour, none a near copy
of another, none longer than about 35 words, and nothing taken from the article the
product grew from (prompts and exercises alike)."""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from layers_journal.exercises import load_exercises
from layers_journal.model.layers import LAYERS
from layers_journal.prompts import load_library

STOP_WORDS = set(
    """a an the and or but if then of to in on at for with by from as is are was were be
    been being it its this that these those you your yours yourself i me my we our they
    them their he she his her what which who whom how when where why do does did done can
    could would will may might just so than too very one some any all there here into
    about over up out not no more most own same such only also each even like let now""".split()
)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def content_words(text: str) -> set[str]:
    return {word for word in words(text) if word not in STOP_WORDS}


def runs(text: str, length: int) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[n : n + length]) for n in range(len(found) - length + 1)}


def jaccard(one: set[str], other: set[str]) -> float:
    return len(one & other) / len(one | other) if one | other else 0.0


def test_a_year_of_prompts_at_any_hour_in_every_layer() -> None:
    library = [p for p in load_library() if not p.own]
    for layer in LAYERS:
        daily = [p for p in library if p.theme == layer and p.depth != "review"]
        fit = Counter(p.when for p in daily)
        assert fit["any"] + fit["morning"] >= 122, (layer, fit)
        assert fit["any"] + fit["evening"] >= 122, (layer, fit)
        depths = Counter(p.depth for p in daily)
        assert all(depths[d] >= 30 for d in (1, 2, 3)), (layer, depths)
        assert [p for p in library if p.theme == layer and p.depth == "review"], layer
    for prompt in library:
        assert len(prompt.text.split()) <= 35, prompt.id
        assert "!" not in prompt.text and "should" not in words(prompt.text), prompt.id


def test_no_two_prompts_are_near_duplicates() -> None:
    """Every pair, across layers: their words other than stop words overlap less than
    half (Jaccard), and they share no run of six words."""
    library = [p for p in load_library() if not p.own]
    found = [(p.id, content_words(p.text), runs(p.text, 6)) for p in library]
    near = [
        (one[0], other[0])
        for one, other in itertools.combinations(found, 2)
        if jaccard(one[1], other[1]) >= 0.5 or one[2] & other[2]
    ]
    assert near == []


def article_text() -> str:
    given = os.environ.get("LAYERS_JOURNAL_ARTICLE")
    for candidate in (
        Path(given) if given else None,
        Path(__file__).parents[2] / "shared/seed/how-healing-happens-in-layers.txt",
    ):
        if candidate is not None and candidate.exists():
            return candidate.read_text(encoding="utf-8")
    pytest.skip("the seed article is not beside this checkout")


def test_prompts_and_exercises_never_copy_the_article() -> None:
    """No sentence of the article (of four words or more), and no run of eight words of
    it, in any prompt or in any exercise's title, description, step title or guide."""
    article = article_text()
    sentences = [" ".join(words(s)) for s in re.split(r"[.?!]\s", article) if len(s.split()) > 3]
    eight = runs(article, 8)
    texts = [(p.id, p.text) for p in load_library() if not p.own]
    exercises, _ = load_exercises()
    for exercise in exercises:
        texts += [(exercise.name, exercise.title), (exercise.name, exercise.description)]
        texts += [(exercise.name, f"{step.title}. {step.guide}") for step in exercise.steps]
    assert len(texts) > 400
    for name, text in texts:
        plain = " ".join(words(text))
        assert not [s for s in sentences if s and s in plain], name
        assert not runs(text, 8) & eight, name
