"""Authorization: may this principal do this operation on this resource?  One step of the pipeline
(app.py), between authentication and the handler, and one decision for every kind of policy.

Theory of operation
-------------------
The decision is AWS's (https://docs.aws.amazon.com/IAM/latest/UserGuide/
reference_policies_evaluation-logic.html), for one account per deployment:

1. an explicit Deny in any applicable policy (the principal's identity and group policies,
   its session policies, the bucket policy) refuses;
2. the root user is then allowed (MinIO's and AWS's account root);
3. otherwise the request is allowed if an identity policy allows it, or the bucket policy
   allows it for this principal (or for everyone), or an ACL grant does (server/acl.py): the
   bucket owner keeps FULL_CONTROL over the bucket and its objects (objects are the bucket
   owner's here); others get what the bucket's ACL grants (bucket actions, PutObject and
   DeleteObject), then what the object's own ACL grants (GetObject, *ObjectAcl): that one
   is read (`allows_async`) only when nothing else allowed the request, and a missing object
   is refused like any other (an anonymous caller never learns whether it exists).  With
   OwnershipControls BucketOwnerEnforced only the owner's grant counts; with PublicAccessBlock
   IgnorePublicAcls grants to AllUsers and AuthenticatedUsers count for nothing;
4. and a principal with session policies (a service account's, a session's) must also be
   allowed by each of them: they narrow, never widen.

Each operation maps to its IAM action in one table (iam/actions.py), with the *Version
variant when the request names a version.  The condition keys of the request (aws:SourceIp,
s3:prefix, s3:x-amz-acl, ...) are gathered once per request (`request_context`).  An
operation on a bucket that does not exist is let through (the handler answers NoSuchBucket,
as S3 does for anyone); CreateBucket is decided on identity policies alone.  Health probes,
CORS preflights, POST uploads (authorized by their form's policy), STS, the admin API
(which checks admin actions itself), ListBuckets (which shows a principal without
s3:ListAllMyBuckets the buckets it may list, as MinIO) and the website endpoint (which asks
`allows_read` of each object it would serve) are not decided here.

The root user without a bucket policy costs one dictionary lookup; anything else a few
policy evaluations, each a handful of precompiled pattern matches.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from cairn.engine.api import (
    AclConfig,
    BucketInfo,
    ObjectInfo,
    ObjectOptions,
    PolicyConfig,
    PublicAccessBlockConfig,
)
from cairn.engine.errors import (
    BucketNotFound,
    EngineError,
    InvalidObjectName,
    InvalidVersionId,
    NoSuchVersion,
    ObjectNotFound,
    VersionIsDeleteMarker,
)

from .acl import BUCKET_ACL_ACTIONS, OBJECT_ACL_ACTIONS, acls_disabled, ignores_public_acls, permits
from .context import Context, Identity
from .errors import S3Error, from_engine
from .iam.actions import OPERATION_ACTIONS, action_for
from .iam.directory import Principal, PrincipalError, canonical_id
from .iam.evaluate import AccessRequest, evaluate, is_public
from .iam.policy import Policy
from .params import copy_source
from .website import WEBSITE

# Operations the pipeline does not decide (see the module docstring).
SELF_AUTHORIZED = frozenset({"HealthLive", "HealthReady", "HealthCluster", "HealthClusterRead",
                             "OptionsObject", "PostObject", "AssumeRole", "AdminApi", "CairnApi",
                             "ListBuckets", WEBSITE,
                             "MetricsCluster", "MetricsNode", "MetricsBucket"})  # bearer: handlers/metrics.py
PER_KEY = frozenset({"DeleteObjects"})  # decided by the handler for each key it names
NEEDS_SIGNATURE = frozenset({"AssumeRole", "AdminApi", "CairnApi", "ListBuckets"})
# What the bucket owner's FULL_CONTROL covers: every ACL permission over the bucket and its
# objects, and (AWS: WRITE granted to the bucket owner) s3:DeleteObjectVersion.
OWNER_ACL_ACTIONS = frozenset({*BUCKET_ACL_ACTIONS, *OBJECT_ACL_ACTIONS, "s3:DeleteObjectVersion"})
_NO_OBJECT = (ObjectNotFound, NoSuchVersion, InvalidVersionId, VersionIsDeleteMarker, InvalidObjectName,
              BucketNotFound)
Context_ = Mapping[str, Sequence[str]]


EXISTING_TAG = "s3:existingobjecttag/"
_MENTIONS_TAGS: dict[str, bool] = {}


def mentions_existing_tags(policy: Policy) -> bool:
    """Whether a condition of the policy reads s3:ExistingObjectTag/<key> (kept per document)."""
    hit = _MENTIONS_TAGS.get(policy.raw)
    if hit is None:
        if len(_MENTIONS_TAGS) > 10_000:
            _MENTIONS_TAGS.clear()
        hit = _MENTIONS_TAGS[policy.raw] = any(
            c.key.startswith(EXISTING_TAG) for st in policy.statements for c in st.conditions)
    return hit


def resource_arn(bucket: str | None, key: str | None) -> str:
    if bucket is None:
        return "arn:aws:s3:::"
    return f"arn:aws:s3:::{bucket}" if key is None else f"arn:aws:s3:::{bucket}/{key}"


def action_of(ctx: Context) -> str | None:
    """The IAM action the request's operation checks (None: it has none)."""
    if ctx.operation not in OPERATION_ACTIONS:
        return None
    return action_for(ctx.operation, "versionId" in ctx.query)


