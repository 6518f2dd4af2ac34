"""Lifecycle in the server: the LifecycleConfiguration document (PutBucketLifecycleConfiguration's
checks, GetBucketLifecycleConfiguration's form), the x-amz-expiration and x-amz-abort-* headers,
and the settings."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any, cast

import pytest

from cairn.engine.api import BucketInfo, LifecycleConfig, LifecycleFilter, LifecycleRule, ObjectInfo
from cairn.server.cli import lifecycle_day_from_env, parse_rate
from cairn.server.context import Context, ServerConfig
from cairn.server.errors import S3Error
from cairn.server.handlers.lifecycle import lifecycle_configuration_xml, parse_lifecycle_configuration
from cairn.server.lifecycle import abort_headers, expiration_header, rule_id_text
from cairn.server.scanner import cycle_pause, step_size
from cairn.server.xml import parse_xml

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
EXPIRE = "<Expiration><Days>1</Days></Expiration>"
ENABLED = "<Status>Enabled</Status>"
ALL = "<Filter></Filter>"


def doc(*rules: str) -> bytes:
    body = "".join(f"<Rule>{r}</Rule>" for r in rules)
    return f"<LifecycleConfiguration {NS}>{body}</LifecycleConfiguration>".encode()


def refusal(body: bytes) -> S3Error:
    with pytest.raises(S3Error) as caught:
        parse_lifecycle_configuration(body)
    return caught.value


# -- the document --------------------------------------------------------------------------------

def test_parse_every_element() -> None:
    config = parse_lifecycle_configuration(doc(
        "<ID>logs</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag>"
        "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>1000</ObjectSizeLessThan>"
        "</And></Filter>" + ENABLED + EXPIRE
        + "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays>"
          "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>",
        "<ID>old</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Disabled</Status>"
        "<Expiration><Date>2099-11-10T00:00:00.000Z</Date></Expiration>"
        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation>"
        "</AbortIncompleteMultipartUpload>",
        "<ID>markers</ID><Filter/>" + ENABLED
        + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"))
    assert config == LifecycleConfig((
        LifecycleRule("logs", "Enabled", LifecycleFilter("logs/", (("a", "1"),), 10, 1000, "and"),
                      expiration_days=1, noncurrent_days=3, newer_noncurrent_versions=2),
        LifecycleRule("old", "Disabled", LifecycleFilter("tmp/"), expiration_date=4097952000, abort_days=7),
        LifecycleRule("markers", "Enabled", LifecycleFilter(), expired_object_delete_marker=True)))


def test_the_older_rule_level_prefix() -> None:
    config = parse_lifecycle_configuration(doc("<Prefix>a/</Prefix>" + ENABLED + EXPIRE,
                                               "<Prefix></Prefix>" + ENABLED + EXPIRE))
    assert [r.filter for r in config.rules] == [LifecycleFilter("a/", form="prefix"),
                                                LifecycleFilter("", form="prefix")]


def test_rules_without_id_get_one() -> None:
    body = doc(ALL + ENABLED + EXPIRE, "<ID></ID>" + ALL + ENABLED + EXPIRE)
    rules = parse_lifecycle_configuration(body).rules
    assert len({r.id for r in rules}) == 2 and all(len(r.id) == 48 for r in rules)


@pytest.mark.parametrize("date", ["2099-11-10T00:00:00Z", "2099-11-10T00:00:00.000Z", "2099-11-10",
                                  "2099-11-10T01:00:00+01:00"])
def test_dates_at_midnight_utc(date: str) -> None:
    body = doc(ALL + ENABLED + f"<Expiration><Date>{date}</Date></Expiration>")
    config = parse_lifecycle_configuration(body)
    assert config.rules[0].expiration_date == 4097952000


def test_get_document_round_trip() -> None:
    filters = doc("<ID>a&amp;b</ID><Filter><Tag><Key>k</Key><Value></Value></Tag></Filter>" + ENABLED
                  + "<Expiration><Date>2099-11-10T00:00:00.000Z</Date></Expiration>",
                  "<ID>s</ID><Filter><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>" + ENABLED + EXPIRE,
                  "<ID>m</ID><Filter><Prefix></Prefix></Filter>" + ENABLED
                  + "<Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>"
                  "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>"
                  "</AbortIncompleteMultipartUpload>",
                  "<ID>all</ID>" + ALL + ENABLED
                  + "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays>"
                  "<NewerNoncurrentVersions>4</NewerNoncurrentVersions></NoncurrentVersionExpiration>")
    prefixes = doc("<ID>p</ID><Prefix>x/</Prefix><Status>Disabled</Status>"
                   "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration>")
    for body in (filters, prefixes):
        config = parse_lifecycle_configuration(body)
        assert parse_lifecycle_configuration(lifecycle_configuration_xml(config)) == config
    out = lifecycle_configuration_xml(parse_lifecycle_configuration(filters))
    assert (b"<ID>a&amp;b</ID><Filter><Tag><Key>k</Key><Value></Value></Tag></Filter><Status>Enabled</Status>"
            in out)
    assert b"<Expiration><Date>2099-11-10T00:00:00.000Z</Date></Expiration>" in out
    assert b"<Filter></Filter>" in out and b"<Filter><Prefix></Prefix></Filter>" in out
    assert (b"<Rule><ID>p</ID><Prefix>x/</Prefix><Status>Disabled</Status>"
            in lifecycle_configuration_xml(parse_lifecycle_configuration(prefixes)))


MALFORMED = {
    "no rule": doc(),
    "wrong root": b"<Lifecycle><Rule><Status>Enabled</Status></Rule></Lifecycle>",
    "unknown root child": doc(ALL + ENABLED + EXPIRE).replace(b"</LifecycleConfiguration>", b"<X/></Lifecycle"
                                                                 b"Configuration>"),
    "text in root": doc(ALL + ENABLED + EXPIRE).replace(b"<Rule>", b"text<Rule>"),
    "no status": doc(ALL + EXPIRE),
    "bad status": doc(ALL + "<Status>enabled</Status>" + EXPIRE),
    "two statuses": doc(ALL + ENABLED + ENABLED + EXPIRE),
    "no filter nor prefix": doc(ENABLED + EXPIRE),
    "filter and prefix": doc(ALL + "<Prefix>a</Prefix>" + ENABLED + EXPIRE),
    "two conditions outside And": doc("<Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan>"
                                      "</Filter>" + ENABLED + EXPIRE),
    "And of one": doc("<Filter><And><Prefix>a</Prefix></And></Filter>" + ENABLED + EXPIRE),
    "unknown filter element": doc("<Filter><Suffix>a</Suffix></Filter>" + ENABLED + EXPIRE),
    "tag without value": doc("<Filter><Tag><Key>a</Key></Tag></Filter>" + ENABLED + EXPIRE),
    "unknown rule element": doc(ALL + ENABLED + EXPIRE + "<Colour>red</Colour>"),
    "two expirations": doc(ALL + ENABLED + EXPIRE + EXPIRE),
    "empty expiration": doc(ALL + ENABLED + "<Expiration></Expiration>"),
    "days and date": doc(ALL + ENABLED + "<Expiration><Days>1</Days><Date>2099-11-10T00:00:00Z</Date>"
                                        "</Expiration>"),
    "days and marker": doc(ALL + ENABLED + "<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true"
                                          "</ExpiredObjectDeleteMarker></Expiration>"),
    "days not a number": doc(ALL + ENABLED + "<Expiration><Days>one</Days></Expiration>"),
    "days beyond an int": doc(ALL + ENABLED + "<Expiration><Days>2147483648</Days></Expiration>"),
    "days holding elements": doc(ALL + ENABLED + "<Expiration><Days><X/></Days></Expiration>"),
    "date not a date": doc(ALL + ENABLED + "<Expiration><Date>tomorrow</Date></Expiration>"),
    "marker not a boolean": doc(ALL + ENABLED + "<Expiration><ExpiredObjectDeleteMarker>yes"
                                               "</ExpiredObjectDeleteMarker></Expiration>"),
    "noncurrent without days": doc(ALL + ENABLED + "<NoncurrentVersionExpiration><NewerNoncurrentVersions>1"
                                                  "</NewerNoncurrentVersions></NoncurrentVersionExpiration>"),
    "abort without days": doc(ALL + ENABLED + "<AbortIncompleteMultipartUpload/>"),
    "transition without class": doc(ALL + ENABLED + "<Transition><Days>30</Days></Transition>"),
    "transition with days and date": doc(ALL + ENABLED + "<Transition><Days>30</Days><Date>2099-11-10"
                                                        "</Date><StorageClass>GLACIER</StorageClass></Transition>"),
    "over 1000 rules": doc(*[ALL + ENABLED + EXPIRE] * 1001),
    "not XML": b"<LifecycleConfiguration><Rule>",
    "a DTD": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><LifecycleConfiguration/>',
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed(name: str) -> None:
    assert refusal(MALFORMED[name]).code == "MalformedXML"


def test_oversized() -> None:
    huge = doc(f"<ID>{'x' * (2 << 20)}</ID>" + ALL + ENABLED + EXPIRE)
    assert refusal(huge).code == "MaxMessageLengthExceeded"
    deep = b"<a>" * 100 + b"</a>" * 100
    assert refusal(deep).code == "MalformedXML"


INVALID = [
    ("<ID>" + "x" * 256 + "</ID>" + ALL + ENABLED + EXPIRE, "InvalidArgument",
     "ID length should not exceed allowed limit of 255"),
    (ALL + ENABLED + "<Expiration><Days>0</Days></Expiration>", "InvalidArgument",
     "'Days' for Expiration action must be a positive integer"),
    (ALL + ENABLED + "<Expiration><Days>-3</Days></Expiration>", "InvalidArgument",
     "'Days' for Expiration action must be a positive integer"),
    (ALL + ENABLED + "<Expiration><Date>2099-11-10T12:00:00Z</Date></Expiration>", "InvalidArgument",
     "'Date' must be at midnight GMT"),
    (ALL + ENABLED + "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays>"
                     "</NoncurrentVersionExpiration>", "InvalidArgument",
     "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"),
    (ALL + ENABLED + "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
                     "<NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>",
     "InvalidArgument",
     "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer up to 100"),
    (ALL + ENABLED + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation>"
                     "</AbortIncompleteMultipartUpload>", "InvalidArgument",
     "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer"),
    ("<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10</ObjectSizeLessThan>"
     "</And></Filter>" + ENABLED + EXPIRE, "InvalidArgument",
     "'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'"),
    (ALL + ENABLED, "InvalidRequest", "At least one action needs to be specified in a rule"),
    ("<Filter><Tag><Key>a</Key><Value>1</Value></Tag></Filter>" + ENABLED
     + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>",
     "InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with Tags."),
    ("<Filter><Tag><Key>a</Key><Value>1</Value></Tag></Filter>" + ENABLED
     + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
       "</AbortIncompleteMultipartUpload>", "InvalidRequest",
     "AbortIncompleteMultipartUpload cannot be specified with Tags."),
    ("<Filter><And><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></And>"
     "</Filter>" + ENABLED + EXPIRE, "InvalidRequest", "Duplicate Tag Keys are not allowed."),
    ("<Filter><Prefix>" + "p" * 1025 + "</Prefix></Filter>" + ENABLED + EXPIRE, "InvalidRequest",
     "The maximum size of a prefix is 1024"),
    ("<Filter><Tag><Key>aws:x</Key><Value>1</Value></Tag></Filter>" + ENABLED + EXPIRE, "InvalidTag",
     "Your TagKey cannot be prefixed with aws:"),
]


@pytest.mark.parametrize(("rule", "code", "message"), INVALID)
def test_invalid_values(rule: str, code: str, message: str) -> None:
    error = refusal(doc(rule))
    assert (error.code, error.message) == (code, message)


def test_duplicate_ids() -> None:
    error = refusal(doc("<ID>same</ID>" + ALL + ENABLED + EXPIRE, "<ID>same</ID>" + ALL + ENABLED + EXPIRE))
    assert (error.code, error.message) == ("InvalidArgument",
                                           "Rule ID must be unique. Found same ID for more than one rule")


def test_rule_level_prefix_beside_filters() -> None:
    error = refusal(doc("<Prefix>a</Prefix>" + ENABLED + EXPIRE, ALL + ENABLED + EXPIRE))
    assert error.code == "InvalidRequest" and "Base level prefix" in error.message


@pytest.mark.parametrize("transition", [
    "<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>",
    "<Transition><Date>2099-11-10T00:00:00Z</Date><StorageClass>STANDARD_IA</StorageClass></Transition>",
    "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass>"
    "</NoncurrentVersionTransition>",
])
def test_transitions_are_refused_with_a_clear_message(transition: str) -> None:
    error = refusal(doc(ALL + ENABLED + EXPIRE + transition))
    assert error.code == "InvalidStorageClass" and error.status == 400
    assert "remote tier" in error.message and "cannot be honoured" in error.message


TO_WARM = "<Transition><Days>0</Days><StorageClass>WARM</StorageClass></Transition>"
NONCURRENT_TO_WARM = ("<NoncurrentVersionTransition><NoncurrentDays>3</NoncurrentDays>"
                      "<NewerNoncurrentVersions>2</NewerNoncurrentVersions><StorageClass>WARM</StorageClass>"
                      "</NoncurrentVersionTransition>")
TO_COLD = "<Transition><Date>2099-11-10T00:00:00Z</Date><StorageClass>COLD</StorageClass></Transition>"


def test_transitions_to_a_configured_tier_are_kept_and_shown_again() -> None:
    config = parse_lifecycle_configuration(doc("<ID>t</ID>" + ALL + ENABLED + TO_WARM + NONCURRENT_TO_WARM,
                                               "<ID>d</ID>" + ALL + ENABLED + TO_COLD),
                                           tiers=("WARM", "COLD"))
    first, second = config.rules
    assert (first.transition_days, first.transition_class) == (0, "WARM")
    assert (first.noncurrent_transition_days, first.noncurrent_transition_newer,
            first.noncurrent_transition_class) == (3, 2, "WARM")
    assert (second.transition_date, second.transition_class) == (4097952000, "COLD")  # 2099-11-10 UTC
    xml = lifecycle_configuration_xml(config).decode()
    assert TO_WARM in xml and NONCURRENT_TO_WARM in xml
    assert TO_COLD.replace(":00Z", ":00.000Z") in xml
    assert LifecycleConfig.from_doc(config.to_doc()) == config


def test_transition_refusals_name_the_tiers() -> None:
    error = refusal_with(doc(ALL + ENABLED + TO_WARM.replace("WARM", "GLACIER")), ("WARM", "COLD"))
    assert error.code == "InvalidStorageClass"
    assert "COLD, WARM" in error.message and "GLACIER" in error.message
    twice = refusal_with(doc(ALL + ENABLED + TO_WARM + TO_WARM), ("WARM",))
    assert twice.code == "InvalidRequest" and "At most one Transition" in twice.message
    negative = refusal_with(doc(ALL + ENABLED + TO_WARM.replace("<Days>0", "<Days>-1")), ("WARM",))
    assert negative.code == "InvalidArgument"
    newer = refusal_with(doc(ALL + ENABLED + NONCURRENT_TO_WARM.replace(">2<", ">0<")), ("WARM",))
    assert newer.code == "InvalidArgument" and "NewerNoncurrentVersions" in newer.message


def refusal_with(body: bytes, tiers: tuple[str, ...]) -> S3Error:
    with pytest.raises(S3Error) as caught:
        parse_lifecycle_configuration(body, tiers)
    return caught.value


def test_accepted_edges() -> None:
    rules = parse_lifecycle_configuration(doc(*[ALL + ENABLED + EXPIRE] * 1000)).rules
    assert len(rules) == 1000
    edge = parse_lifecycle_configuration(doc(
        "<ID>" + "i" * 255 + "</ID><Filter><Prefix>" + "p" * 1024 + "</Prefix></Filter>" + ENABLED
        + "<Expiration><Days>2147483647</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>1"
          "</NoncurrentDays><NewerNoncurrentVersions>100</NewerNoncurrentVersions></NoncurrentVersionExpiration>"))
    assert edge.rules[0].expiration_days == 2**31 - 1
    assert edge.rules[0].newer_noncurrent_versions == 100
    unqualified = doc(ALL + ENABLED + EXPIRE).replace(f" {NS}".encode(), b"")  # no namespace: fine too
    assert parse_lifecycle_configuration(unqualified).rules[0].expiration_days == 1


# -- the headers of object answers -----------------------------------------------------------------

def context(config: LifecycleConfig | None, key: str = "logs/a", query: dict[str, str] | None = None,
            day: float = 86_400.0) -> Context:
    configs = {} if config is None else {LifecycleConfig.KIND: config.to_doc()}
    bucket = BucketInfo("bkt", 1, generation=int(time.time_ns()), configs=configs)
    fake: Any = SimpleNamespace(access=SimpleNamespace(buckets={"bkt": bucket}), bucket="bkt", key=key,
                                query=query or {}, config=ServerConfig(lifecycle_day_seconds=day))
    return cast(Context, fake)


CONFIG = LifecycleConfig((LifecycleRule("logs-rule", filter=LifecycleFilter("logs/"), expiration_days=3),
                          LifecycleRule("uploads", abort_days=1)))


def test_expiration_header() -> None:
    info = ObjectInfo(10, "e", 1389781800 * 10**9, "null")  # 2014-01-15 10:30 UTC
    assert expiration_header(context(CONFIG), info) == [
        ("x-amz-expiration", 'expiry-date="Sun, 19 Jan 2014 00:00:00 GMT", rule-id="logs-rule"')]
    assert expiration_header(context(CONFIG, key="other"), info) == []
    assert expiration_header(context(None), info) == []
    assert expiration_header(context(CONFIG, query={"versionId": "x"}), info) == []
    short = expiration_header(context(CONFIG, day=10.0), info)  # three 10-second days, rounded up to 10 s
    assert short == [("x-amz-expiration", 'expiry-date="Wed, 15 Jan 2014 10:30:40 GMT", rule-id="logs-rule"')]


def test_expiration_beyond_year_9999_is_not_announced() -> None:
    config = LifecycleConfig((LifecycleRule("far", expiration_days=2**31 - 1),))
    assert expiration_header(context(config), ObjectInfo(1, "e", time.time_ns(), "null")) == []


def test_rule_ids_cannot_break_the_header() -> None:
    assert rule_id_text("plain id-1") == "plain id-1"
    assert rule_id_text('a"b\\c\r\nd%é') == "a%22b%5Cc%0D%0Ad%25%C3%A9"


def test_abort_headers() -> None:
    assert abort_headers(context(CONFIG), 1389781800 * 10**9) == [
        ("x-amz-abort-date", "Fri, 17 Jan 2014 00:00:00 GMT"), ("x-amz-abort-rule-id", "uploads")]
    assert abort_headers(context(None), 0) == []


# -- settings --------------------------------------------------------------------------------------

def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_rate("250") == 250.0
    for bad in ("0", "-1", "nan", "inf", "fast"):
        with pytest.raises(ValueError):
            parse_rate(bad)
    monkeypatch.delenv("CAIRN_LIFECYCLE_DAY_SECONDS", raising=False)
    assert lifecycle_day_from_env() == 86_400.0
    monkeypatch.setenv("CAIRN_LIFECYCLE_DAY_SECONDS", "2.5")
    assert lifecycle_day_from_env() == 2.5
    for bad in ("0", "-5", "day", "nan"):
        monkeypatch.setenv("CAIRN_LIFECYCLE_DAY_SECONDS", bad)
        with pytest.raises(ValueError):
            lifecycle_day_from_env()


def test_parser_bounds_hold() -> None:
    # The document parser is the hardened one: entities refused outright.
    with pytest.raises(S3Error):
        parse_xml(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')


def test_scanner_pace() -> None:
    default = ServerConfig()
    assert cycle_pause(default) == 60.0 and step_size(default) == 100
    # A short lifecycle day or stale-upload age shortens the pause, never under half a second.
    assert cycle_pause(ServerConfig(lifecycle_day_seconds=2.0)) == 0.5
    assert cycle_pause(ServerConfig(stale_upload_seconds=8.0)) == 2.0
    assert cycle_pause(ServerConfig(stale_upload_seconds=0.0, scanner_interval=3600.0)) == 3600.0
    assert cycle_pause(ServerConfig(scanner_interval=0.1)) == 0.1
    assert step_size(ServerConfig(scanner_rate=5.0)) == 1
    assert step_size(ServerConfig(scanner_rate=1e9)) == 1000
