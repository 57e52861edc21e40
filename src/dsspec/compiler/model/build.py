"""Syntax tree -> typed model, checking each statement against the schema.

``build`` never raises for a user's mistake: a statement that does not fit is
reported (``unknown-statement``, ``invalid-value``, ``missing-value``,
``duplicate-statement``) and left out, and the rest of the model is built.
Nodes are created with ``model_construct``: every value has been checked here
against the schema, so pydantic's validation would only repeat the work.
"""

from __future__ import annotations

from dsspec.base.codes import core
from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.model import hints
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.convert import _Mismatch, _or, _try, convert, describe, found
from dsspec.compiler.model.schema import SECTIONS, Arg, Block, Stmt
from dsspec.compiler.model.values import Comparison, Ref, Text, quantity
from dsspec.base.suggestions import cadence, did_you_mean, suggest  # noqa: F401  (suggest: imported from here by others)
from dsspec.compiler.syntax.cst import Document, Statement, Value

FIELD_NAMES = {"for": "for_", "from": "from_"}
MEASURE_KINDS = ("number", "percent", "duration", "money", "rate")


class Builder:
    """Builds one document's ``Spec``; collects findings in ``diags``."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.path = doc.path
        self.diags: list[Diagnostic] = []
        self.siblings: dict = {}  # the statements the block being built allows
        self.success_metric: str | None = None  # the metric of the `success` block being built
        self.opened: list[Statement] = []  # the statements whose bodies are being built, outermost first
        self.hoisted: list[Statement] = []  # sections written inside another, built at the top level

    def error(self, name, span, message, help=None):
        self.diags.append(core(name, self.path, span, message, help=help))

    def match(self, spec: Stmt, stmt: Statement) -> dict | None:
        """Return the fields ``stmt``'s values give under ``spec``, or ``None`` after a finding.

        A statement that lacks only a keyword (``review 150 by qa``) is
        reported and still kept, as if the keyword were there.
        """
        failures = []
        for sig in spec.sigs:
            result, failure = _try(sig, stmt.values)
            if failure is None:
                return result
            failures.append((result, failure, sig))
        best = max(p for p, _, _ in failures)
        failures = [(f, sig) for p, f, sig in failures if p == best]
        kind = failures[0][0][0]
        example = f"e.g. `{spec.example}`" if spec.example else None
        if kind == "invalid":
            for f, sig in failures:
                gap = self.gap(stmt, sig, best, f[2]) if f[0] == "invalid" else False
                if gap is not False:
                    return gap
            invalid = [f for f, _ in failures if f[0] == "invalid"]
            bad = ([f for f in invalid if f[1].right_kind] or invalid)[0][1]
            expected = [describe(f[2]) for f in invalid]
            message, help, span = bad.message, bad.help, bad.value.span
            quoted = hints.unquoted_text(stmt.values[best:]) if all(f[2].kind == "string" for f in invalid) else None
            if quoted:
                message, help = f"write `{stmt.name} {quoted}`: text is written in double quotes", None
                span = span.to(stmt.values[-1].span)
            elif len(set(expected)) > 1 and bad.value is stmt.values[best] and not bad.right_kind:
                words = list(dict.fromkeys(c for f in invalid if f[2].kind in ("enum", "kw") for c in f[2].choices))
                if len(words) == len(invalid) or all(f[2].kind in ("enum", "kw") for f in invalid):
                    expected = [f"one of {_or([f'`{w}`' for w in words])}" if len(words) > 1 else f"`{words[0]}`"] + \
                        [describe(f[2]) for f in invalid if f[2].kind not in ("enum", "kw")]
                message = f"expected {_or(sorted(set(expected)))}; found {found(bad.value)}"
                every = cadence(bad.value.text) if any(
                    "duration" in f[2].kinds for f in invalid if f[2].kind == "qty") else None
                if bad.value.kind == "ident" and every:  # `schedule biweekly`: a duration says it, no guess
                    message += f"; write the cadence as a duration: `{every[0]}` ({every[1]})"
                    help = f"write `{stmt.name} {every[0]}`"
                elif bad.value.kind == "ident" and words:
                    message += did_you_mean(bad.value.text, words)
            message = message.replace("{name}", stmt.name)
            level = self.level_operator(stmt, bad.value)
            if level is not None:  # reported, and kept with the comparison it needs: no rule piles on
                message, help, kept = level
                self.error("invalid-value", span, f"`{stmt.name}`: {message}", help)
                return kept
            self.error("invalid-value", span, f"`{stmt.name}`: {message}", help or example)
            return self.unquoted(spec, stmt, bad.value)
        elif kind == "missing":
            wanted = _or(sorted({describe(f[1]) for f, _ in failures if f[0] == "missing"}))
            self.error("missing-value", stmt.header_span, f"`{stmt.name}` needs {wanted}" +
                       (f": add it, e.g. `{spec.example}`" if spec.example else ""), None)
        else:
            self.extra(spec, stmt, failures[0][0][1], example)
        return None

    def level_operator(self, stmt: Statement, value: Value) -> tuple[str, str, dict | None] | None:
        """Return the message for a bound written without its comparison when its metric's direction says
        which one it needs, and the fields to keep: a success level (``optimal 0.70``: `>=` for `optimal` and
        `acceptable` of a metric where higher is better, `<=` for its `worst`, the other way round where
        lower is better), an operating point (``at fpr 1%``: the metric kept on its good side) or a
        roll-back trigger (``rollback when recall 0.40``: on its bad side)."""
        if value.kind not in MEASURE_KINDS:
            return None
        names = [v.text for v in stmt.values]
        if stmt.name in ("optimal", "acceptable", "worst") and self.success_metric is not None:
            metric, good, fields = self.success_metric, stmt.name != "worst", {}
        elif stmt.name == "at" and len(stmt.values) == 2 and stmt.values[0].kind == "ident" and value is stmt.values[1]:
            metric, good, fields = names[0], True, {"metric": Ref.model_construct(span=stmt.values[0].span,
                                                                                  name=names[0])}
        elif stmt.name == "rollback" and len(stmt.values) >= 3 and names[0] == "when" and \
                stmt.values[1].kind == "ident" and value is stmt.values[2] and \
                all(v.kind == "string" for v in stmt.values[3:]):
            metric, good = names[1], False
            fields = {"metric": Ref.model_construct(span=stmt.values[1].span, name=names[1])}
            if len(stmt.values) > 3:
                fields["description"] = Text.model_construct(span=stmt.values[3].span, value=stmt.values[3].text)
        else:
            return None
        higher = hints.higher_is_better(metric)
        if higher is None:
            return None
        op = ">=" if higher == good else "<="
        way = "higher" if higher else "lower"
        what = {"at": "the operating point holds it", "rollback": "the trigger fires"}.get(
            stmt.name, f"`{stmt.name}` is")
        side = ("the least it must reach" if op == ">=" else "the most it may reach") if stmt.name not in \
            ("at", "rollback") else ("at or above it" if op == ">=" else "at or below it")
        q, _ = quantity(value.kind, value.text, value.span)
        bound = Comparison.model_construct(span=value.span, op=op, operand=q) if q else None
        kept = {**fields, ("bound" if fields else stmt.name): bound} if bound else None
        return (f"expected a comparison; found {found(value)}: write `{op} {value.text}`",
                f"{way} `{metric}` is better, so {what} {side}", kept)

    def unquoted(self, spec: Stmt, stmt: Statement, bad: Value) -> dict | None:
        """Return the fields when ``bad``, a quoted name, fits once unquoted: the statement is kept as meant."""
        name = hints.as_name(bad) if bad.kind == "string" else None
        if name is None:
            return None
        values = [Value("ident", name, v.span) if v is bad else v for v in stmt.values]
        for sig in spec.sigs:
            fields, failure = _try(sig, values)
            if failure is None:
                return fields
        return None

    def gap(self, stmt: Statement, sig: tuple[Arg, ...], at: int, arg: Arg) -> dict | None | bool:
        """Report a value missing before ``stmt.values[at]`` when the next argument takes that value.

        Return ``False`` when there is no such gap (nothing reported); else,
        after reporting, the fields when the missing value is a keyword (the
        statement is kept as if it were written) or ``None``.
        """
        value = stmt.values[at]
        if at + 1 >= len(sig) or arg.kind == "enum" and value.kind == "ident":  # a misspelt word, not a gap
            return False
        try:
            convert(sig[at + 1], value)
        except _Mismatch:
            return False
        if arg.kind == "kw":
            words = [v.text if v.kind != "comparison" else f"{v.text} {v.items[0].text}" for v in stmt.values]
            fixed = " ".join([stmt.name, *words[:at], arg.choices[0], *words[at:]])
            self.error("missing-value", value.span, f"`{stmt.name}`: write `{arg.choices[0]}` before "
                       f"`{value.text}`", f"write `{fixed}`")
            written = Value("ident", arg.choices[0], value.span)
            fields, failure = _try(sig, [*stmt.values[:at], written, *stmt.values[at:]])
            return fields if failure is None else None
        example = next((s.example for s in self.siblings.values() if s.name == stmt.name), "")
        shown = value.text if value.kind != "comparison" else f"{value.text} {value.items[0].text}"
        self.error("missing-value", value.span, f"`{stmt.name}`: add {describe(arg)} before `{shown}`",
                   f"e.g. `{example}`" if example else None)
        return None

    def extra(self, spec: Stmt, stmt: Statement, extra: Value, example: str | None) -> None:
        """Report values after the last one ``spec`` takes, naming the likely cause."""
        span = extra.span.to(stmt.values[-1].span)
        if extra.kind == "ident" and extra.text in self.siblings:
            before = stmt.values[stmt.values.index(extra) - 1] if stmt.values.index(extra) else None
            self.error("invalid-value", extra.span,
                       f"write `;` before `{extra.text}`: it starts another statement",
                       "statements on one line are separated by `;`" if before is None else
                       f"e.g. `{stmt.name} {before.text}; {extra.text}`")
        elif extra.kind == "ident" and stmt.values.index(extra) and \
                stmt.values[stmt.values.index(extra) - 1].kind == "ident":
            first = stmt.values[stmt.values.index(extra) - 1]
            self.error("invalid-value", first.span.to(extra.span), f"write `{first.text}_{extra.text}`: a name is "
                       "one word, with `_` between its parts", example)
        elif spec.sigs == ((),):
            self.error("invalid-value", span, f"write `{stmt.name}` alone: it takes no value",
                       f"`{stmt.name}` is a flag; to leave it out, remove the line")
        else:
            self.error("invalid-value", extra.span, f"`{stmt.name}`: remove {found(extra)}: one value too many",
                       example)

    def block(self, block: Block, stmts: list[Statement], where: str) -> tuple[dict, dict]:
        """Return the fields and attribute spans the statements of a body give."""
        fields: dict = {}
        spans: dict = {}
        for stmt in stmts:
            self.siblings = block.by_name
            spec = block.by_name.get(stmt.name)
            if spec is None:
                if block.open_measures and stmt.body is None and len(stmt.values) == 1 and \
                        stmt.values[0].kind in ("number", "percent", "duration", "money", "rate"):
                    q, why = quantity(stmt.values[0].kind, stmt.values[0].text, stmt.values[0].span)
                    if q is None:
                        self.error("invalid-value", stmt.values[0].span, f"`{stmt.name}`: {why}")
                        continue
                    results = fields.setdefault("results", {})
                    if stmt.name in results:
                        self.error("duplicate-statement", stmt.name_span,
                                   f"`{stmt.name}` is given twice in `{where}`", "keep one")
                    else:
                        results[stmt.name] = q
                        spans[stmt.name] = stmt.span
                    continue
                spec = self.unknown(block, stmt, where, stmts)
                if spec is None:
                    continue
                mark = len(self.diags)
                value = self.statement(spec, stmt)
                del self.diags[mark:]  # the name was the mistake; its values are judged once it is fixed
            elif spec.none_ok and stmt.values and stmt.values[0].kind == "ident" and stmt.values[0].text == "none":
                self.none(spec, stmt, fields, spans, where)
                continue
            else:
                value = self.statement(spec, stmt)
            if value is None:  # rejected, with a finding; still mark it written (see Section.lacks)
                spans.setdefault(spec.name, stmt.span)
                continue
            store = FIELD_NAMES.get(spec.store or spec.name, spec.store or spec.name)
            if spec.multi:
                fields.setdefault(store, []).append(value)
                spans.setdefault(spec.name, stmt.span)
            elif store in fields:
                self.error("duplicate-statement", stmt.name_span,
                           f"section `{stmt.name}` is given twice" if where == "file" else
                           f"`{stmt.name}` is given twice in `{where}`",
                           "merge them into one" if where == "file" else "keep one; the first is used")
            else:
                fields[store] = value
                spans[spec.name] = stmt.span
        return fields, spans

    def none(self, spec: Stmt, stmt: Statement, fields: dict, spans: dict, where: str) -> None:
        """Keep ``NAME none "reason"``, the explicit answer "there is none", in the section's ``nones``.

        The reason is required: a bare "none" would answer a review question without saying why.
        """
        rest = stmt.values[1:]
        if stmt.body is not None or len(rest) != 1 or rest[0].kind != "string" or not rest[0].text.strip():
            span = stmt.values[0].span if not rest else rest[0].span.to(rest[-1].span)
            self.error("missing-value" if not rest else "invalid-value", span,
                       f"`{stmt.name} none` takes one reason in quotes, and only that",
                       f'e.g. `{stmt.name} none "why there is nothing to state"`')
            spans.setdefault(spec.name, stmt.span)
            return
        if spec.name in spans:
            self.error("duplicate-statement", stmt.name_span, f"`{stmt.name}` is given twice in `{where}`",
                       "keep one: `none` or the value, not both")
            return
        fields.setdefault("nones", {})[spec.name] = n.Text.model_construct(span=rest[0].span, value=rest[0].text)
        spans[spec.name] = stmt.span

    def unknown(self, block: Block, stmt: Statement, where: str, stmts: list[Statement]) -> Stmt | None:
        """Report an unknown statement; return the statement it was surely meant as, to build it as that.

        The suggestion is built in its place (``eval { ... }`` as ``evaluation``)
        unless the block already has that statement, so the design is judged
        as written and no rule reports the section as missing.
        """
        hint = suggest(stmt.name, block.by_name)
        if where == "file":
            message = f"unknown section `{stmt.name}`"
        else:
            message = f"unknown attribute `{stmt.name}` in `{where}`"
        home = hints.elsewhere(stmt.name) if not hint else None
        if hint:
            message += f"; did you mean `{hint}`?"
        elif home:
            message += f": move it into {home}, where it belongs"
        allowed = ", ".join(f"`{s}`" for s in block.by_name)
        if where != "file" and stmt.name in SECTIONS.by_name and stmt.body is not None:
            # the braces balance (the syntax stage reports a missing `}`), so moving the section past the `}`
            # that closes the outer block is right whichever was meant, and leaves no `}` over; the advice
            # does not depend on indentation, which `fmt` changes
            message = (f"`{stmt.name}` is a top-level section, not part of `{where}`: move `{stmt.name} {{ ... }}` "
                       f"out of `{where}`, after the `}}` that closes it")
            takes_model = any(sig and sig[0].field == "model" for sig in SECTIONS.by_name[stmt.name].sigs)
            help = (f"sections stand side by side in the file; with several models, name the one it is for: "
                    f"`{stmt.name} MODEL {{`" if takes_model else "sections stand side by side in the file")
        else:
            help = f"write `{hint}`" if hint else f"allowed in `{where}`: {allowed}" if where != "file" else \
                f"sections: {allowed}"
        self.error("unknown-statement", stmt.name_span, message, help)
        if "top-level section" in message:
            self.hoist(stmt)
            return None
        if hint is None or any(s.name == hint for s in stmts):
            return None
        return block.by_name[hint]

    def hoist(self, stmt: Statement) -> None:
        """Keep a section written inside another, to build it at the top level as meant (one finding, and no
        rule reports it missing): inside `model NAME`, a `training`... that names no model is that model's."""
        outer = self.opened[-1] if self.opened else None
        takes_model = any(sig and sig[0].field == "model" for sig in SECTIONS.by_name[stmt.name].sigs)
        if outer is not None and outer.name == "model" and outer.values and outer.values[0].kind == "ident" and \
                takes_model and not stmt.values:
            stmt = Statement(stmt.name, stmt.name_span, [Value("ident", outer.values[0].text, stmt.name_span)],
                             stmt.body, stmt.span)
        self.hoisted.append(stmt)

    def statement(self, spec: Stmt, stmt: Statement):
        """Return the typed value or node of one statement, or ``None`` after a finding."""
        fields = self.match(spec, stmt)
        if fields is None:
            if spec.body is not None and stmt.body is not None:  # its header is wrong; its body is still checked
                self.block(spec.body, stmt.body, stmt.name)
            return None
        body_fields: dict = {}
        spans: dict = {}
        if spec.body is None:
            if stmt.body is not None:
                self.error("invalid-value", stmt.span, f"remove the `{{ }}` block: `{stmt.name}` takes none")
                return None
        elif stmt.body is None:
            if spec.body_required:
                self.error("missing-value", stmt.header_span, f"`{stmt.name}` needs a block: add `{{ ... }}`, e.g. "
                           f"`{spec.example} ... }}`" if spec.example.endswith("{") else
                           f"`{stmt.name}` needs a block: add `{{ ... }}`")
                if spec.node is None or not issubclass(spec.node, n.Section):
                    return None  # a section without its body still stands, empty: no rule reports it missing
        else:
            outer, self.success_metric = self.success_metric, (fields["metric"].name if spec.name == "success"
                                                                and "metric" in fields else self.success_metric)
            self.opened.append(stmt)
            body_fields, spans = self.block(spec.body, stmt.body, stmt.name)
            self.opened.pop()
            self.success_metric = outer
        if spec.node is None:
            if spec.body is not None:  # a ladder step: `step lightgbm { ... }`
                return self.step(spec, stmt, fields, body_fields, spans)
            return next(iter(fields.values())) if fields else True
        return self.node(spec, stmt, fields, body_fields, spans)

    def node(self, spec: Stmt, stmt: Statement, fields: dict, body_fields: dict, spans: dict):
        cls = spec.node
        values = {FIELD_NAMES.get(k, k): v for k, v in fields.items()}
        values.update(body_fields)
        if cls is n.Hardware:
            count = values.pop("count", None)
            kind = values.pop("kind").name if "kind" in values else "gpu"
            return n.Hardware.model_construct(span=stmt.span, kind=kind, count=int(count.value) if count else 1)
        amount = values.get("amount")
        if cls is n.Goal and amount is not None and amount.value < 0:  # reported, and kept the way it was meant
            other = "decrease" if values["direction"].name == "increase" else "increase"
            positive = amount.text.lstrip("-")
            self.error("invalid-value", amount.span, f"`{stmt.name}`: a goal's amount is never negative: "
                       f"`{values['direction'].name} {amount.text}` is `{other} {positive}`; write that",
                       "the direction says which way the KPI moves: `goal churn decrease 5%` is a fall of 5%")
            values["direction"] = values["direction"].model_copy(update={"name": other})
            values["amount"] = amount = amount.model_copy(update={"text": positive, "value": -amount.value})
        if cls is n.Goal and values["direction"].name == "decrease" and amount is not None and \
                amount.kind == "percent" and amount.value > 1:  # reported, and kept: the goal still says its KPI
            self.error("invalid-value", amount.span, f"`{stmt.name}`: a KPI cannot fall by more than the whole: "
                       f"write a decrease of at most `100%` (`{amount.text}` is more)",
                       "a fall is a share of today's value; to say a multiple, write the target: `keep <= ...`")
        if cls is n.Load and values.get("peak") is not None and values["peak"].value < values["rate"].value:
            self.error("invalid-value", values["peak"].span, f"`{stmt.name}`: the peak `{values['peak'].text}` is "
                       f"below the load `{values['rate'].text}`: write the peak at or above it",
                       "the peak is the busiest rate the system must serve: `load 40/s peak 160/s`")
        if isinstance(values.get("to"), n.Delivery):  # `to USER through REVIEWER` fills two fields of the output
            delivery = values.pop("to")
            values["to"], values["through"] = delivery.to, delivery.through
        if issubclass(cls, n.Section):
            values["header"] = stmt.header_span
            values["spans"] = spans
        return cls.model_construct(span=stmt.span, **values)

    def step(self, spec: Stmt, stmt: Statement, fields: dict, body_fields: dict, spans: dict) -> n.Step:
        values = {k: v for k, v in body_fields.items()}
        # a `chosen` the schema rejected (`chosen yes`) still says which step ships: no design rule piles on
        values["chosen"] = bool(values.get("chosen", False)) or "chosen" in spans
        return n.Step.model_construct(span=stmt.span, header=stmt.header_span, spans=spans, rung=stmt.name,
                                      **fields, **values)


def build(doc: Document) -> tuple[n.Spec, list[Diagnostic]]:
    """Return the typed model of ``doc`` and the schema findings."""
    builder = Builder(doc)
    fields, _ = builder.block(SECTIONS, doc.statements, "file")
    while builder.hoisted:  # sections written inside others, reported there: built where they belong
        hoisted, builder.hoisted = builder.hoisted, []
        mark = len(builder.diags)
        more, _ = builder.block(SECTIONS, hoisted, "file")
        del builder.diags[mark:]  # its own mistakes are judged once it is moved; its place was reported
        for key, value in more.items():
            if isinstance(value, list):
                fields[key] = [*fields.get(key, []), *value]
            else:
                fields.setdefault(key, value)
    spec = n.Spec.model_construct(span=_doc_span(doc), path=doc.path, **fields)
    return spec, builder.diags


def _doc_span(doc: Document):
    from dsspec.base.span import Span

    lines = doc.text.count("\n")
    return Span(1, 1, lines + 1, 1, 0, len(doc.text))
