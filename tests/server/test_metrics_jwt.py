"""The Prometheus bearer token (server/metrics/jwt.py) against what mc makes and MinIO refuses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from cairn.server.metrics.jwt import TokenError, bearer, sign, verify

SECRETS = {"root": "root-secret", "alice": "alice-secret"}
NOW = 1_800_000_000.0


def secret_for(key: str) -> str | None:
    return SECRETS.get(key)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header: dict[str, object], claims: dict[str, object], secret: str = "root-secret",
          digest=hashlib.sha512) -> str:
    head, body = b64(json.dumps(header).encode()), b64(json.dumps(claims).encode())
    sig = b64(hmac.new(secret.encode(), f"{head}.{body}".encode(), digest).digest())
    return f"{head}.{body}.{sig}"


def test_a_token_as_mc_makes_it() -> None:
    # mc: HS512 over {"exp", "sub", "iss": "prometheus"} with the alias's secret key.
    assert verify(sign("root", "root-secret", NOW + 100 * 365 * 86400), secret_for, NOW) == "root"
    assert verify(sign("alice", "alice-secret", NOW + 60), secret_for, NOW) == "alice"


@pytest.mark.parametrize("alg", ["HS256", "HS384"])
def test_minio_accepts_the_other_hmac_algorithms(alg: str) -> None:
    assert verify(sign("root", "root-secret", NOW + 60, algorithm=alg), secret_for, NOW) == "root"


def test_the_accesskey_claim_wins_over_sub() -> None:
    t = token({"alg": "HS512"}, {"accessKey": "alice", "sub": "root", "iss": "prometheus"}, "alice-secret")
    assert verify(t, secret_for, NOW) == "alice"


def test_expired() -> None:
    with pytest.raises(TokenError, match="expired"):
        verify(sign("root", "root-secret", NOW - 1), secret_for, NOW)
    with pytest.raises(TokenError, match="expired"):
        verify(sign("root", "root-secret", NOW), secret_for, NOW)


def test_not_valid_yet() -> None:
    t = token({"alg": "HS512"}, {"sub": "root", "iss": "prometheus", "nbf": NOW + 10})
    with pytest.raises(TokenError, match="not valid yet"):
        verify(t, secret_for, NOW)


def test_wrong_signature() -> None:
    with pytest.raises(TokenError, match="signature"):
        verify(sign("root", "not-the-secret", NOW + 60), secret_for, NOW)
    head, _, sig = sign("root", "root-secret", NOW + 60).split(".")
    forged = b64(json.dumps({"sub": "alice", "iss": "prometheus", "exp": NOW + 60}).encode())
    with pytest.raises(TokenError, match="signature"):
        verify(f"{head}.{forged}.{sig}", secret_for, NOW)  # claims changed under root's signature


def test_unknown_key() -> None:
    with pytest.raises(TokenError, match="unknown"):
        verify(sign("mallory", "whatever", NOW + 60), secret_for, NOW)


def test_alg_none_and_others_refused() -> None:
    claims = {"sub": "root", "iss": "prometheus", "exp": NOW + 60}
    head, body = b64(b'{"alg":"none"}'), b64(json.dumps(claims).encode())
    for unsigned in (f"{head}.{body}.", f"{head}.{body}"):
        with pytest.raises(TokenError):
            verify(unsigned, secret_for, NOW)
    for alg in ("none", "None", "RS256", "ES256", "hs512", None):
        with pytest.raises(TokenError, match="not accepted"):
            verify(token({"alg": alg}, claims), secret_for, NOW)


def test_issuer_must_be_prometheus() -> None:
    with pytest.raises(TokenError, match="issuer"):
        verify(sign("root", "root-secret", NOW + 60, issuer="console"), secret_for, NOW)
    t = token({"alg": "HS512"}, {"sub": "root", "exp": NOW + 60})
    with pytest.raises(TokenError, match="issuer"):
        verify(t, secret_for, NOW)


def test_malformed() -> None:
    for bad in ("", "a.b", "a.b.c.d", "!!!.e30.sig", f"{b64(b'[]')}.{b64(b'{}')}.x",
                f"{b64(b'{}')}.{b64(b'not json')}.x", "x" * 9000):
        with pytest.raises(TokenError):
            verify(bad, secret_for, NOW)
    t = token({"alg": "HS512"}, {"iss": "prometheus", "exp": NOW + 60})
    with pytest.raises(TokenError, match="missing"):
        verify(t, secret_for, NOW)
    t = token({"alg": "HS512"}, {"sub": "root", "iss": "prometheus", "exp": "tomorrow"})
    with pytest.raises(TokenError, match="not a number"):
        verify(t, secret_for, NOW)


def test_real_clock_by_default() -> None:
    assert verify(sign("root", "root-secret", time.time() + 60), secret_for) == "root"


def test_bearer_header() -> None:
    assert bearer("Bearer abc.def.ghi") == "abc.def.ghi"
    assert bearer("bearer  abc ") == "abc"
    assert bearer(None) is None
    assert bearer("") is None
    assert bearer("Basic dXNlcjpwYXNz") is None
    assert bearer("Bearer ") is None
