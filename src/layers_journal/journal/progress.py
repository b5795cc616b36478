"""The layers model over one journal: what it is computed from, asked of the index once
per run, and its result, kept in the index and computed again only when its inputs
change. The maths itself is model/layers.py and its parts (pure); this is where it
meets the journal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers_journal.config import Config
    from layers_journal.folder.entries import Entry
    from layers_journal.folder.pauses import Pause
    from layers_journal.index.lifecycle import RunIndex
    from layers_journal.model.layers import EntryFacts, Report, RhythmChoice, Series


class Progress:
    """The model's inputs and result for one journal, as this run last saw it: the
    journal starts a fresh one whenever the run's index sees its own changes (its
    generation moves on)."""

    def __init__(self, index: RunIndex, config: Config) -> None:
        self.index = index
        self.config = config
        self.generation = index.generation
        self._facts: list[EntryFacts] | None = None
        self._pauses: list[Pause] | None = None

    def facts(self) -> list[EntryFacts]:
        """What the layers model needs of every entry (asked once per run)."""
        if self._facts is None:
            self._facts = self.index().practice.day_counts()
        return self._facts

    def pauses(self) -> list[Pause]:
        if self._pauses is None:
            self._pauses = self.index().lookup.pauses()
        return self._pauses

    def rest_spans(self) -> list[tuple[date, date]]:
        return [(pause.start, pause.end) for pause in self.pauses()]

    def report_without(self, kept_back: Iterable[Entry], today: date) -> Report:
        """The model as of `today` as if these entries (private ones, say) were not
        written: what a page shared with someone else may show of the practice."""
        from collections import Counter

        from layers_journal.days import wall_clock_day
        from layers_journal.model import layers

        day_start = self.config.day_start
        less = Counter(
            (entry.day, wall_clock_day(entry.created_local, day_start), entry.theme)
            for entry in kept_back
            if entry.kind is None
        )
        if not less:
            return self.report(today)
        facts = []
        for fact in self.facts():
            key = (fact.day, fact.created_day, fact.theme)
            taken = min(less[key], fact.entries)
            less[key] -= taken
            if fact.entries > taken:
                facts.append(fact._replace(entries=fact.entries - taken))
        return layers.compute_layers(facts, self.rest_spans(), today, self.config.rhythm)

    def report(self, today: date) -> Report:
        """The whole layers model as of `today`. Its result is kept in the index under
        the key of everything it is computed from, and computed again only when any
        of that changes."""
        from layers_journal.model import layers
        from layers_journal.model.snapshot import freeze, thaw

        practice, rest = self.index().practice, self.rest_spans()
        key = self.model_key(practice.counted_digest(), rest, today)
        kept = practice.cached_model(key) if key is not None else None
        if kept is not None:
            with contextlib.suppress(ValueError):
                report = thaw(kept, layers)
                if isinstance(report, layers.Report):
                    return report
        facts, digest = practice.counted_facts()
        self._facts = facts
        report = layers.compute_layers(facts, rest, today, self.config.rhythm)
        key = self.model_key(digest, rest, today)
        if key is not None:
            with contextlib.suppress(TypeError):
                practice.keep_model(key, freeze(report, layers))
        return report

    def model_key(self, digest: int, rest: list[tuple[date, date]], today: date) -> str | None:
        """Everything the model's result depends on: the model's own code (every module
        it is computed by), the counted entries (as the index's digest of their days,
        creation days and layers), the rest days, the config it reads, and today. None
        when the code cannot be named."""
        from layers_journal.model.layers import code_modules
        from layers_journal.model.snapshot import fingerprint

        codes = []
        for module in code_modules():
            named = fingerprint(module)
            if named is None:
                return None
            codes.append(named)
        code = "+".join(codes)
        config = self.config
        # The rhythm, and whether it was chosen (a chosen one never offers another).
        rhythm = f"{config.rhythm}{'!' if config.rhythm.chosen else ''}"
        spans = ",".join(f"{start}/{end}" for start, end in rest)
        return f"{code}|{digest:x}|{today}|{config.day_start}|{rhythm}|{spans}"

    def presence(self, today: date) -> Series:
        """Just the presence series as of `today`: all a saved entry's closing line
        needs, without the three layers' series the whole model adds."""
        return self.presence_and_offer(today)[0]

    def presence_and_offer(self, today: date) -> tuple[Series, RhythmChoice | None]:
        """The presence series and the rhythm the model would offer, as of `today`."""
        from layers_journal.model.layers import presence_and_offer

        return presence_and_offer(self.facts(), self.rest_spans(), today, self.config.rhythm)

    def facts_between(self, first: date, last: date) -> list[EntryFacts]:
        """What the model needs of the entries about days first to last."""
        if self._facts is not None:
            return [facts for facts in self._facts if first <= facts.day <= last]
        return self.index().practice.facts_between(first, last)
