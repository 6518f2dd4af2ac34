"""The request head's fast path, and the response head's writer: h11's grammar without h11's cost.

Theory of operation
-------------------
h11 parses a request head line by line (a regex, a bytearray, a tuple per header, then a
second pass that lowercases and validates every header again) and builds a response head the
same way; for a small request that is about half of the server's own CPU.  This module does
the common case in a few C-level passes and leaves everything else to h11:

- `parse_head(buf, end)`: `end` is where h11 would see the head end (`head_end`, the first
  `\\n\\r?\\n`).  The head is accepted only when ONE regex, h11's own grammar narrowed to the plain
  case, matches all of it: `METHOD SP target SP HTTP/1.1 CRLF`, then `name: value CRLF` lines
  (a token, a colon, optional blanks, a value of visible or obs-text bytes with inner blanks),
  then `CRLF`.  Then it declines (returns None, and h11 parses the same bytes, so the answer is
  h11's, error or not) for anything whose meaning takes more than that: a folded line, a bare
  LF, another HTTP version, a Transfer-Encoding (chunked bodies are h11's), no Host or more than
  one, a Content-Length that is not one plain run of at most 20 ASCII digits or that comes twice.
  What it accepts it turns into exactly what h11 would have produced (names lowercased, values
  with their surrounding blanks removed, the same bytes decoded as latin-1), plus the two facts
  h11 derives from the head: whether the client waits for 100-continue and whether it allows
  keep-alive.  tests/server/test_http_head.py holds it to h11 on generated and hand-written heads.
- `response_head(...)`: the status line and header lines as one bytes object, h11's checks in
  one regex over all the lines (a token name, a value without NUL, CR, LF or surrounding
  blanks, latin-1) and a count of the lines (one per header: a CR LF inside a value would
  pass the regex as a line of its own).  When either refuses, h11's own Response constructor
  is called on the same headers, so the error raised is h11's (header values a user controls,
  metadata or response-content-* overrides, are checked here like every other); when a header
  needs h11's normalising (a Transfer-Encoding, a repeated Content-Length) its normalised list
  is used.  Then h11's framing rules:
  a response of unknown length is chunked to an HTTP/1.1 client and close-delimited to an
  HTTP/1.0 one, and `Connection: close` is added when either side ends the connection.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import h11

# h11's ABNF (h11/_abnf.py), the ranges spelled out: Python's \s differs between str and bytes.
_TOKEN = r"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"
_FIELD_VCHAR = r"[^\x00\t\n\x0b\x0c\r ]"  # h11: [^\x00\s] on bytes
_FIELD_CONTENT = rf"{_FIELD_VCHAR}+(?:[ \t]+{_FIELD_VCHAR}+)*"
_HEAD = re.compile(
    (rf"{_TOKEN} [\x21-\x7e]+ HTTP/1\.1\r\n"
     rf"(?:{_TOKEN}:[ \t]*(?:{_FIELD_CONTENT})?[ \t]*\r\n)*\r\n").encode("latin-1"))
_HEAD_END = re.compile(rb"\n\r?\n")  # h11's blank_line_regex
_OUT_LINES = re.compile(rf"(?:{_TOKEN}: (?:{_FIELD_CONTENT})?\r\n)*")
_SPECIAL = frozenset({"content-length", "transfer-encoding", "host", "connection", "expect"})
MAX_LENGTH_DIGITS = 20  # h11's CONTENT_LENGTH_MAX_DIGITS


class Head(NamedTuple):
    method: str
    target: str
    headers: list[tuple[str, str]]  # lowercase names, values as h11 gives them, latin-1
    content_length: int | None
    expect_100: bool
    keep_alive: bool


def head_end(buf: bytes) -> int:
    """Where h11 sees the end of the head starting buf (just past the blank line), else -1."""
    match = _HEAD_END.search(buf)
    return -1 if match is None else match.end()


def comma_values(values: list[str]) -> list[str]:
    """h11's get_comma_header over the values of one header name (lowercased, split, stripped)."""
    out = []
    for value in values:  # bytes.lower and bytes.strip: ASCII only, as h11's
        for part in value.encode("latin-1").lower().split(b","):
            part = part.strip()
            if part:
                out.append(part.decode("latin-1"))
    return out


