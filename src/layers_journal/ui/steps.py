"""An exercise walked in the terminal, one step at a time, in the writer `journal today`
uses: each text step is a page of its own (Ctrl-D goes on to the next), each scale a
number asked on its own line. Everything answered so far is handed to `keep` as it
grows (the draft), so a closed window loses nothing; Ctrl-C asks before leaving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .messages import (
    SCALE_AGAIN,
    STILL_HERE_STEP,
    leave_question,
    scale_question,
    step_heading,
    step_hint,
)

if TYPE_CHECKING:
    from layers_journal.exercises import Exercise, Step

    from .writer import StopSignals

AGAIN = "\x03"


def walk_steps(
    exercise: Exercise,
    answers: dict[str, str],
    keep: Callable[[dict[str, str]], None],
    signals: StopSignals,
) -> dict[str, str] | None:
    """Every step's answer by its title, or None when the person chose to leave. Raises
    Stopped (the words kept) when the terminal closes or the journal is asked to stop."""
    from .console import say
    from .writer import Keeper, can_edit_here, read_plain, write

    full = can_edit_here()
    total = len(exercise.steps)
    for number, step in enumerate(exercise.steps, 1):
        say("")
        say(step_heading(number, total, step.title), style="bold")
        if step.guide:
            say(step.guide, style="dim", fold=True)
        if step.scale:
            answer = ask_scale(step, answers)
            if answer is None:
                return None
            answers[step.title] = answer
            keep(answers)
            continue
        last = number == total

        def keep_step(text: str, title: str = step.title) -> None:
            keep({**answers, title: text})

        keeper = Keeper(keep_step)
        initial = answers.get(step.title, "")
        keeper.kept = initial
        while True:
            if full:
                written = write(initial, keeper, signals, ask_mood=False, keys=step_hint(last))
            else:
                say(step_hint(last), style="dim")
                written = read_plain(initial, keeper, signals, ask_mood=False)
            if written is not None:
                answers[step.title] = written.text.strip("\n").rstrip()
                keep(answers)
                break
            # The writer lets go at once of an empty page; earlier steps still count.
            lines = count_answered(answers)
            if not lines or leaving(lines):
                return None
            say(STILL_HERE_STEP, style="dim")
    return answers


def count_answered(answers: dict[str, str]) -> int:
    from .writer import count_lines

    return sum(count_lines(text) for text in answers.values())


def leaving(lines: int) -> bool:
    from .writer import ask_plain

    answer = AGAIN
    while answer == AGAIN:  # Ctrl-C again: the question stands
        answer = ask_plain(leave_question(lines), interrupted=AGAIN)
    return answer in ("y", "yes")


def ask_scale(step: Step, answers: dict[str, str]) -> str | None:
    """A scale's number as typed ("" leaves it blank); None when the person leaves."""
    from layers_journal.exercises import read_scale

    from .console import say
    from .writer import ask_plain

    assert step.low is not None and step.high is not None
    earlier = answers.get(step.title, "")
    while True:
        answer = ask_plain(scale_question(step.low, step.high, earlier), interrupted=AGAIN)
        if answer == AGAIN:
            lines = count_answered(answers)
            if not lines or leaving(lines):
                return None
            continue
        if not answer:
            return earlier
        if read_scale(step, answer) is not None:
            return answer
        say(SCALE_AGAIN.format(low=step.low, high=step.high), style="dim")
