"""The authorization decision (server/authorization.py): how identity, group, session and bucket
policies and the owner's grant combine, as AWS's evaluation logic says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cairn.engine.api import ObjectLayer, PolicyConfig
from cairn.server.authorization import Access, request_context
from cairn.server.context import UNSIGNED, Identity
from cairn.server.iam.directory import Directory

ROOT = "root-user"


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str, resource: str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str, resource: str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


class FakeRequest:
    def __init__(self, headers: dict[str, str] | None = None) -> None:
        self.header_map = headers or {}
        self.query_map: dict[str, str] = {}

    @property
    def headers(self) -> list[tuple[str, str]]:
        return list(self.header_map.items())

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.header_map.get(name, default)


class FakeContext:
    def __init__(self, layer: ObjectLayer, directory: Directory, identity: Identity) -> None:
        self.layer, self.directory, self.identity = layer, directory, identity
        self.request = FakeRequest()
        self.query: dict[str, str] = {}
        self.source_ip = "10.1.2.3"
        self.header = self.request.header


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[ObjectLayer, Directory]]:
    with ObjectLayer.open([str(tmp_path / "d1")]) as layer:
        directory = Directory(layer.iam, ROOT, "root-password")
        ids = directory.identities
        for name in ("alice", "bob", "carol"):
            ids.add_user(name, f"{name}-secret")
        layer.create_bucket("shared", owner="alice")
        layer.create_bucket("rootbkt")
        yield layer, directory


def access(world: tuple[ObjectLayer, Directory], key: str | None) -> Access:
    layer, directory = world
    ctx: Any = FakeContext(layer, directory, Identity(key, "v4-header" if key else "anonymous", UNSIGNED))
    a = Access(ctx, directory.principal(ctx.identity))
    for b in ("shared", "rootbkt"):
        a.buckets[b] = layer.lookup_bucket(b)
    return a


def test_a_user_with_no_policy_gets_only_the_owner_grant(world) -> None:  # type: ignore[no-untyped-def]
    alice, bob = access(world, "alice"), access(world, "bob")
    assert alice.allows("s3:PutObject", "shared", "k") and alice.allows("s3:ListBucket", "shared")
    assert not alice.allows("s3:PutBucketPolicy", "shared")  # not an ACL permission
    assert not alice.allows("s3:GetObject", "rootbkt", "k")
    assert not bob.allows("s3:GetObject", "shared", "k")  # another's private bucket
    assert not access(world, None).allows("s3:GetObject", "shared", "k")


def test_identity_group_and_deny(world) -> None:  # type: ignore[no-untyped-def]
    _, directory = world
    ids = directory.identities
    ids.add_policy("all-s3", doc(allow("s3:*", "arn:aws:s3:::*")))
    ids.add_policy("no-secret", doc(deny("s3:GetObject", "arn:aws:s3:::*/secret/*")))
    ids.attach(["all-s3"], user="bob")
    ids.update_group_members("locked", ["bob"])
    ids.attach(["no-secret"], group="locked")
    bob = access(world, "bob")
    assert bob.allows("s3:GetObject", "shared", "public/x")
    assert not bob.allows("s3:GetObject", "shared", "secret/x")  # the group's Deny wins
    assert bob.allows("s3:PutObject", "rootbkt", "secret/x")


def test_bucket_policy_grants_and_denies_even_the_root(world) -> None:  # type: ignore[no-untyped-def]
    layer, _ = world
    layer.put_bucket_config("rootbkt", PolicyConfig(doc(
        allow("s3:GetObject", "arn:aws:s3:::rootbkt/bob/*", Principal={"AWS": "arn:aws:iam:::user/bob"}),
        allow("s3:ListBucket", "arn:aws:s3:::rootbkt", Principal="*",
              Condition={"StringLike": {"s3:prefix": "pub/*"}}),
        deny("s3:DeleteObject", "arn:aws:s3:::rootbkt/*", Principal="*"))))
    bob, carol, root = access(world, "bob"), access(world, "carol"), access(world, ROOT)
    anon = access(world, None)
    assert bob.allows("s3:GetObject", "rootbkt", "bob/a")
    assert not carol.allows("s3:GetObject", "rootbkt", "bob/a")
    assert not bob.allows("s3:GetObject", "rootbkt", "other")
    assert not anon.allows("s3:ListBucket", "rootbkt")  # no s3:prefix in the request
    assert anon.allows("s3:ListBucket", "rootbkt", extra={"s3:prefix": ["pub/x"]})
    assert not root.allows("s3:DeleteObject", "rootbkt", "k")
    assert root.allows("s3:PutObject", "rootbkt", "k")


def test_session_policies_narrow_and_never_widen(world) -> None:  # type: ignore[no-untyped-def]
    _, directory = world
    ids = directory.identities
    ids.attach(["readonly"], user="carol")
    ids.add_service_account("carol", "carol-key", "carol-key-secret",
                            doc(allow("s3:*", "arn:aws:s3:::shared/*")))
    key = access(world, "carol-key")
    assert key.allows("s3:GetObject", "shared", "x")  # parent allows, session allows
    assert not key.allows("s3:GetObject", "rootbkt", "x")  # parent allows, session does not
    assert not key.allows("s3:PutObject", "shared", "x")  # session allows, parent does not
    issued = directory.tokens.issue(ROOT, (doc(allow("s3:GetObject", "*")),), 2_000_000_000, 900)
    layer = world[0]
    ctx: Any = FakeContext(layer, directory, Identity(issued.access_key, "v4-header", UNSIGNED, issued.token))
    root_session = Access(ctx, directory.principal(ctx.identity))
    root_session.buckets["rootbkt"] = layer.lookup_bucket("rootbkt")
    assert root_session.allows("s3:GetObject", "rootbkt", "x")
    assert not root_session.allows("s3:PutObject", "rootbkt", "x")


def test_request_context_keys(world) -> None:  # type: ignore[no-untyped-def]
    layer, directory = world
    ctx: Any = FakeContext(layer, directory, Identity("bob", "v4-query", UNSIGNED))
    ctx.request.header_map.update({"x-amz-acl": "public-read", "x-amz-tagging": "a=1&b=2", "referer": "r"})
    ctx.query.update({"prefix": "p/", "versionId": "v1"})
    keys = request_context(ctx, directory.principal(ctx.identity))
    assert keys["aws:sourceip"] == ["10.1.2.3"] and keys["aws:username"] == ["bob"]
    assert keys["s3:prefix"] == ["p/"] and keys["s3:versionid"] == ["v1"]
    assert keys["s3:x-amz-acl"] == ["public-read"] and keys["s3:requestobjecttag/a"] == ["1"]
    assert keys["s3:requestobjecttagkeys"] == ["a", "b"] and keys["s3:authtype"] == ["REST-QUERY-STRING"]
    assert keys["aws:referer"] == ["r"] and keys["aws:securetransport"] == ["false"]


def test_restrict_public_buckets_closes_a_public_policy_to_anonymous_callers(world) -> None:  # type: ignore[no-untyped-def]
    from cairn.engine.api import PublicAccessBlockConfig

    layer, _ = world
    layer.put_bucket_config("rootbkt", PolicyConfig(doc(
        allow("s3:GetObject", "arn:aws:s3:::rootbkt/*", Principal="*"))))
    assert access(world, None).allows("s3:GetObject", "rootbkt", "k")
    assert access(world, "bob").allows("s3:GetObject", "rootbkt", "k")
    layer.put_bucket_config("rootbkt", PublicAccessBlockConfig(restrict_public_buckets=True))
    assert not access(world, None).allows("s3:GetObject", "rootbkt", "k")
    assert access(world, "bob").allows("s3:GetObject", "rootbkt", "k")  # a principal of the deployment
