"""S3 errors: one table from engine exceptions to S3 codes, statuses and messages."""

from __future__ import annotations

from cairn.engine import errors as engine

S3_MESSAGES: dict[str, tuple[int, str]] = {
    "AccessDenied": (403, "Access Denied."),
    "BadDigest": (400, "The Content-MD5 you specified did not match what we received."),
    "BucketAlreadyOwnedByYou": (
        409,
        "Your previous request to create the named bucket succeeded and you already own it.",
    ),
    "BucketNotEmpty": (409, "The bucket you tried to delete is not empty"),
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
    "InvalidDigest": (400, "The Content-MD5 you specified is not valid."),
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
    "InvalidRequest": (400, "Invalid Request"),
    "KeyTooLongError": (400, "Your key is too long"),
    "MalformedXML": (
        400,
        "The XML you provided was not well-formed or did not validate against our published schema.",
    ),
    "MethodNotAllowed": (405, "The specified method is not allowed against this resource."),
    "MissingContentLength": (411, "You must provide the Content-Length HTTP header."),
    "NoSuchBucket": (404, "The specified bucket does not exist"),
    "NoSuchKey": (404, "The specified key does not exist."),
    "NoSuchUpload": (
        404,
        "The specified multipart upload does not exist. The upload ID may be invalid, or the upload "
        "may have been aborted or completed.",
    ),
    "NotImplemented": (501, "A header you provided implies functionality that is not implemented"),
    "PreconditionFailed": (412, "At least one of the pre-conditions you specified did not hold"),
    "XAmzContentSHA256Mismatch": (
        400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    ),
}


class S3Error(Exception):
    """An error answered with S3's XML error body."""

    def __init__(self, code: str, message: str | None = None, status: int | None = None,
                 **extra: str) -> None:
        default_status, default_message = S3_MESSAGES.get(code, (400, code))
        self.code = code
        self.message = message or default_message
        self.status = status or default_status
        self.extra = extra
        self.headers: dict[str, str] = {}  # response headers the error carries (Allow on a 405)
        super().__init__(f"{code}: {self.message}")


def from_engine(exc: engine.EngineError) -> S3Error:
    """The S3 error for an engine exception (the one table)."""
    match exc:
        case engine.BucketNotFound():
            return S3Error("NoSuchBucket", BucketName=exc.bucket)
        case engine.BucketExists():
            return S3Error("BucketAlreadyOwnedByYou", BucketName=exc.bucket)
        case engine.BucketNotEmpty():
            return S3Error("BucketNotEmpty", BucketName=exc.bucket)
        case engine.ObjectNotFound():
            return S3Error("NoSuchKey", Key=exc.key)
        case engine.InvalidRange():
            return S3Error("InvalidRange", ActualObjectSize=str(exc.size))
        case engine.PreconditionFailed():
            return S3Error("PreconditionFailed", Condition=str(exc) or "If-Match")
        case engine.ChecksumMismatch() if exc.algorithm == "md5":
            return S3Error("BadDigest")
        case engine.ChecksumMismatch():
            return S3Error("BadDigest", f"The {exc.algorithm.upper()} you specified did not match the "
                                        "calculated checksum.")
        case engine.IncompleteBody():
            return S3Error("IncompleteBody")
        case engine.ReadQuorumError():
            return S3Error("InsufficientReadQuorum")
        case engine.WriteQuorumError():
            return S3Error("InsufficientWriteQuorum")
        case engine.InvalidBucketName():
            return S3Error("InvalidBucketName", BucketName=exc.bucket)
        case engine.KeyTooLong():
            return S3Error("KeyTooLongError")
        case engine.InvalidObjectName():
            return S3Error("InvalidArgument", f"Object key is not valid: {exc}")
        case engine.NoSuchUpload():
            return S3Error("NoSuchUpload", UploadId=exc.upload_id)
        case engine.InvalidPart():
            return S3Error("InvalidPart", PartNumber=str(exc.number))
        case engine.InvalidPartOrder():
            return S3Error("InvalidPartOrder")
        case engine.EntityTooSmall():
            return S3Error("EntityTooSmall", ProposedSize=str(exc.size), MinSizeAllowed=str(exc.minimum),
                           PartNumber=str(exc.number))
        case engine.InvalidUploadRequest():
            return S3Error("InvalidRequest", str(exc))
    return S3Error("InternalError")
