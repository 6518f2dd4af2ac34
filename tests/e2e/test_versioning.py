"""Versioning, object lock and tagging with boto3 against a real server, as AWS S3 behaves:
versions and their ids, delete markers (404/405 with x-amz-delete-marker), the null version,
ListObjectVersions paging, DeleteObjects with versions, copies of versions, tags (and their
limits), retention and legal hold."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import cleanup_bucket

S3 = Any


@pytest.fixture
def versioned(s3: S3) -> Iterator[str]:
    name = f"ver-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    yield name
    cleanup_bucket(s3, name)


@pytest.fixture
def locked(s3: S3) -> Iterator[str]:
    name = f"lock-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    yield name
    cleanup_bucket(s3, name)


def error(call: Any, **kwargs: Any) -> tuple[int, str, dict[str, str]]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    r = info.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], r["ResponseMetadata"]["HTTPHeaders"]


def listed(s3: S3, bucket: str) -> list[tuple[str, str, bool, bool]]:
    """(key, version id, is a delete marker, latest), in the listing's order."""
    out = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        entries = [(v, False) for v in page.get("Versions", [])] + [
            (m, True) for m in page.get("DeleteMarkers", [])
        ]
        out += [(e["Key"], e["VersionId"], marker, e["IsLatest"]) for e, marker in entries]
    return out


def test_bucket_versioning_configuration(s3: S3, bucket: str) -> None:
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    status, code, _ = error(
        s3.put_bucket_versioning,
        Bucket=bucket,
        VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"},
    )
    assert (status, code) == (501, "NotImplemented")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_versions_delete_markers_and_ids(s3: S3, versioned: str) -> None:
    b = versioned
    first = s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
    big = os.urandom(300_000)
    second = s3.put_object(Bucket=b, Key="k", Body=big)["VersionId"]
    assert first != second and "null" not in (first, second)
    got = s3.get_object(Bucket=b, Key="k")
    assert got["VersionId"] == second and got["Body"].read() == big
    old = s3.get_object(Bucket=b, Key="k", VersionId=first)
    assert old["VersionId"] == first and old["Body"].read() == b"one"
    assert s3.head_object(Bucket=b, Key="k", VersionId=first)["ContentLength"] == 3

    deleted = s3.delete_object(Bucket=b, Key="k")
    marker = deleted["VersionId"]
    assert deleted["DeleteMarker"] is True and marker not in (first, second)
    status, code, headers = error(s3.get_object, Bucket=b, Key="k")
    assert (status, code) == (404, "NoSuchKey")
    assert headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == marker
    status, _, headers = error(s3.head_object, Bucket=b, Key="k", VersionId=marker)
    assert status == 405 and headers["x-amz-delete-marker"] == "true" and headers["allow"] == "DELETE"
    status, code, _ = error(s3.get_object, Bucket=b, Key="k", VersionId=marker)
    assert (status, code) == (405, "MethodNotAllowed")
    assert s3.list_objects_v2(Bucket=b).get("KeyCount") == 0
    assert listed(s3, b) == [
        ("k", second, False, False),
        ("k", first, False, False),
        ("k", marker, True, True),
    ]

    undone = s3.delete_object(Bucket=b, Key="k", VersionId=marker)
    assert undone["DeleteMarker"] is True and undone["VersionId"] == marker
    assert s3.get_object(Bucket=b, Key="k")["VersionId"] == second
    gone = s3.delete_object(Bucket=b, Key="k", VersionId=second)
    assert gone["VersionId"] == second and "DeleteMarker" not in gone
    assert s3.get_object(Bucket=b, Key="k")["Body"].read() == b"one"

    status, code, _ = error(s3.get_object, Bucket=b, Key="k", VersionId="not-a-version")
    assert (status, code) == (400, "InvalidArgument")
    status, code, _ = error(s3.get_object, Bucket=b, Key="k", VersionId=second)
    assert (status, code) == (404, "NoSuchVersion")
    assert s3.delete_object(Bucket=b, Key="k", VersionId=second)["VersionId"] == second  # 204 again


