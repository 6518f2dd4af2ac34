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
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .errors import DriveError, ReadQuorumError, RecordDamaged, WriteQuorumError
from .storage import AnyOf, Expectation, Expected, Ops, Pending, StorageAPI


class Fault(enum.Enum):
    OFFLINE = "offline"
    DAMAGED = "damaged"


Reply = bytes | None | Fault
Checks = list[list[tuple[bytes, Expected]] | None]  # per drive, what a conditional batch expects
Batches = list[list[tuple[bytes, bytes | None]]]  # per drive, the ops of a batch
Head = bytes | None | Fault  # the key of a drive's first row of a range (None: no row)
TOMBSTONE_MAGIC = b"CTS\x01"


def tombstone() -> bytes:
    """What a change writes to delete a record: unique (so that no other change's undo can
    mistake it for its own write, as two deletes' "absent" would be) and dated (so that it wins
    a tie against the older record it deletes).  The vote reads it as absent; once the delete
    has won, the tombstones are removed."""
    return TOMBSTONE_MAGIC + time.time_ns().to_bytes(8, "big") + os.urandom(8)


def is_tombstone(value: bytes) -> bool:
    return value[:4] == TOMBSTONE_MAGIC


def tombstone_age(value: bytes) -> int:
    return int.from_bytes(value[4:12], "big")


class Skip(enum.Enum):
    SKIP = "skip"


SKIP = Skip.SKIP  # Change.after of a drive the change does not write the key on


def expected(before: Reply, after: bytes | Skip | None) -> Expected | None:
    """What a drive must hold under a key for a change from `before` to `after` to apply there
    (None: the drive is offline, left alone).  A drive that holds the change's own record
    already (an earlier attempt that was not undone, a repair that copied it) takes it again:
    changes are idempotent."""
    if before is Fault.OFFLINE:
        return None
    if before is Fault.DAMAGED:
        return Expectation.DAMAGED
    if isinstance(before, bytes) and is_tombstone(before):
        # absent either way: the winning delete's tombstone may be removed meanwhile
        return AnyOf((before, None) if isinstance(after, Skip) else (before, None, after))
    if isinstance(after, Skip):
        return before
    return AnyOf((before, after))


@dataclass
class Slot:
    """Another record a Change swaps on each drive, from before[i] to after[i] (SKIP: left as it
    is): a version moved out of the latest record, say."""

    key: bytes
    before: Sequence[Reply]
    after: Sequence[bytes | Skip | None]


@dataclass
class Change:
    """A compare-and-swap of one record over a set's drives, with other keys in the same
    transaction on each drive.

    On drive i the record `key` must still hold `before[i]` (as a read saw it: a value, None
    for absent, DAMAGED for a record that failed its check; an OFFLINE drive is left alone);
    then it becomes `after[i]` (SKIP: not written on that drive); each of `slots` is swapped the
    same way on the same drive; every (key, new, old) of `also` becomes new (unchecked); every
    (key, value) of `requires` must hold too.  Undone, each drive that took it goes back to
    before[i] (the slots' too) and the olds, provided it still holds what this change wrote.  A
    change that lands on at least a write quorum of the drives it writes `key` on wins; two
    changes that read the same record cannot both (each drive takes one of them, and write
    quorums overlap)."""

    key: bytes
    before: Sequence[Reply]
    after: Sequence[bytes | Skip | None]
    also: Sequence[tuple[bytes, bytes | None, bytes | None]] = ()
    requires: Sequence[tuple[bytes, bytes | None]] = ()  # other records that must hold these values
    slots: Sequence[Slot] = ()

    def all_slots(self) -> list[Slot]:
        return [Slot(self.key, self.before, self.after), *self.slots]

    def expectations(self) -> Checks:
        """Per drive: what its records must hold for the change to apply (None: left alone)."""
        out: Checks = []
        for i, before in enumerate(self.before):
            if before is Fault.OFFLINE:
                out.append(None)
                continue
            checks: list[tuple[bytes, Expected]] = []
            for slot in self.all_slots():
                want = expected(slot.before[i], slot.after[i])
                if want is None:
                    if slot.after[i] is not SKIP:
                        break  # a slot to write on a drive not read: leave the drive alone
                    continue
                checks.append((slot.key, want))
            else:
                out.append([*checks, *self.requires])
                continue
            out.append(None)
        return out

    def ops(self) -> Batches:
        tail = [(k, new) for k, new, _ in self.also]
        slots = self.all_slots()
        return [[(s.key, after) for s in slots if (after := s.after[i]) is not SKIP] + tail
                for i in range(len(self.after))]

    def undo(self) -> tuple[Checks, Batches]:
        """(per drive, what it must hold: this change's records; the ops that put back what it
        held before, a record that was damaged being removed rather than put back).  Offered to
        every drive, not only those that took the change: the records are this change's alone,
        so a drive holding them got them from this change (or a repair of it) and nowhere else.
        A drive the change only ran `also` on gets them back if its record is still as it was."""
        tail = [(k, old) for k, _, old in self.also]
        expect: Checks = []
        ops: Batches = []
        for i, checks in enumerate(self.expectations()):
            written = [s for s in self.all_slots() if not isinstance(s.after[i], Skip)]
            if not written:
                expect.append(checks if tail else None)
                ops.append(tail)
                continue
            expect.append([(s.key, after) for s in written if not isinstance(after := s.after[i], Skip)])
            ops.append([(s.key, None if isinstance(before := s.before[i], Fault) else before)
                        for s in written] + tail)
        return expect, ops

    def values(self) -> set[bytes]:
        """The records this change writes under `key` (one per drive, inline frames differing)."""
        return {after for after in self.after if isinstance(after, bytes)}


