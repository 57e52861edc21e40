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

A pack is compact, since a warm run reads thousands of findings: ``strings``
holds each string its findings use once (a help or a path repeated across
specs is one item), ``numbers`` every finding's numbers (the indices of its
strings and its span) as one base64 run of integers, and each entry in
``entries`` is ``[key, includes, first, count, extras]``, its findings being
``count`` rows of the run from ``first``. The table and the run are checked in
bulk when the pack is read, an entry when it is asked for; anything that is
not what ``save`` writes, at any depth, is a miss.
"""

from __future__ import annotations

import array
import binascii
import functools
import json
import os
import re
import sys
from pathlib import Path

from dsspec.base.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from dsspec.base.span import Span

FOLDER = ".dsspec_cache"
FORMAT = 5

try:
    from _blake2 import blake2b as _blake2b  # CPython's own: importing hashlib loads OpenSSL, ~5% of a warm run
except ImportError:  # another Python: the same function from hashlib
    from hashlib import blake2b as _blake2b


def _digest(data: bytes = b""):
    """Return the hash object every key and stamp of the cache is made with (BLAKE2b, 256 bits)."""
    return _blake2b(data, digest_size=32)


@functools.cache
def code_stamp() -> str:
    """Return a hash of dsspec's version and the size and modification time of its files."""
    from dsspec import __version__

    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    found = []
    pending: list[tuple[str, ...]] = [()]
    while pending:  # the package's files as ``rglob`` lists them, without a Path object each
        rel = pending.pop()
        with os.scandir(os.path.join(package, *rel)) as entries:
            for entry in entries:
                parts = (*rel, entry.name)
                if entry.is_dir():
                    pending.append(parts)
                if os.path.splitext(entry.name)[1] in (".py", ".toml", ".json", ".lark"):
                    found.append((parts, entry))
    h = _digest(f"{FORMAT}\x1f{__version__}".encode())
    for parts, entry in sorted(found, key=lambda item: item[0]):  # as paths sort: part by part
        info = entry.stat()
        h.update(f"\x1f{os.sep.join(parts)}\x1f{info.st_size}\x1f{info.st_mtime_ns}".encode())
    return h.hexdigest()


def _file_hash(path: Path | None) -> str:
    return "-" if path is None else _hashed(path)[0]


def _hashed(path: Path) -> tuple[str, bool]:
    """Return the hash of a file's bytes and whether they may set ``extend`` (see ``_hash_of``)."""
    from dsspec.compiler.lint.config_files import stamp

    return _hash_of(path, stamp(path))  # read again when it changed: a long-lived process edits it too


MAY_EXTEND = re.compile(rb"extend[\"']?[ \t]*[=.]|\\[uU]")
"""What a TOML key ``extend`` looks like, bare or quoted, set or dotted, or an escape that could spell it in a
quoted key (``"\u0065xtend"``): a configuration file with neither extends nothing (``extend-select``, say, is
not it)."""


@functools.lru_cache(maxsize=256)
def _hash_of(path: Path, _stamp: tuple) -> tuple[str, bool]:
    try:
        data = path.read_bytes()
    except OSError:
        return "unreadable", False
    return _digest(data).hexdigest(), MAY_EXTEND.search(data) is not None


def context_key(path: str, memo: dict | None = None, link: bool | None = None) -> str:
    """Return what a spec's findings depend on beyond its bytes, options and configuration: where it really
    is (its real path), its project root (which bounds what its includes may reach) and its repository root
    (which names its files in reports). So a new root marker, or a link retargeted, misses.

    ``memo`` (one run's) keeps what each folder gave: a warm run over thousands of specs in a few folders
    resolves a few paths, not thousands. ``link``: whether ``path`` is a symbolic link, when the caller knows
    (a folder's listing says); else it is asked."""
    if path.startswith("<"):
        return path
    memo = {} if memo is None else memo
    folder, name = os.path.split(path)  # a spec that is no link: its folder as written is asked once
    if name in ("", ".", "..") or (os.path.islink(path) if link is None else link):
        absolute = os.path.abspath(path)
        if os.path.islink(absolute):
            absolute = os.path.realpath(absolute)
        folder, name = os.path.split(absolute)
    context = memo.get(folder)
    if context is None:
        from dsspec.base.paths import project_root, real, repo_root

        here = real(folder)  # absolute: the current folder for a bare name
        context = memo[folder] = "\x1f".join((str(here), str(project_root(here / "-")), str(repo_root(str(here / "-")))))
    return f"{context}\x1f{name}"


