"""A bucket policy statement's Principal or NotPrincipal element.

Forms AWS accepts: "*"; {"AWS": ...}, {"CanonicalUser": ...}, {"Service": ...}, each a string
or a non-empty list.  AWS values: "*" (everyone, as the bare "*"), a 12-digit account id (the
same as arn:aws:iam::<id>:root: the whole account), an IAM ARN (root, user/, role/,
assumed-role/, federated-user/; MinIO writes users account-less, arn:aws:iam:::user/name), or
an IAM unique id (AIDA..., AROA...: what AWS shows once the named user is deleted).  AWS allows
no other wildcard in a principal, so "arn:aws:iam::*:root" is "Invalid principal in policy".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .jsondoc import refuse

INVALID_PRINCIPAL = "Invalid principal in policy"

_ACCOUNT = re.compile(r"\d{12}")
_IAM_ARN = re.compile(
    r"arn:(?:aws|aws-cn|aws-us-gov|minio):(?:iam|sts)::(\d{12})?:"
    r"(root|(?:user|role|assumed-role|federated-user)/[^*?]+)")
_UNIQUE_ID = re.compile(r"A(?:IDA|ROA|IPA|NPA|NVA|SIA|GPA)[A-Z0-9]{12,124}")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9.-]*")
_KINDS = ("AWS", "CanonicalUser", "Service")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a statement names.  accounts: the account ids named as a whole (a bare id or
    :root), which cover every principal of that account."""

    wildcard: bool
    aws: frozenset[str]
    canonical_users: frozenset[str]
    services: frozenset[str]
    accounts: frozenset[str] = field(default=frozenset(), compare=False)


def _listed(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not items or any(type(v) is not str for v in items):
        refuse(INVALID_PRINCIPAL)
    return items  # type: ignore[return-value]


def parse_principal(value: object) -> Principal:
    if value == "*" and type(value) is str:
        return Principal(True, frozenset(), frozenset(), frozenset())
    if not isinstance(value, dict) or not value:
        refuse(INVALID_PRINCIPAL)
    wildcard = False
    aws: set[str] = set()
    accounts: set[str] = set()
    canonical: set[str] = set()
    services: set[str] = set()
    for kind, listed in value.items():
        if kind not in _KINDS:
            refuse(INVALID_PRINCIPAL)
        for item in _listed(listed):
            if kind == "AWS":
                wildcard |= _aws(item, aws, accounts)
            elif kind == "CanonicalUser":
                if not item or "*" in item:
                    refuse(INVALID_PRINCIPAL)
                canonical.add(item)
            else:
                if _SERVICE.fullmatch(item) is None:
                    refuse(INVALID_PRINCIPAL)
                services.add(item)
    return Principal(wildcard, frozenset(aws), frozenset(canonical), frozenset(services),
                     frozenset(accounts))


def _aws(item: str, aws: set[str], accounts: set[str]) -> bool:
    """Add one AWS principal; True if it is "*"."""
    if item == "*":
        return True
    if _ACCOUNT.fullmatch(item):
        aws.add(f"arn:aws:iam::{item}:root")
        accounts.add(item)
        return False
    arn = _IAM_ARN.fullmatch(item)
    if arn is not None:
        aws.add(item)
        if arn.group(2) == "root" and arn.group(1):
            accounts.add(arn.group(1))
        return False
    if _UNIQUE_ID.fullmatch(item):
        aws.add(item)
        return False
    refuse(INVALID_PRINCIPAL)