@dataclass
class Decision:
    value: bytes | None  # the winning record (one holder's copy), None when the key is absent
    holders: list[int]  # drives whose reply is in the winning group
    faulty: list[int] = field(default_factory=list)  # offline or damaged
    stale: list[int] = field(default_factory=list)  # answered something else: to heal
    replies: list[Reply] = field(default_factory=list)  # every drive's reply, by drive index
    raw: bytes | None = None  # the winning reply as stored: the record, or the tombstone of a delete


def quorums(data_shards: int, parity_shards: int) -> tuple[int, int]:
    """(read quorum, write quorum) for a set of k data and m parity shards."""
    write = data_shards + (1 if data_shards == parity_shards else 0)
    return data_shards, write


@dataclass(frozen=True)
class RecordIdentity:
    """A record identity in two parts: `agree`, what the drives must hold alike (compared for
    every replica, so cheap: an object record's metadata bytes), and `age`, which breaks a tie
    between two versions that both have a read quorum (parsed only then)."""

    agree: Callable[[bytes], bytes]
    age: Callable[[bytes], int]

    def __call__(self, value: bytes) -> tuple[bytes, int]:
        return self.agree(value), self.age(value)


def decide(
    replies: Sequence[Reply],
    read_quorum: int,
    identity: Callable[[bytes], tuple[bytes, int]] = lambda v: (v, 0),
) -> Decision:
    """Vote on the replies of a set's drives; `identity` maps a record to (what must agree, age)."""
    first = replies[0] if replies else None
    if isinstance(first, bytes) and replies.count(first) == len(replies) >= read_quorum:
        # Every drive holds the same bytes (the common case, and the only one with one drive):
        # that record wins, without parsing each replica to compare them.  (A record that cannot
        # be parsed then fails where it is decoded rather than here.)
        everyone = list(range(len(replies)))
        return Decision(None if is_tombstone(first) else first, everyone, [], [], list(replies), first)
    # Replicas of an inline object differ (each drive holds its own shard frame): with a
    # RecordIdentity they are grouped by their metadata bytes, and ages are parsed for a tie only.
    split = identity if isinstance(identity, RecordIdentity) else None
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
            if is_tombstone(reply):
                ident, ages[reply] = reply, tombstone_age(reply)
            elif split is not None:
                ident = split.agree(reply)
            else:
                ident, ages[ident] = identity(reply)
        except ValueError:
            faulty.append(i)
            continue
        groups.setdefault(ident, []).append(i)
    qualified = [g for g in groups if len(groups[g]) >= read_quorum]
    if split is not None and len(qualified) > 1:
        for g in [g for g in qualified if g not in ages]:
            reply = replies[groups[g][0]]
            assert isinstance(reply, bytes)  # grouped by agree(): a record
            try:
                ages[g] = split.age(reply)
            except ValueError:  # unreadable after all: its holders are damaged
                faulty += groups.pop(g)
        faulty.sort()
        qualified = [g for g in groups if len(groups[g]) >= read_quorum]
    if not qualified:
        raise ReadQuorumError(
            f"no record version has {read_quorum} of {len(replies)} drives "
            f"({len(faulty)} offline or damaged)"
        )
    winner = max(qualified, key=lambda g: (len(groups[g]), ages.get(g, -1)))
    holders = groups[winner]
    stale = [i for g, members in groups.items() if g != winner for i in members]
    first = replies[holders[0]]
    value = first if isinstance(first, bytes) and not is_tombstone(first) else None
    return Decision(value, holders, faulty, sorted(stale), list(replies),
                    first if isinstance(first, bytes) else None)


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

    def read_many(self, keys: Sequence[bytes], first: tuple[bytes, bytes | None, bytes] | None = None
                  ) -> tuple[list[list[Reply]], list[Head]]:
        """Several records, and with `first` the first row of a range (MetaStore.get_many), in one
        read per drive (each drive's answers from one snapshot): every key's replies by drive, as
        read() gives them, and the key of every drive's first row (None: none; OFFLINE)."""
        replies: list[list[Reply]] = [[] for _ in keys]
        heads: list[Head] = []
        for storage in self.drives:
            try:
                if not storage.online:
                    raise DriveError(storage.name, "offline")
                found, head = storage.meta_get_many(keys, first)
            except DriveError:
                for out in replies:
                    out.append(Fault.OFFLINE)
                heads.append(Fault.OFFLINE)
                continue
            for out, key in zip(replies, keys, strict=True):
                value = found.get(key)
                out.append(Fault.DAMAGED if value is None and key in found else value)
            heads.append(head)
        return replies, heads

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

    def submit_each(self, expect: Sequence[Sequence[tuple[bytes, Expected]] | None],
                    ops: Sequence[Ops], lazy: bool = False) -> dict[int, bool]:
        """On every drive i with expect[i] (not None) and ops[i], at once: apply ops[i] if the
        drive holds what expect[i] says; whether each did, by drive (a drive that failed is left
        out).  `lazy` batches are only queued, to share a later commit (StorageAPI), and nothing
        is said of them."""
        pending: list[tuple[int, Pending]] = []
        for i, storage in enumerate(self.drives):
            expected = expect[i]
            if expected is None or not ops[i] or not storage.online:
                continue
            try:
                pending.append((i, storage.meta_submit_cas(expected, ops[i], lazy)))
            except DriveError:
                continue
        return {} if lazy else self._wait_all(pending)

    def change(self, change: Change, lazy_collapse: bool = False) -> bool:
        """Apply `change` on a write quorum (see Change): True; or, when a concurrent writer got
        to some drives first, undo it where it landed and say False (read again, retry).
        WriteQuorumError when fewer drives than a write quorum answered at all.  With
        `lazy_collapse` the tombstones of a winning delete are removed with a later commit."""
        answers = self.submit_each(change.expectations(), change.ops())
        landed = [i for i, ok in answers.items() if ok]
        if sum(1 for i in landed if change.after[i] is not SKIP) >= self.write_quorum:
            self.collapse(change, landed, lazy_collapse)
            return True
        self.submit_each(*change.undo())
        if len(answers) < self.write_quorum:
            raise WriteQuorumError(f"{len(answers)} drives answered, {self.write_quorum} needed",
                                   committed=[])
        return False

    def collapse(self, change: Change, drives: Sequence[int], lazy: bool = False) -> None:
        """Remove the tombstones a winning change wrote (a record still holding it, no other)."""
        for slot in change.all_slots():
            stones = {i: after for i in drives
                      if isinstance(after := slot.after[i], bytes) and is_tombstone(after)}
            if stones:
                self.submit_each([[(slot.key, stones[i])] if i in stones else None for i in range(self.size)],
                                 [[(slot.key, None)]] * self.size, lazy)

    def scan(self, drive: int, start: bytes, end: bytes | None, limit: int
             ) -> list[tuple[bytes, bytes | None]]:
        """One drive's rows (value None = damaged record); raises DriveError when unreachable."""
        storage = self.drives[drive]
        if not storage.online:
            raise DriveError(storage.name, storage.problem or "offline")
        return storage.meta_scan(start, end, limit)

    def rows_read(self) -> int:
        return sum(d.meta_rows_read() for d in self.drives)
