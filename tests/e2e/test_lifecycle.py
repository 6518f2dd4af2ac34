"""Lifecycle against a real server: Put/Get/DeleteBucketLifecycleConfiguration with boto3 (and
hostile documents over plain HTTP), x-amz-expiration and x-amz-abort-date, and the scanner at work
with a lifecycle day of two seconds: objects, noncurrent versions, delete markers and uploads
expire; locked versions do not."""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, empty_and_delete, start_server, stop_server_process

DAY = 2.0  # seconds: CAIRN_LIFECYCLE_DAY_SECONDS of the scanner test's server
RULES = [
    {"ID": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}},
    {"ID": "tagged", "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "class", "Value": "scratch"}],
                                        "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 1000}},
     "Status": "Enabled", "Expiration": {"Days": 1},
     "NoncurrentVersionExpiration": {"NoncurrentDays": 7, "NewerNoncurrentVersions": 3}},
    {"ID": "dated", "Filter": {"Tag": {"Key": "k", "Value": "v"}}, "Status": "Disabled",
     "Expiration": {"Date": datetime(2099, 11, 10, tzinfo=UTC)}},
    {"ID": "markers", "Filter": {}, "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": True},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
]


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response = caught.value.response
    return response["Error"]["Code"], response["Error"].get("Message", ""), \
        response["ResponseMetadata"]["HTTPStatusCode"]


def signed_put(port: int, bucket: str, body: bytes) -> tuple[int, bytes]:
    """PUT ?lifecycle with exactly this body (Content-MD5 and SigV4 by botocore's signer)."""
    target = f"/{bucket}?lifecycle"
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    headers = {"Host": f"127.0.0.1:{port}", "Content-MD5": md5}
    request = AWSRequest(method="PUT", url=f"http://127.0.0.1:{port}{target}", data=body, headers=headers)
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(request)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("PUT", target, body=body, headers=dict(request.headers.items()))
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def code(body: bytes) -> str | None:
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else None


# -- the configuration -----------------------------------------------------------------------------

