"""minio-py (the MinIO Python SDK) against a real server.

put_object/fput_object switch to multipart when the length exceeds the part size (by default
computed from the length, 5 MiB minimum).  Most calls here pass part_size=PART_SIZE (128 MiB) to
test single PUTs; test_big_fput_fget takes the SDK's defaults (multipart), and unknown lengths
stream as multipart too.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from minio import Minio
from minio.commonconfig import REPLACE, CopySource
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from .conftest import ACCESS_KEY, BIG, md5_file, multipart_etag, read_all

PART_SIZE = 128 << 20  # larger than any object here: one PutObject, never multipart
SIZES = [0, 1, 4096, 5 << 20]


def meta(mc: Minio, bucket: str, key: str) -> Any:
    """stat_object's response headers (metadata is typed Optional; a HEAD always has it)."""
    stat = mc.stat_object(bucket, key)
    assert stat.metadata is not None
    return stat.metadata


@pytest.fixture
def mbucket(mc: Minio) -> Iterator[str]:
    name = f"mpy-{uuid.uuid4().hex[:12]}"
    mc.make_bucket(name)
    yield name
    for obj in mc.list_objects(name, recursive=True):
        mc.remove_object(name, obj.object_name)
    mc.remove_bucket(name)


def test_buckets(mc: Minio) -> None:
    name = f"mpy-{uuid.uuid4().hex[:12]}"
    assert not mc.bucket_exists(name)
    mc.make_bucket(name)
    try:
        assert mc.bucket_exists(name)
        assert name in [b.name for b in mc.list_buckets()]
        with pytest.raises(S3Error) as exc:
            mc.make_bucket(name)
        assert exc.value.code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists")
        mc.put_object(name, "x", io.BytesIO(b"x"), 1)
        with pytest.raises(S3Error) as exc:
            mc.remove_bucket(name)
        assert exc.value.code == "BucketNotEmpty"
        mc.remove_object(name, "x")
    finally:
        mc.remove_bucket(name)
    assert not mc.bucket_exists(name)
    assert name not in [b.name for b in mc.list_buckets()]


@pytest.mark.parametrize("size", SIZES)
def test_put_get_stat_remove(mc: Minio, mbucket: str, size: int) -> None:
    body = os.urandom(size)
    key = f"obj-{size}"
    result = mc.put_object(mbucket, key, io.BytesIO(body), size, part_size=PART_SIZE,
                           content_type="application/x-test", metadata={"x-amz-meta-color": "blue"})
    assert result.etag == hashlib.md5(body).hexdigest()
    assert read_all(mc.get_object(mbucket, key)) == body
    stat = mc.stat_object(mbucket, key)
    assert stat.size == size and stat.etag == result.etag
    assert stat.content_type == "application/x-test"
    assert meta(mc, mbucket, key)["x-amz-meta-color"] == "blue"
    assert stat.last_modified is not None
    mc.remove_object(mbucket, key)
    with pytest.raises(S3Error) as exc:
        mc.stat_object(mbucket, key)
    assert exc.value.code == "NoSuchKey"


