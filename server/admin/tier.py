"""Remote tiers for lifecycle transitions, as MinIO's admin API serves them (cmd/tier-handlers.go,
madmin-go tier.go): `mc admin tier add|ls|info|edit|verify|rm` (also `mc ilm tier ...`).

- PUT tier[?force=true]: add (body: madmin.EncryptData'd TierConfig JSON, {"Version": "v1",
  "Type": "s3"|"minio", "Name": ..., "S3"|"MinIO": {Endpoint, AccessKey, SecretKey, Bucket,
  Prefix, Region}}); 204.  The name must be uppercase and not STANDARD or RRS; the tier's bucket
  must answer a listing with these credentials, and hold nothing under the prefix unless forced
  (MinIO's "in use" check).
- GET tier: list, as MinIO's ListTiers: every secret replaced by "REDACTED".
- GET tier/NAME: verify (the listing again); 204.
- POST tier/NAME: edit the credentials (body: encrypted TierCreds {"access", "secret"}); 204.
- DELETE tier/NAME[?force=true]: remove; 204.  Refused while versions of this deployment live in
  the tier (its journal names objects there) or while the tier's prefix holds anything (MinIO's
  check), unless forced: then transitioned versions of that tier can no longer be read (their
  GET fails with a 5xx error naming the missing tier) and their remote objects are left there.
- GET tier-stats: MinIO's TierInfo list (Name, Type, Stats: totalSize, numVersions, numObjects),
  counted from the journal.

Configurations are identity records of kind "tier" (engine/tiers.py), so every worker and a
restart see them, like server/settings.py's.
"""

from __future__ import annotations

from typing import Any

from cairn.engine.tier_client import TierClient, TierUnavailable
from cairn.engine.tiers import KIND, target_of

from ..context import Context, Response
from .common import AdminError, bad_json, decrypted_object, json_response, no_content, require, text

TYPES = {"s3": "S3", "minio": "MinIO"}  # madmin TierType -> its section
RESERVED = frozenset({"STANDARD", "RRS"})


def tier_not_found() -> AdminError:
    return AdminError("XMinioAdminTierNotFound", "Specified remote tier was not found", 404)


def _name(ctx: Context) -> str:
    """The NAME of tier/NAME ("" for tier)."""
    return (ctx.key_name or "").partition("/")[2].partition("/")[2]


def _force(ctx: Context) -> bool:
    return ctx.query.get("force", "").lower() == "true"


def _config(doc: dict[str, Any]) -> dict[str, Any]:
    """The TierConfig to store, checked (MinIO's messages)."""
    if doc.get("Version") != "v1":
        raise AdminError("XMinioAdminTierInvalidConfigVersion", "invalid tier config version")
    kind = text(doc.get("Type"), "Type")
    if kind not in TYPES:
        raise AdminError("XMinioAdminTierTypeUnsupported",
                         f"unsupported tier type {kind!r}: Cairn transitions to S3-compatible tiers "
                         "(s3, minio)")
    name = text(doc.get("Name"), "Name")
    if not name:
        raise AdminError("XMinioAdminTierNameEmpty", "remote tier name empty")
    if name != name.upper():
        raise AdminError("XMinioAdminTierNameNotUpperCase", "Tier name must be in uppercase")
    if name in RESERVED or "/" in name or "\x00" in name:
        raise AdminError("XMinioAdminTierReserved", "Cannot use reserved tier name")
    section = doc.get(TYPES[kind])
    if not isinstance(section, dict):
        raise bad_json(f"a {kind} tier needs its {TYPES[kind]} section")
    fields = {f: text(section.get(f), f) for f in ("Endpoint", "AccessKey", "SecretKey", "Bucket", "Prefix",
                                                   "Region")}
    if not fields["AccessKey"] or not fields["SecretKey"]:
        raise AdminError("XMinioAdminTierMissingCredentials", "Specified remote credentials are empty", 403)
    if not fields["Bucket"]:
        raise AdminError("XMinioAdminTierBucketNotFound", "Remote tier bucket not found")
    return {"Version": "v1", "Type": kind, "Name": name, TYPES[kind]: fields}


def _client(doc: dict[str, Any]) -> TierClient:
    try:
        return TierClient(target_of(doc))
    except ValueError as exc:
        raise AdminError("XMinioAdminInvalidArgument", str(exc)) from None


def _probe(client: TierClient) -> bool:
    """Whether the tier's prefix is empty (a listing with its credentials), as MinIO's checks."""
    prefix = client.target.prefix.strip("/")
    try:
        return client.is_empty(f"{prefix}/" if prefix else "")
    except TierUnavailable as exc:
        if exc.code == "NoSuchBucket":
            raise AdminError("XMinioAdminTierBucketNotFound", "Remote tier bucket not found") from None
        if exc.status == 403:
            raise AdminError("XMinioAdminTierInvalidCredentials", "Invalid remote tier credentials") from None
        raise AdminError("XMinioAdminTierUnreachable", f"the remote tier cannot be reached: {exc}",
                         400) from None


