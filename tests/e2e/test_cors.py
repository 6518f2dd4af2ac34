"""CORS against a real server: Put/Get/DeleteBucketCors with boto3, preflights and the CORS
headers of actual requests (success and error) over plain HTTP, and the server-wide default
(`--cors-allow-origin`, MINIO_API_CORS_ALLOW_ORIGIN)."""

from __future__ import annotations

import http.client
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process

VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
APP = "https://app.example.com"
RULES = {"CORSRules": [
    {"ID": "app", "AllowedOrigins": [APP, "https://*.dev.example.com"], "AllowedMethods": ["GET", "PUT"],
     "AllowedHeaders": ["content-type", "x-amz-*"], "ExposeHeaders": ["ETag", "x-amz-request-id"],
     "MaxAgeSeconds": 600},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"]},
]}


def call(port: int, method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b""
         ) -> tuple[int, dict[str, str], bytes]:
    """One request; (status, headers by lower-case name, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def signed(port: int, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
           ) -> tuple[int, dict[str, str], bytes]:
    """A SigV4-signed request (botocore's signer) with exactly this body."""
    request = AWSRequest(method=method, url=f"http://127.0.0.1:{port}{target}", data=body,
                         headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(request)
    return call(port, method, target, dict(request.headers.items()), body)


def code(body: bytes) -> str | None:
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else None


def element(body: bytes, name: str) -> str | None:
    m = re.search(rf"<{name}>([^<]*)</{name}>".encode(), body)
    return m.group(1).decode() if m else None


def preflight(port: int, path: str, origin: str | None, method: str | None, headers: str | None = None
              ) -> tuple[int, dict[str, str], bytes]:
    sent = {k: v for k, v in (("Origin", origin), ("Access-Control-Request-Method", method),
                              ("Access-Control-Request-Headers", headers)) if v is not None}
    return call(port, "OPTIONS", path, sent)


def presigned(s3, operation: str, **params: str) -> str:  # type: ignore[no-untyped-def]
    """The path and query of a presigned URL."""
    parts = urlsplit(s3.generate_presigned_url(operation, Params=params, ExpiresIn=300))
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def cors_bucket(s3, bucket: str) -> str:  # type: ignore[no-untyped-def]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
    s3.put_object(Bucket=bucket, Key="k", Body=b"hello")
    return bucket


# --------------------------------------------------------------------------- the configuration


def test_put_get_delete_bucket_cors(s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_cors(Bucket=bucket)
    assert caught.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert s3.delete_bucket_cors(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == RULES["CORSRules"]
    s3.delete_bucket_cors(Bucket=bucket)
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_cors(Bucket=bucket)
    assert caught.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"


@pytest.mark.parametrize(("rules", "error", "message"), [
    ([{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PATCH"]}], "InvalidRequest",
     "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"),
    ([{"AllowedOrigins": ["https://*.*.example.com"], "AllowedMethods": ["GET"]}], "InvalidRequest",
     'AllowedOrigin "https://*.*.example.com" can not have more than one wildcard.'),
    ([{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": ["x-amz-*"]}], "InvalidRequest",
     'ExposeHeader "x-amz-*" contains wildcard. We currently do not support wildcard for ExposeHeader.'),
    ([{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}] * 101, "MalformedXML", None),
])
def test_put_bucket_cors_refused(s3, bucket: str, rules: list[dict[str, object]], error: str,  # type: ignore[no-untyped-def]
                                 message: str | None) -> None:
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
    assert caught.value.response["Error"]["Code"] == error
    if message:
        assert caught.value.response["Error"]["Message"] == message
    with pytest.raises(ClientError):
        s3.get_bucket_cors(Bucket=bucket)  # nothing was stored


@pytest.mark.parametrize("body", [
    b"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "*">]><CORSConfiguration><CORSRule>'
    b"<AllowedOrigin>&a;</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
    b"<CORSConfiguration>" + b"<CORSRule><AllowedOrigin>" + b"x" * (70 << 10)
    + b"</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
])
def test_hostile_configurations(s3, server: Server, bucket: str, body: bytes) -> None:  # type: ignore[no-untyped-def]
    status, _, reply = signed(server.port, "PUT", f"/{bucket}?cors", body)
    assert (status, code(reply)) == (400, "MalformedXML"), reply
    with pytest.raises(ClientError):
        s3.get_bucket_cors(Bucket=bucket)


# --------------------------------------------------------------------------- preflights


def test_preflight_answered_from_the_first_matching_rule(server: Server, cors_bucket: str) -> None:
    status, headers, body = preflight(server.port, f"/{cors_bucket}/k", APP, "PUT",
                                      "Content-Type, X-Amz-Date")
    assert (status, body) == (200, b"")
    assert headers["access-control-allow-origin"] == APP
    assert headers["access-control-allow-methods"] == "GET, PUT"
    assert headers["access-control-allow-headers"] == "content-type, x-amz-date"
    assert headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert headers["access-control-max-age"] == "600"
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["vary"] == VARY
    status, headers, _ = preflight(server.port, f"/{cors_bucket}/k", "https://a.dev.example.com", "GET")
    assert (status, headers["access-control-allow-origin"]) == (200, "https://a.dev.example.com")
    # Any origin may GET, by the second rule: `*`, no credentials.
    status, headers, _ = preflight(server.port, f"/{cors_bucket}", "http://localhost:3000", "GET")
    assert (status, headers["access-control-allow-origin"]) == (200, "*")
    assert "access-control-allow-credentials" not in headers


@pytest.mark.parametrize(("origin", "method", "request_headers", "resource"), [
    ("https://evil.dev.example.com.attacker.net", "PUT", None, "OBJECT"),
    ("https://attacker.net/.dev.example.com", "PUT", None, "OBJECT"),
    ("https://APP.example.com", "PUT", None, "OBJECT"),
    (APP, "DELETE", None, "OBJECT"),
    (APP, "PUT", "content-type, authorization", "OBJECT"),
    ("http://localhost:3000", "GET", "x-amz-date", "BUCKET"),
])
def test_preflight_refused(server: Server, cors_bucket: str, origin: str, method: str,
                           request_headers: str | None, resource: str) -> None:
    path = f"/{cors_bucket}/k" if resource == "OBJECT" else f"/{cors_bucket}"
    status, headers, body = preflight(server.port, path, origin, method, request_headers)
    assert (status, code(body)) == (403, "AccessForbidden"), body
    assert element(body, "Message", ).startswith("CORSResponse: This CORS request is not allowed.")  # type: ignore[union-attr]
    assert (element(body, "Method"), element(body, "ResourceType")) == (method, resource)
    assert not any(name.startswith("access-control-") for name in headers)


def test_preflight_of_a_presigned_url(s3, server: Server, cors_bucket: str) -> None:  # type: ignore[no-untyped-def]
    """A browser's preflight keeps the URL's query, signature and all: it is not authenticated."""
    url = presigned(s3, "put_object", Bucket=cors_bucket, Key="k")
    sent = {"Origin": APP, "Access-Control-Request-Method": "PUT",
            "Authorization": "AWS4-HMAC-SHA256 Credential=x/y"}
    status, headers, _ = call(server.port, "OPTIONS", url, sent)
    assert (status, headers["access-control-allow-origin"]) == (200, APP)


def test_preflight_bad_requests(server: Server, cors_bucket: str) -> None:
    status, _, body = preflight(server.port, f"/{cors_bucket}/k", None, "GET")
    assert (status, code(body), element(body, "Message")) == (
        400, "BadRequest", "Insufficient information. Origin request header needed.")
    status, _, body = preflight(server.port, f"/{cors_bucket}/k", APP, None)
    assert (status, element(body, "Message")) == (400, "Invalid Access-Control-Request-Method: null")
    status, _, body = preflight(server.port, f"/{cors_bucket}/k", APP, "PATCH")
    assert (status, element(body, "Message")) == (400, "Invalid Access-Control-Request-Method: PATCH")
    status, _, body = preflight(server.port, f"/no-such-{uuid.uuid4().hex[:8]}/k", APP, "GET")
    assert (status, code(body), element(body, "Message")) == (403, "AccessForbidden",
                                                              "CORSResponse: Bucket not found")


# --------------------------------------------------------------------------- actual requests


def test_actual_requests_carry_cors_headers(s3, server: Server, cors_bucket: str) -> None:  # type: ignore[no-untyped-def]
    url = presigned(s3, "get_object", Bucket=cors_bucket, Key="k")
    status, headers, body = call(server.port, "GET", url, {"Origin": APP})
    assert (status, body) == (200, b"hello")
    assert headers["access-control-allow-origin"] == APP
    assert headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["vary"] == VARY
    assert "access-control-allow-headers" not in headers
    # Errors too: a missing key, signed; an anonymous request refused (the `*` rule: `*`).
    missing = presigned(s3, "get_object", Bucket=cors_bucket, Key="nope")
    status, headers, body = call(server.port, "GET", missing, {"Origin": APP})
    assert (status, code(body), headers["access-control-allow-origin"]) == (404, "NoSuchKey", APP)
    status, headers, body = call(server.port, "GET", f"/{cors_bucket}/k", {"Origin": "http://localhost:3000"})
    assert (status, code(body), headers["access-control-allow-origin"]) == (403, "AccessDenied", "*")
    # A bad signature is refused before authorization; its answer still says CORS.
    status, headers, body = call(server.port, "GET", url.replace("Signature=", "Signature=AAAA"),
                                 {"Origin": APP})
    assert (status, code(body), headers["access-control-allow-origin"]) == (403, "SignatureDoesNotMatch", APP)
    # No rule for this method from this origin, no Origin at all, a crafted origin: nothing.
    put = presigned(s3, "put_object", Bucket=cors_bucket, Key="k2")
    status, headers, _ = call(server.port, "PUT", put, {"Origin": "http://localhost:3000"}, b"x")
    assert status == 200 and not any(name.startswith("access-control-") for name in headers)
    status, headers, _ = call(server.port, "GET", url)
    assert status == 200 and "vary" not in headers and "access-control-allow-origin" not in headers
    for crafted in ("https://evil.dev.example.com.attacker.net", "https://attacker.net/.dev.example.com"):
        status, headers, _ = call(server.port, "PUT", put, {"Origin": crafted}, b"x")
        assert status == 200 and not any(name.startswith("access-control-") for name in headers)


def test_server_default_allows_any_origin(s3, server: Server, bucket: str) -> None:  # type: ignore[no-untyped-def]
    """The session's server runs with the default `--cors-allow-origin '*'`: a bucket without a
    configuration serves a browser app from anywhere; signatures are still checked."""
    s3.put_object(Bucket=bucket, Key="k", Body=b"hi")
    status, headers, _ = preflight(server.port, f"/{bucket}/k", "http://localhost:5173", "PUT",
                                   "authorization, content-type, x-amz-date, x-amz-content-sha256")
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-headers"] == (
        "authorization, content-type, x-amz-date, x-amz-content-sha256")
    status, headers, body = call(server.port, "GET", presigned(s3, "get_object", Bucket=bucket, Key="k"),
                                 {"Origin": "http://localhost:5173"})
    assert (status, body, headers["access-control-allow-origin"]) == (200, b"hi", "http://localhost:5173")
    assert "ETag" in headers["access-control-expose-headers"]
    status, headers, body = call(server.port, "GET", f"/{bucket}/k", {"Origin": "http://localhost:5173"})
    assert (status, code(body), headers["access-control-allow-origin"]) == (403, "AccessDenied", "*")
    # Service-level requests too (ListBuckets from a browser).
    status, headers, _ = preflight(server.port, "/", "http://localhost:5173", "GET")
    assert (status, headers["access-control-allow-origin"]) == (200, "*")


@pytest.fixture(scope="module")
def narrow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose default allows one origin and its subdomains (set MinIO's way)."""
    root = tmp_path_factory.mktemp("cairn-cors")
    srv = start_server(root, drives=1, env_extra={
        "MINIO_API_CORS_ALLOW_ORIGIN": "http://app.test, http://*.app.test"})
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


def test_server_default_narrowed_and_off(narrow_server: Server, tmp_path: Path) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=narrow_server.endpoint, aws_access_key_id=ACCESS_KEY,
                      aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
    name = f"cors-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    port = narrow_server.port
    status, headers, _ = preflight(port, f"/{name}/k", "http://x.app.test", "PUT")
    assert (status, headers["access-control-allow-origin"]) == (200, "http://x.app.test")
    status, _, body = preflight(port, f"/{name}/k", "http://app.test.evil.net", "PUT")
    assert (status, code(body)) == (403, "AccessForbidden")
    # The bucket's own rules replace the default.
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": ["http://other.test"], "AllowedMethods": ["GET"]}]})
    assert preflight(port, f"/{name}/k", "http://x.app.test", "GET")[0] == 403
    assert preflight(port, f"/{name}/k", "http://other.test", "GET")[0] == 200
    s3.delete_bucket_cors(Bucket=name)
    s3.delete_bucket(Bucket=name)

    off = start_server(tmp_path, drives=1, extra=("--cors-allow-origin", ""))
    try:
        s3 = boto3.client("s3", endpoint_url=off.endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
        s3.create_bucket(Bucket=name)
        status, _, body = preflight(off.port, f"/{name}/k", "http://app.test", "GET")
        assert (status, code(body), element(body, "Message")) == (
            403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.")
        status, headers, _ = call(off.port, "GET", f"/{name}/k", {"Origin": "http://app.test"})
        assert status == 403 and "access-control-allow-origin" not in headers
    finally:
        stop_server_process(off.process)
