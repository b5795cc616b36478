"""`journal export --format html`: the journal as one self-contained, printable page.

One file with its own style sheet and nothing else: no scripts, no fonts or images to
fetch (a Content-Security-Policy forbids any), so it opens the same on a phone, in any
browser offline, and prints to PDF with days kept whole where they fit and entries never
cut across pages. Every piece of text from the journal is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from itertools import groupby

from layers_journal.folder.entries import Entry

LAYER_MARKS = {"awareness": "●", "connection": "◆", "compassion": "♥"}
REVIEW_MARK = "❖"

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 44rem; padding: 1.25rem 1rem 3rem;
  font: 1.0625rem/1.6 Georgia, "DejaVu Serif", "Times New Roman", serif;
  color: #1f1f1f; background: #fff;
}
header h1 { font-size: 1.75rem; margin: 0.5rem 0 0.25rem; }
header p, footer { color: #4a4a4a; font-family: system-ui, "DejaVu Sans", sans-serif; }
footer { font-size: 0.85rem; margin-top: 3rem; border-top: 1px solid #ccc; padding-top: 1rem; }
h2 {
  font-size: 1.2rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.25rem;
  border-bottom: 1px solid #d0d0d0;
}
h3 {
  font: 600 0.95rem/1.4 system-ui, "DejaVu Sans", sans-serif;
  margin: 1.25rem 0 0.35rem; color: #333;
}
.layer-awareness { color: #006d7a; }
.layer-connection { color: #8a5a00; }
.layer-compassion { color: #9c1f63; }
.no-layer, .review { color: #444; }
.time { color: #555; font-weight: 400; }
.prompt {
  margin: 0.25rem 0 0.6rem; padding-left: 0.8rem; border-left: 3px solid #c8c8c8;
  font-style: italic; color: #404040; white-space: pre-wrap;
}
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
h4.step { font: 600 0.85rem/1.4 system-ui, "DejaVu Sans", sans-serif; margin: 0.7rem 0 0.2rem; }
.details {
  margin: 0.4rem 0 0; font: 0.85rem/1.4 system-ui, "DejaVu Sans", sans-serif; color: #4a4a4a;
}
.layers figure { margin: 0; }
.layers figcaption { margin-bottom: 0.5rem; }
.picture {
  margin: 0; padding: 0.75rem; overflow-x: auto; background: #fff;
  border: 1px solid #ddd; border-radius: 4px; white-space: pre;
  font: clamp(5px, 1.55vw, 13px)/1.25 "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
.empty { font-style: italic; color: #4a4a4a; }
@media print {
  @page { margin: 16mm 15mm 18mm; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .picture { font-size: 8.5pt; overflow: visible; border: none; padding: 0; }
  .layers { break-inside: avoid; }
  .day { break-inside: avoid-page; }
  .entry { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .text, .prompt, p { orphans: 3; widows: 3; }
  footer { break-before: avoid; }
}
"""

# Nothing may be fetched: no scripts, images, fonts or frames, not even from the file.
SECURITY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def html_book(
    entries: Sequence[Entry],
    *,
    title: str,
    span: str,
    picture: str | None,
    picture_caption: str,
    exported_on: date,
) -> str:
    """The whole document: a header, the layers picture (Rich's HTML, already escaped),
    then each day with its entries, oldest first."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{SECURITY}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="robots" content="noindex, nofollow">',
        f"<title>{escape(title)} · {escape(span)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(span)} · {count_words(len(entries))}</p>",
        "</header>",
        "<main>",
    ]
    if picture is not None:
        parts += [
            '<section class="layers" aria-labelledby="layers">',
            '<h2 id="layers">Your layers</h2>',
            "<figure>",
            f"<figcaption>{escape(picture_caption)}</figcaption>",
            f'<pre class="picture">{picture}</pre>',
            "</figure>",
            "</section>",
        ]
    if not entries:
        parts.append('<p class="empty">No entries in this stretch of time.</p>')
    for day, group in groupby(entries, key=lambda entry: entry.day):
        anchor = f"day-{day.isoformat()}"
        parts += [
            f'<section class="day" aria-labelledby="{anchor}">',
            f'<h2 id="{anchor}"><time datetime="{day.isoformat()}">{long_day(day)}</time></h2>',
        ]
        parts += [html_entry(entry) for entry in group]
        parts.append("</section>")
    parts += [
        "</main>",
        "<footer>",
        f"<p>Exported from layers-journal on {long_day(exported_on)}. These are private "
        "pages: keep this file, and any printout, somewhere only you can reach.</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def count_words(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


def exercise_sections(text: str) -> list[str]:
    """An exercise's steps: each `## Title` a small heading over its words."""
    import re

    before, *sections = re.split(r"(?m)^## ", text)
    parts = [f'<p class="text">{escape(before.strip())}</p>'] if before.strip() else []
    for section in sections:
        title, _, words = section.partition("\n")
        parts.append(f'<h4 class="step">{escape(title.strip())}</h4>')
        if words.strip():
            parts.append(f'<p class="text">{escape(words.strip())}</p>')
    return parts


def html_entry(entry: Entry) -> str:
    local = entry.created_local
    if entry.kind == "review":
        first, last = entry.covers or (None, None)
        covers = f" of {first.day} {first:%b} – {last.day} {last:%b %Y}" if first and last else ""
        mark = f'<span class="review">{REVIEW_MARK} review{escape(covers)}</span>'
    elif entry.theme:
        mark = f'<span class="layer-{entry.theme}">{LAYER_MARKS[entry.theme]} {entry.theme}</span>'
        if entry.kind == "exercise":
            mark += " · exercise"
    else:
        mark = '<span class="no-layer">no layer</span>'
    heading = (
        f'<h3><time class="time" datetime="{local.isoformat()}">{local:%H:%M}</time> · {mark}</h3>'
    )
    parts = ['<article class="entry">', heading]
    if entry.prompt:
        parts.append(f'<p class="prompt">{escape(entry.prompt)}</p>')
    if entry.kind == "exercise":
        parts += exercise_sections(entry.text)
    else:
        parts.append(f'<p class="text">{escape(entry.text)}</p>')
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
