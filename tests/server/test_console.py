"""The console port's static handler (server/console.py): paths that try to leave the built
directory are refused, files go out with their types and caching headers, client-side routes get
index.html, an unbuilt console answers a page saying how to build it, and /config.json names the
S3 endpoint the browser must use."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import trio
import trio.testing

from cairn.server.console import ConsoleSite, safe_parts
from cairn.server.context import ServerConfig
from cairn.server.http import Request, split_target
from cairn.server.serve import bind_console


def request(target: str, method: str = "GET", host: str = "console.example:9001",
            **headers: str) -> Request:
    path, raw, query = split_target(target)
    pairs = [("host", host), *((k.replace("_", "-"), v) for k, v in headers.items())]
    return Request(method, target, path, raw, query, pairs)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>console</title>")
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    (root / "assets" / "index-abc123.css").write_text("body{}")
    (root / "assets" / "argon2.wasm").write_bytes(b"\0asm")
    (tmp_path / "secret.txt").write_text("outside the root")
    (root / "escape.js").symlink_to(tmp_path / "secret.txt")
    return root


def site(root: Path, tls: bool = False) -> ConsoleSite:
    return ConsoleSite(root, 9000, tls, "eu-west-3", server_url="")


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
    "/./index.html", "/assets/%2e/index-abc123.js", "/a\\..\\secret.txt", "/%00index.html",
    "/index.html%00.js", "//etc/passwd/..", "/..%2fsecret.txt",
])
def test_paths_that_could_leave_the_directory_are_refused(dist: Path, target: str) -> None:
    answer = site(dist).answer(request(target))
    assert answer.status == 400, target
    assert b"outside" not in answer.body


def test_absolute_and_odd_paths(dist: Path) -> None:
    assert safe_parts("etc/passwd") is None  # not absolute (an origin-form target always is)
    assert safe_parts("//etc//passwd") == ["etc", "passwd"]  # stays under the root
    answer = site(dist).answer(request("//etc/passwd"))
    assert answer.status == 200 and b"<title>console</title>" in answer.body  # a client-side route
    assert site(dist).answer(request("/etc/passwd.txt")).status == 404


def test_a_symlink_out_of_the_directory_is_not_followed(dist: Path) -> None:
    answer = site(dist).answer(request("/escape.js"))
    assert answer.status == 404 and b"outside" not in answer.body


def test_files_types_and_caching(dist: Path) -> None:
    s = site(dist)
    for target, kind, cache in [
        ("/", "text/html; charset=utf-8", "no-cache"),
        ("/index.html", "text/html; charset=utf-8", "no-cache"),
        ("/assets/index-abc123.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
        ("/assets/index-abc123.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        ("/assets/argon2.wasm", "application/wasm", "public, max-age=31536000, immutable"),
    ]:
        answer = s.answer(request(target))
        headers = dict(answer.headers)
        got = (answer.status, headers["Content-Type"], headers["Cache-Control"])
        assert got == (200, kind, cache), target
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "connect-src 'self' http://console.example:9000" in headers["Content-Security-Policy"]
    etag = dict(s.answer(request("/assets/index-abc123.js")).headers)["ETag"]
    again = s.answer(request("/assets/index-abc123.js", if_none_match=etag))
    assert again.status == 304 and again.body == b""


def test_client_side_routes_get_index_html_and_missing_files_404(dist: Path) -> None:
    s = site(dist)
    route = s.answer(request("/buckets/photos"))
    assert route.status == 200 and b"<title>console</title>" in route.body
    assert s.answer(request("/assets/missing-123.js")).status == 404


def test_only_get_and_head(dist: Path) -> None:
    answer = site(dist).answer(request("/", method="POST"))
    assert answer.status == 405 and ("Allow", "GET, HEAD") in answer.headers


def test_unbuilt_console_says_how_to_build_it(tmp_path: Path) -> None:
    s = site(tmp_path / "nothing-here")
    for target in ("/", "/buckets", "/assets/index.js"):
        answer = s.answer(request(target))
        assert answer.status == 503 and b"make console" in answer.body
    assert s.answer(request("/config.json")).status == 200  # the S3 endpoint is known all the same


def test_config_json_names_the_s3_endpoint_as_the_browser_reached_us(dist: Path) -> None:
    def config(s: ConsoleSite, host: str) -> dict[str, str]:
        answer = s.answer(request("/config.json", host=host))
        assert answer.status == 200 and dict(answer.headers)["Content-Type"] == "application/json"
        out: dict[str, str] = json.loads(answer.body)
        return out

    assert config(site(dist), "console.example:9001") == {"endpoint": "http://console.example:9000",
                                                        "region": "eu-west-3"}
    assert config(site(dist, tls=True), "[::1]:9001")["endpoint"] == "https://[::1]:9000"
    assert config(site(dist), "evil.example/<script>")["endpoint"] == "http://127.0.0.1:9000"
    proxied = ConsoleSite(dist, 9000, False, "us-east-1", server_url="https://s3.example.com/")
    assert config(proxied, "console.example")["endpoint"] == "https://s3.example.com"


def test_served_over_a_connection(dist: Path) -> None:
    """Through the HTTP framing, keep-alive: a GET, a HEAD (no body), a traversal."""
    data = trio.run(exchange, site(dist))
    assert data.count(b"HTTP/1.1 200 ") == 2 and b"HTTP/1.1 400 " in data
    assert b"console.log(1)" in data and b"<title>" not in data  # HEAD sends no body
    assert b"outside" not in data


async def exchange(s: ConsoleSite) -> bytes:
    client, server = trio.testing.memory_stream_pair()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(s.serve_connection, server)
        await client.send_all(b"GET /assets/index-abc123.js HTTP/1.1\r\nHost: h:9001\r\n\r\n"
                              b"HEAD / HTTP/1.1\r\nHost: h:9001\r\n\r\n"
                              b"GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: h:9001\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            piece = await client.receive_some(65536)
            if not piece:
                break
            data += piece
    return data


def test_a_taken_default_console_port_only_warns(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        taken = f"127.0.0.1:{holder.getsockname()[1]}"
        config = ServerConfig(console_address=taken, console_optional=True)
        assert bind_console(config) is None and config.console_address is None
        assert "console not started" in caplog.text
        with pytest.raises(OSError, match="console"):
            bind_console(ServerConfig(console_address=taken, console_optional=False))
    assert bind_console(ServerConfig(console_address=None)) is None


def test_console_address_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from cairn.server.cli import console_setting

    monkeypatch.delenv("CAIRN_CONSOLE_ADDRESS", raising=False)
    monkeypatch.delenv("MINIO_CONSOLE_ADDRESS", raising=False)
    assert console_setting(None) == (":9001", True)  # the default may be skipped when taken
    assert console_setting("127.0.0.1:9101") == ("127.0.0.1:9101", False)
    assert console_setting("") == (None, False) and console_setting("off") == (None, False)
    monkeypatch.setenv("CAIRN_CONSOLE_ADDRESS", ":9201")
    assert console_setting(None) == (":9201", False)
    assert console_setting("OFF") == (None, False)  # the flag wins over the environment
    with pytest.raises(ValueError, match="--console-address"):
        console_setting("localhost")
