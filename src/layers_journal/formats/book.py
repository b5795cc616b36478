"""`journal export --format html` (and pdf): the journal as one self-contained page.

One file with its own style sheet and nothing else: no scripts, no fonts or images to
fetch (a Content-Security-Policy forbids any), so it opens the same on a phone, in any
browser offline, and prints to PDF on A4 or Letter with a first page for a session, days
kept whole where they fit and entries never cut across pages. Entry text is Markdown,
rendered with raw HTML off (formats.prose); every other piece of text is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from html import escape
from itertools import groupby
from typing import NamedTuple

from layers_journal.folder.entries import Entry
from layers_journal.formats.prose import markdown_html
from layers_journal.formats.sharing import entry_parts
from layers_journal.model.layers import LAYERS

LAYER_MARKS = {"awareness": "●", "connection": "◆", "compassion": "♥"}
REVIEW_MARK = "❖"

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 44rem; padding: 1.25rem 1rem 3rem;
  font: 1.0625rem/1.6 Georgia, "DejaVu Serif", "Times New Roman", serif;
  color: #1f1f1f; background: #fff; overflow-wrap: break-word;
}
.sans, header p, footer, .facts, .details, h3, figcaption {
  font-family: system-ui, "DejaVu Sans", Arial, sans-serif;
}
header h1 { font-size: 1.75rem; margin: 0.5rem 0 0.25rem; }
header p, footer { color: #4a4a4a; }
footer { font-size: 0.85rem; margin-top: 3rem; border-top: 1px solid #bbb; padding-top: 1rem; }
h2 {
  font-size: 1.2rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.25rem;
  border-bottom: 1px solid #bbb;
}
h3 {
  font-size: 0.95rem; font-weight: 600; line-height: 1.4; margin: 1.25rem 0 0.35rem;
  color: #333;
}
h4, h5, h6 { font-size: 1.05rem; margin: 0.9rem 0 0.3rem; }
h5, h6 { font-size: 1rem; font-style: italic; }
.layer-awareness { color: #006d7a; }
.layer-connection { color: #8a5a00; }
.layer-compassion { color: #9c1f63; }
.no-layer, .review, .exercise { color: #444; }
.time { color: #555; font-weight: 400; }
.private-mark { color: #555; font-weight: 400; font-style: italic; }
.prompt {
  margin: 0.25rem 0 0.6rem; padding-left: 0.8rem; border-left: 3px solid #bbb;
  font-style: italic; color: #404040; white-space: pre-wrap;
}
.text > :first-child { margin-top: 0; }
.text > :last-child { margin-bottom: 0; }
.text p { margin: 0 0 0.7rem; }
.text blockquote {
  margin: 0.5rem 0; padding-left: 0.8rem; border-left: 3px solid #ccc; color: #333;
}
.text ul, .text ol { padding-left: 1.4rem; margin: 0.4rem 0 0.7rem; }
.text code { font: 0.9em/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.text pre {
  white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4;
  border: 1px solid #ddd; padding: 0.5rem 0.7rem; margin: 0.5rem 0;
}
.text table { border-collapse: collapse; margin: 0.5rem 0; display: block; overflow-x: auto; }
.text th, .text td { border: 1px solid #bbb; padding: 0.2rem 0.5rem; text-align: left; }
.text a { color: #1f1f1f; }
.text hr { border: none; border-top: 1px solid #bbb; }
.private-passage { margin: 0.5rem 0; padding: 0.2rem 0 0.2rem 0.8rem; border-left: 3px solid #777; }
.passage-mark { margin: 0; font: italic 0.8rem system-ui, sans-serif; color: #555; }
.details { margin: 0.4rem 0 0; font-size: 0.85rem; line-height: 1.4; color: #4a4a4a; }
.session .facts { margin: 0.5rem 0; padding-left: 1.2rem; }
.session .facts li { margin: 0.15rem 0; }
.note { margin: 0.5rem 0; padding: 0.5rem 0.8rem; border: 1px solid #bbb; }
.note > :first-child { margin-top: 0; }
.note > :last-child { margin-bottom: 0; }
figure { margin: 1rem 0; }
figcaption { font-size: 0.85rem; color: #4a4a4a; margin-bottom: 0.35rem; }
figure svg { display: block; width: 100%; height: auto; }
.picture svg { max-width: 26rem; }
.moods svg { max-width: 30rem; }
.empty { font-style: italic; color: #4a4a4a; }
@media print {
  @page { margin: 16mm 15mm 18mm; }
  html, body { background: #fff; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .session { break-after: page; }
  .picture svg { max-width: 95mm; }
  .moods svg { max-width: 110mm; }
  figure, .note { break-inside: avoid; }
  .day { break-inside: avoid-page; }
  .entry { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .text p, .prompt { orphans: 3; widows: 3; }
  .text a { text-decoration: none; }
  footer { break-before: avoid; }
}
"""

