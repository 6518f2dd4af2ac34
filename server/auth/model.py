"""What authentication hands the rest of the server: who signed, and how to read the body.

Theory of operation
-------------------
`authenticate()` returns an `Identity`: the access key that signed the
request (None when the request carried no credentials at all), the method it
used, and a `PayloadMode` saying how the body must be read and checked:
`unsigned` (read as is), `sha256` (its SHA-256 must equal `sha256`), or one of
the aws-chunked `streaming-*` kinds, which `chunked.AwsChunkedDecoder` decodes
using the signing material carried here.  These types are re-exported by the
package; they live here so every module can import them without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

PayloadKind = Literal["unsigned", "sha256", "streaming-signed", "streaming-unsigned-trailer",
                      "streaming-signed-trailer"]
AuthMethod = Literal["v4-header", "v4-query", "v2-header", "v2-query", "anonymous"]


class Credentials(Protocol):
    def secret_for(self, access_key: str) -> str | None: ...


@dataclass(frozen=True)
class PayloadMode:
    """How the body must be read and verified after authentication."""

    kind: PayloadKind
    sha256: str | None = None  # kind == "sha256": the lowercase hex digest the body must match
    decoded_length: int | None = None  # x-amz-decoded-content-length for streaming kinds
    trailer: str | None = None  # x-amz-trailer header value (e.g. "x-amz-checksum-crc32")
    seed_signature: str | None = None  # streaming-signed*: the request signature, first "previous"
    signing_key: bytes | None = field(default=None, repr=False)
    scope: str | None = None  # "20130524/us-east-1/s3/aws4_request"
    amz_date: str | None = None  # "20130524T000000Z"


@dataclass(frozen=True)
class Identity:
    access_key: str | None  # None: anonymous (no auth info at all)
    method: AuthMethod
    payload: PayloadMode


UNSIGNED = PayloadMode("unsigned")
