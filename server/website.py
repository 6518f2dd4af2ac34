"""Static websites: what a request to a bucket's website endpoint is, and the decisions of its
answer that need no I/O (the handler, handlers/website.py, reads the objects).

Theory of operation
-------------------
With `--website-domain web.example.com`, a request whose Host is `<bucket>.web.example.com`
(case folded, a port and a trailing dot dropped) is the bucket's website, not the S3 API
(`website_route`; the pipeline asks only when the Host contains the domain at all, so every
other request pays one substring test).  The whole path is the key, even `/minio/...`.  There,
as at S3's website endpoints (AWS's "Key differences between a website endpoint and a REST API
endpoint"):

- every request is anonymous and only GET and HEAD read objects ("Website"); OPTIONS is the CORS
  preflight (OptionsObject), any other method S3's 405 MethodNotAllowed;
- each object served is decided as an anonymous s3:GetObject by the bucket's policy and ACLs,
  so a private object stays private (403);
- the query string means nothing (`?acl`, `?versionId`, `response-*` are ignored);
- errors are HTML pages (`error_page`), not XML, with x-amz-error-code and -message headers.

The answer, in S3's order:

1. no bucket: 404 NoSuchBucket; no website configuration: 404 NoSuchWebsiteConfiguration;
2. RedirectAllRequestsTo: 301 to its host (and protocol, else the request's), path and query
   kept (`redirect_all_location`);
3. the key's document (`document_key`): the key itself, or for the root and a key ending in
   `/` the key plus the IndexDocument Suffix; when that is missing (404) and the key has no
   trailing slash, a readable `<key>/<suffix>` makes it a folder: 302 to `<path>/`
   (`folder_index`);
4. the first RoutingRule whose Condition holds (`matching_rule`: KeyPrefixEquals on the key
   asked for, HttpErrorCodeReturnedEquals on the status step 3 came to; a rule without a
   Condition always holds) answers instead, with its redirect (`rule_location`: HttpRedirectCode,
   else 301, to its Protocol and HostName, else the request's, and the key with its
   ReplaceKeyWith or ReplaceKeyPrefixWith);
5. otherwise step 3's outcome: the object (GetObject's answer: ranges and conditions apply), or
   301 to its x-amz-website-redirect-location, or the 302; an error of the 4xx class gets the
   ErrorDocument with the error's status, and when that cannot be read either, the page says
   both (`WebsiteError`).

Locations are sent as ASCII: what a configuration or an object's redirect location carries
beyond printable ASCII (spaces, controls, non-ASCII) is percent-encoded (`header_safe`).
"""

from __future__ import annotations

import html
from http import HTTPStatus
from urllib.parse import quote

from cairn.engine.api import WebsiteRedirect, WebsiteRoutingRule

from .context import Response
from .errors import S3Error
from .router import Route, normal_host
from .routes import PREFLIGHT

WEBSITE = "Website"  # the operation of a GET or HEAD (or a refused method) at a website endpoint
HTML_TYPE = ("Content-Type", "text/html; charset=utf-8")
_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))  # kept as they are in a Location
_PATH_SAFE = "/!$&'()*+,;=:@~"  # a key's characters a URL path keeps unescaped


def website_bucket(host: str, domain: str) -> str | None:
    """The bucket a Host names under the website domain, "<bucket>.<domain>"; None for any other
    host, the bare domain included."""
    name = normal_host(host)
    if not name.endswith("." + domain):
        return None
    return name[: -len(domain) - 1] or None


def website_route(method: str, path: str, host: str, domain: str) -> Route | None:
    """A request to a bucket's website endpoint as a Route (key None for the root); None when the
    Host is not one."""
    bucket = website_bucket(host, domain)
    if bucket is None:
        return None
    key = path[1:] if path.startswith("/") else path
    return Route(PREFLIGHT if method == "OPTIONS" else WEBSITE, bucket, key or None)


def document_key(key: str, suffix: str) -> str:
    """The object a path's key serves: the index document of the root and of a "folder" key (one
    ending in "/"), else the key itself."""
    return key + suffix if not key or key.endswith("/") else key


def folder_index(key: str, suffix: str) -> str | None:
    """The index document that makes a key without its trailing slash a folder, whose path then
    gets a 302 to the slash (None for the root and keys that end in one)."""
    return None if not key or key.endswith("/") else f"{key}/{suffix}"


