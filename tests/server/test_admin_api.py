"""server/admin: MinIO's admin API handlers, run on a real Context, a real identity store and the
real authorization step over one temporary drive; only HTTP is left out.

Requests are built as madmin v3.0.96 builds them (plain JSON, a policy document, or JSON sealed
with crypto.encrypt_data under the caller's secret key) and answers are read as madmin reads them.
Argon2id costs about 0.1 s a derivation, and an encrypted exchange takes four, so every test but
those asking for `real_kdf` swaps the key derivation for a cheap one (`fast_kdf`): the stream format
is the same, and test_admin_crypto.py checks the real derivation against Go's.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import trio

from cairn.engine.api import ObjectLayer
from cairn.server.admin import crypto
from cairn.server.admin.crypto import decrypt_data, encrypt_data
from cairn.server.admin.handlers import handle_admin_api
from cairn.server.authorization import authorize
from cairn.server.context import Context, Identity, PayloadMode, ServerConfig
from cairn.server.http import Request
from cairn.server.iam.directory import Directory
from cairn.server.iam.store import Identities

ROOT, ROOT_SECRET = "rootadmin", "rootpassword"
READWRITE_DOC = {"Version": "2012-10-17",
                 "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]}]}
LIST_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket"],
                                                     "Resource": ["arn:aws:s3:::photos"]}]}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def code(self) -> str:
        return str(self.json()["Code"])

    def opened(self, password: str) -> Any:
        return orjson.loads(decrypt_data(password, self.body))


class Env:
    def __init__(self, layer: ObjectLayer) -> None:
        self.layer = layer
        self.directory = Directory(layer.iam, ROOT, ROOT_SECRET)
        self.config = ServerConfig(root_user=ROOT, root_password=ROOT_SECRET)

    @property
    def ids(self) -> Identities:
        return self.directory.identities

    def call(self, method: str, api: str, query: list[tuple[str, str]] | dict[str, str] | None = None,
             body: bytes = b"", *, key: str = ROOT, headers: dict[str, str] | None = None) -> Reply:
        pairs = list(query.items()) if isinstance(query, dict) else list(query or [])
        head = [("host", "127.0.0.1:9000"), ("content-length", str(len(body))), *(headers or {}).items()]
        path = f"/minio/admin/{api}"
        request = Request(method, path, path, path, pairs, head)

        async def payload() -> Any:
            if body:
                yield body

        async def main() -> Any:
            limiter = trio.CapacityLimiter(4)
            identity = Identity(key, "v4-header", PayloadMode("unsigned"))
            ctx = Context(request, "AdminApi", None, api, identity, "REQ1", self.layer, self.config, limiter,
                          limiter, payload(), directory=self.directory)
            await authorize(ctx)
            return await handle_admin_api(ctx)

        resp = trio.run(main)
        assert isinstance(resp.body, bytes)
        return Reply(resp.status, dict(resp.headers), resp.body)

    def sealed(self, method: str, api: str, value: Any, query: dict[str, str] | None = None, *,
               key: str = ROOT, secret: str = ROOT_SECRET, headers: dict[str, str] | None = None) -> Reply:
        sealed = encrypt_data(secret, orjson.dumps(value))
        return self.call(method, api, query, sealed, key=key, headers=headers)

    def user(self, name: str, secret: str, *policies: str) -> None:
        self.ids.add_user(name, secret)
        if policies:
            self.ids.attach(policies, user=name)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    layer = ObjectLayer.open([str(tmp_path / "d1")])
    try:
        yield Env(layer)
    finally:
        layer.close()


@pytest.fixture
def real_kdf() -> None:
    """Asked for by the tests that keep madmin's real Argon2id key derivation."""


@pytest.fixture(autouse=True)
def fast_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "real_kdf" not in request.fixturenames:
        monkeypatch.setattr(crypto, "_derive_key",
                            lambda alg, secret, salt: hashlib.sha256(secret + salt).digest())


