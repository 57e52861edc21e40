"""The schema: which statements may stand where, and which values each takes.

The grammar accepts any ``name value* { ... }``; this table is what gives the
statements meaning. Each statement has one or more *signatures* (alternative
value sequences); the builder (``dsspec.compiler.model.build``) matches the written
values against them and reports ``invalid-value`` / ``missing-value`` with the
expected kinds spelled out.
"""

from __future__ import annotations

from dsspec.base.record import field, record
from dsspec.compiler.model import nodes as n

AMOUNT = ("percent", "number", "money", "duration", "rate")
MEASURE = ("number", "percent", "duration", "money", "rate")


@record(frozen=True)
class Arg:
    """One value position of a signature.

    ``kind``: ``ident`` (any name), ``enum`` (one of ``choices``), ``kw`` (the
    literal word ``choices[0]``, not stored), ``string``, ``qty`` (a scalar of
    ``kinds``), ``cmp`` (a comparison whose operand is of ``kinds``), ``range``
    (``DATE .. DATE``), ``refs`` (a name or a list of names), ``list`` (a list
    of names), ``enum_list`` (a list of ``choices``). ``optional`` marks the
    start of an optional trailing group.
    """

    kind: str
    field: str | None = None
    choices: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    optional: bool = False
    positive: bool = False           # qty/cmp: the value must be above zero
    integer: bool = False            # qty: a whole number
    share: bool = False              # qty: a part of a whole, at most 100%
    at_most: float | None = None     # qty share: a tighter bound than the whole (the rarest class: half)
    ops: tuple[str, ...] = ()        # cmp: the operators allowed (an upper bound is `<`/`<=`)


def ident(f): return Arg("ident", f)
def enum(f, *choices): return Arg("enum", f, choices)
def kw(word, optional=False): return Arg("kw", None, (word,), optional=optional)
def string(f, optional=False): return Arg("string", f, optional=optional)
def qty(f, *kinds, positive=False, integer=False, share=False, at_most=None):
    return Arg("qty", f, kinds=kinds, positive=positive, integer=integer, share=share, at_most=at_most)


def share(f, positive=False, at_most=None):
    """A part of a whole: a percentage from 0 to 100% (or to ``at_most``, a fraction)."""
    return qty(f, "percent", positive=positive, share=True, at_most=at_most)
def cmp(f, *kinds, positive=False, ops=()): return Arg("cmp", f, kinds=kinds, positive=positive, ops=ops)
def date_range(f): return Arg("range", f)
def refs(f): return Arg("refs", f)
def names(f): return Arg("list", f)
def enum_list(f, *choices): return Arg("enum_list", f, choices)


@record(frozen=True)
class Stmt:
    """A statement allowed in a block.

    ``sigs``: alternative signatures. ``store``: the node field it fills
    (defaults to its name). ``node``: when set, the matched values build one
    node of this class. ``multi``: it may repeat (values are appended to
    ``store``). ``body``: the block it takes, if any; ``body_required`` when it
    must have one. ``example``: shown in messages.
    """

    name: str
    sigs: tuple[tuple[Arg, ...], ...]
    store: str | None = None
    node: type | None = None
    multi: bool = False
    body: Block | None = None
    body_required: bool = False
    example: str = ""
    doc: str = ""
    none_ok: bool = False            # `NAME none "reason"` answers its review question with "none"


@record(frozen=True)
class Block:
    """The statements a body allows; ``open_measures`` lets any other name
    carry one measured value (a ladder step's ``recall 0.66``)."""

    stmts: tuple[Stmt, ...]
    open_measures: bool = False
    by_name: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        self.by_name.update({s.name: s for s in self.stmts})


EFFECTS = ("read", "write", "create", "update", "delete", "send", "share", "publish", "pay", "purchase", "transfer",
           "execute", "deploy")
SIDE_EFFECTS = frozenset(EFFECTS) - {"read"}
SUITES = ("groundedness", "citation", "red_team", "prompt_injection", "jailbreak", "toxicity", "tool_use",
          "hallucination")

FAMILY_HINT = "a model family such as `logistic_regression`, `lightgbm`, `bert`, `llm`"