def parse_head(buf: bytes, end: int) -> Head | None:
    """The request head buf[:end] as h11 would parse it, or None to leave it to h11."""
    if _HEAD.fullmatch(buf, 0, end) is None:
        return None
    lines = buf[:end - 4].decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ")
    headers = []
    length: int | None = None
    hosts = 0
    connection: list[str] | None = None
    expect: list[str] | None = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.lower()
        value = value.strip(" \t")
        headers.append((name, value))
        if name in _SPECIAL:
            if name == "content-length":
                if length is not None or len(value) > MAX_LENGTH_DIGITS or not (
                        value.isascii() and value.isdigit()):
                    return None
                length = int(value)
            elif name == "host":
                hosts += 1
            elif name == "transfer-encoding":
                return None
            elif name == "connection":
                connection = [*(connection or []), value]
            else:
                expect = [*(expect or []), value]
    if hosts != 1:
        return None
    keep_alive = connection is None or "close" not in comma_values(connection)
    expect_100 = expect is not None and "100-continue" in comma_values(expect)
    return Head(method, target, headers, length, expect_100, keep_alive)


# -- the response head ------------------------------------------------------------------------------

class Framing(NamedTuple):
    head: bytes
    length: int | None  # body bytes the head promises; None: chunked or close-delimited
    chunked: bool
    keep_alive: bool  # False: the connection ends after this response


def _normalised(status: int, headers: list[tuple[str, str]], reason: str) -> list[tuple[str, str]]:
    """h11's normalised headers (or its error, raised) for the rare response that needs them."""
    raw = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
    event = h11.Response(status_code=status, headers=raw, reason=reason.encode("latin-1"))
    return [(n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers.raw_items()]


def _scan(headers: list[tuple[str, str]]) -> tuple[str | None, bool, bool, bool]:
    """(Content-Length, has Transfer-Encoding, says Connection: close, needs h11's normalising)."""
    length: str | None = None
    te = closing = False
    for name, value in headers:
        low = name.lower()
        if low == "content-length":
            if length is not None or len(value) > MAX_LENGTH_DIGITS or not (
                    value.isascii() and value.isdigit()):
                return length, te, closing, True
            length = value
        elif low == "transfer-encoding":
            if te or value.lower() != "chunked":
                return length, te, closing, True
            te = True
        elif low == "connection":
            closing = closing or "close" in comma_values([value])
    return length, te, closing, False


def response_head(status: int, headers: list[tuple[str, str]], reason: str, method: str | None,
                  http_version: str | None, keep_alive: bool) -> Framing:
    """The head of a response to a `method` request from an `http_version` client (None: no valid
    request) on a connection the request left `keep_alive`, as h11 would write it."""
    text = "".join([f"{n}: {v}\r\n" for n, v in headers])
    lines: str | None = text
    # One regex over all the lines, and one line per header: a CR LF inside a value would make
    # two lines of one header (an injected header), which the count catches.
    if not 200 <= status < 1000 or _OUT_LINES.fullmatch(text) is None or text.count("\n") != len(headers):
        headers, lines = _normalised(status, headers, reason), None  # or h11's error, raised
    length, te, closing, odd = _scan(headers)
    if odd:  # a repeated or odd Content-Length, an odd Transfer-Encoding: h11 merges or refuses
        headers, lines = _normalised(status, headers, reason), None
        length, te, closing, odd = _scan(headers)
    # h11's _clean_up_response_headers_for_sending: framing chosen as for GET when HEAD.
    sized = status in (204, 304) or (method == "CONNECT" and 200 <= status < 300)
    need_close = False
    if not sized and (te or length is None):  # chunked, or h11's "http/1.0" (unknown length)
        headers = [h for h in headers if h[0].lower() not in ("content-length", "transfer-encoding")]
        length = None
        if http_version is None or http_version < "1.1":
            te = False
            need_close = method != "HEAD"
        else:
            headers.append(("Transfer-Encoding", "chunked"))
            te = True
        lines = None
    if not keep_alive or need_close:
        values = set(comma_values([v for n, v in headers if n.lower() == "connection"]))
        values.discard("keep-alive")
        values.add("close")
        headers = [*(h for h in headers if h[0].lower() != "connection"),
                   *(("Connection", v) for v in sorted(values))]
        lines, closing = None, True
    if lines is None:
        lines = "".join([f"{n}: {v}\r\n" for n, v in headers])
    head = f"HTTP/1.1 {status} {reason}\r\n{lines}\r\n".encode("latin-1")
    # h11's _body_framing with the real method: what the body writer then holds us to.
    if sized or method == "HEAD":
        body_length: int | None = 0
    elif te:
        body_length = None
    else:
        body_length = None if length is None else int(length)
    return Framing(head, body_length, te and body_length is None, keep_alive and not closing)
