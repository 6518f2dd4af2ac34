"""Round trips against botocore's own signers: what boto3 sends must authenticate, and any
change to it must be refused with S3's error code.

Each request is signed by botocore (S3SigV4Auth, S3SigV4QueryAuth, HmacV1Auth,
HmacV1QueryAuth), its URL is parsed by the server's own split_target, and the
result is fed to authenticate() as the HTTP layer would.
"""

from __future__ import annotations

import contextlib
import hashlib
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from botocore.auth import HmacV1Auth, HmacV1QueryAuth, S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.utils import percent_encode, percent_encode_sequence
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.server.auth import AuthError, Identity, authenticate
from cairn.server.http import split_target

ENDPOINT = "http://localhost:9000"
SIGNED_AT = datetime(2024, 2, 29, 23, 59, 30)  # naive UTC, as botocore's clock gives it
NOW = SIGNED_AT.replace(tzinfo=UTC)
RESERVED = {"x-amz-algorithm", "x-amz-credential", "x-amz-signature", "x-amz-date", "x-amz-signedheaders",
            "x-amz-expires", "signature", "awsaccesskeyid", "expires", "x-amz-content-sha256"}


class Keys:
    def __init__(self, access_key: str, secret: str) -> None:
        self.table = {access_key: secret}

    def secret_for(self, access_key: str) -> str | None:
        return self.table.get(access_key)


@contextlib.contextmanager
def botocore_clock(when: datetime = SIGNED_AT) -> Iterator[None]:
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        yield


# --- strategies ----------------------------------------------------------------------------------

text = st.text(st.characters(codec="utf-8"), max_size=12)
specials = st.sampled_from(["+", "~", "%", " ", "//", "/", "é", "%20", "?", "#", "&", "=", ".", "..",
                            "$", "*", "!", "'", "(", ")", ":", "@", ",", ";", "\u00a0", "日本"])
keys = st.lists(st.one_of(specials, text), min_size=1, max_size=6).map("".join).filter(bool)
query_names = st.one_of(specials, st.text(st.characters(codec="utf-8"), min_size=1,
                                          max_size=8)).filter(lambda n: n.lower() not in RESERVED
                                                              and not n.lower().startswith("x-amz-"))
queries = st.lists(st.tuples(query_names, st.one_of(st.just(""), specials, text)), max_size=5)
header_text = st.text(string.ascii_letters + string.digits + " -_.,;:/=+*é\t", max_size=16)
meta = st.dictionaries(st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=8),
                       header_text, max_size=3)
secrets = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)
access_keys = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=20)
regions = st.sampled_from(["us-east-1", "eu-west-1", "cairn", "ap-south-2"])
methods = st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD"])


def build(method: str, path: str, query: list[tuple[str, str]], meta: dict[str, str],
          body: bytes = b"", repeated: tuple[str, ...] = ()) -> AWSRequest:
    """A request as botocore's S3 serializer builds it: key encoded with "/" and "~" kept."""
    url = ENDPOINT + percent_encode(path, safe="/~")
    if query:
        url += "?" + percent_encode_sequence(query)
    request = AWSRequest(method=method, url=url, data=body)
    for name, value in meta.items():
        request.headers[f"x-amz-meta-{name}"] = value
    for value in repeated:
        request.headers["x-amz-meta-repeated"] = value  # HTTPHeaders appends: the name repeats
    return request


def received(request: AWSRequest) -> dict[str, Any]:
    """What the HTTP layer hands authenticate() for this request."""
    target = request.url[len(ENDPOINT):]
    path, raw_path, query = split_target(target)
    headers = [(name.lower(), value.strip(" \t")) for name, value in request.headers.items()]
    return {"method": request.method, "path": path, "query": query,
            "headers": [("host", "localhost:9000"), *headers], "raw_path": raw_path}


