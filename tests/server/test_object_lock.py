"""Object Lock in the server layer (server/handlers/object_lock.py): the ObjectLockConfiguration,
Retention and LegalHold documents, the x-amz-object-lock-* headers, and the handlers over a fake
engine.  Documents are checked both ways against botocore: what its serializer sends we parse, what
we build its parser reads."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import botocore.session
import pytest
import trio
from botocore.parsers import RestXMLParser
from botocore.serialize import create_serializer

from cairn.engine.api import ObjectInfo, ObjectLockConfig, ObjectOptions
from cairn.server.context import UNSIGNED, Identity
from cairn.server.errors import S3Error
from cairn.server.handlers import object_lock as ol
from cairn.server.xml import XMLError

S3 = botocore.session.get_session().get_service_model("s3")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
NOW = 1_800_000_000 * 10**9  # 2027-01-15T08:00:00Z
Y2030 = 1_893_456_000 * 10**9  # 2030-01-01T00:00:00Z
MALFORMED = "MalformedXML"


def parse_output(operation: str, body: bytes) -> dict[str, Any]:
    shape = S3.operation_model(operation).output_shape
    parsed: dict[str, Any] = RestXMLParser().parse(
        {"body": body, "headers": {}, "status_code": 200}, shape)
    return parsed


def serialize(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = create_serializer("rest-xml").serialize_to_request(
        params, S3.operation_model(operation))
    return request


def info(**kw: Any) -> ObjectInfo:
    return ObjectInfo(size=0, etag="e", mtime_ns=0, version_id="null", **kw)


def config_body(inner: str, root: str = "ObjectLockConfiguration") -> bytes:
    return f"<{root} {NS}>{inner}</{root}>".encode()


def retention_body(mode: str, days: str) -> bytes:
    return config_body(f"<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>"
                       f"<Mode>{mode}</Mode>{days}</DefaultRetention></Rule>")


def refused(code: str, fn: Any, *args: Any, **kw: Any) -> S3Error:
    with pytest.raises(S3Error) as caught:
        fn(*args, **kw)
    assert caught.value.code == code, caught.value
    return caught.value


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize("text, ns", [
    ("2030-01-01T00:00:00Z", Y2030),
    ("2030-01-01T00:00:00.000Z", Y2030),
    ("2030-01-01t00:00:00z", Y2030),
    (" 2030-01-01T00:00:00Z ", Y2030),
    ("2030-01-01T00:00:00.5Z", Y2030 + 500_000_000),
    ("2030-01-01T00:00:00.123456789Z", Y2030 + 123_456_789),
    ("2030-01-01T01:30:00+01:30", Y2030),
    ("2029-12-31T22:00:00-02:00", Y2030),
    ("2030-01-01T00:00:00+00:00", Y2030),
    ("1970-01-01T00:00:00Z", 0),
    ("1969-12-31T23:59:59Z", -10**9),
    ("2028-02-29T00:00:00Z", 1_835_395_200 * 10**9),
])
def test_parse_iso8601(text, ns):
    assert ol.parse_iso8601_ns(text) == ns


@pytest.mark.parametrize("text", [
    "", "2030-01-01", "2030-01-01T00:00:00", "2030-01-01 00:00:00Z", "20300101T000000Z",
    "2030-13-01T00:00:00Z", "2030-02-30T00:00:00Z", "2029-02-29T00:00:00Z", "2030-01-01T24:00:00Z",
    "2030-01-01T00:60:00Z", "2030-01-01T23:59:60Z", "2030-01-01T00:00:00+24:00",
    "2030-01-01T00:00:00+01:60", "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00.1234567890Z",
    "0000-01-01T00:00:00Z", "2030-1-01T00:00:00Z", "+2030-01-01T00:00:00Z",
    "２０３０-01-01T00:00:00Z", "2030-01-01T00:00:00Z\x00", "Wed, 01 Jan 2030 00:00:00 GMT",
    "2030-01-01T00:00:00+0100", "x" * 10_000,
])
def test_parse_iso8601_refuses(text):
    assert ol.parse_iso8601_ns(text) is None


def test_iso8601_ms():
    assert ol.iso8601_ms(Y2030) == "2030-01-01T00:00:00.000Z"
    assert ol.iso8601_ms(Y2030 + 123_456_789) == "2030-01-01T00:00:00.123Z"
    assert ol.iso8601_ms(0) == "1970-01-01T00:00:00.000Z"
    assert ol.iso8601_ms(-1) == "1969-12-31T23:59:59.999Z"
    assert ol.iso8601_ms(ol.parse_iso8601_ns("0999-05-06T07:08:09.010Z") or 0) == "0999-05-06T07:08:09.010Z"
    assert ol.parse_iso8601_ns(ol.iso8601_ms(NOW + 42_000_000)) == NOW + 42_000_000


# ---------------------------------------------------------------------------------------------
# ObjectLockConfiguration


def test_lock_configuration_golden():
    body = ol.object_lock_configuration_xml(ObjectLockConfig(True, "GOVERNANCE", days=1))
    assert body == (f"{HEAD}<ObjectLockConfiguration {NS}><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
                    "<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention>"
                    "</Rule></ObjectLockConfiguration>").encode()
    assert ol.object_lock_configuration_xml(ObjectLockConfig()) == (
        f"{HEAD}<ObjectLockConfiguration {NS}><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
        "</ObjectLockConfiguration>").encode()


@pytest.mark.parametrize("config, expected", [
    (ObjectLockConfig(), {"ObjectLockEnabled": "Enabled"}),
    (ObjectLockConfig(True, "COMPLIANCE", years=100),
     {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 100}}}),
    (ObjectLockConfig(True, "GOVERNANCE", days=36500),
     {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 36500}}}),
])
def test_lock_configuration_round_trips_through_botocore(config, expected):
    body = ol.object_lock_configuration_xml(config)
    assert parse_output("GetObjectLockConfiguration", body)["ObjectLockConfiguration"] == expected
    assert ol.parse_object_lock_configuration(body) == config
    request = serialize("PutObjectLockConfiguration", {"Bucket": "b", "ObjectLockConfiguration": expected})
    assert ol.parse_object_lock_configuration(request["body"]) == config


@pytest.mark.parametrize("inner, config", [
    ("<ObjectLockEnabled>Enabled</ObjectLockEnabled>", ObjectLockConfig()),
    ("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule></Rule>", ObjectLockConfig()),
    ("<Rule><DefaultRetention><Years>2</Years><Mode>COMPLIANCE</Mode></DefaultRetention></Rule>"
     "<ObjectLockEnabled>Enabled</ObjectLockEnabled>", ObjectLockConfig(True, "COMPLIANCE", years=2)),
    ("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode>"
     "<Days> +07 </Days></DefaultRetention></Rule><Unknown/>", ObjectLockConfig(True, "GOVERNANCE", days=7)),
])
def test_parse_lock_configuration(inner, config):
    assert ol.parse_object_lock_configuration(config_body(inner)) == config
    assert ol.parse_object_lock_configuration(config_body(inner).replace(NS.encode(), b"")) == config


@pytest.mark.parametrize("body", [
    b"not xml",
    b"<ObjectLockConfiguration>",
    config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled>", root="ObjectLockConfig"),
    config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled>", root="LegalHold"),
    config_body(""),
    config_body("<ObjectLockEnabled>Disabled</ObjectLockEnabled>"),
    config_body("<ObjectLockEnabled>enabled</ObjectLockEnabled>"),
    config_body("<ObjectLockEnabled> Enabled</ObjectLockEnabled>"),
    config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled>" * 2),
    config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule/><Rule/>"),
    retention_body("GOVERNANCE", "<Days>1</Days><Years>1</Years>"),  # both
    retention_body("GOVERNANCE", ""),  # neither
    retention_body("GOVERNANCE", "<Days>1</Days><Days>2</Days>"),
    retention_body("governance", "<Days>1</Days>"),
    retention_body("Compliance", "<Days>1</Days>"),
    retention_body("invalid", "<Days>1</Days>"),
    retention_body("", "<Days>1</Days>"),
    config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Days>1</Days>"
                "</DefaultRetention></Rule>"),  # no Mode
    retention_body("GOVERNANCE", "<Days>abc</Days>"),
    retention_body("GOVERNANCE", "<Days>1.5</Days>"),
    retention_body("GOVERNANCE", "<Days>1e3</Days>"),
    retention_body("GOVERNANCE", "<Days></Days>"),
    retention_body("GOVERNANCE", "<Days>0x10</Days>"),
    retention_body("GOVERNANCE", "<Days>1_0</Days>"),
    retention_body("GOVERNANCE", "<Days>٣</Days>"),
    retention_body("GOVERNANCE", "<Days>2147483648</Days>"),
    retention_body("GOVERNANCE", "<Years>-2147483649</Years>"),
    retention_body("GOVERNANCE", "<Days>99999999999999999999999999999999</Days>"),
    retention_body("GOVERNANCE", "<Days>" + "9" * 5000 + "</Days>"),
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "Enabled">]><ObjectLockConfiguration>'
    b"<ObjectLockEnabled>&e;</ObjectLockEnabled></ObjectLockConfiguration>",
])
def test_parse_lock_configuration_malformed(body):
    refused(MALFORMED, ol.parse_object_lock_configuration, body)


@pytest.mark.parametrize("period, name, message", [
    ("<Days>0</Days>", "Days", ol.NOT_POSITIVE),
    ("<Days>-1</Days>", "Days", ol.NOT_POSITIVE),
    ("<Days>-2147483648</Days>", "Days", ol.NOT_POSITIVE),
    ("<Years>0</Years>", "Years", ol.NOT_POSITIVE),
    ("<Years>-1</Years>", "Years", ol.NOT_POSITIVE),
    ("<Days>36501</Days>", "Days", ol.TOO_LARGE),
    ("<Days>2147483647</Days>", "Days", ol.TOO_LARGE),
    ("<Years>101</Years>", "Years", ol.TOO_LARGE),
])
def test_parse_lock_configuration_bad_period(period, name, message):
    body = retention_body("COMPLIANCE", period)
    error = refused("InvalidArgument", ol.parse_object_lock_configuration, body)
    assert (error.status, error.message, error.extra) == (400, message, {"ArgumentName": name})
    assert message in ("Default retention period must be a positive integer value.",
                       "Default retention period too large.")


def test_parse_lock_configuration_empty_and_oversized():
    error = refused("MissingRequestBodyError", ol.parse_object_lock_configuration, b"")
    assert (error.status, error.message) == (400, "Request Body is empty")
    refused("MissingRequestBodyError", ol.parse_object_lock_configuration, b"  \r\n")
    padded = config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled>" + " " * ol.MAX_LOCK_XML)
    refused("MaxMessageLengthExceeded", ol.parse_object_lock_configuration, padded)


def test_parse_lock_configuration_hostile_nesting():
    deep = b"<ObjectLockConfiguration>" + b"<Rule>" * 100 + b"</Rule>" * 100 + b"</ObjectLockConfiguration>"
    refused(MALFORMED, ol.parse_object_lock_configuration, deep)
    wide = config_body("<ObjectLockEnabled>Enabled</ObjectLockEnabled>" + "<x/>" * 70_000)
    with pytest.raises(XMLError):
        ol.parse_object_lock_configuration(wide)


# ---------------------------------------------------------------------------------------------
# Retention


def test_retention_golden_and_botocore():
    body = ol.retention_xml(info(lock_mode="GOVERNANCE", lock_until_ns=Y2030))
    assert body == (f"{HEAD}<Retention {NS}><Mode>GOVERNANCE</Mode>"
                    "<RetainUntilDate>2030-01-01T00:00:00.000Z</RetainUntilDate></Retention>").encode()
    assert parse_output("GetObjectRetention", body)["Retention"] == {
        "Mode": "GOVERNANCE", "RetainUntilDate": datetime(2030, 1, 1, tzinfo=UTC)}


@pytest.mark.parametrize("mode", ["GOVERNANCE", "COMPLIANCE"])
def test_parse_retention_as_botocore_serializes_it(mode):
    until = datetime(2030, 1, 1, 0, 0, 0, 250_000, tzinfo=UTC)
    request = serialize("PutObjectRetention", {"Bucket": "b", "Key": "k", "Retention": {
        "Mode": mode, "RetainUntilDate": until}})
    assert ol.parse_retention(request["body"], now_ns=NOW) == (mode, Y2030 + 250_000_000)
    empty = serialize("PutObjectRetention", {"Bucket": "b", "Key": "k", "Retention": {}})
    assert ol.parse_retention(empty["body"], now_ns=NOW) == ("", 0)


def test_parse_retention_round_trip_and_removal():
    doc = ol.retention_xml(info(lock_mode="COMPLIANCE", lock_until_ns=NOW + 1_000_000))
    assert ol.parse_retention(doc, now_ns=NOW) == ("COMPLIANCE", NOW + 1_000_000)
    assert ol.parse_retention(b"<Retention/>", now_ns=NOW) == ("", 0)
    assert ol.parse_retention(f"<Retention {NS}></Retention>".encode(), now_ns=NOW) == ("", 0)
    assert ol.parse_retention(b"<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z"
                              b"</RetainUntilDate><Extra>x</Extra></Retention>") == ("GOVERNANCE", Y2030)


@pytest.mark.parametrize("inner", [
    "<Mode>GOVERNANCE</Mode>",
    "<RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>",
    "<Mode>governance</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>",
    "<Mode>abc</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>",
    "<Mode></Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>",
    "<Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01</RetainUntilDate>",
    "<Mode>GOVERNANCE</Mode><RetainUntilDate>tomorrow</RetainUntilDate>",
    "<Mode>GOVERNANCE</Mode><RetainUntilDate></RetainUntilDate>",
    "<Mode>GOVERNANCE</Mode><RetainUntilDate>1893456000</RetainUntilDate>",
    "<Mode>GOVERNANCE</Mode><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>",
    "<Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>"
    "<RetainUntilDate>2031-01-01T00:00:00Z</RetainUntilDate>",
])
def test_parse_retention_malformed(inner):
    refused(MALFORMED, ol.parse_retention, f"<Retention>{inner}</Retention>".encode(), now_ns=NOW)


def test_parse_retention_wrong_root_and_empty():
    refused(MALFORMED, ol.parse_retention, b"<ObjectRetention><Mode>GOVERNANCE</Mode></ObjectRetention>")
    refused(MALFORMED, ol.parse_retention, b"<LegalHold><Status>ON</Status></LegalHold>")
    refused("MissingRequestBodyError", ol.parse_retention, b"")


@pytest.mark.parametrize("date", ["2020-01-01T00:00:00Z", "2027-01-15T08:00:00Z",
                                  "2027-01-15T07:59:59.999999999Z", "1969-01-01T00:00:00Z"])
def test_parse_retention_past(date):
    body = f"<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>{date}</RetainUntilDate></Retention>"
    error = refused("InvalidArgument", ol.parse_retention, body.encode(), now_ns=NOW)
    assert (error.status, error.message) == (400, "The retain until date must be in the future!")


def test_parse_retention_uses_the_clock():
    body = (b"<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2001-01-01T00:00:00Z</RetainUntilDate>"
            b"</Retention>")
    refused("InvalidArgument", ol.parse_retention, body)
    far = body.replace(b"2001", b"9999")
    assert ol.parse_retention(far)[0] == "COMPLIANCE"


# ---------------------------------------------------------------------------------------------
# LegalHold


def test_legal_hold_golden_and_botocore():
    on, off = ol.legal_hold_xml(info(legal_hold=True)), ol.legal_hold_xml(info())
    assert on == f"{HEAD}<LegalHold {NS}><Status>ON</Status></LegalHold>".encode()
    assert parse_output("GetObjectLegalHold", on)["LegalHold"] == {"Status": "ON"}
    assert parse_output("GetObjectLegalHold", off)["LegalHold"] == {"Status": "OFF"}
    assert ol.parse_legal_hold(on) is True
    assert ol.parse_legal_hold(off) is False
    for status in ("ON", "OFF"):
        params = {"Bucket": "b", "Key": "k", "LegalHold": {"Status": status}}
        request = serialize("PutObjectLegalHold", params)
        assert ol.parse_legal_hold(request["body"]) is (status == "ON")


@pytest.mark.parametrize("body", [
    b"<LegalHold><Status>on</Status></LegalHold>",
    b"<LegalHold><Status>abc</Status></LegalHold>",
    b"<LegalHold><Status> ON</Status></LegalHold>",
    b"<LegalHold><Status></Status></LegalHold>",
    b"<LegalHold></LegalHold>",
    b"<LegalHold><Status>ON</Status><Status>OFF</Status></LegalHold>",
    b"<ObjectLockLegalHold><Status>ON</Status></ObjectLockLegalHold>",
    b"<Retention><Status>ON</Status></Retention>",
    b"<LegalHold><Status>ON</Status>",
])
def test_parse_legal_hold_malformed(body):
    refused(MALFORMED, ol.parse_legal_hold, body)


def test_parse_legal_hold_empty():
    refused("MissingRequestBodyError", ol.parse_legal_hold, b"")


# ---------------------------------------------------------------------------------------------
# Request headers


def headers_of(params: dict[str, Any]) -> dict[str, str]:
    """The lowercase headers botocore sends for PutObject with these parameters."""
    request = serialize("PutObject", {"Bucket": "b", "Key": "k", **params})
    return {name.lower(): value for name, value in request["headers"].items()}


def test_lock_headers_as_botocore_sends_them():
    sent = headers_of({"ObjectLockMode": "GOVERNANCE", "ObjectLockLegalHoldStatus": "ON",
                       "ObjectLockRetainUntilDate": datetime(2030, 1, 1, tzinfo=UTC)})
    assert ol.parse_lock_headers(sent, now_ns=NOW) == ol.LockOptions("GOVERNANCE", Y2030, True)
    assert ol.parse_lock_headers(headers_of({"ObjectLockLegalHoldStatus": "OFF"})) == \
        ol.LockOptions(legal_hold=False)
    assert ol.parse_lock_headers(headers_of({})) == ol.LockOptions()


def test_parse_lock_headers():
    date = "2030-01-01T00:00:00.000Z"
    assert ol.parse_lock_headers({}, now_ns=NOW) == ol.LockOptions()
    assert ol.parse_lock_headers({ol.MODE_HEADER: "COMPLIANCE", ol.DATE_HEADER: date}, now_ns=NOW) == \
        ol.LockOptions("COMPLIANCE", Y2030, None)
    # An empty mode or date counts as absent, as in MinIO.
    assert ol.parse_lock_headers({ol.MODE_HEADER: "", ol.DATE_HEADER: ""}, now_ns=NOW) == ol.LockOptions()


@pytest.mark.parametrize("headers, message, argument", [
    ({ol.MODE_HEADER: "GOVERNANCE"}, ol.BOTH_SUPPLIED, {"ArgumentName": ol.DATE_HEADER}),
    ({ol.MODE_HEADER: "GOVERNANCE", ol.DATE_HEADER: ""}, ol.BOTH_SUPPLIED, {"ArgumentName": ol.DATE_HEADER}),
    ({ol.DATE_HEADER: "2030-01-01T00:00:00Z"}, ol.BOTH_SUPPLIED, {"ArgumentName": ol.MODE_HEADER}),
    ({ol.MODE_HEADER: "governance", ol.DATE_HEADER: "2030-01-01T00:00:00Z"}, ol.UNKNOWN_MODE,
     {"ArgumentName": ol.MODE_HEADER, "ArgumentValue": "governance"}),
    ({ol.MODE_HEADER: "LEGAL", ol.DATE_HEADER: "2030-01-01T00:00:00Z"}, ol.UNKNOWN_MODE,
     {"ArgumentName": ol.MODE_HEADER, "ArgumentValue": "LEGAL"}),
    ({ol.MODE_HEADER: "COMPLIANCE", ol.DATE_HEADER: "Wed, 01 Jan 2030 00:00:00 GMT"}, ol.NOT_ISO8601,
     {"ArgumentName": ol.DATE_HEADER, "ArgumentValue": "Wed, 01 Jan 2030 00:00:00 GMT"}),
    ({ol.MODE_HEADER: "COMPLIANCE", ol.DATE_HEADER: "2030-02-30T00:00:00Z"}, ol.NOT_ISO8601,
     {"ArgumentName": ol.DATE_HEADER, "ArgumentValue": "2030-02-30T00:00:00Z"}),
    ({ol.MODE_HEADER: "COMPLIANCE", ol.DATE_HEADER: "2020-01-01T00:00:00Z"}, ol.IN_THE_PAST,
     {"ArgumentName": ol.DATE_HEADER, "ArgumentValue": "2020-01-01T00:00:00Z"}),
    ({ol.HOLD_HEADER: "on"}, ol.BAD_LEGAL_HOLD, {"ArgumentName": ol.HOLD_HEADER, "ArgumentValue": "on"}),
    ({ol.HOLD_HEADER: ""}, ol.BAD_LEGAL_HOLD, {"ArgumentName": ol.HOLD_HEADER, "ArgumentValue": ""}),
    ({ol.HOLD_HEADER: "TRUE"}, ol.BAD_LEGAL_HOLD, {"ArgumentName": ol.HOLD_HEADER, "ArgumentValue": "TRUE"}),
])
def test_parse_lock_headers_refused(headers, message, argument):
    error = refused("InvalidArgument", ol.parse_lock_headers, headers, now_ns=NOW)
    assert (error.status, error.message, error.extra) == (400, message, argument)


def test_lock_header_messages_are_s3s():
    assert ol.BOTH_SUPPLIED == ("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both "
                                "be supplied.")
    assert ol.IN_THE_PAST == "The retain until date must be in the future!"


def test_lock_options_apply():
    lock = ol.LockOptions("GOVERNANCE", Y2030, True)
    opts = ObjectOptions(version_id="v")
    assert lock.apply(opts) is opts
    assert (opts.lock_mode, opts.lock_until_ns, opts.legal_hold, opts.version_id) == \
        ("GOVERNANCE", Y2030, True, "v")
    assert lock.requested and ol.LockOptions(legal_hold=False).requested
    assert not ol.LockOptions().requested


class FakeRequest:
    def __init__(self, headers: dict[str, str], query: dict[str, str] | None = None) -> None:
        self.header_map = headers
        self.query_map = query or {}

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.header_map.get(name, default)


def test_lock_options_and_bypass_from_context():
    far = "9999-01-01T00:00:00Z"
    ctx: Any = SimpleNamespace(request=FakeRequest({ol.MODE_HEADER: "GOVERNANCE", ol.DATE_HEADER: far}))
    ctx.header = ctx.request.header
    assert ol.lock_options(ctx) == ol.LockOptions("GOVERNANCE", ol.parse_iso8601_ns(far))
    for value, expected in [("true", True), ("True", True), (" TRUE ", True), ("false", False),
                            ("1", False), ("", False), (None, False)]:
        headers = {} if value is None else {ol.BYPASS_HEADER: value}
        ctx = SimpleNamespace(header=FakeRequest(headers).header, access=None)
        assert ol.bypass_governance(ctx) is expected


# ---------------------------------------------------------------------------------------------
# Response headers


def test_lock_headers():
    assert ol.lock_headers(info()) == []
    assert ol.lock_headers(info(legal_hold=True)) == [("x-amz-object-lock-legal-hold", "ON")]
    full = info(lock_mode="COMPLIANCE", lock_until_ns=Y2030 + 7_000_000, legal_hold=True)
    assert ol.lock_headers(full) == [
        ("x-amz-object-lock-mode", "COMPLIANCE"),
        ("x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00.007Z"),
        ("x-amz-object-lock-legal-hold", "ON")]
    # botocore reads them back as HeadObject's fields.
    headers = dict(ol.lock_headers(info(lock_mode="GOVERNANCE", lock_until_ns=Y2030, legal_hold=True)))
    parsed = RestXMLParser().parse({"body": b"", "headers": headers, "status_code": 200},
                                   S3.operation_model("HeadObject").output_shape)
    fields = ("ObjectLockMode", "ObjectLockRetainUntilDate", "ObjectLockLegalHoldStatus")
    assert tuple(parsed[f] for f in fields) == ("GOVERNANCE", datetime(2030, 1, 1, tzinfo=UTC), "ON")


# ---------------------------------------------------------------------------------------------
# Handlers, over a fake engine


class FakeBucket:
    def __init__(self, lock: ObjectLockConfig | None) -> None:
        self.lock = lock

    def config(self, kind: type) -> Any:
        assert kind is ObjectLockConfig
        return self.lock


class FakeLayer:
    def __init__(self, lock: ObjectLockConfig | None = None, obj: ObjectInfo | None = None) -> None:
        self.lock, self.obj = lock, obj or info()
        self.calls: list[tuple[Any, ...]] = []

    def head_bucket(self, bucket):
        return FakeBucket(self.lock)

    def head_object(self, bucket, key, opts):
        self.calls.append(("head_object", bucket, key, opts.version_id))
        return self.obj

    def put_bucket_config(self, bucket, config):
        self.calls.append(("put_bucket_config", bucket, config))

    def put_object_retention(self, bucket, key, mode, until_ns, opts):
        self.calls.append(("put_object_retention", key, mode, until_ns, opts.version_id,
                           opts.bypass_governance))

    def put_object_legal_hold(self, bucket, key, on, opts):
        self.calls.append(("put_object_legal_hold", key, on, opts.version_id))


class FakeContext:
    bucket = "b"
    key = "k"
    identity = Identity("ak", "v4-header", UNSIGNED)
    access = None  # no authorization: a unit of the handler alone

    def __init__(self, layer: FakeLayer, body: bytes = b"", headers: dict[str, str] | None = None,
                 query: dict[str, str] | None = None) -> None:
        self.layer = layer
        self.trailers: dict[str, str] = {}
        self.request = FakeRequest(headers or {}, query)
        self.query = self.request.query_map
        self.header = self.request.header

        async def payload() -> Any:
            if body:
                yield body
        self.payload = payload()

    async def run(self, fn, *args):
        return fn(*args)


def call(handler: Any, ctx: Any) -> Any:
    return trio.run(handler, ctx)


def md5_header(body: bytes) -> dict[str, str]:
    import base64
    import hashlib
    return {"content-md5": base64.b64encode(hashlib.md5(body).digest()).decode()}


def test_handle_get_object_lock_configuration():
    response = call(ol.handle_get_object_lock_configuration, FakeContext(FakeLayer(ObjectLockConfig())))
    assert response.status == 200 and b"<ObjectLockEnabled>Enabled</ObjectLockEnabled>" in response.body
    for lock in (None, ObjectLockConfig(enabled=False)):
        with pytest.raises(S3Error) as caught:
            call(ol.handle_get_object_lock_configuration, FakeContext(FakeLayer(lock)))
        assert (caught.value.code, caught.value.status, caught.value.message) == (
            "ObjectLockConfigurationNotFoundError", 404,
            "Object Lock configuration does not exist for this bucket")


def test_handle_put_object_lock_configuration():
    body = retention_body("GOVERNANCE", "<Days>3</Days>")
    layer = FakeLayer()
    response = call(ol.handle_put_object_lock_configuration, FakeContext(layer, body, md5_header(body)))
    assert (response.status, response.body) == (200, b"")
    assert layer.calls == [("put_bucket_config", "b", ObjectLockConfig(True, "GOVERNANCE", days=3))]
    with pytest.raises(S3Error) as caught:  # S3 requires Content-MD5 or a checksum
        call(ol.handle_put_object_lock_configuration, FakeContext(FakeLayer(), body))
    assert caught.value.code == "InvalidRequest"
    with pytest.raises(S3Error) as caught:
        call(ol.handle_put_object_lock_configuration, FakeContext(FakeLayer(), body, md5_header(b"x")))
    assert caught.value.code == "BadDigest"


def test_handle_get_object_retention():
    locked = info(lock_mode="COMPLIANCE", lock_until_ns=Y2030)
    layer = FakeLayer(ObjectLockConfig(), locked)
    response = call(ol.handle_get_object_retention, FakeContext(layer, query={"versionId": "v1"}))
    assert response.body == ol.retention_xml(locked)
    assert layer.calls == [("head_object", "b", "k", "v1")]
    with pytest.raises(S3Error) as caught:
        call(ol.handle_get_object_retention, FakeContext(FakeLayer(ObjectLockConfig(), info())))
    assert (caught.value.code, caught.value.status) == ("NoSuchObjectLockConfiguration", 404)
    with pytest.raises(S3Error) as caught:
        call(ol.handle_get_object_retention, FakeContext(FakeLayer(None, locked)))
    assert (caught.value.code, caught.value.message) == (
        "InvalidRequest", "Bucket is missing Object Lock Configuration")
    with pytest.raises(S3Error) as caught:
        call(ol.handle_get_object_retention, FakeContext(layer, query={"versionId": ""}))
    assert (caught.value.code, caught.value.extra["ArgumentName"]) == ("InvalidArgument", "versionId")


def test_handle_put_object_retention():
    far = "9999-01-01T00:00:00Z"
    body = f"<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>{far}</RetainUntilDate></Retention>".encode()
    layer = FakeLayer(ObjectLockConfig())
    headers = {**md5_header(body), ol.BYPASS_HEADER: "true"}
    response = call(ol.handle_put_object_retention, FakeContext(layer, body, headers, {"versionId": "v2"}))
    assert (response.status, response.headers, response.body) == (200, [], b"")
    assert layer.calls == [("put_object_retention", "k", "GOVERNANCE", ol.parse_iso8601_ns(far), "v2", True)]


def test_handle_legal_hold():
    layer = FakeLayer(ObjectLockConfig(), info(legal_hold=True))
    response = call(ol.handle_get_object_legal_hold, FakeContext(layer))
    assert parse_output("GetObjectLegalHold", response.body)["LegalHold"] == {"Status": "ON"}
    with pytest.raises(S3Error) as caught:
        call(ol.handle_get_object_legal_hold, FakeContext(FakeLayer(None)))
    assert caught.value.code == "InvalidRequest"
    body = b"<LegalHold><Status>OFF</Status></LegalHold>"
    call(ol.handle_put_object_legal_hold, FakeContext(layer, body, md5_header(body)))
    assert layer.calls[-1] == ("put_object_legal_hold", "k", False, None)

