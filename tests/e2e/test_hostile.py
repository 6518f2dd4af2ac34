"""Hostile input against a real server: every case gets S3's error (or a closed connection),
never a 500 or a hang, writes nothing outside the drives and leaves nothing half-visible.

Requests boto3 refuses to send are signed with botocore's signers and written to a plain socket,
so the framing (Content-Length, chunking, pipelining, early close) is exactly what the test says.
The module runs twice, against a server with one worker and one with two (connections then land
on either worker).  Each test ends with `guard.check()`: the temp tree outside the drives' .cairn
is unchanged, no staging file is left in any drive's .cairn/tmp, and the server log gained no
Traceback.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.auth import HmacV1Auth, S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process

TIMEOUT = 5.0  # seconds a well-behaved server needs to answer any of these
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
STREAMING = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"


# --------------------------------------------------------------------------- raw HTTP


@dataclass
class Reply:
    status: int
    reason: str
    headers: dict[str, str]  # lowercase names
    body: bytes

    @property
    def code(self) -> str | None:
        m = re.search(rb"<Code>([^<]*)</Code>", self.body)
        return m.group(1).decode() if m else None

    def __repr__(self) -> str:  # shown by pytest on a failed assert
        return f"Reply({self.status} {self.reason}, code={self.code}, body={self.body[:300]!r})"


class Conn:
    """One raw TCP connection; `reply()` reads one HTTP/1.1 response off it."""

    def __init__(self, port: int, timeout: float = TIMEOUT) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def __enter__(self) -> Conn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()

    def send(self, data: bytes, tolerate_reset: bool = False) -> None:
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            if not tolerate_reset:
                raise

    def _fill(self) -> bool:
        try:
            data = self.sock.recv(1 << 16)
        except ConnectionResetError:
            data = b""
        self.buf += data
        return bool(data)

    def reply(self, head: bool = False) -> Reply | None:
        """The next response (100 Continue skipped); None if the server closed without one.
        A socket timeout (the server hung) propagates as an error."""
        while True:
            while b"\r\n\r\n" not in self.buf:
                if not self._fill():
                    assert not self.buf, f"connection closed inside a response head: {self.buf[:200]!r}"
                    return None
            raw_head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            lines = raw_head.decode("latin-1").split("\r\n")
            version, status, reason = [*lines[0].split(" ", 2), ""][:3]
            assert version.startswith("HTTP/1."), lines[0]
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if int(status) == 100:
                continue
            break
        code = int(status)
        if head or code in (204, 304):
            body = b""
        elif "content-length" in headers:
            size = int(headers["content-length"])
            while len(self.buf) < size:
                if not self._fill():
                    raise AssertionError(f"response body cut short: {self.buf!r}")
            body, self.buf = self.buf[:size], self.buf[size:]
        else:  # read to close
            while self._fill():
                pass
            body, self.buf = self.buf, b""
        return Reply(code, reason, headers, body)

    def closed_by_peer(self, wait: float = 3.0) -> bool:
        """True once the server closes the connection (EOF/reset) within `wait` seconds."""
        deadline = time.monotonic() + wait
        self.sock.settimeout(0.2)
        try:
            while time.monotonic() < deadline:
                try:
                    data = self.sock.recv(1 << 16)
                except TimeoutError:
                    continue
                except ConnectionResetError:
                    return True
                if not data:
                    return True
            return False
        finally:
            self.sock.settimeout(TIMEOUT)


def exchange(port: int, data: bytes, head: bool = False, half_close: bool = False) -> Reply | None:
    with Conn(port) as c:
        c.send(data, tolerate_reset=True)
        if half_close:
            c.sock.shutdown(socket.SHUT_WR)
        return c.reply(head=head)


class _Signer(S3SigV4Auth):
    """botocore's S3 SigV4 signer with the payload hash forced when `payload` is given."""

    def __init__(self, credentials: Credentials, payload: str | None) -> None:
        super().__init__(credentials, "s3", "us-east-1")
        self._payload = payload

    def payload(self, request: AWSRequest) -> str:
        return self._payload if self._payload is not None else super().payload(request)


@dataclass
class Signed:
    """A signed request head (without Content-Length unless it was signed) and its body."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    timestamp: str = ""
    signature: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)

    def head(self, content_length: int | None = -1, **more: str) -> bytes:
        """The request head; content_length -1 means len(body), None means no header."""
        headers = list(self.headers) + list(self.extra) + [(k.replace("_", "-"), v) for k, v in more.items()]
        if content_length == -1:
            content_length = len(self.body)
        if content_length is not None and not any(n.lower() == "content-length" for n, _ in headers):
            headers.append(("Content-Length", str(content_length)))
        lines = [f"{self.method} {self.target} HTTP/1.1", *(f"{n}: {v}" for n, v in headers)]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def raw(self) -> bytes:
        return self.head() + self.body


def sign(port: int, method: str, path: str, query: str = "", body: bytes = b"",
         headers: dict[str, str] | None = None, payload: str | None = None,
         access_key: str = ACCESS_KEY, secret: str = SECRET_KEY, at: datetime | None = None) -> Signed:
    """SigV4-sign a request with botocore.  `path` is sent exactly as given (already encoded)."""
    url = f"http://127.0.0.1:{port}{path}" + (f"?{query}" if query else "")
    all_headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    request = AWSRequest(method=method, url=url, headers=all_headers, data=body)
    signer = _Signer(Credentials(access_key, secret), payload)
    if at is None:
        signer.add_auth(request)
    else:
        naive = at.astimezone(UTC).replace(tzinfo=None)
        with mock.patch("botocore.auth.get_current_datetime", lambda *a, **k: naive):
            signer.add_auth(request)
    target = urlsplit(request.url).path + (f"?{query}" if query else "")
    auth = request.headers["Authorization"]
    signature = auth.rsplit("Signature=", 1)[1]
    return Signed(method, target, list(request.headers.items()), body, request.context["timestamp"],
                  signature)


def presign(port: int, method: str, path: str, expires: int = 60, at: datetime | None = None) -> str:
    """A SigV4 presigned request target (path and query) made by botocore's S3SigV4QueryAuth."""
    request = AWSRequest(method=method, url=f"http://127.0.0.1:{port}{path}",
                         headers={"Host": f"127.0.0.1:{port}"})
    signer = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1", expires=expires)
    when = (at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", lambda *a, **k: when):
        signer.add_auth(request)
    parts = urlsplit(request.url)
    return f"{parts.path}?{parts.query}"


def signing_key(date: str) -> bytes:
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (date, "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def aws_chunked(port: int, path: str, data: bytes, chunk: int = 64 << 10,
                flip: int | None = None) -> bytes:
    """A whole STREAMING-AWS4-HMAC-SHA256-PAYLOAD PutObject (AWS's chunked-upload spec); `flip`
    corrupts the signature of that chunk (-1: the final, empty one)."""
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] + [b""]
    encoded_len = sum(len(f"{len(p):x};chunk-signature=") + 64 + 2 + len(p) + 2 for p in pieces)
    req = sign(port, "PUT", path, payload=STREAMING, headers={
        "Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": str(len(data)),
        "Content-Length": str(encoded_len)})
    date = req.timestamp[:8]
    scope = f"{date}/us-east-1/s3/aws4_request"
    key = signing_key(date)
    previous = req.signature
    body = b""
    for index, piece in enumerate(pieces):
        to_sign = "\n".join(("AWS4-HMAC-SHA256-PAYLOAD", req.timestamp, scope, previous, EMPTY_SHA256,
                             hashlib.sha256(piece).hexdigest()))
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        previous = signature
        if flip is not None and index == flip % len(pieces):
            signature = signature[:10] + ("0" if signature[10] != "0" else "1") + signature[11:]
        body += f"{len(piece):x};chunk-signature={signature}\r\n".encode() + piece + b"\r\n"
    assert len(body) == encoded_len
    return req.head(content_length=None) + body


