"""Metadata records: the keys of the ordered index and the values stored under them.

Keys (bytewise order is listing order):
    b"B" + bucket                                   -> bucket record
    b"O" + bucket + b"\\x00" + key                   -> object record
    b"U" + bucket + b"\\x00" + key + b"\\x00" + upload -> multipart upload in progress
    b"P" + <the upload's key after "U"> + b"\\x00" + part number (u16) -> one uploaded part
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

from .shardfile import PART_NAME

OBJECT_MAGIC = b"COB\x01"
BUCKET_MAGIC = b"CBK\x01"
UPLOAD_MAGIC = b"CUP\x01"
PART_MAGIC = b"CPT\x01"
_LEN = struct.Struct(">I")


def bucket_key(bucket: str) -> bytes:
    return b"B" + bucket.encode()


def bucket_keys_range() -> tuple[bytes, bytes]:
    return b"B", b"C"


def object_key(bucket: str, key: str) -> bytes:
    return b"O" + bucket.encode() + b"\x00" + key.encode()


def object_prefix(bucket: str) -> bytes:
    return b"O" + bucket.encode() + b"\x00"


def upload_prefix(bucket: str) -> bytes:
    return b"U" + bucket.encode() + b"\x00"


def upload_key(bucket: str, key: str, upload_id: str) -> bytes:
    return upload_prefix(bucket) + key.encode() + b"\x00" + upload_id.encode()


def part_prefix(bucket: str, key: str, upload_id: str) -> bytes:
    return b"P" + upload_key(bucket, key, upload_id)[1:] + b"\x00"


def part_key(bucket: str, key: str, upload_id: str, number: int) -> bytes:
    return part_prefix(bucket, key, upload_id) + number.to_bytes(2, "big")


@dataclass
class ObjectPart:
    """One part of a completed multipart object: its shard files are `file` in the data directory."""

    number: int
    size: int
    file: str
    etag: str
    checksums: dict[str, str] = field(default_factory=dict)

    def to_doc(self) -> dict[str, Any]:
        return {"n": self.number, "size": self.size, "file": self.file, "etag": self.etag,
                "sum": self.checksums}

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> ObjectPart:
        return cls(d["n"], d["size"], d["file"], d["etag"], d["sum"])


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
    parts: list[ObjectPart] = field(default_factory=list)  # a multipart object's parts, in order
    checksum_type: str = "FULL_OBJECT"  # or COMPOSITE: a checksum of the parts' checksums ("-N")

    @property
    def inline(self) -> bool:
        return self.data_id is None

    def segments(self) -> list[tuple[str, int, int]]:
        """(shard file name, offset in the object, size) of each stretch stored as one shard file."""
        if not self.parts:
            return [(PART_NAME, 0, self.size)]
        out: list[tuple[str, int, int]] = []
        offset = 0
        for part in self.parts:
            out.append((part.file, offset, part.size))
            offset += part.size
        return out

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
        if self.parts:
            doc["parts"] = [p.to_doc() for p in self.parts]
        if self.checksum_type != "FULL_OBJECT":
            doc["ctype"] = self.checksum_type
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
            parts=[ObjectPart.from_doc(p) for p in d.get("parts", ())],
            checksum_type=d.get("ctype", "FULL_OBJECT"),
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


@dataclass
class UploadMeta:
    """A multipart upload in progress: what CreateMultipartUpload fixed for the object to be."""

    upload_id: str
    initiated_ns: int
    data_id: str  # directory, on every drive of the set, that receives the part files
    distribution: list[int]
    data_shards: int
    parity_shards: int
    block_size: int
    content_type: str = "binary/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    user_meta: dict[str, str] = field(default_factory=dict)
    checksum_algorithm: str | None = None  # crc32, crc32c, crc64nvme, sha1, sha256
    checksum_type: str | None = None  # COMPOSITE or FULL_OBJECT when an algorithm is set

    def encode(self) -> bytes:
        return UPLOAD_MAGIC + orjson.dumps({
            "id": self.upload_id, "init": self.initiated_ns, "data": self.data_id, "dist": self.distribution,
            "ec": [self.data_shards, self.parity_shards, self.block_size], "ct": self.content_type,
            "hdr": self.headers, "meta": self.user_meta, "alg": self.checksum_algorithm,
            "ctype": self.checksum_type,
        })

    @classmethod
    def decode(cls, value: bytes) -> UploadMeta:
        if value[:4] != UPLOAD_MAGIC:
            raise ValueError("not an upload record")
        d = orjson.loads(value[4:])
        k, m, block = d["ec"]
        return cls(d["id"], d["init"], d["data"], d["dist"], k, m, block, d["ct"], d["hdr"], d["meta"],
                   d["alg"], d["ctype"])


@dataclass
class PartMeta:
    """One uploaded part: a shard file of its own in the upload's data directory."""

    number: int
    size: int
    etag: str
    mtime_ns: int
    file: str
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64

    def encode(self) -> bytes:
        return PART_MAGIC + orjson.dumps({"n": self.number, "size": self.size, "etag": self.etag,
                                          "mtime": self.mtime_ns, "file": self.file, "sum": self.checksums})

    @classmethod
    def decode(cls, value: bytes) -> PartMeta:
        if value[:4] != PART_MAGIC:
            raise ValueError("not a part record")
        d = orjson.loads(value[4:])
        return cls(d["n"], d["size"], d["etag"], d["mtime"], d["file"], d["sum"])

    def as_object_part(self) -> ObjectPart:
        return ObjectPart(self.number, self.size, self.file, self.etag, dict(self.checksums))
