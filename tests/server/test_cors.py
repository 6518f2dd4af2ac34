"""CORS: the CORSConfiguration document (PutBucketCors' checks, GetBucketCors' form), the rule
matcher (wildcard origins and headers, S3's case rules, crafted origins), the headers of an
answer, and the server-wide default."""

from __future__ import annotations

import pytest

from cairn.engine.api import BucketInfo, CorsConfig, CorsRule
from cairn.server.cli import parse_origins
from cairn.server.cors import (
    DEFAULT_EXPOSE,
    VARY,
    Pattern,
    Rule,
    bucket_rules,
    first_match,
    plausible_origin,
    requested_headers,
    response_headers,
    rules_for,
)
from cairn.server.errors import S3Error
from cairn.server.handlers.cors import cors_configuration_xml, parse_cors_configuration

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
ORIGIN = "<AllowedOrigin>https://example.com</AllowedOrigin>"
METHOD = "<AllowedMethod>GET</AllowedMethod>"
MINIMAL = ORIGIN + METHOD


def doc(*rules: str, ns: bool = True) -> bytes:
    body = "".join(f"<CORSRule>{r}</CORSRule>" for r in rules)
    return f"<CORSConfiguration{' ' + NS if ns else ''}>{body}</CORSConfiguration>".encode()


def refusal(body: bytes) -> S3Error:
    with pytest.raises(S3Error) as caught:
        parse_cors_configuration(body)
    return caught.value


# --------------------------------------------------------------------------- the document


def test_parse_every_element() -> None:
    body = doc("<ID>site</ID>" + ORIGIN + "<AllowedOrigin>https://*.example.org</AllowedOrigin>"
               "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
               "<AllowedHeader>Authorization</AllowedHeader><AllowedHeader>x-amz-*</AllowedHeader>"
               "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>",
               "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>")
    assert parse_cors_configuration(body) == CorsConfig((
        CorsRule(("https://example.com", "https://*.example.org"), ("GET", "PUT"),
                 ("Authorization", "x-amz-*"), ("ETag",), 3000, "site"),
        CorsRule(("*",), ("HEAD",))))


@pytest.mark.parametrize("body", [
    doc(MINIMAL, ns=False),
    b'<?xml version="1.0" encoding="UTF-8"?>\n' + doc(MINIMAL),
    b'<s3:CORSConfiguration xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:CORSRule>'
    b"<s3:AllowedOrigin>https://example.com</s3:AllowedOrigin><s3:AllowedMethod>GET</s3:AllowedMethod>"
    b"</s3:CORSRule></s3:CORSConfiguration>",
    doc(f"\n  {METHOD}\n  <!-- a comment -->{ORIGIN}\n"),
])
def test_forms_of_one_document(body: bytes) -> None:
    assert parse_cors_configuration(body) == CorsConfig((CorsRule(("https://example.com",), ("GET",)),))


def test_accepted_edges() -> None:
    rules = parse_cors_configuration(doc(*[MINIMAL] * 100)).rules
    assert len(rules) == 100
    one = parse_cors_configuration(doc(MINIMAL + "<MaxAgeSeconds>2147483647</MaxAgeSeconds><ID>"
                                       + "a" * 255 + "</ID>")).rules[0]
    assert (one.max_age_seconds, one.id) == (2**31 - 1, "a" * 255)
    zero = parse_cors_configuration(doc(MINIMAL + "<MaxAgeSeconds>0</MaxAgeSeconds>")).rules[0]
    assert zero.max_age_seconds == 0
    kept = parse_cors_configuration(doc("<AllowedOrigin> https://x\n</AllowedOrigin>" + METHOD)).rules[0]
    assert kept.allowed_origins == (" https://x\n",)  # values are kept as sent, as S3 keeps them


