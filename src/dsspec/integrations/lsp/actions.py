"""Code actions as plain edits: apply a did-you-mean, suppress a finding, add a missing section, answer a
review question.

Each returns ``(title, edits, diagnostics it resolves)`` with edits as
``(start_offset, end_offset, new_text)`` in code points, so the protocol layer
only converts positions.
"""

from __future__ import annotations

import functools
import re

from dsspec.base.codes import BY_NAME
from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.syntax.cst import Document

Edit = tuple[int, int, str]
_SUGGESTION = re.compile(r"did you mean `([^`]+)`\?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def certain_fix(d: Diagnostic) -> tuple[str, list[Edit]] | None:
    """Return ``(title, edits)`` of the finding's certain fix (``Diagnostic.fix``, which ``check --fix`` applies), or ``None``."""
    if d.fix is None:
        return None
    title = d.fix.title[:1].upper() + d.fix.title[1:]
    return title, [(e.span.offset, e.span.end_offset, e.text) for e in d.fix.edits]


def fix_all(diags: list[Diagnostic], path: str, text: str) -> Edit | None:
    """Return one edit applying every certain fix of the file at ``path``, as ``check --fix`` does in one pass, or ``None``.

    Fixes that overlap an earlier one wait, as on the command line; the edit
    covers only the text that changes.
    """
    from dsspec.compiler.fixes import apply

    fixes = [d.fix for d in diags if d.path == path and d.fix is not None]
    new, applied = apply(text, fixes)
    if not applied or new == text:
        return None
    start = 0
    while start < min(len(text), len(new)) and text[start] == new[start]:
        start += 1
    end_old, end_new = len(text), len(new)
    while end_old > start and end_new > start and text[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return start, end_old, new[start:end_new]


def suggestion(d: Diagnostic, text: str) -> Edit | None:
    """Return the edit that applies the diagnostic's did-you-mean, or ``None`` when it has none.

    The suggestion is read from the message or the help, where the stages put
    it today; it replaces the flagged span only when that span is one name, so
    a suggestion about part of a value (``/mnth`` in ``$6k/mnth``) is never
    applied to the whole. This is the one function to point at a structured fix
    once diagnostics carry one.
    """
    for source in (d.message, d.help or ""):
        m = _SUGGESTION.search(source)
        if m and _WORD.fullmatch(m.group(1)):
            old = text[d.span.offset:d.span.end_offset]
            if _WORD.fullmatch(old) and old != m.group(1):
                return d.span.offset, d.span.end_offset, m.group(1)
    return None


def suppression(d: Diagnostic, text: str) -> Edit | None:
    """Return the edit inserting ``# dsspec: ignore[rule] <reason>`` above a design finding.

    Built-in checks (syntax, schema, references) cannot be suppressed, so
    they get none. The reason is a placeholder to replace: a suppression
    without one would not suppress.
    """
    if d.rule in BY_NAME:
        return None
    start = text.rfind("\n", 0, d.span.offset) + 1
    indent = re.match(r"[ \t]*", text[start:]).group()
    return start, start, f"{indent}# dsspec: ignore[{d.rule}] TODO: say why this is acceptable\n"


_IGNORE = re.compile(r"#\s*dsspec:\s*ignore\[([^\]]*)\]")


def unused_suppression(d: Diagnostic, text: str) -> Edit | None:
    """Return the edit removing what an ``unused-suppression`` finding flags.

    The name that silences nothing leaves the list; a comment left naming no
    rule goes, and its line with it when the comment stood alone there.
    """
    if d.rule != "unused-suppression":
        return None
    comment = text[d.span.offset:d.span.end_offset]
    m = _IGNORE.search(comment)
    named = re.search(r"`([^`]+)`", d.message)
    if m is None or named is None:
        return None
    names = [x.strip() for x in m.group(1).split(",") if x.strip()]
    if named.group(1) in names and len(names) > 1:
        start, end = d.span.offset + m.start(1), d.span.offset + m.end(1)
        return start, end, ", ".join(x for x in names if x != named.group(1))
    line_start = text.rfind("\n", 0, d.span.offset) + 1
    line_end = text.find("\n", d.span.end_offset)
    line_end = len(text) if line_end < 0 else line_end + 1
    if not text[line_start:d.span.offset].strip():
        return line_start, line_end, ""
    code_end = len(text[:d.span.offset].rstrip(" \t"))
    return code_end, d.span.end_offset, ""


@functools.cache
def skeleton() -> tuple[tuple[str, str], ...]:
    """Return ``init``'s template cut into sections: ``(key, text with its question comments)``.

    The key is the section's name, with the declared name for audiences
    (``audience pm``), since a design has several of them.
    """
    from dsspec.review.scaffold import render
    from dsspec.compiler.syntax.parser import parse

    text = render("product_name")
    doc, _ = parse("init.dsspec", text)
    out = []
    previous_end = 0
    for st in doc.statements:
        start = text.rfind("\n\n", previous_end, st.span.offset)
        start = previous_end if start < 0 else start + 2
        key = st.name if st.name != "audience" else f"audience {st.values[0].text}"
        out.append((key, text[start:st.span.end_offset].strip("\n") + "\n"))
        previous_end = st.span.end_offset
    return tuple(out)


def present(doc: Document) -> set[str]:
    """Return the keys of ``skeleton`` the document already has."""
    keys = set()
    for st in doc.statements:
        keys.add(st.name)
        if st.name == "audience" and st.values:
            keys.add(f"audience {st.values[0].text}")
    return keys


def missing_sections(doc: Document) -> list[tuple[str, Edit]]:
    """Return ``(key, edit appending it)`` for every skeleton section the document lacks."""
    have = present(doc)
    text = doc.text
    tail = "" if text.endswith("\n\n") or not text else ("\n" if text.endswith("\n") else "\n\n")
    out = []
    for key, section in skeleton():
        if key not in have and key not in ("product", "include"):
            out.append((key, (len(text), len(text), tail + section)))
    return out


def concerns(d: Diagnostic, key: str) -> bool:
    """Return whether a finding is about the section ``key`` being absent (``monitoring-missing``, ``audience pm``)."""
    name = key.split()[-1]
    return d.rule.startswith(key.split()[0]) or f"`{name}`" in d.message


_QUESTION_ID = re.compile(r"`([a-z]+(?:-[a-z]+)*)`")


def answers(d: Diagnostic, text: str) -> list[tuple[str, Edit]]:
    """Return ``(question id, edit)`` inserting the example answer of each review question a ``question-open``
    finding names, as the first statement of the block it belongs to, marked for the author to replace.

    A question answered in a source (``protected-attributes``, asked of the product) goes into the file's
    first ``source`` block. A header with no block on its own lines gets no edit.
    """
    if d.rule != "question-open":
        return []
    from dsspec.compiler.lint.questions import by_id

    catalogue = by_id()
    ids = [m for m in dict.fromkeys(_QUESTION_ID.findall(d.message)) if m in catalogue]
    out = []
    for qid in ids:
        q = catalogue[qid]
        at = d.span.offset
        if q.answered_in == "source":
            m = re.search(r"^source\s+\w+\s*\{[ \t]*(#.*)?$", text, re.M)
            if m is None:
                continue
            at = m.start()
        line_end = text.find("\n", at)
        header = text[text.rfind("\n", 0, at) + 1: line_end if line_end >= 0 else len(text)]
        if line_end < 0 or not re.search(r"\{[ \t]*(#.*)?$", header):
            continue
        following = text[line_end + 1: text.find("\n", line_end + 1) if text.find("\n", line_end + 1) >= 0 else None]
        indent = re.match(r"[ \t]*", following).group() if following.strip() and following.strip() != "}" else ""
        indent = indent or re.match(r"[ \t]*", header).group() + "  "
        out.append((qid, (line_end + 1, line_end + 1,
                          f"{indent}{q.example}  # TODO: this design's answer to `{qid}`\n")))
    return out


def format_range(path: str, text: str, start: int, end: int) -> Edit | None:
    """Return the edit laying out, as ``dsspec format`` would, the top-level statements between ``start`` and ``end``.

    The whole file is formatted and the statements the range touches are
    taken from it (the formatter keeps their order and count): the rest of the
    file is left exactly as it is. ``None`` when the file does not parse or
    cannot be formatted (never reformat what would lose what was typed).
    """
    from dsspec.compiler.syntax.format import format_document
    from dsspec.compiler.syntax.parser import parse

    doc, errors = parse(path, text)
    if errors or not doc.statements:
        return None
    try:
        new = format_document(doc)
    except Exception:  # a suppression no layout keeps (coverage.Uncovered): leave the text as it is
        return None
    formatted, errors = parse(path, new)
    if errors or len(formatted.statements) != len(doc.statements):
        return None
    touched = [i for i, st in enumerate(doc.statements) if st.span.offset <= end and start <= st.span.end_offset]
    if not touched:
        return None
    first, last = touched[0], touched[-1]
    old_start, old_end = doc.statements[first].span.offset, doc.statements[last].span.end_offset
    new_start, new_end = formatted.statements[first].span.offset, formatted.statements[last].span.end_offset
    return old_start, old_end, new[new_start:new_end]
