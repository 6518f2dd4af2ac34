"""CORS: Put/Get/DeleteBucketCors with S3's CORSConfiguration document, and the preflight
(OPTIONS, "OptionsObject"), answered without authentication as S3 does.  Which rule matches a
request, and the headers of the answer, are server/cors.py's; the CORS headers of actual
requests are a step of the pipeline (app.py).

The document, checked as S3 checks it: the root CORSConfiguration holds 1 to 100 CORSRule and
nothing else; a rule holds at least one AllowedOrigin and one AllowedMethod, any number of
AllowedHeader and ExposeHeader, at most one ID (255 characters at most) and one MaxAgeSeconds (a
non-negative 32-bit integer), and nothing else; any other shape, and a body over 64 KiB, is
MalformedXML.  Then, rule by rule, InvalidRequest for an AllowedMethod other than GET, PUT,
HEAD, POST or DELETE (case-sensitive), an AllowedOrigin or AllowedHeader with more than one
`*`, an ExposeHeader with any.  Values are kept as sent (S3 keeps whitespace too).
GetBucketCors writes the elements in S3's order.

A preflight is answered, in S3's order of checks: no Origin, 400 BadRequest; a bucket that does
not exist, 403 AccessForbidden "CORSResponse: Bucket not found" (but for a PUT of the bucket
itself, CreateBucket, which the server-wide default answers, so that a browser app such as the
web console can create buckets; S3 refuses it); a bucket without a
configuration (and the server-wide default off), 403 "CORS is not enabled for this bucket.";
an Access-Control-Request-Method that is missing or not one of S3's five methods, 400
BadRequest; no rule matching, 403 "This CORS request is not allowed. ...".  The 403s carry
the Method and ResourceType (BUCKET or OBJECT) elements S3 adds.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from cairn.engine.api import BucketInfo, CorsConfig, CorsRule

from ..body import read_body
from ..context import Context, Response
from ..cors import METHODS, bucket_rules, default_rules, first_match, one_wildcard, requested_headers
from ..errors import S3Error
from ..xml import XML_HEADER, XMLError, document, esc, expect_root, parse_xml
from .service import configured

MAX_BODY = 64 << 10  # S3: a CORS configuration is at most 64 KB
MAX_RULES = 100
MAX_ID = 255
MAX_AGE = 2**31 - 1
RULE_ELEMENTS = frozenset({"ID", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader",
                           "MaxAgeSeconds"})
NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket."
NOT_ALLOWED = ("CORSResponse: This CORS request is not allowed. This is usually because the evalution "
               "of Origin, request method / Access-Control-Request-Method or Access-Control-Request-"
               "Headers are not whitelisted by the resource's CORS spec.")


# -- the document ----------------------------------------------------------------------------

def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _rule_values(rule: Element) -> dict[str, list[str]]:
    """The rule's values by element name, its shape checked (MalformedXML)."""
    values: dict[str, list[str]] = {name: [] for name in RULE_ELEMENTS}
    if not _blank(rule.text):
        raise XMLError("MalformedXML")
    for child in rule:
        if child.tag not in RULE_ELEMENTS or len(child):
            raise XMLError("MalformedXML")
        values[child.tag].append(child.text or "")
    if (not values["AllowedOrigin"] or not values["AllowedMethod"] or len(values["ID"]) > 1
            or len(values["MaxAgeSeconds"]) > 1 or any(len(i) > MAX_ID for i in values["ID"])):
        raise XMLError("MalformedXML")
    for age in values["MaxAgeSeconds"]:
        if not (age.isascii() and age.isdigit()) or int(age) > MAX_AGE:
            raise XMLError("MalformedXML")
    return values


def _check_rule(values: dict[str, list[str]]) -> None:
    """S3's InvalidRequest checks of one rule, in its order."""
    for method in values["AllowedMethod"]:
        if method not in METHODS:
            raise S3Error("InvalidRequest",
                          f"Found unsupported HTTP method in CORS config. Unsupported method is {method}")
    for name in ("AllowedOrigin", "AllowedHeader"):
        for value in values[name]:
            if not one_wildcard(value):
                raise S3Error("InvalidRequest", f'{name} "{value}" can not have more than one wildcard.')
    for value in values["ExposeHeader"]:
        if "*" in value:
            raise S3Error("InvalidRequest", f'ExposeHeader "{value}" contains wildcard. We currently do '
                                            "not support wildcard for ExposeHeader.")


