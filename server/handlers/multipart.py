"""Multipart operations: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
AbortMultipartUpload, ListParts, ListMultipartUploads."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from cairn.engine.checksums import S3_CHECKSUM_ALGORITHMS, from_s3
from cairn.engine.erasure_set import PutOptions
from cairn.engine.multipart import MAX_PART_SIZE, CompletePart, PartWriter, UploadOptions
from cairn.engine.records import PartMeta, UploadMeta

from .. import s3xml
from ..app import Context, Response
from ..errors import S3Error
from .listing import encoding_type
from .object import (
    announced_size,
    check_conditions,
    checksum_options,
    commit,
    copy_source,
    metadata_from_request,
    part_number,
    pump,
    quoted,
    receive_body,
)
from .service import owner

XML = ("Content-Type", "application/xml")
MAX_LISTED = 1000
_COPY_RANGE = re.compile(r"bytes=(\d+)-(\d+)")
_COMPOSITE_VALUE = re.compile(r"([A-Za-z0-9+/=]+)(?:-([0-9]+))?")


def upload_id(ctx: Context) -> str:
    return ctx.query.get("uploadId", "")


def when(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / 1e9, UTC)


def query_limit(ctx: Context, name: str) -> int:
    """max-parts / max-uploads: 1000 when absent, at most 1000, InvalidArgument when not a count."""
    raw = ctx.query.get(name)
    if raw is None or raw == "":
        return MAX_LISTED
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise S3Error("InvalidArgument", f"Argument {name} must be an integer between 0 and 2147483647",
                      ArgumentName=name, ArgumentValue=raw)
    return min(value, MAX_LISTED)


def upload_checksum_headers(upload: UploadMeta) -> list[tuple[str, str]]:
    if upload.checksum_algorithm is None:
        return []
    return [("x-amz-checksum-algorithm", upload.checksum_algorithm.upper()),
            ("x-amz-checksum-type", upload.checksum_type or "COMPOSITE")]


# -- CreateMultipartUpload / AbortMultipartUpload ------------------------------------------------


async def handle_create_multipart_upload(ctx: Context) -> Response:
    content_type, headers, user = metadata_from_request(ctx)
    algorithm = (ctx.header("x-amz-checksum-algorithm") or "").lower() or None
    if algorithm is not None and algorithm not in S3_CHECKSUM_ALGORITHMS:
        raise S3Error("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with "
                                        "any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
    kind = (ctx.header("x-amz-checksum-type") or "").upper() or None
    opts = UploadOptions(content_type, headers, user, algorithm, kind)
    upload = await ctx.run(ctx.layer.create_multipart_upload, ctx.bucket, ctx.key, opts)
    body = s3xml.initiate_multipart_upload_xml(ctx.bucket, ctx.key, upload.upload_id)
    return Response(200, [XML, *upload_checksum_headers(upload)], body)


async def handle_abort_multipart_upload(ctx: Context) -> Response:
    await ctx.run(ctx.layer.abort_multipart_upload, ctx.bucket, ctx.key, upload_id(ctx))
    return Response(204)


# -- UploadPart / UploadPartCopy ----------------------------------------------------------------


def check_part_algorithm(upload: UploadMeta, algorithms: tuple[str, ...]) -> None:
    """A part of an upload with a checksum algorithm must carry a checksum of that algorithm."""
    expected = upload.checksum_algorithm
    if expected is None:
        return
    sent = algorithms[0] if algorithms else "null"
    if sent != expected:
        raise S3Error("InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: "
                                        f"{expected}, actual checksum Type: {sent}")


def part_response(part: PartMeta) -> list[tuple[str, str]]:
    return [("ETag", quoted(part.etag)), *[(f"x-amz-checksum-{a}", v) for a, v in part.checksums.items()]]


async def handle_upload_part(ctx: Context) -> Response:
    number = part_number(ctx.query.get("partNumber", ""))
    size = announced_size(ctx)
    if size is not None and size > MAX_PART_SIZE:
        raise S3Error("EntityTooLarge", ProposedSize=str(size), MaxSizeAllowed=str(MAX_PART_SIZE))
    algorithms, expected, trailer = checksum_options(ctx)
    opts = PutOptions(size=size, expected=expected, checksums=algorithms)
    writer: PartWriter = await ctx.run(ctx.layer.new_part_writer, ctx.bucket, ctx.key, upload_id(ctx),
                                       number, opts)
    try:
        check_part_algorithm(writer.upload, algorithms)
        await receive_body(ctx, writer)
        part = await commit(ctx, writer, trailer, writer.commit)
    except BaseException:
        await ctx.run(writer.abort)
        raise
    return Response(200, part_response(part))


def copy_range(ctx: Context, size: int) -> tuple[int, int] | None:
    """x-amz-copy-source-range as (start, length); None for the whole source."""
    raw = ctx.header("x-amz-copy-source-range")
    if raw is None:
        return None
    m = _COPY_RANGE.fullmatch(raw.strip())
    if m is None or int(m.group(1)) > int(m.group(2)):
        raise S3Error("InvalidArgument", "The x-amz-copy-source-range value must be of the form "
                                         "bytes=first-last where first and last are the zero-based offsets "
                                         "of the first and last bytes to copy",
                      ArgumentName="x-amz-copy-source-range", ArgumentValue=raw)
    first, last = int(m.group(1)), int(m.group(2))
    if last >= size:
        raise S3Error("InvalidArgument", f"Range specified is not valid for source object of size: {size}",
                      ArgumentName="x-amz-copy-source-range", ArgumentValue=raw)
    return first, last - first + 1


async def handle_upload_part_copy(ctx: Context) -> Response:
    number = part_number(ctx.query.get("partNumber", ""))
    src_bucket, src_key = copy_source(ctx)
    reader = await ctx.run(ctx.layer.open_object, src_bucket, src_key)
    check_conditions(ctx, reader.meta, prefix="x-amz-copy-source-")
    span = copy_range(ctx, reader.meta.size)
    if span is not None:
        reader.restrict(*span)
    if reader.length > MAX_PART_SIZE:
        raise S3Error("InvalidRequest", "The specified copy source is larger than the maximum allowable size "
                                        f"for a copy source: {MAX_PART_SIZE}")
    upload = await ctx.run(ctx.layer.get_multipart_upload, ctx.bucket, ctx.key, upload_id(ctx))
    algorithms = (upload.checksum_algorithm,) if upload.checksum_algorithm else ()
    opts = PutOptions(size=reader.length, checksums=algorithms)
    writer: PartWriter = await ctx.run(ctx.layer.new_part_writer, ctx.bucket, ctx.key, upload.upload_id,
                                       number, opts)
    await ctx.run(pump, reader, writer)
    part = await ctx.run(writer.commit)
    body = s3xml.copy_part_result_xml(quoted(part.etag), when(part.mtime_ns), checksums=part.checksums)
    return Response(200, [XML], body)


# -- CompleteMultipartUpload --------------------------------------------------------------------


def expected_checksums(ctx: Context) -> dict[str, str]:
    """Full-object checksums sent with Complete (a composite one may end in "-N")."""
    out: dict[str, str] = {}
    for algorithm in S3_CHECKSUM_ALGORITHMS:
        value = ctx.header(f"x-amz-checksum-{algorithm}")
        if value is None:
            continue
        m = _COMPOSITE_VALUE.fullmatch(value.strip())
        try:
            if m is None:
                raise ValueError(value)
            from_s3(algorithm, m.group(1))
        except ValueError:
            raise S3Error("InvalidRequest",
                          f"Value for x-amz-checksum-{algorithm} header is invalid.") from None
        out[algorithm] = value.strip()
    return out


def object_size(ctx: Context) -> int | None:
    raw = ctx.header("x-amz-mp-object-size")
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise S3Error("InvalidArgument", "Value for x-amz-mp-object-size header is invalid.",
                      ArgumentName="x-amz-mp-object-size", ArgumentValue=raw)
    return int(raw)


async def handle_complete_multipart_upload(ctx: Context) -> Response:
    expected, size = expected_checksums(ctx), object_size(ctx)
    if_none = ctx.header("if-none-match")
    if if_none is not None and if_none.strip() != "*":
        raise S3Error("NotImplemented", "If-None-Match on CompleteMultipartUpload accepts only '*'")
    opts = PutOptions(if_none_match=if_none is not None, if_match=ctx.header("if-match"))
    document = await ctx.read_body(s3xml.MAX_COMPLETE_BODY)
    listed = await ctx.run(s3xml.parse_complete_multipart_upload, document)
    parts = [CompletePart(n, etag, sums) for n, etag, sums in listed]
    meta = await ctx.run(ctx.layer.complete_multipart_upload, ctx.bucket, ctx.key, upload_id(ctx), parts,
                         expected, size, opts)
    host = ctx.header("host") or "localhost"
    location = f"http://{host}/{quote(ctx.bucket)}/{quote(ctx.key)}"
    body = s3xml.complete_multipart_upload_xml(location, ctx.bucket, ctx.key, quoted(meta.etag),
                                               checksums=meta.checksums,
                                               checksum_type=meta.checksum_type if meta.checksums else None)
    return Response(200, [XML], body)


# -- ListParts / ListMultipartUploads ------------------------------------------------------------


async def handle_list_parts(ctx: Context) -> Response:
    limit = query_limit(ctx, "max-parts")
    raw_marker = ctx.query.get("part-number-marker") or "0"
    try:
        marker = int(raw_marker)
    except ValueError:
        marker = -1
    if marker < 0:
        raise S3Error("InvalidArgument", "Argument part-number-marker must be an integer between 0 and "
                                         "2147483647", ArgumentName="part-number-marker",
                      ArgumentValue=raw_marker)
    page = await ctx.run(ctx.layer.list_parts, ctx.bucket, ctx.key, upload_id(ctx), marker, limit)
    who = owner(ctx)
    entries = [s3xml.PartEntry(p.number, when(p.mtime_ns), p.etag, p.size, p.checksums) for p in page.parts]
    upload = page.upload
    body = s3xml.list_parts_xml(
        bucket=ctx.bucket, key=ctx.key, upload_id=upload.upload_id, initiator=who, owner=who,
        part_number_marker=marker, next_part_number_marker=page.parts[-1].number if page.parts else marker,
        max_parts=limit, is_truncated=page.truncated, parts=entries,
        checksum_algorithm=upload.checksum_algorithm, checksum_type=upload.checksum_type)
    return Response(200, [XML], body)


async def handle_list_multipart_uploads(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
    key_marker = q.get("key-marker", "")
    id_marker = q.get("upload-id-marker", "") if key_marker else ""
    limit, encoding = query_limit(ctx, "max-uploads"), encoding_type(ctx)
    page = await ctx.run(ctx.layer.list_multipart_uploads, ctx.bucket, prefix, delimiter, key_marker,
                         id_marker, limit)
    who = owner(ctx)
    uploads = [s3xml.UploadEntry(key, u.upload_id, when(u.initiated_ns), owner=who, initiator=who,
                                 checksum_algorithm=u.checksum_algorithm, checksum_type=u.checksum_type)
               for key, u in page.uploads]
    body = s3xml.list_multipart_uploads_xml(
        bucket=ctx.bucket, key_marker=key_marker, upload_id_marker=id_marker,
        next_key_marker=page.next_key if page.truncated else None,
        next_upload_id_marker=page.next_upload_id if page.truncated else None,
        delimiter=delimiter or None, prefix=prefix, max_uploads=limit, encoding_type=encoding,
        is_truncated=page.truncated, uploads=uploads, common_prefixes=page.prefixes)
    return Response(200, [XML], body)

