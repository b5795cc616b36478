"""The prompt library and today's choice: rotation, depth, stability, no repeats."""

from __future__ import annotations

import collections
import itertools
import json
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from helpers.cli import run_cli, run_process
from helpers.documents import berlin, write_entry
from layers_journal.errors import PromptFileError
from layers_journal.journal.facade import Journal
from layers_journal.model.layers import LAYERS
from layers_journal.prompts import (
    Plan,
    Prompt,
    choose_prompt,
    load_library,
    max_depth,
    plan_today,
    prompt_history,
    read_prompt_file,
)


def test_the_shipped_library_is_complete() -> None:
    library = load_library()
    for layer in LAYERS:
        mine = [p for p in library if p.theme == layer]
        assert len(mine) >= 30
        depths = collections.Counter(p.depth for p in mine)
        assert all(depths[d] >= 8 for d in (1, 2, 3)), depths
    texts = [p.text for p in library]
    assert len(set(texts)) == len(texts)
    assert not any("!" in text or "should" in text.lower().split() for text in texts)


# The article, near-duplicates and the counts of a year: tests/test_library_content.py.


def test_a_malformed_prompt_file_names_the_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "prompts.toml"
    broken.write_text(
        '[[prompt]]\nid = "mine-1"\ntheme = "awareness"\ndepth = 1\ntext = "ok"\n\n[[prompt]]\nid = "mine-2"\ntheme = "awareness"\ndepth = 7\ntext = "x"\n'
    )
    with pytest.raises(PromptFileError) as caught:
        read_prompt_file(broken, theme=None)
    assert f"{broken}, line 7" in caught.value.message
    broken.write_text('[[prompt]]\nid = "mine-1"\ndepth = = 1\n')
    with pytest.raises(PromptFileError) as caught:
        read_prompt_file(broken, theme=None)
    assert str(broken) in caught.value.message and "line 3" in caught.value.message


def test_when_is_read_and_a_wrong_one_names_the_file_and_line(tmp_path: Path) -> None:
    own = tmp_path / "prompts.toml"
    own.write_text(
        '[[prompt]]\nid = "mine-1"\ntheme = "awareness"\ndepth = 1\ntext = "One?"\n'
        '\n[[prompt]]\nid = "mine-2"\ntheme = "awareness"\ndepth = 1\nwhen = "evening"\n'
        'text = "Two?"\n'
    )
    assert [p.when for p in read_prompt_file(own, theme=None)] == ["any", "evening"]
    own.write_text(own.read_text().replace('"evening"', '"night"'))
    with pytest.raises(PromptFileError) as caught:
        read_prompt_file(own, theme=None)
    assert caught.value.message == (f'{own}, line 7: when must be "any", "morning" or "evening".')


@pytest.mark.parametrize(
    ("clock", "day_start", "part"),
    [
        ("04:00", "04:00", "morning"),
        ("07:30", "04:00", "morning"),
        ("11:59", "04:00", "morning"),
        ("12:00", "04:00", "midday"),
        ("16:59", "04:00", "midday"),
        ("17:00", "04:00", "evening"),
        ("23:30", "04:00", "evening"),
        ("01:30", "04:00", "evening"),  # still the journal day before, and night
        ("03:59", "04:00", "evening"),
        ("05:30", "06:00", "evening"),
        ("00:30", "00:00", "morning"),  # a day that starts at midnight starts here
    ],
)
def test_the_part_of_the_day(clock: str, day_start: str, part: str) -> None:
    from datetime import time

    from layers_journal.prompts import part_of_day

    assert part_of_day(time.fromisoformat(clock), time.fromisoformat(day_start)) == part


def test_only_prompts_that_fit_the_hour_are_chosen() -> None:
    library = [
        Prompt("awareness-1", "awareness", 1, "Tonight?", when="evening"),
        Prompt("awareness-2", "awareness", 1, "This morning?", when="morning"),
        Prompt("awareness-3", "awareness", 1, "Now?"),
    ]

    def chosen(part: str, answered: dict[str, datetime]) -> str:
        return choose_prompt(
            library=library,
            layer="awareness",
            active_days=0,
            answered=answered,
            layer_entries=0,
            part=part,
        ).id

    once = datetime(2026, 1, 1)
    assert chosen("morning", {"awareness-3": once}) == "awareness-2"
    assert chosen("evening", {"awareness-3": once}) == "awareness-1"
    assert chosen("midday", {"awareness-1": once, "awareness-3": once}) == "awareness-2"


