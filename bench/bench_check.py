"""Benchmark `dsspec check`: start-up, throughput, and how parse + model time scales.

Run from the repository root:  python bench/bench_check.py [--quick]

It generates its own specs (a typical ~150-line design, and designs of 1,000
and 10,000 lines made of many declarations) in a temporary folder, so it
measures the same input on every machine. Figures are medians of several runs.
Every run but the cache's own passes --no-cache; the cache is measured as a
cold run (empty cache folder) against a warm one (nothing changed since).
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

TYPICAL = """\
# Generated benchmark design {n}: a complete design of about 150 lines.
product bench_{n} {{
  title    "Benchmark design {n}"
  improves "the risk score shown to reviewers"
  for      "Review console"
  within   "Trust platform"
  owner    "bench-ds@example.com"
  status   review
}}

ecosystem {{
  problem "Reviewers see 4,000 flagged accounts a day and can clear 1,500."
  today   "Twelve threshold rules rank the queue."
  user    review_console "Shows the ranked queue"
  user    trust_analyst  "Reviews the top of the queue"
  goal    cleared_share   increase 40%
  goal    missed_abuse    decrease 20%
  goal    appeal_rate     keep <= 2%
  non_goal "Automatic account suspension"
}}

operator {{
  success recall {{
    at         fpr <= 1%
    optimal    >= 0.75
    acceptable >= 0.60
    worst      <= 0.45
  }}
  latency  p99 <= 150ms
  load     20/s peak 80/s
  budget   $5k/month
  timeout  120ms
  fallback rules "The threshold rules rank the queue"
  default  "Queue in arrival order"
  error_cost false_negative $40
  error_cost false_positive $3
}}

source accounts {{
  kind      table
  freshness 1d
  volume    5M/month
  pii       [email, phone]
  retention 2y
}}

source events {{
  kind      stream
  freshness 10s
  volume    300M/month
}}

source verdicts {{
  kind           labels
  label_delay    7d
  minority_share 3%
}}

input profile {{
  from      accounts
  fields    [account_age_days, country, plan, verified]
  known_at  precomputed
  freshness 2d
}}

input activity {{
  from      events
  fields    [logins_24h, messages_1h, distinct_ips_24h, report_count_7d]
  known_at  request
  freshness 1min
}}

output risk {{
  type       probability
  to         review_console
  calibrated yes
}}

model ranker {{
  task   binary_classification
  reads  [profile, activity]
  writes risk
  labels verdicts
  rows   3M
  ladder {{
    manual   "The twelve threshold rules" {{ recall 0.45 }}
    baseline logistic_regression {{ recall 0.58 }}
    step     lightgbm {{
      recall 0.67
      params 1M
      chosen
      reason "+9 points of recall at 1% FPR"
    }}
  }}
}}

training {{
  from     [accounts, events, verdicts]
  window   2025-01-01 .. 2025-06-30
  schedule weekly
  hardware cpu
  cost     $400/month
}}

evaluation {{
  from    [accounts, events, verdicts]
  window  2025-07-01 .. 2025-08-31
  split   time
  metrics [recall, pr_auc, brier]
  primary recall
  review  300 cases by trust_analyst
  slices  [country, plan, verified]
}}

serving {{
  mode     online
  hardware cpu
  replicas 3
  cost     $900/month
}}

monitoring {{
  drift [logins_24h, messages_1h, country]
  track recall delayed 7d
  alert "trust-ds on-call"
}}

audience pm       {{ gets [summary, goals, metrics] }}
audience staff_ds {{ gets [model_card, evaluation, ladder] }}
audience engineer {{ gets [interface, slo, fallback, runbook] }}
"""

LIBRARY_BLOCK = """\
source table_{i} {{
  kind      table
  freshness 1d
  volume    {i}k/month
  pii       [field_a_{i}, field_b_{i}]
  retention 1y
}}

