"""``dsspec preview``: serve the page on 127.0.0.1, rebuild on save, tell open pages to reload.

One thread watches the spec and the files it includes (``watchfiles``); each
change compiles the spec again and bumps the build's generation. Open pages
hold a server-sent-events stream (``/events``) and reload when a build newer
than theirs is announced. The server listens on the loopback interface only.
"""

from __future__ import annotations

import io
import re
import secrets
import threading
import time
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
"""Seconds one read or write of a connection may wait: a client that stops is dropped."""
REQUEST_DEADLINE = 10.0
"""Seconds a connection has to send its whole request (request line and headers), however it trickles them:
a client sending a byte every few seconds is dropped too, so no one holds a slot of ``MAX_CONNECTIONS``."""
STREAM_LIFETIME = 300.0
"""Seconds an event stream is held before the server ends it; the page's ``EventSource`` reconnects at once
(with its build, so a build it missed is announced), so open pages cannot hold every slot for ever."""
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
        self.instance = secrets.token_hex(8)
        """This server's own name: a page's event stream that names another (a page left open across a
        restart) is told to reload at once, whatever its build number says."""
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


class _Deadline(io.RawIOBase):
    """A connection's bytes, each read bounded by what is left of the request's deadline: the socket's own
    timeout bounds one read only, and a client trickling a byte at a time never reaches it."""

    def __init__(self, handler):
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.handler.until - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request was not sent within its deadline")
        self.handler.connection.settimeout(min(left, self.handler.timeout))
        return self.handler.connection.recv_into(buffer)


def handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        timeout = TIMEOUT  # applied to the connection's socket: reads and writes
        deadline = REQUEST_DEADLINE   # the whole request, read by ``_Deadline``
        lifetime = STREAM_LIFETIME
        error_content_type = "text/plain; charset=utf-8"
        default_request_version = "HTTP/1.0"   # a request whose version is missing or unreadable is still
                                               # answered with a status line and headers (0.9: a bare body)

        def setup(self):
            super().setup()
            self.until = time.monotonic() + self.deadline
            self.rfile = io.BufferedReader(_Deadline(self))

        def parse_request(self) -> bool:
            parsed = super().parse_request()
            self.connection.settimeout(self.timeout)   # read whole: writes get the socket's own timeout
            return parsed

        def log_message(self, *args):  # keep the terminal for rebuild notices
            pass

        def send_error(self, code, message=None, explain=None):
            """Answer an error as every answer: plain text, with the security headers (the standard library's
            own is HTML without them). Used for 400, 414, 431, 501 (a method other than GET) and the like."""
            short, _ = self.responses.get(code, ("error", ""))
            body = f"{code} {message or short}\n".encode("utf-8", "replace")
            self.send_response(code, message)
            self.send_header("Connection", "close")
            self.send_header("Content-Type", self.error_content_type)
            self.send_header("Content-Length", str(len(body)))
            self.headers_for(SVG_POLICY)
            if self.command != "HEAD":
                self.wfile.write(body)

        def local(self) -> bool:
            """Return whether the request names this server as loopback (``Host``), as a page of it does."""
            return self.ours((self.headers.get("Host") or "").strip().lower())

        def ours(self, authority: str) -> bool:
            """Return whether ``authority`` (``host:port``) names this server."""
            port = self.server.server_address[1]
            return authority in {f"{name}:{port}" for name in LOCAL_NAMES} | (set(LOCAL_NAMES) if port == 80
                                                                                 else set())

        def do_GET(self):
            if len(self.headers.get_all("Host") or []) > 1:   # RFC 9112 3.2: which one is meant is unknowable
                self.send_error(400, "more than one Host header")
                return
            url = urlparse(self.path)
            if not self.path.startswith("/"):   # absolute form (`GET http://host/`): its authority is the host
                if url.scheme != "http" or not self.ours(url.netloc.lower()):
                    self.reply(421, "text/plain; charset=utf-8",
                               b"this preview answers only to 127.0.0.1 and localhost\n")
                    return
            elif not self.local():
                self.reply(421, "text/plain; charset=utf-8", b"this preview answers only to 127.0.0.1 and localhost\n")
                return
            if url.path == "/":
                nonce = secrets.token_urlsafe(18)
                body = page.render(preview.build, preview.spec.name, nonce, preview.instance).encode("utf-8")
                self.reply(200, "text/html; charset=utf-8", body, page_policy(nonce))
            elif url.path == f"/{preview.spec.stem}.svg":  # the diagram the documents show
                drawn = preview.build.diagrams.get(DEFAULT_VIEW, "")
                self.reply(200, "image/svg+xml", drawn.encode("utf-8"))
            elif url.path == "/events":
                query = parse_qs(url.query)
                since = whole(query.get("since", ["0"])[0])
                # a page of another server (open across a restart) holds a build this one never made
                self.events(since if query.get("server", [""])[0] == preview.instance else -1)
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
            """Announce each build newer than ``since`` (-1: the page is another server's, reload it now);
            end the stream after ``lifetime`` seconds, when the page reconnects with its build."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.headers_for(SVG_POLICY)
            end = time.monotonic() + self.lifetime
            try:
                while not preview.stopping.is_set() and time.monotonic() < end:
                    with preview.changed:
                        if preview.build.generation <= since:
                            preview.changed.wait(max(0.0, min(KEEPALIVE, end - time.monotonic())))
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
