"""A real Cairn server on 127.0.0.1 for end-to-end tests, driven by real clients."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

BIG = 100 << 20  # a large object: multipart for clients whose threshold is below it
ACCESS_KEY = "cairn-e2e-user"
SECRET_KEY = "cairn-e2e-secret-key"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    endpoint: str
    port: int
    drives: list[Path]
    process: subprocess.Popen[bytes]
    log: Path

    def env(self) -> dict[str, str]:
        """Environment for CLI clients talking to this server."""
        env = dict(os.environ)
        env.update(
            AWS_ACCESS_KEY_ID=ACCESS_KEY,
            AWS_SECRET_ACCESS_KEY=SECRET_KEY,
            AWS_DEFAULT_REGION="us-east-1",
            AWS_EC2_METADATA_DISABLED="true",
            AWS_CONFIG_FILE="/dev/null",
            AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        )
        return env


def start_server(root: Path, drives: int = 4, workers: int = 1, extra: tuple[str, ...] = (),
                 env_extra: dict[str, str] | None = None, ca: Path | None = None) -> Server:
    """A server on 127.0.0.1; with `ca`, it serves HTTPS (extra has its --certs-dir) with a
    certificate that CA signed."""
    paths = [root / f"d{i}" for i in range(1, drives + 1)]
    port = free_port()
    log = root / "server.log"
    env = {**os.environ, "CAIRN_ROOT_USER": ACCESS_KEY, "CAIRN_ROOT_PASSWORD": SECRET_KEY,
           **(env_extra or {})}
    process = subprocess.Popen(
        [str(BIN / "cairn"), "server", *map(str, paths), "--address", f"127.0.0.1:{port}",
         "--workers", str(workers), "--console-address", "off", *extra],  # extra may turn it on
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    endpoint = f"{'https' if ca else 'http'}://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=str(ca)) if ca else None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{endpoint}/minio/health/ready", timeout=1, context=context) as r:
                if r.status == 200:
                    return Server(endpoint, port, paths, process, log)
        except OSError:
            time.sleep(0.1)
    stop_server_process(process)
    raise RuntimeError(f"server did not become ready: {log.read_text()}")


def stop_server_process(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait(timeout=10)
    return process.returncode


def md5_file(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def multipart_etag(path: Path, part_size: int) -> str:
    """The ETag S3 gives a file uploaded in parts of `part_size`: md5 of the part md5s, "-N"."""
    md5s = []
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(part_size), b""):
            md5s.append(hashlib.md5(chunk).digest())
    return f"{hashlib.md5(b''.join(md5s)).hexdigest()}-{len(md5s)}"


def write_random(path: Path, size: int) -> str:
    """Random bytes written 1 MiB at a time; returns their md5."""
    digest = hashlib.md5()
    with path.open("wb") as f:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            digest.update(chunk)
            f.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def write_tree(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Write {relative path: bytes} under root; returns `files`."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def make_tree(root: Path) -> dict[str, bytes]:
    """A small tree for recursive copies and syncs: empty and 1 MiB files, nesting, odd names."""
    return write_tree(root, {
        "one.txt": b"one\n",
        "empty": b"",
        "sub/two.bin": os.urandom(10_000),
        "sub/deeper/three.bin": os.urandom(70_000),
        "sub/deeper/four": b"4",
        "other/five": os.urandom(1 << 20),
        "odd names/x+y=z;é & ñ.txt": b"odd\n",
    })


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def empty_and_delete(s3, name: str) -> None:  # type: ignore[no-untyped-def]
    """Delete every version and delete marker of a bucket, then the bucket (boto3), as tools that
    empty a versioned bucket do (with the governance bypass, for buckets with object lock)."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=name, Key=entry["Key"], VersionId=entry["VersionId"],
                             BypassGovernanceRetention=True)
    s3.delete_bucket(Bucket=name)


def cleanup_bucket(s3, name: str) -> None:  # type: ignore[no-untyped-def]
    """empty_and_delete for clean-up after a test: a bucket already gone (or half gone) is fine."""
    with contextlib.suppress(Exception):
        empty_and_delete(s3, name)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A BIG file of random bytes on disk, made once per module, and its md5."""
    path = tmp_path_factory.mktemp("big") / "big.bin"
    digest = write_random(path, BIG)
    yield path, digest
    path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("cairn-e2e")
    srv = start_server(root)
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def server_log(server: Server) -> Iterator[None]:
    """Print what the server logged during the test (pytest shows it only when the test fails)."""
    start = server.log.stat().st_size
    yield
    with server.log.open("rb") as f:
        f.seek(start)
        new = f.read().decode("utf-8", "replace")
    if new:
        print(f"--- server.log during this test ---\n{new}")


@pytest.fixture
def s3(server: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1", config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def mc(server: Server):  # type: ignore[no-untyped-def]
    """A minio-py client of the server."""
    from minio import Minio

    return Minio(f"127.0.0.1:{server.port}", access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False)


def read_all(response: Any) -> bytes:
    """The whole body of a minio-py response, its connection released."""
    try:
        return bytes(response.read())
    finally:
        response.close()
        response.release_conn()


@pytest.fixture
def bucket(s3) -> Iterator[str]:  # type: ignore[no-untyped-def]
    name = f"e2e-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    empty_and_delete(s3, name)
