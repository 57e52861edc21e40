"""GitHub Actions workflow commands: one annotation per finding, plus a step summary.

GitHub shows at most 10 annotations of each level per step, so when
``GITHUB_STEP_SUMMARY`` names a file, a Markdown table of every finding is
appended to it as well.
"""

from __future__ import annotations

import os

from dsspec.base.diagnostics import Diagnostic, Severity
from dsspec.compiler.report.common import counts, md_cell, md_message, plural, safe

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF as GitHub decodes them, every other
    control and non-character as ``safe`` shows it (so ESC, BEL or NUL never reach the log raw)."""
    return safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a workflow command property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diags: list[Diagnostic]) -> str:
    """Return one ``::level file=...,line=...::message`` line per finding."""
    out = []
    for d in diags:
        s = d.span
        props = ",".join([
            f"file={escape_property(d.path)}", f"line={s.line}", f"col={s.column}",
            f"endLine={s.end_line}", f"endColumn={s.end_column}", f"title={escape_property(f'{d.code} {d.rule}')}",
        ])
        message = d.message + (f" (help: {d.help})" if d.help else "")
        out.append(f"::{LEVEL[d.severity]} {props}::{escape_data(message)}\n")
    return "".join(out)


def summary_markdown(diags: list[Diagnostic], files: int) -> str:
    """Return the Markdown step summary: totals and a table of every finding."""
    c = counts(diags)
    lines = [f"### dsspec: {plural(c['errors'], 'error')}, {plural(c['warnings'], 'warning')}, "
             f"{plural(c['infos'], 'info')} in {plural(files, 'file')}", ""]
    if diags:
        lines += ["| severity | location | rule | message |", "| --- | --- | --- | --- |"]
        for d in diags:
            lines.append(f"| {d.severity.value} | {md_cell(d.path)}:{d.span.line}:{d.span.column} | "
                         f"{d.code} {md_cell(d.rule)} | {md_message(d.message, table=True)} |")
    return "\n".join(lines) + "\n\n"


def write_step_summary(diags: list[Diagnostic], files: int) -> None:
    """Append the step summary to ``$GITHUB_STEP_SUMMARY`` when it is set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(summary_markdown(diags, files))
        except OSError as err:
            import sys

            print(f"dsspec: warning: cannot append the step summary to `{target}`: {err.strerror or err}",
                  file=sys.stderr)
