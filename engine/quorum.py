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
from .metastore import MetaStore, PendingCommit


class Fault(enum.Enum):
    OFFLINE = "offline"
    DAMAGED = "damaged"


Reply = bytes | None | Fault
Ops = Sequence[tuple[bytes, bytes | None]]


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
    """One erasure set's metadata: a MetaStore per drive (None for a drive that is offline)."""

    def __init__(
        self,
        stores: Sequence[MetaStore | None],
        data_shards: int,
        parity_shards: int,
    ) -> None:
        self.stores = list(stores)
        self.read_quorum, self.write_quorum = quorums(data_shards, parity_shards)

    @property
    def size(self) -> int:
        return len(self.stores)

    def read_one(self, drive: int, key: bytes) -> Reply:
        store = self.stores[drive]
        if store is None:
            return Fault.OFFLINE
        try:
            return store.get(key)
        except RecordDamaged:
            return Fault.DAMAGED
        except DriveError:
            return Fault.OFFLINE

    def read(self, key: bytes) -> list[Reply]:
        return [self.read_one(i, key) for i in range(self.size)]

    def get(self, key: bytes, identity: Callable[[bytes], tuple[bytes, int]] = lambda v: (v, 0)) -> Decision:
        return decide(self.read(key), self.read_quorum, identity)

    def commit(self, per_drive: Sequence[Ops], required: int | None = None) -> list[int]:
        """Commit per_drive[i] on drive i; return the drives that acknowledged.

        The batches are queued on every drive before waiting on any, so the
        drives commit in parallel and each drive's group commit can merge them
        with other writers'.  Raises WriteQuorumError when fewer than the write
        quorum (or `required`) acknowledged; its `committed` lists the drives
        that did, for the caller to undo.
        """
        pending: list[tuple[int, PendingCommit]] = []
        for i, ops in enumerate(per_drive):
            store = self.stores[i]
            if store is None or not ops:
                continue
            try:
                pending.append((i, store.submit(ops)))
            except DriveError:
                continue
        done: list[int] = []
        for i, handle in pending:
            try:
                handle.wait()
                done.append(i)
            except DriveError:
                continue
        needed = self.write_quorum if required is None else required
        if len(done) < needed:
            raise WriteQuorumError(f"metadata committed on {len(done)} drives, {needed} needed", done)
        return done

    def commit_all(self, ops: Ops) -> list[int]:
        """The same batch on every drive (bucket records, deletes)."""
        return self.commit([ops] * self.size)

    def scan(self, drive: int, start: bytes, end: bytes | None, limit: int
             ) -> list[tuple[bytes, bytes | None]]:
        """One drive's rows (value None = damaged record); raises DriveError when unreachable."""
        store = self.stores[drive]
        if store is None:
            raise DriveError(f"#{drive}", "offline")
        return store.scan(start, end, limit)

    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.stores if s is not None)

    def close(self) -> None:
        for s in self.stores:
            if s is not None:
                s.close()
