"""Did-you-mean: the known names closest to a misspelt one, in bounded time.

Every place a name is looked up (sections, attributes, enum words, references,
rule names in flags, ``explain``, configuration and suppressions) asks here.
A candidate is found, in this order, by:

1. the same word in another case or with ``-``/``_``/spaces swapped (``Source``, ``model-card``);
2. a word newcomers use for it (``true`` -> ``yes``, ``realtime`` -> ``online``: ``SYNONYMS``);
3. the start of a name or of the word (3 letters or more): ``eval`` -> ``evaluation``, ``request_time``
   -> ``request``, ``reviewing`` -> ``review``; or the parts of the word (split at ``-`` and ``_``) in a
   name, in order: ``huge-model`` -> ``huge-model-on-small-budget``;
4. edit distance (insertions, deletions, substitutions, swapped neighbours) of at most
   ``len(word) // 3`` (at least 1, at most 2), for words of 3 letters or more.

Speed: ``Index`` is built once per set of names and answers each lookup with
dictionary probes, never a scan of every name: step 4 probes the word's
deletions against the names' one-letter deletions (a "symmetric delete"
index), and at most ``MAX_VERIFY`` candidates are measured exactly. So 10,000
unknown references against 10,000 names cost 10,000 bounded lookups, not 10^8
comparisons. Results are deterministic: ties are broken alphabetically.

A suggestion is not a fix. ``respells`` says when a candidate is the written
word spelt right (the same word in another case, a ``SYNONYMS`` word, or a slip
of a letter or two), which is the only case ``--fix`` may write it: a candidate
that drops or adds a qualifier (``gpt_4_1_nano``/``gpt_4_1``,
``biweekly``/``weekly``, ``mistral``/``mistral_large``) or has other numbers
names something else, and stays a suggestion whose message says what differs
(``differs``).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

MAX_VERIFY = 24
"""At most this many candidates per lookup have their edit distance computed."""

MAX_SHOWN = 3
"""At most this many equally good names are offered."""

_PARTS = re.compile(r"[-_ ]+")
_DIGITS = re.compile(r"[0-9]+")
_NUMBERED = re.compile(r"[0-9]+[a-z]*")
_PREFIX_MAX = 16     # names are indexed by their first 3..16 letters
_POOL_MAX = 64       # a word that starts or shares parts with more names than this suggests none of them

SYNONYMS: dict[str, tuple[str, ...]] = {
    # yes/no
    "true": ("yes",), "false": ("no",), "y": ("yes",), "n": ("no",), "on": ("yes",), "off": ("no",),
    # serving modes
    "realtime": ("online",), "real_time": ("online",), "live": ("online",), "sync": ("online",),
    "synchronous": ("online",), "api": ("online",), "rest": ("online",), "streaming": ("nearline",),
    "async": ("nearline",), "offline": ("batch",), "scheduled": ("batch",), "device": ("edge",),
    "mobile": ("edge",), "on_device": ("edge",),
    # source kinds
    "database": ("table",), "db": ("table",), "warehouse": ("table",), "sql": ("table",), "view": ("table",),
    "kafka": ("stream",), "events": ("stream",), "queue": ("stream",), "csv": ("files",), "s3": ("files",),
    "file": ("files",), "parquet": ("files",), "label": ("labels",), "service": ("api",),
    # output types and tasks
    "probabilities": ("probability",), "proba": ("probability",), "label_class": ("class",),
    "category": ("class",), "number": ("value",), "regression": ("value",), "rank": ("ranking",),
    "classification": ("binary_classification", "multiclass_classification"),
    "classifier": ("binary_classification", "multiclass_classification"),
    "binary": ("binary_classification",), "multiclass": ("multiclass_classification",),
    "forecast": ("forecasting",), "anomaly": ("anomaly_detection",), "recommender": ("recommendation",),
    # schedules, splits, hardware, goals, fallbacks, statuses, known_at
    "nightly": ("daily",), "every_day": ("daily",), "every_week": ("weekly",), "every_month": ("monthly",),
    "temporal": ("time",), "chronological": ("time",), "time_based": ("time",), "timeseries": ("time",),
    "out_of_time": ("time",), "shuffle": ("random",), "stratified": ("random",), "grouped": ("group",),
    "cuda": ("gpu",), "gpus": ("gpu",), "cpus": ("cpu",),
    "reduce": ("decrease",), "lower": ("decrease",), "cut": ("decrease",), "raise": ("increase",),
    "improve": ("increase",), "grow": ("increase",), "maintain": ("keep",), "hold": ("keep",),
    "manual": ("human",), "human_review": ("human",), "previous": ("previous_model",),
    "last_model": ("previous_model",), "none": ("no_result",), "heuristic": ("rules",),
    "wip": ("draft",), "in_review": ("review",), "done": ("approved",), "accepted": ("approved",),
    "realtime_request": ("request",), "request_time": ("request",), "batch": ("precomputed",),
    "offline_features": ("precomputed",), "slos": ("slo",),
    # latency percentiles
    "median": ("p50",), "maximum": ("max",), "worst_case": ("max",), "p100": ("max",),
}
"""Words a newcomer writes for one of the language's words; used only when the target is an option."""

