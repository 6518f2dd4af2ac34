"""Evaluating one parsed policy for one request, and a bucket policy's IsPublic.

Theory of operation
-------------------
evaluate() walks the statements in order.  A statement applies when its action, principal,
resource and every condition match; an applicable Deny answers "Deny" at once (explicit deny
wins), an applicable Allow is remembered, and with none the answer is None (not allowed by
this policy: the caller combines policies -- identity, group, session, bucket -- as AWS does).
Once an Allow is found only Deny statements are looked at.  The checks run cheapest first:
action (a set lookup on the lower-cased action, a startswith, or a linear-time glob),
principal (set intersections), resource, then conditions.

Matching rules, all AWS's unless said:
- Principal (bucket policies): "*" and {"AWS": "*"} match everyone, anonymous included;
  anything else never matches an anonymous caller.  An ARN matches a caller holding it, an
  account (bare id or :root) every caller of that account, a unique id the caller's userid,
  CanonicalUser the caller's canonical id.  NotPrincipal applies to callers it does not match.
  Identity and session policies have no principal: they apply to whoever they belong to.
- Resource: wildcard patterns over request.resource; NotResource applies when none matches.
  A request for an action without a resource (ListAllMyBuckets) names "*" (or
  "arn:aws:s3:::"), which patterns "*" and "arn:aws:s3:::*" match, and "arn:aws:s3:::b*"
  does not (so MinIO's readwrite lists buckets, as it does in AWS and MinIO).
  Statements whose actions are all admin:/kms:/sts: skip the resource (MinIO's rule).
- Conditions: AND across operators and keys, OR across one key's values; the missing-key,
  negation, IfExists and ForAnyValue/ForAllValues rules are Condition.holds()'s docstring.
  A key's values come from request.context (keys lower-cased); aws:username, aws:userid and
  aws:PrincipalType fall back to the caller's fields when the context lacks them.
- Policy variables (Version 2012-10-17): `${key}` takes the key's value when it has exactly
  one; a missing one (no default) makes its pattern match nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from .conditions import Condition, parse_network
from .patterns import Patterns
from .policy import Policy, Statement
from .principals import Principal

Decision = Literal["Allow", "Deny"]
ALL_BUCKETS = "arn:aws:s3:::*"


@dataclass(frozen=True)
class Caller:
    """Who asks.  arns: every ARN naming the caller (e.g. arn:aws:iam::123456789012:user/alice
    and MinIO's arn:aws:iam:::user/alice; arn:aws:iam::<account>:root for the root user)."""

    anonymous: bool
    arns: frozenset[str] = frozenset()
    canonical_id: str = ""
    username: str = ""
    userid: str = ""
    principal_type: str = "User"
    """"Account", "User", "AssumedRole", "FederatedUser" or "Anonymous"."""

    @cached_property
    def accounts(self) -> frozenset[str]:
        """The account ids the caller's IAM/STS ARNs carry."""
        found = set()
        for arn in self.arns:
            parts = arn.split(":", 5)
            if len(parts) == 6 and parts[2] in ("iam", "sts") and parts[4]:
                found.add(parts[4])
        return frozenset(found)


ANONYMOUS = Caller(anonymous=True, principal_type="Anonymous")


@dataclass(frozen=True)
class AccessRequest:
    """action: e.g. "s3:GetObject"; resource: "arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket"
    or "*"; context: condition key (lower-cased) -> values, a key absent being missing."""

    action: str
    resource: str
    caller: Caller
    context: Mapping[str, Sequence[str]] = field(default_factory=dict, hash=False)


class _Lookup:
    """A request's condition values, and its policy variables (see patterns.VarLookup)."""

    __slots__ = ("caller", "context")

    def __init__(self, request: AccessRequest) -> None:
        self.context = request.context
        self.caller = request.caller

    def values(self, key: str) -> Sequence[str] | None:
        found = self.context.get(key)
        if found is None:
            caller = self.caller
            if key == "aws:username":
                return (caller.username,) if caller.username else None
            if key == "aws:userid":
                return (caller.userid,) if caller.userid else None
            if key == "aws:principaltype":
                return (caller.principal_type,) if caller.principal_type else None
            return None
        return (found,) if isinstance(found, str) else found

    def __call__(self, key: str) -> str | None:
        found = self.values(key)
        return found[0] if found is not None and len(found) == 1 else None


def evaluate(policy: Policy, request: AccessRequest) -> Decision | None:
    """"Deny" if an applicable statement denies, else "Allow" if one allows, else None."""
    action = request.action.lower()
    lookup = _Lookup(request)
    allowed = False
    for statement in policy.statements:
        if allowed and statement.effect == "Allow":
            continue
        if _applies(statement, action, request, lookup):
            if statement.effect == "Deny":
                return "Deny"
            allowed = True
    return "Allow" if allowed else None


def _applies(st: Statement, action: str, request: AccessRequest, lookup: _Lookup) -> bool:
    if st.action is not None:
        if not st.action.matches(action):
            return False
    elif st.not_action is not None and st.not_action.matches(action):
        return False
    if st.principal is not None:
        if not principal_matches(st.principal, request.caller):
            return False
    elif st.not_principal is not None and principal_matches(st.not_principal, request.caller):
        return False
    if not st.resource_free:
        resource = request.resource
        if st.resource is not None:
            if not _resource_matches(st.resource, resource, lookup):
                return False
        elif st.not_resource is not None and _resource_matches(st.not_resource, resource, lookup):
            return False
    return all(c.holds(lookup.values(c.key), lookup) for c in st.conditions)


def _resource_matches(patterns: Patterns, resource: str, lookup: _Lookup) -> bool:
    if patterns.matches(resource, lookup):
        return True
    return resource == "*" and patterns.matches(ALL_BUCKETS, lookup)


def principal_matches(principal: Principal, caller: Caller) -> bool:
    if principal.wildcard:
        return True
    if caller.anonymous:
        return False
    if principal.aws and (not principal.aws.isdisjoint(caller.arns) or caller.userid in principal.aws):
        return True
    if principal.accounts and not principal.accounts.isdisjoint(caller.accounts):
        return True
    if caller.canonical_id and caller.canonical_id in principal.canonical_users:
        return True
    return bool(principal.services) and not principal.services.isdisjoint(caller.arns)


# --- IsPublic ----------------------------------------------------------------------------

# AWS's "The meaning of public": a policy is non-public only if each Allow to everyone is
# narrowed to fixed values (no wildcard, no policy variable) of one of these keys.
_NARROWING_KEYS = frozenset({
    "aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
    "aws:sourceaccount", "aws:principalaccount", "aws:principalarn", "aws:principalorgid",
    "aws:userid", "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id"})
_NARROWING_OPERATORS = frozenset({
    "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"})


def is_public(policy: Policy) -> bool:
    """GetBucketPolicyStatus's IsPublic: some Allow statement grants everyone ("*", {"AWS":
    "*"}, or a NotPrincipal) without a condition narrowing it to fixed values."""
    return any(_public_statement(st) for st in policy.statements)


def _public_statement(st: Statement) -> bool:
    if st.effect != "Allow":
        return False
    everyone = st.not_principal is not None or (st.principal is not None and st.principal.wildcard)
    return everyone and not any(_narrows(c) for c in st.conditions)


def _narrows(c: Condition) -> bool:
    # IfExists and ForAllValues pass when the key is missing: they narrow nothing.
    if c.key not in _NARROWING_KEYS or c.operator not in _NARROWING_OPERATORS:
        return False
    if c.if_exists or c.qualifier == "ForAllValues":
        return False
    if (c.operator == "IpAddress") != (c.key == "aws:sourceip"):
        return False
    return all(_fixed(c.key, value) for value in c.values)


def _fixed(key: str, value: str) -> bool:
    if "${" in value:
        return False
    if key == "aws:sourceip":  # any CIDR but the whole address space
        network = parse_network(value)
        return network is not None and network.prefixlen > 0
    if key == "aws:userid":  # a role's sessions, "AROLEID:*", count as fixed
        head, colon, tail = value.partition(":")
        if colon and tail == "*" and head and not _wild(head):
            return True
    if key == "s3:dataaccesspointarn":  # the access point name may be a wildcard
        fields = value.split(":", 5)
        if (len(fields) == 6 and not any(_wild(f) for f in fields[:5])
                and fields[4].isdigit() and fields[5].startswith("accesspoint/")):
            return True
    return not _wild(value)


def _wild(text: str) -> bool:
    return "*" in text or "?" in text
