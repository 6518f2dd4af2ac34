"""Access control lists: S3's grants on a bucket or an object version, as one model.

Theory of operation
-------------------
An ACL is a list of grants, each a grantee and a permission.  A grantee is a canonical user
(an account's id: the sha256 of its name here, iam/directory.canonical_id) or one of S3's
groups: AllUsers (anyone, anonymous included), AuthenticatedUsers (anyone who signs with a
key of this deployment) and LogDelivery (accepted and stored; it grants nothing here: there
is no log delivery).  Email grantees are refused (UnresolvableGrantByEmailAddress: accounts
have no email address here), and so is a canonical id no account has (InvalidArgument,
"Invalid id", as S3).  The permissions are READ, WRITE, READ_ACP, WRITE_ACP and FULL_CONTROL.

The stored document (AclConfig.document of a bucket, ObjectInfo.acl of an object version) is
`{"grants": [[kind, grantee, permission], ...]}`, a canonical user's display name as a fourth
member when it is known.  None is the default: the owner's FULL_CONTROL.

An ACL is written in one of three forms, one per request: a canned ACL (x-amz-acl), grant
headers (x-amz-grant-read, ... each a comma-separated list of id="...", uri="..." or
emailAddress="..."), or the AccessControlPolicy document of PutBucketAcl and PutObjectAcl.
A canned ACL starts with the owner's FULL_CONTROL; headers and documents give exactly the
grants they name.  An object's owner is its bucket's owner in Cairn, so bucket-owner-read
and bucket-owner-full-control come out as private, as S3 makes them when both owners are
one account; aws-exec-read too (there is no EC2 to grant READ to).

`permits` decides: a grant to the caller's canonical id, to AllUsers, or to AuthenticatedUsers
for a signed request, with the permission asked or FULL_CONTROL; the owner always holds
READ_ACP and WRITE_ACP ("the resource owner ... always has"); with IgnorePublicAcls the
public groups' grants count for nothing.  ACTION_PERMISSIONS says which IAM actions each
permission grants on a bucket and on an object (AWS's "ACL permission to access policy
permission" table); authorization.py asks it.

The bucket's settings bound what may be written (`checked_acl`): under OwnershipControls
BucketOwnerEnforced (ACLs disabled) only the canned bucket-owner-full-control or grants that
amount to the owner's FULL_CONTROL alone are accepted ("bucket owner full control ACLs ... or
a custom ACL in XML format that grants the same permissions"), and nothing is stored; anything
else is AccessControlListNotSupported.  Under PublicAccessBlock BlockPublicAcls a public ACL
(one granting AllUsers or AuthenticatedUsers anything: "The meaning of public") is AccessDenied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from cairn.engine.api import BucketInfo, OwnershipControlsConfig, PublicAccessBlockConfig

from .context import Context
from .errors import S3Error
from .xml import XMLError, document, esc, fields, only, owner_xml, parse_xml

CANONICAL_USER, GROUP = "CanonicalUser", "Group"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
GROUPS = frozenset({ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY})
PUBLIC_GROUPS = frozenset({ALL_USERS, AUTHENTICATED_USERS})
XSI = "http://www.w3.org/2001/XMLSchema-instance"
READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL = "READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"
PERMISSIONS = frozenset({READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL})
GRANT_HEADERS = (("x-amz-grant-read", READ), ("x-amz-grant-write", WRITE), ("x-amz-grant-read-acp", READ_ACP),
                 ("x-amz-grant-write-acp", WRITE_ACP), ("x-amz-grant-full-control", FULL_CONTROL))
BUCKET_OWNER_FULL_CONTROL = "bucket-owner-full-control"
# Each canned ACL: the grants it adds to the owner's FULL_CONTROL.
CANNED: Mapping[str, tuple[tuple[str, str, str], ...]] = {
    "private": (),
    "public-read": ((GROUP, ALL_USERS, READ),),
    "public-read-write": ((GROUP, ALL_USERS, READ), (GROUP, ALL_USERS, WRITE)),
    "authenticated-read": ((GROUP, AUTHENTICATED_USERS, READ),),
    "aws-exec-read": (),
    "bucket-owner-read": (),
    BUCKET_OWNER_FULL_CONTROL: (),
    "log-delivery-write": ((GROUP, LOG_DELIVERY, WRITE), (GROUP, LOG_DELIVERY, READ_ACP)),
}
MAX_GRANTS = 100  # S3: "An ACL can have up to 100 grants"
MAX_ACL_BODY = 64 << 10
BOTH_FORMS = "Specifying both Canned ACLs and Header Grants is not allowed"
ACLS_DISABLED = "The bucket does not allow ACLs"
BUCKET_OWNER_ENFORCED = "BucketOwnerEnforced"

Resolve = Callable[[str], str | None]  # canonical id -> display name, None: no such account


def _s3(names: str) -> frozenset[str]:
    return frozenset(f"s3:{name}" for name in names.split())


# Permission -> (actions it grants on a bucket, actions it grants on an object).  WRITE's
# s3:DeleteObjectVersion is the bucket owner's alone in AWS's table, and the owner holds
# FULL_CONTROL here anyway; the multipart actions go with WRITE (there is no initiator to own them).
_GRANTED: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    READ: (_s3("ListBucket ListBucketVersions ListBucketMultipartUploads"),
           _s3("GetObject GetObjectVersion GetObjectTorrent")),
    WRITE: (_s3("PutObject DeleteObject AbortMultipartUpload ListMultipartUploadParts"), frozenset()),
    READ_ACP: (_s3("GetBucketAcl"), _s3("GetObjectAcl GetObjectVersionAcl")),
    WRITE_ACP: (_s3("PutBucketAcl"), _s3("PutObjectAcl PutObjectVersionAcl")),
}
BUCKET_ACL_ACTIONS = {action: p for p, (on_bucket, _) in _GRANTED.items() for action in on_bucket}
OBJECT_ACL_ACTIONS = {action: p for p, (_, on_object) in _GRANTED.items() for action in on_object}
ACTION_PERMISSIONS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    **_GRANTED, FULL_CONTROL: (frozenset(BUCKET_ACL_ACTIONS), frozenset(OBJECT_ACL_ACTIONS))}


@dataclass(frozen=True)
class Grant:
    kind: str  # CanonicalUser or Group
    grantee: str  # canonical id or group URI
    permission: str
    display_name: str = ""

    def to_doc(self) -> list[str]:
        out = [self.kind, self.grantee, self.permission]
        return [*out, self.display_name] if self.display_name else out

    @classmethod
    def from_doc(cls, item: Sequence[str]) -> Grant:
        return cls(*(str(value) for value in item[:4]))


def owner_grant(owner_id: str) -> Grant:
    return Grant(CANONICAL_USER, owner_id, FULL_CONTROL)


def acl_doc(grants: Iterable[Grant]) -> dict[str, Any]:
    return {"grants": [grant.to_doc() for grant in grants]}


def grants_of(doc: Any, owner_id: str) -> tuple[Grant, ...]:
    """The grants of a stored document; None: the default, the owner's FULL_CONTROL."""
    if doc is None:
        return (owner_grant(owner_id),)
    return tuple(Grant.from_doc(item) for item in doc.get("grants", ()))