def content_md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", params=[1, 2], ids=["workers1", "workers2"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This module's own server (its log and temp tree are ours alone), once per worker count."""
    root = tmp_path_factory.mktemp(f"cairn-hostile-w{request.param}")
    (root / "outside").mkdir()
    (root / "outside" / "sentinel").write_text("untouched")
    for i in range(1, 5):  # a drive directory may hold unrelated files; they stay untouched
        (root / f"d{i}").mkdir()
        (root / f"d{i}" / "unrelated.txt").write_text("mine")
    srv = start_server(root, workers=request.param)
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under root but the drives' .cairn trees and the log: (size, mtime_ns)."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel.count(os.sep) == 0 and rel.startswith("d") and ".cairn" in dirnames:
            dirnames.remove(".cairn")
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if path == str(root / "server.log"):
                continue
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (st.st_size if name in filenames else 0, st.st_mtime_ns)
    return out


def staging_leftovers(srv: Server) -> list[str]:
    return [str(p) for d in srv.drives for p in (d / ".cairn" / "tmp").iterdir()]


class Guard:
    def __init__(self, srv: Server) -> None:
        self.srv = srv
        self.root = srv.log.parent
        self.before = tree(self.root)
        self.log_offset = srv.log.stat().st_size

    def new_log(self) -> str:
        with self.srv.log.open("rb") as f:
            f.seek(self.log_offset)
            return f.read().decode("utf-8", "replace")

    def check(self, tmp_wait: float = 5.0) -> None:
        assert self.srv.process.poll() is None, "the server died"
        assert tree(self.root) == self.before, "something was written outside the drives' .cairn"
        deadline = time.monotonic() + tmp_wait
        while staging_leftovers(self.srv) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert staging_leftovers(self.srv) == [], "staging files left in .cairn/tmp"
        text = self.new_log()
        assert "Traceback" not in text, f"internal error in the server log:\n{text[-3000:]}"
        assert "internal error" not in text, text[-3000:]


@pytest.fixture
def guard(server: Server) -> Guard:
    return Guard(server)


@pytest.fixture
def port(server: Server) -> int:
    return server.port


def keys_of(s3, bucket: str) -> list[str]:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        out += [o["Key"] for o in page.get("Contents", [])]
    return out


def head_status(s3, bucket: str, key: str) -> int:  # type: ignore[no-untyped-def]
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        return int(exc.response["ResponseMetadata"]["HTTPStatusCode"])
    return 200


def error_code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


def assert_error(reply: Reply | None, status: int, code: str | None) -> None:
    assert reply is not None, "the server closed the connection without an answer"
    assert (reply.status, reply.code) == (status, code), reply


# --------------------------------------------------------------------------- keys


TRAVERSAL_KEYS = ["../../etc/passwd", "a/../../b", "..", ".", "./x", "//x", "x/./y", "../" * 20 + "z",
                  "a/..%2F..%2Fb"]


@pytest.mark.parametrize("key", TRAVERSAL_KEYS)
def test_dot_segment_keys_are_literal_or_refused(s3, bucket, port, guard, key):
    """Sent verbatim (no client normalisation): stored as exactly that key, or refused with a 4xx."""
    body = b"dots " + key.encode()
    req = sign(port, "PUT", f"/{bucket}/{key}", body=body)
    reply = exchange(port, req.raw())
    assert reply is not None and reply.status < 500, reply
    decoded = key.replace("%2F", "/")
    if reply.status == 200:
        assert keys_of(s3, bucket) == [decoded]
        get = sign(port, "GET", f"/{bucket}/{key}")
        got = exchange(port, get.raw())
        assert got is not None and (got.status, got.body) == (200, body), got
    else:
        assert 400 <= reply.status < 500 and reply.code, reply
        assert keys_of(s3, bucket) == []
    guard.check()


@pytest.mark.parametrize("key", ["../../etc/passwd", "a/../../b", "./x", "//x", "/", "a//b/", " ", "..."])
def test_dot_segment_keys_round_trip_through_boto3(s3, bucket, guard, key):
    body = os.urandom(100)
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert keys_of(s3, bucket) == [key]
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    s3.delete_object(Bucket=bucket, Key=key)
    assert keys_of(s3, bucket) == []
    guard.check()


def test_traversal_in_bucket_position_is_invalid_bucket(s3, port, guard):
    before = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    for path in ("/..", "/.", "/%2E%2E", "/.%2E"):
        reply = exchange(port, sign(port, "PUT", path).raw())
        assert_error(reply, 400, "InvalidBucketName")
    # an object in such a "bucket": there is no such bucket, or the name is refused
    for path in ("/../etc/passwd", "/../../tmp/x", "/./x", "/%2E%2E/x"):
        reply = exchange(port, sign(port, "PUT", path, body=b"x").raw())
        assert reply is not None and reply.code in ("InvalidBucketName", "NoSuchBucket"), reply
    assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == before
    guard.check()


def test_key_length_limit(s3, bucket, guard):
    s3.put_object(Bucket=bucket, Key="x" * 1024, Body=b"max")
    assert s3.get_object(Bucket=bucket, Key="x" * 1024)["Body"].read() == b"max"
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="x" * 1025, Body=b"too long")
    assert error_code(exc.value) == "KeyTooLongError"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # 1024 bytes, not characters: 342 three-byte characters are 1026 bytes.
    with pytest.raises(ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="€" * 342, Body=b"too long")
    assert error_code(exc.value) == "KeyTooLongError"
    assert keys_of(s3, bucket) == ["x" * 1024]
    guard.check()


def test_key_with_nul(s3, bucket, port, guard):
    for path in (f"/{bucket}/a%00b", f"/{bucket}/%00", f"/{bucket}/x/%00/../y"):
        reply = exchange(port, sign(port, "PUT", path, body=b"nul").raw())
        assert reply is not None and 400 <= reply.status < 500 and reply.code, reply
        reply = exchange(port, sign(port, "GET", path).raw())
        assert reply is not None and 400 <= reply.status < 500 and reply.code, reply
    # A raw NUL byte in the request line is not HTTP at all.
    raw = f"PUT /{bucket}/a\x00b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nnul".encode()
    reply = exchange(port, raw)
    assert reply is None or reply.status == 400, reply
    assert keys_of(s3, bucket) == []
    guard.check()


def test_key_not_utf8(s3, bucket, port, guard):
    reply = exchange(port, sign(port, "PUT", f"/{bucket}/bad%FF%FEkey", body=b"x").raw())
    assert reply is None or reply.status == 400, reply
    assert keys_of(s3, bucket) == []
    guard.check()


