"""Static websites: the WebsiteConfiguration document (PutBucketWebsite's checks, GetBucketWebsite's
form), the website endpoint's decisions (host, index documents, folders, routing rules,
locations, the HTML error page), x-amz-website-redirect-location as stored metadata, and
--website-domain."""

from __future__ import annotations

import pytest

from cairn.engine.api import ObjectInfo, WebsiteConfig, WebsiteRedirect, WebsiteRoutingRule
from cairn.server.cli import parse_website_domain
from cairn.server.errors import S3Error
from cairn.server.handlers.website import parse_website_configuration, website_configuration_xml
from cairn.server.metadata import REDIRECT_LOCATION, check_redirect_location, copied_metadata, metadata_from
from cairn.server.router import Route
from cairn.server.routes import PREFLIGHT
from cairn.server.website import (
    WEBSITE,
    WebsiteError,
    document_key,
    error_page,
    error_response,
    folder_index,
    header_safe,
    matching_rule,
    redirect_all_location,
    rule_location,
    website_bucket,
    website_route,
)

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
INDEX = "<IndexDocument><Suffix>index.html</Suffix></IndexDocument>"


def doc(body: str, ns: bool = True) -> bytes:
    return f"<WebsiteConfiguration{' ' + NS if ns else ''}>{body}</WebsiteConfiguration>".encode()


def rules(*rules: str) -> str:
    return "<RoutingRules>" + "".join(f"<RoutingRule>{r}</RoutingRule>" for r in rules) + "</RoutingRules>"


def refusal(body: bytes) -> S3Error:
    with pytest.raises(S3Error) as caught:
        parse_website_configuration(body)
    return caught.value


# --------------------------------------------------------------------------- the document


def test_parse_every_element() -> None:
    body = doc(INDEX + "<ErrorDocument><Key>errors/404.html</Key></ErrorDocument>" + rules(
        "<Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition>"
        "<Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect>",
        "<Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals>"
        "<KeyPrefixEquals></KeyPrefixEquals></Condition>"
        "<Redirect><HostName>example.com</HostName><Protocol>https</Protocol>"
        "<ReplaceKeyWith>missing.html</ReplaceKeyWith><HttpRedirectCode>302</HttpRedirectCode></Redirect>",
        "<Redirect><HostName>other.example.com</HostName></Redirect>"))
    assert parse_website_configuration(body) == WebsiteConfig("index.html", "errors/404.html", None, (
        WebsiteRoutingRule(WebsiteRedirect(replace_key_prefix_with="documents/"), "docs/"),
        WebsiteRoutingRule(WebsiteRedirect("example.com", "https", None, "missing.html", 302), "", 404),
        WebsiteRoutingRule(WebsiteRedirect("other.example.com"))))


def test_redirect_all_requests() -> None:
    body = doc("<RedirectAllRequestsTo><HostName>www.example.com</HostName><Protocol>https</Protocol>"
               "</RedirectAllRequestsTo>", ns=False)
    assert parse_website_configuration(body) == WebsiteConfig(
        redirect_all=WebsiteRedirect("www.example.com", "https"))


@pytest.mark.parametrize("config", [
    WebsiteConfig("index.html"),
    WebsiteConfig("index.htm", "404 & <more>.html"),
    WebsiteConfig(redirect_all=WebsiteRedirect("example.com")),
    WebsiteConfig(redirect_all=WebsiteRedirect("example.com", "http")),
    WebsiteConfig("i", None, None, (
        WebsiteRoutingRule(WebsiteRedirect("h", "https", "new/", None, 307), "old/", 404),
        WebsiteRoutingRule(WebsiteRedirect(replace_key_with=""), ""),
        WebsiteRoutingRule(WebsiteRedirect()))),
])
def test_get_document_round_trip(config: WebsiteConfig) -> None:
    assert parse_website_configuration(website_configuration_xml(config)) == config
    assert WebsiteConfig.from_doc(config.to_doc()) == config


