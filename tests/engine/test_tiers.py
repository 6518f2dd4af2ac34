"""Remote tiers (engine/tiers.py, engine/tier_client.py): the stub commit, reads through a tier,
the journal of remote objects, the lifecycle job's transitions, the healer on stubs, and the
SigV4 signer against AWS's published example.  The tier is an in-memory stand-in for TierClient
(the e2e test, tests/e2e/test_lifecycle_tier.py, uses a real second server)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from cairn.engine.api import LifecycleConfig, LifecycleRule, ObjectLayer, ObjectOptions, VersioningConfig
from cairn.engine.info import TierRef
from cairn.engine.lifecycle_job import LifecycleJob
from cairn.engine.records import decode_object, object_key
from cairn.engine.scanner import Scanner
from cairn.engine.sigv4_sign import sign_v4
from cairn.engine.tier_client import TierTarget, TierUnavailable
from cairn.engine.tiers import KIND, TierReader, Tiers, VersionChanged, transition

MakeLayer = Callable[..., ObjectLayer]
B = "bkt"
TIER = "WARM"
CONFIG = {"Version": "v1", "Type": "minio", "Name": TIER,
          "MinIO": {"Endpoint": "http://127.0.0.1:9", "AccessKey": "a", "SecretKey": "s", "Bucket": "remote",
                    "Prefix": "p"}}


class FakeResponse:
    def __init__(self, data: bytes, status: int) -> None:
        self.data, self.status = data, status

    def getheader(self, name: str) -> str | None:
        return str(len(self.data)) if name == "Content-Length" else None

    def read(self, n: int) -> bytes:
        out, self.data = self.data[:n], self.data[n:]
        return out

    def close(self) -> None:
        pass


class FakeTier:
    """A tier's bucket in memory; `down` makes every call fail as an unreachable tier does;
    `during_put` runs in the middle of a PUT (a concurrent change)."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.down = False
        self.during_put: Callable[[], None] | None = None

    def _check(self) -> None:
        if self.down:
            raise TierUnavailable("connection refused")

    def put_object(self, key: str, blocks: Iterable[Any], size: int, part_size: int) -> str:
        self._check()
        data = b"".join(bytes(b) for b in blocks)[:size]
        if self.during_put is not None:
            self.during_put()
        self.objects[key] = data
        return '"etag"'

    def get_object(self, key: str, start: int, length: int) -> tuple[Any, Any]:
        self._check()
        data = self.objects[key]
        ranged = length != len(data)
        return FakeResponse(b"", 0), FakeResponse(data[start:start + length], 206 if ranged else 200)

    def delete_object(self, key: str) -> None:
        self._check()
        self.objects.pop(key, None)


class FakeTiers(Tiers):
    def __init__(self, layer: ObjectLayer, tier: FakeTier) -> None:
        super().__init__(layer.iam, layer.deployment.deployment_id)
        self.tier = tier

    def client(self, name: str) -> Any:
        if self.config(name) is None:
            raise TierUnavailable(f"remote tier {name!r} is not configured")
        return self.tier


@pytest.fixture
def tiered(make_layer: MakeLayer) -> tuple[ObjectLayer, FakeTier]:
    layer = make_layer(drives=4)
    tier = FakeTier()
    layer.tiers = layer.tier_journal.tiers = FakeTiers(layer, tier)
    layer.iam.put(KIND, TIER, CONFIG)
    layer.create_bucket(B)
    return layer, tier


def drive_files(layer: ObjectLayer) -> list[Path]:
    """Every file of the drives but the metadata databases."""
    return [p for d in layer.deployment.drives for p in Path(d.path).rglob("*")
            if p.is_file() and ".db" not in p.name and "format" not in p.name]


def holds(layer: ObjectLayer, needle: bytes) -> bool:
    return any(needle in p.read_bytes() for p in drive_files(layer))


def body(mark: bytes, size: int) -> bytes:
    return mark + os.urandom(size - 2 * len(mark)) + mark


