"""Typed model -> resolved spec: includes, declarations and references.

Resolution is order-free and runs in two passes: first every declaration of
the file and of the files it includes is collected (``duplicate-declaration``),
then every reference is looked up (``unknown-reference``, with a suggestion).
A file without a ``product`` is a library: its references are left for the
files that include it to resolve.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dsspec.codes import core
from dsspec.diagnostics import Diagnostic, Related
from dsspec.model import nodes as n
from dsspec.suggestions import Index, suggest
from dsspec.span import Span

Loader = Callable[[str, Path], "tuple[n.Spec | None, list[Diagnostic] | str]"]
"""``loader(shown_path, absolute_path)`` reads, parses and builds one file and
returns ``(spec, findings)``, or ``(None, why)`` when it cannot be read
("does not exist", "is a folder, not a file", ...)."""


@dataclass
class Resolved:
    """A spec with its includes merged and its references looked up.

    ``sources``/``inputs``/``outputs``/``models``/``users`` map names to the
    declaration, wherever it was declared; ``origin`` maps ``id(node)`` to the
    path of the file that declared it. ``uses`` maps ``(kind, name)`` to the
    spans of the references to it. ``model_of`` maps ``id(section)`` of a
    training/evaluation/serving/monitoring section to the model it concerns.
    ``near_misses`` holds the names suggested for unknown references (the
    declarations those references were probably meant for).
    """

    spec: n.Spec
    included: list[n.Spec] = field(default_factory=list)
    sources: dict[str, n.Source] = field(default_factory=dict)
    inputs: dict[str, n.Input] = field(default_factory=dict)
    outputs: dict[str, n.Output] = field(default_factory=dict)
    models: dict[str, n.Model] = field(default_factory=dict)
    users: dict[str, n.User] = field(default_factory=dict)
    fields: dict[str, list[tuple[n.Input, n.Ref]]] = field(default_factory=dict)
    origin: dict[int, str] = field(default_factory=dict)
    uses: dict[tuple[str, str], list[Span]] = field(default_factory=dict)
    model_of: dict[int, n.Model] = field(default_factory=dict)
    near_misses: set[str] = field(default_factory=set)

    @property
    def is_library(self) -> bool:
        """Return whether the file declares no ``product`` (a library of declarations)."""
        return self.spec.product is None

    def own(self, node) -> bool:
        """Return whether ``node`` was declared in the spec's own file."""
        return self.origin.get(id(node)) == self.spec.path

    def used(self, kind: str, name: str) -> bool:
        """Return whether anything refers to the ``kind`` declaration ``name``."""
        return bool(self.uses.get((kind, name)))

    def for_model(self, sections: list, model: n.Model):
        """Return the first of ``sections`` that concerns ``model``, or ``None``."""
        return next((s for s in sections if self.model_of.get(id(s)) is model), None)


_KINDS = (("source", "sources"), ("input", "inputs"), ("output", "outputs"), ("model", "models"))


