"""The Python API: check, build and diff designs from code (notebooks, other tools, tests).

Everything the command line does, without printing or exiting::

    from dsspec import api

    findings = api.check_text(open("fraud.dsspec").read(), path="fraud.dsspec")
    report = api.check_paths(["specs/"])
    if report.failed():                        # a finding at or above "error"
        for d in report.findings:
            print(d.path, d.span.line, d.code, d.message, d.fix)

    files = api.build("specs/fraud.dsspec", formats=("svg", "md")).files   # {name: bytes}
    for change in api.diff("old.dsspec", "new.dsspec")[0].changes:
        print(change.section, change.attribute, change.verdict)

Findings are ``dsspec.base.diagnostics.Diagnostic`` (code, rule, severity, message,
path, span, help, related, fix). A mistake in the call itself (a missing file,
an unknown rule) raises ``UsageError``; mistakes in a spec are findings, never
exceptions. The names in ``__all__`` are the stable API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dsspec.commands import UsageError
from dsspec.base.diagnostics import Diagnostic, Severity

__all__ = ["UsageError", "Diagnostic", "Severity", "CheckReport", "BuildResult", "check_text", "check_paths",
           "build", "diff", "diff_git"]


@dataclass
class CheckReport:
    """The findings of a check, the files checked and their texts (for excerpts and fixes)."""

    findings: list[Diagnostic]
    files: list[str]
    texts: dict[str, str] = field(default_factory=dict)

    def failed(self, fail_level: str = "error") -> bool:
        """Return whether a finding is at or above ``fail_level`` (``error``, ``warning`` or ``info``)."""
        from dsspec.commands.check import at_fail_level

        return at_fail_level(self.findings, fail_level)


@dataclass
class BuildResult:
    """What ``build`` made for one spec: file names to bytes, the findings, and renderer problems."""

    files: dict[str, bytes]
    findings: list[Diagnostic]
    problems: list[str]


def _options(select: Sequence[str], ignore: Sequence[str], extend_select: Sequence[str] = (),
             config: str | Path | None = None):
    from dsspec.commands import known_rule
    from dsspec.compiler.result import Options
    from dsspec.base.paths import real

    for selector in (*select, *ignore, *extend_select):
        known_rule(selector)
    from dsspec.compiler.lint.config import refresh

    refresh()  # a long-lived caller sees an edited dsspec.toml: every entry point passes here or in `build`
    config_file = real(config) if config is not None else None
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"no such configuration file: `{config}`")
    return Options(tuple(select), tuple(ignore), tuple(extend_select), config_file)


def check_text(text: str, path: str = "<text>", *, select: Sequence[str] = (), ignore: Sequence[str] = (),
               config: str | Path | None = None) -> list[Diagnostic]:
    """Return the findings on spec ``text``; ``path`` is how it is reported and where its configuration is
    looked up from (includes are not followed: there is no file to resolve them against)."""
    from dsspec.compiler import pipeline

    options = _options(select, ignore, config=config)
    at = Path(path) if not path.startswith("<") else Path.cwd() / "text.dsspec"
    result = pipeline.Session().compile(path, text.encode("utf-8"), None, pipeline.configured(at, options))
    return result.diagnostics


def check_paths(paths: Sequence[str | Path] = (".",), *, select: Sequence[str] = (), ignore: Sequence[str] = (),
                extend_select: Sequence[str] = (), config: str | Path | None = None, exclude: Sequence[str] = (),
                respect_gitignore: bool = True, jobs: int = 1, cache: bool = False) -> CheckReport:
    """Check the specs under ``paths`` as ``dsspec check`` does; ``cache`` uses the result cache."""
    from dsspec.compiler.discovery import discover
    from dsspec.compiler.result import spare_included_libraries, unique
    from dsspec.review.cache import Cache, check_cached

    options = _options(select, ignore, extend_select, config)
    found = discover([str(p) for p in paths], tuple(exclude), respect_gitignore, options.config_file)
    files, missing = found.files, found.missing
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(f"`{m}`" for m in missing))
    results, texts = check_cached(files, options, jobs, Cache.for_run(options) if cache else None, found)
    spare_included_libraries(results)
    return CheckReport(unique(d for r in results for d in r.diagnostics), files, texts)


def build(spec: str | Path, formats: Sequence[str] = ("svg", "dot", "md", "json"), *,
          renderer: str = "graphviz-pure", backend: str = "graphviz") -> BuildResult:
    """Return the files ``dsspec build`` would write for ``spec`` (nothing is written)."""
    from dsspec.compiler import pipeline
    from dsspec.compiler.emit.artefacts import FORMATS, make
    from dsspec.base.paths import display_path

    from dsspec.compiler.lint.config import refresh

    refresh()
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(f"unknown format {', '.join(f'`{u}`' for u in unknown)}; choose from {', '.join(FORMATS)}")
    shown = display_path(spec)
    if not Path(shown).is_file():
        raise UsageError(f"no such file: `{spec}`")
    result = pipeline.check_file(pipeline.Session(), shown)
    if result.resolved is None or result.resolved.is_library:
        return BuildResult({}, result.diagnostics, [f"`{shown}` has nothing to draw (unreadable, or a library)"])
    made = make(result.resolved, result.diagnostics, Path(shown).stem, set(formats), renderer, backend)
    return BuildResult(made.files, result.diagnostics, made.problems)


def diff(old: str | Path, new: str | Path, *, select: Sequence[str] = (), ignore: Sequence[str] = (),
         config: str | Path | None = None) -> list:
    """Return the semantic diff of two spec files (``dsspec.review.semdiff.versions.FileDiff``; empty when identical)."""
    from dsspec.review.semdiff.versions import diff_files

    return diff_files(str(old), str(new), _options(select, ignore, config=config))


def diff_git(ref: str, paths: Sequence[str | Path] = (), *, select: Sequence[str] = (),
             ignore: Sequence[str] = (), config: str | Path | None = None) -> list:
    """Return the semantic diff of every spec under ``paths`` between git revision ``ref`` and the working tree."""
    from dsspec.review.semdiff.versions import diff_git as run

    return run(ref, [str(p) for p in paths], _options(select, ignore, config=config))
