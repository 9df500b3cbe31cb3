"""The Language Server Protocol's base protocol over a byte stream: a `Content-Length`
header, a blank line, then a JSON body. For tests that talk to `checker server` as an editor
would, without a client library in between."""

from __future__ import annotations

import json
from typing import Any


def frame(payload: dict[str, Any]) -> bytes:
    """One message, ready to write. A lone surrogate is sent escaped, as editors send it."""
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def read_message(stream: Any) -> dict[str, Any]:
    """The next message from a binary stream; EOFError when the server closed its output."""
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, Any] = json.loads(stream.read(length))
    return message
