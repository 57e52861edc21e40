"""The only place the stages are chained.

    bytes --decode--> text --parse--> Document --build--> Spec --resolve--> Resolved --lint--> findings

Every stage returns ``(result, diagnostics)`` and the chain keeps going with a
partial result, so one run reports syntax, schema, reference and design
findings together. Nothing here prints or exits: that is the CLI's job.
"""

from __future__ import annotations

import os
from pathlib import Path

from dsspec.base.codes import core, internal_error
from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.fixes import FIXABLE, attach
from dsspec.compiler.lint import config as configuration
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.build import build
from dsspec.compiler.model.resolve import Resolved, resolve
from dsspec.base.paths import printable, project_root, real
from dsspec.base.span import NOWHERE, Span
from dsspec.compiler.syntax.cst import Document
from dsspec.compiler.result import DEFAULT, FileResult, Options, spare_included_libraries, unique  # noqa: F401
from dsspec.compiler.syntax.parser import MAX_FILE_BYTES, decode, parse  # noqa: F401  (MAX_FILE_BYTES: callers read it here)
from dsspec.compiler.syntax.source import read_source


SYNTAX_FAILURES = frozenset({"syntax-error", "nesting-too-deep", "input-too-large", "encoding-error"})
"""Findings after which the model is partial, so design rules are not run on it."""

SCHEMA_FAILURES = frozenset({"unknown-statement", "invalid-value", "missing-value"})
"""Findings that reject a statement: design findings starting where it starts would pile on the same mistake."""

SUPPRESSION_CHECKS = frozenset({"unused-suppression", "suppression-missing-reason"})
"""Findings about suppression comments, which stand whatever else their line holds."""


class Session:
    """One run: caches the included files it has read, so an include shared by
    many specs is parsed once. The specs themselves are not kept: a run over
    thousands of files holds only their findings."""

    def __init__(self):
        self._docs: dict[Path, tuple[Document | None, n.Spec | None, list[Diagnostic]]] = {}

    def front(self, shown: str, data: bytes) -> tuple[Document | None, n.Spec | None, list[Diagnostic]]:
        """Return the document, typed model and findings of the decode, parse and build stages."""
        text, diags = decode(shown, data)
        if text is None:
            return None, None, diags
        doc, syntax = self.parse(shown, text)
        spec, schema = build(doc)
        if syntax:  # a statement broken by a syntax error gets that finding only, not a schema one too
            broken = {d.span.line for d in syntax}
            schema = [d for d in schema if d.span.line not in broken]
        return doc, spec, diags + syntax + schema

    def parse(self, shown: str, text: str) -> tuple[Document, list[Diagnostic]]:
        """Return the syntax tree and syntax findings of a decoded text (an editor's session reuses earlier parses)."""
        return parse(shown, text)

    def load(self, shown: str, absolute: Path) -> tuple[n.Spec | None, list[Diagnostic] | str]:
        """Read an included file (cached); ``(None, why)`` when it cannot be read."""
        if absolute not in self._docs:
            data, why = self.read(absolute)
            if data is None:
                return None, why
            self._docs[absolute] = self.front(shown, data)
        _, spec, diags = self._docs[absolute]
        if spec is None:  # undecodable: it declares nothing, and its own finding says why
            spec = n.Spec.model_construct(span=NOWHERE, path=shown)
        return spec, diags

    def read(self, absolute: Path) -> tuple[bytes | None, str | None]:
        """Return an included file's bytes, or ``None`` and why not (a session over another version overrides it)."""
        return read_source(absolute)

    def texts(self, results: list[FileResult]) -> dict[str, str]:
        """Return the text of every file the results and their includes were read from, by shown path."""
        out = {r.path: r.text for r in results if r.text is not None}
        for doc, _, _ in self._docs.values():
            if doc is not None:
                out.setdefault(doc.path, doc.text)
        return out

    def compile(self, shown: str, data: bytes, file: Path | None,
                config: configuration.Config | None = None) -> FileResult:
        """Run every stage on one spec's bytes; ``file`` is its path on disk (``None`` for stdin).

        Never raises: an exception (a bug in dsspec) becomes this file's
        ``internal-error`` finding, so the other files of the run are still checked.
        """
        try:
            return self._compile(shown, data, file, config)
        except Exception as err:
            return FileResult(shown, diagnostics=[internal_error(shown, err, "checking this file")])

    def _compile(self, shown: str, data: bytes, file: Path | None, config: configuration.Config | None) -> FileResult:
        result = FileResult(shown)
        doc, spec, diags = self.front(shown, data)
        result.document, result.spec, result.diagnostics = doc, spec, diags
        if spec is None:
            return result
        result.text = doc.text
        root = project_root(file) if file is not None else None
        resolved, refs = resolve(spec, self.load if file is not None else None, root)
        broken = {(d.path, d.span.line) for d in diags if d.rule in SYNTAX_FAILURES}
        refs = [d for d in refs if (d.path, d.span.line) not in broken]  # the syntax finding says it all
        result.resolved = resolved
        result.includes = [inc.path for inc in resolved.included]
        result.diagnostics += refs
        if resolved.is_library and not any(st.name == "product" for st in doc.statements) and \
                not any(d.rule in SYNTAX_FAILURES for d in result.diagnostics):
            # a `product` written but broken has its own finding; calling the file a library would mislead
            result.diagnostics.append(core(
                "library-file", shown, Span(1, 1, 1, 1, 0, 0),
                "library file: design rules not run (no `product`)",
                help="check it through a product that includes it, or add `product NAME { ... }` if it is a design"))
        if config is None:
            config = configuration.config_at(configuration.find_config(file or Path.cwd() / "stdin.dsspec"))
        result.diagnostics += config.diagnostics
        if resolved.is_library:
            from dsspec.compiler.lint.engine import switched_off

            if switched_off(config, shown, "DS024", "library-file"):
                result.diagnostics = [d for d in result.diagnostics if d.rule != "library-file"]
        if not any(d.rule in SYNTAX_FAILURES for d in result.diagnostics):
            # design rules judge a whole design; on a partial parse they would report what was lost
            from dsspec.compiler.lint.engine import run

            broken = {d.span.offset for d in result.diagnostics if d.rule in SCHEMA_FAILURES}
            # one mistake, one message: a statement the schema rejected gets no design finding on top
            result.diagnostics += [d for d in run(resolved, config, doc.comments)
                                   if d.span.offset not in broken or d.rule in SUPPRESSION_CHECKS]
        result.diagnostics = unique(sorted(result.diagnostics, key=Diagnostic.sort_key))
        if any(d.code in FIXABLE for d in result.diagnostics):
            result.diagnostics = attach(result.diagnostics, self.texts([result]))
        return result


