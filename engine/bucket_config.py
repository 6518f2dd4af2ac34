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

from .errors import InvalidBucketState


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


@dataclass(frozen=True)
class EncryptionConfig:
    """PutBucketEncryption's default rule: the SSEAlgorithm (AES256 or aws:kms), the
    KMSMasterKeyID of aws:kms ("" for the current master key), BucketKeyEnabled (kept and echoed:
    Cairn's local key ring has no per-request cost for a bucket key to save).  Applied to every
    new object that asks for no encryption of its own (write_options.py)."""

    KIND: ClassVar[str] = "encryption"
    algorithm: str = "AES256"
    kms_key_id: str = ""
    bucket_key_enabled: bool = False

    def to_doc(self) -> Any:
        return {"alg": self.algorithm, "key": self.kms_key_id, "bucket_key": self.bucket_key_enabled}

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(str(doc.get("alg", "AES256")), str(doc.get("key", "")), bool(doc.get("bucket_key", False)))


@dataclass(frozen=True)
class ObjectLockConfig:
    """ObjectLockConfiguration: lock enabled (for good), and the default retention of new versions
    (mode GOVERNANCE or COMPLIANCE with Days or Years; mode "" for none)."""

    KIND: ClassVar[str] = "object_lock"
    enabled: bool = True
    mode: str = ""
    days: int = 0
    years: int = 0

    def to_doc(self) -> Any:
        return {"enabled": self.enabled, "mode": self.mode, "days": self.days, "years": self.years}

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(bool(doc.get("enabled", True)), str(doc.get("mode", "")), int(doc.get("days", 0)),
                   int(doc.get("years", 0)))

    def default_until_ns(self, now_ns: int) -> int:
        """When the default retention of a version written at `now_ns` ends (0: no default)."""
        if not self.mode:
            return 0
        days = self.days or 365 * self.years  # S3 counts a year as 365 days
        return now_ns + days * 86_400 * 10**9


@dataclass(frozen=True)
class PolicyConfig:
    """PutBucketPolicy's document, kept exactly as sent (GetBucketPolicy returns it byte for byte);
    the server parses and checks it before it is stored."""

    KIND: ClassVar[str] = "policy"
    document: str = ""

    def to_doc(self) -> Any:
        return self.document

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(str(doc))


@dataclass(frozen=True)
class AclConfig:
    """The bucket's access control list, as the server stores it (grants; the owner is the
    bucket's)."""

    KIND: ClassVar[str] = "acl"
    document: Any = None

    def to_doc(self) -> Any:
        return self.document

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(doc)


@dataclass(frozen=True)
class PublicAccessBlockConfig:
    """PutPublicAccessBlock's four switches."""

    KIND: ClassVar[str] = "public_access_block"
    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    def to_doc(self) -> Any:
        return [self.block_public_acls, self.ignore_public_acls, self.block_public_policy,
                self.restrict_public_buckets]

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(*(bool(v) for v in doc))


@dataclass(frozen=True)
class OwnershipControlsConfig:
    """PutBucketOwnershipControls' ObjectOwnership: BucketOwnerEnforced (ACLs disabled),
    BucketOwnerPreferred or ObjectWriter."""

    KIND: ClassVar[str] = "ownership"
    object_ownership: str = "BucketOwnerEnforced"

    def to_doc(self) -> Any:
        return self.object_ownership

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(str(doc))


