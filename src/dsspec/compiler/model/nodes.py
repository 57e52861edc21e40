"""The typed model: one node per section and statement of the language (its pydantic face: ``typed``).

Every node keeps the span of the statement it came from (``span``) and, for
sections, the span of the header line (``header``), which is where findings
about something *missing* from the section start.
"""

from __future__ import annotations

from dsspec.compiler.model.values import Comparison, DateRange, Field, Node, Quantity, Ref, Text
from dsspec.base.span import Span


class Section(Node):
    """A statement with a body. ``spans`` maps each attribute written in the
    body to the span of its statement (``spans["split"]``), the anchor for
    findings about that attribute."""

    model_config = {"extra": "forbid", "populate_by_name": True}

    header: Span
    spans: dict[str, Span] = {}
    nones: dict[str, Text] = {}  # `selected_by none "why"`: statements answered with "none", and why

    def lacks(self, statement: str) -> bool:
        """Return whether the body has no ``statement`` at all.

        A statement that was written but rejected by the schema does not count
        as lacking: it already has its own finding, and a second one saying it
        is missing would be noise.
        """
        value = getattr(self, {"for": "for_", "from": "from_"}.get(statement, statement), None)
        return (value is None or value == [] or value is False) and statement not in self.spans


class Product(Section):
    name: Ref
    title: Text | None = None
    improves: Text | None = None
    for_: Text | None = Field(default=None, alias="for")
    within: Text | None = None
    owner: Text | None = None
    status: Ref | None = None


class User(Node):
    name: Ref
    description: Text | None = None


class Goal(Node):
    kpi: Ref
    direction: Ref  # increase | decrease | keep
    amount: Quantity | None = None
    guard: Comparison | None = None


class Ecosystem(Section):
    problem: Text | None = None
    today: Text | None = None
    users: list[User] = []
    stakeholders: list[User] = []
    goals: list[Goal] = []
    non_goals: list[Text] = []
    adversarial: Text | Ref | bool | None = None  # a reason, `yes`/`no`, or True when written bare


class OperatingPoint(Node):
    """``at fpr <= 0.5%``: where on its curve the success metric is read."""

    metric: Ref
    bound: Comparison


class Success(Section):
    metric: Ref
    at: OperatingPoint | None = None
    optimal: Comparison | None = None
    acceptable: Comparison | None = None
    worst: Comparison | None = None


class Latency(Node):
    percentile: Ref
    target: Comparison


class Load(Node):
    rate: Quantity
    peak: Quantity | None = None


class Fallback(Node):
    kind: Ref
    description: Text | None = None


class ErrorCost(Node):
    error: Ref  # false_negative | false_positive
    cost: Quantity


class Operator(Section):
    success: Success | None = None
    latency: Latency | None = None
    load: Load | None = None
    budget: Quantity | None = None
    timeout: Quantity | None = None
    fallback: Fallback | None = None
    default: Text | None = None
    error_costs: list[ErrorCost] = []
    review_capacity: Quantity | None = None
    review_share: Quantity | None = None


class LabelBias(Node):
    """``censored_by stockouts "..."``, ``selected_by approvals``, ``correction ipw "..."``."""

    cause: Ref
    description: Text | None = None


class Source(Section):
    name: Ref
    kind: Ref | None = None
    freshness: Quantity | None = None
    volume: Quantity | None = None
    minority_share: Quantity | None = None
    label_delay: Quantity | None = None
    pii: list[Ref] = []
    protected: list[Ref] = []
    proxies: list[Ref] = []
    retention: Quantity | None = None
    description: Text | None = None
    after_outcome: list[Ref] = []
    entity: list[Ref] = []
    zero_share: Quantity | None = None
    logged_by: Ref | None = None
    exploration: Quantity | None = None
    propensities: Ref | None = None
    censored_by: LabelBias | None = None
    selected_by: LabelBias | None = None
    proxy_for: Ref | None = None
    corrections: list[LabelBias] = []
    trust: Ref | None = None          # trusted | untrusted: whether its text may carry instructions
    provenance: Text | None = None    # how each document's origin is kept (for a retrieval index)


