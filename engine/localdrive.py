"""A drive that is a local directory: the one real StorageAPI today (see storage.py).

Under `<drive>/.cairn/`: `tmp/<stage_id>/` holds files being written, `data/<aa>/<data_id>/`
the published shard files (`aa` = the id's first two characters, so no directory grows
huge), `meta.db` the metadata index (metastore.py), `format.json` the drive's identity.
With sync on, a publish is durable when it returns: the staging directory is fsynced
before its rename and the parent after it.  A directory that vanished (an unmounted drive)
is never re-created here: `mkdir`, not `makedirs`, so the write fails instead of landing
on the root filesystem.

`check()` is the drive's health probe: format.json must still name this drive and the
metadata database must still be the file opened; a drive found healthy again after being
offline gets a fresh metadata connection, so a drive that comes back is used again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Sequence

from typing_extensions import Buffer

from .drive_format import read_format
from .errors import DriveError, EngineError
from .fsutil import fsync_dir
from .layout import Drive
from .metadb import SyncMode
from .metajobs import PendingCommit
from .metastore import MetaStore
from .storage import Expected, Ops


class LocalStagedFile:
    __slots__ = ("fd",)

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    def write(self, data: Buffer) -> None:
        view = memoryview(data)
        while view.nbytes:
            written = os.write(self._fd(), view)
            if written <= 0:
                raise OSError("no progress writing a shard")
            view = view[written:]

    def sync(self) -> None:
        os.fdatasync(self._fd())

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)

    def _fd(self) -> int:
        if self.fd is None:
            raise OSError("staged file is closed")
        return self.fd


class LocalShardFile:
    __slots__ = ("fd",)

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    def read_at(self, length: int, offset: int) -> bytes:
        if self.fd is None:
            raise OSError("shard file is closed")
        return os.pread(self.fd, length, offset)

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def _entries(path: str) -> list[tuple[str, float]]:
    """(name, mtime) of the directories in `path` (one vanishing meanwhile is left out)."""
    out: list[tuple[str, float]] = []
    with os.scandir(path) as entries:
        for entry in entries:
            with contextlib.suppress(FileNotFoundError):
                if entry.is_dir(follow_symlinks=False):
                    out.append((entry.name, entry.stat(follow_symlinks=False).st_mtime))
    return out


def open_store(drive: Drive, sync: SyncMode) -> tuple[MetaStore | None, str]:
    """The drive's metadata store, or (None, why) when it cannot be opened: read-only,
    damaged beyond SQLite's repair, I/O errors.  One bad drive must not stop the rest."""
    try:
        return MetaStore(drive.meta_db_path, drive=drive.path, sync=sync), ""
    except DriveError as exc:
        return None, str(exc)


