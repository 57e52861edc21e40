"""Benchmark `dsspec build` of large designs: where summarising the system view has to start.

Run from the repository root:  python bench/bench_large.py [N ...]

For designs of N declarations (default 60 to 1,000; a fifth of them models'
inputs and sources each, see ``design``), it times one full build (svg, dot,
md, json; graphviz-pure) with the views drawn in detail and with the design
summarised, and prints both. Layout time grows faster than the design, so
past ``artefacts.LARGE`` declarations the system view is summarised (and the
detailed views are drawn only when asked for by name). Target: a build of a
1,000-declaration design under 2 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def design(n: int) -> str:
    """Return a valid design of about ``n`` declarations: sources, inputs, models, outputs and users."""
    models = max(1, n // 25)
    sources = max(1, (n - 3 * models) // 3)
    inputs = max(1, n - 3 * models - sources)
    out = ['product big {\n  title "A large design"\n  owner "o@example.com"\n}\n',
           "ecosystem {\n" + "".join(f'  user u{i} "Team {i}"\n' for i in range(models)) + "}\n",
           "operator {\n  success recall { optimal >= 0.7; acceptable >= 0.6; worst <= 0.5 }\n"
           "  latency p99 <= 100ms\n  load 10/s\n  budget $50k/month\n  timeout 80ms\n"
           '  fallback rules "The rules"\n  default "Do nothing"\n}\n']
    kinds = ("table", "stream", "files", "api")
    out += [f"source s{i} {{\n  kind {kinds[i % 4]}\n  freshness 1h\n}}\n" for i in range(sources)]
    out += [f"input i{i} {{\n  from [s{i % sources}]\n  fields [f{i}a, f{i}b]\n  known_at precomputed\n}}\n"
            for i in range(inputs)]
    for m in range(models):
        reads = ", ".join(f"i{j}" for j in range(m, inputs, models))
        out.append(f"output o{m} {{\n  type score\n  to u{m}\n}}\n")
        out.append(f"model m{m} {{\n  task regression\n  reads [{reads}]\n  writes o{m}\n"
                   f"  ladder {{\n    baseline linear {{ recall 0.6 }}\n    step lightgbm {{ recall 0.7; chosen }}\n"
                   f"  }}\n}}\n")
    return "\n".join(out)


def build_seconds(path: Path, summarise: bool) -> float:
    from dsspec.compiler import pipeline
    from dsspec.compiler.emit import artefacts

    saved = artefacts.LARGE
    artefacts.LARGE = 0 if summarise else 10**9
    try:
        t0 = time.perf_counter()
        result = pipeline.check_file(pipeline.Session(), str(path))
        artefacts.make(result.resolved, result.diagnostics, path.stem, {"svg", "dot", "md", "json"},
                       "graphviz-pure")
        return time.perf_counter() - t0
    finally:
        artefacts.LARGE = saved


def main(argv: list[str]) -> int:
    from dsspec.compiler.emit.artefacts import LARGE

    sizes = [int(a) for a in argv] or [60, 120, 250, 500, 1000]
    print(f"build (svg, dot, md, json) with graphviz-pure; summarised past LARGE = {LARGE} declarations")
    print(f"  {'declarations':>12} {'detailed s':>11} {'summarised s':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "dsspec.toml").touch()
        for n in sizes:
            path = Path(tmp) / f"big{n}.dsspec"
            path.write_text(design(n))
            detailed = build_seconds(path, False) if n <= 500 else float("nan")
            print(f"  {n:>12,} {detailed:>11.2f} {build_seconds(path, True):>13.2f}", flush=True)
    print("  (detailed builds past 500 declarations are left out: they take minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
