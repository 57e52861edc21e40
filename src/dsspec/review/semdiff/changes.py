"""Judge the differences between the facts of two versions of a design (see ``facts`` for the judges)."""

from __future__ import annotations

from dataclasses import dataclass

from dsspec.review.semdiff.facts import Fact

RISKY = frozenset({"relaxed", "removed"})
"""Verdicts a reviewer should look at first."""


@dataclass(frozen=True)
class Change:
    """One change of meaning: ``attribute`` is empty when the whole section was added or removed."""

    section: str
    attribute: str
    verdict: str  # added | removed | tightened | relaxed | changed
    before: str | None
    after: str | None
    detail: str = ""


def _direction(judge: str, old: Fact, new: Fact) -> str:
    """Return ``tightened``, ``relaxed`` or ``changed`` for two values of one fact."""
    if judge == "guarded":
        if new.items > old.items:
            return "tightened"
        return "relaxed" if new.items < old.items else "changed"
    if old.value is None or new.value is None or old.value == new.value:
        return "changed"
    smaller = new.value < old.value
    if judge in ("cmp", "rollback"):
        prefix = old.shown.rsplit(old.op or "", 1)[0] if old.op else ""
        if old.op != new.op or not new.shown.startswith(prefix):
            return "changed"  # another operator or percentile: not comparable on one axis
        tighter = smaller if old.op in ("<", "<=") else not smaller if old.op in (">", ">=") else None
        if tighter is None:
            return "changed"
        if judge == "rollback":  # rolling back sooner is stricter
            tighter = not tighter
        return "tightened" if tighter else "relaxed"
    if judge == "cap":
        return "tightened" if smaller else "relaxed"
    if judge == "floor":
        return "relaxed" if smaller else "tightened"
    return "changed"


CLAIMS = {"selected_by": "no selection bias", "logged_by": "no logging policy behind its labels",
          "censored_by": "no censored outcomes", "proxy_for": "that its label is the goal, not a proxy",
          "after_outcome": "no field filled after the outcome", "protected": "no protected attribute",
          "proxies": "no proxy of a protected attribute", "error_cost": "no cost of errors to state",
          "review_capacity": "that nobody reviews the outputs", "cold_start": "no cold start",
          "tuned_on": "that nothing is tuned", "duplicates": "no duplicates"}
"""What ``NAME none "why"`` claims, as the diff says it ("now claims no selection bias")."""


def _claim(attribute: str, old: Fact | None, new: Fact | None) -> tuple[str, str]:
    """Return the verdict and detail of a change of a review-question answer."""
    what = CLAIMS.get(attribute, f"no `{attribute}`")
    if new is not None and new.value == 0.0 and (old is None or old.value != 0.0):
        return ("relaxed" if old is not None else "added"), f"now claims {what}"
    if old is not None and old.value == 0.0 and (new is None or new.value != 0.0):
        return ("changed" if new is not None else "removed"), f"no longer claims {what}"
    return ("changed" if old is not None and new is not None else "added" if new is not None else "removed"), ""


def _items(old: Fact, new: Fact) -> str:
    added = sorted(new.items - old.items)
    removed = sorted(old.items - new.items)
    return ", ".join([f"+{x}" for x in added] + [f"-{x}" for x in removed])


def compare(old: dict[tuple[str, str], Fact], new: dict[tuple[str, str], Fact]) -> list[Change]:
    """Return the changes from ``old`` to ``new``, in the order of the new design, removals after."""
    out: list[Change] = []
    gone = {s for (s, a) in old if a == "" and (s, a) not in new}
    born = {s for (s, a) in new if a == "" and (s, a) not in old}
    keys = list(new) + [k for k in old if k not in new]
    for key in keys:
        section, attribute = key
        a, b = old.get(key), new.get(key)
        if attribute and (section in gone or section in born):
            continue  # the section's own change says it
        if (a is not None and a.judge == "claim") or (b is not None and b.judge == "claim"):
            if a == b or section in gone or section in born:
                continue
            verdict, detail = _claim(attribute, a, b)
            out.append(Change(section, attribute, verdict, a.shown if a else None, b.shown if b else None, detail))
            continue
        if a is not None and b is not None:
            if a == b:
                continue
            judge = b.judge
            detail = _items(a, b) if judge in ("set", "guarded") else ""
            out.append(Change(section, attribute, _direction(judge, a, b), a.shown, b.shown, detail))
        elif b is not None:
            out.append(Change(section, attribute, "added", None, b.shown if attribute else _whole(new, section)))
        else:
            out.append(Change(section, attribute, "removed", a.shown if attribute else _whole(old, section), None))
    return out


def _whole(facts: dict[tuple[str, str], Fact], section: str, limit: int = 100) -> str:
    """Return a section's facts on one line (``guardrail <= 9%; ...``), for a section added or removed."""
    shown = "; ".join(f"{a} {f.shown}" for (s, a), f in facts.items() if s == section and a)
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."
