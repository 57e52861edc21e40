"""The result cache: an unchanged spec is not checked again (Ruff's model).

An entry holds one spec's findings, keyed by the SHA-256 of everything they
depend on: dsspec's code (its version and the size and time of every module
and data file, so an upgrade or a local edit invalidates), the command-line
options, the configuration file's bytes, the spec's path and bytes. Included
files are only known after a check, so the entry records each one's hash and
a lookup re-reads and compares them: a changed include invalidates.

Entries live in ``.dsspec_cache/`` at the repository root (``DSSPEC_CACHE_DIR``
elsewhere; ``--no-cache`` neither reads nor writes), as JSON (never pickle: a
cache folder must not be able to run code), in one pack per dsspec build and
set of options (as Ruff keeps one cache file per package): a warm run over
thousands of specs reads one file, not thousands. A pack maps each spec's path
to its latest entry; it is rewritten atomically at the end of a run that
changed it, merged with what another run may have stored meanwhile. The folder
ignores itself for git. A cache that cannot be read or written is skipped
silently: it only ever saves time.
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


@functools.cache
def _file_hash(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


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
        self._pack: dict | None = None
        self._stored: dict[str, dict] = {}
        self._prefixes: dict = {}

    @property
    def pack_path(self) -> Path:
        """The pack of this dsspec build and these options."""
        name = hashlib.sha256(f"{code_stamp()}\x1f{self.options_key}".encode("utf-8", "surrogateescape"))
        return self.folder / f"pack-{name.hexdigest()[:24]}.json"

    def _read_pack(self) -> dict:
        try:
            with open(self.pack_path, encoding="utf-8") as fh:
                pack = json.load(fh)
        except (OSError, ValueError, RecursionError):
            return {}
        return pack if isinstance(pack, dict) else {}

    def _entries(self) -> dict:
        if self._pack is None:
            self._pack = self._read_pack()
        return self._pack

    @classmethod
    def for_run(cls, options, folder: str | Path | None = None) -> Cache:
        """Return the cache for ``options`` in ``folder`` (default: ``DSSPEC_CACHE_DIR``, else the repository's)."""
        from dsspec.base.paths import repo_root

        where = folder or os.environ.get("DSSPEC_CACHE_DIR") or repo_root(Path.cwd() / "-") / FOLDER
        return cls(Path(where), repr(options))

    def key(self, path: str, data: bytes, config: Path | None) -> str:
        """Return the entry key of the spec ``path`` with bytes ``data`` under the configuration file ``config``."""
        h = self._prefix(config).copy()
        h.update(f"\x1f{path}\x1f".encode("utf-8", "surrogateescape"))
        h.update(data)
        return h.hexdigest()

    def _prefix(self, config: Path | None):
        """Return the hash of what every key under ``config`` starts with (computed once per configuration)."""
        prefix = self._prefixes.get(config)
        if prefix is None:
            prefix = self._prefixes[config] = hashlib.sha256(
                "\x1f".join((code_stamp(), self.options_key, str(config), _file_hash(config)))
                .encode("utf-8", "surrogateescape"))
        return prefix

    def lookup(self, files: list[str], config_file: Path | None = None):
        """Return ``(hits, texts, keys)`` for ``files``: the results of those whose entry is fresh, the text of
        every file they read, and every readable file's key (the compiler stores the misses under it).

        Light by design: it reads and hashes files, and never loads the compiler, so a run in which
        nothing changed never imports it.
        """
        from dsspec.compiler.lint.config import find_config
        from dsspec.compiler.result import FileResult
        from dsspec.compiler.syntax.source import decode, read_source

        hits: dict[str, FileResult] = {}
        texts: dict[str, str] = {}
        keys: dict[str, str] = {}
        for f in files:
            data, _ = read_source(f)
            if data is None:
                continue
            keys[f] = key = self.key(f, data, config_file or find_config(f))
            hit = self.get(key, f)
            if hit is not None:
                text, _ = decode(f, data)
                hits[f] = FileResult(f, text, diagnostics=hit[0], includes=list(hit[1]))
                texts.update(hit[1])
                if text is not None:
                    texts[f] = text
        return hits, texts, keys

    def get(self, key: str, path: str) -> tuple[list[Diagnostic], dict[str, str]] | None:
        """Return the findings of ``path``'s entry when it has ``key``, and the texts of its includes, or
        ``None`` (absent, stale, or not the shape ``put`` writes)."""
        from dsspec.compiler.syntax.source import decode

        entry = self._entries().get(path)
        try:
            if not isinstance(entry, dict) or entry.get("key") != key or not _well_formed(entry):
                return None
            texts = {}
            for include, digest in entry["includes"].items():
                with open(include, "rb") as fh:
                    data = fh.read()
                if hashlib.sha256(data).hexdigest() != digest:
                    return None
                text, _ = decode(include, data)
                if text is not None:
                    texts[include] = text
            return [_from_json(x) for x in entry["diagnostics"]], texts
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            return None  # a corrupt or foreign entry: recomputed (and rewritten) as if absent

    def put(self, key: str, path: str, diagnostics: list[Diagnostic], includes: list[str]) -> None:
        """Record ``path``'s entry under ``key`` (includes with the hash of their bytes now); ``save`` writes."""
        try:
            hashes = {}
            for include in includes:
                with open(include, "rb") as fh:
                    hashes[include] = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            return
        self._stored[path] = {"key": key, "includes": hashes, "diagnostics": [_to_json(d) for d in diagnostics]}

    def save(self) -> None:
        """Write the pack with this run's entries, merged into what is on disk now (written to a temporary
        name, then renamed: readers never see a part)."""
        if not self._stored:
            return
        try:
            self._prepare()
            pack = self._read_pack()
            pack.update(self._stored)
            target = self.pack_path
            tmp = self.folder / f".{target.name}.{os.getpid()}.tmp"
            try:
                tmp.write_text(json.dumps(pack, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
            self._pack, self._stored = pack, {}
        except (OSError, ValueError):
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


def check_cached(files: list[str], options, jobs: int = 1, cache: Cache | None = None):
    """Return ``(results, texts)`` for ``files`` as ``pipeline.check_many`` does, answering unchanged specs from
    ``cache`` first: the compiler is imported only when some spec missed (or there is no cache)."""
    hits, texts, keys = cache.lookup(files, options.config_file) if cache is not None else ({}, {}, {})
    todo = [f for f in files if f not in hits]
    if todo:
        from dsspec.compiler import pipeline

        fresh, fresh_texts = pipeline.check_many(todo, options, jobs)
        for f, r in zip(todo, fresh):  # by position: a result's path is how the file is shown, not its name
            hits[f] = r
            # an include that could not be read is not recorded: creating it later must not hit a stale entry
            if cache is not None and f in keys and not any(d.rule == "include-error" for d in r.diagnostics):
                cache.put(keys[f], f, r.diagnostics, r.includes)
        texts.update(fresh_texts)
        if cache is not None:
            cache.save()
    return [hits[f] for f in files], texts

