"""Policies: MinIO's add-, remove-, list- and info-canned-policy, set-user-or-group-policy, and
the builtin IDP's policy attach/detach and policy-entities.  madmin sends a policy document as
is and reads listings and infos as plain JSON; attach/detach requests and answers and the
policy-entities answer are encrypted (policy-commands.go, idp-commands.go)."""

from __future__ import annotations

import time
from typing import Any

from ..context import Context, Response
from ..iam.store import DISABLED, Identities, IdentityError, check_identity_policy
from ..iam.sts import is_temporary
from .common import (
    GO_ZERO_TIME,
    AdminError,
    admin_body,
    decrypted_object,
    go_time,
    has_space_ends,
    identities,
    invalid_argument,
    json_response,
    not_allowed,
    ok,
    param,
    params,
    parse_object,
    policy_value,
    require,
    sealed_response,
    spaced_name,
)

MAX_POLICY = 20 * 1024  # MinIO's maxBucketPolicySize, its bound on a policy document


def malformed(message: str) -> AdminError:
    return AdminError("XMinioMalformedIAMPolicy", message)


def check_document(data: bytes) -> str:
    """A policy document as MinIO's add-canned-policy accepts it (Version required)."""
    try:
        document = data.decode("utf-8")
    except UnicodeDecodeError:
        raise malformed("policy document is not UTF-8") from None
    top = parse_object(data, malformed("policy document is not a JSON object"))
    if not top.get("Version"):
        raise AdminError("MalformedPolicy", "The policy must contain a valid version string")
    try:
        check_identity_policy(document)
    except IdentityError as exc:
        raise malformed(exc.message) from exc
    return document


async def handle_add_canned_policy(ctx: Context) -> Response:
    """PUT add-canned-policy?name= with the document as the body: create or replace."""
    require(ctx, "admin:CreatePolicy")
    name = param(ctx, "name")
    if has_space_ends(name):
        raise spaced_name()
    if "," in name:
        raise AdminError("PolicyInvalidName", "Policy name may not contain comma")
    length = ctx.request.content_length
    if not length:
        raise AdminError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411)
    if length > MAX_POLICY:
        raise AdminError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")
    document = check_document(await admin_body(ctx, MAX_POLICY))
    await ctx.run(identities(ctx).add_policy, name, document)
    return ok()


async def handle_remove_canned_policy(ctx: Context) -> Response:
    """DELETE remove-canned-policy?name=: refused while a user or group has it attached."""
    require(ctx, "admin:DeletePolicy")
    await ctx.run(identities(ctx).remove_policy, param(ctx, "name"))
    return ok()


async def handle_list_canned_policies(ctx: Context) -> Response:
    """GET list-canned-policies: name -> document, canned ones included."""
    require(ctx, "admin:ListUserPolicies")
    policies = await ctx.run(identities(ctx).policies)
    return json_response({p.name: policy_value(p.document) for p in policies})


async def handle_info_canned_policy(ctx: Context) -> Response:
    """GET info-canned-policy?name=[&v=2]: the document, or (v=2) madmin.PolicyInfo."""
    require(ctx, "admin:GetPolicy")
    name = param(ctx, "name")
    if "," in name:
        raise AdminError("XMinioAdminInvalidRequest", "Only a single policy may be requested")
    version = ctx.query.get("v", "")
    if version not in ("", "2"):
        raise invalid_argument("invalid version parameter 'v' supplied")
    policy = await ctx.run(identities(ctx).policy, name)
    if policy is None:
        raise IdentityError("NoSuchPolicy", f"The canned policy does not exist: {name}")
    if not version:
        return json_response(policy_value(policy.document))
    info: dict[str, Any] = {"PolicyName": name, "Policy": policy_value(policy.document)}
    if policy.created_ns or policy.updated_ns:
        info |= {"CreateDate": go_time(policy.created_ns) if policy.created_ns else GO_ZERO_TIME,
                 "UpdateDate": go_time(policy.updated_ns) if policy.updated_ns else GO_ZERO_TIME}
    return json_response(info)


async def handle_set_user_or_group_policy(ctx: Context) -> Response:
    """PUT set-user-or-group-policy?policyName=a,b&userOrGroup=&isGroup=true|false: replace the
    policies of a user or group (the older API; "" removes them all)."""
    require(ctx, "admin:AttachUserOrGroupPolicy")
    names = [n for n in param(ctx, "policyName").split(",") if n]
    entity = param(ctx, "userOrGroup")
    flag = param(ctx, "isGroup")
    if flag not in ("true", "false"):
        raise invalid_argument("Invalid arguments specified (isGroup must be true or false).")
    is_group = flag == "true"
    ids = identities(ctx)
    if not is_group and (is_temporary(entity) or entity == ids.root_user):
        raise not_allowed()

    def apply() -> None:
        if is_group:
            if ids.group(entity) is None:
                raise IdentityError("NoSuchGroup", f"The specified group does not exist: {entity}")
            ids.set_policies(names, group=entity)
        else:
            if ids.user(entity) is None:
                raise IdentityError("NoSuchUser", f"The specified user does not exist: {entity}")
            ids.set_policies(names, user=entity)

    await ctx.run(apply)
    return ok()