def add_user(env: Env, name: str, new_secret: str, status: str = "enabled", **kw: Any) -> Reply:
    return env.sealed("PUT", "v3/add-user", {"secretKey": new_secret, "status": status}, {"accessKey": name},
                      **kw)


# -- users ------------------------------------------------------------------------------------


def test_add_user_then_list_users_with_the_real_key_derivation(env: Env, real_kdf: None) -> None:
    assert add_user(env, "alice", "alice-secret").status == 200
    reply = env.call("GET", "v3/list-users")
    assert reply.status == 200 and reply.headers["Content-Type"] == "application/json"
    users = reply.opened(ROOT_SECRET)
    assert users["alice"]["status"] == "enabled" and "secretKey" not in users["alice"]
    assert env.directory.secret_for("alice") == "alice-secret"


def test_user_info_is_plain_json_with_policies_and_groups(env: Env) -> None:
    env.user("bob", "bob-secret", "readonly")
    env.ids.update_group_members("devs", ["bob"])
    info = env.call("GET", "v3/user-info", {"accessKey": "bob"}).json()
    assert info["policyName"] == "readonly" and info["status"] == "enabled" and info["memberOf"] == ["devs"]
    assert info["updatedAt"].endswith("Z")


def test_add_user_refusals(env: Env) -> None:
    assert (r := add_user(env, ROOT, "whatever-1")).status == 403 and r.code == "XMinioInvalidIAMCredentials"
    assert (r := add_user(env, "carol", "short")).status == 400 and r.code == "XMinioAdminInvalidArgument"
    bad = env.call("PUT", "v3/add-user", {"accessKey": "carol"}, b"not encrypted at all, just text")
    assert bad.status == 400 and bad.code == "XMinioAdminConfigBadJSON"
    wrong = add_user(env, "carol", "carol-secret", secret="not-the-root-secret")
    assert wrong.status == 400 and wrong.code == "XMinioAdminConfigBadJSON"
    assert (r := add_user(env, " carol", "carol-secret")).status == 400 and r.code == "XMinioInvalidResource"
    missing = env.sealed("PUT", "v3/add-user", {"secretKey": "x" * 12})
    assert missing.status == 400 and missing.code == "InvalidRequest"
    big = env.call("PUT", "v3/add-user", {"accessKey": "carol"}, b"x" * ((1 << 20) + 1))
    assert big.status == 400 and big.code == "XMinioAdminConfigTooLarge"
    assert env.ids.user("carol") is None


def test_users_without_admin_rights(env: Env) -> None:
    env.user("dave", "dave-secret", "readwrite")
    env.user("erin", "erin-secret")
    denied = add_user(env, "mallory", "mallory-secret", key="dave", secret="dave-secret")
    assert denied.status == 403 and denied.code == "AccessDenied"
    assert env.call("GET", "v3/list-users", key="dave").code == "AccessDenied"
    assert env.call("GET", "v3/user-info", {"accessKey": "erin"}, key="dave").status == 403
    # ... but a user reads its own info and changes its own secret (MinIO's DenyOnly).
    assert env.call("GET", "v3/user-info", {"accessKey": "dave"}, key="dave").json()["status"] == "enabled"
    assert add_user(env, "dave", "dave-secret-2", key="dave", secret="dave-secret").status == 200
    assert env.directory.secret_for("dave") == "dave-secret-2"


