"""``dsspec preview SPEC``: a live page of the diagram, the findings and the documents."""

from __future__ import annotations

from pathlib import Path

from dsspec.commands import EXIT_OK, UsageError, from_extra

HELP = "serve a live preview of a spec on 127.0.0.1, rebuilt on save; needs `pip install 'dsspec[preview]'`"
DESCRIPTION = ("Serve a page on 127.0.0.1 with the spec's diagram (each view), its findings linked to their "
               "lines and its audience documents. The spec and its includes are watched: on save the page "
               "rebuilds and reloads itself.")


def add_arguments(p) -> None:
    p.add_argument("spec", metavar="SPEC", help="the spec to preview")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")


def run(args) -> int:
    spec = Path(args.spec)
    if not spec.is_file():
        raise UsageError(f"no such file: `{spec}`")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"port {args.port} is out of range (0-65535)")
    serve = from_extra("dsspec.integrations.preview.server", "serve", "the preview", "preview")
    try:
        serve(spec, args.port, args.open)
    except OSError as err:
        raise UsageError(f"cannot serve on 127.0.0.1:{args.port}: {err.strerror or err}") from None
    return EXIT_OK
