"""The timeline view's phases: each model's dates on one axis.

Per model, in time order: the training window, the time until the last
training day's labels are final (``facts.label_timing``, the computation
``label-maturity`` flags), the gap, the evaluation window, and the rollout
phases (shadow, canary, experiment) with the retraining cadence after them.
The rollout states durations, not dates: its phases are placed one after the
other from the day after the test ends, and said to be so.

A lane is one ``Element`` of kind ``timeline`` whose ``rows`` are
``(phase, start, end, note, style)`` (ISO dates; ``style`` names the fill)
and whose ``head`` is the axis shared by every lane: ``(first day, days per
column, columns)``. Rows a finding concerns are ``marked``; the finding is
attached to the lane by its span like any other element's.
"""

from __future__ import annotations

import datetime as dt

from dsspec.compiler.emit.view import Element, View
from dsspec.compiler.lint import facts, reach
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved

UNITS = (7, 14, 30, 91, 182, 365)
"""Days per column: the smallest that keeps the axis at ``COLUMNS`` or fewer."""
COLUMNS = 36
CADENCE = {"hourly": 1, "daily": 1, "weekly": 7, "monthly": 30}
MARKS = {"maturing": "label-maturity", "evaluation": "test-overlaps-training"}
"""The rule whose finding marks a phase's row."""
STYLES = ("training", "maturing", "gap", "evaluation", "shadow", "canary", "experiment", "retraining")


def _days(q: n.Quantity | None) -> int:
    return max(1, round(q.value / 86400)) if q is not None else 0


def cadence(schedule) -> int:
    """Return a training schedule in days (0: on demand or unknown)."""
    if schedule is None:
        return 0
    if isinstance(schedule, n.Ref):
        return CADENCE.get(schedule.name, 0)
    return max(1, round(schedule.value / 86400))


def phases(r: Resolved, m: n.Model) -> list[tuple[str, dt.date, dt.date, str, str]]:
    """Return ``(phase, first day, last day, note, style)`` of ``m`` in time order."""
    tr = r.for_model(r.spec.training, m)
    ev = r.for_model(r.spec.evaluation, m)
    out = []
    if tr and tr.window:
        out.append(("training", tr.window.start, tr.window.end, tr.window.show(), "training"))
        src = facts.label_source(r, m)
        if src is not None and src.label_delay is not None:
            ready = tr.window.end + dt.timedelta(days=_days(src.label_delay))
            timing = facts.label_timing(r, m)
            ready = timing.ready if timing else ready
            out.append(("labels maturing", tr.window.end, ready,
                        f"final {ready} ({src.label_delay.text} after the last training day)", "maturing"))
    if tr and tr.window and ev and ev.window and ev.window.start > tr.window.end + dt.timedelta(days=1):
        gap = (ev.window.start - tr.window.end).days - 1
        out.append(("gap", tr.window.end + dt.timedelta(days=1), ev.window.start - dt.timedelta(days=1),
                    f"{gap} day{'s' if gap != 1 else ''}", "gap"))
    if ev and ev.window:
        out.append(("evaluation", ev.window.start, ev.window.end, ev.window.show(), "evaluation"))
    start = ev.window.end + dt.timedelta(days=1) if ev and ev.window else (
        tr.window.end + dt.timedelta(days=1) if tr and tr.window else None)
    plan = reach.rollout(r, m)
    if plan is not None and (r.model_of.get(id(plan)) is m or reach.reaches_user(r, m)) and start is not None:
        steps = []
        if plan.shadow:
            steps.append(("shadow", _days(plan.shadow), f"shadow {plan.shadow.text}", "shadow"))
        if plan.canary:
            d = _days(plan.canary.duration) or 1
            steps.append(("canary", d, f"canary {plan.canary.share.text}" + (
                f" for {plan.canary.duration.text}" if plan.canary.duration else ""), "canary"))
        exp = plan.experiment
        if exp is not None:
            d = _days(exp.duration) or 14
            steps.append(("experiment", d, f"A/B by {exp.unit.name}" + (
                f" {exp.duration.text}" if exp.duration else ", duration not stated"), "experiment"))
        for i, (phase, d, note, style) in enumerate(steps):
            end = start + dt.timedelta(days=d - 1)
            out.append((phase, start, end, note + (" (placed after the test)" if i == 0 else ""), style))
            start = end + dt.timedelta(days=1)
    every = cadence(tr.schedule) if tr else 0
    if every and start is not None:
        out.append(("retraining", start, start + dt.timedelta(days=every * 3),   # four runs: ticks every cadence
                    f"every {every} day{'s' if every != 1 else ''}" if not isinstance(tr.schedule, n.Ref)
                    else tr.schedule.name, "retraining"))
    return out


def axis(lanes: list[list[tuple]]) -> tuple[dt.date, int, int]:
    """Return ``(first day, days per column, columns)`` covering every phase of every lane."""
    days = [d for lane in lanes for p in lane for d in (p[1], p[2])]
    first, last = min(days), max(days)
    span = (last - first).days + 1
    unit = next((u for u in UNITS if -(-span // u) <= COLUMNS), UNITS[-1])
    if unit >= 30:   # months and longer start on the first of a month
        first = first.replace(day=1)
    return first, unit, max(1, -(-((last - first).days + 1) // unit))


def lanes(r: Resolved, v: View, flagged) -> None:
    """Add one lane per model with dates; ``flagged(rule, section)`` says whether a finding of ``rule``
    stands in ``section`` (the evaluation row is marked for `test-overlaps-training`, the maturing row for
    `label-maturity`)."""
    drawn = [(m, phases(r, m)) for m in r.spec.models]
    drawn = [(m, p) for m, p in drawn if p]
    if not drawn:
        return
    first, unit, cols = axis([p for _, p in drawn])
    head = (first.isoformat(), str(unit), str(cols))
    previous = None
    for m, ps in drawn:
        ev = r.for_model(r.spec.evaluation, m)
        tr = r.for_model(r.spec.training, m)
        marked = set()
        rows = []
        for i, (phase, a, b, note, style) in enumerate(ps):
            if style == "evaluation" and flagged(MARKS[style], ev):
                note += "; overlaps training"
                marked.add(i)
            if style == "maturing" and flagged(MARKS[style], ev):
                note += f"; the test starts {ev.window.start}, before"
                marked.add(i)
            rows.append((phase, a.isoformat(), b.isoformat(), note, style))
        owned = [x for x in (ev, tr, reach.rollout(r, m)) if x is not None]   # not the model: its own findings
        el = v.add(Element(f"lane_{m.name.name}", "timeline", m.name.name, [], owned[0].span, head=head,
                           rows=rows, marked=marked, also=[x.span for x in owned[1:]]))
        if previous is not None:
            v.link(previous, el.id, style="invis")
        previous = el.id