def test_set_user_status_and_remove_user(env: Env) -> None:
    env.user("frank", "frank-secret")
    assert env.call("PUT", "v3/set-user-status", {"accessKey": "frank", "status": "disabled"}).status == 200
    assert env.ids.user("frank").status == "disabled"  # type: ignore[union-attr]
    assert env.directory.secret_for("frank") is None
    assert env.call("PUT", "v3/set-user-status", {"accessKey": "frank", "status": "enabled"}).status == 200
    assert env.call("PUT", "v3/set-user-status", {"accessKey": "frank", "status": "maybe"}).status == 400
    nobody = env.call("PUT", "v3/set-user-status", {"accessKey": "nobody", "status": "enabled"})
    assert nobody.status == 404 and nobody.code == "XMinioAdminNoSuchUser"
    assert env.call("PUT", "v3/set-user-status", {"accessKey": ROOT, "status": "disabled"}).status == 400
    assert env.call("DELETE", "v3/remove-user", {"accessKey": "frank"}).status == 200
    assert env.ids.user("frank") is None
    assert (r := env.call("DELETE", "v3/remove-user", {"accessKey": "frank"})).status == 404
    assert r.code == "XMinioAdminNoSuchUser"
    assert (r := env.call("DELETE", "v3/remove-user", {"accessKey": ROOT})).status == 403
    assert r.code == "XMinioIAMActionNotAllowed"


# -- groups -----------------------------------------------------------------------------------


def members(env: Env, group: str, names: list[str], remove: bool = False) -> Reply:
    doc = {"group": group, "members": names, "groupStatus": "", "isRemove": remove}
    return env.call("PUT", "v3/update-group-members", body=orjson.dumps(doc))


def test_groups_lifecycle(env: Env) -> None:
    env.user("gina", "gina-secret")
    env.user("hank", "hank-secret")
    assert members(env, "team", ["gina", "hank"]).status == 200
    env.ids.attach(["readonly"], group="team")
    desc = env.call("GET", "v3/group", {"group": "team"}).json()
    assert desc["name"] == "team" and desc["status"] == "enabled" and desc["policy"] == "readonly"
    assert sorted(desc["members"]) == ["gina", "hank"]
    assert env.call("GET", "v3/groups").json() == ["team"]
    assert env.call("PUT", "v3/set-group-status", {"group": "team", "status": "disabled"}).status == 200
    assert env.call("GET", "v3/group", {"group": "team"}).json()["status"] == "disabled"
    assert (r := members(env, "team", [], remove=True)).status == 400 and r.code == "XMinioAdminGroupNotEmpty"
    assert members(env, "team", ["gina", "hank"], remove=True).status == 200
    assert members(env, "team", [], remove=True).status == 200
    assert env.call("GET", "v3/groups").json() == []


def test_group_refusals(env: Env) -> None:
    assert (r := members(env, "team", ["ghost"])).status == 404 and r.code == "XMinioAdminNoSuchUser"
    assert (r := env.call("GET", "v3/group", {"group": "ghosts"})).status == 404
    assert r.code == "XMinioAdminNoSuchGroup"
    assert (r := members(env, "team", [ROOT])).status == 403 and r.code == "XMinioIAMActionNotAllowed"
    bad = env.call("PUT", "v3/update-group-members", body=b"{not json")
    assert bad.status == 400 and bad.code == "InvalidRequest"
    gone = env.call("PUT", "v3/set-group-status", {"group": "ghosts", "status": "enabled"})
    assert gone.status == 404 and gone.code == "XMinioAdminNoSuchGroup"
    env.user("ivan", "ivan-secret", "readwrite")
    assert members(env, "team", []).status == 200
    doc = orjson.dumps({"group": "team", "members": ["ivan"], "isRemove": False})
    assert env.call("PUT", "v3/update-group-members", body=doc, key="ivan").code == "AccessDenied"


# -- policies ---------------------------------------------------------------------------------


def add_policy(env: Env, name: str, doc: Any) -> Reply:
    body = doc if isinstance(doc, bytes) else orjson.dumps(doc)
    return env.call("PUT", "v3/add-canned-policy", {"name": name}, body)


