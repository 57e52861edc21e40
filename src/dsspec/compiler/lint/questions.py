"""Review questions: which of the catalogue's questions a design leaves open, and how loudly to say so.

The catalogue (``lint/data/questions.toml``, documented at its top) lists what a senior reviewer
asks, the element each question attaches to and the statements that answer it. ``open_questions``
walks a resolved design and returns every question that applies and is not answered (a statement
written, or ``NAME none "why"``), each with its level:

- the design's ``status`` (``product { status ... }``; none written counts as ``draft``) picks the
  level from the configuration (``[tool.dsspec.questions]``): ``draft`` info, ``review`` warning,
  ``approved`` error by default, ``off`` for none;
- where the design's prose says what the answer would (a catalogue ``hint`` matches a
  description), the level is raised one step, never to error from prose alone, and the question
  quotes the prose.

``when`` predicates (``WHEN``) decide whether a question applies to one element.
"""

from __future__ import annotations

import functools
import re

from dsspec.base.record import record
from dsspec.base.diagnostics import Severity
from dsspec.base.span import Span
from dsspec.compiler.lint.catalogue import catalogue
from dsspec.compiler.lint.facts import SUPERVISED_TASKS, TEXT_TASKS, Place, chosen_step, in_use, model_inputs, params
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved

STATUSES = ("draft", "review", "approved")
LEVELS = ("off", "info", "warning", "error")
DEFAULT_LEVELS = {"draft": "info", "review": "warning", "approved": "error"}
AUDIENCES = ("pm", "staff_ds", "engineer")
ELEMENTS = ("product", "ecosystem", "operator", "label_source", "source", "input", "output", "model",
            "training", "evaluation", "serving", "monitoring", "rollout")
_PER_MODEL = {"training": "training", "evaluation": "evaluation", "serving": "serving",
              "monitoring": "monitoring", "rollout": "rollout"}


@record(frozen=True)
class Question:
    """One row of the catalogue."""

    id: str
    element: str
    stage: str
    ask: str
    answers: tuple[str, ...]
    example: str
    why: str
    sources: tuple[str, ...]
    audiences: tuple[str, ...]
    when: str = "always"
    answered_in: str | None = None
    reported_by: str | None = None
    hints: tuple[str, ...] = ()
    hint_applies: bool = False

    @functools.cached_property
    def patterns(self) -> tuple[re.Pattern, ...]:
        """The hints, to search ASCII prose in lower case: compiled case-insensitive they cost 2.5 times as
        much, and a compiling run under review compiles them all."""
        return tuple(re.compile(h) for h in self.hints)

    @functools.cached_property
    def patterns_any_case(self) -> tuple[re.Pattern, ...]:
        """The hints case-insensitive, for prose beyond ASCII, where lower-casing is not what ``re`` matches
        (``ı`` and ``i``, ``ſ`` and ``s`` are one letter to it; ``İ`` lower-cases to two)."""
        return tuple(re.compile(h, re.I) for h in self.hints)


@record(frozen=True)
class Open:
    """An open question on one element: where it attaches, its level, and the prose that hints at it."""

    question: Question
    kind: str            # the element kind
    name: str            # the element's name (`scorer`, `chargebacks`), or the section's for singletons
    span: Span           # the element's header: where a finding starts
    level: str           # off | info | warning | error
    hint: str | None     # the prose quoted, when a hint raised the level
    declared_in: str | None = None  # the included file that declares the element (its answer goes there)

    @property
    def severity(self) -> Severity | None:
        return None if self.level == "off" else Severity(self.level)


@functools.cache
def questions() -> tuple[Question, ...]:
    """Return the catalogue's questions, in catalogue order."""
    rows = catalogue("questions")["question"]
    return tuple(Question(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}) for row in rows)


def by_id() -> dict[str, Question]:
    return {q.id: q for q in questions()}


def status_of(spec: Resolved, settings: dict | None = None) -> str:
    """Return the status the design is judged at: the configured override, its own, or ``draft``."""
    forced = (settings or {}).get("status")
    if forced:
        return forced
    product = spec.spec.product
    return product.status.name if product is not None and product.status is not None else "draft"


