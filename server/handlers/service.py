"""Service-level operations: ListBuckets and the health probes, with ListAllMyBucketsResult."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from cairn.engine.api import BucketConfig, BucketInfo

from ..context import Context, Response
from ..errors import S3Error
from ..iam.directory import canonical_id
from ..metadata import from_ns
from ..params import continuation_token, encode_token, max_buckets
from ..xml import XML_HEADER, document, esc, leaf, opt, owner_xml, timestamp

# Any of these makes a ListBuckets paginated: S3 then also names each bucket's region.
LIST_BUCKETS_PARAMETERS = ("max-buckets", "continuation-token", "prefix", "bucket-region")
BucketEntry = tuple[str, datetime, str | None]  # name, creation date, region (None: not shown)
C = TypeVar("C", bound=BucketConfig)


def owner(ctx: Context) -> tuple[str, str]:
    """The canonical owner (id, display name) of the request's bucket, and of its objects (as S3's
    BucketOwnerEnforced): the account that created it, the root user's for buckets made before
    owners were recorded."""
    account = ctx.config.root_user
    info = ctx.access.buckets.get(ctx.bucket) if ctx.access is not None and ctx.bucket_name else None
    if info is not None and info.owner:
        account = info.owner
    return canonical_id(account), account


async def request_bucket(ctx: Context) -> BucketInfo:
    """The request's bucket: as authorization loaded it, else read now (NoSuchBucket when there
    is none)."""
    info = ctx.access.buckets.get(ctx.bucket) if ctx.access is not None else None
    return info if info is not None else await ctx.run(ctx.layer.head_bucket, ctx.bucket)


async def configured(ctx: Context, kind: type[C], missing: S3Error) -> C:
    """The request's bucket's configuration of `kind`: what a Get<Configuration> answers; `missing`
    (its NoSuch... error) when the bucket has none."""
    config = (await request_bucket(ctx)).config(kind)
    if config is None:
        raise missing
    return config


def caller(ctx: Context) -> tuple[str, str]:
    """The canonical id and name of the account the request acts for."""
    account = ctx.principal.account if ctx.principal is not None else ctx.config.root_user
    return canonical_id(account), account


def list_buckets_xml(buckets: Sequence[BucketEntry], owner_id: str, owner_name: str, *,
                     continuation_token: str | None = None, prefix: str | None = None) -> bytes:
    """ListBuckets: Owner, Buckets/Bucket (Name, CreationDate, BucketRegion), ContinuationToken (the
    next page's, when there is one), Prefix (when the request gave one)."""
    items = "".join(f"<Bucket><Name>{esc(name)}</Name><CreationDate>{timestamp(created)}</CreationDate>"
                    f"{leaf('BucketRegion', None if region is None else esc(region))}</Bucket>"
                    for name, created, region in buckets)
    return document("ListAllMyBucketsResult",
                    f"{owner_xml('Owner', (owner_id, owner_name))}<Buckets>{items}</Buckets>"
                    f"{opt('ContinuationToken', continuation_token)}{opt('Prefix', prefix)}")


async def handle_list_buckets(ctx: Context) -> Response:
    """A page of at most max-buckets (10000 when not given) buckets, in name order, after the one
    the continuation token names.  S3 answers an account of up to 10000 buckets whole when no
    parameter is given (and refuses larger ones); here such a request gets the first 10000 and
    a continuation token, so that no answer is unbounded."""
    q = ctx.query
    limit, prefix, after = max_buckets(q), q.get("prefix", ""), continuation_token(q) or ""
    buckets, truncated = await ctx.run(ctx.layer.list_buckets, prefix, after, limit)
    buckets = visible_buckets(ctx, buckets)
    paginated = any(name in q for name in LIST_BUCKETS_PARAMETERS)
    wanted_region = q.get("bucket-region") or None
    entries: list[BucketEntry] = []
    for b in buckets:
        region = b.region or ctx.config.region
        if wanted_region in (None, region):
            entries.append((b.name, from_ns(b.created_ns), region if paginated else None))
    token = encode_token(buckets[-1].name) if truncated and buckets else None
    owner_id, owner_name = caller(ctx)
    body = list_buckets_xml(entries, owner_id, owner_name, continuation_token=token, prefix=prefix)
    return Response(200, [XML_HEADER], body)


def visible_buckets(ctx: Context, buckets: list[BucketInfo]) -> list[BucketInfo]:
    """Every bucket for a principal allowed s3:ListAllMyBuckets; otherwise, as MinIO, those it may
    s3:ListBucket, and AccessDenied when there are none."""
    access = ctx.access
    if access is None or access.allows("s3:ListAllMyBuckets"):
        return buckets
    for b in buckets:
        access.buckets[b.name] = b
    shown = [b for b in buckets if access.allows("s3:ListBucket", b.name)]
    if not shown:
        raise S3Error("AccessDenied")
    return shown


async def handle_health_live(ctx: Context) -> Response:
    return Response(200)


async def handle_health_ready(ctx: Context) -> Response:
    """Ready (and the cluster healthy) when every erasure set has a write quorum of drives online,
    as they are now: the drives are looked at again (a few stat calls), so a drive that went away
    turns this into a 503 at once."""
    health = await ctx.run(drive_health, ctx)
    for online, _, write_quorum in health:
        if online < write_quorum:
            return Response(503, [("x-minio-write-quorum", str(write_quorum))])
    return Response(200)


async def handle_health_cluster_read(ctx: Context) -> Response:
    """MinIO's /minio/health/cluster/read: every erasure set has a read quorum of drives online."""
    for online, read_quorum, _ in await ctx.run(drive_health, ctx):
        if online < read_quorum:
            return Response(503, [("x-minio-read-quorum", str(read_quorum))])
    return Response(200)


def drive_health(ctx: Context) -> list[tuple[int, int, int]]:
    ctx.layer.check_drives()
    return ctx.layer.set_health()
