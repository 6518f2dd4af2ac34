"""Fault tables: erasure geometries against drives offline, rotting or failing, through FaultyDrive.

Each case opens a fresh deployment of one erasure set of k+m drives, each a FaultyDrive
(faulty.py) over its LocalDrive, stores objects while every drive is healthy, programs the
faults and runs the S3 operations on an inline object (its shards live in the metadata
records) and on a shard-file object.  What each operation must do is a function of the case
alone, from the quorum rules (quorum.py):

- read quorum k; write quorum k, or k+1 when k == m;
- a record (HEAD, LIST, the record a GET starts from) is readable while at most m drives lose
  their copy of it (offline, or a rotten record), else ReadQuorumError;
- an object's bytes are readable while at most m drives lose its shards, else DataCorrupted:
  never wrong bytes, not even before the error;
- a write succeeds while a write quorum of drives takes it, else WriteQuorumError, and the
  previous object stays.
Once the faults are lifted, every object must hold what the outcomes promised, and damage
reported to layer.heal must name only the drives that were faulty.

test_fault_table: drives offline x drives corrupt, for HEAD, GET (whole and ranged), PUT (a
fresh key and an overwrite), DELETE, LIST and a multipart upload.  A corrupt drive rots in
one of two places: "shards" (its shard files read back with a byte flipped: each frame's CRC32C
must catch it) or "records" (its metadata records fail their framing check: the vote counts the
drive as faulty); shard rot cannot touch an inline object, whose data lives in its records.

test_write_fault_table: drives whose calls fail while data is written (create, write, publish,
commit, a full disk), for PUT and UploadPart.

The tests at the end pin engine bugs FaultyDrive found (fixed since): a listing with too few
drives, a PUT with none, a failed cleanup after a commit, removes on a lost drive, a shard
file closed on a lost drive.  Small blocks and inline limit keep everything small;
multipart's 5 MiB part minimum is lowered to one block, as test_multipart.py does; the drives
live on a tmpfs when there is one (drive_root).
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cairn.engine import multipart_rules
from cairn.engine.api import ObjectLayer
from cairn.engine.errors import (
    ObjectNotFound,
    ReadQuorumError,
    WriteQuorumError,
)
from cairn.engine.info import CompletePart, ObjectInfo
from cairn.engine.localdrive import LocalDrive
from cairn.engine.shardfile import HEADER_SIZE

from .faulty import FaultyDrive
from .helpers import read

BS = 4096  # block size
INLINE = 1024  # inline limit
BUCKET = "faults"
SIZES = {"inline": 700, "shard": 3 * BS + 1234}  # the shard-file object: 4 blocks, the last partial
KINDS = tuple(SIZES)
RANGES = {"inline": [(10, 100), (699, 1)],  # (start, length): the middle, the last byte
          "shard": [(BS - 10, 30), (2 * BS, BS + 100), (SIZES["shard"] - 5, 5)]}  # across blocks, tail
PART_SIZES = (BS + 100, BS, 999)  # every part but the last at least one block (MIN_PART_SIZE below)
GEOMETRIES = [(1, 0), (1, 1), (2, 2), (3, 3), (4, 2), (4, 4)]  # (k, m): 1, 2, 4, 6, 6 and 8 drives
ROT = {"shards": ("shard.read_at",), "records": ("meta_get", "meta_scan")}
OK = "ok"


def payload(n: int, seed: str) -> bytes:
    return random.Random(seed).randbytes(n)


def attempt(operation: Callable[..., object], *args: object) -> str:
    """OK, or the name of the exception operation(*args) raised (an assertion failure propagates).
    An exception that is no engine error is recorded too: it shows as a wrong outcome."""
    try:
        operation(*args)
    except AssertionError:
        raise
    except Exception as exc:
        return type(exc).__name__
    return OK


def get(layer: ObjectLayer, key: str, data: bytes, start: int = 0, length: int | None = None) -> str:
    """GET (a range of) the object, streamed: OK when it is exactly `data`, else the engine error,
    after checking that whatever came before the error was right."""
    want = data[start:] if length is None else data[start : start + length]
    got = bytearray()
    try:
        reader = layer.get_object(BUCKET, key)
        if length is not None:
            reader.restrict(start, length)
        for view in reader.blocks():
            got += view
    except AssertionError:
        raise
    except Exception as exc:
        assert want.startswith(got), f"GET {key}: wrong bytes before {type(exc).__name__}"
        return type(exc).__name__
    assert got == want, f"GET {key} [{start}, +{length}]: wrong bytes"
    return OK


def head(layer: ObjectLayer, key: str, want: ObjectInfo) -> None:
    assert layer.head_object(BUCKET, key) == want, f"HEAD {key}: wrong metadata"


def delete(layer: ObjectLayer, key: str) -> None:
    assert layer.delete_object(BUCKET, key).existed, f"DELETE {key}: not found"


def listing(layer: ObjectLayer, prefix: str, want: list[tuple[str, ObjectInfo]]) -> str:
    """LIST the prefix: OK when it is exactly `want`, else what went wrong."""
    try:
        page = layer.list_objects(BUCKET, prefix=prefix)
    except Exception as exc:
        return type(exc).__name__
    got = [(o.key, o.etag, o.size, o.mtime_ns) for o in page.objects]
    expected = [(key, info.etag, info.size, info.mtime_ns) for key, info in want]
    return OK if got == expected and not page.prefixes and not page.truncated else f"listed {got}"


def content(layer: ObjectLayer, key: str) -> bytes | None:
    try:
        return read(layer, BUCKET, key)
    except ObjectNotFound:
        return None


def reported(layer: ObjectLayer) -> dict[str, dict[str, set[int]]]:
    """Drain the heal queue: key -> reason -> drives."""
    out: dict[str, dict[str, set[int]]] = {}
    for item in layer.heal.drain():
        out.setdefault(item.key, {}).setdefault(item.reason, set()).update(item.drives)
    return out


def staging_leftovers(drives: list[FaultyDrive]) -> dict[str, list[str]]:
    out = {}
    for d in drives:
        assert isinstance(d.inner, LocalDrive)
        if entries := os.listdir(d.inner.drive.tmp_dir):
            out[d.name] = entries
    return out


@pytest.fixture
def drive_root(tmp_path: Path) -> Iterator[Path]:
    """Where the drives go: a tmpfs when there is one, else tmp_path.  The faults are injected in
    software, so the filesystem only has to be fast; on a disk, the engine's directory creations,
    renames and removals would take most of the run."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    root = Path(tempfile.mkdtemp(prefix="cairn-fault-table-", dir=shm))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