def _include_digest(path: str, data: bytes) -> str:
    """Return how an entry records an included file: the hash of where it really is and of its bytes (a link
    retargeted to a copy elsewhere resolves its own includes from there: a miss)."""
    from dsspec.base.paths import real

    return _digest(str(real(path)).encode("utf-8", "surrogateescape") + b"\x1f" + data).hexdigest()


def _config_hash(path: Path | None) -> str:
    """Return a hash of a configuration file and of every file it extends (a pack changed: stale entries)."""
    if path is None:
        return "-"
    digest, extends = _hashed(path)
    if not extends:  # made of its own bytes alone: no configuration to load, and no TOML parser
        return digest
    from dsspec.compiler.lint.config import config_at

    try:
        files = config_at(path).files or (str(path),)
    except Exception:  # noqa: BLE001 - the configuration's own findings come when the spec compiles
        files = (str(path),)
    return "+".join(_file_hash(Path(f)) for f in files)


def _today() -> str:
    """Return the date accepted risks expire against: an entry made yesterday may be wrong today."""
    from dsspec.base.clock import today_iso

    return today_iso()


_SEVERITY = {s.value: s for s in Severity}
_SEVERITY_NAME = {s: s.value for s in Severity}
_SPAN_LIMIT = 2**62
_FINDING = 12
"""Numbers a finding takes in a pack: code, rule, severity, message, path, help (as below), then its span."""


def _encode(diags: list[Diagnostic], table: _Table) -> tuple[list[int], list]:
    """Return how an entry stores ``diags``: ``_FINDING`` numbers per finding, its strings as indices into the
    pack's ``table`` and its help as an index + 1 (0: none), and the rare extras ``[finding, related, fix]``
    of the findings that point elsewhere or carry a fix: related as 8 numbers each (path, message, span), a fix
    as ``[title, edits]`` with 7 numbers per edit (text, span). Raise ``ValueError`` (or ``KeyError``,
    ``TypeError``) for a finding no pack can hold (a number outside ``[0, 2**62)``, a string that is none)."""
    flat: list[int] = []
    extras: list = []
    severity = _SEVERITY_NAME
    for i, d in enumerate(diags):
        help_ = d.help
        flat += (table[d.code], table[d.rule], table[severity[d.severity]], table[d.message], table[d.path],
                 0 if help_ is None else table[help_] + 1, *d.span)
        if d.related or d.fix is not None:
            related = _ints([v for r in d.related for v in (table[r.path], table[r.message], *r.span)], 8)
            fix = None if d.fix is None else \
                [table[d.fix.title], _ints([v for e in d.fix.edits for v in (table[e.text], *e.span)], 7)]
            extras.append([i, related, fix])
    return _ints(flat, _FINDING), extras


class _Table(dict):
    """A pack's string table being written: ``table[text]`` is the index of ``text`` in ``strings``, added on
    first use (a lookup in C for every string already there)."""

    def __init__(self):
        super().__init__()
        self.strings: list[str] = []

    def __missing__(self, text) -> int:
        if type(text) is not str:
            raise ValueError("not a string")
        i = self[text] = len(self.strings)
        self.strings.append(text)
        return i


def _ints(x, width: int) -> list:
    """Return ``x`` when it is a list of ints (never booleans) in ``[0, 2**62)``, ``width`` to a record;
    raise ``ValueError`` otherwise. Checked in bulk (one pass each in C), not value by value."""
    if type(x) is not list or len(x) % width:
        raise ValueError("not a list of records")
    if x and ({*map(type, x)} != {int} or min(x) < 0 or max(x) >= _SPAN_LIMIT):
        raise ValueError("not a list of whole numbers")
    return x


def _pack_numbers(numbers: list[int]) -> str:
    """Return how a pack stores the findings' numbers of all its entries: one run of unsigned little-endian
    integers (4 bytes each when every number fits, else 8), in base64, after the letter ``I`` or ``Q`` that
    says which. Read back with one decoding in C instead of parsing a hundred thousand JSON numbers."""
    code = "I" if not numbers or max(numbers) < 2**32 else "Q"
    run = array.array(code, numbers)
    if sys.byteorder == "big":
        run.byteswap()
    return code + binascii.b2a_base64(run.tobytes(), newline=False).decode("ascii")


