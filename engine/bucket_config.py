"""Typed per-bucket configurations: each S3 bucket feature's settings as one value.

Every configuration type has a KIND (its name in the bucket record) and a JSON
document form (`to_doc`/`from_doc`).  The bucket record keeps a document per
kind (buckets.py); readers get typed values back through
`BucketInfo.config(Type)`.  A feature family adds its type here (object lock,
policy, CORS, lifecycle, encryption, website, notification: each as it lands)
and registers it in CONFIG_TYPES; the record, the compare-and-swap update and
the cache need no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, Self, TypeVar


class BucketConfig(Protocol):
    KIND: ClassVar[str]

    def to_doc(self) -> Any: ...

    @classmethod
    def from_doc(cls, doc: Any) -> Self: ...


C = TypeVar("C", bound=BucketConfig)


@dataclass(frozen=True)
class VersioningConfig:
    """PutBucketVersioning's VersioningConfiguration: Status is Enabled or Suspended once set."""

    KIND: ClassVar[str] = "versioning"
    status: str = ""
    mfa_delete: str = ""

    def to_doc(self) -> Any:
        return {"status": self.status, "mfa_delete": self.mfa_delete}

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(str(doc.get("status", "")), str(doc.get("mfa_delete", "")))


@dataclass(frozen=True)
class TaggingConfig:
    """PutBucketTagging's TagSet, in the order given."""

    KIND: ClassVar[str] = "tagging"
    tags: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def to_doc(self) -> Any:
        return [list(tag) for tag in self.tags]

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(tuple((str(k), str(v)) for k, v in doc))


CONFIG_TYPES: dict[str, type[BucketConfig]] = {c.KIND: c for c in (VersioningConfig, TaggingConfig)}
