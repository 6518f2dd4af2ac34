"""Bucket operations: CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, with
CreateBucketConfiguration and LocationConstraint."""

from __future__ import annotations

from ..body import read_body
from ..context import Context, Response
from ..xml import DECLARATION, NAMESPACE, XML_HEADER, document, esc, expect_root, parse_xml, text
from .acl import create_bucket_configs
from .service import request_bucket


def location_xml(region: str) -> bytes:
    """GetBucketLocation: S3 answers us-east-1 (the classic region) with an empty element."""
    if region in ("", "us-east-1"):
        return f'{DECLARATION}<LocationConstraint xmlns="{NAMESPACE}"/>'.encode()
    return document("LocationConstraint", esc(region))


def parse_create_bucket(body: bytes) -> str | None:
    """CreateBucket's `<CreateBucketConfiguration>`: its LocationConstraint, None when the body is
    empty or names none."""
    if not body.strip():
        return None
    root = parse_xml(body)
    expect_root(root, "CreateBucketConfiguration")
    location = text(root, "LocationConstraint")
    return (location.strip() or None) if location is not None else None


def region_of(ctx: Context, region: str) -> str:
    return region or ctx.config.region


async def handle_create_bucket(ctx: Context) -> Response:
    location = parse_create_bucket(await read_body(ctx))
    region = location if location and location != ctx.config.region else ""
    lock = (ctx.header("x-amz-bucket-object-lock-enabled") or "").lower() == "true"
    principal = ctx.principal
    owner = "" if principal is None or principal.is_root_account else principal.account
    await ctx.run(ctx.layer.create_bucket, ctx.bucket, region, lock, owner, create_bucket_configs(ctx))
    return Response(200, [("Location", f"/{ctx.bucket}")])


async def handle_head_bucket(ctx: Context) -> Response:
    info = await request_bucket(ctx)
    return Response(200, [("x-amz-bucket-region", region_of(ctx, info.region))])


async def handle_delete_bucket(ctx: Context) -> Response:
    """DeleteBucket; MinIO's `x-minio-force-delete: true` (mc rb --force) empties it first, except
    a bucket with object lock (refused, AccessDenied: locked versions outlive any shortcut)."""
    force = (ctx.header("x-minio-force-delete") or "").lower() == "true"
    await ctx.run(ctx.layer.delete_bucket, ctx.bucket, force)
    return Response(204)


async def handle_get_bucket_location(ctx: Context) -> Response:
    info = await request_bucket(ctx)
    return Response(200, [XML_HEADER], location_xml(region_of(ctx, info.region)))