class Access:
    """One request's authorizer: bound to its principal and condition keys, asked by the
    pipeline and by handlers that need more than one decision (DeleteObjects per key, a copy's
    source, ListBuckets per bucket, the admin API's actions)."""

    def __init__(self, ctx: Context, principal: Principal) -> None:
        self.ctx = ctx
        self.principal = principal
        self.buckets: dict[str, BucketInfo | None] = {}
        self.objects: dict[tuple[str, str, str | None], ObjectInfo | None] = {}

    @functools.cached_property
    def context(self) -> dict[str, list[str]]:
        """The request's condition keys, gathered at the first decision that needs them (the
        root user's requests on a bucket without a policy never do)."""
        return request_context(self.ctx, self.principal)

    async def load(self, bucket: str) -> BucketInfo | None:
        """The bucket's record, for decisions about it (read once per request)."""
        if bucket not in self.buckets:
            info = self.ctx.layer.cached_bucket(bucket)
            if info is None:
                info = await self.ctx.run(self.ctx.layer.lookup_bucket, bucket)
            self.buckets[bucket] = info
        return self.buckets[bucket]

    def bucket_policy(self, bucket: str | None) -> Policy | None:
        info = self.buckets.get(bucket) if bucket is not None else None
        config = info.config(PolicyConfig) if info is not None else None
        if config is None:
            return None
        return self.ctx.directory.parsed(config.document, "bucket", bucket)

    def allows(self, action: str, bucket: str | None = None, key: str | None = None,
               extra: Context_ | None = None) -> bool:
        """The decision for `action` on the bucket (load()ed first) or object; `extra` condition
        keys join the request's.  An object's own ACL is not read here: see allows_async."""
        verdict = self._policy_verdict(action, bucket, key, extra)
        return verdict if verdict is not None else self._acl_grant(action, bucket)

    async def allows_async(self, action: str, bucket: str | None = None, key: str | None = None,
                           extra: Context_ | None = None, version_id: str | None = None) -> bool:
        """allows(), then the ACL of the object (of `version_id`) when nothing else decided."""
        verdict = self._policy_verdict(action, bucket, key, extra)
        if verdict is not None:
            return verdict
        if self._acl_grant(action, bucket):
            return True
        info = self.buckets.get(bucket) if bucket is not None else None
        permission = OBJECT_ACL_ACTIONS.get(action)
        if info is None or bucket is None or key is None or permission is None or acls_disabled(info):
            return False
        obj = await self.load_object(bucket, key, version_id)
        if obj is None:
            return False
        owner_id, caller = self._acl_parties(info)
        return permits(obj.acl, owner_id, caller, permission, ignores_public_acls(info))

    async def load_object(self, bucket: str, key: str, version_id: str | None) -> ObjectInfo | None:
        """The object version a decision needs (its ACL, its tags), read once per request; None
        when there is none."""
        slot = (bucket, key, version_id)
        if slot not in self.objects:
            try:
                opts = ObjectOptions(version_id=version_id)
                self.objects[slot] = await self.ctx.run(self.ctx.layer.head_object, bucket, key, opts)
            except _NO_OBJECT:
                self.objects[slot] = None
            except EngineError as exc:
                raise from_engine(exc) from exc
        return self.objects[slot]

    async def add_existing_tags(self, bucket: str, key: str, version_id: str | None) -> None:
        """s3:ExistingObjectTag/<key>: the object's tags join the condition keys, read only when
        a policy that applies here names them (a missing object has none)."""
        tags = await self.existing_tags(bucket, key, version_id)
        if tags:
            self.context.update(tags)

    async def existing_tags(self, bucket: str, key: str, version_id: str | None) -> dict[str, list[str]]:
        """The s3:ExistingObjectTag/<key> condition keys of an object: read only when a policy that
        applies here names them (none otherwise, and none for a missing object)."""
        policies = (*self.principal.policies, *self.principal.sessions, self.bucket_policy(bucket))
        if not any(p is not None and mentions_existing_tags(p) for p in policies):
            return {}
        obj = await self.load_object(bucket, key, version_id)
        if obj is None:
            return {}
        return {f"{EXISTING_TAG}{k.lower()}": [v] for k, v in obj.tags.items()}

    async def allows_read(self, bucket: str, key: str) -> bool:
        """s3:GetObject of the latest version of one object (load()ed bucket), its tags as
        condition keys when a policy names them: the website endpoint asks this of each object it
        would serve, so its answer is the REST endpoint's for the same principal."""
        extra = await self.existing_tags(bucket, key, None)
        return await self.allows_async("s3:GetObject", bucket, key, extra=extra)

    def _policy_verdict(self, action: str, bucket: str | None, key: str | None,
                        extra: Context_ | None) -> bool | None:
        """What the policies decide (steps 1, 2, 3 but the ACLs, and 4); None: they leave it to
        the ACLs."""
        principal = self.principal
        policy = self.bucket_policy(bucket)
        if principal.kind == "root" and policy is None:
            return True
        context = self.context if not extra else {**self.context, **extra}
        request = AccessRequest(action, resource_arn(bucket, key), principal.caller, context)
        if policy is not None and (bucket_says := evaluate(policy, request)) == "Deny":
            return False
        identity = [evaluate(p, request) for p in principal.policies]
        sessions = [evaluate(p, request) for p in principal.sessions]
        if "Deny" in identity or "Deny" in sessions:
            return False
        if principal.sessions and any(v != "Allow" for v in sessions):
            return False
        if principal.is_root_account:
            return True
        if "Allow" in identity or (policy is not None and bucket_says == "Allow"
                                   and not self._restricted(bucket, policy)):
            return True
        return None

    def _restricted(self, bucket: str | None, policy: Policy) -> bool:
        """RestrictPublicBuckets: a public bucket policy's grants count only for principals of
        this deployment, not for anonymous callers (its Deny statements still apply)."""
        if self.principal.kind != "anonymous" or bucket is None:
            return False
        info = self.buckets.get(bucket)
        block = info.config(PublicAccessBlockConfig) if info is not None else None
        return block is not None and block.restrict_public_buckets and is_public(policy)

    def _acl_parties(self, info: BucketInfo) -> tuple[str, str | None]:
        """(the owner's canonical id, the caller's; None for an anonymous caller)."""
        owner_id = canonical_id(info.owner or self.ctx.directory.root_user)
        return owner_id, None if self.principal.kind == "anonymous" else self.principal.canonical_id

    def _acl_grant(self, action: str, bucket: str | None) -> bool:
        """What the owner's FULL_CONTROL and the bucket's ACL grant (not an object's own ACL)."""
        info = self.buckets.get(bucket) if bucket is not None else None
        if info is None or action not in OWNER_ACL_ACTIONS:
            return False
        owner_id, caller = self._acl_parties(info)
        if caller == owner_id:
            return True
        permission = BUCKET_ACL_ACTIONS.get(action)
        if permission is None or acls_disabled(info):
            return False
        config = info.config(AclConfig)
        acl = config.document if config is not None else None
        return permits(acl, owner_id, caller, permission, ignores_public_acls(info))

    def denies(self, action: str, bucket: str | None = None, key: str | None = None) -> bool:
        """Whether an identity or session policy explicitly denies `action` (MinIO's self-service
        rule for the admin API: a user may act on its own account unless denied)."""
        request = AccessRequest(action, resource_arn(bucket, key), self.principal.caller, self.context)
        policies = (*self.principal.policies, *self.principal.sessions)
        return any(evaluate(p, request) == "Deny" for p in policies)

    def require(self, action: str, bucket: str | None = None, key: str | None = None,
                extra: Context_ | None = None) -> None:
        if not self.allows(action, bucket, key, extra):
            raise S3Error("AccessDenied")

    async def require_async(self, action: str, bucket: str | None = None, key: str | None = None,
                            extra: Context_ | None = None, version_id: str | None = None) -> None:
        if not await self.allows_async(action, bucket, key, extra, version_id):
            raise S3Error("AccessDenied")


