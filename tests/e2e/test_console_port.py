"""The web console's port on a real server (no browser): the banner says where it is, it serves
/config.json and the console (or the page saying how to build it), an explicit address already
taken is refused (a taken default only warns: tests/server/test_console.py); and the CORS
preflights the console's requests need pass: the admin API's, the metrics', and CreateBucket's
for a bucket that does not exist yet."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ACCESS_KEY, BIN, SECRET_KEY, Server, free_port, start_server, stop_server_process

ORIGIN = "http://127.0.0.1:9001"


@pytest.fixture(scope="module")
def cairn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, int]]:
    root = tmp_path_factory.mktemp("cairn-console-port")
    port = free_port()
    srv = start_server(root, drives=1, workers=2, extra=("--console-address", f"127.0.0.1:{port}"))
    yield srv, port
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


def get(port: int, path: str, method: str = "GET", headers: dict[str, str] | None = None
        ) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


def test_banner_config_and_pages(cairn: tuple[Server, int]) -> None:
    server, port = cairn
    assert f"Console:   http://127.0.0.1:{port}" in server.log.read_text()
    status, headers, body = get(port, "/config.json")
    assert status == 200 and json.loads(body) == {"endpoint": server.endpoint, "region": "us-east-1"}
    status, headers, body = get(port, "/")
    assert status in (200, 503) and headers["content-type"] == "text/html; charset=utf-8"
    assert (b"make console" in body) == (status == 503)
    assert get(port, "/%2e%2e/%2e%2e/etc/passwd")[0] == 400
    assert get(port, "/", "DELETE")[0] == 405


@pytest.mark.parametrize(("path", "method", "asked"), [
    ("/minio/admin/v3/list-users", "GET", "authorization,x-amz-content-sha256,x-amz-date"),
    ("/minio/admin/v3/add-user?accessKey=u", "PUT", "authorization,x-amz-content-sha256,x-amz-date"),
    ("/minio/v2/metrics/cluster", "GET", "authorization"),
    ("/console-not-yet-made", "PUT", "authorization,x-amz-content-sha256,x-amz-date"),  # CreateBucket
])
def test_the_consoles_preflights_pass(cairn: tuple[Server, int], path: str, method: str, asked: str) -> None:
    server, _ = cairn
    status, headers, body = get(server.port, path, "OPTIONS", {
        "Origin": ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": asked})
    assert status == 200, body
    assert headers["access-control-allow-origin"] == "*"
    assert method in headers["access-control-allow-methods"]
    assert headers["access-control-allow-headers"] == asked.replace(",", ", ")


def test_a_missing_buckets_object_preflight_is_still_refused(cairn: tuple[Server, int]) -> None:
    server, _ = cairn
    status, _, body = get(server.port, "/no-such-bucket-here/k", "OPTIONS",
                          {"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert status == 403 and b"Bucket not found" in body


def test_a_taken_explicit_console_address_is_refused(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        taken = f"127.0.0.1:{holder.getsockname()[1]}"
        env = {"CAIRN_ROOT_USER": ACCESS_KEY, "CAIRN_ROOT_PASSWORD": SECRET_KEY, "PATH": "/usr/bin:/bin"}
        refused = subprocess.run(
            [str(BIN / "cairn"), "server", str(tmp_path / "d1"), "--address", f"127.0.0.1:{free_port()}",
             "--workers", "1", "--console-address", taken],
            capture_output=True, text=True, timeout=60, env=env, check=False)
        assert refused.returncode == 1 and "console" in refused.stderr, refused.stderr


def test_the_console_speaks_tls_when_the_s3_port_does(tmp_path: Path) -> None:
    from .test_tls import issue, make_ca

    ca = make_ca(tmp_path)
    issue(ca, tmp_path / "certs", ["localhost", "127.0.0.1"])
    port = free_port()
    extra = ("--certs-dir", str(tmp_path / "certs"), "--console-address", f"127.0.0.1:{port}")
    (tmp_path / "srv").mkdir()
    srv = start_server(tmp_path / "srv", drives=1, ca=tmp_path / "ca.crt", extra=extra)
    try:
        assert f"Console:   https://127.0.0.1:{port}" in srv.log.read_text()
        context = ssl.create_default_context(cafile=str(tmp_path / "ca.crt"))
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
        conn.request("GET", "/config.json")
        answer = conn.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["endpoint"] == srv.endpoint
        assert srv.endpoint.startswith("https://")
        conn.close()
    finally:
        stop_server_process(srv.process)
