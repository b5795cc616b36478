"""`journal export --format html` and the filters on exports; the page in a real browser."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import stat
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from helpers.cli import run_cli
from helpers.documents import year_document

YEAR = date.today().year - 1
TRICKY = (
    '<script>alert("x")</script> & <img src=x onerror=alert(1)> '
    "</p></article><a href='https://example.org'>link</a> 日本語 🎉"
)


@pytest.fixture(scope="module")
def year_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    home = tmp_path_factory.mktemp("book") / "home"
    document = year_document(YEAR, seed=5)
    document["entries"][40]["text"] = TRICKY
    document["entries"][40]["tags"] = ["x<y"]
    document["entries"][40]["prompt"] = 'A prompt with "quotes" & <b>tags</b>'
    source = home.parent / "year.json"
    source.write_text(json.dumps(document))
    result = run_cli(home, "import", str(source))
    assert result.returncode == 0, result.stderr
    return home, document


class Elements(HTMLParser):
    """Every element and attribute name in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def export_html(home: Path, target: Path, *args: str) -> str:
    result = run_cli(home, "export", "--format", "html", "--output", str(target), *args)
    assert result.returncode == 0, result.stderr
    return target.read_text(encoding="utf-8")


def in_range(document: dict[str, Any], since: str, until: str) -> list[dict[str, Any]]:
    return [e for e in document["entries"] if since <= e["day"] <= until]


def test_the_page_is_private_self_contained_and_escaped(
    year_home: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    home, document = year_home
    page = export_html(home, tmp_path / "journal.html")
    assert stat.S_IMODE((tmp_path / "journal.html").stat().st_mode) == 0o600
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert '<meta name="viewport"' in page and "Content-Security-Policy" in page
    # Nothing to run and nothing to fetch: only these elements and attributes.
    found = Elements()
    found.feed(page)
    assert found.tags <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
        "main", "section", "figure", "figcaption", "span", "time", "article", "footer",
        "div", "ul", "li", "br", "svg", "text", "rect", "line", "circle",
    }, found.tags  # fmt: skip
    assert found.attributes <= {
        "lang", "charset", "name", "content", "http-equiv", "class", "id", "aria-labelledby",
        "datetime", "xmlns", "viewbox", "width", "height", "role", "aria-label", "font-family",
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "fill", "fill-opacity",
        "stroke", "stroke-width", "font-size", "font-weight", "font-style", "text-anchor",
    }, found.attributes  # fmt: skip
    assert page.count("<style>") == 1 and "<script" not in page
    styles = page.split("<style>")[1].split("</style>")[0]
    assert "url(" not in styles and "@import" not in styles
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "#x&lt;y" in page and "&lt;b&gt;tags&lt;/b&gt;" in page
    # Every entry is there, each once, with its words.
    assert page.count('<article class="entry">') == len(document["entries"])
    text = html.unescape(page)
    for entry in document["entries"]:
        assert entry["text"] in text
    # The first page: the period in words, the mood, the layers picture, then the days.
    assert page.index('<figure class="picture">') < page.index('<section class="day"')
    assert "Your layers" in page and "days written, " in page and "By layer: awareness on" in page
    assert '<figure class="moods">' in page


def test_filters_choose_the_entries_for_markdown_and_html(
    year_home: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    home, document = year_home
    since, until = f"{YEAR}-03-01", f"{YEAR}-03-31"
    chosen = [
        e
        for e in in_range(document, since, until)
        if e["theme"] == "compassion" and "walk" in [t.lower() for t in e["tags"]]
    ]
    assert chosen
    args = ("--since", since, "--until", until, "--theme", "compassion", "--tag", "walk")
    page = export_html(home, tmp_path / "march.html", *args)
    assert page.count('<article class="entry">') == len(chosen)
    for entry in chosen:
        assert html.escape(entry["text"], quote=False) in page
    markdown = run_cli(home, "export", "--format", "markdown", *args)
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.count("\n### ") == len(chosen)
    assert all(entry["text"] in markdown.stdout for entry in chosen)
    other = [e for e in document["entries"] if e not in chosen]
    assert not any(f"\n{e['text']}\n" in markdown.stdout for e in other)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--format", "json", "--since", "2026-01-01"), "go with --format markdown, html or pdf"),
        (("--format", "markdown", "--note", "x.md"), "--note goes with --format html or pdf"),
        (("--format", "html", "--note", "missing.md"), "--note missing.md cannot be read"),
        (("--format", "html", "--since", "soon"), "--since: 'soon' is not a date"),
        (
            ("--format", "markdown", "--since", "2026-02-01", "--until", "2026-01-01"),
            "--until is before --since",
        ),
        (("--format", "html", "--split", "--output", "x"), "--split goes with --format markdown"),
        (("--format", "html", "--tag", "two words"), "is not a tag"),
    ],
)
def test_filters_that_cannot_work_are_refused(
    journal_home: Path, args: tuple[str, ...], words: str
) -> None:
    result = run_cli(journal_home, "export", *args)
    assert result.returncode == 2 and words in result.stderr, result.stderr


def test_an_empty_stretch_still_makes_a_page(journal_home: Path, tmp_path: Path) -> None:
    page = export_html(journal_home, tmp_path / "empty.html")
    assert "No entries in this stretch of time." in page and "</html>" in page


# --- in a real browser ------------------------------------------------------------------

BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def find_browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_browser(browser: str, profile: Path, *args: str) -> None:
    env = {**os.environ, "HOME": str(profile)}
    result = subprocess.run(
        [browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def test_the_page_renders_and_prints_in_a_headless_browser(
    year_home: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    browser = find_browser()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    home, document = year_home
    since, until = f"{YEAR}-04-01", f"{YEAR}-05-31"
    page = tmp_path / "book.html"
    export_html(home, page, "--since", since, "--until", until)
    chosen = in_range(document, since, until)
    days = len({e["day"] for e in chosen})

    screenshot = tmp_path / "phone.png"
    run_browser(
        browser,
        tmp_path / "profile-1",
        "--window-size=412,915",
        f"--screenshot={screenshot}",
        page.as_uri(),
    )
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 10_000

    pdf = tmp_path / "book.pdf"
    run_browser(browser, tmp_path / "profile-2", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data)
    # Several days to a page, each day kept whole where it fits.
    assert 2 <= pages <= days // 2, (pages, days)
    if shutil.which("pdftotext") is None:
        pytest.skip(f"printed {pages} pages; pdftotext (poppler-utils) is needed to read them")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    flat = " ".join(text.split())
    for entry in chosen:
        assert " ".join(entry["text"].split()) in flat, entry["id"]
    assert "Your layers" in flat
    if os.environ.get("LAYERS_JOURNAL_KEEP_BOOK"):  # to look at the pictures by hand
        keep = Path(os.environ["LAYERS_JOURNAL_KEEP_BOOK"])
        keep.mkdir(parents=True, exist_ok=True)
        for made in (page, screenshot, pdf):
            shutil.copy(made, keep / made.name)