def check(parts: dict[str, Any], keys_: Keys, now: datetime = NOW, **changes: Any) -> Identity:
    args = {**parts, **changes}
    return authenticate(args["method"], args["path"], args["query"], args["headers"], keys_, now,
                        raw_path=args["raw_path"])


def refused(parts: dict[str, Any], keys_: Keys, now: datetime = NOW, **changes: Any) -> AuthError:
    with pytest.raises(AuthError) as info:
        check(parts, keys_, now, **changes)
    return info.value


def sign_v4(request: AWSRequest, akid: str, secret: str, region: str, service: str = "s3") -> dict[str, Any]:
    with botocore_clock():
        S3SigV4Auth(BotoCredentials(akid, secret), service, region).add_auth(request)
    return received(request)


def presign_v4(request: AWSRequest, akid: str, secret: str, region: str, expires: int) -> dict[str, Any]:
    with botocore_clock():
        S3SigV4QueryAuth(BotoCredentials(akid, secret), "s3", region, expires=expires).add_auth(request)
    return received(request)


# --- SigV4, Authorization header ---------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(method=methods, key=keys, query=queries, meta=meta, akid=access_keys, secret=secrets,
       region=regions, body=st.binary(max_size=64),
       repeated=st.lists(header_text, min_size=0, max_size=3).map(tuple))
def test_v4_header_round_trip(method: str, key: str, query: list[tuple[str, str]], meta: dict[str, str],
                              akid: str, secret: str, region: str, body: bytes,
                              repeated: tuple[str, ...]) -> None:
    parts = sign_v4(build(method, f"/bucket/{key}", query, meta, body, repeated), akid, secret, region)
    identity = check(parts, Keys(akid, secret))
    assert (identity.access_key, identity.method) == (akid, "v4-header")
    assert identity.payload.kind == "sha256"
    assert identity.payload.sha256 == hashlib.sha256(body).hexdigest()


@settings(max_examples=150, deadline=None)
@given(key=keys, query=queries, meta=meta, akid=access_keys, secret=secrets, region=regions,
       data=st.data())
def test_v4_header_tampering_is_refused(key: str, query: list[tuple[str, str]], meta: dict[str, str],
                                        akid: str, secret: str, region: str, data: st.DataObject) -> None:
    meta = {**meta, "color": "blue"}
    parts = sign_v4(build("PUT", f"/bucket/{key}", query, meta), akid, secret, region)
    good = Keys(akid, secret)
    headers = [(n, "green" if n == "x-amz-meta-color" else v) for n, v in parts["headers"]]
    assert refused(parts, good, headers=headers).code == "SignatureDoesNotMatch"
    assert refused(parts, good, path=parts["path"] + "x", raw_path=None).code == "SignatureDoesNotMatch"
    extra = data.draw(st.tuples(query_names, text), label="extra query")
    assert refused(parts, good, query=[*parts["query"], extra]).code == "SignatureDoesNotMatch"
    if parts["query"]:
        name, value = parts["query"][0]
        changed = [(name, value + "x"), *parts["query"][1:]]
        assert refused(parts, good, query=changed).code == "SignatureDoesNotMatch"
    assert refused(parts, good, method="POST").code == "SignatureDoesNotMatch"
    assert refused(parts, Keys(akid, secret + "x")).code == "SignatureDoesNotMatch"
    assert refused(parts, Keys(akid + "X", secret)).code == "InvalidAccessKeyId"
    late = refused(parts, good, now=NOW + timedelta(minutes=15, seconds=1))
    assert (late.code, late.status) == ("RequestTimeTooSkewed", 403)
    check(parts, good, now=NOW - timedelta(minutes=15))


def test_v4_wrong_service_in_scope() -> None:
    request = build("GET", "/bucket/key", [], {})
    with botocore_clock():
        S3SigV4Auth(BotoCredentials("AK", "SK"), "ec2", "us-east-1").add_auth(request)
    err = refused(received(request), Keys("AK", "SK"))
    assert (err.code, err.status) == ("AuthorizationHeaderMalformed", 400)
    assert 'incorrect service "ec2"' in err.message


