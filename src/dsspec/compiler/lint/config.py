"""Configuration: ``[tool.dsspec]`` in pyproject.toml, or dsspec.toml.

The nearest file above a spec wins (in one folder, dsspec.toml before
pyproject.toml; a pyproject.toml without ``[tool.dsspec]`` does not count).
Keys are kebab-case, as in Ruff. Unknown keys and bad values are
``invalid-config`` findings pointing into the configuration file.
"""

from __future__ import annotations

import fnmatch
import functools
import math
import os
import re
from pathlib import Path

from dsspec.base.codes import core
from dsspec.compiler.lint import config_files as files
from dsspec.base.diagnostics import Diagnostic, Severity
from dsspec.base.record import field, record
from dsspec.base.span import Span

THRESHOLDS = {
    # key: (default, kind, what it means)
    "realtime-latency": ("1s", "duration", "latency targets at or under this need online serving"),
    "huge-model": ("10B", "number", "parameter count from which a model is huge"),
    "small-budget": ("$5k/month", "money", "monthly budget at or under which a huge model is out of reach"),
    "imbalance": ("10%", "percent", "minority share at or under which labels are imbalanced"),
    "review-cases": ("97", "number", "smallest manual review: 97 cases give +-10% at 95% confidence"),
    "small-text-data": ("10k", "number", "labelled rows under which a text model needs pretraining"),
    "live-label-delay": ("1h", "duration", "label delay over which a tracked metric must say `delayed`"),
    "error-cost-ratio": ("5", "number", "ratio of error costs from which the metric must favour the costlier"),
    "adversarial-retraining": ("14d", "duration", "longest retraining interval for a model in an adversarial domain"),
    "label-maturity-slack": ("14d", "duration", "how far the last training labels may still mature into the test window"),
    "intermittent": ("1%", "percent", "share of zero outcomes from which MAPE is undefined in practice"),
}
TOP_KEYS = ("extend", "select", "ignore", "severity", "per-file-ignores", "exclude", "thresholds", "families",
            "metrics", "hardware", "preview", "rules", "accept", "questions")
QUESTION_KEYS = ("draft", "review", "approved", "status", "ignore")
_LITERAL = {
    "duration": re.compile(r"^[0-9]+(?:\.[0-9]+)?(?:ms|min|mo|s|h|d|w|y)$"),
    "number": re.compile(r"^[0-9]+(?:\.[0-9]+)?[kMB]?$"),
    "percent": re.compile(r"^[0-9]+(?:\.[0-9]+)?%$"),
    "money": re.compile(r"^\$[0-9]+(?:\.[0-9]+)?[kMB]?(?:/[a-z]+)?$"),
}


def parse_threshold(kind: str, raw) -> float | None:
    """Return a threshold in base units (seconds, dollars/month, fraction), or ``None`` if malformed."""
    from dsspec.compiler.model.values import quantity

    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):  # a bare number only where no unit is needed (a count, a ratio)
        return float(raw) if kind == "number" and math.isfinite(raw) and raw >= 0 else None
    if not isinstance(raw, str) or not _LITERAL[kind].match(raw.strip()):
        return None
    q, _ = quantity(kind, raw.strip(), Span(1, 1, 1, 1, 0, 0))
    if q is None:
        return None
    return q.per_month if kind == "money" and q.per_month is not None else q.value


