"""The orphan sweep (engine/orphans.py) run by the heal job: data directories and part files no
record names, and upload and part records of uploads gone that some drives kept, go after two
passes agree and their grace has passed; what versions, uploads and young writes use stays, and
every live upload completes and reads back."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.engine import erasure_set, multipart_rules
from cairn.engine.api import ObjectLayer, VersioningConfig
from cairn.engine.errors import NoSuchUpload
from cairn.engine.heal_job import HealJob
from cairn.engine.info import CompletePart, PartInfo
from cairn.engine.multipart import MultipartUploads
from cairn.engine.options import ObjectOptions
from cairn.engine.records import encode_part, part_key, upload_key
from cairn.engine.scanner import Scanner

from .faulty import FaultyDrive
from .helpers import data_path, read

HOUR_AGO = time.time() - 7200


@pytest.fixture(autouse=True)
def settled_now(monkeypatch):
    monkeypatch.setattr(erasure_set, "REPAIR_AFTER_NS", 0)
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", 100_000)


def age(path: Path, when: float = HOUR_AGO) -> None:
    for p in [*path.rglob("*"), path]:
        os.utime(p, (when, when))


def run_pass(scanner: Scanner, between: Callable[[], None] = lambda: None) -> None:
    """One whole scanner cycle; `between` runs after each of its steps."""
    for _ in range(10_000):
        if scanner.step(50).cycle_done:
            return
        between()
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


# -- part files and upload records ---------------------------------------------------------------

PART = 100_000  # MIN_PART_SIZE here (settled_now)


def open_faulty(tmp_path: Path, drives: int) -> ObjectLayer:
    return ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(1, drives + 1)], inline_max=1024,
                            block_size=64 << 10, sync="relaxed", storage=FaultyDrive)


def sweeper(layer: ObjectLayer, grace_s: float) -> tuple[HealJob, Scanner]:
    job = HealJob(layer, interval_s=1e-9, deep_interval_s=1e9)
    job.orphans.grace_s = grace_s
    return job, Scanner(layer, [job])


def files_of(drive: FaultyDrive, data_id: str) -> set[str]:
    path = Path(data_path(drive.inner, data_id))  # type: ignore[arg-type]
    return {p.name for p in path.iterdir()} if path.exists() else set()


def dead_part_writer(layer: ObjectLayer, key: str, upload_id: str, number: int) -> str:
    """An UploadPart whose process died after its shard files joined the upload's directory, before
    its part record: the file's name."""
    writer = layer.uploads[0].new_part_writer("bkt", key, upload_id, number, ObjectOptions())
    writer.write(os.urandom(3000))
    writer.seal()
    return writer.part_name


def complete(layer: ObjectLayer, key: str, upload_id: str, parts: list[PartInfo]) -> None:
    layer.complete_multipart_upload("bkt", key, upload_id, [CompletePart(p.number, p.etag) for p in parts])


class Uploader(threading.Thread):
    """A client uploading parts of one upload, numbers 1-4 again and again (each part uploaded
    again replaces the last), until stopped: while the sweeps run."""

    def __init__(self, layer: ObjectLayer, key: str) -> None:
        super().__init__()
        self.layer, self.key = layer, key
        self.upload = layer.create_multipart_upload("bkt", key)
        self.parts: dict[int, tuple[PartInfo, bytes]] = {}
        self.uploaded = 0
        self.going = threading.Event()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                number = self.uploaded % 4 + 1
                body = os.urandom(PART)
                part = self.layer.upload_part("bkt", self.key, self.upload.upload_id, number, body)
                self.parts[number] = (part, body)
                self.uploaded += 1
                self.going.set()
        except BaseException as exc:
            self.error = exc
            self.going.set()

    def one_more(self) -> None:
        """Wait for the next part (the sweeps' steps and the uploads interleave)."""
        seen = self.uploaded
        deadline = time.monotonic() + 10
        while self.uploaded == seen and self.error is None and time.monotonic() < deadline:
            time.sleep(0.001)

    def __enter__(self) -> Uploader:
        self.start()
        self.going.wait()
        self.before = self.uploaded
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join()

    def finish(self) -> None:
        """Complete the upload; it reads back as uploaded."""
        assert self.error is None, self.error
        assert self.uploaded > self.before + 1  # parts were written while the sweeps ran
        numbers = sorted(self.parts)
        complete(self.layer, self.key, self.upload.upload_id, [self.parts[n][0] for n in numbers])
        assert read(self.layer, "bkt", self.key) == b"".join(self.parts[n][1] for n in numbers)


