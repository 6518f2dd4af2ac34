"""Listing operations: ListObjects (v1) and ListObjectsV2, with ListBucketResult."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cairn.engine.api import ListPage

from ..context import Context, Response
from ..params import continuation_token, encode_token, encoding_type, page_size
from ..xml import (
    XML_HEADER,
    algorithm_xml,
    bool_xml,
    common_prefixes_xml,
    document,
    esc,
    etag_xml,
    leaf,
    name_encoder,
    opt,
    owner_xml,
    timestamp_of_second,
)
from .service import owner


@dataclass(slots=True)
class ListEntry:
    """One object in a listing.  `checksum_algorithm` may be given in any case ("crc32c");
    when it is set and `checksum_type` is not, the type is FULL_OBJECT, as for a single PUT."""

    key: str
    mtime_ns: int  # LastModified, ns since the epoch (shown to the second)
    etag: str
    size: int
    storage_class: str = "STANDARD"
    owner: tuple[str, str] | None = None
    checksum_algorithm: str | None = None
    checksum_type: str | None = None


def list_checksum_xml(algorithm: str | None, checksum_type: str | None) -> str:
    if not algorithm:
        return ""
    return f"{algorithm_xml(algorithm)}<ChecksumType>{esc(checksum_type or 'FULL_OBJECT')}</ChecksumType>"


def contents_xml(entries: Sequence[ListEntry], name: Callable[[str], str]) -> str:
    """The Contents elements: Key, LastModified, ETag, ChecksumAlgorithm, ChecksumType, Size,
    Owner, StorageClass (S3's wire order).  The fields that repeat from entry to entry (checksum
    algorithm, owner, storage class) are rendered once per distinct value."""
    checksums: dict[tuple[str | None, str | None], str] = {}
    stamp = timestamp_of_second
    tails: dict[tuple[tuple[str, str] | None, str], str] = {}
    parts = []
    for e in entries:
        checksum_key = (e.checksum_algorithm, e.checksum_type)
        checksum = checksums.get(checksum_key)
        if checksum is None:
            checksum = checksums[checksum_key] = list_checksum_xml(*checksum_key)
        tail_key = (e.owner, e.storage_class)
        tail = tails.get(tail_key)
        if tail is None:
            tail = tails[tail_key] = (f"{owner_xml('Owner', e.owner)}<StorageClass>{esc(e.storage_class)}"
                                      f"</StorageClass></Contents>")
        parts.append(f"<Contents><Key>{name(e.key)}</Key><LastModified>{stamp(e.mtime_ns // 1_000_000_000)}"
                     f"</LastModified><ETag>{etag_xml(e.etag)}</ETag>{checksum}<Size>{e.size}</Size>{tail}")
    return "".join(parts)



def delimiter_and_encoding_xml(delimiter: str | None, encoding_type: str | None,
                            name: Callable[[str], str]) -> str:
    """Delimiter (left out when empty, as S3 does) and EncodingType."""
    return (leaf("Delimiter", name(delimiter) if delimiter else None)
            + ("<EncodingType>url</EncodingType>" if encoding_type else ""))


def list_objects_v1_xml(*, bucket: str, prefix: str, marker: str, delimiter: str | None, max_keys: int,
                        encoding_type: str | None, is_truncated: bool, next_marker: str | None,
                        entries: Sequence[ListEntry], common_prefixes: Sequence[str]) -> bytes:
    """ListObjects (v1): Name, Prefix, Marker, NextMarker, MaxKeys, Delimiter, EncodingType,
    IsTruncated, Contents..., CommonPrefixes....  With encoding-type=url, S3 encodes Prefix, Marker,
    NextMarker, Delimiter, Key and CommonPrefixes/Prefix (botocore decodes all but Prefix)."""
    name = name_encoder(encoding_type)
    head = (f"<Name>{esc(bucket)}</Name><Prefix>{name(prefix)}</Prefix><Marker>{name(marker)}</Marker>"
            f"{leaf('NextMarker', None if next_marker is None else name(next_marker))}"
            f"<MaxKeys>{max_keys}</MaxKeys>{delimiter_and_encoding_xml(delimiter, encoding_type, name)}"
            f"<IsTruncated>{bool_xml(is_truncated)}</IsTruncated>")
    return document("ListBucketResult",
                     head + contents_xml(entries, name) + common_prefixes_xml(common_prefixes, name))


def list_objects_v2_xml(*, bucket: str, prefix: str, delimiter: str | None, max_keys: int,
                        encoding_type: str | None, key_count: int, continuation_token: str | None,
                        next_continuation_token: str | None, start_after: str | None,
                        is_truncated: bool, entries: Sequence[ListEntry],
                        common_prefixes: Sequence[str]) -> bytes:
    """ListObjectsV2: Name, Prefix, StartAfter, ContinuationToken, NextContinuationToken, KeyCount,
    MaxKeys, Delimiter, EncodingType, IsTruncated, Contents..., CommonPrefixes....  With
    encoding-type=url, S3 encodes Prefix, StartAfter, Delimiter, Key and CommonPrefixes/Prefix;
    the continuation tokens are opaque and only escaped."""
    name = name_encoder(encoding_type)
    head = (f"<Name>{esc(bucket)}</Name><Prefix>{name(prefix)}</Prefix>"
            f"{leaf('StartAfter', None if start_after is None else name(start_after))}"
            f"{opt('ContinuationToken', continuation_token)}"
            f"{opt('NextContinuationToken', next_continuation_token)}"
            f"<KeyCount>{key_count}</KeyCount><MaxKeys>{max_keys}</MaxKeys>"
            f"{delimiter_and_encoding_xml(delimiter, encoding_type, name)}"
            f"<IsTruncated>{bool_xml(is_truncated)}</IsTruncated>")
    return document("ListBucketResult",
                     head + contents_xml(entries, name) + common_prefixes_xml(common_prefixes, name))


def entries(ctx: Context, page: ListPage, with_owner: bool) -> list[ListEntry]:
    who = owner(ctx) if with_owner else None
    return [
        ListEntry(o.key, o.mtime_ns, o.etag, o.size, o.storage_class, owner=who,
                  checksum_algorithm=o.checksum_algorithm, checksum_type=o.checksum_type)
        for o in page.objects
    ]


async def handle_list_objects(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter, marker = q.get("prefix", ""), q.get("delimiter", ""), q.get("marker", "")
    limit, encoding = page_size(q, "max-keys", "maxKeys"), encoding_type(q)
    page = await ctx.run(ctx.layer.list_objects, ctx.bucket, prefix, delimiter, marker, limit)
    body = list_objects_v1_xml(
        bucket=ctx.bucket, prefix=prefix, marker=marker, delimiter=delimiter, max_keys=limit,
        encoding_type=encoding, is_truncated=page.truncated,
        next_marker=page.next_marker if page.truncated and delimiter else None,
        entries=entries(ctx, page, True), common_prefixes=page.prefixes,
    )
    return Response(200, [XML_HEADER], body)


async def handle_list_objects_v2(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
    start_after = q.get("start-after", "")
    limit, encoding = page_size(q, "max-keys", "maxKeys"), encoding_type(q)
    resume = continuation_token(q)  # an empty token is no token, as in S3
    after = start_after if resume is None else resume
    page = await ctx.run(ctx.layer.list_objects, ctx.bucket, prefix, delimiter, after, limit)
    listed = entries(ctx, page, q.get("fetch-owner", "").lower() == "true")
    next_token = encode_token(page.next_marker) if page.truncated and page.next_marker else None
    body = list_objects_v2_xml(
        bucket=ctx.bucket, prefix=prefix, delimiter=delimiter, max_keys=limit, encoding_type=encoding,
        key_count=len(listed) + len(page.prefixes), continuation_token=q.get("continuation-token"),
        next_continuation_token=next_token,
        start_after=start_after or None, is_truncated=page.truncated, entries=listed,
        common_prefixes=page.prefixes,
    )
    return Response(200, [XML_HEADER], body)
