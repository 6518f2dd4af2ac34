"""Integer and enumerated request parameters, read and refused the way S3 does (InvalidArgument)."""

from __future__ import annotations

from cairn.engine.api import MAX_PART_NUMBER

from .errors import S3Error

MAX_LISTED = 1000  # S3's most entries per listing page


def non_negative(raw: str | None, name: str, default: int, invalid: str,
                 not_integer: str | None = None) -> int:
    """`raw` as a non-negative integer, `default` when absent or empty; InvalidArgument naming
    `name` otherwise (`not_integer` is the message when it is not a number at all, if S3's differs)."""
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise S3Error("InvalidArgument", not_integer or invalid, ArgumentName=name,
                      ArgumentValue=raw) from None
    if value < 0:
        raise S3Error("InvalidArgument", invalid, ArgumentName=name, ArgumentValue=raw)
    return value


def page_size(query: dict[str, str], name: str, camel: str | None = None) -> int:
    """max-keys / max-parts / max-uploads: 1000 when absent, at most 1000."""
    invalid = f"Argument {camel or name} must be an integer between 0 and 2147483647"
    not_integer = "Provided max-keys not an integer or within integer range" if name == "max-keys" else None
    return min(non_negative(query.get(name), name, MAX_LISTED, invalid, not_integer), MAX_LISTED)


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
