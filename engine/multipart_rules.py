"""CompleteMultipartUpload's rules and arithmetic: which stored parts a Complete names (checked
as S3 checks them), the object they become (ETag of the part ETags, composite or full-object
checksums), and the checksum types S3 allows."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence

from .checksums import crc_combine, digest, from_s3, to_s3
from .errors import EntityTooSmall, InvalidPart, InvalidPartOrder, InvalidUploadRequest
from .info import CompletePart, ObjectInfo, PartInfo, UploadInfo

MIN_PART_SIZE = 5 << 20  # every part but the last
MAX_PART_SIZE = 5 << 30
MAX_PART_NUMBER = 10_000
CRC_ALGORITHMS = ("crc32", "crc32c", "crc64nvme")


def new_upload_id() -> str:
    """32 hex digits that sort by creation time (ListMultipartUploads' order for one key)."""
    return f"{time.time_ns():016x}{uuid.uuid4().hex[:16]}"


def default_checksum_type(algorithm: str) -> str:
    """S3's type when CreateMultipartUpload names an algorithm but no type."""
    return "FULL_OBJECT" if algorithm == "crc64nvme" else "COMPOSITE"


def check_checksum_type(algorithm: str | None, checksum_type: str | None) -> str | None:
    """The upload's checksum type, or InvalidUploadRequest for a combination S3 refuses."""
    if algorithm is None:
        if checksum_type is not None:
            raise InvalidUploadRequest("The x-amz-checksum-type header can only be used with the "
                                       "x-amz-checksum-algorithm header.")
        return None
    kind = checksum_type or default_checksum_type(algorithm)
    if kind not in ("COMPOSITE", "FULL_OBJECT"):
        raise InvalidUploadRequest(f"Value for x-amz-checksum-type header is invalid: {kind}")
    if kind == "FULL_OBJECT" and algorithm not in CRC_ALGORITHMS:
        raise InvalidUploadRequest(f"The FULL_OBJECT checksum type cannot be used with the {algorithm} "
                                   "checksum algorithm.")
    if kind == "COMPOSITE" and algorithm == "crc64nvme":
        raise InvalidUploadRequest("The COMPOSITE checksum type cannot be used with the crc64nvme "
                                   "checksum algorithm.")
    return kind


def choose_parts(upload: UploadInfo, stored: dict[int, PartInfo], listed: Sequence[CompletePart]
                 ) -> list[PartInfo]:
    """The stored parts CompleteMultipartUpload names, checked as S3 checks them."""
    chosen: list[PartInfo] = []
    previous = 0
    algorithm = upload.checksum_algorithm
    for item in listed:
        if item.number <= previous:
            raise InvalidPartOrder("The list of parts was not in ascending order. The parts list must be "
                                   "specified in order by part number.")
        previous = item.number
        part = stored.get(item.number)
        if part is None or part.etag != item.etag.strip('"'):
            raise InvalidPart(item.number, "not uploaded, or its ETag does not match")
        for name, value in item.checksums.items():
            mine = part.checksums.get(name)
            if mine is None or mine != value:
                raise InvalidPart(item.number, f"its {name} checksum does not match")
        if upload.checksum_type == "COMPOSITE" and algorithm and algorithm not in item.checksums:
            raise InvalidUploadRequest(f"The upload was created using a {algorithm} checksum. The complete "
                                       "request must include the checksum for each part. It was missing "
                                       f"for part {item.number} in the request.")
        chosen.append(part)
    for part in chosen[:-1]:
        if part.size < MIN_PART_SIZE:
            raise EntityTooSmall(part.number, part.size, MIN_PART_SIZE)
    return chosen


def assemble(upload: UploadInfo, parts: list[PartInfo]) -> ObjectInfo:
    """The object a completed upload becomes: its data is the parts' files, as they are."""
    etag = digest("md5", b"".join(bytes.fromhex(p.etag) for p in parts))
    checksums: dict[str, str] = {}
    algorithm = upload.checksum_algorithm
    if algorithm and all(algorithm in p.checksums for p in parts):
        digests = [from_s3(algorithm, p.checksums[algorithm]) for p in parts]
        if upload.checksum_type == "FULL_OBJECT":
            checksums[algorithm] = to_s3(combine_crcs(algorithm, digests, [p.size for p in parts]))
        else:
            composite = digest(algorithm, b"".join(digests))
            checksums[algorithm] = f"{to_s3(composite)}-{len(parts)}"
    return ObjectInfo(
        size=sum(p.size for p in parts),
        etag=f"{etag.hex()}-{len(parts)}",
        mtime_ns=time.time_ns(),
        version_id="null",  # stamped at commit (versions.py)
        content_type=upload.content_type,
        headers=upload.headers,
        user_meta=upload.user_meta,
        checksums=checksums,
        data_shards=upload.data_shards,
        parity_shards=upload.parity_shards,
        block_size=upload.block_size,
        distribution=upload.distribution,
        data_id=upload.data_id,
        parts=[p.as_object_part() for p in parts],
        checksum_type=upload.checksum_type or "FULL_OBJECT",
        tags=dict(upload.tags),
        acl=upload.acl,
        lock_mode=upload.lock_mode,
        lock_until_ns=upload.lock_until_ns,
        legal_hold=upload.legal_hold,
        sse=upload.sse,
    )


def combine_crcs(algorithm: str, digests: Sequence[bytes], sizes: Sequence[int]) -> bytes:
    """The CRC of the concatenated parts from each part's CRC and length."""
    crc = 0
    for part_crc, size in zip(digests, sizes, strict=True):
        crc = crc_combine(algorithm, crc, int.from_bytes(part_crc, "big"), size)
    return crc.to_bytes(len(digests[0]) if digests else 4, "big")


