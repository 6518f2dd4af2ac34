"""Objects within one erasure set: streamed PUT, verified GET, HEAD, DELETE.

Theory of operation
-------------------
PUT: the body arrives in pieces of any size and is cut into blocks.  Each
block goes through BlockEncoder (hashes, k+m shards, a CRC32C per shard
block) in one compiled call.  A body that ends within the inline limit is
stored inside the metadata records (each drive keeps its own shard frame);
a larger one is appended, frame by frame, to `part.1` in a staging directory
`tmp/<data_id>/` on each drive.  Commit: verify size and digests, fsync the
shard files, rename the staging directory to `data/<aa>/<data_id>`, fsync,
and only then commit the metadata record on the drives that hold the shards.
A crash before that commit leaves the old object; after it, the new one.
A drive that fails mid-write is dropped; the write goes on while the drives
left reach the write quorum.

GET: the read quorum decides which metadata version is current and which
drives hold it.  Each block needed for the range is rebuilt from the data
shards when they verify, else from whatever k verified frames exist; damage
is reported to the heal queue, and beyond parity the read fails with
DataCorrupted rather than returning bytes it could not verify.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import uuid
import zlib
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from typing_extensions import Buffer

from .checksums import Hasher, to_s3
from .drives import Drive, ErasureSetLayout
from .erasure import BlockDecoder, BlockEncoder
from .errors import (
    ChecksumMismatch,
    DataCorrupted,
    IncompleteBody,
    InvalidRange,
    ObjectNotFound,
    PreconditionFailed,
    ReadQuorumError,
    WriteQuorumError,
)
from .heal import HealItem, HealQueue
from .quorum import Decision, Ops, SetMeta
from .records import ObjectMeta, encode_object, object_identity, object_key, split_object
from .shardfile import (
    PART_NAME,
    ShardReader,
    block_length,
    encode_header,
)


@dataclass
class PutOptions:
    content_type: str = "binary/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    user_meta: dict[str, str] = field(default_factory=dict)
    size: int | None = None  # announced size; a different body size is IncompleteBody
    expected: dict[str, bytes] = field(default_factory=dict)  # algorithm -> digest the client sent
    checksums: tuple[str, ...] = ()  # S3 checksum algorithms to compute and store
    if_none_match: bool = False  # If-None-Match: *  -- only if no object exists
    if_match: str | None = None  # If-Match: <etag>  -- only over this exact version


SYNC_AHEAD = 8 << 20  # bytes of body between early write-back syncs of the shard files


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def data_path(drive: Drive, data_id: str) -> str:
    return os.path.join(drive.data_dir, data_id[:2], data_id)


def check_conditions(bucket: str, key: str, current: Decision, opts: PutOptions) -> None:
    """Conditional writes, decided under the key lock against the version being replaced."""
    if opts.if_none_match and current.value is not None:
        raise PreconditionFailed("If-None-Match")
    if opts.if_match is not None:
        if current.value is None:
            raise ObjectNotFound(bucket, key)
        etag = ObjectMeta.from_json(split_object(current.value)[0]).etag
        if opts.if_match.strip('"') not in (etag, "*"):
            raise PreconditionFailed("If-Match")


class ErasureSet:
    def __init__(
        self,
        layout: ErasureSetLayout,
        meta: SetMeta,
        *,
        block_size: int,
        inline_max: int,
        sync: bool,
        pool: ThreadPoolExecutor,
        heal: HealQueue,
    ) -> None:
        self.layout = layout
        self.drives = layout.drives
        self.k = layout.data_shards
        self.m = layout.parity_shards
        self.meta = meta
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

    def read_meta(self, bucket: str, key: str) -> tuple[ObjectMeta, Decision]:
        decision = self.current(bucket, key)
        if decision.value is None:
            raise ObjectNotFound(bucket, key)
        meta_json, _ = split_object(decision.value)
        return ObjectMeta.from_json(meta_json), decision

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
        meta = ObjectMeta.from_json(meta_json)
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

    def head_object(self, bucket: str, key: str) -> ObjectMeta:
        return self.read_meta(bucket, key)[0]

    # -- PUT --------------------------------------------------------------

    def new_writer(self, bucket: str, key: str, opts: PutOptions, distribution: list[int]) -> ObjectWriter:
        return ObjectWriter(self, bucket, key, opts, distribution)

    def remove_data(self, data_id: str) -> None:
        for drive in self.drives:
            shutil.rmtree(data_path(drive, data_id), ignore_errors=True)

    def commit_object(self, bucket: str, key: str, meta: ObjectMeta, frames: dict[int, bytes],
                      drives: list[int], opts: PutOptions | None = None,
                      also: dict[bytes, bytes | None] | None = None) -> None:
        """Make `meta` the current version on `drives`; delete the data it replaces.

        `also` maps other keys to their current values; they are deleted in the same
        transaction on every drive (a completed upload's records), or left as they were."""
        okey = object_key(bucket, key)
        meta_json = meta.to_json()
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
            old = ObjectMeta.from_json(split_object(before.value)[0])
            if old.data_id is not None and old.data_id != meta.data_id:
                self.remove_data(old.data_id)

    # -- GET --------------------------------------------------------------

    def open_object(self, bucket: str, key: str, start: int = 0, length: int | None = None) -> ObjectReader:
        meta, decision = self.read_meta(bucket, key)
        reader = ObjectReader(self, bucket, key, meta, decision, 0, meta.size)
        if start or length is not None:
            reader.restrict(start, meta.size - start if length is None else length)
        return reader

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


class ObjectWriter:
    """A PUT in progress: write() pieces of the body, then commit() or abort().

    Subclasses change where the shard files go and which record the commit writes
    (engine/multipart.py: a part of an upload); the streaming, hashing, encoding,
    early write-back and drive failure handling are the same."""

    inline_allowed = True  # may a small body live in the metadata record?
    part_name = PART_NAME  # the shard file's name in its data directory

    def __init__(self, eset: ErasureSet, bucket: str, key: str, opts: PutOptions, distribution: list[int]):
        self.eset = eset
        self.bucket = bucket
        self.key = key
        self.opts = opts
        self.dist = distribution  # shard index -> drive index
        self.encoder = BlockEncoder(eset.k, eset.m, eset.block_size)
        self.hasher = Hasher(dict.fromkeys(("md5", *opts.checksums, *opts.expected)))
        self.pending = bytearray()
        self.size = 0
        self.stage_id: str | None = None  # tmp/<stage_id>/ on each drive, once the body needs files
        self.data_id: str | None = None  # data/<aa>/<data_id>/, where the shard files end up
        self.files: dict[int, int] = {}  # drive index -> fd of its staging part file
        self.inline_frames: dict[int, bytes] = {}
        self.failed: set[int] = {i for i, d in enumerate(eset.drives) if not d.online}
        self.done = False
        # Write-back started early: every SYNC_AHEAD bytes the shard files are
        # fdatasync'ed in the pool while the next blocks are hashed and encoded,
        # so the sync at commit only waits for the tail.
        self.syncs: dict[int, Future[None]] = {}
        self.synced_size = 0

    # body ---------------------------------------------------------------

    def write(self, data: Buffer) -> None:
        view = memoryview(data).cast("B")
        bs = self.eset.block_size
        while view.nbytes:
            room = bs - len(self.pending)
            self.pending += view[:room]
            view = view[room:]
            if len(self.pending) == bs:
                self._flush_block()

    def _flush_block(self) -> None:
        block = self.pending
        self.size += len(block)
        self.encoder.encode(block, self.hasher)
        self.pending = bytearray()
        if self.stage_id is None and self.inline_allowed and self.size <= self.eset.inline_max:
            # Still small enough to live in the metadata record (one block at most).
            self.inline_frames = {self.dist[s]: bytes(self.encoder.frame(s)) for s in range(len(self.dist))}
            return
        self._ensure_files()
        for s, drive in enumerate(self.dist):
            self._append(drive, self.encoder.frame(s))
        if self.eset.sync and self.size - self.synced_size >= SYNC_AHEAD:
            self._wait_syncs()
            self.synced_size = self.size
            self.syncs = {d: self.eset.pool.submit(os.fdatasync, fd) for d, fd in self.files.items()}

    def _wait_syncs(self) -> None:
        """Wait for the early syncs in flight; a drive whose sync failed is dropped."""
        syncs, self.syncs = self.syncs, {}
        failed = [drive for drive, future in syncs.items() if future.exception() is not None]
        for drive in failed:
            self._fail(drive)

    def _append(self, drive: int, data: Buffer) -> None:
        """Write all of `data` to the drive's staging file; a drive that cannot is dropped."""
        if drive in self.failed:
            return
        view = memoryview(data)
        try:
            while view.nbytes:
                written = os.write(self.files[drive], view)
                if written <= 0:
                    raise OSError("no progress writing a shard")
                view = view[written:]
        except OSError:
            self._fail(drive)

    def _ensure_files(self) -> None:
        if self.stage_id is not None:
            return
        self.stage_id = uuid.uuid4().hex
        if self.data_id is None:
            self.data_id = self.stage_id  # a whole object: the staging directory becomes its data
        header = encode_header(self.eset.block_size, self.eset.k)
        for drive in range(len(self.eset.drives)):
            if drive in self.failed:
                continue
            try:
                # mkdir, not makedirs: a drive whose directory vanished (unmounted) is
                # failed here, never silently re-created on the root filesystem.
                staging = os.path.join(self.eset.drives[drive].tmp_dir, self.stage_id)
                os.mkdir(staging)
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
                self.files[drive] = os.open(os.path.join(staging, self.part_name), flags, 0o644)
            except OSError:
                self._fail(drive)
                continue
            self._append(drive, header)
        if self.inline_frames:  # the first block was held back as inline; it goes to the files first
            frames, self.inline_frames = self.inline_frames, {}
            for drive, frame in frames.items():
                self._append(drive, frame)

    def _fail(self, drive: int) -> None:
        self.failed.add(drive)
        fd = self.files.pop(drive, None)
        if fd is not None:
            os.close(fd)
        if self.stage_id is not None:
            shutil.rmtree(os.path.join(self.eset.drives[drive].tmp_dir, self.stage_id), ignore_errors=True)
        alive = len(self.eset.drives) - len(self.failed)
        if alive < self.eset.meta.write_quorum:
            raise WriteQuorumError(f"{alive} drives left for the write, {self.eset.meta.write_quorum} needed")

    # commit ---------------------------------------------------------------

    def seal(self) -> tuple[dict[str, bytes], list[int]]:
        """End the body: verify it, publish the shard files; (digests, drives holding the shards)."""
        if self.pending:
            self._flush_block()
        if not self.inline_allowed:
            self._ensure_files()
        digests = self.hasher.digests()
        self._verify(digests)
        drives = [d for d in range(len(self.eset.drives)) if d not in self.failed]
        if self.stage_id is not None:
            drives = self._publish_files()
        return digests, drives

    def commit(self) -> ObjectMeta:
        try:
            digests, drives = self.seal()
            meta = ObjectMeta(
                size=self.size,
                etag=digests["md5"].hex(),
                mtime_ns=time.time_ns(),
                version_id=uuid.uuid4().hex,
                content_type=self.opts.content_type,
                headers=self.opts.headers,
                user_meta=self.opts.user_meta,
                checksums={a: to_s3(digests[a]) for a in self.opts.checksums},
                data_shards=self.eset.k,
                parity_shards=self.eset.m,
                block_size=self.eset.block_size,
                distribution=self.dist,
                data_id=self.data_id,
            )
            self.eset.commit_object(self.bucket, self.key, meta, self.inline_frames, drives, self.opts)
            self.done = True
            return meta
        except BaseException:
            self.abort()
            raise

    def _verify(self, digests: dict[str, bytes]) -> None:
        if self.opts.size is not None and self.opts.size != self.size:
            raise IncompleteBody(f"body of {self.size} bytes, {self.opts.size} announced")
        for algorithm, expected in self.opts.expected.items():
            if digests[algorithm] != expected:
                raise ChecksumMismatch(algorithm, expected, digests[algorithm])

    def _publish_files(self) -> list[int]:
        """fsync the staging files, move them into place; return the drives that hold them."""
        assert self.stage_id is not None
        stage_id = self.stage_id
        self._wait_syncs()

        def publish(drive: int) -> bool:
            d = self.eset.drives[drive]
            fd = self.files.pop(drive)
            staging = os.path.join(d.tmp_dir, stage_id)
            try:
                try:
                    if self.eset.sync:
                        os.fdatasync(fd)
                finally:
                    os.close(fd)
                self._place(d, staging)
                return True
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
                return False

        drives = sorted(self.files)
        results = list(self.eset.pool.map(publish, drives)) if len(drives) > 1 else [publish(drives[0])]
        ok = [d for d, good in zip(drives, results, strict=True) if good]
        if len(ok) < self.eset.meta.write_quorum:
            raise WriteQuorumError(f"shards stored on {len(ok)} drives, {self.eset.meta.write_quorum} needed")
        return ok

    def _place(self, drive: Drive, staging: str) -> None:
        """Move a drive's synced staging directory into place: it becomes the object's data."""
        assert self.data_id is not None
        final = data_path(drive, self.data_id)
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.dirname(final))  # data/<aa>; data/ itself must exist
        if self.eset.sync:
            fsync_dir(staging)
        os.rename(staging, final)
        if self.eset.sync:
            fsync_dir(os.path.dirname(final))

    def _discard(self) -> None:
        """Remove shard files already moved into place (the commit that follows failed)."""
        if self.data_id is not None:
            self.eset.remove_data(self.data_id)

    def abort(self) -> None:
        if self.done:
            return
        self.done = True
        for future in self.syncs.values():  # no fd may close under a sync in flight
            with contextlib.suppress(OSError):
                future.result()
        self.syncs = {}
        for fd in self.files.values():
            os.close(fd)
        self.files.clear()
        if self.stage_id is not None:
            for d in self.eset.drives:
                shutil.rmtree(os.path.join(d.tmp_dir, self.stage_id), ignore_errors=True)
            self._discard()


