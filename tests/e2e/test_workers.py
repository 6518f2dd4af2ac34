"""Multi-worker servers (--workers 2): state shared at once across workers, concurrent writes,
graceful drain on SIGTERM / SIGINT (Ctrl-C), and a killed worker replaced.

Which worker answered is read from the x-amz-request-id the server sends: its middle four hex
digits are the worker's pid & 0xFFFF (server/app.py `request_id`).  The workers themselves are
found through /proc as the supervisor's children.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process
from .test_hostile import Conn, Reply, sign

GRACE = 30.0  # server/serve.py GRACE_SECONDS


def children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    out: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(entry))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def worker_of(reply_headers: dict[str, str]) -> int:
    """pid & 0xFFFF of the worker that produced a response."""
    return int(reply_headers["x-amz-request-id"][-8:-4], 16)


def client(srv: Server, **config: object):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3", endpoint_url=srv.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, max_pool_connections=1, connect_timeout=5,
                      read_timeout=10, **config),  # type: ignore[arg-type]
    )


def fresh(srv: Server, method: str, path: str, body: bytes = b"") -> Reply:
    """One signed request on a connection of its own."""
    with Conn(srv.port) as c:
        c.send(sign(srv.port, method, path, body=body).raw())
        reply = c.reply(head=method == "HEAD")
    assert reply is not None, f"{method} {path}: closed without an answer"
    return reply


@pytest.fixture(scope="module")
def mw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("cairn-workers")
    srv = start_server(root, workers=2)
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


def test_two_workers_under_the_supervisor(mw):
    workers = children(mw.process.pid)
    assert len(workers) == 2, workers
    seen: set[int] = set()
    deadline = time.monotonic() + 15  # the second worker may still be opening the drives
    while time.monotonic() < deadline:
        with Conn(mw.port) as c:
            c.send(b"GET /minio/health/ready HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = c.reply()
        assert reply is not None and reply.status == 200, reply
        seen.add(worker_of(reply.headers))
        if len(seen) == 2:
            break
    assert seen == {pid & 0xFFFF for pid in workers}, "both workers should accept connections"


def test_bucket_seen_at_once_by_every_worker(mw):
    """Made through one connection, a bucket is there for 20 new connections at once (on both
    workers); deleted through one, it is gone for all of them at once."""
    pool = ThreadPoolExecutor(10)
    creators: set[int] = set()
    readers: set[int] = set()
    cross = 0
    try:
        for _ in range(6):
            name = f"mw-{uuid.uuid4().hex[:10]}"
            made = fresh(mw, "PUT", f"/{name}")
            assert made.status == 200, made
            creator = worker_of(made.headers)
            creators.add(creator)
            replies = list(pool.map(lambda _, n=name: fresh(mw, "HEAD", f"/{n}"), range(20)))
            assert all(r.status == 200 for r in replies), replies
            listed = list(pool.map(lambda _: fresh(mw, "GET", "/"), range(4)))
            assert all(f"<Name>{name}</Name>".encode() in r.body for r in listed)
            workers = {worker_of(r.headers) for r in replies + listed}
            readers |= workers
            cross += creator not in workers or len(workers) > 1
            put = fresh(mw, "PUT", f"/{name}/k", b"object")
            assert put.status == 200, put
            gets = list(pool.map(lambda _, n=name: fresh(mw, "GET", f"/{n}/k"), range(10)))
            assert all((r.status, r.body) == (200, b"object") for r in gets), gets
            assert fresh(mw, "DELETE", f"/{name}/k").status == 204
            gone = fresh(mw, "DELETE", f"/{name}")
            assert gone.status == 204, gone
            replies = list(pool.map(lambda _, n=name: fresh(mw, "HEAD", f"/{n}"), range(20)))
            assert all(r.status == 404 for r in replies), replies
            readers |= {worker_of(r.headers) for r in replies}
    finally:
        pool.shutdown()
    expected = {pid & 0xFFFF for pid in children(mw.process.pid)}
    assert readers == expected, "20 fresh connections at a time should reach both workers"
    assert cross, "no bucket was read through a worker other than the one that made it"
    assert creators <= expected


def test_concurrent_puts_through_both_workers(mw):
    s3 = client(mw)
    bucket = f"mw-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    bodies: dict[str, bytes] = {}
    served: set[int] = set()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(12):
                if i % 4 == 0:  # a new client: a new connection, possibly to the other worker
                    c = client(mw)
                key = f"t{n}/k{i}"
                body = os.urandom(1000 + (n * 37_000 + i * 11_000) % 400_000)
                put = c.put_object(Bucket=bucket, Key=key, Body=body)
                assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
                with lock:
                    bodies[key] = body
                    served.add(worker_of(put["ResponseMetadata"]["HTTPHeaders"]))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(bodies) == 96
    listed = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
              for o in page.get("Contents", [])]
    assert sorted(listed) == sorted(bodies)
    readers: set[int] = set()
    reader = client(mw)
    for n, (key, body) in enumerate(sorted(bodies.items())):
        if n % 8 == 7:
            reader = client(mw)
        got = reader.get_object(Bucket=bucket, Key=key)
        assert got["Body"].read() == body, key
        readers.add(worker_of(got["ResponseMetadata"]["HTTPHeaders"]))
    for key in bodies:
        s3.delete_object(Bucket=bucket, Key=key)
    s3.delete_bucket(Bucket=bucket)
    expected = {pid & 0xFFFF for pid in children(mw.process.pid)}
    assert served | readers == expected, (served, readers, expected)


def test_killed_worker_is_replaced(mw):
    before = children(mw.process.pid)
    assert len(before) == 2
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    # Meanwhile the server keeps answering: every new connection is served (by the survivor).
    deadline = time.monotonic() + 10
    after: set[int] = set()
    served = 0
    while time.monotonic() < deadline:
        reply = fresh(mw, "GET", "/")
        assert reply.status == 200, reply
        served += 1
        after = children(mw.process.pid)
        if len(after) == 2 and victim not in after:
            break
        time.sleep(0.05)
    assert len(after) == 2 and victim not in after, after
    assert mw.process.poll() is None
    new = (after - before).pop()
    seen: set[int] = set()
    for _ in range(200):
        reply = fresh(mw, "GET", "/")
        assert reply.status == 200, reply
        seen.add(worker_of(reply.headers))
        if new & 0xFFFF in seen:
            break
    assert new & 0xFFFF in seen, "the replacement worker never served"
    assert "starting a new one" in mw.log.read_text()


# --------------------------------------------------------------------------- graceful shutdown


def _upload_across_signal(srv: Server, send_signal, size: int = 50 << 20) -> tuple[Reply | None, str, float]:  # type: ignore[no-untyped-def]
    """PUT `size` bytes slowly; `send_signal()` once 10 MiB are in.  (reply, md5, signal time)."""
    s3 = client(srv)
    s3.create_bucket(Bucket="drain")
    piece = os.urandom(1 << 20)
    digest = hashlib.md5()
    req = sign(srv.port, "PUT", "/drain/big", payload="UNSIGNED-PAYLOAD")
    signalled = 0.0
    with Conn(srv.port, timeout=GRACE) as c:
        c.send(req.head(content_length=size))
        for i in range(size >> 20):
            c.send(piece)
            digest.update(piece)
            if i == 10:
                send_signal()
                signalled = time.monotonic()
            time.sleep(0.02)
        reply = c.reply()
    return reply, digest.hexdigest(), signalled


def _stored_md5(root: Path) -> str:
    """The object's MD5, read back through a fresh server on the same drives."""
    srv = start_server(root, workers=1)
    try:
        got = client(srv).get_object(Bucket="drain", Key="big")["Body"]
        digest = hashlib.md5()
        for chunk in iter(lambda: got.read(1 << 20), b""):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        stop_server_process(srv.process)


