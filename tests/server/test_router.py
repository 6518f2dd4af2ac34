"""Tests for cairn.server.router: route() as a table, like Garage's src/api/s3/router.rs tests.

Where the expected answers come from:
- the operation for each method + path + selector: botocore's S3 service model (the same
  JSON every AWS SDK is generated from); `test_every_aws_operation_is_routed` walks it;
- what S3 does with requests outside that model (two selectors, a bucket selector at a key's
  path, a selector on a method it lacks, POST on a bucket without a form, PATCH, unknown
  methods, a versionId on a bucket): measurements against s3.us-east-1.amazonaws.com recorded
  with the requests and answers in brekkylab/backlot (backlot/routers/s3.py, issues #103, #267,
  PR #241/#244), cross-checked with the AWS error bodies quoted in public bug reports
  (`<Method>POST</Method><ResourceType>OBJECT</ResourceType>`, `ResourceType>BUCKETPOLICY`);
- where nothing was measured: MinIO's cmd/api-router.go (PUT ?partNumber without uploadId is
  PutObject; its health and admin paths) and Garage.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.server.router import OPERATIONS, Route, RouteError, route

DOMAINS = ("s3.example.com",)


def q(query: str) -> dict[str, str]:
    """"a&b=c&a=x" -> {"a": "", "b": "c"}: decoded names to first values, as the server gives."""
    out: dict[str, str] = {}
    for part in query.split("&") if query else ():
        name, _, value = part.partition("=")
        out.setdefault(unquote(name), unquote(value))
    return out


def call(method: str, path: str, query: str = "", headers: Mapping[str, str] | None = None,
         host: str | None = None, domains: tuple[str, ...] = DOMAINS) -> Route:
    return route(method, path, q(query), dict(headers or {}), host, domains)


def fails(method: str, path: str, query: str = "", headers: Mapping[str, str] | None = None,
          host: str | None = None) -> RouteError:
    with pytest.raises(RouteError) as info:
        call(method, path, query, headers, host)
    return info.value


COPY = {"x-amz-copy-source": "/src/obj"}
FORM = {"content-type": "multipart/form-data; boundary=xyz"}

# (method, path below the bucket, query, headers, operation). Each row runs path-style at
# "/bkt<path>" and virtual-hosted at host "bkt.s3.example.com"; a row whose path is "" or "/"
# is a bucket operation (key None), any other an object operation on key path[1:] unless the
# operation is a bucket's (key None: S3 ignores the key for it).
ROWS: list[tuple[str, str, str, dict[str, str], str]] = [
    # the bucket itself
    ("PUT", "", "", {}, "CreateBucket"),
    ("HEAD", "", "", {}, "HeadBucket"),
    ("DELETE", "", "", {}, "DeleteBucket"),
    ("GET", "", "", {}, "ListObjects"),
    ("GET", "/", "", {}, "ListObjects"),
    ("GET", "", "prefix=a/&delimiter=/&marker=m&max-keys=10", {}, "ListObjects"),
    ("GET", "", "list-type=2", {}, "ListObjectsV2"),
    ("GET", "", "list-type=2&prefix=photos/&delimiter=/&continuation-token=x&fetch-owner=true",
     {}, "ListObjectsV2"),
    ("GET", "", "list-type=1", {}, "ListObjects"),  # only "2" selects V2 (measured)
    ("GET", "", "list-type=2&x-id=ListObjectsV2", {}, "ListObjectsV2"),  # x-id is no selector
    ("GET", "", "Versioning", {}, "ListObjects"),  # selectors are case-sensitive (measured)
    ("POST", "", "", FORM, "PostObject"),
    ("POST", "", "", {"content-type": "Multipart/Form-Data"}, "PostObject"),
    ("POST", "", "delete", {}, "DeleteObjects"),
    ("GET", "", "location", {}, "GetBucketLocation"),
    ("GET", "", "location=1", {}, "GetBucketLocation"),  # the value is ignored (measured)
    ("GET", "", "versions", {}, "ListObjectVersions"),
    ("GET", "", "versions&key-marker=k&version-id-marker=v&max-keys=3", {}, "ListObjectVersions"),
    ("GET", "", "uploads", {}, "ListMultipartUploads"),
    ("GET", "", "uploads&max-uploads=3&key-marker=a&upload-id-marker=b", {},
     "ListMultipartUploads"),
    ("GET", "", "session", {}, "CreateSession"),
    # bucket configuration
    ("GET", "", "abac", {}, "GetBucketAbac"),
    ("PUT", "", "abac", {}, "PutBucketAbac"),
    ("GET", "", "accelerate", {}, "GetBucketAccelerateConfiguration"),
    ("PUT", "", "accelerate", {}, "PutBucketAccelerateConfiguration"),
    ("GET", "", "acl", {}, "GetBucketAcl"),
    ("PUT", "", "acl", {}, "PutBucketAcl"),
    ("GET", "", "analytics", {}, "ListBucketAnalyticsConfigurations"),
    ("GET", "", "analytics&continuation-token=t", {}, "ListBucketAnalyticsConfigurations"),
    ("GET", "", "analytics&id=", {}, "ListBucketAnalyticsConfigurations"),  # empty id is none
    ("GET", "", "analytics&id=r1", {}, "GetBucketAnalyticsConfiguration"),
    ("PUT", "", "analytics&id=r1", {}, "PutBucketAnalyticsConfiguration"),
    ("DELETE", "", "analytics&id=r1", {}, "DeleteBucketAnalyticsConfiguration"),
    ("GET", "", "cors", {}, "GetBucketCors"),
    ("PUT", "", "cors", {}, "PutBucketCors"),
    ("DELETE", "", "cors", {}, "DeleteBucketCors"),
    ("GET", "", "encryption", {}, "GetBucketEncryption"),
    ("PUT", "", "encryption", {}, "PutBucketEncryption"),
    ("DELETE", "", "encryption", {}, "DeleteBucketEncryption"),
    ("GET", "", "intelligent-tiering", {}, "ListBucketIntelligentTieringConfigurations"),
    ("GET", "", "intelligent-tiering&id=t", {}, "GetBucketIntelligentTieringConfiguration"),
    ("PUT", "", "intelligent-tiering&id=t", {}, "PutBucketIntelligentTieringConfiguration"),
    ("DELETE", "", "intelligent-tiering&id=t", {},
     "DeleteBucketIntelligentTieringConfiguration"),
    ("GET", "", "inventory", {}, "ListBucketInventoryConfigurations"),
    ("GET", "", "inventory&id=i", {}, "GetBucketInventoryConfiguration"),
    ("PUT", "", "inventory&id=i", {}, "PutBucketInventoryConfiguration"),
    ("DELETE", "", "inventory&id=i", {}, "DeleteBucketInventoryConfiguration"),
    ("GET", "", "lifecycle", {}, "GetBucketLifecycleConfiguration"),
    ("PUT", "", "lifecycle", {}, "PutBucketLifecycleConfiguration"),
    ("DELETE", "", "lifecycle", {}, "DeleteBucketLifecycle"),
    ("GET", "", "logging", {}, "GetBucketLogging"),
    ("PUT", "", "logging", {}, "PutBucketLogging"),
    ("PUT", "", "metadataAnnotationTable", {}, "UpdateBucketMetadataAnnotationTableConfiguration"),
    ("GET", "", "metadataConfiguration", {}, "GetBucketMetadataConfiguration"),
    ("POST", "", "metadataConfiguration", {}, "CreateBucketMetadataConfiguration"),
    ("DELETE", "", "metadataConfiguration", {}, "DeleteBucketMetadataConfiguration"),
    ("PUT", "", "metadataInventoryTable", {}, "UpdateBucketMetadataInventoryTableConfiguration"),
    ("PUT", "", "metadataJournalTable", {}, "UpdateBucketMetadataJournalTableConfiguration"),
    ("GET", "", "metadataTable", {}, "GetBucketMetadataTableConfiguration"),
    ("POST", "", "metadataTable", {}, "CreateBucketMetadataTableConfiguration"),
    ("DELETE", "", "metadataTable", {}, "DeleteBucketMetadataTableConfiguration"),
    ("GET", "", "metrics", {}, "ListBucketMetricsConfigurations"),
    ("GET", "", "metrics&id=m", {}, "GetBucketMetricsConfiguration"),
    ("PUT", "", "metrics&id=m", {}, "PutBucketMetricsConfiguration"),
    ("DELETE", "", "metrics&id=m", {}, "DeleteBucketMetricsConfiguration"),
    ("GET", "", "notification", {}, "GetBucketNotificationConfiguration"),
    ("PUT", "", "notification", {}, "PutBucketNotificationConfiguration"),
    ("GET", "", "object-lock", {}, "GetObjectLockConfiguration"),
    ("PUT", "", "object-lock", {}, "PutObjectLockConfiguration"),
    ("GET", "", "ownershipControls", {}, "GetBucketOwnershipControls"),
    ("PUT", "", "ownershipControls", {}, "PutBucketOwnershipControls"),
    ("DELETE", "", "ownershipControls", {}, "DeleteBucketOwnershipControls"),
    ("GET", "", "policy", {}, "GetBucketPolicy"),
    ("PUT", "", "policy", {}, "PutBucketPolicy"),
    ("DELETE", "", "policy", {}, "DeleteBucketPolicy"),
    ("GET", "", "policyStatus", {}, "GetBucketPolicyStatus"),
    ("GET", "", "publicAccessBlock", {}, "GetPublicAccessBlock"),
    ("PUT", "", "publicAccessBlock", {}, "PutPublicAccessBlock"),
    ("DELETE", "", "publicAccessBlock", {}, "DeletePublicAccessBlock"),
    ("GET", "", "replication", {}, "GetBucketReplication"),
    ("PUT", "", "replication", {}, "PutBucketReplication"),
    ("DELETE", "", "replication", {}, "DeleteBucketReplication"),
    ("GET", "", "requestPayment", {}, "GetBucketRequestPayment"),
    ("PUT", "", "requestPayment", {}, "PutBucketRequestPayment"),
    ("GET", "", "tagging", {}, "GetBucketTagging"),
    ("PUT", "", "tagging", {}, "PutBucketTagging"),
    ("DELETE", "", "tagging", {}, "DeleteBucketTagging"),
    ("GET", "", "versioning", {}, "GetBucketVersioning"),
    ("PUT", "", "versioning", {}, "PutBucketVersioning"),
    ("GET", "", "website", {}, "GetBucketWebsite"),
    ("GET", "", "website=", {}, "GetBucketWebsite"),
    ("PUT", "", "website", {}, "PutBucketWebsite"),
    ("DELETE", "", "website", {}, "DeleteBucketWebsite"),
    # objects
    ("PUT", "/k", "", {}, "PutObject"),
    ("PUT", "/k", "x-id=PutObject", {}, "PutObject"),
    ("PUT", "/k", "partNumber=3", {}, "PutObject"),  # no uploadId: the part number is ignored
    ("PUT", "/k", "", COPY, "CopyObject"),
    ("PUT", "/k", "partNumber=1&uploadId=u", {}, "UploadPart"),
    ("PUT", "/k", "uploadId=u&partNumber=1", COPY, "UploadPartCopy"),
    ("GET", "/k", "", {}, "GetObject"),
    ("GET", "/k", "versionId=v", {}, "GetObject"),
    ("GET", "/k", "partNumber=2", {}, "GetObject"),
    ("GET", "/k", "response-content-type=text/plain&response-expires=x&versionId=v", {},
     "GetObject"),
    ("GET", "/k", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc", {}, "GetObject"),
    ("GET", "/k", "metrics", {}, "GetObject"),  # not a selector at a key (measured)
    ("GET", "/k", "publicAccessBlock", {}, "GetObject"),
    ("GET", "/k", "select-type=2", {}, "GetObject"),
    ("HEAD", "/k", "", {}, "HeadObject"),
    ("HEAD", "/k", "partNumber=3&versionId=v", {}, "HeadObject"),
    ("HEAD", "/k", "object-lock", {}, "HeadObject"),
    ("DELETE", "/k", "", {}, "DeleteObject"),
    ("DELETE", "/k", "versionId=v", {}, "DeleteObject"),
    ("DELETE", "/k", "uploadId=u", {}, "AbortMultipartUpload"),
    ("POST", "/k", "uploads", {}, "CreateMultipartUpload"),
    ("POST", "/k", "uploadId=u", {}, "CompleteMultipartUpload"),
    ("GET", "/k", "uploadId=u", {}, "ListParts"),
    ("GET", "/k", "uploadId=u&max-parts=2&part-number-marker=1", {}, "ListParts"),
    ("GET", "/k", "attributes", {"x-amz-object-attributes": "ETag"}, "GetObjectAttributes"),
    ("GET", "/k", "attributes&versionId=v", {}, "GetObjectAttributes"),
    ("POST", "/k", "select&select-type=2", {}, "SelectObjectContent"),
    ("POST", "/k", "restore", {}, "RestoreObject"),
    ("POST", "/k", "restore&versionId=v", {}, "RestoreObject"),
    ("GET", "/k", "tagging", {}, "GetObjectTagging"),
    ("GET", "/k", "tagging&versionId=v", {}, "GetObjectTagging"),
    ("PUT", "/k", "tagging", {}, "PutObjectTagging"),
    ("PUT", "/k", "tagging", COPY, "PutObjectTagging"),  # the selector wins over the header
    ("DELETE", "/k", "tagging", {}, "DeleteObjectTagging"),
    ("GET", "/k", "acl", {}, "GetObjectAcl"),
    ("PUT", "/k", "acl&versionId=v", {}, "PutObjectAcl"),
    ("GET", "/k", "retention", {}, "GetObjectRetention"),
    ("PUT", "/k", "retention", {}, "PutObjectRetention"),
    ("GET", "/k", "legal-hold", {}, "GetObjectLegalHold"),
    ("PUT", "/k", "legal-hold", {}, "PutObjectLegalHold"),
    ("GET", "/k", "torrent", {}, "GetObjectTorrent"),
    ("PUT", "/k", "encryption", {}, "UpdateObjectEncryption"),
    ("PUT", "/k", "renameObject", {"x-amz-rename-source": "/bkt/old"}, "RenameObject"),
    ("GET", "/k", "annotation", {}, "ListObjectAnnotations"),
    ("GET", "/k", "annotation&annotationName=n", {}, "GetObjectAnnotation"),
    ("PUT", "/k", "annotation&annotationName=n", {}, "PutObjectAnnotation"),
    ("DELETE", "/k", "annotation&annotationName=n", {}, "DeleteObjectAnnotation"),
    # a bucket's selectors at a key's path are the bucket's operation, the key ignored (measured)
    ("GET", "/k", "location", {}, "GetBucketLocation"),
    ("GET", "/k", "versioning", {}, "GetBucketVersioning"),
    ("PUT", "/k", "policy", {}, "PutBucketPolicy"),
    ("DELETE", "/k", "cors", {}, "DeleteBucketCors"),
    ("GET", "/k", "inventory", {}, "ListBucketInventoryConfigurations"),
    ("GET", "/k", "inventory&id=i", {}, "GetBucketInventoryConfiguration"),
    ("POST", "/k", "delete", {}, "DeleteObjects"),
    # keys are kept verbatim
    ("PUT", "/a/b/c", "", {}, "PutObject"),
    ("GET", "/dir/", "", {}, "GetObject"),
    ("GET", "//", "", {}, "GetObject"),
    ("GET", "//lead", "", {}, "GetObject"),
    ("PUT", "/a//b", "", {}, "PutObject"),
    ("GET", "/../etc/passwd", "", {}, "GetObject"),
    ("GET", "/a/./b/..", "", {}, "GetObject"),
    ("PUT", "/with space/and+plus", "", {}, "PutObject"),
    ("GET", "/ünïcødé/日本語/🙂", "", {}, "GetObject"),
    ("GET", "/?&=#%", "", {}, "GetObject"),
    ("OPTIONS", "/k", "", {"origin": "https://x"}, "OptionsObject"),
    ("OPTIONS", "", "", {}, "OptionsObject"),
]


def _expected(path: str, operation: str) -> str | None:
    """The key a ROWS row routes to: None for the bucket's own operations."""
    if path in ("", "/") or operation == "DeleteObjects" or operation.startswith(
            ("GetBucket", "PutBucket", "DeleteBucket", "ListBucket")):
        return None
    return path[1:]


