"""S3 POST Object (browser form uploads): the form's signature, its POST policy, the answer.

Theory of operation
-------------------
A browser form carries its authorization in fields, not headers: a base64 `policy`
(JSON: an expiration and conditions on the other fields) signed with SigV4
(x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature = hex HMAC-SHA256 of
the base64 text under the scope's signing key) or SigV2 (AWSAccessKeyId, signature =
base64 HMAC-SHA1 of the base64 text).  A form with none of those fields is anonymous:
the server decides what anonymous may do (S3: write to a public-write bucket only).
Field names are compared without regard to case ("Policy", "X-Amz-Signature"...).

The handler runs the steps in S3's order (from S3's recorded answers):

1. `verify_post_signature`: the fields the mechanism needs (InvalidArgument naming the
   first missing, as S3 does), the credential scope (any region, service s3), the access
   key, then the signature over the policy text as received (SignatureDoesNotMatch with
   StringToSign = the policy) - all before the policy is decoded.
2. `parse_post_policy`: base64, then JSON (strict, except for what AWS's own examples use:
   trailing commas, and the `\\$` and `\\v` escapes), then its shape; InvalidPolicyDocument
   "Invalid Policy: ..." with S3's wording where it is known.
3. `check_post_policy`, on the fields with `${filename}` expanded (`substitute_filename`):
   expiry (AccessDenied "Invalid according to Policy: Policy expired."), every condition
   (AccessDenied "... Policy Condition failed: <the condition as written>"), and that each
   field but file, policy, x-amz-signature, signature, AWSAccessKeyId and x-ignore-* has a
   condition (AccessDenied "... Extra input fields: <names>").  It returns the
   content-length-range (intersected, when repeated) for the handler to enforce while the
   file streams (`ContentLengthRange.check`).
4. `success_response`: 303 to success_action_redirect (or the deprecated redirect) with
   bucket, key and etag appended to its query, when it is an absolute http(s) URL
   (anything else is ignored, as S3 ignores a URL it cannot interpret); else
   success_action_status 200, 201 (a PostResponse document) or 204 (any other value).

Matching: condition names are case-insensitive, values case-sensitive.  A condition
on a field the form lacks fails, even `starts-with ""` (S3 does so).  Content-Type's
starts-with applies to each comma-separated type.  AWS allows starts-with only on
some fields: bucket, success_action_status and x-amz-* (x-amz-meta-* aside) take exact
matches only, so a starts-with on them fails (MinIO is looser on x-amz-*; we follow
AWS).  The SSE fields are such x-amz-* fields: each needs an exact condition, SSE-C's key and
its MD5 included (AWS refuses an uncovered x-amz-server-side-encryption as an extra field and
documents no exemption for the others; MinIO exempts them all).  A condition whose name
lacks the "$", and a content-length-range whose bounds
are not integers (or strings of digits), fail at check time with 403, as on S3.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote, urlencode, urlsplit

from ..errors import S3Error
from ..xml import DECLARATION, XML_HEADER, esc, etag_xml
from . import sigv2, sigv4
from .common import parse_amz_date, utc, utf8
from .errors import (
    AuthError,
    access_denied,
    invalid_argument,
    not_implemented,
    signature_mismatch,
)
from .model import UNSIGNED, Credentials, Identity

MAX_POLICY = 20480  # characters of base64 (the form's 20 KiB before the file bounds it anyway)
EXEMPT = frozenset({"file", "policy", "x-amz-signature", "signature", "awsaccesskeyid"})
STARTS_WITH_REFUSED = frozenset({"bucket", "success_action_status"})
INVALID_JSON = "Invalid JSON."
_FIELD_NAMES = {"x-amz-algorithm": "X-Amz-Algorithm", "x-amz-credential": "X-Amz-Credential",
                "x-amz-date": "X-Amz-Date", "x-amz-signature": "X-Amz-Signature",
                "awsaccesskeyid": "AWSAccessKeyId", "signature": "Signature", "policy": "Policy"}
_EXPIRATION_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
                            r"(?:\.([0-9]{1,9}))?Z", re.ASCII)
_INTEGER_RE = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)
_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"?|,(?=\s*[\]}])', re.DOTALL)  # a string, or a trailing comma
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_AWS_ESCAPES = {"$": "$", "v": "\\u000b"}
_URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))  # percent-encode only spaces and non-ASCII

Operation = Literal["eq", "starts-with", "content-length-range"]


# --- errors ------------------------------------------------------------------------------------


def missing_field(name: str) -> AuthError:
    """S3's answer to a form lacking a field it needs (or sending it after the file)."""
    return invalid_argument(f"Bucket POST must contain a field named '{name}'.  If it is specified, "
                            "please check the order of the fields.", name, "")


