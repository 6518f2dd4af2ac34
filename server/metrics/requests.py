"""The request pipeline's count step: S3 requests counted in the process, flushed to
prometheus_client's shared files now and then.

Theory of operation
-------------------
Each request adds to one small list per operation name (MinIO's `api` label: PutObject,
GetObject, ...): requests, 4xx, 5xx, canceled, one slot per time-to-first-byte bucket, and to the
process's byte totals.  That is a dictionary lookup and a few integer additions, ~1 µs.
Writing each increment through prometheus_client's multiprocess values instead costs ~2.5 µs per
counter and ~5 µs per histogram observation (each one a locked write to a memory-mapped file),
some 30 µs for the dozen values a request touches: so the counts stay in the process and
`flush()` (every FLUSH_SECONDS, before a scrape, and when the worker stops) adds what changed to
the prometheus_client metrics (`Exported`), whose files the scrape merges across workers
(shared.py).  A worker killed outright loses at most its last FLUSH_SECONDS of counts.

Names and labels are MinIO's (cmd/metrics-v2.go, cmd/http-stats.go): the time to first byte is
its `minio_s3_requests_ttfb_seconds_distribution`, a gauge of cumulative counts per `le` bucket
(0.050 ... 10.000, +Inf) with the api label in lower case, as MinIO writes it; the traffic byte
totals are counters that MinIO names without `_total`, which prometheus_client's Counter cannot
spell, so they are kept as `sum` gauges and exposed as untyped (exposition.py).
"""

from __future__ import annotations

import bisect
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cairn.engine.api import ObjectLayer

FLUSH_SECONDS = 1.0
TTFB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # MinIO's httpRequestsDuration
TTFB_LABELS = (*(f"{b:.3f}" for b in TTFB_BUCKETS), "+Inf")  # MinIO's "%.3f", then +Inf
REQUESTS, ERRORS_4XX, ERRORS_5XX, CANCELED, FIRST_BUCKET = 0, 1, 2, 3, 4
SLOTS = FIRST_BUCKET + len(TTFB_LABELS)
BUCKET_RECEIVED, BUCKET_SENT = 3, 4  # per (bucket, api): requests, 4xx, 5xx, bytes in, bytes out
BUCKET_SLOTS = 5
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CANCELED_STATUS = 499  # MinIO counts a request its client gave up on as canceled, not an error


class Exported:
    """The prometheus_client metrics the counts are flushed into (one set per process; their
    values live in the multiprocess files when the server set them up, else in memory)."""

    def __init__(self) -> None:
        from prometheus_client import Counter, Gauge

        def counter(name: str, doc: str, labels: tuple[str, ...] = ()) -> Any:
            return Counter(name, doc, labels, registry=None)

        def summed(name: str, doc: str, labels: tuple[str, ...] = (),
                   mode: Literal["sum", "livesum"] = "sum") -> Any:
            return Gauge(name, doc, labels, registry=None, multiprocess_mode=mode)

        api = ("api",)
        self.requests = counter("minio_s3_requests", "Total number of S3 requests", api)
        self.errors = counter("minio_s3_requests_errors", "Total number of S3 requests with (4xx and 5xx) "
                              "errors", api)
        self.errors_4xx = counter("minio_s3_requests_4xx_errors", "Total number of S3 requests with (4xx) "
                                  "errors", api)
        self.errors_5xx = counter("minio_s3_requests_5xx_errors", "Total number of S3 requests with (5xx) "
                                  "errors", api)
        self.canceled = counter("minio_s3_requests_canceled", "Total number of S3 requests canceled by the "
                                "client", api)
        self.ttfb = summed("minio_s3_requests_ttfb_seconds_distribution", "Distribution of the time to "
                           "first byte across API calls", ("api", "le"))
        self.received = summed("minio_s3_traffic_received_bytes", "Total number of s3 bytes received")
        self.sent = summed("minio_s3_traffic_sent_bytes", "Total number of s3 bytes sent")
        self.inflight = summed("minio_s3_requests_inflight_total", "Total number of S3 requests currently "
                               "in flight", mode="livesum")
        self.commits = counter("cairn_metadata_group_commits", "Write transactions of the metadata "
                               "stores' committer threads (one fsync each)")
        self.committed = counter("cairn_metadata_group_commit_batches", "Batches (one per caller) those "
                                 "transactions carried: divided by cairn_metadata_group_commits_total, "
                                 "the group commit's mean batch size")
        bucket_api = ("bucket", "api")
        self.bucket_requests = counter("minio_bucket_requests", "Total number of S3 requests on a bucket",
                                       bucket_api)
        self.bucket_4xx = counter("minio_bucket_requests_4xx_errors", "Total number of S3 requests with "
                                  "(4xx) errors on a bucket", bucket_api)
        self.bucket_5xx = counter("minio_bucket_requests_5xx_errors", "Total number of S3 requests with "
                                  "(5xx) errors on a bucket", bucket_api)
        self.bucket_received = summed("minio_bucket_traffic_received_bytes", "Total number of S3 bytes "
                                      "received for this bucket", ("bucket",))
        self.bucket_sent = summed("minio_bucket_traffic_sent_bytes", "Total number of S3 bytes sent for this "
                                  "bucket", ("bucket",))
        # Each worker's own, set at each flush: CPU time adds up over every worker that ran, memory
        # over the living ones.
        self.cpu = summed("minio_node_process_cpu_total_seconds", "Total user and system CPU time spent "
                          "in seconds (every worker)")
        self.rss = summed("minio_node_process_resident_memory_bytes", "Resident memory size in bytes (the "
                          "workers)", mode="livesum")
        self.all = (self.requests, self.errors, self.errors_4xx, self.errors_5xx, self.canceled, self.ttfb,
                    self.received, self.sent, self.inflight, self.commits, self.committed, self.cpu, self.rss,
                    self.bucket_requests, self.bucket_4xx, self.bucket_5xx, self.bucket_received,
                    self.bucket_sent)