ODD_KEYS = ["ünïcødé/日本語/😀", "with space", "two  spaces ", "a+b", "100%", "100%25", "what?", "a?b=c&d",
            "hash#tag", "tab\tkey", "new\nline", "quote\"'", "<xml>&amp;", "~tilde", "semi;colon",
            "back\\slash", "mixed ?#+%é/ /x"]


def test_odd_keys_round_trip_through_boto3(s3, bucket, guard):
    bodies = {key: os.urandom(64) for key in ODD_KEYS}
    for key, body in bodies.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert sorted(keys_of(s3, bucket)) == sorted(bodies)
    for key, body in bodies.items():
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body, key
        assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] == 64
    listed = s3.list_objects(Bucket=bucket)  # v1 too
    assert sorted(o["Key"] for o in listed["Contents"]) == sorted(bodies)
    guard.check()


def test_plus_in_raw_path_is_a_plus(s3, bucket, port, guard):
    reply = exchange(port, sign(port, "PUT", f"/{bucket}/a+b c", body=b"plus").raw())
    # A raw space is not valid in a request target: refused, or taken literally.
    assert reply is None or reply.status in (200, 400), reply
    reply = exchange(port, sign(port, "PUT", f"/{bucket}/a+b", body=b"plus").raw())
    assert reply is not None and reply.status == 200, reply
    assert "a+b" in keys_of(s3, bucket) and "a b" not in keys_of(s3, bucket)
    guard.check()


def test_copy_source_traversal(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="k", Body=b"keep")
    for source in ("/../../etc/passwd", f"/{bucket}/../../etc/passwd", "../etc/passwd", f"{bucket}/%00",
                   f"/{bucket}/" + "x" * 1025, "/", "", f"/{bucket}", f"/{bucket}/k?versionId=../x",
                   "%ZZ/%FF", f"/{bucket}/missing"):
        req = sign(port, "PUT", f"/{bucket}/copy", headers={"x-amz-copy-source": source})
        reply = exchange(port, req.raw())
        assert reply is not None and 400 <= reply.status < 500 and reply.code, (source, reply)
    assert keys_of(s3, bucket) == ["k"]
    guard.check()


@pytest.mark.parametrize("query", [
    "prefix=%00", "prefix=%FF%FE", "prefix=" + "p" * 5000, "delimiter=" + "d" * 5000, "delimiter=%00",
    "max-keys=-1", "max-keys=abc", "max-keys=99999999999999999999999999", "marker=%00",
    "encoding-type=foo", "list-type=2&continuation-token=", "list-type=2&continuation-token=%21%21%21",
    "list-type=2&continuation-token=%2F%2F8%3D", "list-type=2&continuation-token=AA%3D%3D",
    "list-type=2&start-after=%FF", "list-type=3", "list-type=2&fetch-owner=maybe",
    "prefix=a&prefix=b&prefix=c", "=&=&=", "%00=%00",
])
def test_hostile_listing_parameters(s3, bucket, port, guard, query):
    s3.put_object(Bucket=bucket, Key="k", Body=b"keep")
    reply = exchange(port, sign(port, "GET", f"/{bucket}", query=query).raw())
    assert reply is not None and reply.status < 500, reply
    allowed = {"InvalidArgument", "KeyTooLongError", "InvalidRequest"}
    if "%FF" in query:
        # Not UTF-8: the server decodes it lossily (U+FFFD) before rebuilding the canonical query,
        # so botocore's signature (over the raw %FF) does not verify.  A 4xx either way.
        allowed.add("SignatureDoesNotMatch")
    if reply.status != 200:
        assert reply.code in allowed, reply
    guard.check()


def test_unauthenticated_large_upload_is_refused_promptly(s3, bucket, port, guard):
    """A 50 MiB anonymous PUT (no Expect): 403 without the server reading it all, and no hang."""
    with Conn(port, timeout=10) as c:
        c.send(f"PUT /{bucket}/anon HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Content-Length: {50 << 20}\r\n\r\n".encode())

        def pour() -> None:
            chunk = b"z" * (1 << 20)
            with contextlib.suppress(OSError):
                for _ in range(50):
                    c.sock.sendall(chunk)

        feeder = threading.Thread(target=pour, daemon=True)
        feeder.start()
        try:
            reply = c.reply()
        except ConnectionResetError:
            reply = None
        assert reply is None or (reply.status, reply.code) == (403, "AccessDenied"), reply
        feeder.join(15)
        assert not feeder.is_alive(), "the server neither read nor closed the connection"
    assert keys_of(s3, bucket) == []
    guard.check()


# --------------------------------------------------------------------------- bucket names, paths, methods


BAD_BUCKETS = ["UPPERCASE", "Mixed-Case", "under_score", "ab", "a", "a" * 64, "192.168.1.1", "10.0.0.255",
               "a..b", "..", "-leading", "trailing-", ".dot", "dot.", "a.-b", "xn--punycode", "sp ace",
               "%C3%BCmlaut", "%00nul"]


@pytest.mark.parametrize("name", BAD_BUCKETS)
def test_invalid_bucket_name(s3, port, guard, name):
    before = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    reply = exchange(port, sign(port, "PUT", f"/{name}").raw())
    if " " in name:  # not a valid request target at all
        assert reply is None or reply.status == 400, reply
    else:
        assert_error(reply, 400, "InvalidBucketName")
    assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == before
    # Writing into it is refused too, and stores nothing anywhere.
    if " " not in name:
        reply = exchange(port, sign(port, "PUT", f"/{name}/key", body=b"x").raw())
        assert reply is not None and reply.code in ("InvalidBucketName", "NoSuchBucket"), reply
    guard.check()


def test_bucket_name_limits_that_work(s3, guard):
    for name in ("abc", "a" * 63, "a.b-c.1"):
        s3.create_bucket(Bucket=name)
        s3.head_bucket(Bucket=name)
        s3.delete_bucket(Bucket=name)
    guard.check()


def test_service_root(port, guard):
    reply = exchange(port, sign(port, "GET", "/").raw())
    assert reply is not None and reply.status == 200 and b"ListAllMyBucketsResult" in reply.body, reply
    for method in ("PUT", "DELETE", "POST"):
        reply = exchange(port, sign(port, method, "/").raw())
        assert_error(reply, 405, "MethodNotAllowed")
    reply = exchange(port, sign(port, "GET", "//").raw())  # still the service
    assert reply is not None and reply.status == 200, reply
    reply = exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert_error(reply, 403, "AccessDenied")
    guard.check()


@pytest.mark.parametrize("method, expected", [("PATCH", 405), ("TRACE", 400), ("CONNECT", 400),
                                              ("PROPFIND", 400), ("FOO", 400), ("get", 400)])
def test_weird_methods(s3, bucket, port, guard, method, expected):
    s3.put_object(Bucket=bucket, Key="k", Body=b"keep")
    for path in ("/", f"/{bucket}", f"/{bucket}/k"):
        reply = exchange(port, sign(port, method, path).raw())
        assert reply is not None and reply.status == expected and reply.code, (path, reply)
        unsigned = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode()
        reply = exchange(port, unsigned)
        assert reply is not None and reply.status in (expected, 403), (path, reply)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"keep"
    guard.check()


