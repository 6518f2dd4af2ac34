"""Tagging (server/handlers/tagging.py): the Tagging document both ways, the x-amz-tagging header,
every limit and refusal with S3's code, status and message, hostile documents, and the six
handlers over a recording stand-in for the engine (no server, no drives)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import botocore.session
import pytest
import trio
from botocore.parsers import RestXMLParser
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.engine.api import ObjectInfo, ObjectOptions, TaggingConfig
from cairn.engine.buckets import BucketInfo
from cairn.server.context import UNSIGNED, Context, Identity, ServerConfig
from cairn.server.errors import S3Error
from cairn.server.handlers import tagging
from cairn.server.handlers.tagging import (
    parse_tagging,
    parse_tagging_header,
    tagging_count_header,
    tagging_xml,
)
from cairn.server.http import Request

S3 = botocore.session.get_session().get_service_model("s3")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
OBJ, BKT = tagging.MAX_OBJECT_TAGS, tagging.MAX_BUCKET_TAGS
ASTRAL_LETTER = "\U0001d400"  # MATHEMATICAL BOLD CAPITAL A: a letter (Lu), two UTF-16 units


def doc(*tags: tuple[str, str], ns: bool = True) -> bytes:
    """A client's Tagging document; keys and values are put in as given (already XML text)."""
    body = "".join(f"<Tag><Key>{k}</Key><Value>{v}</Value></Tag>" for k, v in tags)
    return f"<Tagging{' ' + NS if ns else ''}><TagSet>{body}</TagSet></Tagging>".encode()


def refused(fn: Any, *args: Any) -> S3Error:
    with pytest.raises(S3Error) as info:
        fn(*args)
    return info.value


def assert_refused(err: S3Error, code: str, message: str | None = None, status: int = 400) -> None:
    assert (err.code, err.status) == (code, status)
    if message is not None:
        assert err.message == message


def parsed_by_botocore(operation: str, body: bytes) -> dict[str, Any]:
    shape = S3.operation_model(operation).output_shape
    parsed: dict[str, Any] = RestXMLParser().parse({"body": body, "headers": {}, "status_code": 200},
                                                    shape)
    return parsed


# ---------------------------------------------------------------------------------------------
# The document


def test_tagging_xml_golden():
    body = tagging_xml({"Key4": "Value4", "a&b": '<"x">'})
    assert body == (f'{HEAD}<Tagging {NS}><TagSet><Tag><Key>Key4</Key><Value>Value4</Value></Tag>'
                    f'<Tag><Key>a&amp;b</Key><Value>&lt;&quot;x&quot;&gt;</Value></Tag></TagSet>'
                    f'</Tagging>').encode()


def test_tagging_xml_empty_and_sequence_forms():
    assert tagging_xml({}) == f"{HEAD}<Tagging {NS}><TagSet></TagSet></Tagging>".encode()
    assert tagging_xml([]) == tagging_xml({})
    pairs = (("z", "1"), ("a", ""))
    assert tagging_xml(pairs) == tagging_xml(dict(pairs))  # the order given, either way


@pytest.mark.parametrize("operation", ["GetObjectTagging", "GetBucketTagging"])
def test_tagging_xml_parsed_by_botocore(operation):
    tags = {"Project": "Blue", "写真": "東京 タワー", "empty": "", "k=+-.:/@_": "v=+-.:/@_"}
    parsed = parsed_by_botocore(operation, tagging_xml(tags))
    assert parsed["TagSet"] == [{"Key": k, "Value": v} for k, v in tags.items()]


def test_round_trip_keeps_order_and_text():
    tags = {"zeta": "last first", "Alpha": "ünïcödé", "中文": "值", "x": "", " sp ace ": " 1 + 1 = 2 "}
    assert list(parse_tagging(tagging_xml(tags), OBJ).items()) == list(tags.items())


TAG_TEXT = st.text(st.characters(categories=["L", "N", "Zs"], include_characters="_.:/=+-@"),
                   max_size=40)
TAG_KEYS = TAG_TEXT.filter(lambda k: k != "" and k[:4].lower() != "aws:"
                           and tagging.utf16_length(k) <= 128)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TAG_KEYS, TAG_TEXT, max_size=OBJ))
