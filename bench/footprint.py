"""Resident memory per process, Cairn beside MinIO, measured the same way in one run.

For each server (fresh drives, 127.0.0.1), the RSS of every process of its tree (Cairn: the
supervisor and each worker; MinIO: its one process):

- idle: 2 s after it answers its health checks;
- after 10,000 small requests (5,000 PUTs of 4 KiB then 5,000 GETs, from 8 client threads),
  sampled 1, 3 and 5 s after the load stops;
- with `--big`: the peak (VmHWM, reset before the phase) during 16 concurrent 256 MiB PUTs and
  then 16 concurrent GETs of them, and the RSS 1, 3 and 5 s after.

    .venv/bin/python bench/footprint.py [--binary dist/cairn-...] [--workers 2] [--drives 4]
                                        [--big] [--minio build/bench-tools/bin/minio] [--low-memory]

The figures go to stdout as a Markdown table.  Not a pass/fail test: the bound that must hold is
asserted by tests/e2e/test_memory.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from servers import LAYOUTS, Server, running

MiB = 1 << 20
SMALL = 4096
SMALL_REQUESTS = 10_000
CLIENT_THREADS = 8
BIG = 256 * MiB
BIG_STREAMS = 16
SAMPLES_AFTER_S = (1, 3, 5)


def status_field(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, parents first."""
    out = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            out += process_tree(int(child))
    return out


def rss_line(pids: list[int], field: str = "VmRSS") -> str:
    return " / ".join(f"{status_field(p, field) / MiB:.1f}" for p in pids)


def s3_client(srv: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=f"http://{srv.host}", aws_access_key_id=srv.access_key,
                        aws_secret_access_key=srv.secret_key, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 2}, max_pool_connections=32))


def in_threads(n: int, work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def small_load(srv: Server) -> float:
    s3 = s3_client(srv)
    body = os.urandom(SMALL)
    per_thread = SMALL_REQUESTS // 2 // CLIENT_THREADS
    started = time.monotonic()
    in_threads(CLIENT_THREADS, lambda t: [s3.put_object(Bucket="footprint", Key=f"s/{t}/{i}", Body=body)
                                          for i in range(per_thread)])
    in_threads(CLIENT_THREADS, lambda t: [s3.get_object(Bucket="footprint", Key=f"s/{t}/{i}")["Body"].read()
                                          for i in range(per_thread)])
    return time.monotonic() - started


def big_load(srv: Server, source: Path, md5: str, pids: list[int], rows: list[tuple[str, str]]) -> None:
    s3 = s3_client(srv)

    def put(i: int) -> None:
        with source.open("rb") as f:
            s3.put_object(Bucket="footprint", Key=f"big-{i}", Body=f)

    def get(i: int) -> None:
        digest = hashlib.md5()
        for chunk in s3.get_object(Bucket="footprint", Key=f"big-{i}")["Body"].iter_chunks(MiB):
            digest.update(chunk)
        assert digest.hexdigest() == md5, "GET returned other bytes"

    for phase, work in (("PUT", put), ("GET", get)):
        for p in pids:
            Path(f"/proc/{p}/clear_refs").write_text("5")
        in_threads(BIG_STREAMS, work)
        rows.append((f"peak, {BIG_STREAMS} x {BIG // MiB} MiB {phase}", rss_line(pids, "VmHWM")))
        sample_after(pids, f"{BIG_STREAMS} x {BIG // MiB} MiB {phase}", rows)


def sample_after(pids: list[int], what: str, rows: list[tuple[str, str]]) -> None:
    waited = 0
    for at in SAMPLES_AFTER_S:
        time.sleep(at - waited)
        waited = at
        rows.append((f"{at} s after {what}", rss_line(pids)))


def measure(name: str, binary: str, args: argparse.Namespace, workdir: str,
            big_source: tuple[Path, str] | None) -> list[tuple[str, str]]:
    layout = next(lay for lay in LAYOUTS if lay.drives == args.drives)
    env = {"CAIRN_CONSOLE_ADDRESS": "off"}
    if args.low_memory and name == "cairn":
        env["CAIRN_LOW_MEMORY"] = "on"
    with running(name, binary, layout, workdir, workers=args.workers, env_extra=env) as srv:
        time.sleep(2)
        pids = process_tree(srv.pid)
        rows = [("processes", " / ".join(str(p) for p in pids)), ("idle", rss_line(pids))]
        s3_client(srv).create_bucket(Bucket="footprint")
        took = small_load(srv)
        rows.append((f"{SMALL_REQUESTS:,} x 4 KiB PUT/GET", f"{SMALL_REQUESTS / took:.0f} req/s"))
        sample_after(pids, "them", rows)
        if big_source:
            big_load(srv, *big_source, pids, rows)
        return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=".venv/bin/cairn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drives", type=int, default=4, choices=[lay.drives for lay in LAYOUTS])
    parser.add_argument("--big", action="store_true", help="also 16 concurrent 256 MiB PUTs and GETs")
    parser.add_argument("--minio", default="build/bench-tools/bin/minio",
                        help="MinIO binary to measure the same way ('' to skip)")
    parser.add_argument("--low-memory", action="store_true", help="run Cairn with CAIRN_LOW_MEMORY=on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="footprint-") as workdir:
        big_source = None
        if args.big:
            source = Path(workdir) / "big.bin"
            digest = hashlib.md5()
            with source.open("wb") as f:
                for _ in range(BIG // MiB):
                    block = os.urandom(MiB)
                    digest.update(block)
                    f.write(block)
            big_source = (source, digest.hexdigest())
        results = {"cairn": measure("cairn", args.binary, args, workdir, big_source)}
        if args.minio and os.path.exists(args.minio):
            results["minio"] = measure("minio", args.minio, args, workdir, big_source)
    for name, rows in results.items():
        print(f"\n### {name} ({args.drives} drive(s); RSS in MiB per process, "
              f"{'supervisor / workers' if name == 'cairn' else 'one process'})\n")
        print("| when | RSS |\n|---|---|")
        for when, value in rows:
            print(f"| {when} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
