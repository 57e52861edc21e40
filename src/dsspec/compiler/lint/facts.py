"""Facts several rules derive from a resolved spec, computed one way only."""

from __future__ import annotations

from dsspec.base.record import named
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved
from dsspec.compiler.lint.reach import reports, stage_metric  # noqa: F401  (rules import them from here)

SUPERVISED_TASKS = frozenset({
    "binary_classification", "multiclass_classification", "multilabel_classification", "regression",
    "ranking", "text_classification", "forecasting", "sequence_labeling", "image_classification",
    "object_detection", "recommendation",
})
TEXT_TASKS = frozenset({"text_classification", "sequence_labeling", "summarization", "generation"})
CLASSIFICATION_TASKS = frozenset({"binary_classification", "multiclass_classification",
                                  "multilabel_classification", "text_classification", "image_classification"})


def chosen_steps(model: n.Model) -> list[n.Step]:
    """Return the ladder steps marked ``chosen``."""
    return [s for s in model.ladder.steps if s.chosen] if model.ladder else []


def chosen_step(model: n.Model) -> n.Step | None:
    """Return the single chosen step, or ``None`` when there is not exactly one."""
    steps = chosen_steps(model)
    return steps[0] if len(steps) == 1 else None


def success_metric(spec: Resolved) -> str | None:
    """Return the name of the operator's success metric, if declared."""
    op = spec.spec.operator
    return op.success.metric.name if op and op.success else None


def latency_target(spec: Resolved) -> float | None:
    """Return the latency target in seconds, if declared."""
    op = spec.spec.operator
    return op.latency.target.operand.value if op and op.latency else None


def label_source(spec: Resolved, model: n.Model) -> n.Source | None:
    """Return the source the model's labels come from, if declared and known."""
    return spec.sources.get(model.labels.name) if model.labels else None


def model_inputs(spec: Resolved, model: n.Model) -> list[n.Input]:
    """Return the known inputs the model reads."""
    return [spec.inputs[r.name] for r in model.reads if r.name in spec.inputs]


def monthly(cost: n.Quantity | None, spec: Resolved) -> float | None:
    """Return a cost in dollars per month.

    A cost per time period converts directly; a price per request or
    prediction is multiplied by the operator's ``load``; a one-off amount
    (no period) has no monthly figure and gives ``None``.
    """
    if cost is None:
        return None
    if cost.per_month is not None:
        return cost.per_month
    op = spec.spec.operator
    if cost.period and op and op.load:
        return cost.value * op.load.rate.value * 30 * 86400
    return None


@named
class Cost:
    """One monthly cost weighed against the budget: ``label`` (``training``, ``serving`` or
    ``serving (estimate)``), its section, dollars per month, and the figure as written."""

    label: str
    section: n.Section
    monthly: float
    written: str


def monthly_costs(spec: Resolved, hardware: dict | None = None, families: dict | None = None) -> list[Cost]:
    """Return every training and serving section's monthly cost, in declaration order: what is
    weighed against the budget.

    A stated cost converts by ``monthly``. Serving on GPUs with no stated cost
    (and no hosting ``provider``) is priced from the hardware catalogue — GPUs x
    replicas x the hourly price, all month — and labelled an estimate. A hosted
    LLM with no stated cost is priced from its tokens: `calls` x (`tokens_in` x
    price_in + `tokens_out` x price_out) of its family, x the operator's `load`.
    """
    from dsspec.compiler.lint.catalogue import catalogue

    hw = hardware or catalogue("hardware")
    out = []
    for kind, sections in (("training", spec.spec.training), ("serving", spec.spec.serving)):
        for section in sections:
            cost = monthly(section.cost, spec)
            per = per_request_units(spec, section) if kind == "serving" else None
            if cost is not None and per is not None:
                out.append(Cost(kind, section, cost * per[0], f"{section.cost.text} x {per[1]}"))
            elif cost is not None:
                out.append(Cost(kind, section, cost, section.cost.text))
            elif kind == "serving" and gpu_estimate(section, hw) is not None:
                out.append(Cost("serving (estimate)", section, gpu_estimate(section, hw),
                                f"{section.hardware.show()} x ${hw['gpu_hour_price']:g}/h, all month"))
            elif kind == "serving" and token_estimate(spec, section, families) is not None:
                out.append(Cost("serving (estimate)", section, *token_estimate(spec, section, families)))
    return out


