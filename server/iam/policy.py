"""The AWS IAM policy language: parse and validate a policy document into frozen dataclasses
whose patterns are compiled for evaluate.py.

Theory of operation
-------------------
parse_policy() reads the JSON defensively (jsondoc.py: size, first byte, nesting, duplicate
names) and then walks the grammar top-down, refusing with S3's MalformedPolicy wording where
S3 has one:

    Policy    = {Version?, Id?, Statement: Statement | [Statement, ...]}
    Statement = {Sid?, Effect: Allow|Deny, (Principal|NotPrincipal)?, (Action|NotAction),
                 (Resource|NotResource)?, Condition?}

Three kinds of policy differ only in the Principal and Resource rules: a bucket policy must
name a Principal or NotPrincipal (AWS principals, CanonicalUser ids, Service names, or "*")
and only resources of its own bucket; identity and session policies must not name a
principal, and may omit Resource only when every action is a MinIO admin:/kms:/sts: action
(MinIO's consoleAdmin policy does; those actions have no resource).

Version "2012-10-17" enables policy variables (`${aws:username}`) in Resource and in string
and ARN condition values; "2008-10-17", AWS's default when Version is missing, leaves `${...}`
as literal text.  Actions are validated against actions.py (a wildcard must match at least
one known action; AWS refuses "s3:Foo*" as it refuses "s3:Foo").  In a bucket policy an action
must apply to one of the statement's resources (an object action to `bucket/...`, a bucket
action to `bucket`), else S3's "Action does not apply to any resource(s) in statement".

Every pattern (actions case-insensitively, resources case-sensitively) is compiled here into
patterns.Patterns, so evaluation parses nothing (a pattern with policy variables is built
once per tuple of variable values, then memoized).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from .actions import BUCKET_ACTIONS, KNOWN_ACTIONS, OBJECT_ACTIONS
from .conditions import Condition, parse_block
from .jsondoc import MalformedPolicy, load, refuse
from .patterns import Patterns, wildcard_matcher
from .principals import Principal, parse_principal

__all__ = ["Condition", "MalformedPolicy", "Policy", "Principal", "Statement", "parse_policy"]

Kind = Literal["identity", "bucket", "session"]
Effect = Literal["Allow", "Deny"]

VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"
S3_ARN = "arn:aws:s3:::"

INVALID_ACTION = "Policy has invalid action"
INVALID_RESOURCE = "Policy has invalid resource"
ACTION_RESOURCE_MISMATCH = "Action does not apply to any resource(s) in statement"
PRINCIPAL_NOT_ALLOWED = "Policy document should not specify a principal."
DUPLICATE_SID = "Statement IDs (SID) in a single policy must be unique."
EMPTY_STATEMENT = "Could not parse the policy: Statement is empty!"
INVALID_VERSION = "The policy must contain a valid version string"

_POLICY_FIELDS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_FIELDS = frozenset({"Sid", "Effect", "Principal", "NotPrincipal", "Action",
                               "NotAction", "Resource", "NotResource", "Condition"})
_ARN = re.compile(r"arn:[a-z][a-z0-9-]*:[a-z0-9*?-]+:[^:]*:[^:]*:.+", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Statement:
    sid: str | None
    effect: Effect
    principal: Principal | None
    not_principal: Principal | None
    action: Patterns | None
    not_action: Patterns | None
    resource: Patterns | None
    not_resource: Patterns | None
    conditions: tuple[Condition, ...]
    resource_free: bool = field(default=False, compare=False)
    """Every action is a MinIO admin:/kms:/sts: one: the resource is not checked (MinIO's
    rule for those actions, which have no resource)."""


@dataclass(frozen=True, slots=True)
class Policy:
    version: str
    """As written; VERSION_2008 when the document has none (AWS's default)."""
    id: str | None
    statements: tuple[Statement, ...]
    raw: str
    """The document exactly as given (GetBucketPolicy answers it byte for byte)."""

    @property
    def variables(self) -> bool:
        """Whether policy variables are substituted (Version 2012-10-17)."""
        return self.version == VERSION_2012


def parse_policy(doc: bytes | str, kind: Kind, bucket: str | None = None,
                 max_bytes: int = 20 * 1024) -> Policy:
    """Parse and validate `doc` as a policy of `kind` (for a bucket policy, of `bucket`:
    None accepts any bucket's resources).  Raises MalformedPolicy."""
    raw, top = load(doc, max_bytes)
    for name in top:
        if name not in _POLICY_FIELDS:
            refuse(f"Unknown field {name}")
    version = top.get("Version", VERSION_2008)
    if version not in (VERSION_2012, VERSION_2008) or type(version) is not str:
        refuse(INVALID_VERSION)
    policy_id = top.get("Id")
    if policy_id is not None and type(policy_id) is not str:
        refuse("Policy Id must be a string")
    if "Statement" not in top:
        refuse("Missing required field Statement")
    listed = top["Statement"]
    items = listed if isinstance(listed, list) else [listed]
    if not items:
        refuse(EMPTY_STATEMENT)
    statements = tuple(_statement(item, kind, bucket, version == VERSION_2012) for item in items)
    sids = [s.sid for s in statements if s.sid]
    if len(sids) != len(set(sids)):
        refuse(DUPLICATE_SID)
    return Policy(version, policy_id, statements, raw)


def _statement(item: object, kind: Kind, bucket: str | None, variables: bool) -> Statement:
    if not isinstance(item, dict):
        refuse("Statement must be a JSON object")
    for name in item:
        if name not in _STATEMENT_FIELDS:
            refuse(f"Unknown field {name}")
    sid = item.get("Sid")
    if sid is not None and type(sid) is not str:
        refuse("Sid must be a string")
    if "Effect" not in item:
        refuse("Missing required field Effect")
    written = item["Effect"]
    if written not in ("Allow", "Deny") or type(written) is not str:
        refuse(f"Invalid effect: {written}")
    effect: Effect = "Allow" if written == "Allow" else "Deny"
    principal, not_principal = _principals(item, kind)
    action, not_action, resource_free = _actions(item, kind)
    resource, not_resource = _resources(item, kind, bucket, variables, resource_free)
    if kind == "bucket" and action is not None and resource is not None:
        _check_applies(action.values, resource.values)
    conditions = parse_block(item["Condition"], variables) if "Condition" in item else ()
    return Statement(sid, effect, principal, not_principal, action, not_action, resource,
                     not_resource, conditions, resource_free)


def _one_of(item: dict[str, object], name: str) -> tuple[object | None, object | None]:
    value, negated = item.get(name), item.get(f"Not{name}")
    if name in item and f"Not{name}" in item:
        refuse(f"Statement cannot contain both {name} and Not{name}")
    return value, negated


def _principals(item: dict[str, object], kind: Kind) -> tuple[Principal | None, Principal | None]:
    value, negated = _one_of(item, "Principal")
    if kind != "bucket":
        if "Principal" in item or "NotPrincipal" in item:
            refuse(PRINCIPAL_NOT_ALLOWED)
        return None, None
    if "Principal" not in item and "NotPrincipal" not in item:
        refuse("Missing required field Principal")
    if "Principal" in item:
        return parse_principal(value), None
    return None, parse_principal(negated)


def _strings(value: object, message: str) -> tuple[str, ...]:
    """A string or a non-empty list of strings."""
    items = value if isinstance(value, list) else [value]
    if not items or any(type(v) is not str for v in items):
        refuse(message)
    return tuple(items)


def _actions(item: dict[str, object], kind: Kind) -> tuple[Patterns | None, Patterns | None, bool]:
    """(Action, NotAction, resource_free).  A bucket policy may name s3: actions only."""
    value, negated = _one_of(item, "Action")
    if "Action" not in item and "NotAction" not in item:
        refuse("Missing required field Action")
    listed = _strings(value if "Action" in item else negated, INVALID_ACTION)
    s3_named = False
    for action in listed:
        matched = known_matches(action.lower())
        s3 = any(a.startswith("s3:") for a in matched)
        if not matched or (kind == "bucket" and not s3):
            refuse(INVALID_ACTION)
        s3_named = s3_named or s3
    compiled = Patterns.compile(listed, fold_case=True)
    if "Action" in item:
        return compiled, None, not s3_named
    return None, compiled, False


@lru_cache(maxsize=4096)
def known_matches(pattern: str) -> frozenset[str]:
    """The known actions (lower-cased) a lower-cased action pattern matches."""
    if ":" not in pattern and pattern != "*":
        return frozenset()
    if "*" not in pattern and "?" not in pattern:
        return frozenset({pattern}) & _KNOWN_LOWER
    matcher = wildcard_matcher(pattern)
    return frozenset(a for a in _KNOWN_LOWER if matcher(a))


_KNOWN_LOWER = frozenset(a.lower() for a in KNOWN_ACTIONS)
_OBJECT_LOWER = frozenset(a.lower() for a in OBJECT_ACTIONS)
_BUCKET_LOWER = frozenset(a.lower() for a in BUCKET_ACTIONS)


def _resources(item: dict[str, object], kind: Kind, bucket: str | None, variables: bool,
               resource_free: bool) -> tuple[Patterns | None, Patterns | None]:
    value, negated = _one_of(item, "Resource")
    if "Resource" not in item and "NotResource" not in item:
        if resource_free and kind != "bucket":
            return None, None
        refuse("Missing required field Resource")
    listed = _strings(value if "Resource" in item else negated, INVALID_RESOURCE)
    for resource in listed:
        if not _valid_resource(resource, kind, bucket):
            refuse(INVALID_RESOURCE)
    compiled = Patterns.compile(listed, variables=variables)
    return (compiled, None) if "Resource" in item else (None, compiled)


def _valid_resource(resource: str, kind: Kind, bucket: str | None) -> bool:
    if kind == "bucket":
        if not resource.startswith(S3_ARN):
            return False
        path = resource[len(S3_ARN):]
        if bucket is None:
            return bool(path.partition("/")[0])
        # The bucket part must be this bucket, literally: "mybucket*" could match "mybucket2".
        return path == bucket or path.startswith(bucket + "/")
    if resource == "*":
        return True
    if resource.startswith(S3_ARN):
        return len(resource) > len(S3_ARN)
    return _ARN.fullmatch(resource) is not None


def _check_applies(actions: tuple[str, ...], resources: tuple[str, ...]) -> None:
    """S3 refuses a bucket-policy action that applies to none of the statement's resources."""
    has_bucket = any("/" not in r[len(S3_ARN):] for r in resources)
    has_object = any("/" in r[len(S3_ARN):] for r in resources)
    for action in actions:
        matched = known_matches(action.lower())
        if not ((has_object and matched & _OBJECT_LOWER)
                or (has_bucket and matched & _BUCKET_LOWER)):
            refuse(ACTION_RESOURCE_MISMATCH)
