"""The result cache: an unchanged spec is not checked again (Ruff's model).

An entry holds one spec's findings, keyed by the SHA-256 of everything they
depend on: dsspec's code (its version and the size and time of every module
and data file, so an upgrade or a local edit invalidates), the command-line
options, the configuration file's bytes, the spec's path and bytes. Included
files are only known after a check, so the entry records each one's hash and
a lookup re-reads and compares them: a changed include invalidates.

Entries live in ``.dsspec_cache/`` at the repository root (``DSSPEC_CACHE_DIR``
or ``--cache-dir`` elsewhere; ``--no-cache`` neither reads nor writes), as
JSON (never pickle: a cache folder must not be able to run code), one file per
entry written atomically; the folder ignores itself for git. A cache that
cannot be read or written is skipped silently: it only ever saves time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from dsspec.base.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from dsspec.base.span import Span

FOLDER = ".dsspec_cache"
FORMAT = 1


@functools.cache
def code_stamp() -> str:
    """Return a hash of dsspec's version and the size and modification time of its files."""
    from dsspec import __version__

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{FORMAT}\x1f{__version__}".encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".toml", ".json", ".lark"):
            info = path.stat()
            h.update(f"\x1f{path.relative_to(package)}\x1f{info.st_size}\x1f{info.st_mtime_ns}".encode())
    return h.hexdigest()


@functools.cache
def _file_hash(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _config_hash(path: Path | None) -> str:
    """Return a hash of a configuration file and of every file it extends (a pack changed: stale entries)."""
    if path is None:
        return "-"
    from dsspec.compiler.lint.config import config_at

    try:
        files = config_at(path).files or (str(path),)
    except Exception:  # noqa: BLE001 - the configuration's own findings come when the spec compiles
        files = (str(path),)
    return "+".join(_file_hash(Path(f)) for f in files)


def _today() -> str:
    """Return the date accepted risks expire against: an entry made yesterday may be wrong today."""
    from dsspec.compiler.lint.accepted import today

    return today().isoformat()


def _to_json(d: Diagnostic) -> dict:
    out = {"code": d.code, "rule": d.rule, "severity": d.severity.value, "message": d.message, "path": d.path,
           "span": list(d.span), "help": d.help,
           "related": [[r.path, list(r.span), r.message] for r in d.related]}
    if d.fix is not None:
        out["fix"] = [d.fix.title, [[list(e.span), e.text] for e in d.fix.edits]]
    return out


def _from_json(x: dict) -> Diagnostic:
    fix = None
    if "fix" in x:
        title, edits = x["fix"]
        fix = Fix(title, tuple(Edit(Span(*span), text) for span, text in edits))
    return Diagnostic(x["code"], x["rule"], Severity(x["severity"]), x["message"], x["path"], Span(*x["span"]),
                      x["help"], tuple(Related(p, Span(*s), m) for p, s, m in x["related"]), fix)


def _well_formed(entry) -> bool:
    """Return whether ``entry`` has the shape ``put`` writes (anything else in the folder is ignored)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("includes"), dict) \
            or not isinstance(entry.get("diagnostics"), list):
        return False
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in entry["includes"].items()):
        return False
    return all(isinstance(x, dict) and isinstance(x.get("span"), list) and isinstance(x.get("related"), list)
               and all(isinstance(f, str) for f in (x.get("code"), x.get("rule"), x.get("message"), x.get("path")))
               for x in entry["diagnostics"])


class Cache:
    """One run's view of the cache folder, for one set of command-line options."""

    def __init__(self, folder: Path, options_key: str):
        self.folder = folder
        self.options_key = options_key
        self._ready = False

    @classmethod
    def for_run(cls, options, folder: str | Path | None = None) -> Cache:
        """Return the cache for ``options`` in ``folder`` (default: ``DSSPEC_CACHE_DIR``, else the repository's)."""
        from dsspec.base.paths import repo_root

        where = folder or os.environ.get("DSSPEC_CACHE_DIR") or repo_root(Path.cwd() / "-") / FOLDER
        return cls(Path(where), repr(options))

    def key(self, path: str, data: bytes, config: Path | None) -> str:
        """Return the entry key of the spec ``path`` with bytes ``data`` under the configuration file ``config``."""
        h = hashlib.sha256("\x1f".join((code_stamp(), self.options_key, str(config), _config_hash(config), path,
                                        _today()))
                           .encode("utf-8", "surrogateescape"))
        h.update(b"\x1f" + data)
        return h.hexdigest()

    def get(self, key: str) -> tuple[list[Diagnostic], dict[str, str]] | None:
        """Return the findings of entry ``key`` and the texts of its includes, or ``None`` (absent or stale)."""
        from dsspec.compiler.syntax.parser import decode

        try:
            with open(self.folder / f"{key}.json", encoding="utf-8") as fh:
                entry = json.load(fh)
            if not _well_formed(entry):
                return None
            texts = {}
            for path, digest in entry["includes"].items():
                with open(path, "rb") as fh:
                    data = fh.read()
                if hashlib.sha256(data).hexdigest() != digest:
                    return None
                text, _ = decode(path, data)
                if text is not None:
                    texts[path] = text
            return [_from_json(x) for x in entry["diagnostics"]], texts
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            return None  # a corrupt or foreign entry: recomputed (and rewritten) as if absent

    def put(self, key: str, diagnostics: list[Diagnostic], includes: list[str]) -> None:
        """Store an entry (written to a temporary name, then renamed: readers never see a part);
        includes are recorded with the hash of their bytes now."""
        try:
            hashes = {}
            for path in includes:
                with open(path, "rb") as fh:
                    hashes[path] = hashlib.sha256(fh.read()).hexdigest()
            self._prepare()
            entry = {"includes": hashes, "diagnostics": [_to_json(d) for d in diagnostics]}
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            try:
                tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, self.folder / f"{key}.json")
            finally:
                tmp.unlink(missing_ok=True)
        except OSError:
            pass

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# created by dsspec: the result cache is never committed\n*\n"),
                           ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                            "# This is dsspec's result cache; see https://bford.info/cachedir/\n")):
            if not (self.folder / name).exists():
                (self.folder / name).write_text(text, encoding="utf-8")
        self._ready = True
