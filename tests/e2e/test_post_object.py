"""Browser form uploads (POST Object) with policies made by boto3's generate_presigned_post, sent
as a browser sends them (multipart/form-data, the file last)."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import pytest
import urllib3
from botocore.exceptions import ClientError

from .conftest import Server

HTTP = urllib3.PoolManager(retries=False)


def post(url: str, fields: dict[str, str], filename: str, data: bytes) -> urllib3.BaseHTTPResponse:
    items = [*fields.items(), ("file", (filename, data, "application/octet-stream"))]
    body, content_type = urllib3.encode_multipart_formdata(items)
    return HTTP.request("POST", url, body=body, headers={"Content-Type": content_type})


def code(response: urllib3.BaseHTTPResponse) -> str:
    text = response.data.decode()
    return text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in text else ""


def test_signed_upload_with_filename_status_and_range(s3, bucket: str) -> None:
    form = s3.generate_presigned_post(
        bucket, "uploads/${filename}", Fields={"success_action_status": "201"},
        Conditions=[{"success_action_status": "201"}, ["starts-with", "$key", "uploads/"],
                    ["content-length-range", 1, 10 << 20]], ExpiresIn=300)
    data = os.urandom(3 << 20)
    r = post(form["url"], form["fields"], "photo.jpg", data)
    assert r.status == 201, r.data
    assert b"<Key>uploads/photo.jpg</Key>" in r.data
    assert r.headers["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    assert s3.get_object(Bucket=bucket, Key="uploads/photo.jpg")["Body"].read() == data


def test_refusals_store_nothing(s3, bucket: str) -> None:
    form = s3.generate_presigned_post(bucket, "k", Conditions=[["content-length-range", 1, 100]],
                                      ExpiresIn=300)
    too_big = post(form["url"], form["fields"], "f", b"x" * 101)
    assert (too_big.status, code(too_big)) == (400, "EntityTooLarge")
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    policy["conditions"][-1] = ["content-length-range", 1, 1 << 30]
    tampered = {**form["fields"], "policy": base64.b64encode(json.dumps(policy).encode()).decode()}
    r = post(form["url"], tampered, "f", b"x" * 101)
    assert (r.status, code(r)) == (403, "SignatureDoesNotMatch")
    expired = s3.generate_presigned_post(bucket, "k", ExpiresIn=-60)
    r = post(expired["url"], expired["fields"], "f", b"x")
    assert r.status == 403 and b"Policy expired" in r.data
    extra = post(form["url"], {**form["fields"], "x-amz-meta-sneaky": "1"}, "f", b"x")
    assert extra.status == 403 and b"Extra input fields" in extra.data
    wrong_key = post(form["url"], {**form["fields"], "key": "other"}, "f", b"x")
    assert wrong_key.status == 403
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k")
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="other")


def test_a_truncated_form_stores_nothing(server: Server, s3, bucket: str) -> None:
    form = s3.generate_presigned_post(bucket, "cut", ExpiresIn=300)
    items = [*form["fields"].items(), ("file", ("f", b"y" * 1000, "application/octet-stream"))]
    body, content_type = urllib3.encode_multipart_formdata(items)
    cut = body[: body.rindex(b"--")]  # no closing delimiter
    r = HTTP.request("POST", form["url"], body=cut, headers={"Content-Type": content_type})
    assert r.status == 400
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="cut")


def test_anonymous_form_needs_a_bucket_policy(server: Server, s3, bucket: str) -> None:
    url = f"{server.endpoint}/{bucket}"
    r = post(url, {"key": "anon/a"}, "a", b"hello")
    assert (r.status, code(r)) == (403, "AccessDenied")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{bucket}/anon/*"}]}))
    r = post(url, {"key": "anon/a", "Content-Type": "text/plain", "x-amz-meta-from": "form"}, "a", b"hello")
    assert r.status == 204, r.data
    head = s3.head_object(Bucket=bucket, Key="anon/a")
    assert head["ContentType"] == "text/plain" and head["Metadata"] == {"from": "form"}
    assert post(url, {"key": "elsewhere"}, "a", b"x").status == 403


def test_redirect_on_success(s3, bucket: str) -> None:
    target = "https://example.com/done?x=1"
    form = s3.generate_presigned_post(bucket, "r", Fields={"success_action_redirect": target},
                                      Conditions=[{"success_action_redirect": target}], ExpiresIn=300)
    r = post(form["url"], form["fields"], "f", b"data")
    assert r.status == 303
    assert r.headers["Location"].startswith(target + "&bucket=" + bucket + "&key=r&etag=")


def test_a_checksum_field_is_verified(s3, bucket: str) -> None:
    data = b"checked bytes"
    good = base64.b64encode(hashlib.sha256(data).digest()).decode()
    form = s3.generate_presigned_post(bucket, "sum", Fields={"x-amz-checksum-sha256": good},
                                      Conditions=[{"x-amz-checksum-sha256": good}], ExpiresIn=300)
    assert post(form["url"], form["fields"], "f", data).status == 204
    assert s3.head_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")["ChecksumSHA256"] == good
    bad = post(form["url"], form["fields"], "f", b"other bytes")
    assert (bad.status, code(bad)) == (400, "BadDigest")
    assert s3.get_object(Bucket=bucket, Key="sum")["Body"].read() == data
