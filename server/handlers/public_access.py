"""Public access and object ownership: Get/Put/DeletePublicAccessBlock and
Get/Put/DeleteBucketOwnershipControls with their documents, and `refuse_public_policy` for
PutBucketPolicy.

Theory of operation
-------------------
A bucket's PublicAccessBlockConfiguration holds four switches (engine PublicAccessBlockConfig),
each false when absent from the document.  Where each one acts:

- BlockPublicAcls: a PutBucketAcl, PutObjectAcl, PutObject, CopyObject or CreateMultipartUpload
  asking for a public ACL is AccessDenied (server/acl.checked_acl).  CreateBucket is not
  concerned: a bucket has no configuration before it exists (S3's account-level block has no
  equivalent here).
- IgnorePublicAcls: grants to AllUsers and AuthenticatedUsers count for nothing when requests
  are authorized (authorization.py), on the bucket and on its objects.
- BlockPublicPolicy: PutBucketPolicy of a public policy (iam/evaluate.is_public) is AccessDenied
  (`refuse_public_policy`, called by handlers/policy.py).
- RestrictPublicBuckets: with a public bucket policy, only principals of this deployment get
  access through it (authorization.py).

OwnershipControls/Rule/ObjectOwnership is BucketOwnerEnforced (ACLs disabled), BucketOwnerPreferred
or ObjectWriter; objects always belong to the bucket's owner here, so only BucketOwnerEnforced
changes anything (server/acl.py).  A bucket without the configuration takes ACLs, as S3 buckets
made before April 2023 do: S3's newer default (ACLs disabled) would refuse every client that
still sends x-amz-acl.  Enforcing it on a bucket whose ACL grants anyone but the owner is
InvalidBucketAclWithObjectOwnership, as in S3.
"""

from __future__ import annotations

from cairn.engine.api import AclConfig, BucketInfo, OwnershipControlsConfig, PublicAccessBlockConfig

from ..acl import BUCKET_OWNER_ENFORCED, grants_of, owner_only
from ..body import read_body
from ..context import Context, Response
from ..errors import S3Error
from ..iam.evaluate import is_public
from ..iam.policy import Policy
from ..xml import (
    XML_HEADER,
    XMLError,
    bool_xml,
    document,
    esc,
    expect_root,
    fields,
    only,
    parse_bool,
    parse_xml,
)
from .acl import OBJECT_OWNERSHIPS
from .service import configured, owner, request_bucket

# Element name -> PublicAccessBlockConfig field, in S3's order.
SWITCHES = (("BlockPublicAcls", "block_public_acls"), ("IgnorePublicAcls", "ignore_public_acls"),
            ("BlockPublicPolicy", "block_public_policy"),
            ("RestrictPublicBuckets", "restrict_public_buckets"))
NO_PUBLIC_ACCESS_BLOCK = "The public access block configuration was not found"
NO_OWNERSHIP_CONTROLS = "The bucket ownership controls were not found"
MAX_BODY = 16 << 10


def parse_public_access_block(body: bytes) -> PublicAccessBlockConfig:
    root = parse_xml(body, MAX_BODY, max_elements=64)
    expect_root(root, "PublicAccessBlockConfiguration")
    values = fields(root)
    names = dict(SWITCHES)
    if any(name not in names for name in values):
        raise XMLError("MalformedXML")
    return PublicAccessBlockConfig(**{names[name]: parse_bool(text) for name, text in values.items()})


def public_access_block_xml(config: PublicAccessBlockConfig) -> bytes:
    body = "".join(f"<{name}>{bool_xml(getattr(config, attr))}</{name}>" for name, attr in SWITCHES)
    return document("PublicAccessBlockConfiguration", body)


def parse_ownership_controls(body: bytes) -> str:
    """The ObjectOwnership of `<OwnershipControls><Rule><ObjectOwnership>`; exactly one Rule and
    a known value, else MalformedXML."""
    root = parse_xml(body, MAX_BODY, max_elements=64)
    expect_root(root, "OwnershipControls")
    rules = [child for child in root if child.tag == "Rule"]
    if len(rules) != 1 or len(rules) != len(root):
        raise XMLError("MalformedXML")
    value = only(rules[0], "ObjectOwnership") if len(rules[0]) == 1 else None
    if value is None or (value.text or "").strip() not in OBJECT_OWNERSHIPS:
        raise XMLError("MalformedXML")
    return (value.text or "").strip()


def ownership_controls_xml(object_ownership: str) -> bytes:
    return document("OwnershipControls", f"<Rule><ObjectOwnership>{esc(object_ownership)}</ObjectOwnership>"
                                         "</Rule>")


async def handle_get_public_access_block(ctx: Context) -> Response:
    config = await configured(ctx, PublicAccessBlockConfig, S3Error(
        "NoSuchPublicAccessBlockConfiguration", NO_PUBLIC_ACCESS_BLOCK, 404, BucketName=ctx.bucket))
    return Response(200, [XML_HEADER], public_access_block_xml(config))


async def handle_put_public_access_block(ctx: Context) -> Response:
    config = parse_public_access_block(await read_body(ctx, MAX_BODY))
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


async def handle_delete_public_access_block(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, PublicAccessBlockConfig)
    return Response(204)


async def handle_get_bucket_ownership_controls(ctx: Context) -> Response:
    config = await configured(ctx, OwnershipControlsConfig, S3Error(
        "OwnershipControlsNotFoundError", NO_OWNERSHIP_CONTROLS, 404, BucketName=ctx.bucket))
    return Response(200, [XML_HEADER], ownership_controls_xml(config.object_ownership))


async def handle_put_bucket_ownership_controls(ctx: Context) -> Response:
    value = parse_ownership_controls(await read_body(ctx, MAX_BODY))
    info = await request_bucket(ctx)
    acl = info.config(AclConfig)
    owner_id = owner(ctx)[0]
    if (value == BUCKET_OWNER_ENFORCED and acl is not None and acl.document is not None
            and not owner_only(grants_of(acl.document, owner_id), owner_id)):
        raise S3Error("InvalidBucketAclWithObjectOwnership")
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, OwnershipControlsConfig(value))
    return Response(200)


async def handle_delete_bucket_ownership_controls(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, OwnershipControlsConfig)
    return Response(204)


def refuse_public_policy(ctx: Context, info: BucketInfo, policy: Policy) -> None:
    """PutBucketPolicy under BlockPublicPolicy: a public policy is AccessDenied (S3: "PUT Bucket
    policy calls fail if the specified bucket policy allows public access")."""
    config = info.config(PublicAccessBlockConfig)
    if config is not None and config.block_public_policy and is_public(policy):
        raise S3Error("AccessDenied")
