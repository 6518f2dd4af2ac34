"""Lifecycle transitions to a remote tier, end to end: two Cairn servers on 127.0.0.1, the second
the first's tier (`mc admin tier add minio`), a lifecycle day of two seconds.  Objects of every
shape (inline, several blocks, multipart, a noncurrent version) are moved by the scanner; then the
first server's drives no longer hold their bytes, the tier does, reads through the first server are
byte-identical (whole, ranged, by part, conditional), HEAD and listings name the tier as storage
class, deletes remove the remote copies, and a stopped tier makes GET fail with a 5xx S3 error
while HEAD still answers."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process
from .mcadmin import NEEDS_MC, Mc, McError

pytestmark = NEEDS_MC

DAY = 2.0  # seconds: CAIRN_LIFECYCLE_DAY_SECONDS of the first server
PART = 5 << 20  # the first server's CAIRN_TIER_PART_SIZE: larger objects go to the tier in parts
TIER = "WARM"
REMOTE_BUCKET = "tier-bucket"
PREFIX = "hot-cluster"


def client(server: Server, timeout: float = 30) -> Any:
    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}, read_timeout=timeout,
                                      connect_timeout=timeout))


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    root: Path = tmp_path_factory.mktemp("tier")
    (root / "remote").mkdir()
    (root / "local").mkdir()
    remote = start_server(root / "remote", drives=1)
    local = start_server(root / "local", drives=4, extra=("--scanner-interval", "0.5s"),
                         env_extra={"CAIRN_LIFECYCLE_DAY_SECONDS": str(DAY),
                                    "CAIRN_TIER_PART_SIZE": str(PART)})
    yield local, remote
    for srv in (local, remote):
        stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


def wait_for(check: Callable[[], bool], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return check()


def body(mark: bytes, size: int) -> bytes:
    """`size` bytes: random, with `mark` at the start, middle and end (found in any shard)."""
    data = bytearray(os.urandom(size))
    for at in (0, size // 2, size - len(mark)):
        data[at:at + len(mark)] = mark
    return bytes(data)


def holding(drives: list[Path], needle: bytes) -> list[str]:
    """Where on the drives `needle` is: any file but the metadata databases, and any row those
    hold (a database's free pages may keep old bytes until reused; its rows are what Cairn has)."""
    found: list[str] = []
    for drive in drives:
        for path in drive.rglob("*"):
            if not path.is_file():
                continue
            if path.suffix == ".db" or path.name.endswith((".db-wal", ".db-shm")):
                if path.suffix == ".db":
                    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                        rows = db.execute("SELECT k, v FROM kv")
                        found += [f"{path}:{k!r}" for k, v in rows if needle in v]
            elif needle in path.read_bytes():
                found.append(str(path))
    return found


def remote_objects(remote_s3: Any) -> dict[str, int]:
    page = remote_s3.list_objects_v2(Bucket=REMOTE_BUCKET)
    return {o["Key"]: o["Size"] for o in page.get("Contents", [])}


def test_tier_commands(servers: tuple[Server, Server], tmp_path: Path) -> None:
    local, remote = servers
    client(remote).create_bucket(Bucket=REMOTE_BUCKET)
    mc = Mc(local, tmp_path / "mc")
    args = ("--endpoint", remote.endpoint, "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
            "--bucket", REMOTE_BUCKET, "--prefix", PREFIX)
    assert mc.refused("admin", "tier", "add", "minio", "cairn", "COLD", *args[:-4], "--bucket", "nowhere") \
        .code == "XMinioAdminTierBucketNotFound"
    mc("admin", "tier", "add", "minio", "cairn", TIER.lower(), *args)  # mc sends names uppercase
    again = mc.refused("admin", "tier", "add", "minio", "cairn", TIER, *args)
    assert again.code == "XMinioAdminTierAlreadyExists"
    listed = mc("admin", "tier", "ls", "cairn")
    text = repr(listed)
    assert TIER in text and REMOTE_BUCKET in text and SECRET_KEY not in text
    info = mc("admin", "tier", "info", "cairn")  # with --json, mc takes no tier name here
    assert TIER in repr(info)
    # new credentials are checked against the tier before they are kept
    wrong = mc.refused("admin", "tier", "edit", "cairn", TIER, "--access-key", ACCESS_KEY,
                       "--secret-key", "nope")
    assert wrong.code == "XMinioAdminTierInvalidCredentials"
    mc("admin", "tier", "edit", "cairn", TIER, "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY)
    # an unused tier goes; the other stays
    mc("admin", "tier", "add", "s3", "cairn", "COLD", *args[:-2], "--prefix", "cold", "--region", "us-east-1")
    assert "COLD" in repr(mc("admin", "tier", "ls", "cairn"))
    mc("admin", "tier", "rm", "cairn", "COLD")
    listed = mc("admin", "tier", "ls", "cairn")
    assert "COLD" not in repr(listed) and TIER in repr(listed)


def test_transition_read_through_and_delete(servers: tuple[Server, Server], tmp_path: Path) -> None:
    local, remote = servers
    s3, remote_s3 = client(local), client(remote)
    bucket = "hot"
    s3.create_bucket(Bucket=bucket)

    # an unknown storage class is refused, naming the tiers there are
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "glacier", "Filter": {}, "Status": "Enabled",
             "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}]}]})
    assert caught.value.response["Error"]["Code"] == "InvalidStorageClass"
    assert TIER in caught.value.response["Error"]["Message"]

    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    data = {
        "small": body(b"MARK-SMALL-0001", 3000),
        "blocks": body(b"MARK-BLOCKS-002", 3 * (1 << 20) + 12345),
        "ver": body(b"MARK-VER-NEW-03", 5000),
    }
    old_ver = body(b"MARK-VER-OLD-04", 200_000)
    noncurrent = s3.put_object(Bucket=bucket, Key="ver", Body=old_ver)["VersionId"]
    for key, value in data.items():
        s3.put_object(Bucket=bucket, Key=key, Body=value)
    parts = [body(b"MARK-PART-1-005", PART), body(b"MARK-PART-2-006", PART),
             body(b"MARK-PART-3-007", 1 << 20)]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="multi")["UploadId"]
    done = [{"PartNumber": n, "ETag": s3.upload_part(Bucket=bucket, Key="multi", UploadId=upload,
                                                     PartNumber=n, Body=p)["ETag"]}
            for n, p in enumerate(parts, 1)]
    s3.complete_multipart_upload(Bucket=bucket, Key="multi", UploadId=upload, MultipartUpload={"Parts": done})
    data["multi"] = b"".join(parts)
    before = {key: s3.head_object(Bucket=bucket, Key=key) for key in data}
    marks = [b"MARK-SMALL-0001", b"MARK-BLOCKS-002", b"MARK-VER-NEW-03", b"MARK-VER-OLD-04",
             b"MARK-PART-1-005", b"MARK-PART-2-006", b"MARK-PART-3-007"]
    assert all(holding(local.drives, m) for m in marks)

    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "to-warm", "Filter": {}, "Status": "Enabled",
         "Transitions": [{"Days": 1, "StorageClass": TIER}],
         "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": TIER}]}]})
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert rules[0]["Transitions"] == [{"Days": 1, "StorageClass": TIER}]
    assert rules[0]["NoncurrentVersionTransitions"] == [{"NoncurrentDays": 1, "StorageClass": TIER}]

    def moved() -> bool:
        heads = [s3.head_object(Bucket=bucket, Key=key) for key in data]
        heads.append(s3.head_object(Bucket=bucket, Key="ver", VersionId=noncurrent))
        return all(h.get("StorageClass") == TIER for h in heads)

    assert wait_for(moved), "the versions were not transitioned in time"

    # the tier holds them (one object each, under the prefix), the local drives do not
    stored = remote_objects(remote_s3)
    assert len(stored) == 5 and all(k.startswith(PREFIX + "/") for k in stored)
    assert sorted(stored.values()) == sorted([*(len(v) for v in data.values()), len(old_ver)])
    assert wait_for(lambda: not any(holding(local.drives, m) for m in marks), 30), \
        {m: holding(local.drives, m) for m in marks}
    remote_bytes = {remote_s3.get_object(Bucket=REMOTE_BUCKET, Key=k)["Body"].read() for k in stored}
    assert remote_bytes == {*data.values(), old_ver}

    # HEAD answers exactly as before, with the tier as storage class; listings show it too
    for key in data:
        head = s3.head_object(Bucket=bucket, Key=key)
        for field in ("ETag", "ContentLength", "LastModified", "VersionId", "ContentType"):
            assert head[field] == before[key][field], (key, field)
        assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-storage-class"] == TIER
    listed = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert listed == {key: TIER for key in data}
    versions = {(v["Key"], v["VersionId"]): v["StorageClass"]
                for v in s3.list_object_versions(Bucket=bucket)["Versions"]}
    assert set(versions.values()) == {TIER} and (("ver", noncurrent) in versions) and len(versions) == 5
    attributes = s3.get_object_attributes(Bucket=bucket, Key="multi",
                                          ObjectAttributes=["StorageClass", "ETag"])
    assert attributes["StorageClass"] == TIER and attributes["ETag"] == before["multi"]["ETag"].strip('"')
    with pytest.raises(ClientError) as caught:  # read through: nothing to restore
        s3.restore_object(Bucket=bucket, Key="blocks", RestoreRequest={"Days": 1})
    assert caught.value.response["Error"]["Code"] == "InvalidObjectState"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    # reads go through to the tier: whole, ranged, by part, conditional
    for key, value in data.items():
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == value, key
        got = s3.get_object(Bucket=bucket, Key=key, Range="bytes=100-2099")
        assert got["Body"].read() == value[100:2100] and got["ContentRange"] == f"bytes 100-2099/{len(value)}"
    tail = s3.get_object(Bucket=bucket, Key="blocks", Range="bytes=-70000")["Body"].read()
    assert tail == data["blocks"][-70000:]
    assert s3.get_object(Bucket=bucket, Key="ver", VersionId=noncurrent)["Body"].read() == old_ver
    second = s3.get_object(Bucket=bucket, Key="multi", PartNumber=2)
    assert second["Body"].read() == parts[1] and second["PartsCount"] == 3
    etag = before["small"]["ETag"]
    with pytest.raises(ClientError) as caught:
        s3.get_object(Bucket=bucket, Key="small", IfNoneMatch=etag)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as caught:
        s3.get_object(Bucket=bucket, Key="small", IfMatch='"0123"')
    assert caught.value.response["Error"]["Code"] == "PreconditionFailed"
    s3.create_bucket(Bucket="elsewhere")  # no lifecycle there: the copy stays
    copied = s3.copy_object(Bucket="elsewhere", Key="copy", CopySource={"Bucket": bucket, "Key": "blocks"})
    assert copied["CopyObjectResult"]["ETag"] == before["blocks"]["ETag"]
    assert "StorageClass" not in s3.head_object(Bucket="elsewhere", Key="copy")
    assert s3.get_object(Bucket="elsewhere", Key="copy")["Body"].read() == data["blocks"]

    # deleting a version deletes its remote copy; a delete marker keeps it
    s3.delete_object(Bucket=bucket, Key="ver", VersionId=noncurrent)
    assert wait_for(lambda: len(remote_objects(remote_s3)) == 4, 30)
    s3.delete_object(Bucket=bucket, Key="small")  # a delete marker: the version and its data stay
    time.sleep(2 * DAY)
    assert len(remote_objects(remote_s3)) == 4
    small_version = before["small"]["VersionId"]
    assert s3.get_object(Bucket=bucket, Key="small", VersionId=small_version)["Body"].read() == data["small"]
    s3.delete_object(Bucket=bucket, Key="small", VersionId=small_version)
    assert wait_for(lambda: len(remote_objects(remote_s3)) == 3, 30)
    left = sorted(remote_objects(remote_s3).values())
    assert left == sorted(len(data[k]) for k in ("blocks", "ver", "multi"))


