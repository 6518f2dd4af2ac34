"""Authentication against AWS's published SigV4 examples, and S3's error codes for each fault.

The four header examples and the presigned URL come from the S3 API reference
("Authenticating Requests: Using the Authorization Header" and "Using Query
Parameters"); the keys, dates and expected signatures are the documented ones.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.server.auth import AuthError, Identity, authenticate
from cairn.server.auth.sigv4 import signing_key

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = datetime(2013, 5, 24, tzinfo=UTC)
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
HOST = ("host", "examplebucket.s3.amazonaws.com")
SCOPE = f"{AKID}/20130524/us-east-1/s3/aws4_request"


class Keys:
    def __init__(self, table: dict[str, str] | None = None) -> None:
        self.table = {AKID: SECRET} if table is None else table

    def secret_for(self, access_key: str) -> str | None:
        return self.table.get(access_key)


def authorization(signed: str, signature: str, credential: str = SCOPE) -> tuple[str, str]:
    return ("authorization",
            f"AWS4-HMAC-SHA256 Credential={credential},SignedHeaders={signed},Signature={signature}")


def get_object() -> list[tuple[str, str]]:
    return [HOST, ("range", "bytes=0-9"), ("x-amz-content-sha256", EMPTY),
            ("x-amz-date", "20130524T000000Z"),
            authorization("host;range;x-amz-content-sha256;x-amz-date",
                          "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]


def put_object() -> list[tuple[str, str]]:
    return [HOST, ("date", "Fri, 24 May 2013 00:00:00 GMT"),
            ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
            authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                          "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")]


def bucket_get(signature: str) -> list[tuple[str, str]]:
    return [HOST, ("x-amz-content-sha256", EMPTY), ("x-amz-date", "20130524T000000Z"),
            authorization("host;x-amz-content-sha256;x-amz-date", signature)]


LIFECYCLE = "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
LIST = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
PRESIGNED = [("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", SCOPE),
             ("X-Amz-Date", "20130524T000000Z"), ("X-Amz-Expires", "86400"),
             ("X-Amz-SignedHeaders", "host"),
             ("X-Amz-Signature", "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")]


def auth(method: str, path: str, query: list[tuple[str, str]], headers: list[tuple[str, str]],
         now: datetime = NOW, keys: Keys | None = None) -> Identity:
    return authenticate(method, path, query, headers, keys or Keys(), now)


def refused(method: str, path: str, query: list[tuple[str, str]], headers: list[tuple[str, str]],
            now: datetime = NOW, keys: Keys | None = None) -> AuthError:
    with pytest.raises(AuthError) as info:
        auth(method, path, query, headers, now, keys)
    return info.value


def replace(headers: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    out = [(n, v) for n, v in headers if n != name]
    return out if value is None else [*out, (name, value)]


# --- the documented examples -------------------------------------------------------------------

def test_get_object_example() -> None:
    identity = auth("GET", "/test.txt", [], get_object())
    assert identity.access_key == AKID and identity.method == "v4-header"
    assert identity.payload.kind == "sha256" and identity.payload.sha256 == EMPTY


def test_put_object_example_encodes_the_dollar_sign() -> None:
    identity = auth("PUT", "/test$file.text", [], put_object())
    assert identity.payload.sha256 == hashlib.sha256(b"Welcome to Amazon S3.").hexdigest()


def test_get_bucket_lifecycle_example() -> None:
    assert auth("GET", "/", [("lifecycle", "")], bucket_get(LIFECYCLE)).access_key == AKID


def test_list_objects_example_sorts_the_query() -> None:
    assert auth("GET", "/", [("prefix", "J"), ("max-keys", "2")], bucket_get(LIST)).access_key == AKID


def test_presigned_example() -> None:
    identity = auth("GET", "/test.txt", PRESIGNED, [HOST], now=NOW + timedelta(hours=23))
    assert identity.method == "v4-query" and identity.payload.kind == "unsigned"


def test_signing_key_is_cached_and_matches_the_chain() -> None:
    key = b"AWS4" + SECRET.encode()
    for part in ("20130524", "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signing_key.cache_clear()
    assert signing_key(SECRET, "20130524", "us-east-1") == key
    signing_key(SECRET, "20130524", "us-east-1")
    assert signing_key.cache_info().hits == 1


def test_signature_in_uppercase_hex_is_accepted() -> None:
    headers = replace(get_object(), "authorization", None)
    headers.append(authorization("host;range;x-amz-content-sha256;x-amz-date",
                                 "F0E8BDB87C964420E857BD35B5D6ED310BD44F0170ABA48DD91039C6036BDB41"))
    assert auth("GET", "/test.txt", [], headers).access_key == AKID


def test_mismatch_reports_the_documented_canonical_request_and_string_to_sign() -> None:
    headers = replace(get_object(), "authorization", None)
    headers.append(authorization("host;range;x-amz-content-sha256;x-amz-date", "0" * 64))
    err = refused("GET", "/test.txt", [], headers)
    assert (err.code, err.status) == ("SignatureDoesNotMatch", 403)
    assert err.extra["CanonicalRequest"] == (
        f"GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
        f"x-amz-content-sha256:{EMPTY}\nx-amz-date:20130524T000000Z\n\n"
        f"host;range;x-amz-content-sha256;x-amz-date\n{EMPTY}")
    assert err.extra["StringToSign"] == (
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
    assert err.extra["SignatureProvided"] == "0" * 64 and err.extra["AWSAccessKeyId"] == AKID
    assert err.extra["StringToSignBytes"].startswith("41 57 53 34 2d")


# --- header auth: each fault gets S3's code and status ------------------------------------------

def with_auth(signed: str = "host;range;x-amz-content-sha256;x-amz-date",
              signature: str = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
              credential: str = SCOPE) -> list[tuple[str, str]]:
    return [*replace(get_object(), "authorization", None), authorization(signed, signature, credential)]


@pytest.mark.parametrize(("headers", "code", "status", "words"), [
    (replace(get_object(), "x-amz-content-sha256", None), "InvalidRequest", 400,
     "Missing required header for this request: x-amz-content-sha256"),
    (replace(get_object(), "x-amz-content-sha256", "abc"), "InvalidArgument", 400,
     "x-amz-content-sha256 must be"),
    (replace(get_object(), "x-amz-content-sha256", "unsigned-payload"), "InvalidArgument", 400, ""),
    (replace(get_object(), "x-amz-date", None), "AccessDenied", 403,
     "AWS authentication requires a valid Date or x-amz-date header"),
    (replace(get_object(), "x-amz-date", "yesterday"), "AccessDenied", 403, "valid Date"),
    (replace(get_object(), "authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE),
     "AuthorizationHeaderMalformed", 400, "requires three components"),
    (with_auth(credential=f"{AKID}/20130524/us-east-1/s3"), "AuthorizationHeaderMalformed", 400,
     "the Credential is mal-formed"),
    (with_auth(credential=f"{AKID}/2013052/us-east-1/s3/aws4_request"), "AuthorizationHeaderMalformed",
     400, "incorrect date format"),
    (with_auth(credential=f"{AKID}/20130524//s3/aws4_request"), "AuthorizationHeaderMalformed", 400,
     "non-empty region"),
    (with_auth(credential=f"{AKID}/20130524/us-east-1/ec2/aws4_request"), "AuthorizationHeaderMalformed",
     400, 'incorrect service "ec2"'),
    (with_auth(credential=f"{AKID}/20130524/us-east-1/s3/aws5_request"), "AuthorizationHeaderMalformed",
     400, "incorrect terminal"),
    (with_auth(credential=f"{AKID}/20130523/us-east-1/s3/aws4_request"), "AuthorizationHeaderMalformed",
     400, "Invalid credential date"),
    (with_auth(signed="range;x-amz-content-sha256;x-amz-date"), "AccessDenied", 403,
     "headers present in the request which were not signed"),
    ([*get_object(), ("x-amz-meta-color", "blue")], "AccessDenied", 403, "not signed"),
    (with_auth(credential="AKIDOTHER/20130524/us-east-1/s3/aws4_request"), "InvalidAccessKeyId", 403,
     "does not exist"),
    (with_auth(credential=f"{AKID}/20130524/eu-west-1/s3/aws4_request"), "SignatureDoesNotMatch", 403,
     ""),  # any region is taken: the signature, made for us-east-1, is what fails
    (replace(get_object(), "range", "bytes=0-10"), "SignatureDoesNotMatch", 403, "does not match"),
    ([*replace(get_object(), "authorization", None), ("authorization", "Bearer abc")],
     "InvalidArgument", 400, "Unsupported Authorization Type"),
    ([*replace(get_object(), "authorization", None), ("authorization", "AWS4-HMAC-SHA256")],
     "InvalidArgument", 400, "one and only one ' ' (space) required"),
    ([*get_object(), ("authorization", "AWS AKID:sig")], "InvalidArgument", 400, "Only one auth"),
    ([*replace(get_object(), "authorization", None),
      ("authorization", "AWS4-ECDSA-P256-SHA256 Credential=x")], "NotImplemented", 501, "SigV4a"),
])
def test_header_auth_faults(headers: list[tuple[str, str]], code: str, status: int, words: str) -> None:
    err = refused("GET", "/test.txt", [], headers)
    assert (err.code, err.status) == (code, status), err.message
    assert words in err.message


def test_unsigned_headers_are_named() -> None:
    err = refused("GET", "/test.txt", [], [*get_object(), ("x-amz-meta-b", "1"), ("x-amz-acl", "private")])
    assert err.extra == {"HeadersNotSigned": "x-amz-acl, x-amz-meta-b"}


def test_clock_skew_is_fifteen_minutes_either_way() -> None:
    for minutes in (-15, 14, 15):
        auth("GET", "/test.txt", [], get_object(), now=NOW + timedelta(minutes=minutes))
    for minutes in (-16, 16, 60 * 24):
        err = refused("GET", "/test.txt", [], get_object(), now=NOW + timedelta(minutes=minutes))
        assert (err.code, err.status) == ("RequestTimeTooSkewed", 403)
    assert err.extra["RequestTime"] == "20130524T000000Z"
    assert err.extra["ServerTime"] == "2013-05-25T00:00:00Z"
    assert err.extra["MaxAllowedSkewMilliseconds"] == "900000"


def test_skew_comes_before_the_signature_and_the_key() -> None:
    headers = [*replace(get_object(), "authorization", None),
               authorization("host", "0" * 64, "NOBODY/20130524/us-east-1/s3/aws4_request")]
    assert refused("GET", "/test.txt", [], headers, now=NOW + timedelta(hours=1)).code == \
        "RequestTimeTooSkewed"


def test_anonymous_requests() -> None:
    assert auth("GET", "/b/k", [], [HOST]) == Identity(None, "anonymous", auth("GET", "/", [], []).payload)
    assert auth("GET", "/b/k", [], [HOST]).payload.kind == "unsigned"
    assert auth("GET", "/b/k", [], [HOST, ("authorization", "")]).method == "anonymous"
    # X-Amz-Credential without X-Amz-Algorithm, AWSAccessKeyId without Signature: still anonymous.
    assert auth("GET", "/b/k", [("X-Amz-Credential", SCOPE), ("AWSAccessKeyId", AKID)], [HOST]).access_key \
        is None


# --- presigned URLs -------------------------------------------------------------------------------

def presigned(**changes: str | None) -> list[tuple[str, str]]:
    query = dict(PRESIGNED)
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return list(query.items())


def test_presigned_expiry_window() -> None:
    auth("GET", "/test.txt", PRESIGNED, [HOST], now=NOW + timedelta(seconds=86400))
    auth("GET", "/test.txt", PRESIGNED, [HOST], now=NOW - timedelta(minutes=15))
    err = refused("GET", "/test.txt", PRESIGNED, [HOST], now=NOW + timedelta(seconds=86401))
    assert (err.code, err.status, err.message) == ("AccessDenied", 403, "Request has expired")
    assert err.extra == {"X-Amz-Expires": "86400", "Expires": "2013-05-25T00:00:00Z",
                         "ServerTime": "2013-05-25T00:00:01Z"}
    err = refused("GET", "/test.txt", PRESIGNED, [HOST], now=NOW - timedelta(minutes=16))
    assert (err.code, err.status, err.message) == ("AccessDenied", 403, "Request is not yet valid")


@pytest.mark.parametrize(("query", "code", "words"), [
    (presigned(X_Amz_Expires="604801"), "AuthorizationQueryParametersError", "less than a week"),
    (presigned(X_Amz_Expires="-1"), "AuthorizationQueryParametersError", "non-negative"),
    (presigned(X_Amz_Expires="1e3"), "AuthorizationQueryParametersError", "should be a number"),
    (presigned(X_Amz_Signature=None), "AuthorizationQueryParametersError", "requires the X-Amz-Algorithm"),
    (presigned(X_Amz_Algorithm="AWS4-HMAC-SHA512"), "AuthorizationQueryParametersError", "only supports"),
    (presigned(X_Amz_Date="2013-05-24T00:00:00Z"), "AuthorizationQueryParametersError", "ISO8601"),
    (presigned(X_Amz_Credential=f"{AKID}/20130524/us-east-1/sqs/aws4_request"),
     "AuthorizationQueryParametersError", 'X-Amz-Credential parameter; incorrect service "sqs"'),
    (presigned(X_Amz_Credential=f"{AKID}/20130525/us-east-1/s3/aws4_request"),
     "AuthorizationQueryParametersError", "Invalid credential date"),
    (presigned(X_Amz_Credential="NOBODY/20130524/us-east-1/s3/aws4_request"), "InvalidAccessKeyId", ""),
    (presigned(X_Amz_SignedHeaders="host;x-amz-date"), "SignatureDoesNotMatch", ""),
    (presigned(X_Amz_Expires="86399"), "SignatureDoesNotMatch", ""),
    ([*PRESIGNED, ("versionId", "1")], "SignatureDoesNotMatch", ""),
    ([*PRESIGNED, ("Signature", "x")], "InvalidArgument", "Only one auth mechanism"),
])
def test_presigned_faults(query: list[tuple[str, str]], code: str, words: str) -> None:
    err = refused("GET", "/test.txt", query, [HOST])
    assert err.code == code and words in err.message
    assert err.status == (403 if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch") else 400)


def test_presigned_refuses_unsigned_amz_headers_and_a_second_mechanism() -> None:
    err = refused("GET", "/test.txt", PRESIGNED, [HOST, ("x-amz-acl", "public-read")])
    assert (err.code, err.extra) == ("AccessDenied", {"HeadersNotSigned": "x-amz-acl"})
    err = refused("GET", "/test.txt", PRESIGNED, [HOST, ("authorization", "AWS4-HMAC-SHA256 x")])
    assert (err.code, err.status) == ("InvalidArgument", 400)
    assert refused("GET", "/test.jpg", PRESIGNED, [HOST]).code == "SignatureDoesNotMatch"


def test_anonymous_payload_follows_x_amz_content_sha256() -> None:
    digest = hashlib.sha256(b"x").hexdigest()
    assert auth("PUT", "/b/k", [], [("x-amz-content-sha256", digest.upper())]).payload.sha256 == digest
    trailer = auth("PUT", "/b/k", [], [("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                                        ("x-amz-trailer", "X-Amz-Checksum-CRC32 ")]).payload
    assert (trailer.kind, trailer.trailer, trailer.decoded_length) == (
        "streaming-unsigned-trailer", "x-amz-checksum-crc32", None)
    err = refused("PUT", "/b/k", [], [("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")])
    assert (err.code, err.status) == ("InvalidRequest", 400)
    assert refused("PUT", "/b/k", [], [("x-amz-content-sha256", "nope")]).code == "InvalidArgument"


def test_streaming_signed_needs_the_decoded_length() -> None:
    err = refused("PUT", "/b/k", [], [("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                                       ("x-amz-decoded-content-length", "12a")])
    assert (err.code, err.status, err.extra["ArgumentName"]) == (
        "InvalidArgument", 400, "x-amz-decoded-content-length")


# --- fuzzing: nothing but AuthError ----------------------------------------------------------------

fragments = st.sampled_from([
    "AWS4-HMAC-SHA256 ", "AWS ", "Credential=", SCOPE, "/", ",", " ", "SignedHeaders=", "host;x-amz-date",
    "Signature=", "0" * 64, ":", "=", "20130524T000000Z", "Fri, 24 May 2013 00:00:00 GMT", AKID, "\u00e9",
    "\ud800", "99991231T235959Z", "00010101T000000Z", "-1", "604800", "9" * 30, "s3", "aws4_request"])
fuzz_text = st.lists(st.one_of(fragments, st.text(max_size=6)), max_size=8).map("".join)
header_names = st.sampled_from(["authorization", "x-amz-date", "date", "x-amz-content-sha256", "host",
                                "x-amz-decoded-content-length", "x-amz-trailer", "content-md5",
                                "content-type", "x-amz-meta-a"])
query_keys = st.sampled_from(["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                              "X-Amz-SignedHeaders", "X-Amz-Signature", "Signature", "Expires",
                              "AWSAccessKeyId", "acl", "x-amz-content-sha256", "uploads"])


@settings(max_examples=500, deadline=None)
@given(path=fuzz_text, query=st.lists(st.tuples(query_keys, fuzz_text), max_size=7),
       headers=st.lists(st.tuples(header_names, fuzz_text), max_size=6),
       now=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
       raw_path=st.one_of(st.none(), fuzz_text), bucket=st.one_of(st.none(), fuzz_text))
def test_fuzz_only_auth_errors(path: str, query: list[tuple[str, str]], headers: list[tuple[str, str]],
                               now: datetime, raw_path: str | None, bucket: str | None) -> None:
    try:
        identity = authenticate("GET", "/" + path, query, headers, Keys(), now, raw_path=raw_path,
                                bucket=bucket)
    except AuthError as exc:
        assert exc.status in (400, 403, 411, 501) and exc.code
    else:
        assert identity.method == "anonymous" or identity.access_key == AKID
