# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The aws-chunked decoder in compiled code (chunked.py is its typed face and says what it does).

The framing state machine runs in C over the bytes of each feed() input: chunk header lines are
found with memchr and parsed in place (copied only when one spans two inputs, into a fixed
4 KiB buffer), chunk data is hashed with OpenSSL's SHA-256 -- the GIL released for pieces of
NOGIL_THRESHOLD bytes or more -- and handed out as memoryview slices of the input, and each
chunk signature is an OpenSSL HMAC over the string to sign that sigv4.chunk_string_to_sign
lays out, compared in constant time.  The Python left is one memoryview slice per data piece
and the rare paths: errors, the trailer section, the trailer signature.
"""

from cpython.bytearray cimport PyByteArray_AS_STRING
from cpython.bytes cimport PyBytes_AS_STRING
from libc.string cimport memchr, memcpy

from cairn.engine.libcrypto cimport (EVP_MD, EVP_DigestFinal_ex, EVP_DigestInit_ex, EVP_DigestUpdate,
                                     EVP_MD_CTX, EVP_MD_CTX_copy_ex, EVP_MD_CTX_free, EVP_MD_CTX_new,
                                     EVP_MD_fetch, EVP_MD_free)

import hashlib
import re

from .common import trimall, utf8
from .errors import AuthError, incomplete_body, malformed_trailer, signature_mismatch
from .sigv4 import chunk_string_to_sign, hmac_hex, same_signature, trailer_string_to_sign

MAX_LINE = 4096  # a chunk header or trailer line
MAX_TRAILER_BYTES = 4096  # the whole trailer section
MAX_SIGNED_CHUNK = 16 << 20  # held in memory until its signature is checked
MAX_UNSIGNED_CHUNK = 5 << 30  # S3's largest single upload
SMALL_PIECE = 4096  # held pieces smaller than this are copied together

cdef enum:
    LINE_CAPACITY = 4098  # MAX_LINE + CRLF
    SIGNATURE_PREFIX_LEN = 16  # len("chunk-signature=")
cdef Py_ssize_t C_MAX_LINE = MAX_LINE
cdef Py_ssize_t C_MAX_TRAILER_BYTES = MAX_TRAILER_BYTES
cdef Py_ssize_t C_SMALL_PIECE = SMALL_PIECE
cdef unsigned long long C_MAX_SIGNED_CHUNK = MAX_SIGNED_CHUNK
cdef unsigned long long C_MAX_UNSIGNED_CHUNK = MAX_UNSIGNED_CHUNK
cdef unsigned long long DECLARED_CAP = 1 << 62  # larger declared lengths compare the same
# Below this many bytes releasing and retaking the GIL costs more than the hashing it frees.
cdef Py_ssize_t NOGIL_THRESHOLD = 4096

cdef enum State:
    S_HEADER
    S_DATA
    S_DATA_CRLF
    S_TRAILER
    S_DONE

cdef const char *HEX = b"0123456789abcdef"
cdef const char *SIGNATURE_PREFIX = b"chunk-signature="
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_SIGNATURE_TRAILER = "x-amz-trailer-signature"
_EMPTY_SHA256 = hashlib.sha256().hexdigest()


cdef inline int hex_value(unsigned char c) noexcept nogil:
    if 48 <= c <= 57:
        return c - 48
    if 97 <= c <= 102:
        return c - 87
    if 65 <= c <= 70:
        return c - 55
    return -1


cdef inline void to_hex(const unsigned char *digest, unsigned char *out) noexcept nogil:
    cdef int i
    for i in range(32):
        out[2 * i] = HEX[digest[i] >> 4]
        out[2 * i + 1] = HEX[digest[i] & 15]


cdef class AwsChunkedDecoder:
    """AwsChunkedDecoder(mode): feed(data) -> authenticated payload pieces; finish() -> trailers."""

    cdef object _mode
    cdef bint _signed
    cdef bint _trailers_allowed
    cdef bint _has_declared
    cdef unsigned long long _declared
    cdef int _state
    cdef unsigned char _line[LINE_CAPACITY]
    cdef Py_ssize_t _line_len
    cdef unsigned long long _remaining  # data bytes of the current chunk still to come
    cdef unsigned long long _decoded
    cdef int _crlf  # bytes of the CRLF after the data seen so far
    cdef unsigned char _claimed[64]  # the signature the current chunk's header claims, as sent
    cdef bytes _previous  # the previous signature (at first the seed), as it enters the string to sign
    cdef bytes _prefix  # the string to sign up to the previous signature, UTF-8
    cdef bytes _middle  # from after the previous signature up to the data's SHA-256
    cdef EVP_MD_CTX *_ctx  # the current chunk's SHA-256
    cdef EVP_MD_CTX *_inner  # HMAC-SHA256 with the signing key: SHA-256 after the inner pad block
    cdef EVP_MD_CTX *_outer  # and after the outer pad block (RFC 2104)
    cdef EVP_MD_CTX *_scratch
    cdef EVP_MD *_sha256
    cdef list _held_pieces
    cdef Py_ssize_t _trailer_count
    cdef dict _trailers
    cdef object _trailer_signature
    cdef object _error

    def __cinit__(self, mode):
        self._ctx = self._inner = self._outer = self._scratch = NULL
        self._sha256 = NULL

    def __init__(self, mode):
        kind = mode.kind
        if not kind.startswith("streaming"):
            raise ValueError(f"not an aws-chunked payload: {kind}")
        self._mode = mode
        self._signed = kind != "streaming-unsigned-trailer"
        self._trailers_allowed = kind.endswith("trailer")
        if self._signed and not (mode.signing_key and mode.scope and mode.amz_date and mode.seed_signature):
            raise ValueError("a signed aws-chunked payload needs its signing key, scope, date and seed")
        declared = mode.decoded_length
        self._has_declared = declared is not None
        self._declared = min(declared, DECLARED_CAP) if declared is not None else 0
        self._state = S_HEADER
        self._line_len = 0
        self._remaining = 0
        self._decoded = 0
        self._crlf = 0
        self._held_pieces = []
        self._trailer_count = 0
        self._trailers = {}
        self._trailer_signature = None
        self._error = None
        if self._signed:
            self._previous = utf8(mode.seed_signature)
            # The layout is sigv4's: split its string to sign around the previous signature.
            parts = utf8(chunk_string_to_sign(mode.amz_date, mode.scope, "\0", "")).split(b"\0")
            if len(parts) != 2:
                raise ValueError("a NUL in the request's date or scope")
            self._prefix, self._middle = parts
            self._start_hmac(bytes(mode.signing_key))

    cdef int _start_hmac(self, bytes key) except -1:
        """The SHA-256 contexts for the chunk data and for HMAC with `key`, its pad blocks absorbed
        once: a chunk's HMAC is then two copies and two short hashes."""
        cdef unsigned char block[64]
        cdef unsigned char pad[64]
        cdef int i
        self._free()  # __init__ called again
        self._sha256 = EVP_MD_fetch(NULL, b"SHA256", NULL)  # fetched once, not at every init
        self._ctx, self._inner = EVP_MD_CTX_new(), EVP_MD_CTX_new()
        self._outer, self._scratch = EVP_MD_CTX_new(), EVP_MD_CTX_new()
        if self._sha256 == NULL or self._ctx == NULL or self._inner == NULL or self._outer == NULL \
                or self._scratch == NULL:
            raise MemoryError("OpenSSL SHA-256 unavailable")
        for i in range(64):
            block[i] = 0
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        memcpy(block, <const char *>key, len(key))
        for i in range(64):
            pad[i] = block[i] ^ 0x36
        if EVP_DigestInit_ex(self._inner, self._sha256, NULL) != 1 or EVP_DigestUpdate(self._inner, pad, 64) != 1:
            raise MemoryError("OpenSSL digest failed")
        for i in range(64):
            pad[i] = block[i] ^ 0x5c
        if EVP_DigestInit_ex(self._outer, self._sha256, NULL) != 1 or EVP_DigestUpdate(self._outer, pad, 64) != 1:
            raise MemoryError("OpenSSL digest failed")
        return 0

    cdef int _hmac(self, const unsigned char *text, size_t length, unsigned char *mac) except -1:
        cdef unsigned char inner[32]
        cdef unsigned int size = 0
        if EVP_MD_CTX_copy_ex(self._scratch, self._inner) != 1 \
                or EVP_DigestUpdate(self._scratch, text, length) != 1 \
                or EVP_DigestFinal_ex(self._scratch, inner, &size) != 1 \
                or EVP_MD_CTX_copy_ex(self._scratch, self._outer) != 1 \
                or EVP_DigestUpdate(self._scratch, inner, 32) != 1 \
                or EVP_DigestFinal_ex(self._scratch, mac, &size) != 1:
            raise MemoryError("OpenSSL digest failed")
        return 0

    cdef void _free(self) noexcept:
        EVP_MD_CTX_free(self._ctx)  # each accepts NULL
        EVP_MD_CTX_free(self._inner)
        EVP_MD_CTX_free(self._outer)
        EVP_MD_CTX_free(self._scratch)
        EVP_MD_free(self._sha256)
        self._ctx = self._inner = self._outer = self._scratch = NULL
        self._sha256 = NULL

    def __dealloc__(self):
        self._free()

    # Read-only views of the buffered state, for tests that bound it.
    @property
    def _line(self):
        return (<char *>self._line)[:self._line_len]

    @property
    def _held(self):
        return list(self._held_pieces)

    @property
    def _trailer_bytes(self):
        return self._trailer_count

    def feed(self, data):
        """The payload pieces `data` completes (for signed kinds: whose signatures verified)."""
        cdef const unsigned char *p
        cdef Py_ssize_t n, pos = 0
        if self._error is not None:
            raise self._error
        if isinstance(data, bytes):
            raw = data
            p = <const unsigned char *>PyBytes_AS_STRING(raw)
        elif isinstance(data, bytearray):
            raw = data
            p = <const unsigned char *>PyByteArray_AS_STRING(raw)
        else:
            raw = bytes(data)
            p = <const unsigned char *>PyBytes_AS_STRING(raw)
        n = len(raw)
        out = []
        view = None
        try:
            while pos < n:
                if self._state == S_DATA:
                    if view is None:
                        view = memoryview(raw)
                    pos = self._take_data(view, p, n, pos, out)
                elif self._state == S_DATA_CRLF:
                    pos = self._take_crlf(p, n, pos, out)
                elif self._state == S_DONE:
                    raise incomplete_body("The request body continued after the end of the aws-chunked encoding.")
                else:
                    pos = self._take_line(p, n, pos)
        except AuthError as exc:
            self._error = exc
            self._held_pieces.clear()
            raise
        return out

    def finish(self):
        """The trailers; IncompleteBody if the body ended before its final empty line."""
        if self._error is not None:
            raise self._error
        if self._state != S_DONE:
            self._error = incomplete_body()
            raise self._error
        return dict(self._trailers)

    cdef Py_ssize_t _take_line(self, const unsigned char *p, Py_ssize_t n, Py_ssize_t pos) except -1:
        """Gather a line; once its LF has arrived, handle it.  The position after what it took."""
        cdef Py_ssize_t room = C_MAX_LINE + 2 - self._line_len
        cdef Py_ssize_t end = n if n - pos < room else pos + room
        cdef const unsigned char *newline = <const unsigned char *>memchr(p + pos, 10, end - pos)
        cdef const unsigned char *line
        cdef Py_ssize_t length, take
        if newline == NULL:
            if end - pos >= room:
                raise self._too_long()
            memcpy(self._line + self._line_len, p + pos, end - pos)
            self._line_len += end - pos
            return end
        take = newline + 1 - (p + pos)
        if self._line_len:
            memcpy(self._line + self._line_len, p + pos, take)
            length = self._line_len + take
            line = self._line
            self._line_len = 0
        else:  # the whole line is in this input: parse it where it is
            length = take
            line = p + pos
        if length < 2 or line[length - 2] != c'\r':
            raise incomplete_body("An aws-chunked line did not end with CRLF.")
        if self._state == S_HEADER:
            self._chunk_header(line, length - 2)
        else:
            self._trailer_count += length
            if self._trailer_count > C_MAX_TRAILER_BYTES:
                raise malformed_trailer()
            self._trailer_line((<const char *>line)[:length - 2])
        return pos + take

    cdef object _too_long(self):
        return malformed_trailer() if self._state == S_TRAILER else incomplete_body(
            "An aws-chunked chunk header is too long.")

    cdef int _chunk_header(self, const unsigned char *line, Py_ssize_t length) except -1:
        cdef Py_ssize_t semicolon = 0, start = 0, end, i
        cdef unsigned long long size = 0, limit
        cdef int digit
        while semicolon < length and line[semicolon] != c';':
            semicolon += 1
        end = semicolon
        while start < end and (line[start] == c' ' or line[start] == c'\t'):
            start += 1
        while end > start and (line[end - 1] == c' ' or line[end - 1] == c'\t'):
            end -= 1
        if end == start or end - start > 16:
            raise incomplete_body("An aws-chunked chunk header does not start with a hex size.")
        for i in range(start, end):
            digit = hex_value(line[i])
            if digit < 0:
                raise incomplete_body("An aws-chunked chunk header does not start with a hex size.")
            size = (size << 4) | <unsigned long long>digit
        if self._signed and not self._parse_signature(line, semicolon, length):
            raise incomplete_body("An aws-chunked chunk header has no valid chunk-signature.")
        limit = C_MAX_SIGNED_CHUNK if self._signed else C_MAX_UNSIGNED_CHUNK
        if size > limit:
            raise incomplete_body(f"An aws-chunked chunk is larger than {limit} bytes.")
        if self._has_declared and self._decoded + size > self._declared:
            raise incomplete_body("The aws-chunked body is longer than x-amz-decoded-content-length.")
        if size:
            self._remaining = size
            if self._signed and EVP_DigestInit_ex(self._ctx, self._sha256, NULL) != 1:
                raise MemoryError("OpenSSL digest init failed")
            self._state = S_DATA
            return 0
        if self._has_declared and self._decoded != self._declared:
            raise incomplete_body()
        if self._signed:
            if EVP_DigestInit_ex(self._ctx, self._sha256, NULL) != 1:
                raise MemoryError("OpenSSL digest init failed")
            self._check_chunk()
        self._state = S_TRAILER
        return 0

    cdef bint _parse_signature(self, const unsigned char *line, Py_ssize_t semicolon, Py_ssize_t length):
        """Whether the extension after `semicolon` is chunk-signature=<64 hex> (spaces and tabs
        around it allowed); keeps the signature as sent."""
        cdef Py_ssize_t start = semicolon + 1, end = length, i
        if semicolon >= length:
            return False
        while start < end and (line[start] == c' ' or line[start] == c'\t'):
            start += 1
        while end > start and (line[end - 1] == c' ' or line[end - 1] == c'\t'):
            end -= 1
        if end - start != SIGNATURE_PREFIX_LEN + 64:
            return False
        for i in range(SIGNATURE_PREFIX_LEN):
            if line[start + i] != <unsigned char>SIGNATURE_PREFIX[i]:
                return False
        start += SIGNATURE_PREFIX_LEN
        for i in range(64):
            if hex_value(line[start + i]) < 0:
                return False
            self._claimed[i] = line[start + i]
        return True

    cdef Py_ssize_t _take_data(self, object view, const unsigned char *p, Py_ssize_t n, Py_ssize_t pos,
                               list out) except -1:
        cdef Py_ssize_t take = n - pos
        if <unsigned long long>take > self._remaining:
            take = <Py_ssize_t>self._remaining
        piece = view[pos:pos + take]
        if self._signed:
            if take >= NOGIL_THRESHOLD:
                with nogil:
                    EVP_DigestUpdate(self._ctx, p + pos, take)
            else:
                EVP_DigestUpdate(self._ctx, p + pos, take)
            self._hold(piece, take)
        else:
            out.append(piece)
        self._remaining -= take
        self._decoded += take
        if self._remaining == 0:
            self._state = S_DATA_CRLF
        return pos + take

    cdef int _hold(self, object piece, Py_ssize_t take) except -1:
        cdef list held = self._held_pieces
        cdef Py_ssize_t last = len(held) - 1
        if take >= C_SMALL_PIECE:
            held.append(piece)
        elif last >= 0 and type(held[last]) is bytearray:
            held[last] += piece
        else:
            held.append(bytearray(piece))
        return 0

    cdef Py_ssize_t _take_crlf(self, const unsigned char *p, Py_ssize_t n, Py_ssize_t pos, list out) except -1:
        while self._crlf < 2 and pos < n:
            if p[pos] != (13 if self._crlf == 0 else 10):
                raise incomplete_body("An aws-chunked chunk's data is not followed by CRLF.")
            self._crlf += 1
            pos += 1
        if self._crlf == 2:
            self._crlf = 0
            if self._signed:
                self._check_chunk()
                for piece in self._held_pieces:
                    out.append(piece if type(piece) is memoryview else memoryview(piece))
                self._held_pieces.clear()
            self._state = S_HEADER
        return pos

    cdef int _check_chunk(self) except -1:
        """Finish the chunk's SHA-256 and check its claimed signature, which becomes the previous."""
        cdef unsigned char digest[32]
        cdef unsigned char mac[32]
        cdef unsigned char data_hex[64]
        cdef unsigned char expected[64]
        cdef unsigned char claimed[64]
        cdef unsigned int size = 0
        cdef unsigned char c, differ = 0
        cdef int i
        if EVP_DigestFinal_ex(self._ctx, digest, &size) != 1:
            raise MemoryError("OpenSSL digest failed")
        to_hex(digest, data_hex)
        to_sign = b"".join((self._prefix, self._previous, self._middle, (<char *>data_hex)[:64]))
        self._hmac(<const unsigned char *>to_sign, len(to_sign), mac)
        to_hex(mac, expected)
        for i in range(64):
            c = self._claimed[i]
            claimed[i] = c + 32 if 65 <= c <= 90 else c  # S3 takes the hex digits in either case
            differ |= expected[i] ^ claimed[i]
        if differ:
            sent = (<char *>self._claimed)[:64].decode("ascii")
            raise signature_mismatch(None, chunk_string_to_sign(
                self._mode.amz_date, self._mode.scope, self._previous.decode("utf-8", "surrogatepass"),
                (<char *>data_hex)[:64].decode("ascii")), sent)
        self._previous = (<char *>expected)[:64]
        return 0

    # --- the trailer section: once a request, in Python -------------------------------------------

    def _trailer_line(self, bytes line):
        if not line:
            self._end_trailers()
            self._state = S_DONE
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

    def _end_trailers(self):
        mode = self._mode
        if mode.kind == "streaming-signed-trailer":
            if self._trailer_signature is None:
                raise malformed_trailer()
            self._check_trailer_signature(mode.signing_key, mode.scope, mode.amz_date)
        if mode.trailer is not None:
            declared = {name.strip().lower() for name in mode.trailer.split(",") if name.strip()}
            if declared != set(self._trailers):
                raise malformed_trailer()

    def _check_trailer_signature(self, key, scope, amz_date):
        """Trailers are signed as canonical headers, sorted by name (aws-c-auth); the order they
        were sent in is accepted too, as it names the same trailers."""
        previous = self._previous.decode("utf-8", "surrogatepass")
        shown = ""
        for order in (sorted(self._trailers.items()), list(self._trailers.items())):
            canonical = "".join(f"{name}:{value}\n" for name, value in order)
            digest = hashlib.sha256(canonical.encode("latin-1")).hexdigest()
            to_sign = trailer_string_to_sign(amz_date, scope, previous, digest)
            if same_signature(hmac_hex(key, to_sign), self._trailer_signature):
                return
            shown = shown or to_sign
        raise signature_mismatch(None, shown, self._trailer_signature)
