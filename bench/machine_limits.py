"""The raw limits of this machine, measured in the same run as the servers they bound.

The CPU and disk figures come from engine_bench (`raw_cpu`, `raw_disk`: ISA-L RS(2,2)
encode, MD5, CRC32C, streaming disk write with and without fsync, hot and cold sequential
read, small-file create/write/fsync/rename and read); this module adds what the HTTP
benchmark also needs: SHA256 per core (streaming SigV4 hashes every payload byte) and
loopback TCP, both as a byte stream (1 MiB sends) and as request/response round trips
(a 256-byte request answered by 4 KiB, one connection), each against a forked peer
process so that the two ends run on separate cores as a client and a server would.

Every figure is a per-core (one thread) `engine_bench.Sample`; `limit_for` in report.py
says which of them bounds which benchmark case.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from engine_bench import DEFAULT, QUICK, KiB, MiB, Profile, Sample, measure, payload, raw_cpu, raw_disk

from cairn.engine.checksums import Hasher

RTT_REQUEST = 256
RTT_RESPONSE = 4 * KiB

LABELS = {
    "rs22_encode": "ISA-L RS(2,2) encode, 1 core (MiB/s of input)",
    "md5": "MD5, 1 core",
    "sha256": "SHA256, 1 core",
    "crc32c": "CRC32C (bitrot), 1 core",
    "write_fsync": "sequential disk write + fsync",
    "write_buffered": "sequential disk write, no fsync",
    "read_hot": "sequential read, page cache hot",
    "read_cold": "sequential read, after fadvise DONTNEED",
    "file_4k_fsync": "4 KiB file create+write+fsync+rename",
    "file_4k_read_hot": "4 KiB file open+read+close (hot)",
    "tcp_stream": "loopback TCP stream, 1 MiB sends, 1 connection",
    "tcp_rtt": "loopback TCP round trips (256 B -> 4 KiB), 1 connection",
}


def profile(quick: bool) -> Profile:
    return QUICK if quick else DEFAULT


def raw_sha256(prof: Profile) -> Sample:
    block, hasher = payload(MiB), Hasher(("sha256",))
    n = prof.cpu_blocks

    def run(_: int) -> None:
        for _ in range(n):
            hasher.update(block)

    run(0)
    return measure(run, n, prof.cpu_reps, MiB)


def _recv_exact(sock: socket.socket, buf: bytearray) -> None:
    view, got = memoryview(buf), 0
    while got < len(buf):
        n = sock.recv_into(view[got:])
        if not n:
            raise ConnectionError("peer closed")
        got += n


def _stream_sender(port: int, total_mib: int) -> None:
    block = bytes(MiB)
    with socket.create_connection(("127.0.0.1", port)) as s:
        for _ in range(total_mib):
            s.sendall(block)


def _echo_server(port: int, count: int) -> None:
    reply, req = bytes(RTT_RESPONSE), bytearray(RTT_REQUEST)
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(count):
            _recv_exact(s, req)
            s.sendall(reply)


@contextmanager
def peer(target: Callable[[int, int], None], arg: int) -> Iterator[socket.socket]:
    """A connection accepted from a forked child that runs target(port, arg)."""
    with socket.create_server(("127.0.0.1", 0)) as lsock:
        port = lsock.getsockname()[1]
        child = multiprocessing.get_context("fork").Process(target=target, args=(port, arg), daemon=True)
        child.start()
        try:
            conn, _ = lsock.accept()
            with conn:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                yield conn
        finally:
            child.join(timeout=10)
            if child.is_alive():
                child.kill()


def raw_tcp_stream(prof: Profile) -> Sample:
    nmib, reps = prof.stream_mib, prof.stream_reps
    buf = bytearray(MiB)
    with peer(_stream_sender, nmib * (reps + 1)) as conn:
        def run(_: int) -> None:
            for _ in range(nmib):
                _recv_exact(conn, buf)

        run(0)
        return measure(run, nmib, reps, MiB)


def raw_tcp_rtt(prof: Profile) -> Sample:
    n, reps = 20 * prof.cpu_blocks, prof.cpu_reps
    req, buf = bytes(RTT_REQUEST), bytearray(RTT_RESPONSE)
    with peer(_echo_server, n * (reps + 1)) as conn:
        def run(_: int) -> None:
            for _ in range(n):
                conn.sendall(req)
                _recv_exact(conn, buf)

        run(0)
        return measure(run, n, reps, RTT_RESPONSE)


def measure_all(quick: bool, workdir: str, log: Callable[[str], None]) -> dict[str, Sample]:
    """Every raw limit, one thread each; only the keys in LABELS are kept."""
    prof = profile(quick)
    out: dict[str, Sample] = {}
    log("raw limits: CPU (ISA-L, MD5, CRC32C, SHA256) ...")
    out.update(raw_cpu(prof))
    out["sha256"] = raw_sha256(prof)
    log("raw limits: disk ...")
    os.makedirs(workdir, exist_ok=True)
    out.update(raw_disk(prof, workdir))
    log("raw limits: loopback TCP ...")
    out["tcp_stream"] = raw_tcp_stream(prof)
    out["tcp_rtt"] = raw_tcp_rtt(prof)
    return {k: out[k] for k in LABELS}
