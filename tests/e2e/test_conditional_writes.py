"""Conditional writes and retry-safe multipart completion, raced for real: 32 boto3 requests at
once against a server with two worker processes (so the racers are in different processes), on
one drive and on four.

- If-None-Match: * PUTs of one new key: exactly one 200, the rest 412, the object the winner's.
- If-Match PUTs over one ETag: exactly one 200, the rest 412.
- DeleteObject If-Match: one 204, the rest 404 NoSuchKey (the object is gone for them).
- CopyObject's destination conditions, DeleteObjects' per-object ETag.
- CompleteMultipartUpload sent again after the connection died (or the answer was lost): 200 with
  the same ETag, the object intact; parts raced on one number: the last one wins, and Complete
  takes it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process
from .test_hostile import Conn, sign

RACERS = 32
PART = 5 << 20


@pytest.fixture(scope="module", params=[1, 4], ids=["1drive", "4drives"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp(f"cairn-conditional-{request.param}")
    srv = start_server(root, drives=request.param, workers=2)
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def s3(server: Server):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, max_pool_connections=RACERS, read_timeout=60),
    )


@pytest.fixture
def bucket(s3) -> str:  # type: ignore[no-untyped-def]
    name = f"cond-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def race(calls: list[Callable[[], Any]]) -> list[tuple[int, Any]]:
    """Run the calls at once (released together by a barrier): (HTTP status, result or error code)."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> tuple[int, Any]:
        gate.wait()
        try:
            result = call()
        except ClientError as exc:
            return exc.response["ResponseMetadata"]["HTTPStatusCode"], exc.response["Error"]["Code"]
        return result["ResponseMetadata"]["HTTPStatusCode"], result

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def bodies(n: int, size: int = 3000) -> list[bytes]:
    return [f"racer {i:02d} ".encode() + os.urandom(size) for i in range(n)]


def statuses(results: list[tuple[int, Any]]) -> list[int]:
    return sorted(status for status, _ in results)


def test_if_none_match_creates_once(s3, bucket) -> None:
    racers = bodies(RACERS)
    results = race([lambda b=b: s3.put_object(Bucket=bucket, Key="k", Body=b, IfNoneMatch="*")
                    for b in racers])
    assert statuses(results) == [200] + [412] * (RACERS - 1), results
    assert {r for s, r in results if s == 412} == {"PreconditionFailed"}
    [winner] = [i for i, (status, _) in enumerate(results) if status == 200]
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["Body"].read() == racers[winner]
    assert got["ETag"] == results[winner][1]["ETag"]


def test_if_match_updates_once(s3, bucket) -> None:
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"first")["ETag"]
    racers = bodies(RACERS)
    results = race([lambda b=b: s3.put_object(Bucket=bucket, Key="k", Body=b, IfMatch=etag) for b in racers])
    assert statuses(results) == [200] + [412] * (RACERS - 1), results
    [winner] = [i for i, (status, _) in enumerate(results) if status == 200]
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == racers[winner]
    # The ETag they all matched is gone now; a key without an object has nothing to match.
    with pytest.raises(ClientError) as info:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", IfMatch=etag)
    assert info.value.response["Error"]["Code"] == "PreconditionFailed"
    with pytest.raises(ClientError) as info:
        s3.put_object(Bucket=bucket, Key="absent", Body=b"x", IfMatch=etag)
    assert info.value.response["Error"]["Code"] == "NoSuchKey"


def test_conditional_creates_of_many_keys_all_land(s3, bucket) -> None:
    racers = bodies(RACERS)
    results = race([lambda i=i, b=b: s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b, IfNoneMatch="*")
                    for i, b in enumerate(racers)])
    assert statuses(results) == [200] * RACERS, results
    for i, body in enumerate(racers):
        assert s3.get_object(Bucket=bucket, Key=f"k{i}")["Body"].read() == body


def test_if_match_deletes_once(s3, bucket) -> None:
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"doomed")["ETag"]
    results = race([lambda: s3.delete_object(Bucket=bucket, Key="k", IfMatch=etag)] * RACERS)
    assert statuses(results) == [204] + [404] * (RACERS - 1), results
    assert {r for s, r in results if s == 404} == {"NoSuchKey"}
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_delete_if_match_refuses_another_etag(s3, bucket) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"kept")
    with pytest.raises(ClientError) as info:
        s3.delete_object(Bucket=bucket, Key="k", IfMatch='"0123456789abcdef0123456789abcdef"')
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"kept"
    s3.delete_object(Bucket=bucket, Key="k", IfMatch="*")
    with pytest.raises(ClientError) as info:
        s3.head_object(Bucket=bucket, Key="k")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_delete_objects_checks_each_etag(s3, bucket) -> None:
    etags = {k: s3.put_object(Bucket=bucket, Key=k, Body=k.encode())["ETag"] for k in ("a", "b", "c")}
    reply = s3.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": "a", "ETag": etags["a"]},
        {"Key": "b", "ETag": etags["a"]},  # not b's
        {"Key": "c"},
    ]})
    assert sorted(d["Key"] for d in reply.get("Deleted", [])) == ["a", "c"]
    assert [(e["Key"], e["Code"]) for e in reply["Errors"]] == [("b", "PreconditionFailed")]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["b"]


