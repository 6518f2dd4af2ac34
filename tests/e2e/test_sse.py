"""Server-side encryption against a real server: SSE-C and SSE-S3/SSE-KMS with boto3 and the aws
CLI, bucket default encryption, S3's errors for bad keys, no plaintext on any drive file, a
restart, and master key rotation (`cairn kms-rotate`)."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ACCESS_KEY, BIN, SECRET_KEY, Server, start_server, stop_server_process

MARK = b"CAIRN-SSE-E2E-PLAINTEXT-"  # what must never be found on a drive
KEY_A = ("key-a", os.urandom(32))
KEY_B = ("key-b", os.urandom(32))
CUSTOMER = os.urandom(32)
OTHER = os.urandom(32)


def spec(*keys: tuple[str, bytes]) -> str:
    return ",".join(f"{name}:{base64.b64encode(key).decode()}" for name, key in keys)


def body(n: int) -> bytes:
    unit = MARK + b"the quick brown fox jumps over the lazy dog. " * 3
    return (unit * (n // len(unit) + 1))[:n]


def client(server: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def code_of(call: Callable[[], Any]) -> tuple[int, str, str]:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        call()
    err = info.value.response
    status = err["ResponseMetadata"]["HTTPStatusCode"]
    return status, err["Error"].get("Code", ""), err["Error"].get("Message", "")


def drive_files_with(drives: list[Path], needle: bytes) -> list[Path]:
    """Every file under the drives (shard files, SQLite databases and their WAL) holding `needle`."""
    return [p for d in drives for p in d.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.fixture(scope="module")
def sse_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("cairn-sse")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def start(root: Path, keys: str, **env: str) -> Server:
    return start_server(root, drives=4,
                        env_extra={"MINIO_KMS_SECRET_KEY": keys, "CAIRN_SSE_C_ALLOW_HTTP": "on", **env})


@pytest.fixture(scope="module")
def srv(sse_root: Path) -> Iterator[Server]:
    server = start(sse_root, spec(KEY_A))
    yield server
    stop_server_process(server.process)


@pytest.fixture
def s3(srv: Server):  # type: ignore[no-untyped-def]
    return client(srv)


@pytest.fixture
def bucket(s3) -> str:  # type: ignore[no-untyped-def]
    name = f"sse-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


SSEC = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": CUSTOMER}
# GetObjectAttributes: botocore does not encode the key for it; sent as S3 wants it.
SSEC_RAW = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64encode(CUSTOMER).decode(),
            "SSECustomerKeyMD5": base64.b64encode(hashlib.md5(CUSTOMER).digest()).decode()}
WRONG = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": OTHER}


# -- SSE-C --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1000, 3 << 20], ids=["inline", "3MiB"])
def test_ssec_put_get_range_head(s3, bucket: str, size: int) -> None:  # type: ignore[no-untyped-def]
    data = body(size)
    put = s3.put_object(Bucket=bucket, Key="k", Body=data, ChecksumAlgorithm="CRC32", **SSEC)
    md5 = base64.b64encode(hashlib.md5(CUSTOMER).digest()).decode()
    assert put["SSECustomerAlgorithm"] == "AES256" and put["SSECustomerKeyMD5"] == md5
    assert put["ETag"].strip('"') != hashlib.md5(data).hexdigest()  # S3: not the MD5 for SSE-C
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED", **SSEC)
    assert got["Body"].read() == data and got["SSECustomerKeyMD5"] == md5
    assert got["ChecksumCRC32"] == put["ChecksumCRC32"]
    start, end = size // 3, size // 3 + 1500
    ranged = s3.get_object(Bucket=bucket, Key="k", Range=f"bytes={start}-{end}", **SSEC)
    assert ranged["Body"].read() == data[start:end + 1]
    assert ranged["ContentRange"] == f"bytes {start}-{min(end, size - 1)}/{size}"
    head = s3.head_object(Bucket=bucket, Key="k", **SSEC)
    assert head["ContentLength"] == size and head["SSECustomerAlgorithm"] == "AES256"
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"][0]
    assert listed["Size"] == size and listed["ETag"] == put["ETag"]
    attrs = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize", "Checksum"],
                                     **SSEC_RAW)
    assert attrs["ObjectSize"] == size and attrs["Checksum"]["ChecksumCRC32"] == put["ChecksumCRC32"]


def test_ssec_missing_and_wrong_keys(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    s3.put_object(Bucket=bucket, Key="c", Body=b"secret " * 10, **SSEC)
    s3.put_object(Bucket=bucket, Key="plain", Body=b"open")
    missing = code_of(lambda: s3.get_object(Bucket=bucket, Key="c"))
    assert missing == (400, "InvalidRequest",
                       "The object was stored using a form of Server Side Encryption. The correct parameters "
                       "must be provided to retrieve the object.")
    assert code_of(lambda: s3.head_object(Bucket=bucket, Key="c"))[0] == 400
    assert code_of(lambda: s3.get_object(Bucket=bucket, Key="c", **WRONG))[:2] == (403, "AccessDenied")
    assert code_of(lambda: s3.head_object(Bucket=bucket, Key="c", **WRONG))[0] == 403
    assert code_of(lambda: s3.get_object(Bucket=bucket, Key="plain", **SSEC))[:2] == (400, "InvalidRequest")
    attributes = code_of(lambda: s3.get_object_attributes(Bucket=bucket, Key="c", ObjectAttributes=["ETag"]))
    assert attributes[0] == 400


def tamper(s3, operation: str, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Overwrite request headers of `operation` just before signing (boto3 would fix them)."""
    def hook(request: Any, **_: Any) -> None:
        for name, value in headers.items():
            del request.headers[name]  # (setting alone would add a second one)
            request.headers[name] = value

    s3.meta.events.register(f"before-sign.s3.{operation}", hook)


