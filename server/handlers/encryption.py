"""Bucket default encryption: Put/Get/DeleteBucketEncryption with S3's
ServerSideEncryptionConfiguration.

The document, checked as S3 checks it: the root holds exactly one Rule; the Rule one
ApplyServerSideEncryptionByDefault (SSEAlgorithm AES256 or aws:kms, KMSMasterKeyID only with
aws:kms) and at most one BucketKeyEnabled (true or false); any other shape, and a body over
64 KiB, is MalformedXML.  An unknown SSEAlgorithm is InvalidArgument (S3's DSSE and other
algorithms are not offered).  The configuration needs the server's KMS (master keys): without
one, NotImplemented as MinIO answers; a KMSMasterKeyID naming no key of it, KMS.NotFoundException.
The default applies to new objects that ask for no encryption of their own (the engine's
write_options)."""

from __future__ import annotations

from cairn.engine.bucket_config import EncryptionConfig
from cairn.engine.sse import SSE_KMS, SSE_S3

from ..body import read_body
from ..context import Context, Response
from ..errors import S3Error
from ..xml import XML_HEADER, XMLError, bool_xml, document, esc, expect_root, parse_xml
from .service import configured

MAX_BODY = 64 << 10
ROOT = "ServerSideEncryptionConfiguration"


def parse_encryption_configuration(body: bytes) -> EncryptionConfig:
    """PutBucketEncryption's document (see the module docstring for what is refused)."""
    root = parse_xml(body, MAX_BODY, max_elements=64)
    expect_root(root, ROOT)
    rules = list(root)
    if len(rules) != 1 or rules[0].tag != "Rule":
        raise XMLError("MalformedXML")
    defaults, bucket_key = [], []
    for child in rules[0]:
        if child.tag == "ApplyServerSideEncryptionByDefault":
            defaults.append(child)
        elif child.tag == "BucketKeyEnabled" and not len(child):
            bucket_key.append((child.text or "").strip())
        else:
            raise XMLError("MalformedXML")
    if len(defaults) != 1 or len(bucket_key) > 1 or (bucket_key and bucket_key[0] not in ("true", "false")):
        raise XMLError("MalformedXML")
    values: dict[str, str] = {}
    for child in defaults[0]:
        if child.tag not in ("SSEAlgorithm", "KMSMasterKeyID") or len(child) or child.tag in values:
            raise XMLError("MalformedXML")
        values[child.tag] = (child.text or "").strip()
    algorithm = values.get("SSEAlgorithm")
    if algorithm is None:
        raise XMLError("MalformedXML")
    if algorithm not in (SSE_S3, SSE_KMS):
        raise S3Error("InvalidArgument", "The encryption algorithm specified is not supported.",
                      ArgumentName="SSEAlgorithm", ArgumentValue=algorithm)
    key_id = values.get("KMSMasterKeyID", "")
    if key_id and algorithm != SSE_KMS:
        raise S3Error("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is "
                                         "not aws:kms or aws:kms:dsse",
                      ArgumentName="ApplyServerSideEncryptionByDefault")
    return EncryptionConfig(algorithm, key_id, bool(bucket_key) and bucket_key[0] == "true")


def encryption_configuration_xml(config: EncryptionConfig) -> bytes:
    key = f"<KMSMasterKeyID>{esc(config.kms_key_id)}</KMSMasterKeyID>" if config.kms_key_id else ""
    return document(ROOT, f"<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>{config.algorithm}"
                          f"</SSEAlgorithm>{key}</ApplyServerSideEncryptionByDefault>"
                          f"<BucketKeyEnabled>{bool_xml(config.bucket_key_enabled)}</BucketKeyEnabled></Rule>")


async def handle_put_bucket_encryption(ctx: Context) -> Response:
    body = await read_body(ctx, MAX_BODY, XMLError("MalformedXML"))
    config = parse_encryption_configuration(body)
    kms = ctx.layer.kms
    if config.algorithm == SSE_KMS:
        kms.resolve(config.kms_key_id)  # KMSNotConfigured, KMSKeyNotFound
    else:
        _ = kms.current  # KMSNotConfigured
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


async def handle_get_bucket_encryption(ctx: Context) -> Response:
    missing = S3Error("ServerSideEncryptionConfigurationNotFoundError", BucketName=ctx.bucket)
    config = await configured(ctx, EncryptionConfig, missing)
    return Response(200, [XML_HEADER], encryption_configuration_xml(config))


async def handle_delete_bucket_encryption(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, EncryptionConfig)
    return Response(204)
