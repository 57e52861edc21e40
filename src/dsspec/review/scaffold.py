"""The template `dsspec init` writes, the language server offers, and the MCP server returns: a design to fill in."""

from __future__ import annotations

TEMPLATE = '''\
# {name}: a design to fill in. Each section opens with the question it answers;
# uncomment and complete the statements, then run `dsspec check {file}`:
# its findings list what is still to decide, and `dsspec questions {file}` the review questions
# still open (each answered by a statement, or by `none "why"`).

# Which feature [A] of which product [X] in which system [Y] does this improve, and who owns it?
product {name} {{
  title  "{title}"
  status draft
  # improves "the feature this changes"      # [A]
  # for      "the product it is part of"     # [X]
  # within   "the system it runs in"         # [Y]
  # owner    "team@example.com"
}}

ecosystem {{
  # What exact problem does this solve, in numbers?
  # problem "..."
  # How is it solved today (the incumbent you must beat)?
  # today   "..."
  # Who uses the output: which people or systems?
  # user    consumer_system "Calls the model and acts on its output"
  # Who signs off or receives documents but consumes no output (model risk, compliance)?
  # stakeholder model_risk "Validates the model before launch"
  # What does better look like? A measurable change, and a guardrail that must hold.
  # goal    some_kpi increase 10%
  # goal    some_guardrail keep <= 1%
  # non_goal "What this deliberately does not do"
  # Does an adversary adapt to the model (fraud, spam, phishing)?
  # adversarial "How fast attackers change tactics"
}}

operator {{
  # What is the primary success metric, and what levels mean success, acceptable, and roll back?
  # success recall {{
  #   optimal    >= 0.80
  #   acceptable >= 0.70
  #   worst      <= 0.50
  # }}
  # How long may one wait for an answer?
  # latency  p99 <= 100ms
  # How much traffic, on average and at peak?
  # load     10/s peak 50/s
  # What is the budget?
  # budget   $2k/month
  # timeout  80ms
  # What happens when the model fails?  (previous_model | rules | ask_user | human | no_result)
  # fallback rules "..."
  # What is the safest default when model and fallback both fail?
  # default  "..."
  # Where a threshold decides: what does each kind of error cost?  (or: error_cost none "why")
  # error_cost false_negative $90
  # error_cost false_positive $5
  # Where people review or are alerted: how many cases can they take, and which share is sent to them?
  # review_capacity 400/day              # or: review_capacity none "nobody reviews the outputs"
  # review_share    3%
}}

# Where does the data come from, how fresh is it, and when are true outcomes known?
source events {{
  kind stream
  # freshness 1min
  # pii       [email]
  # protected [age, sex]     # protected attributes: for fairness slices, never model features
  #                          # or: protected none "the rows are parcels, not people"
  # Which fields may stand in for a protected attribute (postcode, college, graduation year)?
  # proxies   [postcode]     # or: proxies none "why"
  # Which fields are only filled in after the outcome? Which keys do several rows share?
  # after_outcome [resolved_at]   # or: after_outcome none "every field is set when the request arrives"
  # entity        [customer_id]
{llm_source}}}

# Where do the labels come from, and how did they come about? Which choices of today's system
# decided what was observed, is the outcome capped or only seen for some cases, is it a proxy
# for the goal, and how does the design correct that?
# source outcomes {{
#   kind           labels
#   label_delay    30d
#   minority_share 2%
#   logged_by      current_system
#   exploration    2%
#   propensities   yes
#   censored_by    stockouts "..."
#   selected_by    approvals "..."
#   proxy_for      some_kpi
#   correction     ipw "..."
#   # none of these? Say so: selected_by none "every case receives an outcome";
#   #                         proxy_for none "the label is the goal itself"
# }}

# What goes into the model, and is each field known when the request arrives?
input request {{
  from     events
  # fields   [field_a, field_b]
  known_at request
}}

# What comes out, and to whom?
output prediction {{
  type probability
  # to   consumer_system
{llm_output}}}
{llm_tools}
# What is the task? Start simple: what does the manual/rules baseline score, and what must
# each step of complexity earn?
model main_model {{
  task   binary_classification
  reads  request  # inputs, or another model's output (a pipeline: retrieve -> rank)
  writes prediction
  # labels outcomes
  # rows   100k
  # What do new users or items get before there is history about them?
  # cold_start "new items ranked by category popularity until 20 views"   # or: cold_start none "why"
  # Is this one stage of a pipeline, judged on its own metric (a retriever on recall_at_50)?
  # success recall_at_50 {{ optimal >= 0.90; acceptable >= 0.85; worst <= 0.80 }}
  ladder {{
    # manual   "Today's rules, replayed offline" {{ recall 0.40 }}
    # baseline logistic_regression {{ recall 0.55 }}
    # step     lightgbm {{ recall 0.65; chosen; reason "why it earns its place" }}
  }}
{llm_model}}}

# How is training data built, over which window, how often?
training {{
  # from     [events]
  # window   2025-01-01 .. 2025-06-30
  # schedule monthly
  hardware cpu
  # Which population (regions, sites, segments, periods) does the training data cover?
  # population [region_a]
}}

# How is test data built (after the training data), which metrics, who reviews outputs by hand, which slices?
evaluation {{
  split time
  # window  2025-07-01 .. 2025-08-31
  # metrics [recall, precision]
  # primary recall
  # review  100 cases by consumer_system
  # slices  [field_a]
  # How many labelled cases, and how is the uncertainty of each result stated?
  # test_size   20k
  # uncertainty bootstrap "95% intervals over 1,000 resamples"
  # On which data are the threshold and hyper-parameters chosen (never the test set)?
  # tuned_on    validation "the month before the test window; the test set is read once"
  # How are duplicates and near-duplicates kept on one side of the split?
  # duplicates  removed "exact and near-duplicates dropped before the split"   # or: duplicates none "why"
  # population  [region_a]
{llm_eval}}}

# How are predictions served, and what does it cost?
serving {{
  mode     online
  hardware cpu
  # cost     $500/month
  # A hosted model instead: who serves it, at what price per request?
  # provider "LLM API"; cost $0.002/request
  # Which population is served? Which GPU, and at which precision, if the model needs one?
  # population   [region_a]
  # accelerator  l4
  # quantisation int8
{llm_serving}}}

# What is watched in production, and who is paged?
monitoring {{
  # drift [field_a]
  # track recall delayed 7d
  # alert "team on-call"
}}

# Which metrics of your own does the design use? Say which way is better and whether they need labels.
# metric groundedness_judge {{ better higher; labels no }}

# How does it reach production? A shadow run, a canary, an online experiment (its unit, primary
# metric, guardrails, duration and decision rule), and what rolls it back?
rollout {{
  # shadow 14d
  # canary 5% for 3d
  # experiment user {{
  #   share      50%
  #   duration   14d
  #   primary    some_kpi
  #   guardrails [some_guardrail]
  #   decide     "Ship when some_kpi rises at 95% confidence and no guardrail worsens"
  # }}
  # rollback when worst "Switch back to the fallback"
}}

# Who receives what? A story for the PM, detail for the staff data scientist, a hand-off for engineers.
audience pm       {{ gets [summary, goals, metrics] }}
audience staff_ds {{ gets [model_card, evaluation, ladder] }}
audience engineer {{ gets [interface, slo, fallback, runbook] }}
'''


