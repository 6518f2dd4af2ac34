"""Integer and enumerated request parameters, read and refused the way S3 does (InvalidArgument),
and the opaque continuation tokens of the listings that page with them."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from cairn.engine.api import MAX_PART_NUMBER, ObjectOptions, check_version_id
from cairn.engine.errors import InvalidVersionId

from .errors import S3Error

MAX_LISTED = 1000  # S3's most entries per listing page
MAX_BUCKETS = 10000  # ListBuckets' most buckets per page (max-buckets is 1..10000)
_INTEGER = re.compile(r"-?[0-9]+")


def integer(raw: str | None, name: str, default: int, invalid: str, *, lowest: int = 0,
            highest: int | None = None, not_integer: str | None = None) -> int:
    """`raw` as an integer in lowest..highest, `default` when absent or empty; InvalidArgument naming
    `name` otherwise (`not_integer` is the message when it is not a number at all, if S3's differs).
    Only plain decimal digits count: no sign but "-", no spaces, no underscores."""
    if raw is None or raw == "":
        return default
    if not _INTEGER.fullmatch(raw):
        raise S3Error("InvalidArgument", not_integer or invalid, ArgumentName=name, ArgumentValue=raw)
    value = int(raw)
    if value < lowest or (highest is not None and value > highest):
        raise S3Error("InvalidArgument", invalid, ArgumentName=name, ArgumentValue=raw)
    return value


def non_negative(raw: str | None, name: str, default: int, invalid: str,
                 not_integer: str | None = None) -> int:
    """`integer` of at least 0."""
    return integer(raw, name, default, invalid, not_integer=not_integer)


def page_size(query: dict[str, str], name: str, camel: str | None = None) -> int:
    """max-keys / max-parts / max-uploads: 1000 when absent, at most 1000."""
    invalid = f"Argument {camel or name} must be an integer between 0 and 2147483647"
    not_integer = "Provided max-keys not an integer or within integer range" if name == "max-keys" else None
    return min(non_negative(query.get(name), name, MAX_LISTED, invalid, not_integer), MAX_LISTED)


def max_buckets(query: dict[str, str]) -> int:
    """ListBuckets' max-buckets: 1..10000, MAX_BUCKETS when absent."""
    return integer(query.get("max-buckets"), "max-buckets", MAX_BUCKETS,
                   "Argument max-buckets must be an integer between 1 and 10000", lowest=1,
                   highest=MAX_BUCKETS)


def part_number(value: str) -> int:
    """A partNumber query value: an integer in 1..10000, else InvalidArgument."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PART_NUMBER:
        raise S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive",
                      ArgumentName="partNumber", ArgumentValue=value)
    return number


def upload_id(query: dict[str, str]) -> str:
    """The uploadId a multipart request names ("" when none: NoSuchUpload)."""
    return query.get("uploadId", "")


def encoding_type(query: dict[str, str]) -> str | None:
    """encoding-type: "url" or absent; anything else is InvalidArgument."""
    value = query.get("encoding-type")
    if value is None or value == "":
        return None
    if value.lower() != "url":
        raise S3Error("InvalidArgument", "Invalid Encoding Method specified in Request",
                      ArgumentName="encoding-type", ArgumentValue=value)
    return "url"


# -- continuation tokens -----------------------------------------------------------------------


def encode_token(marker: str) -> str:
    """The continuation token of a page that ends at `marker` (a key or a bucket name)."""
    return base64.urlsafe_b64encode(marker.encode()).decode()


def continuation_token(query: dict[str, str]) -> str | None:
    """The marker the continuation-token parameter carries; None when it is absent or empty (S3
    takes `continuation-token=` as no token); InvalidArgument when it is not one of ours."""
    token = query.get("continuation-token")
    if not token:
        return None
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise S3Error("InvalidArgument", "The continuation token provided is incorrect",
                      ArgumentName="continuation-token") from None


def version_id(query: dict[str, str]) -> str | None:
    """The versionId a request names (None: the latest version); empty is refused, as S3 does."""
    value = query.get("versionId")
    if value == "":
        raise S3Error("InvalidArgument", "Version id cannot be the empty string", ArgumentName="versionId",
                      ArgumentValue="")
    return value


def version_options(query: dict[str, str]) -> ObjectOptions:
    """Options naming the version a request's versionId addresses (None: the latest)."""
    return ObjectOptions(version_id=version_id(query))


def copy_source(raw: str | None) -> tuple[str, str, str | None]:
    """(bucket, key, version id or None) of x-amz-copy-source ("bucket/key?versionId=..."): what
    CopyObject and UploadPartCopy read, and what authorization checks s3:GetObject on."""
    path, _, query = (raw or "").partition("?")
    source = unquote(path).lstrip("/")
    bucket, _, key = source.partition("/")
    if not bucket or not key:
        raise S3Error("InvalidArgument", "Copy Source must mention the source bucket and key: "
                                         "sourcebucket/sourcekey", ArgumentName="x-amz-copy-source")
    version = dict(p.partition("=")[::2] for p in query.split("&") if p).get("versionId")
    if version is not None:
        try:
            check_version_id(unquote(version))
        except InvalidVersionId:
            raise S3Error("InvalidRequest", "Invalid Request") from None  # what S3 says here
    return bucket, key, None if version is None else unquote(version)
