"""AWS Signature Version 2 for S3: `Authorization: AWS AKID:signature` and query-string URLs.

Theory of operation
-------------------
    string to sign = method \\n Content-MD5 \\n Content-Type \\n date \\n
                     x-amz-name:value \\n ... (lowercase names, sorted, repeats joined by ",")
                     canonicalized resource
    signature      = base64(hmac-sha1(secret, string to sign))

The date line is the Date header (empty when x-amz-date is sent: that one is
signed among the x-amz-* headers) or, for a query-string URL, its Expires.
The canonicalized resource is the path re-encoded the way clients send it
(botocore: AWS URI encoding, "/" kept) followed by the sub-resources S3
signs, sorted, with their values decoded.  Clients disagree on a few details,
so a small set of candidate strings is tried, all naming the same resource:
the raw path as sent (when the HTTP layer gives it), "/bucket/" for a
path-style bucket request (boto3 signs that trailing slash), botocore's older
sub-resource list beside S3's, and "name=" beside the bare name S3 signs for a
sub-resource sent with an empty value.  A query-string URL carries x-amz-*
values and Content-Type/Content-MD5 in its query when botocore presigned them.
Header requests get the 15 minute clock skew check; URLs only their expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime

from .common import (
    HeaderMap,
    check_skew,
    first,
    parse_http_date,
    server_time,
    unsigned_payload,
    uri_encode,
    utf8,
)
from .errors import NO_DATE, access_denied, invalid_access_key, invalid_argument, signature_mismatch
from .model import Credentials, Identity

# botocore's HmacV1Auth.QSAOfInterest: what boto3 signs.
SUBRESOURCES_BOTOCORE = frozenset({
    "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle",
    "location", "logging", "metrics", "notification", "object-lock", "partNumber", "policy",
    "replication", "requestPayment", "response-cache-control", "response-content-disposition",
    "response-content-encoding", "response-content-language", "response-content-type",
    "response-expires", "restore", "select", "select-type", "storageClass", "tagging", "torrent",
    "uploadId", "uploads", "versionId", "versioning", "versions", "website",
})
# S3's documented list and MinIO's additions on top of botocore's.
SUBRESOURCES = SUBRESOURCES_BOTOCORE | frozenset({
    "attributes", "encryption", "legal-hold", "ownershipControls", "publicAccessBlock", "retention",
})
_NUMBER = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)
_NO_SPACE = "Authorization header is invalid -- one and only one ' ' (space) required"


def sign(secret: str, text: str) -> str:
    return base64.b64encode(hmac.new(utf8(secret), utf8(text), hashlib.sha1).digest()).decode("ascii")


def subresources(query: list[tuple[str, str]], names: frozenset[str], bare: bool = True) -> str:
    """"?name&name=value..." of the signed sub-resources, sorted; an empty value is written as
    the bare name (S3, MinIO), or as "name=" when `bare` is False (botocore, given "?name=")."""
    picked = sorted(((n, v) for n, v in query if n in names), key=lambda pair: pair[0])
    if not picked:
        return ""
    return "?" + "&".join(name if bare and value == "" else f"{name}={value}" for name, value in picked)


def resources(path: str, raw_path: str | None, bucket: str | None,
              query: list[tuple[str, str]]) -> list[str]:
    """The canonicalized resources to try, S3's own first."""
    paths = [uri_encode(path or "/", keep_slash=True)]
    if raw_path is not None and raw_path not in paths:
        paths.append(raw_path)
    if bucket is not None:
        paths = [f"/{bucket}{p}" for p in paths]
    elif path.count("/") == 1 and len(path) > 1:
        paths.append(paths[0] + "/")
    subs = [subresources(query, names, bare) for bare in (True, False)
            for names in (SUBRESOURCES, SUBRESOURCES_BOTOCORE)]
    out: list[str] = []
    for p in paths:
        for s in subs:
            if p + s not in out:
                out.append(p + s)
    return out