def test_transition_leaves_a_stub_that_reads_through(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    small, large = body(b"SMALL-MARK", 3000), body(b"LARGE-MARK", 3 * (1 << 20) + 7)
    layer.put_object(B, "small", small, ObjectOptions(checksums=("crc32c",)))
    layer.put_object(B, "large", large)
    assert holds(layer, b"LARGE-MARK")
    for key, data in (("small", small), ("large", large)):
        before = layer.head_object(B, key)
        assert transition(layer, B, key, before, TIER)
        after = layer.head_object(B, key)
        assert after.tier is not None and after.tier.name == TIER and after.storage_class == TIER
        assert (after.etag, after.size, after.mtime_ns, after.checksums) == \
            (before.etag, before.size, before.mtime_ns, before.checksums)
        assert after.data_id is None and not after.inline
        assert tier.objects[after.tier.key] == data and after.tier.key.startswith("p/")
        reader = layer.get_object(B, key)
        assert isinstance(reader, TierReader)
        assert reader.read_all() == data
        ranged = layer.get_object(B, key, ObjectOptions(range=(100, 1000)))
        assert ranged.block_count() == 1 and ranged.read_all() == data[100:1100]
        assert not transition(layer, B, key, after, TIER)  # already there: nothing to do
    assert not holds(layer, b"LARGE-MARK")  # the shard files are gone
    for drive in layer.sets[0].drives:  # no drive's record keeps an inline frame
        value = drive.meta_get(object_key(B, "small"))
        assert value is not None and b"SMALL-MARK" not in value
    assert {o.key: o.storage_class for o in layer.list_objects(B).objects} == {"small": TIER, "large": TIER}
    assert layer.tier_journal.stats() == {TIER: (2, len(small) + len(large))}


def test_a_version_changed_during_the_put_is_not_stubbed(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_object(B, "k", b"first")
    seen = layer.head_object(B, "k")
    tier.during_put = lambda: layer.put_object(B, "k", b"second")
    with pytest.raises(VersionChanged):
        transition(layer, B, "k", seen, TIER)
    assert tier.objects == {}  # the remote copy went again
    assert layer.get_object(B, "k").read_all() == b"second" and layer.head_object(B, "k").tier is None
    assert layer.tier_journal.stats() == {}
    tier.during_put = None
    with pytest.raises(VersionChanged):  # the stub commit alone, of a version no longer there
        layer.commit_transition(B, "k", seen, TierRef(TIER, "x"))


def test_a_tier_down_changes_nothing(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_object(B, "k", b"data")
    tier.down = True
    with pytest.raises(TierUnavailable):
        transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    assert layer.head_object(B, "k").tier is None and layer.get_object(B, "k").read_all() == b"data"


def test_deletes_remove_the_remote_copy_and_retry_when_the_tier_is_down(
        tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    old = layer.put_object(B, "k", b"old")
    layer.put_object(B, "k", b"new")
    layer.put_object(B, "gone", b"x")
    for key, info in (("k", old), ("k", layer.head_object(B, "k")), ("gone", layer.head_object(B, "gone"))):
        assert transition(layer, B, key, layer.head_object(B, key, ObjectOptions(version_id=info.version_id)),
                          TIER)
    assert len(tier.objects) == 3
    layer.delete_object(B, "k")  # a delete marker: both versions and their remote copies stay
    assert len(tier.objects) == 3 and layer.tier_journal.drain() == 0
    layer.delete_object(B, "k", ObjectOptions(version_id=old.version_id))
    assert sorted(tier.objects.values()) == [b"new", b"x"]
    tier.down = True
    gone = layer.head_object(B, "gone")
    layer.delete_object(B, "gone", ObjectOptions(version_id=gone.version_id))
    assert sorted(tier.objects.values()) == [b"new", b"x"]  # kept: the tier is down
    assert layer.tier_journal.drain() == 0
    tier.down = False
    assert layer.tier_journal.drain() == 1
    assert sorted(tier.objects.values()) == [b"new"] and layer.tier_journal.stats()[TIER][0] == 1


def test_an_unversioned_overwrite_drops_the_remote_copy(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_object(B, "k", b"one")
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    layer.put_object(B, "k", b"two")
    assert tier.objects == {} and layer.get_object(B, "k").read_all() == b"two"


def test_a_crash_between_put_and_commit_leaves_only_a_remote_orphan(
        tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_object(B, "k", b"data")
    seen = layer.head_object(B, "k")
    ref = TierRef(TIER, "p/orphan")
    # what transition() did before a crash: the journal entry, then the PUT; no stub
    layer.tier_journal.register(B, "k", seen, ref, putting=True)
    tier.objects[ref.key] = b"data"
    assert layer.head_object(B, "k").tier is None and layer.get_object(B, "k").read_all() == b"data"
    assert layer.tier_journal.drain() == 0  # it may still be a transition in flight
    layer.tier_journal.register(B, "k", seen, ref, putting=False)  # as if long after
    assert layer.tier_journal.drain() == 1 and tier.objects == {}


def test_a_tier_no_longer_configured_fails_reads_not_heads(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, _ = tiered
    layer.put_object(B, "k", b"data")
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    layer.iam.delete(KIND, TIER)
    assert layer.head_object(B, "k").storage_class == TIER
    with pytest.raises(TierUnavailable):
        layer.get_object(B, "k").read_all()


def test_the_healer_heals_a_stub(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, _ = tiered
    layer.put_object(B, "k", body(b"HEAL", 300_000))
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    okey = object_key(B, "k")
    eset = layer.sets[0]
    stub = eset.drives[1].meta_get(okey)
    assert stub is not None
    assert eset.drives[1].meta_submit([(okey, None)]).wait()  # one drive lost the record
    results = layer.heal_object(B, "k", deep=True)
    assert [r.state for r in results] == ["healed"]
    healed = eset.drives[1].meta_get(okey)
    assert healed is not None and decode_object(healed).tier == decode_object(stub).tier
    assert [r.state for r in layer.heal_object(B, "k", deep=True)] == ["ok"]


def test_the_lifecycle_job_transitions_due_versions(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    layer.put_object(B, "k", b"v1")
    layer.put_object(B, "k", b"v2")
    layer.put_object(B, "fresh/k", b"v")
    layer.put_bucket_config(B, LifecycleConfig((
        LifecycleRule("cur", transition_days=3, transition_class=TIER),
        LifecycleRule("old", noncurrent_transition_days=1, noncurrent_transition_class=TIER),)))
    now = time.time_ns()
    job = LifecycleJob(layer, clock=lambda: now + int(2.01 * 86_400e9))
    run = Scanner(layer, [job])
    while not run.step(100).cycle_done:
        pass
    assert job.take_counts().transitioned == 1  # the noncurrent version; the current ones are not due
    versions = layer.list_object_versions(B).versions
    assert [(v.key, v.info.storage_class) for v in versions] == [("fresh/k", "STANDARD"), ("k", "STANDARD"),
                                                                 ("k", TIER)]
    job.clock = lambda: now + int(4.01 * 86_400e9)
    while not run.step(100).cycle_done:
        pass
    assert job.take_counts().transitioned == 2
    assert sorted(tier.objects.values()) == [b"v", b"v1", b"v2"]


def test_sigv4_matches_aws_published_example() -> None:
    """AWS S3 API reference, "Signature Calculations for the Authorization Header", GET Object."""
    headers = sign_v4("GET", "examplebucket.s3.amazonaws.com", "/test.txt", [], {"Range": "bytes=0-9"},
                      "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1",
                      payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                      now=1369353600)
    assert headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")


def test_tier_target_of_a_config() -> None:
    from cairn.engine.tiers import target_of

    assert target_of(CONFIG) == TierTarget("http://127.0.0.1:9", "a", "s", "remote", "p", "")


def test_the_journal_is_healed_like_every_record(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, _ = tiered
    layer.put_object(B, "k", b"data")
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    meta = layer.tier_journal.meta
    (rkey, _), = layer.tier_journal._page(b"T")
    assert meta.drives[2].meta_submit([(rkey, None)]).wait()  # one drive lost the entry
    assert [r.state for r in layer.heal_tier_journal()] == ["healed"]
    assert meta.drives[2].meta_get(rkey) == meta.drives[0].meta_get(rkey) is not None


def test_a_stub_written_over_on_a_versioned_bucket_stays_readable(
        tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    first = layer.put_object(B, "k", b"first")
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    layer.put_object(B, "k", b"second")  # the stub moves to a noncurrent version's record
    assert layer.tier_journal.drain() == 0 and list(tier.objects.values()) == [b"first"]
    old = layer.get_object(B, "k", ObjectOptions(version_id=first.version_id))
    assert isinstance(old, TierReader) and old.read_all() == b"first"
    assert layer.get_object(B, "k").read_all() == b"second"


def test_an_expiry_deletes_the_remote_copy(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_object(B, "k", b"data")
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    layer.put_bucket_config(B, LifecycleConfig((LifecycleRule("gone", expiration_days=1),)))
    now = time.time_ns()
    job = LifecycleJob(layer, clock=lambda: now + int(2.01 * 86_400e9))
    run = Scanner(layer, [job])
    while not run.step(100).cycle_done:
        pass
    assert job.take_counts().expired == 1
    assert tier.objects == {} and layer.tier_journal.stats() == {}


def test_the_healer_brings_a_drive_that_missed_the_stub_along(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, _ = tiered
    data = body(b"STRAGGLER", 300_000)
    layer.put_object(B, "k", data)
    okey, eset = object_key(B, "k"), layer.sets[0]
    before = eset.drives[2].meta_get(okey)
    assert transition(layer, B, "k", layer.head_object(B, "k"), TIER)
    assert eset.drives[2].meta_submit([(okey, before)]).wait()  # as if it missed the stub's commit
    assert [r.state for r in layer.heal_object(B, "k", deep=True)] == ["healed"]
    healed = eset.drives[2].meta_get(okey)
    assert healed is not None and decode_object(healed).tier is not None
    assert layer.get_object(B, "k").read_all() == data


def test_the_job_leaves_versions_local_while_their_tier_is_down(tiered: tuple[ObjectLayer, FakeTier]) -> None:
    layer, tier = tiered
    layer.put_object(B, "a", b"a")
    layer.put_object(B, "b", b"b")
    warm = LifecycleRule("warm", transition_days=1, transition_class=TIER)
    layer.put_bucket_config(B, LifecycleConfig((warm,)))
    now = time.time_ns()
    job = LifecycleJob(layer, clock=lambda: now + int(2.01 * 86_400e9))
    run = Scanner(layer, [job])
    tier.down = True
    while not run.step(100).cycle_done:
        pass
    counts = job.take_counts()
    assert (counts.transitioned, counts.transition_failed) == (0, 2)
    assert {o.storage_class for o in layer.list_objects(B).objects} == {"STANDARD"}
    tier.down = False
    while not run.step(100).cycle_done:
        pass
    assert job.take_counts().transitioned == 2 and sorted(tier.objects.values()) == [b"a", b"b"]
