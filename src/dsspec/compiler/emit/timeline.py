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
"""Days per column: the smallest that keeps the axis at ``COLUMNS`` or fewer (past them, whole years)."""
COLUMNS = 36
CADENCE = {"hourly": 1, "daily": 1, "weekly": 7, "monthly": 30}
MARKS = {"maturing": "label-maturity", "evaluation": "test-overlaps-training"}
"""The rule whose finding marks a phase's row."""
STYLES = ("training", "maturing", "gap", "evaluation", "shadow", "canary", "experiment", "retraining")


def _days(q: n.Quantity | None) -> int:
    return max(1, round(q.value / 86400)) if q is not None else 0


LAST = dt.date.max
"""The calendar's last day: a phase that would end past it is drawn up to it and said to lie beyond."""


def shift(day: dt.date, days: int) -> dt.date:
    """Return ``day`` plus ``days``, held within the calendar (0001-01-01 .. 9999-12-31): a window near
    either end plus a long delay has no ``date``, and a view must still be drawn."""
    return dt.date.fromordinal(min(max(day.toordinal() + days, 1), LAST.toordinal()))


def beyond(day: dt.date, days: int) -> bool:
    """Return whether ``day`` plus ``days`` lies outside the calendar (``shift`` held it at an end)."""
    return not 1 <= day.toordinal() + days <= LAST.toordinal()


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
            delay = _days(src.label_delay)
            ready, past = shift(tr.window.end, delay), beyond(tr.window.end, delay)
            timing = facts.label_timing(r, m)
            ready, past = (timing.ready, timing.beyond) if timing else (ready, past)
            out.append(("labels maturing", tr.window.end, ready,
                        (f"final after {LAST}, beyond the calendar" if past else f"final {ready}")
                        + f" ({src.label_delay.text} after the last training day)", "maturing"))
    if tr and tr.window and ev and ev.window and ev.window.start.toordinal() > tr.window.end.toordinal() + 1:
        gap = (ev.window.start - tr.window.end).days - 1
        out.append(("gap", shift(tr.window.end, 1), shift(ev.window.start, -1),
                    f"{gap} day{'s' if gap != 1 else ''}", "gap"))
    if ev and ev.window:
        out.append(("evaluation", ev.window.start, ev.window.end, ev.window.show(), "evaluation"))
    last = ev.window.end if ev and ev.window else tr.window.end if tr and tr.window else None
    start = shift(last, 1) if last is not None else None
    past = last is not None and beyond(last, 1)   # the rollout starts past the calendar's last day
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
            past = past or beyond(start, d - 1)
            end = shift(start, d - 1)
            out.append((phase, start, end, note + (" (placed after the test)" if i == 0 else "")
                        + (f"; ends past {LAST}, beyond the calendar" if past else ""), style))
            past = past or beyond(end, 1)
            start = shift(end, 1)
    every = cadence(tr.schedule) if tr else 0
    if every and start is not None:
        past = past or beyond(start, every * 3)
        out.append(("retraining", start, shift(start, every * 3),   # four runs: ticks every cadence
                    (f"every {every} day{'s' if every != 1 else ''}" if not isinstance(tr.schedule, n.Ref)
                     else tr.schedule.name) + (f"; past {LAST}, beyond the calendar" if past else ""),
                    "retraining"))
    return out


def axis(lanes: list[list[tuple]]) -> tuple[dt.date, int, int]:
    """Return ``(first day, days per column, columns)`` covering every phase of every lane."""
    days = [d for lane in lanes for p in lane for d in (p[1], p[2])]
    first, last = min(days), max(days)
    span = (last - first).days + 1
    # past 36 years, whole years per column: a 1000-year rollout stays ``COLUMNS`` wide, not 1000 columns
    unit = next((u for u in UNITS if -(-span // u) <= COLUMNS), 365 * -(-span // (365 * COLUMNS)))
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
