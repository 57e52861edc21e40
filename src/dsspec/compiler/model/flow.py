"""The models of a spec as a pipeline: their order, their cycles, and the path to a user.

A model that reads another model's output (`reads [query, candidates]`) runs
after it. The resolver records those edges (``Resolved.upstream``); this
module orders the models upstream first, reports a loop as a located
``model-cycle`` error, and answers which models' outputs reach a user.
"""

from __future__ import annotations

from dsspec.base.codes import core
from dsspec.base.diagnostics import Diagnostic
from dsspec.base.span import Span
from dsspec.compiler.model import nodes as n


TYPE_CHECKING = False
if TYPE_CHECKING:  # for type checkers only: a warm run does not import typing
    from typing import Protocol

    class Resolved(Protocol):
        """What this module reads of ``resolve.Resolved`` (a protocol, so the resolver can import this module)."""

        models: dict[str, n.Model]
        outputs: dict[str, n.Output]
        users: dict
        upstream: dict[str, list[n.Model]]
        order: list[n.Model]

        def downstream(self, model: n.Model) -> list[n.Model]: ...


def order_models(r: Resolved, read_spans: dict[tuple[str, str], tuple[str, Span]]) -> list[Diagnostic]:
    """Fill ``r.order`` upstream first and drop the edges that close a loop; return one finding per loop.

    ``read_spans[(reader, writer)]`` is the file and span of the `reads` that
    makes ``reader`` read ``writer``'s output: where a loop is reported.
    """
    found: list[Diagnostic] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(model: n.Model, stack: list[n.Model]) -> None:
        name = model.name.name
        state[name] = 1
        kept = []
        for up in r.upstream.get(name, ()):
            if state.get(up.name.name) == 1:
                names = [m.name.name for m in stack]
                chain = names[names.index(up.name.name):]
                path, span = read_spans[(name, up.name.name)]
                message = (f"model `{name}` reads its own output" if chain == [name] else
                           "models read each other's outputs in a cycle: " + " -> ".join([*chain, up.name.name]))
                found.append(core(
                    "model-cycle", path, span, message,
                    help="a pipeline runs one way: remove this `reads`, or split the loop into a "
                         "retraining step that reads logged outputs"))
                continue
            kept.append(up)
            if state.get(up.name.name) != 2:
                visit(up, [*stack, up])
        r.upstream[name] = kept
        state[name] = 2
        r.order.append(model)

    for model in r.models.values():
        if model.name.name not in state:
            visit(model, [model])
    return found


def reaches_user(r: Resolved, model: n.Model) -> bool:
    """Return whether ``model``'s own output goes to a user: its output has a `to`, or no model reads it."""
    outs = [r.outputs.get(ref.name) for ref in model.writes]
    return any(out is not None and out.to is not None and out.to.name in r.users for out in outs) or \
        not r.downstream(model)


def path_to_user(r: Resolved, model: n.Model) -> list[n.Model]:
    """Return ``model`` and every model upstream of it, upstream first."""
    seen: list[n.Model] = []

    def visit(m: n.Model) -> None:
        if any(x is m for x in seen):
            return
        for up in r.upstream.get(m.name.name, ()):
            visit(up)
        seen.append(m)

    visit(model)
    return seen