@record
class Config:
    """Settings for the specs below one configuration file (or the defaults)."""

    path: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)
    families: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    hardware: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)  # {"levels": {status: level}, "status": str, "ignore": [ids]}
    preview: bool = False
    rules: tuple = ()
    """Custom rules (``dsspec.compiler.lint.custom``) of this file and the files it extends."""
    accepted: tuple = ()
    """Accepted risks of the register (``[[accept]]``): ``dsspec.compiler.lint.accepted.Acceptance``."""
    origins: dict[str, str] = field(default_factory=dict)
    """Where each setting came from: ``select``, ``thresholds.imbalance``, ``rules.TEAM001`` -> file."""
    files: tuple[str, ...] = ()
    """Every file read to make this configuration (it and what it extends), for cache keys."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pending: list = field(default_factory=list, repr=False)
    """Selectors named in the file, checked once its custom rules are known."""

    def ignored_for(self, spec_path: str) -> tuple[str, ...]:
        """Return the rule selectors ``per-file-ignores`` switch off for ``spec_path``."""
        out: list[str] = []
        posix = Path(spec_path).as_posix()
        for pattern, rules in self.per_file_ignores.items():
            if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(Path(spec_path).name, pattern) or \
                    fnmatch.fnmatch(posix, "*/" + pattern):
                out.extend(rules)
        return tuple(out)


_line_of = files.line_of


def load(path: Path, _stack: tuple[Path, ...] = ()) -> Config:
    """Read one configuration file and what it extends; problems become findings in ``Config.diagnostics``
    (``invalid-config``, ``invalid-rule``, ``extend-error``), never exceptions."""
    from dsspec.compiler.lint.config_extend import extended

    cfg, data, text = _load_own(path)
    return extended(cfg, data, text, path, _stack, load, check_selector)


def _load_own(path: Path) -> tuple[Config, dict, str]:
    """Read one configuration file's own settings; return them, its table and its text."""

    def suggest(word, options):  # loaded only for a mistake: a clean configuration never needs it
        from dsspec.base.suggestions import suggest as nearest

        return nearest(word, options)

    from dsspec.base.paths import display_path
    from dsspec.base.streams import clip

    shown = display_path(path)
    cfg = Config(path=shown, files=(str(path),))
    data: dict = {}
    text, why = files.read(path, strict=True)
    if text is None:
        cfg.diagnostics.append(core("invalid-config", shown, Span(1, 1, 1, 1, 0, 0),
                                    f"configuration file `{shown}` cannot be read: {why}",
                                    help=("save it as UTF-8" if "UTF-8" in why else "fix its permissions, or remove it")
                                    + "; until then the defaults apply"))
        return cfg, data, ""

    def bad(key: str, message: str, help: str | None = None) -> None:
        cfg.diagnostics.append(core("invalid-config", shown, _line_of(text, key), message, help=help))

    try:
        data = files.parse(text)
    except RecursionError:
        cfg.diagnostics.append(core("invalid-config", shown, Span(1, 1, 1, 1, 0, 0),
                                    "arrays or tables are nested too deeply to read",
                                    help="configuration needs at most three levels of nesting"))
        return cfg, {}, text
    except ValueError as err:  # tomllib.TOMLDecodeError (tomllib is loaded only to parse a file)
        m = re.search(r"line (\d+), column (\d+)", str(err))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        cfg.diagnostics.append(core("invalid-config", shown, Span(line, col, line, col + 1, 0, 0),
                                    f"not valid TOML: {err}"))
        return cfg, {}, text
    if path.name == "pyproject.toml":
        data = files.tool_table(data)
        if not isinstance(data, dict):
            bad("dsspec", f"`[tool.dsspec]` must be a table, not {files.kind(data)}",
                "write the settings under a `[tool.dsspec]` header")
            return cfg, {}, text
    for key, value in data.items():
        if key in ("extend", "rules", "accept", "preview"):
            continue  # read by config_extend, after the files this one extends

        if key not in TOP_KEYS:
            hint = suggest(key, TOP_KEYS)
            bad(key, f"unknown configuration key `{clip(key, 80)}`" + (f"; did you mean `{hint}`?" if hint else ""),
                "known keys: " + ", ".join(f"`{k}`" for k in TOP_KEYS))
            continue
        if key in ("select", "ignore", "exclude"):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                bad(key, f"`{key}` must be a list of strings")
                continue
            if key != "exclude":
                for selector in value:
                    cfg.pending.append((selector, key))
            setattr(cfg, key, tuple(value))
        elif key == "severity":
            for rule, level in _table(key, value, bad).items():
                cfg.pending.append((rule, key))
                if level not in ("error", "warning", "info"):
                    bad(rule, f"severity of `{clip(rule, 80)}` must be `error`, `warning` or `info`, not `{level}`")
                    continue
                cfg.severity[rule] = Severity(level)
        elif key == "per-file-ignores":
            for pattern, rules in _table(key, value, bad).items():
                why = _bad_glob(pattern)
                if why:
                    bad(pattern, f"per-file-ignores pattern `{pattern[:100]}` is not a valid glob: {why}",
                        "globs use `*`, `?` and `[abc]`; write `[[]` to match a literal `[`")
                    continue
                if not (isinstance(rules, list) and all(isinstance(r, str) for r in rules)):
                    bad(pattern, f"per-file-ignores for `{clip(pattern, 80)}` must be a list of rules")
                    continue
                for selector in rules:
                    cfg.pending.append((selector, key))
                cfg.per_file_ignores[pattern] = tuple(rules)
        elif key == "thresholds":
            for name, raw in _table(key, value, bad).items():
                if name not in THRESHOLDS:
                    hint = suggest(name, THRESHOLDS)
                    bad(name, f"unknown threshold `{name}`" + (f"; did you mean `{hint}`?" if hint else ""),
                        "known thresholds: " + ", ".join(f"`{k}`" for k in THRESHOLDS))
                    continue
                default, kind, _ = THRESHOLDS[name]
                parsed = parse_threshold(kind, raw)
                if parsed is None:
                    unitless = kind != "number" and isinstance(raw, (int, float)) and not isinstance(raw, bool)
                    bad(name, f"threshold `{name}` must be {kind} such as `\"{default}\"`, not `{raw}`"
                              + ("; a number needs its unit, in quotes" if unitless else ""))
                    continue
                low, high = _RANGES.get(name, (0.0, 1.0) if kind == "percent" else (0.0, math.inf))
                if not low <= parsed <= high:
                    allowed = "between 0% and 100%" if kind == "percent" else f"at least {low:g}"
                    bad(name, f"threshold `{name}` must be {allowed}, not `{raw}`")
                    continue
                cfg.thresholds[name] = parsed
        elif key == "families":
            cfg.families = {name: entry for name, entry in _table(key, value, bad).items()
                            if _family_ok(name, entry, bad)}
        elif key == "metrics":
            for name, entry in _table(key, value, bad).items():
                if not (isinstance(entry, dict) and entry.get("better") in ("higher", "lower")
                        and set(entry) <= {"better", "labels", "bounded"}
                        and all(isinstance(entry.get(k, True), bool) for k in ("labels", "bounded"))):
                    bad(name, f"metric `{name}` must be like `{{ better = \"higher\", labels = false }}` "
                              "(`better` is `higher` or `lower`; `labels`, optional, says whether it needs labels; "
                              "`bounded`, optional, whether its values are at most 1)")
                    continue
                cfg.metrics[name] = entry
        elif key == "questions":
            cfg.questions = _questions(_table(key, value, bad), bad)
        else:  # hardware
            for name, number in _table(key, value, bad).items():
                if name not in HARDWARE_KEYS:
                    hint = suggest(name, HARDWARE_KEYS)
                    bad(name, f"unknown hardware figure `{name}`" + (f"; did you mean `{hint}`?" if hint else ""),
                        "known: " + ", ".join(f"`{k}`" for k in HARDWARE_KEYS))
                elif isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) \
                        or number <= 0:
                    bad(name, f"hardware figure `{name}` must be a positive number")
                else:
                    cfg.hardware[name] = float(number)
    return cfg, data, text


