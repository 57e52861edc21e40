"""Newcomers' mistakes, recognised where the lexer stumbles, named, and repaired.

Each function looks at the text around a character that starts no token, a
malformed literal, or a token that cannot follow the one before it (``6 h``,
``14,000,000``, ``=>``) and returns a ``Fix``: the span to report, a message
naming the mistake and a help naming what to write — in the user's own
words, the way Elm and rustc do — plus the tokens that were meant. The lexer
reports the fix and continues with those tokens, so the statement reaches the
model as intended and one mistake gives one finding, nothing downstream.
"""

from __future__ import annotations

import re
from typing import NamedTuple

NUMERIC = frozenset({"NUMBER", "PERCENT", "DURATION", "MONEY", "RATE"})

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
MAGNITUDE_WORDS = {
    **dict.fromkeys(("k", "K", "thousand"), "k"),
    **dict.fromkeys(("M", "mil", "mio", "mn", "million", "millions"), "M"),
    **dict.fromkeys(("B", "b", "bn", "billion", "billions"), "B"),
}
PERCENT_WORDS = frozenset({"percent", "pct", "per_cent"})
CURRENCY_WORDS = frozenset({"USD", "usd", "dollar", "dollars", "EUR", "eur", "euro", "euros", "GBP", "gbp"})
RATE_WORDS = {"rps": "s", "qps": "s", "tps": "s", "rpm": "min", "rph": "h", "rpd": "day"}
RANGE_WORDS = frozenset({"to", "until", "till", "through", "thru"})
CURRENCY_SIGNS = {"€": "euros", "£": "pounds", "¥": "yen"}
ODD_SPACES = {"\u00a0": "a non-breaking space", "\u2007": "a figure space", "\u202f": "a narrow no-break space",
              "\u2009": "a thin space", "\u200b": "a zero-width space", "\u2060": "a word joiner",
              "\ufeff": "a byte-order mark", "\u3000": "an ideographic space", "\u200a": "a hair space"}
CURLY_QUOTES = {"\u201c": "\u201d", "\u201e": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "`": "`"}
UNICODE_CMP = {"\u2265": ">=", "\u2264": "<=", "\u2260": "!=", "\u2a7e": ">=", "\u2a7d": "<="}
FUSED_CMP = {"=>": ">=", "=<": "<=", "<>": "!=", "=!": "!="}
DASHES = "\u2013\u2014\u2212"

_UNITS = "units of time: ms, s, min, h, d, w, mo, y; magnitudes: k, M, B; written right after the number"
_OPERATORS = "the operators are <, <=, >, >=, = and !="
_STATEMENTS = "a statement is its name and its values, separated by spaces: `timeout 60ms`"
_NAME_REST = re.compile(r"[A-Za-z0-9_]*")
_NUMBER = re.compile(r"(\$?)(\d+(?:\.\d+)?)([A-Za-z%]*)((?:/[A-Za-z]+)?)")
_EXPONENT = re.compile(r"(\d+(?:\.\d+)?)[eE]([+-]?\d+)")
_LOOSE_DATE = re.compile(r"(?:(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|\d{1,2}[-/.]\d{1,2}[-/.](?P<y2>\d{4}))"
                         r"(?![\w.])")
_YAML_ITEM = re.compile(r"^[ \t]*- +(\S+)[ \t]*$", re.M)
_THOUSANDS = re.compile(r"(?:,\d+)+(?:\.\d+)?[kMB%]?(?:/[A-Za-z]+)?")


