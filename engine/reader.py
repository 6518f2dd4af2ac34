"""ObjectReader: a GET of one object version, verified block by block.

Theory of operation
-------------------
The read quorum has decided which metadata version is current and which drives
hold it.  An inline block's frames come from the holders' records; shard files
are read from every drive of the distribution, holder or not (a drive can hold
the record without the file, written while it was away, or the file without the
record: the data directory is the version's alone and every frame is checked).
Each block needed for the range is rebuilt from the data shards when
they verify, else from whatever k verified frames exist; damage is reported to
the heal queue, and beyond parity the read fails with DataCorrupted rather than
returning bytes it could not verify.  Shard files are read through each drive's
StorageAPI; a multipart object is one shard file per part, walked in order, with
one part's files open at a time.  An encrypted object's blocks are opened (sse.py)
after decoding: sizes and ranges are the plaintext's, frames the sealed blocks'.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from .erasure import BlockDecoder
from .errors import DataCorrupted, InvalidRange
from .heal import HealItem
from .info import ObjectInfo
from .quorum import Decision
from .records import split_object
from .shardfile import ShardReader, block_length
from .sse import TAG_SIZE, ObjectCipher

if TYPE_CHECKING:
    from .erasure_set import ErasureSet


class ObjectReader:
    """A GET in progress: `info` is the object; iterate blocks() for the bytes of the range."""

    def __init__(self, eset: ErasureSet, bucket: str, key: str, info: ObjectInfo, decision: Decision) -> None:
        self.eset = eset
        self.bucket = bucket
        self.key = key
        self.info = info
        self.start = 0
        self.length = info.size
        self.holders = set(decision.holders)
        self.decision = decision
        self.decoder = BlockDecoder(info.data_shards, info.parity_shards, info.stored_block_size)
        self.segments = info.segments()  # (shard file, offset, size): one, or one per part
        self.readers: dict[tuple[int, int], ShardReader] = {}  # (drive, segment) -> open shard file
        self.damaged: set[int] = set()
        self.cipher: ObjectCipher | None = None  # an encrypted object's key (ObjectLayer.get_object)
        self.plain: bytearray | None = None

    def open(self) -> None:
        """Reach the data before the answer starts: nothing to do for local data (a transitioned
        version's reader, tiers.TierReader, sends its GET to the tier here)."""

    def restrict(self, start: int, length: int) -> None:
        """Serve bytes [start, start+length) instead (InvalidRange when outside the object)."""
        size = self.info.size
        if start < 0 or length < 0 or start + length > size or not (start < size or start == length == 0):
            raise InvalidRange(size)
        self.start, self.length = start, length

    def _frame(self, shard: int, segment: int, block: int, block_len: int) -> bytes | None:
        drive = self.info.distribution[shard]
        if self.info.data_id is None:  # inline: the frame is in the drive's own copy of the record
            if drive not in self.holders:
                return None
            value = self.decision.replies[drive]
            return split_object(value)[1] if isinstance(value, bytes) else None
        reader = self.readers.get((drive, segment))
        if reader is None:
            for other in [k for k in self.readers if k[1] != segment]:  # one part's files open at a time
                self.readers.pop(other).close()
            reader = ShardReader(self.eset.drives[drive], self.info.data_id, self.segments[segment][0],
                                 self.info.stored_block_size, self.info.data_shards)
            self.readers[drive, segment] = reader
        return reader.read_frame(block, block_len)

    def _decode(self, segment: int, block: int) -> memoryview:
        """A block of plaintext: decoded from the shards, and opened when encrypted."""
        if self.info.sse is None:
            return self._decode_stored(segment, block)
        if self.cipher is None:
            raise DataCorrupted(f"{self.bucket}/{self.key} is encrypted and was opened without its key")
        sealed = self._decode_stored(segment, block)
        if self.plain is None:
            self.plain = bytearray(self.info.block_size)  # reused: a view lasts until the next block
        return self.cipher.file(self.segments[segment][0]).open(block, sealed, self.plain)

    def _decode_stored(self, segment: int, block: int) -> memoryview:
        info = self.info
        n = info.data_shards + info.parity_shards
        blen = block_length(block, self.segments[segment][2], info.block_size)
        if info.sse is not None:
            blen += TAG_SIZE
        frames: list[bytes | None] = [None] * n
        for s in range(info.data_shards):
            frames[s] = self._frame(s, segment, block, blen)
        try:
            if all(f is not None for f in frames[: info.data_shards]):
                view, damaged = self.decoder.decode(list(frames), blen)
                return view
        except ValueError:
            pass
        for s in range(info.data_shards, n):
            frames[s] = self._frame(s, segment, block, blen)
        try:
            view, damaged = self.decoder.decode(list(frames), blen)
        except ValueError as exc:
            where = f"part {segment + 1} block {block}" if info.parts else f"block {block}"
            raise DataCorrupted(f"{self.bucket}/{self.key} {where}: {exc}") from None
        bad = {info.distribution[s] for s in damaged} | {
            info.distribution[s] for s in range(n) if frames[s] is None
        }
        self._report(bad)
        return view

    def _report(self, bad: set[int]) -> None:
        new = bad - self.damaged
        if new:
            self.damaged |= new
            self.eset.heal.report(HealItem(self.bucket, self.key, self.eset.layout.index, tuple(sorted(new)),
                                           "shard missing or damaged"))

    def _spans(self) -> Generator[tuple[int, int, int], None, None]:
        """(segment, first, last block) of each shard file the current range touches."""
        end = self.start + self.length
        bs = self.info.block_size
        for index, (_, offset, size) in enumerate(self.segments):
            lo, hi = max(self.start, offset), min(end, offset + size)
            if lo < hi:
                yield index, (lo - offset) // bs, (hi - offset - 1) // bs

    def block_count(self) -> int:
        """How many blocks blocks() will yield for the current range."""
        return sum(last - first + 1 for _, first, last in self._spans())

    def blocks(self) -> Generator[memoryview, None, None]:
        """The requested range, a block at a time (each view valid until the next is taken)."""
        try:
            bs = self.info.block_size
            end = self.start + self.length
            for segment, first, last in list(self._spans()):
                offset = self.segments[segment][1]
                for block in range(first, last + 1):
                    view = self._decode(segment, block)
                    base = offset + block * bs
                    lo = max(self.start - base, 0)
                    hi = min(end - base, len(view))
                    yield view[lo:hi]
        finally:
            self.close()

    def read_all(self) -> bytes:
        return b"".join(bytes(v) for v in self.blocks())

    def close(self) -> None:
        for r in self.readers.values():
            r.close()
        self.readers.clear()
