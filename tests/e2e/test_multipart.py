"""Multipart uploads through boto3 against a real server: transfers across the multipart threshold
with every checksum algorithm, the low-level operations and S3's refusals, UploadPartCopy, listings,
aborts (and the space they give back), expiry of stale uploads, GetObjectAttributes."""

from __future__ import annotations

import base64
import hashlib
import os
import time
import zlib
from pathlib import Path

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from cairn.engine.checksums import digest

from .conftest import md5_file, start_server, stop_server_process, write_random

MiB = 1 << 20
PART = 5 * MiB
# 8 MiB threshold and 5 MiB parts, four threads: a 23 MiB file goes up as 5 parts in parallel.
TRANSFER = TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=PART, max_concurrency=4)


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])



def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def stored_bytes(drives: list[Path]) -> int:
    return sum(f.stat().st_size for d in drives for f in (d / ".cairn" / "data").rglob("*") if f.is_file())


@pytest.fixture(scope="module")
def file23(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, bytes]:
    path = tmp_path_factory.mktemp("mp") / "f23.bin"
    md5 = write_random(path, 23 * MiB)
    return path, md5, path.read_bytes()


@pytest.mark.parametrize("algorithm", [None, "CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"])
def test_upload_and_download_file_across_the_threshold(s3, bucket, file23, tmp_path, algorithm):
    path, md5, data = file23
    extra = {"ChecksumAlgorithm": algorithm} if algorithm else {}
    s3.upload_file(str(path), bucket, "big", ExtraArgs=extra, Config=TRANSFER)
    out = tmp_path / "down.bin"
    s3.download_file(bucket, "big", str(out), Config=TRANSFER)
    assert md5_file(out) == md5

    parts = [data[i:i + PART] for i in range(0, len(data), PART)]
    head = s3.head_object(Bucket=bucket, Key="big", ChecksumMode="ENABLED")
    md5s = b"".join(hashlib.md5(p).digest() for p in parts)
    assert head["ETag"] == f'"{hashlib.md5(md5s).hexdigest()}-5"'
    assert head["ContentLength"] == len(data)
    used = (algorithm or "CRC32").lower()  # boto3's default for uploads is CRC32
    field = f"Checksum{used.upper()}"
    if used == "crc64nvme":  # S3: CRC64NVME multipart checksums are FULL_OBJECT
        assert head[field] == b64(digest(used, data))
        assert head["ChecksumType"] == "FULL_OBJECT"
    else:
        composite = digest(used, b"".join(digest(used, p) for p in parts))
        assert head[field] == f"{b64(composite)}-5"
        assert head["ChecksumType"] == "COMPOSITE"

    attrs = s3.get_object_attributes(Bucket=bucket, Key="big",
                                     ObjectAttributes=["ETag", "Checksum", "ObjectParts", "ObjectSize"])
    assert attrs["ETag"] == head["ETag"].strip('"')
    assert attrs["ObjectSize"] == len(data)
    assert attrs["ObjectParts"]["TotalPartsCount"] == 5
    assert attrs["Checksum"][field] == head[field].split("-")[0]
    if used != "crc64nvme":
        assert [(p["PartNumber"], p["Size"], p[field]) for p in attrs["ObjectParts"]["Parts"]] == [
            (i + 1, len(p), b64(digest(used, p))) for i, p in enumerate(parts)]

    # partNumber GET: the part's bytes, its checksum (validated by botocore), the part count.
    got = s3.get_object(Bucket=bucket, Key="big", PartNumber=5, ChecksumMode="ENABLED")
    assert got["Body"].read() == parts[4]
    assert got["PartsCount"] == 5
    assert got["ContentRange"] == f"bytes {4 * PART}-{len(data) - 1}/{len(data)}"
    ranged = s3.get_object(Bucket=bucket, Key="big", Range=f"bytes={PART - 10}-{PART + 9}")
    assert ranged["Body"].read() == data[PART - 10:PART + 10]


