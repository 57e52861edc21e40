"""Custom rules declared in the configuration: ``[rules.ID]`` tables, each a rule like the built-in ones.

::

    [rules.TEAM001]
    name     = "privacy-reviewer-missing"
    severity = "error"
    on       = "model"
    when     = '...a CEL condition, true where the rule fires...'
    message  = "model `{name}` reads personal data but no privacy reviewer is named"
    help     = "add `stakeholder privacy_reviewer \\"...\\"` to `ecosystem`"
    what-it-does   = "..."
    why-it-matters = "..."
    example        = '''a spec on which it fires'''
    use-instead    = '''the same spec, fixed'''

``parse`` turns such a table into a ``Rule`` subclass (so the registry, docs,
``explain``, SARIF and suppressions treat it as they treat the built-in rules)
or into problems that the configuration reports as ``invalid-rule`` findings.
The conditions are evaluated by ``dsspec.compiler.lint.condition``.
"""

from __future__ import annotations

import functools
import re

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Context, Hit, Rule
from dsspec.compiler.lint.plugins import CODE, NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator

KEYS = ("name", "severity", "on", "when", "message", "help", "summary", "stage", "preview", "references",
        "what-it-does", "why-it-matters", "example", "use-instead")
REQUIRED = ("name", "on", "when", "message", "what-it-does", "why-it-matters", "example", "use-instead")
STAGES = ("ecosystem", "operator", "system design", "start simple", "metrics", "audience", "operations")


class DeclaredRule(Rule):
    """Base of the rules a configuration declares; ``parse`` makes one subclass per ``[rules.ID]``."""

    on: str = "spec"
    when: str = "false"
    message: str = ""
    help_text: str | None = None
    depth: int = 0

    def check(self, spec, ctx: Context) -> Iterator[Hit]:
        """Yield a finding on each element of ``on`` for which ``when`` is true.

        Raises ``RuleError`` when the condition fails on this design; the
        engine reports it as ``rule-error``.
        """
        from dsspec.compiler.lint.condition import elements

        evaluator = _evaluator(spec)
        if not evaluator.affordable(self.depth + 1):
            raise RuleError(f"its condition is too costly on this design (lists of {evaluator.longest:,} "
                            f"elements, comprehensions {self.depth} deep)", None)
        nodes = elements(spec, self.on)
        if not nodes:
            return
        try:
            values = evaluator.results.get(self.code)
            if values is None:
                values = evaluator.run(self.when, self.on)
            values = values[:len(nodes)]
        except Exception:  # find which element fails; the others still count
            values = []
            for i in range(len(nodes)):
                try:
                    values.append(evaluator.one(self.when, self.on, i))
                except Exception as err:
                    raise RuleError(_cel_error(err), nodes[i]) from None
        for node, value in zip(nodes, values):
            if not isinstance(value, bool):
                raise RuleError(f"its condition gave `{str(value)[:60]}`, not `true` or `false`", node)
            if value:
                yield Hit(_anchor(spec, node), _fill(self.message, node), _fill(self.help_text, node))


class RuleError(Exception):
    """A custom rule's condition failed on one design: why, and the element it failed on (or ``None``)."""

    def __init__(self, why: str, node):
        super().__init__(why)
        self.why, self.node = why, node


def _cel_error(err: Exception) -> str:
    text = str(err).split("\n")[0][:200]
    if isinstance(err, KeyError):
        return f"its condition reads `{text.strip(chr(39))}`, which this element does not have"
    return f"its condition failed: {text}"


_LAST: list = [None, None]  # (resolved spec, evaluator): the one design being checked, shared by its rules


def prepare(spec, rules) -> None:
    """Convert ``spec`` once for every custom rule in ``rules`` that will run on it, keeping only the
    fields their conditions read."""
    from dsspec.compiler.lint import condition

    mine = tuple(r for r in rules if issubclass(r, DeclaredRule))
    if mine:
        _LAST[0], _LAST[1] = spec, condition.Evaluator(spec, _keep(mine))
        _LAST[1].batch(mine)


@functools.lru_cache(maxsize=64)
def _keep(rules: tuple) -> frozenset[str] | None:
    """Return the design fields a set of custom rules reads (``None``: any)."""
    from dsspec.compiler.lint import condition

    keep = condition.members(r.when for r in rules)
    return None if keep is None else keep | {f for r in rules for f in condition.needs(r.on)}


def _evaluator(spec):
    from dsspec.compiler.lint.condition import Evaluator

    if _LAST[0] is not spec:
        _LAST[0], _LAST[1] = spec, Evaluator(spec)
    return _LAST[1]


def _anchor(spec, node):
    from dsspec.base.span import Span

    span = getattr(node, "header", None) or getattr(node, "span", None)
    if span is None:  # the design as a whole: its product's header
        product = spec.spec.product
        span = product.header if product is not None else Span(1, 1, 1, 1, 0, 0)
    return span