OpenSet = Callable[[int, int], tuple[ObjectLayer, list[FaultyDrive]]]


@pytest.fixture
def open_set(drive_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenSet]:
    """open_set(k, m): a layer of one k+m erasure set of healthy FaultyDrives, the bucket made."""
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", BS)
    opened: list[ObjectLayer] = []

    def open_set(k: int, m: int) -> tuple[ObjectLayer, list[FaultyDrive]]:
        drives: list[FaultyDrive] = []

        def wrap(local: LocalDrive) -> FaultyDrive:
            drives.append(FaultyDrive(local))
            return drives[-1]

        paths = [str(drive_root / f"set{len(opened)}" / f"d{i}") for i in range(k + m)]
        layer = ObjectLayer.open(paths, parity=m, sync="relaxed", block_size=BS, inline_max=INLINE,
                                 storage=wrap)
        opened.append(layer)
        assert [(s.k, s.m) for s in layer.sets] == [(k, m)]
        assert [d.name for d in drives] == [d.name for d in layer.sets[0].drives]
        layer.create_bucket(BUCKET)
        return layer, drives

    yield open_set
    for layer in opened:
        layer.close()


# --------------------------------------------------------------------------
# drives offline x drives corrupt
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    k: int
    m: int
    offline: int  # drives offline
    corrupt: int  # other drives whose reads come back rotten
    rot: str = "shards"  # where: "shards" or "records" (see ROT)

    def __str__(self) -> str:
        rot = f"-corrupt{self.corrupt}-{self.rot}" if self.corrupt else ""
        return f"{self.k}+{self.m}-offline{self.offline}{rot}"

    @property
    def n(self) -> int:
        return self.k + self.m

    @property
    def write_quorum(self) -> int:
        return self.k + (self.k == self.m)

    @property
    def record_losses(self) -> int:
        """Drives whose copy of a metadata record cannot be used."""
        return self.offline + (self.corrupt if self.rot == "records" else 0)

    def data_losses(self, kind: str) -> int:
        """Drives whose shard of an object of this kind cannot be used (an inline shard is in
        the record)."""
        return self.record_losses if kind == "inline" else self.offline + self.corrupt

    @property
    def head(self) -> str:
        return OK if self.record_losses <= self.m else "ReadQuorumError"

    def read(self, kind: str) -> str:
        if self.head != OK:
            return self.head
        return OK if self.data_losses(kind) <= self.m else "DataCorrupted"

    @property
    def write(self) -> str:
        return OK if self.n - self.offline >= self.write_quorum else "WriteQuorumError"