def test_full_object_crc_checksums(s3, bucket):
    parts = [os.urandom(PART), os.urandom(PART), os.urandom(1234)]
    whole = b"".join(parts)
    for algorithm in ("CRC32", "CRC32C", "CRC64NVME"):
        low = algorithm.lower()
        up = s3.create_multipart_upload(Bucket=bucket, Key="full", ChecksumAlgorithm=algorithm,
                                        ChecksumType="FULL_OBJECT")
        assert up["ChecksumType"] == "FULL_OBJECT"
        listed = []
        for n, body in enumerate(parts, 1):
            r = s3.upload_part(Bucket=bucket, Key="full", UploadId=up["UploadId"], PartNumber=n, Body=body,
                               ChecksumAlgorithm=algorithm)
            assert r[f"Checksum{algorithm}"] == b64(digest(low, body))
            listed.append({"PartNumber": n, "ETag": r["ETag"]})
        wrong = b64(digest(low, whole[:-1]))
        with pytest.raises(ClientError) as bad:
            s3.complete_multipart_upload(Bucket=bucket, Key="full", UploadId=up["UploadId"],
                                         MultipartUpload={"Parts": listed},
                                         ChecksumType="FULL_OBJECT", **{f"Checksum{algorithm}": wrong})
        assert code(bad) == "BadDigest"
        done = s3.complete_multipart_upload(Bucket=bucket, Key="full", UploadId=up["UploadId"],
                                            MultipartUpload={"Parts": listed}, ChecksumType="FULL_OBJECT",
                                            MpuObjectSize=len(whole),
                                            **{f"Checksum{algorithm}": b64(digest(low, whole))})
        assert done[f"Checksum{algorithm}"] == b64(digest(low, whole))
        got = s3.get_object(Bucket=bucket, Key="full", ChecksumMode="ENABLED")  # botocore validates it
        assert got["Body"].read() == whole
        assert got[f"Checksum{algorithm}"] == b64(digest(low, whole))
        assert zlib.crc32(whole) == int.from_bytes(digest("crc32", whole), "big")


def test_part_checksum_mismatch_stores_nothing(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="SHA256")
    uid = up["UploadId"]
    with pytest.raises(ClientError) as bad:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1, Body=b"data",
                       ChecksumSHA256=b64(digest("sha256", b"other")))
    assert code(bad) == "BadDigest"
    with pytest.raises(ClientError) as other:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1, Body=b"data",
                       ChecksumAlgorithm="CRC32C")
    assert code(other) == "InvalidRequest"
    assert "expected checksum Type: sha256" in other.value.response["Error"]["Message"]
    assert s3.list_parts(Bucket=bucket, Key="k", UploadId=uid).get("Parts", []) == []
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=uid)


def test_complete_refusals_leave_the_object_alone(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"old")
    uid = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    bodies = [os.urandom(PART), os.urandom(100), os.urandom(10)]
    etags = [s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=n, Body=b)["ETag"]
             for n, b in enumerate(bodies, 1)]
    listed = [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]

    def complete(parts):  # type: ignore[no-untyped-def]
        return s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=uid,
                                            MultipartUpload={"Parts": parts})

    for parts, expected in [([listed[1], listed[0]], "InvalidPartOrder"),
                            ([{"PartNumber": 1, "ETag": '"' + "0" * 32 + '"'}], "InvalidPart"),
                            ([{"PartNumber": 7, "ETag": etags[0]}], "InvalidPart"),
                            (listed, "EntityTooSmall")]:
        with pytest.raises(ClientError) as refused:
            complete(parts)
        assert code(refused) == expected
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"old"
    done = complete([listed[0], listed[2]])
    assert done["ETag"].endswith('-2"')
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == bodies[0] + bodies[2]
    assert complete([listed[0], listed[2]])["ETag"] == done["ETag"]  # a retry: answered as before
    with pytest.raises(ClientError) as again:
        complete([listed[0]])  # the upload is over for any other part list
    assert code(again) == "NoSuchUpload"
    assert again.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as beyond:
        s3.head_object(Bucket=bucket, Key="k", PartNumber=3)
    assert beyond.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
    with pytest.raises(ClientError) as bad_number:
        s3.upload_part(Bucket=bucket, Key="k", UploadId="0" * 32, PartNumber=10001, Body=b"x")
    assert code(bad_number) == "InvalidArgument"
    with pytest.raises(ClientError) as unknown:
        s3.upload_part(Bucket=bucket, Key="k", UploadId="../../etc", PartNumber=1, Body=b"x")
    assert code(unknown) == "NoSuchUpload"


