"""POST Object's signature, POST policy and answers (server/auth/post_policy.py).

Vectors: AWS's SigV4 browser-upload example (sigv4-post-example: policy, signing key and
signature), the SigV2 example of AWS's original POST proposal (doc.s3.amazonaws.com/
proposals/post.html), and forms botocore's generate_presigned_post signs (SigV4 and
SigV2).  Error codes and messages are S3's where its answers are recorded.
"""

from __future__ import annotations

import base64
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import botocore.session
import pytest
from botocore.config import Config

from cairn.server.auth import AuthError
from cairn.server.auth.post_policy import (
    ContentLengthRange,
    PostPolicy,
    check_post_policy,
    object_location,
    parse_post_policy,
    substitute_filename,
    success_response,
    verify_post_signature,
)
from cairn.server.auth.sigv4 import signing_key
from cairn.server.errors import S3Error

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = datetime(2015, 12, 29, 12, tzinfo=UTC)

# https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html (the policy has CRLF line ends)
AWS_POLICY = (
    "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJz"
    "aWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJw"
    "dWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6"
    "b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2Uv"
    "Il0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRp"
    "b24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRl"
    "bnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXot"
    "YWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9")
AWS_SIGNATURE = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
AWS_SIGNING_KEY = "cbcef1ebeaefc82cce6530b9f0a9ae598846065f5c5bae0674bd5ebc4ba52d28"  # not on the page
AWS_FORM = {  # the example form's fields, names as it spells them
    "key": "user/user1/${filename}", "acl": "public-read",
    "success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html",
    "Content-Type": "image/jpeg", "x-amz-meta-uuid": "14365123651274",
    "x-amz-server-side-encryption": "AES256", "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": f"{AKID}/20151229/us-east-1/s3/aws4_request", "X-Amz-Date": "20151229T000000Z",
    "x-amz-meta-tag": "",
    "Policy": AWS_POLICY, "X-Amz-Signature": AWS_SIGNATURE,
}

# The SigV2 example of AWS's original POST proposal (its policy has a trailing comma).
V2_SECRET = "uV3F3YluFJax1cknvbcGwgjvx4QpvB+leU8dUj2o"
V2_POLICY = (
    "eyAiZXhwaXJhdGlvbiI6ICIyMDA3LTEyLTAxVDEyOjAwOjAwLjAwMFoiLAogICJjb25kaXRpb25zIjogWwogICAgeyJidWNrZXQiOiAiam9o"
    "bnNtaXRoIiB9LAogICAgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVzZXIvZXJpYy8iXSwKICAgIHsiYWNsIjogInB1YmxpYy1yZWFkIiB9"
    "LAogICAgeyJyZWRpcmVjdCI6ICJodHRwOi8vam9obnNtaXRoLnMzLmFtYXpvbmF3cy5jb20vc3VjY2Vzc2Z1bF91cGxvYWQuaHRtbCIgfSwK"
    "ICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwKICAgIHsieC1hbXotbWV0YS11dWlkIjogIjE0MzY1MTIz"
    "NjUxMjc0In0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiR4LWFtei1tZXRhLXRhZyIsICIiXSwKICBdCn0K")
V2_SIGNATURE = "2qCp0odXe7A9IYyUVqn0w2adtCA="


class Keys:
    def __init__(self, table: dict[str, str] | None = None) -> None:
        self.table = table or {AKID: SECRET}

    def secret_for(self, access_key: str) -> str | None:
        return self.table.get(access_key)


def encode(document: Any) -> str:
    text = document if isinstance(document, str) else json.dumps(document)
    return base64.b64encode(text.encode()).decode()


def policy(*conditions: Any, expiration: str = "2015-12-30T12:00:00.000Z") -> PostPolicy:
    return parse_post_policy(encode({"expiration": expiration, "conditions": list(conditions)}))


def refused(exc_type: type[S3Error] = AuthError) -> Any:
    return pytest.raises(exc_type)


# --- signatures ------------------------------------------------------------------------------------


def test_aws_sigv4_example() -> None:
    assert signing_key(SECRET, "20151229", "us-east-1").hex() == AWS_SIGNING_KEY
    identity = verify_post_signature(AWS_FORM, Keys(), NOW)
    assert (identity.access_key, identity.method, identity.payload.kind) == (AKID, "v4-header", "unsigned")