def _fill(template: str | None, node) -> str | None:
    if template is None:
        return None
    name = getattr(getattr(node, "name", None), "name", None) or getattr(getattr(node, "model", None), "name", "")
    return template.replace("{name}", str(name))


def parse(rules: dict, origin: str, taken: set[str]) -> tuple[list[type[Rule]], list[tuple[str, str, str | None, str | None]]]:
    """Return the rule classes of a ``[rules]`` table, and problems as ``(key, message, help, near)``.

    ``key`` is the rule's id (to locate the finding in the file), ``near`` the
    text in its condition the problem is about. ``taken`` holds the codes and
    names already in use (built-in, plugin and earlier rules); it is updated.
    """
    from dsspec.base.suggestions import suggest
    from dsspec.compiler.lint import condition

    out: list[type[Rule]] = []
    problems: list[tuple[str, str, str | None, str | None]] = []
    for code, table in rules.items():
        def bad(message: str, help: str | None = None, near: str | None = None) -> None:
            problems.append((code, f"rule `{code}`: {message}", help, near))

        if not CODE.fullmatch(code) or code.startswith("DS"):
            bad("an id is capital letters then digits (`TEAM001`), not starting with `DS`, which is dsspec's")
            continue
        if not isinstance(table, dict):
            bad("must be a table: `[rules." + code + "]` with `name`, `on`, `when`, `message`...")
            continue
        unknown = [k for k in table if k not in KEYS]
        if unknown:
            hint = suggest(unknown[0], KEYS)
            bad(f"unknown key `{unknown[0]}`" + (f"; did you mean `{hint}`?" if hint else ""),
                "keys: " + ", ".join(f"`{k}`" for k in KEYS), near=unknown[0])
            continue
        missing = [k for k in REQUIRED if k not in table]
        if missing:
            bad("lacks " + ", ".join(f"`{k}`" for k in missing),
                "a custom rule has the documentation sections built-in rules have; see docs/team-rules.md")
            continue
        texts = [k for k in KEYS if k in table and k not in ("preview", "references") and not isinstance(table[k], str)]
        if texts:
            bad(f"`{texts[0]}` must be a string", near=texts[0])
            continue
        name = table["name"]
        if not NAME.fullmatch(name):
            bad(f"name `{name}` is not kebab-case (`privacy-reviewer-missing`)", near="name")
            continue
        if code in taken or name in taken:
            bad(f"code `{code}` or name `{name}` is taken by another rule", "give it an id and a name of its own")
            continue
        severity = table.get("severity", "warning")
        if severity not in ("error", "warning", "info"):
            bad(f"severity must be `error`, `warning` or `info`, not `{severity}`", near="severity")
            continue
        kind = table["on"]
        if kind not in condition.KINDS:
            hint = suggest(kind, condition.KINDS)
            bad(f"`on = \"{kind}\"` is not an element kind" + (f"; did you mean `{hint}`?" if hint else ""),
                "kinds: " + ", ".join(f"`{k}`" for k in condition.KINDS), near="on")
            continue
        stage = table.get("stage", "operations")
        if stage not in STAGES:
            bad(f"stage `{stage}` is not one of " + ", ".join(f"`{s}`" for s in STAGES), near="stage")
            continue
        refs = table.get("references", [])
        if not (isinstance(refs, list) and all(isinstance(r, str) and ":" in r for r in refs)):
            bad("`references` must be a list of `SOURCE:ID` strings (`\"ml-test-score:data-5\"`)", near="references")
            continue
        if not isinstance(table.get("preview", False), bool):
            bad("`preview` must be `true` or `false`", near="preview")
            continue
        why = condition.check(table["when"], kind)
        if why is not None:
            bad(why.message, why.help, near=why.near or "when")
            continue
        out.append(_make(code, table, origin, severity, stage, tuple(refs), condition.nesting(table["when"])))
        taken |= {code, name}
    return out, problems


def _make(code: str, table: dict, origin: str, severity: str, stage: str, refs: tuple[str, ...], depth: int):
    summary = table.get("summary") or table["what-it-does"].strip().split("\n")[0].rstrip(".")
    doc = "\n".join([
        summary, "", f"Stage: {stage}. Declared in {origin}.", "", "## What it does", "", table["what-it-does"].strip(), "",
        "## Why it matters", "", table["why-it-matters"].strip(), "",
        "## Example", "", "```dsspec", table["example"].strip("\n"), "```", "",
        "## Use instead", "", "```dsspec", table["use-instead"].strip("\n"), "```"])
    attrs = {"code": code, "name": table["name"], "severity": Severity(severity), "stage": stage,
             "references": refs, "preview": table.get("preview", False), "origin": origin,
             "on": table["on"], "when": table["when"], "message": table["message"], "help_text": table.get("help"),
             "depth": depth, "__doc__": doc, "__module__": __name__}
    return type(re.sub(r"\W", "_", table["name"]).title().replace("_", ""), (DeclaredRule,), attrs)