LLM = {
    "llm_source": """\
  # Is its text from outside (inbound mail, web pages, uploads, documents of others)? It may carry
  # instructions: say so. For an index retrieval reads, how is each document's origin kept?
  # trust      untrusted
  # provenance "each chunk keeps its URL, author and date"
""",
    "llm_output": """\
  # What is done with it downstream (shown, rendered as HTML, executed, sent), and what checks it first?
  # use   rendered
  # check "HTML sanitised; links to allow-listed domains only"
""",
    "llm_tools": """
# Which tools may the model call? What does each do (read, write, send, pay, execute, delete), what can
# it reach, and which can act without a person? (`confirm yes`: a person confirms each use)
# tool send_mail {{
#   effect  send
#   scope   "any address, as the user"
#   confirm yes
# }}
""",
    "llm_model": """\
  # An LLM or an agent: which tools may it call, what caps its loop and what stops it?
  # tools      [send_mail]
  # max_steps  6
  # stop       "the answer is drafted, or a person is asked"
  # How many model calls does one request take, with how many tokens in and out per call?
  # calls      3
  # tokens_in  6k
  # tokens_out 500
  # Which guard models or filters watch its input and output? What does the system prompt hold?
  # guard input  "prompt-injection classifier"
  # guard output "PII and link filter"
  # system_prompt "Persona, tool rules, refusal policy; no credentials"
""",
    "llm_eval": """\
  # For an LLM: is every answer grounded in its sources, and how does it stand up to attacks?
  # metrics [groundedness, citation_precision]
  # suite   red_team "prompt-injection and jailbreak attempts"
""",
    "llm_serving": """\
  # Which version exactly (a dated snapshot, not an alias), and what are the vendor's terms?
  # version        "gpt-4o-2024-08-06"
  # retention      0d
  # trains_on_data no
  # region         "EU"
""",
}
"""The questions `dsspec init --llm` adds for a hosted LLM or an agent, by where they stand."""


def render(name: str, llm: bool = False) -> str:
    """Return the template for product ``name``; with ``llm``, with the questions of a hosted LLM or an agent."""
    title = name.replace("_", " ").capitalize()
    extra = {k: (v.replace("{{", "{").replace("}}", "}") if llm else "") for k, v in LLM.items()}
    return TEMPLATE.format(name=name, title=title, file=f"{name}.dsspec", **extra)