def test_get_document_order() -> None:
    config = WebsiteConfig("index.html", "e.html", None, (
        WebsiteRoutingRule(WebsiteRedirect("h", "https", "p/", None, 302), "k/", 404),))
    assert website_configuration_xml(config).decode().endswith(
        f"<WebsiteConfiguration {NS}><IndexDocument><Suffix>index.html</Suffix></IndexDocument>"
        "<ErrorDocument><Key>e.html</Key></ErrorDocument><RoutingRules><RoutingRule><Condition>"
        "<HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals><KeyPrefixEquals>k/</KeyPrefixEquals>"
        "</Condition><Redirect><HostName>h</HostName><HttpRedirectCode>302</HttpRedirectCode>"
        "<Protocol>https</Protocol><ReplaceKeyPrefixWith>p/</ReplaceKeyPrefixWith></Redirect></RoutingRule>"
        "</RoutingRules></WebsiteConfiguration>")


@pytest.mark.parametrize("body", [
    b"",
    b"not xml",
    b"<WebsiteConfig><IndexDocument><Suffix>i</Suffix></IndexDocument></WebsiteConfig>",
    doc(INDEX + INDEX),
    doc(INDEX + "<Other/>"),
    doc("text" + INDEX),
    doc("<IndexDocument></IndexDocument>"),
    doc("<IndexDocument><Suffix>i</Suffix><Suffix>j</Suffix></IndexDocument>"),
    doc("<IndexDocument><Suffix><b>i</b></Suffix></IndexDocument>"),
    doc(INDEX + "<ErrorDocument></ErrorDocument>"),
    doc("<RedirectAllRequestsTo><Protocol>http</Protocol></RedirectAllRequestsTo>"),
    doc("<RedirectAllRequestsTo><HostName>h</HostName><Path>/</Path></RedirectAllRequestsTo>"),
    doc(INDEX + "<RoutingRules></RoutingRules>"),
    doc(INDEX + "<RoutingRules><Rule/></RoutingRules>"),
    doc(INDEX + rules("<Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition>")),
    doc(INDEX + rules("<Redirect/><Redirect/>")),
    doc(INDEX + rules("<Redirect><Status>301</Status></Redirect>")),
    doc(INDEX + rules("<Redirect><HttpRedirectCode>moved</HttpRedirectCode></Redirect>")),
    doc(INDEX + rules("<Condition><HttpErrorCodeReturnedEquals>4O4</HttpErrorCodeReturnedEquals></Condition>"
                      "<Redirect/>")),
    doc(INDEX + rules("<Condition><Prefix>a</Prefix></Condition><Redirect/>")),
    b'<!DOCTYPE x [<!ENTITY e "index.html">]>' + doc("<IndexDocument><Suffix>&e;</Suffix></IndexDocument>"),
])
def test_malformed(body: bytes) -> None:
    assert refusal(body).code == "MalformedXML"


def test_oversized() -> None:
    big = doc(INDEX + rules(*["<Redirect><HostName>" + "h" * 4000 + "</HostName></Redirect>"] * 40))
    assert len(big) > 128 << 10
    assert refusal(big).code == "MaxMessageLengthExceeded"
    many = doc(INDEX + "<RoutingRules>" + "<RoutingRule><Redirect/></RoutingRule>" * 3000 + "</RoutingRules>")
    assert refusal(many).code == "MalformedXML"  # past the element budget: not parsed at length