class Fix(NamedTuple):
    """A recognised mistake: report ``start..stop`` (offsets on one line), then lex on from ``stop``.

    ``tokens`` are the ``(type, value)`` pairs meant, standing for the text
    from ``start``; with ``merge`` the previous token is part of the mistake
    and is replaced too (with ``drop``, that many tokens are). ``block`` asks the lexer to close an opened ``{``
    where the indentation returns (a YAML-style ``name:`` block).
    """

    start: int
    stop: int
    message: str
    help: str | None
    tokens: tuple[tuple[str, str], ...] = ()
    merge: bool = False
    block: bool = False
    drop: int = 0


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_name(text: str) -> bool:
    """Return whether ``text`` is written as a name (letters, digits, `_`, not starting with a digit)."""
    return _NAME.fullmatch(text) is not None


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _line(text: str, pos: int) -> str:
    """Return the start of ``pos``'s line up to ``pos``, stripped: the header a `:` follows."""
    return text[text.rfind("\n", 0, pos) + 1:pos].strip()


def magnitude(value: float) -> str:
    """Return ``value`` written the short way: 14000000 -> ``14M``, 2500 -> ``2.5k``."""
    for suffix, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size and (value / size) * 10 == int((value / size) * 10):
            return f"{value / size:g}{suffix}"
    return f"{value:g}" if value < 1e15 else str(int(value))


def _kind(literal: str) -> str:
    """Return the token type of a repaired numeric literal."""
    if literal.startswith("$"):
        return "MONEY"
    if literal.endswith("%"):
        return "PERCENT"
    if "/" in literal:
        return "RATE"
    if literal.rstrip("kMB")[-1:].isdigit():
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
                   f"(months) or `{number}M` (a million)", _UNITS)
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
    fixed = number + unit
    said = "no space between a number and its unit" if word in (unit, unit.lstrip("/")) else \
        f"the unit is `{unit}`, right after the number"
    return Fix(prev.start_pos, tok.end_pos, f"write `{fixed}`: {said}", _UNITS, ((_kind(fixed), fixed),), merge=True)


def _period(word: str) -> str:
    unit = DURATION_WORDS.get(word, word)
    return {"d": "day", "w": "week", "mo": "month", "y": "year"}.get(unit, unit)


def after_token(text: str, prev, tok, in_list: bool) -> Fix | None:
    """Return the fix for a token glued to the one before it: ``14,000,000``, ``$2,000/month``, ``=>``."""
    if tok.start_pos != prev.end_pos:
        return None
    if tok.type == "COMMA" and prev.type in NUMERIC and not in_list and text[tok.end_pos:tok.end_pos + 1].isdigit() \
            and prev.value.lstrip("$").isdigit():
        m = _THOUSANDS.match(text, tok.start_pos)
        groups = m.group().split("/")[0]
        digits = re.findall(r",(\d+)", groups)
        if all(len(g) == 3 for g in digits):
            joined = prev.value + m.group().replace(",", "")
            amount = _NUMBER.fullmatch(joined)
            short = joined
            if amount and not amount.group(3):
                short = amount.group(1) + magnitude(float(amount.group(2))) + amount.group(4)
            return Fix(prev.start_pos, m.end(), f"write `{short}`: numbers have no thousands separators",
                       "write the digits (`14000000`) or a magnitude: `k`, `M`, `B` (`14M`)",
                       ((_kind(joined), joined),), merge=True)
        decimal = prev.value + "." + m.group()[1:]
        return Fix(prev.start_pos, m.end(), f"write `{decimal}`: decimals are written with a point, not a comma",
                   None, ((_kind(decimal), decimal),), merge=True)
    if tok.type == "CMP" and prev.type == "CMP":
        fused = prev.value + tok.value
        meant = FUSED_CMP.get(fused)
        if meant:
            return Fix(prev.start_pos, tok.end_pos, f"`{fused}` is not an operator: write `{meant}`", _OPERATORS,
                       (("CMP", meant),), merge=True)
    return None


