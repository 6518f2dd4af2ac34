"""The scanner's heal job: every object version checked, and what a drive lost written again.

Theory of operation
-------------------
A heal *pass* is one whole cycle of the scanner (scanner.py) in which this job wants every
bucket: the bucket's record is healed when the walk reaches it, each key's versions as they are
handed over (healer.py, normal check: records on every drive, shard files present and whole), and
the identity records and the notification events waiting for delivery once the cycle ends.
Passes are not run every cycle: a pass is due

- at once while a replaced drive is healing (drive_healing.py: a fresh drive in a slot, until a
  whole pass has healed everything, its progress saved in the drive's marker as the walk goes, so
  a restart resumes at the bucket and key it had reached);
- otherwise every `interval_s` (--heal-interval), and every `deep_interval_s` the pass is deep
  (every shard frame's CRC32C verified: MinIO's bitrot scan, much costlier).

Each pass also names the data directories its versions and uploads use (and the part files of
multipart versions), for the orphan sweep at its end (orphans.py), whose counts `sweep` keeps.
Between passes the job costs nothing but `wants`.  Reads' damage reports (heal.py) are healed by
`heal_reported`, which the server calls before every scanner step whether a pass runs or not.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from . import drive_healing
from .buckets import BucketInfo
from .healer import HealCounts, HealResult
from .info import ObjectInfo, UploadInfo
from .orphans import OrphanSweep, SweepCounts, removed
from .scanner import Wants

if TYPE_CHECKING:
    from .api import ObjectLayer

log = logging.getLogger("cairn.engine.heal")
SAVE_EVERY_S = 2.0  # how often a replaced drive's marker records the walk's progress
HEAL_THREADS = 4  # keys healed at once (heal_bench.py: 256 KiB objects 131/s on one thread)


class HealPool:
    """Keys healed on a few threads at once, so that their record commits share group commits and
    their fsyncs overlap; at most `window` keys are in flight, and `drain` waits for them all and
    returns their results (a key whose heal raised is logged and counted as unhealable)."""

    def __init__(self, layer: ObjectLayer, threads: int = HEAL_THREADS) -> None:
        self.layer = layer
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="cairn-heal")
        self.window = 4 * threads
        self.pending: list[tuple[str, str, Future[list[HealResult]]]] = []

    def submit(self, bucket: str, key: str, *, deep: bool = False, dry_run: bool = False
               ) -> list[HealResult] | None:
        """Queue a key; once the window is full, everything queued is waited for: its results
        (None while nothing was waited for)."""
        future = self.executor.submit(self.layer.heal_object, bucket, key, deep=deep, dry_run=dry_run)
        self.pending.append((bucket, key, future))
        return self.drain() if len(self.pending) >= self.window else None

    def drain(self) -> list[HealResult]:
        results: list[HealResult] = []
        for bucket, key, future in self.pending:
            try:
                results += future.result()
            except Exception as exc:
                log.exception("healing %s/%s failed", bucket, key)
                results.append(HealResult(f"{bucket}/{key}", key=key, state="unhealable", detail=str(exc)))
        self.pending = []
        return results

    def close(self) -> None:
        self.drain()
        self.executor.shutdown(wait=True)


class HealJob:
    def __init__(self, layer: ObjectLayer, *, interval_s: float, deep_interval_s: float) -> None:
        self.layer = layer
        self.interval_s = interval_s
        self.deep_interval_s = deep_interval_s
        self.started = time.monotonic()
        self.last_pass = self.last_deep = self.started  # a server that just started is not due
        self.counts = HealCounts()  # since last taken
        self.pass_counts = HealCounts()  # of the pass running (or the last one)
        self.passes = 0
        self.active = False  # a pass is running this cycle
        self.deep = False
        self.healing: list[str] = []  # drives (paths) whose marker this pass will clear
        self.saved = 0.0
        self.orphans = OrphanSweep(layer.drives, metas=[s.meta for s in layer.sets])
        self.sweep = SweepCounts()  # of the last pass's orphan sweep
        self.swept = SweepCounts()  # removed by every sweep since start (suspects: the last one's)
        self.pool = HealPool(layer)
        self._begin_pass_if_due()

    # -- scheduling --------------------------------------------------------------------------------

    def replaced_drives(self) -> list[str]:
        return [d.path for s in self.layer.deployment.sets for d in s.drives
                if d.online and drive_healing.load(d.path) is not None]

    def resume_point(self) -> tuple[str, str] | None:
        """(bucket, key) a replaced drive's interrupted heal had reached, if any."""
        for path in self.healing:
            progress = drive_healing.load(path) or {}
            bucket = str(progress.get("bucket", ""))
            if bucket:
                return bucket, str(progress.get("key", ""))
        return None

    def _begin_pass_if_due(self) -> None:
        now = time.monotonic()
        self.healing = self.replaced_drives()
        self.deep = now - self.last_deep >= self.deep_interval_s
        self.active = bool(self.healing) or self.deep or now - self.last_pass >= self.interval_s
        if self.active:
            self.pass_counts = HealCounts()
            self.orphans.begin()
            if self.healing:
                log.warning("healing replaced drive(s) %s", ", ".join(self.healing))

    # -- the scanner's Job interface ---------------------------------------------------------------

    def wants(self, bucket: BucketInfo) -> Wants:
        if not self.active:
            return Wants()
        self._drain()
        self.add(self.layer.heal_bucket(bucket.name))
        self._save_progress(bucket.name, "", force=True)
        return Wants(versions=True, uploads=True)

    def visit_key(self, bucket: BucketInfo, key: str, versions: list[ObjectInfo]) -> None:
        if not self.active:
            return
        for version in versions:  # first: a key that fails to heal still names its data
            files = [p.file for p in version.parts] if version.parts else None  # None: one file
            self.orphans.reference(version.data_id, files)
        done = self.pool.submit(bucket.name, key, deep=self.deep)
        if done is not None:
            for result in done:
                self.add(result)
            self._save_progress(bucket.name, key)  # every key up to this one is healed

    def visit_upload(self, bucket: BucketInfo, key: str, upload: UploadInfo) -> None:
        if self.active:
            self.orphans.reference_upload(upload.data_id)

    def _drain(self) -> None:
        for result in self.pool.drain():
            self.add(result)

    def cycle_done(self) -> None:
        if self.active:
            self._drain()
            for result in [*self.layer.heal_identities(), *self.layer.heal_events(),
                           *self.layer.heal_tier_journal()]:
                self.add(result)
            self.sweep = self.orphans.finish()
            self.swept.add(self.sweep)
            self._end_pass()
        self._begin_pass_if_due()

    def _end_pass(self) -> None:
        now = time.monotonic()
        self.passes += 1
        self.last_pass = now
        if self.deep:
            self.last_deep = now
        c = self.pass_counts
        log.info("heal pass %s: %d version(s) checked, %d healed, %d shard file(s) and %d record(s) "
                 "rewritten, %d unhealable; orphans removed: %s", "(deep) done" if self.deep else "done",
                 c.scanned, c.healed, c.shards_rebuilt, c.metadata_rewritten, c.unhealable,
                 removed(self.sweep) or "none")
        if self.healing and c.unhealable == 0 and self._drives_online(self.healing):
            for path in self.healing:
                drive_healing.clear(path)
            log.warning("replaced drive(s) %s healed: %d version(s) checked, %d shard file(s) written",
                        ", ".join(self.healing), c.scanned, c.shards_rebuilt)
        self.healing = []

    def _drives_online(self, paths: list[str]) -> bool:
        return all(drive.online for drive in self.layer.drives if drive.name in paths)

    # -- outcomes ----------------------------------------------------------------------------------

    def add(self, result: HealResult) -> None:
        self.counts.add(result)
        self.pass_counts.add(result)
        if result.state == "unhealable":
            log.error("cannot heal %s: %s", result.what, result.detail)

    def take_counts(self) -> HealCounts:
        counts, self.counts = self.counts, HealCounts()
        return counts

    def _save_progress(self, bucket: str, key: str, force: bool = False) -> None:
        if not self.healing:
            return
        now = time.monotonic()
        if not force and now - self.saved < SAVE_EVERY_S:
            return
        self.saved = now
        for path in self.healing:
            progress = drive_healing.load(path)
            if progress is not None:
                progress.update(bucket=bucket, key=key)
                try:
                    drive_healing.save(path, progress)
                except OSError as exc:
                    log.error("cannot save the healing progress of %s: %s", path, exc)
