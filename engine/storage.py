"""The per-drive storage interface: every read and write the engine makes on a drive goes through it.

Theory of operation
-------------------
An erasure set is a list of drives, each a `StorageAPI` (MinIO's StorageAPI is
the model).  Above this line the engine thinks in shards, records and quorums;
below it a drive is a place that can

- stage shard files (`create_staged` -> a `StagedFile` to write, sync and
  close) and publish them: a whole staging directory becomes an object's data
  directory (`publish_staged`), or one staged file joins an existing data
  directory (`publish_staged_file`, a multipart part);
- open a published shard file for positioned reads (`open_shard`), list and
  remove the files of a data directory, remove a whole one, list them all
  (and the staging directories, and a directory's files with their times) for
  the orphan sweep;
- keep its copy of the metadata index: get, scan, queued batch commits and
  conditional batches (applied only if some keys hold what the caller last saw
  there: compare-and-swap over several keys) whose `wait()` gives the outcome
  (group commit happens below this line, see metastore.py);
- say whether it is usable (`online`, `problem`) and look again (`check`).

Errors: file operations raise OSError (the writer drops a drive that fails, a
reader treats the shard as missing); metadata operations raise DriveError or
RecordDamaged.  The local-directory implementation is localdrive.py; tests
wrap drives in a faulty implementation that fails calls as programmed
(MinIO's naughtyDisk), and a drive of another node will implement the same
interface over the network.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from typing_extensions import Buffer

Ops = Sequence[tuple[bytes, bytes | None]]  # puts (key, value) and deletes (key, None)


class Expectation(enum.Enum):
    DAMAGED = "damaged"  # a record that fails its own checksum


@dataclass(frozen=True)
class AnyOf:
    """Any of these values (None: absent) will do."""

    values: tuple[bytes | None, ...]


Expected = bytes | None | Expectation | AnyOf  # what a compare-and-swap expects under a key


class StagedFile(Protocol):
    """A shard file being written in a drive's staging area."""

    def write(self, data: Buffer) -> None:
        """Append all of `data`, or raise OSError."""

    def sync(self) -> None:
        """Make what was written durable (fdatasync)."""

    def close(self) -> None:
        """Release the file; closing twice is harmless."""


class ShardFile(Protocol):
    """A published shard file open for positioned reads."""

    def read_at(self, length: int, offset: int) -> bytes:
        """Up to `length` bytes at `offset` (fewer at the end of the file); OSError on failure."""

    def close(self) -> None: ...


class Pending(Protocol):
    """A queued metadata write: wait() returns once durable (a swap: whether it swapped)."""

    def wait(self) -> bool: ...


class StorageAPI(Protocol):
    """One drive, as the engine sees it (see the module docstring)."""

    @property
    def name(self) -> str:
        """How messages name the drive (its path)."""

    @property
    def online(self) -> bool: ...

    @property
    def problem(self) -> str:
        """Why the drive is offline ("" when online)."""

    def check(self) -> bool:
        """Look at the drive again (reconnecting a drive that came back); True if `online` changed."""

    # -- shard files --------------------------------------------------------------------------

    def create_staged(self, stage_id: str, name: str) -> StagedFile:
        """Create file `name` in a new staging directory `stage_id` (which must not exist)."""

    def remove_staged(self, stage_id: str) -> None:
        """Remove a staging directory and what it holds; missing is fine."""

    def publish_staged(self, stage_id: str, data_id: str) -> None:
        """Make staging directory `stage_id` the data directory `data_id`, durably."""

    def publish_staged_file(self, stage_id: str, name: str, data_id: str) -> None:
        """Move staged file `name` into the existing data directory `data_id`, durably."""

    def make_data_dir(self, data_id: str) -> None:
        """Create an empty data directory (a multipart upload's), durably."""

    def open_shard(self, data_id: str, name: str) -> ShardFile: ...

    def list_data(self, data_id: str) -> list[str]:
        """The file names in a data directory; OSError if it cannot be read."""

    def remove_data_files(self, data_id: str, names: Sequence[str]) -> None:
        """Remove files of a data directory; missing ones are fine."""

    def remove_data(self, data_id: str) -> None:
        """Remove a data directory and its files; missing is fine."""

    def list_data_files(self, data_id: str) -> list[tuple[str, float]]:
        """The files of a data directory with the time each last changed: what the orphan sweep
        compares with the part records; OSError if the directory cannot be read."""

    def list_data_ids(self) -> list[tuple[str, float]]:
        """Every data directory on the drive, with the time it last changed (seconds since the
        epoch): what the orphan sweep (orphans.py) compares with the records."""

    def list_staged(self) -> list[tuple[str, float]]:
        """Every staging directory, with the time it or a file in it last changed."""

    # -- metadata -----------------------------------------------------------------------------

    def meta_get(self, key: bytes) -> bytes | None: ...

    def meta_scan(self, start: bytes, end: bytes | None, limit: int) -> list[tuple[bytes, bytes | None]]:
        """Up to `limit` rows with start <= key < end, ascending; a damaged value is None."""

    def meta_get_many(self, keys: Sequence[bytes], first: tuple[bytes, bytes | None, bytes] | None = None
                      ) -> tuple[dict[bytes, bytes | None], bytes | None]:
        """In one read: the values of those of `keys` that exist (a damaged one: None) and, with
        `first=(start, end, unless)`, the key of the first row in [start, end) whose value does
        not start with `unless` (None: no such row)."""

    def meta_submit(self, ops: Ops) -> Pending: ...

    def meta_submit_cas(self, expect: Sequence[tuple[bytes, Expected]], ops: Ops,
                        lazy: bool = False) -> Pending:
        """Apply `ops` in one transaction if every key of `expect` holds what it expects; wait()
        says whether it did.  `lazy`: the change may wait a little to share a later commit (its
        loss in a crash is harmless), still applied before anything submitted after it."""

    def meta_rows_read(self) -> int:
        """Rows fetched so far (how much work listings do)."""

    def close(self) -> None: ...
