"""A headless Chromium driven over its DevTools pipe, for the tests that look at pages.

Headless windows are never narrower than 500 px, so a phone's 390 px is set the way
DevTools sets it (Emulation.setDeviceMetricsOverride), and what the page's own layout
gives (its scroll width, its elements) is asked of the page as it is, CSP and all:
DevTools' Runtime.evaluate is not a script of the page. The pipe (--remote-debugging-pipe,
file descriptors 3 and 4) opens no port.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from layers_journal.formats.pdf import QUIET_FLAGS, find_browser

__all__ = ["Browser", "find_browser"]


class Browser:
    def __init__(self, executable: str, profile: Path) -> None:
        profile.mkdir(mode=0o700, parents=True, exist_ok=True)
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def wire() -> None:  # the browser reads fd 3 and writes fd 4
            reading, writing = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        # --no-pdf-header-footer is for --print-to-pdf; under DevTools it crashes the page.
        flags = [flag for flag in QUIET_FLAGS if flag != "--no-pdf-header-footer"]
        command = [executable, *flags, f"--user-data-dir={profile}"]
        command += ["--remote-debugging-pipe", "--hide-scrollbars"]
        if os.geteuid() == 0:
            command.append("--no-sandbox")
        self.process = subprocess.Popen(
            [*command, "about:blank"],
            preexec_fn=wire,  # tests only: the pipes must sit at fds 3 and 4
            pass_fds=(3, 4),  # kept open after wire() put the pipes there
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(profile)},
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        page = self.call("Target.createTarget", url="about:blank")["targetId"]
        attached = self.call("Target.attachToTarget", targetId=page, flatten=True)
        self.session = attached["sessionId"]

    def send(self, method: str, session: str | None, **params: Any) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.next_id

    def receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise EOFError("the browser closed its pipe")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return dict(json.loads(message))

    def call(self, method: str, *, page: bool = False, **params: Any) -> dict[str, Any]:
        wanted = self.send(method, self.session if page else None, **params)
        deadline = time.monotonic() + 60
        while True:
            message = self.receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            for n, message in enumerate(self.events):
                if message.get("method") == event:
                    del self.events[: n + 1]
                    return
            self.events.append(self.receive(deadline))

    def open(self, url: str, *, width: int, height: int = 900, mobile: bool = False) -> None:
        """The page at this viewport width, loaded and laid out."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            page=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.call("Page.enable", page=True)
        self.events.clear()
        self.call("Page.navigate", page=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", page=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def screenshot(self, target: Path, *, full_page: bool = True) -> Path:
        shot = self.call(
            "Page.captureScreenshot", page=True, format="png", captureBeyondViewport=full_page
        )
        target.write_bytes(base64.b64decode(shot["data"]))
        return target

    def close(self) -> None:
        """Ask the browser to leave, and make sure it has."""
        try:
            self.send("Browser.close", None)
            os.close(self.to_browser)  # a closed pipe also ends it
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self.from_browser)
