from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import context_window


class PromptOverContextWindow(Rule):
    """The tokens of one call do not fit the model's context window.

    Stage: system design

    ## What it does
    Adds a model's `tokens_in` and `tokens_out` per call and flags
    `tokens_in` when the sum exceeds its context window: the model's own
    `context_window`, else its chosen family's in the catalogue.

    References: OWASP Top 10 for LLM Applications 2025, LLM10 Unbounded
    Consumption; MAST (arXiv:2503.13657) FM-1.4 Loss of conversation
    history (the turns truncated away).

    ## Why it matters
    What does not fit is cut: the provider rejects the call, or the
    framework drops the oldest turns, the system prompt's rules or the
    retrieved passages that held the answer. The design must say what is
    cut, summarised or retrieved instead, before the evaluation runs on
    prompts that never reach production whole.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model summariser {
      task summarization
      tokens_in 150k
      tokens_out 2k
      ladder { step gpt_4o { rouge_l 0.4; chosen } }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model summariser {
      task summarization
      tokens_in 100k
      tokens_out 2k
      ladder { step gpt_4o { rouge_l 0.4; chosen } }
    }
    ```
    """

    code = "DS386"
    name = "prompt-over-context-window"
    severity = Severity.ERROR
    stage = "system design"
    references = ("owasp-llm:LLM10", "mast:FM-1.4")

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if model.tokens_in is None:
                continue
            window = context_window(model, ctx)
            if window is None:
                continue
            size, how = window
            total = model.tokens_in.value + (model.tokens_out.value if model.tokens_out is not None else 0)
            if total > size:
                yield Hit(model.spans["tokens_in"],
                          f"`{model.name.name}` needs {total:,.0f} tokens per call, over its context window "
                          f"({how})",
                          "retrieve or summarise instead of sending everything, split the call, or choose a "
                          "family with a larger window")