def per_request_units(spec: Resolved, serving: n.Serving) -> tuple[float, str] | None:
    """Return how many of a serving cost's units one request takes, when its price is per `call` or per
    `token` of a model that states `calls` (and tokens): ``(units, in words)``, else ``None``."""
    model = spec.model_of.get(id(serving))
    period = serving.cost.period if serving.cost is not None else None
    if model is None or period not in ("call", "token"):
        return None
    k = model.calls.value if model.calls is not None else 1.0
    if period == "call":
        return (k, f"{k:g} calls per request") if model.calls is not None else None
    if model.tokens_in is None:
        return None
    tokens = model.tokens_in.value + (model.tokens_out.value if model.tokens_out is not None else 0)
    return k * tokens, f"{k * tokens:,.0f} tokens per request"


def token_estimate(spec: Resolved, serving: n.Serving, families: dict | None = None) -> tuple[float, str] | None:
    """Return the monthly price of a hosted LLM that states no cost, from its tokens, calls, family
    prices and the operator's load (``(dollars, how)``), else ``None``."""
    from dsspec.compiler.lint.llm import hosted_model_of, token_price

    if serving.cost is not None or "cost" in serving.spans:
        return None
    model = hosted_model_of(spec, serving)
    op = spec.spec.operator
    if model is None or op is None or op.load is None:
        return None
    from dsspec.compiler.lint.base import Context
    from dsspec.compiler.lint.catalogue import catalogue

    price = token_price(model, Context({}, families or catalogue("families"), {}, {}))
    if price is None:
        return None
    per_month = price.per_request * op.load.rate.value * 30 * 86400
    return per_month, f"${price.per_request:.4f}/request = {price.how}, x `load {op.load.rate.text}`"


def gpu_estimate(serving: n.Serving, hw: dict) -> float | None:
    """Return the monthly price of the GPUs a serving section holds without stating a cost, else ``None``."""
    if serving.cost is not None or "cost" in serving.spans or serving.provider is not None:
        return None
    if serving.hardware is None or serving.hardware.kind != "gpu":
        return None
    replicas = int(serving.replicas.value) if serving.replicas is not None else 1
    return serving.hardware.count * replicas * hw["gpu_hour_price"] * hw["hours_per_month"]


def success_of(spec: Resolved, model: n.Model) -> n.Success | None:
    """Return the success metric ``model`` is judged on: its own, else the operator's; ``None`` for a
    pipeline stage or second model that reports a metric of its own instead (see ``reach.stage_metric``):
    it is never judged on, nor asked to report, the product's metric."""
    from dsspec.compiler.lint.reach import success

    return success(spec, model)


def success_blocks(spec: Resolved) -> list[tuple[str, n.Success]]:
    """Return every ``success`` block with whose it is: ``("operator", ...)`` and ``("model NAME", ...)``."""
    op = spec.spec.operator
    out = [("operator", op.success)] if op and op.success else []
    return out + [(f"model `{m.name.name}`", m.success) for m in spec.spec.models if m.success is not None]


def hosted(spec: Resolved, model: n.Model) -> bool:
    """Return whether ``model`` is served by a hosting provider (an API priced per request)."""
    serving = spec.for_model(spec.spec.serving, model)
    return serving is not None and (serving.provider is not None or "provider" in serving.spans)


def params(step: n.Step, family: dict | None) -> float | None:
    """Return the step's parameter count: as written, else the family's typical size."""
    if step.params is not None:
        return step.params.value
    return float(family["params"]) if family else None


def chosen_with_size(model: n.Model, ctx) -> tuple[n.Step, dict | None, float | None] | None:
    """Return the chosen step, its catalogue family (if known) and its parameter count (if known)."""
    step = chosen_step(model)
    if step is None:
        return None
    family = ctx.family(step.family.name) if step.family else None
    return step, family, params(step, family)


def serving_hardware(spec: Resolved, model: n.Model) -> n.Hardware | None:
    """Return the hardware the model is served on, if declared."""
    serving = spec.for_model(spec.spec.serving, model)
    return serving.hardware if serving else None


