"""Digests and checksums: the typed face of the compiled `_checksums` module.

`Hasher(("md5", "crc32c"))` updates several algorithms per call with the GIL
released; CRC digests are big-endian bytes as S3 sends them.  S3 transmits
checksums base64-encoded: `to_s3`/`from_s3` convert.
"""

from __future__ import annotations

import base64
import binascii

from typing_extensions import Buffer

from ._checksums import ALGORITHMS, DIGEST_SIZES, Hasher, crc32, crc32c, crc64nvme, crc_combine

S3_CHECKSUM_ALGORITHMS = ("crc32", "crc32c", "crc64nvme", "sha1", "sha256")

__all__ = [
    "ALGORITHMS",
    "DIGEST_SIZES",
    "S3_CHECKSUM_ALGORITHMS",
    "Hasher",
    "crc32",
    "crc32c",
    "crc64nvme",
    "crc_combine",
    "digest",
    "from_s3",
    "to_s3",
]


def digest(algorithm: str, data: Buffer) -> bytes:
    """One algorithm's digest of one buffer (a Hasher for a single update)."""
    hasher = Hasher((algorithm,))
    hasher.update(data)
    return hasher.digests()[algorithm]


def to_s3(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def from_s3(algorithm: str, text: str) -> bytes:
    """Decode a base64 checksum as a client sends it; ValueError if malformed for `algorithm`."""
    if algorithm not in DIGEST_SIZES:
        raise ValueError(f"unknown checksum algorithm {algorithm!r}")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"malformed {algorithm} checksum") from exc
    if to_s3(raw) != text:  # non-canonical padding bits: not what any client computes
        raise ValueError(f"malformed {algorithm} checksum")
    if len(raw) != DIGEST_SIZES[algorithm]:
        raise ValueError(f"{algorithm} checksum must be {DIGEST_SIZES[algorithm]} bytes")
    return raw
