"""The editor's speed-ups give exactly what the plain stages give: reparsing by chunk, building nodes fast."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dsspec.compiler.model import nodes as n
from dsspec.compiler.model import values as v
from dsspec.compiler.syntax.incremental import Reparser, chunks
from dsspec.compiler.syntax.parser import parse
from dsspec.base.span import NOWHERE

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.dsspec")) + sorted((ROOT / "tests" / "corpus" / "realworld").glob("*.dsspec"))
EDITS = ["x", "\n", "}", "{", "[", "]", '"', '"""', "# note\n", "model m {\n", "  kind table\n", "", "\r"]


@pytest.mark.parametrize("path", SPECS[:12], ids=lambda p: p.name)
def test_reparsing_after_edits_equals_parsing_afresh(path: Path):
    rng = random.Random(path.name)
    text = path.read_text()
    reparser = Reparser()
    assert reparser.parse("x.dsspec", text) == parse("x.dsspec", text)
    reused = 0
    for _ in range(40):
        at = rng.randrange(len(text) + 1)
        cut = rng.choice([0, 0, 1, 3])
        text = text[:at] + rng.choice(EDITS) + text[at + cut:]
        got = reparser.parse("x.dsspec", text)
        assert got == parse("x.dsspec", text), (at, text[max(0, at - 40):at + 40])
        reused += reparser.reused
    assert reused > 0 or chunks(text) is None


def test_an_edit_reparses_only_its_chunk():
    text = "".join(f"source s{i} {{\n  kind table\n}}\n\n" for i in range(50))
    reparser = Reparser()
    reparser.parse("x", text)
    edited = text.replace("source s3 {\n  kind table", "source s3 {\n  kind tabel", 1)
    doc, diags = reparser.parse("x", edited)
    assert reparser.reused == 49 and (doc, diags) == parse("x", edited)
    assert doc.statements[49].span.line == 197


def test_text_that_cannot_be_cut_with_certainty_is_parsed_whole():
    assert chunks('source a {\n  kind table\n') is None           # a block left open
    assert chunks('source a { kind "x }\nsource b {}\n') is None   # an unterminated string
    assert chunks('a 1\r\nb 2\n') is None
    assert chunks('a """x\nb""" \nc 1\n') == [(0, 0), (13, 2)]    # a long string spans lines


def node_classes():
    seen, todo = [], [v.Node]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo += cls.__subclasses__()
    return seen


@pytest.mark.parametrize("cls", node_classes(), ids=lambda c: c.__name__)
def test_fast_construct_makes_what_pydantic_makes(cls):
    from pydantic import BaseModel

    fields = cls.model_fields
    given = {name: f"value of {name}" for name in list(fields)[::2]}
    given["span"] = NOWHERE
    fast = cls.model_construct(**given)
    slow = BaseModel.model_construct.__func__(cls, **given)
    assert fast.__dict__ == slow.__dict__ and fast.model_fields_set == slow.model_fields_set
    assert fast.__pydantic_extra__ == slow.__pydantic_extra__ and fast.__pydantic_private__ is None
    for name, value in fast.__dict__.items():   # a mutable default is the node's own
        if isinstance(value, (list, dict)) and name not in given:
            assert value is not slow.__dict__[name] and value is not fields[name].default


def test_a_section_built_by_alias():
    aliased = {name: f.alias for name, f in n.Product.model_fields.items() if f.alias}
    for name, alias in aliased.items():
        assert getattr(n.Product.model_construct(span=NOWHERE, **{alias: "x"}), name) == "x"