def test_v4_bare_query_names_and_header_auth_with_date() -> None:
    request = AWSRequest(method="POST", url=f"{ENDPOINT}/bucket/key?uploads&x=1")
    request.headers["Date"] = "Thu, 01 Jan 1970 00:00:00 GMT"  # botocore then signs with Date
    parts = sign_v4(request, "AK", "SK", "us-east-1")
    assert ("uploads", "") in parts["query"] and "x-amz-date" not in dict(parts["headers"])
    identity = check(parts, Keys("AK", "SK"))
    assert identity.payload.amz_date is None  # not streaming
    assert check(parts, Keys("AK", "SK")).method == "v4-header"


def test_v4_a_path_signed_as_sent_needs_the_raw_path() -> None:
    # A client that sends "$" and "!" unencoded, and signs the path it sent (S3 signs it verbatim).
    request = AWSRequest(method="GET", url=f"{ENDPOINT}/bucket/a$b!c")
    parts = sign_v4(request, "AK", "SK", "us-east-1")
    assert parts["raw_path"] == "/bucket/a$b!c"
    assert check(parts, Keys("AK", "SK")).access_key == "AK"
    assert refused(parts, Keys("AK", "SK"), raw_path=None).code == "SignatureDoesNotMatch"


# --- SigV4, presigned URLs ----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(method=methods, key=keys, query=queries, meta=meta, akid=access_keys, secret=secrets,
       region=regions, expires=st.integers(1, 604800))
def test_v4_presigned_round_trip(method: str, key: str, query: list[tuple[str, str]], meta: dict[str, str],
                                 akid: str, secret: str, region: str, expires: int) -> None:
    parts = presign_v4(build(method, f"/bucket/{key}", query, meta), akid, secret, region, expires)
    good = Keys(akid, secret)
    identity = check(parts, good)
    assert (identity.access_key, identity.method, identity.payload.kind) == (akid, "v4-query", "unsigned")
    check(parts, good, now=NOW + timedelta(seconds=expires))
    err = refused(parts, good, now=NOW + timedelta(seconds=expires + 1))
    assert (err.code, err.message) == ("AccessDenied", "Request has expired")
    assert refused(parts, good, now=NOW - timedelta(minutes=16)).message == "Request is not yet valid"
    assert refused(parts, good, path=parts["path"] + "/", raw_path=None).code == "SignatureDoesNotMatch"
    assert refused(parts, Keys(akid, secret + "!")).code == "SignatureDoesNotMatch"
    tampered = [(n, str(expires - 1) if n == "X-Amz-Expires" else v) for n, v in parts["query"]]
    assert refused(parts, good, query=tampered).code == "SignatureDoesNotMatch"
    if meta:
        headers = [(n, v + "x" if n.startswith("x-amz-meta-") else v) for n, v in parts["headers"]]
        assert refused(parts, good, headers=headers).code == "SignatureDoesNotMatch"
    unsigned = refused(parts, good, headers=[*parts["headers"], ("x-amz-acl", "public-read")])
    assert (unsigned.code, unsigned.extra["HeadersNotSigned"]) == ("AccessDenied", "x-amz-acl")


# --- SigV2 (HmacV1), header and query ---------------------------------------------------------------

SUBRESOURCE_NAMES = st.sampled_from(["acl", "versionId", "partNumber", "uploadId", "tagging", "versions",
                                     "response-content-type", "response-content-disposition",
                                     "retention", "legal-hold", "attributes", "select-type"])
v2_queries = st.lists(st.one_of(st.tuples(query_names, st.one_of(st.just(""), text)),
                                st.tuples(SUBRESOURCE_NAMES, st.one_of(specials, text).filter(bool))),
                      max_size=5)