def matching_rule(rules: tuple[WebsiteRoutingRule, ...], key: str, status: int
                  ) -> WebsiteRoutingRule | None:
    """The first rule whose condition holds for the key asked for and the status its lookup came
    to (a rule without an HttpErrorCodeReturnedEquals holds whatever the status)."""
    for rule in rules:
        prefix, code = rule.key_prefix_equals, rule.http_error_code_returned_equals
        if (prefix is None or key.startswith(prefix)) and (code is None or code == status):
            return rule
    return None


def header_safe(text: str) -> str:
    """`text` with every character but printable ASCII percent-encoded (as UTF-8), so that it can
    go out as a header value; escapes already in it are kept."""
    return quote(text, safe=_PRINTABLE)


def rule_location(rule: WebsiteRoutingRule, key: str, host: str, protocol: str) -> tuple[int, str]:
    """(status, Location) of a routing rule's redirect of the key asked for."""
    redirect = rule.redirect
    if redirect.replace_key_with is not None:
        path = redirect.replace_key_with
    elif redirect.replace_key_prefix_with is not None:
        rest = key[len(rule.key_prefix_equals or ""):]
        path = redirect.replace_key_prefix_with + quote(rest, safe=_PATH_SAFE)
    else:
        path = quote(key, safe=_PATH_SAFE)
    location = f"{redirect.protocol or protocol}://{redirect.host_name or host}/{path}"
    return redirect.http_redirect_code or 301, header_safe(location)


def redirect_all_location(redirect: WebsiteRedirect, protocol: str, raw_path: str, raw_query: str) -> str:
    """RedirectAllRequestsTo's Location: its host (and protocol), the request's path and query."""
    query = f"?{raw_query}" if raw_query else ""
    return header_safe(f"{redirect.protocol or protocol}://{redirect.host_name}{raw_path}{query}")


# -- errors ------------------------------------------------------------------------------------


class WebsiteError(S3Error):
    """An error whose ErrorDocument could not be served either (`document_error`, reading
    `document_key`): its page says both, as S3's does."""

    def __init__(self, error: S3Error, document_error: S3Error, document_key: str) -> None:
        super().__init__(error.code, error.message, error.status, error.headers, **error.extra)
        self.document_error = document_error
        self.document_key = document_key


def _items(fields: list[tuple[str, str]]) -> str:
    return "".join(f"<li>{html.escape(name)}: {html.escape(value)}</li>\n" for name, value in fields)


def error_page(exc: S3Error, request_id: str, host_id: str) -> bytes:
    """S3's HTML error page: the status as title and heading, then Code, Message, the error's own
    fields (BucketName, Key, Method, ...), RequestId and HostId, and what went wrong reading the
    ErrorDocument, if that was tried."""
    try:
        title = f"{exc.status} {HTTPStatus(exc.status).phrase}"
    except ValueError:
        title = str(exc.status)
    fields = [("Code", exc.code), ("Message", exc.message), *exc.extra.items(), ("RequestId", request_id),
              ("HostId", host_id)]
    nested = ""
    if isinstance(exc, WebsiteError):
        inner = exc.document_error
        nested = ("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n"
                  + _items([("Code", inner.code), ("Message", inner.message), ("Key", exc.document_key)])
                  + "</ul>\n")
    return (f"<html>\n<head><title>{html.escape(title)}</title></head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n<ul>\n{_items(fields)}</ul>\n{nested}<hr/>\n</body>\n</html>\n"
            ).encode()


def error_headers(exc: S3Error) -> list[tuple[str, str]]:
    """The headers S3's website endpoint puts on an error (and on the ErrorDocument sent for one)."""
    return [(name, quote(value, safe=_PRINTABLE + " ")) for name, value in (
        ("x-amz-error-code", exc.code), ("x-amz-error-message", exc.message))]


def error_response(exc: S3Error, request_id: str, host_id: str) -> Response:
    """The pipeline's answer to an error at a website endpoint: the HTML page."""
    headers = [HTML_TYPE, *error_headers(exc), *exc.headers.items()]
    return Response(exc.status, headers, error_page(exc, request_id, host_id))
