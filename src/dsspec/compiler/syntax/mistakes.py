"""Characters that start no token, recognised as newcomers' mistakes, named, and repaired.

``bad_char`` looks at the text around a character the lexer cannot start a
token with — quotes of another kind, `:` after a name (YAML), a quoted key
(JSON), a dash or dot in a name, ``//`` comments, a pasted non-breaking space,
unicode operators — and returns the ``Fix``: the span to report, a message
naming what to write, in the user's terms (Elm's and rustc's standard), and
the tokens that were meant, so the statement reaches the model as intended
and one mistake gives one finding.
"""

from __future__ import annotations

import re
import unicodedata

from dsspec.compiler.syntax.grammar import token_pattern
from dsspec.compiler.syntax.fix import OPERATORS, STATEMENTS, Fix, line_before, short
from dsspec.compiler.syntax.literals import DIGITS, EXPONENT_LITERAL, NUMBER_LITERAL, exponent_in, kind_of

CURRENCY_SIGNS = {"€": "euros", "£": "pounds", "¥": "yen"}
ODD_SPACES = {"\u00a0": "a non-breaking space", "\u2007": "a figure space", "\u202f": "a narrow no-break space",
              "\u2009": "a thin space", "\u200b": "a zero-width space", "\u2060": "a word joiner",
              "\ufeff": "a byte-order mark", "\u3000": "an ideographic space", "\u200a": "a hair space"}
CURLY_QUOTES = {"\u201c": "\u201d", "\u201e": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "`": "`"}
UNICODE_CMP = {"\u2265": ">=", "\u2264": "<=", "\u2260": "!=", "\u2a7e": ">=", "\u2a7d": "<="}
DASHES = "\u2013\u2014\u2212"