class LocalDrive:
    """One drive directory of the deployment (`drive` is its slot as opened)."""

    def __init__(self, drive: Drive, sync: SyncMode = "full") -> None:
        self.drive = drive
        self.sync_mode = sync
        self.sync = sync == "full"
        self._meta: MetaStore | None = None
        self._problem = drive.problem
        self._checking = threading.Lock()  # one check at a time (the watcher, health probes)
        if drive.online:
            self._meta, self._problem = open_store(drive, sync)

    # -- state ----------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.drive.path

    @property
    def online(self) -> bool:
        return self._meta is not None and not self._problem

    @property
    def problem(self) -> str:
        return self._problem

    def check(self) -> bool:
        with self._checking:
            was = self.online
            problem = self._probe()
            if problem is None and self._meta is None:
                self._meta, problem = open_store(self.drive, self.sync_mode)
                problem = problem or None
            self._problem = problem or ""
            return self.online != was

    def _probe(self) -> str | None:
        """Why the drive is unusable now, or None; a replaced metadata file is reopened."""
        try:
            fmt = read_format(self.drive.path)
        except (OSError, EngineError) as exc:
            return f"cannot read its format: {exc}"
        if fmt is None or fmt.drive_id != self.drive.drive_id:
            return "its format.json is gone or names another drive"
        if self._meta is not None:
            try:
                self._meta.check_file()
            except DriveError:
                self._meta.close()
                self._meta = None  # reopened by check() if the database is usable
        return None

    # -- paths ----------------------------------------------------------------------------------

    def _staging(self, stage_id: str) -> str:
        return os.path.join(self.drive.tmp_dir, stage_id)

    def _data(self, data_id: str) -> str:
        return os.path.join(self.drive.data_dir, data_id[:2], data_id)

    # -- shard files ----------------------------------------------------------------------------

    def create_staged(self, stage_id: str, name: str) -> LocalStagedFile:
        staging = self._staging(stage_id)
        os.mkdir(staging)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        return LocalStagedFile(os.open(os.path.join(staging, name), flags, 0o644))

    def remove_staged(self, stage_id: str) -> None:
        shutil.rmtree(self._staging(stage_id), ignore_errors=True)

    def publish_staged(self, stage_id: str, data_id: str) -> None:
        staging, final = self._staging(stage_id), self._data(data_id)
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.dirname(final))  # data/<aa>; data/ itself must exist
        if self.sync:
            fsync_dir(staging)
        os.rename(staging, final)
        if self.sync:
            fsync_dir(os.path.dirname(final))

    def publish_staged_file(self, stage_id: str, name: str, data_id: str) -> None:
        staging, final = self._staging(stage_id), self._data(data_id)
        os.rename(os.path.join(staging, name), os.path.join(final, name))
        if self.sync:
            fsync_dir(final)
        with contextlib.suppress(OSError):
            os.rmdir(staging)

    def make_data_dir(self, data_id: str) -> None:
        path = self._data(data_id)
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.dirname(path))
        os.mkdir(path)
        if self.sync:
            fsync_dir(os.path.dirname(path))

    def open_shard(self, data_id: str, name: str) -> LocalShardFile:
        return LocalShardFile(os.open(os.path.join(self._data(data_id), name), os.O_RDONLY))

    def list_data(self, data_id: str) -> list[str]:
        return os.listdir(self._data(data_id))

    def list_data_files(self, data_id: str) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        with os.scandir(self._data(data_id)) as files:
            for f in files:
                with contextlib.suppress(FileNotFoundError):
                    if f.is_file(follow_symlinks=False):
                        out.append((f.name, f.stat(follow_symlinks=False).st_mtime))
        return out

    def remove_data_files(self, data_id: str, names: Sequence[str]) -> None:
        directory = self._data(data_id)
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(directory, name))

    def remove_data(self, data_id: str) -> None:
        shutil.rmtree(self._data(data_id), ignore_errors=True)

    def list_data_ids(self) -> list[tuple[str, float]]:
        """Every data directory, as (id, mtime).  Only those in the fan directory their id names
        (`_data`): anything else there was not written by this drive, and remove_data could not
        reach it."""
        out: list[tuple[str, float]] = []
        with os.scandir(self.drive.data_dir) as fans:
            for fan in fans:
                if fan.is_dir(follow_symlinks=False):
                    out += [(name, mtime) for name, mtime in _entries(fan.path) if name[:2] == fan.name]
        return out

    def list_staged(self) -> list[tuple[str, float]]:
        """A staging directory's time is its newest file's: a writer's files change as it writes."""
        out: list[tuple[str, float]] = []
        for stage_id, mtime in _entries(self.drive.tmp_dir):
            staging = os.path.join(self.drive.tmp_dir, stage_id)
            with contextlib.suppress(OSError), os.scandir(staging) as files:
                for f in files:
                    with contextlib.suppress(FileNotFoundError):
                        mtime = max(mtime, f.stat(follow_symlinks=False).st_mtime)
            out.append((stage_id, mtime))
        return out

    # -- metadata -------------------------------------------------------------------------------

    def _store(self) -> MetaStore:
        if self._meta is None:
            raise DriveError(self.drive.path, self._problem or "offline")
        return self._meta

    def meta_get(self, key: bytes) -> bytes | None:
        return self._store().get(key)

    def meta_scan(self, start: bytes, end: bytes | None, limit: int) -> list[tuple[bytes, bytes | None]]:
        return self._store().scan(start, end, limit)

    def meta_get_many(self, keys: Sequence[bytes], first: tuple[bytes, bytes | None, bytes] | None = None
                      ) -> tuple[dict[bytes, bytes | None], bytes | None]:
        return self._store().get_many(keys, first)

    def meta_submit(self, ops: Ops) -> PendingCommit:
        return self._store().submit(ops)

    def meta_submit_cas(self, expect: Sequence[tuple[bytes, Expected]], ops: Ops,
                        lazy: bool = False) -> PendingCommit:
        return self._store().submit_cas(expect, ops, lazy)

    def meta_rows_read(self) -> int:
        return self._meta.rows_read if self._meta is not None else 0

    def meta_commits(self) -> tuple[int, int]:
        """(write transactions, batches they carried) of this process's committer: metrics."""
        return (self._meta.transactions, self._meta.batches) if self._meta is not None else (0, 0)

    def release_memory(self) -> None:
        """Give back the metadata store's page caches (the server calls it when idle)."""
        if self._meta is not None:
            self._meta.release_memory()

    def close(self) -> None:
        if self._meta is not None:
            self._meta.close()