@pytest.mark.parametrize("headers, message", [
    ({"x-amz-server-side-encryption-customer-key-MD5": base64.b64encode(b"0" * 16).decode()},
     "The calculated MD5 hash of the key did not match the hash that was provided."),
    ({"x-amz-server-side-encryption-customer-key": base64.b64encode(b"k" * 16).decode(),
      "x-amz-server-side-encryption-customer-key-MD5":
          base64.b64encode(hashlib.md5(b"k" * 16).digest()).decode()},
     "The secret key was invalid for the specified algorithm."),
    ({"x-amz-server-side-encryption-customer-key": "not base64!"},
     "The secret key was invalid for the specified algorithm."),
    ({"x-amz-server-side-encryption-customer-algorithm": "AES128"},
     "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption "
     "algorithm."),
], ids=["bad-md5", "short-key", "not-base64", "algorithm"])
def test_ssec_hostile_keys(srv: Server, bucket: str, headers: dict[str, str], message: str) -> None:
    s3 = client(srv)
    tamper(s3, "PutObject", headers)
    assert code_of(lambda: s3.put_object(Bucket=bucket, Key="h", Body=b"x", **SSEC)) == (
        400, "InvalidArgument", message)


def test_ssec_copy_and_multipart(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    data = body(2 << 20)
    s3.put_object(Bucket=bucket, Key="src", Body=data, **SSEC)
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=CUSTOMER, **WRONG)
    assert s3.get_object(Bucket=bucket, Key="dst", **WRONG)["Body"].read() == data
    assert code_of(lambda: s3.get_object(Bucket=bucket, Key="dst", **SSEC))[0] == 403
    source = {"Bucket": bucket, "Key": "src"}
    missing = code_of(lambda: s3.copy_object(Bucket=bucket, Key="x", CopySource=source))
    assert missing[:2] == (400, "InvalidRequest")
    s3.copy_object(Bucket=bucket, Key="s3", CopySource={"Bucket": bucket, "Key": "src"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=CUSTOMER,
                   ServerSideEncryption="AES256")
    assert s3.head_object(Bucket=bucket, Key="s3")["ServerSideEncryption"] == "AES256"

    part1 = body(5 << 20)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", **SSEC)
    assert upload["SSECustomerAlgorithm"] == "AES256"
    uid = upload["UploadId"]
    nokey = code_of(lambda: s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=part1))
    assert nokey[:2] == (400, "InvalidRequest")
    assert code_of(lambda: s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=part1,
                                          **WRONG))[0] == 403
    p1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=part1, **SSEC)
    assert p1["SSECustomerAlgorithm"] == "AES256" and p1["SSECustomerKeyMD5"] == SSEC_RAW["SSECustomerKeyMD5"]
    p2 = s3.upload_part_copy(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-99999",
                             CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=CUSTOMER,
                             **SSEC)
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]})
    assert done["ETag"].endswith('-2"')
    whole = part1 + data[:100000]
    assert s3.get_object(Bucket=bucket, Key="mp", **SSEC)["Body"].read() == whole
    ranged = s3.get_object(Bucket=bucket, Key="mp", Range=f"bytes={len(part1) - 5}-{len(part1) + 5}", **SSEC)
    assert ranged["Body"].read() == whole[len(part1) - 5:len(part1) + 6]
    assert code_of(lambda: s3.get_object(Bucket=bucket, Key="mp"))[0] == 400


