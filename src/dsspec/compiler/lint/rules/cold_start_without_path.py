from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule

HISTORY_TASKS = ("recommendation", "ranking", "retrieval")


class ColdStartWithoutPath(Rule):
    """New users, items or segments are served, and the model has no path for them.

    Stage: system design

    ## What it does
    Flags a recommendation, ranking or retrieval model whose `serving`
    names a `population` its `training` does not (a new product line, a new
    market, new sellers) while the model states no `cold_start` path, or
    claims `cold_start none`.

    ## Why it matters
    A model that learns from interaction history has nothing to say about
    what has none: a new product line's items are never retrieved, new
    users see a generic page or nothing. Popularity within a category,
    content features, or a share of traffic spent exploring the new items
    are the usual paths (Schein et al. 2002); each must be designed, not
    discovered after launch.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model m { task recommendation }
    training { population [apparel] }
    serving { mode online; population [apparel, home_goods] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    model m { task recommendation; cold_start "home_goods items ranked by content embeddings and category popularity until 50 views" }
    training { population [apparel] }
    serving { mode online; population [apparel, home_goods] }
    ```
    """

    code = "DS365"
    name = "cold-start-without-path"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if model.task is None or model.task.name not in HISTORY_TASKS or model.cold_start is not None:
                continue
            serving = spec.for_model(spec.spec.serving, model)
            training = spec.for_model(spec.spec.training, model)
            if serving is None or training is None or not serving.population or not training.population:
                continue
            seen = {r.name for r in training.population}
            new = [r.name for r in serving.population if r.name not in seen]
            if not new:
                continue
            shown = ", ".join(f"`{x}`" for x in new)
            claim = "cold_start" in model.nones
            yield Hit(model.spans["cold_start"] if claim else model.header,
                      f"`{model.name.name}` serves {shown}, which training has no history of, "
                      + ("yet claims no cold start" if claim else "and states no `cold_start` path"),
                      "say what new users or items get until they have history: `cold_start \"...\"`",
                      (Related(spec.spec.path, serving.spans["population"], "served population"),))
