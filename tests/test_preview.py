"""`dsspec preview` in a real headless Chromium: open the page, edit the spec, see the page change.

The browser is Debian's `chromium` (.ci/run installs it), driven over the
DevTools protocol on a pipe (``--remote-debugging-pipe``), so no driver and no
browser download are needed. Without the program the browser test is skipped (outside CI).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from external import require

pytest.importorskip("watchfiles")  # in the test extra

SPEC = """\
product fraud_scoring {
  title  "Card fraud scoring"
  owner  "risk-ds@example.com"
}

operator {
  latency p99 <= 80ms
  budget  $6k/month
}

source payments {
  kind stream
}

input payment {
  from     payments
  known_at request
}

output fraud_score {
  type probability
}

model scorer {
  task   binary_classification
  reads  payment
  writes fraud_score
}

audience pm { gets [summary, goals] }
"""

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture
def preview(tmp_path: Path):
    """Start `dsspec preview` on a free port; yield ``(url, spec path)``."""
    (tmp_path / "dsspec.toml").write_text("")
    spec = tmp_path / "fraud.dsspec"
    spec.write_text(SPEC)
    proc = subprocess.Popen([sys.executable, "-m", "dsspec", "preview", str(spec), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert m, line + proc.stderr.read()
        yield m.group(), spec
    finally:
        proc.terminate()
        proc.wait(10)


def test_page_serves_views_findings_and_documents(preview):
    url, _ = preview
    page = urllib.request.urlopen(url, timeout=10).read().decode()
    assert '<section class="diagram" data-view="system"><svg' in page
    assert 'data-view="system">system</a>' in page
    assert re.search(r'<li class="warning"><a href="#L\d+">\d+:\d+</a> warning\[DS\d+\]', page)
    assert '<span id="L7" class="line"><span class="no">7</span>  latency p99 &lt;= 80ms' in page
    assert "<summary>fraud.pm.md</summary>" in page
    assert urllib.request.urlopen(url + "fraud.svg", timeout=10).read().startswith(b"<svg")  # the documents' image


def test_an_included_file_is_watched_too(tmp_path: Path):
    (tmp_path / "dsspec.toml").write_text("")
    lib = tmp_path / "sources.dsspec"
    lib.write_text("source payments {\n  kind stream\n}\n")
    spec = tmp_path / "fraud.dsspec"
    spec.write_text('include "sources.dsspec"\n\n' + SPEC.replace("source payments {\n  kind stream\n}\n", ""))
    proc = subprocess.Popen([sys.executable, "-m", "dsspec", "preview", str(spec), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline()).group()
        fetch = lambda: urllib.request.urlopen(url, timeout=10).read().decode()  # noqa: E731
        assert "unknown source" not in fetch()
        lib.write_text("source card_payments {\n  kind stream\n}\n")
        page = wait_for(lambda: (lambda p: p if 'data-generation="2"' in p else None)(fetch()))
        assert page and "unknown source `payments`; did you mean `card_payments`?" in page
    finally:
        proc.terminate()
        proc.wait(10)


def test_documents_show_spec_text_as_text(tmp_path: Path):
    from dsspec.integrations.preview import page
    from dsspec.compiler.outputs import compile_spec

    (tmp_path / "dsspec.toml").write_text("")
    spec = tmp_path / "x.dsspec"
    spec.write_text(SPEC.replace('"Card fraud scoring"', '"Card <script>alert(1)</script> scoring"'))
    shown = page.render(page.make(1, compile_spec(spec), "x"), "x.dsspec")
    assert "<script>alert" not in shown and "Card &lt;script&gt;alert(1)&lt;/script&gt; scoring" in shown


class DevTools:
    """A Chromium driven over the DevTools protocol on a pipe (file descriptors 3 and 4 of the browser)."""

    def __init__(self, profile: Path):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        chromium = require("chromium", "chromium-browser", why="the preview is tested in a real browser")
        self.proc = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                                      "about:blank"], preexec_fn=fds, pass_fds=(3, 4),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.from_browser, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply["result"]

    def open(self, url: str) -> str:
        target = self.send("Target.createTarget", url=url)["targetId"]
        return self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def evaluate(self, session: str, expression: str):
        return self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.to_browser)
        os.close(self.from_browser)


def wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return check()


def test_edit_the_spec_and_the_page_in_chromium_changes(preview, tmp_path: Path):
    url, spec = preview
    browser = DevTools(tmp_path / "profile")
    try:
        page = browser.open(url)
        text = lambda: browser.evaluate(page, "document.body ? document.body.innerText : ''") or ""  # noqa: E731
        assert wait_for(lambda: "Card fraud scoring" in text()), text()
        generation = lambda: browser.evaluate(page, "document.body && document.body.dataset.generation")  # noqa: E731
        assert generation() == "1"
        # the system view is the one shown (the page's script ran under its Content-Security-Policy); the
        # diagram is drawn, and the page's own style applies (its nonce matches the policy's)
        assert browser.evaluate(page, "document.querySelector('section.diagram.on svg') !== null")
        assert browser.evaluate(page, "getComputedStyle(document.querySelector('header')).backgroundColor") \
            == "rgb(34, 34, 51)"
        assert "did you mean `latency`" not in text()

        spec.write_text(SPEC.replace("  latency p99", "  latncy p99"))  # save a typo
        assert wait_for(lambda: generation() == "2"), generation()
        assert wait_for(lambda: "did you mean `latency`" in text()), text()
        link = browser.evaluate(page, "Array.from(document.querySelectorAll('#findings li.error'))"
                                      ".find(li => li.textContent.includes('latncy')).querySelector('a').getAttribute('href')")
        assert link == "#L7"   # the finding links to its line in the source listing

        spec.write_text(SPEC.replace('"Card fraud scoring"', '"Card fraud scoring, second draft"'))
        assert wait_for(lambda: "second draft" in text()), text()
        assert "did you mean `latency`" not in text()
    finally:
        browser.close()
