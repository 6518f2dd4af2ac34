"""HTTPS against plain HTTP, in one run: warp's 4 KiB GET and 64 MiB GET on the same Cairn layout,
once with a self-signed certificate in --certs-dir (warp --tls --insecure) and once without,
alternating pairs.  The ratio is what TLS costs the request path (handshakes are amortised: warp
keeps its connections) beside the machine's raw AES-GCM speed (openssl speed would need a tool;
the cryptography package's AES-256-GCM on 1 MiB is measured here instead).

    .venv/bin/python bench/tls_bench.py [--layouts 1] [--pairs 2] [--seconds 12]
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import os
import shutil
import sys
import time

import servers
import warp_cases
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID
from servers import LAYOUTS
from warp_cases import Case, KiB, MiB

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(HERE), "build", "bench-tools", "bin")
CAIRN = os.path.join(os.path.dirname(HERE), ".venv", "bin", "cairn")


def self_signed(directory: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    os.makedirs(directory)
    with open(os.path.join(directory, "public.crt"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(os.path.join(directory, "private.key"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def aes_gcm_mib_s() -> float:
    aead, nonce, data = AESGCM(os.urandom(32)), os.urandom(12), os.urandom(MiB)
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < 1.0:
        aead.encrypt(nonce, data, None)
        n += 1
    return n / (time.perf_counter() - start)


def run_side(base: Case, layout: servers.Layout, side: str, env: dict[str, str], flags: tuple[str, ...],
             workdir: str, seconds: float) -> warp_cases.Figures | None:
    case = Case(base.op, base.size, objects=base.objects, extra=flags)
    with servers.running("cairn", CAIRN, layout, workdir, 2, env) as srv:
        out = warp_cases.run(os.path.join(TOOLS, "warp"), case, srv, seconds,
                             os.path.join(workdir, "warp-data"), workdir, None)
    if out.error:
        print(f"  {side}: {out.error[:300]}", flush=True)
    return out.figures.get("")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--layouts", default="1")
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=12.0)
    args = ap.parse_args(argv)
    workdir = os.path.join(HERE, "results", "tmp", f"tls-{os.getpid()}")
    certs = os.path.join(workdir, "certs")
    self_signed(certs)
    print(f"raw AES-256-GCM (cryptography, 1 core): {aes_gcm_mib_s():.0f} MiB/s", flush=True)
    sides: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
        "http": ({}, ()), "https": ({"CAIRN_CERTS_DIR": certs}, ("--tls", "--insecure"))}
    try:
        for layout in [lay for lay in LAYOUTS if str(lay.drives) in args.layouts.split(",")]:
            for base in (Case("get", 4 * KiB, objects=1000), Case("get", 64 * MiB, objects=16)):
                sums = dict.fromkeys(sides, 0.0)
                for pair in range(args.pairs):
                    shown = []
                    for side in list(sides) if pair % 2 == 0 else list(reversed(sides)):
                        fig = run_side(base, layout, side, *sides[side], workdir, args.seconds)
                        if fig is not None:
                            sums[side] += fig.ops_s
                            shown.append(f"{side} {fig.ops_s:8.1f} ops/s {fig.mib_s:7.1f} MiB/s "
                                         f"p99 {fig.p99_ms or 0:6.1f} ms")
                    print(f"{base.name} {layout.name} pair {pair + 1}: " + " | ".join(shown), flush=True)
                if sums["http"]:
                    print(f"{base.name} {layout.name} all pairs: https/http "
                          f"{sums['https'] / sums['http']:.2f}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
