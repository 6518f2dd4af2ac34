"""Outgoing AWS Signature Version 4: the one signer for requests Cairn sends as a client (a
remote tier's, engine/tier_client.py; `cairn heal`'s admin requests, server/heal_cli.py).

The server's verifier (server/auth/sigv4.py) rebuilds what clients signed, in every form real
clients sign it; AWS's canonical query is this module's, the others its own.  Here only the form
AWS documents is produced: header
signature, service "s3", every header sent signed, the canonical query sorted by encoded name and
value.  It lives in the engine so that the engine's tier client can use it; the server may import
the engine, not the other way round.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote

UNSIGNED = "UNSIGNED-PAYLOAD"
_SAFE = "-_.~"  # AWS's unreserved characters (quote keeps letters and digits)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def canonical_query(query: list[tuple[str, str]]) -> str:
    """AWS's canonical query string: names and values URI-encoded, sorted by name, then value.
    It is also the query to send, so that what is signed is what goes on the wire."""
    return "&".join(f"{k}={v}" for k, v in sorted((_encode(k), _encode(v)) for k, v in query))


def _encode(text: str) -> str:
    return quote(text, safe=_SAFE, encoding="utf-8", errors="surrogatepass")


def sign_v4(method: str, host: str, path: str, query: list[tuple[str, str]], headers: dict[str, str],
            access_key: str, secret_key: str, region: str, payload_hash: str = UNSIGNED,
            now: float | None = None) -> dict[str, str]:
    """The headers to send: `headers` plus Host, x-amz-date, x-amz-content-sha256 and the SigV4
    Authorization.  `path` is already URI-encoded (each segment, '/' kept)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    out = dict(headers, **{"Host": host, "x-amz-date": stamp, "x-amz-content-sha256": payload_hash})
    signed = sorted((k.lower(), " ".join(str(v).strip().split())) for k, v in out.items())
    names = ";".join(k for k, _ in signed)
    canonical = "\n".join([method, path, canonical_query(query), "".join(f"{k}:{v}\n" for k, v in signed),
                           names, payload_hash])
    scope = f"{stamp[:8]}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), stamp[:8]), region), "s3"), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    out["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={names}, "
                            f"Signature={signature}")
    return out
