"""What a scrape of /minio/v2/metrics/{cluster,node,bucket} answers: prometheus_client metric
families, rendered by prometheus_client's text exposition.

Theory of operation
-------------------
Two sources.  Counters the workers keep (requests, errors, time to first byte, traffic, group
commits, CPU time: requests.py) are merged across every worker by prometheus_client's
MultiProcessCollector from the shared directory (shared.py), or read from this process's own
metrics when there is none (an app made in a test).  Everything else is looked at when the scrape
comes, by the worker that answers it, in a thread: the drives (statvfs, online or not), the
erasure sets' quorums, the queues waiting in the metadata store (damage reports to heal, events
to deliver), and the janitor's last snapshot (bucket usage and heal pass counts from the scanner).

Names, types and labels are MinIO's where MinIO has the metric (docs/metrics/prometheus/list.md,
cmd/metrics-v2.go); Cairn's own are `cairn_*`.  MinIO's counters whose names do not end in
`_total` (traffic bytes, CPU seconds) are exposed untyped: prometheus_client's text format adds
`_total` to every counter, and the name is what dashboards and alerts use.  Each path carries what
MinIO puts there: `cluster` the deployment (S3 requests, capacity, drives, health, usage totals,
healing), `node` this server (its drives, its processes, S3 requests), `bucket` per-bucket usage, requests
and traffic (of the buckets that exist: a deleted bucket's counts stay in the files).
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import Metric
from prometheus_client.core import GaugeMetricFamily, UnknownMetricFamily
from prometheus_client.exposition import generate_latest

from ..delivery import queued_events
from . import shared
from .requests import Recorder

if TYPE_CHECKING:
    from cairn.engine.api import ObjectLayer

    from ..context import WebhookTarget

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNTYPED = frozenset({"minio_s3_traffic_received_bytes", "minio_s3_traffic_sent_bytes",
                     "minio_bucket_traffic_received_bytes", "minio_bucket_traffic_sent_bytes",
                     "minio_node_process_cpu_total_seconds"})
S3 = ("minio_s3_",)
BUCKET_REQUESTS = ("minio_bucket_requests", "minio_bucket_traffic_")
NODE_PROCESS = ("minio_node_process_", "cairn_metadata_group_commit")
PROCESS_STARTED = time.time()  # when there is no server (an app made in a test)
QUEUE_LIMIT = 100_000  # damage reports counted at most per scrape (a scan per drive)


def server_started() -> float:
    """When the server (the supervisor) started: set at start, inherited by the workers."""
    try:
        return float(os.environ.get(shared.STARTED_ENV, ""))
    except ValueError:
        return PROCESS_STARTED


# -- the workers' counters ----------------------------------------------------------------------

def process_families(recorder: Recorder) -> dict[str, Metric]:
    """Every worker's counters, merged (or this process's own without a shared directory)."""
    where = shared.directory()
    if where is not None:
        from prometheus_client.multiprocess import MultiProcessCollector

        collector = MultiProcessCollector(None, where)  # type: ignore[no-untyped-call]
        families: Iterable[Metric] = collector.collect()  # type: ignore[no-untyped-call]
    else:
        families = (family for metric in recorder.exported.all for family in metric.collect())
    out = {}
    for family in families:
        if family.name in UNTYPED:
            untyped = UnknownMetricFamily(family.name, family.documentation)
            untyped.samples = [s._replace(name=family.name) for s in family.samples]
            family = untyped
        out[family.name] = family
    return out


def _pick(families: dict[str, Metric], prefixes: tuple[str, ...]) -> list[Metric]:
    return [f for name, f in sorted(families.items()) if name.startswith(prefixes)]


# -- looked at when the scrape comes ------------------------------------------------------------

def gauge(name: str, doc: str, value: float | None = None, labels: tuple[str, ...] = (),
          rows: Iterable[tuple[tuple[str, ...], float]] = ()) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, value=value, labels=labels if value is None else None)
    for values, v in rows:
        family.add_metric(list(values), v)
    return family


def drive_stats(layer: ObjectLayer) -> list[tuple[str, bool, int, int, int, int, int]]:
    """(path, online, total, used, free, set index, data shards of its set) of every drive."""
    out = []
    geometry = layer.geometry()
    for layout, drive in zip(layer.deployment.drives, layer.drives, strict=True):
        total = used = free = 0
        if drive.online:
            try:
                st = os.statvfs(layout.path)
                total, free = st.f_blocks * st.f_frsize, st.f_bavail * st.f_frsize
                used = (st.f_blocks - st.f_bfree) * st.f_frsize
            except OSError:
                pass
        data_shards = geometry[layout.set_index][0]
        out.append((layout.path, drive.online, total, used, free, layout.set_index, data_shards))
    return out


def cluster_families(layer: ObjectLayer) -> Iterator[Metric]:
    drives = drive_stats(layer)
    online = sum(d[1] for d in drives)
    set_size = layer.deployment.set_size
    yield gauge("minio_cluster_capacity_raw_total_bytes", "Total capacity online in the cluster",
                sum(d[2] for d in drives))
    yield gauge("minio_cluster_capacity_raw_free_bytes", "Total free capacity online in the cluster",
                sum(d[4] for d in drives))
    # Usable: the data shards' share of each set's drives (MinIO's GetTotalUsableCapacity).
    yield gauge("minio_cluster_capacity_usable_total_bytes", "Total usable capacity online in the cluster",
                sum(d[2] * d[6] / set_size for d in drives))
    yield gauge("minio_cluster_capacity_usable_free_bytes", "Total free usable capacity online in the "
                "cluster", sum(d[4] * d[6] / set_size for d in drives))
    yield gauge("minio_cluster_drive_online_total", "Total drives online in this cluster", online)
    yield gauge("minio_cluster_drive_offline_total", "Total drives offline in this cluster",
                len(drives) - online)
    yield gauge("minio_cluster_drive_total", "Total drives in this cluster", len(drives))
    yield gauge("minio_cluster_nodes_online_total", "Total number of MinIO nodes online", 1)
    yield gauge("minio_cluster_nodes_offline_total", "Total number of MinIO nodes offline", 0)
    health = layer.set_health()
    healthy = all(up >= write for up, _, write in health)
    yield gauge("minio_cluster_health_status", "Get current cluster health status", 1 if healthy else 0)
    yield gauge("minio_cluster_write_quorum", "Maximum write quorum across all pools and sets",
                max((write for _, _, write in health), default=0))
    labels = ("pool", "set")
    sets = [(("0", str(i)), up, read, write) for i, (up, read, write) in enumerate(health)]
    prefix = "minio_cluster_health_erasure_set_"
    yield gauge(f"{prefix}status", "Get current health status for this erasure set", labels=labels,
                rows=((s, 1 if up >= write else 0) for s, up, _, write in sets))
    yield gauge(f"{prefix}online_drives", "Get the count of the online drives in this erasure set",
                labels=labels, rows=((s, up) for s, up, _, _ in sets))
    yield gauge(f"{prefix}read_quorum", "Get the read quorum for this erasure set", labels=labels,
                rows=((s, read) for s, _, read, _ in sets))
    yield gauge(f"{prefix}write_quorum", "Get the write quorum for this erasure set", labels=labels,
                rows=((s, write) for s, _, _, write in sets))


def usage_families(layer: ObjectLayer, state: dict[str, Any], per_bucket: bool) -> Iterator[Metric]:
    """Bucket usage from the janitor's scanner (of buckets that still exist), per bucket or summed."""
    buckets, _ = layer.list_buckets()
    names = {b.name for b in buckets}
    usage = {name: u for name, u in (state.get("usage") or {}).items() if name in names}
    fields = (("total_bytes", "size", "Total bucket size in bytes"),
              ("object_total", "objects", "Total number of objects"),
              ("version_total", "versions", "Total number of versions (includes delete marker)"),
              ("deletemarker_total", "delete_markers", "Total number of delete markers"))
    if per_bucket:
        for suffix, key, doc in fields:
            yield gauge(f"minio_bucket_usage_{suffix}", doc, labels=("bucket",),
                        rows=(((name,), u.get(key, 0)) for name, u in sorted(usage.items())))
        return
    yield gauge("minio_cluster_buckets_total", "Total number of buckets in the cluster", len(names))
    for suffix, key, doc in fields:
        yield gauge(f"minio_cluster_usage_{suffix}", doc.replace("bucket", "cluster"),
                    sum(u.get(key, 0) for u in usage.values()))