# Nothing may be fetched: no scripts, images, fonts or frames, not even from the file.
SECURITY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class Session(NamedTuple):
    """The first page, for bringing the journal to a session."""

    first: date
    last: date
    # The person's own words for the session (Markdown), or None.
    note: str | None = None
    # Drawings from ui.paper, already SVG; None leaves them out.
    layers_svg: str | None = None
    mood_svg: str | None = None
    # An exercise's title by its name ("thought-record" → "Thought record").
    exercise_titles: Mapping[str, str] = {}


# Whatever takes the page a piece at a time: a file's write, a list's append.
Write = Callable[[str], object]


def page_head(title: str, *, robots: bool = True) -> list[str]:
    """The page's start up to <body>: the rules that nothing be fetched, and the style."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{SECURITY}">',
        '<meta name="referrer" content="no-referrer">',
        *(['<meta name="robots" content="noindex, nofollow">'] if robots else []),
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]


class Summary:
    """What the first page says of the entries, gathered one entry at a time: so it is
    written before the entries themselves, which are then read once more, one by one,
    and never held all at once."""

    def __init__(self) -> None:
        self.entries = 0  # every entry shown, reviews too
        self.first_day: date | None = None
        self.days: set[date] = set()  # of the pages: entries other than reviews
        self.layer_days: dict[str, set[date]] = {layer: set() for layer in LAYERS}
        self.pages = 0
        self.exercises: Counter[str | None] = Counter()  # by name, in the order first done

    def add(self, entry: Entry) -> None:
        self.entries += 1
        if self.first_day is None:
            self.first_day = entry.day
        if entry.kind == "review":
            return
        self.pages += 1
        self.days.add(entry.day)
        if entry.theme in self.layer_days:
            self.layer_days[entry.theme].add(entry.day)
        if entry.kind == "exercise":
            self.exercises[entry.exercise] += 1

    def facts(self, titles: Mapping[str, str] | None = None) -> list[str]:
        """The period in words: days and entries, each layer written (a layer without a
        day is not named: never a zero), the exercises done."""
        if not self.pages:
            return []
        facts = [f"{count_days(len(self.days))} written, {count_words(self.pages)}"]
        written = [
            f"{layer} on {count_days(len(days))}" for layer, days in self.layer_days.items() if days
        ]
        if written:
            facts.append("By layer: " + ", ".join(written))
        done: Counter[str] = Counter()
        for name, n in self.exercises.items():
            done[exercise_title(name, titles or {})] += n
        if done:
            words = {1: "", 2: " twice"}
            facts.append(
                "Exercises: "
                + ", ".join(f"{name}{words.get(n, f' {n} times')}" for name, n in done.items())
            )
        reviews = self.entries - self.pages
        if reviews:
            facts.append("Looked back on it " + ("once" if reviews == 1 else f"{reviews} times"))
        return facts


def summarise(entries: Iterable[Entry]) -> Summary:
    summary = Summary()
    for entry in entries:
        summary.add(entry)
    return summary


def html_book(
    entries: Sequence[Entry],
    *,
    title: str,
    session: Session,
    exported_on: date,
) -> str:
    """The whole document at once (write_book writes it as it goes)."""
    parts: list[str] = []
    write_book(
        parts.append,
        entries,
        title=title,
        session=session,
        summary=summarise(entries),
        exported_on=exported_on,
    )
    return "".join(parts)


def write_book(
    write: Write,
    entries: Iterable[Entry],
    *,
    title: str,
    session: Session,
    summary: Summary,
    exported_on: date,
) -> int:
    """The document, a piece at a time: the first page for the session (from the
    summary of these entries), then each day with its entries, oldest first, each
    written as soon as it is read. Returns how many entries were written."""
    span = long_day(session.first)
    if session.last != session.first:
        span += f" to {long_day(session.last)}"
    lines = [
        *page_head(f"{title} · {span}"),
        '<section class="session" aria-labelledby="title">',
        "<header>",
        f'<h1 id="title">{escape(title)}</h1>',
        f"<p>{escape(span)}</p>",
        "</header>",
        *session_page(summary, session),
        "</section>",
        "<main>",
    ]
    write("\n".join(lines) + "\n")
    written = 0
    for day, group in groupby(entries, key=lambda entry: entry.day):
        anchor = f"day-{day.isoformat()}"
        write(
            f'<section class="day" aria-labelledby="{anchor}">\n'
            f'<h2 id="{anchor}"><time datetime="{day.isoformat()}">{long_day(day)}</time></h2>\n'
        )
        for entry in group:
            write(html_entry(entry, session.exercise_titles) + "\n")
            written += 1
        write("</section>\n")
    if not written:  # nothing was written since <main>, so this is its first line
        write('<p class="empty">No entries in this stretch of time.</p>\n')
    ending = [
        "</main>",
        "<footer>",
        f"<p>Exported from layers-journal on {long_day(exported_on)}. These are private "
        "pages: keep this file, and any printout, somewhere only you can reach.</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    write("\n".join(ending) + "\n")
    return written


def session_facts(entries: Sequence[Entry], titles: Mapping[str, str] | None = None) -> list[str]:
    """The period in words (Summary.facts) of these entries."""
    return summarise(entries).facts(titles)


def exercise_title(name: str | None, titles: Mapping[str, str]) -> str:
    if not name:
        return "an exercise"
    return titles.get(name) or name.replace("-", " ")


def session_page(summary: Summary, session: Session) -> list[str]:
    parts = []
    facts = summary.facts(session.exercise_titles)
    if facts:
        parts.append('<ul class="facts">')
        parts += [f"<li>{escape(fact)}.</li>" for fact in facts]
        parts.append("</ul>")
    if session.note and session.note.strip():
        parts += [
            '<h2 id="note">What I want to bring up</h2>',
            f'<div class="note text">{markdown_html(session.note, headings_below=2)}</div>',
        ]
    if session.mood_svg:
        parts += [
            '<figure class="moods">',
            "<figcaption>Mood on the days it was noted, 1 heavy to 5 light</figcaption>",
            session.mood_svg,
            "</figure>",
        ]
    if session.layers_svg:
        parts += ['<figure class="picture">', session.layers_svg, "</figure>"]
    return parts


def count_days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def html_entry(entry: Entry, titles: Mapping[str, str] | None = None) -> str:
    local = entry.created_local
    if entry.kind == "review":
        first, last = entry.covers or (None, None)
        covers = f" of {first.day} {first:%b} – {last.day} {last:%b %Y}" if first and last else ""
        mark = f'<span class="review">{REVIEW_MARK} review{escape(covers)}</span>'
    elif entry.theme:
        mark = f'<span class="layer-{entry.theme}">{LAYER_MARKS[entry.theme]} {entry.theme}</span>'
    else:
        mark = '<span class="no-layer">no layer</span>'
    if entry.kind == "exercise":
        name = exercise_title(entry.exercise, titles or {})
        mark += f' · <span class="exercise">exercise: {escape(name)}</span>'
    private = ' · <span class="private-mark">private</span>' if entry.private else ""
    heading = (
        f'<h3><time class="time" datetime="{local.isoformat()}">{local:%H:%M}</time> · {mark}'
        f"{private}</h3>"
    )
    parts = ['<article class="entry">', heading]
    if entry.prompt:
        parts.append(f'<p class="prompt">{escape(entry.prompt)}</p>')
    headings = 2 if entry.kind == "exercise" else 3  # a step's ## sits under the entry
    parts.append(f'<div class="text">{entry_html(entry.text, headings)}</div>')
    details = []
    if entry.mood is not None:
        details.append(f"mood {entry.mood}/5")
    if entry.tags:
        details.append(" ".join(f"#{tag}" for tag in entry.tags))
    if local.date() != entry.day:
        details.append(f"written {long_day(local.date())}")
    if details:
        parts.append(f'<p class="details">{escape(" · ".join(details))}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def entry_html(text: str, headings_below: int = 3) -> str:
    """The text as HTML; private passages still in it (shared with --include-private)
    are marked as such."""
    parts = entry_parts(text)
    if not any(part.private for part in parts):
        return markdown_html(text, headings_below=headings_below)
    out = []
    for part in parts:
        rendered = markdown_html(part.text, headings_below=headings_below)
        if part.private:
            rendered = (
                '<div class="private-passage"><p class="passage-mark">private passage</p>'
                f"{rendered}</div>"
            )
        out.append(rendered)
    return "".join(out)


def picture_page(svg: str, *, title: str) -> str:
    """`journal layers --html`: the picture alone on a page, with the same rules."""
    lines = [
        *page_head(title, robots=False),
        f'<figure class="picture">{svg}</figure>',
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


def count_words(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"
