"""Generate the parse tables from the Lark grammar (development time only).

Lark analyses ``grammar/dsspec.lark`` into LALR(1) tables; this module writes
them, with the grammar's terminals, to ``parse_table.json`` beside it, which
the parser (``dsspec.compiler.syntax.lalr``) reads at run time. So the grammar stays
the single source of truth, while ``dsspec check`` never imports Lark: that
saves about 70 ms of start-up per run, and the small driver is faster than
Lark's own. A test fails when the JSON is not what the grammar gives;
regenerate with ``python -m dsspec.compiler.syntax.tables``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dsspec.compiler.syntax.grammar import grammar_text

TABLE_PATH = Path(__file__).with_name("parse_table.json")


def generate() -> dict:
    """Return the parse tables and terminals Lark derives from the grammar."""
    from lark import Lark

    text = grammar_text()
    lark = Lark(text, parser="lalr", lexer="basic", maybe_placeholders=False)
    table = lark.parser.parser.parser.parse_table

    def name(sym) -> str:
        return str(getattr(sym, "name", sym))

    # Lark numbers states and orders rules by hash-dependent set iteration, so both are
    # renumbered canonically: rules by their text, states breadth-first from the start.
    def rule_key(rule):
        return (name(rule.origin), [name(s) for s in rule.expansion], str(rule.alias or ""))

    ordered = sorted(lark.rules, key=rule_key)
    index = {id(rule): i for i, rule in enumerate(ordered)}
    rules = []
    for rule in ordered:
        origin = name(rule.origin)
        rules.append({
            "origin": origin,
            "size": len(rule.expansion),
            "symbols": [name(sym) for sym in rule.expansion],
            "keep": [not getattr(sym, "filter_out", False) for sym in rule.expansion],
            "inline": origin.startswith("_"),
            "expand1": bool(rule.options.expand1) and rule.alias is None,
            "callback": None if origin.startswith("_") else str(rule.alias or origin),
        })
    start = table.start_states["start"]
    number = {start: 0}
    queue = [start]
    while queue:
        state = queue.pop(0)
        for symbol in sorted(table.states[state]):
            action, arg = table.states[state][symbol]
            if action.name == "Shift" and arg not in number:
                number[arg] = len(number)
                queue.append(arg)
    states = {}
    for old, new in sorted(number.items(), key=lambda kv: kv[1]):
        row = {}
        for symbol, (action, arg) in sorted(table.states[old].items()):
            row[symbol] = [0, number[arg]] if action.name == "Shift" else [1, index[id(arg)]]
        states[str(new)] = row
    terminals = sorted(lark.terminals, key=lambda t: (-t.priority, t.name))
    return {
        "generated_by": "python -m dsspec.compiler.syntax.tables",
        "grammar_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "terminals": [[t.name, t.pattern.to_regexp()] for t in terminals],
        "ignore": sorted(lark.ignore_tokens if hasattr(lark, "ignore_tokens") else lark.lexer_conf.ignore),
        "start": 0,
        "end": number[table.end_states["start"]],
        "rules": rules,
        "states": states,
    }


def render() -> str:
    """Return the JSON text of the tables."""
    return json.dumps(generate(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    TABLE_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {TABLE_PATH}")