HEAL = (("minio_heal_objects_total", "scanned", "Objects scanned in current self healing run"),
        ("minio_heal_objects_heal_total", "healed", "Objects healed in current self healing run"),
        ("minio_heal_objects_errors_total", "unhealable", "Objects for which healing failed in current self "
         "healing run"))
SCANNER = (("cairn_scanner_cycles_total", "cycles", "Scanner cycles completed since the server started"),
           ("cairn_scanner_cycle_keys_visited", "keys", "Keys the scanner visited so far in its current "
            "cycle"),
           ("cairn_scanner_last_cycle_seconds", "last_cycle_seconds", "How long the scanner's last complete "
            "cycle took"))


def heal_families(state: dict[str, Any]) -> Iterator[Metric]:
    """MinIO's heal metrics are the current self-healing run's (the heal job's pass), by type; then
    the scanner's progress."""
    heal = state.get("heal") or {}
    for name, key, doc in HEAL:
        yield gauge(name, doc, labels=("type",), rows=((("object",), heal.get(key, 0)),))
    if heal.get("last_activity"):
        yield gauge("minio_heal_time_last_activity_nano_seconds", "Time elapsed (in nano seconds) since last "
                    "self healing activity", (time.time() - heal["last_activity"]) * 1e9)
    yield gauge("cairn_heal_passes_total", "Heal passes the scanner completed since the server started",
                heal.get("passes", 0))
    yield gauge("cairn_heal_pass_active", "1 while a heal pass runs (every object checked this cycle)",
                1 if heal.get("active") else 0)
    yield gauge("cairn_heal_drives_healing", "Replaced drives being healed in full", heal.get("healing", 0))
    orphans = dict(heal.get("orphans") or {})  # the orphan sweeps' counts (engine/orphans.py)
    suspects = orphans.pop("suspects", 0)
    yield gauge("cairn_heal_orphans_removed_total", "What the heal passes' orphan sweeps removed since the "
                "server started, by kind", labels=("type",), rows=((((k,), n) for k, n in orphans.items())))
    yield gauge("cairn_heal_orphans_suspected", "Orphan candidates the last sweep saw, removed if the next "
                "pass sees them again", suspects)
    scanner = state.get("scanner") or {}
    for name, key, doc in SCANNER:
        yield gauge(name, doc, scanner.get(key, 0))
    if scanner.get("last_cycle_end"):
        yield gauge("minio_usage_last_activity_nano_seconds", "Time elapsed (in nano seconds) since last "
                    "scan activity", (time.time() - scanner["last_cycle_end"]) * 1e9)


