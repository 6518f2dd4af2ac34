"""Checksums a request carries (Content-MD5, x-amz-checksum-* headers and trailers, the SDKs'
algorithm headers) and the checksum headers a response sends back."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from cairn.engine.api import S3_CHECKSUM_ALGORITHMS, digest, from_s3

from .context import Context
from .errors import S3Error

_COMPOSITE_VALUE = re.compile(r"([A-Za-z0-9+/=]+)(?:-([0-9]+))?")


def content_md5(ctx: Context) -> bytes | None:
    """The Content-MD5 header's digest, None when absent; InvalidDigest when malformed."""
    value = ctx.header("content-md5")
    if value is None:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise S3Error("InvalidDigest") from None
    if len(raw) != 16:
        raise S3Error("InvalidDigest")
    return raw


def invalid_checksum(algorithm: str, where: str = "header") -> S3Error:
    return S3Error("InvalidRequest", f"Value for x-amz-checksum-{algorithm} {where} is invalid.")


def sent_checksums(headers: Mapping[str, str], composite: bool = False) -> dict[str, str]:
    """algorithm -> value of each x-amz-checksum-<algorithm> in `headers`, each checked to be a
    well-formed digest of its algorithm (InvalidRequest); `composite` allows a "-<parts>" suffix."""
    out: dict[str, str] = {}
    for algorithm in S3_CHECKSUM_ALGORITHMS:
        value = headers.get(f"x-amz-checksum-{algorithm}")
        if value is None:
            continue
        if composite:
            value = value.strip()
        match = _COMPOSITE_VALUE.fullmatch(value) if composite else None
        try:
            from_s3(algorithm, match.group(1) if match else value)
        except ValueError:
            raise invalid_checksum(algorithm) from None
        if composite and match is None:
            raise invalid_checksum(algorithm)
        out[algorithm] = value
    return out


@dataclass
class ChecksumRequest:
    """What a PUT or UploadPart asks of its body's checksums."""

    algorithms: tuple[str, ...] = ()  # to compute and store
    expected: dict[str, bytes] = field(default_factory=dict)  # digests the body must have
    trailer: str | None = None  # the algorithm whose value arrives as a trailer


def checksum_request(ctx: Context) -> ChecksumRequest:
    """Content-MD5, x-amz-checksum-*, x-amz-trailer and the SDK algorithm headers of a write; S3
    allows one checksum algorithm per request.  A signed payload's SHA-256 is verified too."""
    expected: dict[str, bytes] = {}
    md5 = content_md5(ctx)
    if md5 is not None:
        expected["md5"] = md5
    sent = sent_checksums(ctx.request.header_map)
    expected.update({a: from_s3(a, v) for a, v in sent.items()})
    trailer = _trailer(ctx)
    algorithms = list(dict.fromkeys([*sent, *([trailer] if trailer else [])]))
    if len(algorithms) > 1:
        raise S3Error("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum "
                                        "Types are not allowed.")
    algorithms = _with_sdk_algorithm(ctx, algorithms)
    mode = ctx.identity.payload
    if mode.kind == "sha256" and "sha256" not in expected:
        assert mode.sha256 is not None
        expected["sha256"] = bytes.fromhex(mode.sha256)
    return ChecksumRequest(tuple(dict.fromkeys(algorithms)), expected, trailer)


def _with_sdk_algorithm(ctx: Context, algorithms: list[str]) -> list[str]:
    """The algorithm to compute: the one the checksum header or trailer names, else the one the
    SDK's algorithm header names.  When both are given they must agree: S3 refuses
    `x-amz-sdk-checksum-algorithm: SHA1` beside `x-amz-checksum-crc32` with InvalidRequest "Value
    for x-amz-sdk-checksum-algorithm header is invalid." (as observed by Swift's s3api tests, run
    against S3; the service model's documentation says BadDigest)."""
    for header in ("x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"):
        sdk = (ctx.header(header) or "").lower()
        if not sdk:
            continue
        if sdk not in S3_CHECKSUM_ALGORITHMS:
            raise S3Error("InvalidRequest", "Checksum algorithm provided is unsupported.")
        if algorithms and algorithms != [sdk]:
            raise S3Error("InvalidRequest", f"Value for {header} header is invalid.")
        return [sdk]
    return algorithms


def _trailer(ctx: Context) -> str | None:
    declared = ctx.identity.payload.trailer or ctx.header("x-amz-trailer")
    if not declared:
        return None
    name = declared.strip().lower()
    trailer = name.removeprefix("x-amz-checksum-")
    if trailer == name or trailer not in S3_CHECKSUM_ALGORITHMS:
        raise S3Error("InvalidRequest", "The value specified in the x-amz-trailer header is not supported")
    return trailer


def trailing_digest(ctx: Context, algorithm: str) -> bytes:
    """The digest a body's trailer carried, once the body has ended."""
    value = ctx.trailers.get(f"x-amz-checksum-{algorithm}")
    if value is None:
        raise S3Error("InvalidRequest", f"x-amz-checksum-{algorithm} trailer is missing")
    try:
        return from_s3(algorithm, value)
    except ValueError:
        raise invalid_checksum(algorithm, "trailer") from None


def verify_body_digest(ctx: Context, body: bytes) -> None:
    """A body that must carry Content-MD5 or an x-amz-checksum-* (DeleteObjects): it must match.
    (read_body has verified Content-MD5 already.)"""
    if ctx.header("content-md5") is not None:
        return
    sent = sent_checksums({**ctx.trailers, **ctx.request.header_map})
    for algorithm, value in sent.items():
        if digest(algorithm, body) != from_s3(algorithm, value):
            raise S3Error("BadDigest", f"The {algorithm.upper()} you specified did not match the "
                                       "calculated checksum.")
        return
    raise S3Error("InvalidRequest", "Missing required header for this request: Content-MD5")


def checksum_headers(checksums: Mapping[str, str], kind: str = "FULL_OBJECT") -> list[tuple[str, str]]:
    """x-amz-checksum-<algorithm> and x-amz-checksum-type (COMPOSITE values end in "-N")."""
    out = [(f"x-amz-checksum-{a}", v) for a, v in checksums.items()]
    return [*out, ("x-amz-checksum-type", kind)] if out else out