def test_aws_sigv4_example_policy_admits_its_form() -> None:
    parsed = parse_post_policy(AWS_POLICY)
    assert parsed.expiration == datetime(2015, 12, 30, 12, tzinfo=UTC)
    fields = {**AWS_FORM, "key": substitute_filename(AWS_FORM["key"], "C:\\Photos\\MyPhoto.jpg")}
    assert fields["key"] == "user/user1/MyPhoto.jpg"
    assert check_post_policy(parsed, fields, "sigv4examplebucket", NOW) is None
    with refused() as info:
        check_post_policy(parsed, fields, "otherbucket", NOW)
    assert info.value.message == ('Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", '
                                  '"sigv4examplebucket"]')


def test_signature_hex_in_either_case() -> None:
    verify_post_signature({**AWS_FORM, "X-Amz-Signature": AWS_SIGNATURE.upper()}, Keys(), NOW)


def test_tampered_policy() -> None:
    tampered = AWS_POLICY[:-2]
    with refused() as info:
        verify_post_signature({**AWS_FORM, "Policy": tampered}, Keys(), NOW)
    exc = info.value
    assert (exc.code, exc.status) == ("SignatureDoesNotMatch", 403)
    assert list(exc.extra) == ["AWSAccessKeyId", "StringToSign", "SignatureProvided", "StringToSignBytes"]
    assert (exc.extra["StringToSign"], exc.extra["SignatureProvided"]) == (tampered, AWS_SIGNATURE)


def test_wrong_secret_and_unknown_key() -> None:
    with refused() as info:
        verify_post_signature(AWS_FORM, Keys({AKID: "another secret"}), NOW)
    assert info.value.code == "SignatureDoesNotMatch"
    with refused() as info:
        verify_post_signature(AWS_FORM, Keys({"OTHER": SECRET}), NOW)
    assert (info.value.code, info.value.extra) == ("InvalidAccessKeyId", {"AWSAccessKeyId": AKID})


@pytest.mark.parametrize("dropped, named", [
    (("X-Amz-Algorithm", "X-Amz-Credential"), "X-Amz-Algorithm"),  # S3's recorded answer
    (("X-Amz-Signature",), "X-Amz-Signature"),
    (("X-Amz-Date",), "X-Amz-Date"),
    (("Policy",), "Policy"),
])
def test_missing_sigv4_field(dropped: tuple[str, ...], named: str) -> None:
    fields = {name: value for name, value in AWS_FORM.items() if name not in dropped}
    with refused() as info:
        verify_post_signature(fields, Keys(), NOW)
    exc = info.value
    assert (exc.code, exc.status, exc.extra) == ("InvalidArgument", 400, {"ArgumentName": named,
                                                                          "ArgumentValue": ""})
    assert exc.message == (f"Bucket POST must contain a field named '{named}'.  If it is specified, please "
                           "check the order of the fields.")


@pytest.mark.parametrize("name, value, code, argument, message", [
    ("X-Amz-Credential", f"{AKID}/20151229/us-east-1/s3", "InvalidArgument", "X-Amz-Credential",
     'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'),
    ("X-Amz-Credential", f"{AKID}/20151229/us-east-1/sqs/aws4_request", "InvalidArgument", "X-Amz-Credential",
     'incorrect service "sqs". This endpoint belongs to "s3".'),
    ("X-Amz-Credential", f"{AKID}/2015-12-29/us-east-1/s3/aws4_request", "InvalidArgument",
     "X-Amz-Credential",
     'incorrect date format "2015-12-29". This date in the credential must be in the format "yyyyMMdd".'),
    ("X-Amz-Credential", "/20151229/us-east-1/s3/aws4_request", "InvalidArgument", "X-Amz-Credential",
     "a non-empty Access Key (AKID) must be provided in the credential."),
    ("X-Amz-Date", "2015-12-29", "InvalidArgument", "X-Amz-Date",
     "X-Amz-Date must be formated via ISO8601 Long format"),
    ("X-Amz-Algorithm", "HMAC-SHA256", "InvalidArgument", "X-Amz-Algorithm",
     'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'),
    ("X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256", "NotImplemented", None,
     "SigV4a (AWS4-ECDSA-P256-SHA256) signatures are not implemented."),
])
def test_bad_sigv4_fields(name: str, value: str, code: str, argument: str | None, message: str) -> None:
    with refused() as info:
        verify_post_signature({**AWS_FORM, name: value}, Keys(), NOW)
    exc = info.value
    assert (exc.code, exc.message, exc.extra.get("ArgumentName")) == (code, message, argument)
    if argument is not None:
        assert info.value.extra["ArgumentValue"] == value


