"""Typed values: quantities normalised to one unit per kind.

* number: a plain float (``40k`` is 40000, ``70B`` is 7e10)
* percent: a fraction (``0.5%`` is 0.005)
* duration: seconds (``15min`` is 900; a month is 30 days, a year 365)
* money: dollars, with ``period`` as written; ``per_month`` is set when the
  period is a time (``$6k/month``, ``$300/week``), ``None`` for one-off amounts
  and per-unit prices (``$90``, ``$0.002/request``)
* rate: events per second (``30M/month``, ``120/s``)
"""

from __future__ import annotations

import copy

import datetime as dt

from pydantic import BaseModel, ConfigDict

from dsspec.base.span import Span
from dsspec.compiler.syntax.literals import DIGITS, MAX_MAGNITUDE, clip

MAGNITUDE = {"k": 1e3, "M": 1e6, "B": 1e9}
DURATION_UNITS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0,
                  "mo": 30 * 86400.0, "y": 365 * 86400.0}
PERIOD_SECONDS = {
    "s": 1.0, "sec": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0, "h": 3600.0, "hour": 3600.0,
    "d": 86400.0, "day": 86400.0, "w": 604800.0, "week": 604800.0, "mo": 30 * 86400.0,
    "month": 30 * 86400.0, "y": 365 * 86400.0, "year": 365 * 86400.0,
}
MONTH_SECONDS = PERIOD_SECONDS["month"]
PER_UNIT = frozenset({"request", "prediction", "query", "call", "inference", "event", "item", "user", "order",
                      "session", "token", "document", "image", "message", "transaction", "record", "row"})
"""Units a price may be per (``$0.002/request``): multiplied by the operator's load to give a monthly cost."""


class Node(BaseModel):
    """Base of every model node: immutable-ish, with the span it came from."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    span: Span

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values):
        """Return pydantic's ``model_construct(**values)``, built several times faster.

        The build stage makes thousands of nodes per spec and an editor
        rebuilds on every pause in typing; pydantic's version spends most of
        its time looking up and copying defaults field by field. The plan of
        each class (field, alias, default) is computed once; the result is
        the same instance pydantic would make (same ``__dict__``, fields set,
        no extra, no private state).
        """
        plan = _PLANS.get(cls)
        if plan is None:
            plan = _PLANS[cls] = _plan(cls)
        if plan is False:
            return super().model_construct(_fields_set, **values)
        out: dict = {}
        given = set()
        for name, alias, how, default in plan:
            if alias is not None and alias in values:
                out[name] = values[alias]
                given.add(name)
            elif name in values:
                out[name] = values[name]
                given.add(name)
            elif how == "factory":
                out[name] = default()
            elif how == "copy":
                out[name] = copy.deepcopy(default) if default else type(default)()
            elif how == "value":
                out[name] = default
        m = cls.__new__(cls)
        object.__setattr__(m, "__dict__", out)
        object.__setattr__(m, "__pydantic_fields_set__", given if _fields_set is None else _fields_set)
        object.__setattr__(m, "__pydantic_extra__", None)
        object.__setattr__(m, "__pydantic_private__", None)
        return m


_PLANS: dict[type, list | bool] = {}


def _plan(cls) -> list | bool:
    """Return ``(field, alias, how to default, default)`` per field of ``cls``; ``False`` where pydantic must build it."""
    from pydantic_core import PydanticUndefined

    if cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow" or cls.__private_attributes__:
        return False
    plan = []
    for name, f in cls.__pydantic_fields__.items():
        if f.validation_alias is not None and f.validation_alias != f.alias:
            return False
        if f.default_factory is not None:
            if f.default_factory_takes_data:
                return False
            plan.append((name, f.alias, "factory", f.default_factory))
        elif f.default is PydanticUndefined:
            plan.append((name, f.alias, "required", None))
        elif isinstance(f.default, (list, dict, set)):
            plan.append((name, f.alias, "copy", f.default))
        else:
            plan.append((name, f.alias, "value", f.default))
    return plan


class Quantity(Node):
    """A number with its unit kind, normalised (see the module docstring)."""

    kind: str
    text: str
    value: float
    period: str | None = None
    per_month: float | None = None

    def show(self) -> str:
        """Return the value as written."""
        return self.text


class Comparison(Node):
    """``op operand``, e.g. ``<= 80ms``."""

    op: str
    operand: Quantity

    def holds(self, x: float) -> bool:
        """Return whether ``x op operand`` is true."""
        v = self.operand.value
        return {"<": x < v, "<=": x <= v, ">": x > v, ">=": x >= v, "==": x == v, "=": x == v,
                "!=": x != v}[self.op]

    def show(self) -> str:
        """Return the comparison as written."""
        return f"{self.op} {self.operand.text}"


class DateRange(Node):
    start: dt.date
    end: dt.date

    def show(self) -> str:
        """Return the range as written."""
        return f"{self.start.isoformat()} .. {self.end.isoformat()}"


class Ref(Node):
    """A name: a declaration's own name, or a reference to one."""

    name: str


