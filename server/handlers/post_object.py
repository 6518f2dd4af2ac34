"""PostObject: browser form uploads (multipart/form-data), the file streamed into the engine.

The steps, in S3's order (auth/post_policy.py has the details of each):

1. parse the form up to the file part (form.py: the fields before it are bounded; nothing
   of the file is buffered), fold the fields (names case-insensitive);
2. verify the form's signature (SigV4 or SigV2 fields; none is anonymous), parse its policy,
   expand ${filename} in the key, check the policy (expiry, conditions, no uncovered field);
3. authorize s3:PutObject on the key for whoever signed (the pipeline does not: the form,
   not the request, carries the credentials), exactly as a PUT is authorized (the acl and
   SSE fields give the condition keys a PUT's headers give);
4. read what the form asks besides the bytes (metadata, tags, ACL, checksum, and the SSE
   fields as sse.py reads PUT's headers, with the same errors), then
   stream the file part into put_object, the policy's content-length-range (and S3's 5 GB
   bound for POST) enforced as bytes arrive, an x-amz-checksum-* field verified; the rest of
   the form is read and checked (a missing close delimiter, a second file) before the engine
   commits, so a malformed body stores nothing;
5. answer per success_action_redirect / success_action_status, with the SSE headers a PUT's
   answer would have.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime

import trio

from cairn.engine.api import ObjectOptions, from_s3

from ..acl import canned_grants, checked_acl
from ..auth.post_policy import (
    ContentLengthRange,
    check_post_policy,
    missing_field,
    object_location,
    parse_post_policy,
    substitute_filename,
    success_response,
    verify_post_signature,
)
from ..authorization import bind
from ..checksum_headers import sent_checksums
from ..context import Chunk, Context, ObjectEvent, Response
from ..errors import S3Error
from ..form import (
    Event,
    Field,
    FileData,
    FileEnd,
    FileStart,
    FormParser,
    field_map,
    file_count,
    parse_boundary,
)
from ..metadata import metadata_from
from ..sse import KMS_KEY_ID, SSE, sse_headers, write_encryption_from
from .service import owner
from .tagging import parse_tagging

MAX_TAGS = 10
# Form fields that give the condition keys a PUT's headers give (authorization.HEADER_KEYS).
CONDITION_FIELDS = {"acl": "s3:x-amz-acl", SSE: f"s3:{SSE}", KMS_KEY_ID: f"s3:{KMS_KEY_ID}"}
MAX_POST_SIZE = 5 << 30  # S3: "The maximum allowed size of an object uploaded with POST is 5 GB"


class FormBody:
    """The form's events as the request body arrives; the file's bytes as the engine pulls them
    (from its worker thread, each pull a hop back to the event loop, as body.EngineBody)."""

    def __init__(self, ctx: Context, parser: FormParser) -> None:
        self.ctx = ctx
        self.parser = parser
        self.pending: list[Event] = []
        self.source: AsyncIterator[Chunk] = ctx.payload.__aiter__()
        self.limit: ContentLengthRange | None = None
        self.size = 0

    async def next_event(self) -> Event | None:
        """The next event; None once the body and the form have ended (end() checked)."""
        while not self.pending:
            try:
                piece = await self.source.__anext__()
            except StopAsyncIteration:
                self.parser.end()
                return None
            self.pending = self.parser.feed(piece)
        return self.pending.pop(0)

    async def fields_and_file(self) -> tuple[list[Field], FileStart]:
        fields: list[Field] = []
        while (event := await self.next_event()) is not None:
            if isinstance(event, FileStart):
                return fields, event
            if isinstance(event, Field):
                fields.append(event)
        raise file_count(0)

    async def _file_pieces(self) -> tuple[list[Chunk], bool]:
        """Up to about 1 MiB of the file, and whether it has ended (the form checked to its end)."""
        pieces: list[Chunk] = []
        got = 0
        while got < (1 << 20):
            event = await self.next_event()
            if isinstance(event, FileData):
                self.size += len(event.data)
                if self.size > MAX_POST_SIZE:
                    raise S3Error("EntityTooLarge", MaxSizeAllowed=str(MAX_POST_SIZE))
                if self.limit is not None:
                    self.limit.check(self.size, final=False)
                pieces.append(event.data)
                got += len(event.data)
            elif isinstance(event, FileEnd):
                while await self.next_event() is not None:  # S3 ignores fields after the file
                    pass
                if self.limit is not None:
                    self.limit.check(self.size)
                return pieces, True
            elif event is None:
                raise file_count(0)
        return pieces, False

    def __iter__(self) -> Iterator[Chunk]:
        ended = False
        while not ended:
            pieces, ended = trio.from_thread.run(self._file_pieces)
            yield from pieces


def form_options(ctx: Context, form: Mapping[str, str]) -> ObjectOptions:
    """What the form asks to store besides the bytes: metadata fields, a Tagging document, a
    canned ACL (checked against the bucket's ownership and public access settings), and the
    encryption (the SSE fields, read as PutObject reads the same headers; none: the bucket's
    default encryption, as for a PUT)."""
    metadata = metadata_from(form.get, form.items())
    tagging = form.get("tagging")
    tags = parse_tagging(tagging.encode(), MAX_TAGS) if tagging is not None else None
    sent = sent_checksums(form)
    if len(sent) > 1:
        raise S3Error("InvalidRequest", "Expecting a single x-amz-checksum- field. Multiple checksum Types "
                                        "are not allowed.")
    expected = {algorithm: from_s3(algorithm, value) for algorithm, value in sent.items()}
    acl = None
    if "acl" in form:
        owner_id = owner(ctx)[0]
        grants = canned_grants(form["acl"], owner_id)
        acl = checked_acl(ctx.access.buckets.get(ctx.bucket), form["acl"], grants, owner_id)
    return ObjectOptions(metadata=metadata, tags=tags, acl=acl, expected=expected, checksums=tuple(sent),
                         encryption=write_encryption_from(form, ctx.config))


async def authorize_form(ctx: Context, form: Mapping[str, str], key: str) -> None:
    access = bind(ctx, verify_post_signature(form, ctx.directory, datetime.now(UTC)))
    if await access.load(ctx.bucket) is None:
        raise S3Error("NoSuchBucket", BucketName=ctx.bucket)
    # As a PUT is: a bucket policy may require an ACL, or encryption, of the uploads.
    extra = {key_name: [form[name]] for name, key_name in CONDITION_FIELDS.items() if name in form}
    await access.require_async("s3:PutObject", ctx.bucket, key, extra or None)


async def handle_post_object(ctx: Context) -> Response:
    body = FormBody(ctx, FormParser(parse_boundary(ctx.header("content-type") or "")))
    fields, file = await body.fields_and_file()
    form = field_map(fields)
    if "key" not in form:
        raise missing_field("key")
    key = substitute_filename(form["key"], file.filename)
    form = {**form, "key": key}
    await authorize_form(ctx, form, key)
    if "policy" in form:
        body.limit = check_post_policy(parse_post_policy(form["policy"]), form, ctx.bucket, datetime.now(UTC))
    elif ctx.principal.kind != "anonymous":
        raise missing_field("policy")
    opts = form_options(ctx, form)
    info = await ctx.run_streaming(ctx.layer.put_object, ctx.bucket, key, body, opts)
    host = ctx.header("host") or "localhost"
    location = object_location(f"http://{host}/{ctx.bucket}", key)
    status, headers, payload = success_response(form, ctx.bucket, key, info.etag, location)
    headers += sse_headers(info.sse, opts.encryption)  # as PutObject answers
    return Response(status, headers, payload, events=[
        ObjectEvent("s3:ObjectCreated:Post", key, info.version_id, info.size, info.etag)])
