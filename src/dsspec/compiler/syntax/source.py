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


def read_source(path: str | Path) -> tuple[bytes | None, str | None]:
    """Return a spec's bytes, or ``None`` and why it cannot be read.

    Only regular files are read (a pipe would block, a device never end), and
    never more than the size limit and one byte, so an oversized file costs
    nothing before ``decode`` refuses it.
    """
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return None, "is a folder, not a file"
        if not stat.S_ISREG(info.st_mode):
            return None, "is not a regular file (a device, pipe or socket)"
        with open(path, "rb") as fh:
            # sized by the file, not the limit: a 2 MiB buffer per read made reading small specs slow
            data = fh.read(min(info.st_size, MAX_FILE_BYTES) + 1)
            if info.st_size < len(data) <= MAX_FILE_BYTES:  # it grew since: read on, up to the limit
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
            return data, None
    except FileNotFoundError:
        return None, "does not exist"
    except OSError as err:
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
