"""aws CLI v1 (`aws s3 ...` and `aws s3api ...`, run as subprocesses) against a real server."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from .conftest import (
    BIG,
    BIN,
    Server,
    cleanup_bucket,
    make_tree,
    md5_file,
    multipart_etag,
    read_tree,
    write_random,
)

SMALL_SIZES = [0, 1, 4096, 5 << 20]


CLI_PART = 8 << 20  # `aws s3` defaults: multipart above 8 MiB, in 8 MiB parts, 10 at a time


pytestmark = pytest.mark.usefixtures("server_log")


@pytest.fixture(scope="module")
def aws_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CLI's defaults: no s3 settings at all."""
    path = tmp_path_factory.mktemp("awscli-config") / "config"
    path.write_text("[default]\n")
    return path


@pytest.fixture
def aws(server: Server, aws_config: Path):  # type: ignore[no-untyped-def]
    env = server.env()
    env["AWS_CONFIG_FILE"] = str(aws_config)

    def run(*args: str, check: bool = True, cwd: Path | None = None,
            config: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`aws --endpoint-url ... ARGS`; it names local files relative to cwd in its output."""
        cmd = [str(BIN / "aws"), "--endpoint-url", server.endpoint, *args]
        run_env = dict(env, AWS_CONFIG_FILE=str(config)) if config else env
        proc = subprocess.run(cmd, env=run_env, capture_output=True, text=True, timeout=timeout, cwd=cwd)
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{cmd} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    run.env = env  # type: ignore[attr-defined]
    run.base = [str(BIN / "aws"), "--endpoint-url", server.endpoint]  # type: ignore[attr-defined]
    return run


def new_bucket_name() -> str:
    return f"e2e-cli-{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------- aws s3


def test_mb_ls_rb(aws, s3):
    empty, full = new_bucket_name(), new_bucket_name()
    try:
        assert f"make_bucket: {empty}" in aws("s3", "mb", f"s3://{empty}").stdout
        aws("s3", "mb", f"s3://{full}")
        listed = [line.split()[-1] for line in aws("s3", "ls").stdout.splitlines()]
        assert empty in listed and full in listed
        for key in ("a", "d/b", "d/e/c"):
            s3.put_object(Bucket=full, Key=key, Body=b"x")
        # A bucket with objects in it is refused without --force ...
        refused = aws("s3", "rb", f"s3://{full}", check=False)
        assert refused.returncode != 0 and "BucketNotEmpty" in refused.stderr
        # ... and emptied then removed with it.
        out = aws("s3", "rb", "--force", f"s3://{full}").stdout
        assert f"remove_bucket: {full}" in out
        assert sorted(line for line in out.splitlines() if line.startswith("delete:")) == [
            f"delete: s3://{full}/a", f"delete: s3://{full}/d/b", f"delete: s3://{full}/d/e/c"]
        assert f"remove_bucket: {empty}" in aws("s3", "rb", f"s3://{empty}").stdout
        names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        assert empty not in names and full not in names
    finally:
        cleanup_bucket(s3, empty)
        cleanup_bucket(s3, full)


@pytest.mark.parametrize("size", [*SMALL_SIZES, BIG], ids=["0B", "1B", "4KiB", "5MiB", "100MiB"])
def test_cp_round_trip(aws, s3, bucket, tmp_path, big_file, size):
    if size == BIG:
        src, digest = big_file
    else:
        src = tmp_path / "src"
        digest = write_random(src, size)
    out = aws("s3", "cp", "--no-progress", src.name, f"s3://{bucket}/dir/obj", cwd=src.parent).stdout
    assert out.splitlines() == [f"upload: ./{src.name} to s3://{bucket}/dir/obj"]
    head = s3.head_object(Bucket=bucket, Key="dir/obj")
    assert head["ContentLength"] == size
    # Up to the threshold a single PUT (the ETag is the md5), above it parallel parts.
    assert head["ETag"] == f'"{digest if size <= CLI_PART else multipart_etag(src, CLI_PART)}"'
    dst = tmp_path / "dst"
    out = aws("s3", "cp", "--no-progress", f"s3://{bucket}/dir/obj", "dst", cwd=tmp_path).stdout
    assert out.splitlines() == [f"download: s3://{bucket}/dir/obj to ./dst"]
    assert dst.stat().st_size == size
    assert md5_file(dst) == digest


@pytest.mark.slow
def test_cp_one_gib_in_parallel_parts(aws, s3, bucket, tmp_path):
    """1 GiB up and down with the CLI's defaults: 128 parts of 8 MiB, 10 in flight each way."""
    src = tmp_path / "gib.bin"
    digest = write_random(src, 1 << 30)
    aws("s3", "cp", "--no-progress", str(src), f"s3://{bucket}/gib", timeout=900)
    head = s3.head_object(Bucket=bucket, Key="gib", ChecksumMode="ENABLED")
    assert head["ContentLength"] == 1 << 30
    assert head["ETag"] == f'"{multipart_etag(src, CLI_PART)}"'
    assert head["ETag"].endswith('-128"')
    dst = tmp_path / "gib.down"
    aws("s3", "cp", "--no-progress", f"s3://{bucket}/gib", str(dst), timeout=900)
    src.unlink()
    assert md5_file(dst) == digest


def test_ls_prefix_and_recursive(aws, s3, bucket):
    keys = ["top", "a/1", "a/2", "a/b/3", "c/4"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    root = aws("s3", "ls", f"s3://{bucket}/").stdout.splitlines()
    assert [line.split()[-1] for line in root if "PRE" in line.split()] == ["a/", "c/"]
    files = [line.split() for line in root if "PRE" not in line.split()]
    assert [(f[-2], f[-1]) for f in files] == [("3", "top")]
    under_a = aws("s3", "ls", f"s3://{bucket}/a/").stdout.splitlines()
    assert [line.split()[-1] for line in under_a] == ["b/", "1", "2"]
    rec = aws("s3", "ls", "--recursive", f"s3://{bucket}/").stdout.splitlines()
    assert [line.split()[-1] for line in rec] == sorted(keys)
    rec_a = aws("s3", "ls", "--recursive", f"s3://{bucket}/a/").stdout.splitlines()
    assert [line.split()[-1] for line in rec_a] == ["a/1", "a/2", "a/b/3"]


def test_cp_between_buckets(aws, s3, bucket):
    body = os.urandom(300_000)
    s3.put_object(Bucket=bucket, Key="src", Body=body, ContentType="text/x-src", Metadata={"k": "v"})
    other = new_bucket_name()
    s3.create_bucket(Bucket=other)
    try:
        out = aws("s3", "cp", f"s3://{bucket}/src", f"s3://{other}/copied").stdout
        assert f"copy: s3://{bucket}/src to s3://{other}/copied" in out
        got = s3.get_object(Bucket=other, Key="copied")
        assert got["Body"].read() == body
        assert got["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
        # s3 cp copies the metadata along (it asks for MetadataDirective COPY by default).
        assert got["Metadata"] == {"k": "v"} and got["ContentType"] == "text/x-src"
        # --recursive between buckets, one CopyObject per key.
        s3.put_object(Bucket=bucket, Key="tree/x", Body=b"x")
        s3.put_object(Bucket=bucket, Key="tree/y/z", Body=b"z")
        aws("s3", "cp", "--recursive", f"s3://{bucket}/tree/", f"s3://{other}/t2/")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=other, Prefix="t2/")["Contents"]]
        assert keys == ["t2/x", "t2/y/z"]
        assert s3.get_object(Bucket=other, Key="t2/y/z")["Body"].read() == b"z"
    finally:
        cleanup_bucket(s3, other)


def test_cp_stdin_stdout_and_mv(aws, s3, bucket):
    body = os.urandom(3 << 20)
    # From stdin the size is unknown: the CLI reads up to multipart_chunksize (8 MiB) and,
    # having less, sends it in one PutObject.
    up = subprocess.run([*aws.base, "s3", "cp", "-", f"s3://{bucket}/from stdin"], input=body,
                        env=aws.env, capture_output=True, timeout=60)
    assert up.returncode == 0, up.stderr
    out = aws("s3", "mv", f"s3://{bucket}/from stdin", f"s3://{bucket}/moved/here").stdout
    assert f"move: s3://{bucket}/from stdin to s3://{bucket}/moved/here" in out
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["moved/here"]
    down = subprocess.run([*aws.base, "s3", "cp", f"s3://{bucket}/moved/here", "-"], env=aws.env,
                          capture_output=True, timeout=60)
    assert down.returncode == 0, down.stderr
    assert down.stdout == body


def test_sync(aws, s3, bucket, tmp_path):
    up = tmp_path / "up"
    files = make_tree(up)
    # sync re-uploads a file whose mtime is later than the object's LastModified, which S3
    # (and so this server) gives to the second: age the files so that the second sync, within
    # the same second, sees them as older than their uploads.
    an_hour_ago = time.time() - 3600
    for rel in files:
        os.utime(up / rel, (an_hour_ago, an_hour_ago))

    def sync(*args: str) -> list[str]:
        out = aws("s3", "sync", "--no-progress", *args, cwd=tmp_path).stdout
        return sorted(out.splitlines())

    dest = f"s3://{bucket}/tree"
    assert sync("up", dest) == sorted(f"upload: up/{rel} to {dest}/{rel}" for rel in files)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == sorted(f"tree/{rel}" for rel in files)
    # Nothing changed: nothing moves.
    assert sync("up", dest) == []
    # One file changes (its size too, so sync sees it whatever the clocks say): only it moves.
    (up / "sub/deeper/four").write_bytes(b"four, longer now")
    os.utime(up / "sub/deeper/four", (an_hour_ago, an_hour_ago))
    files["sub/deeper/four"] = b"four, longer now"
    assert sync("up", dest) == [f"upload: up/sub/deeper/four to {dest}/sub/deeper/four"]
    assert sync(dest, "down") == sorted(f"download: {dest}/{rel} to down/{rel}" for rel in files)
    assert read_tree(tmp_path / "down") == files
    # A deletion is carried over with --delete.
    (up / "one.txt").unlink()
    assert sync("--delete", "up", dest) == [f"delete: {dest}/one.txt"]
    assert "tree/one.txt" not in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]