def test_round_trip_property(tags):
    assert parse_tagging(tagging_xml(tags), OBJ) == tags
    assert parse_tagging_header(urlencode(tags)) == tags  # quote_plus: a space goes as "+"
    assert parse_tagging_header("&".join(f"{quote(k, safe='')}={quote(v, safe='')}"
                                         for k, v in tags.items())) == tags


def test_parse_with_or_without_namespace_and_whitespace():
    assert parse_tagging(doc(("a", "1"), ns=False), OBJ) == {"a": "1"}
    pretty = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Tagging ' + NS.encode() + b'>\n  <TagSet>\n'
              b'    <Tag>\n      <Key>a</Key>\n      <Value>1</Value>\n    </Tag>\n  </TagSet>\n'
              b'</Tagging>\n')
    assert parse_tagging(pretty, OBJ) == {"a": "1"}


def test_whitespace_inside_key_and_value_is_kept():
    assert parse_tagging(doc((" a ", " b ")), OBJ) == {" a ": " b "}


def test_empty_tag_set_removes_the_tags():
    assert parse_tagging(b"<Tagging><TagSet/></Tagging>", OBJ) == {}
    assert parse_tagging(doc(), BKT) == {}


def test_empty_value_allowed_and_value_element_required():
    assert parse_tagging(doc(("k", "")), OBJ) == {"k": ""}
    assert parse_tagging(b"<Tagging><TagSet><Tag><Key>k</Key><Value/></Tag></TagSet></Tagging>",
                         OBJ) == {"k": ""}


def test_unknown_elements_are_ignored():
    body = (b"<Tagging><Other/><TagSet><Junk>x</Junk><Tag><Key>k</Key><Value>v</Value></Tag>"
            b"</TagSet></Tagging>")
    assert parse_tagging(body, OBJ) == {"k": "v"}


# ---------------------------------------------------------------------------------------------
# Limits and refusals of the document


def test_object_tag_count_limit():
    ten = [(f"k{i}", "v") for i in range(10)]
    assert len(parse_tagging(doc(*ten), OBJ)) == 10
    err = refused(parse_tagging, doc(*ten, ("k10", "v")), OBJ)
    assert_refused(err, "BadRequest", "Object tags cannot be greater than 10")


def test_bucket_tag_count_limit():
    fifty = [(f"k{i}", "v") for i in range(50)]
    assert len(parse_tagging(doc(*fifty), BKT)) == 50
    err = refused(parse_tagging, doc(*fifty, ("k50", "v")), BKT)
    assert_refused(err, "BadRequest", "Bucket tag count cannot be greater than 50")
    assert_refused(refused(parse_tagging, doc(*fifty), OBJ), "BadRequest",
                   "Object tags cannot be greater than 10")


def test_count_is_checked_before_the_tags():
    bad = [("", "v")] * 11  # empty and duplicate keys, and too many: the count is S3's answer
    assert_refused(refused(parse_tagging, doc(*bad), OBJ), "BadRequest")


def test_key_length_limits():
    assert parse_tagging(doc(("k" * 128, "v")), OBJ) == {"k" * 128: "v"}
    assert_refused(refused(parse_tagging, doc(("k" * 129, "v")), OBJ), "InvalidTag",
                   "The TagKey you have provided is invalid")
    assert_refused(refused(parse_tagging, doc(("", "v")), OBJ), "InvalidTag",
                   "The TagKey you have provided is invalid")
    empty_key = b"<Tagging><TagSet><Tag><Key/><Value>v</Value></Tag></TagSet></Tagging>"
    assert_refused(refused(parse_tagging, empty_key, OBJ), "InvalidTag")


def test_value_length_limits():
    assert parse_tagging(doc(("k", "v" * 256)), OBJ) == {"k": "v" * 256}
    assert_refused(refused(parse_tagging, doc(("k", "v" * 257)), OBJ), "InvalidTag",
                   "The TagValue you have provided is invalid")


def test_lengths_count_characters_not_bytes():
    # 128 two-byte and three-byte characters are 256 and 384 bytes of UTF-8: still 128.
    for ch in ("é", "中"):
        assert parse_tagging(doc((ch * 128, ch * 256)), OBJ) == {ch * 128: ch * 256}
        assert_refused(refused(parse_tagging, doc((ch * 129, "v")), OBJ), "InvalidTag")
        assert_refused(refused(parse_tagging, doc(("k", ch * 257)), OBJ), "InvalidTag")