def level_for(status: str, settings: dict | None = None) -> str:
    """Return the configured level of an open question at ``status``."""
    return {**DEFAULT_LEVELS, **(settings or {}).get("levels", {})}.get(status, "info")


def _raise(level: str) -> str:
    """Return the level one step up, capped at warning: prose alone never makes an error."""
    return {"off": "off", "info": "warning"}.get(level, level)


# ---- when: does a question apply to this element? ------------------------------------------------------

def _tasks(models) -> set[str]:
    return {m.task.name for m in models if m.task is not None}


def _learned(model: n.Model) -> bool:
    """Return whether the model is learned from data (not today's rules alone)."""
    if model.task is not None and model.task.name in SUPERVISED_TASKS:
        return True
    steps = model.ladder.steps if model.ladder else []
    return any(s.rung != "manual" and (s.family is None or s.family.name not in ("rules", "manual", "heuristic"))
               for s in steps)


def _models_of(spec: Resolved, kind: str, element) -> list[n.Model]:
    """Return the models an element concerns."""
    if kind in _PER_MODEL or kind == "model":
        m = element if kind == "model" else spec.model_of.get(id(element))
        return [m] if m is not None else []
    if kind == "label_source":
        return [m for m in spec.models.values() if m.labels is not None and m.labels.name == element.name.name]
    if kind == "input":
        return [m for m in spec.models.values() if any(r.name == element.name.name for r in m.reads)]
    if kind == "source":
        return [m for m in spec.models.values() if any(element.name.name in [f.name for f in i.from_]
                                                       for i in model_inputs(spec, m))]
    return list(spec.models.values())


_REVIEWERS = re.compile(r"review|analyst|moderat|adjuster|clinician|nurse|triage|investigat|queue|"
                        r"agent|underwriter|inspector|auditor", re.I)


def _human_review(spec: Resolved) -> bool:
    op = spec.spec.operator
    if op is not None and op.fallback is not None and op.fallback.kind.name == "human":
        return True
    for out in spec.outputs.values():
        user = spec.users.get(out.to.name) if out.to else None
        text = " ".join(filter(None, [out.to.name if out.to else "", user.description.value
                                      if user and user.description else ""]))
        if out.type is not None and out.type.name in ("class", "score", "probability") and _REVIEWERS.search(text):
            return True
    return False


def _self_hosted_large(spec: Resolved, serving: n.Serving, ctx) -> bool:
    if serving.provider is not None:
        return False
    model = spec.model_of.get(id(serving))
    if model is None:
        return False
    if serving.hardware is not None and serving.hardware.kind == "gpu":
        return True
    step = chosen_step(model)
    size = params(step, ctx.family(step.family.name if step.family else None)) if step else None
    return size is not None and size >= 1e9


_PROXY_LIKE = re.compile(r"^(college|university|school|alma_mater|graduation_year|grad_year|zip|zip_code|zipcode|"
                         r"postcode|post_code|postal_code|first_name|given_name|neighbou?rhood|home_address|"
                         r"birth_year|year_of_birth|marital_status|religion)$")


def _proxy_like(node) -> list[str]:
    """Return the fields of an input that commonly stand in for a protected attribute."""
    return [f.name for f in getattr(node, "fields", []) if _PROXY_LIKE.match(f.name)]


def _threshold_decides(spec: Resolved) -> bool:
    """Return whether a classifier's threshold decides: an operating point, or a class that reaches a user."""
    from dsspec.compiler.lint.rules.threshold_without_error_costs import DECIDING, threshold_decides

    return any(m.task is not None and m.task.name in DECIDING and threshold_decides(spec, m)
               for m in spec.models.values())


