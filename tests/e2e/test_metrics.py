"""Prometheus metrics on a running two-worker server: boto3 traffic, then the three endpoints
scraped and parsed with prometheus_client's parser; counts across both workers, errors, traffic,
bucket usage after scanner cycles, drives going offline, a dead worker's counts kept, and the
bearer token of `mc admin prometheus generate` (or none, when the operator makes them public)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from prometheus_client.parser import text_string_to_metric_families

from cairn.server.metrics.jwt import sign

from .conftest import (
    ACCESS_KEY,
    SECRET_KEY,
    Server,
    cleanup_bucket,
    free_port,
    start_server,
    stop_server_process,
)
from .mcadmin import MC, NEEDS_MC, Mc

WAIT = 20.0
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(scope="module")
def metrics_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("metrics-dir")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, metrics_dir: Path) -> Iterator[Server]:
    (metrics_dir / "counter_1.db").write_bytes(b"left by an earlier run")  # cleared at start
    srv = start_server(tmp_path_factory.mktemp("metrics"), drives=4, workers=2,
                       extra=("--scanner-interval", "1s", "--scanner-rate", "20000"),
                       env_extra={"CAIRN_METRICS_DIR": str(metrics_dir)})
    yield srv
    stop_server_process(srv.process)


@pytest.fixture(scope="module")
def token() -> str:
    return sign(ACCESS_KEY, SECRET_KEY, time.time() + 3600)


def client(server: Server) -> Any:
    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def fetch(server: Server, kind: str, token: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{server.endpoint}/minio/v2/metrics/{kind}")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def scrape(server: Server, kind: str, token: str) -> Samples:
    status, body = fetch(server, kind, token)
    assert status == 200, body
    out: Samples = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            out[s.name, tuple(sorted(s.labels.items()))] = s.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"not within {WAIT:.0f} s: {what}")


def worker_of(response: dict[str, Any]) -> str:
    """The pid (low 16 bits, hex) of the worker that answered, from its request id."""
    return str(response["ResponseMetadata"]["RequestId"])[-8:-4]


def test_counts_from_both_workers(server: Server, token: str) -> None:
    s3 = client(server)
    name = "metrics-counts"
    s3.create_bucket(Bucket=name)
    clients = [client(server) for _ in range(8)]  # connections of their own, spread over workers
    body = os.urandom(3000)
    before = scrape(server, "cluster", token)
    puts, workers = 0, set()
    with ThreadPoolExecutor(8) as pool:
        while len(workers) < 2 and puts < 400:
            replies = list(pool.map(lambda i: clients[i % 8].put_object(Bucket=name, Key=f"k{i}", Body=body),
                                    range(puts, puts + 16)))
            puts += 16
            workers |= {worker_of(r) for r in replies}
    assert len(workers) == 2, "every PUT went to one worker"
    gets = 0
    for i in range(0, puts, 4):
        assert clients[i % 8].get_object(Bucket=name, Key=f"k{i}")["Body"].read() == body
        gets += 1
    with pytest.raises(ClientError):
        s3.get_object(Bucket=name, Key="missing")
    s3.head_object(Bucket=name, Key="k0")

    def delta(samples: Samples, metric: str, **labels: str) -> float:
        return value(samples, metric, **labels) - value(before, metric, **labels)

    expected = {("minio_s3_requests_total", "PutObject"): puts,
                ("minio_s3_requests_total", "GetObject"): gets + 1,
                ("minio_s3_requests_total", "HeadObject"): 1,
                ("minio_s3_requests_errors_total", "GetObject"): 1,
                ("minio_s3_requests_4xx_errors_total", "GetObject"): 1,
                ("minio_s3_requests_errors_total", "PutObject"): 0,
                ("minio_s3_requests_5xx_errors_total", "GetObject"): 0}
    seen: dict[tuple[str, str], float] = {}

    def counted() -> bool:
        now = scrape(server, "cluster", token)
        seen.update({k: delta(now, k[0], api=k[1]) for k in expected})
        seen["ttfb"] = delta(now, "minio_s3_requests_ttfb_seconds_distribution", api="putobject", le="+Inf")
        seen["rx"] = delta(now, "minio_s3_traffic_received_bytes")
        seen["tx"] = delta(now, "minio_s3_traffic_sent_bytes")
        return all(seen[k] == v for k, v in expected.items()) and seen["ttfb"] == puts

    eventually(counted, f"the counts of both workers: {seen} != {expected}")
    assert seen["rx"] >= puts * len(body)
    assert seen["tx"] >= gets * len(body)
    per_bucket = scrape(server, "bucket", token)  # MinIO's bucket request metrics: a new bucket
    assert value(per_bucket, "minio_bucket_requests_total", bucket=name, api="PutObject") == puts
    assert value(per_bucket, "minio_bucket_requests_total", bucket=name, api="GetObject") == gets + 1
    assert value(per_bucket, "minio_bucket_requests_4xx_errors_total", bucket=name, api="GetObject") == 1
    assert value(per_bucket, "minio_bucket_requests_5xx_errors_total", bucket=name, api="GetObject") == 0
    assert value(per_bucket, "minio_bucket_traffic_received_bytes", bucket=name) >= puts * len(body)
    assert value(per_bucket, "minio_bucket_traffic_sent_bytes", bucket=name) >= gets * len(body)
    node = scrape(server, "node", token)  # one server: the node's requests are the cluster's
    assert value(node, "minio_s3_requests_total", api="PutObject") >= puts
    assert value(node, "minio_s3_requests_inflight_total") >= 0
    for i in range(puts):
        s3.delete_object(Bucket=name, Key=f"k{i}")
    cleanup_bucket(s3, name)
    remaining = scrape(server, "bucket", token)
    assert not [k for k in remaining if ("bucket", name) in k[1]]  # a deleted bucket is not shown


def test_bucket_usage_after_a_scanner_cycle(server: Server, token: str) -> None:
    s3 = client(server)
    plain, versioned = "metrics-usage", "metrics-versions"
    s3.create_bucket(Bucket=plain)
    s3.create_bucket(Bucket=versioned)
    s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})
    sizes = [0, 1, 1000, 200_000, 3 << 20]  # empty, inline and shard-file objects
    for i, size in enumerate(sizes):
        s3.put_object(Bucket=plain, Key=f"o{i}", Body=os.urandom(size))
    s3.put_object(Bucket=versioned, Key="k", Body=b"a" * 10)
    s3.put_object(Bucket=versioned, Key="k", Body=b"b" * 20)
    s3.delete_object(Bucket=versioned, Key="k")  # a delete marker over two versions
    s3.put_object(Bucket=versioned, Key="other", Body=b"c" * 5)
    want = {(plain, "minio_bucket_usage_object_total"): len(sizes),
            (plain, "minio_bucket_usage_total_bytes"): sum(sizes),
            (plain, "minio_bucket_usage_version_total"): len(sizes),
            (plain, "minio_bucket_usage_deletemarker_total"): 0,
            (versioned, "minio_bucket_usage_object_total"): 1,
            (versioned, "minio_bucket_usage_version_total"): 4,
            (versioned, "minio_bucket_usage_deletemarker_total"): 1,
            (versioned, "minio_bucket_usage_total_bytes"): 35}
    got: dict[tuple[str, str], float] = {}

    def counted() -> bool:
        samples = scrape(server, "bucket", token)
        got.update({k: value(samples, k[1], bucket=k[0]) for k in want})
        return got == want

    eventually(counted, f"bucket usage after a scanner cycle: {got} != {want}")
    cluster = scrape(server, "cluster", token)
    assert value(cluster, "minio_cluster_usage_object_total") >= 6
    assert value(cluster, "minio_cluster_usage_total_bytes") >= sum(sizes) + 35
    assert value(cluster, "minio_cluster_buckets_total") >= 2
    assert value(cluster, "cairn_scanner_cycles_total") >= 1
    cleanup_bucket(s3, versioned)
    eventually(lambda: ("minio_bucket_usage_object_total", (("bucket", versioned),))
               not in scrape(server, "bucket", token), "a deleted bucket's usage gone")
    cleanup_bucket(s3, plain)


DASHBOARD = Path(__file__).resolve().parents[2] / "bench" / "grafana" / "cairn-dashboard.json"


def test_the_dashboard_queries_what_the_server_exposes(server: Server, token: str) -> None:
    s3 = client(server)  # labelled request metrics appear with the first request
    s3.create_bucket(Bucket="metrics-dashboard")
    s3.put_object(Bucket="metrics-dashboard", Key="k", Body=b"x")
    eventually(lambda: value(scrape(server, "bucket", token), "minio_bucket_requests_total",
                             bucket="metrics-dashboard", api="PutObject") > 0, "a request counted")
    exposed = set()
    for kind in ("cluster", "node", "bucket"):
        status, body = fetch(server, kind, token)
        assert status == 200
        for family in text_string_to_metric_families(body.decode()):
            exposed |= {s.name for s in family.samples} | {family.name}
    dashboard = json.loads(DASHBOARD.read_text())
    queried = {name for panel in dashboard["panels"] for target in panel.get("targets", [])
               for name in re.findall(r"\b(?:minio|cairn)_[a-z0-9_]+", target["expr"])}
    assert len(queried) > 20
    assert queried <= exposed, f"queried, exposed by no endpoint: {sorted(queried - exposed)}"
    cleanup_bucket(s3, "metrics-dashboard")


def test_refused_without_a_valid_token(server: Server) -> None:
    for kind in ("cluster", "node", "bucket"):
        status, body = fetch(server, kind, None)
        assert status == 403
        refusal = json.loads(body)
        assert refusal["Code"] == "AccessDenied" and refusal["Resource"] == f"/minio/v2/metrics/{kind}"
    for bad in (sign(ACCESS_KEY, "not-the-secret", time.time() + 60),  # wrong signature
                sign(ACCESS_KEY, SECRET_KEY, time.time() - 1),  # expired
                sign("nobody", SECRET_KEY, time.time() + 60),  # unknown key
                sign(ACCESS_KEY, SECRET_KEY, time.time() + 60, issuer="console"),
                "garbage", "a.b.c"):
        assert fetch(server, "cluster", bad)[0] == 403, bad
    status, _ = fetch(server, "cluster", sign(ACCESS_KEY, SECRET_KEY, time.time() + 60, algorithm="HS256"))
    assert status == 200
    with pytest.raises(urllib.error.HTTPError) as refused:  # GET and HEAD only
        urllib.request.urlopen(urllib.request.Request(f"{server.endpoint}/minio/v2/metrics/cluster",
                                                      method="PUT", data=b""), timeout=5)
    assert refused.value.code == 405


@NEEDS_MC
def test_mc_admin_prometheus_generate(server: Server, tmp_path: Path) -> None:
    mc = Mc(server, tmp_path / "mc")
    for kind in ("cluster", "node", "bucket"):
        config = mc.one("admin", "prometheus", "generate", "cairn", *(() if kind == "cluster" else (kind,)))
        assert config["metricsPath"] == f"/minio/v2/metrics/{kind}"
        assert config["staticConfigs"][0]["targets"] == [f"127.0.0.1:{server.port}"]
        status, body = fetch(server, kind, config["bearerToken"])
        assert status == 200, body
        families = {f.name for f in text_string_to_metric_families(body.decode())}
        assert {"cluster": "minio_cluster_health_status", "node": "minio_node_drive_total_bytes",
                "bucket": "minio_bucket_usage_object_total"}[kind] in families
    # An IAM user's token: refused until a policy gives it admin:Prometheus.
    user, secret = f"prom-{os.getpid()}", "prom-user-secret-key"
    mc("admin", "user", "add", "cairn", user, secret)
    try:
        mc.alias("promuser", user, secret)
        token = mc.one("admin", "prometheus", "generate", "promuser")["bearerToken"]
        assert fetch(server, "cluster", token)[0] == 403
        policy = tmp_path / "prom.json"
        policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["admin:Prometheus"]}]}))
        mc("admin", "policy", "create", "cairn", "prom-scrape", str(policy))
        mc("admin", "policy", "attach", "cairn", "prom-scrape", "--user", user)
        eventually(lambda: fetch(server, "cluster", token)[0] == 200, "the user's scrape allowed")
        # The user's access keys (service accounts) act with its policy: allowed, until one's own
        # policy narrows it to something else.
        key = mc.one("admin", "accesskey", "create", "cairn", user)
        mc.alias("promkey", key["accessKey"], key["secretKey"])
        key_token = mc.one("admin", "prometheus", "generate", "promkey")["bearerToken"]
        assert fetch(server, "cluster", key_token)[0] == 200
        narrow = tmp_path / "narrow.json"
        narrow.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::x/*"]}]}))
        narrowed = mc.one("admin", "accesskey", "create", "cairn", user, "--policy", str(narrow))
        mc.alias("promnarrow", narrowed["accessKey"], narrowed["secretKey"])
        narrow_token = mc.one("admin", "prometheus", "generate", "promnarrow")["bearerToken"]
        assert fetch(server, "cluster", narrow_token)[0] == 403
        mc("admin", "user", "disable", "cairn", user)
        eventually(lambda: fetch(server, "cluster", token)[0] == 403, "a disabled user's scrape refused")
    finally:
        mc("admin", "user", "remove", "cairn", user)
        mc("admin", "policy", "rm", "cairn", "prom-scrape")
    assert MC.is_file()


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def test_a_dead_workers_counts_are_kept(server: Server, token: str, metrics_dir: Path) -> None:
    assert not (metrics_dir / "counter_1.db").exists()  # an earlier run's files were cleared
    for s3 in [client(server) for _ in range(8)]:  # connections of their own, spread over workers
        s3.list_buckets()
    time.sleep(1.5)  # flushed by both workers
    before = scrape(server, "cluster", token)
    workers = children(server.process.pid)
    assert len(workers) == 2
    victim = workers[0]
    assert (metrics_dir / f"gauge_livesum_{victim}.db").exists()
    os.kill(victim, signal.SIGKILL)
    eventually(lambda: len(children(server.process.pid)) == 2 and victim not in children(server.process.pid),
               "the dead worker replaced")
    assert not (metrics_dir / f"gauge_livesum_{victim}.db").exists()  # mark_process_dead
    assert (metrics_dir / f"counter_{victim}.db").exists()
    counted = value(before, "minio_s3_requests_total", api="ListBuckets")
    assert counted >= 8
    assert value(scrape(server, "cluster", token), "minio_s3_requests_total", api="ListBuckets") == counted
    client(server).list_buckets()
    eventually(lambda: value(scrape(server, "cluster", token), "minio_s3_requests_total", api="ListBuckets")
               == counted + 1, "the dead worker's counts and the new request's")


def test_drives_offline_and_health(server: Server, token: str) -> None:
    cluster = scrape(server, "cluster", token)
    assert value(cluster, "minio_cluster_drive_online_total") == 4
    assert value(cluster, "minio_cluster_drive_offline_total") == 0
    assert value(cluster, "minio_cluster_drive_total") == 4
    assert value(cluster, "minio_cluster_health_status") == 1
    assert value(cluster, "minio_cluster_capacity_raw_total_bytes") > 0
    assert 0 < value(cluster, "minio_cluster_capacity_usable_total_bytes") < value(
        cluster, "minio_cluster_capacity_raw_total_bytes")
    node = scrape(server, "node", token)
    for drive in server.drives:
        assert value(node, "minio_node_drive_total_bytes", drive=str(drive)) > 0
        assert value(node, "minio_node_drive_free_bytes", drive=str(drive)) > 0
    assert value(node, "minio_node_process_uptime_seconds") > 0
    d1, d2 = server.drives[0], server.drives[1]
    away1, away2 = Path(f"{d1}.away"), Path(f"{d2}.away")
    d1.rename(away1)
    try:
        def offline(n: int, healthy: int) -> Callable[[], bool]:
            def check() -> bool:
                c = scrape(server, "cluster", token)
                return (value(c, "minio_cluster_drive_offline_total"),
                        value(c, "minio_cluster_health_status"),
                        value(c, "minio_cluster_drive_online_total")) == (n, healthy, 4 - n)
            return check

        eventually(offline(1, 1), "one drive offline, the cluster healthy")
        d2.rename(away2)
        eventually(offline(2, 0), "two drives offline: no write quorum, the cluster unhealthy")
        try:
            urllib.request.urlopen(f"{server.endpoint}/minio/health/cluster", timeout=5)
            raise AssertionError("/minio/health/cluster answered 200 without a write quorum")
        except urllib.error.HTTPError as exc:
            assert exc.code == 503
        # The node endpoint answers from whichever worker takes the scrape, and each worker
        # notices a drive gone on its own next check: the cluster view above is the merged one.
        def node_sees_both() -> bool:
            node = scrape(server, "node", token)
            return (value(node, "minio_node_drive_offline_total"),
                    value(node, "minio_node_drive_total_bytes", drive=str(d1))) == (2, 0)

        eventually(node_sees_both, "the answering worker sees both drives offline")
    finally:
        for gone, back in ((away1, d1), (away2, d2)):
            if gone.exists():
                gone.rename(back)
    eventually(offline(0, 1), "the drives back online")


def test_public_without_a_token(tmp_path: Path) -> None:
    srv = start_server(tmp_path, drives=1, workers=1, env_extra={"MINIO_PROMETHEUS_AUTH_TYPE": "public"})
    try:
        for kind in ("cluster", "node", "bucket"):
            status, body = fetch(srv, kind, None)
            assert status == 200, body
            assert list(text_string_to_metric_families(body.decode()))
    finally:
        stop_server_process(srv.process)
    (tmp_path / "jwt").mkdir()
    both = {"MINIO_PROMETHEUS_AUTH_TYPE": "public", "CAIRN_PROMETHEUS_AUTH_TYPE": "jwt"}
    srv = start_server(tmp_path / "jwt", drives=1, workers=1, env_extra=both)
    try:
        assert fetch(srv, "cluster", None)[0] == 403  # Cairn's variable wins over MinIO's
    finally:
        stop_server_process(srv.process)


def test_heal_metrics_of_a_replaced_drive(tmp_path: Path) -> None:
    srv = start_server(tmp_path, drives=4, workers=2)
    try:
        s3 = client(srv)
        s3.create_bucket(Bucket="metrics-heal")
        for i, size in enumerate((1, 5000, 300_000, 2 << 20)):
            s3.put_object(Bucket="metrics-heal", Key=f"o{i}", Body=os.urandom(size))
    finally:
        stop_server_process(srv.process)
    drive = tmp_path / "d1"  # replaced by an empty one: healed in full by the scanner at start
    shutil.rmtree(drive)
    drive.mkdir()
    # and on drive 2 a data directory no record names, as a crash between the shard files and the
    # record leaves one: an hour-old copy of a real one, beside it
    real = next(p for p in (tmp_path / "d2").rglob("*") if p.is_dir() and p.parent.parent.name == "data")
    orphan = real.parent / (real.name[:2] + "0" * 30)  # the fan directory is the id's first 2 characters
    shutil.copytree(real, orphan)
    os.utime(orphan, (time.time() - 3600, time.time() - 3600))
    srv = start_server(tmp_path, drives=4, workers=2, env_extra={"CAIRN_ORPHAN_GRACE": "600"},
                       extra=("--scanner-interval", "1s", "--scanner-rate", "20000", "--heal-interval", "1s"))
    try:
        token = sign(ACCESS_KEY, SECRET_KEY, time.time() + 600)
        got: Samples = {}

        def healed() -> bool:
            got.update(scrape(srv, "cluster", token))
            return value(got, "cairn_heal_passes_total") >= 1

        eventually(healed, "a heal pass done")
        assert value(got, "minio_heal_objects_heal_total", type="object") >= 4
        assert value(got, "minio_heal_objects_errors_total", type="object") == 0
        assert value(got, "minio_heal_objects_total", type="object") >= value(
            got, "minio_heal_objects_heal_total", type="object")
        assert value(got, "cairn_heal_drives_healing") == 0  # done: the marker cleared
        assert value(got, "cairn_heal_queue_reported") == 0
        assert value(got, "minio_heal_time_last_activity_nano_seconds") > 0

        def swept() -> bool:  # the orphan goes once two passes saw it
            got.update(scrape(srv, "cluster", token))
            return value(got, "cairn_heal_orphans_removed_total", type="data_dirs") == 1

        eventually(swept, "the orphan data directory removed by the second pass")
        assert not orphan.exists() and real.exists()
        assert value(got, "cairn_heal_orphans_suspected") == 0
    finally:
        stop_server_process(srv.process)


def test_notification_backlog(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there: every event waits in the queue
    env = {"MINIO_NOTIFY_WEBHOOK_ENABLE_1": "on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_1": f"http://127.0.0.1:{port}/",
           "MINIO_NOTIFY_WEBHOOK_ENABLE_2": "on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_2": f"http://127.0.0.1:{port}/2"}
    srv = start_server(tmp_path, drives=4, workers=2, env_extra=env)
    try:
        s3 = client(srv)
        s3.create_bucket(Bucket="metrics-events")
        s3.put_bucket_notification_configuration(Bucket="metrics-events", NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": "arn:minio:sqs::1:webhook",
                                     "Events": ["s3:ObjectCreated:*"]}]})
        for i in range(7):
            s3.put_object(Bucket="metrics-events", Key=f"k{i}", Body=b"x")
        token = sign(ACCESS_KEY, SECRET_KEY, time.time() + 600)
        samples = scrape(srv, "cluster", token)
        assert value(samples, "minio_notify_target_queue_length", target_id="1", target_name="webhook") == 7
        queue = "minio_notify_target_queue_length"
        assert (queue, (("target_id", "2"), ("target_name", "webhook"))) in samples  # a target with none: 0
        assert value(samples, queue, target_id="2", target_name="webhook") == 0
    finally:
        stop_server_process(srv.process)