def test_null_version_and_suspended(s3: S3, bucket: str) -> None:
    b = bucket
    put = s3.put_object(Bucket=b, Key="k", Body=b"plain")
    assert "VersionId" not in put and "VersionId" not in s3.head_object(Bucket=b, Key="k")
    s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    assert s3.head_object(Bucket=b, Key="k")["VersionId"] == "null"
    v1 = s3.put_object(Bucket=b, Key="k", Body=b"v1")["VersionId"]
    assert s3.get_object(Bucket=b, Key="k", VersionId="null")["Body"].read() == b"plain"
    s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
    assert "VersionId" not in s3.put_object(Bucket=b, Key="k", Body=b"s1")  # S3 names no null version here
    assert s3.head_object(Bucket=b, Key="k")["VersionId"] == "null"
    assert listed(s3, b) == [("k", "null", False, True), ("k", v1, False, False)]
    deleted = s3.delete_object(Bucket=b, Key="k")
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] == "null"
    assert listed(s3, b) == [("k", v1, False, False), ("k", "null", True, True)]
    assert s3.get_object(Bucket=b, Key="k", VersionId=v1)["Body"].read() == b"v1"


def test_list_object_versions_pages_and_prefixes(s3: S3, versioned: str) -> None:
    b = versioned
    expected = []
    for key in ("a", "dir/x", "dir/y", "z"):
        ids = [s3.put_object(Bucket=b, Key=key, Body=key.encode() * n)["VersionId"] for n in (1, 2)]
        expected += [(key, vid) for vid in reversed(ids)]
    pages = list(
        s3.get_paginator("list_object_versions").paginate(Bucket=b, PaginationConfig={"PageSize": 3})
    )
    assert len(pages) == 3
    got = [(v["Key"], v["VersionId"]) for p in pages for v in p.get("Versions", [])]
    assert got == expected
    assert pages[0]["IsTruncated"] and pages[0]["NextKeyMarker"] == "dir/x"
    page = s3.list_object_versions(Bucket=b, Delimiter="/")
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["dir/"]
    assert {v["Key"] for v in page["Versions"]} == {"a", "z"}
    status, code, _ = error(s3.list_object_versions, Bucket=b, VersionIdMarker=expected[0][1])
    assert (status, code) == (400, "InvalidArgument")


def test_delete_objects_with_versions(s3: S3, versioned: str) -> None:
    b = versioned
    v1 = s3.put_object(Bucket=b, Key="a", Body=b"1")["VersionId"]
    v2 = s3.put_object(Bucket=b, Key="a", Body=b"2")["VersionId"]
    s3.put_object(Bucket=b, Key="b", Body=b"b")
    result = s3.delete_objects(
        Bucket=b,
        Delete={"Objects": [{"Key": "a", "VersionId": v1}, {"Key": "b"}, {"Key": "a", "VersionId": "bad"}]},
    )
    by_key = {(d["Key"], d.get("VersionId")): d for d in result["Deleted"]}
    assert "DeleteMarker" not in by_key["a", v1]
    marker = by_key["b", None]
    assert marker["DeleteMarker"] is True and marker["DeleteMarkerVersionId"] not in ("", "null")
    assert [(e["Key"], e["Code"]) for e in result["Errors"]] == [("a", "InvalidArgument")]
    result = s3.delete_objects(
        Bucket=b,
        Delete={
            "Objects": [
                {"Key": "b", "VersionId": marker["DeleteMarkerVersionId"]},
                {"Key": "a", "VersionId": v2},
            ]
        },
    )
    assert {d["Key"] for d in result["Deleted"]} == {"a", "b"}
    assert next(d for d in result["Deleted"] if d["Key"] == "b")["DeleteMarker"] is True
    assert listed(s3, b) == [("b", s3.head_object(Bucket=b, Key="b")["VersionId"], False, True)]
    assert (
        s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "b"}], "Quiet": True}).get("Deleted") is None
    )


