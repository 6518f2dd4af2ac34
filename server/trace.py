"""Live request trace: `mc admin trace ALIAS` (GET /minio/admin/v3/trace, madmin.TraceInfo records
streamed as JSON), across every worker process, at no cost while nobody traces.

Theory of operation
-------------------
A trace request is served by one worker, but requests reach all of them.  The worker serving a
trace binds a Unix datagram socket in the server's shared directory (metrics/shared.py: one per
server run), `<dir>/trace/<pid>-<random>.sock`, and streams what arrives there to the client until
it goes away (or the server stops).  Every worker, after each request, asks `tracers()` whether
any such socket exists: the answer is a directory listing cached for a second, so with nobody
tracing a request costs one clock read.  With tracers, the request's record (about 600 bytes of
JSON) is sent to each of them without blocking: a tracer that cannot keep up loses records (the
send fails with EAGAIN and the record is dropped) rather than slow the server down, and a socket
whose tracer is gone (ECONNREFUSED) is removed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import time
from collections.abc import AsyncGenerator
from typing import Any

import orjson
import trio

from .admin.common import go_time  # madmin's records: Go's time.Time in JSON
from .metrics import shared

CACHE_S = 1.0
RECORD_MAX = 64 << 10
TRACE_S3 = 1 << 2  # madmin.TraceS3
_cache: tuple[float, list[str]] = (-CACHE_S, [])
_sender: socket.socket | None = None
_stop_flag = [False]  # this worker is stopping (stop())


def trace_dir() -> str | None:
    base = shared.directory()
    return os.path.join(base, "trace") if base else None


def tracers() -> list[str]:
    """The sockets of the traces being served now (cached for CACHE_S)."""
    global _cache
    now = time.monotonic()
    if now - _cache[0] < CACHE_S:
        return _cache[1]
    where = trace_dir()
    try:
        found = [os.path.join(where, n) for n in os.listdir(where) if n.endswith(".sock")] if where else []
    except OSError:
        found = []
    _cache = (now, found)
    return found


def record(*, node: str, operation: str, method: str, path: str, query: str, client: str, status: int,
           started: float, duration: float, ttfb: float, bytes_in: int, bytes_out: int,
           headers: dict[str, list[str]], error: str = "") -> dict[str, Any]:
    """madmin.TraceInfo of one S3 request (type TraceS3)."""
    start, end = go_time(int(started * 1e9)), go_time(int((started + duration) * 1e9))
    doc: dict[str, Any] = {
        "type": TRACE_S3, "nodename": node, "funcname": f"s3.{operation}", "time": start, "path": path,
        "dur": int(duration * 1e9),
        "http": {"request": {"time": start, "proto": "HTTP/1.1", "method": method, "path": path,
                             "rawquery": query, "headers": headers, "client": client},
                 "response": {"time": end, "statuscode": status},
                 "stats": {"inputbytes": bytes_in, "outputbytes": bytes_out,
                           "timetofirstbyte": int(ttfb * 1e9)}}}
    if error:
        doc["error"] = error
    return doc


def publish(doc: dict[str, Any]) -> None:
    """Send a record to every tracer, never blocking (see the module docstring)."""
    global _sender, _cache
    data = orjson.dumps(doc)
    if len(data) > RECORD_MAX:
        return
    if _sender is None:
        _sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        _sender.setblocking(False)
    for path in tracers():
        try:
            _sender.sendto(data, path)
        except (BlockingIOError, InterruptedError):
            continue  # that tracer is behind: this record is dropped for it
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(OSError):
                os.unlink(path)  # its tracer is gone
            _cache = (-CACHE_S, [])
        except OSError:
            continue


def go_duration(text: str) -> float:
    """Seconds of a Go duration string ("0s", "150ms", "1m30s"); 0 for anything else."""
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    total, number = 0.0, ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            number += ch
            i += 1
            continue
        unit = next((u for u in ("ns", "us", "µs", "ms", "s", "m", "h") if text.startswith(u, i)), None)
        if unit is None or not number:
            return 0.0
        try:
            total += float(number) * units[unit]
        except ValueError:
            return 0.0
        number, i = "", i + len(unit)
    return total if not number else 0.0


def stop() -> None:
    """This worker stops: its traces end (their clients see the stream close)."""
    _stop_flag[0] = True


async def stream(errors_only: bool, threshold_s: float) -> AsyncGenerator[bytes, None]:
    """The records every worker sends, as a JSON stream, until the client goes or the server stops."""
    where = trace_dir()
    if where is None:
        return
    os.makedirs(where, exist_ok=True)
    path = os.path.join(where, f"{os.getpid()}-{secrets.token_hex(4)}.sock")
    sock = trio.socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    global _cache
    try:
        await sock.bind(path)
        _cache = (-CACHE_S, [])  # this worker's own requests are traced at once
        while not _stop_flag[0]:
            data = b""
            with trio.move_on_after(1.0):
                data = await sock.recv(RECORD_MAX)
            if not data:
                yield b"\n"  # whitespace between JSON values: finds a client that went away
                continue
            doc = orjson.loads(data)
            if errors_only and int(doc["http"]["response"]["statuscode"]) < 400:
                continue
            if doc["dur"] < threshold_s * 1e9:
                continue
            yield data + b"\n"
    finally:
        sock.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
        _cache = (-CACHE_S, [])
