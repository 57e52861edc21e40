"""What to write instead: the fixes schema messages name, in the user's terms.

The builder (``dsspec.compiler.model.build``) decides that a value does not fit; these
functions phrase the mistake the way it was probably made — a misspelt or
synonymous word, a quoted name, a number without its unit, a TOML/HCL ``=`` —
and return ``(message, help)`` where the help is the line to write.
"""

from __future__ import annotations

import functools
import re

from dsspec.base.suggestions import did_you_mean, quoted_or, suggestions
from dsspec.compiler.syntax.cst import Value
from dsspec.compiler.syntax.fix import is_name
from dsspec.compiler.syntax.literals import plain

MAGNITUDE = {"k": 1e3, "M": 1e6, "B": 1e9}

_LONG_LIST = 6
"""Enums with more words than this list them in the help, not the message."""

_QUANTILE = re.compile(r"p([0-9]+)")


def percentile(digits: str) -> float | None:
    """Return the percentile ``p`` + ``digits`` names: ``75`` is 75, ``999`` is 99.9, ``100`` is 100; ``None``
    for digits that name none (``150``)."""
    if len(digits) <= 2:
        return float(digits)
    if digits == "100":
        return 100.0
    if digits.startswith("99"):
        return float(digits[:2] + "." + digits[2:])
    return None


def _stricter_quantile(word: str, choices: tuple[str, ...]) -> tuple[str, str | None] | None:
    """Return the message for a percentile the language lacks (``p98``): the nearest stricter one, never looser.

    Latency targets are upper bounds, so a higher percentile is the stricter
    target: ``p98 <= 2s`` holds whenever ``p99 <= 2s`` does, not when ``p95 <= 2s``.
    The message offers no did-you-mean, so ``--fix`` never rewrites it: the
    stricter target is a design decision.
    """
    m = _QUANTILE.fullmatch(word)
    known = {c: percentile(q.group(1)) for c in choices if (q := _QUANTILE.fullmatch(c))}
    level = percentile(m.group(1)) if m else None
    if level is None or not known or word in known:
        return None
    stricter = sorted((v, c) for c, v in known.items() if v is not None and v > level)
    meant = stricter[0][1] if stricter else ("max" if "max" in choices else None)
    if meant is None:
        return None
    return (f"`{word}` is not a percentile dsspec knows: write `{meant}`, the nearest stricter one, or state the "
            f"target at a percentile it knows", f"percentiles: {quoted_or(list(choices))}; a lower one than "
            f"`{word}` would loosen the target")


def not_a_word(word: str, choices: tuple[str, ...], expected: str) -> tuple[str, str | None]:
    """Return the message and help for ``word`` where one of ``choices`` must stand."""
    quantile = _stricter_quantile(word, choices)
    if quantile is not None:
        return quantile
    found = suggestions(word, choices)
    allowed = quoted_or(list(choices))
    if len(choices) > _LONG_LIST:
        message = f"`{word}` is not an allowed word{did_you_mean(word, choices)}"
        return message, (f"write `{found[0]}`; allowed: {allowed}" if found else f"allowed: {allowed}")
    message = f"expected {expected}; found `{word}`" + (f"; did you mean {quoted_or(found)}?" if found else "")
    return message, (f"write `{found[0]}`" if found else None)


def quoted_name(value: Value, choices: tuple[str, ...]) -> tuple[str, str] | None:
    """Return a message for a name written in quotes (``kind "stream"``), when unquoted it would fit."""
    if value.kind != "string" or (choices and value.text not in choices):
        return None
    if is_name(value.text):
        return f"write `{value.text}` without quotes: it is a name, not text", None
    name = as_name(value)
    if choices or name is None:
        return None
    return f"write `{name}`: a name has no quotes and no spaces, only letters, digits and `_`", \
        "put the words in a `title` or `description` instead"


def as_name(value: Value) -> str | None:
    """Return the name a quoted string was meant as (``"Usage daily"`` -> ``usage_daily``), if it makes one."""
    if value.kind != "string":
        return None
    if is_name(value.text):
        return value.text
    name = re.sub(r"[^A-Za-z0-9]+", "_", value.text).strip("_").lower()
    return name if is_name(name) else None


