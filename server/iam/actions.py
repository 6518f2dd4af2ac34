"""The IAM actions a policy may name, and which action each S3 operation Cairn routes is
authorized as.

S3_ACTIONS is the `s3:` column of AWS's Service Authorization Reference for Amazon S3 (the
`Actions defined by Amazon S3` table, as of the S3 Metadata, ABAC and annotation actions of
2025) plus the few `s3:` actions MinIO adds (MinIO policies name them, so they must parse).
ADMIN_ACTIONS is MinIO's pkg/policy admin-action.go SupportedAdminActions, KMS_ACTIONS its
kms-action.go, STS_ACTIONS the `sts:` actions of AWS and of MinIO's STS API.

OPERATION_ACTIONS follows the `API operations defined by Amazon S3` table of the same reference
(and each operation's Permissions section in the S3 API reference): the one action AWS checks
on the request's own resource.  ADDITIONAL_ACTIONS lists what some operations need on top of
it, VERSION_ACTIONS the action a versionId turns an object action into.
"""

from __future__ import annotations

from collections.abc import Iterable


def _s3(names: str) -> frozenset[str]:
    return frozenset(f"s3:{name}" for name in names.split())


# Actions on objects: their resource is arn:aws:s3:::bucket/key.
S3_OBJECT_ACTIONS = _s3("""
    AbortMultipartUpload BypassGovernanceRetention
    DeleteObject DeleteObjectAnnotation DeleteObjectTagging DeleteObjectVersion
    DeleteObjectVersionAnnotation DeleteObjectVersionTagging
    GetObject GetObjectAcl GetObjectAnnotation GetObjectAttributes GetObjectLegalHold
    GetObjectRetention GetObjectTagging GetObjectTorrent GetObjectVersion GetObjectVersionAcl
    GetObjectVersionAnnotation GetObjectVersionAnnotationForReplication
    GetObjectVersionAttributes GetObjectVersionForReplication GetObjectVersionTagging
    GetObjectVersionTorrent InitiateReplication ListMultipartUploadParts ListObjectAnnotations
    ListObjectVersionAnnotations ObjectOwnerOverrideToBucketOwner
    PutObject PutObjectAcl PutObjectAnnotation PutObjectLegalHold PutObjectRetention
    PutObjectTagging PutObjectVersionAcl PutObjectVersionAnnotation PutObjectVersionTagging
    ReplicateDelete ReplicateObject ReplicateObjectAnnotation ReplicateTags RestoreObject
    UpdateObjectEncryption
""")

# Actions on buckets: their resource is arn:aws:s3:::bucket.
S3_BUCKET_ACTIONS = _s3("""
    AllowVendedLogDeliveryForResource CreateBucket CreateBucketMetadataTableConfiguration
    DeleteBucket DeleteBucketMetadataTableConfiguration DeleteBucketPolicy DeleteBucketWebsite
    GetAccelerateConfiguration GetAnalyticsConfiguration GetBucketAbac GetBucketAcl
    GetBucketCORS GetBucketLocation GetBucketLogging GetBucketMetadataTableConfiguration
    GetBucketNotification GetBucketObjectLockConfiguration GetBucketOwnershipControls
    GetBucketPolicy GetBucketPolicyStatus GetBucketPublicAccessBlock GetBucketRequestPayment
    GetBucketTagging GetBucketVersioning GetBucketWebsite GetEncryptionConfiguration
    GetIntelligentTieringConfiguration GetInventoryConfiguration GetLifecycleConfiguration
    GetMetricsConfiguration GetReplicationConfiguration
    ListBucket ListBucketMultipartUploads ListBucketVersions ListTagsForResource
    PauseReplication PutAccelerateConfiguration PutAnalyticsConfiguration PutBucketAbac
    PutBucketAcl PutBucketCORS PutBucketLogging PutBucketNotification
    PutBucketObjectLockConfiguration PutBucketOwnershipControls PutBucketPolicy
    PutBucketPublicAccessBlock PutBucketRequestPayment PutBucketTagging PutBucketVersioning
    PutBucketWebsite PutEncryptionConfiguration PutIntelligentTieringConfiguration
    PutInventoryConfiguration PutLifecycleConfiguration PutMetricsConfiguration
    PutReplicationConfiguration TagResource UntagResource
    UpdateBucketMetadataAnnotationTableConfiguration
    UpdateBucketMetadataInventoryTableConfiguration UpdateBucketMetadataJournalTableConfiguration
""")