def test_rm(aws, s3, bucket):
    """`s3 rm --recursive` lists, then sends one DeleteObject per key (aws CLI v1 does not batch);
    DeleteObjects is exercised by test_s3api_delete_objects and s3cmd's `del --recursive`."""
    for k in ["keep", "gone", "dir/a", "dir/b", "dir/sub/c", "dirx"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    assert aws("s3", "rm", f"s3://{bucket}/gone").stdout.strip() == f"delete: s3://{bucket}/gone"
    out = aws("s3", "rm", "--recursive", f"s3://{bucket}/dir/").stdout
    assert sorted(line for line in out.splitlines() if line.startswith("delete:")) == [
        f"delete: s3://{bucket}/dir/a", f"delete: s3://{bucket}/dir/b", f"delete: s3://{bucket}/dir/sub/c"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["dirx", "keep"]


# --------------------------------------------------------------------------- aws s3api


def test_s3api_put_head_get_range(aws, bucket, tmp_path):
    src = tmp_path / "src"
    body = os.urandom(3 * (1 << 20) + 17)
    src.write_bytes(body)
    put = json.loads(aws("s3api", "put-object", "--bucket", bucket, "--key", "k",
                         "--body", str(src), "--content-type", "application/x-test",
                         "--metadata", "color=blue").stdout)
    etag = f'"{hashlib.md5(body).hexdigest()}"'
    assert put["ETag"] == etag
    head = json.loads(aws("s3api", "head-object", "--bucket", bucket, "--key", "k").stdout)
    assert head["ContentLength"] == len(body) and head["ETag"] == etag
    assert head["ContentType"] == "application/x-test" and head["Metadata"] == {"color": "blue"}
    part = tmp_path / "part"
    got = json.loads(aws("s3api", "get-object", "--bucket", bucket, "--key", "k",
                         "--range", "bytes=1000-1048999", str(part)).stdout)
    assert got["ContentRange"] == f"bytes 1000-1048999/{len(body)}"
    assert got["ContentLength"] == 1048000
    assert part.read_bytes() == body[1000:1049000]
    tail = tmp_path / "tail"
    got = json.loads(aws("s3api", "get-object", "--bucket", bucket, "--key", "k",
                         "--range", "bytes=-100", str(tail)).stdout)
    assert got["ContentRange"] == f"bytes {len(body) - 100}-{len(body) - 1}/{len(body)}"
    assert tail.read_bytes() == body[-100:]


def test_s3api_list_objects_v2(aws, s3, bucket):
    keys = ["a/1", "a/2", "a/b/3", "a/c/4", "b/5", "top"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    out = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "a/",
                         "--delimiter", "/").stdout)
    assert [o["Key"] for o in out["Contents"]] == ["a/1", "a/2"]
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["a/b/", "a/c/"]
    assert out["Contents"][0]["Size"] == 3
    out = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/").stdout)
    assert [o["Key"] for o in out["Contents"]] == ["top"]
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["a/", "b/"]
    # The CLI's own pagination (page size 2) joins the pages back together.
    out = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket, "--page-size", "2").stdout)
    assert [o["Key"] for o in out["Contents"]] == keys