def plant_part_record(drive: FaultyDrive, key: str, upload_id: str, number: int, file: str) -> bytes:
    """A part record whose upload record is gone from the drive (a part committed between an
    abort's listing of the parts and its swap); its key."""
    pkey = part_key("bkt", key, upload_id, number)
    part = PartInfo(number, 3000, "0" * 32, time.time_ns(), file)
    drive.meta_submit([(pkey, encode_part(part))]).wait()
    return pkey


@pytest.mark.parametrize("drives", [1, 4])
def test_part_files_and_part_records_no_upload_names_go(tmp_path, monkeypatch, drives):
    """Part files no part record names (an UploadPart that died before its record, a part uploaded
    again whose old file stayed) and part records whose upload is gone go after two passes; the
    live uploads, one of them written during the sweeps, complete and read back."""
    layer = open_faulty(tmp_path, drives)
    try:
        layer.create_bucket("bkt")
        live = layer.create_multipart_upload("bkt", "live")
        bodies = [os.urandom(PART), os.urandom(PART), os.urandom(5000)]
        with monkeypatch.context() as m:  # the retry's process dies before removing the old file
            m.setattr(MultipartUploads, "remove_files", lambda self, data_id, names: None)
            first = layer.upload_part("bkt", "live", live.upload_id, 2, os.urandom(PART))
            parts = [layer.upload_part("bkt", "live", live.upload_id, n, b) for n, b in enumerate(bodies, 1)]
        died = dead_part_writer(layer, "live", live.upload_id, 4)
        gone = layer.create_multipart_upload("bkt", "gone")
        layer.upload_part("bkt", "gone", gone.upload_id, 1, os.urandom(3000))
        layer.abort_multipart_upload("bkt", "gone", gone.upload_id)
        planted = plant_part_record(layer.drives[-1], "gone", gone.upload_id, 2, "part.2.0123456789ab")
        orphans = {first.file, died}
        for drive in layer.drives:
            assert orphans | {p.file for p in parts} <= files_of(drive, live.data_id)
        time.sleep(0.6)  # everything is older than the grace now: only the records keep it
        job, scanner = sweeper(layer, grace_s=0.5)
        with Uploader(layer, "busy") as busy:
            run_pass(scanner, busy.one_more)
            for drive in layer.drives:  # one pass is not enough
                assert orphans <= files_of(drive, live.data_id)
            assert layer.drives[-1].meta_get(planted) is not None
            run_pass(scanner, busy.one_more)
        for drive in layer.drives:
            assert files_of(drive, live.data_id) == {p.file for p in parts}
            assert drive.meta_get(planted) is None
        assert (job.sweep.part_files, job.sweep.part_records) == (2 * drives, 1)
        busy.finish()
        complete(layer, "live", live.upload_id, parts)
        assert read(layer, "bkt", "live") == b"".join(bodies)
        job.pool.close()
    finally:
        layer.close()


