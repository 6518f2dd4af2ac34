"""Bucket change signals shared by every process on this machine: how a worker's bucket cache
learns, without reading the metadata quorum, that another worker changed a bucket.

Theory of operation
-------------------
A small table of 64-bit slots lives in a file in shared memory (/dev/shm, named
after the deployment), mapped by every process that opens the deployment.  A
bucket hashes to a slot.  Whoever changes a bucket record (creates, deletes or
reconfigures it) commits the record first and then writes a fresh random value
into the bucket's slot.  A reader notes the slot's value *before* it reads the
record and caches the record with that value; the cached record is good while
the slot still holds it.  Any commit made after the reader's read is followed
by a slot write after the reader noted the slot, so the reader sees a new value
on its next look: a change is seen at the next request, by every worker.  Two
buckets sharing a slot only cost an extra read.  Checking is a memory load:
no system call, no lock.

The table is a cache signal, not data: losing it (a reboot empties /dev/shm) only
means caches start cold.  A server's supervisor maps it before forking, so its
workers share the mapping even if the file is removed while they run.  Where no
file can be mapped, caching is off (every lookup reads the record).  Processes on
other machines (the multi-node deployment to come) need another channel.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import random
import tempfile
import zlib

SLOTS = 1024
SLOT_SIZE = 8
SHM_DIR = "/dev/shm"
log = logging.getLogger("cairn.engine")


def table_path(deployment_id: str) -> str:
    base = SHM_DIR if os.path.isdir(SHM_DIR) and os.access(SHM_DIR, os.W_OK) else tempfile.gettempdir()
    return os.path.join(base, f"cairn-{os.getuid()}-{deployment_id}.buckets")


class GenerationTable:
    """Per-bucket change values (see the module docstring)."""

    def __init__(self, path: str) -> None:
        self.path = path
        shared = self._map(path)
        self.shared = shared is not None  # False: no other process's change is signalled here
        self.map = shared if shared is not None else mmap.mmap(-1, SLOTS * SLOT_SIZE)
        if not self.shared:
            log.warning("bucket change table %s cannot be shared: bucket records will be read at "
                        "every request", path)

    @staticmethod
    def _map(path: str) -> mmap.mmap | None:
        size = SLOTS * SLOT_SIZE
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.fstat(fd).st_size < size:
                    os.ftruncate(fd, size)  # zero-filled; every opener truncates to the same size
                return mmap.mmap(fd, size, mmap.MAP_SHARED)
            finally:
                os.close(fd)
        return None

    @staticmethod
    def _offset(bucket: str) -> int:
        return (zlib.crc32(bucket.encode()) % SLOTS) * SLOT_SIZE

    def read(self, bucket: str) -> int:
        offset = self._offset(bucket)
        return int.from_bytes(self.map[offset:offset + SLOT_SIZE], "little")

    def bump(self, bucket: str) -> None:
        """Signal that `bucket`'s record changed (call after the change is committed)."""
        offset = self._offset(bucket)
        self.map[offset:offset + SLOT_SIZE] = random.getrandbits(63).to_bytes(SLOT_SIZE, "little")

    def close(self) -> None:
        self.map.close()