def metric_names(spec: Resolved) -> list[tuple[n.Ref, str]]:
    """Return every model-metric name the spec writes, with where it stands, in file order.

    ``success``, `at` operating points, evaluation ``metrics`` and ``primary``,
    monitoring ``track`` and ladder results; KPI names in ``goal`` are the
    product's own and are not metrics here.
    """
    s = spec.spec
    out: list[tuple[n.Ref, str]] = []
    for _, success in success_blocks(spec):
        out.append((success.metric, "success"))
        if success.at is not None:
            out.append((success.at.metric, "at"))
    for ev in s.evaluation:
        out += [(m, "metrics") for m in ev.metrics]
        if ev.primary is not None:
            out.append((ev.primary, "primary"))
    for mon in s.monitoring:
        out += [(t.metric, "track") for t in mon.tracks]
    for model in s.models:
        for step in model.ladder.steps if model.ladder else ():
            for name in step.results:
                span = step.spans.get(name, step.header)
                out.append((n.Ref.model_construct(span=span, name=name), "ladder"))
    return sorted(out, key=lambda x: x[0].span.offset)


def rollout_names(spec: Resolved) -> list[tuple[n.Ref, str]]:
    """Return every KPI-or-metric name a ``rollout`` writes, with where it stands, in file order:
    its and its experiment's ``guardrails``, the experiment's ``primary``, ``rollback when NAME``."""
    out: list[tuple[n.Ref, str]] = []
    for r in spec.spec.rollout:
        out += [(g, "rollout guardrails") for g in r.guardrails]
        out += [(b.metric, "rollback when") for b in r.rollbacks if b.metric is not None]
        if r.experiment is not None:
            if r.experiment.primary is not None:
                out.append((r.experiment.primary, "experiment primary"))
            out += [(g, "experiment guardrails") for g in r.experiment.guardrails]
    return sorted(out, key=lambda x: x[0].span.offset)


def goal_kpis(spec: Resolved) -> tuple[str, ...]:
    """Return the KPI names of the ecosystem's goals and guardrails (a rollout may watch them)."""
    eco = spec.spec.ecosystem
    return tuple(g.kpi.name for g in eco.goals) if eco is not None else ()


def misspelt(name: str, ctx) -> bool:
    """Return whether metric ``name`` is unknown but one edit from a known one: `metric-misspelt`
    reports it, and rules comparing metric names wait for it to be fixed (one finding per mistake)."""
    return ctx.metric(name) is None and metric_suggestion(name, ctx) is not None


def metric_suggestion(name: str, ctx, also: tuple[str, ...] = ()) -> str | None:
    """Return the catalogue metric ``name`` is probably a misspelling of (``precison`` -> ``precision``,
    ``ndgc_at_24`` -> ``ndcg_at_24``), or ``None``; ``also`` are more known names (a rollout's goal KPIs).

    Close means one edit away (a letter added, dropped, changed, or two
    swapped) for names of four letters or more, or a difflib ratio of 0.85.
    """
    import difflib

    kpis = sorted(also)  # the design's own names first, whole (a KPI's `_at_` is no parameter)
    found = [k for k in kpis if len(name) >= 4 and _one_edit(name, k)][:1] or \
        difflib.get_close_matches(name, kpis, n=1, cutoff=0.85)
    if found:
        return found[0]
    base, sep, rest = name.partition("_at_")
    known = sorted(ctx.metrics)
    near = [k for k in known if len(base) >= 4 and _one_edit(base, k)]
    found = near[:1] or difflib.get_close_matches(base, known, n=1, cutoff=0.85)
    return found[0] + sep + rest if found else None


