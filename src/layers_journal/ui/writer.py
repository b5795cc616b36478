"""The writer: where `journal today` takes words in a terminal, and keeps every one.

In a terminal that can do it, a small prompt_toolkit editor (imported only here, so no
other command pays for it): arrow keys, Home/End, word moves, Backspace across lines,
pasting, lines soft-wrapped between words; Ctrl-D (or Esc then Enter) saves, Ctrl-C asks before it
lets go of any words. Elsewhere (TERM=dumb, output not a terminal) the terminal's own
line reading. Both hand what is typed to a Keeper, which puts it in the private draft
on every new line and every few seconds, and once more when the terminal closes
(SIGHUP) or the journal is asked to stop (SIGTERM); after a hard kill the draft holds
what was kept last.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from layers_journal.ui.messages import (
    MOOD_QUESTION,
    WRITING_ON,
    draft_trouble,
    leave_question,
    writer_hint,
)

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.layout.processors import Transformation, TransformationInput

# How often words typed since the last new line are kept.
AUTOSAVE_SECONDS = 2.0
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
AGAIN = "\x03"


class Written(NamedTuple):
    text: str
    mood: int | None


class Stopped(Exception):
    """The terminal closed or the journal was asked to stop; the words are in the draft."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class StopSignals:
    """While in effect, SIGHUP and SIGTERM never cut a write in half: the writer reacts to
    the first one by keeping the draft and closing, and elsewhere it is only noted, so
    a save under way finishes."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.react: Callable[[int], None] | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        self._previous = {signum: signal.signal(signum, self._note) for signum in STOP_SIGNALS}
        return self

    def __exit__(self, *_: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _note(self, signum: int, _frame: object) -> None:
        first = self.received is None
        self.received = signum
        if first and self.react is not None:
            self.react(signum)


class Keeper:
    """Keeps the text in the draft when it has changed: at once on a new line, else at
    most every AUTOSAVE_SECONDS. A draft that cannot be written is said on screen and
    tried again; the words stay in the writer meanwhile."""

    def __init__(self, keep: Callable[[str], None], clock: Callable[[], float] = time.monotonic):
        self._keep = keep
        self._clock = clock
        self.kept = ""
        self.kept_at = clock()
        self.trouble: str | None = None

    def changed(self, text: str) -> None:
        new_line = text.count("\n") != self.kept.count("\n")
        if text != self.kept and (new_line or self._clock() - self.kept_at >= AUTOSAVE_SECONDS):
            self.now(text)

    def now(self, text: str) -> None:
        try:
            self._keep(text)
        except OSError as error:
            self.trouble = draft_trouble(error.strerror or error.__class__.__name__)
            return
        self.kept, self.kept_at, self.trouble = text, self._clock(), None


def can_edit_here(environ: dict[str, str] | None = None) -> bool:
    """Can this terminal run the full writer? Not without a terminal on both sides, nor
    on one that says it cannot move the cursor."""
    from layers_journal.ui.mode import wanted_by

    env = os.environ if environ is None else environ
    if env.get("TERM", "") in ("dumb", "unknown"):
        return False
    if environ is None and is_plain_run():  # plain output: no redraw, the keys in words
        return False
    if environ is not None and wanted_by(env, stdout=sys.stdout):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def is_plain_run() -> bool:
    from layers_journal.ui.mode import is_plain

    return is_plain()


def word_breaks(text: str, width: int, cell: Callable[[str], int]) -> list[tuple[int, int]]:
    """Where a line of the page wraps between words at this width: (index, padding)
    pairs, each a word that starts a new screen row and the spaces that fill the row
    before it. A word longer than a row is left to break where it must."""
    breaks: list[tuple[int, int]] = []
    column = 0
    for match in re.finditer(r"\S+|\s+", text):
        piece = match.group()
        size = sum(cell(character) for character in piece)
        if not piece.isspace() and column and column + size > width and size <= width:
            breaks.append((match.start(), width - column))
            column = 0
        column = (column + size) % width if width else 0
    return breaks


def word_wrapper() -> object:
    """A prompt_toolkit processor that pads each screen row, so the window's own wrap
    (which breaks anywhere) breaks between words; the cursor still moves through the
    text as written, the padding is only drawn."""
    from prompt_toolkit.layout.processors import Processor, Transformation
    from prompt_toolkit.layout.utils import explode_text_fragments
    from prompt_toolkit.utils import get_cwidth

    class WordWrap(Processor):
        def apply_transformation(self, ti: TransformationInput) -> Transformation:
            text = ti.document.lines[ti.lineno] if ti.lineno < len(ti.document.lines) else ""
            breaks = word_breaks(text, ti.width, get_cwidth) if ti.width > 0 else []
            if not breaks:
                return Transformation(ti.fragments)
            fragments = explode_text_fragments(ti.fragments)
            shown: StyleAndTextTuples = []
            pads = dict(breaks)
            for index, fragment in enumerate(fragments):
                if index in pads:
                    shown.append(("", " " * pads[index]))
                shown.append(fragment)
            starts = sorted(pads)

            def to_display(position: int) -> int:
                return position + sum(pads[start] for start in starts if start <= position)

            def to_source(position: int) -> int:
                for start in reversed(starts):
                    if position >= to_display(start):
                        return position - sum(pads[s] for s in starts if s <= start)
                    if position >= to_display(start) - pads[start]:
                        return start  # inside the padding: the word that follows
                return position

            return Transformation(shown, source_to_display=to_display, display_to_source=to_source)

    return WordWrap()


def count_lines(text: str) -> int:
    return len(text.rstrip("\n").split("\n")) if text.strip() else 0


def mood_of(key: str) -> int | None:
    return int(key) if key in ("1", "2", "3", "4", "5") else None


# --- the full writer ------------------------------------------------------------------


def write(
    initial: str,
    keeper: Keeper,
    signals: StopSignals,
    *,
    ask_mood: bool,
    keys: str | None = None,
) -> Written | None:
    """Edit until the person saves (Written) or leaves (None); Stopped on SIGHUP/SIGTERM,
    after the text is kept. `keys` replaces the line of keys below the page."""
    import textwrap

    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.filters import Condition, is_done
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
    from prompt_toolkit.styles import Style

    state = {"mode": "writing", "note": ""}  # writing, leaving (asked), mood (asked)
    buffer = Buffer(
        document=Document(initial, len(initial)),
        multiline=True,
        on_text_changed=lambda changed: keeper.changed(changed.text),
    )

    def hint() -> StyleAndTextTuples:
        width = app.output.get_size().columns
        if state["mode"] == "leaving":
            style, words = "class:question", leave_question(count_lines(buffer.text))
        elif state["mode"] == "mood":
            style, words = "class:question", MOOD_QUESTION
        elif keeper.trouble:
            style, words = "class:trouble", keeper.trouble
        else:
            style, words = "class:hint", state["note"] or keys or writer_hint(width)
        # Folded between words; the window would break them anywhere.
        return [(style, "\n".join(textwrap.wrap(words, max(width - 1, 20))))]

    asking = Condition(lambda: state["mode"] != "writing")
    writing_keys = KeyBindings()

    def finish(event: KeyPressEvent) -> None:
        keeper.now(buffer.text)
        if ask_mood and buffer.text.strip():
            state["mode"] = "mood"
            event.app.layout.focus(question)
        else:
            event.app.exit(result=Written(buffer.text, None))

    writing_keys.add("c-d")(finish)
    writing_keys.add("escape", "enter")(finish)

    @writing_keys.add("c-c")
    def _leave(event: KeyPressEvent) -> None:
        if not buffer.text.strip():
            event.app.exit(result=None)
            return
        keeper.now(buffer.text)
        state["mode"] = "leaving"
        event.app.layout.focus(question)

    @writing_keys.add("<any>", filter=~asking)
    def _typed(event: KeyPressEvent) -> None:
        # Keys with no meaning here (F-keys, unknown sequences) insert nothing: escape
        # bytes never reach the page.
        if event.data and (event.data.isprintable() or event.data == "\t"):
            event.current_buffer.insert_text(event.data)
        state["note"] = ""

    question_keys = KeyBindings()

    @question_keys.add("<any>")
    def _answer(event: KeyPressEvent) -> None:
        key = event.data
        if state["mode"] == "leaving":
            if key == "\x03":
                return  # Ctrl-C again: the question stands until it is answered
            if key in ("y", "Y"):
                event.app.exit(result=None)
                return
            state["mode"], state["note"] = "writing", WRITING_ON
            event.app.layout.focus(text_window)
        else:
            event.app.exit(result=Written(buffer.text, mood_of(key)))

    # As tall as the page so far, so the hint sits just below the words.
    text_window = Window(
        BufferControl(
            buffer=buffer,
            key_bindings=writing_keys,
            input_processors=[word_wrapper()],  # type: ignore[list-item]
        ),
        wrap_lines=True,
        dont_extend_height=True,
    )
    question = Window(
        FormattedTextControl(hint, focusable=True, key_bindings=question_keys, show_cursor=False),
        wrap_lines=True,
        dont_extend_height=True,
    )
    # The hint goes when the writer closes, so the page is left on screen as written.
    bottom = ConditionalContainer(question, filter=~is_done)
    app: Application[Written | None] = Application(
        layout=Layout(HSplit([text_window, bottom]), focused_element=text_window),
        style=Style.from_dict(
            {
                "hint": "fg:ansibrightblack",
                "question": "bold",
                "trouble": "fg:ansiyellow",
            }
        ),
        full_screen=False,
        refresh_interval=AUTOSAVE_SECONDS,
        mouse_support=False,
        erase_when_done=False,
    )
    # An Esc waits this long for the Enter that makes it "save".
    app.timeoutlen = 3.0

    def stop(signum: int) -> None:
        keeper.now(buffer.text)
        if not app.is_done:
            app.exit(exception=Stopped(signum))

    # The screen is redrawn every few seconds, and each redraw keeps words typed since.
    app.before_render += lambda _: keeper.changed(buffer.text)

    def started() -> None:
        loop = app.loop

        def react(signum: int) -> None:
            # Never raises out of a signal handler, which could land mid-write.
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(stop, signum)

        signals.react = react
        if signals.received is not None:
            stop(signals.received)

    try:
        return app.run(pre_run=started, handle_sigint=False)
    except (OSError, EOFError):
        # The terminal went away under the writer: keep what is there and stop.
        signals.react = None
        keeper.now(buffer.text)
        raise Stopped(signals.received or signal.SIGHUP) from None
    finally:
        signals.react = None


# --- the plain reader, for terminals the writer cannot use ------------------------------


def raise_stopped(signum: int) -> None:
    raise Stopped(signum)


# What a cursor or function key sends (CSI, SS3, and Alt+key): a terminal that cannot
# edit a line hands them over inside it, and they are no part of the words.
KEY_SEQUENCES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[O][ -~]?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]"
)


def without_keys(chunk: bytes) -> bytes:
    """A line as typed, without the bytes of arrow and other keys."""
    return KEY_SEQUENCES.sub(b"", chunk) if b"\x1b" in chunk or b"\x9b" in chunk else chunk


def read_plain(
    initial: str, keeper: Keeper, signals: StopSignals, *, ask_mood: bool
) -> Written | None:
    """The terminal's own line editing: each finished line is kept; Ctrl-D saves (also in
    the middle of a line), Ctrl-C asks before it lets go of any words."""
    import codecs

    from layers_journal.ui.console import say

    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = initial
    if initial:
        print(initial, end="" if initial.endswith("\n") else "\n", flush=True)
        text = initial if initial.endswith("\n") else initial + "\n"
    try:
        while True:
            try:
                chunk = wait_for_terminal(signals)
            except KeyboardInterrupt:
                if not text.strip():
                    return None
                keeper.now(text)
                answer = AGAIN
                while answer == AGAIN:  # Ctrl-C again: the question stands
                    answer = ask_plain(leave_question(count_lines(text)), interrupted=AGAIN)
                if answer in ("y", "yes"):
                    return None
                say(WRITING_ON, style="dim")
                continue
            text += decoder.decode(without_keys(chunk), final=not chunk)
            keeper.changed(text)
            if not chunk:
                break
            if not chunk.endswith(b"\n"):
                print(flush=True)  # Ctrl-D in the middle of a line: the end, on its own line
                break
    except Stopped:
        keeper.now(text)
        raise
    keeper.now(text)
    mood = None
    if ask_mood and text.strip():
        mood = mood_of(ask_plain(MOOD_QUESTION, interrupted="")[:1])
    return Written(text, mood)


def wait_for_terminal(signals: StopSignals) -> bytes:
    """What the terminal hands over next: a line, a line cut short by Ctrl-D, or b"" at
    the end. Only this wait is cut short by a stop signal."""
    signals.react = raise_stopped
    try:
        if signals.received is not None:
            raise Stopped(signals.received)
        return os.read(sys.stdin.fileno(), 65536)
    finally:
        signals.react = None


def ask_plain(question: str, *, interrupted: str | None = None) -> str:
    """One answer typed on its own line, lower case; "" on Ctrl-D. Ctrl-C answers
    `interrupted`, or, without one, stops the command as anywhere else."""
    try:
        return input(question + " ").strip().lower()
    except EOFError:
        print(file=sys.stderr)
        return ""
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        print(file=sys.stderr)
        return interrupted