def invalid_policy(detail: str) -> AuthError:
    return AuthError("InvalidPolicyDocument", f"Invalid Policy: {detail}", 400)


def policy_denied(detail: str) -> AuthError:
    return access_denied(f"Invalid according to Policy: {detail}")


# --- the signature -----------------------------------------------------------------------------


def _lower(fields: Mapping[str, str]) -> dict[str, str]:
    """Fields by lower-case name; names repeated in another case joined with "," as S3 does."""
    out: dict[str, str] = {}
    for name, value in fields.items():
        key = name.lower()
        out[key] = f"{out[key]},{value}" if key in out else value
    return out


def _require(form: Mapping[str, str], name: str) -> str:
    value = form.get(name)
    if value is None:
        raise missing_field(_FIELD_NAMES[name])
    return value


def verify_post_signature(fields: Mapping[str, str], credentials: Credentials, now: datetime) -> Identity:
    """Who signed the form: SigV4 if any of x-amz-algorithm/-credential/-signature is present,
    else SigV2 if AWSAccessKeyId or signature is, else anonymous.  Raises AuthError.

    `now` is the server's clock: POST signatures carry no request time S3 checks against it
    (the policy's expiration is check_post_policy's business).  A signed form's
    x-amz-security-token rides along in the Identity, for the server to check."""
    del now
    form = _lower(fields)
    if any(name in form for name in ("x-amz-algorithm", "x-amz-credential", "x-amz-signature")):
        identity = _verify_v4(form, credentials)
    elif "awsaccesskeyid" in form or "signature" in form:
        identity = _verify_v2(form, credentials)
    else:
        return Identity(None, "anonymous", UNSIGNED)
    token = form.get("x-amz-security-token")
    return identity if token is None else replace(identity, session_token=token)


def _verify_v4(form: Mapping[str, str], credentials: Credentials) -> Identity:
    algorithm, credential, amz_date, signature, policy = (
        _require(form, name) for name in ("x-amz-algorithm", "x-amz-credential", "x-amz-date",
                                          "x-amz-signature", "policy"))
    if algorithm == sigv4.SIGV4A:
        raise not_implemented("SigV4a (AWS4-ECDSA-P256-SHA256) signatures are not implemented.")
    if algorithm != sigv4.ALGORITHM:
        raise invalid_argument('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', "X-Amz-Algorithm",
                               algorithm)
    scope = sigv4.parse_scope(credential, lambda detail, **_: invalid_argument(detail, "X-Amz-Credential",
                                                                               credential))
    if not scope.access_key:
        raise invalid_argument("a non-empty Access Key (AKID) must be provided in the credential.",
                               "X-Amz-Credential", credential)
    if parse_amz_date(amz_date) is None:
        raise invalid_argument("X-Amz-Date must be formated via ISO8601 Long format", "X-Amz-Date", amz_date)
    key = sigv4.signing_key(sigv4.secret_for(credentials, scope.access_key), scope.date, scope.region)
    if not sigv4.same_signature(sigv4.hmac_hex(key, policy), signature):
        raise signature_mismatch(scope.access_key, policy, signature)
    return Identity(scope.access_key, "v4-header", UNSIGNED)


def _verify_v2(form: Mapping[str, str], credentials: Credentials) -> Identity:
    access_key, signature, policy = (_require(form, name) for name in ("awsaccesskeyid", "signature",
                                                                       "policy"))
    secret = sigv4.secret_for(credentials, access_key)
    if not hmac.compare_digest(utf8(sigv2.sign(secret, policy)), utf8(signature)):
        raise signature_mismatch(access_key, policy, signature)
    return Identity(access_key, "v2-header", UNSIGNED)


# --- the policy document -----------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    op: Operation
    field: str | None  # the form field tested, lower case, "$" dropped; None: the name had no "$"
    value: str = ""  # the operand of eq / starts-with
    bounds: tuple[int, int] | None = None  # content-length-range, when both bounds are integers
    text: str = ""  # the condition as S3 quotes it: ["eq", "$key", "a/b"]


@dataclass(frozen=True)
class PostPolicy:
    expiration: datetime
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class ContentLengthRange:
    minimum: int
    maximum: int

    def check(self, size: int, final: bool = True) -> None:
        """EntityTooLarge as soon as `size` bytes exceed the maximum; EntityTooSmall, once the
        file is complete (`final`), if they fall short of the minimum.  Both bounds inclusive."""
        if size > self.maximum:
            raise S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400,
                          ProposedSize=str(size), MaxSizeAllowed=str(self.maximum))
        if final and size < self.minimum:
            raise S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                          400, ProposedSize=str(size), MinSizeAllowed=str(self.minimum))