def test_copy_and_multipart_versions(s3: S3, versioned: str) -> None:
    b = versioned
    first = s3.put_object(Bucket=b, Key="src", Body=b"first")["VersionId"]
    s3.put_object(Bucket=b, Key="src", Body=b"second")
    copied = s3.copy_object(Bucket=b, Key="dst", CopySource={"Bucket": b, "Key": "src", "VersionId": first})
    assert copied["CopySourceVersionId"] == first and copied["VersionId"] not in (first, "null")
    assert s3.get_object(Bucket=b, Key="dst")["Body"].read() == b"first"
    marker = s3.delete_object(Bucket=b, Key="src")["VersionId"]
    status, code, _ = error(s3.copy_object, Bucket=b, Key="x", CopySource={"Bucket": b, "Key": "src"})
    assert (status, code) == (404, "NoSuchKey")
    status, code, _ = error(
        s3.copy_object, Bucket=b, Key="x", CopySource={"Bucket": b, "Key": "src", "VersionId": marker}
    )
    assert (status, code) == (400, "InvalidRequest")
    upload = s3.create_multipart_upload(Bucket=b, Key="dst")["UploadId"]
    part = s3.upload_part_copy(
        Bucket=b,
        Key="dst",
        UploadId=upload,
        PartNumber=1,
        CopySource={"Bucket": b, "Key": "src", "VersionId": first},
    )
    assert part["CopySourceVersionId"] == first
    done = s3.complete_multipart_upload(
        Bucket=b,
        Key="dst",
        UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]},
    )
    assert done["VersionId"] not in (copied["VersionId"], "null")
    assert [v[1] for v in listed(s3, b) if v[0] == "dst"] == [done["VersionId"], copied["VersionId"]]


def test_object_and_bucket_tagging(s3: S3, versioned: str) -> None:
    b = versioned
    v1 = s3.put_object(Bucket=b, Key="k", Body=b"x", Tagging="a=1&b=two%20words")["VersionId"]
    assert s3.head_object(Bucket=b, Key="k")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"
    tags = s3.get_object_tagging(Bucket=b, Key="k")
    assert tags["VersionId"] == v1 and {t["Key"]: t["Value"] for t in tags["TagSet"]} == {
        "a": "1",
        "b": "two words",
    }
    v2 = s3.put_object(Bucket=b, Key="k", Body=b"y")["VersionId"]
    s3.put_object_tagging(
        Bucket=b, Key="k", VersionId=v1, Tagging={"TagSet": [{"Key": "old", "Value": "yes"}]}
    )
    assert s3.get_object_tagging(Bucket=b, Key="k")["TagSet"] == []
    assert s3.get_object_tagging(Bucket=b, Key="k", VersionId=v1)["TagSet"] == [
        {"Key": "old", "Value": "yes"}
    ]
    s3.delete_object_tagging(Bucket=b, Key="k", VersionId=v1)
    assert s3.get_object_tagging(Bucket=b, Key="k", VersionId=v1)["TagSet"] == []
    eleven = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
    status, code, _ = error(s3.put_object_tagging, Bucket=b, Key="k", Tagging={"TagSet": eleven})
    assert (status, code) == (400, "BadRequest")
    status, code, _ = error(
        s3.put_object_tagging, Bucket=b, Key="k", Tagging={"TagSet": [{"Key": "x" * 129, "Value": "v"}]}
    )
    assert (status, code) == (400, "InvalidTag")
    copied = s3.copy_object(
        Bucket=b,
        Key="c",
        CopySource={"Bucket": b, "Key": "k", "VersionId": v2},
        TaggingDirective="REPLACE",
        Tagging="new=1",
    )
    assert s3.get_object_tagging(Bucket=b, Key="c", VersionId=copied["VersionId"])["TagSet"] == [
        {"Key": "new", "Value": "1"}
    ]
    status, code, _ = error(s3.get_bucket_tagging, Bucket=b)
    assert (status, code) == (404, "NoSuchTagSet")
    s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "team", "Value": "storage"}]})
    assert s3.get_bucket_tagging(Bucket=b)["TagSet"] == [{"Key": "team", "Value": "storage"}]
    s3.delete_bucket_tagging(Bucket=b)
    assert error(s3.get_bucket_tagging, Bucket=b)[1] == "NoSuchTagSet"


