"""Literals a newcomer writes: units spelt out or apart, separators, exponents, currencies, dates, operators.

Each function looks at a malformed literal, or at a token that cannot follow
the one before it (``6 h``, ``14,000,000``, ``=>``), and returns the ``Fix``
naming what to write, with the token that was meant (see ``dsspec.compiler.syntax.fix``).
"""

from __future__ import annotations

import re

from dsspec.compiler.syntax.fix import NUMERIC, OPERATORS, UNITS, Fix
from dsspec.compiler.syntax.grammar import token_pattern

DURATION_WORDS = {
    **dict.fromkeys(("ms", "msec", "msecs", "millis", "millisecond", "milliseconds"), "ms"),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "min"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("mo", "mon", "mos", "month", "months"), "mo"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "y"),
}
DURATION_UNIT_SET = frozenset(DURATION_WORDS.values())
MAGNITUDE_WORDS = {
    **dict.fromkeys(("k", "K", "thousand"), "k"),
    **dict.fromkeys(("M", "mil", "mio", "mn", "million", "millions"), "M"),
    **dict.fromkeys(("B", "b", "bn", "billion", "billions"), "B"),
}
PERCENT_WORDS = frozenset({"percent", "pct", "per_cent"})
CURRENCY_WORDS = frozenset({"USD", "usd", "dollar", "dollars", "EUR", "eur", "euro", "euros", "GBP", "gbp"})
RATE_WORDS = {"rps": "s", "qps": "s", "tps": "s", "rpm": "min", "rph": "h", "rpd": "day"}
RANGE_WORDS = frozenset({"to", "until", "till", "through", "thru"})
FUSED_CMP = {"=>": ">=", "=<": "<=", "<>": "!=", "=!": "!="}
NUMBER_LITERAL = re.compile(r"(\$?)([0-9]+(?:\.[0-9]+)?)([A-Za-z%]*)((?:/[A-Za-z]+)?)")
EXPONENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)[eE]([+-]?[0-9]+)")
EXPONENT_LITERAL = re.compile(r"(\$?)([0-9]+(?:\.[0-9]+)?)[eE]([+-]?[0-9]+)([A-Za-z%]*(?:/[A-Za-z]+)?)")
"""A number written with an exponent, with its `$` and unit if any: `1e3ms`, `$8e3/month`, `2.5E-3`."""
_LOOSE_DATE = re.compile(r"(?:(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})|[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?P<y2>[0-9]{4}))"
                         r"(?![\w.])")
_RANGE_END = re.compile(r"[ \t]*\.\.[ \t]*([0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4})(?![\w.])")
_NEGATIVE_MONEY = re.compile(r"\$-([0-9]+(?:\.[0-9]+)?[kMB]?(?:/[A-Za-z]+)?)(?![A-Za-z0-9_])")
_GROUPED = re.compile(r"(\$?)([0-9]{1,3}(?:_[0-9]{3})+(?:\.[0-9]+)?)([A-Za-z%]*(?:/[A-Za-z]+)?)")
_SPACED_UNIT = re.compile(r"[ \t]+([A-Za-z]+)(?![A-Za-z0-9_])")
_DURATION_TAIL = re.compile(r"(?:ms|min|mo|s|h|d|w|y)(?![A-Za-z0-9_])")
_THOUSANDS = re.compile(r"(?:,[0-9]+)+(?:\.[0-9]+)?[kMB%]?\$?(?:/[A-Za-z]+)?")

DIGITS = frozenset("0123456789")
"""The digits of a literal: `str.isdigit` also accepts `²` and other scripts' digits, which no literal has."""


def _digits(text: str) -> bool:
    return bool(text) and all(c in DIGITS for c in text)


def clip(literal: str) -> str:
    """Return ``literal`` shortened for a message (a 10,000-digit number is not repeated whole)."""
    return literal if len(literal) <= 24 else literal[:20] + "..."


def magnitude(value: float) -> str:
    """Return ``value`` written the short way: 14000000 -> ``14M``, 2500 -> ``2.5k``."""
    for suffix, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size and (value / size) * 10 == int((value / size) * 10):
            return f"{value / size:g}{suffix}"
    return plain(value)


