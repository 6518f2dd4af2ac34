"""Server-side encryption headers: a request's SSE headers parsed into the engine's Encryption
(the engine does the cryptography), S3's errors for malformed ones, and the headers responses
echo.

- SSE-C: `x-amz-server-side-encryption-customer-algorithm` (AES256), `-key` (base64 of 32 bytes)
  and `-key-MD5` (base64 MD5 of the key), on writes, reads and parts; with the
  `x-amz-copy-source-` prefix, the key of a copy's source.  Refused over plain HTTP (MinIO's
  rule: the key would travel in the clear) unless the server speaks HTTPS (tls.py) or the operator
  allows it (ServerConfig.sse_c_allow_http, CAIRN_SSE_C_ALLOW_HTTP=on).
- SSE-S3 and SSE-KMS: `x-amz-server-side-encryption` (AES256 or aws:kms) with
  `x-amz-server-side-encryption-aws-kms-key-id`, on PutObject, CopyObject and
  CreateMultipartUpload; `-context` (aws:kms only) is checked, not kept (the local key ring
  has no use for it), `-bucket-key-enabled` is accepted and ignored (no per-object data key
  to cache: each object key is sealed locally).
- PostObject takes the same names as form fields (write_encryption_from, customer_key_from:
  any mapping of lower-case names), with the same errors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping

from cairn.engine.sse import SSE_C, SSE_KMS, SSE_S3, Encryption, SealedKey

from .context import Context, ServerConfig
from .errors import S3Error

SSE = "x-amz-server-side-encryption"
KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id"
CUSTOMER_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm"
CUSTOMER_KEY = "x-amz-server-side-encryption-customer-key"
CUSTOMER_KEY_MD5 = "x-amz-server-side-encryption-customer-key-MD5"
COPY_SOURCE = "x-amz-copy-source-"
BUCKET_KEY = "x-amz-server-side-encryption-bucket-key-enabled"
CONTEXT = "x-amz-server-side-encryption-context"

_SSEC = "Requests specifying Server Side Encryption with Customer provided keys must "
# The SSE-C headers as h11 hands them over (lower case), and a copy source's.
_NAMES = (CUSTOMER_ALGORITHM, CUSTOMER_KEY, CUSTOMER_KEY_MD5.lower())
_COPY_SOURCE_NAMES = tuple(COPY_SOURCE + n[len("x-amz-"):] for n in _NAMES)


def customer_key(ctx: Context, copy_source: bool = False) -> Encryption | None:
    """The SSE-C key a request sends (`copy_source`: a copy's source's), checked; None if none."""
    return customer_key_from(ctx.request.header_map, ctx.config, copy_source)


def customer_key_from(headers: Mapping[str, str], config: ServerConfig,
                      copy_source: bool = False) -> Encryption | None:
    """customer_key from lower-case names: a request's headers, or a POST form's fields."""
    names = _COPY_SOURCE_NAMES if copy_source else _NAMES
    algorithm, key, md5 = headers.get(names[0]), headers.get(names[1]), headers.get(names[2])
    if algorithm is None and key is None and md5 is None:  # the common case: three lookups
        return None
    if not config.sse_c_allow_http and config.tls is None:  # HTTPS: every connection is
        raise S3Error("InvalidRequest", _SSEC + "be made over a secure connection.")
    if algorithm != "AES256":
        raise S3Error("InvalidArgument", _SSEC + "provide a valid encryption algorithm.",
                      ArgumentName=names[0], ArgumentValue=algorithm or "null")
    if not key:
        raise S3Error("InvalidArgument", _SSEC + "provide an appropriate secret key.",
                      ArgumentName=names[1], ArgumentValue="null")
    if not md5:
        raise S3Error("InvalidArgument", _SSEC + "provide the client calculated MD5 of the secret key.",
                      ArgumentName=names[2], ArgumentValue="null")
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise S3Error("InvalidArgument", "The secret key was invalid for the specified algorithm.",
                      ArgumentName=names[1], ArgumentValue="null")
    if key_md5(raw) != md5:
        raise S3Error("InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was "
                                         "provided.", ArgumentName=names[2], ArgumentValue="null")
    return Encryption(SSE_C, customer_key=raw)


def key_md5(raw: bytes) -> str:
    return base64.b64encode(hashlib.md5(raw).digest()).decode("ascii")


def write_encryption(ctx: Context) -> Encryption | None:
    """How a PutObject, CopyObject (its destination) or CreateMultipartUpload asks the new
    object to be encrypted; None: as the bucket's default encryption says."""
    return write_encryption_from(ctx.request.header_map, ctx.config)


def write_encryption_from(headers: Mapping[str, str], config: ServerConfig) -> Encryption | None:
    """write_encryption from lower-case names: a request's headers, or a POST form's fields
    (PostObject takes the same ones, as form fields, with the same errors)."""
    customer = customer_key_from(headers, config)
    kind = headers.get(SSE)
    key_id = headers.get(KMS_KEY_ID)
    context = headers.get(CONTEXT)
    if kind is None:
        if key_id is not None or context is not None:
            raise S3Error("InvalidArgument", "Server Side Encryption with AWS KMS managed key requires HTTP "
                                             "header x-amz-server-side-encryption : aws:kms",
                          ArgumentName=SSE, ArgumentValue="null")
        return customer
    if customer is not None:
        raise S3Error("InvalidArgument", "Server side encryption specified with both SSE-C and SSE-S3 "
                                         "headers")
    if kind not in (SSE_S3, SSE_KMS):
        raise S3Error("InvalidArgument", "The encryption method specified is not supported",
                      ArgumentName=SSE, ArgumentValue=kind)
    if (key_id is not None or context is not None) and kind != SSE_KMS:
        raise S3Error("InvalidArgument", "Server Side Encryption with AWS KMS managed key requires HTTP "
                                         "header x-amz-server-side-encryption : aws:kms",
                      ArgumentName=SSE, ArgumentValue=kind)
    if context is not None:
        check_context(context)
    return Encryption(kind, (key_id or "").strip())


def check_context(value: str) -> None:
    """x-amz-server-side-encryption-context: base64 of a JSON object of strings (S3's rule).
    Checked, not kept: the local key ring has no use for an encryption context (kms.py)."""
    try:
        doc = json.loads(base64.b64decode(value, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError):
        doc = None
    if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
        raise S3Error("InvalidArgument", f"The header '{CONTEXT}' shall be Base64-encoded UTF-8 string "
                                         "holding JSON which represents a string-string map",
                      ArgumentName=CONTEXT, ArgumentValue="null")


def customer_headers(sent: Encryption | None) -> list[tuple[str, str]]:
    """An SSE-C request's answer: the algorithm and the MD5 of the key it sent."""
    if sent is None or sent.kind != SSE_C:
        return []
    return [(CUSTOMER_ALGORITHM, "AES256"), (CUSTOMER_KEY_MD5, key_md5(sent.customer_key))]


def sse_headers(sealed: SealedKey | None, sent: Encryption | None = None) -> list[tuple[str, str]]:
    """What a response says of an object's encryption: x-amz-server-side-encryption (and the KMS
    key id), or for SSE-C the algorithm and the MD5 of the key the request sent."""
    if sealed is None:
        return []
    if sealed.kind == SSE_C:
        return customer_headers(sent) or [(CUSTOMER_ALGORITHM, "AES256")]
    if sealed.kind == SSE_KMS:
        return [(SSE, SSE_KMS), (KMS_KEY_ID, sealed.key_id or sealed.key_name)]
    return [(SSE, SSE_S3)]