def test_ssec_refused_over_plain_http_without_the_override(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=1)
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="plain-http")
        assert code_of(lambda: s3.put_object(Bucket="plain-http", Key="k", Body=b"x", **SSEC)) == (
            400, "InvalidRequest",
            "Requests specifying Server Side Encryption with Customer provided keys must be made over a "
            "secure connection.")
        # Without KMS keys: SSE-S3 and bucket default encryption are refused, as MinIO refuses them.
        assert code_of(lambda: s3.put_object(Bucket="plain-http", Key="k", Body=b"x",
                                             ServerSideEncryption="AES256"))[:2] == (501, "NotImplemented")
        rule = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
        assert code_of(lambda: s3.put_bucket_encryption(
            Bucket="plain-http", ServerSideEncryptionConfiguration=rule))[:2] == (501, "NotImplemented")
    finally:
        stop_server_process(server.process)


def test_aws_cli_sse_c(srv: Server, bucket: str, tmp_path: Path) -> None:
    key = "0123456789abcdef0123456789ABCDEF"  # 32 bytes, as `--sse-c-key` takes it
    mark = f"CLI-{uuid.uuid4().hex}-".encode()  # this test's own: no drive file may hold it

    def cli_body(n: int) -> bytes:
        return ((mark + MARK) * (n // (len(mark) + len(MARK)) + 1))[:n]

    src = tmp_path / "up.bin"
    src.write_bytes(cli_body(9 << 20))  # above the CLI's 8 MiB threshold: a multipart upload
    env = dict(srv.env(), AWS_CONFIG_FILE=str(tmp_path / "cfg"))
    (tmp_path / "cfg").write_text("[default]\n")
    base = [str(BIN / "aws"), "--endpoint-url", srv.endpoint, "s3", "cp"]
    for name in ("big", "small"):
        path = src if name == "big" else tmp_path / "small.bin"
        if name == "small":
            path.write_bytes(cli_body(5000))
        sse = ["--sse-c", "AES256", "--sse-c-key", key]
        up = subprocess.run([*base, str(path), f"s3://{bucket}/{name}", *sse],
                            env=env, capture_output=True, text=True, timeout=120)
        assert up.returncode == 0, up.stderr
        out = tmp_path / f"{name}.out"
        down = subprocess.run([*base, f"s3://{bucket}/{name}", str(out), *sse],
                              env=env, capture_output=True, text=True, timeout=120)
        assert down.returncode == 0, down.stderr
        assert out.read_bytes() == path.read_bytes()
        nokey = subprocess.run([*base, f"s3://{bucket}/{name}", str(out)], env=env, capture_output=True,
                               text=True, timeout=120)
        assert nokey.returncode != 0
    assert drive_files_with(srv.drives, mark) == []


# -- SSE-S3, SSE-KMS, bucket default encryption ----------------------------------------------------


def test_sse_s3_header_and_bucket_default(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    data = body(100_000)
    put = s3.put_object(Bucket=bucket, Key="h", Body=data, ServerSideEncryption="AES256")
    assert put["ServerSideEncryption"] == "AES256" and put["ETag"].strip('"') == hashlib.md5(data).hexdigest()
    got = s3.get_object(Bucket=bucket, Key="h")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == data
    assert code_of(lambda: s3.get_bucket_encryption(Bucket=bucket))[:2] == (
        404, "ServerSideEncryptionConfigurationNotFoundError")
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]})
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                      "BucketKeyEnabled": True}]
    s3.put_object(Bucket=bucket, Key="d", Body=data)
    assert s3.head_object(Bucket=bucket, Key="d")["ServerSideEncryption"] == "AES256"
    upload = s3.create_multipart_upload(Bucket=bucket, Key="m")
    assert upload["ServerSideEncryption"] == "AES256"
    part = s3.upload_part(Bucket=bucket, Key="m", UploadId=upload["UploadId"], PartNumber=1, Body=data)
    assert part["ServerSideEncryption"] == "AES256"
    done = s3.complete_multipart_upload(Bucket=bucket, Key="m", UploadId=upload["UploadId"], MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert done["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="m")["Body"].read() == data
    s3.put_object(Bucket=bucket, Key="c", Body=data, **SSEC)  # SSE-C wins over the default
    assert s3.head_object(Bucket=bucket, Key="c", **SSEC).get("ServerSideEncryption") is None
    s3.delete_bucket_encryption(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="after", Body=b"in the clear")  # (no MARK: the drive scan below)
    assert "ServerSideEncryption" not in s3.head_object(Bucket=bucket, Key="after")


def test_sse_kms_key_ids(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"kms " * 100, ServerSideEncryption="aws:kms",
                        SSEKMSKeyId="key-a")
    assert put["ServerSideEncryption"] == "aws:kms" and put["SSEKMSKeyId"] == "key-a"
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == "key-a"
    unknown = code_of(lambda: s3.put_object(Bucket=bucket, Key="u", Body=b"x", ServerSideEncryption="aws:kms",
                                            SSEKMSKeyId="no-such-key"))
    assert unknown[:2] == (400, "KMS.NotFoundException")
    rule = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                              "KMSMasterKeyID": "no-such-key"}}]}
    refused = code_of(lambda: s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=rule))
    assert refused[:2] == (400, "KMS.NotFoundException")
    refused = code_of(lambda: s3.put_object(Bucket=bucket, Key="u", Body=b"x", ServerSideEncryption="AES128"))
    assert refused[:2] == (400, "InvalidArgument")


