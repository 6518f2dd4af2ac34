"""Static websites against a real server started with a website domain (CAIRN_WEBSITE_DOMAIN):
Put/Get/DeleteBucketWebsite with boto3 (and hostile documents, signed by hand), then the sites
fetched as a browser would, with curl (`-H "Host: <bucket>.web.test"` against 127.0.0.1) and with
urllib: index documents, folders, the error document, redirects of every kind, HEAD, refused
methods, and private objects staying private."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, BIN, SECRET_KEY, Server, cleanup_bucket, start_server, stop_server_process
from .test_cors import code, signed

DOMAIN = "web.test"
SITE = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "404.html"}}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("cairn-website")
    srv = start_server(root, drives=1, env_extra={"CAIRN_WEBSITE_DOMAIN": DOMAIN})
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def s3(web: Server):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=web.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def public_read(bucket: str, *, private_prefix: str = "private/") -> str:
    """Everybody may read the bucket's objects but those under `private_prefix`."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/{private_prefix}*"}]})


@pytest.fixture
def site(s3) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A public website: index documents at the root and in docs/, an error document, a page that
    redirects, and a private folder."""
    name = f"site-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=public_read(name))
    for key, body in [("index.html", b"<h1>home</h1>"), ("docs/index.html", b"<h1>docs</h1>"),
                      ("docs/a b.html", b"spaced"), ("404.html", b"<h1>not here</h1>"),
                      ("private/index.html", b"secret"), ("private/page.html", b"secret page")]:
        s3.put_object(Bucket=name, Key=key, Body=body, ContentType="text/html")
    s3.put_object(Bucket=name, Key="old.html", Body=b"", WebsiteRedirectLocation="/docs/")
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration=SITE)
    yield name
    cleanup_bucket(s3, name)


def curl(server: Server, path: str, host: str, *options: str) -> tuple[int, dict[str, str], bytes]:
    """curl's view of one request to `host` (sent to the server's address): the final status,
    the headers by lower-case name, the body.  Redirects are not followed."""
    command = ["curl", "-sS", "-D", "-", "-o", "-", "-H", f"Host: {host}", *options,
               f"http://127.0.0.1:{server.port}{path}"]
    out = subprocess.run(command, capture_output=True, timeout=30, check=True)
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(server: Server, path: str, host: str, method: str = "GET", headers: dict[str, str] | None = None
          ) -> tuple[int, dict[str, str], bytes]:
    """urllib's view of one request (redirects not followed)."""
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", method=method,
                                     headers={"Host": host, **(headers or {})})
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


# --------------------------------------------------------------------------- the configuration


