"""The orphan sweep: data directories and part files no record names, upload and part records
only a minority of drives kept, and staging a dead writer left, removed.

Theory of operation
-------------------
Data goes first and the record last (erasure_set.py), so a crash, a drive that missed a delete or
a write that lost its race can leave a data directory that no version and no multipart upload
names: invisible, but taking space for ever.  The heal job (heal_job.py) notes every data
directory the versions and uploads of its pass name (`reference`, with the part files a
multipart version names; `reference_upload`).  At the end of the pass (`finish`):

1. Upload and part records (orphan_uploads.py): every drive's are listed; an upload the vote
   says is gone but some drives still hold (a drive away during its abort or completion), or
   part records whose upload is gone, are orphans once older than the grace period, removed
   when two passes agree.  Every other upload names its data directory and the part files its
   part records name, on any drive.
2. Every drive lists its data directories.  One that is not named by anything the pass saw and
   older than GRACE_S (CAIRN_ORPHAN_GRACE, default an hour) before the pass began is removed if
   it was in that same state at the end of the previous pass too.
3. In a named directory whose part files are all known (a multipart version's, an upload's),
   every part file (`part.<N>.<tag>`, an UploadPart's) that nothing names, older than GRACE_S,
   goes by the same two-pass rule: an UploadPart that died between its file and its part
   record, a part uploaded again whose old file was not removed, the parts a completion left out
   on a drive that was away.  An UploadPart's file is new each time (a fresh tag, never a path
   used before), so a file's time is when its writer last wrote it.
4. Staging directories (`.cairn/tmp/*`) whose newest file is older than GRACE_S belong to no live
   writer (a writer's files change as it writes) and go too.

The grace period spares a write in flight (staged, published, about to be committed); two whole
passes agreeing spares what one walk can miss while the index moves under it (a version moved
between pages, an upload completed between the walk over its key and over the uploads, a cycle
resumed in the middle after a restart).  Only what nothing names is removed: a record naming a
directory that is not there (a version whose data lives on a remote tier, a drive that lost it)
means nothing here.  A drive that fails a listing is skipped until the next pass; while a drive
of a set cannot list its records, no upload's part files are judged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from .orphan_uploads import gather, judge, remove
from .quorum import SetMeta
from .storage import StorageAPI

log = logging.getLogger("cairn.engine.orphans")
GRACE_S = float(os.environ.get("CAIRN_ORPHAN_GRACE", "3600"))
PART_FILE = re.compile(r"part\.[0-9]+\.[0-9a-f]{12}")  # an UploadPart's shard file (multipart.PartWriter)

Names = dict[str, set[str] | None]  # data id -> the part files named in it (None: not all known)


@dataclass
class SweepCounts:
    data_dirs: int = 0  # orphan data directories removed
    staged: int = 0  # stale staging directories removed
    suspects: int = 0  # directories, files and records waiting for a second pass
    part_files: int = 0  # part files no record names, removed
    upload_records: int = 0  # upload records of an upload gone, removed (one per drive)
    part_records: int = 0  # part records of an upload gone, removed (one per drive)

    def add(self, other: SweepCounts) -> None:
        """Count `other`'s removals into these; suspects become `other`'s (one sweep's figure)."""
        for f in fields(self):
            mine = getattr(self, f.name) if f.name != "suspects" else 0
            setattr(self, f.name, mine + getattr(other, f.name))


class OrphanSweep:
    def __init__(self, drives: Sequence[StorageAPI], grace_s: float | None = None,
                 metas: Sequence[SetMeta] = ()) -> None:
        """`drives`: every drive; `metas`: every set's metadata (none: records are not swept and
        no upload's part files are judged)."""
        self.drives = list(drives)
        self.metas = list(metas)
        self.grace_s = GRACE_S if grace_s is None else grace_s
        self.referenced: Names = {}
        self.upload_dirs: set[str] = set()
        self.suspects: set[tuple[int, str]] = set()  # (drive, data id) unnamed at the last finish
        self.file_suspects: set[tuple[int, str, str]] = set()  # (drive, data id, file)
        self.record_suspects: set[tuple[int, int, bytes, bytes]] = set()  # (set, drive, key, value)
        self.started = time.time()

    def begin(self) -> None:
        self.referenced, self.upload_dirs = {}, set()
        self.started = time.time()

    def reference(self, data_id: str | None, files: Iterable[str] | None = None) -> None:
        """A record the pass saw names `data_id`, and in it `files` (None: the directory as a
        whole, whatever it holds: no file in it is judged)."""
        if not data_id:
            return
        named = self.referenced.get(data_id, set())
        self.referenced[data_id] = None if files is None or named is None else named | set(files)

    def reference_upload(self, data_id: str) -> None:
        """An upload the pass saw: its part files are what part records name (step 1)."""
        self.upload_dirs.add(data_id)
        self.reference(data_id, ())

    def finish(self) -> SweepCounts:
        counts = SweepCounts()
        cutoff = self.started - self.grace_s
        names = self._sweep_records(cutoff, counts)
        suspects: set[tuple[int, str]] = set()
        file_suspects: set[tuple[int, str, str]] = set()
        for index, drive in enumerate(self.drives):
            if not drive.online:
                continue
            try:
                data_dirs, staged = drive.list_data_ids(), drive.list_staged()
            except OSError as exc:
                log.warning("orphan sweep: cannot list %s: %s", drive.name, exc)
                continue
            for data_id, mtime in data_dirs:
                if data_id in names:
                    files = names[data_id]
                    if files is not None:
                        file_suspects |= self._sweep_files(index, data_id, files, cutoff, counts)
                    continue
                if mtime > cutoff:
                    continue
                if (index, data_id) in self.suspects:
                    with contextlib.suppress(OSError):
                        drive.remove_data(data_id)
                        counts.data_dirs += 1
                else:
                    suspects.add((index, data_id))
            for stage_id, mtime in staged:
                if mtime < time.time() - self.grace_s:
                    with contextlib.suppress(OSError):
                        drive.remove_staged(stage_id)
                        counts.staged += 1
        self.suspects, self.file_suspects = suspects, file_suspects
        counts.suspects = len(suspects) + len(file_suspects) + len(self.record_suspects)
        summary = removed(counts)
        if summary:
            log.info("orphan sweep: removed %s", summary)
        return counts

    def _sweep_records(self, cutoff: float, counts: SweepCounts) -> Names:
        """Step 1: remove the upload and part records judged orphans by this pass and the last;
        what the pass's records name, with the part files of every other upload any drive holds."""
        names: Names = {k: None if v is None else set(v) for k, v in self.referenced.items()}
        known = bool(self.metas)  # every upload record and part record seen
        cutoff_ns = int(cutoff * 1e9)
        suspects: set[tuple[int, int, bytes, bytes]] = set()
        for s, meta in enumerate(self.metas):
            held, complete = gather(meta)
            known = known and complete
            for upload in held.values():
                orphans = judge(meta, upload, cutoff_ns)
                if orphans is None:
                    data_id = upload.data_id()
                    if data_id is not None:  # its directory is named, and its part files
                        files = upload.part_files() if complete else None
                        before = names.get(data_id, set())
                        names[data_id] = None if files is None or before is None else before | files
                    continue
                for drive, records in orphans.items():
                    agreed = [(k, v) for k, v in records if (s, drive, k, v) in self.record_suspects]
                    suspects |= {(s, drive, k, v) for k, v in records}
                    if agreed and remove(meta, drive, agreed):
                        suspects -= {(s, drive, k, v) for k, v in agreed}
                        uploads = sum(1 for k, _ in agreed if k[:1] == b"U")
                        counts.upload_records += uploads
                        counts.part_records += len(agreed) - uploads
        self.record_suspects = suspects
        if not known:
            for data_id in self.upload_dirs:
                names[data_id] = None  # a part record may be where we could not look
        return names

    def _sweep_files(self, index: int, data_id: str, named: set[str], cutoff: float,
                     counts: SweepCounts) -> set[tuple[int, str, str]]:
        """Step 3 in one data directory of one drive: the part files left for the next pass."""
        drive = self.drives[index]
        try:
            files = drive.list_data_files(data_id)
        except OSError:
            return set()  # gone meanwhile, or unreadable: the next pass looks again
        suspects: set[tuple[int, str, str]] = set()
        for name, mtime in files:
            if name in named or mtime > cutoff or not PART_FILE.fullmatch(name):
                continue
            if (index, data_id, name) in self.file_suspects:
                with contextlib.suppress(OSError):
                    drive.remove_data_files(data_id, [name])
                    counts.part_files += 1
            else:
                suspects.add((index, data_id, name))
        return suspects


def removed(counts: SweepCounts) -> str:
    """What a sweep removed, in words ("" for nothing)."""
    items = [(counts.data_dirs, "data directory", "data directories", " no record names"),
             (counts.part_files, "part file", "part files", " no record names"),
             (counts.staged, "stale staging directory", "stale staging directories", ""),
             (counts.upload_records, "upload record", "upload records", " of an upload gone"),
             (counts.part_records, "part record", "part records", " of an upload gone")]
    return ", ".join(f"{n} {one if n == 1 else many}{why}" for n, one, many, why in items if n)
