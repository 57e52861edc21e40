"""The review agenda: a design's open review questions for people, and the question catalogue as a page.

``agenda`` turns the open questions of ``dsspec.compiler.lint.questions`` into rows (one per
question and element) that ``dsspec questions`` prints as text, Markdown or JSON, that the audience
documents list under "Open questions" for their reader, and that the diagram counts on each element.
``catalogue_markdown`` renders docs/questions.md from the catalogue itself.
"""

from __future__ import annotations

from dsspec.compiler.emit.mdtext import code, md
from dsspec.compiler.lint import questions as q

ELEMENT_WORDS = {"product": "the product", "ecosystem": "the ecosystem", "operator": "the operator",
                 "label_source": "label source", "source": "source", "input": "input", "output": "output",
                 "model": "model", "training": "training of", "evaluation": "evaluation of",
                 "serving": "serving of", "monitoring": "monitoring of", "rollout": "rollout of"}
AUDIENCE_WORDS = {"pm": "product manager", "staff_ds": "staff data scientist", "engineer": "engineer"}
_ORDER = {k: i for i, k in enumerate(q.ELEMENTS)}


def element_label(kind: str, name: str) -> str:
    """Return how an element is named in the agenda: "label source `chargebacks`", "the operator"."""
    word = ELEMENT_WORDS[kind]
    return word if kind in ("product", "ecosystem", "operator") else f"{word} `{name}`"


def default_context():
    """Return the rules' context without project configuration (documents and diagrams are built without it)."""
    from dsspec.compiler.lint.config import Config
    from dsspec.compiler.lint.engine import context

    return context(Config())


def agenda(spec, ctx=None, settings: dict | None = None) -> list[dict]:
    """Return the open questions of a resolved design as rows, grouped by element in the design's order.

    ``ctx`` defaults to the rules' context without project configuration. Each row: ``id``, ``element``
    (kind), ``name``, ``line``, ``stage``, ``ask``, ``answer`` (an example), ``level``, ``hint`` (the
    prose quoted, or ``None``), ``audiences``, ``why``, ``sources``, ``reported_by``.
    """
    ctx = ctx or default_context()
    settings = settings if settings is not None else ctx.questions
    rows = [{"id": o.question.id, "element": o.kind, "name": o.name, "line": o.span.line, "stage": o.question.stage,
             "ask": o.question.ask, "answer": o.question.example, "level": o.level, "hint": o.hint,
             "audiences": list(o.question.audiences), "why": o.question.why, "sources": list(o.question.sources),
             "reported_by": o.question.reported_by}
            for o in q.open_questions(spec, ctx, settings)]
    return sorted(rows, key=lambda r: (r["line"], _ORDER[r["element"]], r["name"]))


