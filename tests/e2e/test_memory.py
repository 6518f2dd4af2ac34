"""Resident memory under load: 16 concurrent 256 MiB uploads (single PUT, then multipart) and 16
concurrent whole-object GETs of them.  Bodies stream through the server a block at a time, so the
server's peak RSS depends on the number of requests in flight, never on the size of an object.

The peak is the kernel's VmHWM of the (single) worker process, reset between phases through
/proc/<pid>/clear_refs.  The bound asserted, MEMORY_BOUND, is what 16 streams may hold at most:
per request ~1 MiB of body waiting for its thread hop, a 1 MiB block being cut, the encoder's
block and shard buffers and socket buffers (< 6 MiB together), 16 x 6 = 96 MiB, over a baseline of
about 35 MiB for the interpreter, trio, the metadata connections and the thread pools.  Measured
(4 drives, 2+2, one worker): baseline 34 MiB; peaks 128 MiB (PutObject), 145 MiB (multipart, 16 MiB
parts), 105 MiB (GetObject), against 4 GiB of objects in flight.

After each phase the worker must give the memory back: within RETURN_SECONDS of the load stopping
its RSS is within RETURN_SLACK of the baseline (server/memory.py: malloc_trim when idle, two
malloc arenas; engine/metadb.py: bounded SQLite caches).  Before those it stayed 50 MiB above.

The low-memory setting (--low-memory) streams at most 4 bodies through the engine at once, so
16 concurrent uploads there peak far lower (LOW_MEMORY_BOUND) and still all complete.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from boto3.s3.transfer import TransferConfig

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process, write_random

MiB = 1 << 20
SIZE = 256 * MiB
STREAMS = 16
MEMORY_BOUND = 256 * MiB  # 1/16 of one object; 16 objects in flight are 4 GiB
RETURN_SLACK = 20 * MiB  # issue 15: back within 20 MB of idle ...
RETURN_SECONDS = 10.0  # ... within a few seconds of the load stopping
LOW_MEMORY_BOUND = 96 * MiB  # 4 streams of < 6 MiB over the baseline, and the baseline

pytestmark = pytest.mark.slow


def rss(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := current RSS


def settled_rss(pid: int, baseline: int) -> int:
    """The worker's RSS once it is back within RETURN_SLACK of `baseline`, or after
    RETURN_SECONDS if it never gets there."""
    deadline = time.monotonic() + RETURN_SECONDS
    while (now := rss(pid, "VmRSS")) > baseline + RETURN_SLACK and time.monotonic() < deadline:
        time.sleep(0.25)
    return now


def concurrently(work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(STREAMS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("memory")
    source = root / "source.bin"
    md5 = write_random(source, SIZE)
    srv = start_server(root, drives=4, workers=1)
    yield srv, source, md5
    stop_server_process(srv.process)


def client(srv: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=srv.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}, max_pool_connections=STREAMS * 2))


def test_peak_memory_of_16_concurrent_256mib_streams(loaded) -> None:  # type: ignore[no-untyped-def]
    srv, source, md5 = loaded
    pid = srv.process.pid
    s3 = client(srv)
    s3.create_bucket(Bucket="mem")
    baseline = rss(pid, "VmRSS")
    peaks: dict[str, int] = {}

    def single_put(i: int) -> None:
        with source.open("rb") as body:
            s3.put_object(Bucket="mem", Key=f"single-{i}", Body=body)

    parts = TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=16 * MiB, max_concurrency=1)

    def multipart(i: int) -> None:
        s3.upload_file(str(source), "mem", f"multi-{i}", Config=parts)

    def get(i: int) -> None:
        digest = hashlib.md5()
        body = s3.get_object(Bucket="mem", Key=f"{'single' if i % 2 else 'multi'}-{i}")["Body"]
        for chunk in body.iter_chunks(MiB):
            digest.update(chunk)
        assert digest.hexdigest() == md5

    after: dict[str, int] = {}
    for phase, work in [("PutObject", single_put), ("multipart upload", multipart), ("GetObject", get)]:
        reset_peak(pid)
        concurrently(work)
        peaks[phase] = rss(pid, "VmHWM")
        after[phase] = settled_rss(pid, baseline)
    report = ", ".join(f"{name} {peak / MiB:.0f} MiB (then {after[name] / MiB:.0f})"
                       for name, peak in peaks.items())
    print(f"server RSS: baseline {baseline / MiB:.0f} MiB; peak with {STREAMS} x {SIZE // MiB} MiB: {report}")
    assert s3.head_object(Bucket="mem", Key="multi-3")["ETag"].endswith('-16"')
    for name, peak in peaks.items():
        assert peak < MEMORY_BOUND, f"{name}: peak RSS {peak / MiB:.0f} MiB"
        assert after[name] <= baseline + RETURN_SLACK, (
            f"{name}: RSS {after[name] / MiB:.0f} MiB {RETURN_SECONDS:.0f} s after, "
            f"baseline {baseline / MiB:.0f}")


def test_low_memory_setting_streams_16_uploads_in_a_quarter_of_the_memory(tmp_path: Path) -> None:
    size = 64 * MiB
    source = tmp_path / "source.bin"
    md5 = write_random(source, size)
    srv = start_server(tmp_path, drives=4, workers=0, extra=("--low-memory",))
    try:
        pid = srv.process.pid
        assert not Path(f"/proc/{pid}/task/{pid}/children").read_text().split(), "--low-memory: one process"
        s3 = client(srv)
        s3.create_bucket(Bucket="low")
        baseline = rss(pid, "VmRSS")
        reset_peak(pid)

        def put(i: int) -> None:
            with source.open("rb") as body:
                s3.put_object(Bucket="low", Key=f"k{i}", Body=body)

        concurrently(put)
        peak = rss(pid, "VmHWM")
        print(f"--low-memory RSS: baseline {baseline / MiB:.0f} MiB, peak with {STREAMS} x {size // MiB} MiB "
              f"PUTs {peak / MiB:.0f} MiB")
        for i in (0, STREAMS - 1):
            digest = hashlib.md5(s3.get_object(Bucket="low", Key=f"k{i}")["Body"].read()).hexdigest()
            assert digest == md5
        assert peak < LOW_MEMORY_BOUND, f"peak RSS {peak / MiB:.0f} MiB"
    finally:
        stop_server_process(srv.process)
