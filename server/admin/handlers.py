"""MinIO's admin API (/minio/admin/v3/...): users, groups, policies, service accounts, server and
account info, as the unchanged `mc admin` (madmin-go v3.0.96) speaks it.

Theory of operation
-------------------
The router sends every path under /minio/admin/ here as the operation "AdminApi", the rest
of the path as the key ("v3/add-user").  The pipeline has already checked the signature
(madmin signs with SigV4, service "s3", and the body's SHA-256) and found the caller's
principal; nothing else is decided before this handler.  `handle_admin_api` looks the path
and method up in routes.ROUTES and runs the endpoint, which:

1. checks the admin action MinIO checks for it (pkg/policy admin-action.go names, through
   ctx.access), or MinIO's self-service rules: a user may read its own user info and account
   info and manage its own service accounts unless a policy denies it (common.allows_for_self);
2. reads the body (bounded: common.MAX_BODY) in madmin's format for that endpoint;
3. calls the identity store (iam/store.py, blocking: through ctx.run), whose refusals
   (IdentityError) become MinIO's error codes here (common.IDENTITY_ERRORS);
4. answers in madmin's format.

madmin's formats, per endpoint (madmin-go user-commands.go, group-commands.go,
policy-commands.go, idp-commands.go, info-commands.go):

- plain JSON: update-group-members (request), group, groups, user-info, list-canned-policies,
  info-canned-policy, info, accountinfo; add-canned-policy's request is the policy document;
- encrypted with the caller's secret key as the password (madmin.EncryptData, crypto.py:
  salt | id | nonce | DARE fragments, Argon2id + AES-256-GCM): add-user (request),
  list-users, add-service-account (request and answer), update-service-account (request),
  info-service-account, list-service-accounts, list-access-keys-bulk, temporary-account-info,
  idp/builtin/policy/attach|detach (request and answer), idp/builtin/policy-entities;
- no body: remove-user, set-user-status, set-group-status, remove-canned-policy,
  set-user-or-group-policy (200), update- and delete-service-account (204).

Every refusal is MinIO's JSON admin error ({"Code", "Message", "Resource", "Region",
"RequestId", "HostId"}, writeErrorResponseJSON) with MinIO's status, so mc prints MinIO's
messages; a path this server does not serve answers NotImplemented (501) in the same form.
Key derivation for encrypted bodies (Argon2id, 64 MiB) runs in a worker thread.
"""

from __future__ import annotations

import logging

from cairn.engine.errors import EngineError

from ..context import Context, Response
from ..errors import S3Error, from_engine
from ..iam.store import IdentityError
from .common import IDENTITY_ERRORS, AdminError, error_response
from .routes import PREFIXED, ROUTES, VERSION

log = logging.getLogger("cairn.server.admin")


async def handle_admin_api(ctx: Context) -> Response:
    """The one handler of every /minio/admin/ request (HANDLERS["AdminApi"])."""
    try:
        return await dispatch(ctx)
    except AdminError as exc:
        return refused(ctx, exc)
    except IdentityError as exc:
        code, status = IDENTITY_ERRORS.get(exc.kind, ("XMinioAdminInvalidArgument", 400))
        return refused(ctx, AdminError(code, exc.message, status))
    except EngineError as exc:
        s3 = from_engine(exc)
        return refused(ctx, AdminError(s3.code, s3.message, s3.status))
    except S3Error as exc:
        return refused(ctx, AdminError(exc.code, exc.message, exc.status))


async def dispatch(ctx: Context) -> Response:
    version, _, path = (ctx.key_name or "").partition("/")
    if version != VERSION:
        raise AdminError("XMinioAdminVersionMismatch",
                         f"Server expects client requests with 'admin' API version '{VERSION}', found "
                         f"'{version}', please use a matching client", 426)
    methods = ROUTES.get(path)
    if methods is None and path.partition("/")[0] in PREFIXED:
        methods = ROUTES[path.partition("/")[0]]
    if methods is None:
        raise AdminError("NotImplemented", f"The admin API {path!r} is not implemented by this server.", 501)
    handler = methods.get(ctx.request.method)
    if handler is None:
        raise AdminError("MethodNotAllowed",
                         "The specified method is not allowed against this resource.", 405)
    return await handler(ctx)


def refused(ctx: Context, error: AdminError) -> Response:
    if error.status >= 500 and error.status != 501:
        log.error("%s %s: %s %s (request %s)", ctx.request.method, ctx.request.path, error.status, error.code,
                  ctx.request_id)
    return error_response(ctx, error)
