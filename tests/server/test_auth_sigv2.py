"""Signature Version 2 against the examples of S3's "Signing and Authenticating REST Requests".

The requests are the documented ones (johnsmith's bucket, virtual-hosted, and the
path-style ones on s3.amazonaws.com); the signatures are the documented ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cairn.server.auth import AuthError, Identity, authenticate

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class Keys:
    def secret_for(self, access_key: str) -> str | None:
        return SECRET if access_key == AKID else None


def at(text: str) -> datetime:
    return datetime.strptime(text, "%a, %d %b %Y %H:%M:%S +0000").replace(tzinfo=UTC)


def v2(method: str, path: str, query: list[tuple[str, str]], headers: list[tuple[str, str]],
       signature: str, *, now: datetime | None = None, **options: str) -> Identity:
    date = dict(headers).get("date", "")
    headers = [*headers, ("authorization", f"AWS {AKID}:{signature}")]
    return authenticate(method, path, query, headers, Keys(), now or at(date), **options)


def test_object_get() -> None:
    identity = v2("GET", "/photos/puppy.jpg", [],
                  [("host", "johnsmith.s3.amazonaws.com"), ("date", "Tue, 27 Mar 2007 19:36:42 +0000")],
                  "bWq2s1WEIj+Ydj0vQ697zp+IXMU=", bucket="johnsmith")
    assert (identity.access_key, identity.method, identity.payload.kind) == (AKID, "v2-header", "unsigned")


def test_object_get_path_style() -> None:
    v2("GET", "/johnsmith/photos/puppy.jpg", [],
       [("host", "s3.amazonaws.com"), ("date", "Tue, 27 Mar 2007 19:36:42 +0000")],
       "bWq2s1WEIj+Ydj0vQ697zp+IXMU=")


def test_object_put() -> None:
    v2("PUT", "/photos/puppy.jpg", [],
       [("content-type", "image/jpeg"), ("content-length", "94328"),
        ("host", "johnsmith.s3.amazonaws.com"), ("date", "Tue, 27 Mar 2007 21:15:45 +0000")],
       "MyyxeRY7whkBe+bq8fHCL/2kKUg=", bucket="johnsmith")


def test_list_ignores_parameters_that_are_not_subresources() -> None:
    v2("GET", "/", [("prefix", "photos"), ("max-keys", "50"), ("marker", "puppy")],
       [("user-agent", "Mozilla/5.0"), ("host", "johnsmith.s3.amazonaws.com"),
        ("date", "Tue, 27 Mar 2007 19:42:41 +0000")],
       "htDYFYduRNen8P9ZfE/s9SuKy0U=", bucket="johnsmith")


def test_fetch_acl_signs_the_subresource() -> None:
    v2("GET", "/", [("acl", "")],
       [("host", "johnsmith.s3.amazonaws.com"), ("date", "Tue, 27 Mar 2007 19:44:46 +0000")],
       "c2WLPFtWHVgbEmeEG93a4cG37dM=", bucket="johnsmith")


def test_upload_joins_repeated_amz_headers() -> None:
    v2("PUT", "/db-backup.dat.gz", [],
       [("user-agent", "curl/7.15.5"), ("host", "static.johnsmith.net:8080"),
        ("date", "Tue, 27 Mar 2007 21:06:08 +0000"), ("x-amz-acl", "public-read"),
        ("content-type", "application/x-download"), ("content-md5", "4gJE4saaMU4BqNR0kLY+lw=="),
        ("x-amz-meta-reviewedby", "joe@johnsmith.net"), ("x-amz-meta-reviewedby", "jane@johnsmith.net"),
        ("x-amz-meta-filechecksum", "0x02661779"), ("x-amz-meta-checksumalgorithm", "crc32"),
        ("content-disposition", "attachment; filename=database.dat"), ("content-encoding", "gzip"),
        ("content-length", "5913339")],
       "ilyl83RwaSoYIEdixDQcA4OnAnc=", bucket="static.johnsmith.net")


def test_list_all_my_buckets() -> None:
    v2("GET", "/", [], [("host", "s3.amazonaws.com"), ("date", "Wed, 28 Mar 2007 01:29:59 +0000")],
       "qGdzdERIC03wnaRNKh6OqZehG9s=")


def test_unicode_keys_sign_the_path_as_sent() -> None:
    headers = [("host", "s3.amazonaws.com"), ("date", "Wed, 28 Mar 2007 01:49:49 +0000")]
    raw = "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re"
    v2("GET", "/dictionary/français/préfère", [], headers, "DNEZGsoieTZ92F3bUfSPQcbGmlM=", raw_path=raw)
    with pytest.raises(AuthError) as info:  # lowercase %xx: only the raw path reproduces it
        v2("GET", "/dictionary/français/préfère", [], headers, "DNEZGsoieTZ92F3bUfSPQcbGmlM=")
    assert info.value.code == "SignatureDoesNotMatch"
    assert info.value.extra["StringToSign"].endswith("/dictionary/fran%C3%A7ais/pr%C3%A9f%C3%A8re")


QUERY = [("AWSAccessKeyId", AKID), ("Expires", "1175139620"), ("Signature", "NpgCjnDzrM+WFzoENXmpNDUsSn8=")]


def test_query_string_example() -> None:
    now = datetime.fromtimestamp(1175139620, UTC) - timedelta(hours=1)
    identity = authenticate("GET", "/photos/puppy.jpg", QUERY, [("host", "johnsmith.s3.amazonaws.com")],
                            Keys(), now, bucket="johnsmith")
    assert (identity.access_key, identity.method) == (AKID, "v2-query")
    # A "+" sent unescaped reaches us as a space: still the same signature.
    spaced = [(n, v.replace("+", " ")) for n, v in QUERY]
    authenticate("GET", "/photos/puppy.jpg", spaced, [], Keys(), now, bucket="johnsmith")


@pytest.mark.parametrize(("query", "now", "message"), [
    (QUERY, 1175139621, "Request has expired"),
    ([QUERY[0], QUERY[2]], 0, "Query-string authentication requires the Signature, Expires and"),
    ([QUERY[1], QUERY[2]], 0, "Query-string authentication requires"),
    ([QUERY[0], ("Expires", "soon"), QUERY[2]], 0, "Invalid date (should be seconds since epoch): soon"),
])
def test_query_string_faults(query: list[tuple[str, str]], now: int, message: str) -> None:
    with pytest.raises(AuthError) as info:
        authenticate("GET", "/photos/puppy.jpg", query, [], Keys(), datetime.fromtimestamp(now, UTC),
                     bucket="johnsmith")
    assert (info.value.code, info.value.status) == ("AccessDenied", 403)
    assert info.value.message.startswith(message)


def test_query_string_has_no_clock_skew_but_checks_the_signature() -> None:
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    authenticate("GET", "/photos/puppy.jpg", QUERY, [], Keys(), long_ago, bucket="johnsmith")
    with pytest.raises(AuthError) as info:
        authenticate("GET", "/photos/kitten.jpg", QUERY, [], Keys(), long_ago, bucket="johnsmith")
    assert info.value.code == "SignatureDoesNotMatch"
    assert info.value.extra["StringToSign"] == "GET\n\n\n1175139620\n/johnsmith/photos/kitten.jpg"


GET = [("host", "johnsmith.s3.amazonaws.com"), ("date", "Tue, 27 Mar 2007 19:36:42 +0000")]


@pytest.mark.parametrize(("authorization", "code", "status"), [
    ("AWS  AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", "InvalidArgument", 400),
    ("AWS AKIAIOSFODNN7EXAMPLE", "InvalidArgument", 400),
    ("AWS AKIAIOSFODNN7EXAMPLE:", "InvalidArgument", 400),
    ("AWS AKIAIOSFODNN7EXAMPLE:a:b", "InvalidArgument", 400),
    ("AWS NOBODY:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", "InvalidAccessKeyId", 403),
    ("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMV=", "SignatureDoesNotMatch", 403),
])
def test_header_faults(authorization: str, code: str, status: int) -> None:
    with pytest.raises(AuthError) as info:
        authenticate("GET", "/photos/puppy.jpg", [], [*GET, ("authorization", authorization)], Keys(),
                     at(GET[1][1]), bucket="johnsmith")
    assert (info.value.code, info.value.status) == (code, status)


def test_header_date_and_skew() -> None:
    signature = "bWq2s1WEIj+Ydj0vQ697zp+IXMU="
    now = at(GET[1][1])
    for when, code in ((now + timedelta(minutes=16), "RequestTimeTooSkewed"), (now, "AccessDenied")):
        headers = GET if code != "AccessDenied" else GET[:1]
        with pytest.raises(AuthError) as info:
            v2("GET", "/photos/puppy.jpg", [], headers, signature, now=when, bucket="johnsmith")
        assert info.value.code == code
    # x-amz-date takes the place of Date: the date line is then empty and x-amz-date is signed.
    with pytest.raises(AuthError) as info:
        v2("GET", "/photos/puppy.jpg", [], [*GET, ("x-amz-date", GET[1][1])], signature, bucket="johnsmith")
    assert info.value.extra["StringToSign"] == (
        "GET\n\n\n\nx-amz-date:Tue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg")
