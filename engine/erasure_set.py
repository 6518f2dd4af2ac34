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
import os
import random
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from typing_extensions import Buffer

from .erasure import BlockDecoder, BlockEncoder
from .errors import ConditionalConflict, ObjectNotFound, PreconditionFailed, ReadQuorumError
from .heal import HealItem, HealQueue
from .info import DeletedObject, ObjectInfo, TierRef
from .layout import ErasureSetLayout
from .options import ObjectOptions
from .quorum import (
    SKIP,
    Change,
    Decision,
    Fault,
    Reply,
    SetMeta,
    Skip,
    is_tombstone,
    tombstone,
    tombstone_age,
)
from .reader import ObjectReader
from .records import (
    decode_object,
    encode_object,
    is_delete_marker,
    object_identity,
    object_json,
    object_key,
    split_object,
)
from .storage import StorageAPI
from .versions import Versions, delete_marker
from .writer import ObjectWriter

Also = tuple[bytes, bytes | None, bytes | None]  # (key, new, old) of a record changed alongside
SWAP_ATTEMPTS = 100  # rounds lost to concurrent writers of one key before giving up (409) ...
SWAP_SECONDS = 20.0  # ... or seconds spent trying: a write older than REPAIR_AFTER is over
# A version held by fewer than a write quorum is repaired only once it is this old: a younger one
# may be a write in flight, whose writer may still undo it or commit it again (CAIRN_REPAIR_AFTER).
REPAIR_AFTER_NS = int(float(os.environ.get("CAIRN_REPAIR_AFTER", "60")) * 1e9)


def is_behind(reply: Reply, mtime_ns: int,
              identity: Callable[[bytes], tuple[bytes, int]] = object_identity) -> bool:
    """Whether a drive's reply is a record older than `mtime_ns` (by `identity`'s age: an object
    record's by default), or a damaged one."""
    if reply is Fault.DAMAGED:
        return True
    if not isinstance(reply, bytes):
        return False
    if is_tombstone(reply):
        return tombstone_age(reply) < mtime_ns
    try:
        return identity(reply)[1] < mtime_ns
    except ValueError:
        return True


