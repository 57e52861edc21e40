"""``<stem>.json``: the resolved model with its findings, and its JSON Schema.

The document is a ``BuildOutput`` (pydantic), so ``dsspec schema`` prints a
schema the output is guaranteed to follow, and a test validates one against
the other.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from dsspec.base.diagnostics import Diagnostic
from dsspec.base.paths import portable
from dsspec.compiler.model import nodes
from dsspec.compiler.model.typed import Spec, typed
from dsspec.compiler.model.resolve import Resolved

VERSION = 1


class Location(BaseModel):
    path: str
    line: int
    column: int
    end_line: int
    end_column: int


class RelatedLocation(Location):
    message: str


class Finding(Location):
    code: str
    rule: str
    severity: str
    message: str
    help: str | None = None
    related: list[RelatedLocation] = []


class BuildOutput(BaseModel):
    """What ``dsspec build`` writes to ``<stem>.json``."""

    model_config = ConfigDict(title="dsspec build output")

    version: int
    spec: Spec
    included: list[Spec] = []
    findings: list[Finding] = []


def _loc(path, span) -> dict:
    return {"path": portable(path), "line": span.line, "column": span.column, "end_line": span.end_line,
            "end_column": span.end_column}


def _portable(spec: nodes.Spec) -> Spec:
    """Return the pydantic form of ``spec``, naming its file as every built file does (``paths.portable``)."""
    return typed(spec.model_copy(update={"path": portable(spec.path)}))


def render(spec: Resolved, findings: list[Diagnostic]) -> str:
    """Return the JSON document of a built spec (fields in declaration order, stable across runs)."""
    doc = BuildOutput.model_construct(
        version=VERSION, spec=_portable(spec.spec), included=[_portable(s) for s in spec.included],
        findings=[Finding.model_construct(
            **_loc(d.path, d.span), code=d.code, rule=d.rule, severity=d.severity.value, message=d.message,
            help=d.help, related=[RelatedLocation.model_construct(**_loc(r.path, r.span), message=r.message)
                                  for r in d.related])
            for d in findings])
    return doc.model_dump_json(indent=2, by_alias=True) + "\n"


def schema() -> str:
    """Return the JSON Schema of ``BuildOutput``."""
    return json.dumps(BuildOutput.model_json_schema(by_alias=True), indent=2, sort_keys=True) + "\n"