def test_records_a_drive_kept_through_an_abort_or_a_completion_go(tmp_path):
    """2+2, one drive away while an upload is aborted and another completed: it keeps their upload
    and part records (and the aborted one's directory, the completed one's left-out part): all
    go after two passes; the completed object keeps its files there, and the uploads created
    while the drive was away, or written during the sweeps, complete and read back."""
    layer = open_faulty(tmp_path, 4)
    try:
        layer.create_bucket("bkt")
        away = layer.drives[3]
        assert isinstance(away, FaultyDrive)
        aborted = layer.create_multipart_upload("bkt", "aborted")
        for n in (1, 2):
            layer.upload_part("bkt", "aborted", aborted.upload_id, n, os.urandom(PART))
        done = layer.create_multipart_upload("bkt", "done")
        bodies = [os.urandom(PART), os.urandom(PART), os.urandom(900)]
        parts = [layer.upload_part("bkt", "done", done.upload_id, n, b) for n, b in enumerate(bodies, 1)]
        away.go_offline()
        layer.abort_multipart_upload("bkt", "aborted", aborted.upload_id)
        complete(layer, "done", done.upload_id, parts[:2])  # part 3 left out
        created_away = layer.create_multipart_upload("bkt", "created-away")
        away_bodies = [os.urandom(PART)]
        away_parts = [layer.upload_part("bkt", "created-away", created_away.upload_id, 1, away_bodies[0])]
        away.clear()
        away_bodies.append(os.urandom(1234))
        away_parts.append(layer.upload_part("bkt", "created-away", created_away.upload_id, 2, away_bodies[1]))
        held = [upload_key("bkt", "aborted", aborted.upload_id), upload_key("bkt", "done", done.upload_id),
                *(part_key("bkt", "aborted", aborted.upload_id, n) for n in (1, 2)),
                *(part_key("bkt", "done", done.upload_id, n) for n in (1, 2, 3))]
        assert all(away.meta_get(k) is not None for k in held)
        assert away.meta_get(upload_key("bkt", "created-away", created_away.upload_id)) is None
        assert files_of(away, done.data_id) == {p.file for p in parts}
        assert files_of(away, aborted.data_id)
        time.sleep(0.6)
        job, scanner = sweeper(layer, grace_s=0.5)
        with Uploader(layer, "busy") as busy:
            run_pass(scanner, busy.one_more)
            assert all(away.meta_get(k) is not None for k in held)  # one pass is not enough
            assert files_of(away, aborted.data_id) and parts[2].file in files_of(away, done.data_id)
            run_pass(scanner, busy.one_more)
        assert [k for k in held if away.meta_get(k) is not None] == []
        assert (job.sweep.upload_records, job.sweep.part_records) == (2, 5)
        assert files_of(away, aborted.data_id) == set()
        assert files_of(away, done.data_id) == {p.file for p in parts[:2]}
        assert job.sweep.part_files == 1 and job.sweep.data_dirs == 1
        for drive in layer.drives[:3]:
            assert drive.meta_get(upload_key("bkt", "created-away", created_away.upload_id)) is not None
        busy.finish()
        complete(layer, "created-away", created_away.upload_id, away_parts)
        assert read(layer, "bkt", "created-away") == b"".join(away_bodies)
        for drive in layer.drives[:2]:  # the completed object's shards on the drive that was away
            drive.go_offline()
        assert read(layer, "bkt", "done") == b"".join(bodies[:2])
        with pytest.raises(NoSuchUpload):
            layer.list_parts("bkt", "aborted", aborted.upload_id)
        job.pool.close()
    finally:
        layer.close()


def test_orphans_younger_than_the_grace_stay(tmp_path):
    """Drives kept part records of an aborted upload a moment ago, and a part file no record names
    was just written: within the grace period they stay, however many passes agree; an old
    unnamed part file beside them goes."""
    layer = open_faulty(tmp_path, 4)
    try:
        layer.create_bucket("bkt")
        away = layer.drives[3]
        assert isinstance(away, FaultyDrive)
        aborted = layer.create_multipart_upload("bkt", "aborted")
        layer.upload_part("bkt", "aborted", aborted.upload_id, 1, os.urandom(3000))
        away.go_offline()
        layer.abort_multipart_upload("bkt", "aborted", aborted.upload_id)
        away.clear()
        planted = plant_part_record(layer.drives[0], "aborted", aborted.upload_id, 2, "part.2.0123456789ab")
        away.meta_submit([(upload_key("bkt", "aborted", aborted.upload_id), None)]).wait()  # its parts only
        live = layer.create_multipart_upload("bkt", "live")
        part = layer.upload_part("bkt", "live", live.upload_id, 1, os.urandom(3000))
        old = dead_part_writer(layer, "live", live.upload_id, 2)
        for drive in layer.drives:
            path = Path(data_path(drive.inner, live.data_id)) / old  # type: ignore[attr-defined]
            os.utime(path, (HOUR_AGO, HOUR_AGO))
        young = dead_part_writer(layer, "live", live.upload_id, 3)
        job, scanner = sweeper(layer, grace_s=3600)
        for _ in range(3):
            run_pass(scanner)
        assert away.meta_get(part_key("bkt", "aborted", aborted.upload_id, 1)) is not None
        assert layer.drives[0].meta_get(planted) is not None
        assert files_of(away, aborted.data_id)
        for drive in layer.drives:
            assert files_of(drive, live.data_id) == {part.file, young}
        assert job.sweep.suspects == 0
        job.pool.close()
    finally:
        layer.close()


