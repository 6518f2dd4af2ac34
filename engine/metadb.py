"""Connections to a drive's metadata database: SQLite's settings and the schema.

Table ``kv`` maps keys to values, both BLOBs (SQLite compares BLOBs with memcmp, so
``ORDER BY k`` is bytewise order); table ``meta`` holds the schema version.  WAL mode, a busy
timeout so that several processes can share the file, and no memory-mapped I/O (an I/O error
there is a SIGBUS, not an exception).
"""

from __future__ import annotations

import pathlib
import sqlite3
from typing import Literal

from .errors import DriveError

SyncMode = Literal["full", "relaxed"]

SCHEMA_VERSION = "1"
BUSY_TIMEOUT_S = 10.0
# Page caches, per connection (a writer per drive, a reader per thread per drive).  The OS caches
# the database file, so a page SQLite no longer holds costs a pread, and the soft heap limit below
# bounds what all the caches of a process hold together: with no limit (and caches of 32/8 MiB)
# a worker grew by 78 MiB after 4,000 small requests on 4 drives and never gave it back, and an
# engine-only run of 1,500 listings of 100 keys peaked at 273 MiB.  With these and a 16 MiB
# limit: 112 MiB and the same CPU per listing (7.8-7.9 ms against 7.5-8.6; an 8 MiB limit cost
# 9.0-9.3 ms).  Figures in issue 15's note; bench/footprint.py measures a server.
WRITER_CACHE_KIB = 4 * 1024
READER_CACHE_KIB = 4 * 1024
# SQLite's soft heap limit (process-wide): past it, each connection's page cache recycles its own
# pages instead of growing, which bounds the sum over every connection of the process.
SOFT_HEAP_LIMIT = 16 << 20
_heap_limit = SOFT_HEAP_LIMIT

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (the store tracks its readers)."""


def limit_heap(nbytes: int) -> None:
    """The soft heap limit of this process's connections from now on (the low-memory setting)."""
    global _heap_limit
    _heap_limit = nbytes


def connect(path: str, sync: SyncMode, *, create: bool, cache_kib: int) -> Connection:
    uri = pathlib.Path(path).as_uri() + ("?mode=rwc" if create else "?mode=rw")
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
        factory=Connection,
    )
    try:
        conn.execute(f"PRAGMA synchronous={'FULL' if sync == 'full' else 'NORMAL'}")
        conn.execute(f"PRAGMA cache_size=-{cache_kib}")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA mmap_size=0")
        conn.execute(f"PRAGMA soft_heap_limit={_heap_limit}")
    except BaseException:
        conn.close()
        raise
    return conn


def rollback(conn: sqlite3.Connection) -> bool:
    """Roll back any open transaction; False if the connection's state is unknown."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        return False
    return True


def schema_version(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # no meta table yet (or unreadable: creating will say)
        return None
    return None if row is None else str(row[0])


def ensure_schema(conn: sqlite3.Connection, drive: str) -> None:
    """WAL mode and the tables (created when missing); DriveError for an unknown schema version.
    sqlite3.Error escapes for the caller to turn into the drive's error."""
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise DriveError(drive, f"cannot use WAL journal (got {mode!r})")
    version = schema_version(conn)
    if version is None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                conn.execute(statement)
            if schema_version(conn) is None:
                conn.execute("INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        version = schema_version(conn)
    if version != SCHEMA_VERSION:
        raise DriveError(drive, f"unsupported metadata schema version {version!r}")
