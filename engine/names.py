"""Bucket and object naming rules (S3's), enforced by the engine for every caller."""

from __future__ import annotations

import ipaddress
import re

from .errors import InvalidBucketName, InvalidObjectName, KeyTooLong

MAX_KEY_BYTES = 1024
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def check_bucket_name(bucket: str) -> None:
    """S3's general-purpose bucket rules: 3-63 of [a-z0-9.-], letter or digit at both ends,
    no "..", ".-" or "-.", not an IP address, none of the reserved prefixes and suffixes."""
    if not _BUCKET_RE.fullmatch(bucket):
        raise InvalidBucketName(bucket, "use 3-63 lowercase letters, digits, dots and hyphens")
    if ".." in bucket or ".-" in bucket or "-." in bucket:
        raise InvalidBucketName(bucket, "no adjacent dots, nor a dot beside a hyphen")
    try:
        ipaddress.IPv4Address(bucket)
    except ValueError:
        pass
    else:
        raise InvalidBucketName(bucket, "must not look like an IP address")
    if bucket.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or bucket.endswith(("-s3alias", "--ol-s3")):
        raise InvalidBucketName(bucket, "reserved prefix or suffix")


def check_object_name(key: str) -> bytes:
    """The key's UTF-8 bytes if the engine can store it."""
    if not key:
        raise InvalidObjectName(key, "empty")
    if "\x00" in key:
        raise InvalidObjectName(key, "contains NUL")
    try:
        raw = key.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidObjectName(key, "not valid UTF-8") from None
    if len(raw) > MAX_KEY_BYTES:
        raise KeyTooLong(key, f"{len(raw)} bytes, at most {MAX_KEY_BYTES}")
    return raw
