"""`make dist-test`: the one-file executable (dist/cairn-*-linux-*) copied into an empty directory
and run with a minimal environment (env -i, PATH=/usr/bin:/bin) on a fresh data directory: it
serves PUT, GET, multipart and LIST to boto3 from outside, its worker processes included, and its
other subcommands run.  Prints the figures the issue asks for: size, start time to
/minio/health/live answering, resident memory per process idle and after 2,000 small requests.
Not part of `make test` (building the executable takes a minute or two)."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD = "dist-admin", "dist-password-123"
IDLE: dict[int, float] = {}  # RSS (MB) of the server's processes a second after it answered
CONSOLE: list[str] = []  # the web console's URL
ENV = {"PATH": "/usr/bin:/bin", "CAIRN_ROOT_USER": USER, "CAIRN_ROOT_PASSWORD": PASSWORD}


def executable() -> Path:
    found = sorted(glob.glob(str(ROOT / "dist" / "cairn-*-linux-*")), key=os.path.getmtime)
    if not found:
        pytest.fail("no dist/cairn-*-linux-* executable: run `make dist` first")
    return Path(found[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    home = tmp_path_factory.mktemp("empty")
    exe = home / "cairn"
    shutil.copy2(executable(), exe)
    port = free_port()
    help_text = subprocess.run([str(exe), "server", "--help"], env=ENV, capture_output=True, text=True).stdout
    console_port = free_port()
    console = ["--console-address", f"127.0.0.1:{console_port}"] if "--console-address" in help_text else []
    CONSOLE.append(f"http://127.0.0.1:{console_port}")
    started = time.monotonic()
    command = [str(exe), "server", "./data", "--address", f"127.0.0.1:{port}", "--workers", "2", *console]
    with open(home / "log", "wb") as log:
        process = subprocess.Popen(command, cwd=home, env=ENV, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (home / "log").read_text()
        assert time.monotonic() < deadline, (home / "log").read_text()
        try:
            with urllib.request.urlopen(f"{endpoint}/minio/health/live", timeout=1) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.01)
    print(f"\nexecutable {exe.stat().st_size / 2**20:.1f} MiB; /minio/health/live after "
          f"{time.monotonic() - started:.2f} s")
    time.sleep(1)
    supervisor = children(process.pid)
    for pid in [*supervisor, *(w for p in supervisor for w in children(p))]:
        IDLE[pid] = rss_mb(pid)
    yield endpoint, process, home
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def client(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=USER, aws_secret_access_key=PASSWORD,
                        region_name="us-east-1", config=Config(retries={"max_attempts": 1}))


def test_put_get_multipart_list_from_outside(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    endpoint, process, _ = served
    s3 = client(endpoint)
    s3.create_bucket(Bucket="dist")
    s3.put_object(Bucket="dist", Key="small", Body=b"from a one-file executable")
    big = tmp_path / "big.bin"
    body = os.urandom(23 << 20)
    big.write_bytes(body)
    s3.upload_file(str(big), "dist", "big", Config=TransferConfig(multipart_threshold=5 << 20,
                                                                   multipart_chunksize=5 << 20))
    assert s3.get_object(Bucket="dist", Key="small")["Body"].read() == b"from a one-file executable"
    got = s3.get_object(Bucket="dist", Key="big")["Body"].read()
    assert hashlib.md5(got).digest() == hashlib.md5(body).digest()
    assert s3.head_object(Bucket="dist", Key="big")["ETag"].endswith('-5"')
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="dist")["Contents"]] == ["big", "small"]
    supervisor = children(process.pid)  # the one-file bootloader runs Python as its child
    assert len(supervisor) == 1 and len(children(supervisor[0])) == 2, "not two worker processes"


def test_memory_per_process_idle_and_after_small_requests(served) -> None:  # type: ignore[no-untyped-def]
    endpoint = served[0]
    tree = sorted(IDLE)
    s3 = client(endpoint)
    s3.create_bucket(Bucket="mem")
    for i in range(1000):
        s3.put_object(Bucket="mem", Key=f"k{i}", Body=os.urandom(4096))
        s3.get_object(Bucket="mem", Key=f"k{i}")["Body"].read()
    time.sleep(3)
    after = {pid: rss_mb(pid) for pid in tree}
    for role, pid in zip(["supervisor", "worker", "worker"], tree, strict=False):
        print(f"{role} {pid}: RSS idle {IDLE[pid]:.1f} MB, after 2,000 more requests and 3 s "
              f"{after[pid]:.1f} MB")
    for pid in tree:  # issue 15: back within 20 MB of idle a few seconds after the load stops
        assert after[pid] <= IDLE[pid] + 20, f"{pid}: {IDLE[pid]:.1f} MB idle, {after[pid]:.1f} MB after"


def test_the_web_console_is_inside(served) -> None:  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(CONSOLE[0] + "/", timeout=5) as reply:  # 503 when not built
        page = reply.read().decode()
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    assert "<script" in page and "make console" not in page


def test_other_subcommands_run_from_the_executable(served) -> None:  # type: ignore[no-untyped-def]
    endpoint, _, home = served
    version = subprocess.run([str(home / "cairn"), "--version"], env=ENV, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("cairn ")
    heal = subprocess.run([str(home / "cairn"), "heal", "--endpoint", endpoint], env=ENV, capture_output=True,
                          text=True, timeout=120)
    assert heal.returncode == 0 and "heal finished" in heal.stdout, heal.stdout + heal.stderr


MINIO = ROOT / "build" / "bench-tools" / "bin" / "minio"


@pytest.mark.skipif(not MINIO.is_file(), reason="MinIO is built by `make bench-tools`")
def test_minio_measured_the_same_way(tmp_path: Path) -> None:
    """MinIO's own figures beside Cairn's (printed): its binary's size and start time, same way."""
    exe = tmp_path / "minio"
    shutil.copy2(MINIO, exe)
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "MINIO_ROOT_USER": USER, "MINIO_ROOT_PASSWORD": PASSWORD}
    started = time.monotonic()
    process = subprocess.Popen([str(exe), "server", str(tmp_path / "data"), "--address", f"127.0.0.1:{port}",
                                "--console-address", f"127.0.0.1:{free_port()}"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None and time.monotonic() < deadline
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/minio/health/live", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.01)
        live = time.monotonic() - started
        time.sleep(1)
        print(f"\nMinIO: binary {exe.stat().st_size / 2**20:.1f} MiB; /minio/health/live after {live:.2f} s; "
              f"RSS idle {rss_mb(process.pid):.1f} MB (one process)")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="new mount and network namespaces need root and util-linux's unshare")
def test_appliance_no_network_and_a_read_only_root(tmp_path: Path) -> None:
    """No network and a read-only file system but the data drive (packaging/appliance.py)."""
    exe = tmp_path / "cairn"
    shutil.copy2(executable(), exe)
    data = tmp_path / "data"
    data.mkdir()
    run = subprocess.run(["unshare", "--mount", "--net", "--propagation", "private",
                          str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "packaging" / "appliance.py"),
                          str(exe), str(data)],
                         capture_output=True, text=True, timeout=300)
    print(run.stdout[-3000:], run.stderr[-3000:])
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "boto3: PUT, multipart, GET, LIST ok" in run.stdout and "stopped cleanly" in run.stdout
    # Left in TMPDIR: only the deployment's bucket change table (engine/generations.py: an 8 KiB
    # cache signal shared by every process that opens the deployment, kept on purpose); the
    # unpacked executable and the metrics directory are gone.
    left = [p.name for p in (data / "tmp").iterdir()]
    assert len(left) == 1 and left[0].startswith("cairn-") and left[0].endswith(".buckets"), left