MALFORMED = {
    "empty": b"",
    "not xml": b"AllowedOrigin: *",
    "not utf-8": b"<\xff\xfe>",
    "unclosed": f"<CORSConfiguration><CORSRule>{MINIMAL}</CORSConfiguration>".encode(),
    "doctype": b"<!DOCTYPE CORSConfiguration>" + doc(MINIMAL),
    "entities": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                 + doc("<AllowedOrigin>&b;</AllowedOrigin>" + METHOD)),
    "other root": f"<CORSRules><CORSRule>{MINIMAL}</CORSRule></CORSRules>".encode(),
    "root in lowercase": f"<corsconfiguration><CORSRule>{MINIMAL}</CORSRule></corsconfiguration>".encode(),
    "no rule": doc(),
    "101 rules": doc(*[MINIMAL] * 101),
    "unknown element beside a rule": doc(MINIMAL).replace(b"</CORSConfiguration>",
                                                          b"<Owner/></CORSConfiguration>"),
    "text beside a rule": doc(MINIMAL).replace(b"<CORSRule>", b"text<CORSRule>"),
    "rule in a rule": doc(f"<CORSRule>{MINIMAL}</CORSRule>"),
    "empty rule": doc(""),
    "no origin": doc(METHOD),
    "no method": doc(ORIGIN),
    "second rule without origin": doc(MINIMAL, METHOD),
    "text in a rule": doc(MINIMAL + "text"),
    "unknown element in a rule": doc(MINIMAL + "<AllowedHeaders>*</AllowedHeaders>"),
    "element name in another case": doc(MINIMAL + "<allowedheader>*</allowedheader>"),
    "element in a value": doc(f"<AllowedOrigin><Origin>*</Origin></AllowedOrigin>{METHOD}"),
    "max age empty": doc(MINIMAL + "<MaxAgeSeconds></MaxAgeSeconds>"),
    "max age negative": doc(MINIMAL + "<MaxAgeSeconds>-1</MaxAgeSeconds>"),
    "max age fraction": doc(MINIMAL + "<MaxAgeSeconds>1.5</MaxAgeSeconds>"),
    "max age non-ascii digits": doc(MINIMAL + "<MaxAgeSeconds>\u0661\u0662</MaxAgeSeconds>"),
    "max age over 32 bits": doc(MINIMAL + "<MaxAgeSeconds>2147483648</MaxAgeSeconds>"),
    "max age twice": doc(MINIMAL + "<MaxAgeSeconds>1</MaxAgeSeconds><MaxAgeSeconds>1</MaxAgeSeconds>"),
    "id of 256": doc(MINIMAL + "<ID>" + "a" * 256 + "</ID>"),
    "id twice": doc(MINIMAL + "<ID>a</ID><ID>b</ID>"),
    "too deep": doc("<AllowedOrigin>" + "<a>" * 40 + "</a>" * 40 + "</AllowedOrigin>" + METHOD),
    # The shape of the whole document is checked before any value.
    "shape before methods": doc("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>",
                                METHOD),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed(name: str) -> None:
    assert refusal(MALFORMED[name]).code == "MalformedXML"


def test_oversized() -> None:
    body = doc(*["<AllowedOrigin>https://" + "a" * 1000 + ".example.com</AllowedOrigin>" + METHOD] * 70)
    assert len(body) > 64 << 10
    assert refusal(body).code in ("MalformedXML", "MaxMessageLengthExceeded")
    assert refusal(body).status == 400


@pytest.mark.parametrize("method", ["OPTIONS", "PATCH", "TRACE", "get", "Get", " GET", "GET,PUT", "*", ""])
def test_unsupported_method(method: str) -> None:
    err = refusal(doc(ORIGIN + METHOD + f"<AllowedMethod>{method}</AllowedMethod>"))
    assert (err.code, err.status) == ("InvalidRequest", 400)
    assert err.message == f"Found unsupported HTTP method in CORS config. Unsupported method is {method}"


@pytest.mark.parametrize(("rule", "message"), [
    ("<AllowedOrigin>https://*.example.*</AllowedOrigin>" + METHOD,
     'AllowedOrigin "https://*.example.*" can not have more than one wildcard.'),
    ("<AllowedOrigin>**</AllowedOrigin>" + METHOD, 'AllowedOrigin "**" can not have more than one wildcard.'),
    (MINIMAL + "<AllowedHeader>x-*-meta-*</AllowedHeader>",
     'AllowedHeader "x-*-meta-*" can not have more than one wildcard.'),
    (MINIMAL + "<ExposeHeader>*</ExposeHeader>",
     'ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader.'),
    (MINIMAL + "<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-*</ExposeHeader>",
     'ExposeHeader "x-amz-*" contains wildcard. We currently do not support wildcard for ExposeHeader.'),
    # In a later rule; the method is checked before the origin, the origin before the headers.
    ("<AllowedOrigin>*.*</AllowedOrigin><AllowedHeader>*-*</AllowedHeader><AllowedMethod>PUT</AllowedMethod>"
     "<AllowedMethod>PATCH</AllowedMethod>",
     "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"),
    ("<AllowedOrigin>*.*</AllowedOrigin><AllowedHeader>*-*</AllowedHeader>" + METHOD,
     'AllowedOrigin "*.*" can not have more than one wildcard.'),
])
def test_invalid_request(rule: str, message: str) -> None:
    err = refusal(doc(MINIMAL, rule))
    assert (err.code, err.message) == ("InvalidRequest", message)


