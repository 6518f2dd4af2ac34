"""The metadata store's records and write jobs: how a value is framed on disk, and the units
of work the committer thread applies (a batch of puts and deletes, a compare-and-swap).

Every stored value is ``MAGIC + payload + crc32(MAGIC + payload)``: SQLite pages carry no
checksum, so a value that is short, has an unknown magic or a bad crc is *damaged*.
"""

from __future__ import annotations

import sqlite3
import threading

from ._checksums import crc32  # zlib's CRC-32, through ISA-L: twice as fast on a 4 KiB record
from .errors import DriveError, RecordDamaged
from .storage import AnyOf, Expectation, Expected

MAGIC = b"CRM1"
DAMAGED = Expectation.DAMAGED
WAIT_POLL_S = 1.0
UPSERT = "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v"
DELETE = "DELETE FROM kv WHERE k = ?"
SELECT = "SELECT v FROM kv WHERE k = ?"
_MAGIC_CRC = crc32(MAGIC)


# --- record framing -----------------------------------------------------------------------------


def frame(payload: bytes) -> bytes:
    """Version 1 framing: MAGIC + payload + crc32(MAGIC + payload), big-endian."""
    crc = crc32(payload, _MAGIC_CRC)
    return b"".join((MAGIC, payload, crc.to_bytes(4, "big")))


def unframe(stored: object) -> bytes | None:
    """The payload of a stored value, or None when the value is damaged."""
    if not isinstance(stored, bytes) or len(stored) < len(MAGIC) + 4:
        return None
    if stored[: len(MAGIC)] != MAGIC:  # unknown (or future) format: refuse, never guess
        return None
    view = memoryview(stored)
    if crc32(view[:-4]) != int.from_bytes(view[-4:], "big"):
        return None
    return stored[len(MAGIC) : -4]


def as_bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, not {type(value).__name__}")


# --- queued write jobs --------------------------------------------------------------------------


class Job:
    """A unit of work for the committer; the caller blocks in ``wait``."""

    __slots__ = ("_done", "_error", "_finished", "_outcome")

    def __init__(self) -> None:
        self._done = threading.Lock()
        self._done.acquire()
        self._finished = False
        self._outcome = False
        self._error: BaseException | None = None

    def apply(self, conn: sqlite3.Connection) -> bool:
        raise NotImplementedError

    def finish(self, outcome: bool) -> None:
        if not self._finished:
            self._finished, self._outcome = True, outcome
            self._done.release()

    def fail(self, error: BaseException) -> None:
        if not self._finished:
            self._finished, self._error = True, error
            self._done.release()

    def wait(self, committer: threading.Thread, drive: str) -> bool:
        while not self._done.acquire(timeout=WAIT_POLL_S):
            if not committer.is_alive() and not self._finished:
                raise DriveError(drive, "metadata committer stopped")
        if self._error is not None:
            raise self._error
        return self._outcome


class PendingCommit:
    """A queued job; ``wait()`` returns its outcome once it is durable (a batch: True; a
    compare-and-swap: whether it swapped), or raises its DriveError."""

    __slots__ = ("_committer", "_drive", "_job")

    def __init__(self, job: Job, committer: threading.Thread, drive: str) -> None:
        self._job, self._committer, self._drive = job, committer, drive

    def wait(self) -> bool:
        return self._job.wait(self._committer, self._drive)


class Batch(Job):
    __slots__ = ("ops",)

    def __init__(self, ops: list[tuple[bytes, bytes | None]]) -> None:
        super().__init__()
        self.ops = ops  # values already framed

    def apply(self, conn: sqlite3.Connection) -> bool:
        for key, stored in self.ops:
            if stored is None:
                conn.execute(DELETE, (key,))
            else:
                conn.execute(UPSERT, (key, stored))
        return True


class Cas(Batch):
    """A batch applied only if every expected key holds its expected value (None: absent;
    DAMAGED: a record that fails its check); `apply` says whether it was."""

    __slots__ = ("expect",)

    def __init__(self, expect: list[tuple[bytes, Expected]], ops: list[tuple[bytes, bytes | None]]) -> None:
        super().__init__(ops)
        self.expect = expect

    def apply(self, conn: sqlite3.Connection) -> bool:
        for key, expected in self.expect:
            row = conn.execute(SELECT, (key,)).fetchone()
            current = None if row is None else unframe(row[0])
            if row is not None and current is None:
                if expected is not DAMAGED:
                    raise RecordDamaged(key)
            elif not matches(current, expected):
                return False
        return super().apply(conn)


def matches(current: bytes | None, expected: Expected) -> bool:
    """Whether a record that is not damaged holds what a compare-and-swap expects."""
    if isinstance(expected, AnyOf):
        return current in expected.values
    return expected is not DAMAGED and current == expected


class GroupFailed(Exception):
    """A failure that belongs to no single job: every job of the group gets it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
