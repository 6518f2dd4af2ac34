"""Tests for cairn.server.iam.policy: which documents parse, into what, and every refusal's
message.

Where the expected answers come from:
- the grammar and the refusals' wording: S3's MalformedPolicy messages as S3 answers them
  (recorded by versitygw's auth/bucket_policy.go against AWS: "Policies must be valid JSON and
  the first byte must be '{'", "This policy contains invalid Json", "Could not parse the
  policy: Statement is empty!", "Missing required field Statement", "The policy must contain
  a valid version string", "Policy has invalid resource", "Invalid principal in policy",
  "Policy has invalid action", "Action does not apply to any resource(s) in statement"), and
  IAM's (moto's iam/policy_validation.py: "Statement IDs (SID) in a single policy must be
  unique.", "Policy document should not specify a principal.");
- the documents: AWS's bucket policy examples (S3 user guide) and MinIO's canned policies;
- where neither says (a nesting bound, duplicate JSON names, a condition value's format): our
  own wording, asserted here so that it stays put.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cairn.server.iam.canned import CANNED
from cairn.server.iam.conditions import Condition
from cairn.server.iam.policy import MalformedPolicy, Policy, parse_policy

BUCKET = "amzn-s3-demo-bucket"


def doc(*statements: dict[str, Any], version: str | None = "2012-10-17", **top: Any) -> str:
    body: dict[str, Any] = {} if version is None else {"Version": version}
    body.update(top)
    body["Statement"] = list(statements)
    return json.dumps(body)


def public_read(**changes: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                                 "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    statement.update(changes)
    return {k: v for k, v in statement.items() if v is not None}


def allow(**changes: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "s3:GetObject",
                                 "Resource": "arn:aws:s3:::*"}
    statement.update(changes)
    return {k: v for k, v in statement.items() if v is not None}


def bucket_policy(text: str | bytes, bucket: str | None = BUCKET) -> Policy:
    return parse_policy(text, "bucket", bucket)


# --- documents that parse -------------------------------------------------------------------

def test_public_read_example() -> None:
    text = doc(public_read())
    policy = bucket_policy(text)
    assert policy.version == "2012-10-17" and policy.variables
    assert policy.raw == text
    (statement,) = policy.statements
    assert statement.sid == "PublicRead" and statement.effect == "Allow"
    assert statement.principal is not None and statement.principal.wildcard
    assert statement.action is not None and statement.action.values == ("s3:GetObject",)
    assert statement.resource is not None and statement.resource.values == (f"arn:aws:s3:::{BUCKET}/*",)
    assert statement.not_action is None and statement.not_resource is None
    assert statement.conditions == ()


def test_raw_is_the_document_byte_for_byte() -> None:
    text = ('{"Version": "2012-10-17",\n  "Statement": {"Effect":"Allow", "Principal": {"AWS": "*"},'
            f' "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::{BUCKET}/*"}}  }}\n')
    assert bucket_policy(text.encode()).raw == text
    assert bucket_policy(text).raw == text


def test_statement_may_be_one_object_and_version_defaults_to_2008() -> None:
    text = json.dumps({"Statement": public_read()})
    policy = bucket_policy(text)
    assert policy.version == "2008-10-17" and not policy.variables
    assert len(policy.statements) == 1


def test_id_and_2008_version() -> None:
    policy = bucket_policy(doc(public_read(), version="2008-10-17", Id="PolicyId1"))
    assert policy.id == "PolicyId1" and policy.version == "2008-10-17"


@pytest.mark.parametrize("principal", [
    "*", {"AWS": "*"}, {"AWS": ["*"]}, {"AWS": "123456789012"},
    {"AWS": "arn:aws:iam::123456789012:root"}, {"AWS": "arn:aws:iam::123456789012:user/alice"},
    {"AWS": "arn:aws:iam::123456789012:role/path/reader"},
    {"AWS": "arn:aws:sts::123456789012:assumed-role/reader/session"},
    {"AWS": "arn:aws:iam:::user/alice"},  # MinIO's account-less user ARN
    {"AWS": "AIDAJQABLZS4A3QDU576Q"},
    {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
    {"Service": "logging.s3.amazonaws.com"},
    {"AWS": ["123456789012", "arn:aws:iam:::user/bob"], "Service": ["cloudfront.amazonaws.com"]},
])
def test_principal_forms(principal: Any) -> None:
    (statement,) = bucket_policy(doc(public_read(Principal=principal))).statements
    assert statement.principal is not None


def test_account_principal_means_the_whole_account() -> None:
    (statement,) = bucket_policy(doc(public_read(Principal={"AWS": "123456789012"}))).statements
    assert statement.principal is not None
    assert statement.principal.accounts == {"123456789012"}
    assert statement.principal.aws == {"arn:aws:iam::123456789012:root"}


def test_not_principal() -> None:
    statement = public_read(Effect="Deny", Principal=None, NotPrincipal={"AWS": "123456789012"})
    (parsed,) = bucket_policy(doc(statement)).statements
    assert parsed.principal is None and parsed.not_principal is not None


@pytest.mark.parametrize("action", [
    "s3:GetObject", "S3:getobject", "s3:*", "*", "s3:Get*", "s3:*Object", "s3:GetObjec?",
    ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"],
])
def test_actions(action: Any) -> None:
    bucket_policy(doc(public_read(Action=action)))


@pytest.mark.parametrize("action", [
    "admin:*", "admin:ServerInfo", "admin:CreateUser", "admin:Heal", "kms:*", "kms:CreateKey",
    "sts:AssumeRole", "sts:*", "s3:ListAllMyBuckets", "s3:CreateBucket", "s3:PutObjectFanOut",
])
def test_identity_actions(action: str) -> None:
    parse_policy(doc(allow(Action=action)), "identity")


def test_admin_statement_needs_no_resource() -> None:
    policy = parse_policy(doc({"Effect": "Allow", "Action": ["admin:*", "kms:*"]}), "identity")
    (statement,) = policy.statements
    assert statement.resource is None and statement.resource_free


@pytest.mark.parametrize("resource", [
    "*", "arn:aws:s3:::*", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/${aws:username}/*", "arn:minio:admin:::*",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/reader",
])
def test_identity_resources(resource: str) -> None:
    parse_policy(doc(allow(Resource=resource)), "identity")


@pytest.mark.parametrize("resource", [
    f"arn:aws:s3:::{BUCKET}/*", f"arn:aws:s3:::{BUCKET}/home/*/photos/?.jpg",
    f"arn:aws:s3:::{BUCKET}/${{aws:username}}/*", f"arn:aws:s3:::{BUCKET}/",
    [f"arn:aws:s3:::{BUCKET}/a/*", f"arn:aws:s3:::{BUCKET}/b/*"],
])
def test_bucket_resources(resource: Any) -> None:
    bucket_policy(doc(public_read(Resource=resource)))


def test_bucket_resources_of_any_bucket_when_none_is_named() -> None:
    bucket_policy(doc(public_read(Resource="arn:aws:s3:::other/*")), bucket=None)


def test_actions_apply_to_the_statements_resources() -> None:
    both = [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]
    bucket_policy(doc(public_read(Action=["s3:ListBucket", "s3:GetObject"], Resource=both)))
    bucket_policy(doc(public_read(Action="s3:ListBucket", Resource=f"arn:aws:s3:::{BUCKET}")))
    bucket_policy(doc(public_read(Action="s3:*", Resource=f"arn:aws:s3:::{BUCKET}")))
    bucket_policy(doc(public_read(Action="s3:Get*", Resource=f"arn:aws:s3:::{BUCKET}")))


def test_conditions() -> None:
    condition = {
        "StringLike": {"s3:prefix": ["home/", "home/*"], "AWS:Referer": "https://*.example.com/*"},
        "ForAllValues:StringEqualsIgnoreCaseIfExists": {"s3:RequestObjectTagKeys": ["a", "b"]},
        "NumericLessThanEquals": {"s3:max-keys": 10},
        "Bool": {"aws:SecureTransport": False},
        "IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32", "203.0.113.7"]},
        "DateGreaterThan": {"aws:CurrentTime": "2019-07-16T12:00:00Z", "aws:EpochTime": 1563278400},
        "Null": {"s3:x-amz-server-side-encryption": "true"},
        "ForAnyValue:ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/reader"},
        "BinaryEquals": {"s3:ExistingObjectTag/blob": "QmluYXJ5"},
    }
    (statement,) = bucket_policy(doc(public_read(Condition=condition))).statements
    by_key = {c.key: c for c in statement.conditions}
    assert by_key["aws:referer"] == Condition("StringLike", None, False, "aws:referer",
                                              ("https://*.example.com/*",))
    tags = by_key["s3:requestobjecttagkeys"]
    assert (tags.operator, tags.qualifier, tags.if_exists) == (
        "StringEqualsIgnoreCase", "ForAllValues", True)
    assert by_key["s3:max-keys"].values == ("10",)
    assert by_key["aws:securetransport"].values == ("false",)
    assert by_key["aws:epochtime"].values == ("1563278400",)
    assert by_key["aws:principalarn"].qualifier == "ForAnyValue"
    assert len(statement.conditions) == 11


def test_empty_condition_blocks() -> None:
    (statement,) = bucket_policy(doc(public_read(Condition={}))).statements
    assert statement.conditions == ()
    (statement,) = bucket_policy(doc(public_read(Condition={"StringEquals": {}}))).statements
    assert statement.conditions == ()


def test_empty_sids_may_repeat() -> None:
    bucket_policy(doc(public_read(Sid=""), public_read(Sid="")))
    bucket_policy(doc(public_read(Sid=None), public_read(Sid=None)))


@pytest.mark.parametrize("name", sorted(CANNED))
def test_canned_policies_parse(name: str) -> None:
    parse_policy(CANNED[name], "identity")


def test_session_policy() -> None:
    parse_policy(doc(allow(Resource="arn:aws:s3:::bucket/*")), "session")


# --- refusals --------------------------------------------------------------------------------

FIRST_BYTE = "Policies must be valid JSON and the first byte must be '{'"
INVALID_JSON = "This policy contains invalid Json"
INVALID_ACTION = "Policy has invalid action"
INVALID_RESOURCE = "Policy has invalid resource"
INVALID_PRINCIPAL = "Invalid principal in policy"
INVALID_KEY = "Policy has an invalid condition key"
MISMATCH = "Action does not apply to any resource(s) in statement"

REFUSED_BUCKET_POLICIES: list[tuple[str, str | bytes, str]] = [
    # JSON and the top level
    ("empty", "", FIRST_BYTE),
    ("whitespace first", " " + doc(public_read()), FIRST_BYTE),
    ("a list", "[]", FIRST_BYTE),
    ("not json", "{", INVALID_JSON),
    ("trailing data", doc(public_read()) + "x", INVALID_JSON),
    ("NaN", '{"Version": NaN}', INVALID_JSON),
    ("invalid utf-8", b'{"Statement": "\xff"}', INVALID_JSON),
    ("duplicate member", '{"Statement": [], "Statement": []}', "Duplicate field Statement"),
    ("no statement", '{"Version": "2012-10-17"}', "Missing required field Statement"),
    ("empty statement", doc(), "Could not parse the policy: Statement is empty!"),
    ("bad version", doc(public_read(), version="2012-10-18"),
     "The policy must contain a valid version string"),
    ("numeric version", '{"Version": 2012, "Statement": []}',
     "The policy must contain a valid version string"),
    ("unknown top field", doc(public_read(), Foo=1), "Unknown field Foo"),
    ("non-string id", doc(public_read(), Id=5), "Policy Id must be a string"),
    ("statement not an object", '{"Statement": ["x"]}', "Statement must be a JSON object"),
    ("duplicate sid", doc(public_read(), public_read()),
     "Statement IDs (SID) in a single policy must be unique."),
    # statement fields
    ("unknown statement field", doc(public_read(Actions="s3:GetObject")), "Unknown field Actions"),
    ("non-string sid", doc(public_read(Sid=7)), "Sid must be a string"),
    ("no effect", doc(public_read(Effect=None)), "Missing required field Effect"),
    ("lower-case effect", doc(public_read(Effect="allow")), "Invalid effect: allow"),
    ("no principal", doc(public_read(Principal=None)), "Missing required field Principal"),
    ("principal and not", doc(public_read(NotPrincipal="*")),
     "Statement cannot contain both Principal and NotPrincipal"),
    ("principal arn string", doc(public_read(Principal="arn:aws:iam::123456789012:root")),
     INVALID_PRINCIPAL),
    ("principal wildcard account", doc(public_read(Principal={"AWS": "arn:aws:iam::*:root"})),
     INVALID_PRINCIPAL),
    ("principal wildcard user", doc(public_read(
        Principal={"AWS": "arn:aws:iam::123456789012:user/*"})), INVALID_PRINCIPAL),
    ("federated principal", doc(public_read(Principal={"Federated": "cognito-identity.amazonaws.com"})),
     INVALID_PRINCIPAL),
    ("empty principal list", doc(public_read(Principal={"AWS": []})), INVALID_PRINCIPAL),
    ("empty principal object", doc(public_read(Principal={})), INVALID_PRINCIPAL),
    ("principal number", doc(public_read(Principal={"AWS": 123456789012})), INVALID_PRINCIPAL),
    ("bad account id", doc(public_read(Principal={"AWS": "12345"})), INVALID_PRINCIPAL),
    ("no action", doc(public_read(Action=None)), "Missing required field Action"),
    ("action and not", doc(public_read(NotAction="s3:PutObject")),
     "Statement cannot contain both Action and NotAction"),
    ("unknown action", doc(public_read(Action="s3:GetObjects")), INVALID_ACTION),
    ("wildcard matching nothing", doc(public_read(Action="s3:Foo*")), INVALID_ACTION),
    ("no vendor", doc(public_read(Action="GetObject")), INVALID_ACTION),
    ("unknown vendor", doc(public_read(Action="ec2:RunInstances")), INVALID_ACTION),
    ("admin action in a bucket policy", doc(public_read(Action="admin:ServerInfo")), INVALID_ACTION),
    ("empty action list", doc(public_read(Action=[])), INVALID_ACTION),
    ("numeric action", doc(public_read(Action=5)), INVALID_ACTION),
    ("no resource", doc(public_read(Resource=None)), "Missing required field Resource"),
    ("resource and not", doc(public_read(NotResource="arn:aws:s3:::x")),
     "Statement cannot contain both Resource and NotResource"),
    ("other bucket", doc(public_read(Resource="arn:aws:s3:::other/*")), INVALID_RESOURCE),
    ("bucket prefix", doc(public_read(Resource=f"arn:aws:s3:::{BUCKET}2/*")), INVALID_RESOURCE),
    ("bucket wildcard", doc(public_read(Resource=f"arn:aws:s3:::{BUCKET}*")), INVALID_RESOURCE),
    ("bucket wildcard inside", doc(public_read(Resource="arn:aws:s3:::amzn-*-bucket/*")),
     INVALID_RESOURCE),
    ("every bucket", doc(public_read(Resource="arn:aws:s3:::*")), INVALID_RESOURCE),
    ("star resource", doc(public_read(Resource="*")), INVALID_RESOURCE),
    ("not an arn", doc(public_read(Resource=f"{BUCKET}/*")), INVALID_RESOURCE),
    ("empty resource list", doc(public_read(Resource=[])), INVALID_RESOURCE),
    ("numeric resource", doc(public_read(Resource=[1])), INVALID_RESOURCE),
    ("list bucket on objects", doc(public_read(Action="s3:ListBucket")), MISMATCH),
    ("object action on the bucket", doc(public_read(Resource=f"arn:aws:s3:::{BUCKET}")), MISMATCH),
    ("one action of two on nothing", doc(public_read(Action=["s3:GetObject", "s3:ListBucket"])),
     MISMATCH),
    ("account action", doc(public_read(Action="s3:ListAllMyBuckets")), MISMATCH),
    # conditions
    ("condition not an object", doc(public_read(Condition=[])), "Condition must be a JSON object"),
    ("unknown operator", doc(public_read(Condition={"StringEqual": {"s3:prefix": "a"}})),
     "Invalid Condition type : StringEqual"),
    ("unknown qualifier", doc(public_read(Condition={"ForSomeValues:StringLike": {"s3:prefix": "a"}})),
     "Invalid Condition type : ForSomeValues:StringLike"),
    ("Null with IfExists", doc(public_read(Condition={"NullIfExists": {"s3:prefix": "true"}})),
     "Invalid Condition type : NullIfExists"),
    ("operator body a list", doc(public_read(Condition={"StringLike": ["s3:prefix"]})),
     "Invalid Condition type : StringLike"),
    ("unknown key", doc(public_read(Condition={"StringLike": {"s3:prefixes": "a"}})), INVALID_KEY),
    ("unknown global key", doc(public_read(Condition={"StringLike": {"aws:Foo": "a"}})), INVALID_KEY),
    ("tag key without a name", doc(public_read(
        Condition={"StringEquals": {"s3:ExistingObjectTag/": "a"}})), INVALID_KEY),
    ("no values", doc(public_read(Condition={"StringLike": {"s3:prefix": []}})),
     "Condition StringLike s3:prefix has no values"),
    ("null value", doc(public_read(Condition={"StringLike": {"s3:prefix": None}})),
     "Invalid value in condition StringLike s3:prefix"),
    ("object value", doc(public_read(Condition={"StringLike": {"s3:prefix": [{"a": 1}]}})),
     "Invalid value in condition StringLike s3:prefix"),
    ("not a number", doc(public_read(Condition={"NumericLessThan": {"s3:max-keys": "ten"}})),
     "Invalid value in condition NumericLessThan s3:max-keys"),
    ("python-only number", doc(public_read(Condition={"NumericEquals": {"s3:max-keys": "1_000"}})),
     "Invalid value in condition NumericEquals s3:max-keys"),
    ("not a date", doc(public_read(Condition={"DateLessThan": {"aws:CurrentTime": "yesterday"}})),
     "Invalid value in condition DateLessThan aws:CurrentTime"),
    ("not an address", doc(public_read(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.256/8"}})),
     "Invalid value in condition IpAddress aws:SourceIp"),
    ("not a boolean", doc(public_read(Condition={"Bool": {"aws:SecureTransport": "yes"}})),
     "Invalid value in condition Bool aws:SecureTransport"),
    ("Null not a boolean", doc(public_read(Condition={"Null": {"s3:prefix": "maybe"}})),
     "Invalid value in condition Null s3:prefix"),
    ("not base64", doc(public_read(Condition={"BinaryEquals": {"s3:ExistingObjectTag/b": "%%%"}})),
     "Invalid value in condition BinaryEquals s3:ExistingObjectTag/b"),
]


@pytest.mark.parametrize(("text", "message"), [(t, m) for _, t, m in REFUSED_BUCKET_POLICIES],
                         ids=[name for name, _, _ in REFUSED_BUCKET_POLICIES])
def test_refused_bucket_policies(text: str | bytes, message: str) -> None:
    with pytest.raises(MalformedPolicy) as caught:
        bucket_policy(text)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


REFUSED_IDENTITY_POLICIES: list[tuple[str, str, str]] = [
    ("principal", doc(allow(Principal="*")), "Policy document should not specify a principal."),
    ("not principal", doc(allow(NotPrincipal="*")), "Policy document should not specify a principal."),
    ("s3 action without resource", doc(allow(Resource=None)), "Missing required field Resource"),
    ("mixed actions without resource", doc(allow(Action=["admin:*", "s3:GetObject"], Resource=None)),
     "Missing required field Resource"),
    ("not an arn", doc(allow(Resource="bucket/*")), INVALID_RESOURCE),
    ("bucket arn without a bucket", doc(allow(Resource="arn:aws:s3:::")), INVALID_RESOURCE),
    ("unknown admin action", doc(allow(Action="admin:ServerInfos")), INVALID_ACTION),
    ("forced unlock is not supported", doc(allow(Action="admin:ForceUnlock")), INVALID_ACTION),
]


@pytest.mark.parametrize(("text", "message"), [(t, m) for _, t, m in REFUSED_IDENTITY_POLICIES],
                         ids=[name for name, _, _ in REFUSED_IDENTITY_POLICIES])
@pytest.mark.parametrize("kind", ["identity", "session"])
def test_refused_identity_policies(text: str, message: str, kind: Any) -> None:
    with pytest.raises(MalformedPolicy) as caught:
        parse_policy(text, kind)
    assert str(caught.value) == message


def test_size_limit() -> None:
    statement = public_read(Sid="x" * 20 * 1024)
    with pytest.raises(MalformedPolicy, match="maximum allowed document size"):
        bucket_policy(doc(statement))
    with pytest.raises(MalformedPolicy, match="maximum allowed document size"):
        bucket_policy(doc(statement).encode())
    parse_policy(doc(statement), "bucket", BUCKET, max_bytes=64 * 1024)


@pytest.mark.parametrize("text", [
    "{" + '"a":[' * 100_000,
    "{" + '"a":{' * 100_000,
    '{"Statement":' + "[" * 100_000 + "]" * 100_000 + "}",
])
def test_deep_nesting_is_refused_before_parsing(text: str) -> None:
    with pytest.raises(MalformedPolicy) as caught:
        parse_policy(text, "identity", max_bytes=10**7)
    assert str(caught.value) == "Policy document is nested too deeply"


def test_brackets_inside_strings_do_not_count() -> None:
    text = doc(allow(Sid="[" * 5000 + '\\"{' * 100))
    parse_policy(text, "identity")
