"""Benchmark custom rules: what 50 declarative rules add to checking 1,000 specs.

Run from the repository root:  python bench/bench_policy.py [--specs N] [--rules N] [--runs N]

It writes the benchmark's typical ~150-line design (bench_check.TYPICAL) N times
into a temporary folder, then times `check` on all of them in one process (no
cache, no worker processes; CPU time of the process, so a busy machine skews it
less) twice: with
an empty configuration, and with a configuration of 50 custom rules — the worked
pack's kinds of condition (cross-references, duration thresholds, slice lists,
regular expressions), each repeated with other names and numbers. It prints
the medians and the overhead; the budget is 20%.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

TEMPLATES = [  # (on, condition with {n} for variety)
    ("model", "spec.inputs.exists(i, model.reads.exists(r, r.name == i.name.name) && spec.sources.exists("
              "s, size(s.pii) > {n} && i.from.exists(f, f.name == s.name.name))) && !(spec.ecosystem != null "
              "&& spec.ecosystem.stakeholders.exists(u, u.name.name == 'privacy_reviewer_{n}'))"),
    ("rollout", "spec.product != null && spec.product.within != null && spec.product.within.value.matches("
                "'(?i)payment{n}') && (rollout.shadow == null || rollout.shadow.value < {n}.0 * 86400.0)"),
    ("product", "product.status != null && product.status.name == 'approved' && "
                "!spec.audiences.exists(a, a.name.name == 'model_risk_{n}')"),
    ("serving", "serving.provider != null && !serving.provider.value.matches('(?i)\\\\b(eu|europe{n})\\\\b')"),
    ("evaluation", "!['age_band', 'region{n}'].all(s, evaluation.slices.exists(x, x.name == s))"),
    ("source", "source.retention == null && size(source.pii) > {n}"),
    ("model", "model.ladder != null && size(model.ladder.steps) > {n} + 6"),
    ("operator", "operator.budget != null && operator.budget.per_month > {n}.0 * 100000.0"),
    ("spec", "size(spec.models) > {n} + 10"),
    ("monitoring", "size(monitoring.tracks) == 0 && monitoring.alert == null && {n} >= 0"),
]


def pack(count: int) -> str:
    """Return a configuration of ``count`` custom rules made from ``TEMPLATES``."""
    out = []
    for i in range(count):
        on, when = TEMPLATES[i % len(TEMPLATES)]
        n = i // len(TEMPLATES)
        out.append(f'[rules.BENCH{i:03d}]\nname = "bench-rule-{i}"\non = "{on}"\nwhen = {json.dumps(when.format(n=n))}\n'
                   'message = "m"\nwhat-it-does = "w"\nwhy-it-matters = "w"\nexample = "e"\nuse-instead = "u"\n')
    return "\n".join(out)


def typical() -> str:
    spec = importlib.util.spec_from_file_location("bench_check", HERE / "bench_check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.TYPICAL


def run_once(folder: Path, files: list[str]) -> float:
    from dsspec.compiler import pipeline
    from dsspec.compiler.lint import config

    config.config_at.cache_clear()
    config._find.cache_clear()
    start = time.process_time()  # CPU time: the machine may be busy with other work
    results, _ = pipeline.check_many(files, jobs=1)
    elapsed = time.process_time() - start
    assert not [d for r in results for d in r.diagnostics if d.rule in ("invalid-rule", "rule-error", "internal-error")]
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--specs", type=int, default=1000)
    ap.add_argument("--rules", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    text = typical()
    with tempfile.TemporaryDirectory() as tmp:
        base = {}
        for label, conf in (("plain", ""), ("custom", pack(args.rules))):
            folder = Path(tmp) / label
            folder.mkdir()
            (folder / ".git").mkdir()
            (folder / "dsspec.toml").write_text(conf)
            files = []
            for i in range(args.specs):
                path = folder / f"spec_{i:04d}.dsspec"
                path.write_text(text.format(n=i))
                files.append(str(path))
            base[label] = files
        times = {"plain": [], "custom": []}
        run_once(Path(tmp), base["plain"][:20])  # warm the imports and the parse tables
        run_once(Path(tmp), base["custom"][:20])
        for _ in range(args.runs):  # interleaved, so a busy machine weighs on both alike
            for label in ("plain", "custom"):
                times[label].append(run_once(Path(tmp), base[label]))
    plain, custom = statistics.median(times["plain"]), statistics.median(times["custom"])
    overhead = custom / plain - 1
    print(f"{args.specs} specs, one process, CPU seconds, median of {args.runs}:")
    print(f"  no custom rules     {plain:7.2f} s  ({plain / args.specs * 1000:.1f} ms/spec)")
    print(f"  {args.rules} custom rules     {custom:7.2f} s  ({custom / args.specs * 1000:.1f} ms/spec)")
    print(f"  overhead            {overhead:+7.1%}  (budget +20%)")
    return 0 if overhead <= 0.20 else 1


if __name__ == "__main__":
    sys.exit(main())
