"""Core S3 conformance, as AWS S3 behaves, against a real server: ListBuckets in pages,
ListObjectsV2's empty continuation token, UploadPartCopy ranges outside the source,
Content-Encoding beside aws-chunked, checksum mismatches (BadDigest) and malformed checksums
(InvalidRequest), checksum types in answers, and GetObjectAttributes' ObjectParts.

boto3 where it can say it; requests signed by botocore and written to a socket where boto3
refuses to send them (max-buckets=0) or frames them its own way (aws-chunked with trailers,
signed or not, which boto3 sends over TLS only)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cairn.engine.checksums import digest

from .conftest import ACCESS_KEY, SECRET_KEY, Server, empty_and_delete, start_server, stop_server_process
from .test_client_fixes import signed
from .test_hostile import EMPTY_SHA256, Reply, exchange, sign, signing_key

ALGORITHMS = ("crc32", "crc32c", "crc64nvme", "sha1", "sha256")
MiB = 1 << 20
PART = os.urandom(5 * MiB)
TAIL = b"the last part"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[int, str, str]:
    response: dict[str, Any] = exc.value.response
    return (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"],
            response["Error"]["Message"])


def message(reply: Reply | None) -> str:
    assert reply is not None
    found = re.search(rb"<Message>([^<]*)</Message>", reply.body)
    return found.group(1).decode() if found else ""


def client(server: Server, **config: Any):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}, **config))


def streaming_put(port: int, path: str, data: bytes, *, query: str = "", signed_chunks: bool = False,
                  trailer: tuple[str, str] | None = None, headers: dict[str, str] | None = None
                  ) -> Reply | None:
    """An aws-chunked PUT of one data chunk (SigV4 streaming), the `trailer` (name, value) after it:
    STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], or STREAMING-UNSIGNED-PAYLOAD-TRAILER."""
    payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" if signed_chunks else "STREAMING-UNSIGNED-PAYLOAD"
    payload += "-TRAILER" if trailer else ""

    def frame(signatures: list[str], trailer_signature: str) -> bytes:
        out = b""
        for piece, signature in zip((data, b""), signatures, strict=True):
            extension = f";chunk-signature={signature}" if signed_chunks else ""
            out += f"{len(piece):x}{extension}\r\n".encode() + piece + (b"\r\n" if piece else b"")
        if trailer:
            out += f"{trailer[0]}:{trailer[1]}\r\n".encode()
            out += f"x-amz-trailer-signature:{trailer_signature}\r\n".encode() if signed_chunks else b""
        return out + b"\r\n"

    fields = {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": str(len(data)),
              "Content-Length": str(len(frame(["0" * 64] * 2, "0" * 64))), **(headers or {})}
    if trailer:
        fields["x-amz-trailer"] = trailer[0]
    request = sign(port, "PUT", path, query=query, payload=payload, headers=fields)
    date = request.timestamp[:8]
    key, scope = signing_key(date), f"{date}/us-east-1/s3/aws4_request"

    def chained(previous: str, *lines: str) -> str:
        to_sign = "\n".join((lines[0], request.timestamp, scope, previous, *lines[1:]))
        return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()

    signatures = [request.signature]
    for piece in (data, b""):
        signatures.append(chained(signatures[-1], "AWS4-HMAC-SHA256-PAYLOAD", EMPTY_SHA256,
                                  hashlib.sha256(piece).hexdigest()))
    canonical = f"{trailer[0]}:{trailer[1]}\n".encode() if trailer else b""
    trailer_signature = chained(signatures[-1], "AWS4-HMAC-SHA256-TRAILER",
                                hashlib.sha256(canonical).hexdigest())
    return exchange(port, request.head(content_length=None) + frame(signatures[1:], trailer_signature))


# --------------------------------------------------------------------------- 1. ListBuckets in pages


def test_list_buckets_pages_by_prefix_and_token(s3, server):
    prefix = f"pages-{uuid.uuid4().hex[:8]}-"
    names = [f"{prefix}{i}" for i in range(5)]
    for name in names:
        s3.create_bucket(Bucket=name)
    try:
        first = s3.list_buckets(MaxBuckets=2, Prefix=prefix)
        assert [b["Name"] for b in first["Buckets"]] == names[:2]
        assert first["Prefix"] == prefix and first["ContinuationToken"]
        assert {b["BucketRegion"] for b in first["Buckets"]} == {"us-east-1"}
        assert len(s3.list_buckets(Prefix=prefix, BucketRegion="us-east-1")["Buckets"]) == 5
        assert s3.list_buckets(Prefix=prefix, BucketRegion="eu-west-1")["Buckets"] == []
        paginator = s3.get_paginator("list_buckets")
        pages = list(paginator.paginate(Prefix=prefix, PaginationConfig={"PageSize": 2}))
        assert [[b["Name"] for b in page["Buckets"]] for page in pages] == [names[:2], names[2:4], names[4:]]
        assert "ContinuationToken" not in pages[-1]
        # The wire order of ListAllMyBucketsResult: Owner, Buckets, ContinuationToken, Prefix.
        status, _, body = signed(server, "GET", "/", f"max-buckets=4&prefix={prefix}")
        assert status == 200
        assert re.search(rb"<Owner>.*</Owner><Buckets>(<Bucket><Name>[^<]+</Name><CreationDate>[^<]+"
                         rb"</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>){4}</Buckets>"
                         rb"<ContinuationToken>[^<]+</ContinuationToken><Prefix>" + prefix.encode() +
                         rb"</Prefix></ListAllMyBucketsResult>$", body)
        # Unpaginated, as S3 answers it: every bucket, no region, no token.
        status, _, body = signed(server, "GET", "/")
        assert status == 200 and b"<BucketRegion>" not in body and b"<ContinuationToken>" not in body
        assert all(f"<Name>{name}</Name>".encode() in body for name in names)
    finally:
        for name in names:
            s3.delete_bucket(Bucket=name)


@pytest.mark.parametrize("value", ["0", "10001", "-1", "abc", "1.5", "1_000"])
def test_list_buckets_refuses_max_buckets_outside_1_to_10000(server, value):
    status, _, body = signed(server, "GET", "/", f"max-buckets={value}")
    assert status == 400 and b"<Code>InvalidArgument</Code>" in body
    assert b"<Message>Argument max-buckets must be an integer between 1 and 10000</Message>" in body
    assert b"<ArgumentName>max-buckets</ArgumentName>" in body


def test_list_buckets_tokens(s3, server):
    assert signed(server, "GET", "/", "max-buckets=10000")[0] == 200
    status, _, body = signed(server, "GET", "/", "continuation-token=%25%25not-ours")
    assert status == 400 and b"<Code>InvalidArgument</Code>" in body
    status, _, body = signed(server, "GET", "/", "continuation-token=")  # no token: the first page
    assert status == 200 and body.count(b"<Bucket>") == len(s3.list_buckets()["Buckets"])


def test_thousands_of_buckets_are_listed_in_pages(tmp_path: Path):
    srv = start_server(tmp_path)
    try:
        s3 = client(srv, max_pool_connections=16)
        names = [f"many-{i:05d}" for i in range(1500)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda name: s3.create_bucket(Bucket=name), names))
        pages = list(s3.get_paginator("list_buckets").paginate(PaginationConfig={"PageSize": 1000}))
        assert [len(page["Buckets"]) for page in pages] == [1000, 500]
        assert [b["Name"] for page in pages for b in page["Buckets"]] == names
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == names  # S3 answers up to 10000 whole
    finally:
        stop_server_process(srv.process)
        shutil.rmtree(tmp_path, ignore_errors=True)


# --------------------------------------------------------------------------- 2. ListObjectsV2


def test_list_objects_v2_takes_an_empty_continuation_token_as_none(s3, server, bucket):
    for key in ("a", "b"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"")
    status, _, body = signed(server, "GET", f"/{bucket}", "list-type=2&continuation-token=")
    assert status == 200
    assert b"<Key>a</Key>" in body and b"<Key>b</Key>" in body and b"<ContinuationToken>" not in body
    listed = s3.list_objects_v2(Bucket=bucket, ContinuationToken="", MaxKeys=1)
    assert [o["Key"] for o in listed["Contents"]] == ["a"] and listed["IsTruncated"]


# --------------------------------------------------------------------------- 3. UploadPartCopy ranges


@pytest.mark.parametrize(("copy_range", "expected"), [
    # Beyond the source: S3's own answer (versity/versitygw#610), not ceph s3-tests' InvalidRange.
    ("bytes=0-10", "Range specified is not valid for source object of size: 10"),
    ("bytes=20-30", "Range specified is not valid for source object of size: 10"),
    # Malformed.
    ("bytes=5-2", "The x-amz-copy-source-range value must be of the form bytes=first-last"),
    ("bytes=0-", "The x-amz-copy-source-range value must be of the form bytes=first-last"),
    ("0-5", "The x-amz-copy-source-range value must be of the form bytes=first-last"),
])
def test_upload_part_copy_ranges_outside_or_malformed(s3, bucket, copy_range, expected):
    s3.put_object(Bucket=bucket, Key="src", Body=b"0123456789")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    with pytest.raises(ClientError) as refused:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                            CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=copy_range)
    status, code, text = error(refused)
    assert (status, code) == (400, "InvalidArgument") and text.startswith(expected)
    part = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                               CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=2-9")
    assert part["CopyPartResult"]["ETag"] == f'"{hashlib.md5(b"23456789").hexdigest()}"'
    s3.abort_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload)


# --------------------------------------------------------------------------- 4. Content-Encoding


def test_aws_chunked_is_not_stored_as_content_encoding(s3, server, bucket, monkeypatch):
    for sent, stored in [("gzip, aws-chunked", "gzip"), ("aws-chunked,gzip", "gzip"), ("aws-chunked", None),
                         ("gzip, br, aws-chunked", "gzip, br")]:
        reply = streaming_put(server.port, f"/{bucket}/k", b"data", signed_chunks=True,
                              headers={"Content-Encoding": sent})
        assert reply is not None and reply.status == 200, reply
        assert s3.head_object(Bucket=bucket, Key="k").get("ContentEncoding") == stored, sent
    created = s3.create_multipart_upload(Bucket=bucket, Key="mp", ContentEncoding="aws-chunked,gzip")
    upload = created["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.head_object(Bucket=bucket, Key="mp")["ContentEncoding"] == "gzip"
    # boto3 over TLS sends its checksum in a trailer and "gzip,aws-chunked" (made to think the
    # endpoint is https, it sends the very bytes it would).
    from urllib.parse import urlparse

    import botocore.httpchecksum
    monkeypatch.setattr(botocore.httpchecksum, "urlparse",
                        lambda url: urlparse(url.replace("http://", "https://", 1)))
    s3.put_object(Bucket=bucket, Key="boto", Body=b"abc", ContentEncoding="gzip", ChecksumAlgorithm="CRC32")
    assert s3.head_object(Bucket=bucket, Key="boto")["ContentEncoding"] == "gzip"


# --------------------------------------------------------------------------- 5. BadDigest and InvalidRequest

MODES = ("header", "unsigned-header", "trailer", "signed-trailer")


def send_checksum(port: int, path: str, query: str, data: bytes, algorithm: str, value: str,
                  mode: str) -> Reply | None:
    """PUT `data` with x-amz-checksum-<algorithm>: `value`, sent as `mode` says."""
    name = f"x-amz-checksum-{algorithm}"
    if mode.endswith("header"):
        payload = "UNSIGNED-PAYLOAD" if mode == "unsigned-header" else None
        return exchange(port, sign(port, "PUT", path, query, data, {name: value}, payload).raw())
    return streaming_put(port, path, data, query=query, signed_chunks=mode == "signed-trailer",
                         trailer=(name, value))


def write_target(s3, bucket: str, operation: str, algorithm: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(path, query) of a PutObject, or of an UploadPart into a new upload of `algorithm`."""
    if operation == "PutObject":
        return f"/{bucket}/obj", ""
    upload = s3.create_multipart_upload(Bucket=bucket, Key="obj", ChecksumAlgorithm=algorithm.upper())
    return f"/{bucket}/obj", f"partNumber=1&uploadId={upload['UploadId']}"