def test_put_get_delete_lifecycle(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert error_of(caught)[0::2] == ("NoSuchLifecycleConfiguration", 404)
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": RULES})
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == RULES
    assert s3.delete_bucket_lifecycle(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert error_of(caught)[0] == "NoSuchLifecycleConfiguration"


def test_rules_get_ids_and_the_older_prefix_form(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    rules = [{"Prefix": "a/", "Status": "Enabled", "Expiration": {"Days": 1}},
             {"Prefix": "b/", "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["Prefix"] for r in got] == ["a/", "b/"] and all("Filter" not in r for r in got)
    assert len({r["ID"] for r in got}) == 2


PREVIOUS = [{"ID": "kept", "Filter": {"Prefix": "x/"}, "Status": "Enabled", "Expiration": {"Days": 5}}]
EXPIRE = {"Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}


@pytest.mark.parametrize(("rules", "error", "message"), [
    ([{"ID": "same", **EXPIRE}, {"ID": "same", **EXPIRE}], "InvalidArgument",
     "Rule ID must be unique. Found same ID for more than one rule"),
    ([{"ID": "x" * 256, **EXPIRE}], "InvalidArgument", "ID length should not exceed allowed limit of 255"),
    ([{"ID": "zero", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 0}}], "InvalidArgument",
     "'Days' for Expiration action must be a positive integer"),
    ([{"ID": "both", "Filter": {}, "Status": "Enabled",
       "Expiration": {"Days": 1, "Date": datetime(2099, 1, 1, tzinfo=UTC)}}], "MalformedXML", None),
    ([{"ID": "noon", "Filter": {}, "Status": "Enabled",
       "Expiration": {"Date": datetime(2099, 1, 1, 12, tzinfo=UTC)}}], "InvalidArgument",
     "'Date' must be at midnight GMT"),
    ([{"ID": "status", "Filter": {}, "Status": "On", "Expiration": {"Days": 1}}], "MalformedXML", None),
    ([{"ID": "nothing", "Filter": {}, "Status": "Enabled"}], "InvalidRequest",
     "At least one action needs to be specified in a rule"),
    ([{"ID": "glacier", "Filter": {}, "Status": "Enabled",
       "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]}], "InvalidStorageClass", "remote tier"),
    ([{"ID": "old", "Filter": {}, "Status": "Enabled",
       "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "STANDARD_IA"}]}],
     "InvalidStorageClass", "remote tier"),
    ([EXPIRE] * 1001, "MalformedXML", None),
])
def test_refused_configurations_change_nothing(s3, bucket: str, rules: list[dict[str, Any]], error: str,  # type: ignore[no-untyped-def]
                                               message: str | None) -> None:
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": PREVIOUS})
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    got, text, status = error_of(caught)
    assert (got, status) == (error, 400)
    if message:
        assert message in text
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == PREVIOUS


@pytest.mark.parametrize(("body", "error"), [
    (b"<LifecycleConfiguration><Rule><Status>Enabled", "MalformedXML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     b"<LifecycleConfiguration><Rule><ID>&b;</ID></Rule></LifecycleConfiguration>", "MalformedXML"),
    (b"<LifecycleConfiguration>" + b"<Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days>"
     b"</Expiration></Rule>" * 40_000 + b"</LifecycleConfiguration>", "MalformedXML"),
    (b"<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Days>99999999999</Days>"
     b"</Expiration></Rule></LifecycleConfiguration>", "MalformedXML"),
    (b"", "MalformedXML"),
])
def test_hostile_documents(server: Server, s3, bucket: str, body: bytes, error: str) -> None:  # type: ignore[no-untyped-def]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": PREVIOUS})
    status, answer = signed_put(server.port, bucket, body)
    assert (status, code(answer)) == (400, error)
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == PREVIOUS


def next_midnight_after(when: datetime, days: int) -> datetime:
    moment = when.astimezone(UTC) + timedelta(days=days)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC) + timedelta(days=1)


def test_expiration_headers(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "logs rule", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 3}},
        {"ID": "uploads", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]})
    put = s3.put_object(Bucket=bucket, Key="logs/a", Body=b"x")
    head = s3.head_object(Bucket=bucket, Key="logs/a")
    expected = next_midnight_after(head["LastModified"], 3).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert head["Expiration"] == f'expiry-date="{expected}", rule-id="logs rule"'
    assert put["Expiration"] == head["Expiration"]
    assert s3.get_object(Bucket=bucket, Key="logs/a")["Expiration"] == head["Expiration"]
    s3.put_object(Bucket=bucket, Key="other", Body=b"x")
    assert "Expiration" not in s3.head_object(Bucket=bucket, Key="other")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="logs/big")
    assert upload["AbortRuleId"] == "uploads" and upload["AbortDate"] > datetime.now(UTC)
    s3.abort_multipart_upload(Bucket=bucket, Key="logs/big", UploadId=upload["UploadId"])
    assert "AbortRuleId" not in s3.create_multipart_upload(Bucket=bucket, Key="elsewhere")


# -- the scanner at work ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def short_day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root: Path = tmp_path_factory.mktemp("lifecycle")
    srv = start_server(root, drives=1, extra=("--scanner-interval", "0.5s"),
                       env_extra={"CAIRN_LIFECYCLE_DAY_SECONDS": str(DAY)})
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def s3_short(short_day: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=short_day.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def wait_for(check: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return check()


def versions(s3, bucket: str) -> list[tuple[str, bool, bool]]:  # type: ignore[no-untyped-def]
    """(key, delete marker, latest) of every version, by key, the latest first."""
    page = s3.list_object_versions(Bucket=bucket)
    out = [(v["Key"], False, v["IsLatest"]) for v in page.get("Versions", [])]
    out += [(m["Key"], True, m["IsLatest"]) for m in page.get("DeleteMarkers", [])]
    return sorted(out, key=lambda v: (v[0], not v[2]))


def new_bucket(s3, **options: Any) -> str:  # type: ignore[no-untyped-def]
    name = f"lc-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name, **options)
    return name


def test_objects_versions_and_markers_expire(short_day: Server, s3_short) -> None:  # type: ignore[no-untyped-def]
    s3 = s3_short
    plain = new_bucket(s3)
    s3.put_bucket_lifecycle_configuration(Bucket=plain, LifecycleConfiguration={"Rules": [
        {"ID": "tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    s3.put_object(Bucket=plain, Key="tmp/a", Body=b"a")
    s3.put_object(Bucket=plain, Key="keep/b", Body=b"b")

    versioned = new_bucket(s3)
    s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(Bucket=versioned, LifecycleConfiguration={"Rules": [
        {"ID": "all", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
    s3.put_object(Bucket=versioned, Key="k", Body=b"v1")
    s3.put_object(Bucket=versioned, Key="k", Body=b"v2")

    markers = new_bucket(s3)
    s3.put_bucket_versioning(Bucket=markers, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(Bucket=markers, LifecycleConfiguration={"Rules": [
        {"ID": "clean", "Filter": {}, "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": True},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
    s3.put_object(Bucket=markers, Key="gone", Body=b"x")
    s3.delete_object(Bucket=markers, Key="gone")
    s3.put_object(Bucket=markers, Key="stays", Body=b"x")

    seen: set[tuple[tuple[str, bool, bool], ...]] = set()

    def versioned_empty() -> bool:
        state = tuple(versions(s3, versioned))
        seen.add(state)
        return not state

    assert wait_for(lambda: [k for k, _, _ in versions(s3, plain)] == ["keep/b"])
    assert wait_for(versioned_empty)
    # On the way: the current version went under a delete marker (the older one, noncurrent since
    # v2 was written, went in the same pass), then v2 went once noncurrent for a day, and the
    # marker, left alone, with it.
    assert (("k", True, True), ("k", False, False)) in seen
    assert wait_for(lambda: versions(s3, markers) == [("stays", False, True)])
    assert s3.get_object(Bucket=plain, Key="keep/b")["Body"].read() == b"b"
    log = short_day.log.read_text()
    assert "lifecycle: expired" in log and "expired delete marker(s)" in log
    for name in (plain, versioned, markers):
        empty_and_delete(s3, name)


def test_uploads_are_aborted(s3_short) -> None:  # type: ignore[no-untyped-def]
    s3 = s3_short
    name = new_bucket(s3)
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [
        {"ID": "uploads", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled",
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]})
    gone = s3.create_multipart_upload(Bucket=name, Key="tmp/part")
    s3.upload_part(Bucket=name, Key="tmp/part", UploadId=gone["UploadId"], PartNumber=1, Body=b"p" * 1000)
    kept = s3.create_multipart_upload(Bucket=name, Key="keep/part")
    assert gone["AbortRuleId"] == "uploads"
    assert wait_for(lambda: [u["Key"] for u in s3.list_multipart_uploads(Bucket=name).get("Uploads", [])]
                    == ["keep/part"])
    with pytest.raises(ClientError) as caught:
        s3.list_parts(Bucket=name, Key="tmp/part", UploadId=gone["UploadId"])
    assert error_of(caught)[0] == "NoSuchUpload"
    s3.abort_multipart_upload(Bucket=name, Key="keep/part", UploadId=kept["UploadId"])
    empty_and_delete(s3, name)


def test_lifecycle_never_removes_a_locked_version(s3_short) -> None:  # type: ignore[no-untyped-def]
    s3 = s3_short
    name = new_bucket(s3, ObjectLockEnabledForBucket=True)
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [
        {"ID": "everything", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
    until = datetime.now(UTC) + timedelta(days=1)
    retained = s3.put_object(Bucket=name, Key="retained", Body=b"precious", ObjectLockMode="COMPLIANCE",
                             ObjectLockRetainUntilDate=until)["VersionId"]
    held = s3.put_object(Bucket=name, Key="held", Body=b"precious",
                         ObjectLockLegalHoldStatus="ON")["VersionId"]
    s3.put_object(Bucket=name, Key="free", Body=b"x")
    # The unlocked control goes all the way (under a marker, then for good, marker too); by then
    # the locked versions have long been due.
    assert wait_for(lambda: all(key != "free" for key, _, _ in versions(s3, name)))
    time.sleep(3 * DAY)
    state = versions(s3, name)
    assert ("retained", False, False) in state and ("held", False, False) in state
    for key, version_id in (("retained", retained), ("held", held)):
        assert s3.get_object(Bucket=name, Key=key, VersionId=version_id)["Body"].read() == b"precious"
    s3.put_object_legal_hold(Bucket=name, Key="held", VersionId=held, LegalHold={"Status": "OFF"})
    # Released from its hold, the version goes at the next cycles.
    assert wait_for(lambda: all(key != "held" for key, _, _ in versions(s3, name)))