def parse_cors_configuration(body: bytes) -> CorsConfig:
    root = parse_xml(body, MAX_BODY)
    expect_root(root, "CORSConfiguration")
    if not _blank(root.text) or not 1 <= len(root) <= MAX_RULES or any(r.tag != "CORSRule" for r in root):
        raise XMLError("MalformedXML")
    rules = [_rule_values(rule) for rule in root]  # the whole shape first, then S3's value checks
    for values in rules:
        _check_rule(values)
    return CorsConfig(tuple(
        CorsRule(tuple(v["AllowedOrigin"]), tuple(v["AllowedMethod"]), tuple(v["AllowedHeader"]),
                 tuple(v["ExposeHeader"]), int(v["MaxAgeSeconds"][0]) if v["MaxAgeSeconds"] else None,
                 v["ID"][0] if v["ID"] else None)
        for v in rules))


def cors_configuration_xml(config: CorsConfig) -> bytes:
    """GetBucketCors: ID, AllowedMethod, AllowedOrigin, AllowedHeader, MaxAgeSeconds, ExposeHeader."""
    def many(name: str, values: tuple[str, ...]) -> str:
        return "".join(f"<{name}>{esc(v)}</{name}>" for v in values)

    rules = "".join(
        "<CORSRule>"
        + ("" if r.id is None else f"<ID>{esc(r.id)}</ID>")
        + many("AllowedMethod", r.allowed_methods) + many("AllowedOrigin", r.allowed_origins)
        + many("AllowedHeader", r.allowed_headers)
        + ("" if r.max_age_seconds is None else f"<MaxAgeSeconds>{r.max_age_seconds}</MaxAgeSeconds>")
        + many("ExposeHeader", r.expose_headers) + "</CORSRule>"
        for r in config.rules)
    return document("CORSConfiguration", rules)


# -- the operations --------------------------------------------------------------------------

async def handle_put_bucket_cors(ctx: Context) -> Response:
    config = parse_cors_configuration(await read_body(ctx, MAX_BODY))
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


async def handle_get_bucket_cors(ctx: Context) -> Response:
    config = await configured(ctx, CorsConfig, S3Error("NoSuchCORSConfiguration", BucketName=ctx.bucket))
    return Response(200, [XML_HEADER], cors_configuration_xml(config))


async def handle_delete_bucket_cors(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, CorsConfig)
    return Response(204)


async def _bucket(ctx: Context, name: str) -> BucketInfo | None:
    """The bucket's record from this process's cache, else read (a preflight has no authorization
    step to have loaded it)."""
    info = ctx.layer.cached_bucket(name)
    return info if info is not None else await ctx.run(ctx.layer.lookup_bucket, name)


async def handle_options_object(ctx: Context) -> Response:
    origin = ctx.header("origin")
    if not origin:
        raise S3Error("BadRequest", "Insufficient information. Origin request header needed.")
    method = ctx.header("access-control-request-method")
    resource_type = "BUCKET" if ctx.key_name is None else "OBJECT"

    def forbidden(message: str) -> S3Error:
        return S3Error("AccessForbidden", message, Method=method or "OPTIONS", ResourceType=resource_type)

    if ctx.bucket_name is None:
        rules = default_rules(ctx.config.cors_allow_origins)
    else:
        info = await _bucket(ctx, ctx.bucket_name)
        if info is None and not (ctx.key_name is None and method == "PUT"):
            raise forbidden("CORSResponse: Bucket not found")
        own = bucket_rules(info) if info is not None else None
        rules = own if own is not None else default_rules(ctx.config.cors_allow_origins)
    if not rules:
        raise forbidden(NOT_ENABLED)
    if method is None or method not in METHODS:
        shown = "null" if method is None else method
        raise S3Error("BadRequest", f"Invalid Access-Control-Request-Method: {shown}")
    headers = requested_headers(ctx.header("access-control-request-headers"))
    match = first_match(rules, origin, method, headers)
    if match is None:
        raise forbidden(NOT_ALLOWED)
    return Response(200, match.headers(wildcard=True, allow_headers=headers))
