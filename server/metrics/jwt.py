"""The bearer token of a Prometheus scrape, checked as MinIO checks it (cmd/jwt.go
metricsRequestAuthenticate, internal/jwt/parser.go, cmd/metrics.go AuthMiddleware).

`mc admin prometheus generate ALIAS` makes the token on the client, without asking the server: a
JWT signed with HMAC-SHA512 under the alias's secret key, with the claims sub (the access key),
iss "prometheus" and exp (a hundred years on).  The server reads the access key from the claim
"accessKey", else "sub"; signs with the secret it knows for that key (the root user's, an IAM
user's, a service account's: whatever may sign S3 requests, iam/directory.py); accepts HS256,
HS384 and HS512 only (so never "none", nor an asymmetric algorithm whose public key could be
passed off as an HMAC secret); compares the signature in constant time; then checks exp and nbf
when present (MinIO requires neither) and that iss is "prometheus".  Whether the key may read the
metrics (admin:Prometheus) is the caller's to decide: see handlers/metrics.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Callable

import orjson

HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
ISSUER = "prometheus"
MAX_TOKEN = 8192  # MinIO's base64BufferSize


class TokenError(Exception):
    """Why a bearer token is refused (logged; the client only hears AccessDenied)."""


def _b64(part: str) -> bytes:
    """base64url without padding, strictly (RFC 7515)."""
    if "=" in part:
        raise TokenError("padded base64url")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError(f"bad base64url: {exc}") from None


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (None when there is none)."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def verify(token: str, secret_for: Callable[[str], str | None], now: float | None = None) -> str:
    """The access key a valid token was signed for; TokenError otherwise.  `secret_for` gives a
    key's secret (None: unknown or disabled)."""
    if len(token) > MAX_TOKEN:
        raise TokenError("token too long")
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("not a JWS compact serialization")
    head_b64, claims_b64, signature_b64 = parts
    try:
        header = orjson.loads(_b64(head_b64))
        claims = orjson.loads(_b64(claims_b64))
    except orjson.JSONDecodeError as exc:
        raise TokenError(f"bad JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise TokenError("header or claims not a JSON object")
    algorithm = header.get("alg")
    digest = HASHES.get(algorithm) if isinstance(algorithm, str) else None
    if digest is None:
        raise TokenError(f"signing method {algorithm!r} not accepted")
    access_key = claims.get("accessKey") or claims.get("sub")
    if not isinstance(access_key, str) or not access_key:
        raise TokenError("accessKey/sub missing")
    secret = secret_for(access_key)
    if secret is None:
        raise TokenError(f"unknown or disabled access key {access_key!r}")
    expected = hmac.new(secret.encode(), f"{head_b64}.{claims_b64}".encode(), digest).digest()
    if not hmac.compare_digest(expected, _b64(signature_b64)):
        raise TokenError("signature does not match")
    now = time.time() if now is None else now
    for claim, late in (("exp", True), ("nbf", False)):
        value = claims.get(claim)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TokenError(f"{claim} is not a number")
        if (late and now >= value) or (not late and now < value):
            raise TokenError("token expired" if late else "token not valid yet")
    if claims.get("iss") != ISSUER:
        raise TokenError(f"issuer {claims.get('iss')!r} is not {ISSUER!r}")
    return access_key


def sign(access_key: str, secret: str, expires: float, algorithm: str = "HS512",
         issuer: str = ISSUER) -> str:
    """A token as mc makes it (for tests and tools)."""
    header = _b64encode(orjson.dumps({"alg": algorithm, "typ": "JWT"}))
    claims = _b64encode(orjson.dumps({"exp": int(expires), "sub": access_key, "iss": issuer}))
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), HASHES[algorithm]).digest()
    return f"{header}.{claims}.{_b64encode(signature)}"
