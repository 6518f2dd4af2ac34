"""Tests for cairn.engine.erasure: ReedSolomon, the BlockEncoder/BlockDecoder pipeline, frames."""

from __future__ import annotations

import hashlib
import itertools
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.engine.checksums import Hasher, crc32c
from cairn.engine.erasure import (
    FRAME_HEADER_SIZE,
    MAX_SHARDS,
    BlockDecoder,
    BlockEncoder,
    ReedSolomon,
    frame_size,
    shard_size,
    verify_frame,
)

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def split_block(block: bytes, k: int) -> list[bytes]:
    """The k data shards of a block: ceil(len/k) bytes each, the tail zero padded."""
    slen = -(-len(block) // k)
    padded = block + bytes(k * slen - len(block))
    return [padded[i * slen : (i + 1) * slen] for i in range(k)]


def encode_shards(k: int, m: int, data: list[bytes]) -> list[bytes]:
    rs = ReedSolomon(k, m)
    parity = [bytearray(len(data[0])) for _ in range(m)]
    rs.encode(list(data), parity)
    return [*data, *(bytes(p) for p in parity)]


def encode_frames(enc: BlockEncoder, block: bytes) -> list[bytes]:
    enc.encode(block)
    n = enc.rs.k + enc.rs.m
    return [bytes(enc.frame(i)) for i in range(n)]


def corrupt(frame: bytes, pos: int, xor: int) -> bytes:
    out = bytearray(frame)
    out[pos % len(out)] ^= xor
    return bytes(out)


def test_helpers_and_sizes() -> None:
    assert shard_size(1, 4) == 1
    assert shard_size(8, 4) == 2
    assert shard_size(9, 4) == 3
    assert shard_size(1 << 20, 12) == -(-(1 << 20) // 12)
    assert frame_size(9, 4) == FRAME_HEADER_SIZE + 3
    assert FRAME_HEADER_SIZE == 4
    assert MAX_SHARDS == 255
    assert split_block(b"abcde", 2) == [b"abc", b"de\0"]
    assert split_block(b"a", 3) == [b"a", b"\0", b"\0"]


# --------------------------------------------------------------------------
# Encode -> faults -> decode (property based)
# --------------------------------------------------------------------------

FAULT_KINDS = ("drop", "flip", "truncate", "extend")


@st.composite
def geometry(draw: st.DrawFn) -> tuple[int, int, int]:
    k = draw(st.integers(1, 12))
    m = draw(st.integers(0, min(4, 16 - k)))
    block_size = draw(
        st.one_of(
            st.sampled_from([1, 2, 3, k, k + 1, 2 * k - 1, 1000, 4099]),
            st.integers(1, 6000),
        )
    )
    return k, m, block_size


@st.composite
def faults(draw: st.DrawFn, n: int, count: int, slen: int) -> dict[int, tuple[str, int, int]]:
    """{shard index: (kind, byte position anywhere in the frame, nonzero xor)} for `count` shards."""
    indexes = draw(st.lists(st.integers(0, n - 1), min_size=count, max_size=count, unique=True))
    out = {}
    for i in indexes:
        kind = draw(st.sampled_from(FAULT_KINDS))
        # positions 0..3 hit the CRC header, the rest the shard bytes
        pos = draw(st.one_of(st.integers(0, 3), st.integers(0, FRAME_HEADER_SIZE + slen - 1)))
        xor = draw(st.one_of(st.sampled_from([1, 0x80, 0xFF]), st.integers(1, 255)))
        out[i] = (kind, pos, xor)
    return out


def apply_faults(frames: list[bytes], plan: dict[int, tuple[str, int, int]]) -> tuple[list, list[int]]:
    """The frames as the decoder sees them, and the indexes it must report as damaged."""
    seen: list[bytes | bytearray | memoryview | None] = list(frames)
    damaged = []
    for i, (kind, pos, xor) in plan.items():
        if kind == "drop":
            seen[i] = None
            continue
        damaged.append(i)
        if kind == "flip":
            seen[i] = corrupt(frames[i], pos, xor)
        elif kind == "truncate":
            seen[i] = frames[i][: pos % len(frames[i])]
        else:
            seen[i] = frames[i] + bytes([xor])
    return seen, sorted(damaged)


@settings(max_examples=300, deadline=None)
@given(geo=geometry(), data=st.data())
def test_decode_survives_up_to_m_faults(geo: tuple[int, int, int], data: st.DataObject) -> None:
    k, m, block_size = geo
    n = k + m
    enc = BlockEncoder(k, m, block_size)
    dec = BlockDecoder(k, m, block_size)
    rnd = data.draw(st.randoms(use_true_random=False))
    # Several blocks through the same encoder/decoder: their buffers are sized lazily
    # and reused, so a small block after a large one (and back) must work.
    lengths = data.draw(
        st.lists(st.one_of(st.just(block_size), st.integers(1, block_size)), min_size=1, max_size=3)
    )
    for block_len in lengths:
        block = rnd.randbytes(block_len)
        slen = enc.encode(block)
        assert slen == shard_size(block_len, k)
        frames = [bytes(enc.frame(i)) for i in range(n)]
        nfaults = data.draw(st.integers(0, m))
        plan = data.draw(faults(n, nfaults, slen))
        seen, expect_damaged = apply_faults(frames, plan)
        # mix the buffer types a reader might hand over
        seen = [
            f if f is None or i % 3 == 0 else (bytearray(f) if i % 3 == 1 else memoryview(bytearray(f)))
            for i, f in enumerate(seen)
        ]
        out, damaged = dec.decode(seen, block_len)
        assert bytes(out) == block
        assert sorted(damaged) == expect_damaged


@settings(max_examples=200, deadline=None)
@given(geo=geometry(), data=st.data())
def test_decode_refuses_m_plus_one_faults(geo: tuple[int, int, int], data: st.DataObject) -> None:
    k, m, block_size = geo
    n = k + m
    enc = BlockEncoder(k, m, block_size)
    dec = BlockDecoder(k, m, block_size)
    block_len = data.draw(st.integers(1, block_size))
    block = data.draw(st.randoms(use_true_random=False)).randbytes(block_len)
    slen = enc.encode(block)
    frames = [bytes(enc.frame(i)) for i in range(n)]
    plan = data.draw(faults(n, m + 1, slen))
    seen, _ = apply_faults(frames, plan)
    with pytest.raises(ValueError):
        dec.decode(seen, block_len)
    # the decoder is still usable afterwards
    out, damaged = dec.decode(frames, block_len)
    assert bytes(out) == block
    assert damaged == []


def test_decode_all_fault_patterns_small_geometry() -> None:
    k, m, block_size = 3, 2, 100
    n = k + m
    enc = BlockEncoder(k, m, block_size)
    dec = BlockDecoder(k, m, block_size)
    block = random.Random(1).randbytes(77)
    frames = encode_frames(enc, block)
    for count in range(0, n + 1):
        for idx in itertools.combinations(range(n), count):
            for kinds in itertools.product(("drop", "flip"), repeat=count):
                plan = {i: (kind, 5 + i, 0x40) for i, kind in zip(idx, kinds, strict=True)}
                seen, expect_damaged = apply_faults(frames, plan)
                if count <= m:
                    out, damaged = dec.decode(seen, len(block))
                    assert bytes(out) == block
                    assert damaged == expect_damaged
                else:
                    with pytest.raises(ValueError):
                        dec.decode(seen, len(block))


def test_decode_header_only_corruption_is_detected() -> None:
    k, m = 4, 2
    enc = BlockEncoder(k, m, 64)
    dec = BlockDecoder(k, m, 64)
    block = bytes(range(64))
    frames = encode_frames(enc, block)
    for i in range(k + m):
        for pos in range(FRAME_HEADER_SIZE):
            seen = list(frames)
            seen[i] = corrupt(frames[i], pos, 1)
            assert not verify_frame(seen[i])
            out, damaged = dec.decode(seen, 64)
            assert bytes(out) == block
            assert damaged == [i]


def test_decode_argument_errors() -> None:
    enc = BlockEncoder(2, 1, 10)
    dec = BlockDecoder(2, 1, 10)
    frames = encode_frames(enc, b"0123456789")
    with pytest.raises(ValueError):
        dec.decode(frames[:2], 10)
    with pytest.raises(ValueError):
        dec.decode([*frames, frames[0]], 10)
    with pytest.raises(ValueError):
        dec.decode(frames, 0)
    with pytest.raises(ValueError):
        dec.decode(frames, 11)
    with pytest.raises(ValueError):
        dec.decode([None, None, None], 10)
    # frames of a different block length are the wrong size: damaged, not misread
    with pytest.raises(ValueError):
        dec.decode(frames, 4)


def test_decode_view_is_exactly_the_block() -> None:
    enc = BlockEncoder(5, 2, 1000)
    dec = BlockDecoder(5, 2, 1000)
    for n in (1000, 3, 999, 1, 501):
        block = random.Random(n).randbytes(n)
        frames = encode_frames(enc, block)
        out, damaged = dec.decode(frames, n)
        assert len(out) == n and bytes(out) == block and damaged == []
        frames[0] = None
        out, damaged = dec.decode(frames, n)
        assert len(out) == n and bytes(out) == block and damaged == []


def test_identity_geometry_k1_m0() -> None:
    enc = BlockEncoder(1, 0, 17)
    dec = BlockDecoder(1, 0, 17)
    for block in (b"x", b"hello world", bytes(range(17))):
        assert enc.encode(block) == len(block)
        frame = bytes(enc.frame(0))
        assert frame == crc32c(block).to_bytes(4, "big") + block
        out, damaged = dec.decode([frame], len(block))
        assert bytes(out) == block and damaged == []
        with pytest.raises(ValueError):
            dec.decode([None], len(block))
        with pytest.raises(ValueError):
            dec.decode([corrupt(frame, 4, 1)], len(block))
    rs = ReedSolomon(1, 0)
    shard = bytearray(b"abc")
    rs.encode([shard], [])
    rs.reconstruct([shard], [True])
    assert shard == b"abc"


# --------------------------------------------------------------------------
# Frame layout
# --------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(geo=geometry(), data=st.data())
def test_frame_layout(geo: tuple[int, int, int], data: st.DataObject) -> None:
    k, m, block_size = geo
    block_len = data.draw(st.integers(1, block_size))
    block = data.draw(st.randoms(use_true_random=False)).randbytes(block_len)
    enc = BlockEncoder(k, m, block_size)
    assert enc.shard_capacity == shard_size(block_size, k)
    slen = enc.encode(block)
    assert slen == shard_size(block_len, k)
    expected_shards = encode_shards(k, m, split_block(block, k))
    for i in range(k + m):
        frame = enc.frame(i)
        assert isinstance(frame, memoryview)
        assert len(frame) == frame_size(block_len, k) == FRAME_HEADER_SIZE + slen
        shard = bytes(frame[FRAME_HEADER_SIZE:])
        assert shard == expected_shards[i]
        assert bytes(frame[:FRAME_HEADER_SIZE]) == crc32c(shard).to_bytes(4, "big")
        assert verify_frame(frame)
    assert b"".join(expected_shards[:k])[:block_len] == block


def test_frame_index_errors_and_block_limits() -> None:
    enc = BlockEncoder(3, 2, 10)
    enc.encode(b"abc")
    for bad in (-1, 5, 100):
        with pytest.raises(IndexError):
            enc.frame(bad)
    with pytest.raises(ValueError):
        enc.encode(b"")
    with pytest.raises(ValueError):
        enc.encode(bytes(11))
    assert enc.encode(bytes(10)) == 4


def test_verify_frame() -> None:
    assert verify_frame(crc32c(b"").to_bytes(4, "big"))
    assert not verify_frame(b"")
    assert not verify_frame(b"\0\0\0")
    frame = crc32c(b"shard").to_bytes(4, "big") + b"shard"
    assert verify_frame(frame)
    assert verify_frame(bytearray(frame)) and verify_frame(memoryview(frame))
    for pos in range(len(frame)):
        for bit in range(8):
            assert not verify_frame(corrupt(frame, pos, 1 << bit))
    # a little-endian CRC header is not accepted
    assert not verify_frame(crc32c(b"shard").to_bytes(4, "little") + b"shard")


def test_encoder_feeds_hasher() -> None:
    rng = random.Random(2)
    enc = BlockEncoder(4, 2, 1 << 16)
    h = Hasher(("md5", "crc32c", "sha256", "crc32"))
    blocks = [rng.randbytes(n) for n in (1 << 16, 1 << 16, 1, 4095, 4096, 4097, 1 << 16, 12_345)]
    for b in blocks:
        enc.encode(b, h)
    enc.encode(b"not hashed")  # no hasher: nothing fed
    whole = b"".join(blocks)
    got = h.digests()
    assert got["md5"] == hashlib.md5(whole).digest()
    assert got["sha256"] == hashlib.sha256(whole).digest()
    assert got["crc32c"] == crc32c(whole).to_bytes(4, "big")
    assert got["crc32"] == zlib.crc32(whole).to_bytes(4, "big")


@settings(max_examples=50, deadline=None)
@given(sizes=st.lists(st.integers(1, 3000), min_size=1, max_size=6), seed=st.integers(0, 2**32))
def test_encoder_hasher_md5_property(sizes: list[int], seed: int) -> None:
    rng = random.Random(seed)
    enc = BlockEncoder(3, 1, 3000)
    h = Hasher(("md5",))
    blocks = [rng.randbytes(n) for n in sizes]
    for b in blocks:
        enc.encode(b, h)
    assert h.digests()["md5"] == hashlib.md5(b"".join(blocks)).digest()


# --------------------------------------------------------------------------
# ReedSolomon directly
# --------------------------------------------------------------------------


def _check_all_patterns(k: int, m: int, length: int, seed: int) -> None:
    rng = random.Random(seed)
    rs = ReedSolomon(k, m)
    assert (rs.k, rs.m) == (k, m)
    n = k + m
    original = encode_shards(k, m, [rng.randbytes(length) for _ in range(k)])
    for count in range(0, m + 1):
        for missing in itertools.combinations(range(n), count):
            shards = [bytearray(s) for s in original]
            for i in missing:
                shards[i][:] = rng.randbytes(length)  # garbage: must be overwritten
            present = [i not in missing for i in range(n)]
            rs.reconstruct(shards, present)
            assert [bytes(s) for s in shards] == original, missing
            # data_only: missing data rebuilt, missing parity left as it was
            shards = [bytearray(s) for s in original]
            for i in missing:
                shards[i][:] = bytes([0xA5]) * length
            rs.reconstruct(shards, present, data_only=True)
            for i in range(n):
                if i < k or i not in missing:
                    assert bytes(shards[i]) == original[i], (missing, i)
                else:
                    assert bytes(shards[i]) == bytes([0xA5]) * length, (missing, i)


@pytest.mark.parametrize(("k", "m"), [(2, 2), (4, 2), (3, 3), (1, 1), (1, 4), (5, 1), (6, 0)])
def test_reconstruct_every_pattern(k: int, m: int) -> None:
    for length in (1, 3, 64, 1001):
        _check_all_patterns(k, m, length, seed=k * 100 + m * 10 + length)


def test_reconstruct_every_pattern_larger() -> None:
    _check_all_patterns(8, 4, 33, seed=5)
    _check_all_patterns(12, 4, 17, seed=6)


def test_reconstruct_random_patterns_up_to_16_shards() -> None:
    rng = random.Random(7)
    for k in range(1, 17):
        for m in range(0, 17 - k):
            rs = ReedSolomon(k, m)
            original = encode_shards(k, m, [rng.randbytes(50) for _ in range(k)])
            for _ in range(3):
                missing = set(rng.sample(range(k + m), rng.randint(0, m)))
                shards = [bytearray(s) if i not in missing else bytearray(50) for i, s in enumerate(original)]
                rs.reconstruct(shards, [i not in missing for i in range(k + m)])
                assert [bytes(s) for s in shards] == original, (k, m, missing)


def test_parity_is_deterministic_and_linear() -> None:
    rng = random.Random(8)
    k, m = 4, 3
    a = [rng.randbytes(40) for _ in range(k)]
    b = [rng.randbytes(40) for _ in range(k)]
    pa = encode_shards(k, m, a)[k:]
    pb = encode_shards(k, m, b)[k:]
    assert encode_shards(k, m, a)[k:] == pa
    axb = [bytes(x ^ y for x, y in zip(s, t, strict=True)) for s, t in zip(a, b, strict=True)]
    pab = encode_shards(k, m, axb)[k:]
    assert pab == [bytes(x ^ y for x, y in zip(s, t, strict=True)) for s, t in zip(pa, pb, strict=True)]
    # all-zero data gives all-zero parity
    assert encode_shards(k, m, [bytes(40)] * k)[k:] == [bytes(40)] * m


@pytest.mark.parametrize(("k", "m"), [(200, 55), (1, 254), (254, 1), (128, 127)])
def test_max_shards(k: int, m: int) -> None:
    assert k + m == MAX_SHARDS
    rng = random.Random(k)
    rs = ReedSolomon(k, m)
    length = 16
    original = encode_shards(k, m, [rng.randbytes(length) for _ in range(k)])
    # lose m shards: some data, some parity, including the first and the last
    missing = {0, k + m - 1}
    candidates = [i for i in range(k + m) if i not in missing]
    missing |= set(rng.sample(candidates, m - len(missing))) if m >= 2 else set()
    missing = set(sorted(missing)[:m])
    shards = [bytearray(s) if i not in missing else bytearray(length) for i, s in enumerate(original)]
    rs.reconstruct(shards, [i not in missing for i in range(k + m)])
    assert [bytes(s) for s in shards] == original


@pytest.mark.parametrize(("k", "m"), [(256, 0), (200, 56), (1, 255), (0, 1), (0, 0), (-1, 2), (2, -1)])
def test_bad_geometry(k: int, m: int) -> None:
    with pytest.raises(ValueError):
        ReedSolomon(k, m)
    with pytest.raises(ValueError):
        BlockEncoder(k, m, 100)
    with pytest.raises(ValueError):
        BlockDecoder(k, m, 100)


def test_encode_argument_errors() -> None:
    rs = ReedSolomon(3, 2)
    data = [bytearray(8) for _ in range(3)]
    with pytest.raises(ValueError):
        rs.encode(data[:2], [bytearray(8), bytearray(8)])
    with pytest.raises(ValueError):
        rs.encode(data, [bytearray(8)])
    with pytest.raises(ValueError):
        rs.encode(data, [bytearray(8), bytearray(7)])
    with pytest.raises(ValueError):
        rs.encode([bytearray(8), bytearray(8), bytearray(9)], [bytearray(8), bytearray(8)])
    with pytest.raises(ValueError):
        rs.encode(data, [bytearray(8), bytes(8)])  # read-only parity
    rs.encode([b"", b"", b""], [bytearray(), bytearray()])  # empty shards: nothing to do
    # read-only data is fine
    parity = [bytearray(4), bytearray(4)]
    rs.encode([b"abcd", b"efgh", b"ijkl"], parity)
    assert parity == [bytearray(p) for p in encode_shards(3, 2, [b"abcd", b"efgh", b"ijkl"])[3:]]


def test_reconstruct_argument_errors() -> None:
    rs = ReedSolomon(3, 2)
    shards = [bytearray(p) for p in encode_shards(3, 2, [b"abcd", b"efgh", b"ijkl"])]
    with pytest.raises(ValueError):
        rs.reconstruct(shards[:4], [True] * 4)
    with pytest.raises(ValueError):
        rs.reconstruct(shards, [True] * 4)
    with pytest.raises(ValueError):
        rs.reconstruct(shards, [False, False, False, True, True])  # only 2 of 3
    with pytest.raises(ValueError):
        rs.reconstruct([*shards[:4], bytearray(5)], [False, True, True, True, True])
    # nothing missing: a no-op, whatever the contents
    before = [bytes(s) for s in shards]
    rs.reconstruct(shards, [True] * 5)
    assert [bytes(s) for s in shards] == before


def test_decode_cache_does_not_mix_patterns() -> None:
    # The same ReedSolomon rebuilding many different patterns in a row (and more
    # patterns than the cache holds) must use the right tables for each.
    rng = random.Random(9)
    k, m = 10, 4
    rs = ReedSolomon(k, m)
    original = encode_shards(k, m, [rng.randbytes(24) for _ in range(k)])
    patterns = [c for r in range(1, m + 1) for c in itertools.combinations(range(k + m), r)]
    rng.shuffle(patterns)
    for missing in patterns[:600] + patterns[:50]:
        for data_only in (False, True):
            shards = [bytearray(s) if i not in missing else bytearray(24) for i, s in enumerate(original)]
            rs.reconstruct(shards, [i not in missing for i in range(k + m)], data_only)
            for i in range(k + m):
                if not (data_only and i >= k and i in missing):
                    assert bytes(shards[i]) == original[i], (missing, data_only, i)
