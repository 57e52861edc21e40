"""The run-time parser is a small driver over Lark's tables: it must build exactly the tree Lark builds.

Lark parses with its own LALR parser and lexer, the same grammar and the same
tree builder (``CSTBuilder`` as an embedded transformer), plus the one job the
grammar leaves to the lexer: newlines inside ``[...]`` are dropped. Every
input both accept must give equal statements, values and spans; an input one
accepts and the other rejects is a difference too.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import SHARED
from dsspec.compiler.syntax import parse
from dsspec.compiler.syntax.grammar import grammar_text
from dsspec.compiler.syntax.parser import CSTBuilder

lark = pytest.importorskip("lark")

ROOT = Path(__file__).resolve().parents[1]


class DropNewlinesInLists:
    """Lark post-lexer: the lexer's list rule (a list may span lines)."""

    always_accept = ("_NL",)

    def process(self, stream):
        depth = 0
        for tok in stream:
            if tok.type == "LSQB":
                depth += 1
            elif tok.type == "RSQB":
                depth = max(depth - 1, 0)
            elif tok.type == "_NL" and depth:
                continue
            yield tok


@pytest.fixture(scope="module")
def lark_parse():
    parser = lark.Lark(grammar_text(), parser="lalr", lexer="basic", maybe_placeholders=False,
                       transformer=CSTBuilder(), postlex=DropNewlinesInLists())

    def run(text: str):
        try:
            return parser.parse(text)
        except lark.exceptions.LarkError:
            return None

    return run


def same_tree(lark_parse, text: str) -> bool:
    """Assert both parsers agree on ``text``; return whether it parsed."""
    doc, errors = parse("t.dsspec", text)
    theirs = lark_parse(doc.text)  # the text after line ends are normalised, as the lexer sees it
    if errors:
        return False
    assert theirs is not None, f"Lark rejects what the driver accepts:\n{text}"
    assert doc.statements == (theirs if isinstance(theirs, list) else [theirs]), text
    return True


def corpus() -> list[Path]:
    found = [*ROOT.glob("specs/**/*.dsspec"), *ROOT.glob("tests/golden/*.dsspec"), *SHARED.glob("examples/*.dsspec")]
    return sorted(found)


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_driver_and_lark_build_the_same_tree_for_the_corpus(lark_parse, path):
    text = path.read_text(encoding="utf-8")
    parsed = same_tree(lark_parse, text)  # where the driver accepts, Lark builds the same tree
    # the error goldens hold mistakes on purpose (syntax, non-ASCII names); every other spec parses
    assert parsed or (path.parent.name == "golden" and path.stem in ERROR_GOLDENS)


ERROR_GOLDENS = {"syntax_errors", "wide_characters", "combining_characters"}


WORDS = ["product", "model", "ladder", "step", "x", "recall", "latency", "from", "gets"]
VALUES = ["x", '"a # b"', '"q\\"uote"', "0.5", "-3", "40k", "30%", "50ms", "$6k/month", "$0.002/request", "120/s",
          "2025-01-01", "2025-01-01 .. 2025-02-01", "1 .. 2", "<= 80ms", ">= 0.7", "== x", "[]", "[a]", "[a, b,]",
          "[a,\n  b]", "[\n  a, # c\n  b\n]", '"""\n  two\n  lines\n  """', '""', '"\\u00e9\\n"']


def generated(rng: random.Random, depth: int = 0) -> str:
    """Return a random well-formed statement list (newlines, `;`, comments, nested and one-line blocks)."""
    out = []
    for _ in range(rng.randint(0 if depth else 1, 4)):
        stmt = " ".join([rng.choice(WORDS), *rng.sample(VALUES, rng.randint(0, 3))])
        if depth < 3 and rng.random() < 0.4:
            body = generated(rng, depth + 1)
            stmt += " { " + body.replace("\n", "; ") + " }" if rng.random() < 0.3 and "#" not in body \
                and '"""' not in body else " {\n" + body + "\n}"
        out.append(stmt + rng.choice(["", "", "  # note", ";"]))
    sep = rng.choice(["\n", "\n\n", "\r\n", "\r", "; \n"])
    return sep.join(out)


def test_driver_and_lark_build_the_same_tree_for_generated_inputs(lark_parse):
    rng = random.Random(8)
    parsed = sum(same_tree(lark_parse, generated(rng) + "\n") for _ in range(400))
    assert parsed > 200  # most generated inputs are well formed: the comparison is not vacuous
