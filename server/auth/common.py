"""Pieces SigV4 and SigV2 share: header lookup, AWS URI encoding, dates and clock skew, and
the x-amz-content-sha256 header's meaning.

Theory of operation
-------------------
Headers arrive as (lowercase name, value) pairs and are folded once into a
name -> [values] map.  URI encoding is AWS's: unreserved characters kept,
everything else %XX in UTF-8 (urllib's `quote` with "~" safe does exactly
this).  Dates are read in the forms S3 takes (ISO 8601 basic, RFC 1123,
RFC 850, asctime) and compared with the server's clock within 15 minutes.
`payload_mode()` turns x-amz-content-sha256 (and the aws-chunked headers that
go with it) into a PayloadMode, refusing values S3 refuses.
"""

from __future__ import annotations

import email.utils
import functools
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from .errors import (
    BAD_PAYLOAD_HASH,
    SERVER_TIME,
    AuthError,
    invalid_argument,
    missing_content_length,
    not_implemented,
    too_skewed,
)
from .model import PayloadKind, PayloadMode

HeaderMap = dict[str, list[str]]

MAX_SKEW = timedelta(minutes=15)
ISO_BASIC = "%Y%m%dT%H%M%SZ"
_ISO_BASIC_RE = re.compile(r"[0-9]{8}T[0-9]{6}Z", re.ASCII)
_SHA256_RE = re.compile(r"[0-9a-fA-F]{64}", re.ASCII)
_DIGITS_RE = re.compile(r"[0-9]{1,19}", re.ASCII)

PAYLOAD_KINDS: dict[str, PayloadKind] = {
    "UNSIGNED-PAYLOAD": "unsigned",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD": "streaming-signed",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER": "streaming-unsigned-trailer",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": "streaming-signed-trailer",
}
_SIGV4A_STREAMING = ("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
                     "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER")


def header_map(headers: list[tuple[str, str]]) -> HeaderMap:
    out: HeaderMap = {}
    for name, value in headers:
        out.setdefault(name.lower(), []).append(value)
    return out


def first(headers: HeaderMap, name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def trimall(value: str) -> str:
    """Trim, and collapse inner runs of whitespace to one space (botocore's rule)."""
    return " ".join(value.split())


def uri_encode(text: str, keep_slash: bool) -> str:
    """AWS's URI encoding: A-Z a-z 0-9 - _ . ~ kept (and "/" for paths), the rest %XX of UTF-8."""
    return quote(text, safe="/~" if keep_slash else "~", encoding="utf-8", errors="surrogatepass")


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def utc(now: datetime) -> datetime:
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


@functools.lru_cache(maxsize=256)
def parse_amz_date(text: str) -> datetime | None:
    """An ISO 8601 basic timestamp ("20130524T000000Z"), or None.  Fixed slices, and remembered:
    a second's requests all carry the same stamp (regex + strptime was 3% of a 4 KiB GET)."""
    if not _ISO_BASIC_RE.fullmatch(text):
        return None
    try:
        return datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[9:11]), int(text[11:13]),
                        int(text[13:15]), tzinfo=UTC)
    except ValueError:
        return None


def parse_http_date(text: str) -> datetime | None:
    """A request date in any form S3 reads: ISO 8601 basic, RFC 1123, RFC 850 or asctime."""
    stamp = parse_amz_date(text.strip())
    if stamp is not None:
        return stamp
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    try:
        return utc(parsed)
    except (ValueError, OverflowError):
        return None


def server_time(now: datetime) -> str:
    return now.strftime(SERVER_TIME)


def check_skew(request_time: datetime, as_sent: str, now: datetime) -> None:
    if abs(now - request_time) > MAX_SKEW:
        raise too_skewed(as_sent, server_time(now))


def parse_count(text: str) -> int | None:
    """A non-negative decimal integer of ASCII digits, or None."""
    return int(text) if _DIGITS_RE.fullmatch(text) else None


def check_payload_hash(value: str) -> PayloadKind:
    """The payload kind x-amz-content-sha256 names; InvalidArgument for a value S3 refuses."""
    kind = PAYLOAD_KINDS.get(value)
    if kind is not None:
        return kind
    if _SHA256_RE.fullmatch(value):
        return "sha256"
    if value in _SIGV4A_STREAMING:
        raise not_implemented(f"{value} (SigV4a chunk signing) is not implemented.")
    raise invalid_argument(BAD_PAYLOAD_HASH, "x-amz-content-sha256", value)


def payload_mode(value: str, headers: HeaderMap, signature: str | None = None,
                 key: bytes | None = None, scope: str | None = None,
                 amz_date: str | None = None) -> PayloadMode:
    """The PayloadMode for a payload hash value that passed `check_payload_hash`."""
    kind = check_payload_hash(value)
    if kind == "unsigned":
        return PayloadMode("unsigned")
    if kind == "sha256":
        return PayloadMode("sha256", sha256=value.lower())
    if kind != "streaming-unsigned-trailer" and key is None:
        raise invalid_request_streaming(value)
    length = _decoded_length(headers, required=kind == "streaming-signed")
    trailer = first(headers, "x-amz-trailer")
    trailer = trailer.strip().lower() if trailer is not None and trailer.strip() else None
    if kind == "streaming-unsigned-trailer":
        return PayloadMode(kind, decoded_length=length, trailer=trailer)
    return PayloadMode(kind, decoded_length=length, trailer=trailer, seed_signature=signature,
                       signing_key=key, scope=scope, amz_date=amz_date)


def invalid_request_streaming(value: str) -> AuthError:
    return AuthError("InvalidRequest", f"x-amz-content-sha256 {value} requires AWS Signature Version 4 "
                     "with the Authorization header.", 400)


def _decoded_length(headers: HeaderMap, required: bool) -> int | None:
    raw = first(headers, "x-amz-decoded-content-length")
    if raw is None:
        if required:
            raise missing_content_length()
        return None
    length = parse_count(raw.strip())
    if length is None:
        raise invalid_argument("x-amz-decoded-content-length must be a non-negative integer.",
                               "x-amz-decoded-content-length", raw)
    return length


def unsigned_payload(headers: HeaderMap) -> PayloadMode:
    """The payload of a request whose signature does not cover it (SigV2, anonymous): unsigned,
    unless x-amz-content-sha256 asks for a digest check or unsigned aws-chunked framing."""
    value = first(headers, "x-amz-content-sha256")
    return PayloadMode("unsigned") if value is None else payload_mode(value, headers)
