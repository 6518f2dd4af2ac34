"""The orphan sweep: data directories no record names, and staging a dead writer left, removed.

Theory of operation
-------------------
Data goes first and the record last (erasure_set.py), so a crash, a drive that missed a delete or
a write that lost its race can leave a data directory that no version and no multipart upload
names: invisible, but taking space for ever.  The heal job (heal_job.py) notes every data
directory the versions and uploads of its pass name (`reference`); at the end of the pass
(`finish`) every drive lists its data directories, and one that is

- not named by anything the pass saw,
- older than GRACE_S (CAIRN_ORPHAN_GRACE, default an hour) before the pass began, and
- was in that same state at the end of the previous pass too

is removed.  The second condition spares the data of a write in flight (staged, published,
about to be committed); the third spares what one walk can miss while the index moves under it
(a version moved between pages, an upload completed between the walk over its key and over the
uploads, a cycle resumed in the middle after a restart): two whole passes agreeing is needed.
Staging directories (`.cairn/tmp/*`) whose newest file is older than GRACE_S belong to no live
writer (a writer's files change as it writes) and go too.  A drive that fails a listing is
skipped until the next pass.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .storage import StorageAPI

log = logging.getLogger("cairn.engine.orphans")
GRACE_S = float(os.environ.get("CAIRN_ORPHAN_GRACE", "3600"))


@dataclass
class SweepCounts:
    data_dirs: int = 0  # orphan data directories removed
    staged: int = 0  # stale staging directories removed
    suspects: int = 0  # unnamed data directories waiting for a second pass


class OrphanSweep:
    def __init__(self, drives: Sequence[StorageAPI], grace_s: float | None = None) -> None:
        self.drives = list(drives)
        self.grace_s = GRACE_S if grace_s is None else grace_s
        self.referenced: set[str] = set()
        self.suspects: set[tuple[int, str]] = set()  # (drive, data id) unnamed at the last finish
        self.started = time.time()

    def begin(self) -> None:
        self.referenced = set()
        self.started = time.time()

    def reference(self, data_id: str | None) -> None:
        if data_id:
            self.referenced.add(data_id)

    def finish(self) -> SweepCounts:
        counts = SweepCounts()
        cutoff = self.started - self.grace_s
        suspects: set[tuple[int, str]] = set()
        for index, drive in enumerate(self.drives):
            if not drive.online:
                continue
            try:
                data_dirs, staged = drive.list_data_ids(), drive.list_staged()
            except OSError as exc:
                log.warning("orphan sweep: cannot list %s: %s", drive.name, exc)
                continue
            for data_id, mtime in data_dirs:
                if data_id in self.referenced or mtime > cutoff:
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
        self.suspects = suspects
        counts.suspects = len(suspects)
        if counts.data_dirs or counts.staged:
            log.info("orphan sweep: removed %d data directorie(s) no record names and %d stale staging "
                     "directorie(s)", counts.data_dirs, counts.staged)
        return counts
