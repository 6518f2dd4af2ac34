"""Groups: MinIO's update-group-members, group, groups and set-group-status.  madmin sends and
reads them all as plain JSON (group-commands.go)."""

from __future__ import annotations

from typing import Any

from ..context import Context, Response
from ..iam.store import DISABLED, ENABLED, Group, IdentityError
from ..iam.sts import is_temporary
from .common import (
    admin_body,
    go_time,
    has_space_ends,
    identities,
    invalid_argument,
    invalid_request,
    json_response,
    not_allowed,
    ok,
    param,
    parse_object,
    require,
    spaced_name,
    text,
)


def group_description(group: Group) -> dict[str, Any]:
    """madmin.GroupDesc: policies comma-joined, as MinIO's policy mapping keeps them."""
    return {"name": group.name, "status": group.status, "members": list(group.members),
            "policy": ",".join(group.policies), "updatedAt": go_time(group.updated_ns)}


def _members(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
        raise invalid_request("Invalid Request (members must be a list of user names)")
    return list(value)


async def handle_update_group_members(ctx: Context) -> Response:
    """PUT update-group-members (plain madmin.GroupAddRemove): add members, creating the group;
    remove members; or, removing none, delete the group once it is empty."""
    request = parse_object(await admin_body(ctx), invalid_request())
    group = text(request.get("group"), "group")
    members = _members(request.get("members"))
    remove = request.get("isRemove") is True
    # MinIO checks admin:AddUserToGroup for both; admin:RemoveUserFromGroup also allows removing.
    require(ctx, "admin:AddUserToGroup", *(("admin:RemoveUserFromGroup",) if remove else ()))
    if not group:
        raise invalid_argument("Invalid arguments specified (a group name is required).")
    ids = identities(ctx)
    if any(is_temporary(m) or m == ids.root_user for m in members):
        raise not_allowed()

    def update() -> None:
        for member in members:
            if ids.service_account(member) is not None:
                raise not_allowed()
            if remove and ids.user(member) is None:
                raise IdentityError("NoSuchUser", f"The specified user does not exist: {member}")
        if not remove and has_space_ends(group) and ids.group(group) is None:
            raise spaced_name()
        ids.update_group_members(group, members, remove=remove)

    await ctx.run(update)
    return ok()


async def handle_get_group(ctx: Context) -> Response:
    """GET group?group=: madmin.GroupDesc."""
    require(ctx, "admin:GetGroup")
    name = param(ctx, "group")
    group = await ctx.run(identities(ctx).group, name)
    if group is None:
        raise IdentityError("NoSuchGroup", f"The specified group does not exist: {name}")
    return json_response(group_description(group))


async def handle_list_groups(ctx: Context) -> Response:
    """GET groups: the group names."""
    require(ctx, "admin:ListGroups")
    groups = await ctx.run(identities(ctx).groups)
    return json_response([g.name for g in groups])


async def handle_set_group_status(ctx: Context) -> Response:
    """PUT set-group-status?group=&status=enabled|disabled (MinIO checks admin:EnableGroup;
    admin:DisableGroup also allows disabling).  A disabled group's policies do not apply."""
    name = param(ctx, "group")
    status = param(ctx, "status")
    require(ctx, "admin:EnableGroup", *(("admin:DisableGroup",) if status == DISABLED else ()))
    if status not in (ENABLED, DISABLED):
        raise invalid_argument(f"Invalid arguments specified (status must be {ENABLED} or {DISABLED}).")
    await ctx.run(identities(ctx).set_group_status, name, status)
    return ok()
