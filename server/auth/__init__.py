"""Request authentication for S3: SigV4 (header, presigned, streaming) and SigV2, sans-IO.

Theory of operation
-------------------
`authenticate()` takes what the HTTP layer parsed (method, decoded path and
query, lowercase headers) and the server's clock, decides which mechanism the
request uses, and returns an Identity or raises an AuthError carrying S3's
error code.  The mechanism is chosen the way S3 chooses it: an Authorization
header beside query credentials is refused; `AWS4-HMAC-SHA256 ...` is SigV4
(sigv4.py), `AWS ...` SigV2 (sigv2.py); with no header, `X-Amz-Algorithm` in
the query is a SigV4 presigned URL and `Signature` a SigV2 one; nothing at all
is anonymous (the server decides what anonymous may do).  No I/O happens
here: a streaming body is checked afterwards by chunked.AwsChunkedDecoder
with the signing material the Identity's PayloadMode carries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from . import sigv2, sigv4
from .common import header_map, unsigned_payload, utc
from .errors import ONE_MECHANISM, AuthError, invalid_argument, not_implemented
from .model import AuthMethod, Credentials, Identity, PayloadKind, PayloadMode
from .sigv4 import S3_ENDPOINT, Endpoint

__all__ = ["S3_ENDPOINT", "AuthError", "AuthMethod", "Credentials", "Endpoint", "Identity", "PayloadKind",
           "PayloadMode", "authenticate"]

_NO_SPACE = "Authorization header is invalid -- one and only one ' ' (space) required"


def authenticate(method: str, path: str, query: list[tuple[str, str]], headers: list[tuple[str, str]],
                 credentials: Credentials, now: datetime, *, raw_path: str | None = None,
                 bucket: str | None = None, endpoint: Endpoint = S3_ENDPOINT) -> Identity:
    """Authenticate one request; raises AuthError.

    path: the request path percent-DECODED (e.g. "/bucket/my key+é"); query: the decoded
    (name, value) pairs in the order sent (a name without "=" has value ""); headers: (lowercase
    name, value) pairs as received (a name may repeat).  Optional: raw_path, the path as sent
    (still percent-encoded), tried as the canonical URI when it differs from AWS's encoding of
    `path`; bucket, the bucket of a virtual-hosted-style request, which SigV2 signs; endpoint,
    what the credential scope must name (sts for AssumeRole).  A session token (temporary
    credentials: x-amz-security-token, or X-Amz-Security-Token in a presigned URL) rides along
    in the Identity, for the server to check against the access key.
    """
    identity = _authenticate(method, path, query, headers, credentials, now, raw_path, bucket, endpoint)
    if identity.access_key is None:
        return identity
    token = next((v for n, v in query if n == "X-Amz-Security-Token"), None)
    if token is None:
        token = next((v for n, v in headers if n == "x-amz-security-token"), None)
    return identity if token is None else replace(identity, session_token=token)


def _authenticate(method: str, path: str, query: list[tuple[str, str]], headers: list[tuple[str, str]],
                  credentials: Credentials, now: datetime, raw_path: str | None, bucket: str | None,
                  endpoint: Endpoint) -> Identity:
    hmap = header_map(headers)
    now = utc(now)
    names = {name for name, _ in query}
    presigned, v2_query = "X-Amz-Algorithm" in names, "Signature" in names
    authz_values = hmap.get("authorization", [])
    if authz_values and (presigned or v2_query or len(authz_values) > 1):
        raise invalid_argument(ONE_MECHANISM, "Authorization", ",".join(authz_values))
    authz = authz_values[0] if authz_values else ""
    if authz:
        scheme, space, _ = authz.partition(" ")
        if not space:
            raise invalid_argument(_NO_SPACE, "Authorization", authz)
        if scheme.upper() == "AWS":
            return sigv2.authenticate_header(method, path, query, hmap, authz, credentials, now,
                                             raw_path, bucket)
        if scheme.upper() == sigv4.ALGORITHM:
            return sigv4.authenticate_header(method, path, query, hmap, authz, credentials, now,
                                             raw_path, endpoint)
        if scheme.upper() == sigv4.SIGV4A:
            raise not_implemented("SigV4a (AWS4-ECDSA-P256-SHA256) signatures are not implemented.")
        raise invalid_argument("Unsupported Authorization Type", "Authorization", authz)
    if presigned and v2_query:
        raise invalid_argument(ONE_MECHANISM, "Authorization")
    if presigned:
        return sigv4.authenticate_query(method, path, query, hmap, credentials, now, raw_path, endpoint)
    if v2_query:
        return sigv2.authenticate_query(method, path, query, hmap, credentials, now, raw_path, bucket)
    return Identity(None, "anonymous", unsigned_payload(hmap))