@pytest.mark.parametrize(("body", "code", "message", "extra"), [
    (doc(""), "InvalidArgument",
     "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
     {"ArgumentName": "IndexDocument", "ArgumentValue": "null"}),
    (doc("<ErrorDocument><Key>e.html</Key></ErrorDocument>"), "InvalidArgument",
     "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
     {"ArgumentName": "IndexDocument", "ArgumentValue": "null"}),
    (doc("<IndexDocument><Suffix></Suffix></IndexDocument>"), "InvalidArgument",
     "The IndexDocument Suffix is not well formed", {"ArgumentName": "IndexDocument", "ArgumentValue": ""}),
    (doc("<IndexDocument><Suffix>a/index.html</Suffix></IndexDocument>"), "InvalidArgument",
     "The IndexDocument Suffix is not well formed",
     {"ArgumentName": "IndexDocument", "ArgumentValue": "a/index.html"}),
    (doc(INDEX + "<ErrorDocument><Key></Key></ErrorDocument>"), "InvalidArgument",
     "The ErrorDocument Key is not well formed", {"ArgumentName": "ErrorDocument", "ArgumentValue": ""}),
    (doc(INDEX + "<RedirectAllRequestsTo><HostName>h</HostName></RedirectAllRequestsTo>"), "InvalidArgument",
     "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
     {"ArgumentName": "RedirectAllRequestsTo", "ArgumentValue": "not null"}),
    (doc("<RedirectAllRequestsTo><HostName></HostName></RedirectAllRequestsTo>"), "InvalidRequest",
     'A host name must be provided to redirect all requests (e.g. "example.com").', {}),
    (doc("<RedirectAllRequestsTo><HostName>h</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo>"),
     "InvalidRequest", "Invalid protocol, protocol can be http or https. If not defined the protocol will be "
                       "selected automatically.", {}),
    (doc(INDEX + rules("<Redirect><Protocol>HTTPS</Protocol></Redirect>")), "InvalidRequest",
     "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected "
     "automatically.", {}),
    (doc(INDEX + rules("<Condition></Condition><Redirect/>")), "InvalidRequest",
     "Condition cannot be empty. To redirect all requests without a condition, the condition element "
     "shouldn't be present.", {}),
    (doc(INDEX + rules("<Condition><HttpErrorCodeReturnedEquals>302</HttpErrorCodeReturnedEquals></Condition>"
                       "<Redirect/>")), "InvalidRequest",
     "The provided HTTP error code (302) is not valid. Valid codes are 4XX or 5XX.", {}),
    (doc(INDEX + rules("<Redirect><HttpRedirectCode>300</HttpRedirectCode></Redirect>")), "InvalidRequest",
     "The provided HTTP redirect code (300) is not valid. Valid codes are 3XX except 300.", {}),
    (doc(INDEX + rules("<Redirect><HttpRedirectCode>404</HttpRedirectCode></Redirect>")), "InvalidRequest",
     "The provided HTTP redirect code (404) is not valid. Valid codes are 3XX except 300.", {}),
    (doc(INDEX + rules("<Redirect><ReplaceKeyPrefixWith>a</ReplaceKeyPrefixWith>"
                       "<ReplaceKeyWith>b</ReplaceKeyWith></Redirect>")), "InvalidRequest",
     "You can only define ReplaceKeyPrefix or ReplaceKey but not both.", {}),
    (doc(INDEX + rules("<Redirect><HostName></HostName></Redirect>")), "InvalidRequest",
     "The HostName cannot be blank. To redirect within the same domain, the element should not be present.",
     {}),
    (doc(INDEX + rules(*["<Redirect><HostName>h</HostName></Redirect>"] * 51)), "InvalidRequest",
     "51 routing rules provided, the number of routing rules in a website configuration is limited to 50.",
     {}),
])
def test_refused_as_s3_refuses(body: bytes, code: str, message: str, extra: dict[str, str]) -> None:
    error = refusal(body)
    assert (error.code, error.message, error.status, error.extra) == (code, message, 400, extra)


def test_fifty_rules_and_edges_accepted() -> None:
    config = parse_website_configuration(doc(INDEX + rules(*["<Redirect/>"] * 50)))
    assert len(config.routing_rules) == 50 and config.routing_rules[0] == WebsiteRoutingRule()
    edges = parse_website_configuration(doc(
        "<IndexDocument><Suffix> index page.html </Suffix></IndexDocument>" + rules(
            "<Condition><HttpErrorCodeReturnedEquals>599</HttpErrorCodeReturnedEquals></Condition>"
            "<Redirect><HttpRedirectCode>399</HttpRedirectCode></Redirect>",
            "<Condition><HttpErrorCodeReturnedEquals>400</HttpErrorCodeReturnedEquals></Condition>"
            "<Redirect><HttpRedirectCode>301</HttpRedirectCode></Redirect>")))
    assert edges.index_suffix == " index page.html "  # kept as sent
    assert [(r.http_error_code_returned_equals, r.redirect.http_redirect_code) for r in edges.routing_rules] \
        == [(599, 399), (400, 301)]


# --------------------------------------------------------------------------- the endpoint