JUDGED = frozenset({("done", "approved"), ("accepted", "approved"), ("stratified", "random")})
"""Synonyms that are a judgement, not the same word: offered, never written by a fix (only a reviewer
approves a design; a stratified split is a random one that keeps the classes' shares, which `random` does not
say)."""


CADENCES: dict[str, tuple[str, str]] = {
    "biweekly": ("2w", "every two weeks; twice a week is `3.5d`"), "fortnightly": ("2w", "every two weeks"),
    "bimonthly": ("2mo", "every two months; twice a month is `15d`"), "quarterly": ("3mo", "every three months"),
    "semiannually": ("6mo", "every six months"), "biannually": ("6mo", "every six months"),
    "half_yearly": ("6mo", "every six months"), "yearly": ("1y", "once a year"), "annually": ("1y", "once a year"),
    "annual": ("1y", "once a year"), "every_two_weeks": ("2w", "every two weeks"),
}
"""Cadence words a newcomer writes where a duration is allowed (``schedule biweekly``), the duration that says
it and what it means; never a fix: ``biweekly`` is read both as every two weeks and as twice a week."""


AMBIGUOUS_UNITS = frozenset({"m", "mi", "mn"})
"""Units that stand for more than one (``m``: minutes, months or metres): never replaced by a guess."""