def expected(c: Case) -> dict[str, str]:
    """Each operation's outcome in case `c` (the quorum rules of the module docstring)."""
    out: dict[str, str] = {}
    for kind in KINDS:
        out[f"head {kind}"] = c.head
        out[f"get {kind}"] = out[f"get range {kind}"] = c.read(kind)
        out[f"put new {kind}"] = out[f"put over {kind}"] = c.write
        if c.write == OK:
            out[f"get new {kind}"] = c.read(kind)  # the new object, read back under the same faults
        out[f"delete {kind}"] = c.head if c.head != OK else c.write  # finds the record, then writes
    out["list"] = c.head
    # Create needs a write quorum; each part and the Complete then read the upload's records.
    out["multipart"] = c.write if c.write != OK else c.head
    if out["multipart"] == OK:
        out["get multipart"] = c.read("shard")
    return out


def table() -> Iterator[Case]:
    """Every geometry; offline and corrupt drives from none to one beyond parity, together too."""
    for k, m in GEOMETRIES:
        for offline in range(min(m + 1, k + m) + 1):
            for corrupt in range(min(m + 1, k + m) - offline + 1):
                for rot in ROT if corrupt else ("shards",):
                    yield Case(k, m, offline, corrupt, rot)


CASES = list(table())


@pytest.mark.parametrize("case", CASES, ids=str)
def test_fault_table(open_set: OpenSet, case: Case) -> None:
    layer, drives = open_set(case.k, case.m)
    data = {f"{role}-{kind}": payload(SIZES[kind], f"{role}-{kind}")
            for role in ("read", "over", "del") for kind in KINDS}
    stored = {key: layer.put_object(BUCKET, key, body) for key, body in data.items()}
    assert all(stored[f"read-{kind}"].inline == (kind == "inline") for kind in KINDS)

    rng = random.Random(str(case))  # which drives: varied, so faults hit data and parity shards
    chosen = rng.sample(range(case.n), case.offline + case.corrupt)
    offline, corrupt = set(chosen[: case.offline]), set(chosen[case.offline :])
    for i in offline:
        drives[i].go_offline()
    for i in corrupt:
        drives[i].corrupt(*ROT[case.rot])
    faulty = offline | corrupt
    actual: dict[str, str] = {}

    # Reads of the objects stored before, and what they report to the healer.
    layer.heal.drain()
    for kind in KINDS:
        key = f"read-{kind}"
        actual[f"head {kind}"] = attempt(head, layer, key, stored[key])
        actual[f"get {kind}"] = get(layer, key, data[key])
        ranged = {get(layer, key, data[key], start, length) for start, length in RANGES[kind]}
        assert len(ranged) == 1, f"ranges of {key} disagree: {ranged}"
        actual[f"get range {kind}"] = ranged.pop()
    heal = reported(layer)
    for kind in KINDS:
        key = f"read-{kind}"
        reports = expected_reports(case, kind, stored[key], offline, corrupt)
        assert heal.get(key, {}) == reports, f"{key}: damage reported {heal.get(key)}, expected {reports}"

    # Writes and deletes.
    new = {kind: payload(SIZES[kind] + 1, f"new-{kind}") for kind in KINDS}
    for kind in KINDS:
        actual[f"put new {kind}"] = attempt(layer.put_object, BUCKET, f"new-{kind}", new[kind])
        if actual[f"put new {kind}"] == OK:
            actual[f"get new {kind}"] = get(layer, f"new-{kind}", new[kind])
        actual[f"put over {kind}"] = attempt(layer.put_object, BUCKET, f"over-{kind}", new[kind])
        actual[f"delete {kind}"] = attempt(delete, layer, f"del-{kind}")

    actual["list"] = listing(layer, "read-", [(f"read-{kind}", stored[f"read-{kind}"]) for kind in KINDS])
    parts = [payload(size, f"part{i}") for i, size in enumerate(PART_SIZES)]
    actual["multipart"] = attempt(multipart, layer, "mp", parts)
    if actual["multipart"] == OK:
        actual["get multipart"] = get(layer, "mp", b"".join(parts))

    assert actual == expected(case)

    for item in layer.heal.drain():
        assert set(item.drives) <= faulty, f"healthy drives reported: {item}"

    # The faults lifted: every object is what the outcomes said.
    for d in drives:
        d.clear()
    for kind in KINDS:
        assert content(layer, f"read-{kind}") == data[f"read-{kind}"]
        put_ok, over_ok = actual[f"put new {kind}"] == OK, actual[f"put over {kind}"] == OK
        assert content(layer, f"new-{kind}") == (new[kind] if put_ok else None)
        assert content(layer, f"over-{kind}") == (new[kind] if over_ok else data[f"over-{kind}"])
        deleted = actual[f"delete {kind}"] == OK
        assert content(layer, f"del-{kind}") == (None if deleted else data[f"del-{kind}"])
    assert content(layer, "mp") == (b"".join(parts) if actual["multipart"] == OK else None)
    for item in layer.heal.drain():  # drives that missed writes are reported: faulty ones only
        assert set(item.drives) <= faulty, f"healthy drives reported: {item}"
    assert staging_leftovers(drives) == {}


