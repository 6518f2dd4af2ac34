"""Who a request's access key is: its secret (for the signature check) and its principal (for
authorization), from the identity store, the STS token service and the root credentials.

Theory of operation
-------------------
`Directory` is the server's one view of principals.  `secret_for` answers authentication
(the Credentials protocol): the root user's password, a user's or a service account's
unsealed secret, or a temporary key's derived one; None for anything unknown, disabled or
expired, which authentication answers InvalidAccessKeyId as MinIO does.  `principal` turns
an authenticated Identity into a `Principal`: the account whose permissions apply, its
identity policies (the user's own and those of its enabled groups), and the session
policies that narrow them (a service account's, a session's), parsed once.

Everything comes from the identity snapshot (engine/iam_records.py); derived values (parsed
policies, principals) are cached per snapshot and dropped when the snapshot changes.  The
snapshot is refreshed off the event loop (`stale`/`refresh`, called by the pipeline before
authentication), so the event loop only ever reads memory.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cairn.engine.api import IAMRecords

from ..context import Identity
from .evaluate import Caller
from .policy import MalformedPolicy, Policy, parse_policy
from .store import ENABLED, USER, Identities, IdentityError
from .sts import TokenError, TokenService, is_temporary

PrincipalKind = Literal["root", "user", "svcacct", "sts", "anonymous"]
ACCOUNT_ID = ""  # MinIO's ARNs carry no account: arn:aws:iam:::user/<name>
DENY_ALL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}'


def canonical_id(account: str) -> str:
    """The stable canonical user id of an account (ListBuckets' and ACLs' Owner ID)."""
    return hashlib.sha256(account.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    account: str  # whose permissions apply: the root user's name, a user's ("" anonymous)
    access_key: str | None
    policies: tuple[Policy, ...] = ()  # identity policies (user's and its groups')
    sessions: tuple[Policy, ...] = ()  # each must allow as well (service account, session)
    caller: Caller = field(default_factory=lambda: Caller(True, frozenset(), "", "", "", "Anonymous"))

    @property
    def is_root_account(self) -> bool:
        return self.kind != "anonymous" and self.caller.principal_type == "Account"

    @property
    def canonical_id(self) -> str:
        return canonical_id(self.account) if self.account else "65a011a29cdf8ec533ec3d1ccaae921c"

    @property
    def display_name(self) -> str:
        return self.account


ANONYMOUS = Principal("anonymous", "", None)


class PrincipalError(Exception):
    """A credential refused at authorization: code InvalidToken, ExpiredToken,
    InvalidAccessKeyId or AccessDenied."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Directory:
    def __init__(self, records: IAMRecords, root_user: str, root_password: str) -> None:
        self.records = records
        self.root_user, self.root_password = root_user, root_password
        self.identities = Identities(records, root_user, root_password)
        self.tokens = TokenService(root_user, root_password)
        self._snapshot: Mapping[Any, Any] | None = None
        self._principals: dict[tuple[str, str | None], Principal] = {}
        self._accounts: dict[str, str] = {}  # canonical id -> account name, of the current snapshot
        self._parsed: dict[str, Policy | None] = {}

    # -- freshness ------------------------------------------------------------------------------

    def stale(self) -> bool:
        """Whether the identity snapshot must be read again (do it with `refresh`, in a thread)."""
        return self.records.cached() is None

    def refresh(self) -> None:
        self.records.snapshot()

    def _current(self) -> Mapping[Any, Any]:
        snap = self.records.cached() or self.records.snapshot()
        if snap is not self._snapshot:
            self._snapshot = snap
            self._principals.clear()
            self._accounts.clear()
        return snap

    def account_named(self, cid: str) -> str | None:
        """The account (the root user or an IAM user) whose canonical id this is; None: none is."""
        snap = self._current()
        if not self._accounts:
            accounts = [self.root_user, *(name for kind, name in snap if kind == USER)]
            self._accounts.update((canonical_id(account), account) for account in accounts)
        return self._accounts.get(cid)

    # -- authentication -------------------------------------------------------------------------

    def secret_for(self, access_key: str) -> str | None:
        """The access key's secret; None when unknown, disabled, expired, or sealed under other
        root credentials (store.reseal)."""
        try:
            return self._secret_for(access_key)
        except IdentityError:
            return None

    def _secret_for(self, access_key: str) -> str | None:
        if access_key == self.root_user:
            return self.root_password
        if is_temporary(access_key):
            return self.tokens.secret_for(access_key)
        snap = self._current()
        user = self.identities.user(access_key, snap)
        if user is not None:
            return user.secret if user.status == ENABLED else None
        account = self.identities.service_account(access_key, snap)
        if account is None or account.status != "on" or account.expired(time.time_ns()):
            return None
        if account.parent != self.root_user:
            parent = self.identities.user(account.parent, snap)
            if parent is None or parent.status != ENABLED:
                return None
        return account.secret

    # -- authorization --------------------------------------------------------------------------

    def principal(self, identity: Identity) -> Principal:
        access_key = identity.access_key
        if access_key is None:
            return ANONYMOUS
        self._current()
        cache_key = (access_key, identity.session_token if is_temporary(access_key) else None)
        hit = self._principals.get(cache_key)
        if hit is not None and not (hit.kind == "sts" and self._expired_session(identity)):
            return hit
        made = self._make_principal(access_key, identity.session_token)
        if len(self._principals) > 10_000:
            self._principals.clear()
        self._principals[cache_key] = made
        return made

    def _expired_session(self, identity: Identity) -> bool:
        assert identity.access_key is not None
        try:
            self.tokens.verify(identity.access_key, identity.session_token, int(time.time()))
        except TokenError:
            return True
        return False

    def _make_principal(self, access_key: str, token: str | None) -> Principal:
        if access_key == self.root_user:
            return self.account_principal(self.root_user, "root", access_key)
        if is_temporary(access_key):
            try:
                session = self.tokens.verify(access_key, token, int(time.time()))
            except TokenError as exc:
                raise PrincipalError(exc.code, exc.message) from exc
            base = self.account_principal(session.parent, "sts", access_key)
            return _narrowed(base, self._policies(session.policies, session=True))
        snap = self._current()
        if self.identities.user(access_key, snap) is not None:
            return self.account_principal(access_key, "user", access_key)
        account = self.identities.service_account(access_key, snap)
        if account is None:
            raise PrincipalError("InvalidAccessKeyId", "The Access Key Id you provided does not exist in "
                                 "our records.")
        base = self.account_principal(account.parent, "svcacct", access_key)
        return _narrowed(base, self._policies((account.policy,) if account.policy else (), session=True))

    def account_principal(self, account: str, kind: PrincipalKind, access_key: str) -> Principal:
        """The principal acting with `account`'s own permissions."""
        if account == self.root_user:
            caller = Caller(False, frozenset({f"arn:aws:iam::{ACCOUNT_ID}:root", "arn:aws:iam:::root"}),
                            canonical_id(account), account, account, "Account")
            return Principal(kind, account, access_key, (), (), caller)
        snap = self._current()
        user = self.identities.user(account, snap)
        if user is None or user.status != ENABLED:
            raise PrincipalError("InvalidAccessKeyId", "The Access Key Id you provided does not exist in "
                                 "our records.")
        names = list(user.policies)
        for group in self.identities.groups_of(account):
            if group.status == ENABLED:
                names += group.policies
        policies = self._policies(self._documents(names))
        arns = frozenset({f"arn:aws:iam::{ACCOUNT_ID}:user/{account}", f"arn:aws:iam:::user/{account}"})
        caller = Caller(False, arns, canonical_id(account), account, account, "User")
        return Principal(kind, account, access_key, policies, (), caller)

    def _documents(self, names: list[str]) -> tuple[str, ...]:
        docs = []
        for name in dict.fromkeys(names):
            stored = self.identities.policy(name)
            if stored is not None:
                docs.append(stored.document)
        return tuple(docs)

    def _policies(self, documents: tuple[str, ...], session: bool = False) -> tuple[Policy, ...]:
        """The documents parsed; one that no longer parses grants nothing, and as a session
        policy it allows nothing (dropping it would widen the session)."""
        out = []
        for doc in documents:
            policy = self.parsed(doc, "identity")
            if policy is not None:
                out.append(policy)
            elif session:
                out.append(parse_policy(DENY_ALL, "identity"))
        return tuple(out)

    def parsed(self, document: str, kind: Literal["identity", "bucket", "session"],
               bucket: str | None = None) -> Policy | None:
        """A stored document parsed once (None: it no longer parses; it then grants nothing)."""
        cache_key = f"{kind}\x00{bucket or ''}\x00{document}"
        if cache_key not in self._parsed:
            if len(self._parsed) > 10_000:
                self._parsed.clear()
            try:
                self._parsed[cache_key] = parse_policy(document, kind, bucket)
            except MalformedPolicy:
                self._parsed[cache_key] = None
        return self._parsed[cache_key]


def _narrowed(base: Principal, sessions: tuple[Policy, ...]) -> Principal:
    return Principal(base.kind, base.account, base.access_key, base.policies, base.sessions + sessions,
                     base.caller)
