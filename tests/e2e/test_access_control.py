"""Access control with real clients: bucket policies (boto3, anonymous HTTP), STS AssumeRole
(boto3's sts client, minio-py), and what an anonymous or narrowed caller must not get."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server
from .mcadmin import NEEDS_MC, Mc

CONFIG = Config(retries={"max_attempts": 1})
ROLE = "arn:aws:iam::123456789012:role/x"  # there are no roles: the session acts as its caller


def anonymous(method: str, url: str, data: bytes | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def public_read(bucket: str) -> str:
    """What `mc anonymous set download` writes."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["*"]},
         "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": [f"arn:aws:s3:::{bucket}"]},
        {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"],
         "Resource": [f"arn:aws:s3:::{bucket}/*"]}]})


def test_bucket_policy_round_trip_and_status(s3, bucket: str) -> None:
    with pytest.raises(ClientError) as info:
        s3.get_bucket_policy(Bucket=bucket)
    assert info.value.response["Error"]["Code"] == "NoSuchBucketPolicy"
    text = public_read(bucket).replace(", ", ",  ")  # stored byte for byte, spacing and all
    s3.put_bucket_policy(Bucket=bucket, Policy=text)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == text
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    s3.delete_bucket_policy(Bucket=bucket)
    with pytest.raises(ClientError):
        s3.get_bucket_policy(Bucket=bucket)


@pytest.mark.parametrize("policy", [
    "not json",
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
    '"Action": "s3:NoSuchAction", "Resource": "arn:aws:s3:::BUCKET/*"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
    '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::another-bucket/*"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::BUCKET/*"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
    '"Resource": "arn:aws:s3:::BUCKET/*", "Condition": {"StringEquals": {"s3:nosuchkey": "x"}}}]}',
    "[" * 100_000,
    '{"Version": "2012-10-17", "Statement": [' + ",".join(
        ['{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
         '"Resource": "arn:aws:s3:::BUCKET/*"}'] * 300) + "]}",
])
def test_malformed_policies_are_refused_and_change_nothing(s3, bucket: str, policy: str) -> None:
    with pytest.raises(ClientError) as info:
        s3.put_bucket_policy(Bucket=bucket, Policy=policy.replace("BUCKET", bucket))
    assert info.value.response["Error"]["Code"] == "MalformedPolicy"
    with pytest.raises(ClientError) as missing:
        s3.get_bucket_policy(Bucket=bucket)
    assert missing.value.response["Error"]["Code"] == "NoSuchBucketPolicy"


def test_anonymous_access_follows_the_bucket_policy(server: Server, s3, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="pub/a.txt", Body=b"hello")
    url = f"{server.endpoint}/{bucket}/pub/a.txt"
    status, body = anonymous("GET", url)
    assert status == 403 and b"<Code>AccessDenied</Code>" in body
    # a private object that does not exist is AccessDenied too: no existence leak
    assert anonymous("GET", f"{server.endpoint}/{bucket}/nope")[0] == 403
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    assert anonymous("GET", url) == (200, b"hello")
    status, body = anonymous("GET", f"{server.endpoint}/{bucket}?list-type=2")
    assert status == 200 and b"<Key>pub/a.txt</Key>" in body
    assert anonymous("PUT", f"{server.endpoint}/{bucket}/x", b"data")[0] == 403
    assert anonymous("DELETE", url)[0] == 403
    assert anonymous("GET", f"{server.endpoint}/")[0] == 403  # ListBuckets is never anonymous
    # a Deny for everyone on a prefix beats the Allow, for the root user too
    deny = json.loads(public_read(bucket))
    deny["Statement"].append({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                              "Resource": f"arn:aws:s3:::{bucket}/pub/*"})
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(deny))
    assert anonymous("GET", url)[0] == 403
    with pytest.raises(ClientError) as info:
        s3.get_object(Bucket=bucket, Key="pub/a.txt")
    assert info.value.response["Error"]["Code"] == "AccessDenied"
    s3.delete_bucket_policy(Bucket=bucket)
    assert anonymous("GET", url)[0] == 403