@pytest.mark.parametrize("signum, workers", [
    (signal.SIGTERM, 2), (signal.SIGINT, 2), (signal.SIGTERM, 1), (signal.SIGINT, 1),
], ids=["sigterm-w2", "sigint-w2", "sigterm-w1", "sigint-w1"])
def test_signal_drains_in_flight_upload(tmp_path, signum, workers):
    """SIGTERM or SIGINT to the server process while a 50 MiB upload is in flight: the upload
    completes (and is stored), then the server exits 0 well within the grace period, workers gone."""
    srv = start_server(tmp_path, workers=workers)
    try:
        workers_before = children(srv.process.pid)
        assert len(workers_before) == (workers if workers > 1 else 0)
        reply, md5, signalled = _upload_across_signal(srv, lambda: os.kill(srv.process.pid, signum))
        assert reply is not None and reply.status == 200, reply
        assert reply.headers["etag"] == f'"{md5}"'
        code = srv.process.wait(timeout=GRACE + 5)
        assert code == 0, srv.log.read_text()[-3000:]
        assert time.monotonic() - signalled < GRACE
        assert not any(alive(pid) for pid in workers_before), "worker processes outlived the server"
        assert "Traceback" not in srv.log.read_text(), srv.log.read_text()[-3000:]
    finally:
        if srv.process.poll() is None:
            os.killpg(srv.process.pid, signal.SIGKILL)
            srv.process.wait(10)
    assert _stored_md5(tmp_path) == md5


