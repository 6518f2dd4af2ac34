#!/usr/bin/env python3
"""What SSE-S3 costs a 64 MiB PUT and GET, beside the same unencrypted, in one run.

    .venv/bin/python bench/sse_bench.py [--size-mib 64] [--rounds 5] [--layouts 1,4] [--out FILE]

Theory of operation.  For each layout (1 drive; 4 drives, 2 data + 2 parity) a fresh
deployment in a temporary directory is served by the S3 app (server/app.py) over one end of a
Unix socket pair, as bench/request_bench.py does, with one master key configured.  A client in
the same trio loop PUTs the object (SigV4 header signature, UNSIGNED-PAYLOAD) and GETs it back,
plain and with `x-amz-server-side-encryption: AES256`, alternating round by round so that the
machine's drift falls on both alike; the medians give MB/s and the ratio SSE/plain.  Beside
them, the machine's raw MD5 and AES-256-GCM speed over the same bytes in 1 MiB blocks: the
ETag's MD5 is paid by both sides, the cipher only by SSE, so the ratio is expected near
1 / (1 + MD5 speed / AES speed) at worst, better where the disk or erasure code dominates.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import trio
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from request_bench import BUCKET, SECRET, USER, read_response, signed

from cairn.engine.api import ObjectLayer
from cairn.engine.kms import KeyRing
from cairn.server.app import S3App
from cairn.server.context import ServerConfig

BLOCK = 1 << 20


def raw_speeds(data: bytes) -> tuple[float, float]:
    """(MD5 MB/s, AES-256-GCM seal MB/s) over `data` in 1 MiB blocks, best of 3."""
    view = memoryview(data)
    md5 = aes = 0.0
    aead = AESGCM(os.urandom(32))
    for _ in range(3):
        t = time.perf_counter()
        h = hashlib.md5()
        for i in range(0, len(data), BLOCK):
            h.update(view[i:i + BLOCK])
        md5 = max(md5, len(data) / (time.perf_counter() - t) / 1e6)
        t = time.perf_counter()
        for n, i in enumerate(range(0, len(data), BLOCK)):
            aead.encrypt(n.to_bytes(12, "big"), view[i:i + BLOCK], None)
        aes = max(aes, len(data) / (time.perf_counter() - t) / 1e6)
    return md5, aes


async def exchange(stream: trio.SocketStream, request: bytes, head_only: bool = False) -> float:
    buf = bytearray()
    start = time.perf_counter()
    await stream.send_all(request)
    await read_response(stream, buf, head_only)
    return time.perf_counter() - start


async def measure(app: S3App, data: bytes, rounds: int) -> dict[str, list[float]]:
    """Seconds per operation: {"put plain": [...], "put sse": [...], "get plain": [...], ...}."""
    a, b = socket.socketpair()
    server = trio.SocketStream(trio.socket.from_stdlib_socket(a))
    client = trio.SocketStream(trio.socket.from_stdlib_socket(b))
    out: dict[str, list[float]] = {f"{op} {kind}": [] for op in ("put", "get") for kind in ("plain", "sse")}
    puts = {"plain": signed("PUT", f"/{BUCKET}/plain", data),
            "sse": signed("PUT", f"/{BUCKET}/sse", data, headers={"x-amz-server-side-encryption": "AES256"})}
    gets = {kind: signed("GET", f"/{BUCKET}/{kind}") for kind in ("plain", "sse")}
    async with trio.open_nursery() as nursery:
        nursery.start_soon(app.serve_connection, server)
        for kind in ("plain", "sse"):  # warm up: both objects exist before the first measure
            await exchange(client, puts[kind])
        for r in range(rounds):
            order = ("plain", "sse") if r % 2 == 0 else ("sse", "plain")
            for kind in order:
                out[f"put {kind}"].append(await exchange(client, puts[kind]))
            for kind in order:
                out[f"get {kind}"].append(await exchange(client, gets[kind]))
        await client.aclose()
    return out


def run_layout(drives: int, data: bytes, rounds: int) -> dict[str, list[float]]:
    root = tempfile.mkdtemp(prefix="cairn-ssebench-")
    layer = ObjectLayer.open([os.path.join(root, f"d{i}") for i in range(1, drives + 1)])
    try:
        layer.kms = KeyRing([("bench", os.urandom(32))])
        app = S3App(layer, ServerConfig(root_user=USER, root_password=SECRET, kms=layer.kms))
        layer.create_bucket(BUCKET)
        return trio.run(measure, app, data, rounds)
    finally:
        layer.close()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--size-mib", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--layouts", default="1,4", help="drive counts, e.g. '1' or '1,4'")
    ap.add_argument("--out", help="also write the report (Markdown) here")
    args = ap.parse_args(argv)
    size = args.size_mib << 20
    data = os.urandom(size)
    started = time.time()
    load0 = os.getloadavg()[0]
    md5, aes = raw_speeds(data)
    rows = []
    for drives in (int(d) for d in args.layouts.split(",")):
        times = run_layout(drives, data, args.rounds)
        med = {k: size / statistics.median(v) / 1e6 for k, v in times.items()}
        label = "1 drive" if drives == 1 else f"{drives} drives {drives // 2}+{drives - drives // 2}"
        for op in ("put", "get"):
            plain, sse = med[f"{op} plain"], med[f"{op} sse"]
            rows.append(f"| {op.upper()} {args.size_mib} MiB | {label} | {plain:.0f} | {sse:.0f} | "
                        f"{sse / plain:.2f} |")
            print(rows[-1], flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n".join([
        "# SSE-S3: what encryption costs a large PUT and GET",
        "",
        f"Commit `{commit}` (+ working tree), {when}, {time.time() - started:.0f} s "
        f"(`bench/sse_bench.py --size-mib {args.size_mib} --rounds {args.rounds}`).  ",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.platform()}, "
        f"Python {platform.python_version()}; load average at start {load0:.2f}, at end "
        f"{os.getloadavg()[0]:.2f} (a shared machine: read the ratios).",
        "",
        "One request at a time through the whole server path (h11, SigV4 with UNSIGNED-PAYLOAD, the "
        "engine, fsync), in-process over a Unix socket; medians of the rounds, plain and SSE-S3 "
        "alternating.  SSE-S3: `x-amz-server-side-encryption: AES256`, AES-256-GCM per 1 MiB block "
        "before erasure coding, 16 bytes of tag per block.",
        "",
        "| operation | layout | plain MB/s | SSE-S3 MB/s | SSE / plain |",
        "|---|---|---:|---:|---:|",
        *rows,
        "",
        f"Reference, this machine, same bytes in 1 MiB blocks, one core: MD5 {md5:.0f} MB/s (every PUT pays "
        f"it for the ETag), AES-256-GCM {aes:.0f} MB/s (what SSE adds to a PUT and to a GET).",
        "",
    ])
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
