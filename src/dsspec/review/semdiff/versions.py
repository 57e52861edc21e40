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

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from dsspec.base import record
from dsspec.base.usage import UsageError
from dsspec.base.diagnostics import Diagnostic
from dsspec.base.paths import real
from dsspec.review.semdiff.changes import Change, compare
from dsspec.review.semdiff.facts import facts


@dataclass
class FileDiff:
    """What changed in one design: ``status`` is ``modified``, ``added`` or ``removed``."""

    path: str
    status: str
    changes: list[Change] = field(default_factory=list)
    introduced: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    note: str = ""
    """Said before the changes: the two versions look like two different designs."""
    accepted: list[Diagnostic] = field(default_factory=list)
    """Risks accepted by this change (``accepted-risk`` notes new here); their findings are not "fixed"."""
    unaccepted: list[Diagnostic] = field(default_factory=list)
    """Acceptances this change removed, or that expired: the findings are open again."""


def _git_session(ref: str, top: Path):
    """Return a session that reads included files as they were at ``ref``."""
    from dsspec.compiler import pipeline

    class AtRevision(pipeline.Session):
        def read(self, absolute: Path):
            try:
                rel = real(absolute).relative_to(real(top)).as_posix()
                return _git("show", f"{ref}:{rel}"), None
            except (ValueError, UsageError):
                return None, f"does not exist at `{ref}`"

    return AtRevision()


UNREADABLE = frozenset({"encoding-error", "input-too-large"})
"""Findings after which a version holds no design to compare: the diff stops with a usage error."""


def _compile(shown: str, data: bytes | None, at: Path, options, session=None, label: str = ""):
    """Return ``(spec or None, findings, texts)`` of one version (``data`` ``None``: it does not exist).

    A version that cannot be decoded is a ``UsageError`` naming it as ``label``:
    compared, it would look like a design with nothing in it.
    """
    from dsspec.compiler import pipeline

    if data is None:
        return None, [], {}
    session = session or pipeline.Session()
    result = session.compile(shown, data, at, pipeline.configured(at, options))
    for d in result.diagnostics:
        if d.path == shown and d.rule in UNREADABLE:
            why = f"{d.message} ({d.help})" if d.help else d.message
            raise UsageError(f"cannot compare {label or f'`{shown}`'}: {why}")
    spec = result.resolved.spec if result.resolved is not None else None
    return spec, result.diagnostics, session.texts([result])


def diff_versions(shown: str, old: bytes | None, new: bytes | None, at: Path, options,
                  old_session=None, old_label: str = "", old_path: str = "") -> FileDiff | None:
    """Return the diff of two versions of the spec shown as ``shown`` (on disk at ``at``); ``None`` if nothing
    changed. ``old_session`` reads the old version's includes (default: from the working tree);
    ``old_label`` names the old version in errors; ``old_path``, when it is another file, is where the
    findings it had (the fixed ones) are shown."""
    from dsspec.base.paths import repo_relative
    from dsspec.compiler.report.fingerprint import keyed

    if old == new and old_session is None:
        return None
    old_spec, old_diags, old_texts = _compile(shown, old, at, options, old_session, old_label)
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
    if old_path:  # the old version was compiled as if it stood here: its own findings belong to its own file
        from dsspec.base.paths import repo_root

        there = repo_relative(old_path) if repo_root(old_path) == repo_root(shown) else old_path
        fixed = [_moved(d, repo_relative(shown), there) for d in fixed]
    introduced, fixed, accepted, unaccepted = split_accepted(introduced, fixed)
    return FileDiff(repo_relative(shown), status, changes, introduced, fixed, texts,
                    unrelated(old_spec, new_spec) if status == "modified" else "", accepted, unaccepted)


