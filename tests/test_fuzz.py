"""Property tests: no input, however broken, makes a stage raise.

Every user mistake must end in findings. These feed the pipeline arbitrary
bytes, arbitrary text, and text assembled from the language's own tokens
(which reaches much deeper into the parser and the schema than noise does).
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dsspec.compiler.model.typed import typed  # noqa: E402
from dsspec.compiler.pipeline import Session  # noqa: E402
from dsspec.compiler.syntax import parse  # noqa: E402
from dsspec.compiler.syntax.format import format_document  # noqa: E402

FAST = settings(max_examples=int(__import__("os").environ.get("DSSPEC_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = ["product", "ecosystem", "operator", "source", "input", "output", "model", "training", "evaluation",
         "serving", "monitoring", "audience", "include", "ladder", "step", "baseline", "manual", "chosen",
         "success", "latency", "budget", "timeout", "fallback", "default", "kind", "from", "fields", "reads",
         "writes", "labels", "window", "split", "metrics", "primary", "review", "slices", "drift", "track",
         "gets", "task", "params", "p99", "stream", "labels", "batch", "online", "cpu", "gpu", "recall", "x",
         "metric", "better", "stakeholder", "protected", "provider", "calibrated", "maybe"]
TOKENS = WORDS + ["{", "}", "[", "]", ",", ";", "\n", "\n", "\n", "..", ">=", "<=", "<", "0.5", "40k", "70B",
                  "30%", "50ms", "6h", "$6k/month", "$0.002/request", "120/s", "2025-01-01", '"text"',
                  '"""\nlong\n"""', "# comment\n", "\"", "@", "10x", "\t", "\r\n"]

source_like = st.lists(st.sampled_from(TOKENS), max_size=120).map(" ".join)

VALUES = ["x", "recall", '"a # not a comment"', '"q\\"uote"', "0.5", "40k", "30%", "50ms", "$6k/month",
          "120/s", "2025-01-01 .. 2025-02-01", "<= 80ms", ">= 0.7", "[a, b]", "[a,\n  # inside\n  b]",
          '"""\n  two\n  lines\n  """']
statement = st.recursive(
    st.tuples(st.sampled_from(WORDS), st.lists(st.sampled_from(VALUES), max_size=3),
              st.sampled_from(["", "  # trailing"])).map(lambda t: " ".join([t[0], *t[1]]) + t[2]),
    lambda inner: st.tuples(st.sampled_from(WORDS), st.lists(st.sampled_from(VALUES), max_size=2),
                            st.lists(inner, max_size=4), st.booleans()).map(
        lambda t: " ".join([t[0], *t[1]]) + (" { " + "; ".join(x.split("  #")[0] for x in t[2]) + " }" if t[3]
                                              else " {\n" + "\n".join(t[2]) + "\n}")),
    max_leaves=12)
well_formed = st.lists(statement, max_size=8).map(lambda xs: "\n".join(xs) + "\n")


def compile_bytes(data: bytes):
    return Session().compile("fuzz.dsspec", data, None)


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    result = compile_bytes(data)
    assert all(d.span.line >= 1 and d.span.column >= 1 for d in result.diagnostics)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    compile_bytes(text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.one_of(source_like, well_formed))
def test_token_soup_never_raises_and_formats_stably(text):
    result = compile_bytes(text.encode("utf-8"))
    assert all(d.span.line >= 1 for d in result.diagnostics)
    doc, diags = parse("fuzz.dsspec", text)
    if not diags:
        once = format_document(doc)
        again, errors = parse("fuzz.dsspec", once)
        assert errors == []
        assert format_document(again) == once
        assert [c.strip() for _, c in again.comments] == [c.strip() for _, c in doc.comments]
        assert _model(once) == _model(text)


def _model(text: str):
    _, spec, _ = Session().front("fuzz.dsspec", text.encode("utf-8"))
    return _strip(typed(spec).model_dump()) if spec is not None else None


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("span", "header", "spans")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value
