"""Healing on a real server, as an operator meets it: a drive of a 2+2 set is replaced by an empty
one, the server starts, and its scanner alone (rate turned up) rewrites everything the drive held.
The proof: two *other* drives are then wiped, and every object still reads back byte-identical
with boto3, which a 2+2 set can only do from the drive that was healed and the one left."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from boto3.s3.transfer import TransferConfig

from .conftest import ACCESS_KEY, BIN, SECRET_KEY, Server, start_server, stop_server_process
from .mcadmin import MC, NEEDS_MC

pytestmark = pytest.mark.slow
FAST_SCANNER = ("--scanner-rate", "20000", "--scanner-interval", "1s")


def client(server: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def wipe(root: Path, *drives: int) -> None:
    for d in drives:
        shutil.rmtree(root / f"d{d}")
        (root / f"d{d}").mkdir()


def fill(s3, root: Path) -> dict[tuple[str, str, str | None], str]:  # type: ignore[no-untyped-def]
    """(bucket, key, version id or None) -> md5 of objects of every shape."""
    want: dict[tuple[str, str, str | None], str] = {}
    s3.create_bucket(Bucket="heal-plain")
    for i, size in enumerate([0, 1, 4096, 200_000, 3 << 20]):
        body = os.urandom(size)
        s3.put_object(Bucket="heal-plain", Key=f"obj/{i}", Body=body)
        want["heal-plain", f"obj/{i}", None] = hashlib.md5(body).hexdigest()
    big = root / "big.bin"
    body = os.urandom(12 << 20)
    big.write_bytes(body)
    s3.upload_file(str(big), "heal-plain", "multi", Config=TransferConfig(multipart_threshold=5 << 20,
                                                                          multipart_chunksize=5 << 20))
    want["heal-plain", "multi", None] = hashlib.md5(body).hexdigest()
    s3.create_bucket(Bucket="heal-versions")
    s3.put_bucket_versioning(Bucket="heal-versions", VersioningConfiguration={"Status": "Enabled"})
    for size in (100, 2 << 20, 7000):
        body = os.urandom(size)
        vid = s3.put_object(Bucket="heal-versions", Key="v", Body=body)["VersionId"]
        want["heal-versions", "v", vid] = hashlib.md5(body).hexdigest()
    return want


def check(s3, want: dict[tuple[str, str, str | None], str]) -> None:  # type: ignore[no-untyped-def]
    for (bucket, key, vid), md5 in want.items():
        extra = {"VersionId": vid} if vid else {}
        body = s3.get_object(Bucket=bucket, Key=key, **extra)["Body"].read()
        assert hashlib.md5(body).hexdigest() == md5, (bucket, key, vid)


def test_a_replaced_drive_is_healed_by_the_scanner_alone(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=4, workers=2)
    try:
        want = fill(client(server), tmp_path)
    finally:
        stop_server_process(server.process)
    wipe(tmp_path, 1)
    marker = tmp_path / "d1" / ".cairn" / "healing.json"
    server = start_server(tmp_path, drives=4, workers=2, extra=FAST_SCANNER)
    try:
        deadline = time.monotonic() + 60
        while marker.exists() or not (tmp_path / "d1" / ".cairn" / "format.json").exists():
            assert time.monotonic() < deadline, f"the drive was not healed: {server.log.read_text()[-3000:]}"
            time.sleep(0.2)
        assert "replaced drive(s)" in server.log.read_text()
    finally:
        stop_server_process(server.process)
    wipe(tmp_path, 2, 3)
    server = start_server(tmp_path, drives=4, workers=2)
    try:
        s3 = client(server)
        check(s3, want)
        listed = s3.list_object_versions(Bucket="heal-versions")["Versions"]
        assert len(listed) == 3
    finally:
        stop_server_process(server.process)


def cairn_heal(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "CAIRN_ROOT_USER": ACCESS_KEY,
           "CAIRN_ROOT_PASSWORD": SECRET_KEY}
    return subprocess.run([str(BIN / "cairn"), "heal", "--endpoint", server.endpoint, *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cairn_heal_repairs_bit_flips_on_a_running_server(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=4, workers=2)
    try:
        s3 = client(server)
        want = fill(s3, tmp_path)
        flipped = 0
        for shard in (tmp_path / "d1" / ".cairn" / "data").rglob("*"):
            if shard.is_file() and shard.stat().st_size > 64:
                with shard.open("r+b") as f:
                    f.seek(40)
                    byte = f.read(1)
                    f.seek(40)
                    f.write(bytes([byte[0] ^ 0x10]))
                flipped += 1
        assert flipped >= 4
        dry = cairn_heal(server, "--deep", "--dry-run")
        assert dry.returncode == 0, dry.stderr + dry.stdout
        assert f"{flipped} shard file(s) and 0 record(s) would be rewritten" in dry.stdout, dry.stdout
        done = cairn_heal(server, "--deep")
        assert done.returncode == 0, done.stderr + done.stdout
        assert f"{flipped} shard file(s) and 0 record(s) rewritten" in done.stdout, done.stdout
        assert "heal finished" in done.stdout
        again = cairn_heal(server, "--deep", "heal-plain/obj/")
        assert again.returncode == 0 and "nothing to heal" in again.stdout, again.stdout
        refused = cairn_heal(server, "no-such-bucket")
        assert refused.returncode == 2 and "NoSuchBucket" in refused.stderr, refused.stderr
    finally:
        stop_server_process(server.process)
    wipe(tmp_path, 2, 3)
    server = start_server(tmp_path, drives=4, workers=2)
    try:
        check(client(server), want)
    finally:
        stop_server_process(server.process)


@NEEDS_MC
def test_mc_admin_heal_deep_scan_repairs_bit_flips(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=4, workers=2)
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="mc-heal")
        bodies = {f"k{i}": os.urandom(300_000 + i) for i in range(3)}
        for key, body in bodies.items():
            s3.put_object(Bucket="mc-heal", Key=key, Body=body)
        env = {**os.environ, "MC_CONFIG_DIR": str(tmp_path / "mc")}

        def mc(*args: str) -> str:
            done = subprocess.run([str(MC), *args], capture_output=True, text=True, env=env, timeout=60)
            assert done.returncode == 0, done.stdout + done.stderr
            return done.stdout

        mc("alias", "set", "t", server.endpoint, ACCESS_KEY, SECRET_KEY)
        for shard in (tmp_path / "d1" / ".cairn" / "data").rglob("*"):
            if shard.is_file():
                raw = bytearray(shard.read_bytes())
                raw[40] ^= 1
                shard.write_bytes(bytes(raw))
        normal = mc("admin", "heal", "-r", "t/mc-heal")
        assert "Yellow" not in normal  # a normal scan does not read every frame
        deep = mc("admin", "heal", "-r", "--scan", "deep", "t/mc-heal")
        assert deep.count("[Yellow ->  Green]") == len(bodies), deep
        assert "Healed:\t3/3 objects" in deep, deep
        again = mc("admin", "heal", "-r", "--scan", "deep", "t/mc-heal")
        assert "Yellow" not in again and "Healed:\t0/3 objects" in again, again
        assert "No active healing is detected for new disks" in mc("admin", "heal", "t")
    finally:
        stop_server_process(server.process)
    wipe(tmp_path, 2, 3)
    server = start_server(tmp_path, drives=4, workers=2)
    try:
        for key, body in bodies.items():
            assert client(server).get_object(Bucket="mc-heal", Key=key)["Body"].read() == body
    finally:
        stop_server_process(server.process)
