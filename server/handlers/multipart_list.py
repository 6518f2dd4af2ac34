"""Multipart listings: ListParts and ListMultipartUploads, with ListPartsResult and
ListMultipartUploadsResult."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..context import Context, Response
from ..metadata import from_ns
from ..params import encoding_type, non_negative, page_size, upload_id
from ..xml import (
    XML_HEADER,
    algorithm_xml,
    bool_xml,
    checksums_xml,
    common_prefixes_xml,
    document,
    esc,
    etag_xml,
    leaf,
    name_encoder,
    opt,
    owner_xml,
    timestamp,
)
from .service import owner


@dataclass(slots=True)
class PartEntry:
    """One part in ListParts; `checksums` maps algorithm (any case) to its base64 value."""

    part_number: int
    last_modified: datetime
    etag: str
    size: int
    checksums: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class UploadEntry:
    """One in-progress upload in ListMultipartUploads."""

    key: str
    upload_id: str
    initiated: datetime
    storage_class: str = "STANDARD"
    owner: tuple[str, str] | None = None
    initiator: tuple[str, str] | None = None
    checksum_algorithm: str | None = None
    checksum_type: str | None = None


def list_parts_xml(*, bucket: str, key: str, upload_id: str, initiator: tuple[str, str] | None,
                   owner: tuple[str, str] | None, storage_class: str = "STANDARD",
                   part_number_marker: int, next_part_number_marker: int, max_parts: int,
                   is_truncated: bool, parts: Sequence[PartEntry], checksum_algorithm: str | None = None,
                   checksum_type: str | None = None) -> bytes:
    """ListParts: Bucket, Key, UploadId, Initiator, Owner, StorageClass, PartNumberMarker,
    NextPartNumberMarker, MaxParts, IsTruncated, ChecksumAlgorithm, ChecksumType, Part... (each
    PartNumber, LastModified, ETag, Size, checksums).  ListParts has no encoding-type."""
    head = (f"<Bucket>{esc(bucket)}</Bucket><Key>{esc(key)}</Key><UploadId>{esc(upload_id)}</UploadId>"
            f"{owner_xml('Initiator', initiator)}{owner_xml('Owner', owner)}"
            f"<StorageClass>{esc(storage_class)}</StorageClass>"
            f"<PartNumberMarker>{part_number_marker}</PartNumberMarker>"
            f"<NextPartNumberMarker>{next_part_number_marker}</NextPartNumberMarker>"
            f"<MaxParts>{max_parts}</MaxParts><IsTruncated>{bool_xml(is_truncated)}</IsTruncated>"
            f"{algorithm_xml(checksum_algorithm)}{opt('ChecksumType', checksum_type)}")
    body = "".join(f"<Part><PartNumber>{p.part_number}</PartNumber><LastModified>"
                   f"{timestamp(p.last_modified)}</LastModified><ETag>{etag_xml(p.etag)}</ETag>"
                   f"<Size>{p.size}</Size>{checksums_xml(p.checksums)}</Part>" for p in parts)
    return document("ListPartsResult", head + body)


def _upload(u: UploadEntry, name: Callable[[str], str]) -> str:
    """Upload: Key, UploadId, Initiator, Owner, StorageClass, Initiated, ChecksumAlgorithm/Type."""
    return (f"<Upload><Key>{name(u.key)}</Key><UploadId>{esc(u.upload_id)}</UploadId>"
            f"{owner_xml('Initiator', u.initiator)}{owner_xml('Owner', u.owner)}"
            f"<StorageClass>{esc(u.storage_class)}</StorageClass>"
            f"<Initiated>{timestamp(u.initiated)}</Initiated>{algorithm_xml(u.checksum_algorithm)}"
            f"{opt('ChecksumType', u.checksum_type)}</Upload>")


def list_multipart_uploads_xml(*, bucket: str, key_marker: str, upload_id_marker: str,
                               next_key_marker: str | None, next_upload_id_marker: str | None,
                               delimiter: str | None, prefix: str, max_uploads: int,
                               encoding_type: str | None, is_truncated: bool,
                               uploads: Sequence[UploadEntry], common_prefixes: Sequence[str]) -> bytes:
    """ListMultipartUploads: Bucket, KeyMarker, UploadIdMarker, NextKeyMarker, NextUploadIdMarker,
    Delimiter, Prefix, EncodingType, MaxUploads, IsTruncated, Upload..., CommonPrefixes....  With
    encoding-type=url, KeyMarker, NextKeyMarker, Delimiter, Prefix, Key and CommonPrefixes/Prefix
    are encoded."""
    name = name_encoder(encoding_type)
    head = (f"<Bucket>{esc(bucket)}</Bucket><KeyMarker>{name(key_marker)}</KeyMarker>"
            f"<UploadIdMarker>{esc(upload_id_marker)}</UploadIdMarker>"
            f"{leaf('NextKeyMarker', None if next_key_marker is None else name(next_key_marker))}"
            f"{opt('NextUploadIdMarker', next_upload_id_marker)}"
            f"{leaf('Delimiter', name(delimiter) if delimiter else None)}<Prefix>{name(prefix)}</Prefix>"
            f"{'<EncodingType>url</EncodingType>' if encoding_type else ''}"
            f"<MaxUploads>{max_uploads}</MaxUploads><IsTruncated>{bool_xml(is_truncated)}</IsTruncated>")
    body = "".join(_upload(u, name) for u in uploads)
    return document("ListMultipartUploadsResult", head + body + common_prefixes_xml(common_prefixes, name))


async def handle_list_parts(ctx: Context) -> Response:
    limit = page_size(ctx.query, "max-parts")
    marker = non_negative(ctx.query.get("part-number-marker") or "0", "part-number-marker", 0,
                          "Argument part-number-marker must be an integer between 0 and 2147483647")
    page = await ctx.run(ctx.layer.list_parts, ctx.bucket, ctx.key, upload_id(ctx.query), marker, limit)
    who = owner(ctx)
    entries = [PartEntry(p.number, from_ns(p.mtime_ns), p.etag, p.size, p.checksums) for p in page.parts]
    upload = page.upload
    body = list_parts_xml(
        bucket=ctx.bucket, key=ctx.key, upload_id=upload.upload_id, initiator=who, owner=who,
        part_number_marker=marker, next_part_number_marker=page.parts[-1].number if page.parts else marker,
        max_parts=limit, is_truncated=page.truncated, parts=entries,
        checksum_algorithm=upload.checksum_algorithm, checksum_type=upload.checksum_type)
    return Response(200, [XML_HEADER], body)


async def handle_list_multipart_uploads(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
    key_marker = q.get("key-marker", "")
    id_marker = q.get("upload-id-marker", "") if key_marker else ""
    limit, encoding = page_size(q, "max-uploads"), encoding_type(q)
    page = await ctx.run(ctx.layer.list_multipart_uploads, ctx.bucket, prefix, delimiter, key_marker,
                         id_marker, limit)
    who = owner(ctx)
    uploads = [UploadEntry(key, u.upload_id, from_ns(u.initiated_ns), owner=who, initiator=who,
                           checksum_algorithm=u.checksum_algorithm, checksum_type=u.checksum_type)
               for key, u in page.uploads]
    body = list_multipart_uploads_xml(
        bucket=ctx.bucket, key_marker=key_marker, upload_id_marker=id_marker,
        next_key_marker=page.next_key if page.truncated else None,
        next_upload_id_marker=page.next_upload_id if page.truncated else None,
        delimiter=delimiter or None, prefix=prefix, max_uploads=limit, encoding_type=encoding,
        is_truncated=page.truncated, uploads=uploads, common_prefixes=page.prefixes)
    return Response(200, [XML_HEADER], body)
