"""An object's metadata in and out of HTTP headers: what a PUT stores (Content-Type, the system
headers S3 keeps, x-amz-meta-*), what a GET or HEAD sends back, and the announced body size."""

from __future__ import annotations

import email.utils
import functools
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from cairn.engine.api import Metadata, ObjectInfo

from .context import Context
from .errors import S3Error

MAX_USER_META = 2048
MAX_OBJECT_SIZE = 5 << 40  # 5 TiB
# System metadata S3 stores with the object and returns on GET/HEAD.
REDIRECT_LOCATION = "x-amz-website-redirect-location"  # where the website endpoint sends a GET (301)
STORED_HEADERS = ("Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires",
                  REDIRECT_LOCATION)
MAX_REDIRECT_LOCATION = 2048


def http_date(when: float | None = None) -> str:
    """An HTTP date; now's is formatted once a second (every response carries one)."""
    if when is not None:
        return email.utils.formatdate(when, usegmt=True)
    return _date_of_second(int(time.time()))


@functools.lru_cache(maxsize=2)
def _date_of_second(second: int) -> str:
    return email.utils.formatdate(second, usegmt=True)


def quoted(etag: str) -> str:
    return f'"{etag}"'


def last_modified(info: ObjectInfo) -> datetime:
    return datetime.fromtimestamp(info.mtime_ns // 1_000_000_000, UTC)


def from_ns(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / 1e9, UTC)


def object_headers(info: ObjectInfo) -> list[tuple[str, str]]:
    headers = [
        ("Content-Type", info.content_type),
        ("ETag", quoted(info.etag)),
        ("Last-Modified", http_date(info.mtime_ns // 1_000_000_000)),
        ("Accept-Ranges", "bytes"),
    ]
    headers += [(name, value) for name, value in info.headers.items()]
    headers += [(f"x-amz-meta-{name}", value) for name, value in info.user_meta.items()]
    return headers


def version_headers(info: ObjectInfo) -> list[tuple[str, str]]:
    """x-amz-version-id of a version read: S3 names the null version only on a bucket with
    versioning configured (Enabled or Suspended)."""
    return [("x-amz-version-id", info.version_id)] if info.version_id != "null" or info.versioned else []


def written_version(info: ObjectInfo) -> list[tuple[str, str]]:
    """x-amz-version-id of a version written: S3 leaves it out for a null version."""
    return [("x-amz-version-id", info.version_id)] if info.version_id != "null" else []


def stored_content_encoding(value: str) -> str | None:
    """A request's Content-Encoding as the object keeps it: without `aws-chunked`, which names the
    request's framing (SigV4 streaming), not the object.  S3 stores `gzip` for `gzip, aws-chunked`
    (or `aws-chunked,gzip`) and no Content-Encoding at all for `aws-chunked` alone."""
    if "aws-chunked" not in value.lower():
        return value
    tokens = (token.strip() for token in value.split(","))
    kept = [token for token in tokens if token and token.lower() != "aws-chunked"]
    return ", ".join(kept) or None


def metadata_from_request(ctx: Context) -> Metadata:
    """What a PUT (or a REPLACE copy, or a CreateMultipartUpload) asks to store."""
    return metadata_from(ctx.header, ctx.request.headers)


def metadata_from(lookup: Callable[[str], str | None], pairs: Iterable[tuple[str, str]]) -> Metadata:
    """Metadata from lower-case header (or POST form field) names: `lookup` finds one, `pairs`
    are all of them (for x-amz-meta-*)."""
    content_type = lookup("content-type") or "binary/octet-stream"
    headers: dict[str, str] = {}
    for name in STORED_HEADERS:
        value = lookup(name.lower())
        if value is not None and name == "Content-Encoding":
            value = stored_content_encoding(value)
        elif value is not None and name == REDIRECT_LOCATION:
            check_redirect_location(value)
        if value is not None:
            headers[name] = value
    user = {n[len("x-amz-meta-"):]: v for n, v in pairs if n.startswith("x-amz-meta-")}
    size = sum(len(k) + len(v) for k, v in user.items())
    if size > MAX_USER_META:
        raise S3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.",
                      Size=str(size), MaxSizeAllowed=str(MAX_USER_META))
    return Metadata(content_type, headers, user)


def check_redirect_location(value: str) -> None:
    """x-amz-website-redirect-location as S3 takes it: a path in the bucket's website ("/...") or
    an http(s) URL, of 2 KiB at most (InvalidRedirectLocation)."""
    if not value.startswith(("/", "http://", "https://")):
        raise S3Error("InvalidRedirectLocation")
    if len(value) > MAX_REDIRECT_LOCATION:
        raise S3Error("InvalidRedirectLocation",
                      "The length of website redirect location cannot exceed 2,048 characters.")


def copied_metadata(source: ObjectInfo, redirect_location: str | None) -> Metadata:
    """A copy's metadata under the COPY directive: the source's, but for its website redirect
    location, which S3 never copies (the request's x-amz-website-redirect-location, if any, is
    the copy's)."""
    headers = {name: value for name, value in source.headers.items() if name != REDIRECT_LOCATION}
    if redirect_location is not None:
        headers[REDIRECT_LOCATION] = redirect_location
    return Metadata(source.content_type, headers, dict(source.user_meta))


def announced_size(ctx: Context, limit: int = MAX_OBJECT_SIZE) -> int | None:
    """The body size the request announces (x-amz-decoded-content-length for aws-chunked);
    MissingContentLength when there is none, EntityTooLarge above `limit`."""
    mode = ctx.identity.payload
    if mode.streaming:
        if mode.decoded_length is None:
            raise S3Error("MissingContentLength")
        size: int | None = mode.decoded_length
    else:
        size = ctx.request.content_length
        if size is None and ctx.header("transfer-encoding") is None:
            raise S3Error("MissingContentLength")
    if size is not None and size > limit:
        raise S3Error("EntityTooLarge", ProposedSize=str(size), MaxSizeAllowed=str(limit))
    return size
