from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.facts import split_entities, time_order
from dsspec.compiler.lint.reach import where

# tasks whose rows are often pairs (member and suggested member, query and item)
PAIR_TASKS = frozenset({"ranking", "retrieval", "recommendation"})


class EntityLeakage(Rule):
    """The evaluation splits at random although rows share an entity.

    Stage: system design

    ## What it does
    Flags `split random` in an `evaluation` when a source or input the model
    or the evaluation reads declares an `entity` key (a patient, a customer,
    a device that several rows belong to). The advice is `split group KEY`:
    a time split alone leaves an entity that returns on both sides. When
    the rows are also ordered in time (a `window`, a stream, labels with a
    `label_delay`), it adds to test on a later period as well; for ranking,
    retrieval and recommendation, whose rows often pair two members, it
    adds that every member's rows must fall on one side.

    ## Why it matters
    With several studies per patient, a random split puts studies of the
    same patient on both sides. The model recognises the patient (the
    scanner, the anatomy, the implant) instead of the disease, and the test
    score overstates what it does on new patients. Split by the entity, so
    each one is wholly in training or wholly in the test set.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source studies { kind files; entity [patient_id] }
    input image { from studies; fields [pixels, patient_id] }
    model m { task image_classification; reads image }
    evaluation { from studies; split random }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source studies { kind files; entity [patient_id] }
    input image { from studies; fields [pixels, patient_id] }
    model m { task image_classification; reads image }
    evaluation { from studies; split group patient_id }
    ```
    """

    code = "DS352"
    name = "entity-leakage"
    severity = Severity.ERROR
    stage = "system design"

    def check(self, spec, ctx):
        for ev in spec.spec.evaluation:
            if ev.split is None or ev.split.kind.name != "random":
                continue
            keys = split_entities(spec, ev)
            if not keys:
                continue
            section, key = keys[0]
            group = f"`split group {key.name}`, so each {key.name} is wholly in training or in the test set"
            timed = time_order(spec, ev)
            # grouping is the fix for the shared entity; a time split alone leaves a returning patient on both
            # sides, so it comes second, and only as well as the grouping
            advice = (f"use {group}; since {timed[0]}, test on a later period too, with every {key.name} of "
                      "the test period left out of training" if timed else f"use {group}")
            model = spec.model_of.get(id(ev))
            if model is not None and model.task is not None and model.task.name in PAIR_TASKS:
                advice += (f"; if a row pairs two {key.name}s, grouping by one is not enough: every member's "
                           "rows must fall on one side")
            yield Hit(ev.spans["split"], f"`split random` over rows that share an entity: `{key.name}`",
                      advice, (Related(where(spec, section), section.spans["entity"], "entity key"),))
