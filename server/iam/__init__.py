"""The AWS IAM policy language as a pure library: parse and validate policy documents
(policy.py), evaluate them for a request (evaluate.py), the IAM actions and the operation ->
action table (actions.py), and MinIO's canned policies (canned.py).  No I/O."""

from __future__ import annotations

from .canned import CANNED
from .evaluate import ANONYMOUS, AccessRequest, Caller, evaluate, is_public
from .policy import Condition, MalformedPolicy, Policy, Principal, Statement, parse_policy

__all__ = ["ANONYMOUS", "CANNED", "AccessRequest", "Caller", "Condition", "MalformedPolicy",
           "Policy", "Principal", "Statement", "evaluate", "is_public", "parse_policy"]