def test_any_region_signs() -> None:
    credential = f"{AKID}/20151229/eu-west-3/s3/aws4_request"
    document = encode({"expiration": "2015-12-30T12:00:00Z", "conditions": [{"bucket": "b"}]})
    key = signing_key(SECRET, "20151229", "eu-west-3")
    signature = hmac.new(key, document.encode(), "sha256").hexdigest()
    fields = {"x-amz-algorithm": "AWS4-HMAC-SHA256", "x-amz-credential": credential,
              "x-amz-date": "20151229T000000Z", "policy": document, "x-amz-signature": signature}
    assert verify_post_signature(fields, Keys(), NOW).access_key == AKID


def test_sigv2_example() -> None:
    fields = {"AWSAccessKeyId": "0PN5J17HBGZHT7JJ3X82", "Policy": V2_POLICY, "Signature": V2_SIGNATURE}
    identity = verify_post_signature(fields, Keys({"0PN5J17HBGZHT7JJ3X82": V2_SECRET}), NOW)
    assert (identity.access_key, identity.method) == ("0PN5J17HBGZHT7JJ3X82", "v2-header")
    parsed = parse_post_policy(V2_POLICY)  # trailing comma and all
    assert [c.text for c in parsed.conditions][3] == ('["eq", "$redirect", '
                                                      '"http://johnsmith.s3.amazonaws.com/successful_upload.html"]')
    form = {"key": "user/eric/MyPicture.jpg", "acl": "public-read", "Content-Type": "image/jpeg",
            "redirect": "http://johnsmith.s3.amazonaws.com/successful_upload.html",
            "x-amz-meta-uuid": "14365123651274", "x-amz-meta-tag": "Some,Tag,For,Picture", **fields}
    assert check_post_policy(parsed, form, "johnsmith", datetime(2007, 11, 30, tzinfo=UTC)) is None
    with refused() as info:
        verify_post_signature({**fields, "Signature": "0RavWzkygo6QX9caELEqKi9kDbU="},
                              Keys({"0PN5J17HBGZHT7JJ3X82": V2_SECRET}), NOW)
    assert (info.value.code, info.value.extra["StringToSign"]) == ("SignatureDoesNotMatch", V2_POLICY)


@pytest.mark.parametrize("dropped, named", [("AWSAccessKeyId", "AWSAccessKeyId"), ("signature", "Signature"),
                                            ("policy", "Policy")])
def test_missing_sigv2_field(dropped: str, named: str) -> None:
    fields = {"awsaccesskeyid": AKID, "policy": V2_POLICY, "signature": V2_SIGNATURE}
    fields = {name: value for name, value in fields.items() if name != dropped.lower()}
    with refused() as info:
        verify_post_signature(fields, Keys(), NOW)
    assert info.value.extra == {"ArgumentName": named, "ArgumentValue": ""}


def test_anonymous() -> None:
    for fields in ({"key": "k"}, {"key": "k", "policy": AWS_POLICY}, {"x-amz-date": "20151229T000000Z"}):
        identity = verify_post_signature(fields, Keys(), NOW)
        assert (identity.access_key, identity.method) == (None, "anonymous")


def test_session_token_rides_along() -> None:
    identity = verify_post_signature({**AWS_FORM, "X-Amz-Security-Token": "token"}, Keys(), NOW)
    assert identity.session_token == "token"


def botocore_post(signature_version: str, conditions: list[Any], fields: dict[str, str]) -> dict[str, str]:
    client = botocore.session.get_session().create_client(
        "s3", region_name="us-west-2", aws_access_key_id=AKID, aws_secret_access_key=SECRET,
        config=Config(signature_version=signature_version))
    post = client.generate_presigned_post("bucket", "uploads/${filename}", Fields=fields,
                                          Conditions=conditions, ExpiresIn=600)
    return dict(post["fields"])


