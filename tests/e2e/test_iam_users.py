"""IAM users as AWS separates them: an owner's private bucket is closed to a second user, a bucket
policy can open it to that user by name, presigned URLs carry their signer's permissions, and an
access key's policy narrows its user (users made with `mc admin`, used with boto3)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process
from .mcadmin import NEEDS_MC, Mc, error_code, s3_as

pytestmark = NEEDS_MC

CREATE_ONLY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:CreateBucket", "s3:ListAllMyBuckets"], "Resource": "arn:aws:s3:::*"}]})


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def make_user(mc: Mc, cleanup: list[tuple[str, str]], name: str, policy: str | None) -> None:
    mc("admin", "user", "add", "cairn", name, f"{name}-secret-key")
    cleanup.append(("user", name))
    if policy:
        mc("admin", "policy", "attach", "cairn", policy, "--user", name)


def test_owners_private_buckets_and_named_grants(server: Server, mc_admin: Mc, admin_cleanup: Any,
                                                 suffix: str, tmp_path: Any) -> None:
    mc, cleanup = mc_admin, admin_cleanup
    path = tmp_path / "create-only.json"
    path.write_text(CREATE_ONLY)
    mc("admin", "policy", "create", "cairn", f"create-{suffix}", str(path))
    cleanup.append(("policy", f"create-{suffix}"))
    alice, bob = f"alice-{suffix}", f"bob-{suffix}"
    make_user(mc, cleanup, alice, f"create-{suffix}")
    make_user(mc, cleanup, bob, f"create-{suffix}")
    as_alice, as_bob = s3_as(server, alice, f"{alice}-secret-key"), s3_as(server, bob, f"{bob}-secret-key")
    bucket = f"priv-{suffix}"
    as_alice.create_bucket(Bucket=bucket)
    cleanup.append(("bucket", bucket))
    as_alice.put_object(Bucket=bucket, Key="doc", Body=b"alice's")  # the owner's own grant
    assert as_alice.get_object(Bucket=bucket, Key="doc")["Body"].read() == b"alice's"
    owner = as_alice.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"][0]["Owner"]
    assert owner["ID"] == as_alice.list_buckets()["Owner"]["ID"] and owner["DisplayName"] == alice
    for call in (lambda: as_bob.get_object(Bucket=bucket, Key="doc"),
                 lambda: as_bob.get_object(Bucket=bucket, Key="absent"),
                 lambda: as_bob.list_objects_v2(Bucket=bucket),
                 lambda: as_bob.put_object(Bucket=bucket, Key="x", Body=b"x"),
                 lambda: as_bob.delete_object(Bucket=bucket, Key="doc"),
                 lambda: as_bob.put_bucket_policy(Bucket=bucket, Policy="{}")):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == "AccessDenied"
    assert bucket in [b["Name"] for b in as_bob.list_buckets()["Buckets"]]  # s3:ListAllMyBuckets: all
    # presigned URLs carry the signer's permissions
    by_alice = as_alice.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "doc"})
    by_bob = as_bob.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "doc"})
    assert (fetch(by_alice), fetch(by_bob)) == (200, 403)
    # the owner opens a prefix to bob by name; a Deny keeps one key closed
    as_root = s3_as(server, ACCESS_KEY, SECRET_KEY)
    as_root.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam:::user/{bob}"]}, "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/closed"}]}))
    as_alice.put_object(Bucket=bucket, Key="closed", Body=b"no")
    assert as_bob.get_object(Bucket=bucket, Key="doc")["Body"].read() == b"alice's"
    assert fetch(by_bob) == 200
    with pytest.raises(ClientError):
        as_bob.get_object(Bucket=bucket, Key="closed")
    with pytest.raises(ClientError):
        as_alice.get_object(Bucket=bucket, Key="closed")  # the owner too: an explicit Deny
    with pytest.raises(ClientError):
        as_bob.put_object(Bucket=bucket, Key="doc", Body=b"bob's")


def test_a_disabled_user_and_a_removed_policy_stop_at_once(server: Server, mc_admin: Mc,
                                                          admin_cleanup: Any, suffix: str) -> None:
    mc, cleanup = mc_admin, admin_cleanup
    carol = f"carol-{suffix}"
    make_user(mc, cleanup, carol, "readwrite")
    as_carol = s3_as(server, carol, f"{carol}-secret-key")
    bucket = f"rw-{suffix}"
    as_carol.create_bucket(Bucket=bucket)
    cleanup.append(("bucket", bucket))
    mc("admin", "policy", "detach", "cairn", "readwrite", "--user", carol)
    as_carol.put_object(Bucket=bucket, Key="still-mine", Body=b"x")  # the owner's grant remains
    root = s3_as(server, ACCESS_KEY, SECRET_KEY)
    root.create_bucket(Bucket=f"{bucket}-r")
    cleanup.append(("bucket", f"{bucket}-r"))
    with pytest.raises(ClientError) as info:
        as_carol.put_object(Bucket=f"{bucket}-r", Key="k", Body=b"x")
    assert error_code(info.value) == "AccessDenied"
    mc("admin", "user", "disable", "cairn", carol)
    with pytest.raises(ClientError) as info:
        as_carol.list_objects_v2(Bucket=bucket)
    assert error_code(info.value) == "InvalidAccessKeyId"


def test_every_worker_sees_a_change_at_once(tmp_path: Any) -> None:
    """Two worker processes: a user added, then disabled, through one is seen by both at the
    next request (each request on a new connection, so both workers serve some)."""
    server = start_server(tmp_path, drives=1, workers=2)
    try:
        mc = Mc(server, tmp_path / "mc")
        mc("admin", "user", "add", "cairn", "eve", "eve-secret-key")
        mc("admin", "policy", "attach", "cairn", "readwrite", "--user", "eve")
        for _ in range(20):
            assert s3_as(server, "eve", "eve-secret-key").list_buckets()["Buckets"] == []
        mc("admin", "user", "disable", "cairn", "eve")
        for _ in range(20):
            with pytest.raises(ClientError) as info:
                s3_as(server, "eve", "eve-secret-key").list_buckets()
            assert error_code(info.value) == "InvalidAccessKeyId"
    finally:
        stop_server_process(server.process)