@pytest.mark.parametrize(("method", "path", "query", "headers", "operation"), ROWS)
def test_path_style(method: str, path: str, query: str, headers: dict[str, str],
                    operation: str) -> None:
    assert call(method, "/bkt" + path, query, headers) == Route(
        operation, "bkt", _expected(path, operation))


@pytest.mark.parametrize(("method", "path", "query", "headers", "operation"), ROWS)
def test_virtual_hosted(method: str, path: str, query: str, headers: dict[str, str],
                        operation: str) -> None:
    assert call(method, path or "/", query, headers, host="bkt.s3.example.com") == Route(
        operation, "bkt", _expected(path, operation))


def test_sts_at_the_service_root() -> None:
    """MinIO serves STS at the S3 endpoint: a POST to / with a form body, or Action in its query."""
    form = {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}
    assert call("POST", "/", "", form) == Route("AssumeRole", None, None)
    assert call("POST", "/", "Action=AssumeRole&Version=2011-06-15") == Route("AssumeRole", None, None)
    assert fails("POST", "/b", "", form).code == "PreconditionFailed"  # a bucket's POST: a form upload


@pytest.mark.parametrize(("method", "path", "host", "expected"), [
    ("GET", "/", None, Route("ListBuckets", None, None)),
    ("GET", "//", None, Route("ListBuckets", None, None)),  # MinIO takes "//" for the root
    ("GET", "/", "s3.example.com", Route("ListBuckets", None, None)),
    ("GET", "/", "s3.example.com:9000", Route("ListBuckets", None, None)),
    ("OPTIONS", "/", None, Route("OptionsObject", None, None)),
    # path style, with and without a trailing slash
    ("GET", "/b", None, Route("ListObjects", "b", None)),
    ("GET", "/b/", None, Route("ListObjects", "b", None)),
    ("GET", "/b//", None, Route("GetObject", "b", "/")),
    ("GET", "//b/k", None, Route("GetObject", "b", "k")),
    ("GET", "/b/k/", None, Route("GetObject", "b", "k/")),
    # a host equal to a domain, or under no domain, or an address: path style
    ("GET", "/b/k", "s3.example.com", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "S3.Example.COM:443", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "other.example.org", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "bkt.example.com", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "xs3.example.com", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "127.0.0.1:9000", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "[::1]:9000", Route("GetObject", "b", "k")),
    ("GET", "/b/k", ".s3.example.com", Route("GetObject", "b", "k")),
    ("GET", "/b/k", "", Route("GetObject", "b", "k")),
    # virtual-hosted style: with a port, upper case, a trailing dot, dotted bucket names
    ("GET", "/k", "bkt.s3.example.com", Route("GetObject", "bkt", "k")),
    ("GET", "/k", "bkt.s3.example.com:9000", Route("GetObject", "bkt", "k")),
    ("GET", "/k", "BKT.S3.EXAMPLE.COM:9000", Route("GetObject", "bkt", "k")),
    ("GET", "/k", "bkt.s3.example.com.", Route("GetObject", "bkt", "k")),
    ("GET", "/k", "my.dotted.bkt.s3.example.com", Route("GetObject", "my.dotted.bkt", "k")),
    ("GET", "/", "bkt.s3.example.com", Route("ListObjects", "bkt", None)),
    ("GET", "", "bkt.s3.example.com", Route("ListObjects", "bkt", None)),
    ("GET", "//", "bkt.s3.example.com", Route("GetObject", "bkt", "/")),
    ("GET", "/a/b/", "bkt.s3.example.com", Route("GetObject", "bkt", "a/b/")),
    # virtual-hosted: the first path segment is part of the key, never a bucket
    ("GET", "/other/k", "bkt.s3.example.com", Route("GetObject", "bkt", "other/k")),
    ("PUT", "/minio/x", "bkt.s3.example.com", Route("PutObject", "bkt", "minio/x")),
])
def test_addressing(method: str, path: str, host: str | None, expected: Route) -> None:
    assert call(method, path, host=host) == expected


