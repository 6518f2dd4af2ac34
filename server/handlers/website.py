"""Static websites: Put/Get/DeleteBucketWebsite with S3's WebsiteConfiguration document, and the
website endpoint's answer to a GET or HEAD ("Website", a request whose Host is
`<bucket>.<--website-domain>`; what it decides without I/O, and in which order, is
server/website.py's docstring).

The document, checked as S3 checks it (the API reference, and the answers other
implementations recorded from S3): the root WebsiteConfiguration holds at most one each of
IndexDocument (Suffix), ErrorDocument (Key), RedirectAllRequestsTo (HostName, optional Protocol)
and RoutingRules (RoutingRule elements, each with an optional Condition of KeyPrefixEquals and
HttpErrorCodeReturnedEquals, and a Redirect of HostName, Protocol, ReplaceKeyPrefixWith,
ReplaceKeyWith and HttpRedirectCode, all optional); any other shape, a required element missing,
a code that is not a number, and a body over 128 KiB is MalformedXML.  Then, in S3's order:

- RedirectAllRequestsTo with anything else: InvalidArgument "RedirectAllRequestsTo cannot be
  provided in conjunction with other Routing Rules."; an empty HostName there, or a Protocol
  other than http or https anywhere: InvalidRequest;
- no IndexDocument: InvalidArgument "A value for IndexDocument Suffix must be provided if
  RedirectAllRequestsTo is empty"; a Suffix that is empty or holds a "/": InvalidArgument "The
  IndexDocument Suffix is not well formed"; an empty ErrorDocument Key likewise;
- more than 50 RoutingRule: InvalidRequest ("Amazon S3 has a limitation of 50 routing rules per
  website configuration");
- per rule, InvalidRequest: a Condition with neither element, an HttpErrorCodeReturnedEquals
  not 4XX or 5XX, both ReplaceKeyWith and ReplaceKeyPrefixWith, an HttpRedirectCode not 3XX
  but 300, an empty HostName.

Values are kept as sent; GetBucketWebsite writes the elements in the API reference's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from xml.etree.ElementTree import Element

from cairn.engine.api import WebsiteConfig, WebsiteRedirect, WebsiteRoutingRule
from cairn.engine.errors import EngineError

from ..body import read_body
from ..context import Context, Request, Response
from ..errors import S3Error, from_engine
from ..metadata import REDIRECT_LOCATION
from ..website import (
    WebsiteError,
    document_key,
    error_headers,
    folder_index,
    header_safe,
    matching_rule,
    redirect_all_location,
    rule_location,
)
from ..xml import XML_HEADER, XMLError, document, esc, expect_root, leaf, parse_xml
from .get import get_or_head
from .service import configured

MAX_BODY = 128 << 10
MAX_ELEMENTS = 4096  # a few hundred rules: more are refused by count, not parsed at length
MAX_RULES = 50
PROTOCOLS = ("http", "https")
ROOT = ("IndexDocument", "ErrorDocument", "RedirectAllRequestsTo", "RoutingRules")
REDIRECT = ("HostName", "Protocol", "ReplaceKeyPrefixWith", "ReplaceKeyWith", "HttpRedirectCode")
CONDITION = ("KeyPrefixEquals", "HttpErrorCodeReturnedEquals")
BAD_PROTOCOL = ("Invalid protocol, protocol can be http or https. If not defined the protocol will be "
                "selected automatically.")


# -- the document ----------------------------------------------------------------------------

def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _children(element: Element, allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Element]:
    """An element's children by name: only `allowed` ones, each once, `required` ones there, and
    no text beside them (else MalformedXML)."""
    if not _blank(element.text):
        raise XMLError("MalformedXML")
    found: dict[str, Element] = {}
    for child in element:
        if child.tag not in allowed or child.tag in found:
            raise XMLError("MalformedXML")
        found[child.tag] = child
    if any(name not in found for name in required):
        raise XMLError("MalformedXML")
    return found


def _text(parent: dict[str, Element], name: str) -> str | None:
    """The text of a leaf child (None when absent; MalformedXML when it has children)."""
    child = parent.get(name)
    if child is None:
        return None
    if len(child):
        raise XMLError("MalformedXML")
    return child.text or ""


def _code(parent: dict[str, Element], name: str) -> tuple[int, str] | None:
    """An HTTP status code element as (number, text); MalformedXML when it is not a number."""
    text = _text(parent, name)
    if text is None:
        return None
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
        raise XMLError("MalformedXML")
    return int(digits), digits


def _invalid_argument(message: str, name: str, value: str) -> S3Error:
    return S3Error("InvalidArgument", message, ArgumentName=name, ArgumentValue=value)


def _redirect(fields: dict[str, Element]) -> WebsiteRedirect:
    """A Redirect (or RedirectAllRequestsTo): its values, Protocol and HostName checked."""
    protocol = _text(fields, "Protocol")
    if protocol is not None and protocol not in PROTOCOLS:
        raise S3Error("InvalidRequest", BAD_PROTOCOL)
    code = _code(fields, "HttpRedirectCode")
    return WebsiteRedirect(_text(fields, "HostName"), protocol, _text(fields, "ReplaceKeyPrefixWith"),
                           _text(fields, "ReplaceKeyWith"), None if code is None else code[0])


def _routing_rule(element: Element) -> WebsiteRoutingRule:
    """One RoutingRule, its shape and then its values checked."""
    parts = _children(element, ("Condition", "Redirect"), ("Redirect",))
    condition = _children(parts["Condition"], CONDITION) if "Condition" in parts else None
    redirect_fields = _children(parts["Redirect"], REDIRECT)
    redirect = _redirect(redirect_fields)
    prefix, error = None, None
    if condition is not None:
        if not condition:
            raise S3Error("InvalidRequest", "Condition cannot be empty. To redirect all requests without a "
                                            "condition, the condition element shouldn't be present.")
        prefix, error = _text(condition, "KeyPrefixEquals"), _code(condition, "HttpErrorCodeReturnedEquals")
        if error is not None and not 400 <= error[0] <= 599:
            raise S3Error("InvalidRequest", f"The provided HTTP error code ({error[1]}) is not valid. Valid "
                                            "codes are 4XX or 5XX.")
    if redirect.replace_key_with is not None and redirect.replace_key_prefix_with is not None:
        raise S3Error("InvalidRequest", "You can only define ReplaceKeyPrefix or ReplaceKey but not both.")
    code = redirect.http_redirect_code
    if code is not None and not 301 <= code <= 399:
        shown = _code(redirect_fields, "HttpRedirectCode")
        raise S3Error("InvalidRequest", f"The provided HTTP redirect code ({shown[1] if shown else code}) is "
                                        "not valid. Valid codes are 3XX except 300.")
    if redirect.host_name == "":
        raise S3Error("InvalidRequest", "The HostName cannot be blank. To redirect within the same domain, "
                                        "the element should not be present.")
    return WebsiteRoutingRule(redirect, prefix, None if error is None else error[0])


def parse_website_configuration(body: bytes) -> WebsiteConfig:
    root = parse_xml(body, MAX_BODY, max_elements=MAX_ELEMENTS)
    expect_root(root, "WebsiteConfiguration")
    sections = _children(root, ROOT)
    index = _children(sections["IndexDocument"], ("Suffix",), ("Suffix",)) if "IndexDocument" in sections \
        else None
    error = _children(sections["ErrorDocument"], ("Key",), ("Key",)) if "ErrorDocument" in sections else None
    everything = (_children(sections["RedirectAllRequestsTo"], ("HostName", "Protocol"), ("HostName",))
                  if "RedirectAllRequestsTo" in sections else None)
    rules_element = sections.get("RoutingRules")
    if rules_element is not None and (not len(rules_element) or not _blank(rules_element.text)
                                      or any(rule.tag != "RoutingRule" for rule in rules_element)):
        raise XMLError("MalformedXML")
    if everything is not None:
        if len(sections) > 1:
            raise _invalid_argument("RedirectAllRequestsTo cannot be provided in conjunction with other "
                                    "Routing Rules.", "RedirectAllRequestsTo", "not null")
        redirect = _redirect(everything)
        if not redirect.host_name:
            raise S3Error("InvalidRequest", 'A host name must be provided to redirect all requests (e.g. '
                                            '"example.com").')
        return WebsiteConfig(redirect_all=redirect)
    if index is None:
        raise _invalid_argument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo "
                                "is empty", "IndexDocument", "null")
    suffix = _text(index, "Suffix") or ""
    if not suffix or "/" in suffix:
        raise _invalid_argument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix)
    error_key = _text(error, "Key") if error is not None else None
    if error_key == "":
        raise _invalid_argument("The ErrorDocument Key is not well formed", "ErrorDocument", "")
    rules: list[WebsiteRoutingRule] = []
    if rules_element is not None:
        if len(rules_element) > MAX_RULES:
            raise S3Error("InvalidRequest", f"{len(rules_element)} routing rules provided, the number of "
                                            "routing rules in a website configuration is limited to "
                                            f"{MAX_RULES}.")
        rules = [_routing_rule(rule) for rule in rules_element]
    return WebsiteConfig(suffix, error_key, None, tuple(rules))


def _leaf(name: str, value: str | int | None) -> str:
    return leaf(name, None if value is None else esc(str(value)))


def _redirect_xml(redirect: WebsiteRedirect) -> str:
    return (_leaf("HostName", redirect.host_name) + _leaf("HttpRedirectCode", redirect.http_redirect_code)
            + _leaf("Protocol", redirect.protocol)
            + _leaf("ReplaceKeyPrefixWith", redirect.replace_key_prefix_with)
            + _leaf("ReplaceKeyWith", redirect.replace_key_with))


def website_configuration_xml(config: WebsiteConfig) -> bytes:
    """GetBucketWebsite: RedirectAllRequestsTo, IndexDocument, ErrorDocument, RoutingRules."""
    body = ""
    if config.redirect_all is not None:
        body += f"<RedirectAllRequestsTo>{_redirect_xml(config.redirect_all)}</RedirectAllRequestsTo>"
    if config.index_suffix is not None:
        body += f"<IndexDocument>{_leaf('Suffix', config.index_suffix)}</IndexDocument>"
    if config.error_key is not None:
        body += f"<ErrorDocument>{_leaf('Key', config.error_key)}</ErrorDocument>"
    if config.routing_rules:
        rules = ""
        for rule in config.routing_rules:
            condition = (_leaf("HttpErrorCodeReturnedEquals", rule.http_error_code_returned_equals)
                         + _leaf("KeyPrefixEquals", rule.key_prefix_equals))
            rules += ("<RoutingRule>" + (f"<Condition>{condition}</Condition>" if condition else "")
                      + f"<Redirect>{_redirect_xml(rule.redirect)}</Redirect></RoutingRule>")
        body += f"<RoutingRules>{rules}</RoutingRules>"
    return document("WebsiteConfiguration", body)


# -- the operations --------------------------------------------------------------------------

async def handle_put_bucket_website(ctx: Context) -> Response:
    config = parse_website_configuration(await read_body(ctx, MAX_BODY))
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


async def handle_get_bucket_website(ctx: Context) -> Response:
    config = await configured(ctx, WebsiteConfig,
                              S3Error("NoSuchWebsiteConfiguration", BucketName=ctx.bucket))
    return Response(200, [XML_HEADER], website_configuration_xml(config))


async def handle_delete_bucket_website(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, WebsiteConfig)
    return Response(204)


# -- the website endpoint --------------------------------------------------------------------

# What an ErrorDocument is read without: it answers whatever went wrong, whole.
REQUEST_CONDITIONS = frozenset({"range", "if-match", "if-none-match", "if-modified-since",
                                "if-unmodified-since"})


class WebsiteRead:
    """The website request as GetObject's machinery reads it: without its query (the website
    endpoint reads none: ?versionId, ?partNumber, response-* mean nothing there), and without
    the headers named in `drop`."""

    def __init__(self, request: Request, drop: frozenset[str] = frozenset()) -> None:
        self.method = request.method
        self.target = request.raw_path
        self.path = request.path
        self.raw_path = request.raw_path
        self.query: list[tuple[str, str]] = []
        self.headers = [(name, value) for name, value in request.headers if name not in drop]
        self._lookup = {name: value for name, value in request.header_map.items() if name not in drop}

    def header(self, name: str, default: str | None = None) -> str | None:
        return self._lookup.get(name, default)

    @property
    def header_map(self) -> dict[str, str]:
        return self._lookup

    @property
    def query_map(self) -> dict[str, str]:
        return {}

    @property
    def content_length(self) -> int | None:
        return None


async def _discard(response: Response) -> None:
    """Release a response that will not be sent (its blocks were not read yet)."""
    if not isinstance(response.body, bytes):
        close = getattr(response.body, "aclose", None)
        if close is not None:
            await close()


async def read_object(ctx: Context, key: str, drop: frozenset[str] = frozenset()) -> Response | S3Error:
    """GetObject's (or HeadObject's) answer for one key as an anonymous reader may have it: the
    object, 301 to its x-amz-website-redirect-location, or the error (AccessDenied when the bucket's
    policy and ACLs do not let everybody read it)."""
    if not await ctx.access.allows_read(ctx.bucket, key):
        return S3Error("AccessDenied")
    read = replace(ctx, key_name=key, request=WebsiteRead(ctx.request, drop))
    try:
        response = await get_or_head(read, head=ctx.request.method == "HEAD")
    except S3Error as exc:
        return exc
    except EngineError as exc:
        return from_engine(exc)
    location = next((value for name, value in response.headers if name == REDIRECT_LOCATION), None)
    if location is not None:
        await _discard(response)
        return Response(301, [("Location", header_safe(location))])
    return response


async def readable(ctx: Context, key: str) -> bool:
    """Whether an anonymous reader may read the key's latest version, and there is one."""
    if not await ctx.access.allows_read(ctx.bucket, key):
        return False
    return await ctx.access.load_object(ctx.bucket, key, None) is not None