def test_put_get_delete_bucket_website(s3) -> None:  # type: ignore[no-untyped-def]
    name = f"cfg-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    try:
        with pytest.raises(ClientError) as caught:
            s3.get_bucket_website(Bucket=name)
        assert caught.value.response["Error"]["Code"] == "NoSuchWebsiteConfiguration"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        rules = [
            {"Condition": {"KeyPrefixEquals": "docs/"}, "Redirect": {"ReplaceKeyPrefixWith": "documents/"}},
            {"Condition": {"HttpErrorCodeReturnedEquals": "404"},
             "Redirect": {"HostName": "example.com", "Protocol": "https", "HttpRedirectCode": "302",
                          "ReplaceKeyWith": "missing.html"}},
        ]
        s3.put_bucket_website(Bucket=name, WebsiteConfiguration={**SITE, "RoutingRules": rules})
        got = s3.get_bucket_website(Bucket=name)
        assert (got["IndexDocument"], got["ErrorDocument"], got["RoutingRules"]) == (
            SITE["IndexDocument"], SITE["ErrorDocument"], rules)
        everything = {"HostName": "www.example.com", "Protocol": "https"}
        s3.put_bucket_website(Bucket=name, WebsiteConfiguration={"RedirectAllRequestsTo": everything})
        got = s3.get_bucket_website(Bucket=name)
        assert got["RedirectAllRequestsTo"] == everything and "IndexDocument" not in got
        for _ in range(2):  # deleting what is not there is fine too
            assert s3.delete_bucket_website(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 204
        with pytest.raises(ClientError) as caught:
            s3.get_bucket_website(Bucket=name)
        assert caught.value.response["Error"]["Code"] == "NoSuchWebsiteConfiguration"
    finally:
        cleanup_bucket(s3, name)
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_website(Bucket=name)
    assert caught.value.response["Error"]["Code"] == "NoSuchBucket"


@pytest.mark.parametrize(("config", "error", "message"), [
    ({"IndexDocument": {"Suffix": "a/index.html"}}, "InvalidArgument",
     "The IndexDocument Suffix is not well formed"),
    ({"ErrorDocument": {"Key": "404.html"}}, "InvalidArgument",
     "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty"),
    ({**SITE, "RedirectAllRequestsTo": {"HostName": "example.com"}}, "InvalidArgument",
     "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules."),
    ({**SITE, "RoutingRules": [{"Redirect": {"HostName": "example.com"}}] * 51}, "InvalidRequest",
     "51 routing rules provided, the number of routing rules in a website configuration is limited to 50."),
    ({**SITE, "RoutingRules": [{"Redirect": {"HttpRedirectCode": "300"}}]}, "InvalidRequest",
     "The provided HTTP redirect code (300) is not valid. Valid codes are 3XX except 300."),
    ({**SITE, "RoutingRules": [{"Redirect": {"ReplaceKeyWith": "a", "ReplaceKeyPrefixWith": "b"}}]},
     "InvalidRequest", "You can only define ReplaceKeyPrefix or ReplaceKey but not both."),
])
def test_put_bucket_website_refused(s3, site: str, config: dict[str, Any], error: str,  # type: ignore[no-untyped-def]
                                    message: str) -> None:
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_website(Bucket=site, WebsiteConfiguration=config)
    assert (caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]) == (
        error, message)
    assert s3.get_bucket_website(Bucket=site)["IndexDocument"] == SITE["IndexDocument"]  # nothing changed


@pytest.mark.parametrize(("body", "error"), [
    (b"<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><Bogus/></WebsiteConfiguration>",
     "MalformedXML"),
    (b'<!DOCTYPE x [<!ENTITY e "i.html">]><WebsiteConfiguration><IndexDocument><Suffix>&e;</Suffix>'
     b"</IndexDocument></WebsiteConfiguration>", "MalformedXML"),
    (b"<WebsiteConfiguration><IndexDocument><Suffix>" + b"i" * (200 << 10)
     + b"</Suffix></IndexDocument></WebsiteConfiguration>", "MalformedXML"),
    (b"<WebsiteConfiguration>" + b"<IndexDocument>" * 40 + b"</WebsiteConfiguration>", "MalformedXML"),
])
def test_hostile_configurations(s3, web: Server, site: str, body: bytes, error: str) -> None:  # type: ignore[no-untyped-def]
    status, _, reply = signed(web.port, "PUT", f"/{site}?website", body)
    assert (status, code(reply)) == (400, error), reply
    assert s3.get_bucket_website(Bucket=site)["ErrorDocument"] == SITE["ErrorDocument"]  # nothing changed
    assert fetch(web, "/", f"{site}.{DOMAIN}")[2] == b"<h1>home</h1>"


