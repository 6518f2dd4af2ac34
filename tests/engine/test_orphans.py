"""The orphan sweep (engine/orphans.py) run by the heal job: data directories no record names go
after two passes agree and their grace has passed; what versions, uploads and young writes use
stays."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

from cairn.engine import erasure_set, multipart_rules
from cairn.engine.api import ObjectLayer, VersioningConfig
from cairn.engine.heal_job import HealJob
from cairn.engine.scanner import Scanner

from .helpers import read

HOUR_AGO = time.time() - 7200


@pytest.fixture(autouse=True)
def settled_now(monkeypatch):
    monkeypatch.setattr(erasure_set, "REPAIR_AFTER_NS", 0)
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", 100_000)


def age(path: Path, when: float = HOUR_AGO) -> None:
    for p in [*path.rglob("*"), path]:
        os.utime(p, (when, when))


def run_pass(scanner: Scanner) -> None:
    for _ in range(10_000):
        if scanner.step(50).cycle_done:
            return
    raise AssertionError("no end of cycle")


def test_orphans_go_after_two_passes_and_nothing_in_use_does(tmp_path):
    layer = ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(1, 5)], inline_max=1024)
    try:
        layer.create_bucket("bkt")
        layer.put_bucket_config("bkt", VersioningConfig("Enabled"))
        bodies = {f"k{i}": os.urandom(5000 + i) for i in range(3)}
        for key, body in bodies.items():
            layer.put_object("bkt", key, body)
        old = layer.put_object("bkt", "v", os.urandom(4000))  # a noncurrent version's data stays
        layer.put_object("bkt", "v", os.urandom(4001))
        upload = layer.create_multipart_upload("bkt", "up")
        layer.upload_part("bkt", "up", upload.upload_id, 1, os.urandom(2000))
        d1 = tmp_path / "d1" / ".cairn"
        data = d1 / "data"
        age(data)  # everything in use is old too: only the records keep it
        orphan, young = uuid.uuid4().hex, uuid.uuid4().hex
        for name in (orphan, young):
            (data / name[:2] / name).mkdir(parents=True, exist_ok=True)
            (data / name[:2] / name / "part.1").write_bytes(b"left by a crash")
        age(data / orphan[:2] / orphan)
        stale = d1 / "tmp" / "dead-writer"
        stale.mkdir()
        (stale / "part.1").write_bytes(b"half a shard")
        age(stale)
        live = d1 / "tmp" / "live-writer"
        live.mkdir()
        (live / "part.1").write_bytes(b"being written")
        age(live)
        (live / "part.1").write_bytes(b"being written, still")  # its file changes: a live writer

        job = HealJob(layer, interval_s=1e-9, deep_interval_s=1e9)
        job.orphans.grace_s = 3600
        scanner = Scanner(layer, [job])
        run_pass(scanner)
        assert (data / orphan[:2] / orphan).exists()  # one pass is not enough
        assert not stale.exists() and live.exists()
        run_pass(scanner)
        assert not (data / orphan[:2] / orphan).exists()
        assert (data / young[:2] / young).exists()  # within its grace
        for key, body in bodies.items():
            assert read(layer, "bkt", key) == body
        from cairn.engine.options import ObjectOptions

        assert layer.get_object("bkt", "v", ObjectOptions(version_id=old.version_id)).read_all()
        layer.upload_part("bkt", "up", upload.upload_id, 2, os.urandom(100))  # its directory is there
        assert len(layer.list_parts("bkt", "up", upload.upload_id).parts) == 2
        job.pool.close()
    finally:
        layer.close()


def test_a_drive_that_cannot_list_is_skipped(tmp_path):
    from cairn.engine.orphans import OrphanSweep

    class Unlistable:
        online, name = True, "bad"

        def list_data_ids(self):
            raise OSError(5, "I/O error")

        list_staged = list_data_ids

    sweep = OrphanSweep([Unlistable()], grace_s=0)  # type: ignore[list-item]
    sweep.begin()
    counts = sweep.finish()
    assert (counts.data_dirs, counts.staged, counts.suspects) == (0, 0, 0)