def count_prefix(layer: ObjectLayer, prefix: bytes, end: bytes, limit: int = QUEUE_LIMIT) -> int:
    """Records under `prefix` on the drive of each set that holds most (a cheap upper view of a
    queue kept in the metadata store; the reads' damage reports are written to every drive)."""
    total = 0
    for eset in layer.sets:
        best = 0
        for drive in range(eset.meta.size):
            n, start = 0, prefix
            try:
                while n < limit:
                    rows = eset.meta.scan(drive, start, end, min(1000, limit - n))
                    if not rows:
                        break
                    n += len(rows)
                    start = rows[-1][0] + b"\x00"
            except Exception:  # an offline drive counts nothing
                continue
            best = max(best, n)
        total += best
    return total


def queue_families(layer: ObjectLayer, webhooks: tuple[WebhookTarget, ...]) -> Iterator[Metric]:
    yield gauge("cairn_heal_queue_reported", "Objects reads reported damaged, waiting for the heal job",
                count_prefix(layer, b"H", b"I"))
    rows = []
    for target, waiting in queued_events(layer, webhooks).items():  # every target the operator defined
        ident, _, kind = target.partition(":")
        rows.append(((ident, kind), waiting))
    yield gauge("minio_notify_target_queue_length", "Number of unsent notifications in queue for target",
                labels=("target_id", "target_name"), rows=rows)