def test_upload_part_copy_with_ranges(s3, bucket):
    source = os.urandom(12 * MiB + 77)
    s3.put_object(Bucket=bucket, Key="src", Body=source)
    etag = s3.head_object(Bucket=bucket, Key="src")["ETag"]
    uid = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    whole = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "src"})
    listed = [{"PartNumber": 1, "ETag": whole["CopyPartResult"]["ETag"]}]
    ranges = [(0, PART - 1), (PART, 2 * PART + 99), (2 * PART + 100, len(source) - 1)]
    for n, (first, last) in enumerate(ranges, 2):
        r = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=n,
                                CopySource={"Bucket": bucket, "Key": "src"},
                                CopySourceRange=f"bytes={first}-{last}", CopySourceIfMatch=etag)
        listed.append({"PartNumber": n, "ETag": r["CopyPartResult"]["ETag"]})
        assert r["CopyPartResult"]["ETag"].strip('"') == hashlib.md5(source[first:last + 1]).hexdigest()
    for bad_range in [f"bytes=0-{len(source)}", "bytes=5-1", "0-10"]:
        with pytest.raises(ClientError) as refused:
            s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=9,
                                CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=bad_range)
        assert code(refused) == "InvalidArgument"
    with pytest.raises(ClientError) as condition:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=9,
                            CopySource={"Bucket": bucket, "Key": "src"}, CopySourceIfNoneMatch=etag)
    assert code(condition) == "PreconditionFailed"
    s3.complete_multipart_upload(Bucket=bucket, Key="dst", UploadId=uid, MultipartUpload={"Parts": listed})
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == source + source


def test_list_parts_and_uploads_pagination(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="many")["UploadId"]
    for n in range(1, 8):
        s3.upload_part(Bucket=bucket, Key="many", UploadId=uid, PartNumber=n, Body=b"p%d" % n)
    pages = list(s3.get_paginator("list_parts").paginate(Bucket=bucket, Key="many", UploadId=uid,
                                                          PaginationConfig={"PageSize": 3}))
    assert [[p["PartNumber"] for p in page["Parts"]] for page in pages] == [[1, 2, 3], [4, 5, 6], [7]]
    assert pages[0]["IsTruncated"] and pages[0]["NextPartNumberMarker"] == 3
    assert pages[1]["Parts"][0]["Size"] == 2

    keys = ["a/1", "a/2", "b", "a/1", "c/d/e"]
    ids = [s3.create_multipart_upload(Bucket=bucket, Key=k)["UploadId"] for k in keys]
    pages = list(s3.get_paginator("list_multipart_uploads").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": 2}))
    seen = [(u["Key"], u["UploadId"]) for page in pages for u in page.get("Uploads", [])]
    assert [k for k, _ in seen] == ["a/1", "a/1", "a/2", "b", "c/d/e", "many"]
    assert [u for k, u in seen if k == "a/1"] == [ids[0], ids[3]]  # same key: by initiation time
    assert len(pages) == 3
    top = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "c/"]
    assert [u["Key"] for u in top["Uploads"]] == ["b", "many"]
    for key, upload in [*zip(keys, ids, strict=True), ("many", uid)]:
        s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_abort_mid_upload_gives_the_space_back(s3, bucket, server):
    before = stored_bytes(server.drives)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="abandoned")["UploadId"]
    for n in range(1, 4):
        s3.upload_part(Bucket=bucket, Key="abandoned", UploadId=uid, PartNumber=n, Body=os.urandom(PART))
    during = stored_bytes(server.drives)
    assert during - before >= 3 * PART  # 3 parts, 2+2 erasure coded: twice that on disk
    s3.abort_multipart_upload(Bucket=bucket, Key="abandoned", UploadId=uid)
    assert stored_bytes(server.drives) == before
    with pytest.raises(ClientError) as gone:
        s3.list_parts(Bucket=bucket, Key="abandoned", UploadId=uid)
    assert code(gone) == "NoSuchUpload"
    with pytest.raises(ClientError) as twice:
        s3.abort_multipart_upload(Bucket=bucket, Key="abandoned", UploadId=uid)
    assert code(twice) == "NoSuchUpload"