STEP_BODY = Block((
    Stmt("params", ((qty("params", "number", positive=True, integer=True),),), example="params 4M", doc="number of parameters"),
    Stmt("pretrained", ((string("pretrained"),),), example='pretrained "distilbert-base"',
         doc="the pretrained checkpoint it starts from"),
    Stmt("chosen", ((),), example="chosen", doc="marks the step the design ships"),
    Stmt("reason", ((string("reason"),),), example='reason "+11 points of recall"', doc="why this step"),
    Stmt("latency", ((qty("latency", "duration"),),), example="latency 12ms", doc="measured latency"),
), open_measures=True)

SUCCESS_BODY = Block((
    Stmt("at", ((ident("metric"), cmp("bound", *MEASURE)),), node=n.OperatingPoint, example="at fpr <= 0.5%",
         doc="the operating point the metric is read at"),
    Stmt("optimal", ((cmp("optimal", *MEASURE),),), example="optimal >= 0.70", doc="the level that means success"),
    Stmt("acceptable", ((cmp("acceptable", *MEASURE),),), example="acceptable >= 0.55",
         doc="the level worth shipping"),
    Stmt("worst", ((cmp("worst", *MEASURE),),), example="worst <= 0.40", doc="at or past this, roll back"),
))

LADDER_BODY = Block((
    Stmt("manual", ((string("description"),),), store="steps", multi=True, body=STEP_BODY,
         example='manual "today\'s rules" { recall 0.40 }', doc="the task done by hand or by today's rules"),
    Stmt("baseline", ((ident("family"),),), store="steps", multi=True, body=STEP_BODY,
         example="baseline logistic_regression { recall 0.55 }", doc="a simple model"),
    Stmt("step", ((ident("family"),),), store="steps", multi=True, body=STEP_BODY,
         example="step lightgbm { recall 0.66; chosen }", doc="one more step of complexity"),
))

TIMING = (
    Stmt("after_outcome", ((names("after_outcome"),),), example="after_outcome [food_ready_at]",
         doc="fields only known once the outcome has happened; `none \"why\"` when there are none", none_ok=True),
    Stmt("entity", ((names("entity"),),), example="entity [patient_id]",
         doc="the keys of the entities that several rows share"),
)

LABEL_POLICY = (
    Stmt("zero_share", ((share("zero_share"),),), example="zero_share 62%",
         doc="for labels: the share of values that are zero"),
    Stmt("logged_by", ((ident("logged_by"),),), example="logged_by current_ranking",
         doc="for labels: the policy whose choices decided which outcomes were seen; `none \"why\"` when none", none_ok=True),
    Stmt("exploration", ((share("exploration"),),), example="exploration 2%",
         doc="for labels: the share of traffic served at random"),
    Stmt("propensities", ((enum("propensities", "yes", "no"),),), example="propensities yes",
         doc="for labels: whether the logging policy's probabilities are stored"),
    Stmt("censored_by", ((ident("cause"), string("description", optional=True)),), node=n.LabelBias,
         example='censored_by stockouts "sales stop when the shelf is empty"',
         doc="for labels: what caps the observed outcome; `none \"why\"` when none", none_ok=True),
    Stmt("selected_by", ((ident("cause"), string("description", optional=True)),), node=n.LabelBias,
         example='selected_by approvals "repayment is only known for approved loans"',
         doc="for labels: what decides which cases get an outcome at all; `none \"why\"` when none", none_ok=True),
    Stmt("proxy_for", ((ident("proxy_for"),),), example="proxy_for watch_time",
         doc="for labels: the goal KPI this label stands in for; `none \"why\"` when none", none_ok=True),
    Stmt("correction", ((ident("cause"), string("description", optional=True)),), node=n.LabelBias,
         multi=True, store="corrections", example='correction ipw "inverse-propensity weights"',
         doc="for labels: how the design corrects the label bias; repeatable"),
)

ADVERSARIAL = Stmt("adversarial", ((string("adversarial"),), (enum("adversarial", "yes", "no"),), ()),
                   example='adversarial "fraudsters adapt in weeks"', doc="an adversary adapts to the model")

EXPERIMENT_BODY = Block((
    Stmt("share", ((share("share", positive=True),),), example="share 50%", doc="traffic in the treatment"),
    Stmt("duration", ((qty("duration", "duration", positive=True),),), example="duration 14d"),
    Stmt("primary", ((ident("primary"),),), example="primary on_time_share", doc="the metric or KPI that decides"),
    Stmt("guardrails", ((names("guardrails"),),), example="guardrails [conversion, p99_latency]",
         doc="metrics or KPIs that must not get worse"),
    Stmt("decide", ((string("decide"),),), example='decide "ship if on_time_share rises at 95% confidence"',
         doc="the decision rule"),
))

