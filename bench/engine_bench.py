#!/usr/bin/env python3
"""Engine-only throughput of Cairn, per core, beside the raw limits of the machine.

    .venv/bin/python bench/engine_bench.py [--quick] [--dir DIR] [--json OUT]

One thread drives the engine (ObjectLayer), so the figures are what one core
gets out of it (the engine's own helper threads -- the metadata committers and
the I/O pool -- do run; the cost table gives CPU ms per operation of the whole
process, the cores busy on average and the minor page faults per operation).
For objects of 4 KiB, 1 MiB and 64 MiB, on 1 drive and on 4
drives (2 data + 2 parity), it measures:

  PUT  put_object() of the body as an iterable of 1 MiB pieces, with
       sync="full" (the default durability) and sync="relaxed";
  GET  a full read through get_object().blocks() (page cache hot: the objects
       were just written; 64 MiB also "cold", after posix_fadvise(DONTNEED) on
       the shard files -- a virtual disk may still be served from the host's cache).

In the same run it measures the raw limits of this machine: ISA-L RS(2,2)
encode, MD5 and CRC32C over 1 MiB blocks, the engine's per-block encode and
decode pipelines, streaming disk write (with and without fsync), small-file
create+write(+fsync)+rename, and disk read (hot and cold) -- once before and
once after the Cairn runs, since a shared machine drifts; the better of the two
is the limit.  Each Cairn figure is printed with its ratio to the raw limit
relevant to it (named in the last column); see `limit_for` for the rules.  Large
PUTs are also compared with the serial bound (block CPU, then the disk, with no
overlap), which tells whether hashing/encoding and writeback overlap at all.

Each case does warm-up operations first, then several timed repetitions
(time.perf_counter; new keys each time); the median repetition is reported.

Every file lives in a temporary directory (under /tmp, or under --dir), which
is removed at the end, also on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from cairn.engine.api import ObjectLayer
from cairn.engine.checksums import Hasher, crc32c
from cairn.engine.erasure import BlockDecoder, BlockEncoder, ReedSolomon

KiB = 1 << 10
MiB = 1 << 20
PIECE = 1 * MiB  # PUT bodies are streamed in pieces of this size
BUCKET = "bench"

SIZES = (("4 KiB", 4 * KiB), ("1 MiB", 1 * MiB), ("64 MiB", 64 * MiB))
# name, number of drives, parity (None: the engine's default, 0 for one drive)
LAYOUTS = (("1 drive", 1, None), ("4 drives 2+2", 4, 2))


# --------------------------------------------------------------------------
# iteration plans
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    warmup: int  # untimed operations before the repetitions
    ops: int  # operations per repetition
    reps: int  # repetitions; the median is reported


@dataclass(frozen=True)
class Profile:
    cases: dict[int, Plan]  # object size -> plan (PUT and GET alike)
    cpu_blocks: int  # 1 MiB blocks per repetition of the CPU primitives
    cpu_reps: int
    stream_mib: int  # size of the raw streaming write/read file
    stream_reps: int
    small_files: dict[int, int]  # size -> files per repetition of the small-file test
    small_reps: int


DEFAULT = Profile(  # about 3 minutes on 2 cores
    cases={4 * KiB: Plan(50, 500, 7), 1 * MiB: Plan(5, 60, 7), 64 * MiB: Plan(1, 2, 7)},
    cpu_blocks=200, cpu_reps=7,
    stream_mib=256, stream_reps=5,
    small_files={4 * KiB: 500, 1 * MiB: 80}, small_reps=7,
)
QUICK = Profile(  # about 30 seconds
    cases={4 * KiB: Plan(20, 200, 3), 1 * MiB: Plan(3, 20, 3), 64 * MiB: Plan(1, 1, 3)},
    cpu_blocks=100, cpu_reps=3,
    stream_mib=64, stream_reps=3,
    small_files={4 * KiB: 150, 1 * MiB: 20}, small_reps=3,
)


# --------------------------------------------------------------------------
# measurement helpers
# --------------------------------------------------------------------------


@dataclass
class Sample:
    """The median of several timed repetitions of `ops` operations of `nbytes` bytes each."""

    ops_s: float
    mib_s: float
    cpu: float  # process CPU seconds per wall second over the repetitions (cores busy)
    cpu_ms_op: float  # process CPU milliseconds per operation (all threads)
    faults_op: float  # minor page faults per operation (fresh memory touched)
    rep_ops_s: list[float] = field(default_factory=list)

    @property
    def spread(self) -> float:
        """(max - min) / median of the repetitions' ops/s."""
        if len(self.rep_ops_s) < 2 or not self.ops_s:
            return 0.0
        return (max(self.rep_ops_s) - min(self.rep_ops_s)) / self.ops_s