@pytest.mark.parametrize(("host", "bucket"), [
    ("site.web.example.com", "site"),
    ("site.web.example.com:8080", "site"),
    ("SITE.Web.Example.COM.", "site"),
    ("www.example.org.web.example.com", "www.example.org"),
    ("web.example.com", None),
    (".web.example.com", None),
    ("site.web.example.com.evil", None),
    ("siteweb.example.com", None),
    ("site.example.com", None),
    ("[::1]:9000", None),
])
def test_website_bucket(host: str, bucket: str | None) -> None:
    assert website_bucket(host, "web.example.com") == bucket


def test_website_route() -> None:
    domain = "web.test"
    assert website_route("GET", "/", "site.web.test", domain) == Route(WEBSITE, "site", None)
    route = website_route("HEAD", "/minio/health/live", "site.web.test:9000", domain)
    assert route is not None and (route.operation, route.bucket, route.key) == (
        WEBSITE, "site", "minio/health/live")  # the server's own paths are keys there
    put = website_route("PUT", "/k", "site.web.test", domain)
    assert put is not None and put.operation == WEBSITE  # refused by its handler, as an HTML 405
    options = website_route("OPTIONS", "/a/b", "site.web.test", domain)
    assert options is not None and (options.operation, options.key) == (PREFLIGHT, "a/b")
    assert website_route("GET", "/", "127.0.0.1:9000", domain) is None


@pytest.mark.parametrize(("key", "document", "folder"), [
    ("", "index.html", None),
    ("docs/", "docs/index.html", None),
    ("docs", "docs", "docs/index.html"),
    ("a/b.html", "a/b.html", "a/b.html/index.html"),
    ("a//", "a//index.html", None),
])
def test_index_documents(key: str, document: str, folder: str | None) -> None:
    assert document_key(key, "index.html") == document
    assert folder_index(key, "index.html") == folder


def rule(prefix: str | None = None, error: int | None = None, **redirect: str | int) -> WebsiteRoutingRule:
    return WebsiteRoutingRule(WebsiteRedirect(**redirect), prefix, error)  # type: ignore[arg-type]


def test_first_matching_rule() -> None:
    on_404 = rule(error=404, host_name="errors.example.com")
    docs = rule("docs/", host_name="docs.example.com")
    both = rule("img/", 403, host_name="both.example.com")
    always = rule(host_name="all.example.com")
    rules = (on_404, docs, both)
    assert matching_rule(rules, "docs/a.html", 200) is docs  # a prefix holds whatever the status
    assert matching_rule(rules, "docs/a.html", 404) is on_404  # rules are tried in their order
    assert matching_rule(rules, "other", 404) is on_404
    assert matching_rule(rules, "other", 200) is None
    assert matching_rule(rules, "img/x", 403) is both
    assert matching_rule(rules, "img/x", 404) is on_404
    assert matching_rule(rules, "imgx", 403) is None  # both conditions must hold
    assert matching_rule((*rules, always), "anything", 200) is always
    assert matching_rule((rule("", host_name="h"),), "", 200) is not None  # an empty prefix: every key


@pytest.mark.parametrize(("the_rule", "key", "expected"), [
    (rule("docs/", replace_key_prefix_with="documents/"), "docs/a b.html",
     (301, "http://site.web.test:9000/documents/a%20b.html")),
    (rule("images/", replace_key_with="folderdeleted.html"), "images/x.png",
     (301, "http://site.web.test:9000/folderdeleted.html")),
    (rule(error=404, host_name="ec2.example.com", replace_key_prefix_with="report-404/"), "ExamplePage.html",
     (301, "http://ec2.example.com/report-404/ExamplePage.html")),
    (rule(host_name="apples.example.com", protocol="https", http_redirect_code=307), "any/é?#",
     (307, "https://apples.example.com/any/%C3%A9%3F%23")),
    (rule("", replace_key_prefix_with="lambda?path="), "a/b", (301, "http://site.web.test:9000/lambda?path=a/b")),
    (rule(replace_key_with="with space\r\n"), "k", (301, "http://site.web.test:9000/with%20space%0D%0A")),
])
def test_rule_location(the_rule: WebsiteRoutingRule, key: str, expected: tuple[int, str]) -> None:
    assert rule_location(the_rule, key, "site.web.test:9000", "http") == expected


