"""Views: what a diagram shows, independent of how it is drawn.

A view is elements (sources, inputs, models, outputs, users, the loops, the
constraints and ladder panels, ...), edges between them, groups (drawn as
clusters or subgraphs) and rows of elements to keep side by side. Each named
view (``VIEWS``) picks the elements that answer one reader's question —
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
from typing import TYPE_CHECKING

from dsspec.span import Span

if TYPE_CHECKING:
    from dsspec.diagnostics import Diagnostic
    from dsspec.model.resolve import Resolved

VIEWS = ("system", "overview", "ladder", "data", "pipeline")
"""Every view, the default first. ``pipeline`` exists only for designs with several models."""

VIEW_TITLES = {"system": "system", "overview": "overview", "ladder": "model ladder", "data": "data flow",
               "pipeline": "model pipeline"}


@dataclass
class Element:
    id: str
    kind: str          # source | input | model | output | user | training | evaluation | serving | fallback |
                       # monitoring | constraints | ladder | step | levels | product | goals | summary | rollout
    title: str
    lines: list[str]
    span: Span
    subkind: str = ""  # a source's kind, a step's rung, "stakeholder" for a user who gets documents only
    emphasis: bool = False
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
    style: str = "solid"   # solid | dashed | dotted
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
    have = {"system": True, "overview": s.product is not None, "data": bool(s.sources or s.inputs),
            "ladder": any(m.ladder and m.ladder.steps for m in s.models), "pipeline": len(s.models) > 1}
    return tuple(v for v in VIEWS if have[v])


def product_title(spec: Resolved) -> str:
    s = spec.spec
    if s.product is None:
        return s.path
    return s.product.title.value if s.product.title else s.product.name.name


def build_view(spec: Resolved, findings: list[Diagnostic], name: str = "system", summarise: bool = False) -> View:
    """Return view ``name`` of ``spec`` with ``findings`` attached to their elements.

    ``summarise`` draws sources, inputs and outputs as one element per kind
    with counts (see ``parts.summary``): the layout of a large design costs
    seconds, its summary milliseconds.
    """
    from dsspec.emit import views

    own = [d for d in findings if d.path == spec.spec.path]
    view = View(name, product_title(spec), spec.spec.path, {}, [], [], own)
    getattr(views, name)(spec, view, summarise)
    _attach(view)
    return view


def _attach(view: View) -> None:
    """Attach each finding to the smallest drawn element whose span holds it (a sweep, not a scan per finding)."""
    from dsspec.emit.locate import innermost

    spans = [(span, el) for el in view.elements.values() for span in (el.span, *el.also)]
    for d, el in zip(view.findings, innermost(spans, [d.span.offset for d in view.findings])):
        if el is not None:
            el.findings.append(d)


def declarations(spec: Resolved) -> int:
    """Return how many declarations the system view would draw (sources, inputs, outputs, models, users)."""
    s = spec.spec
    users = len(s.ecosystem.users) if s.ecosystem else 0
    return len(s.sources) + len(s.inputs) + len(s.outputs) + len(s.models) + users
