"""POST service?action=stop|restart[&dry-run=true]: madmin's ServiceAction (type 2), what
`mc admin service stop|restart` sends; the answer is madmin.ServiceActionResult.  freeze and
unfreeze (MinIO's pause of S3 calls) are not served."""

from __future__ import annotations

from ..context import Context, Response
from ..service import request
from .common import AdminError, json_response, require

ACTIONS = {"stop": "admin:ServiceStop", "restart": "admin:ServiceRestart"}


async def handle_service(ctx: Context) -> Response:
    action = ctx.query.get("action", "")
    if action not in ACTIONS:
        if action in ("freeze", "unfreeze"):
            raise AdminError("NotImplemented", f"The service action {action!r} is not implemented by this "
                             "server.", 501)
        raise AdminError("XMinioAdminInvalidArgument", f"Unknown service action {action!r}", 400)
    require(ctx, ACTIONS[action])
    dry_run = ctx.query.get("dry-run", "false") == "true"
    if not dry_run:
        request(action)
    host = ctx.header("host") or "127.0.0.1"
    return json_response({"action": action, "dryRun": dry_run, "results": [{"host": host}]})
