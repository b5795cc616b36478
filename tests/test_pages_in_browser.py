"""The html export as a browser shows and prints it, and `journal export --format pdf`.

The page tests run a real headless Chromium (skipped, with the reason, when none is
installed; `.ci/run` installs it where apt can) through its DevTools pipe, at a desktop's
1000 px and a phone's 390 px. Screenshots and printed pages are kept as artefacts: in
the folder LAYERS_JOURNAL_ARTEFACTS names, or under the test's tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers.browser import Browser, find_browser
from helpers.cli import run_cli, run_process
from layers_journal.formats.pdf import NO_BROWSER

BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium, Chrome or Edge on PATH (apt-get install chromium)"
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="pdftotext and pdftoppm are in poppler-utils (apt-get install poppler-utils)",
)

PRIVATE_ENTRY = "Kept-back-entry words about the night of the argument."
PRIVATE_PASSAGE = "Kept-back-passage words naming Robin."
HOSTILE = [
    "<script>alert('script')</script> plain words after a script tag.",
    "<img src=x onerror=alert('img')> words after an image tag.",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe> words after a frame.',
    "[a link that must not run](javascript:alert('link')) and <javascript:alert(2)>.",
    "<div style='position:fixed;inset:0;background:red'>\n\nA raw HTML block.\n\n</div>",
    "<style>body { display: none }</style> words after a style tag.",
    "<a href=\"javascript:alert('a')\">an anchor</a> and <svg onload=alert(3)></svg>.",
]
MARKDOWN = [
    "# Lake day\n\n**Bold** intention: *walk slowly*.\n\n- the water\n- the light\n\n"
    "> Be where your feet are.",
    "## Notes for Thursday\n\n1. sleep\n2. the call with Mum\n\n"
    "| day | felt | slept |\n|---|---|---|\n| Mon | tired and heavy all through | 5 h |\n"
    "| Tue | lighter after the walk by the river | 7 h |\n\n"
    "`breathe in four, out six`\n\n```\nfour in\nsix out\n```",
    "A long link: https://example.org/a/very/long/path/that/goes/on/and/on/without/a/break"
    "/anywhere/at/all and [the poem](https://example.org/poem) and "
    "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung.",
]


def artefacts(tmp_path: Path) -> Path:
    named = os.environ.get("LAYERS_JOURNAL_ARTEFACTS")
    folder = Path(named) if named else tmp_path / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def entry(n: int, text: str, **fields: Any) -> dict[str, Any]:
    day = f"2026-03-{n:02d}"
    return {
        "id": f"{day}-090000-pages{n % 10}",
        "created": f"{day}T09:00:00+01:00",
        "day": day,
        "tz": "Europe/Berlin",
        "theme": ("awareness", "connection", "compassion")[n % 3],
        "prompt_id": None,
        "prompt": "What did your body notice first today?" if n % 2 else None,
        "mood": (n % 5) + 1 if n % 3 else None,
        "tags": ["walk"] if n % 4 == 0 else [],
        "text": text,
        **fields,
    }


def book_document() -> dict[str, Any]:
    texts = [*MARKDOWN, *HOSTILE]
    entries = [entry(n + 2, text) for n, text in enumerate(texts)]
    entries.append(entry(12, PRIVATE_ENTRY, private=True))
    entries.append(entry(13, f"Shared before.\n\n::: private\n{PRIVATE_PASSAGE}\n:::\n\nAfter."))
    entries += [
        entry(n, f"An ordinary page for day {n}, a few quiet sentences about the morning.")
        for n in range(14, 29)
    ]
    return {"format": "layers-journal", "version": 1, "entries": entries, "pauses": []}


SHARED_WORDS = [
    "plain words after a script tag.",
    "A raw HTML block.",
    "Bold intention: walk slowly.",
    "the call with Mum",
    "Shared before.",
    "After.",
    *(f"An ordinary page for day {n}, a few quiet sentences" for n in range(14, 29)),
]
PERIOD = ("--since", "2026-03-01", "--until", "2026-03-31")


@pytest.fixture(scope="module")
def book_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pages") / "home"
    source = home.parent / "book.json"
    source.write_text(json.dumps(book_document()))
    result = run_cli(home, "import", str(source))
    assert result.returncode == 0, result.stderr
    return home


@pytest.fixture(scope="module")
def book_page(book_home: Path) -> Path:
    page = book_home.parent / "book.html"
    result = run_cli(book_home, "export", "--format", "html", "-o", str(page), *PERIOD)
    assert result.returncode == 0, result.stderr
    return page


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    assert BROWSER is not None
    opened = Browser(BROWSER, tmp_path / "profile")
    yield opened
    opened.close()


# What a page's own layout says about its width, asked of the page from DevTools.
LAYOUT = """((width) => {
  const root = document.documentElement;
  const inScroller = (e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')]
    .filter((e) => !inScroller(e) && (e.getBoundingClientRect().right > width + 0.5
      || (e instanceof HTMLElement && e.scrollWidth > e.clientWidth + 1
          && getComputedStyle(e).overflowX === 'visible')))
    .map((e) => e.tagName + '.' + (e.getAttribute('class') || ''));
  const svgText = [...document.querySelectorAll('svg text')]
    .map((t) => t.getBoundingClientRect().height);
  return {scroll: root.scrollWidth, client: root.clientWidth, inner: innerWidth, wide,
          body: parseFloat(getComputedStyle(document.querySelector('.text p')).fontSize),
          smallestSvgText: Math.min(...svgText)};
})"""


def layout(browser: Browser, width: int) -> dict[str, Any]:
    return dict(browser.evaluate(f"{LAYOUT}({width})"))


@needs_browser
def test_the_page_fits_a_phone_and_a_desktop(
    book_page: Path, browser: Browser, tmp_path: Path
) -> None:
    keep = artefacts(tmp_path)
    browser.open(book_page.as_uri(), width=1000)
    desktop = layout(browser, 1000)
    browser.screenshot(keep / "desktop-1000.png")
    browser.open(book_page.as_uri(), width=390, height=844, mobile=True)
    phone = layout(browser, 390)
    browser.screenshot(keep / "phone-390.png")
    # The text fits the phone's width: nothing to scroll sideways, no element past it
    # (a phone widens its viewport to take in a page that does not fit).
    assert phone["inner"] == 390 and phone["scroll"] <= phone["client"] == 390, phone
    assert phone["wide"] == [], phone["wide"]
    assert desktop["scroll"] <= desktop["client"] and desktop["wide"] == [], desktop
    # Readable without zooming: body text at 16 px or more, the picture's at 10 px or more.
    assert phone["body"] >= 16 and phone["smallestSvgText"] >= 10, phone
    for name in ("desktop-1000.png", "phone-390.png"):
        assert (keep / name).read_bytes().startswith(b"\x89PNG")


@needs_browser
def test_the_width_check_itself_sees_a_page_that_does_not_fit(
    browser: Browser, tmp_path: Path
) -> None:
    page = tmp_path / "wide.html"
    page.write_text(
        '<!DOCTYPE html><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<div class="text"><p>words</p></div><pre style="white-space: pre">' + "x" * 300
    )
    browser.open(page.as_uri(), width=390, mobile=True)
    found = layout(browser, 390)
    assert found["scroll"] > 390 and "PRE." in found["wide"], found


# What the DOM Chromium built holds: elements and links, whatever the entry text said.
DOM = """(() => ({
  scripts: document.querySelectorAll('script').length,
  images: document.querySelectorAll('img, picture, image').length,
  frames: document.querySelectorAll('iframe, frame, object, embed').length,
  styles: [...document.querySelectorAll('style')].map((s) => s.parentElement.tagName),
  svgsInEntries: document.querySelectorAll('main svg').length,
  handlers: [...document.querySelectorAll('*')]
    .filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  schemes: [...document.querySelectorAll('[href], [src], [action]')]
    .map((e) => (e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))),
  protocols: [...document.querySelectorAll('a')].map((a) => a.protocol),
  text: document.body.innerText,
  hidden: getComputedStyle(document.body).display,
}))()"""


@needs_browser
def test_hostile_entry_text_never_becomes_markup(book_page: Path, browser: Browser) -> None:
    browser.open(book_page.as_uri(), width=1000)
    dom = browser.evaluate(DOM)
    assert dom["scripts"] == 0 and dom["images"] == 0 and dom["frames"] == 0, dom
    assert dom["styles"] == ["HEAD"] and dom["svgsInEntries"] == 0 and dom["handlers"] == 0
    assert not any(re.match(r"\s*javascript:", link, re.I) for link in dom["schemes"])
    assert set(dom["protocols"]) <= {"https:", "http:", "mailto:"}, dom["protocols"]
    assert dom["hidden"] == "block"
    text = dom["text"]
    assert "<script>alert('script')</script> plain words after a script tag." in text
    assert "<img src=x onerror=alert('img')>" in text
    assert "[a link that must not run](javascript:alert('link'))" in text
    assert "<style>body { display: none }</style>" in text


def pdf_text(pdf: Path, *pages: int) -> str:
    window = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *window, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return " ".join(done.stdout.split())


@needs_browser
@needs_poppler
def test_export_pdf_prints_the_shared_entries_and_no_private_one(
    book_home: Path, tmp_path: Path
) -> None:
    keep = artefacts(tmp_path)
    pdf = tmp_path / "session.pdf"
    result = run_process(book_home, "export", "--format", "pdf", "-o", str(pdf), *PERIOD)
    assert result.returncode == 0, result.stderr
    assert f"Exported 26 entries to {pdf}." in result.stderr
    assert "Left out 1 private entry and 1 private passage" in result.stderr
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600 and pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    for words in SHARED_WORDS:
        assert words in text, words
    assert "Kept-back" not in text and "Robin" not in text
    # The first page is the session's own: the period, the figures, the picture.
    first = pdf_text(pdf, 1)
    assert "Journal" in first and "days written" in first and "Your layers" in first
    assert "An ordinary page" not in first and "Lake day" not in first
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf), str(keep / "printed")],
        check=True,
        timeout=60,
    )
    printed = sorted(keep.glob("printed-*.png"))
    assert len(printed) == 2, printed
    everything = tmp_path / "everything.pdf"
    args = ("-o", str(everything), "--include-private", *PERIOD)
    assert run_process(book_home, "export", "--format", "pdf", *args).returncode == 0
    assert PRIVATE_ENTRY in pdf_text(everything) and PRIVATE_PASSAGE in pdf_text(everything)


@needs_browser
@needs_poppler
@pytest.mark.parametrize(("paper", "size"), [("A4", "(A4)"), ("letter", "(letter)")])
def test_a4_and_letter_both_hold_every_entry(
    book_page: Path, tmp_path: Path, paper: str, size: str
) -> None:
    from layers_journal.formats.pdf import print_pdf

    assert BROWSER is not None
    page = book_page.read_text().replace("@page {", f"@page {{ size: {paper};", 1)
    pdf = tmp_path / f"{paper}.pdf"
    pdf.write_bytes(print_pdf(page, BROWSER))
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert size in info, info
    text = pdf_text(pdf)
    assert all(words in text for words in SHARED_WORDS)


def test_without_a_browser_pdf_says_how_to_print_and_writes_nothing(
    book_home: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    pdf = tmp_path / "session.pdf"
    result = run_process(book_home, "export", "--format", "pdf", "-o", str(pdf), PATH=str(empty))
    assert result.returncode == 1 and result.stderr == NO_BROWSER + "\n", result.stderr
    assert result.stdout == "" and not pdf.exists()


FAKE_BROWSER = """#!{python}
import json, os, pathlib, stat, sys
args = sys.argv[1:]
profile = next(a.split("=", 1)[1] for a in args if a.startswith("--user-data-dir="))
target = next(a.split("=", 1)[1] for a in args if a.startswith("--print-to-pdf="))
page = pathlib.Path(args[-1].removeprefix("file://"))
folder = page.parent
record = {{
    "args": args,
    "folder": oct(stat.S_IMODE(folder.stat().st_mode)),
    "profile": oct(stat.S_IMODE(os.stat(profile).st_mode)),
    "page": oct(stat.S_IMODE(page.stat().st_mode)),
    "home": os.environ["HOME"],
}}
pathlib.Path({record!r}).write_text(json.dumps(record))
if {works}:
    pathlib.Path(target).write_bytes(b"%PDF-1.4 printed")
