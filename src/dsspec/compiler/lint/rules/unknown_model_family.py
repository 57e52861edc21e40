from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.base.suggestions import differs, respells, suggest

SMALLER = frozenset({"nano", "mini", "micro", "small", "tiny", "lite", "light", "base", "haiku", "flash", "distil",
                     "distilled", "s", "xs"})
"""Qualifiers of a smaller variant of a family (``gpt_4_1_nano``): the family without them is a larger model."""
LARGER = frozenset({"large", "xl", "xxl", "ultra", "pro", "max", "big", "huge", "opus", "plus", "l"})
"""Qualifiers of a larger variant (``bert_large``): the family without them is a smaller model."""


class UnknownModelFamily(Rule):
    """A ladder step names a model family the catalogue does not know.

    Stage: start simple

    ## What it does
    Looks up the family of every `baseline` and `step` in the family
    catalogue and flags one that is not there, suggesting the closest
    known name. A misspelling (`lightgmb`) is fixed by `check --fix`; a
    name with a qualifier the catalogue lacks (`gpt_4_1_nano`, `bert_large`)
    is another model, so the message says how the nearest one differs (a
    larger or smaller model) and nothing is rewritten.

    ## Why it matters
    The catalogue gives each family its tier, typical size and latency; the
    rules that check the ladder, latency and cost cannot judge a family they
    do not know, so a typo silently turns those checks off.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55 }
        step lightgmb { recall 0.66; chosen }
      }
    }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m {
      task binary_classification
      ladder {
        baseline logistic_regression { recall 0.55 }
        step lightgbm { recall 0.66; chosen }
      }
    }
    ```
    """

    code = "DS405"
    name = "unknown-model-family"
    severity = Severity.INFO
    stage = "start simple"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            for step in model.ladder.steps if model.ladder else ():
                if step.family is None or ctx.family(step.family.name) is not None:
                    continue
                name = step.family.name
                hint = suggest(name, ctx.families)
                if hint and not respells(name, hint):  # another model, not a misspelling: never a fix
                    yield Hit(step.header, f"unknown model family `{name}`: it is not in the catalogue; the "
                              f"nearest is `{hint}`{_another(name, hint)}",
                              f"declare `{name}` in the configuration (`[tool.dsspec.families.{name}]` with `tier`, "
                              f"`params` and `latency_ms`), or write the family you mean")
                    continue
                message = f"unknown model family `{step.family.name}`"
                if hint:
                    message += f"; did you mean `{hint}`?"
                yield Hit(step.header, message if hint else
                          message + ": the rules cannot judge its size, latency or tier",
                          f"write `{hint}`, or describe `{step.family.name}` in the configuration" if hint else
                          f"describe it in the configuration: `[tool.dsspec.families.{step.family.name}]` with "
                          "`tier` (0 rules .. 4 LLM), `params` and `latency_ms = { cpu = [BASE, PER_BILLION] }`; "
                          "or write the closest catalogue family (`dsspec explain unknown-model-family`)")


def _another(name: str, near: str) -> str:
    """Return what ``near`` is to ``name``: ", a larger model: `gpt_4_1_nano` without `_nano`"."""
    extra = differs(name, near)
    if extra is None or "_" not in extra:  # `xgb` for `xgboost`: a short form, maybe of another model
        return "; write it if it is the model you mean"
    words = set(extra.strip("_").split("_"))
    dropped = len(name) > len(near)  # the catalogue's name lacks the qualifier
    size = ("a larger model" if dropped else "a smaller model") if words & SMALLER else \
        ("a smaller model" if dropped else "a larger model") if words & LARGER else "another model"
    return f", {size}: `{name}` {'without' if dropped else 'with'} `{extra}`"
