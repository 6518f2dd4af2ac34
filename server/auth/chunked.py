"""Sans-IO decoder for S3's aws-chunked bodies, checking chunk and trailer signatures.

Theory of operation
-------------------
The body is a series of chunks, then trailers, then an empty line:

    <hex size>;chunk-signature=<64 hex>\\r\\n <size bytes> \\r\\n      (signed kinds)
    <hex size>\\r\\n <size bytes> \\r\\n                                (unsigned trailer)
    0[;chunk-signature=...]\\r\\n  name:value\\r\\n ...  [x-amz-trailer-signature:<hex>\\r\\n]  \\r\\n

`feed()` is a small state machine over the bytes it is given.  Only chunk
header and trailer lines are copied (into a buffer bounded at 4 KiB a line);
chunk data is returned as memoryview slices of the input.  For the signed
kinds every chunk's signature chains on the previous one (the first on the
request's seed signature) and covers the SHA-256 of its data, so a chunk's
data is held back -- as slices of the inputs, small ones coalesced -- until
its signature is verified: whatever `feed()` returns has been authenticated.
That bounds signed chunks at 16 MiB; unsigned chunks stream straight through.
The trailer signature chains on the final (empty) chunk's and covers the
trailers as "name:value\\n" lines.  `finish()` returns the trailers (lowercase
names) and raises IncompleteBody if the body stopped early.

The decoder is compiled (_chunked.pyx): the framing is parsed in C, chunk data hashed
with OpenSSL's SHA-256 with the GIL released for pieces of 4 KiB or more, and each chunk
signature is one OpenSSL HMAC compared in constant time, so the Python per chunk is the
memoryview slices it hands out; the trailer section, once a request, is parsed in Python.
tests/server/chunked_reference.py keeps the Python decoder it replaced, the reference it is
tested against (same pieces, same errors).

Inputs must not be mutated after being fed (slices of them are returned or
held); a memoryview input is copied once.  Errors: a bad signature is
SignatureDoesNotMatch, malformed or truncated framing IncompleteBody (as S3
answers any malformed aws-chunked encoding), a bad trailer section
MalformedTrailerError.  After an error every call raises it again.
"""

from __future__ import annotations

from ._chunked import (
    MAX_LINE,
    MAX_SIGNED_CHUNK,
    MAX_TRAILER_BYTES,
    MAX_UNSIGNED_CHUNK,
    SMALL_PIECE,
    AwsChunkedDecoder,
)

__all__ = ["MAX_LINE", "MAX_SIGNED_CHUNK", "MAX_TRAILER_BYTES", "MAX_UNSIGNED_CHUNK", "SMALL_PIECE",
           "AwsChunkedDecoder"]