@dataclass(frozen=True)
class CorsRule:
    """One CORSRule: the origins (each with at most one `*`), methods, request headers (each with
    at most one `*`) it allows, the response headers it exposes, how long a browser may cache a
    preflight's answer (None: no Access-Control-Max-Age), and its optional ID."""

    allowed_origins: tuple[str, ...]
    allowed_methods: tuple[str, ...]
    allowed_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age_seconds: int | None = None
    id: str | None = None

    def to_doc(self) -> Any:
        doc: dict[str, Any] = {"origins": list(self.allowed_origins), "methods": list(self.allowed_methods)}
        if self.allowed_headers:
            doc["headers"] = list(self.allowed_headers)
        if self.expose_headers:
            doc["expose"] = list(self.expose_headers)
        if self.max_age_seconds is not None:
            doc["max_age"] = self.max_age_seconds
        if self.id is not None:
            doc["id"] = self.id
        return doc

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        max_age, rule_id = doc.get("max_age"), doc.get("id")
        return cls(tuple(map(str, doc["origins"])), tuple(map(str, doc["methods"])),
                   tuple(map(str, doc.get("headers", ()))), tuple(map(str, doc.get("expose", ()))),
                   None if max_age is None else int(max_age), None if rule_id is None else str(rule_id))


@dataclass(frozen=True)
class CorsConfig:
    """PutBucketCors' CORSConfiguration: its rules in the order given (the first that matches a
    request answers it); the server checks the document before it is stored."""

    KIND: ClassVar[str] = "cors"
    rules: tuple[CorsRule, ...] = ()

    def to_doc(self) -> Any:
        return [rule.to_doc() for rule in self.rules]

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(tuple(CorsRule.from_doc(rule) for rule in doc))


@dataclass(frozen=True)
class LifecycleFilter:
    """Which objects a lifecycle rule applies to: all of a key prefix (None: any key), tags (each
    must be on the object with that value), and object size bounds (exclusive).  `form` keeps how
    the document said it, so that GetBucketLifecycleConfiguration answers it back: "prefix" (the
    older rule-level Prefix), "filter" (a Filter with at most one condition) or "and" (Filter/And)."""

    prefix: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    size_gt: int | None = None
    size_lt: int | None = None
    form: str = "filter"

    def to_doc(self) -> Any:
        doc: dict[str, Any] = {"form": self.form}
        if self.prefix is not None:
            doc["prefix"] = self.prefix
        if self.tags:
            doc["tags"] = [list(tag) for tag in self.tags]
        if self.size_gt is not None:
            doc["gt"] = self.size_gt
        if self.size_lt is not None:
            doc["lt"] = self.size_lt
        return doc

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        prefix, gt, lt = doc.get("prefix"), doc.get("gt"), doc.get("lt")
        tags = tuple((str(k), str(v)) for k, v in doc.get("tags", ()))
        return cls(None if prefix is None else str(prefix), tags, None if gt is None else int(gt),
                   None if lt is None else int(lt), str(doc.get("form", "filter")))


@dataclass(frozen=True)
class LifecycleRule:
    """One lifecycle Rule: its ID, Status (Enabled or Disabled), filter, and actions, each None
    when absent: Expiration (Days, Date as seconds since the epoch at midnight UTC, or
    ExpiredObjectDeleteMarker), NoncurrentVersionExpiration (NoncurrentDays, NewerNoncurrentVersions),
    AbortIncompleteMultipartUpload (DaysAfterInitiation), Transition (Days or Date, StorageClass: a
    remote tier's name) and NoncurrentVersionTransition (NoncurrentDays, NewerNoncurrentVersions,
    StorageClass), at most one of each (MinIO's rule: one tier per rule)."""

    id: str
    status: str = "Enabled"
    filter: LifecycleFilter = field(default_factory=LifecycleFilter)
    expiration_days: int | None = None
    expiration_date: int | None = None
    expired_object_delete_marker: bool | None = None
    noncurrent_days: int | None = None
    newer_noncurrent_versions: int | None = None
    abort_days: int | None = None
    transition_days: int | None = None
    transition_date: int | None = None
    transition_class: str | None = None
    noncurrent_transition_days: int | None = None
    noncurrent_transition_newer: int | None = None
    noncurrent_transition_class: str | None = None

    _ACTIONS: ClassVar[tuple[str, ...]] = ("expiration_days", "expiration_date",
                                          "expired_object_delete_marker", "noncurrent_days",
                                          "newer_noncurrent_versions", "abort_days", "transition_days",
                                          "transition_date", "transition_class", "noncurrent_transition_days",
                                          "noncurrent_transition_newer", "noncurrent_transition_class")

    @property
    def enabled(self) -> bool:
        return self.status == "Enabled"

    def to_doc(self) -> Any:
        doc: dict[str, Any] = {"id": self.id, "status": self.status, "filter": self.filter.to_doc()}
        doc.update({name: getattr(self, name) for name in self._ACTIONS if getattr(self, name) is not None})
        return doc

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        actions = {name: doc[name] for name in cls._ACTIONS if doc.get(name) is not None}
        return cls(str(doc["id"]), str(doc.get("status", "Enabled")),
                   LifecycleFilter.from_doc(doc.get("filter", {})), **actions)


