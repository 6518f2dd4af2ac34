"""Healing: making every drive of a set hold what the set's quorum says it should.

Theory of operation
-------------------
Reads already survive damage parity covers; healing puts the redundancy back, so that a second
failure finds it there.  Its unit is one record of the ordered index (records.py):

- An object version (the key's latest record `O...`, or a noncurrent one `V...`): the read quorum
  decides the version (quorum.decide), then
  1. *data*: each drive of the version's distribution must hold every shard file of it (one, or
     one per part) with a good header and every frame.  A normal check reads the header and the
     last frame (a file cut short or missing shows there); a deep check reads every frame and
     verifies its CRC32C (MinIO's deep scan).  A shard file that fails is rebuilt whole: the
     blocks are decoded from the drives that verify, encoded again, and the lost shard's frames
     written to a staged file on the drive, published into the version's data directory (made
     if the drive lost it) only when complete.  Inline data needs no files: the frames are
     rebuilt for the record (ErasureSet.inline_frames).
  2. *metadata*: drives whose record is missing, damaged or older than the decided version get
     the decided record (with their own inline frame), by compare-and-swap on what was read, so
     a write that got there meanwhile is never overwritten.
  Data goes first, metadata last, as for any write: a crash in between leaves a shard file that
  the next pass finds in place.
- Any other record (a bucket, an identity, a policy: one value on every drive): the decided value
  is written, by compare-and-swap, to the drives that lack it or hold an older one.

What may be a write still in flight is left alone: a version held by fewer than a write quorum
is healed only once it is older than REPAIR_AFTER_NS (as ErasureSet.repair), and a drive holding
a *newer* record than the decision is never touched.  A drive that is offline cannot be healed;
it is counted.  Healing never deletes a version: a record the quorum does not hold stays where it
is (an orphan sweep is separate work).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import erasure_set
from .erasure import BlockDecoder, BlockEncoder, verify_frame
from .errors import ReadQuorumError
from .quorum import SKIP, Change, Decision, Fault, Reply, SetMeta, Skip, decide, is_tombstone
from .records import decode_object, encode_object, object_identity, object_key, split_object, version_prefix
from .shardfile import HEADER_SIZE, ShardReader, block_count, block_length, encode_header

if TYPE_CHECKING:
    from .erasure_set import ErasureSet
    from .info import ObjectInfo

Identity = Callable[[bytes], tuple[bytes, int]]
SCAN_PAGE = 1000


@dataclass
class HealResult:
    """What healing one record found and did."""

    what: str  # "bucket/key" (and " version") or the record's name
    key: str = ""  # an object version's key
    state: str = "ok"  # ok | healed | would heal (dry run) | unhealable | in flight | gone
    metadata: list[int] = field(default_factory=list)  # drives whose record was (or would be) rewritten
    data: list[int] = field(default_factory=list)  # drives whose shard files were (or would be) rebuilt
    offline: list[int] = field(default_factory=list)  # drives of the set that could not be looked at
    files: int = 0  # shard files (re)written: one per drive and part
    bytes_written: int = 0
    size: int = 0  # the object's size (0 for other records)
    detail: str = ""


@dataclass
class HealCounts:
    """Totals over many results (a heal run, a scanner cycle)."""

    scanned: int = 0
    healed: int = 0
    unhealable: int = 0
    metadata_rewritten: int = 0
    shards_rebuilt: int = 0  # shard files
    bytes_scanned: int = 0
    bytes_written: int = 0

    def add(self, result: HealResult) -> None:
        self.scanned += 1
        self.bytes_scanned += result.size
        if result.state in ("healed", "would heal"):
            self.healed += 1
        elif result.state == "unhealable":
            self.unhealable += 1
        self.metadata_rewritten += len(result.metadata)
        self.shards_rebuilt += result.files
        self.bytes_written += result.bytes_written


def _behind(reply: Reply, age: int, identity: Identity) -> bool:
    """Whether a drive's reply is one healing may replace: absent, or behind as a repair sees it
    (erasure_set.is_behind: damaged, a tombstone or a record older than `age`; never a newer one,
    which may be a write in flight)."""
    return reply is None or erasure_set.is_behind(reply, age, identity)


def _unstubbed(reply: Reply, info: ObjectInfo) -> bool:
    """Whether a drive holds the version `info` is a transition stub of (tiers.py) as it was
    before (same stamp, its data local): it missed the stub's commit, which keeps the mtime (so
    the drive is not "behind" by age).  Only for a stub on a write quorum: a commit in flight may
    still be undone."""
    if info.tier is None or not isinstance(reply, bytes) or is_tombstone(reply):
        return False
    try:
        mine = decode_object(reply)
    except ValueError:
        return False
    return mine.version_ts == info.version_ts and mine.tier is None


def keys_on_any_drive(meta: SetMeta, start: bytes, end: bytes) -> list[bytes]:
    """Every key in [start, end) that any online drive of the set holds, in order (a page of
    SCAN_PAGE at a time; a drive that cannot be listed lists nothing, the others still do)."""
    keys: set[bytes] = set()
    for drive in range(meta.size):
        after = start
        while True:
            try:
                rows = meta.scan(drive, after, end, SCAN_PAGE)
            except Exception:
                break
            keys.update(k for k, _ in rows)
            if len(rows) < SCAN_PAGE:
                break
            after = rows[-1][0] + b"\x00"
    return sorted(keys)


# -- any record ------------------------------------------------------------------------------------


def heal_record(meta: SetMeta, key: bytes, identity: Identity, *, dry_run: bool = False,
                name: str = "") -> HealResult:
    """Heal one plain record (the same bytes on every drive) of a set."""
    result = HealResult(name or key.decode(errors="replace"))
    replies = meta.read(key)
    result.offline = [i for i, r in enumerate(replies) if r is Fault.OFFLINE]
    try:
        decision = decide(replies, meta.read_quorum, identity)
    except ReadQuorumError as exc:
        result.state, result.detail = "unhealable", str(exc)
        return result
    if decision.value is None:
        return result  # absent (or deleted): nothing to spread
    if len(decision.holders) < meta.write_quorum:
        result.state = "in flight"  # a plain record has no age of its own to trust: wait for quorum
        return result
    age = identity(decision.value)[1]
    targets = [i for i, r in enumerate(replies) if i not in decision.holders and _behind(r, age, identity)]
    if targets:
        result.metadata = targets
        _write_records(meta, key, decision, {i: decision.value for i in targets}, dry_run, result)
    return result


def _write_records(meta: SetMeta, key: bytes, decision: Decision, values: dict[int, bytes],
                   dry_run: bool, result: HealResult) -> None:
    if dry_run:
        result.state = "would heal"
        return
    after: list[bytes | Skip | None] = [values.get(i, SKIP) for i in range(meta.size)]
    change = Change(key, decision.replies, after)
    done = meta.submit_each(change.expectations(), change.ops())
    landed = [i for i, ok in done.items() if ok]
    result.metadata = sorted(landed)
    result.state = "healed" if landed or result.data else result.state
    if len(landed) < len(values):
        missed = sorted(set(values) - set(landed))
        result.detail = f"record changed meanwhile on drives {missed}"


def heal_range(meta: SetMeta, start: bytes, end: bytes, identity: Identity, *, dry_run: bool = False
               ) -> list[HealResult]:
    """Heal every plain record in [start, end): the keys any online drive holds."""
    return [heal_record(meta, k, identity, dry_run=dry_run) for k in keys_on_any_drive(meta, start, end)]


# -- object versions -------------------------------------------------------------------------------


class ObjectHealer:
    """Heals the versions of objects of one erasure set (see the module docstring)."""

    def __init__(self, eset: ErasureSet, *, deep: bool = False, dry_run: bool = False) -> None:
        self.eset = eset
        self.deep = deep
        self.dry_run = dry_run

    def heal_key(self, bucket: str, key: str) -> list[HealResult]:
        """The key's latest version and every noncurrent one any drive holds."""
        results = [self.heal_version(bucket, key, object_key(bucket, key))]
        prefix = version_prefix(bucket, key)
        versions = keys_on_any_drive(self.eset.meta, prefix, prefix[:-1] + b"\x01")
        results.extend(self.heal_version(bucket, key, k) for k in versions)
        return results

    def heal_version(self, bucket: str, key: str, rkey: bytes) -> HealResult:
        eset = self.eset
        result = HealResult(f"{bucket}/{key}", key=key)
        with eset.key_lock(bucket, key):
            replies = eset.meta.read(rkey)
        result.offline = [i for i, r in enumerate(replies) if r is Fault.OFFLINE]
        try:
            decision = decide(replies, eset.meta.read_quorum, object_identity)
        except ReadQuorumError as exc:
            result.state, result.detail = "unhealable", str(exc)
            return result
        if decision.value is None:
            result.state = "gone"
            return result
        info = decode_object(decision.value)
        if info.version_id != "null" and rkey[:1] == b"V":
            result.what += f" {info.version_id}"
        result.size = info.size
        settled = len(decision.holders) >= eset.meta.write_quorum
        if not settled and time.time_ns() - info.mtime_ns < _repair_after_ns():
            result.state = "in flight"
            return result
        targets = [i for i, r in enumerate(replies) if i not in decision.holders
                   and (_behind(r, info.mtime_ns, object_identity) or (settled and _unstubbed(r, info)))]
        try:
            if info.data_id is not None and info.size:
                self._heal_data(info, result)
            frames: dict[int, bytes] = {}
            if targets and info.inline and info.size:
                frames = eset.inline_frames(info, decision)
        except ValueError as exc:
            result.state, result.detail = "unhealable", f"too few good shards: {exc}"
            return result
        if targets:
            meta_json = split_object(decision.value)[0]
            result.metadata = targets
            with eset.key_lock(bucket, key):
                _write_records(eset.meta, rkey, decision,
                               {i: encode_object(meta_json, frames.get(i, b"")) for i in targets},
                               self.dry_run, result)
        elif result.data:
            result.state = "would heal" if self.dry_run else "healed"
        return result

    # -- data --------------------------------------------------------------------------------------

    def _heal_data(self, info: ObjectInfo, result: HealResult) -> None:
        """Rebuild every shard file of `info` that is missing or fails its check."""
        assert info.data_id is not None
        k, m = info.data_shards, info.parity_shards
        bad: dict[int, set[int]] = {}  # segment -> shard indexes to rebuild
        for shard, drive in enumerate(info.distribution):
            if not self.eset.drives[drive].online:
                continue
            for segment, (name, _, size) in enumerate(info.segments()):
                if not self._shard_ok(drive, info, name, size):
                    bad.setdefault(segment, set()).add(shard)
        if not bad:
            return
        if sum(1 for d in info.distribution if self.eset.drives[d].online) < k:
            raise ValueError("fewer than k drives online")
        rebuilt: set[int] = set()
        for segment, shards in sorted(bad.items()):
            if len(shards) > m:
                raise ValueError(f"{len(shards)} of {k + m} shards of part {segment + 1} are lost")
            rebuilt |= {info.distribution[s] for s in shards}
            result.files += len(shards)
            if not self.dry_run:
                result.bytes_written += self._rebuild(info, segment, shards)
        result.data = sorted(rebuilt)

    def _shard_ok(self, drive: int, info: ObjectInfo, name: str, size: int) -> bool:
        assert info.data_id is not None
        size, bs = info.stored_length(size), info.stored_block_size  # encrypted: sealed blocks' sizes
        reader = ShardReader(self.eset.drives[drive], info.data_id, name, bs, info.data_shards)
        try:
            if reader.file is None:
                return False
            blocks = block_count(size, bs)
            wanted = range(blocks) if self.deep else [blocks - 1]
            for block in wanted:
                frame = reader.read_frame(block, block_length(block, size, bs))
                if frame is None or (self.deep and not verify_frame(frame)):
                    return False
            return True
        finally:
            reader.close()

    def _rebuild(self, info: ObjectInfo, segment: int, shards: set[int]) -> int:
        """Write shard files `shards` of one segment again from the others; bytes written."""
        assert info.data_id is not None
        eset, data_id = self.eset, info.data_id
        name, _, size = info.segments()[segment]
        size = info.stored_length(size)  # encrypted: the sealed blocks are what the shards code
        k, m, bs = info.data_shards, info.parity_shards, info.stored_block_size
        decoder, encoder = BlockDecoder(k, m, bs), BlockEncoder(k, m, bs)
        sources = {s: ShardReader(eset.drives[d], data_id, name, bs, k)
                   for s, d in enumerate(info.distribution) if s not in shards}
        stage_id = f"heal-{uuid.uuid4().hex}"
        staged = {s: eset.drives[info.distribution[s]].create_staged(stage_id, name) for s in shards}
        written = 0
        try:
            for file in staged.values():
                file.write(encode_header(bs, k))
            for block in range(block_count(size, bs)):
                blen = block_length(block, size, bs)
                frames: list[bytes | None] = [None] * (k + m)
                for s, reader in sources.items():
                    frames[s] = reader.read_frame(block, blen)
                view, _ = decoder.decode(list(frames), blen)  # ValueError: fewer than k good frames
                encoder.encode(view)
                for s, file in staged.items():
                    frame = encoder.frame(s)
                    file.write(frame)
                    written += len(frame)
            for s, file in staged.items():
                file.sync()
                file.close()
                self._publish(info.distribution[s], stage_id, name, data_id)
        finally:
            for reader in sources.values():
                reader.close()
            for s, file in staged.items():
                file.close()
                with contextlib.suppress(OSError):
                    eset.drives[info.distribution[s]].remove_staged(stage_id)
        return written + HEADER_SIZE * len(shards)

    def _publish(self, drive: int, stage_id: str, name: str, data_id: str) -> None:
        storage = self.eset.drives[drive]
        try:
            storage.list_data(data_id)
        except OSError:
            storage.make_data_dir(data_id)  # the drive lost the whole directory
        storage.publish_staged_file(stage_id, name, data_id)


def _repair_after_ns() -> int:
    return erasure_set.REPAIR_AFTER_NS  # read at call time: tests change it
