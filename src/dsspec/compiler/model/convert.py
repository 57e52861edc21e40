"""One written value against one expected argument: the typed value, or why it does not fit.

``convert`` turns a ``Value`` of the syntax tree into the typed value an
``Arg`` of the schema asks for, or raises ``_Mismatch`` with a message in the
user's terms (see ``dsspec.compiler.model.hints`` for the fixes it names); ``_try``
matches a statement's values against one signature. The builder
(``dsspec.compiler.model.build``) chooses among signatures and reports.
"""

from __future__ import annotations

from dsspec.compiler.model import hints
from dsspec.compiler.model.schema import Arg
from dsspec.compiler.model.values import Comparison, DateRange, Ref, Text, date, quantity
from dsspec.compiler.syntax.cst import Value

KIND_WORDS = {
    "ident": "a name", "string": "a string", "number": "a number", "percent": "a percentage",
    "duration": "a duration", "money": "an amount of money", "rate": "a rate", "date": "a date",
    "range": "a date range", "comparison": "a comparison", "list": "a list",
}
KIND_EXAMPLES = {"number": "0.85", "percent": "30%", "duration": "80ms", "money": "$6k/month", "rate": "120/s"}


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def describe(arg: Arg) -> str:
    """Return what ``arg`` expects, in words."""
    if arg.kind in ("enum", "enum_list"):
        shown = _or([f"`{c}`" for c in arg.choices])
        return f"one of {shown}" if arg.kind == "enum" else f"a list of {shown}"
    if arg.kind == "kw":
        return f"`{arg.choices[0]}`"
    if arg.kind == "qty":
        return _or([KIND_WORDS[k] for k in arg.kinds])
    if arg.kind == "cmp":
        return f"a comparison such as `<= {KIND_EXAMPLES[arg.kinds[0]]}`"
    return {"ident": "a name", "string": "a string", "range": "a date range such as `2025-01-01 .. 2025-06-30`",
            "refs": "a name or a list of names", "list": "a list of names such as `[a, b]`"}[arg.kind]


def found(value: Value) -> str:
    """Return the written value described for a message: "a number `80`"."""
    if value.kind == "list":
        return "a list"
    if value.kind == "range":  # `0.25 .. 0.3` is a range, but no date range
        dates = all(i.kind == "date" for i in value.items)
        return f"{'a date range' if dates else 'a range'} `{' .. '.join(i.text for i in value.items)}`"
    text = value.text if value.kind != "comparison" else f"{value.text} {value.items[0].text}"
    if value.kind == "string":
        text = '"' + (text if len(text) <= 30 else text[:27] + "...") + '"'
    return f"{KIND_WORDS[value.kind]} `{text}`"


class _Mismatch(Exception):
    """A value that does not fit; ``right_kind`` when its kind was right but its value not (out of bounds)."""

    def __init__(self, message: str, value: Value, help: str | None = None, right_kind: bool = False):
        super().__init__(message)
        self.message, self.value, self.help, self.right_kind = message, value, help, right_kind


def _bounds(arg: Arg, q, value: Value) -> None:
    """Raise when ``q`` is outside what ``arg`` can be: every bounded statement passes here, so one check per
    bound holds for all of them (a share at most its whole, a count whole, a size above zero)."""
    # a comparison's operand may be below zero; a goal's amount is the builder's (it names the other direction)
    if arg.kind == "qty" and q.value < 0 and not arg.positive and arg.field != "amount":
        raise _Mismatch(f"`{value.text}` cannot be negative here", value, right_kind=True)
    if arg.positive and q.value <= 0:
        raise _Mismatch(f"`{value.text}` must be above zero", value, right_kind=True)
    if arg.share and q.value > 1:
        raise _Mismatch(f"`{value.text}` is more than the whole: write a share of at most `100%`", value, right_kind=True)
    if arg.at_most is not None and q.value > arg.at_most:
        raise _Mismatch(f"`{value.text}` is more than `{arg.at_most * 100:g}%`: the rarest class is at most half "
                        f"of the rows (with two classes, each is half)", value, right_kind=True)
    if arg.integer and q.value != int(q.value):
        raise _Mismatch(f"`{value.text}` must be a whole number", value, right_kind=True)


def _meant(arg: Arg, fix: str | None, value: Value) -> tuple[str, str] | None:
    """Return the one literal ``fix`` names and why it is out of ``arg``'s bounds, or ``None`` when it fits
    (or names several): a suggestion is never one that the next check refuses."""
    import re

    m = re.fullmatch(r"write `([^`]+)`", fix or "")
    if m is None:
        return None
    literal = m.group(1)
    kind = next((k for k in arg.kinds if k == "percent" and literal.endswith("%")), None)
    if kind is None:
        return None
    q, why = quantity(kind, literal, value.span)
    if q is None:
        return literal, why
    try:
        _bounds(arg, q, value)
    except _Mismatch as bad:
        return literal, bad.message.replace(f"`{value.text}`", f"`{literal}`", 1)
    return None


def _ident_list(arg: Arg, value: Value) -> list[Ref]:
    out = []
    for item in value.items:
        if item.kind != "ident":
            raise _Mismatch(f"expected {describe(arg)}; found {found(item)}", item)
        if arg.kind == "enum_list" and item.text not in arg.choices:
            message, help = hints.not_a_word(item.text, arg.choices, describe(arg))
            raise _Mismatch(message, item, help)
        out.append(Ref.model_construct(span=item.span, name=item.text))
    return out