class _Object(list[tuple[str, Any]]):
    """A JSON object as its (name, value) pairs, in order, repeats kept."""


def _no_float(text: str) -> Any:
    raise ValueError(text)


def _aws_escapes(match: re.Match[str]) -> str:
    token = match[0]
    if not token.startswith('"'):
        return ""  # a trailing comma
    return _ESCAPE_RE.sub(lambda m: _AWS_ESCAPES.get(m[1], m[0]), token)


def _load(policy_b64: str) -> Any:
    if len(policy_b64) > MAX_POLICY:
        raise invalid_policy("Policy document is too large.")
    try:
        raw = base64.b64decode("".join(policy_b64.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid_policy("invalid Base64 encoding.") from None
    try:
        text = _TOKEN_RE.sub(_aws_escapes, raw.decode("utf-8"))
        return json.loads(text, object_pairs_hook=_Object, parse_float=_no_float, parse_constant=_no_float)
    except (ValueError, RecursionError):
        raise invalid_policy(INVALID_JSON) from None


def parse_post_policy(policy_b64: str) -> PostPolicy:
    """The base64 `policy` field as a PostPolicy; InvalidPolicyDocument if it is not one."""
    document = _load(policy_b64)
    if not isinstance(document, _Object):
        raise invalid_policy(INVALID_JSON)
    members: dict[str, Any] = {}
    for name, value in document:
        if name not in ("expiration", "conditions"):
            raise invalid_policy(f"Unexpected: '{name.lower()}'")
        if name in members:
            raise invalid_policy(INVALID_JSON)
        members[name] = value
    if "expiration" not in members:
        raise invalid_policy("Policy missing expiration.")
    if "conditions" not in members:
        raise invalid_policy("Policy missing conditions.")
    conditions = members["conditions"]
    if not isinstance(conditions, list) or isinstance(conditions, _Object):
        raise invalid_policy("Invalid 'conditions' value: must be a List.")
    return PostPolicy(_expiration(members["expiration"]), tuple(_condition(item) for item in conditions))


def _expiration(value: Any) -> datetime:
    match = _EXPIRATION_RE.fullmatch(value) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError(value)
        fraction = int((match[7] or "0").ljust(6, "0")[:6])
        year, month, day, hour, minute, second = (int(match[n]) for n in range(1, 7))
        return datetime(year, month, day, hour, minute, second, fraction, tzinfo=UTC)
    except ValueError:
        shown = value if isinstance(value, str) else json.dumps(value)
        raise invalid_policy(f"Invalid 'expiration' value: '{shown}'") from None


def _quote(items: list[Any]) -> str:
    return json.dumps(items, ensure_ascii=False)


def _condition(item: Any) -> Condition:
    if isinstance(item, _Object):
        return _simple_condition(item)
    if isinstance(item, list):
        return _operation(item)
    if item is None:
        raise invalid_policy(INVALID_JSON)
    raise invalid_policy("Invalid condition test: must be a List or Object.")


def _simple_condition(item: _Object) -> Condition:
    """{"acl": "public-read"}: an exact match, S3 quotes it as ["eq", "$acl", "public-read"]."""
    if len(item) != 1:
        raise invalid_policy("Invalid Simple-Condition: Simple-Conditions must have exactly one property "
                             "specified.")
    name, value = item[0]
    if value is None:
        raise invalid_policy(INVALID_JSON)
    if not isinstance(value, str):
        raise invalid_policy("Invalid Simple-Condition: value must be a string.")
    return Condition("eq", name.lower(), value, text=_quote(["eq", f"${name}", value]))


def _operation(item: list[Any]) -> Condition:
    """["eq" | "starts-with", "$name", "value"] or ["content-length-range", min, max]."""
    if not item or not isinstance(item[0], str):
        raise invalid_policy("Invalid Condition: missing operation identifier.")
    op = item[0].lower()
    if op not in ("eq", "starts-with", "content-length-range"):
        raise invalid_policy(f"Invalid Condition: unknown operation '{item[0]}'.")
    if len(item) != 3:
        raise invalid_policy(f"Invalid {item[0]}: wrong number of arguments.")
    if any(operand is None for operand in item):
        raise invalid_policy(INVALID_JSON)
    if op == "content-length-range":
        low, high = _bound(item[1]), _bound(item[2])
        bounds = None if low is None or high is None else (low, high)
        return Condition("content-length-range", None, bounds=bounds, text=_quote(item))
    name, value = item[1], item[2]
    if not isinstance(name, str) or not isinstance(value, str):
        raise invalid_policy(INVALID_JSON)
    field = name[1:].lower() if name.startswith("$") else None
    return Condition("eq" if op == "eq" else "starts-with", field, value, text=_quote(item))


def _bound(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER_RE.fullmatch(value):
        return int(value)
    return None


# --- checking a form against it ----------------------------------------------------------------


def substitute_filename(key: str, filename: str | None) -> str:
    """`key` with each ${filename} replaced by the file's name without its directories (the text
    after the last / or \\).  With no filename parameter at all, S3 leaves ${filename} as is."""
    if filename is None or "${filename}" not in key:
        return key
    return key.replace("${filename}", re.split(r"[/\\]", filename)[-1])


def _starts_with(field: str, value: str, prefix: str) -> bool:
    if field in STARTS_WITH_REFUSED or (field.startswith("x-amz-") and not field.startswith("x-amz-meta-")):
        return False
    if field == "content-type":
        return all(item.strip().startswith(prefix) for item in value.split(","))
    return value.startswith(prefix)


def _holds(condition: Condition, value: str | None) -> bool:
    if condition.field is None or value is None:
        return False
    if condition.op == "eq":
        return value == condition.value
    return _starts_with(condition.field, value, condition.value)


def check_post_policy(policy: PostPolicy, fields: Mapping[str, str], bucket: str,
                      now: datetime) -> ContentLengthRange | None:
    """Check the form's fields (${filename} already expanded) against the policy for an upload
    to `bucket` (the bucket condition tests it, whatever a `bucket` field says).  Returns the
    content-length-range to enforce, or None.  Raises AccessDenied as S3 does."""
    if utc(now) >= policy.expiration:
        raise policy_denied("Policy expired.")
    names = {name.lower(): name for name in fields}
    values = {**_lower(fields), "bucket": bucket}
    covered: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for condition in policy.conditions:
        if condition.op == "content-length-range" and condition.bounds is not None:
            ranges.append(condition.bounds)
        elif condition.field is not None and _holds(condition, values.get(condition.field)):
            covered.add(condition.field)
        else:
            raise policy_denied(f"Policy Condition failed: {condition.text}")
    extra = [name for key, name in names.items()
             if key not in covered and key not in EXEMPT and not key.startswith("x-ignore-")]
    if extra:
        raise policy_denied(f"Extra input fields: {', '.join(extra)}")
    if not ranges:
        return None
    return ContentLengthRange(max(low for low, _ in ranges), min(high for _, high in ranges))


# --- the answer --------------------------------------------------------------------------------


def object_location(bucket_url: str, key: str) -> str:
    """The object's URL as S3 gives it in Location: the key percent-encoded, "/" too."""
    return f"{bucket_url.rstrip('/')}/{quote(key, safe='', errors='surrogatepass')}"


def _redirect(url: str | None) -> str | None:
    """An absolute http(s) URL, spaces and non-ASCII percent-encoded; None for anything else."""
    if not url or any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE, errors="surrogatepass")


def _with_query(url: str, bucket: str, key: str, etag: str) -> str:
    """`url` with bucket, key and etag appended to its query (form-encoded: "/" as %2F)."""
    base, hashmark, fragment = url.partition("#")
    query = urlencode([("bucket", bucket), ("key", key), ("etag", etag)], errors="surrogatepass")
    separator = "" if base.endswith(("?", "&")) else "&" if "?" in base else "?"
    return f"{base}{separator}{query}{hashmark}{fragment}"


def success_response(fields: Mapping[str, str], bucket: str, key: str, etag: str,
                     location: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of a stored upload; `location` is the object's URL
    (`object_location`), `etag` quoted or bare."""
    form = _lower(fields)
    tag = etag if len(etag) >= 2 and etag[0] == etag[-1] == '"' else f'"{etag}"'
    target = _redirect(form.get("success_action_redirect")) or _redirect(form.get("redirect"))
    if target is not None:
        return 303, [("Location", _with_query(target, bucket, key, tag)), ("ETag", tag)], b""
    headers = [("ETag", tag), ("Location", location)]
    status = form.get("success_action_status")
    if status == "201":
        body = (f"{DECLARATION}<PostResponse><Location>{esc(location)}</Location><Bucket>{esc(bucket)}"
                f"</Bucket><Key>{esc(key)}</Key><ETag>{etag_xml(tag)}</ETag></PostResponse>")
        return 201, [*headers, XML_HEADER], body.encode()
    return (200 if status == "200" else 204), headers, b""