def test_aws_cli_website_as_the_readme_shows(s3, web: Server) -> None:  # type: ignore[no-untyped-def]
    name = f"cli-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    try:
        s3.put_object(Bucket=name, Key="docs/index.html", Body=b"docs", ContentType="text/html")
        base = [str(BIN / "aws"), "--endpoint-url", web.endpoint]
        for args in (["s3", "website", f"s3://{name}", "--index-document", "index.html", "--error-document",
                      "404.html"],
                     ["s3api", "put-bucket-policy", "--bucket", name, "--policy", public_read(name)]):
            subprocess.run([*base, *args], env=web.env(), capture_output=True, timeout=120, check=True)
        assert s3.get_bucket_website(Bucket=name)["ErrorDocument"] == {"Key": "404.html"}
        assert curl(web, "/docs/", f"{name}.{DOMAIN}")[::2] == (200, b"docs")
    finally:
        cleanup_bucket(s3, name)


# --------------------------------------------------------------------------- serving


def test_index_documents(web: Server, site: str) -> None:
    host = f"{site}.{DOMAIN}"
    status, headers, body = curl(web, "/", host)
    assert (status, headers["content-type"], body) == (200, "text/html", b"<h1>home</h1>")
    assert curl(web, "/docs/", host)[::2] == (200, b"<h1>docs</h1>")
    assert curl(web, "/index.html", f"{site.upper()}.Web.Test:{web.port}")[::2] == (200, b"<h1>home</h1>")
    assert curl(web, "/docs/a%20b.html", host)[::2] == (200, b"spaced")
    # The query means nothing at a website: no listing, no versionId, no response-* override.
    status, headers, body = fetch(web, "/?list-type=2&response-content-type=x/y&versionId=v", host)
    assert (status, headers["content-type"], body) == (200, "text/html", b"<h1>home</h1>")
    # A folder without its slash is sent to it.
    status, headers, body = curl(web, "/docs", host)
    assert (status, headers["location"], body) == (302, "/docs/", b"")
    # GetObject's reading: ranges and conditions apply.
    assert curl(web, "/", host, "-r", "4-7")[::2] == (206, b"home")
    etag = curl(web, "/", host, "-I")[1]["etag"]
    assert curl(web, "/", host, "-H", f"If-None-Match: {etag}")[0] == 304


def test_head(web: Server, site: str) -> None:
    host = f"{site}.{DOMAIN}"
    status, headers, body = fetch(web, "/docs/", host, "HEAD")
    assert (status, headers["content-length"], body) == (200, str(len(b"<h1>docs</h1>")), b"")
    status, headers, body = fetch(web, "/missing", host, "HEAD")
    assert (status, headers["x-amz-error-code"], body) == (404, "NoSuchKey", b"")