def redacted(doc: dict[str, Any]) -> dict[str, Any]:
    """A TierConfig as MinIO lists it (TierConfig.Clone): the secret replaced."""
    section = TYPES.get(doc.get("Type", ""), "S3")
    return {**doc, section: {**doc.get(section, {}), "SecretKey": "REDACTED"}}


async def handle_add_tier(ctx: Context) -> Response:
    require(ctx, "admin:SetTier")
    doc = _config(await decrypted_object(ctx))
    name = doc["Name"]
    if await ctx.run(ctx.layer.tiers.config, name) is not None:
        raise AdminError("XMinioAdminTierAlreadyExists", "Specified remote tier already exists", 409)
    client = _client(doc)
    empty = await ctx.run(_probe, client)
    if not empty and not _force(ctx):
        raise AdminError("XMinioAdminTierBackendInUse", "Specified remote tier is already in use", 409)

    def create(current: Any) -> Any:
        if current is not None:
            raise AdminError("XMinioAdminTierAlreadyExists", "Specified remote tier already exists", 409)
        return doc

    await ctx.run(ctx.layer.iam.update, KIND, name, create)
    return no_content()


async def handle_tier_get(ctx: Context) -> Response:
    """GET tier (ListTiers) and GET tier/NAME (VerifyTier)."""
    require(ctx, "admin:ListTier")
    name = _name(ctx)
    tiers = ctx.layer.tiers
    if not name:
        names = await ctx.run(tiers.names)
        docs = [await ctx.run(tiers.config, n) for n in names]
        return json_response([redacted(d) for d in docs if d is not None])
    doc = await ctx.run(tiers.config, name)
    if doc is None:
        raise tier_not_found()
    await ctx.run(_probe, _client(doc))
    return no_content()


async def handle_edit_tier(ctx: Context) -> Response:
    """POST tier/NAME: new credentials (TierCreds: access, secret)."""
    require(ctx, "admin:SetTier")
    name = _name(ctx)
    creds = await decrypted_object(ctx)
    access, secret = text(creds.get("access"), "access"), text(creds.get("secret"), "secret")
    if not access or not secret:
        raise AdminError("XMinioAdminTierMissingCredentials", "Specified remote credentials are empty", 403)
    doc = await ctx.run(ctx.layer.tiers.config, name)
    if doc is None:
        raise tier_not_found()
    section = TYPES[doc["Type"]]
    edited = {**doc, section: {**doc[section], "AccessKey": access, "SecretKey": secret}}
    await ctx.run(_probe, _client(edited))

    def edit(current: Any) -> Any:
        if current is None:
            raise tier_not_found()
        return {**current, section: {**current[section], "AccessKey": access, "SecretKey": secret}}

    await ctx.run(ctx.layer.iam.update, KIND, name, edit)
    return no_content()


async def handle_remove_tier(ctx: Context) -> Response:
    require(ctx, "admin:SetTier")
    name = _name(ctx)
    doc = await ctx.run(ctx.layer.tiers.config, name)
    if doc is None:
        raise tier_not_found()
    if not _force(ctx):
        used = await ctx.run(ctx.layer.tier_journal.stats)
        if used.get(name, (0, 0))[0]:
            raise AdminError("XMinioAdminTierBackendNotEmpty",
                             f"Specified remote backend is not empty: {used[name][0]} object version(s) of "
                             f"this deployment are stored in tier {name} (delete them first, or force it: "
                             "--force --dangerous)")
        if not await ctx.run(_probe, _client(doc)):
            raise AdminError("XMinioAdminTierBackendNotEmpty", "Specified remote backend is not empty")
    await ctx.run(ctx.layer.iam.delete, KIND, name)
    return no_content()


async def handle_tier_stats(ctx: Context) -> Response:
    """GET tier-stats: `mc admin tier info` (MinIO also lists its hot tier, STANDARD)."""
    require(ctx, "admin:ListTier")
    tiers = ctx.layer.tiers
    names = await ctx.run(tiers.names)
    used = await ctx.run(ctx.layer.tier_journal.stats)
    out = []
    for name in names:
        doc = await ctx.run(tiers.config, name)
        count, size = used.get(name, (0, 0))
        out.append({"Name": name, "Type": (doc or {}).get("Type", "s3"),
                    "Stats": {"totalSize": size, "numVersions": count, "numObjects": count},
                    "DailyStats": {"Bins": [{"totalSize": 0, "numVersions": 0, "numObjects": 0}] * 24,
                                   "UpdatedAt": "0001-01-01T00:00:00Z"}})
    return json_response(out)
