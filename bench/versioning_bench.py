#!/usr/bin/env python3
"""What versioning costs the engine: 4 KiB operations on a versioned bucket beside an unversioned
one, and ListObjectVersions of a bucket holding a million versions.

    .venv/bin/python bench/versioning_bench.py [--quick] [--dir DIR] [--out FILE] [--fill auto|records|api]

The bars (the issue's words): "4 KiB PUT/GET/DELETE on a versioned bucket within 10% of the same
on an unversioned one, and ListObjectVersions of the first page of a bucket holding 1,000,000
versions reading at most a page's worth of rows."

Part 1 -- operations.  The engine alone (ObjectLayer, no HTTP), sync="full" (the server's
default), on 1 drive and on 4 drives (2 data + 2 parity), one layer per layout holding two
buckets: `plain` (never versioned) and `versioned` (VersioningConfig("Enabled")).  A round on a
bucket, each step timed on its own, with 1 calling thread and then with 8 (each thread its own
share of the keys), on three sets of new keys a, b, c:

    PUT            put_object of 4 KiB to the keys a
    GET            get_object(...).read_all() of each, `read_passes` times over
    HEAD           head_object of each, `read_passes` times over
    DELETE         plain: delete_object of each key a, the object goes.  Versioned: "DELETE by
                   id" of each key a's version (its only version ever) -- the apples-to-apples
                   comparison with the unversioned DELETE: both remove the key's one record
    PUT overwrite  put_object of 4 KiB over the keys b, put once untimed before (versioned: the
                   old latest version moves to a noncurrent record in the same transaction)
    then           plain: "DELETE after overwrite" of the keys b.  Versioned: "DELETE noncurrent
                   by id" of each key b's older version, then "DELETE by id, after overwrite" of
                   its latest, now its only version (the engine cannot tell that nothing is left
                   behind it, so it looks);
                   and "DELETE (marker)" of the keys c, put untimed before: a plain delete_object,
                   which on a versioned bucket writes a delete marker over the object (what a
                   client sending a DELETE without versionId gets); the markers and versions are
                   deleted untimed after.

4 KiB bodies are stored inline in the metadata record (inline_max is 128 KiB), so each write is
one metadata commit.  Every round leaves both buckets empty.  The two buckets' rounds run step by
step, interleaved: each step (PUT, GET, ...) runs on one bucket and then at once on the other,
which one goes first alternating from step to step and round to round (ABBA), so that the two
measurements of an operation are a moment apart and a machine drifting over the run favours
neither; with `rounds` rounds each figure is the median of its rounds, and the result is the
ratio versioned/unversioned of the medians, beside the spread of the ratios of the rounds taken
pairwise.  GET and HEAD run the same code on both buckets: their ratios show the noise.  CPU
time per operation (process_time of the whole process, engine threads included) is given too: it
is less disturbed by other tenants of a shared machine than wall time.

Part 2 -- ListObjectVersions at scale.  Buckets holding
    1,000 keys x 1,000 versions (1 drive; 4 drives 2+2 too unless --quick), keys
        dir00/obj0000 .. dir09/obj0999 (ten prefixes of a hundred keys), and
    1 key (solo/key) x 1,000,000 versions (100,000 with --quick), 1 drive;
opened with sync="relaxed" (filling them is the slow part; listing does not write).

Filling: first the put_object rate is measured (1-byte bodies, sync="relaxed", 8 threads over
distinct keys, and 1 thread over one key) and the time a fill through put_object would take is
estimated.  With --fill auto (the default), beyond the mode's fill budget (10 min; 1 min with
--quick) the buckets are filled with records.  Each key's oldest version is a put_object; its
object record, read from every drive, is moved to its noncurrent record (the same bytes, as the
engine moves a version it displaces); the versions between are written straight into every
drive's metadata store (SetMeta.commit, batches of FILL_BATCH records per drive), each made from
the key's engine-written record with a newer stamp (version_ts and mtime 1 microsecond apart), a
version id from versions.new_version_id(stamp), has_older=True and null_stamp=0 (what the engine
writes on a version that has older ones and no null version behind it), as
records.encode_object(records.object_json(info), that drive's own inline shard frame) under
versions.record_key(...) -- the newest of them as the object record; then a last put_object
makes the latest version, the engine itself moving that newest one to its noncurrent record.
Re-encoding the engine's record this way is checked to give it back byte for byte; after the
fill, the records are counted in each drive's database and a filled version is read back through
head_object/get_object by version id.  --fill api puts every version through put_object instead
(takes tens of minutes).

Then, with layer.rows_read() (metadata rows fetched over every drive) before and after each call,
each repeated `list_repeats` times (the first call and the median of the others are reported):
list_object_versions(max_keys=1000) first page; a page from the middle (key_marker and
version_id_marker at the middle key's middle version); the same with delimiter "/" (rolled-up
prefixes) and under a prefix; list_objects first page and with delimiter "/" on the same bucket.
In default mode the 1-drive 1,000 x 1,000 bucket is also walked page by page to the end (every
version listed once: a check of the fill and of the pages' chaining).  On the one-key bucket,
single operations on that key are measured once each (rows read, time): HEAD, PUT, DELETE by id
of the latest, DELETE (a marker) and DELETE of the marker by id, which need only the latest and
the newest noncurrent version; then calls that must find the key's null version (it has none):
head_object(versionId=null), list_object_versions with version_id_marker=null, and a PUT after
versioning is Suspended (it looks for a null version to replace), once over a versioned latest
and once more over the null version it made.

Writes bench/results/VERSIONING.md (VERSIONING-quick.md with --quick) and prints it.  Files go
to a temporary directory under /tmp (or --dir), removed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from engine_bench import fmt, machine_info, settle

from cairn.engine.api import ObjectLayer
from cairn.engine.bucket_config import VersioningConfig
from cairn.engine.errors import ObjectNotFound
from cairn.engine.options import ObjectOptions
from cairn.engine.records import (
    decode_object,
    encode_object,
    object_json,
    object_key,
    object_prefix,
    split_object,
    versions_prefix,
)
from cairn.engine.versions import new_version_id, record_key

KiB = 1 << 10
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAIN, VERSIONED = "plain", "versioned"
LAYOUTS = (("1 drive", 1, None), ("4 drives 2+2", 4, 2))
PAGE = 1000
FILL_BATCH = 20_000  # records per drive per metadata commit when filling directly
STAMP_STEP_NS = 1_000  # between the stamps of two filled versions of a key
KEY_OP_CYCLES = 5  # cycles of single operations on the one-key bucket (each reported as first, median)


# --------------------------------------------------------------------------
# plans
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    label: str
    layout: tuple[str, int, int | None]
    keys: list[str]
    versions_per_key: int
    walk: bool = False  # list every page to the end
    key_probes: bool = False  # single operations on the key (the one-key bucket)


@dataclass(frozen=True)
class Plan:
    keys: int  # objects per step of a round (PUT, DELETE)
    read_passes: int  # GET and HEAD read each object this many times
    rounds: int  # rounds per bucket, interleaved step by step (ABBA)
    threads: tuple[int, ...]
    probe_s: float  # seconds of put_object rate measurement before filling
    list_repeats: int
    fill_budget_s: float  # --fill auto: through put_object only if the estimate is within this
    scales: tuple[Scale, ...]


MANY = [f"dir{i // 100:02d}/obj{i:04d}" for i in range(1000)]
SOLO = ["solo/key"]

DEFAULT = Plan(keys=250, read_passes=5, rounds=9, threads=(1, 8), probe_s=12.0, list_repeats=7,
              fill_budget_s=10 * 60, scales=(
    Scale("1,000 keys x 1,000 versions", LAYOUTS[0], MANY, 1000, walk=True),
    Scale("1,000 keys x 1,000 versions", LAYOUTS[1], MANY, 1000),
    Scale("1 key x 1,000,000 versions", LAYOUTS[0], SOLO, 1_000_000, key_probes=True),
))
QUICK = Plan(keys=150, read_passes=3, rounds=3, threads=(1, 8), probe_s=4.0, list_repeats=5,
            fill_budget_s=60, scales=(
    Scale("1,000 keys x 1,000 versions", LAYOUTS[0], MANY, 1000),
    Scale("1 key x 100,000 versions", LAYOUTS[0], SOLO, 100_000, key_probes=True),
))

_T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - _T0:5.0f} s] {msg}", file=sys.stderr, flush=True)


def open_layer(root: str, name: str, layout: tuple[str, int, int | None], sync: str) -> ObjectLayer:
    _, ndrives, parity = layout
    paths = [os.path.join(root, name, f"drive{i}") for i in range(ndrives)]
    return ObjectLayer.open(paths, parity=parity, sync=sync)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# part 1: 4 KiB operations, versioned vs unversioned
# --------------------------------------------------------------------------


@dataclass
class Timing:
    ops: int
    wall: float
    cpu: float

    @property
    def ops_s(self) -> float:
        return self.ops / self.wall

    @property
    def cpu_us(self) -> float:
        return 1e6 * self.cpu / self.ops


class Runner:
    """Runs one step over a list of items with 1 or N threads, timed (wall and process CPU)."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.pool = ThreadPoolExecutor(threads) if threads > 1 else None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def run(self, fn: Callable[[Any], Any], items: Sequence[Any], passes: int = 1
            ) -> tuple[Timing, list[Any]]:
        """fn(item) for every item, `passes` times over; (timing, results of the last pass in item order)."""
        out: list[Any] = [None] * len(items)
        if self.pool is None:
            c0, t0 = time.process_time(), time.perf_counter()
            for _ in range(passes):
                for i, item in enumerate(items):
                    out[i] = fn(item)
            return Timing(len(items) * passes, time.perf_counter() - t0, time.process_time() - c0), out
        n = self.threads

        def chunk(t: int) -> None:
            for _ in range(passes):
                for i in range(t, len(items), n):
                    out[i] = fn(items[i])

        c0, t0 = time.process_time(), time.perf_counter()
        for f in [self.pool.submit(chunk, t) for t in range(n)]:
            f.result()
        return Timing(len(items) * passes, time.perf_counter() - t0, time.process_time() - c0), out




