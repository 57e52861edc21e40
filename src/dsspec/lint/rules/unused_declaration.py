from __future__ import annotations

from dsspec.diagnostics import Severity
from dsspec.lint.base import Hit, Rule

HELP = {
    "source": "read it from an `input`, `labels`, `training` or `evaluation`, or remove it",
    "input": "add it to a model's `reads`, or remove it",
    "output": "name it in a model's `writes`, or remove it",
    "user": "name it in an output's `to` or an evaluation's `review ... by`, or remove it",
}


class UnusedDeclaration(Rule):
    """A source, input, output or ecosystem user is declared but nothing refers to it.

    Stage: system design

    ## What it does
    Flags each `source`, `input`, `output` and ecosystem `user` declared in
    the file that no statement refers to: no input reads the source, no
    model reads the input or writes the output, no output goes to the user
    and no review is done by them.

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
            if not spec.used(kind, name):
                yield Hit(span, f"{kind} `{name}` is declared but never used", HELP[kind])