def node_families(layer: ObjectLayer) -> Iterator[Metric]:
    drives = drive_stats(layer)
    rows: dict[str, list[tuple[tuple[str, ...], float]]] = {"free": [], "total": [], "used": []}
    for path, _, total, used, free, _, _ in drives:
        rows["free"].append(((path,), free))
        rows["total"].append(((path,), total))
        rows["used"].append(((path,), used))
    yield gauge("minio_node_drive_free_bytes", "Total storage available on a drive", labels=("drive",),
                rows=rows["free"])
    yield gauge("minio_node_drive_total_bytes", "Total storage on a drive", labels=("drive",),
                rows=rows["total"])
    yield gauge("minio_node_drive_used_bytes", "Total storage used on a drive", labels=("drive",),
                rows=rows["used"])
    online = sum(d[1] for d in drives)
    yield gauge("minio_node_drive_online_total", "Total drives online in this node", online)
    yield gauge("minio_node_drive_offline_total", "Total drives offline in this node", len(drives) - online)
    yield gauge("minio_node_drive_total", "Total drives in this node", len(drives))
    started = server_started()
    yield gauge("minio_node_process_starttime_seconds", "Start time for the server process in seconds "
                "since Unix epoch", started)
    yield gauge("minio_node_process_uptime_seconds", "Uptime for the server process in seconds",
                time.time() - started)
    try:
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        yield gauge("minio_node_file_descriptor_limit_total", "Limit on total number of open file "
                    "descriptors for the server process", limit)
        yield gauge("minio_node_file_descriptor_open_total", "Total number of open file descriptors by the "
                    "server process (the worker answering)", len(os.listdir("/proc/self/fd")))
    except OSError:
        pass


# -- the three paths ------------------------------------------------------------------------------

class Registry:
    """A collector of the families one path shows (prometheus_client's Collector interface)."""

    def __init__(self, produce: Callable[[], Iterable[Metric]]) -> None:
        self.produce = produce

    def collect(self) -> Iterable[Metric]:
        return self.produce()


def render(kind: str, layer: ObjectLayer, recorder: Recorder, webhooks: tuple[WebhookTarget, ...] = ()
           ) -> bytes:
    """The text exposition of one path (blocking: statvfs, metadata scans)."""
    def produce() -> Iterator[Metric]:
        families = process_families(recorder)
        if kind == "bucket":
            existing = {b.name for b in layer.list_buckets()[0]}
            yield from usage_families(layer, shared.janitor_state(), per_bucket=True)
            for family in _pick(families, BUCKET_REQUESTS):  # a deleted bucket's counts stay in the files
                family.samples = [s for s in family.samples if s.labels.get("bucket") in existing]
                yield family
            return
        yield from _pick(families, S3)
        if kind == "cluster":
            state = shared.janitor_state()
            yield from cluster_families(layer)
            yield from usage_families(layer, state, per_bucket=False)
            yield from heal_families(state)
            yield from queue_families(layer, webhooks)
        else:
            yield from node_families(layer)
            yield from _pick(families, NODE_PROCESS)

    return generate_latest(Registry(produce))