@pytest.mark.parametrize("signum, order", [
    (signal.SIGINT, "killpg"), (signal.SIGINT, "workers-first"), (signal.SIGTERM, "workers-first"),
], ids=["ctrl-c", "ctrl-c-workers-first", "systemd-stop"])
def test_signal_to_the_whole_group_drains(tmp_path, signum, order):
    """Ctrl-C signals the whole foreground process group, systemd's stop (KillMode=control-group)
    the whole cgroup: supervisor and workers together, so a draining worker also gets the
    supervisor's forwarded SIGTERM and must not die of it.  "workers-first" makes the worst order
    deterministic: the workers, then the supervisor 0.2 s later."""
    srv = start_server(tmp_path, workers=2)
    try:
        workers_before = children(srv.process.pid)

        def ctrl_c() -> None:
            if order == "killpg":
                os.killpg(srv.process.pid, signum)
                return
            for pid in workers_before:
                os.kill(pid, signum)
            time.sleep(0.2)
            os.kill(srv.process.pid, signum)

        try:
            reply, md5, signalled = _upload_across_signal(srv, ctrl_c)
        except (BrokenPipeError, ConnectionResetError) as exc:
            pytest.fail(f"the in-flight upload was cut: {exc!r}")
        assert reply is not None and reply.status == 200, reply
        assert reply.headers["etag"] == f'"{md5}"'
        code = srv.process.wait(timeout=GRACE + 5)
        assert code == 0, srv.log.read_text()[-3000:]
        assert time.monotonic() - signalled < GRACE
        assert not any(alive(pid) for pid in workers_before)
        assert "Traceback" not in srv.log.read_text(), srv.log.read_text()[-3000:]
    finally:
        if srv.process.poll() is None:
            os.killpg(srv.process.pid, signal.SIGKILL)
            srv.process.wait(10)
    assert _stored_md5(tmp_path) == md5


def test_idle_server_exits_promptly_on_sigterm(tmp_path):
    srv = start_server(tmp_path, workers=2)
    workers_before = children(srv.process.pid)
    # an idle keep-alive connection must not hold the shutdown up
    with Conn(srv.port) as c:
        c.send(b"GET /minio/health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.reply() is not None
        started = time.monotonic()
        srv.process.send_signal(signal.SIGTERM)
        try:
            code = srv.process.wait(timeout=10)
        finally:
            if srv.process.poll() is None:
                os.killpg(srv.process.pid, signal.SIGKILL)
        assert code == 0
        assert time.monotonic() - started < 5
        assert c.reply() is None  # closed by the server
    assert not any(alive(pid) for pid in workers_before)