def test_object_lock(s3: S3, locked: str, bucket: str) -> None:
    b = locked
    assert s3.get_bucket_versioning(Bucket=b)["Status"] == "Enabled"
    assert s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled"
    }
    status, code, _ = error(
        s3.put_bucket_versioning, Bucket=b, VersioningConfiguration={"Status": "Suspended"}
    )
    assert (status, code) == (409, "InvalidBucketState")
    until = datetime.now(UTC) + timedelta(hours=1)
    gov = s3.put_object(
        Bucket=b, Key="g", Body=b"g", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until
    )["VersionId"]
    head = s3.head_object(Bucket=b, Key="g")
    assert head["ObjectLockMode"] == "GOVERNANCE" and abs(
        head["ObjectLockRetainUntilDate"] - until
    ) < timedelta(1)
    status, code, _ = error(s3.delete_object, Bucket=b, Key="g", VersionId=gov)
    assert (status, code) == (403, "AccessDenied")
    assert s3.delete_object(Bucket=b, Key="g")["DeleteMarker"] is True  # a marker is still allowed
    s3.put_object_legal_hold(Bucket=b, Key="g", VersionId=gov, LegalHold={"Status": "ON"})
    assert s3.get_object_legal_hold(Bucket=b, Key="g", VersionId=gov)["LegalHold"]["Status"] == "ON"
    status, code, _ = error(
        s3.delete_object, Bucket=b, Key="g", VersionId=gov, BypassGovernanceRetention=True
    )
    assert (status, code) == (403, "AccessDenied")
    s3.put_object_legal_hold(Bucket=b, Key="g", VersionId=gov, LegalHold={"Status": "OFF"})
    s3.delete_object(Bucket=b, Key="g", VersionId=gov, BypassGovernanceRetention=True)

    comp = s3.put_object(Bucket=b, Key="c", Body=b"c")["VersionId"]
    status, code, _ = error(s3.get_object_legal_hold, Bucket=b, Key="c", VersionId=comp)
    assert (status, code) == (404, "NoSuchObjectLockConfiguration")  # never set: none to show
    s3.put_object_retention(
        Bucket=b, Key="c", VersionId=comp, Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until}
    )
    assert s3.get_object_retention(Bucket=b, Key="c", VersionId=comp)["Retention"]["Mode"] == "COMPLIANCE"
    status, code, _ = error(
        s3.put_object_retention,
        Bucket=b,
        Key="c",
        VersionId=comp,
        Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until - timedelta(minutes=5)},
    )
    assert (status, code) == (403, "AccessDenied")
    status, code, _ = error(
        s3.delete_object, Bucket=b, Key="c", VersionId=comp, BypassGovernanceRetention=True
    )
    assert (status, code) == (403, "AccessDenied")
    s3.put_object_lock_configuration(
        Bucket=b,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}},
        },
    )
    assert (
        s3.head_object(Bucket=b, Key="d", VersionId=s3.put_object(Bucket=b, Key="d", Body=b"d")["VersionId"])[
            "ObjectLockMode"
        ]
        == "GOVERNANCE"
    )

    status, code, _ = error(
        s3.put_object,
        Bucket=bucket,
        Key="x",
        Body=b"x",
        ObjectLockMode="GOVERNANCE",
        ObjectLockRetainUntilDate=until,
    )
    assert (status, code) == (400, "InvalidRequest")
    status, code, _ = error(s3.get_object_lock_configuration, Bucket=bucket)
    assert (status, code) == (404, "ObjectLockConfigurationNotFoundError")
    # The COMPLIANCE version outlives this test: its bucket cannot be emptied for an hour.
    s3.delete_object(Bucket=b, Key="c")
