"""ACLs, the public access block and object ownership with real clients: boto3 as the root user
and as a second IAM user (made with `mc admin user add`), anonymous HTTP, s3cmd --acl-public."""

from __future__ import annotations

import hashlib
import os
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, BIN, SECRET_KEY, Server, cleanup_bucket

MC = Path(__file__).resolve().parents[2] / "build" / "test-tools" / "bin" / "mc"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
PART = 5 << 20


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def code_of(call: Any, **kw: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kw)
    return str(caught.value.response["Error"]["Code"])


def grants(acl: dict[str, Any]) -> list[tuple[str, str]]:
    """(grantee id or URI, permission) of a Get*Acl answer."""
    return [(g["Grantee"].get("ID") or g["Grantee"]["URI"], g["Permission"]) for g in acl["Grants"]]


@pytest.fixture
def second_user(server: Server, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """An IAM user without any policy (its name, a boto3 client as it), made with mc."""
    if not MC.is_file():
        pytest.skip(f"mc not built at {MC} (tests/install-clients.sh)")
    name, secret = f"acl-user-{uuid.uuid4().hex[:8]}", f"secret-{uuid.uuid4().hex}"
    env = dict(os.environ, MC_CONFIG_DIR=str(tmp_path / "mc"),
               MC_HOST_cairn=f"http://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{server.port}")
    subprocess.run([str(MC), "--json", "admin", "user", "add", "cairn", name, secret], env=env, check=True,
                   capture_output=True, timeout=60)
    client = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=name,
                          aws_secret_access_key=secret, region_name="us-east-1",
                          config=Config(retries={"max_attempts": 1}))
    yield name, client
    subprocess.run([str(MC), "--json", "admin", "user", "remove", "cairn", name], env=env,
                   capture_output=True, timeout=60)


def test_a_public_read_bucket_lists_for_anyone_until_private(server: Server, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    listing = f"{server.endpoint}/{bucket}"
    assert anonymous_get(listing)[0] == 403
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    status, body = anonymous_get(listing)
    assert status == 200 and b"<Key>k</Key>" in body
    assert anonymous_get(f"{listing}/k")[0] == 403  # the bucket's READ is not its objects'
    acl = s3.get_bucket_acl(Bucket=bucket)
    owner = s3.list_buckets()["Owner"]["ID"]
    assert acl["Owner"]["ID"] == owner
    assert grants(acl) == [(owner, "FULL_CONTROL"), (ALL_USERS, "READ")]
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    assert anonymous_get(listing)[0] == 403
    assert grants(s3.get_bucket_acl(Bucket=bucket)) == [(owner, "FULL_CONTROL")]


def test_object_acls_open_one_object(server: Server, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="public", Body=b"for all", ACL="public-read")
    s3.put_object(Bucket=bucket, Key="private", Body=b"mine")
    url = f"{server.endpoint}/{bucket}"
    assert anonymous_get(f"{url}/public") == (200, b"for all")
    assert anonymous_get(f"{url}/private")[0] == 403
    assert anonymous_get(f"{url}/missing")[0] == 403  # nothing learned about what is not there
    owner = s3.list_buckets()["Owner"]["ID"]
    shown = s3.get_object_acl(Bucket=bucket, Key="public")
    assert grants(shown) == [(owner, "FULL_CONTROL"), (ALL_USERS, "READ")]
    s3.put_object_acl(Bucket=bucket, Key="public", ACL="private")
    assert anonymous_get(f"{url}/public")[0] == 403
    everyone = {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}
    s3.put_object_acl(Bucket=bucket, Key="private", AccessControlPolicy={"Owner": {"ID": owner},
                                                                         "Grants": [everyone]})
    assert anonymous_get(f"{url}/private") == (200, b"mine")


def test_copies_and_multipart_uploads_take_the_requests_acl(server: Server, s3: Any, bucket: str) -> None:
    url = f"{server.endpoint}/{bucket}"
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", ACL="public-read")
    s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "src"})
    assert anonymous_get(f"{url}/copy")[0] == 403  # the ACL is not copied
    s3.copy_object(Bucket=bucket, Key="copy2", CopySource={"Bucket": bucket, "Key": "src"}, ACL="public-read")
    assert anonymous_get(f"{url}/copy2")[0] == 200
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big", ACL="public-read")["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"p" * PART)
    s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    status, body = anonymous_get(f"{url}/big")
    assert status == 200 and len(body) == PART


def test_create_bucket_with_a_canned_acl(server: Server, s3: Any) -> None:
    name = f"e2e-acl-{uuid.uuid4().hex[:12]}"
    try:
        s3.create_bucket(Bucket=name, ACL="public-read")
        assert anonymous_get(f"{server.endpoint}/{name}")[0] == 200
    finally:
        cleanup_bucket(s3, name)