def test_get_document_round_trip() -> None:
    config = CorsConfig((
        CorsRule(("https://example.com", "https://*.example.org"), ("GET", "PUT"), ("*",),
                 ("ETag", "x-amz-id-2"), 0, 'a <b> & "c"'),
        CorsRule(("",), ("DELETE", "DELETE"))))
    xml = cors_configuration_xml(config)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns=')
    assert b"<CORSRule><ID>a &lt;b&gt; &amp; &quot;c&quot;</ID><AllowedMethod>GET</AllowedMethod>" in xml
    assert b"<AllowedHeader>*</AllowedHeader><MaxAgeSeconds>0</MaxAgeSeconds><ExposeHeader>ETag" in xml
    assert parse_cors_configuration(xml) == config
    assert CorsConfig.from_doc(config.to_doc()) == config


# --------------------------------------------------------------------------- matching


def match_origin(pattern: str, origin: str) -> bool:
    return first_match([Rule.of(CorsRule((pattern,), ("GET",)))], origin, "GET") is not None


@pytest.mark.parametrize(("pattern", "origin", "matches"), [
    ("*", "https://example.com", True),
    ("*", "null", True),
    ("https://example.com", "https://example.com", True),
    ("https://example.com", "http://example.com", False),
    ("https://example.com", "https://example.com:8443", False),
    ("https://example.com", "https://example.com.attacker.net", False),
    ("https://example.com", "https://www.example.com", False),
    ("https://*.example.com", "https://www.example.com", True),
    ("https://*.example.com", "https://a.b.example.com", True),
    ("https://*.example.com", "https://example.com", False),
    ("https://*.example.com", "http://www.example.com", False),
    ("https://*.example.com", "https://www.example.com:8443", False),
    ("https://*.example.com", "https://evil.example.com.attacker.net", False),
    ("https://*.example.com", "https://evil-example.com", False),
    ("https://*.example.com", "https://wwwXexample.com", False),
    ("https://*.example.com", "https://www.example.org", False),
    ("https://example.com:*", "https://example.com:8443", True),
    ("https://example.com:*", "https://example.com", False),
    ("http*://example.com", "https://example.com", True),
    ("*.example.com", "https://www.example.com", True),
    ("https://*", "https://anything.test", True),
    ("https://*", "http://anything.test", False),
    # The text before and after the `*` may not overlap.
    ("https://a*a", "https://aa", True),
    ("https://a*a", "https://a", False),
    ("ab*ba", "aba", False),
    # An origin is compared as text (S3's own tests use origins that are not URLs)...
    ("*suffix", "foo.suffix", True),
    ("*suffix", "foo.suffix.get", False),
    ("start*end", "start12end", True),
    ("start*end", "0start12end", False),
    ("prefix*", "prefix", True),
    ("prefix*", "bla.prefix", False),
    # ... case-sensitively, as S3 compares it.
    ("https://example.com", "https://EXAMPLE.com", False),
    ("https://Example.com", "https://example.com", False),
    ("https://*.example.com", "https://WWW.example.com", True),
    # A rule's breadth is its author's: this one allows other hosts, as on S3.
    ("https://example.com*", "https://example.com.evil.net", True),
])
def test_origin_patterns(pattern: str, origin: str, matches: bool) -> None:
    assert match_origin(pattern, origin) is matches


@pytest.mark.parametrize("origin", [
    "https://attacker.net/.example.com",  # a path
    "https://attacker.net?.example.com",  # a query
    "https://attacker.net#.example.com",  # a fragment
    "https://user@x.example.com",  # userinfo
    "https://attacker.net\\.example.com",
    "https://attacker.net .example.com",
    "https://attacker.net%2f.example.com",
    "https://attacker.net\t.example.com",
    "https://" + "a" * 2000 + ".example.com",  # longer than any origin
    "https:///.example.com",
    "https://x//y.example.com",
])
def test_crafted_origins_match_nothing(origin: str) -> None:
    """What no browser sends as an Origin is refused before any rule is read: no `*`, not even the
    literal one, stands for a path, query, fragment, userinfo, space or escape."""
    assert not plausible_origin(origin)
    assert not match_origin("https://*.example.com", origin)
    assert not match_origin("*", origin)


