"""Structured exercises: a few steps walked one at a time, kept as one entry.

The shipped exercises are one TOML file each (exercises/<name>.toml in the repository,
layers_journal/exercises/ in the wheel); a person's own live in exercises/ in the config
folder, in the same format, and join the list. An exercise names its layer, and each
step has a title, a short guide line and a kind: text, or a scale with its range and a
`name` (the key its number is kept under, in the entry's `scales`).

A walked exercise is Markdown: one `## Step title` section per step, a scale's section
holding its number. That is the body of the entry, and what piped input gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ExerciseError
from .model.layers import LAYERS

EXERCISE = "exercise"  # the entry's kind
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
KINDS = ("text", "scale")
MAX_STEPS = 12
MAX_LINE = 300


class Step(NamedTuple):
    title: str
    guide: str
    kind: str  # "text" or "scale"
    name: str | None = None  # a scale's key in the entry's scales
    low: int | None = None
    high: int | None = None

    @property
    def scale(self) -> bool:
        return self.kind == "scale"

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"title": self.title, "guide": self.guide, "kind": self.kind}
        if self.scale:
            document |= {"name": self.name, "min": self.low, "max": self.high}
        return document


class Exercise(NamedTuple):
    name: str
    title: str
    layer: str
    description: str
    steps: tuple[Step, ...]
    own: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "layer": self.layer,
            "description": self.description,
            "own": self.own,
            "steps": [step.to_json() for step in self.steps],
        }

    def step_titled(self, title: str) -> Step | None:
        wanted = heading_key(title)
        return next((step for step in self.steps if heading_key(step.title) == wanted), None)


def shipped_exercise_dir() -> Path:
    """Inside the installed package; in a source checkout, the repository's exercises/."""
    packaged = Path(__file__).with_name("exercises")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "exercises"


def exercise_files(folder: Path) -> list[Path]:
    try:
        return sorted(path for path in folder.glob("*.toml") if not path.name.startswith("."))
    except OSError:
        return []


def load_exercises(user_dir: Path | None = None) -> tuple[list[Exercise], list[str]]:
    """The shipped exercises, then the person's own, and a sentence for each of their
    files that cannot be used (skipped, so one typo never hides the rest). A shipped
    file that cannot be read raises ExerciseError."""
    found = [read_exercise_file(path, own=False) for path in exercise_files(shipped_exercise_dir())]
    problems: list[str] = []
    if user_dir is not None:
        names = {exercise.name for exercise in found}
        for path in exercise_files(user_dir):
            try:
                exercise = read_exercise_file(path, own=True)
            except ExerciseError as error:
                problems.append(error.message)
                continue
            if exercise.name in names:
                problems.append(
                    f"{path} has the name of a shipped exercise ({exercise.name}); "
                    "rename the file to keep both."
                )
                continue
            names.add(exercise.name)
            found.append(exercise)
    return found, problems


