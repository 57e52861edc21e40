"""LLM applications and agents (issue 20): the rules at their edges, both ways, and the references
they carry into `explain`, SARIF and `dsspec rules --by`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import compile_text, run_cli

BASE = 'product p { owner "a@b.c" }\n'

MAIL = BASE + """
source inbox { kind stream; trust untrusted }
input mail { from inbox; fields [body] }
tool send_mail { effect send; scope "any address"; confirm no }
tool search { effect read }
"""

CASES = [
    # untrusted text through a pipeline: the summary of a hostile mail is as hostile as the mail
    ("untrusted-text-reaches-acting-tool", True, MAIL + """
        output summary { type text }
        model summariser { task summarization; reads mail; writes summary }
        model actor { task generation; reads summary; tools [send_mail]; max_steps 4; stop "done" }
        """),
    # a read tool that returns web pages brings untrusted text in
    ("untrusted-text-reaches-acting-tool", True, BASE + """
        tool browse { effect read; trust untrusted }
        tool pay_invoice { effect pay }
        model agent { task generation; tools [browse, pay_invoice]; max_steps 8; stop "paid or asked" }
        """),
    # only read tools: nothing to act with
    ("untrusted-text-reaches-acting-tool", False, MAIL + """
        model reader { task generation; reads mail; tools [search]; max_steps 4; stop "done" }
        """),
    # trusted input and an acting tool: no injection path
    ("untrusted-text-reaches-acting-tool", False, BASE + """
        source crm { kind table; trust trusted }
        input account { from crm; fields [plan] }
        tool update_plan { effect write }
        model m { task generation; reads account; tools [update_plan]; max_steps 2; stop "updated" }
        """),
    ("agent-loop-unbounded", True, BASE + """
        tool search { effect read }
        model m { task generation; tools [search]; max_steps 5 }
        """),
    ("agent-loop-unbounded", False, BASE + "model m { task generation }\n"),
    # a vendor that keeps data for 30 days
    ("personal-data-to-retaining-vendor", True, BASE + """
        source chats { kind stream; pii [customer_name] }
        input chat { from chats; fields [transcript] }
        model m { task summarization; reads chat }
        serving { mode online; provider "LLM API"; cost $0.01/request; retention 30d; trains_on_data no }
        """),
    # terms unstated
    ("personal-data-to-retaining-vendor", True, BASE + """
        source chats { kind stream; pii [customer_name] }
        input chat { from chats; fields [transcript] }
        model m { task summarization; reads chat }
        serving { mode online; provider "LLM API"; cost $0.01/request }
        """),
    # the provider says zero data retention in words
    ("personal-data-to-retaining-vendor", False, BASE + """
        source chats { kind stream; pii [customer_name] }
        input chat { from chats; fields [transcript] }
        model m { task summarization; reads chat }
        serving { mode online; provider "LLM API, zero data retention"; cost $0.01/request }
        """),
    # no personal data: terms do not matter
    ("personal-data-to-retaining-vendor", False, BASE + """
        source docs { kind table }
        input doc { from docs; fields [page_text] }
        model m { task summarization; reads doc }
        serving { mode online; provider "LLM API"; cost $0.01/request; retention 30d }
        """),
    ("hosted-model-version-unpinned", True, BASE + """
        model m { task generation }
        evaluation { metrics [groundedness] }
        serving { mode online; provider "Anthropic API"; version "claude-3-5-sonnet-latest"; cost $0.01/request }
        """),
    ("hosted-model-version-unpinned", True, BASE + """
        model m { task generation }
        evaluation { metrics [groundedness] }
        serving { mode online; provider "Anthropic API"; cost $0.01/request }
        """),
    ("hosted-model-version-unpinned", False, BASE + """
        model m { task generation }
        evaluation { metrics [groundedness] }
        serving { mode online; provider "Vertex AI, gemini-1.5-pro-002"; cost $0.01/request }
        """),
    ("hosted-model-version-unpinned", False, BASE + """
        model m { task generation }
        serving { mode online; provider "Anthropic API"; cost $0.01/request }
        """),
    # RAG through a retriever model; a citation suite is enough
    ("rag-groundedness-unevaluated", True, BASE + """
        source kb { kind table }
        input chunks { from kb; fields [chunk_text] }
        output passages { type ranking }
        model retriever { task retrieval; reads chunks; writes passages }
        model answerer { task generation; reads passages }
        evaluation answerer { metrics [answer_accuracy] }
        """),
    ("rag-groundedness-unevaluated", False, BASE + """
        source kb { kind table }
        input chunks { from kb; fields [chunk_text] }
        output passages { type ranking }
        model retriever { task retrieval; reads chunks; writes passages }
        model answerer { task generation; reads passages }
        evaluation answerer { metrics [answer_accuracy]; suite citation "200 answers, each claim traced" }
        """),
    ("untrusted-index-without-provenance", True, BASE + """
        source forum { kind table; trust untrusted }
        input posts { from forum; fields [post_text] }
        model retriever { task retrieval; reads posts }
        """),
    ("output-used-unchecked", True, BASE + """
        output answer { type text; use rendered }
        model m { task generation; writes answer }
        """),
    ("output-used-unchecked", False, BASE + """
        output answer { type text; use shown }
        model m { task generation; writes answer }
        """),
    ("secrets-in-system-prompt", False, BASE + """
        model m { task generation; system_prompt "Persona and refusal rules; no credentials, keys stay in the tools" }
        """),
    ("secrets-in-system-prompt", False, BASE + """
        model m { task generation; description "The system prompt names the CRM tool; its API key stays in the tool service" }
        """),
    ("secrets-in-system-prompt", False, BASE + """
        model m { task generation; description "Files tickets with the helpdesk API key of the integration" }
        """),
    ("output-used-unchecked", False, BASE + """
        output summary { type text; description "A summary of the tasks executed this week" }
        model m { task summarization; writes summary }
        """),
    ("output-used-unchecked", True, BASE + """
        output summary { type text; description "Shell commands that are then executed on the build host" }
        model m { task generation; writes summary }
        """),
    ("prompt-over-context-window", True, BASE + """
        model m { task generation; tokens_in 30k; tokens_out 4k; context_window 32k }
        """),
    ("prompt-over-context-window", False, BASE + """
        model m { task generation; tokens_in 30k; tokens_out 1k; context_window 32k }
        """),
]


@pytest.mark.parametrize("rule,fires,text", CASES, ids=[f"{r}-{'fires' if f else 'silent'}-{i}"
                                                        for i, (r, f, _) in enumerate(CASES)])
def test_case(rule, fires, text, tmp_path):
    import textwrap

    found = {d.rule for d in compile_text(tmp_path, textwrap.dedent(text)).diagnostics}
    assert (rule in found) == fires, sorted(found)


def _hits(tmp_path, text, rule):
    return [d for d in compile_text(tmp_path, text).diagnostics if d.rule == rule]


def test_prose_alone_gives_a_warning_never_an_error(tmp_path):
    text = BASE + """
