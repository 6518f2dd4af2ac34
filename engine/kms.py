"""KeyRing: the master keys the operator gives the server, by name (a local KMS).

A key is `<name>:<base64 of 32 bytes>`, MinIO's MINIO_KMS_SECRET_KEY format.  The first key
configured is the current one: new SSE-S3 and SSE-KMS objects are sealed under it.  The
others are kept only to unseal what they sealed (rotation: put the new key first, keep the
old ones until `ObjectLayer.rotate_keys` has resealed every object onto the new key).
SSE-KMS requests name a key of the ring by its name.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping

from .errors import KMSKeyNotFound, KMSNotConfigured

KEY_BYTES = 32
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
ENV_KEYS = ("CAIRN_KMS_SECRET_KEY", "MINIO_KMS_SECRET_KEY")
ENV_FILES = ("CAIRN_KMS_SECRET_KEY_FILE", "MINIO_KMS_SECRET_KEY_FILE")


def parse_key(spec: str) -> tuple[str, bytes]:
    """`name:base64` -> (name, 32-byte key); ValueError saying what is wrong."""
    name, sep, encoded = spec.strip().partition(":")
    if not sep or not _NAME.fullmatch(name):
        raise ValueError("a KMS key is <name>:<base64 of 32 bytes>, its name of letters, digits and . _ -")
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"KMS key {name!r}: not base64") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"KMS key {name!r}: {len(key)} bytes, {KEY_BYTES} needed")
    return name, key


class KeyRing:
    """Named master keys; the first is the current one.  Empty: no KMS configured."""

    def __init__(self, keys: Iterable[tuple[str, bytes]] = ()) -> None:
        self.keys: dict[str, bytes] = {}
        for name, key in keys:
            if self.keys.get(name, key) != key:
                raise ValueError(f"KMS key {name!r} is configured twice with different material")
            self.keys.setdefault(name, key)

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """Keys separated by commas or lines ('#' starts a comment line), the current one first."""
        specs = [s for line in text.splitlines() if not line.lstrip().startswith("#")
                 for s in line.split(",") if s.strip()]
        return cls(parse_key(s) for s in specs)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> KeyRing:
        """CAIRN_KMS_SECRET_KEY (or MINIO_KMS_SECRET_KEY), then the keys of the file named by
        CAIRN_KMS_SECRET_KEY_FILE (or MINIO_...); the first key found is the current one."""
        keys: list[tuple[str, bytes]] = []
        for var in ENV_KEYS:
            if env.get(var):
                keys += KeyRing.parse(env[var]).items()
                break
        for var in ENV_FILES:
            if env.get(var):
                with open(env[var], encoding="utf-8") as f:
                    keys += KeyRing.parse(f.read()).items()
                break
        return cls(keys)

    def items(self) -> list[tuple[str, bytes]]:
        return list(self.keys.items())

    @property
    def configured(self) -> bool:
        return bool(self.keys)

    @property
    def current(self) -> str:
        """The name of the key new objects are sealed under (KMSNotConfigured without keys)."""
        if not self.keys:
            raise KMSNotConfigured()
        return next(iter(self.keys))

    def key(self, name: str) -> bytes:
        """The master key of this name (KMSNotConfigured, KMSKeyNotFound)."""
        if not self.keys:
            raise KMSNotConfigured()
        key = self.keys.get(name)
        if key is None:
            raise KMSKeyNotFound(name)
        return key

    def resolve(self, key_id: str) -> str:
        """The name of the key an SSE-KMS key id names: the name itself, or an ARN ending in
        `key/<name>` or `:<name>` (MinIO answers with `arn:aws:kms:<name>`); "" is the current one."""
        if not key_id:
            return self.current
        name = key_id.rsplit("key/", 1)[-1] if key_id.startswith("arn:") else key_id
        if key_id.startswith("arn:") and name == key_id:
            name = key_id.rsplit(":", 1)[-1]
        self.key(name)
        return name
