"""The scanner's usage job: each bucket's objects, versions, delete markers and bytes counted once
per cycle, for the metrics (MinIO's data usage, which its scanner computes the same way).

Theory of operation
-------------------
The job wants every bucket's versions (scanner.py hands it each key with all its versions, newest
first).  It adds them up into the usage of the bucket being walked; when the walk reaches the next
bucket, or the cycle ends, that bucket's count is complete and moves into `current`; at the end of
a cycle `current` replaces `last` whole, so a bucket deleted meanwhile drops out, and a reader
always sees the totals of one complete cycle (or, during the first one, those finished so far).
`on_update` is called when a cycle ends, and at most every NOTIFY_SECONDS as buckets complete
and keys are visited (the server publishes the figures to the other workers:
server/metrics/janitor.py).

What counts: an object is a key whose newest version is not a delete marker (MinIO's
ObjectsCount); versions are all versions including delete markers; bytes are the sizes of every
version that is not a delete marker (what the drives hold, before erasure coding: MinIO's
usage.size).  A bucket the walk could not finish (deleted under it) is counted as far as it got.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .buckets import BucketInfo
from .info import ObjectInfo, UploadInfo
from .scanner import Wants

NOTIFY_SECONDS = 1.0


@dataclass
class BucketUsage:
    objects: int = 0  # keys whose latest version is an object
    versions: int = 0  # every version, delete markers included
    delete_markers: int = 0
    size: int = 0  # bytes of the versions that hold data


Usage = dict[str, BucketUsage]


class UsageJob:
    """A scanner job (scanner.Job) counting each bucket's usage (see the module docstring)."""

    def __init__(self, on_update: Callable[[UsageJob], None] | None = None) -> None:
        self.on_update = on_update
        self.last: Usage = {}  # of the last complete cycle
        self.current: Usage = {}  # buckets completed in this cycle
        self.walking: tuple[str, BucketUsage] | None = None
        self.cycles = 0  # cycles completed
        self.keys_seen = 0  # keys visited this cycle
        self.cycle_started = time.time()
        self.last_cycle_seconds = 0.0
        self.last_cycle_end = 0.0  # time.time() of the last cycle's end (0: none yet)
        self.notified = 0.0  # time.monotonic() of the last on_update

    def usage(self) -> Usage:
        """The latest totals: the last cycle's, with the buckets this cycle finished since."""
        return {**self.last, **self.current}

    def _finish_bucket(self) -> None:
        if self.walking is not None:
            name, usage = self.walking
            self.current[name] = usage
            self.walking = None
            if time.monotonic() - self.notified >= NOTIFY_SECONDS:  # many small buckets: not each
                self._notify()

    def _notify(self) -> None:
        self.notified = time.monotonic()
        if self.on_update is not None:
            self.on_update(self)

    # -- scanner.Job -------------------------------------------------------------------------

    def wants(self, bucket: BucketInfo) -> Wants:
        self._finish_bucket()
        self.walking = (bucket.name, BucketUsage())
        self.current[bucket.name] = self.last.get(bucket.name, BucketUsage())  # until counted anew
        return Wants(versions=True)

    def visit_key(self, bucket: BucketInfo, key: str, versions: list[ObjectInfo]) -> None:
        if self.walking is None or self.walking[0] != bucket.name or not versions:
            return
        usage = self.walking[1]
        self.keys_seen += 1
        if not versions[0].delete_marker:
            usage.objects += 1
        for version in versions:
            usage.versions += 1
            if version.delete_marker:
                usage.delete_markers += 1
            else:
                usage.size += version.size
        if time.monotonic() - self.notified >= NOTIFY_SECONDS:
            self._notify()

    def visit_upload(self, bucket: BucketInfo, key: str, upload: UploadInfo) -> None:
        return None

    def cycle_done(self) -> None:
        self._finish_bucket()
        self.last, self.current = self.current, {}
        now = time.time()
        self.cycles += 1
        self.last_cycle_seconds = now - self.cycle_started
        self.last_cycle_end = now
        self.cycle_started = now
        self.keys_seen = 0
        self._notify()
