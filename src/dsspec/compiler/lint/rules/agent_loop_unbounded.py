from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import prose_agent


class AgentLoopUnbounded(Rule):
    """An agent (a model with tools) has no step cap or no stop condition.

    Stage: system design

    ## What it does
    Flags a `model` that lists `tools` (it calls them in a loop: call the
    model, run the tool, call the model again) but states no `max_steps`
    (the most model calls one request may take) or no `stop` (when the
    loop is done). One finding per model names what is missing. A model
    with no `tools` whose description calls it an agent ("an agent that
    calls the CRM until the case is closed") gets a note asking for them.

    References: OWASP Top 10 for LLM Applications 2025, LLM10 Unbounded
    Consumption and LLM06 Excessive Agency; MAST (Cemri et al., "Why Do
    Multi-Agent LLM Systems Fail?", arXiv:2503.13657), FM-1.3 Step
    repetition and FM-1.5 Unaware of termination conditions, together 28%
    of the failures in its 1,642 traces.

    ## Why it matters
    An agent without a cap repeats a step it cannot finish until the
    timeout, the rate limit or the invoice stops it; one without a stop
    condition does not know when the task is done and keeps acting. The cap
    bounds cost and latency per request (`calls` x price, `calls` x latency);
    the stop condition is what the evaluation checks the agent against.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    tool search_docs { effect read }
    model helper { task generation; tools [search_docs] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    tool search_docs { effect read }
    model helper {
      task generation
      tools [search_docs]
      max_steps 5
      stop "an answer citing a document, or a hand-off to a person"
    }
    ```
    """

    code = "DS381"
    name = "agent-loop-unbounded"
    severity = Severity.WARNING
    stage = "system design"
    references = ("owasp-llm:LLM10", "owasp-llm:LLM06", "mast:FM-1.3", "mast:FM-1.5")

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if not model.tools:
                said = prose_agent(model)
                if said and (model.lacks("max_steps") or model.lacks("stop")):
                    yield Hit(model.spans.get("description", model.spans.get("system_prompt", model.header)),
                              f"`{model.name.name}` is described as an agent (\"{said}\") but states no `tools`, "
                              "`max_steps` or `stop`",
                              "declare its tools (`tools [...]`), its step cap (`max_steps N`) and when it stops "
                              '(`stop "..."`)', severity=Severity.INFO)
                continue
            missing = [s for s in ("max_steps", "stop") if model.lacks(s)]
            if not missing:
                continue
            what = " and no ".join(f"`{s}`" for s in missing)
            yield Hit(model.spans.get("tools", model.header),
                      f"agent `{model.name.name}` calls tools but has no {what}: nothing bounds its loop"
                      if len(missing) == 2 else
                      f"agent `{model.name.name}` calls tools but has no {what}" +
                      (": nothing caps its steps" if missing == ["max_steps"] else
                       ": nothing says when its task is done"),
                      "add " + " and ".join({"max_steps": "`max_steps N` (the most model calls one request may "
                                                          "take)",
                                             "stop": '`stop "..."` (when the loop is done: an answer, a '
                                                     'hand-off, a refusal)'}[s] for s in missing))