def check_conditions(bucket: str, key: str, current: Decision, opts: ObjectOptions) -> None:
    """Conditional writes, decided under the key lock against the version being replaced (a
    delete marker counts as no object)."""
    exists = current.value is not None and not is_delete_marker(current.value)
    if opts.if_none_match and exists:
        raise PreconditionFailed("If-None-Match")
    if opts.if_match is not None:
        if current.value is None or not exists:
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
        self.versions = Versions(self)
        self.on_tier_gone: Callable[[TierRef], None] | None = None  # a change drops a stub (tiers.py)

    def key_lock(self, bucket: str, key: str) -> threading.RLock:
        return self.key_locks[zlib.crc32(f"{bucket}/{key}".encode()) % len(self.key_locks)]

    # -- metadata ---------------------------------------------------------

    def current(self, bucket: str, key: str) -> Decision:
        """The version the read quorum sees, settled on a write quorum if it was not."""
        with self.key_lock(bucket, key):
            return self.settle(bucket, key, self.meta.get(object_key(bucket, key), object_identity))

    def settle(self, bucket: str, key: str, decision: Decision) -> Decision:
        """What current() does with the object record's decision once read: a version on fewer
        than a write quorum repaired, faults reported."""
        if decision.value is not None and len(decision.holders) < self.meta.write_quorum:
            with self.key_lock(bucket, key):
                self.repair(bucket, key, decision)
        self.report(bucket, key, decision)
        return decision

    def read_meta(self, bucket: str, key: str, version_id: str | None = None) -> tuple[ObjectInfo, Decision]:
        """The version a read addresses (versions.Versions.locate)."""
        _, decision, info = self.versions.locate(bucket, key, version_id)
        return info, decision

    def repair(self, bucket: str, key: str, decision: Decision) -> None:
        """Write a version held by fewer than write-quorum drives to the drives behind it.

        A crash in the middle of a metadata commit leaves such a version (or drives
        lost since).  Left alone, the next interrupted write could tip the vote back
        to an older version; written to the rest of the set, it is settled.  But a
        write still in flight looks the same, and copying it would let another
        writer replace it (and remove its data) while its own writer may still
        commit it again: so a version is repaired only once it is older than
        REPAIR_AFTER_NS (longer than any writer keeps trying, SWAP_SECONDS), and only
        onto drives holding an older version or a damaged record (an absent record
        may be a delete in flight).  Inline objects
        carry a different shard on each drive, so their block is rebuilt and
        encoded again for the drives that lack it.
        """
        assert decision.value is not None
        meta_json, _ = split_object(decision.value)
        meta = decode_object(decision.value)
        if time.time_ns() - meta.mtime_ns < REPAIR_AFTER_NS:
            return
        targets = [i for i, reply in enumerate(decision.replies)
                   if i not in decision.holders and is_behind(reply, meta.mtime_ns)]
        frames: dict[int, bytes] = {}
        if meta.inline and meta.size:
            try:
                frames = self.inline_frames(meta, decision)
            except ValueError:
                return  # not enough verified shards to rebuild: the healer's job
        after: list[bytes | Skip | None] = [SKIP] * len(self.drives)
        for i in targets:
            after[i] = encode_object(meta_json, frames.get(i, b""))
        # Each drive only from what it was seen to hold: a newer write meanwhile is left alone.
        change = Change(object_key(bucket, key), decision.replies, after)
        self.meta.submit_each(change.expectations(), change.ops())

    def inline_frames(self, meta: ObjectInfo, decision: Decision) -> dict[int, bytes]:
        """Every drive's shard frame of an inline object, rebuilt from the holders' records
        (ValueError when too few of them verify)."""
        shards: list[Buffer | None] = []
        for drive in meta.distribution:
            reply = decision.replies[drive] if drive in decision.holders else None
            shards.append(split_object(reply)[1] if isinstance(reply, bytes) else None)
        block_size = meta.stored_block_size  # an encrypted block is coded sealed, with its tag
        block, _ = BlockDecoder(self.k, self.m, block_size).decode(shards, meta.stored_length(meta.size))
        encoder = BlockEncoder(self.k, self.m, block_size)
        encoder.encode(block)
        return {drive: bytes(encoder.frame(s)) for s, drive in enumerate(meta.distribution)}

    def swap(self, bucket: str, key: str, read: Callable[[], Decision],
             make: Callable[[Decision], Change | None]) -> Decision:
        """Read a record, make the change to it from what was read (`make` raises when a condition
        fails, returns None when there is nothing to do) and apply it on a write quorum; when a
        concurrent writer, in this process or another, got in first, read again and retry.  A
        record of this change found current on the retry (an attempt not undone, a repair that
        copied it) is finished as it is, its conditions having held when it was made.  The
        decision the change was made from: what it replaced."""
        change: Change | None = None
        replaced = Decision(None, [])
        deadline = time.monotonic() + SWAP_SECONDS
        for _ in range(SWAP_ATTEMPTS):
            if time.monotonic() > deadline:
                break
            with self.key_lock(bucket, key):
                before = read()
                if change is not None and before.raw in change.values():
                    change = replace(change, before=before.replies)  # ours is current: finish it
                else:
                    change, replaced = make(before), before
                    if change is None:
                        return before
                if self.meta.change(change, lazy_collapse=True):
                    return replaced
            time.sleep(random.uniform(0.001, 0.01))
        raise ConditionalConflict(f"{bucket}/{key} kept changing under {SWAP_ATTEMPTS} attempts to write it")

    def current_or_unread(self, bucket: str, key: str, conditional: bool) -> Decision:
        """The version a write replaces: current(); when no version has a read quorum, what each
        drive holds (the write replaces them all), unless the write is conditional."""
        try:
            return self.current(bucket, key)
        except ReadQuorumError:
            if conditional:
                raise
            return Decision(None, [], replies=self.meta.read(object_key(bucket, key)))

    def report(self, bucket: str, key: str, decision: Decision) -> None:
        index = self.layout.index
        if decision.faulty:
            self.heal.report(HealItem(bucket, key, index, tuple(decision.faulty), "metadata"))
        if decision.stale:
            self.heal.report(HealItem(bucket, key, index, tuple(decision.stale), "stale metadata"))

    def head_object(self, bucket: str, key: str, version_id: str | None = None) -> ObjectInfo:
        return self.read_meta(bucket, key, version_id)[0]

    # -- PUT --------------------------------------------------------------

    def new_writer(self, bucket: str, key: str, opts: ObjectOptions, distribution: list[int]) -> ObjectWriter:
        return ObjectWriter(self, bucket, key, opts, distribution)

    def remove_data(self, data_id: str) -> None:
        """Remove a data directory from every drive, as far as each allows (a drive that fails
        keeps an orphan for the healer; the request that asked has already succeeded or failed)."""
        for drive in self.drives:
            with contextlib.suppress(OSError):
                drive.remove_data(data_id)

    def commit_object(self, bucket: str, key: str, info: ObjectInfo, frames: dict[int, bytes],
                      drives: list[int], opts: ObjectOptions | None = None,
                      also: Callable[[ObjectInfo], Sequence[Also]] | None = None,
                      requires: Callable[[], Sequence[tuple[bytes, bytes | None]]] = tuple
                      ) -> tuple[ObjectInfo, list[str]]:
        """Make `info` the latest version on `drives`, decided atomically with its conditions
        (If-None-Match, If-Match) against the version it replaces, which the bucket's versioning
        (opts.versioning) keeps as a noncurrent version or replaces (versions.py).  Returns the
        version as committed (its version id) and the data directories of the versions it
        replaced, for the caller to remove once it has taken note that the commit happened.

        `also(version)` lists (key, new, old) of other records changed in the same transaction on
        every drive (a completed upload's); `requires()` reads, for each attempt, the records that
        must still hold their values (and raises when they are gone)."""
        opts = opts or ObjectOptions()
        okey = object_key(bucket, key)
        made: list[tuple[ObjectInfo, list[str]]] = []

        def make(before: Decision) -> Change:
            check_conditions(bucket, key, before, opts)
            old = decode_object(before.value) if before.value is not None and opts.versioning else None
            final = self.versions.stamp(info, old, opts.versioning)
            meta_json = object_json(final)
            after = [encode_object(meta_json, frames.get(i, b"")) if i in drives else SKIP
                     for i in range(len(self.drives))]
            slots, gone = self.versions.displace(bucket, key, before, old, opts.versioning,
                                                 careful=bool(made))
            made[:] = [(final, [d for d in gone if d != info.data_id])]
            return Change(okey, before.replies, after, also(final) if also else (), requires(), slots)

        conditional = opts.if_match is not None or opts.if_none_match
        self.swap(bucket, key, lambda: self.current_or_unread(bucket, key, conditional), make)
        return made[0]

    # -- GET --------------------------------------------------------------

    def open_object(self, bucket: str, key: str, version_id: str | None = None) -> ObjectReader:
        info, decision = self.read_meta(bucket, key, version_id)
        return ObjectReader(self, bucket, key, info, decision)

    # -- DELETE -----------------------------------------------------------

    def delete_object(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> DeletedObject:
        """DeleteObject.  With a version id, that version goes (versions.py).  On a versioned
        bucket, a delete marker becomes the latest version.  Otherwise the object goes (If-Match:
        only the version with that ETag), its data once the delete has committed."""
        opts = opts or ObjectOptions()
        if opts.version_id is not None:
            return self.versions.delete_version(bucket, key, opts)
        if opts.versioning:
            online = [i for i, d in enumerate(self.drives) if d.online]
            marker, gone = self.commit_object(bucket, key, delete_marker(self), {}, online, opts)
            for replaced in gone:
                self.remove_data(replaced)
            return DeletedObject(key, marker.version_id, existed=True, delete_marker=True)
        okey = object_key(bucket, key)

        def make(before: Decision) -> Change | None:
            if before.value is None:
                if opts.if_match is not None:
                    raise ObjectNotFound(bucket, key)
                return None
            check_conditions(bucket, key, before, opts)
            return Change(okey, before.replies, [tombstone()] * len(self.drives))

        before = self.swap(bucket, key, lambda: self.current(bucket, key), make)
        data_id = self.replaced_data(before, None)
        if data_id is not None:
            self.remove_data(data_id)
        return DeletedObject(key, existed=before.value is not None)

    def replaced_data(self, before: Decision, kept: str | None, info: ObjectInfo | None = None) -> str | None:
        """The data directory of the version a change replaced, to remove, unless it is `kept`
        (still in use), or the version was held by fewer than a write quorum: then it may be a
        write still in flight, whose writer would commit again over data gone (it is left to
        the healer's orphan sweep instead).  `info`: the version, when the caller decoded it."""
        if before.value is None or len(before.holders) < self.meta.write_quorum:
            return None
        info = info or decode_object(before.value)
        if info.tier is not None and self.on_tier_gone is not None:  # its data is in a remote tier
            self.on_tier_gone(info.tier)
        old = info.data_id
        return old if old is not None and old != kept else None