def expected_reports(case: Case, kind: str, info: ObjectInfo, offline: set[int], corrupt: set[int]
                     ) -> dict[str, set[int]]:
    """What HEAD and GETs of the object report to the healer: the vote names the drives whose
    record it could not use; a GET that rebuilt a block (a data shard's drive was faulty) names
    every drive whose shard it could not use: an inline object's shards are in the records, a
    shard file is read whatever its drive's record says (rotten records leave the files usable).
    A failed read reports no shards."""
    record_lost = offline | (corrupt if case.rot == "records" else set())
    data_lost = record_lost if kind == "inline" else offline | (corrupt if case.rot == "shards" else set())
    out: dict[str, set[int]] = {}
    if case.head == OK and record_lost:
        out["metadata"] = record_lost
    if case.read(kind) == OK and data_lost & set(info.distribution[: case.k]):
        out["shard missing or damaged"] = data_lost
    return out


def multipart(layer: ObjectLayer, key: str, parts: list[bytes]) -> ObjectInfo:
    upload = layer.create_multipart_upload(BUCKET, key)
    listed = []
    for number, body in enumerate(parts, 1):
        part = layer.upload_part(BUCKET, key, upload.upload_id, number, body)
        listed.append(CompletePart(number, part.etag))
    info = layer.complete_multipart_upload(BUCKET, key, upload.upload_id, listed)
    assert info.size == sum(map(len, parts)) and len(info.parts) == len(parts)
    return info


# --------------------------------------------------------------------------
# calls failing while data is written
# --------------------------------------------------------------------------

WRITE_FAULTS: dict[str, Callable[[FaultyDrive], None]] = {
    "create_staged": lambda d: d.fail("create_staged", onward=True),
    "staged.write": lambda d: d.fail("staged.write", at=2, onward=True),  # from the first frame on
    "disk full": lambda d: d.fill(free=HEADER_SIZE + 100),  # a short write in the first frame
    "publish_staged": lambda d: d.fail("publish_staged", onward=True),
    "publish_staged_file": lambda d: d.fail("publish_staged_file", onward=True),
    "meta_submit_cas": lambda d: d.fail("meta_submit_cas", onward=True),  # commits are conditional
    "pending.wait": lambda d: d.fail("pending.wait", onward=True),  # the commit fails on the drive
}
STAGING = {"create_staged", "staged.write", "disk full"}
METADATA = {"meta_submit_cas", "pending.wait"}
USED_BY = {  # the faults each operation runs into
    "put over inline": METADATA, "put new inline": METADATA,
    "put over shard": STAGING | METADATA | {"publish_staged"},
    "put new shard": STAGING | METADATA | {"publish_staged"},
    "upload part": STAGING | METADATA | {"publish_staged_file"},
}


@dataclass(frozen=True)
class WriteCase:
    k: int
    m: int
    fault: str  # a key of WRITE_FAULTS
    failing: int  # drives with the fault

    def __str__(self) -> str:
        return f"{self.k}+{self.m}-{self.fault.replace(' ', '-')}-on{self.failing}"

    def outcome(self, operation: str) -> str:
        write_quorum = self.k + (self.k == self.m)
        hit = self.failing if self.fault in USED_BY[operation] else 0
        return OK if self.k + self.m - hit >= write_quorum else "WriteQuorumError"


