from __future__ import annotations

from dsspec.diagnostics import Related, Severity
from dsspec.lint.base import Hit, Rule
from dsspec.lint.facts import label_source, model_inputs
from dsspec.lint.reach import entity_keys, sources_of, where


class EntityLeakage(Rule):
    """The evaluation splits at random although rows share an entity.

    Stage: system design

    ## What it does
    Flags `split random` in an `evaluation` when a source or input the model
    or the evaluation reads declares an `entity` key (a patient, a customer,
    a device that several rows belong to).

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
            model = spec.model_of.get(id(ev))
            sources = sources_of(spec, list(ev.from_))
            inputs = [spec.inputs[r.name] for r in ev.from_ if r.name in spec.inputs]
            if model is not None:
                inputs += model_inputs(spec, model)
                labels = label_source(spec, model)
                sources += sources_of(spec, list(model.reads)) + ([labels] if labels else [])
            keys = entity_keys(spec, sources, inputs)
            if not keys:
                continue
            section, key = keys[0]
            yield Hit(ev.spans["split"], f"`split random` over rows that share an entity: `{key.name}`",
                      f"use `split group {key.name}`, so each {key.name} is wholly in training or in the test set",
                      (Related(where(spec, section), section.spans["entity"], "entity key"),))