def split_accepted(introduced: list[Diagnostic], fixed: list[Diagnostic]):
    """Return ``(introduced, fixed, accepted, unaccepted)``: accepting a finding neither fixes it nor
    introduces one, so the pair (finding gone, `accepted-risk` note come) is shown as accepted, and the
    reverse (an acceptance removed or expired) as unaccepted."""
    def key(note: Diagnostic) -> tuple:
        return (note.path, note.span.line, note.message.removeprefix("accepted risk [").split(" ", 1)[0])

    def plain(d: Diagnostic) -> tuple:
        return (d.path, d.span.line, d.code)

    new_notes = [d for d in introduced if d.rule == "accepted-risk"]
    old_notes = [d for d in fixed if d.rule == "accepted-risk"]
    accepted_keys = {key(d) for d in new_notes}
    released_keys = {key(d) for d in old_notes}
    fixed = [d for d in fixed if d.rule != "accepted-risk" and plain(d) not in accepted_keys]
    introduced = [d for d in introduced if d.rule != "accepted-risk" and plain(d) not in released_keys]
    return introduced, fixed, new_notes, old_notes


def _moved(d: Diagnostic, here: str, there: str) -> Diagnostic:
    """Return ``d`` with its places in the file ``here`` shown in the file ``there``."""
    related = tuple(record.replace(r, path=there) if r.path == here else r for r in d.related)
    return record.replace(d, path=there if d.path == here else d.path, related=related)


def unrelated(old, new) -> str:
    """Return a note when two versions look like two different designs: another product, and no source,
    input, output or model of one in the other (empty when they look related)."""
    if old is None or new is None or old.product is None or new.product is None:
        return ""
    before, after = old.product.name.name, new.product.name.name
    if before == after:
        return ""

    def parts(spec) -> set[str]:
        return {x.name.name for group in (spec.sources, spec.inputs, spec.outputs, spec.models) for x in group}

    if parts(old) & parts(new):
        return ""
    return (f"product `{before}` became `{after}` with no source, input, output or model in common: "
            "these look like two different designs, so the changes below compare unrelated things")


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
    from dsspec.compiler.pipeline import read_source

    data, why = read_source(path)
    if data is None:
        raise UsageError(f"`{path}` {why}")
    return data


def diff_files(old: str, new: str, options) -> list[FileDiff]:
    """Compare two spec files (the old one is compiled as if it were the new one)."""
    from dsspec.base.paths import display_path

    same = os.path.abspath(old) == os.path.abspath(new)
    found = diff_versions(display_path(new), _read(old), _read(new), Path(new), options,
                          old_label=f"`{display_path(old)}`", old_path="" if same else display_path(old))
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


def _names(out: bytes) -> set[str]:
    """Return the file names of git's ``-z`` output as the file system's ``str`` names: a byte that is
    not UTF-8 (a Latin-1 file name) is kept as Python keeps it in paths (``os.fsdecode``), never an error."""
    return {os.fsdecode(n) for n in out.split(b"\0") if n}


def diff_git(ref: str, paths: list[str], options) -> list[FileDiff]:
    """Compare every spec under ``paths`` (default: all) at ``ref`` with the working tree.

    A spec that did not change but includes a file that did is compared too:
    its findings may have changed with the library's sources or fields.
    """
    import re

    from dsspec.base.paths import display_path

    top = Path(os.fsdecode(_git("rev-parse", "--show-toplevel").strip()))
    try:
        _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"unknown git ref `{ref}` (give a branch, tag or commit)") from None
    for path in paths:  # a path in neither version is a typo, not "no design changes"
        if not os.path.lexists(path) and not _git("ls-tree", "--name-only", ref, "--", path).strip():
            raise UsageError(f"`{path}` exists neither in the working tree nor at `{ref}`")
    scope = ["--", *(paths or ["."])]
    names = _names(_git("diff", "--name-only", "--no-renames", "-z", ref, *scope))
    untracked = _names(_git("ls-files", "--others", "--exclude-standard", "--full-name", "-z", *scope))
    changed = {n for n in names | untracked if n.endswith(".dsspec")}
    tracked = _names(_git("ls-files", "--full-name", "-z", *scope))
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
        found = diff_versions(shown, old, new, on_disk, options, _git_session(ref, top), f"`{name}` at `{ref}`")
        if found is not None:
            out.append(found)
    return out
