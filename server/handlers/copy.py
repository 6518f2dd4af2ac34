"""Copy operations: CopyObject and UploadPartCopy, with CopyObjectResult and CopyPartResult.
The engine copies; these check the request and say what to check of the source."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import unquote

from cairn.engine.api import MAX_PART_SIZE, S3_CHECKSUM_ALGORITHMS, ObjectInfo, ObjectOptions

from ..checksum_headers import checksum_headers
from ..conditions import COPY_SOURCE, check_read_conditions, write_conditions
from ..context import Context, Response
from ..errors import S3Error
from ..metadata import from_ns, last_modified, metadata_from_request, quoted
from ..params import part_number, upload_id
from ..ranges import copy_range_outside, parse_copy_range
from ..xml import EMPTY, XML_HEADER, checksums_xml, document, etag_xml, timestamp

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


def copy_source(ctx: Context) -> tuple[str, str]:
    """(bucket, key) of x-amz-copy-source; only the null version of a source can be named."""
    raw = ctx.header("x-amz-copy-source") or ""
    path, _, query = raw.partition("?")
    source = unquote(path).lstrip("/")
    bucket, _, key = source.partition("/")
    if not bucket or not key:
        raise S3Error("InvalidArgument", "Copy Source must mention the source bucket and key: "
                                         "sourcebucket/sourcekey", ArgumentName="x-amz-copy-source")
    version = dict(p.partition("=")[::2] for p in query.split("&") if p).get("versionId")
    if version not in (None, "null"):
        raise S3Error("NoSuchVersion", "The specified version does not exist.", 404)
    return bucket, key


def too_large(limit: int) -> S3Error:
    return S3Error("InvalidRequest", "The specified copy source is larger than the maximum allowable size "
                                     f"for a copy source: {limit}")


def copy_object_options(ctx: Context, source: tuple[str, str]) -> ObjectOptions:
    """The new object's options: REPLACE takes the request's metadata, COPY (None) the source's;
    If-Match / If-None-Match condition the write of the destination."""
    directive = (ctx.header("x-amz-metadata-directive") or "COPY").upper()
    if directive not in ("COPY", "REPLACE"):
        raise S3Error("InvalidArgument", "Unknown metadata directive.",
                      ArgumentName="x-amz-metadata-directive", ArgumentValue=directive)
    if source == (ctx.bucket, ctx.key) and directive == "COPY":
        raise S3Error("InvalidRequest", "This copy request is illegal because it is trying to copy an "
                                        "object to itself without changing the object's metadata, storage "
                                        "class, website redirect location or encryption attributes.")
    algorithm = (ctx.header("x-amz-checksum-algorithm") or "").lower()
    if_none_match, if_match = write_conditions(ctx)  # of the destination, like PutObject's
    return ObjectOptions(metadata=metadata_from_request(ctx) if directive == "REPLACE" else None,
                         checksums=(algorithm,) if algorithm in S3_CHECKSUM_ALGORITHMS else (),
                         if_none_match=if_none_match, if_match=if_match)


async def handle_copy_object(ctx: Context) -> Response:
    source = copy_source(ctx)
    opts = copy_object_options(ctx, source)

    def check_source(info: ObjectInfo) -> None:
        check_read_conditions(ctx, info, prefix=COPY_SOURCE)
        if info.size > MAX_COPY_SIZE:
            raise too_large(MAX_COPY_SIZE)

    new = await ctx.run(ctx.layer.copy_object, *source, ctx.bucket, ctx.key,
                        ObjectOptions(precondition=check_source), opts)
    body = copy_object_result_xml(quoted(new.etag), last_modified(new))
    return Response(200, [XML_HEADER, *checksum_headers(new.checksums)], body)


async def handle_upload_part_copy(ctx: Context) -> Response:
    number = part_number(ctx.query.get("partNumber", ""))
    source = copy_source(ctx)
    raw_range = ctx.header("x-amz-copy-source-range")
    first, last = parse_copy_range(raw_range) if raw_range is not None else (0, -1)

    def check_source(info: ObjectInfo) -> None:
        check_read_conditions(ctx, info, prefix=COPY_SOURCE)
        if raw_range is not None and last >= info.size:
            raise copy_range_outside(info.size, raw_range)
        if (last - first + 1 if raw_range is not None else info.size) > MAX_PART_SIZE:
            raise too_large(MAX_PART_SIZE)

    src_opts = ObjectOptions(precondition=check_source,
                             range=(first, last - first + 1) if raw_range is not None else None)
    part = await ctx.run(ctx.layer.upload_part_copy, *source, ctx.bucket, ctx.key, upload_id(ctx.query),
                         number, src_opts)
    body = copy_part_result_xml(quoted(part.etag), from_ns(part.mtime_ns), checksums=part.checksums)
    return Response(200, [XML_HEADER], body)