class Text(Node):
    value: str


def _number(text: str) -> float:
    if text[-1] in MAGNITUDE:
        return float(text[:-1]) * MAGNITUDE[text[-1]]
    return float(text)


MAX_DURATION = 1000 * DURATION_UNITS["y"]
"""Longer durations are surely typos, and past about 2.7 million years no date arithmetic can hold them."""


def quantity(kind: str, text: str, span: Span) -> tuple[Quantity | None, str | None]:
    """Return the quantity ``text`` denotes, or ``None`` and why it is invalid.

    Every quantity a spec or a configuration gives passes here, so these are
    the language's ranges: a magnitude is at most 1e18 and a duration at most
    1000 years (rules add days to dates with it).
    """
    q, why = _quantity(kind, text, span)
    if q is not None and not (abs(q.value) <= MAX_MAGNITUDE):
        return None, f"`{clip(text)}` is out of range (at most 1e18)"
    if q is not None and kind == "duration" and q.value > MAX_DURATION:
        return None, f"`{clip(text)}` is out of range: a duration is at most 1000 years (`1000y`)"
    return q, why


def _quantity(kind: str, text: str, span: Span) -> tuple[Quantity | None, str | None]:
    if kind == "number":
        return Quantity.model_construct(span=span, kind=kind, text=text, value=_number(text)), None
    if kind == "percent":
        return Quantity.model_construct(span=span, kind=kind, text=text, value=float(text[:-1]) / 100), None
    if kind == "duration":
        i = len(text)
        while text[i - 1] not in DIGITS:
            i -= 1
        return Quantity.model_construct(span=span, kind=kind, text=text,
                                        value=float(text[:i]) * DURATION_UNITS[text[i:]]), None
    if kind == "money":
        amount, _, period = text[1:].partition("/")
        value = _number(amount)
        per_month = None
        if period:
            seconds = PERIOD_SECONDS.get(period)
            if seconds is not None:
                per_month = value * MONTH_SECONDS / seconds
            elif period not in PER_UNIT:
                import difflib

                near = difflib.get_close_matches(period, sorted(PERIOD_SECONDS) + sorted(PER_UNIT), n=1, cutoff=0.6)
                return None, (f"`/{period}` is neither a period of time nor a unit priced per item"
                              + (f"; did you mean `/{near[0]}`?" if near else "") +
                              " (periods: day, week, month, year, ...; units: request, prediction, query, ...)")
        return Quantity.model_construct(span=span, kind=kind, text=text, value=value, period=period or None,
                                        per_month=per_month), None
    if kind == "rate":
        amount, _, period = text.partition("/")
        seconds = PERIOD_SECONDS.get(period)
        if seconds is None:
            return None, (f"`{period}` is not a unit of time; use one of "
                          "s, min, h, day, week, month, year")
        return Quantity.model_construct(span=span, kind=kind, text=text, value=_number(amount) / seconds,
                                        period=period), None
    raise ValueError(kind)


def date(text: str) -> dt.date | None:
    """Return the date ``text`` names, or ``None`` when there is no such day."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