def test_own_prompts_join_the_rotation(tmp_path: Path) -> None:
    own = tmp_path / "prompts.toml"
    own.write_text(
        '[[prompt]]\nid = "mine-001"\ntheme = "connection"\ndepth = 1\ntext = "Who made you smile?"\n'
    )
    library = load_library(own)
    mine = [p for p in library if p.own]
    assert [(p.id, p.theme) for p in mine] == [("mine-001", "connection")]
    # With every shipped depth-1 connection prompt answered, the own prompt comes up.
    answered = {
        p.id: datetime(2026, 1, 1) for p in library if p.theme == "connection" and not p.own
    }
    chosen = choose_prompt(
        library=library,
        layer="connection",
        active_days=0,
        answered=answered,
        layer_entries=12,
    )
    assert chosen.id == "mine-001"


def test_depth_unlocks_at_five_and_fifteen_active_days() -> None:
    assert [max_depth(n) for n in (0, 4, 5, 14, 15, 100)] == [1, 1, 2, 2, 3, 3]


# --- the daily choice through the journal, with the clock passed in -----------------------


def plan_at(journal: Journal, now: datetime) -> Plan:
    today = journal.clock.day_of(now)
    return plan_today(
        history=prompt_history(journal.index(), today, backfill=False, sealed=False),
        library=load_library(),
        today=today,
    )


def answer(journal: Journal, now: datetime) -> Plan:
    plan = plan_at(journal, now)
    write_entry(journal, now, theme=plan.layer, prompt_id=plan.prompt.id, prompt=plan.prompt.text)
    return plan


def test_rotation_and_depth_over_simulated_weeks(journal: Journal) -> None:
    """Eight weeks of daily writing: the layers rotate, deeper prompts arrive on time,
    and no prompt repeats while an eligible unanswered one of its layer is left."""
    library = load_library()
    seen: dict[str, list[str]] = {layer: [] for layer in LAYERS}
    layers_in_order = []
    for offset in range(56):
        plan = answer(journal, berlin(2026, 1, 5, 20, 15) + timedelta(days=offset))
        layers_in_order.append(plan.layer)
        eligible = {
            p.id
            for p in library
            if p.theme == plan.layer
            and p.depth != "review"
            and p.depth <= max_depth(plan.active_days)
        }
        unanswered = eligible - set(seen[plan.layer])
        if unanswered:
            assert plan.prompt.id in unanswered
        assert plan.prompt.depth <= max_depth(plan.active_days)
        seen[plan.layer].append(plan.prompt.id)
    assert layers_in_order[:6] == ["awareness", "connection", "compassion"] * 2
    assert layers_in_order.count("awareness") == 19
    depths = [next(p.depth for p in library if p.id == pid) for pid in seen["awareness"]]
    assert max(depths[:5]) == 1  # the first five awareness days stay gentle
    assert 2 in depths[5:15] and 3 not in depths[:15]
    assert 3 in depths[15:]


def test_the_prompt_is_stable_all_day_even_after_writing(journal: Journal) -> None:
    answer(journal, berlin(2026, 2, 1, 21, 0))
    morning = plan_at(journal, berlin(2026, 2, 2, 4, 0))
    write_entry(journal, berlin(2026, 2, 2, 8, 0), theme=morning.layer, prompt_id=morning.prompt.id)
    for when in (berlin(2026, 2, 2, 12, 0), berlin(2026, 2, 2, 23, 59), berlin(2026, 2, 3, 3, 59)):
        later = plan_at(journal, when)
        assert (later.layer, later.prompt.id, later.today) == (
            morning.layer,
            morning.prompt.id,
            date(2026, 2, 2),
        )


def test_the_prompt_moves_on_at_the_four_oclock_boundary(journal: Journal) -> None:
    first = answer(journal, berlin(2026, 2, 1, 21, 0))
    before = plan_at(journal, berlin(2026, 2, 2, 3, 59))  # still 1 February
    assert (before.layer, before.prompt.id) == (first.layer, first.prompt.id)
    after = plan_at(journal, berlin(2026, 2, 2, 4, 0))
    assert after.layer == "connection" and after.today == date(2026, 2, 2)


def test_a_theme_override_keeps_the_rotation_going_from_it(journal: Journal) -> None:
    write_entry(journal, berlin(2026, 2, 1, 21, 0), theme="compassion", prompt_id="compassion-001")
    assert plan_at(journal, berlin(2026, 2, 2, 9, 0)).layer == "awareness"


def test_without_prompt_ids_each_entry_walks_the_layer_a_round_at_a_time() -> None:
    library = [Prompt(f"awareness-{n}", "awareness", 1, f"text {n}") for n in range(5)]
    picks = [
        choose_prompt(
            library=library,
            layer="awareness",
            active_days=0,
            answered=None,
            layer_entries=n,
        ).id
        for n in range(15)
    ]
    rounds = [picks[:5], picks[5:10], picks[10:]]
    assert all(sorted(r) == [p.id for p in library] for r in rounds)  # each round whole
    assert len({tuple(r) for r in rounds}) > 1  # and not the same order every round