# Actions on the account, access points, Multi-Region Access Points, Batch Operations jobs,
# Storage Lens and Access Grants: never on a bucket or an object.
S3_OTHER_ACTIONS = _s3("""
    AssociateAccessGrantsIdentityCenter CreateAccessGrant CreateAccessGrantsInstance
    CreateAccessGrantsLocation CreateAccessPoint CreateAccessPointForObjectLambda CreateJob
    CreateMultiRegionAccessPoint CreateStorageLensGroup DeleteAccessGrant
    DeleteAccessGrantsInstance DeleteAccessGrantsInstanceResourcePolicy
    DeleteAccessGrantsLocation DeleteAccessPoint DeleteAccessPointForObjectLambda
    DeleteAccessPointPolicy DeleteAccessPointPolicyForObjectLambda DeleteJobTagging
    DeleteMultiRegionAccessPoint DeleteStorageLensConfiguration
    DeleteStorageLensConfigurationTagging DeleteStorageLensGroup DescribeJob
    DescribeMultiRegionAccessPointOperation DissociateAccessGrantsIdentityCenter
    GetAccessGrant GetAccessGrantsInstance GetAccessGrantsInstanceForPrefix
    GetAccessGrantsInstanceResourcePolicy GetAccessGrantsLocation GetAccessPoint
    GetAccessPointConfigurationForObjectLambda GetAccessPointForObjectLambda
    GetAccessPointPolicy GetAccessPointPolicyForObjectLambda GetAccessPointPolicyStatus
    GetAccessPointPolicyStatusForObjectLambda GetAccountPublicAccessBlock GetDataAccess
    GetJobTagging GetMultiRegionAccessPoint GetMultiRegionAccessPointPolicy
    GetMultiRegionAccessPointPolicyStatus GetMultiRegionAccessPointRoutes
    GetStorageLensConfiguration GetStorageLensConfigurationTagging GetStorageLensDashboard
    GetStorageLensGroup ListAccessGrants ListAccessGrantsInstances ListAccessGrantsLocations
    ListAccessPoints ListAccessPointsForObjectLambda ListAllMyBuckets ListCallerAccessGrants
    ListJobs ListMultiRegionAccessPoints ListStorageLensConfigurations ListStorageLensGroups
    PutAccessGrantsInstanceResourcePolicy PutAccessPointConfigurationForObjectLambda
    PutAccessPointPolicy PutAccessPointPolicyForObjectLambda PutAccessPointPublicAccessBlock
    PutAccountPublicAccessBlock PutJobTagging PutMultiRegionAccessPointPolicy
    PutStorageLensConfiguration PutStorageLensConfigurationTagging
    SubmitMultiRegionAccessPointRoutes UpdateAccessGrantsLocation UpdateJobPriority
    UpdateJobStatus UpdateStorageLensGroup
""")

# MinIO's own s3: actions (pkg/policy/action.go): listen, QoS, force delete, replication reset,
# PutObject fan-out, and its spellings HeadBucket and DeleteBucketCors.
MINIO_OBJECT_ACTIONS = _s3("PutObjectFanOut")
MINIO_BUCKET_ACTIONS = _s3("""
    DeleteBucketCors ForceDeleteBucket GetBucketQOS HeadBucket ListenBucketNotification
    PutBucketQOS ResetBucketReplicationState
""")
MINIO_OTHER_ACTIONS = _s3("ListenNotification")

OBJECT_ACTIONS = S3_OBJECT_ACTIONS | MINIO_OBJECT_ACTIONS
BUCKET_ACTIONS = S3_BUCKET_ACTIONS | MINIO_BUCKET_ACTIONS
S3_ACTIONS: frozenset[str] = (
    OBJECT_ACTIONS | BUCKET_ACTIONS | S3_OTHER_ACTIONS | MINIO_OTHER_ACTIONS)
"""Every s3: action a policy may name."""


def _prefixed(prefix: str, names: str) -> frozenset[str]:
    return frozenset(f"{prefix}:{name}" for name in names.split())