def _unpack_numbers(text) -> list[int]:
    """Return the numbers ``_pack_numbers`` wrote; raise ``ValueError`` for anything else (not a string, not
    base64, a length no whole number of integers takes, a number of ``2**62`` or more)."""
    if type(text) is not str or text[:1] not in ("I", "Q"):
        raise ValueError("not a run of numbers")
    run = array.array(text[0])
    if run.itemsize != (4 if text[0] == "I" else 8):
        raise ValueError("no such integers here")
    run.frombytes(binascii.a2b_base64(text[1:], strict_mode=True))
    if sys.byteorder == "big":
        run.byteswap()
    numbers = run.tolist()
    if text[0] == "Q" and numbers and max(numbers) >= _SPAN_LIMIT:  # 4 bytes never reach it
        raise ValueError("a number out of range")
    return numbers


_SETTERS = tuple(getattr(Diagnostic, name).__set__ for name in Diagnostic.__slots__)
"""The setters of a finding's fields, in order: a warm run makes thousands of findings, and the frozen record's
``__init__`` sets each field through ``object.__setattr__`` at twice the cost (``Diagnostic`` has no
``__post_init__``; tests/test_cache.py keeps the two ways equal)."""


def _decode(flat: list[int], extras, strings: list[str], helps: list[str | None]) -> list[Diagnostic]:
    """Return the findings ``_encode`` stored (``flat``: their numbers, each in ``[0, 2**62)``); raise
    ``ValueError``, ``IndexError`` or ``KeyError`` on anything else, at any depth (a wrong type deep inside an
    entry must be a cache miss here, not a crash later when the finding is shown). ``strings`` is the pack's
    table (every item a string) and ``helps`` it after a ``None``: indexing them bounds every index."""
    if type(extras) is not list:
        raise ValueError("not a list")
    span, severity, new = tuple.__new__, _SEVERITY, object.__new__
    set_code, set_rule, set_severity, set_message, set_path, set_span, set_help, set_related, set_fix = _SETTERS
    out = []
    keep = out.append
    row = iter(flat)
    for c, r, s, m, p, x, a, b, e, f, g, h in zip(*(row,) * _FINDING):
        d = new(Diagnostic)  # what Diagnostic(...) does, field by field, through the slots' own setters
        set_code(d, strings[c])
        set_rule(d, strings[r])
        set_severity(d, severity[strings[s]])
        set_message(d, strings[m])
        set_path(d, strings[p])
        set_span(d, span(Span, (a, b, e, f, g, h)))
        set_help(d, helps[x])
        set_related(d, ())
        set_fix(d, None)
        keep(d)
    for extra in extras:
        if type(extra) is not list or len(extra) != 3 or type(extra[0]) is not int or extra[0] < 0:
            raise ValueError("not an extra")
        i, related, fix = extra
        d = out[i]
        it = iter(_ints(related, 8))
        related = tuple(Related(strings[p], span(Span, (a, b, e, f, g, h)), strings[m])
                        for p, m, a, b, e, f, g, h in zip(*(it,) * 8))
        if fix is not None:
            if type(fix) is not list or len(fix) != 2 or type(fix[0]) is not int or fix[0] < 0:
                raise ValueError("not a fix")
            it = iter(_ints(fix[1], 7))
            fix = Fix(strings[fix[0]], tuple(Edit(span(Span, (a, b, e, f, g, h)), strings[t])
                                             for t, a, b, e, f, g, h in zip(*(it,) * 7)))
        out[i] = Diagnostic(d.code, d.rule, d.severity, d.message, d.path, d.span, d.help, related, fix)
    return out


