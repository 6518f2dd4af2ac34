"""Tests for cairn.server.iam.evaluate: a table of (policy, request, decision) cases.

Where the expected answers come from: AWS's IAM User Guide -- "Policy evaluation logic"
(an explicit Deny wins; no applicable statement is no decision), "IAM JSON policy elements"
(NotAction, NotResource, NotPrincipal, Principal forms, Resource wildcards), "Condition
operators" (a missing key fails a positive operator and passes a negated one; ...IfExists;
Null), "Single-valued vs. multivalued context keys" (ForAllValues on an empty or missing set is
true, ForAnyValue false), "Policy variables" (substituted under Version 2012-10-17 only; the
${*} ${?} ${$} escapes; defaults); the S3 User Guide's bucket policy examples (s3:prefix with
ListBucket, s3:ExistingObjectTag, aws:SecureTransport, aws:SourceIp with IPv4 and IPv6) and
"Blocking public access" ("The meaning of public") for is_public; MinIO's canned policies for
what readwrite/readonly/writeonly/diagnostics/consoleAdmin allow.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from cairn.server.iam.actions import (
    ADDITIONAL_ACTIONS,
    BUCKET_ACTIONS,
    KNOWN_ACTIONS,
    NO_IAM_ACTION,
    OBJECT_ACTIONS,
    OPERATION_ACTIONS,
    S3_ACTIONS,
    VERSION_ACTIONS,
    action_for,
    actions_for,
)
from cairn.server.iam.canned import CANNED
from cairn.server.iam.evaluate import ANONYMOUS, AccessRequest, Caller, evaluate, is_public
from cairn.server.iam.policy import parse_policy
from cairn.server.routes import OPERATIONS

ACCOUNT = "123456789012"
B = "arn:aws:s3:::bucket"
ALICE = Caller(False, frozenset({f"arn:aws:iam::{ACCOUNT}:user/alice", "arn:aws:iam:::user/alice"}),
               "a" * 64, "alice", "AIDAALICE0000000000", "User")
BOB = Caller(False, frozenset({f"arn:aws:iam::{ACCOUNT}:user/bob", "arn:aws:iam:::user/bob"}),
             "b" * 64, "bob", "AIDABOB00000000000000", "User")
ROOT = Caller(False, frozenset({f"arn:aws:iam::{ACCOUNT}:root"}), "c" * 64, "", ACCOUNT, "Account")
CAROL = Caller(False, frozenset({"arn:aws:iam::210987654321:user/carol"}), "d" * 64, "carol",
               "AIDACAROL0000000000", "User")
STAR_USER = Caller(False, frozenset({"arn:aws:iam:::user/*"}), "", "*", "*", "User")
SERVICE = Caller(False, frozenset({"logging.s3.amazonaws.com"}), "", "", "", "Service")


@dataclass
class Case:
    name: str
    statements: list[dict[str, Any]]
    action: str
    resource: str
    expected: str | None
    caller: Caller = ALICE
    context: Mapping[str, Sequence[str]] = field(default_factory=dict)
    kind: str = "identity"
    version: str | None = "2012-10-17"


def allow(action: Any = "s3:*", resource: Any = "*", **more: Any) -> dict[str, Any]:
    """An Allow statement; None drops a field (action=None with NotAction=...)."""
    statement = {"Effect": "Allow", "Action": action, "Resource": resource, **more}
    return {k: v for k, v in statement.items() if v is not None}


def deny(action: Any = "s3:*", resource: Any = "*", **more: Any) -> dict[str, Any]:
    return {**allow(action, resource, **more), "Effect": "Deny"}


def when(operator: str, key: str, values: Any, statement: dict[str, Any] | None = None) -> dict[str, Any]:
    base = allow() if statement is None else statement
    return {**base, "Condition": {operator: {key: values}}}


def bucket_allow(principal: Any, action: Any = "s3:GetObject", resource: Any = f"{B}/*",
                 **more: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": resource, **more}


def decide(case: Case) -> str | None:
    body: dict[str, Any] = {"Statement": case.statements}
    if case.version is not None:
        body = {"Version": case.version, **body}
    policy = parse_policy(json.dumps(body), case.kind, "bucket" if case.kind == "bucket" else None)  # type: ignore[arg-type]
    return evaluate(policy, AccessRequest(case.action, case.resource, case.caller, case.context))


GET = "s3:GetObject"
OBJ = f"{B}/photos/cat.jpg"

CASES = [
    # evaluation logic
    Case("no statement applies", [allow("s3:PutObject")], GET, OBJ, None),
    Case("allow", [allow()], GET, OBJ, "Allow"),
    Case("explicit deny wins", [allow(), deny(GET)], GET, OBJ, "Deny"),
    Case("explicit deny wins, deny first", [deny(GET), allow()], GET, OBJ, "Deny"),
    Case("deny elsewhere", [allow(), deny(GET, f"{B}/private/*")], GET, OBJ, "Allow"),
    # actions
    Case("action names are case-insensitive", [allow("S3:getOBJECT")], GET, OBJ, "Allow"),
    Case("action wildcard", [allow("s3:Get*")], "s3:GetObjectTagging", OBJ, "Allow"),
    Case("action wildcard in the middle", [allow("s3:*Object")], "s3:PutObject", OBJ, "Allow"),
    Case("action wildcard is anchored", [allow("s3:*Object")], "s3:PutObjectAcl", OBJ, None),
    Case("action ?", [allow("s3:GetObjec?")], GET, OBJ, "Allow"),
    Case("star is every action", [allow("*")], "s3:DeleteBucket", B, "Allow"),
    Case("NotAction allows the others", [allow(NotAction="s3:DeleteObject", action=None)], GET, OBJ,
         "Allow"),
    Case("NotAction excludes", [allow(NotAction="s3:DeleteObject", action=None)],
         "s3:DeleteObject", OBJ, None),
    Case("Deny NotAction", [allow(), deny(NotAction=["s3:Get*", "s3:List*"], action=None)],
         "s3:PutObject", OBJ, "Deny"),
    Case("Deny NotAction spares", [allow(), deny(NotAction=["s3:Get*", "s3:List*"], action=None)],
         GET, OBJ, "Allow"),
    # resources
    Case("resource wildcard crosses /", [allow(GET, f"{B}/*")], GET, f"{B}/a/b/c", "Allow"),
    Case("resource wildcard needs the /", [allow(GET, f"{B}/*")], GET, B, None),
    Case("resource ? is one character", [allow(GET, f"{B}/?.jpg")], GET, f"{B}/ab.jpg", None),
    Case("resource ? matches one", [allow(GET, f"{B}/?.jpg")], GET, f"{B}/a.jpg", "Allow"),
    Case("resources are case-sensitive", [allow(GET, f"{B}/Photos/*")], GET, OBJ, None),
    Case("other bucket", [allow(GET, "arn:aws:s3:::other/*")], GET, OBJ, None),
    Case("NotResource", [allow(GET, NotResource=f"{B}/private/*", resource=None)], GET, OBJ, "Allow"),
    Case("NotResource excludes", [allow(GET, NotResource=f"{B}/private/*", resource=None)],
         GET, f"{B}/private/x", None),
    Case("Deny NotResource", [allow(), deny(NotResource=[f"{B}/public/*"], resource=None)],
         GET, OBJ, "Deny"),
    Case("ListAllMyBuckets on *", [allow("s3:ListAllMyBuckets", "arn:aws:s3:::*")],
         "s3:ListAllMyBuckets", "*", "Allow"),
    Case("ListAllMyBuckets not by a bucket prefix", [allow("s3:ListAllMyBuckets", "arn:aws:s3:::b*")],
         "s3:ListAllMyBuckets", "*", None),
    # policy variables
    Case("variable in resource", [allow(GET, f"{B}/home/${{aws:username}}/*")], GET,
         f"{B}/home/alice/x", "Allow"),
    Case("variable in resource, other user", [allow(GET, f"{B}/home/${{aws:username}}/*")], GET,
         f"{B}/home/bob/x", None),
    Case("variable missing matches nothing", [allow(GET, f"{B}/home/${{aws:username}}/*")], GET,
         f"{B}/home//x", None, caller=ANONYMOUS),
    Case("variable with a default", [allow(GET, f"{B}/home/${{aws:username, 'guest'}}/*")], GET,
         f"{B}/home/guest/x", "Allow", caller=ANONYMOUS),
    Case("variable value is literal", [allow(GET, f"{B}/home/${{aws:username}}/x")], GET,
         f"{B}/home/bob/x", None, caller=STAR_USER),
    Case("variable from the context", [allow(GET, f"{B}/${{s3:prefix}}")], GET, f"{B}/p/",
         "Allow", context={"s3:prefix": ["p/"]}),
    Case("multivalued variable is missing", [allow(GET, f"{B}/${{s3:prefix}}")], GET, f"{B}/p/",
         None, context={"s3:prefix": ["p/", "q/"]}),
    Case("escape ${*} is a literal *", [allow(GET, f"{B}/${{*}}")], GET, f"{B}/*", "Allow"),
    Case("escape ${*} is not a wildcard", [allow(GET, f"{B}/${{*}}")], GET, f"{B}/x", None),
    Case("escapes ${?} ${$}", [allow(GET, f"{B}/${{?}}${{$}}")], GET, f"{B}/?$", "Allow"),
    Case("2008 does not substitute", [allow(GET, f"{B}/home/${{aws:username}}/*")], GET,
         f"{B}/home/alice/x", None, version="2008-10-17"),
    Case("2008 matches the text", [allow(GET, f"{B}/home/${{aws:username}}/*")], GET,
         f"{B}/home/${{aws:username}}/x", "Allow", version="2008-10-17"),
    Case("no version is 2008", [allow(GET, f"{B}/home/${{aws:username}}/*")], GET,
         f"{B}/home/alice/x", None, version=None),
    Case("variable in a condition", [when("StringLike", "s3:prefix", "home/${aws:username}/*")],
         "s3:ListBucket", B, "Allow", context={"s3:prefix": ["home/alice/docs"]}),
    Case("variable in a condition, other user",
         [when("StringLike", "s3:prefix", "home/${aws:username}/*")],
         "s3:ListBucket", B, None, context={"s3:prefix": ["home/bob/docs"]}),
    Case("variable in StringEquals", [when("StringEquals", "aws:userid", "${aws:username}")],
         GET, OBJ, "Allow", caller=Caller(False, frozenset(), "", "x", "x")),
    Case("variable in StringEqualsIgnoreCase",
         [when("StringEqualsIgnoreCase", "s3:prefix", "${aws:username}")],
         GET, OBJ, "Allow", context={"s3:prefix": ["ALICE"]}),
    Case("2008 condition value is literal", [when("StringEquals", "s3:prefix", "${aws:username}")],
         GET, OBJ, "Allow", context={"s3:prefix": ["${aws:username}"]}, version="2008-10-17"),
    # string conditions
    Case("StringEquals", [when("StringEquals", "s3:prefix", ["a", "b"])], GET, OBJ, "Allow",
         context={"s3:prefix": ["b"]}),
    Case("StringEquals has no wildcards", [when("StringEquals", "s3:prefix", "a*")], GET, OBJ,
         None, context={"s3:prefix": ["ab"]}),
    Case("StringEquals is case-sensitive", [when("StringEquals", "s3:prefix", "a")], GET, OBJ, None,
         context={"s3:prefix": ["A"]}),
    Case("StringEqualsIgnoreCase", [when("StringEqualsIgnoreCase", "s3:prefix", "a")], GET, OBJ,
         "Allow", context={"s3:prefix": ["A"]}),
    Case("StringLike", [when("StringLike", "aws:Referer", "https://*.example.com/*")], GET, OBJ,
         "Allow", context={"aws:referer": ["https://www.example.com/page"]}),
    Case("StringLike ?", [when("StringLike", "s3:prefix", "a?c")], GET, OBJ, None,
         context={"s3:prefix": ["abbc"]}),
    Case("StringNotLike", [when("StringNotLike", "s3:prefix", "private/*")], GET, OBJ, "Allow",
         context={"s3:prefix": ["public/x"]}),
    Case("StringNotLike refuses", [when("StringNotLike", "s3:prefix", "private/*")], GET, OBJ, None,
         context={"s3:prefix": ["private/x"]}),
    Case("condition key names are case-insensitive", [when("StringEquals", "S3:PREFIX", "a")],
         GET, OBJ, "Allow", context={"s3:prefix": ["a"]}),
    Case("AND across keys", [{**allow(), "Condition": {"StringEquals": {"s3:prefix": "a",
                                                                        "s3:delimiter": "/"}}}],
         GET, OBJ, None, context={"s3:prefix": ["a"], "s3:delimiter": ["-"]}),
    Case("AND across operators", [{**allow(), "Condition": {"StringEquals": {"s3:prefix": "a"},
                                                             "Bool": {"aws:SecureTransport": True}}}],
         GET, OBJ, "Allow", context={"s3:prefix": ["a"], "aws:securetransport": ["true"]}),
    Case("caller keys without context", [when("StringEquals", "aws:username", "alice")], GET, OBJ,
         "Allow"),
    Case("PrincipalType from the caller", [when("StringEquals", "aws:PrincipalType", "Anonymous")],
         GET, OBJ, "Allow", caller=ANONYMOUS),
    # missing keys, IfExists, Null
    Case("missing key fails a positive operator", [when("StringEquals", "s3:prefix", "a")], GET,
         OBJ, None),
    Case("missing key passes a negated operator", [when("StringNotEquals", "s3:prefix", "a")],
         GET, OBJ, "Allow"),
    Case("missing key passes NotIpAddress", [when("NotIpAddress", "aws:SourceIp", "10.0.0.0/8")],
         GET, OBJ, "Allow"),
    Case("missing key passes NumericNotEquals", [
        when("NumericNotEquals", "s3:max-keys", "10")], GET, OBJ, "Allow"),
    Case("IfExists passes a missing key", [when("StringEqualsIfExists", "s3:prefix", "a")], GET,
         OBJ, "Allow"),
    Case("IfExists tests a present key", [when("StringEqualsIfExists", "s3:prefix", "a")], GET, OBJ,
         None, context={"s3:prefix": ["b"]}),
    Case("empty values are missing", [when("StringEqualsIfExists", "s3:prefix", "a")], GET, OBJ,
         "Allow", context={"s3:prefix": []}),
    Case("Null true: key missing", [when("Null", "s3:x-amz-server-side-encryption", "true")],
         GET, OBJ, "Allow"),
    Case("Null true: key present", [when("Null", "s3:x-amz-server-side-encryption", "true")],
         GET, OBJ, None, context={"s3:x-amz-server-side-encryption": ["AES256"]}),
    Case("Null false: key present", [when("Null", "s3:x-amz-server-side-encryption", False)],
         GET, OBJ, "Allow", context={"s3:x-amz-server-side-encryption": ["AES256"]}),
    Case("Deny unencrypted uploads", [allow(), when("Null", "s3:x-amz-server-side-encryption", "true",
                                                    deny("s3:PutObject"))],
         "s3:PutObject", OBJ, "Deny"),
    # set operators
    Case("ForAllValues: empty set is true", [when("ForAllValues:StringEquals",
                                                  "s3:RequestObjectTagKeys", ["a", "b"])],
         GET, OBJ, "Allow", context={"s3:requestobjecttagkeys": []}),
    Case("ForAllValues: missing is true", [when("ForAllValues:StringEquals",
                                                "s3:RequestObjectTagKeys", ["a", "b"])], GET, OBJ,
         "Allow"),
    Case("ForAllValues: subset", [when("ForAllValues:StringEquals", "s3:RequestObjectTagKeys",
                                       ["a", "b"])], GET, OBJ, "Allow",
         context={"s3:requestobjecttagkeys": ["a", "b"]}),
    Case("ForAllValues: one outside", [when("ForAllValues:StringEquals", "s3:RequestObjectTagKeys",
                                            ["a", "b"])], GET, OBJ, None,
         context={"s3:requestobjecttagkeys": ["a", "c"]}),
    Case("ForAnyValue: empty set is false", [when("ForAnyValue:StringEquals",
                                                  "s3:RequestObjectTagKeys", "a")], GET, OBJ, None,
         context={"s3:requestobjecttagkeys": []}),
    Case("ForAnyValue: missing is false", [when("ForAnyValue:StringEquals",
                                                "s3:RequestObjectTagKeys", "a")], GET, OBJ, None),
    Case("ForAnyValue: one match", [when("ForAnyValue:StringEquals", "s3:RequestObjectTagKeys",
                                         "a")], GET, OBJ, "Allow",
         context={"s3:requestobjecttagkeys": ["c", "a"]}),
    Case("ForAnyValue:StringNotEquals: one differs", [
        when("ForAnyValue:StringNotEquals", "s3:RequestObjectTagKeys", "a")], GET, OBJ, "Allow",
         context={"s3:requestobjecttagkeys": ["a", "b"]}),
    Case("ForAllValues:StringNotEquals: one equal", [
        when("ForAllValues:StringNotEquals", "s3:RequestObjectTagKeys", "a")], GET, OBJ, None,
         context={"s3:requestobjecttagkeys": ["a", "b"]}),
    Case("no qualifier: any value", [when("StringEquals", "s3:RequestObjectTagKeys", "b")], GET,
         OBJ, "Allow", context={"s3:requestobjecttagkeys": ["a", "b"]}),
    Case("no qualifier negated: none may match", [when("StringNotEquals", "s3:RequestObjectTagKeys",
                                                       "b")], GET, OBJ, None,
         context={"s3:requestobjecttagkeys": ["a", "b"]}),
    Case("a string context value is one value", [when("StringEquals", "s3:prefix", "ab")], GET,
         OBJ, "Allow", context={"s3:prefix": "ab"}),
    # addresses
    Case("IpAddress v4", [when("IpAddress", "aws:SourceIp", "192.0.2.0/24")], GET, OBJ, "Allow",
         context={"aws:sourceip": ["192.0.2.77"]}),
    Case("IpAddress v4 outside", [when("IpAddress", "aws:SourceIp", "192.0.2.0/24")], GET, OBJ,
         None, context={"aws:sourceip": ["192.0.3.1"]}),
    Case("IpAddress v6", [when("IpAddress", "aws:SourceIp", "2001:db8::/32")], GET, OBJ, "Allow",
         context={"aws:sourceip": ["2001:db8:1::5"]}),
    Case("IpAddress v6 against v4", [when("IpAddress", "aws:SourceIp", "2001:db8::/32")], GET, OBJ,
         None, context={"aws:sourceip": ["192.0.2.1"]}),
    Case("IpAddress single address", [when("IpAddress", "aws:SourceIp", "203.0.113.7")], GET, OBJ,
         "Allow", context={"aws:sourceip": ["203.0.113.7"]}),
    Case("IpAddress list", [when("IpAddress", "aws:SourceIp", ["192.0.2.0/24", "2001:db8::/32"])],
         GET, OBJ, "Allow", context={"aws:sourceip": ["2001:db8::1"]}),
    Case("NotIpAddress", [when("NotIpAddress", "aws:SourceIp", "192.0.2.0/24")], GET, OBJ, None,
         context={"aws:sourceip": ["192.0.2.1"]}),
    Case("IpAddress with a bad request value", [when("IpAddress", "aws:SourceIp", "0.0.0.0/0")],
         GET, OBJ, None, context={"aws:sourceip": ["not-an-ip"]}),
    # dates and numbers
    Case("DateLessThan CurrentTime", [when("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")],
         GET, OBJ, "Allow", context={"aws:currenttime": ["2029-12-31T23:59:59Z"]}),
    Case("DateLessThan CurrentTime after", [when("DateLessThan", "aws:CurrentTime", "2030-01-01")],
         GET, OBJ, None, context={"aws:currenttime": ["2030-01-01T00:00:01Z"]}),
    Case("DateGreaterThanEquals EpochTime", [when("DateGreaterThanEquals", "aws:EpochTime",
                                                  1893456000)],
         GET, OBJ, "Allow", context={"aws:epochtime": ["1893456000"]}),
    Case("Date mixes ISO and epoch", [when("DateEquals", "aws:CurrentTime", "1893456000")],
         GET, OBJ, "Allow", context={"aws:currenttime": ["2030-01-01T00:00:00+00:00"]}),
    Case("DateNotEquals", [when("DateNotEquals", "aws:CurrentTime", "2030-01-01T00:00:00Z")],
         GET, OBJ, "Allow", context={"aws:currenttime": ["2030-01-01T00:00:01Z"]}),
    Case("NumericLessThanEquals", [when("NumericLessThanEquals", "s3:max-keys", 100)],
         "s3:ListBucket", B, "Allow", context={"s3:max-keys": ["100"]}),
    Case("NumericLessThanEquals above", [when("NumericLessThanEquals", "s3:max-keys", 100)],
         "s3:ListBucket", B, None, context={"s3:max-keys": ["101"]}),
    Case("NumericGreaterThan decimal", [when("NumericGreaterThan", "s3:object-lock-remaining-retention-days",
                                             "1.5")],
         GET, OBJ, "Allow", context={"s3:object-lock-remaining-retention-days": ["2"]}),
    Case("Numeric with a non-number", [when("NumericEquals", "s3:max-keys", 1)], GET, OBJ, None,
         context={"s3:max-keys": ["one"]}),
    # Bool, ARN, binary
    Case("Deny without TLS", [allow(), when("Bool", "aws:SecureTransport", "false", deny())],
         GET, OBJ, "Deny", context={"aws:securetransport": ["false"]}),
    Case("TLS passes", [allow(), when("Bool", "aws:SecureTransport", False, deny())],
         GET, OBJ, "Allow", context={"aws:securetransport": ["true"]}),
    Case("Bool is case-insensitive", [when("Bool", "aws:SecureTransport", "True")],
         GET, OBJ, "Allow", context={"aws:securetransport": ["true"]}),
    Case("ArnLike field wildcard", [when("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/*")],
         GET, OBJ, "Allow", context={"aws:principalarn": [f"arn:aws:iam::{ACCOUNT}:user/a/b"]}),
    Case("ArnLike wildcard stays in its field", [when("ArnLike", "aws:SourceArn",
                                                      "arn:aws:iam::*:user/alice")],
         GET, OBJ, None, context={"aws:sourcearn": ["arn:aws:iam::1:2:user/alice"]}),
    Case("ArnLike short pattern: plain wildcards", [when("ArnLike", "aws:SourceArn", "arn:aws:*")],
         GET, OBJ, "Allow", context={"aws:sourcearn": ["arn:aws:iam::1:user"]}),
    Case("ArnEquals", [when("ArnEquals", "aws:SourceArn", "arn:aws:s3:::bucket")],
         GET, OBJ, "Allow", context={"aws:sourcearn": ["arn:aws:s3:::bucket"]}),
    Case("ArnNotLike", [when("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::*")],
         GET, OBJ, None, context={"aws:sourcearn": ["arn:aws:s3:::bucket"]}),
    Case("BinaryEquals", [when("BinaryEquals", "s3:ExistingObjectTag/blob", "QmluYXJ5")],
         GET, OBJ, "Allow", context={"s3:existingobjecttag/blob": ["QmluYXJ5"]}),
    # S3 keys
    Case("s3:prefix on ListBucket", [when("StringLike", "s3:prefix", ["", "home/", "home/alice/*"],
                                          allow("s3:ListBucket", B))],
         "s3:ListBucket", B, "Allow", context={"s3:prefix": ["home/alice/photos/"]}),
    Case("s3:prefix outside", [when("StringLike", "s3:prefix", ["", "home/", "home/alice/*"],
                                    allow("s3:ListBucket", B))],
         "s3:ListBucket", B, None, context={"s3:prefix": ["home/bob/"]}),
    Case("ExistingObjectTag", [when("StringEquals", "s3:ExistingObjectTag/classification", "public",
                                    allow(GET, f"{B}/*"))],
         GET, OBJ, "Allow", context={"s3:existingobjecttag/classification": ["public"]}),
    Case("ExistingObjectTag other value", [when("StringEquals", "s3:ExistingObjectTag/classification",
                                                "public", allow(GET, f"{B}/*"))],
         GET, OBJ, None, context={"s3:existingobjecttag/classification": ["secret"]}),
]

PRINCIPAL_CASES = [
    Case("* matches anonymous", [bucket_allow("*")], GET, OBJ, "Allow", ANONYMOUS, kind="bucket"),
    Case("AWS * matches anonymous", [bucket_allow({"AWS": "*"})], GET, OBJ, "Allow", ANONYMOUS,
         kind="bucket"),
    Case("* matches a user", [bucket_allow("*")], GET, OBJ, "Allow", BOB, kind="bucket"),
    Case("user ARN", [bucket_allow({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"})], GET, OBJ,
         "Allow", ALICE, kind="bucket"),
    Case("user ARN, other user", [bucket_allow({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"})],
         GET, OBJ, None, BOB, kind="bucket"),
    Case("user ARN, anonymous", [bucket_allow({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"})],
         GET, OBJ, None, ANONYMOUS, kind="bucket"),
    Case("MinIO account-less ARN", [bucket_allow({"AWS": "arn:aws:iam:::user/alice"})], GET, OBJ,
         "Allow", ALICE, kind="bucket"),
    Case("account id covers its users", [bucket_allow({"AWS": ACCOUNT})], GET, OBJ, "Allow", BOB,
         kind="bucket"),
    Case("account root covers its users", [bucket_allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})],
         GET, OBJ, "Allow", ALICE, kind="bucket"),
    Case("account id covers its root", [bucket_allow({"AWS": ACCOUNT})], GET, OBJ, "Allow", ROOT,
         kind="bucket"),
    Case("other account", [bucket_allow({"AWS": ACCOUNT})], GET, OBJ, None, CAROL, kind="bucket"),
    Case("unique id", [bucket_allow({"AWS": "AIDAALICE0000000000"})], GET, OBJ, "Allow", ALICE,
         kind="bucket"),
    Case("CanonicalUser", [bucket_allow({"CanonicalUser": "b" * 64})], GET, OBJ, "Allow", BOB,
         kind="bucket"),
    Case("CanonicalUser, other", [bucket_allow({"CanonicalUser": "b" * 64})], GET, OBJ, None, ALICE,
         kind="bucket"),
    Case("Service", [bucket_allow({"Service": "logging.s3.amazonaws.com"})], GET, OBJ, "Allow",
         SERVICE, kind="bucket"),
    Case("NotPrincipal deny spares the named", [
        bucket_allow("*"), {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam:::user/alice"},
                            "Action": "s3:*", "Resource": f"{B}/*"}], GET, OBJ, "Allow", ALICE,
         kind="bucket"),
    Case("NotPrincipal deny hits the others", [
        bucket_allow("*"), {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam:::user/alice"},
                            "Action": "s3:*", "Resource": f"{B}/*"}], GET, OBJ, "Deny", BOB,
         kind="bucket"),
    Case("NotPrincipal deny hits anonymous", [
        bucket_allow("*"), {"Effect": "Deny", "NotPrincipal": {"AWS": ACCOUNT},
                            "Action": "s3:*", "Resource": f"{B}/*"}], GET, OBJ, "Deny", ANONYMOUS,
         kind="bucket"),
]


@pytest.mark.parametrize("case", CASES + PRINCIPAL_CASES, ids=lambda c: c.name)
def test_evaluate(case: Case) -> None:
    assert decide(case) == case.expected


# --- MinIO's canned policies ------------------------------------------------------------------

CANNED_CASES = [
    ("readwrite", "s3:GetObject", OBJ, "Allow"),
    ("readwrite", "s3:DeleteBucket", B, "Allow"),
    ("readwrite", "s3:ListAllMyBuckets", "*", "Allow"),
    ("readwrite", "s3:ListAllMyBuckets", "arn:aws:s3:::", "Allow"),
    ("readwrite", "admin:ServerInfo", "arn:aws:s3:::", None),
    ("readonly", "s3:GetObject", OBJ, "Allow"),
    ("readonly", "s3:GetBucketLocation", B, "Allow"),
    ("readonly", "s3:ListBucket", B, None),
    ("readonly", "s3:PutObject", OBJ, None),
    ("readonly", "s3:GetObjectVersion", OBJ, None),
    ("writeonly", "s3:PutObject", OBJ, "Allow"),
    ("writeonly", "s3:GetObject", OBJ, None),
    ("diagnostics", "admin:ServerTrace", "arn:aws:s3:::", "Allow"),
    ("diagnostics", "admin:Prometheus", "arn:aws:s3:::", "Allow"),
    ("diagnostics", "admin:CreateUser", "arn:aws:s3:::", None),
    ("diagnostics", "s3:GetObject", OBJ, None),
    ("consoleAdmin", "admin:CreateUser", "arn:aws:s3:::", "Allow"),
    ("consoleAdmin", "kms:CreateKey", "arn:aws:s3:::", "Allow"),
    ("consoleAdmin", "s3:PutBucketPolicy", B, "Allow"),
]


@pytest.mark.parametrize(("name", "action", "resource", "expected"), CANNED_CASES)
def test_canned_policies(name: str, action: str, resource: str, expected: str | None) -> None:
    policy = parse_policy(CANNED[name], "identity")
    assert evaluate(policy, AccessRequest(action, resource, ALICE)) == expected


def test_canned_policies_are_minios() -> None:
    # `mc admin policy info` against a MinIO server (action order aside: Go sets).
    assert CANNED["readwrite"] == ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                                   '"Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}')
    assert json.loads(CANNED["consoleAdmin"])["Statement"] == [
        {"Effect": "Allow", "Action": ["admin:*"]}, {"Effect": "Allow", "Action": ["kms:*"]},
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]}]
    diagnostics = json.loads(CANNED["diagnostics"])["Statement"][0]
    assert sorted(diagnostics["Action"]) == sorted(
        f"admin:{a}" for a in ("OBDInfo", "BandwidthMonitor", "Prometheus", "Profiling",
                               "ServerTrace", "ConsoleLog", "ServerInfo", "TopLocksInfo"))
    assert sorted(CANNED) == ["consoleAdmin", "diagnostics", "readonly", "readwrite", "writeonly"]


# --- IsPublic --------------------------------------------------------------------------------

def public(statements: list[dict[str, Any]]) -> bool:
    return is_public(parse_policy(json.dumps({"Version": "2012-10-17", "Statement": statements}),
                                  "bucket", "bucket"))


def narrowed(operator: str, key: str, values: Any, principal: Any = "*") -> list[dict[str, Any]]:
    return [bucket_allow(principal, Condition={operator: {key: values}})]


@pytest.mark.parametrize(("statements", "expected"), [
    ([bucket_allow("*")], True),
    ([bucket_allow({"AWS": "*"})], True),
    ([bucket_allow({"AWS": ["arn:aws:iam:::user/alice", "*"]})], True),
    ([bucket_allow({"AWS": ACCOUNT})], False),
    ([bucket_allow({"CanonicalUser": "a" * 64})], False),
    ([{**bucket_allow("*"), "Effect": "Deny"}], False),
    ([{"Effect": "Allow", "NotPrincipal": {"AWS": ACCOUNT}, "Action": "s3:GetObject",
       "Resource": f"{B}/*"}], True),
    ([bucket_allow({"AWS": ACCOUNT}), bucket_allow("*", "s3:ListBucket", B)], True),
    # The user guide's examples: a wildcard VPC is public, a fixed one is not.
    (narrowed("StringLike", "aws:SourceVpc", "vpc-*"), True),
    (narrowed("StringEquals", "aws:SourceVpc", "vpc-91237329"), False),
    (narrowed("IpAddress", "aws:SourceIp", ["192.0.2.0/24", "2001:db8::/32"]), False),
    (narrowed("IpAddress", "aws:SourceIp", "0.0.0.0/0"), True),
    (narrowed("NotIpAddress", "aws:SourceIp", "192.0.2.0/24"), True),
    (narrowed("StringEquals", "aws:SourceAccount", ACCOUNT), False),
    (narrowed("ArnEquals", "aws:SourceArn", "arn:aws:cloudfront::123456789012:distribution/E1"), False),
    (narrowed("ArnLike", "aws:SourceArn", "arn:aws:cloudfront::*:distribution/*"), True),
    (narrowed("StringEquals", "aws:PrincipalOrgID", "o-123456"), False),
    (narrowed("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"), False),
    (narrowed("StringEqualsIfExists", "aws:SourceVpce", "vpce-1a2b3c4d"), True),
    (narrowed("ForAllValues:StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"), True),
    (narrowed("StringNotEquals", "aws:SourceVpce", "vpce-1a2b3c4d"), True),
    (narrowed("StringEquals", "aws:userid", "AROAEXAMPLEID:*"), False),
    (narrowed("StringLike", "aws:userid", "*"), True),
    (narrowed("StringLike", "s3:DataAccessPointArn",
              f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/*"), False),
    (narrowed("StringLike", "s3:DataAccessPointArn", "arn:aws:s3:us-east-1:*:accesspoint/*"), True),
    (narrowed("StringEquals", "aws:SourceAccount", "${aws:username}"), True),
    (narrowed("StringLike", "s3:prefix", "home/"), True),
    (narrowed("Bool", "aws:SecureTransport", True), True),
])
def test_is_public(statements: list[dict[str, Any]], expected: bool) -> None:
    assert public(statements) is expected


# --- the operation -> action table ------------------------------------------------------------

def test_every_routed_s3_operation_has_its_action() -> None:
    assert set(NO_IAM_ACTION) <= OPERATIONS
    assert OPERATIONS - set(NO_IAM_ACTION) == set(OPERATION_ACTIONS)
    assert set(OPERATION_ACTIONS.values()) <= S3_ACTIONS


def test_documented_operation_actions() -> None:
    expected = {
        "HeadObject": "s3:GetObject", "HeadBucket": "s3:ListBucket",
        "ListObjectsV2": "s3:ListBucket", "ListObjectVersions": "s3:ListBucketVersions",
        "UploadPart": "s3:PutObject", "CompleteMultipartUpload": "s3:PutObject",
        "CreateMultipartUpload": "s3:PutObject", "ListParts": "s3:ListMultipartUploadParts",
        "ListMultipartUploads": "s3:ListBucketMultipartUploads", "DeleteObjects": "s3:DeleteObject",
        "GetObjectAttributes": "s3:GetObject", "CreateBucket": "s3:CreateBucket",
        "DeleteBucketPolicy": "s3:DeleteBucketPolicy", "GetBucketLocation": "s3:GetBucketLocation",
        "PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
        "GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
        "DeleteBucketCors": "s3:PutBucketCORS",
        "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
        "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
        "DeleteBucketTagging": "s3:PutBucketTagging",
        "DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
        "GetBucketPolicyStatus": "s3:GetBucketPolicyStatus", "ListBuckets": "s3:ListAllMyBuckets",
        "CopyObject": "s3:PutObject", "PostObject": "s3:PutObject",
        "SelectObjectContent": "s3:GetObject",
    }
    assert {op: OPERATION_ACTIONS[op] for op in expected} == expected


def test_version_actions() -> None:
    assert set(VERSION_ACTIONS) <= S3_ACTIONS and set(VERSION_ACTIONS.values()) <= S3_ACTIONS
    assert action_for("GetObject", version_id=True) == "s3:GetObjectVersion"
    assert action_for("DeleteObjects", version_id=True) == "s3:DeleteObjectVersion"
    assert action_for("PutObjectTagging", version_id=True) == "s3:PutObjectVersionTagging"
    assert action_for("GetObjectRetention", version_id=True) == "s3:GetObjectRetention"
    assert actions_for("GetObjectAttributes", version_id=True) == (
        "s3:GetObjectVersion", "s3:GetObjectVersionAttributes")
    assert actions_for("CopyObject", version_id=True) == ("s3:PutObject", "s3:GetObjectVersion")
    assert actions_for("PutObject") == ("s3:PutObject",)
    assert {a for extra in ADDITIONAL_ACTIONS.values() for a in extra} <= S3_ACTIONS


def test_action_tables_are_consistent() -> None:
    assert not OBJECT_ACTIONS & BUCKET_ACTIONS
    assert KNOWN_ACTIONS >= S3_ACTIONS
    assert all(a.startswith(("s3:", "admin:", "kms:", "sts:")) for a in KNOWN_ACTIONS)
    for name in ("s3:GetObject", "s3:ListBucketVersions", "s3:BypassGovernanceRetention",
                 "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:GetObjectAcl",
                 "s3:PutBucketAcl", "s3:GetBucketPolicyStatus", "s3:ListAllMyBuckets"):
        assert name in S3_ACTIONS