def test_grants_to_a_second_user(s3: Any, bucket: str, second_user: tuple[str, Any]) -> None:
    name, client = second_user
    user_id = hashlib.sha256(name.encode()).hexdigest()  # iam/directory.canonical_id
    s3.put_object(Bucket=bucket, Key="shared", Body=b"s")
    s3.put_object(Bucket=bucket, Key="kept", Body=b"k")
    assert code_of(client.get_object, Bucket=bucket, Key="shared") == "AccessDenied"
    s3.put_object_acl(Bucket=bucket, Key="shared", GrantRead=f'id="{user_id}"')
    assert client.get_object(Bucket=bucket, Key="shared")["Body"].read() == b"s"
    assert code_of(client.get_object, Bucket=bucket, Key="kept") == "AccessDenied"
    assert code_of(client.list_objects_v2, Bucket=bucket) == "AccessDenied"
    owner = s3.list_buckets()["Owner"]["ID"]
    s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy={"Owner": {"ID": owner}, "Grants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": owner}, "Permission": "FULL_CONTROL"},
        {"Grantee": {"Type": "CanonicalUser", "ID": user_id}, "Permission": "READ"}]})
    assert [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]] == ["kept", "shared"]
    shown = s3.get_bucket_acl(Bucket=bucket)["Grants"][1]["Grantee"]
    assert shown == {"Type": "CanonicalUser", "ID": user_id, "DisplayName": name}
    # The user's own canonical id, as ListBuckets shows it to the user.
    assert client.list_buckets()["Owner"]["ID"] == user_id


def test_refusals(s3: Any, bucket: str) -> None:
    assert code_of(s3.put_bucket_acl, Bucket=bucket, GrantRead='emailAddress="a@example.com"') == \
        "UnresolvableGrantByEmailAddress"
    assert code_of(s3.put_bucket_acl, Bucket=bucket, GrantRead=f'id="{"0" * 64}"') == "InvalidArgument"
    assert code_of(s3.put_object, Bucket=bucket, Key="k", Body=b"", ACL="private", GrantRead='uri="x"') == \
        "InvalidRequest"
    assert code_of(s3.put_bucket_acl, Bucket=bucket, AccessControlPolicy={
        "Owner": {"ID": "1" * 64}, "Grants": []}) == "AccessDenied"


def test_public_access_block(server: Server, s3: Any, bucket: str) -> None:
    url = f"{server.endpoint}/{bucket}"
    s3.put_object(Bucket=bucket, Key="k", Body=b"v", ACL="public-read")
    assert code_of(s3.get_public_access_block, Bucket=bucket) == "NoSuchPublicAccessBlockConfiguration"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": False, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False}
    assert anonymous_get(f"{url}/k")[0] == 403
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicAcls": True})
    assert anonymous_get(f"{url}/k")[0] == 200  # what is stored stays
    assert code_of(s3.put_object, Bucket=bucket, Key="k2", Body=b"", ACL="public-read") == "AccessDenied"
    assert code_of(s3.put_bucket_acl, Bucket=bucket, ACL="authenticated-read") == "AccessDenied"
    assert code_of(s3.put_object_acl, Bucket=bucket, Key="k", GrantRead=f'uri="{ALL_USERS}"') == \
        "AccessDenied"
    s3.put_object(Bucket=bucket, Key="k3", Body=b"", ACL="private")
    s3.delete_public_access_block(Bucket=bucket)
    assert code_of(s3.get_public_access_block, Bucket=bucket) == "NoSuchPublicAccessBlockConfiguration"


def test_bucket_owner_enforced_disables_acls(server: Server, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"v", ACL="public-read")
    assert code_of(s3.get_bucket_ownership_controls, Bucket=bucket) == "OwnershipControlsNotFoundError"
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"] == {
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert anonymous_get(f"{server.endpoint}/{bucket}/k")[0] == 403
    assert len(s3.get_object_acl(Bucket=bucket, Key="k")["Grants"]) == 1
    with pytest.raises(ClientError) as caught:
        s3.put_object(Bucket=bucket, Key="k2", Body=b"", ACL="public-read")
    answer = caught.value.response
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert answer["Error"]["Code"] == "AccessControlListNotSupported"
    assert answer["Error"]["Message"] == "The bucket does not allow ACLs"
    assert code_of(s3.put_bucket_acl, Bucket=bucket, ACL="private") == "AccessControlListNotSupported"
    s3.put_object(Bucket=bucket, Key="k3", Body=b"", ACL="bucket-owner-full-control")
    assert code_of(s3.put_bucket_ownership_controls, Bucket=bucket, OwnershipControls={
        "Rules": [{"ObjectOwnership": "Nobody"}]}) == "MalformedXML"
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    assert anonymous_get(f"{server.endpoint}/{bucket}/k")[0] == 200


def test_s3cmd_acl_public(server: Server, s3: Any, bucket: str, tmp_path: Path) -> None:
    s3cmd = BIN / "s3cmd"
    if not s3cmd.is_file():
        pytest.skip("s3cmd is not installed")
    config = tmp_path / "s3cfg"
    config.write_text(f"[default]\naccess_key = {ACCESS_KEY}\nsecret_key = {SECRET_KEY}\n"
                      f"host_base = 127.0.0.1:{server.port}\nhost_bucket = 127.0.0.1:{server.port}\n"
                      "bucket_location = us-east-1\nuse_https = False\nmax_retries = 0\n")
    source = tmp_path / "page.html"
    source.write_bytes(b"<p>hello</p>")

    def run(*args: str) -> None:
        subprocess.run([str(s3cmd), "-c", str(config), "--no-progress", *args], check=True,
                       capture_output=True, timeout=120, env=dict(server.env(), HOME=str(tmp_path)))

    run("put", "--acl-public", str(source), f"s3://{bucket}/page.html")
    assert anonymous_get(f"{server.endpoint}/{bucket}/page.html") == (200, b"<p>hello</p>")
    run("setacl", "--acl-private", f"s3://{bucket}/page.html")
    assert anonymous_get(f"{server.endpoint}/{bucket}/page.html")[0] == 403