def bad_char(text: str, pos: int, statement: list) -> Fix | None:
    """Return the fix for a character that starts no token, or ``None`` for a plain "unexpected".

    ``statement`` holds the tokens of the statement so far, on this line.
    """
    prev = statement[-1] if statement else None
    statement_start = len(statement) == 1
    char = text[pos]
    eol = text.find("\n", pos)
    eol = len(text) if eol < 0 else eol
    glued = prev is not None and prev.end_pos == pos
    nxt = text[pos + 1:pos + 2]
    if char in ODD_SPACES:
        return Fix(pos, pos + 1, f"replace {ODD_SPACES[char]} (U+{ord(char):04X}) with a plain space",
                   "it was probably pasted from a document or a chat")
    if char == "'" or char in CURLY_QUOTES:
        close = "'" if char == "'" else CURLY_QUOTES[char]
        end = text.find(close, pos + 1, eol)
        if end < 0 and char != "'":
            end = text.find('"', pos + 1, eol)
        stop = eol if end < 0 else end + 1
        body = text[pos + 1:stop - (0 if end < 0 else 1)].replace("\\", "\\\\").replace('"', '\\"')
        what = "single quotes" if char == "'" else "backticks" if char == "`" else "curly quotes"
        return Fix(pos, stop, f'write "{_short(body)}": strings are in straight double quotes, not {what}',
                   None, (("STRING", f'"{body}"'),))
    if char == "/" and prev is not None and prev.type in ("NUMBER", "MONEY") and not text[prev.end_pos:pos].strip():
        m = re.compile(r"/\s*([A-Za-z]+)").match(text, pos)
        if m:
            fixed = f"{prev.value}/{m.group(1)}"
            return Fix(prev.start_pos, m.end(), f"write `{fixed}`: no spaces around `/`", None,
                       (("MONEY" if prev.type == "MONEY" else "RATE", fixed),), merge=True)
    if char == "-" and not statement and nxt == " ":
        return Fix(pos, pos + 1, "remove the `-`: a statement is not a list item", _STATEMENTS)
    if char in UNICODE_CMP:
        return Fix(pos, pos + 1, f"`{char}` is not an operator: write `{UNICODE_CMP[char]}`", _OPERATORS,
                   (("CMP", UNICODE_CMP[char]),))
    if (char == "-" or char in DASHES) and prev is not None and prev.type == "DATE":
        return Fix(pos, pos + 1, f"write `..` instead of `{char}` between the dates of a range",
                   "a date range is written `2025-01-01 .. 2025-06-30`", (("_DOTDOT", ".."),))
    if char == "." and prev is not None and prev.type == "_DOTDOT" and glued:
        return Fix(pos, pos + 1, "remove the third `.`: a range is written with two dots, `..`", None)
    if char == "/" and nxt in "/*" or char == "-" and nxt == "-" and text[pos:pos + 3] != "---":
        return Fix(pos, eol, f"comments start with `#`, not `{char}{nxt}`: write `#` instead", None)
    text_fix = unquoted_text(text, pos, statement)
    if text_fix is not None:
        return text_fix
    if char in "-./" and glued and prev.type == "NAME" and _NAME_REST.match(text, pos + 1).end() > pos + 1:
        stop = pos
        while stop < eol and text[stop] in "-./" and text[stop + 1:stop + 2].strip() and \
                _NAME_REST.match(text, stop + 1).end() > stop + 1:
            stop = _NAME_REST.match(text, stop + 1).end()
        written = prev.value + text[pos:stop]
        if written.endswith(".dsspec") or "/" in written:
            return Fix(prev.start_pos, stop, f'write "{written}": a path is text, in double quotes', None,
                       (("STRING", f'"{written}"'),), merge=True)
        if "." in written:
            head = written.split(".")[0]
            return Fix(prev.start_pos, stop, f"`{written}`: a name has no `.`; write `{head}`, or "
                       f"`{written.replace('.', '_')}` as one name", None, (("NAME", head),), merge=True)
        fixed = written.replace("-", "_")
        return Fix(prev.start_pos, stop, f"write `{fixed}`: a name is one word of letters, digits and `_`", None,
                   (("NAME", fixed),), merge=True)
    if char == "." and nxt.isdigit() and not glued:
        m = re.compile(r"\.\d+[kMB%]?").match(text, pos)
        fixed = "0" + m.group()
        return Fix(pos, m.end(), f"write `{fixed}`: a number starts with a digit", None, ((_kind(fixed), fixed),))
    if char == "." and glued and prev.type == "NUMBER":
        m = _EXPONENT.match(text, prev.start_pos)
        if m:
            return exponent(m.group(), prev.start_pos, m.end(), merge=True)
    if char == "%" and prev is not None and prev.type == "NUMBER" and not text[prev.end_pos:pos].strip():
        fixed = prev.value + "%"
        return Fix(prev.start_pos, pos + 1, f"write `{fixed}`: no space between a number and `%`", None,
                   (("PERCENT", fixed),), merge=True)
    if char in CURRENCY_SIGNS:
        m = _NUMBER.match(text, pos + 1)
        fixed = "$" + (m.group() if m else "")
        return Fix(pos, m.end() if m else pos + 1, f"write `{fixed if m else '$'}`: amounts of money are in dollars, "
                   f"with `$`", f"dsspec compares costs in one currency; convert from {CURRENCY_SIGNS[char]}",
                   (("MONEY", fixed),) if m else ())
    if char == ":":
        rest = text[pos + 1:eol].split("#")[0].split("}")[0].strip()
        ahead = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*").match(text, pos + 1).end()
        if prev is not None and prev.type == "NAME" and not rest and text.startswith("- ", ahead):
            items = ", ".join(_YAML_ITEM.findall(text[ahead:].split("\n\n")[0]))
            return Fix(pos, pos + 1, f"write `{_line(text, pos)} [{_short(items)}]`: a list is written in square "
                       "brackets, not as `- ` lines", None, (("LSQB", "["),), block=True)
        if prev is not None and prev.type in ("NAME", "STRING") and not rest:
            return Fix(pos, pos + 1, f"write `{_line(text, pos)} {{` and close the block with `}}`: blocks are "
                       "in braces, not after `:`", "a block is written `name value {`, its statements, then `}`",
                       (("LBRACE", "{"),), block=True)
        if prev is not None and statement_start and prev.type == "STRING":
            name = prev.value[1:-1]
            return Fix(prev.start_pos, pos + 1, f"write `{name} {_short(rest.rstrip(','))}`: a statement's name "
                       "has no quotes and no `:`", _STATEMENTS, (("NAME", name),), merge=True)
        if prev is not None and statement_start and prev.type == "NAME":
            return Fix(pos, pos + 1, f"write `{prev.value} {_short(rest)}`: no `:` after a statement's name",
                       _STATEMENTS)
    if char == "(":
        return Fix(pos, pos + 1, "write `[`: lists are in square brackets, `[a, b]`", None, (("LSQB", "["),))
    if char == ")":
        return Fix(pos, pos + 1, "write `]`: lists are in square brackets, `[a, b]`", None, (("RSQB", "]"),))
    return None