def bind(ctx: Context, identity: Identity) -> Access:
    """Resolve who signed (a bad or expired session token, a key gone since: refused) and set
    ctx.principal and ctx.access for every later decision of the request."""
    try:
        principal = ctx.directory.principal(identity)
    except PrincipalError as exc:
        raise S3Error(exc.code, exc.message, 400 if "Token" in exc.code else 403) from exc
    ctx.principal = principal
    ctx.access = Access(ctx, principal)
    return ctx.access


async def authorize(ctx: Context) -> None:
    """The pipeline's step: sets ctx.principal and ctx.access, or raises AccessDenied (or the
    refusal of a bad session token)."""
    access = bind(ctx, ctx.identity)
    principal = access.principal
    if ctx.operation in SELF_AUTHORIZED:
        if ctx.operation in NEEDS_SIGNATURE and principal.kind == "anonymous":
            raise S3Error("AccessDenied")
        return
    action = action_of(ctx)
    if action is None:  # an operation with no IAM action: not implemented; only root gets the 501
        if principal.kind != "root":
            raise S3Error("AccessDenied")
        return
    bucket = ctx.bucket_name
    if bucket is not None and await access.load(bucket) is None and ctx.operation != "CreateBucket":
        return  # the handler answers NoSuchBucket
    if ctx.operation in PER_KEY:
        return  # the handler asks for each key
    key = ctx.key_name if ctx.key_name and ctx.operation not in _BUCKET_LEVEL else None
    version_id = ctx.query.get("versionId") or None
    if bucket is not None and key is not None and not (principal.kind == "root"
                                                       and access.bucket_policy(bucket) is None):
        await access.add_existing_tags(bucket, key, version_id)
    await access.require_async(action, bucket, key, version_id=version_id)
    if ctx.operation in ("CopyObject", "UploadPartCopy"):
        src_bucket, src_key, version = copy_source(ctx.header("x-amz-copy-source"))
        await access.load(src_bucket)
        src_action = "s3:GetObjectVersion" if version else "s3:GetObject"
        await access.require_async(src_action, src_bucket, src_key, version_id=version)