class _Pack:
    """A pack as read: its entries by spec path, its string table (and the table after a ``None``, for helps)
    and the numbers of every entry's findings. The table, the numbers and the outer shape are checked here,
    in bulk; an entry is checked when it is asked for."""

    __slots__ = ("entries", "strings", "helps", "numbers")

    def __init__(self, entries: dict, strings: list[str], numbers: list[int]):
        self.entries, self.strings, self.helps, self.numbers = entries, strings, [None, *strings], numbers

    @classmethod
    def parse(cls, data) -> _Pack:
        """Return the pack ``data`` (parsed JSON) holds, or an empty one when it is not the shape ``save`` writes."""
        if type(data) is dict and data.keys() == {"strings", "numbers", "entries"}:
            strings, entries = data["strings"], data["entries"]
            if type(strings) is list and type(entries) is dict and (not strings or {*map(type, strings)} == {str}):
                try:
                    return cls(entries, strings, _unpack_numbers(data["numbers"]))
                except ValueError:  # binascii.Error is one
                    pass
        return cls({}, [], [])

    def document(self) -> dict:
        """Return the JSON document of this pack (what ``parse`` reads back)."""
        return {"strings": self.strings, "numbers": _pack_numbers(self.numbers), "entries": self.entries}

    def entry(self, path: str, key: str | None = None):
        """Return ``(key, includes, findings)`` of ``path``'s entry (only when its key is ``key``, if given), or
        ``None`` when absent, stale or not the shape ``put`` writes: ``[key, includes, first, count, extras]``,
        its findings' numbers ``numbers[first:first + count * _FINDING]``."""
        entry = self.entries.get(path)
        if type(entry) is not list or len(entry) != 5 or type(entry[0]) is not str \
                or (key is not None and entry[0] != key):
            return None
        _, includes, first, count, extras = entry
        if type(includes) is not dict or not all(type(k) is str and type(v) is str for k, v in includes.items()) \
                or type(first) is not int or type(count) is not int or first < 0 or count < 0:
            return None
        flat = self.numbers[first:first + count * _FINDING]
        if len(flat) != count * _FINDING:
            return None
        try:
            return entry[0], includes, _decode(flat, extras, self.strings, self.helps)
        except (ValueError, KeyError, TypeError, IndexError):
            return None  # a corrupt or foreign entry: recomputed (and rewritten) as if absent


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


MAX_ENTRY_BYTES = 16 * 2**20
"""A pack larger than this is neither read (a miss) nor written: 1,000 specs with 8 findings each take 0.7 MB,
and parsing a pack the size of this bound already costs a third of a second."""


