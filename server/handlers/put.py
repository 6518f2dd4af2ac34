"""PutObject: the request body streamed into the engine (with its tags and object lock)."""

from __future__ import annotations

from cairn.engine.api import ObjectOptions

from ..acl import acl_from_headers
from ..body import EngineBody, write_body
from ..checksum_headers import checksum_headers, checksum_request
from ..conditions import write_conditions
from ..context import Context, Response
from ..lifecycle import expiration_header
from ..metadata import announced_size, metadata_from_request, quoted, written_version
from ..sse import sse_headers, write_encryption
from .object_lock import lock_options
from .service import owner
from .tagging import request_tags


async def handle_put_object(ctx: Context) -> Response:
    size = announced_size(ctx)
    metadata = metadata_from_request(ctx)
    checksums = checksum_request(ctx)
    if_none_match, if_match = write_conditions(ctx)
    opts = ObjectOptions(metadata=metadata, size=size, expected=checksums.expected,
                         checksums=checksums.algorithms, if_none_match=if_none_match, if_match=if_match,
                         tags=request_tags(ctx), acl=acl_from_headers(ctx, owner(ctx)[0]),
                         encryption=write_encryption(ctx))
    lock_options(ctx).apply(opts)
    body = await EngineBody(ctx, checksums.trailer).prefetch(size)
    info = await write_body(ctx, ctx.layer.put_object, ctx.bucket, ctx.key, body, opts)
    headers = [("ETag", quoted(info.etag)), *checksum_headers(info.checksums), *written_version(info),
               *expiration_header(ctx, info), *sse_headers(info.sse, opts.encryption)]
    return Response(200, headers)