class Input(Section):
    name: Ref
    from_: list[Ref] = Field(default=[], alias="from")
    fields: list[Ref] = []
    known_at: Ref | None = None
    freshness: Quantity | None = None
    description: Text | None = None
    after_outcome: list[Ref] = []
    entity: list[Ref] = []
    trust: Ref | None = None


class Delivery(Node):
    """``to USER`` or ``to USER through REVIEWER``: who uses an output, and who checks it first (a review
    desk, an analyst): the user receives the result the reviewer confirmed."""

    to: Ref
    through: Ref | None = None


class Output(Section):
    name: Ref
    type: Ref | None = None
    to: Ref | None = None
    through: Ref | None = None
    calibrated: Ref | None = None
    description: Text | None = None
    zero_share: Quantity | None = None
    use: Ref | None = None            # shown | rendered | executed | sent | stored: what is done with it downstream
    check: Text | None = None         # what checks it before that use (a sanitiser, a sandbox, a validator)


class Tool(Section):
    """``tool send_mail { effect send; scope "any address"; confirm yes }``: an action a model may take."""

    name: Ref
    effect: Ref | None = None         # read | write | send | pay | execute | delete
    scope: Text | None = None
    confirm: Ref | None = None        # yes: a person confirms each use; no: the model acts alone
    sandbox: Text | None = None       # its effects stay inside a disposable environment (how)
    trust: Ref | None = None          # what it returns: trusted | untrusted (a web page, an inbound mail)
    description: Text | None = None


class Guard(Node):
    """``guard input "Prompt Shields"``: a guard model or filter on the model's input or output."""

    side: Ref                         # input | output
    description: Text | None = None


class Step(Section):
    """One rung of the ladder: ``manual``, ``baseline`` or ``step``."""

    rung: str
    family: Ref | None = None
    description: Text | None = None
    results: dict[str, Quantity] = {}
    params: Quantity | None = None
    pretrained: Text | None = None
    chosen: bool = False
    reason: Text | None = None
    latency: Quantity | None = None


class Ladder(Section):
    steps: list[Step] = []


class Model(Section):
    name: Ref
    task: Ref | None = None
    reads: list[Ref] = []
    writes: list[Ref] = []
    labels: Ref | None = None
    rows: Quantity | None = None
    success: Success | None = None
    ladder: Ladder | None = None
    description: Text | None = None
    cold_start: Text | None = None
    adversarial: Text | Ref | bool | None = None
    tools: list[Ref] = []
    max_steps: Quantity | None = None
    stop: Text | None = None
    calls: Quantity | None = None
    tokens_in: Quantity | None = None
    tokens_out: Quantity | None = None
    context_window: Quantity | None = None
    guards: list[Guard] = []
    system_prompt: Text | None = None
    prompt_secrets: list[Ref] = []


class Hardware(Node):
    kind: str  # cpu | gpu
    count: int = 1

    def show(self) -> str:
        """Return the hardware as written: ``cpu``, ``gpu`` or ``4 gpu``."""
        return f"{self.count} gpu" if self.kind == "gpu" and self.count > 1 else self.kind


def show_schedule(schedule: Ref | Quantity) -> str:
    """Return a schedule as written: a word (``weekly``) or a duration (``6h``)."""
    return schedule.name if isinstance(schedule, Ref) else schedule.text


class Training(Section):
    model: Ref | None = None
    from_: list[Ref] = Field(default=[], alias="from")
    window: DateRange | None = None
    schedule: Ref | Quantity | None = None
    hardware: Hardware | None = None
    cost: Quantity | None = None
    population: list[Ref] = []


class Review(Node):
    cases: Quantity
    by: Ref


class Uncertainty(Node):
    """``uncertainty bootstrap "95% intervals"``: how the uncertainty of results is stated."""

    method: Ref
    description: Text | None = None


