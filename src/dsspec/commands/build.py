"""``dsspec build``: diagrams and design documents for each spec."""

from __future__ import annotations

import sys
from pathlib import Path

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError

HELP = "write diagrams (DOT, SVG, PNG, PDF), design documents (Markdown) and JSON for specs"
DESCRIPTION = ("For each spec, write <stem>.dot/.svg (the system diagram, with findings outlined), <stem>.md (the "
               "design document), <stem>.<audience>.md for each declared audience, and <stem>.json (the resolved "
               "model with findings). Findings do not stop a build; --strict makes error findings fail it.")


def add_arguments(p) -> None:
    from dsspec.emit.artefacts import DEFAULT_FORMATS, FORMATS

    p.add_argument("paths", nargs="+", metavar="SPEC", help="spec files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write into (created if missing)")
    p.add_argument("--format", default=",".join(DEFAULT_FORMATS), metavar="LIST",
                   help=f"comma-separated, of {', '.join(FORMATS)} (default: {','.join(DEFAULT_FORMATS)})")
    p.add_argument("--renderer", choices=("graphviz-pure", "dot"), default="graphviz-pure",
                   help="layout program: graphviz-pure (pip-installed, same bytes everywhere; default) or the "
                        "system Graphviz `dot` (needed for pdf)")
    p.add_argument("--backend", choices=("graphviz", "diagrams"), default="graphviz",
                   help="draw with dsspec's own Graphviz styling (default) or the `diagrams` package's icons")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and name the files in DIR that differ from what would be built")
    p.add_argument("--strict", action="store_true", help="exit 1 when any spec has error findings")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip files matching GLOB")


def run(args) -> int:
    from dsspec import pipeline
    from dsspec.discovery import discover
    from dsspec.emit.artefacts import FORMATS, make
    from dsspec.fsutil import write_atomic
    from dsspec.report import concise

    formats = {f.strip() for f in args.format.split(",") if f.strip()}
    unknown = sorted(formats - set(FORMATS))
    if unknown or not formats:
        raise UsageError(f"unknown format {', '.join(f'`{u}`' for u in unknown) or '(empty)'}; "
                         f"choose from {', '.join(FORMATS)}")
    files, missing = discover(args.paths, tuple(args.exclude))
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    if not files:
        raise UsageError("no .dsspec files found")
    stems: dict[str, str] = {}
    for f in files:
        stem = Path(f).stem
        if stem in stems:
            raise UsageError(f"`{stems[stem]}` and `{f}` would both write `{stem}.*`; build them into separate folders")
        stems[stem] = f
    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"`{out_dir}` exists and is not a folder")

    session = pipeline.Session()
    planned: dict[str, bytes] = {}
    problems: list[str] = []
    errors = False
    unbuildable = False
    built_stems: set[str] = set()
    for f in files:
        result = pipeline.check_file(session, f)
        if result.diagnostics:
            sys.stderr.write(concise.render(result.diagnostics))
        errors |= result.has_errors
        if result.resolved is None:
            print(f"dsspec: cannot build `{f}`: it could not be read as a spec", file=sys.stderr)
            unbuildable = True
            continue
        if result.resolved.is_library:
            print(f"dsspec: skipped `{f}`: a library file (no `product`) has nothing to draw", file=sys.stderr)
            continue
        made = make(result.resolved, result.diagnostics, Path(f).stem, formats, args.renderer, args.backend)
        built_stems.add(Path(f).stem)
        planned.update(made.files)
        problems += [p for p in made.problems if p not in problems]

    orphans = _orphans(out_dir, planned, built_stems, formats)
    if args.check:
        stale = []
        for name, data in sorted(planned.items()):
            target = out_dir / name
            if not target.is_file() or target.read_bytes() != data:
                stale.append(str(target))
        for name in stale:
            print(f"out of date: {name}")
        for path in orphans:
            print(f"no longer built: {path}")
        stale += [str(p) for p in orphans]
        if stale:
            print(f"{len(stale)} of {len(planned)} files differ from what `dsspec build` would write", file=sys.stderr)
        for p in problems:
            print(f"dsspec: error: {p}", file=sys.stderr)
        return EXIT_USAGE if problems else (EXIT_FINDINGS if stale or unbuildable else EXIT_OK)

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(planned.items()):
            write_atomic(out_dir / name, data)
        for path in orphans:
            path.unlink()
            print(f"removed {path}: no longer built")
    except OSError as err:
        raise UsageError(f"cannot write into `{out_dir}`: {err.strerror or err}") from None
    if planned:
        print(f"wrote {len(planned)} file{'' if len(planned) == 1 else 's'} to {out_dir}")
    for p in problems:
        print(f"dsspec: error: {p}; " + ("the other files were written" if planned else "nothing was written"),
              file=sys.stderr)
    if problems:
        return EXIT_USAGE
    if unbuildable or (args.strict and errors):
        return EXIT_FINDINGS
    return EXIT_OK


def _orphans(out_dir: Path, planned: dict[str, bytes], stems: set[str], formats: set[str]) -> list[Path]:
    """Return audience documents in ``out_dir`` that an earlier build wrote and this one would not.

    Only ``<stem>.<audience>.md`` of the specs being built count: an audience
    removed from a spec leaves its document behind otherwise, and `--check`
    would call the folder current.
    """
    if "md" not in formats or not out_dir.is_dir():
        return []
    out = []
    for stem in sorted(stems):
        for path in sorted(out_dir.glob(f"{stem}.*.md")):
            middle = path.name[len(stem) + 1:-3]
            if middle.isidentifier() and path.name not in planned:
                out.append(path)
    return out
