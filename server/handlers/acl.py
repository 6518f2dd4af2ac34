"""ACLs: GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl, and the ACL headers of
CreateBucket (the model, its headers and its document are server/acl.py's).

Ownership: in Cairn every object is owned by its bucket's owner -- the account that created
the bucket (handlers/service.owner(): its canonical id and display name) -- whoever wrote it,
as under S3's BucketOwnerEnforced.  So the Owner of every ACL shown is the bucket's owner, the
owner keeps FULL_CONTROL of the bucket and of every object in it whatever the ACLs say, and
bucket-owner-read and bucket-owner-full-control amount to private.

A Put*Acl takes its ACL from exactly one of x-amz-acl, the x-amz-grant-* headers or the
AccessControlPolicy body: a canned ACL with grant headers is InvalidRequest, a body with either
is UnexpectedContent, none of them MissingSecurityHeader (what S3 answers).  With ACLs disabled
(OwnershipControls BucketOwnerEnforced) Get*Acl show the owner's FULL_CONTROL alone, whatever
was stored before; Put*Acl accept only bucket-owner-full-control or its equivalent and change
nothing (AccessControlListNotSupported otherwise).
"""

from __future__ import annotations

from typing import Any

from cairn.engine.api import AclConfig, BucketConfig, BucketInfo, OwnershipControlsConfig

from ..acl import (
    BUCKET_OWNER_ENFORCED,
    MAX_ACL_BODY,
    access_control_policy_xml,
    acl_from_headers,
    acls_disabled,
    checked_acl,
    grants_of,
    header_grants,
    parse_access_control_policy,
)
from ..body import read_body
from ..checksum_headers import sent_checksums, verify_body_digest
from ..context import Context, Response
from ..errors import S3Error
from ..params import version_options
from ..xml import XML_HEADER
from .service import caller, owner, request_bucket

OBJECT_OWNERSHIPS = frozenset({BUCKET_OWNER_ENFORCED, "BucketOwnerPreferred", "ObjectWriter"})


def acl_response(ctx: Context, info: BucketInfo, acl: Any) -> Response:
    owner_id, owner_name = owner(ctx)
    grants = grants_of(None if acls_disabled(info) else acl, owner_id)
    return Response(200, [XML_HEADER], access_control_policy_xml(owner_id, owner_name, grants))


async def requested_acl(ctx: Context, info: BucketInfo) -> Any | None:
    """The ACL a Put*Acl asks for (see the module docstring): the document to store, None for
    the default."""
    owner_id = owner(ctx)[0]
    body = await read_body(ctx, MAX_ACL_BODY)
    if sent_checksums({**ctx.trailers, **ctx.request.header_map}):  # else nothing asks for one
        verify_body_digest(ctx, body)
    resolve = ctx.directory.account_named
    from_headers = header_grants(ctx, owner_id, resolve)
    if body.strip():
        if from_headers is not None:
            raise S3Error("UnexpectedContent")
        return checked_acl(info, None, parse_access_control_policy(body, owner_id, resolve), owner_id)
    if from_headers is None:
        raise S3Error("MissingSecurityHeader", MissingHeaderName="x-amz-acl")
    return checked_acl(info, *from_headers, owner_id)


async def handle_get_bucket_acl(ctx: Context) -> Response:
    info = await request_bucket(ctx)
    config = info.config(AclConfig)
    return acl_response(ctx, info, config.document if config is not None else None)


async def handle_put_bucket_acl(ctx: Context) -> Response:
    info = await request_bucket(ctx)
    acl = await requested_acl(ctx, info)
    if acl is None:
        await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, AclConfig)
    else:
        await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, AclConfig(acl))
    return Response(200)


async def handle_get_object_acl(ctx: Context) -> Response:
    info = await request_bucket(ctx)
    obj = await ctx.run(ctx.layer.head_object, ctx.bucket, ctx.key, version_options(ctx.query))
    return acl_response(ctx, info, obj.acl)


async def handle_put_object_acl(ctx: Context) -> Response:
    """The ACL of the version named (or the latest) replaced; the version is not rewritten."""
    opts = version_options(ctx.query)
    acl = await requested_acl(ctx, await request_bucket(ctx))
    await ctx.run(ctx.layer.put_object_acl, ctx.bucket, ctx.key, acl, opts)
    return Response(200)


def create_bucket_configs(ctx: Context) -> list[BucketConfig]:
    """CreateBucket's x-amz-object-ownership and ACL headers as the new bucket's configurations.
    BucketOwnerEnforced with an ACL granting anyone but the owner is
    InvalidBucketAclWithObjectOwnership (S3's answer)."""
    configs: list[BucketConfig] = []
    ownership = ctx.header("x-amz-object-ownership")
    if ownership is not None:
        if ownership not in OBJECT_OWNERSHIPS:
            raise S3Error("InvalidArgument", "Invalid x-amz-object-ownership header",
                          ArgumentName="x-amz-object-ownership", ArgumentValue=ownership)
        configs.append(OwnershipControlsConfig(ownership))
    acl = acl_from_headers(ctx, caller(ctx)[0])
    if acl is not None:
        if ownership == BUCKET_OWNER_ENFORCED:
            raise S3Error("InvalidBucketAclWithObjectOwnership")
        configs.append(AclConfig(acl))
    return configs
