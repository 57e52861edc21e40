"""The rule base: what a design rule is, what it receives, what it yields.

A rule is a class with a stable ``code`` (``DS101``), a kebab-case ``name``
after the pattern it flags, a default ``severity`` and the workflow ``stage``
it belongs to. Its docstring is its documentation, in fixed sections (see
``SECTIONS``); the same text feeds ``dsspec explain``, ``docs/rules.md`` and
SARIF. ``check`` receives the resolved spec and a ``Context`` and yields
``Hit``s; it never prints, reads files or reads configuration itself.
"""

from __future__ import annotations

import re

from dsspec.base.diagnostics import Related, Severity
from dsspec.base.record import field, named, record
from dsspec.compiler.model.resolve import Resolved
from dsspec.base.span import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar, Iterator

_DIGITS = re.compile(r"\d+")
STAGES = ("ecosystem", "operator", "system design", "start simple", "metrics", "audience", "operations")
SECTIONS = ("What it does", "Why it matters", "Example", "Use instead")


@named
class Hit:
    """One finding as a rule sees it; the engine adds code, severity and path.

    ``severity`` raises or lowers this one finding from the rule's own (a
    misspelt success metric is an error, one in `track` a warning); a severity
    the configuration sets for the rule still wins.
    """

    span: Span
    message: str
    help: str | None = None
    related: tuple[Related, ...] = ()
    severity: Severity | None = None


@record(frozen=True)
class Context:
    """What a rule may know besides the spec: thresholds and catalogues."""

    thresholds: dict
    families: dict
    metrics: dict
    hardware: dict
    questions: dict = field(default_factory=dict)  # [tool.dsspec.questions]: status levels, status, ignore

    def family(self, name: str | None) -> dict | None:
        """Return the catalogue entry of a model family, or ``None`` when unknown."""
        return self.families.get(name) if name else None

    def metric(self, name: str) -> dict | None:
        """Return the catalogue entry of a metric, or ``None`` when unknown.

        Parametrised forms follow their base: ``recall_at_5``, ``ndcg_at_10``
        and ``precision_at_k`` read ``recall``, ``ndcg`` and ``precision``;
        a name that differs from a known one only in its numbers or its
        underscores (``top3_accuracy``, ``p70_coverage``, ``rouge2``,
        ``prauc``) reads that one.
        """
        entry = self.metrics.get(name)
        if entry is None and "_at_" in name:
            entry = self.metrics.get(name.split("_at_")[0])
        if entry is None:
            bare = _DIGITS.sub("", name).replace("_", "")
            entry = next((v for k, v in sorted(self.metrics.items())
                          if _DIGITS.sub("", k).replace("_", "") == bare), None)
        return entry

    def higher_is_better(self, metric: str) -> bool | None:
        """Return whether larger values of ``metric`` are better; ``None`` when unknown or undeclared."""
        entry = self.metric(metric)
        return None if entry is None or "better" not in entry else entry["better"] == "higher"

    def needs_labels(self, metric: str) -> bool | None:
        """Return whether measuring ``metric`` needs true outcomes (labels); ``None`` when unknown."""
        entry = self.metric(metric)
        return None if entry is None else entry.get("labels", True)

    def with_spec(self, spec: Resolved) -> "Context":
        """Return this context with the spec's own `metric` declarations added to the catalogue."""
        if not spec.metrics:
            return self
        own = {name: {"labels": m.labels is None or m.labels.name == "yes",
                      **({"better": m.better.name} if m.better else {})}
               for name, m in spec.metrics.items()}
        return Context(self.thresholds, self.families, {**self.metrics, **own}, self.hardware, self.questions)


class Rule:
    """Base of every design rule; see the module docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    stage: ClassVar[str]
    references: ClassVar[tuple[str, ...]] = ()
    """Outside catalogues the rule answers to, as ``SCHEME:ID`` (``"rules-of-ml:14"``, ``"owasp-llm:LLM01"``,
    ``"mast:FM-1.3"``): merged with ``data/references.toml`` by ``dsspec.compiler.lint.references.of``;
    shown by ``explain`` and in docs/rules.md, SARIF tags, and listed by ``dsspec rules --by SCHEME``."""
    preview: ClassVar[bool] = False
    """A preview rule runs only with ``--preview`` or ``preview = true`` in the configuration."""
    origin: ClassVar[str] = "built-in"
    """Where the rule comes from: ``built-in``, ``plugin DIST`` or the configuration file that declares it."""

    def check(self, spec: Resolved, ctx: Context) -> Iterator[Hit]:
        """Yield the rule's findings on ``spec``."""
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        """Return the rule's documentation (its docstring, dedented)."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def referenced(cls, prefix: str) -> tuple[str, ...]:
        """Return the rule's references under ``prefix`` (``owasp-llm`` or ``owasp-llm:LLM01``)."""
        return tuple(r for r in cls.references if r == prefix or r.startswith(prefix.rstrip(":") + ":"))

    @classmethod
    def summary(cls) -> str:
        """Return the first line of the documentation."""
        return cls.doc().split("\n", 1)[0]

    @classmethod
    def sections(cls) -> dict[str, str]:
        """Return the documentation's sections by heading (``## What it does`` ...)."""
        out: dict[str, str] = {}
        heading = None
        for line in cls.doc().split("\n"):
            if line.startswith("## "):
                heading = line[3:].strip()
                out[heading] = ""
            elif heading is not None:
                out[heading] += line + "\n"
        return {k: v.strip() for k, v in out.items()}

    @classmethod
    def example(cls, heading: str) -> str:
        """Return the spec in the ``dsspec`` code block of section ``heading``."""
        body = cls.sections().get(heading, "")
        start = body.find("```dsspec")
        if start < 0:
            return ""
        end = body.find("```", start + 9)
        return body[start + 9: end].strip("\n") + "\n"
