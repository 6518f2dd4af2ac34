"""Handlers, one file per operation family with the XML documents it reads and writes beside
them; HANDLERS maps AWS operation names to them.  An operation without a handler is answered
NotImplemented."""

from __future__ import annotations

from ..context import Handler
from . import (
    bucket,
    copy,
    delete,
    get,
    listing,
    multipart,
    multipart_list,
    object_lock,
    put,
    service,
    tagging,
    versioning,
)

HANDLERS: dict[str, Handler] = {
    "HealthLive": service.handle_health_live,
    "HealthReady": service.handle_health_ready,
    "HealthCluster": service.handle_health_ready,
    "HealthClusterRead": service.handle_health_cluster_read,
    "ListBuckets": service.handle_list_buckets,
    "CreateBucket": bucket.handle_create_bucket,
    "HeadBucket": bucket.handle_head_bucket,
    "DeleteBucket": bucket.handle_delete_bucket,
    "GetBucketLocation": bucket.handle_get_bucket_location,
    "GetBucketVersioning": versioning.handle_get_bucket_versioning,
    "PutBucketVersioning": versioning.handle_put_bucket_versioning,
    "ListObjectVersions": versioning.handle_list_object_versions,
    "GetObjectTagging": tagging.handle_get_object_tagging,
    "PutObjectTagging": tagging.handle_put_object_tagging,
    "DeleteObjectTagging": tagging.handle_delete_object_tagging,
    "GetBucketTagging": tagging.handle_get_bucket_tagging,
    "PutBucketTagging": tagging.handle_put_bucket_tagging,
    "DeleteBucketTagging": tagging.handle_delete_bucket_tagging,
    "GetObjectLockConfiguration": object_lock.handle_get_object_lock_configuration,
    "PutObjectLockConfiguration": object_lock.handle_put_object_lock_configuration,
    "GetObjectRetention": object_lock.handle_get_object_retention,
    "PutObjectRetention": object_lock.handle_put_object_retention,
    "GetObjectLegalHold": object_lock.handle_get_object_legal_hold,
    "PutObjectLegalHold": object_lock.handle_put_object_legal_hold,
    "ListObjects": listing.handle_list_objects,
    "ListObjectsV2": listing.handle_list_objects_v2,
    "PutObject": put.handle_put_object,
    "GetObject": get.handle_get_object,
    "HeadObject": get.handle_head_object,
    "GetObjectAttributes": get.handle_get_object_attributes,
    "CopyObject": copy.handle_copy_object,
    "UploadPartCopy": copy.handle_upload_part_copy,
    "DeleteObject": delete.handle_delete_object,
    "DeleteObjects": delete.handle_delete_objects,
    "CreateMultipartUpload": multipart.handle_create_multipart_upload,
    "UploadPart": multipart.handle_upload_part,
    "CompleteMultipartUpload": multipart.handle_complete_multipart_upload,
    "AbortMultipartUpload": multipart.handle_abort_multipart_upload,
    "ListParts": multipart_list.handle_list_parts,
    "ListMultipartUploads": multipart_list.handle_list_multipart_uploads,
}
