from __future__ import annotations

import re

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import hosted_model_of, personal_fields

_ZERO_RETENTION = re.compile(r"\b(zero[- ]data[- ]retention|zero retention|no (?:data )?retention|zdr)\b", re.I)


class PersonalDataToRetainingVendor(Rule):
    """Personal or protected data goes to a hosted model whose vendor keeps it or trains on it.

    Stage: system design

    ## What it does
    Finds the personal (`pii`) and `protected` fields a hosted model's inputs
    carry (a listed field, or free text such as a `body` read from a source
    with personal data) and flags its `serving` when the vendor's terms say
    it trains on the data (`trains_on_data yes`), keeps it (`retention` above
    `0d`), or are not stated at all (neither `retention` nor
    `trains_on_data`; a `provider` that says "zero data retention" counts as
    `retention 0d`).

    References: OWASP Top 10 for LLM Applications 2025, LLM02 Sensitive
    Information Disclosure; GDPR Art. 28 (processors) and Art. 5(1)(e)
    (storage limitation).

    ## Why it matters
    Data kept in-house is deleted on the design's own `retention`; data sent
    to a vendor is kept on the vendor's terms, in the vendor's region, and
    may end up in the weights of a model other customers query. The default
    terms of consumer and many API tiers keep prompts for abuse monitoring
    (often 30 days) and some train on them; enterprise tiers offer zero
    retention. Which one the design uses is a fact the privacy review needs.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source tickets { kind stream; pii [customer_email] }
    input ticket { from tickets; fields [body, customer_email] }
    model drafter { task generation; reads ticket }
    serving { mode online; provider "LLM API"; cost $0.01/request; retention 30d; trains_on_data yes }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source tickets { kind stream; pii [customer_email] }
    input ticket { from tickets; fields [body, customer_email] }
    model drafter { task generation; reads ticket }
    serving { mode online; provider "LLM API"; cost $0.01/request; retention 0d; trains_on_data no; region "EU" }
    ```
    """

    code = "DS382"
    name = "personal-data-to-retaining-vendor"
    severity = Severity.WARNING
    stage = "system design"
    references = ("owasp-llm:LLM02",)

    def check(self, spec, ctx):
        for serving in spec.spec.serving:
            model = hosted_model_of(spec, serving)
            if model is None:
                continue
            personal = personal_fields(spec, model)
            if not personal:
                continue
            shown = ", ".join(f"`{f}`" if not f.startswith("free") else f for _, f in personal[:4])
            related = tuple(Related(spec.origin.get(id(s), spec.spec.path), s.header, "personal data declared here")
                            for s in {id(s): s for s, _ in personal}.values())
            vendor = f"({serving.provider.value})" if serving.provider else ""
            if serving.trains_on_data is not None and serving.trains_on_data.name == "yes":
                yield Hit(serving.spans["trains_on_data"],
                          f"`{model.name.name}` sends personal data ({shown}) to a vendor {vendor} that trains on it",
                          "use a tier that does not train on customer data (`trains_on_data no`), or remove the "
                          "personal fields before the call", related)
            elif serving.retention is not None and serving.retention.value > 0:
                yield Hit(serving.spans["retention"],
                          f"`{model.name.name}` sends personal data ({shown}) to a vendor {vendor} that keeps it "
                          f"for {serving.retention.text}",
                          "use zero data retention (`retention 0d`), remove or mask the personal fields before "
                          "the call, or record the vendor as a processor with that retention in the privacy review",
                          related)
            elif serving.lacks("retention") and serving.lacks("trains_on_data") and \
                    not _ZERO_RETENTION.search(serving.provider.value if serving.provider else ""):
                yield Hit(serving.spans.get("provider", serving.header),
                          f"`{model.name.name}` sends personal data ({shown}) to a hosted vendor {vendor} whose "
                          "terms the design does not state",
                          "state the vendor's terms: `retention DURATION` (`0d` for zero retention), "
                          "`trains_on_data yes|no` and `region \"...\"`", related)
