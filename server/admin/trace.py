"""GET trace: `mc admin trace ALIAS` (madmin.ServiceTrace): S3 requests of every worker as they
finish, a JSON stream of madmin.TraceInfo (server/trace.py); `err=true` only failed requests,
`threshold=<Go duration>` only slower ones."""

from __future__ import annotations

from .. import trace
from ..context import Context, Response
from .common import require


async def handle_trace(ctx: Context) -> Response:
    require(ctx, "admin:ServerTrace")
    errors_only = ctx.query.get("err") == "true"
    threshold = trace.go_duration(ctx.query.get("threshold", "0s"))
    return Response(200, [("Content-Type", "application/json")], trace.stream(errors_only, threshold))