def test_get_object_attributes_of_a_single_put(s3, bucket):
    body = os.urandom(1000)
    s3.put_object(Bucket=bucket, Key="one", Body=body, ChecksumAlgorithm="SHA256")
    attrs = s3.get_object_attributes(Bucket=bucket, Key="one",
                                     ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass",
                                                       "ObjectSize"])
    assert attrs["ETag"] == hashlib.md5(body).hexdigest()
    assert attrs["Checksum"]["ChecksumSHA256"] == b64(digest("sha256", body))
    assert attrs["StorageClass"] == "STANDARD" and attrs["ObjectSize"] == 1000
    assert "ObjectParts" not in attrs
    with pytest.raises(ClientError) as bad:
        s3.get_object_attributes(Bucket=bucket, Key="one", ObjectAttributes=["Colour"])
    assert code(bad) == "InvalidArgument"


def test_stale_uploads_expire(tmp_path):
    import boto3

    from .conftest import ACCESS_KEY, SECRET_KEY

    srv = start_server(tmp_path, drives=1, extra=("--stale-uploads-after", "2s"))
    try:
        s3 = boto3.client("s3", endpoint_url=srv.endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
        s3.create_bucket(Bucket="stale")
        uid = s3.create_multipart_upload(Bucket="stale", Key="k")["UploadId"]
        s3.upload_part(Bucket="stale", Key="k", UploadId=uid, PartNumber=1, Body=os.urandom(MiB))
        assert stored_bytes(srv.drives) >= MiB
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and s3.list_multipart_uploads(Bucket="stale").get("Uploads"):
            time.sleep(0.25)
        assert s3.list_multipart_uploads(Bucket="stale").get("Uploads", []) == []
        assert stored_bytes(srv.drives) == 0
        assert "aborted 1 multipart upload" in srv.log.read_text()
    finally:
        stop_server_process(srv.process)


def test_checksums_in_aws_chunked_trailers(s3, bucket, monkeypatch):
    """boto3 sends checksums as aws-chunked trailers (STREAMING-UNSIGNED-PAYLOAD-TRAILER) over
    TLS only; make botocore believe the endpoint is https so it sends the very bytes it would."""
    from urllib.parse import urlparse

    import botocore.httpchecksum

    def as_https(url: str):  # type: ignore[no-untyped-def]
        return urlparse(url.replace("http://", "https://", 1))

    monkeypatch.setattr(botocore.httpchecksum, "urlparse", as_https)
    seen: list[tuple[str, str]] = []

    def capture(request, **_):  # type: ignore[no-untyped-def]
        seen.append((request.headers.get("x-amz-content-sha256", b"").decode(),
                     request.headers.get("x-amz-trailer", b"").decode()))

    s3.meta.events.register("before-send.s3.UploadPart", capture)
    parts = [os.urandom(PART), os.urandom(777)]
    for algorithm in ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"):
        low = algorithm.lower()
        kind = "FULL_OBJECT" if low == "crc64nvme" else "COMPOSITE"
        uid = s3.create_multipart_upload(Bucket=bucket, Key="t", ChecksumAlgorithm=algorithm)["UploadId"]
        listed = []
        for n, body in enumerate(parts, 1):
            r = s3.upload_part(Bucket=bucket, Key="t", UploadId=uid, PartNumber=n, Body=body,
                               ChecksumAlgorithm=algorithm)
            assert r[f"Checksum{algorithm}"] == b64(digest(low, body))
            listed.append({"PartNumber": n, "ETag": r["ETag"],
                           f"Checksum{algorithm}": r[f"Checksum{algorithm}"]})
            assert seen[-1] == ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", f"x-amz-checksum-{low}")
        done = s3.complete_multipart_upload(Bucket=bucket, Key="t", UploadId=uid,
                                            MultipartUpload={"Parts": listed})
        assert done["ChecksumType"] == kind
        put = s3.put_object(Bucket=bucket, Key="single", Body=parts[1], ChecksumAlgorithm=algorithm)
        assert put[f"Checksum{algorithm}"] == b64(digest(low, parts[1]))
