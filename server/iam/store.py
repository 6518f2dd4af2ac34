"""Identities: IAM users, groups, policies and service accounts, typed, on the engine's identity
records (engine/iam_records.py: replicated, compare-and-swap, seen by every worker at once).

Theory of operation
-------------------
One record per entity, as MinIO keeps one file per entity under .minio.sys/config/iam:

    ("user", access key)    -> {"secret", "status", "policies", "updated"}
    ("group", name)         -> {"members", "policies", "status", "updated"}
    ("policy", name)        -> {"document", "created", "updated"}
    ("svcacct", access key) -> {"secret", "parent", "policy", "expiry", "status", "name",
                                "description", "updated"}
    ("config", "secrets")   -> {"check"}: which root credentials sealed the secrets

A user's groups are the groups whose members name it (one place to change membership, so
two admins editing one group lose nothing: that record's update is a compare-and-swap).
MinIO's canned policies are built in: listed and attachable, never stored or removed.

Secret keys are sealed with AES-256-GCM under a key derived from the root credentials (the
access key as associated data, so a sealed secret cannot be moved to another user): a drive
alone does not reveal them.  The "secrets" record holds an HMAC that tells whether the
current root credentials are the ones that sealed them; when the root credentials change,
`reseal` opens every secret with the old ones (CAIRN_ROOT_USER_OLD/_PASSWORD_OLD, MinIO's
MINIO_ROOT_USER_OLD style) and seals it again.

Every write checks its input first and raises IdentityError (the admin API maps its kind to
MinIO's error codes); nothing is written on a refusal.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cairn.engine.api import IAMRecords

from .canned import CANNED
from .identity import (
    CONFIG,
    DISABLED,
    ENABLED,
    GROUP,
    NAME_PATTERN,
    POLICY,
    STS_PREFIX,
    SVCACCT,
    USER,
    Group,
    IdentityError,
    SecretBox,
    ServiceAccount,
    StoredPolicy,
    User,
    check_access_key,
    check_identity_policy,
    check_secret,
    target_of,
    unique,
)

__all__ = ["CONFIG", "DISABLED", "ENABLED", "GROUP", "POLICY", "STS_PREFIX", "SVCACCT", "USER", "Group",
           "Identities", "IdentityError", "SecretBox", "ServiceAccount", "StoredPolicy", "User",
           "check_access_key", "check_identity_policy", "check_secret"]


class Identities:
    """The deployment's identities (see the module docstring); reads are snapshot lookups."""

    def __init__(self, records: IAMRecords, root_user: str, root_password: str) -> None:
        self.records = records
        self.root_user = root_user
        self.box = SecretBox(root_user, root_password)
        self._opened: dict[tuple[str, str], str] = {}  # (access key, sealed) -> secret

    # -- reads ----------------------------------------------------------------------------------

    def _secret(self, access_key: str, sealed: str) -> str:
        hit = self._opened.get((access_key, sealed))
        if hit is None:
            if len(self._opened) > 10_000:
                self._opened.clear()
            hit = self._opened[(access_key, sealed)] = self.box.open(access_key, sealed)
        return hit

    def user(self, access_key: str, snapshot: Mapping[tuple[str, str], Any] | None = None) -> User | None:
        doc = (snapshot if snapshot is not None else self.records.snapshot()).get((USER, access_key))
        if doc is None:
            return None
        return User(access_key, self._secret(access_key, doc["secret"]), doc["status"],
                    tuple(doc["policies"]), doc["updated"])

    def users(self) -> list[User]:
        snap = self.records.snapshot()
        return [u for name in sorted(n for k, n in snap if k == USER) if (u := self.user(name, snap))]

    def group(self, name: str, snapshot: Mapping[tuple[str, str], Any] | None = None) -> Group | None:
        doc = (snapshot if snapshot is not None else self.records.snapshot()).get((GROUP, name))
        if doc is None:
            return None
        return Group(name, tuple(doc["members"]), tuple(doc["policies"]), doc["status"], doc["updated"])

    def groups(self) -> list[Group]:
        snap = self.records.snapshot()
        return [g for name in sorted(n for k, n in snap if k == GROUP) if (g := self.group(name, snap))]

    def groups_of(self, access_key: str) -> list[Group]:
        return [g for g in self.groups() if access_key in g.members]

    def policy(self, name: str) -> StoredPolicy | None:
        if name in CANNED:
            return StoredPolicy(name, CANNED[name], 0, 0, canned=True)
        doc = self.records.get(POLICY, name)
        return None if doc is None else StoredPolicy(name, doc["document"], doc["created"], doc["updated"])

    def policies(self) -> list[StoredPolicy]:
        names = sorted({*CANNED, *self.records.names(POLICY)})
        return [p for name in names if (p := self.policy(name)) is not None]

    def service_account(self, access_key: str, snapshot: Mapping[tuple[str, str], Any] | None = None
                        ) -> ServiceAccount | None:
        doc = (snapshot if snapshot is not None else self.records.snapshot()).get((SVCACCT, access_key))
        if doc is None:
            return None
        return ServiceAccount(access_key, self._secret(access_key, doc["secret"]), doc["parent"],
                              doc.get("policy"), doc.get("expiry", 0), doc["status"], doc.get("name", ""),
                              doc.get("description", ""), doc["updated"])

    def service_accounts(self, parent: str | None = None) -> list[ServiceAccount]:
        snap = self.records.snapshot()
        found = (self.service_account(n, snap) for k, n in sorted(snap) if k == SVCACCT)
        return [a for a in found if a is not None and (parent is None or a.parent == parent)]

    # -- users ----------------------------------------------------------------------------------

    def add_user(self, access_key: str, secret: str, status: str = ENABLED) -> None:
        """Create a user, or set an existing one's secret and status (MinIO's add-user)."""
        check_access_key(access_key)
        check_secret(secret)
        self._check_status(status)
        if access_key == self.root_user or self.service_account(access_key) is not None:
            raise IdentityError("InvalidArgument", f"access key {access_key!r} is taken")
        sealed = self.box.seal(access_key, secret)

        def make(doc: Any | None) -> Any:
            policies = doc["policies"] if doc else []
            return {"secret": sealed, "status": status, "policies": policies, "updated": time.time_ns()}

        self.records.update(USER, access_key, make)

    def remove_user(self, access_key: str) -> None:
        self._need_user(access_key)
        for account in self.service_accounts(access_key):
            self.records.delete(SVCACCT, account.access_key)
        for group in self.groups_of(access_key):
            self.update_group_members(group.name, [access_key], remove=True)
        self.records.delete(USER, access_key)

    def set_user_status(self, access_key: str, status: str) -> None:
        self._check_status(status)
        self._change(USER, access_key, "NoSuchUser", lambda doc: {**doc, "status": status})

    def _need_user(self, access_key: str) -> None:
        if self.records.get(USER, access_key) is None:
            raise IdentityError("NoSuchUser", f"The specified user does not exist: {access_key}")

    @staticmethod
    def _check_status(status: str) -> None:
        if status not in (ENABLED, DISABLED):
            raise IdentityError("InvalidArgument", f"status must be {ENABLED} or {DISABLED}")

    def _change(self, kind: str, name: str, missing: str, mutate: Callable[[Any], Any]) -> Any:
        """Update an existing record (IdentityError `missing` when there is none)."""
        def change(doc: Any | None) -> Any:
            if doc is None:
                raise IdentityError(missing, f"The specified {kind} does not exist: {name}")
            return {**mutate(doc), "updated": time.time_ns()}

        return self.records.update(kind, name, change)

    # -- groups ---------------------------------------------------------------------------------

    def update_group_members(self, name: str, members: Iterable[str], remove: bool = False,
                             status: str | None = None) -> None:
        """Add (or remove) members; a group is created by its first addition and deleted by a
        removal that names no members once it has none left (MinIO's update-group-members)."""
        members = list(members)
        if not NAME_PATTERN.fullmatch(name):
            raise IdentityError("InvalidArgument", "group names are 1 to 128 characters, no control "
                                "characters")
        if not remove:
            for member in members:
                self._need_user(member)

        def change(doc: Any | None) -> Any | None:
            if doc is None and remove:
                raise IdentityError("NoSuchGroup", f"The specified group does not exist: {name}")
            current = list(doc["members"]) if doc else []
            if remove and not members:
                if current:
                    raise IdentityError("GroupNotEmpty", f"The specified group is not empty: {name}")
                return None
            new = [m for m in current if m not in members] if remove else list(unique([*current, *members]))
            return {"members": new, "policies": doc["policies"] if doc else [],
                    "status": status or (doc["status"] if doc else ENABLED), "updated": time.time_ns()}

        self.records.update(GROUP, name, change)

    def set_group_status(self, name: str, status: str) -> None:
        self._check_status(status)
        self._change(GROUP, name, "NoSuchGroup", lambda doc: {**doc, "status": status})

    # -- policies -------------------------------------------------------------------------------

    def add_policy(self, name: str, document: str) -> None:
        if not NAME_PATTERN.fullmatch(name) or "/" in name or name in CANNED:
            raise IdentityError("InvalidArgument", f"policy name {name!r} is not valid (or is a canned "
                                "policy)")
        check_identity_policy(document)
        now = time.time_ns()
        self.records.update(POLICY, name, lambda doc: {"document": document,
                                                       "created": doc["created"] if doc else now,
                                                       "updated": now})

    def remove_policy(self, name: str) -> None:
        if name in CANNED:
            raise IdentityError("InvalidArgument", f"{name} is a canned policy: it cannot be removed")
        users = [u.access_key for u in self.users() if name in u.policies]
        groups = [g.name for g in self.groups() if name in g.policies]
        if users or groups:
            raise IdentityError("PolicyInUse", f"policy {name} is attached to {', '.join(users + groups)}")
        if not self.records.delete(POLICY, name):
            raise IdentityError("NoSuchPolicy", f"The canned policy does not exist: {name}")

    def attach(self, policies: Iterable[str], user: str | None = None, group: str | None = None,
               detach: bool = False) -> tuple[str, ...]:
        """Attach (or detach) policies to exactly one user or group; the policies attached after."""
        names = list(policies)
        if (user is None) == (group is None) or not names:
            raise IdentityError("InvalidArgument", "name policies and exactly one user or group")
        for policy in names:
            if self.policy(policy) is None:
                raise IdentityError("NoSuchPolicy", f"The canned policy does not exist: {policy}")
        kind, name, missing = target_of(user, group)

        def change(doc: Any) -> Any:
            current = list(doc["policies"])
            if detach:
                absent = [p for p in names if p not in current]
                if absent:
                    raise IdentityError("InvalidArgument", f"policy {absent[0]} is not attached to {name}")
                return {**doc, "policies": [p for p in current if p not in names]}
            return {**doc, "policies": list(unique([*current, *names]))}

        return tuple(self._change(kind, name, missing, change)["policies"])

    def set_policies(self, policies: Iterable[str], user: str | None = None, group: str | None = None
                     ) -> None:
        """Replace the policies of a user or group (MinIO's older set-user-or-group-policy)."""
        names = [p for p in policies if p]
        for policy in names:
            if self.policy(policy) is None:
                raise IdentityError("NoSuchPolicy", f"The canned policy does not exist: {policy}")
        kind, name, missing = target_of(user, group)
        self._change(kind, name, missing, lambda doc: {**doc, "policies": names})

    # -- service accounts -----------------------------------------------------------------------

    def add_service_account(self, parent: str, access_key: str, secret: str, policy: str | None = None,
                            expiry_ns: int = 0, name: str = "", description: str = "") -> ServiceAccount:
        check_access_key(access_key)
        check_secret(secret)
        if parent != self.root_user:
            self._need_user(parent)
        if policy:
            check_identity_policy(policy)
        if access_key == self.root_user or self.records.get(USER, access_key) is not None:
            raise IdentityError("Exists", f"access key {access_key!r} is taken")
        doc = {"secret": self.box.seal(access_key, secret), "parent": parent, "policy": policy or None,
               "expiry": expiry_ns, "status": "on", "name": name, "description": description,
               "updated": time.time_ns()}

        def make(current: Any | None) -> Any:
            if current is not None:
                raise IdentityError("Exists", f"access key {access_key!r} is taken")
            return doc

        self.records.update(SVCACCT, access_key, make)
        account = self.service_account(access_key)
        assert account is not None
        return account

    def update_service_account(self, access_key: str, *, secret: str | None = None, policy: str | None = None,
                               status: str | None = None, expiry_ns: int | None = None,
                               name: str | None = None, description: str | None = None) -> None:
        """Change what is given; policy "" removes the session policy."""
        if secret is not None:
            check_secret(secret)
        if policy:
            check_identity_policy(policy)
        if status is not None and status not in ("on", "off", ENABLED, DISABLED):
            raise IdentityError("InvalidArgument", "status must be on or off")
        changes: dict[str, Any] = {}
        if secret is not None:
            changes["secret"] = self.box.seal(access_key, secret)
        if policy is not None:
            changes["policy"] = policy or None
        if status is not None:
            changes["status"] = "on" if status in ("on", ENABLED) else "off"
        for key, value in (("expiry", expiry_ns), ("name", name), ("description", description)):
            if value is not None:
                changes[key] = value
        self._change(SVCACCT, access_key, "NoSuchServiceAccount", lambda doc: {**doc, **changes})

    def delete_service_account(self, access_key: str) -> None:
        if not self.records.delete(SVCACCT, access_key):
            raise IdentityError("NoSuchServiceAccount", f"The specified service account does not exist: "
                                f"{access_key}")

    # -- the sealing key ------------------------------------------------------------------------

    def reseal(self, old_user: str | None = None, old_password: str | None = None) -> str:
        """At start: make sure the secrets are sealed under the current root credentials, opening
        them with the old ones when those changed.  Says what it did ("fresh", "current",
        "resealed N", or "stale": sealed under other credentials, no old ones given)."""
        stored = self.records.get(CONFIG, "secrets")
        if stored is None:
            self.records.put(CONFIG, "secrets", {"check": self.box.check})
            return "fresh"
        if hmac.compare_digest(stored["check"], self.box.check):
            return "current"
        if not self.records.names(USER) and not self.records.names(SVCACCT):
            self.records.put(CONFIG, "secrets", {"check": self.box.check})  # nothing sealed to open
            return "current"
        if old_user is None or old_password is None:
            return "stale"
        old = SecretBox(old_user, old_password)
        if not hmac.compare_digest(stored["check"], old.check):
            return "stale"
        count = 0
        for kind in (USER, SVCACCT):
            for name in self.records.names(kind):
                def reseal_one(doc: Any, name: str = name) -> Any:
                    try:  # resealed already by a start that stopped half-way
                        self.box.open(name, doc["secret"])
                        return doc
                    except IdentityError:
                        return {**doc, "secret": self.box.seal(name, old.open(name, doc["secret"]))}
                self._change(kind, name, "InvalidArgument", reseal_one)
                count += 1
        self.records.put(CONFIG, "secrets", {"check": self.box.check})
        return f"resealed {count}"