def _one_edit(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` differ by exactly one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                  a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))



def joins_features(spec: Resolved, ev: n.Evaluation) -> bool:
    """Return whether the rows ``ev`` tests on include its model's inputs and labels: when its `from` names
    nothing, or only label sources (outcomes, joined to the features the model reads). An evaluation that
    names a file or a table reads its rows there: a fixed benchmark file is not the model's stream."""
    from dsspec.compiler.lint.reach import sources_of

    named = sources_of(spec, list(ev.from_)) if ev.from_ else []
    inputs = [r for r in ev.from_ if r.name in spec.inputs]
    return not ev.from_ or (not inputs and all(s.kind is not None and s.kind.name == "labels" for s in named))


def split_entities(spec: Resolved, ev: n.Evaluation) -> list:
    """Return ``(section, key)`` for every `entity` key the rows ``ev`` splits share (its `from`
    sources and inputs; its model's inputs and labels too, see ``joins_features``)."""
    from dsspec.compiler.lint.reach import entity_keys, sources_of

    model = spec.model_of.get(id(ev))
    sources = sources_of(spec, list(ev.from_))
    inputs = [spec.inputs[r.name] for r in ev.from_ if r.name in spec.inputs]
    if model is not None and joins_features(spec, ev):
        inputs += model_inputs(spec, model)
        labels = label_source(spec, model)
        sources += sources_of(spec, list(model.reads)) + ([labels] if labels else [])
    return entity_keys(spec, sources, inputs)


def time_order(spec: Resolved, ev: n.Evaluation, strong: bool = False) -> list[str]:
    """Return why the rows ``ev`` tests on are ordered in time (empty when nothing says so).

    A `window`, a `stream` source the evaluation reads (its `from`; the
    model's inputs and labels too when it names none, or only label
    sources: see ``joins_features``), labels that arrive
    `label_delay` late (an outcome logged after the event), or a forecasting
    model: each says tomorrow's rows differ from yesterday's. A model that
    reads a stream when it serves may still be tested on a static file.
    With ``strong``, the label delay (the weakest sign) is left out.
    """
    from dsspec.compiler.lint.reach import sources_of

    model = spec.model_of.get(id(ev))
    sources = sources_of(spec, list(ev.from_))
    if model is not None and joins_features(spec, ev):
        labels = label_source(spec, model)
        sources += [s for s in sources_of(spec, list(model.reads)) + ([labels] if labels else [])
                    if s not in sources]
    reasons = ["the evaluation has a `window`"] if ev.window else []
    reasons += [f"it reads stream `{s.name.name}`" for s in sources if s.kind is not None and s.kind.name == "stream"]
    reasons += [f"labels `{s.name.name}` arrive `label_delay {s.label_delay.text}` after the event"
                for s in sources if s.label_delay is not None and not (s.kind and s.kind.name == "stream")
                and not strong]
    if model is not None and model.task is not None and model.task.name == "forecasting":
        reasons.append(f"`{model.name.name}` is a forecasting model")
    return reasons


@named
class LabelTiming:
    """When a model's training labels are final, against when its test starts (``label_timing``)."""

    train_end: object      # datetime.date: the last training day
    ready: object          # datetime.date: the day the last training day's labels are final
    test_start: object     # datetime.date: the first test day
    short_days: int        # days the test starts before ``ready`` (0 or less: the labels had matured)
    beyond: bool = False   # ``ready`` lies past 9999-12-31, where no date exists: ``ready`` is that last day


def label_timing(spec: Resolved, model: n.Model) -> LabelTiming | None:
    """Return when ``model``'s last training labels mature and when its test starts, or ``None`` without a
    training window, an evaluation window after it and a label source with a ``label_delay``.

    The one computation `label-maturity` flags (past its slack), the timeline view draws and the documents
    state; an evaluation starting on or before training ends is `test-overlaps-training`'s, not this."""
    import datetime

    train = spec.for_model(spec.spec.training, model)
    test = spec.for_model(spec.spec.evaluation, model)
    source = label_source(spec, model)
    if not (train and test and train.window and test.window and source and source.label_delay):
        return None
    if test.window.start <= train.window.end:
        return None
    # in days, as numbers: a date plus a long delay may lie past year 9999, where no `date` exists
    ready_day = int(train.window.end.toordinal() + source.label_delay.value / 86400)
    last = datetime.date.max.toordinal()
    ready = datetime.date.fromordinal(min(max(ready_day, 1), last))
    return LabelTiming(train.window.end, ready, test.window.start, ready_day - test.window.start.toordinal(),
                       ready_day > last)


def on_request_path(spec: Resolved, model: n.Model) -> bool:
    """Return whether ``model`` answers while the request waits (served online, or with no serving said)."""
    serving = spec.for_model(spec.spec.serving, model)
    return serving is None or serving.mode is None or serving.mode.name == "online"


def model_latency(spec: Resolved, ctx, model: n.Model) -> tuple[n.Step, float, str] | None:
    """Return ``(chosen step, seconds, how it is known)`` for ``model``, or ``None`` when nothing says: the
    step's measured `latency`, else an estimate from the family catalogue on the serving hardware (never
    for a hosted model, whose provider's hardware is unknown), times the model's `calls` per request. `model-too-slow-for-latency` and the
    request-path view both read this."""
    chosen = chosen_with_size(model, ctx)
    if chosen is None:
        return None
    step, family, size = chosen
    hardware = serving_hardware(spec, model)
    kind = hardware.kind if hardware else "cpu"
    k = model.calls.value if model.calls is not None else 1.0   # an LLM called several times per request
    if step.latency is not None:
        if k > 1:
            return step, step.latency.value * k, (f"measures {step.latency.text} per call x {k:g} calls per "
                                                   f"request = {step.latency.value * k:,.1f}s")
        return step, step.latency.value, f"measures {step.latency.text}"
    if hosted(spec, model):
        return None  # the provider's hardware: only a measured latency says anything
    if family and kind in family.get("latency_ms", {}) and size is not None:
        base, per_billion = family["latency_ms"][kind]
        ms = (base + per_billion * size / 1e9) * k
        per = f" for {k:g} calls" if k > 1 else ""
        return step, ms / 1000, (f"takes about {ms:,.0f}ms on {kind}{per}" if ms >= 10 else
                                 f"takes about {ms:.1f}ms on {kind}{per}")
    return None


def request_path(spec: Resolved, model: n.Model) -> list[n.Model]:
    """Return the models one request waits for on its way to ``model``'s output, upstream first."""
    return [m for m in spec.path_to_user(model) if on_request_path(spec, m)]


def out_of_range(ctx, metric: str, value) -> bool:
    """Return whether ``value`` (a quantity) is more than a metric the catalogue marks ``bounded`` can be:
    over 1, or over 100%. Such a value is metric-value-out-of-range's finding; rules that compare values
    skip it, so one mistake gives one finding."""
    entry = ctx.metric(metric)
    return bool(entry and entry.get("bounded")) and value.kind in ("number", "percent") and value.value > 1


@named
class Place:
    """Where a finding about a declaration the design uses is reported, in the spec checked.

    ``span`` is the declaration's header when the spec declares it, else the spec's own statement that
    uses it (a `labels`, `reads` or `from` naming it, or the `include` that brings it in); ``declared_in``
    is then the included file, named in the message, and ``related`` points at the declaration there.
    """

    span: object
    declared_in: str | None
    related: tuple

    def at(self, own: object) -> object:
        """Return ``own`` (a span inside the declaration) when the spec declares it, else the using statement."""
        return own if self.declared_in is None else self.span

    def help(self, text: str) -> str:
        """Return the help ``text``, told to edit the included file when the declaration is there."""
        return text if self.declared_in is None else f"in `{self.declared_in}`, {text}"

    def named(self, text: str) -> str:
        """Return ``text`` (a declaration's description, e.g. "label source `x`") with its file named when included."""
        return text if self.declared_in is None else f"{text} (declared in `{self.declared_in}`)"


def _own_uses(spec: Resolved, kind: str, name: str) -> list:
    """Return the spans of the spec's own statements that name the ``kind`` declaration ``name``."""
    s = spec.spec
    refs: list = []
    if kind == "source":
        refs += [r for i in s.inputs for r in i.from_] + [m.labels for m in s.models if m.labels is not None]
    if kind in ("source", "input"):
        refs += [r for m in s.models for r in m.reads]
        refs += [r for section in (*s.training, *s.evaluation) for r in section.from_]
    if kind == "output":
        refs += [r for m in s.models for r in (*m.writes, *m.reads)]
    return [r.span for r in refs if r.name == name]


def in_use(spec: Resolved, kind: str, node) -> Place | None:
    """Return where a finding about ``node`` (a source, input or output declared here or in an included
    file) is reported, or ``None`` when it is an included declaration the design does not use.

    The design is judged on what it uses, wherever it is declared; a declaration of an included library
    that nothing uses is the library's business, and a library checked alone has no findings.
    """
    if spec.own(node):
        return Place(node.header, None, ())
    name = node.name.name
    if not spec.used(kind, name):
        return None
    path = spec.origin.get(id(node), "")
    shown = _relative(spec.spec.path, path)
    from dsspec.base.diagnostics import Related

    related = (Related(path, node.header, f"{kind} `{name}` is declared here"),)
    uses = _own_uses(spec, kind, name)
    if uses:
        return Place(uses[0], shown, related)
    inc = next((i for i in spec.spec.includes if _relative(spec.spec.path, path) == _norm(i.path.value)), None) \
        or (spec.spec.includes[0] if spec.spec.includes else None)
    return Place(inc.span if inc is not None else node.header, shown, related)


def _norm(raw: str) -> str:
    import posixpath

    return posixpath.normpath(raw.replace("\\", "/"))


def _relative(top: str, path: str) -> str:
    """Return ``path`` relative to the folder of ``top`` (as an include names it), else its name."""
    import os

    try:
        return _norm(os.path.relpath(path, os.path.dirname(top) or "."))
    except ValueError:
        return os.path.basename(path)


def goal_direction(goal: n.Goal) -> str | None:
    """Return which way ``goal`` wants its KPI to go: ``"higher"`` (`increase`, `keep >= X`), ``"lower"``
    (`decrease`, `keep <= X`), or ``None`` (`keep == X`, or a `keep` with no bound)."""
    way = goal.direction.name
    if way in ("increase", "decrease"):
        return "higher" if way == "increase" else "lower"
    if goal.guard is not None and goal.guard.op in ("<", "<=", ">", ">="):
        return "higher" if goal.guard.op.startswith(">") else "lower"
    return None


def goal_directions(spec: Resolved) -> dict[str, str]:
    """Return the direction the ecosystem's goals give each KPI they name (the first goal with one)."""
    eco = spec.spec.ecosystem
    out: dict[str, str] = {}
    for goal in eco.goals if eco is not None else ():
        way = goal_direction(goal)
        if way is not None:
            out.setdefault(goal.kpi.name, way)
    return out


def section_template(spec: Resolved, kind: str, model: n.Model | None, body: str) -> str:
    """Return a `kind { body }` section a help suggests adding for ``model``: named (`serving ranker { ... }`)
    when the spec has several models, since an unnamed one among several is itself an error."""
    name = f" {model.name.name}" if model is not None and len(spec.models) > 1 else ""
    return f"{kind}{name} {{ {body} }}"


def statements_template(spec: Resolved, kind: str, model: n.Model | None, section, body: str) -> str:
    """Return help text that adds ``body`` (statements) for ``model``: to its existing ``section`` of ``kind``
    ("add `hardware cpu` to `serving ranker`"), or as a new section when it has none."""
    if section is not None:
        name = f" {model.name.name}" if model is not None and section.model is not None else ""
        return f"add `{body}` to `{kind}{name}`"
    return f"add `{section_template(spec, kind, model, body)}`"


def track_template(spec: Resolved, ctx, model: n.Model) -> str:
    """Return a `track` statement for ``model`` that follows the other rules: its success metric (or its
    evaluation's primary), `delayed` by its labels' delay when the metric needs labels."""
    success = success_of(spec, model)
    ev = spec.for_model(spec.spec.evaluation, model)
    metric = success.metric.name if success is not None else ev.primary.name if ev is not None and \
        ev.primary is not None else stage_metric(spec, model) or None
    if metric is None:
        return "track METRIC delayed DURATION"
    source = label_source(spec, model)
    needs = ctx.needs_labels(metric)
    delay = source.label_delay if source is not None else None
    if needs is False or (delay is not None and delay.value <= ctx.thresholds["live_label_delay"]):
        return f"track {metric}"
    return f"track {metric} delayed {delay.text if delay is not None else 'DURATION'}"


def success_template(metric: str, higher: bool | None) -> str:
    """Return a `success` block with all three levels (one lacking a level is `success-levels-missing`),
    their comparisons the way ``metric`` is better (higher when unknown)."""
    good, bad = (">=", "<=") if higher is not False else ("<=", ">=")
    return f"success {metric} {{ optimal {good} VALUE; acceptable {good} VALUE; worst {bad} VALUE }}"