@pytest.mark.parametrize("document", [
    b"<ServerSideEncryptionConfiguration",
    b"<ServerSideEncryptionConfiguration/>",
    b"<ServerSideEncryptionConfiguration><Rule/></ServerSideEncryptionConfiguration>",
    b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault/></Rule>"
    b"</ServerSideEncryptionConfiguration>",
    b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256"
    b"</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule><Rule/></ServerSideEncryptionConfiguration>",
    b"<!DOCTYPE x [<!ENTITY e 'AES256'>]><ServerSideEncryptionConfiguration><Rule>"
    b"<ApplyServerSideEncryptionByDefault><SSEAlgorithm>&e;</SSEAlgorithm></ApplyServerSideEncryptionByDefault>"
    b"</Rule></ServerSideEncryptionConfiguration>",
    b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms"
    b"</SSEAlgorithm><KMSMasterKeyID>" + b"k" * (70 << 10) + b"</KMSMasterKeyID>"
    b"</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>",
    b"<ServerSideEncryptionConfiguration>" + b"<Rule>" * 2000 + b"</Rule>" * 2000
    + b"</ServerSideEncryptionConfiguration>",
], ids=["truncated", "no-rule", "empty-rule", "no-algorithm", "two-rules", "entity", "oversized", "deep"])
def test_malformed_encryption_configuration(srv: Server, bucket: str, document: bytes) -> None:
    s3 = client(srv)
    default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "key-a"}
    kept = {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": False}]}
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=kept)

    def hook(request: Any, **_: Any) -> None:
        request.data = document
        for name in list(request.headers.keys()):
            if name.lower() in ("content-md5",) or name.lower().startswith("x-amz-checksum"):
                del request.headers[name]
        del request.headers["Content-Length"]
        request.headers["Content-Length"] = str(len(document))

    s3.meta.events.register("before-sign.s3.PutBucketEncryption", hook)
    rule = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    status, code, _ = code_of(lambda: s3.put_bucket_encryption(Bucket=bucket,
                                                               ServerSideEncryptionConfiguration=rule))
    assert (status, code) == (400, "MalformedXML")
    # Refused, it changed nothing: the configuration before it stays.
    assert client(srv).get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"] == kept


# -- a retried CompleteMultipartUpload, POST Object form uploads -------------------------------------

KINDS: dict[str, dict[str, Any]] = {
    "sse-s3": {"ServerSideEncryption": "AES256"},
    "sse-kms": {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "key-a"},
    "sse-c": SSEC}


