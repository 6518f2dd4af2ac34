"""Server-side encryption through the handlers over a real ObjectLayer (no HTTP): a retried
CompleteMultipartUpload answers with the first answer's SSE headers, and PostObject takes the SSE
form fields as PutObject takes the same headers (the same encryption, answer and errors)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import trio
import urllib3

from cairn.engine.api import ObjectLayer, ObjectOptions
from cairn.engine.bucket_config import EncryptionConfig
from cairn.engine.errors import EngineError, ObjectNotFound
from cairn.engine.kms import KeyRing
from cairn.engine.sse import SSE_C, Encryption
from cairn.server.authorization import authorize
from cairn.server.context import UNSIGNED, Context, Identity, Response, ServerConfig
from cairn.server.errors import S3Error, from_engine
from cairn.server.handlers import HANDLERS
from cairn.server.http import Request
from cairn.server.iam.directory import Directory

ROOT, SECRET = "root-user", "root-password"
MASTER = ("key-a", os.urandom(32))
CUSTOMER = os.urandom(32)
MARK = b"CAIRN-SSE-HANDLER-PLAINTEXT-"
SSE_PREFIX = "x-amz-server-side-encryption"
CUSTOMER_MD5 = base64.b64encode(hashlib.md5(CUSTOMER).digest()).decode()
SSEC_HEADERS = {"x-amz-server-side-encryption-customer-algorithm": "AES256",
                "x-amz-server-side-encryption-customer-key": base64.b64encode(CUSTOMER).decode(),
                "x-amz-server-side-encryption-customer-key-md5": CUSTOMER_MD5}
KINDS = {"s3": {"x-amz-server-side-encryption": "AES256"},
         "kms": {"x-amz-server-side-encryption": "aws:kms",
                 "x-amz-server-side-encryption-aws-kms-key-id": "key-a"},
         "c": SSEC_HEADERS}


class World:
    def __init__(self, layer: ObjectLayer, directory: Directory) -> None:
        self.layer, self.directory = layer, directory
        self.allow_http = True  # ServerConfig.sse_c_allow_http (no TLS here)

    def call(self, operation: str, key: str | None = None, *, method: str = "PUT",
             headers: dict[str, str] | None = None, query: dict[str, str] | None = None,
             body: bytes = b"", identity: Identity | None = None) -> Response:
        """The request through authorize() and its handler; an S3Error is raised."""
        async def payload() -> AsyncGenerator[bytes, None]:
            if body:
                yield body

        async def main() -> Response:
            sent = {"content-length": str(len(body)), **(headers or {})}
            request = Request(method, "/", "/", "/", list((query or {}).items()), list(sent.items()))
            who = identity or Identity(ROOT, "v4-header", UNSIGNED)
            config = ServerConfig(root_user=ROOT, root_password=SECRET, sse_c_allow_http=self.allow_http)
            ctx = Context(request, operation, "bkt", key, who, "r", self.layer, config,
                          trio.CapacityLimiter(4), trio.CapacityLimiter(4), payload(), {}, self.directory)
            await authorize(ctx)
            try:
                return await HANDLERS[operation](ctx)
            except EngineError as exc:
                raise from_engine(exc) from exc

        return trio.run(main)

    def refused(self, operation: str, key: str | None = None, **kw: Any) -> S3Error:
        with pytest.raises(S3Error) as caught:
            self.call(operation, key, **kw)
        return caught.value


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(4)]) as layer:
        layer.kms = KeyRing([MASTER])
        layer.create_bucket("bkt", owner=ROOT)
        yield World(layer, Directory(layer.iam, ROOT, SECRET))


def sse_of(response: Response) -> list[tuple[str, str]]:
    return sorted((n.lower(), v) for n, v in response.headers if n.lower().startswith(SSE_PREFIX))


# -- a retried CompleteMultipartUpload -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_retried_complete_answers_the_same_sse_headers(world: World, kind: str) -> None:
    created = world.call("CreateMultipartUpload", "mp", method="POST", headers=KINDS[kind],
                         query={"uploads": ""})
    upload_id = body_text(created).split("<UploadId>")[1].split("</UploadId>")[0]
    part_headers = SSEC_HEADERS if kind == "c" else {}
    part = world.call("UploadPart", "mp", headers=part_headers, body=MARK * 100,
                      query={"uploadId": upload_id, "partNumber": "1"})
    etag = dict(part.headers)["ETag"]
    document = (f"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part>"
                "</CompleteMultipartUpload>").encode()
    complete: dict[str, Any] = {"method": "POST", "headers": part_headers, "query": {"uploadId": upload_id},
                                "body": document}
    first = world.call("CompleteMultipartUpload", "mp", **complete)
    again = world.call("CompleteMultipartUpload", "mp", **complete)
    expected = {"s3": [("x-amz-server-side-encryption", "AES256")],
                "kms": [("x-amz-server-side-encryption", "aws:kms"),
                        ("x-amz-server-side-encryption-aws-kms-key-id", "key-a")],
                "c": [("x-amz-server-side-encryption-customer-algorithm", "AES256"),
                      ("x-amz-server-side-encryption-customer-key-md5", CUSTOMER_MD5)]}[kind]
    assert sse_of(first) == expected
    assert sse_of(again) == sse_of(first)
    assert body_text(again) == body_text(first)
    other = document.replace(b"<PartNumber>1<", b"<PartNumber>2<")  # not the same request: no such upload
    refused = world.refused("CompleteMultipartUpload", "mp", **{**complete, "body": other})
    assert refused.code == "NoSuchUpload"


def body_text(response: Response) -> str:
    assert isinstance(response.body, bytes)
    return response.body.decode()


# -- PostObject's SSE fields -------------------------------------------------------------------------


def presigned_form(fields: dict[str, str], key: str = "posted") -> dict[str, str]:
    """A form as boto3's generate_presigned_post makes it, each field covered by an exact condition."""
    client = boto3.client("s3", endpoint_url="http://127.0.0.1:9", aws_access_key_id=ROOT,
                          aws_secret_access_key=SECRET, region_name="us-east-1")
    form = client.generate_presigned_post("bkt", key, Fields=fields,
                                          Conditions=[{name: value} for name, value in fields.items()],
                                          ExpiresIn=300)
    out: dict[str, str] = form["fields"]
    return out