@dataclass(frozen=True)
class LifecycleConfig:
    """PutBucketLifecycleConfiguration's LifecycleConfiguration: its rules in the order given; the
    server checks the document before it is stored, the scanner applies it (lifecycle.py)."""

    KIND: ClassVar[str] = "lifecycle"
    rules: tuple[LifecycleRule, ...] = ()

    def to_doc(self) -> Any:
        return [rule.to_doc() for rule in self.rules]

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(tuple(LifecycleRule.from_doc(rule) for rule in doc))


@dataclass(frozen=True)
class WebsiteRedirect:
    """Where a website request is sent: a RoutingRule's Redirect (every field optional), or the
    RedirectAllRequestsTo of a whole website (HostName and Protocol only).  None: not given."""

    host_name: str | None = None
    protocol: str | None = None
    replace_key_prefix_with: str | None = None
    replace_key_with: str | None = None
    http_redirect_code: int | None = None

    _FIELDS: ClassVar[tuple[str, ...]] = ("host_name", "protocol", "replace_key_prefix_with",
                                          "replace_key_with", "http_redirect_code")

    def to_doc(self) -> Any:
        return {name: getattr(self, name) for name in self._FIELDS if getattr(self, name) is not None}

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        code = doc.get("http_redirect_code")
        texts = {name: str(doc[name]) for name in cls._FIELDS[:4] if doc.get(name) is not None}
        return cls(**texts, http_redirect_code=None if code is None else int(code))


@dataclass(frozen=True)
class WebsiteRoutingRule:
    """One RoutingRule: its Condition (KeyPrefixEquals, HttpErrorCodeReturnedEquals; both None when
    the rule has no Condition, which then applies to every request) and its Redirect."""

    redirect: WebsiteRedirect = field(default_factory=WebsiteRedirect)
    key_prefix_equals: str | None = None
    http_error_code_returned_equals: int | None = None

    def to_doc(self) -> Any:
        doc: dict[str, Any] = {"redirect": self.redirect.to_doc()}
        if self.key_prefix_equals is not None:
            doc["prefix"] = self.key_prefix_equals
        if self.http_error_code_returned_equals is not None:
            doc["error"] = self.http_error_code_returned_equals
        return doc

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        prefix, error = doc.get("prefix"), doc.get("error")
        return cls(WebsiteRedirect.from_doc(doc.get("redirect", {})), None if prefix is None else str(prefix),
                   None if error is None else int(error))


@dataclass(frozen=True)
class WebsiteConfig:
    """PutBucketWebsite's WebsiteConfiguration: either RedirectAllRequestsTo alone, or an
    IndexDocument Suffix with an optional ErrorDocument Key and RoutingRules (in the order given:
    the first that matches a request answers it).  The server checks the document before it is
    stored, and serves the website (server/website.py)."""

    KIND: ClassVar[str] = "website"
    index_suffix: str | None = None
    error_key: str | None = None
    redirect_all: WebsiteRedirect | None = None
    routing_rules: tuple[WebsiteRoutingRule, ...] = ()

    def to_doc(self) -> Any:
        doc: dict[str, Any] = {}
        if self.index_suffix is not None:
            doc["index"] = self.index_suffix
        if self.error_key is not None:
            doc["error"] = self.error_key
        if self.redirect_all is not None:
            doc["redirect_all"] = self.redirect_all.to_doc()
        if self.routing_rules:
            doc["rules"] = [rule.to_doc() for rule in self.routing_rules]
        return doc

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        index, error, everything = doc.get("index"), doc.get("error"), doc.get("redirect_all")
        return cls(None if index is None else str(index), None if error is None else str(error),
                   None if everything is None else WebsiteRedirect.from_doc(everything),
                   tuple(WebsiteRoutingRule.from_doc(rule) for rule in doc.get("rules", ())))


