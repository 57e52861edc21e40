"""``dsspec.base.record``: the dataclass subset the warm path's classes use, behaving as a dataclass does."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from dsspec.base import record
from dsspec.base.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from dsspec.base.span import Span
from dsspec.compiler.lint.config import Config
from dsspec.compiler.result import FileResult, Options

SPAN = Span(1, 1, 1, 4, 0, 3)


def finding(**changes) -> Diagnostic:
    values = dict(code="DS101", rule="rule-a", severity=Severity.WARNING, message="m", path="a.dsspec", span=SPAN)
    return Diagnostic(**{**values, **changes})


def test_a_record_is_made_as_its_dataclass_twin_is():
    """The same declarations as a frozen slotted dataclass: equal constructors, repr, equality and hash."""
    @dataclasses.dataclass(frozen=True, slots=True)
    class Twin:
        code: str
        rule: str
        severity: Severity
        message: str
        path: str
        span: Span
        help: str | None = None
        related: tuple = ()
        fix: Fix | None = None

    ours = finding(help="h", related=(Related("b.dsspec", SPAN, "here"),))
    twin = Twin("DS101", "rule-a", Severity.WARNING, "m", "a.dsspec", SPAN, "h", (Related("b.dsspec", SPAN, "here"),))
    assert repr(ours) == repr(twin).replace("test_a_record_is_made_as_its_dataclass_twin_is.<locals>.Twin",
                                            "Diagnostic")
    assert hash(ours) == hash(finding(help="h", related=(Related("b.dsspec", SPAN, "here"),)))
    assert ours == finding(help="h", related=(Related("b.dsspec", SPAN, "here"),)) and ours != finding()
    assert ours != twin and ours.__eq__(twin) is NotImplemented
    assert record.fields(Diagnostic) == tuple(f.name for f in dataclasses.fields(Twin)) == Diagnostic.__slots__
    assert not hasattr(ours, "__dict__")


def test_a_frozen_record_refuses_assignment_and_deletion():
    d = finding()
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'message'"):
        d.message = "other"
    with pytest.raises(AttributeError):
        del d.message
    assert d.message == "m"


def test_defaults_and_factories_are_fresh_for_each_instance():
    a, b = FileResult("a"), FileResult("b")
    a.diagnostics.append(finding())
    assert b.diagnostics == [] and a.diagnostics is not b.diagnostics and a.includes is not b.includes
    assert Config().severity == {} and Config().pending is not Config().pending
    given = [finding()]
    assert FileResult("a", diagnostics=given).diagnostics is given


def test_mutable_records_are_unhashable_and_frozen_ones_hash_by_value():
    with pytest.raises(TypeError):
        hash(Config())
    assert hash(Options(select=("DS1",))) == hash(Options(select=("DS1",)))
    assert Options() == Options() and Options(preview=True) != Options()


def test_repr_leaves_out_the_fields_marked_so():
    config = Config(path="dsspec.toml")
    config.pending.append("secret")
    assert repr(config).startswith("Config(path='dsspec.toml', select=(), ") and "pending" not in repr(config)
    assert repr(Options()) == ("Options(select=(), ignore=(), extend_select=(), config_file=None, settings=(), "
                               "preview=False)")


def test_replace_copies_with_changes_and_refuses_an_unknown_field():
    d = finding(help="h")
    moved = record.replace(d, path="b.dsspec")
    assert moved.path == "b.dsspec" and moved.help == "h" and d.path == "a.dsspec"
    with pytest.raises(TypeError):
        record.replace(d, colour="red")
    config = record.replace(Config(), preview=True)
    assert config.preview is True and config.select == ()


def test_records_survive_pickling_and_copying():
    """``--jobs`` sends results between processes by pickle; ``copy`` goes the same way."""
    fix = Fix("respell", (Edit(SPAN, "x"),))
    d = finding(related=(Related("b", SPAN, "here"),), fix=fix)
    for made in (pickle.loads(pickle.dumps(d)), copy.copy(d), copy.deepcopy(d)):
        assert made == d and type(made) is Diagnostic
    result = FileResult("a.dsspec", text="t", diagnostics=[d], includes=["b"])
    again = pickle.loads(pickle.dumps(result))
    assert (again.path, again.text, again.diagnostics, again.includes) == ("a.dsspec", "t", [d], ["b"])


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="without a default follows"):
        @record.record
        class Bad:
            a: int = 1
            b: int


def test_a_method_the_class_writes_is_kept():
    @record.record(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("x")) == "<x>" and Named("x") == Named("x")


def test_the_dataclasses_module_takes_a_record_as_a_dataclass():
    """Code written for dataclasses (``dsspec.api`` users, tests) works on records unchanged."""
    d = finding(help="h")
    assert dataclasses.is_dataclass(d) and dataclasses.is_dataclass(Diagnostic)
    assert [f.name for f in dataclasses.fields(Diagnostic)] == list(record.fields(Diagnostic))
    assert dataclasses.replace(d, message="n") == finding(help="h", message="n")
    assert dataclasses.asdict(Related("b", SPAN, "here")) == {"path": "b", "span": SPAN, "message": "here"}
    assert dataclasses.replace(Config(), preview=True).pending == []
    assert [f.name for f in dataclasses.fields(Config)][-2:] == ["diagnostics", "pending"]


def test_compare_hash_post_init_and_classvars_follow_dataclasses():
    from typing import ClassVar  # noqa: F401 - the annotation below names it

    @record.record(frozen=True)
    class Block:
        kind: ClassVar[str] = "block"
        stmts: tuple
        by_name: dict = record.field(default_factory=dict, compare=False, hash=False)

        def __post_init__(self):
            self.by_name.update({s: len(s) for s in self.stmts})

    a, b = Block(("x", "yy")), Block(("x", "yy"), {"other": 1})
    assert record.fields(Block) == ("stmts", "by_name") and Block.kind == "block"
    assert a.by_name == {"x": 1, "yy": 2} and a == b and hash(a) == hash(b)
    assert [f.name for f in dataclasses.fields(Block)] == ["stmts", "by_name"]


def test_a_record_without_slots_keeps_its_instance_dictionary():
    """``vars()``, ``functools.cached_property`` and pickling of what was added later work as on a dataclass."""
    import functools

    @record.record(frozen=True)
    class Question:
        hints: tuple

        @functools.cached_property
        def count(self) -> int:
            return len(self.hints)

    q = Question(("a", "b"))
    assert q.count == 2 and vars(q) == {"hints": ("a", "b"), "count": 2}
    result = FileResult("a.dsspec")
    result.extra = 1
    assert vars(pickle.loads(pickle.dumps(result)))["extra"] == 1


def test_a_named_record_is_a_named_tuple_with_its_methods():
    from dsspec.compiler.discovery import Discovered
    from dsspec.compiler.syntax.fix import Fix as Mistake

    assert Discovered([], [], []) == ([], [], [], None, frozenset()) and Discovered._fields[-1] == "plain"
    m = Mistake(0, 3, "m", None)
    assert (m.tokens, m.merge, m.drop) == ((), False, 0) and pickle.loads(pickle.dumps(m)) == m
    assert SPAN.to(Span(2, 1, 2, 5, 10, 14)) == Span(1, 1, 2, 5, 0, 14) and isinstance(SPAN, tuple)
    with pytest.raises(TypeError, match="without a default follows"):
        @record.named
        class Bad:
            a: int = 1
            b: int


def test_a_record_extending_a_record_has_its_fields_first():
    @record.record(frozen=True, slots=True)
    class Base:
        a: int
        b: int = 2

    @record.record(frozen=True, slots=True)
    class More(Base):
        c: int = 3

    m = More(1)
    assert record.fields(More) == ("a", "b", "c") and (m.a, m.b, m.c) == (1, 2, 3)
    assert m == More(1, 2, 3) and m != Base(1, 2) and m.__reduce__() == (record._rebuild, (More, (1, 2, 3)))
    assert repr(m).endswith("More(a=1, b=2, c=3)") and More.__slots__ == ("c",)


def test_what_the_review_found_a_record_does_as_a_dataclass_does():
    """``__match_args__``, class-level defaults, ``<factory>`` in the signature, ``super()``, a pickled slots
    record made again without ``__post_init__``, and a class's own ``__eq__``/``__hash__`` kept as written."""
    import inspect

    d = finding()
    match d:
        case Diagnostic(code, rule):
            assert (code, rule) == ("DS101", "rule-a")
    assert Config.preview is False and Options.preview is False
    assert "severity: 'dict[str, Severity]' = <factory>" in str(inspect.signature(Config))

    calls = []

    @record.record(frozen=True, slots=True)
    class Counted:
        n: int

        def __post_init__(self):
            calls.append(self.n)

        def double(self) -> int:
            return super().__hash__() and self.n * 2  # a super() call finds the class made anew

    c = Counted(2)
    assert c.double() == 4
    assert record._rebuild(*c.__reduce__()[1]) == c and calls == [2]

    @record.record(frozen=True)
    class OwnEq:
        n: int

        def __eq__(self, other):
            return isinstance(other, OwnEq) and self.n % 10 == other.n % 10

    @record.record
    class OwnHash:
        n: int

        def __hash__(self):
            return self.n

    assert OwnEq(1) == OwnEq(11) and hash(OwnEq(1)) == hash(OwnEq(1)) and hash(OwnHash(3)) == 3