class Cache:
    """One run's view of the cache folder, for one set of command-line options."""

    def __init__(self, folder: Path, options_key: str):
        self.folder = folder
        self.options_key = options_key
        self._ready = False
        self._packs: dict[str, _Pack] = {}
        self._stored: dict[str, dict[str, tuple]] = {}
        self._prefixes: dict = {}
        self._folders: dict = {}
        self._names: dict[str, Path] = {}
        self._heads: dict[str, str] = {}
        self._read: dict[str, tuple] = {}  # pack path -> (its stamp when read, the pack read)
        self._hits: dict[str, tuple] = {}  # the entries this run read: ``save`` keeps them without decoding again

    def pack_path(self, path: str) -> Path:
        """The pack holding the entry of the spec ``path``: one per dsspec build, set of options and folder of
        specs, so a warm run over a folder reads one file, and a pack never outgrows its folder."""
        folder = os.path.dirname(os.path.abspath(path))
        target = self._names.get(folder)
        if target is None:
            name = _digest(f"{code_stamp()}\x1f{self.options_key}\x1f{folder}".encode("utf-8", "surrogateescape"))
            target = self._names[folder] = self.folder / f"pack-{name.hexdigest()[:24]}.json"
        return target

    def _pack_name(self, path: str) -> str:
        """``pack_path`` as a string, asked once per folder as ``path`` names it (a run's specs share a few)."""
        head, tail = os.path.split(path)
        name = self._heads.get(head)
        if name is None or tail in ("", ".", ".."):
            name = str(self.pack_path(path))
            if tail not in ("", ".", ".."):
                self._heads[head] = name
        return name

    def _read_pack(self, target: Path) -> _Pack:
        stamp = _stamp(target)
        if stamp is not None and self._read.get(str(target), (None,))[0] == stamp:
            return self._read[str(target)][1]  # read this run and unchanged since: not parsed twice
        try:
            pack = _Pack.parse(json.loads(_read_regular(target, MAX_ENTRY_BYTES).decode("utf-8")))
        except (OSError, ValueError, RecursionError):
            return _Pack({}, [], [])
        if stamp is not None:
            self._read[str(target)] = (stamp, pack)
        return pack

    def _pack(self, path: str) -> _Pack:
        target = self._pack_name(path)
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

    def key(self, path: str, data: bytes, config: Path | None, link: bool | None = None) -> str:
        """Return the entry key of the spec ``path`` with bytes ``data`` under the configuration file ``config``
        (``link``: whether ``path`` is a symbolic link, if known)."""
        h = self._prefix(config).copy()
        h.update(f"\x1f{path}\x1f{context_key(path, self._folders, link)}\x1f".encode("utf-8", "surrogateescape"))
        h.update(data)
        return h.hexdigest()

    def _prefix(self, config: Path | None):
        """Return the hash of what every key under ``config`` starts with (computed once per configuration)."""
        prefix = self._prefixes.get(config)
        if prefix is None:
            prefix = self._prefixes[config] = _digest(
                "\x1f".join((code_stamp(), self.options_key, str(config), _config_hash(config), _today()))
                .encode("utf-8", "surrogateescape"))
        return prefix

    def lookup(self, files: list[str], config_file: Path | None = None, configs: dict | None = None,
               plain: frozenset[str] = frozenset()):
        """Return ``(hits, texts, keys)`` for ``files``: the results of those whose entry is fresh, the text of
        every file they read, and every readable file's key (the compiler stores the misses under it).
        ``config_file`` replaces each spec's configuration; else ``configs`` (discovery's) names it, else it
        is found. ``plain`` (discovery's) are files known to be no symbolic link.

        Light by design: it reads and hashes files, and never loads the compiler, so a run in which
        nothing changed never imports it.
        """
        from dsspec.base.paths import printable
        from dsspec.compiler.result import FileResult
        from dsspec.compiler.syntax.source import decode, read_source

        hits: dict[str, FileResult] = {}
        texts: dict[str, str] = {}
        keys: dict[str, str] = {}
        configs = configs or {}
        for f in files:
            data, _ = read_source(f)
            if data is None:
                continue
            config = config_file
            if config is None:
                config = configs[f] if f in configs else _find_config(f)
            keys[f] = key = self.key(f, data, config, False if f in plain else None)
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
        entry = self._pack(path).entry(path, key)
        if entry is None:
            return None
        _, includes, diagnostics = entry
        if not includes:
            self._hits[path] = entry
            return diagnostics, {}
        from dsspec.compiler.syntax.source import MAX_FILE_BYTES, decode

        texts = {}
        try:
            for include, digest in includes.items():
                data = _read_regular(include, MAX_FILE_BYTES)
                if _include_digest(include, data) != digest:
                    return None
                text, _ = decode(include, data)
                if text is not None:
                    texts[include] = text
        except (OSError, ValueError, RecursionError):
            return None  # an include gone, unreadable, or named as no file can be: recomputed
        self._hits[path] = entry
        return diagnostics, texts

    def put(self, key: str, path: str, diagnostics: list[Diagnostic], includes: list[str]) -> None:
        """Record ``path``'s entry under ``key`` (includes with the hash of their bytes now); ``save`` writes."""
        try:
            hashes = {}
            for include in includes:
                with open(include, "rb") as fh:
                    hashes[include] = _include_digest(include, fh.read())
        except OSError:
            return
        self._stored.setdefault(self._pack_name(path), {})[path] = (key, hashes, list(diagnostics))

    def save(self) -> None:
        """Write each pack this run added entries to, merged into what is on disk now (written to a temporary
        name, then renamed: readers never see a part). Entries of specs that no longer exist are dropped, so
        a pack holds at most its folder's specs, and so are entries that do not read back."""
        if not self._stored:
            return
        try:
            self._prepare()
            for name, stored in sorted(self._stored.items()):
                target = Path(name)
                on_disk = self._read_pack(target)
                folder = os.path.dirname(os.path.abspath(next(iter(stored))))
                try:
                    present = set(os.listdir(folder))  # one listing, not one look-up per entry
                except OSError:
                    present = set()
                heads: dict[str, bool] = {}
                live = {}
                for p, raw in on_disk.entries.items():
                    base = p[p.rfind(os.sep) + 1:]
                    if base not in present or p in stored:
                        continue  # deleted, or no spec of this folder at all (a foreign or corrupt pack)
                    head = p[:len(p) - len(base)]
                    mine = heads.get(head)
                    if mine is None:
                        mine = heads[head] = os.path.dirname(os.path.abspath(p)) == folder
                    if mine:
                        live[p] = raw
                # the pack this run read, unchanged on disk since: its entries are kept as stored and the new ones
                # appended (an edit among 1,000 specs re-encoded all of them); else merged entry by entry
                pack = _appended(on_disk, live, stored) if on_disk is self._packs.get(name) else None
                if pack is None:
                    kept = {}
                    for p, raw in live.items():
                        entry = self._hits.get(p)  # read this run: kept as read when still what the pack holds
                        if entry is None or type(raw) is not list or raw[:2] != [entry[0], entry[1]]:
                            entry = on_disk.entry(p)
                        if entry is not None:
                            kept[p] = entry
                    kept.update(stored)
                    pack = _written(kept)
                tmp = self.folder / f".{target.name}.{os.getpid()}.tmp"
                try:
                    text = json.dumps(pack.document(), separators=(",", ":"))
                    if len(text) > MAX_ENTRY_BYTES:  # ASCII: characters are bytes
                        target.unlink(missing_ok=True)  # too large to be read back: a miss either way
                        continue
                    tmp.write_text(text, encoding="utf-8")
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


