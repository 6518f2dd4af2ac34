#!/usr/bin/env python3
"""The CPU one small request costs in Cairn's server, without the network or a client in the way.

    .venv/bin/python bench/request_bench.py [--requests 3000] [--op get|head|put|list|delete]
        [--profile out.prof]
    .venv/bin/python bench/request_bench.py --op put-streaming --size 64M [--requests 8]

Theory of operation.  One process runs the S3 app (server/app.py) over one end of a Unix
socket pair, on a fresh 1-drive deployment in a temporary directory, and a client task in the
same trio loop sends it prepared requests one at a time: each is signed once with botocore's
SigV4 signer (header signature, UNSIGNED-PAYLOAD for bodies, as warp's --disable-sha256-payload)
and replayed, which S3's signatures allow within their 15 minutes.  Requests go strictly one
after the other, so the time per request is the server's whole path -- h11, routing, SigV4,
authorization, the engine call and its thread hop, the response -- plus the client's few
microseconds of socket I/O; `--profile` writes a cProfile of the run for `python -m pstats`.
`--op put-streaming` PUTs `--size` bytes signed as the AWS SDKs and minio-go stream them
(STREAMING-AWS4-HMAC-SHA256-PAYLOAD, 64 KiB chunks, each with its chunk signature) and reports
CPU per MiB as well: the cost of the aws-chunked decoder, hashing and the write path per byte.
`--reference-decoder` serves it with the Python aws-chunked decoder the compiled one replaced
(tests/server/chunked_reference.py) swapped in: run both, alternating, for the decoder's share.
The figure to compare is this tool's own ratio before and after a change (same machine, same
sitting), not an absolute time: warp under load is what the issue's bar is measured with.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import hmac
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


def streaming_put(path: str, size: int, chunk: int = 64 << 10) -> bytes:
    """A PUT of `size` random bytes as STREAMING-AWS4-HMAC-SHA256-PAYLOAD: the seed signature by
    botocore's SigV4 signer, then `chunk`-byte chunks each signed on the previous signature."""
    data = os.urandom(min(size, 1 << 20))
    pieces = [data[i % len(data):i % len(data) + min(chunk, size - i)] for i in range(0, size, chunk)]
    framing = sum(len(b"%x;chunk-signature=\r\n\r\n" % len(p)) + 64 for p in pieces)
    framing += len(b"0;chunk-signature=\r\n\r\n") + 64
    req = AWSRequest(method="PUT", url=f"http://{HOST}{path}", headers={
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(size), "content-length": str(size + framing)})
    SigV4Auth(Credentials(USER, SECRET), "s3", "us-east-1").add_auth(req)
    amz_date = req.headers["x-amz-date"]
    scope = f"{amz_date[:8]}/us-east-1/s3/aws4_request"
    previous = req.headers["authorization"].rpartition("Signature=")[2]
    key = f"AWS4{SECRET}".encode()
    for part in (amz_date[:8], "us-east-1", "s3", "aws4_request"):
        key = hmac.digest(key, part.encode(), "sha256")
    empty = hashlib.sha256(b"").hexdigest()
    body = []
    for piece in [*pieces, b""]:
        to_sign = "\n".join(("AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, empty,
                             hashlib.sha256(piece).hexdigest()))
        previous = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        body.append(b"%x;chunk-signature=%s\r\n" % (len(piece), previous.encode()))
        body.append(piece + b"\r\n" if piece else b"")
    body.append(b"\r\n")
    head = [f"PUT {path} HTTP/1.1", f"Host: {HOST}"]
    head += [f"{k}: {v}" for k, v in req.headers.items() if k.lower() != "host"]
    wire = b"".join(body)
    assert len(wire) == size + framing
    return ("\r\n".join(head) + "\r\n\r\n").encode() + wire


def requests_for(op: str, n: int, size: int = 0) -> list[bytes]:
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
    if op == "put-streaming":  # one request replayed: the same key overwritten
        return [streaming_put(f"/{BUCKET}/streamed", size)] * n
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


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1].upper()] if text[-1:].upper() in units else int(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--op", default="get", choices=["get", "head", "put", "list", "delete", "put-streaming"])
    ap.add_argument("--size", default="64M", help="put-streaming: the object size (64M, 1M, 100K, bytes)")
    ap.add_argument("--profile", help="write a cProfile of the measured requests here")
    ap.add_argument("--reference-decoder", action="store_true",
                    help="decode aws-chunked bodies with tests/server/chunked_reference.py (A/B)")
    args = ap.parse_args(argv)
    if args.reference_decoder:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        import cairn.server.body
        from tests.server.chunked_reference import AwsChunkedDecoder
        cairn.server.body.AwsChunkedDecoder = AwsChunkedDecoder  # type: ignore[attr-defined,assignment]
    root = tempfile.mkdtemp(prefix="cairn-reqbench-")
    layer = ObjectLayer.open([os.path.join(root, "d1")])
    try:
        app = S3App(layer, ServerConfig(root_user=USER, root_password=SECRET))
        layer.create_bucket(BUCKET)
        layer.put_object(BUCKET, "obj", [BODY])
        for i in range(100):
            layer.put_object(BUCKET, f"list/{i:04d}", [BODY])
        size = parse_size(args.size)
        reqs = requests_for(args.op, args.requests, size)  # DELETE: the key is gone after the first
        head_only = args.op == "head"
        trio.run(run, app, reqs, head_only, min(200 if args.op != "put-streaming" else 2, args.requests))
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
        if args.op == "put-streaming":
            mib = size * args.requests / (1 << 20)
            print(f"{args.op} {args.size}: {cpu / mib * 1e3:.2f} ms CPU per MiB, "
                  f"{mib / elapsed:.0f} MiB/s (wall)", flush=True)
    finally:
        layer.close()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
