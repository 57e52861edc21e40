"""Typed model -> resolved spec: includes, declarations and references.

Resolution is order-free and runs in two passes: first every declaration of
the file and of the files it includes is collected (``duplicate-declaration``),
then every reference is looked up (``unknown-reference``, with a suggestion).
A file without a ``product`` is a library: its references are left for the
files that include it to resolve.
"""

from __future__ import annotations

import os
from pathlib import Path

from dsspec.base.record import field, record, replace
from dsspec.base.codes import core
from dsspec.base.diagnostics import Diagnostic, Edit, Fix, Related
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model import flow, nearby
from dsspec.compiler.model.flow import order_models
from dsspec.base.paths import real
from dsspec.base.suggestions import Index, respells, suggest
from dsspec.base.span import Span

TYPE_CHECKING = False
if TYPE_CHECKING:  # for type checkers only: a check does not import typing
    from typing import Callable

    Loader = Callable[[str, Path], "tuple[n.Spec | None, list[Diagnostic] | str]"]
    """``loader(shown_path, absolute_path)`` reads, parses and builds one file and
    returns ``(spec, findings)``, or ``(None, why)`` when it cannot be read
    ("does not exist", "is a folder, not a file", ...)."""


@record
class Resolved:
    """A spec with its includes merged and its references looked up.

    ``sources``/``inputs``/``outputs``/``models``/``users`` map names to the
    declaration, wherever it was declared; ``origin`` maps ``id(node)`` to the
    path of the file that declared it. ``uses`` maps ``(kind, name)`` to the
    spans of the references to it. ``model_of`` maps ``id(section)`` of a
    training/evaluation/serving/monitoring section to the model it concerns.
    ``near_misses`` holds the names suggested for unknown references (the
    declarations those references were probably meant for). ``metrics`` holds
    the spec's own `metric` declarations and ``stakeholders`` the names of
    users declared by `stakeholder` (they receive documents, not outputs).

    Pipelines: ``writer`` maps an output's name to the model that writes it,
    ``upstream`` a model's name to the models whose outputs it reads, and
    ``order`` lists the models so that each comes after those it reads from
    (declaration order otherwise; a cycle is reported and broken).

    ``unnamed`` names the kinds of section (``evaluation``, ...) of which one
    names no model although there are several: that finding comes first, and
    no rule says a model lacks a section of that kind until it is fixed.
    """

    spec: n.Spec
    included: list[n.Spec] = field(default_factory=list)
    sources: dict[str, n.Source] = field(default_factory=dict)
    inputs: dict[str, n.Input] = field(default_factory=dict)
    outputs: dict[str, n.Output] = field(default_factory=dict)
    models: dict[str, n.Model] = field(default_factory=dict)
    users: dict[str, n.User] = field(default_factory=dict)
    tools: dict[str, n.Tool] = field(default_factory=dict)
    fields: dict[str, list[tuple[n.Input | n.Source, n.Ref]]] = field(default_factory=dict)
    origin: dict[int, str] = field(default_factory=dict)
    uses: dict[tuple[str, str], list[Span]] = field(default_factory=dict)
    model_of: dict[int, n.Model] = field(default_factory=dict)
    near_misses: set[str] = field(default_factory=set)
    metrics: dict[str, n.Metric] = field(default_factory=dict)
    stakeholders: set[str] = field(default_factory=set)
    writer: dict[str, n.Model] = field(default_factory=dict)
    upstream: dict[str, list[n.Model]] = field(default_factory=dict)
    order: list[n.Model] = field(default_factory=list)
    unnamed: set[str] = field(default_factory=set)
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # facts the rules derive once per spec
    _by_model: dict[int, dict[int, object]] = field(default_factory=dict, repr=False, compare=False)

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
        """Return the first of ``sections`` that concerns ``model``, or ``None`` (constant time: the
        sections of a list are indexed by model on first use, after resolution)."""
        index = self._by_model.get(id(sections))
        if index is None:
            index = self._by_model[id(sections)] = {}
            for s in sections:
                bound = self.model_of.get(id(s))
                if bound is not None:
                    index.setdefault(id(bound), s)
        return index.get(id(model))

    def outputs_of(self, model: n.Model) -> list[n.Output]:
        """Return the declared outputs ``model`` writes, in the order of its `writes`."""
        return [o for o in (self.outputs.get(ref.name) for ref in model.writes) if o is not None]

    def downstream(self, model: n.Model) -> list[n.Model]:
        """Return the models that read ``model``'s output, in pipeline order."""
        return [m for m in self.order if any(u is model for u in self.upstream.get(m.name.name, ()))]

    def reaches_user(self, model: n.Model) -> bool:
        """Return whether ``model``'s own output goes to a user (a last stage, not only an upstream one)."""
        return flow.reaches_user(self, model)

    def path_to_user(self, model: n.Model) -> list[n.Model]:
        """Return ``model`` and every model upstream of it, upstream first."""
        return flow.path_to_user(self, model)


