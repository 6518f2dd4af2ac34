"""Users: MinIO's add-user, remove-user, list-users, user-info and set-user-status
(cmd/admin-handlers-users.go), with madmin's bodies: add-user's request and list-users'
answer are encrypted, user-info's answer is plain JSON."""

from __future__ import annotations

from typing import Any

from ..context import Context, Response
from ..iam.store import DISABLED, ENABLED, Identities, IdentityError, User
from ..iam.sts import is_temporary
from .common import (
    access_denied,
    admin_key_refused,
    decrypted_object,
    go_time,
    has_space_ends,
    identities,
    invalid_argument,
    json_response,
    not_allowed,
    ok,
    param,
    permitted,
    require,
    sealed_response,
    spaced_name,
    text,
)


def user_info(ids: Identities, user: User) -> dict[str, Any]:
    """madmin.UserInfo (no secret: MinIO never sends one back) (blocking)."""
    info: dict[str, Any] = {}
    if user.policies:
        info["policyName"] = ",".join(user.policies)
    info["status"] = user.status
    groups = [g.name for g in ids.groups_of(user.access_key)]
    if groups:
        info["memberOf"] = groups
    info["updatedAt"] = go_time(user.updated_ns)
    return info


async def handle_add_user(ctx: Context) -> Response:
    """PUT add-user?accessKey= (encrypted madmin.AddOrUpdateUserReq): create a user, or set an
    existing one's secret and status.  A user may change its own secret (MinIO's DenyOnly)."""
    access_key = param(ctx, "accessKey")
    ids = identities(ctx)
    user, account = await ctx.run(lambda: (ids.user(access_key), ids.service_account(access_key)))
    principal = ctx.principal
    if access_key == ids.root_user or account is not None or is_temporary(access_key):
        raise admin_key_refused()
    if principal.kind in ("svcacct", "sts") and principal.account == access_key:
        raise admin_key_refused()  # a derived key may not reset its parent's secret
    if user is None and has_space_ends(access_key):
        raise spaced_name()
    if not permitted(ctx, "admin:CreateUser", own=access_key == ctx.identity.access_key):
        raise access_denied()
    request = await decrypted_object(ctx)
    secret = text(request.get("secretKey"), "secretKey")
    # MinIO: "enabled" (or "on") enables, anything else disables; the policy field is ignored.
    status = ENABLED if text(request.get("status"), "status") in (ENABLED, "on") else DISABLED
    await ctx.run(ids.add_user, access_key, secret, status)
    return ok()


async def handle_remove_user(ctx: Context) -> Response:
    """DELETE remove-user?accessKey=: a user, its service accounts and its group memberships."""
    require(ctx, "admin:DeleteUser")
    access_key = param(ctx, "accessKey")
    ids = identities(ctx)
    if is_temporary(access_key) or access_key in (ids.root_user, ctx.identity.access_key):
        raise not_allowed()  # not the root user, not oneself

    def remove() -> None:
        if ids.service_account(access_key) is not None:
            raise not_allowed()  # service accounts go through delete-service-account
        ids.remove_user(access_key)

    await ctx.run(remove)
    return ok()


async def handle_list_users(ctx: Context) -> Response:
    """GET list-users: access key -> madmin.UserInfo, encrypted."""
    require(ctx, "admin:ListUsers")
    ids = identities(ctx)
    users = await ctx.run(lambda: {u.access_key: user_info(ids, u) for u in ids.users()})
    return await sealed_response(ctx, users)


async def handle_user_info(ctx: Context) -> Response:
    """GET user-info?accessKey=: madmin.UserInfo, plain JSON.  A user may read its own."""
    name = param(ctx, "accessKey")
    if not permitted(ctx, "admin:GetUser", own=name == ctx.identity.access_key):
        raise access_denied()
    ids = identities(ctx)

    def info() -> dict[str, Any]:
        user = ids.user(name)
        if user is None:
            if ids.service_account(name) is not None or is_temporary(name):
                raise not_allowed()
            raise IdentityError("NoSuchUser", f"The specified user does not exist: {name}")
        return user_info(ids, user)

    return json_response(await ctx.run(info))


async def handle_set_user_status(ctx: Context) -> Response:
    """PUT set-user-status?accessKey=&status=enabled|disabled.  MinIO checks admin:EnableUser
    for both; admin:DisableUser also allows disabling."""
    access_key = param(ctx, "accessKey")
    status = param(ctx, "status")
    require(ctx, "admin:EnableUser", *(("admin:DisableUser",) if status == DISABLED else ()))
    if access_key == ctx.identity.access_key:
        raise invalid_argument("Invalid arguments specified (you cannot enable or disable yourself).")
    if status not in (ENABLED, DISABLED):
        raise invalid_argument(f"Invalid arguments specified (status must be {ENABLED} or {DISABLED}).")
    ids = identities(ctx)

    def change() -> None:
        if is_temporary(access_key) or ids.service_account(access_key) is not None:
            raise not_allowed()
        ids.set_user_status(access_key, status)

    await ctx.run(change)
    return ok()