def test_host_header_is_used_when_no_host_is_given() -> None:
    got = route("GET", "/k", {}, {"host": "bkt.s3.example.com:80"}, None, DOMAINS)
    assert got == Route("GetObject", "bkt", "k")
    assert route("GET", "/k", {}, {"host": "bkt.s3.example.com"}, "s3.example.com",
                 DOMAINS) == Route("ListObjects", "k", None)


def test_minio_listen_bucket_notification() -> None:
    """`mc watch`: GET ?events=... (repeated) at a bucket is MinIO's ListenBucketNotification, not a
    listing; at a key it means nothing (GetObject), as in MinIO."""
    query = {"events": "s3:ObjectCreated:*", "prefix": "", "suffix": ""}
    assert route("GET", "/bkt", query, {}) == Route("ListenBucketNotification", "bkt", None)
    assert route("GET", "/bkt/k", query, {}) == Route("GetObject", "bkt", "k")
    with pytest.raises(RouteError) as refused:
        route("PUT", "/bkt", query, {})
    assert (refused.value.code, refused.value.status) == ("MethodNotAllowed", 405)


def test_no_domains_means_path_style() -> None:
    assert route("GET", "/b/k", {}, {}, "bkt.s3.example.com") == Route("GetObject", "b", "k")


def test_longest_domain_wins() -> None:
    domains = ("example.com", "s3.example.com", "S3.Example.com:9000")
    assert route("GET", "/k", {}, {}, "b.s3.example.com", domains) == Route("GetObject", "b", "k")
    assert route("GET", "/k", {}, {}, "b.x.example.com", domains) == Route(
        "GetObject", "b.x", "k")


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("GET", "/minio/health/live", Route("HealthLive", None, None)),
    ("HEAD", "/minio/health/live", Route("HealthLive", None, None)),
    ("GET", "/minio/health/ready", Route("HealthReady", None, None)),
    ("HEAD", "/minio/health/ready", Route("HealthReady", None, None)),
    ("GET", "/minio/health/cluster", Route("HealthCluster", None, None)),
    ("GET", "/minio/health/cluster/read", Route("HealthClusterRead", None, None)),
    ("GET", "/minio/v2/metrics/cluster", Route("MetricsCluster", None, None)),
    ("GET", "/minio/v2/metrics/node", Route("MetricsNode", None, None)),
    ("HEAD", "/minio/v2/metrics/bucket", Route("MetricsBucket", None, None)),
    ("GET", "/minio/v2/metrics/clusters", Route("GetObject", "minio", "v2/metrics/clusters")),
    ("GET", "/minio/v2/metrics/", Route("GetObject", "minio", "v2/metrics/")),
    ("GET", "/minio/admin/v3/info", Route("AdminApi", None, "v3/info")),
    ("POST", "/minio/admin/v3/add-user", Route("AdminApi", None, "v3/add-user")),
    ("GET", "/minio/admin/", Route("AdminApi", None, "")),
    ("PROPFIND", "/minio/admin/x", Route("AdminApi", None, "x")),
    ("GET", "/cairn/v1/status", Route("CairnApi", None, "v1/status")),
    # a browser's preflights of the admin API and the metrics (the web console): no bucket named
    ("OPTIONS", "/minio/admin/v3/list-users", Route("OptionsObject", None, None)),
    ("OPTIONS", "/minio/v2/metrics/cluster", Route("OptionsObject", None, None)),
    ("OPTIONS", "/minio/health/live", Route("OptionsObject", None, None)),
    ("OPTIONS", "/minio/adminx", Route("OptionsObject", "minio", "adminx")),
    ("PUT", "/cairn/", Route("CairnApi", None, "")),
    # only the exact prefixes: "minio" and "cairn" are otherwise ordinary buckets
    ("PUT", "/minio", Route("CreateBucket", "minio", None)),
    ("GET", "/minio/", Route("ListObjects", "minio", None)),
    ("GET", "/minio/health", Route("GetObject", "minio", "health")),
    ("GET", "/minio/health/live/", Route("GetObject", "minio", "health/live/")),
    ("GET", "/minio/health/lives", Route("GetObject", "minio", "health/lives")),
    ("GET", "/minio/admin", Route("GetObject", "minio", "admin")),
    ("PUT", "/minio/adminx/y", Route("PutObject", "minio", "adminx/y")),
    ("GET", "/minio/Health/live", Route("GetObject", "minio", "Health/live")),
    ("DELETE", "/cairn", Route("DeleteBucket", "cairn", None)),
    ("GET", "/cairnx/k", Route("GetObject", "cairnx", "k")),
    # the special paths win whatever the host says
    ("GET", "/minio/health/live", Route("HealthLive", None, None)),
])
def test_special_paths(method: str, path: str, expected: Route) -> None:
    assert call(method, path) == expected
    if expected.operation.startswith(("Health", "AdminApi", "CairnApi")):
        assert call(method, path, host="bkt.s3.example.com") == expected