MAX_INCLUDE_DEPTH = 64
"""Longest chain of includes followed; a design needs a handful."""
MAX_INCLUDE_PATH = 4096
_SHOWN_MATCHES = 8

_KINDS = (("source", "sources"), ("input", "inputs"), ("output", "outputs"), ("tool", "tools"), ("model", "models"))


class _Resolver:
    def __init__(self, spec: n.Spec, loader: Loader | None, root: Path | None):
        self.r = Resolved(spec)
        self.loader = loader
        self.root = root
        self.diags: list[Diagnostic] = []
        self.at = spec.path  # the file whose statements are being resolved
        self.read_spans: dict[tuple[str, str], tuple[str, Span]] = {}
        self.bound: dict[tuple[str, int], object] = {}  # (section kind, id(model)) -> its first section
        self.indexes: dict[tuple[int, ...], Index] = {}  # did-you-mean, per set of tables (pass 2 only)
        self.elsewhere: dict[str, str] | None = None  # names declared in specs this one does not include
        self.meant: set[str] = set()  # the files the spec's misspelt includes were meant as

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
            for user in spec.ecosystem.stakeholders:
                self.add("user", r.users, user.name, user, spec.path)
                r.stakeholders.add(user.name.name)
        for metric in spec.metrics:
            self.add("metric", r.metrics, metric.name, metric, spec.path)

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

    def include(self, spec: n.Spec, top: Path | None) -> None:
        """Follow ``spec``'s includes depth first, in order, without recursion: ``MAX_INCLUDE_DEPTH``
        bounds a chain, and each file is merged once however many files include it."""
        merged = {id(spec)}
        # each frame: the including spec, its remaining includes, and the chain of files that led to it
        frames = [(spec, iter(spec.includes), (top,) if top else ())]
        while frames:
            parent, pending, chain = frames[-1]
            inc = next(pending, None)
            if inc is None:
                frames.pop()
                continue
            child, resolved = self.follow(parent, inc, chain)
            if child is None or id(child) in merged:
                continue
            merged.add(id(child))
            self.r.included.append(child)
            self.declare(child)
            frames.append((child, iter(child.includes), (*chain, resolved)))

    def follow(self, spec: n.Spec, inc: n.Include, chain: tuple[Path, ...]) -> tuple[n.Spec | None, Path | None]:
        """Return the spec one include names and its real path, or ``(None, None)`` after a finding."""
        raw = inc.path.value
        if not raw or "\x00" in raw or len(raw) > MAX_INCLUDE_PATH:
            why = "is empty" if not raw else "holds a NUL character" if "\x00" in raw else "is too long"
            self.inc_error(spec, inc, f"include path {why}", "name a `.dsspec` file relative to this one")
            return None, None
        if Path(raw).is_absolute():
            self.inc_error(spec, inc, f"include path `{raw}` is absolute", "use a path relative to this file")
            return None, None
        resolved = real(Path(spec.path).parent / raw)
        if self.root is not None and not resolved.is_relative_to(self.root):
            self.inc_error(spec, inc, f"include `{raw}` points outside the project root `{self.root}`",
                           "keep shared specs inside the project")
            return None, None
        if resolved in chain:
            names = [p.name for p in (*chain, resolved)]
            shown = names if len(names) <= 8 else [*names[:3], "...", *names[-3:]]
            self.inc_error(spec, inc, f"include cycle: {' -> '.join(shown)}", "remove one of the includes")
            return None, None
        if len(chain) >= MAX_INCLUDE_DEPTH:
            self.inc_error(spec, inc, f"includes are nested more than {MAX_INCLUDE_DEPTH} files deep",
                           "include the shared files from one place instead of through a chain")
            return None, None
        if self.loader is None:
            self.inc_error(spec, inc, f"cannot follow include `{raw}` when reading standard input",
                           "check the file by its path instead")
            return None, None
        child, diags = self.loader(os.path.normpath(os.path.join(os.path.dirname(spec.path), raw)), resolved)
        if child is None and diags == "does not exist" and any(c in raw for c in "*?["):
            found = nearby.include_matches(spec.path, raw, self.root)[:_SHOWN_MATCHES]
            if spec is self.r.spec:
                self.meant.update(found)  # their names are reported by this finding, not once per name
            self.inc_error(spec, inc, f"included file `{raw}` {diags}: an include names one file; `*`, `?` and "
                           "`[` are not expanded", "write one include per file: " + "; ".join(
                               f'`include "{m}"`' for m in found) if found else "name a `.dsspec` file relative to this one")
            return None, None
        if child is None:
            near = nearby.include_suggestion(spec.path, raw, self.root) if diags == "does not exist" else None
            if near is not None and spec is self.r.spec:
                self.meant.add(near)
            self.inc_error(spec, inc, f"included file `{raw}` {diags}" + (f"; did you mean `{near}`?" if near else ""),
                           f'write `include "{near}"`' if near else None)
            return None, None
        self.diags.extend(diags)
        return child, resolved

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
        elsewhere = self.declared_elsewhere().get(ref.name)
        if elsewhere is not None and elsewhere in self.meant:
            return  # declared in the file a misspelt include was meant as: that include's finding says it
        if elsewhere is not None:
            self.error("unknown-reference", ref.span, f"unknown {what} `{ref.name}`: it is declared in "
                       f"`{elsewhere}`, which this spec does not include", f'add `include "{elsewhere}"` at the top')
            return
        hint = suggest(ref.name, names)
        if hint:
            self.r.near_misses.add(hint)
        message = f"unknown {what} `{ref.name}`"
        if hint:
            message += f"; did you mean `{hint}`?"
        self.error("unknown-reference", ref.span, message,
                   (f"write `{hint}`" if respells(ref.name, hint) else f"write `{hint}` if it is the one you mean, "
                    f"or declare {what} `{ref.name}`")
                   if hint else (f"declare {what} `{ref.name}`" if not names.options else
                                                   "declared: " + ", ".join(f"`{x}`" for x in names.options[:12])))

    def declared_elsewhere(self) -> dict[str, str]:
        """Return the names the project's other specs declare, read once and only when a name is unknown."""
        if self.elsewhere is None:
            self.elsewhere = {}
            if self.loader is not None:  # a file on disk (not standard input), with a project around it
                files = {real(self.r.spec.path), *(real(s.path) for s in self.r.included)}
                self.elsewhere = nearby.declarations(self.r.spec.path, self.root, files)
        return self.elsewhere

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
                   f"write `{hint}`" if hint else
                   f"`{what}` names fields: of the inputs (their `fields` lists), or sources' `entity` and `protected` lists")

    def references(self) -> None:
        r, spec = self.r, self.r.spec
        for inp in r.inputs.values():
            for f in inp.fields:
                r.fields.setdefault(f.name, []).append((inp, f))
        # an entity key is a column a split may group by; a protected attribute one the evaluation
        # may slice by and the monitoring watch: both are fields without any input (or model) reading them
        for source in r.sources.values():
            for f in (*source.entity, *source.protected):
                r.fields.setdefault(f.name, []).append((source, f))
        # the declarations of included libraries are resolved here too, in the including product's
        # namespace: a library cannot resolve them alone, and a misspelt name in it must not pass
        for declared in (spec, *r.included):
            self.at = declared.path
            for inp in declared.inputs:
                for ref in inp.from_:
                    self.ref("source", ref, (r.sources,), "source")
            for out in declared.outputs:
                self.ref("user", out.to, (r.users,), "user")
                self.ref("user", out.through, (r.users,), "user")
            for model in declared.models:
                for ref in model.writes:
                    self.ref("output", ref, (r.outputs,), "output")
                    if ref.name in r.outputs:
                        r.writer.setdefault(ref.name, model)
        for declared in (spec, *r.included):
            self.at = declared.path
            for model in declared.models:
                for ref in model.reads:
                    self.read(model, ref)
                for ref in model.tools:
                    self.ref("tool", ref, (r.tools,), "tool")
                self.ref("source", model.labels, (r.sources,), "label source")
        self.at = spec.path
        for attr in ("training", "evaluation", "serving", "monitoring", "rollout"):
            unnamed = []
            for section in getattr(spec, attr):
                if section.model is None and len(r.models) > 1 and attr != "rollout":
                    unnamed.append(section)  # bound once the named ones are: the model left may be the one
                else:
                    self.bind(attr, section)
                for ref in getattr(section, "from_", ()):
                    self.ref("source", ref, (r.sources, r.inputs), "source or input")
            if unnamed:
                self.bind_unnamed(attr, unnamed)
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
        self.at = spec.path
        self.diags += order_models(self.r, self.read_spans)

    def read(self, model: n.Model, ref: n.Ref) -> None:
        """Look up one name of a model's ``reads``: an input, or another model's output (a pipeline)."""
        r = self.r
        if ref.name in r.inputs or ref.name not in r.outputs:
            self.ref("input", ref, (r.inputs,) if ref.name in r.inputs else (r.inputs, r.outputs), "input")
            return
        r.uses.setdefault(("output", ref.name), []).append(ref.span)
        writer = r.writer.get(ref.name)
        if writer is not None:
            r.upstream.setdefault(model.name.name, []).append(writer)
            self.read_spans[(model.name.name, writer.name.name)] = (self.at, ref.span)

    def bind(self, attr: str, section) -> None:
        r = self.r
        if section.model is not None:
            self.ref("model", section.model, (r.models,), "model")
            model = r.models.get(section.model.name)
        elif len(r.models) == 1:
            model = next(iter(r.models.values()))
        elif attr == "rollout":  # a rollout that names no model rolls out the whole product
            first = next(x for x in r.spec.rollout if x.model is None)
            if first is not section:
                self.error("duplicate-declaration", section.header, "the product has two `rollout` sections",
                           "merge them, or name each one's model", (Related(r.spec.path, first.header, "the first one"),))
            return
        else:
            return
        if model is not None:
            first = self.bound.setdefault((attr, id(model)), section)
            if first is not section:
                self.error("duplicate-declaration", section.header,
                           f"model `{model.name.name}` has two `{attr}` sections",
                           "merge them into one", (Related(r.spec.path, first.header, "the first one"),))
                return
            r.model_of[id(section)] = model
            self.r.uses.setdefault(("model", model.name.name), []).append(section.header)


    def bind_unnamed(self, attr: str, sections: list) -> None:
        """Bind the sections that name no model, in a spec with several, to the model each one fits.

        A model fits when it has no section of this kind yet and, among the
        models that have none, is the only one or the one the section's own
        names point to (the metrics an evaluation or monitoring reads are its
        success metric or its ladder's results; the sources training and
        evaluation read are its inputs' and labels'). The section is reported
        (it must name its model, for the reader) with the fix that names it,
        and judged as that model's; one that fits no model, or several, is
        reported with the models to choose from and judged as nobody's, and
        no rule reports a model as lacking this section (``Resolved.unnamed``).
        """
        r = self.r
        r.unnamed.add(attr)
        for section in sections:
            free = [m for m in r.models.values() if (attr, id(m)) not in self.bound]
            fits = _fitting(r, section, free)
            if len(fits) == 1:
                (model,) = fits
                name = model.name.name
                at = Span(section.header.end_line, section.header.end_column, section.header.end_line,
                          section.header.end_column, section.header.end_offset, section.header.end_offset)
                self.diags.append(replace(core(
                    "missing-value", self.at, section.header,
                    f"`{attr}` must name its model when there are several: it fits `{name}`; write `{attr} {name} {{`",
                    help=f"it is the only model that has no `{attr}`" if len(free) == 1 else
                    f"its names point to `{name}`"), fix=Fix(f"name the model: `{attr} {name}`", (Edit(at, f" {name}"),))))
                self.bound[(attr, id(model))] = section
                r.model_of[id(section)] = model
                r.uses.setdefault(("model", name), []).append(section.header)
                continue
            if not free:  # naming any model would give it two sections
                self.error("missing-value", section.header, f"`{attr}` names no model, and every model already "
                           f"has {'an' if attr[0] in 'aeiou' else 'a'} `{attr}` section", f"merge it into the `{attr}` section of the model it is "
                           "about, or remove it")
                continue
            choices = [m.name.name for m in (fits or free)]
            self.error("missing-value", section.header, f"`{attr}` must name its model when there are several: "
                       f"write `{attr} MODEL {{` with one of " + ", ".join(f"`{c}`" for c in choices),
                       f"e.g. `{attr} {choices[0]} {{`")


