"""Read-modify-write of one record on a set's quorum, by compare-and-swap: the one mechanism
behind bucket records (buckets.py) and identity records (iam_records.py).

Read the record the read quorum agrees on, compute the new one, swap it on every drive
expecting what the read saw there.  A swap that lands on a write quorum wins; one that lands
on fewer is undone (quorum.Change) and retried after a short random pause.  Two writers that
started from the same record cannot both reach a write quorum (write quorums overlap), so
concurrent updates are applied one after the other and none is lost.  Drives a crash left
behind are brought along by the next update, each being swapped from what it holds.  While
writers race, a read may find no version on a read quorum (each writer's swap on a few drives,
its undo not in yet): that read is retried like a lost swap.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from .errors import ConfigConflict, ReadQuorumError
from .quorum import Change, SetMeta, tombstone

ATTEMPTS = 50
Identity = Callable[[bytes], tuple[bytes, int]]


def update_record(meta: SetMeta, key: bytes, identity: Identity,
                  mutate: Callable[[bytes | None], bytes | None], what: str) -> bytes | None:
    """Apply `mutate` (the current record or None -> the new one or None to delete) atomically;
    the record written.  `mutate` may raise to refuse (nothing is written).  ConfigConflict
    when `what` kept changing under ATTEMPTS tries."""
    for attempt in range(ATTEMPTS):
        try:
            decision = meta.get(key, identity)
        except ReadQuorumError:
            # Writers racing on this record can leave its drives split several ways for a moment
            # (each one's swap landed on a few drives, their undos not in yet): read again, unless
            # too few drives are online for any quorum, which waiting would not change.
            if attempt == ATTEMPTS - 1 or sum(d.online for d in meta.drives) < meta.read_quorum:
                raise
            time.sleep(random.uniform(0.001, 0.02))
            continue
        new = mutate(decision.value)
        if new == decision.value:
            return new  # nothing to change (the same record again)
        encoded = tombstone() if new is None else new
        if meta.change(Change(key, decision.replies, [encoded] * meta.size)):
            return new
        time.sleep(random.uniform(0.001, 0.02))
    raise ConfigConflict(f"{what} kept changing under {ATTEMPTS} attempts to update it")