@pytest.mark.parametrize("origin", ["https://example.com", "http://localhost:3000", "http://127.0.0.1:9000",
                                    "http://[::1]:8080", "null", "chrome-extension://abcdef", "foo.suffix"])
def test_plausible_origins(origin: str) -> None:
    assert plausible_origin(origin)


def test_methods_are_case_sensitive() -> None:
    rules = [Rule.of(CorsRule(("*",), ("GET", "HEAD")))]
    assert first_match(rules, "https://a.test", "HEAD") is not None
    for method in ("get", "PUT", "OPTIONS", ""):
        assert first_match(rules, "https://a.test", method) is None


@pytest.mark.parametrize(("allowed", "requested", "matches"), [
    ((), [], True),
    ((), ["content-type"], False),
    (("content-type",), ["content-type"], True),
    (("Content-Type",), ["content-type"], True),  # header names compare without case
    (("CONTENT-TYPE",), requested_headers("cOnTeNt-TyPe"), True),
    (("content-type",), ["content-type", "x-amz-date"], False),
    (("X-Amz-*",), requested_headers("X-AMZ-DATE, x-amz-content-sha256"), True),
    (("x-amz-*",), ["x-amz-"], True),
    (("x-amz-*",), ["x-amz"], False),
    (("x-amz-*",), ["x-amzn-trace-id"], False),
    (("x-amz-*",), ["my-x-amz-date"], False),
    (("*",), ["authorization", "x-anything"], True),
    (("*-type",), ["content-type"], True),
    (("x-*-id",), ["x--id"], True),
    (("x-*-id",), ["x-id"], False),
    (("content.type",), ["contentxtype"], False),  # a `.` is a dot, not a pattern
])
def test_header_patterns(allowed: tuple[str, ...], requested: list[str], matches: bool) -> None:
    rules = [Rule.of(CorsRule(("*",), ("PUT",), allowed))]
    assert (first_match(rules, "https://a.test", "PUT", requested) is not None) is matches


def test_requested_headers() -> None:
    assert requested_headers("Content-Type,X-Amz-Date ,  x-amz-meta-Name") == [
        "content-type", "x-amz-date", "x-amz-meta-name"]
    assert requested_headers(" , ,") == requested_headers("") == requested_headers(None) == []


def test_the_first_matching_rule_answers() -> None:
    exact = CorsRule(("https://example.com",), ("GET", "PUT"), id="exact")
    pattern = CorsRule(("https://*.com",), ("GET",), ("*",), id="pattern")
    anyone = CorsRule(("*",), ("GET", "HEAD"), id="any")

    def winner(rules: list[CorsRule], method: str, headers: list[str] | None = None) -> str | None:
        found = first_match(list(map(Rule.of, rules)), "https://example.com", method, headers or [])
        return None if found is None else found.rule.rule.id

    assert winner([exact, pattern, anyone], "GET") == "exact"
    assert winner([anyone, pattern, exact], "GET") == "any"
    assert winner([pattern, exact, anyone], "PUT") == "exact"
    assert winner([exact, pattern, anyone], "HEAD") == "any"
    assert winner([exact, pattern, anyone], "GET", ["x-amz-date"]) == "pattern"
    assert winner([exact, pattern, anyone], "DELETE") is None
    # Origin, method and headers must all be allowed by one rule.
    split = [CorsRule(("https://example.com",), ("PUT",)), CorsRule(("https://example.org",), ("GET",))]
    assert winner(split, "GET") is None


def test_pattern_is_prefix_and_suffix() -> None:
    assert Pattern.of("https://*.example.com") == Pattern("https://", ".example.com")
    assert Pattern.of("https://example.com") == Pattern("https://example.com", None)
    assert Pattern.of("*") == Pattern("", "")


# --------------------------------------------------------------------------- the answers


SITE = CorsRule(("https://example.com", "https://*.example.com"), ("GET", "PUT", "DELETE"),
                ("Content-Type", "x-amz-*"), ("ETag", "x-amz-request-id"), 3000, "site")