def test_canned_policy_crud(env: Env) -> None:
    assert add_policy(env, "photos-list", LIST_ONLY).status == 200
    listed = env.call("GET", "v3/list-canned-policies").json()
    assert listed["photos-list"] == LIST_ONLY and "readwrite" in listed and "consoleAdmin" in listed
    assert env.call("GET", "v3/info-canned-policy", {"name": "photos-list"}).json() == LIST_ONLY
    info = env.call("GET", "v3/info-canned-policy", {"name": "photos-list", "v": "2"}).json()
    assert info["PolicyName"] == "photos-list" and info["Policy"] == LIST_ONLY and "CreateDate" in info
    canned = env.call("GET", "v3/info-canned-policy", {"name": "readonly", "v": "2"}).json()
    assert canned["PolicyName"] == "readonly" and "CreateDate" not in canned
    assert env.call("DELETE", "v3/remove-canned-policy", {"name": "photos-list"}).status == 200
    gone = env.call("GET", "v3/info-canned-policy", {"name": "photos-list"})
    assert gone.status == 404 and gone.code == "XMinioAdminNoSuchPolicy"


def test_canned_policy_refusals(env: Env) -> None:
    assert (r := add_policy(env, "bad", b"{nope")).status == 400 and r.code == "XMinioMalformedIAMPolicy"
    assert (r := add_policy(env, "v", {"Statement": LIST_ONLY["Statement"]})).code == "MalformedPolicy"
    bad_action = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Nope"],
                                                          "Resource": ["arn:aws:s3:::*"]}]}
    assert add_policy(env, "bad", bad_action).code == "XMinioMalformedIAMPolicy"
    assert (r := add_policy(env, "a,b", LIST_ONLY)).status == 400 and r.code == "PolicyInvalidName"
    assert add_policy(env, " spaced", LIST_ONLY).code == "XMinioInvalidResource"
    empty = env.call("PUT", "v3/add-canned-policy", {"name": "empty"})
    assert empty.status == 411 and empty.code == "MissingContentLength"
    env.user("jane", "jane-secret")
    assert add_policy(env, "photos-list", LIST_ONLY).status == 200
    env.ids.attach(["photos-list"], user="jane")
    busy = env.call("DELETE", "v3/remove-canned-policy", {"name": "photos-list"})
    assert busy.status == 400 and busy.code == "XMinioIAMPolicyInUse"
    assert env.call("DELETE", "v3/remove-canned-policy", {"name": "nothing"}).status == 404
    assert env.call("GET", "v3/info-canned-policy", {"name": "a,b"}).code == "XMinioAdminInvalidRequest"


def associate(env: Env, op: str, request: dict[str, Any], **kw: Any) -> Reply:
    headers = kw.pop("headers", {"content-type": "application/octet-stream"})
    return env.sealed("POST", f"v3/idp/builtin/policy/{op}", request, headers=headers, **kw)


def test_attach_and_detach_round_trip_encrypted(env: Env) -> None:
    env.user("kate", "kate-secret")
    attached = associate(env, "attach", {"policies": ["readwrite", "readonly"], "user": "kate"})
    assert attached.status == 200
    answer = attached.opened(ROOT_SECRET)
    assert answer["policiesAttached"] == ["readwrite", "readonly"] and answer["updatedAt"].endswith("Z")
    again = associate(env, "attach", {"policies": ["readwrite"], "user": "kate"})
    assert again.status == 400 and again.code == "XMinioAdminPolicyChangeAlreadyApplied"
    detached = associate(env, "detach", {"policies": ["readonly", "diagnostics"], "user": "kate"})
    assert detached.opened(ROOT_SECRET)["policiesDetached"] == ["readonly"]
    assert env.ids.user("kate").policies == ("readwrite",)  # type: ignore[union-attr]


