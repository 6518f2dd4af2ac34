"""Healing (engine/healer.py): what was lost on one drive is rewritten from the others, so that
losing two *other* drives afterwards still leaves every object readable.  That is only possible
if the heal really wrote the first drive again: a 2+2 set reads from any two drives."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from cairn.engine import erasure_set, multipart_rules
from cairn.engine.api import CompletePart, ObjectLayer, VersioningConfig
from cairn.engine.errors import DataCorrupted
from cairn.engine.healer import HealCounts
from cairn.engine.metajobs import frame, unframe
from cairn.engine.shardfile import HEADER_SIZE

from .helpers import read

BLOCK = 64 << 10
MIN_PART = 100_000


@pytest.fixture(autouse=True)
def settled_now(monkeypatch):
    """Versions count as settled at once (no write of these tests is in flight)."""
    monkeypatch.setattr(erasure_set, "REPAIR_AFTER_NS", 0)
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", MIN_PART)


def paths_of(tmp_path: Path) -> list[str]:
    return [str(tmp_path / f"d{i}") for i in range(1, 5)]


def open_layer(tmp_path: Path) -> ObjectLayer:
    return ObjectLayer.open(paths_of(tmp_path), block_size=BLOCK, inline_max=16 << 10)


def wipe(tmp_path: Path, *drives: int) -> None:
    for d in drives:
        path = tmp_path / f"d{d}"
        shutil.rmtree(path)
        path.mkdir()


def fill(layer: ObjectLayer) -> dict[tuple[str, str | None], bytes]:
    """Objects of every shape: inline, empty, several blocks, multipart, versions, a delete marker.
    (key, version id or None for the latest) -> bytes."""
    rng = random.Random(7)
    layer.create_bucket("plain")
    layer.create_bucket("versioned")
    layer.put_bucket_config("versioned", VersioningConfig("Enabled"))
    want: dict[tuple[str, str | None], bytes] = {}
    for i in range(12):
        body = rng.randbytes(rng.choice([0, 100, 5000, 3 * BLOCK + 17, 200_000]))
        layer.put_object("plain", f"k{i}", body)
        want["plain/" + f"k{i}", None] = body
    upload = layer.create_multipart_upload("plain", "multi")
    parts = [rng.randbytes(MIN_PART + 3), rng.randbytes(2 * BLOCK), rng.randbytes(99)]
    done = [layer.upload_part("plain", "multi", upload.upload_id, n, p) for n, p in enumerate(parts, 1)]
    layer.complete_multipart_upload("plain", "multi", upload.upload_id,
                                    [CompletePart(n, p.etag) for n, p in enumerate(done, 1)])
    want["plain/multi", None] = b"".join(parts)
    for n in range(3):
        body = rng.randbytes([300, 3 * BLOCK, 20_000][n])
        info = layer.put_object("versioned", "v", body)
        want["versioned/v", info.version_id] = body
    want["versioned/v", None] = body
    layer.put_object("versioned", "gone", b"before the marker")
    layer.delete_object("versioned", "gone")
    return want


def check(layer: ObjectLayer, want: dict[tuple[str, str | None], bytes]) -> None:
    from cairn.engine.options import ObjectOptions

    for (path, version), body in want.items():
        bucket, key = path.split("/", 1)
        got = layer.get_object(bucket, key, ObjectOptions(version_id=version)).read_all()
        assert got == body, (path, version)


def heal_all(layer: ObjectLayer, *, deep: bool = False) -> HealCounts:
    counts = HealCounts()
    for bucket in ("plain", "versioned"):
        counts.add(layer.heal_bucket(bucket))
        for key in {v.key for v in layer.list_object_versions(bucket).versions}:
            for result in layer.heal_object(bucket, key, deep=deep):
                counts.add(result)
    for result in [*layer.heal_identities(), *layer.heal_events()]:
        counts.add(result)
    return counts


def test_a_wiped_drive_is_rewritten_in_full(tmp_path):
    with open_layer(tmp_path) as layer:
        want = fill(layer)
        layer.iam.put("user", "alice", {"status": "enabled"})
        layer.events.append([("1:webhook", b"an event waiting for its target")])
    wipe(tmp_path, 1)
    with open_layer(tmp_path) as layer:
        assert layer.deployment.sets[0].drives[0].needs_heal
        counts = heal_all(layer)
        assert counts.unhealable == 0
        assert counts.metadata_rewritten >= len(want)  # every version's record, and the buckets'
        assert counts.shards_rebuilt > 0
        again = heal_all(layer)  # nothing left to do
        assert (again.healed, again.metadata_rewritten, again.shards_rebuilt) == (0, 0, 0)
    wipe(tmp_path, 2, 3)
    with open_layer(tmp_path) as layer:
        check(layer, want)
        assert layer.iam.get("user", "alice") == {"status": "enabled"}
        assert [payload for _, payload in layer.events.batch("1:webhook", 10)] == [
            b"an event waiting for its target"]
        assert layer.head_object("versioned", "v").size == len(want["versioned/v", None])


def test_bit_flips_in_shard_files_are_found_by_a_deep_heal_only(tmp_path):
    with open_layer(tmp_path) as layer:
        want = fill(layer)
    flipped = 0
    data = tmp_path / "d1" / ".cairn" / "data"
    for shard in data.rglob("*"):
        if shard.is_file() and shard.stat().st_size > HEADER_SIZE + 8:
            raw = bytearray(shard.read_bytes())
            raw[HEADER_SIZE + 6] ^= 0x40  # a payload byte of the first frame
            shard.write_bytes(bytes(raw))
            flipped += 1
    assert flipped
    with open_layer(tmp_path) as layer:
        assert heal_all(layer).shards_rebuilt == 0  # a normal check reads headers and last frames
        counts = heal_all(layer, deep=True)
        assert counts.shards_rebuilt == flipped and counts.unhealable == 0
        assert heal_all(layer, deep=True).shards_rebuilt == 0
    wipe(tmp_path, 2, 3)
    with open_layer(tmp_path) as layer:
        check(layer, want)


def test_damaged_metadata_records_are_rewritten(tmp_path):
    with open_layer(tmp_path) as layer:
        want = fill(layer)
    db = sqlite3.connect(tmp_path / "d1" / ".cairn" / "meta.db")
    rows = db.execute("SELECT k, v FROM kv WHERE substr(k, 1, 1) IN ('O', 'V', 'B')").fetchall()
    for k, v in rows:  # every record on drive 1 fails its checksum
        payload = unframe(v)
        assert payload is not None
        db.execute("UPDATE kv SET v = ? WHERE k = ?", (frame(payload)[:-1] + b"\x00", k))
    db.commit()
    db.close()
    with open_layer(tmp_path) as layer:
        counts = heal_all(layer)
        assert counts.metadata_rewritten >= len(rows) - 1  # the deleted key's tombstone-less record
    wipe(tmp_path, 2, 3)
    with open_layer(tmp_path) as layer:
        check(layer, want)


def test_dry_run_changes_nothing_and_beyond_parity_is_unhealable(tmp_path):
    with open_layer(tmp_path) as layer:
        layer.create_bucket("bkt")
        body = os.urandom(3 * BLOCK)
        layer.put_object("bkt", "k", body)
    wipe(tmp_path, 1)
    with open_layer(tmp_path) as layer:
        [result] = layer.heal_object("bkt", "k", dry_run=True)
        assert result.state == "would heal" and result.metadata == [0] and result.data == [0]
        [result] = layer.heal_object("bkt", "k", dry_run=True)
        assert result.state == "would heal"  # nothing was written
        assert not any((tmp_path / "d1" / ".cairn" / "data").iterdir())
        data_id = layer.head_object("bkt", "k").data_id
        assert data_id is not None
        for d in (2, 3):  # two more shards lost: only one of four left
            shutil.rmtree(tmp_path / f"d{d}" / ".cairn" / "data" / data_id[:2] / data_id)
        [result] = layer.heal_object("bkt", "k")
        assert result.state == "unhealable"
        with pytest.raises(DataCorrupted):
            read(layer, "bkt", "k")


def run_cycle(scanner, limit: int = 10_000) -> None:
    for _ in range(limit):
        if scanner.step(7).cycle_done:
            return
    raise AssertionError("the scanner did not finish a cycle")


def test_the_scanner_alone_heals_a_replaced_drive_and_resumes_after_a_restart(tmp_path):
    from cairn.engine import drive_healing
    from cairn.engine.heal_job import HealJob
    from cairn.engine.scanner import Scanner

    with open_layer(tmp_path) as layer:
        want = fill(layer)
    wipe(tmp_path, 1)
    d1 = str(tmp_path / "d1")
    with open_layer(tmp_path) as layer:
        job = HealJob(layer, interval_s=1e9, deep_interval_s=1e9)
        assert job.active and job.healing == [d1]
        scanner = Scanner(layer, [job])
        for _ in range(4):  # into the first bucket, then "stop the server"
            scanner.step(3)
        job.pool.close()  # the keys in flight finish (a server's heal threads end with it)
        assert drive_healing.load(d1)["bucket"] == "plain"
    with open_layer(tmp_path) as layer:
        assert layer.deployment.sets[0].drives[0].needs_heal  # the marker survived the restart
        job = HealJob(layer, interval_s=1e9, deep_interval_s=1e9)
        assert job.resume_point() is not None and job.resume_point()[0] == "plain"
        scanner = Scanner(layer, [job])
        scanner.resume_at(*job.resume_point())
        run_cycle(scanner)  # finishes "plain" from where it was, then "versioned"
        run_cycle(scanner)  # the whole walk once more: everything before the resume point too
        assert drive_healing.load(d1) is None  # healed: the marker is gone
        assert not job.active  # and no pass is due until the interval
        job.pool.close()
    wipe(tmp_path, 2, 3)
    with open_layer(tmp_path) as layer:
        check(layer, want)


def test_damage_a_read_reports_is_healed_from_the_durable_queue(tmp_path):
    with open_layer(tmp_path) as layer:
        layer.create_bucket("bkt")
        body = os.urandom(3 * BLOCK)
        layer.put_object("bkt", "k", body)
        info = layer.head_object("bkt", "k")
    data_id, drive = info.data_id, info.distribution[0]  # a data shard's drive: the read needs it
    shutil.rmtree(tmp_path / f"d{drive + 1}" / ".cairn" / "data" / data_id[:2] / data_id)
    with open_layer(tmp_path) as layer:
        assert read(layer, "bkt", "k") == body  # served from the other drives, and reported
    with open_layer(tmp_path) as layer:  # the report outlived the process that made it
        results = layer.heal_reported()
        assert [(r.what, r.state, r.data) for r in results] == [("bkt/k", "healed", [drive])]
        assert layer.heal_reported() == []  # the report is gone once healed
    wipe(tmp_path, *[d + 1 for d in range(4) if d not in (drive, info.distribution[1])])
    with open_layer(tmp_path) as layer:  # the healed drive and one other are enough
        assert read(layer, "bkt", "k") == body
