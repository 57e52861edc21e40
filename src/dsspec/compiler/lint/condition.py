"""Conditions of custom rules: CEL expressions over the design model, compiled, checked and evaluated.

The language is the Common Expression Language (CEL), evaluated by the Rust
implementation behind the ``common-expression-language`` package, imported only
when a configuration declares a custom rule. A condition sees the design as
the JSON output documents it (``dsspec schema``): ``spec`` is the resolved
design (the file's sections with its includes' declarations after them) and
the element the rule is ``on`` is bound under its kind (``model``, ``source``...).
Spans are left out: they say where, not what.

Why CEL (measured on the search-ranking design, 50 conditions; see
docs/team-rules.md): the Rust-backed CEL evaluates 50 conditions in about
1.5 ms once the design is converted (about 2 ms), cel-python takes about 900 ms,
JMESPath about 4 ms but has no arithmetic, no `&&` over comparisons of
durations and reports errors without a column. CEL cannot loop, recurse, read a
file or call out; its regular expressions run in linear time. What it can do
is nest comprehensions over lists, whose cost multiplies: ``check`` refuses a
condition longer than ``MAX_LENGTH`` or nesting comprehensions deeper than
``MAX_NESTING``, and ``Condition.affordable`` skips one whose worst case on a
given design exceeds ``MAX_STEPS``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MAX_LENGTH = 4000
"""Longest condition, in characters."""
MAX_NESTING = 3
"""Deepest nesting of comprehensions (``all``, ``exists``, ``exists_one``, ``map``, ``filter``)."""
MAX_STEPS = 10_000_000
"""Largest worst case a condition may cost on one design: (longest list) ** (nesting + 1)."""

KINDS = {  # kind a rule is `on` -> (field of the design, is a list)
    "spec": (None, False), "product": ("product", False), "ecosystem": ("ecosystem", False),
    "operator": ("operator", False), "source": ("sources", True), "input": ("inputs", True),
    "output": ("outputs", True), "model": ("models", True), "training": ("training", True),
    "evaluation": ("evaluation", True), "serving": ("serving", True), "monitoring": ("monitoring", True),
    "metric": ("metrics", True), "rollout": ("rollout", True), "audience": ("audiences", True),
}
MACROS = ("all", "exists", "exists_one", "map", "filter")
FUNCTIONS = ("size", "has", "int", "uint", "double", "string", "bytes", "type", "dyn", "duration", "timestamp",
             "contains", "startsWith", "endsWith", "matches", *MACROS)
"""The functions the CEL implementation provides (its string extensions, `lowerAscii` and the like, it does not)."""
_SKIP = frozenset({"span", "spans", "header"})
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_CHAIN = re.compile(r"(?<![\w.])([A-Za-z_]\w*)((?:\s*\.\s*[A-Za-z_]\w*)+)(\s*\()?")
_BOUND = re.compile(r"\b(?:" + "|".join(MACROS) + r")\s*\(\s*([A-Za-z_]\w*)\s*,")


@functools.cache
def node_fields() -> dict[str, frozenset[str]]:
    """Return the field names (as the JSON output spells them) of every node class, by class name."""
    from dsspec.compiler.model import nodes, values

    out = {}
    for mod in (nodes, values):
        for name, cls in vars(mod).items():
            if isinstance(cls, type) and issubclass(cls, values.Node) and cls.__module__ == mod.__name__:
                out[name] = frozenset((f.alias or n) for n, f in cls.model_fields.items() if n not in _SKIP)
    return out


def kind_fields(kind: str) -> frozenset[str]:
    """Return the fields of the node a kind's variable holds (``spec``: the design's sections)."""
    cls = {"spec": "Spec", "product": "Product", "ecosystem": "Ecosystem", "operator": "Operator",
           "source": "Source", "input": "Input", "output": "Output", "model": "Model", "training": "Training",
           "evaluation": "Evaluation", "serving": "Serving", "monitoring": "Monitoring", "metric": "Metric",
           "rollout": "Rollout", "audience": "Audience"}[kind]
    return node_fields()[cls]


@dataclass(frozen=True)
class Problem:
    """Why a condition cannot be used: a message, a help, and the text it is about (to locate it)."""

    message: str
    help: str | None = None
    near: str | None = None


def _blank(text: str) -> str:
    """Return ``text`` with string literals replaced by spaces of the same length (positions kept)."""
    return _STRINGS.sub(lambda m: " " * len(m.group()), text)


def nesting(text: str) -> int:
    """Return how deeply comprehensions nest in a condition (``xs.exists(x, ys.all(y, ...))`` is 2)."""
    blank = _blank(text)
    opens = {m.end() - 1 for m in re.finditer(r"\.\s*(?:" + "|".join(MACROS) + r")\s*\(", blank)}
    stack: list[bool] = []
    depth = deepest = 0
    for i, ch in enumerate(blank):
        if ch == "(":
            macro = i in opens
            stack.append(macro)
            depth += macro
            deepest = max(deepest, depth)
        elif ch == ")" and stack:
            depth -= stack.pop()
    return deepest


def check(text: str, kind: str) -> Problem | None:
    """Return why ``text`` cannot be the condition of a rule on ``kind``, or ``None`` when it can.

    Compiles it, then checks every name against the design model: variables
    (``spec``, the kind, comprehension variables), fields after a ``.``
    (against the node the variable holds when it is ``spec`` or the kind,
    otherwise against every node's fields) and functions.
    """
    from dsspec.base.suggestions import suggest

    if not text.strip():
        return Problem("the condition is empty", "write a CEL expression that is true where the rule should fire")
    if len(text) > MAX_LENGTH:
        return Problem(f"the condition is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed",
                       "split it into several rules")
    depth = nesting(text)
    if depth > MAX_NESTING:
        return Problem(f"the condition nests comprehensions {depth} deep; at most {MAX_NESTING} are allowed "
                       "(each level multiplies the work by the length of a list)",
                       "split it into several rules, or test membership with `in` instead of a nested `exists`")
    try:
        program = _compile(text)
    except Exception as err:  # the library raises ValueError with CEL's own located message
        first = str(err).split("\n")
        detail = next((line.split("ERROR: <input>:", 1)[1] for line in first if "ERROR: <input>:" in line), first[0])
        return Problem(f"the condition does not compile: {detail.strip()[:300]}",
                       "CEL syntax: `&&`, `||`, `!`, `==`, `in`, `size(x)`, `xs.exists(x, ...)`; strings in quotes")
    blank = _blank(text)
    bound = set(_BOUND.findall(blank))
    names = {"spec", kind} | bound
    refs = program.references()
    for var in refs.get("variables", []):
        if var not in names:
            hint = suggest(var, sorted(names))
            return Problem(f"the condition names `{var}`, which is not a variable here"
                           + (f"; did you mean `{hint}`?" if hint else ""),
                           f"a rule on `{kind}` sees `spec` and `{kind}`" if kind != "spec" else "a rule on `spec` sees `spec`",
                           near=var)
    for fn in refs.get("functions", []):
        if fn[0].isalpha() and fn not in FUNCTIONS:
            hint = suggest(fn, FUNCTIONS)
            return Problem(f"the condition calls `{fn}`, which CEL does not have here"
                           + (f"; did you mean `{hint}`?" if hint else ""),
                           "for a case-blind match write `x.matches(\"(?i)payment\")`", near=fn)
    every = frozenset().union(*node_fields().values())
    for m in _CHAIN.finditer(blank):
        root = m.group(1)
        members = [x.strip() for x in m.group(2).split(".")[1:]]
        if m.group(3):  # the last member is called: a method, checked as a function above
            members = members[:-1]
        for i, member in enumerate(members):
            known = kind_fields(root) if i == 0 and root in ("spec", kind) else every
            if member in known:
                continue
            where = f"`{root}`" if i == 0 and root in ("spec", kind) else "the design model"
            hint = suggest(member, sorted(known))
            return Problem(f"the condition reads field `{member}`, which {where} does not have"
                           + (f"; did you mean `{hint}`?" if hint else ""),
                           "`dsspec schema` documents every field; names are as in the JSON output", near=member)
    return None


@functools.lru_cache(maxsize=4096)
def _compile(text: str):
    import cel

    return cel.compile(text)


def needs(kind: str) -> set[str]:
    """Return the design fields ``wrapped`` reads for a rule on ``kind``."""
    field, _ = KINDS[kind]
    return {field} if field else set()


@functools.lru_cache(maxsize=4096)
def _program(text: str, kind: str):
    """Return the compiled program of ``wrapped(text, kind)`` (keyed by the condition: its hash is cached)."""
    return _compile(wrapped(text, kind))


@functools.lru_cache(maxsize=64)
def _batch(conditions: tuple[tuple[str, str], ...]):
    """Return one program that evaluates every ``(condition, kind)``: a list of ``wrapped`` results."""
    return _compile("[" + ", ".join(wrapped(text, kind) for text, kind in conditions) + "]")


def wrapped(text: str, kind: str) -> str:
    """Return the program that evaluates ``text`` once per element of ``kind``: a list of results."""
    field, many = KINDS[kind]
    if field is None:
        return f"[({text})]"
    if many:
        return f"spec.{field}.map({kind}, ({text}))"
    return f"spec.{field} == null ? [] : [spec.{field}].map({kind}, ({text}))"


def members(texts) -> frozenset[str] | None:
    """See ``_members``; cached per set of conditions (a run checks many specs under one configuration)."""
    return _members(tuple(texts))


@functools.lru_cache(maxsize=256)
def _members(texts: tuple[str, ...]) -> frozenset[str] | None:
    """Return every field name the conditions ``texts`` can read, or ``None`` when one may read any.

    A field is read only by name after a ``.`` (or inside ``has(...)``, also after a ``.``); a
    condition that indexes with ``[...]`` after a name, or uses ``spec`` whole, may read any field.
    """
    out: set[str] = set()
    for text in texts:
        blank = _blank(text)
        if re.search(r"[\w)\]]\s*\[", blank) or re.search(r"\bspec\b(?!\s*\.)", blank):
            return None
        out.update(re.findall(r"\.\s*([A-Za-z_]\w*)", blank))
    return frozenset(out)


def to_data(x, keep: frozenset[str] | None = None, longest: list[int] | None = None):
    """Return a model node as plain data, as the JSON output has it (aliases, no spans); with ``keep``,
    only the nodes' fields named in it (what the conditions read), which is what makes conversion cheap."""
    if isinstance(x, (str, bool, int, float)) or x is None:
        return x
    if isinstance(x, (list, tuple)):
        if longest is not None and len(x) > longest[0]:
            longest[0] = len(x)
        return [to_data(v, keep, longest) for v in x]
    fields = _fields(type(x))
    if fields is not None:
        return {key: to_data(getattr(x, n), keep, longest) for n, key in fields if keep is None or key in keep}
    if isinstance(x, (list, tuple)):
        return [to_data(v, keep) for v in x]
    if isinstance(x, dict):
        return {str(k): to_data(v, keep, longest) for k, v in x.items()}
    if isinstance(x, (str, bool, int, float)) or x is None:
        return x
    if hasattr(x, "isoformat"):  # dates, as the JSON output writes them
        return x.isoformat()
    return str(x)


SECTIONS_OF = ("sources", "inputs", "outputs", "models", "training", "evaluation", "serving", "monitoring",
               "metrics", "rollout", "audiences")


@functools.cache
def _fields(cls) -> tuple[tuple[str, str], ...] | None:
    """Return a node class's ``(attribute, JSON key)`` pairs without spans, or ``None`` for a non-node."""
    fields = getattr(cls, "model_fields", None)
    if not isinstance(fields, dict):
        return None
    return tuple((n, f.alias or n) for n, f in fields.items() if n not in _SKIP)


def design_data(resolved, keep: frozenset[str] | None = None) -> tuple[dict, int]:
    """Return the resolved design as condition data, and its longest list (for ``affordable``).

    ``spec`` is the file's design; each list of sections holds the file's own
    elements first, then those of its includes. ``keep``: see ``to_data``.
    """
    longest = [0]
    data = to_data(resolved.spec, keep, longest)
    for inc in resolved.included:
        for section in SECTIONS_OF:
            if section in data:
                data[section] = data[section] + to_data(getattr(inc, section), keep, longest)
                longest[0] = max(longest[0], len(data[section]))
    return data, longest[0]


def elements(resolved, kind: str) -> list:
    """Return the file's own nodes a rule on ``kind`` is judged on; ``wrapped`` evaluates them first, in
    this order (the includes' declarations after them are judged through the files that declare them)."""
    field, many = KINDS[kind]
    if field is None:
        return [resolved.spec]
    own = getattr(resolved.spec, field)
    if many:
        return list(own)
    return [own] if own is not None else []


class Evaluator:
    """The design of one spec as CEL sees it, converted once and shared by every custom rule."""

    def __init__(self, resolved, keep: frozenset[str] | None = None):
        import cel

        self.resolved = resolved
        self.keep = keep
        self.data, self.longest = design_data(resolved, keep)
        self.context = cel.Context(variables={"spec": self.data})
        self.results: dict[str, list] = {}

    def batch(self, rules) -> None:
        """Evaluate every rule's condition in one program (``results``, by code); when any fails or one
        is too costly here, leave ``results`` empty: each rule then runs alone and reports its own error."""
        if not all(self.affordable(r.depth + 1) for r in rules):
            return
        try:
            values = _batch(tuple((r.when, r.on) for r in rules)).execute(self.context)
        except Exception:  # noqa: BLE001 - one rule's failure is found and reported when it runs alone
            return
        self.results = {r.code: v for r, v in zip(rules, values)}

    def affordable(self, depth: int) -> bool:
        """Return whether a condition nesting ``depth`` comprehensions is cheap enough on this design."""
        return max(self.longest, 1) ** (depth + 1) <= MAX_STEPS

    def run(self, text: str, kind: str) -> list:
        """Return the condition's value for each element of ``kind``, or raise what CEL raised."""
        return _program(text, kind).execute(self.context)

    def one(self, text: str, kind: str, index: int):
        """Return the condition's value on element ``index`` alone (to find which one fails), or raise."""
        import cel

        field, many = KINDS[kind]
        element = self.data if field is None else (self.data[field][index] if many else self.data[field])
        ctx = cel.Context(variables={"spec": self.data, kind: element})
        return _compile(text).execute(ctx)