def put_get_head(layer: ObjectLayer, run: Runner, b: str, keys: list[str], body: bytes, passes: int,
                 t: dict[str, Timing]) -> Generator[None, None, list[Any]]:
    """The steps both rounds begin with: PUT new keys, GET and HEAD them; the PUTs' results."""
    t["PUT"], infos = run.run(lambda k: layer.put_object(b, k, body), keys)
    yield
    t["GET"], got = run.run(lambda k: layer.get_object(b, k).read_all(), keys, passes)
    if any(g != body for g in got):
        raise AssertionError("GET returned other bytes")
    yield
    t["HEAD"], _ = run.run(lambda k: layer.head_object(b, k), keys, passes)
    yield
    return infos


def round_plain(layer: ObjectLayer, run: Runner, keys: list[str], body: bytes, passes: int,
                t: dict[str, Timing]) -> Iterator[None]:
    """A round on the unversioned bucket, one step per next() (see interleave)."""
    b = PLAIN
    k1, k2 = [k + "/a" for k in keys], [k + "/b" for k in keys]
    yield from put_get_head(layer, run, b, k1, body, passes, t)
    t["DELETE"], _ = run.run(lambda k: layer.delete_object(b, k), k1)
    yield
    run.run(lambda k: layer.put_object(b, k, body), k2)
    t["PUT overwrite"], _ = run.run(lambda k: layer.put_object(b, k, body), k2)
    yield
    t["DELETE after overwrite"], _ = run.run(lambda k: layer.delete_object(b, k), k2)


def by_id(layer: ObjectLayer, run: Runner, bucket: str, keys: list[str], infos: list[Any]
          ) -> tuple[Timing, list[Any]]:
    pairs = [(k, info.version_id) for k, info in zip(keys, infos, strict=True)]
    return run.run(lambda kv: layer.delete_object(bucket, kv[0], ObjectOptions(version_id=kv[1])), pairs)


