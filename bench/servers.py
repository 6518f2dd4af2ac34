"""Start and stop the servers under test: Cairn and MinIO, on 127.0.0.1, on fresh directories.

`running(spec, layout, workdir)` is a context manager: it makes empty drive directories under
`workdir`, starts the server in its own process group on a free loopback port, polls
GET /minio/health/live (both servers answer it) until it is up (bounded), yields a `Server`
(endpoint and credentials), and on exit stops the group (SIGTERM, then SIGKILL after a
grace period) and deletes the directories.  A server that exits or never gets ready raises
ServerError with the tail of its log.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

ACCESS_KEY = "warpbench"
SECRET_KEY = "warpbench-secret-key"
START_TIMEOUT_S = 60.0
STOP_GRACE_S = 15.0


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class Layout:
    name: str  # "1 drive", "4 drives 2+2"
    drives: int
    parity: int  # 0 for one drive


LAYOUTS = (Layout("1 drive", 1, 0), Layout("4 drives 2+2", 4, 2))


@dataclass(frozen=True)
class Server:
    name: str
    host: str  # 127.0.0.1:PORT
    pid: int
    log_path: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cairn_command(binary: str, drives: list[str], layout: Layout, port: int, workers: int) -> list[str]:
    cmd = [binary, "server", *drives, "--address", f"127.0.0.1:{port}", "--workers", str(workers)]
    if layout.drives > 1:
        cmd += ["--parity", str(layout.parity)]
    return cmd


def minio_command(binary: str, drives: list[str], port: int) -> list[str]:
    return [binary, "server", "--quiet", "--address", f"127.0.0.1:{port}",
            "--console-address", f"127.0.0.1:{free_port()}", *drives]


def server_env(name: str, layout: Layout) -> dict[str, str]:
    env = dict(os.environ)
    if name == "cairn":
        env.update(CAIRN_ROOT_USER=ACCESS_KEY, CAIRN_ROOT_PASSWORD=SECRET_KEY)
    else:
        env.update(MINIO_ROOT_USER=ACCESS_KEY, MINIO_ROOT_PASSWORD=SECRET_KEY, MINIO_CI_CD="1",
                   MINIO_BROWSER="off", MINIO_UPDATE="off")
        if layout.drives > 1:
            env["MINIO_STORAGE_CLASS_STANDARD"] = f"EC:{layout.parity}"
    return env


def http_status(url: str) -> int:
    """The HTTP status of a GET (0 if nothing answered); an https URL's certificate is not checked
    (the TLS benchmark's is self-signed)."""
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(url, timeout=2, context=context) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def wait_ready(proc: subprocess.Popen[bytes], host: str, log_path: str, scheme: str = "http") -> None:
    """Until the server is live, has write quorum (/minio/health/cluster) and its S3 API answers
    an anonymous ListBuckets with anything but 503 (MinIO is "live" before its object layer is
    initialized and answers 503 XMinioServerNotInitialized meanwhile)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    probes = (f"{scheme}://{host}/minio/health/live", f"{scheme}://{host}/minio/health/cluster")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"server exited with {proc.returncode}: {log_tail(log_path)}")
        s3_answers = http_status(f"{scheme}://{host}/") not in (0, 503)
        if all(http_status(url) == 200 for url in probes) and s3_answers:
            return
        time.sleep(0.2)
    raise ServerError(f"not ready after {START_TIMEOUT_S:.0f} s: {log_tail(log_path)}")


def log_tail(path: str, nbytes: int = 2000) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - nbytes))
            return f.read().decode(errors="replace")
    except OSError:
        return "(no log)"


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (it was started in a new session), then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def running(name: str, binary: str, layout: Layout, workdir: str, workers: int = 2,
            env_extra: dict[str, str] | None = None) -> Iterator[Server]:
    """A fresh `name` ("cairn" or "minio") server with `layout`, its drives under `workdir`
    (`env_extra`: variables added to its environment)."""
    base = os.path.join(workdir, f"{name}-{layout.drives}d")
    shutil.rmtree(base, ignore_errors=True)
    drives = [os.path.join(base, f"d{i + 1}") for i in range(layout.drives)]
    for d in drives:
        os.makedirs(d)
    port = free_port()
    if name == "cairn":
        cmd = cairn_command(binary, drives, layout, port, workers)
    else:
        cmd = minio_command(binary, drives, port)
    log_path = base + ".log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                env={**server_env(name, layout), **(env_extra or {})}, start_new_session=True)
    try:
        host = f"127.0.0.1:{port}"
        wait_ready(proc, host, log_path, "https" if "CAIRN_CERTS_DIR" in (env_extra or {}) else "http")
        yield Server(name, host, proc.pid, log_path)
    finally:
        stop(proc)
        shutil.rmtree(base, ignore_errors=True)