@pytest.mark.parametrize("operation", ["PutObject", "UploadPart"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_checksum_that_does_not_match_is_bad_digest(s3, server, bucket, algorithm, mode, operation):
    data = b"123456789"
    path, query = write_target(s3, bucket, operation, algorithm)
    refused = send_checksum(server.port, path, query, data, algorithm, b64(digest(algorithm, b"other")), mode)
    assert refused is not None and (refused.status, refused.code) == (400, "BadDigest"), refused
    assert message(refused) == f"The {algorithm.upper()} you specified did not match the calculated checksum."
    if operation == "PutObject":
        with pytest.raises(ClientError):
            s3.head_object(Bucket=bucket, Key="obj")
    else:
        upload = query.rpartition("=")[2]
        assert "Parts" not in s3.list_parts(Bucket=bucket, Key="obj", UploadId=upload)
    good = b64(digest(algorithm, data))
    accepted = send_checksum(server.port, path, query, data, algorithm, good, mode)
    assert accepted is not None and accepted.status == 200, accepted
    assert accepted.headers[f"x-amz-checksum-{algorithm}"] == good


# Swift's s3api vectors (test/s3api/test_object_checksums.py, run against S3) for b"123456789": a
# last base64 digit with stray low bits is as invalid as a value of the wrong length.
NOT_CANONICAL = {"crc32": "y/Q5Jh==", "crc32c": "4waSgx==", "crc64nvme": "rosUhgp5mIh=",
                 "sha1": "98O8HYCOBHMq32eZZczDTKeuNEF=",
                 "sha256": "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiV="}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_malformed_checksum_is_invalid_request(s3, server, bucket, algorithm):
    short = b64(digest(algorithm, b"x")[:-1])
    for value in (NOT_CANONICAL[algorithm], short, "bad", "^^^^^^=="):
        reply = send_checksum(server.port, f"/{bucket}/obj", "", b"123456789", algorithm, value, "header")
        assert reply is not None and (reply.status, reply.code) == (400, "InvalidRequest"), (value, reply)
        assert message(reply) == f"Value for x-amz-checksum-{algorithm} header is invalid."
        reply = send_checksum(server.port, f"/{bucket}/obj", "", b"123456789", algorithm, value, "trailer")
        assert reply is not None and (reply.status, reply.code) == (400, "InvalidRequest"), (value, reply)
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="obj")


def test_one_checksum_algorithm_per_request(s3, bucket):
    with pytest.raises(ClientError) as two:
        s3.put_object(Bucket=bucket, Key="k", Body=b"123456789", ChecksumCRC32="y/Q5Jg==",
                      ChecksumSHA1="98O8HYCOBHMq32eZZczDTKeuNEE=")
    assert error(two) == (400, "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple "
                                                 "checksum Types are not allowed.")
    with pytest.raises(ClientError) as other:
        s3.put_object(Bucket=bucket, Key="k", Body=b"123456789", ChecksumCRC32="y/Q5Jg==",
                      ChecksumAlgorithm="SHA1")
    assert error(other) == (400, "InvalidRequest",
                            "Value for x-amz-sdk-checksum-algorithm header is invalid.")


# --------------------------------------------------------------------------- 6, 7. Types, ObjectParts


def upload_in_parts(s3, bucket: str, key: str, algorithm: str | None,  # type: ignore[no-untyped-def]
                    kind: str | None = None) -> dict[str, Any]:
    """Three parts (5 MiB, 5 MiB, a few bytes), each with `algorithm`'s checksum; the Complete answer,
    with the CreateMultipartUpload answer under "Created"."""
    options = {"ChecksumAlgorithm": algorithm.upper()} if algorithm else {}
    created = s3.create_multipart_upload(Bucket=bucket, Key=key, **options,
                                         **({"ChecksumType": kind} if kind else {}))
    listed = []
    for number, body in enumerate((PART, PART, TAIL), 1):
        sums = {f"Checksum{algorithm.upper()}": b64(digest(algorithm, body))} if algorithm else {}
        etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=created["UploadId"], PartNumber=number,
                              Body=body, **sums)["ETag"]
        listed.append({"PartNumber": number, "ETag": etag, **sums})
    done: dict[str, Any] = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=created["UploadId"],
                                                        MultipartUpload={"Parts": listed})
    done["Created"] = created
    return done


