"""Engine exceptions.

The engine knows nothing about HTTP: it raises these, and one table in the
server maps each to an S3 error code and status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .info import ObjectInfo


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class BucketNotFound(EngineError):
    def __init__(self, bucket: str) -> None:
        super().__init__(f"bucket {bucket!r} does not exist")
        self.bucket = bucket


class BucketExists(EngineError):
    def __init__(self, bucket: str) -> None:
        super().__init__(f"bucket {bucket!r} already exists")
        self.bucket = bucket


class BucketNotEmpty(EngineError):
    def __init__(self, bucket: str) -> None:
        super().__init__(f"bucket {bucket!r} is not empty")
        self.bucket = bucket


class ObjectNotFound(EngineError):
    """No such object; `marker`: the delete marker that is the key's latest version, if one is."""

    def __init__(self, bucket: str, key: str, marker: ObjectInfo | None = None) -> None:
        super().__init__(f"object {bucket}/{key} does not exist")
        self.bucket = bucket
        self.key = key
        self.marker = marker


class NoSuchVersion(EngineError):
    def __init__(self, bucket: str, key: str, version_id: str) -> None:
        super().__init__(f"object {bucket}/{key} has no version {version_id!r}")
        self.key = key
        self.version_id = version_id


class InvalidVersionId(EngineError):
    """A version id this engine cannot have made."""

    def __init__(self, version_id: str) -> None:
        super().__init__(f"invalid version id {version_id!r}")
        self.version_id = version_id


class VersionIsDeleteMarker(EngineError):
    """A read or change addressed, by its version id, a delete marker (S3's 405)."""

    def __init__(self, marker: ObjectInfo) -> None:
        super().__init__(f"version {marker.version_id} is a delete marker")
        self.marker = marker


class ObjectLocked(EngineError):
    """Retention or a legal hold forbids the deletion or the change (S3's AccessDenied)."""


class InvalidBucketState(EngineError):
    """The bucket's configuration forbids the change (suspending a locked bucket's versioning)."""


class LockNotEnabled(EngineError):
    """Retention or legal hold asked of a bucket without object lock."""


class InvalidRange(EngineError):
    """The requested byte range starts beyond the end of the object."""

    def __init__(self, size: int) -> None:
        super().__init__(f"range not satisfiable for an object of {size} bytes")
        self.size = size


class PreconditionFailed(EngineError):
    """A compare-and-swap style condition on a write did not hold."""


class ChecksumMismatch(EngineError):
    """A body did not match the digest the client sent (BadDigest)."""

    def __init__(self, algorithm: str, expected: bytes, actual: bytes) -> None:
        super().__init__(f"{algorithm} mismatch: expected {expected.hex()}, computed {actual.hex()}")
        self.algorithm = algorithm
        self.expected = expected
        self.actual = actual


class IncompleteBody(EngineError):
    """The body ended before the announced size."""


class QuorumError(EngineError):
    """Too few drives answered to decide or to commit safely."""


class ReadQuorumError(QuorumError):
    pass


class WriteQuorumError(QuorumError):
    def __init__(self, message: str, committed: list[int] | None = None) -> None:
        super().__init__(message)
        self.committed = committed or []  # drives where the write did land (to undo)


class ConditionalConflict(EngineError):
    """Concurrent writers of one object kept winning over this one: S3's 409, to be retried."""


class ConfigConflict(EngineError):
    """A bucket record kept changing under an update: too many concurrent writers (retry later)."""


class DataCorrupted(EngineError):
    """More shards are missing or damaged than parity can rebuild: never return wrong bytes."""


class DriveError(EngineError):
    """One drive failed an operation (gone, read-only, I/O error, damaged database)."""

    def __init__(self, drive: str, message: str) -> None:
        super().__init__(f"drive {drive}: {message}")
        self.drive = drive


class RecordDamaged(EngineError):
    """A metadata record failed its own checksum."""

    def __init__(self, key: bytes) -> None:
        super().__init__(f"metadata record {key!r} failed its checksum")
        self.key = key


class FormatError(EngineError):
    """The drives given do not form a valid deployment (foreign drive, wrong slot, bad layout)."""


class InvalidBucketName(EngineError):
    def __init__(self, bucket: str, why: str) -> None:
        super().__init__(f"invalid bucket name {bucket!r}: {why}")
        self.bucket = bucket


class InvalidObjectName(EngineError):
    """A key the engine will not store (empty, NUL, not UTF-8)."""

    def __init__(self, key: str, why: str) -> None:
        super().__init__(f"invalid object key: {why}")
        self.key = key


class KeyTooLong(InvalidObjectName):
    pass


class NoSuchUpload(EngineError):
    """The upload id names no upload in progress (never created, completed or aborted)."""

    def __init__(self, upload_id: str) -> None:
        super().__init__(f"no multipart upload {upload_id!r}")
        self.upload_id = upload_id


class InvalidPart(EngineError):
    """CompleteMultipartUpload lists a part that was not uploaded, or with another ETag/checksum."""

    def __init__(self, number: int, why: str) -> None:
        super().__init__(f"part {number}: {why}")
        self.number = number


class InvalidPartOrder(EngineError):
    """CompleteMultipartUpload's parts are not in ascending order of part number."""


class EntityTooSmall(EngineError):
    """A part other than the last is smaller than the 5 MiB minimum."""

    def __init__(self, number: int, size: int, minimum: int) -> None:
        super().__init__(f"part {number} is {size} bytes, the minimum is {minimum}")
        self.number = number
        self.size = size
        self.minimum = minimum


class InvalidUploadRequest(EngineError):
    """A multipart request S3 refuses as InvalidRequest (checksum type mismatches, wrong size)."""


# -- server-side encryption (sse.py, kms.py) -------------------------------------------------------


class SSEKeyRequired(EngineError):
    """An SSE-C object (or upload) read or written to without its customer key."""

    def __init__(self, upload: bool = False) -> None:
        super().__init__("the customer key of an SSE-C object is required")
        self.upload = upload


class SSEKeyNotApplicable(EngineError):
    """A customer key sent for an object (or upload) that is not SSE-C."""


class SSEKeyMismatch(EngineError):
    """A customer key that is not the one the object was encrypted with."""


class KMSNotConfigured(EngineError):
    """SSE-S3 or SSE-KMS asked of a server without master keys."""


class KMSKeyNotFound(EngineError):
    def __init__(self, key_id: str) -> None:
        super().__init__(f"no KMS key {key_id!r}")
        self.key_id = key_id


class TierUnavailable(EngineError):
    """A remote tier (tiers.py) could not be reached or refused a request; `status` and `code`:
    the tier's HTTP status and S3 error code when it answered one."""

    def __init__(self, message: str, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status, self.code = status, code