def measure(run: Callable[[int], None], ops: int, reps: int, nbytes: int,
            between: Callable[[int], None] | None = None) -> Sample:
    """Call run(rep) `reps` times (each does `ops` operations of `nbytes` bytes); median figures.

    between(rep), untimed, runs before each repetition."""
    rates: list[float] = []
    wall = cpu = 0.0
    faults = 0
    for rep in range(reps):
        if between is not None:
            between(rep)
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        c0 = time.process_time()
        t0 = time.perf_counter()
        run(rep)
        dt = time.perf_counter() - t0
        cpu += time.process_time() - c0
        faults += resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        wall += dt
        rates.append(ops / dt)
    med = statistics.median(rates)
    n = ops * reps
    return Sample(med, med * nbytes / MiB, cpu / wall if wall else 0.0, 1e3 * cpu / n, faults / n, rates)


def payload(nbytes: int) -> bytes:
    return os.urandom(nbytes)


def drop_cache(paths: list[str]) -> None:
    """Ask the kernel to drop the (clean) cached pages of these files."""
    for p in paths:
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def files_under(top: str) -> list[str]:
    out: list[str] = []
    for root, _, names in os.walk(top):
        out.extend(os.path.join(root, n) for n in names)
    return out


def settle(_: int = 0) -> None:
    """Untimed, between cases: flush dirty pages so one case's writeback is not charged to the next."""
    os.sync()
    gc.collect()


# --------------------------------------------------------------------------
# raw limits
# --------------------------------------------------------------------------