ROLLOUT_BODY = Block((
    Stmt("shadow", ((qty("shadow", "duration", positive=True),),), example="shadow 14d",
         doc="runs beside production, its outputs logged and not used"),
    Stmt("canary", ((share("share", positive=True), kw("for", optional=True), qty("duration", "duration", positive=True)),),
         node=n.Canary, example="canary 5% for 3d", doc="a small share of traffic first"),
    Stmt("experiment", ((ident("unit"),),), node=n.Experiment, body=EXPERIMENT_BODY, body_required=True,
         example="experiment user {", doc="an online A/B test randomised by its unit"),
    Stmt("guardrails", ((names("guardrails"),),), example="guardrails [conversion, p99_latency]",
         doc="metrics or KPIs watched through the whole rollout"),
    Stmt("rollback", ((kw("when"), enum("trigger", "worst"), string("description", optional=True)),
                      (kw("when"), ident("metric"), cmp("bound", *MEASURE), string("description", optional=True))),
         node=n.Rollback, multi=True, store="rollbacks", example='rollback when worst "switch back to the rules"',
         doc="what rolls the model back; repeatable"),
))

HARDWARE = ((enum("kind", "cpu", "gpu"),), (qty("count", "number", positive=True, integer=True), kw("gpu")))
FROM = ((refs("from"),),)
WINDOW = ((date_range("window"),),)
COST = ((qty("cost", "money"),),)

