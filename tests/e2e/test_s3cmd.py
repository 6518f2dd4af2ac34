"""s3cmd (SigV4, and a subset with SigV2) against a real server."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from .conftest import (
    ACCESS_KEY,
    BIG,
    BIN,
    SECRET_KEY,
    Server,
    cleanup_bucket,
    make_tree,
    md5_file,
    multipart_etag,
    read_tree,
    write_random,
)

S3CMD_PART = 15 << 20

SMALL_SIZES = [0, 1, 4096, 5 << 20]
SIGS = ["v4", "v2"]


pytestmark = pytest.mark.usefixtures("server_log")


@pytest.fixture(scope="module")
def configs(server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An s3cmd config file per signature version, path-style at the test server."""
    root = tmp_path_factory.mktemp("s3cmd-config")
    out = {}
    for sig in SIGS:
        path = root / f"s3cfg-{sig}"
        path.write_text(
            "[default]\n"
            f"access_key = {ACCESS_KEY}\n"
            f"secret_key = {SECRET_KEY}\n"
            f"host_base = 127.0.0.1:{server.port}\n"
            f"host_bucket = 127.0.0.1:{server.port}\n"
            "bucket_location = us-east-1\n"
            "use_https = False\n"
            f"signature_v2 = {sig == 'v2'}\n"
            # A failure shows at once rather than after s3cmd's back-off and retries.
            "max_retries = 0\n"
        )
        out[sig] = path
    return out


class S3cmd:
    def __init__(self, config: Path, env: dict[str, str]) -> None:
        self.config, self.env = config, env

    def __call__(self, *args: str, check: bool = True,
                 cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        cmd = [str(BIN / "s3cmd"), "-c", str(self.config), "--no-progress", *args]
        proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120, cwd=cwd)
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{cmd} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    def lines(self, *args: str, cwd: Path | None = None) -> list[str]:
        return self(*args, cwd=cwd).stdout.splitlines()


def s3cmd_for(server: Server, configs: dict[str, Path], sig: str) -> S3cmd:
    env = dict(server.env(), HOME=str(configs[sig].parent))
    return S3cmd(configs[sig], env)


@pytest.fixture
def s3cmd(server, configs) -> S3cmd:  # type: ignore[no-untyped-def]
    return s3cmd_for(server, configs, "v4")


@pytest.fixture(params=SIGS)
def any_s3cmd(request, server, configs) -> S3cmd:  # type: ignore[no-untyped-def]
    """s3cmd signing with SigV4, then with SigV2 (the subset of tests that take this fixture)."""
    return s3cmd_for(server, configs, request.param)


def new_bucket_name() -> str:
    return f"e2e-s3cmd-{uuid.uuid4().hex[:12]}"


def listed(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, uri) of `s3cmd ls` lines: kind "DIR", or the object's size."""
    out = []
    for line in lines:
        match = (re.fullmatch(r"\s*DIR\s+(s3://.*)", line)
                 or re.fullmatch(r"\S+ \S+\s+(\d+)\s+(s3://.*)", line))
        assert match, line
        out.append(("DIR", match[1]) if match.lastindex == 1 else (match[1], match[2]))
    return out


# --------------------------------------------------------------------------- buckets


def test_mb_ls_rb(any_s3cmd, s3):
    empty, full = new_bucket_name(), new_bucket_name()
    try:
        assert any_s3cmd.lines("mb", f"s3://{empty}") == [f"Bucket 's3://{empty}/' created"]
        any_s3cmd("mb", f"s3://{full}")
        buckets = [line.split()[-1] for line in any_s3cmd.lines("ls")]
        assert f"s3://{empty}" in buckets and f"s3://{full}" in buckets
        for key in ("a", "d/b"):
            s3.put_object(Bucket=full, Key=key, Body=b"x")
        refused = any_s3cmd("rb", f"s3://{full}", check=False)
        assert refused.returncode != 0 and "BucketNotEmpty" in refused.stderr
        out = any_s3cmd("rb", "--recursive", f"s3://{full}").stdout
        assert f"Bucket 's3://{full}/' removed" in out
        assert any_s3cmd.lines("rb", f"s3://{empty}") == [f"Bucket 's3://{empty}/' removed"]
        names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        assert empty not in names and full not in names
    finally:
        cleanup_bucket(s3, empty)
        cleanup_bucket(s3, full)


# --------------------------------------------------------------------------- objects


