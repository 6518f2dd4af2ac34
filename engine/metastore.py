"""One drive's copy of the metadata: an ordered bytes -> bytes index in SQLite.

Theory of operation
-------------------
Each drive holds one SQLite database in WAL mode (metadb.py): an ordered map of
BLOB keys to BLOB values, in the bytewise order the layers above rely on.  Keys
are therefore always bound as ``bytes`` (a ``str`` would be stored as TEXT and
sort before every BLOB).  Higher layers replicate records across drives and
vote; this module knows about one drive only.

Records are framed with a checksum (metajobs.py); a damaged one makes ``get``
raise ``RecordDamaged`` and ``scan`` yield ``(key, None)`` so listings go on.

Writes.  Callers never touch SQLite to write.  ``submit`` (a batch) and
``submit_cas`` (a compare-and-swap) frame their values in the caller's thread
and queue a job (metajobs.py) whose ``wait()`` blocks for the outcome.  One
committer thread per store takes *every* job queued so far, applies them in
queue order inside one ``BEGIN IMMEDIATE ... COMMIT`` and wakes the waiters,
so N concurrent callers share one fsync (group commit).  A *lazy* job (a
change whose loss in a crash is harmless, such as removing a tombstone) waits
for the next group instead of paying an fsync of its own, LAZY_SECONDS at most.
Every process serving a drive has its own committer (a server's workers each open the
store), and SQLite lets one writer in at a time: a committer that finds the write lock taken
sleeps in SQLite's busy handler (1, 2, 5 ... 100 ms steps), which measured p99 commit waits of
25 ms and stalls of 0.8 s with two processes.  So the committers first take an exclusive
``flock`` on ``meta.db.writer`` beside the database, which the kernel hands over the moment its
holder lets go; while one group commits, the next group grows.  If the
group transaction fails it is rolled back and the jobs are retried one per
transaction, so each waiter gets its own outcome and a bad batch cannot sink
good ones.  A failure that belongs to no job (the write lock cannot be taken,
the file is gone) is reported to every job of the group without retrying, so
a dead drive costs one busy timeout, not one per job.

Reads.  Each thread gets its own read connection (``threading.local``); reads
run in autocommit mode, so a ``scan`` is one statement and sees one snapshot.

Drives fail.  Every ``sqlite3`` or OS error becomes ``DriveError(drive, ...)``
and a connection that failed is dropped and reopened on next use.  Removing a
database file that SQLite holds open is invisible to SQLite (it keeps using
the unlinked inode and would acknowledge writes that are lost), so every read
and every write transaction first checks that the path still names the inode
opened at start, and the committer checks again after ``COMMIT``.  A store
belongs to the process that opened it: open it after forking, not before.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Sequence
from typing import Any

from .errors import DriveError, EngineError, RecordDamaged
from .metadb import READER_CACHE_KIB, WRITER_CACHE_KIB, Connection, SyncMode, connect, ensure_schema, rollback
from .metajobs import (
    MAGIC,
    SELECT,
    Batch,
    Cas,
    GroupFailed,
    Job,
    PendingCommit,
    as_bytes,
    frame,
    unframe,
)
from .storage import AnyOf, Expectation, Expected

LAZY_SECONDS = 0.05  # how long a lazy job waits for a group to join before committing alone

# --- the store ----------------------------------------------------------------------------------


class MetaStore:
    """One drive's ordered key/value metadata index (see the module docstring)."""

    rows_read: int
    transactions: int

    def __init__(self, path: str, *, drive: str, sync: SyncMode = "full") -> None:
        if sync not in ("full", "relaxed"):
            raise ValueError(f"sync must be 'full' or 'relaxed', not {sync!r}")
        self._path = os.path.abspath(path)
        self._drive = drive
        self._sync = sync
        self.rows_read = 0
        self.transactions = 0  # write transactions committed by the committer thread
        self.batches = 0  # the callers' batches those transactions carried (group commit's size)
        self._stats_lock = threading.Lock()
        self._local = threading.local()
        self._readers: weakref.WeakSet[Connection] = weakref.WeakSet()
        self._readers_lock = threading.Lock()
        self._cv = threading.Condition()
        self._queue: list[Job] = []
        self._lazy: list[Job] = []  # queued before _queue, committed with its next group
        self._lazy_since = 0.0  # when the oldest lazy job was queued
        self._closing = False
        self._writer: Connection | None = self._open_writer(create=True)
        self._identity = self._stat()
        self._writer_lock = self._open_writer_lock()
        self._committer = threading.Thread(target=self._run, name=f"metastore-{drive}", daemon=True)
        self._committer.start()

    def __enter__(self) -> MetaStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- connections --------------------------------------------------------------------------

    def _open_writer(self, *, create: bool) -> Connection:
        try:
            conn = connect(self._path, self._sync, create=create, cache_kib=WRITER_CACHE_KIB)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            ensure_schema(conn, self._drive)
        except sqlite3.Error as exc:
            conn.close()
            raise self._error(exc) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_writer_lock(self) -> int | None:
        """The file whose flock the committers of every process take around a transaction (see
        the module docstring; never the database itself: closing any descriptor of it would drop
        SQLite's own POSIX locks).  None where it can be neither created nor opened (a read-only
        drive, where every write fails in SQLite anyway)."""
        for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
            with contextlib.suppress(OSError):
                return os.open(self._path + ".writer", flags | os.O_CLOEXEC, 0o600)
        return None

    def _reader(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self._path, self._sync, create=False, cache_kib=READER_CACHE_KIB)
            with self._readers_lock:
                if self._closing:
                    conn.close()
                    raise DriveError(self._drive, "metadata store is closed")
                self._readers.add(conn)
            self._local.conn = conn
        return conn

    def _drop_reader(self) -> None:
        conn: Connection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._readers_lock:
                self._readers.discard(conn)
            _close_quietly(conn)

    def release_memory(self) -> None:
        """Give back the page caches of this store's connections (SQLite's shrink_memory): the
        server calls it when it is idle, so caches sized for load do not stay resident after it.
        From any thread: SQLite serializes the calls on each connection (threadsafety 3, else
        nothing is done), and a connection in a transaction is left alone."""
        if sqlite3.threadsafety != 3:
            return
        with self._readers_lock:
            conns = [*self._readers, *([self._writer] if self._writer is not None else [])]
        for conn in conns:
            if not conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # closed or failed meanwhile: nothing to give
                    conn.execute("PRAGMA shrink_memory")

    # --- failures -----------------------------------------------------------------------------

    def _describe(self, exc: BaseException) -> str:
        """The message of the DriveError that ``exc`` becomes (without the drive prefix)."""
        if isinstance(exc, DriveError):
            return str(exc).removeprefix(f"drive {exc.drive}: ")
        name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
        return f"metadata database {self._path}: {exc} ({name})"

    def _error(self, exc: BaseException) -> DriveError:
        return exc if isinstance(exc, DriveError) else DriveError(self._drive, self._describe(exc))

    def _stat(self) -> tuple[int, int]:
        try:
            st = os.stat(self._path)
        except OSError as exc:
            raise DriveError(self._drive, f"metadata database {self._path} is gone: {exc}") from exc
        return st.st_dev, st.st_ino

    def check_file(self) -> None:
        if self._stat() != self._identity:
            raise DriveError(self._drive, f"metadata database {self._path} was replaced")

    # --- reads --------------------------------------------------------------------------------

    def _fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        if self._closing:
            raise DriveError(self._drive, "metadata store is closed")
        self.check_file()
        try:
            rows = self._reader().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._drop_reader()
            raise self._error(exc) from exc
        with self._stats_lock:
            self.rows_read += len(rows)
        return rows

    def get(self, key: bytes) -> bytes | None:
        """The value under ``key``; None when absent; RecordDamaged when it fails its checksum."""
        key = as_bytes(key, "key")
        rows = self._fetch(SELECT, (key,))
        if not rows:
            return None
        payload = unframe(rows[0][0])
        if payload is None:
            raise RecordDamaged(key)
        return payload

    def get_many(self, keys: Sequence[bytes], first: tuple[bytes, bytes | None, bytes] | None = None
                 ) -> tuple[dict[bytes, bytes | None], bytes | None]:
        """In one statement (one snapshot, one round trip): the values of those of ``keys`` that
        exist (None: damaged) and, with ``first=(start, end, unless)``, the key of the first row
        with start <= key < end whose value does not start with ``unless`` (None: no such row;
        b"": no value is passed over)."""
        params: list[bytes | int] = [as_bytes(k, "key") for k in keys]
        parts = ["SELECT 0, k, v FROM kv WHERE k = ?"] * len(params)  # UNION ALL: cheaper than IN
        if first is not None:
            start, end, unless = first
            params.append(as_bytes(start, "start"))
            where = "k >= ?"
            if end is not None:
                params.append(as_bytes(end, "end"))
                where += " AND k < ?"
            if unless:
                params += [len(MAGIC) + 1, len(unless), as_bytes(unless, "unless")]
                where += " AND substr(v, ?, ?) != ?"  # the stored value is framed (metajobs.frame)
            parts.append(f"SELECT * FROM (SELECT 1, k, NULL FROM kv WHERE {where} ORDER BY k LIMIT 1) AS h")
        found: dict[bytes, bytes | None] = {}
        head: bytes | None = None
        for tag, k, v in self._fetch(" UNION ALL ".join(parts), tuple(params)):
            if tag:
                head = bytes(k)
            else:
                found[bytes(k)] = unframe(v)
        return found, head

    def scan(self, start: bytes, end: bytes | None, limit: int) -> list[tuple[bytes, bytes | None]]:
        """Up to ``limit`` rows with start <= key < end in ascending order; damaged values are None."""
        start = as_bytes(start, "start")
        if limit <= 0:
            return []
        if end is None:
            rows = self._fetch("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?", (start, limit))
        else:
            end = as_bytes(end, "end")
            if end <= start:
                return []
            rows = self._fetch(
                "SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k LIMIT ?", (start, end, limit)
            )
        return [(bytes(k), unframe(v)) for k, v in rows]

    # --- writes -------------------------------------------------------------------------------

    def commit(self, ops: Sequence[tuple[bytes, bytes | None]]) -> None:
        """Apply puts ``(key, value)`` and deletes ``(key, None)`` atomically, in order; durable on return."""
        self.submit(ops).wait()

    def submit(self, ops: Sequence[tuple[bytes, bytes | None]]) -> PendingCommit:
        """Queue a batch as ``commit`` does, without waiting: ``.wait()`` on the result.

        A caller writing to several drives queues on all of them first, then
        waits, so one thread drives them in parallel.
        """
        prepared = self._prepare(ops)
        self._check_open()
        job = Batch(prepared)
        if not prepared:
            job.finish(True)
            return PendingCommit(job, self._committer, self._drive)
        self._enqueue(job)
        return PendingCommit(job, self._committer, self._drive)

    def compare_and_swap(self, key: bytes, expected: bytes | None, new: bytes | None) -> bool:
        """If the value under ``key`` equals ``expected`` (None: absent), set it to ``new`` (None: delete)."""
        return self.submit_cas([(key, expected)], [(key, new)]).wait()

    def submit_cas(self, expect: Sequence[tuple[bytes, Expected]], ops: Sequence[tuple[bytes, bytes | None]],
                   lazy: bool = False) -> PendingCommit:
        """Queue a conditional batch without waiting: ``ops`` are applied, in one transaction, only
        if every key of ``expect`` holds its expected value (None: absent, DAMAGED: a record
        that fails its check); ``.wait()`` says whether they were.  A `lazy` batch is committed
        with the next group (see the module docstring), still before anything queued after it."""
        checks = [(as_bytes(k, "key"), v if v is None or isinstance(v, Expectation | AnyOf) else
                   as_bytes(v, "expected")) for k, v in expect]
        job = Cas(checks, self._prepare(ops))
        self._enqueue(job, lazy)
        return PendingCommit(job, self._committer, self._drive)

    @staticmethod
    def _prepare(ops: Sequence[tuple[bytes, bytes | None]]) -> list[tuple[bytes, bytes | None]]:
        """Keys checked, values framed, in the caller's thread."""
        return [(as_bytes(k, "key"), None if v is None else frame(as_bytes(v, "value"))) for k, v in ops]

    def _check_open(self) -> None:
        if self._closing:
            raise DriveError(self._drive, "metadata store is closed")

    def _enqueue(self, job: Job, lazy: bool = False) -> None:
        with self._cv:
            self._check_open()
            if lazy:
                if not self._lazy:
                    self._lazy_since = time.monotonic()
                self._lazy.append(job)
            else:
                self._queue.append(job)
            self._cv.notify()

    # --- the committer thread -----------------------------------------------------------------

    def _run(self) -> None:
        jobs: list[Job] = []
        try:
            while True:
                with self._cv:
                    while not self._queue and not self._closing:
                        if not self._lazy:
                            self._cv.wait()
                            continue
                        left = self._lazy_since + LAZY_SECONDS - time.monotonic()
                        if left <= 0:
                            break  # no group came along in time: the lazy jobs go alone
                        self._cv.wait(left)
                    if not self._queue and not self._lazy:
                        return
                    jobs, self._queue, self._lazy = self._lazy + self._queue, [], []
                self._commit_group(jobs)
        except BaseException as exc:  # a bug here must not leave callers waiting forever
            with self._cv:
                self._closing = True
                jobs, self._queue, self._lazy = jobs + self._lazy + self._queue, [], []
            for job in jobs:
                job.fail(DriveError(self._drive, f"metadata committer failed: {exc!r}"))
            raise
        finally:
            if self._writer is not None:
                _close_quietly(self._writer)
                self._writer = None

    def _commit_group(self, jobs: list[Job]) -> None:
        try:
            outcomes = self._transaction(jobs)
        except GroupFailed as exc:
            for job in jobs:
                job.fail(DriveError(self._drive, exc.message))
        except Exception as exc:
            if len(jobs) == 1:
                jobs[0].fail(self._job_error(exc))
            else:
                self._commit_one_by_one(jobs)
        else:
            for job, outcome in zip(jobs, outcomes, strict=True):
                job.finish(outcome)

    def _commit_one_by_one(self, jobs: list[Job]) -> None:
        for i, job in enumerate(jobs):
            try:
                outcome = self._transaction([job])
            except GroupFailed as exc:
                for rest in jobs[i:]:
                    rest.fail(DriveError(self._drive, exc.message))
                return
            except Exception as exc:
                job.fail(self._job_error(exc))
            else:
                job.finish(outcome[0])

    def _job_error(self, exc: Exception) -> Exception:
        if isinstance(exc, EngineError) or not isinstance(exc, (sqlite3.Error, OSError)):
            return exc  # RecordDamaged from a CAS, or a programming error: the caller's own
        return self._error(exc)

    def _transaction(self, jobs: list[Job]) -> list[bool]:
        """Apply ``jobs`` in one transaction; GroupFailed when no job is to blame."""
        lock = self._writer_lock
        if lock is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)
            except OSError as exc:
                raise GroupFailed(f"cannot lock {self._path}.writer: {exc}") from exc
        try:
            outcomes = self._locked_transaction(jobs)
        finally:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)
        self.transactions += 1
        self.batches += len(jobs)
        try:
            self.check_file()  # committed to an unlinked file? then it is not on the drive
        except DriveError as exc:
            raise GroupFailed(self._describe(exc)) from exc
        return outcomes

    def _locked_transaction(self, jobs: list[Job]) -> list[bool]:
        try:
            self.check_file()
            if self._writer is None:
                self._writer = self._open_writer(create=False)
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, DriveError) as exc:
            raise GroupFailed(self._describe(exc)) from exc
        try:
            outcomes = [job.apply(conn) for job in jobs]
            conn.execute("COMMIT")
        except BaseException:
            if not rollback(conn):  # connection state unknown: start afresh next time
                _close_quietly(conn)
                self._writer = None
            raise
        return outcomes

    # --- shutdown -----------------------------------------------------------------------------

    def close(self) -> None:
        """Commit what is queued, stop the committer and close every connection."""
        with self._cv:
            self._closing = True
            self._cv.notify_all()
        if self._committer is not threading.current_thread():
            self._committer.join()
        with self._readers_lock:
            readers = list(self._readers)
            self._readers.clear()
        for conn in readers:
            _close_quietly(conn)
        if self._writer_lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._writer_lock)
            self._writer_lock = None


def _close_quietly(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()
