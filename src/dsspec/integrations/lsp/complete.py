"""Completion: what may be written at the cursor, read from the schema table.

The text before the cursor is scanned by hand, not parsed: while a statement
is being typed the file rarely parses, yet the enclosing blocks, the
statement's name and how many values are already written are plain to see.
Statements, attributes and enum words come from ``dsspec.compiler.model.schema``, so a
section added to the language is completed without a change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dsspec.integrations.lsp.analysis import REF_KINDS, Analysis, block_at
from dsspec.compiler.model import schema

METRIC_FIELDS = frozenset({"metric", "metrics", "primary"})
FAMILY_FIELDS = frozenset({"family"})
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[{}\[\];\n]|[^\s{}\[\];,"#]+|,')


@dataclass
class Place:
    """Where the cursor stands: the enclosing statements, the statement being written and its values."""

    path: list[str]
    words: list[str]          # the statement's name and its complete values
    in_list: bool             # inside an unclosed `[`
    partial: str              # the word being typed
    siblings: set[str] = field(default_factory=set)   # statements already written in this block
    listed: set[str] = field(default_factory=set)     # the items already written in the open `[`


def place(prefix: str) -> Place | None:
    """Return where the end of ``prefix`` (the text before the cursor) stands; ``None`` in a string or comment."""
    stack: list[str] = []
    outer: list[set[str]] = []
    siblings: set[str] = set()
    words: list[str] = []
    in_list = False
    listed: set[str] = set()
    last = ""
    for m in _TOKEN.finditer(prefix):
        tok = m.group()
        at_end = m.end() == len(prefix)
        if tok.startswith("#") or (tok.startswith('"') and (len(tok) == 1 or not tok.endswith('"'))):
            if at_end:
                return None
            if tok.startswith("#"):
                continue
        if tok == "{":
            stack.append(words[0] if words else "")
            outer.append(siblings | set(words[:1]))
            siblings, words, in_list = set(), [], False
        elif tok == "}":
            stack = stack[:-1]
            siblings = outer.pop() if outer else set()
            words, in_list = [], False
        elif tok in ("\n", ";"):
            if not in_list:
                siblings.update(words[:1])
                words = []
        elif tok == "[":
            in_list, listed = True, set()
        elif tok == "]":
            in_list = False
            words.append("[...]")
        elif tok == ",":
            pass
        elif at_end:
            last = tok
        elif not in_list:
            words.append(tok)
        else:
            listed.add(tok)
    return Place(stack, words, in_list, last, siblings, listed if in_list else set())


def _names(a: Analysis | None, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    if a is None:
        return []
    return [(d.name, d.kinds[0]) for kind in kinds for d in a.declared(kind)]


LABEL_ATTRIBUTES = ("label_delay", "zero_share", "logged_by", "exploration", "propensities", "censored_by",
                    "selected_by", "proxy_for", "corrections")
"""A source's attributes that only a source of labels has (``label_delay``, how its outcomes are biased)."""


def _label_sources(a: Analysis | None) -> list[tuple[str, str]]:
    """Return the sources that hold labels: of ``kind labels``, with a label's attributes, or already named by a
    ``labels``; every source when none does (a new design may not say yet)."""
    names = _names(a, ("source",))
    r = a.result.resolved if a is not None else None
    if r is None:
        return names
    named = {x.name for x in a.refs if x.statement.name == "labels"}

    def holds_labels(name: str) -> bool:
        src = r.sources.get(name)
        return name in named or src is not None and (
            (src.kind is not None and src.kind.name == "labels") or
            any(getattr(src, f) not in (None, []) for f in LABEL_ATTRIBUTES))

    found = [(name, "source of labels") for name, _ in names if holds_labels(name)]
    return found or names


def _metrics(a: Analysis | None) -> list[str]:
    """Return the metrics the spec declares or names (first, in order), then the catalogue's."""
    from dsspec.compiler.lint.catalogue import catalogue
    from dsspec.integrations.lsp.analysis import align, walk

    named: dict[str, None] = dict.fromkeys(d.name for d in a.declared("metric")) if a is not None else {}
    for doc in (a.documents.values() if a is not None else ()):
        for st, spec, _ in walk(doc):
            for arg, value in (align(spec, st.values) if spec is not None else ()):
                if arg.field in METRIC_FIELDS:
                    for item in (value.items if value.kind == "list" else [value]):
                        if item.kind == "ident":
                            named.setdefault(item.text)
    return [*named, *(m for m in sorted(catalogue("metrics")) if m not in named)]


def candidates(a: Analysis | None, where: Place) -> list[tuple[str, str, str]]:
    """Return ``(label, kind, detail)`` completions for a place: kind is statement, word, name or metric."""
    block = block_at(where.path)
    if block is None:
        return []
    if not where.words:
        out = [(s.name, "statement", s.doc or s.example) for s in block.stmts
               if s.multi or s.name not in where.siblings]
        if block.open_measures:
            out += [(m, "metric", "a measured result") for m in _metrics(a)]
        return out
    stmt = block.by_name.get(where.words[0])
    if stmt is None:
        return []
    index = len(where.words) - 1
    out: list[tuple[str, str, str]] = []
    seen = set()
    for sig in stmt.sigs:
        if index >= len(sig):
            continue
        arg = sig[index]
        for item in _for_arg(a, arg, where.in_list):
            if item[0] not in seen and item[0] not in where.listed:   # `reads [a, ` does not offer `a` again
                seen.add(item[0])
                out.append(item)
    return out


def _for_arg(a: Analysis | None, arg: schema.Arg, in_list: bool) -> list[tuple[str, str, str]]:
    if arg.kind in ("enum", "kw", "enum_list"):
        return [(c, "word", f"{arg.field or 'keyword'}") for c in arg.choices]
    if arg.field == "labels":
        return [(name, "name", kind) for name, kind in _label_sources(a)]
    if arg.field in REF_KINDS:
        return [(name, "name", kind) for name, kind in _names(a, REF_KINDS[arg.field])]
    if arg.field in METRIC_FIELDS:
        return [(m, "metric", "metric") for m in _metrics(a)]
    if arg.field in FAMILY_FIELDS:
        from dsspec.compiler.lint.catalogue import catalogue

        return [(f, "word", "model family") for f in sorted(catalogue("families"))]
    return []


def snippet(block: schema.Block | None, name: str) -> str | None:
    """Return the snippet that writes statement ``name`` with its block (``source ${1:name} {...}``), if it has one."""
    stmt = block.by_name.get(name) if block is not None else None
    if stmt is None or not stmt.body_required:
        return None
    first = next((sig[0] for sig in stmt.sigs if sig), None)
    header = f" ${{1:{first.field}}}" if first is not None and first.kind == "ident" else ""
    return f"{name}{header} {{\n\t$0\n}}"


def suppression_candidates(prefix: str) -> list[tuple[str, str, str]] | None:
    """Return rule names and codes when the cursor is inside ``# dsspec: ignore[...]``, else ``None``."""
    m = re.search(r"#\s*dsspec:\s*ignore\[([^\]]*)$", prefix)
    if not m:
        return None
    from dsspec.compiler.lint.registry import all_rules

    return [(r.name, "rule", f"{r.code}: {r.summary()}") for r in all_rules()]
