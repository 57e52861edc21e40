"""Where each rule comes from: the sources it cites, from ``data/references.toml`` and the rule itself.

A reference is ``SOURCE:ID`` (``rules-of-ml:14``, ``ml-test-score:data-1``,
``leakage:L1.2``, ``seed:metrics``, ``owasp-llm:LLM01``). A rule's references
are the table's entry for its name, then its class attribute ``references``
(plugins and rules written since set theirs there), then its workflow stage
as ``seed:STAGE`` — each once, in that order.
"""

from __future__ import annotations

import functools
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "references.toml"


@functools.cache
def table() -> dict:
    """Return the parsed references table (sources, their items, built-in rules' references)."""
    from dsspec.compiler.lint.catalogue import load

    return load(_DATA)


def seed(stage: str) -> str:
    """Return the seed-workflow reference of a rule stage (``system design`` -> ``seed:system-design``)."""
    return "seed:" + stage.replace(" ", "-")


def of(rule) -> tuple[str, ...]:
    """Return the references of a rule class, each once: the table's, the class's own, its seed stage."""
    out: list[str] = []
    own = tuple(getattr(rule, "references", ()) or ())
    for ref in (*table()["rules"].get(rule.name, ()), *own):
        if ref not in out:
            out.append(ref)
    stage = getattr(rule, "stage", None)
    if stage and seed(stage) in known() and seed(stage) not in out:
        out.append(seed(stage))
    return tuple(out)


def sources() -> dict[str, dict]:
    """Return the sources by key: ``title``, ``cite``, ``url``."""
    return table()["sources"]


@functools.cache
def known() -> dict[str, str]:
    """Return every known reference (``SOURCE:ID``) with the title of its item."""
    return {f"{src}:{item}": title for src, items in table()["items"].items() for item, title in items.items()}


def title(ref: str) -> str:
    """Return a reference's item title, or ``""`` for one the table does not list."""
    return known().get(ref, "")


def url(ref: str) -> str | None:
    """Return the address of a reference's source, or ``None`` for an unknown source."""
    entry = sources().get(ref.split(":", 1)[0])
    return entry["url"] if entry else None


def describe(ref: str) -> str:
    """Return a reference for people: ``Rules of ML #14: Starting with an interpretable model ...``."""
    src, _, item = ref.partition(":")
    label = {"rules-of-ml": f"Rules of ML #{item}", "ml-test-score": f"ML Test Score {item.replace('-', ' ').title()}",
             "leakage": f"Leakage {item}", "seed": f"seed stage {item}", "owasp-llm": f"OWASP {item}",
             "mast": f"MAST {item}"}.get(src, ref)
    return f"{label}: {title(ref)}" if title(ref) else label


def items(source: str) -> list[str]:
    """Return the references of one source in the table's order (``ml-test-score`` -> ``[..., "ml-test-score:data-1"]``)."""
    return [f"{source}:{item}" for item in table()["items"].get(source, {})]