def sse_headers_of(response: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = response["ResponseMetadata"]["HTTPHeaders"]
    return {n: v for n, v in headers.items() if n.startswith("x-amz-server-side-encryption")}


@pytest.mark.parametrize("kind", KINDS)
def test_a_retried_complete_answers_with_the_same_sse_headers(s3, bucket: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    """The same CompleteMultipartUpload sent again (its answer lost): the same answer, SSE
    headers included."""
    how = KINDS[kind]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", **how)
    part_how = SSEC if how is SSEC else {}
    data = body(1 << 20)
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=1, Body=data,
                          **part_how)
    parts = {"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}
    first = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                                         MultipartUpload=parts, **part_how)
    again = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                                         MultipartUpload=parts, **part_how)
    assert sse_headers_of(first) and sse_headers_of(again) == sse_headers_of(first)
    named = ("ETag", "ServerSideEncryption", "SSEKMSKeyId", "SSECustomerAlgorithm", "SSECustomerKeyMD5")
    assert [again.get(k) for k in named] == [first.get(k) for k in named]
    if how is SSEC:  # (botocore's CompleteMultipartUploadOutput has no SSECustomer* members)
        assert sse_headers_of(first) == {"x-amz-server-side-encryption-customer-algorithm": "AES256",
                                         "x-amz-server-side-encryption-customer-key-md5":
                                             SSEC_RAW["SSECustomerKeyMD5"]}
    else:
        assert first["ServerSideEncryption"] == how["ServerSideEncryption"]
        assert first.get("SSEKMSKeyId") == how.get("SSEKMSKeyId")
    assert s3.get_object(Bucket=bucket, Key="mp", **part_how)["Body"].read() == data


# POST Object takes the SSE headers as form fields; boto3 covers each with an exact condition.
POST_FIELDS = {
    "sse-s3": {"x-amz-server-side-encryption": "AES256"},
    "sse-kms": {"x-amz-server-side-encryption": "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id": "key-a"},
    "sse-c": {"x-amz-server-side-encryption-customer-algorithm": "AES256",
              "x-amz-server-side-encryption-customer-key": SSEC_RAW["SSECustomerKey"],
              "x-amz-server-side-encryption-customer-key-MD5": SSEC_RAW["SSECustomerKeyMD5"]}}


def post_form(s3, bucket: str, key: str, fields: dict[str, str], data: bytes):  # type: ignore[no-untyped-def]
    from .test_post_object import post

    form = s3.generate_presigned_post(bucket, key, Fields=fields,
                                      Conditions=[{n: v} for n, v in fields.items()], ExpiresIn=300)
    return post(form["url"], form["fields"], "upload.bin", data)


@pytest.mark.parametrize("kind", POST_FIELDS)
def test_post_object_encrypts_as_put_does(srv: Server, s3, bucket: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    mark = f"POST-{kind}-{uuid.uuid4().hex}-".encode()
    data = (mark + MARK) * 4000  # about 280 KB: shard files, not inline
    r = post_form(s3, bucket, "posted", POST_FIELDS[kind], data)
    assert r.status == 204, r.data
    how = KINDS[kind]
    read = SSEC if how is SSEC else {}
    head = s3.head_object(Bucket=bucket, Key="posted", **read)
    if how is SSEC:
        assert r.headers["x-amz-server-side-encryption-customer-algorithm"] == "AES256"
        assert r.headers["x-amz-server-side-encryption-customer-key-MD5"] == SSEC_RAW["SSECustomerKeyMD5"]
        assert head["SSECustomerAlgorithm"] == "AES256"
        assert code_of(lambda: s3.get_object(Bucket=bucket, Key="posted"))[0] == 400  # the key is needed
    else:
        assert r.headers["x-amz-server-side-encryption"] == how["ServerSideEncryption"]
        assert head["ServerSideEncryption"] == how["ServerSideEncryption"]
        assert r.headers.get("x-amz-server-side-encryption-aws-kms-key-id") == how.get("SSEKMSKeyId")
        assert head.get("SSEKMSKeyId") == how.get("SSEKMSKeyId")
    assert s3.get_object(Bucket=bucket, Key="posted", **read)["Body"].read() == data
    assert drive_files_with(srv.drives, mark) == []
    # The same check finds plaintext when there is some: the same form without encryption.
    clear = post_form(s3, bucket, "clear", {}, mark * 10)
    assert clear.status == 204 and "x-amz-server-side-encryption" not in clear.headers
    assert drive_files_with(srv.drives, mark)
    s3.delete_object(Bucket=bucket, Key="clear")


def test_post_object_takes_the_bucket_default_and_refuses_bad_fields(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    from .test_post_object import code

    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "key-a"}}]})
    r = post_form(s3, bucket, "default", {}, b"by default")
    assert r.status == 204 and r.headers["x-amz-server-side-encryption"] == "aws:kms"
    assert s3.head_object(Bucket=bucket, Key="default")["SSEKMSKeyId"] == "key-a"
    wrong = SSEC_RAW["SSECustomerKey"]  # not the key's MD5
    bad_md5 = {**POST_FIELDS["sse-c"], "x-amz-server-side-encryption-customer-key-MD5": wrong}
    r = post_form(s3, bucket, "bad", bad_md5, b"x")
    assert (r.status, code(r)) == (400, "InvalidArgument")
    assert b"The calculated MD5 hash of the key did not match the hash that was provided." in r.data
    r = post_form(s3, bucket, "bad", {"x-amz-server-side-encryption": "AES128"}, b"x")
    assert (r.status, code(r)) == (400, "InvalidArgument")
    r = post_form(s3, bucket, "bad", {"x-amz-server-side-encryption": "aws:kms",
                                      "x-amz-server-side-encryption-aws-kms-key-id": "no-such-key"}, b"x")
    assert (r.status, code(r)) == (400, "KMS.NotFoundException")
    assert code_of(lambda: s3.head_object(Bucket=bucket, Key="bad"))[0] == 404


