"""A statement's Condition element: operators, keys, values checked when the policy is parsed,
and each condition compiled into a test of one request value.

`{"ForAnyValue:StringLikeIfExists": {"s3:prefix": ["home/", "home/*"]}}` is one Condition:
operator StringLike, qualifier ForAnyValue, if_exists, key "s3:prefix" (key names are
case-insensitive, kept lower-cased), values as written (JSON numbers and booleans as text).
Condition.holds() applies AWS's rules for a missing key, negated operators, IfExists and the
ForAnyValue / ForAllValues set operators (see its docstring).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import operator as op
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from .jsondoc import refuse
from .patterns import Patterns, VarLookup, has_variables, split_variables, substitute

INVALID_KEY = "Policy has an invalid condition key"

Qualifier = Literal["ForAnyValue", "ForAllValues"]
Test = Callable[[str, VarLookup], bool]

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "Equals": op.eq, "NotEquals": op.eq, "LessThan": op.lt, "LessThanEquals": op.le,
    "GreaterThan": op.gt, "GreaterThanEquals": op.ge}

# Operator -> (kind, negated).  A negated operator is its positive twin's test, inverted.
OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("string", False), "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string_ci", False), "StringNotEqualsIgnoreCase": ("string_ci", True),
    "StringLike": ("like", False), "StringNotLike": ("like", True),
    **{f"Numeric{name}": ("numeric", name == "NotEquals") for name in _COMPARISONS},
    **{f"Date{name}": ("date", name == "NotEquals") for name in _COMPARISONS},
    "Bool": ("bool", False),
    "IpAddress": ("ip", False), "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False), "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True), "ArnNotLike": ("arn", True),
    "BinaryEquals": ("binary", False),
    "Null": ("null", False),
}

# Condition keys a policy may test (lower-cased): AWS's global keys, S3's keys, and MinIO's
# (aws:groups, ldap:*, jwt:*, s3:signatureAge, s3:authType).
def _lower_names(text: str) -> frozenset[str]:
    return frozenset(name.lower() for name in text.split())


KEYS = _lower_names("""
    aws:CalledVia aws:CalledViaFirst aws:CalledViaLast aws:CurrentTime aws:EpochTime
    aws:FederatedProvider aws:MultiFactorAuthAge aws:MultiFactorAuthPresent aws:PrincipalAccount
    aws:PrincipalArn aws:PrincipalIsAWSService aws:PrincipalOrgID aws:PrincipalOrgPaths
    aws:PrincipalServiceName aws:PrincipalServiceNamesList aws:PrincipalType aws:Referer
    aws:RequestedRegion aws:ResourceAccount aws:ResourceOrgID aws:ResourceOrgPaths
    aws:SecureTransport aws:SourceAccount aws:SourceArn aws:SourceIdentity aws:SourceIp
    aws:SourceOrgID aws:SourceOrgPaths aws:SourceOwner aws:SourceVpc aws:SourceVpce aws:TagKeys
    aws:TokenIssueTime aws:UserAgent aws:userid aws:username aws:ViaAWSService aws:VpcSourceIp
    aws:groups ldap:user ldap:username ldap:groups
    s3:AccessPointNetworkOrigin s3:authType s3:DataAccessPointAccount s3:DataAccessPointArn
    s3:delimiter s3:if-match s3:if-none-match s3:LocationConstraint s3:max-keys
    s3:object-lock-legal-hold s3:object-lock-mode s3:object-lock-remaining-retention-days
    s3:object-lock-retain-until-date s3:prefix s3:RequestObjectTagKeys s3:ResourceAccount
    s3:signatureAge s3:signatureversion s3:TlsVersion s3:versionid s3:x-amz-acl
    s3:x-amz-content-sha256 s3:x-amz-copy-source s3:x-amz-grant-full-control s3:x-amz-grant-read
    s3:x-amz-grant-read-acp s3:x-amz-grant-write s3:x-amz-grant-write-acp
    s3:x-amz-metadata-directive s3:x-amz-object-ownership s3:x-amz-server-side-encryption
    s3:x-amz-server-side-encryption-aws-kms-key-id
    s3:x-amz-server-side-encryption-customer-algorithm s3:x-amz-storage-class
    s3:x-amz-website-redirect-location
