"""Listing operations: ListObjects (v1) and ListObjectsV2."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from cairn.engine.listing import ListPage

from .. import s3xml
from ..app import Context, Response
from ..errors import S3Error
from .service import owner

XML = ("Content-Type", "application/xml")
MAX_KEYS = 1000


def max_keys(ctx: Context) -> int:
    raw = ctx.query.get("max-keys")
    if raw is None or raw == "":
        return MAX_KEYS
    try:
        value = int(raw)
    except ValueError:
        raise S3Error("InvalidArgument", "Provided max-keys not an integer or within integer range",
                      ArgumentName="max-keys", ArgumentValue=raw) from None
    if value < 0:
        raise S3Error("InvalidArgument", "Argument maxKeys must be an integer between 0 and 2147483647",
                      ArgumentName="max-keys", ArgumentValue=raw)
    return min(value, MAX_KEYS)


def encoding_type(ctx: Context) -> str | None:
    value = ctx.query.get("encoding-type")
    if value is None or value == "":
        return None
    if value.lower() != "url":
        raise S3Error("InvalidArgument", "Invalid Encoding Method specified in Request",
                      ArgumentName="encoding-type", ArgumentValue=value)
    return "url"


def entries(ctx: Context, page: ListPage, with_owner: bool) -> list[s3xml.ListEntry]:
    who = owner(ctx) if with_owner else None
    return [
        s3xml.ListEntry(
            key=o.key,
            last_modified=datetime.fromtimestamp(o.meta.mtime_ns / 1e9, UTC),
            etag=o.meta.etag,
            size=o.meta.size,
            owner=who,
            checksum_algorithm=next(iter(o.meta.checksums), None),
            checksum_type=o.meta.checksum_type,
        )
        for o in page.objects
    ]


def encode_token(marker: str) -> str:
    return base64.urlsafe_b64encode(marker.encode()).decode()


def decode_token(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise S3Error("InvalidArgument", "The continuation token provided is incorrect",
                      ArgumentName="continuation-token") from None


async def handle_list_objects(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter, marker = q.get("prefix", ""), q.get("delimiter", ""), q.get("marker", "")
    limit, encoding = max_keys(ctx), encoding_type(ctx)
    page = await ctx.run(ctx.layer.list_objects, ctx.bucket, prefix, delimiter, marker, limit)
    body = s3xml.list_objects_v1_xml(
        bucket=ctx.bucket, prefix=prefix, marker=marker, delimiter=delimiter, max_keys=limit,
        encoding_type=encoding, is_truncated=page.truncated,
        next_marker=page.next_marker if page.truncated and delimiter else None,
        entries=entries(ctx, page, True), common_prefixes=page.prefixes,
    )
    return Response(200, [XML], body)


async def handle_list_objects_v2(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
    token = q.get("continuation-token")
    start_after = q.get("start-after", "")
    limit, encoding = max_keys(ctx), encoding_type(ctx)
    if token is not None and token == "":
        raise S3Error("InvalidArgument", "The continuation token provided is incorrect",
                      ArgumentName="continuation-token")
    after = decode_token(token) if token else start_after
    page = await ctx.run(ctx.layer.list_objects, ctx.bucket, prefix, delimiter, after, limit)
    listed = entries(ctx, page, q.get("fetch-owner", "").lower() == "true")
    next_token = encode_token(page.next_marker) if page.truncated and page.next_marker else None
    body = s3xml.list_objects_v2_xml(
        bucket=ctx.bucket, prefix=prefix, delimiter=delimiter, max_keys=limit, encoding_type=encoding,
        key_count=len(listed) + len(page.prefixes), continuation_token=token,
        next_continuation_token=next_token,
        start_after=start_after or None, is_truncated=page.truncated, entries=listed,
        common_prefixes=page.prefixes,
    )
    return Response(200, [XML], body)