async def error_document(ctx: Context, config: WebsiteConfig, error: S3Error) -> Response:
    """The ErrorDocument sent with an error's status (4XX only, as S3); raises the error when
    there is none, or a WebsiteError saying why it could not be read."""
    key = config.error_key
    if key is None or not 400 <= error.status <= 499:
        raise error
    answer = await read_object(ctx, key, REQUEST_CONDITIONS)
    if isinstance(answer, S3Error):
        raise WebsiteError(error, answer, key)
    if answer.status != 301:
        answer.status = error.status
        answer.headers = [*answer.headers, *error_headers(error)]
    return answer


def request_protocol(ctx: Context) -> str:
    """The scheme a redirect keeps when its rule names none: https behind a proxy that says so."""
    return "https" if (ctx.header("x-forwarded-proto") or "").lower() == "https" else "http"


async def handle_website(ctx: Context) -> Response:
    method = ctx.request.method
    if method not in ("GET", "HEAD"):
        raise S3Error("MethodNotAllowed", Method=method, ResourceType="OBJECT")
    info = await ctx.access.load(ctx.bucket)
    if info is None:
        raise S3Error("NoSuchBucket", BucketName=ctx.bucket)
    config = info.config(WebsiteConfig)
    if config is None:
        raise S3Error("NoSuchWebsiteConfiguration", BucketName=ctx.bucket)
    protocol = request_protocol(ctx)
    if config.redirect_all is not None:
        query = ctx.request.target.partition("?")[2]
        location = redirect_all_location(config.redirect_all, protocol, ctx.request.raw_path, query)
        return Response(301, [("Location", location)])
    key, suffix = ctx.key_name or "", config.index_suffix or ""
    outcome = await read_object(ctx, document_key(key, suffix))
    folder = folder_index(key, suffix)
    missing = isinstance(outcome, S3Error) and outcome.code == "NoSuchKey"
    if missing and folder is not None and await readable(ctx, folder):
        outcome = Response(302, [("Location", header_safe(ctx.request.raw_path + "/"))])
    rule = matching_rule(config.routing_rules, key, outcome.status)
    if rule is not None:
        if isinstance(outcome, Response):
            await _discard(outcome)
        status, location = rule_location(rule, key, ctx.header("host") or ctx.bucket, protocol)
        return Response(status, [("Location", location)])
    if isinstance(outcome, Response):
        return outcome
    return await error_document(ctx, config, outcome)

