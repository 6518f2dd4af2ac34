"""ObjectLayer round trips: buckets, PUT/GET/HEAD/DELETE, ranges, inline and shard-file objects."""

from __future__ import annotations

import hashlib
import os
import random

import pytest

from cairn.engine.api import Metadata, ObjectOptions, VersioningConfig
from cairn.engine.checksums import to_s3
from cairn.engine.errors import (
    BucketExists,
    BucketNotEmpty,
    BucketNotFound,
    InvalidBucketName,
    InvalidRange,
    ObjectNotFound,
)

from .helpers import bucket_exists, read

BLOCK = 64 << 10
SIZES = [0, 1, 17, 4095, 4096, 4097, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 12345]


def data_files(root) -> list[str]:
    return sorted(str(p) for p in root.rglob("part.1"))


@pytest.mark.parametrize("drives", [1, 2, 4, 6])
def test_round_trip_sizes(make_layer, drives):
    layer = make_layer(drives, block_size=BLOCK, inline_max=4096)
    layer.create_bucket("bkt")
    rng = random.Random(drives)
    for size in SIZES:
        body = rng.randbytes(size)
        meta = layer.put_object("bkt", f"obj-{size}", body)
        assert meta.size == size
        assert meta.etag == hashlib.md5(body).hexdigest()
        assert (meta.data_id is None) == (size <= 4096)
        assert read(layer, "bkt", f"obj-{size}") == body
        head = layer.head_object("bkt", f"obj-{size}")
        assert (head.size, head.etag) == (size, meta.etag)


def test_streamed_put_in_odd_pieces(make_layer):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    body = os.urandom(5 * BLOCK + 333)
    rng = random.Random(1)

    def pieces():
        pos = 0
        while pos < len(body):
            n = rng.randint(1, 3 * BLOCK)
            yield memoryview(body)[pos : pos + n]
            pos += n

    meta = layer.put_object("bkt", "streamed", pieces(), ObjectOptions(size=len(body)))
    assert meta.etag == hashlib.md5(body).hexdigest()
    assert read(layer, "bkt", "streamed") == body
    # The reader hands out at most one block at a time.
    assert max(len(v) for v in layer.get_object("bkt", "streamed").blocks()) <= BLOCK


@pytest.mark.parametrize("size", [1, 4096, BLOCK, 3 * BLOCK + 5])
def test_ranges(make_layer, size):
    layer = make_layer(4, block_size=BLOCK, inline_max=4096)
    layer.create_bucket("bkt")
    body = os.urandom(size)
    layer.put_object("bkt", "k", body)
    rng = random.Random(size)
    cases = [(0, size), (size - 1, 1), (0, 1)] + [
        (s, rng.randint(0, size - s)) for s in (rng.randrange(size) for _ in range(20))
    ]
    for start, length in cases:
        assert read(layer, "bkt", "k", start, length) == body[start : start + length]
    with pytest.raises(InvalidRange):
        read(layer, "bkt", "k", size, 1)
    with pytest.raises(InvalidRange):
        read(layer, "bkt", "k", 0, size + 1)


def test_range_reads_only_needed_blocks(make_layer, monkeypatch):
    from cairn.engine import shardfile

    layer = make_layer(1, block_size=BLOCK)
    layer.create_bucket("bkt")
    body = os.urandom(10 * BLOCK)
    layer.put_object("bkt", "k", body)
    reads: list[int] = []
    original = shardfile.ShardReader.read_frame

    def counting(self, block, block_len):
        reads.append(block)
        return original(self, block, block_len)

    monkeypatch.setattr(shardfile.ShardReader, "read_frame", counting)
    assert read(layer, "bkt", "k", 4 * BLOCK + 10, 100) == body[4 * BLOCK + 10 : 4 * BLOCK + 110]
    assert reads == [4]


def test_metadata_round_trip(make_layer):
    layer = make_layer(4)
    layer.create_bucket("bkt")
    body = b"hello world"
    metadata = Metadata(
        content_type="text/plain",
        headers={"Cache-Control": "no-cache", "Content-Encoding": "identity"},
        user_meta={"color": "blue", "ünïcode": "välue"},
    )
    layer.put_object("bkt", "k", body, ObjectOptions(metadata=metadata, checksums=("crc32c", "sha256")))
    head = layer.head_object("bkt", "k")
    assert head.content_type == "text/plain"
    assert head.headers == metadata.headers
    assert head.user_meta == metadata.user_meta
    assert head.checksums["sha256"] == to_s3(hashlib.sha256(body).digest())
    assert set(head.checksums) == {"crc32c", "sha256"}


def test_overwrite_and_delete_reclaim_space(make_layer, tmp_path):
    layer = make_layer(4, block_size=BLOCK, inline_max=4096)
    layer.create_bucket("bkt")
    layer.put_object("bkt", "k", os.urandom(3 * BLOCK))
    first = data_files(tmp_path)
    assert len(first) == 4
    second_body = os.urandom(2 * BLOCK)
    layer.put_object("bkt", "k", second_body)
    second = data_files(tmp_path)
    assert len(second) == 4 and not set(first) & set(second)
    assert read(layer, "bkt", "k") == second_body
    layer.put_object("bkt", "k", b"small now")  # inline replaces shard files
    assert data_files(tmp_path) == []
    assert layer.delete_object("bkt", "k").existed is True
    assert layer.delete_object("bkt", "k").existed is False
    with pytest.raises(ObjectNotFound):
        read(layer, "bkt", "k")
    for drive in tmp_path.iterdir():
        assert list((drive / ".cairn" / "tmp").iterdir()) == []