def test_an_upload_a_drive_away_could_make_live_again_is_not_judged(tmp_path):
    """2+2: an upload two drives hold (made while one drive was away, then lost by a replaced
    drive) is live: the vote of all four finds it.  With one of its two holders away, the three
    left vote it gone; the sweep must not take that for an orphan."""
    layer = open_faulty(tmp_path, 4)
    try:
        layer.create_bucket("bkt")
        drives = layer.drives
        assert all(isinstance(d, FaultyDrive) for d in drives)
        drives[3].go_offline()  # type: ignore[attr-defined]
        live = layer.create_multipart_upload("bkt", "live")
        part = layer.upload_part("bkt", "live", live.upload_id, 1, os.urandom(3000))
        drives[3].clear()  # type: ignore[attr-defined]
        held = [upload_key("bkt", "live", live.upload_id), part_key("bkt", "live", live.upload_id, 1)]
        drives[2].meta_submit([(k, None) for k in held]).wait()  # a replaced drive: lost
        time.sleep(0.6)
        drives[1].go_offline()  # type: ignore[attr-defined]
        job, scanner = sweeper(layer, grace_s=0.5)
        for _ in range(2):
            run_pass(scanner)
        assert all(drives[0].meta_get(k) is not None for k in held)
        assert part.file in files_of(drives[0], live.data_id)  # type: ignore[arg-type]
        drives[1].clear()  # type: ignore[attr-defined]
        assert [p.etag for p in layer.list_parts("bkt", "live", live.upload_id).parts] == [part.etag]
        job.pool.close()
    finally:
        layer.close()


def test_no_part_file_is_judged_while_a_drive_cannot_list_its_records(tmp_path):
    """A part record may be on the drive whose records cannot be listed: while that lasts, no
    upload's part files are judged; once it can, the unnamed one goes after two passes."""
    layer = open_faulty(tmp_path, 4)
    try:
        layer.create_bucket("bkt")
        live = layer.create_multipart_upload("bkt", "live")
        part = layer.upload_part("bkt", "live", live.upload_id, 1, os.urandom(3000))
        died = dead_part_writer(layer, "live", live.upload_id, 2)
        time.sleep(0.6)
        blind = layer.drives[1]
        assert isinstance(blind, FaultyDrive)
        blind.fail("meta_scan", onward=True)
        job, scanner = sweeper(layer, grace_s=0.5)
        for _ in range(2):
            run_pass(scanner)
        assert all(files_of(d, live.data_id) == {part.file, died} for d in layer.drives)  # type: ignore[arg-type]
        blind.clear()
        for _ in range(2):
            run_pass(scanner)
        assert all(files_of(d, live.data_id) == {part.file} for d in layer.drives)  # type: ignore[arg-type]
        job.pool.close()
    finally:
        layer.close()


def test_a_directory_in_the_wrong_fan_is_not_ours_to_judge(tmp_path):
    """A data directory sits in the fan its id names; one elsewhere was not written by Cairn: it is
    neither listed, nor removed, nor counted as removed (remove_data could not reach it)."""
    layer = ObjectLayer.open([str(tmp_path / "d1")], inline_max=1024)
    try:
        layer.create_bucket("bkt")
        layer.put_object("bkt", "k", os.urandom(5000))
        drive = layer.sets[0].drives[0]
        data = tmp_path / "d1" / ".cairn" / "data"
        placed, misplaced = uuid.uuid4().hex, uuid.uuid4().hex
        wrong_fan = "zz" if misplaced[:2] != "zz" else "yy"
        (data / placed[:2] / placed).mkdir(parents=True, exist_ok=True)
        (data / wrong_fan / misplaced).mkdir(parents=True)
        age(data)
        listed = {data_id for data_id, _ in drive.list_data_ids()}
        assert placed in listed and misplaced not in listed
        job = HealJob(layer, interval_s=1e-9, deep_interval_s=1e9)
        job.orphans.grace_s = 3600
        scanner = Scanner(layer, [job])
        run_pass(scanner)
        run_pass(scanner)
        assert not (data / placed[:2] / placed).exists() and (data / wrong_fan / misplaced).exists()
        assert read(layer, "bkt", "k")
        job.pool.close()
    finally:
        layer.close()
