"""The scanner: one walk over every bucket's versions and multipart uploads, in steps of bounded
size, for the background jobs that must look at every object (lifecycle today, healing next).

Theory of operation
-------------------
A cycle visits the buckets in name order.  For each bucket it asks every job what it wants
(`Job.wants`: the bucket's versions, its uploads, neither), then pages through
ListObjectVersions and ListMultipartUploads with the ObjectLayer's own calls, as a client would,
and hands each job what it asked for: a key with all its versions, newest first (`visit_key`),
and each upload (`visit_upload`).  A bucket nobody wants costs one look at its record.

The walk is a cursor: `step(budget)` does about `budget` entries of work (one page of at most that
many entries), then returns, so that its caller (server/scanner.py) sets the pace, sleeping
between steps to keep to a rate, and runs each step in a worker thread.  Between steps the
cursor holds where the walk is: the bucket, the listing markers, and the versions of the key
being gathered (a key's versions may span pages; a key is visited once its last version has been
listed, so a job acting on it never moves what the markers point at).  The bucket record is read
once per bucket and cycle: a configuration changed meanwhile is seen by the next cycle.  A bucket
deleted under the walk ends its turn; a job that fails on one key is logged and the walk goes on.

Healing joins as one more Job: it will want every bucket's versions and verify each.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .buckets import BucketInfo
from .errors import BucketNotFound
from .info import ObjectInfo, UploadInfo

if TYPE_CHECKING:
    from .api import ObjectLayer

log = logging.getLogger("cairn.engine.scanner")
PAGE = 1000


@dataclass(frozen=True)
class Wants:
    """What a job wants of one bucket."""

    versions: bool = False
    uploads: bool = False


class Job(Protocol):
    """One job of the scanner."""

    def wants(self, bucket: BucketInfo) -> Wants: ...

    def visit_key(self, bucket: BucketInfo, key: str, versions: list[ObjectInfo]) -> None:
        """All versions of `key`, newest first (an unversioned bucket's one)."""

    def visit_upload(self, bucket: BucketInfo, key: str, upload: UploadInfo) -> None: ...

    def cycle_done(self) -> None:
        """The walk has visited every bucket once."""


@dataclass(frozen=True)
class Step:
    visited: int  # entries looked at (buckets, versions, uploads)
    cycle_done: bool = False


@dataclass
class _Cursor:
    """Where the walk is in the current bucket."""

    bucket: BucketInfo
    version_jobs: list[Job]
    upload_jobs: list[Job]
    key_marker: str = ""
    version_id_marker: str = ""
    pending_key: str | None = None
    pending: list[ObjectInfo] = field(default_factory=list)
    upload_key: str = ""
    upload_id: str = ""


class Scanner:
    """The walk of one deployment for `jobs` (see the module docstring)."""

    def __init__(self, layer: ObjectLayer, jobs: list[Job], page: int = PAGE) -> None:
        self.layer = layer
        self.jobs = jobs
        self.page = page
        self.after = ""  # the last bucket started this cycle
        self.cursor: _Cursor | None = None
        self.resume: tuple[str, str] | None = None

    def restart(self) -> None:
        """Start the cycle again from the first bucket."""
        self.after, self.cursor = "", None

    def resume_at(self, bucket: str, key_marker: str) -> None:
        """Start the current cycle at `bucket`, after `key_marker` (a walk a restart interrupted:
        heal_job.py); the buckets before it wait for the next cycle."""
        self.resume = (bucket, key_marker)

    def step(self, budget: int) -> Step:
        """About `budget` entries of work (at least one); whether that ended the cycle."""
        limit = max(1, min(budget, self.page))
        if self.resume is not None:
            name, key_marker = self.resume
            self.resume, self.cursor = None, None
            found = self.layer.lookup_bucket(name)
            if found is not None:
                self._begin(found)
                if self.cursor is not None:
                    self.cursor.key_marker = key_marker
                return Step(1)
        if self.cursor is None:
            buckets, _ = self.layer.list_buckets(start_after=self.after, max_buckets=limit)
            if not buckets:
                self.restart()
                for job in self.jobs:
                    job.cycle_done()
                return Step(1, cycle_done=True)
            for looked, bucket in enumerate(buckets, 1):
                self._begin(bucket)
                if self.cursor is not None:
                    return Step(looked)
            return Step(len(buckets))
        cursor = self.cursor
        try:
            if cursor.version_jobs:
                return Step(self._versions(cursor, limit))
            return Step(self._uploads(cursor, limit))
        except BucketNotFound:
            self.cursor = None
            return Step(1)

    def _begin(self, bucket: BucketInfo) -> None:
        self.after = bucket.name
        wants = [(job, job.wants(bucket)) for job in self.jobs]
        versions = [job for job, w in wants if w.versions]
        uploads = [job for job, w in wants if w.uploads]
        self.cursor = _Cursor(bucket, versions, uploads) if versions or uploads else None

    def _versions(self, cursor: _Cursor, limit: int) -> int:
        page = self.layer.list_object_versions(cursor.bucket.name, key_marker=cursor.key_marker,
                                               version_id_marker=cursor.version_id_marker, max_keys=limit)
        for entry in page.versions:
            if cursor.pending_key is not None and entry.key != cursor.pending_key:
                self._flush(cursor)
            cursor.pending_key = entry.key
            cursor.pending.append(entry.info)
        if page.truncated and page.next_key_marker is not None:
            cursor.key_marker = page.next_key_marker
            cursor.version_id_marker = page.next_version_id_marker or ""
        else:
            self._flush(cursor)
            cursor.version_jobs = []
            if not cursor.upload_jobs:
                self.cursor = None
        return max(1, len(page.versions))

    def _flush(self, cursor: _Cursor) -> None:
        key, versions = cursor.pending_key, cursor.pending
        cursor.pending_key, cursor.pending = None, []
        if key is None:
            return
        for job in cursor.version_jobs:
            try:
                job.visit_key(cursor.bucket, key, versions)
            except Exception:
                log.exception("scanner: %s failed on %s/%s", type(job).__name__, cursor.bucket.name, key)

    def _uploads(self, cursor: _Cursor, limit: int) -> int:
        page = self.layer.list_multipart_uploads(cursor.bucket.name, key_marker=cursor.upload_key,
                                                 upload_id_marker=cursor.upload_id, max_uploads=limit)
        for key, upload in page.uploads:
            for job in cursor.upload_jobs:
                try:
                    job.visit_upload(cursor.bucket, key, upload)
                except Exception:
                    log.exception("scanner: %s failed on upload %s of %s/%s", type(job).__name__,
                                  upload.upload_id, cursor.bucket.name, key)
        if page.truncated and page.next_key is not None:
            cursor.upload_key, cursor.upload_id = page.next_key, page.next_upload_id or ""
        else:
            self.cursor = None
        return max(1, len(page.uploads))
