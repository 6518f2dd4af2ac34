"""ObjectOptions: the one options value every object call of the ObjectLayer takes (MinIO's
ObjectOptions), so that a feature adds a field here rather than a parameter to every signature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .info import ObjectInfo
from .sse import Encryption

DEFAULT_CONTENT_TYPE = "binary/octet-stream"


@dataclass
class Metadata:
    """What a write stores about an object besides its bytes."""

    content_type: str = DEFAULT_CONTENT_TYPE
    headers: dict[str, str] = field(default_factory=dict)  # Cache-Control, Content-Encoding, ...
    user_meta: dict[str, str] = field(default_factory=dict)  # x-amz-meta-* without the prefix


@dataclass
class ObjectOptions:
    # Which version a read or delete addresses (None: the current one).
    version_id: str | None = None
    # Reads: (start, length) of the object to serve, checked against its size (InvalidRange).
    range: tuple[int, int] | None = None
    # Writes: metadata to store (None: defaults; for a copy, the source's, as COPY directive).
    metadata: Metadata | None = None
    size: int | None = None  # announced body size; another size is IncompleteBody
    expected: dict[str, bytes] = field(default_factory=dict)  # algorithm -> digest the client sent
    checksums: tuple[str, ...] = ()  # S3 checksum algorithms to compute and store
    # CreateMultipartUpload: the upload's checksum algorithm and type (COMPOSITE, FULL_OBJECT).
    checksum_algorithm: str | None = None
    checksum_type: str | None = None
    # CompleteMultipartUpload: full-object checksums sent (base64, "-N" allowed on a composite
    # one) and x-amz-mp-object-size.
    expected_checksums: dict[str, str] = field(default_factory=dict)
    object_size: int | None = None
    # Conditional writes, decided against the version being replaced.
    if_none_match: bool = False  # If-None-Match: *  -- only if no object exists
    if_match: str | None = None  # If-Match: <etag>  -- only over this exact version
    # Writes: the bucket's versioning status ("", Enabled, Suspended), filled in by the ObjectLayer.
    versioning: str = ""
    # Writes: tags to store (None: none; for a copy, the source's); object lock of the new version
    # (None: the bucket's default retention, if any); deletes and retention changes: bypass a
    # GOVERNANCE retention (x-amz-bypass-governance-retention).
    tags: dict[str, str] | None = None
    lock_mode: str | None = None
    lock_until_ns: int | None = None
    legal_hold: bool | None = None
    acl: Any = None  # the access control list of the new version (None: the default; not copied)
    bypass_governance: bool = False
    # Server-side encryption (sse.py).  Writes: how to encrypt the new object (None: the bucket's
    # default encryption, if any); reads and parts of an SSE-C upload: the customer key sent.
    encryption: Encryption | None = None
    # Reads (copy sources): called with the object before any byte moves; raises to refuse.
    precondition: Callable[[ObjectInfo], None] | None = None
