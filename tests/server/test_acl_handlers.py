"""The ACL, public access block and ownership controls handlers with a real ObjectLayer, each
request through the pipeline's authorization step and its handler (no HTTP): who may then do
what, as the stored ACLs and the bucket's settings say."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import trio

from cairn.engine.api import ObjectLayer, ObjectOptions, PublicAccessBlockConfig, VersioningConfig
from cairn.engine.errors import EngineError
from cairn.server.acl import ALL_USERS
from cairn.server.authorization import Access, authorize
from cairn.server.context import UNSIGNED, Context, Identity, Response, ServerConfig
from cairn.server.errors import S3Error, from_engine
from cairn.server.handlers import HANDLERS
from cairn.server.handlers.public_access import refuse_public_policy
from cairn.server.iam.directory import Directory, canonical_id
from cairn.server.iam.policy import parse_policy

ROOT = "root-user"
ROOT_ID, ALICE_ID, BOB_ID = canonical_id(ROOT), canonical_id("alice"), canonical_id("bob")
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'


class Req:
    def __init__(self, method: str, headers: dict[str, str], query: dict[str, str]) -> None:
        self.method, self.target, self.path, self.raw_path = method, "/", "/", "/"
        self.headers = list(headers.items())
        self.query = list(query.items())
        self.header_map, self.query_map = headers, query

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.header_map.get(name, default)

    @property
    def content_length(self) -> int | None:
        value = self.header_map.get("content-length")
        return None if value is None else int(value)


class World:
    def __init__(self, layer: ObjectLayer, directory: Directory) -> None:
        self.layer, self.directory = layer, directory

    def call(self, operation: str, bucket: str, key: str | None = None, *, user: str | None = ROOT,
             headers: dict[str, str] | None = None, query: dict[str, str] | None = None,
             body: bytes = b"") -> Response:
        """The request through authorize() and its handler; an S3Error is raised."""
        async def payload() -> AsyncGenerator[bytes, None]:
            if body:
                yield body

        async def main() -> Response:
            method = "GET" if operation.startswith(("Get", "List", "Head")) else "PUT"
            identity = Identity(user, "v4-header" if user else "anonymous", UNSIGNED)
            ctx = Context(Req(method, headers or {}, query or {}), operation, bucket, key, identity, "r",
                          self.layer, ServerConfig(root_user=ROOT, root_password="root-password"),
                          trio.CapacityLimiter(4), trio.CapacityLimiter(4), payload(), {}, self.directory)
            await authorize(ctx)
            try:
                return await HANDLERS[operation](ctx)
            except EngineError as exc:
                raise from_engine(exc) from exc

        return trio.run(main)

    def refused(self, operation: str, bucket: str, key: str | None = None, **kw: Any) -> S3Error:
        with pytest.raises(S3Error) as caught:
            self.call(operation, bucket, key, **kw)
        return caught.value

    def allowed(self, operation: str, bucket: str, key: str | None = None, **kw: Any) -> bool:
        try:
            self.call(operation, bucket, key, **kw)
        except S3Error as exc:
            assert exc.code == "AccessDenied", exc
            return False
        return True


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with ObjectLayer.open([str(tmp_path / "d1")]) as layer:
        directory = Directory(layer.iam, ROOT, "root-password")
        for name in ("alice", "bob"):
            directory.identities.add_user(name, f"{name}-secret")
        layer.create_bucket("pics", owner="alice")
        for key in ("a.jpg", "b.jpg"):
            layer.put_object("pics", key, b"data")
        yield World(layer, directory)


def body_of(resp: Response) -> bytes:
    assert isinstance(resp.body, bytes)
    return resp.body


def test_the_default_acl_is_the_owners_full_control(world: World) -> None:
    shown = body_of(world.call("GetBucketAcl", "pics", user="alice")).decode()
    assert f"<Owner><ID>{ALICE_ID}</ID><DisplayName>alice</DisplayName></Owner>" in shown
    assert shown.count("<Grant>") == 1 and "<Permission>FULL_CONTROL</Permission>" in shown
    assert body_of(world.call("GetObjectAcl", "pics", "a.jpg", user="alice")) == body_of(
        world.call("GetBucketAcl", "pics", user="alice"))
    assert not world.allowed("GetBucketAcl", "pics", user="bob")


def test_a_public_read_bucket_lists_for_anyone(world: World) -> None:
    assert not world.allowed("ListObjects", "pics", user=None)
    world.call("PutBucketAcl", "pics", user="alice", headers={"x-amz-acl": "public-read"})
    assert world.allowed("ListObjects", "pics", user=None)
    assert world.allowed("ListObjects", "pics", user="bob")
    assert not world.allowed("GetObject", "pics", "a.jpg", user=None)  # bucket READ is not object READ
    assert not world.allowed("PutObject", "pics", "c.jpg", user=None)
    world.call("PutBucketAcl", "pics", user="alice", headers={"x-amz-acl": "private"})
    assert not world.allowed("ListObjects", "pics", user=None)


def test_an_objects_acl_opens_that_object_only(world: World) -> None:
    world.call("PutObjectAcl", "pics", "a.jpg", user="alice", headers={"x-amz-acl": "public-read"})
    assert world.allowed("GetObject", "pics", "a.jpg", user=None)
    assert world.allowed("HeadObject", "pics", "a.jpg", user="bob")
    assert not world.allowed("GetObject", "pics", "b.jpg", user=None)
    assert not world.allowed("GetObjectAcl", "pics", "a.jpg", user=None)  # READ, not READ_ACP
    # An object that does not exist is refused like a private one: nothing is learned.
    assert world.refused("GetObject", "pics", "nothing", user=None).code == "AccessDenied"


def test_grants_to_a_user_by_canonical_id(world: World) -> None:
    world.call("PutObjectAcl", "pics", "b.jpg", user="alice",
               headers={"x-amz-grant-read": f'id="{BOB_ID}"', "x-amz-grant-read-acp": f'id="{BOB_ID}"'})
    assert world.allowed("GetObject", "pics", "b.jpg", user="bob")
    shown = body_of(world.call("GetObjectAcl", "pics", "b.jpg", user="bob")).decode()
    assert f"<ID>{BOB_ID}</ID><DisplayName>bob</DisplayName>" in shown
    assert not world.allowed("GetObject", "pics", "b.jpg", user=None)
    assert not world.allowed("PutObjectAcl", "pics", "b.jpg", user="bob", headers={"x-amz-acl": "private"})
    # The owner keeps FULL_CONTROL though the ACL names only bob.
    assert world.allowed("GetObject", "pics", "b.jpg", user="alice")
    world.call("PutBucketAcl", "pics", user="alice", headers={"x-amz-grant-write": f'id="{BOB_ID}"'})
    assert world.allowed("PutObject", "pics", "new", user="bob", headers={"content-length": "0"})
    assert world.allowed("DeleteObject", "pics", "new", user="bob")


def test_versioned_acls_are_per_version(world: World) -> None:
    world.layer.put_bucket_config("pics", VersioningConfig("Enabled"))
    old = world.layer.put_object("pics", "v", b"1").version_id
    world.layer.put_object("pics", "v", b"2")
    world.call("PutObjectAcl", "pics", "v", user="alice", query={"versionId": old},
               headers={"x-amz-acl": "public-read"})
    assert world.allowed("GetObject", "pics", "v", user=None, query={"versionId": old})
    assert not world.allowed("GetObject", "pics", "v", user=None)
    assert world.layer.head_object("pics", "v", ObjectOptions(version_id=old)).acl is not None


def test_put_acl_takes_one_source(world: World) -> None:
    assert world.refused("PutBucketAcl", "pics", user="alice").code == "MissingSecurityHeader"
    body = (f"<AccessControlPolicy {NS}><Owner><ID>{ALICE_ID}</ID></Owner><AccessControlList>"
            "</AccessControlList></AccessControlPolicy>").encode()
    err = world.refused("PutBucketAcl", "pics", user="alice", body=body, headers={"x-amz-acl": "private"})
    assert err.code == "UnexpectedContent"
    world.call("PutBucketAcl", "pics", user="alice", body=body)  # every grant revoked ...
    assert world.allowed("ListObjects", "pics", user="alice")  # ... but the owner's
    wrong_owner = body.replace(ALICE_ID.encode(), BOB_ID.encode())
    assert world.refused("PutBucketAcl", "pics", user="alice", body=wrong_owner).code == "AccessDenied"


def test_ignore_and_block_public_acls(world: World) -> None:
    world.call("PutBucketAcl", "pics", user="alice", headers={"x-amz-acl": "public-read"})
    world.call("PutObjectAcl", "pics", "a.jpg", user="alice", headers={"x-amz-acl": "public-read"})
    assert world.refused("GetPublicAccessBlock", "pics", user=ROOT).status == 404
    ignore = f"<PublicAccessBlockConfiguration {NS}><IgnorePublicAcls>true</IgnorePublicAcls>" \
             "</PublicAccessBlockConfiguration>"
    world.call("PutPublicAccessBlock", "pics", user=ROOT, body=ignore.encode())
    assert not world.allowed("ListObjects", "pics", user=None)
    assert not world.allowed("GetObject", "pics", "a.jpg", user=None)
    shown = body_of(world.call("GetPublicAccessBlock", "pics", user=ROOT)).decode()
    assert shown.endswith(f"<PublicAccessBlockConfiguration {NS}><BlockPublicAcls>false</BlockPublicAcls>"
                          "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy>"
                          "<RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>")
    block = ignore.replace("IgnorePublicAcls", "BlockPublicAcls")
    world.call("PutPublicAccessBlock", "pics", user=ROOT, body=block.encode())
    assert world.allowed("ListObjects", "pics", user=None)  # stored ACLs stand
    for operation, key in (("PutBucketAcl", None), ("PutObjectAcl", "a.jpg")):
        err = world.refused(operation, "pics", key, user="alice", headers={"x-amz-acl": "authenticated-read"})
        assert err.code == "AccessDenied"
    world.call("PutObjectAcl", "pics", "a.jpg", user="alice", headers={"x-amz-grant-read": f'id="{BOB_ID}"'})
    world.call("DeletePublicAccessBlock", "pics", user=ROOT)
    assert world.refused("GetPublicAccessBlock", "pics", user=ROOT).code == \
        "NoSuchPublicAccessBlockConfiguration"


def test_bucket_owner_enforced_disables_acls(world: World) -> None:
    world.call("PutObjectAcl", "pics", "a.jpg", user="alice", headers={"x-amz-acl": "public-read"})
    enforced = f"<OwnershipControls {NS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>" \
               "</Rule></OwnershipControls>"
    world.call("PutBucketOwnershipControls", "pics", user=ROOT, body=enforced.encode())
    assert body_of(world.call("GetBucketOwnershipControls", "pics", user=ROOT)).decode().endswith(enforced)
    assert not world.allowed("GetObject", "pics", "a.jpg", user=None)  # the stored grant counts no more
    shown = body_of(world.call("GetObjectAcl", "pics", "a.jpg", user="alice")).decode()
    assert shown.count("<Grant>") == 1 and ALL_USERS not in shown
    err = world.refused("PutBucketAcl", "pics", user="alice", headers={"x-amz-acl": "public-read"})
    assert (err.code, err.message, err.status) == ("AccessControlListNotSupported",
                                                   "The bucket does not allow ACLs", 400)
    world.call("PutBucketAcl", "pics", user="alice", headers={"x-amz-acl": "bucket-owner-full-control"})
    world.call("DeleteBucketOwnershipControls", "pics", user=ROOT)
    assert world.refused("GetBucketOwnershipControls", "pics", user=ROOT).code == \
        "OwnershipControlsNotFoundError"
    assert world.allowed("GetObject", "pics", "a.jpg", user=None)


def test_ownership_controls_refusals(world: World) -> None:
    bad = f"<OwnershipControls {NS}><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule></OwnershipControls>"
    assert world.refused("PutBucketOwnershipControls", "pics", user=ROOT, body=bad.encode()).code == \
        "MalformedXML"
    world.call("PutBucketAcl", "pics", user="alice", headers={"x-amz-acl": "public-read"})
    enforced = bad.replace("Mine", "BucketOwnerEnforced").encode()
    err = world.refused("PutBucketOwnershipControls", "pics", user=ROOT, body=enforced)
    assert err.code == "InvalidBucketAclWithObjectOwnership"


def test_create_bucket_with_acl_headers(world: World) -> None:
    world.call("CreateBucket", "open", user=ROOT, headers={"x-amz-acl": "public-read-write"})
    assert world.allowed("ListObjects", "open", user=None)
    assert world.allowed("PutObject", "open", "k", user=None, headers={"content-length": "0"})
    err = world.refused("CreateBucket", "closed", headers={"x-amz-acl": "public-read",
                                                            "x-amz-object-ownership": "BucketOwnerEnforced"})
    assert err.code == "InvalidBucketAclWithObjectOwnership"
    world.call("CreateBucket", "closed", headers={"x-amz-object-ownership": "BucketOwnerEnforced"})
    err = world.refused("PutObject", "closed", "k", headers={"x-amz-acl": "public-read",
                                                              "content-length": "0"})
    assert err.code == "AccessControlListNotSupported"


def test_the_root_and_allowed_requests_never_read_the_object(world: World) -> None:
    class NoHead:
        def __getattr__(self, name: str) -> Any:
            if name == "head_object":
                raise AssertionError("the object was read")
            return getattr(world.layer, name)

    class Ctx:
        def __init__(self) -> None:
            self.layer, self.directory, self.source_ip = NoHead(), world.directory, ""
            self.query: dict[str, str] = {}
            self.identity = Identity(None, "v4-header", UNSIGNED)
            self.request = SimpleNamespace(headers=[])

        def header(self, name: str) -> None:
            return None

    for user in (ROOT, "alice"):  # the root user; the owner (its FULL_CONTROL)
        ctx: Any = Ctx()
        access = Access(ctx, world.directory.principal(Identity(user, "v4-header", UNSIGNED)))
        access.buckets["pics"] = world.layer.lookup_bucket("pics")
        assert trio.run(access.allows_async, "s3:GetObject", "pics", "a.jpg")


def test_refuse_public_policy(world: World) -> None:
    public = parse_policy('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
                          '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::pics/*"}]}', "bucket", "pics")
    ctx: Any = None
    refuse_public_policy(ctx, world.layer.head_bucket("pics"), public)  # no block: fine
    info = world.layer.put_bucket_config("pics", PublicAccessBlockConfig(block_public_policy=True))
    with pytest.raises(S3Error) as caught:
        refuse_public_policy(ctx, info, public)
    assert caught.value.code == "AccessDenied"
