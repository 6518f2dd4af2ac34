"""Lifecycle: the rules' arithmetic (engine/lifecycle.py), the scanner's walk (engine/scanner.py)
and the lifecycle job acting on a real deployment (engine/lifecycle_job.py), with a fake clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from cairn.engine.api import (
    LifecycleConfig,
    LifecycleFilter,
    LifecycleRule,
    ObjectInfo,
    ObjectLayer,
    ObjectOptions,
    VersioningConfig,
)
from cairn.engine.buckets import BucketInfo
from cairn.engine.errors import NoSuchVersion
from cairn.engine.info import UploadInfo
from cairn.engine.lifecycle import (
    Expiry,
    acts_on_uploads,
    acts_on_versions,
    applies,
    current_expiry,
    expires_at,
    marker_due,
    plan_key,
    upload_expiry,
)
from cairn.engine.lifecycle_job import LifecycleJob
from cairn.engine.scanner import Scanner, Wants

MakeLayer = Callable[..., ObjectLayer]
S = 1_000_000_000
DAY = 86_400 * S
B = "bkt"


def rule(rule_id: str = "r", **fields: object) -> LifecycleRule:
    return LifecycleRule(rule_id, **fields)  # type: ignore[arg-type]


def version(mtime_ns: int, *, size: int = 10, tags: dict[str, str] | None = None, marker: bool = False,
            vid: str = "v") -> ObjectInfo:
    return ObjectInfo(size, "etag", mtime_ns, vid, tags=tags or {}, delete_marker=marker)


# -- the arithmetic ------------------------------------------------------------------------------

def test_days_round_up_to_the_next_midnight_utc() -> None:
    # S3's example: created 2014-01-15 10:30 UTC, 3 days -> 2014-01-19 00:00 UTC.
    created = 1389781800 * S
    assert expires_at(created, 3, DAY) == 1390089600 * S
    # At midnight exactly, the boundary is the next one (MinIO's ExpectedExpiryTime).
    assert expires_at(1389744000 * S, 1, DAY) == (1389744000 + 2 * 86_400) * S
    # A shortened day keeps the shape: boundaries are multiples of it.
    assert expires_at(10 * S + 1, 2, 4 * S) == 20 * S  # 10 s + 2 days of 4 s = 18 s: next boundary 20 s


def test_filters() -> None:
    tagged = rule(filter=LifecycleFilter("logs/", (("a", "1"), ("b", "2")), 100, 1000, "and"))
    assert applies(tagged, "logs/x", 500, {"a": "1", "b": "2", "c": "3"})
    assert not applies(tagged, "other/x", 500, {"a": "1", "b": "2"})
    assert not applies(tagged, "logs/x", 500, {"a": "1"})
    assert not applies(tagged, "logs/x", 500, {"a": "1", "b": "3"})
    assert not applies(tagged, "logs/x", 100, {"a": "1", "b": "2"})  # strictly greater
    assert not applies(tagged, "logs/x", 1000, {"a": "1", "b": "2"})  # strictly less
    assert applies(rule(), "anything", 0, {})
    assert not applies(rule(status="Disabled"), "anything", 0, {})


def test_the_earliest_expiration_names_the_rule() -> None:
    config = LifecycleConfig((rule("late", expiration_days=10), rule("soon", expiration_days=2),
                              rule("date", expiration_date=1_900_000_000 // 86_400 * 86_400),
                              rule("other", expiration_days=1, filter=LifecycleFilter("x/"))))
    info = version(1_700_000_000 * S)
    assert current_expiry(config, "a", info, DAY) == Expiry(expires_at(info.mtime_ns, 2, DAY), "soon")
    assert current_expiry(config, "a", replace(info, delete_marker=True), DAY) is None
    dated = LifecycleConfig((rule("d", expiration_date=1_600_000_000 // 86_400 * 86_400),))
    assert current_expiry(dated, "a", info, DAY).when_ns == 1_600_000_000 // 86_400 * 86_400 * S  # type: ignore[union-attr]


def test_plan_of_a_key() -> None:
    config = LifecycleConfig((rule("cur", expiration_days=1), rule("old", noncurrent_days=2)))
    t0 = 1_700_000_000 * S
    versions = [version(t0 + 10 * DAY, vid="v3"), version(t0 + 5 * DAY, vid="v2"), version(t0, vid="v1")]
    plan = plan_key(config, "k", versions, t0 + 7 * DAY, DAY)
    # v3 is 1 day old at most (not due); v2 noncurrent since t0+10d (not due); v1 since t0+5d: due at t0+8d.
    assert plan.current is None and plan.noncurrent == []
    plan = plan_key(config, "k", versions, t0 + 8 * DAY, DAY)
    assert [(v.version_id, r) for v, r in plan.noncurrent] == [("v1", "old")]
    plan = plan_key(config, "k", versions, t0 + 13 * DAY, DAY)
    assert plan.current is not None and plan.current.rule_id == "cur"
    assert [v.version_id for v, _ in plan.noncurrent] == ["v2", "v1"]


def test_newer_noncurrent_versions_keeps_the_newest() -> None:
    config = LifecycleConfig((rule(noncurrent_days=1, newer_noncurrent_versions=2),))
    t0 = 1_700_000_000 * S
    versions = [version(t0 + i * S, vid=f"v{i}") for i in range(5, 0, -1)]  # v5 current, v4..v1 noncurrent
    plan = plan_key(config, "k", versions, t0 + 10 * DAY, DAY)
    assert [v.version_id for v, _ in plan.noncurrent] == ["v2", "v1"]


def test_expired_delete_marker_rules() -> None:
    t0 = 1_700_000_000 * S
    marker = version(t0, marker=True)
    on = LifecycleConfig((rule("m", expired_object_delete_marker=True),))
    off = LifecycleConfig((rule("m", expired_object_delete_marker=False),))
    assert marker_due(on, "k", marker, t0, DAY) == "m"
    assert marker_due(off, "k", marker, t0, DAY) is None
    by_days = LifecycleConfig((rule("d", expiration_days=3),))
    assert marker_due(by_days, "k", marker, t0 + 2 * DAY, DAY) is None
    assert marker_due(by_days, "k", marker, t0 + 4 * DAY, DAY) == "d"
    tagged = LifecycleConfig((rule("t", expiration_days=1, filter=LifecycleFilter(tags=(("a", "1"),))),))
    assert marker_due(tagged, "k", marker, t0 + 9 * DAY, DAY) is None  # a marker has no tags


def test_upload_expiry_and_what_a_config_acts_on() -> None:
    config = LifecycleConfig((rule("tmp", abort_days=1, filter=LifecycleFilter("tmp/")),
                              rule("all", abort_days=7)))
    assert upload_expiry(config, "tmp/x", 0, DAY) == Expiry(2 * DAY, "tmp")
    assert upload_expiry(config, "keep/x", 0, DAY).rule_id == "all"  # type: ignore[union-attr]
    assert acts_on_uploads(config) and not acts_on_versions(config)
    assert not acts_on_uploads(LifecycleConfig((rule(abort_days=1, status="Disabled"),)))
    assert acts_on_versions(LifecycleConfig((rule(expired_object_delete_marker=True),)))


def test_configuration_document_round_trip() -> None:
    config = LifecycleConfig((
        rule("a", filter=LifecycleFilter("p/", (("k", "v"),), 1, 99, "and"), expiration_days=3,
             noncurrent_days=4, newer_noncurrent_versions=2, abort_days=5),
        rule("b", status="Disabled", filter=LifecycleFilter("old", form="prefix"),
             expiration_date=1_900_000_000 // 86_400 * 86_400),
        rule("c", filter=LifecycleFilter(), expired_object_delete_marker=True)))
    assert LifecycleConfig.from_doc(config.to_doc()) == config


# -- the scanner's walk -------------------------------------------------------------------------

class Recorder:
    """A job that wants everything and remembers what it was shown."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str, list[str]]] = []
        self.uploads: list[tuple[str, str]] = []
        self.cycles = 0

    def wants(self, bucket: BucketInfo) -> Wants:
        return Wants(versions=bucket.name != "skipped", uploads=True)

    def visit_key(self, bucket: BucketInfo, key: str, versions: list[ObjectInfo]) -> None:
        self.keys.append((bucket.name, key, [v.version_id for v in versions]))

    def visit_upload(self, bucket: BucketInfo, key: str, upload: UploadInfo) -> None:
        self.uploads.append((bucket.name, key))

    def cycle_done(self) -> None:
        self.cycles += 1


