"""The identity model: users, groups, service accounts and policies as the store keeps them,
the checks their names and secrets must pass, and the sealing of secrets at rest (SecretBox:
AES-256-GCM under a key derived from the root credentials, the access key as associated data).
store.py reads and writes them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .policy import MalformedPolicy, parse_policy

USER, GROUP, POLICY, SVCACCT, CONFIG = "user", "group", "policy", "svcacct", "config"
ENABLED, DISABLED = "enabled", "disabled"
STS_PREFIX = "ASIA"  # temporary credentials' access keys (sts.py), as AWS's; refused for others
_ACCESS_KEY = re.compile(r"[A-Za-z0-9_.@+=,-]{3,128}")  # AWS/MinIO: 3+ chars, no "/" or spaces
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.@+=,/ -]{1,128}")
MIN_SECRET, MAX_SECRET = 8, 40


class IdentityError(Exception):
    """A refused identity change: kind is "NoSuchUser", "NoSuchGroup", "NoSuchPolicy",
    "NoSuchServiceAccount", "InvalidArgument", "GroupNotEmpty", "PolicyInUse", "Exists"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class User:
    access_key: str
    secret: str
    status: str
    policies: tuple[str, ...]
    updated_ns: int


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...]
    policies: tuple[str, ...]
    status: str
    updated_ns: int


@dataclass(frozen=True)
class ServiceAccount:
    access_key: str
    secret: str
    parent: str
    policy: str | None  # the session policy narrowing the parent's permissions, as given
    expiry_ns: int  # 0: never
    status: str
    name: str
    description: str
    updated_ns: int

    def expired(self, now_ns: int) -> bool:
        return bool(self.expiry_ns) and now_ns >= self.expiry_ns


@dataclass(frozen=True)
class StoredPolicy:
    name: str
    document: str
    created_ns: int
    updated_ns: int
    canned: bool = False


class SecretBox:
    """Seals secret keys under the root credentials (see the module docstring)."""

    def __init__(self, root_user: str, root_password: str) -> None:
        material = f"cairn-iam-secrets\x00{root_user}\x00{root_password}".encode()
        self.key = hashlib.sha256(material).digest()
        self.aead = AESGCM(self.key)
        self.check = hmac.new(self.key, b"cairn-iam-secrets-check", hashlib.sha256).hexdigest()

    def seal(self, access_key: str, secret: str) -> str:
        nonce = os.urandom(12)
        sealed = self.aead.encrypt(nonce, secret.encode(), access_key.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, access_key: str, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        try:
            return self.aead.decrypt(raw[:12], raw[12:], access_key.encode()).decode()
        except InvalidTag as exc:
            raise IdentityError("InvalidArgument", f"the secret of {access_key!r} cannot be opened with "
                                "these root credentials") from exc


def check_access_key(access_key: str) -> None:
    if not _ACCESS_KEY.fullmatch(access_key):
        raise IdentityError("InvalidArgument", "access key must be 3 to 128 characters of letters, digits "
                            "and _.@+=,- (no spaces or slashes)")
    if access_key.startswith(STS_PREFIX):
        raise IdentityError("InvalidArgument", f"access keys starting {STS_PREFIX} are kept for temporary "
                            "credentials")


def check_secret(secret: str) -> None:
    if not MIN_SECRET <= len(secret) <= MAX_SECRET:
        raise IdentityError("InvalidArgument", f"secret key must be {MIN_SECRET} to {MAX_SECRET} characters")


def check_identity_policy(document: str) -> None:
    try:
        parse_policy(document, "identity")
    except MalformedPolicy as exc:
        raise IdentityError("InvalidArgument", f"malformed policy: {exc}") from exc


def target_of(user: str | None, group: str | None) -> tuple[str, str, str]:
    """(record kind, name, the error kind when it is missing) of a user or a group."""
    if user is not None:
        return USER, user, "NoSuchUser"
    assert group is not None
    return GROUP, group, "NoSuchGroup"


def unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