_TEXTY = frozenset("-.'!?,:()&/")


def unquoted_text(text: str, pos: int, statement: list) -> Fix | None:
    """Return the fix for text written without quotes (``title Weekly churn-risk list``), else ``None``.

    It is text when the statement's values so far are names on this line and
    the character at ``pos`` cannot be part of a name, and either two words
    came before it, more words follow, or the first word is capitalised.
    """
    if text[pos] not in _TEXTY or len(statement) < 2 or any(t.type != "NAME" for t in statement):
        return None
    first = statement[1]
    if any(t.line != first.line for t in statement):
        return None
    eol = text.find("\n", pos)
    line = text[first.start_pos:len(text) if eol < 0 else eol]
    body = line.split(" #")[0].split("}")[0].rstrip()
    after = text[pos + 1:first.start_pos + len(body)]
    more_words = bool(re.search(r"[-.'!?,:()&/]?\s+\S", after))
    if not (len(statement) >= 3 or more_words or first.value[:1].isupper()) or body.endswith("{") or '"' in body:
        return None
    quoted = '"' + body.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return Fix(first.start_pos, first.start_pos + len(body),
               f"write `{statement[0].value} {_short(quoted)}`: text is written in double quotes", None,
               (("STRING", quoted),), merge=True, drop=len(statement) - 1)