def _norm(word: str) -> str:
    return _PARTS.sub("_", word.strip().lower()).strip("_")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def distance(a: str, b: str, limit: int) -> int:
    """Return the edit distance of ``a`` and ``b`` (swapped neighbours count 1), or ``limit + 1`` if over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


class Index:
    """A set of names, prepared for ``lookup``; build once, look up many times."""

    def __init__(self, options: Iterable[str]):
        self.options = sorted(set(options))
        self.by_norm: dict[str, str] = {}
        self.by_part: dict[str, list[str]] = {}
        self.by_prefix: dict[str, list[str]] = {}
        self.by_deletion: dict[str, list[str]] = {}
        for name in self.options:
            norm = _norm(name)
            self.by_norm.setdefault(norm, name)
            for part in set(norm.split("_")):
                self.by_part.setdefault(part, []).append(name)
            for size in range(3, min(len(norm), _PREFIX_MAX) + 1):
                self.by_prefix.setdefault(norm[:size], []).append(name)
            for key in _deletions(norm) | {norm}:
                self.by_deletion.setdefault(key, []).append(name)
        self.longest = max((len(_norm(n)) for n in self.options), default=0)
        self.verified = 0  # exact distances computed so far (for tests of the bound)

    def lookup(self, word: str) -> list[str]:
        """Return the best names for ``word`` (at most ``MAX_SHOWN``, alphabetical), or ``[]``.

        A name whose numbers differ from the word's is never offered: ``p98`` is
        not a misspelt ``p90``, nor ``recall_at_5`` a misspelt ``recall_at_50``,
        and accepting either would change what the spec says.
        """
        digits = _DIGITS.findall(word)
        if not digits:
            return self._lookup(word)
        return [n for n in self._lookup(word) if _DIGITS.findall(n) == digits]

    def _lookup(self, word: str) -> list[str]:
        norm = _norm(word)
        if not norm or not self.options:
            return []
        if len(norm) > self.longest + 2:  # no name starts it or is within 2 edits: only a name it starts with
            return self._head(norm)
        if norm in self.by_norm and self.by_norm[norm] != word:
            return [self.by_norm[norm]]
        synonyms = [self.by_norm[s] for s in SYNONYMS.get(norm, ()) if s in self.by_norm]
        if synonyms:
            return synonyms[:MAX_SHOWN]
        found = self._by_parts(norm)
        if found:
            return found
        return self._by_distance(norm, word)

    def _by_parts(self, norm: str) -> list[str]:
        if len(norm) < 3:
            return []
        # the word as the start of a name: `eval` -> `evaluation`, `batch_serving` -> `batch-serving-for-...`
        starts = [n for n in self.by_prefix.get(norm[:_PREFIX_MAX], ()) if _norm(n).startswith(norm)]
        if 0 < len(starts) <= _POOL_MAX:
            return _fewest_parts(starts)
        # the word's parts all in a name, in order: `huge_model` in `huge-model-on-small-budget`; a one-part
        # word when exactly one name holds it as a part: `payments` in `card_payments`
        parts = norm.split("_")
        pools = sorted((self.by_part.get(p, ()) for p in parts), key=len)
        single = len(parts) == 1 and len(norm) >= 4 and len(pools[0]) == 1
        if (len(parts) > 1 or single) and pools[0] and len(pools[0]) <= _POOL_MAX:
            hits = [n for n in pools[0] if _in_order(parts, _norm(n).split("_"))]
            if hits:
                return _fewest_parts(hits)
        return self._head(norm)

    def _head(self, norm: str) -> list[str]:
        """Return the name that starts the word: `request_time` -> `request`, `reviewing` -> `review`.
        Only heads no longer than the longest name are tried, so a long word costs linear time."""
        for cut in range(min(len(norm) - 1, self.longest), max(2, len(norm) // 2 - 1), -1):
            head = norm[:cut].rstrip("_")
            if head in self.by_norm:
                return [self.by_norm[head]]
        return []

    def _by_distance(self, norm: str, word: str) -> list[str]:
        if len(norm) < 3:
            return []
        limit = min(2, max(1, len(norm) // 3))
        keys = {norm} | _deletions(norm)
        if limit > 1 and len(norm) <= 40:
            keys |= {d2 for d1 in _deletions(norm) for d2 in _deletions(d1)}
        candidates = sorted({n for k in keys for n in self.by_deletion.get(k, ())})[:MAX_VERIFY]
        scored = []
        for name in candidates:
            self.verified += 1
            d = distance(norm, _norm(name), limit)
            if d <= limit and name != word:
                scored.append((d, name))
        if not scored:
            return []
        best = min(d for d, _ in scored)
        return [n for d, n in sorted(scored) if d == best][:MAX_SHOWN]


def _in_order(parts: list[str], name_parts: list[str]) -> bool:
    it = iter(name_parts)
    return all(p in it for p in parts)


def _fewest_parts(names: list[str]) -> list[str]:
    """Return the names with the fewest parts (the closest), at most ``MAX_SHOWN``, alphabetical."""
    fewest = min(len(_norm(n).split("_")) for n in names)
    return sorted(n for n in names if len(_norm(n).split("_")) == fewest)[:MAX_SHOWN]


def suggestions(word: str, options: Iterable[str] | Index) -> list[str]:
    """Return the names of ``options`` that ``word`` was probably meant as (best first, at most 3)."""
    index = options if isinstance(options, Index) else Index(options)
    return index.lookup(word)


def suggest(word: str, options: Iterable[str] | Index) -> str | None:
    """Return the name of ``options`` closest to ``word``, if one is close enough."""
    found = suggestions(word, options)
    return found[0] if found else None


def cadence(word: str) -> tuple[str, str] | None:
    """Return the duration and meaning of a cadence word (``biweekly`` -> ``2w``), or ``None``."""
    return CADENCES.get(_norm(word))


def respells(written: str, meant: str) -> bool:
    """Return whether ``meant`` is ``written`` spelt right, so writing it keeps what the spec says.

    It is when ``SYNONYMS`` gives ``meant`` for ``written`` (``nightly`` -> ``daily``, ``median`` -> ``p50``;
    not the ``JUDGED`` ones, ``done`` -> ``approved``), when the two are the same word in another case or
    with other separators (``Serving``, ``model-card``), or when ``written`` is a slip of a few letters:
    within the edit distance a lookup allows (``len // 3``, 1..2, for words of 3 letters or more) and,
    when one holds the other, by one letter at an end of a word of 4 letters or more (``freshnes``,
    ``lightgbmm``). Never when the numbers or the letters right after them differ (``p98``/``p90``,
    ``data_30d``/``data_30m``) or one is the other with a qualifier dropped or added
    (``gpt_4_1_nano``/``gpt_4_1``, ``biweekly``/``weekly``, ``bert_large``/``bert``, ``m``/``mo``,
    ``ms``/``s``): that names something else.
    """
    a, b = _norm(written), _norm(meant)
    if not a or not b:
        return False
    if b in {_norm(s) for s in SYNONYMS.get(a, ())}:  # curated: the same meaning (`median` is `p50`)
        return (a, b) not in JUDGED
    if _DIGITS.findall(written) != _DIGITS.findall(meant) or _NUMBERED.findall(a) != _NUMBERED.findall(b):
        return False  # `p98` and `p90`, `data_gb_30d` and `data_gb_30m`: another number or unit
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if short in long and (len(long) - len(short) > 1 or len(short) < 4):
        return False  # a qualifier dropped or added (`_nano`, `bi`, `_large`), or too short to tell
    if len(a) < 3:
        return False
    limit = min(2, max(1, len(a) // 3))
    return distance(a, b, limit) <= limit


def abbreviates(written: str, meant: str) -> bool:
    """Return whether ``written`` is ``meant`` cut short within its first word (``eval`` -> ``evaluation``,
    ``desc`` -> ``description``; not ``test`` -> ``test_size``), 3 letters or more and with the same numbers."""
    a, b = _norm(written), _norm(meant)
    return (len(a) >= 3 and b.startswith(a) and "_" not in b[len(a):]
            and _DIGITS.findall(written) == _DIGITS.findall(meant))


def differs(written: str, meant: str) -> str | None:
    """Return the qualifier one of the two words has and the other lacks (``_nano`` for ``gpt_4_1_nano`` and
    ``gpt_4_1``, ``bi`` for ``biweekly`` and ``weekly``), or ``None`` when neither holds the other."""
    a, b = _norm(written), _norm(meant)
    short, long = sorted((a, b), key=len)
    if short == long or short not in long:
        return None
    at = long.index(short)
    extra = long[:at] + long[at + len(short):]
    if long.startswith("_", at + len(short)) or long.endswith("_", 0, at):
        return f"_{extra.strip('_')}" if at == 0 else f"{extra.strip('_')}_"
    return extra


def quoted_or(names: list[str]) -> str:
    """Return "`a`", "`a` or `b`", "`a`, `b` or `c`"."""
    shown = [f"`{n}`" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def did_you_mean(word: str, options: Iterable[str] | Index) -> str:
    """Return "; did you mean `x`?" (or "`x` or `y`") for ``word``, or "" when nothing is close."""
    found = suggestions(word, options)
    return f"; did you mean {quoted_or(found)}?" if found else ""
