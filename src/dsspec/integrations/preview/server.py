"""``dsspec preview``: serve the page on 127.0.0.1, rebuild on save, tell open pages to reload.

One thread watches the spec and the files it includes (``watchfiles``); each
change compiles the spec again and bumps the build's generation. Open pages
hold a server-sent-events stream (``/events``) and reload when a build newer
than theirs is announced. The server listens on the loopback interface only.
"""

from __future__ import annotations

import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import watchfiles

from dsspec.integrations.preview import page
from dsspec.compiler.outputs import DEFAULT_VIEW, compile_spec

HOST = "127.0.0.1"
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so a closed page is noticed."""
TIMEOUT = 10.0
"""Seconds a connection may take to send its request (or to take a write): a slow client is dropped."""
MAX_CONNECTIONS = 32
"""Connections served at once; one more is closed at once, so no client can make a thread per connection."""
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""The ``Host`` names a page of this server is loaded under; any other is a DNS-rebinding page, refused."""
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
"""The policy of every answer but the page: nothing loads or runs."""


def page_policy(nonce: str) -> str:
    """Return the page's ``Content-Security-Policy``: only its own inline script and style (by ``nonce``) run,
    inline ``style=""`` attributes (the diagrams') apply, and it talks to this server only."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src-elem 'nonce-{nonce}'; "
            "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def whole(text: str, default: int = 0) -> int:
    """Return ``text`` as a whole number when it is 1 to 18 ASCII digits, else ``default`` (never raises:
    ``²`` is a digit to ``str.isdigit`` but not to ``int``)."""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else default


class Preview:
    """The latest build of one spec, and a condition that wakes the event streams on each new one."""

    def __init__(self, spec: Path):
        self.spec = spec
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.build = self.compile(1)

    def compile(self, generation: int) -> page.Build:
        return page.make(generation, compile_spec(self.spec), self.spec.stem)

    def rebuild(self) -> None:
        """Compile the spec again and wake every open page."""
        fresh = self.compile(self.build.generation + 1)
        with self.changed:
            self.build = fresh
            self.changed.notify_all()

    def watched(self) -> set[Path]:
        """Return the files whose change rebuilds: the spec and every file it includes."""
        from dsspec.compiler.lint.config import find_config

        files = {self.spec.resolve()}
        config = find_config(self.spec)
        if config is not None:  # an edited configuration rebuilds too (compile_spec reads it again)
            files.add(config.resolve())
        r = self.build.result.resolved
        for inc in (r.included if r is not None else []):
            files.add(Path(inc.path).resolve())
        return files

    def watch(self) -> None:
        """Rebuild whenever a watched file changes, until ``stopping`` is set."""
        while not self.stopping.is_set():
            files = self.watched()
            folders = sorted({str(f.parent) for f in files})
            for changes in watchfiles.watch(*folders, stop_event=self.stopping, debounce=100, step=20,
                                            watch_filter=lambda _, p: Path(p).resolve() in files):
                self.rebuild()
                print(f"rebuilt {self.spec} (build {self.build.generation}): "
                      f"{len(self.build.result.diagnostics)} findings", flush=True)
                if self.watched() != files:
                    break  # includes changed: watch the new set


def handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        timeout = TIMEOUT  # applied to the connection's socket: reads and writes

        def log_message(self, *args):  # keep the terminal for rebuild notices
            pass

        def local(self) -> bool:
            """Return whether the request names this server as loopback (``Host``), as a page of it does."""
            port = self.server.server_address[1]
            host = (self.headers.get("Host") or "").strip().lower()
            return host in {f"{name}:{port}" for name in LOCAL_NAMES} | (set(LOCAL_NAMES) if port == 80 else set())

        def do_GET(self):
            if not self.local():
                self.reply(421, "text/plain; charset=utf-8", b"this preview answers only to 127.0.0.1 and localhost\n")
                return
            url = urlparse(self.path)
            if url.path == "/":
                nonce = secrets.token_urlsafe(18)
                body = page.render(preview.build, preview.spec.name, nonce).encode("utf-8")
                self.reply(200, "text/html; charset=utf-8", body, page_policy(nonce))
            elif url.path == f"/{preview.spec.stem}.svg":  # the diagram the documents show
                drawn = preview.build.diagrams.get(DEFAULT_VIEW, "")
                self.reply(200, "image/svg+xml", drawn.encode("utf-8"))
            elif url.path == "/events":
                self.events(whole(parse_qs(url.query).get("since", ["0"])[0]))
            else:
                self.reply(404, "text/plain; charset=utf-8", b"not found\n")

        def reply(self, status: int, kind: str, body: bytes, policy: str = SVG_POLICY) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.headers_for(policy)
            self.wfile.write(body)

        def headers_for(self, policy: str) -> None:
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()

        def events(self, since: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.headers_for(SVG_POLICY)
            try:
                while not preview.stopping.is_set():
                    with preview.changed:
                        if preview.build.generation <= since:
                            preview.changed.wait(KEEPALIVE)
                        generation = preview.build.generation
                    if generation > since:
                        self.wfile.write(f"event: build\ndata: {generation}\n\n".encode())
                        since = generation
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except OSError:
                pass  # the page went away

    return Handler


class Server(ThreadingHTTPServer):
    """A thread per connection, at most ``MAX_CONNECTIONS`` at once: one more is closed unanswered."""

    daemon_threads = True

    def __init__(self, address, handler_class, limit: int = MAX_CONNECTIONS):
        super().__init__(address, handler_class)
        self.slots = threading.BoundedSemaphore(limit)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def serve(spec: Path, port: int, open_browser: bool = False) -> None:
    """Serve the preview of ``spec`` on 127.0.0.1:``port`` (0 picks a free port) until interrupted."""
    preview = Preview(spec)
    httpd = Server((HOST, port), handler(preview))
    url = f"http://{HOST}:{httpd.server_address[1]}/"
    threading.Thread(target=preview.watch, daemon=True).start()
    print(f"serving the preview of {spec} at {url} (Ctrl-C stops)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        httpd.server_close()
