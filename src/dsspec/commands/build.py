"""``dsspec build``: diagrams and design documents for each spec."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from dsspec.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError

HELP = "write diagrams of each view (DOT, SVG, PNG, PDF, Mermaid), design documents (Markdown) and JSON for specs"
DESCRIPTION = ("For each spec, write <stem>.dot/.svg (the system diagram, with findings outlined) and "
               "<stem>.<view>.dot/.svg for its other views (overview, ladder, data, pipeline, timeline, "
               "request_path), <stem>.md (the design document), <stem>.<audience>.md for each declared "
               "audience, and <stem>.json (the resolved model with findings). On request "
               "(--format openapi,alerts,notebook,excalidraw) also the engineer's artifacts: <stem>.openapi.json "
               "(the serving interface), <stem>.alerts.yml (Prometheus alert rules), <stem>.evaluation.ipynb (the "
               "evaluation notebook) and <stem>.excalidraw (the system view as an Excalidraw scene). Findings do "
               "not stop a build; --strict makes error findings fail it.")


def add_arguments(p) -> None:
    from dsspec.compiler.emit.artefacts import DEFAULT_FORMATS, DIRECTIONS, FORMATS
    from dsspec.compiler.emit.view import VIEWS

    p.add_argument("paths", nargs="+", metavar="SPEC", help="spec files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write into (created if missing)")
    p.add_argument("--format", default=",".join(DEFAULT_FORMATS), metavar="LIST",
                   help=f"comma-separated, of {', '.join(FORMATS)} (default: {','.join(DEFAULT_FORMATS)}); the list "
                        "replaces the default set, so `--format svg,png` writes no documents and no JSON")
    p.add_argument("--renderer", choices=("graphviz-pure", "dot"), default="graphviz-pure",
                   help="layout program: graphviz-pure (pip-installed, same bytes everywhere; default) or the "
                        "system Graphviz `dot` (needed for pdf)")
    p.add_argument("--backend", choices=("graphviz", "diagrams"), default="graphviz",
                   help="draw with dsspec's own Graphviz styling (default) or the `diagrams` package's icons")
    p.add_argument("--view", default="all", metavar="LIST",
                   help=f"comma-separated views to draw, of {', '.join(VIEWS)}, or all (default: all; pipeline only "
                        f"for designs with several models; a large design draws system and overview unless named)")
    p.add_argument("--direction", choices=DIRECTIONS, default="auto",
                   help="layout: TB (top to bottom), LR (left to right) or auto (TB unless it is not page-shaped; "
                        "default)")
    p.add_argument("--doc-diagrams", choices=("image", "mermaid"), default="image",
                   help="design documents embed diagrams as image links (default) or as Mermaid blocks")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and name the files in DIR that differ from what would be built")
    p.add_argument("--strict", action="store_true", help="exit 1 when any spec has error findings")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip files matching GLOB")


def run(args) -> int:
    from dsspec.compiler import pipeline
    from dsspec.base.codes import internal_error
    from dsspec.compiler.discovery import discover, unreadable_findings
    from dsspec.compiler.emit.artefacts import FORMATS, make
    from dsspec.compiler.emit.manifest import NAME as MANIFEST, Manifest
    from dsspec.compiler.report import concise

    formats = {f.strip() for f in args.format.split(",") if f.strip()}
    unknown = sorted(formats - set(FORMATS))
    if unknown or not formats:
        raise UsageError(f"unknown format {', '.join(f'`{u}`' for u in unknown) or '(empty)'}; "
                         f"choose from {', '.join(FORMATS)}")
    views = _views(args.view)
    found = discover(args.paths, tuple(args.exclude))
    files, missing = found.files, found.missing
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    unreadable = unreadable_findings(found)
    print(concise.render(unreadable), end="", file=sys.stderr)
    if not files:
        raise UsageError("no .dsspec files found")
    stems: dict[str, str] = {}
    for f in files:
        stem = Path(f).stem
        if stem == Path(MANIFEST).stem:
            raise UsageError(f"`{f}` would write over `{MANIFEST}`, the build's record of what it wrote; rename it")
        if stem in stems:
            raise _collision(stems[stem], f, f"{stem}.*")
        stems[stem] = f
    out_dir = Path(args.output)
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"`{out_dir}` exists and is not a folder")
    except OSError as err:
        raise UsageError(f"cannot use `{str(out_dir)[:200]}` as the output folder: {err.strerror or err}") from None

    left_out = [f for f in ("md", "json") if f not in formats]
    if left_out and not args.check:
        print(f"dsspec: note: --format replaces the default set; {_left_out(left_out)}", file=sys.stderr)
    session = pipeline.Session()
    planned: dict[str, bytes] = {}
    made_by: dict[str, str] = {}
    problems: list[str] = []
    errors = False
    unbuildable = bool(unreadable)
    crashed = False
    built_stems: set[str] = set()
    for f in files:
        result = pipeline.check_file(session, f)
        if result.diagnostics:
            print(concise.render(result.diagnostics), end="", file=sys.stderr)
        errors |= result.has_errors
        crashed |= any(d.rule == "internal-error" for d in result.diagnostics)
        if result.resolved is None:
            print(f"dsspec: cannot build `{f}`: it could not be read as a spec", file=sys.stderr)
            unbuildable = True
            continue
        if result.resolved.is_library:
            print(f"dsspec: skipped `{f}`: a library file (no `product`) has nothing to draw", file=sys.stderr)
            continue
        stem = Path(f).stem
        try:
            made = make(result.resolved, result.diagnostics, stem, formats, args.renderer, args.backend, views,
                        args.direction, args.doc_diagrams)
        except Exception as err:  # a bug in dsspec: said for this spec, the others are still built
            print(concise.render([internal_error(f, err, "building this file")]), end="", file=sys.stderr)
            crashed = True
            continue
        for note in made.notes:
            print(f"dsspec: note: {note}", file=sys.stderr)
        # the same guard on the files themselves: `a.dsspec`'s ladder view and `a.ladder.dsspec`'s system view
        # are both `a.ladder.svg`, and `a.pm.dsspec`'s document is `a.dsspec`'s audience `pm`; nothing is
        # written before every spec is made, so refusing here loses nothing
        clash = next((name for name in sorted(made.files) if name in made_by), None)
        if clash is not None:
            raise _collision(stems[made_by[clash]], f, clash)
        built_stems.add(stem)
        planned.update(made.files)
        made_by.update(dict.fromkeys(made.files, stem))
        problems += [p for p in made.problems if p not in problems]

    manifest = Manifest.read(out_dir) if out_dir.is_dir() else Manifest()
    if manifest.problem:
        print(f"dsspec: warning: `{out_dir / '.dsspec-build.json'}` {manifest.problem}; "
              "no file from an earlier build is removed", file=sys.stderr)
    orphans = manifest.stale(out_dir, planned, built_stems, formats)
    if args.check:
        stale = []
        for name, data in sorted(planned.items()):
            target = out_dir / name
            if not target.is_file():
                print(f"missing: {target}")  # not built yet (or deleted): nothing there is out of date
            elif target.read_bytes() != data:
                print(f"out of date: {target}")
            else:
                continue
            stale.append(str(target))
        for path in orphans:
            print(f"no longer built: {path}")
        stale += [str(p) for p in orphans]
        if stale:
            print(f"{len(stale)} of {len(planned)} files differ from what `dsspec build` would write", file=sys.stderr)
        for p in problems:
            print(f"dsspec: error: {p}", file=sys.stderr)
        return EXIT_USAGE if problems or crashed else (EXIT_FINDINGS if stale or unbuildable else EXIT_OK)

    _write(out_dir, planned, made_by, orphans, manifest)
    if planned:
        print(f"wrote {len(planned)} file{'' if len(planned) == 1 else 's'} to {out_dir}")
    for p in problems:
        print(f"dsspec: error: {p}; " + ("the other files were written" if planned else "nothing was written"),
              file=sys.stderr)
    if problems or crashed:
        return EXIT_USAGE
    if unbuildable or (args.strict and errors):
        return EXIT_FINDINGS
    return EXIT_OK


def _collision(first: str, second: str, name: str) -> UsageError:
    """The usage error for two specs whose outputs have the same name: one would silently replace the other."""
    return UsageError(f"`{first}` and `{second}` would both write `{name}`; build them into separate folders "
                      "or rename one (nothing was written)")


def _write(out_dir: Path, planned: dict[str, bytes], made_by: dict[str, str], orphans: list[Path], manifest) -> None:
    """Write the files all or nothing, remove the stale ones the manifest lists, then write the manifest.

    Every file is first written whole to a temporary name beside its target;
    only when all of them are written are they renamed into place, so a target
    that cannot be written (a folder in its way, no permission, a full disk)
    leaves the output folder as it was, and the error names that file.
    """
    from dsspec.compiler.emit.manifest import NAME
    from dsspec.compiler.emit.artefacts import format_of
    from dsspec.base.fsutil import write_atomic

    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot write into `{out_dir}`: the folder cannot be created: {err.strerror or err}") \
            from None
    staged: list[tuple[str, Path]] = []
    try:
        _real(out_dir / NAME)  # the manifest, too, is never written through a link out of the folder
        for name, data in sorted(planned.items()):
            staged.append((name, _stage(out_dir / name, data)))
    except UsageError:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()  # the folder this build made, still empty
        raise
    try:
        for name, tmp in staged:
            try:
                os.replace(tmp, _real(out_dir / name))
            except OSError as err:  # after every file was written whole: only a rename failed
                raise UsageError(f"cannot write `{out_dir / name}`: {err.strerror or err}") from None
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
    try:
        for path in orphans:
            path.unlink()
            print(f"removed {path}: no longer built")
        manifest.record({name: (made_by[name], format_of(name), data) for name, data in planned.items()},
                        orphans)
        write_atomic(_real(out_dir / NAME), manifest.text())
    except OSError as err:  # the built files are in place; only the clean-up or the record failed
        where = Path(err.filename) if err.filename else out_dir / NAME
        raise UsageError(f"cannot update `{where}`: {err.strerror or err}; the built files were written") from None


def _real(target: Path) -> Path:
    """Return where writing ``target`` lands: through a symbolic link to its target file.

    Raises ``UsageError`` when that is outside the output folder (a link planted in it must not
    make ``build`` replace a file elsewhere) or is a spec (``.dsspec``): the build writes only its own files.
    """
    if not target.is_symlink():
        return target
    real = Path(os.path.realpath(target))
    folder = Path(os.path.realpath(target.parent))
    if not real.is_relative_to(folder) or real.suffix == ".dsspec":
        where = "a spec" if real.is_relative_to(folder) else "outside the output folder"
        raise UsageError(f"`{target}` is a symbolic link to `{str(real)[:200]}`, {where}; "
                         "remove the link (nothing was written)")
    return real


def _cannot(target: Path, err: OSError) -> UsageError:
    return UsageError(f"cannot write `{target}`: {err.strerror or err}; nothing was written")


def _stage(target: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``target`` (with the mode the target will have); return it."""
    from dsspec.base.fsutil import stage

    real = _real(target)
    try:
        if real.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if real.exists() and not real.is_file():
            raise OSError(errno.EINVAL, "not a regular file")
        return stage(real, data)
    except OSError as err:
        raise _cannot(target, err) from None


def _views(text: str) -> list[str] | None:
    """Return the views named in ``--view`` (``None`` for all), or raise a usage error naming the unknown."""
    from dsspec.compiler.emit.view import VIEWS

    names = [v.strip() for v in text.split(",") if v.strip()]
    if "all" in names:
        return None
    unknown = [v for v in names if v not in VIEWS]
    if unknown or not names:
        raise UsageError(f"unknown view {', '.join(f'`{u}`' for u in unknown) or '(empty)'}; "
                         f"choose from {', '.join(VIEWS)} or all")
    return names


def _left_out(kinds: list[str]) -> str:
    """Name what a ``--format`` list without ``md`` or ``json`` does not write, and how to get it back."""
    what = {"md": "design documents", "json": "JSON"}
    return (" and ".join(what[k] for k in kinds) + " not written: add "
            + " and ".join(f"`{k}`" for k in kinds) + " to --format")
