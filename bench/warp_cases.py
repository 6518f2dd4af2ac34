"""The warp cases of the benchmark, their command lines, and the figures read from warp's output.

A `Case` is one warp subcommand at one object size (PUT also with --disable-sha256-payload,
i.e. UNSIGNED-PAYLOAD instead of warp's default per-chunk streaming signatures) and one
concurrency (8; full mode runs the 4 KiB cases again at 32, named "... c32").  Every
command gets the same concurrency and duration on both servers, --disable-multipart (Cairn
has no multipart upload yet, so 64 MiB PUTs go as single requests on both) and --noclear
(each case runs on a freshly started server whose directories are deleted after, so warp's
own clean-up would only cost time).  Cases that read (get, stat, list, delete, mixed) first
upload their `objects`; warp measures only the benchmark phase.

warp --json prints its final aggregate; `parse` turns it into a `Figures` per operation type:
ops/s and MiB/s over warp's measurement window (it drops the ramp-up and ramp-down
seconds), the median and 99th-percentile request time, and the errors with warp's first
error messages.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from dataclasses import dataclass, field
from typing import Any

from servers import Server

KiB = 1 << 10
MiB = 1 << 20
CONCURRENCY = 8  # warp's --concurrent for every case, unless the case says otherwise


@dataclass(frozen=True)
class Case:
    op: str  # warp subcommand: put, get, stat, list, delete, mixed
    size: int
    unsigned: bool = False  # --disable-sha256-payload
    objects: int = 0  # objects uploaded before the benchmark phase (0: none)
    extra: tuple[str, ...] = ()
    concurrency: int = CONCURRENCY

    @property
    def size_label(self) -> str:
        return f"{self.size // MiB} MiB" if self.size >= MiB else f"{self.size // KiB} KiB"

    @property
    def name(self) -> str:
        sig = " unsigned" if self.unsigned else ""
        many = f" c{self.concurrency}" if self.concurrency != CONCURRENCY else ""
        return f"{self.op.upper()}{sig} {self.size_label}{many}"


def case_list(quick: bool) -> list[Case]:
    """Every case of a run; quick mode keeps the ones a change most often moves."""
    k4, m1, m64 = 4 * KiB, MiB, 64 * MiB
    small = [
        Case("put", k4), Case("put", k4, unsigned=True),
        Case("get", k4, objects=1000), Case("stat", k4, objects=1000),
        # the bar of issue 12 is LIST on a 10,000-object bucket, 100 keys a request
        Case("list", k4, objects=10000, extra=("--max-keys", "100")),
        # enough objects that neither server runs out within the 12 s (MinIO deletes ~2,000/s
        # here; with 3,000 it was done before warp's measurement window closed)
        Case("delete", k4, objects=30000, extra=("--batch", "1")),
        Case("mixed", k4, objects=1000),
    ]
    full = [
        *small,
        Case("put", m1), Case("put", m1, unsigned=True), Case("get", m1, objects=200),
        Case("put", m64), Case("put", m64, unsigned=True), Case("get", m64, objects=16),
        # the small-object cases again with 32 clients: where a server's queueing shows
        *(dataclasses.replace(c, concurrency=32) for c in small),
    ]
    if not quick:
        return full
    keep = {"PUT 4 KiB", "GET 4 KiB", "PUT 1 MiB", "PUT unsigned 64 MiB", "GET 64 MiB"}
    return [c for c in full if c.name in keep]


@dataclass
class Figures:
    ops_s: float  # objects per second; for LIST, requests per second
    objects_s: float  # objects per second (for LIST: keys listed per second)
    mib_s: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    errors: int
    first_errors: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """One case against one server: the figures per warp operation type ("" is the total)."""

    figures: dict[str, Figures]
    error: str = ""  # warp failed to run or its output could not be read
    command: str = ""


def command(warp: str, case: Case, server: Server, duration_s: float, benchdata: str,
            concurrency: int | None = None) -> list[str]:
    """warp's command line for `case` (`concurrency`: instead of the case's own)."""
    cmd = [warp, case.op, "--no-color", "--json", "--host", server.host,
           "--access-key", server.access_key, "--secret-key", server.secret_key,
           "--obj.size", str(case.size), "--concurrent", str(concurrency or case.concurrency),
           "--duration", f"{duration_s:g}s", "--disable-multipart", "--noclear",
           "--benchdata", benchdata, *case.extra]
    if case.unsigned:
        cmd.append("--disable-sha256-payload")
    if case.objects:
        cmd += ["--objects", str(case.objects)]
    return cmd


def _latency(op: dict[str, Any]) -> tuple[float | None, float | None]:
    """Median and p99 request time (ms) over warp's clients (one client here: the first)."""
    for segments in (op.get("requests_by_client") or {}).values():
        for seg in segments:
            single = seg.get("single_sized_requests")
            if single and single.get("requests"):
                return single.get("dur_median_millis"), single.get("dur_99_millis")
    return None, None


def figures(op: dict[str, Any], op_type: str) -> Figures:
    tp = op.get("throughput") or {}
    ms = tp.get("measure_duration_millis") or 0
    if not ms and op.get("total_requests"):
        raise ValueError("warp measured no full window (the run ended early: more --objects?)")
    objects_s = 1000.0 * tp.get("objects", 0.0) / ms if ms else 0.0
    requests_s = 1000.0 * tp.get("ops", 0) / ms if ms else 0.0
    mib_s = 1000.0 * tp.get("bytes", 0.0) / ms / MiB if ms else 0.0
    p50, p99 = _latency(op)
    ops_s = requests_s if op_type == "LIST" else objects_s
    return Figures(ops_s, objects_s, mib_s, p50, p99, int(op.get("total_requests") or 0),
                   int(op.get("total_errors") or 0), list(op.get("first_errors") or [])[:5])


def parse(stdout: str) -> dict[str, Figures]:
    """warp --json output (progress lines may precede the JSON object) -> figures per op type."""
    start = stdout.find("{")
    if start < 0:
        raise ValueError("no JSON in warp's output")
    doc = json.loads(stdout[start:])
    types = doc.get("by_op_type") or {}
    out = {"": figures(doc["total"], next(iter(types)) if len(types) == 1 else "")}
    for name, op in types.items():
        out[name] = figures(op, name)
    return out


def run(warp: str, case: Case, server: Server, duration_s: float, benchdata: str, cwd: str,
        concurrency: int | None = None) -> Outcome:
    cmd = command(warp, case, server, duration_s, benchdata, concurrency)
    shown = " ".join(c for c in cmd if c not in (server.access_key, server.secret_key))
    limit = duration_s + 300  # the upload phase of the reading cases comes on top
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, cwd=cwd)
    except subprocess.TimeoutExpired:
        return Outcome({}, f"warp did not finish within {limit:.0f} s", shown)
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip())[-1500:]
        return Outcome({}, f"warp exited with {proc.returncode}: {tail}", shown)
    try:
        return Outcome(parse(proc.stdout), "", shown)
    except (ValueError, KeyError) as exc:
        return Outcome({}, f"cannot read warp's output ({exc}): {proc.stdout[-500:]}", shown)
