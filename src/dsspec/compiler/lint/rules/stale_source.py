from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule


class StaleSource(Rule):
    """An input needs fresher data than one of its sources provides.

    Stage: system design

    ## What it does
    Compares each `input`'s `freshness` (how stale the data it needs may
    be) with the `freshness` of every source it reads `from`, and flags a
    source whose data can be older than the input allows.

    ## Why it matters
    A feature computed from a table refreshed daily cannot describe the last
    five minutes. The model is then trained on fresh values and served stale
    ones, and its accuracy in production falls below what evaluation showed.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source card_history { kind table; freshness 1d }
    input history { from card_history; fields [past_chargebacks]; freshness 5min }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source card_history { kind table; freshness 1d }
    input history { from card_history; fields [past_chargebacks]; freshness 2d }
    ```
    """

    code = "DS308"
    name = "stale-source"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        for inp in spec.inputs.values():
            place = in_use(spec, "input", inp) if inp.freshness is not None else None
            if place is None:
                continue
            for ref in inp.from_:
                source = spec.sources.get(ref.name)
                if source is None or source.freshness is None or source.freshness.value <= inp.freshness.value:
                    continue
                yield Hit(place.at(inp.spans["from"]),
                          place.named(f"input `{inp.name.name}`") + f" needs `freshness {inp.freshness.text}` but source "
                          f"`{ref.name}` is only `freshness {source.freshness.text}`",
                          place.help("read a fresher source, or move the fields that come from it to an input of their "
                          "own with the freshness it can give; only if the model does not need them that fresh, "
                          "relax the input's `freshness`"),
                          (*place.related, Related(spec.origin.get(id(source), spec.spec.path), source.spans["freshness"],
                                   "source freshness"),))
