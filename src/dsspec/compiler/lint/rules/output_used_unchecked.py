from __future__ import annotations

import re

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.base import Hit, Rule

_RISKY_USE = re.compile(r"\b(rendered as (?:html|markdown)|renders? (?:it |the \w+ )?as (?:html|markdown)|"
                        r"(?:is|are|gets?|will be) (?:then )?(?:automatically |directly )?executed|"
                        r"executed (?:directly|automatically|against|on the|as it is)|"
                        r"runs? (?:it|the (?:code|query|command|sql)) (?:directly|automatically|as it is)|"
                        r"(?:inserted|injected) into (?:the )?(?:page|dom|html))\b", re.I)
WORDS = {"executed": "executed", "rendered": "rendered (HTML, Markdown with links and images)"}


class OutputUsedUnchecked(Rule):
    """A model's output is executed or rendered downstream with nothing checking it first.

    Stage: system design

    ## What it does
    Flags an `output` written by a model whose `use` is `executed` (code,
    SQL, shell commands, tool arguments run as they are) or `rendered`
    (HTML, or Markdown with links and images a browser fetches) when it
    states no `check`: the sanitiser, sandbox, allow-list or validator that
    stands between the model and that use. An output with no `use` whose
    description says it is executed or rendered as HTML gives a warning that
    asks for the fact.

    References: OWASP Top 10 for LLM Applications 2025, LLM05 Improper
    Output Handling; the Markdown-image exfiltration of chat assistants
    (Rehberger, 2023; EchoLeak, CVE-2025-32711).

    ## Why it matters
    Model output is as untrusted as its input: an injected instruction
    becomes an `<img src>` that sends the conversation to an attacker's
    server when the page renders it, or a `DROP TABLE` when the query runs.
    The check is what turns text into something the downstream system may
    trust.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    output query { type text; use executed }
    model text_to_sql { task generation; writes query }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    output query {
      type  text
      use   executed
      check "parsed; SELECT only, on a read-only replica, with a row limit and a 5 s timeout"
    }
    model text_to_sql { task generation; writes query }
    ```
    """

    code = "DS384"
    name = "output-used-unchecked"
    severity = Severity.ERROR
    stage = "system design"
    references = ("owasp-llm:LLM05",)

    def check(self, spec, ctx):
        for out in spec.outputs.values():
            writer = spec.writer.get(out.name.name)
            place = in_use(spec, "output", out) if writer is not None and out.lacks("check") else None
            if place is None:
                continue
            related = (*place.related, Related(spec.origin.get(id(writer), spec.spec.path), writer.header,
                                               "written by this model"))
            if out.use is not None and out.use.name in WORDS:
                yield Hit(place.at(out.spans["use"]),
                          place.named(f"output `{out.name.name}`") + f" of `{writer.name.name}` is {WORDS[out.use.name]} with no "
                          "`check` before it",
                          place.help('add `check "..."`: what sanitises, sandboxes or validates it first (an HTML sanitiser '
                          "and a link allow-list; a sandbox, an allow-list of commands, a read-only role)"), related)
            elif out.use is None and out.description is not None and _RISKY_USE.search(out.description.value):
                found = _RISKY_USE.search(out.description.value).group(0)
                yield Hit(place.at(out.spans["description"]),
                          place.named(f"output `{out.name.name}`") + f" of `{writer.name.name}` is described as \"{found}\", with no "
                          "`use` or `check` stated",
                          place.help('state it: `use executed` or `use rendered`, and `check "..."` for what validates it '
                          "first"), related, Severity.WARNING)