@dataclass
class RequestStats:
    """One process's counts since the last flush (see the module docstring)."""

    by_api: dict[str, list[int]] = field(default_factory=dict)
    by_bucket: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (bucket, api)
    received: int = 0
    sent: int = 0
    commits: int = 0
    committed: int = 0

    def record(self, api: str, status: int, received: int, sent: int, ttfb: float,
               bucket: str | None = None) -> None:
        """One request's outcome; the count step of the pipeline (cheap: see the docstring).
        `bucket`: the existing bucket it addressed, counted per bucket too (MinIO's bucket metrics)."""
        if bucket is not None:
            per = self.by_bucket.get((bucket, api))
            if per is None:
                per = self.by_bucket[bucket, api] = [0] * BUCKET_SLOTS
            per[REQUESTS] += 1
            if status >= 400 and status != CANCELED_STATUS:
                per[ERRORS_5XX if status >= 500 else ERRORS_4XX] += 1
            per[BUCKET_RECEIVED] += received
            per[BUCKET_SENT] += sent
        slots = self.by_api.get(api)
        if slots is None:
            slots = self.by_api[api] = [0] * SLOTS
        slots[REQUESTS] += 1
        if status >= 400:
            if status == CANCELED_STATUS:
                slots[CANCELED] += 1
            elif status >= 500:
                slots[ERRORS_5XX] += 1
            else:
                slots[ERRORS_4XX] += 1
        slots[FIRST_BUCKET + bisect.bisect_left(TTFB_BUCKETS, ttfb)] += 1
        self.received += received
        self.sent += sent


class Recorder:
    """The count step's state in one worker: the counts, and the metrics they are flushed to."""

    def __init__(self) -> None:
        self.stats = RequestStats()
        self._exported: Exported | None = None
        self.last_flush = time.monotonic()
        self.commit_totals: tuple[int, int] = (0, 0)  # metadata stores' (transactions, batches) flushed

    @property
    def exported(self) -> Exported:
        if self._exported is None:  # made on first use: after the supervisor set the directory up
            self._exported = Exported()
        return self._exported

    def flush(self, in_flight: int | None = None, commit_totals: tuple[int, int] | None = None) -> None:
        """Add the counts gathered since the last flush to the exported metrics; `in_flight`: the
        requests being served now; `commit_totals`: the metadata stores' running totals."""
        stats, self.stats = self.stats, RequestStats()
        self.last_flush = time.monotonic()
        m = self.exported
        for api, slots in stats.by_api.items():
            # Zeros too: an API's error series exist from its first request (rate() is 0, not absent).
            m.requests.labels(api).inc(slots[REQUESTS])
            m.errors.labels(api).inc(slots[ERRORS_4XX] + slots[ERRORS_5XX])
            m.errors_4xx.labels(api).inc(slots[ERRORS_4XX])
            m.errors_5xx.labels(api).inc(slots[ERRORS_5XX])
            m.canceled.labels(api).inc(slots[CANCELED])
            cumulative, lower = 0, api.lower()
            for label, n in zip(TTFB_LABELS, slots[FIRST_BUCKET:], strict=True):
                cumulative += n
                m.ttfb.labels(lower, label).inc(cumulative)  # every le, zeros too (MinIO's)
        traffic: dict[str, list[int]] = {}
        for (bucket, api), per in stats.by_bucket.items():
            m.bucket_requests.labels(bucket, api).inc(per[REQUESTS])
            m.bucket_4xx.labels(bucket, api).inc(per[ERRORS_4XX])
            m.bucket_5xx.labels(bucket, api).inc(per[ERRORS_5XX])
            moved = traffic.setdefault(bucket, [0, 0])
            moved[0] += per[BUCKET_RECEIVED]
            moved[1] += per[BUCKET_SENT]
        for bucket, (received, sent) in traffic.items():
            m.bucket_received.labels(bucket).inc(received)
            m.bucket_sent.labels(bucket).inc(sent)
        if stats.received:
            m.received.inc(stats.received)
        if stats.sent:
            m.sent.inc(stats.sent)
        if in_flight is not None:
            m.inflight.set(in_flight)
        if commit_totals is not None:
            transactions, batches = commit_totals
            old_transactions, old_batches = self.commit_totals
            if transactions > old_transactions:
                m.commits.inc(transactions - old_transactions)
            if batches > old_batches:
                m.committed.inc(batches - old_batches)
            self.commit_totals = commit_totals
        times = os.times()
        m.cpu.set(times.user + times.system)
        m.rss.set(resident_bytes())


def commit_totals(layer: ObjectLayer) -> tuple[int, int]:
    """(write transactions, batches they carried) of this process's metadata committers, summed
    over its drives (engine/metastore.py's group commit)."""
    transactions = batches = 0
    for drive in layer.drives:
        stats = getattr(drive, "meta_commits", None)  # local drives have them; test wrappers may not
        if stats is not None:
            t, b = stats()
            transactions, batches = transactions + t, batches + b
    return transactions, batches


def resident_bytes() -> int:
    """This process's resident memory (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


RECORDER = Recorder()  # this process's (a worker's; the supervisor's stays empty)
