"""Service accounts (mc's "access keys"): MinIO's add-, update-, delete-service-account.  madmin
encrypts add's request and answer and update's request (user-commands.go); update and delete
answer 204 No Content.

Who may: anyone with admin:CreateServiceAccount (UpdateServiceAccount, RemoveServiceAccount)
for any user; a user for itself unless a policy denies it (MinIO's DenyOnly); a service
account or a session for its parent only with the grant (their session policy may narrow it,
and a new key must not escape that).  Deleting someone else's key without the grant answers
"not found", as MinIO does, so keys cannot be probed."""

from __future__ import annotations

import base64
import os
import re
import secrets
import string
import time
from functools import partial
from typing import Any

import orjson

from ..context import Context, Response
from ..iam.store import IdentityError, ServiceAccount, check_identity_policy
from .common import (
    NEVER,
    AdminError,
    access_denied,
    admin_key_refused,
    allows_for_self,
    decrypted_object,
    go_time,
    has_space_ends,
    identities,
    invalid_argument,
    invalid_request,
    no_content,
    not_allowed,
    parse_go_time,
    permitted,
    sealed_response,
    spaced_name,
    text,
)

_ALPHABET = string.digits + string.ascii_uppercase  # MinIO's alphaNumericTable
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_-]*")  # madmin's serviceAcctValidNameRegex (a prefix match)
MIN_EXPIRY_S, MAX_EXPIRY_S = 15 * 60, 365 * 24 * 3600  # MinIO's min/maxServiceAccountExpiry


def generate_credentials() -> tuple[str, str]:
    """MinIO's auth.GenerateCredentials: 20 upper-case letters and digits; 40 characters of
    base64 (30 random bytes) with "/" made "+"."""
    access_key = "".join(secrets.choice(_ALPHABET) for _ in range(20))
    secret = base64.b64encode(os.urandom(30)).decode().replace("/", "+")
    return access_key, secret


def not_found() -> AdminError:
    """MinIO's ErrAdminServiceAccountNotFound."""
    return AdminError("XMinioInvalidIAMCredentials", "The specified service account is not found", 404)


async def named_account(ctx: Context, missing: AdminError) -> ServiceAccount:
    """The service account ?accessKey= names: `missing` (each endpoint's own refusal) without the
    parameter, not found when there is no such key."""
    access_key = ctx.query.get("accessKey", "")
    if not access_key:
        raise missing
    account = await ctx.run(identities(ctx).service_account, access_key)
    if account is None:
        raise not_found()
    return account


def check_details(name: str, description: str, expiry_ns: int | None) -> None:
    """madmin's validateSAName/Description/Expiration, and MinIO's expiry window."""
    if name and (len(name) > 32 or not _NAME.match(name)):
        raise AdminError("XMinioInvalidResource",
                         "name must be at most 32 ASCII letters, digits, underscores and hyphens, starting "
                         "with a letter")
    if len(description.encode()) > 256:
        raise AdminError("XMinioInvalidResource", "description must be at most 256 bytes long")
    if expiry_ns:
        left = expiry_ns / 1e9 - time.time()
        if not MIN_EXPIRY_S <= left <= MAX_EXPIRY_S:
            raise invalid_argument("invalid service account expiration: it must be 15 minutes to 365 days "
                                   "from now")


def session_policy(value: Any) -> str | None:
    """A request's embedded policy (a JSON value) as the document to store; None when absent,
    "" when empty (no statements: MinIO then keeps none)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise AdminError("XMinioMalformedIAMPolicy", "policy must be a JSON object")
    if not value.get("Version") and not value.get("Statement"):
        return ""
    document = orjson.dumps(value).decode()
    try:
        check_identity_policy(document)
    except IdentityError as exc:
        raise AdminError("XMinioMalformedIAMPolicy", exc.message) from exc
    return document


def expiry_of(request: dict[str, Any], field: str) -> int | None:
    value = request.get(field)
    return None if value is None else parse_go_time(value, field)


async def handle_add_service_account(ctx: Context) -> Response:
    """PUT add-service-account (encrypted madmin.AddServiceAccountReq): for the caller's account
    unless targetUser names another; keys generated when not given.  Answers the credentials,
    encrypted (madmin.AddServiceAccountResp)."""
    request = await decrypted_object(ctx)
    access_key = text(request.get("accessKey"), "accessKey")
    secret = text(request.get("secretKey"), "secretKey")
    name = text(request.get("name"), "name")
    description = text(request.get("description"), "description") or text(request.get("comment"), "comment")
    expiry = expiry_of(request, "expiration") or 0
    if has_space_ends(access_key):
        raise spaced_name()
    check_details(name, description, expiry)
    principal = ctx.principal
    target = text(request.get("targetUser"), "targetUser")
    if not target or target == ctx.identity.access_key:
        target = principal.account  # a derived key's is its parent's
    if not permitted(ctx, "admin:CreateServiceAccount", own=target == principal.account):
        raise access_denied()
    ids = identities(ctx)
    if access_key == ids.root_user:
        raise admin_key_refused()
    if bool(access_key) != bool(secret):
        raise invalid_argument("an access key and a secret key go together: give both or neither")
    if not access_key:
        access_key, secret = generate_credentials()
    if access_key == target:
        raise not_allowed()
    document = session_policy(request.get("policy")) or None

    def create() -> ServiceAccount:
        if target != ids.root_user and ids.user(target) is None:
            raise IdentityError("NoSuchUser", f"Specified target user {target} does not exist")
        return ids.add_service_account(target, access_key, secret, document, expiry, name, description)

    account = await ctx.run(create)
    credentials = {"accessKey": account.access_key, "secretKey": account.secret,
                   "expiration": go_time(account.expiry_ns) if account.expiry_ns else NEVER}
    return await sealed_response(ctx, {"credentials": credentials})


async def handle_update_service_account(ctx: Context) -> Response:
    """POST update-service-account?accessKey= (encrypted madmin.UpdateServiceAccountReq): change
    what is given (secret, status on/off, session policy, name, description, expiry)."""
    account = await named_account(ctx, invalid_request("Invalid Request (an access key is required)"))
    ids = identities(ctx)
    request = await decrypted_object(ctx)
    name, description = text(request.get("newName"), "newName"), text(request.get("newDescription"), "")
    expiry = expiry_of(request, "newExpiration")
    check_details(name, description, expiry)
    if not permitted(ctx, "admin:UpdateServiceAccount", own=account.parent == ctx.principal.account):
        raise access_denied()
    status = text(request.get("newStatus"), "newStatus")
    if status not in ("", "on", "off", "enabled", "disabled"):
        raise invalid_argument("Invalid arguments specified (status must be on or off).")
    update = partial(ids.update_service_account, account.access_key,
                     secret=text(request.get("newSecretKey"), "newSecretKey") or None,
                     policy=session_policy(request.get("newPolicy")), status=status or None,
                     expiry_ns=expiry, name=name or None, description=description or None)
    await ctx.run(update)
    return no_content()


async def handle_delete_service_account(ctx: Context) -> Response:
    """DELETE delete-service-account?accessKey=: 204."""
    account = await named_account(ctx, invalid_argument())
    action = "admin:RemoveServiceAccount"
    own = account.parent == ctx.principal.account
    if not (ctx.access.allows(action) or (own and allows_for_self(ctx, action))):
        raise not_found()  # someone else's key: as if there were none
    await ctx.run(identities(ctx).delete_service_account, account.access_key)
    return no_content()
