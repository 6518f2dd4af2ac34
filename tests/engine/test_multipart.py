"""Multipart uploads in the engine: parts, completion without copying, checksums, listings, aborts."""

from __future__ import annotations

import base64
import hashlib
import os
import random
import time
import zlib

import pytest

from cairn.engine import multipart_rules
from cairn.engine.api import ObjectOptions
from cairn.engine.checksums import crc32, digest, to_s3
from cairn.engine.errors import (
    ChecksumMismatch,
    EntityTooSmall,
    InvalidPart,
    InvalidPartOrder,
    InvalidUploadRequest,
    NoSuchUpload,
    ObjectNotFound,
)
from cairn.engine.info import CompletePart

from .helpers import data_path, read

BLOCK = 64 << 10
MIN_PART = 100_000


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of 100 kB count as large enough, so the tests move kilobytes, not megabytes."""
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", MIN_PART)



def upload_parts(layer, key, bodies, opts=None, order=None):
    upload = layer.create_multipart_upload("bkt", key, opts)
    listed = {}
    for number in order or range(1, len(bodies) + 1):
        algorithm = opts.checksum_algorithm if opts else None
        part_opts = ObjectOptions(checksums=(algorithm,) if algorithm else ())
        part = layer.upload_part("bkt", key, upload.upload_id, number, bodies[number - 1], part_opts)
        listed[number] = CompletePart(number, part.etag, dict(part.checksums))
    return upload, [listed[n] for n in sorted(listed)]


def shard_files(layer, data_id):
    out = {}
    for eset in layer.sets:
        for drive in eset.drives:
            path = data_path(drive, data_id)
            if os.path.isdir(path):
                out[drive.name] = sorted(os.listdir(path))
    return out


@pytest.mark.parametrize("drives", [1, 4])
def test_complete_assembles_parts_without_copying(make_layer, small_parts, drives):
    layer = make_layer(drives, block_size=BLOCK)
    layer.create_bucket("bkt")
    rng = random.Random(drives)
    bodies = [rng.randbytes(3 * BLOCK + 5), rng.randbytes(2 * BLOCK), rng.randbytes(777)]
    upload, listed = upload_parts(layer, "big", bodies, order=[3, 1, 2])
    files = shard_files(layer, upload.data_id)
    before = {(d, f): os.stat(os.path.join(data_path_of(layer, d, upload.data_id), f)).st_ino
              for d, names in files.items() for f in names}

    meta = layer.complete_multipart_upload("bkt", "big", upload.upload_id, listed)

    whole = b"".join(bodies)
    md5s = b"".join(hashlib.md5(b).digest() for b in bodies)
    assert meta.etag == hashlib.md5(md5s).hexdigest() + "-3"
    assert meta.size == len(whole)
    assert meta.data_id == upload.data_id
    assert [p.size for p in meta.parts] == [len(b) for b in bodies]
    after = {(d, f): os.stat(os.path.join(data_path_of(layer, d, upload.data_id), f)).st_ino
             for d, names in shard_files(layer, upload.data_id).items() for f in names}
    assert after == before  # the very files the parts were written to: nothing copied
    assert files
    assert read(layer, "bkt", "big") == whole
    head = layer.head_object("bkt", "big")
    assert (head.size, head.etag, len(head.parts)) == (meta.size, meta.etag, 3)
    for _ in range(200):
        start = rng.randrange(len(whole))
        length = rng.randrange(len(whole) - start + 1)
        assert read(layer, "bkt", "big", start, length) == whole[start:start + length]
    reader = layer.get_object("bkt", "big", ObjectOptions(range=(2 * BLOCK, 2 * BLOCK + 100)))  # 2 parts
    assert reader.block_count() == 4  # part 1: blocks 2 and 3 (5 bytes); part 2: blocks 0 and 1
    assert b"".join(bytes(v) for v in reader.blocks()) == whole[2 * BLOCK:4 * BLOCK + 100]


def data_path_of(layer, drive_path, data_id):
    for eset in layer.sets:
        for drive in eset.drives:
            if drive.name == drive_path:
                return data_path(drive, data_id)
    raise AssertionError(drive_path)


def test_part_uploaded_again_replaces_the_old_and_unlisted_parts_go(make_layer, small_parts):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    first = os.urandom(MIN_PART)
    upload = layer.create_multipart_upload("bkt", "k")
    layer.upload_part("bkt", "k", upload.upload_id, 1, first)
    again = os.urandom(MIN_PART + 10)
    p1 = layer.upload_part("bkt", "k", upload.upload_id, 1, again)
    p2 = layer.upload_part("bkt", "k", upload.upload_id, 2, b"tail")
    p3 = layer.upload_part("bkt", "k", upload.upload_id, 3, b"left out")
    files = shard_files(layer, upload.data_id)
    assert all(len(names) == 3 for names in files.values())  # the replaced part 1 is gone
    page = layer.list_parts("bkt", "k", upload.upload_id)
    assert [(p.number, p.size) for p in page.parts] == [(1, MIN_PART + 10), (2, 4), (3, 8)]
    meta = layer.complete_multipart_upload("bkt", "k", upload.upload_id,
                                           [CompletePart(1, p1.etag), CompletePart(2, p2.etag)])
    assert read(layer, "bkt", "k") == again + b"tail"
    kept = sorted(p.file for p in meta.parts)
    assert all(names == kept for names in shard_files(layer, upload.data_id).values())
    assert p3.file not in {p.file for p in meta.parts}


def test_complete_checks_order_etags_sizes_and_upload(make_layer, small_parts):
    layer = make_layer(2, block_size=BLOCK)
    layer.create_bucket("bkt")
    layer.put_object("bkt", "k", b"old object")
    bodies = [os.urandom(MIN_PART), os.urandom(MIN_PART - 1), os.urandom(10)]
    upload, listed = upload_parts(layer, "k", bodies)
    uid = upload.upload_id
    with pytest.raises(InvalidPartOrder):
        layer.complete_multipart_upload("bkt", "k", uid, [listed[1], listed[0]])
    with pytest.raises(InvalidPartOrder):
        layer.complete_multipart_upload("bkt", "k", uid, [listed[0], listed[0]])
    with pytest.raises(InvalidPart):
        layer.complete_multipart_upload("bkt", "k", uid, [CompletePart(1, "0" * 32)])
    with pytest.raises(InvalidPart):
        layer.complete_multipart_upload("bkt", "k", uid, [CompletePart(4, listed[0].etag)])
    with pytest.raises(EntityTooSmall) as small:
        layer.complete_multipart_upload("bkt", "k", uid, listed)
    assert (small.value.number, small.value.size) == (2, MIN_PART - 1)
    assert read(layer, "bkt", "k") == b"old object"  # every refusal left the object alone
    meta = layer.complete_multipart_upload("bkt", "k", uid, [listed[0], listed[2]])
    assert read(layer, "bkt", "k") == bodies[0] + bodies[2]
    again = layer.complete_multipart_upload("bkt", "k", uid, [listed[0], listed[2]])  # a retry: same answer
    assert (again.etag, again.size, again.checksums) == (meta.etag, meta.size, meta.checksums)
    with pytest.raises(NoSuchUpload):  # the same upload completed with other parts: no such upload now
        layer.complete_multipart_upload("bkt", "k", uid, [listed[0]])
    aborted, alisted = upload_parts(layer, "k", [b"x"])
    layer.abort_multipart_upload("bkt", "k", aborted.upload_id)
    with pytest.raises(NoSuchUpload):
        layer.complete_multipart_upload("bkt", "k", aborted.upload_id, alisted)
    with pytest.raises(NoSuchUpload):
        layer.upload_part("bkt", "k", aborted.upload_id, 1, b"late")
    with pytest.raises(NoSuchUpload):
        layer.list_parts("bkt", "k", "../../etc")
    assert layer.head_object("bkt", "k").etag == meta.etag


def test_real_minimum_part_size(make_layer):
    layer = make_layer(1)
    layer.create_bucket("bkt")
    upload, listed = upload_parts(layer, "k", [b"a", b"b"])
    with pytest.raises(EntityTooSmall):
        layer.complete_multipart_upload("bkt", "k", upload.upload_id, listed)
    assert multipart_rules.MIN_PART_SIZE == 5 << 20


@pytest.mark.parametrize("algorithm", ["crc32", "crc32c", "sha1", "sha256"])
def test_composite_checksum(make_layer, small_parts, algorithm):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    bodies = [os.urandom(MIN_PART + 3), os.urandom(MIN_PART), os.urandom(5)]
    upload, listed = upload_parts(layer, "k", bodies, ObjectOptions(checksum_algorithm=algorithm))
    assert upload.checksum_type == "COMPOSITE"
    for item, body in zip(listed, bodies, strict=True):
        assert item.checksums[algorithm] == to_s3(digest(algorithm, body))
    meta = layer.complete_multipart_upload("bkt", "k", upload.upload_id, listed)
    expected = digest(algorithm, b"".join(digest(algorithm, b) for b in bodies))
    assert meta.checksums == {algorithm: f"{to_s3(expected)}-3"}
    assert meta.checksum_type == "COMPOSITE"
    assert [p.checksums[algorithm] for p in meta.parts] == [i.checksums[algorithm] for i in listed]


@pytest.mark.parametrize("algorithm", ["crc32", "crc32c", "crc64nvme"])
def test_full_object_checksum_is_the_crc_of_the_whole_body(make_layer, small_parts, algorithm):
    layer = make_layer(2, block_size=BLOCK)
    layer.create_bucket("bkt")
    bodies = [os.urandom(MIN_PART + 3), os.urandom(MIN_PART), os.urandom(5)]
    opts = ObjectOptions(checksum_algorithm=algorithm, checksum_type="FULL_OBJECT")
    upload, listed = upload_parts(layer, "k", bodies, opts)
    whole = to_s3(digest(algorithm, b"".join(bodies)))
    with pytest.raises(ChecksumMismatch):
        layer.complete_multipart_upload("bkt", "k", upload.upload_id, listed,
                                        ObjectOptions(expected_checksums={algorithm: "AAAAAA=="}))
    for item in listed:
        item.checksums = {}  # optional for FULL_OBJECT
    meta = layer.complete_multipart_upload("bkt", "k", upload.upload_id, listed, ObjectOptions(
        expected_checksums={algorithm: whole}, object_size=sum(map(len, bodies))))
    assert meta.checksums == {algorithm: whole}
    assert meta.checksum_type == "FULL_OBJECT"
    assert crc32(b"".join(bodies)) == zlib.crc32(b"".join(bodies))


def test_checksum_rules(make_layer, small_parts):
    layer = make_layer(1, block_size=BLOCK)
    layer.create_bucket("bkt")
    for alg, kind in [("crc64nvme", "COMPOSITE"), ("sha256", "FULL_OBJECT"), (None, "COMPOSITE"),
                      ("crc32", "WHOLE")]:
        with pytest.raises(InvalidUploadRequest):
            opts = ObjectOptions(checksum_algorithm=alg, checksum_type=kind)
            layer.create_multipart_upload("bkt", "k", opts)
    assert layer.list_multipart_uploads("bkt").uploads == []
    assert layer.create_multipart_upload("bkt", "k", ObjectOptions(checksum_algorithm="crc64nvme")
                                         ).checksum_type == "FULL_OBJECT"
    bodies = [os.urandom(MIN_PART), b"end"]
    upload, listed = upload_parts(layer, "k", bodies, ObjectOptions(checksum_algorithm="crc32c"))
    missing = [CompletePart(listed[0].number, listed[0].etag), listed[1]]
    with pytest.raises(InvalidUploadRequest):  # COMPOSITE: every part's checksum is required
        layer.complete_multipart_upload("bkt", "k", upload.upload_id, missing)
    wrong = [CompletePart(1, listed[0].etag, {"crc32c": to_s3(b"\0\0\0\0")}), listed[1]]
    with pytest.raises(InvalidPart):
        layer.complete_multipart_upload("bkt", "k", upload.upload_id, wrong)
    bad = ObjectOptions(checksums=("crc32c",), expected={"crc32c": b"\0\0\0\1"})
    with pytest.raises(ChecksumMismatch):
        layer.upload_part("bkt", "k", upload.upload_id, 2, b"end", bad)
    assert [p.size for p in layer.list_parts("bkt", "k", upload.upload_id).parts] == [MIN_PART, 3]
    assert len(shard_files(layer, upload.data_id)[layer.sets[0].drives[0].name]) == 2  # no stray file


def test_list_parts_and_uploads_pagination(make_layer):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    upload = layer.create_multipart_upload("bkt", "many")
    for n in (1, 2, 3, 5, 8, 13):
        layer.upload_part("bkt", "many", upload.upload_id, n, b"p%d" % n)
    seen, marker = [], 0
    while True:
        page = layer.list_parts("bkt", "many", upload.upload_id, marker, 4)
        seen += [p.number for p in page.parts]
        if not page.truncated:
            break
        marker = page.parts[-1].number
    assert seen == [1, 2, 3, 5, 8, 13]
    assert layer.list_parts("bkt", "many", upload.upload_id, 13).parts == []

    ids = {}
    for key in ["a/1", "a/2", "b", "a/1", "c/x/y", "many2"]:
        ids.setdefault(key, []).append(layer.create_multipart_upload("bkt", key).upload_id)
    everything = [(k, u.upload_id) for k, u in layer.list_multipart_uploads("bkt").uploads]
    assert [k for k, _ in everything] == ["a/1", "a/1", "a/2", "b", "c/x/y", "many", "many2"]
    assert [u for k, u in everything if k == "a/1"] == ids["a/1"]  # by initiation time
    got, key_marker, id_marker = [], "", ""
    while True:
        page = layer.list_multipart_uploads("bkt", key_marker=key_marker, upload_id_marker=id_marker,
                                            max_uploads=2)
        got += [(k, u.upload_id) for k, u in page.uploads]
        if not page.truncated:
            break
        key_marker, id_marker = page.next_key or "", page.next_upload_id or ""
    assert got == everything
    page = layer.list_multipart_uploads("bkt", delimiter="/")
    assert page.prefixes == ["a/", "c/"]
    assert [k for k, _ in page.uploads] == ["b", "many", "many2"]
    page = layer.list_multipart_uploads("bkt", prefix="a/", key_marker="a/1")
    assert [k for k, _ in page.uploads] == ["a/2"]


def test_abort_reclaims_space_and_stale_uploads_expire(make_layer, tmp_path):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    upload = layer.create_multipart_upload("bkt", "k")
    layer.upload_part("bkt", "k", upload.upload_id, 1, os.urandom(5 * BLOCK))
    assert shard_files(layer, upload.data_id)
    layer.abort_multipart_upload("bkt", "k", upload.upload_id)
    assert shard_files(layer, upload.data_id) == {}
    with pytest.raises(NoSuchUpload):
        layer.abort_multipart_upload("bkt", "k", upload.upload_id)
    assert layer.list_multipart_uploads("bkt").uploads == []
    assert not any(k.startswith(b"P") for s in layer.sets for d in s.drives
                   for k, _ in d.meta_scan(b"", None, 100))

    old = layer.create_multipart_upload("bkt", "old")
    layer.upload_part("bkt", "old", old.upload_id, 1, b"x" * 1000)
    assert layer.abort_stale_uploads(3600) == 0
    young = layer.create_multipart_upload("bkt", "young")
    cutoff = (young.initiated_ns - old.initiated_ns) / 2e9  # between the two
    assert layer.abort_stale_uploads(cutoff + (time.time_ns() - young.initiated_ns) / 1e9) == 1
    assert [k for k, _ in layer.list_multipart_uploads("bkt").uploads] == ["young"]
    assert shard_files(layer, old.data_id) == {}


def test_degraded_read_and_delete_of_a_multipart_object(make_layer, small_parts):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    bodies = [os.urandom(MIN_PART), os.urandom(2 * BLOCK + 1)]
    upload, listed = upload_parts(layer, "k", bodies)
    meta = layer.complete_multipart_upload("bkt", "k", upload.upload_id, listed)
    drive = layer.sets[0].drives[meta.distribution[0]]  # the drive of data shard 0: read on every GET
    victim = data_path(drive, upload.data_id)
    for name in os.listdir(victim):  # corrupt one drive's copy of every part
        with open(os.path.join(victim, name), "r+b") as f:
            f.seek(100)
            f.write(b"\xff" * 64)
    assert read(layer, "bkt", "k") == b"".join(bodies)
    assert len(layer.heal)
    assert layer.delete_object("bkt", "k")
    assert shard_files(layer, upload.data_id) == {}
    with pytest.raises(ObjectNotFound):
        layer.head_object("bkt", "k")


def test_delete_bucket_drops_its_uploads(make_layer):
    layer = make_layer(2, block_size=BLOCK)
    layer.create_bucket("bkt")
    upload = layer.create_multipart_upload("bkt", "k")
    layer.upload_part("bkt", "k", upload.upload_id, 1, b"data")
    layer.delete_bucket("bkt")
    assert shard_files(layer, upload.data_id) == {}
    layer.create_bucket("bkt")
    assert layer.list_multipart_uploads("bkt").uploads == []


def test_checksum_helpers():
    assert base64.b64decode(to_s3(digest("crc32", b"abc"))) == zlib.crc32(b"abc").to_bytes(4, "big")


@pytest.mark.slow
def test_ten_thousand_parts(make_layer, monkeypatch):
    """S3's maximum part count: listed, completed, read back across every part boundary."""
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", 0)
    layer = make_layer(1, block_size=BLOCK, sync="relaxed")
    layer.create_bucket("bkt")
    upload = layer.create_multipart_upload("bkt", "k", ObjectOptions(checksum_algorithm="crc32c"))
    bodies = [b"%05d" % n for n in range(1, 10_001)]
    listed = []
    for n, body in enumerate(bodies, 1):
        part = layer.upload_part("bkt", "k", upload.upload_id, n, body, ObjectOptions(checksums=("crc32c",)))
        listed.append(CompletePart(n, part.etag, dict(part.checksums)))
    page = layer.list_parts("bkt", "k", upload.upload_id, 9_990, 1000)
    assert [p.number for p in page.parts] == list(range(9_991, 10_001)) and not page.truncated
    meta = layer.complete_multipart_upload("bkt", "k", upload.upload_id, listed)
    assert meta.etag.endswith("-10000") and meta.checksums["crc32c"].endswith("-10000")
    assert read(layer, "bkt", "k") == b"".join(bodies)
    assert read(layer, "bkt", "k", 49_992, 6) == b"999100"  # the end of part 9999, part 10000
