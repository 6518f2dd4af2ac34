"""multipart/form-data for S3 POST Object (browser uploads), parsed as it streams, sans-IO.

Theory of operation
-------------------
A `FormParser` is built with the boundary (`parse_boundary` takes it from the
Content-Type header) and fed the body in pieces of any size; each `feed()`
returns the events those bytes completed, and `end()` says the body ended:

    Field(name, value)     an ordinary field, whole, before the file
    FileStart(...)         the part named "file": its field name, filename, Content-Type
    FileData(data)         file content, as it arrives (slices of what was fed, not copies)
    FileEnd()              the file part is complete

The body is RFC 2046/7578: an optional preamble, then parts each opened by a
delimiter line (CRLF "--" boundary, transport padding, CRLF), headers, a blank
line, content; the close delimiter ("--" after the boundary) ends it and
anything after it (the epilogue) is ignored.  A virtual CRLF before the first
byte lets the first delimiter sit at the very start.  Line ends must be CRLF.
A delimiter followed by anything but "--" or padding and CRLF is malformed:
a sender must pick a boundary its content does not contain.

Streaming: content is scanned for CRLF "--" boundary.  A chunk with no
delimiter is passed on at once except for a tail that could begin one: the
boundary holds no CR, so that tail starts at the chunk's last CR and is never
longer than the delimiter.  So the file is never buffered and a delimiter
split across feeds is still found.

S3's rules (AWS's POST Object and HTML form pages, and S3's recorded answers):
- The file is the part named "file" (any case) with a form-data disposition;
  its `filename` parameter does not matter and may be absent.  Every part
  before it is an ordinary field, whatever its filename.
- Everything before the file's content (preamble, delimiters, part headers,
  field values) may total 20 KiB (20480 bytes): beyond that,
  MaxPostPreDataLengthExceeded.  This also bounds every header block before
  the file; after it, a part's header block may be 20 KiB.
- Fields after the file are ignored by S3: they are parsed only as far as
  their headers and dropped, never reported.  A second part named "file" is
  refused ("POST requires exactly one file upload per request.", as S3 answers
  a form without one), as is a form with no file at all (at `end()`).
- A part with no Content-Disposition, or one without a name, is malformed.
- Header parameters: quoted strings with backslash escapes of the specials
  only (as Go's mime package: an unescaped Windows path survives), and RFC
  2231 `filename*=UTF-8''...` (and continuations) which wins over `filename`.
  The %22/%0D/%0A that browsers write in names are left as sent.
- Field values and headers must be UTF-8 (the form's documented encoding).
- Field names are reported as sent; S3 compares them without regard to case,
  and `field_map` folds them to lower case (S3 stores x-amz-meta-* names in
  lower case too), joining repeats with "," as S3's policy check sees them.

Every failure is an S3Error; after one, the parser repeats it.  The bound on
pre-file bytes is checked against a lower bound of where the file content can
start, so any split of the same body gives the same outcome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote_to_bytes

from .errors import S3Error

MAX_PRE_DATA = 20480  # bytes before the file's content (S3: MaxPostPreDataLengthBytes)
MAX_HEADER_BLOCK = 20480  # a part's header block after the file
_BOUNDARY_RE = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_PARAM_RE = re.compile(r'\s*;\s*([^\s=;"]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;"]*))', re.DOTALL)
_QUOTED_PAIR_RE = re.compile(r"\\(.)", re.DOTALL)
_TSPECIALS = frozenset('()<>@,;:\\"/[]?=')
_CHARSETS = {"utf-8": "utf-8", "utf8": "utf-8", "iso-8859-1": "latin-1", "latin1": "latin-1",
             "latin-1": "latin-1", "us-ascii": "ascii", "ascii": "ascii"}


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # as sent
    value: str


@dataclass(frozen=True, slots=True)
class FileStart:
    field_name: str  # "file", in the case sent
    filename: str | None  # the filename parameter as sent (a path, maybe); None when absent
    content_type: str | None  # the part's own Content-Type header


@dataclass(frozen=True, slots=True)
class FileData:
    data: bytes | memoryview


@dataclass(frozen=True, slots=True)
class FileEnd:
    pass


Event = Field | FileStart | FileData | FileEnd


def malformed() -> S3Error:
    return S3Error("MalformedPOSTRequest",
                   "The body of your POST request is not well-formed multipart/form-data.", 400)


def pre_data_too_large() -> S3Error:
    return S3Error("MaxPostPreDataLengthExceeded",
                   "Your POST request fields preceeding the upload file was too large.", 400,
                   MaxPostPreDataLengthBytes=str(MAX_PRE_DATA))


def file_count(count: int) -> S3Error:
    return S3Error("InvalidArgument", "POST requires exactly one file upload per request.", 400,
                   ArgumentName="file", ArgumentValue=str(count))


def not_multipart() -> S3Error:
    return S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                   412, Condition="Bucket POST must be of the enclosure-type multipart/form-data")


def field_map(fields: Iterable[Field]) -> dict[str, str]:
    """Fields by lower-case name, a repeated name's values joined with "," (S3's rule)."""
    out: dict[str, str] = {}
    for item in fields:
        name = item.name.lower()
        out[name] = f"{out[name]},{item.value}" if name in out else item.value
    return out


def parse_boundary(content_type: str) -> str:
    """The boundary of a `multipart/form-data; boundary=...` Content-Type.

    Another media type: 412 PreconditionFailed, as S3 answers it; no boundary, or one RFC 2046
    does not allow (1-70 of its characters, not ending in a space): MalformedPOSTRequest."""
    media, params = _header_params(content_type)
    if media != "multipart/form-data":
        raise not_multipart()
    boundary = params.get("boundary")
    if boundary is None or not _BOUNDARY_RE.fullmatch(boundary):
        raise malformed()
    return boundary


def _unquote(text: str) -> str:
    return _QUOTED_PAIR_RE.sub(lambda m: m[1] if m[1] in _TSPECIALS else m[0], text)


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    """(lower-case type, parameters by lower-case name) of `type; a=b; c="d"`.  Parsing stops
    at the first parameter it cannot read; the first of a repeated parameter wins."""
    semi = value.find(";")
    kind = (value if semi < 0 else value[:semi]).strip().lower()
    params: dict[str, str] = {}
    pos = len(value) if semi < 0 else semi
    while (match := _PARAM_RE.match(value, pos)) is not None:
        quoted, bare = match[2], match[3]
        params.setdefault(match[1].lower(), _unquote(quoted) if quoted is not None else bare.strip())
        pos = match.end()
    return kind, params


def _ext_value(text: str, charset: str | None = None) -> bytes | None:
    """The octets of an RFC 2231 value `charset'lang'%xx...` (charset given: just `%xx...`)."""
    if charset is None:
        parts = text.split("'", 2)
        if len(parts) != 3:
            return None
        text = parts[2]
    return unquote_to_bytes(text)


def _decode(raw: bytes, charset: str) -> str | None:
    codec = _CHARSETS.get(charset.lower())
    if codec is None:
        return None
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def _rfc2231(params: dict[str, str], key: str) -> str | None:
    """`key*` or `key*0`, `key*1*`, ... decoded; None when absent or undecodable."""
    if f"{key}*" in params:
        value = params[f"{key}*"]
        raw = _ext_value(value)
        return None if raw is None else _decode(raw, value.split("'", 1)[0])
    charset, raw = "utf-8", b""
    for n in range(100):
        if f"{key}*{n}*" in params:
            value = params[f"{key}*{n}*"]
            if n == 0:
                charset = value.split("'", 1)[0]
            piece = _ext_value(value, None if n == 0 else charset)
            if piece is None:
                return None
            raw += piece
        elif f"{key}*{n}" in params:
            raw += params[f"{key}*{n}"].encode("utf-8")
        else:
            return _decode(raw, charset) if n else None
    return None


def _param(params: dict[str, str], key: str) -> str | None:
    extended = _rfc2231(params, key)
    return extended if extended is not None else params.get(key)


def _parse_headers(block: bytes) -> dict[str, str]:
    """A part's header block as lower-case name -> value (the first of a repeated name)."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        raise malformed() from None
    headers: dict[str, str] = {}
    last: str | None = None  # the header a folded line continues ("": one that is ignored)
    for line in text.split("\r\n") if text else ():
        if line[:1] in (" ", "\t"):  # obsolete line folding
            if last is None:
                raise malformed()
            if last:
                headers[last] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise malformed()
        last = "" if name.lower() in headers else name.lower()
        if last:
            headers[last] = value.strip()
    return headers


