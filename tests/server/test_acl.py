"""The ACL model (server/acl.py): canned ACLs, grant headers, the AccessControlPolicy document as
botocore writes and reads it, and the decisions (permits, is_public, what a bucket accepts)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import botocore.session
import pytest
from botocore.parsers import RestXMLParser
from botocore.serialize import create_serializer

from cairn.engine.api import BucketInfo, OwnershipControlsConfig, PublicAccessBlockConfig
from cairn.server import acl
from cairn.server.acl import (
    ALL_USERS,
    AUTHENTICATED_USERS,
    CANONICAL_USER,
    GROUP,
    LOG_DELIVERY,
    Grant,
)
from cairn.server.errors import S3Error

S3 = botocore.session.get_session().get_service_model("s3")
OWNER = "a" * 64
BOB = "b" * 64
NAMES = {OWNER: "owner", BOB: "bob"}
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def refused(fn: Any, *args: Any) -> S3Error:
    with pytest.raises(S3Error) as caught:
        fn(*args)
    return caught.value


def headers(**values: str) -> Any:
    sent = {name.replace("_", "-"): value for name, value in values.items()}
    return SimpleNamespace(header=lambda name, default=None: sent.get(name, default))


def botocore_body(policy: dict[str, Any]) -> bytes:
    request = create_serializer("rest-xml").serialize_to_request(
        {"Bucket": "b", "AccessControlPolicy": policy}, S3.operation_model("PutBucketAcl"))
    body: bytes = request["body"]
    return body


def botocore_reads(body: bytes) -> dict[str, Any]:
    shape = S3.operation_model("GetBucketAcl").output_shape
    parsed: dict[str, Any] = RestXMLParser().parse({"body": body, "headers": {}, "status_code": 200}, shape)
    return parsed


def fc(who: str = OWNER) -> Grant:
    return Grant(CANONICAL_USER, who, "FULL_CONTROL")


# ---------------------------------------------------------------------------------------------
# Canned ACLs and grant headers


@pytest.mark.parametrize(("name", "extra"), [
    ("private", []),
    ("public-read", [Grant(GROUP, ALL_USERS, "READ")]),
    ("public-read-write", [Grant(GROUP, ALL_USERS, "READ"), Grant(GROUP, ALL_USERS, "WRITE")]),
    ("authenticated-read", [Grant(GROUP, AUTHENTICATED_USERS, "READ")]),
    ("aws-exec-read", []),
    ("bucket-owner-read", []),  # the object's owner is the bucket's
    ("bucket-owner-full-control", []),
    ("log-delivery-write", [Grant(GROUP, LOG_DELIVERY, "WRITE"), Grant(GROUP, LOG_DELIVERY, "READ_ACP")]),
])
def test_canned_acls_start_with_the_owners_full_control(name: str, extra: list[Grant]) -> None:
    assert acl.canned_grants(name, OWNER) == [fc(), *extra]


def test_an_unknown_canned_acl_is_invalid_argument() -> None:
    err = refused(acl.canned_grants, "public", OWNER)
    assert (err.code, err.status, err.extra) == ("InvalidArgument", 400,
                                                 {"ArgumentName": "x-amz-acl", "ArgumentValue": "public"})


def test_grant_headers() -> None:
    sent = headers(x_amz_grant_read=f'id="{BOB}", uri="{ALL_USERS}"',
                   x_amz_grant_full_control=f"id={OWNER}", x_amz_grant_write_acp=f' id = "{BOB}" ')
    canned, grants = acl.header_grants(sent, OWNER, NAMES.get)  # type: ignore[misc]
    assert canned is None
    assert grants == [Grant(CANONICAL_USER, BOB, "READ", "bob"), Grant(GROUP, ALL_USERS, "READ"),
                      Grant(CANONICAL_USER, BOB, "WRITE_ACP", "bob"),
                      Grant(CANONICAL_USER, OWNER, "FULL_CONTROL", "owner")]
    assert acl.header_grants(headers(), OWNER, NAMES.get) is None
    assert acl.header_grants(headers(x_amz_acl="public-read"), OWNER, NAMES.get) == (
        "public-read", [fc(), Grant(GROUP, ALL_USERS, "READ")])


@pytest.mark.parametrize(("value", "code", "message"), [
    ("", "InvalidArgument", "Invalid Argument"),
    ("id", "InvalidArgument", "Invalid Argument"),
    ('id=""', "InvalidArgument", "Invalid Argument"),
    (f'id="{BOB}",', "InvalidArgument", "Invalid Argument"),
    (f'name="{BOB}"', "InvalidArgument", "Invalid Argument"),
    ('id="a"b"', "InvalidArgument", "Invalid Argument"),
    (f'id="{"c" * 64}"', "InvalidArgument", "Invalid id"),
    ('uri="http://acs.amazonaws.com/groups/global/Nobody"', "InvalidArgument", "Invalid group uri"),
    ('emailAddress="bob@example.com"', "UnresolvableGrantByEmailAddress",
     "The e-mail address you provided does not match any account on record."),
])
def test_malformed_grant_headers(value: str, code: str, message: str) -> None:
    err = refused(acl.header_grants, headers(x_amz_grant_read=value), OWNER, NAMES.get)
    assert (err.code, err.message, err.status) == (code, message, 400)


def test_canned_and_header_grants_together_are_refused() -> None:
    err = refused(acl.header_grants, headers(x_amz_acl="private", x_amz_grant_read=f'id="{BOB}"'), OWNER,
                  NAMES.get)
    assert (err.code, err.message) == ("InvalidRequest", acl.BOTH_FORMS)
    assert acl.BOTH_FORMS == "Specifying both Canned ACLs and Header Grants is not allowed"


# ---------------------------------------------------------------------------------------------
# The AccessControlPolicy document


GOLDEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    f"<Owner><ID>{OWNER}</ID><DisplayName>owner</DisplayName></Owner><AccessControlList>"
    f'<Grant><Grantee {XSI} xsi:type="CanonicalUser"><ID>{OWNER}</ID><DisplayName>owner</DisplayName>'
    "</Grantee><Permission>FULL_CONTROL</Permission></Grant>"
    f'<Grant><Grantee {XSI} xsi:type="CanonicalUser"><ID>{BOB}</ID><DisplayName>bob</DisplayName>'
    "</Grantee><Permission>READ</Permission></Grant>"
    f'<Grant><Grantee {XSI} xsi:type="Group"><URI>{ALL_USERS}</URI></Grantee>'
    "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>").encode()


def test_rendering_is_s3s() -> None:
    grants = [fc(), Grant(CANONICAL_USER, BOB, "READ", "bob"), Grant(GROUP, ALL_USERS, "READ")]
    assert acl.access_control_policy_xml(OWNER, "owner", grants) == GOLDEN
    read = botocore_reads(GOLDEN)
    assert read["Owner"] == {"ID": OWNER, "DisplayName": "owner"}
    assert read["Grants"][2] == {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}


def test_what_botocore_writes_parses_and_round_trips() -> None:
    rendered = botocore_reads(GOLDEN)
    body = botocore_body({"Owner": rendered["Owner"], "Grants": rendered["Grants"]})
    grants = acl.parse_access_control_policy(body, OWNER, NAMES.get)
    assert acl.access_control_policy_xml(OWNER, "owner", grants) == GOLDEN


def policy_xml(grants: str, owner: str = f"<Owner><ID>{OWNER}</ID></Owner>") -> bytes:
    return (f'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{owner}'
            f"<AccessControlList>{grants}</AccessControlList></AccessControlPolicy>").encode()


def grant_xml(grantee: str, permission: str = "READ", kind: str | None = "CanonicalUser") -> str:
    attrs = f' {XSI} xsi:type="{kind}"' if kind else ""
    return f"<Grant><Grantee{attrs}>{grantee}</Grantee><Permission>{permission}</Permission></Grant>"


def test_parse_details() -> None:
    parse = acl.parse_access_control_policy
    assert parse(policy_xml(""), OWNER, NAMES.get) == []  # no grants at all: allowed (S3's "revoke all")
    no_type = grant_xml(f"<URI>{ALL_USERS}</URI>", kind=None)  # the type follows from what is named
    assert parse(policy_xml(no_type), OWNER, NAMES.get) == [Grant(GROUP, ALL_USERS, "READ")]
    twice = grant_xml(f"<ID>{BOB}</ID>") * 2
    assert parse(policy_xml(twice), OWNER, NAMES.get) == [Grant(CANONICAL_USER, BOB, "READ", "bob")]


@pytest.mark.parametrize(("body", "code"), [
    (b"<AccessControlPolicy>", "MalformedACLError"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><AccessControlPolicy/>', "MalformedACLError"),
    (policy_xml("").replace(b"AccessControlPolicy", b"Policy"), "MalformedACLError"),
    (policy_xml("", owner=""), "MalformedACLError"),
    (policy_xml("", owner="<Owner><DisplayName>x</DisplayName></Owner>"), "MalformedACLError"),
    (policy_xml("", owner=f"<Owner><ID>{BOB}</ID></Owner>"), "AccessDenied"),
    (policy_xml(grant_xml(f"<ID>{BOB}</ID>", "EVERYTHING")), "MalformedACLError"),
    (policy_xml(grant_xml(f"<ID>{BOB}</ID>", kind="Group")), "MalformedACLError"),
    (policy_xml(grant_xml(f"<ID>{BOB}</ID>", kind="Robot")), "MalformedACLError"),
    (policy_xml(grant_xml("")), "MalformedACLError"),
    (policy_xml("<Grant><Permission>READ</Permission></Grant>"), "MalformedACLError"),
    (policy_xml(grant_xml(f"<ID>{'c' * 64}</ID>")), "InvalidArgument"),
    (policy_xml(grant_xml("<URI>http://example.com/</URI>", kind="Group")), "InvalidArgument"),
    (policy_xml(grant_xml("<EmailAddress>a@b.c</EmailAddress>", kind="AmazonCustomerByEmail")),
     "UnresolvableGrantByEmailAddress"),
    (policy_xml(grant_xml(f"<ID>{BOB}</ID>") * 101), "MalformedACLError"),
    (b" " * (65 << 10), "MaxMessageLengthExceeded"),
])
def test_parse_refusals(body: bytes, code: str) -> None:
    assert refused(acl.parse_access_control_policy, body, OWNER, NAMES.get).code == code


# ---------------------------------------------------------------------------------------------
# Decisions


def stored(*grants: Grant) -> dict[str, Any]:
    return acl.acl_doc(grants)


@pytest.mark.parametrize(("doc", "caller", "permission", "ignore", "expected"), [
    (None, OWNER, "READ", False, True),  # the default: the owner's FULL_CONTROL
    (None, BOB, "READ", False, False),
    (None, None, "READ", False, False),
    (stored(), OWNER, "READ", False, False),  # everything revoked ...
    (stored(), OWNER, "READ_ACP", False, True),  # ... but the owner's ACP permissions
    (stored(), OWNER, "WRITE_ACP", False, True),
    (stored(Grant(CANONICAL_USER, BOB, "READ")), BOB, "READ", False, True),
    (stored(Grant(CANONICAL_USER, BOB, "READ")), BOB, "WRITE", False, False),
    (stored(Grant(CANONICAL_USER, BOB, "FULL_CONTROL")), BOB, "WRITE_ACP", False, True),
    (stored(Grant(GROUP, ALL_USERS, "READ")), None, "READ", False, True),
    (stored(Grant(GROUP, ALL_USERS, "READ")), None, "READ", True, False),  # IgnorePublicAcls
    (stored(Grant(GROUP, ALL_USERS, "READ")), BOB, "READ", False, True),
    (stored(Grant(GROUP, AUTHENTICATED_USERS, "READ")), BOB, "READ", False, True),
    (stored(Grant(GROUP, AUTHENTICATED_USERS, "READ")), None, "READ", False, False),
    (stored(Grant(GROUP, AUTHENTICATED_USERS, "READ")), BOB, "READ", True, False),
    (stored(Grant(GROUP, LOG_DELIVERY, "WRITE")), None, "WRITE", False, False),
    (stored(Grant(GROUP, LOG_DELIVERY, "WRITE")), BOB, "WRITE", False, False),
])
def test_permits(doc: Any, caller: str | None, permission: str, ignore: bool, expected: bool) -> None:
    assert acl.permits(doc, OWNER, caller, permission, ignore) is expected


def test_is_public() -> None:
    assert not acl.is_public(None) and not acl.is_public(stored(fc(), Grant(CANONICAL_USER, BOB, "READ")))
    assert not acl.is_public(stored(Grant(GROUP, LOG_DELIVERY, "WRITE")))
    assert acl.is_public(stored(Grant(GROUP, ALL_USERS, "READ_ACP")))
    assert acl.is_public(stored(Grant(GROUP, AUTHENTICATED_USERS, "READ")))


def test_action_permissions_follow_aws_table() -> None:
    on_bucket, on_object = acl.ACTION_PERMISSIONS["READ"]
    assert on_bucket == {"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"}
    assert {"s3:GetObject", "s3:GetObjectVersion"} <= on_object
    assert acl.ACTION_PERMISSIONS["WRITE"][1] == frozenset()  # WRITE means nothing on an object
    assert acl.BUCKET_ACL_ACTIONS["s3:PutObject"] == "WRITE"
    assert acl.OBJECT_ACL_ACTIONS["s3:PutObjectVersionAcl"] == "WRITE_ACP"
    every = acl.ACTION_PERMISSIONS["FULL_CONTROL"]
    assert every[0] == set(acl.BUCKET_ACL_ACTIONS) and every[1] == set(acl.OBJECT_ACL_ACTIONS)


def bucket(*configs: Any) -> BucketInfo:
    info = BucketInfo("b", 0, configs={c.KIND: c.to_doc() for c in configs})
    return info


def test_checked_acl_under_the_buckets_settings() -> None:
    public = [fc(), Grant(GROUP, ALL_USERS, "READ")]
    assert acl.checked_acl(None, "private", [fc()], OWNER) is None  # the default is not stored
    assert acl.checked_acl(None, "public-read", public, OWNER) == stored(*public)
    blocked = bucket(PublicAccessBlockConfig(block_public_acls=True))
    assert refused(acl.checked_acl, blocked, "public-read", public, OWNER).code == "AccessDenied"
    assert acl.checked_acl(blocked, None, [Grant(CANONICAL_USER, BOB, "READ")], OWNER) is not None
    enforced = bucket(OwnershipControlsConfig("BucketOwnerEnforced"))
    assert acl.checked_acl(enforced, "bucket-owner-full-control", [fc()], OWNER) is None
    assert acl.checked_acl(enforced, None, [fc()], OWNER) is None  # the same in grants
    named = acl.header_grants(headers(x_amz_grant_full_control=f'id="{OWNER}"'), OWNER, NAMES.get)
    assert named is not None and acl.checked_acl(enforced, *named, OWNER) is None
    assert acl.checked_acl(None, *named, OWNER) is None  # the default again: nothing stored
    for canned, grants in (("private", [fc()]), ("public-read", public), (None, [])):
        err = refused(acl.checked_acl, enforced, canned, grants, OWNER)
        assert (err.code, err.message, err.status) == ("AccessControlListNotSupported",
                                                       "The bucket does not allow ACLs", 400)
    preferred = bucket(OwnershipControlsConfig("BucketOwnerPreferred"))
    assert acl.checked_acl(preferred, "public-read", public, OWNER) == stored(*public)
