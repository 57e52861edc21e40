"""JUnit XML: one test case per finding, and a passing case per clean file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.report.common import safe


def render(diags: list[Diagnostic], files: list[str]) -> str:
    """Return the JUnit XML report."""
    suites = ET.Element("testsuites", name="dsspec")
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in diags:
        by_file.setdefault(d.path, []).append(d)
    for path, found in by_file.items():
        suite = ET.SubElement(suites, "testsuite", name=safe(path), tests=str(max(1, len(found))),
                              failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", classname=safe(path), name="dsspec check")
        for d in found:
            case = ET.SubElement(suite, "testcase", classname=safe(path),
                                 name=f"{d.code} {d.rule} at {d.span.line}:{d.span.column}")
            failure = ET.SubElement(case, "failure", message=safe(d.message), type=d.severity.value)
            failure.text = safe(f"{path}:{d.span.line}:{d.span.column}: {d.message}") + \
                (f"\nhelp: {safe(d.help)}" if d.help else "")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
