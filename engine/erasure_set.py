"""Objects within one erasure set: the metadata side of PUT, GET, HEAD and DELETE.

Theory of operation
-------------------
Each drive of the set is a StorageAPI (storage.py) holding shard files and a
copy of the metadata index (SetMeta votes across them, quorum.py).  A write
streams through an ObjectWriter (writer.py) that publishes shard files first;
`commit_object` then makes the new version current on a write quorum, under
the key's lock, and only afterwards deletes the data of the version it
replaced.  A crash before that commit leaves the old object; after it, the
new one.  A read takes the version the read quorum decides (`current`), which
an ObjectReader (reader.py) serves block by block; a version held by fewer
than a write quorum is written to the other drives first (`repair`).
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from typing_extensions import Buffer

from .erasure import BlockDecoder, BlockEncoder
from .errors import ObjectNotFound, PreconditionFailed, ReadQuorumError, WriteQuorumError
from .heal import HealItem, HealQueue
from .info import ObjectInfo
from .layout import ErasureSetLayout
from .options import ObjectOptions
from .quorum import Decision, SetMeta
from .reader import ObjectReader
from .records import decode_object, encode_object, object_identity, object_json, object_key, split_object
from .storage import Ops, StorageAPI
from .writer import ObjectWriter


def check_conditions(bucket: str, key: str, current: Decision, opts: ObjectOptions) -> None:
    """Conditional writes, decided under the key lock against the version being replaced."""
    if opts.if_none_match and current.value is not None:
        raise PreconditionFailed("If-None-Match")
    if opts.if_match is not None:
        if current.value is None:
            raise ObjectNotFound(bucket, key)
        etag = decode_object(current.value).etag
        if opts.if_match.strip('"') not in (etag, "*"):
            raise PreconditionFailed("If-Match")


class ErasureSet:
    def __init__(
        self,
        layout: ErasureSetLayout,
        drives: Sequence[StorageAPI],
        *,
        block_size: int,
        inline_max: int,
        sync: bool,
        pool: ThreadPoolExecutor,
        heal: HealQueue,
    ) -> None:
        self.layout = layout
        self.drives = list(drives)
        self.k = layout.data_shards
        self.m = layout.parity_shards
        self.meta = SetMeta(self.drives, self.k, self.m)
        self.block_size = block_size
        self.inline_max = min(inline_max, block_size)
        self.sync = sync
        self.pool = pool
        self.heal = heal
        # Reading the version a write replaces and committing the new one must not
        # interleave with another write of the same key, or both would delete the
        # same old data and orphan one another's.  Striped locks cover this process;
        # across worker processes the race remains (a leak, never a loss).
        self.key_locks = [threading.RLock() for _ in range(64)]

    def key_lock(self, bucket: str, key: str) -> threading.RLock:
        return self.key_locks[zlib.crc32(f"{bucket}/{key}".encode()) % len(self.key_locks)]

    # -- metadata ---------------------------------------------------------

    def current(self, bucket: str, key: str) -> Decision:
        """The version the read quorum sees, settled on a write quorum if it was not."""
        with self.key_lock(bucket, key):
            decision = self.meta.get(object_key(bucket, key), object_identity)
            if decision.value is not None and len(decision.holders) < self.meta.write_quorum:
                self.repair(bucket, key, decision)
        self.report(bucket, key, decision)
        return decision

    def read_meta(self, bucket: str, key: str) -> tuple[ObjectInfo, Decision]:
        decision = self.current(bucket, key)
        if decision.value is None:
            raise ObjectNotFound(bucket, key)
        return decode_object(decision.value), decision

    def repair(self, bucket: str, key: str, decision: Decision) -> None:
        """Write a version held by fewer than write-quorum drives to the others.

        Only a crash in the middle of a metadata commit leaves such a version
        (or drives lost since).  Left alone, the next interrupted write could
        tip the vote back to an older version; written to the rest of the set,
        it is settled.  Inline objects carry a different shard on each drive,
        so their block is rebuilt and encoded again for the drives that lack it.
        """
        assert decision.value is not None
        meta_json, _ = split_object(decision.value)
        meta = decode_object(decision.value)
        targets = [i for i in range(len(self.drives)) if i not in decision.holders]
        frames: dict[int, bytes] = {}
        if meta.inline and meta.size:
            shards: list[Buffer | None] = []
            for drive in meta.distribution:
                reply = decision.replies[drive] if drive in decision.holders else None
                shards.append(split_object(reply)[1] if isinstance(reply, bytes) else None)
            try:
                block, _ = BlockDecoder(self.k, self.m, meta.block_size).decode(shards, meta.size)
            except ValueError:
                return  # not enough verified shards to rebuild: the healer's job
            encoder = BlockEncoder(self.k, self.m, meta.block_size)
            encoder.encode(block)
            frames = {drive: bytes(encoder.frame(s)) for s, drive in enumerate(meta.distribution)}
        okey = object_key(bucket, key)
        per_drive: list[list[tuple[bytes, bytes | None]]] = [[] for _ in self.drives]
        for i in targets:
            per_drive[i] = [(okey, encode_object(meta_json, frames.get(i, b"")))]
        self.meta.commit(per_drive, required=0)

    def commit_or_restore(self, per_drive: Sequence[Ops], before: Decision,
                          undo: dict[bytes, bytes | None] | None = None) -> None:
        """Commit a write quorum of `per_drive`, or put back what the drives held before: the
        object record as `before` saw it on each drive, any other key as `undo` gives it."""
        try:
            self.meta.commit(per_drive)
        except WriteQuorumError as exc:
            restore: list[list[tuple[bytes, bytes | None]]] = [[] for _ in self.drives]
            for i in exc.committed:
                old = before.replies[i]
                mine = old if isinstance(old, bytes) else None
                restore[i] = [(key, undo[key] if undo and key in undo else mine) for key, _ in per_drive[i]]
            self.meta.commit(restore, required=0)
            raise

    def report(self, bucket: str, key: str, decision: Decision) -> None:
        index = self.layout.index
        if decision.faulty:
            self.heal.report(HealItem(bucket, key, index, tuple(decision.faulty), "metadata"))
        if decision.stale:
            self.heal.report(HealItem(bucket, key, index, tuple(decision.stale), "stale metadata"))

    def head_object(self, bucket: str, key: str) -> ObjectInfo:
        return self.read_meta(bucket, key)[0]

    # -- PUT --------------------------------------------------------------

    def new_writer(self, bucket: str, key: str, opts: ObjectOptions, distribution: list[int]) -> ObjectWriter:
        return ObjectWriter(self, bucket, key, opts, distribution)

    def remove_data(self, data_id: str) -> None:
        """Remove a data directory from every drive, as far as each allows (a drive that fails
        keeps an orphan for the healer; the request that asked has already succeeded or failed)."""
        for drive in self.drives:
            with contextlib.suppress(OSError):
                drive.remove_data(data_id)

    def commit_object(self, bucket: str, key: str, meta: ObjectInfo, frames: dict[int, bytes],
                      drives: list[int], opts: ObjectOptions | None = None,
                      also: dict[bytes, bytes | None] | None = None) -> str | None:
        """Make `meta` the current version on `drives`; the data directory of the version it
        replaced, for the caller to remove once it has taken note that the commit happened.

        `also` maps other keys to their current values; they are deleted in the same
        transaction on every drive (a completed upload's records), or left as they were."""
        okey = object_key(bucket, key)
        meta_json = object_json(meta)
        extra = [(k, None) for k in also or ()]
        per_drive: list[list[tuple[bytes, bytes | None]]] = [list(extra) for _ in self.drives]
        for i in drives:
            per_drive[i].insert(0, (okey, encode_object(meta_json, frames.get(i, b""))))
        with self.key_lock(bucket, key):
            try:
                before = self.current(bucket, key)
            except ReadQuorumError:  # the old version is unreadable: the new one replaces it
                if opts is not None and (opts.if_match or opts.if_none_match):
                    raise
                before = Decision(None, [], replies=self.meta.read(okey))
            if opts is not None:
                check_conditions(bucket, key, before, opts)
            self.commit_or_restore(per_drive, before, also)
        if before.value is not None:
            old = decode_object(before.value)
            if old.data_id is not None and old.data_id != meta.data_id:
                return old.data_id
        return None

    # -- GET --------------------------------------------------------------

    def open_object(self, bucket: str, key: str) -> ObjectReader:
        info, decision = self.read_meta(bucket, key)
        return ObjectReader(self, bucket, key, info, decision)

    # -- DELETE -----------------------------------------------------------

    def delete_object(self, bucket: str, key: str) -> bool:
        """Remove the object; False when there was none."""
        with self.key_lock(bucket, key):
            try:
                meta, before = self.read_meta(bucket, key)
            except ObjectNotFound:
                return False
            self.commit_or_restore([[(object_key(bucket, key), None)]] * len(self.drives), before)
        if meta.data_id is not None:
            self.remove_data(meta.data_id)
        return True
