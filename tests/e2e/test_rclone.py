"""rclone (the Debian package) against a real server, configured only through the environment.

rclone switches to multipart above --s3-upload-cutoff (200 MiB by default): the 100 MiB object is
a single PutObject with rclone's defaults, and multipart with a lower cutoff.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import (
    ACCESS_KEY,
    BIG,
    SECRET_KEY,
    Server,
    cleanup_bucket,
    md5_file,
    multipart_etag,
    write_tree,
)

RCLONE = shutil.which("rclone") or "/usr/bin/rclone"
SIZES = [0, 1, 4096, 5 << 20]

pytestmark = pytest.mark.skipif(not Path(RCLONE).exists(), reason="rclone not installed")


class Rclone:
    def __init__(self, server: Server, provider: str, config: Path) -> None:
        self.env = server.env()
        # the AWS SDK inside rclone refuses AWS_CA_BUNDLE with rclone's own HTTP transport
        # ("LoadCustomCABundleError ... unsupported transport"); nothing here is TLS anyway
        self.env.pop("AWS_CA_BUNDLE", None)
        self.env.update(
            RCLONE_CONFIG=str(config),
            RCLONE_CONFIG_CAIRN_TYPE="s3",
            RCLONE_CONFIG_CAIRN_PROVIDER=provider,
            RCLONE_CONFIG_CAIRN_ACCESS_KEY_ID=ACCESS_KEY,
            RCLONE_CONFIG_CAIRN_SECRET_ACCESS_KEY=SECRET_KEY,
            RCLONE_CONFIG_CAIRN_ENDPOINT=server.endpoint,
            RCLONE_CONFIG_CAIRN_REGION="us-east-1",
            RCLONE_CONFIG_CAIRN_ENV_AUTH="false",
        )

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([RCLONE, "--retries", "1", "--low-level-retries", "1", *args],
                              env=self.env, capture_output=True, text=True, timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError(f"rclone {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    def out(self, *args: str) -> str:
        return self.run(*args).stdout

    def lsf(self, *args: str) -> list[str]:
        return sorted(self.out("lsf", *args).splitlines())

    def lsjson(self, *args: str) -> list[dict[str, Any]]:
        return sorted(json.loads(self.out("lsjson", *args)), key=lambda e: e["Path"])


@pytest.fixture(params=["Minio", "Other"])
def rclone(request: pytest.FixtureRequest, server: Server, tmp_path: Path) -> Rclone:
    config = tmp_path / "rclone.conf"
    config.write_text("")
    return Rclone(server, request.param, config)


@pytest.fixture
def rbucket(rclone: Rclone, s3: Any) -> Iterator[str]:
    name = f"rcl-{uuid.uuid4().hex[:12]}"
    rclone.run("mkdir", f"cairn:{name}")
    yield name
    cleanup_bucket(s3, name)  # with boto3, so a failing rclone does not leak buckets


def make_tree(root: Path) -> dict[str, bytes]:
    return write_tree(root, {
        "empty": b"",
        "one": b"1",
        "four-k": os.urandom(4096),
        "dir/a.txt": b"alpha\n",
        "dir/b.bin": os.urandom(70_000),
        "dir/sub/c": os.urandom(5 << 20),
        "dir/sub/deeper/d": b"d",
        "other/é ü/x y": b"unicode and spaces",
        "other/plus+sign": b"+",
    })


def test_bucket_mkdir_lsd_rmdir(rclone: Rclone, s3: Any) -> None:
    name = f"rcl-{uuid.uuid4().hex[:12]}"
    rclone.run("mkdir", f"cairn:{name}")
    s3.head_bucket(Bucket=name)
    assert name in rclone.out("lsd", "cairn:")
    rclone.run("mkdir", f"cairn:{name}")  # already there: still fine
    rclone.run("rmdir", f"cairn:{name}")
    assert name not in rclone.out("lsd", "cairn:")
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


@pytest.mark.parametrize("size", SIZES)
def test_copyto_sizes(rclone: Rclone, rbucket: str, tmp_path: Path, size: int) -> None:
    src = tmp_path / "src"
    src.write_bytes(os.urandom(size))
    rclone.run("copyto", str(src), f"cairn:{rbucket}/obj-{size}")
    [entry] = rclone.lsjson(f"cairn:{rbucket}/obj-{size}", "--hash")
    assert entry["Size"] == size
    assert entry["Hashes"]["md5"] == md5_file(src)
    dst = tmp_path / "dst"
    rclone.run("copyto", f"cairn:{rbucket}/obj-{size}", str(dst))
    assert dst.read_bytes() == src.read_bytes()
    assert cat_bytes(rclone, f"cairn:{rbucket}/obj-{size}") == src.read_bytes()
    # rclone stores the local modification time as metadata and reads it back
    assert int(os.path.getmtime(dst)) == int(os.path.getmtime(src))


@pytest.mark.parametrize("multipart", [False, True], ids=["single-put", "multipart"])
def test_big_object(
    rclone: Rclone, rbucket: str, big_file: tuple[Path, str], tmp_path: Path, s3: Any, multipart: bool
) -> None:
    path, md5 = big_file
    flags = ["--s3-upload-cutoff", "10M", "--s3-chunk-size", "5M", "--s3-upload-concurrency", "4"]
    rclone.run("copyto", *(flags if multipart else []), str(path), f"cairn:{rbucket}/big")
    head = s3.head_object(Bucket=rbucket, Key="big")
    etag = multipart_etag(path, 5 << 20) if multipart else md5
    assert head["ContentLength"] == BIG and head["ETag"] == f'"{etag}"'
    assert rclone.out("md5sum", f"cairn:{rbucket}/big").split()[0] == md5
    out = tmp_path / "big.out"
    rclone.run("copyto", f"cairn:{rbucket}/big", str(out))
    assert md5_file(out) == md5
    # range GET inside the big object
    with path.open("rb") as f:
        f.seek((64 << 20) - 3)
        want = f.read(10)
    assert cat_bytes(rclone, f"cairn:{rbucket}/big", (64 << 20) - 3, 10) == want


def cat_bytes(rclone: Rclone, remote: str, offset: int | None = None, count: int | None = None) -> bytes:
    args = [RCLONE, "cat", remote]
    if offset is not None:
        args += ["--offset", str(offset)]
    if count is not None:
        args += ["--count", str(count)]
    proc = subprocess.run(args, env=rclone.env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_tree_round_trip_listing_check(rclone: Rclone, rbucket: str, tmp_path: Path) -> None:
    up = tmp_path / "up"
    files = make_tree(up)
    remote = f"cairn:{rbucket}"
    rclone.run("copy", str(up), remote)
    # recursive listing: every file, nothing else
    assert rclone.lsf("-R", "--files-only", remote) == sorted(files)
    # delimiter listings at the top and under sub-prefixes
    assert rclone.lsf(remote) == ["dir/", "empty", "four-k", "one", "other/"]
    assert rclone.lsf(f"{remote}/dir") == ["a.txt", "b.bin", "sub/"]
    assert rclone.lsf(f"{remote}/dir/sub") == ["c", "deeper/"]
    assert rclone.lsf(f"{remote}/other") == ["plus+sign", "é ü/"]
    assert rclone.lsf(f"{remote}/other/é ü") == ["x y"]
    assert rclone.lsf("--dirs-only", "-R", remote) == ["dir/", "dir/sub/", "dir/sub/deeper/", "other/",
                                                        "other/é ü/"]
    entries = rclone.lsjson("-R", "--files-only", "--hash", remote)
    assert {e["Path"]: e["Size"] for e in entries} == {k: len(v) for k, v in files.items()}
    assert {e["Path"]: e["Hashes"]["md5"] for e in entries} == {
        k: hashlib.md5(v).hexdigest() for k, v in files.items()}
    sub = rclone.lsjson(f"{remote}/dir/sub")
    assert [(e["Path"], e["IsDir"]) for e in sub] == [("c", False), ("deeper", True)]
    # md5sum/hashsum compare the server's ETags with the local files
    sums = {}
    for line in rclone.out("md5sum", remote).splitlines():
        md5, name = line.split("  ", 1)
        sums[name] = md5
    assert sums == {k: hashlib.md5(v).hexdigest() for k, v in files.items()}
    hashed = rclone.out("hashsum", "MD5", f"{remote}/dir")
    assert f"{hashlib.md5(files['dir/a.txt']).hexdigest()}  a.txt" in hashed
    # check: sizes and hashes all match
    proc = rclone.run("check", str(up), remote)
    assert "0 differences found" in proc.stderr
    # a second copy finds everything up to date (size, mtime metadata and ETag all match)
    again = rclone.run("copy", "-v", "--stats-one-line", str(up), remote)
    assert "Copied" not in again.stderr, again.stderr
    # download the tree and compare
    down = tmp_path / "down"
    rclone.run("copy", remote, str(down))
    got = {str(p.relative_to(down)): p.read_bytes() for p in down.rglob("*") if p.is_file()}
    assert got == files
    # a sub-tree only
    part = tmp_path / "part"
    rclone.run("copy", f"{remote}/dir/sub", str(part))
    assert sorted(str(p.relative_to(part)) for p in part.rglob("*") if p.is_file()) == ["c", "deeper/d"]


def test_sync_follows_changes(rclone: Rclone, rbucket: str, tmp_path: Path, s3: Any) -> None:
    up = tmp_path / "up"
    make_tree(up)
    remote = f"cairn:{rbucket}"
    rclone.run("sync", str(up), remote)
    # modify, delete and add local files; sync again
    (up / "one").write_bytes(b"2")
    (up / "dir" / "a.txt").write_bytes(b"changed, and longer\n")
    (up / "empty").unlink()
    shutil.rmtree(up / "dir" / "sub")
    (up / "new").write_bytes(b"new file")
    # rclone 1.60's s3 backend deletes one DeleteObject at a time (it has no batch delete);
    # multi-delete (DeleteObjects) is covered by minio-py's remove_objects
    rclone.run("sync", str(up), remote)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=rbucket).get("Contents", []))
    want = sorted(str(p.relative_to(up)) for p in up.rglob("*") if p.is_file())
    assert keys == want
    assert "dir/sub/c" not in keys and "empty" not in keys
    assert s3.get_object(Bucket=rbucket, Key="one")["Body"].read() == b"2"
    assert s3.get_object(Bucket=rbucket, Key="dir/a.txt")["Body"].read() == b"changed, and longer\n"
    proc = rclone.run("check", str(up), remote)
    assert "0 differences found" in proc.stderr
    # a difference is reported
    (up / "new").write_bytes(b"new file!")
    proc = rclone.run("check", str(up), remote, check=False)
    assert proc.returncode != 0 and "1 differences found" in proc.stderr


def test_server_side_copy_and_move(rclone: Rclone, rbucket: str, tmp_path: Path, s3: Any) -> None:
    body = os.urandom(300_000)
    src = tmp_path / "src"
    src.write_bytes(body)
    remote = f"cairn:{rbucket}"
    rclone.run("copyto", str(src), f"{remote}/a")
    proc = rclone.run("copyto", "-vv", f"{remote}/a", f"{remote}/b")
    assert "server-side copy" in proc.stderr.lower(), proc.stderr
    assert s3.get_object(Bucket=rbucket, Key="b")["Body"].read() == body
    head_a = s3.head_object(Bucket=rbucket, Key="a")
    head_b = s3.head_object(Bucket=rbucket, Key="b")
    assert head_a["ETag"] == head_b["ETag"] and head_a["Metadata"] == head_b["Metadata"]
    # to another bucket
    other = f"rcl-{uuid.uuid4().hex[:12]}"
    rclone.run("mkdir", f"cairn:{other}")
    try:
        proc = rclone.run("copyto", "-vv", f"{remote}/a", f"cairn:{other}/c")
        assert "server-side copy" in proc.stderr.lower(), proc.stderr
        assert cat_bytes(rclone, f"cairn:{other}/c") == body
        # move is copy + delete
        rclone.run("moveto", f"cairn:{other}/c", f"{remote}/moved")
        assert rclone.lsf(f"cairn:{other}") == []
        assert cat_bytes(rclone, f"{remote}/moved") == body
    finally:
        rclone.run("purge", f"cairn:{other}", check=False)
    assert other not in rclone.out("lsd", "cairn:")
    assert rclone.lsf(remote) == ["a", "b", "moved"]


def test_link_presigned_get_with_curl(rclone: Rclone, rbucket: str, tmp_path: Path) -> None:
    # for S3, `rclone link` makes a presigned GET URL
    src = tmp_path / "src"
    src.write_bytes(os.urandom(200_000))
    rclone.run("copyto", str(src), f"cairn:{rbucket}/dir/linked file")
    url = rclone.out("link", "--expire", "5m", f"cairn:{rbucket}/dir/linked file").strip()
    assert "X-Amz-Signature=" in url
    out = subprocess.run(["curl", "-sSf", url], check=True, capture_output=True).stdout
    assert out == src.read_bytes()
    ranged = subprocess.run(["curl", "-sSf", "-r", "-7", url], check=True, capture_output=True).stdout
    assert ranged == src.read_bytes()[-7:]


def test_cat_ranges(rclone: Rclone, rbucket: str, tmp_path: Path) -> None:
    body = os.urandom(5 << 20)
    src = tmp_path / "src"
    src.write_bytes(body)
    remote = f"cairn:{rbucket}/r"
    rclone.run("copyto", str(src), remote)
    assert cat_bytes(rclone, remote) == body
    for offset, count in [(0, 1), (100, 1 << 20), (len(body) - 10, 10), (12345, None), (len(body) - 5, 100)]:
        want = body[offset:offset + count] if count is not None else body[offset:]
        assert cat_bytes(rclone, remote, offset, count) == want
    # a negative offset counts from the end (a suffix range)
    assert cat_bytes(rclone, remote, -20) == body[-20:]
    assert cat_bytes(rclone, remote, -20, 5) == body[-20:-15]


def test_presigned_request_upload(rclone: Rclone, rbucket: str, tmp_path: Path, s3: Any) -> None:
    # the PutObject rclone < 1.59 used: a presigned URL sent by rclone's own HTTP client
    src = tmp_path / "src"
    src.write_bytes(os.urandom(70_000))
    rclone.run("copyto", "--s3-use-presigned-request", str(src), f"cairn:{rbucket}/pre")
    assert s3.get_object(Bucket=rbucket, Key="pre")["Body"].read() == src.read_bytes()


def test_rcat_and_v2_auth(rclone: Rclone, rbucket: str, tmp_path: Path) -> None:
    # rcat streams stdin; below --streaming-upload-cutoff (100 KiB) it is one PutObject
    body = os.urandom(50_000)
    proc = subprocess.run([RCLONE, "rcat", f"cairn:{rbucket}/streamed"], input=body, env=rclone.env,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert cat_bytes(rclone, f"cairn:{rbucket}/streamed") == body
    # the same server through AWS signature version 2
    src = tmp_path / "v2"
    src.write_bytes(os.urandom(10_000))
    rclone.run("--s3-v2-auth", "copyto", str(src), f"cairn:{rbucket}/dir/v2 obj")
    assert rclone.lsf("--s3-v2-auth", f"cairn:{rbucket}/dir") == ["v2 obj"]
    rclone.run("--s3-v2-auth", "copyto", f"cairn:{rbucket}/dir/v2 obj", str(tmp_path / "v2.out"))
    assert (tmp_path / "v2.out").read_bytes() == src.read_bytes()
    rclone.run("--s3-v2-auth", "deletefile", f"cairn:{rbucket}/dir/v2 obj")
    assert rclone.lsf(f"cairn:{rbucket}") == ["streamed"]


@pytest.mark.parametrize("list_version", ["1", "2"])
def test_list_versions_and_paging(
    rclone: Rclone, rbucket: str, tmp_path: Path, list_version: str
) -> None:
    up = tmp_path / "up"
    names = [f"d{i}/f{j}" for i in range(3) for j in range(4)] + ["top"]
    for n in names:
        (up / n).parent.mkdir(parents=True, exist_ok=True)
        (up / n).write_bytes(n.encode())
    remote = f"cairn:{rbucket}"
    rclone.run("copy", str(up), remote)
    opts = ["--s3-list-version", list_version, "--s3-list-chunk", "2"]
    assert rclone.lsf(*opts, "-R", "--files-only", remote) == sorted(names)
    assert rclone.lsf(*opts, remote) == ["d0/", "d1/", "d2/", "top"]
    assert rclone.lsf(*opts, f"{remote}/d1") == ["f0", "f1", "f2", "f3"]


def test_delete_purge_rmdir(rclone: Rclone, rbucket: str, tmp_path: Path, s3: Any) -> None:
    up = tmp_path / "up"
    files = make_tree(up)
    remote = f"cairn:{rbucket}"
    rclone.run("copy", str(up), remote)
    rclone.run("deletefile", f"{remote}/one")
    rclone.run("delete", f"{remote}/dir/sub")
    rclone.run("delete", "--include", "*.txt", remote)
    left = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=rbucket)["Contents"])
    assert left == sorted(k for k in files if k != "one" and not k.startswith("dir/sub/")
                          and not k.endswith(".txt"))
    proc = rclone.run("rmdir", remote, check=False)
    assert proc.returncode != 0  # not empty: BucketNotEmpty
    s3.head_bucket(Bucket=rbucket)
    rclone.run("purge", remote)
    assert rbucket not in rclone.out("lsd", "cairn:")


def test_purge_empties_and_removes_the_bucket_without_errors(rclone: Rclone, s3: Any) -> None:
    """rclone's purge asks for the bucket's versioning first; an error there used to be logged as
    an ERROR (GetBucketVersioning was NotImplemented)."""
    name = f"rcl-{uuid.uuid4().hex[:12]}"
    rclone.run("mkdir", f"cairn:{name}")
    try:
        for i in range(5):
            s3.put_object(Bucket=name, Key=f"dir/{i}", Body=b"x" * i)
        proc = rclone.run("purge", f"cairn:{name}")
        assert "ERROR" not in proc.stderr, proc.stderr
        assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    finally:
        cleanup_bucket(s3, name)
