from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule


class OutputWithoutConsumer(Rule):
    """An output names no consumer (`to`).

    Stage: system design

    ## What it does
    Flags an `output` that a model writes without a `to` statement naming
    the ecosystem user or system that receives it, unless another model reads
    it (a retriever's candidates feeding a ranker: a stage of a pipeline). An
    output no model writes is `unused-declaration`'s finding instead.

    ## Why it matters
    A prediction only has value when someone acts on it. An output with no
    consumer has no interface to agree, no owner to tell when it changes,
    and no way to check that it moves the goal.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user support_agent "Works the routed queue" }
    output queue { type class }
    model router { task multiclass_classification; writes queue }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user support_agent "Works the routed queue" }
    output queue { type class; to support_agent }
    model router { task multiclass_classification; writes queue }
    ```
    """

    code = "DS305"
    name = "output-without-consumer"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        models = spec.models.values()
        read = {r.name for m in models for r in m.reads}  # built once: linear in models and outputs
        for output in spec.spec.outputs:
            if output.name.name not in spec.writer:
                continue  # an output no model writes is unused-declaration's finding: one mistake, one message
            if output.lacks("to") and output.name.name not in read:
                yield Hit(output.header, f"output `{output.name.name}` has no consumer (`to`)",
                          "add `to USER`, naming the ecosystem user or system that acts on it (or have the model that uses it "
                      "read it: `reads [..., NAME]`)")
