"""Metadata records: the keys of the ordered index and the values stored under them.

Keys (bytewise order is listing order):
    b"B" + bucket                      -> bucket record
    b"O" + bucket + b"\\x00" + key      -> object record
Bucket names never contain NUL and object keys are refused with one, so one
bucket's objects are exactly the range [O<bucket>\\0, O<bucket>\\1).

An object record is per drive: the common metadata (JSON, identical on every
drive of the set, and what the read quorum votes on) followed by that drive's
own inline shard frame for small objects.  Every value starts with magic bytes
and a version so old records stay readable when the format grows.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

import orjson

OBJECT_MAGIC = b"COB\x01"
BUCKET_MAGIC = b"CBK\x01"
_LEN = struct.Struct(">I")


def bucket_key(bucket: str) -> bytes:
    return b"B" + bucket.encode()


def bucket_keys_range() -> tuple[bytes, bytes]:
    return b"B", b"C"


def object_key(bucket: str, key: str) -> bytes:
    return b"O" + bucket.encode() + b"\x00" + key.encode()


def object_prefix(bucket: str) -> bytes:
    return b"O" + bucket.encode() + b"\x00"


@dataclass
class ObjectMeta:
    """What the engine knows of one object version, the same on every drive of its set."""

    size: int
    etag: str
    mtime_ns: int
    version_id: str
    content_type: str = "binary/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)  # Content-Encoding, Cache-Control, ...
    user_meta: dict[str, str] = field(default_factory=dict)  # x-amz-meta-* without the prefix
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64, as S3 returns it
    data_shards: int = 1
    parity_shards: int = 0
    block_size: int = 1 << 20
    distribution: list[int] = field(default_factory=list)  # shard index -> drive index in the set
    data_id: str | None = None  # directory of the shard files; None when the data is inline

    @property
    def inline(self) -> bool:
        return self.data_id is None

    def to_json(self) -> bytes:
        doc: dict[str, Any] = {
            "size": self.size,
            "etag": self.etag,
            "mtime": self.mtime_ns,
            "vid": self.version_id,
            "ct": self.content_type,
            "hdr": self.headers,
            "meta": self.user_meta,
            "sum": self.checksums,
            "ec": [self.data_shards, self.parity_shards, self.block_size],
            "dist": self.distribution,
            "data": self.data_id,
        }
        return orjson.dumps(doc)

    @classmethod
    def from_json(cls, raw: bytes) -> ObjectMeta:
        d = orjson.loads(raw)
        k, m, block = d["ec"]
        return cls(
            size=d["size"],
            etag=d["etag"],
            mtime_ns=d["mtime"],
            version_id=d["vid"],
            content_type=d["ct"],
            headers=d["hdr"],
            user_meta=d["meta"],
            checksums=d["sum"],
            data_shards=k,
            parity_shards=m,
            block_size=block,
            distribution=d["dist"],
            data_id=d["data"],
        )


def encode_object(meta_json: bytes, inline_frame: bytes = b"") -> bytes:
    return OBJECT_MAGIC + _LEN.pack(len(meta_json)) + meta_json + inline_frame


def split_object(value: bytes) -> tuple[bytes, bytes]:
    """(metadata JSON, inline frame) of an object record; ValueError if not one."""
    if value[:4] != OBJECT_MAGIC or len(value) < 8:
        raise ValueError("not an object record")
    (n,) = _LEN.unpack_from(value, 4)
    if 8 + n > len(value):
        raise ValueError("truncated object record")
    return value[8 : 8 + n], value[8 + n :]


def object_identity(value: bytes) -> tuple[bytes, int]:
    """What the drives of a set must agree on for an object record, and its age (for ties)."""
    meta_json, _ = split_object(value)
    return meta_json, int(orjson.loads(meta_json)["mtime"])


@dataclass
class BucketMeta:
    created_ns: int
    settings: dict[str, Any] = field(default_factory=dict)  # per-bucket features to come

    def encode(self) -> bytes:
        return BUCKET_MAGIC + orjson.dumps({"created": self.created_ns, "settings": self.settings})

    @classmethod
    def decode(cls, value: bytes) -> BucketMeta:
        if value[:4] != BUCKET_MAGIC:
            raise ValueError("not a bucket record")
        d = orjson.loads(value[4:])
        return cls(created_ns=d["created"], settings=d["settings"])
