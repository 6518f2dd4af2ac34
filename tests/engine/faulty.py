"""FaultyDrive: a StorageAPI that wraps another and fails calls as programmed (fault injection).

MinIO's naughtyDisk (cmd/naughty-disk_test.go) is the model.  Open a layer with
`ObjectLayer.open(paths, storage=FaultyDrive)`: every drive is then a FaultyDrive over its
LocalDrive, passing each call through except those a test programmed, per drive and per
method name.  The files it hands out are wrapped too; their methods count as "staged.write",
"staged.sync", "staged.close", "shard.read_at", "shard.close", and a queued metadata write's
wait() as "pending.wait".  `calls` counts every call by that name.

- fail(method, error=None, at=1, onward=False): the `at`-th call of `method` from now raises
  `error`; with onward=True every call from that one on does (one rule per method: programming
  it again replaces it).  The default error is the one the engine expects from that kind of
  call: DriveError for metadata (meta_*, pending.wait), OSError(EIO) for files.  A metadata
  write reaches the drive below only at wait() (FaultyPending), so one that failed, at submit
  or at wait, is not applied.
- fill(free): the drive has `free` bytes left for shard files.  The staged write that needs
  more stores the prefix that fits, then raises OSError(ENOSPC): a short write(2) followed by
  ENOSPC, which is what LocalStagedFile.write meets on a full disk.
- corrupt(*methods): what these methods read comes back with a byte flipped, as if the drive's
  medium had rotted (writes land intact).
    "shard.read_at": the bytes are returned with the last one flipped.  Shard files have no
      check below the engine: each frame's CRC32C is the engine's own, so the reader must
      catch the flip.  (Of the 16-byte header the last byte is reserved and unchecked, so a
      corrupt drive's shard files still open: the per-frame check is what is exercised.)
    "meta_get", "meta_scan": the flip is made in the record as the drive stores it (framed by
      metajobs.frame) and the drive's own check, metajobs.unframe, judges it, as on a real
      drive: meta_get raises RecordDamaged, meta_scan yields the row with value None.  A
      LocalDrive never hands the engine a record's bytes unchecked, so returning flipped
      bytes would model a drive that cannot exist here, and what the engine made of them
      would depend on where the flip landed (JSON parsing, the vote's identity grouping, an
      inline frame's CRC) rather than on its rules.  Seen as damaged, the vote counts the
      drive as faulty and reports it: the engine's real path for rotten metadata.  A
      compare-and-swap that expects a damaged record there finds one (meta_submit_cas).
- go_offline(): `online` is False and every call fails.
- clear(): no fault any more.

close() of the drive always closes the drive below it, and a wrapped file's close() always
closes the file below before raising a programmed fault, so tests leak nothing.
"""

from __future__ import annotations

import errno
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from typing_extensions import Buffer

from cairn.engine.api import StorageWrapper
from cairn.engine.errors import DriveError, RecordDamaged
from cairn.engine.metajobs import frame, unframe
from cairn.engine.storage import Expectation, Expected, Ops, Pending, ShardFile, StagedFile, StorageAPI

META_CALLS = ("meta_get", "meta_scan", "meta_submit", "meta_submit_cas", "pending.wait")


@dataclass
class Rule:
    """Fail the calls numbered [first, last] of a method (last None: no end)."""

    first: int
    last: int | None
    error: BaseException


def flip_last(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF]) if data else data