# -- at rest: no plaintext on the drives, restart, rotation ----------------------------------------


def test_no_plaintext_on_drives_restart_and_rotation(srv: Server, sse_root: Path) -> None:
    """Runs last in this module: it restarts the module's server with other keys."""
    s3 = client(srv)
    s3.create_bucket(Bucket="at-rest")
    objects = {"small-c": (body(3000), SSEC), "big-c": (body(6 << 20), SSEC),
               "small-s3": (body(4000), {"ServerSideEncryption": "AES256"}),
               "big-s3": (body(5 << 20), {"ServerSideEncryption": "AES256"}),
               "kms": (body(2 << 20), {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "key-a"})}
    for key, (data, how) in objects.items():
        s3.put_object(Bucket="at-rest", Key=key, Body=data, **how)
    upload = s3.create_multipart_upload(Bucket="at-rest", Key="mp", ServerSideEncryption="AES256")
    part = s3.upload_part(Bucket="at-rest", Key="mp", UploadId=upload["UploadId"], PartNumber=1,
                          Body=body(1 << 20))
    s3.complete_multipart_upload(Bucket="at-rest", Key="mp", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    objects["mp"] = (body(1 << 20), {})
    # The check can find plaintext: an object stored in the clear is found (then deleted).
    s3.put_object(Bucket="at-rest", Key="control", Body=(b"CONTROL-" + MARK) * 50)  # split over 2 shards
    assert drive_files_with(srv.drives, b"CONTROL-" + MARK)
    s3.delete_object(Bucket="at-rest", Key="control")

    def check_all(client_: Any) -> None:
        for key, (data, how) in objects.items():
            extra = SSEC if how is SSEC else {}
            assert client_.get_object(Bucket="at-rest", Key=key, **extra)["Body"].read() == data, key

    check_all(s3)
    stop_server_process(srv.process)
    holding = [p for p in drive_files_with(srv.drives, MARK) if b"CONTROL-" + MARK not in p.read_bytes()]
    assert holding == []

    # Restart with a new current key (the old one kept to unseal): everything still reads.
    server = start(sse_root, spec(KEY_B, KEY_A))
    try:
        check_all(client(server))
        client(server).put_object(Bucket="at-rest", Key="new", Body=b"under key b",
                                  ServerSideEncryption="AES256")
    finally:
        stop_server_process(server.process)
    # Without the old key, what it sealed cannot be read...
    server = start(sse_root, spec(KEY_B))
    try:
        assert code_of(lambda: client(server).get_object(Bucket="at-rest", Key="big-s3"))[0] == 400
        assert client(server).get_object(Bucket="at-rest", Key="new")["Body"].read() == b"under key b"
    finally:
        stop_server_process(server.process)
    # ... until `cairn kms-rotate` reseals the object keys under key b (no data rewritten).
    env = {**os.environ, "CAIRN_KMS_SECRET_KEY": spec(KEY_B, KEY_A)}
    rotate = subprocess.run([str(BIN / "cairn"), "kms-rotate", *map(str, srv.drives)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert rotate.returncode == 0, rotate.stderr
    assert "4 object keys resealed" in rotate.stdout  # big-s3, small-s3, kms, mp (SSE-C is the client's)
    server = start(sse_root, spec(KEY_B))
    try:
        check_all(client(server))
    finally:
        stop_server_process(server.process)