def run_cycle(scanner: Scanner, budget: int = 1000) -> int:
    """Step until the cycle ends; how many steps it took."""
    for steps in range(1, 100_000):
        if scanner.step(budget).cycle_done:
            return steps
    raise AssertionError("the cycle never ended")


def test_the_walk_hands_each_key_its_versions_across_pages(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket("aaa", configs=[VersioningConfig("Enabled")])
    layer.create_bucket("skipped")
    made = {key: [layer.put_object("aaa", key, b"x").version_id for _ in range(n)] for key, n in
            (("k1", 5), ("k2", 1), ("k3", 3))}
    layer.put_object("skipped", "z", b"x")
    layer.create_multipart_upload("aaa", "up")
    layer.create_multipart_upload("skipped", "up")
    job = Recorder()
    scanner = Scanner(layer, [job], page=2)
    steps = run_cycle(scanner, budget=2)
    assert job.keys == [("aaa", key, made[key][::-1]) for key in ("k1", "k2", "k3")]
    assert job.uploads == [("aaa", "up"), ("skipped", "up")]
    assert job.cycles == 1 and steps > 5  # small pages: many small steps
    run_cycle(scanner)
    assert job.cycles == 2 and len(job.keys) == 6


def test_a_bucket_deleted_under_the_walk_ends_its_turn(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket("gone")
    layer.create_bucket("kept")
    for i in range(4):
        layer.put_object("gone", f"k{i}", b"x")
    layer.put_object("kept", "k", b"x")
    job = Recorder()
    scanner = Scanner(layer, [job], page=1)
    scanner.step(1)  # begins bucket "gone"
    scanner.step(1)
    layer.delete_bucket("gone", force=True)
    run_cycle(scanner, budget=1)
    assert ("kept", "k", ["null"]) in job.keys


class Uninterested(Recorder):
    def wants(self, bucket: BucketInfo) -> Wants:
        return Wants()


def test_buckets_nobody_wants_cost_one_step(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    for i in range(5):
        layer.create_bucket(f"bucket-{i}")
    scanner = Scanner(layer, [Uninterested()])
    assert scanner.step(100).visited == 5
    assert scanner.step(100).cycle_done


class Failing(Recorder):
    def visit_key(self, bucket: BucketInfo, key: str, versions: list[ObjectInfo]) -> None:
        if key == "bad":
            raise RuntimeError("a job's bug")
        super().visit_key(bucket, key, versions)


def test_a_failing_job_does_not_stop_the_walk(make_layer: MakeLayer,
                                              caplog: pytest.LogCaptureFixture) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B)
    for key in ("a", "bad", "c"):
        layer.put_object(B, key, b"x")
    job = Failing()
    run_cycle(Scanner(layer, [job]))
    assert [key for _, key, _ in job.keys] == ["a", "c"]
    assert "Failing failed on bkt/bad" in caplog.text


# -- the lifecycle job on a deployment -----------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = time.time_ns()

    def __call__(self) -> int:
        return self.now

    def days(self, n: float) -> None:
        self.now += int(n * DAY)


def lifecycle(layer: ObjectLayer, *rules: LifecycleRule, bucket: str = B) -> None:
    layer.put_bucket_config(bucket, LifecycleConfig(rules))


def scan(layer: ObjectLayer, job: LifecycleJob) -> None:
    run_cycle(Scanner(layer, [job]))


def keys(layer: ObjectLayer, bucket: str = B) -> list[tuple[str, bool]]:
    return [(v.key, v.info.delete_marker) for v in layer.list_object_versions(bucket).versions]


def test_expiration_on_an_unversioned_bucket(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B)
    for key in ("logs/1", "logs/2", "keep/1"):
        layer.put_object(B, key, b"data")
    lifecycle(layer, rule("logs", expiration_days=2, filter=LifecycleFilter("logs/")))
    clock = Clock()
    job = LifecycleJob(layer, clock=clock)
    scan(layer, job)
    assert not job.take_counts().any()
    clock.days(3.01)
    scan(layer, job)
    assert keys(layer) == [("keep/1", False)]
    assert job.take_counts().expired == 2


def test_versions_markers_and_noncurrent_expire(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B, configs=[VersioningConfig("Enabled")])
    for _ in range(3):
        layer.put_object(B, "k", b"data")
    layer.put_object(B, "other", b"data")
    layer.delete_object(B, "other")  # a delete marker over "other"
    lifecycle(layer, rule("cur", expiration_days=1, filter=LifecycleFilter("k")),
              rule("nc", noncurrent_days=1))
    clock = Clock()
    job = LifecycleJob(layer, clock=clock)
    clock.days(2.01)
    scan(layer, job)
    counts = job.take_counts()
    # k: a delete marker over the current version, its two old versions gone; other: its version
    # (noncurrent under the marker) gone.  The markers are younger than a day: kept.
    assert (counts.expired, counts.noncurrent, counts.markers) == (1, 3, 0)
    assert keys(layer) == [("k", True), ("k", False), ("other", True)]
    clock.days(2.01)
    scan(layer, job)
    counts = job.take_counts()
    # k's last version goes (noncurrent for over a day), then the marker left alone goes too (Days
    # covers expired markers); "other" matches no Expiration rule: its marker stays.
    assert (counts.noncurrent, counts.markers) == (1, 1)
    assert keys(layer) == [("other", True)]


def test_expired_object_delete_marker(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B, configs=[VersioningConfig("Enabled")])
    first = layer.put_object(B, "alone", b"x")
    layer.delete_object(B, "alone")
    layer.delete_object(B, "alone", ObjectOptions(version_id=first.version_id))
    layer.put_object(B, "covered", b"x")
    layer.delete_object(B, "covered")
    lifecycle(layer, rule("eodm", expired_object_delete_marker=True))
    job = LifecycleJob(layer)
    scan(layer, job)
    assert keys(layer) == [("covered", True), ("covered", False)]  # a marker over a version stays
    assert job.take_counts().markers == 1


def test_a_suspended_bucket_gets_a_null_marker(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B, configs=[VersioningConfig("Enabled")])
    layer.put_object(B, "k", b"v1")
    layer.put_bucket_config(B, VersioningConfig("Suspended"))
    lifecycle(layer, rule(expiration_days=1))
    clock = Clock()
    clock.days(3)
    scan(layer, LifecycleJob(layer, clock=clock))
    page = layer.list_object_versions(B).versions
    assert [(v.info.delete_marker, v.info.version_id == "null") for v in page] == [(True, True),
                                                                                      (False, False)]


def test_tag_and_size_filters(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B)
    layer.put_object(B, "tagged", b"x" * 10, ObjectOptions(tags={"class": "tmp"}))
    layer.put_object(B, "untagged", b"x" * 10)
    layer.put_object(B, "big", b"x" * 5000, ObjectOptions(tags={"class": "tmp"}))
    lifecycle(layer, rule(expiration_days=1, filter=LifecycleFilter(tags=(("class", "tmp"),), size_lt=1000,
                                                                   form="and")))
    clock = Clock()
    clock.days(3)
    scan(layer, LifecycleJob(layer, clock=clock))
    assert keys(layer) == [("big", False), ("untagged", False)]


def test_object_lock_keeps_locked_versions(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B, object_lock=True)
    far = time.time_ns() + 400 * DAY
    retained = layer.put_object(B, "retained", b"keep me", ObjectOptions(lock_mode="COMPLIANCE",
                                                                       lock_until_ns=far))
    governed = layer.put_object(B, "governed", b"keep me", ObjectOptions(lock_mode="GOVERNANCE",
                                                                       lock_until_ns=far))
    held = layer.put_object(B, "held", b"keep me", ObjectOptions(legal_hold=True))
    free = layer.put_object(B, "free", b"go")
    lifecycle(layer, rule(expiration_days=1, noncurrent_days=1))
    clock = Clock()
    job = LifecycleJob(layer, clock=clock)
    clock.days(3)
    scan(layer, job)  # every current version expires: a delete marker over each
    clock.days(3)
    scan(layer, job)  # the noncurrent versions are due: only the unlocked one goes
    counts = job.take_counts()
    assert counts.expired == 4 and counts.noncurrent == 1 and counts.locked >= 3
    for info in (retained, governed, held):
        kept = layer.head_object(B, info_key(layer, info), ObjectOptions(version_id=info.version_id))
        assert kept.size == len(b"keep me")
    with pytest.raises(NoSuchVersion):
        layer.head_object(B, "free", ObjectOptions(version_id=free.version_id))


def info_key(layer: ObjectLayer, info: ObjectInfo) -> str:
    for v in layer.list_object_versions(B).versions:
        if v.info.version_id == info.version_id:
            return v.key
    raise AssertionError(f"version {info.version_id} is gone")


def test_uploads_abort_by_rule_and_by_the_stale_default(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B)
    layer.create_bucket("plain")
    layer.create_multipart_upload(B, "tmp/a")
    layer.create_multipart_upload(B, "keep/b")
    layer.create_multipart_upload("plain", "c")
    lifecycle(layer, rule("tmp", abort_days=1, filter=LifecycleFilter("tmp/")))
    clock = Clock()
    job = LifecycleJob(layer, stale_upload_seconds=7 * 86_400, clock=clock)
    clock.days(2.01)
    scan(layer, job)
    assert [k for k, _ in layer.list_multipart_uploads(B).uploads] == ["keep/b"]
    assert job.take_counts().aborted == 1
    clock.days(6)
    scan(layer, job)
    assert layer.list_multipart_uploads(B).uploads == []
    assert layer.list_multipart_uploads("plain").uploads == []
    assert job.take_counts().stale == 2


def test_a_bucket_without_rules_is_not_walked(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=1)
    layer.create_bucket(B)
    job = LifecycleJob(layer)
    assert job.wants(layer.head_bucket(B)) == Wants()
    lifecycle(layer, rule(expiration_days=1, status="Disabled"))
    assert job.wants(layer.head_bucket(B)) == Wants()
    assert LifecycleJob(layer, stale_upload_seconds=60).wants(layer.head_bucket(B)) == Wants(uploads=True)
