"""AWS Signature Version 4 for S3: the Authorization header and presigned (query) URLs.

Theory of operation
-------------------
The server rebuilds the canonical request from what it received and signs it
with the secret of the access key named in the credential scope:

    canonical request = method \\n canonical URI \\n canonical query \\n
                        canonical headers \\n signed header names \\n payload hash
    string to sign    = AWS4-HMAC-SHA256 \\n timestamp \\n scope \\n hex(sha256(canonical request))
    signature         = hex(hmac(signing key, string to sign)),
    signing key       = hmac chain of "AWS4"+secret over date, region, "s3", "aws4_request"

S3 does not normalise the path: the canonical URI is the decoded path
re-encoded with AWS's rule (and, when the HTTP layer hands it over, the raw
path as sent is tried too).  The canonical query is AWS's (pairs sorted by
name, then value); when a name repeats, the form minio-go signs (names sorted,
a name's values in the order sent) is tried too.  Checks run in the order S3
runs them, so a request with two faults gets S3's error: payload hash header,
date, clock skew, the header's three components, the credential scope, the
scope's date, headers that had to be signed, the access key, and last the
signature (compared in constant time).  Any region is accepted; the service must be s3.
The verified signature, signing key, scope and timestamp go into the
PayloadMode so chunk signatures of a streaming body can be checked later.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cairn.engine.sigv4_sign import canonical_query as aws_canonical_query

from .common import (
    ISO_BASIC,
    MAX_SKEW,
    HeaderMap,
    check_payload_hash,
    check_skew,
    first,
    parse_amz_date,
    parse_http_date,
    payload_mode,
    server_time,
    trimall,
    uri_encode,
    utf8,
)
from .errors import (
    NO_DATE,
    NOT_SIGNED,
    AuthError,
    access_denied,
    header_malformed,
    invalid_access_key,
    invalid_request,
    not_implemented,
    query_malformed,
    signature_mismatch,
)
from .model import Credentials, Identity

ALGORITHM = "AWS4-HMAC-SHA256"
SIGV4A = "AWS4-ECDSA-P256-SHA256"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
MAX_EXPIRES = 604800  # a week, the longest a presigned URL may live
QUERY_PARAMS = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
                "X-Amz-SignedHeaders", "X-Amz-Expires")
_CREDENTIAL_FORMAT = ('the Credential is mal-formed; expecting '
                      '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')
_SCOPE_DATE = re.compile(r"[0-9]{8}", re.ASCII)
_SIGNED_NUMBER = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)


@dataclass(frozen=True)
class Scope:
    access_key: str
    date: str
    region: str
    service: str = "s3"

    @property
    def text(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/aws4_request"


@dataclass(frozen=True)
class Endpoint:
    """What the endpoint a request reaches takes in its credential scope: the service name
    (s3; sts for AssumeRole), and whether the region may be empty (mc's admin requests)."""

    service: str = "s3"
    empty_region: bool = False
    payload_sha256: str | None = None  # the body's digest, read first where the service sends no header


S3_ENDPOINT = Endpoint()


@functools.lru_cache(maxsize=1024)
def signing_key(secret: str, date: str, region: str, service: str = "s3") -> bytes:
    key = utf8("AWS4" + secret)
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, utf8(part), hashlib.sha256).digest()
    return key


def hmac_hex(key: bytes, text: str) -> str:
    return hmac.new(key, utf8(text), hashlib.sha256).hexdigest()


def canonical_uri(path: str) -> str:
    return uri_encode(path or "/", keep_slash=True)


def _signed_pairs(query: list[tuple[str, str]], presigned: bool) -> list[tuple[str, str]]:
    return [(name, value) for name, value in query if not (presigned and name == "X-Amz-Signature")]


def _joined(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs)


def canonical_query(query: list[tuple[str, str]], presigned: bool) -> str:
    """AWS's canonical query (encoded pairs sorted by name, then by value) of the signed pairs:
    the one Cairn's own requests are signed with (engine/sigv4_sign.py)."""
    return aws_canonical_query(_signed_pairs(query, presigned))


def candidate_queries(query: list[tuple[str, str]], presigned: bool) -> list[str]:
    """AWS's canonical query, then, only when a name repeats and it differs, minio-go's.

    minio-go signs Go's url.Values.Encode() ("+" made "%20"): names sorted as decoded, and a
    repeated name's values in the order sent, not sorted (`mc watch` sends events=...&events=...)."""
    aws = canonical_query(query, presigned)
    pairs = _signed_pairs(query, presigned)
    if len({name for name, _ in pairs}) == len(pairs):
        return [aws]
    sent = _joined([(uri_encode(name, False), uri_encode(value, False))
                    for name, value in sorted(pairs, key=lambda pair: pair[0])])  # stable: keeps value order
    return [aws] if sent == aws else [aws, sent]


def canonical_headers(headers: HeaderMap, names: list[str]) -> str:
    return "".join(f"{name}:{','.join(trimall(v) for v in headers.get(name, []))}\n" for name in names)