def test_copy_object_destination_conditions(s3, bucket) -> None:
    s3.put_object(Bucket=bucket, Key="src", Body=b"source")
    old = s3.put_object(Bucket=bucket, Key="dst", Body=b"old")["ETag"]
    source = {"Bucket": bucket, "Key": "src"}
    with pytest.raises(ClientError) as info:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, IfNoneMatch="*")
    assert info.value.response["Error"]["Code"] == "PreconditionFailed"
    with pytest.raises(ClientError) as info:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, IfMatch=f'"{"f" * 32}"')
    assert info.value.response["Error"]["Code"] == "PreconditionFailed"
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"old"
    s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, IfMatch=old)
    s3.copy_object(Bucket=bucket, Key="new", CopySource=source, IfNoneMatch="*")
    for key in ("dst", "new"):
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"source"


def upload_parts(s3, bucket: str, key: str, parts: list[bytes]) -> tuple[str, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    done = [{"PartNumber": n, "ETag": s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=n,
                                                    Body=data)["ETag"]}
            for n, data in enumerate(parts, 1)]
    return upload, done


def complete_xml(parts: list[dict[str, Any]]) -> bytes:
    inner = "".join(f"<Part><PartNumber>{p['PartNumber']}</PartNumber><ETag>{p['ETag']}</ETag></Part>"
                    for p in parts)
    return f"<CompleteMultipartUpload>{inner}</CompleteMultipartUpload>".encode()


def multipart_etag(parts: list[bytes]) -> str:
    return f'"{hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()}-{len(parts)}"'


def test_complete_retried_after_the_answer_was_lost(s3, server, bucket) -> None:
    """The client sends Complete and its connection dies before the answer: the SDK sends it
    again, and gets the object the first request made."""
    data = [os.urandom(PART), os.urandom(PART), b"tail"]
    upload, parts = upload_parts(s3, bucket, "mp", data)
    request = sign(server.port, "POST", f"/{bucket}/mp", query=f"uploadId={upload}", body=complete_xml(parts))
    with Conn(server.port) as conn:
        conn.send(request.raw())  # and hang up without reading the answer
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the first Complete finishes on its own
        try:
            s3.head_object(Bucket=bucket, Key="mp")
            break
        except ClientError:
            time.sleep(0.05)
    for _ in range(2):
        again = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                             MultipartUpload={"Parts": parts})
        assert again["ETag"] == multipart_etag(data)
    got = s3.get_object(Bucket=bucket, Key="mp")
    assert got["ETag"] == multipart_etag(data)
    assert got["Body"].read() == b"".join(data)
    # The upload is over for every other request: no parts to list, nothing to abort.
    with pytest.raises(ClientError) as info:
        s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload)
    assert info.value.response["Error"]["Code"] == "NoSuchUpload"
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_complete_raced_with_itself(s3, bucket) -> None:
    data = [os.urandom(PART), b"end"]
    upload, parts = upload_parts(s3, bucket, "mp", data)
    results = race([lambda: s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                                         MultipartUpload={"Parts": parts})] * 8)
    assert [status for status, _ in results] == [200] * 8, results
    assert {r["ETag"] for _, r in results} == {multipart_etag(data)}
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"".join(data)


def test_complete_with_other_parts_after_completion_is_refused(s3, bucket) -> None:
    data = [os.urandom(PART), b"end"]
    upload, parts = upload_parts(s3, bucket, "mp", data)
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": parts})
    with pytest.raises(ClientError) as info:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                     MultipartUpload={"Parts": parts[:1]})
    assert info.value.response["Error"]["Code"] == "NoSuchUpload"
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"".join(data)


def test_parts_raced_on_one_number_last_wins(s3, bucket) -> None:
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    racers = bodies(8, 256 << 10)
    results = race([lambda b=b: s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b)
                    for b in racers])
    assert [status for status, _ in results] == [200] * 8, results
    [listed] = s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload)["Parts"]
    etags = {r["ETag"]: i for i, (_, r) in enumerate(results)}
    assert listed["ETag"] in etags
    loser = next(e for e in etags if e != listed["ETag"])
    with pytest.raises(ClientError) as info:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": loser}]})
    assert info.value.response["Error"]["Code"] == "InvalidPart"
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": listed["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == racers[etags[listed["ETag"]]]


def test_complete_if_none_match_raced_with_a_put(s3, bucket) -> None:
    """CompleteMultipartUpload's own If-None-Match: a PutObject of the key first makes it 412."""
    data = [os.urandom(PART), b"end"]
    upload, parts = upload_parts(s3, bucket, "mp", data)
    s3.put_object(Bucket=bucket, Key="mp", Body=b"first")
    with pytest.raises(ClientError) as info:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, IfNoneMatch="*",
                                     MultipartUpload={"Parts": parts})
    assert info.value.response["Error"]["Code"] == "PreconditionFailed"
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"first"
