"""The only place the stages are chained.

    bytes --decode--> text --parse--> Document --build--> Spec --resolve--> Resolved --lint--> findings

Every stage returns ``(result, diagnostics)`` and the chain keeps going with a
partial result, so one run reports syntax, schema, reference and design
findings together. Nothing here prints or exits: that is the CLI's job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dsspec.codes import core
from dsspec.diagnostics import Diagnostic
from dsspec.lint import config as configuration
from dsspec.model import nodes as n
from dsspec.model.build import build
from dsspec.model.resolve import Resolved, project_root, resolve
from dsspec.span import NOWHERE
from dsspec.syntax.cst import Document
from dsspec.syntax.parser import decode, parse


@dataclass
class FileResult:
    """Everything one spec compiled to; later stages' fields are ``None`` when an earlier one failed."""

    path: str
    text: str | None = None
    document: Document | None = None
    spec: n.Spec | None = None
    resolved: Resolved | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """Return whether any finding is an error."""
        return any(d.severity.value == "error" for d in self.diagnostics)


class Session:
    """One run: caches the files it has read, so an include shared by many
    specs is parsed once."""

    def __init__(self):
        self._docs: dict[Path, tuple[Document | None, n.Spec | None, list[Diagnostic]]] = {}

    def front(self, shown: str, data: bytes) -> tuple[Document | None, n.Spec | None, list[Diagnostic]]:
        """Return the document, typed model and findings of the decode, parse and build stages."""
        text, diags = decode(shown, data)
        if text is None:
            return None, None, diags
        doc, syntax = parse(shown, text)
        spec, schema = build(doc)
        return doc, spec, diags + syntax + schema

    def load(self, shown: str, absolute: Path) -> tuple[n.Spec | None, list[Diagnostic]]:
        """Read an included file (cached); ``(None, [])`` when it does not exist."""
        if absolute not in self._docs:
            try:
                data = absolute.read_bytes()
            except OSError:
                return None, []
            self._docs[absolute] = self.front(shown, data)
        _, spec, diags = self._docs[absolute]
        if spec is None:  # undecodable: it declares nothing, and its own finding says why
            spec = n.Spec.model_construct(span=NOWHERE, path=shown)
        return spec, diags

    def texts(self, results: list[FileResult]) -> dict[str, str]:
        """Return the text of every file the results and their includes were read from, by shown path."""
        out = {r.path: r.text for r in results if r.text is not None}
        for doc, _, _ in self._docs.values():
            if doc is not None:
                out.setdefault(doc.path, doc.text)
        return out

    def compile(self, shown: str, data: bytes, file: Path | None,
                config: configuration.Config | None = None) -> FileResult:
        """Run every stage on one spec's bytes; ``file`` is its path on disk (``None`` for stdin)."""
        result = FileResult(shown)
        doc, spec, diags = self.front(shown, data)
        result.document, result.spec, result.diagnostics = doc, spec, diags
        if spec is None:
            return result
        result.text = doc.text
        if file is not None:
            self._docs.setdefault(file.resolve(), (doc, spec, diags))
        root = project_root(file) if file is not None else None
        resolved, refs = resolve(spec, self.load if file is not None else None, root)
        result.resolved = resolved
        result.diagnostics += refs
        if config is None:
            config = configuration.config_at(configuration.find_config(file or Path.cwd() / "stdin.dsspec"))
        result.diagnostics += config.diagnostics
        from dsspec.lint.engine import run

        result.diagnostics += run(resolved, config, doc.comments)
        result.diagnostics = _unique(result.diagnostics)
        return result


def _unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (d.path, d.span, d.code, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Return the spec files named by ``paths`` (folders searched for ``*.dsspec``, sorted) and
    the paths that do not exist."""
    import fnmatch

    files: list[str] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for name in sorted(names):
                    if name.endswith(".dsspec"):
                        files.append(os.path.join(root, name))
        elif path.is_file():
            files.append(raw)
        else:
            missing.append(raw)
    if exclude:
        files = [f for f in files if not any(fnmatch.fnmatch(Path(f).as_posix(), pat) or
                                             fnmatch.fnmatch(Path(f).name, pat) for pat in exclude)]
    return files, missing


def check_file(session: Session, path: str) -> FileResult:
    """Compile the spec at ``path`` (which exists)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as err:
        return FileResult(path, diagnostics=[core("read-error", path, NOWHERE, f"cannot read the file: {err.strerror}")])
    return session.compile(path, data, file)


def check_paths(paths: list[str], exclude: tuple[str, ...] = ()) -> tuple[list[FileResult], list[str]]:
    """Compile every spec the paths name; return the results (sorted by path) and the missing paths."""
    files, missing = discover(paths, exclude)
    session = Session()
    return [check_file(session, f) for f in files], missing