def read_exercise_file(path: Path, *, own: bool) -> Exercise:
    """One exercise from its file; ExerciseError says what is wrong, naming the file."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExerciseError(f"{path} cannot be read ({error.__class__.__name__}).") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ExerciseError(f"{path} is not valid TOML: {error}.") from None
    return check_exercise(table, path=path, own=own, lines=step_table_lines(text))


def step_table_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[step]]"]


def check_exercise(
    table: Mapping[str, Any], *, path: Path, own: bool, lines: list[int]
) -> Exercise:
    name = table.get("name", path.stem)
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ExerciseError(f"{path}: name must be lowercase letters, digits and dashes.")
    if name != path.stem:
        raise ExerciseError(f"{path}: name {name!r} must match the file's name ({path.stem}).")
    for field in ("title", "description"):
        if not one_line(table.get(field)):
            raise ExerciseError(
                f"{path}: {field} must be one line of at most {MAX_LINE} characters."
            )
    layer = table.get("layer")
    if layer not in LAYERS:
        raise ExerciseError(f"{path}: layer must be one of {', '.join(LAYERS)}.")
    items = table.get("step")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_STEPS:
        raise ExerciseError(f"{path}: an exercise needs 1 to {MAX_STEPS} [[step]] tables.")
    steps = [
        check_step(item, where=f"{path}, line {lines[n] if n < len(lines) else 1}")
        for n, item in enumerate(items)
    ]
    seen_titles: set[str] = set()
    seen_names: set[str] = set()
    for n, step in enumerate(steps):
        where = f"{path}, line {lines[n] if n < len(lines) else 1}"
        if heading_key(step.title) in seen_titles:
            raise ExerciseError(f"{where}: two steps have the title {step.title!r}.")
        seen_titles.add(heading_key(step.title))
        if step.name is not None:
            if step.name in seen_names:
                raise ExerciseError(f"{where}: two scales have the name {step.name!r}.")
            seen_names.add(step.name)
    return Exercise(
        name=name,
        title=str(table["title"]).strip(),
        layer=str(layer),
        description=str(table["description"]).strip(),
        steps=tuple(steps),
        own=own,
    )


def one_line(value: object) -> bool:
    return (
        isinstance(value, str)
        and bool(value.strip())
        and len(value) <= MAX_LINE
        and ("\n" not in value.strip())
    )


def check_step(item: Any, *, where: str) -> Step:
    if not isinstance(item, dict):
        raise ExerciseError(f"{where}: a step must be a table.")
    title, guide, kind = item.get("title"), item.get("guide", ""), item.get("kind", "text")
    if not one_line(title) or str(title).lstrip().startswith("#"):
        raise ExerciseError(f"{where}: a step's title must be one line of words.")
    if not isinstance(guide, str) or len(guide) > MAX_LINE or "\n" in guide.strip():
        raise ExerciseError(f"{where}: a step's guide must be one line.")
    if kind not in KINDS:
        raise ExerciseError(f'{where}: a step\'s kind must be "text" or "scale".')
    if kind == "text":
        return Step(title=str(title).strip(), guide=guide.strip(), kind="text")
    name, low, high = item.get("name"), item.get("min"), item.get("max")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ExerciseError(
            f"{where}: a scale needs a name of lowercase letters, digits and dashes."
        )
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
        raise ExerciseError(f"{where}: a scale needs whole numbers min and max.")
    assert isinstance(low, int) and isinstance(high, int)
    if not 0 <= low < high <= 1000:
        raise ExerciseError(f"{where}: a scale's min must be below its max, both from 0 to 1000.")
    return Step(
        title=str(title).strip(), guide=guide.strip(), kind="scale", name=name, low=low, high=high
    )


def find_exercise(exercises: Sequence[Exercise], name: str) -> Exercise:
    for exercise in exercises:
        if exercise.name == name:
            return exercise
    from .errors import NotFoundError

    names = ", ".join(exercise.name for exercise in exercises)
    raise NotFoundError(
        f"There is no exercise called {name}; journal exercise lists them ({names})."
    )


# --- the walked exercise as Markdown ---------------------------------------------------


def heading_key(title: str) -> str:
    """A step title as headings are matched: case and spacing do not matter."""
    return " ".join(title.split()).casefold()


HEADING = re.compile(r"^## +(.+?) *#* *$")


def compose(exercise: Exercise, answers: Mapping[str, str]) -> str:
    """The entry's body: each answered step as a `## Title` section, in step order."""
    sections = []
    for step in exercise.steps:
        text = answers.get(step.title, "").strip("\n").rstrip()
        if text.strip():
            sections.append(f"## {step.title}\n\n{text}")
    return "\n\n".join(sections)


def read_sections(exercise: Exercise, markdown: str) -> dict[str, str]:
    """Each step's answer (by its title) from Markdown with one `## Step title` section
    per step. ExerciseError names the first thing that does not fit."""
    answers: dict[str, list[str]] = {}
    current: Step | None = None
    for line in markdown.replace("\r\n", "\n").split("\n"):
        heading = HEADING.match(line)
        if heading:
            step = exercise.step_titled(heading[1])
            if step is None:
                raise ExerciseError(
                    f"“## {heading[1].strip()}” is not a step of {exercise.name}; its steps are "
                    + ", ".join(f"“## {s.title}”" for s in exercise.steps)
                    + "."
                )
            if step.title in answers:
                raise ExerciseError(f"The step “## {step.title}” comes twice; nothing was saved.")
            current = step
            answers[step.title] = []
            continue
        if current is None:
            if line.strip():
                raise ExerciseError(
                    f"Piped text for {exercise.name} starts with a step's heading, like "
                    f"“## {exercise.steps[0].title}”, one section per step."
                )
            continue
        answers[current.title].append(line)
    return {title: "\n".join(lines).strip("\n").rstrip() for title, lines in answers.items()}


def scales_of(exercise: Exercise, answers: Mapping[str, str]) -> dict[str, int]:
    """The numbers of the answered scale steps, by the step's name; ExerciseError for
    a scale's answer that is not a whole number in its range."""
    scales: dict[str, int] = {}
    for step in exercise.steps:
        answer = answers.get(step.title, "").strip()
        if not step.scale or not answer:
            continue
        value = read_scale(step, answer)
        if value is None:
            raise ExerciseError(
                f"The step “{step.title}” takes a whole number from {step.low} to {step.high}."
            )
        assert step.name is not None
        scales[step.name] = value
    return scales


def read_scale(step: Step, answer: str) -> int | None:
    """A scale's answer as a number in its range ("80", "80/100" or "80 of 100"), or None."""
    found = re.fullmatch(r"(\d{1,4})(?:\s*(?:/|of)\s*\d{1,4})?", answer.strip())
    if found is None:
        return None
    value = int(found[1])
    assert step.low is not None and step.high is not None
    return value if step.low <= value <= step.high else None


def scale_steps(exercise: Exercise) -> list[Step]:
    return [step for step in exercise.steps if step.scale]


def by_layer(exercises: Iterable[Exercise]) -> dict[str, list[Exercise]]:
    grouped: dict[str, list[Exercise]] = {layer: [] for layer in LAYERS}
    for exercise in exercises:
        grouped[exercise.layer].append(exercise)
    return grouped
