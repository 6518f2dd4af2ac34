"""Property tests for cairn.server.iam: parse_policy() raises nothing but MalformedPolicy on any
input -- random bytes, random JSON built from the policy grammar's own words, random mutations
of valid policies -- and evaluate() / is_public() raise nothing on whatever parses, for any
request.  Deeply nested documents are refused before the JSON parser recurses."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.server.iam.canned import CANNED
from cairn.server.iam.conditions import KEYS, OPERATORS
from cairn.server.iam.evaluate import AccessRequest, Caller, evaluate, is_public
from cairn.server.iam.patterns import Patterns
from cairn.server.iam.policy import MalformedPolicy, Policy, parse_policy

BUCKET = "bucket"
KINDS: tuple[Literal["identity", "bucket", "session"], ...] = ("identity", "bucket", "session")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The grammar's vocabulary, so random documents get past the first checks often.
NAMES = ["Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action",
         "NotAction", "Resource", "NotResource", "Condition", "AWS", "CanonicalUser", "Service"]
OPERATOR_NAMES = [*OPERATORS, "StringLikeIfExists", "ForAnyValue:StringEquals",
                  "ForAllValues:StringLike", "NotIpAddressIfExists", "NullIfExists"]
WORDS = ["2012-10-17", "2008-10-17", "Allow", "Deny", "*", "s3:*", "s3:GetObject", "s3:List*",
         "admin:*", "kms:*", "arn:aws:s3:::*", f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*",
         f"arn:aws:s3:::{BUCKET}/${{aws:username}}/*", f"arn:aws:s3:::{BUCKET}/${{*}}",
         "arn:aws:iam:::user/alice", "123456789012", "10.0.0.0/8", "::/0", "true", "false",
         "2020-01-01T00:00:00Z", "1577836800", "${aws:username}", "${", "${x, 'd'}", "QUJD",
         "home/*", "?", "", "\x00", "\ud800", *sorted(KEYS)[:20], *OPERATOR_NAMES]

texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=20))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(NAMES + OPERATOR_NAMES), texts), inner,
                        max_size=5)),
    max_leaves=30)


def valid_documents() -> list[str]:
    statements = [
        {"Sid": "a", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:List*"],
         "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/${{aws:username}}/*"],
         "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]},
                       "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                       "ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["a"]},
                       "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
                       "NumericLessThan": {"s3:max-keys": 100}, "Null": {"s3:delimiter": True},
                       "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"},
                       "Bool": {"aws:SecureTransport": True}}},
        {"Effect": "Deny", "NotPrincipal": {"AWS": ["123456789012", "arn:aws:iam:::user/alice"],
                                             "CanonicalUser": "a" * 64},
         "NotAction": "s3:Get*", "NotResource": f"arn:aws:s3:::{BUCKET}/public/*"},
    ]
    return [json.dumps({"Version": "2012-10-17", "Statement": statements}), *CANNED.values()]


VALID = valid_documents()


def parse_any(doc: bytes | str, kind: Any) -> Policy | None:
    try:
        return parse_policy(doc, kind, BUCKET)
    except MalformedPolicy as e:
        assert str(e)
        return None


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid document with one subtree replaced, removed, or a member added."""
    value = json.loads(draw(st.sampled_from(VALID)))
    path: list[Any] = []
    node: Any = value
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append(key)
        node = node[key]
    parent: Any = value
    for key in path[:-1]:
        parent = parent[key]
    how = draw(st.sampled_from(["replace", "remove", "add"]))
    if not path:
        return json.dumps(value)
    last = path[-1]
    if how == "replace":
        parent[last] = draw(json_values)
    elif how == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(NAMES + OPERATOR_NAMES))] = draw(json_values)
    else:
        parent.append(draw(json_values))
    return json.dumps(value)


callers = st.builds(
    Caller, anonymous=st.booleans(),
    arns=st.frozensets(st.sampled_from(["arn:aws:iam::123456789012:user/alice",
                                        "arn:aws:iam:::user/alice", "arn:aws:iam::1:root", "x"])),
    canonical_id=st.sampled_from(["", "a" * 64]), username=texts, userid=texts,
    principal_type=st.sampled_from(["User", "Anonymous", "Account", ""]))
context_values = st.lists(st.one_of(texts, st.sampled_from(
    ["10.1.2.3", "2001:db8::1", "2030-01-01T00:00:00Z", "99", "true", "a" * 64])), max_size=3)
