#!/usr/bin/env python3
"""Where Cairn's time goes under warp load: py-spy profiles, summed into cost categories.

    .venv/bin/python bench/profile_cairn.py [--seconds 20] [--out bench/results]

Theory of operation.  For each load (4 KiB GET, 4 KiB PUT, 64 MiB PUT -- warp's default
streaming signatures, --disable-multipart, concurrency 8), a fresh 1-drive Cairn server
with the benchmark's worker count runs under warp while `py-spy record --subprocesses
--native` samples every worker (on-CPU samples only: idle waits are not counted).  A GET
load first fills the bucket with a short unprofiled `warp put` and then reads it back with
`warp get --list-existing`, so the profile holds the reads only.

Each sampled stack is put into one cost category by `classify`: the first rule that matches,
scanning from the innermost frame outwards (so time inside hashlib called from the SigV4
chunk verifier counts as hashing, and Python code of the verifier as signature checks).
The result is PROFILE-raw.md (category shares and the top self-time frames per load,
regenerated each run) plus the raw collapsed stacks (profile-*.txt, for flamegraph tools).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass

import servers
from servers import LAYOUTS, Server

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TOOLS = os.path.join(REPO, "build", "bench-tools", "bin")
PYSPY = os.path.join(REPO, ".venv", "bin", "py-spy")
CAIRN = os.path.join(REPO, ".venv", "bin", "cairn")

# Off-CPU: py-spy --native samples blocked threads too; a stack is off-CPU when its innermost
# frames are a blocking call.  A pthread_cond_timedwait that is not a Python lock's is a thread
# waiting to get the GIL back (after send(), sqlite, a ctypes call...): contention, not work.
OFF_SYNC = "off-CPU: fsync/fdatasync (waiting for the disk)"
OFF_GIL = "off-CPU: waiting for the GIL"
OFF_WAIT = "off-CPU: idle (lock waits, epoll, idle pool threads)"
OFF_CPU = (OFF_SYNC, OFF_GIL, OFF_WAIT)

# On-CPU: (category, regex over one frame "function (file:line)"); scanning from the innermost
# frame outwards, the first frame that any rule matches decides (rules tried in this order).
RULES: list[tuple[str, str]] = [
    ("GIL hand-off, thread wake-ups (futex)", r"^pthread_cond_signal|^sem_post"),
    ("signature checks (SigV4 HMAC, chunk decoder)", r"server/auth/|hmac|HMAC|sigv4|chunked"),
    ("hashing (MD5/SHA256/CRC, payload bytes)", r"MD5|SHA256|SHA1|md5|sha256|crc32|crc64|hashlib|_checksums"),
    ("erasure coding (ISA-L)", r"ec_encode|gf_|libisal|_erasure|erasure\.py:"),
    ("h11 framing", r"\bh11/"),
    ("metadata (SQLite store, records)", r"sqlite|metastore|records\.py|quorum\.py"),
    ("syscalls: file I/O (write, rename, read)",
     r"^write \(|^pwrite|^read \(|^pread|rename|openat|^__open|unlink|mkdir|shardfile|drives\.py"),
    ("syscalls: socket I/O (send, recv)", r"^send \(|^recv|^__libc_send|sock_send|sock_recv|_socket\.py"),
    ("trio scheduling, thread hops, epoll", r"\btrio/|epoll|threading\.py"),
    ("XML, routing, S3 handlers", r"server/(?:handlers|router|s3xml|app|http|errors)|xml"),
    ("engine (other Python)", r"engine/"),
]
COMPILED = [(name, re.compile(rx)) for name, rx in RULES]
OTHER = "other (interpreter, GC, allocator, unattributed)"


@dataclass(frozen=True)
class Load:
    name: str
    op: str
    size: str
    fill_s: float = 0  # seconds of an unprofiled `warp put` first; the load then uses what is there
    extra: tuple[str, ...] = ()
    start_s: float = 3  # profiling starts this long after warp (past its own upload phase, if any)


LOADS = (Load("GET 4 KiB", "get", "4KiB", fill_s=6), Load("PUT 4 KiB", "put", "4KiB"),
         Load("PUT 64 MiB", "put", "64MiB"),
         # warp deletes through DeleteObjects; --batch 1 makes each request one key, as the
         # benchmark's DELETE case does.  The fill must outlast the profiled seconds.
         Load("DELETE 4 KiB", "delete", "4KiB", fill_s=40, extra=("--batch", "1")),
         # as the benchmark's LIST case: 1,000 objects uploaded by warp itself, 100 keys a page
         Load("LIST 4 KiB", "list", "4KiB", extra=("--objects", "1000", "--max-keys", "100"), start_s=10))


def warp(srv: Server, op: str, size: str, seconds: float, *extra: str) -> list[str]:
    return [os.path.join(TOOLS, "warp"), op, "--no-color", "--host", srv.host, "--access-key", srv.access_key,
            "--secret-key", srv.secret_key, "--obj.size", size, "--concurrent", "8", "--duration",
            f"{seconds:g}s", "--disable-multipart", "--noclear", *extra]


def frames_of(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rstrip("\n").rpartition(" ")
    return stack.split(";"), int(count)


def off_cpu(frames: list[str]) -> str | None:
    """The off-CPU category of a stack blocked in the kernel, None if it was running."""
    tail = ";".join(frames[-4:])
    if re.search(r"\bf(?:data)?sync \(", tail):
        return OFF_SYNC
    if re.search(r"PyThread_acquire_lock|sem_(?:clock|timed)?wait|clock_nanosleep|epoll_wait", tail):
        return OFF_WAIT
    if "select_epoll_poll" in tail and frames[-1].startswith("0x"):  # inside epoll_wait
        return OFF_WAIT
    if re.search(r"pthread_cond_(?:timed)?wait", tail):
        return OFF_GIL
    return None


def classify(frames: list[str]) -> str:
    off = off_cpu(frames)
    if off is not None:
        return off
    for frame in reversed(frames):
        for name, rx in COMPILED:
            if rx.search(frame):
                return name
    return OTHER


def compact(path: str) -> None:
    """Drop py-spy's process/thread frames (pids, temporary paths) and merge equal stacks, in place."""
    merged: Counter[str] = Counter()
    with open(path) as f:
        for line in f:
            if line.strip():
                frames, n = frames_of(line)
                merged[";".join(fr for fr in frames if not fr.startswith(("process ", "thread ")))] += n
    with open(path, "w") as f:
        f.writelines(f"{stack} {n}\n" for stack, n in merged.most_common())