def test_redirect_all_location() -> None:
    assert redirect_all_location(WebsiteRedirect("www.example.com"), "http", "/a%20b/c", "x=1&y") == \
        "http://www.example.com/a%20b/c?x=1&y"
    assert redirect_all_location(WebsiteRedirect("www.example.com", "https"), "http", "/", "") == \
        "https://www.example.com/"


def test_header_safe() -> None:
    assert header_safe("/a%20b?c=d&e#f") == "/a%20b?c=d&e#f"  # printable ASCII kept, escapes too
    assert header_safe("/é x\n") == "/%C3%A9%20x%0A"


def test_error_page() -> None:
    error = S3Error("NoSuchKey", Key="missing <b>.html")
    page = error_page(error, "REQ1", "HOST1").decode()
    assert page.startswith("<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
                           "<h1>404 Not Found</h1>\n")
    assert ("<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n"
            "<li>Key: missing &lt;b&gt;.html</li>\n<li>RequestId: REQ1</li>\n<li>HostId: HOST1</li>\n</ul>\n"
            "<hr/>\n</body>\n</html>\n") in page
    nested = error_page(WebsiteError(error, S3Error("AccessDenied"), "404.html"), "R", "H").decode()
    assert ("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n"
            "<li>Code: AccessDenied</li>\n<li>Message: Access Denied.</li>\n<li>Key: 404.html</li>\n</ul>\n"
            "<hr/>") in nested
    refused = error_response(S3Error("MethodNotAllowed", Method="PUT", ResourceType="OBJECT"), "R", "H")
    assert refused.status == 405
    assert ("Content-Type", "text/html; charset=utf-8") in refused.headers
    assert ("x-amz-error-code", "MethodNotAllowed") in refused.headers
    assert ("x-amz-error-message", "The specified method is not allowed against this resource.") \
        in refused.headers
    assert isinstance(refused.body, bytes) and b"<title>405 Method Not Allowed</title>" in refused.body
    assert b"<li>Method: PUT</li>\n<li>ResourceType: OBJECT</li>" in refused.body


# --------------------------------------------------------------------------- metadata and settings


@pytest.mark.parametrize("location", ["/page2.html", "http://example.com", "https://example.com/a?b", "/"])
def test_redirect_location_accepted(location: str) -> None:
    check_redirect_location(location)
    headers = {REDIRECT_LOCATION: location}
    stored = metadata_from(headers.get, headers.items())
    assert stored.headers == {REDIRECT_LOCATION: location}


@pytest.mark.parametrize("location", ["", "page2.html", "ftp://example.com", "HTTP://example.com",
                                      "javascript:alert(1)", "/" + "a" * 2048])
def test_redirect_location_refused(location: str) -> None:
    with pytest.raises(S3Error) as caught:
        check_redirect_location(location)
    assert (caught.value.code, caught.value.status) == ("InvalidRedirectLocation", 400)


def test_copied_metadata_drops_the_source_redirect() -> None:
    source = ObjectInfo.__new__(ObjectInfo)
    object.__setattr__(source, "content_type", "text/html")
    object.__setattr__(source, "headers", {"Cache-Control": "no-cache", REDIRECT_LOCATION: "/old"})
    object.__setattr__(source, "user_meta", {"a": "b"})
    kept = copied_metadata(source, None)
    assert (kept.content_type, kept.headers, kept.user_meta) == ("text/html", {"Cache-Control": "no-cache"},
                                                                 {"a": "b"})
    assert copied_metadata(source, "/new").headers == {"Cache-Control": "no-cache", REDIRECT_LOCATION: "/new"}


def test_website_domain_setting() -> None:
    assert parse_website_domain("Web.Example.COM.", ()) == "web.example.com"
    assert parse_website_domain("", ()) is None and parse_website_domain(None, ()) is None
    assert parse_website_domain("web.example.com", ("example.com",)) == "web.example.com"
    for text, domains in [("web.example.com:80", ()), ("http://web.example.com", ()),
                          ("example.com", ("example.com",)), ("example.com", ("s3.example.com",))]:
        with pytest.raises(ValueError):
            parse_website_domain(text, domains)
