#!/usr/bin/env python3
"""Cairn against MinIO under warp, beside the machine's own limits, in one run on one machine.

    .venv/bin/python bench/warp_bench.py [--quick] [--only REGEX] [--layouts 1,4] [--out DIR]

(`make bench` / `make bench-quick` install warp, MinIO, py-spy and matplotlib first.)

Theory of operation.  One run does three things, in order:

  1. raw limits (machine_limits.py): ISA-L encode, MD5, SHA256, CRC32C per core,
     sequential disk write+fsync and read, small-file fsync, loopback TCP stream and
     round trips -- measured here, in this run, so that drift of a shared machine between
     runs does not leak into the ratios (in full mode again after the servers, keeping the
     better figure);
  2. for each drive layout (1 drive; 4 drives, 2 data + 2 parity on both servers) and each
     warp case (warp_cases.py: put, get, stat, list, delete, mixed at 4 KiB; put and get at
     1 MiB and 64 MiB; PUT signed with warp's default streaming signatures and unsigned),
     Cairn and MinIO each run the case on a freshly started server (servers.py) on empty
     directories, one after the other, with the same concurrency and duration; which
     server goes first alternates from case to case, so slow drift of the machine does not
     always favour the same one;
  3. the report (warp_report.py): per case ops/s, MiB/s, p50 and p99 for each server, the
     ratio Cairn/MinIO and Cairn's share of the relevant raw limit, written as JSON,
     Markdown and a PNG chart under bench/results/ (warp-quick.* or warp-full.*), with the
     commit and a description of the machine.

Quick mode (about 2 minutes): the 1-drive layout, five cases, 6 s each.  Full mode (about 35
minutes): both layouts, all twenty cases (the seven 4 KiB ones also with 32 clients), 12 s each
(64 MiB: 20 s).  Server data and warp's
own output live under bench/results/tmp/ (gitignored), removed when the run ends.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from typing import Any

import machine_limits
import servers
import warp_cases
import warp_report
from engine_bench import Sample, machine_info
from servers import LAYOUTS, Layout
from warp_cases import Case, Outcome

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TOOLS = os.path.join(REPO, "build", "bench-tools", "bin")
CAIRN = os.path.join(REPO, ".venv", "bin", "cairn")
CONCURRENCY = warp_cases.CONCURRENCY
CAIRN_WORKERS = 2
_T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"[{time.monotonic() - _T0:5.0f} s] {msg}", file=sys.stderr, flush=True)


def duration_for(case: Case, quick: bool) -> float:
    if quick:
        return 6.0
    return 20.0 if case.size >= 64 << 20 else 12.0


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True).stdout.strip()


def module_version(binary: str) -> str:
    """The Go module version a binary was built from (install-tools.sh's note, or `go version -m`)."""
    if os.path.exists(binary + ".version"):
        with open(binary + ".version") as f:
            return f.read().strip()
    out = subprocess.run(["go", "version", "-m", binary], capture_output=True, text=True).stdout
    m = re.search(r"^\s*mod\s+\S+\s+(\S+)", out, re.MULTILINE)
    return m.group(1) if m else "?"


def describe_machine(workdir: str) -> dict[str, Any]:
    info = machine_info(workdir)
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--", "engine",
                                                                   "server", "csrc")),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": info["cpu"], "cores": os.cpu_count() or 1, "mem_gib": mem_kib / (1 << 20),
            "uname": " ".join(platform.uname()[:3] + platform.uname()[4:5]), "fs": info["fs"],
            "python": info["python"]}


def run_case(case: Case, layout: Layout, quick: bool, workdir: str, cairn_first: bool) -> dict[str, Outcome]:
    """The case against both servers, each freshly started on empty directories."""
    binaries = {"cairn": CAIRN, "minio": os.path.join(TOOLS, "minio")}
    order = ["cairn", "minio"] if cairn_first else ["minio", "cairn"]
    out: dict[str, Outcome] = {}
    for name in order:
        try:
            with servers.running(name, binaries[name], layout, workdir, CAIRN_WORKERS) as srv:
                out[name] = warp_cases.run(os.path.join(TOOLS, "warp"), case, srv, duration_for(case, quick),
                                           os.path.join(workdir, "warp-data"), workdir)
        except servers.ServerError as exc:
            out[name] = Outcome({}, f"server failed: {exc}")
        total = out[name].figures.get("")
        shown = f"{total.ops_s:9.1f} ops/s {total.mib_s:8.1f} MiB/s" if total else out[name].error[:200]
        log(f"  {name:<5} {case.name:<22} {layout.name:<13} {shown}")
    return {k: out[k] for k in ("cairn", "minio")}


