"""Configuration files: finding the nearest one, reading it, parsing its TOML within bounds.

Nothing here raises for a file a user wrote: an unreadable file is ``None``
and a reason, a nesting too deep for tomllib's recursion is refused before
parsing, and a broken ``pyproject.toml`` that is not dsspec's is passed over.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from dsspec.base.span import Span

MAX_CONFIG_NESTING = 32
"""Deeper ``[``/``{`` nesting is refused before parsing: tomllib recurses once per level."""


def parse(text: str) -> dict:
    """Parse TOML; ``RecursionError`` for nesting past ``MAX_CONFIG_NESTING`` (raised before tomllib recurses),
    ``tomllib.TOMLDecodeError`` (a ``ValueError``) for what is no TOML. An empty file (a project's root
    marker, often) is the empty table without loading the parser."""
    if not text.strip(" \t\n"):
        return {}
    depth = 0
    for char in re.sub(r"#[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'", "", text):
        if char in "[{":
            depth += 1
            if depth > MAX_CONFIG_NESTING:
                raise RecursionError("configuration nested too deeply")
        elif char in "]}":
            depth = max(depth - 1, 0)
    import tomllib

    return tomllib.loads(text)


def tool_table(data: dict):
    """Return ``[tool.dsspec]`` of a parsed pyproject.toml (``None`` when absent; any value as found)."""
    tool = data.get("tool")
    return tool.get("dsspec") if isinstance(tool, dict) else None


def kind(value) -> str:
    """Return what a TOML value is, for messages: ``a number``, ``a list``..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "a list"}.get(type(value), "a date or time")


MAX_CONFIG_BYTES = 1024 * 1024
"""A configuration is a few dozen lines; a larger file is refused unread, not parsed."""


def read(path: Path, strict: bool = False) -> tuple[str | None, str | None]:
    """Return a configuration file's text, or ``None`` and why it cannot be read (``strict``: also when it
    is not UTF-8, as TOML must be; otherwise such bytes read as U+FFFD, enough to see whose file it is)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as err:
        return None, err.strerror or str(err)
    if len(data) > MAX_CONFIG_BYTES:
        return None, f"it is over {MAX_CONFIG_BYTES:,} bytes"
    if strict:
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError as err:
            return None, f"byte 0x{data[err.start]:02x} at offset {err.start} is not valid UTF-8 (TOML files are UTF-8)"
    return data.decode("utf-8", errors="replace"), None


SEEN: dict[Path, tuple] = {}
"""Every configuration file (or place one may appear) a cached answer looked at, with its stamp then;
``stale`` says whether any has changed since. Long-lived processes (the language server, the preview,
the Python API) ask before each compile, so an edited, new or deleted ``dsspec.toml`` is seen."""


def stamp(path: Path) -> tuple:
    """Return what identifies a file's version: its modification time, size and inode (``()`` when absent)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return ()
    return info.st_mtime_ns, info.st_size, info.st_ino


def seen(path: Path) -> None:
    """Record ``path``'s stamp before it is read, for ``stale``."""
    SEEN.setdefault(path, stamp(path))


def stale() -> bool:
    """Return whether a file recorded by ``seen`` changed, appeared or went away since."""
    return any(stamp(path) != then for path, then in list(SEEN.items()))


TOOL_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*dsspec\s*[\].]", re.M)
"""A ``[tool.dsspec]`` (or ``[tool.dsspec.rules.X]``) table header at the start of a line. Outside a multi-line
string it is one: the table is dsspec's (or the file is no TOML, and dsspec's to report), so a warm run asks
no TOML parser whether a ``pyproject.toml`` configures it. Other spellings (``[tool."dsspec"]``, ``[tool]``
then ``dsspec = ...``, dotted keys) are parsed, and a file that is no TOML is dsspec's only with this one."""


@functools.cache
def find(folder: Path) -> Path | None:
    """Return the configuration file in ``folder`` or the nearest folder above it (no recursion:
    a path may be thousands of folders deep)."""
    for here in (folder, *folder.parents):
        found = _here(here)
        if found is not None:
            return found
    return None


def _here(folder: Path) -> Path | None:
    for candidate in (folder / "dsspec.toml", folder / "pyproject.toml"):
        seen(candidate)
        try:
            if not candidate.is_file():
                continue
        except OSError:  # a name too long, a loop: no configuration there
            continue
        if candidate.name == "pyproject.toml":
            text, _ = read(candidate)
            if text is None or ("dsspec" not in text and "\\u" not in text and "\\U" not in text):
                continue  # no key names dsspec's table without the word (or an escape spelling it): not dsspec's
            if '"""' not in text and "'''" not in text and TOOL_HEADER.search(text):
                return candidate  # the header on a line of its own, and no multi-line string it could be inside
            try:
                if tool_table(parse(text)) is None:
                    continue
            except (ValueError, RecursionError):  # tomllib.TOMLDecodeError is a ValueError
                if not TOOL_HEADER.search(text):
                    continue  # broken, but not dsspec's to report
        return candidate
    return None


def line_of(text: str, key: str) -> Span:
    """Return the span of a key (``key =``), a table header naming it, or a quoted mention of it in ``text``.

    Plain string search, line by line: linear in the text and the key (a regular expression made of a
    million-character rule name took seconds to compile and match)."""
    start = _assignment(text, key)
    if start is None:
        start = _header(text, key)
    if start is None:
        start = _quoted(text, key)
    if start is None or not key:
        return Span(1, 1, 1, 1, 0, 0)
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return Span(line, col, line, col + len(key), start, start + len(key))


def _lines(text: str):
    """Yield ``(offset, line)`` of each line of ``text``."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _assignment(text: str, key: str) -> int | None:
    """Return where ``key =`` (or ``"key" =``) starts a line, after its indentation."""
    for offset, line in _lines(text):
        body = line.lstrip(" \t")
        indent = len(line) - len(body)
        rest = body[1:] if body.startswith('"') else body
        if not rest.startswith(key):
            continue
        after = rest[len(key):]
        after = after[1:] if after.startswith('"') else after
        if after.lstrip().startswith("="):
            return offset + indent
    return None


def _header(text: str, key: str) -> int | None:
    """Return the start of a ``[...]`` line that names ``key`` before its last ``]``."""
    for offset, line in _lines(text):
        if line.startswith("["):
            at = line.find(key, 1)
            if at >= 0 and line.rfind("]") >= at + len(key):
                return offset
    return None


def _quoted(text: str, key: str) -> int | None:
    """Return the start of ``key`` written between quotes (``"key"`` or ``'key'``): one search per quote, not
    one per occurrence of the key (a key met many times unquoted would make that quadratic)."""
    found = [at + 1 for at in (text.find(f'"{key}"'), text.find(f"'{key}'")) if at >= 0]
    return min(found) if found else None
