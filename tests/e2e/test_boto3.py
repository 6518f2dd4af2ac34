"""boto3 (current release, default checksums on) against a real server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

SIZES = [0, 1, 4096, 5 << 20]


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def server(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """This module runs against one worker and against two sharing the port."""
    from .conftest import start_server, stop_server_process

    srv = start_server(tmp_path_factory.mktemp(f"boto3-w{request.param}"), workers=request.param)
    yield srv
    stop_server_process(srv.process)


def error_code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


@pytest.mark.parametrize("size", SIZES)
def test_put_get_head_delete(s3, bucket, size):
    body = os.urandom(size)
    put = s3.put_object(Bucket=bucket, Key=f"obj-{size}", Body=body)
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key=f"obj-{size}")
    assert got["Body"].read() == body
    assert got["ContentLength"] == size
    head = s3.head_object(Bucket=bucket, Key=f"obj-{size}")
    assert head["ContentLength"] == size and head["ETag"] == put["ETag"]
    s3.delete_object(Bucket=bucket, Key=f"obj-{size}")
    with pytest.raises(ClientError) as exc:
        s3.head_object(Bucket=bucket, Key=f"obj-{size}")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_large_object_streams(s3, bucket, big_file):
    path, digest = big_file
    with path.open("rb") as f:
        s3.put_object(Bucket=bucket, Key="big", Body=f)
    got = s3.get_object(Bucket=bucket, Key="big")["Body"]
    check = hashlib.md5()
    for chunk in iter(lambda: got.read(1 << 20), b""):
        check.update(chunk)
    assert check.hexdigest() == digest


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_checksums_stored_and_returned(s3, bucket, algorithm):
    body = os.urandom(70_000)
    put = s3.put_object(Bucket=bucket, Key="sum", Body=body, ChecksumAlgorithm=algorithm)
    field = f"Checksum{algorithm}"
    assert field in put
    head = s3.head_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")
    assert head[field] == put[field]


def test_bad_content_md5_stores_nothing(s3, bucket):
    import base64

    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"hello", ContentMD5=wrong)
    assert error_code(exc.value) == "BadDigest"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_metadata_round_trip(s3, bucket):
    s3.put_object(
        Bucket=bucket, Key="meta", Body=b"x", ContentType="text/plain", ContentEncoding="identity",
        ContentDisposition='attachment; filename="x.txt"', ContentLanguage="en", CacheControl="no-cache",
        Expires=datetime(2030, 1, 1, tzinfo=UTC), Metadata={"color": "blue", "Shape": "round"},
    )
    head = s3.head_object(Bucket=bucket, Key="meta")
    assert head["ContentType"] == "text/plain"
    assert head["ContentDisposition"] == 'attachment; filename="x.txt"'
    assert head["ContentLanguage"] == "en" and head["CacheControl"] == "no-cache"
    assert head["ContentEncoding"] == "identity"
    assert head["Metadata"] == {"color": "blue", "shape": "round"}
    got = s3.get_object(Bucket=bucket, Key="meta", ResponseContentType="application/json",
                        ResponseCacheControl="max-age=5")
    assert got["ContentType"] == "application/json" and got["CacheControl"] == "max-age=5"


def test_ranges(s3, bucket):
    body = os.urandom(3 * (1 << 20) + 123)
    s3.put_object(Bucket=bucket, Key="r", Body=body)
    for spec, want in [("bytes=0-0", body[:1]), ("bytes=100-1048675", body[100:1048676]),
                       ("bytes=-500", body[-500:]), (f"bytes={len(body) - 10}-", body[-10:]),
                       ("bytes=5-99999999", body[5:])]:
        got = s3.get_object(Bucket=bucket, Key="r", Range=spec)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["Body"].read() == want
        assert got["ContentRange"].startswith("bytes ")
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="r", Range=f"bytes={len(body)}-")
    assert error_code(exc.value) == "InvalidRange"


def test_conditional_get(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="c", Body=b"v1")
    etag = put["ETag"]
    s3.get_object(Bucket=bucket, Key="c", IfMatch=etag)
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"0000"')
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    future = datetime.now(UTC) + timedelta(days=1)
    past = datetime.now(UTC) - timedelta(days=1)
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=future)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfUnmodifiedSince=past)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_conditional_put(s3, bucket):
    s3.put_object(Bucket=bucket, Key="once", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="once", Body=b"second", IfNoneMatch="*")
    assert error_code(exc.value) == "PreconditionFailed"
    etag = s3.head_object(Bucket=bucket, Key="once")["ETag"]
    s3.put_object(Bucket=bucket, Key="once", Body=b"third", IfMatch=etag)
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="once", Body=b"fourth", IfMatch=etag)
    assert error_code(exc.value) == "PreconditionFailed"
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"third"


def test_listing(s3, bucket):
    keys = ["a/1", "a/2", "a/b/3", "b/4", "c", "d/é/5", "e f/6"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    v2 = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in v2["Contents"]] == sorted(keys, key=str.encode)
    v2 = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [o["Key"] for o in v2["Contents"]] == ["c"]
    assert [p["Prefix"] for p in v2["CommonPrefixes"]] == ["a/", "b/", "d/", "e f/"]
    v2 = s3.list_objects_v2(Bucket=bucket, Prefix="a/", Delimiter="/")
    assert [o["Key"] for o in v2["Contents"]] == ["a/1", "a/2"]
    assert [p["Prefix"] for p in v2["CommonPrefixes"]] == ["a/b/"]
    paginator = s3.get_paginator("list_objects_v2")
    pages = list(paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 4
    assert [o["Key"] for p in pages for o in p.get("Contents", [])] == sorted(keys, key=str.encode)
    v1 = list(s3.get_paginator("list_objects").paginate(Bucket=bucket, Delimiter="/",
                                                          PaginationConfig={"PageSize": 1}))
    assert [p["Prefix"] for page in v1 for p in page.get("CommonPrefixes", [])] == ["a/", "b/", "d/", "e f/"]
    assert s3.list_objects_v2(Bucket=bucket, StartAfter="b/4")["KeyCount"] == 3
    owned = s3.list_objects_v2(Bucket=bucket, FetchOwner=True, MaxKeys=1)
    assert "Owner" in owned["Contents"][0] and owned["IsTruncated"]


def test_copy(s3, bucket):
    body = os.urandom(300_000)
    s3.put_object(Bucket=bucket, Key="src", Body=body, Metadata={"k": "v"}, ContentType="text/x-src")
    other = f"e2e-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=other)
    try:
        result = s3.copy_object(Bucket=other, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
        assert result["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
        head = s3.head_object(Bucket=other, Key="dst")
        assert head["Metadata"] == {"k": "v"} and head["ContentType"] == "text/x-src"
        assert s3.get_object(Bucket=other, Key="dst")["Body"].read() == body
        s3.copy_object(Bucket=bucket, Key="src", CopySource=f"{bucket}/src", MetadataDirective="REPLACE",
                       Metadata={"new": "yes"}, ContentType="text/plain")
        head = s3.head_object(Bucket=bucket, Key="src")
        assert head["Metadata"] == {"new": "yes"} and head["ContentType"] == "text/plain"
        with pytest.raises(ClientError) as exc:
            s3.copy_object(Bucket=bucket, Key="src", CopySource=f"{bucket}/src")
        assert error_code(exc.value) == "InvalidRequest"
        with pytest.raises(ClientError) as exc:
            s3.copy_object(Bucket=other, Key="x", CopySource=f"{bucket}/src", CopySourceIfMatch='"nope"')
        assert error_code(exc.value) == "PreconditionFailed"
    finally:
        s3.delete_object(Bucket=other, Key="dst")
        s3.delete_bucket(Bucket=other)


def test_delete_objects(s3, bucket):
    for i in range(10):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": f"k{i}"} for i in range(8)]})
    assert sorted(d["Key"] for d in out["Deleted"]) == sorted(f"k{i}" for i in range(8))
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k8"}, {"Key": "nope"}],
                                                     "Quiet": True})
    assert "Deleted" not in quiet
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["k9"]


def test_bucket_errors(s3, bucket):
    with pytest.raises(ClientError) as exc:
        s3.create_bucket(Bucket=bucket)
    assert error_code(exc.value) == "BucketAlreadyOwnedByYou"
    s3.put_object(Bucket=bucket, Key="x", Body=b"x")
    with pytest.raises(ClientError) as exc:
        s3.delete_bucket(Bucket=bucket)
    assert error_code(exc.value) == "BucketNotEmpty"
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket="no-such-bucket-here", Key="x")
    assert error_code(exc.value) == "NoSuchBucket"
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="missing")
    assert error_code(exc.value) == "NoSuchKey"
    with pytest.raises(ClientError) as exc:
        s3.create_bucket(Bucket="Bad_Name")
    assert error_code(exc.value) == "InvalidBucketName"
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    s3.head_bucket(Bucket=bucket)


def test_wrong_credentials(server, bucket):
    import boto3

    bad = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id="cairn-e2e-user",
                       aws_secret_access_key="wrong-secret", region_name="us-east-1")
    with pytest.raises(ClientError) as exc:
        bad.put_object(Bucket=bucket, Key="x", Body=b"x")
    assert error_code(exc.value) == "SignatureDoesNotMatch"
    unknown = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id="nobody",
                           aws_secret_access_key="wrong-secret", region_name="us-east-1")
    with pytest.raises(ClientError) as exc:
        unknown.list_buckets()
    assert error_code(exc.value) == "InvalidAccessKeyId"


def test_presigned_get_and_put_with_curl(s3, bucket, tmp_path):
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=300)
    src = tmp_path / "up"
    src.write_bytes(os.urandom(200_000))
    subprocess.run(["curl", "-sf", "-X", "PUT", "-T", str(src), put_url], check=True)
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=300)
    out = subprocess.run(["curl", "-sf", get_url], check=True, capture_output=True).stdout
    assert out == src.read_bytes()
    assert f"/{bucket}/pre?" in get_url
    tampered = get_url.replace(f"/{bucket}/pre?", f"/{bucket}/pre2?")
    status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", tampered],
                            capture_output=True, text=True).stdout
    assert status == "403"
