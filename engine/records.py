"""Metadata records: the keys of the ordered index and the values stored under them.

Keys (bytewise order is listing order):
    b"B" + bucket                                   -> bucket record
    b"O" + bucket + b"\\x00" + key                   -> object record: the latest version
    b"V" + bucket + b"\\x00" + key + b"\\x00" + ~stamp (u64) + version id
                                                    -> a noncurrent version, newest first
    b"U" + bucket + b"\\x00" + key + b"\\x00" + upload -> multipart upload in progress
    b"P" + <the upload's key after "U"> + b"\\x00" + part number (u16) -> one uploaded part
    b"C" + <the upload's key after "U">             -> a completed upload, kept for retries
    b"E" + target + b"\\x00" + stamp (u64) + origin  -> a bucket notification event to deliver
                                                       (event_queue.py; I: identities, H: heal reports)
Bucket names never contain NUL and object keys are refused with one, so one
bucket's objects are exactly the range [O<bucket>\\0, O<bucket>\\1).

An object record is per drive: the common metadata (JSON, identical on every
drive of the set, and what the read quorum votes on) followed by that drive's
own inline shard frame for small objects.  Every value starts with magic bytes
and a version so old records stay readable when the format grows.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

import orjson

from .info import ListedObject, ObjectInfo, ObjectPart, PartInfo, TierRef, UploadInfo
from .quorum import RecordIdentity
from .sse import SealedKey

OBJECT_MAGIC = b"COB\x01"
BUCKET_MAGIC = b"CBK\x01"
UPLOAD_MAGIC = b"CUP\x01"
PART_MAGIC = b"CPT\x01"
COMPLETION_MAGIC = b"CCM\x01"
_LEN = struct.Struct(">I")


def bucket_key(bucket: str) -> bytes:
    return b"B" + bucket.encode()


def bucket_keys_range() -> tuple[bytes, bytes]:
    return b"B", b"C"


def object_key(bucket: str, key: str) -> bytes:
    return b"O" + bucket.encode() + b"\x00" + key.encode()


def object_prefix(bucket: str) -> bytes:
    return b"O" + bucket.encode() + b"\x00"


def versions_prefix(bucket: str) -> bytes:
    return b"V" + bucket.encode() + b"\x00"


def version_prefix(bucket: str, key: str) -> bytes:
    return versions_prefix(bucket) + key.encode() + b"\x00"


def version_suffix(version_ts: int, version_id: str) -> bytes:
    """Where a version sorts among its key's: newest (largest stamp) first."""
    return ((1 << 64) - 1 - version_ts).to_bytes(8, "big") + version_id.encode()


def version_key(bucket: str, key: str, version_ts: int, version_id: str) -> bytes:
    return version_prefix(bucket, key) + version_suffix(version_ts, version_id)


def upload_prefix(bucket: str) -> bytes:
    return b"U" + bucket.encode() + b"\x00"


def upload_key(bucket: str, key: str, upload_id: str) -> bytes:
    return upload_prefix(bucket) + key.encode() + b"\x00" + upload_id.encode()


def part_prefix(bucket: str, key: str, upload_id: str) -> bytes:
    return b"P" + upload_key(bucket, key, upload_id)[1:] + b"\x00"


def part_key(bucket: str, key: str, upload_id: str, number: int) -> bytes:
    return part_prefix(bucket, key, upload_id) + number.to_bytes(2, "big")


def completion_key(bucket: str, key: str, upload_id: str) -> bytes:
    return b"C" + upload_key(bucket, key, upload_id)[1:]


# -- objects ------------------------------------------------------------------------------------


def _part_doc(p: ObjectPart) -> dict[str, Any]:
    return {"n": p.number, "size": p.size, "file": p.file, "etag": p.etag, "sum": p.checksums}


def object_json(info: ObjectInfo) -> bytes:
    """The common metadata of an object record: what every drive of the set stores and votes on.
    A delete marker's document starts with "dm" (is_delete_marker reads just that)."""
    doc: dict[str, Any] = {"dm": 1} if info.delete_marker else {}
    doc.update({
        "size": info.size,
        "etag": info.etag,
        "mtime": info.mtime_ns,
        "vts": info.version_ts,
        "ct": info.content_type,
        "hdr": info.headers,
        "meta": info.user_meta,
        "sum": info.checksums,
        "ec": [info.data_shards, info.parity_shards, info.block_size],
        "dist": info.distribution,
        "data": info.data_id,
    })
    if info.version_id != "null":
        doc["v"] = info.version_id
    if info.parts:
        doc["parts"] = [_part_doc(p) for p in info.parts]
    if info.checksum_type != "FULL_OBJECT":
        doc["ctype"] = info.checksum_type
    if info.has_older:
        doc["older"] = 1
    if info.null_stamp:
        doc["nts"] = info.null_stamp
    if info.tags:
        doc["tags"] = [list(t) for t in info.tags.items()]
    if info.lock_mode or info.legal_hold is not None:
        doc["lock"] = [info.lock_mode, info.lock_until_ns, info.legal_hold]
    if info.acl is not None:
        doc["acl"] = info.acl
    if info.sse is not None:
        doc["sse"] = info.sse.to_doc()
    if info.tier is not None:
        doc["tier"] = [info.tier.name, info.tier.key]
    return orjson.dumps(doc)


