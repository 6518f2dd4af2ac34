"""What every admin endpoint shares: MinIO's JSON errors, madmin's plain and encrypted bodies,
Go's time format, the admin authorization checks, and policy documents as MinIO shows them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from ..body import read_body
from ..context import Context, Response
from ..errors import S3Error
from ..iam.store import ENABLED, Identities
from .crypto import DecryptError, decrypt_data, encrypt_data

MAX_BODY = 1 << 20  # admin bodies are a few KiB; MinIO's bound is 256 KiB (maxEConfigJSONSize)
JSON_HEADER = ("Content-Type", "application/json")
GO_ZERO_TIME = "0001-01-01T00:00:00Z"  # Go's zero time.Time, as encoding/json writes it
NEVER = "1970-01-01T00:00:00Z"  # MinIO's timeSentinel: a service account that never expires
EMPTY_POLICY: dict[str, Any] = {"Version": "2012-10-17", "Statement": []}


class AdminError(Exception):
    """A refusal, answered as MinIO's JSON admin error (code, message, HTTP status)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def access_denied() -> AdminError:
    return AdminError("AccessDenied", "Access Denied.", 403)


def not_allowed(message: str = "Specified IAM action is not allowed") -> AdminError:
    return AdminError("XMinioIAMActionNotAllowed", message, 403)


def invalid_argument(message: str = "Invalid arguments specified.") -> AdminError:
    return AdminError("XMinioAdminInvalidArgument", message)


def invalid_request(message: str = "Invalid Request") -> AdminError:
    return AdminError("InvalidRequest", message)


def spaced_name() -> AdminError:
    return AdminError("XMinioInvalidResource",
                      "Policy, user or group names are not allowed to begin or end with space characters")


def bad_json(why: str) -> AdminError:
    return AdminError("XMinioAdminConfigBadJSON",
                      f"JSON configuration provided is of incorrect format ({why})")


def admin_key_refused() -> AdminError:
    """MinIO's ErrAddUserInvalidArgument: the root user's key (or a derived key's) is not for this."""
    return AdminError("XMinioInvalidIAMCredentials",
                      "Credential is not allowed to be same as admin access key", 403)


def has_space_ends(name: str) -> bool:
    """MinIO's hasSpaceBE: leading or trailing white space."""
    return name != name.strip()


# IdentityError kinds (iam/store.py) -> MinIO's code and status (cmd/api-errors.go).
IDENTITY_ERRORS: dict[str, tuple[str, int]] = {
    "NoSuchUser": ("XMinioAdminNoSuchUser", 404),
    "NoSuchGroup": ("XMinioAdminNoSuchGroup", 404),
    "NoSuchPolicy": ("XMinioAdminNoSuchPolicy", 404),
    "NoSuchServiceAccount": ("XMinioInvalidIAMCredentials", 404),  # ErrAdminServiceAccountNotFound
    "GroupNotEmpty": ("XMinioAdminGroupNotEmpty", 400),
    "PolicyInUse": ("XMinioIAMPolicyInUse", 400),
    "Exists": ("XMinioIAMServiceAccountNotAllowed", 400),
    "InvalidArgument": ("XMinioAdminInvalidArgument", 400),
}


def error_response(ctx: Context, error: AdminError) -> Response:
    """MinIO's writeErrorResponseJSON body."""
    body: dict[str, str] = {"Code": error.code, "Message": error.message, "Resource": ctx.request.path}
    if ctx.config.region:
        body["Region"] = ctx.config.region
    body |= {"RequestId": ctx.request_id, "HostId": ctx.layer.deployment.deployment_id}
    return Response(error.status, [JSON_HEADER], orjson.dumps(body))


# -- request parameters and bodies ------------------------------------------------------------


def param(ctx: Context, name: str) -> str:
    """A query parameter MinIO's router requires (its route does not match without it)."""
    value = ctx.query.get(name)
    if value is None:
        raise invalid_request(f"Invalid Request (the query parameter {name!r} is required)")
    return value


def params(ctx: Context, name: str) -> list[str]:
    """Every value of a repeated query parameter (madmin sends lists as ?user=a&user=b)."""
    return [value for key, value in ctx.request.query if key == name]


async def admin_body(ctx: Context, limit: int = MAX_BODY) -> bytes:
    length = ctx.request.content_length
    if length is not None and length > limit:
        raise AdminError("XMinioAdminConfigTooLarge",
                         f"Configuration data provided exceeds the allowed maximum of {limit} bytes")
    try:
        return await read_body(ctx, limit)
    except S3Error as exc:
        if exc.code == "MalformedXML":  # read_body's word for "over the limit"
            raise AdminError("XMinioAdminConfigTooLarge", f"Configuration data provided exceeds the "
                             f"allowed maximum of {limit} bytes") from exc
        raise AdminError(exc.code, exc.message, exc.status) from exc


