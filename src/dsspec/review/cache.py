"""The result cache: an unchanged spec is not checked again (Ruff's model).

An entry holds one spec's findings, keyed by the SHA-256 of everything they
depend on: dsspec's code (its version and the size and time of every module
and data file, so an upgrade or a local edit invalidates), the command-line
options, the configuration file's bytes, the spec's path and bytes. Included
files are only known after a check, so the entry records each one's hash and
a lookup re-reads and compares them: a changed include invalidates.

Entries live in ``.dsspec_cache/`` at the repository root (``DSSPEC_CACHE_DIR``
elsewhere; ``--no-cache`` neither reads nor writes), as JSON (never pickle: a
cache folder must not be able to run code), in one pack per dsspec build, set
of options and folder of specs (as Ruff keeps one cache file per package): a
warm run over thousands of specs in a folder reads one file, not thousands. A pack maps each spec's path
to its latest entry; it is rewritten atomically at the end of a run that
changed it, merged with what another run may have stored meanwhile, and drops
the entries of specs that no longer exist. The folder
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
FORMAT = 3


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


def context_key(path: str, memo: dict | None = None) -> str:
    """Return what a spec's findings depend on beyond its bytes, options and configuration: where it really
    is (its real path), its project root (which bounds what its includes may reach) and its repository root
    (which names its files in reports). So a new root marker, or a link retargeted, misses.

    ``memo`` (one run's) keeps what each folder gave: a warm run over thousands of specs in a few folders
    resolves a few paths, not thousands."""
    if path.startswith("<"):
        return path
    absolute = os.path.abspath(path)
    if os.path.islink(absolute):
        absolute = os.path.realpath(absolute)
    folder, name = os.path.split(absolute)
    memo = {} if memo is None else memo
    context = memo.get(folder)
    if context is None:
        from dsspec.base.paths import project_root, real, repo_root

        here = real(folder)
        context = memo[folder] = "\x1f".join((str(here), str(project_root(here / "-")), str(repo_root(str(here / "-")))))
    return f"{context}\x1f{name}"


def _include_digest(path: str, data: bytes) -> str:
    """Return how an entry records an included file: the hash of where it really is and of its bytes (a link
    retargeted to a copy elsewhere resolves its own includes from there: a miss)."""
    from dsspec.base.paths import real

    return hashlib.sha256(str(real(path)).encode("utf-8", "surrogateescape") + b"\x1f" + data).hexdigest()


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


def _well_formed(entry) -> bool:
    """Return whether ``entry`` has the shape ``put`` writes (``_from_json`` then checks each finding's types at
    every depth, so a wrong entry is a miss, never a crash)."""
    return isinstance(entry, dict) and set(entry) == {"key", "includes", "diagnostics"} \
        and isinstance(entry["key"], str) and isinstance(entry["includes"], dict) \
        and isinstance(entry["diagnostics"], list) \
        and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["includes"].items())


def _read_regular(path: str | Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``; raise ``OSError`` for anything else (a pipe or a device
    named in a foreign entry would never end) or ``ValueError`` when it is over ``limit`` bytes. The reading
    is ``read_source``'s: regular files only, never more than the limit and one byte."""
    from dsspec.compiler.syntax.source import read_source

    data, why = read_source(path, limit)
    if data is None:
        raise OSError(f"{path} {why}")
    if len(data) > limit:
        raise ValueError(f"{path} is over {limit} bytes")
    return data


MAX_ENTRY_BYTES = 256 * 2**20
"""A pack larger than this is not read (a miss): thousands of specs' findings take far less."""


class Cache:
    """One run's view of the cache folder, for one set of command-line options."""

    def __init__(self, folder: Path, options_key: str):
        self.folder = folder
        self.options_key = options_key
        self._ready = False
        self._packs: dict[str, dict] = {}
        self._stored: dict[str, dict[str, dict]] = {}
        self._prefixes: dict = {}
        self._folders: dict = {}
        self._names: dict[str, Path] = {}

    def pack_path(self, path: str) -> Path:
        """The pack holding the entry of the spec ``path``: one per dsspec build, set of options and folder of
        specs, so a warm run over a folder reads one file, and a pack never outgrows its folder."""
        folder = os.path.dirname(os.path.abspath(path))
        target = self._names.get(folder)
        if target is None:
            name = hashlib.sha256(f"{code_stamp()}\x1f{self.options_key}\x1f{folder}".encode("utf-8", "surrogateescape"))
            target = self._names[folder] = self.folder / f"pack-{name.hexdigest()[:24]}.json"
        return target

    def _read_pack(self, target: Path) -> dict:
        try:
            pack = json.loads(_read_regular(target, MAX_ENTRY_BYTES).decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        return pack if isinstance(pack, dict) else {}

    def _entries(self, path: str) -> dict:
        target = str(self.pack_path(path))
        pack = self._packs.get(target)
        if pack is None:
            pack = self._packs[target] = self._read_pack(Path(target))
        return pack

    @classmethod
    def for_run(cls, options, folder: str | Path | None = None) -> Cache:
        """Return the cache for ``options`` in ``folder`` (default: ``DSSPEC_CACHE_DIR``, else the repository's)."""
        from dsspec.base.paths import repo_root

        where = folder or os.environ.get("DSSPEC_CACHE_DIR") or repo_root(Path.cwd() / "-") / FOLDER
        return cls(Path(where), repr(options))

    def key(self, path: str, data: bytes, config: Path | None) -> str:
        """Return the entry key of the spec ``path`` with bytes ``data`` under the configuration file ``config``."""
        h = self._prefix(config).copy()
        h.update(f"\x1f{path}\x1f{context_key(path, self._folders)}\x1f".encode("utf-8", "surrogateescape"))
        h.update(data)
        return h.hexdigest()

    def _prefix(self, config: Path | None):
        """Return the hash of what every key under ``config`` starts with (computed once per configuration)."""
        prefix = self._prefixes.get(config)
        if prefix is None:
            prefix = self._prefixes[config] = hashlib.sha256(
                "\x1f".join((code_stamp(), self.options_key, str(config), _config_hash(config), _today()))
                .encode("utf-8", "surrogateescape"))
        return prefix

    def lookup(self, files: list[str], config_file: Path | None = None):
        """Return ``(hits, texts, keys)`` for ``files``: the results of those whose entry is fresh, the text of
        every file they read, and every readable file's key (the compiler stores the misses under it).

        Light by design: it reads and hashes files, and never loads the compiler, so a run in which
        nothing changed never imports it.
        """
        from dsspec.base.paths import printable
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
                shown = printable(f)  # as a fresh result names it: an undecodable byte of the name as \xff
                text, _ = decode(shown, data)
                hits[f] = FileResult(shown, text, diagnostics=hit[0], includes=list(hit[1]))
                texts.update(hit[1])
                if text is not None:
                    texts[shown] = text
        return hits, texts, keys

    def get(self, key: str, path: str) -> tuple[list[Diagnostic], dict[str, str]] | None:
        """Return the findings of ``path``'s entry when it has ``key``, and the texts of its includes, or
        ``None`` (absent, stale, or not the shape ``put`` writes)."""
        from dsspec.compiler.syntax.source import MAX_FILE_BYTES, decode

        entry = self._entries(path).get(path)
        try:
            if not isinstance(entry, dict) or entry.get("key") != key or not _well_formed(entry):
                return None
            texts = {}
            for include, digest in entry["includes"].items():
                data = _read_regular(include, MAX_FILE_BYTES)
                if _include_digest(include, data) != digest:
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
                    hashes[include] = _include_digest(include, fh.read())
        except OSError:
            return
        entry = {"key": key, "includes": hashes, "diagnostics": [_to_json(d) for d in diagnostics]}
        self._stored.setdefault(str(self.pack_path(path)), {})[path] = entry

    def save(self) -> None:
        """Write each pack this run added entries to, merged into what is on disk now (written to a temporary
        name, then renamed: readers never see a part). Entries of specs that no longer exist are dropped, so
        a pack holds at most its folder's specs."""
        if not self._stored:
            return
        try:
            self._prepare()
            for name, stored in sorted(self._stored.items()):
                target = Path(name)
                pack = {p: e for p, e in self._read_pack(target).items() if os.path.lexists(p)}
                pack.update(stored)
                tmp = self.folder / f".{target.name}.{os.getpid()}.tmp"
                try:
                    tmp.write_text(json.dumps(pack, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
                    os.replace(tmp, target)
                finally:
                    tmp.unlink(missing_ok=True)
                self._packs[name] = pack
            self._stored = {}
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
            # an include that could not be read is not recorded: creating it later must not hit a stale entry; nor
            # is an unknown name, whose message reads the project's other libraries (where it is declared, if anywhere)
            if cache is not None and f in keys and \
                    not any(d.rule in ("include-error", "unknown-reference") for d in r.diagnostics):
                cache.put(keys[f], f, r.diagnostics, r.includes)
        texts.update(fresh_texts)
        if cache is not None:
            cache.save()
    return [hits[f] for f in files], texts

