"""The aws-chunked decoder as it was written in Python before it was compiled
(server/auth/_chunked.pyx): the reference the compiled one is tested against, output for output
and error for error (test_auth_chunked_differential.py).  The server never imports it.

What it decodes and refuses is described in server/auth/chunked.py.
"""

from __future__ import annotations

import hashlib
import re

from cairn.server.auth.common import trimall
from cairn.server.auth.errors import AuthError, incomplete_body, malformed_trailer, signature_mismatch
from cairn.server.auth.model import PayloadMode
from cairn.server.auth.sigv4 import chunk_string_to_sign, hmac_hex, same_signature, trailer_string_to_sign

MAX_LINE = 4096  # a chunk header or trailer line
MAX_TRAILER_BYTES = 4096  # the whole trailer section
MAX_SIGNED_CHUNK = 16 << 20  # held in memory until its signature is checked
MAX_UNSIGNED_CHUNK = 5 << 30  # S3's largest single upload
SMALL_PIECE = 4096  # held pieces smaller than this are copied together

_HEADER, _DATA, _DATA_CRLF, _TRAILER, _DONE = range(5)
_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}")
_CHUNK_SIGNATURE = re.compile(rb"chunk-signature=([0-9a-fA-F]{64})")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_SIGNATURE_TRAILER = "x-amz-trailer-signature"