def _association(request: dict[str, Any]) -> tuple[list[str], str, str]:
    """madmin.PolicyAssociationReq, checked as its IsValid does."""
    policies, user, group = request.get("policies"), request.get("user") or "", request.get("group") or ""
    if not isinstance(policies, list) or not policies or not all(isinstance(p, str) for p in policies):
        raise invalid_argument("no policy names were given")
    if "" in policies:
        raise invalid_argument("an empty policy name was given")
    if not isinstance(user, str) or not isinstance(group, str) or not (user or group):
        raise invalid_argument("no user or group association was given")
    if user and group:
        raise invalid_argument("either a group or a user association must be given, not both")
    return list(dict.fromkeys(policies)), user, group


def associate(ids: Identities, attach: bool, policies: list[str], user: str, group: str) -> list[str]:
    """Attach the policies not yet attached (or detach those attached); the ones changed
    (blocking).  Nothing to change is MinIO's PolicyChangeAlreadyApplied."""
    if user:
        found = ids.user(user)
        if found is None:
            if is_temporary(user) or ids.service_account(user) is not None:
                raise not_allowed()
            raise IdentityError("NoSuchUser", f"The specified user does not exist: {user}")
        current = found.policies
    else:
        group_found = ids.group(group)
        if group_found is None:
            raise IdentityError("NoSuchGroup", f"The specified group does not exist: {group}")
        if group_found.status == DISABLED:
            raise AdminError("XMinioAdminGroupDisabled", "The specified group is disabled.")
        current = group_found.policies
    changed = [p for p in policies if (p not in current) == attach]
    if not changed:
        raise AdminError("XMinioAdminPolicyChangeAlreadyApplied", "The specified policy change is already in "
                         "effect.")
    for name in changed if attach else ():
        if ids.policy(name) is None:
            raise IdentityError("NoSuchPolicy", f"The canned policy does not exist: {name}")
    ids.attach(changed, user=user or None, group=group or None, detach=not attach)
    return changed


async def handle_policy_association(ctx: Context) -> Response:
    """POST idp/builtin/policy/attach|detach (encrypted madmin.PolicyAssociationReq): the
    answer, encrypted, is madmin.PolicyAssociationResp."""
    require(ctx, "admin:UpdatePolicyAssociation", "admin:AttachUserOrGroupPolicy")
    if ctx.header("content-type") != "application/octet-stream":
        raise AdminError("BadRequest", "400 BadRequest")
    operation = (ctx.key_name or "").rsplit("/", 1)[-1]
    if operation not in ("attach", "detach"):
        raise invalid_argument()
    attach = operation == "attach"
    policies, user, group = _association(await decrypted_object(ctx))
    changed = await ctx.run(associate, identities(ctx), attach, policies, user, group)
    field = "policiesAttached" if attach else "policiesDetached"
    return await sealed_response(ctx, {field: changed, "updatedAt": go_time(time.time_ns())})


def policy_entities(ids: Identities, users: list[str], groups: list[str], policies: list[str]
                    ) -> dict[str, Any]:
    """madmin.PolicyEntitiesResult: the policies of the users asked for (with their groups'), of
    the groups asked for, and who has each policy asked for (every policy when nothing is asked)
    (blocking)."""
    all_users, all_groups = ids.users(), ids.groups()
    result: dict[str, Any] = {"timestamp": go_time(time.time_ns())}
    user_mappings = []
    for user in (u for u in all_users if u.access_key in users):
        member_of = [{"group": g.name, "policies": sorted(g.policies)}
                     for g in all_groups if user.access_key in g.members and g.policies]
        entry: dict[str, Any] = {"user": user.access_key, "policies": sorted(user.policies)}
        if member_of:
            entry["memberOfMappings"] = member_of
        if user.policies or member_of:
            user_mappings.append(entry)
    group_mappings = [{"group": g.name, "policies": sorted(g.policies)}
                      for g in all_groups if g.name in groups and g.policies]
    holders: dict[str, tuple[list[str], list[str]]] = {}
    if policies or not (users or groups):
        for u in all_users:
            for p in u.policies:
                holders.setdefault(p, ([], []))[0].append(u.access_key)
        for g in all_groups:
            for p in g.policies:
                holders.setdefault(p, ([], []))[1].append(g.name)
    policy_mappings = [{"policy": p, "users": sorted(us), "groups": sorted(gs)}
                       for p, (us, gs) in sorted(holders.items()) if not policies or p in policies]
    for name, value in (("userMappings", user_mappings), ("groupMappings", group_mappings),
                        ("policyMappings", policy_mappings)):
        if value:
            result[name] = value
    return result


async def handle_policy_entities(ctx: Context) -> Response:
    """GET idp/builtin/policy-entities?user=&group=&policy= (each repeatable): encrypted."""
    require(ctx, "admin:ListGroups", "admin:ListUsers", "admin:ListUserPolicies")
    found = await ctx.run(policy_entities, identities(ctx), params(ctx, "user"), params(ctx, "group"),
                          params(ctx, "policy"))
    return await sealed_response(ctx, found)