def test_characters_outside_the_bmp_count_two_utf16_units():
    assert tagging.utf16_length(ASTRAL_LETTER) == 2
    assert parse_tagging(doc((ASTRAL_LETTER * 64, ASTRAL_LETTER * 128)), OBJ)
    assert_refused(refused(parse_tagging, doc((ASTRAL_LETTER * 65, "v")), OBJ), "InvalidTag",
                   tagging.INVALID_KEY)
    assert_refused(refused(parse_tagging, doc(("k", ASTRAL_LETTER * 129)), OBJ), "InvalidTag",
                   tagging.INVALID_VALUE)


def test_duplicate_keys():
    err = refused(parse_tagging, doc(("k", "1"), ("k", "2")), OBJ)
    assert_refused(err, "InvalidTag", "Cannot provide multiple Tags with the same key")
    # Keys are case-sensitive: these are two tags.
    assert parse_tagging(doc(("k", "1"), ("K", "2")), OBJ) == {"k": "1", "K": "2"}


@pytest.mark.parametrize("key", ["aws:cloudformation:stack-name", "aws:", "AWS:x", "Aws:x"])
def test_aws_prefix_is_reserved(key):
    err = refused(parse_tagging, doc((key, "v")), BKT)
    assert_refused(err, "InvalidTag", "Your TagKey cannot be prefixed with aws:")


@pytest.mark.parametrize("key", ["aws", "awsx:y", "my:aws:key", "aws_thing"])
def test_aws_prefix_only_as_prefix(key):
    assert parse_tagging(doc((key, "aws:value")), OBJ) == {key: "aws:value"}


ALLOWED = ["letters ABC xyz", "0123456789", "_.:/=+-@", "Ünïcödé", "日本語", "٣٤", "ⅻ",
           "no\u00a0break", "ﬁ"]
REFUSED = ["a*b", "a?b", "a#b", "a!b", "a$b", "a%b", "a,b", "a;b", "[x]", "{x}", "(x)", "a'b",
           "tab\there", "new\nline", "emoji😀", "a\u200bb", "a~b", "a^b", "a|b", "a\\b", "©"]


@pytest.mark.parametrize("text", ALLOWED)
def test_allowed_characters(text):
    assert parse_tagging(tagging_xml({text: text}), OBJ) == {text: text}


@pytest.mark.parametrize("text", REFUSED)
def test_refused_characters_in_key_and_value(text):
    assert_refused(refused(parse_tagging, tagging_xml({text: "v"}), OBJ), "InvalidTag",
                   tagging.INVALID_KEY)
    assert_refused(refused(parse_tagging, tagging_xml({"k": text}), OBJ), "InvalidTag",
                   tagging.INVALID_VALUE)


def test_xml_specials_arrive_as_characters_and_are_checked():
    # &amp; &lt; &quot; decode to & < ", which no tag may hold; a character reference to an
    # allowed character is that character.
    for entity in ("&amp;", "&lt;", "&gt;", "&quot;", "&apos;"):
        assert_refused(refused(parse_tagging, doc((f"a{entity}b", "v")), OBJ), "InvalidTag")
    assert parse_tagging(doc(("&#x41;&#66;", "&#x4E2D;")), OBJ) == {"AB": "中"}
    assert parse_tagging(doc(("<![CDATA[k]]>", "v")), OBJ) == {"k": "v"}


@pytest.mark.parametrize("body", [
    b"",
    b"   ",
    b"not xml",
    b"<Tagging><TagSet></Tagging>",
    b"<Tagging/>",
    b"<Tagging></Tagging>",
    b"<Tagging><TagSet/><TagSet/></Tagging>",
    b"<TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet>",
    b"<Tags><TagSet/></Tags>",
    b"<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag/></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key>k</Key><Key>j</Key><Value>v</Value></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value><Value>w</Value></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key><b>k</b></Key><Value>v</Value></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key>k</Key><Value>v<i/></Value></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key>a&undefined;</Key><Value>v</Value></Tag></TagSet></Tagging>",
    b"<Tagging><TagSet><Tag><Key>\xff\xfe</Key><Value>v</Value></Tag></TagSet></Tagging>",
])
def test_malformed_documents(body):
    assert_refused(refused(parse_tagging, body, OBJ), "MalformedXML")


