"""Versioning: Get/PutBucketVersioning with VersioningConfiguration, and ListObjectVersions with
ListVersionsResult.  A bucket never configured answers an empty VersioningConfiguration, as AWS
does (s3fs and rclone ask before emptying a bucket)."""

from __future__ import annotations

from cairn.engine.api import ListedVersion, VersioningConfig, VersionsPage

from ..body import read_body
from ..checksum_headers import verify_body_digest
from ..context import Context, Response
from ..errors import S3Error
from ..metadata import from_ns
from ..params import encoding_type, page_size
from ..xml import (
    XML_HEADER,
    XMLError,
    algorithm_xml,
    bool_xml,
    common_prefixes_xml,
    document,
    esc,
    etag_xml,
    expect_root,
    leaf,
    name_encoder,
    opt,
    owner_xml,
    parse_xml,
    text,
    timestamp,
)
from .listing import delimiter_and_encoding_xml
from .service import owner, request_bucket

STATUSES = ("Enabled", "Suspended")


def versioning_configuration_xml(config: VersioningConfig | None) -> bytes:
    """VersioningConfiguration: Status and MfaDelete once set, nothing for a never-configured bucket."""
    if config is None:
        return document("VersioningConfiguration", "")
    body = opt("Status", config.status) + opt("MfaDelete", config.mfa_delete)
    return document("VersioningConfiguration", body)


def parse_versioning_configuration(body: bytes) -> VersioningConfig | None:
    """PutBucketVersioning's document; None when it sets nothing (no Status).  MFA delete needs
    an MFA device, which this server has no notion of: Enabled is refused (Disabled is what it is)."""
    root = parse_xml(body)
    expect_root(root, "VersioningConfiguration")
    status, mfa = text(root, "Status"), text(root, "MfaDelete")
    if (status is not None and status not in STATUSES) or mfa not in (None, "Enabled", "Disabled"):
        raise XMLError("MalformedXML")
    if mfa == "Enabled":
        raise S3Error("NotImplemented", "MFA Delete is not supported by this server: it has no MFA devices.")
    return None if status is None else VersioningConfig(status, mfa or "")


async def handle_get_bucket_versioning(ctx: Context) -> Response:
    info = await request_bucket(ctx)
    return Response(200, [XML_HEADER], versioning_configuration_xml(info.config(VersioningConfig)))


async def handle_put_bucket_versioning(ctx: Context) -> Response:
    body = await read_body(ctx)
    verify_body_digest(ctx, body)
    config = parse_versioning_configuration(body)
    if config is None:
        await request_bucket(ctx)
    else:
        await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


# -- ListObjectVersions ----------------------------------------------------------------------


def version_xml(v: ListedVersion, name: str, who: str) -> str:
    """A Version (Key, VersionId, IsLatest, LastModified, ETag, ChecksumAlgorithm, ChecksumType,
    Size, Owner, StorageClass) or a DeleteMarker (Key, VersionId, IsLatest, LastModified, Owner)."""
    info = v.info
    head = (f"<Key>{name}</Key><VersionId>{esc(info.version_id)}</VersionId>"
            f"<IsLatest>{bool_xml(v.is_latest)}</IsLatest>"
            f"<LastModified>{timestamp(from_ns(info.mtime_ns))}</LastModified>")
    if info.delete_marker:
        return f"<DeleteMarker>{head}{who}</DeleteMarker>"
    algorithm = next(iter(info.checksums), None)
    checksum = (f"{algorithm_xml(algorithm)}<ChecksumType>{esc(info.checksum_type)}</ChecksumType>"
                if algorithm else "")
    return (f"<Version>{head}<ETag>{etag_xml(info.etag)}</ETag>{checksum}<Size>{info.size}</Size>"
            f"{who}<StorageClass>{esc(info.storage_class)}</StorageClass></Version>")


def list_versions_xml(*, bucket: str, prefix: str, key_marker: str, version_id_marker: str,
                      delimiter: str, max_keys: int, encoding: str | None, page: VersionsPage,
                      who: tuple[str, str]) -> bytes:
    """ListVersionsResult: Name, Prefix, KeyMarker, VersionIdMarker, NextKeyMarker and
    NextVersionIdMarker (when truncated), MaxKeys, Delimiter, EncodingType, IsTruncated, then the
    Version and DeleteMarker entries in key order, newest first, then CommonPrefixes."""
    name = name_encoder(encoding)
    nexts = ""
    if page.truncated:
        nexts = leaf("NextKeyMarker", name(page.next_key_marker or ""))
        nexts += opt("NextVersionIdMarker", page.next_version_id_marker)
    head = (f"<Name>{esc(bucket)}</Name><Prefix>{name(prefix)}</Prefix>"
            f"<KeyMarker>{name(key_marker)}</KeyMarker>"
            f"<VersionIdMarker>{esc(version_id_marker)}</VersionIdMarker>{nexts}<MaxKeys>{max_keys}</MaxKeys>"
            f"{delimiter_and_encoding_xml(delimiter, encoding, name)}"
            f"<IsTruncated>{bool_xml(page.truncated)}</IsTruncated>")
    owner_part = owner_xml("Owner", who)
    entries = "".join(version_xml(v, name(v.key), owner_part) for v in page.versions)
    return document("ListVersionsResult", head + entries + common_prefixes_xml(page.prefixes, name))


def version_markers(query: dict[str, str]) -> tuple[str, str]:
    """(key-marker, version-id-marker): a version marker needs a key marker and may not be empty."""
    key_marker, version_marker = query.get("key-marker"), query.get("version-id-marker")
    if version_marker is not None:
        if key_marker is None:
            raise S3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.",
                          ArgumentName="version-id-marker", ArgumentValue=version_marker)
        if not version_marker:
            raise S3Error("InvalidArgument", "A version-id marker cannot be empty.",
                          ArgumentName="version-id-marker", ArgumentValue="")
    return key_marker or "", version_marker or ""


async def handle_list_object_versions(ctx: Context) -> Response:
    q = ctx.query
    prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
    key_marker, version_marker = version_markers(q)
    limit, encoding = page_size(q, "max-keys"), encoding_type(q)
    page = await ctx.run(ctx.layer.list_object_versions, ctx.bucket, prefix, delimiter, key_marker,
                         version_marker, limit)
    body = list_versions_xml(bucket=ctx.bucket, prefix=prefix, key_marker=key_marker,
                             version_id_marker=version_marker, delimiter=delimiter, max_keys=limit,
                             encoding=encoding, page=page, who=owner(ctx))
    return Response(200, [XML_HEADER], body)