def round_versioned(layer: ObjectLayer, run: Runner, keys: list[str], body: bytes, passes: int,
                    t: dict[str, Timing]) -> Iterator[None]:
    """A round on the versioned bucket, one step per next(), in step with round_plain."""
    b = VERSIONED
    k1, k2, k3 = [k + "/a" for k in keys], [k + "/b" for k in keys], [k + "/c" for k in keys]
    first = yield from put_get_head(layer, run, b, k1, body, passes, t)
    t["DELETE by id"], gone = by_id(layer, run, b, k1, first)  # each key's only version ever
    if not all(d.existed and not d.delete_marker for d in gone):
        raise AssertionError("DELETE by id did not delete a version")
    yield
    _, old = run.run(lambda k: layer.put_object(b, k, body), k2)
    t["PUT overwrite"], new = run.run(lambda k: layer.put_object(b, k, body), k2)
    yield
    t["DELETE noncurrent by id"], _ = by_id(layer, run, b, k2, old)
    t["DELETE by id, after overwrite"], _ = by_id(layer, run, b, k2, new)  # the only version left
    yield
    # a plain DELETE on a versioned bucket: a delete marker over an object
    _, puts = run.run(lambda k: layer.put_object(b, k, body), k3)
    t["DELETE (marker)"], markers = run.run(lambda k: layer.delete_object(b, k), k3)
    if not all(m.delete_marker for m in markers):
        raise AssertionError("DELETE on a versioned bucket wrote no delete marker")
    for k, marker, info in zip(k3, markers, puts, strict=True):  # untimed: leave the bucket empty
        layer.delete_object(b, k, ObjectOptions(version_id=marker.version_id))
        layer.delete_object(b, k, ObjectOptions(version_id=info.version_id))
    if layer.list_object_versions(b, max_keys=1).versions:
        raise AssertionError("the versioned bucket is not empty after a round")


def interleave(a: Iterator[None], b: Iterator[None], flip: int) -> None:
    """Run two rounds step by step, alternating which goes first at each step (ABBA...), so that the
    two measurements of an operation are taken a moment apart."""
    active = [a, b]
    step = 0
    while active:
        order = list(active) if (step + flip) % 2 == 0 else active[::-1]
        for gen in order:
            try:
                next(gen)
            except StopIteration:
                active.remove(gen)
        step += 1


@dataclass
class OpsResult:
    layout: str
    threads: int
    rounds: dict[str, dict[str, list[Timing]]] = field(default_factory=dict)  # bucket -> op -> rounds