def test_entity_declarations_are_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b"<Tagging><TagSet><Tag><Key>&lol2;</Key><Value>v</Value></Tag></TagSet></Tagging>")
    external = (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                b"<Tagging><TagSet><Tag><Key>k</Key><Value>&xxe;</Value></Tag></TagSet></Tagging>")
    for body in (laughs, external):
        assert_refused(refused(parse_tagging, body, OBJ), "MalformedXML")


def test_oversized_body_is_refused_before_parsing():
    body = doc(("k", "v")) + b" " * tagging.MAX_TAGGING_BODY
    assert_refused(refused(parse_tagging, body, BKT), "MaxMessageLengthExceeded")


def test_largest_honest_bucket_document_fits():
    # 50 tags of the longest key and value, every character a numeric character reference.
    key, value = "&#x4E2D;" * 128, "&#x4E2D;" * 256
    tags = [(f"{key[:-16]}{i:02x}", value) for i in range(50)]  # 126 + 2 characters
    body = doc(*tags)
    assert len(body) < tagging.MAX_TAGGING_BODY
    assert len(parse_tagging(body, BKT)) == 50


def test_element_flood_and_depth_are_refused():
    flood = b"<Tagging><TagSet>" + b"<Tag/>" * 10_000 + b"</TagSet></Tagging>"
    assert_refused(refused(parse_tagging, flood, BKT), "MalformedXML")
    deep = b"<Tagging><TagSet>" + b"<a>" * 100 + b"</a>" * 100 + b"</TagSet></Tagging>"
    assert_refused(refused(parse_tagging, deep, BKT), "MalformedXML")


def test_many_tags_are_a_count_error_not_a_size_error():
    hundreds = [(f"k{i}", "v") for i in range(300)]
    assert_refused(refused(parse_tagging, doc(*hundreds), BKT), "BadRequest")


# ---------------------------------------------------------------------------------------------
# The x-amz-tagging header


@pytest.mark.parametrize(("header", "tags"), [
    ("tag1=value1&tag2=value2", {"tag1": "value1", "tag2": "value2"}),
    ("foo=bar&bar", {"foo": "bar", "bar": ""}),  # ceph s3-tests, test_put_obj_with_tags
    ("", {}),
    ("&", {}),
    ("&&&", {}),
    ("key", {"key": ""}),
    ("key&", {"key": ""}),
    ("key=", {"key": ""}),
    ("key=&", {"key": ""}),
    ("key1&key2", {"key1": "", "key2": ""}),
    ("key@=val@", {"key@": "val@"}),
    ("a+b=c%2Bd", {"a b": "c+d"}),
    ("a%20b=c+d", {"a b": "c d"}),
    ("k=a%3Db", {"k": "a=b"}),
    ("%E4%B8%AD=%C3%A9", {"中": "é"}),
    ("K=1&k=2", {"K": "1", "k": "2"}),
])
def test_header_accepts(header, tags):
    result = parse_tagging_header(header)
    assert result == tags
    assert list(result) == list(tags)  # the order sent


@pytest.mark.parametrize("header", [
    "=",
    "=v",
    "a=1&=2",
    "key%",
    "key%zz=v",
    "k=v%4",
    "k=a=b",
    "TagSet=[{Key=string,Value=string}]",  # S3's answer, observed (aws-cli #2841)
    "a=&a=",  # S3's answer, observed
    "key=value&key=value2",
    "a=1&%61=2",  # the same key once decoded
    "a+b=1&a%20b=2",
    "%FF=v",  # not UTF-8 once decoded
    "k=%C3",
    "é=v",  # not URL-encoded
    "k=中",
])
def test_header_invalid_argument(header):
    assert_refused(refused(parse_tagging_header, header), "InvalidArgument", tagging.INVALID_HEADER)


