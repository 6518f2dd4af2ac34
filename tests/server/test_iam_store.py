"""The identity store (server/iam/store.py), the directory of principals (iam/directory.py)
and temporary credentials (iam/sts.py), on a real engine's identity records."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cairn.engine.api import ObjectLayer
from cairn.server.context import UNSIGNED, Identity
from cairn.server.iam.directory import Directory, PrincipalError
from cairn.server.iam.store import Identities, IdentityError, SecretBox
from cairn.server.iam.sts import TokenError, TokenService

ROOT, PASSWORD = "root-user", "root-password"
READ_B = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})


@pytest.fixture
def layer(tmp_path: Path) -> Iterator[ObjectLayer]:
    with ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(4)]) as layer:
        yield layer


@pytest.fixture
def directory(layer: ObjectLayer) -> Directory:
    return Directory(layer.iam, ROOT, PASSWORD)


def who(access_key: str | None, token: str | None = None) -> Identity:
    return Identity(access_key, "v4-header", UNSIGNED, token)


def test_users_groups_and_policies(directory: Directory) -> None:
    ids = directory.identities
    ids.add_user("alice", "alice-secret")
    ids.add_policy("read-b", READ_B)
    ids.attach(["read-b"], user="alice")
    assert directory.secret_for("alice") == "alice-secret"
    ids.update_group_members("readers", ["alice"])
    ids.attach(["readonly"], group="readers")  # a canned policy
    principal = directory.principal(who("alice"))
    assert principal.kind == "user" and principal.account == "alice"
    assert len(principal.policies) == 2
    ids.set_group_status("readers", "disabled")
    assert len(directory.principal(who("alice")).policies) == 1  # a disabled group's policies drop
    with pytest.raises(IdentityError) as info:
        ids.remove_policy("read-b")
    assert info.value.kind == "PolicyInUse"
    with pytest.raises(IdentityError) as info:
        ids.update_group_members("readers", [], remove=True)
    assert info.value.kind == "GroupNotEmpty"
    ids.set_user_status("alice", "disabled")
    assert directory.secret_for("alice") is None
    with pytest.raises(PrincipalError):
        directory.principal(who("alice"))
    ids.remove_user("alice")
    assert ids.group("readers") is not None and ids.group("readers").members == ()
    ids.update_group_members("readers", [], remove=True)
    assert ids.group("readers") is None
    ids.remove_policy("read-b")
    assert ids.policy("read-b") is None


@pytest.mark.parametrize(("call", "kind"), [
    (lambda ids: ids.add_user("ab", "long-enough"), "InvalidArgument"),  # too short
    (lambda ids: ids.add_user("a/b", "long-enough"), "InvalidArgument"),
    (lambda ids: ids.add_user("ASIAXXXXXXXXXXXXXXXX", "long-enough"), "InvalidArgument"),
    (lambda ids: ids.add_user("bob", "short"), "InvalidArgument"),
    (lambda ids: ids.add_user(ROOT, "long-enough"), "InvalidArgument"),
    (lambda ids: ids.set_user_status("nobody", "enabled"), "NoSuchUser"),
    (lambda ids: ids.update_group_members("g", ["nobody"]), "NoSuchUser"),
    (lambda ids: ids.add_policy("p", '{"Version": "2012-10-17", "Statement": []}'), "InvalidArgument"),
    (lambda ids: ids.add_policy("readwrite", READ_B), "InvalidArgument"),  # canned names are taken
    (lambda ids: ids.remove_policy("readonly"), "InvalidArgument"),
    (lambda ids: ids.attach(["nope"], user="bob"), "NoSuchPolicy"),
    (lambda ids: ids.delete_service_account("nope"), "NoSuchServiceAccount"),
])
def test_refusals_change_nothing(directory: Directory, call, kind: str) -> None:  # type: ignore[no-untyped-def]
    ids = directory.identities
    before = dict(directory.records.snapshot())
    with pytest.raises(IdentityError) as info:
        call(ids)
    assert info.value.kind == kind
    assert dict(directory.records.snapshot()) == before


def test_secrets_are_sealed_and_resealed_under_new_root_credentials(layer: ObjectLayer) -> None:
    ids = Identities(layer.iam, ROOT, PASSWORD)
    assert ids.reseal() == "fresh"
    ids.add_user("carol", "carol-secret")
    stored = layer.iam.get("user", "carol")
    assert "carol-secret" not in json.dumps(stored)
    with pytest.raises(IdentityError):  # a sealed secret is bound to its access key
        SecretBox(ROOT, PASSWORD).open("dave", stored["secret"])
    moved = Identities(layer.iam, "new-root", "new-password")
    assert moved.reseal() == "stale"  # the old credentials are needed to open them
    assert moved.reseal(ROOT, "wrong") == "stale"
    assert moved.reseal(ROOT, PASSWORD) == "resealed 1"
    assert moved.user("carol").secret == "carol-secret"
    assert Identities(layer.iam, "new-root", "new-password").reseal() == "current"


def test_service_accounts_inherit_and_narrow(directory: Directory) -> None:
    ids = directory.identities
    ids.add_user("erin", "erin-secret")
    ids.attach(["readwrite"], user="erin")
    ids.add_service_account("erin", "erin-app", "app-secret-key", READ_B, name="app")
    assert directory.secret_for("erin-app") == "app-secret-key"
    principal = directory.principal(who("erin-app"))
    assert principal.kind == "svcacct" and principal.account == "erin"
    assert len(principal.policies) == 1 and len(principal.sessions) == 1
    with pytest.raises(IdentityError):
        ids.add_user("erin-app", "some-secret")  # taken by the key
    ids.update_service_account("erin-app", status="off")
    assert directory.secret_for("erin-app") is None
    ids.update_service_account("erin-app", status="on", expiry_ns=time.time_ns() - 1)
    assert directory.secret_for("erin-app") is None  # expired
    ids.update_service_account("erin-app", expiry_ns=0)
    ids.set_user_status("erin", "disabled")
    assert directory.secret_for("erin-app") is None  # a disabled parent's keys stop
    ids.set_user_status("erin", "enabled")
    ids.remove_user("erin")
    assert ids.service_account("erin-app") is None


def test_session_tokens() -> None:
    tokens = TokenService(ROOT, PASSWORD)
    now = int(time.time())
    issued = tokens.issue("alice", (READ_B,), now, 900)
    assert tokens.secret_for(issued.access_key) == issued.secret_key
    session = tokens.verify(issued.access_key, issued.token, now)
    assert session.parent == "alice" and session.policies == (READ_B,)
    with pytest.raises(TokenError) as info:
        tokens.verify(issued.access_key, issued.token, now + 900)
    assert info.value.code == "ExpiredToken"
    other = tokens.issue("alice", (), now, 900)
    flipped = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    for access_key, token in ((other.access_key, issued.token), (issued.access_key, None),
                              (issued.access_key, flipped), (issued.access_key, "a.b.c")):
        with pytest.raises(TokenError) as info:
            tokens.verify(access_key, token, now)
        assert info.value.code == "InvalidToken"
    with pytest.raises(TokenError):  # other root credentials: every session is void
        TokenService(ROOT, "changed").verify(issued.access_key, issued.token, now)


def test_a_session_of_a_removed_user_is_refused(directory: Directory) -> None:
    directory.identities.add_user("frank", "frank-secret")
    issued = directory.tokens.issue("frank", (), int(time.time()), 900)
    assert directory.principal(who(issued.access_key, issued.token)).kind == "sts"
    directory.identities.remove_user("frank")
    with pytest.raises(PrincipalError):
        directory.principal(who(issued.access_key, issued.token))