@pytest.mark.parametrize("signature_version, method", [("s3v4", "v4-header"), ("s3", "v2-header")])
def test_botocore_presigned_post(signature_version: str, method: str) -> None:
    conditions = [["content-length-range", 5, 10], ["starts-with", "$Content-Type", "text/"],
                  {"acl": "private"}, ["starts-with", "$key", "uploads/"]]
    fields = botocore_post(signature_version, conditions, {"Content-Type": "text/plain", "acl": "private"})
    identity = verify_post_signature(fields, Keys(), datetime.now(UTC))
    assert (identity.access_key, identity.method) == (AKID, method)
    fields["key"] = substitute_filename(fields["key"], "notes.txt")
    parsed = parse_post_policy(fields["policy"])
    assert check_post_policy(parsed, fields, "bucket", datetime.now(UTC)) == ContentLengthRange(5, 10)
    with refused():
        verify_post_signature({**fields, "policy": encode({"expiration": "2099-01-01T00:00:00Z",
                                                           "conditions": []})}, Keys(), datetime.now(UTC))


# --- parsing policies ------------------------------------------------------------------------------


@pytest.mark.parametrize("document, message", [
    ("not json", "Invalid JSON."),
    ("[]", "Invalid JSON."),
    ('{"expiration": "2015-12-30T12:00:00Z", "conditions": [], "expiration": "2015-12-30T12:00:00Z"}',
     "Invalid JSON."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [], "Statement": []}, "Unexpected: 'statement'"),
    ({"EXPIRATION": "2015-12-30T12:00:00Z", "conditions": []}, "Unexpected: 'expiration'"),
    ({"conditions": []}, "Policy missing expiration."),
    ({"expiration": "2015-12-30T12:00:00Z"}, "Policy missing conditions."),
    ({"expiration": "2011-09-13T07:52:58+02:00", "conditions": []},
     "Invalid 'expiration' value: '2011-09-13T07:52:58+02:00'"),
    ({"expiration": "2015-10-17 03:15:59 UTC", "conditions": []},
     "Invalid 'expiration' value: '2015-10-17 03:15:59 UTC'"),
    ({"expiration": "2015-02-30T00:00:00Z", "conditions": []},
     "Invalid 'expiration' value: '2015-02-30T00:00:00Z'"),
    ({"expiration": 1451476800, "conditions": []}, "Invalid 'expiration' value: '1451476800'"),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": {"acl": "private"}},
     "Invalid 'conditions' value: must be a List."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [{}]},
     "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [{"bucket": "b", "acl": "private"}]},
     "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [{"Content-Length": 6199034}]},
     "Invalid Simple-Condition: value must be a string."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [{"success_action_redirect": None}]},
     "Invalid JSON."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [[]]},
     "Invalid Condition: missing operation identifier."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [["ends-with", "$key", "x"]]},
     "Invalid Condition: unknown operation 'ends-with'."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [["content-length-range", 0]]},
     "Invalid content-length-range: wrong number of arguments."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [["eq", "$key"]]},
     "Invalid eq: wrong number of arguments."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": [["eq", "$key", 5]]}, "Invalid JSON."),
    ({"expiration": "2015-12-30T12:00:00Z", "conditions": ["acl"]},
     "Invalid condition test: must be a List or Object."),
    ('{"expiration": "2015-12-30T12:00:00Z", "conditions": [["content-length-range", 0, 512.0]]}',
     "Invalid JSON."),
    ('{"expiration": "2015-12-30T12:00:00Z", "conditions": [["content-length-range", 0, NaN]]}',
     "Invalid JSON."),
    ("[" * 5000 + "]" * 5000, "Invalid JSON."),
])
def test_invalid_policy(document: Any, message: str) -> None:
    with refused() as info:
        parse_post_policy(encode(document))
    assert (info.value.code, info.value.status, info.value.message) == (
        "InvalidPolicyDocument", 400, f"Invalid Policy: {message}")


@pytest.mark.parametrize("text", ["not base64!", "eyJ", base64.b64encode(b"\xff\xfe").decode(), "A" * 30000])
def test_policy_not_decodable(text: str) -> None:
    with refused() as info:
        parse_post_policy(text)
    assert info.value.code == "InvalidPolicyDocument"


