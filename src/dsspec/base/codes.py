"""Codes of the built-in checks: input, syntax, schema and references.

These are not design rules (those live in ``dsspec.compiler.lint``): they come from the
stages themselves, cannot be switched off or suppressed, and are always
errors. They share the rule namespace so that one report, one SARIF file and
one ``dsspec rules`` listing hold everything.
"""

from __future__ import annotations

from dsspec.base.record import named

from dsspec.base.diagnostics import Diagnostic, Related, Severity
from dsspec.base.span import Span

INFO_URI = "https://github.com/dsspec/dsspec"
"""The project's home; rule documentation links (SARIF ``helpUri``, ``dsspec explain``) start here."""


@named
class CoreCheck:
    """One built-in check: its code, name, stage, one-line summary, the detail ``dsspec explain`` prints, and
    its severity (an error)."""

    code: str
    name: str
    stage: str
    summary: str
    detail: str
    severity: Severity = Severity.ERROR


CORE_CHECKS: tuple[CoreCheck, ...] = (
    CoreCheck("DS001", "syntax-error", "syntax", "the text is not a well-formed .dsspec file",
              "The grammar rejects the text: an unterminated string, an unclosed `{` or `[`, "
              "a character that starts no value. The message says what was expected."),
    CoreCheck("DS002", "encoding-error", "input", "the file is not valid UTF-8",
              "Specs are UTF-8 text (a byte-order mark and CRLF line ends are accepted). "
              "Re-save the file as UTF-8."),
    CoreCheck("DS003", "input-too-large", "input", "the file or one of its lines exceeds dsspec's size limits",
              "A spec is a design document, not data: files over 2 MiB and lines over 10,000 "
              "characters are refused so a stray data dump cannot stall a review or CI."),
    CoreCheck("DS005", "read-error", "input", "the file exists but cannot be read",
              "The operating system refused to read the file (permissions, a device, a broken link)."),
    CoreCheck("DS004", "nesting-too-deep", "syntax", "blocks are nested deeper than any design needs",
              "The language needs at most four levels of `{ }`; more than 64 is refused "
              "before it can exhaust memory or the stack."),
    CoreCheck("DS010", "unknown-statement", "schema", "a statement that is not allowed where it stands",
              "Each section allows a fixed set of statements (see docs/language.md). A near miss "
              "gets a suggestion."),
    CoreCheck("DS011", "invalid-value", "schema", "a value of the wrong kind, or not one of the allowed words",
              "Every statement takes values of set kinds: a latency is a duration, a budget is "
              "money, a share is a percentage. The message lists what is allowed."),
    CoreCheck("DS012", "missing-value", "schema", "a statement or section lacks a value it needs",
              "A statement without its values, a section without its name, or a block without a "
              "statement it cannot do without."),
    CoreCheck("DS013", "duplicate-statement", "schema", "a statement that may appear once appears again",
              "Attributes such as `owner` or `latency` hold one value; a second one would silently "
              "win or lose. The first is kept."),
    CoreCheck("DS020", "unknown-reference", "references", "a name that refers to nothing declared",
              "Sources, inputs, outputs, users, models and fields are referred to by name; a "
              "misspelt name gets a suggestion."),
    CoreCheck("DS021", "duplicate-declaration", "references", "two declarations of the same kind share a name",
              "Names are the handles references use; two sources called `payments` make every "
              "reference ambiguous."),
    CoreCheck("DS023", "model-cycle", "references", "models read each other's outputs in a loop",
              "A model may read another model's output (`reads [query, candidates]`), which makes a "
              "pipeline; the pipeline must run one way. The finding stands at the `reads` that closes "
              "the loop."),
    CoreCheck("DS024", "library-file", "references", "a file without `product`: design rules not run",
              "A file with no `product` is a library of shared declarations: its syntax, schema and "
              "declarations are checked, its design is judged through the products that include it. "
              "Checked alone, and included by no checked product, it says so once.", Severity.INFO),
    CoreCheck("DS030", "invalid-config", "configuration", "a configuration key or value dsspec does not know",
              "`[tool.dsspec]` in pyproject.toml and dsspec.toml take the keys listed in "
              "docs/configuration.md; a misspelt key gets a suggestion."),
    CoreCheck("DS050", "invalid-rule", "configuration", "a custom rule the configuration cannot use",
              "A rule declared under `[rules.ID]` (or in a rule pack) lacks a key it needs, repeats an id, or has "
              "a `when` condition that does not compile, names a field the design model does not have, or is "
              "too costly to evaluate. The rule is left out; the others run. See docs/team-rules.md."),
    CoreCheck("DS051", "rule-error", "rules", "a custom or plugin rule failed on this design",
              "The condition of a custom rule raised an error on this design (a field that is empty here, a "
              "division by zero, a comparison of a number with a string), or a plugin rule raised an "
              "exception. That rule's findings are missing for this file; the other rules ran."),
    CoreCheck("DS052", "plugin-error", "configuration", "a rule plugin that cannot be loaded",
              "An entry point of the `dsspec.rules` group failed to import, or gave something that is not a "
              "well-formed rule (a code that is taken, a missing documentation section). Only that "
              "plugin's rules are left out."),
    CoreCheck("DS053", "extend-error", "configuration", "an `extend` that cannot be followed",
              "`extend` names configuration files (relative to the file that names them) or installed rule "
              "packs. A missing file, an unknown pack and a cycle of extends are refused; the rest of the "
              "configuration still applies."),
    CoreCheck("DS054", "invalid-acceptance", "suppression", "an accepted risk that lacks its owner, ticket, "
                                                            "expiry or reason",
              "`# dsspec: accept[rule] owner=NAME ticket=REF until=YYYY-MM-DD reason` records a risk the team "
              "accepts. Each part is required, and the date must be a real date; an acceptance that lacks one "
              "does not accept."),
    CoreCheck("DS055", "accepted-risk", "suppression", "a finding the team accepted, with its owner and expiry",
              "A finding accepted by `# dsspec: accept[...]` or a `[[accept]]` entry of the configuration is "
              "reported as this note instead, naming who accepted it, the ticket, the reason and until when. "
              "When the date has passed the original finding returns, with the acceptance as its history.",
              Severity.INFO),
    CoreCheck("DS901", "unused-suppression", "suppression", "a `# dsspec: ignore[...]` comment that silences nothing",
              "A suppression whose rule does not fire on its line or the next, or that names no known "
              "rule, is stale: remove it so it cannot hide a future finding.", Severity.WARNING),
    CoreCheck("DS902", "suppression-missing-reason", "suppression", "a suppression comment gives no reason",
              "`# dsspec: ignore[rule] reason`: the reason is required, so a reviewer knows why the "
              "finding was accepted. A suppression without one does not suppress."),
    CoreCheck("DS022", "include-error", "references", "an include that cannot be followed",
              "`include` takes a relative path to a file inside the project root (the nearest "
              "folder holding pyproject.toml, dsspec.toml or .git). A missing file, a path that "
              "leaves the root and an include cycle are errors."),
    CoreCheck("DS999", "internal-error", "internal", "dsspec failed on this input: a bug in dsspec, not in the spec",
              "An unexpected error inside dsspec stopped it on this file; the other files are still "
              "checked and the run exits 2. Please report it with the file (run with DSSPEC_DEBUG=1 "
              "for the traceback)."),
)

