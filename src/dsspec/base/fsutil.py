"""Writing files so that a failure never leaves one half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import NamedTuple


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see the old file or the new one, never a part; on any error the
    temporary file is removed and the old file is untouched. A symbolic link
    is written through (its target is replaced, the link stays), and a target
    that is not a regular file (``/dev/stdout``, a pipe) is written to
    directly, since it cannot be replaced.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8", "backslashreplace")  # a lone surrogate (an undecodable file name) as \udcff
    if path.is_symlink():
        path = Path(os.path.realpath(path))
        if path.is_symlink():  # a link loop: there is no file to write through to
            import errno

            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    if path.exists() and not path.is_file():
        with open(path, "wb") as fh:
            fh.write(data)
        return
    tmp = stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def same_file(a: str | Path, b: str | Path) -> bool:
    """Return whether ``a`` and ``b`` name one file (through links, hard links and ``..``); never raises."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.realpath(os.path.abspath(a)) == os.path.realpath(os.path.abspath(b))


def write_output(path: str | Path, data: bytes | str, inputs=(), flag: str = "--output-file") -> None:
    """Write a command's output file ``path``: the one way ``check -o``, ``--write-baseline`` and ``diff -o`` write.

    Raises ``UsageError``, writing nothing, when ``path`` is one of the files the command read
    (``inputs``: its specs, their includes, its configuration or baseline) or an existing spec
    (``.dsspec``): a report never replaces its own input. Missing parent folders are created, and
    the file is written with ``write_atomic``; an ``OSError`` becomes a ``UsageError`` naming the file.
    """
    from dsspec.base.usage import UsageError

    shown = str(path)[:200]
    if str(path).endswith(("/", os.sep)) or os.path.isdir(path):
        raise UsageError(f"`{flag} {shown}` names a folder; give the name of a file")
    target = os.path.realpath(os.path.abspath(path))
    if target.endswith(".dsspec") and os.path.exists(target):
        what = {"--write-baseline": "baseline", "--output-file": "report", "-o": "report"}.get(flag, "output")
        raise UsageError(f"`{flag} {shown}` would write over a spec; give the {what} another name")
    for source in inputs:
        if source and not str(source).startswith("<") and same_file(path, source):
            raise UsageError(f"`{flag} {shown}` would write over `{str(source)[:200]}`, which this command reads; "
                             "give the output another name")
    try:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)  # resolved: `missing/../r.json` is `r.json`
    except OSError as err:
        raise UsageError(f"cannot write `{shown}`: {err.strerror or err}") from None


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, with the mode ``path`` has (or would get
    from the umask); return it. On any error the temporary file is removed and the error raised."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


class Snapshot(NamedTuple):
    """What a file was when it was read: compared again before it is rewritten."""

    size: int
    mtime_ns: int
    sha256: str


def read_snapshot(path: str | Path, limit: int) -> tuple[bytes, Snapshot]:
    """Return up to ``limit`` bytes of the regular file ``path`` and a snapshot of it. Raises ``OSError``."""
    import hashlib

    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        data = fh.read(limit)
    return data, Snapshot(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())


class Refused(Exception):
    """``rewrite`` will not write: the reason is the message."""


def rewrite(path: str | Path, data: bytes | str, before: Snapshot, limit: int) -> None:
    """Replace the contents of an existing file that was read as ``before``, keeping the file itself.

    Refuses (``Refused``) when the file is read-only (no write permission
    bit, whoever runs dsspec) or changed since it was read (size, mtime or
    hash differ). The new text is first written in full to a temporary file
    beside it with the file's mode (and owner, when that can be set), which
    then replaces it; a file with several hard links, or whose owner cannot
    be given to the temporary file, is instead written in place from that
    complete copy, so its links and owner stay. Raises ``OSError`` on a
    write error, leaving the original untouched in the replace case.
    """
    import hashlib
    import stat

    if isinstance(data, str):
        data = data.encode("utf-8")
    target = Path(os.path.realpath(path))  # a symbolic link is written through
    info = os.stat(target)
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise Refused("it is read-only")
    with open(target, "rb") as fh:
        now = fh.read(limit)
    if (info.st_size, info.st_mtime_ns, hashlib.sha256(now).hexdigest()) != tuple(before):
        raise Refused("it changed since it was read")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        in_place = info.st_nlink > 1
        if not in_place and (info.st_uid, info.st_gid) != (os.stat(tmp).st_uid, os.stat(tmp).st_gid):
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                in_place = True
        if in_place:
            try:
                with open(target, "r+b") as fh:
                    fh.write(data)
                    fh.truncate()
            except OSError as err:  # the file may be part-written now: keep the complete copy
                tmp_kept, tmp = tmp, None
                raise OSError(err.errno, f"{err.strerror}; the formatted text is in {tmp_kept}") from None
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        try:
            if tmp is not None:
                os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