_BUCKET_LEVEL = frozenset({"ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads",
                           "DeleteObjects", "CreateBucket", "DeleteBucket", "HeadBucket"})


# Request headers that are condition keys, by header name: one pass over the headers sent.
HEADER_KEYS = {
    "referer": "aws:referer", "user-agent": "aws:useragent",
    **{name: f"s3:{name}" for name in (
        "x-amz-acl", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-copy-source", "x-amz-metadata-directive", "x-amz-content-sha256", "x-amz-storage-class",
        "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
        "x-amz-grant-full-control", "x-amz-website-redirect-location")},
    "x-amz-object-lock-mode": "s3:object-lock-mode",
    "x-amz-object-lock-retain-until-date": "s3:object-lock-retain-until-date",
    "x-amz-object-lock-legal-hold": "s3:object-lock-legal-hold",
}
QUERY_KEYS = {"prefix": "s3:prefix", "delimiter": "s3:delimiter", "max-keys": "s3:max-keys",
              "versionId": "s3:versionid"}


@functools.lru_cache(maxsize=4)
def _clock(second: int) -> tuple[list[str], list[str]]:
    """aws:CurrentTime and aws:EpochTime of a second (formatted once per second)."""
    return [datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")], [str(second)]


def request_context(ctx: Context, principal: Principal) -> dict[str, list[str]]:
    """The condition keys of the request (lower-cased names), as AWS fills them."""
    caller = principal.caller
    current, epoch = _clock(int(time.time()))
    out: dict[str, list[str]] = {"aws:currenttime": current, "aws:epochtime": epoch,
                                 "aws:securetransport": ["false"],
                                 "aws:principaltype": [caller.principal_type]}
    if ctx.source_ip:
        out["aws:sourceip"] = [ctx.source_ip]
    if principal.kind != "anonymous":
        out["aws:username"] = [caller.username]
        out["aws:userid"] = [caller.userid]
    for name, value in ctx.request.headers:
        key = HEADER_KEYS.get(name)
        if key is not None:
            out.setdefault(key, [value])
        elif name == "x-amz-tagging":
            tags = parse_qsl(value, keep_blank_values=True)
            for k, v in tags:
                out[f"s3:requestobjecttag/{k.lower()}"] = [v]
            out["s3:requestobjecttagkeys"] = [k for k, _ in tags]
    q = ctx.query
    for name, key in QUERY_KEYS.items():
        if name in q:
            out[key] = [q[name]]
    method = ctx.identity.method
    out["s3:authtype"] = ["REST-QUERY-STRING" if method.endswith("query") else "REST-HEADER"]
    if method != "anonymous":
        out["s3:signatureversion"] = ["AWS" if method.startswith("v2") else "AWS4-HMAC-SHA256"]
    return out