def parse_object(data: bytes, error: AdminError) -> dict[str, Any]:
    """A JSON object, or `error`."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise error from None
    if not isinstance(value, dict):
        raise error
    return value


def caller_secret(ctx: Context) -> str:
    """The caller's secret key: madmin's password for encrypted bodies."""
    access_key = ctx.identity.access_key
    secret = ctx.directory.secret_for(access_key) if access_key else None
    if secret is None:
        raise AdminError("InvalidAccessKeyId",
                         "The Access Key Id you provided does not exist in our records.", 403)
    return secret


async def decrypted_object(ctx: Context) -> dict[str, Any]:
    """madmin.EncryptData'd JSON object of the request body."""
    data = await admin_body(ctx)
    try:
        plain = await ctx.run(decrypt_data, caller_secret(ctx), data)
    except DecryptError as exc:
        raise bad_json(str(exc)) from exc
    try:
        value = orjson.loads(plain)
    except orjson.JSONDecodeError as exc:
        raise bad_json(str(exc)) from exc
    if not isinstance(value, dict):
        raise bad_json("not a JSON object")
    return value


def text(value: Any, name: str) -> str:
    """A string field of a request document ("" when absent or null)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise bad_json(f"{name} must be a string")
    return value


# -- responses --------------------------------------------------------------------------------


def ok() -> Response:
    return Response(200)


def no_content() -> Response:
    return Response(204)


def json_response(value: Any) -> Response:
    return Response(200, [JSON_HEADER], orjson.dumps(value))


async def sealed_response(ctx: Context, value: Any) -> Response:
    """A JSON body encrypted for the caller (madmin.DecryptData on the client's side)."""
    body = await ctx.run(encrypt_data, caller_secret(ctx), orjson.dumps(value))
    return Response(200, [JSON_HEADER], body)


# -- time -------------------------------------------------------------------------------------


def go_time(ns: int) -> str:
    """Go's time.Time in JSON (RFC 3339 with nanoseconds, trailing zeros dropped), UTC."""
    seconds, fraction = divmod(ns, 10**9)
    out = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if fraction:
        out += "." + f"{fraction:09d}".rstrip("0")
    return out + "Z"


def parse_go_time(value: Any, name: str) -> int:
    """An RFC 3339 time from a request, in ns, truncated to the second as MinIO does; Go's zero
    time and MinIO's sentinel (the epoch) are 0, "never"."""
    if not isinstance(value, str):
        raise bad_json(f"{name} must be an RFC 3339 time")
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise bad_json(f"{name}: {exc}") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = int(when.timestamp()) if when.year > 1 else 0
    return max(seconds, 0) * 10**9


# -- authorization ----------------------------------------------------------------------------


def require(ctx: Context, *actions: str) -> None:
    """Allowed if any of `actions` is (MinIO's validateAdminReq), else AccessDenied."""
    if not any(ctx.access.allows(action) for action in actions):
        raise access_denied()


def allows_for_self(ctx: Context, action: str) -> bool:
    """MinIO's DenyOnly: a user acting on its own account needs no grant, only no explicit Deny.
    A service account or a session (whose permissions a session policy may narrow) needs the
    grant itself, so that it never reaches beyond its own policy."""
    if ctx.principal.kind in ("root", "user"):
        return not ctx.access.denies(action)
    return ctx.access.allows(action)


def permitted(ctx: Context, action: str, own: bool) -> bool:
    """`action` on the caller's own account (allows_for_self) or on another's (the grant)."""
    return allows_for_self(ctx, action) if own else ctx.access.allows(action)


def identities(ctx: Context) -> Identities:
    return ctx.directory.identities


# -- policies as MinIO shows them -------------------------------------------------------------


def policy_value(document: str) -> Any:
    """A stored policy document as a JSON value (documents are checked JSON when stored)."""
    return orjson.loads(document)


def combined_policy(documents: Iterable[str]) -> dict[str, Any]:
    """MinIO's GetCombinedPolicy: every statement of every document, in one policy."""
    statements: list[Any] = []
    for document in documents:
        listed = policy_value(document).get("Statement", [])
        statements += listed if isinstance(listed, list) else [listed]
    return {"Version": "2012-10-17", "Statement": statements}


def account_policy_names(ids: Identities, account: str) -> list[str]:
    """The policies that apply to a user: its own, then its enabled groups' (blocking)."""
    user = ids.user(account)
    names = list(user.policies) if user is not None else []
    for group in ids.groups_of(account):
        if group.status == ENABLED:
            names += group.policies
    return list(dict.fromkeys(names))


def account_policy(ids: Identities, account: str) -> dict[str, Any]:
    """The effective policy document of an account (the root user's is consoleAdmin's, as
    MinIO shows it) (blocking)."""
    names = ["consoleAdmin"] if account == ids.root_user else account_policy_names(ids, account)
    documents = [p.document for name in names if (p := ids.policy(name)) is not None]
    return combined_policy(documents) if documents else dict(EMPTY_POLICY)


def indented(value: Any) -> str:
    """json.MarshalIndent(value, "", " ") as MinIO writes policies into JSON strings."""
    return json.dumps(value, indent=1, ensure_ascii=False)
