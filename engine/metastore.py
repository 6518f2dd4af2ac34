"""One drive's copy of the metadata: an ordered bytes -> bytes index in SQLite.

Theory of operation
-------------------
Each drive holds one SQLite database in WAL mode.  Table ``kv`` maps keys to
values, both BLOBs; SQLite compares BLOBs with memcmp, so ``ORDER BY k`` is the
bytewise order the layers above rely on.  Keys are therefore always bound as
``bytes`` (a ``str`` would be stored as TEXT and sort before every BLOB).
Table ``meta`` holds the schema version.  Higher layers replicate records across
drives and vote; this module knows about one drive only.

Records.  SQLite pages carry no checksum, so every stored value is framed as
``MAGIC + payload + crc32(MAGIC + payload)`` (see ``frame``/``unframe``).  A
value that is short, has an unknown magic or a bad crc is *damaged*: ``get``
raises ``RecordDamaged`` and ``scan`` yields ``(key, None)`` so listings go on.

Writes.  Callers never touch SQLite to write.  ``commit`` and
``compare_and_swap`` frame their values in the caller's thread, queue a job
and block.  One committer thread per store takes *every* job queued so far,
applies them in queue order inside one ``BEGIN IMMEDIATE ... COMMIT`` and wakes
the waiters, so N concurrent callers share one fsync (group commit).  If the
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
opened at start, and the committer checks again after ``COMMIT``.  A busy
timeout lets several processes (one MetaStore each) share the file; memory
mapped I/O stays off because an I/O error there is a SIGBUS, not an exception.
A store belongs to the process that opened it: open it after forking, not before.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import sqlite3
import threading
import weakref
import zlib
from collections.abc import Sequence
from typing import Any, Literal

from .errors import DriveError, EngineError, RecordDamaged

SyncMode = Literal["full", "relaxed"]

MAGIC = b"CRM1"
SCHEMA_VERSION = "1"
BUSY_TIMEOUT_S = 10.0
WRITER_CACHE_KIB = 32 * 1024
READER_CACHE_KIB = 8 * 1024
_WAIT_POLL_S = 1.0

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_UPSERT = "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v"
_DELETE = "DELETE FROM kv WHERE k = ?"
_SELECT = "SELECT v FROM kv WHERE k = ?"


# --- record framing -----------------------------------------------------------------------------


def frame(payload: bytes) -> bytes:
    """Version 1 framing: MAGIC + payload + crc32(MAGIC + payload), big-endian."""
    crc = zlib.crc32(payload, zlib.crc32(MAGIC))
    return b"".join((MAGIC, payload, crc.to_bytes(4, "big")))


def unframe(stored: object) -> bytes | None:
    """The payload of a stored value, or None when the value is damaged."""
    if not isinstance(stored, bytes) or len(stored) < len(MAGIC) + 4:
        return None
    if stored[: len(MAGIC)] != MAGIC:  # unknown (or future) format: refuse, never guess
        return None
    view = memoryview(stored)
    if zlib.crc32(view[:-4]) != int.from_bytes(view[-4:], "big"):
        return None
    return stored[len(MAGIC) : -4]


def _as_bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, not {type(value).__name__}")


# --- queued write jobs --------------------------------------------------------------------------


class _Job:
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
        while not self._done.acquire(timeout=_WAIT_POLL_S):
            if not committer.is_alive() and not self._finished:
                raise DriveError(drive, "metadata committer stopped")
        if self._error is not None:
            raise self._error
        return self._outcome


class PendingCommit:
    """A queued batch; ``wait()`` returns once it is durable, or raises its DriveError."""

    __slots__ = ("_committer", "_drive", "_job")

    def __init__(self, job: _Job, committer: threading.Thread, drive: str) -> None:
        self._job, self._committer, self._drive = job, committer, drive

    def wait(self) -> None:
        self._job.wait(self._committer, self._drive)


class _Batch(_Job):
    __slots__ = ("ops",)

    def __init__(self, ops: list[tuple[bytes, bytes | None]]) -> None:
        super().__init__()
        self.ops = ops  # values already framed

    def apply(self, conn: sqlite3.Connection) -> bool:
        for key, stored in self.ops:
            if stored is None:
                conn.execute(_DELETE, (key,))
            else:
                conn.execute(_UPSERT, (key, stored))
        return True


class _Cas(_Job):
    __slots__ = ("expected", "key", "new")

    def __init__(self, key: bytes, expected: bytes | None, new: bytes | None) -> None:
        super().__init__()
        self.key, self.expected, self.new = key, expected, new  # new already framed

    def apply(self, conn: sqlite3.Connection) -> bool:
        row = conn.execute(_SELECT, (self.key,)).fetchone()
        current = None if row is None else unframe(row[0])
        if row is not None and current is None:
            raise RecordDamaged(self.key)
        if current != self.expected:
            return False
        if self.new is None:
            conn.execute(_DELETE, (self.key,))
        else:
            conn.execute(_UPSERT, (self.key, self.new))
        return True


class _GroupFailed(Exception):
    """A failure that belongs to no single job: every job of the group gets it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (the store tracks its readers)."""


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
        self._stats_lock = threading.Lock()
        self._local = threading.local()
        self._readers: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._readers_lock = threading.Lock()
        self._cv = threading.Condition()
        self._queue: list[_Job] = []
        self._closing = False
        self._writer: _Connection | None = self._open_writer(create=True)
        self._identity = self._stat()
        self._committer = threading.Thread(target=self._run, name=f"metastore-{drive}", daemon=True)
        self._committer.start()

    def __enter__(self) -> MetaStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- connections --------------------------------------------------------------------------

    def _connect(self, *, create: bool, cache_kib: int) -> _Connection:
        uri = pathlib.Path(self._path).as_uri() + ("?mode=rwc" if create else "?mode=rw")
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        try:
            sync = "FULL" if self._sync == "full" else "NORMAL"
            conn.execute(f"PRAGMA synchronous={sync}")
            conn.execute(f"PRAGMA cache_size=-{cache_kib}")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA mmap_size=0")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_writer(self, *, create: bool) -> _Connection:
        try:
            conn = self._connect(create=create, cache_kib=WRITER_CACHE_KIB)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            self._ensure_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DriveError(self._drive, f"cannot use WAL journal (got {mode!r})")
            version = self._schema_version(conn)
            if version is None:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    if self._schema_version(conn) is None:
                        conn.execute(
                            "INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                        )
                    conn.execute("COMMIT")
                except BaseException:
                    self._rollback(conn)
                    raise
                version = self._schema_version(conn)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        if version != SCHEMA_VERSION:
            raise DriveError(self._drive, f"unsupported metadata schema version {version!r}")

    @staticmethod
    def _schema_version(conn: sqlite3.Connection) -> str | None:
        try:
            row = conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # no meta table yet (or unreadable: creating will say)
            return None
        return None if row is None else str(row[0])

    def _reader(self) -> _Connection:
        conn: _Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(create=False, cache_kib=READER_CACHE_KIB)
            with self._readers_lock:
                if self._closing:
                    conn.close()
                    raise DriveError(self._drive, "metadata store is closed")
                self._readers.add(conn)
            self._local.conn = conn
        return conn

    def _drop_reader(self) -> None:
        conn: _Connection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._readers_lock:
                self._readers.discard(conn)
            _close_quietly(conn)

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

    def _check_file(self) -> None:
        if self._stat() != self._identity:
            raise DriveError(self._drive, f"metadata database {self._path} was replaced")

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> bool:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            return False
        return True

    # --- reads --------------------------------------------------------------------------------

    def _fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        if self._closing:
            raise DriveError(self._drive, "metadata store is closed")
        self._check_file()
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
        key = _as_bytes(key, "key")
        rows = self._fetch(_SELECT, (key,))
        if not rows:
            return None
        payload = unframe(rows[0][0])
        if payload is None:
            raise RecordDamaged(key)
        return payload

    def scan(self, start: bytes, end: bytes | None, limit: int) -> list[tuple[bytes, bytes | None]]:
        """Up to ``limit`` rows with start <= key < end in ascending order; damaged values are None."""
        start = _as_bytes(start, "start")
        if limit <= 0:
            return []
        if end is None:
            rows = self._fetch("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?", (start, limit))
        else:
            end = _as_bytes(end, "end")
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
        prepared = [
            (_as_bytes(k, "key"), None if v is None else frame(_as_bytes(v, "value"))) for k, v in ops
        ]
        self._check_open()
        job = _Batch(prepared)
        if not prepared:
            job.finish(True)
            return PendingCommit(job, self._committer, self._drive)
        self._enqueue(job)
        return PendingCommit(job, self._committer, self._drive)

    def compare_and_swap(self, key: bytes, expected: bytes | None, new: bytes | None) -> bool:
        """If the value under ``key`` equals ``expected`` (None: absent), set it to ``new`` (None: delete)."""
        job = _Cas(
            _as_bytes(key, "key"),
            None if expected is None else _as_bytes(expected, "expected"),
            None if new is None else frame(_as_bytes(new, "new")),
        )
        return self._submit(job)

    def _check_open(self) -> None:
        if self._closing:
            raise DriveError(self._drive, "metadata store is closed")

    def _enqueue(self, job: _Job) -> None:
        with self._cv:
            self._check_open()
            self._queue.append(job)
            self._cv.notify()

    def _submit(self, job: _Job) -> bool:
        self._enqueue(job)
        return job.wait(self._committer, self._drive)

    # --- the committer thread -----------------------------------------------------------------

    def _run(self) -> None:
        jobs: list[_Job] = []
        try:
            while True:
                with self._cv:
                    while not self._queue and not self._closing:
                        self._cv.wait()
                    if not self._queue:
                        return
                    jobs, self._queue = self._queue, []
                self._commit_group(jobs)
        except BaseException as exc:  # a bug here must not leave callers waiting forever
            with self._cv:
                self._closing = True
                jobs, self._queue = jobs + self._queue, []
            for job in jobs:
                job.fail(DriveError(self._drive, f"metadata committer failed: {exc!r}"))
            raise
        finally:
            if self._writer is not None:
                _close_quietly(self._writer)
                self._writer = None

    def _commit_group(self, jobs: list[_Job]) -> None:
        try:
            outcomes = self._transaction(jobs)
        except _GroupFailed as exc:
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

    def _commit_one_by_one(self, jobs: list[_Job]) -> None:
        for i, job in enumerate(jobs):
            try:
                outcome = self._transaction([job])
            except _GroupFailed as exc:
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

    def _transaction(self, jobs: list[_Job]) -> list[bool]:
        """Apply ``jobs`` in one transaction; _GroupFailed when no job is to blame."""
        try:
            self._check_file()
            if self._writer is None:
                self._writer = self._open_writer(create=False)
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, DriveError) as exc:
            raise _GroupFailed(self._describe(exc)) from exc
        try:
            outcomes = [job.apply(conn) for job in jobs]
            conn.execute("COMMIT")
        except BaseException:
            if not self._rollback(conn):  # connection state unknown: start afresh next time
                _close_quietly(conn)
                self._writer = None
            raise
        self.transactions += 1
        try:
            self._check_file()  # committed to an unlinked file? then it is not on the drive
        except DriveError as exc:
            raise _GroupFailed(self._describe(exc)) from exc
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


def _close_quietly(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()
