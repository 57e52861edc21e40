"""Two versions of each design, compiled and compared: from two files, or from git.

``dsspec diff OLD NEW`` compares two files; ``dsspec diff --git REF [PATH...]``
compares every ``.dsspec`` file that differs between the revision ``REF`` and
the working tree (added and deleted ones too). The old version is compiled as
if it stood at the new one's path, under the same configuration, so findings
pair by fingerprint (repo-relative path, rule, message and line text: stable
when lines move). With git, the old version's includes are read at ``REF``;
with two files, from the working tree for both.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from dsspec.commands import UsageError
from dsspec.diagnostics import Diagnostic
from dsspec.paths import real
from dsspec.semdiff.changes import Change, compare
from dsspec.semdiff.facts import facts


@dataclass
class FileDiff:
    """What changed in one design: ``status`` is ``modified``, ``added`` or ``removed``."""

    path: str
    status: str
    changes: list[Change] = field(default_factory=list)
    introduced: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def _git_session(ref: str, top: Path):
    """Return a session that reads included files as they were at ``ref``."""
    from dsspec import pipeline

    class AtRevision(pipeline.Session):
        def read(self, absolute: Path):
            try:
                rel = real(absolute).relative_to(real(top)).as_posix()
                return _git("show", f"{ref}:{rel}"), None
            except (ValueError, UsageError):
                return None, f"does not exist at `{ref}`"

    return AtRevision()


def _compile(shown: str, data: bytes | None, at: Path, options, session=None):
    """Return ``(spec or None, findings, texts)`` of one version (``data`` ``None``: it does not exist)."""
    from dsspec import pipeline

    if data is None:
        return None, [], {}
    session = session or pipeline.Session()
    result = session.compile(shown, data, at, pipeline.configured(at, options))
    spec = result.resolved.spec if result.resolved is not None else None
    return spec, result.diagnostics, session.texts([result])


def diff_versions(shown: str, old: bytes | None, new: bytes | None, at: Path, options,
                  old_session=None) -> FileDiff | None:
    """Return the diff of two versions of the spec shown as ``shown`` (on disk at ``at``); ``None`` if nothing
    changed. ``old_session`` reads the old version's includes (default: from the working tree)."""
    from dsspec.paths import repo_relative
    from dsspec.report.fingerprint import keyed

    if old == new and old_session is None:
        return None
    old_spec, old_diags, old_texts = _compile(shown, old, at, options, old_session)
    new_spec, new_diags, new_texts = _compile(shown, new, at, options)
    status = "added" if old is None else "removed" if new is None else "modified"
    before = dict(keyed(old_diags, old_texts))
    after = dict(keyed(new_diags, new_texts))
    changes = compare(facts(old_spec), facts(new_spec)) if old_spec is not None and new_spec is not None else []
    if status == "modified" and not changes and before.keys() == after.keys():
        return None  # comments or layout only, or an include that changed nothing this spec reports
    texts = {repo_relative(p): t for p, t in {**old_texts, **new_texts}.items()}
    introduced, fixed = _unpaired([d for fp, d in after.items() if fp not in before],
                                  [d for fp, d in before.items() if fp not in after],
                                  {repo_relative(p): t for p, t in new_texts.items()},
                                  {repo_relative(p): t for p, t in old_texts.items()})
    return FileDiff(repo_relative(shown), status, changes, introduced, fixed, texts)


def _unpaired(new: list[Diagnostic], old: list[Diagnostic], new_texts: dict[str, str],
              old_texts: dict[str, str]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Drop the findings that are the same finding with another message: same file, rule and line text.

    Relaxing `latency p99 <= 80ms` to `<= 20ms` rewords the findings that quote
    the target; they were there before, so they are neither new nor fixed.
    """
    def anchor(d: Diagnostic, texts: dict[str, str]) -> tuple:
        lines = texts.get(d.path, "").split("\n")
        line = " ".join(lines[d.span.line - 1].split()) if 0 < d.span.line <= len(lines) else ""
        return d.path, d.code, line

    waiting: dict[tuple, list[Diagnostic]] = {}
    for d in old:
        waiting.setdefault(anchor(d, old_texts), []).append(d)
    still_new = []
    for d in new:
        twins = waiting.get(anchor(d, new_texts))
        if twins:
            twins.pop(0)
        else:
            still_new.append(d)
    left = {id(d) for twins in waiting.values() for d in twins}
    return still_new, [d for d in old if id(d) in left]


def _read(path: str) -> bytes:
    from dsspec.pipeline import read_source

    data, why = read_source(path)
    if data is None:
        raise UsageError(f"`{path}` {why}")
    return data


def diff_files(old: str, new: str, options) -> list[FileDiff]:
    """Compare two spec files (the old one is compiled as if it were the new one)."""
    from dsspec.paths import display_path

    found = diff_versions(display_path(new), _read(old), _read(new), Path(new), options)
    return [found] if found is not None else []


def _git(*args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("`--git` needs git on the PATH") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(proc.returncode)}")
    return proc.stdout


def diff_git(ref: str, paths: list[str], options) -> list[FileDiff]:
    """Compare every spec under ``paths`` (default: all) at ``ref`` with the working tree.

    A spec that did not change but includes a file that did is compared too:
    its findings may have changed with the library's sources or fields.
    """
    import os
    import re

    from dsspec.paths import display_path

    top = Path(_git("rev-parse", "--show-toplevel").decode().strip())
    _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    scope = ["--", *(paths or ["."])]
    names = set(_git("diff", "--name-only", "--no-renames", "-z", ref, *scope).decode().split("\0"))
    untracked = set(_git("ls-files", "--others", "--exclude-standard", "--full-name", "-z", *scope).decode().split("\0"))
    changed = {n for n in names | untracked if n.endswith(".dsspec")}
    tracked = set(_git("ls-files", "--full-name", "-z", *scope).decode().split("\0"))
    bases = {Path(n).name for n in changed}
    dependents = set()
    for name in sorted(n for n in tracked - changed if n.endswith(".dsspec") and bases):
        try:
            text = (top / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(Path(m).name in bases for m in re.findall(r'^\s*include\s+"([^"]*)"', text, re.M)):
            dependents.add(name)
    out = []
    for name in sorted(changed | dependents):
        on_disk = top / name
        shown = display_path(os.path.abspath(on_disk))
        try:
            old = _git("show", f"{ref}:{name}")
        except UsageError:
            old = None  # not in the revision: added since
        new = _read(shown) if on_disk.exists() else None
        found = diff_versions(shown, old, new, on_disk, options, _git_session(ref, top))
        if found is not None:
            out.append(found)
    return out
