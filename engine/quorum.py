"""Metadata replicated across the drives of one erasure set, with quorums.

Theory of operation
-------------------
Every drive of a set has its own MetaStore.  A write commits on every drive
it can reach, in parallel, and succeeds when at least `write_quorum` drives
acknowledged it (MinIO's rule: k data shards, one more when k == m, so any
two write quorums overlap).  A read asks every drive and votes: replies are
grouped by an identity (for an object, its metadata JSON; a missing record is
a group of its own), a damaged record (failed checksum) or an unreachable
drive votes for nothing, and the winner is the group with at least
`read_quorum` votes (the newest if two qualify).  A replica that was silently
damaged or missed a write is thus outvoted, and reported so it can be healed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .errors import DriveError, ReadQuorumError, RecordDamaged, WriteQuorumError
from .storage import Ops, Pending, StorageAPI


class Fault(enum.Enum):
    OFFLINE = "offline"
    DAMAGED = "damaged"


Reply = bytes | None | Fault


@dataclass
class Decision:
    value: bytes | None  # the winning record (one holder's copy), None when the key is absent
    holders: list[int]  # drives whose reply is in the winning group
    faulty: list[int] = field(default_factory=list)  # offline or damaged
    stale: list[int] = field(default_factory=list)  # answered something else: to heal
    replies: list[Reply] = field(default_factory=list)  # every drive's reply, by drive index


def quorums(data_shards: int, parity_shards: int) -> tuple[int, int]:
    """(read quorum, write quorum) for a set of k data and m parity shards."""
    write = data_shards + (1 if data_shards == parity_shards else 0)
    return data_shards, write


def decide(
    replies: Sequence[Reply],
    read_quorum: int,
    identity: Callable[[bytes], tuple[bytes, int]] = lambda v: (v, 0),
) -> Decision:
    """Vote on the replies of a set's drives; `identity` maps a record to (what must agree, age)."""
    groups: dict[bytes | None, list[int]] = {}
    ages: dict[bytes | None, int] = {None: -1}
    faulty: list[int] = []
    for i, reply in enumerate(replies):
        if isinstance(reply, Fault):
            faulty.append(i)
            continue
        if reply is None:
            groups.setdefault(None, []).append(i)
            continue
        try:
            ident, age = identity(reply)
        except ValueError:
            faulty.append(i)
            continue
        groups.setdefault(ident, []).append(i)
        ages[ident] = age
    qualified = [g for g in groups if len(groups[g]) >= read_quorum]
    if not qualified:
        raise ReadQuorumError(
            f"no record version has {read_quorum} of {len(replies)} drives "
            f"({len(faulty)} offline or damaged)"
        )
    winner = max(qualified, key=lambda g: (len(groups[g]), ages[g]))
    holders = groups[winner]
    stale = [i for g, members in groups.items() if g != winner for i in members]
    first = replies[holders[0]]
    value = first if isinstance(first, bytes) else None
    return Decision(value, holders, faulty, sorted(stale), list(replies))


class SetMeta:
    """One erasure set's metadata: the index copy on each of its drives."""

    def __init__(self, drives: Sequence[StorageAPI], data_shards: int, parity_shards: int) -> None:
        self.drives = list(drives)
        self.read_quorum, self.write_quorum = quorums(data_shards, parity_shards)

    @property
    def size(self) -> int:
        return len(self.drives)

    def read_one(self, drive: int, key: bytes) -> Reply:
        storage = self.drives[drive]
        if not storage.online:
            return Fault.OFFLINE
        try:
            return storage.meta_get(key)
        except RecordDamaged:
            return Fault.DAMAGED
        except DriveError:
            return Fault.OFFLINE

    def read(self, key: bytes) -> list[Reply]:
        return [self.read_one(i, key) for i in range(self.size)]

    def get(self, key: bytes, identity: Callable[[bytes], tuple[bytes, int]] = lambda v: (v, 0)) -> Decision:
        return decide(self.read(key), self.read_quorum, identity)

    def _wait_all(self, pending: list[tuple[int, Pending]]) -> dict[int, bool]:
        """Each queued write's outcome by drive; a drive that failed is left out."""
        outcomes: dict[int, bool] = {}
        for i, handle in pending:
            try:
                outcomes[i] = handle.wait()
            except (DriveError, RecordDamaged):
                continue
        return outcomes

    def commit(self, per_drive: Sequence[Ops], required: int | None = None) -> list[int]:
        """Commit per_drive[i] on drive i; return the drives that acknowledged.

        The batches are queued on every drive before waiting on any, so the
        drives commit in parallel and each drive's group commit can merge them
        with other writers'.  Raises WriteQuorumError when fewer than the write
        quorum (or `required`) acknowledged; its `committed` lists the drives
        that did, for the caller to undo.
        """
        pending: list[tuple[int, Pending]] = []
        for i, ops in enumerate(per_drive):
            storage = self.drives[i]
            if not ops or not storage.online:
                continue
            try:
                pending.append((i, storage.meta_submit(ops)))
            except DriveError:
                continue
        done = sorted(self._wait_all(pending))
        needed = self.write_quorum if required is None else required
        if len(done) < needed:
            raise WriteQuorumError(f"metadata committed on {len(done)} drives, {needed} needed", done)
        return done

    def commit_all(self, ops: Ops, required: int | None = None) -> list[int]:
        """The same batch on every drive (upload records, deletes)."""
        return self.commit([ops] * self.size, required)

    def compare_and_swap(self, key: bytes, expected: bytes | None, new: bytes | None) -> dict[int, bool]:
        """Swap `expected` for `new` under `key` on every drive at once; whether each drive
        swapped, by drive index (a drive that failed is left out)."""
        pending: list[tuple[int, Pending]] = []
        for i, storage in enumerate(self.drives):
            if not storage.online:
                continue
            try:
                pending.append((i, storage.meta_submit_cas(key, expected, new)))
            except DriveError:
                continue
        return self._wait_all(pending)

    def scan(self, drive: int, start: bytes, end: bytes | None, limit: int
             ) -> list[tuple[bytes, bytes | None]]:
        """One drive's rows (value None = damaged record); raises DriveError when unreachable."""
        storage = self.drives[drive]
        if not storage.online:
            raise DriveError(storage.name, storage.problem or "offline")
        return storage.meta_scan(start, end, limit)

    def rows_read(self) -> int:
        return sum(d.meta_rows_read() for d in self.drives)