def test_attach_refusals(env: Env) -> None:
    env.user("lena", "lena-secret")
    assert associate(env, "attach", {"policies": ["nope"], "user": "lena"}).code == "XMinioAdminNoSuchPolicy"
    ghost_user = associate(env, "attach", {"policies": ["readonly"], "user": "ghost"})
    assert ghost_user.status == 404 and ghost_user.code == "XMinioAdminNoSuchUser"
    ghost_group = associate(env, "attach", {"policies": ["readonly"], "group": "ghost"})
    assert ghost_group.status == 404 and ghost_group.code == "XMinioAdminNoSuchGroup"
    both = associate(env, "attach", {"policies": ["readonly"], "user": "lena", "group": "g"})
    assert both.status == 400 and both.code == "XMinioAdminInvalidArgument"
    plain = associate(env, "attach", {"policies": ["readonly"], "user": "lena"}, headers={})
    assert plain.status == 400 and plain.code == "BadRequest"
    env.user("mike", "mike-secret", "readwrite")
    mine = associate(env, "attach", {"policies": ["consoleAdmin"], "user": "mike"}, key="mike",
                     secret="mike-secret")
    assert mine.status == 403 and mine.code == "AccessDenied"


def test_set_user_or_group_policy(env: Env) -> None:
    env.user("nina", "nina-secret")
    query = {"policyName": "readonly,diagnostics", "userOrGroup": "nina", "isGroup": "false"}
    assert env.call("PUT", "v3/set-user-or-group-policy", query).status == 200
    assert env.ids.user("nina").policies == ("readonly", "diagnostics")  # type: ignore[union-attr]
    assert env.call("PUT", "v3/set-user-or-group-policy", query | {"policyName": ""}).status == 200
    assert env.ids.user("nina").policies == ()  # type: ignore[union-attr]
    group = query | {"userOrGroup": "nobody", "isGroup": "true"}
    assert env.call("PUT", "v3/set-user-or-group-policy", group).code == "XMinioAdminNoSuchGroup"
    assert env.call("PUT", "v3/set-user-or-group-policy", query | {"policyName": "nope"}).status == 404


def test_policy_entities(env: Env) -> None:
    env.user("olga", "olga-secret", "readonly")
    env.user("pete", "pete-secret")
    env.ids.update_group_members("ops", ["pete"])
    env.ids.attach(["diagnostics"], group="ops")
    everything = env.call("GET", "v3/idp/builtin/policy-entities").opened(ROOT_SECRET)
    mappings = {m["policy"]: m for m in everything["policyMappings"]}
    assert mappings["readonly"]["users"] == ["olga"] and mappings["diagnostics"]["groups"] == ["ops"]
    query = [("user", "pete"), ("user", "olga"), ("group", "ops"), ("policy", "readonly")]
    found = env.call("GET", "v3/idp/builtin/policy-entities", query).opened(ROOT_SECRET)
    users = {m["user"]: m for m in found["userMappings"]}
    assert users["olga"]["policies"] == ["readonly"]
    assert users["pete"]["memberOfMappings"] == [{"group": "ops", "policies": ["diagnostics"]}]
    assert found["groupMappings"] == [{"group": "ops", "policies": ["diagnostics"]}]
    assert [m["policy"] for m in found["policyMappings"]] == ["readonly"]


# -- service accounts -------------------------------------------------------------------------


def go_time_in(seconds: int) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.123456789Z")


def test_user_creates_its_own_service_account_with_generated_keys(env: Env) -> None:
    env.user("quinn", "quinn-secret", "readwrite")
    created = env.sealed("PUT", "v3/add-service-account", {"name": "backup", "description": "nightly"},
                         key="quinn", secret="quinn-secret")
    assert created.status == 200
    creds = created.opened("quinn-secret")["credentials"]
    access_key, secret = creds["accessKey"], creds["secretKey"]
    assert len(access_key) == 20 and access_key.isalnum() and access_key.upper() == access_key
    assert len(secret) == 40 and "/" not in secret
    assert creds["expiration"] == "1970-01-01T00:00:00Z"
    assert env.directory.secret_for(access_key) == secret
    info = env.call("GET", "v3/info-service-account", {"accessKey": access_key}, key="quinn")
    details = info.opened("quinn-secret")
    assert details["parentUser"] == "quinn" and details["accountStatus"] == "on" and details["impliedPolicy"]
    assert orjson.loads(details["policy"])["Statement"] == READWRITE_DOC["Statement"]
    assert details["name"] == "backup" and details["description"] == "nightly" and "expiration" not in details
    listed = env.call("GET", "v3/list-service-accounts", key="quinn").opened("quinn-secret")["accounts"]
    assert [a["accessKey"] for a in listed] == [access_key]


