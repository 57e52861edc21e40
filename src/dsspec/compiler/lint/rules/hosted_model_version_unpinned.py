from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import hosted_model_of, pinned


class HostedModelVersionUnpinned(Rule):
    """A hosted model is evaluated before release, but its version is not pinned.

    Stage: operations

    ## What it does
    Flags the `serving` of a hosted model (`provider "..."`) that has an
    `evaluation` when it states no `version`, or a version that is an alias
    which moves (`gpt-4o`, `claude-3-5-sonnet-latest`) rather than a dated
    snapshot or numbered release (`gpt-4o-2024-08-06`,
    `claude-3-5-sonnet-20241022`, `gemini-1.5-pro-002`). A snapshot named in
    the `provider` text or the chosen step's `pretrained` counts as pinned.

    References: OWASP Top 10 for LLM Applications 2025, LLM03 Supply Chain
    (a third-party model changing under the application); Chen, Zaharia and
    Zou, "How Is ChatGPT's Behavior Changing over Time?" (arXiv:2307.09009,
    2023).

    ## Why it matters
    The evaluation is the release gate: it says this model, with this
    prompt, meets the success levels. When the vendor moves an alias to a
    new model, the application changes without a release, and the numbers
    the design was approved on describe a model that is no longer served.
    Pinning the snapshot makes an upgrade a change the evaluation sees.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task generation }
    evaluation { metrics [groundedness]; primary groundedness }
    serving { mode online; provider "OpenAI API"; version "gpt-4o"; cost $0.01/request }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task generation }
    evaluation { metrics [groundedness]; primary groundedness }
    serving { mode online; provider "OpenAI API"; version "gpt-4o-2024-08-06"; cost $0.01/request }
    ```
    """

    code = "DS780"
    name = "hosted-model-version-unpinned"
    severity = Severity.WARNING
    stage = "operations"
    references = ("owasp-llm:LLM03",)

    def check(self, spec, ctx):
        for serving in spec.spec.serving:
            model = hosted_model_of(spec, serving)
            if model is None:
                continue
            ev = spec.for_model(spec.spec.evaluation, model)
            if ev is None:
                continue
            related = (Related(spec.spec.path, ev.header, "the evaluation the release rests on"),)
            if serving.version is not None and not pinned(serving.version.value):
                yield Hit(serving.spans["version"],
                          f"`version \"{serving.version.value}\"` of hosted `{model.name.name}` is an alias the "
                          "vendor can move: the evaluation may no longer describe the model served",
                          "pin a dated snapshot or numbered release (e.g. `version \"gpt-4o-2024-08-06\"`), and "
                          "re-run the evaluation before moving to a new one", related)
            elif serving.lacks("version") and not _named_elsewhere(serving, model):
                yield Hit(serving.spans.get("provider", serving.header),
                          f"hosted `{model.name.name}` names no pinned `version`: the evaluation may no longer "
                          "describe the model served after the vendor updates it",
                          "add `version \"...\"` with a dated snapshot (e.g. `gpt-4o-2024-08-06`), and re-run the "
                          "evaluation before moving to a new one", related)


def _named_elsewhere(serving, model) -> bool:
    """Return whether the provider's text or the chosen step's `pretrained` already names a pinned
    snapshot (`provider "Azure OpenAI, gpt-4o-2024-08-06"`)."""
    from dsspec.compiler.lint.facts import chosen_step

    step = chosen_step(model)
    texts = [serving.provider.value if serving.provider else "", step.pretrained.value if step and step.pretrained else ""]
    return any(pinned(word) for text in texts for word in text.replace(",", " ").split())
