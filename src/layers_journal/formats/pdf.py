"""`journal export --format pdf`: the html page printed by a browser already installed.

The browser runs headless with a profile of its own in a private folder (0700) that is
removed afterwards, and with flags that stop it from reaching the network at all: no
proxy it could use, no name it could resolve, no background services, updates or sync.
The page itself forbids fetching anything (its Content-Security-Policy). The page and
the printed file live only in that folder, in memory where the system offers it
(/dev/shm), for as long as printing takes; what is returned is the PDF's bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from layers_journal.errors import JournalError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "microsoft-edge")
PRINT_SECONDS = 180
# Nothing fetched, nothing remembered, nothing phoned home.
QUIET_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--no-pings",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
)
NO_BROWSER = (
    "No browser to print with was found (chromium, chromium-browser, google-chrome or "
    "microsoft-edge), so nothing was written; export --format html instead, open that "
    "page in any browser and print it, choosing Save as PDF."
)


def find_browser() -> str | None:
    """The first of the browsers that can print headless found on PATH."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def private_folder() -> str | None:
    """Where the page waits while it prints: memory when the system has it."""
    shm = Path("/dev/shm")  # noqa: S108 (mkdtemp makes a 0700 folder of its own in it)
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def print_pdf(page: str | Callable[[Callable[[str], object]], object], browser: str) -> bytes:
    """The page as a PDF, printed by the browser; JournalError when it could not. The
    page is its text, or what writes it a piece at a time (given the file's write)."""
    with tempfile.TemporaryDirectory(prefix="layers-journal-", dir=private_folder()) as folder:
        root = Path(folder)
        root.chmod(0o700)
        source, target, profile = root / "journal.html", root / "journal.pdf", root / "profile"
        profile.mkdir(mode=0o700)
        descriptor = os.open(source, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            if isinstance(page, str):
                handle.write(page)
            else:
                page(handle.write)
        command = [browser, *QUIET_FLAGS, f"--user-data-dir={profile}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--no-sandbox")  # Chromium will not start as root without it
        command += [f"--print-to-pdf={target}", source.as_uri()]
        environment = {**os.environ, "HOME": str(profile)}
        try:
            done = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=environment,
                timeout=PRINT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise JournalError(
                f"{Path(browser).name} did not finish printing within {PRINT_SECONDS} "
                "seconds, so nothing was written."
            ) from None
        except OSError as error:
            raise JournalError(
                f"{Path(browser).name} could not be started ({error.strerror or error}), "
                "so nothing was written."
            ) from None
        data = target.read_bytes() if target.is_file() else b""
        if not data.startswith(b"%PDF"):
            raise JournalError(
                f"{Path(browser).name} could not print the page (it stopped with code "
                f"{done.returncode}), so nothing was written."
            )
        return data