def test_method_not_allowed_carries_allow(s3, bucket, port, guard):
    for raw in (f"PATCH /{bucket}/k HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode(),
                b"POST /minio/health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"):
        reply = exchange(port, raw)
        assert_error(reply, 405, "MethodNotAllowed")
        assert "allow" in reply.headers, reply.headers  # type: ignore[union-attr]
    guard.check()


@pytest.mark.parametrize("target", ["*", "http://127.0.0.1/x", "127.0.0.1:443", "/?", "/??&&==",
                                    "/%", "/%zz", "/a?%", "/a?acl&acl", "/" + "a" * 8000])
def test_weird_targets(port, guard, target):
    for method in ("GET", "OPTIONS", "PUT"):
        raw = f"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode()
        reply = exchange(port, raw)
        assert reply is None or 400 <= reply.status < 500, (method, reply)
    guard.check()


# --------------------------------------------------------------------------- XML bodies


def _delete_objects(port: int, bucket: str, body: bytes, md5: bool = True) -> Reply | None:
    headers = {"Content-MD5": content_md5(body)} if md5 else {}
    req = sign(port, "POST", f"/{bucket}", query="delete", body=body, headers=headers,
               payload="UNSIGNED-PAYLOAD")
    with Conn(port, timeout=10) as c:
        c.send(req.raw(), tolerate_reset=True)
        return c.reply()


def _keys_xml(keys: list[str]) -> bytes:
    return ("<Delete>" + "".join(f"<Object><Key>{k}</Key></Object>" for k in keys) + "</Delete>").encode()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'.encode() for i in range(1, 10))
          + b"]><Delete><Object><Key>&lol9;</Key></Object></Delete>")

BAD_DELETE_BODIES = {
    "not-xml": b"this is not xml at all",
    "empty": b"",
    "truncated": b"<Delete><Object><Key>k0</Key></Object>",
    "wrong-root": b"<Remove><Object><Key>k0</Key></Object></Remove>",
    "no-objects": b"<Delete><Quiet>true</Quiet></Delete>",
    "object-without-key": b"<Delete><Object><VersionId>x</VersionId></Object></Delete>",
    "two-keys-in-object": b"<Delete><Object><Key>k0</Key><Key>k1</Key></Object></Delete>",
    "bad-quiet": b"<Delete><Quiet>maybe</Quiet><Object><Key>k0</Key></Object></Delete>",
    "billion-laughs": LAUGHS,
    "external-entity": (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b"<Delete><Object><Key>&x;</Key></Object></Delete>"),
    "parameter-entity": (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x">'
                         b"%p;]><Delete><Object><Key>k0</Key></Object></Delete>"),
    "undeclared-entity": b"<Delete><Object><Key>&k0;</Key></Object></Delete>",
    "deep-nesting": b"<Delete>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Delete>",
    "invalid-utf8": b"<Delete><Object><Key>k0\xff\xfe</Key></Object></Delete>",
    "1001-keys": _keys_xml([f"k{i % 5}" for i in range(1001)]),
}


@pytest.mark.parametrize("case", list(BAD_DELETE_BODIES))
def test_delete_objects_malformed(s3, bucket, port, guard, case):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"keep")
    reply = _delete_objects(port, bucket, BAD_DELETE_BODIES[case])
    assert_error(reply, 400, "MalformedXML")
    assert sorted(keys_of(s3, bucket)) == [f"k{i}" for i in range(5)]
    guard.check()


def test_delete_objects_oversized_body(s3, bucket, port, guard):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"keep")
    filler = "<!--" + "x" * (3 << 20) + "-->"
    body = (f"<Delete>{filler}<Object><Key>k0</Key></Object></Delete>").encode()
    reply = _delete_objects(port, bucket, body)
    assert reply is not None, "closed without an answer"
    assert reply.status == 400 and reply.code in ("MalformedXML", "MaxMessageLengthExceeded"), reply
    assert sorted(keys_of(s3, bucket)) == [f"k{i}" for i in range(5)]
    guard.check()


def test_delete_objects_needs_a_digest_and_a_matching_one(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="k0", Body=b"keep")
    body = _keys_xml(["k0"])
    reply = _delete_objects(port, bucket, body, md5=False)
    assert_error(reply, 400, "InvalidRequest")
    req = sign(port, "POST", f"/{bucket}", query="delete", body=body,
               headers={"Content-MD5": content_md5(b"other")})
    assert_error(exchange(port, req.raw()), 400, "BadDigest")
    assert keys_of(s3, bucket) == ["k0"]
    # and the same body, well formed and digested, does delete
    reply = _delete_objects(port, bucket, body)
    assert reply is not None and reply.status == 200 and b"<Deleted>" in reply.body, reply
    assert keys_of(s3, bucket) == []
    guard.check()


def test_delete_objects_1000_keys_is_fine(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="k0", Body=b"x")
    reply = _delete_objects(port, bucket, _keys_xml([f"k{i}" for i in range(1000)]))
    assert reply is not None and reply.status == 200, reply
    assert keys_of(s3, bucket) == []
    guard.check()


@pytest.mark.parametrize("body", [b"garbage", b"<CreateBucketConfiguration>", b"<Wrong/>",
                                  b"<CreateBucketConfiguration><LocationConstraint>a</LocationConstraint>"
                                  b"<LocationConstraint>b</LocationConstraint></CreateBucketConfiguration>",
                                  LAUGHS.replace(b"Delete", b"CreateBucketConfiguration")],
                         ids=["garbage", "unclosed", "wrong-root", "two-locations", "billion-laughs"])
def test_create_bucket_garbage_xml(s3, port, guard, body):
    name = f"garbage-{uuid.uuid4().hex[:8]}"
    reply = exchange(port, sign(port, "PUT", f"/{name}", body=body).raw())
    assert_error(reply, 400, "MalformedXML")
    assert name not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    guard.check()


# --------------------------------------------------------------------------- bodies


