"""Object operations: PutObject, GetObject, HeadObject, DeleteObject, CopyObject, GetObjectAttributes."""

from __future__ import annotations

import email.utils
import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import unquote

from cairn.engine.checksums import S3_CHECKSUM_ALGORITHMS, from_s3
from cairn.engine.erasure_set import ObjectReader, ObjectWriter, PutOptions
from cairn.engine.errors import ChecksumMismatch
from cairn.engine.records import ObjectMeta

from .. import s3xml
from ..app import Context, Response, http_date
from ..errors import S3Error

CHUNK = 1 << 20  # body bytes handed to the engine per thread hop
MAX_OBJECT_SIZE = 5 << 40  # 5 TiB
MAX_COPY_SIZE = 5 << 30  # CopyObject's limit; larger copies go through UploadPartCopy
MAX_USER_META = 2048
MAX_PART_NUMBER = 10_000
OBJECT_ATTRIBUTES = ("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize")
T = TypeVar("T")
# System metadata S3 stores with the object and returns on GET/HEAD.
STORED_HEADERS = ("Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires")
RESPONSE_OVERRIDES = {
    "response-content-type": "Content-Type",
    "response-content-language": "Content-Language",
    "response-expires": "Expires",
    "response-cache-control": "Cache-Control",
    "response-content-disposition": "Content-Disposition",
    "response-content-encoding": "Content-Encoding",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


# -- metadata in and out -------------------------------------------------------------


def quoted(etag: str) -> str:
    return f'"{etag}"'


def last_modified(meta: ObjectMeta) -> datetime:
    return datetime.fromtimestamp(meta.mtime_ns // 1_000_000_000, UTC)


def object_headers(meta: ObjectMeta) -> list[tuple[str, str]]:
    headers = [
        ("Content-Type", meta.content_type),
        ("ETag", quoted(meta.etag)),
        ("Last-Modified", http_date(meta.mtime_ns // 1_000_000_000)),
        ("Accept-Ranges", "bytes"),
    ]
    headers += [(name, value) for name, value in meta.headers.items()]
    headers += [(f"x-amz-meta-{name}", value) for name, value in meta.user_meta.items()]
    return headers


def checksum_headers(checksums: Mapping[str, str], kind: str = "FULL_OBJECT") -> list[tuple[str, str]]:
    """x-amz-checksum-<algorithm> and x-amz-checksum-type (COMPOSITE values end in "-N")."""
    out = [(f"x-amz-checksum-{a}", v) for a, v in checksums.items()]
    return [*out, ("x-amz-checksum-type", kind)] if out else out


def part_number(value: str) -> int:
    """A partNumber query value: an integer in 1..10000, else InvalidArgument."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PART_NUMBER:
        raise S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive",
                      ArgumentName="partNumber", ArgumentValue=value)
    return number


def metadata_from_request(ctx: Context) -> tuple[str, dict[str, str], dict[str, str]]:
    """(content type, stored system headers, user metadata) from a PUT or a REPLACE copy."""
    content_type = ctx.header("content-type") or "binary/octet-stream"
    headers = {name: v for name in STORED_HEADERS if (v := ctx.header(name.lower())) is not None}
    user = {n[len("x-amz-meta-"):]: v for n, v in ctx.req.headers if n.startswith("x-amz-meta-")}
    if sum(len(k) + len(v) for k, v in user.items()) > MAX_USER_META:
        raise S3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.",
                      Size=str(sum(len(k) + len(v) for k, v in user.items())), MaxSizeAllowed="2048")
    return content_type, headers, user


def checksum_options(ctx: Context) -> tuple[tuple[str, ...], dict[str, bytes], str | None]:
    """(algorithms to compute and store, digests to verify, algorithm expected in a trailer)."""
    expected: dict[str, bytes] = {}
    algorithms: list[str] = []
    md5 = ctx.content_md5()
    if md5 is not None:
        expected["md5"] = md5
    for algorithm in S3_CHECKSUM_ALGORITHMS:
        value = ctx.header(f"x-amz-checksum-{algorithm}")
        if value is None:
            continue
        try:
            expected[algorithm] = from_s3(algorithm, value)
        except ValueError:
            raise S3Error("InvalidRequest",
                          f"Value for x-amz-checksum-{algorithm} header is invalid.") from None
        algorithms.append(algorithm)
    trailer = None
    declared = ctx.identity.payload.trailer or ctx.header("x-amz-trailer")
    if declared:
        name = declared.strip().lower()
        trailer = name.removeprefix("x-amz-checksum-")
        if trailer == name or trailer not in S3_CHECKSUM_ALGORITHMS:
            raise S3Error("InvalidRequest", "The value specified in the x-amz-trailer header is not "
                                            "supported")
        algorithms.append(trailer)
    sdk = ctx.header("x-amz-sdk-checksum-algorithm") or ctx.header("x-amz-checksum-algorithm") or ""
    sdk = sdk.lower()
    if sdk:
        if sdk not in S3_CHECKSUM_ALGORITHMS:
            raise S3Error("InvalidRequest", "Checksum algorithm provided is unsupported.")
        algorithms.append(sdk)
    if len(set(algorithms)) > 1:
        raise S3Error("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum "
                                        "Types are not allowed.")
    mode = ctx.identity.payload
    if mode.kind == "sha256" and "sha256" not in expected:
        assert mode.sha256 is not None
        expected["sha256"] = bytes.fromhex(mode.sha256)
    return tuple(dict.fromkeys(algorithms)), expected, trailer


def announced_size(ctx: Context) -> int | None:
    mode = ctx.identity.payload
    if mode.kind.startswith("streaming"):
        if mode.decoded_length is None:
            raise S3Error("MissingContentLength")
        return mode.decoded_length
    size = ctx.req.content_length
    if size is None and ctx.header("transfer-encoding") is None:
        raise S3Error("MissingContentLength")
    return size


# -- PutObject --------------------------------------------------------------------------------


def write_pieces(writer: ObjectWriter, pieces: Sequence[bytes | memoryview]) -> None:
    for piece in pieces:
        writer.write(piece)


async def receive_body(ctx: Context, writer: ObjectWriter) -> None:
    """Stream the request body into the writer, a CHUNK at a time per thread hop."""
    pending: list[bytes | memoryview] = []
    size = 0
    async for piece in ctx.body():
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK:
            await ctx.run(write_pieces, writer, pending)
            pending, size = [], 0
    if pending:
        await ctx.run(write_pieces, writer, pending)


async def commit(ctx: Context, writer: ObjectWriter, trailer: str | None, finish: Callable[[], T]) -> T:
    """Take the trailer's checksum, then run `finish` (the writer's commit) off the event loop."""
    if trailer is not None:
        value = ctx.trailers.get(f"x-amz-checksum-{trailer}")
        if value is None:
            raise S3Error("InvalidRequest", f"x-amz-checksum-{trailer} trailer is missing")
        try:
            writer.opts.expected[trailer] = from_s3(trailer, value)
        except ValueError:
            raise S3Error("InvalidRequest",
                          f"Value for x-amz-checksum-{trailer} trailer is invalid.") from None
    try:
        return await ctx.run(finish)
    except ChecksumMismatch as exc:
        mode = ctx.identity.payload
        if exc.algorithm == "sha256" and mode.kind == "sha256" and mode.sha256 == exc.expected.hex():
            raise S3Error("XAmzContentSHA256Mismatch") from None
        raise


async def handle_put_object(ctx: Context) -> Response:
    size = announced_size(ctx)
    if size is not None and size > MAX_OBJECT_SIZE:
        raise S3Error("EntityTooLarge", ProposedSize=str(size), MaxSizeAllowed=str(MAX_OBJECT_SIZE))
    content_type, headers, user = metadata_from_request(ctx)
    algorithms, expected, trailer = checksum_options(ctx)
    if_none = ctx.header("if-none-match")
    if if_none is not None and if_none.strip() != "*":
        raise S3Error("NotImplemented", "If-None-Match on PutObject accepts only '*'")
    opts = PutOptions(content_type=content_type, headers=headers, user_meta=user, size=size,
                      expected=expected, checksums=algorithms, if_none_match=if_none is not None,
                      if_match=ctx.header("if-match"))
    writer = await ctx.run(ctx.layer.new_object_writer, ctx.bucket, ctx.key, opts)
    try:
        await receive_body(ctx, writer)
        meta = await commit(ctx, writer, trailer, writer.commit)
    except BaseException:
        await ctx.run(writer.abort)
        raise
    return Response(200, [("ETag", quoted(meta.etag)), *checksum_headers(meta.checksums)])


# -- GetObject / HeadObject ----------------------------------------------------------------


def parse_range(value: str | None, size: int) -> tuple[int, int] | None:
    """(start, length) of a single-range Range header; None to serve the whole object.

    S3 ignores a Range it cannot parse (and multiple ranges); an unsatisfiable one is 416."""
    if not value:
        return None
    m = _RANGE.match(value.strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:  # suffix: the last N bytes
        n = int(last)
        if n == 0:
            raise S3Error("InvalidRange", ActualObjectSize=str(size), RangeRequested=value)
        n = min(n, size)
        return size - n, n
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        raise S3Error("InvalidRange", ActualObjectSize=str(size), RangeRequested=value)
    return start, end - start + 1


def parse_http_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def etag_matches(header: str, etag: str) -> bool:
    return any(t.strip().strip('"') in (etag, "*") for t in header.split(","))


def check_conditions(ctx: Context, meta: ObjectMeta, prefix: str = "") -> bool:
    """RFC 7232 as S3 applies it; False means 304 Not Modified.  prefix: "x-amz-copy-source-"."""
    modified = last_modified(meta)
    if_match = ctx.header(f"{prefix}if-match")
    if_none = ctx.header(f"{prefix}if-none-match")
    since = ctx.header(f"{prefix}if-modified-since")
    unmodified = ctx.header(f"{prefix}if-unmodified-since")
    if if_match is not None:
        if not etag_matches(if_match, meta.etag):
            raise S3Error("PreconditionFailed", Condition=f"{prefix or ''}If-Match")
    elif unmodified is not None:
        when = parse_http_date(unmodified)
        if when is not None and modified > when:
            raise S3Error("PreconditionFailed", Condition=f"{prefix}If-Unmodified-Since")
    if if_none is not None:
        if etag_matches(if_none, meta.etag):
            if prefix:
                raise S3Error("PreconditionFailed", Condition=f"{prefix}If-None-Match")
            return False
    elif since is not None:
        when = parse_http_date(since)
        if when is not None and modified <= when:
            if prefix:
                raise S3Error("PreconditionFailed", Condition=f"{prefix}If-Modified-Since")
            return False
    return True


async def blocks(ctx: Context, reader: ObjectReader) -> AsyncIterator[memoryview]:
    """The reader's blocks, each decoded in a worker thread; a view is sent before the next is made.

    The reader is closed in the same thread hop as its last block: a one-block GET costs one
    hop here rather than three (block, end of iteration, close)."""
    count = reader.block_count()
    it = reader.blocks()

    def take(last: bool) -> memoryview:
        view = next(it)
        if last:
            it.close()  # releases the shard files; the view's buffer belongs to the decoder
        return view

    try:
        for i in range(count):
            yield await ctx.run(take, i == count - 1)
    finally:
        it.close()  # no-op once exhausted or closed; only file descriptors to release otherwise


async def get_or_head(ctx: Context, head: bool) -> Response:
    reader = await ctx.run(ctx.layer.open_object, ctx.bucket, ctx.key)
    meta = reader.meta
    headers = object_headers(meta)
    if not check_conditions(ctx, meta):
        keep = {"etag", "last-modified", "cache-control", "expires", "content-location"}
        return Response(304, [(n, v) for n, v in headers if n.lower() in keep])
    status = 200
    want_checksums = (ctx.header("x-amz-checksum-mode") or "").upper() == "ENABLED"
    part = ctx.query.get("partNumber")
    span = parse_range(ctx.header("range"), meta.size) if part is None else None
    if part is not None:
        number = part_number(part)
        if ctx.header("range"):
            raise S3Error("InvalidRequest", "Cannot specify both Range header and partNumber query parameter")
        count = len(meta.parts) or 1
        if number > count:
            raise S3Error("InvalidPartNumber", PartNumberRequested=str(number), ActualPartCount=str(count))
        if meta.parts:
            _, start, length = meta.segments()[number - 1]
            reader.restrict(start, length)
            status = 206
            end = f"{start + length - 1}" if length else f"{start}"
            headers += [("Content-Range", f"bytes {start}-{end}/{meta.size}"),
                        ("x-amz-mp-parts-count", str(count))]
            if want_checksums and meta.checksum_type == "COMPOSITE":
                headers += checksum_headers(meta.parts[number - 1].checksums, "COMPOSITE")
        elif want_checksums:
            headers += checksum_headers(meta.checksums, meta.checksum_type)
    elif span is not None:
        start, length = span
        reader.restrict(start, length)
        status = 206
        headers.append(("Content-Range", f"bytes {start}-{start + length - 1}/{meta.size}"))
    elif want_checksums:
        headers += checksum_headers(meta.checksums, meta.checksum_type)
    overrides = {RESPONSE_OVERRIDES[k]: v for k, v in ctx.query.items() if k in RESPONSE_OVERRIDES}
    if overrides:
        headers = [(n, v) for n, v in headers if n not in overrides] + list(overrides.items())
    if head:
        return Response(status, headers, b"", length=reader.length)
    return Response(status, headers, blocks(ctx, reader), length=reader.length)


async def handle_get_object(ctx: Context) -> Response:
    return await get_or_head(ctx, head=False)


async def handle_head_object(ctx: Context) -> Response:
    return await get_or_head(ctx, head=True)


# -- DeleteObject -----------------------------------------------------------------------------


async def handle_delete_object(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_object, ctx.bucket, ctx.key)
    return Response(204)


# -- CopyObject -------------------------------------------------------------------------------


def copy_source(ctx: Context) -> tuple[str, str]:
    raw = ctx.header("x-amz-copy-source") or ""
    path, _, query = raw.partition("?")
    source = unquote(path).lstrip("/")
    bucket, _, key = source.partition("/")
    if not bucket or not key:
        raise S3Error("InvalidArgument", "Copy Source must mention the source bucket and key: "
                                         "sourcebucket/sourcekey", ArgumentName="x-amz-copy-source")
    version = dict(p.partition("=")[::2] for p in query.split("&") if p).get("versionId")
    if version not in (None, "null"):
        raise S3Error("NoSuchVersion", "The specified version does not exist.", 404)
    return bucket, key


def pump(reader: ObjectReader, writer: ObjectWriter) -> None:
    """Copy a reader's range into a writer, a block at a time (the writer is left to commit)."""
    try:
        for view in reader.blocks():
            writer.write(view)
    except BaseException:
        writer.abort()
        raise


def copy_object(ctx: Context, reader: ObjectReader, opts: PutOptions) -> ObjectMeta:
    writer = ctx.layer.new_object_writer(ctx.bucket, ctx.key, opts)
    pump(reader, writer)
    return writer.commit()


async def handle_copy_object(ctx: Context) -> Response:
    src_bucket, src_key = copy_source(ctx)
    reader = await ctx.run(ctx.layer.open_object, src_bucket, src_key)
    meta = reader.meta
    check_conditions(ctx, meta, prefix="x-amz-copy-source-")
    if meta.size > MAX_COPY_SIZE:
        raise S3Error("InvalidRequest", "The specified copy source is larger than the maximum allowable "
                                        f"size for a copy source: {MAX_COPY_SIZE}")
    directive = (ctx.header("x-amz-metadata-directive") or "COPY").upper()
    if directive not in ("COPY", "REPLACE"):
        raise S3Error("InvalidArgument", "Unknown metadata directive.",
                      ArgumentName="x-amz-metadata-directive", ArgumentValue=directive)
    if (src_bucket, src_key) == (ctx.bucket, ctx.key) and directive == "COPY":
        raise S3Error("InvalidRequest", "This copy request is illegal because it is trying to copy an "
                                        "object to itself without changing the object's metadata, storage "
                                        "class, website redirect location or encryption attributes.")
    if directive == "REPLACE":
        content_type, headers, user = metadata_from_request(ctx)
    else:
        content_type, headers, user = meta.content_type, dict(meta.headers), dict(meta.user_meta)
    algorithm = (ctx.header("x-amz-checksum-algorithm") or "").lower()
    checksums = (algorithm,) if algorithm in S3_CHECKSUM_ALGORITHMS else tuple(meta.checksums)
    opts = PutOptions(content_type=content_type, headers=headers, user_meta=user, size=meta.size,
                      checksums=checksums)
    new = await ctx.run(copy_object, ctx, reader, opts)
    body = s3xml.copy_object_result_xml(quoted(new.etag), last_modified(new))
    return Response(200, [("Content-Type", "application/xml"), *checksum_headers(new.checksums)], body)


# -- GetObjectAttributes ----------------------------------------------------------------------


def header_int(ctx: Context, name: str, default: int) -> int:
    raw = ctx.header(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise S3Error("InvalidArgument", f"Invalid value for {name}", ArgumentName=name, ArgumentValue=raw)
    return value


async def handle_get_object_attributes(ctx: Context) -> Response:
    wanted = {a.strip() for a in (ctx.header("x-amz-object-attributes") or "").split(",") if a.strip()}
    if not wanted or not wanted <= set(OBJECT_ATTRIBUTES):
        raise S3Error("InvalidArgument", "Invalid attribute name specified.",
                      ArgumentName="x-amz-object-attributes")
    max_parts = min(header_int(ctx, "x-amz-max-parts", 1000), 1000)
    marker = header_int(ctx, "x-amz-part-number-marker", 0)
    meta = await ctx.run(ctx.layer.head_object, ctx.bucket, ctx.key)
    parts = None
    if "ObjectParts" in wanted and meta.parts:
        listed = meta.checksum_type == "COMPOSITE" and bool(meta.checksums)
        after = [p for p in meta.parts if p.number > marker]
        page = after[:max_parts] if listed else []
        parts = s3xml.ObjectPartsEntry(
            total=len(meta.parts), listed=listed, part_number_marker=marker,
            next_part_number_marker=page[-1].number if page else marker, max_parts=max_parts,
            is_truncated=len(after) > max_parts,
            parts=[(p.number, p.size, p.checksums) for p in page])
    checksums = {a: v.split("-")[0] for a, v in meta.checksums.items()} if "Checksum" in wanted else {}
    body = s3xml.get_object_attributes_xml(
        etag=meta.etag if "ETag" in wanted else None,
        checksums=checksums, checksum_type=meta.checksum_type if checksums else None,
        parts=parts,
        storage_class="STANDARD" if "StorageClass" in wanted else None,
        size=meta.size if "ObjectSize" in wanted else None)
    modified = http_date(meta.mtime_ns // 1_000_000_000)
    return Response(200, [("Content-Type", "application/xml"), ("Last-Modified", modified)], body)