def raw_cpu(prof: Profile) -> dict[str, Sample]:
    n, reps = prof.cpu_blocks, prof.cpu_reps
    block = payload(MiB)
    out: dict[str, Sample] = {}

    hasher = Hasher(("md5",))

    def md5(_: int) -> None:
        for _ in range(n):
            hasher.update(block)

    def crc(_: int) -> None:
        for _ in range(n):
            crc32c(block)

    rs = ReedSolomon(2, 2)
    view = memoryview(block)
    halves: list[Any] = [view[: MiB // 2], view[MiB // 2:]]
    parity: list[Any] = [bytearray(MiB // 2), bytearray(MiB // 2)]

    def encode(_: int) -> None:
        for _ in range(n):
            rs.encode(halves, parity)

    def pipeline(k: int, m: int) -> Callable[[int], None]:
        enc = BlockEncoder(k, m, MiB)
        h = Hasher(("md5",))

        def run(_: int) -> None:
            for _ in range(n):
                enc.encode(block, h)
        return run

    enc22 = BlockEncoder(2, 2, MiB)
    enc22.encode(block, None)
    frames = [bytes(enc22.frame(s)) for s in range(4)]
    dec = BlockDecoder(2, 2, MiB)

    def decode(_: int) -> None:
        for _ in range(n):
            dec.decode(list(frames), MiB)

    lost = [None, frames[1], frames[2], frames[3]]

    def rebuild(_: int) -> None:
        for _ in range(n):
            dec.decode(list(lost), MiB)

    for name, fn in (("md5", md5), ("crc32c", crc), ("rs22_encode", encode),
                     ("put_block_1d", pipeline(1, 0)), ("put_block_22", pipeline(2, 2)),
                     ("get_block_22", decode), ("get_block_22_degraded", rebuild)):
        fn(0)  # warm-up
        out[name] = measure(fn, n, reps, MiB)
    return out


def raw_disk(prof: Profile, root: str) -> dict[str, Sample]:
    d = os.path.join(root, "raw")
    os.makedirs(d)
    out: dict[str, Sample] = {}
    piece = payload(MiB)
    nmib, reps = prof.stream_mib, prof.stream_reps
    stream = os.path.join(d, "stream")

    def write_stream(fsync: bool) -> Callable[[int], None]:
        def run(_: int) -> None:
            fd = os.open(stream, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                for _ in range(nmib):
                    os.write(fd, piece)
                if fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
        return run

    def clear(_: int) -> None:
        if os.path.exists(stream):
            os.unlink(stream)
        settle()

    # buffered first (the page cache absorbs it), then with fsync; the last one stays for reading
    write_stream(False)(0)
    out["write_buffered"] = measure(write_stream(False), nmib, reps, MiB, clear)
    out["write_fsync"] = measure(write_stream(True), nmib, reps, MiB, clear)
    settle()

    buf = bytearray(MiB)

    def read_stream(_: int) -> None:
        with open(stream, "rb", buffering=0) as f:
            while f.readinto(buf):
                pass

    read_stream(0)
    out["read_hot"] = measure(read_stream, nmib, reps, MiB)
    out["read_cold"] = measure(read_stream, nmib, reps, MiB, lambda _: drop_cache([stream]))
    os.unlink(stream)

    # small files: create + write + (fsync) + rename, as a PUT of one small object would at least do
    for size, count in prof.small_files.items():
        body = payload(size)
        for fsync in (True, False):
            tag = f"file_{size // KiB}k_{'fsync' if fsync else 'nosync'}"
            sub = os.path.join(d, tag)
            os.makedirs(sub)

            def create(rep: int, sub: str = sub, body: bytes = body, fsync: bool = fsync,
                       count: int = count) -> None:
                for i in range(count):
                    tmp = os.path.join(sub, f"{rep}.{i}.tmp")
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                    try:
                        os.write(fd, body)
                        if fsync:
                            os.fsync(fd)
                    finally:
                        os.close(fd)
                    os.rename(tmp, os.path.join(sub, f"{rep}.{i}"))

            create(-1)  # warm-up
            out[tag] = measure(create, count, prof.small_reps, size, settle)
            if fsync:  # read back the files just written (hot): the small-object GET limit
                names = [os.path.join(sub, f"0.{i}") for i in range(count)]
                rbuf = bytearray(size)

                def read_small(_: int, names: list[str] = names, rbuf: bytearray = rbuf) -> None:
                    for p in names:
                        with open(p, "rb", buffering=0) as f:
                            f.readinto(rbuf)

                read_small(0)
                out[f"file_{size // KiB}k_read_hot"] = measure(read_small, count, prof.small_reps, size)
            shutil.rmtree(sub)
            settle()
    shutil.rmtree(d)
    return out


RAW_LABELS = {
    "md5": "MD5, Hasher(('md5',)), 1 MiB blocks",
    "crc32c": "CRC32C (ISA-L), 1 MiB blocks",
    "rs22_encode": "ISA-L RS(2,2) encode, 1 MiB blocks (MiB/s of input)",
    "put_block_1d": "engine PUT block CPU, BlockEncoder(1,0)+MD5",
    "put_block_22": "engine PUT block CPU, BlockEncoder(2,2)+MD5",
    "get_block_22": "engine GET block CPU, BlockDecoder(2,2) all data",
    "get_block_22_degraded": "engine GET block CPU, BlockDecoder(2,2) 1 lost",
    "write_buffered": "disk write, 1 MiB pieces, no fsync",
    "write_fsync": "disk write, 1 MiB pieces, then fsync",
    "read_hot": "disk read, 1 MiB pieces, page cache hot",
    "read_cold": "disk read, 1 MiB pieces, after fadvise DONTNEED",
    "file_4k_fsync": "4 KiB file create+write+fsync+rename",
    "file_4k_nosync": "4 KiB file create+write+rename (no fsync)",
    "file_4k_read_hot": "4 KiB file open+read+close (hot)",
    "file_1024k_fsync": "1 MiB file create+write+fsync+rename",
    "file_1024k_nosync": "1 MiB file create+write+rename (no fsync)",
    "file_1024k_read_hot": "1 MiB file open+read+close (hot)",
}


# --------------------------------------------------------------------------
# the engine
# --------------------------------------------------------------------------


@dataclass
class Result:
    op: str  # PUT, GET, GET cold
    size: int
    size_label: str
    layout: str
    sync: str
    sample: Sample
    limit_name: str = ""
    limit_ops_s: float = 0.0

    @property
    def pct(self) -> float:
        return 100.0 * self.sample.ops_s / self.limit_ops_s if self.limit_ops_s else 0.0


def put_objects(layer: ObjectLayer, keys: list[str], body: bytes) -> None:
    view = memoryview(body)
    for key in keys:
        layer.put_object(BUCKET, key, (view[off: off + PIECE] for off in range(0, len(view), PIECE)))


def get_objects(layer: ObjectLayer, keys: list[str], size: int) -> None:
    for key in keys:
        got = 0
        for view in layer.get_object(BUCKET, key).blocks():
            got += len(view)
        if got != size:
            raise AssertionError(f"GET {key}: {got} bytes, expected {size}")


def delete_objects(layer: ObjectLayer, keys: list[str]) -> None:
    for key in keys:
        layer.delete_object(BUCKET, key)


_T0 = time.perf_counter()


def elapsed() -> str:
    return f"[{time.perf_counter() - _T0:5.0f} s]"


def bench_size(layer: ObjectLayer, paths: list[str], name: str, sync: str, label: str, size: int,
               plan: Plan, body: bytes, log: Callable[[str], None]) -> list[Result]:
    """PUT (and, on the sync=full deployment, GET) of objects of one size."""
    results: list[Result] = []
    tag = label.replace(" ", "")
    keys = [[f"{tag}/r{r}/o{i}" for i in range(plan.ops)] for r in range(plan.reps)]
    warm = [f"{tag}/warm/o{i}" for i in range(plan.warmup)]
    put_objects(layer, warm, body)
    delete_objects(layer, warm)

    def before_put(rep: int) -> None:
        # Keep only repetition 0's objects (read by the GETs): bounded page cache use, so
        # late repetitions do not pay for memory the early ones pinned (costly in a VM).
        if rep >= 2:
            delete_objects(layer, keys[rep - 1])
        settle()

    s = measure(lambda r: put_objects(layer, keys[r], body), plan.ops, plan.reps, size, before_put)
    if plan.reps >= 2:
        delete_objects(layer, keys[plan.reps - 1])
    results.append(Result("PUT", size, label, name, sync, s))
    log(f"  {elapsed()} PUT {label:>6} {name:<12} sync={sync:<7} {s.ops_s:9.1f} ops/s {s.mib_s:8.1f} MiB/s")
    if sync == "full":  # the read path does not depend on the sync mode
        settle()
        get_objects(layer, keys[0][: max(1, plan.warmup)], size)
        s = measure(lambda r: get_objects(layer, keys[0], size), plan.ops, plan.reps, size)
        results.append(Result("GET", size, label, name, sync, s))
        log(f"  {elapsed()} GET {label:>6} {name:<12}              {s.ops_s:9.1f} ops/s {s.mib_s:8.1f} MiB/s")
        if size >= 64 * MiB:
            shard_files = [p for d in paths for p in files_under(os.path.join(d, ".cairn", "data"))]
            s = measure(lambda r: get_objects(layer, keys[0], size), plan.ops, plan.reps, size,
                        lambda _: drop_cache(shard_files))
            results.append(Result("GET cold", size, label, name, sync, s))
            log(f"  {elapsed()} GET cold {label:>6} {name:<12}         {s.ops_s:9.1f} ops/s "
                f"{s.mib_s:8.1f} MiB/s")
    delete_objects(layer, keys[0])
    settle()
    return results


def bench_layout(prof: Profile, root: str, layout: tuple[str, int, int | None], sync: str,
                 bodies: dict[int, bytes], log: Callable[[str], None]) -> list[Result]:
    name, ndrives, parity = layout
    base = os.path.join(root, f"{ndrives}d-{sync}")
    paths = [os.path.join(base, f"drive{i}") for i in range(ndrives)]
    results: list[Result] = []
    layer = ObjectLayer.open(paths, parity=parity, sync=sync)  # type: ignore[arg-type]
    try:
        layer.create_bucket(BUCKET)
        for label, size in SIZES:
            results.extend(bench_size(layer, paths, name, sync, label, size, prof.cases[size],
                                      bodies[size], log))
    finally:
        layer.close()
        shutil.rmtree(base, ignore_errors=True)
        settle()
    return results


# --------------------------------------------------------------------------
# limits: which raw figure bounds which Cairn figure
# --------------------------------------------------------------------------


def limit_for(r: Result, raw: dict[str, Sample]) -> tuple[str, float]:
    """(description, ops/s) of the raw limit that bounds this Cairn figure.

    PUT, large (64 MiB): min(MD5, disk write) -- disk write with fsync for sync=full,
      buffered for relaxed; on 4 drives the disk writes (k+m)/k = 2x the payload, so the
      disk figure is halved, and the ISA-L RS(2,2) encode joins the min.
    PUT, 1 MiB: min(MD5, the 1 MiB file create+write(+fsync)+rename rate); on 4 drives
      the file rate is halved (2x the bytes) and RS encode joins the min.
    PUT, 4 KiB: the 4 KiB file create+write(+fsync)+rename rate (one durable small write;
      on 4 drives the four metadata commits run in parallel on one device: no scaling).
    GET: min(CRC32C -- every frame is verified --, disk read) with the disk read of the
      same kind: streaming hot/cold for 64 MiB, 1 MiB / 4 KiB file open+read hot.
    """
    size = r.size
    four = r.layout.startswith("4")
    amp = 2.0 if four else 1.0
    cands: list[tuple[str, float]] = []  # (name, ops/s)

    def rate(key: str) -> float:
        return raw[key].mib_s * MiB / size  # ops/s at this object size

    if r.op == "PUT":
        full = r.sync == "full"
        if size >= 64 * MiB:
            cands.append(("MD5", rate("md5")))
            disk = "write_fsync" if full else "write_buffered"
            cands.append(("disk write" + (" fsync" if full else " buffered") + (" /2" if four else ""),
                          rate(disk) / amp))
            if four:
                cands.append(("RS(2,2) encode", rate("rs22_encode")))
        elif size >= MiB:
            cands.append(("MD5", rate("md5")))
            key = "file_1024k_fsync" if full else "file_1024k_nosync"
            cands.append(("1 MiB file" + (" fsync" if full else " nosync") + (" /2" if four else ""),
                          raw[key].ops_s / amp))
            if four:
                cands.append(("RS(2,2) encode", rate("rs22_encode")))
        else:
            key = "file_4k_fsync" if full else "file_4k_nosync"
            cands.append(("4 KiB file" + (" fsync" if full else " nosync"), raw[key].ops_s))
    else:
        cands.append(("CRC32C", rate("crc32c")))
        if size >= 64 * MiB:
            cold = r.op == "GET cold"
            key = "read_cold" if cold else "read_hot"
            cands.append(("disk read " + ("cold" if cold else "hot"), rate(key)))
        elif size >= MiB:
            cands.append(("1 MiB file read", raw["file_1024k_read_hot"].ops_s))
        else:
            cands.append(("4 KiB file read", raw["file_4k_read_hot"].ops_s))
    return min(cands, key=lambda c: c[1])


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def fmt(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def serial_bound(r: Result, raw: dict[str, Sample]) -> float:
    """MiB/s of a large PUT if the block CPU work and the disk work did not overlap at all:
    1 / (1/engine-block-CPU + amplification/disk write).  0 for other cases."""
    if r.op != "PUT" or r.size < 64 * MiB:
        return 0.0
    four = r.layout.startswith("4")
    cpu = raw["put_block_22" if four else "put_block_1d"].mib_s
    disk = raw["write_fsync" if r.sync == "full" else "write_buffered"].mib_s
    return 1.0 / (1.0 / cpu + (2.0 if four else 1.0) / disk)


def render(raw: dict[str, Sample], results: list[Result], meta: dict[str, object],
           before: dict[str, Sample], after: dict[str, Sample]) -> str:
    lines = []
    lines.append(f"Cairn engine benchmark -- {meta['profile']} run, {meta['elapsed_s']:.0f} s, "
                 f"{meta['cpu']} ({meta['cpus']} CPUs), Python {meta['python']}")
    lines.append(f"bench dir: {meta['dir']} ({meta['fs']})")
    lines.append("")
    lines.append("Raw limits on this machine (1 thread; medians, measured before and after the Cairn runs;")
    lines.append("the limit used is the better of the two)")
    lines.append(f"  {'':<54} {'MiB/s':>9} {'ops/s':>9} {'before':>9} {'after':>9}")
    drift = []
    for key, label in RAW_LABELS.items():
        if key in raw:
            s, b, a = raw[key], before[key], after[key]
            lines.append(f"  {label:<54} {fmt(s.mib_s):>9} {fmt(s.ops_s):>9}"
                         f" {fmt(b.ops_s):>9} {fmt(a.ops_s):>9}")
            if min(a.ops_s, b.ops_s) < 0.7 * max(a.ops_s, b.ops_s):
                drift.append(key)
    lines.append("  (ops: one 1 MiB block or piece for the CPU and streaming rows; before/after in ops/s)")
    if drift:
        lines.append(f"  drift > 30% between before and after (noisy machine): {', '.join(drift)}")
    lines.append("")
    lines.append("Cairn engine, one calling thread; %lim = share of the raw limit named on the right")
    hdr = (f"  {'op':<8} {'size':>6}  {'layout':<12}"
           f" | {'full ops/s':>10} {'MiB/s':>7} {'%lim':>5}"
           f" | {'relax ops/s':>11} {'MiB/s':>7} {'%lim':>5}"
           f" | limit: full; relaxed (ops/s)")
    lines.append(hdr)
    lines.append("  " + "-" * (len(hdr) + 22))
    index = {(r.op, r.size, r.layout, r.sync): r for r in results}
    rows: list[tuple[str, str, str, Result, Result | None]] = []
    for op in ("PUT", "GET", "GET cold"):
        for lname, _, _ in LAYOUTS:
            for label, size in SIZES:
                full = index.get((op, size, lname, "full"))
                if full is not None:
                    rows.append((op, label, lname, full, index.get((op, size, lname, "relaxed"))))

    def cells(r: Result | None, w: int) -> str:
        if r is None:
            return f"{'-':>{w}} {'-':>7} {'-':>5}"
        return f"{fmt(r.sample.ops_s):>{w}} {fmt(r.sample.mib_s):>7} {r.pct:>4.0f}%"

    last = None
    for op, label, lname, full, rlx in rows:
        if last is not None and op != last:
            lines.append("")
        last = op
        lim = f"{full.limit_name} {fmt(full.limit_ops_s)}"
        if rlx is not None:
            lim += f"; {rlx.limit_name} {fmt(rlx.limit_ops_s)}"
        lines.append(f"  {op:<8} {label:>6}  {lname:<12} | {cells(full, 10)} | {cells(rlx, 11)} | {lim}")
    lines.append("")
    lines.append("Cost per operation: CPU ms of the whole process (engine threads included), cores busy")
    lines.append("on average, minor page faults (fresh memory touched)")
    hdr = (f"  {'op':<8} {'size':>6}  {'layout':<12}"
           f" | {'full cpu ms':>11} {'cores':>5} {'faults':>7}"
           f" | {'relax cpu ms':>12} {'cores':>5} {'faults':>7}")
    lines.append(hdr)
    lines.append("  " + "-" * len(hdr))
    last = None
    for op, label, lname, full, rlx in rows:
        if last is not None and op != last:
            lines.append("")
        last = op

        def cost(r: Result | None, w: int) -> str:
            if r is None:
                return f"{'-':>{w}} {'-':>5} {'-':>7}"
            s = r.sample
            return f"{s.cpu_ms_op:>{w}.3f} {s.cpu:>5.2f} {s.faults_op:>7.0f}"

        lines.append(f"  {op:<8} {label:>6}  {lname:<12} | {cost(full, 11)} | {cost(rlx, 12)}")
    lines.append("")
    lines.append("Large PUT against the serial bound (block CPU then disk, no overlap):")
    for r in results:
        bound = serial_bound(r, raw)
        if bound:
            pct = 100 * r.sample.mib_s / bound
            lines.append(f"  PUT {r.size_label} {r.layout:<12} sync={r.sync:<7}"
                         f" {fmt(r.sample.mib_s):>6} MiB/s = {pct:3.0f}% of serial bound {fmt(bound)} MiB/s")
    lines.append("")
    noisy = [r for r in results if r.sample.spread > 0.25]
    if noisy:
        lines.append("Noisy (repetitions spread > 25% of the median): " + ", ".join(
            f"{r.op} {r.size_label} {r.layout} {r.sync} ({100 * r.sample.spread:.0f}%)" for r in noisy))
    lines.append("Notes: GET runs on the sync=full deployment, page cache hot unless 'cold' (fadvise")
    lines.append("DONTNEED; a VM's host may still cache, so cold figures are rough).  The 4 drives share")
    lines.append("one device here, so '/2' limits account for the 2x bytes of 2+2 erasure coding.  Only")
    lines.append("one repetition's objects are kept at a time: in a VM, page cache on never-touched memory")
    lines.append("is several times slower to fill, which would otherwise penalize the later repetitions.")
    return "\n".join(lines)


def machine_info(root: str) -> dict[str, object]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    fs = "?"
    try:
        best = ""
        with open("/proc/mounts") as f:
            for line in f:
                dev, mnt, kind = line.split()[:3]
                if (root + "/").startswith(mnt.rstrip("/") + "/") and len(mnt) >= len(best):
                    best, fs = mnt, f"{kind} on {dev}, mounted at {mnt}"
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "python": platform.python_version(), "fs": fs,
            "platform": platform.platform()}


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer iterations (about 30 s)")
    ap.add_argument("--dir", help="parent directory of the temporary bench directory (default: /tmp)")
    ap.add_argument("--json", metavar="OUT", help="write every figure as JSON to OUT")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines, only the table")
    args = ap.parse_args(argv)
    prof = QUICK if args.quick else DEFAULT

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    # SIGTERM -> SystemExit, so the finally below removes the bench directory
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parent = os.path.abspath(args.dir) if args.dir else "/tmp"
    root = tempfile.mkdtemp(prefix="cairn-bench-", dir=parent)
    t_start = time.perf_counter()
    try:
        meta: dict[str, object] = {"profile": "quick" if args.quick else "default", "dir": root,
                                   **machine_info(root)}

        def raw_limits(when: str) -> dict[str, Sample]:
            log(f"{elapsed()} raw CPU limits ({when}) ...")
            out = raw_cpu(prof)
            log(f"{elapsed()} raw disk limits ({when}) ...")
            out.update(raw_disk(prof, root))
            for key, s in out.items():
                log(f"  {key:<24} {s.mib_s:10.1f} MiB/s {s.ops_s:10.1f} ops/s")
            return out

        log(f"bench dir {root}")
        raw_before = raw_limits("before")
        bodies = {size: payload(size) for _, size in SIZES}
        results: list[Result] = []
        for layout in LAYOUTS:
            for sync in ("full", "relaxed"):
                log(f"{elapsed()} cairn {layout[0]}, sync={sync} ...")
                results.extend(bench_layout(prof, root, layout, sync, bodies, log))
        # the raw limits again: a shared machine drifts; a limit is the best of the two
        raw_after = raw_limits("after")
        raw = {k: max(raw_before[k], raw_after[k], key=lambda s: s.ops_s) for k in raw_before}
        for r in results:
            r.limit_name, r.limit_ops_s = limit_for(r, raw)
        meta["elapsed_s"] = time.perf_counter() - t_start
        print(render(raw, results, meta, raw_before, raw_after), flush=True)
        if args.json:
            doc = {
                "meta": meta,
                "plan": {"cases": {str(k): asdict(v) for k, v in prof.cases.items()},
                         "cpu_blocks": prof.cpu_blocks, "cpu_reps": prof.cpu_reps,
                         "stream_mib": prof.stream_mib, "stream_reps": prof.stream_reps,
                         "small_files": {str(k): v for k, v in prof.small_files.items()},
                         "small_reps": prof.small_reps, "piece_bytes": PIECE},
                "raw": {k: {"label": RAW_LABELS.get(k, k), **asdict(s)} for k, s in raw.items()},
                "raw_before": {k: asdict(s) for k, s in raw_before.items()},
                "raw_after": {k: asdict(s) for k, s in raw_after.items()},
                "cairn": [
                    {"op": r.op, "size": r.size, "layout": r.layout, "sync": r.sync,
                     "ops_s": r.sample.ops_s, "mib_s": r.sample.mib_s, "cpu_cores": r.sample.cpu,
                     "rep_ops_s": r.sample.rep_ops_s, "limit": r.limit_name,
                     "limit_ops_s": r.limit_ops_s, "limit_mib_s": r.limit_ops_s * r.size / MiB,
                     "pct_of_limit": r.pct, "cpu_ms_per_op": r.sample.cpu_ms_op,
                     "minor_faults_per_op": r.sample.faults_op,
                     "serial_bound_mib_s": serial_bound(r, raw) or None}
                    for r in results
                ],
            }
            with open(args.json, "w") as f:
                json.dump(doc, f, indent=2)
            log(f"JSON written to {args.json}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