ADMIN_ACTIONS: frozenset[str] = _prefixed("admin", """
    Heal Decommission Rebalance StorageInfo Prometheus DataUsageInfo TopLocksInfo Profiling
    ServerTrace ConsoleLog KMSCreateKey KMSKeyStatus ServerInfo OBDInfo LicenseInfo
    BandwidthMonitor InspectData ServerUpdate ServiceRestart ServiceStop ServiceFreeze
    ServiceCordon ConfigUpdate CreateUser DeleteUser ListUsers EnableUser DisableUser GetUser
    SiteReplicationAdd SiteReplicationDisable SiteReplicationRemove SiteReplicationResync
    SiteReplicationInfo SiteReplicationOperation CreateServiceAccount UpdateServiceAccount
    RemoveServiceAccount ListServiceAccounts ListTemporaryAccounts AddUserToGroup
    RemoveUserFromGroup GetGroup ListGroups EnableGroup DisableGroup CreatePolicy DeletePolicy
    GetPolicy AttachUserOrGroupPolicy UpdatePolicyAssociation ListUserPolicies SetBucketQuota
    GetBucketQuota SetBucketTarget GetBucketTarget ReplicationDiff ImportBucketMetadata
    ExportBucketMetadata SetTier ListTier ExportIAM ImportIAM ListBatchJobs DescribeBatchJob
    StartBatchJob CancelBatchJob InventoryControl ClusterInfo PoolList PoolInfo NodeList
    NodeInfo SetInfo DriveList DriveInfo DeltaSharing DeltaSharingCreateShare
    DeltaSharingDeleteShare DeltaSharingListShares DeltaSharingGetShare DeltaSharingUpdateShare
    DeltaSharingCreateToken DeltaSharingDeleteToken DeltaSharingListTokens
""")
"""MinIO's admin API actions (`mc admin`), SupportedAdminActions of minio/pkg policy."""

KMS_ACTIONS: frozenset[str] = _prefixed("kms", """
    CreateKey DeleteKey ListKeys ImportKey DescribePolicy AssignPolicy DeletePolicy SetPolicy
    GetPolicy ListPolicies DescribeIdentity DescribeSelfIdentity DeleteIdentity ListIdentities
    KeyStatus Status API Metrics Version AuditLog ErrorLog Enable KeyRotate
""")

STS_ACTIONS: frozenset[str] = _prefixed("sts", """
    AssumeRole AssumeRoleWithWebIdentity AssumeRoleWithSAML AssumeRoleWithClientGrants
    AssumeRoleWithLDAPIdentity AssumeRoleWithCertificate AssumeRoleWithCustomToken
    GetSessionToken GetFederationToken GetCallerIdentity TagSession SetSourceIdentity
""")

KNOWN_ACTIONS: frozenset[str] = S3_ACTIONS | ADMIN_ACTIONS | KMS_ACTIONS | STS_ACTIONS
"""Every action a policy's Action or NotAction may name (or match with a wildcard)."""


def _operations(table: str) -> dict[str, str]:
    """"Operation action" lines -> {operation: "s3:action"}; "=" means the same name."""
    pairs = (line.split() for line in table.strip().splitlines())
    return {op: "s3:" + (op if action == "=" else action) for op, action in pairs}