def _fitting(r: Resolved, section, free: list[n.Model]) -> list[n.Model]:
    """Return the models of ``free`` that ``section`` fits best: all of them when its names point nowhere."""
    if len(free) <= 1:
        return free
    metrics = {ref.name for ref in getattr(section, "metrics", ())}
    metrics |= {section.primary.name} if getattr(section, "primary", None) else set()
    metrics |= {t.metric.name for t in getattr(section, "tracks", ())}
    reads = {ref.name for ref in getattr(section, "from_", ())}

    def score(model: n.Model) -> int:
        own = {name for step in (model.ladder.steps if model.ladder else ()) for name in step.results}
        own |= {model.success.metric.name} if model.success else set()
        sources = {model.labels.name} if model.labels else set()
        for ref in model.reads:
            inp = r.inputs.get(ref.name)
            sources |= {ref.name, *(f.name for f in inp.from_)} if inp else set()
        return 2 * len(metrics & own) + len(reads & sources)

    scores = [(score(m), m) for m in free]
    best = max(x for x, _ in scores)
    top = [m for x, m in scores if x == best]
    return top if best > 0 else free


def resolve(spec: n.Spec, loader: Loader | None = None, root: Path | None = None) -> tuple[Resolved, list[Diagnostic]]:
    """Return the resolved spec and the include, declaration and reference findings.

    ``loader`` reads included files (``None`` when the text has no file, e.g.
    standard input); ``root`` bounds where includes may point.
    """
    res = _Resolver(spec, loader, root)
    res.declare(spec)
    res.include(spec, real(spec.path) if loader else None)
    if not res.r.is_library:
        res.references()
    return res.r, res.diags
