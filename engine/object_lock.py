"""Object lock (WORM) rules, as S3 enforces them on a version.

A version under retention cannot be deleted (by version id) until its retain-until date has
passed: COMPLIANCE binds everyone, the root user included, and its date can only be moved
later; GOVERNANCE can be shortened, removed or deleted through by a request that sets
x-amz-bypass-governance-retention.  A legal hold blocks deletion whatever the retention, until
it is turned off.  Delete markers can always be written over a locked version (S3 does the
same): locking protects versions, not the latest view of a key.
"""

from __future__ import annotations

import time

from .errors import ObjectLocked
from .info import ObjectInfo

MODES = ("GOVERNANCE", "COMPLIANCE")


def check_deletable(info: ObjectInfo, bypass_governance: bool, now_ns: int | None = None) -> None:
    """ObjectLocked unless this version may be deleted now."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    if info.legal_hold:
        raise ObjectLocked(f"version {info.version_id} is under a legal hold")
    if info.locked_until > now_ns and not (info.lock_mode == "GOVERNANCE" and bypass_governance):
        raise ObjectLocked(f"version {info.version_id} is under {info.lock_mode} retention")


def check_retention_change(info: ObjectInfo, mode: str, until_ns: int, bypass_governance: bool,
                           now_ns: int | None = None) -> None:
    """ObjectLocked unless the version's retention may become (mode, until_ns); mode "" removes it."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    if info.locked_until <= now_ns:
        return  # no retention in force: anything goes
    weaker = not mode or until_ns < info.lock_until_ns
    if info.lock_mode == "COMPLIANCE" and (weaker or mode != "COMPLIANCE"):
        raise ObjectLocked(f"version {info.version_id} is under COMPLIANCE retention until "
                           f"{info.lock_until_ns}: it can only be extended")
    if info.lock_mode == "GOVERNANCE" and weaker and not bypass_governance:
        raise ObjectLocked(f"version {info.version_id} is under GOVERNANCE retention: shortening or "
                           "removing it needs x-amz-bypass-governance-retention")
