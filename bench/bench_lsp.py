"""Benchmark the language server: findings after a change, on a 150-line and a 1,500-line spec.

Run from the repository root:  python bench/bench_lsp.py [--changes N]

Targets: under 50 ms (median) on 150 lines, under 60 ms on 1,500 lines.
It starts the real `dsspec lsp` process, opens a generated design of each
size and types into it: each change is one edit (a typo made, then undone), sent as
an incremental `didChange`, and the time is measured until the server
publishes the findings of that version. That span includes the server's
debounce (``DEBOUNCE``), the whole compile and the protocol round trip. The
compile alone, in process, is measured too. Figures are medians and 90th
percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TYPICAL  # noqa: E402

SIZES = {150: 50.0, 1500: 60.0}
"""Lines of the benchmark specs, and the median (ms) each must stay under."""


def spec_text(lines: int = 150) -> str:
    """Return a benchmark spec of about ``lines`` lines: bench_check's typical design plus sources."""
    text = TYPICAL.format(n=0)
    extra = max(0, round((lines - text.count("\n")) / 5))
    return text + "".join(f"\nsource extra_{i} {{\n  kind      table\n  freshness 1d\n}}\n" for i in range(extra))


def in_process(path: Path, text: str, runs: int) -> list[float]:
    from dsspec.integrations.lsp.analysis import analyse

    analyse(str(path), text)  # warm the caches (rules, tables) as a running server has them
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        analyse(str(path), text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def after_edits(path: Path, text: str, runs: int) -> tuple[list[float], list[float]]:
    """Return the wall and CPU times of the server's own work after each edit: compile, findings as JSON.

    Done in process as the server does it (the parse of unchanged statements
    reused, the collector paused), so it shows the work apart from the
    process boundary and from other programs competing for the machine.
    """
    from dsspec.compiler.syntax.incremental import Reparser
    from dsspec.integrations.lsp.analysis import analyse
    from dsspec.integrations.lsp.positions import diagnostic_json, texts
    from dsspec.integrations.lsp.server import paused_gc

    reparser = Reparser()
    analyse(str(path), text, reparser=reparser)
    wall, cpu = [], []
    for run in range(runs):
        edited = text.replace("latency", "latncy" if run % 2 == 0 else "latency", 1)
        start, start_cpu = time.perf_counter(), time.process_time()
        with paused_gc():
            a = analyse(str(path), edited, reparser=reparser)
            lines = texts(a)
            [diagnostic_json(d, lines) for d in a.result.diagnostics if d.path == a.path]
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


async def through_server(path: Path, text: str, changes: int) -> list[float]:
    from lsprotocol import types as t
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: t.PublishDiagnosticsParams):
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            event.set()

    await client.start_io(sys.executable, "-m", "dsspec", "lsp")
    await client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities()))
    client.initialized(t.InitializedParams())
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "dsspec", 1, text)))
    line = next(i for i, s in enumerate(text.split("\n")) if s.strip().startswith("latency"))
    column = text.split("\n")[line].index("latency")
    times = []
    for version in range(2, changes + 2):
        typo = version % 2 == 0  # make the typo, then undo it
        edit = t.TextDocumentContentChangePartial(
            t.Range(t.Position(line, column), t.Position(line, column + (7 if typo else 6))),
            "latncy" if typo else "latency")
        event.clear()
        sent = time.perf_counter()
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=version, uri=uri), [edit]))
        while version not in arrived:
            await asyncio.wait_for(event.wait(), 10)
            event.clear()
        times.append((arrived[version] - sent) * 1000)
        await asyncio.sleep(0.05)  # a pause between keystrokes, longer than the debounce
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def summary(times: list[float]) -> str:
    p90 = sorted(times)[int(len(times) * 0.9) - 1] if len(times) >= 10 else max(times)
    return f"median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=40, help="edits to time through the server (default 40)")
    args = parser.parse_args()
    from dsspec.integrations.lsp.server import DEBOUNCE

    print(f"server debounce {DEBOUNCE * 1000:.0f} ms")
    ok = True
    for lines, target in SIZES.items():
        text = spec_text(lines)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "dsspec.toml").write_text("")
            path = folder / "bench.dsspec"
            path.write_text(text)
            print(f"spec of {text.count(chr(10))} lines:")
            print(f"  compile + index in process, from scratch: {summary(in_process(path, text, 20))}")
            wall, cpu = after_edits(path, text, 30)
            print(f"  the server's work after an edit, in process: {summary(wall)} (CPU time: {summary(cpu)})")
            served = asyncio.run(through_server(path, text, args.changes))
            print(f"  change -> findings published, through `dsspec lsp`: {summary(served)}, "
                  f"worst {max(served):.1f} ms (target: median < {target:.0f} ms)")
            ok = ok and statistics.median(served) < target
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