def test_root_creates_a_narrowed_key_for_a_user_and_edits_it(env: Env) -> None:
    env.user("rita", "rita-secret", "readwrite")
    expiry = go_time_in(3600)
    request = {"targetUser": "rita", "accessKey": "RITAKEY1", "secretKey": "rita-key-secret",
               "policy": LIST_ONLY, "expiration": expiry}
    creds = env.sealed("PUT", "v3/add-service-account", request).opened(ROOT_SECRET)["credentials"]
    assert creds["accessKey"] == "RITAKEY1" and creds["expiration"] == expiry[:19] + "Z"
    details = env.call("GET", "v3/info-service-account", {"accessKey": "RITAKEY1"}).opened(ROOT_SECRET)
    assert not details["impliedPolicy"] and orjson.loads(details["policy"]) == LIST_ONLY
    assert details["expiration"] == expiry[:19] + "Z"
    update = {"newStatus": "off", "newPolicy": READWRITE_DOC, "newExpiration": "1970-01-01T00:00:00Z"}
    edited = env.sealed("POST", "v3/update-service-account", update, {"accessKey": "RITAKEY1"})
    assert edited.status == 204
    account = env.ids.service_account("RITAKEY1")
    assert account is not None and account.status == "off" and account.expiry_ns == 0
    assert orjson.loads(account.policy or "") == READWRITE_DOC
    assert env.directory.secret_for("RITAKEY1") is None  # disabled
    unpolicied = env.sealed("POST", "v3/update-service-account", {"newPolicy": {}}, {"accessKey": "RITAKEY1"})
    assert unpolicied.status == 204
    assert env.ids.service_account("RITAKEY1").policy is None  # type: ignore[union-attr]
    assert env.call("DELETE", "v3/delete-service-account", {"accessKey": "RITAKEY1"}).status == 204
    gone = env.call("DELETE", "v3/delete-service-account", {"accessKey": "RITAKEY1"})
    assert gone.status == 404 and gone.code == "XMinioInvalidIAMCredentials"


def test_service_account_refusals(env: Env) -> None:
    env.user("sam", "sam-secret", "readwrite")
    env.user("tina", "tina-secret", "readwrite")
    for_other = env.sealed("PUT", "v3/add-service-account", {"targetUser": "tina"}, key="sam",
                           secret="sam-secret")
    assert for_other.status == 403 and for_other.code == "AccessDenied"
    ghost = env.sealed("PUT", "v3/add-service-account", {"targetUser": "ghost"})
    assert ghost.status == 404 and ghost.code == "XMinioAdminNoSuchUser"
    soon = env.sealed("PUT", "v3/add-service-account", {"expiration": go_time_in(60)})
    assert soon.status == 400 and soon.code == "XMinioAdminInvalidArgument"
    half = env.sealed("PUT", "v3/add-service-account", {"accessKey": "ONLYKEY"})
    assert half.status == 400
    bad_name = env.sealed("PUT", "v3/add-service-account", {"name": "9lives"})
    assert bad_name.status == 400 and bad_name.code == "XMinioInvalidResource"
    bad_policy = env.sealed("PUT", "v3/add-service-account", {"policy": {"Version": "2012-10-17"}})
    assert bad_policy.code == "XMinioMalformedIAMPolicy"
    root_key = env.sealed("PUT", "v3/add-service-account", {"accessKey": ROOT, "secretKey": "x" * 12})
    assert root_key.status == 403 and root_key.code == "XMinioInvalidIAMCredentials"
    env.ids.add_service_account("tina", "TINAKEY1", "tina-key-secret")
    taken = env.sealed("PUT", "v3/add-service-account", {"accessKey": "TINAKEY1", "secretKey": "x" * 12})
    assert taken.status == 400 and taken.code == "XMinioIAMServiceAccountNotAllowed"
    # Another user's key: not visible, not removable, not editable without admin rights.
    peek = env.call("GET", "v3/info-service-account", {"accessKey": "TINAKEY1"}, key="sam")
    assert peek.status == 403 and peek.code == "AccessDenied"
    hidden = env.call("DELETE", "v3/delete-service-account", {"accessKey": "TINAKEY1"}, key="sam")
    assert hidden.status == 404 and hidden.code == "XMinioInvalidIAMCredentials"
    edit = env.sealed("POST", "v3/update-service-account", {"newStatus": "off"}, {"accessKey": "TINAKEY1"},
                      key="sam", secret="sam-secret")
    assert edit.status == 403
    assert env.call("GET", "v3/list-service-accounts", {"user": "tina"}, key="sam").code == "AccessDenied"
    missing = env.call("GET", "v3/info-service-account", {"accessKey": "NOPE"})
    assert missing.status == 404 and missing.code == "XMinioInvalidIAMCredentials"