def _stamp(path: Path) -> tuple | None:
    """Return what tells whether the file ``path`` changed (size, modification time, inode), or ``None``."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev


def _appended(pack: _Pack, live: dict, stored: dict[str, tuple]) -> _Pack | None:
    """Return ``pack`` with only the entries ``live`` (as stored) and those of ``stored`` encoded and appended to
    its string table and numbers, or ``None`` when it would then be more garbage than findings (the numbers
    and strings of replaced entries stay until a full write compacts them). A kept entry is not checked
    here: a reader checks every entry it asks for, and a bad one is a miss, recomputed and replaced."""
    table = _Table()
    table.update((text, i) for i, text in enumerate(pack.strings))
    table.strings = list(pack.strings)
    numbers = list(pack.numbers)
    entries = dict(live)
    used = sum(raw[3] for raw in live.values() if type(raw) is list and len(raw) == 5 and type(raw[3]) is int)
    used += _add(entries, stored, table, numbers)
    if len(numbers) > 2 * used * _FINDING + 4096 or len(table.strings) > 12 * used + 1024:
        return None
    return _Pack(entries, table.strings, numbers)


def _written(entries: dict[str, tuple]) -> _Pack:
    """Return the pack of ``entries`` (path -> ``(key, includes, findings)``): each finding encoded against one
    string table, so a message, help or path repeated across specs is stored (and read) once, and its numbers
    appended to the pack's one run of them (``_add``)."""
    table = _Table()
    numbers: list[int] = []
    out: dict = {}
    _add(out, entries, table, numbers)
    return _Pack(out, table.strings, numbers)


def _add(out: dict, entries: dict[str, tuple], table: _Table, numbers: list[int]) -> int:
    """Encode ``entries`` (path -> ``(key, includes, findings)``) against ``table``, append their numbers to
    ``numbers`` and their rows to ``out``; return how many findings were added. An entry that cannot be
    encoded (a field of a type or range a finding never has) is left out: it is recomputed next time."""
    added = 0
    for path, (key, includes, diagnostics) in entries.items():
        try:
            flat, extras = _encode(diagnostics, table)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        out[path] = [key, includes, len(numbers), len(flat) // _FINDING, extras]
        numbers += flat
        added += len(flat) // _FINDING
    return added


def _find_config(path: str) -> Path | None:
    from dsspec.compiler.lint.config import find_config

    return find_config(path)


def check_cached(files: list[str], options, jobs: int = 1, cache: Cache | None = None, found=None):
    """Return ``(results, texts)`` for ``files`` as ``pipeline.check_many`` does, answering unchanged specs from
    ``cache`` first: the compiler is imported only when some spec missed (or there is no cache). ``found``
    (discovery's answer, if any) names each file's configuration and the files that are no link."""
    configs, plain = (found.configs, found.plain) if found is not None else (None, frozenset())
    hits, texts, keys = cache.lookup(files, options.config_file, configs, plain) if cache is not None else ({}, {}, {})
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

