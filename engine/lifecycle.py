"""Lifecycle rules applied to objects: which rule applies, when a version expires, and what is due
for a key's versions or for an upload.  Pure: every function is given the time and the length of
a day, and nothing here reads or writes a drive (lifecycle_job.py acts on what is decided here).

Theory of operation
-------------------
Ages count as S3 counts them (S3 user guide, "Lifecycle configuration elements"): an
Expiration's Days from the version's creation (its mtime); NoncurrentVersionExpiration's
NoncurrentDays from when the version became noncurrent, which is when its successor was written
(the mtime of the next newer version, object or delete marker); AbortIncompleteMultipartUpload's
DaysAfterInitiation from the upload's initiation.  The moment found is rounded up to the next day
boundary: with the normal 86400-second day that is S3's "next day midnight UTC" (an object
written 1/15 at 10:30 UTC with Days 3 expires 1/19 00:00 UTC); MinIO's ExpectedExpiryTime
computes the same, taking the boundary strictly after, as `expires_at` does.  With a day shortened
for tests (CAIRN_LIFECYCLE_DAY_SECONDS), boundaries are the multiples of that day since the epoch,
so the rounding keeps its shape at every scale.  An Expiration Date is a moment (midnight UTC)
and is never scaled: current versions that match expire from then on.

A rule applies to an object when it is Enabled and its filter matches: the key starts with the
prefix, every tag of the filter is on the version with the same value, and the size is strictly
above ObjectSizeGreaterThan and below ObjectSizeLessThan.  Several rules may apply; the earliest
expiry wins (it names the rule in x-amz-expiration).  For a key's versions (newest first):

- the current version (not a delete marker) is due once an Expiration (Days or Date) is;
- a noncurrent version (object or delete marker) is due once a NoncurrentVersionExpiration's
  NoncurrentDays have passed and, with NewerNoncurrentVersions = N, at least N newer noncurrent
  versions exist (S3 keeps the N newest);
- a delete marker left as the only version of its key (an "expired object delete marker") is
  due under ExpiredObjectDeleteMarker, or under Expiration Days once the marker is that old
  (S3: "When you specify the Days tag, Amazon S3 automatically performs ExpiredObjectDeleteMarker
  cleanup when the delete markers are old enough to satisfy the age criteria").

Transitions (to a remote tier, tiers.py) count their ages the same way: a Transition's Days from
the current version's creation (or its Date), a NoncurrentVersionTransition's NoncurrentDays from
when the version became noncurrent (NewerNoncurrentVersions keeping the newest as for expiry).  A
version is due for transition when it is not a delete marker, not already transitioned, and not
due for expiry in the same pass (expiry wins: nothing is moved only to be deleted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .bucket_config import LifecycleConfig, LifecycleRule
from .info import ObjectInfo

DAY_SECONDS = 86_400
NS = 1_000_000_000


@dataclass(frozen=True)
class Expiry:
    """When something expires (ns since the epoch) and the ID of the rule that says so."""

    when_ns: int
    rule_id: str


@dataclass
class KeyPlan:
    """What is due for one key's versions: the current version's expiry (it is written over:
    removed, or hidden under a delete marker on a versioned bucket), the noncurrent versions
    to delete, each with the rule that expires it, and the versions to move to a remote tier."""

    current: Expiry | None = None
    noncurrent: list[tuple[ObjectInfo, str]] = field(default_factory=list)
    transitions: list[tuple[ObjectInfo, str, str]] = field(default_factory=list)  # version, rule, tier


def day_ns(day_seconds: float) -> int:
    """A lifecycle day in nanoseconds (at least 1 ns)."""
    return max(1, round(day_seconds * NS))


def expires_at(start_ns: int, days: int, day: int) -> int:
    """The first day boundary strictly after `days` days from `start_ns` (`day` in ns)."""
    return ((start_ns + days * day) // day + 1) * day


def applies(rule: LifecycleRule, key: str, size: int, tags: Mapping[str, str]) -> bool:
    """Whether the rule is Enabled and its filter matches a version of `key` of this size and tags."""
    f = rule.filter
    if not rule.enabled or (f.prefix and not key.startswith(f.prefix)):
        return False
    if (f.size_gt is not None and size <= f.size_gt) or (f.size_lt is not None and size >= f.size_lt):
        return False
    return all(tags.get(name) == value for name, value in f.tags)


def due_ns(mtime_ns: int, days: int | None, date: int | None, day: int) -> int | None:
    """When an action with `days` (counted from `mtime_ns`, as expires_at counts) or `date` (epoch
    seconds) falls due, in ns; None when the rule gives neither."""
    if days is not None:
        return expires_at(mtime_ns, days, day)
    return None if date is None else date * NS


def current_expiry(config: LifecycleConfig, key: str, info: ObjectInfo, day: int) -> Expiry | None:
    """When the current version `info` expires under the rules (the earliest), None when no
    Expiration applies; a delete marker has none."""
    if info.delete_marker:
        return None
    best: Expiry | None = None
    for rule in config.rules:
        when = due_ns(info.mtime_ns, rule.expiration_days, rule.expiration_date, day)
        if when is None:
            continue
        if (best is None or when < best.when_ns) and applies(rule, key, info.size, info.tags):
            best = Expiry(when, rule.id)
    return best


def noncurrent_due(config: LifecycleConfig, key: str, version: ObjectInfo, successor_ns: int, newer: int,
                   now_ns: int, day: int) -> str | None:
    """The rule under which a noncurrent version is due now (None: not due): it became noncurrent
    at `successor_ns` and `newer` noncurrent versions of its key are newer than it."""
    for rule in config.rules:
        days, keep = rule.noncurrent_days, rule.newer_noncurrent_versions
        if days is None or (keep is not None and newer < keep):
            continue
        if expires_at(successor_ns, days, day) > now_ns:
            continue
        if applies(rule, key, version.size, version.tags):
            return rule.id
    return None


def current_transition(config: LifecycleConfig, key: str, info: ObjectInfo, now_ns: int,
                       day: int) -> tuple[str, str] | None:
    """(rule ID, tier) of a Transition due now for the current version `info`, None when none is."""
    if info.delete_marker or info.tier is not None:
        return None
    for rule in config.rules:
        when = due_ns(info.mtime_ns, rule.transition_days, rule.transition_date, day)
        if rule.transition_class is None or when is None:
            continue
        if when <= now_ns and applies(rule, key, info.size, info.tags):
            return rule.id, rule.transition_class
    return None


def noncurrent_transition(config: LifecycleConfig, key: str, version: ObjectInfo, successor_ns: int,
                          newer: int, now_ns: int, day: int) -> tuple[str, str] | None:
    """(rule ID, tier) of a NoncurrentVersionTransition due now for a noncurrent version (as
    noncurrent_due counts), None when none is."""
    if version.delete_marker or version.tier is not None:
        return None
    for rule in config.rules:
        days, keep = rule.noncurrent_transition_days, rule.noncurrent_transition_newer
        if days is None or rule.noncurrent_transition_class is None or (keep is not None and newer < keep):
            continue
        if expires_at(successor_ns, days, day) <= now_ns and applies(rule, key, version.size, version.tags):
            return rule.id, rule.noncurrent_transition_class
    return None


def plan_key(config: LifecycleConfig, key: str, versions: Sequence[ObjectInfo], now_ns: int,
             day: int) -> KeyPlan:
    """What is due now for `key`, given all its versions newest first (the expired object delete
    marker is `marker_due`'s: it depends on what the plan's deletes leave)."""
    plan = KeyPlan()
    if not versions:
        return plan
    expiry = current_expiry(config, key, versions[0], day)
    if expiry is not None and expiry.when_ns <= now_ns:
        plan.current = expiry
    elif (moving := current_transition(config, key, versions[0], now_ns, day)) is not None:
        plan.transitions.append((versions[0], *moving))
    for i in range(1, len(versions)):
        rule_id = noncurrent_due(config, key, versions[i], versions[i - 1].mtime_ns, i - 1, now_ns, day)
        if rule_id is not None:
            plan.noncurrent.append((versions[i], rule_id))
        elif (moving := noncurrent_transition(config, key, versions[i], versions[i - 1].mtime_ns, i - 1,
                                              now_ns, day)) is not None:
            plan.transitions.append((versions[i], *moving))
    return plan


def marker_due(config: LifecycleConfig, key: str, marker: ObjectInfo, now_ns: int, day: int) -> str | None:
    """The rule under which a delete marker that is the only version of its key goes now: one with
    ExpiredObjectDeleteMarker, or one with Expiration Days once the marker is that old."""
    for rule in config.rules:
        if rule.expired_object_delete_marker:
            due = True
        elif rule.expiration_days is not None:
            due = expires_at(marker.mtime_ns, rule.expiration_days, day) <= now_ns
        else:
            continue
        if due and applies(rule, key, 0, {}):
            return rule.id
    return None


def upload_expiry(config: LifecycleConfig, key: str, initiated_ns: int, day: int) -> Expiry | None:
    """When an upload of `key` initiated at `initiated_ns` is aborted under the rules (the
    earliest AbortIncompleteMultipartUpload that applies), None when none does."""
    best: Expiry | None = None
    for rule in config.rules:
        if rule.abort_days is None:
            continue
        when = expires_at(initiated_ns, rule.abort_days, day)
        if (best is None or when < best.when_ns) and applies(rule, key, 0, {}):
            best = Expiry(when, rule.id)
    return best


def acts_on_versions(config: LifecycleConfig) -> bool:
    """Whether any Enabled rule acts on objects, versions or delete markers."""
    return any(r.enabled and (r.expiration_days is not None or r.expiration_date is not None
                              or r.expired_object_delete_marker or r.noncurrent_days is not None
                              or r.transition_class is not None or r.noncurrent_transition_class is not None)
               for r in config.rules)


def acts_on_uploads(config: LifecycleConfig) -> bool:
    return any(r.enabled and r.abort_days is not None for r in config.rules)