def is_public(acl: Any) -> bool:
    """A stored document granting AllUsers or AuthenticatedUsers anything."""
    items = acl.get("grants", ()) if acl is not None else ()
    return any(item[0] == GROUP and item[1] in PUBLIC_GROUPS for item in items)


def owner_only(grants: Sequence[Grant], owner_id: str) -> bool:
    """Grants that amount to the owner's FULL_CONTROL alone (ACLs disabled accept these)."""
    return bool(grants) and all((g.kind, g.grantee, g.permission) == (CANONICAL_USER, owner_id, FULL_CONTROL)
                                for g in grants)


def permits(acl: Any, owner_id: str, caller: str | None, permission: str,
            ignore_public: bool = False) -> bool:
    """Whether the ACL grants `caller` (a canonical id; None: anonymous) `permission`."""
    if caller == owner_id and permission in (READ_ACP, WRITE_ACP):
        return True
    items = ([CANONICAL_USER, owner_id, FULL_CONTROL],) if acl is None else acl.get("grants", ())
    for kind, who, granted, *_ in items:
        if granted != permission and granted != FULL_CONTROL:
            continue
        if kind == CANONICAL_USER:
            if caller is not None and who == caller:
                return True
        elif not ignore_public and (who == ALL_USERS or (who == AUTHENTICATED_USERS and caller is not None)):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Writing: canned ACLs, grant headers, the AccessControlPolicy document


