"""Shard files: one per drive per object, its blocks each carrying a bitrot checksum.

Layout (all integers big-endian):
    header  16 bytes: b"CSHD", version u8 (1), bitrot algorithm u8 (1 = CRC32C),
            reserved u16, block size u32, data shards u16, reserved u16
    frames  one per block of the object: [CRC32C u32][shard bytes]
Every frame but the last holds ceil(block_size / k) shard bytes, so the
frame of block b starts at a computable offset and a range read touches only
the frames it needs.  The header makes the file self-describing; readers
refuse versions they do not know.
"""

from __future__ import annotations

import contextlib
import struct

from .erasure import FRAME_HEADER_SIZE, shard_size
from .storage import ShardFile, StorageAPI

MAGIC = b"CSHD"
VERSION = 1
BITROT_CRC32C = 1
HEADER = struct.Struct(">4sBBHIHH")
HEADER_SIZE = HEADER.size


def encode_header(block_size: int, data_shards: int) -> bytes:
    return HEADER.pack(MAGIC, VERSION, BITROT_CRC32C, 0, block_size, data_shards, 0)


def check_header(raw: bytes, block_size: int, data_shards: int) -> bool:
    if len(raw) != HEADER_SIZE:
        return False
    magic, version, algo, _, bsize, k, _ = HEADER.unpack(raw)
    return magic == MAGIC and version == VERSION and algo == BITROT_CRC32C and (bsize, k) == (
        block_size,
        data_shards,
    )


def frame_offset(block: int, block_size: int, data_shards: int) -> int:
    return HEADER_SIZE + block * (FRAME_HEADER_SIZE + shard_size(block_size, data_shards))


def block_length(block: int, size: int, block_size: int) -> int:
    """Bytes of object data in block `block` of an object of `size` bytes."""
    return min(block_size, size - block * block_size)


def block_count(size: int, block_size: int) -> int:
    return (size + block_size - 1) // block_size


class ShardReader:
    """Reads frames of one shard file; any OSError or bad header makes it unusable (None frames)."""

    def __init__(self, drive: StorageAPI, data_id: str, name: str, block_size: int, data_shards: int) -> None:
        self.block_size = block_size
        self.k = data_shards
        self.file: ShardFile | None = None
        try:
            file = drive.open_shard(data_id, name)
        except OSError:
            return
        try:
            header = file.read_at(HEADER_SIZE, 0)
        except OSError:
            file.close()
            return
        if check_header(header, block_size, data_shards):
            self.file = file
        else:
            file.close()

    def read_frame(self, block: int, block_len: int) -> bytes | None:
        if self.file is None:
            return None
        want = FRAME_HEADER_SIZE + shard_size(block_len, self.k)
        try:
            raw = self.file.read_at(want, frame_offset(block, self.block_size, self.k))
        except OSError:
            return None
        return raw if len(raw) == want else None

    def close(self) -> None:
        if self.file is not None:
            file, self.file = self.file, None
            with contextlib.suppress(OSError):  # the read is done; a drive gone meanwhile changes nothing
                file.close()