def loose_date(text: str, pos: int) -> Fix | None:
    """Return the fix for a date not written ``YYYY-MM-DD`` (``2024-6-1``, ``2024/06/01``, ``01/06/2024``)."""
    m = _LOOSE_DATE.match(text, pos)
    if not m:
        return None
    if m.group("y"):
        fixed = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        if fixed == m.group():
            return None
        return Fix(pos, m.end(), f"write `{fixed}`: dates are written year-month-day, `YYYY-MM-DD`", None,
                   (("DATE", fixed),))
    return Fix(pos, m.end(), f"`{m.group()}`: write dates year-month-day, e.g. `{m.group('y2')}-01-31`", None)


def exponent(literal: str, start: int, stop: int, merge: bool = False) -> Fix:
    """Return the fix for ``1e6``-style numbers: written with a magnitude instead."""
    m = _EXPONENT.fullmatch(literal)
    value = float(m.group(1)) * 10 ** int(m.group(2))
    short = magnitude(value)
    plain = short if short[-1] in "kMB" else f"{value:g}"
    return Fix(start, stop, f"write `{short}`: numbers have no exponents", "large numbers take a magnitude: "
               "`k` (10^3), `M` (10^6), `B` (10^9)", ((_kind(plain), plain),), merge=merge)


def bad_literal(text: str, start: int, stop: int, prev) -> Fix | None:
    """Return the fix for a malformed literal ``text[start:stop]`` (``60days``, ``4hr``, ``$2K``, ``1e6``)."""
    literal = text[start:stop]
    spaced = re.compile(r"\$\s+(\d[\w.]*(?:/[A-Za-z]+)?)").match(text, start)
    if literal == "$" and spaced:
        fixed = "$" + spaced.group(1)
        return Fix(start, spaced.end(), f"write `{fixed}`: no space after `$`", None, (("MONEY", fixed),))
    if literal.startswith("$") and prev is not None and prev.type == "NUMBER" and prev.end_pos == start:
        fixed = "$" + prev.value + literal[1:]
        return Fix(prev.start_pos, stop, f"write `{fixed}`: the `$` goes before the amount", None,
                   (("MONEY", fixed),), merge=True)
    if _EXPONENT.fullmatch(literal):
        return exponent(literal, start, stop)
    m = _NUMBER.fullmatch(literal)
    if not m:
        if re.fullmatch(r"\d+_\w*", literal):
            better = f"{literal.lstrip('0123456789_')}_{literal.split('_')[0]}"
            return Fix(start, stop, f"`{literal}`: a name cannot start with a digit; write e.g. `{better}`", None)
        return None
    dollar, number, suffix, period = m.groups()
    if suffix in MAGNITUDE_WORDS and MAGNITUDE_WORDS[suffix] != suffix:
        size = {"k": 1e3, "M": 1e6, "B": 1e9}[MAGNITUDE_WORDS[suffix]]
        fixed = dollar + magnitude(float(number) * size) + period
        return Fix(start, stop, f"write `{fixed}`: the magnitudes are `k`, `M` and `B`", None,
                   ((_kind(fixed), fixed),))
    if not dollar and not period and suffix in DURATION_WORDS:
        fixed = number + DURATION_WORDS[suffix]
        return Fix(start, stop, f"write `{fixed}`: `{suffix}` is not a unit of time", _UNITS, (("DURATION", fixed),))
    if not dollar and not period and suffix in RATE_WORDS:
        fixed = f"{number}/{RATE_WORDS[suffix]}"
        return Fix(start, stop, f"write `{fixed}`: a rate is written with `/` and a unit of time", None,
                   (("RATE", fixed),))
    if suffix == "m" and not period:
        return Fix(start, stop, f"`m` is not a unit: write `{dollar}{number}min` (minutes), `{dollar}{number}mo` "
                   f"(months) or `{dollar}{number}M` (a million)", _UNITS)
    return None
