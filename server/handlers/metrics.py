"""MinIO's Prometheus endpoints, /minio/v2/metrics/{cluster,node,bucket}: the bearer token
checked as MinIO checks it (metrics/jwt.py; the key needs admin:Prometheus, as MinIO's
AuthMiddleware asks), or none when the operator made them public
(CAIRN_PROMETHEUS_AUTH_TYPE=public, or MinIO's MINIO_PROMETHEUS_AUTH_TYPE); then the exposition
(metrics/exposition.py).  A refusal is MinIO's: 403 with its JSON AccessDenied body."""

from __future__ import annotations

import logging
import os

import orjson

from ..authorization import Access
from ..context import UNSIGNED, Context, Identity, Response
from ..iam.directory import PrincipalError
from ..metrics import exposition, jwt
from ..metrics.requests import RECORDER

log = logging.getLogger("cairn.server")

KINDS = {"MetricsCluster": "cluster", "MetricsNode": "node", "MetricsBucket": "bucket"}
AUTH_TYPE_ENV = ("CAIRN_PROMETHEUS_AUTH_TYPE", "MINIO_PROMETHEUS_AUTH_TYPE")
ACTION = "admin:Prometheus"


def public() -> bool:
    """Whether the operator made the metrics public (the CAIRN_ variable wins over MinIO's)."""
    for name in AUTH_TYPE_ENV:
        value = os.environ.get(name)
        if value:
            return value.strip().lower() == "public"
    return False


def refused(ctx: Context, why: str) -> Response:
    log.warning("%s: metrics scrape refused: %s (request %s)", ctx.request.path, why, ctx.request_id)
    body = orjson.dumps({"Code": "AccessDenied", "Message": "Access Denied.", "Resource": ctx.request.path,
                         "RequestId": ctx.request_id, "HostId": ""})
    return Response(403, [("Content-Type", "application/json")], body)


def check(ctx: Context) -> str | None:
    """Why the scrape is refused (None: it is allowed)."""
    token = jwt.bearer(ctx.header("authorization"))
    if token is None:
        return "no bearer token"
    try:
        access_key = jwt.verify(token, ctx.directory.secret_for)
    except jwt.TokenError as exc:
        return str(exc)
    try:
        principal = ctx.directory.principal(Identity(access_key, "v4-header", UNSIGNED))
    except PrincipalError as exc:
        return exc.message
    if not Access(ctx, principal).allows(ACTION):
        return f"{access_key} is not allowed {ACTION}"
    return None


async def handle_metrics(ctx: Context) -> Response:
    """GET (or HEAD) /minio/v2/metrics/<kind>: the text exposition."""
    if not public() and (why := check(ctx)) is not None:
        return refused(ctx, why)
    RECORDER.flush()  # this worker's latest counts; the others flush every second
    body = await ctx.run(exposition.render, KINDS[ctx.operation], ctx.layer, RECORDER, ctx.config.webhooks)
    return Response(200, [("Content-Type", exposition.CONTENT_TYPE)], body)