def test_anonymous_upload_with_a_write_policy(server: Server, s3, bucket: str) -> None:
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{bucket}/drop/*"}]}))
    assert anonymous("PUT", f"{server.endpoint}/{bucket}/drop/f", b"payload")[0] == 200
    assert anonymous("PUT", f"{server.endpoint}/{bucket}/elsewhere", b"payload")[0] == 403
    assert s3.get_object(Bucket=bucket, Key="drop/f")["Body"].read() == b"payload"


def sts_client(server: Server, key: str = ACCESS_KEY, secret: str = SECRET_KEY,  # type: ignore[no-untyped-def]
               token: str | None = None):
    return boto3.client("sts", endpoint_url=server.endpoint, aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token, region_name="us-east-1",
                        config=CONFIG)


def s3_with(server: Server, creds: dict[str, str]):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"],
                        region_name="us-east-1", config=CONFIG)


def test_assume_role_with_a_session_policy_narrows(server: Server, s3, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="read/a", Body=b"a")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [f"arn:aws:s3:::{bucket}/read/*"]}]})
    creds = sts_client(server).assume_role(RoleArn=ROLE, RoleSessionName="session",
                                           DurationSeconds=900, Policy=policy)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    temp = s3_with(server, creds)
    assert temp.get_object(Bucket=bucket, Key="read/a")["Body"].read() == b"a"
    for call in (lambda: temp.put_object(Bucket=bucket, Key="read/b", Body=b"b"),
                 lambda: temp.list_objects_v2(Bucket=bucket),
                 lambda: temp.delete_object(Bucket=bucket, Key="read/a")):
        with pytest.raises(ClientError) as info:
            call()
        assert info.value.response["Error"]["Code"] == "AccessDenied"
    # a session made from the session cannot widen it again
    wider = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    inner = sts_client(server, creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    creds2 = inner.assume_role(RoleArn=ROLE, RoleSessionName="inner",
                               Policy=wider)["Credentials"]
    with pytest.raises(ClientError):
        s3_with(server, creds2).put_object(Bucket=bucket, Key="read/c", Body=b"c")
    assert s3_with(server, creds2).get_object(Bucket=bucket, Key="read/a")["Body"].read() == b"a"


def test_tampered_missing_or_expired_tokens_are_refused(server: Server, s3, bucket: str) -> None:
    creds = sts_client(server).assume_role(RoleArn=ROLE,
                                           RoleSessionName="session")["Credentials"]
    token = creds["SessionToken"]
    body, _, sig = token.partition(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + sig
    for bad in (tampered, token[:-4], "x"):
        with pytest.raises(ClientError) as info:
            s3_with(server, {**creds, "SessionToken": bad}).list_buckets()
        assert info.value.response["Error"]["Code"] == "InvalidToken"
    no_token = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=creds["AccessKeyId"],
                            aws_secret_access_key=creds["SecretAccessKey"], region_name="us-east-1",
                            config=CONFIG)
    with pytest.raises(ClientError) as info:
        no_token.list_buckets()
    assert info.value.response["Error"]["Code"] == "InvalidToken"
    assert [b["Name"] for b in s3_with(server, creds).list_buckets()["Buckets"]].count(bucket) == 1


def test_sts_refusals(server: Server) -> None:
    sts = boto3.client("sts", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                       aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                       config=Config(retries={"max_attempts": 1}, parameter_validation=False))
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="session", DurationSeconds=60)
    assert info.value.response["Error"]["Code"] == "ValidationError"
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="session", Policy="{bad")
    assert info.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    wrong = sts_client(server, ACCESS_KEY, "not-the-secret")
    with pytest.raises(ClientError) as info:
        wrong.assume_role(RoleArn=ROLE, RoleSessionName="session")
    assert info.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_minio_py_with_assumed_role_credentials(server: Server, s3, bucket: str) -> None:
    from minio import Minio
    from minio.credentials import AssumeRoleProvider

    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    provider = AssumeRoleProvider(sts_endpoint=server.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                                  duration_seconds=900)
    client = Minio(f"127.0.0.1:{server.port}", credentials=provider, secure=False)
    response = client.get_object(bucket, "k")
    try:
        assert response.read() == b"v"
    finally:
        response.close()
        response.release_conn()
    name = f"e2e-{uuid.uuid4().hex[:12]}"
    client.make_bucket(name)
    assert client.bucket_exists(name)
    client.remove_bucket(name)
    assert time.time() < provider.retrieve().expiration.timestamp()


@NEEDS_MC
def test_mc_anonymous(server: Server, mc_admin: Mc, s3, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="a", Body=b"A")
    url = f"{server.endpoint}/{bucket}/a"
    assert anonymous("GET", url)[0] == 403
    mc_admin("anonymous", "set", "download", f"cairn/{bucket}")
    assert anonymous("GET", url) == (200, b"A")
    assert mc_admin.one("anonymous", "get", f"cairn/{bucket}")["permission"] == "download"
    assert anonymous("PUT", f"{server.endpoint}/{bucket}/b", b"B")[0] == 403
    mc_admin("anonymous", "set", "upload", f"cairn/{bucket}")
    assert anonymous("PUT", f"{server.endpoint}/{bucket}/b", b"B")[0] == 200
    assert anonymous("GET", url)[0] == 403
    mc_admin("anonymous", "set", "public", f"cairn/{bucket}")
    assert mc_admin.one("anonymous", "get", f"cairn/{bucket}")["permission"] == "public"
    assert anonymous("GET", f"{server.endpoint}/{bucket}/b") == (200, b"B")
    mc_admin("anonymous", "set", "none", f"cairn/{bucket}")
    assert anonymous("GET", url)[0] == 403
    assert mc_admin.one("anonymous", "get", f"cairn/{bucket}")["permission"] == "private"


def test_existing_object_tags_in_conditions(server: Server, s3, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="open", Body=b"o", Tagging="public=yes")
    s3.put_object(Bucket=bucket, Key="shut", Body=b"s", Tagging="public=no")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*",
         "Condition": {"StringEquals": {"s3:ExistingObjectTag/public": "yes"}}}]}))
    assert anonymous("GET", f"{server.endpoint}/{bucket}/open") == (200, b"o")
    assert anonymous("GET", f"{server.endpoint}/{bucket}/shut")[0] == 403
    assert anonymous("GET", f"{server.endpoint}/{bucket}/absent")[0] == 403
    s3.put_object_tagging(Bucket=bucket, Key="shut", Tagging={"TagSet": [{"Key": "public", "Value": "yes"}]})
    assert anonymous("GET", f"{server.endpoint}/{bucket}/shut") == (200, b"s")


def test_an_expired_session_token_is_refused(server: Server) -> None:
    """A token the server itself signed, made to have expired (tokens are checked statelessly: any
    holder of the root credentials can mint one, as the server does)."""
    from cairn.server.iam.sts import TokenService

    issued = TokenService(ACCESS_KEY, SECRET_KEY).issue(ACCESS_KEY, (), int(time.time()) - 1000, 900)
    creds = {"AccessKeyId": issued.access_key, "SecretAccessKey": issued.secret_key,
             "SessionToken": issued.token}
    with pytest.raises(ClientError) as info:
        s3_with(server, creds).list_buckets()
    assert info.value.response["Error"]["Code"] == "ExpiredToken"
    fresh = TokenService(ACCESS_KEY, SECRET_KEY).issue(ACCESS_KEY, (), int(time.time()), 900)
    s3_with(server, {"AccessKeyId": fresh.access_key, "SecretAccessKey": fresh.secret_key,
                     "SessionToken": fresh.token}).list_buckets()
