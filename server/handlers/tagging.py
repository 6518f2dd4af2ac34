"""Tagging: GetObjectTagging, PutObjectTagging, DeleteObjectTagging and the bucket's three, with
the Tagging document, and the `x-amz-tagging` header of PutObject, CreateMultipartUpload and
CopyObject (REPLACE).

Theory of operation
-------------------
Both forms of a tag set end in one check, `checked_tags`, with S3's rules and answers:

- More tags than allowed (10 on an object, 50 on a bucket): BadRequest, "Object tags cannot be
  greater than 10" / "Bucket tag count cannot be greater than 50" (observed from S3 on
  PutObjectTagging and on PutObject's header; the bucket text is what MinIO and versitygw send).
- A key of 1..128 characters, a value of 0..256, each only Unicode letters, numbers and spaces
  and `_ . : / = + - @` (the pattern of S3's Tag, `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`): else
  InvalidTag, "The TagKey you have provided is invalid" / "The TagValue you have provided is
  invalid".  Lengths count UTF-16 code units: "Amazon S3 object tags are internally represented
  in UTF-16" (S3 user guide), so a character outside the BMP counts two, and bytes never count.
- A key starting with `aws:` (in any case; the prefix is reserved): InvalidTag, "Your TagKey
  cannot be prefixed with aws:".
- A repeated key: InvalidTag, "Cannot provide multiple Tags with the same key", in a document;
  in the header, InvalidArgument with the header's own message (as S3 answers `a=&a=`).

The document is `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>`, with or
without S3's namespace; a wrong root, no TagSet, or a Tag without Key or Value is MalformedXML.
The header is a URL query, `k1=v1&k2=v2`: empty pieces are skipped, a key without `=` holds the
empty value, `+` is a space; a stray `%`, an empty key before `=`, a second `=` unencoded,
anything but ASCII before decoding or UTF-8 after it is InvalidArgument.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import unquote_to_bytes

from cairn.engine.api import TaggingConfig

from ..body import read_body
from ..checksum_headers import verify_body_digest
from ..context import Context, Response
from ..errors import S3Error
from ..metadata import written_version
from ..params import version_options
from ..xml import XML_HEADER, XMLError, document, esc, expect_root, fields, only, parse_xml
from .service import request_bucket

MAX_OBJECT_TAGS = 10
MAX_BUCKET_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256
# 50 tags of 128 + 256 characters, each sent as a 10-byte character reference, fit easily.
MAX_TAGGING_BODY = 256 << 10
_MAX_ELEMENTS = 4096  # enough for a few hundred Tags: a long list is refused by count, not size

TOO_MANY = {MAX_OBJECT_TAGS: "Object tags cannot be greater than 10",
            MAX_BUCKET_TAGS: "Bucket tag count cannot be greater than 50"}
INVALID_KEY = "The TagKey you have provided is invalid"
INVALID_VALUE = "The TagValue you have provided is invalid"
RESERVED_KEY = "Your TagKey cannot be prefixed with aws:"
DUPLICATE_KEY = "Cannot provide multiple Tags with the same key"
INVALID_HEADER = ("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query "
                  "parameters without tag name duplicates.")
NO_TAG_SET = "The TagSet does not exist"

_ASCII_TAG = re.compile(r"[A-Za-z0-9 _.:/=+\-@]*")
_TAG_SYMBOLS = frozenset("_.:/=+-@")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


# ---------------------------------------------------------------------------------------------
# The rules


def utf16_length(text: str) -> int:
    """How many UTF-16 code units `text` takes: S3's count of a tag's characters."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def is_tag_text(text: str) -> bool:
    """Only Unicode letters (L*), numbers (N*), separators (Z*) and `_ . : / = + - @`."""
    if _ASCII_TAG.fullmatch(text):
        return True
    return all(ch in _TAG_SYMBOLS or unicodedata.category(ch)[0] in "LNZ" for ch in text)


def invalid_tag(message: str) -> S3Error:
    return S3Error("InvalidTag", message, 400)


def check_tag(key: str, value: str) -> None:
    """One tag's key and value (see the module docstring); InvalidTag otherwise."""
    if not 1 <= utf16_length(key) <= MAX_KEY_LENGTH or not is_tag_text(key):
        raise invalid_tag(INVALID_KEY)
    if key[:4].lower() == "aws:":
        raise invalid_tag(RESERVED_KEY)
    if utf16_length(value) > MAX_VALUE_LENGTH or not is_tag_text(value):
        raise invalid_tag(INVALID_VALUE)


def checked_tags(pairs: Sequence[tuple[str, str]], max_tags: int) -> dict[str, str]:
    """The tag set as a dict in the order given, each tag checked; BadRequest past `max_tags`,
    InvalidTag for a bad tag or a repeated key."""
    if len(pairs) > max_tags:
        raise S3Error("BadRequest", TOO_MANY.get(max_tags, f"Object tags cannot be greater than "
                                                            f"{max_tags}"), 400)
    tags: dict[str, str] = {}
    for key, value in pairs:
        check_tag(key, value)
        if key in tags:
            raise invalid_tag(DUPLICATE_KEY)
        tags[key] = value
    return tags


# ---------------------------------------------------------------------------------------------
# The document and the headers