def test_a_narrowed_key_cannot_mint_a_wider_one(env: Env) -> None:
    env.user("uma", "uma-secret", "readwrite")
    env.ids.add_service_account("uma", "UMAKEY01", "uma-key-secret", orjson.dumps(LIST_ONLY).decode())
    refused = env.sealed("PUT", "v3/add-service-account", {}, key="UMAKEY01", secret="uma-key-secret")
    assert refused.status == 403 and refused.code == "AccessDenied"


def test_list_access_keys_bulk(env: Env) -> None:
    env.user("vera", "vera-secret", "readwrite")
    env.user("walt", "walt-secret")
    env.ids.add_service_account("vera", "VERAKEY1", "vera-key-secret")
    everyone = env.call("GET", "v3/list-access-keys-bulk", [("listType", "all"), ("all", "true")])
    found = everyone.opened(ROOT_SECRET)
    assert set(found) == {"vera", "walt", ROOT}
    assert [k["accessKey"] for k in found["vera"]["serviceAccounts"]] == ["VERAKEY1"]
    only = env.call("GET", "v3/list-access-keys-bulk", [("listType", "svcacc-only"), ("all", "true")])
    assert set(only.opened(ROOT_SECRET)) == {"vera"}
    # mc's `accesskey ls` tries all=true first, then falls back to the caller's own keys.
    denied = env.call("GET", "v3/list-access-keys-bulk", [("listType", "all"), ("all", "true")], key="vera")
    assert denied.status == 403 and denied.json()["Message"] == "Access Denied."
    mine = env.call("GET", "v3/list-access-keys-bulk", [("listType", "all")], key="vera")
    assert list(mine.opened("vera-secret")) == ["vera"]
    other = env.call("GET", "v3/list-access-keys-bulk", [("listType", "all"), ("users", "walt")], key="vera")
    assert other.status == 403
    assert env.call("GET", "v3/list-access-keys-bulk", [("listType", "odd")]).code == "InvalidRequest"


def test_temporary_account_info_finds_nothing(env: Env) -> None:
    reply = env.call("GET", "v3/temporary-account-info", {"accessKey": "ASIAEXAMPLE"})
    assert reply.status == 404 and reply.code == "XMinioAdminNoSuchAccessKey"


# -- info, accountinfo, routing and errors ----------------------------------------------------


