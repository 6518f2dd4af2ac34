"""Reed-Solomon erasure coding: the typed face of the compiled `_erasure` module.

ReedSolomon(k, m) encodes k data shards into m parity shards and rebuilds any
m missing ones (ISA-L, Cauchy matrix, k + m <= MAX_SHARDS).  BlockEncoder and
BlockDecoder are the per-block PUT and GET pipelines: each block becomes k + m
frames `[CRC32C][shard bytes]`, verified again on every read.
"""

from __future__ import annotations

from ._erasure import (
    FRAME_HEADER_SIZE,
    MAX_SHARDS,
    BlockDecoder,
    BlockEncoder,
    ReedSolomon,
    shard_size,
    verify_frame,
)

__all__ = [
    "FRAME_HEADER_SIZE",
    "MAX_SHARDS",
    "BlockDecoder",
    "BlockEncoder",
    "ReedSolomon",
    "frame_size",
    "shard_size",
    "verify_frame",
]


def frame_size(block_len: int, k: int) -> int:
    """Bytes one shard's frame takes for a block of block_len bytes."""
    return FRAME_HEADER_SIZE + shard_size(block_len, k)
