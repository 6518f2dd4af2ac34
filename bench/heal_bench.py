"""Heal throughput beside the disk's own, in one run: how fast a replaced drive of a 2+2 set is
rewritten (engine calls, no HTTP), for large objects (MiB/s), 256 KiB ones and 4 KiB ones (inline:
records only) (objects/s).

Four drive directories on one file system (this machine has one disk): the objects are written,
drive 1 is wiped (a replaced drive), and every object is healed as the scanner heals it
(ObjectLayer.heal_object, a normal check).  Beside it, on the same file system:

- raw write: the bytes the heal wrote to drive 1, written as files of the same size with an
  fsync each (the heal fsyncs each rebuilt shard file);
- raw read: the bytes it read from the three other drives (k=2 of them per object), page cache
  as warm as the heal found it.

The ratio to read is "heal MiB/s of object data" over the raw figures; for small objects the
cost is per object (records, files, fsyncs), reported as objects/s beside raw 4 KiB
create+fsync+rename.

    .venv/bin/python bench/heal_bench.py [--dir /var/tmp] [--mib 512] [--small 2000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time

from cairn.engine import erasure_set
from cairn.engine.api import ObjectLayer
from cairn.engine.heal_job import HEAL_THREADS, HealPool

MiB = 1 << 20


def fill(layer: ObjectLayer, bucket: str, count: int, size: int) -> None:
    layer.create_bucket(bucket)
    body = os.urandom(size)
    for i in range(count):
        layer.put_object(bucket, f"o{i:06d}", body)


def heal_all(layer: ObjectLayer, bucket: str, count: int, threads: int) -> tuple[float, int, int]:
    """Seconds, shard files written, bytes written: keys healed on `threads` threads as the
    scanner's heal job does (HealPool)."""
    files = written = 0
    pool = HealPool(layer, threads)
    start = time.perf_counter()
    layer.heal_bucket(bucket)
    results = []
    for i in range(count):
        results += pool.submit(bucket, f"o{i:06d}") or []
    results += pool.drain()
    elapsed = time.perf_counter() - start
    pool.close()
    for result in results:
        files += result.files
        written += result.bytes_written
    return elapsed, files, written


def raw_write(root: str, count: int, size: int) -> float:
    """Seconds to write `count` files of `size` bytes, each fsynced, renamed into place."""
    d = os.path.join(root, "raw")
    os.makedirs(d, exist_ok=True)
    piece = os.urandom(size)
    start = time.perf_counter()
    for i in range(count):
        tmp = os.path.join(d, f"t{i}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, piece)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, os.path.join(d, f"f{i}"))
    elapsed = time.perf_counter() - start
    shutil.rmtree(d)
    return elapsed


def case(root: str, name: str, count: int, size: int, threads: int) -> None:
    paths = [os.path.join(root, name, f"d{i}") for i in range(1, 5)]
    with ObjectLayer.open(paths) as layer:
        fill(layer, "bench", count, size)
    shutil.rmtree(paths[0])
    os.makedirs(paths[0])
    with ObjectLayer.open(paths) as layer:
        seconds, files, written = heal_all(layer, "bench", count, threads)
    data = count * size / MiB
    print(f"{name}: {count} objects of {size} B, drive 1 of 2+2 replaced, {threads} heal thread(s)")
    print(f"  heal   {count / seconds:9.0f} objects/s  {data / seconds:8.1f} MiB/s of objects  "
          f"{written / MiB / seconds:8.1f} MiB/s written to drive 1  ({files} shard files)")
    if files:
        raw = raw_write(root, files, written // files)
        print(f"  raw    {files / raw:9.0f} files/s    {'':8s}                "
              f"{written / MiB / raw:8.1f} MiB/s (same files, fsync each)")
        print(f"  ratio  {raw / seconds:.2f} of the raw write")
    else:
        raw = raw_write(root, count, 4096)
        print(f"  raw    {count / raw:9.0f} 4 KiB files/s created+fsynced+renamed (inline objects heal "
              f"as records only: ratio {raw / seconds:.2f})")
    shutil.rmtree(os.path.join(root, name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=None, help="where the drives go (default: a temp dir)")
    parser.add_argument("--mib", type=int, default=512, help="MiB of 8 MiB objects")
    parser.add_argument("--small", type=int, default=2000, help="count of 256 KiB objects (and of 4 KiB)")
    parser.add_argument("--threads", type=int, default=HEAL_THREADS,
                        help="heal threads (and 1, for comparison)")
    args = parser.parse_args()
    erasure_set.REPAIR_AFTER_NS = 0
    root = tempfile.mkdtemp(prefix="cairn-heal-bench-", dir=args.dir)
    try:
        for threads in sorted({1, args.threads}):
            case(root, "large", max(1, args.mib // 8), 8 * MiB, threads)
            case(root, "medium", args.small, 256 << 10, threads)
            case(root, "small", args.small, 4096, threads)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