def test_server_info(env: Env) -> None:
    env.layer.create_bucket("photos")
    info = env.call("GET", "v3/info", {"metrics": "false"}).json()
    assert info["mode"] == "online" and info["deploymentID"] == env.layer.deployment.deployment_id
    assert info["buckets"]["count"] == 1 and info["backend"]["backendType"] == "Erasure"
    (server,) = info["servers"]
    assert server["state"] == "online" and server["endpoint"] == "127.0.0.1:9000"
    (drive,) = server["drives"]
    assert drive["state"] == "ok" and drive["totalspace"] > 0 and drive["pool_index"] == 0
    assert info["backend"]["totalDrivesPerSet"] == [1] and info["pools"]["0"]["0"]["id"] == 0
    env.user("xena", "xena-secret", "readwrite")
    assert env.call("GET", "v3/info", key="xena").code == "AccessDenied"


def test_account_info(env: Env) -> None:
    env.layer.create_bucket("photos")
    env.layer.create_bucket("private")
    env.user("yuri", "yuri-secret")
    assert add_policy(env, "photos-list", LIST_ONLY).status == 200
    env.ids.attach(["photos-list"], user="yuri")
    mine = env.call("GET", "v3/accountinfo", key="yuri").json()
    assert mine["AccountName"] == "yuri" and mine["Policy"]["Statement"] == LIST_ONLY["Statement"]
    assert [(b["name"], b["access"]) for b in mine["Buckets"]] == [("photos", {"read": True, "write": False})]
    root = env.call("GET", "v3/accountinfo").json()
    assert root["AccountName"] == ROOT and {b["name"] for b in root["Buckets"]} == {"photos", "private"}
    assert any("admin:*" in s.get("Action", []) for s in root["Policy"]["Statement"])
    assert root["Server"]["Type"] == 2


def test_unknown_paths_and_methods_and_the_error_body(env: Env) -> None:
    unknown = env.call("POST", "v3/speedtest/drive")
    assert unknown.status == 501 and unknown.code == "NotImplemented"
    body = unknown.json()
    assert body["Resource"] == "/minio/admin/v3/speedtest/drive" and body["RequestId"] == "REQ1"
    assert body["HostId"] == env.layer.deployment.deployment_id and body["Region"] == "us-east-1"
    assert unknown.headers["Content-Type"] == "application/json"
    assert env.call("POST", "v3/list-users").status == 405
    assert env.call("GET", "v2/list-users").code == "XMinioAdminVersionMismatch"
    assert env.call("GET", "v3/user-info").code == "InvalidRequest"  # its accessKey is required
    assert env.call("POST", "v3/heal/no-such-bucket").code == "NoSuchBucket"  # heal/ takes a bucket


def test_expired_time_and_sentinels_parse_as_never(env: Env) -> None:
    from cairn.server.admin.common import go_time, parse_go_time

    assert parse_go_time("1970-01-01T00:00:00Z", "t") == 0 and parse_go_time("0001-01-01T00:00:00Z", "t") == 0
    assert parse_go_time("2030-01-02T03:04:05.999+01:00", "t") == 1893549845 * 10**9
    assert go_time(1893549845 * 10**9 + 120_000_000) == "2030-01-02T02:04:05.12Z"
    assert go_time(int(time.time()) * 10**9).endswith("Z")


def test_an_explicit_deny_overrides_self_service(env: Env) -> None:
    no_keys = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": ["admin:CreateServiceAccount"], "Resource": ["arn:aws:s3:::*"]}]}
    assert add_policy(env, "no-keys", no_keys).status == 200
    env.user("zoe", "zoe-secret", "readwrite", "no-keys")
    denied = env.sealed("PUT", "v3/add-service-account", {}, key="zoe", secret="zoe-secret")
    assert denied.status == 403 and denied.code == "AccessDenied"
    # A key of the root user acts with the root user's rights, its own included.
    env.ids.add_service_account(ROOT, "ROOTKEY1", "root-key-secret")
    minted = env.sealed("PUT", "v3/add-service-account", {"targetUser": "zoe"}, key="ROOTKEY1",
                        secret="root-key-secret")
    assert minted.opened("root-key-secret")["credentials"]["accessKey"]
    assert env.call("GET", "v3/list-users", key="ROOTKEY1").opened("root-key-secret")["zoe"]