def configured(path: Path, options: Options = DEFAULT) -> configuration.Config:
    """Return the configuration for the spec at ``path``, with command-line selections on top."""
    from dsspec.base import record

    cfg = configuration.config_at(options.config_file or configuration.find_config(path))
    select = options.select or cfg.select
    if options.extend_select and select:  # an empty `select` means every rule already
        select = select + options.extend_select
    if select != cfg.select or options.ignore:
        cfg = record.replace(cfg, select=select, ignore=cfg.ignore + options.ignore)
    if options.preview and not cfg.preview:
        cfg = record.replace(cfg, preview=True, origins={**cfg.origins, "preview": "--preview"})
    return cfg


def check_file(session: Session, path: str, options: Options = DEFAULT) -> FileResult:
    """Compile the spec at ``path`` under its configuration (and the what-if ``options.settings``)."""
    file = Path(path)
    shown = printable(path)
    data, why = read_source(file)
    if data is None:
        return FileResult(shown, diagnostics=[core("read-error", shown, NOWHERE, f"`{shown}` {why}")])
    if options.settings:
        from dsspec.compiler.whatif import apply_settings

        data = apply_settings(path, data, options.settings)
    try:
        config = configured(file, options)
    except Exception as err:  # a bug in dsspec: a finding on this file, not a crash of the run
        return FileResult(shown, diagnostics=[internal_error(shown, err, "reading its configuration")])
    return session.compile(shown, data, file, config)


def _check_chunk(files: list[str], options: Options):
    """Compile ``files``; each result is slimmed to findings, text and includes as soon as it is made, so a
    run holds one model at a time however many files it checks."""
    session = Session()
    slim = []
    for f in files:
        r = check_file(session, f, options)
        slim.append(FileResult(r.path, r.text, diagnostics=r.diagnostics, includes=r.includes))
    return slim, session.texts(slim)


def check_many(files: list[str], options: Options = DEFAULT, jobs: int = 1) -> tuple[list[FileResult], dict[str, str]]:
    """Compile many specs, in ``jobs`` processes (at most one per core) when there are enough to pay for them.

    Returns the results in the order of ``files`` (so output is the same
    whatever ``jobs`` is) and the text of every file read, for reports. The
    results carry findings and text only, not the models, so memory stays
    flat over thousands of files. The result cache is the caller's
    (``dsspec.review.cache.check_cached``): a cached run loads no compiler.
    """
    jobs = min(jobs, available_cores())  # more processes than cores only cost memory and start-up
    return _compile_many(files, options, jobs)


def _compile_many(files: list[str], options: Options, jobs: int) -> tuple[list[FileResult], dict[str, str]]:
    if jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        return _check_chunk(files, options)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(8, -(-len(files) // (jobs * 4)))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # load the rules and the parse tables once, here, so forked workers inherit them
    from dsspec.compiler.lint.registry import all_rules
    from dsspec.compiler.syntax.parser import _machinery

    all_rules()
    _machinery()
    results: list[FileResult] = []
    texts: dict[str, str] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for slim, chunk_texts in pool.map(_check_chunk, chunks, [options] * len(chunks)):
            results.extend(slim)
            texts.update(chunk_texts)
    return results, texts


def available_cores() -> int:
    """Return the cores this process may run on (its CPU affinity where the system says, else all)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


PARALLEL_MIN_FILES = 32
"""Below this many files one process is faster than starting workers."""
