"""Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload and
AbortMultipartUpload, with InitiateMultipartUploadResult, CompleteMultipartUpload and its result.
(UploadPartCopy is with the copies, ListParts and ListMultipartUploads in multipart_list.py.)"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote
from xml.etree.ElementTree import Element

from cairn.engine.api import (
    MAX_PART_NUMBER,
    MAX_PART_SIZE,
    S3_CHECKSUM_ALGORITHMS,
    CompletePart,
    ObjectOptions,
    PartInfo,
    UploadInfo,
)

from ..acl import acl_from_headers
from ..body import EngineBody, read_body, write_body
from ..checksum_headers import checksum_request, sent_checksums
from ..conditions import write_conditions
from ..context import Context, Response
from ..errors import S3Error
from ..lifecycle import abort_headers, expiration_header
from ..metadata import announced_size, metadata_from_request, quoted, written_version
from ..params import part_number, upload_id
from ..sse import customer_key, sse_headers, write_encryption
from ..xml import (
    CHECKSUM_ELEMENTS,
    EMPTY,
    XML_HEADER,
    XMLError,
    checksums_xml,
    document,
    esc,
    etag_xml,
    expect_root,
    fields,
    opt,
    parse_xml,
)
from .object_lock import lock_options
from .service import owner
from .tagging import request_tags

# 10000 parts with a checksum or two each, pretty-printed.
MAX_COMPLETE_BODY = 8 << 20


def initiate_multipart_upload_xml(bucket: str, key: str, upload_id: str) -> bytes:
    """CreateMultipartUpload: Bucket, Key, UploadId."""
    return document("InitiateMultipartUploadResult",
                    f"<Bucket>{esc(bucket)}</Bucket><Key>{esc(key)}</Key>"
                     f"<UploadId>{esc(upload_id)}</UploadId>")


def complete_multipart_upload_xml(location: str, bucket: str, key: str, etag: str, *,
                                  checksums: Mapping[str, str] = EMPTY,
                                  checksum_type: str | None = None) -> bytes:
    """CompleteMultipartUpload: Location, Bucket, Key, ETag, then checksums and ChecksumType."""
    return document("CompleteMultipartUploadResult",
                    f"<Location>{esc(location)}</Location><Bucket>{esc(bucket)}</Bucket>"
                    f"<Key>{esc(key)}</Key><ETag>{etag_xml(etag)}</ETag>{checksums_xml(checksums)}"
                    f"{opt('ChecksumType', checksum_type)}")


_PART_NUMBER_RE = re.compile(r"\s*\+?([0-9]{1,10})\s*")


def _part_number(text: str | None) -> int:
    if text is None:
        raise XMLError("MalformedXML")
    match = _PART_NUMBER_RE.fullmatch(text)
    if match is None:
        raise XMLError("MalformedXML")
    number = int(match.group(1))
    if not 1 <= number <= MAX_PART_NUMBER:
        raise XMLError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
    return number


def _part(part: Element) -> tuple[int, str, dict[str, str]]:
    values = fields(part)
    number = _part_number(values.get("PartNumber"))
    etag = values.get("ETag")
    if etag is None:
        raise XMLError("MalformedXML")
    checksums = {name[8:].lower(): value.strip() for name, value in values.items()
                 if name in CHECKSUM_ELEMENTS}
    return number, etag.strip().strip('"'), checksums


def parse_complete_multipart_upload(body: bytes) -> list[tuple[int, str, dict[str, str]]]:
    """CompleteMultipartUpload's `<CompleteMultipartUpload>`: [(part number, ETag without quotes,
    {"crc32": base64, ...}), ...] in document order (the handler checks the order: InvalidPartOrder).

    No Part, more than 10000, a Part without PartNumber or ETag, a PartNumber that is not an integer
    -> MalformedXML; a PartNumber outside 1..10000 -> InvalidArgument.  Checksum keys are the
    lowercase algorithm names (crc32, crc32c, crc64nvme, sha1, sha256, ...).  CPU-bound, about
    10 µs a part: a 10000-part document is best parsed off the event loop."""
    root = parse_xml(body, MAX_COMPLETE_BODY, max_elements=MAX_PART_NUMBER * 8)
    expect_root(root, "CompleteMultipartUpload")
    parts: list[tuple[int, str, dict[str, str]]] = []
    for part in root:
        if part.tag != "Part":
            continue
        if len(parts) == MAX_PART_NUMBER:
            raise XMLError("MalformedXML")
        parts.append(_part(part))
    if not parts:
        raise XMLError("MalformedXML")
    return parts


def upload_checksum_headers(upload: UploadInfo) -> list[tuple[str, str]]:
    if upload.checksum_algorithm is None:
        return []
    return [("x-amz-checksum-algorithm", upload.checksum_algorithm.upper()),
            ("x-amz-checksum-type", upload.checksum_type or "COMPOSITE")]


async def handle_create_multipart_upload(ctx: Context) -> Response:
    metadata = metadata_from_request(ctx)
    algorithm = (ctx.header("x-amz-checksum-algorithm") or "").lower() or None
    if algorithm is not None and algorithm not in S3_CHECKSUM_ALGORITHMS:
        raise S3Error("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with "
                                        "any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
    kind = (ctx.header("x-amz-checksum-type") or "").upper() or None
    opts = ObjectOptions(metadata=metadata, checksum_algorithm=algorithm, checksum_type=kind,
                         tags=request_tags(ctx), acl=acl_from_headers(ctx, owner(ctx)[0]),
                         encryption=write_encryption(ctx))
    lock_options(ctx).apply(opts)
    upload = await ctx.run(ctx.layer.create_multipart_upload, ctx.bucket, ctx.key, opts)
    body = initiate_multipart_upload_xml(ctx.bucket, ctx.key, upload.upload_id)
    headers = [XML_HEADER, *upload_checksum_headers(upload), *abort_headers(ctx, upload.initiated_ns),
               *sse_headers(upload.sse, opts.encryption)]
    return Response(200, headers, body)


async def handle_abort_multipart_upload(ctx: Context) -> Response:
    await ctx.run(ctx.layer.abort_multipart_upload, ctx.bucket, ctx.key, upload_id(ctx.query))
    return Response(204)


def part_response(part: PartInfo) -> list[tuple[str, str]]:
    return [("ETag", quoted(part.etag)), *[(f"x-amz-checksum-{a}", v) for a, v in part.checksums.items()]]


async def handle_upload_part(ctx: Context) -> Response:
    number = part_number(ctx.query.get("partNumber", ""))
    size = announced_size(ctx, MAX_PART_SIZE)
    checksums = checksum_request(ctx)
    opts = ObjectOptions(size=size, expected=checksums.expected, checksums=checksums.algorithms,
                         encryption=customer_key(ctx))  # an SSE-C upload's key, with every part
    body = await EngineBody(ctx, checksums.trailer).prefetch(size)
    part = await write_body(ctx, ctx.layer.upload_part, ctx.bucket, ctx.key, upload_id(ctx.query), number,
                            body, opts)
    return Response(200, [*part_response(part), *sse_headers(part.sse, opts.encryption)])


def object_size(ctx: Context) -> int | None:
    raw = ctx.header("x-amz-mp-object-size")
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise S3Error("InvalidArgument", "Value for x-amz-mp-object-size header is invalid.",
                      ArgumentName="x-amz-mp-object-size", ArgumentValue=raw)
    return int(raw)


async def handle_complete_multipart_upload(ctx: Context) -> Response:
    expected, size = sent_checksums(ctx.request.header_map, composite=True), object_size(ctx)
    if_none_match, if_match = write_conditions(ctx)
    opts = ObjectOptions(expected_checksums=expected, object_size=size, if_none_match=if_none_match,
                         if_match=if_match)
    document_body = await read_body(ctx, MAX_COMPLETE_BODY)
    listed = await ctx.run(parse_complete_multipart_upload, document_body)
    parts = [CompletePart(n, etag, sums) for n, etag, sums in listed]
    info = await ctx.run(ctx.layer.complete_multipart_upload, ctx.bucket, ctx.key, upload_id(ctx.query),
                         parts, opts)
    host = ctx.header("host") or "localhost"
    location = f"http://{host}/{quote(ctx.bucket)}/{quote(ctx.key)}"
    body = complete_multipart_upload_xml(location, ctx.bucket, ctx.key, quoted(info.etag),
                                         checksums=info.checksums,
                                         checksum_type=info.checksum_type if info.checksums else None)
    return Response(200, [XML_HEADER, *written_version(info), *expiration_header(ctx, info),
                          *sse_headers(info.sse, customer_key(ctx))], body)