def object_from_json(raw: bytes) -> ObjectInfo:
    d = orjson.loads(raw)
    k, m, block = d["ec"]
    mode, until, hold = d.get("lock", ("", 0, None))
    return ObjectInfo(
        size=d["size"],
        etag=d["etag"],
        mtime_ns=d["mtime"],
        version_id=d.get("v", "null"),  # records before versioning ("vid") are all null versions
        content_type=d["ct"],
        headers=d["hdr"],
        user_meta=d["meta"],
        checksums=d["sum"],
        data_shards=k,
        parity_shards=m,
        block_size=block,
        distribution=d["dist"],
        data_id=d["data"],
        parts=[ObjectPart(p["n"], p["size"], p["file"], p["etag"], p["sum"]) for p in d.get("parts", ())],
        checksum_type=d.get("ctype", "FULL_OBJECT"),
        version_ts=d.get("vts", d["mtime"]),
        delete_marker="dm" in d,
        has_older="older" in d,
        null_stamp=d.get("nts", 0),
        tags=dict(d.get("tags", ())),
        lock_mode=mode,
        lock_until_ns=until,
        legal_hold=hold,
        acl=d.get("acl"),
        sse=SealedKey.from_doc(d["sse"]) if "sse" in d else None,
        tier=TierRef(*d["tier"]) if "tier" in d else None,
    )


def is_delete_marker(value: bytes) -> bool:
    """Whether an object record is a delete marker, without decoding it."""
    return value[8:13] == b'{"dm"'


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


def decode_object(value: bytes) -> ObjectInfo:
    """The ObjectInfo of a whole object record."""
    return object_from_json(split_object(value)[0])


def listed_object(key: str, value: bytes) -> ListedObject:
    """The listing's view of an object record: its metadata document parsed, nothing built but
    the fields ListObjects returns."""
    d = orjson.loads(split_object(value)[0])
    tier = d.get("tier")
    return ListedObject(key, d["size"], d["etag"], d["mtime"], next(iter(d["sum"]), None),
                        d.get("ctype", "FULL_OBJECT"), tier[0] if tier else "STANDARD")


def object_meta(value: bytes) -> bytes:
    """What the drives of a set must agree on for an object record: its metadata document."""
    return split_object(value)[0]


def object_age(value: bytes) -> int:
    """An object record's age, to break a tie between versions (its mtime)."""
    return int(orjson.loads(split_object(value)[0])["mtime"])


object_identity = RecordIdentity(object_meta, object_age)


# -- multipart uploads and parts -----------------------------------------------------------------


def encode_upload(u: UploadInfo) -> bytes:
    return UPLOAD_MAGIC + orjson.dumps({
        "id": u.upload_id, "init": u.initiated_ns, "data": u.data_id, "dist": u.distribution,
        "ec": [u.data_shards, u.parity_shards, u.block_size], "ct": u.content_type,
        "hdr": u.headers, "meta": u.user_meta, "alg": u.checksum_algorithm,
        "ctype": u.checksum_type, "tags": list(u.tags.items()),
        "lock": [u.lock_mode, u.lock_until_ns, u.legal_hold],
        **({"acl": u.acl} if u.acl is not None else {}),
        **({"sse": u.sse.to_doc()} if u.sse is not None else {}),
    })


def decode_upload(value: bytes) -> UploadInfo:
    if value[:4] != UPLOAD_MAGIC:
        raise ValueError("not an upload record")
    d = orjson.loads(value[4:])
    k, m, block = d["ec"]
    mode, until, hold = d.get("lock", ("", 0, None))
    return UploadInfo(d["id"], d["init"], d["data"], d["dist"], k, m, block, d["ct"], d["hdr"], d["meta"],
                      d["alg"], d["ctype"], dict(d.get("tags", ())), mode, until, hold, d.get("acl"),
                      SealedKey.from_doc(d["sse"]) if "sse" in d else None)


def encode_part(p: PartInfo) -> bytes:
    return PART_MAGIC + orjson.dumps({"n": p.number, "size": p.size, "etag": p.etag,
                                      "mtime": p.mtime_ns, "file": p.file, "sum": p.checksums})


def decode_part(value: bytes) -> PartInfo:
    if value[:4] != PART_MAGIC:
        raise ValueError("not a part record")
    d = orjson.loads(value[4:])
    return PartInfo(d["n"], d["size"], d["etag"], d["mtime"], d["file"], d["sum"])


# -- completed uploads ---------------------------------------------------------------------------


def encode_completion(info: ObjectInfo, parts: Sequence[tuple[int, str]], completed_ns: int) -> bytes:
    """What a retried CompleteMultipartUpload must answer, and the part list it must name.
    Of the encryption, only what the answer's headers name (kind, master key, key id): the
    sealed object key stays in the object's record alone."""
    doc: dict[str, Any] = {
        "etag": info.etag, "size": info.size, "sum": info.checksums, "ctype": info.checksum_type,
        "vid": info.version_id, "mtime": info.mtime_ns, "parts": [list(p) for p in parts],
        "done": completed_ns,
    }
    if info.sse is not None:
        doc["sse"] = {"k": info.sse.kind, "m": info.sse.key_name, "id": info.sse.key_id}
    return COMPLETION_MAGIC + orjson.dumps(doc)


def decode_completion(value: bytes) -> tuple[ObjectInfo, list[tuple[int, str]], int]:
    """(the object as completed, the part list, when it completed)."""
    if value[:4] != COMPLETION_MAGIC:
        raise ValueError("not a completion record")
    d = orjson.loads(value[4:])
    # The encryption as the answer names it; `sealed` is empty: this opens nothing.
    named = d.get("sse")
    sse = SealedKey(named["k"], b"", key_name=named["m"], key_id=named["id"]) if named else None
    info = ObjectInfo(size=d["size"], etag=d["etag"], mtime_ns=d["mtime"], version_id=d["vid"],
                      checksums=d["sum"], checksum_type=d["ctype"], sse=sse)
    return info, [(n, etag) for n, etag in d["parts"]], d["done"]
