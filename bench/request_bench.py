#!/usr/bin/env python3
"""The CPU one small request costs in Cairn's server, without the network or a client in the way.

    .venv/bin/python bench/request_bench.py [--requests 3000] [--op get|head|put|list|delete]
        [--profile out.prof]

Theory of operation.  One process runs the S3 app (server/app.py) over one end of a Unix
socket pair, on a fresh 1-drive deployment in a temporary directory, and a client task in the
same trio loop sends it prepared requests one at a time: each is signed once with botocore's
SigV4 signer (header signature, UNSIGNED-PAYLOAD for bodies, as warp's --disable-sha256-payload)
and replayed, which S3's signatures allow within their 15 minutes.  Requests go strictly one
after the other, so the time per request is the server's whole path -- h11, routing, SigV4,
authorization, the engine call and its thread hop, the response -- plus the client's few
microseconds of socket I/O; `--profile` writes a cProfile of the run for `python -m pstats`.
The figure to compare is this tool's own ratio before and after a change (same machine, same
sitting), not an absolute time: warp under load is what the issue's bar is measured with.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import socket
import sys
import tempfile
import time

import trio
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cairn.engine.api import ObjectLayer
from cairn.server.app import S3App
from cairn.server.context import ServerConfig

USER, SECRET, BUCKET = "benchuser", "benchsecret-0123456789", "bench"
HOST = "127.0.0.1:9000"
BODY = os.urandom(4096)


def signed(method: str, path: str, body: bytes = b"", query: str = "", headers: dict[str, str] | None = None
           ) -> bytes:
    url = f"http://{HOST}{path}" + (f"?{query}" if query else "")
    req = AWSRequest(method=method, url=url, data=body,
                     headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD", **(headers or {})})
    SigV4Auth(Credentials(USER, SECRET), "s3", "us-east-1").add_auth(req)
    head = [f"{method} {path}{'?' + query if query else ''} HTTP/1.1", f"Host: {HOST}"]
    head += [f"{k}: {v}" for k, v in req.headers.items() if k.lower() != "host"]
    if body or method in ("PUT", "POST"):
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def requests_for(op: str, n: int) -> list[bytes]:
    if op == "get":
        return [signed("GET", f"/{BUCKET}/obj")] * n
    if op == "head":
        return [signed("HEAD", f"/{BUCKET}/obj")] * n
    if op == "list":
        return [signed("GET", f"/{BUCKET}", query="list-type=2&max-keys=100")] * n
    if op == "put":
        return [signed("PUT", f"/{BUCKET}/put{i % 64}", BODY) for i in range(min(n, 64))] * (n // 64 + 1)
    if op == "delete":
        return [signed("DELETE", f"/{BUCKET}/obj")] * n
    raise ValueError(op)


async def read_response(stream: trio.SocketStream, buf: bytearray, head_only: bool) -> None:
    """Read one response (Content-Length framed) off `stream`, leaving what follows in `buf`."""
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            head = bytes(buf[:end]).decode("latin-1")
            if not head.startswith("HTTP/1.1 2"):
                raise RuntimeError(f"request failed: {head.splitlines()[0]}\n{bytes(buf)[:600]!r}")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            total = end + 4 + (0 if head_only else length)
            while len(buf) < total:
                buf += await stream.receive_some(65536)
            del buf[:total]
            return
        buf += await stream.receive_some(65536)


async def run(app: S3App, reqs: list[bytes], head_only: bool, n: int) -> float:
    a, b = socket.socketpair()
    server, client = trio.SocketStream(trio.socket.from_stdlib_socket(a)), \
        trio.SocketStream(trio.socket.from_stdlib_socket(b))
    elapsed = 0.0
    async with trio.open_nursery() as nursery:
        nursery.start_soon(app.serve_connection, server)
        buf = bytearray()
        start = time.perf_counter()
        for req in reqs[:n]:
            await client.send_all(req)
            await read_response(client, buf, head_only)
        elapsed = time.perf_counter() - start
        await client.aclose()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--op", default="get", choices=["get", "head", "put", "list", "delete"])
    ap.add_argument("--profile", help="write a cProfile of the measured requests here")
    args = ap.parse_args(argv)
    root = tempfile.mkdtemp(prefix="cairn-reqbench-")
    layer = ObjectLayer.open([os.path.join(root, "d1")])
    try:
        app = S3App(layer, ServerConfig(root_user=USER, root_password=SECRET))
        layer.create_bucket(BUCKET)
        layer.put_object(BUCKET, "obj", [BODY])
        for i in range(100):
            layer.put_object(BUCKET, f"list/{i:04d}", [BODY])
        reqs = requests_for(args.op, args.requests)  # DELETE: the key is gone after the first
        head_only = args.op == "head"
        trio.run(run, app, reqs, head_only, min(200, args.requests))  # warm up
        cpu0 = time.process_time()
        if args.profile:
            prof = cProfile.Profile()
            elapsed = prof.runcall(trio.run, run, app, reqs, head_only, args.requests)
            prof.dump_stats(args.profile)
        else:
            elapsed = trio.run(run, app, reqs, head_only, args.requests)
        cpu = time.process_time() - cpu0
        print(f"{args.op}: {elapsed / args.requests * 1e6:.0f} us per request (wall), "
              f"{cpu / args.requests * 1e6:.0f} us CPU, {args.requests} requests", flush=True)
    finally:
        layer.close()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
