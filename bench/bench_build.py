"""Benchmark `dsspec build`: wall time per spec, and the part spent outside Graphviz.

Run from the repository root:  python bench/bench_build.py [SPEC ...]

For each spec (default: the project's own specs) it times, in one process,
dsspec's own work (compile, every view a default build draws and its DOT,
Markdown, JSON) and the renderer's work (laying out and drawing
each view, top to bottom as ``--direction auto`` keeps it for these specs),
as medians of several runs, and prints dsspec's share of the build.
"cpu ms" is the CPU time of dsspec's own work, which other work on a shared
machine does not inflate as it does the wall time. Targets: dsspec's own
work within 20 ms per spec; its share under 25%
when a raster is drawn.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

RUNS = 5


def measure(specs, renderer: str, formats: tuple[str, ...]) -> list[float]:
    """Print one table for a renderer and picture formats; return dsspec's share per spec."""
    from dsspec.compiler import pipeline
    from dsspec.compiler.emit import json_out
    from dsspec.compiler.emit.dot import to_dot
    from dsspec.compiler.emit.markdown import documents
    from dsspec.compiler.emit.render import render
    from dsspec.compiler.emit.view import available
    from dsspec.compiler.emit.views import build_view

    print(f"\nrenderer {renderer}, pictures {'+'.join(formats)} (median of {RUNS} runs)")
    print(f"  {'spec':<28} {'dsspec ms':>10} {'(cpu ms)':>9} {'graphviz ms':>12} {'total ms':>9} {'dsspec share':>13}")
    shares = []
    for spec in specs:
        own, cpu, gv = [], [], []
        for _ in range(RUNS):
            c0 = time.process_time()
            t0 = time.perf_counter()
            result = pipeline.check_file(pipeline.Session(), str(spec))
            dots = []
            for name in available(result.resolved):
                view = build_view(result.resolved, result.diagnostics, name)
                dots.append(to_dot(view))
            documents(result.resolved, result.diagnostics, spec.stem)
            json_out.render(result.resolved, result.diagnostics)
            t1 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            for dot in dots:
                for fmt in formats:
                    render(dot, fmt, renderer)
            t2 = time.perf_counter()
            own.append(t1 - t0)
            gv.append(t2 - t1)
        o, g = statistics.median(own), statistics.median(gv)
        shares.append(o / (o + g))
        c = statistics.median(cpu)
        print(f"  {spec.name:<28} {o * 1000:>10.1f} {c * 1000:>9.1f} {g * 1000:>12.1f} {(o + g) * 1000:>9.1f} {o / (o + g):>12.0%}")
    print(f"  median dsspec share of a build: {statistics.median(shares):.0%}   (target < 25%)")
    return shares


def main(argv: list[str]) -> int:
    from dsspec.compiler.emit.render import executable

    specs = [Path(a) for a in argv] or sorted((ROOT / "specs").glob("*.dsspec"))
    print("dsspec build benchmark: dsspec's own work (compile, view, DOT, Markdown, JSON) against the "
          "renderer's (layout and drawing), in one warm process")
    measure(specs, "graphviz-pure", ("svg",))
    measure(specs, "graphviz-pure", ("svg", "png"))
    if executable("dot"):
        measure(specs, "dot", ("svg", "png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