def bench_ops(root: str, plan: Plan, layout: tuple[str, int, int | None]) -> list[OpsResult]:
    layer = open_layer(root, f"ops-{layout[1]}d", layout, "full")
    body = os.urandom(4 * KiB)
    results: list[OpsResult] = []
    try:
        layer.create_bucket(PLAIN)
        layer.create_bucket(VERSIONED)
        layer.put_bucket_config(VERSIONED, VersioningConfig("Enabled"))
        for threads in plan.threads:
            run = Runner(threads)
            res = OpsResult(layout[0], threads, {PLAIN: {}, VERSIONED: {}})
            try:
                warm = [f"warm{threads}/{i}" for i in range(max(20, plan.keys // 5))]
                interleave(round_plain(layer, run, warm, body, 1, {}),
                           round_versioned(layer, run, warm, body, 1, {}), 0)
                for r in range(plan.rounds):
                    settle()
                    keys = [f"t{threads}/r{r}/o{i:05d}" for i in range(plan.keys)]
                    got: dict[str, dict[str, Timing]] = {PLAIN: {}, VERSIONED: {}}
                    passes = plan.read_passes
                    interleave(round_plain(layer, run, keys, body, passes, got[PLAIN]),
                               round_versioned(layer, run, keys, body, passes, got[VERSIONED]), r % 2)
                    for bucket, timings in got.items():
                        for op, timing in timings.items():
                            res.rounds[bucket].setdefault(op, []).append(timing)
                    log(f"  {layout[0]}, {threads} thread(s), round {r + 1}/{plan.rounds}: "
                        + ", ".join(f"{op} {ratio_of(res, op, r):.2f}" for op in ("PUT", "GET", "HEAD")
                                    if op in res.rounds[VERSIONED]))
            finally:
                run.close()
            results.append(res)
    finally:
        layer.close()
        shutil.rmtree(os.path.join(root, f"ops-{layout[1]}d"), ignore_errors=True)
        settle()
    return results


def ratio_of(res: OpsResult, op: str, r: int) -> float:
    return res.rounds[VERSIONED][op][r].ops_s / res.rounds[PLAIN][op][r].ops_s


# (versioned op, its unversioned counterpart, note)
COMPARISONS = (
    ("PUT", "PUT", "new key"),
    ("PUT overwrite", "PUT overwrite", "versioned: the old version becomes noncurrent"),
    ("GET", "GET", "read_all()"),
    ("HEAD", "HEAD", ""),
    ("DELETE by id", "DELETE", "**apples to apples**: both remove the key's only record, and the key never "
                               "had another"),
    ("DELETE by id, after overwrite", "DELETE after overwrite",
     "both remove the key's only record; the versioned key had an older version (deleted by id): the "
     "engine looks behind the one it deletes"),
    ("DELETE (marker)", "DELETE", "versioned: writes a delete marker over the object"),
    ("DELETE noncurrent by id", "DELETE", "versioned: removes a noncurrent version (no unversioned "
                                          "counterpart)"),
)


def ops_table(results: list[OpsResult]) -> list[str]:
    lines = ["| layout | threads | versioned op | vs unversioned | unversioned ops/s | versioned ops/s "
             "| **ratio** v/u | round ratios min..max | CPU µs/op u | CPU µs/op v | CPU ratio v/u | note |",
             "|---|---:|---|---|---:|---:|---:|---|---:|---:|---:|---|"]
    for res in results:
        for vop, uop, note in COMPARISONS:
            u, v = res.rounds[PLAIN][uop], res.rounds[VERSIONED][vop]
            u_ops = statistics.median(t.ops_s for t in u)
            v_ops = statistics.median(t.ops_s for t in v)
            u_cpu = statistics.median(t.cpu_us for t in u)
            v_cpu = statistics.median(t.cpu_us for t in v)
            pairs = [b.ops_s / a.ops_s for a, b in zip(u, v, strict=True)]
            ratio = v_ops / u_ops
            mark = "" if ratio >= 0.9 else " ✗"
            lines.append(f"| {res.layout} | {res.threads} | {vop} | {uop} | {fmt(u_ops)} | {fmt(v_ops)} "
                         f"| **{ratio:.2f}**{mark} | {min(pairs):.2f}..{max(pairs):.2f} | {fmt(u_cpu)} "
                         f"| {fmt(v_cpu)} | {v_cpu / u_cpu:.2f} | {note} |")
    return lines


# --------------------------------------------------------------------------
# part 2: filling a bucket with a million versions
# --------------------------------------------------------------------------


@dataclass
class Probe:
    layout: str
    many_rate: float  # versions/s, 8 threads over distinct keys
    solo_rate: float  # versions/s, 1 thread, one key


def probe_put_rate(layer: ObjectLayer, layout: str, seconds: float) -> Probe:
    """put_object of 1-byte bodies (inline) on a versioned bucket: versions per second."""
    bucket = "probe"
    layer.create_bucket(bucket)
    layer.put_bucket_config(bucket, VersioningConfig("Enabled"))
    stop = time.monotonic() + seconds
    counts = [0] * 8

    def worker(t: int) -> None:
        while time.monotonic() < stop:
            layer.put_object(bucket, f"many/k{t}", b"x")
            counts[t] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    many = sum(counts) / (time.perf_counter() - t0)
    n, t0 = 0, time.perf_counter()
    stop = time.monotonic() + seconds / 2
    while time.monotonic() < stop:
        layer.put_object(bucket, "solo", b"x")
        n += 1
    solo = n / (time.perf_counter() - t0)
    return Probe(layout, many, solo)


@dataclass
class Fill:
    label: str
    layout: str
    method: str  # "records" or "api"
    versions: int
    engine_puts: int
    records_written: int  # per drive
    seconds: float
    counted: dict[str, int] = field(default_factory=dict)  # drive -> O, V rows of the bucket
    marker: tuple[str, str] = ("", "")  # (key, version id) of the middle page's marker
    checks: list[str] = field(default_factory=list)


def drive_db(layer: ObjectLayer, i: int) -> str:
    drive = layer.drives[i]
    return str(drive.drive.meta_db_path)  # type: ignore[attr-defined]


def count_rows(layer: ObjectLayer, bucket: str) -> dict[str, int]:
    """Rows of the bucket's object and version records in each drive's database (read only)."""
    out: dict[str, int] = {}
    for i in range(len(layer.drives)):
        conn = sqlite3.connect(f"file:{drive_db(layer, i)}?mode=ro", uri=True)
        try:
            for kind, lo in (("O", object_prefix(bucket)), ("V", versions_prefix(bucket))):
                hi = lo[:-1] + b"\x01"
                (n,) = conn.execute("SELECT count(*) FROM kv WHERE k >= ? AND k < ?", (lo, hi)).fetchone()
                out[f"drive{i} {kind}"] = n
        finally:
            conn.close()
    return out


def fill_records(layer: ObjectLayer, bucket: str, keys: list[str], per_key: int, marker_at: tuple[int, int]
                 ) -> tuple[int, int, tuple[str, str], list[str]]:
    """The oldest and the latest version of each key through put_object, the versions between as
    records (see the module docstring).  (engine puts, records written per drive, marker (key,
    version id), checks done)."""
    eset = layer.sets[0]
    assert len(layer.sets) == 1
    nd = eset.meta.size
    checks: list[str] = []
    pending: list[list[tuple[bytes, bytes | None]]] = [[] for _ in range(nd)]
    awaiting: list[str] = []  # keys whose records are all queued: their latest version follows the commit
    written = 0
    between = per_key - 2  # versions written as records, older than the latest, newer than the oldest

    def commit() -> None:
        nonlocal pending, awaiting
        if pending[0]:
            eset.meta.commit(pending, required=nd)
            pending = [[] for _ in range(nd)]
        for k in awaiting:  # the engine moves the newest record-written version out of the way
            latest = layer.put_object(bucket, k, b"x")
            if k == keys[marker_at[0]] and marker_at[1] == 0:
                marker_ref[0] = (k, latest.version_id)
        awaiting = []

    marker_ref = [("", "")]
    for ki, key in enumerate(keys):
        oldest = layer.put_object(bucket, key, b"x")
        if ki == marker_at[0] and marker_at[1] == per_key - 1:
            marker_ref[0] = (key, oldest.version_id)
        okey = object_key(bucket, key)
        raw = [eset.meta.read_one(d, okey) for d in range(nd)]
        if not all(isinstance(r, bytes) for r in raw):
            raise AssertionError(f"{key}: no object record on every drive: {raw}")
        records = [r for r in raw if isinstance(r, bytes)]
        template = decode_object(records[0])
        frames = [split_object(r)[1] for r in records]
        if ki == 0:
            for d in range(nd):
                if encode_object(object_json(decode_object(records[d])), frames[d]) != records[d]:
                    raise AssertionError("a rebuilt record differs from the engine's")
            checks.append("the engine's object record, decoded and rebuilt with object_json/encode_object, "
                          f"is byte-identical on all {nd} drive(s)")
        # the oldest version moves to its noncurrent record as the engine moves it: the same bytes
        vkey = record_key(bucket, key, template)
        for d in range(nd):
            pending[d].append((vkey, records[d]))
        for j in range(1, between + 1):
            stamp = template.version_ts + j * STAMP_STEP_NS
            info = replace(template, version_ts=stamp, mtime_ns=stamp, version_id=new_version_id(stamp),
                           has_older=True, null_stamp=0)
            meta_json = object_json(info)
            at = okey if j == between else record_key(bucket, key, info)  # the newest: the latest for now
            for d in range(nd):
                pending[d].append((at, encode_object(meta_json, frames[d])))
            if ki == marker_at[0] and per_key - 1 - j == marker_at[1]:
                marker_ref[0] = (key, info.version_id)
            if len(pending[0]) >= FILL_BATCH:
                commit()
        written += between + 1
        awaiting.append(key)
        if len(pending[0]) >= FILL_BATCH:
            commit()
    commit()
    return 2 * len(keys), written, marker_ref[0], checks


def fill_api(layer: ObjectLayer, bucket: str, keys: list[str], per_key: int, marker_at: tuple[int, int]
             ) -> tuple[str, str]:
    """Every version through put_object (8 threads over the keys; one thread for one key)."""
    marker = ["", ""]
    done = [0]
    lock = threading.Lock()
    t0 = time.perf_counter()

    def one(ki: int) -> None:
        key = keys[ki]
        for j in range(per_key):
            info = layer.put_object(bucket, key, b"x")
            if ki == marker_at[0] and per_key - 1 - j == marker_at[1]:
                marker[:] = [key, info.version_id]
            if j % 10_000 == 9_999:
                log(f"    {key}: {j + 1:,} versions, {(j + 1) / (time.perf_counter() - t0):,.0f}/s")
        with lock:
            done[0] += 1
            if done[0] % 100 == 0:
                log(f"    {done[0]} keys of {len(keys)}, "
                    f"{done[0] * per_key / (time.perf_counter() - t0):,.0f} versions/s")

    if len(keys) == 1:
        one(0)
    else:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(one, range(len(keys))))
    return marker[0], marker[1]


def self_check(layer: ObjectLayer, bucket: str) -> list[str]:
    """Fill a small bucket the same way, then take every key's versions back one by one (DELETE by id
    of the latest brings the next one back): the engine must find them all, in listing order."""
    keys, per = ["a/1", "a/2", "b/3"], 10
    layer.create_bucket(bucket)
    layer.put_bucket_config(bucket, VersioningConfig("Enabled"))
    fill_records(layer, bucket, keys, per, (0, 0))
    for key in keys:
        listed = [v.info.version_id for v in layer.list_object_versions(bucket, prefix=key).versions]
        taken: list[str] = []
        while len(taken) <= per:
            try:
                latest = layer.head_object(bucket, key)
            except ObjectNotFound:
                break
            taken.append(latest.version_id)
            layer.delete_object(bucket, key, ObjectOptions(version_id=latest.version_id))
        if len(listed) != per or taken != listed:
            raise AssertionError(f"self check: {key}: listed {listed}, taken back {taken}")
    layer.delete_bucket(bucket)
    return [f"a bucket of {len(keys)} keys x {per} versions filled the same way gives every version back, "
            "newest first, to DELETE by id of the latest, as listed"]


def fill(layer: ObjectLayer, scale: Scale, bucket: str, method: str) -> Fill:
    keys, per = scale.keys, scale.versions_per_key
    layer.create_bucket(bucket)
    layer.put_bucket_config(bucket, VersioningConfig("Enabled"))
    marker_at = (len(keys) // 2, per // 2)  # (key index, version index from the latest)
    checks0 = self_check(layer, bucket + "-check") if method == "records" else []
    t0 = time.perf_counter()
    if method == "records":
        puts, written, marker, checks = fill_records(layer, bucket, keys, per, marker_at)
        checks = checks0 + checks
    else:
        puts, written, marker, checks = len(keys) * per, 0, fill_api(layer, bucket, keys, per, marker_at), []
    seconds = time.perf_counter() - t0
    out = Fill(scale.label, scale.layout[0], method, len(keys) * per, puts, written, seconds, marker=marker,
               checks=checks)
    out.counted = count_rows(layer, bucket)
    for i in range(len(layer.drives)):
        o, v = out.counted[f"drive{i} O"], out.counted[f"drive{i} V"]
        if (o, v) != (len(keys), len(keys) * (per - 1)):
            raise AssertionError(f"drive{i}: {o} object and {v} version records, expected "
                                 f"{len(keys)} and {len(keys) * (per - 1)}")
    out.checks.append(f"each drive holds {len(keys):,} object records and {len(keys) * (per - 1):,} "
                      "noncurrent version records of the bucket (counted in its database)")
    key, vid = marker
    info = layer.head_object(bucket, key, ObjectOptions(version_id=vid))
    body = layer.get_object(bucket, key, ObjectOptions(version_id=vid)).read_all()
    if info.version_id != vid or body != b"x":
        raise AssertionError("a filled version does not read back")
    out.checks.append(f"version {per // 2:,} of {key} (the middle page's marker) reads back through "
                      "head_object and get_object by version id")
    return out


# --------------------------------------------------------------------------
# part 2: listing
# --------------------------------------------------------------------------


@dataclass
class Listed:
    scale: str
    layout: str
    ndrives: int
    call: str
    entries: str  # what the page held
    rows: int  # rows read by one call, all drives
    first_s: float
    median_s: float
    note: str = ""
    kind: str = "list"  # or "point": one operation on the one-key bucket


def measure_call(layer: ObjectLayer, fn: Callable[[], Any], repeats: int
                 ) -> tuple[Any, list[int], list[float]]:
    rows: list[int] = []
    times: list[float] = []
    result = None
    for _ in range(repeats):
        r0 = layer.rows_read()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        rows.append(layer.rows_read() - r0)
    return result, rows, times


def describe_versions(page: Any) -> str:
    latest = sum(v.is_latest for v in page.versions)
    keys = len({v.key for v in page.versions})
    parts = [f"{len(page.versions):,} versions ({latest} latest) of {keys:,} key(s)"]
    if page.prefixes:
        parts.append(f"{len(page.prefixes)} prefixes")
    parts.append("truncated" if page.truncated else "last page")
    return ", ".join(parts)


def describe_objects(page: Any) -> str:
    parts = [f"{len(page.objects):,} objects"]
    if page.prefixes:
        parts.append(f"{len(page.prefixes)} prefixes")
    parts.append("truncated" if page.truncated else "last page")
    return ", ".join(parts)


def bench_listing(layer: ObjectLayer, scale: Scale, bucket: str, marker: tuple[str, str], repeats: int
                  ) -> list[Listed]:
    nd = len(layer.drives)
    out: list[Listed] = []

    def add(call: str, fn: Callable[[], Any], describe: Callable[[Any], str],
            check: Callable[[Any], str] | None = None, reps: int = repeats) -> Any:
        result, rows, times = measure_call(layer, fn, reps)
        if len(set(rows)) != 1:
            log(f"    note: {call}: rows read vary between calls: {rows}")
        note = check(result) if check else ""
        rest = times[1:] or times
        out.append(Listed(scale.label, scale.layout[0], nd, call, describe(result), max(rows), times[0],
                          statistics.median(rest), note))
        log(f"    {call}: {rows[0]:,} rows, first {1e3 * times[0]:.1f} ms, "
            f"median {1e3 * statistics.median(rest):.1f} ms -- {out[-1].entries}")
        return result

    def first_page_check(page: Any) -> str:
        ts = [v.info.version_ts for v in page.versions]
        if len(page.versions) != PAGE or not page.versions[0].is_latest:
            raise AssertionError("first page: not a full page starting with a latest version")
        if any(a.key == b.key and a.info.version_ts <= b.info.version_ts
               for a, b in zip(page.versions, page.versions[1:], strict=False)):
            raise AssertionError("first page: a key's versions are not newest first")
        return f"versions newest first; stamps {ts[0]}..{ts[-1]}"

    add("list_object_versions, first page", lambda: layer.list_object_versions(bucket, max_keys=PAGE),
        describe_versions, first_page_check)
    key, vid = marker
    marker_info = layer.head_object(bucket, key, ObjectOptions(version_id=vid))

    def middle_check(page: Any) -> str:
        v0 = page.versions[0]
        if v0.key != key or v0.info.version_ts >= marker_info.version_ts or v0.is_latest:
            raise AssertionError("middle page: does not start right after its marker")
        return f"starts right after {key} version {vid[:8]}…"

    add(f"list_object_versions, middle page (key_marker={key}, version_id_marker=its middle version)",
        lambda: layer.list_object_versions(bucket, key_marker=key, version_id_marker=vid, max_keys=PAGE),
        describe_versions, middle_check)
    add("list_object_versions, delimiter=/",
        lambda: layer.list_object_versions(bucket, delimiter="/", max_keys=PAGE), describe_versions)
    sub = key.split("/")[0] + "/"
    add(f"list_object_versions, prefix={sub} delimiter=/, first page",
        lambda: layer.list_object_versions(bucket, prefix=sub, delimiter="/", max_keys=PAGE),
        describe_versions)
    add("list_objects, first page", lambda: layer.list_objects(bucket, max_keys=PAGE), describe_objects)
    add("list_objects, delimiter=/", lambda: layer.list_objects(bucket, delimiter="/", max_keys=PAGE),
        describe_objects)
    add(f"list_objects, start_after={key}",
        lambda: layer.list_objects(bucket, start_after=key, max_keys=PAGE), describe_objects)
    if scale.walk:
        out.append(walk_all(layer, scale, bucket))
    if scale.key_probes:
        out.extend(hot_key_probes(layer, scale, bucket, key))
    return out


def walk_all(layer: ObjectLayer, scale: Scale, bucket: str) -> Listed:
    """Every page of list_object_versions to the end: each version once, in order."""
    r0, t0 = layer.rows_read(), time.perf_counter()
    pages = versions = 0
    km, vm = "", ""
    last: tuple[str, int] | None = None
    while True:
        page = layer.list_object_versions(bucket, key_marker=km, version_id_marker=vm, max_keys=PAGE)
        pages += 1
        for v in page.versions:
            here = (v.key, -v.info.version_ts)
            if last is not None and here <= last:
                raise AssertionError(f"walk: {here} after {last}")
            last = here
        versions += len(page.versions)
        if not page.truncated:
            break
        km, vm = page.next_key_marker or "", page.next_version_id_marker or ""
    seconds, rows = time.perf_counter() - t0, layer.rows_read() - r0
    expected = len(scale.keys) * scale.versions_per_key
    if versions != expected:
        raise AssertionError(f"walk: {versions} versions listed, {expected} expected")
    log(f"    walk: {pages} pages, {versions:,} versions, {rows:,} rows, {seconds:.1f} s")
    return Listed(scale.label, scale.layout[0], len(layer.drives),
                  f"list_object_versions, every page to the end ({pages:,} pages)",
                  f"{versions:,} versions, each once, in order", rows, seconds / pages, seconds / pages,
                  f"{rows / versions:.3f} rows per version listed; {seconds:.1f} s in all, the times are "
                  "per page")


def hot_key_probes(layer: ObjectLayer, scale: Scale, bucket: str, key: str) -> list[Listed]:
    """Single operations on the key holding every version: those that need only the latest or the
    newest noncurrent version, then those that look for the key's null version (it has none)."""
    samples: dict[str, list[tuple[int, float]]] = {}
    answers: dict[str, str] = {}

    def one(call: str, fn: Callable[[], Any], answer: Callable[[Any], str]) -> Any:
        r0, t0 = layer.rows_read(), time.perf_counter()
        result: Any = None
        try:
            result = fn()
            got = answer(result)
        except Exception as exc:  # NoSuchVersion is the expected answer of the null lookups
            got = type(exc).__name__
        seconds, rows = time.perf_counter() - t0, layer.rows_read() - r0
        samples.setdefault(call, []).append((rows, seconds))
        answers[call] = got
        log(f"    {call}: {rows:,} rows, {1e3 * seconds:.1f} ms -- {got}")
        return result

    for _ in range(KEY_OP_CYCLES):  # each leaves the key as it found it
        one("head_object (latest)", lambda: layer.head_object(bucket, key), lambda i: "the latest version")
        new = one("put_object (Enabled)", lambda: layer.put_object(bucket, key, b"n"),
                  lambda i: "a new latest version")
        one("delete_object by id of the latest",
            lambda new=new: layer.delete_object(bucket, key, ObjectOptions(version_id=new.version_id)),
            lambda d: "the previous version is latest again")
        marker = one("delete_object (Enabled)", lambda: layer.delete_object(bucket, key),
                     lambda d: "a delete marker")
        one("delete_object by id of the delete marker", lambda marker=marker: layer.delete_object(
            bucket, key, ObjectOptions(version_id=marker.version_id)), lambda d: "the marker is gone")
    one("head_object(versionId=null)",
        lambda: layer.head_object(bucket, key, ObjectOptions(version_id="null")), lambda i: "found")
    one("list_object_versions(key_marker=key, version_id_marker=null)",
        lambda: layer.list_object_versions(bucket, key_marker=key, version_id_marker="null", max_keys=PAGE),
        lambda p: f"{len(p.versions)} versions")
    layer.put_bucket_config(bucket, VersioningConfig("Suspended"))
    one("put_object, versioning Suspended, over a versioned latest",
        lambda: layer.put_object(bucket, key, b"y"), lambda i: "the null version written")
    one("put_object again, Suspended (over the null version)", lambda: layer.put_object(bucket, key, b"z"),
        lambda i: "the null version replaced")
    out: list[Listed] = []
    for call, got in samples.items():
        rows, times = [r for r, _ in got], [t for _, t in got]
        name = call + (f" (x{len(got)})" if len(got) > 1 else "")
        out.append(Listed(scale.label, scale.layout[0], len(layer.drives), name, answers[call], max(rows),
                          times[0], statistics.median(times), kind="point"))
    return out


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True).stdout.strip()


def describe_machine(workdir: str) -> dict[str, Any]:
    info = machine_info(workdir)
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--", "engine", "server", "csrc")),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": info["cpu"], "cores": os.cpu_count() or 1, "mem_gib": mem_kib / (1 << 20),
            "uname": " ".join(platform.uname()[:3] + platform.uname()[4:5]), "fs": info["fs"],
            "python": info["python"], "load": os.getloadavg()}


def summary(ops: list[OpsResult], listed: list[Listed], scales: Sequence[Scale]) -> list[str]:
    """The bars, answered from the tables below."""
    lines: list[str] = []
    if ops:
        cols = [(r.layout, r.threads) for r in ops]
        lines += ["## Summary", "", "4 KiB operations, versioned/unversioned ops/s (medians of the rounds; "
                  "the bar is 0.90):", "",
                  "| versioned op vs unversioned | " + " | ".join(f"{lay}, {t} thread{'s' if t > 1 else ''}"
                                                              for lay, t in cols) + " |",
                  "|---|" + "---:|" * len(cols)]
        for vop, uop, _ in COMPARISONS:
            cells = []
            for r in ops:
                ratio = (statistics.median(t.ops_s for t in r.rounds[VERSIONED][vop])
                         / statistics.median(t.ops_s for t in r.rounds[PLAIN][uop]))
                cells.append(f"{ratio:.2f}" + ("" if ratio >= 0.9 else " ✗"))
            lines.append(f"| {vop} vs {uop} | " + " | ".join(cells) + " |")
        lines.append("")
    big = {s.label for s in scales if len(s.keys) * s.versions_per_key >= 1_000_000}
    firsts = [r for r in listed if r.call == "list_object_versions, first page" and r.scale in big]
    if firsts:
        if not ops:
            lines += ["## Summary", ""]
        lines += ["ListObjectVersions, first page of 1,000 of a bucket holding 1,000,000 versions (the bar: "
                  "about a page's worth of rows):", "",
                  "| bucket | layout | rows read per drive | rows per version returned "
                  "| time per page (median) |",
                  "|---|---|---:|---:|---:|"]
        lines += [f"| {r.scale} | {r.layout} | {fmt(r.rows / r.ndrives)} | {r.rows / r.ndrives / PAGE:.3f} "
                  f"| {1e3 * r.median_s:.1f} ms |" for r in firsts]
        lines.append("")
    return lines


def render(meta: dict[str, Any], plan: Plan, ops: list[OpsResult], probes: list[Probe], fills: list[Fill],
           listed: list[Listed]) -> str:
    quick = meta["quick"]
    dirty = " (uncommitted changes in engine/ or server/)" if meta["dirty"] else ""
    lines = [f"# Versioning: what it costs the engine{' (quick run)' if quick else ''}", "",
             f"Commit `{meta['commit']}`{dirty}, {meta['date']}, {meta['elapsed_s']:.0f} s "
             f"(`bench/versioning_bench.py{' --quick' if quick else ''}`).  ",
             f"Machine: {meta['cpu']}, {meta['cores']} cores, {meta['mem_gib']:.0f} GiB, {meta['uname']}, "
             f"Python {meta['python']}; disk: {meta['fs']}; load average at start "
             f"{meta['load'][0]:.2f}, at end {meta['load_end'][0]:.2f} (a shared machine: read the ratios, "
             "not the absolute figures).", "",
             "The bars: *4 KiB PUT/GET/DELETE on a versioned bucket within 10% of the same on an unversioned "
             "one* (ratio ≥ 0.90), and *ListObjectVersions of the first page of a bucket holding 1,000,000 "
             "versions reading at most a page's worth of rows*.", "",
             *summary(ops, listed, plan.scales),
             "## 1. 4 KiB operations, versioned vs unversioned bucket", "",
             f"The engine alone (ObjectLayer), sync=\"full\", one layer per layout with both buckets; "
             f"{plan.rounds} rounds, {plan.keys} objects per step (GET and HEAD: {plan.read_passes} passes "
             "over them), the two buckets' rounds interleaved step by step (each step on one bucket then on "
             "the other, which one first alternating: ABBA); ops/s and CPU µs/op (whole process) are "
             "medians of the rounds, **ratio** = versioned/unversioned ops/s of those medians (✗: below "
             "0.90), then the lowest and highest ratio of a round pair.  With 8 threads each thread works "
             "on its own share of the keys.  GET and HEAD run the same code on both buckets: their ratios "
             "show how noisy the run was.", ""]
    lines += ops_table(ops)
    lines += ["", "Which DELETE to compare: an unversioned DELETE removes the object (its one record); on a "
              "versioned bucket the DELETE that removes the key's one record is the DELETE by version id of "
              "its only version (**DELETE by id**, the apples-to-apples row; \"after overwrite\": the key "
              "had an older version, deleted by id just before, and the engine looks behind the version it "
              "deletes for one to bring back).  A DELETE without a version id on a versioned bucket writes "
              "a delete marker instead (a new version: a PUT of a record), and a DELETE by id of a "
              "noncurrent version removes a version record without touching the latest.",
              "", "## 2. ListObjectVersions at scale", "", "### Filling", "",
              "put_object rate first (1-byte bodies, stored inline; sync=\"relaxed\"; versioned bucket):", "",
              "| layout | 8 threads, distinct keys (versions/s) | 1 thread, one key (versions/s) "
              "| 1,000 x 1,000 through put_object would take | 1 x 1,000,000 would take |",
              "|---|---:|---:|---:|---:|"]
    for p in probes:
        lines.append(f"| {p.layout} | {fmt(p.many_rate)} | {fmt(p.solo_rate)} "
                     f"| {1e6 / p.many_rate / 60:.1f} min | {1e6 / p.solo_rate / 60:.1f} min |")
    lines += ["", f"Fill method: **{meta['fill_method']}** ({meta['fill_reason']}).", "",
              "| bucket | layout | method | versions | through put_object | records written directly "
              "(per drive) | fill time |",
              "|---|---|---|---:|---:|---:|---:|"]
    for f in fills:
        lines.append(f"| {f.label} | {f.layout} | {f.method} | {f.versions:,} | {f.engine_puts:,} "
                     f"| {f.records_written:,} | {f.seconds:.0f} s |")
    if fills:
        lines += ["", "Checks made while filling:", ""]
        lines += [f"- {f.label}, {f.layout}: " + "; ".join(f.checks) + "." for f in fills]
    if any(f.method == "records" for f in fills):
        lines += ["", "Direct fill: each key's oldest and latest versions are written by put_object.  "
                  "The oldest one's object record (read from each drive) is copied unchanged to its "
                  "noncurrent record, as the engine moves a version it displaces; every version between is a "
                  "record made from that engine-written record with `dataclasses.replace(info, "
                  "version_ts=stamp, mtime_ns=stamp, version_id=versions.new_version_id(stamp), "
                  "has_older=True, null_stamp=0)`, stored under `versions.record_key(...)` as "
                  "`records.encode_object(records.object_json(info), <that drive's own inline shard "
                  "frame>)`, "
                  f"by `SetMeta.commit` in batches of {FILL_BATCH:,} records per drive, stamps "
                  f"{STAMP_STEP_NS:,} ns apart; the newest of them is written as the object record, and the "
                  "last put_object moves it to its noncurrent record itself."]
    lines += ["", "### Listing", "",
              "Rows = `layer.rows_read()` after minus before one call (metadata rows fetched, summed over "
              "the set's drives: a 4-drive set votes on every row, so it reads each row on each drive; "
              "\"per drive\" divides by the drives).  Time: the first call, then the median of the "
              f"{plan.list_repeats - 1} calls after it.", "",
              "| bucket | layout | call | page | rows read | rows per drive | first call | median | note |",
              "|---|---|---|---|---:|---:|---:|---:|---|"]
    for r in listed:
        if r.kind == "list":
            lines.append(f"| {r.scale} | {r.layout} | {r.call} | {r.entries} | {r.rows:,} "
                         f"| {fmt(r.rows / r.ndrives)} | {1e3 * r.first_s:,.1f} ms "
                         f"| {1e3 * r.median_s:,.1f} ms | {r.note} |")
    lines += ["", "What a page reads beyond its entries: a listing merges two cursors per drive (object "
              "records, version records), each fetching rows in batches that double from 2 up to 1,024, so "
              "a cursor is at most one batch ahead of the rows it handed out; a delimiter seeks both past "
              "each rolled-up prefix."]
    point = [r for r in listed if r.kind == "point"]
    if point:
        lines += ["", f"### Single operations on the key holding {point[0].scale.split(' x ')[1]}", "",
                  f"In this order: {KEY_OP_CYCLES} cycles of the first five calls (each cycle leaves the key "
                  "as it found it; rows = the most one call read), then each of the others once: calls that "
                  "must find the key's null version, which it does not have.", "",
                  "| layout | call | outcome | rows read | first call | median |",
                  "|---|---|---|---:|---:|---:|"]
        lines += [f"| {r.layout} | {r.call} | {r.entries} | {r.rows:,} | {1e3 * r.first_s:,.1f} ms "
                  f"| {1e3 * r.median_s:,.1f} ms |" for r in point]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer rounds, smaller one-key bucket (~3 min)")
    ap.add_argument("--dir", help="parent directory of the temporary bench directory (default: /tmp)")
    ap.add_argument("--out", help="report file (default: bench/results/VERSIONING.md; "
                                  "VERSIONING-quick.md with --quick)")
    ap.add_argument("--fill", choices=("auto", "records", "api"), default="auto",
                    help="how to fill the big buckets (default: auto, see the module docstring)")
    ap.add_argument("--skip-ops", action="store_true", help="part 2 only")
    ap.add_argument("--skip-list", action="store_true", help="part 1 only")
    args = ap.parse_args(argv)
    plan = QUICK if args.quick else DEFAULT
    out_path = args.out or os.path.join(REPO, "bench", "results",
                                        "VERSIONING-quick.md" if args.quick else "VERSIONING.md")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    root = tempfile.mkdtemp(prefix="cairn-vbench-", dir=os.path.abspath(args.dir) if args.dir else "/tmp")
    t_start = time.perf_counter()
    try:
        meta = describe_machine(root)
        meta["quick"] = args.quick
        log(f"bench dir {root}")
        ops: list[OpsResult] = []
        if not args.skip_ops:
            for layout in LAYOUTS:
                log(f"part 1: 4 KiB operations, {layout[0]}")
                ops += bench_ops(root, plan, layout)
        probes: list[Probe] = []
        fills: list[Fill] = []
        listed: list[Listed] = []
        meta["fill_method"], meta["fill_reason"] = "-", "-"
        if not args.skip_list:
            layers: dict[str, ObjectLayer] = {}
            try:
                for layout in dict.fromkeys(s.layout for s in plan.scales):
                    layers[layout[0]] = open_layer(root, f"list-{layout[1]}d", layout, "relaxed")
                    log(f"part 2: put_object rate, {layout[0]}, {plan.probe_s:.0f} s")
                    probes.append(probe_put_rate(layers[layout[0]], layout[0], plan.probe_s))
                    log(f"  {probes[-1]}")
                rate = {p.layout: p for p in probes}
                estimate = sum(len(s.keys) * s.versions_per_key
                               / (rate[s.layout[0]].many_rate if len(s.keys) > 1
                                  else rate[s.layout[0]].solo_rate)
                               for s in plan.scales)
                method = args.fill if args.fill != "auto" else (
                    "records" if estimate > plan.fill_budget_s else "api")
                meta["fill_method"] = method
                meta["fill_reason"] = (f"filling every bucket of this run through put_object would take "
                                       f"about {estimate / 60:.0f} min at the rates above; "
                                       + (f"--fill {args.fill}" if args.fill != "auto" else
                                          f"--fill auto fills directly beyond {plan.fill_budget_s / 60:.0f} "
                                          "min in this mode"))
                log(f"  fill method {method}: {meta['fill_reason']}")
                for i, scale in enumerate(plan.scales):
                    layer = layers[scale.layout[0]]
                    bucket = f"big{i}"
                    log(f"part 2: filling {scale.label}, {scale.layout[0]} ({method})")
                    f = fill(layer, scale, bucket, method)
                    fills.append(f)
                    log(f"  filled in {f.seconds:.0f} s; {'; '.join(f.checks)}")
                    settle()
                    log(f"part 2: listing {scale.label}, {scale.layout[0]}")
                    listed += bench_listing(layer, scale, bucket, f.marker, plan.list_repeats)
            finally:
                for layer in layers.values():
                    layer.close()
        meta["elapsed_s"] = time.perf_counter() - t_start
        meta["load_end"] = os.getloadavg()
        text = render(meta, plan, ops, probes, fills, listed)
        if args.out or not (args.skip_ops or args.skip_list):
            os.makedirs(os.path.dirname(out_path), exist_ok=True)
            with open(out_path, "w") as fh:
                fh.write(text)
            log(f"written to {out_path}")
        print(text, flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
