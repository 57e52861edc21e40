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
FORMAT = 2


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


def _file_hash(path: Path | None) -> str:
    if path is None:
        return "-"
    from dsspec.compiler.lint.config_files import stamp

    return _hash_of(path, stamp(path))  # read again when it changed: a long-lived process edits it too


@functools.lru_cache(maxsize=256)
def _hash_of(path: Path, _stamp: tuple) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def context_key(path: str) -> str:
    """Return what a spec's findings depend on beyond its bytes, options and configuration: where it really
    is (its real path), its project root (which bounds what its includes may reach) and its repository root
    (which names its files in reports). So a new root marker, or a link retargeted, misses."""
    from dsspec.base.paths import project_root, real, repo_root

    if path.startswith("<"):
        return path
    return "\x1f".join((str(real(path)), str(project_root(Path(path))), str(repo_root(path))))


def _include_digest(path: str, data: bytes) -> str:
    """Return how an entry records an included file: the hash of where it really is and of its bytes (a link
    retargeted to a copy elsewhere resolves its own includes from there: a miss)."""
    from dsspec.base.paths import real

    return hashlib.sha256(str(real(path)).encode("utf-8", "surrogateescape") + b"\x1f" + data).hexdigest()


def _to_json(d: Diagnostic) -> dict:
    out = {"code": d.code, "rule": d.rule, "severity": d.severity.value, "message": d.message, "path": d.path,
           "span": list(d.span), "help": d.help,
           "related": [[r.path, list(r.span), r.message] for r in d.related]}
    if d.fix is not None:
        out["fix"] = [d.fix.title, [[list(e.span), e.text] for e in d.fix.edits]]
    return out


def _from_json(x) -> Diagnostic:
    """Return the finding ``_to_json`` wrote; raise ``ValueError`` on anything else, at any depth (a wrong
    type deep inside an entry must be a cache miss here, not a crash later when the finding is shown)."""
    if not isinstance(x, dict):
        raise ValueError("not an object")
    fix = None
    if "fix" in x:
        title, edits = _pair(x["fix"])
        fix = Fix(_text(title), tuple(Edit(_span(span), _text(text)) for span, text in map(_pair, _list(edits))))
    help_ = x["help"]
    if help_ is not None:
        _text(help_)
    related = tuple(Related(_text(p), _span(sp), _text(m)) for p, sp, m in map(_triple, _list(x["related"])))
    return Diagnostic(_text(x["code"]), _text(x["rule"]), Severity(x["severity"]), _text(x["message"]),
                      _text(x["path"]), _span(x["span"]), help_, related, fix)


def _text(x) -> str:
    if not isinstance(x, str):
        raise ValueError("not a string")
    return x


def _list(x) -> list:
    if not isinstance(x, list):
        raise ValueError("not a list")
    return x


def _pair(x) -> list:
    if not isinstance(x, list) or len(x) != 2:
        raise ValueError("not a pair")
    return x


def _triple(x) -> list:
    if not isinstance(x, list) or len(x) != 3:
        raise ValueError("not a triple")
    return x


def _span(x) -> Span:
    if not isinstance(x, list) or len(x) != 6 or not all(type(v) is int and 0 <= v < 2**62 for v in x):
        raise ValueError("not a span")
    return Span(*x)


def _seal(body: dict) -> str:
    """Return the checksum ``put`` stores with an entry's ``body``: an entry changed by anything but ``put``
    (a truncated write, another tool, an older layout) no longer matches it and is a miss."""
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogateescape")) \
        .hexdigest()


def _well_formed(entry) -> bool:
    """Return whether ``entry`` is as ``put`` wrote it: its shape, and its seal (``_from_json`` then checks
    each finding's types)."""
    if not isinstance(entry, dict) or set(entry) != {"includes", "diagnostics", "seal"} \
            or not isinstance(entry["includes"], dict) or not isinstance(entry["diagnostics"], list) \
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in entry["includes"].items()):
        return False
    return entry["seal"] == _seal({"includes": entry["includes"], "diagnostics": entry["diagnostics"]})


def _read_regular(path: str | Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``; raise ``OSError`` for anything else (a pipe or a device
    named in a foreign entry would never end) or ``ValueError`` when it is over ``limit`` bytes."""
    import stat

    with open(path, "rb", opener=lambda p, flags: os.open(p, flags | getattr(os, "O_NONBLOCK", 0))) as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path} is over {limit} bytes")
    return data


MAX_ENTRY_BYTES = 64 * 2**20
"""An entry file larger than this is not read (a miss): no spec's findings take that much."""


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
        h = hashlib.sha256("\x1f".join((code_stamp(), self.options_key, str(config), _file_hash(config), path,
                                        context_key(path)))
                           .encode("utf-8", "surrogateescape"))
        h.update(b"\x1f" + data)
        return h.hexdigest()

    def get(self, key: str) -> tuple[list[Diagnostic], dict[str, str]] | None:
        """Return the findings of entry ``key`` and the texts of its includes, or ``None`` (absent or stale)."""
        from dsspec.compiler.syntax.parser import MAX_FILE_BYTES, decode

        try:
            entry = json.loads(_read_regular(self.folder / f"{key}.json", MAX_ENTRY_BYTES).decode("utf-8"))
            if not _well_formed(entry):
                return None
            texts = {}
            for path, digest in entry["includes"].items():
                data = _read_regular(path, MAX_FILE_BYTES)
                if _include_digest(path, data) != digest:
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
                    hashes[path] = _include_digest(path, fh.read())
            self._prepare()
            entry = {"includes": hashes, "diagnostics": [_to_json(d) for d in diagnostics]}
            entry["seal"] = _seal(entry)
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
