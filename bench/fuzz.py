"""Fuzz campaign: every command, in process, on hostile inputs; no crash, no slow input, fmt keeps meaning.

Run from the repository root (it takes long: run it under ``nice`` and a time bound):

    python bench/fuzz.py --inputs 100000 --seed 1 [--crashes DIR]

Each input is one of: random bytes (a fifth), a mutated spec (most: the
bundled designs and test fixtures cut, spliced, joined onto one line, given
lone CRs, control characters, Unicode non-characters, suppressions, deep
nesting, odd includes) or a generated configuration (``dsspec.toml`` or
``pyproject.toml`` with valid keys, wrong types, deep nesting, odd ``tool``
tables) beside a good spec. Each is written into a fresh project folder
and run through ``check`` (a random report format; for some, the whole
folder with its symbolic link loop), ``fmt --check``, ``fmt`` on a copy
(whose result must format to itself and give the same findings), and for
some ``build``, ``init``, ``explain``, ``rules`` and ``schema``.

A crash is an exception out of ``main``, an ``internal-error`` finding
(the guard re-raises under ``DSSPEC_RAISE_INTERNAL=1``), exit code 2 with a
traceback, or fmt changing meaning or not settling. Reports: inputs run,
crashes (saved to ``--crashes`` when given), the inputs over 1 s and the
slowest ones (CPU time of all the commands run on the input).
``tests/test_fuzz_campaign.py`` runs 2,000 of them in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted([*ROOT.glob("specs/*.dsspec"), *ROOT.glob("specs/lib/*.dsspec"), *ROOT.glob("tests/golden/*.dsspec")])
TOKENS = ["product", "source", "input", "output", "model", "training", "evaluation", "serving", "monitoring",
          "audience", "include", "ladder", "step", "baseline", "chosen", "success", "latency", "budget", "kind",
          "from", "fields", "reads", "writes", "labels", "calibrated", "type", "probability", "maybe", "gets",
          "{", "}", "[", "]", ",", ";", "\n", "\r", "\r\n", "..", ">=", "<=", "0.5", "40k", "70B", "30%", "50ms",
          "$6k/month", "120/s", "2025-01-01", '"text"', '"""\nlong\n"""', "# comment\n", '"', "@", "\t",
          "# dsspec: ignore[owner-missing] why\n", "  # dsspec: ignore[DS3] because", "\x1b[31m", "\x07",
          "\ufffe", "\uffff", "\u202e", "\x85", "\u2028", "\x00", "\\u0000", '"\\uffff"', "include \"x\"\n"]
ODD_STRINGS = ['"\x1b[2J\x07"', '"\\uFFFE\\uFFFF"', '"a\\u0000b"', '"<b>x</b>|`y`"', '"%0A::error::x"',
               '"\u202eevil"', '"\x85\x9b"', '"line\\nbreak"', '"]]>&<"']
VALUE_SHAPES = [
    # huge exponents and magnitudes: the "no exponents" fix must not compute 10**100000000
    "1e100000000", "1e999", "1e-999", "9e18", "2.5e3", "1E6", "1e+400", "9" * 400, "9" * 400 + "k", "9" * 30 + "B",
    "$" + "9" * 400 + "/month", "9" * 400 + "/s", "9" * 400 + "%", "1" + ",000" * 120, "$1" + ",000" * 120,
    # extreme durations and dates
    "9" * 40 + "d", "99999999999y", "1001y", "1000y", "0ms", "9999-12-31", "0001-01-01", "9999-12-31 .. 9999-12-31",
    "0001-01-01 .. 9999-12-31", "2025/05/05 .. 2025/06/30", "05/05/2025 .. 30/06/2025",
    # non-ASCII digits: `isdigit` and `\\d` accept them, the literals do not
    ".\u00b2", "1\u00b2", "\u0663\u0664", "\uff11\uff12", "\u0966.5", "\u00b9\u00b2\u00b3%", "\U0001d7d9d",
    # impossible values: negative amounts, shares over the whole, bounded metrics over 1, levels the wrong way
    "-$3k/month", "-40ms", "-6%", "-1.2M/week", "\u2212$5", "150%", "63", "1.5", ">= 1.5", "<= 0.70", ">= 150%",
    "p98", "p9999", "40/s, peak 160/s",
]
CONFIG_KEYS = ["select", "ignore", "severity", "per-file-ignores", "exclude", "thresholds", "families", "metrics",
               "hardware", "tool", "dsspec", "x"]
CONFIG_VALUES = ['["DS1"]', '"x"', "5", "[1, 2]", "{}", '{ owner-missing = "info" }', '{ "*.dsspec" = ["DS1"] }',
                 '{ realtime-latency = "2s" }', '{ huge-model = [1] }', "true", "1979-05-27", "-1", "1e999",
                 '{ x = { tier = 9 } }', '{ m = { better = "up" } }', '{ gpu_hour_price = -1 }', '["\\u0000"]',
                 '{ label-maturity-slack = "99999999999y" }', '{ label-maturity-slack = "1000y" }',
                 '{ live-label-delay = "1e999d" }', '{ review-cases = 1e308 }', '{ m = { better = "higher", bounded = 1 } }']


_VALUE = re.compile(r"(?<![\w.])(?:[<>]=? )?\$?[0-9][0-9.]*(?:[kMB%]|ms|min|mo|[smhdwy])?(?:/[a-z]+)?"
                    r"(?: \.\. [0-9-]+)?(?![\w])|\bp[0-9]+\b")
FORMATTED = [0]
STOPPED = [False]  # set by SIGTERM (`timeout`)
SLOW_SECONDS = 1.0


@dataclass
class Figures:
    inputs: int = 0
    crashes: list = field(default_factory=list)
    slowest: list = field(default_factory=list)  # (seconds, kind, input number)
    slow: int = 0  # inputs over SLOW_SECONDS
    by_kind: dict = field(default_factory=dict)


def mutate(rng: random.Random, text: str) -> str:
    """Return ``text`` changed by one to four random edits."""
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(16)
        n = len(text)
        a, b = sorted((rng.randint(0, n), rng.randint(0, n)))
        if op == 0:
            text = text[:a] + text[b:]  # cut
        elif op == 1:
            text = text[:a] + text[a:b] * rng.randint(2, 4) + text[b:]  # repeat
        elif op == 2:
            text = text[:a] + rng.choice(TOKENS) + text[a:]
        elif op == 3:
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
        elif op == 4:
            text = text.replace("\n", rng.choice(["\r", "\r\n", "; ", "\n\n"]))
        elif op == 5:  # join a block onto one line
            text = text[:a] + re.sub(r"\n\s*", "; ", text[a:b]) + text[b:]
        elif op == 6:  # a suppression at the end of a line or on a line of its own
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            rule = rng.choice(["owner-missing", "DS3", "unused-declaration", "output-without-consumer", "DS1"])
            lines[k] += f"  # dsspec: ignore[{rule}] fuzz"
            text = "\n".join(lines)
        elif op == 7:
            text = text[:a] + rng.choice(ODD_STRINGS) + text[a:]
        elif op == 8:
            depth = rng.choice([10, 70, 500])
            text = text[:a] + "x {" * depth + "}" * rng.choice([0, depth]) + text[a:]
        elif op == 9:
            text = text[:a] + "[" * rng.choice([3, 200]) + text[a:]
        elif op == 10:
            text = text[:a] + "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randint(1, 8)))\
                .encode("utf-8", "replace").decode("utf-8", "replace") + text[a:]
        elif op == 11:
            text = rng.choice(['include "../x.dsspec"\n', 'include "lib.dsspec"\n', 'include "loop.dsspec"\n',
                               'include "/etc/passwd"\n', 'include ""\n', 'include "\\u0000"\n']) + text
        elif op == 12:
            text = text[:a]  # truncate
        elif op in (14, 15):  # a value of a hostile shape in place of one the spec has
            spots = [m.span() for m in _VALUE.finditer(text)]
            if spots:
                x, y = rng.choice(spots)
                text = text[:x] + rng.choice(VALUE_SHAPES) + text[y:]
        else:
            text = text[:a] + (" " * rng.randint(1, 3) + rng.choice(TOKENS)) * rng.randint(1, 30) + text[a:]
    return text


def config(rng: random.Random) -> tuple[str, str]:
    """Return ``(file name, text)`` of a generated configuration."""
    lines = []
    pyproject = rng.random() < 0.5
    if pyproject:
        lines.append(rng.choice(["[tool.dsspec]", "[tool]", "[tool.dsspec.thresholds]", "", "tool = 1"]))
    for _ in range(rng.randint(0, 5)):
        key = rng.choice(CONFIG_KEYS)
        if rng.random() < 0.1:
            value = "[" * rng.choice([5, 40, 3000]) + "]" * rng.choice([0, 5, 40, 3000])
        else:
            value = rng.choice(CONFIG_VALUES)
        lines.append(f"{key} = {value}" if rng.random() < 0.8 else f"[{key}]")
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.1:
        text = mutate(rng, text)
    return ("pyproject.toml" if pyproject else "dsspec.toml"), text


def run_main(argv: list[str]) -> tuple[int, str, str]:
    from dsspec.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def findings(folder: Path, name: str) -> list[tuple[str, str]]:
    import json

    code, out, _ = run_main(["check", "--format", "json", "--exit-zero", str(folder / name)])
    return sorted((d["code"], d["message"]) for d in json.loads(out)["findings"]
                  if not d["message"].startswith("line "))


def one(rng: random.Random, folder: Path, kind: str) -> None:
    """Run the commands on one generated input; raise ``AssertionError`` on a crash or a broken promise."""
    spec = folder / "s.dsspec"
    (folder / ".git").mkdir()
    (folder / "lib.dsspec").write_text("source lib_s { kind table }\n")
    if not (folder / "loop.dsspec").is_symlink():
        (folder / "loop.dsspec").symlink_to("loop.dsspec")
    if kind == "bytes":
        spec.write_bytes(rng.randbytes(rng.randint(0, 600)))
    elif kind == "config":
        name, text = config(rng)
        (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        spec.write_text(rng.choice(SEEDS).read_text(), encoding="utf-8")
    else:
        spec.write_text(mutate(rng, rng.choice(SEEDS).read_text()), encoding="utf-8", errors="surrogatepass")
    fmt = rng.choice(["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
    code, out, err = run_main(["check", "--format", fmt, str(spec)])
    assert code in (0, 1), f"check exit {code}: {err[-500:]}"
    if rng.random() < 0.05:  # the whole folder: the spec, a library, a symbolic link loop
        code, _, err = run_main(["check", "--format", rng.choice(["sarif", "json", "junit"]), str(folder)])
        assert code in (0, 1), f"check folder exit {code}: {err[-500:]}"
    code, _, err = run_main(["fmt", "--check", str(spec)])
    assert code in (0, 1), f"fmt --check exit {code}: {err[-500:]}"
    if kind != "bytes":
        _fmt_keeps_meaning(folder, spec)
    if rng.random() < 0.08:
        formats = "md,json,dot" + (",svg" if rng.random() < 0.1 else "")
        code, _, err = run_main(["build", str(spec), "-o", str(folder / "out"), "--format", formats])
        assert code in (0, 1), f"build exit {code}: {err[-500:]}"
    if rng.random() < 0.02:
        name = rng.choice(["a" * rng.randint(1, 400), "x/y", "", "\x00", "ok_name", "-x", "é"])
        code, _, err = run_main(["init", str(folder / name)]) if name else (2, "", "dsspec: error")
        assert code in (0, 2) and "internal" not in err, f"init {name!r}: {err[-300:]}"
    if rng.random() < 0.01:
        for argv in (["rules"], ["schema"], ["explain", rng.choice(["DS101", "x", "DS9", "owner-missing", ""])]):
            code, _, err = run_main(argv)
            assert code in (0, 1, 2) and "internal" not in err, f"{argv}: {err[-300:]}"


def _fmt_keeps_meaning(folder: Path, spec: Path) -> None:
    before = spec.read_bytes()
    copy = folder / "f.dsspec"
    copy.write_bytes(before)
    before_findings = findings(folder, "f.dsspec")
    code, _, err = run_main(["fmt", str(copy)])
    assert code in (0, 1), f"fmt exit {code}: {err[-500:]}"
    if code != 0:
        return
    FORMATTED[0] += 1
    once = copy.read_bytes()
    after_findings = findings(folder, "f.dsspec")
    assert before_findings == after_findings, f"fmt changed the findings: {before_findings} -> {after_findings}"
    code, _, _ = run_main(["fmt", str(copy)])
    assert code == 0 and copy.read_bytes() == once, "fmt is not idempotent"


def value_sweep(spots_per_shape: int = 6) -> list[tuple[str, str, float]]:
    """Put every value shape in place of ``spots_per_shape`` values of each bundled spec (spread over the file),
    check it and format it; return ``(shape, spec, seconds)`` of every failure or run over ``SLOW_SECONDS``
    (an exception, an internal error, a traceback)."""
    import tempfile

    os.environ["DSSPEC_RAISE_INTERNAL"] = "1"
    bad = []
    with tempfile.TemporaryDirectory(prefix="dsspec-sweep-") as tmp:
        folder = Path(tmp)
        (folder / "dsspec.toml").touch()
        for seed in sorted(ROOT.glob("specs/*.dsspec")):
            text = seed.read_text(encoding="utf-8")
            spots = [m.span() for m in _VALUE.finditer(text)]
            chosen = spots[:: max(1, len(spots) // spots_per_shape)][:spots_per_shape]
            for shape in VALUE_SHAPES:
                for x, y in chosen:
                    spec = folder / "s.dsspec"
                    spec.write_text(text[:x] + shape + text[y:], encoding="utf-8")
                    start = time.process_time()
                    try:
                        code, _, err = run_main(["check", "--format", "json", str(spec)])
                        assert code in (0, 1), err[-300:]
                        code, _, err = run_main(["fmt", "--check", str(spec)])
                        assert code in (0, 1), err[-300:]
                    except BaseException as err:  # noqa: BLE001 - every failure is a finding of the sweep
                        bad.append((shape, seed.name, repr(err)[:300]))
                    took = time.process_time() - start
                    if took > SLOW_SECONDS:
                        bad.append((shape, seed.name, f"{took:.2f} s"))
    return bad


def campaign(inputs: int, seed: int, crashes: Path | None = None, on_progress=None, start: int = 0) -> Figures:
    """Run ``inputs`` generated inputs (from the ``start``-th of the seed's sequence on); return the figures."""
    import functools

    from dsspec import cli
    from dsspec.compiler.lint import config as configuration

    make_parser = cli._parser
    cli._parser = functools.cache(make_parser)  # argparse's set-up was a third of each run in process
    saved = {k: os.environ.get(k) for k in ("DSSPEC_RAISE_INTERNAL", "GITHUB_STEP_SUMMARY")}
    os.environ["DSSPEC_RAISE_INTERNAL"] = "1"
    os.environ.pop("GITHUB_STEP_SUMMARY", None)
    rng = random.Random(seed)
    figures = Figures()
    base = Path(tempfile.mkdtemp(prefix="dsspec-fuzz-"))
    for _ in range(start):  # the inputs before ``start``, drawn and skipped: input i is the same in every run
        rng.choices(["bytes", "spec", "config"], [20, 65, 15])
        rng.random()
    try:
        for i in range(start, start + inputs):
            if STOPPED[0]:
                break
            kind = rng.choices(["bytes", "spec", "config"], [20, 65, 15])[0]
            folder = base / f"i{i}"
            folder.mkdir()
            configuration.config_at.cache_clear()
            configuration._find.cache_clear()
            start = time.process_time()
            try:
                one(random.Random(rng.random()), folder, kind)
            except BaseException as err:  # noqa: BLE001 - every failure is a finding of the campaign
                if isinstance(err, KeyboardInterrupt):
                    break  # Ctrl-C: report what ran
                figures.crashes.append((i, kind, "".join(traceback.format_exception(err))[-2000:]))
                if crashes is not None:
                    crashes.mkdir(parents=True, exist_ok=True)
                    shutil.copytree(folder, crashes / f"{seed}-{i}", symlinks=True)
                    (crashes / f"{seed}-{i}" / "CRASH.txt").write_text(figures.crashes[-1][2])
            took = time.process_time() - start  # CPU time: the machine's other load is not the input's
            if took > SLOW_SECONDS and crashes is not None:
                crashes.mkdir(parents=True, exist_ok=True)
                shutil.copytree(folder, crashes / f"slow-{seed}-{i}", symlinks=True, dirs_exist_ok=True)
            figures.inputs += 1
            figures.by_kind[kind] = figures.by_kind.get(kind, 0) + 1
            figures.slowest = sorted([*figures.slowest, (took, kind, i)], reverse=True)[:5]
            figures.slow += took > SLOW_SECONDS
            shutil.rmtree(folder, ignore_errors=True)
            if on_progress and (i + 1) % 1000 == 0:
                on_progress(figures)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        cli._parser = make_parser
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="begin at this input of the seed's sequence")
    parser.add_argument("--crashes", type=Path, help="copy each crashing input's folder here")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import signal

    def stop(*_):
        STOPPED[0] = True  # finish the input under way, then report

    signal.signal(signal.SIGTERM, stop)
    started = time.perf_counter()

    def progress(f: Figures) -> None:
        print(f"{f.inputs} inputs, {len(f.crashes)} crashes, slowest {f.slowest[0][0]:.2f} s, "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    figures = campaign(args.inputs, args.seed, args.crashes, progress, args.start)
    print(f"inputs: {figures.inputs} ({', '.join(f'{k} {v}' for k, v in sorted(figures.by_kind.items()))})")
    print(f"crashes: {len(figures.crashes)}; fmt round trips checked: {FORMATTED[0]}")
    for i, kind, trace in figures.crashes[:10]:
        print(f"--- input {i} ({kind})\n{trace}")
    print(f"inputs over {SLOW_SECONDS:.0f} s: {figures.slow}")
    print("slowest: " + ", ".join(f"input {i} ({kind}) {took:.3f} s" for took, kind, i in figures.slowest))
    print(f"total: {time.perf_counter() - started:.0f} s")
    return 1 if figures.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
