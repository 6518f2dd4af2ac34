"""S3 errors: the server's one exception family, and one table from engine exceptions to S3 codes,
statuses and messages."""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Mapping
from typing import Any

from cairn.engine import errors as engine
from cairn.engine.api import ObjectInfo

S3_MESSAGES: dict[str, tuple[int, str]] = {
    "AccessDenied": (403, "Access Denied."),
    "AccessForbidden": (403, "CORSResponse: This CORS request is not allowed."),
    "AccessControlListNotSupported": (400, "The bucket does not allow ACLs"),
    "BadDigest": (400, "The Content-MD5 you specified did not match what we received."),
    "BucketAlreadyOwnedByYou": (
        409,
        "Your previous request to create the named bucket succeeded and you already own it.",
    ),
    "BadRequest": (400, "Bad Request"),
    "BucketNotEmpty": (409, "The bucket you tried to delete is not empty"),
    "ConditionalRequestConflict": (
        409,
        "A conflicting operation occurred. If using PutObject you can retry the request. If using "
        "multipart upload you should initiate another CreateMultipartUpload request and re-upload each "
        "part.",
    ),
    "EntityTooLarge": (400, "Your proposed upload exceeds the maximum allowed object size."),
    "EntityTooSmall": (400, "Your proposed upload is smaller than the minimum allowed object size."),
    "IncompleteBody": (
        400,
        "You did not provide the number of bytes specified by the Content-Length HTTP header.",
    ),
    "InsufficientReadQuorum": (503, "Storage resources are insufficient for the read operation."),
    "InsufficientWriteQuorum": (503, "Storage resources are insufficient for the write operation."),
    "InternalError": (500, "We encountered an internal error, please try again."),
    "InvalidArgument": (400, "Invalid Argument"),
    "InvalidBucketName": (400, "The specified bucket is not valid."),
    "InvalidBucketState": (409, "The request is not valid with the current state of the bucket."),
    "InvalidBucketAclWithObjectOwnership": (
        400,
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    ),
    "InvalidAccessKeyId": (403, "The Access Key Id you provided does not exist in our records."),
    "InvalidDigest": (400, "The Content-MD5 you specified is not valid."),
    "InvalidToken": (400, "The provided token is malformed or otherwise invalid."),
    "ExpiredToken": (400, "The provided token has expired."),
    "InvalidPart": (
        400,
        "One or more of the specified parts could not be found.  The part may not have been uploaded, "
        "or the specified entity tag may not match the part's entity tag.",
    ),
    "InvalidPartNumber": (416, "The requested partnumber is not satisfiable"),
    "InvalidPartOrder": (
        400,
        "The list of parts was not in ascending order. The parts list must be specified in order by "
        "part number.",
    ),
    "InvalidRange": (416, "The requested range is not satisfiable"),
    "InvalidRedirectLocation": (
        400,
        "The website redirect location must have a prefix of 'http://' or 'https://' or '/'.",
    ),
    "InvalidRequest": (400, "Invalid Request"),
    "InvalidStorageClass": (400, "The storage class you specified is not valid"),
    "InvalidTag": (400, "Your request contains tag input that is not valid."),
    "KeyTooLongError": (400, "Your key is too long"),
    "MalformedXML": (
        400,
        "The XML you provided was not well-formed or did not validate against our published schema.",
    ),
    "MalformedPolicy": (400, "Policies must be valid JSON and the first byte must be '{'"),
    "MalformedACLError": (
        400,
        "The XML you provided was not well-formed or did not validate against our published schema",
    ),
    "MethodNotAllowed": (405, "The specified method is not allowed against this resource."),
    "MissingContentLength": (411, "You must provide the Content-Length HTTP header."),
    "MissingRequestBodyError": (400, "Request Body is empty"),
    "MissingSecurityHeader": (400, "Your request was missing a required header"),
    "NoSuchBucket": (404, "The specified bucket does not exist"),
    "NoSuchBucketPolicy": (404, "The bucket policy does not exist"),
    "NoSuchCORSConfiguration": (404, "The CORS configuration does not exist"),
    "NoSuchKey": (404, "The specified key does not exist."),
    "NoSuchLifecycleConfiguration": (404, "The lifecycle configuration does not exist"),
    "NoSuchObjectLockConfiguration": (404, "The specified object does not have a ObjectLock configuration"),
    "NoSuchPublicAccessBlockConfiguration": (404, "The public access block configuration was not found"),
    "NoSuchTagSet": (404, "The TagSet does not exist"),
    "NoSuchVersion": (404, "The specified version does not exist."),
    "NoSuchWebsiteConfiguration": (404, "The specified bucket does not have a website configuration"),
    "NoSuchUpload": (
        404,
        "The specified multipart upload does not exist. The upload ID may be invalid, or the upload "
        "may have been aborted or completed.",
    ),
    "OperationAborted": (
        409,
        "A conflicting conditional operation is currently in progress against this resource. Please try "
        "again.",
    ),
    "ObjectLockConfigurationNotFoundError": (404, "Object Lock configuration does not exist for this bucket"),
    "OwnershipControlsNotFoundError": (404, "The bucket ownership controls were not found"),
    "NotImplemented": (501, "A header you provided implies functionality that is not implemented"),
    "PreconditionFailed": (412, "At least one of the pre-conditions you specified did not hold"),
    "ServerSideEncryptionConfigurationNotFoundError": (
        404, "The server side encryption configuration was not found"),
    "KMS.NotFoundException": (400, "Invalid keyId"),
    "UnexpectedContent": (400, "This request does not support content"),
    "UnresolvableGrantByEmailAddress": (
        400,
        "The e-mail address you provided does not match any account on record.",
    ),
    "XAmzContentSHA256Mismatch": (
        400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    ),
}