source inbox { kind stream; description "Inbound mail from customers and anyone else" }
input mail { from inbox; fields [body] }
tool send_mail { effect send }
model m { task generation; reads mail; tools [send_mail]; max_steps 4; stop "drafted" }
"""
    (hit,) = _hits(tmp_path, text, "untrusted-text-reaches-acting-tool")
    assert hit.severity.value == "warning" and "trust untrusted" in hit.help
    stated = _hits(tmp_path, text.replace('description "Inbound', 'trust untrusted; description "Inbound'),
                   "untrusted-text-reaches-acting-tool")
    assert [h.severity.value for h in stated] == ["error"]
    trusted = _hits(tmp_path, text.replace('description "Inbound', 'trust trusted; description "Inbound'),
                    "untrusted-text-reaches-acting-tool")
    assert not trusted


def test_prose_secret_and_prose_output_use_are_warnings(tmp_path):
    text = BASE + """
output page { type text; description "The answer, rendered as HTML in the portal" }
model m { task generation; writes page; description "The system prompt carries the partner API key" }
"""
    found = {d.rule: d.severity.value for d in compile_text(tmp_path, text).diagnostics}
    assert found["secrets-in-system-prompt"] == "warning"
    assert found["output-used-unchecked"] == "warning"


def test_calls_multiply_latency_and_tokens_price_the_budget(tmp_path):
    text = BASE + """