def string_to_sign(method: str, headers: HeaderMap, date_line: str, resource: str,
                   query_headers: dict[str, str] | None = None) -> str:
    extra = query_headers or {}
    amz = {name: ",".join(v.strip() for v in values) for name, values in headers.items()
           if name.startswith("x-amz-")}
    for name, value in extra.items():
        if name.startswith("x-amz-"):
            amz.setdefault(name, value.strip())
    md5 = first(headers, "content-md5") or extra.get("content-md5", "")
    ctype = first(headers, "content-type") or extra.get("content-type", "")
    lines = [method, md5.strip(), ctype.strip(), date_line]
    lines += [f"{name}:{amz[name]}" for name in sorted(amz)]
    return "\n".join([*lines, resource])


def _verify(credentials: Credentials, access_key: str, provided: str, candidates: list[str]) -> None:
    secret = credentials.secret_for(access_key)
    if secret is None:
        raise invalid_access_key(access_key)
    for text in candidates:
        if hmac.compare_digest(utf8(sign(secret, text)), utf8(provided)):
            return
    raise signature_mismatch(access_key, candidates[0], provided)


def authenticate_header(method: str, path: str, query: list[tuple[str, str]], headers: HeaderMap,
                        authz: str, credentials: Credentials, now: datetime,
                        raw_path: str | None = None, bucket: str | None = None) -> Identity:
    """`Authorization: AWS AKID:base64-signature`."""
    rest = authz.partition(" ")[2]
    if rest.startswith(" "):
        raise invalid_argument(_NO_SPACE, "Authorization", authz)
    access_key, colon, signature = rest.partition(":")
    if not colon or not signature or ":" in signature:
        raise invalid_argument("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
                               "Authorization", authz)
    amz = first(headers, "x-amz-date")
    sent = amz if amz is not None else (first(headers, "date") or "")
    when = parse_http_date(sent)
    if when is None:
        raise access_denied(NO_DATE)
    check_skew(when, sent, now)
    date_line = "" if amz is not None else sent
    candidates = [string_to_sign(method, headers, date_line, resource)
                  for resource in resources(path, raw_path, bucket, query)]
    _verify(credentials, access_key, signature, candidates)
    return Identity(access_key, "v2-header", unsigned_payload(headers))


def _expiry_text(expires: int, raw: str) -> str:
    try:
        return server_time(datetime.fromtimestamp(expires, UTC))
    except (OverflowError, OSError, ValueError):
        return raw


def authenticate_query(method: str, path: str, query: list[tuple[str, str]], headers: HeaderMap,
                       credentials: Credentials, now: datetime, raw_path: str | None = None,
                       bucket: str | None = None) -> Identity:
    """`?AWSAccessKeyId=AKID&Expires=<epoch seconds>&Signature=<base64>`."""
    params: dict[str, str] = {}
    for name, value in query:
        params.setdefault(name, value)
    if "Expires" not in params or "AWSAccessKeyId" not in params:
        raise access_denied("Query-string authentication requires the Signature, Expires and "
                            "AWSAccessKeyId parameters")
    raw = params["Expires"]
    if not _NUMBER.fullmatch(raw):
        raise access_denied(f"Invalid date (should be seconds since epoch): {raw}")
    expires = int(raw)
    if now.timestamp() > expires:
        raise access_denied("Request has expired", Expires=_expiry_text(expires, raw),
                            ServerTime=server_time(now))
    query_headers = {name.lower(): value for name, value in query
                     if name.lower().startswith("x-amz-") or name.lower() in ("content-type", "content-md5")}
    # Base64 has no spaces: a "+" sent unescaped in the URL was decoded to one.
    signature = params["Signature"].replace(" ", "+")
    candidates = [string_to_sign(method, headers, raw, resource, query_headers)
                  for resource in resources(path, raw_path, bucket, query)]
    _verify(credentials, params["AWSAccessKeyId"], signature, candidates)
    return Identity(params["AWSAccessKeyId"], "v2-query", unsigned_payload(headers))