def _questions(table: dict, bad) -> dict:
    """Read `[questions]`: the level of an open review question at each status, a status to judge every
    design at, and question ids to leave out."""
    from dsspec.compiler.lint import questions as q
    from dsspec.base.suggestions import suggest

    out: dict = {}
    for name, value in table.items():
        if name not in QUESTION_KEYS:
            hint = suggest(name, QUESTION_KEYS)
            bad(name, f"unknown key `{name}` in `questions`" + (f"; did you mean `{hint}`?" if hint else ""),
                "known keys: " + ", ".join(f"`{k}`" for k in QUESTION_KEYS))
        elif name in q.STATUSES:
            if value not in q.LEVELS:
                bad(name, f"`questions.{name}` must be one of {', '.join(f'`{x}`' for x in q.LEVELS)}, not `{value}`")
            else:
                out.setdefault("levels", {})[name] = value
        elif name == "status":
            if value not in q.STATUSES:
                bad(name, f"`questions.status` must be one of {', '.join(f'`{x}`' for x in q.STATUSES)}, not `{value}`")
            else:
                out["status"] = value
        else:
            known = q.by_id()
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                bad(name, "`questions.ignore` must be a list of question ids")
                continue
            for qid in value:
                if qid not in known:
                    hint = suggest(qid, known)
                    bad(qid, f"unknown review question `{qid}`" + (f"; did you mean `{hint}`?" if hint else ""),
                        "see `dsspec questions --catalogue`")
            out["ignore"] = tuple(v for v in value if v in known)
    return out


_RANGES = {"review-cases": (1.0, math.inf), "error-cost-ratio": (1.0, math.inf)}
"""Bounds of thresholds beyond their kind's (a percentage is 0% to 100%, anything else at least 0)."""


def _bad_glob(pattern: str) -> str | None:
    """Return why ``pattern`` is not a usable glob (an empty one, a ``[`` never closed), or ``None``."""
    if not pattern.strip():
        return "it is empty"
    i = 0
    while i < len(pattern):
        if pattern[i] == "[":
            j = i + 1
            if j < len(pattern) and pattern[j] == "!":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            close = pattern.find("]", j)
            if close < 0:
                return f"the `[` at character {i + 1} is never closed by `]`"
            i = close
        i += 1
    return None


