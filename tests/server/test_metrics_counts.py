"""The count step's in-process counts and their flush (server/metrics/requests.py), read back
through prometheus_client's exposition and parser."""

from __future__ import annotations

from prometheus_client.exposition import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from cairn.server.metrics.exposition import Registry, process_families
from cairn.server.metrics.requests import Recorder


def scrape(recorder: Recorder) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = generate_latest(Registry(lambda: process_families(recorder).values())).decode()
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[s.name, tuple(sorted(s.labels.items()))] = s.value
    return out


def test_counts_flushed_under_minio_names() -> None:
    recorder = Recorder()
    stats = recorder.stats
    for _ in range(3):
        stats.record("PutObject", 200, 1000, 300, 0.01)
    stats.record("GetObject", 404, 200, 500, 0.2)
    stats.record("GetObject", 503, 200, 500, 7.0)
    stats.record("GetObject", 499, 200, 0, 20.0)
    before = scrape(recorder)
    assert ("minio_s3_requests_total", (("api", "PutObject"),)) not in before  # not flushed yet
    recorder.flush(in_flight=2)
    got = scrape(recorder)
    assert got["minio_s3_requests_total", (("api", "PutObject"),)] == 3
    assert got["minio_s3_requests_total", (("api", "GetObject"),)] == 3
    assert got["minio_s3_requests_errors_total", (("api", "GetObject"),)] == 2
    assert got["minio_s3_requests_4xx_errors_total", (("api", "GetObject"),)] == 1
    assert got["minio_s3_requests_5xx_errors_total", (("api", "GetObject"),)] == 1
    assert got["minio_s3_requests_canceled_total", (("api", "GetObject"),)] == 1
    assert got["minio_s3_requests_errors_total", (("api", "PutObject"),)] == 0  # present, zero
    assert got["minio_s3_traffic_received_bytes", ()] == 3600
    assert got["minio_s3_traffic_sent_bytes", ()] == 1900
    assert got["minio_s3_requests_inflight_total", ()] == 2
    ttfb = "minio_s3_requests_ttfb_seconds_distribution"
    # cumulative per le, the api in lower case (MinIO's)
    assert got[ttfb, (("api", "putobject"), ("le", "0.050"))] == 3
    assert got[ttfb, (("api", "getobject"), ("le", "0.100"))] == 0
    assert got[ttfb, (("api", "getobject"), ("le", "0.250"))] == 1
    assert got[ttfb, (("api", "getobject"), ("le", "10.000"))] == 2
    assert got[ttfb, (("api", "getobject"), ("le", "+Inf"))] == 3
    # a second flush adds only what came since
    stats = recorder.stats
    stats.record("PutObject", 200, 10, 10, 0.01)
    recorder.flush()
    again = scrape(recorder)
    assert again["minio_s3_requests_total", (("api", "PutObject"),)] == 4
    assert again["minio_s3_traffic_received_bytes", ()] == 3610
    assert again[ttfb, (("api", "getobject"), ("le", "+Inf"))] == 3


def test_traffic_is_untyped_as_minio_names_it() -> None:
    recorder = Recorder()
    recorder.stats.record("PutObject", 200, 1, 1, 0.0)
    recorder.flush()
    text = generate_latest(Registry(lambda: process_families(recorder).values())).decode()
    assert "# TYPE minio_s3_traffic_received_bytes untyped" in text
    assert "# TYPE minio_s3_requests_total counter" in text
    assert "minio_s3_traffic_received_bytes_total" not in text


def test_per_bucket_counts() -> None:
    recorder = Recorder()
    recorder.stats.record("PutObject", 200, 100, 10, 0.0, "b1")
    recorder.stats.record("GetObject", 404, 10, 200, 0.0, "b1")
    recorder.stats.record("GetObject", 200, 10, 300, 0.0, "b2")
    recorder.stats.record("ListBuckets", 200, 10, 300, 0.0)  # no bucket: not per bucket
    recorder.flush()
    got = scrape(recorder)
    assert got["minio_bucket_requests_total", (("api", "PutObject"), ("bucket", "b1"))] == 1
    assert got["minio_bucket_requests_total", (("api", "GetObject"), ("bucket", "b1"))] == 1
    assert got["minio_bucket_requests_4xx_errors_total", (("api", "GetObject"), ("bucket", "b1"))] == 1
    assert got["minio_bucket_requests_4xx_errors_total", (("api", "GetObject"), ("bucket", "b2"))] == 0
    assert got["minio_bucket_traffic_received_bytes", (("bucket", "b1"),)] == 110
    assert got["minio_bucket_traffic_sent_bytes", (("bucket", "b2"),)] == 300
    assert not [k for k in got if k[0].startswith("minio_bucket") and ("api", "ListBuckets") in k[1]]