def test_big_fput_fget(mc: Minio, mbucket: str, big_file: tuple[Path, str], tmp_path: Path) -> None:
    path, md5 = big_file
    result = mc.fput_object(mbucket, "big", str(path))  # the SDK's own part size: multipart
    stat = mc.stat_object(mbucket, "big")
    assert stat.size == BIG
    assert result.etag == stat.etag and stat.etag is not None
    count = int(stat.etag.rsplit("-", 1)[1])  # a multipart ETag: md5 of the parts' md5s, "-N"
    assert result.etag == multipart_etag(path, -(-BIG // count))
    out = tmp_path / "big.out"
    mc.fget_object(mbucket, "big", str(out))
    assert out.stat().st_size == BIG and md5_file(out) == md5
    # stream the object through get_object too, without holding it in memory
    response = mc.get_object(mbucket, "big")
    digest = hashlib.md5()
    try:
        for chunk in response.stream(1 << 20):
            digest.update(chunk)
    finally:
        response.close()
        response.release_conn()
    assert digest.hexdigest() == md5
    # a range across a MiB boundary of the big object
    with path.open("rb") as f:
        f.seek((50 << 20) - 7)
        want = f.read(100)
    assert read_all(mc.get_object(mbucket, "big", offset=(50 << 20) - 7, length=100)) == want


@pytest.mark.parametrize("size", SIZES)
def test_fput_fget(mc: Minio, mbucket: str, tmp_path: Path, size: int) -> None:
    src = tmp_path / "src"
    src.write_bytes(os.urandom(size))
    mc.fput_object(mbucket, "f", str(src), part_size=PART_SIZE, content_type="text/plain")
    dst = tmp_path / "dst"
    mc.fget_object(mbucket, "f", str(dst))
    assert dst.read_bytes() == src.read_bytes()
    assert mc.stat_object(mbucket, "f").content_type == "text/plain"


def test_list_objects(mc: Minio, mbucket: str) -> None:
    keys = ["a/1", "a/2", "a/b/3", "b/4", "c", "d/é/5", "e f/6"]
    for k in keys:
        mc.put_object(mbucket, k, io.BytesIO(k.encode()), len(k.encode()))
    ordered = sorted(keys, key=str.encode)
    for v1 in (False, True):
        flat = list(mc.list_objects(mbucket, recursive=True, use_api_v1=v1))
        assert [o.object_name for o in flat] == ordered
        assert [o.size for o in flat] == [len(k.encode()) for k in ordered]
        assert all(not o.is_dir and o.etag for o in flat)
        # delimiter "/": minio-py yields each page's objects, then its common prefixes
        top = sorted(mc.list_objects(mbucket, use_api_v1=v1), key=lambda o: o.object_name)
        assert [(o.object_name, o.is_dir) for o in top] == [
            ("a/", True), ("b/", True), ("c", False), ("d/", True), ("e f/", True)]
        sub = sorted(mc.list_objects(mbucket, prefix="a/", use_api_v1=v1), key=lambda o: o.object_name)
        assert [(o.object_name, o.is_dir) for o in sub] == [("a/1", False), ("a/2", False), ("a/b/", True)]
        deep = list(mc.list_objects(mbucket, prefix="d/", recursive=True, use_api_v1=v1))
        assert [o.object_name for o in deep] == ["d/é/5"]
        assert [o.object_name for o in mc.list_objects(mbucket, prefix="a", recursive=True,
                                                       use_api_v1=v1)] == ["a/1", "a/2", "a/b/3"]
        assert list(mc.list_objects(mbucket, prefix="zzz", recursive=True, use_api_v1=v1)) == []
    after = list(mc.list_objects(mbucket, recursive=True, start_after="b/4"))
    assert [o.object_name for o in after] == ["c", "d/é/5", "e f/6"]
    with_meta = list(mc.list_objects(mbucket, prefix="c", include_user_meta=True))
    assert [o.object_name for o in with_meta] == ["c"]


def test_list_objects_pages(mc: Minio, mbucket: str) -> None:
    # minio-py's public list_objects has no max_keys; its generator does, and follows
    # NextContinuationToken (v2) / NextMarker (v1) across pages
    keys = ["a/1", "a/2", "a/b/3", "b/4", "c", "d/5", "e"]
    for k in keys:
        mc.put_object(mbucket, k, io.BytesIO(b""), 0)
    for v1 in (False, True):
        flat = list(mc._list_objects(mbucket, max_keys=2, use_api_v1=v1, encoding_type="url"))
        assert [o.object_name for o in flat] == keys
        top = list(mc._list_objects(mbucket, delimiter="/", max_keys=2, use_api_v1=v1))
        assert sorted(str(o.object_name) for o in top) == ["a/", "b/", "c", "d/", "e"]
    owned = list(mc.list_objects(mbucket, prefix="c", fetch_owner=True))
    assert owned[0].owner_id


def test_copy_object(mc: Minio, mbucket: str) -> None:
    body = os.urandom(300_000)
    mc.put_object(mbucket, "src", io.BytesIO(body), len(body), content_type="text/x-src",
                  metadata={"x-amz-meta-k": "v"})
    result = mc.copy_object(mbucket, "dst", CopySource(mbucket, "src"))
    assert result.etag == hashlib.md5(body).hexdigest()
    stat = mc.stat_object(mbucket, "dst")
    assert stat.content_type == "text/x-src" and meta(mc, mbucket, "dst")["x-amz-meta-k"] == "v"
    assert read_all(mc.get_object(mbucket, "dst")) == body
    # REPLACE: new metadata, old data
    mc.copy_object(mbucket, "dst2", CopySource(mbucket, "src"), metadata={"x-amz-meta-new": "yes",
                   "Content-Type": "text/plain"}, metadata_directive=REPLACE)
    stat = mc.stat_object(mbucket, "dst2")
    assert stat.content_type == "text/plain" and meta(mc, mbucket, "dst2")["x-amz-meta-new"] == "yes"
    assert "x-amz-meta-k" not in meta(mc, mbucket, "dst2")
    assert read_all(mc.get_object(mbucket, "dst2")) == body
    # in place with REPLACE
    mc.copy_object(mbucket, "src", CopySource(mbucket, "src"), metadata={"x-amz-meta-again": "1"},
                   metadata_directive=REPLACE)
    assert meta(mc, mbucket, "src")["x-amz-meta-again"] == "1"
    # to another bucket, with a source precondition
    other = f"mpy-{uuid.uuid4().hex[:12]}"
    mc.make_bucket(other)
    try:
        etag = mc.stat_object(mbucket, "src").etag
        mc.copy_object(other, "x", CopySource(mbucket, "src", match_etag=etag))
        assert read_all(mc.get_object(other, "x")) == body
        with pytest.raises(S3Error) as exc:
            mc.copy_object(other, "y", CopySource(mbucket, "src", match_etag="0" * 32))
        assert exc.value.code == "PreconditionFailed"
        with pytest.raises(S3Error) as exc:
            mc.copy_object(other, "y", CopySource(mbucket, "missing"))
        assert exc.value.code == "NoSuchKey"
    finally:
        mc.remove_object(other, "x")
        mc.remove_bucket(other)


def test_range_get(mc: Minio, mbucket: str) -> None:
    body = os.urandom(5 << 20)
    mc.put_object(mbucket, "r", io.BytesIO(body), len(body), part_size=PART_SIZE)
    for offset, length in [(0, 1), (100, 1 << 20), (len(body) - 10, 10), (12345, 0), (1, len(body) - 1)]:
        want = body[offset:offset + length] if length else body[offset:]
        assert read_all(mc.get_object(mbucket, "r", offset=offset, length=length)) == want
    with pytest.raises(S3Error) as exc:
        mc.get_object(mbucket, "r", offset=len(body), length=1)
    assert exc.value.code == "InvalidRange"


def test_remove_objects(mc: Minio, mbucket: str) -> None:
    for i in range(10):
        mc.put_object(mbucket, f"k{i}", io.BytesIO(b"x"), 1)
    to_delete = [DeleteObject(f"k{i}") for i in range(8)] + [DeleteObject("nope")]
    errors = list(mc.remove_objects(mbucket, to_delete))
    assert errors == []
    assert [o.object_name for o in mc.list_objects(mbucket)] == ["k8", "k9"]
    mc.remove_object(mbucket, "k8")
    mc.remove_object(mbucket, "k8")  # deleting a missing key succeeds
    assert [o.object_name for o in mc.list_objects(mbucket)] == ["k9"]


def test_presigned_with_curl(mc: Minio, mbucket: str, tmp_path: Path) -> None:
    put_url = mc.presigned_put_object(mbucket, "pre", expires=timedelta(minutes=5))
    src = tmp_path / "up"
    src.write_bytes(os.urandom(200_000))
    subprocess.run(["curl", "-sSf", "-X", "PUT", "-T", str(src), put_url], check=True)
    assert mc.stat_object(mbucket, "pre").size == 200_000
    get_url = mc.presigned_get_object(mbucket, "pre", expires=timedelta(minutes=5))
    out = subprocess.run(["curl", "-sSf", get_url], check=True, capture_output=True).stdout
    assert out == src.read_bytes()
    ranged = subprocess.run(["curl", "-sSf", "-r", "10-19", get_url], check=True, capture_output=True).stdout
    assert ranged == src.read_bytes()[10:20]
    overridden = mc.presigned_get_object(mbucket, "pre", expires=timedelta(minutes=5),
                                         response_headers={"response-content-type": "application/json"})
    headers = subprocess.run(["curl", "-sSf", "-D", "-", "-o", "/dev/null", overridden], check=True,
                             capture_output=True, text=True).stdout.lower()
    assert "content-type: application/json" in headers
    tampered = get_url.replace(f"/{mbucket}/pre?", f"/{mbucket}/pre2?")
    status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", tampered],
                            capture_output=True, text=True).stdout
    assert status == "403"


def test_errors(mc: Minio, mbucket: str) -> None:
    with pytest.raises(S3Error) as exc:
        mc.get_object(mbucket, "missing")
    assert exc.value.code == "NoSuchKey"
    with pytest.raises(S3Error) as exc:
        mc.stat_object(mbucket, "missing")
    assert exc.value.code == "NoSuchKey"
    missing = f"mpy-missing-{uuid.uuid4().hex[:8]}"
    with pytest.raises(S3Error) as exc:
        mc.get_object(missing, "x")
    assert exc.value.code == "NoSuchBucket"
    with pytest.raises(S3Error) as exc:
        list(mc.list_objects(missing))
    assert exc.value.code == "NoSuchBucket"
    with pytest.raises(S3Error) as exc:
        mc.remove_bucket(missing)
    assert exc.value.code == "NoSuchBucket"
    with pytest.raises(S3Error) as exc:
        mc.put_object(missing, "x", io.BytesIO(b"x"), 1)
    assert exc.value.code == "NoSuchBucket"
    mc.put_object(mbucket, "x", io.BytesIO(b"x"), 1)
    with pytest.raises(S3Error) as exc:
        mc.remove_bucket(mbucket)
    assert exc.value.code == "BucketNotEmpty"
    bad = Minio(mc._base_url.host, access_key=ACCESS_KEY, secret_key="wrong-secret", secure=False)
    with pytest.raises(S3Error) as exc:
        bad.stat_object(mbucket, "x")
    assert exc.value.code == "SignatureDoesNotMatch"


def test_put_object_of_unknown_length_streams_in_parts(mc: Minio, mbucket: str) -> None:
    body = os.urandom(12 << 20)
    result = mc.put_object(mbucket, "stream", io.BytesIO(body), length=-1, part_size=5 << 20)
    assert result.etag is not None and result.etag.endswith("-3")
    assert read_all(mc.get_object(mbucket, "stream")) == body
