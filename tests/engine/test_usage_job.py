"""The scanner's usage job (engine/usage_job.py): each bucket's objects, versions, delete markers
and bytes, whole per cycle, over pages and small steps."""

from __future__ import annotations

from collections.abc import Callable

from cairn.engine.api import ObjectLayer, VersioningConfig
from cairn.engine.scanner import Scanner
from cairn.engine.usage_job import BucketUsage, UsageJob

MakeLayer = Callable[..., ObjectLayer]


def run_cycle(scanner: Scanner, budget: int = 1000) -> None:
    for _ in range(100_000):
        if scanner.step(budget).cycle_done:
            return
    raise AssertionError("the cycle never ended")


def test_usage_per_bucket_per_cycle(make_layer: MakeLayer) -> None:
    layer = make_layer(drives=4)
    layer.create_bucket("plain")
    layer.create_bucket("versioned", configs=[VersioningConfig("Enabled")])
    layer.create_bucket("empty")
    sizes = [0, 7, 1000, 300_000]
    for i, size in enumerate(sizes):
        layer.put_object("plain", f"k{i}", b"x" * size)
    layer.put_object("versioned", "a", b"1" * 10)
    layer.put_object("versioned", "a", b"2" * 20)
    layer.delete_object("versioned", "a")  # a delete marker over two versions
    layer.put_object("versioned", "b", b"3" * 5)
    updates: list[int] = []
    job = UsageJob(on_update=lambda j: updates.append(j.cycles))
    scanner = Scanner(layer, [job], page=2)  # keys' versions span pages
    run_cycle(scanner, budget=2)
    assert job.cycles == 1 and updates and updates[-1] == 1
    assert job.usage() == {
        "plain": BucketUsage(objects=4, versions=4, delete_markers=0, size=sum(sizes)),
        "versioned": BucketUsage(objects=1, versions=4, delete_markers=1, size=35),
        "empty": BucketUsage(),
    }
    # The next cycle sees the changes; a deleted bucket drops out at the cycle's end, and until
    # then the last cycle's figures stand.
    layer.delete_object("plain", "k3")
    layer.delete_bucket("empty")
    assert job.usage()["plain"].objects == 4
    run_cycle(scanner)
    assert job.usage() == {
        "plain": BucketUsage(objects=3, versions=3, delete_markers=0, size=sum(sizes[:3])),
        "versioned": BucketUsage(objects=1, versions=4, delete_markers=1, size=35),
    }
    assert job.cycles == 2 and job.last_cycle_end > 0