""")
# Keys ending in a name of the policy's choosing: a tag key, a JWT claim.
KEY_PREFIXES = ("s3:existingobjecttag/", "s3:requestobjecttag/", "aws:requesttag/",
                "aws:resourcetag/", "aws:principaltag/", "jwt:")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_EPOCH = re.compile(r"[+-]?\d+(?:\.\d+)?")


def valid_key(key: str) -> bool:
    if key in KEYS:
        return True
    return any(key.startswith(p) and len(key) > len(p) for p in KEY_PREFIXES)


def parse_number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def parse_date(text: str) -> float | None:
    """ISO 8601 (naive means UTC) or epoch seconds -> epoch seconds."""
    if _EPOCH.fullmatch(text):
        return float(text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=1024)
def parse_ip(text: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def parse_network(text: str) -> IpNetwork | None:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Condition:
    """One (operator, key) pair of a Condition block; values are ORed."""

    operator: str
    qualifier: Qualifier | None
    if_exists: bool
    key: str
    values: tuple[str, ...]
    negated: bool = field(default=False, compare=False, repr=False)
    test: Test | None = field(default=None, compare=False, repr=False)

    def holds(self, present: Sequence[str] | None, lookup: VarLookup) -> bool:
        """Whether the condition holds given the key's values in the request (None or empty:
        missing).  AWS's rules: a missing key fails a positive operator and passes a negated
        one (StringNotEquals, NotIpAddress, ...); IfExists passes it; ForAnyValue fails it;
        ForAllValues passes it -- "all of no values" is vacuously true, AWS's documented trap,
        which is why Deny statements pair ForAllValues with a Null check.  Present values:
        without a qualifier, a positive operator holds if any value matches any policy value
        and a negated one if none does; ForAnyValue needs one value to pass, ForAllValues
        every value."""
        if self.test is None:  # Null: "true" holds when the key is missing
            missing = not present
            return any((value == "true") == missing for value in self.values)
        if not present:
            if self.if_exists or self.qualifier == "ForAllValues":
                return True
            return self.negated and self.qualifier is None
        test, negated = self.test, self.negated
        if self.qualifier == "ForAllValues":
            return all(test(v, lookup) != negated for v in present)
        if self.qualifier == "ForAnyValue":
            return any(test(v, lookup) != negated for v in present)
        return any(test(v, lookup) for v in present) != negated


def _split_operator(name: str) -> tuple[Qualifier | None, str, bool]:
    qualifier: Qualifier | None = None
    base = name
    if ":" in name:
        prefix, _, base = name.partition(":")
        if prefix == "ForAnyValue":
            qualifier = "ForAnyValue"
        elif prefix == "ForAllValues":
            qualifier = "ForAllValues"
        else:
            refuse(f"Invalid Condition type : {name}")
    if_exists = base.endswith("IfExists") and base != "Null"
    if if_exists:
        base = base[:-len("IfExists")]
    if base not in OPERATORS or (base == "Null" and (if_exists or qualifier)):
        refuse(f"Invalid Condition type : {name}")
    return qualifier, base, if_exists


def _values(raw: object, where: str) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        refuse(f"Condition {where} has no values")
    out: list[str] = []
    for item in items:
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, str):  # a JsonNumber too: the number as written
            out.append(str(item))
        else:
            refuse(f"Invalid value in condition {where}")
    return tuple(out)


def parse_block(block: object, variables: bool) -> tuple[Condition, ...]:
    """A statement's Condition element -> its conditions, in document order."""
    if not isinstance(block, dict):
        refuse("Condition must be a JSON object")
    out: list[Condition] = []
    for name, keys in block.items():
        qualifier, base, if_exists = _split_operator(name)
        if not isinstance(keys, dict):
            refuse(f"Invalid Condition type : {name}")
        for key, raw in keys.items():
            lowered = key.lower()
            if not valid_key(lowered):
                refuse(INVALID_KEY)
            values = _values(raw, f"{name} {key}")
            kind, negated = OPERATORS[base]
            test = _compile(base, kind, values, variables, f"{name} {key}")
            out.append(Condition(base, qualifier, if_exists, lowered, values, negated, test))
    return tuple(out)


def _compile(base: str, kind: str, values: tuple[str, ...], variables: bool,
             where: str) -> Test | None:
    bad = f"Invalid value in condition {where}"
    if kind == "null":
        if any(v.lower() not in ("true", "false") for v in values):
            refuse(bad)
        return None
    if kind in ("string", "like", "arn"):
        patterns = Patterns.compile(values, wildcards=kind != "string", variables=variables,
                                    arn=kind == "arn")
        return patterns.matches
    if kind == "string_ci":
        return _ignore_case(values, variables)
    if kind == "bool":
        if any(v.lower() not in ("true", "false") for v in values):
            refuse(bad)
        accepted = frozenset(v.lower() for v in values)
        return lambda v, _: v.lower() in accepted
    if kind == "binary":
        try:
            for v in values:
                base64.b64decode(v, validate=True)
        except (binascii.Error, ValueError):
            refuse(bad)
        fixed = frozenset(values)
        return lambda v, _: v in fixed
    if kind == "ip":
        networks = tuple(parse_network(v) for v in values)
        if any(n is None for n in networks):
            refuse(bad)
        return _ip_test(networks)  # type: ignore[arg-type]
    parse = parse_number if kind == "numeric" else parse_date
    bounds = tuple(parse(v) for v in values)
    if any(b is None for b in bounds):
        refuse(bad)
    compare = _COMPARISONS[base[len("Numeric") if kind == "numeric" else len("Date"):]]
    return _ordered_test(parse, compare, bounds)  # type: ignore[arg-type]


def _ignore_case(values: tuple[str, ...], variables: bool) -> Test:
    fixed = frozenset(v.lower() for v in values if not (variables and has_variables(v)))
    templates = tuple(split_variables(v) for v in values if variables and has_variables(v))

    def test(value: str, lookup: VarLookup) -> bool:
        folded = value.lower()
        if folded in fixed:
            return True
        for pieces in templates:
            text = substitute(pieces, lookup)
            if text is not None and text.lower() == folded:
                return True
        return False
    return test


def _ip_test(networks: tuple[IpNetwork, ...]) -> Test:
    def test(value: str, _: VarLookup) -> bool:
        address = parse_ip(value)
        return address is not None and any(address in n for n in networks)
    return test


def _ordered_test(parse: Callable[[str], float | None],
                  compare: Callable[[float, float], bool], bounds: tuple[float, ...]) -> Test:
    def test(value: str, _: VarLookup) -> bool:
        x = parse(value)
        return x is not None and any(compare(x, b) for b in bounds)
    return test


__all__ = ["KEYS", "OPERATORS", "Condition", "parse_block", "valid_key"]
