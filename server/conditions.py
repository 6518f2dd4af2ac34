"""Conditional requests: If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since on
reads (RFC 7232 as S3 applies it, and the x-amz-copy-source-* forms on a copy's source), and the
If-Match / If-None-Match: * of a conditional write."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

from cairn.engine.api import ObjectInfo

from .context import Context
from .errors import S3Error
from .metadata import last_modified

COPY_SOURCE = "x-amz-copy-source-"


def parse_http_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def etag_matches(header: str, etag: str) -> bool:
    return any(t.strip().strip('"') in (etag, "*") for t in header.split(","))


def check_read_conditions(ctx: Context, info: ObjectInfo, prefix: str = "") -> bool:
    """Whether to serve `info`: False means 304 Not Modified; a failed precondition raises
    PreconditionFailed.  prefix COPY_SOURCE checks a copy's source, where 304 is a 412 too."""
    modified = last_modified(info)
    if_match = ctx.header(f"{prefix}if-match")
    if_none = ctx.header(f"{prefix}if-none-match")
    since = ctx.header(f"{prefix}if-modified-since")
    unmodified = ctx.header(f"{prefix}if-unmodified-since")
    if if_match is not None:
        if not etag_matches(if_match, info.etag):
            raise S3Error("PreconditionFailed", Condition=f"{prefix}If-Match")
    elif unmodified is not None:
        when = parse_http_date(unmodified)
        if when is not None and modified > when:
            raise S3Error("PreconditionFailed", Condition=f"{prefix}If-Unmodified-Since")
    if if_none is not None:
        if etag_matches(if_none, info.etag):
            if prefix:
                raise S3Error("PreconditionFailed", Condition=f"{prefix}If-None-Match")
            return False
    elif since is not None:
        when = parse_http_date(since)
        if when is not None and modified <= when:
            if prefix:
                raise S3Error("PreconditionFailed", Condition=f"{prefix}If-Modified-Since")
            return False
    return True


def write_conditions(ctx: Context) -> tuple[bool, str | None]:
    """(If-None-Match: * given, If-Match value) of a conditional write; a write may only ask
    that no object exist, so If-None-Match with an ETag is not implemented."""
    if_none = ctx.header("if-none-match")
    if if_none is not None and if_none.strip() != "*":
        raise S3Error("NotImplemented", f"If-None-Match on {ctx.operation} accepts only '*'")
    return if_none is not None, ctx.header("if-match")
