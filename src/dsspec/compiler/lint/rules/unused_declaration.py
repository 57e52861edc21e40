from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule

HELP = {
    "source": "remove it, or read it from an `input`, `labels`, `training` or `evaluation`",
    "input": "remove it, or use it: in a model's `reads`, or its fields in an evaluation's `slices` or a "
             "monitoring `drift`",
    "output": "remove it, or name it in the `writes` of the model that produces it",
    "user": "name it in an output's `to` (`to USER through REVIEWER` when a person checks the output first) or "
            "an evaluation's `review ... by`; if it receives documents or signs off but consumes no output, "
            "declare it `stakeholder NAME \"...\"` instead",
}


class UnusedDeclaration(Rule):
    """A source, input, output or ecosystem user is declared but nothing refers to it.

    Stage: system design

    ## What it does
    Flags each `source`, `input`, `output` and ecosystem `user` declared in
    the file that no statement refers to: no input reads the source, no
    model reads the input or writes the output, no output goes to the user
    (`to USER`, or reaches them through a review step, `to USER through
    REVIEWER`, which uses both) and no review is done by them. An input whose fields are used by an
    evaluation's `slices` or `split group`, or by a monitoring `drift`, is
    used (a protected attribute kept for fairness slices is). Stakeholders
    (`stakeholder NAME "..."`) receive documents, not outputs, and are never
    unused; nor is a user that an `audience` of the same name writes to.

    ## Why it matters
    A declaration nothing uses is either dead weight or, more often, a
    missing connection: a user nobody delivers an output to, a source that
    was meant to feed the model. Either way the diagram and the hand-off
    show something the system does not do.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user analyst "Reviews flagged payments" }
    output score { type score }
    model m { task regression; writes score }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    ecosystem { user analyst "Reviews flagged payments" }
    output score { type score; to analyst }
    model m { task regression; writes score }
    ```
    """

    code = "DS304"
    name = "unused-declaration"
    severity = Severity.WARNING
    stage = "system design"

    def check(self, spec, ctx):
        eco = spec.spec.ecosystem
        found = [("user", u, u.span) for u in (eco.users if eco else ())]
        for kind, nodes in (("source", spec.spec.sources), ("input", spec.spec.inputs),
                            ("output", spec.spec.outputs)):
            found += [(kind, node, node.header) for node in nodes]
        tables = {"user": spec.users, "source": spec.sources, "input": spec.inputs, "output": spec.outputs}
        for kind, node, span in sorted(found, key=lambda f: f[2].offset):
            name = node.name.name
            # a second declaration of a name is duplicate-declaration's finding, and a name an
            # unknown reference was probably meant for is unknown-reference's: one finding per mistake
            if tables[kind].get(name) is not node or name in spec.near_misses:
                continue
            if kind == "input" and any(spec.used("field", f.name) for f in node.fields):
                continue
            if kind == "user" and name in {a.name.name for a in spec.spec.audiences}:
                continue  # it receives its own document: a stakeholder in all but name
            if not spec.used(kind, name):
                yield Hit(span, f"{kind} `{name}` is declared but never used", _help(spec, kind, node))


def _help(spec, kind: str, node) -> str:
    """Return the advice for an unused declaration; never to feed a protected attribute to a model."""
    if kind == "input":
        protected = {p.name for ref in node.from_ if ref.name in spec.sources
                     for p in spec.sources[ref.name].protected}
        held = [f.name for f in node.fields if f.name in protected]
        if held:
            return (f"keep it out of every model's `reads`: {', '.join(f'`{x}`' for x in held)} "
                    f"{'is' if len(held) == 1 else 'are'} protected; cut the evaluation by them "
                    f"(`slices [{', '.join(held)}]`), or remove it")
    return HELP[kind]
