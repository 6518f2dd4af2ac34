"""Temporary credentials (STS AssumeRole), checked statelessly.

Theory of operation
-------------------
AssumeRole hands out an access key, a secret key and a session token.  Nothing is stored:

- the access key is "ASIA" + 16 random characters (AWS's prefix for temporary keys; no user
  or service account may take it, store.check_access_key);
- the secret key is an HMAC of the access key under a key derived from the root
  credentials, so any worker re-derives it from the access key alone;
- the session token is base64url(JSON claims) "." base64url(HMAC of the claims): the
  access key it belongs to, the account whose permissions it carries (the caller of
  AssumeRole: a user, or the root user), the session policies that narrow them (the
  caller's own, if it was a service account or a session itself, plus the Policy given to
  AssumeRole: permissions are only ever narrowed), and the expiry.

A request signed with such a key must carry its token (x-amz-security-token); the token's
MAC, its access key and its expiry are checked before anything else (InvalidToken,
ExpiredToken).  Changing the root credentials invalidates every session, as in MinIO.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

import orjson

from .store import STS_PREFIX

_ALPHABET = string.ascii_uppercase + string.digits
MIN_DURATION, MAX_DURATION, DEFAULT_DURATION = 900, 12 * 3600, 3600
MAX_TOKEN = 16 * 1024


class TokenError(Exception):
    """code: InvalidToken or ExpiredToken (S3's codes for a bad or expired session token)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Session:
    access_key: str
    parent: str  # the account whose permissions the session carries
    policies: tuple[str, ...]  # session policies, every one of which must also allow
    expiry: int  # epoch seconds


@dataclass(frozen=True)
class Issued:
    access_key: str
    secret_key: str
    token: str
    expiry: int


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenService:
    def __init__(self, root_user: str, root_password: str) -> None:
        self.key = hashlib.sha256(f"cairn-sts\x00{root_user}\x00{root_password}".encode()).digest()

    def secret_for(self, access_key: str) -> str | None:
        if not is_temporary(access_key):
            return None
        mac = hmac.new(self.key, b"secret\x00" + access_key.encode(), hashlib.sha256).digest()
        return _b64(mac)[:40]

    def issue(self, parent: str, policies: tuple[str, ...], now: int, duration: int) -> Issued:
        access_key = STS_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(16))
        claims = orjson.dumps({"ak": access_key, "parent": parent, "policies": list(policies),
                               "exp": now + duration})
        mac = hmac.new(self.key, b"token\x00" + claims, hashlib.sha256).digest()
        secret = self.secret_for(access_key)
        assert secret is not None
        return Issued(access_key, secret, f"{_b64(claims)}.{_b64(mac)}", now + duration)

    def verify(self, access_key: str, token: str | None, now: int) -> Session:
        """The session a temporary access key and its token stand for."""
        if not token:
            raise TokenError("InvalidToken", "The provided token is malformed or otherwise invalid.")
        if len(token) > MAX_TOKEN or token.count(".") != 1:
            raise TokenError("InvalidToken", "The provided token is malformed or otherwise invalid.")
        body, _, sig = token.partition(".")
        try:
            claims = _unb64(body)
            _unb64(sig)  # base64 (so ASCII) or ValueError; it is compared as sent below
        except ValueError as exc:
            raise TokenError("InvalidToken", "The provided token is malformed or otherwise invalid.") from exc
        want = hmac.new(self.key, b"token\x00" + claims, hashlib.sha256).digest()
        # Compared as encoded, not as decoded: base64's last character carries bits the decoder
        # ignores, so a token altered there decoded to the same MAC and was accepted.
        if not hmac.compare_digest(_b64(want), sig) or _b64(claims) != body:
            raise TokenError("InvalidToken", "The provided token is malformed or otherwise invalid.")
        d = orjson.loads(claims)
        if d["ak"] != access_key:
            raise TokenError("InvalidToken", "The provided token is malformed or otherwise invalid.")
        if now >= int(d["exp"]):
            raise TokenError("ExpiredToken", "The provided token has expired.")
        return Session(access_key, str(d["parent"]), tuple(d["policies"]), int(d["exp"]))


def is_temporary(access_key: str) -> bool:
    return access_key.startswith(STS_PREFIX) and len(access_key) == len(STS_PREFIX) + 16