def parse_tagging(body: bytes, max_tags: int) -> dict[str, str]:
    """PutObjectTagging's and PutBucketTagging's `<Tagging>`: the tags, in the order sent (an
    empty TagSet is an empty dict: it removes the tags)."""
    root = parse_xml(body, MAX_TAGGING_BODY, max_elements=_MAX_ELEMENTS)
    expect_root(root, "Tagging")
    tag_set = only(root, "TagSet")
    if tag_set is None:
        raise XMLError("MalformedXML")
    pairs: list[tuple[str, str]] = []
    for tag in tag_set:
        if tag.tag != "Tag":
            continue
        if any(len(child) for child in tag):  # a Key or Value holding elements, not text
            raise XMLError("MalformedXML")
        values = fields(tag)
        key, value = values.get("Key"), values.get("Value")
        if key is None or value is None:
            raise XMLError("MalformedXML")
        pairs.append((key, value))
    return checked_tags(pairs, max_tags)


def tagging_xml(tags: Mapping[str, str] | Sequence[tuple[str, str]]) -> bytes:
    """GetObjectTagging's and GetBucketTagging's answer, the tags in the order given."""
    pairs: Iterable[tuple[str, str]] = tags.items() if isinstance(tags, Mapping) else tags
    body = "".join(f"<Tag><Key>{esc(key)}</Key><Value>{esc(value)}</Value></Tag>"
                   for key, value in pairs)
    return document("Tagging", f"<TagSet>{body}</TagSet>")


def _form_decode(text: str) -> str:
    """One URL-query component: `+` is a space, `%XX` a byte, the bytes UTF-8."""
    if _BAD_ESCAPE.search(text):
        raise S3Error("InvalidArgument", INVALID_HEADER)
    try:
        return unquote_to_bytes(text.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        raise S3Error("InvalidArgument", INVALID_HEADER) from None


def parse_tagging_header(value: str) -> dict[str, str]:
    """`x-amz-tagging: k1=v1&k2=v2` (PutObject, CreateMultipartUpload, CopyObject with REPLACE):
    the tags in the order sent, checked as an object's; see the module docstring."""
    if not value.isascii():
        raise S3Error("InvalidArgument", INVALID_HEADER)
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for piece in value.split("&"):
        if not piece:
            continue
        raw_key, equals, raw_value = piece.partition("=")
        if (equals and not raw_key) or "=" in raw_value:
            raise S3Error("InvalidArgument", INVALID_HEADER)
        key = _form_decode(raw_key)
        if key in seen:
            raise S3Error("InvalidArgument", INVALID_HEADER)
        seen.add(key)
        pairs.append((key, _form_decode(raw_value)))
    return checked_tags(pairs, MAX_OBJECT_TAGS)


def tagging_count_header(tags: Mapping[str, str] | Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """GetObject's and HeadObject's `x-amz-tagging-count`, when the object has tags."""
    return [("x-amz-tagging-count", str(len(tags)))] if tags else []


# ---------------------------------------------------------------------------------------------
# Handlers


def _in_key_order(tags: Mapping[str, str]) -> list[tuple[str, str]]:
    """An object's tags in key order (UTF-16 code units, as Java compares strings): S3 answers
    `x-amz-tagging: foo=bar&bar` with bar, then foo (ceph s3-tests, test_put_obj_with_tags)."""
    return sorted(tags.items(), key=lambda tag: tag[0].encode("utf-16-be", "surrogatepass"))


async def _read_tagging(ctx: Context, max_tags: int) -> dict[str, str]:
    body = await read_body(ctx, MAX_TAGGING_BODY)
    verify_body_digest(ctx, body)
    return parse_tagging(body, max_tags)


async def handle_get_object_tagging(ctx: Context) -> Response:
    info = await ctx.run(ctx.layer.head_object, ctx.bucket, ctx.key, version_options(ctx.query))
    return Response(200, [XML_HEADER, *written_version(info)], tagging_xml(_in_key_order(info.tags)))


async def handle_put_object_tagging(ctx: Context) -> Response:
    tags = await _read_tagging(ctx, MAX_OBJECT_TAGS)
    info = await ctx.run(ctx.layer.put_object_tagging, ctx.bucket, ctx.key, tags, version_options(ctx.query))
    return Response(200, written_version(info))


async def handle_delete_object_tagging(ctx: Context) -> Response:
    info = await ctx.run(ctx.layer.delete_object_tagging, ctx.bucket, ctx.key, version_options(ctx.query))
    return Response(204, written_version(info))


async def handle_get_bucket_tagging(ctx: Context) -> Response:
    """A bucket never tagged, or whose tags were deleted: NoSuchTagSet, 404."""
    info = await request_bucket(ctx)
    config = info.config(TaggingConfig)
    if config is None or not config.tags:
        raise S3Error("NoSuchTagSet", NO_TAG_SET, 404)
    return Response(200, [XML_HEADER], tagging_xml(config.tags))


async def handle_put_bucket_tagging(ctx: Context) -> Response:
    """An empty TagSet is allowed ("or it can be empty"), and leaves the bucket untagged."""
    tags = await _read_tagging(ctx, MAX_BUCKET_TAGS)
    if tags:
        await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, TaggingConfig(tuple(tags.items())))
    else:
        await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, TaggingConfig)
    return Response(204)


async def handle_delete_bucket_tagging(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, TaggingConfig)
    return Response(204)


def request_tags(ctx: Context) -> dict[str, str] | None:
    """The tags a write asks for with x-amz-tagging (None: no header)."""
    value = ctx.header("x-amz-tagging")
    return None if value is None else parse_tagging_header(value)