def unit_fix(kinds: tuple[str, ...], value: Value) -> str | None:
    """Return the help for a plain number where a quantity with a unit is expected, or for an `=` comparison."""
    if value.kind == "comparison" and value.text in ("=", "==") and value.items[0].kind in kinds:
        return f"remove the `{value.text}`, write `{{name}} {value.items[0].text}`"
    if value.kind != "number":
        return None
    text = value.text
    want = kinds[0]
    # a duration or a percentage takes no magnitude (`4kms` is no literal): its suggestion spells the number out
    digits = plain(float(text[:-1]) * MAGNITUDE[text[-1]]) if text[-1] in MAGNITUDE else text
    if want == "duration":
        from dsspec.compiler.model.values import DURATION_UNITS, MAX_DURATION

        units = [u for u in ("ms", "s", "h", "d") if float(digits) * DURATION_UNITS[u] <= MAX_DURATION]
        shown = [f"`{digits}{u}`" for u in units]
        if not shown:  # no unit makes it a duration the language holds
            return None
        return f"add its unit, e.g. {', '.join(shown[:-1])} or {shown[-1]}" if len(shown) > 1 else \
            f"add its unit, e.g. {shown[0]}"
    if want == "money":
        return f"write `${text}`, or `${text}/month` for a monthly amount"
    if want == "percent":
        if text.startswith("-"):
            return "a percentage is never negative"
        if not text[-1].isdigit():
            return f"write `{digits}%`"
        number = float(text)
        shown = f"{number * 100:.10g}%" if 0 < number < 1 else f"{text}%"
        return f"write `{shown}`"
    if want == "rate":
        return f"add its period, e.g. `{text}/s`, `{text}/day` or `{text}/month`"
    return None


def unquoted_text(values: list[Value]) -> str | None:
    """Return the values as one quoted string when they look like text written without quotes."""
    if not values or any(v.kind not in ("ident", "number", "percent", "duration", "money", "rate", "date")
                         for v in values):
        return None
    return '"' + " ".join(v.text for v in values) + '"'


@functools.cache
def _homes() -> dict[str, tuple[str, ...]]:
    """Return, for each statement name, the blocks that allow it (``latency`` -> ``operator``, ``step``)."""
    from dsspec.compiler.model.schema import SECTIONS

    homes: dict[str, list[str]] = {}
    todo = [(stmt.name, stmt.body) for stmt in SECTIONS.stmts if stmt.body is not None]
    while todo:
        where, block = todo.pop(0)
        for stmt in block.stmts:
            if where not in homes.setdefault(stmt.name, []):
                homes[stmt.name].append(where)
            if stmt.body is not None and stmt.name != where:
                todo.append((stmt.name, stmt.body))
    return {name: tuple(places) for name, places in homes.items()}


def elsewhere(name: str) -> str | None:
    """Return where a statement that is not allowed here belongs ("`operator`", "`training` or `serving`")."""
    places = list(_homes().get(name, ()))
    if {"manual", "baseline", "step"} <= set(places):
        places = [p for p in places if p not in ("manual", "baseline", "step")]
        return quoted_or(places) + " or a ladder rung" if places else "a ladder rung"
    return quoted_or(places) if places else None


@functools.cache
def _directions() -> dict[str, bool]:
    """Return, for each metric of the bundled catalogue, whether higher is better.

    The catalogue is the design rules' data (``compiler/lint/data``); the
    schema reads only this file of it, to name the comparison a success level
    needs, and imports nothing from the rules' layer.
    """
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parents[1] / "lint" / "data" / "metrics.toml").read_text("utf-8"))
    return {name: entry["better"] == "higher" for name, entry in data.items() if "better" in entry}


def higher_is_better(metric: str) -> bool | None:
    """Return whether higher values of ``metric`` are better by the bundled catalogue (``recall_at_5`` reads
    ``recall``), or ``None`` when it does not say."""
    known = _directions()
    return known.get(metric, known.get(metric.split("_at_")[0]) if "_at_" in metric else None)
