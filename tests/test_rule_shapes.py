"""Property test: every design rule runs on every shape of model the schema can leave behind.

A statement that fails the schema is left out of the model but still counts
as written (``Section.lacks``), a section may have an empty body, and any
value may be missing or of the wrong kind. The generator below walks the
schema itself, so a statement added to the language is covered the day it is
added: each statement of each section is, at random, left out, written as its
documented example, written bare, written with wrong values, or given an empty
body; nested bodies (success levels, ladders, steps) recurse. Every rule then
runs on the resolved model, directly, so a crash is pinned to its rule.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dsspec.compiler.lint.config import Config  # noqa: E402
from dsspec.compiler.lint.engine import context  # noqa: E402
from dsspec.compiler.lint.registry import all_rules  # noqa: E402
from dsspec.compiler.model.schema import SECTIONS, Block, Stmt  # noqa: E402
from dsspec.compiler.pipeline import SYNTAX_FAILURES, Session  # noqa: E402

SHAPES = settings(max_examples=int(__import__("os").environ.get("DSSPEC_FUZZ_EXAMPLES", "150")), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

WRONG = ["x", "m", "s", "i", "o", "maybe", "yes", "no", "higher", "stream", "labels", "online", "batch", "gpu",
         '"text"', "0.5", "-1", "0", "40k", "30%", "50ms", "$6k/month", "$0.002/request", "120/s", "2025-01-01",
         "2025-01-01 .. 2025-02-01", "<= 80ms", ">= 0.7", "<= 1%", "[a, b]", "[]", "[s, i, o]"]
NAMES = {"source": "s", "input": "i", "output": "o", "model": "m", "metric": "q", "audience": "pm"}
WITH_MODEL = ("training", "evaluation", "serving", "monitoring")


def statement(spec: Stmt, depth: int):
    """Return a strategy for one written form of ``spec`` (or ``""``, left out)."""
    head = spec.example.split(" {")[0] if spec.example else spec.name
    forms = [st.just(""), st.just(head), st.just(spec.name),
             st.lists(st.sampled_from(WRONG), min_size=1, max_size=2).map(lambda v: f"{spec.name} {' '.join(v)}"),
             st.just(head + " {}")]
    if spec.body is not None and depth < 3:
        forms.append(body(spec.body, depth + 1).map(lambda inner: f"{head} {{\n{inner}\n}}"))
    return st.one_of(forms)


def body(block: Block, depth: int):
    """Return a strategy for a body of ``block``: each statement in one of its forms."""
    stmts = [s for s in block.stmts if s.name != "include"]
    extra = st.just("recall 0.5") if block.open_measures else st.just("")
    return st.tuples(*(statement(s, depth) for s in stmts), extra).map(
        lambda lines: "\n".join(x for x in lines if x))


def section(spec: Stmt):
    """Return a strategy for a top-level section, named the way the others refer to it."""
    name = NAMES.get(spec.name, "m" if spec.name in WITH_MODEL else "")
    head = f"{spec.name} {name}".strip()
    inner = body(spec.body, 1) if spec.body is not None else st.just("")
    return st.one_of(st.just(""), st.just(head + " {}"), inner.map(lambda b: f"{head} {{\n{b}\n}}"))


TOP = [s for s in SECTIONS.stmts if s.name not in ("include", "product")]
designs = st.tuples(*(section(s) for s in TOP)).map(lambda parts: 'product p { owner "a@b.c" }\n' +
                                                    "\n".join(x for x in parts if x) + "\n")
CTX = context(Config())


@SHAPES
@given(designs)
def test_every_rule_runs_on_every_model_shape(text):
    session = Session()
    doc, spec, diags = session.front("shape.dsspec", text.encode("utf-8"))
    # a number then a unit-like word (`0.5 m`) is a syntax error with its own help: rules judge parsed designs only
    assume(spec is not None and not [d for d in diags if d.rule in SYNTAX_FAILURES])
    from dsspec.compiler.model.resolve import resolve

    resolved, _ = resolve(spec)
    ctx = CTX.with_spec(resolved)
    for rule in all_rules():
        try:
            for hit in rule().check(resolved, ctx):
                assert hit.span.line >= 1 and hit.message
        except Exception as err:  # pragma: no cover - the failure message is the point
            raise AssertionError(f"rule {rule.name} raised {err!r} on:\n{text}") from err


def test_the_generator_reaches_every_section_and_nested_body():
    names = {s.name for s in TOP}
    assert {"model", "operator", "serving", "metric", "ecosystem"} <= names
    ladder = SECTIONS.by_name["model"].body.by_name["ladder"]
    assert ladder.body.by_name["step"].body.open_measures


# Every statement of two complete designs (one with a pipeline, a hosted model, its own metric and
# stakeholders; one with a calibrated probability and protected fields), each spoilt in turn: the
# statement written bare, with a wrong value of another kind, or with an empty body. This is the
# shape `calibrated maybe` and a bare `calibrated` took when they crashed a rule.
from pathlib import Path  # noqa: E402

BASES = [Path(__file__).resolve().parent / "corpus" / "realworld" / name
         for name in ("rag_agent_assist.dsspec", "credit_scorecard.dsspec")]
SPOIL = (lambda name: name, lambda name: f"{name} maybe", lambda name: f'{name} "text"',
         lambda name: f"{name} [a, b]", lambda name: f"{name} <= 3%", lambda name: f"{name} yes {{}}")


def spoilt(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        words = line.split("#")[0].split()
        if len(words) < 2 or words[-1] in ("{", "}") or line.startswith(("#", "}")) or not line.startswith(" "):
            continue
        indent = line[: len(line) - len(line.lstrip())]
        for form in SPOIL[number % 2::2]:
            yield number + 1, "\n".join(lines[:number] + [indent + form(words[0])] + lines[number + 1:]) + "\n"


@pytest.mark.parametrize("base", BASES, ids=lambda p: p.stem)
def test_every_rule_survives_each_statement_spoilt(base):
    from dsspec.compiler.model.resolve import resolve

    cases = list(spoilt(base))
    assert len(cases) > 150
    for line, text in cases:
        _, spec, _ = Session().front("spoilt.dsspec", text.encode("utf-8"))
        resolved, _ = resolve(spec)
        ctx = CTX.with_spec(resolved)
        for rule in all_rules():
            try:
                list(rule().check(resolved, ctx))
            except Exception as err:  # pragma: no cover - the failure message is the point
                raise AssertionError(f"rule {rule.name} raised {err!r} with line {line} spoilt:\n"
                                     f"{text.splitlines()[line - 1]}") from err
