"""Server-side encryption in the engine: the block cipher, key sealing, master key rotation, and
encrypted objects through the ObjectLayer (ranges, multipart, copies, tampering, drive files)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from cairn.engine import multipart_rules
from cairn.engine.api import ObjectLayer, ObjectOptions
from cairn.engine.bucket_config import EncryptionConfig
from cairn.engine.errors import (
    DataCorrupted,
    KMSKeyNotFound,
    KMSNotConfigured,
    SSEKeyMismatch,
    SSEKeyNotApplicable,
    SSEKeyRequired,
)
from cairn.engine.info import CompletePart
from cairn.engine.kms import KeyRing, parse_key
from cairn.engine.sse import (
    SSE_C,
    SSE_KMS,
    SSE_S3,
    TAG_SIZE,
    BlockCipher,
    Encryption,
    SealedKey,
    new_object_key,
    open_key,
    reseal,
    stored_length,
)

from .helpers import read

BS = 64 << 10  # a small engine block, so that multi-block objects stay small
OLD = ("old", os.urandom(32))
NEW = ("new", os.urandom(32))
CUSTOMER = os.urandom(32)
SSEC = Encryption(SSE_C, customer_key=CUSTOMER)
MARK = b"CAIRN-PLAINTEXT-MARK-"  # what no drive file may contain


def body(n: int) -> bytes:
    unit = MARK + b"0123456789abcdef" * 4
    return (unit * (n // len(unit) + 1))[:n]


# -- the block cipher ------------------------------------------------------------------------------


def test_block_round_trip_and_size() -> None:
    cipher = BlockCipher(os.urandom(32), "part.1")
    plain = os.urandom(1000)
    sealed = bytes(cipher.seal(3, plain))
    assert len(sealed) == len(plain) + TAG_SIZE and plain[:32] not in sealed
    assert cipher.open(3, sealed) == plain
    sealed_buf, plain_buf = bytearray(2000), bytearray(2000)  # into reused buffers, as writer and reader do
    assert cipher.open(3, cipher.seal(3, plain, sealed_buf), plain_buf) == plain
    assert bytes(sealed_buf[:len(sealed)]) == sealed  # deterministic per (file key, index): a key per file
    assert stored_length(0, BS) == 0 and stored_length(BS, BS) == BS + TAG_SIZE
    assert stored_length(BS + 1, BS) == BS + 1 + 2 * TAG_SIZE


@pytest.mark.parametrize("position", [0, 1, 500, 999, 1000, 1015])
def test_any_flipped_byte_is_refused(position: int) -> None:
    cipher = BlockCipher(os.urandom(32), "part.1")
    sealed = bytearray(cipher.seal(0, os.urandom(1000)))
    sealed[position] ^= 0x01
    with pytest.raises(DataCorrupted):
        cipher.open(0, sealed)


def test_blocks_cannot_move_between_indexes_files_or_objects() -> None:
    key = os.urandom(32)
    cipher = BlockCipher(key, "part.1")
    first, second = cipher.seal(0, b"a" * 100), cipher.seal(1, b"b" * 100)
    with pytest.raises(DataCorrupted):
        cipher.open(1, first)  # swapped blocks
    with pytest.raises(DataCorrupted):
        cipher.open(0, second)
    with pytest.raises(DataCorrupted):
        BlockCipher(key, "part.2.abc").open(0, first)  # another part's file
    with pytest.raises(DataCorrupted):
        BlockCipher(os.urandom(32), "part.1").open(0, first)  # another object's key


# -- sealing object keys and the key ring ---------------------------------------------------------


def test_key_ring_parsing() -> None:
    spec = f"my-key:{base64.b64encode(NEW[1]).decode()}"
    assert parse_key(spec) == ("my-key", NEW[1])
    for bad in ("nocolon", "k:!!!", f"k:{base64.b64encode(b'short').decode()}", f":{spec.split(':')[1]}"):
        with pytest.raises(ValueError):
            parse_key(bad)
    ring = KeyRing.parse(f"# comment\n{spec}\nold:{base64.b64encode(OLD[1]).decode()}")
    assert ring.current == "my-key" and ring.key("old") == OLD[1]
    assert ring.resolve("") == "my-key" and ring.resolve("arn:aws:kms:us-east-1:1:key/old") == "old"
    with pytest.raises(KMSKeyNotFound):
        ring.resolve("nope")
    with pytest.raises(KMSNotConfigured):
        _ = KeyRing().current


def test_key_ring_from_env_and_file(tmp_path: Path) -> None:
    file = tmp_path / "keys"
    file.write_text(f"old:{base64.b64encode(OLD[1]).decode()}\n")
    env = {"MINIO_KMS_SECRET_KEY": f"new:{base64.b64encode(NEW[1]).decode()}",
           "CAIRN_KMS_SECRET_KEY_FILE": str(file)}
    ring = KeyRing.from_env(env)
    assert ring.items() == [NEW, OLD]
    with pytest.raises(ValueError):
        KeyRing([("a", OLD[1]), ("a", NEW[1])])


def test_sealing_binds_object_and_rotation_reseals() -> None:
    ring = KeyRing([OLD])
    sealed, key = new_object_key(Encryption(SSE_S3), ring, "bkt", "k")
    assert sealed.key_name == "old" and key not in sealed.sealed
    assert SealedKey.from_doc(sealed.to_doc()) == sealed
    assert open_key(sealed, None, ring, "bkt", "k") == key
    with pytest.raises(DataCorrupted):
        open_key(sealed, None, ring, "bkt", "other")  # a record copied onto another object
    rotated = KeyRing([NEW, OLD])
    again = reseal(sealed, rotated, "bkt", "k")
    assert again is not None and again.key_name == "new"
    assert open_key(again, None, KeyRing([NEW]), "bkt", "k") == key  # the old key is no longer needed
    with pytest.raises(KMSKeyNotFound):
        open_key(sealed, None, KeyRing([NEW]), "bkt", "k")


def test_customer_key_is_checked_not_stored() -> None:
    sealed, key = new_object_key(SSEC, KeyRing(), "bkt", "k")
    assert CUSTOMER not in repr(sealed.to_doc()).encode() and base64.b64encode(CUSTOMER).decode() not in str(
        sealed.to_doc())
    assert open_key(sealed, SSEC, KeyRing(), "bkt", "k") == key
    with pytest.raises(SSEKeyMismatch):
        open_key(sealed, Encryption(SSE_C, customer_key=os.urandom(32)), KeyRing(), "bkt", "k")
    with pytest.raises(SSEKeyRequired):
        open_key(sealed, None, KeyRing(), "bkt", "k")


# -- through the ObjectLayer -----------------------------------------------------------------------


@pytest.fixture
def layer(make_layer) -> ObjectLayer:  # type: ignore[no-untyped-def]
    layer: ObjectLayer = make_layer(4, block_size=BS, inline_max=16 << 10)
    layer.kms = KeyRing([NEW, OLD])
    layer.create_bucket("bkt")
    return layer


def drive_files_hold(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.mark.parametrize("enc", [Encryption(SSE_S3), Encryption(SSE_KMS, "old"), SSEC],
                         ids=["s3", "kms", "c"])
@pytest.mark.parametrize("size", [0, 100, 5 * BS + 7])
def test_round_trip_ranges_and_no_plaintext_on_drives(layer: ObjectLayer, tmp_path: Path, enc: Encryption,
                                                      size: int) -> None:
    data = body(size)
    read_opts = ObjectOptions(encryption=enc if enc.kind == SSE_C else None)
    info = layer.put_object("bkt", "k", data, ObjectOptions(encryption=enc, checksums=("crc32c",)))
    assert info.size == size and info.sse is not None and info.sse.kind == enc.kind
    import hashlib
    md5 = hashlib.md5(data).hexdigest()
    assert (info.etag == md5) == (enc.kind == SSE_S3)  # S3: only SSE-S3's ETag is the MD5
    reader = layer.get_object("bkt", "k", read_opts)
    assert reader.read_all() == data
    if size:
        for start, length in ((0, 1), (BS - 3, 10), (size - 1, 1), (BS, BS)):
            if start >= size:
                continue
            length = min(length, size - start)
            ranged = ObjectOptions(encryption=read_opts.encryption, range=(start, length))
            r = layer.get_object("bkt", "k", ranged)
            assert r.block_count() <= 2
            assert r.read_all() == data[start:start + length]
    if size >= len(MARK):
        assert drive_files_hold(tmp_path, MARK) == []
    head = layer.head_object("bkt", "k")
    assert head.size == size and head.checksums == info.checksums


def test_ssec_errors(layer: ObjectLayer) -> None:
    layer.put_object("bkt", "c", b"x" * 100, ObjectOptions(encryption=SSEC))
    layer.put_object("bkt", "plain", b"x" * 100)
    layer.put_object("bkt", "s3", b"x" * 100, ObjectOptions(encryption=Encryption(SSE_S3)))
    with pytest.raises(SSEKeyRequired):
        layer.get_object("bkt", "c")
    with pytest.raises(SSEKeyMismatch):
        layer.get_object("bkt", "c", ObjectOptions(encryption=Encryption(SSE_C, customer_key=os.urandom(32))))
    for key in ("plain", "s3"):
        with pytest.raises(SSEKeyNotApplicable):
            layer.get_object("bkt", key, ObjectOptions(encryption=SSEC))


def test_kms_errors(layer: ObjectLayer) -> None:
    with pytest.raises(KMSKeyNotFound):
        layer.put_object("bkt", "k", b"x", ObjectOptions(encryption=Encryption(SSE_KMS, "nope")))
    layer.kms = KeyRing()
    with pytest.raises(KMSNotConfigured):
        layer.put_object("bkt", "k", b"x", ObjectOptions(encryption=Encryption(SSE_S3)))


def test_tampered_shard_is_refused_not_served(layer: ObjectLayer, tmp_path: Path) -> None:
    """Flip a byte of every copy of a data shard and fix its bitrot CRC: only the cipher can tell."""
    data = body(3 * BS)
    info = layer.put_object("bkt", "k", data, ObjectOptions(encryption=Encryption(SSE_S3)))
    # Without the tag the bitrot check would catch it first; rewrite k data frames consistently is
    # what an attacker with the drives would do: here, swap two whole shard files' frames of block 0
    # and 1 on every drive (frames keep valid CRCs), so the decoded blocks arrive in the wrong order.
    from cairn.engine.erasure import frame_size
    from cairn.engine.shardfile import HEADER_SIZE
    flen = frame_size(info.stored_block_size, info.data_shards)
    for path in tmp_path.rglob("part.1"):
        raw = bytearray(path.read_bytes())
        a, b = raw[HEADER_SIZE:HEADER_SIZE + flen], raw[HEADER_SIZE + flen:HEADER_SIZE + 2 * flen]
        raw[HEADER_SIZE:HEADER_SIZE + 2 * flen] = b + a
        path.write_bytes(bytes(raw))
    with pytest.raises(DataCorrupted):
        layer.get_object("bkt", "k").read_all()


def test_multipart_copy_and_bucket_default(layer: ObjectLayer, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", BS)
    part1, part2 = body(2 * BS + 5), body(BS // 2)
    upload = layer.create_multipart_upload("bkt", "mp", ObjectOptions(encryption=SSEC))
    with pytest.raises(SSEKeyRequired):
        layer.upload_part("bkt", "mp", upload.upload_id, 1, part1)
    p1 = layer.upload_part("bkt", "mp", upload.upload_id, 1, part1, ObjectOptions(encryption=SSEC))
    p1 = layer.upload_part("bkt", "mp", upload.upload_id, 1, part1, ObjectOptions(encryption=SSEC))  # again
    p2 = layer.upload_part("bkt", "mp", upload.upload_id, 2, part2, ObjectOptions(encryption=SSEC))
    info = layer.complete_multipart_upload("bkt", "mp", upload.upload_id,
                                           [CompletePart(1, p1.etag), CompletePart(2, p2.etag)])
    assert info.sse is not None and info.etag.endswith("-2")
    whole = part1 + part2
    assert layer.get_object("bkt", "mp", ObjectOptions(encryption=SSEC)).read_all() == whole
    span = (len(part1) - 10, 20)
    got = layer.get_object("bkt", "mp", ObjectOptions(encryption=SSEC, range=span)).read_all()
    assert got == whole[span[0]:span[0] + span[1]]
    # A copy: the source's key to read, the bucket's default encryption for the destination.
    layer.put_bucket_config("bkt", EncryptionConfig("aws:kms", "old"))
    copied = layer.copy_object("bkt", "mp", "bkt", "copy", ObjectOptions(encryption=SSEC))
    assert copied.sse is not None and copied.sse.kind == SSE_KMS and copied.sse.key_name == "old"
    assert read(layer, "bkt", "copy") == whole
    assert drive_files_hold(tmp_path, MARK) == []


@pytest.mark.parametrize("enc", [Encryption(SSE_S3), Encryption(SSE_KMS, "old"), SSEC],
                         ids=["s3", "kms", "c"])
def test_a_retried_complete_names_the_same_encryption(layer: ObjectLayer, enc: Encryption) -> None:
    """A Complete sent again after its answer was lost answers from the completion record: the
    encryption it names (kind, master key, key id) is the first answer's, and the record keeps
    no sealed object key of its own."""
    part_opts = ObjectOptions(encryption=enc if enc.kind == SSE_C else None)
    upload = layer.create_multipart_upload("bkt", "mp", ObjectOptions(encryption=enc))
    part = layer.upload_part("bkt", "mp", upload.upload_id, 1, body(100), part_opts)
    listed = [CompletePart(1, part.etag)]
    first = layer.complete_multipart_upload("bkt", "mp", upload.upload_id, listed)
    again = layer.complete_multipart_upload("bkt", "mp", upload.upload_id, listed)
    assert first.sse is not None and again.sse is not None
    assert (again.sse.kind, again.sse.key_name, again.sse.key_id) == (
        first.sse.kind, first.sse.key_name, first.sse.key_id)
    assert again.sse.sealed == b"" and (again.etag, again.version_id) == (first.etag, first.version_id)
    plain = layer.create_multipart_upload("bkt", "plain")
    part = layer.upload_part("bkt", "plain", plain.upload_id, 1, b"clear")
    layer.complete_multipart_upload("bkt", "plain", plain.upload_id, [CompletePart(1, part.etag)])
    assert layer.complete_multipart_upload("bkt", "plain", plain.upload_id,
                                           [CompletePart(1, part.etag)]).sse is None


def test_rotation_reseals_records_without_rewriting_data(make_layer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layer: ObjectLayer = make_layer(4, block_size=BS)
    layer.kms = KeyRing([OLD])
    layer.create_bucket("bkt")
    data = body(3 * BS)
    before = layer.put_object("bkt", "k", data, ObjectOptions(encryption=Encryption(SSE_S3)))
    layer.put_object("bkt", "small", b"tiny", ObjectOptions(encryption=Encryption(SSE_S3)))
    layer.put_object("bkt", "c", b"customer", ObjectOptions(encryption=SSEC))
    files = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("part.1")}
    layer.kms = KeyRing([NEW, OLD])
    assert layer.rotate_keys("bkt") == 2  # SSE-C objects are the customer's to rotate
    assert layer.rotate_keys("bkt") == 0
    layer.kms = KeyRing([NEW])  # the old master key is gone
    after = layer.head_object("bkt", "k")
    assert after.sse is not None and after.sse.key_name == "new" and after.etag == before.etag
    assert read(layer, "bkt", "k") == data and read(layer, "bkt", "small") == b"tiny"
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("part.1")} == files


def test_healing_rebuilds_an_encrypted_objects_shards(layer: ObjectLayer, tmp_path: Path) -> None:
    """The healer reads and rewrites sealed blocks (their stored size, a tag longer per block)."""
    data = body(3 * BS + 100)
    layer.put_object("bkt", "k", data, ObjectOptions(encryption=Encryption(SSE_S3)))
    assert [r.state for r in layer.heal_object("bkt", "k", deep=True)] == ["ok"]
    lost = sorted(tmp_path.rglob("part.1"))[0]
    lost.unlink()
    results = layer.heal_object("bkt", "k")
    assert [r.state for r in results] == ["healed"] and results[0].files == 1
    assert lost.exists() and read(layer, "bkt", "k") == data
    assert drive_files_hold(tmp_path, MARK) == []
