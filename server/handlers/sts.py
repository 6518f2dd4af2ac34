"""STS AssumeRole at the S3 endpoint (as MinIO serves it): temporary credentials carrying the
caller's permissions, narrowed by the optional Policy, never widened (iam/sts.py).

The request is a form POST to "/" signed for the service "sts" (boto3's sts client with
endpoint_url, minio-py's AssumeRoleProvider); the answer and its errors are STS's XML
(AssumeRoleResponse, ErrorResponse), not S3's.  RoleArn and RoleSessionName are accepted and
echoed as MinIO does: there are no roles, the session acts as its caller.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from ..body import read_body
from ..context import Context, Response
from ..errors import S3Error
from ..iam.policy import MalformedPolicy, parse_policy
from ..iam.sts import DEFAULT_DURATION, MAX_DURATION, MIN_DURATION
from ..xml import esc

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
MAX_FORM = 64 * 1024
MAX_SESSION_POLICY = 2048  # AWS's limit on the plain-text session policy


class STSError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def error_body(code: str, message: str, request_id: str) -> tuple[str, bytes]:
    """STS's error document (the pipeline's refusals at this endpoint use it too)."""
    body = (f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{esc(code)}</Code>'
            f"<Message>{esc(message)}</Message></Error><RequestId>{esc(request_id)}</RequestId>"
            "</ErrorResponse>")
    return "text/xml", body.encode()


def error_response(ctx: Context, exc: STSError) -> Response:
    content_type, body = error_body(exc.code, exc.message, ctx.request_id)
    return Response(exc.status, [("Content-Type", content_type)], body)


async def handle_assume_role(ctx: Context) -> Response:
    try:
        return await assume_role(ctx)
    except STSError as exc:
        return error_response(ctx, exc)


def duration_of(form: dict[str, str]) -> int:
    raw = form.get("DurationSeconds")
    if raw is None:
        return DEFAULT_DURATION
    if not raw.isdigit() or not MIN_DURATION <= int(raw) <= MAX_DURATION:
        raise STSError("ValidationError", f"1 validation error detected: Value '{raw}' at 'durationSeconds' "
                       f"failed to satisfy constraint: Member must have value between {MIN_DURATION} and "
                       f"{MAX_DURATION}")
    return int(raw)


def session_policy(form: dict[str, str]) -> str | None:
    text = form.get("Policy")
    if not text:
        return None
    if len(text) > MAX_SESSION_POLICY:
        raise STSError("PackedPolicyTooLarge", "Packed size of the policy exceeds the allowed limit")
    try:
        parse_policy(text, "session")
    except MalformedPolicy as exc:
        raise STSError("MalformedPolicyDocument", str(exc)) from exc
    return text


async def assume_role(ctx: Context) -> Response:
    try:
        raw = await read_body(ctx, MAX_FORM, S3Error("InvalidRequest", "The STS request is too large."))
        form = dict(parse_qsl(raw.decode(), keep_blank_values=True))
    except (S3Error, UnicodeDecodeError) as exc:
        raise STSError("InvalidParameterValue", str(exc)) from exc
    form = {**ctx.query, **form}
    action = form.get("Action")
    if action != "AssumeRole":
        raise STSError("InvalidAction", f"Could not find operation {action} for version "
                       f"{form.get('Version', '')}")
    if form.get("Version") != "2011-06-15":
        raise STSError("InvalidParameterValue", "Invalid STS API version: use 2011-06-15")
    duration = duration_of(form)
    policy = session_policy(form)
    principal = ctx.principal
    sessions = tuple(p.raw for p in principal.sessions) + ((policy,) if policy else ())
    issued = ctx.directory.tokens.issue(principal.account, sessions, int(time.time()), duration)
    expiry = datetime.fromtimestamp(issued.expiry, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    name = esc(form.get("RoleSessionName") or principal.account)
    body = (f'<AssumeRoleResponse xmlns="{NAMESPACE}"><AssumeRoleResult><AssumedRoleUser>'
            f"<Arn>arn:aws:sts:::assumed-role/{esc(principal.account)}/{name}</Arn>"
            f"<AssumedRoleId>{esc(issued.access_key)}:{name}</AssumedRoleId></AssumedRoleUser>"
            f"<Credentials><AccessKeyId>{issued.access_key}</AccessKeyId>"
            f"<SecretAccessKey>{issued.secret_key}</SecretAccessKey>"
            f"<SessionToken>{issued.token}</SessionToken><Expiration>{expiry}</Expiration></Credentials>"
            f"</AssumeRoleResult><ResponseMetadata><RequestId>{esc(ctx.request_id)}</RequestId>"
            "</ResponseMetadata></AssumeRoleResponse>")
    return Response(200, [("Content-Type", "text/xml")], body.encode())