_NAME_REST = re.compile(r"[A-Za-z0-9_]*")
_YAML_ITEM = re.compile(r"^[ \t]*- +(\S+)[ \t]*$", re.M)


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
    if _odd_digit(char):
        return odd_digits(text, pos, eol, prev if glued else None)
    if char == "." and glued and prev.type == "NAME" and re.fullmatch(r"p[0-9]+", prev.value):
        point = re.compile(r"\.([0-9]+)(?![A-Za-z0-9_.])").match(text, pos)
        if point:  # `p99.9`: the percentile is written without its point
            fixed = prev.value + point.group(1)
            return Fix(prev.start_pos, point.end(), f"write `{fixed}`: a percentile is written without its point",
                       "`p999` is the 99.9th percentile", (("NAME", fixed),), merge=True)
    if char in "%/" and prev is not None and prev.type == "NUMBER" and prev.value.startswith("-") and \
            glued:  # `-6%`, `-1.2M/week`: the number took the sign
        fix = negative(text, prev.start_pos, merge=True)
        if fix is not None:
            return fix
    if char in ODD_SPACES:
        return Fix(pos, pos + 1, f"replace {ODD_SPACES[char]} (U+{ord(char):04X}) with a plain space",
                   "it was probably pasted from a document or a chat")
    if char == "'" and glued and prev.type == "NAME":  # an apostrophe in a word: text without its quotes
        text_fix = unquoted_text(text, pos, statement)
        if text_fix is not None:
            return text_fix
    if char == "'" or char in CURLY_QUOTES:
        close = "'" if char == "'" else CURLY_QUOTES[char]
        end = text.find(close, pos + 1, eol)
        if end < 0 and char != "'":
            end = text.find('"', pos + 1, eol)
        stop = eol if end < 0 else end + 1
        body = text[pos + 1:stop - (0 if end < 0 else 1)].replace("\\", "\\\\").replace('"', '\\"')
        what = "single quotes" if char == "'" else "backticks" if char == "`" else "curly quotes"
        return Fix(pos, stop, f'write "{short(body)}": strings are in straight double quotes, not {what}',
                   None, (("STRING", f'"{body}"'),))
    if char == "/" and prev is not None and prev.type in ("NUMBER", "MONEY") and not text[prev.end_pos:pos].strip():
        m = re.compile(r"/\s*([A-Za-z]+)").match(text, pos)
        if m:
            fixed = f"{prev.value}/{m.group(1)}"
            return Fix(prev.start_pos, m.end(), f"write `{fixed}`: no spaces around `/`", None,
                       (("MONEY" if prev.type == "MONEY" else "RATE", fixed),), merge=True)
    if char == "-" and not statement and nxt == " ":
        return Fix(pos, pos + 1, "remove the `-`: a statement is not a list item", STATEMENTS)
    if (char == "-" or char in DASHES) and (nxt == "$" or nxt in DIGITS) and not (prev and prev.type == "DATE"):
        return negative(text, pos)
    if char in UNICODE_CMP:
        return Fix(pos, pos + 1, f"`{char}` is not an operator: write `{UNICODE_CMP[char]}`", OPERATORS,
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
    if char == "." and nxt in DIGITS and not glued:
        m = re.compile(r"\.[0-9]+[kMB%]?").match(text, pos)
        fixed = "0" + m.group()
        return Fix(pos, m.end(), f"write `{fixed}`: a number starts with a digit", None, ((kind_of(fixed), fixed),))
    if char == "." and glued and prev.type == "NUMBER":
        m = EXPONENT_LITERAL.match(text, prev.start_pos)
        if m:
            return exponent_in(text, prev.start_pos, m.end(), merge=True)
    if char == "%" and prev is not None and prev.type == "NUMBER" and not text[prev.end_pos:pos].strip():
        fixed = prev.value + "%"
        return Fix(prev.start_pos, pos + 1, f"write `{fixed}`: no space between a number and `%`", None,
                   (("PERCENT", fixed),), merge=True)
    if char in CURRENCY_SIGNS:
        m = NUMBER_LITERAL.match(text, pos + 1)
        fixed = "$" + (m.group() if m else "")
        return Fix(pos, m.end() if m else pos + 1, f"write `{fixed if m else '$'}`: amounts of money are in dollars, "
                   f"with `$`", f"dsspec compares costs in one currency; convert from {CURRENCY_SIGNS[char]}",
                   (("MONEY", fixed),) if m else ())
    if char == ":":
        rest = text[pos + 1:eol].split("#")[0].split("}")[0].strip()
        ahead = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*").match(text, pos + 1).end()
        if prev is not None and prev.type == "NAME" and not rest and text.startswith("- ", ahead):
            items = ", ".join(_YAML_ITEM.findall(text[ahead:].split("\n\n")[0]))
            return Fix(pos, pos + 1, f"write `{line_before(text, pos)} [{short(items)}]`: a list is written in square "
                       "brackets, not as `- ` lines", None, (("LSQB", "["),), block=True)
        if prev is not None and prev.type in ("NAME", "STRING") and not rest:
            return Fix(pos, pos + 1, f"write `{line_before(text, pos)} {{` and close the block with `}}`: blocks are "
                       "in braces, not after `:`", "a block is written `name value {`, its statements, then `}`",
                       (("LBRACE", "{"),), block=True)
        if prev is not None and statement_start and prev.type == "STRING":
            name = prev.value[1:-1]
            return Fix(prev.start_pos, pos + 1, f"write `{name} {short(_as_value(rest.rstrip(','), name))}`: a "
                       "statement's name has no quotes and no `:`", STATEMENTS, (("NAME", name),), merge=True)
        if prev is not None and statement_start and prev.type == "NAME":
            return Fix(pos, pos + 1, f"write `{prev.value} {short(_as_value(rest, prev.value))}`: no `:` after a statement's "
                       "name", STATEMENTS)
    if char.isalpha():  # a letter outside ASCII: names are ASCII, text goes in a string
        stop = pos
        while stop < eol and (text[stop].isalnum() or text[stop] == "_"):
            stop += 1
        return Fix(pos, stop, f"`{text[pos:stop]}` is not a name: names are ASCII letters, digits and `_`; write "
                   "it in ASCII, or put text in double quotes", None)
    if char == "(":
        return Fix(pos, pos + 1, "write `[`: lists are in square brackets, `[a, b]`", None, (("LSQB", "["),))
    if char == ")":
        return Fix(pos, pos + 1, "write `]`: lists are in square brackets, `[a, b]`", None, (("RSQB", "]"),))
    return None


def _odd_digit(char: str) -> bool:
    """Return whether ``char`` is a decimal digit of another script (a full-width `２`, an Arabic-Indic `٢`).
    A superscript `²` is no decimal digit: it is a power, not a digit of the number."""
    return char not in DIGITS and unicodedata.decimal(char, None) is not None


def odd_digits(text: str, pos: int, eol: int, glued) -> Fix:
    """Return the fix for a literal with digits of another script: each becomes the ASCII digit of the
    same value, so `1２h` is `12h` (never `1h`: dropping the digit would change the number)."""
    start = glued.start_pos if glued is not None else pos
    stop = pos
    while stop < eol and (text[stop] in DIGITS or _odd_digit(text[stop]) or text[stop].isascii()
                          and (text[stop].isalpha() or text[stop] in "._%/$")):
        stop += 1
    fixed = "".join(str(unicodedata.decimal(c)) if _odd_digit(c) else c for c in text[start:stop])
    token = token_pattern().fullmatch(fixed)
    return Fix(start, stop, f"non-ASCII digit `{text[pos]}` (U+{ord(text[pos]):04X}): write `{fixed}`",
               "digits are ASCII `0`-`9`; this one was probably typed with a full-width or another script's keyboard",
               ((token.lastgroup, fixed),) if token else (), merge=glued is not None)


def _as_value(rest: str, key: str = "") -> str:
    """Return the values after a `key:` as they should be written: a list in brackets, words in quotes.

    A JSON habit quotes every value: a quoted word or typed value (``"table"``,
    ``"1d"``, ``"$2k/month"``) of a statement that takes no text loses its quotes.
    """
    if key and re.fullmatch(r'"[^"\\]*"', rest) and key not in TEXT_STATEMENTS:
        one = token_pattern().fullmatch(rest[1:-1])
        if one is not None and one.lastgroup not in ("STRING", "LONG_STRING") and one.group().strip():
            return rest[1:-1]
    if "," in rest and not rest.startswith(("[", '"')):
        return f"[{rest}]"
    if re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+){2,}", rest):
        return f'"{rest}"'
    return rest