class S3Error(Exception):
    """An error answered with S3's XML error body: the one exception family of the server.

    `code` is S3's error code, `status` the HTTP status (S3_MESSAGES gives the default, with the
    default message), `extra` the members S3 adds to `<Error>` after `<Message>` (BucketName,
    ArgumentName, ...), `headers` response headers the error carries (Allow on a 405).  Routing,
    authentication and XML parsing raise subclasses of it, with their own constructors."""

    def __init__(self, code: str, message: str | None = None, status: int | None = None,
                 headers: Mapping[str, str] | None = None, **extra: str) -> None:
        default_status, default_message = S3_MESSAGES.get(code, (400, code))
        self.code = code
        self.message = message or default_message
        self.status = status or default_status
        self.extra: dict[str, str] = dict(extra)
        self.headers: dict[str, str] = dict(headers or {})
        super().__init__(f"{code}: {self.message}")


def _marker_headers(marker: ObjectInfo | None) -> dict[str, str]:
    """What S3 says of a delete marker that answered a read: that it is one, which, and when."""
    if marker is None:
        return {}
    return {"x-amz-delete-marker": "true", "x-amz-version-id": marker.version_id,
            "Last-Modified": email.utils.formatdate(marker.mtime_ns // 1_000_000_000, usegmt=True)}


def _checksum_mismatch(exc: engine.ChecksumMismatch) -> S3Error:
    if exc.algorithm == "md5":
        return S3Error("BadDigest")
    return S3Error("BadDigest", f"The {exc.algorithm.upper()} you specified did not match the calculated "
                                "checksum.")


_SSE_REQUIRED = ("The object was stored using a form of Server Side Encryption. The correct parameters "
                 "must be provided to retrieve the object.")
_SSE_UPLOAD = ("The multipart upload initiate requested encryption. Subsequent part requests must include "
               "the appropriate encryption parameters.")
_SSE_NOT_APPLICABLE = "The encryption parameters are not applicable to this object."
_KMS_NOT_CONFIGURED = "Server side encryption specified but KMS is not configured"


# Engine exception type -> its S3 error; a subclass without an entry takes its base's.
_FROM_ENGINE: dict[type[engine.EngineError], Callable[[Any], S3Error]] = {
    engine.BucketNotFound: lambda e: S3Error("NoSuchBucket", BucketName=e.bucket),
    engine.BucketExists: lambda e: S3Error("BucketAlreadyOwnedByYou", BucketName=e.bucket),
    engine.BucketNotEmpty: lambda e: S3Error("BucketNotEmpty", BucketName=e.bucket),
    engine.ObjectNotFound: lambda e: S3Error("NoSuchKey", headers=_marker_headers(e.marker), Key=e.key),
    engine.NoSuchVersion: lambda e: S3Error("NoSuchVersion", Key=e.key, VersionId=e.version_id),
    engine.InvalidVersionId: lambda e: S3Error("InvalidArgument", "Invalid version id specified",
                                               ArgumentName="versionId", ArgumentValue=e.version_id),
    engine.VersionIsDeleteMarker: lambda e: S3Error(
        "MethodNotAllowed", headers={**_marker_headers(e.marker), "Allow": "DELETE"},
        ResourceType="DeleteMarker"),
    engine.ObjectLocked: lambda e: S3Error("AccessDenied", "Access Denied because object protected by object "
                                                           "lock."),
    engine.InvalidBucketState: lambda e: S3Error("InvalidBucketState", str(e) or None),
    engine.LockNotEnabled: lambda e: S3Error("InvalidRequest", "Bucket is missing Object Lock Configuration"),
    engine.InvalidRange: lambda e: S3Error("InvalidRange", headers={"Content-Range": f"bytes */{e.size}"},
                                           ActualObjectSize=str(e.size)),
    engine.PreconditionFailed: lambda e: S3Error("PreconditionFailed", Condition=str(e) or "If-Match"),
    engine.ChecksumMismatch: _checksum_mismatch,
    engine.IncompleteBody: lambda e: S3Error("IncompleteBody"),
    engine.ReadQuorumError: lambda e: S3Error("InsufficientReadQuorum"),
    engine.WriteQuorumError: lambda e: S3Error("InsufficientWriteQuorum"),
    engine.ConfigConflict: lambda e: S3Error("OperationAborted"),
    engine.ConditionalConflict: lambda e: S3Error("ConditionalRequestConflict"),
    engine.InvalidBucketName: lambda e: S3Error("InvalidBucketName", BucketName=e.bucket),
    engine.KeyTooLong: lambda e: S3Error("KeyTooLongError"),
    engine.InvalidObjectName: lambda e: S3Error("InvalidArgument", f"Object key is not valid: {e}"),
    engine.NoSuchUpload: lambda e: S3Error("NoSuchUpload", UploadId=e.upload_id),
    engine.InvalidPart: lambda e: S3Error("InvalidPart", PartNumber=str(e.number)),
    engine.InvalidPartOrder: lambda e: S3Error("InvalidPartOrder"),
    engine.EntityTooSmall: lambda e: S3Error("EntityTooSmall", ProposedSize=str(e.size),
                                             MinSizeAllowed=str(e.minimum), PartNumber=str(e.number)),
    engine.InvalidUploadRequest: lambda e: S3Error("InvalidRequest", str(e)),
    engine.SSEKeyRequired: lambda e: S3Error("InvalidRequest", _SSE_UPLOAD if e.upload else _SSE_REQUIRED),
    engine.SSEKeyNotApplicable: lambda e: S3Error("InvalidRequest", _SSE_NOT_APPLICABLE),
    engine.SSEKeyMismatch: lambda e: S3Error("AccessDenied"),
    engine.KMSNotConfigured: lambda e: S3Error("NotImplemented", _KMS_NOT_CONFIGURED),
    engine.KMSKeyNotFound: lambda e: S3Error("KMS.NotFoundException", f"Invalid keyId {e.key_id}"),
    # a transitioned object's tier is down (its address and error go to the log, tiers.TierReader)
    engine.TierUnavailable: lambda e: S3Error("ServiceUnavailable", "The remote tier holding this object's "
                                              "data could not be reached; please retry later.", 503),
}


def from_engine(exc: engine.EngineError) -> S3Error:
    """The S3 error for an engine exception (the one table); InternalError for any other."""
    for kind in type(exc).__mro__:
        make = _FROM_ENGINE.get(kind)
        if make is not None:
            return make(exc)
    return S3Error("InternalError")