"""


def library(lines: int) -> str:
    """Return a library file (declarations only) of about ``lines`` lines."""
    per = LIBRARY_BLOCK.count("\n")
    return "".join(LIBRARY_BLOCK.format(i=i + 1) for i in range(lines // per))


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def dsspec_cmd() -> list[str]:
    exe = shutil.which("dsspec", path=os.path.dirname(sys.executable)) or shutil.which("dsspec")
    return [exe] if exe else [sys.executable, "-m", "dsspec"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and files, for a smoke test")
    args = ap.parse_args()
    runs = 3 if args.quick else 7
    count = 100 if args.quick else 1000
    cmd = dsspec_cmd()
    work = Path(tempfile.mkdtemp(prefix="dsspec-bench-"))
    try:
        (work / "dsspec.toml").touch()
        one = work / "typical.dsspec"
        one.write_text(TYPICAL.format(n=0))
        lines = TYPICAL.count("\n")
        os.environ["DSSPEC_CACHE_DIR"] = str(work / "cache")
        check = subprocess.run(cmd + ["check", str(one)], capture_output=True, text=True)
        if check.returncode != 0:
            print(check.stdout, check.stderr)
            raise SystemExit("the typical benchmark spec is not clean")
        single = median_time(lambda: subprocess.run(cmd + ["check", "--no-cache", str(one)], capture_output=True),
                             runs)

        many = work / "many"
        many.mkdir()
        for i in range(count):
            (many / f"spec_{i:04d}.dsspec").write_text(TYPICAL.format(n=i))
        bulk = median_time(lambda: subprocess.run(cmd + ["check", "--no-cache", str(many)], capture_output=True),
                           max(1, runs // 2))
        one_proc = median_time(lambda: subprocess.run(cmd + ["check", "--no-cache", "--jobs", "1", str(many)],
                                                      capture_output=True), max(1, runs // 2))
        two_proc = median_time(lambda: subprocess.run(cmd + ["check", "--no-cache", "--jobs", "2", str(many)],
                                                      capture_output=True), max(1, runs // 2))

        def cold():
            shutil.rmtree(work / "cache", ignore_errors=True)
            subprocess.run(cmd + ["check", str(many)], capture_output=True)

        t_cold = median_time(cold, max(1, runs // 2))
        t_warm = median_time(lambda: subprocess.run(cmd + ["check", str(many)], capture_output=True), runs)

        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from dsspec.compiler import pipeline
        from dsspec.cli import tune_collector

        tune_collector()  # as the CLI does

        def front(text: str):
            return lambda: pipeline.Session().front("bench.dsspec", text.encode())

        small, large = library(1000), library(10000)
        front(small)()  # warm: grammar and imports
        t_small = median_time(front(small), runs)
        t_large = median_time(front(large), runs)

        print(f"dsspec check benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
        print(f"  one typical spec ({lines} lines), wall incl. start-up: {single * 1000:8.1f} ms   (target < 300 ms)")
        print(f"  {count} typical specs in one call:                {bulk:8.2f} s    "
              f"({count / bulk:,.0f} specs/s; target < 5 s for 1,000)")
        print(f"  {count} specs, --jobs 1 vs --jobs 2:           {one_proc:8.2f} s vs {two_proc:.2f} s "
              f"= {one_proc / two_proc:.2f}x   (target >= 1.6x)")
        print(f"  {count} specs, result cache cold vs warm:      {t_cold:8.2f} s vs {t_warm:.2f} s "
              f"= {t_cold / t_warm:.1f}x   (target >= 5x)")
        print(f"  parse + model, {small.count(chr(10)):>6} lines:                 {t_small * 1000:8.1f} ms")
        print(f"  parse + model, {large.count(chr(10)):>6} lines:                 {t_large * 1000:8.1f} ms")
        print(f"  growth 10x lines -> {t_large / t_small:.1f}x time   (target <= 12x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
