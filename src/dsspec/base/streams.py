"""Standard output and error for a command: a write that fails is said once, clearly, never a traceback."""

from __future__ import annotations

from dsspec.base.usage import UsageError


def clip(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` characters, ``...`` marking a cut."""
    return text if len(text) <= width else text[:width - 3] + "..."


class Output:
    """Standard output for a command: a write it cannot make is a ``UsageError`` that says why.

    A full disk (``>/dev/full``), a closed stream (``>&-``) or another write
    error ends the command with ``dsspec: error: cannot write to standard
    output: ...`` and exit 2, never a traceback; a closed pipe (``| head``)
    still ends it quietly. Standard error is wrapped ``quiet``: what cannot be
    written there is dropped, since there is nowhere left to say so.
    """

    def __init__(self, stream, quiet: bool = False):
        self._stream = stream
        self._quiet = quiet

    def _fail(self, err: OSError | None) -> UsageError:
        why = "it is closed" if err is None else (err.strerror or str(err))
        return UsageError(f"cannot write to standard output: {why}")

    def write(self, text: str) -> int:
        if self._stream is None:
            if self._quiet:
                return len(text)
            raise self._fail(None)
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:  # a lone surrogate (an undecodable file name): shown escaped
                return self._stream.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))
        except OSError as err:
            if self._quiet:
                return len(text)
            if isinstance(err, BrokenPipeError):
                raise
            raise self._fail(err) from None

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as err:
            if self._quiet:
                return
            if isinstance(err, BrokenPipeError):
                raise
            raise self._fail(err) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name):
        return getattr(self._stream, name)