def convert(arg: Arg, value: Value):
    """Return the typed value of ``value`` for ``arg``; raise ``_Mismatch`` when it does not fit."""
    kind = arg.kind
    vk = value.kind
    if vk == "comparison" and value.text in ("=", "==") and kind != "cmp":
        operand = value.items[0]
        try:
            convert(arg, operand)
        except _Mismatch:
            pass
        else:
            shown = f'"{operand.text}"' if operand.kind == "string" else operand.text
            raise _Mismatch(f"remove the `{value.text}`: write `{{name}} {shown}`", value,
                            "a statement is its name and its values, separated by spaces")
    if kind in ("ident", "enum", "kw"):
        if vk != "ident":
            quoted = hints.quoted_name(value, arg.choices)
            if quoted:
                raise _Mismatch(quoted[0], value, quoted[1])
            raise _Mismatch(f"expected {describe(arg)}; found {found(value)}", value)
        if kind != "ident" and value.text not in arg.choices:
            message, help = hints.not_a_word(value.text, arg.choices, describe(arg))
            raise _Mismatch(message, value, help)
        return Ref.model_construct(span=value.span, name=value.text)
    if kind == "string":
        if vk != "string":
            raise _Mismatch(f"expected a string; found {found(value)}", value,
                            f'put the text in double quotes: "{value.text}"' if vk == "ident" else None)
        return Text.model_construct(span=value.span, value=value.text)
    if kind == "qty":
        if vk not in arg.kinds:
            fix = hints.unit_fix(arg.kinds, value)
            meant = _meant(arg, fix, value)
            if meant is not None:  # `minority_share 0.6` is `60%`, and that is out of bounds too: say both at once
                raise _Mismatch(f"expected {describe(arg)}; found {found(value)}: as one, "
                                f"{meant[1]}", value, right_kind=True)
            raise _Mismatch(f"expected {describe(arg)}; found {found(value)}" + (f": {fix}" if fix else ""), value,
                            None if fix else f"for example `{KIND_EXAMPLES[arg.kinds[0]]}`")
        q, why = quantity(vk, value.text, value.span)
        if q is None:
            raise _Mismatch(why, value)
        _bounds(arg, q, value)
        return q
    if kind == "cmp":
        if vk != "comparison":
            if vk in arg.kinds:
                ops = arg.ops or ("<=", ">=")
                fixes = _or([f"`{op} {value.text}`" for op in dict.fromkeys(o if "=" in o else o + "=" for o in ops)])
                raise _Mismatch(f"expected a comparison; found {found(value)}: write {fixes}", value,
                                "a level or a target is an operator and a value")
            if vk == "range" and all(i.kind in arg.kinds for i in value.items):
                lo, hi = (i.text for i in value.items)
                raise _Mismatch(f"expected a comparison; found {found(value)}: a level is one bound, write "
                                f"`>= {lo}` or `<= {hi}`", value, "a level or a target is an operator and a value; "
                                "two bounds are two levels (`optimal >= 0.3`, `acceptable >= 0.25`)")
            raise _Mismatch(f"expected {describe(arg)}; found {found(value)}", value)
        operand = value.items[0]
        if operand.kind not in arg.kinds:
            fix = hints.unit_fix(arg.kinds, operand)
            raise _Mismatch(f"expected a comparison with {_or([KIND_WORDS[k] for k in arg.kinds])}; "
                            f"found {found(operand)}" + (f": {fix}" if fix else ""), operand,
                            None if fix else f"for example `<= {KIND_EXAMPLES[arg.kinds[0]]}`")
        q, why = quantity(operand.kind, operand.text, operand.span)
        if q is None:
            raise _Mismatch(why, operand)
        if arg.ops and value.text not in arg.ops:
            raise _Mismatch(f"`{value.text}` makes no sense here: this is an upper bound, write "
                            f"{_or([f'`{op}`' for op in arg.ops])}", value, f"e.g. `<= {operand.text}`",
                            right_kind=True)
        _bounds(arg, q, operand)
        return Comparison.model_construct(span=value.span, op=value.text, operand=q)
    if kind == "range":
        if vk != "range" or any(i.kind != "date" for i in value.items):
            raise _Mismatch(f"expected {describe(arg)}; found {found(value)}", value)
        lo, hi = (date(i.text) for i in value.items)
        for d, item in ((lo, value.items[0]), (hi, value.items[1])):
            if d is None:
                raise _Mismatch(f"`{item.text}` is not a calendar date", item)
        if hi < lo:
            raise _Mismatch(f"the range ends ({hi}) before it starts ({lo})", value)
        return DateRange.model_construct(span=value.span, start=lo, end=hi)
    if kind == "refs":
        if vk == "ident":
            return [Ref.model_construct(span=value.span, name=value.text)]
        if vk == "list":
            return _ident_list(arg, value)
        raise _Mismatch(f"expected {describe(arg)}; found {found(value)}", value)
    if kind in ("list", "enum_list"):
        if vk != "list":
            raise _Mismatch(f"expected {describe(arg)}; found {found(value)}", value,
                            f"write `[{value.text}]`" if vk == "ident" else None)
        return _ident_list(arg, value)
    raise AssertionError(kind)


def _try(sig: tuple[Arg, ...], values: list[Value]):
    """Return ``(fields, None)`` or ``(progress, failure)`` for one signature."""
    fields: dict = {}
    i = 0
    for j, arg in enumerate(sig):
        if arg.optional and i >= len(values):
            break
        if i >= len(values):
            return i, ("missing", arg)
        try:
            typed = convert(arg, values[i])
        except _Mismatch as bad:
            return i, ("invalid", bad.with_traceback(None), arg)  # no traceback: it would hold this frame in a cycle
        if arg.field is not None:
            fields[arg.field] = typed
        i += 1
    if i < len(values):
        return i, ("extra", values[i])
    return fields, None