class _Resolver:
    def __init__(self, spec: n.Spec, loader: Loader | None, root: Path | None):
        self.r = Resolved(spec)
        self.loader = loader
        self.root = root
        self.diags: list[Diagnostic] = []
        self.at = spec.path  # the file whose statements are being resolved
        self.indexes: dict[tuple[int, ...], Index] = {}  # did-you-mean, per set of tables (pass 2 only)

    def error(self, name, span, message, help=None, related=()):
        self.diags.append(core(name, self.at, span, message, help=help, related=related))

    # -- pass 1: declarations ------------------------------------------------
    def declare(self, spec: n.Spec) -> None:
        r = self.r
        for kind, attr in _KINDS:
            table = getattr(r, attr)
            for node in getattr(spec, attr):
                self.add(kind, table, node.name, node, spec.path)
        if spec.ecosystem:
            for user in spec.ecosystem.users:
                self.add("user", r.users, user.name, user, spec.path)

    def add(self, kind: str, table: dict, name: n.Ref, node, path: str) -> None:
        first = table.get(name.name)
        if first is not None:
            if first is node:
                return
            first_path = self.r.origin[id(first)]
            # reported where the second declaration stands (in this file, or in the later include)
            self.diags.append(core(
                "duplicate-declaration", path, name.span, f"{kind} `{name.name}` is declared twice",
                help="rename one of them", related=(Related(first_path, first.name.span, "first declared here"),)))
            return
        table[name.name] = node
        self.r.origin[id(node)] = path

    def include(self, spec: n.Spec, stack: tuple[Path, ...]) -> None:
        for inc in spec.includes:
            here = Path(spec.path)
            raw = inc.path.value
            target = (here.parent / raw)
            if Path(raw).is_absolute():
                self.inc_error(spec, inc, f"include path `{raw}` is absolute", "use a path relative to this file")
                continue
            resolved = target.resolve()
            if self.root is not None and not resolved.is_relative_to(self.root):
                self.inc_error(spec, inc, f"include `{raw}` points outside the project root `{self.root}`",
                               "keep shared specs inside the project")
                continue
            if resolved in stack:
                chain = " -> ".join(p.name for p in (*stack, resolved))
                self.inc_error(spec, inc, f"include cycle: {chain}", "remove one of the includes")
                continue
            if self.loader is None:
                self.inc_error(spec, inc, f"cannot follow include `{raw}` when reading standard input",
                               "check the file by its path instead")
                continue
            child, diags = self.loader(os.path.normpath(os.path.join(os.path.dirname(spec.path), raw)), resolved)
            if child is None:
                self.inc_error(spec, inc, f"included file `{raw}` {diags}")
                continue
            self.diags.extend(diags)
            if any(c is child for c in self.r.included):
                continue
            self.r.included.append(child)
            self.declare(child)
            self.include(child, (*stack, resolved))

    def inc_error(self, spec: n.Spec, inc: n.Include, message: str, help: str | None = None) -> None:
        self.diags.append(core("include-error", spec.path, inc.span, message, help=help))

    # -- pass 2: references --------------------------------------------------
    def ref(self, kind: str, ref: n.Ref | None, tables: tuple[dict, ...], what: str) -> None:
        if ref is None:
            return
        for table in tables:
            if ref.name in table:
                self.r.uses.setdefault((kind if len(tables) == 1 else self.kind_of(ref.name), ref.name),
                                       []).append(ref.span)
                return
        names = self.index(*tables)
        hint = suggest(ref.name, names)
        if hint:
            self.r.near_misses.add(hint)
        message = f"unknown {what} `{ref.name}`"
        if hint:
            message += f"; did you mean `{hint}`?"
        self.error("unknown-reference", ref.span, message,
                   f"write `{hint}`" if hint else (f"declare {what} `{ref.name}`" if not names.options else
                                                   "declared: " + ", ".join(f"`{x}`" for x in names.options[:12])))

    def index(self, *tables: dict) -> Index:
        """Return the did-you-mean index of the names in ``tables``, built once per pass (they do not change)."""
        key = tuple(id(t) for t in tables)
        if key not in self.indexes:
            self.indexes[key] = Index(set().union(*tables))
        return self.indexes[key]

    def kind_of(self, name: str) -> str:
        return "source" if name in self.r.sources else "input"

    def field(self, ref: n.Ref, what: str) -> None:
        if ref.name in self.r.fields:
            self.r.uses.setdefault(("field", ref.name), []).append(ref.span)
            return
        hint = suggest(ref.name, self.index(self.r.fields))
        message = f"unknown field `{ref.name}` in `{what}`"
        if hint:
            message += f"; did you mean `{hint}`?"
        self.error("unknown-reference", ref.span, message,
                   f"write `{hint}`" if hint else f"`{what}` names fields of the inputs (their `fields` lists)")

    def references(self) -> None:
        r, spec = self.r, self.r.spec
        for inp in r.inputs.values():
            for f in inp.fields:
                r.fields.setdefault(f.name, []).append((inp, f))
        # the declarations of included libraries are resolved here too, in the including product's
        # namespace: a library cannot resolve them alone, and a misspelt name in it must not pass
        for declared in (spec, *r.included):
            self.at = declared.path
            for inp in declared.inputs:
                for ref in inp.from_:
                    self.ref("source", ref, (r.sources,), "source")
            for out in declared.outputs:
                self.ref("user", out.to, (r.users,), "user")
            for model in declared.models:
                for ref in model.reads:
                    self.ref("input", ref, (r.inputs,), "input")
                self.ref("output", model.writes, (r.outputs,), "output")
                self.ref("source", model.labels, (r.sources,), "label source")
        self.at = spec.path
        for attr in ("training", "evaluation", "serving", "monitoring"):
            for section in getattr(spec, attr):
                self.bind(attr, section)
                for ref in getattr(section, "from_", ()):
                    self.ref("source", ref, (r.sources, r.inputs), "source or input")
        for ev in spec.evaluation:
            if ev.review:
                self.ref("user", ev.review.by, (r.users,), "user")
            if ev.split and ev.split.group:
                self.field(ev.split.group, "split")
            for f in ev.slices:
                self.field(f, "slices")
        for mon in spec.monitoring:
            for f in mon.drift:
                self.field(f, "drift")

    def bind(self, attr: str, section) -> None:
        r = self.r
        if section.model is not None:
            self.ref("model", section.model, (r.models,), "model")
            model = r.models.get(section.model.name)
        elif len(r.models) == 1:
            model = next(iter(r.models.values()))
        elif r.models:
            self.error("missing-value", section.header, f"`{attr}` must name its model when there are several",
                       f"e.g. `{attr} {next(iter(r.models))} {{`")
            return
        else:
            return
        if model is not None:
            others = [s for s in getattr(r.spec, attr) if r.model_of.get(id(s)) is model]
            if others:
                self.error("duplicate-declaration", section.header,
                           f"model `{model.name.name}` has two `{attr}` sections",
                           "merge them into one", (Related(r.spec.path, others[0].header, "the first one"),))
                return
            r.model_of[id(section)] = model
            self.r.uses.setdefault(("model", model.name.name), []).append(section.header)


def resolve(spec: n.Spec, loader: Loader | None = None, root: Path | None = None) -> tuple[Resolved, list[Diagnostic]]:
    """Return the resolved spec and the include, declaration and reference findings.

    ``loader`` reads included files (``None`` when the text has no file, e.g.
    standard input); ``root`` bounds where includes may point.
    """
    res = _Resolver(spec, loader, root)
    res.declare(spec)
    res.include(spec, (Path(spec.path).resolve(),) if loader else ())
    if not res.r.is_library:
        res.references()
    return res.r, res.diags