# (method, path, query, headers, code, status, extra members, Allow)
ERRORS: list[tuple[str, str, str, dict[str, str], str, int, dict[str, str], str | None]] = [
    # methods: PATCH is parsed and refused per resource, other verbs do not parse (measured)
    ("PATCH", "/b/k", "", {}, "MethodNotAllowed", 405,
     {"Method": "PATCH", "ResourceType": "OBJECT"}, "DELETE, GET, HEAD, PUT"),
    ("PATCH", "/b", "", {}, "MethodNotAllowed", 405,
     {"Method": "PATCH", "ResourceType": "BUCKET"}, "DELETE, GET, HEAD, POST, PUT"),
    ("PATCH", "/", "", {}, "MethodNotAllowed", 405,
     {"Method": "PATCH", "ResourceType": "SERVICE"}, "GET"),
    ("PATCH", "/b", "acl", {}, "MethodNotAllowed", 405,
     {"Method": "PATCH", "ResourceType": "ACL"}, "GET, PUT"),
    ("TRACE", "/b/k", "", {}, "BadRequest", 400, {}, None),
    ("FOO", "/", "", {}, "BadRequest", 400, {}, None),
    ("get", "/b", "", {}, "BadRequest", 400, {}, None),
    # the service root takes GET alone (measured)
    ("PUT", "/", "", {}, "MethodNotAllowed", 405,
     {"Method": "PUT", "ResourceType": "SERVICE"}, "GET"),
    ("POST", "/", "", {}, "MethodNotAllowed", 405,
     {"Method": "POST", "ResourceType": "SERVICE"}, "GET"),
    ("POST", "/", "", {"content-type": "multipart/form-data; boundary=x"}, "MethodNotAllowed", 405,
     {"Method": "POST", "ResourceType": "SERVICE"}, "GET"),
    ("DELETE", "/", "", {}, "MethodNotAllowed", 405,
     {"Method": "DELETE", "ResourceType": "SERVICE"}, "GET"),
    ("HEAD", "/", "", {}, "MethodNotAllowed", 405,
     {"Method": "HEAD", "ResourceType": "SERVICE"}, "GET"),
    # POST on an object without a selector (AWS: <Method>POST</Method><ResourceType>OBJECT)
    ("POST", "/b/k", "", {}, "MethodNotAllowed", 405,
     {"Method": "POST", "ResourceType": "OBJECT"}, "DELETE, GET, HEAD, PUT"),
    ("POST", "/b/k", "", FORM, "MethodNotAllowed", 405,
     {"Method": "POST", "ResourceType": "OBJECT"}, "DELETE, GET, HEAD, PUT"),
    # POST on a bucket that is not a form upload (measured)
    ("POST", "/b", "", {}, "PreconditionFailed", 412,
     {"Condition": "Bucket POST must be of the enclosure-type multipart/form-data"}, None),
    ("POST", "/b", "", {"content-type": "application/xml"}, "PreconditionFailed", 412, {}, None),
    ("POST", "/b", "versionId=v", {}, "PreconditionFailed", 412, {}, None),
    # a selector on a method it has no operation for: 405 naming its type (measured)
    ("POST", "/b", "policy", {}, "MethodNotAllowed", 405,
     {"Method": "POST", "ResourceType": "BUCKETPOLICY"}, "DELETE, GET, PUT"),
    ("DELETE", "/b", "versioning", {}, "MethodNotAllowed", 405,
     {"Method": "DELETE", "ResourceType": "VERSIONING"}, "GET, PUT"),
    ("PUT", "/b", "location", {}, "MethodNotAllowed", 405,
     {"ResourceType": "LOCATION"}, "GET"),
    ("GET", "/b", "delete", {}, "MethodNotAllowed", 405,
     {"Method": "GET", "ResourceType": "MULTI_OBJECT_DELETE"}, "POST"),
    ("GET", "/b", "torrent", {}, "MethodNotAllowed", 405, {"ResourceType": "TORRENT"}, None),
    ("GET", "/b", "metadataJournalTable", {}, "MethodNotAllowed", 405,
     {"ResourceType": "BUCKET_METADATA_JOURNAL_TABLE_CONFIGURATION"}, "PUT"),
    ("GET", "/b/k", "restore", {}, "MethodNotAllowed", 405, {"ResourceType": "RESTORE"}, "POST"),
    ("GET", "/b/k", "select&select-type=2", {}, "MethodNotAllowed", 405,
     {"ResourceType": "SELECT"}, "POST"),
    ("GET", "/b/k", "encryption", {}, "MethodNotAllowed", 405,
     {"ResourceType": "OBJECT_ENCRYPTION"}, "PUT"),
    ("DELETE", "/b/k", "acl", {}, "MethodNotAllowed", 405, {"ResourceType": "ACL"}, "GET, PUT"),
    ("PUT", "/b/k", "uploads", {}, "MethodNotAllowed", 405, {"ResourceType": "UPLOADS"},
     "GET, POST"),
    ("PUT", "/b/k", "uploadId=u", {}, "MethodNotAllowed", 405, {"ResourceType": "UPLOAD"},
     "DELETE, GET, POST"),
    ("POST", "/b/k", "tagging", {}, "MethodNotAllowed", 405,
     {"ResourceType": "OBJECT_TAGGING"}, "DELETE, GET, PUT"),
    ("PUT", "/b/k", "location", {}, "MethodNotAllowed", 405, {"ResourceType": "LOCATION"},
     "GET"),
    # uploadId with partNumber is UploadPart, a PUT alone (measured)
    ("GET", "/b/k", "uploadId=u&partNumber=1", {}, "MethodNotAllowed", 405,
     {"Method": "GET", "ResourceType": "PART"}, "PUT"),
    ("DELETE", "/b/k", "partNumber=1&uploadId=u", {}, "MethodNotAllowed", 405,
     {"ResourceType": "PART"}, "PUT"),
    ("POST", "/b/k", "partNumber=1&uploadId=u", {}, "MethodNotAllowed", 405,
     {"ResourceType": "PART"}, "PUT"),
    # HEAD has no selector form: 405 with the selector's Allow (measured)
    ("HEAD", "/b", "location", {}, "MethodNotAllowed", 405, {"ResourceType": "LOCATION"}, "GET"),
    ("HEAD", "/b", "uploads", {}, "MethodNotAllowed", 405, {}, "GET, POST"),
    ("HEAD", "/b", "tagging", {}, "MethodNotAllowed", 405, {}, "DELETE, GET, PUT"),
    ("HEAD", "/b", "versioning", {}, "MethodNotAllowed", 405, {}, "GET, PUT"),
    ("HEAD", "/b/k", "acl", {}, "MethodNotAllowed", 405, {"ResourceType": "ACL"}, "GET, PUT"),
    ("HEAD", "/b/k", "uploadId=u", {}, "MethodNotAllowed", 405, {"ResourceType": "UPLOAD"},
     "DELETE, GET, POST"),
    ("HEAD", "/b/k", "location", {}, "MethodNotAllowed", 405, {}, "GET"),
    # two selectors: InvalidArgument naming them sorted, on every method (measured)
    ("GET", "/b", "versioning&acl", {}, "InvalidArgument", 400,
     {"ArgumentName": "ResourceType", "ArgumentValue": "acl"}, None),
    ("HEAD", "/b", "acl&versioning", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b", "uploads&versioning", {}, "InvalidArgument", 400,
     {"ArgumentValue": "uploads"}, None),
    ("GET", "/b", "acl&delete", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b", "restore&location", {}, "InvalidArgument", 400, {}, None),
    ("PUT", "/b", "tagging&policy", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b", "versions&list-type=2&uploads", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b", "acl&partNumber=1", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b/k", "uploads&acl", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b/k", "partNumber=1&tagging", {}, "InvalidArgument", 400,
     {"ArgumentValue": "partNumber"}, None),
    ("POST", "/b/k", "uploads&uploadId=u", {}, "InvalidArgument", 400, {}, None),
    ("PUT", "/b/k", "tagging&acl", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b/k", "tagging&location", {}, "InvalidArgument", 400, {}, None),
    # a part number names a part of an object, which a bucket has none of (measured)
    ("GET", "/b", "partNumber=1", {}, "InvalidRequest", 400, {}, None),
    ("PUT", "/b", "partNumber=1", {}, "InvalidRequest", 400, {}, None),
    ("PATCH", "/b", "partNumber=x", {}, "InvalidRequest", 400, {}, None),
    ("GET", "/b", "partNumber=1&uploadId=u", {}, "MethodNotAllowed", 405,
     {"ResourceType": "PART"}, "PUT"),
    ("PUT", "/b", "partNumber=1&uploadId=u", {}, "InvalidRequest", 400, {}, None),
    # an upload id at a bucket's path names no key (measured); uploads and restore likewise
    ("GET", "/b", "uploadId=u", {}, "InvalidRequest", 400, {}, None),
    ("POST", "/b", "uploadId=u", {}, "InvalidRequest", 400, {}, None),
    ("DELETE", "/b", "uploadId=u", {}, "InvalidRequest", 400, {}, None),
    ("PUT", "/b", "uploadId=u", {}, "MethodNotAllowed", 405, {"ResourceType": "UPLOAD"},
     "DELETE, GET, POST"),
    ("POST", "/b", "uploads", {}, "InvalidRequest", 400, {}, None),
    ("POST", "/b", "restore", {}, "UserKeyMustBeSpecified", 400, {}, None),
    ("GET", "/b/k", "uploads", {}, "InvalidRequest", 400, {}, None),
    # bucket selectors a key refuses (measured)
    ("GET", "/b/k", "logging", {}, "NoLoggingStatusForKey", 400, {}, None),
    ("GET", "/b/k", "versions", {}, "InvalidRequest", 400, {}, None),
    # a versionId where the operation takes none (measured)
    ("GET", "/b", "versionId=v", {}, "InvalidArgument", 400,
     {"ArgumentName": "versionId", "ArgumentValue": "v"}, None),
    ("GET", "/b", "list-type=2&versionId=", {}, "InvalidArgument", 400, {}, None),
    ("DELETE", "/b", "versionId=null", {}, "InvalidArgument", 400, {}, None),
    ("POST", "/b", "delete&versionId=x", {}, "InvalidArgument", 400, {}, None),
    ("PUT", "/b", "versioning&versionId=x", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b", "acl&versionId=x", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b/k", "uploadId=u&versionId=x", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b/k", "torrent&versionId=x", {}, "InvalidArgument", 400, {}, None),
    ("GET", "/b/k", "versioning&versionId=x", {}, "InvalidArgument", 400, {}, None),
    ("HEAD", "/b/k", "location&versionId=x", {}, "InvalidArgument", 400, {}, None),
    # ?website takes no value (measured)
    ("GET", "/b", "website=1", {}, "InvalidArgument", 400,
     {"ArgumentName": "website", "ArgumentValue": "1"}, None),
    ("PUT", "/b/k", "website=x", {}, "InvalidArgument", 400, {}, None),
    # the health probes are GET and HEAD
    ("PUT", "/minio/health/live", "", {}, "MethodNotAllowed", 405, {}, "GET, HEAD"),
    ("POST", "/minio/health/cluster", "", {}, "MethodNotAllowed", 405, {}, "GET, HEAD"),
    # so are the Prometheus endpoints
    ("PUT", "/minio/v2/metrics/cluster", "", {}, "MethodNotAllowed", 405, {}, "GET, HEAD"),
]


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "code", "status", "extra", "allow"), ERRORS)
def test_errors(method: str, path: str, query: str, headers: dict[str, str], code: str,
                status: int, extra: dict[str, str], allow: str | None) -> None:
    error = fails(method, path, query, headers)
    assert (error.code, error.status) == (code, status)
    assert error.message
    assert error.extra.items() >= extra.items()
    assert error.headers.get("Allow") == allow
    if code == "MethodNotAllowed":
        assert error.message == "The specified method is not allowed against this resource."
        assert error.extra.get("Method") == method


def test_error_messages() -> None:
    assert fails("GET", "/b", "versioning&acl").message == (
        "Conflicting query string parameters: acl, versioning")
    assert fails("GET", "/b/k", "tagging&partNumber=1").message == (
        "Conflicting query string parameters: partNumber, tagging")
    assert fails("GET", "/b", "partNumber=1").message == "Object must have a valid key name."
    assert fails("GET", "/b", "uploadId=u").message == "A key must be specified"
    assert fails("GET", "/b", "versionId=v").message == (
        "This operation does not accept a version-id.")
    assert fails("GET", "/b", "acl&versionId=v").message == "Invalid version id specified"
    assert fails("POST", "/b", "restore&versionId=v").message == "Invalid version id specified"
    assert fails("POST", "/b").message == (
        "At least one of the pre-conditions you specified did not hold")
    assert fails("POST", "/b", "restore").message == "User key must be specified."
    assert fails("GET", "/b/k", "uploads").message == (
        "Key is not expected for the GET method ?uploads subresource")
    assert fails("TRACE", "/").message == "An error occurred when parsing the HTTP request."


def test_virtual_hosted_errors_match_path_style() -> None:
    for method, path, query, headers, code, status, *_ in ERRORS:
        if not path.startswith("/b") or path.startswith("/minio"):
            continue
        rest = path[len("/b"):] or "/"
        error = fails(method, rest, query, headers, host="b.s3.example.com")
        assert (error.code, error.status) == (code, status), (method, path, query)


def test_operations_lists_every_answer() -> None:
    for method, path, query, headers, operation in ROWS:
        assert operation in OPERATIONS
        assert call(method, "/bkt" + path, query, headers).operation in OPERATIONS


# ---------------------------------------------------------------- against AWS's own API model

# Deprecated aliases that share their successor's request, and operations that are not
# addressed to a bucket endpoint at all.
ALIASES = {
    "GetBucketLifecycle": "GetBucketLifecycleConfiguration",
    "PutBucketLifecycle": "PutBucketLifecycleConfiguration",
    "GetBucketNotification": "GetBucketNotificationConfiguration",
    "PutBucketNotification": "PutBucketNotificationConfiguration",
}
NOT_ROUTED = {
    "ListDirectoryBuckets",  # GET / on the s3express-control endpoint, ListBuckets here
    "WriteGetObjectResponse",  # POST to an Object Lambda endpoint, not to S3's
}
QUERY_SAMPLES = {"partNumber": "1", "list-type": "2", "select-type": "2"}


def _aws_model() -> dict[str, object]:
    botocore = pytest.importorskip("botocore")
    model = Path(botocore.__file__).parent / "data" / "s3" / "2006-03-01" / "service-2.json"
    if model.exists():
        data: dict[str, object] = json.loads(model.read_text())
    else:
        data = json.loads(gzip.decompress(model.with_suffix(".json.gz").read_bytes()))
    return data


def test_every_aws_operation_is_routed() -> None:
    """Each operation in botocore's S3 model, sent as the model says, routes to its own name."""
    model = _aws_model()
    operations: dict[str, dict[str, object]] = model["operations"]  # type: ignore[assignment]
    shapes: dict[str, dict[str, object]] = model["shapes"]  # type: ignore[assignment]
    seen = set()
    for name, spec in operations.items():
        if name in NOT_ROUTED:
            continue
        http: dict[str, str] = spec["http"]  # type: ignore[assignment]
        uri, _, uri_query = http["requestUri"].partition("?")
        query = q(uri_query)
        headers: dict[str, str] = {}
        shape = shapes[spec["input"]["shape"]] if "input" in spec else {}  # type: ignore[index]
        members: dict[str, dict[str, str]] = shape.get("members", {})  # type: ignore[assignment]
        for member in shape.get("required", []):  # type: ignore[attr-defined]
            location = members[member].get("location")
            wire = members[member].get("locationName", member)
            if location == "querystring":
                query.setdefault(wire, QUERY_SAMPLES.get(wire, "x"))
            elif location == "header":
                headers[wire.lower()] = "x"
        if name == "ListBuckets":
            path = uri
        else:
            assert re.fullmatch(r"/\{Bucket\}(/\{Key\+\})?", uri), uri
            path = uri.replace("{Bucket}", "bkt").replace("{Key+}", "a/b")
        expected = ALIASES.get(name, name)
        got = route(http["method"], path, query, headers)
        assert got.operation == expected, (name, http)
        assert got.bucket == (None if name == "ListBuckets" else "bkt")
        assert got.key == ("a/b" if "{Key+}" in uri else None)
        seen.add(expected)
    missing = OPERATIONS - seen - {
        "PostObject", "OptionsObject", "HealthLive", "HealthReady", "HealthCluster", "HealthClusterRead",
        "MetricsCluster", "MetricsNode", "MetricsBucket", "ListenBucketNotification", "AdminApi",
        "AssumeRole",
        "CairnApi", "ListObjectAnnotations", "ListBucketAnalyticsConfigurations",
        "ListBucketIntelligentTieringConfigurations", "ListBucketInventoryConfigurations",
        "ListBucketMetricsConfigurations", "ListObjectsV2"}
    assert not missing, f"routed names AWS's model does not have: {sorted(missing)}"


# ---------------------------------------------------------------- arbitrary input

SELECTORS = ["acl", "tagging", "uploads", "uploadId", "partNumber", "versionId", "delete",
             "location", "versions", "list-type", "website", "torrent", "restore", "select",
             "select-type", "id", "annotation", "annotationName", "logging", "session",
             "metadataTable", "x-id", "versioning", "policy"]
texts = st.text(max_size=30)
names = st.one_of(st.sampled_from(SELECTORS), texts)
methods = st.one_of(
    st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]), texts)