State = Literal["body", "tail", "headers", "file", "epilogue"]
Sink = Literal["preamble", "field", "skip"]


class FormParser:
    """Incremental multipart/form-data parser: `feed(bytes) -> [events]`, then `end()`."""

    def __init__(self, boundary: str) -> None:
        if not _BOUNDARY_RE.fullmatch(boundary):
            raise malformed()
        self._delim = b"\r\n--" + boundary.encode("ascii")
        self._buf = bytearray(b"\r\n")  # the virtual CRLF before the first delimiter
        self._pos = 0  # parsed up to here in _buf
        self._base = -2  # offset in the body of _buf[0]
        self._hint = -2  # offset in the body where the next header search may start
        self._head = 0  # offset in the body where the current delimiter line's rest began
        self._state: State = "body"
        self._sink: Sink = "preamble"
        self._name = ""
        self._value = bytearray()
        self._file_seen = False
        self._error: S3Error | None = None

    def feed(self, data: bytes | bytearray | memoryview) -> list[Event]:
        if self._error is not None:
            raise self._error
        events: list[Event] = []
        if not data or self._state == "epilogue":
            return events
        chunk = data if isinstance(data, bytes) else bytes(data)
        try:
            if self._state == "file":
                base = self._base
                if self._buf:
                    chunk = bytes(self._buf) + chunk
                if not self._file(chunk, base, events):
                    return events
            else:
                self._buf += chunk
            self._run(events)
        except S3Error as exc:
            self._error = exc
            raise
        return events

    def end(self) -> None:
        """The body is complete: MalformedPOSTRequest unless the close delimiter was seen;
        InvalidArgument when the form had no file."""
        if self._error is None and self._state != "epilogue":
            self._error = malformed()
        if self._error is None and not self._file_seen:
            self._error = file_count(0)
        if self._error is not None:
            raise self._error

    # --- the state machine ---------------------------------------------------------------------

    def _run(self, events: list[Event]) -> None:
        while self._step(events):
            pass
        if self._state == "epilogue":
            self._buf.clear()
            self._pos = 0
            return
        if self._pos:
            del self._buf[:self._pos]
            self._base += self._pos
            self._pos = 0
        self._check_waiting()

    def _step(self, events: list[Event]) -> bool:
        state = self._state
        if state == "body":
            return self._body(events)
        if state == "tail":
            return self._tail()
        if state == "headers":
            return self._headers(events)
        if state == "file":
            chunk, base = bytes(self._buf[self._pos:]), self._base + self._pos
            return self._file(chunk, base, events)
        return False

    def _check_waiting(self) -> None:
        """More bytes are needed: what must still come lies beyond what is buffered."""
        end = self._base + len(self._buf)
        if not self._file_seen:
            if end >= MAX_PRE_DATA:
                raise pre_data_too_large()
        elif self._state in ("tail", "headers") and end - self._head >= MAX_HEADER_BLOCK:
            raise malformed()

    def _spend(self, index: int) -> None:
        """The construct being parsed ends at _buf[index]: check the bounds before its content."""
        end = self._base + index
        if not self._file_seen:
            if end > MAX_PRE_DATA:
                raise pre_data_too_large()
        elif self._state in ("tail", "headers") and end - self._head > MAX_HEADER_BLOCK:
            raise malformed()

    def _held(self, data: bytes | bytearray, start: int) -> int:
        """Where the tail of `data` that may begin a delimiter starts (len(data) if none)."""
        cr = data.rfind(b"\r", max(start, len(data) - len(self._delim) + 1))
        return cr if cr >= 0 and self._delim.startswith(data[cr:]) else len(data)

    def _body(self, events: list[Event]) -> bool:
        """Content of the preamble, a field, or an ignored part, up to the next delimiter."""
        buf, pos = self._buf, self._pos
        found = buf.find(self._delim, pos)
        stop = self._held(buf, pos) if found < 0 else found
        if self._sink == "field":
            self._value += buf[pos:stop]
        if found < 0:
            self._pos = stop
            return False
        end = found + len(self._delim)
        self._spend(end)
        if self._sink == "field":
            events.append(Field(self._name, self._text(self._value)))
            self._value = bytearray()
        self._pos = end
        self._enter_tail()
        return True

    def _enter_tail(self) -> None:
        self._state = "tail"
        self._head = self._hint = self._base + self._pos

    def _find(self, needle: bytes) -> int:
        start = max(self._pos, self._hint - self._base)
        found = self._buf.find(needle, start)
        if found < 0:
            self._hint = self._base + max(self._pos, len(self._buf) - len(needle) + 1)
        return found

    def _tail(self) -> bool:
        """The rest of a delimiter line: "--" (the close delimiter), or padding and CRLF."""
        buf, pos = self._buf, self._pos
        if len(buf) - pos < 2:
            return False
        if buf.startswith(b"--", pos):
            self._spend(pos + 2)
            self._state = "epilogue"
            return False
        crlf = self._find(b"\r\n")
        if crlf < 0:
            return False
        self._spend(crlf + 2)
        if buf[pos:crlf].strip(b" \t"):
            raise malformed()
        self._pos = crlf + 2
        self._state = "headers"
        return True

    def _headers(self, events: list[Event]) -> bool:
        buf, pos = self._buf, self._pos
        if len(buf) - pos < 2:
            return False
        if buf.startswith(b"\r\n", pos):
            end = pos + 2
        else:
            found = self._find(b"\r\n\r\n")
            if found < 0:
                return False
            end = found + 4
        self._spend(end)
        headers = _parse_headers(bytes(buf[pos:end - 4]) if end - pos >= 4 else b"")
        self._pos = end
        self._open_part(headers, events)
        return True

    def _open_part(self, headers: dict[str, str], events: list[Event]) -> None:
        disposition = headers.get("content-disposition")
        kind, params = _header_params(disposition) if disposition is not None else ("", {})
        name = _param(params, "name")
        is_file = kind == "form-data" and name is not None and name.lower() == "file"
        if self._file_seen:
            if is_file:
                raise file_count(2)
            self._state, self._sink = "body", "skip"
        elif name is None:
            raise malformed()
        elif is_file:
            self._file_seen = True
            self._state = "file"
            events.append(FileStart(name, _param(params, "filename"), headers.get("content-type")))
        else:
            self._state, self._sink, self._name = "body", "field", name

    def _file(self, chunk: bytes, base: int, events: list[Event]) -> bool:
        """File content from `chunk` (at offset `base` in the body); True once it has ended, with
        what follows the delimiter left in _buf."""
        found = chunk.find(self._delim)
        stop = self._held(chunk, 0) if found < 0 else found
        if stop:
            events.append(FileData(chunk if stop == len(chunk) else memoryview(chunk)[:stop]))
        rest = stop if found < 0 else found + len(self._delim)
        self._buf = bytearray(chunk[rest:])
        self._base, self._pos = base + rest, 0
        if found < 0:
            return False
        events.append(FileEnd())
        self._enter_tail()
        return True

    @staticmethod
    def _text(raw: bytearray) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise malformed() from None