def _truncated_uploads(port: int, bucket: str) -> list[Reply | None]:
    """Bodies that stop early, the client half-closing: plain, signed-hash, HTTP chunked, aws-chunked."""
    replies = []
    for key, payload in (("new", "UNSIGNED-PAYLOAD"), ("old", "UNSIGNED-PAYLOAD"),
                         ("new", hashlib.sha256(b"y" * 100).hexdigest())):
        req = sign(port, "PUT", f"/{bucket}/{key}", payload=payload)
        replies.append(exchange(port, req.head(content_length=100) + b"y" * 50, half_close=True))
    req = sign(port, "PUT", f"/{bucket}/new", payload="UNSIGNED-PAYLOAD")
    replies.append(exchange(port, req.head(content_length=None, Transfer_Encoding="chunked")
                            + b"10000\r\n" + b"y" * 5000, half_close=True))
    whole = aws_chunked(port, f"/{bucket}/new", os.urandom(100_000))
    replies.append(exchange(port, whole[: len(whole) * 2 // 3], half_close=True))
    return replies


def test_truncated_bodies(s3, bucket, port, guard):
    """A body that stops early (the client half-closes): IncompleteBody or a close, no new key,
    the old version intact, no staging left behind, nothing in the log."""
    s3.put_object(Bucket=bucket, Key="old", Body=b"old version")
    for reply in _truncated_uploads(port, bucket):
        assert reply is None or (reply.status, reply.code) == (400, "IncompleteBody"), reply
    assert head_status(s3, bucket, "new") == 404
    assert keys_of(s3, bucket) == ["old"]
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"old version"
    guard.check()


def test_body_longer_than_content_length_is_not_a_request(s3, bucket, port, guard):
    """Bytes past Content-Length are the next request: an unsigned one does nothing."""
    s3.put_object(Bucket=bucket, Key="victim", Body=b"still here")
    smuggled = f"DELETE /{bucket}/victim HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".encode()
    req = sign(port, "PUT", f"/{bucket}/short", payload=hashlib.sha256(b"0123456789").hexdigest())
    with Conn(port) as c:
        c.send(req.head(content_length=10) + b"0123456789" + smuggled)
        first = c.reply()
        assert first is not None and first.status == 200, first
        second = c.reply()
        assert second is None or (second.status, second.code) == (403, "AccessDenied"), second
    # ten bytes of garbage after the body: a 400 (or a close), nothing else
    req = sign(port, "PUT", f"/{bucket}/short2", payload="UNSIGNED-PAYLOAD")
    with Conn(port) as c:
        c.send(req.head(content_length=10) + b"0123456789" + b"ABCDEFGHIJ\r\n\r\n")
        first = c.reply()
        assert first is not None and first.status == 200, first
        second = c.reply()
        assert second is None or second.status == 400, second
    assert s3.get_object(Bucket=bucket, Key="victim")["Body"].read() == b"still here"
    assert s3.get_object(Bucket=bucket, Key="short")["Body"].read() == b"0123456789"
    assert s3.get_object(Bucket=bucket, Key="short2")["Body"].read() == b"0123456789"
    assert sorted(keys_of(s3, bucket)) == ["short", "short2", "victim"]
    guard.check()


def test_conflicting_content_lengths(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="victim", Body=b"still here")
    smuggled = f"DELETE /{bucket}/victim HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".encode()
    req = sign(port, "PUT", f"/{bucket}/cl2", payload="UNSIGNED-PAYLOAD")
    with Conn(port) as c:
        c.send(req.head(content_length=None, Content_Length="5")[:-2] + b"Content-Length: 50\r\n\r\n"
               + b"x" * 50 + smuggled, tolerate_reset=True)
        assert_error(c.reply(), 400, "BadRequest")
        assert c.reply() is None, "the connection must close after an unparseable request"
    assert s3.get_object(Bucket=bucket, Key="victim")["Body"].read() == b"still here"
    assert keys_of(s3, bucket) == ["victim"]
    guard.check()


def test_transfer_encoding_with_content_length(s3, bucket, port, guard):
    """Both Transfer-Encoding and Content-Length: refused and closed (RFC 9112 6.1)."""
    s3.put_object(Bucket=bucket, Key="victim", Body=b"still here")
    smuggled = f"DELETE /{bucket}/victim HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".encode()
    req = sign(port, "PUT", f"/{bucket}/te", payload="UNSIGNED-PAYLOAD")
    with Conn(port) as c:
        c.send(req.head(content_length=4, Transfer_Encoding="chunked") + b"5\r\nhello\r\n0\r\n\r\n"
               + smuggled, tolerate_reset=True)
        # RFC 9112 6.1: ambiguous framing (the classic smuggling vector) is refused, and the
        # connection closed after the answer, so the bytes behind it are never a request.
        assert_error(c.reply(), 400, "BadRequest")
        second = c.reply()
        assert second is None, f"the connection stayed open and served {second}"
    assert "te" not in keys_of(s3, bucket)
    assert s3.get_object(Bucket=bucket, Key="victim")["Body"].read() == b"still here"
    guard.check()


def test_http_chunked_upload(s3, bucket, port, guard):
    data = os.urandom(300_000)
    req = sign(port, "PUT", f"/{bucket}/chunked", payload="UNSIGNED-PAYLOAD")
    body = b""
    for i in range(0, len(data), 70_001):
        piece = data[i:i + 70_001]
        body += f"{len(piece):x};ext=1\r\n".encode() + piece + b"\r\n"
    body += b"0\r\n\r\n"
    reply = exchange(port, req.head(content_length=None, Transfer_Encoding="chunked") + body)
    assert reply is not None and reply.status == 200, reply
    assert reply.headers["etag"] == f'"{hashlib.md5(data).hexdigest()}"'
    assert s3.get_object(Bucket=bucket, Key="chunked")["Body"].read() == data
    assert keys_of(s3, bucket) == ["chunked"]
    guard.check()


def test_http_chunked_garbage_is_400(s3, bucket, port, guard):
    """A chunk size that is not hex: a 400 (or a close), nothing stored."""
    req = sign(port, "PUT", f"/{bucket}/chunked-bad", payload="UNSIGNED-PAYLOAD")
    garbage = b"zz\r\nabc\r\n0\r\n\r\n"
    reply = exchange(port, req.head(content_length=None, Transfer_Encoding="chunked") + garbage)
    assert reply is None or reply.status == 400, reply
    assert keys_of(s3, bucket) == []
    guard.check()


def test_aws_chunked_signed_upload(s3, bucket, port, guard):
    data = os.urandom(200_000)
    reply = exchange(port, aws_chunked(port, f"/{bucket}/streamed", data))
    assert reply is not None and reply.status == 200, reply
    assert reply.headers["etag"] == f'"{hashlib.md5(data).hexdigest()}"'
    assert s3.get_object(Bucket=bucket, Key="streamed")["Body"].read() == data
    empty = aws_chunked(port, f"/{bucket}/empty", b"")
    reply = exchange(port, empty)
    assert reply is not None and reply.status == 200, reply
    assert s3.get_object(Bucket=bucket, Key="empty")["Body"].read() == b""
    guard.check()


@pytest.mark.parametrize("flip", [0, 2, -1], ids=["first-chunk", "middle-chunk", "final-chunk"])
def test_aws_chunked_bad_chunk_signature(s3, bucket, port, guard, flip):
    s3.put_object(Bucket=bucket, Key="old", Body=b"old version")
    data = os.urandom(200_000)
    for key in ("new", "old"):
        reply = exchange(port, aws_chunked(port, f"/{bucket}/{key}", data, flip=flip))
        assert_error(reply, 403, "SignatureDoesNotMatch")
    assert head_status(s3, bucket, "new") == 404
    assert keys_of(s3, bucket) == ["old"]
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"old version"
    guard.check()


def test_aws_chunked_garbled(s3, bucket, port, guard):
    data = os.urandom(100_000)
    cases = []
    head, _, body = aws_chunked(port, f"/{bucket}/garbled", data).partition(b"\r\n\r\n")
    cases.append(head + b"\r\n\r\n" + b"zz" + body[2:])  # not a hex size
    cases.append(head + b"\r\n\r\n" + body.replace(b"\r\n", b"\n", 1)[:-1] + b"!")  # bare LF
    head, _, body = aws_chunked(port, f"/{bucket}/garbled", data).partition(b"\r\n\r\n")
    cut = body.index(b";chunk-signature=")
    cases.append(head + b"\r\n\r\n" + body[:cut] + b";chunk-signature=XYZ" + body[cut + 81:] + b"   ")
    for raw in cases:
        reply = exchange(port, raw)
        assert reply is not None and reply.status in (400, 403) and reply.code in (
            "IncompleteBody", "SignatureDoesNotMatch"), reply
    # the decoded length disagreeing with the chunks
    req = aws_chunked(port, f"/{bucket}/garbled", data).replace(
        b"x-amz-decoded-content-length: 100000", b"x-amz-decoded-content-length: 99999")
    reply = exchange(port, req)
    assert reply is not None and reply.status in (400, 403), reply
    assert keys_of(s3, bucket) == []
    guard.check()


def _abandon_upload(port: int, bucket: str, key: str, abrupt: bool) -> None:
    req = sign(port, "PUT", f"/{bucket}/{key}", payload="UNSIGNED-PAYLOAD")
    c = Conn(port)
    c.send(req.head(content_length=20 << 20))
    chunk = os.urandom(1 << 20)
    for _ in range(6):
        c.send(chunk)
    if abrupt:  # RST instead of FIN
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    c.close()


def test_disconnect_mid_upload(s3, bucket, port, guard, server):
    """A client gone 6 MiB into a 20 MiB upload (FIN or RST): the key never appears, the old
    version stays, staging is swept at once, and nothing is logged as an internal error."""
    s3.put_object(Bucket=bucket, Key="old", Body=b"old version")
    for key, abrupt in (("big", False), ("big2", True), ("old", True), ("old", False)):
        _abandon_upload(port, bucket, key, abrupt)
    deadline = time.monotonic() + 5
    while staging_leftovers(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert staging_leftovers(server) == []
    assert head_status(s3, bucket, "big") == 404 and head_status(s3, bucket, "big2") == 404
    assert keys_of(s3, bucket) == ["old"]
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"old version"
    guard.check()


def test_content_sha256_mismatch(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="old", Body=b"old version")
    wrong = hashlib.sha256(b"something else").hexdigest()
    for key, size in (("new", 10), ("old", 10), ("big", 3 << 20)):
        req = sign(port, "PUT", f"/{bucket}/{key}", body=os.urandom(size), payload=wrong)
        with Conn(port, timeout=10) as c:
            c.send(req.raw(), tolerate_reset=True)
            assert_error(c.reply(), 400, "XAmzContentSHA256Mismatch")
    # An invalid value is refused up front.
    req = sign(port, "PUT", f"/{bucket}/new", body=b"x", payload="not-a-hash")
    assert_error(exchange(port, req.raw()), 400, "InvalidArgument")
    assert keys_of(s3, bucket) == ["old"]
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"old version"
    # XML bodies are checked too
    body = _keys_xml(["old"])
    req = sign(port, "POST", f"/{bucket}", query="delete", body=body, payload=wrong,
               headers={"Content-MD5": content_md5(body)})
    assert_error(exchange(port, req.raw()), 400, "XAmzContentSHA256Mismatch")
    assert keys_of(s3, bucket) == ["old"]
    guard.check()


@pytest.mark.parametrize("md5, code", [("not base64!", "InvalidDigest"), ("AAAA", "InvalidDigest"),
                                       ("", "InvalidDigest"), (content_md5(b"other"), "BadDigest")])
def test_content_md5(s3, bucket, port, guard, md5, code):
    s3.put_object(Bucket=bucket, Key="old", Body=b"old version")
    for key in ("new", "old"):
        req = sign(port, "PUT", f"/{bucket}/{key}", body=b"payload", headers={"Content-MD5": md5})
        assert_error(exchange(port, req.raw()), 400, code)
    assert keys_of(s3, bucket) == ["old"]
    assert s3.get_object(Bucket=bucket, Key="old")["Body"].read() == b"old version"
    guard.check()


def test_put_without_length(s3, bucket, port, guard):
    req = sign(port, "PUT", f"/{bucket}/nolength", payload="UNSIGNED-PAYLOAD")
    reply = exchange(port, req.head(content_length=None), half_close=True)
    # No Content-Length and no Transfer-Encoding: S3 refuses a PUT as MissingContentLength.
    assert_error(reply, 411, "MissingContentLength")
    req = sign(port, "PUT", f"/{bucket}/neg", payload="UNSIGNED-PAYLOAD")
    reply = exchange(port, req.head(content_length=None, Content_Length="-1"))
    assert reply is None or reply.status == 400, reply
    assert "neg" not in keys_of(s3, bucket)
    guard.check()


# --------------------------------------------------------------------------- auth


def test_no_authorization_is_access_denied_everywhere(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="k", Body=b"keep")
    newbucket = f"anon-{uuid.uuid4().hex[:8]}"
    xml = _keys_xml(["k"])
    cases = [
        ("GET", "/", b"", {}), ("PUT", f"/{newbucket}", b"", {}), ("HEAD", f"/{bucket}", b"", {}),
        ("GET", f"/{bucket}", b"", {}), ("GET", f"/{bucket}?list-type=2", b"", {}),
        ("GET", f"/{bucket}?location", b"", {}), ("GET", f"/{bucket}?acl", b"", {}),
        ("DELETE", f"/{bucket}", b"", {}), ("GET", f"/{bucket}/k", b"", {}),
        ("HEAD", f"/{bucket}/k", b"", {}),
        ("PUT", f"/{bucket}/k", b"overwritten", {}), ("PUT", f"/{bucket}/new", b"new", {}),
        ("DELETE", f"/{bucket}/k", b"", {}),
        ("POST", f"/{bucket}?delete", xml, {"Content-MD5": content_md5(xml)}),
        ("PUT", f"/{bucket}/copy", b"", {"x-amz-copy-source": f"/{bucket}/k"}),
        ("POST", f"/{bucket}/k?uploads", b"", {}),
        ("GET", "/minio/admin/v3/info", b"", {}), ("GET", "/cairn/anything", b"", {}),
    ]
    for method, target, body, headers in cases:
        extra = "".join(f"{n}: {v}\r\n" for n, v in headers.items())
        raw = (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        reply = exchange(port, raw, head=method == "HEAD")
        assert reply is not None and reply.status == 403, (method, target, reply)
        if method != "HEAD":
            assert reply.code == "AccessDenied", (method, target, reply)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"keep"
    assert keys_of(s3, bucket) == ["k"]
    assert newbucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    guard.check()


def test_presigned_urls(s3, bucket, port, guard):
    s3.put_object(Bucket=bucket, Key="k", Body=b"presigned")

    def get(target: str, method: str = "GET", body: bytes = b"") -> Reply | None:
        return exchange(port, f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                              f"Content-Length: {len(body)}\r\n\r\n".encode() + body)

    target = presign(port, "GET", f"/{bucket}/k")
    reply = get(target)
    assert reply is not None and (reply.status, reply.body) == (200, b"presigned"), reply
    # boto3's own presigned URL works too
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=60)
    reply = get(url.split(f"127.0.0.1:{port}", 1)[1])
    assert reply is not None and (reply.status, reply.body) == (200, b"presigned"), reply
    # expired: signed two hours ago for one hour
    old = presign(port, "GET", f"/{bucket}/k", expires=3600, at=datetime.now(UTC) - timedelta(hours=2))
    reply = get(old)
    assert_error(reply, 403, "AccessDenied")
    assert b"expired" in reply.body  # type: ignore[union-attr]
    # not yet valid: signed for an hour from now
    future = presign(port, "GET", f"/{bucket}/k", expires=60, at=datetime.now(UTC) + timedelta(hours=1))
    assert_error(get(future), 403, "AccessDenied")
    # altered signature, and the signature's last digit changed
    sig = re.search(r"X-Amz-Signature=([0-9a-f]+)", target).group(1)  # type: ignore[union-attr]
    assert_error(get(target.replace(sig, sig[::-1])), 403, "SignatureDoesNotMatch")
    assert_error(get(target.replace(sig, sig[:-1] + ("0" if sig[-1] != "0" else "1"))), 403,
                 "SignatureDoesNotMatch")
    # a longer lifetime than was signed
    assert_error(get(target.replace("X-Amz-Expires=60", "X-Amz-Expires=600")), 403, "SignatureDoesNotMatch")
    # a presigned GET does not authorise a PUT, nor another key
    assert_error(get(target, "PUT", b"bad"), 403, "SignatureDoesNotMatch")
    assert_error(get(target.replace("/k?", "/other?")), 403, "SignatureDoesNotMatch")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"presigned"
    assert keys_of(s3, bucket) == ["k"]
    guard.check()


@pytest.mark.parametrize("minutes", [-20, 20])
def test_clock_skew(s3, bucket, port, guard, minutes):
    at = datetime.now(UTC) + timedelta(minutes=minutes)
    req = sign(port, "PUT", f"/{bucket}/skewed", body=b"x", at=at)
    assert_error(exchange(port, req.raw()), 403, "RequestTimeTooSkewed")
    req = sign(port, "GET", f"/{bucket}", at=at)
    assert_error(exchange(port, req.raw()), 403, "RequestTimeTooSkewed")
    # within the 15 minutes it is fine
    req = sign(port, "GET", f"/{bucket}", at=datetime.now(UTC) + timedelta(minutes=minutes // 2))
    reply = exchange(port, req.raw())
    assert reply is not None and reply.status == 200, reply
    assert keys_of(s3, bucket) == []
    guard.check()


def _sigv2(port: int, method: str, path: str, body: bytes = b"", secret: str = SECRET_KEY,
           access_key: str = ACCESS_KEY) -> bytes:
    request = AWSRequest(method=method, url=f"http://127.0.0.1:{port}{path}",
                         headers={"Host": f"127.0.0.1:{port}"}, data=body)
    HmacV1Auth(Credentials(access_key, secret)).add_auth(request)
    lines = [f"{method} {path} HTTP/1.1", *(f"{n}: {v}" for n, v in request.headers.items()),
             f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_sigv2(s3, bucket, port, guard):
    reply = exchange(port, _sigv2(port, "PUT", f"/{bucket}/v2", b"sigv2"))
    assert reply is not None and reply.status == 200, reply
    reply = exchange(port, _sigv2(port, "PUT", f"/{bucket}/v2bad", b"bad", secret="wrong-secret"))
    assert_error(reply, 403, "SignatureDoesNotMatch")
    now = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())
    raw = (f"PUT /{bucket}/v2bad HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nDate: {now}\r\n"
           f"Authorization: AWS {ACCESS_KEY}:AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n"
           "Content-Length: 3\r\n\r\nbad").encode()
    assert_error(exchange(port, raw), 403, "SignatureDoesNotMatch")
    reply = exchange(port, _sigv2(port, "PUT", f"/{bucket}/v2bad", b"bad", access_key="nobody"))
    assert_error(reply, 403, "InvalidAccessKeyId")
    for authz in ("AWS", "AWS ", f"AWS {ACCESS_KEY}", "AWS :", "Bearer xyz", "AWS4-HMAC-SHA256 garbage"):
        raw = (f"GET /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nDate: x\r\nx-amz-content-sha256: "
               f"UNSIGNED-PAYLOAD\r\nAuthorization: {authz}\r\n\r\n").encode()
        reply = exchange(port, raw)
        assert reply is not None and reply.status in (400, 403) and reply.code, (authz, reply)
    assert keys_of(s3, bucket) == ["v2"]
    guard.check()


def test_unknown_access_key(s3, bucket, port, guard):
    req = sign(port, "PUT", f"/{bucket}/k", body=b"x", access_key="nobody", secret="whatever-secret")
    assert_error(exchange(port, req.raw()), 403, "InvalidAccessKeyId")
    req = sign(port, "PUT", f"/{bucket}/k", body=b"x", secret="wrong-secret-key")
    assert_error(exchange(port, req.raw()), 403, "SignatureDoesNotMatch")
    other = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id="nobody",
                         aws_secret_access_key="whatever", region_name="us-east-1",
                         config=Config(retries={"max_attempts": 1}))
    with pytest.raises(ClientError) as exc:
        other.list_buckets()
    assert error_code(exc.value) == "InvalidAccessKeyId"
    assert keys_of(s3, bucket) == []
    guard.check()


def test_health_without_auth(port, guard):
    for path in ("/minio/health/live", "/minio/health/ready", "/minio/health/cluster"):
        for method in ("GET", "HEAD"):
            raw = f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
            reply = exchange(port, raw, head=method == "HEAD")
            assert reply is not None and reply.status == 200, (method, path, reply)
        reply = exchange(port, f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".encode())
        assert_error(reply, 405, "MethodNotAllowed")
        # garbage credentials do not break a probe
        reply = exchange(port, f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: AWS a:b\r\n\r\n".encode())
        assert reply is not None and reply.status == 200, reply
    guard.check()


# --------------------------------------------------------------------------- HTTP framing


def test_too_many_headers(s3, bucket, port, guard):
    many = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"a: b\r\n" * 40000 + b"\r\n"
    with Conn(port) as c:
        c.send(many, tolerate_reset=True)
        reply = c.reply()
        assert reply is None or reply.status in (400, 431), reply
    # a head that arrives slowly and grows past the limit
    with Conn(port) as c:
        c.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        try:
            for _ in range(200):
                c.sock.sendall(b"X-Slow: " + b"a" * 1000 + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = c.reply()
        assert reply is None or reply.status in (400, 431), reply
    guard.check()


def test_oversized_headers(s3, bucket, port, guard):
    """100 KiB of header arriving in one piece: 431 (or 400) and a close, nothing stored."""
    head = sign(port, "PUT", f"/{bucket}/big-head", body=b"x").head()
    bloated = head[:-2] + b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000) for i in range(100)) + b"\r\n"
    one_huge = head[:-2] + b"X-Huge: " + b"a" * (100 << 10) + b"\r\n\r\n"
    for raw in (bloated, one_huge):
        with Conn(port) as c:
            c.send(raw + b"x", tolerate_reset=True)
            reply = c.reply()
            assert reply is None or reply.status in (400, 431), reply
    assert keys_of(s3, bucket) == []
    guard.check()


@pytest.mark.parametrize("raw", [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 100,  # a TLS ClientHello
    b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET / FOO/1.1\r\n\r\n",
    b"GET  /  HTTP/1.1\r\n\r\n", b"\r\n\r\n\r\n\r\n", b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
    b"GET / HTTP/1.1\r\n: novalue\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", b"GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n", b"\xff\xfe\xfd\r\n\r\n",
], ids=lambda raw: repr(raw[:20]))
def test_garbage_request_line(port, guard, raw):
    reply = exchange(port, raw)
    assert reply is None or 400 <= reply.status < 500, reply
    if reply is not None and reply.status == 400:
        assert reply.code == "BadRequest", reply
    guard.check()


def test_slowloris_does_not_block_others(s3, bucket, port, guard):
    """Clients that stop half way through a head, or a body, do not hold up anyone else."""
    s3.put_object(Bucket=bucket, Key="k", Body=b"served")
    slow: list[Conn] = []
    try:
        for _ in range(30):
            c = Conn(port)
            c.send(b"PUT /" + bucket.encode() + b"/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
            slow.append(c)
        stalled = Conn(port)  # and one that stalls inside a body
        stalled_req = sign(port, "PUT", f"/{bucket}/stalled", payload="UNSIGNED-PAYLOAD")
        stalled.send(stalled_req.head(content_length=1000) + b"x" * 10)
        errors: list[BaseException] = []

        def normal() -> None:
            try:
                client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}",
                                      aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                      region_name="us-east-1",
                                      config=Config(retries={"max_attempts": 1}, read_timeout=5,
                                                    connect_timeout=5))
                for i in range(5):
                    assert client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"served"
                    client.put_object(Bucket=bucket, Key=f"n{threading.get_ident()}-{i}", Body=b"n")
            except BaseException as exc:
                errors.append(exc)

        started = time.monotonic()
        threads = [threading.Thread(target=normal) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert not errors, errors
        assert time.monotonic() - started < 10
        # the stalled body then completes normally
        stalled.send(b"x" * 990)
        reply = stalled.reply()
        assert reply is not None and reply.status == 200, reply
        stalled.close()
    finally:
        for c in slow:
            c.close()
    keys = keys_of(s3, bucket)
    assert "slow" not in keys and "stalled" in keys and len(keys) == 22
    guard.check()


def test_pipelined_requests(s3, bucket, port, guard):
    """Several requests written at once on one connection are answered in order."""
    reqs = [sign(port, "PUT", f"/{bucket}/p{i}", body=f"body{i}".encode()) for i in range(5)]
    reqs.append(sign(port, "GET", f"/{bucket}/p3"))
    with Conn(port) as c:
        c.send(b"".join(r.raw() for r in reqs))
        replies = [c.reply() for _ in reqs]
    assert all(r is not None and r.status == 200 for r in replies), replies
    assert replies[-1].body == b"body3"  # type: ignore[union-attr]
    assert sorted(keys_of(s3, bucket)) == [f"p{i}" for i in range(5)]
    guard.check()


def test_expect_100_continue_refused_early(s3, bucket, port, guard):
    """A refused upload with Expect: 100-continue is answered without waiting for the body."""
    req = sign(port, "PUT", f"/{bucket}/x" * 1, body=b"", headers={"Expect": "100-continue"},
               payload="UNSIGNED-PAYLOAD", secret="wrong-secret-key")
    with Conn(port) as c:
        c.send(req.head(content_length=50 << 20))
        assert_error(c.reply(), 403, "SignatureDoesNotMatch")
    assert keys_of(s3, bucket) == []
    guard.check()


def test_stalled_uploads_do_not_starve_other_requests(s3, bucket, port, guard):
    """More uploads than the server has engine threads (32) stall mid-body: the engine waits for
    their bytes from threads of their own limit, so other requests are still answered at once;
    closing the connections aborts the uploads and leaves no staging behind."""
    conns = []
    try:
        for i in range(70):
            req = sign(port, "PUT", f"/{bucket}/stalled-{i}", payload="UNSIGNED-PAYLOAD")
            c = Conn(port)
            conns.append(c)
            c.send(req.head(content_length=4 << 20) + b"s" * (1536 << 10))  # 1.5 MiB of 4, then nothing
        time.sleep(1.0)  # every upload's engine call is waiting for its next MiB
        started = time.monotonic()
        s3.head_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="small", Body=b"not stuck")
        assert s3.get_object(Bucket=bucket, Key="small")["Body"].read() == b"not stuck"
        assert time.monotonic() - started < 5.0
    finally:
        for c in conns:
            c.close()
    assert keys_of(s3, bucket) == ["small"]
    guard.check(tmp_wait=15.0)


def test_still_healthy_afterwards(s3, server, guard):
    """After everything above: the server still answers a normal round trip."""
    name = f"final-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="k", Body=b"fine")
    assert s3.get_object(Bucket=name, Key="k")["Body"].read() == b"fine"
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    assert server.process.poll() is None
    guard.check()


def test_whole_log_has_no_traceback(server):
    """Over the whole module (every case above, on this server): no internal error at all."""
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-5000:]
    assert "internal error" not in log, log[-5000:]


# --------------------------------------------------------------------------- multipart


BAD_COMPLETE_BODIES = {
    "garbage": b"garbage",
    "no-parts": b"<CompleteMultipartUpload></CompleteMultipartUpload>",
    "part-without-etag": b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part>"
                         b"</CompleteMultipartUpload>",
    "part-number-text": b"<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part>"
                        b"</CompleteMultipartUpload>",
    "billion-laughs": LAUGHS.replace(b"Delete", b"CompleteMultipartUpload"),
    "deep-nesting": b"<CompleteMultipartUpload>" + b"<a>" * 5000 + b"</a>" * 5000
                    + b"</CompleteMultipartUpload>",
}


@pytest.mark.parametrize("case", list(BAD_COMPLETE_BODIES))
def test_complete_multipart_malformed(s3, bucket, port, guard, case):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"part")
    reply = exchange(port, sign(port, "POST", f"/{bucket}/mp", query=f"uploadId={uid}",
                                body=BAD_COMPLETE_BODIES[case]).raw())
    assert_error(reply, 400, "MalformedXML")
    assert head_status(s3, bucket, "mp") == 404
    assert [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)["Parts"]] == [1]
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid)
    guard.check()


@pytest.mark.parametrize(("query", "status", "code"), [
    ("uploadId=..%2F..%2F..%2Fetc&partNumber=1", 404, "NoSuchUpload"),
    ("uploadId=%00&partNumber=1", 404, "NoSuchUpload"),
    ("uploadId=UPLOAD&partNumber=0", 400, "InvalidArgument"),
    ("uploadId=UPLOAD&partNumber=10001", 400, "InvalidArgument"),
    ("uploadId=UPLOAD&partNumber=x", 400, "InvalidArgument"),
], ids=["traversal-id", "nul-id", "part-0", "part-10001", "part-x"])
def test_upload_part_bad_ids_and_numbers(s3, bucket, port, guard, query, status, code):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    req = sign(port, "PUT", f"/{bucket}/mp", query=query.replace("UPLOAD", uid), body=b"data")
    assert_error(exchange(port, req.raw()), status, code)
    assert s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid).get("Parts", []) == []
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid)
    guard.check()


def test_upload_part_truncated_or_abandoned_stores_nothing(s3, bucket, port, guard):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    req = sign(port, "PUT", f"/{bucket}/mp", query=f"uploadId={uid}&partNumber=1", payload="UNSIGNED-PAYLOAD")
    reply = exchange(port, req.head(content_length=3 << 20) + b"y" * (1 << 20), half_close=True)
    assert reply is None or reply.status == 400, reply
    with Conn(port) as c:  # a client that vanishes in the middle of a part
        c.send(req.head(content_length=3 << 20) + b"z" * (2 << 20))
    assert s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid).get("Parts", []) == []
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid)
    guard.check()