paths = st.one_of(
    st.lists(st.sampled_from(["", "b", "minio", "cairn", "admin", "health", "live", "..", " ",
                              "k", "é"]), max_size=5).map(lambda parts: "/" + "/".join(parts)),
    texts)
hosts = st.one_of(st.none(), texts,
                  st.sampled_from(["s3.example.com", "b.s3.example.com:9000", "[::1]", ":",
                                   "b.s3.example.com.", "B.S3.example.com:x", "."]))


@settings(max_examples=600, deadline=None)
@given(method=methods, path=paths, query=st.dictionaries(names, texts, max_size=4),
       headers=st.dictionaries(st.one_of(
           st.sampled_from(["x-amz-copy-source", "content-type", "host"]), texts), texts,
           max_size=3),
       host=hosts, domains=st.lists(st.one_of(st.just("s3.example.com"), texts), max_size=3))
def test_route_raises_nothing_but_route_error(method: str, path: str, query: dict[str, str],
                                              headers: dict[str, str], host: str | None,
                                              domains: list[str]) -> None:
    try:
        got = route(method, path, query, headers, host, domains)
    except RouteError as error:
        assert error.code and error.message and 400 <= error.status < 600
        assert all(isinstance(v, str) for v in (*error.extra.values(), *error.headers.values()))
        return
    assert got.operation in OPERATIONS
    assert got.bucket is None or got.bucket != ""
    if got.key is not None and got.bucket is not None:
        assert got.key != ""