def canonical_request(method: str, uri: str, query: str, headers: HeaderMap, names: list[str],
                      payload: str) -> str:
    return "\n".join((method, uri, query, canonical_headers(headers, names), ";".join(names), payload))


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    return "\n".join((ALGORITHM, amz_date, scope, hashlib.sha256(utf8(canonical)).hexdigest()))


def chunk_string_to_sign(amz_date: str, scope: str, previous: str, data_sha256: str) -> str:
    return "\n".join(("AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, EMPTY_SHA256, data_sha256))


def trailer_string_to_sign(amz_date: str, scope: str, previous: str, trailer_sha256: str) -> str:
    return "\n".join(("AWS4-HMAC-SHA256-TRAILER", amz_date, scope, previous, trailer_sha256))


def same_signature(expected: str, provided: str) -> bool:
    """Constant-time comparison; S3 takes the hex digits in either case."""
    return hmac.compare_digest(utf8(expected), utf8(provided.lower()))


def parse_scope(credential: str, fault: Callable[..., AuthError], endpoint: Endpoint = S3_ENDPOINT) -> Scope:
    """The credential "AKID/YYYYMMDD/REGION/s3/aws4_request"; `fault(detail)` builds the refusal."""
    bits = credential.split("/")
    if len(bits) != 5:
        raise fault(_CREDENTIAL_FORMAT)
    access_key, date, region, service, terminal = bits
    if not _is_date(date):
        raise fault(f'incorrect date format "{date}". This date in the credential must be in the '
                    'format "yyyyMMdd".')
    if not region and not endpoint.empty_region:
        raise fault("a non-empty region must be provided in the credential.")
    if service != endpoint.service:
        raise fault(f'incorrect service "{service}". This endpoint belongs to "{endpoint.service}".')
    if terminal != "aws4_request":
        raise fault(f'incorrect terminal "{terminal}". This endpoint uses "aws4_request".')
    return Scope(access_key, date, region, service)


@functools.lru_cache(maxsize=64)  # a handful of dates are in use at any time
def _is_date(text: str) -> bool:
    if not _SCOPE_DATE.fullmatch(text):
        return False
    try:
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return True


def signed_names(signed: str, headers: HeaderMap) -> list[str]:
    """The SignedHeaders list; AccessDenied when a header S3 requires to be signed was not.

    Host, Content-MD5 and every x-amz-* header but x-amz-content-sha256 must be signed."""
    names = [name.strip().lower() for name in signed.split(";")]
    listed = set(names)
    missing = sorted(name for name in headers if name not in listed and (
        name in ("host", "content-md5") or (name.startswith("x-amz-") and name != "x-amz-content-sha256")))
    if missing:
        raise access_denied(NOT_SIGNED, HeadersNotSigned=", ".join(missing))
    return names


def secret_for(credentials: Credentials, access_key: str) -> str:
    secret = credentials.secret_for(access_key)
    if secret is None:
        raise invalid_access_key(access_key)
    return secret


def verify(method: str, uris: list[str], queries: list[str], headers: HeaderMap, names: list[str],
           payload: str, amz_date: str, scope: Scope, key: bytes, provided: str) -> str:
    """The signature if `provided` matches one of the canonical URI and query pairs;
    SignatureDoesNotMatch, showing the first (AWS's) canonical request, if not."""
    shown: tuple[str, str] | None = None
    for uri in uris:
        for query in queries:
            canonical = canonical_request(method, uri, query, headers, names, payload)
            to_sign = string_to_sign(amz_date, scope.text, canonical)
            expected = hmac_hex(key, to_sign)
            if same_signature(expected, provided):
                return expected
            shown = shown or (to_sign, canonical)
    assert shown is not None
    raise signature_mismatch(scope.access_key, shown[0], provided, shown[1])


def candidate_uris(path: str, raw_path: str | None) -> list[str]:
    uri = canonical_uri(path)
    return [uri] if raw_path is None or raw_path == uri else [uri, raw_path]


def _header_date(headers: HeaderMap) -> tuple[datetime, str, str]:
    """(request time, timestamp for the string to sign, date as sent) of a header-signed request."""
    amz = first(headers, "x-amz-date")
    sent = amz if amz is not None else (first(headers, "date") or "")
    when = parse_http_date(sent)
    if when is None:
        raise access_denied(NO_DATE)
    stamp = amz if amz is not None and parse_amz_date(amz) is not None else when.strftime(ISO_BASIC)
    return when, stamp, sent


def _parse_authorization(authz: str) -> tuple[str, str, str]:
    """(Credential, SignedHeaders, Signature) of "AWS4-HMAC-SHA256 Credential=..., ..."."""
    fields: dict[str, str] = {}
    for part in authz.partition(" ")[2].split(","):
        name, eq, value = part.strip().partition("=")
        if eq and name in ("Credential", "SignedHeaders", "Signature"):
            fields.setdefault(name, value.strip())
    if len(fields) != 3:
        raise header_malformed("the authorization header requires three components: Credential, "
                               "SignedHeaders, and Signature.")
    return fields["Credential"], fields["SignedHeaders"], fields["Signature"]


def authenticate_header(method: str, path: str, query: list[tuple[str, str]], headers: HeaderMap,
                        authz: str, credentials: Credentials, now: datetime,
                        raw_path: str | None = None, endpoint: Endpoint = S3_ENDPOINT) -> Identity:
    """`Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`."""
    payload = first(headers, "x-amz-content-sha256") or endpoint.payload_sha256
    if payload is None:
        raise invalid_request("Missing required header for this request: x-amz-content-sha256")
    check_payload_hash(payload)
    when, amz_date, sent = _header_date(headers)
    check_skew(when, sent, now)
    credential, signed, signature = _parse_authorization(authz)
    scope = parse_scope(credential, header_malformed, endpoint)
    if scope.date != when.strftime("%Y%m%d"):
        raise header_malformed("Invalid credential date. Date is not the same as X-Amz-Date.")
    names = signed_names(signed, headers)
    key = signing_key(secret_for(credentials, scope.access_key), scope.date, scope.region, scope.service)
    computed = verify(method, candidate_uris(path, raw_path), candidate_queries(query, False), headers,
                      names, payload, amz_date, scope, key, signature)
    mode = payload_mode(payload, headers, computed, key, scope.text, amz_date)
    return Identity(scope.access_key, "v4-header", mode)


def _expires(raw: str) -> int:
    if not _SIGNED_NUMBER.fullmatch(raw):
        raise query_malformed("X-Amz-Expires should be a number")
    seconds = int(raw)
    if seconds < 0:
        raise query_malformed("X-Amz-Expires must be non-negative")
    if seconds > MAX_EXPIRES:
        raise query_malformed("X-Amz-Expires must be less than a week (in seconds); that is, the given "
                              "X-Amz-Expires must be less than 604800 seconds")
    return seconds


def _check_window(when: datetime, raw_expires: str, now: datetime) -> None:
    """A presigned URL is refused before its date (beyond the skew) and after it expires."""
    seconds = _expires(raw_expires)
    try:
        expires_at = when + timedelta(seconds=seconds)
    except OverflowError:
        expires_at = datetime.max.replace(tzinfo=UTC)
    times = {"Expires": server_time(expires_at), "ServerTime": server_time(now)}
    if when - now > MAX_SKEW:
        raise access_denied("Request is not yet valid",
                            **{"X-Amz-Date": str(int(when.timestamp() * 1000)), **times})
    if now > expires_at:
        raise access_denied("Request has expired", **{"X-Amz-Expires": raw_expires, **times})


def _presigned_payload(query: list[tuple[str, str]], headers: HeaderMap) -> str:
    """A presigned URL signs UNSIGNED-PAYLOAD unless it (or the request) names a payload hash."""
    for name, value in query:
        if name.lower() == "x-amz-content-sha256":
            return value
    return first(headers, "x-amz-content-sha256") or "UNSIGNED-PAYLOAD"


def authenticate_query(method: str, path: str, query: list[tuple[str, str]], headers: HeaderMap,
                       credentials: Credentials, now: datetime, raw_path: str | None = None,
                       endpoint: Endpoint = S3_ENDPOINT) -> Identity:
    """`?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...&X-Amz-Signature=...`."""
    params: dict[str, str] = {}
    for name, value in query:
        params.setdefault(name, value)
    algorithm = params["X-Amz-Algorithm"]
    if algorithm == SIGV4A:
        raise not_implemented("SigV4a (AWS4-ECDSA-P256-SHA256) presigned URLs are not implemented.")
    if algorithm != ALGORITHM:
        raise query_malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')
    if any(name not in params for name in QUERY_PARAMS):
        raise query_malformed("Query-string authentication version 4 requires the X-Amz-Algorithm, "
                              "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                              "X-Amz-Expires parameters.")
    amz_date = params["X-Amz-Date"]
    when = parse_amz_date(amz_date)
    if when is None:
        raise query_malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
    _check_window(when, params["X-Amz-Expires"], now)
    scope = parse_scope(params["X-Amz-Credential"],
                        lambda detail, **extra: query_malformed(
                            f"Error parsing the X-Amz-Credential parameter; {detail}", **extra), endpoint)
    if scope.date != amz_date[:8]:
        raise query_malformed(f'Invalid credential date "{scope.date}". This date is not the same as '
                              f'X-Amz-Date: "{amz_date[:8]}".')
    names = signed_names(params["X-Amz-SignedHeaders"], headers)
    payload = _presigned_payload(query, headers)
    check_payload_hash(payload)
    key = signing_key(secret_for(credentials, scope.access_key), scope.date, scope.region, scope.service)
    computed = verify(method, candidate_uris(path, raw_path), candidate_queries(query, True), headers,
                      names, payload, amz_date, scope, key, params["X-Amz-Signature"])
    mode = payload_mode(payload, headers, computed, key, scope.text, amz_date)
    return Identity(scope.access_key, "v4-query", mode)
