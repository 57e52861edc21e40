from __future__ import annotations

from dsspec.base.diagnostics import Related, Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import sounds_untrusted, untrusted
from dsspec.compiler.lint.facts import in_use
from dsspec.compiler.lint.reach import sources_of, where


_PER_REQUEST = ("stream", "api", "labels")
"""Kinds of source a retriever reads per request (the user's query, a live call) or learns from, not documents
it indexes."""


def indexed_sources(spec) -> list:
    """Return ``(source, reader)`` for every source that is indexed for retrieval: a `kind index` source, and
    what feeds one (a source listed with an index in the `from` of an input a `task retrieval` model reads).
    A retriever that reads no index at all indexes the documents it reads (sources of kind `table`,
    `files` or unstated), never its query stream, an API it calls or its labels."""
    out = []
    for source in spec.sources.values():
        if source.kind is not None and source.kind.name == "index":
            out.append((source, None))
    for model in spec.spec.models:
        if model.task is None or model.task.name != "retrieval":
            continue
        groups = []  # the sources of each thing the retriever reads: an input's `from`, or one source
        for ref in model.reads:
            groups.append(sources_of(spec, [ref]))
        has_index = any(_is_index(s) for group in groups for s in group)
        for group in groups:
            if has_index:
                chosen = group if any(_is_index(s) for s in group) else []
            else:
                chosen = [s for s in group if s.kind is None or s.kind.name not in _PER_REQUEST]
            for source in chosen:
                if all(s is not source for s, _ in out):
                    out.append((source, model))
    return out


def _is_index(source) -> bool:
    return source.kind is not None and source.kind.name == "index"


class UntrustedIndexWithoutProvenance(Rule):
    """Untrusted documents go into a retrieval index that keeps no provenance.

    Stage: system design

    ## What it does
    Flags a source that is indexed for retrieval (a `kind index` source, a
    source listed with one in an input's `from`, or, when a `task retrieval`
    model reads no index, the documents it reads; never its query stream)
    when it is marked `trust untrusted` and
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
            if not source.lacks("provenance"):
                continue
            place = in_use(spec, "source", source)
            if place is None:
                continue
            related = place.related + ((Related(where(spec, reader), reader.header, "retrieval reads it"),)
                                       if reader is not None else ())
            if untrusted(source):
                yield Hit(place.at(source.spans.get("trust", source.header)),
                          place.named(f"untrusted documents of `{source.name.name}`") + " are indexed for "
                          "retrieval with no `provenance`",
                          place.help('add `provenance "..."`: how each chunk keeps its origin (URL, author, date) '
                                     "and which origins are allowed in"), related)
            elif sounds_untrusted(source):
                yield Hit(place.span,
                          place.named(f"`{source.name.name}`") + " is indexed for retrieval and its description "
                          f"says \"{sounds_untrusted(source)}\", but it states neither `trust` nor `provenance`",
                          place.help("if its documents come from outside, say `trust untrusted` and add "
                                     "`provenance \"...\"`; if they do not, say `trust trusted`"),
                          related, Severity.INFO)
