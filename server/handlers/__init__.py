"""Handlers, one per S3 operation, grouped by family; HANDLERS maps operation names to them."""

from __future__ import annotations

from typing import Any

from . import bucket, listing, multipart, object, service

HANDLERS: dict[str, Any] = {
    "HealthLive": service.handle_health_live,
    "HealthReady": service.handle_health_ready,
    "HealthCluster": service.handle_health_ready,
    "ListBuckets": service.handle_list_buckets,
    "CreateBucket": bucket.handle_create_bucket,
    "HeadBucket": bucket.handle_head_bucket,
    "DeleteBucket": bucket.handle_delete_bucket,
    "GetBucketLocation": bucket.handle_get_bucket_location,
    "DeleteObjects": bucket.handle_delete_objects,
    "ListObjects": listing.handle_list_objects,
    "ListObjectsV2": listing.handle_list_objects_v2,
    "PutObject": object.handle_put_object,
    "GetObject": object.handle_get_object,
    "HeadObject": object.handle_head_object,
    "DeleteObject": object.handle_delete_object,
    "CopyObject": object.handle_copy_object,
    "GetObjectAttributes": object.handle_get_object_attributes,
    "CreateMultipartUpload": multipart.handle_create_multipart_upload,
    "UploadPart": multipart.handle_upload_part,
    "UploadPartCopy": multipart.handle_upload_part_copy,
    "CompleteMultipartUpload": multipart.handle_complete_multipart_upload,
    "AbortMultipartUpload": multipart.handle_abort_multipart_upload,
    "ListParts": multipart.handle_list_parts,
    "ListMultipartUploads": multipart.handle_list_multipart_uploads,
}
