"""A spec's bytes and text: reading a file safely and decoding it (light: the cache reads files through it
before, and often instead of, loading the compiler)."""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from dsspec.base.codes import core
from dsspec.base.diagnostics import Diagnostic
from dsspec.base.span import Span

MAX_FILE_BYTES = 2 * 1024 * 1024
_LONE_CR = re.compile(r"\r(?!\n)")


def read_source(path: str | Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, str | None]:
    """Return a spec's bytes, or ``None`` and why it cannot be read.

    Only regular files are read (a pipe would block, a device never end), and
    never more than the size limit and one byte, so an oversized file costs
    nothing before ``decode`` refuses it.
    """
    try:
        # open first (without blocking: a pipe would wait for a writer), then ask the open file what it is:
        # two system calls and no buffered reader, as a warm run reads thousands of specs
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        return None, "does not exist"
    except OSError as err:
        return _why_not(path, err)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return None, "is a folder, not a file"
        if not stat.S_ISREG(info.st_mode):
            return None, "is not a regular file (a device, pipe or socket)"
        # sized by the file, not the limit: a 2 MiB buffer per read made reading small specs slow; a file
        # that grew since is read on, up to the limit and one byte
        want = min(info.st_size, limit) + 1
        chunks = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, want - got if got < want else limit + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks), None
    except OSError as err:
        return None, f"cannot be read: {err.strerror or err}"
    finally:
        os.close(fd)


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _why_not(path: str | Path, err: OSError) -> tuple[None, str]:
    """Say why ``path`` could not be opened: what it is when it is no regular file (a socket), else the error."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        return None, "is a folder, not a file"
    if mode is not None and not stat.S_ISREG(mode):
        return None, "is not a regular file (a device, pipe or socket)"
    return None, f"cannot be read: {err.strerror or err}"


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of ``data`` (BOM removed), or ``None`` and an input finding."""
    if len(data) > MAX_FILE_BYTES:
        return None, [core("input-too-large", path, Span.point(1, 1, 0),
                           f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                           help="a spec is a design document: keep data and generated text out of it")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        good = _LONE_CR.sub("\n", data[: err.start].decode("utf-8"))
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        return None, [core("encoding-error", path, Span.point(line, column, len(good)),
                           f"byte 0x{data[err.start]:02x} at offset {err.start} is not valid UTF-8",
                           help="save the file as UTF-8")]
    if "\x00" in text:
        at = text.index("\x00")
        line = _LONE_CR.sub("\n", text).count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, [core("encoding-error", path, Span.point(line, column, at),
                           "the file holds a NUL byte: it looks binary, not like a spec")]
    return text, []