def test_when_all_are_answered_the_least_recent_comes_back() -> None:
    library = [Prompt(f"awareness-{n}", "awareness", 1, f"text {n}") for n in range(3)]
    answered = {
        "awareness-0": datetime(2026, 1, 3),
        "awareness-1": datetime(2026, 1, 1),
        "awareness-2": datetime(2026, 1, 2),
    }
    chosen = choose_prompt(
        library=library, layer="awareness", active_days=0, answered=answered, layer_entries=3
    )
    assert chosen.id == "awareness-1"


def test_a_year_passes_between_answers_and_each_year_has_its_own_order() -> None:
    """The choice alone, over five years of one answer a day on one layer: a prompt
    waits a year of others (122 days on its layer) before it comes back, whatever the
    hour, and no year replays the one before."""
    from datetime import timedelta

    from layers_journal.prompts import YEAR_TURNS

    library = [
        Prompt(f"awareness-{n:03d}", "awareness", 1 + n % 3, f"text {n}", when=when)
        for n, when in enumerate(["any"] * 100 + ["morning"] * 25 + ["evening"] * 25)
    ]
    for part in ("morning", "midday", "evening"):
        answered: dict[str, datetime] = {}
        picks = []
        for n in range(YEAR_TURNS * 5):
            chosen = choose_prompt(
                library=library,
                layer="awareness",
                active_days=n,
                answered=answered,
                layer_entries=n,
                part=part,
            )
            answered[chosen.id] = datetime(2026, 1, 1) + timedelta(days=n)
            picks.append(chosen.id)
        last: dict[str, int] = {}
        for n, pick in enumerate(picks):
            assert n - last.get(pick, -YEAR_TURNS) >= YEAR_TURNS, (part, pick, n)
            last[pick] = n
        years = [picks[n : n + YEAR_TURNS] for n in range(0, len(picks), YEAR_TURNS)]
        assert all(one != other for one, other in itertools.pairwise(years)), part


def test_the_parsed_library_is_cached_until_a_file_changes(tmp_path: Path) -> None:
    cache = tmp_path / "prompts.cache"
    own = tmp_path / "prompts.toml"
    own.write_text('[[prompt]]\nid = "mine-001"\ntheme = "connection"\ndepth = 1\ntext = "One."\n')
    first = load_library(own, cache=cache)
    assert cache.exists() and load_library(own, cache=cache) == first
    own.write_text(
        '[[prompt]]\nid = "mine-001"\ntheme = "connection"\ndepth = 1\ntext = "Two, longer."\n'
    )
    assert [p.text for p in load_library(own, cache=cache) if p.own] == ["Two, longer."]
    cache.write_bytes(b"not a cache")
    assert load_library(own, cache=cache)[-1].text == "Two, longer."


def test_prompt_choice_counts_active_days_as_the_layers_model_does(journal: Journal) -> None:
    """The index answers today's question with SQL; it must agree with layers.counts."""
    from layers_journal.model.layers import compute_layers

    start = berlin(2026, 1, 1, 20, 0)
    for offset in range(0, 40, 2):  # on the day
        write_entry(journal, start + timedelta(days=offset), theme="awareness")
    for offset, late in ((1, 1), (3, 3), (5, 4), (7, 9)):  # written 1, 3, 4 and 9 days late
        when = start + timedelta(days=offset + late)
        write_entry(journal, when, theme="awareness", day=(start + timedelta(days=offset)).date())
    today = date(2026, 2, 20)
    history = prompt_history(journal.index(), today, backfill=False, sealed=False)
    model = compute_layers(journal.model.facts(), [], today).layers["awareness"].active_days
    assert model == 22  # 20 on the day, and the two written within three days
    assert history.active_days["awareness"] == min(model, 15)
    assert history.last_theme == "awareness"


def test_prompts_added_at_once_all_land_with_their_own_ids(journal_home: Path) -> None:
    def add(n: int) -> None:
        run_process(
            journal_home, "prompts", "add", "--theme", "compassion", stdin=f"Own prompt number {n}?"
        )

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    own = [
        p
        for p in json.loads(run_cli(journal_home, "prompts", "--json").stdout)["prompts"]
        if p["own"]
    ]
    assert len(own) == 6 and len({p["id"] for p in own}) == 6
    too_long = run_cli(journal_home, "prompts", "add", "--theme", "awareness", stdin="x" * 600)
    assert (
        too_long.returncode == 1 and "at most 500 characters; this one has 600" in too_long.stderr
    )
