"""Keep the grammar's list of declaring statements equal to the schema's.

A declaring statement (`source payments {`, `user search_api "..."`) colours
its second word as a declared name. Which statements declare is the schema's
business (`dsspec.compiler.model.schema`): run this after adding one there, then
`npm run test:update` if the snapshots should change.

    python editors/vscode/generate_grammar.py          # rewrite the grammar
    python editors/vscode/generate_grammar.py --check  # exit 1 when it is stale
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

GRAMMAR = Path(__file__).resolve().parent / "syntaxes" / "dsspec.tmLanguage.json"
_LIST = re.compile(r'(\(\?:\^\|\(\?<=\[\{;\]\)\)\\\\s\*\()([a-z_|]+)(\)\\\\s\+)')


def declaring() -> list[str]:
    """Return the statements whose first value is the name they declare, anywhere in the schema, sorted."""
    from dsspec.compiler.model import schema

    found: set[str] = set()
    blocks = [schema.SECTIONS]
    while blocks:
        block = blocks.pop()
        for stmt in block.stmts:
            if any(sig and sig[0].kind == "ident" and sig[0].field == "name" for sig in stmt.sigs):
                found.add(stmt.name)
            if stmt.body is not None:
                blocks.append(stmt.body)
    return sorted(found)


def generated(text: str) -> str:
    """Return the grammar's text with its declaring list set from the schema."""
    new, count = _LIST.subn(lambda m: m.group(1) + "|".join(declaring()) + m.group(3), text)
    if count != 1:
        raise SystemExit(f"{GRAMMAR}: the declaring pattern was not found once ({count} times)")
    return new


def main() -> int:
    text = GRAMMAR.read_text("utf-8")
    new = generated(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            print(f"{GRAMMAR} is stale: run `python editors/vscode/generate_grammar.py`")
            return 1
        return 0
    if new != text:
        GRAMMAR.write_text(new, "utf-8")
        print(f"rewrote {GRAMMAR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