def test_policy_leniencies() -> None:
    """What AWS's own examples write: trailing commas, \\$ for a dollar, base64 wrapped on lines."""
    document = ('{ "expiration": "2007-12-01T12:00:00.000Z", '
                '"conditions": [ ["starts-with", "$key", "\\$a,]"], ], }')
    parsed = parse_post_policy("\n".join(encode(document)[i:i + 20] for i in range(0, 120, 20))
                               + encode(document)[120:])
    assert parsed.conditions[0].value == "$a,]"
    assert parse_post_policy(encode({"expiration": "2007-12-01T12:00:00.123456789Z", "conditions": []})
                             ).expiration == datetime(2007, 12, 1, 12, 0, 0, 123456, tzinfo=UTC)


def test_escaped_backslash_stays_literal() -> None:
    """s3-tests' escaped_field_values: the JSON string "\\\\$foo" is `\\$foo`, matched literally."""
    parsed = policy(["starts-with", "$key", "\\$foo"], {"bucket": "b"})
    assert check_post_policy(parsed, {"key": "\\$foo.txt"}, "b", NOW) is None


# --- conditions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition, fields", [
    ({"acl": "public-read"}, {"acl": "public-read"}),
    (["eq", "$acl", "public-read"], {"ACL": "public-read"}),
    (["EQ", "$AcL", "public-read"], {"aCl": "public-read"}),
    (["starts-with", "$key", "user/eric/"], {"key": "user/eric/a.jpg"}),
    (["StArTs-WiTh", "$KeY", "user/"], {"kEy": "user/b"}),
    (["starts-with", "$success_action_redirect", ""], {"success_action_redirect": "http://anything/"}),
    (["starts-with", "$redirect", "https://example.com/"], {"redirect": "https://example.com/done"}),
    (["starts-with", "$Content-Type", "image/"], {"content-type": "image/jpg,image/png, image/gif"}),
    (["starts-with", "$content-type", ""], {"Content-Type": ""}),
    (["starts-with", "$Cache-Control", "max-age="], {"Cache-Control": "max-age=60"}),
    (["eq", "$Content-Disposition", 'attachment; filename="a.txt"'],
     {"Content-Disposition": 'attachment; filename="a.txt"'}),
    (["starts-with", "$Content-Encoding", "gz"], {"Content-Encoding": "gzip"}),
    (["starts-with", "$Expires", "Thu, "], {"Expires": "Thu, 01 Dec 1994 16:00:00 GMT"}),
    (["starts-with", "$x-amz-meta-tag", ""], {"x-amz-meta-tag": "Ninja,Stallman"}),
    (["starts-with", "$x-amz-meta-TEST-2", "ab"], {"X-Amz-Meta-Test-2": "abc"}),
    ({"x-amz-meta-uuid": "14365123651274"}, {"x-amz-meta-uuid": "14365123651274"}),
    ({"success_action_status": "201"}, {"success_action_status": "201"}),
    ({"x-amz-storage-class": "STANDARD_IA"}, {"x-amz-storage-class": "STANDARD_IA"}),
    (["starts-with", "$tagging", ""], {"tagging": "<Tagging><TagSet/></Tagging>"}),
    ({"bucket": "b"}, {}),
    ({"bucket": "b"}, {"bucket": "b"}),
])
def test_condition_holds(condition: Any, fields: dict[str, str]) -> None:
    assert check_post_policy(policy({"bucket": "b"}, condition), fields, "b", NOW) is None


@pytest.mark.parametrize("condition, fields", [
    ({"acl": "public-read"}, {"acl": "private"}),
    ({"acl": "public-read"}, {"acl": "PUBLIC-READ"}),  # values are case-sensitive
    ({"acl": "public-read"}, {}),
    (["starts-with", "$key", "user/eric/"], {"key": "user/bob/a.jpg"}),
    (["starts-with", "$key", "User/"], {"key": "user/a"}),
    (["starts-with", "$Content-Type", ""], {}),  # even "" needs the field (S3 refuses it)
    (["starts-with", "$Content-Type", "image/"], {"Content-Type": "image/jpg,text/plain"}),
    (["starts-with", "$x-amz-meta-foo", "bar"], {}),
    (["eq", "$x-amz-meta-foo", ""], {"x-amz-meta-foo": "barclamp"}),
    (["eq", "success_action_redirect", "http://a/"], {"success_action_redirect": "http://a/"}),  # no "$"
    (["starts-with", "$success_action_status", "2"], {"success_action_status": "201"}),  # exact only
    (["starts-with", "$x-amz-server-side-encryption", ""], {"x-amz-server-side-encryption": "AES256"}),
    (["starts-with", "$bucket", "b"], {}),
    ({"bucket": "other"}, {"bucket": "other"}),  # the request's bucket is what counts
])
def test_condition_fails(condition: Any, fields: dict[str, str]) -> None:
    parsed = policy({"bucket": "b"}, condition)
    with refused() as info:
        check_post_policy(parsed, fields, "b", NOW)
    assert (info.value.code, info.value.status) == ("AccessDenied", 403)
    assert info.value.message == ("Invalid according to Policy: Policy Condition failed: "
                                  + parsed.conditions[1].text)