SECTIONS = Block((
    Stmt("include", ((string("path"),),), node=n.Include, multi=True, store="includes",
         example='include "sources.dsspec"', doc="declarations from another file"),
    Stmt("product", ((ident("name"),),), node=n.Product, body_required=True, example="product fraud_scoring {",
         doc="which feature of which product in which system this improves", body=Block((
             Stmt("title", ((string("title"),),), example='title "Card fraud scoring"'),
             Stmt("improves", ((string("improves"),),), example='improves "payment risk scoring"'),
             Stmt("for", ((string("for"),),), example='for "Marketplace checkout"'),
             Stmt("within", ((string("within"),),), example='within "Payments service"'),
             Stmt("owner", ((string("owner"),),), example='owner "risk-ds@example.com"'),
             Stmt("status", ((enum("status", "draft", "review", "approved"),),), example="status review"),
         ))),
    Stmt("ecosystem", ((),), node=n.Ecosystem, body_required=True, example="ecosystem {",
         doc="the problem, today's solution, its users and what better means", body=Block((
             Stmt("problem", ((string("problem"),),), example='problem "Fraud costs $1.2M a year"'),
             Stmt("today", ((string("today"),),), example='today "35 hand-written rules"'),
             Stmt("user", ((ident("name"), string("description")), (ident("name"),)), node=n.User,
                  multi=True, store="users", example='user checkout_service "Calls the scorer"'),
             Stmt("stakeholder", ((ident("name"), string("description")), (ident("name"),)), node=n.User,
                  multi=True, store="stakeholders", example='stakeholder model_risk "Signs off the model card"',
                  doc="someone who receives documents or signs off but consumes no output"),
             Stmt("goal", ((ident("kpi"), enum("direction", "increase", "decrease"), qty("amount", *AMOUNT)),
                           (ident("kpi"), enum("direction", "keep"), cmp("guard", *AMOUNT))),
                  node=n.Goal, multi=True, store="goals", example="goal fraud_losses decrease 30%"),
             Stmt("non_goal", ((string("non_goal"),),), multi=True, store="non_goals",
                  example='non_goal "Account-takeover detection"'),
             ADVERSARIAL,
         ))),
    Stmt("operator", ((),), node=n.Operator, body_required=True, example="operator {",
         doc="success and failure levels, latency, load, budget, fallback, safe default", body=Block((
             Stmt("success", ((ident("metric"),),), node=n.Success, body=SUCCESS_BODY, example="success recall {"),
             Stmt("latency", ((enum("percentile", "p50", "p90", "p95", "p99", "p999", "max"),
                               cmp("target", "duration", positive=True, ops=("<", "<="))),), node=n.Latency, example="latency p99 <= 80ms"),
             Stmt("load", ((qty("rate", "rate", positive=True), kw("peak", optional=True), qty("peak", "rate", positive=True)),),
                  node=n.Load, example="load 12/s peak 120/s"),
             Stmt("budget", ((qty("budget", "money"),),), example="budget $6k/month"),
             Stmt("timeout", ((qty("timeout", "duration", positive=True),),), example="timeout 60ms"),
             Stmt("fallback", ((enum("kind", "previous_model", "rules", "ask_user", "human", "no_result"),
                                string("description")),
                               (enum("kind", "previous_model", "rules", "ask_user", "human", "no_result"),)),
                  node=n.Fallback, example='fallback rules "The rule engine scores the payment"'),
             Stmt("default", ((string("default"),),), example='default "Approve under $200"'),
             Stmt("error_cost", ((enum("error", "false_negative", "false_positive"), qty("cost", "money")),),
                  node=n.ErrorCost, multi=True, store="error_costs", example="error_cost false_negative $90",
                  none_ok=True, doc="the cost of one error of each kind; `none \"why\"` when no threshold decides"),
             Stmt("review_capacity", ((qty("review_capacity", "rate", positive=True),),), example="review_capacity 400/day",
                  doc="how many cases the people who review can take; `none \"why\"` when nobody reviews",
                  none_ok=True),
             Stmt("review_share", ((share("review_share"),),), example="review_share 3%",
                  doc="the share of the load sent to human review or raised as an alert"),
         ))),
    Stmt("source", ((ident("name"),),), node=n.Source, multi=True, store="sources", body_required=True,
         example="source payments {", doc="where data comes from", body=Block((
             Stmt("kind", ((enum("kind", "stream", "table", "files", "api", "labels", "index"),),), example="kind stream",
                  doc="index: a search or vector index that retrieval reads"),
             Stmt("freshness", ((qty("freshness", "duration"),),), example="freshness 1s"),
             Stmt("volume", ((qty("volume", "rate", positive=True),),), example="volume 30M/month"),
             Stmt("minority_share", ((share("minority_share", at_most=0.5),),), example="minority_share 0.25%"),
             Stmt("label_delay", ((qty("label_delay", "duration"),),), example="label_delay 60d"),
             Stmt("pii", ((names("pii"),),), example="pii [card_number, email]"),
             Stmt("protected", ((names("protected"),),), example="protected [age, sex]",
                  doc="protected attributes: for fairness slices, never model features; `none \"why\"` when none",
                  none_ok=True),
             Stmt("proxies", ((names("proxies"),),), example="proxies [college, graduation_year]",
                  doc="fields that may stand in for a protected attribute; `none \"why\"` when none", none_ok=True),
             Stmt("retention", ((qty("retention", "duration"),),), example="retention 18mo"),
             Stmt("description", ((string("description"),),), example='description "Card payments"'),
             Stmt("trust", ((enum("trust", "trusted", "untrusted"),),), example="trust untrusted",
                  doc="untrusted: its text comes from outside (inbound mail, web pages, uploads) and may carry instructions"),
             Stmt("provenance", ((string("provenance"),),), example='provenance "each chunk keeps its URL and author"',
                  doc="how each document's origin is kept and checked (for a retrieval index)"),
             *TIMING, *LABEL_POLICY,
         ))),
    Stmt("input", ((ident("name"),),), node=n.Input, multi=True, store="inputs", body_required=True,
         example="input payment {", doc="what goes into the model", body=Block((
             Stmt("from", FROM, example="from [payments, card_history]"),
             Stmt("fields", ((names("fields"),),), example="fields [amount, mcc]"),
             Stmt("known_at", ((enum("known_at", "request", "precomputed", "after_outcome"),),),
                  example="known_at request"),
             Stmt("freshness", ((qty("freshness", "duration"),),), example="freshness 1min"),
             Stmt("description", ((string("description"),),), example='description "The payment request"'),
             Stmt("trust", ((enum("trust", "trusted", "untrusted"),),), example="trust untrusted",
                  doc="untrusted: its text comes from outside (inbound mail, web pages, uploads) and may carry instructions"),
             *TIMING,
         ))),
    Stmt("output", ((ident("name"),),), node=n.Output, multi=True, store="outputs", body_required=True,
         example="output fraud_score {", doc="what comes out and to whom", body=Block((
             Stmt("type", ((enum("type", "probability", "class", "score", "value", "ranking", "text"),),),
                  example="type probability"),
             Stmt("to", ((ident("to"),), (ident("to"), kw("through"), ident("through"))), node=n.Delivery,
                  example="to checkout_service",
                  doc="who uses it; `to merchant through review_desk` when a person checks it before it reaches "
                      "the user"),
             Stmt("calibrated", ((enum("calibrated", "yes", "no"),),), example="calibrated yes"),
             Stmt("zero_share", ((share("zero_share"),),), example="zero_share 62%",
                  doc="the share of true values that are zero"),
             Stmt("description", ((string("description"),),), example='description "Fraud probability"'),
             Stmt("use", ((enum("use", "shown", "rendered", "executed", "sent", "stored"),),), example="use rendered",
                  doc="what is done with it downstream: shown as text, rendered (HTML, Markdown), executed, sent, stored"),
             Stmt("check", ((string("check"),),), example='check "HTML sanitised; links to allow-listed domains only"',
                  doc="what checks it before that use (a sanitiser, a sandbox, a validator)"),
         ))),
    Stmt("tool", ((ident("name"),),), node=n.Tool, multi=True, store="tools", body_required=True,
         example="tool send_mail {", doc="an action a model may take: its effect, its reach, who confirms it", body=Block((
             Stmt("effect", ((enum("effect", *EFFECTS),),), example="effect send",
                  doc="read (no side effect), or a side effect: write, create, update, delete, send, share, "
                      "publish, pay, purchase, transfer, execute, deploy"),
             Stmt("scope", ((string("scope"),),), example='scope "any address, with attachments"',
                  doc="what it can reach"),
             Stmt("confirm", ((enum("confirm", "yes", "no"),),), example="confirm yes",
                  doc="yes: a person confirms each use; no: the model acts on its own"),
             Stmt("sandbox", ((string("sandbox"),),), example='sandbox "ephemeral container, no network, no secrets"',
                  doc="its writes and executions stay inside a disposable environment"),
             Stmt("trust", ((enum("trust", "trusted", "untrusted"),),), example="trust untrusted",
                  doc="untrusted: what it returns comes from outside (web pages, inbound mail) and may carry instructions"),
             Stmt("description", ((string("description"),),), example='description "Sends a mail as the user"'),
         ))),
    Stmt("model", ((ident("name"),),), node=n.Model, multi=True, store="models", body_required=True,
         example="model scorer {", doc="the task and the ladder from simple to chosen", body=Block((
             Stmt("task", ((enum("task", "binary_classification", "multiclass_classification",
                                 "multilabel_classification", "regression", "ranking", "text_classification",
                                 "generation", "forecasting", "anomaly_detection", "clustering",
                                 "recommendation", "retrieval", "sequence_labeling", "image_classification",
                                 "object_detection", "summarization"),),), example="task binary_classification"),
             Stmt("reads", ((refs("reads"),),), example="reads [payment, history]"),
             Stmt("writes", ((refs("writes"),),), example="writes fraud_score",
                  doc="the output it writes, or a list of them: `writes [answer, citations]`"),
             Stmt("labels", ((ident("labels"),),), example="labels chargebacks"),
             Stmt("rows", ((qty("rows", "number", positive=True, integer=True),),), example="rows 9M"),
             Stmt("success", ((ident("metric"),),), node=n.Success, body=SUCCESS_BODY, example="success recall_at_50 {",
                  doc="the model's own success metric, when it is one stage of a larger system"),
             Stmt("ladder", ((),), node=n.Ladder, body=LADDER_BODY, body_required=True, example="ladder {"),
             Stmt("description", ((string("description"),),), example='description "Scores payments"'),
             Stmt("cold_start", ((string("cold_start"),),), none_ok=True,
                  example='cold_start "new items ranked by category popularity until 20 views"',
                  doc="what new users or items get; `none \"why\"` when there are none"),
             ADVERSARIAL,
             Stmt("tools", ((refs("tools"),),), example="tools [search_docs, send_mail]",
                  doc="the tools the model may call (an agent)"),
             Stmt("max_steps", ((qty("max_steps", "number", positive=True, integer=True),),), example="max_steps 8",
                  doc="the most model calls one request may take (the cap on an agent's loop)"),
             Stmt("stop", ((string("stop"),),), example='stop "the reply is drafted or the user is asked"',
                  doc="when the loop stops"),
             Stmt("calls", ((qty("calls", "number", positive=True),),), example="calls 3",
                  doc="model calls per request, typically (an agent loop's steps, a chain's calls)"),
             Stmt("tokens_in", ((qty("tokens_in", "number", positive=True),),), example="tokens_in 6k",
                  doc="prompt tokens per call"),
             Stmt("tokens_out", ((qty("tokens_out", "number", positive=True),),), example="tokens_out 500",
                  doc="completion tokens per call"),
             Stmt("context_window", ((qty("context_window", "number", positive=True, integer=True),),), example="context_window 128k",
                  doc="tokens the model takes per call (the catalogue's when its family is known)"),
             Stmt("guard", ((enum("side", "input", "output"), string("description", optional=True)),), node=n.Guard,
                  multi=True, store="guards", example='guard input "Prompt Shields"',
                  doc="a guard model or filter on the input or output; repeatable"),
             Stmt("system_prompt", ((string("system_prompt"),),), example='system_prompt "Persona, refusal policy, tool rules"',
                  doc="what the system prompt holds"),
             Stmt("prompt_secrets", ((names("prompt_secrets"),),), example="prompt_secrets [partner_api_key]",
                  doc="secrets written into the system prompt (credentials, internal rules)"),
         ))),
    Stmt("training", ((ident("model"),), ()), node=n.Training, multi=True, body_required=True,
         example="training {", doc="how training data is built", body=Block((
             Stmt("from", FROM, example="from [payments, chargebacks]"),
             Stmt("window", WINDOW, example="window 2024-06-01 .. 2025-02-28"),
             Stmt("schedule", ((enum("schedule", "daily", "weekly", "monthly", "on_demand"),),
                               (qty("schedule", "duration"),)), example="schedule monthly"),
             Stmt("hardware", HARDWARE, node=n.Hardware, example="hardware cpu"),
             Stmt("cost", COST, example="cost $300/month"),
             Stmt("population", ((names("population"),),), example="population [us, canada]",
                  doc="the groups (regions, sites, segments, periods) it covers"),
         ))),
    Stmt("evaluation", ((ident("model"),), ()), node=n.Evaluation, multi=True, body_required=True,
         example="evaluation {", doc="how test data is built, the metrics, manual review, slices", body=Block((
             Stmt("from", FROM, example="from [payments, chargebacks]"),
             Stmt("window", WINDOW, example="window 2025-03-01 .. 2025-04-30"),
             Stmt("split", ((enum("kind", "time", "random"),), (enum("kind", "group"), ident("group"))),
                  node=n.Split, example="split time"),
             Stmt("metrics", ((names("metrics"),),), example="metrics [recall, pr_auc]"),
             Stmt("primary", ((ident("primary"),),), example="primary recall"),
             Stmt("review", ((qty("cases", "number", positive=True, integer=True), kw("cases"), kw("by"), ident("by")),),
                  node=n.Review,
                  example="review 800 cases by risk_analyst"),
             Stmt("slices", ((names("slices"),),), example="slices [mcc, bin_country]"),
             Stmt("suite", ((enum("kind", *SUITES), string("description", optional=True)),), node=n.Suite,
                  multi=True, store="suites", example='suite red_team "600 prompt-injection attacks"',
                  doc="an evaluation suite: groundedness, citation, red_team, prompt_injection, ...; repeatable"),
             Stmt("test_size", ((qty("test_size", "number", positive=True, integer=True),),), example="test_size 40k",
                  doc="labelled cases in the test set"),
             Stmt("uncertainty", ((enum("method", "interval", "bootstrap", "seeds", "repeated_splits", "paired_test"),
                                   string("description", optional=True)),), node=n.Uncertainty,
                  example='uncertainty bootstrap "95% intervals over 1,000 resamples"',
                  doc="how the uncertainty of each result is stated"),
             Stmt("tuned_on", ((enum("data", "validation", "cross_validation", "train", "test"),
                                string("description", optional=True)),), node=n.Choice, none_ok=True,
                  example='tuned_on validation "threshold and hyper-parameters on a 2024-Q4 slice"',
                  doc="the data thresholds and hyper-parameters are chosen on; `none \"why\"` when nothing is tuned"),
             Stmt("duplicates", ((enum("data", "removed", "grouped", "kept"), string("description", optional=True)),),
                  node=n.Choice, none_ok=True, example='duplicates grouped "near-duplicates share a cluster id"',
                  doc="how duplicates and near-duplicates are kept on one side of the split; `none \"why\"`"),
             Stmt("population", ((names("population"),),), example="population [us, canada]",
                  doc="the groups (regions, sites, segments, periods) it covers"),
         ))),
    Stmt("serving", ((ident("model"),), ()), node=n.Serving, multi=True, body_required=True,
         example="serving {", doc="how predictions are served and what it costs", body=Block((
             Stmt("mode", ((enum("mode", "online", "nearline", "batch", "edge"),),), example="mode online"),
             Stmt("schedule", ((enum("schedule", "hourly", "daily", "weekly"),), (qty("schedule", "duration"),)),
                  example="schedule hourly"),
             Stmt("hardware", HARDWARE, node=n.Hardware, example="hardware cpu"),
             Stmt("replicas", ((qty("replicas", "number", positive=True, integer=True),),), example="replicas 3"),
             Stmt("cost", COST, example="cost $1.2k/month"),
             Stmt("provider", ((string("provider"),),), example='provider "OpenAI API"',
                  doc="a hosted model: who serves it (priced per request, no hardware of ours)"),
             Stmt("version", ((string("version"),),), example='version "gpt-4o-2024-08-06"',
                  doc="the hosted model's pinned version: a dated snapshot, not an alias that moves"),
             Stmt("retention", ((qty("retention", "duration"),),), example="retention 0d",
                  doc="how long the vendor keeps what it is sent (`0d`: zero retention)"),
             Stmt("region", ((string("region"),),), example='region "EU"', doc="where the vendor processes it"),
             Stmt("trains_on_data", ((enum("trains_on_data", "yes", "no"),),), example="trains_on_data no",
                  doc="whether the vendor trains its models on what it is sent"),
             Stmt("accelerator", ((ident("accelerator"),),), example="accelerator l4",
                  doc="the GPU type it is served on (`dsspec`'s hardware catalogue knows its memory)"),
             Stmt("quantisation", ((enum("quantisation", "fp32", "bf16", "fp16", "fp8", "int8", "int4"),),),
                  example="quantisation int8", doc="the precision the weights are served at"),
             Stmt("population", ((names("population"),),), example="population [us, canada]",
                  doc="the groups (regions, sites, segments, periods) it covers"),
         ))),
    Stmt("monitoring", ((ident("model"),), ()), node=n.Monitoring, multi=True, body_required=True,
         example="monitoring {", doc="what is watched in production", body=Block((
             Stmt("drift", ((names("drift"),),), example="drift [amount, mcc]"),
             Stmt("track", ((ident("metric"), kw("delayed", optional=True), qty("delayed", "duration")),),
                  node=n.Track, multi=True, store="tracks", example="track recall delayed 60d"),
             Stmt("alert", ((string("alert"),),), example='alert "risk-ds on-call"'),
         ))),
    Stmt("metric", ((ident("name"),),), node=n.Metric, multi=True, store="metrics", body_required=True,
         example="metric groundedness {", doc="a metric of the design's own", body=Block((
             Stmt("better", ((enum("better", "higher", "lower"),),), example="better higher"),
             Stmt("labels", ((enum("labels", "yes", "no"),),), example="labels no"),
             Stmt("description", ((string("description"),),), example='description "LLM-judge score, 0-1"'),
         ))),
    Stmt("rollout", ((ident("model"),), ()), node=n.Rollout, multi=True, body_required=True,
         example="rollout {", doc="how the model reaches production: shadow, canary, experiment, rollback",
         body=ROLLOUT_BODY),
    Stmt("audience", ((ident("name"),),), node=n.Audience, multi=True, store="audiences", body_required=True,
         example="audience pm {", doc="who receives what", body=Block((
             Stmt("gets", ((enum_list("gets", "summary", "goals", "metrics", "diagram", "ladder", "model_card",
                                      "evaluation", "interface", "slo", "fallback", "runbook"),),),
                  example="gets [summary, goals, metrics]"),
         ))),
))