WHEN = {
    "always": lambda spec, kind, el, ctx: True,
    "has_model": lambda spec, kind, el, ctx: bool(spec.models),
    "learned": lambda spec, kind, el, ctx: any(_learned(m) for m in _models_of(spec, kind, el)),
    "learned_model": lambda spec, kind, el, ctx: any(_learned(m) for m in _models_of(spec, kind, el)),
    "supervised": lambda spec, kind, el, ctx: bool(_tasks(_models_of(spec, kind, el)) & SUPERVISED_TASKS),
    "supervised_reader": lambda spec, kind, el, ctx: any(m.labels is not None for m in _models_of(spec, kind, el))
    and not (kind == "input" and el.known_at is not None and el.known_at.name == "request"),
    "online_reader": lambda spec, kind, el, ctx: any(
        (s := spec.for_model(spec.spec.serving, m)) is not None and s.mode is not None and
        s.mode.name in ("online", "nearline") for m in _models_of(spec, kind, el)),
    "compared": lambda spec, kind, el, ctx: any(
        m.ladder is not None and sum(1 for s in m.ladder.steps if s.results) >= 2 for m in _models_of(spec, kind, el)),
    "duplicate_prone": lambda spec, kind, el, ctx: bool(
        _tasks(_models_of(spec, kind, el)) & (TEXT_TASKS | {"image_classification", "object_detection"})) or any(
        (spec.sources.get(r.name) is not None and spec.sources[r.name].kind is not None and
         spec.sources[r.name].kind.name == "files")
        for m in _models_of(spec, kind, el) for i in model_inputs(spec, m) for r in i.from_),
    "history_based": lambda spec, kind, el, ctx: bool(
        _tasks([el]) & {"recommendation", "ranking", "retrieval", "forecasting"}),
    "proxy_like_fields": lambda spec, kind, el, ctx: bool(_proxy_like(el)),
    "human_review": lambda spec, kind, el, ctx: _human_review(spec),
    "threshold_decision": lambda spec, kind, el, ctx: _threshold_decides(spec),
    "protected_declared": lambda spec, kind, el, ctx: bool(getattr(el, "protected", None)),
    "self_hosted_large": lambda spec, kind, el, ctx: _self_hosted_large(spec, el, ctx),
}


# ---- elements and answers ----------------------------------------------------------------------------

def elements(spec: Resolved, kind: str) -> list[tuple[str, object]]:
    """Return ``(name, node)`` of each element of ``kind`` declared in the design's own file."""
    s = spec.spec
    if kind in ("product", "ecosystem", "operator"):
        node = getattr(s, kind)
        return [(kind, node)] if node is not None else []
    # what the design uses, wherever it is declared: a label source of an included library is judged too
    # (reported where the design uses it, see ``place``); a library's unused declarations are not
    if kind == "label_source":
        names = {m.labels.name for m in spec.models.values() if m.labels is not None}
        return [(x.name.name, x) for x in spec.sources.values() if x.name.name in names and _judged(spec, "source", x)]
    if kind == "source":
        read = {r.name for m in spec.models.values() for i in model_inputs(spec, m) for r in i.from_}
        return [(x.name.name, x) for x in spec.sources.values() if x.name.name in read and _judged(spec, "source", x)]
    if kind == "input":
        read = {r.name for m in spec.models.values() for r in m.reads}
        return [(x.name.name, x) for x in spec.inputs.values() if x.name.name in read and _judged(spec, "input", x)]
    if kind == "output":
        return [(x.name.name, x) for x in spec.outputs.values() if _judged(spec, "output", x)]
    if kind == "model":
        return [(x.name.name, x) for x in s.models]
    out = []
    for section in getattr(s, _PER_MODEL[kind]):
        model = spec.model_of.get(id(section))
        if model is not None:
            out.append((model.name.name, section))
    return out


_DECLARED_AS = {"label_source": "source", "source": "source", "input": "input", "output": "output"}


def _judged(spec: Resolved, kind: str, node) -> bool:
    return in_use(spec, kind, node) is not None


def place(spec: Resolved, kind: str, node):
    """Return where an open question on the element ``node`` is reported (``facts.Place``): its header in
    the spec's own file, or the spec's statement that uses a declaration of an included file."""
    declared = _DECLARED_AS.get(kind)
    return (in_use(spec, declared, node) if declared else None) or Place(node.header, None, ())


def _written(node, statements: tuple[str, ...]) -> bool:
    spans = getattr(node, "spans", {}) or {}
    return any(name in spans for name in statements)