def post(world: World, fields: dict[str, str], data: bytes) -> Response:
    body, content_type = urllib3.encode_multipart_formdata([*fields.items(), ("file", ("f", data))])
    return world.call("PostObject", None, method="POST", headers={"content-type": content_type}, body=body,
                      identity=Identity(None, "anonymous", UNSIGNED))


def post_refused(world: World, fields: dict[str, str], data: bytes) -> S3Error:
    with pytest.raises(S3Error) as caught:
        post(world, fields, data)
    return caught.value


@pytest.mark.parametrize("kind", KINDS)
def test_post_fields_encrypt_as_put_headers_do(world: World, tmp_path: Path, kind: str) -> None:
    data = MARK * 1000
    put = world.call("PutObject", "put", headers=KINDS[kind], body=data)
    posted = post(world, presigned_form(KINDS[kind]), data)
    assert posted.status == 204
    assert sse_of(posted) == sse_of(put) != []
    read = ObjectOptions(encryption=Encryption(SSE_C, customer_key=CUSTOMER) if kind == "c" else None)
    info, by_put = world.layer.head_object("bkt", "posted", read), world.layer.head_object("bkt", "put", read)
    assert info.sse is not None and by_put.sse is not None and info.sse.kind == by_put.sse.kind
    assert world.layer.get_object("bkt", "posted", read).read_all() == data
    assert [p for p in tmp_path.rglob("*") if p.is_file() and MARK in p.read_bytes()] == []


def test_post_without_fields_takes_the_bucket_default(world: World) -> None:
    world.layer.put_bucket_config("bkt", EncryptionConfig("aws:kms", "key-a"))
    posted = post(world, presigned_form({}), b"defaulted")
    assert sse_of(posted) == [("x-amz-server-side-encryption", "aws:kms"),
                              ("x-amz-server-side-encryption-aws-kms-key-id", "key-a")]
    assert world.layer.head_object("bkt", "posted").sse is not None


BAD_MD5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
SHORT = base64.b64encode(b"k" * 16).decode()
SHORT_MD5 = base64.b64encode(hashlib.md5(b"k" * 16).digest()).decode()


