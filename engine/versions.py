"""Object versions within one erasure set (S3 versioning).

Theory of operation
-------------------
A key's latest version, object or delete marker, is its object record
(`O<bucket>\\0<key>`): what GET, HEAD and listings read, one record, as on an
unversioned bucket.  Noncurrent versions are records of their own under
`V<bucket>\\0<key>\\0<~stamp><version id>` (records.py), adjacent and newest
first, so ListObjectVersions walks them in order and a key's newest
noncurrent version is the first row of its range.  Every version carries a
stamp (version_ts) larger than the stamp of the version it replaced, and a
version id made of that stamp and random bits, so the id alone gives the
record's key.  The latest version also says whether older versions may exist
(has_older: when not, deleting it needs no look behind it) and where the
noncurrent null version is (null_stamp), kept as versions come and go.

Writes move records, never data: a versioned PUT commits the new latest
record and the old latest under its version key in one compare-and-swap on
each drive (a quorum.Change with a Slot); deleting the latest version by id
brings the newest noncurrent one back into the object record the same way.
Each drive moves the copy it holds (with its own inline shard frame); a drive
that did not hold the moved version gets it rebuilt (`spread`).  A version's
data is removed only once the change that dropped its record has won.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import InvalidVersionId, NoSuchVersion, ObjectNotFound, VersionIsDeleteMarker
from .info import DeletedObject, ObjectInfo
from .listing import Lister, prefix_end
from .object_lock import check_deletable
from .options import ObjectOptions
from .quorum import SKIP, TOMBSTONE_MAGIC, Change, Decision, Fault, Head, Skip, Slot, decide, tombstone
from .records import (
    decode_object,
    encode_object,
    object_identity,
    object_json,
    object_key,
    split_object,
    version_key,
    version_prefix,
)

if TYPE_CHECKING:
    from .erasure_set import ErasureSet

NULL = "null"
# Rounds (about 0.1 s in all) a read by version id waits for a move of that version in flight to
# settle; after them it takes what it reads (a writer stuck mid-commit, or drives gone stale).
SETTLE_ROUNDS = 14
_HEX = frozenset("0123456789abcdef")


def new_version_id(stamp: int) -> str:
    return f"{stamp:016x}{os.urandom(8).hex()}"


def check_version_id(version_id: str) -> None:
    """InvalidVersionId for an id this engine cannot have made."""
    if version_id != NULL and not (len(version_id) == 32 and set(version_id) <= _HEX):
        raise InvalidVersionId(version_id)


def stamp_of(version_id: str) -> int:
    return int(version_id[:16], 16)


def record_key(bucket: str, key: str, info: ObjectInfo) -> bytes:
    """Where version `info` of the key lives once it is noncurrent."""
    return version_key(bucket, key, info.version_ts, info.version_id)


def delete_marker(eset: ErasureSet) -> ObjectInfo:
    """A delete marker, to be stamped like any new version."""
    return ObjectInfo(size=0, etag="", mtime_ns=time.time_ns(), version_id=NULL, delete_marker=True,
                      data_shards=eset.k, parity_shards=eset.m, block_size=eset.block_size)


def unread() -> Decision:
    """For ErasureSet.swap when make() reads the records it changes itself."""
    return Decision(None, [])


class Versions:
    """The versioned side of one erasure set's objects (see the module docstring)."""

    def __init__(self, eset: ErasureSet) -> None:
        self.eset = eset
        self.meta = eset.meta

    # -- reading ----------------------------------------------------------------------------

    def newest(self, bucket: str, key: str) -> tuple[bytes, Decision] | None:
        """The key's newest noncurrent version: (record key, decision)."""
        prefix = version_prefix(bucket, key)
        first = Lister([self.meta], prefix, prefix_end(prefix)).next()
        return None if first is None else (first[0], self.meta.get(first[0], object_identity))

    def noncurrent(self, bucket: str, key: str, version_id: str, latest: ObjectInfo | None
                   ) -> tuple[bytes, Decision] | None:
        """(record key, decision) of where a noncurrent version lives (the decision's value is
        None when it is not there); None when there is no such place: the null version's record
        is where the latest version's null_stamp says (0: there is none)."""
        if version_id == NULL:
            if latest is None or not latest.null_stamp:
                return None
            vkey = version_key(bucket, key, latest.null_stamp, NULL)
        else:
            vkey = version_key(bucket, key, stamp_of(version_id), version_id)
        return vkey, self.meta.get(vkey, object_identity)

    def find(self, bucket: str, key: str, version_id: str) -> tuple[bytes, Decision] | None:
        """(record key, decision) of version `version_id` of the key, latest or not; None if none.

        A version moves between the latest record and its own (displaced by a write, brought
        back by a delete of the latest) in one transaction per drive, but drives commit one
        after the other: while a move is on fewer than a write quorum of drives, each record can
        show another side of it.  So a version is taken only from a record read settled (held by
        a write quorum: the move, if any, has won), and "none" is said only once the latest and
        its noncurrent record were read settled, then the latest again unchanged; for about a
        tenth of a second, after which what is read is taken.  A version id names its noncurrent
        record: each drive reads it with the latest in one statement (one snapshot, so a version
        moving on that drive shows on exactly one side), one read per drive either way."""
        return self.look(bucket, key, version_id, behind=False)[0]

    def look(self, bucket: str, key: str, version_id: str, behind: bool
             ) -> tuple[tuple[bytes, Decision] | None, list[Head] | None]:
        """find(), and when the version found is the latest and `behind`, every drive's key of
        the first row of the key's versions, read in the same statement (for newest_read())."""
        check_version_id(version_id)
        okey = object_key(bucket, key)
        for attempt in range(SETTLE_ROUNDS + 1):
            patient = attempt < SETTLE_ROUNDS  # the last round takes what it reads
            heads: list[Head] | None = None
            older: tuple[bytes, Decision] | None = None
            if version_id != NULL:
                vkey = version_key(bucket, key, stamp_of(version_id), version_id)
                prefix = version_prefix(bucket, key)
                with self.eset.key_lock(bucket, key):  # as current() reads
                    (latest_r, older_r), heads = self.meta.read_many(
                        [okey, vkey], (prefix, prefix_end(prefix), TOMBSTONE_MAGIC) if behind else None)
                older = vkey, decide(older_r, self.meta.read_quorum, object_identity)
                if older[1].value is not None and self.settled(older[1]):
                    return older, None
                latest = decide(latest_r, self.meta.read_quorum, object_identity)
                latest = self.eset.settle(bucket, key, latest)
            else:
                latest = self.eset.current(bucket, key)
            info = decode_object(latest.value) if latest.value is not None else None
            if info is not None and info.version_id == version_id:
                if self.settled(latest) or not patient:
                    return (okey, latest), heads
            else:
                if older is None:  # the null version: where the latest says
                    older = self.noncurrent(bucket, key, version_id, info)
                if older is None or older[1].value is None:
                    seen = [latest] if older is None else [latest, older[1]]
                    if not patient or (all(map(self.settled, seen))
                                       and self.eset.current(bucket, key).raw == latest.raw):
                        return None, None
                elif self.settled(older[1]) or not patient:
                    return older, None
            time.sleep(min(0.001 * (attempt + 1), 0.01))
        return None, None

    def newest_read(self, bucket: str, key: str, heads: list[Head] | None) -> tuple[bytes, Decision] | None:
        """The newest noncurrent version, from the key of every drive's first record of the key's
        versions (tombstones passed over), read with the latest: none when no drive has one;
        when every drive names the same record, that record as read now (what newest() would
        find, without its scan); anything else (a drive offline, drives disagreeing, a record
        gone meanwhile) is left to newest()."""
        if heads is not None and Fault.OFFLINE not in heads:
            if all(h is None for h in heads):
                return None
            vkey = heads[0]
            if isinstance(vkey, bytes) and heads.count(vkey) == len(heads):
                decision = self.meta.get(vkey, object_identity)
                if decision.value is not None:
                    return vkey, decision
        return self.newest(bucket, key)

    def settled(self, decision: Decision) -> bool:
        """Whether no change of this record can be in flight: its holders, with the drives that
        could not answer (a change cannot be landing there), make a write quorum."""
        offline = sum(1 for r in decision.replies if r is Fault.OFFLINE)
        return len(decision.holders) + offline >= self.meta.write_quorum

    def locate(self, bucket: str, key: str, version_id: str | None) -> tuple[bytes, Decision, ObjectInfo]:
        """(record key, decision, version) a GET or HEAD addresses: the latest (ObjectNotFound when
        it is a delete marker, naming it) or the one with this id (NoSuchVersion; a delete marker:
        VersionIsDeleteMarker)."""
        if version_id is None:
            latest = self.eset.current(bucket, key)
            if latest.value is None:
                raise ObjectNotFound(bucket, key)
            info = decode_object(latest.value)
            if info.delete_marker:
                raise ObjectNotFound(bucket, key, marker=info)
            return object_key(bucket, key), latest, info
        found = self.find(bucket, key, version_id)
        if found is None:
            raise NoSuchVersion(bucket, key, version_id)
        info = decode_object(found[1].value or b"")
        if info.delete_marker:
            raise VersionIsDeleteMarker(info)
        return found[0], found[1], info

    def spread(self, decision: Decision, meta_json: bytes | None = None) -> list[bytes | Skip]:
        """Every drive's copy of a decided version (its metadata replaced by `meta_json` if
        given): a holder keeps its own shard frame; a drive behind gets the record rebuilt; an
        offline drive, or one whose inline frame cannot be rebuilt, is skipped."""
        assert decision.value is not None
        own_json, _ = split_object(decision.value)
        meta_json = meta_json or own_json
        info: ObjectInfo | None = None  # decoded only for a drive behind, off the common path
        frames: dict[int, bytes] = {}
        out: list[bytes | Skip] = []
        for i, reply in enumerate(decision.replies):
            if i in decision.holders and isinstance(reply, bytes):
                same = meta_json is own_json
                out.append(reply if same else encode_object(meta_json, split_object(reply)[1]))
            elif reply is Fault.OFFLINE:
                out.append(SKIP)
            else:
                if info is None:
                    info = decode_object(decision.value)
                    frames = self.rebuilt_frames(info, decision)
                if not (info.inline and info.size):
                    out.append(encode_object(meta_json))
                else:
                    out.append(encode_object(meta_json, frames[i]) if i in frames else SKIP)
        return out

    def rebuilt_frames(self, info: ObjectInfo, decision: Decision) -> dict[int, bytes]:
        """Every drive's inline shard frame of a version, rebuilt from the holders' records (none
        for a version with no inline data, or too few verified shards to rebuild it)."""
        if not (info.inline and info.size):
            return {}
        try:
            return self.eset.inline_frames(info, decision)
        except ValueError:
            return {}

    # -- writing ----------------------------------------------------------------------------

    def stamp(self, info: ObjectInfo, old: ObjectInfo | None, versioning: str) -> ObjectInfo:
        """The new latest version `info`, over `old` (the latest it replaces), with its version id,
        its stamp and what it knows of the versions behind it: whether there may be any
        (has_older: the latest's flag, a bound that deletes by id never have to lower) and where
        the noncurrent null version is (null_stamp)."""
        if not versioning:
            return replace(info, version_id=NULL, version_ts=time.time_ns(), has_older=False, null_stamp=0)
        stamp = max(time.time_ns(), old.version_ts + 1 if old is not None else 0)
        if versioning == "Enabled":
            null_stamp = 0 if old is None else old.version_ts if old.version_id == NULL else old.null_stamp
            return replace(info, version_id=new_version_id(stamp), version_ts=stamp,
                           has_older=old is not None, null_stamp=null_stamp)
        # Suspended: the new latest is the null version, any other null version goes.
        kept = old is not None and (old.version_id != NULL or old.has_older)
        return replace(info, version_id=NULL, version_ts=stamp, has_older=kept, null_stamp=0)

    def displace(self, bucket: str, key: str, before: Decision, old: ObjectInfo | None, versioning: str,
                 careful: bool) -> tuple[list[Slot], list[str]]:
        """What a new latest version does to the versions it replaces: the slots that move the
        old latest out of the object record (or drop the null version a Suspended write replaces)
        and the data directories to remove once the change has won.  The record a version moves
        to is new unless an earlier move of it was undone or its removal is not cleaned up yet:
        it is expected absent, and read first (`careful`) once that expectation has failed."""
        if not versioning:
            return [], self.gone(before)
        slots: list[Slot] = []
        gone: list[str] = []
        if old is not None and not (versioning == "Suspended" and old.version_id == NULL):
            vkey = record_key(bucket, key, old)
            seen = self.meta.read(vkey) if careful else [None] * self.meta.size
            slots.append(Slot(vkey, seen, self.spread(before)))
        else:
            gone += self.gone(before)
        if versioning == "Suspended" and old is not None and old.version_id != NULL:
            found = self.noncurrent(bucket, key, NULL, old)
            if found is not None and found[1].value is not None:
                slots.append(Slot(found[0], found[1].replies, self.tombstones()))
                gone += self.gone(found[1])
        return slots, gone

    def tombstones(self) -> list[bytes | Skip | None]:
        return [tombstone()] * self.meta.size

    def gone(self, decision: Decision, info: ObjectInfo | None = None) -> list[str]:
        data = self.eset.replaced_data(decision, None, info)
        return [] if data is None else [data]

    def delete_version(self, bucket: str, key: str, opts: ObjectOptions) -> DeletedObject:
        """DeleteObject with a version id: that version goes (the latest: the newest noncurrent
        one becomes the latest), unless object lock keeps it.  Deleting none is no error."""
        assert opts.version_id is not None
        check_version_id(opts.version_id)
        made: list[tuple[ObjectInfo, list[str]]] = []

        def make(_: Decision) -> Change | None:
            made.clear()
            found, behind = self.look(bucket, key, str(opts.version_id), behind=True)
            if found is None:
                return None
            at, target = found
            info = decode_object(target.value or b"")
            check_deletable(info, opts.bypass_governance)
            made.append((info, self.gone(target, info)))
            if at != object_key(bucket, key):
                return Change(at, target.replies, self.tombstones())
            newest = self.newest_read(bucket, key, behind) if info.has_older else None
            if newest is None:
                return Change(at, target.replies, self.tombstones())
            return Change(at, target.replies, self.spread(newest[1]),
                          slots=[Slot(newest[0], newest[1].replies, self.tombstones())])

        self.eset.swap(bucket, key, unread, make)  # make() reads what it needs
        if not made:
            return DeletedObject(key, opts.version_id)
        info, gone = made[0]
        for data_id in gone:
            self.eset.remove_data(data_id)
        return DeletedObject(key, info.version_id, existed=True, delete_marker=info.delete_marker)

    def update(self, bucket: str, key: str, opts: ObjectOptions, edit: Callable[[ObjectInfo], ObjectInfo]
               ) -> ObjectInfo:
        """Change a version's metadata in place (tags, retention, legal hold): `edit` returns the
        new metadata or raises; the version is addressed as a GET would."""
        made: list[ObjectInfo] = []

        def make(_: Decision) -> Change:
            made.clear()
            at, target, info = self.locate(bucket, key, opts.version_id)
            made.append(edit(info))
            return Change(at, target.replies, self.spread(target, object_json(made[0])))

        self.eset.swap(bucket, key, unread, make)
        return made[0]