operator { latency p95 <= 8s; load 20/s; budget $20k/month }
model agent {
  task generation
  calls 8
  tokens_in 6k
  tokens_out 500
  ladder { step gpt_4o { groundedness 0.9; latency 1.1s; chosen } }
}
serving { mode online; provider "OpenAI API" }
"""
    found = {d.rule: d for d in compile_text(tmp_path, text).diagnostics}
    slow = found["model-too-slow-for-latency"]
    assert "x 8 calls" in slow.message and "fewer calls" in slow.help
    cost = found["cost-over-budget"]
    # 8 x (6000 x 2.5 + 500 x 10) / 1e6 = $0.16/request x 20/s x 30 days
    assert "$8,294,400/month" in cost.message, cost.message
    assert "serving-cost-unknown" not in found
    one = compile_text(tmp_path, text.replace("calls 8", "calls 1").replace("load 20/s", "load 0.01/s"), "one.dsspec")
    assert not {"model-too-slow-for-latency", "cost-over-budget"} & {d.rule for d in one.diagnostics}


def test_context_window_comes_from_the_catalogue(tmp_path):
    text = BASE + "model m { task generation; tokens_in 200k; ladder { step gpt_4o { bleu 0.3; chosen } } }\n"
    (hit,) = _hits(tmp_path, text, "prompt-over-context-window")
    assert "128,000" in hit.message
    assert not _hits(tmp_path, text.replace("gpt_4o", "gemini_pro"), "prompt-over-context-window")


def test_references_reach_explain_sarif_and_rules_by(capsys, project):
    _, out, _ = run_cli(capsys, "explain", "DS380")
    assert "owasp-llm:LLM01" in out and "owasp-llm:LLM06" in out
    code, out, _ = run_cli(capsys, "rules", "--by", "owasp-llm")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("OWASP Top 10") and "10 of 10 items checked" in lines[0]
    first = next(line for line in lines if line.startswith("owasp-llm:LLM01"))
    assert "untrusted-text-reaches-acting-tool" in first
    for ref in ("LLM02", "LLM03", "LLM05", "LLM06", "LLM07", "LLM08", "LLM09", "LLM10"):
        assert any(line.startswith(f"owasp-llm:{ref} ") and " x " in line for line in lines), ref
    _, out, _ = run_cli(capsys, "rules", "--by", "mast")
    step = next(line for line in out.splitlines() if line.startswith("mast:FM-1.3"))
    assert "agent-loop-unbounded" in step and "owasp" not in out
    assert run_cli(capsys, "rules", "--by", "nist")[0] == 2
    (project / "a.dsspec").write_text(BASE + "model m { task generation; prompt_secrets [key] }\n")
    sarif = json.loads(run_cli(capsys, "check", "a.dsspec", "--format", "sarif")[1])
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["name"] == "secrets-in-system-prompt")
    assert "owasp-llm:LLM07" in rule["properties"]["tags"]


REALWORLD = Path(__file__).parent / "corpus" / "realworld"


def test_the_corpus_holds_llm_designs_sound_and_drafted_with_prose_only_flaws():
    import re

    llm = [p for p in sorted(REALWORLD.glob("*.dsspec"))
           if re.search(r"^\s*(provider|tools|tool)\b", p.read_text(), re.M)]
    sound = [p for p in llm if p.read_text().startswith("# sound design")]
    assert len(llm) >= 8 and len(sound) >= 3
    prose = [p for p in llm if "only in prose" in p.read_text() or "only in\n# prose" in p.read_text()
             or "said only in prose" in p.read_text()]
    assert prose, "a draft whose risky facts are only in prose"


@pytest.mark.parametrize("design,old,new,rule", [
    ("mail_reply_assistant.dsspec", "confirm yes", "confirm no", "untrusted-text-reaches-acting-tool"),
    ("issue_coding_agent.dsspec", "  max_steps     60\n", "", "agent-loop-unbounded"),
    ("issue_coding_agent.dsspec", 'version        "claude-sonnet-4-20250514"', 'version "claude-sonnet-4-0"',
     "hosted-model-version-unpinned"),
    ("advisor_knowledge_rag.dsspec", "groundedness, citation_precision, ", "", "rag-groundedness-unevaluated"),
    ("advisor_knowledge_rag.dsspec", "load     1/s peak 4/s", "load     3/s peak 9/s", "cost-over-budget"),
    ("invoice_extraction_review.dsspec", "retention      0d", "retention      30d",
     "personal-data-to-retaining-vendor"),
    ("invoice_extraction_review.dsspec", '  check       "JSON schema', '  # check "JSON schema', None),
])
def test_sound_designs_are_sound_for_the_right_reason(design, old, new, rule, tmp_path):
    """Undo the one statement that makes a sound design safe, and the rule that guards it fires."""
    text = (REALWORLD / design).read_text()
    assert old in text
    found = {d.rule for d in compile_text(tmp_path, text.replace(old, new, 1), design).diagnostics}
    if rule is None:  # `use stored` needs no check: a stored value is not executed or rendered
        assert "output-used-unchecked" not in found
    else:
        assert rule in found


def test_init_llm_asks_the_llm_questions_and_its_answers_are_valid(tmp_path):
    import re

    from dsspec.base.codes import BY_NAME
    from dsspec.review.scaffold import LLM, render

    plain, llm = render("helper"), render("helper", llm=True)
    assert "tools" not in plain and "which can act without a person" in llm and "trains_on_data" in llm
    statements = {"trust", "provenance", "use", "check", "tool", "effect", "scope", "confirm", "}", "tools",
                  "max_steps", "stop", "calls", "tokens_in", "tokens_out", "guard", "system_prompt", "metrics",
                  "suite", "version", "retention", "trains_on_data", "region"}
    chunks = [c.replace("{{", "{").replace("}}", "}") for c in LLM.values()]
    text = llm
    for chunk in chunks:   # answer every question of the LLM chunks with its example
        answered = "\n".join(re.sub(r"^(\s*)# ", r"\1", line) if re.match(r"^\s*# (\S+)", line) and
                             re.match(r"^\s*# (\S+)", line).group(1) in statements else line
                             for line in chunk.split("\n"))
        text = text.replace(chunk, answered)
    text = text.replace("# metric groundedness_judge", "metric groundedness_judge")
    found = compile_text(tmp_path, text, "helper.dsspec").diagnostics
    assert not [d for d in found if d.rule in BY_NAME], [d.message for d in found if d.rule in BY_NAME]
    assert "tool send_mail" in text and "\ntool send_mail {" in text


def test_actions_agents_and_personal_data_said_only_in_prose_are_hints(tmp_path):
    text = BASE + """