@pytest.fixture(scope="module")
def uploaded(server: Server) -> Iterator[tuple[Any, str, dict[str, dict[str, Any]]]]:
    """One bucket with an object uploaded in parts for each checksum case, made once."""
    s3, bucket = client(server), f"parts-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    cases = {"composite-crc32": ("crc32", None), "full-crc32": ("crc32", "FULL_OBJECT"),
             "composite-sha256": ("sha256", None), "crc64nvme": ("crc64nvme", None), "none": (None, None)}
    yield s3, bucket, {key: upload_in_parts(s3, bucket, key, *case) for key, case in cases.items()}
    empty_and_delete(s3, bucket)


@pytest.mark.parametrize(("key", "algorithm", "kind"), [
    ("composite-crc32", "crc32", "COMPOSITE"), ("full-crc32", "crc32", "FULL_OBJECT"),
    ("composite-sha256", "sha256", "COMPOSITE"), ("crc64nvme", "crc64nvme", "FULL_OBJECT")])
def test_checksum_types_in_answers(uploaded, key, algorithm, kind):
    s3, bucket, done = uploaded
    created = done[key]["Created"]
    assert (created["ChecksumAlgorithm"], created["ChecksumType"]) == (algorithm.upper(), kind)
    assert created["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-type"] == kind
    value = done[key][f"Checksum{algorithm.upper()}"]
    assert done[key]["ChecksumType"] == kind
    if kind == "COMPOSITE":  # a checksum of the part checksums, "-<parts>" as S3 writes it
        digests = b"".join(digest(algorithm, body) for body in (PART, PART, TAIL))
        assert value == f"{b64(digest(algorithm, digests))}-3"
    else:
        assert value == b64(digest(algorithm, PART + PART + TAIL))
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert (head[f"Checksum{algorithm.upper()}"], head["ChecksumType"]) == (value, kind)
    headers = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")["ResponseMetadata"]["HTTPHeaders"]
    assert (headers[f"x-amz-checksum-{algorithm}"], headers["x-amz-checksum-type"]) == (value, kind)
    attributes = s3.get_object_attributes(Bucket=bucket, Key=key, ObjectAttributes=["Checksum"])
    assert attributes["Checksum"] == {f"Checksum{algorithm.upper()}": value.partition("-")[0],
                                      "ChecksumType": kind}
    put = s3.put_object(Bucket=bucket, Key=f"{key}-single", Body=TAIL, ChecksumAlgorithm=algorithm.upper())
    assert put["ChecksumType"] == "FULL_OBJECT"


