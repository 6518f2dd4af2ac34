"""The router's tables: for each kind of resource (the service, a bucket, an object, a part)
and each sub-resource selector ("?acl", "?uploads", ...), which AWS operation each method is
there, or the refusal S3 answers instead; the special paths; and OPERATIONS, every name the
router can return.  How they are read is router.py's docstring."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Refusal:
    """What S3 answers instead of an operation for one method at one selector."""

    code: str
    message: str
    status: int = 400
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Resource:
    """A selector at one kind of path: the ResourceType S3's 405 names, and per method the
    operation (a name) or the refusal S3 answers instead."""

    resource_type: str
    actions: Mapping[str, str | Refusal] = field(default_factory=dict)


METHOD_NOT_ALLOWED = "The specified method is not allowed against this resource."
KEY_REQUIRED = Refusal("InvalidRequest", "A key must be specified")
NO_KEY_NAME = Refusal("InvalidRequest", "Object must have a valid key name.")
POST_NOT_FORM = Refusal(
    "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412,
    (("Condition", "Bucket POST must be of the enclosure-type multipart/form-data"),))


def crud(kind: str, name: str, *, delete: bool = True) -> dict[str, str | Refusal]:
    """GET/PUT(/DELETE) -> "GetBucketX"-style names: kind is "Bucket", "Object" or ""."""
    actions: dict[str, str | Refusal] = {"GET": f"Get{kind}{name}", "PUT": f"Put{kind}{name}"}
    if delete:
        actions["DELETE"] = f"Delete{kind}{name}"
    return actions


# The bare resources: the service root, a bucket, an object, and an upload's part.
SERVICE = Resource("SERVICE", {"GET": "ListBuckets"})
BUCKET_ITSELF = Resource("BUCKET", {
    "GET": "ListObjects", "HEAD": "HeadBucket", "PUT": "CreateBucket", "DELETE": "DeleteBucket",
    "POST": "PostObject"})
OBJECT_ITSELF = Resource("OBJECT", {
    "GET": "GetObject", "HEAD": "HeadObject", "PUT": "PutObject", "DELETE": "DeleteObject"})
PART = Resource("PART", {"PUT": "UploadPart"})
# A part needs a key; S3's answer to one at a bucket's path was not measured, so it is the
# refusal S3 gives an upload id there.
PART_AT_BUCKET = Resource("PART", {"PUT": KEY_REQUIRED})

# A bucket's selectors (botocore's /{Bucket}?<selector> operations), plus the object selectors
# S3 also reads at a bucket's path (torrent, uploadId, restore) to refuse them there.
BUCKET: dict[str, Resource] = {
    "abac": Resource("BUCKET_ABAC", {"GET": "GetBucketAbac", "PUT": "PutBucketAbac"}),
    "accelerate": Resource("ACCELERATE", crud("Bucket", "AccelerateConfiguration", delete=False)),
    "acl": Resource("ACL", crud("Bucket", "Acl", delete=False)),
    "analytics": Resource("ANALYTICS", crud("Bucket", "AnalyticsConfiguration")),
    "cors": Resource("CORS", crud("Bucket", "Cors")),
    "delete": Resource("MULTI_OBJECT_DELETE", {"POST": "DeleteObjects"}),
    "encryption": Resource("ENCRYPTION", crud("Bucket", "Encryption")),
    # MinIO's ListenBucketNotification (`mc watch`), not an AWS operation; its 405 type is ours.
    "events": Resource("LISTEN_NOTIFICATION", {"GET": "ListenBucketNotification"}),
    "intelligent-tiering": Resource(
        "INTELLIGENT_TIERING", crud("Bucket", "IntelligentTieringConfiguration")),
    "inventory": Resource("INVENTORY", crud("Bucket", "InventoryConfiguration")),
    "lifecycle": Resource("LIFECYCLE", {
        "GET": "GetBucketLifecycleConfiguration", "PUT": "PutBucketLifecycleConfiguration",
        "DELETE": "DeleteBucketLifecycle"}),
    "location": Resource("LOCATION", {"GET": "GetBucketLocation"}),
    "logging": Resource("LOGGING_STATUS", crud("Bucket", "Logging", delete=False)),
    "metadataAnnotationTable": Resource(
        "BUCKET_METADATA_ANNOTATION_TABLE_CONFIGURATION",
        {"PUT": "UpdateBucketMetadataAnnotationTableConfiguration"}),
    "metadataConfiguration": Resource("BUCKET_METADATA_CONFIGURATION", {
        "GET": "GetBucketMetadataConfiguration", "POST": "CreateBucketMetadataConfiguration",
        "DELETE": "DeleteBucketMetadataConfiguration"}),
    "metadataInventoryTable": Resource(
        "BUCKET_METADATA_INVENTORY_TABLE_CONFIGURATION",
        {"PUT": "UpdateBucketMetadataInventoryTableConfiguration"}),
    "metadataJournalTable": Resource(
        "BUCKET_METADATA_JOURNAL_TABLE_CONFIGURATION",
        {"PUT": "UpdateBucketMetadataJournalTableConfiguration"}),
    "metadataTable": Resource("BUCKET_METADATA_TABLE_CONFIGURATION", {
        "GET": "GetBucketMetadataTableConfiguration",
        "POST": "CreateBucketMetadataTableConfiguration",
        "DELETE": "DeleteBucketMetadataTableConfiguration"}),
    "metrics": Resource("METRICS", crud("Bucket", "MetricsConfiguration")),
    "notification": Resource(
        "NOTIFICATION", crud("Bucket", "NotificationConfiguration", delete=False)),
    "object-lock": Resource("OBJECT_LOCK_CONFIGURATION", crud(
        "", "ObjectLockConfiguration", delete=False)),
    "ownershipControls": Resource("OWNERSHIP_CONTROLS", crud("Bucket", "OwnershipControls")),
    "policy": Resource("BUCKETPOLICY", crud("Bucket", "Policy")),
    "policyStatus": Resource("POLICY_STATUS", {"GET": "GetBucketPolicyStatus"}),
    "publicAccessBlock": Resource("PUBLIC_ACCESS_BLOCK", crud("", "PublicAccessBlock")),
    "replication": Resource("REPLICATION", crud("Bucket", "Replication")),
    "requestPayment": Resource("REQUEST_PAYMENT", crud("Bucket", "RequestPayment", delete=False)),
    "restore": Resource("RESTORE", {
        "POST": Refusal("UserKeyMustBeSpecified", "User key must be specified.")}),
    # A directory-bucket operation; its 405 type was not measured.
    "session": Resource("SESSION", {"GET": "CreateSession"}),
    "tagging": Resource("TAGGING", crud("Bucket", "Tagging")),
    "torrent": Resource("TORRENT"),
    # POST ?uploads at a bucket's path has no key to upload to; S3's answer was not measured,
    # so it is the refusal S3 gives an upload id there.
    "uploadId": Resource("UPLOAD", {"GET": KEY_REQUIRED, "POST": KEY_REQUIRED,
                                     "DELETE": KEY_REQUIRED}),
    "uploads": Resource("UPLOADS", {"GET": "ListMultipartUploads", "POST": KEY_REQUIRED}),
    "versioning": Resource("VERSIONING", crud("Bucket", "Versioning", delete=False)),
    "versions": Resource("BUCKETVERSIONS", {"GET": "ListObjectVersions"}),
    "website": Resource("WEBSITE", crud("Bucket", "Website")),
}

# The bucket selectors S3 still reads at a key's path, as the bucket's own operation with the
# key ignored -- but for ?logging and ?versions, which it refuses there.
BUCKET_AT_KEY = ("accelerate", "cors", "inventory", "lifecycle", "location", "logging",
                  "notification", "policy", "replication", "requestPayment", "versioning",
                  "versions", "website")
NO_LOGGING_FOR_KEY = Refusal("NoLoggingStatusForKey",
                               "There is no such thing as the ?logging sub-resource for a key")
NO_VERSIONS_FOR_KEY = Refusal("InvalidRequest",
                                "There is no such thing as the ?versions sub-resource for a key")

OBJECT: dict[str, Resource] = {
    **{name: BUCKET[name] for name in BUCKET_AT_KEY},
    "logging": Resource("LOGGING_STATUS", {"GET": NO_LOGGING_FOR_KEY,
                                            "PUT": NO_LOGGING_FOR_KEY}),
    "versions": Resource("BUCKETVERSIONS", {"GET": NO_VERSIONS_FOR_KEY}),
    "acl": Resource("ACL", crud("Object", "Acl", delete=False)),
    "annotation": Resource("OBJECT_ANNOTATIONS", crud("Object", "Annotation")),
    "attributes": Resource("OBJECT_ATTRIBUTES", {"GET": "GetObjectAttributes"}),
    "delete": Resource("MULTI_OBJECT_DELETE", {"POST": "DeleteObjects"}),
    "encryption": Resource("OBJECT_ENCRYPTION", {"PUT": "UpdateObjectEncryption"}),
    "legal-hold": Resource("OBJECT_LOCK_LEGALHOLD", crud("Object", "LegalHold", delete=False)),
    # A directory-bucket operation; its 405 type was not measured.
    "renameObject": Resource("RENAME_OBJECT", {"PUT": "RenameObject"}),
    "restore": Resource("RESTORE", {"POST": "RestoreObject"}),
    "retention": Resource("OBJECT_LOCK_RETENTION", crud("Object", "Retention", delete=False)),
    "select": Resource("SELECT", {"POST": "SelectObjectContent"}),
    "tagging": Resource("OBJECT_TAGGING", crud("Object", "Tagging")),
    "torrent": Resource("TORRENT", {"GET": "GetObjectTorrent"}),
    "uploadId": Resource("UPLOAD", {"GET": "ListParts", "POST": "CompleteMultipartUpload",
                                     "DELETE": "AbortMultipartUpload"}),
    "uploads": Resource("UPLOADS", {
        "GET": Refusal("InvalidRequest",
                        "Key is not expected for the GET method ?uploads subresource"),
        "POST": "CreateMultipartUpload"}),
}

# GET of a configuration family without an ?id lists the family.
LIST_WITHOUT_ID = {
    "GetBucketAnalyticsConfiguration": "ListBucketAnalyticsConfigurations",
    "GetBucketIntelligentTieringConfiguration": "ListBucketIntelligentTieringConfigurations",
    "GetBucketInventoryConfiguration": "ListBucketInventoryConfigurations",
    "GetBucketMetricsConfiguration": "ListBucketMetricsConfigurations",
}

# Operations that act on the bucket, even when named through a key's path.
BUCKET_OPERATIONS = frozenset(
    action for resource in (*BUCKET.values(), BUCKET_ITSELF)
    for action in resource.actions.values() if isinstance(action, str)
) | frozenset(LIST_WITHOUT_ID.values()) | {"ListObjectsV2"}

# At a key's path on a GET or HEAD, these selectors' operations take no versionId.
VERSIONLESS_AT_KEY = frozenset({*BUCKET_AT_KEY, "torrent", "uploadId", "uploads"})

HEALTH = {
    "/minio/health/live": "HealthLive",
    "/minio/health/ready": "HealthReady",
    "/minio/health/cluster": "HealthCluster",
    "/minio/health/cluster/read": "HealthClusterRead",
}
# MinIO's Prometheus endpoints (metrics v2), answered with their own bearer-token auth.
METRICS = {
    "/minio/v2/metrics/cluster": "MetricsCluster",
    "/minio/v2/metrics/node": "MetricsNode",
    "/minio/v2/metrics/bucket": "MetricsBucket",
}
RESERVED_PREFIXES = (("/minio/admin/", "AdminApi"), ("/cairn/", "CairnApi"))
PARSED_METHODS = frozenset({"GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"})
PREFLIGHT = "OptionsObject"
STS = "AssumeRole"

OPERATIONS: frozenset[str] = frozenset(
    action
    for resource in (*BUCKET.values(), *OBJECT.values(), SERVICE, BUCKET_ITSELF,
                     OBJECT_ITSELF, PART)
    for action in resource.actions.values() if isinstance(action, str)
) | frozenset(LIST_WITHOUT_ID.values()) | frozenset(HEALTH.values()) | frozenset(METRICS.values()) | {
    "ListObjectsV2", "ListObjectAnnotations", "CopyObject", "UploadPartCopy", PREFLIGHT, STS,
    *(name for _, name in RESERVED_PREFIXES)}
"""Every operation name route() can return."""