source inbox { kind stream; description "Inbound mail from customers, with their names and addresses" }
input mail { from inbox; fields [body] }
output reply { type text; description "The reply, which it sends automatically" }
model m {
  task        generation
  reads       mail
  writes      reply
  description "An agent that answers each mail and loops until the case is closed"
}
serving { mode online; provider "LLM API"; cost $0.01/request }
"""
    found = {d.rule: d.severity.value for d in compile_text(tmp_path, text).diagnostics}
    assert found["untrusted-text-reaches-acting-tool"] == "warning"
    assert found["agent-loop-unbounded"] == "info"
    assert found["personal-data-to-retaining-vendor"] == "warning"
    calm = text.replace("which it sends automatically", "which the agent reviews and sends").replace(
        "An agent that answers each mail and loops until the case is closed", "Drafts an answer to each mail").replace(
        "with their names and addresses", "in many languages")
    found = {d.rule for d in compile_text(tmp_path, calm, "calm.dsspec").diagnostics}
    assert not found & {"untrusted-text-reaches-acting-tool", "agent-loop-unbounded", "personal-data-to-retaining-vendor"}


def test_diff_reports_a_dropped_confirmation_and_looser_vendor_terms_as_relaxed():
    from dsspec.compiler.model.build import build
    from dsspec.compiler.syntax.parser import parse
    from dsspec.review.semdiff.changes import compare
    from dsspec.review.semdiff.facts import facts

    old = BASE + """tool send_mail { effect send; confirm yes }
model m { task generation; tools [send_mail]; max_steps 5; stop "done" }
serving { mode online; provider "X"; retention 0d; trains_on_data no }
"""
    new = old.replace("confirm yes", "confirm no").replace("max_steps 5", "max_steps 20").replace(
        "retention 0d", "retention 30d").replace("trains_on_data no", "trains_on_data yes")

    def of(text):
        return facts(build(parse("s.dsspec", text)[0])[0])

    verdicts = {(c.section, c.attribute): c.verdict for c in compare(of(old), of(new))}
    assert verdicts == {("tool send_mail", "confirm"): "relaxed", ("model m", "step cap"): "relaxed",
                        ("serving", "vendor retention"): "relaxed", ("serving", "trains on data"): "relaxed"}
    back = {c.verdict for c in compare(of(new), of(old))}
    assert back == {"tightened"}
