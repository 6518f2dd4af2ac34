"""Service-level operations: ListBuckets and the health probes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from .. import s3xml
from ..app import Context, Response

XML = ("Content-Type", "application/xml")


def owner(ctx: Context) -> tuple[str, str]:
    """The canonical owner (id, display name): single-tenant, the root user owns everything."""
    user = ctx.app.config.root_user
    return hashlib.sha256(user.encode()).hexdigest(), user


async def handle_list_buckets(ctx: Context) -> Response:
    buckets = await ctx.run(ctx.layer.list_buckets)
    owner_id, owner_name = owner(ctx)
    entries = [(b.name, datetime.fromtimestamp(b.created_ns / 1e9, UTC)) for b in buckets]
    return Response(200, [XML], s3xml.list_buckets_xml(entries, owner_id, owner_name))


async def handle_health_live(ctx: Context) -> Response:
    return Response(200)


async def handle_health_ready(ctx: Context) -> Response:
    """Ready when every erasure set has enough drives online to serve reads and writes."""
    for meta in ctx.layer.metas:
        online = sum(1 for store in meta.stores if store is not None)
        if online < meta.write_quorum:
            return Response(503, [("x-minio-write-quorum", str(meta.write_quorum))])
    return Response(200)