@pytest.mark.parametrize(("key", "algorithm"), [("composite-crc32", "crc32"), ("full-crc32", "crc32"),
                                                ("composite-sha256", "sha256"), ("crc64nvme", "crc64nvme")])
def test_object_parts_are_listed_in_pages_with_their_checksums(uploaded, key, algorithm):
    s3, bucket, _ = uploaded
    name = f"Checksum{algorithm.upper()}"
    parts = [{"PartNumber": n, "Size": len(body), name: b64(digest(algorithm, body))}
             for n, body in enumerate((PART, PART, TAIL), 1)]
    first = s3.get_object_attributes(Bucket=bucket, Key=key, ObjectAttributes=["ObjectParts"], MaxParts=2)
    assert first["ObjectParts"] == {"TotalPartsCount": 3, "PartNumberMarker": 0, "NextPartNumberMarker": 2,
                                    "MaxParts": 2, "IsTruncated": True, "Parts": parts[:2]}
    rest = s3.get_object_attributes(Bucket=bucket, Key=key, ObjectAttributes=["ObjectParts"],
                                    PartNumberMarker=2)
    assert rest["ObjectParts"] == {"TotalPartsCount": 3, "PartNumberMarker": 2, "NextPartNumberMarker": 3,
                                   "MaxParts": 1000, "IsTruncated": False, "Parts": parts[2:]}


def test_object_parts_without_a_checksum_are_counted_only(uploaded, server):
    s3, bucket, _ = uploaded
    attributes = s3.get_object_attributes(Bucket=bucket, Key="none",
                                          ObjectAttributes=["ObjectParts", "Checksum"])
    assert attributes["ObjectParts"] == {"TotalPartsCount": 3} and "Checksum" not in attributes
    status, _, body = signed(server, "GET", f"/{bucket}/none", "attributes",
                                   {"x-amz-object-attributes": "ObjectParts"})
    assert status == 200 and b"<ObjectParts><PartsCount>3</PartsCount></ObjectParts>" in body