class Choice(Node):
    """A word and an optional reason: ``tuned_on validation "..."``, ``duplicates grouped "..."``."""

    data: Ref
    description: Text | None = None


class Split(Node):
    kind: Ref
    group: Ref | None = None


class Suite(Node):
    """``suite red_team "500 injection attacks"``: an evaluation suite beside the metrics."""

    kind: Ref
    description: Text | None = None


class Evaluation(Section):
    model: Ref | None = None
    from_: list[Ref] = Field(default=[], alias="from")
    window: DateRange | None = None
    split: Split | None = None
    metrics: list[Ref] = []
    primary: Ref | None = None
    review: Review | None = None
    slices: list[Ref] = []
    suites: list[Suite] = []
    test_size: Quantity | None = None
    uncertainty: Uncertainty | None = None
    tuned_on: Choice | None = None
    duplicates: Choice | None = None
    population: list[Ref] = []


class Serving(Section):
    model: Ref | None = None
    mode: Ref | None = None
    schedule: Ref | Quantity | None = None
    hardware: Hardware | None = None
    replicas: Quantity | None = None
    cost: Quantity | None = None
    provider: Text | None = None
    version: Text | None = None       # the pinned model version (a dated snapshot, not an alias)
    retention: Quantity | None = None # how long the vendor keeps what it is sent (0d: not at all)
    region: Text | None = None
    trains_on_data: Ref | None = None # yes | no: whether the vendor trains on what it is sent
    accelerator: Ref | None = None
    quantisation: Ref | None = None
    population: list[Ref] = []


class Track(Node):
    metric: Ref
    delayed: Quantity | None = None


class Monitoring(Section):
    model: Ref | None = None
    drift: list[Ref] = []
    tracks: list[Track] = []
    alert: Text | None = None


class Metric(Section):
    """``metric groundedness { better higher; labels no }``: a metric the catalogue does not know."""

    name: Ref
    better: Ref | None = None  # higher | lower
    labels: Ref | None = None  # yes | no: whether measuring it needs true outcomes
    description: Text | None = None


class Canary(Node):
    share: Quantity
    duration: Quantity | None = None


class Experiment(Section):
    """``experiment UNIT { ... }``: an online A/B test randomised by ``unit``."""

    unit: Ref
    share: Quantity | None = None
    duration: Quantity | None = None
    primary: Ref | None = None
    guardrails: list[Ref] = []
    decide: Text | None = None


class Rollback(Node):
    """``rollback when worst`` (``trigger``) or ``rollback when METRIC COMPARISON``."""

    trigger: Ref | None = None
    metric: Ref | None = None
    bound: Comparison | None = None
    description: Text | None = None

    def show(self) -> str:
        """Return the trigger as written, without its description."""
        return "worst" if self.trigger else f"{self.metric.name} {self.bound.op} {self.bound.operand.text}"


class Rollout(Section):
    model: Ref | None = None
    shadow: Quantity | None = None
    canary: Canary | None = None
    experiment: Experiment | None = None
    guardrails: list[Ref] = []
    rollbacks: list[Rollback] = []


class Audience(Section):
    name: Ref
    gets: list[Ref] = []


class Include(Node):
    path: Text


class Spec(Node):
    """One file's design: every section, in the order the language lists them.

    ``product is None`` marks a library file (declarations only).
    """

    path: str
    product: Product | None = None
    ecosystem: Ecosystem | None = None
    operator: Operator | None = None
    sources: list[Source] = []
    inputs: list[Input] = []
    outputs: list[Output] = []
    tools: list[Tool] = []
    models: list[Model] = []
    training: list[Training] = []
    evaluation: list[Evaluation] = []
    serving: list[Serving] = []
    monitoring: list[Monitoring] = []
    metrics: list[Metric] = []
    rollout: list[Rollout] = []
    audiences: list[Audience] = []
    includes: list[Include] = []