def test_error_document(s3, web: Server, site: str) -> None:  # type: ignore[no-untyped-def]
    host = f"{site}.{DOMAIN}"
    status, headers, body = curl(web, "/no/such/page.html", host)
    assert (status, headers["content-type"], body) == (404, "text/html", b"<h1>not here</h1>")
    assert headers["x-amz-error-code"] == "NoSuchKey"
    # A private object is forbidden, with the error document too.
    status, headers, body = curl(web, "/private/page.html", host)
    assert (status, headers["x-amz-error-code"], body) == (403, "AccessDenied", b"<h1>not here</h1>")
    # No folder redirect to an index nobody may read.
    assert curl(web, "/private", host)[0] == 404
    # Without the error document: S3's page, which says why that could not be read either.
    s3.delete_object(Bucket=site, Key="404.html")
    status, headers, body = curl(web, "/gone", host)
    page = body.decode()
    assert (status, headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert page.startswith("<html>\n<head><title>404 Not Found</title></head>")
    assert ("<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n"
            "<li>Key: gone</li>") in page
    assert ("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n"
            "<li>Code: NoSuchKey</li>") in page and "<li>Key: 404.html</li>" in page


def test_private_objects_stay_private(s3, web: Server) -> None:  # type: ignore[no-untyped-def]
    name = f"priv-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    try:
        s3.put_object(Bucket=name, Key="index.html", Body=b"mine")
        s3.put_bucket_website(Bucket=name, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
        # Whatever credentials come along, a website reads as everybody.
        status, headers, body = curl(web, "/", f"{name}.{DOMAIN}", "--user", f"{ACCESS_KEY}:{SECRET_KEY}",
                                     "--aws-sigv4", "aws:amz:us-east-1:s3")
        assert (status, headers["x-amz-error-code"]) == (403, "AccessDenied")
        assert b"<title>403 Forbidden</title>" in body and b"<li>Code: AccessDenied</li>" in body
        # An ACL grant to everybody opens that object, and that object only.
        s3.put_object(Bucket=name, Key="open.html", Body=b"open", ACL="public-read")
        assert curl(web, "/open.html", f"{name}.{DOMAIN}")[::2] == (200, b"open")
        assert s3.get_object(Bucket=name, Key="index.html")["Body"].read() == b"mine"  # REST as before
    finally:
        cleanup_bucket(s3, name)


def test_not_websites(s3, web: Server, site: str) -> None:  # type: ignore[no-untyped-def]
    status, headers, body = curl(web, "/", f"nothing-{uuid.uuid4().hex[:6]}.{DOMAIN}")
    assert (status, headers["x-amz-error-code"]) == (404, "NoSuchBucket")
    name = f"plain-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    try:
        status, headers, body = curl(web, "/", f"{name}.{DOMAIN}")
        assert (status, headers["x-amz-error-code"]) == (404, "NoSuchWebsiteConfiguration")
        assert f"<li>BucketName: {name}</li>".encode() in body
    finally:
        cleanup_bucket(s3, name)
    # Other hosts reach the S3 API on the same listener.
    status, _, body = curl(web, f"/{site}/index.html", f"127.0.0.1:{web.port}")
    assert status == 200 and body == b"<h1>home</h1>"  # the bucket policy lets everybody read it


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_only_reads(s3, web: Server, site: str, method: str) -> None:  # type: ignore[no-untyped-def]
    status, headers, body = curl(web, "/index.html", f"{site}.{DOMAIN}", "-X", method, "--data-binary", "x")
    assert (status, headers["x-amz-error-code"]) == (405, "MethodNotAllowed")
    assert b"<title>405 Method Not Allowed</title>" in body and f"<li>Method: {method}</li>".encode() in body
    assert s3.get_object(Bucket=site, Key="index.html")["Body"].read() == b"<h1>home</h1>"


def test_cors_at_the_website(web: Server, site: str) -> None:
    host = f"{site}.{DOMAIN}"
    status, headers, _ = curl(web, "/", host, "-X", "OPTIONS", "-H", "Origin: http://app.test",
                              "-H", "Access-Control-Request-Method: GET")
    assert (status, headers["access-control-allow-origin"]) == (200, "*")  # the server-wide default
    _, headers, _ = fetch(web, "/", host, headers={"Origin": "http://app.test"})
    assert headers["access-control-allow-origin"] == "*"


# --------------------------------------------------------------------------- redirects


def test_object_redirects(s3, web: Server, site: str) -> None:  # type: ignore[no-untyped-def]
    host = f"{site}.{DOMAIN}"
    status, headers, body = curl(web, "/old.html", host)
    assert (status, headers["location"], body) == (301, "/docs/", b"")
    # The REST API returns the object, with its redirect location as a header.
    got = s3.get_object(Bucket=site, Key="old.html")
    assert got["WebsiteRedirectLocation"] == "/docs/" and got["Body"].read() == b""
    # Set by a copy onto itself; never copied from a source (the COPY directive notwithstanding).
    s3.copy_object(Bucket=site, Key="docs/index.html", CopySource={"Bucket": site, "Key": "docs/index.html"},
                   WebsiteRedirectLocation="https://example.com/docs")
    assert s3.head_object(Bucket=site, Key="docs/index.html")["WebsiteRedirectLocation"] == \
        "https://example.com/docs"
    assert curl(web, "/docs/", host)[1]["location"] == "https://example.com/docs"
    s3.copy_object(Bucket=site, Key="copy.html", CopySource={"Bucket": site, "Key": "old.html"})
    assert "WebsiteRedirectLocation" not in s3.head_object(Bucket=site, Key="copy.html")
    # Multipart uploads keep it too; a location S3 would not take is refused.
    upload = s3.create_multipart_upload(Bucket=site, Key="mp.html", WebsiteRedirectLocation="/index.html")
    part = s3.upload_part(Bucket=site, Key="mp.html", UploadId=upload["UploadId"], PartNumber=1, Body=b"x")
    s3.complete_multipart_upload(Bucket=site, Key="mp.html", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert curl(web, "/mp.html", host)[1]["location"] == "/index.html"
    with pytest.raises(ClientError) as caught:
        s3.put_object(Bucket=site, Key="bad.html", Body=b"", WebsiteRedirectLocation="elsewhere.html")
    assert caught.value.response["Error"]["Code"] == "InvalidRedirectLocation"


def test_redirect_all_requests(s3, web: Server) -> None:  # type: ignore[no-untyped-def]
    name = f"all-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    try:
        s3.put_bucket_website(Bucket=name, WebsiteConfiguration={
            "RedirectAllRequestsTo": {"HostName": "www.example.com"}})
        status, headers, body = curl(web, "/a%20b/c.html?x=1", f"{name}.{DOMAIN}")
        assert (status, headers["location"], body) == (301, "http://www.example.com/a%20b/c.html?x=1", b"")
        s3.put_bucket_website(Bucket=name, WebsiteConfiguration={
            "RedirectAllRequestsTo": {"HostName": "www.example.com", "Protocol": "https"}})
        status, headers, _ = fetch(web, "/", f"{name}.{DOMAIN}", "HEAD")
        assert (status, headers["location"]) == (301, "https://www.example.com/")
    finally:
        cleanup_bucket(s3, name)


def test_routing_rules(s3, web: Server, site: str) -> None:  # type: ignore[no-untyped-def]
    host = f"{site}.{DOMAIN}"
    s3.put_bucket_website(Bucket=site, WebsiteConfiguration={**SITE, "RoutingRules": [
        {"Condition": {"KeyPrefixEquals": "docs/old/"}, "Redirect": {"ReplaceKeyPrefixWith": "docs/"}},
        {"Condition": {"KeyPrefixEquals": "images/"}, "Redirect": {"ReplaceKeyWith": "folderdeleted.html"}},
        {"Condition": {"KeyPrefixEquals": "private/", "HttpErrorCodeReturnedEquals": "403"},
         "Redirect": {"HostName": "login.example.com", "Protocol": "https", "HttpRedirectCode": "307"}},
        {"Condition": {"HttpErrorCodeReturnedEquals": "404"},
         "Redirect": {"HostName": "archive.example.com", "ReplaceKeyPrefixWith": "report-404/"}},
    ]})
    status, headers, _ = curl(web, "/docs/old/a%20b.html", host)
    assert (status, headers["location"]) == (301, f"http://{host}/docs/a%20b.html")
    assert curl(web, "/images/cat.png", host)[1]["location"] == f"http://{host}/folderdeleted.html"
    behind_tls = curl(web, "/images/cat.png", host, "-H", "X-Forwarded-Proto: https")[1]["location"]
    assert behind_tls == f"https://{host}/folderdeleted.html"  # the protocol a TLS proxy says it took
    status, headers, _ = curl(web, "/private/page.html", host)
    assert (status, headers["location"]) == (307, "https://login.example.com/private/page.html")
    status, headers, _ = curl(web, "/missing.html", host)
    assert (status, headers["location"]) == (301, "http://archive.example.com/report-404/missing.html")
    # What a rule does not match is served as before.
    assert curl(web, "/docs/", host)[::2] == (200, b"<h1>docs</h1>")
    assert curl(web, "/docs", host)[0] == 302
