from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.questions import open_questions

_WHERE = {"label_source": "label source", "source": "source", "input": "input", "output": "output",
          "model": "model", "training": "training of", "evaluation": "evaluation of", "serving": "serving of",
          "monitoring": "monitoring of", "rollout": "rollout of"}


def where(kind: str, name: str, declared_in: str | None = None) -> str:
    """Return an element as a message names it: "label source `chargebacks`", "evaluation of `scorer`",
    "label source `cancellations` (declared in `lib/warehouse.dsspec`)"."""
    if kind in ("product", "ecosystem", "operator"):
        return f"`{kind}`"
    return f"{_WHERE[kind]} `{name}`" + (f" (declared in `{declared_in}`)" if declared_in else "")


class QuestionOpen(Rule):
    """A review question the design leaves open, at the weight its status gives it.

    Stage: ecosystem

    ## What it does
    Reports, once per element (a label source, an evaluation, the
    operator...), the questions of the review-question catalogue (`dsspec questions
    --catalogue`, docs/questions.md) that applies to the design and that no
    statement answers. An answer is a statement (`label_delay 30d`,
    `tuned_on validation`) or an explicit `none` with its reason
    (`selected_by none "every application receives an outcome"`). The
    design's `status` sets the weight: in a `draft` (or a design with no
    `status`) an open question is info, listed by `dsspec questions`, the
    documents and the diagram but not by `check`; under `review` it is a
    warning; once `approved`, an error. `[tool.dsspec.questions]` changes the
    levels (`draft`, `review`, `approved`: `off`, `info`, `warning`,
    `error`), judges every design at one `status`, or `ignore`s questions by
    id. Where the design's prose already says what the answer would ("labels
    for funded plans only"), the question is raised one level (never to an
    error from prose alone) and the message quotes the prose. Questions a
    design rule already asks (`label-delay-unknown`, `fallback-missing`...)
    are left to that rule.

    ## Why it matters
    The other rules can only judge facts a design states, so a design that
    never mentions selection bias passes them. A reviewer does not wait to be
    told: they ask who decided which outcomes were seen, how the threshold was
    chosen, whether the served population is the trained one. Making a design
    enter review with its questions answered turns that habit into CI.

    ## Example
    ```dsspec
    product p { owner "a@b.c"; status review }
    source outcomes { kind labels; label_delay 30d; description "repayment, for funded plans only" }
    model m { task binary_classification; labels outcomes }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c"; status review }
    source outcomes {
      kind        labels
      label_delay 30d
      selected_by funding "repayment is only known for funded plans"
      correction  reject_inference "bureau outcomes of declined applicants"
      proxy_for   none "repayment is the goal itself"
      protected   none "age and sex are not collected for this product"
    }
    model m { task binary_classification; labels outcomes }
    ```
    """

    code = "DS160"
    name = "question-open"
    severity = Severity.WARNING
    stage = "ecosystem"

    def check(self, spec, ctx):
        groups: dict[tuple[str, str], list] = {}
        for o in open_questions(spec, ctx, ctx.questions):
            if o.question.reported_by or o.severity is None or o.severity is Severity.INFO:
                continue
            groups.setdefault((o.kind, o.name), []).append(o)
        for (kind, name), opens in groups.items():
            severity = max((o.severity for o in opens), key=lambda s: s.rank)
            declared = opens[0].declared_in
            if len(opens) == 1:
                message = f"open review question on {where(kind, name, declared)}: {opens[0].question.ask[0].lower()}" \
                          f"{opens[0].question.ask[1:]} (`{opens[0].question.id}`)"
            else:
                message = f"{len(opens)} open review questions on {where(kind, name, declared)}: " + \
                          ", ".join(f"`{o.question.id}`" for o in opens)
            hinted = next((o for o in opens if o.hint), None)
            if hinted is not None:
                message += f"; the design says \"{hinted.hint}\" (`{hinted.question.id}`)"
            help = (f"in `{declared}`, " if declared else "") + "answer " + ("it" if len(opens) == 1 else "them") + ", e.g. " + \
                "; ".join(f"`{o.question.example}`" for o in opens) + " (`dsspec questions` lists them)"
            yield Hit(opens[0].span, message, help, severity=severity)
