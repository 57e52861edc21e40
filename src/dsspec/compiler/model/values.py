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
OTHER_PERIODS = {"ms": ("a millisecond", 0.001, "s"), "millisecond": ("a millisecond", 0.001, "s"),
                 "fortnight": ("a fortnight", 14 * 86400.0, "week"),
                 "quarter": ("a quarter", 3 * MONTH_SECONDS, "month"), "qtr": ("a quarter", 3 * MONTH_SECONDS, "month"),
                 "quarterly": ("a quarter", 3 * MONTH_SECONDS, "month"), "msec": ("a millisecond", 0.001, "s"),
                 "fortnightly": ("a fortnight", 14 * 86400.0, "week"),
                 "decade": ("a decade", 3650 * 86400.0, "year")}
"""Periods of time a money or a rate is not written per: what each is, its length, and the period to write."""
PER_UNIT = frozenset({"request", "prediction", "query", "call", "inference", "event", "item", "user", "order",
                      "session", "token", "document", "image", "message", "transaction", "record", "row"})
"""Units a price may be per (``$0.002/request``): multiplied by the operator's load to give a monthly cost."""


class FieldInfo:
    """One field of a node class as declared: its type as written, its default (``REQUIRED`` when it has
    none) and ``alias``, its name in the language and the JSON output where that differs (``for`` for ``for_``)."""

    __slots__ = ("annotation", "default", "alias")

    def __init__(self, annotation: str | None = None, default=None, alias: str | None = None):
        self.annotation = annotation
        self.default = default
        self.alias = alias

    def __repr__(self) -> str:
        return f"FieldInfo({self.annotation!r}, default={self.default!r}, alias={self.alias!r})"


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()
"""The default of a field that has none."""


def Field(default=REQUIRED, *, alias: str | None = None) -> FieldInfo:  # noqa: N802 - pydantic's spelling
    """Declare a field with an ``alias`` (``from_: list[Ref] = Field(default=[], alias="from")``)."""
    return FieldInfo(None, default, alias)


class Node:
    """Base of every model node: typed fields declared by annotation, and the span it came from.

    The nodes are plain classes, not pydantic models: a check builds thousands of them and never validates
    them (the schema stage already did), and importing pydantic would double the start-up of every check
    that compiles. Their pydantic face, for the JSON output, its JSON Schema and the API, is
    ``dsspec.compiler.model.typed``, made from these declarations, so both always agree. A node offers
    what the code uses of pydantic's interface: ``model_fields``, ``model_construct``, ``model_copy``,
    field equality, and pydantic's ``repr`` (``typed(node).model_dump()`` dumps one).
    """

    model_config = {"extra": "forbid"}
    model_fields: dict[str, FieldInfo] = {}
    __hash__ = None  # equal by fields, so unhashable, like a pydantic model

    span: Span

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _declare(cls)

    @classmethod
    def model_construct(cls, **values):
        """Return a node of ``values`` (by field name or alias), unvalidated, like pydantic's ``model_construct``:
        a field not given takes its default (a fresh copy of a mutable one); a required one stays unset."""
        out: dict = {}
        for name, alias, how, default in cls._plan:
            if alias is not None and alias in values:
                out[name] = values[alias]
            elif name in values:
                out[name] = values[name]
            elif how == "copy":
                out[name] = copy.deepcopy(default) if default else type(default)()
            elif how == "value":
                out[name] = default
        m = cls.__new__(cls)
        m.__dict__ = out
        return m

    def model_copy(self, *, update: dict | None = None):
        """Return a shallow copy, with the fields of ``update`` replaced."""
        m = type(self).__new__(type(self))
        m.__dict__ = {**self.__dict__, **(update or {})}
        return m

    def __eq__(self, other) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __iter__(self):
        yield from self.__dict__.items()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