def test_s3api_copy_object(aws, s3, bucket):
    body = os.urandom(123_456)
    s3.put_object(Bucket=bucket, Key="src", Body=body, Metadata={"a": "1"})
    out = json.loads(aws("s3api", "copy-object", "--bucket", bucket, "--key", "dst",
                         "--copy-source", f"{bucket}/src").stdout)
    assert out["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == body and got["Metadata"] == {"a": "1"}
    aws("s3api", "copy-object", "--bucket", bucket, "--key", "dst", "--copy-source", f"{bucket}/src",
        "--metadata-directive", "REPLACE", "--metadata", "b=2")
    assert s3.head_object(Bucket=bucket, Key="dst")["Metadata"] == {"b": "2"}


def test_s3api_delete_objects(aws, s3, bucket):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    spec = {"Objects": [{"Key": "k0"}, {"Key": "k2"}, {"Key": "k4"}, {"Key": "never-there"}], "Quiet": False}
    out = json.loads(aws("s3api", "delete-objects", "--bucket", bucket, "--delete", json.dumps(spec)).stdout)
    assert sorted(d["Key"] for d in out["Deleted"]) == ["k0", "k2", "k4", "never-there"]
    assert "Errors" not in out
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["k1", "k3"]


def test_s3api_get_bucket_location(aws, bucket):
    out = json.loads(aws("s3api", "get-bucket-location", "--bucket", bucket).stdout)
    assert out["LocationConstraint"] is None


# --------------------------------------------------------------------------- presigned URLs with curl


def curl(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["curl", "-s", *args], capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def s3v4_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("awscli-config-v4") / "config"
    path.write_text("[default]\ns3 =\n  signature_version = s3v4\n")
    return path


@pytest.mark.parametrize("signature", ["default", "s3v4"])
def test_presign_get_with_curl(aws, s3, bucket, s3v4_config, signature):
    """aws CLI v1 presigns with SigV2 query auth (AWSAccessKeyId/Expires/Signature) unless the
    profile says signature_version = s3v4 (X-Amz-Algorithm=AWS4-HMAC-SHA256...)."""
    body = os.urandom(100_000)
    key = "dir/pre sign+é"
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    config = {"s3v4": s3v4_config}.get(signature)
    url = aws("s3", "presign", f"s3://{bucket}/{key}", "--expires-in", "300", config=config).stdout.strip()
    assert url.startswith("http://127.0.0.1:") and "/dir/pre%20sign%2B%C3%A9?" in url
    assert ("X-Amz-Signature=" in url) == (signature == "s3v4")
    got = curl("-f", url)
    assert got.returncode == 0, got.stderr
    assert got.stdout == body
    # The signature covers the key: another key with the same query is refused.
    other = url.replace("/dir/pre%20sign%2B%C3%A9?", "/dir/other?")
    assert curl("-o", "/dev/null", "-w", "%{http_code}", other).stdout == b"403"


def test_presigned_put_with_curl(aws, s3, bucket, tmp_path):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "uploaded"}, ExpiresIn=300)
    src = tmp_path / "src"
    digest = write_random(src, 2 * (1 << 20) + 5)
    put = curl("-f", "-T", str(src), url)
    assert put.returncode == 0, put.stderr
    dst = tmp_path / "dst"
    aws("s3", "cp", f"s3://{bucket}/uploaded", str(dst))
    assert md5_file(dst) == digest