def grouped(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Return the rows grouped by element, in the order of the design."""
    out: dict[tuple, list[dict]] = {}
    for r in rows:
        out.setdefault((r["line"], r["element"], r["name"]), []).append(r)
    return [(element_label(k[1], k[2]) + f" (line {k[0]})", v) for k, v in out.items()]


def text(rows: list[dict], path: str, status: str, audience: str | None = None) -> str:
    """Return the agenda as plain text: a summary line, then each element's questions."""
    if audience:
        rows = [r for r in rows if audience in r["audiences"]]
    who = f" for {audience}" if audience else ""
    if not rows:
        return f"{path}: status {status}: no open review question{who}\n"
    counts = ", ".join(f"{a} {sum(1 for r in rows if a in r['audiences'])}" for a in q.AUDIENCES)
    lines = [f"{path}: status {status}: {len(rows)} open review question{'s' if len(rows) > 1 else ''}{who} "
             f"({counts})", ""]
    for label, group in grouped(rows):
        lines.append(label)
        for r in group:
            lines.append(f"  [{r['level']}] {r['id']} ({', '.join(r['audiences'])}): {r['ask']}")
            if r["hint"]:
                lines.append(f"      the design says: \"{r['hint']}\"")
            lines.append(f"      answer, e.g.: {r['answer']}")
        lines.append("")
    return "\n".join(lines)


def markdown(rows: list[dict], path: str, status: str, audience: str | None = None) -> str:
    """Return the agenda as Markdown: the review meeting's agenda, one heading per audience."""
    out = [f"# Review agenda: {code(path)}", "", f"Status: **{md(status)}**. "
           f"{len(rows)} open review question{'s' if len(rows) != 1 else ''}. "
           "Each is answered by a statement in the spec, or by `none \"why\"`.", ""]
    for a in ([audience] if audience else q.AUDIENCES):
        mine = [r for r in rows if a in r["audiences"]]
        out += [f"## For the {AUDIENCE_WORDS.get(a, a)} ({code(a)})", ""]
        out += section_lines(mine) if mine else ["No open question.", ""]
    return "\n".join(out).rstrip() + "\n"


def _md_label(row: dict) -> str:
    word = ELEMENT_WORDS[row["element"]]
    name = "" if row["element"] in ("product", "ecosystem", "operator") else f" {code(row['name'])}"
    return f"**{word}**{name} (line {row['line']})"


def section_lines(rows: list[dict]) -> list[str]:
    """Return the Markdown lines listing ``rows`` by element (used by the agenda and the documents)."""
    lines: list[str] = []
    for _, group in grouped(rows):
        lines.append(f"- {_md_label(group[0])}")
        for r in group:
            said = f" The design says: \u201c{md(r['hint'])}\u201d." if r["hint"] else ""
            lines.append(f"  - {md(r['ask'])} ({code(r['id'])}, {r['level']}).{said} "
                         f"Answer, e.g. {code(r['answer'])}.")
    return lines + [""]


def document_section(rows: list[dict], audience: str | None) -> list[str]:
    """Return the "Open questions" section of a design document for ``audience`` (all, for ``None``)."""
    mine = [r for r in rows if audience is None or audience in r["audiences"]]
    if not mine:
        return []
    return ["## Open questions", "",
            f"The design leaves {len(mine)} review question{'s' if len(mine) > 1 else ''} open"
            + (f" that the {AUDIENCE_WORDS.get(audience, audience)} needs answered" if audience else "")
            + " (`dsspec questions` lists them all):", ""] + section_lines(mine)


def catalogue_markdown() -> str:
    """Return docs/questions.md: the catalogue, by stage, with what answers each question and why."""
    out = ["# Review questions", "",
           "<!-- Generated by `dsspec questions --catalogue --format markdown`; edit "
           "`src/dsspec/compiler/lint/data/questions.toml`, not this file. -->", "",
           "A senior reviewer does not wait to be told about selection bias: they ask. dsspec keeps the "
           "questions of a design review as data (`src/dsspec/compiler/lint/data/questions.toml`), each "
           "attached to an element of the design, answered by a statement, and sourced. A question is "
           "*open* when it applies to an element and no statement answers it; `none \"why\"` is an answer "
           "(`selected_by none \"every application receives an outcome\"`).", "",
           "## How open questions are reported", "",
           "The design's `status` sets the weight of an open question (`[tool.dsspec.questions]` changes it):", "",
           "| status | an open question is | where it shows |", "| --- | --- | --- |",
           "| `draft`, or no `status` | info | `dsspec questions`, the documents' *Open questions*, the diagram's `?` badges |",
           "| `review` | warning | also `dsspec check`, as `question-open` (DS160), one finding per element |",
           "| `approved` | error | the same, failing `check` |", "",
           "A design with no `status` is treated as a draft, so designs written before the questions existed "
           "get no new warning. Where the design's prose already says what an answer would (\"labels for "
           "funded plans only\", \"trained on one hospital\"), the question is raised one level (a draft's "
           "becomes a warning) and its message quotes the prose; prose alone never makes an error. Questions "
           "marked *reported by* a rule are asked by that rule, and listed here for the agenda.", "",
           "```toml", "[tool.dsspec.questions]", 'draft = "info"        # off | info | warning | error',
           'review = "warning"', 'approved = "error"', 'status = "review"     # judge every design as under review',
           'ignore = ["cold-start"]  # questions this project does not ask', "```", "",
           "Commands: `dsspec questions SPEC` prints the agenda of a review meeting (`--format markdown|json`, "
           "`--audience pm`); `dsspec questions --catalogue` lists the questions; `dsspec init` writes every "
           "answer as a placeholder; the language server offers each answer as a quick fix.", "",
           "## Adding a question", "",
           "Add a `[[question]]` table to the catalogue: `id`, `element`, `stage`, `ask`, `answers` (statements "
           "of that element), `example`, `why`, `sources`, `audiences`, and optionally `when` (a predicate of "
           "`dsspec.compiler.lint.questions.WHEN`), `answered_in`, `reported_by`, `hints`, `hint_applies`. The "
           "format is documented at the top of the file; `tests/test_questions.py` checks every row.", ""]
    for stage in ("ecosystem", "operator", "system design", "start simple", "metrics", "operations", "audience"):
        rows = [x for x in q.questions() if x.stage == stage]
        if not rows:
            continue
        out += [f"## {stage[0].upper()}{stage[1:]}", ""]
        for x in rows:
            element = ELEMENT_WORDS[x.element].replace(" of", "")
            out += [f"### `{x.id}`", "", f"**{x.ask}**", "",
                    f"- Asked of: {element}" + (f" ({x.when.replace('_', ' ')})" if x.when != "always" else ""),
                    f"- Answered by: {', '.join(code(a) for a in x.answers)}"
                    + (f" in {'any source' if x.answered_in == 'source' else 'the design'}"
                       if x.answered_in in ("source", "design") else ""),
                    f"- Example: {code(x.example)}",
                    f"- For: {', '.join(x.audiences)}",
                    f"- Why: {x.why}",
                    f"- Sources: {'; '.join(x.sources)}"]
            if x.reported_by:
                out.append(f"- Reported by the rule `{x.reported_by}`")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