HARDWARE_KEYS = ("gpu_hour_price", "gpu_memory_gb", "bytes_per_param", "memory_overhead", "hours_per_month")


LLM_KEYS = ("context_window", "price_in", "price_out")
"""A family's LLM facts: tokens per call, and US dollars per million prompt and completion tokens."""


def _family_ok(name: str, entry, bad) -> bool:
    """Check one `[families.NAME]` table: tier 0-4, params >= 0, latency_ms {cpu, gpu: [base, per_billion]}."""
    def number(x) -> bool:
        return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x >= 0

    if not isinstance(entry, dict):
        bad(name, f"family `{name}` must be a table: `[families.{name}]` with `tier`, `params`, `latency_ms`")
        return False
    from dsspec.compiler.lint.catalogue import catalogue

    missing = [k for k in ("tier", "params", "latency_ms") if k not in entry and name not in catalogue("families")]
    if missing:
        bad(name, f"new family `{name}` needs {', '.join(f'`{k}`' for k in missing)}")
        return False
    unknown = sorted(set(entry) - {"tier", "params", "latency_ms", *LLM_KEYS})
    if unknown:
        bad(unknown[0], f"unknown key `{unknown[0]}` in family `{name}`; known: `tier`, `params`, `latency_ms`, "
            "`context_window`, `price_in`, `price_out`")
        return False
    for key in LLM_KEYS:
        if key in entry and not number(entry[key]):
            bad(name, f"family `{name}`: `{key}` must be a number")
            return False
    if "tier" in entry and entry["tier"] not in (0, 1, 2, 3, 4):
        bad(name, f"family `{name}`: `tier` must be 0, 1, 2, 3 or 4")
        return False
    if "params" in entry and not number(entry["params"]):
        bad(name, f"family `{name}`: `params` must be a number")
        return False
    latency = entry.get("latency_ms", {"cpu": [0, 0]})
    if not (isinstance(latency, dict) and latency and set(latency) <= {"cpu", "gpu"} and
            all(isinstance(v, list) and len(v) == 2 and all(number(x) for x in v) for v in latency.values())):
        bad(name, f"family `{name}`: `latency_ms` must be like `{{ cpu = [1.0, 500.0], gpu = [1.0, 50.0] }}`")
        return False
    return True


def _table(key: str, value, bad) -> dict:
    if not isinstance(value, dict):
        bad(key, f"`{key}` must be a table")
        return {}
    return value


def check_selector(selector: str, key: str, bad, extra=()) -> None:
    """Report through ``bad`` a selector that names no rule (``extra``: custom rules known here)."""
    from dsspec.compiler.lint.registry import RULES, known_selector, selector_names

    if known_selector(selector, extra=extra):
        return
    from dsspec.base.suggestions import suggest

    hint = suggest(selector, selector_names(extra=extra) + [c for c, _, _ in RULES])
    from dsspec.base.streams import clip

    bad(selector, f"`{key}` names unknown rule `{clip(selector, 80)}`" + (f"; did you mean `{hint}`?" if hint else ""),
        "see `dsspec rules`")


def find_config(spec_path: str | Path) -> Path | None:
    """Return the configuration file nearest above ``spec_path`` (links resolved), if any.

    A spec that is not itself a link is looked up by its folder, resolved once per folder: a
    run over thousands of files in a few folders resolves a few paths, not thousands.
    """
    from dsspec.base.paths import real

    absolute = os.path.abspath(spec_path)
    if os.path.islink(absolute):
        return _find(real(absolute).parent)
    return _find_in(os.path.dirname(absolute))


@functools.cache
def _find_in(folder: str) -> Path | None:
    from dsspec.base.paths import real

    return _find(real(folder))


_find = files.find  # cached per folder; ``_find.cache_clear()`` forgets what was found


@functools.cache
def config_at(path: Path | None) -> Config:
    """Return the (cached) configuration of one file, or the defaults for ``None``."""
    if path is None:
        return Config()
    files.seen(path)
    return load(path)


def refresh() -> bool:
    """Forget every cached configuration when a configuration file changed, appeared or went away since it
    was read (``config_files.stale``); return whether one did. A one-shot command never needs it; a
    long-lived process calls it before each compile."""
    if not files.stale():
        return False
    files.SEEN.clear()
    _find.cache_clear()
    _find_in.cache_clear()
    config_at.cache_clear()
    return True