def canned_grants(name: str, owner_id: str) -> list[Grant]:
    extra = CANNED.get(name)
    if extra is None:
        raise S3Error("InvalidArgument", ArgumentName="x-amz-acl", ArgumentValue=name)
    return [owner_grant(owner_id), *(Grant(*grant) for grant in extra)]


def grantee(kind: str, value: str, resolve: Resolve) -> tuple[str, str, str]:
    """(kind, grantee, display name) of an `id`, `uri` or `emailAddress` grantee."""
    if kind == "id":
        name = resolve(value)
        if name is None:
            raise S3Error("InvalidArgument", "Invalid id", ArgumentName="CanonicalUser/ID",
                          ArgumentValue=value)
        return CANONICAL_USER, value, name
    if kind == "uri":
        if value not in GROUPS:
            raise S3Error("InvalidArgument", "Invalid group uri", ArgumentName="Group/URI",
                          ArgumentValue=value)
        return GROUP, value, ""
    if kind == "emailaddress":
        raise S3Error("UnresolvableGrantByEmailAddress")
    raise ValueError(kind)


def parse_grant_header(header: str, value: str, permission: str, resolve: Resolve) -> list[Grant]:
    """`id="...", uri="..."`: the grants of one x-amz-grant-* header; InvalidArgument if malformed."""
    bad = S3Error("InvalidArgument", ArgumentName=header, ArgumentValue=value)
    out: list[Grant] = []
    for piece in value.split(","):
        key, equals, text = (part.strip() for part in piece.partition("="))
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1]
        if not equals or not text or '"' in text or key.lower() not in ("id", "uri", "emailaddress"):
            raise bad
        kind, who, name = grantee(key.lower(), text, resolve)
        out.append(Grant(kind, who, permission, name))
    return out


def header_grants(ctx: Context, owner_id: str, resolve: Resolve) -> tuple[str | None, list[Grant]] | None:
    """The ACL a request's headers ask for: (canned name or None, grants); None: no ACL header.
    Both forms at once is InvalidRequest."""
    canned = ctx.header("x-amz-acl")
    canned = canned.strip() if canned is not None else None
    sent = [(header, permission, value) for header, permission in GRANT_HEADERS
            if (value := ctx.header(header)) is not None]
    if canned is not None and sent:
        raise S3Error("InvalidRequest", BOTH_FORMS)
    if canned is not None:
        return canned, canned_grants(canned, owner_id)
    if not sent:
        return None
    grants = [g for header, permission, value in sent
              for g in parse_grant_header(header, value, permission, resolve)]
    if len(grants) > MAX_GRANTS:
        raise S3Error("InvalidArgument", "An ACL can have up to 100 grants")
    return None, list(dict.fromkeys(grants))


def malformed_acl() -> S3Error:
    return S3Error("MalformedACLError")


def _grant(element: Element) -> tuple[str, str, str]:
    """(grantee kind as the header names it, value, permission) of one <Grant>."""
    who = only(element, "Grantee")
    permission = fields(element).get("Permission")
    if who is None or permission not in PERMISSIONS or any(len(child) for child in who):
        raise malformed_acl()
    kind = who.attrib.get(f"{XSI} type") or who.attrib.get("type")
    values = fields(who)
    if kind is None:  # no xsi:type: what the grantee names says which it is
        kind = next((k for k, name in _GRANTEE_TYPES.items() if name in values), "")
    name = _GRANTEE_TYPES.get(kind)
    if name is None or not values.get(name, "").strip():
        raise malformed_acl()
    return _HEADER_KEYS[kind], values[name].strip(), str(permission)


_GRANTEE_TYPES = {CANONICAL_USER: "ID", GROUP: "URI", "AmazonCustomerByEmail": "EmailAddress"}
_HEADER_KEYS = {CANONICAL_USER: "id", GROUP: "uri", "AmazonCustomerByEmail": "emailaddress"}