TEXT_STATEMENTS = frozenset({
    "adversarial", "alert", "censored_by", "check", "cold_start", "correction", "decide", "default",
    "description", "duplicates", "fallback", "for", "guard", "improves", "include", "manual", "non_goal",
    "owner", "pretrained", "problem", "provenance", "provider", "reason", "region", "rollback", "sandbox",
    "scope", "selected_by", "stakeholder", "stop", "suite", "system_prompt", "title", "today", "tuned_on",
    "uncertainty", "user", "version", "within",
})
"""The statements that may take text (a string) in some block. The schema (a stage above syntax) is the
truth; a test derives this set from it and fails, naming what to add, when a statement is added there."""


STATEMENTS_NAMED = frozenset({
    "accelerator", "acceptable", "adversarial", "after_outcome", "alert", "at", "audience", "baseline",
    "better", "budget", "calibrated", "calls", "canary", "censored_by", "check", "chosen", "cold_start",
    "confirm", "context_window", "correction", "cost", "decide", "default", "description", "drift",
    "duplicates", "duration", "ecosystem", "effect", "entity", "error_cost", "evaluation", "experiment",
    "exploration", "fallback", "fields", "for", "freshness", "from", "gets", "goal", "guard", "guardrails",
    "hardware", "improves", "include", "input", "kind", "known_at", "label_delay", "labels", "ladder",
    "latency", "load", "logged_by", "manual", "max_steps", "metric", "metrics", "minority_share", "mode",
    "model", "monitoring", "non_goal", "operator", "optimal", "output", "owner", "params", "pii", "population",
    "pretrained", "primary", "problem", "product", "prompt_secrets", "propensities", "protected", "provenance",
    "provider", "proxies", "proxy_for", "quantisation", "reads", "reason", "region", "replicas", "retention",
    "review", "review_capacity", "review_share", "rollback", "rollout", "rows", "sandbox", "schedule", "scope",
    "selected_by", "serving", "shadow", "share", "slices", "source", "split", "stakeholder", "status", "step",
    "stop", "success", "suite", "system_prompt", "task", "test_size", "timeout", "title", "to", "today",
    "tokens_in", "tokens_out", "tool", "tools", "track", "training", "trains_on_data", "trust", "tuned_on",
    "type", "uncertainty", "use", "user", "version", "volume", "window", "within", "worst", "writes",
    "zero_share",
})
"""Every statement name of the schema, kept equal to it by a test: after a `,` outside a list, one of these
starts another statement (write `;`), any other word is one more value of the same statement (drop the `,`)."""
STATEMENT_KEYWORDS = {"canary": frozenset({"for"}), "hardware": frozenset({"gpu"}), "load": frozenset({"peak"}),
                      "review": frozenset({"by", "cases"}), "rollback": frozenset({"when"}),
                      "to": frozenset({"through"}), "track": frozenset({"delayed"})}