WRITE_CASES = [WriteCase(k, m, fault, failing)
               for k, m in GEOMETRIES for fault in WRITE_FAULTS
               for failing in range(1, min(m - (k == m) + 1, k + m) + 1)]  # up to one beyond the quorum


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_write_fault_table(open_set: OpenSet, case: WriteCase) -> None:
    layer, drives = open_set(case.k, case.m)
    old = {kind: payload(SIZES[kind], f"old-{kind}") for kind in KINDS}
    for kind in KINDS:
        layer.put_object(BUCKET, f"over-{kind}", old[kind])
    upload = layer.create_multipart_upload(BUCKET, "mp")
    failing = random.Random(str(case)).sample(range(case.k + case.m), case.failing)
    for i in failing:
        WRITE_FAULTS[case.fault](drives[i])

    new = {kind: payload(SIZES[kind] + 1, f"new-{kind}") for kind in KINDS}
    part = payload(BS + 100, "part")
    actual: dict[str, str] = {}
    for kind in KINDS:
        for role in ("over", "new"):
            actual[f"put {role} {kind}"] = attempt(layer.put_object, BUCKET, f"{role}-{kind}", new[kind])
    actual["upload part"] = attempt(layer.upload_part, BUCKET, "mp", upload.upload_id, 1, part)
    assert actual == {operation: case.outcome(operation) for operation in USED_BY}
    assert any(drives[i].calls for i in failing)

    for d in drives:
        d.clear()
    for kind in KINDS:
        put_ok, over_ok = actual[f"put new {kind}"] == OK, actual[f"put over {kind}"] == OK
        assert content(layer, f"over-{kind}") == (new[kind] if over_ok else old[kind])
        assert content(layer, f"new-{kind}") == (new[kind] if put_ok else None)
    parts = layer.list_parts(BUCKET, "mp", upload.upload_id).parts
    if actual["upload part"] == OK:
        layer.complete_multipart_upload(BUCKET, "mp", upload.upload_id, [CompletePart(1, parts[0].etag)])
        assert content(layer, "mp") == part
    else:
        assert parts == []
    assert staging_leftovers(drives) == {}


# --------------------------------------------------------------------------
# engine bugs FaultyDrive found, fixed: each of these failed before the fix
# --------------------------------------------------------------------------


@pytest.mark.parametrize("alive", ["none", "k-1 stale"])
def test_listing_with_every_drive_offline_fails(open_set: OpenSet, alive: str) -> None:
    layer, drives = open_set(4, 4)
    if alive == "k-1 stale":  # three drives miss the write, then are the only ones left
        for d in drives[5:]:
            d.go_offline()
        layer.put_object(BUCKET, "obj", b"data")
        for d in drives:
            d.clear()
        for d in drives[:5]:
            d.go_offline()
    else:
        layer.put_object(BUCKET, "obj", b"data")
        for d in drives:
            d.go_offline()
    with pytest.raises(ReadQuorumError):
        layer.head_object(BUCKET, "obj")
    with pytest.raises(ReadQuorumError):
        layer.list_objects(BUCKET)


def test_put_with_every_drive_offline_fails(open_set: OpenSet) -> None:
    layer, drives = open_set(2, 2)
    layer.head_bucket(BUCKET)  # known to this process: no drive need be read for it
    for d in drives:
        d.go_offline()
    with pytest.raises(WriteQuorumError):
        layer.put_object(BUCKET, "inline", b"small")
    with pytest.raises(WriteQuorumError):
        layer.put_object(BUCKET, "shard", payload(SIZES["shard"], "shard"))


def test_failed_cleanup_after_commit_keeps_an_object(open_set: OpenSet) -> None:
    layer, drives = open_set(2, 2)
    old, new = payload(SIZES["shard"], "old"), payload(SIZES["shard"], "new")
    layer.put_object(BUCKET, "obj", old)
    drives[3].fail("remove_data")  # once: the old data's removal on one drive
    try:
        layer.put_object(BUCKET, "obj", new)
    except Exception:  # whatever it raised, the key must read as the old or the new object
        acknowledged = False
    else:
        acknowledged = True
    got = read(layer, BUCKET, "obj")  # was DataCorrupted: the abort removed the new object's shards
    assert (got == new) if acknowledged else (got in (old, new))


def test_removes_on_an_offline_drive_do_not_fail_requests(open_set: OpenSet) -> None:
    layer, drives = open_set(2, 2)
    layer.put_object(BUCKET, "obj", payload(SIZES["shard"], "obj"))
    drives[0].go_offline()  # every call fails, removes too (a drive across a network would)
    assert layer.delete_object(BUCKET, "obj").existed
    with pytest.raises(ObjectNotFound):
        layer.head_object(BUCKET, "obj")
    drives[1].go_offline()
    with pytest.raises(WriteQuorumError):
        layer.put_object(BUCKET, "obj", payload(SIZES["shard"], "again"))


def test_closing_the_shard_of_a_lost_drive_does_not_fail_the_read(open_set: OpenSet) -> None:
    layer, drives = open_set(2, 2)
    data = payload(SIZES["shard"], "obj")
    info = layer.put_object(BUCKET, "obj", data)
    got = bytearray()
    for n, view in enumerate(layer.get_object(BUCKET, "obj").blocks()):
        got += view
        if n == 0:  # the drive of data shard 0 goes away while its shard file is open
            drives[info.distribution[0]].go_offline()
    assert got == data
