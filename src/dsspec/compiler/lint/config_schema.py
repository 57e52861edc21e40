"""JSON Schema of the configuration (``[tool.dsspec]`` / ``dsspec.toml``), for editors' TOML support.

Generated from the same tables ``dsspec.compiler.lint.config`` validates against
(keys, thresholds and their kinds, hardware figures, rule selectors), and
committed as ``docs/dsspec.schema.json`` (a test keeps it current). Taplo and
Even Better TOML pick it up with ``#:schema ./docs/dsspec.schema.json`` at the
top of a ``dsspec.toml``.
"""

from __future__ import annotations

import json

from dsspec.compiler.lint.config import _LITERAL, HARDWARE_KEYS, THRESHOLDS

EXAMPLE = {"duration": "1s", "number": "10B", "percent": "5%", "money": "$5k/month"}


def _selector() -> dict:
    from dsspec.base.codes import CORE_CHECKS
    from dsspec.compiler.lint.registry import builtin_rules

    names = sorted({r.name for r in builtin_rules()} | {c.name for c in CORE_CHECKS})
    return {"type": "string", "description": "a rule: code (DS204), code prefix (DS2), name, or ALL",
            "anyOf": [{"pattern": r"^DS\d{0,3}$"}, {"const": "ALL"}, {"enum": names},
                      {"pattern": r"^[A-Z]{2,8}\d{0,4}$", "description": "a custom or plugin rule's code or prefix (select them by code: names are "
                                     "checked against the built-in rules)"}]}


def _custom_rule() -> dict:
    from dsspec.compiler.lint.condition import KINDS
    from dsspec.compiler.lint.custom import KEYS, REQUIRED, STAGES

    text = {"type": "string"}
    props = {k: text for k in KEYS}
    props.update({
        "name": {"type": "string", "pattern": r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"},
        "severity": {"enum": ["error", "warning", "info"]}, "on": {"enum": list(KINDS)},
        "stage": {"enum": list(STAGES)}, "preview": {"type": "boolean"},
        "when": {"type": "string", "description": "a CEL condition over the design, true where the rule fires"},
        "references": {"type": "array", "items": {"type": "string", "pattern": "^[a-z-]+:.+$"}}})
    return {"type": "object", "additionalProperties": False, "required": list(REQUIRED), "properties": props}


def _acceptance() -> dict:
    text = {"type": "string", "minLength": 1}
    return {"type": "object", "additionalProperties": False,
            "required": ["rule", "file", "owner", "ticket", "until", "reason"],
            "properties": {"rule": {"anyOf": [text, {"type": "array", "items": text}]}, "file": text,
                           "owner": text, "ticket": text, "reason": text,
                           "until": {"description": "a TOML date (2027-03-31) or such a string"}}}


def schema() -> dict:
    """Return the JSON Schema (draft 2020-12) of a dsspec configuration table."""
    selectors = {"type": "array", "items": {"$ref": "#/$defs/selector"}}
    thresholds = {
        key: {"description": f"{meaning} (default {default})",
              "anyOf": ([{"type": "number", "minimum": 0}] if kind == "number" else [])
              + [{"type": "string", "pattern": _LITERAL[kind].pattern}]}
        for key, (default, kind, meaning) in THRESHOLDS.items()}
    pair = {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 2, "maxItems": 2}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/dsspec/dsspec/blob/main/docs/dsspec.schema.json",
        "title": "dsspec configuration ([tool.dsspec] in pyproject.toml, or dsspec.toml)",
        "type": "object", "additionalProperties": False,
        "$defs": {"selector": _selector()},
        "properties": {
            "extend": {"description": "configurations to read first, this file's settings over theirs: paths "
                                      "relative to this file, or `pkg:PACKAGE` for an installed rule pack",
                       "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "preview": {"type": "boolean", "description": "also run preview rules (as `--preview`)"},
            "rules": {"type": "object", "description": "custom rules by id (docs/team-rules.md)",
                      "propertyNames": {"pattern": r"^(?!DS)[A-Z]{2,8}\d{1,4}$"},
                      "additionalProperties": _custom_rule()},
            "accept": {"type": "array", "description": "the accepted-risk register", "items": _acceptance()},
            "select": {**selectors, "description": "rules to run (default: all)"},
            "ignore": {**selectors, "description": "rules to skip"},
            "exclude": {"type": "array", "items": {"type": "string"},
                        "description": "spec files to skip: gitignore-style globs relative to this file's folder"},
            "severity": {"type": "object", "description": "per-rule severity",
                         "additionalProperties": {"enum": ["error", "warning", "info"]}},
            "per-file-ignores": {"type": "object", "description": "globs -> rules to skip in those files",
                                 "additionalProperties": selectors},
            "thresholds": {"type": "object", "additionalProperties": False, "properties": thresholds},
            "families": {"type": "object", "description": "add or override model families of the catalogue",
                         "additionalProperties": {
                             "type": "object", "additionalProperties": False,
                             "properties": {"tier": {"enum": [0, 1, 2, 3, 4]}, "params": {"type": "number", "minimum": 0},
                                            "latency_ms": {"type": "object", "additionalProperties": False,
                                                           "minProperties": 1,
                                                           "properties": {"cpu": pair, "gpu": pair}},
                                            "context_window": {"type": "number", "minimum": 0,
                                                               "description": "tokens one call takes"},
                                            "price_in": {"type": "number", "minimum": 0,
                                                         "description": "US dollars per million prompt tokens"},
                                            "price_out": {"type": "number", "minimum": 0,
                                                          "description": "US dollars per million completion tokens"}}}},
            "metrics": {"type": "object", "description": "which way each metric is better",
                        "additionalProperties": {"type": "object", "additionalProperties": False,
                                                 "required": ["better"],
                                                 "properties": {"better": {"enum": ["higher", "lower"]},
                                                                "labels": {"type": "boolean"},
                                                                "bounded": {"type": "boolean"}}}},
            "hardware": {"type": "object", "additionalProperties": False,
                         "properties": {k: {"type": "number", "exclusiveMinimum": 0} for k in HARDWARE_KEYS}},
            "questions": {"type": "object", "additionalProperties": False,
                          "description": "open review questions: their level at each status, a status to judge "
                                         "every design at, questions not asked (docs/questions.md)",
                          "properties": {
                              **{s: {"enum": ["off", "info", "warning", "error"]} for s in ("draft", "review",
                                                                                             "approved")},
                              "status": {"enum": ["draft", "review", "approved"]},
                              "ignore": {"type": "array", "items": {"enum": _question_ids()}}}},
        },
    }


def _question_ids() -> list[str]:
    from dsspec.compiler.lint.questions import questions

    return [q.id for q in questions()]


def render() -> str:
    """Return the schema as the text of docs/dsspec.schema.json."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