OPERATION_ACTIONS: dict[str, str] = _operations("""
    AbortMultipartUpload                               =
    CompleteMultipartUpload                            PutObject
    CopyObject                                         PutObject
    CreateBucket                                       =
    CreateBucketMetadataConfiguration                  CreateBucketMetadataTableConfiguration
    CreateBucketMetadataTableConfiguration             =
    CreateMultipartUpload                              PutObject
    DeleteBucket                                       =
    DeleteBucketAnalyticsConfiguration                 PutAnalyticsConfiguration
    DeleteBucketCors                                   PutBucketCORS
    DeleteBucketEncryption                             PutEncryptionConfiguration
    DeleteBucketIntelligentTieringConfiguration        PutIntelligentTieringConfiguration
    DeleteBucketInventoryConfiguration                 PutInventoryConfiguration
    DeleteBucketLifecycle                              PutLifecycleConfiguration
    DeleteBucketMetadataConfiguration                  DeleteBucketMetadataTableConfiguration
    DeleteBucketMetadataTableConfiguration             =
    DeleteBucketMetricsConfiguration                   PutMetricsConfiguration
    DeleteBucketOwnershipControls                      PutBucketOwnershipControls
    DeleteBucketPolicy                                 =
    DeleteBucketReplication                            PutReplicationConfiguration
    DeleteBucketTagging                                PutBucketTagging
    DeleteBucketWebsite                                =
    DeleteObject                                       =
    DeleteObjectAnnotation                             =
    DeleteObjectTagging                                =
    DeleteObjects                                      DeleteObject
    DeletePublicAccessBlock                            PutBucketPublicAccessBlock
    GetBucketAbac                                      =
    GetBucketAccelerateConfiguration                   GetAccelerateConfiguration
    GetBucketAcl                                       =
    GetBucketAnalyticsConfiguration                    GetAnalyticsConfiguration
    GetBucketCors                                      GetBucketCORS
    GetBucketEncryption                                GetEncryptionConfiguration
    GetBucketIntelligentTieringConfiguration           GetIntelligentTieringConfiguration
    GetBucketInventoryConfiguration                    GetInventoryConfiguration
    GetBucketLifecycleConfiguration                    GetLifecycleConfiguration
    GetBucketLocation                                  =
    GetBucketLogging                                   =
    GetBucketMetadataConfiguration                     GetBucketMetadataTableConfiguration
    GetBucketMetadataTableConfiguration                =
    GetBucketMetricsConfiguration                      GetMetricsConfiguration
    GetBucketNotificationConfiguration                 GetBucketNotification
    GetBucketOwnershipControls                         =
    GetBucketPolicy                                    =
    GetBucketPolicyStatus                              =
    GetBucketReplication                               GetReplicationConfiguration
    GetBucketRequestPayment                            =
    GetBucketTagging                                   =
    GetBucketVersioning                                =
    GetBucketWebsite                                   =
    GetObject                                          =
    GetObjectAcl                                       =
    GetObjectAnnotation                                =
    GetObjectAttributes                                GetObject
    GetObjectLegalHold                                 =
    GetObjectLockConfiguration                         GetBucketObjectLockConfiguration
    GetObjectRetention                                 =
    GetObjectTagging                                   =
    GetObjectTorrent                                   =
    GetPublicAccessBlock                               GetBucketPublicAccessBlock
    HeadBucket                                         ListBucket
    HeadObject                                         GetObject
    ListBucketAnalyticsConfigurations                  GetAnalyticsConfiguration
    ListBucketIntelligentTieringConfigurations         GetIntelligentTieringConfiguration
    ListBucketInventoryConfigurations                  GetInventoryConfiguration
    ListBucketMetricsConfigurations                    GetMetricsConfiguration
    ListBuckets                                        ListAllMyBuckets
    ListMultipartUploads                               ListBucketMultipartUploads
    ListObjectAnnotations                              =
    ListObjectVersions                                 ListBucketVersions
    ListObjects                                        ListBucket
    ListObjectsV2                                      ListBucket
    ListParts                                          ListMultipartUploadParts
    ListenBucketNotification                           =
    PostObject                                         PutObject
    PutBucketAbac                                      =
    PutBucketAccelerateConfiguration                   PutAccelerateConfiguration
    PutBucketAcl                                       =
    PutBucketAnalyticsConfiguration                    PutAnalyticsConfiguration
    PutBucketCors                                      PutBucketCORS
    PutBucketEncryption                                PutEncryptionConfiguration
    PutBucketIntelligentTieringConfiguration           PutIntelligentTieringConfiguration
    PutBucketInventoryConfiguration                    PutInventoryConfiguration
    PutBucketLifecycleConfiguration                    PutLifecycleConfiguration
    PutBucketLogging                                   =
    PutBucketMetricsConfiguration                      PutMetricsConfiguration
    PutBucketNotificationConfiguration                 PutBucketNotification
    PutBucketOwnershipControls                         =
    PutBucketPolicy                                    =
    PutBucketReplication                               PutReplicationConfiguration
    PutBucketRequestPayment                            =
    PutBucketTagging                                   =
    PutBucketVersioning                                =
    PutBucketWebsite                                   =
    PutObject                                          =
    PutObjectAcl                                       =
    PutObjectAnnotation                                =
    PutObjectLegalHold                                 =
    PutObjectLockConfiguration                         PutBucketObjectLockConfiguration
    PutObjectRetention                                 =
    PutObjectTagging                                   =
    PutPublicAccessBlock                               PutBucketPublicAccessBlock
    RestoreObject                                      =
    SelectObjectContent                                GetObject
    UpdateBucketMetadataAnnotationTableConfiguration   =
    UpdateBucketMetadataInventoryTableConfiguration    =
    UpdateBucketMetadataJournalTableConfiguration      =
    UpdateObjectEncryption                             =
    UploadPart                                         PutObject
    UploadPartCopy                                     PutObject
""")
"""S3 operation -> the IAM action AWS checks on the request's bucket or object."""