def test_stopped_tier(servers: tuple[Server, Server], tmp_path: Path) -> None:
    """Last: stops the tier.  GET fails with a 5xx S3 error, soon; HEAD answers from the stub; the
    tier cannot be removed while versions live there."""
    local, remote = servers
    s3 = client(local, timeout=60)
    bucket = "hot"
    assert s3.head_object(Bucket=bucket, Key="blocks")["StorageClass"] == TIER
    stop_server_process(remote.process)
    started = time.monotonic()
    with pytest.raises(ClientError) as caught:
        s3.get_object(Bucket=bucket, Key="blocks")
    assert time.monotonic() - started < 30
    # an S3 error document (not a cut connection), 503 as for a quorum lost: worth retrying later
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert "remote tier" in caught.value.response["Error"]["Message"]
    head = s3.head_object(Bucket=bucket, Key="blocks")
    assert head["StorageClass"] == TIER and head["ContentLength"] == 3 * (1 << 20) + 12345
    mc = Mc(local, tmp_path / "mc")
    refused = mc.refused("admin", "tier", "rm", "cairn", TIER)
    assert refused.code == "XMinioAdminTierBackendNotEmpty"
    assert TIER in repr(mc("admin", "tier", "ls", "cairn"))
    with pytest.raises(McError):
        mc("admin", "tier", "rm", "cairn", "NOSUCH")