def _declare(cls) -> None:
    """Record the fields of ``cls``: its bases' first, then its own annotations in order (pydantic's order).
    A field's class attribute (its default) is removed, as pydantic does: the value lives on the instance."""
    fields = dict(cls.__mro__[1].__dict__.get("model_fields", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if name in ("model_config", "model_fields", "_plan") or annotation.startswith("ClassVar"):
            continue
        declared = cls.__dict__.get(name, REQUIRED)
        if isinstance(declared, FieldInfo):
            fields[name] = FieldInfo(annotation, declared.default, declared.alias)
        else:
            fields[name] = FieldInfo(annotation, declared)
        if name in cls.__dict__:
            delattr(cls, name)
    cls.model_fields = fields
    cls._plan = tuple((name, f.alias, "required" if f.default is REQUIRED
                       else "copy" if isinstance(f.default, (list, dict, set)) else "value", f.default)
                      for name, f in fields.items())


_declare(Node)


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
    the language's ranges: a magnitude is at most 1e18, also once made
    monthly (money per a time, a rate), and a duration at most 1000 years
    (rules add days to dates with it).
    """
    q, why = _quantity(kind, text, span)
    if q is not None and not (abs(q.value) <= MAX_MAGNITUDE):
        return None, f"`{clip(text)}` is out of range (at most 1e18)"
    if q is not None and q.per_month is not None and not (abs(q.per_month) <= MAX_MAGNITUDE):
        return None, f"`{clip(text)}` is out of range: it is more than $1e18 a month"
    if q is not None and kind == "rate" and not (abs(q.value) * MONTH_SECONDS <= MAX_MAGNITUDE):
        return None, f"`{clip(text)}` is out of range: it is more than 1e18 a month"
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
            elif period in OTHER_PERIODS:
                return None, _other_period("$", amount, period, value)
            elif period not in PER_UNIT:
                import difflib

                from dsspec.base.suggestions import AMBIGUOUS_UNITS

                if period.lower() in AMBIGUOUS_UNITS:  # minute or month: a guess would be off 43,200 times
                    return None, (f"`/{period}` is ambiguous: write `/min` for a minute or `/month` for a month")
                near = difflib.get_close_matches(period, sorted(PERIOD_SECONDS) + sorted(PER_UNIT), n=1, cutoff=0.6)
                return None, (f"`/{period}` is neither a period of time nor a unit priced per item"
                              + (f"; did you mean `/{near[0]}`?" if near else "") +
                              " (periods: day, week, month, year, ...; units: request, prediction, query, ...)")
        return Quantity.model_construct(span=span, kind=kind, text=text, value=value, period=period or None,
                                        per_month=per_month), None
    if kind == "rate":
        amount, _, period = text.partition("/")
        seconds = PERIOD_SECONDS.get(period)
        if seconds is None and period in OTHER_PERIODS:
            return None, _other_period("", amount, period, _number(amount))
        if seconds is None:
            return None, (f"`{period}` is not a unit of time; use one of "
                          "s, min, h, day, week, month, year")
        return Quantity.model_construct(span=span, kind=kind, text=text, value=_number(amount) / seconds,
                                        period=period), None
    raise ValueError(kind)


def _other_period(dollar: str, amount: str, period: str, value: float) -> str:
    """Return the message for an amount per a period the language lacks (``$2k/quarter``): the same amount per
    a period it has, never a guess at another word (`/query`) or another unit of time (`/s` for `/ms`)."""
    what, seconds, target = OTHER_PERIODS[period]
    per = value * PERIOD_SECONDS[target] / seconds
    shown = f"{per:.2f}".rstrip("0").rstrip(".") if per < 1000 else None
    exact = shown is not None and abs(float(shown) - per) < 1e-9 * max(1.0, per)
    if shown is None or exact:
        from dsspec.compiler.syntax.literals import magnitude

        mag = magnitude(per)
        exact = shown is not None or float(mag.rstrip("kMB")) * MAGNITUDE.get(mag[-1], 1) == per
        shown = mag
    written = f"{dollar}{shown}/{target}"
    length = f"{seconds / MONTH_SECONDS:g} months" if target == "month" else \
        f"{seconds / PERIOD_SECONDS[target]:g} {target}s" if seconds >= PERIOD_SECONDS[target] else \
        f"1/{PERIOD_SECONDS[target] / seconds:g} of a second"
    return (f"`/{period}` is not a period dsspec knows: {what} is {length}, so `{dollar}{amount}/{period}` is "
            + (f"`{written}`; write that" if exact else f"about `{written}`; write the amount per {target}"))


def date(text: str) -> dt.date | None:
    """Return the date ``text`` names, or ``None`` when there is no such day."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