PUBLIC = CorsRule(("*",), ("GET", "HEAD"), id="public")
RULES = (Rule.of(SITE), Rule.of(PUBLIC))


def test_preflight_headers_in_s3_order() -> None:
    match = first_match(RULES, "https://app.example.com", "PUT", ["content-type", "x-amz-date"])
    assert match is not None
    assert match.headers(wildcard=True, allow_headers=["content-type", "x-amz-date"]) == [
        ("Access-Control-Allow-Origin", "https://app.example.com"),
        ("Access-Control-Allow-Methods", "GET, PUT, DELETE"),
        ("Access-Control-Allow-Headers", "content-type, x-amz-date"),
        ("Access-Control-Expose-Headers", "ETag, x-amz-request-id"),
        ("Access-Control-Max-Age", "3000"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Vary", VARY),
    ]
    public = first_match(RULES, "https://example.org", "GET")
    assert public is not None
    assert public.headers(wildcard=True) == [("Access-Control-Allow-Origin", "*"),
                                             ("Access-Control-Allow-Methods", "GET, HEAD"), ("Vary", VARY)]


def test_actual_request_headers() -> None:
    """`*` only to an anonymous request under a rule allowing any origin; the origin otherwise."""
    def answer(origin: str, method: str, anonymous: bool) -> dict[str, str]:
        return dict(response_headers(RULES, {"origin": origin}, method, anonymous))

    assert answer("https://example.org", "GET", True)["Access-Control-Allow-Origin"] == "*"
    signed = answer("https://example.org", "GET", False)
    assert signed["Access-Control-Allow-Origin"] == "https://example.org"
    assert signed["Access-Control-Allow-Credentials"] == "true"
    site = answer("https://example.com", "PUT", True)
    assert site["Access-Control-Allow-Origin"] == "https://example.com"  # the rule names it
    assert site["Access-Control-Expose-Headers"] == "ETag, x-amz-request-id"
    assert site["Vary"] == VARY and "Access-Control-Allow-Headers" not in site
    assert answer("https://example.org", "PUT", True) == {}
    assert answer("https://EXAMPLE.com", "DELETE", True) == {}
    assert answer("https://evil.example.com.attacker.net", "DELETE", False) == {}
    assert response_headers(RULES, {}, "GET", True) == []
    assert response_headers(RULES, {"origin": ""}, "GET", True) == []


def test_server_default_and_bucket_rules() -> None:
    plain = BucketInfo("b", 1)
    assert bucket_rules(plain) is None
    default = rules_for(plain, ("*",))
    match = first_match(default, "http://localhost:5173", "PUT", ["authorization", "x-amz-date"])
    assert match is not None and match.rule.rule.expose_headers == DEFAULT_EXPOSE
    assert "ETag" in DEFAULT_EXPOSE and "x-amz-version-id" in DEFAULT_EXPOSE
    assert rules_for(plain, ()) == () and rules_for(None, ()) == ()
    narrow = rules_for(None, ("http://app.test", "http://*.dev.test"))
    assert first_match(narrow, "http://a.dev.test", "GET") is not None
    assert first_match(narrow, "http://other.test", "GET") is None
    # A bucket's own configuration replaces the default; each record's rules are compiled once.
    own = BucketInfo("b", 1, generation=2, configs={"cors": CorsConfig((SITE,)).to_doc()})
    assert rules_for(own, ("*",)) == (Rule.of(SITE),)
    assert bucket_rules(own) is bucket_rules(own)
    changed = BucketInfo("b", 1, generation=3, configs={"cors": CorsConfig((PUBLIC,)).to_doc()})
    assert rules_for(changed, ("*",)) == (Rule.of(PUBLIC),)
    recreated = BucketInfo("b", 5, generation=2, configs={"cors": CorsConfig((PUBLIC,)).to_doc()})
    assert rules_for(recreated, ("*",)) == (Rule.of(PUBLIC),)


def test_cli_origins() -> None:
    assert parse_origins("*") == ("*",)
    assert parse_origins("") == parse_origins(" , ") == ()
    assert parse_origins("http://a.test, https://*.b.test") == ("http://a.test", "https://*.b.test")
    with pytest.raises(ValueError, match="one"):
        parse_origins("https://*.*")