sys.exit(0 if {works} else 3)
"""


@pytest.mark.parametrize("works", [True, False])
def test_the_browser_is_kept_from_the_network_and_its_folder_goes(
    book_home: Path, tmp_path: Path, works: bool
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "record.json"
    script = folder / "chromium"
    script.write_text(FAKE_BROWSER.format(python=sys.executable, record=str(record), works=works))
    script.chmod(0o755)
    pdf = tmp_path / "session.pdf"
    path = f"{folder}{os.pathsep}{os.environ['PATH']}"
    result = run_process(book_home, "export", "--format", "pdf", "-o", str(pdf), PATH=path)
    seen = json.loads(record.read_text())
    assert seen["folder"] == seen["profile"] == "0o700" and seen["page"] == "0o600"
    args = seen["args"]
    assert "--headless" in args and "--proxy-server=127.0.0.1:9" in args
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in args
    assert "--disable-background-networking" in args and "--no-first-run" in args
    assert seen["home"] == args[args.index(f"--user-data-dir={seen['home']}")].split("=")[1]
    assert not any("ordinary page" in arg for arg in args)  # entry text is never in argv
    assert not Path(args[-1].removeprefix("file://")).parent.exists()  # removed after
    if works:
        assert result.returncode == 0, result.stderr
        assert pdf.read_bytes() == b"%PDF-1.4 printed"
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    else:
        assert result.returncode == 1 and not pdf.exists()
        assert result.stderr == (
            "chromium could not print the page (it stopped with code 3), so nothing was written.\n"
        )
