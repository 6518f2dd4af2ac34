"""The executable on an appliance: no network and a read-only file system except the data drive.

Run by packaging/test_dist.py as root inside new mount and network namespaces
(`unshare --mount --net --propagation private python appliance.py EXE DATA`):

1. brings up the namespace's loopback (its only interface: no route, no DNS);
2. makes DATA a mount of its own, then remounts / and /dev/shm read-only (per mount: the
   host's file systems are untouched), and checks that writing anywhere else fails;
3. runs EXE under `env -i` with TMPDIR on DATA (the one-file build unpacks itself there; Cairn
   keeps its shared files there when /dev/shm is not writable) and one drive under DATA;
4. drives it with boto3 (PUT, GET, multipart, LIST) over the loopback and stops it.

Prints one line per step and exits 0 only when all of it worked.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

USER, PASSWORD = "appliance", "appliance-password"
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0))[:18])[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


def read_only_except(data: str) -> None:
    subprocess.run(["mount", "--bind", data, data], check=True)
    for target in ("/", "/dev/shm"):
        if os.path.ismount(target):
            subprocess.run(["mount", "-o", "remount,bind,ro", target], check=True)
    for elsewhere in ("/tmp", "/dev/shm", os.path.expanduser("~")):
        try:
            with open(os.path.join(elsewhere, ".appliance-probe"), "w"):
                pass
        except OSError:
            continue
        raise SystemExit(f"{elsewhere} is still writable")


def main(exe: str, data: str) -> int:
    loopback_up()
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=2).close()
        raise SystemExit("the namespace reaches the network")
    except OSError:
        pass
    read_only_except(data)
    print("namespace: loopback only; read-only except", data, flush=True)
    tmp = os.path.join(data, "tmp")
    os.makedirs(tmp, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": tmp, "CAIRN_ROOT_USER": USER, "CAIRN_ROOT_PASSWORD": PASSWORD,
           "HOME": "/nonexistent"}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    log_path = os.path.join(data, "server.log")
    with open(log_path, "wb") as log:
        command = [exe, "server", os.path.join(data, "drive"), "--address", f"127.0.0.1:{port}",
                   "--workers", "2", "--console-address", f"127.0.0.1:{port + 1}"]
        server = subprocess.Popen(command, env=env, cwd="/", stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                print(Path(log_path).read_text())
                raise SystemExit("the server did not start")
            try:
                with urllib.request.urlopen(f"{endpoint}/minio/health/live", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        print("server: live at", endpoint, flush=True)
        import boto3
        from boto3.s3.transfer import TransferConfig

        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=USER, aws_secret_access_key=PASSWORD,
                          region_name="us-east-1")
        s3.create_bucket(Bucket="edge")
        s3.put_object(Bucket="edge", Key="small", Body=b"no network, read-only root")
        body = os.urandom(12 << 20)
        big = os.path.join(data, "big.bin")
        with open(big, "wb") as f:
            f.write(body)
        s3.upload_file(big, "edge", "big", Config=TransferConfig(multipart_threshold=5 << 20,
                                                                  multipart_chunksize=5 << 20))
        assert s3.get_object(Bucket="edge", Key="small")["Body"].read() == b"no network, read-only root"
        got = s3.get_object(Bucket="edge", Key="big")["Body"].read()
        assert hashlib.md5(got).digest() == hashlib.md5(body).digest(), "multipart object differs"
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="edge")["Contents"]] == ["big", "small"]
        print("boto3: PUT, multipart, GET, LIST ok", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        code = server.wait(timeout=60)
    print(Path(log_path).read_text(), flush=True)
    if code != 0:
        raise SystemExit(f"the server exited with {code}")
    print("server: stopped cleanly", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
