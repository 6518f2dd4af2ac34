"""What real clients found, against a real server: GetBucketVersioning on a bucket never
configured (s3fs and rclone ask before emptying one; rclone's purge is in test_rclone.py),
416 answers that say the object's size, the `%20` of encoding-type=url, MinIO's
ListenBucketNotification route, and refusals logged with their request id."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from urllib.parse import quote, unquote

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server


def signed(server: Server, method: str, path: str, query: str = "", headers: dict[str, str] | None = None,
           secret: str = SECRET_KEY) -> tuple[int, dict[str, str], bytes]:
    """One request signed with SigV4 by botocore: (status, headers with lowercase names, body)."""
    url = f"{server.endpoint}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}))
    S3SigV4Auth(Credentials(ACCESS_KEY, secret), "s3", "us-east-1").add_auth(request)
    data = b"" if method in ("PUT", "POST") else None  # an empty body, with Content-Length: 0
    raw = urllib.request.Request(url, data=data, method=method, headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(raw, timeout=10) as reply:
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_versioning_of_a_bucket_never_configured(s3, server, bucket):
    reply = s3.get_bucket_versioning(Bucket=bucket)
    assert "Status" not in reply and "MFADelete" not in reply
    status, _, body = signed(server, "GET", f"/{bucket}", "versioning")
    assert status == 200
    assert body.endswith(b'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                         b"</VersioningConfiguration>")
    with pytest.raises(ClientError) as missing:
        s3.get_bucket_versioning(Bucket=f"missing-{uuid.uuid4().hex[:8]}")
    assert missing.value.response["Error"]["Code"] == "NoSuchBucket"


@pytest.mark.parametrize(("size", "range_header"), [(0, "bytes=-1"), (10, "bytes=10-"), (10, "bytes=-0")])
def test_unsatisfiable_ranges_say_the_size(s3, server, bucket, size, range_header):
    s3.put_object(Bucket=bucket, Key="k", Body=b"z" * size)
    status, headers, body = signed(server, "GET", f"/{bucket}/k", headers={"Range": range_header})
    assert (status, headers.get("content-range")) == (416, f"bytes */{size}")
    assert b"<Code>InvalidRange</Code>" in body
    with pytest.raises(ClientError) as refused:
        s3.get_object(Bucket=bucket, Key="k", Range=range_header)
    assert refused.value.response["Error"]["Code"] == "InvalidRange"


def test_part_number_beyond_the_parts_says_the_size(s3, server, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"12345")
    status, headers, body = signed(server, "GET", f"/{bucket}/k", "partNumber=2")
    assert (status, headers.get("content-range")) == (416, "bytes */5")
    assert b"<Code>InvalidPartNumber</Code>" in body


def test_url_encoded_listing_uses_percent_20(s3, server, bucket):
    keys = ["a b+c", "dir one/two", "plain"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")
    status, _, body = signed(server, "GET", f"/{bucket}", "encoding-type=url&list-type=2")
    assert status == 200
    assert b"<Key>a%20b%2Bc</Key>" in body and b"<Key>dir%20one/two</Key>" in body and b"+" not in body
    # boto3 asks for encoding-type=url itself and decodes with unquote_plus ...
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == sorted(keys)
    delimited = s3.list_objects(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in delimited["CommonPrefixes"]] == ["dir one/"]
    # ... and a caller who asks for it decodes the names with any percent-decoder.
    listed = s3.list_objects_v2(Bucket=bucket, EncodingType="url")
    assert [unquote(o["Key"]) for o in listed["Contents"]] == sorted(keys)


def test_listen_bucket_notification_is_its_own_operation(server, bucket):
    """`mc watch` (GET ?events=...) is not answered as a listing: it is MinIO's
    ListenBucketNotification, not implemented yet."""
    events = "&".join(f"events={quote(e, safe='')}" for e in ("s3:ObjectCreated:*", "s3:ObjectRemoved:*"))
    status, _, body = signed(server, "GET", f"/{bucket}", f"{events}&prefix=&suffix=")
    assert status == 501
    assert b"<Code>NotImplemented</Code>" in body and b"ListenBucketNotification" in body


def test_refusals_are_logged_with_their_request_id(server, bucket):
    start = server.log.stat().st_size
    status, headers, body = signed(server, "GET", f"/{bucket}", secret="not-the-secret")
    assert (status, b"<Code>SignatureDoesNotMatch</Code>" in body) == (403, True)
    request_id = headers["x-amz-request-id"]
    with server.log.open("rb") as f:
        f.seek(start)
        logged = f.read().decode()
    assert f"refused, SignatureDoesNotMatch (request {request_id})" in logged
    assert "Traceback" not in logged
