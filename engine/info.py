"""What the engine tells its callers about objects, uploads and parts (MinIO's ObjectInfo and
friends).  Plain values: how they are stored is records.py's business."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import EngineError
from .sse import TAG_SIZE, SealedKey, stored_length

SHARD_FILE = "part.1"  # the shard file of an object written in one piece, in its data directory


@dataclass
class ObjectPart:
    """One part of a completed multipart object: its shard files are `file` in the data directory."""

    number: int
    size: int
    file: str
    etag: str
    checksums: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TierRef:
    """Where a transitioned version's data lives (tiers.py): the remote tier's name (its storage
    class) and the object's name in the tier's bucket; the version's record keeps the rest."""

    name: str
    key: str


@dataclass
class ObjectInfo:
    """One object version, the same on every drive of its set."""

    size: int
    etag: str
    mtime_ns: int
    version_id: str  # "null" for the null version (unversioned buckets, Suspended writes)
    content_type: str = "binary/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)  # Content-Encoding, Cache-Control, ...
    user_meta: dict[str, str] = field(default_factory=dict)  # x-amz-meta-* without the prefix
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64, as S3 returns it
    data_shards: int = 1
    parity_shards: int = 0
    block_size: int = 1 << 20
    distribution: list[int] = field(default_factory=list)  # shard index -> drive index in the set
    data_id: str | None = None  # directory of the shard files; None when the data is inline
    parts: list[ObjectPart] = field(default_factory=list)  # a multipart object's parts, in order
    checksum_type: str = "FULL_OBJECT"  # or COMPOSITE: a checksum of the parts' checksums ("-N")
    # Versioning: the order stamp of the version among the key's versions (versions.py; newer is
    # larger), and whether it is a delete marker rather than an object.
    version_ts: int = 0
    delete_marker: bool = False
    # Written on the latest version (versions.py): whether older versions may exist, and the
    # stamp of the noncurrent null version (0: none).
    has_older: bool = False
    null_stamp: int = 0
    tags: dict[str, str] = field(default_factory=dict)  # object tags, in the order set
    # Object lock: retention ("" or GOVERNANCE or COMPLIANCE, until when, ns since the epoch)
    # and legal hold.
    lock_mode: str = ""
    lock_until_ns: int = 0
    legal_hold: bool | None = None  # None: never set (S3 then has no legal hold to show)
    acl: Any = None  # the version's access control list as the server stores it (None: the default)
    # Server-side encryption: how the object key is sealed (sse.py); None: stored in the clear.
    # Sizes and block_size stay the plaintext's; stored_* give what the shards hold.
    sse: SealedKey | None = None
    # Lifecycle transition: the version's data was moved to a remote tier and this record is its
    # stub (no inline frame, no shard files); None: the data is here.
    tier: TierRef | None = None
    # Not stored: whether the bucket has versioning configured, filled in by reads (S3 names the
    # null version only on such buckets).
    versioned: bool = False

    @property
    def stored_block_size(self) -> int:
        """The length of a full block as erasure-coded (an encrypted block carries its tag)."""
        return self.block_size + TAG_SIZE if self.sse is not None else self.block_size

    def stored_length(self, plain: int) -> int:
        """Bytes stored for a stretch (whole object, part, block) of `plain` plaintext bytes."""
        return stored_length(plain, self.block_size) if self.sse is not None else plain

    @property
    def locked_until(self) -> int:
        """Until when (ns) retention forbids deleting this version; 0 when it does not."""
        return self.lock_until_ns if self.lock_mode else 0

    @property
    def inline(self) -> bool:
        """Whether the data is in the record (a transitioned version's is in neither place)."""
        return self.data_id is None and self.tier is None

    @property
    def storage_class(self) -> str:
        """The storage class S3 answers: a transitioned version's tier name (as MinIO shows it)."""
        return self.tier.name if self.tier is not None else "STANDARD"

    @property
    def part_count(self) -> int:
        """Parts as S3 counts them: an object written in one piece is one part."""
        return len(self.parts) or 1

    def segments(self) -> list[tuple[str, int, int]]:
        """(shard file name, offset in the object, size) of each stretch stored as one shard file."""
        if not self.parts:
            return [(SHARD_FILE, 0, self.size)]
        out: list[tuple[str, int, int]] = []
        offset = 0
        for part in self.parts:
            out.append((part.file, offset, part.size))
            offset += part.size
        return out