@pytest.mark.parametrize(("sig", "size"), [
    *(("v4", size) for size in (*SMALL_SIZES, BIG)),
    ("v2", 1), ("v2", 5 << 20),
], ids=["v4-0B", "v4-1B", "v4-4KiB", "v4-5MiB", "v4-100MiB", "v2-1B", "v2-5MiB"])
def test_put_get(server, configs, s3, bucket, tmp_path, big_file, sig, size):
    cli = s3cmd_for(server, configs, sig)
    if size == BIG:
        src, digest = big_file
    else:
        src = tmp_path / "src"
        digest = write_random(src, size)
    out = cli.lines("put", str(src), f"s3://{bucket}/dir/obj")
    assert out[0].startswith(f"upload: '{src}' -> 's3://{bucket}/dir/obj'")
    head = s3.head_object(Bucket=bucket, Key="dir/obj")
    # s3cmd sends parts of 15 MiB above 15 MiB
    etag = digest if size <= S3CMD_PART else multipart_etag(src, S3CMD_PART)
    assert head["ContentLength"] == size and head["ETag"] == f'"{etag}"'
    dst = tmp_path / "dst"
    out = cli.lines("get", f"s3://{bucket}/dir/obj", str(dst))
    assert out[0].startswith(f"download: 's3://{bucket}/dir/obj' -> '{dst}'")
    assert dst.stat().st_size == size
    assert md5_file(dst) == digest
    if size == 1:
        # get refuses to overwrite without --force
        again = cli("get", f"s3://{bucket}/dir/obj", str(dst), check=False)
        assert again.returncode != 0
        cli("get", "--force", f"s3://{bucket}/dir/obj", str(dst))
        assert md5_file(dst) == digest


def test_put_multipart_chunk_size_5mb(s3cmd, s3, bucket, tmp_path):
    src = tmp_path / "src"
    digest = write_random(src, (23 << 20) + 11)
    s3cmd("put", "--multipart-chunk-size-mb=5", str(src), f"s3://{bucket}/mp")
    head = s3.head_object(Bucket=bucket, Key="mp")
    assert head["ETag"] == f'"{multipart_etag(src, 5 << 20)}"'  # ends "-5": five parts
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    dst = tmp_path / "dst"
    s3cmd("get", f"s3://{bucket}/mp", str(dst))
    assert md5_file(dst) == digest


def test_put_recursive_ls_prefixes(s3cmd, s3, bucket, tmp_path):
    files = make_tree(tmp_path / "tree")
    # A source without a trailing slash lands under its own name.
    out = s3cmd.lines("put", "--recursive", str(tmp_path / "tree"), f"s3://{bucket}/up/")
    assert sum(line.startswith("upload:") for line in out) == len(files)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == sorted(f"up/tree/{rel}" for rel in files)
    for rel, data in files.items():
        assert s3.get_object(Bucket=bucket, Key=f"up/tree/{rel}")["Body"].read() == data
    base = f"s3://{bucket}/up/tree/"
    assert listed(s3cmd.lines("ls", base)) == [
        ("DIR", f"{base}odd names/"), ("DIR", f"{base}other/"), ("DIR", f"{base}sub/"),
        ("0", f"{base}empty"), ("4", f"{base}one.txt")]
    assert listed(s3cmd.lines("ls", f"{base}sub/")) == [
        ("DIR", f"{base}sub/deeper/"), ("10000", f"{base}sub/two.bin")]
    # A prefix that is not a "directory" matches the start of names.
    assert listed(s3cmd.lines("ls", f"{base}o")) == [
        ("DIR", f"{base}odd names/"), ("DIR", f"{base}other/"), ("4", f"{base}one.txt")]
    assert listed(s3cmd.lines("ls", f"{base}odd names/")) == [("4", f"{base}odd names/x+y=z;é & ñ.txt")]
    assert [u for _, u in listed(s3cmd.lines("ls", "--recursive", f"{base}sub"))] == [
        f"{base}sub/deeper/four", f"{base}sub/deeper/three.bin", f"{base}sub/two.bin"]
    assert listed(s3cmd.lines("ls", f"s3://{bucket}")) == [("DIR", f"s3://{bucket}/up/")]


