"""``dsspec questions SPEC``: the open review questions of a design, as a review meeting's agenda."""

from __future__ import annotations

import sys

from dsspec.commands import EXIT_OK, UsageError

HELP = "list a design's open review questions by section and audience (the agenda of a review)"


def add_arguments(p) -> None:
    p.add_argument("spec", metavar="SPEC", nargs="?", help="the .dsspec file")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--audience", choices=("pm", "staff_ds", "engineer"), help="only the questions this reader needs")
    p.add_argument("--status", choices=("draft", "review", "approved"),
                   help="judge the design as if it had this status (the levels follow it)")
    p.add_argument("--catalogue", action="store_true",
                   help="list every question of the catalogue instead (markdown renders docs/questions.md)")


def run(args) -> int:
    if args.catalogue:
        return _catalogue(args.format)
    if not args.spec:
        raise UsageError("name a spec (`dsspec questions design.dsspec`), or use `--catalogue`")
    import json
    from pathlib import Path

    from dsspec.base import record
    from dsspec.compiler import pipeline
    from dsspec.compiler.emit import questions as agenda
    from dsspec.compiler.lint import questions as q
    from dsspec.compiler.lint.engine import context

    path = Path(args.spec)
    data, why = pipeline.read_source(path)
    if data is None:
        raise UsageError(f"`{args.spec}` {why}")
    config = pipeline.configured(path)
    if args.status:
        config = record.replace(config, questions={**config.questions, "status": args.status})
    result = pipeline.Session().compile(args.spec, data, path, config)
    if result.resolved is None or result.resolved.is_library:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        reason = f"it has {len(errors)} error(s); run `dsspec check`" if errors else "it declares no `product`"
        raise UsageError(f"`{args.spec}` cannot be reviewed: {reason}")
    ctx = context(config)
    status = q.status_of(result.resolved, config.questions)
    rows = agenda.agenda(result.resolved, ctx, config.questions)
    if args.format == "json":
        if args.audience:
            rows = [r for r in rows if args.audience in r["audiences"]]
        print(json.dumps({"path": args.spec, "status": status, "questions": rows}, indent=2))
    elif args.format == "markdown":
        sys.stdout.write(agenda.markdown(rows, args.spec, status, args.audience))
    else:
        sys.stdout.write(agenda.text(rows, args.spec, status, args.audience))
    return EXIT_OK


def _catalogue(fmt: str) -> int:
    from dsspec.compiler.emit.questions import catalogue_markdown
    from dsspec.compiler.lint.questions import questions

    if fmt == "markdown":
        sys.stdout.write(catalogue_markdown())
    elif fmt == "json":
        import dataclasses
        import json

        rows = [{k: v for k, v in dataclasses.asdict(x).items()} for x in questions()]
        print(json.dumps(rows, indent=2))
    else:
        width = max(len(x.id) for x in questions())
        for x in questions():
            print(f"{x.id:<{width}}  {x.element:<12}  {','.join(x.audiences):<22}  {x.ask}")
    return EXIT_OK
