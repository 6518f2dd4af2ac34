"""Versioning: GetBucketVersioning, with VersioningConfiguration.  Objects are not versioned yet:
a bucket never configured answers an empty VersioningConfiguration, as AWS does for one that was
never enabled (s3fs and rclone ask before emptying a bucket)."""

from __future__ import annotations

from cairn.engine.api import VersioningConfig

from ..context import Context, Response
from ..xml import XML_HEADER, document, opt


def versioning_configuration_xml(config: VersioningConfig | None) -> bytes:
    """VersioningConfiguration: Status and MfaDelete once set, nothing for a never-configured bucket."""
    if config is None:
        return document("VersioningConfiguration", "")
    body = opt("Status", config.status) + opt("MfaDelete", config.mfa_delete)
    return document("VersioningConfiguration", body)


async def handle_get_bucket_versioning(ctx: Context) -> Response:
    info = await ctx.run(ctx.layer.head_bucket, ctx.bucket)
    return Response(200, [XML_HEADER], versioning_configuration_xml(info.config(VersioningConfig)))