BY_NAME = {c.name: c for c in CORE_CHECKS}


def core(name: str, path: str, span: Span, message: str, *, help: str | None = None,
         related: tuple[Related, ...] = ()) -> Diagnostic:
    """Return a diagnostic of the built-in check ``name``, at its fixed severity."""
    check = BY_NAME[name]
    return Diagnostic(check.code, name, check.severity, message, path, span, help, related)


def internal_error(path: str, err: BaseException, doing: str, span: Span | None = None) -> Diagnostic:
    """Return the ``internal-error`` finding for an exception dsspec raised while ``doing`` on ``path``.

    With ``DSSPEC_DEBUG`` set, the traceback is printed to standard error too;
    with ``DSSPEC_RAISE_INTERNAL=1`` (the test suite sets it) ``err`` is raised
    again instead, so no test can pass over a bug the guard would hide.
    """
    import os
    import sys

    if os.environ.get("DSSPEC_RAISE_INTERNAL") == "1":
        raise err
    if os.environ.get("DSSPEC_DEBUG"):
        import traceback

        traceback.print_exception(err, file=sys.stderr)
    detail = str(err).splitlines()[0][:200] if str(err) else ""
    return core("internal-error", path, span or Span(1, 1, 1, 1, 0, 0),
                f"internal error while {doing}: {type(err).__name__}" + (f": {detail}" if detail else ""),
                help="this is a bug in dsspec; please report it with this file (DSSPEC_DEBUG=1 shows the traceback)")
