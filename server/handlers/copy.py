"""Copy operations: CopyObject and UploadPartCopy, with CopyObjectResult and CopyPartResult.
The engine copies; these check the request and say what to check of the source."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypeVar

from cairn.engine.api import (
    MAX_PART_SIZE,
    S3_CHECKSUM_ALGORITHMS,
    ObjectInfo,
    ObjectOptions,
)
from cairn.engine.errors import VersionIsDeleteMarker

from ..acl import acl_from_headers
from ..checksum_headers import checksum_headers
from ..conditions import COPY_SOURCE, check_read_conditions, write_conditions
from ..context import Context, Response
from ..errors import S3Error
from ..metadata import (
    REDIRECT_LOCATION,
    check_redirect_location,
    copied_metadata,
    from_ns,
    last_modified,
    metadata_from_request,
    quoted,
    version_headers,
    written_version,
)
from ..params import copy_source, part_number, upload_id
from ..ranges import copy_range_outside, parse_copy_range
from ..sse import customer_key, sse_headers, write_encryption
from ..xml import EMPTY, XML_HEADER, checksums_xml, document, etag_xml, timestamp
from .object_lock import lock_options
from .service import owner
from .tagging import request_tags

T = TypeVar("T")
MAX_COPY_SIZE = 5 << 30  # CopyObject's limit; larger copies go through UploadPartCopy


def copy_object_result_xml(etag: str, last_modified: datetime, *,
                           checksums: Mapping[str, str] = EMPTY) -> bytes:
    """CopyObject: LastModified, ETag (S3's order), then any checksums of the new object."""
    return document("CopyObjectResult", _copy_result(etag, last_modified, checksums))


def copy_part_result_xml(etag: str, last_modified: datetime, *,
                         checksums: Mapping[str, str] = EMPTY) -> bytes:
    """UploadPartCopy: the CopyObject shape under CopyPartResult."""
    return document("CopyPartResult", _copy_result(etag, last_modified, checksums))


def _copy_result(etag: str, last_modified: datetime, checksums: Mapping[str, str]) -> str:
    return (f"<LastModified>{timestamp(last_modified)}</LastModified><ETag>{etag_xml(etag)}</ETag>"
            f"{checksums_xml(checksums)}")


def source_options(ctx: Context, source: tuple[str, str, str | None], check: Callable[[ObjectInfo], None],
                   span: tuple[int, int] | None = None) -> ObjectOptions:
    """How to read a copy's source: its version, conditions, range and SSE-C key
    (x-amz-copy-source-server-side-encryption-customer-*)."""
    return ObjectOptions(version_id=source[2], precondition=check, range=span,
                         encryption=customer_key(ctx, copy_source=True))


async def read_source(ctx: Context, fn: Callable[..., T], *args: object) -> T:
    """An engine call that reads a copy source: a delete marker named by its version id is S3's
    InvalidRequest there, not the 405 of a GET."""
    try:
        return await ctx.run(fn, *args)
    except VersionIsDeleteMarker:
        raise S3Error("InvalidRequest", "The source of a copy request may not specifically refer to a "
                                        "delete marker by version id.") from None


def source_version(info: ObjectInfo) -> list[tuple[str, str]]:
    """x-amz-copy-source-version-id: the source's version, named as a GET of it names it."""
    return [("x-amz-copy-source-version-id", v) for _, v in version_headers(info)]


def too_large(limit: int) -> S3Error:
    return S3Error("InvalidRequest", "The specified copy source is larger than the maximum allowable size "
                                     f"for a copy source: {limit}")


def copy_object_options(ctx: Context, source: tuple[str, str, str | None]) -> ObjectOptions:
    """The new object's options: REPLACE takes the request's metadata, COPY (None) the source's;
    If-Match / If-None-Match condition the write of the destination."""
    directive = (ctx.header("x-amz-metadata-directive") or "COPY").upper()
    if directive not in ("COPY", "REPLACE"):
        raise S3Error("InvalidArgument", "Unknown metadata directive.",
                      ArgumentName="x-amz-metadata-directive", ArgumentValue=directive)
    tagging = (ctx.header("x-amz-tagging-directive") or "COPY").upper()
    if tagging not in ("COPY", "REPLACE"):
        raise S3Error("InvalidArgument", "Unknown tagging directive.",
                      ArgumentName="x-amz-tagging-directive", ArgumentValue=tagging)
    location = ctx.header(REDIRECT_LOCATION)
    if location is not None:
        check_redirect_location(location)
    encryption = write_encryption(ctx)
    if (source[:2] == (ctx.bucket, ctx.key) and source[2] is None and directive == "COPY" and location is None
            and encryption is None):
        raise S3Error("InvalidRequest", "This copy request is illegal because it is trying to copy an "
                                        "object to itself without changing the object's metadata, storage "
                                        "class, website redirect location or encryption attributes.")
    algorithm = (ctx.header("x-amz-checksum-algorithm") or "").lower()
    if_none_match, if_match = write_conditions(ctx)  # of the destination, like PutObject's
    opts = ObjectOptions(metadata=metadata_from_request(ctx) if directive == "REPLACE" else None,
                         checksums=(algorithm,) if algorithm in S3_CHECKSUM_ALGORITHMS else (),
                         if_none_match=if_none_match, if_match=if_match,
                         tags=(request_tags(ctx) or {}) if tagging == "REPLACE" else None,
                         acl=acl_from_headers(ctx, owner(ctx)[0]),  # never the source's
                         encryption=encryption)
    return lock_options(ctx).apply(opts)


async def handle_copy_object(ctx: Context) -> Response:
    source = copy_source(ctx.header("x-amz-copy-source"))
    opts = copy_object_options(ctx, source)
    keep_metadata = opts.metadata is None  # the COPY directive

    read: list[ObjectInfo] = []

    def check_source(info: ObjectInfo) -> None:
        check_read_conditions(ctx, info, prefix=COPY_SOURCE)
        if info.size > MAX_COPY_SIZE:
            raise too_large(MAX_COPY_SIZE)
        if keep_metadata:  # the source's, but for its website redirect location (S3 never copies it)
            opts.metadata = copied_metadata(info, ctx.header(REDIRECT_LOCATION))
        read.append(info)

    new = await read_source(ctx, ctx.layer.copy_object, *source[:2], ctx.bucket, ctx.key,
                            source_options(ctx, source, check_source), opts)
    body = copy_object_result_xml(quoted(new.etag), last_modified(new))
    return Response(200, [XML_HEADER, *checksum_headers(new.checksums), *written_version(new),
                          *source_version(read[0]), *sse_headers(new.sse, opts.encryption)], body)


async def handle_upload_part_copy(ctx: Context) -> Response:
    number = part_number(ctx.query.get("partNumber", ""))
    source = copy_source(ctx.header("x-amz-copy-source"))
    raw_range = ctx.header("x-amz-copy-source-range")
    first, last = parse_copy_range(raw_range) if raw_range is not None else (0, -1)

    read: list[ObjectInfo] = []

    def check_source(info: ObjectInfo) -> None:
        check_read_conditions(ctx, info, prefix=COPY_SOURCE)
        if raw_range is not None and last >= info.size:
            raise copy_range_outside(info.size, raw_range)
        if (last - first + 1 if raw_range is not None else info.size) > MAX_PART_SIZE:
            raise too_large(MAX_PART_SIZE)
        read.append(info)

    span = (first, last - first + 1) if raw_range is not None else None
    src_opts = source_options(ctx, source, check_source, span)
    opts = ObjectOptions(encryption=customer_key(ctx))  # the upload's SSE-C key, if it has one
    part = await read_source(ctx, ctx.layer.upload_part_copy, *source[:2], ctx.bucket, ctx.key,
                             upload_id(ctx.query), number, src_opts, opts)
    body = copy_part_result_xml(quoted(part.etag), from_ns(part.mtime_ns), checksums=part.checksums)
    encrypted = sse_headers(part.sse, opts.encryption)
    return Response(200, [XML_HEADER, *source_version(read[0]), *encrypted], body)
