"""Entry Markdown in the html export: each construct rendered, nothing becoming markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.cli import run_cli
from layers_journal.formats.prose import markdown_html, safe_link


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Headings sit under the day (h2) and the entry (h3): # is h4, and none past h6.
        ("# Lake day", "<h4>Lake day</h4>"),
        ("## Later", "<h5>Later</h5>"),
        ("### Deeper\n\n#### Deepest", "<h6>Deeper</h6> <h6>Deepest</h6>"),
        ("Lake day\n===", "<h4>Lake day</h4>"),
    ],
)
def test_headings_are_demoted_under_the_days_heading(text: str, expected: str) -> None:
    assert flat(markdown_html(text)) == expected


def test_emphasis_strong_and_struck() -> None:
    html = markdown_html("**Bold** intention, *soft* and _also soft_, ~~struck~~")
    assert html == (
        "<p><strong>Bold</strong> intention, <em>soft</em> and <em>also soft</em>, "
        "<s>struck</s></p>\n"
    )


def test_lists_ordered_unordered_and_nested() -> None:
    html = flat(markdown_html("- tea\n- a walk\n  - by the lake\n\n1. first\n2. second"))
    assert html == (
        "<ul> <li>tea</li> <li>a walk <ul> <li>by the lake</li> </ul> </li> </ul> "
        "<ol> <li>first</li> <li>second</li> </ol>"
    )


def test_quotes() -> None:
    html = flat(markdown_html("> What would I say\n> to a friend?\n\nThen this."))
    assert html == (
        "<blockquote> <p>What would I say<br /> to a friend?</p> </blockquote> <p>Then this.</p>"
    )


def test_code_inline_and_fenced_keep_their_text_escaped() -> None:
    html = markdown_html("Typed `ls -la` once.\n\n```\nif x < 3 and <b>:\n```")
    assert "<code>ls -la</code>" in html
    assert "<pre><code>if x &lt; 3 and &lt;b&gt;:\n</code></pre>" in html


def test_tables() -> None:
    html = flat(markdown_html("| day | felt |\n|---|---|\n| Mon | tired |\n| Tue | *lighter* |"))
    assert html == (
        "<table> <thead> <tr> <th>day</th> <th>felt</th> </tr> </thead> <tbody> "
        "<tr> <td>Mon</td> <td>tired</td> </tr> <tr> <td>Tue</td> <td><em>lighter</em></td> "
        "</tr> </tbody> </table>"
    )


def test_links_to_the_web_and_mail_only() -> None:
    html = markdown_html(
        "[a poem](https://example.org/poem) <mailto:me@example.org> [plain](http://example.org)"
    )
    assert '<a href="https://example.org/poem" rel="noopener noreferrer">a poem</a>' in html
    assert '<a href="mailto:me@example.org" rel="noopener noreferrer">' in html
    assert '<a href="http://example.org" rel="noopener noreferrer">plain</a>' in html


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "<javascript:alert(1)>",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox)",
        "[x](file:///etc/passwd)",
        "[x](notes.html)",
        "[x](#top)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_other_links_stay_the_words_they_were(link: str) -> None:
    html = markdown_html(link)
    assert "<a " not in html and "href" not in html, html


def test_the_link_check_itself() -> None:
    assert safe_link("https://example.org") and safe_link("MAILTO:me@example.org")
    assert not safe_link("javascript:alert(1)") and not safe_link("//example.org")


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body { display: none }</style>",
    "<div onclick=alert(1)>\n\nraw block\n\n</div>",
    "<svg onload=alert(1)>",
    "![photo](https://example.org/track.png)",
    "<a href='javascript:alert(1)'>click</a>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_raw_html_and_images_stay_text(text: str) -> None:
    html = markdown_html(text)
    assert re.search(r"<(script|img|iframe|style|div|svg|object|embed)\b", html) is None, html
    assert "javascript:" not in html.split("&lt;")[0]
    assert "&lt;" in html or "photo" in html


def test_line_breaks_are_kept_as_typed() -> None:
    assert markdown_html("one\ntwo") == "<p>one<br />\ntwo</p>\n"


DAYONE_TEXT = (
    "# Lake day\n\n**Bold** intention\\: breathe out first\\.\n\n- the water\n- the light\n\n"
    "> Be where your feet are\\.\n\nWalked 3\\.5 km \\(slowly\\)\\! See "
    "[the map](https://example.org/map)\\."
)


def test_day_one_markdown_renders_once_its_escapes_are_undone(
    journal_home: Path, tmp_path: Path
) -> None:
    document = {
        "metadata": {"version": "1.0"},
        "entries": [
            {
                "uuid": "0F1E2D3C4B5A69788796A5B4C3D2E1F0",
                "creationDate": "2026-03-14T09:30:00Z",
                "timeZone": "Europe/Berlin",
                "text": DAYONE_TEXT,
                "tags": ["lake"],
            }
        ],
    }
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps(document))
    imported = run_cli(journal_home, "import", str(source), "--format", "dayone")
    assert imported.returncode == 0, imported.stderr
    page = tmp_path / "dayone.html"
    result = run_cli(journal_home, "export", "--format", "html", "--output", str(page))
    assert result.returncode == 0, result.stderr
    html = flat(page.read_text())
    assert "<h4>Lake day</h4>" in html
    assert "<strong>Bold</strong> intention: breathe out first." in html
    assert "<ul> <li>the water</li> <li>the light</li> </ul>" in html
    assert "<blockquote> <p>Be where your feet are.</p> </blockquote>" in html
    assert "Walked 3.5 km (slowly)! See" in html
    assert '<a href="https://example.org/map" rel="noopener noreferrer">the map</a>.' in html
    assert "\\" not in html.split("<main>")[1]
