from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import sounds_untrusted, untrusted
from dsspec.compiler.lint.reach import sources_of


def indexed_sources(spec) -> list:
    """Return ``(source, reader)`` for every source retrieval reads: a `kind index` source, or one a
    `task retrieval` model reads through its inputs."""
    out = []
    for source in spec.sources.values():
        if source.kind is not None and source.kind.name == "index":
            out.append((source, None))
    for model in spec.spec.models:
        if model.task is not None and model.task.name == "retrieval":
            for source in sources_of(spec, list(model.reads)):
                if all(s is not source for s, _ in out):
                    out.append((source, model))
    return out


class UntrustedIndexWithoutProvenance(Rule):
    """Untrusted documents go into a retrieval index that keeps no provenance.

    Stage: system design

    ## What it does
    Flags a source that retrieval reads (a `kind index` source, or one a
    `task retrieval` model reads) when it is marked `trust untrusted` and
    states no `provenance`: how each document's origin (its URL, author,
    date, the allow-list it passed) is kept and checked. A description that
    only says the documents come from outside ("web pages", "uploads") gives
    a warning that asks for the fact.

    References: OWASP Top 10 for LLM Applications 2025, LLM08 Vector and
    Embedding Weaknesses and LLM04 Data and Model Poisoning; Zou et al.,
    "PoisonedRAG" (arXiv:2402.07867, 2024): five planted passages per
    question were enough to steer the answers.

    ## Why it matters
    Whatever is indexed is quoted to the model as evidence. A page written
    by an attacker carries instructions (indirect prompt injection) or false
    facts the model repeats with a citation. Keeping each chunk's origin
    lets the design filter by it, show it to the reader, and remove
    everything from one origin when it turns out to be hostile.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    source web_pages { kind index; trust untrusted }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    source web_pages {
      kind       index
      trust      untrusted
      provenance "each chunk keeps its URL, domain and crawl date; only allow-listed domains are indexed"
    }
    ```
    """

    code = "DS383"
    name = "untrusted-index-without-provenance"
    severity = Severity.WARNING
    stage = "system design"
    references = ("owasp-llm:LLM08", "owasp-llm:LLM04")

    def check(self, spec, ctx):
        for source, reader in indexed_sources(spec):
            if not spec.own(source) or not source.lacks("provenance"):
                continue
            related = (Related(spec.spec.path, reader.header, "retrieval reads it"),) if reader is not None else ()
            if untrusted(source):
                yield Hit(source.spans.get("trust", source.header),
                          f"untrusted documents of `{source.name.name}` are indexed for retrieval with no "
                          "`provenance`",
                          'add `provenance "..."`: how each chunk keeps its origin (URL, author, date) and which '
                          "origins are allowed in", related)
            elif sounds_untrusted(source):
                yield Hit(source.header,
                          f"`{source.name.name}` is indexed for retrieval and its description says "
                          f"\"{sounds_untrusted(source)}\", but it states neither `trust` nor `provenance`",
                          "if its documents come from outside, say `trust untrusted` and add `provenance \"...\"`; "
                          "if they do not, say `trust trusted`", related, Severity.INFO)
