"""Views: what a diagram shows, independent of how it is drawn.

A view is elements (sources, inputs, models, outputs, users, the loops, the
constraints and ladder panels, ...), edges between them, groups (drawn as
clusters or subgraphs) and rows of elements to keep side by side. Each named
view (``REGISTRY``) picks the elements that answer one reader's question —
``overview`` for a PM, ``system`` for the whole design, ``ladder`` for the
start-simple story, ``data`` for where the data comes from, ``pipeline`` for
the order of several models — from the element makers of ``parts``. Every
drawing (DOT, icons, Mermaid) renders a ``View``, so drawings of one view
cannot disagree about what a design contains.

Every element keeps the span of the statement it comes from; a finding is
attached to the innermost element whose statement contains the finding's
start. Ids are derived from kinds and declared names, never random.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from dsspec.base.span import Span

if TYPE_CHECKING:
    from dsspec.base.diagnostics import Diagnostic
    from dsspec.compiler.model.resolve import Resolved

class ViewKind(NamedTuple):
    """One named view: what it answers, its title in documents, and why a design may lack it."""

    name: str
    title: str
    purpose: str
    missing: str
    """Why a design has no such view (said by ``build`` and the integrations); empty when every design has it."""


REGISTRY = (
    ViewKind("system", "system", "everything: sources, inputs, models, loops, outputs, users, constraints", ""),
    ViewKind("overview", "overview", "for a PM: the product, what it produces for whom, KPIs and success levels",
             "it has no `product`"),
    ViewKind("ladder", "model ladder", "the start-simple story: each step against the success levels",
             "no model has a ladder"),
    ViewKind("data", "data flow", "sources -> inputs -> models -> outputs, with freshness, PII and label delay",
             "it has no sources or inputs"),
    ViewKind("pipeline", "model pipeline", "several models in the order they run, and which feeds which",
             "it declares fewer than two models"),
    ViewKind("timeline", "timeline", "dates on one axis: training, labels maturing, the gap, the test, rollout "
             "and retraining, per model", "no model has a training or evaluation window"),
    ViewKind("request_path", "request path", "one request through inputs, models and hosted calls to the output: "
             "each hop's latency against the target, the timeout and the fallback",
             "no model answers while a request waits (online, with a latency target)"),
)
"""The one table of views: ``build --view``, the preview's switcher, the MCP tool and the MkDocs plugin all
offer exactly these (a new view is a row here and a maker of the same name in ``emit.views``)."""

VIEWS = tuple(k.name for k in REGISTRY)
"""Every view, the default first."""

VIEW_TITLES = {k.name: k.title for k in REGISTRY}
MISSING = {k.name: k.missing for k in REGISTRY}


@dataclass
class Element:
    id: str
    kind: str          # source | input | model | output | user | training | evaluation | serving | fallback |
                       # monitoring | constraints | ladder | step | levels | product | goals | summary | rollout |
                       # tool |
                       # timeline (a lane of dates: ``emit.timeline``) | request (the start of a request path)
    title: str
    lines: list[str]
    span: Span
    subkind: str = ""  # a source's kind, a step's rung, "stakeholder" for a user who gets documents only
    emphasis: bool = False
    risk: str = ""     # "untrusted": text from outside enters here; "acts": a model that acts on it alone
    findings: list[Diagnostic] = field(default_factory=list)
    head: tuple[str, ...] = ()                                   # a panel's column headings
    rows: list[tuple[str, ...]] = field(default_factory=list)   # a panel's rows
    marked: set[int] = field(default_factory=set)                # rows to highlight (the chosen step)
    also: list[Span] = field(default_factory=list)               # more statements it stands for (a summary)

    @property
    def panel(self) -> bool:
        """Whether the element is drawn as a table (constraints, ladder, goals) rather than a shape."""
        return bool(self.rows)


@dataclass
class Edge:
    tail: str
    head: str
    label: str = ""
    style: str = "solid"   # solid | dashed | dotted | bold (an untrusted-to-side-effect path)
    constraint: bool = True   # False: the edge does not rank its head below its tail (dot's ``constraint``)


@dataclass
class Group:
    id: str
    label: str
    members: list[str]


@dataclass
class View:
    name: str
    title: str
    path: str
    elements: dict[str, Element]
    edges: list[Edge]
    groups: list[Group]
    findings: list[Diagnostic]
    beside: list[list[str]] = field(default_factory=list)   # ids drawn side by side (same rank)
    note: str = ""                                          # a line under the title
    summarised: bool = False                                # drawn by kind with counts (``views.summary``)

    def add(self, el: Element) -> Element:
        self.elements[el.id] = el
        return el

    def link(self, tail: str, head: str, label: str = "", style: str = "solid", constraint: bool = True) -> None:
        """Add an edge when both ends are drawn: an edge never points at nothing."""
        edge = Edge(tail, head, label, style, constraint)
        if tail in self.elements and head in self.elements and tail != head and edge not in self.edges:
            self.edges.append(edge)


def available(spec: Resolved) -> tuple[str, ...]:
    """Return the views ``spec`` has content for: ``pipeline`` only when it declares several models, ``ladder``
    only with a ladder, ``overview`` only with a product, ``data`` only with sources or inputs."""
    s = spec.spec
    from dsspec.compiler.lint import facts

    windows = [x for x in (*s.training, *s.evaluation) if x.window is not None and spec.model_of.get(id(x))]
    online = any(sv.mode is not None and sv.mode.name == "online" for sv in s.serving)
    have = {"system": True, "overview": s.product is not None, "data": bool(s.sources or s.inputs),
            "ladder": any(m.ladder and m.ladder.steps for m in s.models), "pipeline": len(s.models) > 1,
            "timeline": bool(windows), "request_path": (online or bool(s.operator and s.operator.latency)) and any(
                facts.on_request_path(spec, m) for m in s.models)}   # a batch-only design answers no request
    return tuple(v for v in VIEWS if have[v])


def product_title(spec: Resolved) -> str:
    s = spec.spec
    if s.product is None:
        return s.path
    return s.product.title.value if s.product.title else s.product.name.name


def declarations(spec: Resolved) -> int:
    """Return how many declarations the system view would draw (sources, inputs, outputs, models, users)."""
    s = spec.spec
    users = len(s.ecosystem.users) if s.ecosystem else 0
    return len(s.sources) + len(s.inputs) + len(s.outputs) + len(s.models) + users