def answered(spec: Resolved, q: Question, kind: str, node) -> bool:
    """Return whether the question is answered for this element."""
    where = q.answered_in
    if where == "design":
        return any(getattr(spec.spec, {"audience": "audiences"}.get(a, a), None) for a in q.answers)
    if where == "source":
        return any(_written(x, q.answers) for x in spec.sources.values())
    if where == "input_or_sources":
        return _written(node, q.answers) or any(
            _written(spec.sources[r.name], q.answers) for r in node.from_ if r.name in spec.sources)
    return _written(node, q.answers)


def prose(spec: Resolved) -> list[str]:
    """Return every description-like text of the design's own file, in file order (non-goals left out: they
    say what the design does not do)."""
    s = spec.spec
    texts: list[n.Text | None] = []
    if s.product:
        texts += [s.product.title, s.product.improves, s.product.for_, s.product.within]
    if s.ecosystem:
        texts += [s.ecosystem.problem, s.ecosystem.today,
                  *(u.description for u in s.ecosystem.users), *(u.description for u in s.ecosystem.stakeholders)]
        if isinstance(s.ecosystem.adversarial, n.Text):
            texts.append(s.ecosystem.adversarial)
    if s.operator:
        texts += [s.operator.default, s.operator.fallback.description if s.operator.fallback else None]
    for group in (s.sources, s.inputs, s.outputs):
        texts += [x.description for x in group]
    for m in s.models:
        texts.append(m.description)
        for step in (m.ladder.steps if m.ladder else []):
            texts += [step.description, step.reason]
    for src in s.sources:
        for bias in (src.selected_by, src.censored_by, *src.corrections):
            if bias is not None:
                texts.append(bias.description)
    return [t.value for t in texts if t is not None]


def _texts(nodes) -> list[str]:
    return [t.value for t in nodes if t is not None]


def _global_prose(spec: Resolved) -> list[str]:
    """Return the design-wide prose: the product, the ecosystem, the operator's fallback and default."""
    s = spec.spec
    texts: list = []
    if s.product:
        texts += [s.product.title, s.product.improves, s.product.for_, s.product.within]
    if s.ecosystem:
        texts += [s.ecosystem.problem, s.ecosystem.today,  # non-goals say what the design does not do: no hint
                  *(u.description for u in s.ecosystem.users), *(u.description for u in s.ecosystem.stakeholders)]
    if s.operator:
        texts += [s.operator.default, s.operator.fallback.description if s.operator.fallback else None]
    return _texts(texts)


def _source_prose(source: n.Source) -> list[str]:
    biases = [b.description for b in (source.selected_by, source.censored_by, *source.corrections) if b is not None]
    return _texts([source.description, *biases])


def _model_prose(spec: Resolved, model: n.Model) -> list[str]:
    steps = model.ladder.steps if model.ladder else []
    texts = _texts([model.description, *(x for st in steps for x in (st.description, st.reason))])
    return texts + _texts([out.description for out in spec.outputs_of(model)])


def element_prose(spec: Resolved, kind: str, node) -> list[str]:
    """Return the prose a hint about one element is looked for in: its own descriptions, those of what it
    reads or concerns, and the design-wide prose (the product, the ecosystem). The operator and the product
    read every description: their questions (review capacity, error costs) concern the whole design."""
    if kind in ("product", "operator", "ecosystem"):
        return prose(spec)
    texts = _global_prose(spec)
    if kind in ("label_source", "source"):
        return _source_prose(node) + texts
    if kind == "input":
        sources = [spec.sources[r.name] for r in node.from_ if r.name in spec.sources]
        return _texts([node.description]) + [t for x in sources for t in _source_prose(x)] + texts
    if kind == "output":
        return _texts([node.description]) + texts
    models = _models_of(spec, kind, node)
    own = [t for m in models for t in _model_prose(spec, m)]
    if kind == "model":
        read = [spec.sources[r.name] for i in model_inputs(spec, node) for r in i.from_ if r.name in spec.sources]
        own += [t for x in read for t in _source_prose(x)]
    if kind in ("training", "evaluation"):
        own += [t for r in getattr(node, "from_", []) if r.name in spec.sources for t in _source_prose(spec.sources[r.name])]
    return own + texts


