"""Benchmark the front door, side by side: CPU time and peak memory of whole `dsspec` processes.

Run from the repository root:

    python bench/bench_startup.py                          # this checkout alone
    python bench/bench_startup.py --vs OTHER/.venv/bin/dsspec   # against another install (e.g. the previous commit)

Figures are CPU seconds (user + system) of the child process, from the operating system's
accounting (``os.wait4``), which a busy machine disturbs far less
than wall time; peak memory is the child's maximum resident set. With ``--vs`` the two commands
run in turn (A B A B ...) and each row prints both medians and the median of the ratios A/B pair
by pair, so drift of the machine's speed cancels.

Rows:
- one `check` of specs/search_ranking.dsspec, warm (its cache entry exists: the usual re-run) and
  with `--no-cache` (a cold compile);
- a warm re-run of 1,000 unchanged generated specs (designs under review); the same as drafts, which every
  release reports the same one finding for (under review a release that asks review questions reports eight:
  more work, not a slower door); the same with one of them edited;
- `--jobs 1 --no-cache` over the 1,000 specs: CPU and peak memory;
- parse throughput (lines/s of the lexer and LALR loop alone, in process, this checkout only).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_check import TYPICAL, library  # noqa: E402


def run_cpu(cmd: list[str], env: dict) -> tuple[float, float]:
    """Run ``cmd``; return (CPU seconds, peak MiB) of that child alone."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def paired(a: list[str], b: list[str] | None, args: list[str], runs: int, env: dict, prepare=None) -> dict:
    """Time ``a + args`` (and ``b + args``) ``runs`` times in turn after one warm-up each."""
    out = {"a": [], "b": [], "a_mem": [], "b_mem": [], "ratio": []}
    for i in range(runs + 1):
        pair = []
        for side, cmd in (("a", a), ("b", b)):
            if cmd is None:
                continue
            if prepare:
                prepare()
            cpu, mem = run_cpu(cmd + args, env)
            if i:
                out[side].append(cpu)
                out[f"{side}_mem"].append(mem)
                pair.append(cpu)
        if i and len(pair) == 2:
            out["ratio"].append(pair[0] / pair[1])
    return out


def show(label: str, r: dict, unit: str = "ms", memory: bool = False) -> None:
    scale = 1000 if unit == "ms" else 1
    a = statistics.median(r["a"]) * scale
    line = f"  {label:<46} A {a:8.1f} {unit}"
    if r["b"]:
        b = statistics.median(r["b"]) * scale
        line += f"   B {b:8.1f} {unit}   A/B {statistics.median(r['ratio']):.2f}"
    if memory:
        line += f"   peak A {statistics.median(r['a_mem']):.0f} MiB"
        if r["b_mem"]:
            line += f", B {statistics.median(r['b_mem']):.0f} MiB"
    print(line, flush=True)


def parse_throughput(runs: int) -> float:
    """Return lines per second of ``parse`` (lexer and LALR loop) on a generated 10,000-line library."""
    sys.path.insert(0, str(ROOT / "src"))
    from dsspec.cli import tune_collector
    from dsspec.compiler.syntax.parser import parse

    tune_collector()
    text = library(10_000)
    parse("warm.dsspec", text)
    times = []
    for _ in range(runs):
        t = time.process_time()
        parse("bench.dsspec", text)
        times.append(time.process_time() - t)
    return text.count("\n") / statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vs", metavar="DSSPEC", help="another dsspec executable to compare with (B)")
    ap.add_argument("--runs", type=int, default=9, help="counted runs per row (default 9)")
    ap.add_argument("--count", type=int, default=1000, help="generated specs (default 1,000)")
    args = ap.parse_args()
    a = [shutil.which("dsspec", path=os.path.dirname(sys.executable)) or "dsspec"]
    b = [args.vs] if args.vs else None
    work = Path(tempfile.mkdtemp(prefix="dsspec-startup-"))
    env = dict(os.environ, DSSPEC_CACHE_DIR=str(work / "cache"))
    try:
        print(f"dsspec front door ({os.cpu_count()} cores, Python {sys.version.split()[0]}); "
              f"A = {a[0]}" + (f", B = {b[0]}" if b else ""))
        spec = str(ROOT / "specs" / "search_ranking.dsspec")
        show("check search_ranking, warm", paired(a, b, ["check", spec], args.runs, env))
        show("check search_ranking, --no-cache", paired(a, b, ["check", "--no-cache", spec], args.runs, env))
        many = work / "many"
        many.mkdir()
        (work / "dsspec.toml").touch()
        for i in range(args.count):
            (many / f"spec_{i:04d}.dsspec").write_text(TYPICAL.format(n=i))
        for cmd in filter(None, (a, b)):   # fill each side's cache (their keys differ by code)
            run_cpu(cmd + ["check", str(many)], env)
        show(f"{args.count} unchanged specs, warm", paired(a, b, ["check", str(many)], args.runs, env))
        # the same specs as drafts: then a release that asks review questions reports the one finding the release
        # before it did, so this row compares the front doors on equal work (under review, each spec has 8)
        drafts = work / "drafts"
        drafts.mkdir()
        for i in range(args.count):
            (drafts / f"spec_{i:04d}.dsspec").write_text(TYPICAL.format(n=i).replace("status   review", "status   draft"))
        for cmd in filter(None, (a, b)):
            run_cpu(cmd + ["check", str(drafts)], env)
        show(f"{args.count} unchanged drafts, warm, --statistics", paired(a, b, ["check", "--statistics", str(drafts)],
                                                                          args.runs, env))
        # the same run printing counts only: what the front door costs whatever the report (a version with more
        # rules prints more findings, and rendering them is the report's work, not the cache's)
        show(f"{args.count} unchanged specs, warm, --statistics", paired(a, b, ["check", "--statistics", str(many)],
                                                                         args.runs, env))
        edited = many / "spec_0000.dsspec"
        flip = [0]

        def edit():
            flip[0] += 1
            edited.write_text(TYPICAL.format(n=0) + f"# edit {flip[0]}\n")

        show(f"{args.count} specs, one edited, warm", paired(a, b, ["check", str(many)], args.runs, env, edit))
        show(f"{args.count} specs, one edited, warm, --statistics", paired(a, b, ["check", "--statistics", str(many)],
                                                                          args.runs, env, edit))
        show(f"{args.count} specs, --jobs 1 --no-cache", paired(a, b, ["check", "--jobs", "1", "--no-cache",
                                                                     str(many)], max(3, args.runs // 3), env),
             unit="s", memory=True)
        print(f"  parse throughput (this checkout):              {parse_throughput(5):,.0f} lines/s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