ADDITIONAL_ACTIONS: dict[str, tuple[str, ...]] = {
    # On the source object (s3:GetObjectVersion when the source names a versionId).
    "CopyObject": ("s3:GetObject",),
    "UploadPartCopy": ("s3:GetObject",),
    # "you must have the s3:GetObject and s3:GetObjectAttributes permissions".
    "GetObjectAttributes": ("s3:GetObjectAttributes",),
}
"""Operations that need more than OPERATION_ACTIONS' action (with the same versionId rule)."""

NO_IAM_ACTION: dict[str, str] = {
    "HealthLive": "MinIO's unauthenticated health check",
    "HealthReady": "MinIO's unauthenticated health check",
    "HealthCluster": "MinIO's unauthenticated health check",
    "HealthClusterRead": "MinIO's unauthenticated health check",
    "MetricsCluster": "MinIO's Prometheus endpoint: admin:Prometheus, checked by its handler",
    "MetricsNode": "MinIO's Prometheus endpoint: admin:Prometheus, checked by its handler",
    "MetricsBucket": "MinIO's Prometheus endpoint: admin:Prometheus, checked by its handler",
    "AdminApi": "MinIO's admin API: each admin call is an admin: action of its own",
    "CairnApi": "Cairn's own API",
    "OptionsObject": "a CORS preflight, answered from the bucket's CORS configuration",
    "AssumeRole": "the STS API (POST /): an sts: action, checked by its handler",
    "CreateSession": "directory buckets only (s3express:CreateSession); refused as not implemented",
    "RenameObject": "directory buckets only (s3express:CreateSession); refused as not implemented",
}
"""Routed operations with no s3: action, and why."""

VERSION_ACTIONS: dict[str, str] = {
    f"s3:{base}": f"s3:{version}" for base, version in (
        ("GetObject", "GetObjectVersion"),
        ("DeleteObject", "DeleteObjectVersion"),
        ("GetObjectAcl", "GetObjectVersionAcl"),
        ("PutObjectAcl", "PutObjectVersionAcl"),
        ("GetObjectTagging", "GetObjectVersionTagging"),
        ("PutObjectTagging", "PutObjectVersionTagging"),
        ("DeleteObjectTagging", "DeleteObjectVersionTagging"),
        ("GetObjectAttributes", "GetObjectVersionAttributes"),
        ("GetObjectTorrent", "GetObjectVersionTorrent"),
        ("GetObjectAnnotation", "GetObjectVersionAnnotation"),
        ("PutObjectAnnotation", "PutObjectVersionAnnotation"),
        ("DeleteObjectAnnotation", "DeleteObjectVersionAnnotation"),
        ("ListObjectAnnotations", "ListObjectVersionAnnotations"),
    )
}
"""Base action -> the action AWS checks instead when the request names a versionId.  Retention
and legal hold keep their action (s3:GetObjectRetention ...) with a versionId."""


def action_for(operation: str, version_id: bool = False) -> str:
    """The action checked for `operation` (KeyError for NO_IAM_ACTION ones)."""
    action = OPERATION_ACTIONS[operation]
    return VERSION_ACTIONS.get(action, action) if version_id else action


def actions_for(operation: str, version_id: bool = False) -> tuple[str, ...]:
    """Every action `operation` needs: action_for's, then ADDITIONAL_ACTIONS'."""
    extra: Iterable[str] = ADDITIONAL_ACTIONS.get(operation, ())
    actions = (OPERATION_ACTIONS[operation], *extra)
    if version_id:
        actions = tuple(VERSION_ACTIONS.get(action, action) for action in actions)
    return actions
