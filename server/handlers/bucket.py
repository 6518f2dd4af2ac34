"""Bucket operations: CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, DeleteObjects."""

from __future__ import annotations

from cairn.engine.checksums import S3_CHECKSUM_ALGORITHMS, Hasher, from_s3
from cairn.engine.errors import EngineError, ObjectNotFound

from .. import s3xml
from ..app import Context, Response
from ..errors import S3Error, from_engine

XML = ("Content-Type", "application/xml")


async def handle_create_bucket(ctx: Context) -> Response:
    body = await ctx.read_body()
    location = s3xml.parse_create_bucket(body) if body.strip() else None
    await ctx.run(ctx.layer.create_bucket, ctx.bucket)
    if location and location != ctx.app.config.region:
        await ctx.run(ctx.layer.put_bucket_settings, ctx.bucket, {"location": location})
    return Response(200, [("Location", f"/{ctx.bucket}")])


async def handle_head_bucket(ctx: Context) -> Response:
    info = await ctx.run(ctx.layer.head_bucket, ctx.bucket)
    region = str(info.settings.get("location") or ctx.app.config.region)
    return Response(200, [("x-amz-bucket-region", region)])


async def handle_delete_bucket(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket, ctx.bucket)
    return Response(204)


async def handle_get_bucket_location(ctx: Context) -> Response:
    info = await ctx.run(ctx.layer.head_bucket, ctx.bucket)
    region = str(info.settings.get("location") or ctx.app.config.region)
    return Response(200, [XML], s3xml.location_xml(region))


def check_body_digest(ctx: Context, body: bytes) -> None:
    """DeleteObjects must carry Content-MD5 or an x-amz-checksum-* header, and it must match."""
    if ctx.header("content-md5") is not None:
        return  # read_body verified it
    for algorithm in S3_CHECKSUM_ALGORITHMS:
        value = ctx.header(f"x-amz-checksum-{algorithm}") or ctx.trailers.get(f"x-amz-checksum-{algorithm}")
        if value is None:
            continue
        try:
            expected = from_s3(algorithm, value)
        except ValueError:
            raise S3Error("InvalidRequest",
                          f"Value for x-amz-checksum-{algorithm} header is invalid.") from None
        hasher = Hasher((algorithm,))
        hasher.update(body)
        if hasher.digests()[algorithm] != expected:
            raise S3Error("BadDigest", f"The {algorithm.upper()} you specified did not match the "
                                       "calculated checksum.")
        return
    raise S3Error("InvalidRequest", "Missing required header for this request: Content-MD5")


async def handle_delete_objects(ctx: Context) -> Response:
    body = await ctx.read_body()
    check_body_digest(ctx, body)
    quiet, targets = s3xml.parse_delete_objects(body)
    await ctx.run(ctx.layer.head_bucket, ctx.bucket)

    def delete_all() -> tuple[list[str], list[tuple[str, str, str]]]:
        deleted: list[str] = []
        errors: list[tuple[str, str, str]] = []
        for key, _version in targets:
            try:
                ctx.layer.delete_object(ctx.bucket, key)
                deleted.append(key)
            except ObjectNotFound:
                deleted.append(key)
            except EngineError as exc:
                err = from_engine(exc)
                errors.append((key, err.code, err.message))
        return deleted, errors

    deleted, errors = await ctx.run(delete_all)
    return Response(200, [XML], s3xml.delete_result_xml(deleted, errors, quiet))

