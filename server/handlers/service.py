"""Service-level operations: ListBuckets and the health probes, with ListAllMyBucketsResult."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from ..context import Context, Response
from ..metadata import from_ns
from ..xml import XML_HEADER, document, esc, owner_xml, timestamp


def owner(ctx: Context) -> tuple[str, str]:
    """The canonical owner (id, display name): single-tenant, the root user owns everything."""
    user = ctx.config.root_user
    return hashlib.sha256(user.encode()).hexdigest(), user


def list_buckets_xml(buckets: Sequence[tuple[str, datetime]], owner_id: str, owner_name: str) -> bytes:
    """ListBuckets: Owner, then Buckets/Bucket (Name, CreationDate)."""
    items = "".join(f"<Bucket><Name>{esc(name)}</Name><CreationDate>{timestamp(created)}"
                    f"</CreationDate></Bucket>" for name, created in buckets)
    return document("ListAllMyBucketsResult",
                    f"{owner_xml('Owner', (owner_id, owner_name))}<Buckets>{items}</Buckets>")


async def handle_list_buckets(ctx: Context) -> Response:
    buckets, _ = await ctx.run(ctx.layer.list_buckets, "", "", None)
    owner_id, owner_name = owner(ctx)
    entries = [(b.name, from_ns(b.created_ns)) for b in buckets]
    return Response(200, [XML_HEADER], list_buckets_xml(entries, owner_id, owner_name))


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
