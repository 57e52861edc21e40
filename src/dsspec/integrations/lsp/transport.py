"""The server's standard input, guarded: a hostile or broken client is a clear error, never a crash.

pygls reads a header line, then exactly ``Content-Length`` bytes of body in
one ``read``: a client that claims 99999999999 bytes made it allocate that
much (``MemoryError``), and a body that is not JSON logged a full traceback.
``Guarded`` bounds both reads: a header line longer than ``HEADER_LIMIT`` or a
body longer than ``MESSAGE_LIMIT`` stops the server with one line on standard
error (the stream cannot be resynchronised), and ``quiet_logs`` makes pygls
say a message it cannot handle in one line, without the traceback.
"""

from __future__ import annotations

import logging
import sys

MESSAGE_LIMIT = 64 * 1024 * 1024
"""Bytes of one message's body: far above any real document (a 2 MB spec is a few MB of JSON)."""

HEADER_LIMIT = 8 * 1024
"""Bytes of one header line (``Content-Length: 123`` is 20)."""


class Guarded:
    """A binary standard input for pygls whose ``readline`` and ``read`` refuse over-long messages."""

    def __init__(self, stream):
        self._stream = stream
        self.error: str | None = None

    def _stop(self, why: str) -> bytes:
        self.error = why
        print(f"dsspec lsp: {why}; stopping", file=sys.stderr, flush=True)
        return b""

    def readline(self) -> bytes:
        if self.error:
            return b""
        line = self._stream.readline(HEADER_LIMIT + 1)
        if len(line) > HEADER_LIMIT:
            return self._stop(f"a header line is longer than {HEADER_LIMIT} bytes: this is not a language client")
        return line

    def read(self, n: int) -> bytes:
        if self.error:
            return b""
        if n > MESSAGE_LIMIT:
            return self._stop(f"a message of {n} bytes (Content-Length) is larger than the "
                              f"{MESSAGE_LIMIT // (1024 * 1024)} MB limit")
        return self._stream.read(n)


class _OneLine(logging.Formatter):
    """``dsspec lsp: <message>: <the exception in one line>``, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"dsspec lsp: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            err = record.exc_info[1]
            text += f": {type(err).__name__}: {str(err)[:300]}"
        return text


def quiet_logs() -> None:
    """Send pygls' warnings and errors to standard error, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    for name in ("pygls", "dsspec"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def protocol_class():
    """Return pygls' protocol with one change: a message whose params do not fit its method is answered.

    pygls logged an 80-line traceback for such a message and dropped it, so an
    editor waiting on a request waited for ever. Here a request gets an
    ``InvalidParams`` error response and a notification is dropped, each with
    one line on standard error.
    """
    from lsprotocol import types as t
    from pygls.exceptions import JsonRpcException
    from pygls.protocol import LanguageServerProtocol

    log = logging.getLogger("dsspec.lsp")

    class Protocol(LanguageServerProtocol):
        def structure_message(self, data):
            if not isinstance(data, dict) or "jsonrpc" not in data:
                return data
            deserialize = logging.getLogger("pygls.protocol.json_rpc")
            deserialize.disabled = True  # its own report of this is the traceback
            try:
                return super().structure_message(data)
            except JsonRpcException as exc:
                cause = exc.__cause__ or exc
                method = str(data.get("method", "?"))[:80]
                why = _why(cause)
                log.warning("invalid params for `%s`: %s", method, why)
                msg_id = data.get("id")
                if "method" in data and type(msg_id) in (int, str):  # a request: the client waits for an answer
                    self._send_response(msg_id, error=t.ResponseError(
                        t.ErrorCodes.InvalidParams, f"invalid params for `{method}`: {why}"))
                return ANSWERED
            finally:
                deserialize.disabled = False

        def handle_message(self, message):
            if message is ANSWERED:
                return
            super().handle_message(message)

    return Protocol


def _why(err: BaseException) -> str:
    """Return what is wrong with a message's params in one short line (``expected int @ $.params.position.line``)."""
    try:
        from cattrs import transform_error

        found = transform_error(err, path="$")
    except Exception:  # not a cattrs error: its own words
        found = [str(err)]
    return "; ".join(" ".join(str(x).split()) for x in found[:3])[:300] or type(err).__name__


ANSWERED = object()
"""What ``structure_message`` returns for a message it has answered (or dropped) itself."""