def test_condition_failure_quotes_the_policy() -> None:
    parsed = policy(["eq", "$success_action_redirect", "http://localhost.test/random"],
                    {"Content-Disposition": 'filename="test.png"'})
    with refused() as info:
        check_post_policy(parsed, {"success_action_redirect": "http://other/"}, "b", NOW)
    assert info.value.message == ('Invalid according to Policy: Policy Condition failed: ["eq", '
                                  '"$success_action_redirect", "http://localhost.test/random"]')
    with refused() as info:
        check_post_policy(parsed, {"success_action_redirect": "http://localhost.test/random"}, "b", NOW)
    assert info.value.message.endswith('["eq", "$Content-Disposition", "filename=\\"test.png\\""]')


def test_expired() -> None:
    parsed = policy({"bucket": "b"}, expiration="2015-12-29T12:00:00Z")
    with refused() as info:
        check_post_policy(parsed, {}, "b", NOW)
    assert (info.value.code, info.value.message) == ("AccessDenied",
                                                     "Invalid according to Policy: Policy expired.")
    assert check_post_policy(parsed, {}, "b", NOW - timedelta(seconds=1)) is None
    assert check_post_policy(parsed, {}, "b", datetime(2015, 12, 29, 11, 59, 59)) is None  # naive: UTC


def test_extra_fields() -> None:
    parsed = policy({"bucket": "b"}, ["starts-with", "$key", ""])
    exempt = {"key": "k", "file": "", "Policy": "p", "X-Amz-Signature": "s", "Signature": "s",
              "AWSAccessKeyId": "a", "x-ignore-flash": "1", "X-Ignore-Other": "2"}
    assert check_post_policy(parsed, exempt, "b", NOW) is None
    with refused() as info:
        check_post_policy(parsed, {**exempt, "Filename": "a.png", "x-amz-meta-foo": "bar"}, "b", NOW)
    assert info.value.message == "Invalid according to Policy: Extra input fields: Filename, x-amz-meta-foo"
    with refused() as info:  # the SigV4 fields must be in the policy too
        check_post_policy(parsed, {"key": "k", "x-amz-date": "20151229T000000Z"}, "b", NOW)
    assert info.value.message.endswith("Extra input fields: x-amz-date")


def test_repeated_fields_are_joined() -> None:
    parsed = policy({"bucket": "b"}, {"x-amz-meta-tag": "Ninja,Stallman"})
    fields = {"x-amz-meta-tag": "Ninja", "X-Amz-Meta-Tag": "Stallman"}
    assert check_post_policy(parsed, fields, "b", NOW) is None


# --- content-length-range --------------------------------------------------------------------------


def test_content_length_range() -> None:
    for bounds in ([5, 10], ["5", "10"]):
        parsed = policy(["content-length-range", *bounds])
        assert check_post_policy(parsed, {}, "b", NOW) == ContentLengthRange(5, 10)
    both = policy(["content-length-range", 0, 10], ["content-length-range", 3, 20])
    assert check_post_policy(both, {}, "b", NOW) == ContentLengthRange(3, 10)
    assert check_post_policy(policy({"bucket": "b"}), {}, "b", NOW) is None


def test_content_length_range_not_numbers() -> None:
    with refused() as info:
        check_post_policy(policy(["content-length-range", "test", "10"]), {}, "b", NOW)
    assert info.value.message == ('Invalid according to Policy: Policy Condition failed: '
                                  '["content-length-range", "test", "10"]')


def test_content_length_range_check() -> None:
    limits = ContentLengthRange(5, 10)
    for size in (5, 10):
        limits.check(size)
    limits.check(1, final=False)  # still streaming
    with pytest.raises(S3Error) as info:
        limits.check(11, final=False)
    assert (info.value.code, info.value.message, info.value.extra) == (
        "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
        {"ProposedSize": "11", "MaxSizeAllowed": "10"})
    with pytest.raises(S3Error) as info:
        limits.check(1)
    assert (info.value.code, info.value.message, info.value.extra) == (
        "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
        {"ProposedSize": "1", "MinSizeAllowed": "5"})


