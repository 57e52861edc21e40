"""``dsspec mcp``: dsspec's judgement as tools for coding assistants (Model Context Protocol, stdio).

Tools: ``check`` (a spec file or a text), ``explain_rule``, ``list_rules``,
``build_view`` (DOT, SVG or the design documents) and ``scaffold`` (the
``init`` template). Each returns plain data; a user's mistake (a missing file,
an unknown rule or view) is an answer that says so, never a crash of the
server.
"""

from __future__ import annotations

from mcp.server import MCPServer

from dsspec import __version__
from dsspec.views import DEFAULT_VIEW, VIEWS

server = MCPServer(
    "dsspec", version=__version__,
    instructions="dsspec checks .dsspec design specs for data-science and ML products against the rules a "
                 "senior data scientist applies in review. Write or edit a spec, call `check` until it has "
                 "no errors, use `explain_rule` to understand a finding, `scaffold` to start a new design.")


def _findings(result) -> dict:
    from dsspec.report.common import counts
    from dsspec.report.json import finding
    from dsspec.report.text import render

    texts = {result.path: result.text} if result.text is not None else {}
    return {"findings": [finding(d) for d in result.diagnostics], "summary": counts(result.diagnostics),
            "report": render(result.diagnostics, texts)}


@server.tool()
def check(path: str | None = None, text: str | None = None) -> dict:
    """Check a .dsspec spec against dsspec's syntax, schema, reference and design rules.

    Give either `path` (a spec file; its includes are followed and its
    project configuration applies) or `text` (the spec itself; pass `path` as
    well to name it and resolve its includes). Returns every finding with its
    code, rule, severity, message, help and line/column, a summary by
    severity, and the human-readable report.
    """
    from pathlib import Path

    from dsspec.views import compile_spec

    if text is None and path is None:
        return {"error": "give `path` (a spec file) or `text` (a spec's text)"}
    if text is None and not Path(path).is_file():
        return {"error": f"no such file: `{path}`"}
    return _findings(compile_spec(path, text))


@server.tool()
def explain_rule(rule: str) -> str:
    """Return a rule's full documentation (what it flags, why it matters, an example, what to write instead).

    `rule` is a code such as `DS401` or a name such as `baseline-missing`.
    """
    from dsspec.lint.docs import explain
    from dsspec.lint.registry import selector_names
    from dsspec.model.build import suggest

    text = explain(rule)
    if text is not None:
        return text
    hint = suggest(rule, selector_names())
    return f"unknown rule `{rule}`" + (f"; did you mean `{hint}`?" if hint else "") + " (see `list_rules`)"


@server.tool()
def list_rules() -> list[dict]:
    """List every design rule and built-in check: code, name, severity, workflow stage and one-line summary."""
    from dsspec.commands.rules import catalogue

    return catalogue()


@server.tool(description=(
    "Build one artefact of a spec: a diagram view as `dot` or `svg`, or the design document as `md`. "
    "Give `path` or `text` as for `check`. `view` is one of: " + ", ".join(f"`{v}`" for v in VIEWS) +
    f" (default `{DEFAULT_VIEW}`). Elements a finding concerns are outlined in the diagram."))
def build_view(path: str | None = None, text: str | None = None, view: str = DEFAULT_VIEW,
               format: str = "dot") -> str:
    """Return the artefact, or a line starting ``error:`` that says why it cannot be built."""
    from pathlib import Path

    from dsspec.views import ViewError, compile_spec, documents, dot, svg

    if text is None and (path is None or not Path(path).is_file()):
        return "error: give `text`, or `path` naming an existing spec file"
    if format not in ("dot", "svg", "md"):
        return f"error: unknown format `{format}`; choose dot, svg or md"
    if view not in VIEWS:
        return f"error: unknown view `{view}`; choose from {', '.join(VIEWS)}"
    result = compile_spec(path, text)
    try:
        if format == "md":
            docs = documents(result, Path(path).stem if path else "design")
            if not docs:
                return "error: the spec could not be compiled into a design document"
            return next(iter(docs.values()))
        return dot(result, view) if format == "dot" else svg(result, view)
    except ViewError as err:
        return f"error: {err}"


@server.tool()
def scaffold(name: str) -> str:
    """Return a new design to fill in for product `name`: every section, each opened by the question it answers.

    Save it as `NAME.dsspec`, fill it in, and `check` it: the findings list
    what is still to decide.
    """
    import re

    from dsspec.commands.init import render

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return f"error: `{name}` is not a valid name: use letters, digits and `_`, starting with a letter"
    return render(name)


def main() -> None:
    """Serve over stdio until the client disconnects."""
    server.run("stdio")