class ObjectReader:
    """A GET in progress: iterate blocks() for the bytes of the requested range."""

    def __init__(self, eset: ErasureSet, bucket: str, key: str, meta: ObjectMeta, decision: Decision,
                 start: int, length: int) -> None:
        self.eset = eset
        self.bucket = bucket
        self.key = key
        self.meta = meta
        self.start = start
        self.length = length
        self.holders = set(decision.holders)
        self.decision = decision
        self.decoder = BlockDecoder(meta.data_shards, meta.parity_shards, meta.block_size)
        self.segments = meta.segments()  # (shard file, offset, size): one, or one per part
        self.readers: dict[tuple[int, int], ShardReader] = {}  # (drive, segment) -> open shard file
        self.damaged: set[int] = set()

    def _frame(self, shard: int, segment: int, block: int, block_len: int) -> bytes | None:
        drive = self.meta.distribution[shard]
        if drive not in self.holders:
            return None
        if self.meta.data_id is None:
            value = self.decision.replies[drive]
            return split_object(value)[1] if isinstance(value, bytes) else None
        reader = self.readers.get((drive, segment))
        if reader is None:
            for other in [k for k in self.readers if k[1] != segment]:  # one part's files open at a time
                self.readers.pop(other).close()
            name = self.segments[segment][0]
            path = os.path.join(data_path(self.eset.drives[drive], self.meta.data_id), name)
            reader = ShardReader(path, self.meta.block_size, self.meta.data_shards)
            self.readers[drive, segment] = reader
        return reader.read_frame(block, block_len)

    def _decode(self, segment: int, block: int) -> memoryview:
        meta = self.meta
        n = meta.data_shards + meta.parity_shards
        blen = block_length(block, self.segments[segment][2], meta.block_size)
        frames: list[bytes | None] = [None] * n
        for s in range(meta.data_shards):
            frames[s] = self._frame(s, segment, block, blen)
        try:
            if all(f is not None for f in frames[: meta.data_shards]):
                view, damaged = self.decoder.decode(list(frames), blen)
                return view
        except ValueError:
            pass
        for s in range(meta.data_shards, n):
            frames[s] = self._frame(s, segment, block, blen)
        try:
            view, damaged = self.decoder.decode(list(frames), blen)
        except ValueError as exc:
            where = f"part {segment + 1} block {block}" if meta.parts else f"block {block}"
            raise DataCorrupted(f"{self.bucket}/{self.key} {where}: {exc}") from None
        bad = {meta.distribution[s] for s in damaged} | {
            meta.distribution[s] for s in range(n) if frames[s] is None
        }
        new = bad - self.damaged
        if new:
            self.damaged |= new
            self.eset.heal.report(HealItem(self.bucket, self.key, self.eset.layout.index, tuple(sorted(new)),
                                           "shard missing or damaged"))
        return view

    def restrict(self, start: int, length: int) -> None:
        """Serve bytes [start, start+length) instead (InvalidRange when outside the object)."""
        size = self.meta.size
        if start < 0 or length < 0 or start + length > size or not (start < size or start == length == 0):
            raise InvalidRange(size)
        self.start, self.length = start, length

    def _spans(self) -> Generator[tuple[int, int, int], None, None]:
        """(segment, first, last block) of each shard file the current range touches."""
        end = self.start + self.length
        bs = self.meta.block_size
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
            bs = self.meta.block_size
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