requests = st.builds(
    AccessRequest,
    action=st.one_of(st.sampled_from(["s3:GetObject", "s3:ListBucket", "admin:ServerInfo",
                                      "s3:PutObject", "kms:CreateKey"]), texts),
    resource=st.one_of(st.sampled_from(["*", "arn:aws:s3:::", f"arn:aws:s3:::{BUCKET}",
                                        f"arn:aws:s3:::{BUCKET}/home/alice/x"]), texts),
    caller=callers,
    context=st.dictionaries(st.sampled_from(sorted(KEYS)), context_values, max_size=6))


def check_evaluation(policy: Policy | None, request: AccessRequest) -> None:
    if policy is not None:
        assert evaluate(policy, request) in ("Allow", "Deny", None)
        assert is_public(policy) in (True, False)


@FUZZ
@given(st.binary(max_size=200), st.sampled_from(KINDS))
def test_random_bytes(doc: bytes, kind: Any) -> None:
    parse_any(doc, kind)
    parse_any(b"{" + doc, kind)


@FUZZ
@given(st.dictionaries(st.sampled_from(NAMES), json_values, max_size=4), st.sampled_from(KINDS),
       requests)
def test_random_json(top: dict[str, Any], kind: Any, request: AccessRequest) -> None:
    check_evaluation(parse_any(json.dumps(top), kind), request)


@FUZZ
@given(mutated(), st.sampled_from(KINDS), requests)
def test_mutated_policies(doc: str, kind: Any, request: AccessRequest) -> None:
    check_evaluation(parse_any(doc, kind), request)


@FUZZ
@given(st.sampled_from(VALID), requests)
def test_valid_policies_evaluate_any_request(doc: str, request: AccessRequest) -> None:
    policy = parse_policy(doc, "identity") if "Principal" not in doc else parse_policy(doc, "bucket", BUCKET)
    check_evaluation(policy, request)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["[", "{\"a\":", "[{\"b\":"]), st.integers(min_value=17, max_value=100_000))
def test_deep_nesting(opener: str, depth: int) -> None:
    for kind in KINDS:
        with pytest.raises(MalformedPolicy, match="nested too deeply"):
            parse_policy("{" + opener * depth, kind, BUCKET, max_bytes=10**7)


# --- wildcard matching: regex semantics, without regex backtracking ----------------------------

def reference_match(pattern: str, value: str, arn: bool = False) -> bool:
    """The obvious regex translation (exponential on some inputs: small inputs only)."""
    out, colons = [], 0
    for ch in pattern:
        in_field = arn and colons < 5
        if ch == "*":
            out.append("[^:]*" if in_field else ".*")
        elif ch == "?":
            out.append("[^:]" if in_field else ".")
        else:
            colons += ch == ":"
            out.append(re.escape(ch))
    return re.fullmatch("".join(out), value, re.DOTALL) is not None


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab:/*?", max_size=12), st.text(alphabet="ab:/*?", max_size=14))
def test_wildcards_match_as_regexes_would(pattern: str, value: str) -> None:
    assert Patterns.compile([pattern]).matches(value) == reference_match(pattern, value)
    if pattern.count(":") >= 5:  # ARN semantics: wildcards stay in the first five fields
        assert Patterns.compile([pattern], arn=True).matches(value) == reference_match(
            pattern, value, arn=True)


def test_pathological_patterns_take_linear_time() -> None:
    # As a backtracking regex, `*a*a*...*b` against a run of a's takes minutes.
    stars = "*a" * 30 + "*b"
    resource = f"arn:aws:s3:::{BUCKET}/" + stars
    policy = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resource,
         "Condition": {"StringLike": {"s3:prefix": stars}, "ArnLike": {"aws:SourceArn": stars}}},
    ]}), "bucket", BUCKET)
    caller = Caller(anonymous=True, principal_type="Anonymous")
    key = f"arn:aws:s3:::{BUCKET}/" + "a" * 20_000
    assert evaluate(policy, AccessRequest("s3:GetObject", key, caller)) is None
    assert evaluate(policy, AccessRequest("s3:GetObject", key + "b", caller, {
        "s3:prefix": ["a" * 20_000], "aws:sourcearn": ["a" * 20_000]})) is None
    with pytest.raises(MalformedPolicy):  # every action pattern is checked against the list
        parse_policy(json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:" + stars,
                                                "Resource": "*"}]}), "identity")


def test_pathological_documents_take_linear_time() -> None:
    for text in ('{"' + '\\"' * 200_000, '{"Statement": "' + "${" * 200_000 + '"}',
                 '{"a": "' + "[" * 400_000 + '"}'):
        with pytest.raises(MalformedPolicy):
            parse_policy(text, "identity", max_bytes=10**7)
