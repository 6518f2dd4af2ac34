"""CORS preflight (OPTIONS): answered without authentication, as S3 does.  No bucket has a CORS
configuration yet (coming with the bucket-features work), so every preflight is refused the way
S3 refuses one for a bucket without it."""

from __future__ import annotations

from ..context import Context, Response
from ..errors import S3Error


async def handle_options_object(ctx: Context) -> Response:
    if not ctx.header("origin"):
        raise S3Error("BadRequest", "Insufficient information. Origin request header needed.")
    if not ctx.header("access-control-request-method"):
        raise S3Error("BadRequest", "Invalid Access-Control-Request-Method: null")
    raise S3Error("AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", 403)
