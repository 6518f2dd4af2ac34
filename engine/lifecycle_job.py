"""The scanner's lifecycle job: each bucket's lifecycle rules applied to the keys and uploads the
walk (scanner.py) hands it, as ordinary S3 operations of the ObjectLayer.

- A current version that has expired is deleted as DeleteObject without a version id deletes
  it, conditional on its ETag (a version written since the listing is not touched): removed on an
  unversioned bucket, hidden under a delete marker on an Enabled one, under a null delete marker
  on a Suspended one.
- A noncurrent version (or delete marker) that has expired, and an expired object delete marker,
  are deleted by version id.  A version under retention or legal hold is never removed: the
  engine refuses the delete (no governance bypass is ever asked for) and the version is counted
  as kept; it goes in a later cycle once its lock has ended.
- An upload is aborted once an AbortIncompleteMultipartUpload rule of its bucket says so, or once
  it is older than the server's --stale-uploads-after: that is a default rule of every bucket.
  At the end of a cycle the completions kept for retried Completes are forgotten after the same
  age, as the sweeper this replaces did.

- A version due for a Transition or NoncurrentVersionTransition is moved to the rule's remote
  tier (tiers.transition: PUT there, then its record replaced by a stub if it is still the version
  read); a tier that fails leaves the version as it is, for a later cycle.  At the end of each
  cycle the tier journal is drained: remote objects no version names any more are deleted there.

Which rule applies and when is lifecycle.py's.  Outcomes are counted for the server to log, and
each delete applied is told to `on_delete` (the server queues its bucket notifications).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from .bucket_config import LifecycleConfig
from .buckets import BucketInfo
from .errors import EngineError, ObjectLocked, TierUnavailable
from .info import DeletedObject, ObjectInfo, UploadInfo
from .lifecycle import acts_on_uploads, acts_on_versions, day_ns, marker_due, plan_key, upload_expiry
from .options import ObjectOptions
from .scanner import Wants
from .tiers import transition

if TYPE_CHECKING:
    from .api import ObjectLayer

log = logging.getLogger("cairn.engine.lifecycle")
OnDelete = Callable[[BucketInfo, str, DeletedObject, str | None], None]  # bucket, key, outcome, version asked
STALE_RULE = "--stale-uploads-after"  # the rule id the default AbortIncompleteMultipartUpload goes by


@dataclass
class LifecycleCounts:
    """What the job did since the counts were last taken."""

    expired: int = 0  # current versions expired (removed or hidden under a delete marker)
    noncurrent: int = 0  # noncurrent versions removed
    markers: int = 0  # expired object delete markers removed
    aborted: int = 0  # uploads aborted under a bucket's rule
    stale: int = 0  # uploads aborted under --stale-uploads-after
    locked: int = 0  # versions due but kept by object lock
    transitioned: int = 0  # versions moved to a remote tier
    transition_failed: int = 0  # versions due for transition left local (tier failing): next cycle
    tier_deleted: int = 0  # remote objects deleted from their tier (their versions gone)

    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


class LifecycleJob:
    """A scanner job (scanner.Job) applying lifecycle rules; `day_seconds` is the length of a
    lifecycle day, `stale_upload_seconds` the default rule's age (0: none)."""

    def __init__(self, layer: ObjectLayer, day_seconds: float = 86_400.0, stale_upload_seconds: float = 0.0,
                 clock: Callable[[], int] = time.time_ns, on_delete: OnDelete | None = None) -> None:
        self.layer = layer
        self.on_delete = on_delete  # told of every expiration applied (bucket notifications)
        self.day = day_ns(day_seconds)
        self.stale_ns = round(stale_upload_seconds * 1e9)
        self.clock = clock
        self.counts = LifecycleCounts()
        self._configs: dict[tuple[str, int, int], LifecycleConfig | None] = {}
        self._tiers_failing: set[str] = set()  # tiers whose failure this cycle was logged

    def take_counts(self) -> LifecycleCounts:
        counts, self.counts = self.counts, LifecycleCounts()
        return counts

    def config(self, bucket: BucketInfo) -> LifecycleConfig | None:
        slot = (bucket.name, bucket.created_ns, bucket.generation)
        if slot not in self._configs:
            if len(self._configs) > 10_000:
                self._configs.clear()
            self._configs[slot] = bucket.config(LifecycleConfig)
        return self._configs[slot]

    # -- scanner.Job ------------------------------------------------------------------------

    def wants(self, bucket: BucketInfo) -> Wants:
        config = self.config(bucket)
        versions = config is not None and acts_on_versions(config)
        uploads = self.stale_ns > 0 or (config is not None and acts_on_uploads(config))
        return Wants(versions=versions, uploads=uploads)

    def visit_key(self, bucket: BucketInfo, key: str, versions: list[ObjectInfo]) -> None:
        config = self.config(bucket)
        if config is None or not versions:
            return
        now = self.clock()
        plan = plan_key(config, key, versions, now, self.day)
        if plan.current is not None:
            current = versions[0]
            if self._delete(bucket, key, ObjectOptions(if_match=current.etag), plan.current.rule_id):
                self.counts.expired += 1
        removed = 0
        for version, rule_id in plan.noncurrent:
            if self._delete(bucket, key, ObjectOptions(version_id=version.version_id), rule_id):
                removed += 1
        self.counts.noncurrent += removed
        for version, rule_id, tier in plan.transitions:
            self._transition(bucket, key, version, rule_id, tier)
        marker = versions[0]
        if marker.delete_marker and removed == len(versions) - 1:  # the marker is all that is left
            marker_rule = marker_due(config, key, marker, now, self.day)
            opts = ObjectOptions(version_id=marker.version_id)
            if marker_rule is not None and self._delete(bucket, key, opts, marker_rule):
                self.counts.markers += 1

    def visit_upload(self, bucket: BucketInfo, key: str, upload: UploadInfo) -> None:
        now = self.clock()
        config = self.config(bucket)
        expiry = upload_expiry(config, key, upload.initiated_ns, self.day) if config is not None else None
        by_rule = expiry is not None and expiry.when_ns <= now
        stale = self.stale_ns > 0 and upload.initiated_ns + self.stale_ns <= now
        if not (by_rule or stale):
            return
        try:
            self.layer.abort_multipart_upload(bucket.name, key, upload.upload_id)
        except EngineError as exc:  # completed or aborted meanwhile, or drives missing: next cycle
            log.debug("lifecycle: upload %s of %s/%s not aborted: %s", upload.upload_id, bucket.name, key,
                      exc)
            return
        if by_rule:
            self.counts.aborted += 1
        else:
            self.counts.stale += 1

    def cycle_done(self) -> None:
        self._tiers_failing.clear()
        if self.stale_ns > 0:
            self.layer.forget_completions(self.stale_ns / 1e9)
        try:
            self.counts.tier_deleted += self.layer.tier_journal.drain()
        except EngineError as exc:  # the journal's set short of drives: next cycle
            log.warning("lifecycle: the remote tier journal could not be read: %s", exc)

    # -- acting -------------------------------------------------------------------------------

    def _transition(self, bucket: BucketInfo, key: str, version: ObjectInfo, rule_id: str, tier: str) -> None:
        try:
            if transition(self.layer, bucket.name, key, version, tier):
                self.counts.transitioned += 1
        except TierUnavailable as exc:  # the tier's failure: said once a cycle, not once a version
            self.counts.transition_failed += 1
            if tier not in self._tiers_failing:
                self._tiers_failing.add(tier)
                log.warning("lifecycle: rule %r: versions due for tier %s stay local this cycle: %s", rule_id,
                            tier, exc)
        except EngineError as exc:
            self.counts.transition_failed += 1
            log.warning("lifecycle: rule %r: %s/%s (version %s) not transitioned to %s: %s", rule_id,
                        bucket.name, key, version.version_id, tier, exc)

    def _delete(self, bucket: BucketInfo, key: str, opts: ObjectOptions, rule_id: str) -> bool:
        """DeleteObject as a client would send it; False when refused (locked, changed, gone)."""
        try:
            done = self.layer.delete_object(bucket.name, key, opts)
        except ObjectLocked:
            self.counts.locked += 1
            return False
        except EngineError as exc:
            log.debug("lifecycle: rule %r: %s/%s (version %s) not deleted: %s", rule_id, bucket.name, key,
                      opts.version_id, exc)
            return False
        if self.on_delete is not None:
            try:
                self.on_delete(bucket, key, done, opts.version_id)
            except Exception:  # a listener's failure is its own; the expiration stands
                log.exception("lifecycle: telling of %s/%s's expiration failed", bucket.name, key)
        return True