def test_cp_mv_del(any_s3cmd, s3, bucket):
    body = os.urandom(200_000)
    s3.put_object(Bucket=bucket, Key="src", Body=body, Metadata={"k": "v"})
    other = new_bucket_name()
    s3.create_bucket(Bucket=other)
    try:
        out = any_s3cmd.lines("cp", f"s3://{bucket}/src", f"s3://{bucket}/copy")
        assert out[0].startswith(f"remote copy: 's3://{bucket}/src' -> 's3://{bucket}/copy'")
        got = s3.get_object(Bucket=bucket, Key="copy")
        assert got["Body"].read() == body and got["Metadata"] == {"k": "v"}
        any_s3cmd("cp", f"s3://{bucket}/src", f"s3://{other}/elsewhere")
        assert s3.get_object(Bucket=other, Key="elsewhere")["Body"].read() == body
        out = any_s3cmd.lines("mv", f"s3://{bucket}/copy", f"s3://{bucket}/moved")
        assert out[0].startswith(f"move: 's3://{bucket}/copy' -> 's3://{bucket}/moved'")
        assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["moved", "src"]
        assert s3.get_object(Bucket=bucket, Key="moved")["Body"].read() == body
        assert any_s3cmd.lines("del", f"s3://{bucket}/moved") == [f"delete: 's3://{bucket}/moved'"]
        assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["src"]
    finally:
        cleanup_bucket(s3, other)


def test_del_recursive(any_s3cmd, s3, bucket):
    """`del --recursive` deletes in batches with DeleteObjects (multi-delete)."""
    keys = ["keep", "dirx", *(f"dir/{i:02d}" for i in range(12)), "dir/sub/z"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    out = any_s3cmd.lines("del", "--recursive", f"s3://{bucket}/dir/")
    assert sorted(out) == sorted(f"delete: 's3://{bucket}/{k}'" for k in keys if k.startswith("dir/"))
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["dirx", "keep"]


def test_sync(s3cmd, s3, bucket, tmp_path):
    files = make_tree(tmp_path / "up")
    dest = f"s3://{bucket}/sync/"

    def uploads(out: list[str]) -> list[str]:
        return sorted(line.split("'")[3] for line in out if line.startswith("upload:"))

    assert uploads(s3cmd.lines("sync", "up/", dest, cwd=tmp_path)) == sorted(dest + rel for rel in files)
    assert uploads(s3cmd.lines("sync", "up/", dest, cwd=tmp_path)) == []
    # s3cmd compares sizes and md5s: an edit of the same size is seen too.
    (tmp_path / "up/sub/deeper/four").write_bytes(b"5")
    files["sub/deeper/four"] = b"5"
    assert uploads(s3cmd.lines("sync", "up/", dest, cwd=tmp_path)) == [dest + "sub/deeper/four"]
    out = s3cmd.lines("sync", dest, "down/", cwd=tmp_path)
    assert sum(line.startswith("download:") for line in out) == len(files)
    assert read_tree(tmp_path / "down") == files
    (tmp_path / "up/one.txt").unlink()
    out = s3cmd.lines("sync", "--delete-removed", "up/", dest, cwd=tmp_path)
    assert [line for line in out if line.startswith("delete:")] == [f"delete: '{dest}one.txt'"]
    assert "sync/one.txt" not in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]


def test_info(any_s3cmd, s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"hello", ContentType="text/plain",
                  Metadata={"color": "red"})
    info = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
            for line in any_s3cmd.lines("info", f"s3://{bucket}/obj")[1:]}
    assert info["File size"] == "5"
    assert info["MIME type"] == "text/plain"
    assert info["MD5 sum"] == hashlib.md5(b"hello").hexdigest()
    assert info["x-amz-meta-color"] == "red"
    lines = any_s3cmd.lines("info", f"s3://{bucket}")
    assert lines[0] == f"s3://{bucket}/ (bucket):"
    assert any(line.split() == ["Location:", "us-east-1"] for line in lines), lines


def test_signurl_with_curl(s3cmd, s3, bucket):
    """`s3cmd signurl` always makes a SigV2 query-string URL (AWSAccessKeyId, Expires, Signature)."""
    body = os.urandom(50_000)
    s3.put_object(Bucket=bucket, Key="dir/signed", Body=body)
    url = s3cmd("signurl", f"s3://{bucket}/dir/signed", "+300").stdout.strip()
    assert "Signature=" in url and "AWSAccessKeyId=" in url
    got = subprocess.run(["curl", "-sf", url], capture_output=True, timeout=60)
    assert got.returncode == 0, got
    assert got.stdout == body
    tampered = url.replace("/dir/signed?", "/dir/other?")
    status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", tampered],
                            capture_output=True, text=True, timeout=60).stdout
    assert status == "403"
