"""Baselines: adopt dsspec on existing specs by recording today's findings and reporting only new ones.

``check --write-baseline FILE`` records every finding's fingerprint (the
repo-relative, line-shift-proof one SARIF and GitLab use); ``check --baseline
FILE`` drops the findings it records and says which entries no longer match a
finding (fixed, so the baseline can shrink). The file is JSON sorted by path,
so it diffs well in review.
"""

from __future__ import annotations

import json
import sys

from dsspec.base.usage import UsageError
from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.report.common import safe
from dsspec.compiler.report.fingerprint import keyed

VERSION = 1
MAX_BYTES = 256 * 2**20
"""A baseline larger than this is refused before it is parsed (one entry is about 300 bytes)."""


def plural(n: int, one: str, many: str) -> str:
    """Return ``"1 entry"`` / ``"2 entries"``."""
    return f"{n} {one if n == 1 else many}"


def write(path: str, diags: list[Diagnostic], texts: dict[str, str], inputs=()) -> int:
    """Record ``diags`` in the baseline file ``path`` (atomically; never over one of ``inputs``, the files the
    run read: ``fsutil.write_output``); return how many."""
    from dsspec.base.fsutil import write_output

    entries = sorted(({"fingerprint": fp, "path": d.path, "code": d.code, "rule": d.rule, "message": d.message}
                      for fp, d in keyed(diags, texts)), key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    doc = {"version": VERSION, "tool": "dsspec", "findings": entries}
    write_output(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n", inputs, "--write-baseline")
    return len(entries)


def read(path: str) -> list[dict]:
    """Return the entries of a baseline file; raise ``UsageError`` when it is missing or malformed."""
    import os
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe or /dev/zero would never end
            raise UsageError(f"the baseline `{path}` is not a regular file")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise UsageError(f"the baseline `{path}` is over {MAX_BYTES // 2**20} MiB; no baseline is that large")
        doc = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no such baseline: `{path}` (create it with `--write-baseline {path}`)") from None
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read the baseline `{path}`: {err}") from None
    except RecursionError:  # nested past Python's stack: no baseline is shaped like that
        raise UsageError(f"`{path}` is not a dsspec baseline (version {VERSION}): it is nested too deeply") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    entries = doc.get("findings") if type(version) is int and version == VERSION else None  # noqa: E721 (true == 1)
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                and isinstance(e.get("path", ""), str) for e in entries):
        raise UsageError(f"`{path}` is not a dsspec baseline (version {VERSION})")
    return entries


def split(entries: list[dict], diags: list[Diagnostic], texts: dict[str, str],
          files: list[str]) -> tuple[list[Diagnostic], list[dict]]:
    """Return the findings the baseline does not record, and the entries of the checked ``files`` that
    no finding matches any more (stale)."""
    from dsspec.base.paths import repo_relative

    known = {e["fingerprint"] for e in entries}
    found = keyed(diags, texts)
    new = [d for (fp, _), d in zip(found, diags) if fp not in known]
    current = {fp for fp, _ in found}
    checked = {repo_relative(f) for f in files} | {d.path for _, d in found}
    return new, [e for e in entries if e["fingerprint"] not in current and e.get("path") in checked]


def filter_known(path: str, diags: list[Diagnostic], texts: dict[str, str], files: list[str]) -> list[Diagnostic]:
    """Return the findings not in the baseline ``path``; tell standard error about its stale entries."""
    new, stale = split(read(path), diags, texts, files)
    if stale:
        print(f"dsspec: {plural(len(stale), 'baseline entry', 'baseline entries')} in `{path}` match"
              f"{'es' if len(stale) == 1 else ''} no finding any more (fixed); "
              f"run `--write-baseline {path}` to drop them:", file=sys.stderr)
        for e in stale:
            print(f"  {safe(str(e.get('path')))}: {safe(str(e.get('code')))} {safe(str(e.get('message')))}",
                  file=sys.stderr)
    return new
