"""Delete operations: DeleteObject and DeleteObjects (of objects or versions), with Delete and
DeleteResult."""

from __future__ import annotations

from collections.abc import Sequence

from cairn.engine.api import MAX_KEY_BYTES, DeletedObject, ObjectOptions, ObjectToDelete

from ..body import read_body
from ..checksum_headers import verify_body_digest
from ..context import Context, ObjectEvent, Response
from ..errors import S3Error, from_engine
from ..params import version_id
from ..xml import (
    XML_HEADER,
    XMLError,
    document,
    esc,
    expect_root,
    fields,
    opt,
    parse_bool,
    parse_xml,
    text,
)
from .object_lock import bypass_governance

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


def deleted_xml(asked: ObjectToDelete, done: DeletedObject) -> str:
    """One Deleted entry: Key; VersionId when one was asked for; DeleteMarker and
    DeleteMarkerVersionId when a delete marker was written, or was the version deleted."""
    body = f"<Key>{esc(done.key)}</Key>"
    if asked.version_id is not None:
        body += f"<VersionId>{esc(asked.version_id)}</VersionId>"
    if done.delete_marker:
        body += f"<DeleteMarker>true</DeleteMarker>{opt('DeleteMarkerVersionId', done.version_id)}"
    return f"<Deleted>{body}</Deleted>"


def delete_result_xml(deleted: Sequence[tuple[ObjectToDelete, DeletedObject]],
                      errors: Sequence[tuple[ObjectToDelete, str, str]], quiet: bool) -> bytes:
    """DeleteObjects: a Deleted entry per deleted key (none in quiet mode), then Error (Key,
    VersionId, Code, Message) per failure."""
    done = "" if quiet else "".join(deleted_xml(asked, d) for asked, d in deleted)
    failed = "".join(f"<Error><Key>{esc(asked.key)}</Key>{opt('VersionId', asked.version_id)}"
                     f"<Code>{esc(code)}</Code><Message>{esc(message)}</Message></Error>"
                     for asked, code, message in errors)
    return document("DeleteResult", done + failed)


def deleted_headers(done: DeletedObject) -> list[tuple[str, str]]:
    """DeleteObject's x-amz-version-id (the version deleted, or the delete marker written) and
    x-amz-delete-marker (when a marker was written, or was the version deleted)."""
    headers = [] if done.version_id is None else [("x-amz-version-id", done.version_id)]
    return headers + ([("x-amz-delete-marker", "true")] if done.delete_marker else [])


async def handle_delete_object(ctx: Context) -> Response:
    """DeleteObject (of a version with versionId); If-Match: only the version with that ETag (412
    otherwise, 404 when there is none), decided atomically with the delete."""
    opts = ObjectOptions(if_match=ctx.header("if-match"), version_id=version_id(ctx.query),
                         bypass_governance=bypass_governance(ctx))
    done = await ctx.run(ctx.layer.delete_object, ctx.bucket, ctx.key, opts)
    return Response(204, deleted_headers(done))


async def handle_delete_objects(ctx: Context) -> Response:
    body = await read_body(ctx)
    verify_body_digest(ctx, body)
    quiet, targets = parse_delete_objects(body)
    allowed, refused = permitted(ctx, targets)
    opts = ObjectOptions(bypass_governance=bypass_governance(ctx, "*") if allowed else False)
    outcomes = await ctx.run(ctx.layer.delete_objects, ctx.bucket, allowed, opts) if allowed else []
    pairs = list(zip(allowed, outcomes, strict=True))
    deleted = [(asked, o) for asked, o in pairs if o.error is None]
    errors = [(asked, err.code, err.message) for asked, o in pairs if o.error is not None
              for err in (from_engine(o.error),)]
    errors += [(asked, "AccessDenied", "Access Denied.") for asked in refused]
    return Response(200, [XML_HEADER], delete_result_xml(deleted, errors, quiet),
                    events=[removed_event(asked, done) for asked, done in deleted])


def removed_event(asked: ObjectToDelete, done: DeletedObject) -> ObjectEvent:
    """The notification event of one key DeleteObjects deleted: a delete marker written, or a
    version (or an unversioned object) removed."""
    marker = done.delete_marker and asked.version_id is None
    return ObjectEvent("s3:ObjectRemoved:" + ("DeleteMarkerCreated" if marker else "Delete"), done.key,
                       done.version_id, 0, "")


def permitted(ctx: Context, targets: list[ObjectToDelete]
              ) -> tuple[list[ObjectToDelete], list[ObjectToDelete]]:
    """DeleteObjects is authorized key by key, as S3 does: (allowed, refused)."""
    if ctx.access is None:
        return targets, []
    allowed: list[ObjectToDelete] = []
    refused: list[ObjectToDelete] = []
    for t in targets:
        action = "s3:DeleteObject" if t.version_id is None else "s3:DeleteObjectVersion"
        extra = None if t.version_id is None else {"s3:versionid": [t.version_id]}
        (allowed if ctx.access.allows(action, ctx.bucket, t.key, extra) else refused).append(t)
    if refused and not allowed:
        raise S3Error("AccessDenied")  # nothing at all may be deleted: refused whole, as MinIO
    return allowed, refused