def plain(value: float) -> str:
    """Return ``value`` in plain digits, never in exponent notation (``1e-05`` is ``0.00001``)."""
    import decimal

    text = format(decimal.Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def kind_of(literal: str) -> str:
    """Return the token type of a repaired numeric literal."""
    if literal.startswith("$"):
        return "MONEY"
    if literal.endswith("%"):
        return "PERCENT"
    if "/" in literal:
        return "RATE"
    if literal.rstrip("kMB")[-1:] in DIGITS:
        return "NUMBER"
    return "DURATION"


def after_word(text: str, prev, tok) -> Fix | None:
    """Return the fix for a name that cannot follow the value before it on its line (``6 h``, ``60 days``)."""
    word = tok.value
    if prev.type == "DATE" and word in RANGE_WORDS:
        return Fix(tok.start_pos, tok.end_pos, f"write `..` instead of `{word}` between the dates of a range",
                   "a date range is written `2025-01-01 .. 2025-06-30`", (("_DOTDOT", ".."),))
    if prev.type == "MONEY" and word == "per":
        period = re.compile(r"\s*([A-Za-z]+)").match(text, tok.end_pos)
        if period and "/" not in prev.value:
            fixed = f"{prev.value}/{_period(period.group(1))}"
            return Fix(prev.start_pos, period.end(), f"write `{fixed}`: a price per period is written with `/`",
                       "money is written `$6k/month`, `$0.002/request`", (("MONEY", fixed),), merge=True)
    if prev.type != "NUMBER":
        return None
    number = prev.value
    unit = None
    if word in DURATION_WORDS:
        unit = DURATION_WORDS[word]
    elif word in PERCENT_WORDS:
        unit = "%"
    elif word in MAGNITUDE_WORDS:
        unit = MAGNITUDE_WORDS[word]
    elif word in RATE_WORDS:
        unit = "/" + RATE_WORDS[word]
    elif word == "m":
        return Fix(prev.start_pos, tok.end_pos, f"`m` is not a unit: write `{number}min` (minutes), `{number}mo` "
                   f"(months) or `{number}M` (a million)", UNITS)
    elif word in CURRENCY_WORDS:
        period = re.compile(r"/[A-Za-z]+").match(text, tok.end_pos)
        fixed = f"${number}" + (period.group() if period else "")
        stop = period.end() if period else tok.end_pos
        note = "" if word.lower().startswith(("usd", "dollar")) else "; amounts are in dollars"
        return Fix(prev.start_pos, stop, f"write `{fixed}`: money is written with `$` before the amount{note}",
                   "money is written `$90`, `$6k/month`, `$0.002/request`", (("MONEY", fixed),), merge=True)
    elif word == "per":
        period = re.compile(r"\s*([A-Za-z]+)").match(text, tok.end_pos)
        if period and period.group(1) in DURATION_WORDS:
            fixed = f"{number}/{_period(period.group(1))}"
            return Fix(prev.start_pos, period.end(), f"write `{fixed}`: a rate is written with `/`",
                       "a rate is a count, `/` and a unit of time: `120/s`, `400/day`", (("RATE", fixed),), merge=True)
    if unit is None:
        return None
    if number[-1] in "kMB" and (unit in DURATION_UNIT_SET or unit == "%"):  # `1.5k ms`: no `1.5kms`
        number = plain(float(number[:-1]) * {"k": 1e3, "M": 1e6, "B": 1e9}[number[-1]])
    fixed = number + unit
    said = "no space between a number and its unit" if word in (unit, unit.lstrip("/")) else \
        f"the unit is `{unit}`, right after the number"
    return Fix(prev.start_pos, tok.end_pos, f"write `{fixed}`: {said}", UNITS, ((kind_of(fixed), fixed),), merge=True)


def _period(word: str) -> str:
    unit = DURATION_WORDS.get(word, word)
    return {"d": "day", "w": "week", "mo": "month", "y": "year"}.get(unit, unit)


def after_token(text: str, prev, tok, in_list: bool) -> Fix | None:
    """Return the fix for a token glued to the one before it: ``14,000,000``, ``$2,000/month``, ``=>``."""
    if tok.start_pos != prev.end_pos:
        return None
    if tok.type == "COMMA" and prev.type in NUMERIC and not in_list and text[tok.end_pos:tok.end_pos + 1] in DIGITS \
            and _digits(prev.value.lstrip("$")):
        m = _THOUSANDS.match(text, tok.start_pos)
        groups = m.group().split("/")[0]
        digits = re.findall(r",([0-9]+)", groups)
        unit = _DURATION_TAIL.match(text, m.end()) if m.group()[-1] in DIGITS else None
        tail, end = (unit.group(), unit.end()) if unit else ("", m.end())  # `1,5h`: the unit stays with the number
        if all(len(g) == 3 for g in digits):
            joined = prev.value + m.group().replace(",", "") + tail
            if not float(re.sub(r"[^0-9.]", "", joined) or "0") <= MAX_MAGNITUDE:
                return Fix(prev.start_pos, m.end(), f"`{clip(joined)}` is out of range: a value is at most 1e18",
                           None, merge=True)
            if "$" in m.group():  # `5,000$/month`: the `$` goes first too
                joined = "$" + joined.replace("$", "")
            amount = NUMBER_LITERAL.fullmatch(joined)
            short = joined
            if amount and not amount.group(3):
                short = amount.group(1) + magnitude(float(amount.group(2))) + amount.group(4)
            return Fix(prev.start_pos, end, f"write `{short}`: numbers have no thousands separators",
                       f"write the digits (`{joined}`) or a magnitude: `k`, `M`, `B` (`{short}`)" if short != joined
                       else f"write the digits: `{joined}`",
                       ((kind_of(joined), joined),), merge=True)
        decimal = prev.value + "." + m.group()[1:] + tail
        return Fix(prev.start_pos, end, f"write `{decimal}`: decimals are written with a point, not a comma",
                   None, ((kind_of(decimal), decimal),), merge=True)
    if tok.type == "CMP" and prev.type == "CMP":
        fused = prev.value + tok.value
        meant = FUSED_CMP.get(fused)
        if meant:
            return Fix(prev.start_pos, tok.end_pos, f"`{fused}` is not an operator: write `{meant}`", OPERATORS,
                       (("CMP", meant),), merge=True)
    return None


def loose_date(text: str, pos: int) -> Fix | None:
    """Return the fix for a date not written ``YYYY-MM-DD`` (``2024-6-1``, ``2024/06/01``, ``01/06/2024``)."""
    m = _LOOSE_DATE.match(text, pos)
    if not m:
        return None
    if m.group("y"):
        fixed = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        if fixed == m.group():
            return None
        end = _RANGE_END.match(text, m.end())  # `2025/05/05 .. 2025/06/30`: both dates, in one fix
        second = end and _LOOSE_DATE.fullmatch(end.group(1))
        to = second and second.group("y") and \
            f"{second.group('y')}-{int(second.group('m')):02d}-{int(second.group('d')):02d}"
        if to and to != end.group(1):
            return Fix(pos, end.end(), f"write `{fixed} .. {to}`: dates are written year-month-day, `YYYY-MM-DD`",
                       None, (("DATE", fixed), ("_DOTDOT", ".."), ("DATE", to)))
        return Fix(pos, m.end(), f"write `{fixed}`: dates are written year-month-day, `YYYY-MM-DD`", None,
                   (("DATE", fixed),))
    end = _RANGE_END.match(text, m.end())
    stop = end.end() if end and _LOOSE_DATE.fullmatch(end.group(1)) else m.end()
    return Fix(pos, stop, f"`{text[pos:stop]}`: write dates year-month-day, e.g. `{m.group('y2')}-01-31`", None)


MAX_MAGNITUDE = 1e18
"""The largest value a literal may have: larger ones are surely typos (and past 1e308 a float is infinite)."""
SMALLEST = 1e-9
"""The smallest non-zero value a rewritten exponent may have: below it, `:g` would print `1e-10` again."""


def exponent(literal: str, start: int, stop: int, merge: bool = False) -> Fix:
    """Return the fix for ``1e6``-style numbers: written with a magnitude instead.

    The value is read as a float (never ``10 ** exponent`` exactly, which takes
    forever for ``1e100000000``); one out of range gets a message and no
    replacement, since no literal of the language can say it.
    """
    m = EXPONENT_LITERAL.fullmatch(literal)
    dollar, unit = m.group(1), m.group(4)
    value = float(f"{m.group(2)}e{m.group(3)}")
    if not (SMALLEST <= value <= MAX_MAGNITUDE):
        return Fix(start, stop, f"`{clip(literal)}` is out of range: numbers have no exponents, and a value is "
                   "between 0.000000001 and 1e18: write its digits or a magnitude", "large numbers take a magnitude: "
                   "`k` (10^3), `M` (10^6), `B` (10^9)", merge=merge)
    # the unit stays; a magnitude only where the literal takes one (`4k/s`, `$8k`), never before `ms` or `%`
    takes_magnitude = not unit or unit.startswith("/")
    short = magnitude(value) if takes_magnitude else plain(value)
    fixed = dollar + short + unit
    token = token_pattern().fullmatch(fixed)
    return Fix(start, stop, f"write `{fixed}`: numbers have no exponents", "large numbers take a magnitude: "
               "`k` (10^3), `M` (10^6), `B` (10^9)", ((token.lastgroup, fixed),) if token else (), merge=merge)


def exponent_in(text: str, start: int, stop: int, merge: bool = False) -> Fix:
    """Return the fix for the exponent literal ``text[start:stop]``, with a unit written after a space
    (`1e3 ms`) taken as the number's."""
    literal = text[start:stop]
    exp = EXPONENT_LITERAL.fullmatch(literal)
    spaced = _SPACED_UNIT.match(text, stop) if not exp.group(1) and not exp.group(4) else None
    if spaced and spaced.group(1) in DURATION_WORDS:
        return exponent(literal + DURATION_WORDS[spaced.group(1)], start, spaced.end(), merge=merge)
    return exponent(literal, start, stop, merge=merge)


def bad_literal(text: str, start: int, stop: int, prev) -> Fix | None:
    """Return the fix for a malformed literal ``text[start:stop]`` (``60days``, ``4hr``, ``$2K``, ``1e6``)."""
    literal = text[start:stop]
    negative = _NEGATIVE_MONEY.match(text, start)
    if negative:  # `$-3k/month`
        fixed = "$" + negative.group(1)
        return Fix(start, negative.end(), f"remove the `-`: an amount of money is never negative; write `{fixed}`",
                   "a budget, a cost or a price is what is spent; a saving is a goal: "
                   "`goal serving_cost decrease $3k/month`", (("MONEY", fixed),))
    spaced = re.compile(r"\$\s+([0-9][\w.]*(?:/[A-Za-z]+)?)").match(text, start)
    if literal == "$" and spaced:
        fixed = "$" + spaced.group(1)
        return Fix(start, spaced.end(), f"write `{fixed}`: no space after `$`", None, (("MONEY", fixed),))
    if literal.startswith("$") and prev is not None and prev.type == "NUMBER" and prev.end_pos == start:
        fixed = "$" + prev.value + literal[1:]
        return Fix(prev.start_pos, stop, f"write `{fixed}`: the `$` goes before the amount", None,
                   (("MONEY", fixed),), merge=True)
    if EXPONENT_LITERAL.fullmatch(literal):
        return exponent_in(text, start, stop)
    grouped = _GROUPED.fullmatch(literal)
    if grouped:  # `1_000_000`: Python's and Rust's digit separator
        dollar, digits, suffix = grouped.group(1), grouped.group(2).replace("_", ""), grouped.group(3)
        fixed = dollar + digits + suffix
        token = token_pattern().fullmatch(fixed)
        short = magnitude(float(digits)) if not suffix or suffix.startswith("/") else digits
        other = dollar + short + suffix
        return Fix(start, stop, f"write `{fixed}`" + (f" or `{other}`" if other != fixed else "") +
                   ": numbers have no `_` between their digits", "large numbers take a magnitude: "
                   "`k` (10^3), `M` (10^6), `B` (10^9)", ((token.lastgroup, fixed),) if token else ())
    m = NUMBER_LITERAL.fullmatch(literal)
    if not m:
        if re.fullmatch(r"[0-9]+_\w*", literal):
            words = literal.lstrip("0123456789_")
            if not words:  # `2024_2025`: no word to move to the front
                return Fix(start, stop, f"`{literal}` is neither a number nor a name: a number has no `_`, and a "
                           "name starts with a letter", None)
            better = f"{words}_{literal.split('_')[0]}"
            return Fix(start, stop, f"`{literal}`: a name cannot start with a digit; write e.g. `{better}`", None)
        return None
    dollar, number, suffix, period = m.groups()
    if not dollar and not period and suffix in ("st", "nd", "rd", "th") and number.isascii() and "." not in number:
        return Fix(start, stop, f"`{literal}`: a percentile is written `p{number}`", "percentiles: `p50`, `p90`, "
                   "`p95`, `p99`, `p999` (99.9th), `max`", (("NAME", f"p{number}"),))
    if suffix in MAGNITUDE_WORDS and MAGNITUDE_WORDS[suffix] != suffix:
        size = {"k": 1e3, "M": 1e6, "B": 1e9}[MAGNITUDE_WORDS[suffix]]
        fixed = dollar + magnitude(float(number) * size) + period
        return Fix(start, stop, f"write `{fixed}`: the magnitudes are `k`, `M` and `B`", None,
                   ((kind_of(fixed), fixed),))
    if not dollar and not period and suffix in DURATION_WORDS:
        fixed = number + DURATION_WORDS[suffix]
        return Fix(start, stop, f"write `{fixed}`: `{suffix}` is not a unit of time", UNITS, (("DURATION", fixed),))
    if not dollar and not period and suffix in RATE_WORDS:
        fixed = f"{number}/{RATE_WORDS[suffix]}"
        return Fix(start, stop, f"write `{fixed}`: a rate is written with `/` and a unit of time", None,
                   (("RATE", fixed),))
    if suffix == "m" and not period:
        return Fix(start, stop, f"`m` is not a unit: write `{dollar}{number}min` (minutes), `{dollar}{number}mo` "
                   f"(months) or `{dollar}{number}M` (a million)", UNITS)
    return None