def summarize(path: str) -> tuple[Counter[str], Counter[str], int]:
    """(samples per category, samples per leaf frame, total samples) of a collapsed-stack file."""
    cats: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            frames, n = frames_of(line)
            frames = [fr for fr in frames if not fr.startswith(("process ", "thread "))]
            cat = classify(frames)
            cats[cat] += n
            if not cat.startswith("off-CPU"):
                py = [fr for fr in frames if ".py:" in fr]  # the innermost Python frame
                leaves[py[-1] if py else (frames[-1] if frames else "?")] += n
            total += n
    return cats, leaves, total


def record(load: Load, seconds: float, workdir: str, out: str, attempts: int = 3) -> None:
    """Profile one load; py-spy's native unwinding now and then dies (SIGSEGV) when a thread
    exits under it, so a failed recording is made again on a fresh server."""
    for attempt in range(1, attempts + 1):
        try:
            record_once(load, seconds, workdir, out)
            return
        except subprocess.CalledProcessError as exc:
            if attempt == attempts:
                raise
            print(f"  py-spy failed ({exc.returncode}); recording {load.op} again", flush=True)


def record_once(load: Load, seconds: float, workdir: str, out: str) -> None:
    with servers.running("cairn", CAIRN, LAYOUTS[0], workdir) as srv:
        if load.fill_s:  # fill the bucket first, unprofiled
            subprocess.run(warp(srv, "put", load.size, load.fill_s), cwd=workdir, capture_output=True,
                           check=True)
            cmd = warp(srv, load.op, load.size, seconds + 6, "--list-existing", *load.extra)
        else:
            cmd = warp(srv, load.op, load.size, seconds + load.start_s + 3, *load.extra)
        with subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as w:
            time.sleep(load.start_s)  # past warp's start (and listing, or uploads)
            subprocess.run([PYSPY, "record", "--pid", str(srv.pid), "--subprocesses", "--native",
                            "--rate", "100", "--format", "raw", "--output", out, "--duration",
                            str(int(seconds))], check=True, capture_output=True)
            w.wait(timeout=seconds + 600)
    compact(out)


def render(results: dict[str, tuple[Counter[str], Counter[str], int]]) -> str:
    """Markdown: on-CPU categories as shares of the on-CPU samples, off-CPU ones of all samples."""
    off = OFF_CPU
    lines = ["# Cairn profile under warp (generated by bench/profile_cairn.py)", "",
             "py-spy --native at 100 Hz over every thread of every Cairn worker; 1 drive, concurrency 8.",
             "On-CPU rows are shares of the on-CPU samples; off-CPU rows are shares of all samples.", "",
             "| category | " + " | ".join(results) + " |", "|---|" + "---:|" * len(results)]
    for cat in [name for name, _ in RULES if name not in off] + [OTHER]:
        cells = [f"{100 * c[cat] / (t - sum(c[o] for o in off)):.1f}%" if t > sum(c[o] for o in off) else "-"
                 for c, _, t in results.values()]
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    lines.append("| on-CPU samples | " + " | ".join(str(t - sum(c[o] for o in off))
                                                   for c, _, t in results.values()) + " |")
    for cat in off:
        lines.append(f"| {cat} | " + " | ".join(f"{100 * c[cat] / t:.1f}%" if t else "-"
                                                 for c, _, t in results.values()) + " |")
    lines.append("| all samples | " + " | ".join(str(t) for _, _, t in results.values()) + " |")
    for name, (_, leaves, _) in results.items():
        total = sum(leaves.values())
        lines += ["", f"## {name}: on-CPU samples by innermost Python frame (share of on-CPU)", ""]
        for frame, n in leaves.most_common(15):
            lines.append(f"- {100 * n / total:5.1f}%  `{frame[:140]}`")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="profiled seconds per load")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--only", help="only the loads whose name matches this regex")
    args = ap.parse_args(argv)
    workdir = os.path.join(args.out, "tmp", f"profile-{os.getpid()}")
    os.makedirs(workdir)
    results = {}
    try:
        for load in LOADS:
            if args.only and not re.search(args.only, load.name):
                continue
            out = os.path.join(args.out, "profile-" + load.name.lower().replace(" ", "-") + ".txt")
            print(f"profiling {load.name} ...", file=sys.stderr, flush=True)
            record(load, args.seconds, workdir, out)
            results[load.name] = summarize(out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    path = os.path.join(args.out, "PROFILE-raw.md")
    with open(path, "w") as f:
        f.write(render(results))
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
