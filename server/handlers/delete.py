"""Delete operations: DeleteObject and DeleteObjects, with Delete and DeleteResult."""

from __future__ import annotations

from collections.abc import Sequence

from cairn.engine.api import MAX_KEY_BYTES, ObjectOptions, ObjectToDelete

from ..body import read_body
from ..checksum_headers import verify_body_digest
from ..context import Context, Response
from ..errors import from_engine
from ..xml import (
    XML_HEADER,
    XMLError,
    document,
    esc,
    expect_root,
    fields,
    parse_bool,
    parse_xml,
    text,
)

MAX_DELETE_OBJECTS = 1000
# 1000 keys of 1024 bytes, each character possibly sent as a 5-byte `&amp;`, still fits.
MAX_DELETE_BODY = 8 << 20


def parse_delete_objects(body: bytes) -> tuple[bool, list[ObjectToDelete]]:
    """DeleteObjects' `<Delete>`: (quiet, the objects: key, version id, ETag of a conditional delete).

    As S3: no Object or more than 1000 -> MalformedXML; an Object without Key -> MalformedXML; a key
    over 1024 bytes -> KeyTooLongError.  An empty key is returned for the handler to answer per key.
    Unknown elements (LastModifiedTime, Size of directory buckets' conditional deletes) are ignored."""
    root = parse_xml(body, MAX_DELETE_BODY)
    expect_root(root, "Delete")
    quiet_text = text(root, "Quiet")
    quiet = False if quiet_text is None else parse_bool(quiet_text)
    targets: list[ObjectToDelete] = []
    for obj in root:
        if obj.tag != "Object":
            continue
        if len(targets) == MAX_DELETE_OBJECTS:
            raise XMLError("MalformedXML")
        values = fields(obj)
        key = values.get("Key")
        if key is None:
            raise XMLError("MalformedXML")
        if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
            raise XMLError("KeyTooLongError")
        etag = values.get("ETag")
        targets.append(ObjectToDelete(key, values.get("VersionId"),
                                      etag.strip().strip('"') if etag is not None else None))
    if not targets:
        raise XMLError("MalformedXML")
    return quiet, targets


def delete_result_xml(deleted: Sequence[str], errors: Sequence[tuple[str, str, str]],
                      quiet: bool) -> bytes:
    """DeleteObjects: Deleted/Key per deleted key (none in quiet mode), then Error (Key, Code,
    Message) per failure."""
    done = "" if quiet else "".join(f"<Deleted><Key>{esc(key)}</Key></Deleted>" for key in deleted)
    failed = "".join(f"<Error><Key>{esc(key)}</Key><Code>{esc(code)}</Code>"
                     f"<Message>{esc(message)}</Message></Error>" for key, code, message in errors)
    return document("DeleteResult", done + failed)


async def handle_delete_object(ctx: Context) -> Response:
    """DeleteObject; If-Match: only the version with that ETag (412 otherwise, 404 when there is
    none), decided atomically with the delete."""
    opts = ObjectOptions(if_match=ctx.header("if-match"))
    await ctx.run(ctx.layer.delete_object, ctx.bucket, ctx.key, opts)
    return Response(204)


async def handle_delete_objects(ctx: Context) -> Response:
    body = await read_body(ctx)
    verify_body_digest(ctx, body)
    quiet, targets = parse_delete_objects(body)
    outcomes = await ctx.run(ctx.layer.delete_objects, ctx.bucket, targets, None)
    deleted = [o.key for o in outcomes if o.error is None]
    errors = [(o.key, err.code, err.message) for o in outcomes if o.error is not None
              for err in (from_engine(o.error),)]
    return Response(200, [XML_HEADER], delete_result_xml(deleted, errors, quiet))
