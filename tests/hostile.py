"""Helpers for the reliability tests (issue #8): run the CLI in process, make a small project."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from dsspec.cli import main

GOOD = 'product p {\n  owner "a@b.c"\n}\n'
OWNED = GOOD + 'audience pm { gets [summary] }\n'


def run(capsys, *argv):
    """Return ``(exit code, stdout, stderr)`` of ``dsspec ARGV`` run in process."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def project(tmp_path: Path, text: str = GOOD, name: str = "s.dsspec") -> Path:
    """Write ``text`` as ``name`` in a project root without configuration; return its path."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / name
    path.write_text(text)
    return path


def loop(folder: Path) -> None:
    """Make ``a.dsspec`` and ``b.dsspec`` in ``folder`` symbolic links to each other."""
    (folder / "a.dsspec").symlink_to("b.dsspec")
    (folder / "b.dsspec").symlink_to("a.dsspec")


@contextmanager
def serving(spec: Path, limit: int):
    """Serve a live preview of ``spec`` on 127.0.0.1 (a free port) in this process, at most ``limit``
    connections; yield the server (its ``preview`` set) and stop it, waking any waiting reload stream."""
    import threading

    from dsspec.integrations.preview import server

    preview = server.Preview(spec)
    httpd = server.Server(("127.0.0.1", 0), server.handler(preview), limit=limit)
    httpd.preview = preview
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        httpd.shutdown()
        httpd.server_close()
