from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule

RANDOM_POLICIES = frozenset({"random", "uniform", "randomised", "randomized"})


class FeedbackLoopWithoutExploration(Rule):
    """The labels are logged by the current system, with no exploration or propensities.

    Stage: system design

    ## What it does
    Flags a source with `logged_by POLICY` (its outcomes exist only for what
    that policy chose to show or do) that has no `exploration` share above
    zero, no `propensities yes` and no `correction`.

    ## Why it matters
    Clicks are only seen on what was shown, and mostly on what was shown
    first. A model trained on them learns the old ranking's choices and its
    position bias, then ships them back as its own: the loop narrows what is
    ever shown, and offline metrics reward copying the incumbent. A small
    randomised share, or logged propensities and inverse-propensity
    weights, lets the model learn what users want rather than what they saw.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source clicks { kind labels; label_delay 1d; logged_by current_ranking }
    model m { task ranking; labels clicks }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source clicks {
      kind         labels
      label_delay  1d
      logged_by    current_ranking
      exploration  2%
      propensities yes
      correction   ipw "inverse-propensity weights from the randomised share"
    }
    model m { task ranking; labels clicks }
    ```
    """

    code = "DS353"
    name = "feedback-loop-without-exploration"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for source in spec.sources.values():
            policy = source.logged_by
            if policy is None or policy.name in RANDOM_POLICIES or source.corrections:
                continue
            place = in_use(spec, "source", source)
            if place is None:
                continue
            explores = source.exploration is not None and source.exploration.value > 0
            weighs = source.propensities is not None and source.propensities.name == "yes"
            rejected = any(source.lacks(k) is False and getattr(source, k) is None
                           for k in ("exploration", "propensities"))  # already reported by the schema
            if explores or weighs or rejected:
                continue
            yield Hit(place.at(source.spans["logged_by"]),
                      place.named(f"labels `{source.name.name}`") + f" are logged by `{policy.name}` with no exploration or "
                      "propensities: the model learns the current system's choices",
                      place.help("serve a small share at random (`exploration 2%`), store the logging probabilities "
                      "(`propensities yes`) and weight by them (`correction ipw \"...\"`)"), place.related)
