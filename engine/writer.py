"""ObjectWriter: a body streamed into one erasure set, block by block.

Theory of operation
-------------------
The body arrives in pieces of any size and is cut into blocks.  Each block goes
through BlockEncoder (hashes, k+m shards, a CRC32C per shard block) in one
compiled call.  A body that ends within the inline limit is stored inside the
metadata records (each drive keeps its own shard frame); a larger one is
appended, frame by frame, to a staged shard file on each drive (StorageAPI).
An encrypted write (encrypt()) seals each block first (sse.py: the hashes are
of the plaintext, BlockEncoder codes the sealed block, a tag longer).
Every SYNC_AHEAD bytes the staged files are synced in the pool while the next
blocks are encoded, so the sync at commit only waits for the tail.  Commit:
verify size and digests, sync and publish the shard files, and only then
commit the metadata record on the drives that hold them (ErasureSet).  A drive
that fails mid-write is dropped; the write goes on while the drives left reach
the write quorum.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from typing_extensions import Buffer

from .checksums import Hasher, to_s3
from .erasure import BlockEncoder
from .errors import ChecksumMismatch, IncompleteBody, WriteQuorumError
from .info import SHARD_FILE, ObjectInfo
from .options import Metadata, ObjectOptions
from .shardfile import encode_header
from .sse import TAG_SIZE, BlockCipher, SealedKey, object_etag
from .storage import StagedFile

if TYPE_CHECKING:
    from .erasure_set import ErasureSet

SYNC_AHEAD = 8 << 20  # bytes of body between early write-back syncs of the shard files
PutBody = Buffer | Iterable[Buffer]
R = TypeVar("R")


@runtime_checkable
class TrailingDigests(Protocol):
    """A body whose checksums arrive after it (aws-chunked trailers): asked once it has ended."""

    def trailing_digests(self) -> Mapping[str, bytes]: ...


def stream(writer: ObjectWriter, body: PutBody, commit: Callable[[Mapping[str, bytes] | None], R]) -> R:
    """Write the whole body, then `commit` with the digests that came after it; anything that
    fails before the commit (the body, its trailer) aborts the write."""
    try:
        writer.write_all(body)
        # getattr, not isinstance: a runtime-checkable Protocol check costs ~14 us on every PUT
        ask = getattr(body, "trailing_digests", None)
        trailing = ask() if ask is not None else None
    except BaseException:
        writer.abort()
        raise
    return commit(trailing)


class ObjectWriter:
    """A PUT in progress: write() pieces of the body, then commit() or abort().

    Subclasses change where the shard files go and which record the commit writes
    (multipart.PartWriter: a part of an upload); the streaming, hashing, encoding,
    early write-back and drive failure handling are the same."""

    inline_allowed = True  # may a small body live in the metadata record?
    part_name = SHARD_FILE  # the shard file's name in its data directory

    def __init__(self, eset: ErasureSet, bucket: str, key: str, opts: ObjectOptions, distribution: list[int]):
        self.eset = eset
        self.bucket = bucket
        self.key = key
        self.opts = opts
        self.dist = distribution  # shard index -> drive index
        self.encoder = BlockEncoder(eset.k, eset.m, eset.block_size)
        self.hasher = Hasher(dict.fromkeys(("md5", *opts.checksums, *opts.expected)))
        self.expected = dict(opts.expected)
        self.pending = bytearray()
        self.size = 0
        self.stage_id: str | None = None  # staging directory on each drive, once the body needs files
        self.data_id: str | None = None  # data directory where the shard files end up
        self.files: dict[int, StagedFile] = {}  # drive index -> its staged shard file
        self.inline_frames: dict[int, bytes] = {}
        self.failed: set[int] = {i for i, d in enumerate(eset.drives) if not d.online}
        self.done = False
        self.syncs: dict[int, Future[None]] = {}  # early write-back in flight
        self.synced_size = 0
        self.stored_block = eset.block_size  # a full block as coded (encrypted: with its tag)
        self.cipher: BlockCipher | None = None  # set by encrypt()
        self.sse: SealedKey | None = None
        self.object_key = b""

    def encrypt(self, sse: SealedKey, object_key: bytes) -> None:
        """Encrypt the body under `object_key` (kept in the record as `sse`); before any write."""
        self.sse, self.object_key = sse, object_key
        self.cipher = BlockCipher(object_key, self.part_name)
        self.stored_block = self.eset.block_size + TAG_SIZE
        self.encoder = BlockEncoder(self.eset.k, self.eset.m, self.stored_block)
        self.sealed = bytearray(self.stored_block)  # each block sealed here, then encoded

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

    def write_all(self, body: Buffer | Iterable[Buffer]) -> None:
        """Write a whole body: one buffer, or an iterable of pieces."""
        if isinstance(body, (bytes, bytearray, memoryview)):
            self.write(body)
        else:
            for piece in body:  # type: ignore[union-attr]
                self.write(piece)

    def _flush_block(self) -> None:
        block = self.pending
        if self.cipher is None:
            self.encoder.encode(block, self.hasher)
        else:
            self.hasher.update(block)
            self.encoder.encode(self.cipher.seal(self.size // self.eset.block_size, block, self.sealed))
        self.size += len(block)
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
            self.syncs = {d: self.eset.pool.submit(f.sync) for d, f in self.files.items()}

    def _wait_syncs(self) -> None:
        """Wait for the early syncs in flight; a drive whose sync failed is dropped."""
        syncs, self.syncs = self.syncs, {}
        failed = [drive for drive, future in syncs.items() if future.exception() is not None]
        for drive in failed:
            self._fail(drive)

    def _append(self, drive: int, data: Buffer) -> None:
        """Write all of `data` to the drive's staged file; a drive that cannot is dropped."""
        if drive in self.failed:
            return
        try:
            self.files[drive].write(data)
        except OSError:
            self._fail(drive)

    def _ensure_files(self) -> None:
        if self.stage_id is not None:
            return
        self.stage_id = uuid.uuid4().hex
        if self.data_id is None:
            self.data_id = self.stage_id  # a whole object: the staging directory becomes its data
        header = encode_header(self.stored_block, self.eset.k)
        for drive, storage in enumerate(self.eset.drives):
            if drive in self.failed:
                continue
            try:
                self.files[drive] = storage.create_staged(self.stage_id, self.part_name)
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
        staged = self.files.pop(drive, None)
        if staged is not None:
            with contextlib.suppress(OSError):
                staged.close()
        if self.stage_id is not None:
            self._remove_staged(drive)
        alive = len(self.eset.drives) - len(self.failed)
        if alive < self.eset.meta.write_quorum:
            raise WriteQuorumError(f"{alive} drives left for the write, {self.eset.meta.write_quorum} needed")

    # commit ---------------------------------------------------------------

    def seal(self, trailing: Mapping[str, bytes] | None = None) -> tuple[dict[str, bytes], list[int]]:
        """End the body and verify it (against `trailing` digests too: checksums that arrived
        after the body), publish the shard files; (digests, drives holding the shards)."""
        if self.pending:
            self._flush_block()
        if not self.inline_allowed:
            self._ensure_files()
        self.expected.update(trailing or {})
        digests = self.hasher.digests()
        self._verify(digests)
        drives = [d for d in range(len(self.eset.drives)) if d not in self.failed]
        if self.stage_id is not None:
            drives = self._publish_files()
        return digests, drives

    def commit(self, trailing: Mapping[str, bytes] | None = None) -> ObjectInfo:
        try:
            digests, drives = self.seal(trailing)
            info, replaced = self.eset.commit_object(self.bucket, self.key, self.object_info(digests),
                                                     self.inline_frames, drives, self.opts)
        except BaseException:
            self.abort()
            raise
        self.done = True  # committed: from here on nothing may remove what was written
        for data_id in replaced:
            self.eset.remove_data(data_id)
        return info

    def object_info(self, digests: dict[str, bytes]) -> ObjectInfo:
        meta = self.opts.metadata or Metadata()
        return ObjectInfo(
            size=self.size,
            etag=self.etag(digests),
            mtime_ns=time.time_ns(),
            version_id="null",  # stamped at commit (versions.py)
            content_type=meta.content_type,
            headers=meta.headers,
            user_meta=meta.user_meta,
            checksums={a: to_s3(digests[a]) for a in self.opts.checksums},
            data_shards=self.eset.k,
            parity_shards=self.eset.m,
            block_size=self.eset.block_size,
            distribution=self.dist,
            data_id=self.data_id,
            tags=dict(self.opts.tags or {}),
            acl=self.opts.acl,
            lock_mode=self.opts.lock_mode or "",
            lock_until_ns=self.opts.lock_until_ns or 0,
            legal_hold=self.opts.legal_hold,
            sse=self.sse,
        )

    def etag(self, digests: dict[str, bytes]) -> str:
        """The MD5 of the body, or what S3's rules for encrypted objects make of it (sse.py)."""
        md5 = digests["md5"]
        return md5.hex() if self.sse is None else object_etag(md5, self.sse.kind, self.object_key)

    def _verify(self, digests: dict[str, bytes]) -> None:
        if self.opts.size is not None and self.opts.size != self.size:
            raise IncompleteBody(f"body of {self.size} bytes, {self.opts.size} announced")
        for algorithm, expected in self.expected.items():
            actual = digests.get(algorithm)
            if actual != expected:
                raise ChecksumMismatch(algorithm, expected, actual or b"")

    def _publish_files(self) -> list[int]:
        """Sync the staged files and move them into place; return the drives that hold them."""
        self._wait_syncs()
        drives = sorted(self.files)
        if not drives:
            raise WriteQuorumError(f"no drive left for the write, {self.eset.meta.write_quorum} needed")
        results = list(self.eset.pool.map(self._publish, drives)) if len(drives) > 1 else [
            self._publish(drives[0])]
        ok = [d for d, good in zip(drives, results, strict=True) if good]
        if len(ok) < self.eset.meta.write_quorum:
            raise WriteQuorumError(f"shards stored on {len(ok)} drives, {self.eset.meta.write_quorum} needed")
        return ok

    def _publish(self, drive: int) -> bool:
        assert self.stage_id is not None
        staged = self.files.pop(drive)
        try:
            try:
                if self.eset.sync:
                    staged.sync()
            finally:
                staged.close()
            self._place(drive)
            return True
        except OSError:
            self._remove_staged(drive)
            return False

    def _place(self, drive: int) -> None:
        """Publish a drive's synced staging directory: it becomes the object's data."""
        assert self.stage_id is not None and self.data_id is not None
        self.eset.drives[drive].publish_staged(self.stage_id, self.data_id)

    def _discard(self) -> None:
        """Remove shard files already moved into place (the commit that follows failed)."""
        if self.data_id is not None:
            self.eset.remove_data(self.data_id)

    def abort(self) -> None:
        if self.done:
            return
        self.done = True
        for future in self.syncs.values():  # no file may close under a sync in flight
            with contextlib.suppress(OSError):
                future.result()
        self.syncs = {}
        for staged in self.files.values():
            with contextlib.suppress(OSError):
                staged.close()
        self.files.clear()
        if self.stage_id is not None:
            for drive in range(len(self.eset.drives)):
                self._remove_staged(drive)
            self._discard()

    def _remove_staged(self, drive: int) -> None:
        """Remove this write's staging directory from a drive, as far as the drive allows."""
        assert self.stage_id is not None
        with contextlib.suppress(OSError):
            self.eset.drives[drive].remove_staged(self.stage_id)
