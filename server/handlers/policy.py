"""Bucket policies: Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus.

The document is checked (iam/policy.py: grammar, actions, condition keys, resources inside
this bucket) and stored exactly as sent, so GetBucketPolicy returns it byte for byte, as S3
does.  `mc anonymous set download|upload|public|none` is this API (none deletes the policy).
"""

from __future__ import annotations

from cairn.engine.api import PolicyConfig

from ..body import read_body
from ..context import Context, Response
from ..errors import S3Error
from ..iam.evaluate import is_public
from ..iam.policy import MalformedPolicy, parse_policy
from ..xml import XML_HEADER, document
from .public_access import refuse_public_policy
from .service import configured, request_bucket

MAX_POLICY_BYTES = 20 * 1024  # S3's limit for a bucket policy


async def handle_put_bucket_policy(ctx: Context) -> Response:
    too_large = S3Error("MalformedPolicy", "Policies must be less than 20KB")
    body = await read_body(ctx, MAX_POLICY_BYTES, too_large)
    try:
        text = body.decode()
        policy = parse_policy(text, "bucket", ctx.bucket, MAX_POLICY_BYTES)
    except (UnicodeDecodeError, MalformedPolicy) as exc:
        raise S3Error("MalformedPolicy", str(exc) if isinstance(exc, MalformedPolicy) else
                      "Policies must be valid JSON and the first byte must be '{'") from exc
    refuse_public_policy(ctx, await request_bucket(ctx), policy)
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, PolicyConfig(text))
    return Response(204)


async def stored_policy(ctx: Context) -> str:
    config = await configured(ctx, PolicyConfig, S3Error("NoSuchBucketPolicy", BucketName=ctx.bucket))
    return config.document


async def handle_get_bucket_policy(ctx: Context) -> Response:
    return Response(200, [("Content-Type", "application/json")], (await stored_policy(ctx)).encode())


async def handle_delete_bucket_policy(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, PolicyConfig)
    return Response(204)


async def handle_get_bucket_policy_status(ctx: Context) -> Response:
    policy = ctx.directory.parsed(await stored_policy(ctx), "bucket", ctx.bucket)
    public = policy is not None and is_public(policy)
    body = document("PolicyStatus", f"<IsPublic>{str(public).lower()}</IsPublic>")
    return Response(200, [XML_HEADER], body)