@dataclass
class UploadInfo:
    """A multipart upload in progress: what CreateMultipartUpload fixed for the object to be."""

    upload_id: str
    initiated_ns: int
    data_id: str  # directory, on every drive of the set, that receives the part files
    distribution: list[int]
    data_shards: int
    parity_shards: int
    block_size: int
    content_type: str = "binary/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    user_meta: dict[str, str] = field(default_factory=dict)
    checksum_algorithm: str | None = None  # crc32, crc32c, crc64nvme, sha1, sha256
    checksum_type: str | None = None  # COMPOSITE or FULL_OBJECT when an algorithm is set
    tags: dict[str, str] = field(default_factory=dict)  # what the object will have (x-amz-tagging)
    lock_mode: str = ""
    lock_until_ns: int = 0
    legal_hold: bool | None = None
    acl: Any = None  # what the object will have
    sse: SealedKey | None = None  # the object key every part is encrypted with (sse.py)


@dataclass
class PartInfo:
    """One uploaded part: a shard file of its own in the upload's data directory."""

    number: int
    size: int
    etag: str
    mtime_ns: int
    file: str
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64
    sse: SealedKey | None = None  # not stored: the upload's encryption, for UploadPart's answer

    def as_object_part(self) -> ObjectPart:
        return ObjectPart(self.number, self.size, self.file, self.etag, dict(self.checksums))


@dataclass
class CompletePart:
    """A part as CompleteMultipartUpload's document lists it."""

    number: int
    etag: str
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64, as sent


@dataclass(slots=True)
class ListedObject:
    """One object of a ListObjects page: what a listing shows of its latest version, decoded from
    the record without the rest (a listing decodes one per key returned)."""

    key: str
    size: int
    etag: str
    mtime_ns: int
    checksum_algorithm: str | None = None  # the object's S3 checksum, if it has one (as stored)
    checksum_type: str = "FULL_OBJECT"
    storage_class: str = "STANDARD"  # a transitioned version's: its tier's name


@dataclass
class ListPage:
    objects: list[ListedObject] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    next_marker: str | None = None  # the last key or prefix returned, when truncated


@dataclass
class ListedVersion:
    key: str
    info: ObjectInfo  # a version, or a delete marker (info.delete_marker)
    is_latest: bool


@dataclass
class VersionsPage:
    versions: list[ListedVersion] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    next_key_marker: str | None = None  # the last key or prefix returned
    next_version_id_marker: str | None = None  # the last version returned (None after a prefix)


@dataclass
class PartsPage:
    upload: UploadInfo
    parts: list[PartInfo]
    truncated: bool


@dataclass
class UploadsPage:
    uploads: list[tuple[str, UploadInfo]] = field(default_factory=list)  # (key, upload)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    next_key: str | None = None
    next_upload_id: str | None = None


@dataclass
class ObjectToDelete:
    """One entry of a DeleteObjects request."""

    key: str
    version_id: str | None = None
    etag: str | None = None  # delete only the version with this ETag (a conditional delete)


@dataclass
class DeletedObject:
    """The outcome of deleting one object: `error` is None on success, else the engine's error
    (the caller translates it); deleting a key that does not exist succeeds, as in S3."""

    key: str
    version_id: str | None = None  # the version deleted, or the delete marker written
    existed: bool = False
    delete_marker: bool = False  # a delete marker was written, or the version deleted was one
    error: EngineError | None = None