def raw_limits(quick: bool, workdir: str) -> dict[str, Sample]:
    return machine_limits.measure_all(quick, os.path.join(workdir, "raw"), log)


def best(a: dict[str, Sample], b: dict[str, Sample]) -> dict[str, Sample]:
    return {k: max(a[k], b[k], key=lambda s: s.ops_s) for k in a}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 drive, five cases, 6 s each (about 2 min)")
    ap.add_argument("--only", metavar="REGEX", help="only the cases whose name matches (e.g. 'PUT.*4 KiB')")
    ap.add_argument("--layouts", default="", help="drive counts to run, e.g. '1' or '1,4' (default: mode's)")
    ap.add_argument("--out", default=os.path.join(HERE, "results"), help="directory for the report files")
    ap.add_argument("--stem", help="base name of the report files (default: warp-quick / warp-full)")
    ap.add_argument("--render", metavar="JSON", help="only rewrite the Markdown and PNG of a saved run")
    return ap.parse_args(argv)


def check_tools() -> None:
    for path in (os.path.join(TOOLS, "warp"), os.path.join(TOOLS, "minio"), CAIRN):
        if not os.access(path, os.X_OK):
            sys.exit(f"missing {path}: run `make bench-tools` (bench/install-tools.sh) first")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        with open(args.render) as f:
            doc = json.load(f)
        stem = os.path.splitext(os.path.basename(args.render))[0]
        for path in warp_report.save(doc, os.path.dirname(os.path.abspath(args.render)), stem):
            log(f"wrote {path}")
        return 0
    check_tools()
    quick = args.quick
    counts = [int(x) for x in args.layouts.split(",") if x] or ([1] if quick else [1, 4])
    layouts = [lay for lay in LAYOUTS if lay.drives in counts]
    cases = [c for c in warp_cases.case_list(quick) if not args.only or re.search(args.only, c.name)]
    workdir = os.path.join(args.out, "tmp", f"run-{os.getpid()}")
    os.makedirs(workdir)
    try:
        meta = describe_machine(workdir)
        raw = raw_limits(quick, workdir)
        runs: list[tuple[Case, Layout, dict[str, Outcome]]] = []
        for layout in layouts:
            log(f"{layout.name}: {len(cases)} cases")
            for i, case in enumerate(cases):
                runs.append((case, layout, run_case(case, layout, quick, workdir, cairn_first=i % 2 == 0)))
        if not quick:  # the limits again after the servers: a shared machine drifts; keep the better
            raw = best(raw, raw_limits(quick, workdir))
        rows = [warp_report.row_dict(case, layout.name, outcomes,
                                     warp_report.limit_for(case, layout.drives > 1, raw, meta["cores"]))
                for case, layout, outcomes in runs]
        meta["elapsed_s"] = time.monotonic() - _T0
        doc = {"meta": meta, "settings": settings(quick, cases), "raw": {
            k: {"label": machine_limits.LABELS[k], **asdict(s)} for k, s in raw.items()}, "rows": rows}
        for path in warp_report.save(doc, args.out, args.stem or ("warp-quick" if quick else "warp-full")):
            log(f"wrote {path}")
        print("\n".join(warp_report.table(rows)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def settings(quick: bool, cases: list[Case]) -> dict[str, Any]:
    small = {duration_for(c, quick) for c in cases if c.size < 64 << 20}
    large = {duration_for(c, quick) for c in cases if c.size >= 64 << 20} - small
    durations = " / ".join(f"{d:g} s" for d in sorted(small)) + "".join(
        f" (64 MiB cases: {d:g} s)" for d in sorted(large))
    levels = sorted({c.concurrency for c in cases})
    concurrency = " / ".join(f"{n}" + (f" (\"c{n}\" cases)" if n != CONCURRENCY else "") for n in levels)
    return {"mode": "quick" if quick else "full", "concurrency": concurrency, "cairn_workers": CAIRN_WORKERS,
            "durations": durations,
            "warp_version": module_version(os.path.join(TOOLS, "warp")),
            "minio_version": module_version(os.path.join(TOOLS, "minio")),
            "cases": [asdict(c) | {"name": c.name} for c in cases]}


if __name__ == "__main__":
    sys.exit(main())