class AwsChunkedDecoder:
    def __init__(self, mode: PayloadMode) -> None:
        if not mode.kind.startswith("streaming"):
            raise ValueError(f"not an aws-chunked payload: {mode.kind}")
        self._mode = mode
        self._signed = mode.kind != "streaming-unsigned-trailer"
        self._trailers_allowed = mode.kind.endswith("trailer")
        if self._signed and not (mode.signing_key and mode.scope and mode.amz_date and mode.seed_signature):
            raise ValueError("a signed aws-chunked payload needs its signing key, scope, date and seed")
        self._previous = mode.seed_signature or ""
        self._state = _HEADER
        self._line = bytearray()
        self._remaining = 0  # data bytes of the current chunk still to come
        self._crlf = 0  # bytes of the CRLF after the data seen so far
        self._claimed = ""  # the signature the current chunk's header claims
        self._hash = hashlib.sha256()
        self._held: list[memoryview | bytearray] = []
        self._decoded = 0
        self._trailer_bytes = 0
        self._trailers: dict[str, str] = {}
        self._trailer_signature: str | None = None
        self._error: AuthError | None = None

    def feed(self, data: bytes | bytearray | memoryview) -> list[memoryview]:
        """The payload pieces `data` completes (for signed kinds: whose signatures verified)."""
        if self._error is not None:
            raise self._error
        raw = data if isinstance(data, (bytes, bytearray)) else bytes(data)
        view = memoryview(raw)
        out: list[memoryview] = []
        pos = 0
        try:
            while pos < len(raw):
                pos = self._step(raw, view, pos, out)
        except AuthError as exc:
            self._error = exc
            self._held.clear()
            raise
        return out

    def finish(self) -> dict[str, str]:
        """The trailers; IncompleteBody if the body ended before its final empty line."""
        if self._error is not None:
            raise self._error
        if self._state != _DONE:
            self._error = incomplete_body()
            raise self._error
        return dict(self._trailers)

    def _step(self, raw: bytes | bytearray, view: memoryview, pos: int, out: list[memoryview]) -> int:
        if self._state == _DATA:
            return self._take_data(view, pos, out)
        if self._state == _DATA_CRLF:
            return self._take_crlf(raw, pos, out)
        if self._state == _DONE:
            raise incomplete_body("The request body continued after the end of the aws-chunked encoding.")
        line, pos = self._take_line(raw, pos)
        if line is not None:
            if self._state == _HEADER:
                self._chunk_header(line)
            else:
                self._trailer_line(line)
        return pos

    def _take_line(self, raw: bytes | bytearray, pos: int) -> tuple[bytes | None, int]:
        """A whole line without its CRLF once it has arrived, else (None, end of input)."""
        room = MAX_LINE + 2 - len(self._line)
        end = min(len(raw), pos + room)
        newline = raw.find(b"\n", pos, end)
        if newline < 0:
            if end - pos >= room:
                raise self._too_long()
            self._line += raw[pos:end]
            return None, end
        self._line += raw[pos:newline + 1]
        line = bytes(self._line)
        self._line.clear()
        if not line.endswith(b"\r\n"):
            raise incomplete_body("An aws-chunked line did not end with CRLF.")
        if self._state == _TRAILER:
            self._trailer_bytes += len(line)
            if self._trailer_bytes > MAX_TRAILER_BYTES:
                raise malformed_trailer()
        return line[:-2], newline + 1

    def _too_long(self) -> AuthError:
        return malformed_trailer() if self._state == _TRAILER else incomplete_body(
            "An aws-chunked chunk header is too long.")

    def _chunk_header(self, line: bytes) -> None:
        size_text, semicolon, extension = line.partition(b";")
        size_text = size_text.strip(b" \t")
        if not _SIZE.fullmatch(size_text):
            raise incomplete_body("An aws-chunked chunk header does not start with a hex size.")
        size = int(size_text, 16)
        if self._signed:
            match = _CHUNK_SIGNATURE.fullmatch(extension.strip(b" \t")) if semicolon else None
            if match is None:
                raise incomplete_body("An aws-chunked chunk header has no valid chunk-signature.")
            self._claimed = match.group(1).decode("ascii")
        limit = MAX_SIGNED_CHUNK if self._signed else MAX_UNSIGNED_CHUNK
        if size > limit:
            raise incomplete_body(f"An aws-chunked chunk is larger than {limit} bytes.")
        declared = self._mode.decoded_length
        if declared is not None and self._decoded + size > declared:
            raise incomplete_body("The aws-chunked body is longer than x-amz-decoded-content-length.")
        if size:
            self._remaining = size
            self._hash = hashlib.sha256()
            self._state = _DATA
            return
        if declared is not None and self._decoded != declared:
            raise incomplete_body()
        if self._signed:
            self._check_chunk(hashlib.sha256().hexdigest())
        self._state = _TRAILER

    def _take_data(self, view: memoryview, pos: int, out: list[memoryview]) -> int:
        take = min(self._remaining, len(view) - pos)
        piece = view[pos:pos + take]
        if self._signed:
            self._hash.update(piece)
            self._hold(piece)
        else:
            out.append(piece)
        self._remaining -= take
        self._decoded += take
        if self._remaining == 0:
            self._state = _DATA_CRLF
        return pos + take

    def _hold(self, piece: memoryview) -> None:
        if len(piece) >= SMALL_PIECE:
            self._held.append(piece)
        elif self._held and isinstance(self._held[-1], bytearray):
            self._held[-1] += piece
        else:
            self._held.append(bytearray(piece))

    def _take_crlf(self, raw: bytes | bytearray, pos: int, out: list[memoryview]) -> int:
        while self._crlf < 2 and pos < len(raw):
            if raw[pos] != b"\r\n"[self._crlf]:
                raise incomplete_body("An aws-chunked chunk's data is not followed by CRLF.")
            self._crlf += 1
            pos += 1
        if self._crlf == 2:
            self._crlf = 0
            if self._signed:
                self._check_chunk(self._hash.hexdigest())
                out.extend(p if isinstance(p, memoryview) else memoryview(p) for p in self._held)
                self._held.clear()
            self._state = _HEADER
        return pos

    def _check_chunk(self, data_sha256: str) -> None:
        mode = self._mode
        assert mode.signing_key is not None and mode.scope is not None and mode.amz_date is not None
        to_sign = chunk_string_to_sign(mode.amz_date, mode.scope, self._previous, data_sha256)
        expected = hmac_hex(mode.signing_key, to_sign)
        if not same_signature(expected, self._claimed):
            raise signature_mismatch(None, to_sign, self._claimed)
        self._previous = expected

    def _trailer_line(self, line: bytes) -> None:
        if not line:
            self._end_trailers()
            self._state = _DONE
            return
        if not self._trailers_allowed:
            raise incomplete_body("The aws-chunked body continued after its final chunk.")
        if self._trailer_signature is not None:
            raise malformed_trailer()  # the trailer signature comes last
        name, colon, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), trimall(value)
        if not colon or not _TOKEN.fullmatch(name) or name in self._trailers:
            raise malformed_trailer()
        if name != _SIGNATURE_TRAILER:
            self._trailers[name] = value
        elif self._mode.kind == "streaming-signed-trailer" and _HEX64.fullmatch(value):
            self._trailer_signature = value
        else:
            raise malformed_trailer()

    def _end_trailers(self) -> None:
        mode = self._mode
        if mode.kind == "streaming-signed-trailer":
            if self._trailer_signature is None:
                raise malformed_trailer()
            assert mode.signing_key is not None and mode.scope is not None and mode.amz_date is not None
            self._check_trailer_signature(mode.signing_key, mode.scope, mode.amz_date)
        if mode.trailer is not None:
            declared = {name.strip().lower() for name in mode.trailer.split(",") if name.strip()}
            if declared != set(self._trailers):
                raise malformed_trailer()

    def _check_trailer_signature(self, key: bytes, scope: str, amz_date: str) -> None:
        """Trailers are signed as canonical headers, sorted by name (aws-c-auth); the order they
        were sent in is accepted too, as it names the same trailers."""
        assert self._trailer_signature is not None
        shown = ""
        for order in (sorted(self._trailers.items()), list(self._trailers.items())):
            canonical = "".join(f"{name}:{value}\n" for name, value in order)
            digest = hashlib.sha256(canonical.encode("latin-1")).hexdigest()
            to_sign = trailer_string_to_sign(amz_date, scope, self._previous, digest)
            if same_signature(hmac_hex(key, to_sign), self._trailer_signature):
                return
            shown = shown or to_sign
        raise signature_mismatch(None, shown, self._trailer_signature)