@contextlib.contextmanager
def v2_clock(when: datetime = NOW) -> Iterator[None]:
    fake_time = mock.Mock(time=mock.Mock(return_value=when.timestamp()))
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    with mock.patch("botocore.auth.formatdate", return_value=stamp), \
            mock.patch("botocore.auth.time", fake_time):
        yield


@settings(max_examples=250, deadline=None)
@given(method=methods, key=keys, query=v2_queries, meta=meta, akid=access_keys, secret=secrets,
       content_type=st.sampled_from([None, "text/plain", "application/x-www-form-urlencoded; charset=utf-8"]),
       repeated=st.lists(header_text, min_size=0, max_size=3).map(tuple))
def test_v2_header_round_trip(method: str, key: str, query: list[tuple[str, str]], meta: dict[str, str],
                              akid: str, secret: str, content_type: str | None,
                              repeated: tuple[str, ...]) -> None:
    request = build(method, f"/bucket/{key}", query, meta, repeated=repeated)
    if content_type:
        request.headers["Content-Type"] = content_type
    with v2_clock():
        HmacV1Auth(BotoCredentials(akid, secret)).add_auth(request)
    parts, good = received(request), Keys(akid, secret)
    identity = check(parts, good)
    assert (identity.access_key, identity.method, identity.payload.kind) == (akid, "v2-header", "unsigned")
    assert refused(parts, good, path=parts["path"] + "x", raw_path=None).code == "SignatureDoesNotMatch"
    assert refused(parts, good, method="PATCH").code == "SignatureDoesNotMatch"
    assert refused(parts, Keys(akid, secret + "x")).code == "SignatureDoesNotMatch"
    assert refused(parts, good, query=[*parts["query"], ("versionId", "v9")]).code == "SignatureDoesNotMatch"
    headers = [*parts["headers"], ("x-amz-meta-extra", "1")]
    assert refused(parts, good, headers=headers).code == "SignatureDoesNotMatch"
    skewed = refused(parts, good, now=NOW + timedelta(minutes=16))
    assert (skewed.code, skewed.status) == ("RequestTimeTooSkewed", 403)


@settings(max_examples=200, deadline=None)
@given(method=methods, key=keys, query=v2_queries, meta=meta, akid=access_keys, secret=secrets,
       expires=st.integers(1, 10**7))
def test_v2_query_round_trip(method: str, key: str, query: list[tuple[str, str]], meta: dict[str, str],
                             akid: str, secret: str, expires: int) -> None:
    request = build(method, f"/bucket/{key}", query, meta)
    with v2_clock():
        HmacV1QueryAuth(BotoCredentials(akid, secret), expires=expires).add_auth(request)
    parts, good = received(request), Keys(akid, secret)
    parts["headers"] = [("host", "localhost:9000")]  # botocore moved the x-amz-* headers into the URL
    identity = check(parts, good, now=NOW + timedelta(days=30) if expires > 40 * 86400 else NOW)
    assert (identity.access_key, identity.method) == (akid, "v2-query")
    check(parts, good, now=NOW + timedelta(seconds=expires - 1))
    err = refused(parts, good, now=NOW + timedelta(seconds=expires + 1))
    assert (err.code, err.message) == ("AccessDenied", "Request has expired")
    assert refused(parts, good, path=parts["path"] + "x", raw_path=None).code == "SignatureDoesNotMatch"
    assert refused(parts, Keys(akid, "!" + secret)).code == "SignatureDoesNotMatch"


def test_v2_path_style_bucket_request_signed_with_a_trailing_slash() -> None:
    # boto3 signs "/bucket/" (its auth_path) for bucket operations sent to "/bucket".
    request = AWSRequest(method="GET", url=f"{ENDPOINT}/bucket?acl")
    request.auth_path = "/bucket/"
    with v2_clock():
        HmacV1Auth(BotoCredentials("AK", "SK")).add_auth(request)
    parts = received(request)
    assert parts["path"] == "/bucket" and parts["query"] == [("acl", "")]
    assert check(parts, Keys("AK", "SK")).method == "v2-header"
