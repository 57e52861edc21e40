"""``dsspec mcp``: dsspec's judgement as tools for coding assistants (Model Context Protocol, stdio).

Tools: ``check`` (a spec file or a text), ``explain_rule``, ``list_rules``,
``build_view`` (DOT, SVG or the design documents) and ``scaffold`` (the
``init`` template). Each returns plain data; a user's mistake (a missing file,
an unknown rule or view) is a tool error (``isError``) that says so, never a
crash of the server.

A model drives these tools, so paths are confined: a ``path`` must name a
``.dsspec`` file inside the folder the server was started in (``ROOT``);
anything else is refused before it is opened, so no tool reads, or echoes
in a message, a file that is not a spec there (``/etc/passwd``, ``~/.ssh``,
``/dev/zero``). Findings in an included file outside it keep their code and
position but not their message, which may quote that file.
"""

from __future__ import annotations

from pathlib import Path

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from dsspec import __version__
from dsspec.compiler.outputs import DEFAULT_VIEW, VIEWS

server = MCPServer(
    "dsspec", version=__version__,
    instructions="dsspec checks .dsspec design specs for data-science and ML products against the rules a "
                 "senior data scientist applies in review. Write or edit a spec, call `check` until it has "
                 "no errors, use `explain_rule` to understand a finding, `scaffold` to start a new design.")


ROOT = Path.cwd().resolve()
"""The folder the server was started in: the only place its tools read specs from."""


def _inside(path: str) -> Path | None:
    """Return ``path`` resolved when it is a ``.dsspec`` name inside ``ROOT``, else ``None``."""
    try:
        real = (ROOT / path).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return real if real.suffix == ".dsspec" and real.is_relative_to(ROOT) else None


def _spec_path(path: str, must_exist: bool) -> None:
    """Refuse (``ToolError``) a path outside ``ROOT``, not a ``.dsspec`` file, or (``must_exist``) not a file."""
    shown = path if len(path) <= 200 else path[:197] + "..."
    real = _inside(path)
    if real is None:
        raise ToolError(f"refused `{shown}`: this server reads only .dsspec files inside `{ROOT}`; "
                        "pass the spec's `text` instead")
    if must_exist:
        try:
            if not real.exists():
                raise ToolError(f"no such file: `{shown}`")
            if not real.is_file():
                raise ToolError(f"`{shown}` is not a regular file")
        except OSError as err:
            raise ToolError(f"cannot read `{shown}`: {err.strerror or err}") from None


def _findings(result) -> dict:
    from dsspec.base.diagnostics import Diagnostic
    from dsspec.compiler.report.common import counts
    from dsspec.compiler.report.json import finding
    from dsspec.compiler.report.text import render

    diags = [d if _inside(d.path) else Diagnostic(d.code, d.rule, d.severity, f"a finding in `{d.path}`, which is "
                                                  "outside this server's folder (its message is not shown)",
                                                  d.path, d.span) for d in result.diagnostics]
    texts = {result.path: result.text} if result.text is not None and _inside(result.path) else {}
    return {"findings": [finding(d) for d in diags], "summary": counts(diags), "report": render(diags, texts)}


@server.tool()
def check(path: str | None = None, text: str | None = None) -> dict:
    """Check a .dsspec spec against dsspec's syntax, schema, reference and design rules.

    Give either `path` (a spec file; its includes are followed and its
    project configuration applies) or `text` (the spec itself; pass `path` as
    well to name it and resolve its includes). Returns every finding with its
    code, rule, severity, message, help and line/column, a summary by
    severity, and the human-readable report.
    """
    from dsspec.compiler.outputs import compile_spec

    if text is None and path is None:
        raise ToolError("give `path` (a spec file) or `text` (a spec's text)")
    if path is not None:
        _spec_path(path, must_exist=text is None)
    return _findings(compile_spec(path, text))


@server.tool()
def explain_rule(rule: str) -> str:
    """Return a rule's full documentation (what it flags, why it matters, an example, what to write instead).

    `rule` is a code such as `DS401` or a name such as `baseline-missing`.
    """
    from dsspec.compiler.lint.docs import explain
    from dsspec.compiler.lint.registry import selector_names
    from dsspec.base.suggestions import suggest

    text = explain(rule)
    if text is not None:
        return text
    hint = suggest(rule, selector_names())
    raise ToolError(f"unknown rule `{rule[:60]}`" + (f"; did you mean `{hint}`?" if hint else "") + " (see `list_rules`)")


@server.tool()
def list_rules() -> list[dict]:
    """List every design rule and built-in check: code, name, severity, workflow stage and one-line summary."""
    from dsspec.compiler.lint.docs import catalogue

    return catalogue()


@server.tool(description=(
    "Build one artefact of a spec: a diagram view as `dot` or `svg`, or the design document as `md`. "
    "Give `path` or `text` as for `check`. `view` is one of: " + ", ".join(f"`{v}`" for v in VIEWS) +
    f" (default `{DEFAULT_VIEW}`). Elements a finding concerns are outlined in the diagram."))
def build_view(path: str | None = None, text: str | None = None, view: str = DEFAULT_VIEW,
               format: str = "dot") -> str:
    """Return the artefact, or a line starting ``error:`` that says why it cannot be built."""
    from dsspec.compiler.outputs import ViewError, compile_spec, documents, dot, svg

    if text is None and path is None:
        raise ToolError("give `text`, or `path` naming an existing spec file")
    if path is not None:
        _spec_path(path, must_exist=text is None)
    if format not in ("dot", "svg", "md"):
        raise ToolError(f"unknown format `{format[:40]}`; choose dot, svg or md")
    if view not in VIEWS:
        raise ToolError(f"unknown view `{view[:40]}`; choose from {', '.join(VIEWS)}")
    result = compile_spec(path, text)
    try:
        if format == "md":
            docs = documents(result, Path(path).stem if path else "design")
            if not docs:
                raise ToolError("the spec could not be compiled into a design document")
            return next(iter(docs.values()))
        return dot(result, view) if format == "dot" else svg(result, view)
    except ViewError as err:
        raise ToolError(str(err)) from None


@server.tool()
def scaffold(name: str) -> str:
    """Return a new design to fill in for product `name`: every section, each opened by the question it answers.

    Save it as `NAME.dsspec`, fill it in, and `check` it: the findings list
    what is still to decide.
    """
    import re

    from dsspec.review.scaffold import render

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ToolError(f"`{name[:60]}` is not a valid name: use letters, digits and `_`, starting with a letter")
    return render(name)


def main() -> None:
    """Serve over stdio until the client disconnects."""
    server.run("stdio")