@dataclass(frozen=True)
class NotificationRule:
    """One QueueConfiguration, TopicConfiguration or CloudFunctionConfiguration (`kind`: "Queue",
    "Topic", "CloudFunction"): its Id, the destination ARN, the event names it asks for as sent
    (e.g. "s3:ObjectCreated:*"), and its S3Key FilterRules as (Name as sent, Value) pairs."""

    kind: str
    arn: str
    events: tuple[str, ...]
    id: str = ""
    filters: tuple[tuple[str, str], ...] = ()

    @property
    def prefix(self) -> str:
        return next((v for n, v in self.filters if n.lower() == "prefix"), "")

    @property
    def suffix(self) -> str:
        return next((v for n, v in self.filters if n.lower() == "suffix"), "")

    def wants(self, event_name: str, key: str) -> bool:
        """Whether an event of this name (e.g. "s3:ObjectCreated:Put") on this key is for it."""
        return (any(e == event_name or (e.endswith(":*") and event_name.startswith(e[:-1]))
                    for e in self.events)
                and key.startswith(self.prefix) and key.endswith(self.suffix))

    def to_doc(self) -> Any:
        return {"kind": self.kind, "arn": self.arn, "events": list(self.events), "id": self.id,
                "filters": [list(f) for f in self.filters]}

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(str(doc["kind"]), str(doc["arn"]), tuple(map(str, doc["events"])), str(doc.get("id", "")),
                   tuple((str(n), str(v)) for n, v in doc.get("filters", ())))


@dataclass(frozen=True)
class NotificationConfig:
    """PutBucketNotificationConfiguration's NotificationConfiguration: its configurations in the
    order given; the server checks the document before it is stored (handlers/notification.py)
    and queues the events it asks for (notification.py)."""

    KIND: ClassVar[str] = "notification"
    rules: tuple[NotificationRule, ...] = ()

    def to_doc(self) -> Any:
        return [rule.to_doc() for rule in self.rules]

    @classmethod
    def from_doc(cls, doc: Any) -> Self:
        return cls(tuple(NotificationRule.from_doc(rule) for rule in doc))


CONFIG_TYPES: dict[str, type[BucketConfig]] = {
    c.KIND: c for c in (VersioningConfig, TaggingConfig, ObjectLockConfig, PolicyConfig, AclConfig,
                        PublicAccessBlockConfig, OwnershipControlsConfig, CorsConfig,
                        LifecycleConfig, WebsiteConfig, NotificationConfig)}
CONFIG_TYPES[EncryptionConfig.KIND] = EncryptionConfig


def check_config_change(configs: dict[str, Any], kind: str, doc: Any) -> None:
    """InvalidBucketState for a change S3 refuses given the bucket's other configurations: object
    lock needs versioning Enabled, and then keeps it so."""
    lock = configs.get(ObjectLockConfig.KIND)
    versioning = str((configs.get(VersioningConfig.KIND) or {}).get("status", ""))
    if kind == VersioningConfig.KIND and lock and (doc or {}).get("status") != "Enabled":
        raise InvalidBucketState("An Object Lock configuration is present on this bucket, so the versioning "
                                 "state cannot be changed.")
    if kind == ObjectLockConfig.KIND and versioning != "Enabled":
        raise InvalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock "
                                 "configuration")