"""The words inside a statement (`load 40/s peak 160/s`), kept equal to the schema's by a test."""


def comma_in_statement(text: str, comma: int, statement: list) -> Fix | None:
    """Return the fix for a `,` between two values of one statement (``load 40/s, peak 160/s``), else ``None``.

    The statement is one the language knows and takes no text; what follows
    the comma is a value or a word of that statement (a keyword such as
    `peak`, an option such as `decrease`), not the name of another statement.
    The fix drops the comma: writing `;` instead would cut the statement.
    """
    if len(statement) < 2 or statement[0].type != "NAME" or statement[0].value not in STATEMENTS_NAMED or \
            statement[0].value in TEXT_STATEMENTS or any(t.line != statement[0].line for t in statement):
        return None
    name = statement[0].value
    after = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*|[^\sA-Za-z_#;}]+)").match(text, comma + 1)
    if after is None:
        return None
    word = after.group(1)
    if word in STATEMENT_KEYWORDS.get(name, ()):
        why = f"`{word}` belongs to the `{name}` statement"
    elif word[0].isalpha() or word[0] == "_":
        if word in STATEMENTS_NAMED:
            return None  # another statement: `;` is right
        why = "the values of a statement are separated by spaces"
    else:
        why = "the values of a statement are separated by spaces"
    return Fix(comma, comma + 1, f"remove the `,`: {why}", None, ())


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
               f"write `{statement[0].value} {short(quoted)}`: text is written in double quotes", None,
               (("STRING", quoted),), merge=True, drop=len(statement) - 1)


NEVER_NEGATIVE = {
    "MONEY": ("an amount of money", "a budget, a cost or a price is what is spent; a saving is a goal: "
              "`goal serving_cost decrease $3k/month`"),
    "DURATION": ("a duration", "a duration is how long something takes or waits"),
    "PERCENT": ("a percentage", "a share is a part of a whole; a fall is a goal's direction: `goal churn decrease 5%`"),
    "RATE": ("a rate", "a rate counts events per unit of time"),
}


def negative(text: str, pos: int, merge: bool = False) -> Fix | None:
    """Return the fix for a minus sign before money, a duration, a percentage or a rate (``-$3k/month``).

    None of these is ever negative: the message says to remove the sign and
    the statement is read as if it were gone, but no automatic fix drops it,
    since a sign the user wrote is a meaning only they can correct.
    """
    m = NUMBER_LITERAL.match(text, pos + 1)
    if m is None or not m.group():
        return None
    literal = m.group()
    token = token_pattern().fullmatch(literal)
    kind = token.lastgroup if token else kind_of(literal)
    if kind not in NEVER_NEGATIVE:
        return None
    what, why = NEVER_NEGATIVE[kind]
    goal = re.search(r"(?<![\w])(increase|decrease)[ \t]*$", text[:pos])
    if goal:  # `goal churn increase -40%` means a fall: dropping the sign alone would flip it
        other = "decrease" if goal.group(1) == "increase" else "increase"
        return Fix(pos, m.end(), f"a goal's amount is never negative: `{goal.group(1)} -{literal}` is "
                   f"`{other} {literal}`; write that", "the direction says which way the KPI moves",
                   ((kind, literal),) if token else (), merge=merge)
    return Fix(pos, m.end(), f"remove the `{text[pos]}`: {what} is never negative; write `{literal}`", why,
               ((kind, literal),) if token else (), merge=merge)