# --- ${filename} -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key, filename, result", [
    ("user/${filename}", "photo.jpg", "user/photo.jpg"),
    ("user/${filename}", "C:\\Program Files\\directory1\\file.txt", "user/file.txt"),
    ("user/${filename}", "a/b/c.txt", "user/c.txt"),
    ("${filename}/${filename}", "x", "x/x"),
    ("user/${filename}", "", "user/"),
    ("user/${filename}", None, "user/${filename}"),  # no filename parameter: S3 keeps the text
    ("plain", "x", "plain"),
])
def test_substitute_filename(key: str, filename: str | None, result: str) -> None:
    assert substitute_filename(key, filename) == result


# --- answers ---------------------------------------------------------------------------------------

ETAG = '"39d459dfbc0faabbb5e179358dfb94c3"'
LOCATION = "https://bucket.s3.amazonaws.com/user%2Feric%2FMy%20Picture.jpg"


def test_object_location() -> None:
    assert object_location("https://bucket.s3.amazonaws.com/", "user/eric/My Picture.jpg") == LOCATION
    assert object_location("http://h/b", "président{}.jpg") == "http://h/b/pr%C3%A9sident%7B%7D.jpg"


@pytest.mark.parametrize("fields, location", [
    ({"success_action_redirect": "https://example.com/done.html"},
     "https://example.com/done.html?bucket=bucket&key=user%2Feric%2FMy+Picture.jpg&etag=%2239d459dfbc0faabbb5e179358dfb94c3%22"),
    ({"Success_Action_Redirect": "http://e.com/up?md5=1&u=a b#top"},
     "http://e.com/up?md5=1&u=a%20b&bucket=bucket&key=user%2Feric%2FMy+Picture.jpg&etag=%2239d459dfbc0faabbb5e179358dfb94c3%22#top"),
    ({"redirect": "http://e.com/?", "success_action_status": "201"},
     "http://e.com/?bucket=bucket&key=user%2Feric%2FMy+Picture.jpg&etag=%2239d459dfbc0faabbb5e179358dfb94c3%22"),
    ({"success_action_redirect": "/relative", "redirect": "http://e.com/é"},
     "http://e.com/%C3%A9?bucket=bucket&key=user%2Feric%2FMy+Picture.jpg&etag=%2239d459dfbc0faabbb5e179358dfb94c3%22"),
])
def test_redirect(fields: dict[str, str], location: str) -> None:
    status, headers, body = success_response(fields, "bucket", "user/eric/My Picture.jpg", ETAG, LOCATION)
    assert (status, dict(headers), body) == (303, {"Location": location, "ETag": ETAG}, b"")


@pytest.mark.parametrize("fields, status", [
    ({}, 204), ({"success_action_status": "204"}, 204), ({"success_action_status": "200"}, 200),
    ({"success_action_status": "404"}, 204), ({"success_action_redirect": "javascript:alert(1)"}, 204),
    ({"success_action_redirect": "http://e.com/\r\nSet-Cookie: x"}, 204), ({"redirect": "ftp://e.com/"}, 204),
    ({"success_action_redirect": ""}, 204), ({"success_action_redirect": "http:///nohost"}, 204),
])
def test_empty_answers(fields: dict[str, str], status: int) -> None:
    answer = success_response(fields, "bucket", "user/eric/My Picture.jpg", ETAG.strip('"'), LOCATION)
    assert answer == (status, [("ETag", ETAG), ("Location", LOCATION)], b"")


def test_post_response_document() -> None:
    status, headers, body = success_response({"success_action_status": "201"}, "bucket",
                                             "user/eric/My Picture.jpg", ETAG, LOCATION)
    assert status == 201
    assert headers == [("ETag", ETAG), ("Location", LOCATION), ("Content-Type", "application/xml")]
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>')
    root = ElementTree.fromstring(body)  # no namespace: s3-tests reads it with find('Key')
    assert [(child.tag, child.text) for child in root] == [
        ("Location", LOCATION), ("Bucket", "bucket"), ("Key", "user/eric/My Picture.jpg"), ("ETag", ETAG)]
