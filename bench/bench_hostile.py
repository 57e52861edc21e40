"""Benchmark hostile-but-legal inputs that were once quadratic or unbounded (issue #8).

Run from the repository root:  python bench/bench_hostile.py

Each case runs in process once after a warm-up and prints its wall and CPU time:
a build of 5,000 models with training sections (was 25 s: findings were
matched to drawn elements pair by pair, sections to models likewise), 20,000
suppressed findings (93 s: each suppression scanned every finding), fmt of
15,000 commented lists (11 s: each list scanned every comment), an include
chain 1,000 files deep (stops at the limit), a configuration nested 5,000
deep (refused before parsing). Issue #18: an unknown rule name of 1,000,000
characters in `explain_rule` (no answer in 60 s: did-you-mean sliced the word
quadratically), `--select` with one of 100,000, a MkDocs page of 50,000
unclosed fences (quadratic regex scan), 4,000 models without consumers
(`output-without-consumer` scanned every model per output: 27 s).
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path


def models(n: int) -> str:
    parts = ['product big {\n  owner "a@b.c"\n}\nsource s { kind table }\ninput i { from s; known_at request }\n']
    for k in range(n):
        parts.append(f"output o{k} {{ type class }}\nmodel m{k} {{\n  task binary_classification\n  reads i\n"
                     f"  writes o{k}\n}}\ntraining m{k} {{\n  from [s]\n  hardware cpu\n}}\n")
    return "".join(parts)


def bare(n: int) -> str:
    parts = ['product big {\n  owner "a@b.c"\n}\nsource s { kind table }\ninput i { from s; known_at request }\n']
    parts += [f"output o{k} {{ type class }}\nmodel m{k} {{ task binary_classification; reads i; writes o{k} }}\n"
              for k in range(n)]
    return "".join(parts)


def timed_call(call) -> tuple[float, float]:
    """Return the wall and CPU seconds of ``call()`` (an exception it raises is its answer, not a failure)."""
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            call()
        except Exception:  # noqa: BLE001 - an unknown rule is a tool error: what is timed is reaching it
            pass
    return time.perf_counter() - wall, time.process_time() - cpu


def timed(argv: list[str]) -> tuple[float, float]:
    """Return the wall and CPU seconds of one in-process run (configuration caches cleared first)."""
    from dsspec.cli import main
    from dsspec.compiler.lint import config

    config.config_at.cache_clear()
    config._find.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(argv)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        big = root / "big.dsspec"
        big.write_text(models(5000))
        chain = root / "chain.dsspec"
        chain.write_text('include "f0.dsspec"\nproduct p {}\n')
        for i in range(1000):
            (root / f"f{i}.dsspec").write_text(f'include "f{i + 1}.dsspec"\n')
        nested = root / "nested"
        nested.mkdir()
        (nested / "dsspec.toml").write_text("select = " + "[" * 5000 + "]" * 5000 + "\n")
        (nested / "s.dsspec").write_text("product p {}\n")
        suppressed = root / "suppressed.dsspec"
        suppressed.write_text('product p {\n  owner "a"\n}\n' + "".join(
            f"source s{i} {{ kind table }}  # dsspec: ignore[unused-declaration] ok\n" for i in range(20000)))
        consumers = root / "consumers.dsspec"
        consumers.write_text(bare(4000))
        lists = root / "lists.dsspec"
        lists.write_text("".join(f"x{i} [a,\n  b]  # c{i}\n" for i in range(15000)))
        cases = [
            ("check, 20,000 findings each suppressed", ["check", str(suppressed)]),
            ("fmt --check, 15,000 lists with comments", ["fmt", "--check", str(lists)]),
            ("build, 5,000 models with training (md, json, dot)",
             ["build", str(big), "-o", str(root / "out"), "--format", "md,json,dot"]),
            ("check, include chain 1,000 deep", ["check", str(chain)]),
            ("check, configuration nested 5,000 deep", ["check", str(nested / "s.dsspec")]),
            ("check, 4,000 models without a consumer", ["check", "--no-cache", str(consumers)]),
            ("check --select, an unknown rule of 100,000 chars", ["check", "--select", "x" * 100_000, str(chain)]),
        ]
        timed(["check", str(nested / "s.dsspec")])  # warm-up: imports
        print(f"  {'case':<55} {'wall s':>7} {'cpu s':>7}")
        for label, argv in cases:
            wall, cpu = timed(argv)
            print(f"  {label:<55} {wall:7.2f} {cpu:7.2f}")
        from dsspec.integrations import mcp

        calls = [("explain_rule, an unknown rule of 1,000,000 chars", lambda: mcp.explain_rule("a-" * 500_000))]
        try:
            from dsspec.integrations.mkdocs import fences

            calls.append(("mkdocs fence scan, 50,000 unclosed fences",
                          lambda: list(fences("```dsspec\nproduct p {}\n" * 50_000))))
        except ImportError:  # the mkdocs extra is not installed
            pass
        for label, call in calls:
            wall, cpu = timed_call(call)
            print(f"  {label:<55} {wall:7.2f} {cpu:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
