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
def test_a_node_is_built_as_its_pydantic_face_builds_it(cls):
    from dsspec.compiler.model import typed

    face = getattr(typed, cls.__name__)
    fields = cls.model_fields
    assert list(fields) == list(face.model_fields)
    assert [f.alias for f in fields.values()] == [f.alias for f in face.model_fields.values()]
    given = {name: f"value of {name}" for name in list(fields)[::2]}
    given["span"] = NOWHERE
    light = cls.model_construct(**given)
    slow = face.model_construct(**{(fields[k].alias or k): v for k, v in given.items()})
    assert light.__dict__ == slow.__dict__
    for name, value in light.__dict__.items():   # a mutable default is the node's own
        if isinstance(value, (list, dict)) and name not in given:
            assert value is not slow.__dict__[name] and value is not fields[name].default
    assert light == cls.model_construct(**given)
    if len(given) > 1:   # equal by fields, like a pydantic model
        assert light != cls.model_construct(span=NOWHERE)


def test_a_design_check_never_imports_pydantic_or_package_metadata(tmp_path):
    """The nodes are plain classes: pydantic (a third of a compiling run's start-up) loads only for JSON; and
    ``importlib.metadata`` loads only when an installed package may declare plugin rules (none here). Nor do
    the standard library's heavier modules load: the compiler's classes are records and named tuples
    (``dsspec.base.record``), not dataclasses and ``typing.NamedTuple``s, and no configuration is parsed."""
    import subprocess
    import sys

    spec = tmp_path / "d.dsspec"
    spec.write_text('product p { owner "a" }\noperator { latency p99 <= 80ms }\n')
    code = ("import sys; from dsspec.cli import main; main(['check', '--no-cache', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core', 'email') "
            "or m in ('importlib.metadata', 'dataclasses', 'inspect', 'typing', 'hashlib', 'tomllib')))")
    out = subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True)
    assert out.stdout.splitlines()[-1] == "[]", out.stdout + out.stderr


def test_a_section_built_by_alias():
    aliased = {name: f.alias for name, f in n.Product.model_fields.items() if f.alias}
    for name, alias in aliased.items():
        assert getattr(n.Product.model_construct(span=NOWHERE, **{alias: "x"}), name) == "x"