def parse_access_control_policy(body: bytes, owner_id: str, resolve: Resolve) -> list[Grant]:
    """PutBucketAcl's and PutObjectAcl's document: its grants.  MalformedACLError when it is not
    S3's schema; AccessDenied when its Owner is not the resource's (as S3)."""
    try:
        root = parse_xml(body, MAX_ACL_BODY, max_elements=8 * MAX_GRANTS + 16)
        owner = only(root, "Owner")
        listed = only(root, "AccessControlList")
        if root.tag != "AccessControlPolicy" or owner is None or listed is None:
            raise malformed_acl()
        owner_fields = fields(owner)
        items = [_grant(g) for g in listed if g.tag == "Grant"]
    except XMLError as exc:
        if exc.code != "MalformedXML":
            raise
        raise malformed_acl() from exc
    if not owner_fields.get("ID", "").strip():
        raise malformed_acl()
    if owner_fields["ID"].strip() != owner_id:
        raise S3Error("AccessDenied")
    if len(items) > MAX_GRANTS:
        raise malformed_acl()
    grants = []
    for key, value, permission in items:
        kind, who, name = grantee(key, value, resolve)
        grants.append(Grant(kind, who, permission, name))
    return list(dict.fromkeys(grants))


def access_control_policy_xml(owner_id: str, owner_name: str, grants: Iterable[Grant]) -> bytes:
    """GetBucketAcl's and GetObjectAcl's answer, as S3 renders it."""
    def who(g: Grant) -> str:
        if g.kind == GROUP:
            return f'<Grantee xmlns:xsi="{XSI}" xsi:type="Group"><URI>{esc(g.grantee)}</URI></Grantee>'
        name = owner_name if g.grantee == owner_id else g.display_name
        shown = f"<DisplayName>{esc(name)}</DisplayName>" if name else ""
        return (f'<Grantee xmlns:xsi="{XSI}" xsi:type="CanonicalUser"><ID>{esc(g.grantee)}</ID>{shown}'
                "</Grantee>")

    body = "".join(f"<Grant>{who(g)}<Permission>{g.permission}</Permission></Grant>" for g in grants)
    return document("AccessControlPolicy", f"{owner_xml('Owner', (owner_id, owner_name))}"
                                           f"<AccessControlList>{body}</AccessControlList>")


# ---------------------------------------------------------------------------------------------
# A request's ACL, bounded by its bucket's settings


def acls_disabled(info: BucketInfo | None) -> bool:
    """OwnershipControls BucketOwnerEnforced: ACLs neither written nor counted."""
    config = info.config(OwnershipControlsConfig) if info is not None else None
    return config is not None and config.object_ownership == BUCKET_OWNER_ENFORCED


def ignores_public_acls(info: BucketInfo | None) -> bool:
    config = info.config(PublicAccessBlockConfig) if info is not None else None
    return config is not None and config.ignore_public_acls


def checked_acl(info: BucketInfo | None, canned: str | None, grants: list[Grant], owner_id: str
                ) -> Any | None:
    """The document to store for an ACL asked of the bucket `info` (or an object in it); None: the
    default.  AccessControlListNotSupported when ACLs are disabled, AccessDenied for a public
    ACL under BlockPublicAcls (see the module docstring)."""
    if acls_disabled(info):
        if canned == BUCKET_OWNER_FULL_CONTROL or (canned is None and owner_only(grants, owner_id)):
            return None
        raise S3Error("AccessControlListNotSupported", ACLS_DISABLED)
    if owner_only(grants, owner_id):
        return None
    doc = acl_doc(grants)
    block = info.config(PublicAccessBlockConfig) if info is not None else None
    if block is not None and block.block_public_acls and is_public(doc):
        raise S3Error("AccessDenied")
    return doc


def acl_from_headers(ctx: Context, owner_id: str) -> Any | None:
    """The ACL a write (CreateBucket, PutObject, CopyObject, CreateMultipartUpload) asks for in its
    headers, checked against the bucket's settings: the document to store, None for the default."""
    requested = header_grants(ctx, owner_id, ctx.directory.account_named)
    if requested is None:
        return None
    loaded = ctx.access.buckets if ctx.access is not None else {}
    info = None if ctx.operation == "CreateBucket" else loaded.get(ctx.bucket)
    return checked_acl(info, *requested, owner_id)