def rotten(value: bytes | None) -> bytes | None:
    """What the drive reads back of record `value` once a byte of it flipped where it is stored:
    the store's framing check sees the damage (None), as metastore.get/scan would."""
    if value is None:
        return None  # nothing stored, nothing to rot
    stored = bytearray(frame(value))
    stored[len(stored) // 2] ^= 0xFF
    return unframe(bytes(stored))


class FaultyDrive:
    """A StorageAPI over `inner` that fails calls as programmed (see the module docstring)."""

    def __init__(self, inner: StorageAPI) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()
        self.rules: dict[str, Rule] = {}
        self.corrupted: set[str] = set()
        self.free: int | None = None  # bytes shard files may still take (None: no limit)
        self.down = False
        self.seen_online = inner.online  # as the last check() saw it
        self._lock = threading.Lock()

    # -- programming ------------------------------------------------------------------------

    def fail(self, method: str, error: BaseException | None = None, *, at: int = 1,
             onward: bool = False) -> None:
        assert at >= 1
        first = self.calls[method] + at
        self.rules[method] = Rule(first, None if onward else first, error or self.error(method, "fault"))

    def fill(self, free: int) -> None:
        self.free = free

    def corrupt(self, *methods: str) -> None:
        assert set(methods) <= {"shard.read_at", "meta_get", "meta_scan"}, methods
        self.corrupted.update(methods)

    def go_offline(self) -> None:
        self.down = True

    def clear(self) -> None:
        self.rules.clear()
        self.corrupted.clear()
        self.free, self.down = None, False

    # -- the machinery ----------------------------------------------------------------------

    def error(self, method: str, why: str) -> BaseException:
        message = f"injected {why} in {method}"
        if method in META_CALLS:
            return DriveError(self.name, message)
        return OSError(errno.EIO, message)

    def enter(self, method: str) -> None:
        """Count a call of `method`; raise if it is programmed to fail."""
        with self._lock:
            self.calls[method] += 1
            n = self.calls[method]
        if self.down:
            raise self.error(method, "offline")
        rule = self.rules.get(method)
        if rule is not None and rule.first <= n and (rule.last is None or n <= rule.last):
            raise rule.error.with_traceback(None)

    def take_space(self, wanted: int) -> int:
        """How many of `wanted` bytes still fit on the drive (and take them)."""
        with self._lock:
            if self.free is None:
                return wanted
            got = min(wanted, self.free)
            self.free -= got
            return got

    # -- StorageAPI: state ------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def online(self) -> bool:
        return not self.down and self.inner.online

    @property
    def problem(self) -> str:
        return "offline (injected)" if self.down else self.inner.problem

    def check(self) -> bool:
        """Look again (the drive below too, unless offline); True if `online` changed since."""
        if not self.down:
            self.inner.check()
        was, self.seen_online = self.seen_online, self.online
        return self.seen_online != was

    # -- StorageAPI: shard files ------------------------------------------------------------

    def create_staged(self, stage_id: str, name: str) -> StagedFile:
        self.enter("create_staged")
        return FaultyStagedFile(self, self.inner.create_staged(stage_id, name))

    def remove_staged(self, stage_id: str) -> None:
        self.enter("remove_staged")
        self.inner.remove_staged(stage_id)

    def publish_staged(self, stage_id: str, data_id: str) -> None:
        self.enter("publish_staged")
        self.inner.publish_staged(stage_id, data_id)

    def publish_staged_file(self, stage_id: str, name: str, data_id: str) -> None:
        self.enter("publish_staged_file")
        self.inner.publish_staged_file(stage_id, name, data_id)

    def make_data_dir(self, data_id: str) -> None:
        self.enter("make_data_dir")
        self.inner.make_data_dir(data_id)

    def open_shard(self, data_id: str, name: str) -> ShardFile:
        self.enter("open_shard")
        return FaultyShardFile(self, self.inner.open_shard(data_id, name))

    def list_data(self, data_id: str) -> list[str]:
        self.enter("list_data")
        return self.inner.list_data(data_id)

    def list_data_files(self, data_id: str) -> list[tuple[str, float]]:
        self.enter("list_data_files")
        return self.inner.list_data_files(data_id)

    def remove_data_files(self, data_id: str, names: Sequence[str]) -> None:
        self.enter("remove_data_files")
        self.inner.remove_data_files(data_id, names)

    def remove_data(self, data_id: str) -> None:
        self.enter("remove_data")
        self.inner.remove_data(data_id)

    def list_data_ids(self) -> list[tuple[str, float]]:
        self.enter("list_data_ids")
        return self.inner.list_data_ids()

    def list_staged(self) -> list[tuple[str, float]]:
        self.enter("list_staged")
        return self.inner.list_staged()

    # -- StorageAPI: metadata ---------------------------------------------------------------

    def meta_get(self, key: bytes) -> bytes | None:
        self.enter("meta_get")
        value = self.inner.meta_get(key)
        if value is not None and "meta_get" in self.corrupted:
            value = rotten(value)
            if value is None:
                raise RecordDamaged(key)
        return value

    def meta_get_many(self, keys: Sequence[bytes], first: tuple[bytes, bytes | None, bytes] | None = None
                      ) -> tuple[dict[bytes, bytes | None], bytes | None]:
        self.enter("meta_get")  # a read of records, failing and rotting as meta_get does
        found, head = self.inner.meta_get_many(keys, first)
        if "meta_get" in self.corrupted:
            found = {k: None if v is None else rotten(v) for k, v in found.items()}
        return found, head

    def meta_scan(self, start: bytes, end: bytes | None, limit: int) -> list[tuple[bytes, bytes | None]]:
        self.enter("meta_scan")
        rows = self.inner.meta_scan(start, end, limit)
        if "meta_scan" in self.corrupted:
            rows = [(key, rotten(value)) for key, value in rows]
        return rows

    def meta_submit(self, ops: Ops) -> Pending:
        self.enter("meta_submit")
        return FaultyPending(self, lambda: self.inner.meta_submit(ops))

    def meta_submit_cas(self, expect: Sequence[tuple[bytes, Expected]], ops: Ops,
                        lazy: bool = False) -> Pending:
        self.enter("meta_submit_cas")
        if lazy:  # nobody waits for it: handed down at once
            return self.inner.meta_submit_cas(self.as_stored(expect), ops, lazy)
        return FaultyPending(self, lambda: self.inner.meta_submit_cas(self.as_stored(expect), ops, lazy))

    def as_stored(self, expect: Sequence[tuple[bytes, Expected]]) -> list[tuple[bytes, Expected]]:
        """A rotten drive's records are damaged for its compare-and-swaps too, as for its reads:
        expecting DAMAGED there means expecting what the drive below really holds."""
        if "meta_get" not in self.corrupted:
            return list(expect)
        return [(k, self.inner.meta_get(k) if v is Expectation.DAMAGED else v) for k, v in expect]

    def meta_rows_read(self) -> int:
        return self.inner.meta_rows_read()

    def close(self) -> None:
        self.inner.close()


class FaultyStagedFile:
    def __init__(self, drive: FaultyDrive, inner: StagedFile) -> None:
        self.drive, self.inner = drive, inner

    def write(self, data: Buffer) -> None:
        self.drive.enter("staged.write")
        view = memoryview(data).cast("B")
        fits = self.drive.take_space(view.nbytes)
        if fits < view.nbytes:
            if fits:
                self.inner.write(view[:fits])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.inner.write(view)

    def sync(self) -> None:
        self.drive.enter("staged.sync")
        self.inner.sync()

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.drive.enter("staged.close")


class FaultyShardFile:
    def __init__(self, drive: FaultyDrive, inner: ShardFile) -> None:
        self.drive, self.inner = drive, inner

    def read_at(self, length: int, offset: int) -> bytes:
        self.drive.enter("shard.read_at")
        data = self.inner.read_at(length, offset)
        return flip_last(data) if "shard.read_at" in self.drive.corrupted else data

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.drive.enter("shard.close")


class FaultyPending:
    """A metadata write handed to the drive below only at wait(), so that a "pending.wait"
    fault means the write failed on this drive: it is not applied."""

    def __init__(self, drive: FaultyDrive, submit: Callable[[], Pending]) -> None:
        self.drive, self.submit = drive, submit

    def wait(self) -> bool:
        self.drive.enter("pending.wait")
        return self.submit().wait()


# What ObjectLayer.open(storage=...) takes: mypy checks FaultyDrive is a whole StorageAPI.
_wrapper: StorageWrapper = FaultyDrive
