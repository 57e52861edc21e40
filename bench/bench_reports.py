"""Benchmark the two costs that grow with the number of findings: the text report and did-you-mean.

Run from the repository root:  python bench/bench_reports.py

* a 100,000-line spec with 33,000 findings, reported in the text format (the
  report once split the whole file again for every finding: 77 s);
* 10,000 unknown references against 10,000 declared names (did-you-mean
  once compared every reference with every name: 147 s).

Both must stay linear: each figure is printed with the time per finding, so
a regression shows as a per-finding cost that grows with the input.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dsspec.compiler import pipeline  # noqa: E402
from dsspec.compiler.report import text as report  # noqa: E402

PRODUCT = 'product bench {\n  title "bench"\n}\n'


def many_findings(n: int) -> str:
    """Return a spec of about 3*n lines with n schema findings (a misspelt `kind` in each source)."""
    return PRODUCT + "".join(f"source s{i} {{\n  kind tabel\n}}\n" for i in range(n))


def many_unknown_references(n: int) -> str:
    """Return a spec declaring n sources and referring to n names that are not declared."""
    sources = "".join(f"source src_{i} {{ kind table }}\n" for i in range(n))
    refs = ",\n    ".join(f"missing_{i}" for i in range(n))
    return PRODUCT + sources + f"input everything {{\n  from [{refs}]\n}}\n"


def measure(label: str, text: str, folder: Path) -> None:
    path = folder / f"{label}.dsspec"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = pipeline.check_file(pipeline.Session(), str(path))
    checked = time.perf_counter()
    out = report.render(result.diagnostics, {result.path: result.text})
    reported = time.perf_counter()
    n = len(result.diagnostics)
    print(f"{label}: {text.count(chr(10)):,} lines, {n:,} findings: check {checked - started:.2f} s, "
          f"text report {reported - checked:.2f} s ({(reported - checked) / max(n, 1) * 1e6:.0f} us/finding), "
          f"{len(out):,} characters")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "dsspec.toml").touch()
        for n in (3_300, 33_000):
            measure(f"findings_{n}", many_findings(n), folder)
        for n in (1_000, 10_000):
            measure(f"unknown_refs_{n}", many_unknown_references(n), folder)


if __name__ == "__main__":
    main()