def _quote(texts: list[str], q: Question) -> str | None:
    for text in texts:
        if text.isascii():
            searched, patterns = text.lower(), q.patterns
        else:
            searched, patterns = text, q.patterns_any_case
        for pattern in patterns:
            m = pattern.search(searched)
            if m:
                start = max(0, text.rfind(" ", 0, max(0, m.start() - 30)) + 1) if m.start() > 30 else 0
                end = text.find(" ", m.end() + 30)
                piece = text[start: end if end > 0 else len(text)].strip()
                return ("..." if start else "") + piece + ("..." if end > 0 else "")
    return None


def open_questions(spec: Resolved, ctx, settings: dict | None = None) -> list[Open]:
    """Return the open questions of a design with their levels, in catalogue then element order.

    Library files have none; questions the configuration ignores are left out.
    """
    if spec.is_library:
        return []
    settings = settings or {}
    ignored = set(settings.get("ignore", ()))
    base = level_for(status_of(spec, settings), settings)
    out: list[Open] = []
    for q in questions():
        if q.id in ignored:
            continue
        when = WHEN[q.when]
        for name, node in elements(spec, q.element):
            if answered(spec, q, q.element, node):
                continue
            hint = _quote(element_prose(spec, q.element, node), q) if q.hints else None
            if not when(spec, q.element, node, ctx) and not (q.hint_applies and hint):
                continue
            level = _raise(base) if hint else base
            at = place(spec, q.element, node)
            out.append(Open(q, q.element, name, at.span, level, hint, at.declared_in))
    return out


def _coded(pattern: str) -> list[str]:
    """Return the characters ``pattern`` spells by their codes (``\\x41``, ``\\u0041``, ``\\N{LATIN CAPITAL LETTER A}``)."""
    import unicodedata

    out = []
    for m in re.finditer(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\N\{([^}]*)\}", pattern):
        try:
            out.append(chr(int(m.group(1) or m.group(2) or m.group(3), 16)) if not m.group(4)
                       else unicodedata.lookup(m.group(4)))
        except (KeyError, ValueError):
            pass  # not a character: re.compile says so
    return out


def validate(rows: list[dict]) -> list[str]:
    """Return what is wrong with catalogue rows (unknown keys, elements, predicates, audiences): empty if sound."""
    allowed = set(Question.__dataclass_fields__)
    required = {"id", "element", "stage", "ask", "answers", "example", "why", "sources", "audiences"}
    problems: list[str] = []
    seen: set[str] = set()
    for row in rows:
        rid = row.get("id", "?")
        problems += [f"{rid}: unknown key `{k}`" for k in sorted(set(row) - allowed)]
        problems += [f"{rid}: missing `{k}`" for k in sorted(required - set(row))]
        if rid in seen:
            problems.append(f"{rid}: id given twice")
        seen.add(rid)
        if row.get("element") not in ELEMENTS:
            problems.append(f"{rid}: unknown element `{row.get('element')}`")
        if row.get("when", "always") not in WHEN:
            problems.append(f"{rid}: unknown `when` `{row.get('when')}`")
        if row.get("reported_by"):
            from dsspec.compiler.lint.registry import RULES

            if row["reported_by"] not in {name for _, name, _ in RULES}:
                problems.append(f"{rid}: `reported_by` names no rule: `{row['reported_by']}`")
        if not set(row.get("audiences", ())) <= set(AUDIENCES) or not row.get("audiences"):
            problems.append(f"{rid}: audiences must be among {', '.join(AUDIENCES)}")
        if not row.get("sources"):
            problems.append(f"{rid}: no source")
        for h in row.get("hints", ()):
            try:
                re.compile(h)
            except re.error as err:
                problems.append(f"{rid}: hint `{h}` is not a regular expression: {err}")
            if re.sub(r"\\.", "", h) != re.sub(r"\\.", "", h).lower():
                problems.append(f"{rid}: hint `{h}` has a capital letter: hints match prose in lower case")
            if any(c != c.lower() for c in _coded(h)):
                problems.append(f"{rid}: hint `{h}` spells a capital letter by its code: hints match prose in "
                                "lower case")
    return problems
