"""What authentication hands the rest of the server: who signed, and how to read the body.

`authenticate()` returns an `Identity`: the access key that signed the request (None when
the request carried no credentials at all), the method it used, and a `PayloadMode` saying
how the body must be read and checked: `unsigned` (read as is), `sha256` (its SHA-256 must
equal `sha256`), or one of the aws-chunked `streaming-*` kinds, which
`chunked.AwsChunkedDecoder` decodes using the signing material carried there.  The value
types belong to the server's vocabulary (context.py); `Credentials` is what authentication
asks of the server's identity store.
"""

from __future__ import annotations

from typing import Protocol

from ..context import UNSIGNED, AuthMethod, Identity, PayloadKind, PayloadMode

__all__ = ["UNSIGNED", "AuthMethod", "Credentials", "Identity", "PayloadKind", "PayloadMode"]


class Credentials(Protocol):
    def secret_for(self, access_key: str) -> str | None: ...