def test_buckets(make_layer):
    layer = make_layer(4)
    assert layer.list_buckets() == ([], False)
    layer.create_bucket("beta")
    layer.create_bucket("alpha")
    assert [b.name for b in layer.list_buckets()[0]] == ["alpha", "beta"]
    with pytest.raises(BucketExists):
        layer.create_bucket("alpha")
    assert bucket_exists(layer, "alpha") and not bucket_exists(layer, "gamma")
    with pytest.raises(BucketNotFound):
        layer.put_object("gamma", "k", b"x")
    with pytest.raises(BucketNotFound):
        layer.head_bucket("gamma")
    layer.put_object("alpha", "k", b"x")
    with pytest.raises(BucketNotEmpty):
        layer.delete_bucket("alpha")
    layer.put_bucket_config("alpha", VersioningConfig("Enabled"))
    assert layer.head_bucket("alpha").config(VersioningConfig) == VersioningConfig("Enabled")
    marker = layer.delete_object("alpha", "k")
    assert marker.delete_marker and marker.version_id != "null"
    with pytest.raises(BucketNotEmpty):  # a versioned bucket keeps the object and its marker
        layer.delete_bucket("alpha")
    for version in layer.list_object_versions("alpha").versions:
        layer.delete_object("alpha", "k", ObjectOptions(version_id=version.info.version_id))
    layer.delete_bucket("alpha")
    assert [b.name for b in layer.list_buckets()[0]] == ["beta"]
    with pytest.raises(BucketNotFound):
        layer.delete_bucket("alpha")
    for bad in ["ab", "A-bucket", "-abc", "abc-", "a..b", "192.168.1.1", "a_b", "x" * 64, "xn--abc"]:
        with pytest.raises(InvalidBucketName):
            layer.create_bucket(bad)


def test_state_survives_reopen(tmp_path, make_layer):
    layer = make_layer(4, block_size=BLOCK)
    layer.create_bucket("bkt")
    bodies = {f"k{i}": os.urandom(i * 9000) for i in range(12)}
    for k, v in bodies.items():
        layer.put_object("bkt", k, v)
    layer.close()
    again = make_layer(4, block_size=BLOCK)
    assert {k: read(again, "bkt", k) for k in bodies} == bodies


def test_several_sets(make_layer):
    layer = make_layer(20, block_size=BLOCK)  # two sets of 10 drives
    assert len(layer.sets) == 2
    layer.create_bucket("bkt")
    bodies = {f"dir/{i:03d}": os.urandom(i * 3000) for i in range(40)}
    for k, v in bodies.items():
        layer.put_object("bkt", k, v)
    placed = {layer.deployment.set_for("bkt", k).index for k in bodies}
    assert placed == {0, 1}
    assert {k: read(layer, "bkt", k) for k in bodies} == bodies
    assert [o.key for o in layer.list_objects("bkt").objects] == sorted(bodies)
    assert bucket_exists(layer, "bkt")
    for k in bodies:
        layer.delete_object("bkt", k)
    layer.delete_bucket("bkt")


def test_concurrent_small_puts_share_fsyncs(make_layer):
    """Many small PUTs at once: all land, and each drive commits them in fewer transactions."""
    from concurrent.futures import ThreadPoolExecutor

    layer = make_layer(4)
    layer.create_bucket("bkt")
    stores = [drive._meta for drive in layer.sets[0].drives]
    before = [s.transactions for s in stores]
    bodies = {f"k{i:04d}": os.urandom(100 + i) for i in range(320)}
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(lambda kv: layer.put_object("bkt", kv[0], kv[1]), bodies.items()))
    for store, start in zip(stores, before, strict=True):
        assert store.transactions - start < len(bodies)
    assert {k: read(layer, "bkt", k) for k in bodies} == bodies


def test_concurrent_overwrites_of_one_key(make_layer, tmp_path):
    """Writers racing on one key: the survivor is one of them, whole."""
    from concurrent.futures import ThreadPoolExecutor

    layer = make_layer(4, block_size=BLOCK, inline_max=4096)
    layer.create_bucket("bkt")
    bodies = [bytes([i]) * (i * 20000 + 1) for i in range(16)]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda b: layer.put_object("bkt", "same", b), bodies))
    assert read(layer, "bkt", "same") in bodies
    assert len(data_files(tmp_path)) == 4  # the losers' shard files were all reclaimed


class TrailerRefused:
    """A 1 MiB body whose trailing checksum turns out missing or malformed once it has ended."""

    def __iter__(self):
        yield b"x" * (1 << 20)

    def trailing_digests(self):
        raise ValueError("x-amz-checksum-crc32 trailer is missing")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def staging_left(layer) -> list[str]:
    return [name for d in layer.drives for name in os.listdir(d.drive.tmp_dir)]


def test_a_refused_trailer_aborts_the_write(make_layer):
    """The trailer is asked for after the body: its refusal must abort the write like any other
    failure (no staged file, no descriptor left) for PutObject and UploadPart alike."""
    layer = make_layer(4)
    layer.create_bucket("bkt")
    upload = layer.create_multipart_upload("bkt", "mp")
    before = open_fds()
    with pytest.raises(ValueError):
        layer.put_object("bkt", "k", TrailerRefused(), ObjectOptions(checksums=("crc32",)))
    with pytest.raises(ValueError):
        layer.upload_part("bkt", "mp", upload.upload_id, 1, TrailerRefused(), ObjectOptions())
    assert (staging_left(layer), open_fds() - before) == ([], 0)
    with pytest.raises(ObjectNotFound):
        layer.head_object("bkt", "k")
    assert layer.list_parts("bkt", "mp", upload.upload_id).parts == []
