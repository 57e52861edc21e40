from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import is_rag

GROUNDED_METRICS = ("groundedness", "faithfulness", "citation", "attribution", "hallucination", "supported",
                    "context_adherence", "answer_support")
GROUNDED_SUITES = ("groundedness", "citation", "hallucination")


def grounded_check(ev) -> str | None:
    """Return the metric or suite of ``ev`` that checks answers against their sources, else ``None``."""
    for suite in ev.suites:
        if suite.kind.name in GROUNDED_SUITES:
            return f"suite {suite.kind.name}"
    for m in ev.metrics:
        if any(word in m.name for word in GROUNDED_METRICS):
            return m.name
    return None


class RagGroundednessUnevaluated(Rule):
    """A model that answers from retrieved text is not evaluated for groundedness or citations.

    Stage: metrics

    ## What it does
    Flags the `evaluation` of a generation model that reads retrieved text
    (the output of a `task retrieval` model, or an input from a `kind index`
    source) when neither its `metrics` hold a groundedness measure
    (`groundedness`, `faithfulness`, `citation_precision`, `attribution`,
    `hallucination_rate`, ...) nor a `suite groundedness`, `suite citation`
    or `suite hallucination` is listed; a model with no evaluation at all is
    `evaluation-missing`'s.

    References: OWASP Top 10 for LLM Applications 2025, LLM09
    Misinformation; MAST (arXiv:2503.13657) FM-3.2 No or incomplete
    verification; Es et al., "RAGAS" (arXiv:2309.15217, 2023) for
    faithfulness and answer relevance.

    ## Why it matters
    Retrieval does not make an answer true: the model may ignore the
    passages, blend them, or invent a policy that sounds like them.
    Accuracy graded on a sample says how often the answer was right;
    groundedness says whether it came from the sources, which is what lets
    a reader trust the citation and what breaks first when the index
    changes.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source kb { kind index }
    input passages { from kb; fields [chunk_text] }
    model answerer { task generation; reads passages }
    evaluation { metrics [answer_accuracy]; primary answer_accuracy }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source kb { kind index }
    input passages { from kb; fields [chunk_text] }
    model answerer { task generation; reads passages }
    evaluation { metrics [answer_accuracy, groundedness]; primary answer_accuracy }
    ```
    """

    code = "DS580"
    name = "rag-groundedness-unevaluated"
    severity = Severity.WARNING
    stage = "metrics"
    references = ("owasp-llm:LLM09", "mast:FM-3.2")

    def check(self, spec, ctx):
        for model in spec.spec.models:
            why = is_rag(spec, model)
            if why is None:
                continue
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None or grounded_check(ev) is not None:
                continue
            yield Hit(ev.spans.get("metrics", ev.header),
                      f"`{model.name.name}` answers from retrieved text ({why}), but its evaluation measures no "
                      "groundedness or citation accuracy",
                      "add a groundedness metric (`groundedness`, `faithfulness`, `citation_precision`) to "
                      "`metrics`, or `suite groundedness \"...\"`")