@pytest.mark.parametrize(("header", "message"), [
    ("TagSet%3D%5B%7BKey%3Dstring%2CValue%3Dstring%7D%5D", tagging.INVALID_KEY),  # observed
    ("key*=val", tagging.INVALID_KEY),
    ("key%3F=val", tagging.INVALID_KEY),
    ("key=val%2A", tagging.INVALID_VALUE),
    ("key=val!", tagging.INVALID_VALUE),
    ("k=tab%09", tagging.INVALID_VALUE),
    ("k" * 129 + "=v", tagging.INVALID_KEY),
    ("%C3%A9" * 129 + "=v", tagging.INVALID_KEY),
    ("k=" + "v" * 257, tagging.INVALID_VALUE),
    ("aws%3Aname=v", tagging.RESERVED_KEY),
    ("AWS:name=v", tagging.RESERVED_KEY),
])
def test_header_invalid_tag(header, message):
    assert_refused(refused(parse_tagging_header, header), "InvalidTag", message)


def test_header_limits_count_characters():
    header = "%C3%A9" * 128 + "=" + "%E4%B8%AD" * 256  # 256 and 768 bytes once decoded
    assert parse_tagging_header(header) == {"é" * 128: "中" * 256}


def test_header_tag_count():
    ten = "&".join(f"k{i}=v" for i in range(10))
    assert len(parse_tagging_header(ten)) == 10
    assert len(parse_tagging_header(ten + "&&")) == 10  # empty pieces are no tags
    err = refused(parse_tagging_header, ten + "&k10=v")
    assert_refused(err, "BadRequest", "Object tags cannot be greater than 10")


def test_tagging_count_header():
    assert tagging_count_header({}) == []
    assert tagging_count_header(()) == []
    assert tagging_count_header({"a": "1", "b": ""}) == [("x-amz-tagging-count", "2")]
    assert tagging_count_header((("a", "1"),)) == [("x-amz-tagging-count", "1")]


# ---------------------------------------------------------------------------------------------
# Handlers, over a stand-in for the engine that records its calls


