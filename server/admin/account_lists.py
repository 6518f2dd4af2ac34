"""Reading service accounts: MinIO's info-service-account, list-service-accounts,
list-access-keys-bulk and temporary-account-info.  madmin reads every answer encrypted
(user-commands.go).  A user reads its own keys without admin rights; anyone else needs
admin:ListServiceAccounts (list-access-keys-bulk of all users also admin:ListUsers)."""

from __future__ import annotations

from typing import Any

from ..context import Context, Response
from ..iam.store import Identities, ServiceAccount
from .accounts import named_account
from .common import (
    NEVER,
    AdminError,
    access_denied,
    account_policy,
    allows_for_self,
    go_time,
    identities,
    indented,
    invalid_request,
    params,
    policy_value,
    require,
    sealed_response,
)

LIST_ACTION = "admin:ListServiceAccounts"
LIST_TYPES = {"users-only": (False, False), "sts-only": (True, False), "svcacc-only": (False, True),
              "all": (True, True)}  # madmin's AccessKeyList*: (list STS keys, list service accounts)


def summary(account: ServiceAccount) -> dict[str, Any]:
    """madmin.ServiceAccountInfo; no expiry is MinIO's sentinel, the epoch."""
    out: dict[str, Any] = {"parentUser": account.parent, "accountStatus": account.status,
                           "impliedPolicy": account.policy is None, "accessKey": account.access_key}
    if account.name:
        out["name"] = account.name
    if account.description:
        out["description"] = account.description
    out["expiration"] = go_time(account.expiry_ns) if account.expiry_ns else NEVER
    return out


def details(ids: Identities, account: ServiceAccount) -> dict[str, Any]:
    """madmin.InfoServiceAccountResp: the session policy, or (implied) the parent's (blocking)."""
    implied = account.policy is None
    policy = account_policy(ids, account.parent) if account.policy is None else policy_value(account.policy)
    out: dict[str, Any] = {"parentUser": account.parent, "accountStatus": account.status,
                           "impliedPolicy": implied, "policy": indented(policy)}
    if account.name:
        out["name"] = account.name
    if account.description:
        out["description"] = account.description
    if account.expiry_ns:
        out["expiration"] = go_time(account.expiry_ns)
    return out


async def handle_info_service_account(ctx: Context) -> Response:
    """GET info-service-account?accessKey=."""
    account = await named_account(ctx, invalid_request())
    if not ctx.access.allows(LIST_ACTION) and account.parent != ctx.principal.account:
        raise access_denied()
    return await sealed_response(ctx, await ctx.run(details, identities(ctx), account))


async def handle_list_service_accounts(ctx: Context) -> Response:
    """GET list-service-accounts[?user=]: the caller's account's keys, or another user's."""
    user = ctx.query.get("user", "")
    principal = ctx.principal
    if user in ("", ctx.identity.access_key, principal.account):
        user = principal.account
    else:
        require(ctx, LIST_ACTION)
    accounts = await ctx.run(identities(ctx).service_accounts, user)
    return await sealed_response(ctx, {"accounts": [summary(a) for a in accounts]})


def access_keys(ids: Identities, names: list[str] | None, sts: bool, svc: bool) -> dict[str, Any]:
    """user -> madmin.ListAccessKeysResp for these users (None: every user and the root user).
    Temporary keys are not kept (sts.py), so none are ever listed (blocking)."""
    if names is None:
        names = [u.access_key for u in ids.users()] + [ids.root_user]
    else:
        names = [n for n in dict.fromkeys(names) if n == ids.root_user or ids.user(n) is not None]
    out: dict[str, Any] = {}
    for name in names:
        if sts and not svc:
            continue  # no temporary keys to show
        accounts = [summary(a) for a in ids.service_accounts(name)] if svc else []
        if svc and not sts and not accounts:
            continue
        out[name] = {"serviceAccounts": accounts, "stsKeys": []}
    return out


async def handle_list_access_keys_bulk(ctx: Context) -> Response:
    """GET list-access-keys-bulk?listType=&users=...|all=true (mc admin accesskey ls)."""
    users = params(ctx, "users")
    everyone = ctx.query.get("all") == "true"
    if everyone and users:
        raise invalid_request()
    principal = ctx.principal
    self_only = not everyone and (not users or (len(users) == 1 and users[0] in (ctx.identity.access_key,
                                                                                  principal.account)))
    if everyone:
        require(ctx, "admin:ListUsers")
    if not (allows_for_self(ctx, LIST_ACTION) if self_only else ctx.access.allows(LIST_ACTION)):
        raise access_denied()
    if self_only:
        users = [principal.account]
    kinds = LIST_TYPES.get(ctx.query.get("listType", ""))
    if kinds is None:
        raise invalid_request("Invalid Request (invalid list type)")
    found = await ctx.run(access_keys, identities(ctx), None if everyone else users, *kinds)
    return await sealed_response(ctx, found)


async def handle_temporary_account_info(ctx: Context) -> Response:
    """GET temporary-account-info?accessKey=: temporary credentials are checked statelessly
    and never stored (sts.py), so there is never one to describe."""
    if not ctx.query.get("accessKey"):
        raise invalid_request()
    require(ctx, "admin:ListTemporaryAccounts")
    raise AdminError("XMinioAdminNoSuchAccessKey", "The specified access key does not exist.", 404)