@pytest.mark.parametrize("fields", [
    {**SSEC_HEADERS, "x-amz-server-side-encryption-customer-key-md5": BAD_MD5},
    {**SSEC_HEADERS, "x-amz-server-side-encryption-customer-key": SHORT,
     "x-amz-server-side-encryption-customer-key-md5": SHORT_MD5},
    {**SSEC_HEADERS, "x-amz-server-side-encryption-customer-key": "not base64!"},
    {**SSEC_HEADERS, "x-amz-server-side-encryption-customer-algorithm": "AES128"},
    {k: v for k, v in SSEC_HEADERS.items() if not k.endswith("md5")},
    {**SSEC_HEADERS, "x-amz-server-side-encryption": "AES256"},
    {"x-amz-server-side-encryption": "AES128"},
    {"x-amz-server-side-encryption-aws-kms-key-id": "key-a"},
    {"x-amz-server-side-encryption": "AES256", "x-amz-server-side-encryption-aws-kms-key-id": "key-a"},
    {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "no-such-key"},
    {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-context": "not base64!"},
    {"x-amz-server-side-encryption": "aws:kms",
     "x-amz-server-side-encryption-context": base64.b64encode(b'{"a": 1}').decode()},
    {"x-amz-server-side-encryption": "AES256",
     "x-amz-server-side-encryption-context": base64.b64encode(b'{"a": "b"}').decode()},
], ids=["bad-md5", "short-key", "not-base64", "algorithm", "no-md5", "ssec-and-s3", "unknown-kind",
        "key-id-alone", "key-id-with-s3", "unknown-kms-key", "context-not-base64", "context-not-strings",
        "context-with-s3"])
def test_malformed_post_fields_get_puts_errors_and_store_nothing(world: World,
                                                                 fields: dict[str, str]) -> None:
    by_put = world.refused("PutObject", "posted", headers=fields, body=b"x")
    by_post = post_refused(world, presigned_form(fields), b"x")
    assert (by_post.code, by_post.status, by_post.message) == (by_put.code, by_put.status, by_put.message)
    assert by_post.status in (400, 403) and by_post.code != "AccessDenied"
    with pytest.raises(ObjectNotFound):
        world.layer.head_object("bkt", "posted")


def test_a_context_and_bucket_key_are_taken_as_put_takes_them(world: World) -> None:
    context = base64.b64encode(json.dumps({"app": "x"}).encode()).decode()
    fields = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-context": context,
              "x-amz-server-side-encryption-bucket-key-enabled": "true"}
    put = world.call("PutObject", "put", headers=fields, body=b"data")
    posted = post(world, presigned_form(fields), b"data")
    assert sse_of(posted) == sse_of(put) == [("x-amz-server-side-encryption", "aws:kms"),
                                             ("x-amz-server-side-encryption-aws-kms-key-id", "key-a")]


def test_sse_fields_must_be_covered_by_the_policy(world: World) -> None:
    form = presigned_form({})
    extra = post_refused(world, {**form, **KINDS["s3"]}, b"x")
    assert (extra.code, extra.message) == (
        "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-server-side-encryption")
    client = boto3.client("s3", endpoint_url="http://127.0.0.1:9", aws_access_key_id=ROOT,
                          aws_secret_access_key=SECRET, region_name="us-east-1")
    loose = client.generate_presigned_post("bkt", "posted", Fields=KINDS["s3"], ExpiresIn=300, Conditions=[
        ["starts-with", "$x-amz-server-side-encryption", ""]])  # AWS: exact matches only on x-amz-*
    refused = post_refused(world, loose["fields"], b"x")
    assert refused.code == "AccessDenied" and "Policy Condition failed" in refused.message
    with pytest.raises(ObjectNotFound):
        world.layer.head_object("bkt", "posted")


def test_a_bucket_policy_requiring_encryption_applies_to_post(world: World) -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bkt/*",
         "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}}}]}
    world.call("PutBucketPolicy", query={"policy": ""}, body=json.dumps(policy).encode())
    anonymous = {"key": "anon"}
    assert post_refused(world, anonymous, b"x").code == "AccessDenied"
    posted = post(world, {**anonymous, **KINDS["s3"]}, b"x")
    assert sse_of(posted) == [("x-amz-server-side-encryption", "AES256")]


def test_ssec_fields_over_plain_http_are_refused_as_on_put(world: World) -> None:
    world.allow_http = False
    by_put = world.refused("PutObject", "posted", headers=SSEC_HEADERS, body=b"x")
    by_post = post_refused(world, presigned_form(SSEC_HEADERS), b"x")
    assert (by_post.code, by_post.message) == (by_put.code, by_put.message) == (
        "InvalidRequest", "Requests specifying Server Side Encryption with Customer provided keys must be "
                          "made over a secure connection.")
    with pytest.raises(ObjectNotFound):
        world.layer.head_object("bkt", "posted")