@dataclass
class FakeLayer:
    """The engine calls the tagging handlers make; `calls` lists (method, args)."""

    tags: dict[str, str] = field(default_factory=dict)
    version_id: str = "null"
    bucket: BucketInfo = field(default_factory=lambda: BucketInfo("bkt", 0))
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def _info(self) -> ObjectInfo:
        return ObjectInfo(size=0, etag="e", mtime_ns=0, version_id=self.version_id, tags=dict(self.tags))

    def head_object(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> ObjectInfo:
        self.calls.append(("head_object", (bucket, key, opts)))
        return self._info()

    def put_object_tagging(self, bucket: str, key: str, tags: dict[str, str],
                           opts: ObjectOptions | None = None) -> ObjectInfo:
        self.calls.append(("put_object_tagging", (bucket, key, tags, opts)))
        self.tags = dict(tags)
        return self._info()

    def delete_object_tagging(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> ObjectInfo:
        self.calls.append(("delete_object_tagging", (bucket, key, opts)))
        self.tags = {}
        return self._info()

    def head_bucket(self, bucket: str) -> BucketInfo:
        self.calls.append(("head_bucket", (bucket,)))
        return self.bucket

    def put_bucket_config(self, bucket: str, config: Any) -> BucketInfo:
        self.calls.append(("put_bucket_config", (bucket, config)))
        self.bucket.configs[config.KIND] = config.to_doc()
        return self.bucket

    def delete_bucket_config(self, bucket: str, kind: Any) -> BucketInfo:
        self.calls.append(("delete_bucket_config", (bucket, kind)))
        self.bucket.configs.pop(kind.KIND, None)
        return self.bucket


def md5_header(body: bytes) -> tuple[str, str]:
    return ("content-md5", base64.b64encode(hashlib.md5(body).digest()).decode())


def make_ctx(layer: FakeLayer, operation: str, *, key: str | None = "obj", body: bytes = b"",
             query: list[tuple[str, str]] | None = None,
             headers: list[tuple[str, str]] | None = None) -> Context:
    async def payload() -> AsyncGenerator[bytes, None]:
        if body:
            yield body

    query = [("tagging", ""), *(query or [])]
    request = Request("PUT", "/", "/", "/", query, headers or [])
    return Context(request, operation, "bkt", key, Identity("AKID", "v4-header", UNSIGNED), "REQ",
                   layer, ServerConfig(), trio.CapacityLimiter(4),  # type: ignore[arg-type]
                   trio.CapacityLimiter(4), payload())


def run(handler: Any, ctx: Context) -> Any:
    async def main() -> Any:
        return await handler(ctx)
    return trio.run(main)


def test_get_object_tagging_answers_key_order_and_version():
    layer = FakeLayer(tags={"foo": "bar", "bar": "", "Zed": "1"}, version_id="v1")
    ctx = make_ctx(layer, "GetObjectTagging", query=[("versionId", "v1")])
    response = run(tagging.handle_get_object_tagging, ctx)
    assert response.status == 200
    assert response.headers == [("Content-Type", "application/xml"), ("x-amz-version-id", "v1")]
    parsed = parsed_by_botocore("GetObjectTagging", response.body)
    assert parsed["TagSet"] == [{"Key": "Zed", "Value": "1"}, {"Key": "bar", "Value": ""},
                                {"Key": "foo", "Value": "bar"}]
    [(name, (bucket, key, opts))] = layer.calls
    assert (name, bucket, key, opts.version_id) == ("head_object", "bkt", "obj", "v1")


def test_get_object_tagging_untagged_null_version():
    layer = FakeLayer()
    response = run(tagging.handle_get_object_tagging, make_ctx(layer, "GetObjectTagging"))
    assert response.headers == [("Content-Type", "application/xml")]  # no version id for "null"
    assert response.body == tagging_xml({})
    assert layer.calls[0][1][2].version_id is None


def test_put_object_tagging_stores_the_tags():
    body = doc(("b", "2"), ("a", "1"))
    layer = FakeLayer(version_id="v7")
    ctx = make_ctx(layer, "PutObjectTagging", body=body, query=[("versionId", "v7")],
                   headers=[md5_header(body)])
    response = run(tagging.handle_put_object_tagging, ctx)
    assert (response.status, response.headers, response.body) == (200, [("x-amz-version-id", "v7")], b"")
    [(name, (bucket, key, tags, opts))] = layer.calls
    assert (name, bucket, key, tags, opts.version_id) == ("put_object_tagging", "bkt", "obj",
                                                          {"b": "2", "a": "1"}, "v7")


def test_put_object_tagging_needs_a_body_digest():
    body = doc(("a", "1"))
    layer = FakeLayer()
    with pytest.raises(S3Error) as info:
        run(tagging.handle_put_object_tagging, make_ctx(layer, "PutObjectTagging", body=body))
    assert (info.value.code, info.value.message) == (
        "InvalidRequest", "Missing required header for this request: Content-MD5")
    with pytest.raises(S3Error) as info:
        run(tagging.handle_put_object_tagging, make_ctx(
            layer, "PutObjectTagging", body=body, headers=[md5_header(body + b" ")]))
    assert info.value.code == "BadDigest"
    assert layer.calls == []


@pytest.mark.parametrize(("body", "code"), [
    (doc(*[(f"k{i}", "v") for i in range(11)]), "BadRequest"),
    (doc(("k", "1"), ("k", "2")), "InvalidTag"),
    (b"<Tagging/>", "MalformedXML"),
])
def test_put_object_tagging_refusals_never_reach_the_engine(body, code):
    layer = FakeLayer()
    ctx = make_ctx(layer, "PutObjectTagging", body=body, headers=[md5_header(body)])
    with pytest.raises(S3Error) as info:
        run(tagging.handle_put_object_tagging, ctx)
    assert (info.value.code, info.value.status) == (code, 400)
    assert layer.calls == []


def test_oversized_body_is_refused_while_reading():
    body = doc(("k", "v")) + b" " * (tagging.MAX_TAGGING_BODY + 1)
    layer = FakeLayer()
    ctx = make_ctx(layer, "PutObjectTagging", body=body, headers=[md5_header(body)])
    with pytest.raises(S3Error) as info:
        run(tagging.handle_put_object_tagging, ctx)
    assert info.value.code == "MalformedXML"
    assert layer.calls == []


def test_delete_object_tagging():
    layer = FakeLayer(tags={"a": "1"}, version_id="v2")
    ctx = make_ctx(layer, "DeleteObjectTagging", query=[("versionId", "v2")])
    response = run(tagging.handle_delete_object_tagging, ctx)
    assert (response.status, response.headers, response.body) == (204, [("x-amz-version-id", "v2")], b"")
    assert layer.calls[0][0] == "delete_object_tagging"
    assert layer.calls[0][1][2].version_id == "v2"


def test_bucket_tagging_lifecycle():
    layer = FakeLayer()
    get = make_ctx(layer, "GetBucketTagging", key=None)
    with pytest.raises(S3Error) as info:
        run(tagging.handle_get_bucket_tagging, get)
    assert (info.value.code, info.value.status, info.value.message) == (
        "NoSuchTagSet", 404, "The TagSet does not exist")

    body = doc(("team", "data"), ("env", "prod"))
    put = make_ctx(layer, "PutBucketTagging", key=None, body=body, headers=[md5_header(body)])
    response = run(tagging.handle_put_bucket_tagging, put)
    assert (response.status, response.body) == (204, b"")
    assert layer.bucket.config(TaggingConfig) == TaggingConfig((("team", "data"), ("env", "prod")))

    response = run(tagging.handle_get_bucket_tagging, make_ctx(layer, "GetBucketTagging", key=None))
    assert response.status == 200
    assert response.headers == [("Content-Type", "application/xml")]
    assert parsed_by_botocore("GetBucketTagging", response.body)["TagSet"] == [
        {"Key": "team", "Value": "data"}, {"Key": "env", "Value": "prod"}]  # the order given

    response = run(tagging.handle_delete_bucket_tagging, make_ctx(layer, "DeleteBucketTagging", key=None))
    assert (response.status, response.body) == (204, b"")
    assert layer.bucket.config(TaggingConfig) is None
    with pytest.raises(S3Error) as info:
        run(tagging.handle_get_bucket_tagging, make_ctx(layer, "GetBucketTagging", key=None))
    assert info.value.code == "NoSuchTagSet"


def test_put_bucket_tagging_empty_set_leaves_the_bucket_untagged():
    layer = FakeLayer()
    layer.bucket.configs[TaggingConfig.KIND] = TaggingConfig((("a", "1"),)).to_doc()
    body = doc()
    response = run(tagging.handle_put_bucket_tagging, make_ctx(
        layer, "PutBucketTagging", key=None, body=body, headers=[md5_header(body)]))
    assert response.status == 204
    assert [name for name, _ in layer.calls] == ["delete_bucket_config"]
    with pytest.raises(S3Error) as info:
        run(tagging.handle_get_bucket_tagging, make_ctx(layer, "GetBucketTagging", key=None))
    assert info.value.code == "NoSuchTagSet"


def test_get_bucket_tagging_with_an_empty_stored_set_is_no_such_tag_set():
    layer = FakeLayer()
    layer.bucket.configs[TaggingConfig.KIND] = TaggingConfig(()).to_doc()
    with pytest.raises(S3Error) as info:
        run(tagging.handle_get_bucket_tagging, make_ctx(layer, "GetBucketTagging", key=None))
    assert (info.value.code, info.value.status) == ("NoSuchTagSet", 404)


def test_put_bucket_tagging_allows_fifty_not_fifty_one():
    layer = FakeLayer()
    fifty = doc(*[(f"k{i}", "v") for i in range(50)])
    run(tagging.handle_put_bucket_tagging, make_ctx(
        layer, "PutBucketTagging", key=None, body=fifty, headers=[md5_header(fifty)]))
    assert layer.bucket.config(TaggingConfig) == TaggingConfig(tuple((f"k{i}", "v") for i in range(50)))
    fifty_one = doc(*[(f"k{i}", "v") for i in range(51)])
    with pytest.raises(S3Error) as info:
        run(tagging.handle_put_bucket_tagging, make_ctx(
            layer, "PutBucketTagging", key=None, body=fifty_one, headers=[md5_header(fifty_one)]))
    assert (info.value.code, info.value.message) == ("BadRequest",
                                                     "Bucket tag count cannot be greater than 50")
    assert layer.bucket.config(TaggingConfig) == TaggingConfig(tuple((f"k{i}", "v") for i in range(50)))
